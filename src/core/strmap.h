/*
 * strmap.h - a map from strings to indices (open addressing, FNV-1a).
 *
 * Used to dictionary-encode codes: each distinct string gets the next
 * index. Keys are copied into the map.
 */
#ifndef RBM_CORE_STRMAP_H
#define RBM_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct rbm_strmap {
	char **keys;     /* by index */
	uint32_t *slots; /* index + 1; 0 = empty */
	size_t len, cap, keys_cap;
};

void rbm_strmap_init(struct rbm_strmap *m);
void rbm_strmap_free(struct rbm_strmap *m);
/* The index of key, adding it if new. */
uint32_t rbm_strmap_intern(struct rbm_strmap *m, const char *key);
/* The index of key, or UINT32_MAX. */
uint32_t rbm_strmap_find(const struct rbm_strmap *m, const char *key);

#endif
