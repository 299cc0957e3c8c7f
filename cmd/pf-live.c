/*
 * pf-live: join a real Pathfinder live session and write its events as
 * JSON lines.  Signalling through lib/pf_peerjs, the data channel through
 * lib/pf_rtc (webrtcbin), the presenter's proof through lib/pf_p256.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <glib.h>
#include <gst/gst.h>

#include "pf_binpack.h"
#include "pf_buf.h"
#include "pf_diag.h"
#include "pf_err.h"
#include "pf_joincode.h"
#include "pf_jv.h"
#include "pf_num.h"
#include "pf_p256.h"
#include "pf_sha256.h"
#include "pf_peerjs.h"
#include "pf_rtc.h"
#include "pf_version.h"

static const char usage_text[] =
"Usage: pf-live [OPTIONS] join CODE|URL\n"
"Join a Pathfinder live session and write its events as JSON lines.\n"
"\n"
"Options:\n"
"      --server URL         the PeerJS server (default\n"
"                           http://localhost:9000/pathfinder)\n"
"      --key KEY            the PeerJS server's key (default pathfinder)\n"
"      --name NAME          the name the presenter sees (default pf-live)\n"
"      --mode MODE          guided or follow (default guided)\n"
"      --timeout SECONDS    give up when not in the session by then\n"
"                           (default 30)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"CODE is the join code the presenter shares; URL a join URL (?session=).\n"
"Exit status: 0 the session ended, 2 usage, no session, the presenter\n"
"failed its identity check, timeout, or the presenter was lost.\n";

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
	/* the message being reassembled from chunks */
	int64_t chunk_id;
	int64_t chunk_total, chunk_seen;
	size_t chunk_bytes;
	GBytes **chunks;
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
		finish(l, 2, "write error: %s", strerror(errno));
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
drop_chunks(struct live *l)
{
	int64_t i;

	for (i = 0; l->chunks && i < l->chunk_total; i++)
		if (l->chunks[i])
			g_bytes_unref(l->chunks[i]);
	g_free(l->chunks);
	l->chunks = NULL;
	l->chunk_total = l->chunk_seen = 0;
	l->chunk_bytes = 0;
}

static void
take_chunk(struct live *l, const struct pf_binpack_chunk *c)
{
	struct pf_buf whole = PF_BUF_INIT;
	int64_t i;
	gsize n;
	const void *d;

	if (c->total > MAX_CHUNKS) {
		finish(l, 2, "the presenter sent a message in %" G_GINT64_FORMAT
		    " pieces, over the limit of %d", c->total, MAX_CHUNKS);
		return;
	}
	if (!l->chunks || l->chunk_id != c->id || l->chunk_total != c->total) {
		drop_chunks(l);
		l->chunk_id = c->id;
		l->chunk_total = c->total;
		l->chunks = g_new0(GBytes *, c->total);
	}
	if (l->chunks[c->index])
		return;
	l->chunk_bytes += c->len;
	if (l->chunk_bytes > MAX_MESSAGE) {
		finish(l, 2, "the presenter sent a message over %d bytes",
		    MAX_MESSAGE);
		return;
	}
	l->chunks[c->index] = g_bytes_new(c->data, c->len);
	if (++l->chunk_seen < l->chunk_total)
		return;
	for (i = 0; i < l->chunk_total; i++) {
		d = g_bytes_get_data(l->chunks[i], &n);
		pf_buf_add(&whole, d, n);
	}
	drop_chunks(l);
	handle_message(l, (const unsigned char *)whole.data, whole.len);
	pf_buf_release(&whole);
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
	case PF_RTC_OPEN:
		send_challenge(l);
		break;
	case PF_RTC_MESSAGE:
		r = pf_binpack_chunk(ev->data, ev->len, &c, &err);
		if (r < 0)
			finish(l, 2, "the presenter sent a bad message: %s",
			    err.msg);
		else if (r == 1)
			take_chunk(l, &c);
		else if (r == 2)
			finish(l, 2, "lost the presenter: it closed the "
			    "connection");
		else
			handle_message(l, ev->data, ev->len);
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct live l;
	struct pf_err err;
	int ch, status = 0;

	pf_diag_init(argv[0]);
	memset(&l, 0, sizeof(l));
	l.server = "http://localhost:9000/pathfinder";
	l.key = "pathfinder";
	l.name = "pf-live";
	l.mode = "guided";
	l.timeout = 30;
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
			l.name = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "guided") != 0 &&
			    strcmp(optarg, "follow") != 0) {
				pf_diag_usage("--mode: '%s' is not guided or "
				    "follow", optarg);
				return 2;
			}
			l.mode = optarg;
			break;
		case 't':
			if (pf_num_long(optarg, 1, 86400, &l.timeout,
			    &err) < 0) {
				pf_diag_usage("--timeout: %s (seconds)", err.msg);
				return 2;
			}
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
		pf_diag_usage("no command (join)");
		return 2;
	}
	if (strcmp(argv[optind], "join") != 0) {
		pf_diag_usage("unknown command '%s' (join)", argv[optind]);
		return 2;
	}
	if (argc - optind != 2) {
		pf_diag_usage("join: give one join code or join URL");
		return 2;
	}
	gst_init(NULL, NULL);
	l.parser = pf_jv_parser_new();
	status = join(&l, argv[optind + 1]);
	remove_timer(&l.t_connect);
	remove_timer(&l.t_challenge);
	remove_timer(&l.t_silence);
	pf_rtc_free(l.rtc);
	pf_peerjs_free(l.peer);
	if (l.loop)
		g_main_loop_unref(l.loop);
	drop_chunks(&l);
	pf_jv_parser_free(l.parser);
	pf_buf_release(&l.json);
	pf_buf_release(&l.packed);
	free(l.nonce_text);
	pf_joincode_release(&l.jc);
	if (pf_diag_close_stdout(1) < 0)
		status = 2;
	return status;
}
