/*
 * i18n.c - asking gettext for one language at a time.
 *
 * gettext follows the LANGUAGE variable when the message locale is not "C";
 * rbm sets LC_MESSAGES to C.UTF-8 once, then, under a lock, points
 * LANGUAGE at the wanted language and tells gettext its cache is stale.
 */
#include "i18n.h"

#include "fs.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN "rbm"

extern int _nl_msg_cat_cntr; /* GNU gettext: bump to drop its cached lookups */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

const char *rbm_i18n_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("RBM_LOCALE_DIR");
	if (env && *env)
		return env;
	snprintf(dir, sizeof dir, "%s/../build/locale", rbm_fs_data_dir());
	return dir;
}

const char *rbm_i18n_gettext(enum rbm_lang lang, const char *msgid)
{
	static bool bound;
	if (lang == RBM_LANG_EN || (unsigned)lang >= RBM_LANG_COUNT)
		return msgid;
	pthread_mutex_lock(&lock);
	if (!bound) {
		setlocale(LC_MESSAGES, "C.UTF-8");
		bindtextdomain(DOMAIN, rbm_i18n_dir());
		bind_textdomain_codeset(DOMAIN, "UTF-8");
		bound = true;
	}
	/* LANGUAGE applies to every catalogue (libc's strerror too): set it only for this lookup. */
	const char *old = getenv("LANGUAGE");
	char saved[64] = "";
	if (old)
		snprintf(saved, sizeof saved, "%s", old);
	setenv("LANGUAGE", rbm_lang_tag(lang), 1);
	++_nl_msg_cat_cntr;
	const char *s = dgettext(DOMAIN, msgid); /* points into the mapped catalogue: stays valid */
	if (old)
		setenv("LANGUAGE", saved, 1);
	else
		unsetenv("LANGUAGE");
	++_nl_msg_cat_cntr;
	pthread_mutex_unlock(&lock);
	return s;
}
