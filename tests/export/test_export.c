/*
 * test_export.c - the tidy tables of export/table.h on a small plan whose
 * every figure is worked out by hand below, and their formats: CSV text,
 * JSON read back with jansson, XLSX read back with rbm's own reader
 * (core/xlsx.h), the data package folder; rendering into a capped buffer;
 * files that cannot be created; cycles that cannot be exported.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/xlsx.h"
#include "export/export_int.h"
#include "export/table.h"
#include "measure/measure.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Titles with a comma, quotes and a line break; French for some; an indicator set on a domain. */
static const char *const PLAN =
	"{\"rbm_plan\": 1, \"code\": \"EXP-TEST\", \"title\": {\"en\": \"Export test\", \"fr\": \"Essai\"},"
	" \"first_year\": 2020, \"last_year\": 2023, \"about\": {\"illustrative_indicators\": true},"
	" \"levels\": [{\"key\": \"domains\", \"title\": {\"en\": \"Domain\"}}, {\"key\": \"outcomes\", \"title\": {\"en\": \"Outcome\"}}],"
	" \"disaggregations\": [{\"code\": \"sex\", \"title\": {\"en\": \"Sex\", \"fr\": \"Sexe\"}, \"categories\": ["
	"  {\"code\": \"female\", \"title\": {\"en\": \"Female\", \"fr\": \"Femmes\"}}, {\"code\": \"male\", \"title\": {\"en\": \"Male\"}}]}],"
	" \"domains\": ["
	"  {\"code\": \"1\", \"title\": {\"en\": \"Less poverty, more \\\"services\\\"\", \"fr\": \"Moins de pauvret\\u00e9\"}, \"outcomes\": ["
	"   {\"code\": \"1.1\", \"title\": {\"en\": \"Basic\\nservices\"}, \"indicators\": ["
	"    {\"code\": \"1.1.a\", \"title\": {\"en\": \"People reached\", \"fr\": \"Personnes\"}, \"unit\": \"people\", \"aggregation\": \"sum\","
	"     \"baseline\": {\"value\": 0, \"year\": 2019}, \"targets\": {\"2021\": 1000}, \"disaggregations\": [\"sex\"]},"
	"    {\"code\": \"1.1.b\", \"title\": {\"en\": \"Countries reached\"}, \"unit\": \"number\", \"aggregation\": \"count_units\","
	"     \"count_of\": \"country\", \"targets\": {\"2021\": 4}},"
	"    {\"code\": \"1.1.c\", \"title\": {\"en\": \"Cities reached\"}, \"unit\": \"number\", \"aggregation\": \"count_units\","
	"     \"count_of\": \"city\"}]},"
	"   {\"code\": \"1.2\", \"title\": {\"en\": \"Housing\"}, \"indicators\": ["
	"    {\"code\": \"1.2.a\", \"title\": {\"en\": \"Share in slums\"}, \"unit\": \"percent\", \"aggregation\": \"mean\","
	"     \"place_combine\": \"max\", \"direction\": \"decrease\", \"baseline\": {\"value\": 30, \"year\": 2019},"
	"     \"targets\": {\"2021\": 20}},"
	"    {\"code\": \"1.2.b\", \"title\": {\"en\": \"Budget\"}, \"unit\": \"currency\", \"currency\": \"USD\","
	"     \"aggregation\": \"sum\", \"targets\": {\"2021\": 1000000}},"
	"    {\"code\": \"1.2.c\", \"title\": {\"en\": \"Story\"}, \"unit\": \"text\", \"aggregation\": \"latest\"}]}]},"
	"  {\"code\": \"2\", \"title\": {\"en\": \"Prosperity\"}, \"indicators\": ["
	"    {\"code\": \"2.a\", \"title\": {\"en\": \"Set on the domain\"}, \"unit\": \"number\", \"aggregation\": \"sum\","
	"     \"targets\": {\"2021\": 10}}]}],"
	" \"offices\": ["
	"  {\"code\": \"HQ\", \"kind\": \"headquarters\", \"title\": {\"en\": \"Headquarters\"}},"
	"  {\"code\": \"ROAF\", \"kind\": \"regional\", \"parent\": \"HQ\", \"title\": {\"en\": \"Africa office\", \"fr\": \"Bureau Afrique\"},"
	"   \"regions\": [\"202\"]},"
	"  {\"code\": \"KEN\", \"kind\": \"country\", \"parent\": \"ROAF\", \"title\": {\"en\": \"Kenya office\"}, \"countries\": [\"KEN\"]}],"
	" \"cities\": [{\"code\": \"KEN-NBO\", \"country\": \"KEN\", \"title\": {\"en\": \"Nairobi\"}}]}";

static const char *const VALUES =
	"indicator,year,quarter,office,country,city,disaggregation,category,value\n"
	"1.1.a,2021,,KEN,KEN,,,,600\n"
	"1.1.a,2021,,KEN,KEN,,sex,female,350\n"
	"1.1.a,2021,,KEN,KEN,,sex,male,250\n"
	"1.1.a,2021,,ROAF,UGA,,,,300\n"
	"1.1.a,2021,,ROAF,UGA,,,,100\n"
	"1.1.a,2021,2,HQ,,,,,50\n"
	"1.1.a,2020,,KEN,KEN,,,,999\n"
	"1.1.b,2021,,KEN,KEN,KEN-NBO,,,1\n"
	"1.1.b,2021,,KEN,KEN,,,,1\n"
	"1.1.b,2021,,ROAF,TZA,,,,0\n"
	"1.1.c,2021,,KEN,KEN,KEN-NBO,,,2\n"
	"1.2.a,2021,,KEN,KEN,,,,25.5\n"
	"1.2.a,2021,,ROAF,UGA,,,,0.1\n"
	"1.2.b,2021,,HQ,,,,,1234567.25\n"
	"2.a,2021,,HQ,,,,,3\n";

struct fx {
	struct rbm_store *s;
	struct rbm_plan *p;
	struct rbm_measure *m;
	struct rbm_export_table *t[RBM_EXPORT_LEVEL_COUNT];
};

static int fx_count;

static void fx_close(struct fx *f)
{
	for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++)
		rbm_export_table_free(f->t[l]);
	rbm_measure_free(f->m);
	rbm_store_close(f->s);
	rbm_plan_free(f->p);
}

/* The plan and values in a new database with cycles 2021 (values) and 2022 (none); every level built. */
static bool fx_open(struct fx *f, enum rbm_lang lang)
{
	memset(f, 0, sizeof *f);
	struct rbm_diag d;
	rbm_diag_init(&d);
	char db[512];
	snprintf(db, sizeof db, "%s/fx-%d.db", test_tmpdir(), fx_count++);
	bool ok = rbm_plan_parse(PLAN, strlen(PLAN), "plan.json", test_places(), &f->p, &d) == RBM_OK &&
		  rbm_store_open(db, RBM_STORE_CREATE, &f->s, &d) == RBM_OK &&
		  rbm_store_put_places(f->s, test_places(), &d) == RBM_OK &&
		  rbm_store_put_plan(f->s, f->p, false, NULL, &d) == RBM_OK;
	struct rbm_actor who = {"test", "cli", "local", true};
	for (int y = 2021; ok && y <= 2022; y++)
		ok = rbm_collect_cycle_open(f->s, f->p, y, "2022-01-10", "2022-02-28", NULL, 0, false, &who, &d) ==
		     RBM_OK;
	struct rbm_values_result res;
	const char *csv = test_write_file("values.csv", VALUES, strlen(VALUES));
	ok = ok && rbm_measure_values_import(f->s, f->p, test_places(), csv, false, &res, &d) == RBM_OK;
	/* A city code that is not valid UTF-8 (\xff), which no importer lets in, but a database may hold. */
	sqlite3 *h = NULL;
	ok = ok && sqlite3_open(db, &h) == SQLITE_OK &&
	     sqlite3_exec(h, "INSERT INTO data_values(year, quarter, indicator, office, country, city, value, source) "
			     "VALUES (2021, 0, '1.1.c', 'KEN', 'KEN', CAST(X'582DFF' AS TEXT), 1, 'test');"
			     "UPDATE data_generation SET generation = generation + 1",
			  NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(h);
	ok = ok && rbm_measure_load(f->s, f->p, test_places(), &f->m, &d) == RBM_OK;
	for (int l = 0; ok && l < RBM_EXPORT_LEVEL_COUNT; l++)
		ok = rbm_export_table_build(f->m, f->p, test_places(), 2021, (enum rbm_export_level)l, lang, &f->t[l],
					    &d) == RBM_OK;
	if (!ok) {
		rbm_diag_print(&d, stdout, "# ");
		fx_close(f);
	}
	rbm_diag_free(&d);
	return ok;
}

/* The column named name of table t; exits the test program if there is none (a typo in a test). */
static size_t col(const struct rbm_export_table *t, const char *name)
{
	for (size_t c = 0; c < t->columns_len; c++)
		if (strcmp(t->columns[c].name, name) == 0)
			return c;
	printf("# no column %s\n", name);
	exit(2);
}

/* Cell text: "" for null, numbers as the CSV writes them. */
static const char *cell(const struct rbm_export_table *t, size_t r, const char *name)
{
	static char num[8][RBM_EXPORT__NUMBER_MAX];
	static int k;
	const struct rbm_export_cell *x = rbm_export_cell(t, r, col(t, name));
	if (x->null)
		return "";
	if (x->s)
		return x->s;
	k = (k + 1) % 8;
	rbm_export__number(x->x, num[k]);
	return num[k];
}

/* Row r as "indicator|quarter|office|country|city|category=value/values". */
static char *value_line(const struct rbm_export_table *t, size_t r)
{
	return rbm_xasprintf("%s|%s|%s|%s|%s|%s=%s/%s", cell(t, r, "indicator"), cell(t, r, "quarter"),
			     cell(t, r, "office"), cell(t, r, "country"), cell(t, r, "city"), cell(t, r, "category"),
			     cell(t, r, "value"), cell(t, r, "values"));
}

static void value_level(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	const struct rbm_export_table *t = f.t[RBM_EXPORT_VALUE];
	/* Sorted by indicator, year, quarter, office (plan order), country, city, then total before categories. */
	static const char *const want[] = {
		"1.1.a||ROAF|UGA||=400/2",
		"1.1.a||KEN|KEN||=600/1",
		"1.1.a||KEN|KEN||female=350/1",
		"1.1.a||KEN|KEN||male=250/1",
		"1.1.a|2|HQ|||=50/1",
		"1.1.b||ROAF|TZA||=0/1",        /* counts countries: 1 when above 0 */
		"1.1.b||KEN|KEN||=1/2",         /* not split by city */
		"1.1.c||KEN|KEN|KEN-NBO|=1/1",  /* counts cities */
		"1.1.c||KEN|KEN|X-\xEF\xBF\xBD|=1/1",
		"1.2.a||ROAF|UGA||=0.1/1",
		"1.2.a||KEN|KEN||=25.5/1",
		"1.2.b||HQ|||=1234567.25/1",
		"2.a||HQ|||=3/1",
	};
	for (size_t r = 0; r < t->rows_len && r < sizeof want / sizeof *want; r++) {
		char *line = value_line(t, r);
		bool same = strcmp(line, want[r]) == 0;
		if (!same)
			printf("# row %zu: %s, expected %s\n", r, line, want[r]);
		free(line);
		CHECK(same);
	}
	CHECK_INT(t->rows_len, sizeof want / sizeof *want);
	/* Titles, places and codes of the first row. */
	CHECK_STR(cell(t, 0, "cycle"), "2021");
	CHECK_STR(cell(t, 0, "year"), "2021");
	CHECK_STR(cell(t, 0, "domain"), "1");
	CHECK_STR(cell(t, 0, "domain_title"), "Less poverty, more \"services\"");
	CHECK_STR(cell(t, 0, "outcome_title"), "Basic\nservices");
	CHECK_STR(cell(t, 0, "indicator_title"), "People reached");
	CHECK_STR(cell(t, 0, "unit"), "people");
	CHECK_STR(cell(t, 0, "rule"), "sum");
	CHECK_STR(cell(t, 0, "office_name"), "Africa office");
	CHECK_STR(cell(t, 0, "region"), "ROAF"); /* a regional office is its own region */
	CHECK_STR(cell(t, 0, "country_name"), "Uganda");
	CHECK_STR(cell(t, 0, "m49_region"), "002");
	CHECK_STR(cell(t, 0, "m49_region_name"), "Africa");
	CHECK_STR(cell(t, 1, "region"), "ROAF");  /* KEN works through ROAF */
	CHECK_STR(cell(t, 2, "disaggregation"), "sex");
	CHECK_STR(cell(t, 2, "disaggregation_label"), "Sex");
	CHECK_STR(cell(t, 2, "category_label"), "Female");
	CHECK_STR(cell(t, 1, "disaggregation"), "");
	CHECK_STR(cell(t, 4, "region"), "");      /* headquarters */
	CHECK_STR(cell(t, 4, "country_name"), "");
	CHECK_STR(cell(t, 7, "city_name"), "Nairobi");
	CHECK_STR(cell(t, 8, "city_name"), "");   /* a city the plan does not list */
	CHECK_STR(cell(t, 11, "currency"), "USD");
	CHECK_STR(cell(t, 0, "currency"), "");
	CHECK_STR(cell(t, 12, "outcome"), "");    /* set on the domain */
	CHECK_STR(cell(t, 12, "domain_title"), "Prosperity");
	/* Required columns are never null. */
	for (size_t r = 0; r < t->rows_len; r++)
		for (size_t c = 0; c < t->columns_len; c++)
			CHECK(!t->columns[c].required || !rbm_export_cell(t, r, c)->null);
	fx_close(&f);
}

/* Indicator row: "indicator|baseline|target|actual|percent|status|places|values". */
static char *indicator_line(const struct rbm_export_table *t, size_t r)
{
	return rbm_xasprintf("%s|%s|%s|%s|%s|%s|%s|%s", cell(t, r, "indicator"), cell(t, r, "baseline"),
			     cell(t, r, "target"), cell(t, r, "actual"), cell(t, r, "percent"), cell(t, r, "status"),
			     cell(t, r, "places"), cell(t, r, "values"));
}

static void indicator_level(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	const struct rbm_export_table *t = f.t[RBM_EXPORT_INDICATOR];
	static const char *const want[] = {
		"1.1.a|0|1000|1050|105|achieved|3|4",
		"1.1.b||4|1|25|behind|2|3",
		"1.1.c|||2||no_target|2|2",
		/* mean of 0.1 and 25.5 is 12.8; from 30 towards 20 */
		"1.2.a|30|20|12.8|172|achieved|2|2",
		"1.2.b||1000000|1234567.25|123.456725|achieved|1|1",
		"2.a||10|3|30|behind|1|1",
	};
	CHECK_INT(t->rows_len, sizeof want / sizeof *want); /* the text indicator is left out */
	for (size_t r = 0; r < t->rows_len; r++) {
		char *line = indicator_line(t, r);
		bool same = strcmp(line, want[r]) == 0;
		if (!same)
			printf("# row %zu: %s, expected %s\n", r, line, want[r]);
		free(line);
		CHECK(same);
	}
	CHECK_STR(cell(t, 0, "baseline_year"), "2019");
	CHECK_STR(cell(t, 3, "direction"), "decrease");
	CHECK_STR(cell(t, 0, "direction"), "increase");
	CHECK_STR(cell(t, 1, "rule"), "count_units");
	CHECK_STR(cell(t, 5, "outcome"), "");
	fx_close(&f);
}

static void outcome_and_domain_levels(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	const struct rbm_export_table *o = f.t[RBM_EXPORT_OUTCOME], *dm = f.t[RBM_EXPORT_DOMAIN];
	CHECK_INT(o->rows_len, 2);
	CHECK_INT(dm->rows_len, 2);
	const char *names[] = {"indicators", "achieved", "on_track", "behind", "no_data", "no_target",
			       "countries", "cities", "offices", "values"};
	static const char *const want_o[] = {"1.1:3,1,0,1,0,1,2,2,3,9", "1.2:2,2,0,0,0,0,2,0,3,3"};
	static const char *const want_d[] = {"1:5,3,0,1,0,1,2,2,3,12", "2:1,0,0,1,0,0,0,0,1,1"};
	for (int lv = 0; lv < 2; lv++) {
		const struct rbm_export_table *t = lv ? dm : o;
		for (size_t r = 0; r < 2; r++) {
			struct rbm_buf b;
			rbm_buf_init(&b, 0);
			rbm_buf_addf(&b, "%s:", cell(t, r, lv ? "domain" : "outcome"));
			for (size_t k = 0; k < sizeof names / sizeof *names; k++)
				rbm_buf_addf(&b, "%s%s", k ? "," : "", cell(t, r, names[k]));
			const char *want = lv ? want_d[r] : want_o[r];
			bool same = strcmp(rbm_buf_str(&b), want) == 0;
			if (!same)
				printf("# %s: %s, expected %s\n", lv ? "domain" : "outcome", rbm_buf_str(&b), want);
			rbm_buf_free(&b);
			CHECK(same);
		}
	}
	CHECK_STR(cell(o, 0, "domain"), "1");
	CHECK_STR(cell(o, 0, "outcome_title"), "Basic\nservices");
	CHECK_STR(cell(dm, 1, "domain_title"), "Prosperity");
	fx_close(&f);
}

static void titles_in_a_language(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_FR));
	const struct rbm_export_table *t = f.t[RBM_EXPORT_VALUE];
	CHECK_STR(cell(t, 0, "indicator"), "1.1.a");
	CHECK_STR(cell(t, 0, "indicator_title"), "Personnes");
	CHECK_STR(cell(t, 0, "domain_title"), "Moins de pauvret\xC3\xA9");
	CHECK_STR(cell(t, 0, "outcome_title"), "Basic\nservices"); /* no French: English */
	CHECK_STR(cell(t, 0, "office_name"), "Bureau Afrique");
	CHECK_STR(cell(t, 0, "country_name"), "Ouganda");
	CHECK_STR(cell(t, 2, "category"), "female");
	CHECK_STR(cell(t, 2, "category_label"), "Femmes");
	CHECK_STR(cell(t, 2, "disaggregation_label"), "Sexe");
	CHECK_STR(t->plan_title, "Essai");
	CHECK(t->lang == RBM_LANG_FR);
	fx_close(&f);
}

static void numbers_as_text(void)
{
	struct rbm_export__locale loc;
	rbm_export__locale_enter(&loc);
	struct { double x; const char *want; } cases[] = {
		{0, "0"}, {-0.0, "0"}, {2900000, "2900000"}, {-3, "-3"}, {0.1, "0.1"}, {25.5, "25.5"},
		{1.0 / 3, "0.3333333333333333"}, {0.1 + 0.2, "0.30000000000000004"}, {1e20, "1e+20"},
		{123456789012345.0, "123456789012345"}, {1e-7, "1e-07"}, {NAN, ""},
	};
	char out[RBM_EXPORT__NUMBER_MAX];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rbm_export__number(cases[i].x, out);
		CHECK_STR(out, cases[i].want);
		if (*out)
			CHECK(strtod(out, NULL) == cases[i].x);
	}
	rbm_export__locale_leave(&loc);
}

static void csv_text(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	CHECK_INT(rbm_export_render(f.t[RBM_EXPORT_VALUE], "csv", &b, &d), RBM_OK);
	const char *s = rbm_buf_str(&b);
	static const char head[] =
		"cycle,domain,domain_title,outcome,outcome_title,indicator,indicator_title,unit,currency,rule,year,"
		"quarter,office,office_name,region,region_name,country,country_name,m49_region,m49_region_name,city,"
		"city_name,disaggregation,disaggregation_label,category,category_label,value,values\r\n";
	CHECK(strncmp(s, head, sizeof head - 1) == 0);
	/* Quotes doubled, commas and line breaks inside quotes, nulls empty, CRLF. */
	CHECK_HAS(s, "\r\n2021,1,\"Less poverty, more \"\"services\"\"\",1.1,\"Basic\nservices\",1.1.a,People reached,"
		     "people,,sum,2021,,ROAF,Africa office,ROAF,Africa office,UGA,Uganda,002,Africa,,,,,,,400,2\r\n");
	CHECK_HAS(s, ",2021,2,HQ,Headquarters,,,,,,,,,,,,,50,1\r\n");
	CHECK_HAS(s, ",sex,Sex,female,Female,350,1\r\n");
	CHECK_HAS(s, ",1234567.25,1\r\n");
	size_t lines = 0;
	for (const char *p = s; (p = strstr(p, "\r\n")) != NULL; p += 2)
		lines++;
	CHECK_INT(lines, f.t[RBM_EXPORT_VALUE]->rows_len + 1);
	CHECK(strstr(s, "\xEF\xBB\xBF") == NULL || strstr(s, "\xEF\xBB\xBF") != s); /* no byte-order mark */
	rbm_buf_free(&b);
	rbm_diag_free(&d);
	fx_close(&f);
}

static void json_shape(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++) {
		const struct rbm_export_table *t = f.t[l];
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_buf b;
		rbm_buf_init(&b, 0);
		CHECK_INT(rbm_export_render(t, "json", &b, &d), RBM_OK);
		rbm_diag_free(&d);
		json_error_t err;
		json_t *root = json_loads(rbm_buf_str(&b), 0, &err);
		if (root == NULL)
			printf("# %s: line %d: %s\n", rbm_export_level_name(t->level), err.line, err.text);
		rbm_buf_free(&b);
		CHECK(root != NULL);
		CHECK_INT(json_integer_value(json_object_get(root, "cycle")), 2021);
		CHECK_STR(json_string_value(json_object_get(root, "level")), rbm_export_level_name(t->level));
		CHECK_STR(json_string_value(json_object_get(root, "lang")), "en");
		CHECK_STR(json_string_value(json_object_get(root, "plan")), "EXP-TEST");
		json_t *cols = json_object_get(root, "columns"), *rows = json_object_get(root, "rows");
		CHECK_INT(json_array_size(cols), t->columns_len);
		CHECK_INT(json_array_size(rows), t->rows_len);
		for (size_t c = 0; c < t->columns_len; c++) {
			json_t *jc = json_array_get(cols, c);
			CHECK_STR(json_string_value(json_object_get(jc, "name")), t->columns[c].name);
			CHECK_STR(json_string_value(json_object_get(jc, "type")), rbm_export_type_name(t->columns[c].type));
			CHECK(json_is_boolean(json_object_get(jc, "required")));
			CHECK(json_string_length(json_object_get(jc, "description")) > 10);
		}
		for (size_t r = 0; r < t->rows_len; r++) {
			json_t *row = json_array_get(rows, r);
			CHECK_INT(json_object_size(row), t->columns_len);
			for (size_t c = 0; c < t->columns_len; c++) {
				json_t *v = json_object_get(row, t->columns[c].name);
				const struct rbm_export_cell *x = rbm_export_cell(t, r, c);
				CHECK(v != NULL);
				if (x->null) {
					CHECK(json_is_null(v));
				} else if (t->columns[c].type == RBM_EXPORT_STRING) {
					CHECK_STR(json_string_value(v), x->s);
				} else if (t->columns[c].type == RBM_EXPORT_NUMBER) {
					CHECK(json_is_number(v) && json_number_value(v) == x->x);
				} else {
					CHECK(json_is_integer(v) && (double)json_integer_value(v) == x->x);
				}
			}
		}
		json_decref(root);
	}
	fx_close(&f);
}

/* A sheet as text: "ROW:cell|cell" lines, numbers marked '#'. */
struct sheet_text {
	struct rbm_buf b;
	size_t rows;
};

static enum rbm_rc on_row(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct sheet_text *s = ctx;
	rbm_buf_addf(&s->b, "%zu:", row);
	for (size_t i = 0; i < n; i++)
		rbm_buf_addf(&s->b, "%s%s%s", i ? "|" : "", cells[i].is_number ? "#" : "", cells[i].text);
	rbm_buf_addc(&s->b, '\n');
	s->rows++;
	return RBM_OK;
}

static void xlsx_read_back(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	struct rbm_diag d;
	rbm_diag_init(&d);
	char *path = rbm_xasprintf("%s/all.xlsx", test_tmpdir());
	const struct rbm_export_table *const *tv = (const struct rbm_export_table *const *)f.t;
	CHECK_INT(rbm_export_write(tv, RBM_EXPORT_LEVEL_COUNT, "xlsx", path, &d), RBM_OK);
	struct rbm_xlsx *x = NULL;
	CHECK_INT(rbm_xlsx_open(path, NULL, &x, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_sheet_count(x), 5);
	CHECK_STR(rbm_xlsx_sheet_name(x, 0), "value");
	CHECK_STR(rbm_xlsx_sheet_name(x, 1), "indicator");
	CHECK_STR(rbm_xlsx_sheet_name(x, 2), "outcome");
	CHECK_STR(rbm_xlsx_sheet_name(x, 3), "domain");
	CHECK_STR(rbm_xlsx_sheet_name(x, 4), "columns");
	struct sheet_text s[5];
	for (int i = 0; i < 5; i++) {
		rbm_buf_init(&s[i].b, 0);
		s[i].rows = 0;
		CHECK_INT(rbm_xlsx_read_sheet(x, (size_t)i, on_row, &s[i], &d), RBM_OK);
	}
	for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++)
		CHECK_INT(s[l].rows, f.t[l]->rows_len + 1);
	const char *v = rbm_buf_str(&s[0].b);
	CHECK(strncmp(v, "1:cycle|domain|domain_title|", 28) == 0);
	/* Numbers are number cells; nulls are empty cells; text stays as it is. */
	CHECK_HAS(v, "\n2:#2021|1|Less poverty, more \"services\"|1.1|Basic\nservices|1.1.a|People reached|people||sum|#2021||"
		     "ROAF|Africa office|ROAF|Africa office|UGA|Uganda|002|Africa|||||||#400|#2\n");
	CHECK_HAS(v, "|#1234567.25|#1\n");
	CHECK_HAS(rbm_buf_str(&s[1].b), "|#30|#2019|#20|#12.8|#172|achieved|#2|#2\n");
	const char *cols = rbm_buf_str(&s[4].b);
	CHECK(strncmp(cols, "1:sheet|column|type|required|description\n", 41) == 0);
	CHECK_HAS(cols, "\n2:value|cycle|year|yes|The reporting cycle: the year reported on.\n");
	CHECK_HAS(cols, ":indicator|percent|number|no|");
	size_t ncols = 0;
	for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++)
		ncols += f.t[l]->columns_len;
	CHECK_INT(s[4].rows, ncols + 1);
	for (int i = 0; i < 5; i++)
		rbm_buf_free(&s[i].b);
	rbm_xlsx_close(x);
	/* One level alone: its sheet and the columns sheet. */
	CHECK_INT(rbm_export_write(&tv[RBM_EXPORT_DOMAIN], 1, "xlsx", path, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_open(path, NULL, &x, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_sheet_count(x), 2);
	CHECK_STR(rbm_xlsx_sheet_name(x, 0), "domain");
	rbm_xlsx_close(x);
	/* No temporary file is left beside it. */
	char *part = rbm_export__part_name(path);
	CHECK(access(part, F_OK) != 0);
	free(part);
	free(path);
	rbm_diag_free(&d);
	fx_close(&f);
}

static void render_into_buffers(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rbm_buf_adds(&b, "kept");
	CHECK_INT(rbm_export_render(f.t[RBM_EXPORT_INDICATOR], "xlsx", &b, &d), RBM_OK);
	CHECK(b.len > 1000 && memcmp(b.data, "keptPK", 6) == 0); /* appended: a zip follows */
	CHECK_INT(rbm_export_render(f.t[RBM_EXPORT_INDICATOR], "ods", &b, &d), RBM_EINVAL);
	CHECK_INT(rbm_diag_count(&d), 1);
	CHECK_STR(d.entries[0].reason, "unknown export format 'ods' (expected csv, json or xlsx)");
	CHECK(rbm_export_media_type("csv") && strcmp(rbm_export_media_type("csv"), "text/csv; charset=utf-8") == 0);
	CHECK(rbm_export_media_type("ods") == NULL);
	rbm_buf_free(&b);
	/* Past the cap: ETOOBIG, and the buffer as it was. */
	for (int k = 0; k < 3; k++) {
		static const char *const formats[] = {"csv", "json", "xlsx"};
		rbm_diag_free(&d);
		rbm_diag_init(&d);
		rbm_buf_init(&b, 200);
		rbm_buf_adds(&b, "before");
		CHECK_INT(rbm_export_render(f.t[RBM_EXPORT_VALUE], formats[k], &b, &d), RBM_ETOOBIG);
		CHECK_STR(rbm_buf_str(&b), "before");
		CHECK_INT(rbm_diag_count(&d), 1);
		rbm_buf_free(&b);
	}
	CHECK_HAS(d.entries[0].reason, "larger than the limit of 200 bytes");
	rbm_diag_free(&d);
	fx_close(&f);
}

static void files_that_cannot_be_made(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	const struct rbm_export_table *const *tv = (const struct rbm_export_table *const *)f.t;
	static const char *const formats[] = {"csv", "json", "xlsx"};
	for (int k = 0; k < 3; k++) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		char *path = rbm_xasprintf("%s/missing/out.%s", test_tmpdir(), formats[k]);
		CHECK_INT(rbm_export_write(tv, 1, formats[k], path, &d), RBM_EIO);
		CHECK_INT(rbm_diag_count(&d), 1);
		CHECK_STR(d.entries[0].file, path);
		CHECK_STR(d.entries[0].reason, "cannot create: No such file or directory");
		free(path);
		rbm_diag_free(&d);
	}
	/* CSV and JSON hold one level. */
	struct rbm_diag d;
	rbm_diag_init(&d);
	char *path = rbm_xasprintf("%s/two.csv", test_tmpdir());
	CHECK_INT(rbm_export_write(tv, 2, "csv", path, &d), RBM_EINVAL);
	CHECK(access(path, F_OK) != 0);
	/* An existing file stays as it was when the new one cannot be written: here, a folder in its way. */
	free(path);
	path = rbm_xasprintf("%s/blocked.csv", test_tmpdir());
	char *part = rbm_export__part_name(path);
	CHECK(mkdir(part, 0700) == 0);
	FILE *old = fopen(path, "w");
	CHECK(old != NULL);
	fputs("old", old);
	fclose(old);
	CHECK_INT(rbm_export_write(tv, 1, "csv", path, &d), RBM_EIO);
	size_t len = 0;
	char *text = test_read_file(path, &len);
	CHECK(text && strcmp(text, "old") == 0);
	free(text);
	rmdir(part);
	free(part);
	free(path);
	rbm_diag_free(&d);
	fx_close(&f);
}

static void data_package_folder(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	const struct rbm_export_table *const *tv = (const struct rbm_export_table *const *)f.t;
	struct rbm_diag d;
	rbm_diag_init(&d);
	char *dir = rbm_xasprintf("%s/pkg", test_tmpdir());
	CHECK_INT(rbm_export_datapackage(tv, RBM_EXPORT_LEVEL_COUNT, dir, &d), RBM_OK);
	char *desc = rbm_xasprintf("%s/datapackage.json", dir);
	json_error_t err;
	json_t *root = json_load_file(desc, 0, &err);
	CHECK(root != NULL);
	CHECK_STR(json_string_value(json_object_get(root, "profile")), "tabular-data-package");
	CHECK_STR(json_string_value(json_object_get(root, "name")), "rbm-exp-test-2021");
	json_t *res = json_object_get(root, "resources");
	CHECK_INT(json_array_size(res), 4);
	json_t *value = json_array_get(res, 0), *ind = json_array_get(res, 1);
	CHECK_STR(json_string_value(json_object_get(value, "path")), "value.csv");
	CHECK(json_object_get(json_object_get(value, "schema"), "primaryKey") == NULL);
	json_t *pk = json_object_get(json_object_get(ind, "schema"), "primaryKey");
	CHECK_INT(json_array_size(pk), 2);
	CHECK_STR(json_string_value(json_array_get(pk, 0)), "indicator");
	json_t *fks = json_object_get(json_object_get(value, "schema"), "foreignKeys");
	CHECK_INT(json_array_size(fks), 3);
	json_decref(root);
	free(desc);
	/* The CSVs are the CSV exports. */
	for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++) {
		char *p = rbm_xasprintf("%s/%s.csv", dir, rbm_export_level_name((enum rbm_export_level)l));
		char *text = test_read_file(p, NULL);
		struct rbm_buf b;
		rbm_buf_init(&b, 0);
		CHECK_INT(rbm_export_render(f.t[l], "csv", &b, &d), RBM_OK);
		CHECK(text && strcmp(text, rbm_buf_str(&b)) == 0);
		rbm_buf_free(&b);
		free(text);
		free(p);
	}
	/* Again over it: an earlier package is replaced. */
	CHECK_INT(rbm_export_datapackage(tv, RBM_EXPORT_LEVEL_COUNT, dir, &d), RBM_OK);
	/* A folder with other files is left alone. */
	char *other = rbm_xasprintf("%s/notes", test_tmpdir());
	CHECK(mkdir(other, 0700) == 0);
	char *keep = rbm_xasprintf("%s/keep.txt", other);
	FILE *k = fopen(keep, "w");
	CHECK(k != NULL);
	fclose(k);
	CHECK_INT(rbm_export_datapackage(tv, RBM_EXPORT_LEVEL_COUNT, other, &d), RBM_ECONFLICT);
	CHECK_HAS(d.entries[d.len - 1].reason, "holds files that are not an rbm data package's: nothing was written");
	char *dp = rbm_xasprintf("%s/datapackage.json", other);
	CHECK(access(dp, F_OK) != 0 && access(keep, F_OK) == 0);
	/* A folder whose parent is missing. */
	char *lost = rbm_xasprintf("%s/missing/pkg", test_tmpdir());
	CHECK_INT(rbm_export_datapackage(tv, RBM_EXPORT_LEVEL_COUNT, lost, &d), RBM_EIO);
	CHECK_STR(d.entries[d.len - 1].reason, "cannot create: No such file or directory");
	/* Nothing temporary is left beside them. */
	size_t len = 0;
	char *cmd = rbm_xasprintf("ls -a '%s' > '%s/ls.txt'", test_tmpdir(), test_tmpdir());
	CHECK(system(cmd) == 0);
	char *ls_path = rbm_xasprintf("%s/ls.txt", test_tmpdir());
	char *ls = test_read_file(ls_path, &len);
	CHECK(ls && strstr(ls, ".part-") == NULL && strstr(ls, ".old-") == NULL);
	free(ls);
	free(ls_path);
	free(cmd);
	free(lost);
	free(dp);
	free(keep);
	free(other);
	free(dir);
	rbm_diag_free(&d);
	fx_close(&f);
}

static void cycles_that_cannot_be_exported(void)
{
	struct fx f;
	CHECK(fx_open(&f, RBM_LANG_EN));
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_export_check(f.s, f.m, 2021, &d), RBM_OK);
	CHECK_INT(rbm_export_check(f.s, f.m, 2023, &d), RBM_ENOENT);
	CHECK_STR(d.entries[0].reason, "there is no reporting cycle for 2023 (open one with 'rbm cycle open 2023')");
	CHECK_INT(rbm_export_check(f.s, f.m, 2022, &d), RBM_ENOENT);
	CHECK_HAS(d.entries[1].reason, "cycle 2022 has no approved data to export");
	CHECK_INT(rbm_export_table_build(f.m, f.p, test_places(), 2021, RBM_EXPORT_LEVEL_COUNT, RBM_LANG_EN,
					 &f.t[0], &d),
		  RBM_EINVAL);
	enum rbm_export_level l;
	CHECK(rbm_export_level_parse("outcome", &l) && l == RBM_EXPORT_OUTCOME);
	CHECK(!rbm_export_level_parse("output", &l));
	rbm_diag_free(&d);
	fx_close(&f);
}

TEST_MAIN(T(value_level), T(indicator_level), T(outcome_and_domain_levels), T(titles_in_a_language),
	  T(numbers_as_text), T(csv_text), T(json_shape), T(xlsx_read_back), T(render_into_buffers),
	  T(files_that_cannot_be_made), T(data_package_folder), T(cycles_that_cannot_be_exported))
