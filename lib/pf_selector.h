/*
 * pf_selector: the CSS selectors of refTarget, as Pathfinder takes them
 * (its extensions, such as :nth-match(), included): whether one is
 * well-formed enough to run, whether it is fragile, and what it is in
 * Playwright's selector dialect.
 *
 * A check, not a parser: brackets and quotes must balance, backslash
 * escapes are honoured; the browser is left to judge the rest, so a
 * selector that passes may still match nothing.
 *
 * Ownership: nothing is kept; sel is borrowed.  Errors: pf_selector_check
 * fills in a struct pf_err; pf_selector_fragile cannot fail.
 */
#ifndef PF_SELECTOR_H
#define PF_SELECTOR_H

#include <stddef.h>

#include "pf_buf.h"
#include "pf_err.h"

/*
 * Checks that sel's brackets ( [ { and quotes balance, outside quotes and
 * escapes.  Returns 0 when they do; otherwise -1 with err (PF_ERR_DATA) set
 * to what is wrong ("unclosed '['", "')' where ']' was expected",
 * "unterminated double quote", "brackets nested too deep") and err->column
 * to the 1-based character (not byte: sel is UTF-8) where it is: the
 * unmatched bracket, or the quote that was never closed.
 */
int pf_selector_check(const char *sel, struct pf_err *err);

/*
 * Why sel breaks when the page changes ("uses :nth-child", "is a long
 * chain of child combinators"), or NULL when it does not.  Positional
 * pseudo-classes and more than PF_SELECTOR_MAX_CHILD_CHAIN '>' outside
 * brackets and quotes count.  A static string.
 */
const char *pf_selector_fragile(const char *sel);

/* More child combinators than this make a selector fragile. */
#define PF_SELECTOR_MAX_CHILD_CHAIN 3

/*
 * A selector in Playwright's dialect, in parts: CSS text, and between
 * them the grafana: paths that only a Grafana version can resolve (the
 * caller resolves them the way the app does: @grafana/e2e-selectors, to
 * :is([data-testid="V"], [aria-label="V"])).
 */
struct pf_selector_part {
	int grafana;		/* 0: css is CSS; 1: css is an e2e-selectors
				 * path ("components.X.y") */
	char *css;
	char *param;		/* grafana: the argument after ':', or NULL */
};

struct pf_selector_pw {
	struct pf_selector_part *part;
	size_t nparts;
};

/*
 * Translates sel as the app resolves it (its selector resolver and
 * enhanced selectors, app v2.16.0) into *pw, parts in order:
 *   grafana:PATH[:ARG]      one grafana part;
 *   {grafana:PATH[:ARG]}    a grafana part in the middle of CSS;
 *   panel:TITLE[ > CHILD]   the panel whose header is TITLE, [its CHILD];
 *   X:contains("t")         X:has-text("t"): X whose text holds t, any case;
 *   X:text("t")             X whose whole text, trimmed, is t, any case;
 *   X:nth-match(N)REST      :nth-match(X, N) REST: the Nth X of the page,
 *                           or what matches REST inside it (as the app,
 *                           which has no translation for a REST that
 *                           starts with a combinator: it finds nothing);
 *   :has() and plain CSS    as they are.
 * Returns 0, or -1 with err (PF_ERR_DATA) saying why sel has no
 * translation: it does not balance (pf_selector_check), is empty, names
 * a grafana path that is not one, or uses :nth-match() other than once
 * at the top, or with an index below 1.  *pw is the caller's to release
 * with pf_selector_pw_release, also after a failure.
 */
int pf_selector_playwright(const char *sel, struct pf_selector_pw *pw,
    struct pf_err *err);
void pf_selector_pw_release(struct pf_selector_pw *pw);

#endif
