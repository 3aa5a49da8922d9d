/*
 * i18n.h - program messages and labels in the six languages, through
 * GNU gettext: the English text is the msgid; po/LANG.po hold the
 * translations, compiled into LANG/LC_MESSAGES/rbm.mo under the locale
 * folder ($RBM_LOCALE_DIR, else build/locale beside rbm's data).
 */
#ifndef RBM_CORE_I18N_H
#define RBM_CORE_I18N_H

#include "rbm.h"

/*
 * msgid in lang (English: msgid itself). Falls back to msgid when there is
 * no translation. Safe to call from several threads.
 */
const char *rbm_i18n_gettext(enum rbm_lang lang, const char *msgid);

/* The folder the catalogues are read from. */
const char *rbm_i18n_dir(void);

#endif
