/*
 * pf_host: the presenter's side of a live session, as the app's
 * SessionManager plays it (FORMATS.md 4; tests/fixtures/app/FACTS.md 3).
 *
 * A host registers a session id with the PeerJS server, makes the P-256
 * key whose public half goes into the join code, and then, for every
 * attendee that connects: answers its WebRTC offer (pf_rtc), signs the
 * nonce of its one presenter_challenge, answers its attendee_join with
 * session_start, and from then on sends it a heartbeat every 5 s and every
 * event the caller presents, in the caller's order.  Nothing an attendee
 * sends is acted on before it has challenged and joined; a second
 * challenge, a message that is not BinaryPack or too big, or a queue past
 * max_queue closes that attendee alone.
 *
 * The presenter-side stream comes back through the line hook, one JSON
 * object at a time: each attendee's messages from attendee_join on, with
 * its peer id in PF_EVENT_PEER_FIELD; what the host sent, as the app would
 * have logged it (session_start, heartbeat and session_end once per
 * attendee, a presented event once).  What a person should hear of
 * (joins, leaves, closed attendees, a lost server) comes through the
 * notice hook as one line of plain words: the module never prints.
 *
 * Runs on the thread-default GLib main context; the caller runs the loop
 * and must have called gst_init().  Ownership: the host is the caller's;
 * free it with pf_host_free, not from inside a hook.  Strings given to
 * hooks are borrowed: valid until the hook returns.
 */
#ifndef PF_HOST_H
#define PF_HOST_H

#include <stddef.h>

#include "pf_err.h"

struct pf_jv;
struct pf_host;

/* Seconds between heartbeats, as the app's presenter sends them. */
#define PF_HOST_HEARTBEAT_S 5
/* Seconds an attendee has to join once connected, as the app allows. */
#define PF_HOST_JOIN_S 30

struct pf_host_config {
	const char *server;	/* the PeerJS server's URL */
	const char *key;	/* its API key */
	const char *id;		/* the session id to register, or NULL */
	const char *name;	/* the session's name, or NULL */
	const char *url;	/* its tutorial's URL, or NULL */
	int fixed_config;	/* name and url stand: the stream's do not */
	unsigned long long max_queue;	/* bytes queued for one attendee */
};

struct pf_host_hooks {
	/* Registered: pf_host_id() and pf_host_code() are set. */
	void (*ready)(void *ctx);
	/* One line of the presenter-side stream (no newline). */
	void (*line)(void *ctx, const char *json, size_t len);
	/* Something to tell a person, one line. */
	void (*notice)(void *ctx, const char *msg);
	/* The number of joined attendees changed. */
	void (*attendees)(void *ctx, int joined);
	/* The host cannot go on (registration failed): msg says why. */
	void (*failed)(void *ctx, const char *msg);
	/* pf_host_end is done: every attendee has its session_end. */
	void (*ended)(void *ctx);
};

/*
 * A new host; nothing happens until pf_host_start and the main loop.  NULL
 * with err for a server URL that is not http(s), or no random source.
 */
struct pf_host *pf_host_new(const struct pf_host_config *cfg,
    const struct pf_host_hooks *hooks, void *ctx, struct pf_err *err);

/* Starts registering; the outcome comes as ready or failed. */
void pf_host_start(struct pf_host *h);

/* The session id (the host's peer id). */
const char *pf_host_id(const struct pf_host *h);

/* The join code, once ready; NULL before. */
const char *pf_host_code(const struct pf_host *h);

/* Joined attendees now. */
int pf_host_attendees(const struct pf_host *h);

/*
 * Whether ev is one of the presenter's own events that pf_host_present
 * sends on (show_me, do_it, navigation, ... and chat from "presenter"):
 * not a session_start or session_end, not a heartbeat, the handshake or
 * anything an attendee sent (pf_event_presenter_clock).
 */
int pf_host_presents(const struct pf_jv *ev);

/*
 * Presents one event of the input stream, ev parsed from the len bytes of
 * JSON at raw.  The presenter's own events (pf_host_presents) go to every
 * joined attendee; a session_start gives the session its name and tutorial
 * URL (unless fixed_config); a session_end ends the session, as
 * pf_host_end; the rest is passed over.  May be called before registering,
 * for the input's session_start.  Returns 1 when ev was sent, 0 when it was
 * passed over or taken as config, 2 for a session_end.
 */
int pf_host_present(struct pf_host *h, const struct pf_jv *ev,
    const char *raw, size_t len);

/*
 * Sends session_end to every attendee and waits (a few seconds at most)
 * for them to take it and hang up; then the ended hook.  Nothing is
 * presented after it.
 */
void pf_host_end(struct pf_host *h);

/* Closes every connection and the server's socket, and frees h. */
void pf_host_free(struct pf_host *h);

#endif
