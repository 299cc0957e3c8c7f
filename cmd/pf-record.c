/*
 * pf-record: capture a live stream of Pathfinder events from standard
 * input into a recording, losing nothing.  Every accepted event is handed
 * to the kernel before the next line is read (with gzip, a sync flush per
 * event), so a killed recorder leaves a readable prefix.  The stream's own
 * session_start and session_end are kept as they come (one per attendee in
 * the app's order: handshake, attendee_join, session_start); a stream that
 * has none is framed by made-up ones.  A new recording is
 * written beside its target and renamed into place with its first event,
 * so an empty or failed run leaves an existing file alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_diag.h"
#include "pf_event.h"
#include "pf_jv.h"
#include "pf_num.h"
#include "pf_outfile.h"
#include "pf_reader.h"
#include "pf_redact.h"
#include "pf_time.h"
#include "pf_version.h"
#include "pf_writer.h"

/* A timestamp further ahead of the clock than this is not believed. */
#define FUTURE_SLACK_MS ((int64_t)24 * 3600 * 1000)

/* After a session_end, how long the others of a session may take to come. */
#define END_GRACE_NS ((int64_t)1000 * 1000000)

/* After a stop signal, the ticks (100 ms) an output that blocks is given. */
#define STOP_GRACE_TICKS 10

enum fsync_mode {
	FSYNC_NEVER,
	FSYNC_INTERVAL,
	FSYNC_ALWAYS
};

struct record {
	/* options */
	const char *output;
	int gzip;
	enum fsync_mode fsync;
	int restamp;
	const char *name;
	const char *tutorial_url;
	const char *session_id_opt;
	const char *mode;
	int cont;
	int no_heartbeat;
	size_t max_line;
	int strict;
	int append;
	int tee;
	int64_t max_duration;	/* ms, 0: none */
	long max_events;	/* 0: none */
	int redact;
	int quiet;

	/* state */
	struct pf_redact *redactor;
	struct pf_writer *out;
	struct pf_writer *tee_out;
	struct pf_jv_parser *parser;
	struct pf_jv_parser *reparser;
	char *session_id;	/* the stream's, from its first event with one */
	int started;		/* a session_start is in the recording */
	int made_up;		/* ... and it is pf-record's own */
	int end_received;	/* a session_end came in */
	int ending;		/* ... and only more session_end may follow */
	int64_t end_deadline_ns;	/* until then */
	int64_t last_ts;	/* the presenter's clock: the last timestamp */
	int have_last_ts;
	int64_t last_any_ts;	/* the latest timestamp of any clock */
	int have_any_ts;
	int64_t first_ts;
	int64_t skew;		/* arrival minus timestamp, of the last event */
	long events;
	long rejected;
	long dropped;
	int64_t start_ns;
	int64_t last_fsync_ns;
	const char *stop_reason;
	int draining;		/* a stop signal came: read what is there */
	struct pf_buf text;
	struct pf_buf line;
	int io_failed;
	int published;		/* the recording is at its place */
	int stdin_flags;	/* to restore, if stdin_changed */
	int stdin_changed;
	int stdout_flags;	/* to restore, if stdout_changed */
	int stdout_changed;
};

static volatile sig_atomic_t interrupted;	/* any handler ran */
static volatile sig_atomic_t got_signal;	/* SIGINT, SIGTERM, SIGHUP */
static volatile sig_atomic_t stop_ticks;	/* ticks since got_signal */
static volatile sig_atomic_t give_up_output;	/* a blocked write may fail */

/*
 * A stop signal gives the output STOP_GRACE_TICKS ticks to take what is
 * left; after them, or at a second stop signal, a write that blocks (its
 * reader has stopped reading) fails instead of holding the recorder.
 */
static void
on_signal(int sig)
{
	if (sig == SIGALRM) {
		if (got_signal && ++stop_ticks >= STOP_GRACE_TICKS)
			give_up_output = 1;
	} else {
		if (got_signal)
			give_up_output = 1;
		got_signal = sig;
	}
	interrupted = 1;
}

static const char *
signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" :
	    sig == SIGHUP ? "SIGHUP" : "a signal";
}

static const char usage_text[] =
"Usage: pf-record [OPTIONS]\n"
"Record a live stream of Pathfinder events from standard input.\n"
"\n"
"  -o, --output FILE        write the recording to FILE (default: stdout);\n"
"                           FILE.gz is written gzip-compressed\n"
"  -z, --gzip               gzip-compress the output\n"
"  -a, --append             continue the recording in FILE\n"
"      --tee                also copy each recorded event to stdout\n"
"      --fsync WHEN         always, interval (once a second) or never\n"
"                           (default never)\n"
"      --restamp            stamp every event with its arrival time\n"
"  -n, --name NAME          session name, if a session_start is made up\n"
"      --tutorial-url URL   tutorial URL, if a session_start is made up\n"
"      --session-id ID      session id, if the stream carries none\n"
"      --mode MODE          default attendee mode: guided or follow\n"
"      --continue           go on after a session_end\n"
"      --no-heartbeat       drop heartbeat events\n"
"      --max-line BYTES     longest line accepted (default 1048576,\n"
"                           at most 268435456)\n"
"      --max-duration D     stop after D (e.g. 90m, 1h30m)\n"
"      --max-events N       stop after N events\n"
"      --redact             mask formfill values and secret-looking strings\n"
"      --redact-pattern ERE also mask what matches ERE (repeatable)\n"
"      --strict             stop at the first bad line\n"
"  -q, --quiet              no summary on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Exit status: 0 recorded, 1 some lines were rejected, 2 usage or I/O error.\n";

/* --- output ------------------------------------------------------------- */

static void
sync_if_due(struct record *rc, int force)
{
	struct pf_err err;
	int64_t now;

	if (rc->fsync == FSYNC_NEVER || rc->io_failed)
		return;
	now = pf_time_mono_ns();
	if (!force && rc->fsync == FSYNC_INTERVAL &&
	    now - rc->last_fsync_ns < 1000000000)
		return;
	rc->last_fsync_ns = now;
	if (pf_writer_sync(rc->out, &err) < 0) {
		pf_diag_error("%s: %s", pf_writer_name(rc->out), err.msg);
		rc->io_failed = 1;
	}
}

/* Writes one line to the recording (and the tee).  0 or -1. */
static int
emit(struct record *rc, const char *p, size_t n)
{
	struct pf_err err;

	if (rc->io_failed)
		return -1;
	if (pf_writer_line(rc->out, p, n, &err) < 0) {
		if (err.errnum == EINTR && got_signal)
			pf_diag_error("%s: not being read; given up on %s, "
			    "without a session_end", pf_writer_name(rc->out),
			    signal_name(got_signal));
		else
			pf_diag_error("%s: %s", pf_writer_name(rc->out),
			    err.msg);
		rc->io_failed = 1;
		return -1;
	}
	/* It holds an event: from now on a kill leaves it at its place. */
	if (!rc->published) {
		if (pf_writer_publish(rc->out, &err) < 0) {
			pf_diag_error("%s: %s", pf_writer_name(rc->out),
			    err.msg);
			rc->io_failed = 1;
			return -1;
		}
		rc->published = 1;
	}
	if (rc->fsync == FSYNC_ALWAYS)
		sync_if_due(rc, 1);
	else if (rc->fsync == FSYNC_INTERVAL)
		sync_if_due(rc, 0);
	if (rc->tee_out && pf_writer_line(rc->tee_out, p, n, &err) < 0) {
		/* The recording matters more than the copy: keep going. */
		if (err.errnum == EAGAIN || err.errnum == EWOULDBLOCK)
			pf_diag_warn_at("<stdout>", 0, "full, its reader is not "
			    "keeping up; no longer copying events");
		else
			pf_diag_warn_at("<stdout>", 0, "%s; no longer copying "
			    "events", err.msg);
		pf_writer_close(rc->tee_out, NULL);
		rc->tee_out = NULL;
	}
	return 0;
}

/*
 * The time of an event the recorder writes itself: the stream's clock,
 * which runs behind the wall clock by the last event's delay.  Live, that
 * is now; for an old recording piped in, it is just after its last event.
 * Never before an event recorded, of either clock.
 */
static int64_t
next_ts(struct record *rc)
{
	int64_t ts = pf_time_now_ms() - rc->skew;

	if (rc->have_last_ts && ts < rc->last_ts)
		ts = rc->last_ts;
	if (rc->have_any_ts && ts < rc->last_any_ts)
		ts = rc->last_any_ts;
	return ts;
}

/* A random session id, 6 characters of [a-z0-9], as the app makes them. */
static char *
make_session_id(void)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[6];
	char *id = pf_xmalloc(7);
	int i;

	if (getentropy(rnd, sizeof(rnd)) != 0) {
		uint64_t x = (uint64_t)pf_time_mono_ns() ^ (uint64_t)getpid();

		for (i = 0; i < 6; i++, x >>= 8)
			rnd[i] = (unsigned char)x;
	}
	for (i = 0; i < 6; i++)
		id[i] = digits[rnd[i] % 36];
	id[6] = '\0';
	return id;
}

/*
 * The session id of an event pf-record writes itself: the stream's, else
 * --session-id, else a random one.
 */
static const char *
own_session_id(struct record *rc)
{
	if (rc->session_id == NULL)
		rc->session_id = rc->session_id_opt ?
		    pf_xstrdup(rc->session_id_opt) : make_session_id();
	return rc->session_id;
}

/* The made-up session_start, stamped ts (never before the last event). */
static int
write_session_start(struct record *rc, int64_t ts)
{
	struct pf_buf b = PF_BUF_INIT;
	const char *sid = own_session_id(rc);
	int r;

	if (rc->have_last_ts && ts < rc->last_ts)
		ts = rc->last_ts;
	pf_buf_adds(&b, "{\"type\":\"session_start\",\"sessionId\":");
	pf_jv_dump_string(sid, strlen(sid), &b);
	pf_buf_addf(&b, ",\"timestamp\":%" PRId64 ",\"config\":{\"name\":", ts);
	pf_jv_dump_string(rc->name, strlen(rc->name), &b);
	pf_buf_adds(&b, ",\"tutorialUrl\":");
	pf_jv_dump_string(rc->tutorial_url, strlen(rc->tutorial_url), &b);
	pf_buf_adds(&b, ",\"defaultMode\":");
	pf_jv_dump_string(rc->mode, strlen(rc->mode), &b);
	pf_buf_adds(&b, "}}");
	r = emit(rc, b.data, b.len);
	pf_buf_release(&b);
	rc->started = 1;
	rc->made_up = 1;
	rc->first_ts = ts;
	rc->last_ts = ts;
	rc->have_last_ts = 1;
	return r;
}

static int
write_session_end(struct record *rc, const char *reason)
{
	struct pf_buf b = PF_BUF_INIT;
	const char *sid = own_session_id(rc);
	int64_t ts = next_ts(rc);
	int r;

	pf_buf_adds(&b, "{\"type\":\"session_end\",\"sessionId\":");
	pf_jv_dump_string(sid, strlen(sid), &b);
	pf_buf_addf(&b, ",\"timestamp\":%" PRId64 ",\"reason\":", ts);
	pf_jv_dump_string(reason, strlen(reason), &b);
	pf_buf_addc(&b, '}');
	r = emit(rc, b.data, b.len);
	pf_buf_release(&b);
	rc->last_ts = ts;
	return r;
}

/* --- input -------------------------------------------------------------- */

static void
reject(struct record *rc, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
reject(struct record *rc, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pf_diag_error("<stdin>:%ld: %s", line, msg);
	rc->rejected++;
}

/*
 * Makes the standard input non-blocking, to read what is there without
 * waiting for more; it is made blocking again at the end, as it was found,
 * for whoever reads it next.  0 or -1.
 */
static int
input_nonblocking(struct record *rc)
{
	int fl;

	if (rc->stdin_changed)
		return 0;
	fl = fcntl(0, F_GETFL);
	if (fl < 0 || fcntl(0, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	rc->stdin_flags = fl;
	rc->stdin_changed = 1;
	return 0;
}

/*
 * Records one parsed event whose text is [p, p+n).  Returns 1 to go on,
 * 0 to stop (after a session_end, another event), -1 on a write error.
 */
static int
record_event(struct record *rc, const char *p, size_t n,
    const struct pf_jv *ev, long lineno)
{
	const struct pf_jv *type = pf_jv_get(ev, "type");
	const struct pf_jv *tsv = pf_jv_get(ev, "timestamp");
	const char *sid = pf_jv_str(pf_jv_get(ev, "sessionId"));
	enum pf_event_type t = pf_event_type_from_name(type->u.s);
	int64_t now = pf_time_now_ms(), ts;
	int rewrite = 0, presenter;

	if (pf_event_is_handshake(t) ||
	    (t == PF_EVENT_HEARTBEAT && rc->no_heartbeat)) {
		rc->dropped++;
		return 1;
	}
	/* The presenter ends the session once per attendee, in one go. */
	if (rc->ending && t != PF_EVENT_SESSION_END)
		return 0;
	/* The stream's own id, from the first event that carries one. */
	if (rc->session_id == NULL && sid && *sid)
		rc->session_id = pf_xstrdup(sid);
	/*
	 * Time: the sender's clock when believable, else the arrival.  Only
	 * the presenter's clock must not go back; an attendee's runs behind
	 * or ahead of it and is kept as it is.
	 */
	presenter = pf_event_presenter_clock(t, ev);
	if (!rc->restamp && pf_jv_is(tsv, PF_JV_INTEGER) &&
	    tsv->u.i >= PF_EPOCH_MS_MIN && tsv->u.i <= now + FUTURE_SLACK_MS) {
		ts = tsv->u.i;
	} else {
		ts = now;
		rewrite = 1;
	}
	if (presenter && rc->have_last_ts && ts < rc->last_ts) {
		if (!rc->quiet)
			pf_diag_warn_at("<stdin>", lineno, "timestamp goes back "
			    "%" PRId64 " ms; recorded as the previous one",
			    rc->last_ts - ts);
		ts = rc->last_ts;
		rewrite = 1;
	}
	/*
	 * In the app's order an attendee_join comes before the session_start
	 * that answers it: written as it comes, it waits for nothing.  Any
	 * other event before a session_start means the stream has none here.
	 */
	if (!rc->started && t != PF_EVENT_SESSION_START &&
	    t != PF_EVENT_ATTENDEE_JOIN && write_session_start(rc, ts) < 0)
		return -1;
	if (t == PF_EVENT_SESSION_START && rc->made_up && !rc->quiet)
		pf_diag_warn_at("<stdin>", lineno, "a session_start after the "
		    "one made up for the events before it");
	if (rc->redact) {
		enum pf_json_fault fault;

		pf_buf_reset(&rc->text);
		if (pf_redact_event(rc->redactor, ev, &rc->text) > 0) {
			ev = pf_jv_parse(rc->reparser, rc->text.data,
			    rc->text.len, PF_JSON_ALLOW_DUPLICATES, &fault,
			    NULL);
			p = rc->text.data;
			n = rc->text.len;
		}
	}
	if (rewrite) {
		char num[32];
		struct pf_jv_edit edit = { "timestamp", num };

		snprintf(num, sizeof(num), "%" PRId64, ts);
		pf_buf_reset(&rc->line);
		pf_jv_splice(p, n, ev, &edit, 1, &rc->line);
		p = rc->line.data;
		n = rc->line.len;
	}
	if (emit(rc, p, n) < 0)
		return -1;
	if (t == PF_EVENT_SESSION_START && !rc->started) {
		rc->started = 1;
		rc->first_ts = ts;
	}
	rc->events++;
	if (presenter) {
		rc->last_ts = ts;
		rc->have_last_ts = 1;
	}
	rc->skew = now - ts;
	if (!rc->have_any_ts || ts > rc->last_any_ts) {
		rc->last_any_ts = ts;
		rc->have_any_ts = 1;
	}
	if (t == PF_EVENT_SESSION_END) {
		rc->end_received = 1;
		if (!rc->cont) {
			/*
			 * The others (one per attendee still there) are sent
			 * in the same loop: what is there, or comes within
			 * the grace, is recorded; then it stops.
			 */
			rc->ending = 1;
			rc->end_deadline_ns = pf_time_mono_ns() + END_GRACE_NS;
			if (input_nonblocking(rc) < 0)
				return 0;
		}
	}
	if (rc->max_events && rc->events >= rc->max_events) {
		rc->stop_reason = "max-events reached";
		return 0;
	}
	return 1;
}

/* Handles one input line.  1 go on, 0 stop, -1 write error. */
static int
record_line(struct record *rc, const struct pf_line *line)
{
	enum pf_json_fault fault;
	struct pf_err err;
	const struct pf_jv *ev, *type;

	if (rc->ending && (line->flags & PF_LINE_TOO_LONG))
		return 0;
	if (line->flags & PF_LINE_TOO_LONG) {
		reject(rc, line->lineno, "line is %zu bytes, over the limit of "
		    "%zu (--max-line)", line->full_len, rc->max_line);
		return rc->strict ? 0 : 1;
	}
	if (line->len == 0 || strspn(line->data, " \t") == line->len)
		return 1;
	ev = pf_jv_parse(rc->parser, line->data, line->len, 0, &fault, &err);
	type = ev ? pf_jv_get(ev, "type") : NULL;
	if (rc->ending && (!pf_jv_is(type, PF_JV_STRING) || type->n == 0))
		return 0;	/* after the session: not its business */
	if (ev == NULL) {
		reject(rc, line->lineno, "%s%s", line->flags &
		    PF_LINE_NO_NEWLINE ? "partial last line: " : "", err.msg);
		return rc->strict ? 0 : 1;
	}
	if (!pf_jv_is(type, PF_JV_STRING) || type->n == 0) {
		reject(rc, line->lineno, "not an event: no \"type\" string");
		return rc->strict ? 0 : 1;
	}
	return record_event(rc, line->data, line->len, ev, line->lineno);
}

/*
 * Reacts to a signal or the timer.  Returns 0 to go on, 1 to stop now.
 * A stop signal does not stop at once: what was sent before it is still
 * in the pipe, so the input turns non-blocking and is read to its dry end
 * (rc->draining) before the session_end is written.
 */
static int
on_interrupt(struct record *rc)
{
	interrupted = 0;
	if (got_signal && !rc->draining) {
		rc->draining = 1;
		rc->stop_reason = got_signal == SIGINT ? "interrupted (SIGINT)" :
		    got_signal == SIGTERM ? "terminated (SIGTERM)" :
		    "hangup (SIGHUP)";
		return input_nonblocking(rc) < 0 ? 1 : 0;
	}
	sync_if_due(rc, 0);
	if (rc->max_duration &&
	    (pf_time_mono_ns() - rc->start_ns) / 1000000 >= rc->max_duration) {
		rc->stop_reason = "max-duration reached";
		return 1;
	}
	return 0;
}

/* --- --append ----------------------------------------------------------- */

/*
 * Where the whole lines of the file of size bytes on fd end: just after
 * its last LF, or 0.  What follows is a partial last line.  -1 on error.
 */
static off_t
whole_lines_end(int fd, off_t size)
{
	char buf[8192];
	off_t end = size;

	while (end > 0) {
		size_t n = end < (off_t)sizeof(buf) ? (size_t)end : sizeof(buf);
		ssize_t k = pread(fd, buf, n, end - (off_t)n);
		char *nl;

		if (k != (ssize_t)n) {
			if (k >= 0)
				errno = EIO;	/* it shrank meanwhile */
			return -1;
		}
		nl = memrchr(buf, '\n', n);
		if (nl)
			return end - (off_t)n + (nl - buf) + 1;
		end -= (off_t)n;
	}
	return 0;
}

/*
 * Reads the recording to continue: its session id, last timestamp, and
 * whether it has ended.  A partial last line (a recorder killed mid-write)
 * is cut off so the new events start on a line of their own: the bytes
 * after the last LF, and never a byte of a whole line.
 */
static int
prepare_append(struct record *rc)
{
	struct pf_err err;
	struct pf_reader *r;
	struct pf_line line;
	struct stat st;
	off_t good;
	int n, gz, fd, have_first = 0;

	if (stat(rc->output, &st) < 0 || st.st_size == 0) {
		/* Nothing to continue: a new file, or one killed before its
		 * first event. */
		if (errno == ENOENT || st.st_size == 0)
			return 0;
		pf_diag_error("%s: %s", rc->output, strerror(errno));
		return -1;
	}
	r = pf_reader_open(rc->output, rc->max_line, &err);
	if (r == NULL) {
		pf_diag_error("%s: %s", rc->output, err.msg);
		return -1;
	}
	while ((n = pf_reader_next(r, &line, &err)) > 0) {
		enum pf_json_fault fault;
		const struct pf_jv *ev, *ts;
		const char *sid, *type;

		if (line.flags & PF_LINE_NO_NEWLINE)
			break;
		if (line.flags & PF_LINE_TOO_LONG)
			continue;
		ev = pf_jv_parse(rc->parser, line.data, line.len,
		    PF_JSON_ALLOW_DUPLICATES, &fault, NULL);
		if (ev == NULL)
			continue;
		type = pf_jv_str(pf_jv_get(ev, "type"));
		sid = pf_jv_str(pf_jv_get(ev, "sessionId"));
		ts = pf_jv_get(ev, "timestamp");
		if (sid && rc->session_id == NULL)
			rc->session_id = pf_xstrdup(sid);
		if (pf_jv_is(ts, PF_JV_INTEGER) && (!rc->have_last_ts ||
		    ts->u.i > rc->last_ts)) {
			rc->last_ts = ts->u.i;
			rc->have_last_ts = 1;
		}
		if (type && strcmp(type, "session_start") == 0)
			rc->started = 1;
		if (pf_jv_is(ts, PF_JV_INTEGER) && !have_first) {
			rc->first_ts = ts->u.i;
			have_first = 1;
		}
		if (type && strcmp(type, "session_end") == 0) {
			pf_diag_error("%s:%ld: the recording has ended "
			    "(session_end); record a new one instead",
			    rc->output, line.lineno);
			pf_reader_free(r);
			return -1;
		}
	}
	gz = pf_reader_is_gzip(r);
	if (n < 0 || (gz && pf_reader_gzip_truncated(r))) {
		pf_diag_error("%s: %s", rc->output, n < 0 ? err.msg :
		    "the gzip stream is cut short; cannot append to it");
		pf_reader_free(r);
		return -1;
	}
	pf_reader_free(r);
	if (gz != rc->gzip) {
		pf_diag_error("%s: the recording is %s; cannot append %s "
		    "events", rc->output, gz ? "gzip" : "not gzip",
		    rc->gzip ? "gzip" : "plain");
		return -1;
	}
	if (rc->session_id_opt && rc->session_id &&
	    strcmp(rc->session_id_opt, rc->session_id) != 0) {
		pf_diag_error("%s: the recording is of session '%s', not '%s'",
		    rc->output, rc->session_id, rc->session_id_opt);
		return -1;
	}
	if (gz)
		return 0;
	fd = open(rc->output, O_RDWR | O_CLOEXEC);
	if (fd < 0 || (good = whole_lines_end(fd, st.st_size)) < 0 ||
	    (good < st.st_size && ftruncate(fd, good) < 0)) {
		pf_diag_error("%s: %s", rc->output, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (good < st.st_size) {
		pf_diag_warn_at(rc->output, 0, "dropped a partial last line "
		    "(%lld bytes)", (long long)(st.st_size - good));
	}
	return 0;
}

/* --- options ------------------------------------------------------------ */

static int
parse_args(struct record *rc, int argc, char **argv)
{
	enum {
		OPT_TEE = 256, OPT_FSYNC, OPT_RESTAMP, OPT_TUTORIAL_URL,
		OPT_SESSION_ID, OPT_MODE, OPT_CONTINUE, OPT_NO_HEARTBEAT,
		OPT_MAX_LINE, OPT_MAX_DURATION, OPT_MAX_EVENTS, OPT_REDACT,
		OPT_REDACT_PATTERN, OPT_STRICT
	};
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "gzip", no_argument, NULL, 'z' },
		{ "append", no_argument, NULL, 'a' },
		{ "tee", no_argument, NULL, OPT_TEE },
		{ "fsync", required_argument, NULL, OPT_FSYNC },
		{ "restamp", no_argument, NULL, OPT_RESTAMP },
		{ "name", required_argument, NULL, 'n' },
		{ "tutorial-url", required_argument, NULL, OPT_TUTORIAL_URL },
		{ "session-id", required_argument, NULL, OPT_SESSION_ID },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "continue", no_argument, NULL, OPT_CONTINUE },
		{ "no-heartbeat", no_argument, NULL, OPT_NO_HEARTBEAT },
		{ "max-line", required_argument, NULL, OPT_MAX_LINE },
		{ "max-duration", required_argument, NULL, OPT_MAX_DURATION },
		{ "max-events", required_argument, NULL, OPT_MAX_EVENTS },
		{ "redact", no_argument, NULL, OPT_REDACT },
		{ "redact-pattern", required_argument, NULL,
		    OPT_REDACT_PATTERN },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:zan:qhV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'o':
			rc->output = optarg;
			break;
		case 'z':
			rc->gzip = 1;
			break;
		case 'a':
			rc->append = 1;
			break;
		case OPT_TEE:
			rc->tee = 1;
			break;
		case OPT_FSYNC:
			if (strcmp(optarg, "always") == 0)
				rc->fsync = FSYNC_ALWAYS;
			else if (strcmp(optarg, "interval") == 0)
				rc->fsync = FSYNC_INTERVAL;
			else if (strcmp(optarg, "never") == 0)
				rc->fsync = FSYNC_NEVER;
			else {
				pf_diag_usage("--fsync: '%s' is not always, "
				    "interval or never", optarg);
				return -1;
			}
			break;
		case OPT_RESTAMP:
			rc->restamp = 1;
			break;
		case 'n':
			rc->name = optarg;
			break;
		case OPT_TUTORIAL_URL:
			rc->tutorial_url = optarg;
			break;
		case OPT_SESSION_ID:
			if (*optarg == '\0') {
				pf_diag_usage("--session-id: empty id");
				return -1;
			}
			rc->session_id_opt = optarg;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "guided") != 0 &&
			    strcmp(optarg, "follow") != 0) {
				pf_diag_usage("--mode: '%s' is not guided or "
				    "follow", optarg);
				return -1;
			}
			rc->mode = optarg;
			break;
		case OPT_CONTINUE:
			rc->cont = 1;
			break;
		case OPT_NO_HEARTBEAT:
			rc->no_heartbeat = 1;
			break;
		case OPT_MAX_LINE:
			if (pf_num_size(optarg, 1, PF_MAX_LINE_LIMIT,
			    &rc->max_line, &err) < 0) {
				pf_diag_usage("--max-line: %s", err.msg);
				return -1;
			}
			break;
		case OPT_MAX_DURATION:
			if (pf_time_parse_duration(optarg, &rc->max_duration,
			    &err) < 0) {
				pf_diag_usage("--max-duration: %s", err.msg);
				return -1;
			}
			if (rc->max_duration == 0) {
				pf_diag_usage("--max-duration: must be more "
				    "than 0");
				return -1;
			}
			break;
		case OPT_MAX_EVENTS:
			if (pf_num_long(optarg, 1, LONG_MAX, &rc->max_events,
			    &err) < 0) {
				pf_diag_usage("--max-events: %s", err.msg);
				return -1;
			}
			break;
		case OPT_REDACT:
			rc->redact = 1;
			break;
		case OPT_REDACT_PATTERN:
			rc->redact = 1;
			if (pf_redact_add_pattern(rc->redactor, optarg,
			    &err) < 0) {
				pf_diag_usage("--redact-pattern: %s", err.msg);
				return -1;
			}
			break;
		case OPT_STRICT:
			rc->strict = 1;
			break;
		case 'q':
			rc->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("pf-record %s\n", PF_VERSION);
			return 1;
		default:
			return pf_diag_bad_option(ch, argv);
		}
	}
	if (optind < argc) {
		pf_diag_usage("unexpected argument '%s' (events come on "
		    "standard input)", argv[optind]);
		return -1;
	}
	if (rc->tee && strcmp(rc->output, "-") == 0) {
		pf_diag_usage("--tee needs --output FILE");
		return -1;
	}
	if (rc->append && strcmp(rc->output, "-") == 0) {
		pf_diag_usage("--append needs --output FILE");
		return -1;
	}
	{
		size_t len = strlen(rc->output);

		if (len > 3 && strcmp(rc->output + len - 3, ".gz") == 0)
			rc->gzip = 1;
	}
	return 0;
}

static void
install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a read must come back */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	/* A file size limit must be a write error, not a kill. */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * A tick every 100 ms: the interval fsync, --max-duration and the grace
 * of a stuck output after a stop signal need it, and it bounds the wait
 * of a signal that lands between the check of the flag and the read or
 * write that would block.  Started once the output is open: opening a
 * FIFO waits for its reader, and a tick would cut that wait short.
 */
static void
start_ticks(void)
{
	struct itimerval it;

	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 100000;
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * The copy of --tee, on its own non-blocking descriptor where it can be
 * (Linux reopens a pipe or a terminal through /proc), else on stdout made
 * non-blocking until the end: a reader that stops reading must not stop
 * the recording.  A regular file never blocks: it is written as it is.
 */
static struct pf_writer *
open_tee(struct record *rc, struct pf_err *err)
{
	struct stat st;
	int fd, fl;

	/* Only a stdout open for writing: a closed one stays an error. */
	fl = fcntl(1, F_GETFL);
	if (fl >= 0 && (fl & O_ACCMODE) != O_RDONLY && fstat(1, &st) == 0 &&
	    (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			return pf_writer_fdopen(fd, "<stdout>", PF_WRITER_EACH,
			    err);
	}
	if (fstat(1, &st) == 0 && !S_ISREG(st.st_mode) &&
	    (fl = fcntl(1, F_GETFL)) >= 0 && !(fl & O_NONBLOCK) &&
	    fcntl(1, F_SETFL, fl | O_NONBLOCK) == 0) {
		rc->stdout_flags = fl;
		rc->stdout_changed = 1;
	}
	return pf_writer_fdopen(1, "<stdout>", PF_WRITER_EACH, err);
}

/*
 * Whether to finish the output and put it at its place: always once it
 * holds an event; before that, only if that replaces nothing and nothing
 * failed (an empty run creates an empty recording but leaves an existing
 * one exactly as it was).  Otherwise it is abandoned.
 */
static int
keep_output(const struct record *rc, int status)
{
	struct stat st;

	if (rc->published || rc->append || strcmp(rc->output, "-") == 0)
		return 1;
	if (status == 2 || rc->io_failed)
		return 0;
	return stat(rc->output, &st) < 0 || !S_ISREG(st.st_mode);
}

/* 1 if the output is a regular file that is also the standard input. */
static int
output_is_stdin(const struct record *rc)
{
	struct stat st;

	return strcmp(rc->output, "-") != 0 && stat(rc->output, &st) == 0 &&
	    S_ISREG(st.st_mode) && pf_outfile_same_fd(rc->output, 0);
}

static void
summary(const struct record *rc)
{
	char dur[32];

	if (rc->quiet)
		return;
	pf_time_format_offset(rc->have_last_ts && rc->started ?
	    rc->last_ts - rc->first_ts : 0, dur, sizeof(dur));
	fprintf(stderr, "%s: %ld event%s, %s recorded, %ld line%s rejected",
	    pf_diag_prog(), rc->events, rc->events == 1 ? "" : "s", dur,
	    rc->rejected, rc->rejected == 1 ? "" : "s");
	if (rc->dropped)
		fprintf(stderr, ", %ld dropped", rc->dropped);
	fprintf(stderr, "\n");
}

int
main(int argc, char **argv)
{
	struct record rc;
	struct pf_reader *in = NULL;
	struct pf_line line;
	struct pf_err err;
	int status = 0, r, n;
	unsigned flags;

	pf_diag_init(argv[0]);
	memset(&rc, 0, sizeof(rc));
	rc.output = "-";
	rc.name = "Recorded session";
	rc.tutorial_url = "";
	rc.mode = "guided";
	rc.max_line = PF_MAX_LINE_DEFAULT;
	rc.redactor = pf_redact_new();
	rc.parser = pf_jv_parser_new();
	rc.reparser = pf_jv_parser_new();
	pf_buf_init(&rc.text);
	pf_buf_init(&rc.line);
	r = parse_args(&rc, argc, argv);
	if (r != 0) {
		status = r < 0 ? 2 : 0;
		goto out;
	}
	if (output_is_stdin(&rc)) {
		pf_diag_error("%s: the output is the same file as the standard "
		    "input", rc.output);
		status = 2;
		goto out;
	}
	/* Before the output exists: a signal from then on ends it cleanly. */
	install_handlers();
	if (rc.append && prepare_append(&rc) < 0) {
		status = 2;
		goto out;
	}
	flags = PF_WRITER_EACH | (rc.gzip ? PF_WRITER_GZIP : 0) |
	    (rc.append ? PF_WRITER_APPEND : 0);
	rc.out = pf_writer_open(rc.output, flags, &err);
	if (rc.out == NULL) {
		pf_diag_error("%s: %s", rc.output, err.msg);
		status = 2;
		goto out;
	}
	/* An output that takes nothing cannot keep a stop signal waiting. */
	pf_writer_set_interrupt(rc.out, &give_up_output);
	start_ticks();
	if (rc.tee)
		rc.tee_out = open_tee(&rc, &err);
	in = pf_reader_fdopen(0, "<stdin>", rc.max_line, &err);
	pf_reader_set_interrupt(in, &interrupted);
	rc.start_ns = pf_time_mono_ns();
	for (;;) {
		if (interrupted && on_interrupt(&rc))
			break;
		n = pf_reader_next(in, &line, &err);
		if (n == 0) {
			if (!rc.draining)
				rc.stop_reason = "end of input";
			break;
		}
		if (n < 0) {
			if (err.errnum == EINTR)
				continue;
			if (rc.draining && (err.errnum == EAGAIN ||
			    err.errnum == EWOULDBLOCK))
				break;	/* all that was sent is recorded */
			if (err.errnum == EAGAIN || err.errnum == EWOULDBLOCK) {
				/* A non-blocking input (shared, inherited, or
				 * after a session_end): wait for it; the tick or
				 * a signal ends the wait. */
				struct pollfd pfd = { 0, POLLIN, 0 };
				int ms = -1;

				if (rc.ending) {
					int64_t left = rc.end_deadline_ns -
					    pf_time_mono_ns();

					if (left <= 0)
						break;
					ms = (int)((left + 999999) / 1000000);
				}
				poll(&pfd, 1, ms);
				continue;
			}
			if (err.line)	/* a damaged gzip stream */
				pf_diag_error("<stdin>:%ld: %s", err.line,
				    err.msg);
			else
				pf_diag_error("<stdin>: %s", err.msg);
			status = 2;
			rc.stop_reason = "read error";
			break;
		}
		r = record_line(&rc, &line);
		if (r < 0)
			break;
		if (r == 0) {
			if (rc.strict && rc.rejected)
				rc.stop_reason = "stopped at a bad line "
				    "(--strict)";
			break;
		}
	}
	/* Only joins came, which wait for a session_start that never did. */
	if (!rc.started && rc.events > 0 && !rc.io_failed)
		write_session_start(&rc, rc.last_any_ts);
	if (rc.started && !rc.end_received && !rc.io_failed)
		write_session_end(&rc, rc.stop_reason ? rc.stop_reason :
		    "end of input");
	sync_if_due(&rc, 1);
	if (!keep_output(&rc, status))
		pf_writer_abort(rc.out);
	else if (pf_writer_close(rc.out, &err) < 0 && !rc.io_failed) {
		pf_diag_error("%s: %s", rc.output, err.msg);
		rc.io_failed = 1;
	}
	rc.out = NULL;
	if (rc.tee_out)
		pf_writer_close(rc.tee_out, NULL);
	rc.tee_out = NULL;
	if (rc.io_failed)
		status = 2;
	else if (status == 0 && rc.rejected)
		status = 1;
	summary(&rc);
out:
	if (rc.stdin_changed)
		fcntl(0, F_SETFL, rc.stdin_flags);
	if (rc.stdout_changed)
		fcntl(1, F_SETFL, rc.stdout_flags);
	pf_reader_free(in);
	pf_writer_abort(rc.out);
	pf_redact_free(rc.redactor);
	pf_jv_parser_free(rc.parser);
	pf_jv_parser_free(rc.reparser);
	pf_buf_release(&rc.text);
	pf_buf_release(&rc.line);
	free(rc.session_id);
	if (pf_diag_close_stdout(1) && status == 0)
		status = 2;
	return status;
}
