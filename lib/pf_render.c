/*
 * pf_render: writers for the forms pf-convert produces, each escaping the
 * recording's strings for its own context.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_guide.h"
#include "pf_render.h"
#include "pf_sha256.h"
#include "pf_templates.h"
#include "pf_time.h"
#include "pf_version.h"

/* --- escaping ----------------------------------------------------------- */

void
pf_render_html_text(FILE *out, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "&<>\"'");

		fwrite(s, 1, n, out);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputs("&#39;", out);
			break;
		}
		s++;
	}
}

#define H(s) pf_render_html_text(out, (s))

/* Whether byte c must be escaped in a JSON string (inside a script). */
static int
json_special(const unsigned char *p, int script_safe)
{
	return *p < 0x20 || *p == '"' || *p == '\\' || (script_safe &&
	    (*p == '<' || *p == '>' || *p == '&' || (p[0] == 0xe2 &&
	    p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))));
}

void
pf_render_json_string(FILE *out, const char *s, int script_safe)
{
	const unsigned char *p = (const unsigned char *)s, *run;

	fputc('"', out);
	for (;;) {
		for (run = p; *p && !json_special(p, script_safe); p++)
			;
		fwrite(run, 1, (size_t)(p - run), out);
		switch (*p) {
		case '\0':
			fputc('"', out);
			return;
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case 0xe2:
			/* U+2028 and U+2029 end a line in old scripts. */
			fprintf(out, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
			break;
		default:
			fprintf(out, "\\u%04x", *p);
			break;
		}
		p++;
	}
}

#define J(s) pf_render_json_string(out, (s), 0)

/*
 * Markdown text in the middle of a line: every character that could start
 * inline markup is escaped, and HTML is written as entities.
 */
static void
put_md(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]!|~", *s))
			fputc('\\', out);
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

/* A Markdown code span that no backtick in s can close. */
static void
put_md_code(FILE *out, const char *s)
{
	size_t run = 0, longest = 0, i;
	const char *p;

	for (p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i <= longest; i++)
		fputc('`', out);
	if (*s == '`' || s[0] == '\0' || s[strlen(s) - 1] == '`')
		fputc(' ', out);
	for (p = s; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
	if (*s == '`' || s[0] == '\0' || s[strlen(s) - 1] == '`')
		fputc(' ', out);
	for (i = 0; i <= longest; i++)
		fputc('`', out);
}

/* --- words -------------------------------------------------------------- */

static void
format_duration(int64_t ms, char *buf, size_t n)
{
	int64_t s = ms / 1000 + (ms % 1000 >= 500);

	if (s < 60)
		snprintf(buf, n, "%" PRId64 " s", s);
	else if (s < 3600 && s % 60 == 0)
		snprintf(buf, n, "%" PRId64 " min", s / 60);
	else if (s < 3600)
		snprintf(buf, n, "%" PRId64 " min %" PRId64 " s", s / 60,
		    s % 60);
	else
		snprintf(buf, n, "%" PRId64 " h %" PRId64 " min", s / 3600,
		    s / 60 % 60);
}

static void
format_date(const struct pf_tutorial *t, char *buf, size_t n)
{
	if (t->relative) {
		snprintf(buf, n, "unknown date");
		return;
	}
	pf_time_format_iso8601(t->start, buf, n);
}

/* "2026-03-12 14:00 UTC" */
static void
format_human_date(const struct pf_tutorial *t, char *buf, size_t n)
{
	char date[40];

	if (t->relative) {
		snprintf(buf, n, "unknown date");
		return;
	}
	snprintf(buf, n, "%s UTC", pf_time_format_date(t->start, date,
	    sizeof(date)));
}

static const char *
verb(const char *action, int done)
{
	if (strcmp(action, "button") == 0)
		return "Click the button";
	if (strcmp(action, "formfill") == 0)
		return "Fill in";
	if (strcmp(action, "navigate") == 0)
		return "Go to";
	if (strcmp(action, "hover") == 0)
		return "Hover over";
	if (strcmp(action, "multistep") == 0)
		return "Do these actions";
	return done ? "Click" : "Look at";
}

/* A step's heading: its tooltip, or else its id, as the author named it. */
static const char *
step_title(const struct pf_tut_step *s)
{
	return s->a.tooltip ? s->a.tooltip : s->id;
}

/* Whether a selector points into Grafana's navigation menu. */
static int
is_navmenu(const char *sel)
{
	return sel && (strcasestr(sel, "nav menu") || strcasestr(sel, "navmenu")
	    || strcasestr(sel, "nav-menu") || strstr(sel, "mega-menu"));
}

static int
is_http_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

static size_t
people(const struct pf_tutorial *t)
{
	return t->nattendees;
}

static int
blank(const char *s)
{
	return s == NULL || strspn(s, " \t\r\n") == strlen(s);
}

/* "https://grafana.com/tutorials/prometheus-101/" -> "Prometheus 101",
 * or NULL when the URL has no path segment with a letter or digit. */
static char *
title_of_url(const char *url)
{
	const char *end, *start;
	char *title, *q;
	int any = 0;

	if (url == NULL)
		return NULL;
	end = url + strcspn(url, "?#");
	while (end > url && end[-1] == '/')
		end--;
	start = end;
	while (start > url && start[-1] != '/')
		start--;
	/* "https://host": a host, not a path segment. */
	if (start == end || (start - url >= 2 && start[-2] == '/'))
		return NULL;
	title = pf_xmemdup(start, (size_t)(end - start));
	for (q = title; *q; q++) {
		if (*q == '-' || *q == '_')
			*q = ' ';
		else if (isalnum((unsigned char)*q))
			any = 1;
	}
	if (!any) {
		free(title);
		return NULL;
	}
	title[0] = (char)toupper((unsigned char)title[0]);
	return title;
}

char *
pf_render_title(const struct pf_tutorial *t)
{
	char *title;

	if (!blank(t->title))
		return pf_xstrdup(t->title);
	title = title_of_url(t->tutorial_url);
	if (title == NULL && t->nsections > 0)
		title = title_of_url(t->sections[0].url);
	if (title)
		return title;
	if (!blank(t->id))
		return pf_xasprintf("Session %s", t->id);
	return pf_xstrdup("Untitled session");
}

/* --- HTML --------------------------------------------------------------- */

static void
html_action(FILE *out, const struct pf_tut_action *a, int done)
{
	fputs(verb(a->action, done), out);
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
	H(step_title(s));
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
	format_duration(s->duration, dur, sizeof(dur));
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
	format_human_date(t, date, sizeof(date));
	format_duration(pf_tutorial_duration(t), dur, sizeof(dur));
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
	    people(t));
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
			if (is_http_url(sec->url)) {
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
		pf_render_json_string(out, step_title(s), 1);
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

/* --- Markdown ----------------------------------------------------------- */

static void
md_action(FILE *out, const struct pf_tut_action *a, int done)
{
	fputs(verb(a->action, done), out);
	if (a->reftarget && *a->reftarget && strcmp(a->action, "multistep")) {
		fputc(' ', out);
		put_md_code(out, a->reftarget);
	}
	if (a->targetvalue && strcmp(a->action, "formfill") == 0) {
		fputs(" with ", out);
		put_md_code(out, a->targetvalue);
	}
	fputs(".", out);
}

static void
md_qa(FILE *out, const struct pf_tut_qa *q)
{
	fputs("> **Question from ", out);
	put_md(out, q->asker);
	fputs(":** ", out);
	put_md(out, q->question);
	fputs("\n", out);
	if (q->answer) {
		fputs(">\n> **Answer from ", out);
		put_md(out, q->answerer);
		fputs(":** ", out);
		put_md(out, q->answer);
		fputs("\n", out);
	}
	fputs("\n", out);
}

int
pf_render_markdown(const struct pf_tutorial *t, FILE *out)
{
	const size_t *qa;
	char date[40], dur[32], *title = pf_render_title(t);
	size_t i, k, n = 0, nqa;

	format_human_date(t, date, sizeof(date));
	format_duration(pf_tutorial_duration(t), dur, sizeof(dur));
	fputs("# ", out);
	put_md(out, title);
	free(title);
	fputs("\n\n*", out);
	if (t->presenter) {
		fputs("Presented by ", out);
		put_md(out, t->presenter);
		fputs(" · ", out);
	}
	fprintf(out, "%s · %s · %zu attendee%s · %zu step%s*\n\n", date, dur,
	    people(t), people(t) == 1 ? "" : "s", t->nsteps,
	    t->nsteps == 1 ? "" : "s");
	qa = pf_tutorial_step_qa(t, 0, &nqa);
	for (k = 0; k < nqa; k++)
		md_qa(out, &t->qa[qa[k]]);
	for (i = 0; i < t->nsections; i++) {
		const struct pf_tut_section *sec = &t->sections[i];

		if (sec->nsteps == 0)
			continue;
		fputs("## ", out);
		put_md(out, sec->title);
		fputs("\n\n", out);
		if (*sec->url) {
			if (is_http_url(sec->url) &&
			    strcspn(sec->url, " \t\r\n<>\"'`") ==
			    strlen(sec->url))
				fprintf(out, "<%s>\n\n", sec->url);
			else {
				put_md_code(out, sec->url);
				fputs("\n\n", out);
			}
		}
		for (k = sec->first_step; k < sec->first_step + sec->nsteps;
		    k++) {
			const struct pf_tut_step *s = &t->steps[k];
			size_t j;

			fprintf(out, "### Step %zu: ", ++n);
			put_md(out, step_title(s));
			fputs("\n\n", out);
			md_action(out, &s->a, s->done);
			fputs("\n\n", out);
			for (j = 0; j < s->ninternal; j++) {
				fprintf(out, "%zu. ", j + 1);
				md_action(out, &s->internal[j], 1);
				fputs("\n", out);
			}
			if (s->ninternal)
				fputs("\n", out);
			format_duration(s->duration, dur, sizeof(dur));
			fprintf(out, "- Suggested time: %s\n- %s\n", dur,
			    s->done ? "Show me and Do it" : "Show me only");
			if (s->hands)
				fprintf(out, "- Hands raised: %ld\n", s->hands);
			if (s->nleft) {
				fputs("- Left during this step: ", out);
				for (j = 0; j < s->nleft; j++) {
					if (j)
						fputs(", ", out);
					put_md(out, s->left[j]);
				}
				fputs("\n", out);
			}
			fputs("\n", out);
			qa = pf_tutorial_step_qa(t, k + 1, &nqa);
			for (j = 0; j < nqa; j++)
				md_qa(out, &t->qa[qa[j]]);
		}
	}
	return ferror(out) ? -1 : 0;
}

/* --- the JSON guide ----------------------------------------------------- */

/*
 * The kebab-case words of s (a-z, 0-9, one dash between words), at most
 * max bytes: a word that would go past max is left out, unless it is the
 * first (then it is cut).  A new string, maybe empty.
 */
static char *
slug(const char *s, size_t max)
{
	struct pf_buf b = PF_BUF_INIT;

	pf_buf_adds(&b, "");
	while (*s) {
		size_t mark = b.len;

		while (*s && !((unsigned char)*s < 0x80 &&
		    isalnum((unsigned char)*s)))
			s++;
		if (*s == '\0')
			break;
		if (b.len)
			pf_buf_addc(&b, '-');
		for (; *s && (unsigned char)*s < 0x80 &&
		    isalnum((unsigned char)*s); s++)
			pf_buf_addc(&b, (char)tolower((unsigned char)*s));
		if (b.len > max) {
			b.len = mark ? mark : max;
			b.data[b.len] = '\0';
			break;
		}
	}
	return pf_buf_detach(&b, NULL);
}

char *
pf_render_guide_id(const struct pf_tutorial *t)
{
	char *title = pf_render_title(t);
	char *words = slug(title, 60), *sid = slug(t->id, 64), *id;
	size_t nw = strlen(words), ns = strlen(sid);

	/* A title made of the session id ("Session k7m2qx") has it already. */
	if (ns && nw >= ns && strcmp(words + nw - ns, sid) == 0 &&
	    (nw == ns || words[nw - ns - 1] == '-'))
		*sid = '\0';
	if (*words && *sid)
		id = pf_xasprintf("%s-%s", words, sid);
	else if (*words || *sid)
		id = pf_xstrdup(*words ? words : sid);
	else
		id = pf_xstrdup("pathfinder-session");
	free(words);
	free(sid);
	free(title);
	return id;
}

/* Guide actions: the app's five and noop (a multistep is a block). */
static const char *
guide_action(const char *a)
{
	static const char *const ok[] = {
		"highlight", "button", "formfill", "navigate", "hover", NULL
	};
	int i;

	for (i = 0; ok[i]; i++)
		if (strcmp(a, ok[i]) == 0)
			return ok[i];
	return "noop";
}

/*
 * Calls fn with each recorded requirement token of a, trimmed, that the
 * app knows (pf_guide_requirement_ok); an unknown one would make the app
 * refuse the whole guide, so it is left out.  Stops when fn returns
 * nonzero, and returns that.
 */
static int
each_requirement(const struct pf_tut_action *a,
    int (*fn)(void *ctx, const char *token), void *ctx)
{
	const char *r = a->requirements;
	int rc = 0;

	while (r && *r && rc == 0) {
		size_t len = strcspn(r, ",");
		char *one = pf_xmemdup(r, len), *s = one, *e;

		while (*s && strchr(" \t\r\n", *s))
			s++;
		e = s + strlen(s);
		while (e > s && strchr(" \t\r\n", e[-1]))
			*--e = '\0';
		if (*s && pf_guide_requirement_ok(s))
			rc = fn(ctx, s);
		free(one);
		r += len + (r[len] == ',');
	}
	return rc;
}

struct reqs {
	struct pf_buf seen;	/* ",token," for each written */
	struct pf_buf json;	/* the tokens as JSON strings, comma-separated */
	int has_target;
};

static int
add_requirement(void *ctx, const char *token)
{
	struct reqs *q = ctx;
	char *key = pf_xasprintf(",%s,", token);

	/* exists-reftarget means nothing without a reftarget. */
	if (strstr(pf_buf_str(&q->seen), key) == NULL && (q->has_target ||
	    strcmp(token, "exists-reftarget") != 0)) {
		if (q->json.len)
			pf_buf_addc(&q->json, ',');
		pf_jv_dump_string(token, strlen(token), &q->json);
		pf_buf_addf(&q->seen, "%s,", token);
	}
	free(key);
	return 0;
}

/* Writes the requirements of a guide step, if it has any: the suggested,
 * then the recorded ones, each once. */
static void
guide_requirements(FILE *out, const struct pf_tut_action *a,
    const char *action)
{
	struct reqs q = { PF_BUF_INIT, PF_BUF_INIT, 0 };

	q.has_target = a->reftarget && *a->reftarget;
	pf_buf_addc(&q.seen, ',');
	if (strcmp(action, "highlight") == 0 && !is_navmenu(a->reftarget))
		add_requirement(&q, "exists-reftarget");
	if (is_navmenu(a->reftarget))
		add_requirement(&q, "navmenu-open");
	each_requirement(a, add_requirement, &q);
	if (q.json.len)
		fprintf(out, ", \"requirements\": [%s]", q.json.data);
	pf_buf_release(&q.seen);
	pf_buf_release(&q.json);
}

/* The markdown "content" of a step: what to do, in words. */
static void
guide_content(FILE *out, const struct pf_tut_step *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (mem == NULL)
		return;
	if (s->a.tooltip) {
		put_md(mem, s->a.tooltip);
		fputs("\n\n", mem);
	}
	if (strcmp(s->a.action, "multistep") == 0 && s->ninternal == 0)
		fputs("Do the actions the presenter showed here (the "
		    "recording does not list them).", mem);
	else
		md_action(mem, &s->a, s->done);
	fclose(mem);
	J(text);
	free(text);
}

/*
 * The fields of an interactive block or a multistep's step.  The app
 * refuses an action other than noop without a reftarget: such a step
 * becomes a noop, one to read, not to run.
 */
static void
guide_step_fields(FILE *out, const struct pf_tut_action *a)
{
	const char *action = guide_action(a->action);

	if (a->reftarget == NULL || *a->reftarget == '\0')
		action = "noop";
	fputs("\"action\": ", out);
	J(action);
	if (a->reftarget && *a->reftarget) {
		fputs(", \"reftarget\": ", out);
		J(a->reftarget);
	}
	if (a->targetvalue) {
		fputs(", \"targetvalue\": ", out);
		J(a->targetvalue);
	}
	if (a->tooltip) {
		fputs(", \"tooltip\": ", out);
		J(a->tooltip);
	}
	guide_requirements(out, a, action);
}

static void
guide_qa(FILE *out, const struct pf_tut_qa *q, const char *indent)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (mem == NULL)
		return;
	md_qa(mem, q);
	fclose(mem);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	fprintf(out, ",\n%s{\"type\": \"markdown\", \"content\": ", indent);
	J(text);
	fputc('}', out);
	free(text);
}

static void
guide_step(FILE *out, const struct pf_tutorial *t, size_t i, int first)
{
	const struct pf_tut_step *s = &t->steps[i];
	const char *ind = "        ";
	const size_t *qa;
	size_t k, nqa;

	fprintf(out, "%s%s", first ? "" : ",\n", ind);
	if (s->ninternal) {
		fputs("{\"type\": \"multistep\", \"content\": ", out);
		guide_content(out, s);
		fputs(", \"steps\": [", out);
		for (k = 0; k < s->ninternal; k++) {
			fputs(k ? ", {" : "{", out);
			guide_step_fields(out, &s->internal[k]);
			fputc('}', out);
		}
		fputs("]}", out);
	} else {
		/* A multistep without its actions: the app refuses an empty
		 * one, so it is a step to read (a noop). */
		struct pf_tut_action a = s->a;

		if (strcmp(a.action, "multistep") == 0)
			a.reftarget = NULL;
		fputs("{\"type\": \"interactive\", ", out);
		guide_step_fields(out, &a);
		fputs(", \"content\": ", out);
		guide_content(out, s);
		fprintf(out, ", \"showMe\": true, \"doIt\": %s}",
		    s->done ? "true" : "false");
	}
	qa = pf_tutorial_step_qa(t, i + 1, &nqa);
	for (k = 0; k < nqa; k++)
		guide_qa(out, &t->qa[qa[k]], ind);
}

int
pf_render_guide_content(const struct pf_tutorial *t, FILE *out)
{
	char *id = pf_render_guide_id(t), date[40], dur[32];
	char *title = pf_render_title(t);
	char *intro = NULL;
	const size_t *qa;
	size_t len = 0, i, k, nqa;
	FILE *mem = open_memstream(&intro, &len);

	if (mem == NULL) {
		free(id);
		free(title);
		return -1;
	}
	format_human_date(t, date, sizeof(date));
	format_duration(pf_tutorial_duration(t), dur, sizeof(dur));
	/*
	 * No heading: the app shows the title above the first block, and its
	 * strict checker refuses a first block that repeats it.
	 */
	if (t->presenter) {
		fputs("Presented by **", mem);
		put_md(mem, t->presenter);
		fputs("** · ", mem);
	}
	fprintf(mem, "%s · %s · %zu attendee%s\n\nThis guide was made from a "
	    "recording of a live session: each step is one the presenter "
	    "showed, with the questions attendees asked on the way.", date,
	    dur, people(t), people(t) == 1 ? "" : "s");
	fclose(mem);
	fputs("{\n  \"schemaVersion\": \"1.1.0\",\n  \"id\": ", out);
	J(id);
	fputs(",\n  \"title\": ", out);
	J(title);
	fputs(",\n  \"blocks\": [\n    {\"type\": \"markdown\", \"content\": ",
	    out);
	J(intro);
	fputc('}', out);
	qa = pf_tutorial_step_qa(t, 0, &nqa);
	for (k = 0; k < nqa; k++)
		guide_qa(out, &t->qa[qa[k]], "    ");
	for (i = 0; i < t->nsections; i++) {
		const struct pf_tut_section *sec = &t->sections[i];

		if (sec->nsteps == 0)
			continue;
		fprintf(out, ",\n    {\"type\": \"section\", \"id\": "
		    "\"section-%zu\", \"title\": ", i + 1);
		J(sec->title);
		fputs(", \"blocks\": [\n", out);
		for (k = sec->first_step; k < sec->first_step + sec->nsteps;
		    k++)
			guide_step(out, t, k, k == sec->first_step);
		fputs("\n    ]}", out);
	}
	fputs("\n  ]\n}\n", out);
	free(intro);
	free(title);
	free(id);
	return ferror(out) ? -1 : 0;
}

static int
find_on_page(void *ctx, const char *token)
{
	const char **path = ctx;

	if (strncmp(token, "on-page:", 8) != 0)
		return 0;
	*path = pf_xstrdup(token + 8);
	return 1;
}

char *
pf_render_guide_start(const struct pf_tutorial *t)
{
	const char *path = NULL;
	size_t k;

	if (t->nsteps > 0) {
		const struct pf_tut_step *s = &t->steps[0];

		if (!each_requirement(&s->a, find_on_page, &path))
			for (k = 0; k < s->ninternal; k++)
				if (each_requirement(&s->internal[k],
				    find_on_page, &path))
					break;
	}
	return path ? (char *)path : pf_xstrdup("/");
}

int
pf_render_guide_manifest(const struct pf_tutorial *t, FILE *out)
{
	char *id = pf_render_guide_id(t), date[40];
	char *start = pf_render_guide_start(t), *d;

	format_human_date(t, date, sizeof(date));
	fputs("{\n  \"id\": ", out);
	J(id);
	fputs(",\n  \"type\": \"guide\",\n  \"schemaVersion\": \"1.1.0\",\n"
	    "  \"description\": ", out);
	d = pf_xasprintf("Recorded live session, %s", date);
	J(d);
	free(d);
	fputs(",\n  \"category\": \"" PF_RENDER_GUIDE_CATEGORY "\"", out);
	if (t->presenter) {
		fputs(",\n  \"author\": {\"name\": ", out);
		J(t->presenter);
		fputc('}', out);
	}
	fputs(",\n  \"startingLocation\": ", out);
	J(start);
	fputs(",\n  \"targeting\": {\"match\": {\"and\": [{\"urlPrefix\": ",
	    out);
	J(start);
	fputs("}]}}\n}\n", out);
	free(start);
	free(id);
	return ferror(out) ? -1 : 0;
}

/* --- SessionRecording --------------------------------------------------- */

int
pf_render_recording_head(const struct pf_tutorial *t, FILE *out)
{
	char iso[40];

	fputs("{\n  \"id\": ", out);
	J(t->id);
	fputs(",\n  \"name\": ", out);
	J(t->title);
	fputs(",\n  \"presenter\": {\"id\": \"presenter\"", out);
	if (t->presenter) {
		fputs(", \"name\": ", out);
		J(t->presenter);
	}
	fputs("},\n  \"tutorialUrl\": ", out);
	J(t->tutorial_url ? t->tutorial_url : "");
	pf_time_format_iso8601(t->relative ? 0 : t->start, iso, sizeof(iso));
	fprintf(out, ",\n  \"duration\": %" PRId64 ",\n  \"recordedAt\": "
	    "\"%s\",\n  \"events\": [", pf_tutorial_duration(t), iso);
	return ferror(out) ? -1 : 0;
}

int
pf_render_recording_event(const char *json, size_t n, int first, FILE *out)
{
	fputs(first ? "\n    " : ",\n    ", out);
	fwrite(json, 1, n, out);
	return ferror(out) ? -1 : 0;
}

int
pf_render_recording_tail(const struct pf_tutorial *t, FILE *out)
{
	size_t i;

	fputs(t->events ? "\n  ],\n  \"chat\": [" : "],\n  \"chat\": [", out);
	for (i = 0; i < t->nchat; i++) {
		const struct pf_tut_chat *c = &t->chat[i];

		fprintf(out, "%s\n    {\"type\": \"chat_message\", "
		    "\"sessionId\": ", i ? "," : "");
		J(t->id);
		fprintf(out, ", \"timestamp\": %" PRId64, c->ts);
		if (c->sender_id) {
			fputs(", \"senderId\": ", out);
			J(c->sender_id);
		}
		fputs(", \"senderName\": ", out);
		J(c->name);
		fputs(", \"message\": ", out);
		J(c->text);
		fputc('}', out);
	}
	fputs(t->nchat ? "\n  ],\n  \"attendees\": [" :
	    "],\n  \"attendees\": [", out);
	for (i = 0; i < t->nattendees; i++) {
		const struct pf_tut_attendee *a = &t->attendees[i];

		fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		J(a->id ? a->id : a->name);
		if (a->name) {
			fputs(", \"name\": ", out);
			J(a->name);
		}
		fprintf(out, ", \"joinedAt\": %" PRId64, a->joined_at >= 0 ?
		    a->joined_at : t->start);
		if (a->left_at >= 0)
			fprintf(out, ", \"leftAt\": %" PRId64, a->left_at);
		fputc('}', out);
	}
	fputs(t->nattendees ? "\n  ]\n}\n" : "]\n}\n", out);
	return ferror(out) ? -1 : 0;
}
