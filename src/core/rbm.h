/*
 * rbm.h - the shared vocabulary of rbm: result codes and the six languages.
 *
 * Every fallible function in rbm returns an enum rbm_rc (RBM_OK is 0) and
 * reports user-facing detail through a struct rbm_diag (see diag.h).
 */
#ifndef RBM_CORE_RBM_H
#define RBM_CORE_RBM_H

#include <stdbool.h>
#include <stddef.h>

#define RBM_VERSION "0.1.0"

enum rbm_rc {
	RBM_OK = 0,
	RBM_EINVAL,   /* bad input: a file, an argument, a value */
	RBM_ENOENT,   /* something named does not exist */
	RBM_EIO,      /* reading or writing a file failed */
	RBM_ESTORE,   /* the database refused or failed */
	RBM_ETOOBIG,  /* an input exceeds a limit */
	RBM_ECONFLICT,/* the state changed underneath (exists, stale) */
	RBM_EVERSION, /* a database from another rbm version */
	RBM_ENOMEM
};

const char *rbm_rc_name(enum rbm_rc rc);
const char *rbm_rc_str(enum rbm_rc rc);

/* The six official languages of the United Nations, in UN order. */
enum rbm_lang {
	RBM_LANG_AR,
	RBM_LANG_ZH,
	RBM_LANG_EN,
	RBM_LANG_FR,
	RBM_LANG_RU,
	RBM_LANG_ES,
	RBM_LANG_COUNT
};

/* "ar", "zh", ... */
const char *rbm_lang_tag(enum rbm_lang lang);
/* The language's own name, e.g. "Français". */
const char *rbm_lang_name(enum rbm_lang lang);
/* Sets *out and returns true when tag is one of the six tags. */
bool rbm_lang_parse(const char *tag, enum rbm_lang *out);

#endif
