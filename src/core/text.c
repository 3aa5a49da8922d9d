/*
 * text.c - multilingual text lookup with English fallback.
 */
#include "text.h"

#include <stddef.h>

const char *rbm_text_get(const struct rbm_text *t, enum rbm_lang lang)
{
	if ((unsigned)lang < RBM_LANG_COUNT && t->s[lang])
		return t->s[lang];
	return t->s[RBM_LANG_EN];
}

bool rbm_text_empty(const struct rbm_text *t)
{
	return rbm_text_langs(t) == 0;
}

unsigned rbm_text_langs(const struct rbm_text *t)
{
	unsigned m = 0;
	for (int i = 0; i < RBM_LANG_COUNT; i++)
		if (t->s[i] != NULL)
			m |= 1u << i;
	return m;
}
