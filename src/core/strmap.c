/*
 * strmap.c - string interning with open addressing.
 */
#include "strmap.h"

#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

void rbm_strmap_init(struct rbm_strmap *m)
{
	memset(m, 0, sizeof *m);
}

void rbm_strmap_free(struct rbm_strmap *m)
{
	for (size_t i = 0; i < m->len; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static void grow(struct rbm_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	uint32_t *slots = rbm_xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < m->len; i++) {
		size_t at = hash(m->keys[i]) & (cap - 1);
		while (slots[at])
			at = (at + 1) & (cap - 1);
		slots[at] = (uint32_t)i + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

uint32_t rbm_strmap_find(const struct rbm_strmap *m, const char *key)
{
	if (m->cap == 0)
		return UINT32_MAX;
	size_t at = hash(key) & (m->cap - 1);
	while (m->slots[at]) {
		uint32_t i = m->slots[at] - 1;
		if (strcmp(m->keys[i], key) == 0)
			return i;
		at = (at + 1) & (m->cap - 1);
	}
	return UINT32_MAX;
}

uint32_t rbm_strmap_intern(struct rbm_strmap *m, const char *key)
{
	uint32_t i = rbm_strmap_find(m, key);
	if (i != UINT32_MAX)
		return i;
	if ((m->len + 1) * 2 > m->cap)
		grow(m);
	rbm_xgrow(&m->keys, &m->keys_cap, m->len + 1, sizeof *m->keys);
	m->keys[m->len] = rbm_xstrdup(key);
	size_t at = hash(key) & (m->cap - 1);
	while (m->slots[at])
		at = (at + 1) & (m->cap - 1);
	m->slots[at] = (uint32_t)m->len + 1;
	return (uint32_t)m->len++;
}
