/*
 * plan.h - the results-framework model: a strategic plan in memory.
 *
 * A plan has a tree of results (domain of change -> outcome -> output, or
 * any levels the plan declares), indicators on results, programmes and
 * themes that results are tagged with, drivers of change and enablers,
 * disaggregations, organisational units and cities. Every title carries up
 * to six languages and falls back to English.
 *
 * Ownership: a struct rbm_plan owns everything reachable from it; strings
 * live in its arena. rbm_plan_free() releases it all. Elements refer to one
 * another by index into the plan's arrays (RBM_NONE for "none").
 */
#ifndef RBM_PLAN_PLAN_H
#define RBM_PLAN_PLAN_H

#include "../core/diag.h"
#include "../core/rbm.h"
#include "../core/text.h"
#include "places.h"

#include <stddef.h>
#include <stdint.h>

#define RBM_NONE SIZE_MAX
#define RBM_PLAN_MAX_BYTES ((size_t)16 << 20)
#define RBM_PLAN_MAX_DEPTH 64
#define RBM_PLAN_MAX_LEVELS 16

/* Provenance carried by any element. */
struct rbm_meta {
	unsigned unofficial; /* bit (1u << lang): translation by the plan's authors */
	bool unverified;     /* content to be confirmed */
	struct rbm_text note;
	const char **sources;
	size_t sources_len;
};

enum rbm_unit { RBM_UNIT_NUMBER, RBM_UNIT_PEOPLE, RBM_UNIT_PERCENT, RBM_UNIT_CURRENCY,
		RBM_UNIT_YESNO, RBM_UNIT_TEXT };
enum rbm_aggregation { RBM_AGG_SUM, RBM_AGG_MAX, RBM_AGG_MIN, RBM_AGG_MEAN, RBM_AGG_LATEST,
		       RBM_AGG_COUNT_UNITS };
enum rbm_count_of { RBM_COUNT_NONE, RBM_COUNT_COUNTRY, RBM_COUNT_CITY };
enum rbm_place_combine { RBM_COMBINE_SUM, RBM_COMBINE_MAX };
enum rbm_direction { RBM_DIR_INCREASE, RBM_DIR_DECREASE };
enum rbm_office_kind { RBM_OFFICE_HEADQUARTERS, RBM_OFFICE_HQ_UNIT, RBM_OFFICE_REGIONAL,
		       RBM_OFFICE_LIAISON, RBM_OFFICE_COUNTRY };
enum rbm_tag_kind { RBM_TAG_PROGRAMME, RBM_TAG_THEME, RBM_TAG_DRIVER, RBM_TAG_ENABLER };

const char *rbm_unit_name(enum rbm_unit u);
const char *rbm_aggregation_name(enum rbm_aggregation a);
const char *rbm_count_of_name(enum rbm_count_of c);
const char *rbm_place_combine_name(enum rbm_place_combine c);
const char *rbm_direction_name(enum rbm_direction d);
const char *rbm_office_kind_name(enum rbm_office_kind k);
const char *rbm_tag_kind_name(enum rbm_tag_kind k);
/* Each parser returns false for a name it does not know. */
bool rbm_unit_parse(const char *s, enum rbm_unit *out);
bool rbm_aggregation_parse(const char *s, enum rbm_aggregation *out);
bool rbm_count_of_parse(const char *s, enum rbm_count_of *out);
bool rbm_place_combine_parse(const char *s, enum rbm_place_combine *out);
bool rbm_direction_parse(const char *s, enum rbm_direction *out);
bool rbm_office_kind_parse(const char *s, enum rbm_office_kind *out);

struct rbm_level {
	const char *key; /* JSON key of this level's array, e.g. "outcomes" */
	struct rbm_text title;
	struct rbm_meta meta;
};

struct rbm_category {
	const char *code;
	struct rbm_text title;
	struct rbm_meta meta;
};

struct rbm_disaggregation {
	const char *code;
	struct rbm_text title;
	struct rbm_category *categories;
	size_t categories_len;
	struct rbm_meta meta;
};

/* Programmes, themes, drivers of change and enablers. */
struct rbm_tag {
	const char *code;
	struct rbm_text title, short_title, description;
	int number;        /* flagship number; 0 when none */
	const char *kind;  /* themes: social_inclusion | cross_cutting; programmes: flagship | other */
	struct rbm_meta meta;
};

struct rbm_target {
	int year;
	double value;
};

struct rbm_indicator {
	const char *code;
	size_t result; /* index into plan->results */
	struct rbm_text title, definition;
	enum rbm_unit unit;
	const char *currency;
	enum rbm_aggregation aggregation;
	enum rbm_count_of count_of;
	enum rbm_place_combine place_combine;
	enum rbm_direction direction;
	bool has_baseline;
	double baseline_value;
	int baseline_year;
	struct rbm_target *targets; /* sorted by year */
	size_t targets_len;
	size_t *disaggregations;    /* indices into plan->disaggregations */
	size_t disaggregations_len;
	bool illustrative;
	struct rbm_meta meta;
};

struct rbm_result {
	const char *code;
	unsigned level;  /* 0 = outermost */
	size_t parent;   /* index into plan->results, RBM_NONE at level 0 */
	struct rbm_text title, short_title, description;
	size_t *programmes; /* indices into plan->programmes */
	size_t programmes_len;
	size_t *themes;     /* indices into plan->themes */
	size_t themes_len;
	struct rbm_meta meta;
};

struct rbm_office {
	const char *code;
	struct rbm_text title;
	enum rbm_office_kind kind;
	size_t parent; /* index into plan->offices, RBM_NONE for headquarters */
	const char *seat;
	const char **countries; /* ISO 3166-1 alpha-3 */
	size_t countries_len;
	const char **regions;   /* UN M49 codes */
	size_t regions_len;
	size_t *indicators;     /* indices into plan->indicators it reports on; none: all */
	size_t indicators_len;
	struct rbm_meta meta;
};

struct rbm_city {
	const char *code;
	const char *country; /* alpha-3 */
	struct rbm_text title;
	struct rbm_meta meta;
};

/*
 * How the plan is published to IATI (optional: org_ref is NULL when the plan
 * has no "iati" object). activity_prefix is the plan's activity identifier
 * and begins with org_ref and "-"; a programme's is activity_prefix-CODE.
 */
struct rbm_iati {
	const char *org_ref;         /* reporting-org/@ref, e.g. "XM-DAC-00000" */
	const char *org_type;        /* reporting-org/@type, an OrganisationType code, e.g. "40" */
	struct rbm_text org_name;    /* reporting-org/narrative */
	const char *activity_prefix; /* the plan's iati-identifier */
};

struct rbm_plan {
	struct rbm_arena *arena;
	const char *code;
	struct rbm_text title, subtitle, description;
	int first_year, last_year;
	/* about */
	bool illustrative_indicators;
	struct rbm_text about_note;
	const char *approved_by;
	struct rbm_meta meta;
	double threshold_achieved, threshold_on_track;
	struct rbm_iati iati;

	struct rbm_level *levels;
	size_t levels_len;
	struct rbm_disaggregation *disaggregations;
	size_t disaggregations_len;
	struct rbm_tag *programmes, *themes, *drivers, *enablers;
	size_t programmes_len, themes_len, drivers_len, enablers_len;
	struct rbm_office *offices;
	size_t offices_len;
	struct rbm_city *cities;
	size_t cities_len;
	struct rbm_result *results; /* depth-first, parents before children */
	size_t results_len;
	struct rbm_indicator *indicators; /* in document order */
	size_t indicators_len;
};

/* An empty plan whose arrays the caller fills (used by loaders and stores). */
struct rbm_plan *rbm_plan_new(void);
void rbm_plan_free(struct rbm_plan *p);

/*
 * Parses and validates a plan held in json (json_len bytes). file names it in
 * problems. places, when not NULL, resolves country and region codes. On any
 * problem, every problem is added to d and RBM_EINVAL is returned; *out is set
 * only on success.
 */
enum rbm_rc rbm_plan_parse(const char *json, size_t json_len, const char *file,
			   const struct rbm_places *places, struct rbm_plan **out,
			   struct rbm_diag *d);
/* Reads the file at path (at most RBM_PLAN_MAX_BYTES) and parses it. */
enum rbm_rc rbm_plan_load(const char *path, const struct rbm_places *places,
			  struct rbm_plan **out, struct rbm_diag *d);

/*
 * Writes the plan as canonical plan-format JSON (keys in a fixed order,
 * defaults written out) into *out (free() it). Two plans are equal when their
 * canonical JSON is.
 */
enum rbm_rc rbm_plan_to_json(const struct rbm_plan *p, char **out);

/* Lookups by code; RBM_NONE when absent. */
size_t rbm_plan_find_result(const struct rbm_plan *p, const char *code);
size_t rbm_plan_find_indicator(const struct rbm_plan *p, const char *code);
size_t rbm_plan_find_office(const struct rbm_plan *p, const char *code);

/* One text that lacks a language. */
struct rbm_missing {
	const char *kind;  /* "result", "indicator", "programme", ... */
	const char *code;
	const char *field; /* "title", "definition", ... */
	unsigned langs;    /* bit (1u << lang) for each missing language */
};

/*
 * Lists every text of the plan that lacks a language in want (a bit set of
 * languages) into *out (free() it) and *out_len.
 */
void rbm_plan_missing(const struct rbm_plan *p, unsigned want, struct rbm_missing **out,
		      size_t *out_len);

#endif
