/*
 * test_measure_property.c - the engine against an independent SQL
 * formulation of the same rules, on SQLite, for many random small plans
 * and value sets: every rule, place_combine, count_units of country and
 * city, decreasing indicators, missing targets, empty groups, quarters,
 * categories, values with no place.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "core/buf.h"
#include "measure/measure.h"
#include "plan/plan.h"
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t rng = 88172645463325252u;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static uint32_t pick(uint32_t n)
{
	return next() % n;
}

static const char *const aggs[] = {"sum", "max", "min", "mean", "latest", "count_units"};
static const char *const countries[] = {"KEN", "UGA", "TZA", "SEN", "BRA"};
static const char *const offices[] = {"HQ", "RA", "RB", "KEN", "UGA", "SEN", "BRA"};

struct ind_spec {
	char code[40];
	const char *unit, *agg, *count_of, *combine;
	bool disagg;
};

/* A random plan: 2 domains x 2 outcomes, 1-3 indicators each. */
static char *random_plan(struct ind_spec *inds, size_t *ninds)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rbm_buf_adds(&b, "{\"rbm_plan\": 1, \"code\": \"P\", \"title\": {\"en\": \"P\"}, \"first_year\": 2020, "
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
				struct ind_spec *s = &inds[(*ninds)++];
				snprintf(s->code, sizeof s->code, "%d.%d.%c", dm, o, 'a' + k);
				s->agg = aggs[pick(6)];
				s->unit = strcmp(s->agg, "sum") == 0 ? (pick(2) ? "people" : "number") : "number";
				s->count_of = strcmp(s->agg, "count_units") == 0 ? (pick(2) ? "country" : "city") : NULL;
				s->combine = pick(2) ? "sum" : "max";
				s->disagg = pick(2);
				rbm_buf_addf(&b, "%s{\"code\": \"%s\", \"title\": {\"en\": \"i\"}, \"unit\": \"%s\", "
						 "\"aggregation\": \"%s\", \"place_combine\": \"%s\", \"direction\": \"%s\"",
					     k ? "," : "", s->code, s->unit, s->agg, s->combine,
					     pick(4) ? "increase" : "decrease");
				if (s->count_of)
					rbm_buf_addf(&b, ", \"count_of\": \"%s\"", s->count_of);
				if (s->disagg)
					rbm_buf_adds(&b, ", \"disaggregations\": [\"sex\"]");
				if (pick(3))
					rbm_buf_addf(&b, ", \"targets\": {\"2021\": %u}", 1 + pick(50));
				if (pick(2))
					rbm_buf_addf(&b, ", \"baseline\": {\"value\": %u, \"year\": 2019}", pick(10));
				rbm_buf_adds(&b, "}");
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

static void exec(sqlite3 *h, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# %s: %s\n", sql, err);
		sqlite3_free(err);
		exit(2);
	}
}

/* Random values for every indicator. */
static void random_values(sqlite3 *h, const struct ind_spec *inds, size_t n)
{
	exec(h, "BEGIN");
	sqlite3_stmt *st;
	sqlite3_prepare_v2(h, "INSERT INTO data_values(year, quarter, indicator, office, country, city, "
			      "disaggregation, category, value, source) VALUES (?,?,?,?,?,?,?,?,?,'test')",
			   -1, &st, NULL);
	for (size_t i = 0; i < n; i++) {
		if (pick(8) == 0)
			continue; /* an indicator with no data */
		int rows = (int)pick(25);
		for (int r = 0; r < rows; r++) {
			const char *office = offices[pick(7)];
			const char *country = pick(5) ? countries[pick(5)] : NULL;
			const char *city = NULL;
			if (country && strcmp(country, "KEN") == 0 && pick(2))
				city = pick(2) ? "C1" : "C2";
			else if (country && strcmp(country, "SEN") == 0 && pick(3) == 0)
				city = "C3";
			bool cat = inds[i].disagg && pick(3) == 0;
			sqlite3_bind_int(st, 1, 2020 + (int)pick(3));
			sqlite3_bind_int(st, 2, pick(3) == 0 ? 1 + (int)pick(4) : 0);
			sqlite3_bind_text(st, 3, inds[i].code, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, office, -1, SQLITE_STATIC);
			if (country)
				sqlite3_bind_text(st, 5, country, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, 5);
			if (city)
				sqlite3_bind_text(st, 6, city, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, 6);
			if (cat) {
				sqlite3_bind_text(st, 7, "sex", -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 8, pick(2) ? "female" : "male", -1, SQLITE_STATIC);
			} else {
				sqlite3_bind_null(st, 7);
				sqlite3_bind_null(st, 8);
			}
			double v = pick(6) == 0 ? 0 : (double)pick(1000);
			if (strcmp(inds[i].unit, "number") == 0 && pick(4) == 0)
				v += 0.25 * pick(4);
			sqlite3_bind_double(st, 9, v);
			sqlite3_step(st);
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
		}
	}
	sqlite3_finalize(st);
	exec(h, "UPDATE data_generation SET generation = generation + 1; COMMIT");
}

/* The same rules in SQL: one row "key|value" per group, sorted. */
static char *sql_answer(sqlite3 *h, const struct ind_spec *s, const char *group, bool by_sex)
{
	const char *place = s->count_of == NULL ? "coalesce(city, '') || '|' || coalesce(country, 'office:' || dv.office)"
			    : strcmp(s->count_of, "city") == 0 ? "city"
							       : "country";
	const char *combine = strcmp(s->combine, "max") == 0 ? "max(value)" : "sum(value)";
	const char *fold = strcmp(s->agg, "sum") == 0 || strcmp(s->agg, "latest") == 0 ? "sum(c)"
			   : strcmp(s->agg, "max") == 0					   ? "max(c)"
			   : strcmp(s->agg, "min") == 0					   ? "min(c)"
			   : strcmp(s->agg, "mean") == 0				   ? "avg(c)"
											   : "sum(c > 0)";
	bool latest = strcmp(s->agg, "latest") == 0;
	char sql[4096];
	snprintf(sql, sizeof sql,
		 "WITH r AS (SELECT year || '|' || %s AS g, %s AS place, year * 8 + quarter AS period, value "
		 "  FROM data_values dv LEFT JOIN region_of ro ON ro.office = dv.office "
		 "  WHERE indicator = '%s' AND %s AND %s IS NOT NULL), "
		 "m AS (SELECT g, place, max(period) AS mp FROM r GROUP BY g, place), "
		 "p AS (SELECT r.g, r.place, %s AS c FROM r JOIN m ON m.g = r.g AND m.place = r.place "
		 "  WHERE %s GROUP BY r.g, r.place) "
		 "SELECT g || '=' || printf('%%.9g', %s) FROM p GROUP BY g ORDER BY g",
		 group, place, s->code, by_sex ? "category IS NOT NULL" : "category IS NULL", place, combine,
		 latest ? "r.period = m.mp" : "1", fold);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		printf("# %s\n# %s\n", sql, sqlite3_errmsg(h));
		exit(2);
	}
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	while (sqlite3_step(st) == SQLITE_ROW)
		rbm_buf_addf(&b, "%s\n", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rbm_buf_take(&b);
}

/* The engine's answer in the same shape. */
static char *engine_answer(const struct rbm_measure *m, const struct rbm_plan *p, size_t ind,
			   unsigned by, size_t dis, bool want_places)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.indicators = &ind;
	q.indicators_len = 1;
	q.by = by;
	q.disaggregation = dis;
	q.want_places = want_places;
	struct rbm_measure_table t;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_measure_run(m, &q, &t, &d);
	rbm_diag_free(&d);
	/* Rows as "year|key=value", sorted like SQL's ORDER BY on text. */
	char **lines = calloc(t.len + 1, sizeof *lines);
	for (size_t r = 0; r < t.len; r++) {
		char key[64] = "";
		for (int k = 0; k < RBM_DIM_COUNT; k++)
			if (by & (1u << k)) {
				uint32_t id = t.rows[r].key[k];
				const char *code = id == RBM_KEY_NONE ? "" : rbm_measure_key_code(m, (enum rbm_dim)k, id);
				if (k == RBM_DIM_QUARTER) {
					char qn[4];
					snprintf(qn, sizeof qn, "%u", id);
					strcat(key, qn);
				} else {
					strcat(key, code);
				}
			}
		char line[160];
		snprintf(line, sizeof line, "%d|%s=%.9g", t.rows[r].year, key, t.rows[r].value);
		lines[r] = strdup(line);
	}
	for (size_t i = 1; i < t.len; i++)
		for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
			char *x = lines[j];
			lines[j] = lines[j - 1];
			lines[j - 1] = x;
		}
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	for (size_t r = 0; r < t.len; r++) {
		rbm_buf_addf(&b, "%s\n", lines[r]);
		free(lines[r]);
	}
	free(lines);
	(void)p;
	rbm_measure_table_free(&t);
	return rbm_buf_take(&b);
}

static void engine_matches_sql(void)
{
	struct { unsigned by; const char *sql; bool sex; } groupings[] = {
		{0, "''", false},
		{1u << RBM_DIM_REGION, "coalesce(ro.region, '')", false},
		{1u << RBM_DIM_COUNTRY, "coalesce(country, '')", false},
		{1u << RBM_DIM_OFFICE, "dv.office", false},
		{1u << RBM_DIM_CITY, "coalesce(city, '')", false},
		{1u << RBM_DIM_QUARTER, "quarter", false},
		{(1u << RBM_DIM_REGION) | (1u << RBM_DIM_COUNTRY), "coalesce(ro.region, '') || coalesce(country, '')", false},
		{1u << RBM_DIM_CATEGORY, "category", true},
		{(1u << RBM_DIM_REGION) | (1u << RBM_DIM_CATEGORY), "coalesce(ro.region, '') || category", true},
	};
	size_t compared = 0;
	for (int round = 0; round < 60; round++) {
		struct ind_spec inds[16];
		size_t ninds;
		char *json = random_plan(inds, &ninds);
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_plan *p = NULL;
		enum rbm_rc rc = rbm_plan_parse(json, strlen(json), "random.json", test_places(), &p, &d);
		if (rc != RBM_OK)
			rbm_diag_print(&d, stdout, "# ");
		CHECK_INT(rc, RBM_OK);
		char db[512];
		snprintf(db, sizeof db, "%s/prop.db", test_tmpdir());
		unlink(db);
		struct rbm_store *s = NULL;
		CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
		CHECK_INT(rbm_store_put_plan(s, p, false, NULL, &d), RBM_OK);
		sqlite3 *h;
		CHECK(sqlite3_open(db, &h) == SQLITE_OK);
		random_values(h, inds, ninds);
		exec(h, "CREATE TEMP TABLE region_of(office TEXT, region TEXT);"
			"INSERT INTO region_of VALUES ('RA','RA'),('RB','RB'),('KEN','RA'),('UGA','RA'),('SEN','RB')");
		struct rbm_measure *m = NULL;
		CHECK_INT(rbm_measure_load(s, p, test_places(), &m, &d), RBM_OK);
		CHECK(rbm_measure_fresh(m, s));
		for (size_t i = 0; i < ninds; i++) {
			size_t ind = rbm_plan_find_indicator(p, inds[i].code);
			for (size_t g = 0; g < sizeof groupings / sizeof *groupings; g++) {
				if (groupings[g].sex && !inds[i].disagg)
					continue;
				char *want = sql_answer(h, &inds[i], groupings[g].sql, groupings[g].sex);
				/* Both paths: counting places (hash maps) and not (dense arrays). */
				for (int wp = 0; wp < 2; wp++) {
					char *got = engine_answer(m, p, ind, groupings[g].by,
								  groupings[g].sex ? 0 : RBM_NONE, wp == 0);
					bool same = strcmp(want, got) == 0;
					if (!same)
						printf("# round %d, %s (%s, %s, combine %s), grouping %zu, places %d\n"
						       "# sql:\n%s# engine:\n%s",
						       round, inds[i].code, inds[i].agg,
						       inds[i].count_of ? inds[i].count_of : "-", inds[i].combine, g,
						       wp == 0, want, got);
					free(got);
					if (!same)
						free(want);
					CHECK(same);
					compared++;
				}
				free(want);
			}
		}
		/* Attainment: every indicator gets a status, and the totals agree with the engine. */
		struct rbm_attainment *a = NULL;
		CHECK_INT(rbm_measure_attainment(m, 2021, &a, &d), RBM_OK);
		for (size_t i = 0; i < p->indicators_len; i++) {
			bool has_target = p->indicators[i].targets_len > 0;
			CHECK(has_target || a[i].status == RBM_ATTAIN_NO_TARGET);
			CHECK(!has_target || a[i].has_actual || a[i].status == RBM_ATTAIN_NO_DATA);
		}
		free(a);
		/* A change of data makes the engine stale. */
		exec(h, "UPDATE data_generation SET generation = generation + 1");
		CHECK(!rbm_measure_fresh(m, s));
		sqlite3_close(h);
		rbm_measure_free(m);
		rbm_store_close(s);
		rbm_plan_free(p);
		rbm_diag_free(&d);
		free(json);
	}
	printf("# %zu comparisons\n", compared);
	CHECK(compared > 500);
}

static void attainment_rules(void)
{
	char *json = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *text =
		"{\"rbm_plan\": 1, \"code\": \"A\", \"title\": {\"en\": \"A\"}, \"first_year\": 2020, \"last_year\": 2023,"
		"\"domains\": [{\"code\": \"1\", \"title\": {\"en\": \"d\"}, \"indicators\": ["
		"{\"code\": \"up\", \"title\": {\"en\": \"t\"}, \"unit\": \"people\", \"aggregation\": \"sum\", \"targets\": {\"2021\": 200}},"
		"{\"code\": \"pct\", \"title\": {\"en\": \"t\"}, \"unit\": \"percent\", \"aggregation\": \"mean\", "
		" \"baseline\": {\"value\": 40, \"year\": 2019}, \"targets\": {\"2021\": 50}},"
		"{\"code\": \"down\", \"title\": {\"en\": \"t\"}, \"unit\": \"percent\", \"aggregation\": \"mean\", \"direction\": \"decrease\", "
		" \"baseline\": {\"value\": 30, \"year\": 2019}, \"targets\": {\"2021\": 20}},"
		"{\"code\": \"zero\", \"title\": {\"en\": \"t\"}, \"unit\": \"yesno\", \"aggregation\": \"max\", \"targets\": {\"2021\": 0}},"
		"{\"code\": \"none\", \"title\": {\"en\": \"t\"}, \"unit\": \"number\", \"aggregation\": \"sum\"}]}]}";
	CHECK_INT(rbm_plan_parse(text, strlen(text), "a.json", test_places(), &p, &d), RBM_OK);
	struct rbm_attainment a;
	rbm_measure_attain(p, &p->indicators[0], 2021, true, 200, &a);
	CHECK(a.percent == 100 && a.status == RBM_ATTAIN_ACHIEVED);
	rbm_measure_attain(p, &p->indicators[0], 2021, true, 150, &a);
	CHECK(a.percent == 75 && a.status == RBM_ATTAIN_ON_TRACK);
	rbm_measure_attain(p, &p->indicators[0], 2021, true, 149, &a);
	CHECK_INT(a.status, RBM_ATTAIN_BEHIND);
	rbm_measure_attain(p, &p->indicators[0], 2021, false, 0, &a);
	CHECK_INT(a.status, RBM_ATTAIN_NO_DATA);
	rbm_measure_attain(p, &p->indicators[0], 2022, true, 10, &a);
	CHECK_INT(a.status, RBM_ATTAIN_NO_TARGET);
	/* A level moves from its baseline: 40 -> 45 of 40 -> 50 is half way. */
	rbm_measure_attain(p, &p->indicators[1], 2021, true, 45, &a);
	CHECK(fabs(a.percent - 50) < 1e-9);
	CHECK_INT(a.status, RBM_ATTAIN_BEHIND);
	/* Decreasing: 30 -> 22 of 30 -> 20 is 80 %, on track; 19 is achieved. */
	rbm_measure_attain(p, &p->indicators[2], 2021, true, 22, &a);
	CHECK(fabs(a.percent - 80) < 1e-9);
	CHECK_INT(a.status, RBM_ATTAIN_ON_TRACK);
	rbm_measure_attain(p, &p->indicators[2], 2021, true, 19, &a);
	CHECK_INT(a.status, RBM_ATTAIN_ACHIEVED);
	rbm_measure_attain(p, &p->indicators[2], 2021, true, 35, &a);
	CHECK_INT(a.status, RBM_ATTAIN_BEHIND);
	/* A target of zero is met. */
	rbm_measure_attain(p, &p->indicators[3], 2021, true, 0, &a);
	CHECK_INT(a.status, RBM_ATTAIN_ACHIEVED);
	rbm_measure_attain(p, &p->indicators[4], 2021, true, 5, &a);
	CHECK_INT(a.status, RBM_ATTAIN_NO_TARGET);
	rbm_plan_free(p);
	free(json);
	rbm_diag_free(&d);
}

TEST_MAIN(T(engine_matches_sql), T(attainment_rules))
