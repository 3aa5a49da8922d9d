/*
 * sort.c - stable merge sort with a context argument.
 */
#include "sort.h"

#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static void merge(char *a, char *tmp, size_t n, size_t size, rbm_sort_cmp cmp, void *ctx)
{
	if (n < 2)
		return;
	size_t mid = n / 2;
	merge(a, tmp, mid, size, cmp, ctx);
	merge(a + mid * size, tmp, n - mid, size, cmp, ctx);
	if (cmp(a + (mid - 1) * size, a + mid * size, ctx) <= 0)
		return; /* already in order */
	size_t i = 0, j = mid, k = 0;
	while (i < mid && j < n) {
		if (cmp(a + j * size, a + i * size, ctx) < 0)
			memcpy(tmp + k++ * size, a + j++ * size, size);
		else
			memcpy(tmp + k++ * size, a + i++ * size, size);
	}
	while (i < mid)
		memcpy(tmp + k++ * size, a + i++ * size, size);
	while (j < n)
		memcpy(tmp + k++ * size, a + j++ * size, size);
	memcpy(a, tmp, n * size);
}

void rbm_sort(void *base, size_t n, size_t size, rbm_sort_cmp cmp, void *ctx)
{
	if (n < 2)
		return;
	char *tmp = rbm_xmalloc(n * size);
	merge(base, tmp, n, size, cmp, ctx);
	free(tmp);
}
