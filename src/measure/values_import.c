/*
 * values_import.c - data values in bulk from CSV, in one transaction.
 */
#include "measure_int.h"

#include "../core/alloc.h"
#include "../core/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum col { C_INDICATOR, C_YEAR, C_QUARTER, C_OFFICE, C_COUNTRY, C_CITY, C_DIS, C_CAT, C_VALUE, C_N };

static const char *const col_names[C_N] = {"indicator", "year", "quarter", "office", "country",
					    "city", "disaggregation", "category", "value"};

enum rbm_rc rbm_measure_values_import(struct rbm_store *s, const struct rbm_plan *p,
				      const struct rbm_places *places, const char *path,
				      bool progress, struct rbm_values_result *res,
				      struct rbm_diag *d)
{
	memset(res, 0, sizeof *res);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rbm_diag_add(d, path, NULL, "cannot open: %s", strerror(errno));
		return errno == ENOENT ? RBM_ENOENT : RBM_EIO;
	}
	struct rbm_strmap inds, offices, countries;
	rbm_strmap_init(&inds);
	rbm_strmap_init(&offices);
	rbm_strmap_init(&countries);
	for (size_t i = 0; i < p->indicators_len; i++)
		rbm_strmap_intern(&inds, p->indicators[i].code);
	for (size_t i = 0; i < p->offices_len; i++)
		rbm_strmap_intern(&offices, p->offices[i].code);
	for (size_t i = 0; i < places->countries_len; i++)
		rbm_strmap_intern(&countries, places->countries[i].alpha3);
	struct rbm_csv *csv = rbm_csv_open(f, path);
	struct rbm_bulk *ins = NULL;
	char source[300];
	const char *base = strrchr(path, '/');
	snprintf(source, sizeof source, "bulk:%s", base ? base + 1 : path);
	bool tty = progress && isatty(2);
	size_t before = rbm_diag_count(d);
	char **fields;
	size_t n;
	int col[C_N];
	enum rbm_rc rc = rbm_csv_next(csv, &fields, &n, d);
	if (rc == RBM_ENOENT) {
		rbm_diag_add(d, path, NULL, "the file is empty");
		rc = RBM_EINVAL;
	}
	if (rc != RBM_OK)
		goto out;
	for (int k = 0; k < C_N; k++) {
		col[k] = -1;
		for (size_t i = 0; i < n; i++)
			if (strcmp(fields[i], col_names[k]) == 0)
				col[k] = (int)i;
	}
	for (int k = 0; k < C_N; k++)
		if (col[k] < 0 && (k == C_INDICATOR || k == C_YEAR || k == C_OFFICE || k == C_VALUE))
			rbm_diag_add(d, path, "line 1", "missing column \"%s\"", col_names[k]);
	if (rbm_diag_count(d) > before) {
		rc = RBM_EINVAL;
		goto out;
	}
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		goto out;
	static const char *const cols[] = {"year", "quarter", "indicator", "office", "country", "city",
					   "disaggregation", "category", "value", "source"};
	rc = rbm_store_bulk_begin(s, "data_values", cols, 10, &ins, d);
	while (rc == RBM_OK && (rc = rbm_csv_next(csv, &fields, &n, d)) == RBM_OK) {
		size_t line = rbm_csv_line(csv);
		char where[64];
		const char *v[C_N];
		for (int k = 0; k < C_N; k++)
			v[k] = col[k] >= 0 && (size_t)col[k] < n ? fields[col[k]] : "";
		uint32_t ind = rbm_strmap_find(&inds, v[C_INDICATOR]);
		bool bad = false;
#define BAD(column, ...)                                                                    \
	do {                                                                                \
		snprintf(where, sizeof where, "line %zu, column %s", line, column);          \
		rbm_diag_add(d, path, where, __VA_ARGS__);                                   \
		bad = true;                                                                 \
	} while (0)
		if (ind == UINT32_MAX)
			BAD("indicator", "unknown indicator \"%s\"", v[C_INDICATOR]);
		if (rbm_strmap_find(&offices, v[C_OFFICE]) == UINT32_MAX)
			BAD("office", "unknown office \"%s\"", v[C_OFFICE]);
		if (*v[C_COUNTRY] && rbm_strmap_find(&countries, v[C_COUNTRY]) == UINT32_MAX)
			BAD("country", "unknown country \"%s\"", v[C_COUNTRY]);
		char *end;
		long year = strtol(v[C_YEAR], &end, 10);
		if (*v[C_YEAR] == '\0' || *end || year < 1900 || year > 2200)
			BAD("year", "expected a year, got \"%s\"", v[C_YEAR]);
		long quarter = *v[C_QUARTER] ? strtol(v[C_QUARTER], &end, 10) : 0;
		if (*v[C_QUARTER] && (*end || quarter < 0 || quarter > 4))
			BAD("quarter", "expected 1-4 (or empty for the year), got \"%s\"", v[C_QUARTER]);
		errno = 0;
		double x = strtod(v[C_VALUE], &end);
		if (*v[C_VALUE] == '\0' || *end || errno == ERANGE || !isfinite(x))
			BAD("value", "expected a finite number, got \"%s\"", v[C_VALUE]);
		else if (ind != UINT32_MAX) {
			const struct rbm_indicator *in = &p->indicators[ind];
			if (in->unit == RBM_UNIT_PEOPLE && (x < 0 || x != floor(x)))
				BAD("value", "a number of people must be a whole number >= 0, got %g", x);
			else if (in->unit == RBM_UNIT_PERCENT && (x < 0 || x > 100))
				BAD("value", "a percentage must lie in 0-100, got %g", x);
		}
		if ((*v[C_DIS] != '\0') != (*v[C_CAT] != '\0')) {
			BAD(*v[C_DIS] ? "category" : "disaggregation", "disaggregation and category go together");
		} else if (*v[C_DIS] && ind != UINT32_MAX) {
			/* The indicator must be disaggregated so, and the category be one of its own. */
			const struct rbm_indicator *in = &p->indicators[ind];
			bool dis = false, cat = false;
			for (size_t g = 0; g < in->disaggregations_len; g++) {
				const struct rbm_disaggregation *dg = &p->disaggregations[in->disaggregations[g]];
				if (strcmp(dg->code, v[C_DIS]) != 0)
					continue;
				dis = true;
				for (size_t k = 0; k < dg->categories_len; k++)
					cat |= strcmp(dg->categories[k].code, v[C_CAT]) == 0;
			}
			if (!dis)
				BAD("disaggregation", "indicator %s is not disaggregated by \"%s\"", v[C_INDICATOR],
				    v[C_DIS]);
			else if (!cat)
				BAD("category", "\"%s\" is not a category of %s", v[C_CAT], v[C_DIS]);
		}
		if (*v[C_CITY]) {
			size_t at = RBM_NONE;
			for (size_t k = 0; k < p->cities_len && at == RBM_NONE; k++)
				if (strcmp(p->cities[k].code, v[C_CITY]) == 0)
					at = k;
			if (at != RBM_NONE && *v[C_COUNTRY] && strcmp(p->cities[at].country, v[C_COUNTRY]) != 0)
				BAD("city", "city %s is not in %s", v[C_CITY], v[C_COUNTRY]);
		}
#undef BAD
		if (bad)
			continue;
		rbm_bulk_int(ins, 1, year);
		rbm_bulk_int(ins, 2, quarter);
		rbm_bulk_text(ins, 3, v[C_INDICATOR]);
		rbm_bulk_text(ins, 4, v[C_OFFICE]);
		rbm_bulk_text(ins, 5, *v[C_COUNTRY] ? v[C_COUNTRY] : NULL);
		rbm_bulk_text(ins, 6, *v[C_CITY] ? v[C_CITY] : NULL);
		rbm_bulk_text(ins, 7, *v[C_DIS] ? v[C_DIS] : NULL);
		rbm_bulk_text(ins, 8, *v[C_CAT] ? v[C_CAT] : NULL);
		rbm_bulk_double(ins, 9, x);
		rbm_bulk_text(ins, 10, source);
		rc = rbm_store_bulk_row(ins, d);
		res->rows++;
		if (tty && res->rows % 100000 == 0)
			fprintf(stderr, "\rrbm: %s: %zu values", path, res->rows);
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	if (rc == RBM_ENOENT)
		rc = RBM_OK;
	if (rc == RBM_OK) {
		rc = rbm_store_bulk_end(ins, d);
		ins = NULL;
	}
	rbm_store_bulk_free(ins);
	ins = NULL;
	if (rc == RBM_OK && rbm_diag_count(d) > before)
		rc = RBM_EINVAL;
	if (rc == RBM_OK) {
		struct rbm_query *g = NULL;
		rc = rbm_store_query(s, "UPDATE data_generation SET generation = generation + 1 WHERE id = 1",
				     &g, d);
		if (rc == RBM_OK)
			rc = rbm_query_exec(g, d);
		rbm_query_free(g);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	else
		rbm_store_rollback(s);
out:
	rbm_store_bulk_free(ins);
	rbm_csv_close(csv);
	fclose(f);
	rbm_strmap_free(&inds);
	rbm_strmap_free(&offices);
	rbm_strmap_free(&countries);
	return rc;
}
