/*
 * store.h - rbm's storage interface.
 *
 * Callers see one interface whatever the back-end: today SQLite (a file
 * path), later PostgreSQL (a postgres:// URL). Every write is one
 * transaction: on any error nothing is stored and the problem goes to the
 * struct rbm_diag. The schema is created and upgraded by numbered
 * migrations recorded in the database itself.
 */
#ifndef RBM_STORE_STORE_H
#define RBM_STORE_STORE_H

#include "../core/diag.h"
#include "../core/rbm.h"
#include "../plan/places.h"
#include "../plan/plan.h"

struct rbm_store;

/* Flags for rbm_store_open(). */
#define RBM_STORE_CREATE 0x1     /* create the database if it does not exist */
#define RBM_STORE_NO_MIGRATE 0x2 /* leave the schema as it is (tests, inspection) */

/*
 * Opens the database named by url: a file path for SQLite. Unless
 * RBM_STORE_NO_MIGRATE, brings the schema up to the latest version in one
 * transaction. A database whose schema is newer than this rbm knows is
 * refused with RBM_EVERSION, naming both versions.
 */
enum rbm_rc rbm_store_open(const char *url, int flags, struct rbm_store **out,
			   struct rbm_diag *d);
void rbm_store_close(struct rbm_store *s);

/* The latest schema version this rbm knows. */
int rbm_store_schema_latest(void);
/* The schema version of the open database (0 when empty). */
enum rbm_rc rbm_store_schema_version(struct rbm_store *s, int *out, struct rbm_diag *d);
/* Applies migrations up to target (0: the latest), all in one transaction. */
enum rbm_rc rbm_store_migrate(struct rbm_store *s, int target, struct rbm_diag *d);

/* Replaces the stored countries and regions with places. */
enum rbm_rc rbm_store_put_places(struct rbm_store *s, const struct rbm_places *places,
				 struct rbm_diag *d);
enum rbm_rc rbm_store_get_places(struct rbm_store *s, struct rbm_places **out,
				 struct rbm_diag *d);

/*
 * Stores plan. When a plan with the same code is stored already and differs,
 * fails with RBM_ECONFLICT unless replace is true. *changed (may be NULL)
 * tells whether anything was written.
 */
enum rbm_rc rbm_store_put_plan(struct rbm_store *s, const struct rbm_plan *plan, bool replace,
			       bool *changed, struct rbm_diag *d);
/*
 * Reads the plan with this code, or the plan loaded last when code is NULL.
 * RBM_ENOENT when there is none.
 */
enum rbm_rc rbm_store_get_plan(struct rbm_store *s, const char *code, struct rbm_plan **out,
			       struct rbm_diag *d);

#endif
