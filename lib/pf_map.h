/*
 * pf_map: a hash map from strings to indices (size_t), for the models that
 * look things up by id or name once per event: steps by stepId, attendees
 * by name and by sender id.
 *
 * Ownership: the map copies its keys.  Growth never fails (pf_alloc).
 */
#ifndef PF_MAP_H
#define PF_MAP_H

#include <stddef.h>
#include <stdint.h>

struct pf_map;

#define PF_FNV1A64_INIT UINT64_C(14695981039346656037)

/*
 * Folds the n bytes at p into the 64-bit FNV-1a hash h (start from
 * PF_FNV1A64_INIT) and returns it: the map's hash, and the index's
 * change detection.  Not for security.
 */
uint64_t pf_fnv1a64(uint64_t h, const void *p, size_t n);

struct pf_map *pf_map_new(void);

/* Sets key to value, replacing any value it had. */
void pf_map_put(struct pf_map *m, const char *key, size_t value);

/* Finds key: 1 and *value set, or 0. */
int pf_map_get(const struct pf_map *m, const char *key, size_t *value);

/* Frees the map.  m may be NULL. */
void pf_map_free(struct pf_map *m);

#endif
