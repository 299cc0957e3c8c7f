/*
 * pf_render: a pf_tutorial written out as a tutorial page (HTML), a
 * Pathfinder JSON guide, Markdown, or a SessionRecording document.
 *
 * Every string in a model came from a recording and is untrusted: the
 * renderers escape it for where it lands (HTML text, HTML attributes,
 * JSON, JSON inside a <script> element, Markdown), and never insert a
 * recorded string as markup.  Output depends only on the model: no clock,
 * no environment.
 *
 * One file per form (pf_render_html.c, pf_render_md.c, pf_render_guide.c,
 * pf_render_recording.c); what they share is in pf_render.c, declared in
 * the private pf_render_int.h.
 *
 * Ownership: nothing is kept.  Errors: 0, or -1 when writing to out failed
 * (see ferror); the caller names the file.
 */
#ifndef PF_RENDER_H
#define PF_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "pf_tutorial.h"

/* The self-contained tutorial page: inline CSS and JS, CSP with hashes. */
int pf_render_html(const struct pf_tutorial *t, FILE *out);

/* A Markdown tutorial with the same steps and hints. */
int pf_render_markdown(const struct pf_tutorial *t, FILE *out);

/*
 * The title every output but the SessionRecording shows: the session's
 * name, or when that is empty or blank, the last path segment of its
 * tutorial URL ("prometheus-101" -> "Prometheus 101"), else "Session
 * <session id>", else "Untitled session".  A new string.
 */
char *pf_render_title(const struct pf_tutorial *t);

/*
 * The guide's id, a package id the app takes (pf_guide_id_ok): kebab-case
 * words of the title (at most 60 bytes), then of the session id (at most
 * 64), "prometheus-monitoring-101-k7m2qx"; "pathfinder-session" when both
 * have no letter or digit.  A new string.
 */
char *pf_render_guide_id(const struct pf_tutorial *t);

/*
 * The guide's startingLocation: the Grafana path the first step must be
 * on, from its on-page: requirement (its own, else its first internal
 * action's), else "/" (the app's home, its own default).  The tutorial URL
 * is no such path: it names the documentation page the presenter had open
 * in Pathfinder's panel, not a page of Grafana.  A new string.
 */
char *pf_render_guide_start(const struct pf_tutorial *t);

/* The category of every guide pf-convert writes. */
#define PF_RENDER_GUIDE_CATEGORY "live-session"

/*
 * The guide's content.json and manifest.json (schemaVersion 1.1.0), made
 * to pass the app's strict package check (pathfinder-cli validate --strict
 * --package): no heading in the first block (the app shows the title), no
 * empty multistep (one without recorded actions becomes a noop step), a
 * noop for any step without a reftarget, only requirement tokens the app
 * knows (pf_guide_requirement_ok; others are left out); the manifest with
 * description, category, author (the presenter, when known),
 * startingLocation and targeting ({"match": {"and": [{"urlPrefix":
 * startingLocation}]}}).
 */
int pf_render_guide_content(const struct pf_tutorial *t, FILE *out);
int pf_render_guide_manifest(const struct pf_tutorial *t, FILE *out);

/*
 * A SessionRecording document, app variant, in three parts: the head up
 * to the opening of "events", each event (a compact JSON object; the
 * caller writes them, with pf_render_recording_event), and the tail with
 * the chat and attendees.
 */
int pf_render_recording_head(const struct pf_tutorial *t, FILE *out);
int pf_render_recording_event(const char *json, size_t n, int first,
    FILE *out);
int pf_render_recording_tail(const struct pf_tutorial *t, FILE *out);

struct pf_render_playwright_options {
	double speed;		/* the recorded gaps divided by it; 0: none */
	int64_t idle_limit;	/* ms: a longer gap is cut to it; 0: none */
	const char *base_url;	/* the Grafana, when the spec says; or NULL */
};

/*
 * A Playwright spec (JavaScript for @playwright/test) that does what the
 * presenter did: one test.step per step, named "N. <its text>", in order;
 * navigate goes to the path, button clicks the button (found by its text,
 * or its selector), highlight and hover find the target, hover it and
 * check it is visible, formfill types the recorded value (a value masked
 * as PF_REDACTED is read from PF_SECRET_STEP_N[_K]); a step only shown,
 * not done, is found and looked at, not clicked or typed into.  Selectors
 * as pf_selector_playwright translates them.  A step that cannot be
 * played (no translation, an action with no browser form) is a
 * test.fixme with the reason, and an empty step in the test.  Before each
 * step the test waits for its recorded time, the gaps divided by speed.
 */
int pf_render_playwright(const struct pf_tutorial *t,
    const struct pf_render_playwright_options *o, FILE *out);

/* The playwright.config.js the specs are meant to run with. */
int pf_render_playwright_config(FILE *out);

/* Writes s as a JSON string literal; script_safe also escapes < > & and
 * U+2028/U+2029 so the JSON can sit inside a <script> element. */
void pf_render_json_string(FILE *out, const char *s, int script_safe);

/* Writes s escaped for HTML text and attribute values. */
void pf_render_html_text(FILE *out, const char *s);

#endif
