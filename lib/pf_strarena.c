/*
 * pf_strarena: strings bump-allocated from 64 KiB chunks; a string larger than
 * a chunk gets a chunk of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_strarena.h"

#define CHUNK (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used;
	size_t cap;
	char data[];
};

struct pf_strarena {
	struct chunk *head;
	size_t size;		/* bytes of every chunk */
};

struct pf_strarena *
pf_strarena_new(void)
{
	return pf_xcalloc(1, sizeof(struct pf_strarena));
}

char *
pf_strarena_memdup(struct pf_strarena *p, const char *s, size_t n)
{
	struct chunk *c = p->head;
	char *out;

	if (c == NULL || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > CHUNK ? n + 1 : CHUNK;

		c = pf_xmalloc(sizeof(*c) + cap);
		p->size += sizeof(*c) + cap;
		c->used = 0;
		c->cap = cap;
		if (p->head && cap > CHUNK) {
			/* A big string: keep filling the current chunk after. */
			c->next = p->head->next;
			p->head->next = c;
		} else {
			c->next = p->head;
			p->head = c;
		}
	}
	out = c->data + c->used;
	memcpy(out, s, n);
	out[n] = '\0';
	c->used += n + 1;
	return out;
}

size_t
pf_strarena_size(const struct pf_strarena *p)
{
	return p->size;
}

char *
pf_strarena_strdup(struct pf_strarena *p, const char *s)
{
	return s ? pf_strarena_memdup(p, s, strlen(s)) : NULL;
}

void
pf_strarena_free(struct pf_strarena *p)
{
	struct chunk *c, *next;

	if (p == NULL)
		return;
	for (c = p->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p);
}
