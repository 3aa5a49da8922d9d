/*
 * text.h - a text in up to six languages, with English as the fallback.
 */
#ifndef RBM_CORE_TEXT_H
#define RBM_CORE_TEXT_H

#include "rbm.h"

/* NULL where a language is missing. The strings are owned elsewhere. */
struct rbm_text {
	const char *s[RBM_LANG_COUNT];
};

/* The text in lang, or in English when lang is missing, or NULL. */
const char *rbm_text_get(const struct rbm_text *t, enum rbm_lang lang);
/* True when no language is present. */
bool rbm_text_empty(const struct rbm_text *t);
/* Bit set (1u << lang) of the languages present. */
unsigned rbm_text_langs(const struct rbm_text *t);

#endif
