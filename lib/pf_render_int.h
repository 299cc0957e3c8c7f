/*
 * pf_render_int.h: what the renderers share and no other module needs.
 *
 * Private to lib/pf_render*.c, so that pf_render.h stays the contract
 * pf_convert and pf_bundle see: the Markdown escapes, the words (durations,
 * dates, verbs, step titles) and the Markdown pieces the guide reuses are
 * written once here, not once per output form.  Ownership and errors as in
 * pf_render.h: nothing is kept; writers check nothing, their callers look
 * at ferror(out).
 */
#ifndef PF_RENDER_INT_H
#define PF_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pf_render.h"
#include "pf_tutorial.h"

/* Shorthand for the JSON writers: s as a JSON string, not script-safe. */
#define J(s) pf_render_json_string(out, (s), 0)

/*
 * Markdown text in the middle of a line: every character that could start
 * inline markup is escaped, HTML is written as entities, and a line break
 * becomes a space.
 */
void pf_render_md_text(FILE *out, const char *s);

/* s as a Markdown code span that no backtick in s can close. */
void pf_render_md_code(FILE *out, const char *s);

/* A duration in words: "45 s", "3 min", "3 min 20 s", "1 h 5 min". */
void pf_render_duration(int64_t ms, char *buf, size_t n);

/* The session's start, "2026-03-12 14:00 UTC", or "unknown date" when
 * the recording's times are relative. */
void pf_render_human_date(const struct pf_tutorial *t, char *buf, size_t n);

/* What an action asks the reader to do ("Click the button"); done says
 * whether the presenter did it or only showed it.  Static string. */
const char *pf_render_verb(const char *action, int done);

/* A step's heading: its tooltip, or else its id.  Borrowed from s. */
const char *pf_render_step_title(const struct pf_tut_step *s);

/* Whether s is an http: or https: URL (only those become links). */
int pf_render_is_http_url(const char *s);

/* One action as a Markdown sentence, and one question with its answer as
 * a Markdown quote: for the Markdown page and the guide's blocks alike. */
void pf_render_md_action(FILE *out, const struct pf_tut_action *a,
    int done);
void pf_render_md_qa(FILE *out, const struct pf_tut_qa *q);

#endif
