/*
 * throttle.c - slowing down password guessing: failed sign-ins are counted
 * per account and per address over a sliding window, and a key past its
 * allowance is refused until enough of its failures have aged out.
 */
#include "auth_int.h"

/* Runs sql, binding text to 1 (when not NULL) and num to the next placeholder. */
static enum rbm_rc exec(struct rbm_store *s, const char *sql, const char *text, long long num,
			bool with_num, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, sql, &q, d);
	if (rc != RBM_OK)
		return rc;
	int i = 1;
	if (text)
		rbm_query_bind_text(q, i++, text);
	if (with_num)
		rbm_query_bind_int(q, i, num);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_auth__throttle_wait(struct rbm_store *s, const char *key, int max, long long now,
				    long long *wait, struct rbm_diag *d)
{
	/*
	 * The failure that must age out is the (max+1)th newest in the window:
	 * once it has, at most max remain.
	 */
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT at FROM sign_in_attempts WHERE key = ? AND at > ? "
					    "ORDER BY at DESC LIMIT 1 OFFSET ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, key);
	rbm_query_bind_int(q, 2, now - RBM_AUTH_THROTTLE_SECONDS);
	rbm_query_bind_int(q, 3, max);
	rc = rbm_query_step(q, d);
	long long w = 0;
	if (rc == RBM_OK) {
		w = rbm_query_int(q, 0) + RBM_AUTH_THROTTLE_SECONDS - now;
		if (w < 1)
			w = 1;
	}
	rbm_query_free(q);
	if (rc != RBM_OK && rc != RBM_ENOENT)
		return rc;
	*wait = w;
	return RBM_OK;
}

enum rbm_rc rbm_auth__throttle_fail(struct rbm_store *s, const char *key, long long now,
				    struct rbm_diag *d)
{
	return exec(s, "INSERT INTO sign_in_attempts(key, at) VALUES (?, ?)", key, now, true, d);
}

enum rbm_rc rbm_auth__throttle_clear(struct rbm_store *s, const char *key, struct rbm_diag *d)
{
	return exec(s, "DELETE FROM sign_in_attempts WHERE key = ?", key, 0, false, d);
}

enum rbm_rc rbm_auth__prune(struct rbm_store *s, long long now, struct rbm_diag *d)
{
	enum rbm_rc rc = exec(s, "DELETE FROM sign_in_attempts WHERE at <= ?", NULL,
			      now - RBM_AUTH_THROTTLE_SECONDS, true, d);
	if (rc == RBM_OK)
		rc = exec(s, "DELETE FROM sessions WHERE expires_at <= ?", NULL, now, true, d);
	return rc;
}
