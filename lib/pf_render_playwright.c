/*
 * pf_render_playwright: what the presenter did, as a Playwright test that
 * does it again in a test Grafana, at the recorded pace or scaled.
 *
 * The spec is one test with one test.step per tutorial step, in order.
 * What a browser needs at run time and a recording cannot say (the
 * Grafana version's e2e selectors, a button found by its text, a secret
 * from the environment, the clock) is share/pf/playwright/prelude.js,
 * written into every spec so that a spec is one file that runs alone.
 * Everything from the recording is written as a JSON string literal,
 * which is a JavaScript one: no recorded text becomes code.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_redact.h"
#include "pf_render.h"
#include "pf_render_int.h"
#include "pf_selector.h"
#include "pf_templates.h"

/* What one tutorial step becomes, worked out before any of it is written. */
struct step_plan {
	const char *fixme;	/* why it cannot be played, or NULL */
	struct pf_err why;
};

/*
 * Whether the app takes a button action's reftarget as a selector rather
 * than the button's text: grafana: paths, and text that starts the way
 * CSS does (#id, .class, [attr], :pseudo, tag[ or tag:) or holds a
 * combinator between words.
 */
static int
button_is_selector(const char *s)
{
	const char *p = s;

	if (strncmp(s, "grafana:", 8) == 0 || strstr(s, "{grafana:"))
		return 1;
	if (strchr("#.[:", *s) && *s)
		return 1;
	while (*p && (strchr("-_", *p) || (*p >= '0' && *p <= '9') ||
	    ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
		p++;
	if (p > s && (*p == '[' || *p == ':'))
		return 1;
	for (p = s; *p; p++) {
		const char *q = p;

		if (!strchr(">+~", *p))
			continue;
		for (q = p + 1; *q == ' '; q++)
			;
		if (*q && (strchr("-_", *q) || (*q >= '0' && *q <= '9') ||
		    ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')))
			return 1;
	}
	return 0;
}

/*
 * s in a // comment: what JavaScript takes as a line's end (CR, LF,
 * U+2028, U+2029) becomes a space, so no recorded text leaves the comment.
 */
static void
comment_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			fputc(' ', out);
		} else if ((unsigned char)s[0] == 0xe2 &&
		    (unsigned char)s[1] == 0x80 &&
		    ((unsigned char)s[2] == 0xa8 ||
		    (unsigned char)s[2] == 0xa9)) {
			fputc(' ', out);
			s += 2;
		} else {
			fputc(*s, out);
		}
	}
}

/* Whether a can be played; -1 with err saying why not. */
static int
untranslatable(const struct pf_tut_action *a, struct pf_err *err)
{
	struct pf_selector_pw pw;
	struct pf_err why;
	int rc;

	if (a->action == NULL || *a->action == '\0')
		return pf_err_set(err, PF_ERR_DATA, 0, "the recording does "
		    "not say what it does");
	if (strcmp(a->action, "noop") == 0)
		return 0;
	if (strcmp(a->action, "navigate") == 0)
		return a->reftarget && *a->reftarget ? 0 : pf_err_set(err,
		    PF_ERR_DATA, 0, "navigate without a path");
	if (strcmp(a->action, "button") && strcmp(a->action, "highlight") &&
	    strcmp(a->action, "hover") && strcmp(a->action, "formfill"))
		return pf_err_set(err, PF_ERR_DATA, 0, "the action '%s' has "
		    "no browser form yet", a->action);
	if (a->reftarget == NULL || *a->reftarget == '\0')
		return pf_err_set(err, PF_ERR_DATA, 0, "%s without a target",
		    a->action);
	if (strcmp(a->action, "button") == 0 &&
	    !button_is_selector(a->reftarget))
		return 0;
	rc = pf_selector_playwright(a->reftarget, &pw, &why);
	pf_selector_pw_release(&pw);
	if (rc == 0)
		return 0;
	if (why.column > 0)
		return pf_err_set(err, PF_ERR_DATA, 0, "the selector '%s' has "
		    "no translation: %s at character %ld", a->reftarget,
		    why.msg, why.column);
	return pf_err_set(err, PF_ERR_DATA, 0, "the selector '%s' has no "
	    "translation: %s", a->reftarget, why.msg);
}

static void
plan_step(const struct pf_tut_step *s, struct step_plan *plan)
{
	struct pf_err err;
	size_t k;

	plan->fixme = NULL;
	if (strcmp(s->a.action ? s->a.action : "", "multistep") &&
	    strcmp(s->a.action ? s->a.action : "", "guided")) {
		if (untranslatable(&s->a, &plan->why) < 0)
			plan->fixme = plan->why.msg;
		return;
	}
	if (s->ninternal == 0) {
		plan->fixme = "a multistep without its recorded actions";
		return;
	}
	for (k = 0; k < s->ninternal; k++) {
		if (untranslatable(&s->internal[k], &err) == 0)
			continue;
		pf_err_set(&plan->why, PF_ERR_DATA, 0, "action %zu of %zu: %s",
		    k + 1, s->ninternal, err.msg);
		plan->fixme = plan->why.msg;
		return;
	}
}

/* "3. Open Explore": the step's text, numbered, as its test.step name. */
static void
step_name(FILE *out, const struct pf_tut_step *s, size_t i, const char *tail)
{
	struct pf_buf b = PF_BUF_INIT;

	pf_buf_addf(&b, "%zu. %s%s", i + 1, *pf_render_step_title(s) ?
	    pf_render_step_title(s) : "(a step with no name)", tail);
	J(pf_buf_str(&b));
	pf_buf_release(&b);
}

/* "14.2. Click the button": a multistep's action, numbered. */
static void
action_name(FILE *out, const struct pf_tut_action *a, size_t i, size_t k,
    int done)
{
	struct pf_buf b = PF_BUF_INIT;

	pf_buf_addf(&b, "%zu.%zu. %s", i + 1, k + 1, a->tooltip && *a->tooltip ?
	    a->tooltip : pf_render_verb(a->action, done));
	J(pf_buf_str(&b));
	pf_buf_release(&b);
}

/* The selector as a JavaScript expression: its parts joined by +. */
static void
selector_expr(FILE *out, const char *sel)
{
	struct pf_selector_pw pw;
	size_t i;

	if (pf_selector_playwright(sel, &pw, NULL) < 0 || pw.nparts == 0) {
		J(sel);		/* plan_step kept these out */
		pf_selector_pw_release(&pw);
		return;
	}
	for (i = 0; i < pw.nparts; i++) {
		if (i > 0)
			fputs(" + ", out);
		if (!pw.part[i].grafana) {
			J(pw.part[i].css);
			continue;
		}
		fputs("grafana(", out);
		J(pw.part[i].css);
		if (pw.part[i].param) {
			fputs(", ", out);
			J(pw.part[i].param);
		}
		fputs(")", out);
	}
	pf_selector_pw_release(&pw);
}

/*
 * One action, as the statements of a step's body.  done: the presenter
 * did it (clicked, typed); else it was only shown, so the target is
 * found and looked at, and the page left as it was.  secret names the
 * environment variable for a value --redact masked.
 */
static void
write_action(FILE *out, const struct pf_tut_action *a, int done,
    const char *secret, const char *indent)
{
	const char *act = a->action;

	if (strcmp(act, "noop") == 0) {
		fprintf(out, "%s// Nothing to do in the browser: a step to "
		    "read.\n", indent);
		return;
	}
	/* As the app's navigate handler: a path in Grafana, a URL in a new
	 * tab (not this test's page), nothing when only shown. */
	if (strcmp(act, "navigate") == 0) {
		if (!done) {
			fprintf(out, "%s// Shown, not done: the page stays.\n",
			    indent);
		} else if (pf_render_is_http_url(a->reftarget)) {
			fprintf(out, "%s// The app opens this in a new tab, "
			    "which the test leaves alone:\n%s// ", indent,
			    indent);
			comment_text(out, a->reftarget);
			fputc('\n', out);
		} else {
			fprintf(out, "%sawait page.goto(", indent);
			J(a->reftarget);
			fputs(");\n", out);
		}
		return;
	}
	if (strcmp(act, "button") == 0 && !button_is_selector(a->reftarget)) {
		fprintf(out, "%sconst target = await buttonByText(page, ",
		    indent);
		J(a->reftarget);
		fputs(");\n", out);
	} else {
		fprintf(out, "%sconst target = await find(page, ", indent);
		selector_expr(out, a->reftarget);
		fputs(");\n", out);
	}
	/* Done, a button or a highlight is clicked (the app's focus handler
	 * clicks in "do it" mode); shown, it is only looked at. */
	if ((strcmp(act, "button") == 0 || strcmp(act, "highlight") == 0) &&
	    done) {
		fprintf(out, "%sawait target.click();\n", indent);
	} else if (strcmp(act, "formfill") == 0 && done) {
		fprintf(out, "%sawait fillIn(target, ", indent);
		if (secret) {
			fputs("secret(", out);
			J(secret);
			fputs(")", out);
		} else {
			J(a->targetvalue ? a->targetvalue : "");
		}
		fputs(");\n", out);
	} else {
		fprintf(out, "%sawait target.hover();\n", indent);
		fprintf(out, "%sawait expect(target).toBeVisible();\n", indent);
	}
}

/* The name of the variable for a masked value: PF_SECRET_STEP_3[_2]. */
static const char *
secret_name(const struct pf_tut_action *a, size_t step, size_t k,
    char *buf, size_t n)
{
	if (strcmp(a->action, "formfill") || a->targetvalue == NULL ||
	    strstr(a->targetvalue, PF_REDACTED) == NULL)
		return NULL;
	if (k == 0)
		snprintf(buf, n, "PF_SECRET_STEP_%zu", step + 1);
	else
		snprintf(buf, n, "PF_SECRET_STEP_%zu_%zu", step + 1, k);
	return buf;
}

/* ms scaled by the pace, with the idle limit applied first. */
static int64_t
paced(int64_t gap, const struct pf_render_playwright_options *o)
{
	if (gap < 0)
		gap = 0;
	if (o->idle_limit > 0 && gap > o->idle_limit)
		gap = o->idle_limit;
	return (int64_t)((double)gap / o->speed + 0.5);
}

static void
write_header(FILE *out, const struct pf_tutorial *t,
    const struct pf_render_playwright_options *o, int64_t end)
{
	char dur[32], run[32], idle[32];
	char *title = pf_render_title(t);

	pf_render_duration(pf_tutorial_duration(t), dur, sizeof(dur));
	fputs("// A Playwright test made by pf-convert from a recording:\n"
	    "//   ", out);
	comment_text(out, title);
	if (*t->id) {
		fputs(" (session ", out);
		comment_text(out, t->id);
		fputs(")", out);
	}
	fprintf(out, "\n//   %zu step%s in %s", t->nsteps,
	    t->nsteps == 1 ? "" : "s", dur);
	if (o->speed == 0) {
		fputs(", played as fast as the UI allows.\n", out);
	} else {
		pf_render_duration(end, run, sizeof(run));
		fprintf(out, ", paced at %gx", o->speed);
		if (o->idle_limit > 0) {
			pf_render_duration(o->idle_limit, idle, sizeof(idle));
			fprintf(out, " with gaps cut to %s", idle);
		}
		fprintf(out, ": about %s.\n", run);
	}
	fputs("// Run it with npx playwright test, with the configuration "
	    "that\n// pf-convert --config writes; pf-convert(1) says what "
	    "it needs.\n", out);
	free(title);
}

int
pf_render_playwright(const struct pf_tutorial *t,
    const struct pf_render_playwright_options *o, FILE *out)
{
	struct pf_render_playwright_options pace = *o;
	struct step_plan *plan;
	char *title = pf_render_title(t), *start;
	char secret[64];
	int64_t *at, end, prev = 0, sum = 0;
	size_t i, k, nactions = 0;
	const char *ind = "\t\t\t";

	plan = pf_xcalloc(t->nsteps + 1, sizeof(*plan));
	at = pf_xcalloc(t->nsteps + 1, sizeof(*at));
	/* The schedule: each step when it came, counted from the start. */
	if (pace.speed > 0) {
		for (i = 0; i < t->nsteps; i++) {
			sum += paced(t->steps[i].at - prev, &pace);
			prev = t->steps[i].at > prev ? t->steps[i].at : prev;
			at[i] = sum;
		}
		sum += paced(pf_tutorial_duration(t) - prev, &pace);
	}
	end = sum;
	for (i = 0; i < t->nsteps; i++) {
		plan_step(&t->steps[i], &plan[i]);
		nactions += t->steps[i].ninternal ? t->steps[i].ninternal : 1;
	}

	write_header(out, t, &pace, end);
	fputs("\nimport { test, expect } from '@playwright/test';\n"
	    "import { resolveSelectors, versionedComponents, versionedPages }"
	    " from\n    '@grafana/e2e-selectors';\n\n", out);
	fputs(pf_tpl_prelude_js, out);
	fputs("\ntest.describe(", out);
	J(title);
	fputs(", () => {\n", out);
	if (pace.base_url) {
		fputs("\ttest.use({ baseURL: process.env.GRAFANA_URL || ", out);
		J(pace.base_url);
		fputs(" });\n\n", out);
	}
	/* What cannot be played is told, each under its step's name. */
	for (i = 0; i < t->nsteps; i++) {
		if (!plan[i].fixme)
			continue;
		fputs("\ttest.fixme(", out);
		step_name(out, &t->steps[i], i, "");
		fputs(", { annotation: { type: 'fixme', description: ", out);
		J(plan[i].fixme);
		fputs(" } },\n\t    () => {});\n", out);
	}
	fputs("\n\ttest(", out);
	J(title);
	fputs(", async ({ page }) => {\n", out);
	fprintf(out, "\t\ttest.setTimeout(%" PRId64 " + 60000 + %zu * "
	    "targetTimeout);\n", end, nactions);
	/* Where the guide starts, so that the first step finds its page. */
	start = pf_render_guide_start(t);
	fputs("\t\tawait page.goto(", out);
	J(start);
	fputs(");\n\t\tconst at = clock();\n", out);
	free(start);
	for (i = 0; i < t->nsteps; i++) {
		const struct pf_tut_step *s = &t->steps[i];

		fputs("\t\tawait test.step(", out);
		step_name(out, s, i, plan[i].fixme ? " (fixme)" : "");
		fputs(", async () => {\n", out);
		if (pace.speed > 0)
			fprintf(out, "%sawait at(%" PRId64 ");\n", ind, at[i]);
		if (plan[i].fixme) {
			fprintf(out, "%stest.info().annotations.push({ type: "
			    "'fixme', description: ", ind);
			J(plan[i].fixme);
			fputs(" });\n", out);
		} else if (s->ninternal == 0) {
			write_action(out, &s->a, s->done,
			    secret_name(&s->a, i, 0, secret, sizeof(secret)),
			    ind);
		} else {
			for (k = 0; k < s->ninternal; k++) {
				const struct pf_tut_action *a = &s->internal[k];

				fprintf(out, "%sawait test.step(", ind);
				action_name(out, a, i, k, s->done);
				fputs(", async () => {\n", out);
				write_action(out, a, s->done, secret_name(a, i,
				    k + 1, secret, sizeof(secret)), "\t\t\t\t");
				fprintf(out, "%s});\n", ind);
			}
		}
		fputs("\t\t});\n", out);
	}
	if (pace.speed > 0)
		fprintf(out, "\t\tawait test.step(\"The session's end\", "
		    "async () => {\n%sawait at(%" PRId64 ");\n\t\t});\n", ind,
		    end);
	fputs("\t});\n});\n", out);
	free(plan);
	free(at);
	free(title);
	return ferror(out) ? -1 : 0;
}

int
pf_render_playwright_config(FILE *out)
{
	fputs(pf_tpl_playwright_config_js, out);
	return ferror(out) ? -1 : 0;
}
