/*
 * pf_clock: the timeline of a recording played in (scaled) real time and
 * its anchor on the monotonic clock; the one clock of pf_play and
 * pf-live host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
pf_clock_init(struct pf_clock *c, double speed, int64_t idle_limit)
{
	memset(c, 0, sizeof(*c));
	c->speed = speed;
	c->idle_limit = idle_limit;
	c->factor = 1;
}

double
pf_clock_place(struct pf_clock *c, int64_t ts)
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
	return c->pos_ms;
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

int64_t
pf_clock_due_ns(struct pf_clock *c, int64_t ts, int64_t now_ns)
{
	double ms = pf_clock_place(c, ts);

	pf_clock_start(c, now_ns);
	return pf_clock_deadline(c, ms);
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
