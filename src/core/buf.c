/*
 * buf.c - growable, capped byte buffer.
 */
#include "buf.h"

#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rbm_buf_init(struct rbm_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : RBM_BUF_DEFAULT_MAX;
}

void rbm_buf_free(struct rbm_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void rbm_buf_reset(struct rbm_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

enum rbm_rc rbm_buf_add(struct rbm_buf *b, const void *data, size_t len)
{
	if (len > b->max || b->len > b->max - len)
		return RBM_ETOOBIG;
	if (b->len + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap < b->len + len + 1)
			ncap *= 2;
		b->data = rbm_xrealloc(b->data, ncap, 1);
		b->cap = ncap;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return RBM_OK;
}

enum rbm_rc rbm_buf_adds(struct rbm_buf *b, const char *s)
{
	return rbm_buf_add(b, s, strlen(s));
}

enum rbm_rc rbm_buf_addc(struct rbm_buf *b, char c)
{
	return rbm_buf_add(b, &c, 1);
}

enum rbm_rc rbm_buf_vaddf(struct rbm_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0)
		return RBM_EINVAL;
	if ((size_t)n < sizeof small)
		return rbm_buf_add(b, small, (size_t)n);
	char *big = rbm_xmalloc((size_t)n + 1);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	enum rbm_rc rc = rbm_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

enum rbm_rc rbm_buf_addf(struct rbm_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum rbm_rc rc = rbm_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *rbm_buf_str(const struct rbm_buf *b)
{
	return b->data ? b->data : "";
}

char *rbm_buf_take(struct rbm_buf *b)
{
	char *p = b->data ? b->data : rbm_xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
