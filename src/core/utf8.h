/*
 * utf8.h - checking that text is well-formed UTF-8.
 */
#ifndef RBM_CORE_UTF8_H
#define RBM_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing past U+10FFFF). Otherwise *bad (may be NULL) is the offset of the
 * first byte that breaks it.
 */
bool rbm_utf8_valid(const char *s, size_t n, size_t *bad);

#endif
