/*
 * buf.h - a growable byte buffer with a size cap (after curl's dynbuf).
 *
 * The contents are always NUL-terminated. An append that would pass the cap
 * fails with RBM_ETOOBIG and leaves the buffer as it was.
 */
#ifndef RBM_CORE_BUF_H
#define RBM_CORE_BUF_H

#include "rbm.h"

#include <stdarg.h>
#include <stddef.h>

struct rbm_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0: the default cap, RBM_BUF_DEFAULT_MAX */
};

#define RBM_BUF_DEFAULT_MAX ((size_t)1 << 30)

void rbm_buf_init(struct rbm_buf *b, size_t max);
void rbm_buf_free(struct rbm_buf *b);
void rbm_buf_reset(struct rbm_buf *b);
enum rbm_rc rbm_buf_add(struct rbm_buf *b, const void *data, size_t len);
enum rbm_rc rbm_buf_adds(struct rbm_buf *b, const char *s);
enum rbm_rc rbm_buf_addc(struct rbm_buf *b, char c);
enum rbm_rc rbm_buf_addf(struct rbm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum rbm_rc rbm_buf_vaddf(struct rbm_buf *b, const char *fmt, va_list ap);
/* The contents ("" when empty); valid until the next change. */
const char *rbm_buf_str(const struct rbm_buf *b);
/* Hands the contents to the caller (free() it) and empties the buffer. */
char *rbm_buf_take(struct rbm_buf *b);

#endif
