/*
 * pf_alloc: allocation that never fails.
 *
 * Running out of memory is not an error path in pf: these wrappers print one
 * line on stderr and abort, so callers never test for NULL.  This is the one
 * place (with pf_diag) where the library writes to stderr.
 */
#ifndef PF_ALLOC_H
#define PF_ALLOC_H

#include <stddef.h>

/* malloc(n), never NULL; n == 0 allocates one byte. */
void *pf_xmalloc(size_t n);

/* calloc(nmemb, size), never NULL; checks the multiplication. */
void *pf_xcalloc(size_t nmemb, size_t size);

/* realloc(p, n), never NULL. */
void *pf_xrealloc(void *p, size_t n);

/* strdup(s), never NULL. */
char *pf_xstrdup(const char *s);

/* A copy of the n bytes at s, NUL-terminated, never NULL. */
char *pf_xmemdup(const void *s, size_t n);

/* printf into a new string, never NULL. */
char *pf_xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
