/*
 * pf_join: the attendee's side of a live session: PeerJS signalling, the
 * WebRTC offer, the challenge of the presenter's proof, heartbeats
 * answered, events handed on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <glib.h>
#include <gst/gst.h>

#include "pf_alloc.h"
#include "pf_binpack.h"
#include "pf_buf.h"
#include "pf_join.h"
#include "pf_jv.h"
#include "pf_p256.h"
#include "pf_peerjs.h"
#include "pf_rtc.h"
#include "pf_sha256.h"

/* A message PeerJS split in chunks may not be larger than this. */
#define MAX_MESSAGE (16 * 1024 * 1024)
/* nor have more pieces than this. */
#define MAX_CHUNKS 2048

struct pf_join {
	const struct pf_join_config *cfg;
	const struct pf_join_hooks *hooks;
	void *ctx;
	const struct pf_joincode *jc;
	struct pf_peerjs *peer;
	struct pf_rtc *rtc;
	char conn_id[16];
	unsigned char nonce[16];
	char *nonce_text;
	const char *stage;	/* what we wait for, for the timeout */
	int verified, finished;
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

/* Ends the join, once: tells ended with status and why (NULL for 0). */
static void
finish(struct pf_join *l, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finish(struct pf_join *l, int status, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (l->finished)
		return;
	l->finished = 1;
	remove_timer(&l->t_connect);
	remove_timer(&l->t_challenge);
	remove_timer(&l->t_silence);
	if (fmt) {
		va_start(ap, fmt);
		msg = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	l->hooks->ended(l->ctx, status, msg);
	g_free(msg);
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
send_json(struct pf_join *l)
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
	struct pf_join *l = data;

	l->t_connect = 0;
	finish(l, 2, "timed out after %ld s waiting for %s", l->cfg->timeout,
	    l->stage);
	return G_SOURCE_REMOVE;
}

static gboolean
challenge_timeout(gpointer data)
{
	struct pf_join *l = data;

	l->t_challenge = 0;
	finish(l, 2, "the presenter did not answer the identity challenge "
	    "within %d s", PF_JOIN_CHALLENGE_S);
	return G_SOURCE_REMOVE;
}

static gboolean
silence_timeout(gpointer data)
{
	struct pf_join *l = data;

	l->t_silence = 0;
	finish(l, 2, "lost the presenter: nothing heard for %d s "
	    "(no heartbeat)", PF_JOIN_SILENCE_S);
	return G_SOURCE_REMOVE;
}

static void
send_challenge(struct pf_join *l)
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
	l->t_challenge = g_timeout_add_seconds(PF_JOIN_CHALLENGE_S, challenge_timeout,
	    l);
}

static void
check_response(struct pf_join *l, const struct pf_jv *msg)
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
	ok = pf_p256_verify(l->jc->pubkey, l->jc->pubkey_len, l->nonce,
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
	pf_jv_dump_string(l->cfg->name, strlen(l->cfg->name), &l->json);
	pf_buf_adds(&l->json, ",\"mode\":");
	pf_jv_dump_string(l->cfg->mode, strlen(l->cfg->mode), &l->json);
	pf_buf_addf(&l->json, ",\"timestamp\":%" G_GINT64_FORMAT "}",
	    g_get_real_time() / 1000);
	send_json(l);
	l->t_silence = g_timeout_add_seconds(PF_JOIN_SILENCE_S, silence_timeout, l);
}

static void
echo_heartbeat(struct pf_join *l, const struct pf_jv *msg)
{
	const struct pf_jv *sent = pf_jv_get(msg, "sentAt");

	pf_buf_reset(&l->json);
	pf_buf_adds(&l->json, "{\"type\":\"heartbeat\",\"sessionId\":");
	pf_jv_dump_string(l->jc->id, strlen(l->jc->id), &l->json);
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
handle_message(struct pf_join *l, const unsigned char *p, size_t n)
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
	l->t_silence = g_timeout_add_seconds(PF_JOIN_SILENCE_S, silence_timeout, l);
	if (l->hooks->event(l->ctx, line.data, line.len) < 0) {
		l->finished = 1;	/* the caller has said why */
		goto out;
	}
	if (!type)
		goto out;
	if (strcmp(type, "heartbeat") == 0) {
		echo_heartbeat(l, msg);
	} else if (strcmp(type, "session_end") == 0) {
		finish(l, 0, NULL);
	}
out:
	pf_buf_release(&line);
}

static void
on_rtc(void *ctx, const struct pf_rtc_event *ev)
{
	struct pf_join *l = ctx;
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
		if (pf_peerjs_send(l->peer, "OFFER", l->jc->id, pf_buf_str(&b),
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
		pf_peerjs_send(l->peer, "CANDIDATE", l->jc->id, pf_buf_str(&b),
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
	struct pf_join *l = ctx;
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
		if (!ev->src || strcmp(ev->src, l->jc->id) != 0 || !l->rtc)
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
		if (!ev->src || strcmp(ev->src, l->jc->id) != 0 || !l->rtc)
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
		if (ev->src && strcmp(ev->src, l->jc->id) == 0 && !l->verified)
			finish(l, 2, "the presenter '%s' is not on the PeerJS "
			    "server at %s: has the session ended?", l->jc->id,
			    l->cfg->server);
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

struct pf_join *
pf_join_new(const struct pf_join_config *cfg,
    const struct pf_join_hooks *hooks, void *ctx, struct pf_err *err)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct pf_join *l;
	size_t i;

	if (pf_rtc_available(err) < 0)
		return NULL;
	l = pf_xcalloc(1, sizeof(*l));
	l->cfg = cfg;
	l->hooks = hooks;
	l->ctx = ctx;
	l->jc = cfg->code;
	memcpy(l->conn_id, "dc_", 3);
	for (i = 3; i < 13; i++)
		l->conn_id[i] = digits[g_random_int_range(0, 36)];
	l->peer = pf_peerjs_new(cfg->server, cfg->key, NULL, on_peer, l, err);
	if (!l->peer) {
		free(l);
		return NULL;
	}
	l->parser = pf_jv_parser_new();
	return l;
}

void
pf_join_start(struct pf_join *l)
{
	l->stage = "the PeerJS server";
	l->t_connect = g_timeout_add_seconds((guint)l->cfg->timeout,
	    connect_timeout, l);
	pf_peerjs_start(l->peer);
}

void
pf_join_free(struct pf_join *l)
{
	if (l == NULL)
		return;
	remove_timer(&l->t_connect);
	remove_timer(&l->t_challenge);
	remove_timer(&l->t_silence);
	pf_rtc_free(l->rtc);
	pf_peerjs_free(l->peer);
	pf_binpack_parts_release(&l->parts);
	pf_buf_release(&l->whole);
	pf_jv_parser_free(l->parser);
	pf_buf_release(&l->json);
	pf_buf_release(&l->packed);
	free(l->nonce_text);
	free(l);
}
