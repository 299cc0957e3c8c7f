/*
 * pf_record: the recorder: input lines in, a recording out, losing nothing.
 *
 * Each accepted event goes to the output writer before the next line is
 * taken, so a killed recorder leaves every event it accepted.  The
 * stream's own session_start and session_end are kept as they come (one
 * per attendee, in the app's order: handshake, attendee_join,
 * session_start); a stream without them is framed by made-up ones, whose
 * session id is the stream's, else config.session_id, else a random one.
 * Timestamps are the sender's when believable, else the arrival; the
 * presenter's clock never goes back.  Handshakes are dropped, and
 * heartbeats with config.no_heartbeat.  A recording is continued with
 * pf_record_resume, which cuts off a partial last line.
 *
 * Where lines come from, when to stop reading them, and where the output
 * goes are the caller's: the module reads nothing but the recording it
 * resumes, and never prints.  What a person should hear of comes through
 * the hooks; errors through struct pf_err, in words that leave out the
 * name of the input or output they are about (the caller knows it).  A
 * failed fsync is not a call's failure, as the line before it is written:
 * it comes through the sync_failed hook.  Once writing or syncing the
 * recording has failed, every later call that writes returns -1 at once
 * with err cleared (kind PF_ERR_NONE): the failure was told.
 *
 * Ownership: the recorder is the caller's; free it with pf_record_free.
 * The config, and everything it points to, is borrowed for the recorder's
 * life; the writers given to it are taken over.  Strings given to hooks
 * are borrowed: valid until the hook returns.
 */
#ifndef PF_RECORD_H
#define PF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "pf_err.h"
#include "pf_reader.h"
#include "pf_redact.h"
#include "pf_writer.h"

enum pf_record_fsync {
	PF_RECORD_FSYNC_NEVER,
	PF_RECORD_FSYNC_INTERVAL,	/* at most once a second */
	PF_RECORD_FSYNC_ALWAYS		/* after each line */
};

struct pf_record_config {
	const char *name;	/* of a made-up session_start */
	const char *tutorial_url;	/* of a made-up session_start */
	const char *mode;	/* its defaultMode: "guided" or "follow" */
	const char *session_id;	/* when the stream carries none; NULL: random */
	enum pf_record_fsync fsync;
	int restamp;		/* stamp every event with its arrival */
	int cont;		/* go on after a session_end */
	int no_heartbeat;	/* drop heartbeats */
	int strict;		/* stop at the first bad line */
	size_t max_line;	/* the input's cap, for messages and resuming */
	long max_events;	/* stop after this many; 0: no limit */
	struct pf_redact *redact;	/* mask with it; NULL: record as is */
};

struct pf_record_hooks {
	/* Line line was not recorded: msg says why.  It counts as rejected. */
	void (*rejected)(void *ctx, long line, const char *msg);
	/* Line line was recorded, but not quite as it came: msg says how. */
	void (*warning)(void *ctx, long line, const char *msg);
	/* pf_record_resume cut bytes bytes of a partial last line off path. */
	void (*cut)(void *ctx, const char *path, long long bytes);
	/* Writing the copy (pf_record_set_copy) failed with err: it is
	 * closed, and the recording goes on without it. */
	void (*copy_failed)(void *ctx, const char *name,
	    const struct pf_err *err);
	/* Syncing the output (config.fsync) failed with err: what was
	 * written stays, but the recording takes no more. */
	void (*sync_failed)(void *ctx, const struct pf_err *err);
};

/* What the recorder did, and where it is. */
struct pf_record_state {
	long events;		/* recorded from the input */
	long rejected;		/* lines refused */
	long dropped;		/* handshakes and heartbeats left out */
	int64_t duration_ms;	/* from the session_start to the last event */
	int started;		/* a session_start is in the recording */
	int session_ended;	/* a session_end came in */
	/*
	 * After a session_end (without config.cont), only more session_end
	 * are taken, until end_deadline_ns on pf_time_mono_ns's clock: the
	 * presenter sends one per attendee in one go.  A caller that waits
	 * for input waits no longer than that.
	 */
	int ending;
	int64_t end_deadline_ns;
	int published;		/* the output holds an event */
	int output_failed;	/* writing the recording failed */
};

struct pf_record;

/*
 * A new recorder with no output yet.  hooks may be NULL, as may any of
 * them.  Never fails.
 */
struct pf_record *pf_record_new(const struct pf_record_config *cfg,
    const struct pf_record_hooks *hooks, void *ctx);

/*
 * Prepares to continue the recording at path (gzip-compressed if gzip),
 * before the output is opened to append to it: takes its session id, its
 * last timestamp and whether it has a session_start, and cuts off a
 * partial last line (a recorder killed mid-write) so that new events
 * start on a line of their own, telling the cut hook.  A missing or empty
 * file is nothing to continue: 0.  Returns 0, or -1 with err when path
 * cannot be read or cut, has ended (a session_end; err->line is its
 * line), is a cut-short gzip stream, is gzip and gzip is not (or the other
 * way round), or is of another session than config.session_id.
 */
int pf_record_resume(struct pf_record *rec, const char *path, int gzip,
    struct pf_err *err);

/*
 * Takes w over as the output: each line goes to it with one
 * pf_writer_line, and the first is published (pf_writer_publish) at once,
 * so that from then on the recording is at its place.  w should be opened
 * with PF_WRITER_EACH for a kill to lose nothing.
 */
void pf_record_set_output(struct pf_record *rec, struct pf_writer *w);

/*
 * Takes w over as a copy: each line written to the output is then
 * written to w, until that fails (the copy_failed hook).  w may be NULL.
 */
void pf_record_set_copy(struct pf_record *rec, struct pf_writer *w);

/*
 * Records one input line: skips a blank one; rejects (the rejected hook)
 * one over config.max_line, not JSON, or not an event; drops a handshake
 * (or heartbeat); else writes the event, after a made-up session_start
 * if it needs one, with its timestamp replaced when not believable or
 * behind the presenter's clock, and masked by config.redact.  Returns 1
 * to go on; 0 when the recording is to stop (config.strict and a rejected
 * line, config.max_events reached, after a session_end another event);
 * -1 with err when writing the recording failed.
 */
int pf_record_line(struct pf_record *rec, const struct pf_line *line,
    struct pf_err *err);

/*
 * Syncs the output if config.fsync says it is due: for
 * PF_RECORD_FSYNC_INTERVAL, call it now and then (a tick), since the input
 * may be quiet for long.
 */
void pf_record_tick(struct pf_record *rec);

/*
 * Ends the recording: writes the session_start that only attendee_join
 * events waited for, and a session_end, stamped on the stream's clock, if
 * the stream sent none; its reason is the recorder's own when
 * pf_record_line stopped it ("max-events reached", "stopped at a bad line
 * (--strict)"), else reason, else "end of input".  Then syncs the output
 * unless config.fsync is never.  Returns 0, or -1 with err when writing
 * failed.
 */
int pf_record_finish(struct pf_record *rec, const char *reason,
    struct pf_err *err);

/*
 * Closes the output and the copy: keep 1 finishes the output and puts it
 * at its place (pf_writer_close), keep 0 abandons it (pf_writer_abort).
 * Returns 0, or -1 with err when closing failed in a way not already
 * told.  A second call does nothing.
 */
int pf_record_close(struct pf_record *rec, int keep, struct pf_err *err);

/* Fills *st with what the recorder did so far. */
void pf_record_state(const struct pf_record *rec, struct pf_record_state *st);

/* Abandons the output if pf_record_close did not, and frees rec.  NULL ok. */
void pf_record_free(struct pf_record *rec);

#endif
