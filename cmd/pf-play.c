/*
 * pf-play: replay recordings in (scaled) real time.  Each event is written
 * at the moment it happened, counted from the start of playback and
 * divided by the speed, against absolute deadlines on the monotonic clock
 * so that lateness never accumulates.  Events go to stdout, to an HTTP
 * endpoint, or become Grafana annotations; with --no-wait a recording is
 * time-scaled into a new one instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_diag.h"
#include "pf_event.h"
#include "pf_http.h"
#include "pf_jv.h"
#include "pf_source.h"
#include "pf_time.h"
#include "pf_version.h"
#include "pf_writer.h"

#define HTTP_RETRIES 4
/* The speeds accepted (their usage message says so too). */
#define SPEED_MIN 0.001		/* 1 s of session takes 16 min 40 s */
#define SPEED_MAX 1000000.0	/* a year takes 32 s */
#define MAX_SLEEP_NS 1000000000	/* sleep at most 1 s at a time */
#define SPIN_NS 300000		/* wait the last 0.3 ms of a deadline actively */
#define LATE_BUCKETS 100000	/* lateness histogram: 1 us buckets to 100 ms */

struct play {
	/* options */
	double speed;		/* 0: as fast as possible */
	int64_t idle_limit;	/* ms, 0: none */
	struct pf_position from, to;
	const char *from_arg, *to_arg;	/* as given, for messages */
	int have_from, have_to;
	char **types;		/* NULL-terminated, or NULL for all */
	char **exclude;
	int keep_timestamps;
	int no_wait;
	int64_t min_repeat_gap;
	int follow;
	int interactive;
	int stats;
	int quiet;
	int to_stdout;
	struct pf_http *post;
	struct pf_http *grafana;
	const char *dashboard_uid;

	/* the output timeline, in ms from the start of playback */
	double out_ms;
	int have_prev;		/* an event has been emitted in this file */
	int64_t prev_ts;	/* its recorded timestamp */
	int64_t origin_ts;	/* the first emitted event's, for --no-wait */
	int have_origin;
	char *step_id;		/* the last show_me/do_it emitted */
	enum pf_event_type step_type;
	int64_t step_ts;
	double step_out_ms;

	/* the clock: deadline = anchor_ns + (out_ms - anchor_ms) / factor */
	int clock_started;
	int64_t anchor_ns;
	double anchor_ms;
	double factor;		/* --interactive's +/- */
	int paused;

	/*
	 * The lateness playback caused itself, as of own_at_ns (a write or
	 * POST held up, a late wake-up), rather than its input: the live
	 * timestamps take it back.  See live_ts.
	 */
	int64_t own_ns;
	int64_t own_at_ns;

	/* --interactive */
	int tty;
	struct termios saved_tty;
	int tty_raw;
	int skip_to_step;	/* 'n': run to the next step */
	int quit;

	/* sinks and results */
	struct pf_writer *out;
	int flush_each;
	int stdout_closed;
	int stdout_stuck;	/* a signal gave up a write it did not take */
	unsigned long long stdout_lines;	/* the lines it took whole */
	long emitted;
	long delivered;		/* events every endpoint took */
	long failed_posts;
	long cut_line;		/* the event whose POST a signal cut short */
	long skipped_lines;
	int64_t start_ns;
	unsigned *late;		/* histogram of lateness, 1 us buckets */
	double late_sum;
	int64_t late_max_ns;
	long late_count;
	struct pf_buf line;
	struct pf_buf body;
	int status;
};

/* The number of the signal that asked playback to stop, or 0. */
static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	stop_requested = sig;
}

static const char usage_text[] =
"Usage: pf-play [OPTIONS] [FILE...]\n"
"Replay Pathfinder recordings in real time, or scaled.\n"
"\n"
"  -s, --speed F            play F times as fast (0.5, 2, ...); max: no waiting\n"
"  -i, --idle-limit D       shorten any gap longer than D (e.g. 5s)\n"
"      --from POS           start at POS: an offset (90s, 1:30), step:ID or\n"
"                           nav:N (the Nth navigation)\n"
"      --to POS             stop before POS\n"
"  -t, --types LIST         play only these event types (comma-separated)\n"
"  -x, --exclude-types LIST play all but these event types\n"
"      --keep-timestamps    leave the recorded timestamps as they are\n"
"  -n, --no-wait            write at once, timestamps scaled by --speed\n"
"      --min-repeat-gap D   keep repeated steps this far apart (default 500ms;\n"
"                           0 disables)\n"
"  -f, --follow             keep reading a recording that is being written\n"
"      --interactive        control playback from the terminal: space pauses,\n"
"                           + and - change the speed, n skips to the next\n"
"                           step, q quits\n"
"      --post URL           POST each event as JSON to URL\n"
"  -H, --header HEADER      add 'Name: value' to each POST (repeatable)\n"
"      --grafana URL        make each event a Grafana annotation\n"
"      --dashboard-uid UID  attach the annotations to a dashboard\n"
"      --stdout             also write events to stdout with --post/--grafana\n"
"      --stats              print timing statistics on stderr at the end\n"
"  -q, --quiet              do not report lines that are passed over\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Environment: GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD.\n"
"Exit status: 0 played, 1 some events could not be delivered or inputs\n"
"failed, 2 usage or I/O error, 128+N stopped by signal N (130 SIGINT).\n";

/* --- the clock ---------------------------------------------------------- */

/* Saturated: a deadline centuries away is the end of time, not the past. */
static int64_t
deadline_ns(const struct play *pl, double out_ms)
{
	return pf_time_add_sat(pl->anchor_ns,
	    pf_time_round_sat((out_ms - pl->anchor_ms) / pl->factor * 1e6));
}

/* Where the timeline is now, in output ms. */
static double
position_ms(const struct play *pl, int64_t now)
{
	if (pl->paused)
		return pl->anchor_ms;
	return pl->anchor_ms + (double)(now - pl->anchor_ns) / 1e6 * pl->factor;
}

/* Moves the anchor to now, so the factor or pause can change. */
static void
reanchor(struct play *pl, double at_ms)
{
	pl->anchor_ns = pf_time_mono_ns();
	pl->anchor_ms = at_ms;
}

static void
show_state(struct play *pl, const char *what)
{
	char pos[32];

	if (!pl->interactive || pl->tty < 0)
		return;
	pf_time_format_offset(pf_time_round_sat(position_ms(pl,
	    pf_time_mono_ns())), pos, sizeof(pos));
	fprintf(stderr, "\r\033[K[%s %gx] %s  %ld events  (space pause, "
	    "+/- speed, n next step, q quit)", pl->paused ? "paused" :
	    "playing", pl->speed ? pl->speed * pl->factor : 0, pos,
	    pl->emitted);
	if (what)
		fprintf(stderr, "  %s", what);
	fflush(stderr);
}

static void
handle_key(struct play *pl, char c)
{
	int64_t now = pf_time_mono_ns();

	switch (c) {
	case ' ':
		if (pl->paused) {
			pl->paused = 0;
			reanchor(pl, pl->anchor_ms);
		} else {
			reanchor(pl, position_ms(pl, now));
			pl->paused = 1;
		}
		break;
	case '+':
	case '-': {
		/* The speed stays within what --speed accepts. */
		double f = c == '+' ? pl->factor * 2 : pl->factor / 2;
		double v = (pl->speed > 0 ? pl->speed : 1) * f;

		if (v < SPEED_MIN || v > SPEED_MAX)
			return;
		reanchor(pl, position_ms(pl, now));
		pl->factor = f;
		break;
	}
	case 'n':
		pl->skip_to_step = 1;
		break;
	case 'q':
		pl->quit = 1;
		break;
	default:
		return;
	}
	show_state(pl, NULL);
}

/*
 * Waits until the timeline reaches out_ms.  Returns 0, or 1 when playback
 * should stop (a signal, q).
 */
static int
wait_until(struct play *pl, double out_ms)
{
	for (;;) {
		int64_t now, until;

		if (stop_requested || pl->quit)
			return 1;
		if (pl->skip_to_step) {
			/* Jump: the timeline is wherever this event is. */
			reanchor(pl, out_ms);
			return 0;
		}
		now = pf_time_mono_ns();
		if (!pl->paused) {
			until = deadline_ns(pl, out_ms);
			if (until <= now)
				return 0;
		} else {
			until = now + 1000000000;
		}
		if (pl->tty >= 0) {
			struct pollfd pfd = { pl->tty, POLLIN, 0 };
			int64_t left = until - now;
			int ms = left >= 1000000000 ? 1000 :
			    (int)((left + 999999) / 1000000);
			char c;

			if (poll(&pfd, 1, ms) > 0 &&
			    read(pl->tty, &c, 1) == 1)
				handle_key(pl, c);
			continue;
		}
		if (until - now <= SPIN_NS) {
			/*
			 * The last stretch is waited actively: a sleeping
			 * process on a busy or virtual machine wakes up to a
			 * millisecond late, too late for millisecond steps.
			 */
			while (pf_time_mono_ns() < until && !stop_requested)
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
note_lateness(struct play *pl, int64_t late_ns)
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

/* --- selection ---------------------------------------------------------- */

static int
in_list(char **list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
wanted(const struct play *pl, const struct pf_source_event *e)
{
	if (e->type == PF_EVENT_SESSION_START)
		return 1;	/* always: it gives a consumer its context */
	if (pl->types && !in_list(pl->types, e->type_name))
		return 0;
	if (pl->exclude && in_list(pl->exclude, e->type_name))
		return 0;
	return 1;
}

/* Per-input state for --from and --to. */
struct input_pos {
	int have_start;		/* the session's start time is known */
	int64_t start_ts;
	long navs;		/* navigation events seen */
	int from_reached;
};

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

/* --- output ------------------------------------------------------------- */

/*
 * POSTs body to h.  Returns 0 when delivered, 1 when it failed (reported),
 * -1 when a signal cut it short.
 */
static int
post_one(struct play *pl, struct pf_http *h, const struct pf_source_event *e,
    const char *body, size_t n)
{
	struct pf_err err;

	if (pf_http_post(h, body, n, HTTP_RETRIES, &err) == 0)
		return 0;
	if (err.errnum == EINTR) {
		pl->cut_line = e->line;
		return -1;
	}
	pf_diag_error("POST %s: event of line %ld: %s", pf_http_url(h),
	    e->line, err.msg);
	pl->failed_posts++;
	return 1;
}

/*
 * Sends an event to the endpoints.  Returns 0, or 1 when a signal cut a
 * POST short.
 */
static int
post_event(struct play *pl, const struct pf_source_event *e,
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
		const char *sid = e->session_id ? e->session_id : "unknown";

		pf_buf_reset(&pl->body);
		pf_buf_addf(&pl->body, "{\"time\":%" PRId64 ",\"tags\":["
		    "\"pathfinder\",", ts);
		pf_jv_dump_string(e->type_name, strlen(e->type_name),
		    &pl->body);
		pf_buf_adds(&pl->body, ",");
		{
			char *tag = pf_xasprintf("session:%s", sid);

			pf_jv_dump_string(tag, strlen(tag), &pl->body);
			free(tag);
		}
		pf_buf_adds(&pl->body, "],\"text\":");
		{
			struct pf_buf text = PF_BUF_INIT;

			pf_event_summary(e->type, e->ev, &text);
			pf_jv_dump_string(pf_buf_str(&text), text.len,
			    &pl->body);
			pf_buf_release(&text);
		}
		if (pl->dashboard_uid) {
			pf_buf_adds(&pl->body, ",\"dashboardUID\":");
			pf_jv_dump_string(pl->dashboard_uid,
			    strlen(pl->dashboard_uid), &pl->body);
		}
		pf_buf_addc(&pl->body, '}');
		if ((r = post_one(pl, pl->grafana, e, pl->body.data,
		    pl->body.len)) < 0)
			return 1;
		failed |= r;
	}
	if (!failed)
		pl->delivered++;
	return 0;
}

/* Writes e with its timestamp (and a heartbeat's sentAt) set to ts. */
static int
emit(struct play *pl, const struct pf_source_event *e, int64_t ts)
{
	struct pf_err err;
	const char *p = e->raw;
	size_t n = e->rawlen;

	if (!pl->keep_timestamps && (!e->has_ts || ts != e->ts)) {
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
	if (pl->out && !pl->stdout_closed) {
		if (pf_writer_line(pl->out, p, n, &err) < 0 ||
		    (pl->flush_each && pf_writer_flush(pl->out, &err) < 0)) {
			if (err.errnum == EPIPE) {
				/* The reader went away, as with head: done. */
				pl->stdout_closed = 1;
				return 1;
			}
			if (err.errnum == EINTR && stop_requested) {
				/* Its reader stopped reading; a signal came. */
				pl->stdout_stuck = 1;
				return 1;
			}
			pf_diag_error("<stdout>: %s", err.msg);
			pl->status = 2;
			return -1;
		}
	}
	if (post_event(pl, e, p, n, ts))
		return 1;
	pl->emitted++;
	return 0;
}

/*
 * The --no-wait timestamp: the first event's plus the output offset, exact
 * in whole ms, and saturated where the offset alone does not fit (from a
 * timestamp far below 0 to one far above).
 */
static int64_t
scaled_ts(const struct play *pl)
{
	int64_t off = pf_time_round_sat(pl->out_ms);

	if (off == INT64_MAX)
		return pf_time_round_sat((double)pl->origin_ts + pl->out_ms);
	return pf_time_add_sat(pl->origin_ts, off);
}

/*
 * Counts the time since the last call as playback's own (ours: waiting,
 * writing, POSTing) or as the input's, which pays off what playback owes:
 * had it not been late, it would only have waited longer for its input.
 */
static void
own_time(struct play *pl, int ours)
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
live_ts(struct play *pl)
{
	int64_t wall, late;

	own_time(pl, 1);
	wall = pf_time_now_ms();
	late = pf_time_sub_sat(pl->own_at_ns, deadline_ns(pl, pl->out_ms));
	if (pl->own_ns > late)
		pl->own_ns = late > 0 ? late : 0;
	return pf_time_sub_sat(wall, pf_time_round_sat((double)pl->own_ns /
	    1e6));
}

/*
 * Schedules and emits one event.  Returns 0 to go on, 1 to stop playing,
 * -1 on an output error.
 */
static int
play_event(struct play *pl, const struct pf_source_event *e)
{
	double gap = 0;
	int64_t ts;
	int held = 0, r;
	/* With -s max, which waits for nothing, the time of emission. */
	int live = !pl->keep_timestamps && !pl->no_wait && pl->speed > 0;

	/* Checked at every event: -s max and --no-wait never wait. */
	if (stop_requested || pl->quit)
		return 1;
	if (live)
		own_time(pl, 0);	/* reading up to this event */
	if (pl->have_prev && e->has_ts) {
		/* In doubles: two int64 timestamps may differ by more. */
		gap = (double)e->ts - (double)pl->prev_ts;
		if (gap < 0)
			gap = 0;
		if (pl->idle_limit && gap > (double)pl->idle_limit)
			gap = (double)pl->idle_limit;
		gap = pl->speed > 0 ? gap / pl->speed : 0;
	}
	pl->out_ms += gap;
	/*
	 * Pathfinder drops a show_me/do_it repeating the last one within
	 * 500 ms.  Where the recording kept them apart and scaling would
	 * not, hold the repeat back.
	 */
	if (pf_event_is_step(e->type) && pl->step_id && e->has_ts &&
	    pl->min_repeat_gap > 0 && e->type == pl->step_type) {
		const char *sid = pf_jv_str(pf_jv_get(e->ev, "stepId"));

		if (sid && strcmp(sid, pl->step_id) == 0 &&
		    pf_time_sub_sat(e->ts, pl->step_ts) >= pl->min_repeat_gap &&
		    pl->out_ms - pl->step_out_ms < (double)pl->min_repeat_gap) {
			pl->out_ms = pl->step_out_ms +
			    (double)pl->min_repeat_gap;
			held = 1;
		}
	}
	(void)held;
	if (!pl->clock_started) {
		pl->clock_started = 1;
		reanchor(pl, pl->out_ms);
		pl->start_ns = pl->anchor_ns;
	}
	if (!pl->no_wait && (pl->speed > 0 || pl->out_ms > pl->anchor_ms)) {
		if (wait_until(pl, pl->out_ms))
			return 1;
		if (pl->stats)
			note_lateness(pl, pf_time_mono_ns() -
			    deadline_ns(pl, pl->out_ms));
	}
	if (pl->skip_to_step && pf_event_is_step(e->type)) {
		pl->skip_to_step = 0;
		show_state(pl, NULL);
	}
	if (!pl->have_origin) {
		pl->origin_ts = e->has_ts ? e->ts : pf_time_now_ms();
		pl->have_origin = 1;
	}
	if (pl->keep_timestamps)
		ts = e->ts;
	else if (pl->no_wait)
		ts = scaled_ts(pl);
	else if (live)
		ts = live_ts(pl);
	else
		ts = pf_time_now_ms();
	r = emit(pl, e, ts);
	if (r != 0)
		return r;
	if (live)
		own_time(pl, 1);	/* the write or POST */
	if (e->has_ts) {
		pl->prev_ts = e->ts;
		pl->have_prev = 1;
	}
	if (pf_event_is_step(e->type)) {
		const char *sid = pf_jv_str(pf_jv_get(e->ev, "stepId"));

		free(pl->step_id);
		pl->step_id = sid ? pf_xstrdup(sid) : NULL;
		pl->step_type = e->type;
		pl->step_ts = e->ts;
		pl->step_out_ms = pl->out_ms;
	}
	if (pl->interactive)
		show_state(pl, NULL);
	return 0;
}

/* --- inputs ------------------------------------------------------------- */

static void
on_skip(void *ctx, const char *name, long line, const char *why)
{
	struct play *pl = ctx;

	pl->skipped_lines++;
	if (!pl->quiet)
		pf_diag_warn_at(name, line, "passed over: %s", why);
}

static int
follow_wait(void *ctx)
{
	struct timespec ts = { 0, 100 * 1000000 };

	(void)ctx;
	if (stop_requested)
		return 1;
	nanosleep(&ts, NULL);
	return stop_requested ? 1 : 0;
}

/*
 * After a whole input: a --from or --to step or navigation it never met is
 * an error, since a mistyped one would otherwise play nothing, or all.
 * Returns 0 or -1 (reported).
 */
static int
check_positions(struct play *pl, const char *name, const struct input_pos *ip,
    int to_reached)
{
	const struct pf_position *p = NULL;
	const char *opt = NULL, *arg = NULL;

	if (pl->have_from && !ip->from_reached &&
	    pl->from.kind != PF_POS_OFFSET) {
		if (to_reached) {
			pf_diag_error("%s: --from '%s' is not before --to '%s'",
			    name, pl->from_arg, pl->to_arg);
			return -1;
		}
		p = &pl->from;
		opt = "--from";
		arg = pl->from_arg;
	} else if (pl->have_to && !to_reached &&
	    pl->to.kind != PF_POS_OFFSET) {
		p = &pl->to;
		opt = "--to";
		arg = pl->to_arg;
	}
	if (p == NULL)
		return 0;
	if (p->kind == PF_POS_STEP)
		pf_diag_error("%s: %s '%s': the recording has no such step",
		    name, opt, arg);
	else if (ip->navs == 0)
		pf_diag_error("%s: %s '%s': the recording has no navigation",
		    name, opt, arg);
	else
		pf_diag_error("%s: %s '%s': the recording has only %ld "
		    "navigation%s", name, opt, arg, ip->navs,
		    ip->navs == 1 ? "" : "s");
	return -1;
}

/* What a restart of a followed file resets. */
struct follow {
	struct play *pl;
	struct input_pos *ip;
	const char *name;
};

/*
 * A followed file was truncated or replaced (tail -F): its new content is
 * another session, played from its start with nothing remembered of the
 * old one: not its position, navigations, last event or last step.
 */
static void
on_restart(void *ctx, int replaced)
{
	struct follow *f = ctx;
	struct play *pl = f->pl;

	pf_diag_error("%s: %s, playing from its start", f->name,
	    replaced ? "replaced" : "truncated");
	memset(f->ip, 0, sizeof(*f->ip));
	f->ip->from_reached = !pl->have_from;
	pl->have_prev = 0;
	free(pl->step_id);
	pl->step_id = NULL;
}

/* Plays one input.  Returns 0, 1 to stop playing, -1 on an error. */
static int
play_file(struct play *pl, const char *path)
{
	struct pf_source *src;
	struct pf_source_event e;
	struct input_pos ip;
	struct follow follow;
	struct pf_err err;
	int n, r = 0, to_reached = 0;

	src = pf_source_open(path, 0, &err);
	if (src == NULL) {
		pf_diag_error("%s: %s", path, err.msg);
		return -1;
	}
	pf_source_set_skip(src, on_skip, pl);
	pf_reader_set_interrupt(pf_source_reader(src), &stop_requested);
	memset(&ip, 0, sizeof(ip));
	if (pl->follow) {
		follow.pl = pl;
		follow.ip = &ip;
		follow.name = pf_source_name(src);
		pf_reader_set_follow(pf_source_reader(src), follow_wait, pl);
		pf_reader_set_restart(pf_source_reader(src), on_restart,
		    &follow);
	}
	ip.from_reached = !pl->have_from;
	pl->have_prev = 0;
	while ((n = pf_source_next(src, &e, &err)) > 0) {
		if (e.type == PF_EVENT_NAVIGATION)
			ip.navs++;
		if (!ip.have_start && e.has_ts &&
		    pf_event_is_handshake(e.type) == 0) {
			ip.have_start = 1;
			ip.start_ts = e.ts;
		}
		if (pl->have_to && at_position(&pl->to, &ip, &e)) {
			to_reached = 1;
			break;
		}
		if (!ip.from_reached) {
			if (!at_position(&pl->from, &ip, &e)) {
				if (e.type == PF_EVENT_SESSION_START &&
				    (r = play_event(pl, &e)) != 0)
					break;
				continue;
			}
			ip.from_reached = 1;
			/* Start right away, not after the skipped gap. */
			pl->have_prev = 0;
		}
		if (!wanted(pl, &e))
			continue;
		if (pf_event_is_handshake(e.type))
			continue;
		r = play_event(pl, &e);
		if (r != 0)
			break;
		if (e.type == PF_EVENT_SESSION_END && pl->follow)
			break;	/* a live session has ended: stop following */
	}
	if (n < 0) {
		if (err.errnum == EINTR)
			r = 1;
		else {
			pf_diag_error("%s: %s", pf_source_name(src), err.msg);
			r = -1;
		}
	}
	/* Only a whole input (or a live session ended) says what it lacks. */
	if (r == 0 && !pl->stdout_closed && !stop_requested && !pl->quit &&
	    check_positions(pl, pf_source_name(src), &ip, to_reached) < 0)
		r = -1;
	pf_source_free(src);
	return r;
}

/* --- options ------------------------------------------------------------ */

static char **
split_list(const char *s)
{
	size_t n = 1, i = 0;
	const char *p;
	char **list, *copy, *tok, *save = NULL;

	for (p = s; *p; p++)
		n += *p == ',';
	list = pf_xcalloc(n + 2, sizeof(*list));
	copy = pf_xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		list[i++] = pf_xstrdup(tok);
	free(copy);
	return list;
}

static void
free_list(char **list)
{
	char **p;

	if (list == NULL)
		return;
	for (p = list; *p; p++)
		free(*p);
	free(list);
}

static int
duration_opt(const char *opt, const char *s, int64_t *ms)
{
	struct pf_err err;

	if (pf_time_parse_duration(s, ms, &err) < 0) {
		pf_diag_usage("%s: %s", opt, err.msg);
		return -1;
	}
	return 0;
}

static int
http_opt(struct pf_http **h, const char *url)
{
	struct pf_err err;

	if (*h != NULL) {
		char *shown = pf_http_mask_url(url);

		pf_diag_usage("'%s': only one such URL may be given", shown);
		free(shown);
		return -1;
	}
	*h = pf_http_new(url, &err);
	if (*h == NULL) {
		pf_diag_usage("%s", err.msg);
		return -1;
	}
	return 0;
}

static int
parse_args(struct play *pl, int argc, char **argv, char ***headers)
{
	enum {
		OPT_FROM = 256, OPT_TO, OPT_KEEP, OPT_MIN_GAP, OPT_INTERACTIVE,
		OPT_POST, OPT_GRAFANA, OPT_DASHBOARD, OPT_STDOUT, OPT_STATS
	};
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, 's' },
		{ "idle-limit", required_argument, NULL, 'i' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "types", required_argument, NULL, 't' },
		{ "exclude-types", required_argument, NULL, 'x' },
		{ "keep-timestamps", no_argument, NULL, OPT_KEEP },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "min-repeat-gap", required_argument, NULL, OPT_MIN_GAP },
		{ "follow", no_argument, NULL, 'f' },
		{ "interactive", no_argument, NULL, OPT_INTERACTIVE },
		{ "post", required_argument, NULL, OPT_POST },
		{ "header", required_argument, NULL, 'H' },
		{ "grafana", required_argument, NULL, OPT_GRAFANA },
		{ "dashboard-uid", required_argument, NULL, OPT_DASHBOARD },
		{ "stdout", no_argument, NULL, OPT_STDOUT },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	size_t nheaders = 0;
	char *end;
	int ch;

	*headers = pf_xcalloc((size_t)argc + 1, sizeof(**headers));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":s:i:t:x:nfH:qhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			if (strcmp(optarg, "max") == 0) {
				pl->speed = 0;
				break;
			}
			errno = 0;
			pl->speed = strtod(optarg, &end);
			/*
			 * Plain decimals only: no hex, no spaces, no inf; and
			 * a speed whose times stay far from overflowing.
			 */
			if (errno || end == optarg || *end ||
			    strspn(optarg, "0123456789.eE+-") != strlen(optarg) ||
			    !(pl->speed >= SPEED_MIN && pl->speed <= SPEED_MAX)) {
				pf_diag_usage("--speed: '%s' is not a number "
				    "from 0.001 to 1000000, or max", optarg);
				return -1;
			}
			break;
		case 'i':
			if (duration_opt("--idle-limit", optarg,
			    &pl->idle_limit) < 0)
				return -1;
			break;
		case OPT_FROM:
		case OPT_TO: {
			struct pf_position *p = ch == OPT_FROM ? &pl->from :
			    &pl->to;

			pf_position_release(p);
			if (pf_time_parse_position(optarg, p, &err) < 0) {
				pf_diag_usage("%s: %s", ch == OPT_FROM ?
				    "--from" : "--to", err.msg);
				return -1;
			}
			if (ch == OPT_FROM) {
				pl->have_from = 1;
				pl->from_arg = optarg;
			} else {
				pl->have_to = 1;
				pl->to_arg = optarg;
			}
			break;
		}
		case 't':
			free_list(pl->types);
			pl->types = split_list(optarg);
			break;
		case 'x':
			free_list(pl->exclude);
			pl->exclude = split_list(optarg);
			break;
		case OPT_KEEP:
			pl->keep_timestamps = 1;
			break;
		case 'n':
			pl->no_wait = 1;
			break;
		case OPT_MIN_GAP:
			if (duration_opt("--min-repeat-gap", optarg,
			    &pl->min_repeat_gap) < 0)
				return -1;
			break;
		case 'f':
			pl->follow = 1;
			break;
		case OPT_INTERACTIVE:
			pl->interactive = 1;
			break;
		case OPT_POST:
			if (http_opt(&pl->post, optarg) < 0)
				return -1;
			break;
		case 'H':
			(*headers)[nheaders++] = optarg;
			break;
		case OPT_GRAFANA: {
			char *url;
			size_t len = strlen(optarg);
			int rc;

			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				url = pf_http_mask_url(optarg);
				pf_diag_usage("'%s' is not an http:// "
				    "or https:// URL", url);
				free(url);
				return -1;
			}
			while (len > 0 && optarg[len - 1] == '/')
				len--;
			url = pf_xasprintf("%.*s/api/annotations", (int)len,
			    optarg);
			rc = http_opt(&pl->grafana, url);
			free(url);
			if (rc < 0)
				return -1;
			break;
		}
		case OPT_DASHBOARD:
			pl->dashboard_uid = optarg;
			break;
		case OPT_STDOUT:
			pl->to_stdout = 1;
			break;
		case OPT_STATS:
			pl->stats = 1;
			break;
		case 'q':
			pl->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("pf-play %s\n", PF_VERSION);
			return 1;
		default:
			return pf_diag_bad_option(ch, argv);
		}
	}
	if (nheaders && pl->post == NULL) {
		pf_diag_usage("--header goes with --post");
		return -1;
	}
	for (size_t i = 0; i < nheaders; i++)
		if (pf_http_add_header(pl->post, (*headers)[i], &err) < 0) {
			pf_diag_usage("--header: %s", err.msg);
			return -1;
		}
	if (pl->dashboard_uid && pl->grafana == NULL) {
		pf_diag_usage("--dashboard-uid goes with --grafana");
		return -1;
	}
	if (pl->no_wait && (pl->follow || pl->interactive)) {
		pf_diag_usage("--no-wait does not go with %s", pl->follow ?
		    "--follow" : "--interactive");
		return -1;
	}
	return 0;
}

/*
 * Credentials for --grafana come from the environment, never argv.
 * Returns 0, or -1 (reported) for a token that would break its header.
 */
static int
grafana_auth(struct play *pl)
{
	const char *token = getenv("GRAFANA_TOKEN");
	const char *user = getenv("GRAFANA_USER");
	const char *password = getenv("GRAFANA_PASSWORD");
	struct pf_err err;

	if (token && *token) {
		if (pf_http_set_bearer(pl->grafana, token, &err) < 0) {
			pf_diag_error("GRAFANA_TOKEN: %s", err.msg);
			return -1;
		}
	} else if (user && *user)
		pf_http_set_basic(pl->grafana, user, password ? password : "");
	else if (!pl->quiet)
		pf_diag_warn("--grafana: neither GRAFANA_TOKEN nor "
		    "GRAFANA_USER is set; sending without credentials");
	return 0;
}

static void
tty_open(struct play *pl)
{
	struct termios raw;

	pl->tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (pl->tty < 0) {
		pf_diag_warn("--interactive: no terminal; playing without "
		    "controls");
		return;
	}
	if (tcgetattr(pl->tty, &pl->saved_tty) == 0) {
		raw = pl->saved_tty;
		raw.c_lflag &= (tcflag_t)~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(pl->tty, TCSANOW, &raw) == 0)
			pl->tty_raw = 1;
	}
}

static void
tty_close(struct play *pl)
{
	if (pl->tty < 0)
		return;
	if (pl->tty_raw)
		tcsetattr(pl->tty, TCSANOW, &pl->saved_tty);
	fputs("\n", stderr);
	close(pl->tty);
	pl->tty = -1;
}

static void
print_stats(struct play *pl)
{
	double elapsed = (double)(pf_time_mono_ns() - pl->start_ns) / 1e9;
	char line[256];
	long i, seen = 0, rank;
	double p99 = 0;

	if (!pl->clock_started)
		elapsed = 0;
	snprintf(line, sizeof(line), "%s: %ld events in %.3f s",
	    pf_diag_prog(), pl->emitted, elapsed);
	if (pl->late_count == 0) {
		fprintf(stderr, "%s (no waiting, no lateness measured)\n",
		    line);
		return;
	}
	rank = (long)ceil(0.99 * (double)pl->late_count);
	for (i = 0; i < LATE_BUCKETS; i++) {
		seen += pl->late[i];
		if (seen >= rank) {
			p99 = (double)(i + 1) / 1000.0;
			break;
		}
	}
	fprintf(stderr, "%s; lateness mean %.3f ms, p99 %.3f ms, max %.3f ms\n",
	    line, pl->late_sum / (double)pl->late_count / 1e6, p99,
	    (double)pl->late_max_ns / 1e6);
}

static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	}
	return "a signal";
}

/* One line: what a signal left played, delivered and cut short. */
static void
report_stop(const struct play *pl)
{
	char line[512];
	int n;

	n = snprintf(line, sizeof(line), "interrupted by %s: %ld event%s "
	    "played", signal_name(stop_requested), pl->emitted,
	    pl->emitted == 1 ? "" : "s");
	if (pl->stdout_stuck)
		n += snprintf(line + n, sizeof(line) - (size_t)n,
		    ", %llu written whole", pl->stdout_lines);
	if (pl->post || pl->grafana) {
		n += snprintf(line + n, sizeof(line) - (size_t)n,
		    ", %ld delivered", pl->delivered);
		if (pl->failed_posts)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    ", %ld not", pl->emitted - pl->delivered);
		if (pl->cut_line)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    "; the POST of the event of line %ld was cut "
			    "short", pl->cut_line);
	}
	if (pl->stdout_stuck)
		snprintf(line + n, sizeof(line) - (size_t)n, "; the standard "
		    "output was not being read");
	pf_diag_error("%s", line);
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct play pl;
	struct sigaction sa;
	struct pf_err err;
	char **headers = NULL, **files;
	int r, i;

	pf_diag_init(argv[0]);
	memset(&pl, 0, sizeof(pl));
	pl.speed = 1;
	pl.min_repeat_gap = 500;
	pl.factor = 1;
	pl.tty = -1;
	pf_buf_init(&pl.line);
	pf_buf_init(&pl.body);
	r = parse_args(&pl, argc, argv, &headers);
	if (r != 0) {
		pl.status = r < 0 ? 2 : 0;
		goto out;
	}
	files = optind < argc ? argv + optind : stdin_only;
	if (pl.grafana && grafana_auth(&pl) < 0) {
		pl.status = 2;
		goto out;
	}
	if (pl.post)
		pf_http_set_interrupt(pl.post, &stop_requested);
	if (pl.grafana)
		pf_http_set_interrupt(pl.grafana, &stop_requested);
	if ((pl.post == NULL && pl.grafana == NULL) || pl.to_stdout) {
		pl.out = pf_writer_fdopen(1, "<stdout>", 0, &err);
		/* A reader that stops reading cannot hold a signal back. */
		pf_writer_set_interrupt(pl.out, &stop_requested);
		/*
		 * A live consumer sees each event when it happens; with
		 * nothing to wait for, the output is buffered.
		 */
		pl.flush_each = !pl.no_wait && pl.speed > 0;
	}
	pl.late = pf_xcalloc(LATE_BUCKETS, sizeof(*pl.late));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked write comes back */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pl.interactive)
		tty_open(&pl);
#ifdef PR_SET_TIMERSLACK
	/*
	 * Linux may defer a timer by up to 50 us to batch wakeups; a player
	 * keeping millisecond deadlines asks it not to.
	 */
	if (!pl.no_wait)
		prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
	for (i = 0; files[i]; i++) {
		r = play_file(&pl, files[i]);
		if (r < 0 && pl.status == 2)
			break;
		if (r < 0)
			pl.status = 1;
		if (r > 0 || pl.stdout_closed || stop_requested || pl.quit)
			break;
	}
	tty_close(&pl);
	if (pl.out) {
		/* What is still buffered, then what went out, then close. */
		if (!pl.stdout_stuck && pf_writer_flush(pl.out, &err) < 0 &&
		    err.errnum == EINTR && stop_requested)
			pl.stdout_stuck = 1;
		pl.stdout_lines = pf_writer_lines(pl.out);
		if (pf_writer_close(pl.out, &err) < 0 && err.errnum != EPIPE &&
		    !pl.stdout_stuck && pl.status != 2 && !pl.stdout_closed) {
			pf_diag_error("<stdout>: %s", err.msg);
			pl.status = 2;
		}
		pl.out = NULL;
	}
	if (pl.failed_posts && pl.status == 0)
		pl.status = 1;
	if (pl.stats)
		print_stats(&pl);
	if (stop_requested) {
		report_stop(&pl);
		pl.status = 128 + stop_requested;
	}
out:
	pf_writer_close(pl.out, NULL);
	pf_http_free(pl.post);
	pf_http_free(pl.grafana);
	pf_position_release(&pl.from);
	pf_position_release(&pl.to);
	free_list(pl.types);
	free_list(pl.exclude);
	free(pl.step_id);
	free(pl.late);
	free(headers);
	pf_buf_release(&pl.line);
	pf_buf_release(&pl.body);
	if (pf_diag_close_stdout(1) && pl.status == 0 && !pl.stdout_closed)
		pl.status = 2;
	return pl.status;
}
