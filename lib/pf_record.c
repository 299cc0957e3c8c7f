/*
 * pf_record: the recorder: framing (made-up session_start and
 * session_end, the session id), time (believable timestamps, the
 * presenter's clock), redaction, the output's publishing and fsync, and
 * continuing a recording.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_event.h"
#include "pf_jv.h"
#include "pf_record.h"
#include "pf_time.h"

/* A timestamp further ahead of the clock than this is not believed. */
#define FUTURE_SLACK_MS ((int64_t)24 * 3600 * 1000)

/* After a session_end, how long the others of a session may take to come. */
#define END_GRACE_NS ((int64_t)1000 * 1000000)

struct pf_record {
	struct pf_record_config cfg;
	struct pf_record_hooks hooks;
	void *ctx;

	struct pf_writer *out;
	struct pf_writer *copy;
	int closed;
	struct pf_jv_parser *parser;
	struct pf_jv_parser *reparser;
	char *session_id;	/* the stream's, from its first event with it */
	int started;		/* a session_start is in the recording */
	int made_up;		/* ... and it is the recorder's own */
	int end_received;	/* a session_end came in */
	int ending;		/* ... and only more session_end may follow */
	int64_t end_deadline_ns;	/* until then */
	int64_t last_ts;	/* the presenter's clock: the last timestamp */
	int have_last_ts;
	int64_t last_any_ts;	/* the latest timestamp of any clock */
	int have_any_ts;
	int64_t first_ts;
	int64_t skew;		/* arrival minus timestamp, of the last event */
	long events;
	long rejected;
	long dropped;
	int64_t last_fsync_ns;
	const char *stop_reason;	/* why pf_record_line stopped */
	struct pf_buf text;
	struct pf_buf line;
	int failed;		/* writing the recording failed */
	int published;		/* the recording is at its place */
};

struct pf_record *
pf_record_new(const struct pf_record_config *cfg,
    const struct pf_record_hooks *hooks, void *ctx)
{
	struct pf_record *rec = pf_xcalloc(1, sizeof(*rec));

	rec->cfg = *cfg;
	if (hooks)
		rec->hooks = *hooks;
	rec->ctx = ctx;
	rec->parser = pf_jv_parser_new();
	rec->reparser = pf_jv_parser_new();
	pf_buf_init(&rec->text);
	pf_buf_init(&rec->line);
	return rec;
}

void
pf_record_set_output(struct pf_record *rec, struct pf_writer *w)
{
	rec->out = w;
}

void
pf_record_set_copy(struct pf_record *rec, struct pf_writer *w)
{
	rec->copy = w;
}

/* --- output ------------------------------------------------------------- */

/* Marks the output failed; err, if any, already says why.  Returns -1. */
static int
fail(struct pf_record *rec)
{
	rec->failed = 1;
	return -1;
}

/* Clears err for a failure told before.  Returns -1. */
static int
failed_before(struct pf_err *err)
{
	pf_err_clear(err);
	return -1;
}

/*
 * A failed sync does not take back the line written before it: it is told
 * through the hook, and the recording takes no more.
 */
static void
sync_if_due(struct pf_record *rec, int force)
{
	struct pf_err err;
	int64_t now;

	if (rec->cfg.fsync == PF_RECORD_FSYNC_NEVER || rec->failed ||
	    rec->out == NULL)
		return;
	now = pf_time_mono_ns();
	if (!force && rec->cfg.fsync == PF_RECORD_FSYNC_INTERVAL &&
	    now - rec->last_fsync_ns < 1000000000)
		return;
	rec->last_fsync_ns = now;
	if (pf_writer_sync(rec->out, &err) < 0) {
		rec->failed = 1;
		if (rec->hooks.sync_failed)
			rec->hooks.sync_failed(rec->ctx, &err);
	}
}

/* Writes one line to the recording (and the copy).  0 or -1. */
static int
emit(struct pf_record *rec, const char *p, size_t n, struct pf_err *err)
{
	struct pf_err cerr;

	if (rec->failed)
		return failed_before(err);
	if (rec->out == NULL) {
		pf_err_set(err, PF_ERR_USAGE, 0, "no output");
		return fail(rec);
	}
	if (pf_writer_line(rec->out, p, n, err) < 0)
		return fail(rec);
	/* It holds an event: from now on a kill leaves it at its place. */
	if (!rec->published) {
		if (pf_writer_publish(rec->out, err) < 0)
			return fail(rec);
		rec->published = 1;
	}
	sync_if_due(rec, rec->cfg.fsync == PF_RECORD_FSYNC_ALWAYS);
	if (rec->copy && pf_writer_line(rec->copy, p, n, &cerr) < 0) {
		/* The recording matters more than the copy: keep going. */
		if (rec->hooks.copy_failed)
			rec->hooks.copy_failed(rec->ctx,
			    pf_writer_name(rec->copy), &cerr);
		pf_writer_close(rec->copy, NULL);
		rec->copy = NULL;
	}
	return 0;
}

/*
 * The time of an event the recorder writes itself: the stream's clock,
 * which runs behind the wall clock by the last event's delay.  Live, that
 * is now; for an old recording piped in, it is just after its last event.
 * Never before an event recorded, of either clock.
 */
static int64_t
next_ts(const struct pf_record *rec)
{
	int64_t ts = pf_time_now_ms() - rec->skew;

	if (rec->have_last_ts && ts < rec->last_ts)
		ts = rec->last_ts;
	if (rec->have_any_ts && ts < rec->last_any_ts)
		ts = rec->last_any_ts;
	return ts;
}

/* A random session id, 6 characters of [a-z0-9], as the app makes them. */
static char *
make_session_id(void)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[6];
	char *id = pf_xmalloc(7);
	int i;

	if (getentropy(rnd, sizeof(rnd)) != 0) {
		uint64_t x = (uint64_t)pf_time_mono_ns() ^ (uint64_t)getpid();

		for (i = 0; i < 6; i++, x >>= 8)
			rnd[i] = (unsigned char)x;
	}
	for (i = 0; i < 6; i++)
		id[i] = digits[rnd[i] % 36];
	id[6] = '\0';
	return id;
}

/* The session id of an event the recorder writes itself. */
static const char *
own_session_id(struct pf_record *rec)
{
	if (rec->session_id == NULL)
		rec->session_id = rec->cfg.session_id ?
		    pf_xstrdup(rec->cfg.session_id) : make_session_id();
	return rec->session_id;
}

/* The made-up session_start, stamped ts (never before the last event). */
static int
write_session_start(struct pf_record *rec, int64_t ts, struct pf_err *err)
{
	struct pf_buf b = PF_BUF_INIT;
	const char *sid = own_session_id(rec);
	int r;

	if (rec->have_last_ts && ts < rec->last_ts)
		ts = rec->last_ts;
	pf_buf_adds(&b, "{\"type\":\"session_start\",\"sessionId\":");
	pf_jv_dump_string(sid, strlen(sid), &b);
	pf_buf_addf(&b, ",\"timestamp\":%" PRId64 ",\"config\":{\"name\":", ts);
	pf_jv_dump_string(rec->cfg.name, strlen(rec->cfg.name), &b);
	pf_buf_adds(&b, ",\"tutorialUrl\":");
	pf_jv_dump_string(rec->cfg.tutorial_url, strlen(rec->cfg.tutorial_url),
	    &b);
	pf_buf_adds(&b, ",\"defaultMode\":");
	pf_jv_dump_string(rec->cfg.mode, strlen(rec->cfg.mode), &b);
	pf_buf_adds(&b, "}}");
	r = emit(rec, b.data, b.len, err);
	pf_buf_release(&b);
	rec->started = 1;
	rec->made_up = 1;
	rec->first_ts = ts;
	rec->last_ts = ts;
	rec->have_last_ts = 1;
	return r;
}

static int
write_session_end(struct pf_record *rec, const char *reason,
    struct pf_err *err)
{
	struct pf_buf b = PF_BUF_INIT;
	const char *sid = own_session_id(rec);
	int64_t ts = next_ts(rec);
	int r;

	pf_buf_adds(&b, "{\"type\":\"session_end\",\"sessionId\":");
	pf_jv_dump_string(sid, strlen(sid), &b);
	pf_buf_addf(&b, ",\"timestamp\":%" PRId64 ",\"reason\":", ts);
	pf_jv_dump_string(reason, strlen(reason), &b);
	pf_buf_addc(&b, '}');
	r = emit(rec, b.data, b.len, err);
	pf_buf_release(&b);
	rec->last_ts = ts;
	return r;
}

/* --- input -------------------------------------------------------------- */

static void
tell(struct pf_record *rec,
    void (*hook)(void *, long, const char *), long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
tell(struct pf_record *rec,
    void (*hook)(void *, long, const char *), long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	if (hook == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hook(rec->ctx, line, msg);
}

/* Counts line line as rejected, and tells why.  1 go on, 0 stop. */
static int
reject(struct pf_record *rec, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
reject(struct pf_record *rec, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rec->hooks.rejected)
		rec->hooks.rejected(rec->ctx, line, msg);
	rec->rejected++;
	if (!rec->cfg.strict)
		return 1;
	rec->stop_reason = "stopped at a bad line (--strict)";
	return 0;
}

/*
 * Records one parsed event whose text is [p, p+n).  Returns 1 to go on,
 * 0 to stop (after a session_end, another event), -1 on a write error.
 */
static int
record_event(struct pf_record *rec, const char *p, size_t n,
    const struct pf_jv *ev, long lineno, struct pf_err *err)
{
	const struct pf_jv *type = pf_jv_get(ev, "type");
	const struct pf_jv *tsv = pf_jv_get(ev, "timestamp");
	const char *sid = pf_jv_str(pf_jv_get(ev, "sessionId"));
	enum pf_event_type t = pf_event_type_from_name(type->u.s);
	int64_t now = pf_time_now_ms(), ts;
	int rewrite = 0, presenter;

	if (pf_event_is_handshake(t) ||
	    (t == PF_EVENT_HEARTBEAT && rec->cfg.no_heartbeat)) {
		rec->dropped++;
		return 1;
	}
	/* The presenter ends the session once per attendee, in one go. */
	if (rec->ending && t != PF_EVENT_SESSION_END)
		return 0;
	/* The stream's own id, from the first event that carries one. */
	if (rec->session_id == NULL && sid && *sid)
		rec->session_id = pf_xstrdup(sid);
	/*
	 * Time: the sender's clock when believable, else the arrival.  Only
	 * the presenter's clock must not go back; an attendee's runs behind
	 * or ahead of it and is kept as it is.
	 */
	presenter = pf_event_presenter_clock(t, ev);
	if (!rec->cfg.restamp && pf_jv_is(tsv, PF_JV_INTEGER) &&
	    tsv->u.i >= PF_EPOCH_MS_MIN && tsv->u.i <= now + FUTURE_SLACK_MS) {
		ts = tsv->u.i;
	} else {
		ts = now;
		rewrite = 1;
	}
	if (presenter && rec->have_last_ts && ts < rec->last_ts) {
		tell(rec, rec->hooks.warning, lineno, "timestamp goes back "
		    "%" PRId64 " ms; recorded as the previous one",
		    rec->last_ts - ts);
		ts = rec->last_ts;
		rewrite = 1;
	}
	/*
	 * In the app's order an attendee_join comes before the session_start
	 * that answers it: written as it comes, it waits for nothing.  Any
	 * other event before a session_start means the stream has none here.
	 */
	if (!rec->started && t != PF_EVENT_SESSION_START &&
	    t != PF_EVENT_ATTENDEE_JOIN && write_session_start(rec, ts,
	    err) < 0)
		return -1;
	if (t == PF_EVENT_SESSION_START && rec->made_up)
		tell(rec, rec->hooks.warning, lineno, "a session_start after "
		    "the one made up for the events before it");
	if (rec->cfg.redact) {
		enum pf_json_fault fault;

		pf_buf_reset(&rec->text);
		if (pf_redact_event(rec->cfg.redact, ev, &rec->text) > 0) {
			ev = pf_jv_parse(rec->reparser, rec->text.data,
			    rec->text.len, PF_JSON_ALLOW_DUPLICATES, &fault,
			    NULL);
			p = rec->text.data;
			n = rec->text.len;
		}
	}
	if (rewrite) {
		char num[32];
		struct pf_jv_edit edit = { "timestamp", num };

		snprintf(num, sizeof(num), "%" PRId64, ts);
		pf_buf_reset(&rec->line);
		pf_jv_splice(p, n, ev, &edit, 1, &rec->line);
		p = rec->line.data;
		n = rec->line.len;
	}
	if (emit(rec, p, n, err) < 0)
		return -1;
	if (t == PF_EVENT_SESSION_START && !rec->started) {
		rec->started = 1;
		rec->first_ts = ts;
	}
	rec->events++;
	if (presenter) {
		rec->last_ts = ts;
		rec->have_last_ts = 1;
	}
	rec->skew = now - ts;
	if (!rec->have_any_ts || ts > rec->last_any_ts) {
		rec->last_any_ts = ts;
		rec->have_any_ts = 1;
	}
	if (t == PF_EVENT_SESSION_END) {
		rec->end_received = 1;
		if (!rec->cfg.cont) {
			/*
			 * The others (one per attendee still there) are sent
			 * in the same loop: what is there, or comes within
			 * the grace, is recorded; then it stops.
			 */
			rec->ending = 1;
			rec->end_deadline_ns = pf_time_mono_ns() + END_GRACE_NS;
		}
	}
	if (rec->cfg.max_events && rec->events >= rec->cfg.max_events) {
		rec->stop_reason = "max-events reached";
		return 0;
	}
	return 1;
}

int
pf_record_line(struct pf_record *rec, const struct pf_line *line,
    struct pf_err *err)
{
	enum pf_json_fault fault;
	struct pf_err perr;
	const struct pf_jv *ev, *type;

	if (rec->ending && (line->flags & PF_LINE_TOO_LONG))
		return 0;
	if (line->flags & PF_LINE_TOO_LONG)
		return reject(rec, line->lineno, "line is %zu bytes, over the "
		    "limit of %zu (--max-line)", line->full_len,
		    rec->cfg.max_line);
	if (line->len == 0 || strspn(line->data, " \t") == line->len)
		return 1;
	ev = pf_jv_parse(rec->parser, line->data, line->len, 0, &fault, &perr);
	type = ev ? pf_jv_get(ev, "type") : NULL;
	if (rec->ending && (!pf_jv_is(type, PF_JV_STRING) || type->n == 0))
		return 0;	/* after the session: not its business */
	if (ev == NULL)
		return reject(rec, line->lineno, "%s%s", line->flags &
		    PF_LINE_NO_NEWLINE ? "partial last line: " : "",
		    perr.msg);
	if (!pf_jv_is(type, PF_JV_STRING) || type->n == 0)
		return reject(rec, line->lineno, "not an event: no \"type\" "
		    "string");
	return record_event(rec, line->data, line->len, ev, line->lineno,
	    err);
}

void
pf_record_tick(struct pf_record *rec)
{
	sync_if_due(rec, 0);
}

int
pf_record_finish(struct pf_record *rec, const char *reason,
    struct pf_err *err)
{
	if (rec->stop_reason)
		reason = rec->stop_reason;
	else if (reason == NULL)
		reason = "end of input";
	/* Only joins came, which wait for a session_start that never did. */
	if (!rec->started && rec->events > 0 && !rec->failed &&
	    write_session_start(rec, rec->last_any_ts, err) < 0)
		return -1;
	if (rec->started && !rec->end_received && !rec->failed &&
	    write_session_end(rec, reason, err) < 0)
		return -1;
	sync_if_due(rec, 1);
	return 0;
}

int
pf_record_close(struct pf_record *rec, int keep, struct pf_err *err)
{
	int r = 0;

	if (rec->closed)
		return 0;
	rec->closed = 1;
	if (!keep) {
		pf_writer_abort(rec->out);
	} else if (pf_writer_close(rec->out, err) < 0) {
		r = rec->failed ? 0 : -1;
		rec->failed = 1;
	}
	rec->out = NULL;
	pf_writer_close(rec->copy, NULL);
	rec->copy = NULL;
	return r;
}

void
pf_record_state(const struct pf_record *rec, struct pf_record_state *st)
{
	memset(st, 0, sizeof(*st));
	st->events = rec->events;
	st->rejected = rec->rejected;
	st->dropped = rec->dropped;
	if (rec->have_last_ts && rec->started)
		st->duration_ms = rec->last_ts - rec->first_ts;
	st->started = rec->started;
	st->session_ended = rec->end_received;
	st->ending = rec->ending;
	st->end_deadline_ns = rec->end_deadline_ns;
	st->published = rec->published;
	st->output_failed = rec->failed;
}

void
pf_record_free(struct pf_record *rec)
{
	if (rec == NULL)
		return;
	pf_writer_abort(rec->out);
	pf_writer_abort(rec->copy);
	pf_jv_parser_free(rec->parser);
	pf_jv_parser_free(rec->reparser);
	pf_buf_release(&rec->text);
	pf_buf_release(&rec->line);
	free(rec->session_id);
	free(rec);
}

/* --- continuing a recording ---------------------------------------------- */

/*
 * Where the whole lines of the file of size bytes on fd end: just after
 * its last LF, or 0.  What follows is a partial last line.  -1 on error.
 */
static off_t
whole_lines_end(int fd, off_t size)
{
	char buf[8192];
	off_t end = size;

	while (end > 0) {
		size_t n = end < (off_t)sizeof(buf) ? (size_t)end : sizeof(buf);
		ssize_t k = pread(fd, buf, n, end - (off_t)n);
		char *nl;

		if (k != (ssize_t)n) {
			if (k >= 0)
				errno = EIO;	/* it shrank meanwhile */
			return -1;
		}
		nl = memrchr(buf, '\n', n);
		if (nl)
			return end - (off_t)n + (nl - buf) + 1;
		end -= (off_t)n;
	}
	return 0;
}

/* Takes in one whole line of the recording being continued.  0 or -1. */
static int
resume_line(struct pf_record *rec, const struct pf_line *line, int *have_first,
    struct pf_err *err)
{
	enum pf_json_fault fault;
	const struct pf_jv *ev, *ts;
	const char *sid, *type;

	ev = pf_jv_parse(rec->parser, line->data, line->len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, NULL);
	if (ev == NULL)
		return 0;
	type = pf_jv_str(pf_jv_get(ev, "type"));
	sid = pf_jv_str(pf_jv_get(ev, "sessionId"));
	ts = pf_jv_get(ev, "timestamp");
	if (sid && rec->session_id == NULL)
		rec->session_id = pf_xstrdup(sid);
	if (pf_jv_is(ts, PF_JV_INTEGER) && (!rec->have_last_ts ||
	    ts->u.i > rec->last_ts)) {
		rec->last_ts = ts->u.i;
		rec->have_last_ts = 1;
	}
	if (type && strcmp(type, "session_start") == 0)
		rec->started = 1;
	if (pf_jv_is(ts, PF_JV_INTEGER) && !*have_first) {
		rec->first_ts = ts->u.i;
		*have_first = 1;
	}
	if (type && strcmp(type, "session_end") == 0)
		return pf_err_set_at(err, PF_ERR_DATA, line->lineno, 0,
		    "the recording has ended (session_end); record a new one "
		    "instead");
	return 0;
}

int
pf_record_resume(struct pf_record *rec, const char *path, int gzip,
    struct pf_err *err)
{
	struct pf_err rerr;
	struct pf_reader *r;
	struct pf_line line;
	struct stat st;
	off_t good;
	int n, gz, fd, have_first = 0;

	if (stat(path, &st) < 0) {
		/* Nothing to continue: a new file. */
		if (errno == ENOENT)
			return 0;
		return pf_err_set(err, PF_ERR_IO, errno, "%s",
		    strerror(errno));
	}
	if (st.st_size == 0)
		return 0;	/* killed before its first event */
	r = pf_reader_open(path, rec->cfg.max_line, &rerr);
	if (r == NULL)
		return pf_err_set(err, rerr.kind, rerr.errnum, "%s", rerr.msg);
	while ((n = pf_reader_next(r, &line, &rerr)) > 0) {
		if (line.flags & PF_LINE_NO_NEWLINE)
			break;
		if (line.flags & PF_LINE_TOO_LONG)
			continue;
		if (resume_line(rec, &line, &have_first, err) < 0) {
			pf_reader_free(r);
			return -1;
		}
	}
	gz = pf_reader_is_gzip(r);
	if (n < 0 || (gz && pf_reader_gzip_truncated(r))) {
		if (n < 0)
			pf_err_set(err, rerr.kind, rerr.errnum, "%s", rerr.msg);
		else
			pf_err_set(err, PF_ERR_DATA, 0, "the gzip stream is "
			    "cut short; cannot append to it");
		pf_reader_free(r);
		return -1;
	}
	pf_reader_free(r);
	if (gz != gzip)
		return pf_err_set(err, PF_ERR_USAGE, 0, "the recording is %s; "
		    "cannot append %s events", gz ? "gzip" : "not gzip",
		    gzip ? "gzip" : "plain");
	if (rec->cfg.session_id && rec->session_id &&
	    strcmp(rec->cfg.session_id, rec->session_id) != 0)
		return pf_err_set(err, PF_ERR_USAGE, 0, "the recording is of "
		    "session '%s', not '%s'", rec->session_id,
		    rec->cfg.session_id);
	/* gzip cannot be cut at a line: a partial one is its own member. */
	if (gz)
		return 0;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || (good = whole_lines_end(fd, st.st_size)) < 0 ||
	    (good < st.st_size && ftruncate(fd, good) < 0)) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return pf_err_set(err, PF_ERR_IO, e, "%s", strerror(e));
	}
	close(fd);
	if (good < st.st_size && rec->hooks.cut)
		rec->hooks.cut(rec->ctx, path, (long long)(st.st_size - good));
	return 0;
}
