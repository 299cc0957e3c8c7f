/*
 * pf_buf: a growable byte buffer, always NUL-terminated.
 *
 * The buffer owns its memory; pf_buf_release frees it.  Growth never fails
 * (see pf_alloc).  Buffers filled from input must be capped by the caller:
 * pf_buf_grow has no limit of its own.
 */
#ifndef PF_BUF_H
#define PF_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct pf_buf {
	char *data;	/* NUL-terminated; NULL until the first write */
	size_t len;
	size_t cap;
};

#define PF_BUF_INIT { NULL, 0, 0 }

/* Initialises an empty buffer. */
void pf_buf_init(struct pf_buf *b);

/* Frees the memory; the buffer is empty and reusable.  b may be NULL. */
void pf_buf_release(struct pf_buf *b);

/* Makes room for n more bytes (plus the NUL). */
void pf_buf_grow(struct pf_buf *b, size_t n);

/* Empties the buffer, keeping its memory. */
void pf_buf_reset(struct pf_buf *b);

/* Appends n bytes. */
void pf_buf_add(struct pf_buf *b, const void *p, size_t n);

/* Appends a string. */
void pf_buf_adds(struct pf_buf *b, const char *s);

/* Appends one byte. */
void pf_buf_addc(struct pf_buf *b, char c);

/* Appends printf-style text. */
void pf_buf_addf(struct pf_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pf_buf_vaddf(struct pf_buf *b, const char *fmt, va_list ap);

/* The contents as a string ("" when empty); borrowed: valid until the next change. */
const char *pf_buf_str(const struct pf_buf *b);

/* Hands the contents over to the caller (free with free()); b is empty after. */
char *pf_buf_detach(struct pf_buf *b, size_t *len);

#endif
