/*
 * pf_jw: one-line JSON records.  The writer keeps a single "comma" flag:
 * after '{' or '[' no comma is due, after any value or closing bracket one
 * is, which is all the bookkeeping nesting needs.
 */
#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pf_jw.h"

void
pf_jw_init(struct pf_jw *w, struct pf_buf *out, unsigned flags)
{
	w->out = out;
	w->flags = flags;
	w->comma = 0;
}

/* The comma before a value, and its key. */
static void
lead(struct pf_jw *w, const char *key)
{
	if (w->comma)
		pf_buf_addc(w->out, ',');
	w->comma = 1;
	if (key) {
		pf_jv_dump_string_flags(key, strlen(key), w->flags, w->out);
		pf_buf_addc(w->out, ':');
	}
}

void
pf_jw_begin(struct pf_jw *w, const char *key)
{
	lead(w, key);
	pf_buf_addc(w->out, '{');
	w->comma = 0;
}

void
pf_jw_end(struct pf_jw *w)
{
	pf_buf_addc(w->out, '}');
	w->comma = 1;
}

void
pf_jw_array_begin(struct pf_jw *w, const char *key)
{
	lead(w, key);
	pf_buf_addc(w->out, '[');
	w->comma = 0;
}

void
pf_jw_array_end(struct pf_jw *w)
{
	pf_buf_addc(w->out, ']');
	w->comma = 1;
}

void
pf_jw_string(struct pf_jw *w, const char *key, const char *s)
{
	lead(w, key);
	if (s)
		pf_jv_dump_string_flags(s, strlen(s), w->flags, w->out);
	else
		pf_buf_adds(w->out, "null");
}

void
pf_jw_int(struct pf_jw *w, const char *key, int64_t v)
{
	lead(w, key);
	pf_buf_addf(w->out, "%" PRId64, v);
}

void
pf_jw_bool(struct pf_jw *w, const char *key, int v)
{
	lead(w, key);
	pf_buf_adds(w->out, v ? "true" : "false");
}

void
pf_jw_null(struct pf_jw *w, const char *key)
{
	lead(w, key);
	pf_buf_adds(w->out, "null");
}

char *
pf_jw_format_real(double v, int digits, char *buf, size_t n)
{
	char *e;
	int len;

	assert(n >= 32);
	if (!isfinite(v)) {
		snprintf(buf, n, "null");
		return buf;
	}
	if (digits <= 0 || digits > 17)
		digits = 17;
	/* "-1.2345678901234567e-308" is 24 bytes: it fits. */
	len = snprintf(buf, n, "%.*g", digits, v);
	/* A "1" would read back as an integer: jansson writes "1.0". */
	if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
		memcpy(buf + len, ".0", 3);
		len += 2;
	}
	/* "1e+21" and "1e-07" as jansson writes them: "1e21", "1e-7". */
	e = strchr(buf, 'e');
	if (e) {
		char *from = e + 1, *to = e + 1;

		if (*from == '-')
			from++, to++;
		else if (*from == '+')
			from++;
		while (*from == '0' && from[1] != '\0')
			from++;
		memmove(to, from, strlen(from) + 1);
	}
	return buf;
}

void
pf_jw_real(struct pf_jw *w, const char *key, double v, int digits)
{
	char buf[40];

	lead(w, key);
	pf_buf_adds(w->out, pf_jw_format_real(v, digits, buf, sizeof(buf)));
}
