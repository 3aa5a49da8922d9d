/*
 * store.h - rbm's storage interface.
 *
 * Callers see one interface whatever the back-end: SQLite (a file path) or
 * PostgreSQL (a URL starting postgres:// or postgresql://). Every write is
 * one transaction: on any error nothing is stored and the problem goes to
 * the struct rbm_diag. The schema is created and upgraded by numbered
 * migrations recorded in the database itself. docs/storage.md says when to
 * use which back-end and how each isolates concurrent writers.
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

/* True when url names a PostgreSQL database (postgres:// or postgresql://). */
bool rbm_store_is_postgres(const char *url);

/*
 * Opens the database named by url: a file path for SQLite, a postgres:// URL
 * for PostgreSQL (connecting retries a few times while the server does not
 * answer; an empty PostgreSQL database needs RBM_STORE_CREATE). Unless
 * RBM_STORE_NO_MIGRATE, brings the schema up to the latest version in one
 * transaction. A database whose schema is newer than this rbm knows is
 * refused with RBM_EVERSION, naming both versions.
 */
enum rbm_rc rbm_store_open(const char *url, int flags, struct rbm_store **out,
			   struct rbm_diag *d);
void rbm_store_close(struct rbm_store *s);
/* "sqlite" or "postgresql". */
const char *rbm_store_backend(const struct rbm_store *s);

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

/* ---- transactions ---- */

/*
 * Begins a write transaction; calls nest (only the outermost commits), so a
 * caller can group several writes (a plan and its audit entry) into one.
 * Writers take turns (SQLite: BEGIN IMMEDIATE; PostgreSQL: a writer lock,
 * then SERIALIZABLE). A write that meets a concurrent change fails with
 * RBM_ECONFLICT ("changed meanwhile; try again"), and nothing is stored.
 */
enum rbm_rc rbm_store_begin(struct rbm_store *s, struct rbm_diag *d);
/*
 * Begins a transaction that only reads: one consistent snapshot of the
 * database (SQLite: a deferred BEGIN; PostgreSQL: REPEATABLE READ, READ
 * ONLY), which holds no writer up. Ends with rbm_store_commit or
 * rbm_store_rollback; inside a write transaction it nests like begin.
 */
enum rbm_rc rbm_store_begin_read(struct rbm_store *s, struct rbm_diag *d);
enum rbm_rc rbm_store_commit(struct rbm_store *s, struct rbm_diag *d);
/* Rolls the whole outermost transaction back. */
void rbm_store_rollback(struct rbm_store *s);

/* ---- queries ----
 *
 * A small portable SQL interface for modules that keep their own tables
 * (collect, measure): '?' placeholders, bound from 1; columns from 0. SQL
 * given here must be portable between SQLite and PostgreSQL: no INSERT OR
 * IGNORE/REPLACE (use ON CONFLICT), no strftime or datetime('now') (times
 * come from C, rbm_store_now), no rowid, GLOB or boolean columns (flags are
 * integers 0/1: write "WHERE closed = 1", "CASE WHEN ? = 1"), a parameter
 * alone whose type nothing tells ("? IS NULL") written CAST(? AS TEXT), and
 * text sorts by bytes. A constraint violated is RBM_ECONFLICT.
 */
struct rbm_query;

enum rbm_rc rbm_store_query(struct rbm_store *s, const char *sql, struct rbm_query **out,
			    struct rbm_diag *d);
void rbm_query_free(struct rbm_query *q);
void rbm_query_bind_int(struct rbm_query *q, int i, long long v);
void rbm_query_bind_double(struct rbm_query *q, int i, double v);
void rbm_query_bind_text(struct rbm_query *q, int i, const char *v); /* NULL binds NULL */
/* RBM_OK: a row is ready; RBM_ENOENT: no more rows; else an error in d. */
enum rbm_rc rbm_query_step(struct rbm_query *q, struct rbm_diag *d);
/*
 * Steps a statement that returns no rows, then resets it for new bindings.
 * Inside a transaction on PostgreSQL, an INSERT, UPDATE or DELETE without
 * RETURNING is pipelined: its failure may be reported by a later call, at
 * the latest by rbm_store_commit; the transaction fails whole either way.
 */
enum rbm_rc rbm_query_exec(struct rbm_query *q, struct rbm_diag *d);
void rbm_query_reset(struct rbm_query *q);
long long rbm_query_int(struct rbm_query *q, int col);
double rbm_query_double(struct rbm_query *q, int col);
const char *rbm_query_text(struct rbm_query *q, int col); /* NULL for NULL; valid until the next step */
bool rbm_query_is_null(struct rbm_query *q, int col);
/* The current row's columns: how many, their names, and the kind of each value. */
enum rbm_col_kind { RBM_COL_NULL, RBM_COL_INT, RBM_COL_DOUBLE, RBM_COL_TEXT };
int rbm_query_columns(struct rbm_query *q);
const char *rbm_query_column_name(struct rbm_query *q, int col);
enum rbm_col_kind rbm_query_kind(struct rbm_query *q, int col);
/* The id of the row the last INSERT made (INSERT ... RETURNING id is cheaper on PostgreSQL). */
long long rbm_store_last_id(struct rbm_store *s);

/* ---- bulk inserts ----
 *
 * Many rows into one table, inside a transaction, as fast as the back-end
 * allows: a prepared INSERT per row on SQLite, COPY ... FROM STDIN on
 * PostgreSQL. Between begin and end nothing else may run on the store. A
 * failure may show at any row or only at rbm_store_bulk_end; the caller then
 * rolls the transaction back. Columns and values are bound like a query's,
 * from 1.
 */
struct rbm_bulk;

enum rbm_rc rbm_store_bulk_begin(struct rbm_store *s, const char *table, const char *const *cols,
				 int ncols, struct rbm_bulk **out, struct rbm_diag *d);
void rbm_bulk_int(struct rbm_bulk *b, int i, long long v);
void rbm_bulk_double(struct rbm_bulk *b, int i, double v);
void rbm_bulk_text(struct rbm_bulk *b, int i, const char *v); /* NULL: NULL */
/* Adds the row bound (every column unbound since is NULL). */
enum rbm_rc rbm_store_bulk_row(struct rbm_bulk *b, struct rbm_diag *d);
/* Ends the insert, and frees b; the rows are in the transaction if it returns RBM_OK. */
enum rbm_rc rbm_store_bulk_end(struct rbm_bulk *b, struct rbm_diag *d);
/* Abandons an insert not ended (the transaction must be rolled back); NULL is fine. */
void rbm_store_bulk_free(struct rbm_bulk *b);

/* ---- copying a whole database (rbm db copy) ---- */

/* The i-th table of rbm's schema, parents before children; NULL past the last. */
const char *rbm_store_table(size_t i);
/* The number of rows in table, one of rbm_store_table's. */
enum rbm_rc rbm_store_count(struct rbm_store *s, const char *table, long long *out,
			    struct rbm_diag *d);
/*
 * Copies every row of every table of from into to, keeping ids (the audit
 * log's chain stays valid): from is read from one snapshot, to written in
 * one transaction, so a failed copy stores nothing. to must hold no data
 * (RBM_ECONFLICT, naming a table that does) unless replace, which drops its
 * tables and makes them again first. Both must be at the same schema version.
 */
enum rbm_rc rbm_store_copy(struct rbm_store *from, struct rbm_store *to, bool replace,
			   struct rbm_diag *d);

/* ---- the audit log ---- */

/* One change: who, when, from where, what, and hashes of before and after. */
struct rbm_audit_event {
	const char *actor;
	const char *channel;  /* cli | web | api */
	const char *address;
	const char *action;   /* e.g. "submission.approve", "cycle.open", "plan.load" */
	const char *object;   /* e.g. "submission 12", "cycle 2021" */
	const char *office;   /* the office concerned, or NULL */
	const char *before;   /* hash of the state before, or NULL */
	const char *after;    /* hash of the state after, or NULL */
	const char *detail;   /* free text, or NULL */
};

/* Appends e to the hash chain; call inside the change's transaction. */
enum rbm_rc rbm_store_audit_append(struct rbm_store *s, const struct rbm_audit_event *e,
				   struct rbm_diag *d);

struct rbm_audit_row {
	long long id;
	char *at, *actor, *channel, *address, *action, *object, *office, *before, *after, *detail;
	char *prev, *hash;
};

/* Rows with at >= since (NULL: all) and office (NULL: any), oldest first. */
enum rbm_rc rbm_store_audit_list(struct rbm_store *s, const char *since, const char *office,
				 struct rbm_audit_row **out, size_t *out_len, struct rbm_diag *d);
void rbm_store_audit_rows_free(struct rbm_audit_row *v, size_t n);
/*
 * Recomputes the chain; on a mismatch returns RBM_ECONFLICT with the first
 * broken row's id in *bad and a problem in d. *count: rows checked.
 */
enum rbm_rc rbm_store_audit_verify(struct rbm_store *s, size_t *count, long long *bad,
				   struct rbm_diag *d);

/* The current time as YYYY-MM-DDTHH:MM:SSZ (or $RBM_NOW, for tests and samples). */
void rbm_store_now(char out[21]);

#endif
