/*
 * pf_pool: a string pool.  Models that keep many small strings for the
 * life of one conversion (step ids, selectors, chat) copy them here: a
 * copy is a pointer bump, and freeing the pool frees them all at once.
 *
 * Ownership: the pool owns every string it returns; they live until
 * pf_pool_free.  Growth never fails (pf_alloc).
 */
#ifndef PF_POOL_H
#define PF_POOL_H

#include <stddef.h>

struct pf_pool;

struct pf_pool *pf_pool_new(void);

/* A copy of the n bytes at s, NUL-terminated. */
char *pf_pool_memdup(struct pf_pool *p, const char *s, size_t n);

/* A copy of s; NULL for NULL. */
char *pf_pool_strdup(struct pf_pool *p, const char *s);

/* The bytes the pool holds in all, its chunks' overhead included. */
size_t pf_pool_size(const struct pf_pool *p);

/* Frees the pool and every string in it.  p may be NULL. */
void pf_pool_free(struct pf_pool *p);

#endif
