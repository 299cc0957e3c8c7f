/*
 * pf_clock: the timeline of a recording played in (scaled) real time and
 * its anchor on the monotonic clock, with repeated steps held apart; the
 * one clock of pf_play and pf-live host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_clock.h"
#include "pf_time.h"

int
pf_clock_parse_speed(const char *s, double *speed, struct pf_err *err)
{
	char *end;
	double v;

	if (strcmp(s, "max") == 0) {
		*speed = 0;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	/*
	 * Plain decimals only: no hex, no spaces, no inf; and a speed whose
	 * times stay far from overflowing.
	 */
	if (errno || end == s || *end ||
	    strspn(s, "0123456789.eE+-") != strlen(s) ||
	    !(v >= PF_CLOCK_SPEED_MIN && v <= PF_CLOCK_SPEED_MAX))
		return pf_err_set(err, PF_ERR_USAGE, 0, "'%s' is not a number "
		    "from 0.001 to 1000000, or max", s);
	*speed = v;
	return 0;
}

void
pf_clock_init(struct pf_clock *c, double speed, int64_t idle_limit,
    int64_t min_repeat_gap)
{
	memset(c, 0, sizeof(*c));
	c->speed = speed;
	c->idle_limit = idle_limit;
	c->factor = 1;
	c->min_repeat_gap = min_repeat_gap;
}

void
pf_clock_release(struct pf_clock *c)
{
	if (c == NULL)
		return;
	pf_clock_forget_step(c);
}

/*
 * Whether the step of type and step_id recorded at ts repeats the last
 * one, which the recording kept far enough from it for the app to take
 * both: then scaling must not bring it closer.
 */
static int
kept_apart(const struct pf_clock *c, enum pf_event_type type,
    const char *step_id, int64_t ts)
{
	return c->min_repeat_gap > 0 && pf_event_is_step(type) &&
	    c->step_id != NULL && step_id != NULL && type == c->step_type &&
	    strcmp(step_id, c->step_id) == 0 &&
	    pf_time_sub_sat(ts, c->step_ts) >= c->min_repeat_gap;
}

double
pf_clock_place(struct pf_clock *c, int64_t ts, enum pf_event_type type,
    const char *step_id)
{
	double gap = 0;

	if (c->have_prev) {
		/* In doubles: two int64 timestamps may differ by more. */
		gap = (double)ts - (double)c->prev_ts;
		if (gap < 0)
			gap = 0;
		if (c->idle_limit && gap > (double)c->idle_limit)
			gap = (double)c->idle_limit;
		gap = c->speed > 0 ? gap / c->speed : 0;
	}
	c->pos_ms += gap;
	c->prev_ts = ts;
	c->have_prev = 1;
	if (kept_apart(c, type, step_id, ts))
		pf_clock_hold(c, c->step_ms + (double)c->min_repeat_gap);
	return c->pos_ms;
}

void
pf_clock_sent(struct pf_clock *c, enum pf_event_type type,
    const char *step_id, int64_t ts, double out_ms)
{
	if (!pf_event_is_step(type))
		return;
	free(c->step_id);
	c->step_id = step_id ? pf_xstrdup(step_id) : NULL;
	c->step_type = type;
	c->step_ts = ts;
	c->step_ms = out_ms;
}

void
pf_clock_forget_step(struct pf_clock *c)
{
	free(c->step_id);
	c->step_id = NULL;
}

void
pf_clock_cut(struct pf_clock *c)
{
	c->have_prev = 0;
}

void
pf_clock_hold(struct pf_clock *c, double ms)
{
	if (c->pos_ms < ms)
		c->pos_ms = ms;
}

int
pf_clock_start(struct pf_clock *c, int64_t now_ns)
{
	if (c->started)
		return 0;
	c->started = 1;
	c->anchor_ns = now_ns;
	c->anchor_ms = c->pos_ms;
	return 1;
}

/* Saturated: a deadline centuries away is the end of time, not the past. */
int64_t
pf_clock_deadline(const struct pf_clock *c, double ms)
{
	return pf_time_add_sat(c->anchor_ns,
	    pf_time_round_sat((ms - c->anchor_ms) / c->factor * 1e6));
}

double
pf_clock_position(const struct pf_clock *c, int64_t now_ns)
{
	if (c->paused || !c->started)
		return c->anchor_ms;
	return c->anchor_ms + (double)(now_ns - c->anchor_ns) / 1e6 *
	    c->factor;
}

void
pf_clock_jump(struct pf_clock *c, double ms, int64_t now_ns)
{
	c->anchor_ns = now_ns;
	c->anchor_ms = ms;
}

void
pf_clock_pause(struct pf_clock *c, int paused, int64_t now_ns)
{
	if (paused == c->paused)
		return;
	/* The position is anchor_ms while paused: resuming goes on from it. */
	pf_clock_jump(c, pf_clock_position(c, now_ns), now_ns);
	c->paused = paused;
}

int
pf_clock_set_factor(struct pf_clock *c, double factor, int64_t now_ns)
{
	double v = (c->speed > 0 ? c->speed : 1) * factor;

	if (v < PF_CLOCK_SPEED_MIN || v > PF_CLOCK_SPEED_MAX)
		return 0;
	pf_clock_jump(c, pf_clock_position(c, now_ns), now_ns);
	c->factor = factor;
	return 1;
}
