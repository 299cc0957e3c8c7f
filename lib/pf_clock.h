/*
 * pf_clock: when a recorded event is due, on the monotonic clock.
 *
 * Each event recorded at a timestamp (epoch ms) is placed on a timeline
 * (ms from the start of playback) after the last one placed: its gap from
 * that one, shortened to the idle limit and divided by the speed.  The
 * first event due anchors the timeline to the monotonic clock, and every
 * deadline is counted from that anchor, never from the previous event,
 * so lateness never accumulates.  A factor on top of the speed (a player's
 * + and -), a pause and a jump move the anchor, never the timeline.
 *
 * The clock never reads the time and never waits: the caller passes the
 * time, in ns on pf_time_mono_ns's clock, and waits as it can.  So pf_play,
 * which sleeps and polls, and pf-live host, which runs a GLib main loop,
 * keep their pace with the same arithmetic.  Timestamps come from input:
 * what they give saturates, so a gap of centuries is due at the end of
 * time, never in the past.
 *
 * The clock also keeps repeated steps apart.  The app's attendee drops a
 * show_me or do_it with the type and stepId of the last one it took when
 * their timestamps are less than 500 ms apart (isDuplicateEvent in
 * grafana-pathfinder-app's src/integrations/workshop/action-replay.ts).
 * A repeat the recording kept that far apart can come closer when played
 * faster or with its pauses cut: the clock holds it back, and everything
 * after it, to min_repeat_gap after the step it repeats went out.
 *
 * Ownership: struct pf_clock is the caller's, usually embedded; it holds
 * a copy of the last step's id: release it with pf_clock_release.  Its
 * fields may be read; change them only through these functions.
 *
 * Errors: pf_clock_parse_speed returns -1 with err (PF_ERR_USAGE).
 */
#ifndef PF_CLOCK_H
#define PF_CLOCK_H

#include <stdint.h>

#include "pf_err.h"
#include "pf_event.h"

/* The speeds a clock takes, also with its factor. */
#define PF_CLOCK_SPEED_MIN 0.001	/* 1 s of session takes 16 min 40 s */
#define PF_CLOCK_SPEED_MAX 1000000.0	/* a year takes 32 s */
/* ms: the app's attendee drops a repeated step closer than this. */
#define PF_CLOCK_REPEAT_GAP 500

struct pf_clock {
	double speed;		/* PF_CLOCK_SPEED_MIN to _MAX; 0: no gaps */
	int64_t idle_limit;	/* ms: a longer gap is shortened to it; 0: none */
	double pos_ms;		/* the timeline, where the last event was placed */
	int have_prev;		/* the next event's gap is from prev_ts */
	int64_t prev_ts;
	int started;		/* anchored: deadlines can be told */
	int paused;
	double factor;		/* on top of the speed; 1 */
	int64_t anchor_ns;	/* the timeline was at anchor_ms then */
	double anchor_ms;
	int64_t min_repeat_gap;	/* ms kept between repeated steps; 0: none */
	char *step_id;		/* the last step that went out; NULL: none */
	enum pf_event_type step_type;
	int64_t step_ts;	/* as recorded */
	double step_ms;		/* where on the timeline it went out */
};

/*
 * Parses a speed as people write it: a plain decimal number from
 * PF_CLOCK_SPEED_MIN to _MAX ("0.5", "2", "1e3"), or "max" (0: as fast as
 * possible).  Returns 0, or -1 with err saying "'TEXT' is not a number
 * from 0.001 to 1000000, or max".
 */
int pf_clock_parse_speed(const char *s, double *speed, struct pf_err *err);

/*
 * A clock at the start of its timeline, not anchored, factor 1, that
 * keeps repeated steps min_repeat_gap ms apart (PF_CLOCK_REPEAT_GAP, the
 * app's; 0: not at all).  Overwrites c: release a clock in use first.
 */
void pf_clock_init(struct pf_clock *c, double speed, int64_t idle_limit,
    int64_t min_repeat_gap);

/* Frees what c holds (the last step's id).  pf_clock_init may follow. */
void pf_clock_release(struct pf_clock *c);

/*
 * Places the event of type recorded at ts on the timeline: after the
 * last one by their gap (none when ts is earlier), shortened to the idle
 * limit and divided by the speed; the first after pf_clock_init or
 * pf_clock_cut with no gap.  A show_me or do_it of step_id (NULL for
 * other types, or none) that repeats the last step that went out
 * (pf_clock_sent), recorded at least min_repeat_gap after it but placed
 * closer, is held back to min_repeat_gap after it (pf_clock_hold).
 * Returns its place, pos_ms.  An event without a timestamp is not
 * placed: it is due where the timeline is.
 */
double pf_clock_place(struct pf_clock *c, int64_t ts,
    enum pf_event_type type, const char *step_id);

/*
 * The event of type went out at out_ms on the timeline: when it is a
 * show_me or do_it, it is the last step, step_id (NULL: none), recorded
 * at ts (0 without a timestamp), for pf_clock_place to keep a repeat of
 * it apart.  out_ms is the place of the time its timestamp says, as the
 * attendee will read it: its pos_ms for a caller that stamps events with
 * the timeline, later for one stamping them when they are sent.
 */
void pf_clock_sent(struct pf_clock *c, enum pf_event_type type,
    const char *step_id, int64_t ts, double out_ms);

/* Nothing went out before: the next step repeats none (another session). */
void pf_clock_forget_step(struct pf_clock *c);

/* The next event placed gets no gap: it starts another stretch (another
 * input, or the first after events passed over). */
void pf_clock_cut(struct pf_clock *c);

/* Moves the timeline on to ms when it is not there yet: an event held
 * back, and everything after it, later. */
void pf_clock_hold(struct pf_clock *c, double ms);

/*
 * Anchors the timeline, where it is, at now.  Returns 1, or 0 when it
 * was anchored already (nothing changes).
 */
int pf_clock_start(struct pf_clock *c, int64_t now_ns);

/*
 * When the timeline reaches ms, on the monotonic clock, in ns: saturated.
 * Meaningful once started, and not while paused.
 */
int64_t pf_clock_deadline(const struct pf_clock *c, double ms);

/* Where the timeline is at now_ns: anchor_ms while paused or not started. */
double pf_clock_position(const struct pf_clock *c, int64_t now_ns);

/* The timeline is at ms now: a jump, which deadlines follow. */
void pf_clock_jump(struct pf_clock *c, double ms, int64_t now_ns);

/* Stops the timeline where it is at now_ns (paused 1), or sets it going
 * again from there (0). */
void pf_clock_pause(struct pf_clock *c, int paused, int64_t now_ns);

/*
 * Sets the factor on top of the speed from now_ns on.  Returns 1, or 0
 * (nothing changes) when the speed times factor would leave the range,
 * the speed taken as 1 when it is 0.
 */
int pf_clock_set_factor(struct pf_clock *c, double factor, int64_t now_ns);

#endif
