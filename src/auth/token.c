/*
 * token.c - API tokens: long-lived bearer tokens for programs that call
 * rbm's API as a user. A token is "rbm_" and 64 random hex digits (the
 * prefix lets secret scanners spot a leaked one); only its hash is stored,
 * so it is shown once, when made.
 */
#include "auth_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define PREFIX_LEN (sizeof RBM_AUTH_API_TOKEN_PREFIX - 1)

enum rbm_rc rbm_auth_token_create(struct rbm_store *s, const char *name, const char *label,
				  const struct rbm_actor *who,
				  char token_out[RBM_AUTH_API_TOKEN_SIZE], struct rbm_diag *d)
{
	enum rbm_rc rc = rbm_auth__sodium(d);
	if (rc != RBM_OK)
		return rc;
	if (label && strlen(label) > 200) {
		rbm_diag_add(d, NULL, NULL, "the label is too long: at most 200 bytes");
		return RBM_EINVAL;
	}
	char token[RBM_AUTH_API_TOKEN_SIZE], hash[RBM_AUTH_TOKEN_SIZE], now[21], object[96];
	memcpy(token, RBM_AUTH_API_TOKEN_PREFIX, PREFIX_LEN);
	rbm_auth__random_hex(token + PREFIX_LEN);
	rbm_auth__token_hash(token, hash);
	rbm_store_now(now);
	snprintf(object, sizeof object, "user %s", name ? name : "");

	struct rbm_user u = {0};
	struct rbm_query *q = NULL;
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		goto out;
	rc = rbm_auth_user_get(s, name, &u, d);
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO api_tokens(token_hash, user_id, label, created_at) "
					"SELECT ?, id, ?, ? FROM users WHERE name = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, hash);
		rbm_query_bind_text(q, 2, label && *label ? label : NULL);
		rbm_query_bind_text(q, 3, now);
		rbm_query_bind_text(q, 4, name);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
	}
	struct rbm_audit_event e;
	rbm_auth__event(&e, who, "token.create", object, label && *label ? label : NULL);
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	else
		memcpy(token_out, token, sizeof token);
out:
	rbm_auth_user_cleanup(&u);
	sodium_memzero(token, sizeof token);
	return rc;
}

enum rbm_rc rbm_auth_token_check(struct rbm_store *s, const char *bearer, long long now,
				 struct rbm_user *out, struct rbm_diag *d)
{
	if (bearer == NULL || strncmp(bearer, RBM_AUTH_API_TOKEN_PREFIX, PREFIX_LEN) != 0 ||
	    !rbm_auth__is_hex(bearer + PREFIX_LEN, RBM_AUTH_TOKEN_SIZE - 1)) {
		rbm_diag_add(d, NULL, NULL, "unknown API token");
		return RBM_ENOENT;
	}
	char hash[RBM_AUTH_TOKEN_SIZE];
	rbm_auth__token_hash(bearer, hash);
	struct rbm_query *q = NULL;
	struct rbm_user u = {0};
	long long id = 0;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " RBM_AUTH__USER_COLS ", t.id FROM api_tokens t "
					    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, hash);
	rc = rbm_query_step(q, d);
	if (rc == RBM_ENOENT) {
		rbm_diag_add(d, NULL, NULL, "unknown API token");
	} else if (rc == RBM_OK && rbm_query_int(q, 5) != 0) {
		rbm_diag_add(d, NULL, NULL, "the account \"%s\" is disabled", rbm_query_text(q, 0));
		rc = RBM_ENOENT;
	} else if (rc == RBM_OK) {
		rbm_auth__read_user(q, 0, &u);
		id = rbm_query_int(q, 6);
	}
	rbm_query_free(q);
	q = NULL;
	if (rc != RBM_OK)
		return rc;
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		goto out;
	rc = rbm_store_query(s, "UPDATE api_tokens SET last_used = ? WHERE id = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_int(q, 1, now);
		rbm_query_bind_int(q, 2, id);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
out:
	if (rc == RBM_OK)
		*out = u;
	else
		rbm_auth_user_cleanup(&u);
	return rc;
}
