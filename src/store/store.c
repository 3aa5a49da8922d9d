/*
 * store.c - choosing a storage back-end and forwarding to it.
 */
#include "store_int.h"

#include "../core/alloc.h"

#include <stdlib.h>
#include <string.h>

enum rbm_rc rbm_store_open(const char *url, int flags, struct rbm_store **out,
			   struct rbm_diag *d)
{
	const struct rbm_store_ops *ops = &rbm_store__sqlite_ops;
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		rbm_diag_add(d, NULL, NULL,
			     "%s: this rbm has no PostgreSQL back-end yet; use a SQLite file path", url);
		return RBM_EINVAL;
	}
	void *impl = NULL;
	enum rbm_rc rc = ops->open(url, flags, &impl, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_store *s = rbm_xmalloc(sizeof *s);
	s->ops = ops;
	s->impl = impl;
	*out = s;
	return RBM_OK;
}

void rbm_store_close(struct rbm_store *s)
{
	if (s == NULL)
		return;
	s->ops->close(s->impl);
	free(s);
}

int rbm_store_schema_latest(void)
{
	return RBM_STORE__SCHEMA_LATEST;
}

enum rbm_rc rbm_store_schema_version(struct rbm_store *s, int *out, struct rbm_diag *d)
{
	return s->ops->schema_version(s->impl, out, d);
}

enum rbm_rc rbm_store_migrate(struct rbm_store *s, int target, struct rbm_diag *d)
{
	return s->ops->migrate(s->impl, target, d);
}

enum rbm_rc rbm_store_put_places(struct rbm_store *s, const struct rbm_places *places,
				 struct rbm_diag *d)
{
	return s->ops->put_places(s->impl, places, d);
}

enum rbm_rc rbm_store_get_places(struct rbm_store *s, struct rbm_places **out,
				 struct rbm_diag *d)
{
	return s->ops->get_places(s->impl, out, d);
}

enum rbm_rc rbm_store_put_plan(struct rbm_store *s, const struct rbm_plan *plan, bool replace,
			       bool *changed, struct rbm_diag *d)
{
	return s->ops->put_plan(s->impl, plan, replace, changed, d);
}

enum rbm_rc rbm_store_get_plan(struct rbm_store *s, const char *code, struct rbm_plan **out,
			       struct rbm_diag *d)
{
	return s->ops->get_plan(s->impl, code, out, d);
}
