/*
 * rbm.c - names and messages for result codes; the language table.
 */
#include "rbm.h"

#include <string.h>

const char *rbm_rc_name(enum rbm_rc rc)
{
	switch (rc) {
	case RBM_OK: return "RBM_OK";
	case RBM_EINVAL: return "RBM_EINVAL";
	case RBM_ENOENT: return "RBM_ENOENT";
	case RBM_EIO: return "RBM_EIO";
	case RBM_ESTORE: return "RBM_ESTORE";
	case RBM_ETOOBIG: return "RBM_ETOOBIG";
	case RBM_ECONFLICT: return "RBM_ECONFLICT";
	case RBM_EVERSION: return "RBM_EVERSION";
	case RBM_ENOMEM: return "RBM_ENOMEM";
	}
	return "RBM_UNKNOWN";
}

const char *rbm_rc_str(enum rbm_rc rc)
{
	switch (rc) {
	case RBM_OK: return "success";
	case RBM_EINVAL: return "invalid input";
	case RBM_ENOENT: return "not found";
	case RBM_EIO: return "input/output error";
	case RBM_ESTORE: return "database error";
	case RBM_ETOOBIG: return "input too large";
	case RBM_ECONFLICT: return "conflict";
	case RBM_EVERSION: return "incompatible database version";
	case RBM_ENOMEM: return "out of memory";
	}
	return "unknown error";
}

static const struct {
	const char *tag;
	const char *name;
} langs[RBM_LANG_COUNT] = {
	[RBM_LANG_AR] = {"ar", "العربية"},
	[RBM_LANG_ZH] = {"zh", "中文"},
	[RBM_LANG_EN] = {"en", "English"},
	[RBM_LANG_FR] = {"fr", "Français"},
	[RBM_LANG_RU] = {"ru", "Русский"},
	[RBM_LANG_ES] = {"es", "Español"},
};

const char *rbm_lang_tag(enum rbm_lang lang)
{
	return (unsigned)lang < RBM_LANG_COUNT ? langs[lang].tag : "??";
}

const char *rbm_lang_name(enum rbm_lang lang)
{
	return (unsigned)lang < RBM_LANG_COUNT ? langs[lang].name : "??";
}

bool rbm_lang_parse(const char *tag, enum rbm_lang *out)
{
	if (tag == NULL)
		return false;
	for (int i = 0; i < RBM_LANG_COUNT; i++) {
		if (strcmp(tag, langs[i].tag) == 0) {
			*out = (enum rbm_lang)i;
			return true;
		}
	}
	return false;
}
