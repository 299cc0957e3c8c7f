/*
 * pf_play: playing recordings in (scaled) real time.
 *
 * A player takes the events of one input after another and hands each to
 * its sinks (an output writer, an HTTP endpoint, Grafana's annotations
 * API) at the moment it happened, counted from the start of playback and
 * divided by the speed.  Deadlines are absolute, on the monotonic clock,
 * so lateness never accumulates; gaps longer than the idle limit are
 * shortened to it.  That clock is pf_clock's, which pf-live host paces
 * with too, and it keeps a repeated step min_repeat_gap behind the last,
 * since Pathfinder drops a repeat closer than 500 ms.  With no_wait
 * nothing is waited for: the timestamps are scaled instead.
 *
 * While it waits, a player can be steered: paused, sped up or slowed
 * down, sent on to the next step or stopped (pf_play_key), by keys read
 * from a descriptor the caller set up (pf_play_set_keys) or by the caller.
 *
 * The module never prints: what a person should hear of comes through the
 * hooks, and errors through struct pf_err, in words that leave out the
 * name of the input or output they are about (the caller knows it).
 *
 * Ownership: the player is the caller's; free it with pf_play_free.  The
 * config, and everything it points to, is borrowed for the player's life,
 * as are the HTTP clients given to it; the output writer is taken over.
 * Strings given to hooks are borrowed: valid until the hook returns.
 */
#ifndef PF_PLAY_H
#define PF_PLAY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "pf_buf.h"
#include "pf_clock.h"
#include "pf_err.h"
#include "pf_http.h"
#include "pf_source.h"
#include "pf_time.h"
#include "pf_writer.h"

struct pf_play_config {
	double speed;		/* PF_CLOCK_SPEED_MIN to _MAX; 0: never wait */
	int64_t idle_limit;	/* ms: a longer gap is shortened to it; 0: none */
	int64_t min_repeat_gap;	/* ms kept between repeated steps
				 * (PF_CLOCK_REPEAT_GAP); 0: none */
	const struct pf_position *from;	/* start here; NULL: the start */
	const struct pf_position *to;	/* stop before it; NULL: the end */
	const char *from_arg;	/* from and to as written, for messages */
	const char *to_arg;
	char *const *types;	/* NULL-terminated: only these; NULL: all */
	char *const *exclude;	/* NULL-terminated: not these; NULL: none */
	int keep_timestamps;	/* leave the recorded timestamps alone */
	int no_wait;		/* scale the timestamps, wait for nothing */
	int follow;		/* read on as an input grows, to session_end */
	int stats;		/* measure lateness, for pf_play_stats */
	/*
	 * Stops playback, and interrupts a wait, a blocked write, a POST or a
	 * read, while *stop is nonzero (a signal handler sets it, installed
	 * without SA_RESTART).  NULL: nothing stops it but q.
	 */
	const volatile sig_atomic_t *stop;
};

struct pf_play_hooks {
	/* A followed input was truncated (replaced 0) or replaced (1): its
	 * new content is played from its start as another session. */
	void (*restarted)(void *ctx, const char *name, int replaced);
	/* The POST of the event of line to url failed for good: msg says
	 * why.  The event counts as not delivered; playback goes on. */
	void (*post_failed)(void *ctx, const char *url, long line,
	    const char *msg);
	/* What pf_play_state tells changed: a key, an event played. */
	void (*state)(void *ctx);
};

/* Where playback is, for a person watching it. */
struct pf_play_state {
	int paused;
	double speed;		/* the speed now, 0 for as fast as possible */
	int64_t position_ms;	/* on the output's timeline */
	long emitted;		/* events played */
};

/* What playback did, kept up to date as it goes. */
struct pf_play_counts {
	long emitted;		/* events played */
	long delivered;		/* events every HTTP endpoint took */
	long failed_posts;
	long cut_line;		/* the event whose POST a signal cut short, 0 */
	int output_closed;	/* the output's reader went away (EPIPE) */
	int output_stuck;	/* a signal gave up a write it did not take */
	int output_failed;	/* writing the output failed, as reported */
	unsigned long long output_lines;	/* lines it took whole, once
						 * pf_play_finish is done */
};

/* The lateness of the events waited for, with config.stats. */
struct pf_play_stats {
	double elapsed_s;	/* since the first event; 0 before it */
	long late_count;	/* events whose lateness was measured */
	double late_mean_ms;
	double late_p99_ms;	/* in 1 us steps */
	double late_max_ms;
};

struct pf_play;

/*
 * A new player with nothing to play to yet.  hooks may be NULL, as may
 * any of them.  Never fails.
 */
struct pf_play *pf_play_new(const struct pf_play_config *cfg,
    const struct pf_play_hooks *hooks, void *ctx);

/*
 * Takes w over as the output: each event goes to it as one line, handed
 * to the kernel at once when playback waits (a live consumer sees it when
 * it happens), buffered with no_wait or speed 0.  A reader that went away
 * (EPIPE) ends playback quietly.  w may be NULL.
 */
void pf_play_set_output(struct pf_play *pl, struct pf_writer *w);

/* POSTs each event, as it is written, to h (borrowed). */
void pf_play_set_post(struct pf_play *pl, struct pf_http *h);

/*
 * Makes each event an annotation (pf_play_annotation) POSTed to h
 * (borrowed), a client for Grafana's /api/annotations, on the dashboard
 * dashboard_uid (borrowed; NULL for none).
 */
void pf_play_set_grafana(struct pf_play *pl, struct pf_http *h,
    const char *dashboard_uid);

/*
 * While waiting, reads keys one byte at a time from fd (a terminal the
 * caller put into raw mode, say) and applies them with pf_play_key.  -1,
 * the default, reads none.
 */
void pf_play_set_keys(struct pf_play *pl, int fd);

/*
 * Applies one key: ' ' pauses or resumes, '+' doubles the speed and '-'
 * halves it (within PF_CLOCK_SPEED_MIN to _MAX), 'n' runs on to the next
 * show_me or do_it, 'q' stops playback.  Returns 1, after telling the
 * state hook, or 0 for a key that does nothing.
 */
int pf_play_key(struct pf_play *pl, int c);

/*
 * Plays the events of src from its start, or from config.from, up to
 * config.to: session_start always, the handshake never, the rest as
 * config.types and config.exclude select.  With config.follow, follows
 * src as it grows until a session_end.  The timeline goes on from the
 * previous input's, without waiting for the gap between them.
 *
 * Returns 0 when src was played to its end; 1 when playback is to stop
 * (config.stop, q, the output's reader gone), also mid-input; -1 with err
 * when src could not be read, or ended without a step or navigation that
 * from or to named (err then says which, naming the options --from and
 * --to), or when writing the output failed (counts.output_failed: every
 * later event fails too).
 */
int pf_play_source(struct pf_play *pl, struct pf_source *src,
    struct pf_err *err);

/* Nonzero once nothing more is to be played: stopped, q, output gone. */
int pf_play_over(const struct pf_play *pl);

/*
 * Ends the output: flushes and closes the writer, counting the lines it
 * took whole.  Returns 0, or -1 with err when that failed in a way not
 * already known (a reader gone, a write given up, a failed write).  A
 * second call does nothing.
 */
int pf_play_finish(struct pf_play *pl, struct pf_err *err);

/* Fills *st with where playback is now. */
void pf_play_state(const struct pf_play *pl, struct pf_play_state *st);

/* The counts so far.  Borrowed: valid until pf_play_free. */
const struct pf_play_counts *pf_play_counts(const struct pf_play *pl);

/* Fills *st with the lateness measured so far (config.stats). */
void pf_play_stats(const struct pf_play *pl, struct pf_play_stats *st);

/*
 * Appends to out the body of the Grafana annotation for e played at ts
 * (epoch ms): that time, the tags "pathfinder", the event's type and
 * "session:ID" ("session:unknown" without one), the event's summary
 * (pf_event_summary) as its text, and dashboardUID when dashboard_uid is
 * not NULL.  Every string is JSON-escaped.
 */
void pf_play_annotation(struct pf_buf *out, const struct pf_source_event *e,
    int64_t ts, const char *dashboard_uid);

/* Closes the output if pf_play_finish did not, and frees pl.  NULL ok. */
void pf_play_free(struct pf_play *pl);

#endif
