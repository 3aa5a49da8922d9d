/*
 * test_report.c - building reports: placeholders filled from the data and
 * formatted per language, English fallback and --strict, unknown figures,
 * broken definitions, stale translations; Markdown against a golden file,
 * HTML well-formed with lang and dir.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "measure/measure.h"
#include "plan/plan.h"
#include "publish/editorial.h"
#include "publish/i18n.h"
#include "publish/locale.h"
#include "publish/report.h"
#include "store/store.h"

#include <stdlib.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"
#define DIR "tests/cases/reports/TEST-2020"

static const struct rbm_actor admin = {"ed", "cli", "local", true};

struct env {
	struct rbm_store *s;
	struct rbm_plan *p;
	struct rbm_measure *m;
	struct rbm_figures *figs;
	struct rbm_cycle cycle;
	char db[512];
};

static const char *put(const char *name, const char *text)
{
	return test_write_file(name, text, strlen(text));
}

static bool setup(struct env *e)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	memset(e, 0, sizeof *e);
	snprintf(e->db, sizeof e->db, "%s/report.db", test_tmpdir());
	unlink(e->db);
	setenv("RBM_NOW", "2022-02-01T10:00:00Z", 1);
	char subs[512];
	snprintf(subs, sizeof subs, "%s", put("subs.json",
		"{\"rbm_submissions\": 1, \"submissions\": ["
		"{\"uuid\": \"k\", \"cycle\": 2021, \"office\": \"KEN\", \"values\": ["
		"{\"indicator\": \"1.1.a\", \"value\": 2899810}, {\"indicator\": \"1.1.b\", \"value\": 1}],"
		"\"outcomes\": [{\"outcome\": \"1.1\", \"programmes\": [\"FP1\"]}]},"
		"{\"uuid\": \"r\", \"cycle\": 2021, \"office\": \"ROAF\", \"values\": ["
		"{\"indicator\": \"1.1.b\", \"country\": \"UGA\", \"value\": 1}]}]}"));
	struct rbm_import_opts io = {0};
	struct rbm_import_result res;
	bool ok = rbm_plan_load(SMALL, test_places(), &e->p, &d) == RBM_OK &&
		  rbm_store_open(e->db, RBM_STORE_CREATE, &e->s, &d) == RBM_OK &&
		  rbm_store_put_places(e->s, test_places(), &d) == RBM_OK &&
		  rbm_store_put_plan(e->s, e->p, false, NULL, &d) == RBM_OK &&
		  rbm_collect_cycle_open(e->s, e->p, 2021, "2022-01-10", "2022-02-28", NULL, 0, false, &admin, &d) == RBM_OK &&
		  rbm_collect_import(e->s, e->p, test_places(), subs, &io, &admin, &res, &d) == RBM_OK &&
		  rbm_collect_approve(e->s, 1, -1, &admin, &d) == RBM_OK &&
		  rbm_collect_approve(e->s, 2, -1, &admin, &d) == RBM_OK &&
		  rbm_measure_load(e->s, e->p, test_places(), &e->m, &d) == RBM_OK &&
		  rbm_figures_load(DIR "/figures.json", e->p, &e->figs, &d) == RBM_OK &&
		  rbm_collect_cycle_get(e->s, 2021, &e->cycle, &d) == RBM_OK;
	char ed[512];
	snprintf(ed, sizeof ed, "%s", put("ed.json",
		"{\"rbm_editorial\": 1, \"report\": \"highlights\", \"cycle\": 2021, \"paragraphs\": {"
		"\"method\": {\"en\": \"Collected from {cycle_opens} to {cycle_closes}; {offices_reported} offices reported.\","
		"  \"fr\": \"Recueillis du {cycle_opens} au {cycle_closes} ; {offices_reported} bureaux.\","
		"  \"zh\": \"于 {cycle_opens}至{cycle_closes}收集；{offices_reported} 个办事处提交了报告。\"},"
		"\"domain1\": {\"en\": \"Under **domain of change 1**, about {people_reached | approx} people in {countries_reached} countries.\","
		"  \"fr\": \"Au titre du **domaine de changement 1**, environ {people_reached | approx} personnes dans {countries_reached} pays.\","
		"  \"zh\": \"在**变革领域 1**下，约 {people_reached | approx}人，{countries_reached} 个国家。\","
		"  \"ar\": \"في إطار **مجال التغيير 1**، نحو {people_reached | approx} شخص في {countries_reached} بلدان.\"},"
		"\"a\": {\"en\": \"First **item**.\"}, \"b\": {\"en\": \"Second item, {people_reached}.\"}}}"));
	size_t n;
	ok = ok && rbm_editorial_import(e->s, ed, "ed", &n, &d) == RBM_OK;
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return ok;
}

static void teardown(struct env *e)
{
	rbm_collect_cycle_free(&e->cycle);
	rbm_figures_free(e->figs);
	rbm_measure_free(e->m);
	rbm_plan_free(e->p);
	rbm_store_close(e->s);
}

static struct rbm_doc *build(struct env *e, enum rbm_lang lang, bool strict, const char *dir,
			     size_t *fallbacks, struct rbm_diag *d)
{
	struct rbm_report_ctx c = {e->s, e->p, test_places(), e->m, e->figs, &e->cycle, dir, strict, false};
	struct rbm_doc *doc = NULL;
	rbm_report_build(&c, "highlights", lang, &doc, fallbacks, d);
	return doc;
}

static char *render_md(struct rbm_doc *doc, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_publish_md(doc, path, &d);
	rbm_diag_free(&d);
	return rc == RBM_OK ? test_read_file(path, NULL) : NULL;
}

static void figures_formatted_per_language(void)
{
	struct env e;
	CHECK(setup(&e));
	struct rbm_diag d;
	rbm_diag_init(&d);
	size_t fb = 0;
	struct rbm_doc *en = build(&e, RBM_LANG_EN, false, DIR, &fb, &d);
	rbm_diag_print(&d, stdout, "# ");
	CHECK(en != NULL);
	char *md = render_md(en, "h.en.md");
	CHECK_HAS(md, "1\\. Collected from 10 January 2022 to 28 February 2022; 2 offices reported.");
	CHECK_HAS(md, "2\\. Under **domain of change 1**, about 2.9 million people in 2 countries.");
	CHECK_HAS(md, "> (a) First **item**.");
	CHECK_HAS(md, "> (b) Second item, 2,899,810.");
	CHECK_HAS(md, "# Highlights of the 2021 results");
	CHECK_HAS(md, "TEST/EB.2022/1");
	/* The golden file: the whole English note. */
	char *golden = test_read_file("tests/cases/golden/highlights.en.md", NULL);
	if (golden == NULL || strcmp(golden, md) != 0)
		printf("# golden mismatch; got:\n%s", md);
	CHECK(golden != NULL && strcmp(golden, md) == 0);
	free(golden);
	free(md);
	rbm_doc_free(en);
	struct rbm_doc *zh = build(&e, RBM_LANG_ZH, false, DIR, &fb, &d);
	md = render_md(zh, "h.zh.md");
	CHECK_HAS(md, "约 290 万人，2 个国家。");
	CHECK_HAS(md, "2022 年 1 月 10 日");
	CHECK_HAS(md, "# 2021 年成果要点");
	CHECK_INT(fb, 2); /* items a and b are English only */
	CHECK_HAS(md, "[英文]");
	free(md);
	rbm_doc_free(zh);
	struct rbm_doc *fr = build(&e, RBM_LANG_FR, false, DIR, &fb, &d);
	md = render_md(fr, "h.fr.md");
	CHECK_HAS(md, "environ 2,9 millions personnes dans 2 pays");
	CHECK_HAS(md, "10 janvier 2022");
	CHECK_HAS(md, "2\u202f899\u202f810"); /* French grouping: a narrow no-break space */
	free(md);
	rbm_doc_free(fr);
	teardown(&e);
	rbm_diag_free(&d);
}

static void strict_refuses_fallbacks(void)
{
	struct env e;
	CHECK(setup(&e));
	struct rbm_diag d;
	rbm_diag_init(&d);
	size_t fb;
	struct rbm_doc *doc = build(&e, RBM_LANG_RU, true, DIR, &fb, &d);
	CHECK(doc == NULL);
	CHECK(d.len > 0);
	CHECK_HAS(d.entries[0].reason, "no ru text (--strict)");
	rbm_diag_free(&d);
	teardown(&e);
}

static void draft_marks_missing_text(void)
{
	struct env e;
	CHECK(setup(&e));
	struct rbm_diag d;
	rbm_diag_init(&d);
	/* 2022 has no text at all: an error for the report, a marked placeholder for a draft. */
	struct rbm_cycle next = {0};
	CHECK_INT(rbm_collect_cycle_open(e.s, e.p, 2022, "2023-01-10", "2023-02-28", NULL, 0, false, &admin, &d), RBM_OK);
	CHECK_INT(rbm_collect_cycle_get(e.s, 2022, &next, &d), RBM_OK);
	struct rbm_report_ctx c = {e.s, e.p, test_places(), e.m, e.figs, &next, DIR, false, false};
	struct rbm_doc *doc = NULL;
	size_t fb = 0;
	CHECK_INT(rbm_report_build(&c, "highlights", RBM_LANG_FR, &doc, &fb, &d), RBM_EINVAL);
	CHECK(doc == NULL);
	CHECK(d.len > 0);
	CHECK_HAS(d.entries[0].reason, "no text in any language");
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	c.draft = true;
	CHECK_INT(rbm_report_build(&c, "highlights", RBM_LANG_FR, &doc, &fb, &d), RBM_OK);
	CHECK(doc != NULL);
	CHECK(fb >= 4); /* method, domain1, a, b */
	char *md = doc ? render_md(doc, "draft.md") : NULL;
	CHECK(md && strstr(md, "[Projet : ce paragraphe n'est pas encore rédigé]"));
	free(md);
	rbm_doc_free(doc);
	/* Strict wins over draft: nothing missing passes. */
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	c.strict = true;
	doc = NULL;
	CHECK(rbm_report_build(&c, "highlights", RBM_LANG_FR, &doc, &fb, &d) != RBM_OK);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
	rbm_collect_cycle_free(&next);
	teardown(&e);
}

static void unknown_figure_and_broken_definition(void)
{
	struct env e;
	CHECK(setup(&e));
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_editorial_set(e.s, "highlights", 2021, "a", RBM_LANG_EN, "Now {people_saved}.", "ed", &d), RBM_OK);
	size_t fb;
	struct rbm_doc *doc = build(&e, RBM_LANG_EN, false, DIR, &fb, &d);
	CHECK(doc == NULL);
	CHECK_HAS(d.entries[0].where, "highlights paragraph \"a\"");
	CHECK_HAS(d.entries[0].reason, "unknown figure \"people_saved\"");
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	/* A definition with a syntax error: its file and line. */
	char dir[512];
	snprintf(dir, sizeof dir, "%s/broken", test_tmpdir());
	CHECK(system(NULL) != 0);
	char cmd[2400];
	snprintf(cmd, sizeof cmd, "mkdir -p %s && cp " DIR "/labels.json %s/ && printf '{\\n\"rbm_report\": 1,\\n\"blocks\": [\\n}' > %s/highlights.json", dir, dir, dir);
	CHECK(system(cmd) == 0);
	doc = build(&e, RBM_LANG_EN, false, dir, &fb, &d);
	CHECK(doc == NULL);
	CHECK_HAS(d.entries[0].file, "broken/highlights.json");
	CHECK_HAS(d.entries[0].where, "line 4");
	rbm_diag_free(&d);
	teardown(&e);
}

static void stale_after_an_english_edit(void)
{
	struct env e;
	CHECK(setup(&e));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_i18n_item *v = NULL;
	size_t n = 0;
	CHECK_INT(rbm_i18n_status(e.s, &v, &n, &d), RBM_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, "domain1") == 0) {
			CHECK_INT(v[i].state[RBM_LANG_FR], RBM_I18N_CURRENT);
			CHECK_INT(v[i].state[RBM_LANG_RU], RBM_I18N_MISSING);
		}
	rbm_i18n_items_free(v, n);
	CHECK_INT(rbm_editorial_set(e.s, "highlights", 2021, "domain1", RBM_LANG_EN,
				    "Under **domain of change 1**, {people_reached} people.", "ed", &d), RBM_OK);
	CHECK_INT(rbm_i18n_status(e.s, &v, &n, &d), RBM_OK);
	bool seen = false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, "domain1") == 0) {
			CHECK_INT(v[i].state[RBM_LANG_FR], RBM_I18N_STALE);
			CHECK_INT(v[i].state[RBM_LANG_ZH], RBM_I18N_STALE);
			seen = true;
		}
	rbm_i18n_items_free(v, n);
	CHECK(seen);
	/* XLIFF round trip: export French, translate, import: current again. */
	char xlf[512];
	snprintf(xlf, sizeof xlf, "%s/fr.xlf", test_tmpdir());
	size_t units, todo;
	CHECK_INT(rbm_i18n_export(e.s, RBM_LANG_FR, xlf, &units, &todo, &d), RBM_OK);
	CHECK_INT(units, 4);
	CHECK_INT(todo, 3); /* domain1 stale, a and b missing */
	char *x = test_read_file(xlf, NULL);
	CHECK_HAS(x, "trgLang=\"fr\"");
	/* Translate domain1 by hand in the file. */
	char *unit = strstr(x, "{people_reached} people.</source>");
	CHECK(unit != NULL);
	unit += strlen("{people_reached} people.</source>");
	size_t head = (size_t)(unit - x);
	char *y = malloc(strlen(x) + 200);
	memcpy(y, x, head);
	strcpy(y + head, "<target>Au titre du **domaine de changement 1**, {people_reached} personnes.</target>");
	strcat(y, unit);
	put("fr-done.xlf", y);
	char done[512];
	snprintf(done, sizeof done, "%s/fr-done.xlf", test_tmpdir());
	size_t stored;
	CHECK_INT(rbm_i18n_import(e.s, done, "translator", &stored, &d), RBM_OK);
	CHECK_INT(stored, 2); /* domain1, and method which was current */
	CHECK_INT(rbm_i18n_status(e.s, &v, &n, &d), RBM_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, "domain1") == 0)
			CHECK_INT(v[i].state[RBM_LANG_FR], RBM_I18N_CURRENT);
	rbm_i18n_items_free(v, n);
	/* An import made from an older English is refused, all or nothing. */
	CHECK_INT(rbm_editorial_set(e.s, "highlights", 2021, "method", RBM_LANG_EN, "Changed again.", "ed", &d), RBM_OK);
	CHECK_INT(rbm_i18n_import(e.s, done, "translator", &stored, &d), RBM_ECONFLICT);
	CHECK_HAS(d.entries[d.len - 1].reason, "the English text changed since this file was exported");
	free(x);
	free(y);
	rbm_diag_free(&d);
	teardown(&e);
}

static void html_is_well_formed_and_rtl(void)
{
	struct env e;
	CHECK(setup(&e));
	struct rbm_diag d;
	rbm_diag_init(&d);
	size_t fb;
	const char *alts[] = {"ar=highlights.ar.html", "en=highlights.en.html", NULL};
	for (int l = 0; l < 2; l++) {
		enum rbm_lang lang = l ? RBM_LANG_AR : RBM_LANG_EN;
		struct rbm_doc *doc = build(&e, lang, false, DIR, &fb, &d);
		CHECK(doc != NULL);
		char path[512], cmd[700];
		snprintf(path, sizeof path, "%s/highlights.%s.html", test_tmpdir(), rbm_lang_tag(lang));
		CHECK_INT(rbm_publish_html(doc, path, alts, &d), RBM_OK);
		rbm_doc_free(doc);
		snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
		CHECK(system(cmd) == 0);
		char *h = test_read_file(path, NULL);
		if (lang == RBM_LANG_AR) {
			CHECK_HAS(h, "<html lang=\"ar\" dir=\"rtl\">");
			CHECK_HAS(h, "<strong>مجال التغيير 1</strong>");
		} else {
			CHECK_HAS(h, "<html lang=\"en\" dir=\"ltr\">");
		}
		CHECK_HAS(h, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
		CHECK_HAS(h, "hreflang=\"ar\"");
		CHECK(strstr(h, "http://") == strstr(h, "http://www.w3.org/2000/svg")); /* no external requests */
		free(h);
	}
	char css[512];
	snprintf(css, sizeof css, "%s/rbm.css", test_tmpdir());
	CHECK(access(css, F_OK) == 0);
	/* Text that looks like markup is escaped. */
	CHECK_INT(rbm_editorial_set(e.s, "highlights", 2021, "a", RBM_LANG_EN, "<script>alert(1)</script> & co", "ed", &d), RBM_OK);
	struct rbm_doc *doc = build(&e, RBM_LANG_EN, false, DIR, &fb, &d);
	char path[512];
	snprintf(path, sizeof path, "%s/esc.html", test_tmpdir());
	CHECK_INT(rbm_publish_html(doc, path, NULL, &d), RBM_OK);
	rbm_doc_free(doc);
	char *h = test_read_file(path, NULL);
	CHECK_HAS(h, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
	CHECK(strstr(h, "<script>") == NULL);
	free(h);
	rbm_diag_free(&d);
	teardown(&e);
}

static void locale_formats(void)
{
	char b[128];
	rbm_fmt_compact(RBM_LANG_ZH, 2899810, b, sizeof b);
	CHECK_STR(b, "290 万");
	rbm_fmt_compact(RBM_LANG_EN, 2899810, b, sizeof b);
	CHECK_STR(b, "2.9 million");
	rbm_fmt_compact(RBM_LANG_ES, 2899810, b, sizeof b);
	CHECK_STR(b, "2,9 millones");
	rbm_fmt_number(RBM_LANG_RU, 2899810.5, 1, b, sizeof b);
	CHECK_STR(b, "2\u00a0899\u00a0810,5");
	rbm_fmt_number(RBM_LANG_AR, 45, 0, b, sizeof b);
	CHECK_STR(b, "45"); /* the digits UN Arabic documents use */
	rbm_fmt_date(RBM_LANG_EN, 2022, 4, 28, b, sizeof b);
	CHECK_STR(b, "28 April 2022");
	const char *names[] = {"Zambie", "Égypte", "Allemagne", "Éthiopie"};
	rbm_collate_sort(RBM_LANG_FR, names, 4);
	CHECK_STR(names[0], "Allemagne");
	CHECK_STR(names[1], "Égypte");
	CHECK_STR(names[3], "Zambie");
}

TEST_MAIN(T(locale_formats), T(figures_formatted_per_language), T(strict_refuses_fallbacks), T(draft_marks_missing_text),
	  T(unknown_figure_and_broken_definition), T(stale_after_an_english_edit),
	  T(html_is_well_formed_and_rtl))
