/*
 * sort.h - a stable merge sort whose comparison takes a context.
 *
 * C's qsort has no context argument; this one does, so comparisons that
 * need a plan (to compare codes by index) need no global variable.
 */
#ifndef RBM_CORE_SORT_H
#define RBM_CORE_SORT_H

#include <stddef.h>

typedef int (*rbm_sort_cmp)(const void *a, const void *b, void *ctx);

/* Sorts n elements of size bytes at base, stably. */
void rbm_sort(void *base, size_t n, size_t size, rbm_sort_cmp cmp, void *ctx);

#endif
