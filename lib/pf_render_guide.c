/*
 * pf_render_guide: a Pathfinder JSON guide, content.json and manifest.json,
 * made to pass the app's strict package check: its id, its startingLocation,
 * the requirements each step gets, the Markdown of each block.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_guide.h"
#include "pf_jv.h"
#include "pf_render.h"
#include "pf_render_int.h"

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

/* Whether a selector points into Grafana's navigation menu. */
static int
is_navmenu(const char *sel)
{
	return sel && (strcasestr(sel, "nav menu") || strcasestr(sel, "navmenu")
	    || strcasestr(sel, "nav-menu") || strstr(sel, "mega-menu"));
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
		pf_render_md_text(mem, s->a.tooltip);
		fputs("\n\n", mem);
	}
	if (strcmp(s->a.action, "multistep") == 0 && s->ninternal == 0)
		fputs("Do the actions the presenter showed here (the "
		    "recording does not list them).", mem);
	else
		pf_render_md_action(mem, &s->a, s->done);
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
	pf_render_md_qa(mem, q);
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
	pf_render_human_date(t, date, sizeof(date));
	pf_render_duration(pf_tutorial_duration(t), dur, sizeof(dur));
	/*
	 * No heading: the app shows the title above the first block, and its
	 * strict checker refuses a first block that repeats it.
	 */
	if (t->presenter) {
		fputs("Presented by **", mem);
		pf_render_md_text(mem, t->presenter);
		fputs("** · ", mem);
	}
	fprintf(mem, "%s · %s · %zu attendee%s\n\nThis guide was made from a "
	    "recording of a live session: each step is one the presenter "
	    "showed, with the questions attendees asked on the way.", date,
	    dur, t->nattendees, t->nattendees == 1 ? "" : "s");
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

	pf_render_human_date(t, date, sizeof(date));
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
