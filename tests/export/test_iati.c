/*
 * test_iati.c - the IATI export (export/iati.h): the file validates against
 * IATI's iati-activities-schema.xsd (through libxml2's schema validator, so
 * that it runs under valgrind too), carries the figures the engine gives,
 * its refusals, and writing the file whole or not at all.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "export/iati.h"
#include "measure/measure.h"
#include "plan/plan.h"
#include "store/store.h"

#include <dirent.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"
#define XSD "../shared/standards/iati-2.03/iati-activities-schema.xsd"

static const struct rbm_actor admin = {"ed", "cli", "local", true};

struct env {
	struct rbm_store *s;
	struct rbm_plan *p;
	struct rbm_measure *m;
	char db[512];
};

/* The small plan with an "iati" object (unless bare), outcome 1.1 tagged FP1 and 1.2 FP2. */
static struct rbm_plan *plan(bool bare)
{
	json_error_t err;
	json_t *j = json_load_file(SMALL, JSON_PRESERVE_ORDER, &err);
	if (j == NULL)
		return NULL;
	if (!bare)
		json_object_set_new(j, "iati",
				    json_pack("{s:{s:s, s:s, s:{s:s, s:s}}, s:s}", "reporting_org", "ref",
					      "XX-TEST-1", "type", "40", "name", "en", "Test organisation",
					      "fr", "Organisation d'essai", "activity_prefix",
					      "XX-TEST-1-TEST-2020"));
	json_t *outcomes = json_object_get(json_array_get(json_object_get(j, "domains"), 0), "outcomes");
	json_object_set_new(json_array_get(outcomes, 0), "programmes", json_pack("[s]", "FP1"));
	json_object_set_new(json_array_get(outcomes, 1), "programmes", json_pack("[s]", "FP2"));
	char *text = json_dumps(j, JSON_PRESERVE_ORDER);
	json_decref(j);
	struct rbm_plan *p = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (rbm_plan_parse(text, strlen(text), "plan.json", test_places(), &p, &d) != RBM_OK)
		rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	free(text);
	return p;
}

static bool setup(struct env *e, bool bare)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	memset(e, 0, sizeof *e);
	snprintf(e->db, sizeof e->db, "%s/iati%s.db", test_tmpdir(), bare ? "-bare" : "");
	unlink(e->db);
	setenv("RBM_NOW", "2022-03-15T12:00:00Z", 1);
	const char *csv = "indicator,year,office,country,value\n"
			  "1.1.a,2020,KEN,KEN,900000\n"
			  "1.1.a,2021,KEN,KEN,1500000\n"
			  "1.1.a,2021,ROAF,UGA,1400000\n"
			  "1.1.b,2021,KEN,KEN,1\n"
			  "1.2.a,2021,KEN,KEN,28.5\n"
			  "1.2.b,2021,KEN,KEN,1\n"
			  "1.2.c,2021,KEN,KEN,1200000.25\n"
			  "1.2.c,2022,HQ,,3\n";
	char path[512];
	snprintf(path, sizeof path, "%s", test_write_file("values.csv", csv, strlen(csv)));
	struct rbm_values_result vr;
	e->p = plan(bare);
	bool ok = e->p && rbm_store_open(e->db, RBM_STORE_CREATE, &e->s, &d) == RBM_OK &&
		  rbm_store_put_places(e->s, test_places(), &d) == RBM_OK &&
		  rbm_store_put_plan(e->s, e->p, false, NULL, &d) == RBM_OK &&
		  rbm_collect_cycle_open(e->s, e->p, 2021, "2022-01-10", "2022-02-28", NULL, 0, false, &admin,
					 &d) == RBM_OK &&
		  rbm_collect_cycle_open(e->s, e->p, 2023, "2024-01-10", "2024-02-28", NULL, 0, false, &admin,
					 &d) == RBM_OK &&
		  rbm_measure_values_import(e->s, e->p, test_places(), path, false, &vr, &d) == RBM_OK &&
		  rbm_measure_load(e->s, e->p, test_places(), &e->m, &d) == RBM_OK;
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return ok;
}

static void teardown(struct env *e)
{
	rbm_measure_free(e->m);
	rbm_plan_free(e->p);
	rbm_store_close(e->s);
}

/* Builds the file; its problems and warnings joined into *msgs (free it). */
static enum rbm_rc build(struct env *e, int cycle, int from, int to, char **doc,
			 struct rbm_export_iati_summary *sum, char **msgs)
{
	struct rbm_diag d, w;
	rbm_diag_init(&d);
	rbm_diag_init(&w);
	struct rbm_export_iati_opts o = {cycle, from, to, NULL};
	size_t len = 0;
	*doc = NULL;
	enum rbm_rc rc = rbm_export_iati_build(e->s, e->p, test_places(), e->m, &o, doc, &len, sum, &w, &d);
	if (rc == RBM_OK && strlen(*doc) != len)
		rc = RBM_EIO;
	char *buf = NULL;
	size_t cap = 0;
	FILE *f = open_memstream(&buf, &cap);
	rbm_diag_print(&d, f, "");
	rbm_diag_print(&w, f, "warning: ");
	fclose(f);
	*msgs = buf;
	rbm_diag_free(&d);
	rbm_diag_free(&w);
	return rc;
}

/* The string value of an XPath expression over doc ("" when none); free() it. */
static char *xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
	xmlChar *s = r ? xmlXPathCastToString(r) : NULL;
	char *out = strdup(s ? (const char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return out;
}

#define CHECK_XPATH(doc, expr, want)                 \
	do {                                         \
		char *got_ = xpath(doc, expr);       \
		bool same_ = strcmp(got_, want) == 0; \
		if (!same_)                          \
			printf("# %s: %s\n", expr, got_); \
		free(got_);                          \
		CHECK(same_);                        \
	} while (0)

static void validates_against_the_xsd(void)
{
	struct env e;
	CHECK(setup(&e, false));
	char *doc, *msgs;
	struct rbm_export_iati_summary sum;
	CHECK_INT(build(&e, 2021, 2020, 2023, &doc, &sum, &msgs), RBM_OK);
	free(msgs);
	teardown(&e);
	xmlDocPtr x = xmlReadMemory(doc, (int)strlen(doc), "iati.xml", "UTF-8", XML_PARSE_NONET);
	free(doc);
	CHECK(x != NULL);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(XSD);
	xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	int valid = vc ? xmlSchemaValidateDoc(vc, x) : -1;
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	xmlFreeDoc(x);
	CHECK(schema != NULL);
	CHECK_INT(valid, 0);
}

static void activities_results_and_figures(void)
{
	struct env e;
	CHECK(setup(&e, false));
	char *doc, *msgs;
	struct rbm_export_iati_summary sum;
	CHECK_INT(build(&e, 2021, 2020, 2023, &doc, &sum, &msgs), RBM_OK);
	/* The text indicator is left out, by name. */
	CHECK_HAS(msgs, "warning: indicator 1.2.d (unit text) left out");
	free(msgs);
	CHECK_INT(sum.activities, 3);
	CHECK_INT(sum.skipped, 1);
	/* 1.1.a, 1.1.b (FP1 and the plan), 1.2.a-c (FP2 and the plan). */
	CHECK_INT(sum.indicators, 10);
	struct rbm_attainment *a = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_measure_attainment(e.m, 2021, &a, &d), RBM_OK);
	rbm_diag_free(&d);
	double want = a[rbm_plan_find_indicator(e.p, "1.1.a")].actual;
	free(a);
	teardown(&e);
	CHECK(want == 2900000);
	xmlDocPtr x = xmlReadMemory(doc, (int)strlen(doc), "iati.xml", "UTF-8", XML_PARSE_NONET);
	free(doc);
	CHECK(x != NULL);
	CHECK_XPATH(x, "string(/iati-activities/@version)", "2.03");
	CHECK_XPATH(x, "string(/iati-activities/@generated-datetime)", "2022-03-15T12:00:00Z");
	CHECK_XPATH(x, "string(//iati-activity[1]/iati-identifier)", "XX-TEST-1-TEST-2020");
	CHECK_XPATH(x, "string(//iati-activity[3]/iati-identifier)", "XX-TEST-1-TEST-2020-FP2");
	CHECK_XPATH(x, "string(//iati-activity[1]/reporting-org/narrative[@xml:lang='fr'])",
		    "Organisation d'essai");
	CHECK_XPATH(x, "string(//iati-activity[1]//indicator[reference/@code='1.1.a']"
		       "/period[period-start/@iso-date='2021-01-01']/actual/@value)", "2900000");
	CHECK_XPATH(x, "string(//iati-activity[1]//indicator[reference/@code='1.1.a']"
		       "/period[period-start/@iso-date='2021-01-01']/target/@value)", "2500000");
	/* The countries behind it, by IATI (alpha-2) code, as activity locations too. */
	CHECK_XPATH(x, "concat(//iati-activity[1]//indicator[reference/@code='1.1.a']/period[2]/actual/location[1]/@ref,"
		       "' ', //iati-activity[1]//indicator[reference/@code='1.1.a']/period[2]/actual/location[2]/@ref)",
		    "KE UG");
	CHECK_XPATH(x, "string(//iati-activity[2]/location[@ref='UG']/name/narrative[@xml:lang='fr'])",
		    "Ouganda");
	/* 2020: an actual and a target; 2022: 1.2.c's office value, no country; 2023: nothing. */
	CHECK_XPATH(x, "count(//iati-activity[1]//indicator[reference/@code='1.1.a']/period)", "2");
	CHECK_XPATH(x, "string(//iati-activity[1]//indicator[reference/@code='1.2.c']/period[2]/actual/@value)", "3");
	CHECK_XPATH(x, "count(//iati-activity[1]//indicator[reference/@code='1.2.c']/period[2]/actual/location)", "0");
	CHECK_XPATH(x, "string(//iati-activity[1]//indicator[reference/@code='1.2.c']/period[1]/actual/@value)",
		    "1200000.25");
	CHECK_XPATH(x, "string(//iati-activity[1]//indicator[reference/@code='1.2.c']/period[2]/target/@value)",
		    "1500000");
	/* Measures, direction, baseline. */
	CHECK_XPATH(x, "concat(//indicator[reference/@code='1.2.a']/@measure, //indicator[reference/@code='1.2.b']/@measure,"
		       "//indicator[reference/@code='1.1.a']/@measure, //indicator[reference/@code='1.2.a']/@ascending)",
		    "2110");
	CHECK_XPATH(x, "concat(//indicator[reference/@code='1.2.a']/baseline/@year, ' ', "
		       "//indicator[reference/@code='1.2.a']/baseline/@value)", "2019 30.5");
	/* Recipients: FP1 has KEN and UGA (Eastern Africa); FP2 has KEN, and an office value with no country. */
	CHECK_XPATH(x, "concat(//iati-activity[2]/recipient-region/@code, ' ', //iati-activity[2]/recipient-region/@percentage)",
		    "014 100");
	CHECK_XPATH(x, "string(//iati-activity[3]/recipient-region/@code)", "001");
	CHECK_XPATH(x, "string(//iati-activity[1]/recipient-region/@code)", "001");
	/* The plan's outcomes; a programme's, marked not to be added to them. */
	CHECK_XPATH(x, "count(//iati-activity[1]/result[@type='2' and not(@aggregation-status)])", "2");
	CHECK_XPATH(x, "count(//iati-activity[2]/result[@aggregation-status='0'])", "1");
	CHECK_XPATH(x, "string(//iati-activity[2]/result/reference/@code)", "1.1");
	CHECK_XPATH(x, "string(//iati-activity[2]/related-activity[@type='1']/@ref)", "XX-TEST-1-TEST-2020");
	CHECK_XPATH(x, "count(//iati-activity[1]/related-activity[@type='2'])", "2");
	xmlFreeDoc(x);
}

static void refusals(void)
{
	struct env e;
	char *doc, *msgs;
	struct rbm_export_iati_summary sum;
	CHECK(setup(&e, true));
	CHECK_INT(build(&e, 2021, 0, 0, &doc, &sum, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "plan TEST-2020 has no \"iati\" object");
	free(msgs);
	CHECK(doc == NULL);
	teardown(&e);

	CHECK(setup(&e, false));
	CHECK_INT(build(&e, 2022, 0, 0, &doc, &sum, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "there is no reporting cycle for 2022");
	free(msgs);
	CHECK_INT(build(&e, 2023, 0, 0, &doc, &sum, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "cycle 2023 has no approved data yet");
	free(msgs);
	CHECK_INT(build(&e, 2021, 2022, 2023, &doc, &sum, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "the years 2022-2023 do not include cycle 2021");
	free(msgs);
	CHECK_INT(build(&e, 2021, 2019, 2021, &doc, &sum, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "the years 2019-2021 do not lie within the plan period 2020-2023");
	free(msgs);
	CHECK_INT(build(&e, 2024, 0, 0, &doc, &sum, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "cycle 2024 lies outside the plan period 2020-2023");
	free(msgs);
	/* One year: the cycle's. */
	CHECK_INT(build(&e, 2021, 0, 0, &doc, &sum, &msgs), RBM_OK);
	free(msgs);
	CHECK(strstr(doc, "<period-start iso-date=\"2020") == NULL);
	CHECK(strstr(doc, "<period-start iso-date=\"2021-01-01\"/>") != NULL);
	CHECK(strstr(doc, "<period-start iso-date=\"2022") == NULL);
	free(doc);
	teardown(&e);
}

static size_t entries(const char *dir)
{
	size_t n = 0;
	DIR *dh = opendir(dir);
	for (struct dirent *de; dh && (de = readdir(dh));)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	if (dh)
		closedir(dh);
	return n;
}

static void written_whole_or_not_at_all(void)
{
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/out", test_tmpdir());
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/results.xml", dir);
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_export_iati_write(path, "<a/>\n", 5, &d), RBM_OK);
	CHECK_INT(rbm_export_iati_write(path, "<b/>\n", 5, &d), RBM_OK);
	size_t len = 0;
	char *got = test_read_file(path, &len);
	CHECK_STR(got, "<b/>\n");
	free(got);
	CHECK_INT(entries(dir), 1);
	struct stat st;
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	char missing[600];
	snprintf(missing, sizeof missing, "%s/no/such/results.xml", test_tmpdir());
	CHECK_INT(rbm_export_iati_write(missing, "<a/>", 4, &d), RBM_EIO);
	CHECK_INT(d.len, 1);
	CHECK_HAS(d.entries[0].reason, "cannot create a file in the folder ");
	CHECK_HAS(d.entries[0].reason, "/no/such: No such file or directory");
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	/* A folder in the way: nothing replaced, nothing left behind. */
	CHECK_INT(rbm_export_iati_write(dir, "<a/>", 4, &d), RBM_EIO);
	CHECK_HAS(d.entries[0].reason, "cannot create: Is a directory");
	rbm_diag_free(&d);
	CHECK_INT(entries(dir), 1);
}

TEST_MAIN(T(validates_against_the_xsd), T(activities_results_and_figures), T(refusals),
	  T(written_whole_or_not_at_all))
