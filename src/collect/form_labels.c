/*
 * form_labels.c - the survey's fixed wording: English here, the other five
 * languages in po/LANG.po through gettext (see src/core/i18n.h).
 *
 * The plan supplies the titles of results and indicators; these are the
 * words around them.
 */
#include "collect_int.h"

#include "../core/i18n.h"

/* The msgids; order as enum rbm_label. */
static const char *const labels[RBM_LABEL_COUNT] = {
	[RBM_LABEL_TITLE] = "Results survey %d: %s",
	[RBM_LABEL_NARRATIVE] = "What did your office achieve under this outcome in %d?",
	[RBM_LABEL_NARRATIVE_HINT] = "Write in any of the six UN languages.",
	[RBM_LABEL_LANG] = "In which language is the narrative written?",
	[RBM_LABEL_COUNTRIES] = "In which countries did these results happen?",
	[RBM_LABEL_CITIES] = "In which cities?",
	[RBM_LABEL_PROGRAMMES] = "Which flagship programmes did these results contribute to?",
	[RBM_LABEL_THEMES] = "Which social inclusion issues and cross-cutting themes did they address?",
	[RBM_LABEL_CITIES_OF_HINT] = "Select every city that counts.",
	[RBM_LABEL_HINT_PEOPLE] = "Number of people (whole number, 0 or more)",
	[RBM_LABEL_HINT_PERCENT] = "Percentage, 0 to 100",
	[RBM_LABEL_HINT_NUMBER] = "Number",
	[RBM_LABEL_HINT_CURRENCY] = "Amount in %s",
	[RBM_LABEL_HINT_YESNO] = "Yes or no",
	[RBM_LABEL_MSG_PEOPLE] = "Enter a whole number, 0 or more.",
	[RBM_LABEL_MSG_PERCENT] = "Enter a percentage from 0 to 100.",
	[RBM_LABEL_MSG_NONNEG] = "Enter a number, 0 or more.",
	[RBM_LABEL_YES] = "Yes",
	[RBM_LABEL_NO] = "No",
};

const char *rbm_collect__label(enum rbm_label key, enum rbm_lang lang)
{
	return rbm_i18n_gettext(lang, labels[key]);
}
