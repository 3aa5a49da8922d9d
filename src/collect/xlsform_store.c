/*
 * xlsform_store.c - keeping an organisation's own XLSForm in the database.
 */
#include "collect.h"

#include "../core/alloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *texts(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, str_or_null(v ? v[i] : NULL));
	return a;
}

/* The form as JSON: settings, languages, questions and choices, in file order. */
static char *definition(const struct rbm_xlsform *x)
{
	json_t *o = json_object();
	json_object_set_new(o, "form_id", str_or_null(x->id));
	json_object_set_new(o, "version", str_or_null(x->version));
	json_object_set_new(o, "title", str_or_null(x->title));
	json_object_set_new(o, "default_language", str_or_null(x->default_language));
	json_object_set_new(o, "languages", texts(x->langs, x->langs_len));
	json_t *qs = json_array();
	for (size_t i = 0; i < x->questions_len; i++) {
		const struct rbm_xlsform_question *q = &x->questions[i];
		json_t *j = json_object();
		json_object_set_new(j, "row", json_integer((json_int_t)q->row));
		json_object_set_new(j, "depth", json_integer(q->depth));
		json_object_set_new(j, "type", str_or_null(q->type));
		json_object_set_new(j, "name", str_or_null(q->name));
		json_object_set_new(j, "list", str_or_null(q->list));
		json_object_set_new(j, "labels", texts(q->labels, x->langs_len));
		json_object_set_new(j, "hints", texts(q->hints, x->langs_len));
		json_object_set_new(j, "constraint_messages", texts(q->constraint_messages, x->langs_len));
		json_object_set_new(j, "required", str_or_null(q->required));
		json_object_set_new(j, "constraint", str_or_null(q->constraint));
		json_object_set_new(j, "relevant", str_or_null(q->relevant));
		json_object_set_new(j, "calculation", str_or_null(q->calculation));
		json_object_set_new(j, "appearance", str_or_null(q->appearance));
		json_object_set_new(j, "repeat_count", str_or_null(q->repeat_count));
		json_array_append_new(qs, j);
	}
	json_object_set_new(o, "questions", qs);
	json_t *cs = json_array();
	for (size_t i = 0; i < x->choices_len; i++) {
		const struct rbm_xlsform_choice *c = &x->choices[i];
		json_t *j = json_object();
		json_object_set_new(j, "list", str_or_null(c->list));
		json_object_set_new(j, "name", str_or_null(c->name));
		json_object_set_new(j, "labels", texts(c->labels, x->langs_len));
		json_array_append_new(cs, j);
	}
	json_object_set_new(o, "choices", cs);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	char *r = rbm_xstrdup(s);
	free(s);
	return r;
}

enum rbm_rc rbm_collect_xlsform_store(struct rbm_store *s, const struct rbm_xlsform *x,
				      const char *source, const struct rbm_actor *who,
				      bool *changed, struct rbm_diag *d)
{
	const char *id = x->id ? x->id : "", *version = x->version ? x->version : "";
	char *def = definition(x);
	struct rbm_query *q = NULL;
	*changed = false;
	enum rbm_rc rc = rbm_store_begin(s, d);
	if (rc != RBM_OK) {
		free(def);
		return rc;
	}
	rc = rbm_store_query(s, "SELECT definition FROM forms WHERE form_id = ? AND version = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, id);
		rbm_query_bind_text(q, 2, version);
		rc = rbm_query_step(q, d);
		if (rc == RBM_OK) {
			if (strcmp(rbm_query_text(q, 0), def) != 0) {
				rbm_diag_add(d, source, NULL,
					     "form %s version %s is stored already with other questions; "
					     "give the changed form a new version in its settings sheet",
					     id, version);
				rc = RBM_ECONFLICT;
			} else {
				rc = RBM_OK; /* the same form: nothing to do */
				rbm_query_free(q);
				q = NULL;
				goto out;
			}
		} else if (rc == RBM_ENOENT) {
			rc = RBM_OK;
			*changed = true;
		}
		rbm_query_free(q);
		q = NULL;
	}
	char now[21];
	rbm_store_now(now);
	if (rc == RBM_OK && *changed)
		rc = rbm_store_query(s, "INSERT INTO forms(form_id, version, title, source, definition, "
					"imported_at) VALUES (?,?,?,?,?,?)", &q, d);
	if (rc == RBM_OK && *changed) {
		rbm_query_bind_text(q, 1, id);
		rbm_query_bind_text(q, 2, version);
		rbm_query_bind_text(q, 3, x->title);
		rbm_query_bind_text(q, 4, source);
		rbm_query_bind_text(q, 5, def);
		rbm_query_bind_text(q, 6, now);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
		q = NULL;
		char object[256];
		snprintf(object, sizeof object, "form %s version %s", id, version);
		struct rbm_audit_event e = {who->user, who->channel, who->address, "form.import", object,
					    NULL, NULL, NULL, source};
		if (rc == RBM_OK)
			rc = rbm_store_audit_append(s, &e, d);
	}
out:
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		*changed = false;
	}
	free(def);
	return rc;
}
