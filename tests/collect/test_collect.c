/*
 * test_collect.c - cycles, forms, answers, the submission lifecycle, imports
 * and the audit chain, through the C API on a real SQLite file.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "core/fs.h"
#include "plan/plan.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"

static const struct rbm_actor admin = {"ana", "cli", "local", true};
static const struct rbm_actor reporter = {"kofi", "web", "127.0.0.1", false};

struct env {
	struct rbm_store *s;
	struct rbm_plan *p;
	char db[512];
};

/* A fresh database with the small plan and places; cycle 2021 open Jan 10 - Feb 28 2022. */
static bool setup(struct env *e, const char *name)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	snprintf(e->db, sizeof e->db, "%s/%s", test_tmpdir(), name);
	unlink(e->db);
	setenv("RBM_NOW", "2022-02-01T10:00:00Z", 1);
	bool ok = rbm_plan_load(SMALL, test_places(), &e->p, &d) == RBM_OK &&
		  rbm_store_open(e->db, RBM_STORE_CREATE, &e->s, &d) == RBM_OK &&
		  rbm_store_put_places(e->s, test_places(), &d) == RBM_OK &&
		  rbm_store_put_plan(e->s, e->p, false, NULL, &d) == RBM_OK &&
		  rbm_collect_cycle_open(e->s, e->p, 2021, "2022-01-10", "2022-02-28", NULL, 0, false,
					 &admin, &d) == RBM_OK;
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return ok;
}

static void teardown(struct env *e)
{
	rbm_store_close(e->s);
	rbm_plan_free(e->p);
}

/* Content for KEN from answers; returns false (with problems printed) on failure. */
static bool content(struct env *e, const struct rbm_answer *a, size_t n, struct rbm_content *c)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	bool ok = rbm_collect_form(e->p, test_places(), 2021, "KEN", &f, &d) == RBM_OK &&
		  rbm_collect_answers(e->p, f, a, n, c, "test", "row 1", &d) == RBM_OK;
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	rbm_collect_form_free(f);
	return ok;
}

static long long count(struct env *e, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_open(e->db, &h) == SQLITE_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return v;
}

static void form_follows_the_plan(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	struct rbm_form *f = NULL;
	CHECK_INT(rbm_plan_load(SMALL, test_places(), &p, &d), RBM_OK);
	CHECK_INT(rbm_collect_form(p, test_places(), 2021, "KEN", &f, &d), RBM_OK);
	CHECK_STR(f->id, "rbm_2021_KEN");
	const struct rbm_question *q = rbm_collect_form_question(f, "v_1_1_a");
	CHECK(q != NULL);
	CHECK_INT(q->type, RBM_Q_INTEGER);
	CHECK_STR(q->constraint, ". >= 0");
	CHECK(rbm_collect_form_question(f, "v_1_1_a__female") != NULL);
	CHECK(rbm_collect_form_question(f, "v_1_1_a__male") != NULL);
	/* 1.2.b and 1.2.c are not assigned to KEN; 1.2.a (percent) and 1.2.d (text) are. */
	CHECK(rbm_collect_form_question(f, "v_1_2_b") == NULL);
	q = rbm_collect_form_question(f, "v_1_2_a");
	CHECK(q && q->has_max && q->max == 100);
	CHECK_INT(rbm_collect_form_question(f, "v_1_2_d")->type, RBM_Q_TEXT);
	CHECK(rbm_collect_form_question(f, "o_1_1_narrative") != NULL);
	CHECK(rbm_collect_form_question(f, "o_1_1_lang")->required);
	const struct rbm_choice_list *l = rbm_collect_form_list(f, "countries");
	CHECK_INT(l->choices_len, 1);
	CHECK_STR(l->choices[0].name, "KEN");
	/* Labels in six languages; the plan's Chinese title where it has one. */
	CHECK_HAS(rbm_text_get(&f->title, RBM_LANG_FR), "Enquête sur les résultats 2021");
	CHECK(rbm_collect_form(p, test_places(), 2021, "NOPE", &f, &d) == RBM_ENOENT);
	CHECK(rbm_collect_form(p, test_places(), 2030, "KEN", &f, &d) == RBM_EINVAL);
	rbm_collect_form_free(f);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

static void answers_are_checked(void)
{
	struct env e;
	CHECK(setup(&e, "answers.db"));
	struct rbm_answer bad[] = {
		{"v_1_1_a", "12.5", NULL, NULL},     {"v_1_2_a", "130", NULL, NULL},  {"v_1_1_b", "abc", NULL, NULL},
		{"o_1_1_countries", "KEN UGA", NULL, NULL}, {"v_9_9_z", "1", NULL, NULL}, {"o_1_1_narrative", "x", NULL, NULL},
		{"_id", "77", NULL, NULL},
	};
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	struct rbm_content c = {0};
	CHECK_INT(rbm_collect_form(e.p, test_places(), 2021, "KEN", &f, &d), RBM_OK);
	CHECK_INT(rbm_collect_answers(e.p, f, bad, 7, &c, "k.csv", "row 3", &d), RBM_EINVAL);
	char all[4096] = "";
	for (size_t i = 0; i < d.len; i++) {
		strcat(all, d.entries[i].where);
		strcat(all, ": ");
		strcat(all, d.entries[i].reason);
		strcat(all, "\n");
	}
	CHECK_HAS(all, "row 3, column v_1_1_a: expected a whole number, got \"12.5\"");
	CHECK_HAS(all, "row 3, column v_1_2_a: expected a number from 0 to 100, got \"130\"");
	CHECK_HAS(all, "row 3, column v_1_1_b: expected a number, got \"abc\"");
	CHECK_HAS(all, "row 3, column o_1_1_countries: \"UGA\" is not one of the choices in the list countries");
	CHECK_HAS(all, "row 3, column v_9_9_z: no question of the rbm_2021_KEN form has this name");
	CHECK_HAS(all, "row 3, column o_1_1_lang: a narrative needs its language");
	CHECK_INT(d.len, 6); /* _id is metadata: ignored */
	rbm_diag_free(&d);
	rbm_collect_form_free(f);
	teardown(&e);
}

static void lifecycle(void)
{
	struct env e;
	CHECK(setup(&e, "life.db"));
	struct rbm_answer a1[] = {{"v_1_1_a", "1000", NULL, NULL}, {"v_1_1_a__female", "600", NULL, NULL},
				  {"o_1_1_narrative", "Water points repaired.", NULL, NULL}, {"o_1_1_lang", "en", NULL, NULL}};
	struct rbm_answer a2[] = {{"v_1_1_a", "1200", NULL, NULL}, {"v_1_1_a__female", "700", NULL, NULL},
				  {"v_1_1_a__male", "500", NULL, NULL}};
	struct rbm_content c1 = {0}, c2 = {0};
	CHECK(content(&e, a1, 4, &c1));
	CHECK(content(&e, a2, 3, &c2));
	struct rbm_diag d;
	rbm_diag_init(&d);
	long long id = 0;
	bool changed = false;
	/* A draft. */
	struct rbm_save req = {2021, "KEN", "u-1", &c1, false, -1, false, "form", NULL};
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, &changed, &d), RBM_OK);
	CHECK(changed);
	struct rbm_submission sub = {0};
	CHECK_INT(rbm_collect_submission_get(e.s, id, &sub, &d), RBM_OK);
	CHECK_INT(sub.status, RBM_STATUS_DRAFT);
	CHECK_INT(sub.rev, 1);
	rbm_collect_submission_free(&sub);
	/* A draft cannot be approved. */
	CHECK_INT(rbm_collect_approve(e.s, id, -1, &admin, &d), RBM_ECONFLICT);
	CHECK_HAS(d.entries[d.len - 1].reason, "is a draft: only a submitted submission can be approved");
	/* Submit the same content: a status change, no new revision. */
	req.submit = true;
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, &changed, &d), RBM_OK);
	CHECK(changed);
	CHECK_INT(rbm_collect_submission_get(e.s, id, &sub, &d), RBM_OK);
	CHECK_INT(sub.status, RBM_STATUS_SUBMITTED);
	CHECK_INT(sub.rev, 1);
	rbm_collect_submission_free(&sub);
	/* A return needs a comment. */
	CHECK_INT(rbm_collect_return(e.s, id, -1, "  ", &admin, &d), RBM_EINVAL);
	CHECK_INT(rbm_collect_return(e.s, id, 1, "Add the male figure.", &admin, &d), RBM_OK);
	CHECK_INT(rbm_collect_submission_get(e.s, id, &sub, &d), RBM_OK);
	CHECK_INT(sub.status, RBM_STATUS_RETURNED);
	CHECK_STR(sub.comment, "Add the male figure.");
	rbm_collect_submission_free(&sub);
	/* A change made from an old revision is refused... */
	struct rbm_save stale = {2021, "KEN", "u-1", &c2, true, 0, false, "form", NULL};
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &stale, &reporter, &id, &changed, &d), RBM_ECONFLICT);
	CHECK(!changed);
	/* ...and the corrected one from revision 1 is revision 2, submitted again. */
	stale.base_rev = 1;
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &stale, &reporter, &id, &changed, &d), RBM_OK);
	CHECK_INT(rbm_collect_submission_get(e.s, id, &sub, &d), RBM_OK);
	CHECK_INT(sub.status, RBM_STATUS_SUBMITTED);
	CHECK_INT(sub.rev, 2);
	CHECK(sub.comment == NULL);
	rbm_collect_submission_free(&sub);
	/* Approving with the revision the reviewer saw. */
	CHECK_INT(rbm_collect_approve(e.s, id, 1, &admin, &d), RBM_ECONFLICT);
	CHECK_INT(rbm_collect_approve(e.s, id, 2, &admin, &d), RBM_OK);
	CHECK_INT(rbm_collect_approve(e.s, id, -1, &admin, &d), RBM_ECONFLICT);
	CHECK_INT(rbm_collect_submission_get(e.s, id, &sub, &d), RBM_OK);
	CHECK_INT(sub.status, RBM_STATUS_APPROVED);
	CHECK_INT(sub.approved_rev, 2);
	rbm_collect_submission_free(&sub);
	/* Both revisions are kept, and the first is unchanged. */
	struct rbm_revision r1 = {0};
	CHECK_INT(rbm_collect_revision_get(e.s, id, 1, &r1, &d), RBM_OK);
	CHECK_HAS(r1.content_json, "\"value\":1000");
	rbm_collect_revision_free(&r1);
	CHECK_INT(count(&e, "SELECT count(*) FROM revisions"), 2);
	CHECK_INT(count(&e, "SELECT count(*) FROM submission_events"), 5);
	rbm_collect_content_free(&c1);
	rbm_collect_content_free(&c2);
	rbm_diag_free(&d);
	teardown(&e);
}

static void window_and_closed_cycle(void)
{
	struct env e;
	CHECK(setup(&e, "window.db"));
	struct rbm_answer a[] = {{"v_1_1_a", "10", NULL, NULL}};
	struct rbm_content c = {0};
	CHECK(content(&e, a, 1, &c));
	struct rbm_diag d;
	rbm_diag_init(&d);
	long long id;
	struct rbm_save req = {2021, "KEN", NULL, &c, true, -1, false, "x", "2022-03-05T08:00:00Z"};
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, NULL, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[d.len - 1].reason, "accepts submissions from 2022-01-10 to 2022-02-28; this one is dated 2022-03-05");
	req.late = true;
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, NULL, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[d.len - 1].reason, "only an administrator");
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &admin, &id, NULL, &d), RBM_OK);
	CHECK_INT(count(&e, "SELECT late FROM revisions"), 1);
	CHECK_INT(rbm_collect_cycle_close(e.s, 2021, &admin, &d), RBM_OK);
	req.late = false;
	req.submitted_at = NULL;
	c.values[0].value = 11;
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, NULL, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[d.len - 1].reason, "the cycle 2021 is closed");
	CHECK_INT(rbm_collect_cycle_reopen(e.s, 2021, "2022-03-31", &admin, &d), RBM_OK);
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, NULL, &d), RBM_OK);
	rbm_collect_content_free(&c);
	rbm_diag_free(&d);
	teardown(&e);
}

static void places_are_restricted(void)
{
	struct env e;
	CHECK(setup(&e, "places.db"));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_content c = {0};
	struct rbm_answer a[] = {{"v_1_1_a", "10", "UGA", NULL}};
	CHECK(content(&e, a, 1, &c));
	long long id;
	struct rbm_save req = {2021, "KEN", NULL, &c, true, -1, false, "x", NULL};
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, NULL, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[d.len - 1].reason, "country UGA lies outside the places office KEN reports on");
	CHECK_INT(count(&e, "SELECT count(*) FROM submissions"), 0);
	rbm_collect_content_free(&c);
	rbm_diag_free(&d);
	teardown(&e);
}

static const char *put_file(const char *name, const char *text)
{
	return test_write_file(name, text, strlen(text));
}

static void import_is_all_or_nothing(void)
{
	struct env e;
	CHECK(setup(&e, "import.db"));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_import_opts o = {0};
	struct rbm_import_result res;
	char path[512];
	snprintf(path, sizeof path, "%s", put_file("mixed.json",
		"{\"rbm_submissions\": 1, \"submissions\": ["
		"{\"uuid\": \"a\", \"cycle\": 2021, \"office\": \"KEN\", \"values\": [{\"indicator\": \"1.1.a\", \"value\": 5}]},"
		"{\"uuid\": \"b\", \"cycle\": 2021, \"office\": \"ROAF\", \"values\": [{\"indicator\": \"1.1.a\", \"value\": -1}]}]}"));
	CHECK_INT(rbm_collect_import(e.s, e.p, test_places(), path, &o, &admin, &res, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[0].where, "$.submissions[1]");
	CHECK_INT(count(&e, "SELECT count(*) FROM submissions"), 0);
	CHECK_INT(count(&e, "SELECT count(*) FROM revisions"), 0);
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	/* The same uuid twice with different content. */
	snprintf(path, sizeof path, "%s", put_file("dup.csv",
		"uuid,cycle,office,submitted_at,status,question,value\n"
		"a,2021,KEN,2022-02-01T00:00:00Z,submitted,v_1_1_a,5\n"
		"b,2021,ROAF,2022-02-01T00:00:00Z,submitted,v_1_1_a,5\n"
		"a,2021,KEN,2022-02-01T00:00:00Z,submitted,v_1_1_a,6\n"));
	CHECK_INT(rbm_collect_import(e.s, e.p, test_places(), path, &o, &admin, &res, &d), RBM_EINVAL);
	CHECK_HAS(d.entries[0].reason, "uuid a appears at line 2 already, with different content");
	CHECK_INT(count(&e, "SELECT count(*) FROM submissions"), 0);
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	/* A KoBo export: group paths, split select_multiple, BOM, CRLF; then again: unchanged. */
	snprintf(path, sizeof path, "%s", put_file("kobo.csv",
		"\xEF\xBB\xBF" "start,d_1/o_1_1/v_1_1_a,d_1/o_1_1/v_1_1_a__female,d_1/o_1_1/o_1_1_narrative,"
		"d_1/o_1_1/o_1_1_lang,d_1/o_1_1/o_1_1_programmes,d_1/o_1_1/o_1_1_programmes/FP1,"
		"d_1/o_1_1/o_1_1_programmes/FP2,rbm_office,rbm_cycle,_id,_uuid,_submission_time,_index\r\n"
		"2022-02-01,2500,1300,\"Kiosks, run by residents\",en,,1,0,KEN,2021,11,kb-1,2022-02-03T10:00:00,1\r\n"));
	CHECK_INT(rbm_collect_import(e.s, e.p, test_places(), path, &o, &admin, &res, &d), RBM_OK);
	rbm_diag_print(&d, stdout, "# ");
	CHECK_STR(res.format, "kobo-csv");
	CHECK_INT(res.created, 1);
	CHECK_INT(count(&e, "SELECT count(*) FROM revision_tags WHERE kind = 'programme' AND code = 'FP1'"), 1);
	CHECK_INT(count(&e, "SELECT count(*) FROM revision_tags WHERE code = 'FP2'"), 0);
	CHECK_INT(count(&e, "SELECT value FROM revision_values WHERE category = 'female'"), 1300);
	CHECK_INT(count(&e, "SELECT count(*) FROM revision_values WHERE country = 'KEN'"), 2);
	CHECK_INT(rbm_collect_import(e.s, e.p, test_places(), path, &o, &admin, &res, &d), RBM_OK);
	CHECK_INT(res.created, 0);
	CHECK_INT(res.unchanged, 1);
	CHECK_INT(count(&e, "SELECT count(*) FROM revisions"), 1);
	rbm_diag_free(&d);
	teardown(&e);
}

static void audit_chain_detects_tampering(void)
{
	struct env e;
	CHECK(setup(&e, "audit.db"));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_answer a[] = {{"v_1_1_a", "10", NULL, NULL}};
	struct rbm_content c = {0};
	CHECK(content(&e, a, 1, &c));
	long long id;
	struct rbm_save req = {2021, "KEN", NULL, &c, true, -1, false, "x", NULL};
	CHECK_INT(rbm_collect_save(e.s, e.p, test_places(), &req, &reporter, &id, NULL, &d), RBM_OK);
	CHECK_INT(rbm_collect_approve(e.s, id, -1, &admin, &d), RBM_OK);
	size_t n = 0;
	long long bad = 0;
	CHECK_INT(rbm_store_audit_verify(e.s, &n, &bad, &d), RBM_OK);
	CHECK_INT(n, 3);
	rbm_store_close(e.s);
	e.s = NULL;
	/* The log refuses changes... */
	sqlite3 *h;
	CHECK(sqlite3_open(e.db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, "UPDATE audit_log SET actor = 'mallory' WHERE id = 2", NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(h, "DELETE FROM audit_log WHERE id = 3", NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(h, "UPDATE revisions SET content = '{}'", NULL, NULL, NULL) != SQLITE_OK);
	/* ...and a change made behind its back breaks the chain. */
	CHECK(sqlite3_exec(h, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 2",
			   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
	CHECK_INT(rbm_store_open(e.db, 0, &e.s, &d), RBM_OK);
	CHECK_INT(rbm_store_audit_verify(e.s, &n, &bad, &d), RBM_ECONFLICT);
	CHECK_INT(bad, 2);
	CHECK_HAS(d.entries[d.len - 1].reason, "audit log row 2");
	rbm_collect_content_free(&c);
	rbm_diag_free(&d);
	teardown(&e);
}

static void content_json_round_trip(void)
{
	struct env e;
	CHECK(setup(&e, "json.db"));
	struct rbm_answer a[] = {{"v_1_1_a", "1000", NULL, NULL}, {"v_1_1_a__male", "400", NULL, NULL},
				 {"o_1_1_narrative", "Des bornes-fontaines réparées.", NULL, NULL},
				 {"o_1_1_lang", "fr", NULL, NULL}, {"v_1_2_d", "A story.", NULL, NULL}};
	struct rbm_content c = {0}, back = {0};
	CHECK(content(&e, a, 5, &c));
	char *j1 = rbm_collect_content_json(e.p, &c);
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_collect_content_parse(e.p, j1, &back, &d), RBM_OK);
	char *j2 = rbm_collect_content_json(e.p, &back);
	CHECK_STR(j1, j2);
	CHECK_HAS(j1, "\"lang\":\"fr\"");
	CHECK_HAS(j1, "\"text\":\"A story.\"");
	char h1[65], h2[65];
	rbm_collect_content_hash(e.p, &c, h1);
	rbm_collect_content_hash(e.p, &back, h2);
	CHECK_STR(h1, h2);
	free(j1);
	free(j2);
	rbm_collect_content_free(&c);
	rbm_collect_content_free(&back);
	rbm_diag_free(&d);
	teardown(&e);
}

TEST_MAIN(T(form_follows_the_plan), T(answers_are_checked), T(lifecycle),
	  T(window_and_closed_cycle), T(places_are_restricted), T(import_is_all_or_nothing),
	  T(audit_chain_detects_tampering), T(content_json_round_trip))
