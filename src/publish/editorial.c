/*
 * editorial.c - storing and reading report text.
 */
#include "editorial.h"

#include "../core/alloc.h"
#include "../core/fs.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void rbm_editorial_hash(const char *text, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static enum rbm_rc english(struct rbm_store *s, const char *report, int cycle, const char *key,
			   char **out, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	*out = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT body FROM editorial WHERE report = ? AND cycle = ? "
					    "AND key = ? AND lang = 'en'", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, report);
	rbm_query_bind_int(q, 2, cycle);
	rbm_query_bind_text(q, 3, key);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		*out = rbm_xstrdup(rbm_query_text(q, 0));
	rbm_query_free(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

enum rbm_rc rbm_editorial_set(struct rbm_store *s, const char *report, int cycle, const char *key,
			      enum rbm_lang lang, const char *text, const char *actor,
			      struct rbm_diag *d)
{
	char hash[65] = "", now[21];
	char *en = NULL;
	enum rbm_rc rc = RBM_OK;
	if (lang != RBM_LANG_EN) {
		rc = english(s, report, cycle, key, &en, d);
		if (rc != RBM_OK)
			return rc;
		if (en)
			rbm_editorial_hash(en, hash);
		free(en);
	}
	rbm_store_now(now);
	struct rbm_query *q = NULL;
	rc = rbm_store_query(s, "INSERT INTO editorial(report, cycle, key, lang, body, source_hash, "
				"updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?) "
				"ON CONFLICT(report, cycle, key, lang) DO UPDATE SET body = excluded.body, "
				"source_hash = excluded.source_hash, updated_at = excluded.updated_at, "
				"updated_by = excluded.updated_by WHERE editorial.body <> excluded.body "
				"OR coalesce(editorial.source_hash, '') <> coalesce(excluded.source_hash, '')",
			     &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, report);
	rbm_query_bind_int(q, 2, cycle);
	rbm_query_bind_text(q, 3, key);
	rbm_query_bind_text(q, 4, rbm_lang_tag(lang));
	rbm_query_bind_text(q, 5, text);
	rbm_query_bind_text(q, 6, hash[0] ? hash : NULL);
	rbm_query_bind_text(q, 7, now);
	rbm_query_bind_text(q, 8, actor);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_editorial_get(struct rbm_store *s, const char *report, int cycle, const char *key,
			      enum rbm_lang lang, char **text, bool *stale, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	*text = NULL;
	*stale = false;
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT t.body, t.source_hash, e.body FROM editorial t LEFT JOIN editorial e "
		   "ON e.report = t.report AND e.cycle = t.cycle AND e.key = t.key AND e.lang = 'en' "
		   "WHERE t.report = ? AND t.cycle = ? AND t.key = ? AND t.lang = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, report);
	rbm_query_bind_int(q, 2, cycle);
	rbm_query_bind_text(q, 3, key);
	rbm_query_bind_text(q, 4, rbm_lang_tag(lang));
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK) {
		*text = rbm_xstrdup(rbm_query_text(q, 0));
		if (lang != RBM_LANG_EN && rbm_query_text(q, 2)) {
			char h[65];
			rbm_editorial_hash(rbm_query_text(q, 2), h);
			const char *src = rbm_query_text(q, 1);
			*stale = src == NULL || strcmp(src, h) != 0;
		}
	}
	rbm_query_free(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

enum rbm_rc rbm_editorial_import(struct rbm_store *s, const char *path, const char *actor,
				 size_t *n, struct rbm_diag *d)
{
	char *data = NULL;
	size_t len = 0;
	*n = 0;
	enum rbm_rc rc = rbm_fs_read(path, 16 << 20, &data, &len, d);
	if (rc != RBM_OK)
		return rc;
	json_error_t err;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	free(data);
	if (root == NULL) {
		char where[64];
		snprintf(where, sizeof where, "line %d, column %d", err.line, err.column);
		rbm_diag_add(d, path, where, "invalid JSON: %s", err.text);
		return RBM_EINVAL;
	}
	const char *report = json_string_value(json_object_get(root, "report"));
	json_t *cy = json_object_get(root, "cycle"), *paras = json_object_get(root, "paragraphs");
	if (json_integer_value(json_object_get(root, "rbm_editorial")) != 1 || report == NULL ||
	    !json_is_integer(cy) || !json_is_object(paras)) {
		rbm_diag_add(d, path, "$", "expected {\"rbm_editorial\": 1, \"report\": \"...\", \"cycle\": YEAR, "
					  "\"paragraphs\": {KEY: {LANG: TEXT}}}");
		json_decref(root);
		return RBM_EINVAL;
	}
	size_t before = rbm_diag_count(d);
	const char *key;
	json_t *texts;
	json_object_foreach(paras, key, texts) {
		const char *lk;
		json_t *t;
		if (!json_is_object(texts)) {
			rbm_diag_add(d, path, NULL, "$.paragraphs.%s: expected an object of language to text", key);
			continue;
		}
		json_object_foreach(texts, lk, t) {
			enum rbm_lang l;
			if (!rbm_lang_parse(lk, &l))
				rbm_diag_add(d, path, NULL, "$.paragraphs.%s.%s: unknown language tag \"%s\"", key, lk, lk);
			else if (!json_is_string(t) || json_string_length(t) == 0)
				rbm_diag_add(d, path, NULL, "$.paragraphs.%s.%s: expected a non-empty text", key, lk);
		}
	}
	if (rbm_diag_count(d) > before) {
		json_decref(root);
		return RBM_EINVAL;
	}
	rc = rbm_store_begin(s, d);
	/* English first, so that translations record the hash of their source. */
	for (int pass = 0; rc == RBM_OK && pass < 2; pass++) {
		json_object_foreach(paras, key, texts) {
			const char *lk;
			json_t *t;
			json_object_foreach(texts, lk, t) {
				enum rbm_lang l;
				rbm_lang_parse(lk, &l);
				if ((pass == 0) != (l == RBM_LANG_EN))
					continue;
				rc = rbm_editorial_set(s, report, (int)json_integer_value(cy), key, l,
						       json_string_value(t), actor, d);
				if (rc != RBM_OK)
					break;
				(*n)++;
			}
			if (rc != RBM_OK)
				break;
		}
	}
	if (rc == RBM_OK) {
		char object[128], detail[64];
		snprintf(object, sizeof object, "editorial %s %lld", report, (long long)json_integer_value(cy));
		snprintf(detail, sizeof detail, "%zu texts", *n);
		struct rbm_audit_event e = {actor, "cli", "local", "editorial.import", object, NULL, NULL, NULL, detail};
		rc = rbm_store_audit_append(s, &e, d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	else
		rbm_store_rollback(s);
	json_decref(root);
	return rc;
}
