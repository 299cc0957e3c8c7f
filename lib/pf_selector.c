/*
 * pf_selector: a refTarget selector checked for balanced brackets and
 * quotes, and looked at for what makes it break when the page changes.
 * Both walk sel once and look past what is quoted.
 */
#include <stdio.h>
#include <string.h>

#include "pf_selector.h"

/* The 1-based character of byte at in the UTF-8 string sel: a column a
 * reader can count, whatever letters come before it. */
static long
column(const char *sel, size_t at)
{
	size_t i;
	long chars = 0;

	for (i = 0; i <= at; i++)
		chars += ((unsigned char)sel[i] & 0xc0) != 0x80;
	return chars;
}

int
pf_selector_check(const char *sel, struct pf_err *err)
{
	char stack[64], msg[64];
	size_t open_at[64];
	size_t depth = 0, i, quote_at = 0;
	char quote = 0;

	for (i = 0; sel[i]; i++) {
		char c = sel[i];

		if (quote) {
			if (c == '\\' && sel[i + 1])
				i++;
			else if (c == quote)
				quote = 0;
			continue;
		}
		switch (c) {
		case '\\':
			if (sel[i + 1])
				i++;
			break;
		case '"':
		case '\'':
			quote = c;
			quote_at = i;
			break;
		case '(':
		case '[':
		case '{':
			if (depth == sizeof(stack))
				return pf_err_set_at(err, PF_ERR_DATA, 0,
				    column(sel, i), "brackets nested too deep");
			open_at[depth] = i;
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
			break;
		case ')':
		case ']':
		case '}':
			if (depth == 0 || stack[depth - 1] != c) {
				if (depth == 0)
					snprintf(msg, sizeof(msg),
					    "unbalanced '%c'", c);
				else
					snprintf(msg, sizeof(msg), "'%c' where "
					    "'%c' was expected", c,
					    stack[depth - 1]);
				return pf_err_set_at(err, PF_ERR_DATA, 0,
				    column(sel, i), "%s", msg);
			}
			depth--;
			break;
		}
	}
	if (quote)
		return pf_err_set_at(err, PF_ERR_DATA, 0, column(sel, quote_at),
		    "unterminated %s quote", quote == '"' ? "double" :
		    "single");
	if (depth > 0)
		return pf_err_set_at(err, PF_ERR_DATA, 0,
		    column(sel, open_at[depth - 1]), "unclosed '%c'",
		    stack[depth - 1] == ')' ? '(' :
		    stack[depth - 1] == ']' ? '[' : '{');
	return 0;
}

const char *
pf_selector_fragile(const char *sel)
{
	static const char *const positional[] = {
		":nth-child(", ":nth-last-child(", ":nth-of-type(",
		":nth-last-of-type(", ":nth-match(", NULL
	};
	int i, chain = 0, bracket = 0;
	char quote = 0;
	const char *p;

	for (p = sel; *p; p++) {
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '[' || *p == '(') {
			bracket++;
		} else if ((*p == ']' || *p == ')') && bracket > 0) {
			bracket--;
		} else if (*p == '>' && bracket == 0) {
			chain++;
		} else if (*p == ':' && bracket == 0) {
			for (i = 0; positional[i]; i++)
				if (strncmp(p, positional[i],
				    strlen(positional[i])) == 0)
					return i == 0 ? "uses :nth-child" :
					    i == 1 ? "uses :nth-last-child" :
					    i == 2 ? "uses :nth-of-type" :
					    i == 3 ? "uses :nth-last-of-type" :
					    "uses :nth-match";
		}
	}
	if (chain > PF_SELECTOR_MAX_CHILD_CHAIN)
		return "is a long chain of child combinators";
	return NULL;
}
