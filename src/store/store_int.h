/*
 * store_int.h - what a storage back-end implements (private to src/store/).
 *
 * store.c picks a back-end from the URL and forwards every call through
 * struct rbm_store_ops, like SQLite's VFS or curl's TLS back-ends.
 */
#ifndef RBM_STORE_STORE_INT_H
#define RBM_STORE_STORE_INT_H

#include "store.h"

struct rbm_store_ops {
	const char *name;
	enum rbm_rc (*open)(const char *url, int flags, void **impl, struct rbm_diag *d);
	void (*close)(void *impl);
	enum rbm_rc (*schema_version)(void *impl, int *out, struct rbm_diag *d);
	enum rbm_rc (*migrate)(void *impl, int target, struct rbm_diag *d);
	enum rbm_rc (*put_places)(void *impl, const struct rbm_places *p, struct rbm_diag *d);
	enum rbm_rc (*get_places)(void *impl, struct rbm_places **out, struct rbm_diag *d);
	enum rbm_rc (*put_plan)(void *impl, const struct rbm_plan *p, bool replace, bool *changed,
				struct rbm_diag *d);
	enum rbm_rc (*get_plan)(void *impl, const char *code, struct rbm_plan **out,
				struct rbm_diag *d);
};

struct rbm_store {
	const struct rbm_store_ops *ops;
	void *impl;
};

extern const struct rbm_store_ops rbm_store__sqlite_ops;

/* The schema's migrations, for every back-end: version and what it adds. */
#define RBM_STORE__SCHEMA_LATEST 2

#endif
