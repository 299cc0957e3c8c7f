/*
 * pf_join: the attendee's side of a live session, as the app's
 * SessionManager plays it (FORMATS.md 4; tests/fixtures/app/FACTS.md 3).
 *
 * A join connects to the PeerJS server under a random id, offers WebRTC
 * to the presenter named by the join code (pf_rtc), and once the data
 * channel opens sends one presenter_challenge: nothing the presenter sends
 * counts until its signature of the nonce checks against the join code's
 * P-256 key.  Then it sends attendee_join, answers every heartbeat, and
 * hands each event the presenter sends to the event hook, as the JSON text
 * of the BinaryPack message (PeerJS's chunks put together first).
 *
 * The session ends through the ended hook, once: with status 0 on
 * session_end, or 2 and one line saying why (timeout, no such presenter,
 * a failed identity check, the presenter lost: the channel closed or
 * nothing heard for PF_JOIN_SILENCE_S).  The module never prints.
 *
 * Runs on the thread-default GLib main context; the caller runs the loop
 * and must have called gst_init().  Ownership: the join is the caller's;
 * free it with pf_join_free, not from inside a hook.  Strings given to
 * hooks are borrowed: valid until the hook returns.
 */
#ifndef PF_JOIN_H
#define PF_JOIN_H

#include <stddef.h>

#include "pf_err.h"
#include "pf_joincode.h"

/* Seconds the presenter has to answer the challenge (the app's 10 s). */
#define PF_JOIN_CHALLENGE_S 10
/* Seconds of silence after which the presenter is lost (the app's 30 s). */
#define PF_JOIN_SILENCE_S 30

struct pf_join;

struct pf_join_config {
	const char *server;	/* the PeerJS server's URL */
	const char *key;	/* its API key */
	const char *name;	/* the attendee's name the presenter sees */
	const char *mode;	/* "guided" or "follow" */
	long timeout;		/* seconds to be in the session by */
	const struct pf_joincode *code;	/* the presenter: id and key */
};

struct pf_join_hooks {
	/*
	 * One event from the presenter, proven: its JSON text (n bytes, no
	 * newline).  Returns 0, or -1 when the caller cannot take it (its
	 * output failed): the join then stops without telling ended.
	 */
	int (*event)(void *ctx, const char *json, size_t n);
	/* The session is over: status 0 (session_end) or 2 with why. */
	void (*ended)(void *ctx, int status, const char *why);
};

/*
 * A join of the session of cfg->code (which must carry a key; borrowed,
 * with cfg, for the join's life).  NULL with err when GStreamer has no
 * webrtcbin (PF_ERR_IO) or the server URL is unusable (PF_ERR_USAGE).
 */
struct pf_join *pf_join_new(const struct pf_join_config *cfg,
    const struct pf_join_hooks *hooks, void *ctx, struct pf_err *err);

/* Starts connecting; the rest happens in the caller's main loop. */
void pf_join_start(struct pf_join *j);

/* Frees the join, closing what is open.  j may be NULL. */
void pf_join_free(struct pf_join *j);

#endif
