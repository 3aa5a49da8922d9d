/*
 * arena.h - a bump allocator for data that lives and dies together.
 *
 * A loaded plan keeps all its strings in one arena and frees them at once.
 */
#ifndef RBM_CORE_ARENA_H
#define RBM_CORE_ARENA_H

#include <stddef.h>

struct rbm_arena;

struct rbm_arena *rbm_arena_new(void);
void rbm_arena_free(struct rbm_arena *a);
void *rbm_arena_alloc(struct rbm_arena *a, size_t size);
char *rbm_arena_strdup(struct rbm_arena *a, const char *s);
/* Bytes handed out so far. */
size_t rbm_arena_used(const struct rbm_arena *a);

#endif
