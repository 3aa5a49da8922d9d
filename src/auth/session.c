/*
 * session.c - signing in and out: password checks against the Argon2id
 * hash, throttling, sessions held by random tokens of which only a hash is
 * stored, rotated at every sign-in, and the CSRF token each session carries
 * for the forms it submits.
 */
#include "auth_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/*
 * A hash of a password nobody has, at the cost new hashes are made with:
 * checked against when the user does not exist, so that a wrong name takes
 * as long as a wrong password and the timing tells nothing.
 */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$6rCxvBty3CYb2EuL00fCOw$"
	"s+ktm1yOihas8BMqCwPyPMmbZce8jMJPaQ0V7C2JPHM";

/* The longest address kept in a throttling key (an IPv6 address is at most 45). */
#define ADDRESS_MAX 64

static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > RBM_AUTH_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

struct account {
	bool found, disabled;
	long long id;
	char hash[crypto_pwhash_STRBYTES];
};

static enum rbm_rc find_account(struct rbm_store *s, const char *name, struct account *a,
				struct rbm_diag *d)
{
	memset(a, 0, sizeof *a);
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT id, password_hash, disabled FROM users WHERE name = ?",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, name);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK) {
		const char *h = rbm_query_text(q, 1);
		a->found = h && strlen(h) < sizeof a->hash;
		a->id = rbm_query_int(q, 0);
		a->disabled = rbm_query_int(q, 2) != 0;
		if (a->found)
			memcpy(a->hash, h, strlen(h) + 1);
	}
	rbm_query_free(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

static enum rbm_rc exec_id(struct rbm_store *s, const char *sql, long long id, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, sql, &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, id);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

/* Deletes the user's sessions and makes a new one; its tokens into token and csrf. */
static enum rbm_rc new_session(struct rbm_store *s, long long user, const char *address,
			       long long now, char token[RBM_AUTH_TOKEN_SIZE],
			       char csrf[RBM_AUTH_TOKEN_SIZE], struct rbm_diag *d)
{
	char token_hash[RBM_AUTH_TOKEN_SIZE];
	enum rbm_rc rc = exec_id(s, "DELETE FROM sessions WHERE user_id = ?", user, d);
	if (rc != RBM_OK)
		return rc;
	rbm_auth__random_hex(token);
	rbm_auth__random_hex(csrf);
	rbm_auth__token_hash(token, token_hash);
	struct rbm_query *q = NULL;
	rc = rbm_store_query(s, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
				"expires_at, address) VALUES (?,?,?,?,?,?)", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, token_hash);
	rbm_query_bind_int(q, 2, user);
	rbm_query_bind_text(q, 3, csrf);
	rbm_query_bind_int(q, 4, now);
	rbm_query_bind_int(q, 5, now + RBM_AUTH_SESSION_SECONDS);
	rbm_query_bind_text(q, 6, address);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

/* Replaces the user's hash with one at today's cost (the old one was verified). */
static enum rbm_rc rehash(struct rbm_store *s, long long user, const char *hash,
			  struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "UPDATE users SET password_hash = ? WHERE id = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, hash);
	rbm_query_bind_int(q, 2, user);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_auth_sign_in(struct rbm_store *s, const char *name, const char *password,
			     const char *address, long long now,
			     char token_out[RBM_AUTH_TOKEN_SIZE], char csrf_out[RBM_AUTH_TOKEN_SIZE],
			     struct rbm_diag *d)
{
	enum rbm_rc rc = rbm_auth__sodium(d);
	if (rc != RBM_OK)
		return rc;
	name = name ? name : "";
	password = password ? password : "";
	bool valid = name_ok(name);
	char account_key[16 + RBM_AUTH_NAME_MAX], address_key[16 + ADDRESS_MAX];
	snprintf(account_key, sizeof account_key, "account:%s", valid ? name : "");
	snprintf(address_key, sizeof address_key, "address:%.*s", ADDRESS_MAX, address ? address : "");
	bool has_address = address && *address;

	/* Refused first, so that a locked account gets no verdict on its password. */
	long long wait = 0, w = 0;
	if (valid && (rc = rbm_auth__throttle_wait(s, account_key, RBM_AUTH_THROTTLE_ACCOUNT, now, &w,
						   d)) != RBM_OK)
		return rc;
	wait = w;
	w = 0;
	if (has_address && (rc = rbm_auth__throttle_wait(s, address_key, RBM_AUTH_THROTTLE_ADDRESS,
							 now, &w, d)) != RBM_OK)
		return rc;
	if (w > wait)
		wait = w;
	if (wait > 0) {
		long long minutes = (wait + 59) / 60;
		rbm_diag_add(d, NULL, NULL, "too many attempts; try again in %lld minute%s", minutes,
			     minutes == 1 ? "" : "s");
		return RBM_ECONFLICT;
	}

	struct account a;
	if (valid && (rc = find_account(s, name, &a, d)) != RBM_OK)
		return rc;
	if (!valid)
		memset(&a, 0, sizeof a);
	size_t len = strlen(password);
	bool ok = false;
	if (a.found && len <= RBM_AUTH_PASSWORD_MAX)
		ok = crypto_pwhash_str_verify(a.hash, password, len) == 0;
	else { /* as slow as a real check; the verdict is no whatever it says */
		int burn = crypto_pwhash_str_verify(dummy_hash, password,
						    len <= RBM_AUTH_PASSWORD_MAX ? len : RBM_AUTH_PASSWORD_MAX);
		(void)burn;
	}
	char fresh[crypto_pwhash_STRBYTES] = "";
	if (ok && crypto_pwhash_str_needs_rehash(a.hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
						 crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
	    crypto_pwhash_str(fresh, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		fresh[0] = '\0'; /* keep the old hash; try again next time */

	char token[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	enum rbm_rc verdict = RBM_OK;
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		goto out;
	rc = rbm_auth__prune(s, now, d);
	if (rc == RBM_OK && !ok) {
		if (valid)
			rc = rbm_auth__throttle_fail(s, account_key, now, d);
		if (rc == RBM_OK && has_address)
			rc = rbm_auth__throttle_fail(s, address_key, now, d);
		verdict = RBM_EINVAL;
	} else if (rc == RBM_OK && a.disabled) {
		verdict = RBM_EINVAL;
	} else if (rc == RBM_OK) {
		rc = rbm_auth__throttle_clear(s, account_key, d);
		if (rc == RBM_OK && fresh[0])
			rc = rehash(s, a.id, fresh, d);
		if (rc == RBM_OK)
			rc = new_session(s, a.id, has_address ? address : NULL, now, token, csrf, d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		goto out;
	}
	if (verdict != RBM_OK) {
		if (!ok)
			rbm_diag_add(d, NULL, NULL, "wrong user name or password");
		else
			rbm_diag_add(d, NULL, NULL, "the account \"%s\" is disabled; ask an administrator",
				     name);
		rc = verdict;
		goto out;
	}
	memcpy(token_out, token, RBM_AUTH_TOKEN_SIZE);
	memcpy(csrf_out, csrf, RBM_AUTH_TOKEN_SIZE);
out:
	sodium_memzero(token, sizeof token);
	sodium_memzero(&a, sizeof a);
	sodium_memzero(fresh, sizeof fresh);
	return rc;
}

enum rbm_rc rbm_auth_session(struct rbm_store *s, const char *token, long long now,
			     struct rbm_user *out, char csrf_out[RBM_AUTH_TOKEN_SIZE],
			     struct rbm_diag *d)
{
	if (!rbm_auth__is_hex(token, RBM_AUTH_TOKEN_SIZE - 1)) {
		rbm_diag_add(d, NULL, NULL, "no such session; sign in again");
		return RBM_ENOENT;
	}
	char hash[RBM_AUTH_TOKEN_SIZE];
	rbm_auth__token_hash(token, hash);
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " RBM_AUTH__USER_COLS ", s.expires_at, s.csrf "
					    "FROM sessions s JOIN users u ON u.id = s.user_id "
					    "WHERE s.token_hash = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, hash);
	rc = rbm_query_step(q, d);
	if (rc == RBM_ENOENT) {
		rbm_diag_add(d, NULL, NULL, "no such session; sign in again");
	} else if (rc == RBM_OK && rbm_query_int(q, 6) <= now) {
		rbm_diag_add(d, NULL, NULL, "the session has expired; sign in again");
		rc = RBM_ENOENT;
	} else if (rc == RBM_OK && rbm_query_int(q, 5) != 0) {
		rbm_diag_add(d, NULL, NULL, "the account \"%s\" is disabled", rbm_query_text(q, 0));
		rc = RBM_ENOENT;
	} else if (rc == RBM_OK) {
		const char *csrf = rbm_query_text(q, 7);
		rbm_auth__read_user(q, 0, out);
		if (csrf_out)
			snprintf(csrf_out, RBM_AUTH_TOKEN_SIZE, "%s", csrf ? csrf : "");
	}
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_auth_sign_out(struct rbm_store *s, const char *token, struct rbm_diag *d)
{
	if (!rbm_auth__is_hex(token, RBM_AUTH_TOKEN_SIZE - 1))
		return RBM_OK;
	char hash[RBM_AUTH_TOKEN_SIZE];
	rbm_auth__token_hash(token, hash);
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_begin(s, d);
	if (rc != RBM_OK)
		return rc;
	rc = rbm_store_query(s, "DELETE FROM sessions WHERE token_hash = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, hash);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	return rc;
}

enum rbm_rc rbm_auth_csrf_check(struct rbm_store *s, const char *token, const char *csrf,
				struct rbm_diag *d)
{
	if (!rbm_auth__is_hex(token, RBM_AUTH_TOKEN_SIZE - 1)) {
		rbm_diag_add(d, NULL, NULL, "no such session; sign in again");
		return RBM_ENOENT;
	}
	char hash[RBM_AUTH_TOKEN_SIZE], stored[RBM_AUTH_TOKEN_SIZE] = "";
	rbm_auth__token_hash(token, hash);
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT csrf FROM sessions WHERE token_hash = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, hash);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK && rbm_query_text(q, 0))
		snprintf(stored, sizeof stored, "%s", rbm_query_text(q, 0));
	rbm_query_free(q);
	if (rc == RBM_ENOENT)
		rbm_diag_add(d, NULL, NULL, "no such session; sign in again");
	if (rc != RBM_OK)
		return rc;
	const size_t n = RBM_AUTH_TOKEN_SIZE - 1;
	/* Lengths are no secret; the contents are compared in constant time. */
	if (csrf == NULL || strlen(csrf) != n || strlen(stored) != n ||
	    sodium_memcmp(stored, csrf, n) != 0) {
		rbm_diag_add(d, NULL, NULL,
			     "the form's security token does not match; reload the page and try again");
		return RBM_EINVAL;
	}
	return RBM_OK;
}
