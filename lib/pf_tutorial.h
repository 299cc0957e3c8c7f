/*
 * pf_tutorial: what a recording teaches, as a model the converters render.
 *
 * Built by feeding a recording's events in order.  The rules, which
 * pf-convert(1) documents:
 *   - one step per distinct stepId, in order of first appearance; a
 *     show_me and a do_it of the same step merge, and the step is a "do
 *     it" step if the presenter did it; a multistep keeps its internal
 *     actions; the step's action is its last one seen;
 *   - a new tutorial URL (session_start's config, navigation, sync_state)
 *     opens a new section;
 *   - an attendee's chat message with a question mark is a question; it
 *     belongs to the step current when it was asked (or to the session,
 *     before the first step), and the presenter's next message answers the
 *     oldest open question;
 *   - a step's suggested duration is the presenter's time on it: from its
 *     first event to the first event of the next step (or the session's
 *     end); hands raised and attendees who left in that time are counted
 *     against it;
 *   - attendees are known by name (attendee_join) and by sender id; the two
 *     are linked through chat (senderName), hand_raise (attendeeName), an
 *     attendee_join that carries a senderId, and an attendee_status
 *     "joined" within 10 s of a join; presence runs from each join to the
 *     next leave (or the end);
 *   - heartbeats and handshakes are ignored.
 *
 * Ownership: the model owns all its strings; everything it returns is
 * borrowed until pf_tutorial_free.  Building never fails (a recording
 * with nothing in it gives an empty model).
 */
#ifndef PF_TUTORIAL_H
#define PF_TUTORIAL_H

#include <stddef.h>
#include <stdint.h>

#include "pf_buf.h"
#include "pf_err.h"
#include "pf_jv.h"
#include "pf_source.h"

struct pf_tut_action {
	char *action;		/* targetAction */
	char *reftarget;	/* may be NULL */
	char *targetvalue;	/* may be NULL */
	char *tooltip;		/* targetComment as plain text, or NULL */
	char *requirements;	/* comma-separated, or NULL */
	char *comment;		/* targetComment as recorded (HTML), or NULL */
};

struct pf_tut_qa {
	size_t step;		/* index + 1 of its step; 0: the session */
	int64_t at;		/* ms from the session's start */
	char *asker;
	char *question;
	char *answerer;		/* NULL while unanswered */
	char *answer;
	int64_t answered_at;
};

struct pf_tut_step {
	char *id;
	size_t section;		/* index into sections */
	struct pf_tut_action a;	/* the step's own action */
	struct pf_tut_action *internal;	/* a multistep's actions */
	size_t ninternal;
	int shown;		/* a show_me was seen */
	int done;		/* a do_it was seen */
	int64_t at;		/* first event, ms from the session's start */
	int64_t duration;	/* the presenter's time on it, ms */
	long hands;		/* hands raised while it was current */
	char **left;		/* names of attendees who left meanwhile */
	size_t nleft;
};

struct pf_tut_section {
	char *url;
	char *title;		/* from the URL's last path segment */
	size_t first_step;
	size_t nsteps;
};

struct pf_tut_chat {
	int64_t at;		/* ms from the session's start */
	int64_t ts;		/* the event's timestamp */
	char *sender_id;	/* may be NULL */
	char *name;
	char *text;
	int presenter;
	size_t step;		/* index + 1 of the current step, or 0 */
};

struct pf_tut_attendee {
	char *id;		/* sender id, or NULL when only the name is known */
	char *name;		/* NULL when only the id is known */
	char *mode;
	int64_t joined_at;	/* first join, epoch ms; -1 if never seen */
	int64_t left_at;	/* last leave, epoch ms; -1 if still there */
	int64_t presence;	/* ms present in all */
	long joins;
	/* internal: an open presence interval */
	int64_t since;
	int present;
};

struct pf_tutorial {
	char *id;		/* the session id ("" when none) */
	char *title;
	char *presenter;	/* the presenter's name, or NULL */
	char *tutorial_url;
	char *default_mode;
	int64_t start;		/* epoch ms of the first event */
	int64_t end;		/* of the last */
	int relative;		/* timestamps are relative (a seed document) */
	long events;		/* events fed, heartbeats and handshakes included */
	struct pf_tut_section *sections;
	size_t nsections;
	struct pf_tut_step *steps;
	size_t nsteps;
	struct pf_tut_chat *chat;
	size_t nchat;
	struct pf_tut_qa *qa;
	size_t nqa;
	struct pf_tut_attendee *attendees;
	size_t nattendees;
	long hands;		/* hands raised in all */
	size_t *qa_order;	/* qa indices grouped by step (see below) */
	size_t *qa_start;	/* nsteps + 2 offsets into qa_order */
	struct pf_tut_state *st;	/* private: the builder's state */
};

/* An empty model. */
struct pf_tutorial *pf_tutorial_new(void);

/* Feeds the next event of the recording, in order. */
void pf_tutorial_add(struct pf_tutorial *t, const struct pf_jv *ev);

/*
 * The bytes the model holds (strings, steps, chat, attendees), near
 * enough.  It grows with what the recording says, not with its length in
 * events (heartbeats cost nothing), so a caller bounds it: see
 * PF_TUTORIAL_MAX.
 */
size_t pf_tutorial_size(const struct pf_tutorial *t);

/*
 * What pf-convert and pf-index let one recording's model take: 256 MiB.  A
 * real session keeps well under 1 MiB (the example: 60 KiB); only a chat
 * bomb comes near, and is refused instead of exhausting memory.
 */
#define PF_TUTORIAL_MAX ((size_t)256 * 1024 * 1024)

/*
 * Takes what a SessionRecording document's header says (name, presenter,
 * id, tutorialUrl) where the events do not say it.  doc may be NULL.
 */
void pf_tutorial_use_document(struct pf_tutorial *t, const struct pf_jv *doc);

/* Closes open intervals and works out durations; call after the last add. */
void pf_tutorial_finish(struct pf_tutorial *t);

/*
 * What pf_tutorial_read does beside feeding each event, for a caller that
 * changes events or writes them out as they go by (pf_convert).  Either
 * function may be NULL; both run on the caller's thread.
 */
struct pf_tutorial_hooks {
	/*
	 * The event to feed for e: e->ev itself, or a masked or completed
	 * copy (borrowed from the caller until its next call), or NULL to
	 * pass e over.
	 */
	const struct pf_jv *(*prepare)(void *ctx, struct pf_source *src,
	    const struct pf_source_event *e);
	/* The prepared event is in the model, and the model under its cap. */
	void (*fed)(void *ctx);
	void *ctx;
};

/*
 * The one way from a recording to its model, shared by pf-convert and
 * pf-index so that both see the same session: reads src to its end,
 * feeds each event (through hooks, which may be NULL), refuses a model
 * past PF_TUTORIAL_MAX, takes a document's header and finishes.
 * Returns a new model (pf_tutorial_free), or NULL with err: src could not
 * be read (pf_source's error), the model passed its cap (PF_ERR_DATA, at
 * the event's line), or src held no events (PF_ERR_DATA).  It keeps no
 * state of its own: any number may run at once on different sources.
 */
struct pf_tutorial *pf_tutorial_read(struct pf_source *src,
    const struct pf_tutorial_hooks *hooks, struct pf_err *err);

/*
 * The questions of a step (1-based; 0: those asked before the first step),
 * in the order they were asked: *n indices into t->qa.  Borrowed; valid
 * after pf_tutorial_finish.
 */
const size_t *pf_tutorial_step_qa(const struct pf_tutorial *t, size_t step,
    size_t *n);

/* The session's length in ms. */
int64_t pf_tutorial_duration(const struct pf_tutorial *t);

/* Frees the model.  t may be NULL. */
void pf_tutorial_free(struct pf_tutorial *t);

/*
 * Appends the text of an HTML fragment to out: tags dropped, the common
 * entities decoded, white space folded.  Used for tooltips.
 */
void pf_html_to_text(const char *html, struct pf_buf *out);

#endif
