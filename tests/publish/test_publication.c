/*
 * test_publication.c - publishing reports: set, get, list and unset; each
 * change audited in its own transaction; unknown reports and cycles
 * refused with nothing written; a database at the previous schema version
 * upgraded with its data kept.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "plan/plan.h"
#include "publish/publication.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"
#define NOW "2022-03-01T09:30:00Z"

static const struct rbm_actor ana = {"ana", "cli", "local", true};
static const struct rbm_actor web = {"kofi", "web", "192.0.2.7", true};

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

/*
 * Opens db (created), at schema version target (0: the latest), with the
 * small plan and cycles 2021 and 2022 open.
 */
static struct rbm_store *setup(const char *db, int target)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	setenv("RBM_NOW", NOW, 1);
	bool ok = rbm_plan_load(SMALL, test_places(), &p, &d) == RBM_OK &&
		  rbm_store_open(db, RBM_STORE_CREATE | RBM_STORE_NO_MIGRATE, &s, &d) == RBM_OK &&
		  rbm_store_migrate(s, target, &d) == RBM_OK &&
		  rbm_store_put_places(s, test_places(), &d) == RBM_OK &&
		  rbm_store_put_plan(s, p, false, NULL, &d) == RBM_OK &&
		  rbm_collect_cycle_open(s, p, 2021, "2022-01-10", "2022-02-28", NULL, 0, false, &ana, &d) == RBM_OK &&
		  rbm_collect_cycle_open(s, p, 2022, "2023-01-10", "2023-02-28", NULL, 0, false, &ana, &d) == RBM_OK;
	if (!ok) {
		rbm_diag_print(&d, stdout, "# ");
		rbm_store_close(s);
		s = NULL;
	}
	rbm_plan_free(p);
	rbm_diag_free(&d);
	return s;
}

static long long audit_count(struct rbm_store *s, const char *action)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_audit_row *v = NULL;
	size_t n = 0;
	long long k = -1;
	if (rbm_store_audit_list(s, NULL, NULL, &v, &n, &d) == RBM_OK) {
		k = 0;
		for (size_t i = 0; i < n; i++)
			k += action == NULL || strcmp(v[i].action, action) == 0;
	}
	rbm_store_audit_rows_free(v, n);
	rbm_diag_free(&d);
	return k;
}

static void set_get_unset(void)
{
	struct rbm_store *s = setup(db_path("p.db"), 0);
	CHECK(s != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	bool pub = true;
	char at[21] = "junk";
	/* Nothing is published at first. */
	CHECK_INT(rbm_publication_get(s, "annual", 2021, &pub, at, &d), RBM_OK);
	CHECK(!pub);
	CHECK_STR(at, "");
	CHECK_INT(rbm_publication_set(s, "annual", 2021, true, &ana, &d), RBM_OK);
	CHECK_INT(rbm_diag_count(&d), 0);
	CHECK_INT(rbm_publication_get(s, "annual", 2021, &pub, at, &d), RBM_OK);
	CHECK(pub);
	CHECK_STR(at, NOW);
	/* Only that report of that year. */
	CHECK_INT(rbm_publication_get(s, "highlights", 2021, &pub, NULL, &d), RBM_OK);
	CHECK(!pub);
	CHECK_INT(rbm_publication_get(s, "annual", 2022, &pub, at, &d), RBM_OK);
	CHECK(!pub);
	/* A year without a cycle is just not published. */
	CHECK_INT(rbm_publication_get(s, "annual", 1999, &pub, at, &d), RBM_OK);
	CHECK(!pub);
	/* Publishing twice is refused, naming when and by whom. */
	CHECK_INT(rbm_publication_set(s, "annual", 2021, true, &web, &d), RBM_ECONFLICT);
	CHECK_STR(d.entries[0].reason,
		  "the annual report of 2021 is published already (since " NOW ", by ana)");
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	/* Unpublished: gone. */
	setenv("RBM_NOW", "2022-03-02T08:00:00Z", 1);
	CHECK_INT(rbm_publication_set(s, "annual", 2021, false, &web, &d), RBM_OK);
	CHECK_INT(rbm_publication_get(s, "annual", 2021, &pub, at, &d), RBM_OK);
	CHECK(!pub);
	CHECK_STR(at, "");
	CHECK_INT(rbm_publication_set(s, "annual", 2021, false, &web, &d), RBM_ECONFLICT);
	CHECK_STR(d.entries[0].reason, "the annual report of 2021 is not published");
	/* And back. */
	CHECK_INT(rbm_publication_set(s, "annual", 2021, true, &web, &d), RBM_OK);
	CHECK_INT(rbm_publication_get(s, "annual", 2021, &pub, at, &d), RBM_OK);
	CHECK(pub);
	CHECK_STR(at, "2022-03-02T08:00:00Z");
	rbm_store_close(s);
	rbm_diag_free(&d);
}

static void audited(void)
{
	const char *db = db_path("audit.db");
	struct rbm_store *s = setup(db, 0);
	CHECK(s != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	long long before = audit_count(s, NULL);
	CHECK(before > 0);
	CHECK_INT(rbm_publication_set(s, "highlights", 2021, true, &ana, &d), RBM_OK);
	setenv("RBM_NOW", "2022-04-01T00:00:00Z", 1);
	CHECK_INT(rbm_publication_set(s, "highlights", 2021, false, &web, &d), RBM_OK);
	/* Refusals write nothing. */
	CHECK_INT(rbm_publication_set(s, "highlights", 2021, false, &web, &d), RBM_ECONFLICT);
	CHECK_INT(audit_count(s, NULL), before + 2);
	struct rbm_audit_row *v = NULL;
	size_t n = 0;
	CHECK_INT(rbm_store_audit_list(s, NULL, NULL, &v, &n, &d), RBM_OK);
	CHECK(n >= 2);
	struct rbm_audit_row *p = &v[n - 2], *u = &v[n - 1];
	CHECK_STR(p->action, "report.publish");
	CHECK_STR(p->object, "report highlights 2021");
	CHECK_STR(p->actor, "ana");
	CHECK_STR(p->channel, "cli");
	CHECK_STR(p->at, NOW);
	CHECK(p->detail == NULL);
	CHECK_STR(u->action, "report.unpublish");
	CHECK_STR(u->object, "report highlights 2021");
	CHECK_STR(u->actor, "kofi");
	CHECK_STR(u->channel, "web");
	CHECK_STR(u->address, "192.0.2.7");
	CHECK_STR(u->detail, "published since " NOW " by ana");
	rbm_store_audit_rows_free(v, n);
	/* The chain still verifies. */
	size_t checked = 0;
	long long bad = 0;
	CHECK_INT(rbm_store_audit_verify(s, &checked, &bad, &d), RBM_OK);
	CHECK_INT(checked, before + 2);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

static void unknown_report_refused(void)
{
	const char *db = db_path("unknown.db");
	struct rbm_store *s = setup(db, 0);
	CHECK(s != NULL);
	long long before = audit_count(s, NULL);
	const char *bad[] = {"yearly", "Annual", "", "highlights ", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		bool pub = true;
		char want[128];
		snprintf(want, sizeof want, "unknown report '%s' (expected highlights or annual)",
			 bad[i] ? bad[i] : "");
		CHECK(!rbm_publication_report_known(bad[i]));
		CHECK_INT(rbm_publication_set(s, bad[i], 2021, true, &ana, &d), RBM_EINVAL);
		CHECK_STR(d.entries[0].reason, want);
		CHECK_INT(rbm_publication_get(s, bad[i], 2021, &pub, NULL, &d), RBM_EINVAL);
		CHECK(pub); /* untouched */
		rbm_diag_free(&d);
	}
	CHECK(rbm_publication_report_known("highlights"));
	CHECK(rbm_publication_report_known("annual"));
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM publications"), 0);
	s = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_OK);
	CHECK_INT(audit_count(s, NULL), before);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

static void unknown_cycle_refused(void)
{
	const char *db = db_path("nocycle.db");
	struct rbm_store *s = setup(db, 0);
	CHECK(s != NULL);
	long long before = audit_count(s, NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_publication_set(s, "annual", 2030, true, &ana, &d), RBM_ENOENT);
	CHECK_HAS(d.entries[0].reason, "there is no reporting cycle for 2030");
	CHECK_INT(audit_count(s, NULL), before);
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM publications"), 0);
	rbm_diag_free(&d);
}

static void listed_newest_first(void)
{
	struct rbm_store *s = setup(db_path("list.db"), 0);
	CHECK(s != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_publication *v = NULL;
	size_t n = 99;
	CHECK_INT(rbm_publication_list(s, &v, &n, &d), RBM_OK);
	CHECK_INT(n, 0);
	rbm_publication_list_free(v, n);
	CHECK_INT(rbm_publication_set(s, "highlights", 2021, true, &ana, &d), RBM_OK);
	CHECK_INT(rbm_publication_set(s, "annual", 2021, true, &ana, &d), RBM_OK);
	setenv("RBM_NOW", "2023-03-01T00:00:00Z", 1);
	CHECK_INT(rbm_publication_set(s, "annual", 2022, true, &web, &d), RBM_OK);
	CHECK_INT(rbm_publication_list(s, &v, &n, &d), RBM_OK);
	CHECK_INT(n, 3);
	CHECK_STR(v[0].report, "annual");
	CHECK_INT(v[0].year, 2022);
	CHECK_STR(v[0].published_at, "2023-03-01T00:00:00Z");
	CHECK_STR(v[0].published_by, "kofi");
	CHECK_STR(v[1].report, "annual");
	CHECK_INT(v[1].year, 2021);
	CHECK_STR(v[1].published_at, NOW);
	CHECK_STR(v[1].published_by, "ana");
	CHECK_STR(v[2].report, "highlights");
	CHECK_INT(v[2].year, 2021);
	rbm_publication_list_free(v, n);
	rbm_publication_list_free(NULL, 0);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

/* A database at the version before publications: opening upgrades it and keeps its cycles and log. */
static void migration_from_previous_version(void)
{
	const char *db = db_path("v6.db");
	int latest = rbm_store_schema_latest();
	CHECK(latest >= 7);
	/* Version 6: the one before publications (7), whatever the latest is. */
	struct rbm_store *s = setup(db, 6);
	CHECK(s != NULL);
	long long before = audit_count(s, NULL);
	CHECK(before >= 2);
	rbm_store_close(s);
	CHECK_INT(sql_int(db, "SELECT max(version) FROM schema_migrations"), 6);
	CHECK_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'publications'"), 0);
	struct rbm_diag d;
	rbm_diag_init(&d);
	s = NULL;
	CHECK_INT(rbm_store_open(db, 0, &s, &d), RBM_OK);
	int v = -1;
	CHECK_INT(rbm_store_schema_version(s, &v, &d), RBM_OK);
	CHECK_INT(v, latest);
	struct rbm_cycle c;
	CHECK_INT(rbm_collect_cycle_get(s, 2021, &c, &d), RBM_OK);
	CHECK_STR(c.opens, "2022-01-10");
	rbm_collect_cycle_free(&c);
	CHECK_INT(audit_count(s, NULL), before);
	CHECK_INT(rbm_publication_set(s, "annual", 2021, true, &ana, &d), RBM_OK);
	bool pub = false;
	CHECK_INT(rbm_publication_get(s, "annual", 2021, &pub, NULL, &d), RBM_OK);
	CHECK(pub);
	size_t checked = 0;
	long long bad = 0;
	CHECK_INT(rbm_store_audit_verify(s, &checked, &bad, &d), RBM_OK);
	CHECK_INT(checked, before + 1);
	rbm_store_close(s);
	/* The table refuses what the module refuses, should anything else write it. */
	CHECK_INT(sql_int(db, "SELECT count(*) FROM publications"), 1);
	sqlite3 *h;
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, "INSERT INTO publications VALUES ('yearly', 2021, 'x', 'y')", NULL, NULL, NULL) ==
	      SQLITE_CONSTRAINT);
	CHECK(sqlite3_exec(h, "PRAGMA foreign_keys=ON; INSERT INTO publications VALUES ('highlights', 1999, 'x', 'y')",
			   NULL, NULL, NULL) == SQLITE_CONSTRAINT);
	sqlite3_close(h);
	rbm_diag_free(&d);
}

/* Inside a caller's transaction that rolls back, nothing stays: one transaction with its audit entry. */
static void rolled_back_with_the_caller(void)
{
	const char *db = db_path("rollback.db");
	struct rbm_store *s = setup(db, 0);
	CHECK(s != NULL);
	long long before = audit_count(s, NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_store_begin(s, &d), RBM_OK);
	CHECK_INT(rbm_publication_set(s, "annual", 2021, true, &ana, &d), RBM_OK);
	rbm_store_rollback(s);
	bool pub = true;
	CHECK_INT(rbm_publication_get(s, "annual", 2021, &pub, NULL, &d), RBM_OK);
	CHECK(!pub);
	CHECK_INT(audit_count(s, NULL), before);
	rbm_store_close(s);
	rbm_diag_free(&d);
}

TEST_MAIN(T(set_get_unset), T(audited), T(unknown_report_refused), T(unknown_cycle_refused),
	  T(listed_newest_first), T(migration_from_previous_version), T(rolled_back_with_the_caller))
