/*
 * pf_buf: growable NUL-terminated byte buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_buf.h"

void
pf_buf_init(struct pf_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
pf_buf_release(struct pf_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	pf_buf_init(b);
}

void
pf_buf_grow(struct pf_buf *b, size_t n)
{
	size_t want = b->len + n + 1;
	size_t cap;

	if (want <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap < ((size_t)-1) / 2 ? cap * 2 : want;
	b->data = pf_xrealloc(b->data, cap);
	b->cap = cap;
}

void
pf_buf_reset(struct pf_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
pf_buf_add(struct pf_buf *b, const void *p, size_t n)
{
	pf_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
pf_buf_adds(struct pf_buf *b, const char *s)
{
	pf_buf_add(b, s, strlen(s));
}

void
pf_buf_addc(struct pf_buf *b, char c)
{
	pf_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
pf_buf_vaddf(struct pf_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	pf_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		pf_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
pf_buf_addf(struct pf_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pf_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *
pf_buf_str(const struct pf_buf *b)
{
	return b->data ? b->data : "";
}

char *
pf_buf_detach(struct pf_buf *b, size_t *len)
{
	char *p = b->data ? b->data : pf_xstrdup("");

	if (len)
		*len = b->len;
	pf_buf_init(b);
	return p;
}
