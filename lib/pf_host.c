/*
 * pf_host.c: the presenter's side of a live session: attendees, their
 * handshakes, heartbeats, broadcast and the end, over pf_peerjs and pf_rtc.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pf_alloc.h"
#include "pf_binpack.h"
#include "pf_buf.h"
#include "pf_event.h"
#include "pf_host.h"
#include "pf_joincode.h"
#include "pf_jv.h"
#include "pf_p256.h"
#include "pf_peerjs.h"
#include "pf_rtc.h"
#include "pf_sha256.h"

/* An attendee's message may not be larger than this, nor in more pieces. */
#define MAX_MESSAGE (64 * 1024)
#define MAX_PIECES 8
/* The app's limit on a challenge's nonce (characters). */
#define MAX_NONCE 128
/* How long pf_host_end waits for attendees to hang up. */
#define END_WAIT_MS 3000
/* How long a closed connection lives on, to tell its peer it is closed. */
#define CLOSE_MS 1000

struct attendee {
	struct pf_host *h;
	char *peer;		/* its PeerJS id, the pfPeer of its messages */
	char *conn_id;		/* PeerJS's connectionId */
	struct pf_rtc *rtc;
	int challenged, joined, gone;
	guint t_join;
	struct pf_binpack_parts parts;
	struct attendee *next;
};

struct pf_host {
	struct pf_host_config cfg;
	char *name, *url;
	const struct pf_host_hooks *hooks;
	void *ctx;
	struct pf_peerjs *peer;
	struct pf_p256_key *key;
	char *code;
	struct attendee *list;
	int joined, ready, ending;
	gint64 end_by;		/* monotonic ms: pf_host_end waits no longer */
	int64_t chunk_id;	/* numbers split messages, as PeerJS's chunker */
	guint t_heartbeat, t_end, t_reap;
	struct attendee *dead;	/* closed, to be freed outside callbacks */
	struct pf_jv_parser *parser;
	struct pf_buf json, packed, piece, whole, event;
};

/* Removes the timer or idle source *t, if any, and forgets it. */
static void
remove_timer(guint *t)
{
	if (*t) {
		g_source_remove(*t);
		*t = 0;
	}
}

static int64_t
now_ms(void)
{
	return g_get_real_time() / 1000;
}

static void notice(struct pf_host *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
notice(struct pf_host *h, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	h->hooks->notice(h->ctx, msg);
	g_free(msg);
}

/* Gives the JSON text in h->json to the line hook. */
static void
record(struct pf_host *h)
{
	h->hooks->line(h->ctx, h->json.data, h->json.len);
}

/* --- attendees ------------------------------------------------------------ */

static gboolean
reap(gpointer data)
{
	struct pf_host *h = data;
	struct attendee *a;

	h->t_reap = 0;
	while ((a = h->dead)) {
		h->dead = a->next;
		pf_rtc_free(a->rtc);
		pf_binpack_parts_release(&a->parts);
		free(a->peer);
		free(a->conn_id);
		free(a);
	}
	return G_SOURCE_REMOVE;
}

static void
unlink_attendee(struct pf_host *h, struct attendee *a)
{
	struct attendee **pp;

	for (pp = &h->list; *pp; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
}

/*
 * Closes a's connection: it leaves the list now, its channel is closed,
 * and it is freed from the main loop a moment later (this may run inside
 * one of its own callbacks, and the close must reach the peer).  why, if
 * not NULL, is told.
 */
static void
drop(struct attendee *a, const char *why)
{
	struct pf_host *h = a->h;

	if (a->gone)
		return;
	a->gone = 1;
	remove_timer(&a->t_join);
	unlink_attendee(h, a);
	pf_rtc_close(a->rtc);
	a->next = h->dead;
	h->dead = a;
	if (!h->t_reap)
		h->t_reap = g_timeout_add(CLOSE_MS, reap, h);
	if (a->joined) {
		h->joined--;
		if (why)
			notice(h, "closed attendee %s: %s; %d in the session",
			    a->peer, why, h->joined);
		if (h->hooks->attendees)
			h->hooks->attendees(h->ctx, h->joined);
	} else if (why) {
		notice(h, "closed connection %s: %s", a->peer, why);
	}
}

/* a is out of the session: it said so (how NULL) or hung up (how says). */
static void
leave(struct attendee *a, const char *how)
{
	struct pf_host *h = a->h;

	if (a->joined) {
		a->joined = 0;
		h->joined--;
		if (h->ending)
			;	/* hanging up is what it should do now */
		else if (how)
			notice(h, "attendee %s left (%s); %d in the session",
			    a->peer, how, h->joined);
		else
			notice(h, "attendee %s left; %d in the session",
			    a->peer, h->joined);
		if (h->hooks->attendees)
			h->hooks->attendees(h->ctx, h->joined);
	}
	drop(a, NULL);
}

static struct attendee *
find(struct pf_host *h, const char *peer, const char *conn_id)
{
	struct attendee *a;

	for (a = h->list; a; a = a->next)
		if (strcmp(a->peer, peer) == 0 &&
		    strcmp(a->conn_id, conn_id) == 0)
			return a;
	return NULL;
}

/*
 * Sends the packed message in h->packed to a, in PeerJS's chunks when it
 * is long.  An attendee whose queue passes max_queue is dropped: it has
 * stopped taking what it is sent, and must not hold the others up.
 */
static void
send_packed(struct attendee *a)
{
	struct pf_host *h = a->h;
	const char *p = h->packed.data;
	size_t n = h->packed.len, off, len;
	int64_t total, i;
	struct pf_err err;
	int r = 0;

	if (a->gone)
		return;
	if (n <= PF_BINPACK_CHUNK_MTU) {
		r = pf_rtc_send(a->rtc, p, n, &err);
	} else {
		total = (int64_t)((n + PF_BINPACK_CHUNK_MTU - 1) /
		    PF_BINPACK_CHUNK_MTU);
		h->chunk_id++;
		for (i = 0, off = 0; r == 0 && i < total; i++, off += len) {
			len = n - off < PF_BINPACK_CHUNK_MTU ? n - off :
			    PF_BINPACK_CHUNK_MTU;
			pf_buf_reset(&h->piece);
			pf_binpack_chunk_pack(h->chunk_id, i, total, p + off,
			    len, &h->piece);
			r = pf_rtc_send(a->rtc, h->piece.data, h->piece.len,
			    &err);
		}
	}
	if (r < 0) {
		drop(a, err.msg);
		return;
	}
	if (pf_rtc_buffered(a->rtc) > h->cfg.max_queue) {
		char why[96];

		snprintf(why, sizeof(why), "it stopped taking messages (over "
		    "%llu bytes queued)", h->cfg.max_queue);
		drop(a, why);
	}
}

/* Packs the JSON text in h->json (ours, so it parses) and sends it to a. */
static void
send_json(struct attendee *a)
{
	struct pf_host *h = a->h;
	const struct pf_jv *v;
	enum pf_json_fault fault;
	struct pf_err err;

	v = pf_jv_parse(h->parser, pf_buf_str(&h->json), h->json.len, 0,
	    &fault, &err);
	pf_buf_reset(&h->packed);
	pf_binpack_from_jv(v, &h->packed);
	send_packed(a);
}

static void
put_string(struct pf_buf *b, const char *s)
{
	pf_jv_dump_string(s, strlen(s), b);
}

static void
answer_challenge(struct attendee *a, const struct pf_jv *msg)
{
	struct pf_host *h = a->h;
	const struct pf_jv *nv = pf_jv_get(msg, "nonce");
	const char *nonce = pf_jv_str(nv);
	unsigned char sig[PF_P256_SIG_LEN];
	struct pf_buf bytes = PF_BUF_INIT;
	struct pf_err err;

	if (a->challenged) {
		drop(a, "a second presenter_challenge on one connection");
		return;
	}
	a->challenged = 1;
	if (!nonce || nv->n < 1 || nv->n > MAX_NONCE ||
	    pf_unbase64(nonce, nv->n, 1, &bytes) < 0) {
		pf_buf_release(&bytes);
		drop(a, "its presenter_challenge has no nonce of 1 to 128 "
		    "base64url characters");
		return;
	}
	if (pf_p256_sign(h->key, bytes.data, bytes.len, sig, &err) < 0) {
		pf_buf_release(&bytes);
		drop(a, err.msg);
		return;
	}
	pf_buf_release(&bytes);
	pf_buf_reset(&h->json);
	pf_buf_adds(&h->json, "{\"type\":\"presenter_response\",\"nonce\":");
	put_string(&h->json, nonce);
	pf_buf_adds(&h->json, ",\"signature\":\"");
	pf_base64url(sig, sizeof(sig), &h->json);
	pf_buf_adds(&h->json, "\"}");
	send_json(a);
}

/* Writes the session's config object. */
static void
put_config(struct pf_host *h, struct pf_buf *b)
{
	pf_buf_adds(b, "{\"name\":");
	put_string(b, h->name);
	pf_buf_adds(b, ",\"tutorialUrl\":");
	put_string(b, h->url);
	pf_buf_adds(b, ",\"defaultMode\":\"guided\"}");
}

/* The line text (a JSON object) with "pfPeer":peer added at its end. */
static void
record_from(struct attendee *a, struct pf_buf *line)
{
	struct pf_host *h = a->h;

	pf_buf_reset(&h->json);
	pf_buf_add(&h->json, line->data, line->len - 1);
	if (line->len > 2)
		pf_buf_addc(&h->json, ',');
	pf_buf_adds(&h->json, "\"" PF_EVENT_PEER_FIELD "\":");
	put_string(&h->json, a->peer);
	pf_buf_addc(&h->json, '}');
	record(h);
}

static void
take_join(struct attendee *a, struct pf_buf *line)
{
	struct pf_host *h = a->h;
	const struct pf_jv *v;
	enum pf_json_fault fault;
	struct pf_err err;
	const char *name;

	a->joined = 1;
	h->joined++;
	remove_timer(&a->t_join);
	record_from(a, line);
	pf_buf_reset(&h->json);
	pf_buf_adds(&h->json, "{\"type\":\"session_start\",\"sessionId\":");
	put_string(&h->json, pf_host_id(h));
	pf_buf_adds(&h->json, ",\"config\":");
	put_config(h, &h->json);
	pf_buf_addf(&h->json, ",\"timestamp\":%" PRId64 "}", now_ms());
	record(h);
	send_json(a);
	if (a->gone)
		return;
	v = pf_jv_parse(h->parser, line->data, line->len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, &err);
	name = v ? pf_jv_str(pf_jv_get(v, "name")) : NULL;
	pf_buf_reset(&h->piece);
	pf_jv_dump_string(name ? name : "Anonymous",
	    strlen(name ? name : "Anonymous"), &h->piece);
	notice(h, "attendee %s (%s) joined; %d in the session", a->peer,
	    pf_buf_str(&h->piece), h->joined);
	if (h->hooks->attendees)
		h->hooks->attendees(h->ctx, h->joined);
}

/* One whole message from a, packed. */
static void
take_message(struct attendee *a, const unsigned char *p, size_t n)
{
	struct pf_host *h = a->h;
	struct pf_buf line = PF_BUF_INIT;
	const struct pf_jv *msg;
	enum pf_json_fault fault;
	struct pf_err err;
	enum pf_event_type t;

	if (n > MAX_MESSAGE) {
		drop(a, "a message over 64 KiB");
		return;
	}
	if (pf_binpack_to_json(p, n, &line, &err) < 0) {
		drop(a, err.msg);
		goto out;
	}
	msg = pf_jv_parse(h->parser, pf_buf_str(&line), line.len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, &err);
	if (!msg || msg->type != PF_JV_OBJECT) {
		drop(a, "a message that is not an object");
		goto out;
	}
	t = pf_event_type_from_name(pf_jv_str(pf_jv_get(msg, "type")));
	if (t == PF_EVENT_PRESENTER_CHALLENGE) {
		answer_challenge(a, msg);
	} else if (!a->challenged || h->ending) {
		/* As the app: nothing counts before the handshake. */
	} else if (!a->joined) {
		if (t == PF_EVENT_ATTENDEE_JOIN)
			take_join(a, &line);
	} else if (t != PF_EVENT_ATTENDEE_JOIN) {
		record_from(a, &line);
		if (t == PF_EVENT_ATTENDEE_LEAVE)
			leave(a, NULL);
	}
out:
	pf_buf_release(&line);
}

static void
on_rtc(void *ctx, const struct pf_rtc_event *ev)
{
	struct attendee *a = ctx;
	struct pf_host *h = a->h;
	struct pf_buf b = PF_BUF_INIT;
	struct pf_binpack_chunk c;
	struct pf_err err;
	int r;

	if (a->gone)
		return;
	switch (ev->kind) {
	case PF_RTC_ANSWER:
		pf_buf_adds(&b, "{\"sdp\":{\"type\":\"answer\",\"sdp\":");
		put_string(&b, ev->text);
		pf_buf_adds(&b, "},\"type\":\"data\",\"connectionId\":");
		put_string(&b, a->conn_id);
		pf_buf_addc(&b, '}');
		if (pf_peerjs_send(h->peer, "ANSWER", a->peer, pf_buf_str(&b),
		    &err) < 0)
			drop(a, err.msg);
		break;
	case PF_RTC_CANDIDATE:
		if (!*ev->text)
			break;
		pf_buf_adds(&b, "{\"candidate\":{\"candidate\":");
		put_string(&b, ev->text);
		pf_buf_addf(&b, ",\"sdpMLineIndex\":%u},\"type\":\"data\","
		    "\"connectionId\":", ev->mline);
		put_string(&b, a->conn_id);
		pf_buf_addc(&b, '}');
		/* Lost signalling only matters if the channel never opens. */
		pf_peerjs_send(h->peer, "CANDIDATE", a->peer, pf_buf_str(&b),
		    &err);
		break;
	case PF_RTC_MESSAGE:
		r = pf_binpack_chunk(ev->data, ev->len, &c, &err);
		if (r == 0) {
			take_message(a, ev->data, ev->len);
			break;
		}
		if (r == 2) {	/* PeerJS's close message */
			leave(a, "it hung up");
			break;
		}
		if (r == 1)	/* a piece: 1 when the message is whole */
			r = pf_binpack_parts_take(&a->parts, &c, MAX_PIECES,
			    MAX_MESSAGE, &h->whole, &err);
		if (r < 0)
			drop(a, err.msg);
		else if (r == 1)
			take_message(a, (const unsigned char *)h->whole.data,
			    h->whole.len);
		break;
	case PF_RTC_CLOSED:
		leave(a, ev->text);
		break;
	default:
		break;
	}
	pf_buf_release(&b);
}

static gboolean
join_timeout(gpointer data)
{
	struct attendee *a = data;

	a->t_join = 0;
	drop(a, "it did not join within 30 s");
	return G_SOURCE_REMOVE;
}

static void
take_offer(struct pf_host *h, const char *src, const struct pf_jv *payload)
{
	const char *conn_id = pf_jv_str(pf_jv_get(payload, "connectionId"));
	const char *type = pf_jv_str(pf_jv_get(payload, "type"));
	const char *ser = pf_jv_str(pf_jv_get(payload, "serialization"));
	const struct pf_jv *sdp = pf_jv_get(payload, "sdp");
	const char *offer = sdp ? pf_jv_str(pf_jv_get(sdp, "sdp")) : NULL;
	struct attendee *a;
	struct pf_err err;

	if (!conn_id || !offer || !type || strcmp(type, "data") != 0) {
		notice(h, "passed over an offer from %s that is not a data "
		    "connection", src);
		return;
	}
	if (ser && strcmp(ser, "binary") != 0 && strcmp(ser, "default") != 0) {
		notice(h, "passed over an offer from %s: serialization '%s', "
		    "where the app uses binary", src, ser);
		return;
	}
	if (h->ending || find(h, src, conn_id))
		return;
	a = pf_xcalloc(1, sizeof(*a));
	a->h = h;
	a->peer = pf_xstrdup(src);
	a->conn_id = pf_xstrdup(conn_id);
	a->parts = (struct pf_binpack_parts)PF_BINPACK_PARTS_INIT;
	a->rtc = pf_rtc_accept(offer, on_rtc, a, &err);
	if (!a->rtc) {
		notice(h, "cannot answer %s: %s", src, err.msg);
		free(a->peer);
		free(a->conn_id);
		free(a);
		return;
	}
	a->next = h->list;
	h->list = a;
	a->t_join = g_timeout_add_seconds(PF_HOST_JOIN_S, join_timeout, a);
}

/* --- the session ---------------------------------------------------------- */

static gboolean
heartbeat(gpointer data)
{
	struct pf_host *h = data;
	struct attendee *a, *next;
	int64_t t = now_ms();

	for (a = h->list; a; a = next) {
		next = a->next;
		if (!a->joined)
			continue;
		pf_buf_reset(&h->json);
		pf_buf_adds(&h->json, "{\"type\":\"heartbeat\",\"sessionId\":");
		put_string(&h->json, pf_host_id(h));
		pf_buf_addf(&h->json, ",\"timestamp\":%" PRId64
		    ",\"senderId\":", t);
		put_string(&h->json, pf_host_id(h));
		pf_buf_addf(&h->json, ",\"sentAt\":%" PRId64 "}", t);
		record(h);
		send_json(a);
	}
	return G_SOURCE_CONTINUE;
}

static void
on_peer(void *ctx, const struct pf_peerjs_event *ev)
{
	struct pf_host *h = ctx;
	struct attendee *a;
	const char *conn_id;
	const struct pf_jv *v, *m;
	const char *s;

	switch (ev->kind) {
	case PF_PEERJS_OPEN: {
		unsigned char spki[PF_P256_SPKI_LEN];

		pf_p256_public_spki(h->key, spki);
		h->code = pf_joincode_make(pf_host_id(h), h->name, h->url,
		    spki);
		h->ready = 1;
		h->t_heartbeat = g_timeout_add_seconds(PF_HOST_HEARTBEAT_S,
		    heartbeat, h);
		h->hooks->ready(h->ctx);
		break;
	}
	case PF_PEERJS_OFFER:
		take_offer(h, ev->src, ev->payload);
		break;
	case PF_PEERJS_CANDIDATE:
		conn_id = pf_jv_str(pf_jv_get(ev->payload, "connectionId"));
		a = conn_id ? find(h, ev->src, conn_id) : NULL;
		v = pf_jv_get(ev->payload, "candidate");
		s = v ? pf_jv_str(pf_jv_get(v, "candidate")) : NULL;
		if (!a || !s || !*s)
			break;
		m = pf_jv_get(v, "sdpMLineIndex");
		pf_rtc_add_candidate(a->rtc, pf_jv_is(m, PF_JV_INTEGER) &&
		    m->u.i >= 0 && m->u.i < 64 ? (unsigned)m->u.i : 0, s);
		break;
	case PF_PEERJS_FAILED:
		h->hooks->failed(h->ctx, ev->text);
		break;
	case PF_PEERJS_CLOSED:
		notice(h, "%s; the attendees in the session stay, but no more "
		    "can join", ev->text);
		break;
	case PF_PEERJS_EXPIRE:
		notice(h, "the PeerJS server could not reach %s", ev->src);
		break;
	default:
		break;
	}
}

struct pf_host *
pf_host_new(const struct pf_host_config *cfg,
    const struct pf_host_hooks *hooks, void *ctx, struct pf_err *err)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct pf_host *h;
	char id[7];
	size_t i;

	h = pf_xcalloc(1, sizeof(*h));
	h->cfg = *cfg;
	h->hooks = hooks;
	h->ctx = ctx;
	h->name = pf_xstrdup(cfg->name ? cfg->name : "Live Session");
	h->url = pf_xstrdup(cfg->url ? cfg->url : "");
	h->parser = pf_jv_parser_new();
	if (!(h->key = pf_p256_generate(err)))
		goto fail;
	/* The app's session ids: 6 of [a-z0-9]. */
	for (i = 0; i < 6; i++)
		id[i] = digits[g_random_int_range(0, 36)];
	id[6] = '\0';
	h->peer = pf_peerjs_new(cfg->server, cfg->key, cfg->id ? cfg->id : id,
	    on_peer, h, err);
	if (!h->peer)
		goto fail;
	return h;
fail:
	pf_host_free(h);
	return NULL;
}

void
pf_host_start(struct pf_host *h)
{
	pf_peerjs_start(h->peer);
}

const char *
pf_host_id(const struct pf_host *h)
{
	return pf_peerjs_id(h->peer);
}

const char *
pf_host_code(const struct pf_host *h)
{
	return h->code;
}

int
pf_host_attendees(const struct pf_host *h)
{
	return h->joined;
}

/* Takes the name and tutorial URL of the stream's session_start. */
static void
take_config(struct pf_host *h, const struct pf_jv *ev)
{
	const struct pf_jv *config = pf_jv_get(ev, "config");
	const char *name = pf_jv_str(pf_jv_get(config, "name"));
	const char *url = pf_jv_str(pf_jv_get(config, "tutorialUrl"));

	if (h->cfg.fixed_config)
		return;
	if (name) {
		free(h->name);
		h->name = pf_xstrdup(name);
	}
	if (url) {
		free(h->url);
		h->url = pf_xstrdup(url);
	}
}

int
pf_host_presents(const struct pf_jv *ev)
{
	enum pf_event_type t;

	t = pf_event_type_from_name(pf_jv_str(pf_jv_get(ev, "type")));
	switch (t) {
	case PF_EVENT_SESSION_START:
	case PF_EVENT_SESSION_END:
	case PF_EVENT_HEARTBEAT:	/* the host makes its own */
	case PF_EVENT_PRESENTER_CHALLENGE:
	case PF_EVENT_PRESENTER_RESPONSE:
		return 0;
	default:
		return pf_event_presenter_clock(t, ev);
	}
}

int
pf_host_present(struct pf_host *h, const struct pf_jv *ev, const char *raw,
    size_t len)
{
	struct attendee *a, *next;
	enum pf_event_type t;
	struct pf_jv_edit edits[2] = { { "sessionId", NULL },
	    { "timestamp", NULL } };
	const struct pf_jv *sent;
	enum pf_json_fault fault;
	struct pf_err err;
	char stamp[24];

	if (h->ending)
		return 0;
	t = pf_event_type_from_name(pf_jv_str(pf_jv_get(ev, "type")));
	if (t == PF_EVENT_SESSION_START) {
		take_config(h, ev);
		return 0;
	}
	if (t == PF_EVENT_SESSION_END) {
		pf_host_end(h);
		return 2;
	}
	if (!pf_host_presents(ev))
		return 0;
	/*
	 * As the app's presenter stamps what it sends: this session's id,
	 * and the moment it is sent.  Pacing has used the old timestamp.
	 */
	pf_buf_reset(&h->json);
	pf_jv_dump_string(pf_host_id(h), strlen(pf_host_id(h)), &h->json);
	snprintf(stamp, sizeof(stamp), "%" PRId64, now_ms());
	edits[0].value = pf_buf_str(&h->json);
	edits[1].value = stamp;
	pf_buf_reset(&h->event);
	pf_jv_splice(raw, len, ev, edits, 2, &h->event);
	h->hooks->line(h->ctx, h->event.data, h->event.len);
	sent = pf_jv_parse(h->parser, pf_buf_str(&h->event), h->event.len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, &err);
	if (!sent)
		return 0;	/* cannot be: it parsed before the splice */
	pf_buf_reset(&h->packed);
	pf_binpack_from_jv(sent, &h->packed);
	for (a = h->list; a; a = next) {
		next = a->next;
		if (a->joined)
			send_packed(a);
	}
	return 1;
}

static gboolean
end_check(gpointer data)
{
	struct pf_host *h = data;
	struct attendee *a;

	/* Each attendee hangs up once it has its session_end. */
	for (a = h->list; a && !a->joined; a = a->next)
		;
	if (a && g_get_monotonic_time() / 1000 < h->end_by)
		return G_SOURCE_CONTINUE;
	h->t_end = 0;
	h->hooks->ended(h->ctx);
	return G_SOURCE_REMOVE;
}

void
pf_host_end(struct pf_host *h)
{
	struct attendee *a, *next;
	int64_t t;

	if (h->ending)
		return;
	h->ending = 1;
	remove_timer(&h->t_heartbeat);
	for (a = h->list; a; a = next) {
		next = a->next;
		if (!a->joined)
			continue;
		t = now_ms();
		pf_buf_reset(&h->json);
		pf_buf_adds(&h->json, "{\"type\":\"session_end\",\"sessionId\":");
		put_string(&h->json, pf_host_id(h));
		pf_buf_addf(&h->json, ",\"timestamp\":%" PRId64 "}", t);
		record(h);
		send_json(a);
	}
	h->end_by = g_get_monotonic_time() / 1000 + END_WAIT_MS;
	h->t_end = g_timeout_add(20, end_check, h);
}

void
pf_host_free(struct pf_host *h)
{
	struct attendee *a;

	if (!h)
		return;
	remove_timer(&h->t_heartbeat);
	remove_timer(&h->t_end);
	remove_timer(&h->t_reap);
	while ((a = h->list)) {
		remove_timer(&a->t_join);
		a->gone = 1;
		h->list = a->next;
		a->next = h->dead;
		h->dead = a;
	}
	reap(h);
	pf_peerjs_free(h->peer);
	pf_p256_free(h->key);
	pf_jv_parser_free(h->parser);
	pf_buf_release(&h->json);
	pf_buf_release(&h->packed);
	pf_buf_release(&h->piece);
	pf_buf_release(&h->whole);
	pf_buf_release(&h->event);
	free(h->code);
	free(h->name);
	free(h->url);
	free(h);
}
