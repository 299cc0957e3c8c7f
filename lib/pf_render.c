/*
 * pf_render: what every output form shares: the escapes for HTML text, JSON
 * strings and Markdown, the words for durations, dates and actions, and the
 * title.  Each form has its file: pf_render_html.c, pf_render_md.c,
 * pf_render_guide.c, pf_render_recording.c.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_jv.h"
#include "pf_render.h"
#include "pf_render_int.h"
#include "pf_time.h"

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

void
pf_render_json_string(FILE *out, const char *s, int script_safe)
{
	struct pf_buf b = PF_BUF_INIT;

	pf_jv_dump_string_flags(s, strlen(s), script_safe ?
	    PF_JV_ESCAPE_SCRIPT : 0, &b);
	fwrite(b.data, 1, b.len, out);
	pf_buf_release(&b);
}

void
pf_render_md_text(FILE *out, const char *s)
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

void
pf_render_md_code(FILE *out, const char *s)
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

void
pf_render_duration(int64_t ms, char *buf, size_t n)
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

void
pf_render_human_date(const struct pf_tutorial *t, char *buf, size_t n)
{
	char date[40];

	if (t->relative) {
		snprintf(buf, n, "unknown date");
		return;
	}
	snprintf(buf, n, "%s UTC", pf_time_format_date(t->start, date,
	    sizeof(date)));
}

const char *
pf_render_verb(const char *action, int done)
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

const char *
pf_render_step_title(const struct pf_tut_step *s)
{
	return s->a.tooltip ? s->a.tooltip : s->id;
}

int
pf_render_is_http_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
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
