/*
 * user.c - users: the rules for names and passwords, adding a user with a
 * role (and the office or region the role is scoped to), setting a
 * password, and reading users back. Passwords are hashed with Argon2id.
 */
#include "auth_int.h"

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum rbm_rc rbm_auth_check_name(const char *name, struct rbm_diag *d)
{
	size_t n = name ? strlen(name) : 0;
	bool ok = n >= 1 && n <= RBM_AUTH_NAME_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		char c = name[i];
		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		     c == '-';
	}
	if (ok)
		return RBM_OK;
	if (n > RBM_AUTH_NAME_MAX)
		rbm_diag_add(d, NULL, NULL, "user name too long: at most %d characters of a-z, 0-9, '.', '_' and '-'",
			     RBM_AUTH_NAME_MAX);
	else
		rbm_diag_add(d, NULL, NULL,
			     "user name \"%s\": use 1 to %d characters of a-z, 0-9, '.', '_' and '-'",
			     name ? name : "", RBM_AUTH_NAME_MAX);
	return RBM_EINVAL;
}

enum rbm_rc rbm_auth_check_password(const char *password, struct rbm_diag *d)
{
	size_t n = password ? strlen(password) : 0;
	if (n > RBM_AUTH_PASSWORD_MAX) {
		rbm_diag_add(d, NULL, NULL, "the password is too long: at most %d bytes",
			     RBM_AUTH_PASSWORD_MAX);
		return RBM_EINVAL;
	}
	if (!rbm_utf8_valid(password ? password : "", n, NULL)) {
		rbm_diag_add(d, NULL, NULL, "the password is not valid UTF-8");
		return RBM_EINVAL;
	}
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)password[i] & 0xC0) != 0x80;
	if (chars < RBM_AUTH_PASSWORD_MIN) {
		rbm_diag_add(d, NULL, NULL, "the password is too short: at least %d characters",
			     RBM_AUTH_PASSWORD_MIN);
		return RBM_EINVAL;
	}
	return RBM_OK;
}

/* Argon2id of password into out, at libsodium's interactive cost. */
static enum rbm_rc hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
				 struct rbm_diag *d)
{
	enum rbm_rc rc = rbm_auth__sodium(d);
	if (rc != RBM_OK)
		return rc;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		rbm_diag_add(d, NULL, NULL, "not enough memory to hash the password");
		return RBM_ENOMEM;
	}
	return RBM_OK;
}

/* The plan's regional offices as "ROAF, ROAP, ..." into b. */
static void regional_offices(const struct rbm_plan *p, struct rbm_buf *b)
{
	for (size_t i = 0; i < p->offices_len; i++)
		if (p->offices[i].kind == RBM_OFFICE_REGIONAL)
			rbm_buf_addf(b, "%s%s", b->len ? ", " : "", p->offices[i].code);
}

/* The office and region rules of role; every problem goes to d. */
static enum rbm_rc check_scope(const struct rbm_plan *p, enum rbm_role role, const char *office,
			       const char *region, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	const char *role_name = rbm_auth_role_name(role);
	if (office && role != RBM_AUTH_REPORTER) {
		rbm_diag_add(d, NULL, NULL, "an office is only for reporters, not for the role %s",
			     role_name);
		rc = RBM_EINVAL;
	}
	if (region && role != RBM_AUTH_REVIEWER) {
		rbm_diag_add(d, NULL, NULL, "a region is only for reviewers, not for the role %s",
			     role_name);
		rc = RBM_EINVAL;
	}
	if (role == RBM_AUTH_REPORTER && (office == NULL || *office == '\0')) {
		rbm_diag_add(d, NULL, NULL, "a reporter needs the office it reports for (--office CODE)");
		rc = RBM_EINVAL;
	}
	const char *code = role == RBM_AUTH_REPORTER ? office : role == RBM_AUTH_REVIEWER ? region : NULL;
	if (code == NULL || *code == '\0' || rc != RBM_OK)
		return rc;
	if (p == NULL) {
		rbm_diag_add(d, NULL, NULL, "no plan is loaded to check the office \"%s\" against (see 'rbm init')",
			     code);
		return RBM_EINVAL;
	}
	size_t i = rbm_plan_find_office(p, code);
	if (i == RBM_NONE) {
		rbm_diag_add(d, NULL, NULL, "unknown office \"%s\" (see 'rbm offices list')", code);
		return RBM_EINVAL;
	}
	if (role == RBM_AUTH_REVIEWER && p->offices[i].kind != RBM_OFFICE_REGIONAL) {
		struct rbm_buf b;
		rbm_buf_init(&b, 4096);
		regional_offices(p, &b);
		rbm_diag_add(d, NULL, NULL, "\"%s\" is not a regional office; a reviewer's region is one of: %s",
			     code, b.len ? rbm_buf_str(&b) : "(the plan has none)");
		rbm_buf_free(&b);
		return RBM_EINVAL;
	}
	return RBM_OK;
}

/* The id of user name into *id; RBM_ENOENT (reported) when there is none. */
static enum rbm_rc user_id(struct rbm_store *s, const char *name, long long *id, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT id FROM users WHERE name = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, name);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		*id = rbm_query_int(q, 0);
	else if (rc == RBM_ENOENT)
		rbm_diag_add(d, NULL, NULL, "there is no user \"%s\" (see 'rbm user list')", name);
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_auth_user_add(struct rbm_store *s, const struct rbm_plan *plan, const char *name,
			      enum rbm_role role, const char *office, const char *region,
			      const char *password, const struct rbm_actor *who,
			      struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	if ((unsigned)role >= RBM_AUTH_ROLE_COUNT) {
		rbm_diag_add(d, NULL, NULL, "unknown role %d", (int)role);
		return RBM_EINVAL;
	}
	if (rbm_auth_check_name(name, d) != RBM_OK)
		rc = RBM_EINVAL;
	if (check_scope(plan, role, office, region, d) != RBM_OK)
		rc = RBM_EINVAL;
	if (rbm_auth_check_password(password, d) != RBM_OK)
		rc = RBM_EINVAL;
	if (rc != RBM_OK)
		return rc;
	if (region && *region == '\0')
		region = NULL;

	char hash[crypto_pwhash_STRBYTES];
	struct rbm_query *q = NULL;
	char now[21], object[96], detail[160];
	if ((rc = hash_password(password, hash, d)) != RBM_OK)
		return rc;
	rbm_store_now(now);
	snprintf(object, sizeof object, "user %s", name);
	if (role == RBM_AUTH_REPORTER)
		snprintf(detail, sizeof detail, "role reporter, office %s", office);
	else if (role == RBM_AUTH_REVIEWER)
		snprintf(detail, sizeof detail, "role reviewer, %s%s", region ? "region " : "every region",
			 region ? region : "");
	else
		snprintf(detail, sizeof detail, "role %s", rbm_auth_role_name(role));

	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		return rc;
	rc = rbm_store_query(s, "SELECT count(*) FROM users WHERE name = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, name);
		rc = rbm_query_step(q, d);
		if (rc == RBM_OK && rbm_query_int(q, 0) > 0) {
			rbm_diag_add(d, NULL, NULL,
				     "the user \"%s\" exists already (see 'rbm user list'; "
				     "'rbm user passwd %s' sets a new password)",
				     name, name);
			rc = RBM_ECONFLICT;
		}
		rbm_query_free(q);
		q = NULL;
	}
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO users(name, role, office, region, password_hash, "
					"created_at) VALUES (?,?,?,?,?,?)", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, name);
		rbm_query_bind_text(q, 2, rbm_auth_role_name(role));
		rbm_query_bind_text(q, 3, role == RBM_AUTH_REPORTER ? office : NULL);
		rbm_query_bind_text(q, 4, role == RBM_AUTH_REVIEWER ? region : NULL);
		rbm_query_bind_text(q, 5, hash);
		rbm_query_bind_text(q, 6, now);
		rc = rbm_query_exec(q, d);
	}
	rbm_query_free(q);
	struct rbm_audit_event e;
	rbm_auth__event(&e, who, "user.add", object, detail);
	e.office = role == RBM_AUTH_REPORTER ? office : role == RBM_AUTH_REVIEWER ? region : NULL;
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

enum rbm_rc rbm_auth_passwd(struct rbm_store *s, const char *name, const char *password,
			    const struct rbm_actor *who, struct rbm_diag *d)
{
	enum rbm_rc rc = rbm_auth_check_name(name, d);
	if (rbm_auth_check_password(password, d) != RBM_OK)
		rc = RBM_EINVAL;
	if (rc != RBM_OK)
		return rc;
	char hash[crypto_pwhash_STRBYTES];
	char object[96];
	long long id = 0;
	struct rbm_query *q = NULL;
	/* Look the user up before the slow hash, so a typo fails at once. */
	if ((rc = user_id(s, name, &id, d)) != RBM_OK)
		return rc;
	if ((rc = hash_password(password, hash, d)) != RBM_OK)
		return rc;
	snprintf(object, sizeof object, "user %s", name);
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		goto out;
	rc = rbm_store_query(s, "UPDATE users SET password_hash = ? WHERE id = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, hash);
		rbm_query_bind_int(q, 2, id);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
		q = NULL;
	}
	/* A new password signs the user out everywhere. */
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "DELETE FROM sessions WHERE user_id = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_int(q, 1, id);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
		q = NULL;
	}
	struct rbm_audit_event e;
	rbm_auth__event(&e, who, "user.passwd", object, NULL);
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
out:
	sodium_memzero(hash, sizeof hash);
	return rc;
}

enum rbm_rc rbm_auth_user_get(struct rbm_store *s, const char *name, struct rbm_user *out,
			      struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " RBM_AUTH__USER_COLS " FROM users u WHERE u.name = ?",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, name);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		rbm_auth__read_user(q, 0, out);
	else if (rc == RBM_ENOENT)
		rbm_diag_add(d, NULL, NULL, "there is no user \"%s\" (see 'rbm user list')", name ? name : "");
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_auth_user_list(struct rbm_store *s, struct rbm_user **out, size_t *out_len,
			       struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " RBM_AUTH__USER_COLS " FROM users u ORDER BY u.name",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_user *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		rbm_auth__read_user(q, 0, &v[n++]);
	}
	rbm_query_free(q);
	if (rc != RBM_ENOENT) {
		rbm_auth_users_free(v, n);
		return rc;
	}
	*out = v;
	*out_len = n;
	return RBM_OK;
}
