/*
 * pf_selector: the CSS selectors of refTarget, as Pathfinder takes them
 * (its extensions, such as :nth-match(), included): whether one is
 * well-formed enough to run, and whether it is fragile.
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

#endif
