/*
 * auth.h - who may use rbm and what each may do: users and their roles,
 * passwords, sign-in sessions, CSRF tokens, API tokens, and the one rule
 * that decides whether a user may take an action on an office.
 *
 * Roles:
 *   administrator  the plan, cycles, users; everything below
 *   editor         the editorial text of reports and its translations
 *   reviewer       approves or returns submissions, of one region or of all
 *   reporter       answers the survey for one office
 *   viewer         reads results
 * Anyone, signed in or not, reads published reports.
 *
 * Secrets: passwords are stored only as Argon2id hashes (libsodium's
 * crypto_pwhash_str); session and API tokens only as BLAKE2b hashes
 * (crypto_generichash), so a copy of the database yields no usable
 * credential. Tokens are shown once, when made.
 *
 * Time: functions that need the time take now, in seconds since the Unix
 * epoch, so that tests can move the clock (the web front-end passes
 * time(NULL)).
 *
 * Ownership: a struct rbm_user filled by a function here owns its strings;
 * release them with rbm_auth_user_cleanup(). Token and CSRF outputs are
 * caller-provided arrays. Out-parameters are set only on success.
 */
#ifndef RBM_AUTH_AUTH_H
#define RBM_AUTH_AUTH_H

#include "../collect/collect.h"
#include "../core/diag.h"
#include "../core/rbm.h"
#include "../plan/plan.h"
#include "../store/store.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- limits ---- */

#define RBM_AUTH_NAME_MAX 64           /* bytes of a user name, of [a-z0-9._-] */
#define RBM_AUTH_PASSWORD_MIN 10       /* characters (UTF-8 code points) */
#define RBM_AUTH_PASSWORD_MAX 1024     /* bytes */
#define RBM_AUTH_SESSION_SECONDS (8 * 60 * 60)
#define RBM_AUTH_THROTTLE_SECONDS (15 * 60)
#define RBM_AUTH_THROTTLE_ACCOUNT 5    /* failures allowed per account in the window */
#define RBM_AUTH_THROTTLE_ADDRESS 20   /* failures allowed per address in the window */

/* A session token or CSRF token: 64 lowercase hex digits and a NUL. */
#define RBM_AUTH_TOKEN_SIZE 65
/* An API token: "rbm_" and 64 lowercase hex digits, and a NUL. */
#define RBM_AUTH_API_TOKEN_PREFIX "rbm_"
#define RBM_AUTH_API_TOKEN_SIZE 69

/* ---- roles and actions ---- */

enum rbm_role {
	RBM_AUTH_ADMINISTRATOR,
	RBM_AUTH_EDITOR,
	RBM_AUTH_REVIEWER,
	RBM_AUTH_REPORTER,
	RBM_AUTH_VIEWER,
	RBM_AUTH_ROLE_COUNT
};

/* "administrator", "editor", "reviewer", "reporter", "viewer". */
const char *rbm_auth_role_name(enum rbm_role r);
/* Sets *out and returns true when s is one of the role names. */
bool rbm_auth_role_parse(const char *s, enum rbm_role *out);

enum rbm_action {
	RBM_ACT_READ_PUBLISHED,  /* published reports: anyone, also without signing in */
	RBM_ACT_READ_RESULTS,    /* results and figures: every signed-in user */
	RBM_ACT_READ_SUBMISSION, /* an office's submission: its reporter, its reviewers, admin */
	RBM_ACT_EDIT_SUBMISSION, /* answer an office's survey: its reporter, admin */
	RBM_ACT_REVIEW,          /* approve or return: a reviewer covering the office, admin */
	RBM_ACT_EDIT_TEXT,       /* report text and translations: editor, admin */
	RBM_ACT_ADMIN,           /* plan, cycles, users: admin */
	RBM_ACT_COUNT
};

/* "read-published", "read-results", ... */
const char *rbm_auth_action_name(enum rbm_action a);

/* ---- users ---- */

struct rbm_user {
	char *name;
	enum rbm_role role;
	char *office;   /* a reporter's office code; else NULL */
	char *region;   /* a reviewer's regional office code; NULL: every region */
	char *created_at; /* YYYY-MM-DDTHH:MM:SSZ */
	bool disabled;
};

/* Frees the strings of u (u may be NULL) and zeroes it. */
void rbm_auth_user_cleanup(struct rbm_user *u);
void rbm_auth_users_free(struct rbm_user *v, size_t n);

/*
 * Checks a user name: 1-64 bytes of a-z, 0-9, '.', '_' and '-'. Adds the
 * problem to d and returns RBM_EINVAL when it is not one.
 */
enum rbm_rc rbm_auth_check_name(const char *name, struct rbm_diag *d);
/*
 * Checks a new password: at least RBM_AUTH_PASSWORD_MIN characters of
 * well-formed UTF-8, at most RBM_AUTH_PASSWORD_MAX bytes. RBM_EINVAL.
 */
enum rbm_rc rbm_auth_check_password(const char *password, struct rbm_diag *d);

/*
 * Adds the user name with role and password, audited as "user.add" by who.
 * A reporter needs office, a code of plan's offices; a reviewer may have
 * region, a code of one of plan's regional offices (NULL: every region);
 * other roles take neither. RBM_EINVAL for a bad name, password, office or
 * region (every problem is reported); RBM_ECONFLICT when the name is taken.
 */
enum rbm_rc rbm_auth_user_add(struct rbm_store *s, const struct rbm_plan *plan, const char *name,
			      enum rbm_role role, const char *office, const char *region,
			      const char *password, const struct rbm_actor *who,
			      struct rbm_diag *d);

/*
 * Sets the password of user name, audited as "user.passwd", and signs the
 * user out everywhere (deletes every session). RBM_ENOENT for no such user,
 * RBM_EINVAL for a bad password.
 */
enum rbm_rc rbm_auth_passwd(struct rbm_store *s, const char *name, const char *password,
			    const struct rbm_actor *who, struct rbm_diag *d);

/* Reads the user name into *out. RBM_ENOENT when there is none. */
enum rbm_rc rbm_auth_user_get(struct rbm_store *s, const char *name, struct rbm_user *out,
			      struct rbm_diag *d);
/* Every user, by name, into *out (free with rbm_auth_users_free). */
enum rbm_rc rbm_auth_user_list(struct rbm_store *s, struct rbm_user **out, size_t *out_len,
			       struct rbm_diag *d);

/* ---- sessions ---- */

/*
 * Signs name in with password from address (an IP address; NULL or "" when
 * unknown). Refused with RBM_ECONFLICT, "too many attempts; try again in N
 * minutes", when the account has more than RBM_AUTH_THROTTLE_ACCOUNT failures
 * or the address more than RBM_AUTH_THROTTLE_ADDRESS failures in the last
 * RBM_AUTH_THROTTLE_SECONDS, even when the password is right. A wrong name or
 * password is RBM_EINVAL "wrong user name or password" and counts as a
 * failure for both; a disabled account is RBM_EINVAL too. On success the
 * account's failures are forgotten, the user's earlier sessions are deleted
 * (the session rotates), and a new session lasting RBM_AUTH_SESSION_SECONDS
 * is made: its token (for a cookie) goes to token_out and its CSRF token (for
 * forms) to csrf_out.
 */
enum rbm_rc rbm_auth_sign_in(struct rbm_store *s, const char *name, const char *password,
			     const char *address, long long now,
			     char token_out[RBM_AUTH_TOKEN_SIZE], char csrf_out[RBM_AUTH_TOKEN_SIZE],
			     struct rbm_diag *d);

/*
 * The user whose session token is token, into *out, and the session's CSRF
 * token into csrf_out (may be NULL). RBM_ENOENT when the token is malformed
 * or unknown, the session has expired, or the user is disabled.
 */
enum rbm_rc rbm_auth_session(struct rbm_store *s, const char *token, long long now,
			     struct rbm_user *out, char csrf_out[RBM_AUTH_TOKEN_SIZE],
			     struct rbm_diag *d);

/* Ends the session token; RBM_OK also when there is no such session. */
enum rbm_rc rbm_auth_sign_out(struct rbm_store *s, const char *token, struct rbm_diag *d);

/*
 * Checks that csrf is the CSRF token of the session token, comparing in
 * constant time. RBM_EINVAL when it is not (or either is malformed);
 * RBM_ENOENT when there is no such session.
 */
enum rbm_rc rbm_auth_csrf_check(struct rbm_store *s, const char *token, const char *csrf,
				struct rbm_diag *d);

/* ---- API tokens ---- */

/*
 * Makes an API token for user name, with label (may be NULL) to tell tokens
 * apart, audited as "token.create" by who. The token goes to token_out; only
 * its hash is stored. RBM_ENOENT for no such user.
 */
enum rbm_rc rbm_auth_token_create(struct rbm_store *s, const char *name, const char *label,
				  const struct rbm_actor *who,
				  char token_out[RBM_AUTH_API_TOKEN_SIZE], struct rbm_diag *d);

/*
 * The user an API client is, from its bearer token, into *out; records now as
 * the token's last use. RBM_ENOENT when the token is malformed or unknown, or
 * its user is disabled.
 */
enum rbm_rc rbm_auth_token_check(struct rbm_store *s, const char *bearer, long long now,
				 struct rbm_user *out, struct rbm_diag *d);

/* ---- authorisation ---- */

/*
 * True when user (NULL: someone not signed in) may take action on office (a
 * code of plan's offices; ignored by actions not about one office). A
 * reviewer with a region covers the region's office and every office that
 * reports through it (found by walking plan's office parents); a reviewer
 * without one covers every office. For office actions, office NULL or
 * unknown to plan is allowed only to administrators (and, for REVIEW and
 * READ_SUBMISSION, to reviewers of every region). A disabled user may do
 * nothing a signed-in user may.
 */
bool rbm_auth_may(const struct rbm_plan *plan, const struct rbm_user *user, enum rbm_action action,
		  const char *office);

#endif
