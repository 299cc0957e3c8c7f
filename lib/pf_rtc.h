/*
 * pf_rtc: one WebRTC data channel, offered or answered as a PeerJS client
 * does it.
 *
 * A live session's data flows over a reliable, ordered data channel that
 * the attendee offers to the presenter (FORMATS.md 4).  This module runs
 * GStreamer's webrtcbin for one such connection, on either side.  As the
 * attendee (pf_rtc_new) it creates the channel with PeerJS's options (the
 * label PeerJS gives it, ordered), makes the SDP offer and takes the
 * answer; as the presenter (pf_rtc_accept) it takes the offer, makes the
 * answer and adopts the channel the peer opens.  Either way it takes the
 * remote ICE candidates and hands back its own SDP and candidates for the
 * caller to signal (pf_peerjs).  Messages are binary, as PeerJS's
 * BinaryPack connections send them.
 *
 * webrtcbin calls back on its own threads; this module passes every event
 * on to the thread-default GLib main context of the thread that made the
 * connection, so the callbacks run from the caller's main loop, one at a
 * time.  The caller must have called gst_init().
 *
 * Ownership: the connection is the caller's; free it with pf_rtc_free, not
 * from inside a callback.  Strings and bytes given to callbacks are
 * borrowed: valid until the callback returns.  Errors: 0 or -1 with err;
 * failures after set-up arrive as PF_RTC_CLOSED with a reason.
 */
#ifndef PF_RTC_H
#define PF_RTC_H

#include <stddef.h>

#include "pf_err.h"

struct pf_rtc;

enum pf_rtc_kind {
	PF_RTC_OFFER,		/* text: our SDP offer, to signal */
	PF_RTC_ANSWER,		/* text: our SDP answer, to signal */
	PF_RTC_CANDIDATE,	/* text: one of our ICE candidates; mline */
	PF_RTC_OPEN,		/* the data channel is open */
	PF_RTC_MESSAGE,		/* data, len: one message from the peer */
	PF_RTC_CLOSED		/* the channel closed or failed; text: why */
};

struct pf_rtc_event {
	enum pf_rtc_kind kind;
	const char *text;
	unsigned mline;
	const unsigned char *data;
	size_t len;
};

/*
 * 0 when GStreamer has webrtcbin; else -1 with err saying which packages
 * to install.  For a caller that must fail before it talks to anyone.
 */
int pf_rtc_available(struct pf_err *err);

/*
 * A new connection whose data channel is labelled label, ordered (reliable)
 * or not.  Starts at once: the offer and candidates follow as events.
 * NULL with err when webrtcbin is missing (GStreamer's bad plugins) or the
 * pipeline will not start.
 */
struct pf_rtc *pf_rtc_new(const char *label, int ordered,
    void (*on_event)(void *ctx, const struct pf_rtc_event *ev), void *ctx,
    struct pf_err *err);

/*
 * A new connection that answers the peer's SDP offer (its text) and adopts
 * the data channel the peer opens.  Our answer and candidates follow as
 * events.  NULL with err as pf_rtc_new, or for an offer that is not SDP.
 */
struct pf_rtc *pf_rtc_accept(const char *offer,
    void (*on_event)(void *ctx, const struct pf_rtc_event *ev), void *ctx,
    struct pf_err *err);

/* Takes the peer's SDP answer (its text). */
int pf_rtc_set_answer(struct pf_rtc *r, const char *sdp, struct pf_err *err);

/* Takes one of the peer's ICE candidates ("candidate:..."). */
void pf_rtc_add_candidate(struct pf_rtc *r, unsigned mline,
    const char *candidate);

/* Sends one binary message; -1 with err when the channel is not open. */
int pf_rtc_send(struct pf_rtc *r, const void *data, size_t len,
    struct pf_err *err);

/*
 * Bytes sent but not yet handed to the network: what a peer that stopped
 * reading has left queued.  0 before the channel opens.
 */
unsigned long long pf_rtc_buffered(const struct pf_rtc *r);

/*
 * Closes the data channel, telling the peer (an SCTP stream reset), while
 * the connection stays up to carry that; free r a moment later.
 */
void pf_rtc_close(struct pf_rtc *r);

/* Closes the connection, stops its threads and frees r.  r may be NULL. */
void pf_rtc_free(struct pf_rtc *r);

#endif
