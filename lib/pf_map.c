/*
 * pf_map: open addressing with linear probing over FNV-1a hashes, the
 * table doubling at half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_map.h"

struct slot {
	char *key;	/* NULL: empty */
	uint64_t hash;
	size_t value;
};

struct pf_map {
	struct slot *slots;
	size_t cap;	/* a power of two */
	size_t used;
};

uint64_t
pf_fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0) {
		h ^= *b++;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static uint64_t
fnv1a(const char *s)
{
	return pf_fnv1a64(PF_FNV1A64_INIT, s, strlen(s));
}

struct pf_map *
pf_map_new(void)
{
	struct pf_map *m = pf_xcalloc(1, sizeof(*m));

	m->cap = 64;
	m->slots = pf_xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

static struct slot *
find(const struct pf_map *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct slot *s = &m->slots[i];

		if (s->key == NULL || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

static void
grow(struct pf_map *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap, i;

	m->cap *= 2;
	m->slots = pf_xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(m, old[i].key, old[i].hash) = old[i];
	free(old);
}

void
pf_map_put(struct pf_map *m, const char *key, size_t value)
{
	uint64_t h = fnv1a(key);
	struct slot *s;

	if ((m->used + 1) * 2 > m->cap)
		grow(m);
	s = find(m, key, h);
	if (s->key == NULL) {
		s->key = pf_xstrdup(key);
		s->hash = h;
		m->used++;
	}
	s->value = value;
}

int
pf_map_get(const struct pf_map *m, const char *key, size_t *value)
{
	struct slot *s = find(m, key, fnv1a(key));

	if (s->key == NULL)
		return 0;
	*value = s->value;
	return 1;
}

void
pf_map_free(struct pf_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}
