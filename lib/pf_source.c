/*
 * pf_source: events out of JSONL recordings and SessionRecording
 * documents, with the lines that are not events passed over and reported.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_json.h"
#include "pf_source.h"

struct pf_source {
	struct pf_reader *r;
	struct pf_jv_parser *parser;
	struct pf_jv_parser *reparser;	/* a document's events, one by one */
	pf_source_skip_fn *skip;
	void *skip_ctx;
	int started;
	int document;
	/* document mode */
	struct pf_buf doc;
	const struct pf_jv *root;
	const struct pf_jv *events;
	uint32_t next;
	struct pf_textpos tp;
	struct pf_buf line;	/* an event rendered as a line */
};

int
pf_source_sniff_document(struct pf_jv_parser *parser, const char *p, size_t n)
{
	enum pf_json_fault fault;
	const char *nl;
	size_t i = 0;
	const struct pf_jv *j;
	struct pf_buf first = PF_BUF_INIT;
	int doc;

	i = pf_utf8_bom(p, n);
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i >= n || p[i] != '{')
		return 0;
	nl = memchr(p + i, '\n', n - i);
	/* pf_jv_parse wants a NUL after the text: parse a copy. */
	pf_buf_add(&first, p + i, nl ? (size_t)(nl - (p + i)) : n - i);
	j = pf_jv_parse(parser, first.data, first.len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, NULL);
	if (j == NULL)
		/* An event cut short names its type; a document's head does not. */
		doc = fault == PF_JSON_INCOMPLETE &&
		    strstr(first.data, "\"type\"") == NULL;
	else
		doc = pf_jv_get(j, "type") == NULL &&
		    pf_jv_is(pf_jv_get(j, "events"), PF_JV_ARRAY);
	pf_buf_release(&first);
	return doc;
}

static struct pf_source *
source_new(struct pf_reader *r)
{
	struct pf_source *s;

	if (r == NULL)
		return NULL;
	s = pf_xcalloc(1, sizeof(*s));
	s->r = r;
	s->parser = pf_jv_parser_new();
	s->reparser = pf_jv_parser_new();
	pf_buf_init(&s->doc);
	pf_buf_init(&s->line);
	return s;
}

struct pf_source *
pf_source_open(const char *path, size_t max_line, struct pf_err *err)
{
	return source_new(pf_reader_open(path, max_line, err));
}

struct pf_source *
pf_source_memopen(const void *data, size_t n, const char *name,
    size_t max_line, struct pf_err *err)
{
	return source_new(pf_reader_memopen(data, n, name, max_line, err));
}

void
pf_source_set_skip(struct pf_source *s, pf_source_skip_fn *fn, void *ctx)
{
	s->skip = fn;
	s->skip_ctx = ctx;
}

struct pf_reader *
pf_source_reader(struct pf_source *s)
{
	return s->r;
}

const char *
pf_source_name(const struct pf_source *s)
{
	return pf_reader_name(s->r);
}

const struct pf_jv *
pf_source_document(struct pf_source *s)
{
	return s->document ? s->root : NULL;
}

void
pf_source_free(struct pf_source *s)
{
	if (s == NULL)
		return;
	pf_reader_free(s->r);
	pf_jv_parser_free(s->parser);
	pf_jv_parser_free(s->reparser);
	pf_buf_release(&s->doc);
	pf_buf_release(&s->line);
	free(s);
}

static void
skipped(struct pf_source *s, long line, const char *why)
{
	if (s->skip)
		s->skip(s->skip_ctx, pf_reader_name(s->r), line, why);
}

/* Fills in what every event carries; 0, or -1 if ev has no usable type. */
static int
describe(const struct pf_jv *ev, struct pf_source_event *e)
{
	const struct pf_jv *t = pf_jv_get(ev, "type");
	const struct pf_jv *ts = pf_jv_get(ev, "timestamp");

	if (!pf_jv_is(t, PF_JV_STRING) || t->n == 0)
		return -1;
	e->ev = ev;
	e->type_name = t->u.s;
	e->type = pf_event_type_from_name(t->u.s);
	e->has_ts = pf_jv_is(ts, PF_JV_INTEGER);
	e->ts = e->has_ts ? ts->u.i : 0;
	e->session_id = pf_jv_str(pf_jv_get(ev, "sessionId"));
	return 0;
}

static int
open_document(struct pf_source *s, struct pf_err *err)
{
	enum pf_json_fault fault;
	struct pf_err perr;
	const char *text;
	size_t len, bom;

	if (pf_reader_slurp(s->r, &s->doc, PF_DOC_MAX, err) < 0)
		return -1;
	text = pf_buf_str(&s->doc);
	len = s->doc.len;
	bom = pf_utf8_bom(text, len);
	text += bom;
	len -= bom;
	pf_jv_parser_set_max_values(s->parser, PF_DOC_MAX_VALUES);
	s->root = pf_jv_parse(s->parser, text, len, PF_JSON_ALLOW_DUPLICATES,
	    &fault, &perr);
	if (s->root == NULL)
		return pf_err_set_at(err, PF_ERR_DATA, perr.line, perr.column,
		    "not a valid SessionRecording document: %s", perr.msg);
	s->events = pf_jv_get(s->root, "events");
	if (!pf_jv_is(s->events, PF_JV_ARRAY))
		return pf_err_set(err, PF_ERR_DATA, 0, "not a valid "
		    "SessionRecording document: it has no \"events\" array");
	pf_textpos_init(&s->tp, text, len);
	return 0;
}

static int
next_document(struct pf_source *s, struct pf_source_event *e)
{
	while (s->next < s->events->n) {
		const struct pf_jv *ev = &s->events->u.items[s->next++];
		long line, col;

		pf_textpos_at(&s->tp, ev->offset, &line, &col);
		if (!pf_jv_is(ev, PF_JV_OBJECT) || describe(ev, e) < 0) {
			skipped(s, line, "an element of \"events\" that is not "
			    "an event (no \"type\")");
			continue;
		}
		pf_buf_reset(&s->line);
		pf_jv_dump(ev, &s->line);
		/*
		 * Parse the rendering again, so that the event's offsets
		 * index raw, as they do for a JSONL line.
		 */
		{
			enum pf_json_fault fault;
			const struct pf_jv *copy = pf_jv_parse(s->reparser,
			    s->line.data, s->line.len,
			    PF_JSON_ALLOW_DUPLICATES, &fault, NULL);

			if (copy == NULL || describe(copy, e) < 0)
				continue;	/* cannot happen: we wrote it */
		}
		e->raw = s->line.data;
		e->rawlen = s->line.len;
		e->line = line;
		return 1;
	}
	return 0;
}

int
pf_source_next(struct pf_source *s, struct pf_source_event *e,
    struct pf_err *err)
{
	struct pf_line line;
	int n;

	if (!s->started) {
		const char *p;
		size_t len;

		s->started = 1;
		if (pf_reader_peek(s->r, &p, &len, err) < 0)
			return -1;
		s->document = pf_source_sniff_document(s->parser, p, len);
		if (s->document && open_document(s, err) < 0)
			return -1;
	}
	if (s->document)
		return next_document(s, e);
	while ((n = pf_reader_next(s->r, &line, err)) > 0) {
		enum pf_json_fault fault;
		struct pf_err perr;
		const struct pf_jv *ev;
		char why[600];

		if (line.flags & PF_LINE_TOO_LONG) {
			snprintf(why, sizeof(why), "line is %zu bytes, over the "
			    "limit", line.full_len);
			skipped(s, line.lineno, why);
			continue;
		}
		if (line.len == 0 || strspn(line.data, " \t") == line.len)
			continue;
		ev = pf_jv_parse(s->parser, line.data, line.len,
		    PF_JSON_ALLOW_DUPLICATES, &fault, &perr);
		if (ev == NULL) {
			snprintf(why, sizeof(why), "%s%s",
			    line.flags & PF_LINE_NO_NEWLINE ?
			    "partial last line: " : "", perr.msg);
			skipped(s, line.lineno, why);
			continue;
		}
		if (describe(ev, e) < 0) {
			skipped(s, line.lineno, "not an event: no \"type\"");
			continue;
		}
		e->raw = line.data;
		e->rawlen = line.len;
		e->line = line.lineno;
		return 1;
	}
	return n;
}
