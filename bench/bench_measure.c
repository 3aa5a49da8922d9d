/*
 * bench_measure.c - the rbm side of the measure benchmark (a measurement, not a test).
 *
 * Usage: bench_measure DB OUTDIR [RUNS [YEAR]]
 *
 * Opens DB (made by 'rbm init' and 'rbm values import'), times rbm_measure_load, then the workload,
 * on one core (the engine is single-threaded), each query the best of RUNS (default 5):
 *   Q1  totals per indicator and year, each indicator by its rule: rbm_measure_run, no grouping,
 *       every year (the query 'rbm results' makes: places counted);
 *   Q2  the same per region (RBM_DIM_REGION: the regional office; headquarters has none);
 *   Q3  attainment in YEAR (default 2021): rbm_measure_attainment, then a count per domain and status;
 *   Q4  people reached by sex per region: the people-unit indicators, RBM_DIM_CATEGORY with the
 *       disaggregation "sex", and RBM_DIM_REGION.
 * Also Q1 without counting places (the dense path attainment takes), reported on the side.
 *
 * Writes OUTDIR/q1.csv .. q4.csv (the answers, one line each, sorted bytewise; no header):
 *   q1: indicator,year,value   q2: indicator,year,region,value   q3: domain,status,count
 *   q4: indicator,year,region,category,value      (region "" for headquarters, values %.17g)
 * and prints key=value lines: rows, bytes, load_s, q1_s .. q4_s, q1_direct_s, peak_rss_kb.
 */
#include "core/diag.h"
#include "measure/measure.h"
#include "plan/places.h"
#include "plan/plan.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, struct rbm_diag *d)
{
	fprintf(stderr, "bench_measure: %s failed\n", what);
	rbm_diag_print(d, stderr, "bench_measure: ");
	exit(1);
}

/* ---- answers as sorted lines ---- */

struct lines {
	char **v;
	size_t len, cap;
};

static void add_line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_line(struct lines *l, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL)
			exit(1);
	}
	l->v[l->len++] = strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void write_lines(struct lines *l, const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	qsort(l->v, l->len, sizeof *l->v, cmp_str);
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	for (size_t i = 0; i < l->len; i++) {
		fprintf(f, "%s\n", l->v[i]);
		free(l->v[i]);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static const char *key(const struct rbm_measure *m, enum rbm_dim dim, uint32_t id)
{
	return id == RBM_KEY_NONE ? "" : rbm_measure_key_code(m, dim, id);
}

static void table_lines(const struct rbm_measure *m, const struct rbm_plan *p,
			const struct rbm_measure_table *t, struct lines *l)
{
	for (size_t r = 0; r < t->len; r++) {
		const struct rbm_measure_row *row = &t->rows[r];
		char keys[128] = "";
		size_t used = 0;
		if (t->by & (1u << RBM_DIM_REGION))
			used += (size_t)snprintf(keys + used, sizeof keys - used, "%s,",
						 key(m, RBM_DIM_REGION, row->key[RBM_DIM_REGION]));
		if (t->by & (1u << RBM_DIM_CATEGORY))
			snprintf(keys + used, sizeof keys - used, "%s,",
				 key(m, RBM_DIM_CATEGORY, row->key[RBM_DIM_CATEGORY]));
		add_line(l, "%s,%d,%s%.17g", p->indicators[row->indicator].code, row->year, keys, row->value);
	}
}

/* ---- the queries ---- */

struct ctx {
	const struct rbm_measure *m;
	const struct rbm_plan *p;
	int year;
	size_t *people, npeople; /* people-unit indicators */
	size_t sex;              /* the disaggregation "sex" */
	size_t *domain_of;       /* per indicator: its level-0 result */
};

static void run_table(const struct ctx *c, const struct rbm_measure_query *q, struct lines *out)
{
	struct rbm_measure_table t;
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (rbm_measure_run(c->m, q, &t, &d) != RBM_OK)
		die("rbm_measure_run", &d);
	if (out)
		table_lines(c->m, c->p, &t, out);
	rbm_measure_table_free(&t);
	rbm_diag_free(&d);
}

static void q1(const struct ctx *c, struct lines *out)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	run_table(c, &q, out);
}

static void q1_direct(const struct ctx *c, struct lines *out)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.want_places = false;
	run_table(c, &q, out);
}

static void q2(const struct ctx *c, struct lines *out)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.by = 1u << RBM_DIM_REGION;
	run_table(c, &q, out);
}

static void q3(const struct ctx *c, struct lines *out)
{
	const struct rbm_plan *p = c->p;
	struct rbm_attainment *a = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (rbm_measure_attainment(c->m, c->year, &a, &d) != RBM_OK)
		die("rbm_measure_attainment", &d);
	/* Count per domain x status. */
	enum { NSTATUS = RBM_ATTAIN_NO_TARGET + 1 };
	size_t *count = calloc(p->results_len * NSTATUS + 1, sizeof *count);
	for (size_t i = 0; i < p->indicators_len; i++)
		if (c->domain_of[i] != RBM_NONE)
			count[c->domain_of[i] * NSTATUS + a[i].status]++;
	if (out)
		for (size_t r = 0; r < p->results_len; r++)
			for (int s = 0; s < NSTATUS; s++)
				if (count[r * NSTATUS + s])
					add_line(out, "%s,%s,%zu", p->results[r].code,
						 rbm_attain_name((enum rbm_attain)s), count[r * NSTATUS + s]);
	free(count);
	free(a);
	rbm_diag_free(&d);
}

static void q4(const struct ctx *c, struct lines *out)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.indicators = c->people;
	q.indicators_len = c->npeople;
	q.by = (1u << RBM_DIM_CATEGORY) | (1u << RBM_DIM_REGION);
	q.disaggregation = c->sex;
	run_table(c, &q, out);
}

/* The best of runs; the first run writes the answers. */
static double best(const struct ctx *c, void (*fn)(const struct ctx *, struct lines *), int runs,
		   const char *dir, const char *name)
{
	double min = 1e300;
	for (int r = 0; r < runs; r++) {
		struct lines l = {0};
		double t0 = now();
		fn(c, r == 0 && name ? &l : NULL);
		double dt = now() - t0;
		if (dt < min)
			min = dt;
		if (r == 0 && name)
			write_lines(&l, dir, name);
	}
	return min;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: bench_measure DB OUTDIR [RUNS [YEAR]]\n");
		return 2;
	}
	const char *dir = argv[2];
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	int year = argc > 4 ? atoi(argv[4]) : 2021;
	if (runs < 1)
		runs = 1;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	if (rbm_store_open(argv[1], 0, &s, &d) != RBM_OK)
		die("rbm_store_open", &d);
	if (rbm_store_get_plan(s, NULL, &p, &d) != RBM_OK)
		die("rbm_store_get_plan", &d);
	if (rbm_store_get_places(s, &places, &d) != RBM_OK)
		die("rbm_store_get_places", &d);

	struct rbm_measure *m = NULL;
	double t0 = now();
	if (rbm_measure_load(s, p, places, &m, &d) != RBM_OK)
		die("rbm_measure_load", &d);
	double load = now() - t0;

	struct ctx c = {m, p, year, NULL, 0, RBM_NONE, NULL};
	c.people = calloc(p->indicators_len + 1, sizeof *c.people);
	c.domain_of = calloc(p->indicators_len + 1, sizeof *c.domain_of);
	for (size_t i = 0; i < p->indicators_len; i++) {
		if (p->indicators[i].unit == RBM_UNIT_PEOPLE)
			c.people[c.npeople++] = i;
		size_t r = p->indicators[i].result;
		while (r != RBM_NONE && p->results[r].level != 0)
			r = p->results[r].parent;
		c.domain_of[i] = r;
	}
	for (size_t g = 0; g < p->disaggregations_len; g++)
		if (strcmp(p->disaggregations[g].code, "sex") == 0)
			c.sex = g;
	if (c.sex == RBM_NONE) {
		fprintf(stderr, "bench_measure: the plan has no disaggregation \"sex\"\n");
		return 1;
	}

	double tq1 = best(&c, q1, runs, dir, "q1.csv");
	double tq2 = best(&c, q2, runs, dir, "q2.csv");
	double tq3 = best(&c, q3, runs, dir, "q3.csv");
	double tq4 = best(&c, q4, runs, dir, "q4.csv");
	double tq1d = best(&c, q1_direct, runs, dir, "q1_direct.csv");

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("rows=%zu\nbytes=%zu\nload_s=%.6f\nq1_s=%.6f\nq2_s=%.6f\nq3_s=%.6f\nq4_s=%.6f\n"
	       "q1_direct_s=%.6f\npeak_rss_kb=%ld\n",
	       rbm_measure_rows(m), rbm_measure_bytes(m), load, tq1, tq2, tq3, tq4, tq1d, ru.ru_maxrss);

	free(c.people);
	free(c.domain_of);
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return 0;
}
