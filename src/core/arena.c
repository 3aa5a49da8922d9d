/*
 * arena.c - bump allocation in chained blocks.
 */
#include "arena.h"

#include "alloc.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 65536

struct block {
	struct block *next;
	size_t used;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

struct rbm_arena {
	struct block *head;
	size_t total;
};

struct rbm_arena *rbm_arena_new(void)
{
	return rbm_xcalloc(1, sizeof(struct rbm_arena));
}

void rbm_arena_free(struct rbm_arena *a)
{
	if (a == NULL)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *rbm_arena_alloc(struct rbm_arena *a, size_t size)
{
	size_t al = alignof(max_align_t);
	size = (size + al - 1) / al * al;
	if (size == 0)
		size = al;
	struct block *b = a->head;
	if (b == NULL || b->size - b->used < size) {
		size_t bsize = size > BLOCK_SIZE ? size : BLOCK_SIZE;
		b = rbm_xmalloc(sizeof *b + bsize);
		b->size = bsize;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

char *rbm_arena_strdup(struct rbm_arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = rbm_arena_alloc(a, n);
	memcpy(p, s, n);
	return p;
}

size_t rbm_arena_used(const struct rbm_arena *a)
{
	return a->total;
}
