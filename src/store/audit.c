/*
 * audit.c - the append-only, hash-chained audit log (any back-end).
 *
 * Each row's hash is SHA-256 over the previous row's hash and the row's own
 * fields, so editing or removing a row breaks every hash after it, and
 * 'rbm audit verify' finds the first broken row. The back-end's triggers
 * (or rules) refuse UPDATE and DELETE on the table as well.
 */
#include "store.h"

#include "../core/alloc.h"
#include "../core/buf.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

void rbm_store_now(char out[21])
{
	const char *env = getenv("RBM_NOW");
	if (env && strlen(env) == 20) {
		memcpy(out, env, 21);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void field(struct rbm_buf *b, const char *s)
{
	/* Length-prefixed, so that no two rows serialise alike. */
	if (s == NULL) {
		rbm_buf_adds(b, "-1:");
		return;
	}
	rbm_buf_addf(b, "%zu:%s", strlen(s), s);
}

static void row_hash(const char *prev, const char *at, const struct rbm_audit_event *e,
		     char out[65])
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	field(&b, prev);
	field(&b, at);
	field(&b, e->actor);
	field(&b, e->channel);
	field(&b, e->address);
	field(&b, e->action);
	field(&b, e->object);
	field(&b, e->office);
	field(&b, e->before);
	field(&b, e->after);
	field(&b, e->detail);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)rbm_buf_str(&b), b.len);
	sodium_bin2hex(out, 65, h, sizeof h);
	rbm_buf_free(&b);
}

enum rbm_rc rbm_store_audit_append(struct rbm_store *s, const struct rbm_audit_event *e,
				   struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	char prev[65] = GENESIS, at[21], hash[65];
	enum rbm_rc rc = rbm_store_query(s, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK && rbm_query_text(q, 0))
		snprintf(prev, sizeof prev, "%s", rbm_query_text(q, 0));
	rbm_query_free(q);
	if (rc != RBM_OK && rc != RBM_ENOENT)
		return rc;
	rbm_store_now(at);
	row_hash(prev, at, e, hash);
	rc = rbm_store_query(s, "INSERT INTO audit_log(at, actor, channel, address, action, object, "
				"office, before_hash, after_hash, detail, prev, hash) "
				"VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", &q, d);
	if (rc != RBM_OK)
		return rc;
	const char *v[] = {at, e->actor, e->channel, e->address, e->action, e->object,
			   e->office, e->before, e->after, e->detail, prev, hash};
	for (int i = 0; i < 12; i++)
		rbm_query_bind_text(q, i + 1, v[i]);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? rbm_xstrdup(s) : NULL;
}

enum rbm_rc rbm_store_audit_list(struct rbm_store *s, const char *since, const char *office,
				 struct rbm_audit_row **out, size_t *out_len, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT id, at, actor, channel, address, action, object, office, before_hash, "
		   "after_hash, detail, prev, hash FROM audit_log "
		   "WHERE (CAST(? AS TEXT) IS NULL OR at >= ?) AND (CAST(? AS TEXT) IS NULL OR office = ?) "
		   "ORDER BY id", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, since);
	rbm_query_bind_text(q, 2, since);
	rbm_query_bind_text(q, 3, office);
	rbm_query_bind_text(q, 4, office);
	struct rbm_audit_row *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		struct rbm_audit_row *r = &v[n++];
		r->id = rbm_query_int(q, 0);
		char **f[] = {&r->at,     &r->actor, &r->channel, &r->address, &r->action, &r->object,
			      &r->office, &r->before, &r->after, &r->detail,  &r->prev,   &r->hash};
		for (int i = 0; i < 12; i++)
			*f[i] = dup_or_null(rbm_query_text(q, i + 1));
	}
	rbm_query_free(q);
	if (rc != RBM_ENOENT) {
		rbm_store_audit_rows_free(v, n);
		return rc;
	}
	*out = v;
	*out_len = n;
	return RBM_OK;
}

void rbm_store_audit_rows_free(struct rbm_audit_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct rbm_audit_row *r = &v[i];
		char *f[] = {r->at,     r->actor, r->channel, r->address, r->action, r->object,
			     r->office, r->before, r->after, r->detail,  r->prev,   r->hash};
		for (int k = 0; k < 12; k++)
			free(f[k]);
	}
	free(v);
}

enum rbm_rc rbm_store_audit_verify(struct rbm_store *s, size_t *count, long long *bad,
				   struct rbm_diag *d)
{
	struct rbm_audit_row *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_store_audit_list(s, NULL, NULL, &v, &n, d);
	if (rc != RBM_OK)
		return rc;
	const char *prev = GENESIS;
	*count = n;
	for (size_t i = 0; i < n; i++) {
		struct rbm_audit_row *r = &v[i];
		struct rbm_audit_event e = {r->actor,  r->channel, r->address, r->action, r->object,
					    r->office, r->before,  r->after,   r->detail};
		char hash[65];
		row_hash(prev, r->at, &e, hash);
		if (r->prev == NULL || strcmp(r->prev, prev) != 0 || r->hash == NULL ||
		    strcmp(r->hash, hash) != 0) {
			*bad = r->id;
			rbm_diag_add(d, NULL, NULL,
				     "audit log row %lld (%s %s) does not match its hash: the log was "
				     "altered at or before this row",
				     r->id, r->action ? r->action : "?", r->object ? r->object : "?");
			rc = RBM_ECONFLICT;
			break;
		}
		prev = r->hash;
	}
	rbm_store_audit_rows_free(v, n);
	return rc;
}
