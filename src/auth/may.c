/*
 * may.c - the authorisation rule: one function that says whether a user
 * may take an action on an office, so that every page, API route and
 * command asks the same question the same way.
 */
#include "auth_int.h"

#include <string.h>

/* True when office (a code) is region or reports through it, up the plan's office tree. */
static bool covers(const struct rbm_plan *p, const char *region, const char *office)
{
	if (p == NULL || office == NULL)
		return false;
	size_t i = rbm_plan_find_office(p, office);
	/* A tree of n offices is at most n deep; the bound guards a malformed plan. */
	for (size_t steps = 0; i != RBM_NONE && i < p->offices_len && steps <= p->offices_len;
	     steps++) {
		if (strcmp(p->offices[i].code, region) == 0)
			return true;
		i = p->offices[i].parent;
	}
	return false;
}

static bool known(const struct rbm_plan *p, const char *office)
{
	return p && office && rbm_plan_find_office(p, office) != RBM_NONE;
}

bool rbm_auth_may(const struct rbm_plan *plan, const struct rbm_user *user, enum rbm_action action,
		  const char *office)
{
	if (action == RBM_ACT_READ_PUBLISHED)
		return true;
	if (user == NULL || user->disabled || (unsigned)action >= RBM_ACT_COUNT)
		return false;
	if (user->role == RBM_AUTH_ADMINISTRATOR)
		return true;
	bool reviews = user->role == RBM_AUTH_REVIEWER &&
		       (user->region == NULL ? true : known(plan, office) && covers(plan, user->region, office));
	bool reports = user->role == RBM_AUTH_REPORTER && user->office && known(plan, office) &&
		       strcmp(user->office, office) == 0;
	switch (action) {
	case RBM_ACT_READ_RESULTS:
		return true;
	case RBM_ACT_READ_SUBMISSION:
		return reports || reviews;
	case RBM_ACT_EDIT_SUBMISSION:
		return reports;
	case RBM_ACT_REVIEW:
		return reviews;
	case RBM_ACT_EDIT_TEXT:
		return user->role == RBM_AUTH_EDITOR;
	default: /* RBM_ACT_ADMIN, and READ_PUBLISHED handled above */
		return false;
	}
}
