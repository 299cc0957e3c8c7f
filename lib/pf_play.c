/*
 * pf_play: the player: waiting for the deadlines of its clock (pf_clock),
 * the keys that steer it, the choice of events (--from, --to, types), and
 * the sinks events go to (a writer, an HTTP endpoint, Grafana annotations).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_event.h"
#include "pf_jv.h"
#include "pf_jw.h"
#include "pf_play.h"

#define HTTP_RETRIES 4
#define MAX_SLEEP_NS 1000000000	/* sleep at most 1 s at a time */
#define SPIN_NS 300000		/* wait the last 0.3 ms of a deadline actively */
#define LATE_BUCKETS 100000	/* lateness histogram: 1 us buckets to 100 ms */
#define FOLLOW_POLL_NS 100000000	/* how often a followed input is read */

/* Per-input state for --from and --to. */
struct input_pos {
	int have_start;		/* the session's start time is known */
	int64_t start_ts;
	long navs;		/* navigation events seen */
	int from_reached;
};

struct pf_play {
	struct pf_play_config cfg;
	struct pf_play_hooks hooks;
	void *ctx;

	/*
	 * The clock: the output timeline, in ms from the start of playback
	 * (clock.pos_ms, where the last event was placed), and its anchor.
	 */
	struct pf_clock clock;
	int64_t origin_ts;	/* the first emitted event's, for no_wait */
	int have_origin;

	/*
	 * The lateness playback caused itself, as of own_at_ns (a write or
	 * POST held up, a late wake-up), rather than its input: the live
	 * timestamps take it back.  See live_ts.
	 */
	int64_t own_ns;
	int64_t own_at_ns;

	/* keys */
	int keys;
	int skip_to_step;	/* 'n': run to the next step */
	int quit;

	/* the input being played */
	struct pf_source *src;
	struct input_pos ip;

	/* sinks */
	struct pf_writer *out;
	int flush_each;
	struct pf_http *post;
	struct pf_http *grafana;
	const char *dashboard_uid;

	struct pf_play_counts counts;
	int64_t start_ns;
	unsigned *late;		/* histogram of lateness, 1 us buckets */
	double late_sum;
	int64_t late_max_ns;
	long late_count;
	struct pf_buf line;
	struct pf_buf body;
};

static int
stop_asked(const struct pf_play *pl)
{
	return pl->cfg.stop != NULL && *pl->cfg.stop != 0;
}

/* Whether playback is to stop before its next event. */
static int
stopping(const struct pf_play *pl)
{
	return stop_asked(pl) || pl->quit;
}

static void
tell_state(struct pf_play *pl)
{
	if (pl->hooks.state)
		pl->hooks.state(pl->ctx);
}

/* --- waiting for the clock ---------------------------------------------- */

int
pf_play_key(struct pf_play *pl, int c)
{
	struct pf_clock *ck = &pl->clock;
	int64_t now = pf_time_mono_ns();

	switch (c) {
	case ' ':
		pf_clock_pause(ck, !ck->paused, now);
		break;
	case '+':
	case '-':
		if (!pf_clock_set_factor(ck, c == '+' ? ck->factor * 2 :
		    ck->factor / 2, now))
			return 0;
		break;
	case 'n':
		pl->skip_to_step = 1;
		break;
	case 'q':
		pl->quit = 1;
		break;
	default:
		return 0;
	}
	tell_state(pl);
	return 1;
}

/*
 * Waits until the timeline reaches out_ms.  Returns 0, or 1 when playback
 * should stop.
 */
static int
wait_until(struct pf_play *pl, double out_ms)
{
	for (;;) {
		int64_t now, until;

		if (stopping(pl))
			return 1;
		now = pf_time_mono_ns();
		if (pl->skip_to_step) {
			/* Jump: the timeline is wherever this event is. */
			pf_clock_jump(&pl->clock, out_ms, now);
			return 0;
		}
		if (!pl->clock.paused) {
			until = pf_clock_deadline(&pl->clock, out_ms);
			if (until <= now)
				return 0;
		} else {
			until = now + 1000000000;
		}
		if (pl->keys >= 0) {
			struct pollfd pfd = { pl->keys, POLLIN, 0 };
			int64_t left = until - now;
			int ms = left >= 1000000000 ? 1000 :
			    (int)((left + 999999) / 1000000);
			char c;

			if (poll(&pfd, 1, ms) > 0 && read(pl->keys, &c, 1) == 1)
				pf_play_key(pl, c);
			continue;
		}
		if (until - now <= SPIN_NS) {
			/*
			 * The last stretch is waited actively: a sleeping
			 * process on a busy or virtual machine wakes up to a
			 * millisecond late, too late for millisecond steps.
			 */
			while (pf_time_mono_ns() < until && !stop_asked(pl))
				;
			continue;
		}
		{
			struct timespec ts;
			int64_t wake = until - SPIN_NS;

			if (wake - now > MAX_SLEEP_NS)
				wake = now + MAX_SLEEP_NS;

			ts.tv_sec = wake / 1000000000;
			ts.tv_nsec = wake % 1000000000;
			/* EINTR (a signal) brings us back to the check. */
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
			    NULL);
		}
	}
}

static void
note_lateness(struct pf_play *pl, int64_t late_ns)
{
	int64_t us;

	if (late_ns < 0)
		late_ns = 0;
	us = late_ns / 1000;
	pl->late[us < LATE_BUCKETS ? us : LATE_BUCKETS - 1]++;
	pl->late_sum += (double)late_ns;
	if (late_ns > pl->late_max_ns)
		pl->late_max_ns = late_ns;
	pl->late_count++;
}

/*
 * The no_wait timestamp: the first event's plus the output offset, exact
 * in whole ms, and saturated where the offset alone does not fit (from a
 * timestamp far below 0 to one far above).
 */
static int64_t
scaled_ts(const struct pf_play *pl)
{
	int64_t off = pf_time_round_sat(pl->clock.pos_ms);

	if (off == INT64_MAX)
		return pf_time_round_sat((double)pl->origin_ts +
		    pl->clock.pos_ms);
	return pf_time_add_sat(pl->origin_ts, off);
}

/*
 * Counts the time since the last call as playback's own (ours: waiting,
 * writing, POSTing) or as the input's, which pays off what playback owes:
 * had it not been late, it would only have waited longer for its input.
 */
static void
own_time(struct pf_play *pl, int ours)
{
	int64_t now = pf_time_mono_ns();
	int64_t d = pf_time_sub_sat(now, pl->own_at_ns);

	pl->own_ns = ours ? pf_time_add_sat(pl->own_ns, d) :
	    pf_time_sub_sat(pl->own_ns, d);
	if (pl->own_ns < 0)
		pl->own_ns = 0;
	pl->own_at_ns = now;
}

/*
 * The live timestamp: the wall-clock time at which the event was due, so
 * that events a held-up write or POST made late (a reader that stops
 * reading, a slow endpoint) keep their pace.  Only the lateness playback
 * caused itself is taken back, never what its input caused (a followed
 * file, a pipe waiting for its writer): an event is not stamped before it
 * was read.  Never after now.
 */
static int64_t
live_ts(struct pf_play *pl)
{
	int64_t wall, late;

	own_time(pl, 1);
	wall = pf_time_now_ms();
	late = pf_time_sub_sat(pl->own_at_ns, pf_clock_deadline(&pl->clock,
	    pl->clock.pos_ms));
	if (pl->own_ns > late)
		pl->own_ns = late > 0 ? late : 0;
	return pf_time_sub_sat(wall, pf_time_round_sat((double)pl->own_ns /
	    1e6));
}

/* --- sinks -------------------------------------------------------------- */

void
pf_play_annotation(struct pf_buf *out, const struct pf_source_event *e,
    int64_t ts, const char *dashboard_uid)
{
	const char *sid = e->session_id ? e->session_id : "unknown";
	struct pf_buf text = PF_BUF_INIT;
	struct pf_jw w;
	char *tag;

	tag = pf_xasprintf("session:%s", sid);
	pf_event_summary(e->type, e->ev, &text);
	pf_jw_init(&w, out, 0);
	pf_jw_begin(&w, NULL);
	pf_jw_int(&w, "time", ts);
	pf_jw_array_begin(&w, "tags");
	pf_jw_string(&w, NULL, "pathfinder");
	pf_jw_string(&w, NULL, e->type_name);
	pf_jw_string(&w, NULL, tag);
	pf_jw_array_end(&w);
	pf_jw_string(&w, "text", pf_buf_str(&text));
	if (dashboard_uid)
		pf_jw_string(&w, "dashboardUID", dashboard_uid);
	pf_jw_end(&w);
	pf_buf_release(&text);
	free(tag);
}

/*
 * POSTs body to h.  Returns 0 when delivered, 1 when it failed (told),
 * -1 when a signal cut it short.
 */
static int
post_one(struct pf_play *pl, struct pf_http *h,
    const struct pf_source_event *e, const char *body, size_t n)
{
	struct pf_err err;

	if (pf_http_post(h, body, n, HTTP_RETRIES, &err) == 0)
		return 0;
	if (err.errnum == EINTR) {
		pl->counts.cut_line = e->line;
		return -1;
	}
	if (pl->hooks.post_failed)
		pl->hooks.post_failed(pl->ctx, pf_http_url(h), e->line,
		    err.msg);
	pl->counts.failed_posts++;
	return 1;
}

/*
 * Sends an event to the endpoints.  Returns 0, or 1 when a signal cut a
 * POST short.
 */
static int
post_event(struct pf_play *pl, const struct pf_source_event *e,
    const char *line, size_t n, int64_t ts)
{
	int failed = 0, r;

	if (pl->post == NULL && pl->grafana == NULL)
		return 0;
	if (pl->post) {
		if ((r = post_one(pl, pl->post, e, line, n)) < 0)
			return 1;
		failed |= r;
	}
	if (pl->grafana) {
		pf_buf_reset(&pl->body);
		pf_play_annotation(&pl->body, e, ts, pl->dashboard_uid);
		if ((r = post_one(pl, pl->grafana, e, pl->body.data,
		    pl->body.len)) < 0)
			return 1;
		failed |= r;
	}
	if (!failed)
		pl->counts.delivered++;
	return 0;
}

/*
 * Writes e with its timestamp (and a heartbeat's sentAt) set to ts.
 * Returns 0, 1 when playback is to stop, -1 with err when the output
 * failed.
 */
static int
emit(struct pf_play *pl, const struct pf_source_event *e, int64_t ts,
    struct pf_err *err)
{
	const char *p = e->raw;
	size_t n = e->rawlen;

	if (!pl->cfg.keep_timestamps && (!e->has_ts || ts != e->ts)) {
		char num[32], sent[32];
		struct pf_jv_edit edits[2] = {
			{ "timestamp", num }, { "sentAt", sent }
		};
		const struct pf_jv *sa = pf_jv_get(e->ev, "sentAt");
		size_t nedits = 1;

		snprintf(num, sizeof(num), "%" PRId64, ts);
		if (pf_jv_is(sa, PF_JV_INTEGER) && e->has_ts) {
			/* A heartbeat's send time moves with its timestamp. */
			snprintf(sent, sizeof(sent), "%" PRId64,
			    pf_time_add_sat(sa->u.i, pf_time_sub_sat(ts,
			    e->ts)));
			nedits = 2;
		}
		pf_buf_reset(&pl->line);
		pf_jv_splice(e->raw, e->rawlen, e->ev, edits, nedits,
		    &pl->line);
		p = pl->line.data;
		n = pl->line.len;
	}
	if (pl->out && !pl->counts.output_closed) {
		if (pf_writer_line(pl->out, p, n, err) < 0 ||
		    (pl->flush_each && pf_writer_flush(pl->out, err) < 0)) {
			if (err->errnum == EPIPE) {
				/* The reader went away, as with head: done. */
				pl->counts.output_closed = 1;
				return 1;
			}
			if (err->errnum == EINTR && stop_asked(pl)) {
				/* Its reader stopped reading; a signal came. */
				pl->counts.output_stuck = 1;
				return 1;
			}
			pl->counts.output_failed = 1;
			return -1;
		}
	}
	if (post_event(pl, e, p, n, ts))
		return 1;
	pl->counts.emitted++;
	return 0;
}

/* --- scheduling --------------------------------------------------------- */

/*
 * Schedules and emits one event.  Returns 0 to go on, 1 to stop playing,
 * -1 with err when the output failed.
 */
static int
play_event(struct pf_play *pl, const struct pf_source_event *e,
    struct pf_err *err)
{
	struct pf_clock *ck = &pl->clock;
	const char *sid = NULL;
	int64_t ts;
	int r;
	/* With speed 0, which waits for nothing, the time of emission. */
	int live = !pl->cfg.keep_timestamps && !pl->cfg.no_wait &&
	    pl->cfg.speed > 0;

	/* Checked at every event: speed 0 and no_wait never wait. */
	if (stopping(pl))
		return 1;
	if (live)
		own_time(pl, 0);	/* reading up to this event */
	if (pf_event_is_step(e->type))
		sid = pf_jv_str(pf_jv_get(e->ev, "stepId"));
	/* A repeated step too close for the app is held back there. */
	if (e->has_ts)
		pf_clock_place(ck, e->ts, e->type, sid);
	if (!ck->started) {
		pl->start_ns = pf_time_mono_ns();
		pf_clock_start(ck, pl->start_ns);
	}
	if (!pl->cfg.no_wait && (pl->cfg.speed > 0 ||
	    ck->pos_ms > ck->anchor_ms)) {
		if (wait_until(pl, ck->pos_ms))
			return 1;
		if (pl->late)
			note_lateness(pl, pf_time_mono_ns() -
			    pf_clock_deadline(ck, ck->pos_ms));
	}
	if (pl->skip_to_step && pf_event_is_step(e->type)) {
		pl->skip_to_step = 0;
		tell_state(pl);
	}
	if (!pl->have_origin) {
		pl->origin_ts = e->has_ts ? e->ts : pf_time_now_ms();
		pl->have_origin = 1;
	}
	if (pl->cfg.keep_timestamps)
		ts = e->ts;
	else if (pl->cfg.no_wait)
		ts = scaled_ts(pl);
	else if (live)
		ts = live_ts(pl);
	else
		ts = pf_time_now_ms();
	r = emit(pl, e, ts, err);
	if (r != 0)
		return r;
	if (live)
		own_time(pl, 1);	/* the write or POST */
	/* Stamped with the timeline (live_ts takes lateness back): pos_ms. */
	pf_clock_sent(ck, e->type, sid, e->ts, ck->pos_ms);
	tell_state(pl);
	return 0;
}

/* --- selection ---------------------------------------------------------- */

static int
in_list(char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
wanted(const struct pf_play *pl, const struct pf_source_event *e)
{
	if (e->type == PF_EVENT_SESSION_START)
		return 1;	/* always: it gives a consumer its context */
	if (pl->cfg.types && !in_list(pl->cfg.types, e->type_name))
		return 0;
	if (pl->cfg.exclude && in_list(pl->cfg.exclude, e->type_name))
		return 0;
	return 1;
}

/* Whether e is at or past position p (e's own navigation counted). */
static int
at_position(const struct pf_position *p, const struct input_pos *ip,
    const struct pf_source_event *e)
{
	const char *sid;

	switch (p->kind) {
	case PF_POS_OFFSET:
		return e->has_ts && ip->have_start &&
		    pf_time_sub_sat(e->ts, ip->start_ts) >= p->ms;
	case PF_POS_STEP:
		sid = pf_jv_str(pf_jv_get(e->ev, "stepId"));
		return sid != NULL && strcmp(sid, p->id) == 0;
	case PF_POS_NAV:
		return e->type == PF_EVENT_NAVIGATION && ip->navs == p->nth;
	}
	return 0;
}

/*
 * After a whole input: a from or to step or navigation it never met is an
 * error, since a mistyped one would otherwise play nothing, or all.
 * Returns 0 or -1.
 */
static int
check_positions(const struct pf_play *pl, int to_reached, struct pf_err *err)
{
	const struct pf_position *from = pl->cfg.from, *to = pl->cfg.to;
	const struct pf_position *p = NULL;
	const char *opt = NULL, *arg = NULL;
	long navs = pl->ip.navs;

	if (from && !pl->ip.from_reached && from->kind != PF_POS_OFFSET) {
		if (to_reached)
			return pf_err_set(err, PF_ERR_DATA, 0, "--from '%s' is "
			    "not before --to '%s'", pl->cfg.from_arg,
			    pl->cfg.to_arg);
		p = from;
		opt = "--from";
		arg = pl->cfg.from_arg;
	} else if (to && !to_reached && to->kind != PF_POS_OFFSET) {
		p = to;
		opt = "--to";
		arg = pl->cfg.to_arg;
	}
	if (p == NULL)
		return 0;
	if (p->kind == PF_POS_STEP)
		return pf_err_set(err, PF_ERR_DATA, 0, "%s '%s': the recording "
		    "has no such step", opt, arg);
	if (navs == 0)
		return pf_err_set(err, PF_ERR_DATA, 0, "%s '%s': the recording "
		    "has no navigation", opt, arg);
	return pf_err_set(err, PF_ERR_DATA, 0, "%s '%s': the recording has "
	    "only %ld navigation%s", opt, arg, navs, navs == 1 ? "" : "s");
}

/* --- inputs ------------------------------------------------------------- */

static int
follow_wait(void *ctx)
{
	struct pf_play *pl = ctx;
	struct timespec ts = { 0, FOLLOW_POLL_NS };

	if (stop_asked(pl))
		return 1;
	nanosleep(&ts, NULL);
	return stop_asked(pl) ? 1 : 0;
}

/*
 * A followed file was truncated or replaced (tail -F): its new content is
 * another session, played from its start with nothing remembered of the
 * old one: not its position, navigations, last event or last step.
 */
static void
on_restart(void *ctx, int replaced)
{
	struct pf_play *pl = ctx;

	if (pl->hooks.restarted)
		pl->hooks.restarted(pl->ctx, pf_source_name(pl->src),
		    replaced);
	memset(&pl->ip, 0, sizeof(pl->ip));
	pl->ip.from_reached = pl->cfg.from == NULL;
	pf_clock_cut(&pl->clock);
	pf_clock_forget_step(&pl->clock);
}

int
pf_play_source(struct pf_play *pl, struct pf_source *src, struct pf_err *err)
{
	struct pf_reader *rd = pf_source_reader(src);
	struct pf_source_event e;
	struct input_pos *ip = &pl->ip;
	int n, r = 0, to_reached = 0;

	pl->src = src;
	pf_reader_set_interrupt(rd, pl->cfg.stop);
	if (pl->cfg.follow) {
		pf_reader_set_follow(rd, follow_wait, pl);
		pf_reader_set_restart(rd, on_restart, pl);
	}
	memset(ip, 0, sizeof(*ip));
	ip->from_reached = pl->cfg.from == NULL;
	pf_clock_cut(&pl->clock);
	while ((n = pf_source_next(src, &e, err)) > 0) {
		if (e.type == PF_EVENT_NAVIGATION)
			ip->navs++;
		if (!ip->have_start && e.has_ts &&
		    pf_event_is_handshake(e.type) == 0) {
			ip->have_start = 1;
			ip->start_ts = e.ts;
		}
		if (pl->cfg.to && at_position(pl->cfg.to, ip, &e)) {
			to_reached = 1;
			break;
		}
		if (!ip->from_reached) {
			if (!at_position(pl->cfg.from, ip, &e)) {
				if (e.type == PF_EVENT_SESSION_START &&
				    (r = play_event(pl, &e, err)) != 0)
					break;
				continue;
			}
			ip->from_reached = 1;
			/* Start right away, not after the skipped gap. */
			pf_clock_cut(&pl->clock);
		}
		if (!wanted(pl, &e))
			continue;
		if (pf_event_is_handshake(e.type))
			continue;
		r = play_event(pl, &e, err);
		if (r != 0)
			break;
		if (e.type == PF_EVENT_SESSION_END && pl->cfg.follow)
			break;	/* a live session has ended: stop following */
	}
	if (n < 0)
		r = err->errnum == EINTR ? 1 : -1;
	/* Only a whole input (or a live session ended) says what it lacks. */
	if (r == 0 && !pf_play_over(pl) && check_positions(pl, to_reached,
	    err) < 0)
		r = -1;
	pl->src = NULL;
	return r;
}

/* --- the player --------------------------------------------------------- */

struct pf_play *
pf_play_new(const struct pf_play_config *cfg,
    const struct pf_play_hooks *hooks, void *ctx)
{
	struct pf_play *pl = pf_xcalloc(1, sizeof(*pl));

	pl->cfg = *cfg;
	if (hooks)
		pl->hooks = *hooks;
	pl->ctx = ctx;
	pf_clock_init(&pl->clock, cfg->speed, cfg->idle_limit,
	    cfg->min_repeat_gap);
	pl->keys = -1;
	pf_buf_init(&pl->line);
	pf_buf_init(&pl->body);
	if (cfg->stats)
		pl->late = pf_xcalloc(LATE_BUCKETS, sizeof(*pl->late));
	return pl;
}

void
pf_play_set_output(struct pf_play *pl, struct pf_writer *w)
{
	pl->out = w;
	if (w == NULL)
		return;
	/* A reader that stops reading cannot hold a signal back. */
	pf_writer_set_interrupt(w, pl->cfg.stop);
	/*
	 * A live consumer sees each event when it happens; with nothing to
	 * wait for, the output is buffered.
	 */
	pl->flush_each = !pl->cfg.no_wait && pl->cfg.speed > 0;
}

void
pf_play_set_post(struct pf_play *pl, struct pf_http *h)
{
	pl->post = h;
	if (h)
		pf_http_set_interrupt(h, pl->cfg.stop);
}

void
pf_play_set_grafana(struct pf_play *pl, struct pf_http *h,
    const char *dashboard_uid)
{
	pl->grafana = h;
	pl->dashboard_uid = dashboard_uid;
	if (h)
		pf_http_set_interrupt(h, pl->cfg.stop);
}

void
pf_play_set_keys(struct pf_play *pl, int fd)
{
	pl->keys = fd;
}

int
pf_play_over(const struct pf_play *pl)
{
	return pl->counts.output_closed || stopping(pl);
}

int
pf_play_finish(struct pf_play *pl, struct pf_err *err)
{
	struct pf_play_counts *c = &pl->counts;
	struct pf_err ferr;
	int r = 0;

	if (pl->out == NULL)
		return 0;
	/* What is still buffered, then what went out, then close. */
	if (!c->output_stuck && pf_writer_flush(pl->out, &ferr) < 0 &&
	    ferr.errnum == EINTR && stop_asked(pl))
		c->output_stuck = 1;
	c->output_lines = pf_writer_lines(pl->out);
	if (pf_writer_close(pl->out, err) < 0 && err->errnum != EPIPE &&
	    !c->output_stuck && !c->output_failed && !c->output_closed)
		r = -1;
	pl->out = NULL;
	return r;
}

void
pf_play_state(const struct pf_play *pl, struct pf_play_state *st)
{
	st->paused = pl->clock.paused;
	st->speed = pl->cfg.speed ? pl->cfg.speed * pl->clock.factor : 0;
	st->position_ms = pf_time_round_sat(pf_clock_position(&pl->clock,
	    pf_time_mono_ns()));
	st->emitted = pl->counts.emitted;
}

const struct pf_play_counts *
pf_play_counts(const struct pf_play *pl)
{
	return &pl->counts;
}

void
pf_play_stats(const struct pf_play *pl, struct pf_play_stats *st)
{
	long i, seen = 0, rank;

	memset(st, 0, sizeof(*st));
	if (pl->clock.started)
		st->elapsed_s = (double)(pf_time_mono_ns() - pl->start_ns) /
		    1e9;
	st->late_count = pl->late_count;
	if (pl->late_count == 0)
		return;
	rank = (long)ceil(0.99 * (double)pl->late_count);
	for (i = 0; i < LATE_BUCKETS; i++) {
		seen += pl->late[i];
		if (seen >= rank) {
			st->late_p99_ms = (double)(i + 1) / 1000.0;
			break;
		}
	}
	st->late_mean_ms = pl->late_sum / (double)pl->late_count / 1e6;
	st->late_max_ms = (double)pl->late_max_ns / 1e6;
}

void
pf_play_free(struct pf_play *pl)
{
	if (pl == NULL)
		return;
	pf_writer_close(pl->out, NULL);
	pf_clock_release(&pl->clock);
	free(pl->late);
	pf_buf_release(&pl->line);
	pf_buf_release(&pl->body);
	free(pl);
}
