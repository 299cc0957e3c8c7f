/*
 * pf_render_md: the Markdown tutorial, and the Markdown sentences for an
 * action and a question that the guide's blocks reuse.
 */
#include <stdlib.h>
#include <string.h>

#include "pf_render.h"
#include "pf_render_int.h"

void
pf_render_md_action(FILE *out, const struct pf_tut_action *a, int done)
{
	fputs(pf_render_verb(a->action, done), out);
	if (a->reftarget && *a->reftarget && strcmp(a->action, "multistep")) {
		fputc(' ', out);
		pf_render_md_code(out, a->reftarget);
	}
	if (a->targetvalue && strcmp(a->action, "formfill") == 0) {
		fputs(" with ", out);
		pf_render_md_code(out, a->targetvalue);
	}
	fputs(".", out);
}

void
pf_render_md_qa(FILE *out, const struct pf_tut_qa *q)
{
	fputs("> **Question from ", out);
	pf_render_md_text(out, q->asker);
	fputs(":** ", out);
	pf_render_md_text(out, q->question);
	fputs("\n", out);
	if (q->answer) {
		fputs(">\n> **Answer from ", out);
		pf_render_md_text(out, q->answerer);
		fputs(":** ", out);
		pf_render_md_text(out, q->answer);
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

	pf_render_human_date(t, date, sizeof(date));
	pf_render_duration(pf_tutorial_duration(t), dur, sizeof(dur));
	fputs("# ", out);
	pf_render_md_text(out, title);
	free(title);
	fputs("\n\n*", out);
	if (t->presenter) {
		fputs("Presented by ", out);
		pf_render_md_text(out, t->presenter);
		fputs(" · ", out);
	}
	fprintf(out, "%s · %s · %zu attendee%s · %zu step%s*\n\n", date, dur,
	    t->nattendees, t->nattendees == 1 ? "" : "s", t->nsteps,
	    t->nsteps == 1 ? "" : "s");
	qa = pf_tutorial_step_qa(t, 0, &nqa);
	for (k = 0; k < nqa; k++)
		pf_render_md_qa(out, &t->qa[qa[k]]);
	for (i = 0; i < t->nsections; i++) {
		const struct pf_tut_section *sec = &t->sections[i];

		if (sec->nsteps == 0)
			continue;
		fputs("## ", out);
		pf_render_md_text(out, sec->title);
		fputs("\n\n", out);
		if (*sec->url) {
			if (pf_render_is_http_url(sec->url) &&
			    strcspn(sec->url, " \t\r\n<>\"'`") ==
			    strlen(sec->url))
				fprintf(out, "<%s>\n\n", sec->url);
			else {
				pf_render_md_code(out, sec->url);
				fputs("\n\n", out);
			}
		}
		for (k = sec->first_step; k < sec->first_step + sec->nsteps;
		    k++) {
			const struct pf_tut_step *s = &t->steps[k];
			size_t j;

			fprintf(out, "### Step %zu: ", ++n);
			pf_render_md_text(out, pf_render_step_title(s));
			fputs("\n\n", out);
			pf_render_md_action(out, &s->a, s->done);
			fputs("\n\n", out);
			for (j = 0; j < s->ninternal; j++) {
				fprintf(out, "%zu. ", j + 1);
				pf_render_md_action(out, &s->internal[j], 1);
				fputs("\n", out);
			}
			if (s->ninternal)
				fputs("\n", out);
			pf_render_duration(s->duration, dur, sizeof(dur));
			fprintf(out, "- Suggested time: %s\n- %s\n", dur,
			    s->done ? "Show me and Do it" : "Show me only");
			if (s->hands)
				fprintf(out, "- Hands raised: %ld\n", s->hands);
			if (s->nleft) {
				fputs("- Left during this step: ", out);
				for (j = 0; j < s->nleft; j++) {
					if (j)
						fputs(", ", out);
					pf_render_md_text(out, s->left[j]);
				}
				fputs("\n", out);
			}
			fputs("\n", out);
			qa = pf_tutorial_step_qa(t, k + 1, &nqa);
			for (j = 0; j < nqa; j++)
				pf_render_md_qa(out, &t->qa[qa[j]]);
		}
	}
	return ferror(out) ? -1 : 0;
}

/* --- the JSON guide ----------------------------------------------------- */
