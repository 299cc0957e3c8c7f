/*
 * pf_convert: the pipeline from a recording's events to an output file:
 * mask, normalise, model, render.  Events for a SessionRecording output
 * wait in an unnamed temporary file, so memory holds the model, not the
 * events.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_convert.h"
#include "pf_event.h"
#include "pf_jv.h"
#include "pf_outfile.h"
#include "pf_render.h"
#include "pf_time.h"
#include "pf_tutorial.h"

static const char *const format_names[] = {
	[PF_FORMAT_HTML] = "html",
	[PF_FORMAT_GUIDE] = "guide",
	[PF_FORMAT_RECORDING] = "recording",
	[PF_FORMAT_JSONL] = "jsonl",
	[PF_FORMAT_MD] = "md",
	[PF_FORMAT_PLAYWRIGHT] = "playwright",
};

int
pf_format_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
pf_format_extension(enum pf_format f)
{
	switch (f) {
	case PF_FORMAT_HTML:
		return ".html";
	case PF_FORMAT_RECORDING:
		return ".json";
	case PF_FORMAT_JSONL:
		return ".jsonl";
	case PF_FORMAT_MD:
		return ".md";
	case PF_FORMAT_PLAYWRIGHT:
		return ".spec.js";
	case PF_FORMAT_GUIDE:
		break;
	}
	return "";
}

/* A folder made as mkdir(1) makes it; one there already will do. */
static int
make_dir(const char *path)
{
	return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

struct job {
	const struct pf_convert_options *opt;
	struct pf_jv_parser *parser;
	struct pf_buf text;
	struct pf_buf line;
	int64_t base;		/* recordedAt, for relative times */
	int have_base;
	const char *doc_id;
	int doc_checked;
	const char *p;		/* the prepared event's text, in text */
	size_t n;
	FILE *jsonl;		/* the JSONL output, written as events come */
	FILE *events;		/* a SessionRecording's events, waiting */
	int first;
};

/*
 * The event as it goes out: masked if asked, then with what a seed
 * document leaves out filled in.  Returns the (re)parsed event and sets
 * *p, *n to its compact text.
 */
static const struct pf_jv *
prepare(struct job *j, struct pf_source *src, const struct pf_source_event *e,
    const char **p, size_t *n)
{
	const struct pf_jv *ev = e->ev, *doc;
	enum pf_json_fault fault;
	struct pf_jv_edit edits[3];
	char num[32];
	size_t nedits = 0;

	if (!j->doc_checked) {
		j->doc_checked = 1;
		doc = pf_source_document(src);
		if (doc) {
			const char *at = pf_jv_str(pf_jv_get(doc, "recordedAt"));

			j->have_base = at && pf_time_parse_iso8601(at,
			    &j->base) == 0;
			j->doc_id = pf_jv_str(pf_jv_get(doc, "id"));
			if (j->doc_id == NULL)
				j->doc_id = pf_jv_str(pf_jv_get(doc,
				    "sessionId"));
		}
	}
	pf_buf_reset(&j->text);
	if (j->opt->redact)
		pf_redact_event(j->opt->redact, ev, &j->text);
	/* A seed document: relative times, no sessionId, no senderId. */
	if (e->has_ts && e->ts < PF_EPOCH_MS_MIN && j->have_base) {
		snprintf(num, sizeof(num), "%" PRId64, j->base + e->ts);
		edits[nedits++] = (struct pf_jv_edit){ "timestamp", num };
	}
	if (pf_jv_get(ev, "sessionId") == NULL && j->doc_id &&
	    (pf_event_base_required(e->type) & PF_BASE_SESSION_ID))
		edits[nedits++] = (struct pf_jv_edit){ "sessionId", NULL };
	if (pf_jv_get(ev, "senderId") == NULL &&
	    (pf_event_base_required(e->type) & PF_BASE_SENDER_ID))
		edits[nedits++] = (struct pf_jv_edit){ "senderId",
		    "\"presenter\"" };
	if (!j->opt->redact && nedits == 0) {
		/* Nothing to change: the event as read, written compact. */
		if (j->opt->format == PF_FORMAT_JSONL ||
		    j->opt->format == PF_FORMAT_RECORDING)
			pf_jv_dump(ev, &j->text);
		*p = j->text.data;
		*n = j->text.len;
		return ev;
	}
	if (!j->opt->redact)
		pf_jv_dump(ev, &j->text);
	ev = pf_jv_parse(j->parser, j->text.data, j->text.len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, NULL);
	if (nedits && ev) {
		struct pf_buf sid = PF_BUF_INIT;
		size_t i;

		for (i = 0; i < nedits; i++)
			if (edits[i].value == NULL) {
				pf_jv_dump_string(j->doc_id, strlen(j->doc_id),
				    &sid);
				edits[i].value = sid.data;
			}
		pf_buf_reset(&j->line);
		pf_jv_splice(j->text.data, j->text.len, ev, edits, nedits,
		    &j->line);
		pf_buf_release(&sid);
		pf_buf_reset(&j->text);
		pf_buf_add(&j->text, j->line.data, j->line.len);
		ev = pf_jv_parse(j->parser, j->text.data, j->text.len,
		    PF_JSON_ALLOW_DUPLICATES, &fault, NULL);
	}
	*p = j->text.data;
	*n = j->text.len;
	return ev;
}

/* pf_tutorial_read's hooks: each event prepared, then written out. */
static const struct pf_jv *
prepare_hook(void *ctx, struct pf_source *src, const struct pf_source_event *e)
{
	struct job *j = ctx;

	return prepare(j, src, e, &j->p, &j->n);
}

static void
fed_hook(void *ctx)
{
	struct job *j = ctx;

	if (j->jsonl) {
		fwrite(j->p, 1, j->n, j->jsonl);
		fputc('\n', j->jsonl);
	} else if (j->events) {
		pf_render_recording_event(j->p, j->n, j->first, j->events);
		j->first = 0;
	}
}

/*
 * An output of a conversion: standard output, or a file written beside
 * its target and renamed into place only once it is whole (pf_outfile),
 * so a failed conversion leaves an existing file as it was.
 */
struct out {
	FILE *f;
	struct pf_outfile file;
	const char *name;
};

static int
open_out(struct out *o, const char *path, struct pf_err *err)
{
	memset(o, 0, sizeof(*o));
	o->name = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		o->name = "<stdout>";
		return 0;
	}
	if (pf_outfile_open(&o->file, path, err) < 0)
		return -1;
	o->f = fdopen(o->file.fd, "w");
	if (o->f == NULL) {
		pf_err_set(err, PF_ERR_IO, errno, "%s: %s", path,
		    strerror(errno));
		pf_outfile_abort(&o->file);
		return -1;
	}
	return 0;
}

/* Throws the output away, leaving its target as it was. */
static void
abort_out(struct out *o)
{
	if (o->f && o->f != stdout) {
		fclose(o->f);
		o->file.fd = -1;	/* fclose closed it */
		pf_outfile_abort(&o->file);
	}
	o->f = NULL;
}

static int
close_out(struct out *o, struct pf_err *err)
{
	int failed = ferror(o->f);
	int saved = errno;

	if (o->f == stdout ? fflush(o->f) != 0 : fclose(o->f) != 0) {
		failed = 1;
		saved = errno;
	}
	if (o->f != stdout) {
		o->file.fd = -1;	/* fclose closed it */
		if (failed)
			pf_outfile_abort(&o->file);
		else if (pf_outfile_commit(&o->file, err) < 0)
			failed = -1;
	}
	o->f = NULL;
	if (failed > 0)
		return pf_err_set(err, PF_ERR_IO, saved, "%s: write error: %s",
		    o->name, strerror(saved ? saved : EIO));
	return failed;
}

static int
write_guide(const struct pf_tutorial *t, const char *dir,
    struct pf_convert_result *res, struct pf_err *err)
{
	char *id = pf_render_guide_id(t);
	char *folder = pf_xasprintf("%s/%s", dir, id);
	char *path;
	struct out o;
	int rc = -1;

	if (make_dir(dir) < 0) {
		pf_err_set(err, PF_ERR_IO, errno, "%s: %s", dir,
		    strerror(errno));
		goto out;
	}
	if (make_dir(folder) < 0) {
		pf_err_set(err, PF_ERR_IO, errno, "%s: %s", folder,
		    strerror(errno));
		goto out;
	}
	path = pf_xasprintf("%s/content.json", folder);
	snprintf(res->path, sizeof(res->path), "%s", path);
	if (open_out(&o, path, err) == 0) {
		pf_render_guide_content(t, o.f);
		rc = close_out(&o, err);
	}
	free(path);
	if (rc < 0)
		goto out;
	path = pf_xasprintf("%s/manifest.json", folder);
	rc = -1;
	if (open_out(&o, path, err) == 0) {
		pf_render_guide_manifest(t, o.f);
		rc = close_out(&o, err);
	}
	free(path);
out:
	free(folder);
	free(id);
	return rc;
}

int
pf_convert_file(const char *input, const char *dest,
    const struct pf_convert_options *opt, struct pf_convert_result *res,
    struct pf_err *err)
{
	struct pf_source *src = NULL;
	struct pf_tutorial *t = NULL;
	struct pf_tutorial_hooks hooks = { prepare_hook, fed_hook, NULL };
	struct job j;
	struct out o = { 0 };
	FILE *events = NULL;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&j, 0, sizeof(j));
	j.opt = opt;
	j.first = 1;
	hooks.ctx = &j;
	j.parser = pf_jv_parser_new();
	pf_buf_init(&j.text);
	pf_buf_init(&j.line);
	if (strcmp(dest, "-") != 0 && (strcmp(input, "-") == 0 ?
	    pf_outfile_same_fd(dest, 0) : pf_outfile_same(input, dest))) {
		pf_err_set(err, PF_ERR_USAGE, 0,
		    "input and output are the same file");
		goto out;
	}
	src = pf_source_open(input, 0, err);
	if (src == NULL)
		goto out;
	if (opt->skip)
		pf_source_set_skip(src, opt->skip, opt->skip_ctx);
	if (opt->format == PF_FORMAT_JSONL) {
		if (open_out(&o, dest, err) < 0)
			goto out;
		j.jsonl = o.f;
	} else if (opt->format == PF_FORMAT_RECORDING) {
		events = tmpfile();
		if (events == NULL) {
			pf_err_set(err, PF_ERR_IO, errno, "temporary file: %s",
			    strerror(errno));
			goto out;
		}
	}
	j.events = events;
	t = pf_tutorial_read(src, &hooks, err);
	if (t == NULL)
		goto out;
	switch (opt->format) {
	case PF_FORMAT_GUIDE:
		if (write_guide(t, dest, res, err) < 0)
			goto out;
		break;
	case PF_FORMAT_JSONL:
		break;
	case PF_FORMAT_RECORDING: {
		char buf[65536];
		size_t k;

		if (open_out(&o, dest, err) < 0)
			goto out;
		pf_render_recording_head(t, o.f);
		rewind(events);
		while ((k = fread(buf, 1, sizeof(buf), events)) > 0)
			fwrite(buf, 1, k, o.f);
		if (ferror(events)) {
			pf_err_set(err, PF_ERR_IO, errno, "temporary file: "
			    "%s", strerror(errno));
			goto out;
		}
		pf_render_recording_tail(t, o.f);
		break;
	}
	case PF_FORMAT_HTML:
	case PF_FORMAT_MD:
	case PF_FORMAT_PLAYWRIGHT:
		if (open_out(&o, dest, err) < 0)
			goto out;
		if (opt->format == PF_FORMAT_HTML)
			pf_render_html(t, o.f);
		else if (opt->format == PF_FORMAT_MD)
			pf_render_markdown(t, o.f);
		else
			pf_render_playwright(t, &opt->playwright, o.f);
		break;
	}
	if (o.f) {
		if (close_out(&o, err) < 0)
			goto out;
	}
	if (opt->format != PF_FORMAT_GUIDE)
		snprintf(res->path, sizeof(res->path), "%s", dest);
	snprintf(res->title, sizeof(res->title), "%s", t->title);
	if (!t->relative)
		pf_time_format_iso8601(t->start, res->date, sizeof(res->date));
	res->duration = pf_tutorial_duration(t);
	res->steps = t->nsteps;
	res->attendees = t->nattendees;
	res->events = t->events;
	rc = 0;
out:
	abort_out(&o);
	if (events)
		fclose(events);
	pf_tutorial_free(t);
	pf_source_free(src);
	pf_jv_parser_free(j.parser);
	pf_buf_release(&j.text);
	pf_buf_release(&j.line);
	return rc;
}

int
pf_convert_playwright_config(const char *dest, struct pf_err *err)
{
	struct out o;

	if (open_out(&o, dest, err) < 0)
		return -1;
	pf_render_playwright_config(o.f);
	return close_out(&o, err);
}
