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

struct pf_map;

struct pf_map *pf_map_new(void);

/* Sets key to value, replacing any value it had. */
void pf_map_put(struct pf_map *m, const char *key, size_t value);

/* Finds key: 1 and *value set, or 0. */
int pf_map_get(const struct pf_map *m, const char *key, size_t *value);

/* Frees the map.  m may be NULL. */
void pf_map_free(struct pf_map *m);

#endif
