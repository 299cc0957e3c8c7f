/*
 * pf_selector: a refTarget selector checked for balanced brackets and
 * quotes, looked at for what makes it break when the page changes, and
 * translated for Playwright.  Each walks sel once and looks past what is
 * quoted.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
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

/* --- Playwright ------------------------------------------------------------ */

static void
add_part(struct pf_selector_pw *pw, int grafana, char *css, char *param)
{
	pw->part = pf_xrealloc(pw->part, (pw->nparts + 1) * sizeof(*pw->part));
	pw->part[pw->nparts].grafana = grafana;
	pw->part[pw->nparts].css = css;
	pw->part[pw->nparts].param = param;
	pw->nparts++;
}

/* The CSS text gathered so far becomes a part. */
static void
flush_css(struct pf_selector_pw *pw, struct pf_buf *css)
{
	if (css->len > 0)
		add_part(pw, 0, pf_buf_detach(css, NULL), NULL);
}

/* s (n bytes) as a CSS string: "...", with \ and " escaped. */
static void
css_string(struct pf_buf *b, const char *s, size_t n)
{
	size_t i;

	pf_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			pf_buf_addc(b, '\\');
		if (s[i] == '\n')
			pf_buf_adds(b, "\\a ");
		else
			pf_buf_addc(b, s[i]);
	}
	pf_buf_addc(b, '"');
}

/*
 * A grafana: path and its argument, as the app splits them: at the first
 * ':' that is not the last character.  The path is dotted words.
 */
static int
add_grafana(struct pf_selector_pw *pw, const char *s, size_t n,
    struct pf_err *err)
{
	const char *colon = memchr(s, ':', n);
	size_t plen = colon && colon < s + n - 1 ? (size_t)(colon - s) : n;
	size_t i;
	char *path, *param = NULL;

	for (i = 0; i < plen; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' ||
		    (s[i] == '.' && i > 0 && i + 1 < plen && s[i + 1] != '.')))
			break;
	if (plen == 0 || i < plen)
		return pf_err_set(err, PF_ERR_DATA, 0, "'grafana:%.*s' is no "
		    "@grafana/e2e-selectors path", (int)plen, s);
	path = pf_xcalloc(1, plen + 1);
	memcpy(path, s, plen);
	if (plen < n) {
		param = pf_xcalloc(1, n - plen);
		memcpy(param, s + plen + 1, n - plen - 1);
	}
	add_part(pw, 1, path, param);
	return 0;
}

/*
 * The argument of :contains( or :text( at *pp, as the app reads it: a
 * quoted text up to the same quote before ')', or else up to the first
 * ')'.  Moves *pp past the ')'; -1 when there is none.
 */
static int
pseudo_arg(const char **pp, const char **arg, size_t *n)
{
	const char *p = *pp, *end;
	char q[3] = { 0, ')', 0 };

	if (*p == '"' || *p == '\'') {
		q[0] = *p++;
		end = strstr(p, q);
	} else {
		end = strchr(p, ')');
	}
	if (end == NULL)
		return -1;
	*arg = p;
	*n = (size_t)(end - p);
	*pp = end + (q[0] ? 2 : 1);
	return 0;
}

/* :text("t"): the whole text, trimmed, is t in any case. */
static void
text_is(struct pf_buf *css, const char *t, size_t n)
{
	struct pf_buf re = PF_BUF_INIT;
	size_t i;

	while (n > 0 && isspace((unsigned char)*t))
		t++, n--;
	while (n > 0 && isspace((unsigned char)t[n - 1]))
		n--;
	pf_buf_adds(&re, "^\\s*");
	for (i = 0; i < n; i++) {
		if (strchr("\\^$.|?*+()[]{}/", t[i]))
			pf_buf_addc(&re, '\\');
		pf_buf_addc(&re, t[i]);
	}
	pf_buf_adds(&re, "\\s*$");
	pf_buf_adds(css, ":text-matches(");
	css_string(css, re.data, re.len);
	pf_buf_adds(css, ", \"i\")");
	pf_buf_release(&re);
}

int
pf_selector_playwright(const char *sel, struct pf_selector_pw *pw,
    struct pf_err *err)
{
	struct pf_buf css = PF_BUF_INIT, title = PF_BUF_INIT;
	const char *p, *arg, *end;
	size_t n;
	int depth = 0, nth = 0;
	char quote = 0, *e;
	long index;

	pw->part = NULL;
	pw->nparts = 0;
	if (pf_selector_check(sel, err) < 0)
		return -1;
	for (p = sel; isspace((unsigned char)*p); p++)
		;
	if (*p == '\0')
		return pf_err_set(err, PF_ERR_DATA, 0, "the selector is empty");
	if (strncmp(sel, "grafana:", 8) == 0 && !strstr(sel, "{grafana:"))
		return add_grafana(pw, sel + 8, strlen(sel + 8), err);
	p = sel;
	if (strncmp(sel, "panel:", 6) == 0 && !strstr(sel, "{grafana:")) {
		end = strstr(sel + 6, " > ");
		n = end ? (size_t)(end - sel - 6) : strlen(sel + 6);
		pf_buf_adds(&css, "[data-viz-panel-key]:has([data-testid*=");
		pf_buf_adds(&title, "Panel header ");
		pf_buf_add(&title, sel + 6, n);
		css_string(&css, title.data, title.len);
		pf_buf_release(&title);
		pf_buf_addc(&css, ']');
		pf_buf_addc(&css, ')');
		if (end == NULL) {
			flush_css(pw, &css);
			return 0;
		}
		pf_buf_addc(&css, ' ');
		p = end + 3;
	}
	while (*p) {
		if (quote) {
			if (*p == '\\' && p[1])
				pf_buf_addc(&css, *p++);
			else if (*p == quote)
				quote = 0;
			pf_buf_addc(&css, *p++);
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '\\' && p[1]) {
			pf_buf_addc(&css, *p++);
		} else if (*p == '(' || *p == '[') {
			depth++;
		} else if (*p == ')' || *p == ']') {
			depth--;
		} else if (strncmp(p, "{grafana:", 9) == 0 &&
		    (end = strchr(p, '}')) != NULL) {
			flush_css(pw, &css);
			if (add_grafana(pw, p + 9, (size_t)(end - p - 9),
			    err) < 0)
				goto fail;
			p = end + 1;
			continue;
		} else if (strncmp(p, ":contains(", 10) == 0) {
			p += 10;
			if (pseudo_arg(&p, &arg, &n) < 0) {
				pf_err_set(err, PF_ERR_DATA, 0,
				    ":contains( is not closed");
				goto fail;
			}
			pf_buf_adds(&css, ":has-text(");
			css_string(&css, arg, n);
			pf_buf_addc(&css, ')');
			continue;
		} else if (strncmp(p, ":text(", 6) == 0) {
			p += 6;
			if (pseudo_arg(&p, &arg, &n) < 0) {
				pf_err_set(err, PF_ERR_DATA, 0,
				    ":text( is not closed");
				goto fail;
			}
			text_is(&css, arg, n);
			continue;
		} else if (strncmp(p, ":nth-match(", 11) == 0) {
			index = strtol(p + 11, &e, 10);
			if (nth || depth > 0 || !isdigit((unsigned char)p[11]) ||
			    *e != ')' || index < 1 || index > 1000000) {
				pf_err_set(err, PF_ERR_DATA, 0, "%s",
				    nth ? ":nth-match() is used twice" :
				    depth > 0 ? ":nth-match() inside brackets" :
				    ":nth-match() wants a whole number from 1");
				goto fail;
			}
			nth = 1;
			pf_buf_addf(&css, ", %ld)", index);
			/*
			 * The app looks for what follows among the Nth's
			 * descendants, as a selector of its own: a
			 * descendant combinator.  One that starts with a
			 * combinator is no selector, and finds nothing.
			 */
			for (p = e + 1; isspace((unsigned char)*p); p++)
				;
			if (*p == '>' || *p == '+' || *p == '~') {
				pf_err_set(err, PF_ERR_DATA, 0, "the app finds "
				    "nothing after :nth-match() for a selector "
				    "that starts with '%c'", *p);
				goto fail;
			}
			if (*p)
				pf_buf_addc(&css, ' ');
			continue;
		}
		pf_buf_addc(&css, *p++);
	}
	flush_css(pw, &css);
	if (nth) {
		/* The Nth of everything before it: that goes in :nth-match(. */
		struct pf_selector_part head;

		add_part(pw, 0, pf_xstrdup(":nth-match("), NULL);
		head = pw->part[pw->nparts - 1];
		memmove(pw->part + 1, pw->part,
		    (pw->nparts - 1) * sizeof(*pw->part));
		pw->part[0] = head;
		if (!pw->part[1].grafana) {
			/* One CSS text, not two: ":nth-match(div.x, 2)". */
			char *both = pf_xasprintf("%s%s", head.css,
			    pw->part[1].css);

			free(head.css);
			free(pw->part[1].css);
			pw->part[0].css = both;
			memmove(pw->part + 1, pw->part + 2,
			    (pw->nparts - 2) * sizeof(*pw->part));
			pw->nparts--;
		}
	}
	return 0;
fail:
	pf_buf_release(&css);
	return -1;
}

void
pf_selector_pw_release(struct pf_selector_pw *pw)
{
	size_t i;

	for (i = 0; i < pw->nparts; i++) {
		free(pw->part[i].css);
		free(pw->part[i].param);
	}
	free(pw->part);
	pw->part = NULL;
	pw->nparts = 0;
}
