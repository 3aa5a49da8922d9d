/*
 * test_store_sqlite.c - the SQLite store: round trips, migrations, and
 * writes that fail whole.
 */
#include "harness/test.h"
#include "harness/fixtures.h"

#include "core/fs.h"
#include "plan/plan.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"
#define BUNDLED "data/plans/unhabitat-2020-2023.json"

#define places test_places

static struct rbm_plan *load(const char *path)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	if (rbm_plan_load(path, places(), &p, &d) != RBM_OK)
		rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return p;
}

/* A fresh database path in the test directory. */
static const char *db_path(const char *name)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
	unlink(path);
	return path;
}

/* Runs SQL on the file directly, as another program would; returns an integer result. */
static long long sql_int(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_open(db, &h) == SQLITE_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return v;
}

static bool sql_exec(const char *db, const char *sql)
{
	sqlite3 *h;
	bool ok = sqlite3_open(db, &h) == SQLITE_OK && sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(h);
	return ok;
}

static void round_trip(const char *plan_path, const char *db)
{
	struct rbm_plan *p = load(plan_path), *q = NULL;
	CHECK(p != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	bool changed = false;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_put_places(s, places(), &d), RBM_OK);
	CHECK_INT(rbm_store_put_plan(s, p, false, &changed, &d), RBM_OK);
	CHECK(changed);
	rbm_store_close(s);
	/* Reopen: what comes back equals what went in. */
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_get_plan(s, NULL, &q, &d), RBM_OK);
	char *a = NULL, *b = NULL;
	rbm_plan_to_json(p, &a);
	rbm_plan_to_json(q, &b);
	CHECK(a && b);
	bool same = strcmp(a, b) == 0;
	if (!same) {
		test_write_file("expected.json", a, strlen(a));
		test_write_file("got.json", b, strlen(b));
	}
	free(a);
	free(b);
	CHECK(same);
	CHECK_INT(q->indicators_len, p->indicators_len);
	/* Storing the same plan again changes nothing. */
	CHECK_INT(rbm_store_put_plan(s, q, false, &changed, &d), RBM_OK);
	CHECK(!changed);
	rbm_store_close(s);
	rbm_plan_free(p);
	rbm_plan_free(q);
	rbm_diag_free(&d);
}

static void small_plan_round_trip(void)
{
	round_trip(SMALL, db_path("small.db"));
}

static void bundled_plan_round_trip(void)
{
	round_trip(BUNDLED, db_path("bundled.db"));
}

static void places_round_trip(void)
{
	const char *db = db_path("places.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_places *q = NULL;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_put_places(s, places(), &d), RBM_OK);
	/* Twice: replacing is idempotent. */
	CHECK_INT(rbm_store_put_places(s, places(), &d), RBM_OK);
	CHECK_INT(rbm_store_get_places(s, &q, &d), RBM_OK);
	CHECK_INT(q->countries_len, places()->countries_len);
	CHECK_INT(q->regions_len, places()->regions_len);
	const struct rbm_country *nam = rbm_places_country(q, "NAM");
	CHECK(nam != NULL);
	CHECK_STR(nam->alpha2, "NA");
	const struct rbm_country *ken = rbm_places_country(q, "KEN");
	CHECK_STR(ken->region, "002");
	CHECK(rbm_places_country_in(q, ken, "202"));
	CHECK(!rbm_places_country_in(q, ken, "419"));
	for (size_t i = 0; i < q->countries_len; i++)
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			CHECK(q->countries[i].name.s[l] != NULL);
	CHECK_STR(ken->name.s[RBM_LANG_ZH], rbm_places_country(places(), "KEN")->name.s[RBM_LANG_ZH]);
	rbm_places_free(q);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

static void migrations_from_empty(void)
{
	const char *db = db_path("empty.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	int v = -1;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE | RBM_STORE_NO_MIGRATE, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_schema_version(s, &v, &d), RBM_OK);
	CHECK_INT(v, 0);
	CHECK_INT(rbm_store_migrate(s, 0, &d), RBM_OK);
	CHECK_INT(rbm_store_schema_version(s, &v, &d), RBM_OK);
	CHECK_INT(v, rbm_store_schema_latest());
	/* Migrating again is a no-op. */
	CHECK_INT(rbm_store_migrate(s, 0, &d), RBM_OK);
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM schema_migrations"), rbm_store_schema_latest());
	rbm_diag_free(&d);
}

static void migration_from_previous_version(void)
{
	const char *db = db_path("v1.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_plan *p = load(SMALL), *q = NULL;
	CHECK(p != NULL);
	int latest = rbm_store_schema_latest(), v = -1;
	CHECK(latest >= 2);
	/* A database at the previous version, holding a plan. */
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE | RBM_STORE_NO_MIGRATE, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_migrate(s, latest - 1, &d), RBM_OK);
	CHECK_INT(rbm_store_put_plan(s, p, false, NULL, &d), RBM_OK);
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT max(version) FROM schema_migrations"), latest - 1);
	/* Opening upgrades it, and the plan survives. */
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_schema_version(s, &v, &d), RBM_OK);
	CHECK_INT(v, latest);
	CHECK_INT(rbm_store_get_plan(s, "TEST-2020", &q, &d), RBM_OK);
	CHECK_INT(q->indicators_len, 6);
	CHECK_INT(rbm_store_put_places(s, places(), &d), RBM_OK);
	rbm_store_close(s);
	rbm_plan_free(p);
	rbm_plan_free(q);
	rbm_diag_free(&d);
}

static void newer_schema_refused(void)
{
	const char *db = db_path("newer.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	rbm_store_close(s);
	char sql[200];
	snprintf(sql, sizeof sql, "INSERT INTO schema_migrations(version, description) VALUES (%d, 'future')",
		 rbm_store_schema_latest() + 5);
	CHECK(sql_exec(db, sql));
	s = NULL;
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_EVERSION);
	CHECK(s == NULL);
	char want[128];
	snprintf(want, sizeof want, "schema version %d, newer than this rbm knows (%d)",
		 rbm_store_schema_latest() + 5, rbm_store_schema_latest());
	CHECK_HAS(d.entries[0].reason, want);
	rbm_diag_free(&d);
}

static void missing_database(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	const char *db = db_path("absent.db");
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_ENOENT);
	CHECK_HAS(d.entries[0].reason, "no database here");
	CHECK(access(db, F_OK) != 0);
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	const char *junk = test_write_file("junk.db", "this is not a database, just text\n", 34);
	CHECK(rbm_store_open(junk, 0, &s, &d) != RBM_OK);
	CHECK_HAS(d.entries[0].reason, "database");
	rbm_diag_free(&d);
}

static void conflicting_plan_needs_replace(void)
{
	const char *db = db_path("conflict.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_plan *p = load(SMALL), *q = NULL;
	bool changed = true;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_put_plan(s, p, false, &changed, &d), RBM_OK);
	p->last_year = 2025; /* a different plan with the same code */
	CHECK_INT(rbm_store_put_plan(s, p, false, &changed, &d), RBM_ECONFLICT);
	CHECK(!changed);
	CHECK_HAS(d.entries[0].reason, "use --replace");
	CHECK_INT(rbm_store_get_plan(s, NULL, &q, &d), RBM_OK);
	CHECK_INT(q->last_year, 2023);
	rbm_plan_free(q);
	CHECK_INT(rbm_store_put_plan(s, p, true, &changed, &d), RBM_OK);
	CHECK(changed);
	CHECK_INT(rbm_store_get_plan(s, NULL, &q, &d), RBM_OK);
	CHECK_INT(q->last_year, 2025);
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM plans"), 1);
	/* Texts of the replaced plan went with it. */
	CHECK_INT(sql_int(db, "SELECT count(*) FROM texts WHERE plan_id NOT IN (SELECT id FROM plans)"), 0);
	rbm_plan_free(p);
	rbm_plan_free(q);
	rbm_diag_free(&d);
}

static void failed_write_stores_nothing(void)
{
	const char *db = db_path("atomic.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_plan *p = load(SMALL);
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	rbm_store_close(s);
	/* Make the very last insert of a plan (its city) fail. */
	CHECK(sql_exec(db, "CREATE TRIGGER no_cities BEFORE INSERT ON cities "
			   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_put_plan(s, p, false, NULL, &d), RBM_ESTORE);
	CHECK_HAS(d.entries[0].reason, "injected failure");
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM plans"), 0);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM results"), 0);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM texts"), 0);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM offices"), 0);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

static void durable_settings(void)
{
	const char *db = db_path("pragma.db");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	rbm_store_close(s);
	/* WAL persists in the file; another connection sees it. */
	sqlite3 *h;
	sqlite3_stmt *st;
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(h);
	/* Foreign keys are enforced on rbm's connection: a dangling parent is refused. */
	CHECK(!sql_exec(db, "PRAGMA foreign_keys=ON; INSERT INTO results(plan_id, position, level, code) VALUES (999, 0, 0, 'x')"));
	rbm_diag_free(&d);
}

TEST_MAIN(T(small_plan_round_trip), T(bundled_plan_round_trip), T(places_round_trip),
	  T(migrations_from_empty), T(migration_from_previous_version), T(newer_schema_refused),
	  T(missing_database), T(conflicting_plan_needs_replace), T(failed_write_stores_nothing),
	  T(durable_settings))
