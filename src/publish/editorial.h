/*
 * editorial.h - the text editors write for reports, per language.
 *
 * Paragraphs are keyed by report ("highlights", "annual"), cycle and key
 * ("method", "domain1", "outcome_1.1"), in up to six languages. Each
 * translation remembers the hash of the English text it was made from, so
 * that an edit of the English marks every translation of it stale.
 */
#ifndef RBM_PUBLISH_EDITORIAL_H
#define RBM_PUBLISH_EDITORIAL_H

#include "../core/diag.h"
#include "../store/store.h"

/* Imports an editorial file (docs/editorial-format.md) in one transaction; *n: texts stored or changed. */
enum rbm_rc rbm_editorial_import(struct rbm_store *s, const char *path, const char *actor,
				 size_t *n, struct rbm_diag *d);
/*
 * Sets one text. For English, translations become stale unless they are set
 * again; a translation records the current English text's hash.
 */
enum rbm_rc rbm_editorial_set(struct rbm_store *s, const char *report, int cycle, const char *key,
			      enum rbm_lang lang, const char *text, const char *actor,
			      struct rbm_diag *d);
/* The text (free() it) or NULL when missing; *stale when its English source has changed since. */
enum rbm_rc rbm_editorial_get(struct rbm_store *s, const char *report, int cycle, const char *key,
			      enum rbm_lang lang, char **text, bool *stale, struct rbm_diag *d);

/* SHA-256 of text, as hex. */
void rbm_editorial_hash(const char *text, char out[65]);

#endif
