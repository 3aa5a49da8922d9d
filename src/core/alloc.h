/*
 * alloc.h - allocation that never returns NULL.
 *
 * rbm follows tmux's xmalloc: running out of memory prints a message and
 * exits, so that callers need not thread ENOMEM through every path. Input
 * sizes are capped where they enter, so this is reached only when the
 * machine itself is exhausted.
 */
#ifndef RBM_CORE_ALLOC_H
#define RBM_CORE_ALLOC_H

#include <stddef.h>

void *rbm_xmalloc(size_t size);
void *rbm_xcalloc(size_t n, size_t size);
void *rbm_xrealloc(void *p, size_t n, size_t size);
char *rbm_xstrdup(const char *s);
char *rbm_xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *rbm_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *p (holding *cap elements of size) so that it holds at least need. */
void rbm_xgrow(void *pp, size_t *cap, size_t need, size_t size);

#endif
