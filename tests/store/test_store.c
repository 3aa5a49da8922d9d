/*
 * test_store.c - the store on either back-end: round trips, migrations,
 * writes that fail whole, the append-only audit log and the portable query
 * interface. Run as it is, it tests SQLite files; with RBM_TEST_PG_URL set
 * (tests/store/test_store_pg.sh starts a throw-away server) the same tests
 * run on PostgreSQL, with the PostgreSQL ones: bad URLs, a refused
 * connection, a wrong password, a lost connection, concurrent writers.
 */
#include "harness/db.h"
#include "harness/fixtures.h"
#include "harness/test.h"

#include "core/fs.h"
#include "plan/plan.h"
#include "store/store.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
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

/* Opens db (creating it), printing the problems when that fails. */
static struct rbm_store *open_db(const char *db, int flags)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	if (rbm_store_open(db, flags | RBM_STORE_CREATE, &s, &d) != RBM_OK)
		rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return s;
}

/* Runs one statement without rows through the store. */
static enum rbm_rc exec_sql(struct rbm_store *s, const char *sql, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, sql, &q, d);
	if (rc == RBM_OK)
		rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

/* The first column of one row, as an integer; -1 when the query fails. */
static long long query_int(struct rbm_store *s, const char *sql)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_query *q = NULL;
	long long v = -1;
	if (rbm_store_query(s, sql, &q, &d) == RBM_OK && rbm_query_step(q, &d) == RBM_OK)
		v = rbm_query_int(q, 0);
	rbm_diag_print(&d, stdout, "# ");
	rbm_query_free(q);
	rbm_diag_free(&d);
	return v;
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- both back-ends ---- */

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
	round_trip(SMALL, test_db_new("small"));
}

static void bundled_plan_round_trip(void)
{
	round_trip(BUNDLED, test_db_new("bundled"));
}

static void places_round_trip(void)
{
	const char *db = test_db_new("places");
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
	const char *db = test_db_new("empty");
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
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM schema_migrations"), rbm_store_schema_latest());
	rbm_diag_free(&d);
}

static void migration_from_previous_version(void)
{
	const char *db = test_db_new("previous");
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
	CHECK_INT(test_db_int(db, "SELECT max(version) FROM schema_migrations"), latest - 1);
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
	const char *db = test_db_new("newer");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	rbm_store_close(s);
	char sql[200];
	snprintf(sql, sizeof sql, "INSERT INTO schema_migrations(version, description) VALUES (%d, 'future')",
		 rbm_store_schema_latest() + 5);
	CHECK(test_db_exec(db, sql));
	s = NULL;
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_EVERSION);
	CHECK(s == NULL);
	char want[128];
	snprintf(want, sizeof want, "schema version %d, newer than this rbm knows (%d)",
		 rbm_store_schema_latest() + 5, rbm_store_schema_latest());
	CHECK_HAS(d.entries[0].reason, want);
	/* Creating does not help either, and nothing is changed. */
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_EVERSION);
	CHECK_INT(test_db_int(db, "SELECT max(version) FROM schema_migrations"),
		  rbm_store_schema_latest() + 5);
	rbm_diag_free(&d);
}

static void conflicting_plan_needs_replace(void)
{
	const char *db = test_db_new("conflict");
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
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM plans"), 1);
	/* Texts of the replaced plan went with it. */
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM texts WHERE plan_id NOT IN (SELECT id FROM plans)"), 0);
	rbm_plan_free(p);
	rbm_plan_free(q);
	rbm_diag_free(&d);
}

static void failed_write_stores_nothing(void)
{
	const char *db = test_db_new("atomic");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_plan *p = load(SMALL);
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	rbm_store_close(s);
	/* Make the very last insert of a plan (its city) fail. */
	CHECK(test_db_exec(db, test_db_pg()
		? "CREATE FUNCTION injected() RETURNS trigger LANGUAGE plpgsql AS "
		  "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$; "
		  "CREATE TRIGGER no_cities BEFORE INSERT ON cities FOR EACH ROW EXECUTE FUNCTION injected()"
		: "CREATE TRIGGER no_cities BEFORE INSERT ON cities "
		  "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_put_plan(s, p, false, NULL, &d), RBM_ESTORE);
	CHECK_HAS(d.entries[0].reason, "injected failure");
	/* The connection is usable afterwards. */
	CHECK_INT(query_int(s, "SELECT count(*) FROM plans"), 0);
	rbm_store_close(s);
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM plans"), 0);
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM results"), 0);
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM texts"), 0);
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM offices"), 0);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

static void audit_log_is_append_only(void)
{
	const char *db = test_db_new("audit");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	struct rbm_audit_event e = {"ana", "cli", "local", "cycle.open", "cycle 2021", NULL,
				    NULL, "abc", "a detail"};
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_store_audit_append(s, &e, &d), RBM_OK);
	e.action = "cycle.close";
	e.office = "KEN";
	CHECK_INT(rbm_store_audit_append(s, &e, &d), RBM_OK);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	/* Through rbm's own connection and through another: UPDATE and DELETE are refused. */
	CHECK_INT(exec_sql(s, "UPDATE audit_log SET actor = 'mallory'", &d), RBM_ECONFLICT);
	CHECK_HAS(d.entries[0].reason, "the audit log is append-only");
	CHECK_INT(exec_sql(s, "DELETE FROM audit_log WHERE id = 2", &d), RBM_ECONFLICT);
	CHECK(!test_db_exec(db, "UPDATE audit_log SET detail = NULL"));
	CHECK(!test_db_exec(db, "DELETE FROM audit_log"));
	if (test_db_pg())
		CHECK(!test_db_exec(db, "TRUNCATE audit_log"));
	size_t n = 0;
	long long bad = 0;
	CHECK_INT(rbm_store_audit_verify(s, &n, &bad, &d), RBM_OK);
	CHECK_INT(n, 2);
	struct rbm_audit_row *rows = NULL;
	CHECK_INT(rbm_store_audit_list(s, NULL, "KEN", &rows, &n, &d), RBM_OK);
	CHECK_INT(n, 1);
	CHECK_STR(rows[0].action, "cycle.close");
	rbm_store_audit_rows_free(rows, n);
	CHECK_INT(rbm_store_audit_list(s, "2000-01-01", NULL, &rows, &n, &d), RBM_OK);
	CHECK_INT(n, 2);
	rbm_store_audit_rows_free(rows, n);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* The portable query interface behaves the same on both back-ends. */
static void query_interface(void)
{
	const char *db = test_db_new("query");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_INT(exec_sql(s, "CREATE TABLE scratch (id INTEGER PRIMARY KEY, n BIGINT, "
			      "x DOUBLE PRECISION, t TEXT UNIQUE)", &d), RBM_OK);
	struct rbm_query *q = NULL;
	/* Values of every kind go in and come back exactly; '?' in quotes is no parameter. */
	CHECK_INT(rbm_store_query(s, "INSERT INTO scratch(id, n, x, t) VALUES (?, ?, ?, ?) -- why?\n"
				     "RETURNING id, 'what?'", &q, &d), RBM_OK);
	const char *texts[] = {"plain", "مرحبا 你好 — «ça»", "it's \"quoted\"", NULL};
	double xs[] = {0.1 + 0.2, -1e300, 1.0 / 3.0, 0};
	for (int i = 0; i < 4; i++) {
		rbm_query_bind_int(q, 1, i + 1);
		rbm_query_bind_int(q, 2, (1LL << 53) + i);
		rbm_query_bind_double(q, 3, xs[i]);
		rbm_query_bind_text(q, 4, texts[i]);
		CHECK_INT(rbm_query_step(q, &d), RBM_OK);
		CHECK_INT(rbm_query_int(q, 0), i + 1);
		CHECK_STR(rbm_query_text(q, 1), "what?");
		rbm_query_reset(q);
	}
	rbm_query_free(q);
	CHECK_INT(rbm_store_query(s, "SELECT id, n, x, t FROM scratch WHERE id = ?1 AND n = ?1 + 9007199254740991", &q, &d), RBM_OK);
	rbm_query_bind_int(q, 1, 3);
	CHECK_INT(rbm_query_step(q, &d), RBM_OK);
	CHECK_INT(rbm_query_int(q, 0), 3);
	CHECK_INT(rbm_query_columns(q), 4);
	CHECK_STR(rbm_query_column_name(q, 3), "t");
	CHECK_INT(rbm_query_kind(q, 1), RBM_COL_INT);
	CHECK_INT(rbm_query_kind(q, 2), RBM_COL_DOUBLE);
	CHECK_INT(rbm_query_kind(q, 3), RBM_COL_TEXT);
	CHECK_INT(rbm_query_int(q, 1), (1LL << 53) + 2);
	CHECK(rbm_query_double(q, 2) == 1.0 / 3.0);
	CHECK_STR(rbm_query_text(q, 3), texts[2]);
	CHECK_INT(rbm_query_step(q, &d), RBM_ENOENT);
	rbm_query_free(q);
	CHECK_INT(rbm_store_query(s, "SELECT x, t FROM scratch WHERE id = ?", &q, &d), RBM_OK);
	rbm_query_bind_int(q, 1, 1);
	CHECK_INT(rbm_query_step(q, &d), RBM_OK);
	CHECK(rbm_query_double(q, 0) == 0.1 + 0.2);
	rbm_query_reset(q);
	rbm_query_bind_int(q, 1, 2);
	CHECK_INT(rbm_query_step(q, &d), RBM_OK);
	CHECK(rbm_query_double(q, 0) == -1e300);
	CHECK_STR(rbm_query_text(q, 1), texts[1]);
	rbm_query_reset(q);
	rbm_query_bind_int(q, 1, 4);
	CHECK_INT(rbm_query_step(q, &d), RBM_OK);
	CHECK(rbm_query_is_null(q, 1));
	CHECK(rbm_query_text(q, 1) == NULL);
	CHECK_INT(rbm_query_kind(q, 1), RBM_COL_NULL);
	rbm_query_free(q);
	/* A parameter alone, written portably, and NULL compared. */
	CHECK_INT(rbm_store_query(s, "SELECT count(*) FROM scratch WHERE CAST(? AS TEXT) IS NULL OR t = ?",
				  &q, &d), RBM_OK);
	rbm_query_bind_text(q, 1, NULL);
	CHECK_INT(rbm_query_step(q, &d), RBM_OK);
	CHECK_INT(rbm_query_int(q, 0), 4);
	rbm_query_reset(q);
	rbm_query_bind_text(q, 1, "plain");
	rbm_query_bind_text(q, 2, "plain");
	CHECK_INT(rbm_query_step(q, &d), RBM_OK);
	CHECK_INT(rbm_query_int(q, 0), 1);
	rbm_query_free(q);
	/* A duplicate is a conflict; ON CONFLICT reads the same on both. */
	CHECK_INT(exec_sql(s, "INSERT INTO scratch(id, t) VALUES (10, 'plain')", &d), RBM_ECONFLICT);
	CHECK_INT(exec_sql(s, "INSERT INTO scratch(id, t) VALUES (10, 'plain') ON CONFLICT(t) DO NOTHING",
			   &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO scratch(id, n, t) VALUES (11, 7, 'plain') "
			      "ON CONFLICT(t) DO UPDATE SET n = excluded.n", &d), RBM_OK);
	CHECK_INT(query_int(s, "SELECT n FROM scratch WHERE t = 'plain'"), 7);
	/* The id of the row an INSERT made, inside a transaction and outside. */
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO cycles(year, opens, closes, created_at) "
			      "VALUES (2030, '2031-01-01', '2031-02-01', 'now')", &d), RBM_OK);
	long long id = rbm_store_last_id(s);
	CHECK(id > 0);
	CHECK_INT(query_int(s, "SELECT id FROM cycles WHERE year = 2030"), id);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO cycles(year, opens, closes, created_at) "
			      "VALUES (2031, '2032-01-01', '2032-02-01', 'now')", &d), RBM_OK);
	CHECK_INT(rbm_store_last_id(s), id + 1);
	CHECK_INT(rbm_diag_count(&d), 1); /* the duplicate */
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* Statements interleave: one's rows are read while others run, even writes. */
static void statements_interleave(void)
{
	const char *db = test_db_new("interleave");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_INT(exec_sql(s, "CREATE TABLE a (n INTEGER)", &d), RBM_OK);
	CHECK_INT(exec_sql(s, "CREATE TABLE b (n INTEGER, m INTEGER)", &d), RBM_OK);
	struct rbm_query *ins = NULL, *outer = NULL, *inner = NULL, *put = NULL;
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_store_query(s, "INSERT INTO a(n) VALUES (?)", &ins, &d), RBM_OK);
	for (int i = 0; i < 2000; i++) {
		rbm_query_bind_int(ins, 1, i);
		CHECK_INT(rbm_query_exec(ins, &d), RBM_OK);
	}
	rbm_query_free(ins);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_store_query(s, "SELECT n FROM a ORDER BY n", &outer, &d), RBM_OK);
	CHECK_INT(rbm_store_query(s, "SELECT count(*) FROM a WHERE n <= ?", &inner, &d), RBM_OK);
	CHECK_INT(rbm_store_query(s, "INSERT INTO b(n, m) VALUES (?, ?)", &put, &d), RBM_OK);
	long long want = 0, sum = 0;
	enum rbm_rc rc;
	while ((rc = rbm_query_step(outer, &d)) == RBM_OK) {
		const char *kept = rbm_query_text(outer, 0); /* valid until outer's next step */
		long long n = rbm_query_int(outer, 0);
		CHECK_INT(n, want++);
		if (n % 100 == 0) {
			rbm_query_bind_int(inner, 1, n);
			CHECK_INT(rbm_query_step(inner, &d), RBM_OK);
			CHECK_INT(rbm_query_int(inner, 0), n + 1);
			rbm_query_reset(inner);
			rbm_query_bind_int(put, 1, n);
			rbm_query_bind_int(put, 2, n * 2);
			CHECK_INT(rbm_query_exec(put, &d), RBM_OK);
			CHECK_INT(strtoll(kept, NULL, 10), n);
		}
		sum += n;
	}
	CHECK_INT(rc, RBM_ENOENT);
	CHECK_INT(sum, 1999LL * 2000 / 2);
	/* A statement left half-read is reset and runs again from the start. */
	CHECK_INT(rbm_query_step(outer, &d), RBM_OK);
	CHECK_INT(rbm_query_step(outer, &d), RBM_OK);
	rbm_query_reset(outer);
	CHECK_INT(rbm_query_step(outer, &d), RBM_OK);
	CHECK_INT(rbm_query_int(outer, 0), 0);
	rbm_query_free(outer);
	rbm_query_free(inner);
	rbm_query_free(put);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	CHECK_INT(query_int(s, "SELECT sum(m) FROM b"), 2 * (0 + 100 + 200 + 300 + 400 + 500 + 600 + 700 + 800 +
							  900 + 1000 + 1100 + 1200 + 1300 + 1400 + 1500 +
							  1600 + 1700 + 1800 + 1900));
	rbm_store_close(s);
	CHECK_INT(rbm_diag_count(&d), 0);
	rbm_diag_free(&d);
}

/* Bulk inserts (COPY on PostgreSQL) store every value exactly, or nothing. */
static void bulk_inserts(void)
{
	const char *db = test_db_new("bulk");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_INT(exec_sql(s, "CREATE TABLE b (n BIGINT NOT NULL, x DOUBLE PRECISION, t TEXT)", &d), RBM_OK);
	static const char *const cols[] = {"n", "x", "t"};
	const char *texts[] = {"tab\there", "new\nline\r\n", "back\\slash \\N", NULL, "«مرحبا»"};
	struct rbm_bulk *b = NULL;
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_store_bulk_begin(s, "b", cols, 3, &b, &d), RBM_OK);
	for (int i = 0; i < 20000; i++) {
		rbm_bulk_int(b, 1, i);
		if (i % 7)
			rbm_bulk_double(b, 2, i / 3.0);
		rbm_bulk_text(b, 3, texts[i % 5]);
		CHECK_INT(rbm_store_bulk_row(b, &d), RBM_OK);
	}
	CHECK_INT(rbm_store_bulk_end(b, &d), RBM_OK);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	CHECK_INT(query_int(s, "SELECT count(*) FROM b"), 20000);
	CHECK_INT(query_int(s, "SELECT count(*) FROM b WHERE x IS NULL"), 2858);
	struct rbm_query *q = NULL;
	CHECK_INT(rbm_store_query(s, "SELECT n, x, t FROM b WHERE n < 5 OR n = 19999 ORDER BY n", &q, &d), RBM_OK);
	for (int i = 0; i < 6; i++) {
		CHECK_INT(rbm_query_step(q, &d), RBM_OK);
		int n = (int)rbm_query_int(q, 0);
		CHECK_INT(n, i < 5 ? i : 19999);
		if (n % 7)
			CHECK(rbm_query_double(q, 1) == n / 3.0);
		else
			CHECK(rbm_query_is_null(q, 1));
		if (texts[n % 5])
			CHECK_STR(rbm_query_text(q, 2), texts[n % 5]);
		else
			CHECK(rbm_query_is_null(q, 2));
	}
	rbm_query_free(q);
	/* A row the table refuses fails the insert; the transaction stores nothing. */
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_store_bulk_begin(s, "b", cols, 3, &b, &d), RBM_OK);
	enum rbm_rc rc = RBM_OK;
	for (int i = 0; i < 100 && rc == RBM_OK; i++) {
		if (i != 50)
			rbm_bulk_int(b, 1, i); /* row 50: n NULL */
		rc = rbm_store_bulk_row(b, &d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_bulk_end(b, &d);
	else
		rbm_store_bulk_free(b);
	CHECK(rc != RBM_OK);
	rbm_store_rollback(s);
	CHECK_HAS(d.entries[0].reason, "n");
	CHECK_INT(query_int(s, "SELECT count(*) FROM b"), 20000);
	/* Abandoned half-way, then rolled back: the store is usable again. */
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_store_bulk_begin(s, "b", cols, 3, &b, &d), RBM_OK);
	rbm_bulk_int(b, 1, 1);
	CHECK_INT(rbm_store_bulk_row(b, &d), RBM_OK);
	rbm_store_rollback(s);
	rbm_store_bulk_free(b);
	CHECK_INT(query_int(s, "SELECT count(*) FROM b"), 20000);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* Transactions nest; a rollback undoes the outermost whole. */
static void transactions_nest_and_roll_back(void)
{
	const char *db = test_db_new("transactions");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_INT(exec_sql(s, "CREATE TABLE t (n INTEGER)", &d), RBM_OK);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO t(n) VALUES (1)", &d), RBM_OK);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO t(n) VALUES (2)", &d), RBM_OK);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK); /* inner: nothing yet */
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM t"), 0);
	rbm_store_rollback(s);
	CHECK_INT(query_int(s, "SELECT count(*) FROM t"), 0);
	CHECK_INT(rbm_store_commit(s, &d), RBM_ESTORE);
	CHECK_HAS(d.entries[0].reason, "rolled back");
	/*
	 * A failed statement fails the write whole. On PostgreSQL a write that
	 * returns no rows is pipelined: its failure may show at the next call,
	 * at the latest at commit.
	 */
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO t(n) VALUES (3)", &d), RBM_OK);
	enum rbm_rc rc = exec_sql(s, "INSERT INTO nowhere(n) VALUES (4)", &d);
	CHECK_INT(exec_sql(s, "INSERT INTO t(n) VALUES (4)", &d) == RBM_OK && rc == RBM_OK
			  ? rbm_store_commit(s, &d) : RBM_ESTORE, RBM_ESTORE);
	CHECK_HAS(d.entries[1].reason, "nowhere");
	rbm_store_rollback(s);
	CHECK_INT(query_int(s, "SELECT count(*) FROM t"), 0);
	CHECK_INT(test_db_int(db, "SELECT count(*) FROM t"), 0);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "INSERT INTO t(n) VALUES (5)", &d), RBM_OK);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	CHECK_INT(test_db_int(db, "SELECT sum(n) FROM t"), 5);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* ---- SQLite only ---- */

static void sqlite_missing_database(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	const char *db = test_db_new("absent");
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

static void sqlite_durable_settings(void)
{
	const char *db = test_db_new("pragma");
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_STR(rbm_store_backend(s), "sqlite");
	rbm_store_close(s);
	/* WAL persists in the file: its header's write version is 2. */
	FILE *f = fopen(db, "rb");
	CHECK(f != NULL);
	unsigned char hdr[20];
	bool got = fread(hdr, 1, sizeof hdr, f) == sizeof hdr;
	fclose(f);
	CHECK(got);
	CHECK_INT(hdr[18], 2);
	/* Foreign keys are enforced on rbm's connection: a dangling parent is refused. */
	CHECK(!test_db_exec(db, "PRAGMA foreign_keys=ON; INSERT INTO results(plan_id, position, level, code) VALUES (999, 0, 0, 'x')"));
}

/* ---- PostgreSQL only ---- */

static void pg_bad_urls(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	CHECK_INT(rbm_store_open("postgres://[::1/rbm", 0, &s, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[0].reason, "not a valid PostgreSQL URL");
	CHECK_INT(rbm_store_open("postgresql://localhost/rbm?colour=blue", 0, &s, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[1].reason, "not a valid PostgreSQL URL: invalid URI query parameter: \"colour\"");
	CHECK_INT(rbm_store_open("postgresql://u:s3cret@localhost:notaport/rbm", 0, &s, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[2].reason, "not a valid PostgreSQL URL: the port \"notaport\" is not a number");
	CHECK(d.entries[2].file != NULL);
	CHECK(strstr(d.entries[2].file, "s3cret") == NULL);
	CHECK(strstr(d.entries[2].reason, "s3cret") == NULL);
	CHECK(s == NULL);
	rbm_diag_free(&d);
}

static void pg_refused_connection(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	double t0 = seconds();
	/* Port 1 on the loopback: nothing listens there. */
	CHECK_INT(rbm_store_open("postgresql://rbm@127.0.0.1:1/rbm", 0, &s, &d), RBM_ESTORE);
	double took = seconds() - t0;
	CHECK_HAS(d.entries[0].reason, "cannot reach the PostgreSQL server at 127.0.0.1:1: Connection refused");
	CHECK_HAS(d.entries[0].reason, "(tried 4 times)");
	CHECK(took > 2.0 && took < 20.0); /* it waited between tries, briefly */
	CHECK(d.entries[0].file == NULL);
	/* A socket folder where no server runs. */
	CHECK_INT(rbm_store_open("postgresql:///rbm?host=/nonexistent-rbm-dir", 0, &s, &d), RBM_ESTORE);
	CHECK_HAS(d.entries[1].reason, "cannot reach the PostgreSQL server at /nonexistent-rbm-dir:5432: No such file or directory");
	CHECK(s == NULL);
	rbm_diag_free(&d);
}

static void pg_wrong_password(void)
{
	const char *db = test_db_new("password");
	char url[1200];
	snprintf(url, sizeof url, "%s&user=rbm_pw&password=not-the-password", db);
	/* The last user= wins: the URL of the test database, as rbm_pw. */
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	double t0 = seconds();
	CHECK_INT(rbm_store_open(url, 0, &s, &d), RBM_EINVAL);
	CHECK(seconds() - t0 < 2.0); /* not retried */
	CHECK_HAS(d.entries[0].reason, "cannot connect to the PostgreSQL server at ");
	CHECK_HAS(d.entries[0].reason, "password authentication failed for user \"rbm_pw\"");
	CHECK(strstr(d.entries[0].reason, "not-the-password") == NULL);
	/* The right password reaches the (empty) database, and no message shows it. */
	snprintf(url, sizeof url, "%s&user=rbm_pw&password=right-password", db);
	CHECK_INT(rbm_store_open(url, 0, &s, &d), RBM_ENOENT);
	CHECK_HAS(d.entries[1].reason, "the database holds no rbm data yet (create it with 'rbm init --db URL')");
	CHECK(strstr(d.entries[1].file, "right-password") == NULL);
	CHECK_HAS(d.entries[1].file, "password=***");
	rbm_diag_free(&d);
}

static void pg_missing_database(void)
{
	const char *db = test_db_new("gone");
	CHECK(db != NULL);
	char url[1200];
	snprintf(url, sizeof url, "%s", db);
	char *at = strstr(url, "t_gone");
	CHECK(at != NULL);
	memcpy(at, "t_none", 6);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	CHECK_INT(rbm_store_open(url, RBM_STORE_CREATE, &s, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[0].reason, "database \"t_none\" does not exist (create it first");
	rbm_diag_free(&d);
}

/* Another program's concurrent change: rbm's write fails as a conflict to try again. */
static void pg_serialization_failure_is_a_conflict(void)
{
	const char *db = test_db_new("serial");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(query_int(s, "SELECT generation FROM data_generation WHERE id = 1"), 0);
	/* Meanwhile, outside rbm's writer lock: */
	CHECK(test_db_exec(db, "UPDATE data_generation SET generation = 41 WHERE id = 1"));
	enum rbm_rc rc = exec_sql(s, "UPDATE data_generation SET generation = generation + 1 WHERE id = 1", &d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, &d);
	else
		rbm_store_rollback(s);
	CHECK_INT(rc, RBM_ECONFLICT);
	CHECK_HAS(d.entries[0].reason, "the data changed meanwhile (could not serialize access due to concurrent update); try again");
	/* Trying again works, on the same connection. */
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "UPDATE data_generation SET generation = generation + 1 WHERE id = 1", &d), RBM_OK);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	CHECK_INT(test_db_int(db, "SELECT generation FROM data_generation"), 42);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

struct writer_arg {
	const char *db;
	double waited;
	enum rbm_rc rc;
};

static void *second_writer(void *arg)
{
	struct writer_arg *w = arg;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	w->rc = rbm_store_open(w->db, 0, &s, &d);
	double t0 = seconds();
	if (w->rc == RBM_OK)
		w->rc = rbm_store_begin(s, &d);
	w->waited = seconds() - t0;
	if (w->rc == RBM_OK)
		w->rc = exec_sql(s, "UPDATE data_generation SET generation = generation * 10 WHERE id = 1", &d);
	if (w->rc == RBM_OK)
		w->rc = rbm_store_commit(s, &d);
	rbm_diag_print(&d, stdout, "# second writer: ");
	rbm_store_close(s);
	rbm_diag_free(&d);
	return NULL;
}

/* rbm's writers take turns: the second waits for the first, then sees its change. */
static void pg_writers_take_turns(void)
{
	const char *db = test_db_new("turns");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "UPDATE data_generation SET generation = 7 WHERE id = 1", &d), RBM_OK);
	struct writer_arg w = {db, 0, RBM_OK};
	pthread_t t;
	CHECK(pthread_create(&t, NULL, second_writer, &w) == 0);
	struct timespec pause = {0, 400000000L};
	nanosleep(&pause, NULL);
	CHECK_INT(rbm_store_commit(s, &d), RBM_OK);
	pthread_join(t, NULL);
	CHECK_INT(w.rc, RBM_OK);
	CHECK(w.waited > 0.3);
	CHECK_INT(query_int(s, "SELECT generation FROM data_generation"), 70);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* A connection cut outside a transaction is made again; inside one, the write fails whole. */
static void pg_lost_connection(void)
{
	const char *db = test_db_new("lost");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	char sql[128];
	long long pid = query_int(s, "SELECT pg_backend_pid()");
	CHECK(pid > 0);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
	CHECK(test_db_exec(db, sql));
	struct timespec pause = {0, 100000000L};
	nanosleep(&pause, NULL);
	/* Idle when cut: the next call connects again and runs. */
	CHECK_INT(query_int(s, "SELECT count(*) FROM plans"), 0);
	CHECK(query_int(s, "SELECT pg_backend_pid()") != pid);
	/* Cut in the middle of a write. */
	pid = query_int(s, "SELECT pg_backend_pid()");
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(exec_sql(s, "UPDATE data_generation SET generation = 5 WHERE id = 1", &d), RBM_OK);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
	CHECK(test_db_exec(db, sql));
	nanosleep(&pause, NULL);
	/* The write in flight fails, at once or at commit (it is pipelined). */
	enum rbm_rc rc = exec_sql(s, "UPDATE data_generation SET generation = 6 WHERE id = 1", &d);
	CHECK(rc == RBM_ESTORE || rc == RBM_OK);
	CHECK_INT(rbm_store_commit(s, &d), RBM_ESTORE);
	CHECK_HAS(d.entries[0].reason, "lost the connection to the PostgreSQL server at ");
	CHECK_HAS(d.entries[0].reason, "(the change was not stored)");
	rbm_store_rollback(s);
	CHECK_INT(query_int(s, "SELECT generation FROM data_generation"), 0);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* Text sorts by bytes whatever the database's collation (here ICU's en-US), as on SQLite. */
static void pg_text_sorts_by_bytes(void)
{
	const char *db = test_db_new_icu("collate");
	struct rbm_store *s = open_db(db, 0);
	CHECK(s != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(exec_sql(s, "INSERT INTO users(name, role, password_hash, created_at) VALUES "
			      "('b', 'viewer', 'x', 'now'), ('B', 'viewer', 'x', 'now'), "
			      "('a', 'viewer', 'x', 'now'), ('_', 'viewer', 'x', 'now')", &d), RBM_OK);
	struct rbm_query *q = NULL;
	CHECK_INT(rbm_store_query(s, "SELECT name FROM users ORDER BY name", &q, &d), RBM_OK);
	const char *want[] = {"B", "_", "a", "b"};
	for (int i = 0; i < 4; i++) {
		CHECK_INT(rbm_query_step(q, &d), RBM_OK);
		CHECK_STR(rbm_query_text(q, 0), want[i]);
	}
	rbm_query_free(q);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

#define BOTH                                                                                   \
	T(small_plan_round_trip), T(bundled_plan_round_trip), T(places_round_trip),            \
		T(migrations_from_empty), T(migration_from_previous_version),                  \
		T(newer_schema_refused), T(conflicting_plan_needs_replace),                    \
		T(failed_write_stores_nothing), T(audit_log_is_append_only), T(query_interface), \
		T(statements_interleave), T(bulk_inserts), T(transactions_nest_and_roll_back)

int main(int argc, char **argv)
{
	static const struct test_case on_sqlite[] = {BOTH, T(sqlite_missing_database),
						     T(sqlite_durable_settings)};
	static const struct test_case on_pg[] = {
		BOTH,
		T(pg_bad_urls),
		T(pg_refused_connection),
		T(pg_wrong_password),
		T(pg_missing_database),
		T(pg_serialization_failure_is_a_conflict),
		T(pg_writers_take_turns),
		T(pg_lost_connection),
		T(pg_text_sorts_by_bytes),
	};
	printf("# the store on %s\n", test_db_backend());
	if (test_db_pg())
		return test_run(on_pg, sizeof on_pg / sizeof *on_pg, argc, argv);
	return test_run(on_sqlite, sizeof on_sqlite / sizeof *on_sqlite, argc, argv);
}
