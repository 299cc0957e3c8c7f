/*
 * pf_peerjs: a PeerJS client, the signalling half of a live session.
 *
 * The app's peers meet through a PeerJS server (npm peer 1.0.x) before
 * WebRTC takes over (FORMATS.md 4).  A client asks the server for an id
 * (GET <path>/<key>/id) or brings its own, opens a WebSocket to
 * <path>/peerjs?key=&id=&token=&version=, waits for OPEN, sends HEARTBEAT
 * every 5 s, and relays OFFER, ANSWER and CANDIDATE messages to and from
 * other peers as JSON {type, src, dst, payload}.  This module does that over
 * libsoup-3, on the thread-default GLib main context: nothing happens until
 * the caller runs a main loop.
 *
 * What the server says comes back through the callback, one event at a
 * time, with every failure in plain words (an unreachable server, an HTTP
 * status, ID-TAKEN, ERROR, a closed socket): the module never prints.  After
 * PF_PEERJS_FAILED nothing more is reported and the client is done.
 *
 * Ownership: the client is the caller's; free it with pf_peerjs_free, not
 * from inside the callback.  Everything an event points at is borrowed: valid
 * until the callback returns.  Errors: 0 or -1 with err.
 */
#ifndef PF_PEERJS_H
#define PF_PEERJS_H

#include "pf_err.h"

struct pf_jv;
struct pf_peerjs;

/* PeerJS's own client version, sent to the server as the client's. */
#define PF_PEERJS_VERSION "1.5.5"
/* Milliseconds between HEARTBEATs, as PeerJS's default pingInterval. */
#define PF_PEERJS_HEARTBEAT_MS 5000

enum pf_peerjs_kind {
	PF_PEERJS_OPEN,		/* registered: pf_peerjs_id() is ours */
	PF_PEERJS_OFFER,	/* a peer's OFFER, ANSWER or CANDIDATE: */
	PF_PEERJS_ANSWER,	/*   src and payload are set */
	PF_PEERJS_CANDIDATE,
	PF_PEERJS_LEAVE,	/* peer src left the server */
	PF_PEERJS_EXPIRE,	/* a message to peer src was never delivered */
	PF_PEERJS_CLOSED,	/* the server closed the socket after OPEN:
				 * no more signalling (text says why) */
	PF_PEERJS_FAILED	/* could not register: text says why */
};

struct pf_peerjs_event {
	enum pf_peerjs_kind kind;
	const char *src;		/* the other peer's id, or NULL */
	const struct pf_jv *payload;	/* the message's payload, or NULL */
	const char *text;		/* CLOSED, FAILED: one line, plain words */
};

/*
 * A new client of the PeerJS server at url ("http://host:9000/pathfinder";
 * https for TLS) with API key key.  id is the id to register, or NULL to
 * take one the server assigns.  on_event gets every event with ctx.
 * Returns NULL with err for a url that is not http(s)://host[:port][/path].
 */
struct pf_peerjs *pf_peerjs_new(const char *url, const char *key,
    const char *id,
    void (*on_event)(void *ctx, const struct pf_peerjs_event *ev),
    void *ctx, struct pf_err *err);

/* Starts registering; the outcome arrives as OPEN or FAILED. */
void pf_peerjs_start(struct pf_peerjs *p);

/*
 * The id this client has, or is registering (borrowed: valid until
 * pf_peerjs_free); NULL while it is still being fetched.
 */
const char *pf_peerjs_id(const struct pf_peerjs *p);

/*
 * Sends {type, payload, dst} to the server: type is "OFFER", "ANSWER",
 * "CANDIDATE" or "LEAVE", payload_json a JSON object's text.  -1 with err
 * when the socket is not open.
 */
int pf_peerjs_send(struct pf_peerjs *p, const char *type, const char *dst,
    const char *payload_json, struct pf_err *err);

/* Closes the socket (no event follows) and frees p.  p may be NULL. */
void pf_peerjs_free(struct pf_peerjs *p);

#endif
