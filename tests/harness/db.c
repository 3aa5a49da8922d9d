/*
 * db.c - the database a test runs on, SQLite or PostgreSQL (see db.h).
 */
#include "db.h"
#include "test.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **made;
static size_t made_len;

static void free_made(void)
{
	for (size_t i = 0; i < made_len; i++)
		free(made[i]);
	free(made);
}

static const char *keep(const char *s)
{
	if (made == NULL)
		atexit(free_made);
	made = realloc(made, (made_len + 1) * sizeof *made);
	made[made_len] = strdup(s);
	if (made == NULL || made[made_len] == NULL) {
		fputs("# out of memory\n", stdout);
		exit(2);
	}
	return made[made_len++];
}

bool test_db_pg(void)
{
	const char *u = getenv("RBM_TEST_PG_URL");
	return u && *u;
}

const char *test_db_backend(void)
{
	return test_db_pg() ? "PostgreSQL" : "SQLite";
}

/* The server's URL for database name: RBM_TEST_PG_URL's host, port, user and password. */
static const char *pg_url(const char *name)
{
	char *err = NULL;
	PQconninfoOption *o = PQconninfoParse(getenv("RBM_TEST_PG_URL"), &err);
	if (o == NULL) {
		printf("# RBM_TEST_PG_URL: %s", err ? err : "not a URL\n");
		exit(2);
	}
	char url[1024];
	int n = snprintf(url, sizeof url, "postgresql:///%s", name);
	char sep = '?';
	for (PQconninfoOption *p = o; p->keyword; p++) {
		if (p->val == NULL || (strcmp(p->keyword, "host") != 0 && strcmp(p->keyword, "port") != 0 &&
				       strcmp(p->keyword, "user") != 0 && strcmp(p->keyword, "password") != 0))
			continue;
		n += snprintf(url + n, sizeof url - (size_t)n, "%c%s=%s", sep, p->keyword, p->val);
		sep = '&';
	}
	PQconninfoFree(o);
	return keep(url);
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *pg_connect(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		printf("# %s: %s", url, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static const char *db_new(const char *name, const char *options)
{
	if (!test_db_pg()) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.db", test_tmpdir(), name);
		unlink(path);
		return keep(path);
	}
	PGconn *c = PQconnectdb(getenv("RBM_TEST_PG_URL"));
	if (PQstatus(c) != CONNECTION_OK) {
		printf("# RBM_TEST_PG_URL: %s", PQerrorMessage(c));
		exit(2);
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	char sql[300];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"t_%s\" WITH (FORCE)", name);
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	snprintf(sql, sizeof sql, "CREATE DATABASE \"t_%s\" TEMPLATE template0 ENCODING 'UTF8'%s", name,
		 options);
	r = ok ? PQexec(c, sql) : NULL;
	ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) {
		printf("# creating database t_%s: %s", name, PQerrorMessage(c));
		exit(2);
	}
	PQclear(r);
	PQfinish(c);
	snprintf(sql, sizeof sql, "t_%s", name);
	return pg_url(sql);
}

const char *test_db_new(const char *name)
{
	return db_new(name, "");
}

const char *test_db_new_icu(const char *name)
{
	return db_new(name, test_db_pg() ? " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'" : "");
}

bool test_db_exec(const char *db, const char *sql)
{
	if (strstr(db, "://") == NULL) {
		sqlite3 *h;
		bool ok = sqlite3_open(db, &h) == SQLITE_OK &&
			  sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_close(h);
		return ok;
	}
	PGconn *c = pg_connect(db);
	if (c == NULL)
		return false;
	PGresult *r = PQexec(c, sql);
	ExecStatusType t = PQresultStatus(r);
	bool ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
	PQclear(r);
	PQfinish(c);
	return ok;
}

long long test_db_int(const char *db, const char *sql)
{
	long long v = -1;
	if (strstr(db, "://") == NULL) {
		sqlite3 *h;
		sqlite3_stmt *st;
		if (sqlite3_open(db, &h) == SQLITE_OK &&
		    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				v = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		sqlite3_close(h);
		return v;
	}
	PGconn *c = pg_connect(db);
	if (c == NULL)
		return -1;
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return v;
}
