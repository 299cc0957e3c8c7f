/*
 * pf_render_html: the self-contained tutorial page: the built-in template
 * filled in, the app's data-* attributes on each step, the step and chat
 * data for the script, and a CSP that allows only the inline CSS and JS by
 * their hashes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pf_buf.h"
#include "pf_render.h"
#include "pf_render_int.h"
#include "pf_sha256.h"
#include "pf_templates.h"
#include "pf_time.h"
#include "pf_version.h"

#define H(s) pf_render_html_text(out, (s))

/* The machine-readable date of <time datetime>: ISO 8601. */
static void
format_date(const struct pf_tutorial *t, char *buf, size_t n)
{
	if (t->relative) {
		snprintf(buf, n, "unknown date");
		return;
	}
	pf_time_format_iso8601(t->start, buf, n);
}

static void
html_action(FILE *out, const struct pf_tut_action *a, int done)
{
	fputs(pf_render_verb(a->action, done), out);
	if (a->reftarget && *a->reftarget && strcmp(a->action, "multistep")) {
		fputs(" <code>", out);
		H(a->reftarget);
		fputs("</code>", out);
	}
	if (a->targetvalue && strcmp(a->action, "formfill") == 0) {
		fputs(" with <code>", out);
		H(a->targetvalue);
		fputs("</code>", out);
	}
	fputs(".", out);
}

/* The attributes the app's rendered steps carry (FORMATS.md 3.1): for
 * scripts and tests that find a step by them; the app parses no HTML. */
static void
html_contract(FILE *out, const struct pf_tut_action *a)
{
	fputs(" data-targetaction=\"", out);
	H(a->action);
	fputs("\" data-reftarget=\"", out);
	H(a->reftarget ? a->reftarget : "");
	fputs("\"", out);
	if (a->targetvalue) {
		fputs(" data-targetvalue=\"", out);
		H(a->targetvalue);
		fputs("\"", out);
	}
	if (a->tooltip) {
		fputs(" data-targetcomment=\"", out);
		H(a->tooltip);
		fputs("\"", out);
	}
	if (a->requirements) {
		fputs(" data-requirements=\"", out);
		H(a->requirements);
		fputs("\"", out);
	}
}

static void
html_internal_json(FILE *out, const struct pf_tut_step *s)
{
	struct pf_buf b = PF_BUF_INIT;
	FILE *mem;
	char *text = NULL;
	size_t len = 0, i;

	/* The attribute holds JSON: write it, then escape it as text. */
	mem = open_memstream(&text, &len);
	if (mem == NULL)
		return;
	fputc('[', mem);
	for (i = 0; i < s->ninternal; i++) {
		const struct pf_tut_action *a = &s->internal[i];

		fputs(i ? ",{\"targetAction\":" : "{\"targetAction\":", mem);
		pf_render_json_string(mem, a->action, 0);
		if (a->reftarget) {
			fputs(",\"refTarget\":", mem);
			pf_render_json_string(mem, a->reftarget, 0);
		}
		if (a->targetvalue) {
			fputs(",\"targetValue\":", mem);
			pf_render_json_string(mem, a->targetvalue, 0);
		}
		if (a->requirements) {
			fputs(",\"requirements\":", mem);
			pf_render_json_string(mem, a->requirements, 0);
		}
		fputc('}', mem);
	}
	fputc(']', mem);
	fclose(mem);
	fputs(" data-internal-actions=\"", out);
	H(text);
	fputs("\"", out);
	free(text);
	pf_buf_release(&b);
}

static void
html_qa(FILE *out, const struct pf_tut_qa *q)
{
	char at[32];

	pf_time_format_offset(q->at, at, sizeof(at));
	fputs("<div class=\"qa\"><p><span class=\"who\">", out);
	H(q->asker);
	fprintf(out, "</span> asked at <time>%s</time>: ", at);
	H(q->question);
	fputs("</p>", out);
	if (q->answer) {
		fputs("<p><span class=\"who\">", out);
		H(q->answerer);
		fputs("</span> answered: ", out);
		H(q->answer);
		fputs("</p>", out);
	}
	fputs("</div>\n", out);
}

static void
html_step(FILE *out, const struct pf_tutorial *t, size_t i)
{
	const struct pf_tut_step *s = &t->steps[i];
	const size_t *qa;
	char dur[32];
	size_t k, nqa;

	fprintf(out, "<li class=\"interactive interactive-step step\" "
	    "id=\"step-%zu\" data-step-id=\"", i + 1);
	H(s->id);
	fputs("\"", out);
	html_contract(out, &s->a);
	if (!s->done)
		fputs(" data-doit=\"false\"", out);
	if (s->ninternal)
		html_internal_json(out, s);
	fputs(">\n", out);
	if (s->a.tooltip) {
		fputs("<span class=\"interactive-comment\">", out);
		H(s->a.tooltip);
		fputs("</span>\n", out);
	}
	fputs("<h3>", out);
	H(pf_render_step_title(s));
	fputs("</h3>\n<p class=\"what\">", out);
	html_action(out, &s->a, s->done);
	fputs("</p>\n", out);
	if (s->ninternal) {
		fputs("<ol class=\"internal\">\n", out);
		for (k = 0; k < s->ninternal; k++) {
			fputs("<li>", out);
			html_action(out, &s->internal[k], 1);
			fputs("</li>\n", out);
		}
		fputs("</ol>\n", out);
	}
	pf_render_duration(s->duration, dur, sizeof(dur));
	fprintf(out, "<p class=\"facts\"><span>Suggested time: %s</span>"
	    "<span>%s</span>", dur, s->done ? "Show me and Do it" :
	    "Show me only");
	if (s->hands)
		fprintf(out, "<span>Hands raised: %ld</span>", s->hands);
	if (s->nleft) {
		fputs("<span>Left during this step: ", out);
		for (k = 0; k < s->nleft; k++) {
			if (k)
				fputs(", ", out);
			H(s->left[k]);
		}
		fputs("</span>", out);
	}
	fputs("</p>\n", out);
	qa = pf_tutorial_step_qa(t, i + 1, &nqa);
	for (k = 0; k < nqa; k++)
		html_qa(out, &t->qa[qa[k]]);
	fputs("</li>\n", out);
}

static void
html_header(FILE *out, const struct pf_tutorial *t)
{
	char iso[40], date[40], dur[32], *title = pf_render_title(t);

	format_date(t, iso, sizeof(iso));
	pf_render_human_date(t, date, sizeof(date));
	pf_render_duration(pf_tutorial_duration(t), dur, sizeof(dur));
	fputs("<header>\n<h1>", out);
	H(title);
	free(title);
	fputs("</h1>\n<dl class=\"meta\">\n", out);
	if (t->presenter) {
		fputs("<div><dt>Presenter</dt><dd>", out);
		H(t->presenter);
		fputs("</dd></div>\n", out);
	}
	if (t->relative)
		fprintf(out, "<div><dt>Date</dt><dd>%s</dd></div>\n", date);
	else
		fprintf(out, "<div><dt>Date</dt><dd><time datetime=\"%s\">%s"
		    "</time></dd></div>\n", iso, date);
	fprintf(out, "<div><dt>Duration</dt><dd>%s</dd></div>\n", dur);
	fprintf(out, "<div><dt>Attendees</dt><dd>%zu</dd></div>\n",
	    t->nattendees);
	fprintf(out, "<div><dt>Steps</dt><dd>%zu</dd></div>\n", t->nsteps);
	fputs("</dl>\n</header>", out);
}

static void
html_body(FILE *out, const struct pf_tutorial *t)
{
	const size_t *qa;
	size_t i, k, nqa;

	qa = pf_tutorial_step_qa(t, 0, &nqa);
	if (nqa) {
		fputs("<section class=\"tutorial-section\" "
		    "aria-labelledby=\"before-title\">\n<h2 id=\"before-title\">"
		    "Before the first step</h2>\n", out);
		for (k = 0; k < nqa; k++)
			html_qa(out, &t->qa[qa[k]]);
		fputs("</section>\n", out);
	}
	if (t->nsteps == 0)
		fputs("<p>This session has no steps.</p>\n", out);
	for (i = 0; i < t->nsections; i++) {
		const struct pf_tut_section *sec = &t->sections[i];

		if (sec->nsteps == 0)
			continue;
		fprintf(out, "<section class=\"tutorial-section\" "
		    "aria-labelledby=\"section-%zu-title\">\n"
		    "<h2 id=\"section-%zu-title\">", i + 1, i + 1);
		H(sec->title);
		fputs("</h2>\n", out);
		if (*sec->url) {
			fputs("<p class=\"section-url\">", out);
			if (pf_render_is_http_url(sec->url)) {
				fputs("<a href=\"", out);
				H(sec->url);
				fputs("\" rel=\"noopener noreferrer\">", out);
				H(sec->url);
				fputs("</a>", out);
			} else {
				H(sec->url);
			}
			fputs("</p>\n", out);
		}
		fprintf(out, "<span id=\"section-%zu\" class=\"interactive\" "
		    "data-targetaction=\"sequence\" "
		    "data-reftarget=\"span#section-%zu\">\n<ul class=\"steps\">\n",
		    i + 1, i + 1);
		for (k = sec->first_step; k < sec->first_step + sec->nsteps;
		    k++)
			html_step(out, t, k);
		fputs("</ul>\n</span>\n</section>\n", out);
	}
	if (t->nchat) {
		fputs("<section class=\"transcript\" "
		    "aria-labelledby=\"transcript-title\">\n"
		    "<h2 id=\"transcript-title\">Chat transcript</h2>\n"
		    "<ol class=\"chat\">\n", out);
		for (i = 0; i < t->nchat; i++) {
			char at[32];

			pf_time_format_offset(t->chat[i].at, at, sizeof(at));
			fprintf(out, "<li%s><time>%s</time><span class=\"name\">",
			    t->chat[i].presenter ? " class=\"presenter\"" : "",
			    at);
			H(t->chat[i].name);
			fputs(":</span> ", out);
			H(t->chat[i].text);
			fputs("</li>\n", out);
		}
		fputs("</ol>\n</section>", out);
	}
}

static void
html_data(FILE *out, const struct pf_tutorial *t)
{
	size_t i;

	fprintf(out, "{\"duration\":%" PRId64 ",\"steps\":[",
	    pf_tutorial_duration(t));
	for (i = 0; i < t->nsteps; i++) {
		const struct pf_tut_step *s = &t->steps[i];

		fprintf(out, "%s{\"id\":", i ? "," : "");
		pf_render_json_string(out, s->id, 1);
		fprintf(out, ",\"el\":\"step-%zu\",\"t\":%" PRId64 ",\"title\":",
		    i + 1, s->at);
		pf_render_json_string(out, pf_render_step_title(s), 1);
		fputc('}', out);
	}
	fputs("],\"chat\":[", out);
	for (i = 0; i < t->nchat; i++) {
		fprintf(out, "%s{\"t\":%" PRId64 ",\"who\":", i ? "," : "",
		    t->chat[i].at);
		pf_render_json_string(out, t->chat[i].name, 1);
		fputs(",\"text\":", out);
		pf_render_json_string(out, t->chat[i].text, 1);
		fprintf(out, ",\"presenter\":%s}", t->chat[i].presenter ?
		    "true" : "false");
	}
	fputs("]}", out);
}

static void
csp_hash(struct pf_buf *b, const char *what, const char *content)
{
	unsigned char digest[32];

	pf_sha256(content, strlen(content), digest);
	pf_buf_addf(b, "%s 'sha256-", what);
	pf_base64(digest, sizeof(digest), b);
	pf_buf_adds(b, "'; ");
}

int
pf_render_html(const struct pf_tutorial *t, FILE *out)
{
	const char *p = pf_tpl_tutorial_html;
	struct pf_buf csp = PF_BUF_INIT;
	char *title = pf_render_title(t);

	pf_buf_adds(&csp, "default-src 'none'; ");
	csp_hash(&csp, "style-src", pf_tpl_tutorial_css);
	csp_hash(&csp, "script-src", pf_tpl_tutorial_js);
	pf_buf_adds(&csp, "img-src 'none'; base-uri 'none'; form-action "
	    "'none'");
	/* The template's @NAME@ places, filled in order of appearance. */
	while (*p) {
		const char *at = strchr(p, '@'), *end;
		size_t n;

		if (at == NULL || (end = strchr(at + 1, '@')) == NULL) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, (size_t)(at - p), out);
		n = (size_t)(end - at - 1);
		if (n == 3 && strncmp(at + 1, "CSP", n) == 0)
			fputs(csp.data, out);
		else if (n == 9 && strncmp(at + 1, "GENERATOR", n) == 0)
			fputs("pf-convert " PF_VERSION, out);
		else if (n == 5 && strncmp(at + 1, "TITLE", n) == 0)
			H(title);
		else if (n == 5 && strncmp(at + 1, "STYLE", n) == 0)
			fputs(pf_tpl_tutorial_css, out);
		else if (n == 6 && strncmp(at + 1, "HEADER", n) == 0)
			html_header(out, t);
		else if (n == 4 && strncmp(at + 1, "BODY", n) == 0)
			html_body(out, t);
		else if (n == 4 && strncmp(at + 1, "DATA", n) == 0)
			html_data(out, t);
		else if (n == 6 && strncmp(at + 1, "SCRIPT", n) == 0)
			fputs(pf_tpl_tutorial_js, out);
		else {
			fputc('@', out);	/* not a place: keep it */
			p = at + 1;
			continue;
		}
		p = end + 1;
	}
	pf_buf_release(&csp);
	free(title);
	return ferror(out) ? -1 : 0;
}
