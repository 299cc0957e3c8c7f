/*
 * pf_lint: the rules of pf-recording(5), checked one event at a time in
 * constant memory.  JSONL input is streamed line by line; a SessionRecording
 * document is read whole (it is one JSON value) and its events are checked
 * by the same code, located by line and JSON path.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_event.h"
#include "pf_json.h"
#include "pf_jv.h"
#include "pf_lint.h"
#include "pf_map.h"
#include "pf_reader.h"
#include "pf_selector.h"
#include "pf_source.h"
#include "pf_time.h"

/* Pathfinder drops a repeated show_me/do_it closer than this (ms). */
#define REPEAT_GAP_MS 500
/*
 * How far an attendee's clock may be from the presenter's before it is
 * worth a word: machines kept by NTP agree within a second; a minute off
 * is a clock set by hand, and the times of that attendee's events mislead.
 */
#define PF_LINT_SKEW_MS 60000

/* Short names for the pf_jv tests the rules make again and again. */
#define jv_is_string(v) pf_jv_is((v), PF_JV_STRING)
#define jv_is_integer(v) pf_jv_is((v), PF_JV_INTEGER)
#define jv_is_object(v) pf_jv_is((v), PF_JV_OBJECT)
#define jv_is_array(v) pf_jv_is((v), PF_JV_ARRAY)
#define jv_strlen(v) ((v)->n)
#define jv_int(v) ((v)->u.i)
#define jv_num(v) ((v)->type == PF_JV_INTEGER ? (double)(v)->u.i : (v)->u.d)
#define jv_size(v) ((v)->n)
#define jv_item(v, i) ((i) < (v)->n ? &(v)->u.items[i] : NULL)
#define jv_array_foreach(arr, i, item) \
	for ((i) = 0; (i) < (arr)->n && ((item) = &(arr)->u.items[i], 1); (i)++)
#define jv_object_foreach(obj, k, key, val) \
	for ((k) = 0; (k) < (obj)->n && ((key) = (obj)->u.members[k].key, \
	    (val) = &(obj)->u.members[k].value, 1); (k)++)

#define E PF_SEV_ERROR
#define W PF_SEV_WARNING

static const struct pf_lint_rule rules[PF_RULE__COUNT] = {
	[PF_RULE_JSON_SYNTAX] = { "json-syntax", E,
	    "the line is not valid JSON" },
	[PF_RULE_NOT_OBJECT] = { "not-object", E,
	    "the line is JSON but not an object" },
	[PF_RULE_INVALID_UTF8] = { "invalid-utf8", E,
	    "invalid UTF-8, or a lone surrogate escape" },
	[PF_RULE_NUL_BYTE] = { "nul-byte", E,
	    "a NUL byte, or \\u0000 in a string" },
	[PF_RULE_LINE_TOO_LONG] = { "line-too-long", E,
	    "a line longer than the cap (--max-line)" },
	[PF_RULE_DUPLICATE_KEY] = { "duplicate-key", E,
	    "an object has the same key twice" },
	[PF_RULE_TRUNCATED] = { "truncated", W,
	    "the last line has no newline, or the gzip stream ends early" },
	[PF_RULE_BAD_GZIP] = { "bad-gzip", E,
	    "gzip data that cannot be decompressed" },
	[PF_RULE_BOM] = { "bom", W,
	    "the input starts with a UTF-8 byte order mark" },
	[PF_RULE_BLANK_LINE] = { "blank-line", W,
	    "an empty line" },
	[PF_RULE_MISSING_TYPE] = { "missing-type", E,
	    "no \"type\", or one that is not a non-empty string" },
	[PF_RULE_UNKNOWN_TYPE] = { "unknown-type", W,
	    "an event type pf does not know" },
	[PF_RULE_MISSING_FIELD] = { "missing-field", E,
	    "a field the event type requires is absent" },
	[PF_RULE_FIELD_TYPE] = { "field-type", E,
	    "a field has the wrong JSON type" },
	[PF_RULE_BAD_ENUM] = { "bad-enum", E,
	    "a value outside its enumeration (targetAction)" },
	[PF_RULE_UNKNOWN_VALUE] = { "unknown-value", W,
	    "a value the app does not have (mode, defaultMode, status)" },
	[PF_RULE_FIELD_RANGE] = { "field-range", E,
	    "a number out of range (stepNumber < 1, sentAt < 0)" },
	[PF_RULE_UNKNOWN_FIELD] = { "unknown-field", W,
	    "a field the format does not define" },
	[PF_RULE_BAD_TIMESTAMP] = { "bad-timestamp", E,
	    "\"timestamp\" is not a non-negative integer" },
	[PF_RULE_MIXED_TIMESTAMPS] = { "mixed-timestamps", E,
	    "epoch-ms and relative timestamps in one recording" },
	[PF_RULE_TIMESTAMP_BACKWARDS] = { "timestamp-backwards", E,
	    "a presenter's timestamp earlier than the one before it" },
	[PF_RULE_CLOCK_SKEW] = { "clock-skew", W,
	    "an attendee's clock more than 60 s from the presenter's" },
	[PF_RULE_FIRST_NOT_START] = { "first-not-start", W,
	    "the first event is not session_start" },
	[PF_RULE_DUPLICATE_START] = { "duplicate-start", E,
	    "a session_start whose config differs from the first's" },
	[PF_RULE_AFTER_END] = { "after-end", W,
	    "events after session_end" },
	[PF_RULE_UNRESUMED_PAUSE] = { "unresumed-pause", W,
	    "a pause with no resume after it" },
	[PF_RULE_MULTIPLE_SESSIONS] = { "multiple-sessions", E,
	    "more than one sessionId in one recording" },
	[PF_RULE_HANDSHAKE] = { "handshake", W,
	    "a handshake the app refuses (a nonce not of 1 to 128 characters)" },
	[PF_RULE_EMPTY_REFTARGET] = { "empty-reftarget", E,
	    "an empty refTarget where a target is needed" },
	[PF_RULE_FORMFILL_NO_VALUE] = { "formfill-no-value", W,
	    "a formfill step without targetValue" },
	[PF_RULE_MULTISTEP_NO_ACTIONS] = { "multistep-no-actions", E,
	    "a multistep step without internalActions" },
	[PF_RULE_BAD_COORDINATES] = { "bad-coordinates", E,
	    "coordinates that are not an object of numbers x and y" },
	[PF_RULE_REPEATED_STEP] = { "repeated-step", W,
	    "the same show_me/do_it step within 500 ms of the last one shown "
	    "(Pathfinder drops it)" },
	[PF_RULE_SELECTOR_SYNTAX] = { "selector-syntax", E,
	    "a selector with unbalanced brackets or quotes" },
	[PF_RULE_FRAGILE_SELECTOR] = { "fragile-selector", W,
	    "a positional selector (:nth-child, :nth-of-type, :nth-match, "
	    "long child chains)" },
	[PF_RULE_EMPTY_CHAT] = { "empty-chat", W,
	    "an empty chat message" },
	[PF_RULE_DOCUMENT] = { "document", E,
	    "a SessionRecording field is missing or has the wrong type" },
};

/*
 * Where the event being checked sits: the text it was parsed from (a line,
 * or a whole document), so a value's offset becomes a line and column.
 */
struct where {
	const struct pf_jv *event;
	long line;		/* the line text[0] is on */
	struct pf_textpos *tp;	/* over the parsed text */
	const char *prefix;	/* path of the event: "" or "events[3]" */
};

/* State of one input. */
struct input {
	const char *name;
	int document;		/* a SessionRecording document */
	int relative_ok;	/* seed documents omit sessionId/senderId */
	long events;		/* events seen, handshakes excluded */
	int ts_form;		/* 0 none yet, 1 epoch ms, 2 relative */
	long ts_form_line;
	int have_ts;		/* prev_ts is set: a presenter's timestamp */
	int64_t prev_ts;
	long prev_ts_line;
	int content;		/* an event other than handshakes and joins */
	long start_line;	/* first session_start, or 0 */
	char *start_config;	/* its config, as compact JSON */
	long end_line;		/* first session_end, or 0 */
	int after_end_reported;
	long pause_line;	/* an open pause, or 0 */
	char *session_id;
	long session_line;
	enum pf_event_type step_type;	/* the last show_me/do_it shown */
	char *step_id;
	int64_t step_ts;
	long step_line;
	long line;		/* line being checked */
};

struct pf_lint {
	struct pf_lint_options opt;
	pf_lint_report_fn *report;
	pf_lint_pass_fn *pass;
	void *ctx;
	long errors;
	long warnings;
	int stopped;
	int pass_failed;	/* the pass callback returned -1 */
	long event_errors;	/* errors in the event being checked */
	int duplicates;		/* it was parsed with duplicate keys allowed */
	struct input *in;
	const struct where *where;
	struct pf_buf msg;
	struct pf_buf path;
	struct pf_buf doc;
	struct pf_jv_parser *parser;
};

const struct pf_lint_rule *
pf_lint_rules(void)
{
	return rules;
}

int
pf_lint_rule_find(const char *id)
{
	int i;

	for (i = 0; i < PF_RULE__COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return i;
	return -1;
}

const char *
pf_severity_name(enum pf_severity s)
{
	return s == PF_SEV_ERROR ? "error" : "warning";
}

struct pf_lint *
pf_lint_new(const struct pf_lint_options *opt, pf_lint_report_fn *report,
    pf_lint_pass_fn *pass, void *ctx)
{
	struct pf_lint *l = pf_xcalloc(1, sizeof(*l));

	l->opt = *opt;
	if (l->opt.max_line == 0)
		l->opt.max_line = PF_MAX_LINE_DEFAULT;
	l->report = report;
	l->pass = pass;
	l->ctx = ctx;
	pf_buf_init(&l->msg);
	pf_buf_init(&l->path);
	pf_buf_init(&l->doc);
	l->parser = pf_jv_parser_new();
	return l;
}

void
pf_lint_free(struct pf_lint *l)
{
	if (l == NULL)
		return;
	pf_buf_release(&l->msg);
	pf_buf_release(&l->path);
	pf_buf_release(&l->doc);
	pf_jv_parser_free(l->parser);
	free(l);
}

long
pf_lint_errors(const struct pf_lint *l)
{
	return l->errors;
}

long
pf_lint_warnings(const struct pf_lint *l)
{
	return l->warnings;
}

int
pf_lint_stopped(const struct pf_lint *l)
{
	return l->stopped;
}

/* --- reporting ---------------------------------------------------------- */

/*
 * The value at path under v ("action.internalActions[2].refTarget"), or
 * the deepest one found on the way.
 */
static const struct pf_jv *
resolve(const struct pf_jv *v, const char *path)
{
	while (*path) {
		const struct pf_jv *next = NULL;

		if (*path == '.')
			path++;
		if (*path == '[') {
			char *end;
			unsigned long i = strtoul(path + 1, &end, 10);

			if (*end != ']' || !jv_is_array(v) || i >= v->n)
				return v;
			next = &v->u.items[i];
			path = end + 1;
		} else {
			size_t klen = strcspn(path, ".[");
			uint32_t k;

			if (!jv_is_object(v))
				return v;
			for (k = v->n; k-- > 0;)
				if (v->u.members[k].klen == klen &&
				    memcmp(v->u.members[k].key, path, klen) == 0) {
					next = &v->u.members[k].value;
					break;
				}
			if (next == NULL)
				return v;
			path += klen;
		}
		v = next;
	}
	return v;
}

/*
 * Line and column of node, or when it is NULL of the value at path
 * (relative to the event).
 */
static void
locate(const struct where *w, const struct pf_jv *node, const char *path,
    long *line, long *column)
{
	const struct pf_jv *v = node ? node : resolve(w->event, path);

	pf_textpos_at(w->tp, v->offset, line, column);
	*line += w->line - 1;
}

/*
 * Reports a finding of rule at path (relative to the current event) on
 * the current line.  line, when nonzero, overrides the location.
 */
static void
vreport_at(struct pf_lint *l, enum pf_rule rule, long line, long column,
    const struct pf_jv *node, const char *path, const char *fmt, va_list ap)
{
	const struct where *w = l->where;
	struct pf_finding f;

	if (l->stopped || l->opt.disabled[rule])
		return;
	if (rules[rule].severity == PF_SEV_WARNING && l->opt.quiet)
		return;
	pf_buf_reset(&l->msg);
	pf_buf_vaddf(&l->msg, fmt, ap);
	pf_buf_reset(&l->path);
	if (w && *w->prefix) {
		pf_buf_adds(&l->path, w->prefix);
		if (*path && *path != '[')
			pf_buf_addc(&l->path, '.');
	}
	pf_buf_adds(&l->path, path);
	if (line == 0 && w != NULL)
		locate(w, node, path, &line, &column);
	f.rule = rule;
	f.severity = rules[rule].severity;
	f.file = l->in->name;
	f.line = line;
	f.column = column;
	f.path = pf_buf_str(&l->path);
	f.message = pf_buf_str(&l->msg);
	l->report(l->ctx, &f);
	if (f.severity == PF_SEV_ERROR) {
		l->errors++;
		l->event_errors++;
		if (l->opt.max_errors > 0 && l->errors >= l->opt.max_errors)
			l->stopped = 1;
	} else {
		l->warnings++;
	}
}

static void __attribute__((format(printf, 4, 5)))
report(struct pf_lint *l, enum pf_rule rule, const char *path,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_at(l, rule, 0, 0, NULL, path, fmt, ap);
	va_end(ap);
}

/* As report, located at node (a value of the current event). */
static void __attribute__((format(printf, 5, 6)))
report_node(struct pf_lint *l, enum pf_rule rule, const struct pf_jv *node,
    const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_at(l, rule, 0, 0, node, path, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 5, 6)))
report_at(struct pf_lint *l, enum pf_rule rule, long line, long column,
    const char *fmt, ...)
{
	va_list ap;
	const struct where *w = l->where;

	l->where = NULL;
	va_start(ap, fmt);
	vreport_at(l, rule, line, column, NULL, "", fmt, ap);
	va_end(ap);
	l->where = w;
}

/* --- selectors ---------------------------------------------------------- */

static void
check_selector(struct pf_lint *l, const char *path, const char *sel)
{
	struct pf_err err;
	const char *why;

	if (pf_selector_check(sel, &err) < 0) {
		report(l, PF_RULE_SELECTOR_SYNTAX, path,
		    "selector '%s': %s at character %ld", sel, err.msg,
		    err.column);
		return;
	}
	why = pf_selector_fragile(sel);
	if (why)
		report(l, PF_RULE_FRAGILE_SELECTOR, path,
		    "selector '%s' %s: it breaks when the page changes; "
		    "prefer a data-testid", sel, why);
}

/* Actions that need a target: all but multistep. */
static const char *const single_actions[] = {
	"button", "highlight", "formfill", "navigate", "hover", NULL
};

/* Actions whose refTarget is a CSS selector. */
static int
is_selector_action(const char *ta)
{
	return strcmp(ta, "highlight") == 0 || strcmp(ta, "formfill") == 0 ||
	    strcmp(ta, "hover") == 0;
}

/* --- fields ------------------------------------------------------------- */

static int
kind_ok(const struct pf_jv *v, enum pf_field_kind k)
{
	switch (k) {
	case PF_FIELD_STRING:
		return jv_is_string(v);
	case PF_FIELD_INTEGER:
		return jv_is_integer(v);
	case PF_FIELD_NUMBER:
		return pf_jv_is_number(v);
	case PF_FIELD_BOOLEAN:
		return pf_jv_is_bool(v);
	case PF_FIELD_OBJECT:
		return jv_is_object(v);
	case PF_FIELD_ARRAY:
		return jv_is_array(v);
	}
	return 0;
}

static int
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static void
add_list(struct pf_buf *b, const char *const *list)
{
	for (; *list; list++) {
		pf_buf_adds(b, *list);
		if (list[1])
			pf_buf_adds(b, ", ");
	}
}

static void check_fields(struct pf_lint *l, const char *tname, const struct pf_jv *obj,
    const struct pf_field *spec, const char *path, int top);

/* Writes "parent.name" (or "name") into buf: the path of a field. */
static const char *
join(char *buf, size_t n, const char *parent, const char *name)
{
	size_t pl = strlen(parent), nl = strlen(name);

	if (pl + nl + 2 > n)
		nl = pl + 2 < n ? n - pl - 2 : 0;
	memcpy(buf, parent, pl);
	if (pl)
		buf[pl++] = '.';
	memcpy(buf + pl, name, nl);
	buf[pl + nl] = '\0';
	return buf;
}

/* Checks field f, whose value is v, of the object at parent. */
static void
check_field(struct pf_lint *l, const char *tname, const struct pf_jv *v,
    const struct pf_field *f, const char *parent)
{
	char path[256];

	if (!kind_ok(v, f->kind)) {
		int coords = strcmp(f->name, "coordinates") == 0 ||
		    strcmp(parent, "coordinates") == 0;

		join(path, sizeof(path), parent, f->name);
		report_node(l, coords ? PF_RULE_BAD_COORDINATES :
		    PF_RULE_FIELD_TYPE, v, path, "%s: '%s' must be %s, not %s",
		    tname, path,
		    pf_field_kind_name(f->kind), pf_jv_kind_name(v));
		return;
	}
	if (f->values && !in_list(pf_jv_str(v), f->values)) {
		struct pf_buf b = PF_BUF_INIT;

		join(path, sizeof(path), parent, f->name);
		add_list(&b, f->values);
		if (f->flags & PF_FIELD_APP_VALUES)
			report_node(l, PF_RULE_UNKNOWN_VALUE, v, path,
			    "%s: '%s' is '%s'; the app knows only %s", tname,
			    path, pf_jv_str(v), b.data);
		else
			report_node(l, PF_RULE_BAD_ENUM, v, path,
			    "%s: '%s' is '%s'; expected one of %s", tname,
			    path, pf_jv_str(v), b.data);
		pf_buf_release(&b);
	}
	if ((f->flags & PF_FIELD_MIN1) && jv_int(v) < 1) {
		join(path, sizeof(path), parent, f->name);
		report_node(l, PF_RULE_FIELD_RANGE, v, path,
		    "%s: '%s' is %" PRId64 "; it must be 1 or more",
		    tname, path, jv_int(v));
	}
	if ((f->flags & PF_FIELD_NONNEG) && jv_int(v) < 0) {
		join(path, sizeof(path), parent, f->name);
		report_node(l, PF_RULE_FIELD_RANGE, v, path,
		    "%s: '%s' is %" PRId64 "; it must not be negative", tname,
		    path, jv_int(v));
	}
	if (f->fields == NULL)
		return;
	join(path, sizeof(path), parent, f->name);
	if (f->kind == PF_FIELD_OBJECT) {
		check_fields(l, tname, v, f->fields, path, 0);
	} else {
		char ip[280];
		uint32_t i;
		const struct pf_jv *item;

		jv_array_foreach(v, i, item) {
			snprintf(ip, sizeof(ip), "%s[%u]", path, i);
			if (!jv_is_object(item))
				report_node(l, PF_RULE_FIELD_TYPE, item, ip,
				    "%s: '%s' must be an object, not %s", tname,
				    ip, pf_jv_kind_name(item));
			else
				check_fields(l, tname, item, f->fields, ip, 0);
		}
	}
}

/*
 * Whether member k of obj repeats the key of an earlier member.  Only an
 * object parsed with duplicates allowed can have one (l->duplicates); a
 * large one is looked up in a map of the keys seen, so that an object of
 * 90,000 unknown keys costs linear time, not quadratic.
 */
static int
repeated_key(struct pf_lint *l, const struct pf_jv *obj, uint32_t k,
    struct pf_map **seen)
{
	uint32_t i;
	size_t at;

	if (!l->duplicates)
		return 0;
	if (obj->n <= 16) {
		for (i = 0; i < k; i++)
			if (strcmp(obj->u.members[i].key,
			    obj->u.members[k].key) == 0)
				return 1;
		return 0;
	}
	if (*seen == NULL) {
		*seen = pf_map_new();
		for (i = 0; i < obj->n; i++)
			if (!pf_map_get(*seen, obj->u.members[i].key, &at))
				pf_map_put(*seen, obj->u.members[i].key, i);
	}
	return pf_map_get(*seen, obj->u.members[k].key, &at) && at < k;
}

/*
 * Whether v holds a repeated key at any depth.  The document's duplicate
 * was reported once, where it stands; this keeps the event that holds it
 * from being passed on, as a line with one is not.
 */
static int
holds_repeated_key(struct pf_lint *l, const struct pf_jv *v)
{
	struct pf_map *seen = NULL;
	uint32_t i;
	int found = 0;

	if (jv_is_array(v)) {
		for (i = 0; i < v->n && !found; i++)
			found = holds_repeated_key(l, &v->u.items[i]);
	} else if (jv_is_object(v)) {
		for (i = 0; i < v->n && !found; i++)
			found = repeated_key(l, v, i, &seen) ||
			    holds_repeated_key(l, &v->u.members[i].value);
	}
	pf_map_free(seen);
	return found;
}

/*
 * Checks obj against spec; path is obj's path ("" for the event).  For the
 * event itself (top), the base fields are known fields too.
 */
static void
check_fields(struct pf_lint *l, const char *tname, const struct pf_jv *obj,
    const struct pf_field *spec, const char *path, int top)
{
	static const char *const base[] = {
		"type", "sessionId", "timestamp", "senderId", NULL
	};
	const struct pf_field *f;
	const char *key;
	const struct pf_jv *v;
	struct pf_map *seen = NULL;
	uint32_t k, known = 0;
	char fp[256];

	for (f = spec; f->name; f++) {
		v = pf_jv_get(obj, f->name);
		/*
		 * The app's data channel packs an undefined field as nil, which
		 * arrives as null: an optional field may be null.
		 */
		if (v != NULL && v->type == PF_JV_NULL &&
		    !(f->flags & PF_FIELD_REQUIRED)) {
			known++;
			continue;
		}
		if (v == NULL) {
			if (f->flags & PF_FIELD_REQUIRED)
				report_node(l, PF_RULE_MISSING_FIELD, obj, path,
				    "%s: missing required field '%s'", tname,
				    join(fp, sizeof(fp), path, f->name));
			continue;
		}
		known++;
		check_field(l, tname, v, f, path);
	}
	if (l->opt.disabled[PF_RULE_UNKNOWN_FIELD] || l->opt.quiet)
		return;
	for (k = 0; top && base[k]; k++)
		known += pf_jv_get(obj, base[k]) != NULL;
	/* Every member was one of the known fields: nothing to look for. */
	if (obj->n == known)
		return;
	jv_object_foreach(obj, k, key, v) {
		if (top && pf_event_is_base_field(key))
			continue;
		for (f = spec; f->name; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name == NULL && !repeated_key(l, obj, k, &seen)) {
			join(fp, sizeof(fp), path, key);
			report_node(l, PF_RULE_UNKNOWN_FIELD, v, fp,
			    "%s: unknown field '%s'", tname, fp);
		}
	}
	pf_map_free(seen);
}

/* --- events ------------------------------------------------------------- */

static void
check_step(struct pf_lint *l, enum pf_event_type t, const char *tname,
    const struct pf_jv *ev, int64_t ts, int ts_ok)
{
	struct input *in = l->in;
	const struct pf_jv *action = pf_jv_get(ev, "action");
	const struct pf_jv *sid = pf_jv_get(ev, "stepId");
	const struct pf_jv *ia;
	const char *ta, *rt;

	if (jv_is_object(action) &&
	    jv_is_string(pf_jv_get(action, "targetAction")) &&
	    jv_is_string(pf_jv_get(action, "refTarget"))) {
		ta = pf_jv_str(pf_jv_get(action, "targetAction"));
		rt = pf_jv_str(pf_jv_get(action, "refTarget"));
		ia = pf_jv_get(action, "internalActions");
		if (*rt == '\0' && strcmp(ta, "multistep") != 0 &&
		    in_list(ta, single_actions))
			report(l, PF_RULE_EMPTY_REFTARGET, "action.refTarget",
			    "%s: 'action.refTarget' is empty for a %s action",
			    tname, ta);
		if (strcmp(ta, "formfill") == 0 &&
		    (pf_jv_get(action, "targetValue") == NULL ||
		    pf_jv_is(pf_jv_get(action, "targetValue"), PF_JV_NULL)))
			report(l, PF_RULE_FORMFILL_NO_VALUE, "action",
			    "%s: formfill step without 'action.targetValue'",
			    tname);
		if (strcmp(ta, "multistep") == 0 &&
		    (ia == NULL || ia->type == PF_JV_NULL ||
		    (jv_is_array(ia) && jv_size(ia) == 0)))
			report(l, PF_RULE_MULTISTEP_NO_ACTIONS, "action",
			    "%s: multistep step without "
			    "'action.internalActions'", tname);
		if (*rt && is_selector_action(ta))
			check_selector(l, "action.refTarget", rt);
		if (jv_is_array(ia)) {
			size_t i;
			const struct pf_jv *item;

			jv_array_foreach(ia, i, item) {
				const struct pf_jv *ita = pf_jv_get(item,
				    "targetAction");
				const struct pf_jv *irt = pf_jv_get(item,
				    "refTarget");
				char p[64];

				if (!jv_is_string(ita) ||
				    !jv_is_string(irt) ||
				    !*pf_jv_str(irt) ||
				    !is_selector_action(pf_jv_str(ita)))
					continue;
				snprintf(p, sizeof(p),
				    "action.internalActions[%zu].refTarget", i);
				check_selector(l, p, pf_jv_str(irt));
			}
		}
	}
	if (!jv_is_string(sid) || !ts_ok)
		return;
	/*
	 * The app's rule (its action replay): an attendee drops a show_me or
	 * do_it of the same type and step as the last one it showed, less
	 * than 500 ms apart either way; a dropped one does not move that
	 * marker.  A presenter-side stream holds one copy of each click per
	 * attendee, the same in all (type, step, timestamp): a copy is not a
	 * repeat.
	 */
	if (in->step_id && in->step_type == t &&
	    strcmp(in->step_id, pf_jv_str(sid)) == 0) {
		int64_t gap = ts >= in->step_ts ? ts - in->step_ts :
		    in->step_ts - ts;

		if (gap == 0)
			return;		/* the same click, to another attendee */
		if (gap < REPEAT_GAP_MS) {
			report(l, PF_RULE_REPEATED_STEP, "",
			    "%s of step '%s' comes %" PRId64 " ms from the "
			    "one shown on line %ld: Pathfinder drops a repeat "
			    "closer than %d ms", tname, in->step_id, gap,
			    in->step_line, REPEAT_GAP_MS);
			return;
		}
	}
	free(in->step_id);
	in->step_id = pf_xstrdup(pf_jv_str(sid));
	in->step_type = t;
	in->step_ts = ts;
	in->step_line = in->line;
}

/* Timestamp rules; returns nonzero when ts is a usable timestamp. */
static int
check_timestamp(struct pf_lint *l, const char *tname, const struct pf_jv *v,
    unsigned required, int presenter, int64_t *ts)
{
	struct input *in = l->in;
	int form;

	if (v == NULL) {
		if (required & PF_BASE_TIMESTAMP)
			report(l, PF_RULE_MISSING_FIELD, "",
			    "%s: missing required field 'timestamp'", tname);
		return 0;
	}
	if (!jv_is_integer(v)) {
		report(l, PF_RULE_BAD_TIMESTAMP, "timestamp",
		    "%s: 'timestamp' must be an integer (epoch milliseconds), "
		    "not %s", tname, pf_jv_kind_name(v));
		return 0;
	}
	*ts = jv_int(v);
	if (*ts < 0) {
		report(l, PF_RULE_BAD_TIMESTAMP, "timestamp",
		    "%s: 'timestamp' is negative (%" PRId64 ")", tname, *ts);
		return 0;
	}
	form = *ts >= PF_EPOCH_MS_MIN ? 1 : 2;
	if (in->ts_form == 0) {
		in->ts_form = form;
		in->ts_form_line = in->line;
	} else if (form != in->ts_form) {
		report(l, PF_RULE_MIXED_TIMESTAMPS, "timestamp",
		    "%s: timestamp %" PRId64 " is %s, but line %ld set %s "
		    "timestamps", tname, *ts,
		    form == 1 ? "epoch milliseconds" : "relative",
		    in->ts_form_line,
		    in->ts_form == 1 ? "epoch-millisecond" : "relative");
		return 0;
	}
	/*
	 * Two clocks meet in a presenter-side stream: the presenter's own
	 * events must keep its clock's order; an attendee's carry that
	 * attendee's clock, which may run behind or ahead (FORMATS.md 4).
	 */
	if (!presenter) {
		int64_t skew = in->have_ts ? *ts - in->prev_ts : 0;

		if (skew < 0)
			skew = -skew;
		if (skew > PF_LINT_SKEW_MS)
			report(l, PF_RULE_CLOCK_SKEW, "timestamp",
			    "%s: timestamp %" PRId64 " is %" PRId64 " ms from "
			    "the presenter's on line %ld: the attendee's clock "
			    "is off", tname, *ts, skew, in->prev_ts_line);
		return 1;
	}
	if (in->have_ts && *ts < in->prev_ts)
		report(l, PF_RULE_TIMESTAMP_BACKWARDS, "timestamp",
		    "%s: timestamp %" PRId64 " goes back %" PRId64 " ms from "
		    "line %ld", tname, *ts, in->prev_ts - *ts,
		    in->prev_ts_line);
	in->have_ts = 1;
	in->prev_ts = *ts;
	in->prev_ts_line = in->line;
	return 1;
}

static void
check_base_string(struct pf_lint *l, const char *tname, const struct pf_jv *ev,
    const char *name, int required)
{
	const struct pf_jv *v = pf_jv_get(ev, name);

	if (v == NULL) {
		if (required)
			report(l, PF_RULE_MISSING_FIELD, "",
			    "%s: missing required field '%s'", tname, name);
	} else if (!jv_is_string(v)) {
		report(l, PF_RULE_FIELD_TYPE, name,
		    "%s: '%s' must be a string, not %s", tname, name,
		    pf_jv_kind_name(v));
	}
}

static void
check_structure(struct pf_lint *l, enum pf_event_type t, const char *tname,
    const struct pf_jv *ev)
{
	struct input *in = l->in;
	const struct pf_jv *sid = pf_jv_get(ev, "sessionId");

	in->events++;
	/* The app's order: handshake, attendee_join, then session_start. */
	if (!in->content && t != PF_EVENT_ATTENDEE_JOIN) {
		in->content = 1;
		if (t != PF_EVENT_SESSION_START && !in->document)
			report(l, PF_RULE_FIRST_NOT_START, "",
			    "the session's first event is %s, not "
			    "session_start", tname);
	}
	/* The presenter ends the session once per attendee still there. */
	if (in->end_line && !in->after_end_reported &&
	    t != PF_EVENT_SESSION_END) {
		in->after_end_reported = 1;
		report(l, PF_RULE_AFTER_END, "",
		    "%s after the session_end on line %ld", tname,
		    in->end_line);
	}
	switch (t) {
	case PF_EVENT_SESSION_START: {
		/* One per attendee, each with the session's one config. */
		struct pf_buf config = PF_BUF_INIT;
		const struct pf_jv *c = pf_jv_get(ev, "config");

		if (c)
			pf_jv_dump(c, &config);
		if (in->start_line == 0) {
			in->start_line = in->line;
			in->start_config = pf_buf_detach(&config, NULL);
		} else if (strcmp(pf_buf_str(&config), in->start_config ?
		    in->start_config : "") != 0) {
			report(l, PF_RULE_DUPLICATE_START, "config",
			    "session_start: its config differs from the one "
			    "on line %ld", in->start_line);
		}
		pf_buf_release(&config);
		break;
	}
	case PF_EVENT_SESSION_END:
		if (!in->end_line)
			in->end_line = in->line;
		break;
	case PF_EVENT_PAUSE:
		if (!in->pause_line)
			in->pause_line = in->line;
		break;
	case PF_EVENT_RESUME:
		in->pause_line = 0;
		break;
	default:
		break;
	}
	if (jv_is_string(sid)) {
		const char *s = pf_jv_str(sid);

		if (in->session_id == NULL) {
			in->session_id = pf_xstrdup(s);
			in->session_line = in->line;
		} else if (strcmp(s, in->session_id) != 0) {
			report(l, PF_RULE_MULTIPLE_SESSIONS, "sessionId",
			    "%s: sessionId '%s' differs from '%s' on line %ld",
			    tname, s, in->session_id, in->session_line);
		}
	}
}

static void
check_event(struct pf_lint *l, const struct pf_jv *ev)
{
	struct input *in = l->in;
	const struct pf_jv *type = pf_jv_get(ev, "type");
	enum pf_event_type t;
	const char *tname;
	unsigned required;
	int64_t ts = 0;
	int ts_ok;

	if (type == NULL) {
		report(l, PF_RULE_MISSING_TYPE, "", "missing 'type'");
		return;
	}
	if (!jv_is_string(type) || *pf_jv_str(type) == '\0') {
		report(l, PF_RULE_MISSING_TYPE, "type",
		    "'type' must be a non-empty string, not %s",
		    jv_is_string(type) ? "an empty one" :
		    pf_jv_kind_name(type));
		return;
	}
	tname = pf_jv_str(type);
	t = pf_event_type_from_name(tname);
	if (t == PF_EVENT_UNKNOWN)
		report(l, PF_RULE_UNKNOWN_TYPE, "type",
		    "unknown event type '%s'", tname);
	if (pf_event_is_handshake(t)) {
		const struct pf_jv *nonce = pf_jv_get(ev, "nonce");

		/* Part of a presenter-side stream; checked, not counted. */
		check_fields(l, tname, ev, pf_event_fields(t), "", 1);
		if (jv_is_string(nonce) && (jv_strlen(nonce) == 0 ||
		    jv_strlen(nonce) > 128))
			report(l, PF_RULE_HANDSHAKE, "nonce",
			    "%s: a nonce of %u bytes: the app takes 1 to 128 "
			    "and closes the connection", tname,
			    (unsigned)jv_strlen(nonce));
		return;
	}
	required = pf_event_base_required(t);
	if (in->relative_ok)
		required &= ~(unsigned)(PF_BASE_SESSION_ID | PF_BASE_SENDER_ID);
	check_base_string(l, tname, ev, "sessionId",
	    required & PF_BASE_SESSION_ID);
	check_base_string(l, tname, ev, "senderId",
	    required & PF_BASE_SENDER_ID);
	ts_ok = check_timestamp(l, tname, pf_jv_get(ev, "timestamp"),
	    required, in->relative_ok || pf_event_presenter_clock(t, ev), &ts);
	if (t != PF_EVENT_UNKNOWN)
		check_fields(l, tname, ev, pf_event_fields(t), "", 1);
	if (pf_event_is_step(t))
		check_step(l, t, tname, ev, ts, ts_ok);
	if (t == PF_EVENT_CHAT_MESSAGE) {
		const struct pf_jv *m = pf_jv_get(ev, "message");

		if (jv_is_string(m) && jv_strlen(m) == 0)
			report(l, PF_RULE_EMPTY_CHAT, "message",
			    "chat_message: the message is empty");
	}
	check_structure(l, t, tname, ev);
}

/* --- JSONL -------------------------------------------------------------- */

static enum pf_rule
fault_rule(enum pf_json_fault fault)
{
	switch (fault) {
	case PF_JSON_UTF8:
		return PF_RULE_INVALID_UTF8;
	case PF_JSON_NUL:
		return PF_RULE_NUL_BYTE;
	case PF_JSON_DUPLICATE:
		return PF_RULE_DUPLICATE_KEY;
	case PF_JSON_NOT_OBJECT:
		return PF_RULE_NOT_OBJECT;
	case PF_JSON_TOO_BIG:
		return PF_RULE_DOCUMENT;
	default:
		return PF_RULE_JSON_SYNTAX;
	}
}

/*
 * Parses text, whose first byte is on line `line`, reporting its faults.
 * Returns the root object (borrowed from l->parser), or NULL.
 */
static const struct pf_jv *
parse(struct pf_lint *l, const char *text, size_t len, long line)
{
	enum pf_json_fault fault;
	struct pf_err err;
	const struct pf_jv *j;

	l->duplicates = 0;
	j = pf_jv_parse(l->parser, text, len, 0, &fault, &err);
	if (j)
		return j;
	report_at(l, fault_rule(fault), line + err.line - 1, err.column, "%s",
	    err.msg);
	if (fault != PF_JSON_DUPLICATE)
		return NULL;
	/* Reported; now check the rest as the app would read it. */
	l->duplicates = 1;
	return pf_jv_parse(l->parser, text, len, PF_JSON_ALLOW_DUPLICATES,
	    &fault, &err);
}

static int
pass_on(struct pf_lint *l, const char *p, size_t n)
{
	if (l->pass && l->event_errors == 0 && l->pass(l->ctx, p, n) < 0) {
		l->pass_failed = 1;
		return -1;
	}
	return 0;
}

static int
lint_line(struct pf_lint *l, const struct pf_line *line)
{
	struct where w;
	struct pf_textpos tp;
	const struct pf_jv *ev;

	l->in->line = line->lineno;
	l->event_errors = 0;
	l->where = NULL;
	if (line->flags & PF_LINE_BOM)
		report_at(l, PF_RULE_BOM, line->lineno, 1,
		    "the input starts with a UTF-8 byte order mark");
	if (line->flags & PF_LINE_TOO_LONG) {
		report_at(l, PF_RULE_LINE_TOO_LONG, line->lineno, 1,
		    "line is %zu bytes, over the limit of %zu", line->full_len,
		    l->opt.max_line);
		return 0;
	}
	if (line->flags & PF_LINE_NO_NEWLINE)
		report_at(l, PF_RULE_TRUNCATED, line->lineno,
		    (long)line->len + 1, "the last line has no newline: the "
		    "recording may be truncated");
	if (line->len == 0 || strspn(line->data, " \t") == line->len) {
		report_at(l, PF_RULE_BLANK_LINE, line->lineno, 1,
		    "blank line");
		return 0;
	}
	ev = parse(l, line->data, line->len, line->lineno);
	if (ev == NULL)
		return 0;
	pf_textpos_init(&tp, line->data, line->len);
	w.event = ev;
	w.line = line->lineno;
	w.tp = &tp;
	w.prefix = "";
	l->where = &w;
	check_event(l, ev);
	l->where = NULL;
	return pass_on(l, line->data, line->len);
}

/* --- documents ---------------------------------------------------------- */

static const struct pf_field presenter_fields[] = {
	{ "id", PF_FIELD_STRING, PF_FIELD_REQUIRED, NULL, NULL },
	{ "name", PF_FIELD_STRING, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct pf_field attendee_fields[] = {
	{ "id", PF_FIELD_STRING, PF_FIELD_REQUIRED, NULL, NULL },
	{ "name", PF_FIELD_STRING, 0, NULL, NULL },
	{ "joinedAt", PF_FIELD_NUMBER, PF_FIELD_REQUIRED, NULL, NULL },
	{ "leftAt", PF_FIELD_NUMBER, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

/* The app's chat holds chat_message events; the seed's, bare messages. */
static const struct pf_field chat_fields[] = {
	{ "type", PF_FIELD_STRING, 0, NULL, NULL },
	{ "sessionId", PF_FIELD_STRING, 0, NULL, NULL },
	{ "senderId", PF_FIELD_STRING, 0, NULL, NULL },
	{ "timestamp", PF_FIELD_INTEGER, PF_FIELD_REQUIRED, NULL, NULL },
	{ "senderName", PF_FIELD_STRING, PF_FIELD_REQUIRED, NULL, NULL },
	{ "message", PF_FIELD_STRING, PF_FIELD_REQUIRED, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

/* A document-level field: absent or mistyped is a "document" finding. */
static const struct pf_jv *
doc_field(struct pf_lint *l, const struct pf_jv *doc, const char *name,
    enum pf_field_kind kind, int required)
{
	const struct pf_jv *v = pf_jv_get(doc, name);

	if (v == NULL) {
		if (required)
			report(l, PF_RULE_DOCUMENT, "",
			    "SessionRecording: missing required field '%s'",
			    name);
		return NULL;
	}
	if (!kind_ok(v, kind)) {
		report(l, PF_RULE_DOCUMENT, name,
		    "SessionRecording: '%s' must be %s, not %s", name,
		    pf_field_kind_name(kind), pf_jv_kind_name(v));
		return NULL;
	}
	return v;
}

/*
 * Checks each element of arr, the document's array `name`: as an event
 * when spec is NULL, else against spec.
 */
static void
doc_elements(struct pf_lint *l, const struct pf_jv *arr, const char *name,
    const struct pf_field *spec, struct pf_textpos *tp)
{
	char prefix[64];
	struct where w;
	const struct pf_jv *item;
	uint32_t i;
	long col;

	w.tp = tp;
	w.line = 1;
	w.prefix = prefix;
	jv_array_foreach(arr, i, item) {
		snprintf(prefix, sizeof(prefix), "%s[%u]", name, i);
		w.event = item;
		l->where = &w;
		pf_textpos_at(tp, item->offset, &l->in->line, &col);
		l->event_errors = 0;
		if (!jv_is_object(item)) {
			report(l, spec ? PF_RULE_DOCUMENT : PF_RULE_NOT_OBJECT,
			    "", "%s[%u] must be an object, not %s", name, i,
			    pf_jv_kind_name(item));
		} else if (spec) {
			const struct pf_jv *m = pf_jv_get(item, "message");

			check_fields(l, name, item, spec, "", 0);
			if (spec == chat_fields && jv_is_string(m) &&
			    m->n == 0)
				report(l, PF_RULE_EMPTY_CHAT, "message",
				    "chat: the message is empty");
		} else {
			check_event(l, item);
			if (l->pass && l->event_errors == 0 &&
			    !(l->duplicates && holds_repeated_key(l, item))) {
				pf_buf_reset(&l->msg);
				pf_jv_dump(item, &l->msg);
				if (pass_on(l, l->msg.data, l->msg.len) < 0)
					break;
			}
		}
		if (l->stopped)
			break;
	}
	l->where = NULL;
}

static int
lint_document(struct pf_lint *l, struct pf_reader *r, struct pf_err *err)
{
	struct input *in = l->in;
	const char *text;
	size_t len;
	const struct pf_jv *doc, *events, *first, *v;
	struct pf_textpos tp;
	struct where whole;
	int64_t when;

	pf_buf_reset(&l->doc);
	if (pf_reader_slurp(r, &l->doc, PF_DOC_MAX, err) < 0) {
		if (err->kind == PF_ERR_DATA) {
			report_at(l, PF_RULE_DOCUMENT, 1, 1,
			    "SessionRecording document %s", err->msg);
			return 0;
		}
		return -1;
	}
	text = pf_buf_str(&l->doc);
	len = l->doc.len;
	if (pf_utf8_bom(text, len) > 0) {
		report_at(l, PF_RULE_BOM, 1, 1,
		    "the input starts with a UTF-8 byte order mark");
		text += 3;
		len -= 3;
	}
	if (pf_reader_gzip_truncated(r))
		report_at(l, PF_RULE_TRUNCATED, 0, 0,
		    "the gzip stream ends early: the recording is truncated");
	in->document = 1;
	in->line = 1;
	pf_jv_parser_set_max_values(l->parser, PF_DOC_MAX_VALUES);
	doc = parse(l, text, len, 1);
	pf_jv_parser_set_max_values(l->parser, 0);
	if (doc == NULL)
		return 0;
	pf_textpos_init(&tp, text, len);
	whole.event = doc;
	whole.line = 1;
	whole.tp = &tp;
	whole.prefix = "";
	l->where = &whole;
	if (pf_jv_get(doc, "id") != NULL ||
	    pf_jv_get(doc, "sessionId") == NULL)
		doc_field(l, doc, "id", PF_FIELD_STRING, 1);
	else
		doc_field(l, doc, "sessionId", PF_FIELD_STRING, 1);
	doc_field(l, doc, "name", PF_FIELD_STRING, 1);
	v = doc_field(l, doc, "presenter", PF_FIELD_OBJECT, 1);
	if (v)
		check_fields(l, "SessionRecording", v, presenter_fields,
		    "presenter", 0);
	doc_field(l, doc, "tutorialUrl", PF_FIELD_STRING, 1);
	v = doc_field(l, doc, "duration", PF_FIELD_NUMBER, 1);
	if (v && jv_num(v) < 0)
		report(l, PF_RULE_DOCUMENT, "duration",
		    "SessionRecording: 'duration' is negative");
	v = doc_field(l, doc, "recordedAt", PF_FIELD_STRING, 1);
	if (v && pf_time_parse_iso8601(pf_jv_str(v), &when) != 0)
		report(l, PF_RULE_DOCUMENT, "recordedAt",
		    "SessionRecording: 'recordedAt' is '%s', not an ISO-8601 "
		    "time such as 2026-03-12T14:00:00Z", pf_jv_str(v));
	{
		static const char *const known[] = {
			"id", "sessionId", "name", "presenter", "tutorialUrl",
			"duration", "recordedAt", "events", "chat", "attendees",
			NULL
		};
		const struct pf_jv *m;
		const char *key;
		uint32_t k;

		jv_object_foreach(doc, k, key, m)
			if (!in_list(key, known) && m != NULL)
				report(l, PF_RULE_UNKNOWN_FIELD, key,
				    "SessionRecording: unknown field '%s'", key);
	}
	events = doc_field(l, doc, "events", PF_FIELD_ARRAY, 1);
	first = events ? jv_item(events, 0) : NULL;
	v = first ? pf_jv_get(first, "timestamp") : NULL;
	/* The seed's variant: relative times, no sessionId or senderId. */
	in->relative_ok = jv_is_integer(v) && jv_int(v) < PF_EPOCH_MS_MIN;
	if (!in->relative_ok && jv_is_string(pf_jv_get(doc, "id"))) {
		in->session_id = pf_xstrdup(pf_jv_str(pf_jv_get(doc, "id")));
		in->session_line = 1;
	}
	if (events)
		doc_elements(l, events, "events", NULL, &tp);
	l->where = &whole;
	v = doc_field(l, doc, "chat", PF_FIELD_ARRAY, 1);
	if (v && !l->stopped)
		doc_elements(l, v, "chat", chat_fields, &tp);
	l->where = &whole;
	v = doc_field(l, doc, "attendees", PF_FIELD_ARRAY, 1);
	if (v && !l->stopped)
		doc_elements(l, v, "attendees", attendee_fields, &tp);
	l->where = NULL;
	return 0;
}

/* --- inputs ------------------------------------------------------------- */

int
pf_lint_file(struct pf_lint *l, const char *path, struct pf_err *err)
{
	struct input in;
	struct pf_reader *r;
	struct pf_line line;
	const char *peek;
	size_t peeklen;
	int rc = 0, n;

	if (l->stopped)
		return 0;
	r = pf_reader_open(path, l->opt.max_line, err);
	if (r == NULL)
		return -1;
	memset(&in, 0, sizeof(in));
	in.name = pf_reader_name(r);
	l->in = &in;
	if (pf_reader_peek(r, &peek, &peeklen, err) < 0) {
		if (err->kind == PF_ERR_DATA) {
			report_at(l, PF_RULE_BAD_GZIP, 1, 0, "%s: the input is "
			    "unreadable", err->msg);
			goto out;
		}
		rc = -1;
		goto out;
	}
	if (pf_source_sniff_document(l->parser, peek, peeklen)) {
		rc = lint_document(l, r, err);
		goto end;
	}
	while (!l->stopped && (n = pf_reader_next(r, &line, err)) != 0) {
		if (n < 0) {
			if (err->kind == PF_ERR_DATA) {
				report_at(l, PF_RULE_BAD_GZIP, in.line + 1, 0,
				    "%s: the rest of the input is unreadable",
				    err->msg);
				break;
			}
			rc = -1;
			goto out;
		}
		if (lint_line(l, &line) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (pf_reader_gzip_truncated(r))
		report_at(l, PF_RULE_TRUNCATED, in.line, 0,
		    "the gzip stream ends early: the recording is truncated");
end:
	if (rc == 0 && in.pause_line && !l->stopped)
		report_at(l, PF_RULE_UNRESUMED_PAUSE, in.pause_line, 1,
		    "pause with no resume after it");
out:
	if (l->pass_failed)
		rc = -1;
	free(in.session_id);
	free(in.start_config);
	free(in.step_id);
	l->in = NULL;
	pf_reader_free(r);
	return rc;
}
