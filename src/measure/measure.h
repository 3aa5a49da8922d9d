/*
 * measure.h - the aggregation engine: what offices achieved, per indicator,
 * year and any grouping, against the year's targets.
 *
 * rbm_measure_load() reads the data values (derived from approved
 * submissions, or loaded in bulk) once into memory as columns:
 * dictionary-encoded codes in small integer arrays, values in a double
 * array, rows ordered by indicator. Queries then scan only the rows of the
 * indicators they ask about. A loaded engine knows the data generation it
 * was built from; rbm_measure_fresh() tells whether an approval has changed
 * the data since.
 *
 * The rules, per indicator, year and group (docs/measure.md):
 *   1. the rows of the indicator in the year and group (only totals, unless
 *      grouped by a disaggregation: then only its categories);
 *   2. per place (count_units of country: the country; of city: the city;
 *      otherwise country and city, or the office for values with no place),
 *      the rows combine by the indicator's place_combine (sum or max); for
 *      'latest' only the rows of the place's latest period count;
 *   3. across places: sum, max, min, mean, latest (sum of the places' latest
 *      values), or count_units (places whose combined value is > 0).
 */
#ifndef RBM_MEASURE_MEASURE_H
#define RBM_MEASURE_MEASURE_H

#include "../core/diag.h"
#include "../core/rbm.h"
#include "../plan/plan.h"
#include "../store/store.h"

#include <stdint.h>

struct rbm_measure;

/* Dimensions a query may group by (besides indicator and year, always). */
enum rbm_dim {
	RBM_DIM_QUARTER,  /* 1-4; 0 for annual values */
	RBM_DIM_OFFICE,   /* the office that reported */
	RBM_DIM_REGION,   /* the regional office it reports through (none: headquarters) */
	RBM_DIM_COUNTRY,
	RBM_DIM_CITY,
	RBM_DIM_DOMAIN,   /* the indicator's level-0 result */
	RBM_DIM_OUTCOME,  /* the indicator's level-1 result */
	RBM_DIM_FLAGSHIP, /* programmes the submission tagged the outcome with (a value may count under several) */
	RBM_DIM_THEME,    /* themes, likewise */
	RBM_DIM_CATEGORY, /* a category of the query's disaggregation */
	RBM_DIM_COUNT
};

const char *rbm_dim_name(enum rbm_dim d);
bool rbm_dim_parse(const char *s, enum rbm_dim *out);

#define RBM_KEY_NONE UINT32_MAX

struct rbm_measure_query {
	int year_from, year_to;    /* 0: every year */
	const size_t *indicators;  /* NULL: every indicator */
	size_t indicators_len;
	unsigned by;               /* bits (1u << enum rbm_dim) */
	size_t disaggregation;     /* with RBM_DIM_CATEGORY: the plan's disaggregation; else RBM_NONE */
	/* Filters; RBM_NONE or NULL for none. */
	size_t domain, outcome;    /* results */
	size_t office, region;     /* offices (region: the regional office) */
	const char *country;       /* alpha-3 */
	bool want_places;          /* count the places behind each figure (default true) */
};

/* A query with no grouping and no filter. */
void rbm_measure_query_init(struct rbm_measure_query *q);

struct rbm_measure_row {
	size_t indicator;
	int year;
	uint32_t key[RBM_DIM_COUNT]; /* per grouped dimension: an id (rbm_measure_key_name), else RBM_KEY_NONE */
	double value;
	uint32_t places;            /* places combined */
	uint32_t rows;              /* data values read */
};

struct rbm_measure_table {
	struct rbm_measure_row *rows; /* by indicator (plan order), year, then keys */
	size_t len, cap;
	unsigned by;
	size_t disaggregation;
};

void rbm_measure_table_free(struct rbm_measure_table *t);

/* Loads every data value from the store. */
enum rbm_rc rbm_measure_load(struct rbm_store *s, const struct rbm_plan *p,
			     const struct rbm_places *places, struct rbm_measure **out,
			     struct rbm_diag *d);
void rbm_measure_free(struct rbm_measure *m);
/* False when the store's data changed (an approval, a bulk load) since m was loaded. */
bool rbm_measure_fresh(const struct rbm_measure *m, struct rbm_store *s);
/* Rows held, and bytes of memory they take (columns and dictionaries). */
size_t rbm_measure_rows(const struct rbm_measure *m);
size_t rbm_measure_bytes(const struct rbm_measure *m);

/* Runs q. Unknown years, indicators or dimensions are the caller's to check (rbm_measure_check). */
enum rbm_rc rbm_measure_run(const struct rbm_measure *m, const struct rbm_measure_query *q,
			    struct rbm_measure_table *out, struct rbm_diag *d);

/* The name of a key of dimension dim in lang ("KEN" -> "Kenya", a region's title, "female"). */
const char *rbm_measure_key_name(const struct rbm_measure *m, enum rbm_dim dim, uint32_t id,
				 enum rbm_lang lang);
/* Its code ("KEN", "ROAF", "1.1", "FP3", "female"). */
const char *rbm_measure_key_code(const struct rbm_measure *m, enum rbm_dim dim, uint32_t id);

/* ---- attainment ---- */

enum rbm_attain {
	RBM_ATTAIN_ACHIEVED,
	RBM_ATTAIN_ON_TRACK,
	RBM_ATTAIN_BEHIND,
	RBM_ATTAIN_NO_DATA,
	RBM_ATTAIN_NO_TARGET
};
const char *rbm_attain_name(enum rbm_attain a);

struct rbm_attainment {
	size_t indicator;
	int year;
	bool has_actual, has_target, has_baseline;
	double actual, target, baseline;
	double percent;           /* progress towards the target, when both exist */
	enum rbm_attain status;
	uint32_t places, rows;
};

/*
 * The attainment of every indicator in year (an array of
 * p->indicators_len, in plan order; free() it). Progress is actual/target
 * for counts and flows; for levels (percentages, means) and for decreasing
 * indicators it is the distance travelled from the baseline to the target.
 * Buckets use the plan's thresholds.
 */
enum rbm_rc rbm_measure_attainment(const struct rbm_measure *m, int year,
				   struct rbm_attainment **out, struct rbm_diag *d);
/* Progress in percent and its bucket for one actual (exposed for tests). */
void rbm_measure_attain(const struct rbm_plan *p, const struct rbm_indicator *ind, int year,
			bool has_actual, double actual, struct rbm_attainment *out);

/* ---- bulk values ---- */

struct rbm_values_result {
	size_t rows;
};

/*
 * Loads data values in bulk from a CSV (header: indicator, year, office,
 * value, and optionally quarter, country, city, disaggregation, category),
 * for history and for benchmarks: one transaction, every problem reported
 * with its line and column, nothing stored if there is any.
 */
enum rbm_rc rbm_measure_values_import(struct rbm_store *s, const struct rbm_plan *p,
				      const struct rbm_places *places, const char *path,
				      bool progress, struct rbm_values_result *res,
				      struct rbm_diag *d);

/* ---- headline figures (data/reports/figures.json) ---- */

enum rbm_figure_measure { RBM_FIG_VALUE, RBM_FIG_COUNTRIES, RBM_FIG_CITIES, RBM_FIG_OFFICES,
			  RBM_FIG_INDICATORS };

struct rbm_figure {
	const char *name;
	enum rbm_figure_measure measure;
	size_t *indicators;  /* plan indices */
	size_t indicators_len;
	int status;          /* RBM_FIG_INDICATORS: an enum rbm_attain, or -1 for all */
	struct rbm_text title;
};

struct rbm_figures {
	struct rbm_figure *v;
	size_t len;
	struct rbm_arena *arena;
};

/* Reads and checks figure definitions (every problem, with its JSON path). */
enum rbm_rc rbm_figures_load(const char *path, const struct rbm_plan *p,
			     struct rbm_figures **out, struct rbm_diag *d);
void rbm_figures_free(struct rbm_figures *f);
const struct rbm_figure *rbm_figures_find(const struct rbm_figures *f, const char *name);

/* Narrowing of a figure: RBM_NONE / NULL for none. */
struct rbm_figure_params {
	size_t domain, outcome, office, region;
	const char *country;
};

/*
 * Evaluates a placeholder such as "people_reached domain=1" or
 * "countries_reached domain=1 region=ROAF" for the cycle year. s may be
 * NULL (offices then count those with data values). Unknown figures or
 * parameters are errors naming them.
 */
enum rbm_rc rbm_figure_eval(const struct rbm_measure *m, struct rbm_store *s,
			    const struct rbm_figures *f, int year, const char *placeholder,
			    double *out, struct rbm_diag *d);

#endif
