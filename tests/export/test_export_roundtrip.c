/*
 * test_export_roundtrip.c - the value level read back: for many random
 * plans and value sets (every rule, place_combine sum and max, count_units
 * of countries and cities, quarters, categories, values with no place,
 * several offices reporting the same place), the value level of cycle 2021
 * rendered as CSV and loaded into a fresh database with 'rbm values
 * import' (rbm_measure_values_import) gives the same figures as the
 * original: totals (so attainment), and grouped by country, office,
 * region, quarter, city and sex, with the same places counted.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "core/buf.h"
#include "export/table.h"
#include "measure/measure.h"
#include "plan/plan.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint32_t pick(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11) % n;
}

static const char *const aggs[] = {"sum", "max", "min", "mean", "latest", "count_units"};
static const char *const countries[] = {"KEN", "UGA", "TZA", "SEN", "BRA"};
static const char *const offices[] = {"HQ", "RA", "RB", "KEN", "UGA", "SEN", "BRA"};

/* A random plan: 2 domains x 2 outcomes, 1-3 indicators each; *count_country gets those that count countries. */
static char *random_plan(size_t *ninds)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rbm_buf_adds(&b, "{\"rbm_plan\": 1, \"code\": \"RT\", \"title\": {\"en\": \"RT\"}, \"first_year\": 2020, "
			 "\"last_year\": 2023, \"levels\": [{\"key\": \"domains\", \"title\": {\"en\": \"D\"}}, "
			 "{\"key\": \"outcomes\", \"title\": {\"en\": \"O\"}}], \"disaggregations\": [{\"code\": "
			 "\"sex\", \"title\": {\"en\": \"Sex\"}, \"categories\": [{\"code\": \"female\", \"title\": "
			 "{\"en\": \"F\"}}, {\"code\": \"male\", \"title\": {\"en\": \"M\"}}]}], \"domains\": [");
	*ninds = 0;
	for (int dm = 1; dm <= 2; dm++) {
		rbm_buf_addf(&b, "%s{\"code\": \"%d\", \"title\": {\"en\": \"d\"}, \"outcomes\": [", dm > 1 ? "," : "", dm);
		for (int o = 1; o <= 2; o++) {
			rbm_buf_addf(&b, "%s{\"code\": \"%d.%d\", \"title\": {\"en\": \"o\"}, \"indicators\": [",
				     o > 1 ? "," : "", dm, o);
			int n = 1 + (int)pick(3);
			for (int k = 0; k < n; k++) {
				const char *agg = aggs[pick(6)];
				bool count = strcmp(agg, "count_units") == 0;
				rbm_buf_addf(&b, "%s{\"code\": \"%d.%d.%c\", \"title\": {\"en\": \"i\"}, \"unit\": \"%s\", "
						 "\"aggregation\": \"%s\", \"place_combine\": \"%s\", \"targets\": {\"2021\": %u}%s%s}",
					     k ? "," : "", dm, o, 'a' + k,
					     strcmp(agg, "sum") == 0 && pick(2) ? "people" : "number", agg,
					     pick(2) ? "sum" : "max", 1 + pick(50),
					     count ? (pick(2) ? ", \"count_of\": \"country\"" : ", \"count_of\": \"city\"") : "",
					     pick(2) ? ", \"disaggregations\": [\"sex\"]" : "");
				(*ninds)++;
			}
			rbm_buf_adds(&b, "]}");
		}
		rbm_buf_adds(&b, "]}");
	}
	rbm_buf_adds(&b, "], \"offices\": ["
			 "{\"code\": \"HQ\", \"kind\": \"headquarters\", \"title\": {\"en\": \"HQ\"}},"
			 "{\"code\": \"RA\", \"kind\": \"regional\", \"parent\": \"HQ\", \"title\": {\"en\": \"A\"}},"
			 "{\"code\": \"RB\", \"kind\": \"regional\", \"parent\": \"HQ\", \"title\": {\"en\": \"B\"}},"
			 "{\"code\": \"KEN\", \"kind\": \"country\", \"parent\": \"RA\", \"title\": {\"en\": \"K\"}, \"countries\": [\"KEN\"]},"
			 "{\"code\": \"UGA\", \"kind\": \"country\", \"parent\": \"RA\", \"title\": {\"en\": \"U\"}, \"countries\": [\"UGA\"]},"
			 "{\"code\": \"SEN\", \"kind\": \"country\", \"parent\": \"RB\", \"title\": {\"en\": \"S\"}, \"countries\": [\"SEN\"]},"
			 "{\"code\": \"BRA\", \"kind\": \"country\", \"parent\": \"HQ\", \"title\": {\"en\": \"B\"}, \"countries\": [\"BRA\"]}],"
			 "\"cities\": [{\"code\": \"C1\", \"country\": \"KEN\", \"title\": {\"en\": \"c\"}},"
			 "{\"code\": \"C2\", \"country\": \"KEN\", \"title\": {\"en\": \"c\"}},"
			 "{\"code\": \"C3\", \"country\": \"SEN\", \"title\": {\"en\": \"c\"}}]}");
	return rbm_buf_take(&b);
}

static bool exec(sqlite3 *h, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# %s: %s\n", sql, err);
		sqlite3_free(err);
		return false;
	}
	return true;
}

/* Random values for 2020-2022, straight into data_values. */
static bool random_values(const char *db, const struct rbm_plan *p)
{
	sqlite3 *h = NULL;
	if (sqlite3_open(db, &h) != SQLITE_OK || !exec(h, "BEGIN")) {
		sqlite3_close(h);
		return false;
	}
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(h, "INSERT INTO data_values(year, quarter, indicator, office, country, city, "
			      "disaggregation, category, value, source) VALUES (?,?,?,?,?,?,?,?,?,'test')",
			   -1, &st, NULL);
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		if (pick(8) == 0)
			continue; /* an indicator with no data */
		int rows = (int)pick(30);
		for (int r = 0; r < rows; r++) {
			const char *country = pick(5) ? countries[pick(5)] : NULL;
			const char *city = NULL;
			if (country && strcmp(country, "KEN") == 0 && pick(2))
				city = pick(2) ? "C1" : "C2";
			else if (country && strcmp(country, "SEN") == 0 && pick(3) == 0)
				city = "C3";
			bool cat = ind->disaggregations_len && pick(3) == 0;
			sqlite3_bind_int(st, 1, 2020 + (int)pick(3));
			sqlite3_bind_int(st, 2, pick(3) == 0 ? 1 + (int)pick(4) : 0);
			sqlite3_bind_text(st, 3, ind->code, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, offices[pick(7)], -1, SQLITE_STATIC);
			if (country)
				sqlite3_bind_text(st, 5, country, -1, SQLITE_STATIC);
			if (city)
				sqlite3_bind_text(st, 6, city, -1, SQLITE_STATIC);
			if (cat) {
				sqlite3_bind_text(st, 7, "sex", -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 8, pick(2) ? "female" : "male", -1, SQLITE_STATIC);
			}
			double v = pick(6) == 0 ? 0 : (double)pick(1000);
			if (ind->unit == RBM_UNIT_NUMBER && pick(4) == 0)
				v += 0.25 * pick(4);
			sqlite3_bind_double(st, 9, v);
			sqlite3_step(st);
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
		}
	}
	sqlite3_finalize(st);
	bool ok = exec(h, "UPDATE data_generation SET generation = generation + 1; COMMIT");
	sqlite3_close(h);
	return ok;
}

/* The engine's figures for indicator i in 2021 grouped by `by`: "keys=value/places" lines, in the engine's order. */
static char *figures(const struct rbm_measure *m, size_t i, unsigned by, size_t dis)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = 2021;
	q.indicators = &i;
	q.indicators_len = 1;
	q.by = by;
	q.disaggregation = dis;
	struct rbm_measure_table t;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	if (rbm_measure_run(m, &q, &t, &d) != RBM_OK) {
		rbm_diag_free(&d);
		return rbm_buf_take(&b);
	}
	for (size_t r = 0; r < t.len; r++) {
		for (int k = 0; k < RBM_DIM_COUNT; k++)
			if (by & (1u << k))
				rbm_buf_addf(&b, "%s|", rbm_measure_key_code(m, (enum rbm_dim)k, t.rows[r].key[k]));
		rbm_buf_addf(&b, "=%.17g/%u\n", t.rows[r].value, t.rows[r].places);
	}
	rbm_measure_table_free(&t);
	rbm_diag_free(&d);
	return rbm_buf_take(&b);
}

struct side {
	struct rbm_store *s;
	struct rbm_measure *m;
};

static void value_level_reads_back(void)
{
	struct { unsigned by; bool sex; } groupings[] = {
		{0, false},
		{1u << RBM_DIM_COUNTRY, false},
		{1u << RBM_DIM_OFFICE, false},
		{1u << RBM_DIM_REGION, false},
		{1u << RBM_DIM_QUARTER, false},
		{1u << RBM_DIM_CITY, false},
		{(1u << RBM_DIM_REGION) | (1u << RBM_DIM_COUNTRY), false},
		{1u << RBM_DIM_CATEGORY, true},
		{(1u << RBM_DIM_COUNTRY) | (1u << RBM_DIM_CATEGORY), true},
	};
	size_t compared = 0, rows = 0;
	for (int round = 0; round < 40; round++) {
		size_t ninds;
		char *json = random_plan(&ninds);
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_plan *p = NULL;
		enum rbm_rc rc = rbm_plan_parse(json, strlen(json), "random.json", test_places(), &p, &d);
		free(json);
		if (rc != RBM_OK)
			rbm_diag_print(&d, stdout, "# ");
		CHECK_INT(rc, RBM_OK);
		struct side a = {0}, b = {0};
		char db_a[512], db_b[512];
		snprintf(db_a, sizeof db_a, "%s/rt-a.db", test_tmpdir());
		snprintf(db_b, sizeof db_b, "%s/rt-b.db", test_tmpdir());
		unlink(db_a);
		unlink(db_b);
		/* The original, the value level as CSV, and the fresh database it goes into. */
		bool ok = rbm_store_open(db_a, RBM_STORE_CREATE, &a.s, &d) == RBM_OK &&
			  rbm_store_put_plan(a.s, p, false, NULL, &d) == RBM_OK && random_values(db_a, p) &&
			  rbm_measure_load(a.s, p, test_places(), &a.m, &d) == RBM_OK;
		struct rbm_export_table *t = NULL;
		struct rbm_buf csv;
		rbm_buf_init(&csv, 0);
		ok = ok &&
		     rbm_export_table_build(a.m, p, test_places(), 2021, RBM_EXPORT_VALUE, RBM_LANG_EN, &t, &d) == RBM_OK &&
		     rbm_export_render(t, "csv", &csv, &d) == RBM_OK;
		rows += t ? t->rows_len : 0;
		const char *path = test_write_file("value.csv", csv.data ? csv.data : "", csv.len);
		struct rbm_values_result res = {0};
		ok = ok && rbm_store_open(db_b, RBM_STORE_CREATE, &b.s, &d) == RBM_OK &&
		     rbm_store_put_plan(b.s, p, false, NULL, &d) == RBM_OK &&
		     rbm_measure_values_import(b.s, p, test_places(), path, false, &res, &d) == RBM_OK &&
		     rbm_measure_load(b.s, p, test_places(), &b.m, &d) == RBM_OK;
		if (!ok)
			rbm_diag_print(&d, stdout, "# ");
		bool same = ok && res.rows == (t ? t->rows_len : 0);
		for (size_t i = 0; same && i < p->indicators_len; i++) {
			const struct rbm_indicator *ind = &p->indicators[i];
			bool count_country = ind->aggregation == RBM_AGG_COUNT_UNITS && ind->count_of == RBM_COUNT_COUNTRY;
			for (size_t g = 0; same && g < sizeof groupings / sizeof *groupings; g++) {
				if (groupings[g].sex && ind->disaggregations_len == 0)
					continue;
				/* Indicators that count countries are exported by country, not by city. */
				if (count_country && (groupings[g].by & (1u << RBM_DIM_CITY)))
					continue;
				size_t dis = groupings[g].sex ? 0 : RBM_NONE;
				char *want = figures(a.m, i, groupings[g].by, dis);
				char *got = figures(b.m, i, groupings[g].by, dis);
				same = strcmp(want, got) == 0;
				if (!same)
					printf("# round %d, %s (%s, count_of %s, combine %s), grouping %zu\n# original:\n%s"
					       "# read back:\n%s",
					       round, ind->code, rbm_aggregation_name(ind->aggregation),
					       rbm_count_of_name(ind->count_of), rbm_place_combine_name(ind->place_combine), g,
					       want, got);
				free(want);
				free(got);
				compared++;
			}
		}
		/* Attainment follows from the totals; checked as a user would read it. */
		struct rbm_attainment *aa = NULL, *ab = NULL;
		if (same && rbm_measure_attainment(a.m, 2021, &aa, &d) == RBM_OK &&
		    rbm_measure_attainment(b.m, 2021, &ab, &d) == RBM_OK)
			for (size_t i = 0; i < p->indicators_len; i++)
				same &= aa[i].status == ab[i].status && aa[i].has_actual == ab[i].has_actual &&
					(!aa[i].has_actual || aa[i].actual == ab[i].actual);
		free(aa);
		free(ab);
		rbm_buf_free(&csv);
		rbm_export_table_free(t);
		rbm_measure_free(a.m);
		rbm_measure_free(b.m);
		rbm_store_close(a.s);
		rbm_store_close(b.s);
		rbm_plan_free(p);
		rbm_diag_free(&d);
		CHECK(same);
	}
	printf("# %zu comparisons over %zu exported rows\n", compared, rows);
	CHECK(compared > 500);
}

TEST_MAIN(T(value_level_reads_back))
