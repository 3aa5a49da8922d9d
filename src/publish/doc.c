/*
 * doc.c - building a struct rbm_doc.
 */
#include "doc.h"

#include "../core/alloc.h"
#include "../core/arena.h"

#include <stdlib.h>
#include <string.h>

struct rbm_doc *rbm_doc_new(enum rbm_lang lang)
{
	struct rbm_doc *d = rbm_xcalloc(1, sizeof *d);
	d->arena = rbm_arena_new();
	d->meta.lang = lang;
	d->meta.rtl = lang == RBM_LANG_AR;
	return d;
}

void rbm_doc_free(struct rbm_doc *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->blocks_len; i++)
		free(d->blocks[i].runs);
	free(d->blocks);
	free(d->footnotes);
	rbm_arena_free(d->arena);
	free(d);
}

const char *rbm_doc_str(struct rbm_doc *d, const char *s)
{
	return s ? rbm_arena_strdup(d->arena, s) : NULL;
}

struct rbm_block *rbm_doc_add(struct rbm_doc *d, enum rbm_block_kind kind)
{
	rbm_xgrow(&d->blocks, &d->blocks_cap, d->blocks_len + 1, sizeof *d->blocks);
	struct rbm_block *b = &d->blocks[d->blocks_len++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

void rbm_doc_run(struct rbm_doc *d, struct rbm_block *b, const char *text, bool bold)
{
	b->runs = rbm_xrealloc(b->runs, b->runs_len + 1, sizeof *b->runs);
	b->runs[b->runs_len++] = (struct rbm_run){rbm_doc_str(d, text), bold, false, 0};
}

int rbm_doc_footnote(struct rbm_doc *d, const char *text)
{
	rbm_xgrow(&d->footnotes, &d->footnotes_cap, d->footnotes_len + 1, sizeof *d->footnotes);
	d->footnotes[d->footnotes_len++] = rbm_doc_str(d, text);
	return (int)d->footnotes_len;
}
