/*
 * store_pg_int.h - private to the PostgreSQL back-end's files.
 *
 * store_pg.c holds the connection, transactions, queries and migrations;
 * store_pg_schema.c is the schema as numbered migrations, the same numbers
 * as SQLite's.
 */
#ifndef RBM_STORE_STORE_PG_INT_H
#define RBM_STORE_STORE_PG_INT_H

#include <stddef.h>

struct rbm_store__pg_migration {
	int version;
	const char *description;
	const char *const *sql; /* statements, NULL-terminated, each run on its own */
};

extern const struct rbm_store__pg_migration rbm_store__pg_migrations[];
extern const size_t rbm_store__pg_migrations_len;

#endif
