/*
 * pf_strarena: an arena of strings.  Models that keep many small strings
 * for the life of one conversion (step ids, selectors, chat) copy them
 * here: a copy is a pointer bump, and freeing the arena frees them all.
 *
 * Ownership: the arena owns every string it returns; they live until
 * pf_strarena_free.  Growth never fails (pf_alloc).
 */
#ifndef PF_STRARENA_H
#define PF_STRARENA_H

#include <stddef.h>

struct pf_strarena;

struct pf_strarena *pf_strarena_new(void);

/* A copy of the n bytes at s, NUL-terminated. */
char *pf_strarena_memdup(struct pf_strarena *p, const char *s, size_t n);

/* A copy of s; NULL for NULL. */
char *pf_strarena_strdup(struct pf_strarena *p, const char *s);

/* The bytes the arena holds in all, its chunks' overhead included. */
size_t pf_strarena_size(const struct pf_strarena *p);

/* Frees the arena and every string in it.  p may be NULL. */
void pf_strarena_free(struct pf_strarena *p);

#endif
