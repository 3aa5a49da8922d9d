/*
 * i18n.h - the translation workflow for editorial text: what is missing or
 * stale per language, and XLIFF 2.0 out and in for translation tools.
 */
#ifndef RBM_PUBLISH_I18N_H
#define RBM_PUBLISH_I18N_H

#include "../core/diag.h"
#include "../store/store.h"

#include <stdio.h>

enum rbm_i18n_state { RBM_I18N_MISSING, RBM_I18N_STALE, RBM_I18N_CURRENT };

struct rbm_i18n_item {
	char *report, *key;
	int cycle;
	enum rbm_i18n_state state[RBM_LANG_COUNT];
};

/* Every English paragraph, and each language's state for it (free with rbm_i18n_items_free). */
enum rbm_rc rbm_i18n_status(struct rbm_store *s, struct rbm_i18n_item **out, size_t *out_len,
			    struct rbm_diag *d);
void rbm_i18n_items_free(struct rbm_i18n_item *v, size_t n);

/*
 * Writes an XLIFF 2.0 file with every English paragraph as a unit's source
 * and the current translation (if any, and not stale) as its target.
 * *units: units written; *untranslated: units without a current translation.
 */
enum rbm_rc rbm_i18n_export(struct rbm_store *s, enum rbm_lang lang, const char *path,
			    size_t *units, size_t *untranslated, struct rbm_diag *d);

/*
 * Reads translations back from an XLIFF 2.0 file (target language from its
 * trgLang). A unit whose source no longer matches the stored English is
 * refused (the English changed since the export); everything in one
 * transaction. *stored: translations stored.
 */
enum rbm_rc rbm_i18n_import(struct rbm_store *s, const char *path, const char *actor,
			    size_t *stored, struct rbm_diag *d);

#endif
