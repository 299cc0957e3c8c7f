/*
 * pf-live: join a real Pathfinder live session and write its events as
 * JSON lines, or host one and present the events read on stdin.  The
 * attendee's side of the session is lib/pf_join, the presenter's
 * lib/pf_host, and the pace of what it presents is the player's clock,
 * lib/pf_clock; this file reads options and stdin, keeps the time, and
 * writes.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include "pf_buf.h"
#include "pf_clock.h"
#include "pf_diag.h"
#include "pf_err.h"
#include "pf_event.h"
#include "pf_host.h"
#include "pf_join.h"
#include "pf_joincode.h"
#include "pf_jv.h"
#include "pf_num.h"
#include "pf_outfile.h"
#include "pf_writer.h"
#include "pf_qr.h"
#include "pf_rtc.h"
#include "pf_time.h"
#include "pf_version.h"

static const char usage_text[] =
"Usage: pf-live [OPTIONS] join CODE|URL\n"
"       pf-live [OPTIONS] host\n"
"Join a Pathfinder live session and write its events as JSON lines, or\n"
"host one and present the events read on standard input.\n"
"\n"
"Options:\n"
"      --server URL         the PeerJS server (default\n"
"                           http://localhost:9000/pathfinder)\n"
"      --key KEY            the PeerJS server's key (default pathfinder)\n"
"      --name NAME          join: the name the presenter sees (default\n"
"                           pf-live); host: the session's name\n"
"      --mode MODE          join: guided or follow (default guided)\n"
"      --timeout SECONDS    give up when not in the session (join) or not\n"
"                           registered (host) by then (default 30)\n"
"      --id ID              host: the session id (default: 6 random\n"
"                           characters)\n"
"      --url URL            host: the tutorial's URL\n"
"      --grafana URL        host: the Grafana of the join URL (default\n"
"                           http://localhost:3000)\n"
"      --wait-for N         host: read nothing until N attendees are in\n"
"      --record FILE        host: write the session to FILE, not stdout\n"
"      --max-queue BYTES    host: drop an attendee with more queued\n"
"                           (default 1048576)\n"
"  -s, --speed F            host: present F times as fast as the input's\n"
"                           timestamps say (0.5, 2, ...); max: wait for\n"
"                           nothing but held-back repeats\n"
"  -i, --idle-limit D       host: shorten any gap longer than D (e.g. 5s)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"CODE is the join code the presenter shares; URL a join URL (?session=).\n"
"host prints its join code and URL on stderr; the session's name and URL\n"
"come from --name and --url, else from the input's session_start.\n"
"Exit status: 0 the session ended, 2 usage, no session, the presenter\n"
"failed its identity check, timeout, the presenter was lost, or the\n"
"host could not register or write.\n";

static void
remove_timer(guint *t)
{
	if (*t) {
		g_source_remove(*t);
		*t = 0;
	}
}

/* --- join ------------------------------------------------------------------ */

struct joining {
	GMainLoop *loop;
	int status;
};

static int
on_join_event(void *ctx, const char *json, size_t n)
{
	struct joining *js = ctx;

	if (fwrite(json, 1, n, stdout) != n || putchar('\n') == EOF ||
	    fflush(stdout) != 0) {
		pf_diag_error("<stdout>: write error: %s", strerror(errno));
		js->status = 2;
		g_main_loop_quit(js->loop);
		return -1;
	}
	return 0;
}

static void
on_join_ended(void *ctx, int status, const char *why)
{
	struct joining *js = ctx;

	if (why)
		pf_diag_error("%s", why);
	js->status = status;
	g_main_loop_quit(js->loop);
}

static int
join(const struct pf_join_config *cfg, const char *code)
{
	static const struct pf_join_hooks hooks = {
		on_join_event, on_join_ended
	};
	struct joining js = { NULL, 0 };
	struct pf_joincode jc;
	struct pf_join_config c = *cfg;
	struct pf_join *j;
	struct pf_err err;

	if (pf_joincode_parse(code, &jc, &err) < 0) {
		pf_diag_error("not a join code or join URL: %s", err.msg);
		return 2;
	}
	if (jc.pubkey_len == 0) {
		pf_diag_error("the join code carries no presenter key, so the "
		    "presenter cannot be checked (codes from app 2.3.6 and "
		    "later have one)");
		pf_joincode_release(&jc);
		return 2;
	}
	c.code = &jc;
	j = pf_join_new(&c, &hooks, &js, &err);
	if (!j) {
		if (err.kind == PF_ERR_USAGE)
			pf_diag_usage("--server: %s", err.msg);
		else
			pf_diag_error("%s", err.msg);
		pf_joincode_release(&jc);
		return 2;
	}
	js.loop = g_main_loop_new(NULL, FALSE);
	pf_join_start(j);
	g_main_loop_run(js.loop);
	pf_join_free(j);
	g_main_loop_unref(js.loop);
	pf_joincode_release(&jc);
	return js.status;
}

/* --- host ------------------------------------------------------------------ */

/* An input line may not be longer than this (as the other tools' default). */
#define MAX_LINE (1024 * 1024)
/* How long the input has to show its session_start before registering. */
#define PEEK_MS 1000

struct hosting {
	struct pf_host *host;
	GMainLoop *loop;
	long wait_for, timeout;
	const char *grafana, *record_path;
	struct pf_writer *out;	/* the session: stdout or --record */
	int published;
	guint t_stdin, t_due, t_register, t_resume;
	struct pf_buf in;	/* read from stdin, not yet presented */
	size_t in_off;
	long lineno;
	int eof, skipping, ending, status;
	int peeking;		/* reading ahead for the session_start */
	int reading;		/* registered, and --wait-for met */
	guint t_peek;
	struct pf_jv_parser *parser;
	/*
	 * Pacing, on the player's clock: the line waiting for its time (read
	 * again when due) is placed on it once, and is due at due_ns.  The
	 * clock keeps repeated steps apart, as pf-play's does.
	 */
	struct pf_clock clock;
	int waiting;
	int64_t due_ns;
};

static void read_on(struct hosting *hs);

static void
host_end(struct hosting *hs, int status)
{
	if (status > hs->status)
		hs->status = status;
	if (hs->ending)
		return;
	hs->ending = 1;
	remove_timer(&hs->t_stdin);
	remove_timer(&hs->t_due);
	if (pf_host_code(hs->host))
		pf_host_end(hs->host);
	else
		g_main_loop_quit(hs->loop);
}

static void
on_host_ready(void *ctx)
{
	struct hosting *hs = ctx;
	char *url = pf_joincode_url(hs->grafana, pf_host_code(hs->host));

	remove_timer(&hs->t_register);
	fprintf(stderr, "%s: hosting session %s\n%s: join code: %s\n"
	    "%s: join URL: %s\n", pf_diag_prog(), pf_host_id(hs->host),
	    pf_diag_prog(), pf_host_code(hs->host), pf_diag_prog(), url);
	/* For a person at a terminal, the URL for a phone's camera. */
	if (isatty(STDERR_FILENO)) {
		struct pf_buf qr = PF_BUF_INIT;
		struct pf_err err;

		if (pf_qr_draw(url, &qr, &err) == 0)
			fputs(pf_buf_str(&qr), stderr);
		pf_buf_release(&qr);
	}
	free(url);
	read_on(hs);
}

static void
on_host_line(void *ctx, const char *json, size_t len)
{
	struct hosting *hs = ctx;
	struct pf_err err;

	if (hs->status == 2 && hs->ending)
		return;		/* the output failed already */
	/* The file takes its place with its first line, as pf-record's. */
	if (!hs->published && pf_writer_publish(hs->out, &err) < 0) {
		pf_diag_error("%s: %s", pf_writer_name(hs->out), err.msg);
		host_end(hs, 2);
		return;
	}
	hs->published = 1;
	if (pf_writer_line(hs->out, json, len, &err) < 0) {
		pf_diag_error("%s: %s", pf_writer_name(hs->out), err.msg);
		host_end(hs, 2);
	}
}

static void
on_host_notice(void *ctx, const char *msg)
{
	fprintf(stderr, "%s: %s\n", pf_diag_prog(), msg);
}

static gboolean
resume(gpointer data)
{
	struct hosting *hs = data;

	hs->t_resume = 0;
	read_on(hs);
	return G_SOURCE_REMOVE;
}

/*
 * From the main loop, not from here: this can be called in the middle of
 * presenting a line (an attendee dropped by the broadcast), and reading on
 * from inside that would present the line twice.
 */
static void
on_host_attendees(void *ctx, int joined)
{
	struct hosting *hs = ctx;

	if (joined >= hs->wait_for && !hs->ending && pf_host_code(hs->host) &&
	    !hs->t_resume)
		hs->t_resume = g_idle_add(resume, hs);
}

static void
on_host_failed(void *ctx, const char *msg)
{
	struct hosting *hs = ctx;

	pf_diag_error("%s", msg);
	hs->status = 2;
	hs->ending = 1;
	g_main_loop_quit(hs->loop);
}

static void
on_host_ended(void *ctx)
{
	struct hosting *hs = ctx;

	g_main_loop_quit(hs->loop);
}

static gboolean
register_timeout(gpointer data)
{
	struct hosting *hs = data;

	hs->t_register = 0;
	on_host_failed(hs, "timed out waiting for the PeerJS server");
	return G_SOURCE_REMOVE;
}

static gboolean
on_stop_signal(gpointer data)
{
	host_end(data, 0);
	return G_SOURCE_CONTINUE;
}

/*
 * Whether ev is paced by its timestamp: the presenter's own events and its
 * end.  An attendee's clock is not the presenter's, and heartbeats are the
 * host's own to make.
 */
static int
paced(const struct pf_jv *ev)
{
	return pf_host_presents(ev) ||
	    pf_event_type_from_name(pf_jv_str(pf_jv_get(ev, "type"))) ==
	    PF_EVENT_SESSION_END;
}

static gboolean
due(gpointer data)
{
	struct hosting *hs = data;

	hs->t_due = 0;
	read_on(hs);
	return G_SOURCE_REMOVE;
}

/*
 * Presents the line of n bytes at p (no newline).  Returns 0 to go on, 1
 * when it must wait: it is not due yet (a timer is set) or it ended the
 * session.
 */
static int
present_line(struct hosting *hs, const char *p, size_t n)
{
	const struct pf_jv *ev, *ts;
	enum pf_json_fault fault;
	enum pf_event_type type;
	struct pf_err err;
	const char *sid = NULL;
	int64_t now;
	int r;

	ev = pf_jv_parse(hs->parser, p, n, PF_JSON_ALLOW_DUPLICATES, &fault,
	    &err);
	if (!ev || ev->type != PF_JV_OBJECT) {
		pf_diag_warn_at("<stdin>", hs->lineno, "passed over: %s",
		    ev ? "not a JSON object" : err.msg);
		return 0;
	}
	type = pf_event_type_from_name(pf_jv_str(pf_jv_get(ev, "type")));
	if (pf_event_is_step(type))
		sid = pf_jv_str(pf_jv_get(ev, "stepId"));
	ts = pf_jv_get(ev, "timestamp");
	if (!pf_jv_is(ts, PF_JV_INTEGER))
		ts = NULL;
	if (paced(ev) && ts) {
		/* pf_time's clock, not GLib's: the deadlines are in its ns. */
		now = pf_time_mono_ns();
		if (!hs->waiting) {
			/* A repeated step too close for the app: held back. */
			double ms = pf_clock_place(&hs->clock, ts->u.i, type,
			    sid);

			pf_clock_start(&hs->clock, now);
			hs->due_ns = pf_clock_deadline(&hs->clock, ms);
			hs->waiting = 1;
		}
		if (hs->due_ns > now) {
			hs->lineno--;	/* read again when due */
			/* Whole ms, rounded up: a timer is never early. */
			hs->t_due = g_timeout_add((guint)MIN((hs->due_ns - now -
			    1) / 1000000 + 1, G_MAXUINT / 2), due, hs);
			return 1;
		}
		hs->waiting = 0;
	}
	r = pf_host_present(hs->host, ev, p, n);
	if (r == 2) {
		host_end(hs, 0);
		return 1;
	}
	/*
	 * pf_host stamps it as it sends it, late or not: a repeat is kept
	 * apart from that moment, where the attendee's clock puts it.
	 */
	if (r == 1)
		pf_clock_sent(&hs->clock, type, sid, ts ? ts->u.i : 0,
		    pf_clock_position(&hs->clock, pf_time_mono_ns()));
	return 0;
}

/* Stops reading ahead: the session registers with what it has. */
static void
end_peek(struct hosting *hs)
{
	if (!hs->peeking)
		return;
	hs->peeking = 0;
	remove_timer(&hs->t_peek);
	remove_timer(&hs->t_stdin);
	pf_host_start(hs->host);
}

static gboolean
peek_timeout(gpointer data)
{
	struct hosting *hs = data;

	hs->t_peek = 0;
	end_peek(hs);
	return G_SOURCE_REMOVE;
}

/*
 * Before registering, the input's leading session_start lines are read for
 * the session's name and URL, which go into the join code and every
 * session_start.  1 when the line was one of them.
 */
static int
peek_line(struct hosting *hs, const char *p, size_t n)
{
	const struct pf_jv *ev;
	enum pf_json_fault fault;
	struct pf_err err;

	ev = pf_jv_parse(hs->parser, p, n, PF_JSON_ALLOW_DUPLICATES, &fault,
	    &err);
	if (!ev || pf_event_type_from_name(pf_jv_str(pf_jv_get(ev, "type"))) !=
	    PF_EVENT_SESSION_START)
		return 0;
	pf_host_present(hs->host, ev, p, n);
	return 1;
}

/* Presents the whole lines read; at the end of input, ends the session. */
static void
present_lines(struct hosting *hs)
{
	char *start, *nl;
	size_t n;

	while (!hs->ending && !hs->t_due && (hs->peeking || hs->reading)) {
		start = hs->in.data + hs->in_off;
		n = hs->in.len - hs->in_off;
		nl = n ? memchr(start, '\n', n) : NULL;
		if (!nl && !(hs->eof && n > 0))
			break;
		/*
		 * pf_jv_parse wants a NUL after the text: the newline's place
		 * for a while (a line to be read again gets it back), or the
		 * one pf_buf keeps after the last line.
		 */
		if (nl) {
			n = (size_t)(nl - start);
			*nl = '\0';
		}
		if (hs->peeking && (hs->skipping || !peek_line(hs, start, n))) {
			if (nl)
				*nl = '\n';
			end_peek(hs);
			break;	/* the line waits for the session */
		}
		hs->lineno++;
		if (hs->peeking) {
			;	/* a session_start, taken */
		} else if (hs->skipping) {
			hs->skipping = 0;
		} else if (n > 0 && present_line(hs, start, n)) {
			if (nl)
				*nl = '\n';
			break;	/* to be read again: lineno stays */
		}
		hs->in_off += nl ? n + 1 : n;
	}
	if (hs->in_off == hs->in.len) {
		pf_buf_reset(&hs->in);
		hs->in_off = 0;
	}
	if (hs->peeking && hs->eof)
		end_peek(hs);
	if (hs->reading && hs->eof && hs->in.len == 0 && !hs->t_due)
		host_end(hs, 0);
}

static gboolean
on_stdin(gint fd, GIOCondition cond, gpointer data)
{
	struct hosting *hs = data;
	char buf[65536];
	ssize_t n;

	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return G_SOURCE_CONTINUE;
	if (n < 0) {
		pf_diag_error("<stdin>: %s", strerror(errno));
		hs->t_stdin = 0;
		host_end(hs, 2);
		return G_SOURCE_REMOVE;
	}
	if (n == 0)
		hs->eof = 1;
	else
		pf_buf_add(&hs->in, buf, (size_t)n);
	if (hs->in.len - hs->in_off > MAX_LINE &&
	    !memchr(hs->in.data + hs->in_off, '\n', hs->in.len - hs->in_off)) {
		pf_diag_warn_at("<stdin>", hs->lineno + 1, "passed over: "
		    "longer than %d bytes", MAX_LINE);
		pf_buf_reset(&hs->in);
		hs->in_off = 0;
		hs->skipping = 1;
	}
	hs->t_stdin = 0;
	present_lines(hs);
	if (!hs->ending && !hs->eof && !hs->t_due)
		read_on(hs);
	return G_SOURCE_REMOVE;
}

/*
 * Goes on with the input, once registered and --wait-for is met (then for
 * good): what is read and due first, then stdin.
 */
static void
read_on(struct hosting *hs)
{
	if (hs->ending || hs->t_due)
		return;
	if (!hs->peeking && !hs->reading) {
		if (!pf_host_code(hs->host) ||
		    pf_host_attendees(hs->host) < hs->wait_for)
			return;
		hs->reading = 1;
	}
	present_lines(hs);
	if (hs->peeking && hs->t_stdin)
		return;
	if (!hs->ending && !hs->eof && !hs->t_due && !hs->t_stdin &&
	    (hs->peeking || hs->reading))
		hs->t_stdin = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP |
		    G_IO_ERR, on_stdin, hs);
}

static int
host(struct hosting *hs, struct pf_host_config *cfg)
{
	static const struct pf_host_hooks hooks = {
		on_host_ready, on_host_line, on_host_notice,
		on_host_attendees, on_host_failed, on_host_ended
	};
	struct pf_err err;

	if (pf_rtc_available(&err) < 0) {
		pf_diag_error("%s", err.msg);
		return 2;
	}
	if (hs->record_path &&
	    pf_outfile_same_fd(hs->record_path, STDIN_FILENO)) {
		pf_diag_error("%s: is the input too", hs->record_path);
		return 2;
	}
	/* Unbuffered: every line is out at once, for pf-record downstream. */
	hs->out = pf_writer_open(hs->record_path ? hs->record_path : "-",
	    PF_WRITER_EACH, &err);
	if (!hs->out) {
		pf_diag_error("%s: %s", hs->record_path ? hs->record_path :
		    "<stdout>", err.msg);
		return 2;
	}
	hs->host = pf_host_new(cfg, &hooks, hs, &err);
	if (!hs->host) {
		pf_writer_abort(hs->out);
		pf_diag_usage("%s", err.msg);
		return 2;
	}
	hs->parser = pf_jv_parser_new();
	pf_jv_parser_set_max_values(hs->parser, 100000);
	hs->loop = g_main_loop_new(NULL, FALSE);
	hs->t_register = g_timeout_add_seconds((guint)hs->timeout,
	    register_timeout, hs);
	g_unix_signal_add(SIGINT, on_stop_signal, hs);
	g_unix_signal_add(SIGTERM, on_stop_signal, hs);
	if (cfg->fixed_config) {
		pf_host_start(hs->host);
	} else {
		/* A producer with nothing yet to say does not hold us long. */
		hs->peeking = 1;
		hs->t_peek = g_timeout_add(PEEK_MS, peek_timeout, hs);
		read_on(hs);
	}
	g_main_loop_run(hs->loop);
	remove_timer(&hs->t_register);
	remove_timer(&hs->t_stdin);
	remove_timer(&hs->t_due);
	remove_timer(&hs->t_resume);
	remove_timer(&hs->t_peek);
	pf_host_free(hs->host);
	pf_jv_parser_free(hs->parser);
	pf_buf_release(&hs->in);
	/* An empty run leaves an existing --record file as it was. */
	if (!hs->published)
		pf_writer_abort(hs->out);
	else if (pf_writer_close(hs->out, &err) < 0 && hs->status != 2) {
		pf_diag_error("%s: %s", hs->record_path ? hs->record_path :
		    "<stdout>", err.msg);
		hs->status = 2;
	}
	return hs->status;
}

int
main(int argc, char **argv)
{
	enum { OPT_SERVER = 256, OPT_ID, OPT_URL, OPT_GRAFANA, OPT_WAIT_FOR,
	    OPT_RECORD, OPT_MAX_QUEUE };
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, OPT_SERVER },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "id", required_argument, NULL, OPT_ID },
		{ "url", required_argument, NULL, OPT_URL },
		{ "grafana", required_argument, NULL, OPT_GRAFANA },
		{ "wait-for", required_argument, NULL, OPT_WAIT_FOR },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "max-queue", required_argument, NULL, OPT_MAX_QUEUE },
		{ "speed", required_argument, NULL, 's' },
		{ "idle-limit", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_join_config jcfg;
	struct hosting hs;
	struct pf_host_config cfg;
	struct pf_err err;
	const char *name = NULL, *join_only = NULL, *host_only = NULL;
	size_t max_queue = 1024 * 1024;
	double speed = 1;
	int64_t idle_limit = 0;
	int ch, status = 0, hosting;

	pf_diag_init(argv[0]);
	memset(&jcfg, 0, sizeof(jcfg));
	memset(&hs, 0, sizeof(hs));
	memset(&cfg, 0, sizeof(cfg));
	jcfg.server = "http://localhost:9000/pathfinder";
	jcfg.key = "pathfinder";
	jcfg.mode = "guided";
	jcfg.timeout = 30;
	hs.grafana = "http://localhost:3000";
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":s:i:hV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case OPT_SERVER:
			jcfg.server = optarg;
			break;
		case 'k':
			jcfg.key = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "guided") != 0 &&
			    strcmp(optarg, "follow") != 0) {
				pf_diag_usage("--mode: '%s' is not guided or "
				    "follow", optarg);
				return 2;
			}
			jcfg.mode = optarg;
			join_only = "--mode";
			break;
		case 't':
			if (pf_num_long(optarg, 1, 86400, &jcfg.timeout,
			    &err) < 0) {
				pf_diag_usage("--timeout: %s (seconds)", err.msg);
				return 2;
			}
			break;
		case OPT_ID:
			cfg.id = optarg;
			host_only = "--id";
			break;
		case OPT_URL:
			cfg.url = optarg;
			host_only = "--url";
			break;
		case OPT_GRAFANA:
			hs.grafana = optarg;
			host_only = "--grafana";
			break;
		case OPT_WAIT_FOR:
			if (pf_num_long(optarg, 0, 10000, &hs.wait_for,
			    &err) < 0) {
				pf_diag_usage("--wait-for: %s (attendees)",
				    err.msg);
				return 2;
			}
			host_only = "--wait-for";
			break;
		case OPT_RECORD:
			hs.record_path = optarg;
			host_only = "--record";
			break;
		case OPT_MAX_QUEUE:
			if (pf_num_size(optarg, 1024, (size_t)1 << 30,
			    &max_queue, &err) < 0) {
				pf_diag_usage("--max-queue: %s (bytes)",
				    err.msg);
				return 2;
			}
			host_only = "--max-queue";
			break;
		/* As pf-play's: the same clock, the same words. */
		case 's':
			if (pf_clock_parse_speed(optarg, &speed, &err) < 0) {
				pf_diag_usage("--speed: %s", err.msg);
				return 2;
			}
			host_only = "--speed";
			break;
		case 'i':
			if (pf_time_parse_duration(optarg, &idle_limit,
			    &err) < 0) {
				pf_diag_usage("--idle-limit: %s", err.msg);
				return 2;
			}
			host_only = "--idle-limit";
			break;
		case 'h':
			fputs(usage_text, stdout);
			return pf_diag_close_stdout(0) < 0 ? 2 : 0;
		case 'V':
			printf("pf-live %s\n", PF_VERSION);
			return pf_diag_close_stdout(0) < 0 ? 2 : 0;
		default:
			pf_diag_bad_option(ch, argv);
			return 2;
		}
	}
	if (optind >= argc) {
		pf_diag_usage("no command (join or host)");
		return 2;
	}
	hosting = strcmp(argv[optind], "host") == 0;
	if (!hosting && strcmp(argv[optind], "join") != 0) {
		pf_diag_usage("unknown command '%s' (join or host)",
		    argv[optind]);
		return 2;
	}
	if (hosting ? join_only != NULL : host_only != NULL) {
		pf_diag_usage("%s is not an option of %s",
		    hosting ? join_only : host_only, argv[optind]);
		return 2;
	}
	if (hosting && argc - optind != 1) {
		pf_diag_usage("host: takes no arguments (the events come on "
		    "standard input)");
		return 2;
	}
	if (!hosting && argc - optind != 2) {
		pf_diag_usage("join: give one join code or join URL");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	gst_init(NULL, NULL);
	if (hosting) {
		cfg.server = jcfg.server;
		cfg.key = jcfg.key;
		cfg.name = name;
		cfg.fixed_config = name != NULL || cfg.url != NULL;
		cfg.max_queue = max_queue;
		hs.timeout = jcfg.timeout;
		pf_clock_init(&hs.clock, speed, idle_limit,
		    PF_CLOCK_REPEAT_GAP);
		status = host(&hs, &cfg);
		pf_clock_release(&hs.clock);
		if (hs.loop)
			g_main_loop_unref(hs.loop);
		return status;
	}
	jcfg.name = name ? name : "pf-live";
	status = join(&jcfg, argv[optind + 1]);
	if (pf_diag_close_stdout(1) < 0)
		status = 2;
	return status;
}
