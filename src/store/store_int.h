/*
 * store_int.h - what a storage back-end implements (private to src/store/).
 *
 * store.c picks a back-end from the URL and forwards every call through
 * struct rbm_store_ops, like SQLite's VFS or curl's TLS back-ends. What can be
 * written on the portable query interface is written once, for every
 * back-end: plans and places (store_plan.c), the audit log (audit.c), copying
 * a database (store_copy.c).
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
	/* The database as messages name it: a path, or a URL without its password. */
	const char *(*display)(void *impl);
	/* A write transaction; begin_read one that only reads (a consistent snapshot). */
	enum rbm_rc (*begin)(void *impl, struct rbm_diag *d);
	enum rbm_rc (*begin_read)(void *impl, struct rbm_diag *d);
	enum rbm_rc (*commit)(void *impl, struct rbm_diag *d);
	void (*rollback)(void *impl);
	enum rbm_rc (*prepare)(void *impl, const char *sql, void **stmt, struct rbm_diag *d);
	void (*finalize)(void *stmt);
	void (*bind_int)(void *stmt, int i, long long v);
	void (*bind_double)(void *stmt, int i, double v);
	void (*bind_text)(void *stmt, int i, const char *v);
	enum rbm_rc (*step)(void *impl, void *stmt, struct rbm_diag *d);
	void (*reset)(void *stmt);
	long long (*col_int)(void *stmt, int col);
	double (*col_double)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	bool (*col_is_null)(void *stmt, int col);
	int (*col_count)(void *stmt);
	const char *(*col_name)(void *stmt, int col);
	enum rbm_col_kind (*col_kind)(void *stmt, int col);
	long long (*last_id)(void *impl);
	/*
	 * Bulk inserts (may be NULL: store.c then runs a prepared INSERT per row).
	 * bulk_row gets the row's values as text (NULL for NULL), doubles with 17 digits.
	 */
	enum rbm_rc (*bulk_begin)(void *impl, const char *table, const char *const *cols, int n,
				  void **out, struct rbm_diag *d);
	enum rbm_rc (*bulk_row)(void *bulk, const char *const *values, struct rbm_diag *d);
	enum rbm_rc (*bulk_end)(void *bulk, bool ok, struct rbm_diag *d);
	/* After rows were copied in with their ids: ids made later follow them (may be NULL). */
	enum rbm_rc (*sync_ids)(void *impl, const char *table, struct rbm_diag *d);
};

struct rbm_query {
	struct rbm_store *store;
	void *stmt;
};

struct rbm_store {
	const struct rbm_store_ops *ops;
	void *impl;
};

extern const struct rbm_store_ops rbm_store__sqlite_ops;
extern const struct rbm_store_ops rbm_store__pg_ops;

/* The database as messages name it. */
const char *rbm_store__name(struct rbm_store *s);

/* Plans and places, for every back-end (store_plan.c). */
enum rbm_rc rbm_store__put_places(struct rbm_store *s, const struct rbm_places *p,
				  struct rbm_diag *d);
enum rbm_rc rbm_store__get_places(struct rbm_store *s, struct rbm_places **out,
				  struct rbm_diag *d);
enum rbm_rc rbm_store__put_plan(struct rbm_store *s, const struct rbm_plan *p, bool replace,
				bool *changed, struct rbm_diag *d);
enum rbm_rc rbm_store__get_plan(struct rbm_store *s, const char *code, struct rbm_plan **out,
				struct rbm_diag *d);

/* The schema's migrations, for every back-end: version and what it adds. */
#define RBM_STORE__SCHEMA_LATEST 8

#endif
