/*
 * pf-live: join a real Pathfinder live session and write its events as
 * JSON lines, or host one and present the events read on stdin.
 * Signalling through lib/pf_peerjs, the data channel through lib/pf_rtc
 * (webrtcbin), the presenter's proof through lib/pf_p256, the presenter's
 * side of the session through lib/pf_host.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include "pf_binpack.h"
#include "pf_buf.h"
#include "pf_diag.h"
#include "pf_err.h"
#include "pf_event.h"
#include "pf_host.h"
#include "pf_joincode.h"
#include "pf_jv.h"
#include "pf_num.h"
#include "pf_outfile.h"
#include "pf_writer.h"
#include "pf_p256.h"
#include "pf_qr.h"
#include "pf_sha256.h"
#include "pf_peerjs.h"
#include "pf_rtc.h"
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
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"CODE is the join code the presenter shares; URL a join URL (?session=).\n"
"host prints its join code and URL on stderr; the session's name and URL\n"
"come from --name and --url, else from the input's session_start.\n"
"Exit status: 0 the session ended, 2 usage, no session, the presenter\n"
"failed its identity check, timeout, the presenter was lost, or the\n"
"host could not register or write.\n";

/* Seconds the presenter has to answer the challenge (the app's 10 s). */
#define CHALLENGE_S 10
/* Seconds of silence after which the presenter is lost (the app's 30 s). */
#define SILENCE_S 30
/* A message PeerJS split in chunks may not be larger than this. */
#define MAX_MESSAGE (16 * 1024 * 1024)
/* nor have more pieces than this. */
#define MAX_CHUNKS 2048

struct live {
	const char *server, *key, *name, *mode;
	long timeout;
	struct pf_joincode jc;
	GMainLoop *loop;
	struct pf_peerjs *peer;
	struct pf_rtc *rtc;
	char conn_id[16];
	unsigned char nonce[16];
	char *nonce_text;
	const char *stage;	/* what we wait for, for the timeout */
	int verified, ended, finished, status;
	guint t_connect, t_challenge, t_silence;
	struct pf_jv_parser *parser;
	struct pf_buf json, packed;
	struct pf_binpack_parts parts;	/* a message PeerJS split */
	struct pf_buf whole;
};

static void
remove_timer(guint *t)
{
	if (*t) {
		g_source_remove(*t);
		*t = 0;
	}
}

/* Ends the run with status; for 2, prints the one line saying why. */
static void
finish(struct live *l, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finish(struct live *l, int status, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (l->finished)
		return;
	l->finished = 1;
	l->status = status;
	if (fmt) {
		va_start(ap, fmt);
		msg = g_strdup_vprintf(fmt, ap);
		va_end(ap);
		pf_diag_error("%s", msg);
		g_free(msg);
	}
	g_main_loop_quit(l->loop);
}

/* Decodes base64url (padding optional) into exactly n bytes at out. */
static int
unbase64url(const char *s, unsigned char *out, size_t n)
{
	struct pf_buf b = PF_BUF_INIT;
	int ok = pf_unbase64(s, strlen(s), 1, &b) == 0 && b.len == n;

	if (ok)
		memcpy(out, b.data, n);
	pf_buf_release(&b);
	return ok ? 0 : -1;
}

/* Packs the JSON text in l->json as BinaryPack and sends it. */
static void
send_json(struct live *l)
{
	const struct pf_jv *v;
	enum pf_json_fault fault;
	struct pf_err err;

	v = pf_jv_parse(l->parser, pf_buf_str(&l->json), l->json.len, 0,
	    &fault, &err);
	if (!v) {
		finish(l, 2, "internal error: %s", err.msg);
		return;
	}
	pf_buf_reset(&l->packed);
	pf_binpack_from_jv(v, &l->packed);
	if (pf_rtc_send(l->rtc, l->packed.data, l->packed.len, &err) < 0)
		finish(l, 2, "lost the presenter: %s", err.msg);
}

static gboolean
connect_timeout(gpointer data)
{
	struct live *l = data;

	l->t_connect = 0;
	finish(l, 2, "timed out after %ld s waiting for %s", l->timeout,
	    l->stage);
	return G_SOURCE_REMOVE;
}

static gboolean
challenge_timeout(gpointer data)
{
	struct live *l = data;

	l->t_challenge = 0;
	finish(l, 2, "the presenter did not answer the identity challenge "
	    "within %d s", CHALLENGE_S);
	return G_SOURCE_REMOVE;
}

static gboolean
silence_timeout(gpointer data)
{
	struct live *l = data;

	l->t_silence = 0;
	finish(l, 2, "lost the presenter: nothing heard for %d s "
	    "(no heartbeat)", SILENCE_S);
	return G_SOURCE_REMOVE;
}

static void
send_challenge(struct live *l)
{
	if (getrandom(l->nonce, sizeof(l->nonce), 0) !=
	    (ssize_t)sizeof(l->nonce)) {
		finish(l, 2, "no random bytes for the challenge: %s",
		    strerror(errno));
		return;
	}
	{
		struct pf_buf b = PF_BUF_INIT;

		pf_base64url(l->nonce, sizeof(l->nonce), &b);
		l->nonce_text = pf_buf_detach(&b, NULL);
	}
	pf_buf_reset(&l->json);
	pf_buf_addf(&l->json, "{\"type\":\"presenter_challenge\","
	    "\"nonce\":\"%s\"}", l->nonce_text);
	send_json(l);
	l->stage = "the presenter's proof of identity";
	l->t_challenge = g_timeout_add_seconds(CHALLENGE_S, challenge_timeout,
	    l);
}

static void
check_response(struct live *l, const struct pf_jv *msg)
{
	unsigned char sig[PF_P256_SIG_LEN];
	const char *s = pf_jv_str(pf_jv_get(msg, "signature"));
	struct pf_err err;
	int ok;

	remove_timer(&l->t_challenge);
	if (!s || unbase64url(s, sig, sizeof(sig)) < 0) {
		finish(l, 2, "the presenter failed its identity check: its "
		    "signature is not 64 bytes of base64url");
		return;
	}
	ok = pf_p256_verify(l->jc.pubkey, l->jc.pubkey_len, l->nonce,
	    sizeof(l->nonce), sig, &err);
	if (ok < 0) {
		finish(l, 2, "the join code's key is unusable: %s", err.msg);
		return;
	}
	if (!ok) {
		finish(l, 2, "the presenter failed its identity check: its "
		    "signature does not match the join code's key (a forged "
		    "presenter, or a code from another session)");
		return;
	}
	l->verified = 1;
	remove_timer(&l->t_connect);
	pf_buf_reset(&l->json);
	pf_buf_adds(&l->json, "{\"type\":\"attendee_join\",\"name\":");
	pf_jv_dump_string(l->name, strlen(l->name), &l->json);
	pf_buf_adds(&l->json, ",\"mode\":");
	pf_jv_dump_string(l->mode, strlen(l->mode), &l->json);
	pf_buf_addf(&l->json, ",\"timestamp\":%" G_GINT64_FORMAT "}",
	    g_get_real_time() / 1000);
	send_json(l);
	l->t_silence = g_timeout_add_seconds(SILENCE_S, silence_timeout, l);
}

static void
echo_heartbeat(struct live *l, const struct pf_jv *msg)
{
	const struct pf_jv *sent = pf_jv_get(msg, "sentAt");

	pf_buf_reset(&l->json);
	pf_buf_adds(&l->json, "{\"type\":\"heartbeat\",\"sessionId\":");
	pf_jv_dump_string(l->jc.id, strlen(l->jc.id), &l->json);
	pf_buf_addf(&l->json, ",\"timestamp\":%" G_GINT64_FORMAT
	    ",\"senderId\":\"attendee\",\"sentAt\":",
	    g_get_real_time() / 1000);
	if (sent)
		pf_jv_dump(sent, &l->json);
	else
		pf_buf_adds(&l->json, "null");
	pf_buf_addc(&l->json, '}');
	send_json(l);
}

/* One whole message from the presenter, packed. */
static void
handle_message(struct live *l, const unsigned char *p, size_t n)
{
	struct pf_buf line = PF_BUF_INIT;
	const struct pf_jv *msg;
	const char *type;
	enum pf_json_fault fault;
	struct pf_err err;

	if (pf_binpack_to_json(p, n, &line, &err) < 0) {
		finish(l, 2, "the presenter sent a message that is not "
		    "BinaryPack: %s", err.msg);
		goto out;
	}
	msg = pf_jv_parse(l->parser, pf_buf_str(&line), line.len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, &err);
	type = msg && msg->type == PF_JV_OBJECT ?
	    pf_jv_str(pf_jv_get(msg, "type")) : NULL;
	if (!l->verified) {
		/* As the app: nothing counts before the proof. */
		if (type && strcmp(type, "presenter_response") == 0)
			check_response(l, msg);
		goto out;
	}
	remove_timer(&l->t_silence);
	l->t_silence = g_timeout_add_seconds(SILENCE_S, silence_timeout, l);
	pf_buf_addc(&line, '\n');
	if (fwrite(line.data, 1, line.len, stdout) != line.len ||
	    fflush(stdout) != 0) {
		finish(l, 2, "<stdout>: write error: %s", strerror(errno));
		goto out;
	}
	if (!type)
		goto out;
	if (strcmp(type, "heartbeat") == 0) {
		echo_heartbeat(l, msg);
	} else if (strcmp(type, "session_end") == 0) {
		l->ended = 1;
		finish(l, 0, NULL);
	}
out:
	pf_buf_release(&line);
}

static void
on_rtc(void *ctx, const struct pf_rtc_event *ev)
{
	struct live *l = ctx;
	struct pf_buf b = PF_BUF_INIT;
	struct pf_binpack_chunk c;
	struct pf_err err;
	int r;

	if (l->finished)
		return;
	switch (ev->kind) {
	case PF_RTC_OFFER:
		pf_buf_adds(&b, "{\"sdp\":{\"type\":\"offer\",\"sdp\":");
		pf_jv_dump_string(ev->text, strlen(ev->text), &b);
		pf_buf_addf(&b, "},\"type\":\"data\",\"connectionId\":\"%s\","
		    "\"label\":\"%s\",\"reliable\":true,"
		    "\"serialization\":\"default\"}", l->conn_id, l->conn_id);
		if (pf_peerjs_send(l->peer, "OFFER", l->jc.id, pf_buf_str(&b),
		    &err) < 0)
			finish(l, 2, "cannot reach the presenter: %s", err.msg);
		l->stage = "the presenter to answer";
		break;
	case PF_RTC_CANDIDATE:
		if (!*ev->text)
			break;
		pf_buf_adds(&b, "{\"candidate\":{\"candidate\":");
		pf_jv_dump_string(ev->text, strlen(ev->text), &b);
		pf_buf_addf(&b, ",\"sdpMLineIndex\":%u},\"type\":\"data\","
		    "\"connectionId\":\"%s\"}", ev->mline, l->conn_id);
		/* Lost signalling only matters if the channel never opens. */
		pf_peerjs_send(l->peer, "CANDIDATE", l->jc.id, pf_buf_str(&b),
		    &err);
		break;
	case PF_RTC_ANSWER:
		break;		/* we offer: the answer is the presenter's */
	case PF_RTC_OPEN:
		send_challenge(l);
		break;
	case PF_RTC_MESSAGE:
		r = pf_binpack_chunk(ev->data, ev->len, &c, &err);
		if (r == 0) {
			handle_message(l, ev->data, ev->len);
			break;
		}
		if (r == 2) {	/* PeerJS's close message */
			finish(l, 2, "lost the presenter: it closed the "
			    "connection");
			break;
		}
		if (r == 1)	/* a piece: 1 when the message is whole */
			r = pf_binpack_parts_take(&l->parts, &c, MAX_CHUNKS,
			    MAX_MESSAGE, &l->whole, &err);
		if (r < 0)
			finish(l, 2, "the presenter sent a bad message: %s",
			    err.msg);
		else if (r == 1)
			handle_message(l, (const unsigned char *)l->whole.data,
			    l->whole.len);
		break;
	case PF_RTC_CLOSED:
		if (l->verified)
			finish(l, 2, "lost the presenter: %s", ev->text);
		else
			finish(l, 2, "the connection to the presenter failed "
			    "before it proved its identity: %s", ev->text);
		break;
	}
	pf_buf_release(&b);
}

static void
on_peer(void *ctx, const struct pf_peerjs_event *ev)
{
	struct live *l = ctx;
	const struct pf_jv *v;
	struct pf_err err;
	const char *s;

	if (l->finished)
		return;
	switch (ev->kind) {
	case PF_PEERJS_OPEN:
		l->rtc = pf_rtc_new(l->conn_id, 1, on_rtc, l, &err);
		if (!l->rtc)
			finish(l, 2, "%s", err.msg);
		l->stage = "WebRTC to make an offer";
		break;
	case PF_PEERJS_ANSWER:
		if (!ev->src || strcmp(ev->src, l->jc.id) != 0 || !l->rtc)
			break;
		s = pf_jv_str(pf_jv_get(ev->payload, "connectionId"));
		if (!s || strcmp(s, l->conn_id) != 0)
			break;
		v = pf_jv_get(ev->payload, "sdp");
		s = v ? pf_jv_str(pf_jv_get(v, "sdp")) : NULL;
		if (!s || pf_rtc_set_answer(l->rtc, s, &err) < 0)
			finish(l, 2, "the presenter's answer is not SDP");
		l->stage = "the data channel to open";
		break;
	case PF_PEERJS_CANDIDATE:
		if (!ev->src || strcmp(ev->src, l->jc.id) != 0 || !l->rtc)
			break;
		v = pf_jv_get(ev->payload, "candidate");
		s = v ? pf_jv_str(pf_jv_get(v, "candidate")) : NULL;
		if (s && *s) {
			const struct pf_jv *m = pf_jv_get(v, "sdpMLineIndex");

			pf_rtc_add_candidate(l->rtc, m && m->type ==
			    PF_JV_INTEGER && m->u.i >= 0 ? (unsigned)m->u.i :
			    0, s);
		}
		break;
	case PF_PEERJS_EXPIRE:
		if (ev->src && strcmp(ev->src, l->jc.id) == 0 && !l->verified)
			finish(l, 2, "the presenter '%s' is not on the PeerJS "
			    "server at %s: has the session ended?", l->jc.id,
			    l->server);
		break;
	case PF_PEERJS_FAILED:
		finish(l, 2, "%s", ev->text);
		break;
	case PF_PEERJS_CLOSED:
		/* A running data channel does not need the server. */
		if (!l->verified)
			finish(l, 2, "%s", ev->text);
		break;
	default:
		break;
	}
}

static int
join(struct live *l, const char *code)
{
	struct pf_err err;
	GstElementFactory *f;
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	size_t i;

	if (pf_joincode_parse(code, &l->jc, &err) < 0) {
		pf_diag_error("not a join code or join URL: %s", err.msg);
		return 2;
	}
	if (l->jc.pubkey_len == 0) {
		pf_diag_error("the join code carries no presenter key, so the "
		    "presenter cannot be checked (codes from app 2.3.6 and "
		    "later have one)");
		return 2;
	}
	f = gst_element_factory_find("webrtcbin");
	if (!f) {
		pf_diag_error("GStreamer has no webrtcbin: install "
		    "gstreamer1.0-plugins-bad and gstreamer1.0-nice");
		return 2;
	}
	gst_object_unref(f);
	memcpy(l->conn_id, "dc_", 3);
	for (i = 3; i < 13; i++)
		l->conn_id[i] = digits[g_random_int_range(0, 36)];
	l->peer = pf_peerjs_new(l->server, l->key, NULL, on_peer, l, &err);
	if (!l->peer) {
		pf_diag_usage("--server: %s", err.msg);
		return 2;
	}
	l->loop = g_main_loop_new(NULL, FALSE);
	l->stage = "the PeerJS server";
	l->t_connect = g_timeout_add_seconds((guint)l->timeout,
	    connect_timeout, l);
	pf_peerjs_start(l->peer);
	g_main_loop_run(l->loop);
	return l->status;
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
	/* pacing: the first event's timestamp, and when it was sent */
	int paced;
	int64_t t0;
	gint64 w0;
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
	struct pf_err err;
	gint64 now, at;

	ev = pf_jv_parse(hs->parser, p, n, PF_JSON_ALLOW_DUPLICATES, &fault,
	    &err);
	if (!ev || ev->type != PF_JV_OBJECT) {
		pf_diag_warn_at("<stdin>", hs->lineno, "passed over: %s",
		    ev ? "not a JSON object" : err.msg);
		return 0;
	}
	ts = pf_jv_get(ev, "timestamp");
	if (paced(ev) && pf_jv_is(ts, PF_JV_INTEGER)) {
		now = g_get_monotonic_time();
		if (!hs->paced) {
			hs->paced = 1;
			hs->t0 = ts->u.i;
			hs->w0 = now;
		} else if (ts->u.i > hs->t0) {
			/* Never earlier than the first event's pace allows. */
			at = hs->w0 + (ts->u.i - hs->t0 > INT64_MAX / 1000 ?
			    INT64_MAX / 2 : (ts->u.i - hs->t0) * 1000);
			if (at > now) {
				hs->lineno--;	/* read again when due */
				hs->t_due = g_timeout_add((guint)MIN((at - now +
				    999) / 1000, G_MAXUINT / 2), due, hs);
				return 1;
			}
		}
	}
	if (pf_host_present(hs->host, ev, p, n) == 2) {
		host_end(hs, 0);
		return 1;
	}
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
		if (nl)
			n = (size_t)(nl - start);
		if (hs->peeking && (hs->skipping || !peek_line(hs, start, n))) {
			end_peek(hs);
			break;	/* the line waits for the session */
		}
		hs->lineno++;
		if (hs->peeking) {
			;	/* a session_start, taken */
		} else if (hs->skipping) {
			hs->skipping = 0;
		} else if (n > 0 && present_line(hs, start, n)) {
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
host(struct live *l, struct hosting *hs, struct pf_host_config *cfg)
{
	static const struct pf_host_hooks hooks = {
		on_host_ready, on_host_line, on_host_notice,
		on_host_attendees, on_host_failed, on_host_ended
	};
	struct pf_err err;
	GstElementFactory *f;

	f = gst_element_factory_find("webrtcbin");
	if (!f) {
		pf_diag_error("GStreamer has no webrtcbin: install "
		    "gstreamer1.0-plugins-bad and gstreamer1.0-nice");
		return 2;
	}
	gst_object_unref(f);
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
	l->loop = hs->loop;
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
	enum { OPT_ID = 256, OPT_URL, OPT_GRAFANA, OPT_WAIT_FOR, OPT_RECORD,
	    OPT_MAX_QUEUE };
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct live l;
	struct hosting hs;
	struct pf_host_config cfg;
	struct pf_err err;
	const char *name = NULL, *join_only = NULL, *host_only = NULL;
	size_t max_queue = 1024 * 1024;
	int ch, status = 0, hosting;

	pf_diag_init(argv[0]);
	memset(&l, 0, sizeof(l));
	memset(&hs, 0, sizeof(hs));
	memset(&cfg, 0, sizeof(cfg));
	l.server = "http://localhost:9000/pathfinder";
	l.key = "pathfinder";
	l.mode = "guided";
	l.timeout = 30;
	hs.grafana = "http://localhost:3000";
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			l.server = optarg;
			break;
		case 'k':
			l.key = optarg;
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
			l.mode = optarg;
			join_only = "--mode";
			break;
		case 't':
			if (pf_num_long(optarg, 1, 86400, &l.timeout,
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
		cfg.server = l.server;
		cfg.key = l.key;
		cfg.name = name;
		cfg.fixed_config = name != NULL || cfg.url != NULL;
		cfg.max_queue = max_queue;
		hs.timeout = l.timeout;
		status = host(&l, &hs, &cfg);
		if (hs.loop)
			g_main_loop_unref(hs.loop);
		return status;
	}
	l.name = name ? name : "pf-live";
	l.parser = pf_jv_parser_new();
	status = join(&l, argv[optind + 1]);
	remove_timer(&l.t_connect);
	remove_timer(&l.t_challenge);
	remove_timer(&l.t_silence);
	pf_rtc_free(l.rtc);
	pf_peerjs_free(l.peer);
	if (l.loop)
		g_main_loop_unref(l.loop);
	pf_binpack_parts_release(&l.parts);
	pf_buf_release(&l.whole);
	pf_jv_parser_free(l.parser);
	pf_buf_release(&l.json);
	pf_buf_release(&l.packed);
	free(l.nonce_text);
	pf_joincode_release(&l.jc);
	if (pf_diag_close_stdout(1) < 0)
		status = 2;
	return status;
}
