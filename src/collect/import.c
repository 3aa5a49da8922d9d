/*
 * import.c - bringing submissions in from files, all or nothing.
 *
 * Formats, detected from the content: rbm JSON (docs/submission-format.md),
 * rbm CSV (one row per answer), and the wide exports of KoBoToolbox and ODK
 * Central (CSV or XLSX; one row per submission; group paths in headers
 * with '/' or '-'; select_multiple as one space-separated column or split
 * 0/1 columns; _uuid/instanceID/KEY, _submission_time/SubmissionDate).
 *
 * Two passes over the file: the first checks every record and reports every
 * problem; only when there is none does the second store them, inside one
 * transaction. Memory stays bounded by one record (the uuids seen go to a
 * temporary table), however large the file.
 */
#include "collect_int.h"

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/fs.h"
#include "../core/xlsx.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSON_MAX_BYTES ((size_t)256 << 20)

enum format { FMT_JSON, FMT_RBM_CSV, FMT_WIDE_CSV, FMT_XLSX };

/* One submission as read from the file, before it is checked. */
struct record {
	char where[64];
	const char *uuid, *office, *submitted_at, *status;
	int year;
	struct rbm_answer *answers; /* CSV and XLSX */
	size_t answers_len;
	json_t *json;               /* rbm JSON: the submission object */
};

struct cached_form {
	int year;
	char *office;
	struct rbm_form *form;
};

struct importer {
	struct rbm_store *s;
	const struct rbm_plan *p;
	const struct rbm_places *places;
	const char *path;
	const char *source; /* the file's base name, recorded with each revision */
	const struct rbm_import_opts *o;
	const struct rbm_actor *who;
	struct rbm_diag *d;
	struct rbm_import_result *res;
	bool writing;       /* the second pass */
	bool failed;
	enum rbm_rc store_rc; /* the database's failure (not the file's), if one stopped the import */
	bool tty;
	struct cached_form *forms;
	size_t forms_len, forms_cap;
	struct rbm_cycle *cycles;
	size_t cycles_len, cycles_cap;
	int *missing_cycles;
	size_t missing_len, missing_cap;
	/* The uuids seen in the first pass live in a temporary table, not in memory. */
	struct rbm_query *seen_get, *seen_put;
};

/* ---- helpers ---- */

/*
 * Remembers uuid with its content hash; if it was seen before with other
 * content, reports both places. The table is temporary, so memory stays
 * bounded however many submissions the file holds.
 */
static void check_uuid(struct importer *im, const char *uuid, const char *hash, const char *where)
{
	rbm_query_bind_text(im->seen_get, 1, uuid);
	enum rbm_rc rc = rbm_query_step(im->seen_get, im->d);
	if (rc == RBM_OK) {
		if (strcmp(rbm_query_text(im->seen_get, 0), hash) != 0) {
			rbm_diag_add(im->d, im->path, where,
				     "uuid %s appears at %s already, with different content", uuid,
				     rbm_query_text(im->seen_get, 1));
			im->failed = true;
		}
		rbm_query_reset(im->seen_get);
		return;
	}
	rbm_query_reset(im->seen_get);
	if (rc != RBM_ENOENT) {
		im->failed = true;
		return;
	}
	rbm_query_bind_text(im->seen_put, 1, uuid);
	rbm_query_bind_text(im->seen_put, 2, hash);
	rbm_query_bind_text(im->seen_put, 3, where);
	if (rbm_query_exec(im->seen_put, im->d) != RBM_OK)
		im->failed = true;
}

static const struct rbm_cycle *cycle_for(struct importer *im, int year, const char *where)
{
	for (size_t i = 0; i < im->cycles_len; i++)
		if (im->cycles[i].year == year)
			return &im->cycles[i];
	for (size_t i = 0; i < im->missing_len; i++)
		if (im->missing_cycles[i] == year)
			return NULL;
	struct rbm_cycle c;
	struct rbm_diag quiet;
	rbm_diag_init(&quiet);
	enum rbm_rc rc = rbm_collect_cycle_get(im->s, year, &c, &quiet);
	rbm_diag_free(&quiet);
	if (rc != RBM_OK) {
		rbm_diag_add(im->d, im->path, where,
			     "there is no reporting cycle for %d (open one with 'rbm cycle open %d')", year,
			     year);
		rbm_xgrow(&im->missing_cycles, &im->missing_cap, im->missing_len + 1, sizeof(int));
		im->missing_cycles[im->missing_len++] = year;
		return NULL;
	}
	rbm_xgrow(&im->cycles, &im->cycles_cap, im->cycles_len + 1, sizeof c);
	im->cycles[im->cycles_len] = c;
	return &im->cycles[im->cycles_len++];
}

static const struct rbm_form *form_for(struct importer *im, int year, const char *office,
				       const char *where)
{
	for (size_t i = 0; i < im->forms_len; i++)
		if (im->forms[i].year == year && strcmp(im->forms[i].office, office) == 0)
			return im->forms[i].form;
	struct rbm_form *f = NULL;
	struct rbm_diag local;
	rbm_diag_init(&local);
	if (rbm_collect_form(im->p, im->places, year, office, &f, &local) != RBM_OK) {
		for (size_t i = 0; i < local.len; i++)
			rbm_diag_add(im->d, im->path, where, "%s", local.entries[i].reason);
		rbm_diag_free(&local);
		return NULL;
	}
	rbm_diag_free(&local);
	rbm_xgrow(&im->forms, &im->forms_cap, im->forms_len + 1, sizeof *im->forms);
	im->forms[im->forms_len++] = (struct cached_form){year, rbm_xstrdup(office), f};
	return f;
}

static void progress(struct importer *im, size_t n, bool done)
{
	if (!im->tty)
		return;
	if (done)
		fprintf(stderr, "\r\033[K");
	else if (n % 200 == 0)
		fprintf(stderr, "\rrbm: %s %s: %zu records", im->writing ? "storing" : "checking",
			im->source, n);
	fflush(stderr);
}

/* ---- rbm JSON content ---- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static char **jcodes(struct importer *im, json_t *a, size_t *n, const char *where, const char *key)
{
	*n = 0;
	if (a == NULL)
		return NULL;
	if (!json_is_array(a)) {
		rbm_diag_add(im->d, im->path, where, "%s: expected an array of codes", key);
		return NULL;
	}
	char **v = rbm_xcalloc(json_array_size(a) + 1, sizeof *v);
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *x = json_array_get(a, i);
		if (!json_is_string(x))
			rbm_diag_add(im->d, im->path, where, "%s[%zu]: expected a code (string)", key, i);
		else
			v[(*n)++] = rbm_xstrdup(json_string_value(x));
	}
	return v;
}

/* Fills c from a JSON submission's "values" and "outcomes", with paths in problems. */
static void json_content(struct importer *im, json_t *sub, const char *path, const char *office,
			 struct rbm_content *c)
{
	const struct rbm_plan *p = im->p;
	size_t oi = rbm_plan_find_office(p, office);
	const struct rbm_office *o = &p->offices[oi];
	const char *own = o->countries_len == 1 && o->regions_len == 0 ? o->countries[0] : "";
	json_t *vals = json_object_get(sub, "values");
	char where[160];
	if (vals && !json_is_array(vals))
		rbm_diag_add(im->d, im->path, path, "values: expected an array");
	for (size_t i = 0; json_is_array(vals) && i < json_array_size(vals); i++) {
		json_t *x = json_array_get(vals, i);
		snprintf(where, sizeof where, "%s.values[%zu]", path, i);
		const char *code = jstr(x, "indicator");
		size_t ind = code ? rbm_plan_find_indicator(p, code) : RBM_NONE;
		if (!json_is_object(x) || ind == RBM_NONE) {
			rbm_diag_add(im->d, im->path, where, code ? "unknown indicator \"%s\"" : "%s",
				     code ? code : "expected an object with \"indicator\"");
			continue;
		}
		struct rbm_value v = {0};
		v.indicator = ind;
		v.disaggregation = v.category = RBM_NONE;
		const char *country = jstr(x, "country"), *city = jstr(x, "city"), *cat = jstr(x, "category");
		snprintf(v.country, sizeof v.country, "%s", country ? country : own);
		if (country && strlen(country) != 3)
			rbm_diag_add(im->d, im->path, where, "country: expected an ISO 3166-1 alpha-3 code, got \"%s\"",
				     country);
		v.city = city ? rbm_xstrdup(city) : NULL;
		if (city && !country)
			for (size_t t = 0; t < p->cities_len; t++)
				if (strcmp(p->cities[t].code, city) == 0)
					snprintf(v.country, sizeof v.country, "%s", p->cities[t].country);
		if (cat) {
			const struct rbm_indicator *in = &p->indicators[ind];
			for (size_t g = 0; g < in->disaggregations_len; g++) {
				const struct rbm_disaggregation *dg = &p->disaggregations[in->disaggregations[g]];
				for (size_t k = 0; k < dg->categories_len; k++)
					if (strcmp(dg->categories[k].code, cat) == 0) {
						v.disaggregation = in->disaggregations[g];
						v.category = k;
					}
			}
			if (v.disaggregation == RBM_NONE)
				rbm_diag_add(im->d, im->path, where,
					     "category: indicator %s has no category \"%s\"", code, cat);
		}
		json_t *val = json_object_get(x, "value");
		const char *text = jstr(x, "text");
		if (text) {
			v.text = rbm_xstrdup(text);
		} else if (!json_is_number(val)) {
			char got[48];
			if (json_is_string(val))
				snprintf(got, sizeof got, "\"%.30s\"", json_string_value(val));
			else
				snprintf(got, sizeof got, "%s", val ? "a non-number" : "nothing");
			rbm_diag_add(im->d, im->path, where, "value: expected a number, got %s", got);
		} else {
			v.value = json_number_value(val);
		}
		rbm_collect_content_add(c, &v, where);
	}
	json_t *outs = json_object_get(sub, "outcomes");
	if (outs && !json_is_array(outs))
		rbm_diag_add(im->d, im->path, path, "outcomes: expected an array");
	for (size_t i = 0; json_is_array(outs) && i < json_array_size(outs); i++) {
		json_t *x = json_array_get(outs, i);
		snprintf(where, sizeof where, "%s.outcomes[%zu]", path, i);
		const char *code = jstr(x, "outcome");
		size_t r = code ? rbm_plan_find_result(p, code) : RBM_NONE;
		if (r == RBM_NONE) {
			rbm_diag_add(im->d, im->path, where, code ? "unknown outcome \"%s\"" : "%s",
				     code ? code : "expected an object with \"outcome\"");
			continue;
		}
		struct rbm_outcome_report o2 = {0};
		o2.result = r;
		o2.lang = RBM_LANG_EN;
		const char *narr = jstr(x, "narrative"), *lang = jstr(x, "lang");
		o2.narrative = narr ? rbm_xstrdup(narr) : NULL;
		if (narr && (lang == NULL || !rbm_lang_parse(lang, &o2.lang)))
			rbm_diag_add(im->d, im->path, where,
				     "lang: a narrative needs its language (ar, zh, en, fr, ru or es)");
		o2.countries = jcodes(im, json_object_get(x, "countries"), &o2.countries_len, where, "countries");
		o2.cities = jcodes(im, json_object_get(x, "cities"), &o2.cities_len, where, "cities");
		o2.programmes = jcodes(im, json_object_get(x, "programmes"), &o2.programmes_len, where, "programmes");
		o2.themes = jcodes(im, json_object_get(x, "themes"), &o2.themes_len, where, "themes");
		rbm_xgrow(&c->outcomes, &c->outcomes_cap, c->outcomes_len + 1, sizeof o2);
		c->outcomes[c->outcomes_len++] = o2;
	}
}

/* ---- one record, in either pass ---- */

static void handle(struct importer *im, struct record *r)
{
	size_t before = rbm_diag_count(im->d);
	im->res->records++;
	int year = im->o->year ? im->o->year : r->year;
	const char *office = im->o->office ? im->o->office : r->office;
	if (year == 0) {
		rbm_diag_add(im->d, im->path, r->where,
			     "no cycle: give --cycle YEAR or a column rbm_cycle");
		im->failed = true;
		return;
	}
	if (office == NULL || *office == '\0') {
		rbm_diag_add(im->d, im->path, r->where,
			     "no office: give --office CODE or a column rbm_office");
		im->failed = true;
		return;
	}
	if (im->o->year && r->year && r->year != im->o->year)
		rbm_diag_add(im->d, im->path, r->where, "the record is for cycle %d, not --cycle %d", r->year,
			     im->o->year);
	if (im->o->office && r->office && *r->office && strcmp(r->office, im->o->office) != 0)
		rbm_diag_add(im->d, im->path, r->where, "the record is for office %s, not --office %s",
			     r->office, im->o->office);
	const struct rbm_cycle *cycle = cycle_for(im, year, r->where);
	const struct rbm_form *f = form_for(im, year, office, r->where);
	if (cycle == NULL || f == NULL) {
		im->failed = true;
		return;
	}
	bool submit = true;
	if (r->status && *r->status) {
		if (strcmp(r->status, "draft") == 0)
			submit = false;
		else if (strcmp(r->status, "submitted") != 0)
			rbm_diag_add(im->d, im->path, r->where,
				     "status: expected draft or submitted, got \"%s\"", r->status);
	}
	char now[21];
	rbm_store_now(now);
	const char *when = r->submitted_at && strlen(r->submitted_at) >= 10 ? r->submitted_at : now;
	bool outside = false;
	rbm_collect__admissible(im->p, cycle, office, when, im->o->late, &outside, im->path, r->where,
				im->d);
	struct rbm_content c = {0};
	size_t oi = rbm_plan_find_office(im->p, office);
	if (r->json)
		json_content(im, r->json, r->where, office, &c);
	else
		rbm_collect_answers(im->p, f, r->answers, r->answers_len, &c, im->path, r->where, im->d);
	rbm_collect_content_check(im->p, im->places, cycle, oi, &c, im->path, r->where, im->d);
	if (rbm_diag_count(im->d) > before) {
		im->failed = true;
		rbm_collect_content_free(&c);
		return;
	}
	char hash[65];
	rbm_collect_content_hash(im->p, &c, hash);
	if (r->uuid && *r->uuid && !im->writing)
		check_uuid(im, r->uuid, hash, r->where);
	if (im->writing && !im->failed) {
		struct rbm_save req = {year, office, r->uuid, &c, submit, -1, im->o->late, im->source, when};
		long long id;
		bool changed = false;
		size_t n_before = rbm_diag_count(im->d);
		enum rbm_rc rc = rbm_collect_save(im->s, im->p, im->places, &req, im->who, &id, &changed, im->d);
		if (rc != RBM_OK) {
			/* Re-label the problems with the record's place. */
			for (size_t i = n_before; i < im->d->len; i++) {
				if (im->d->entries[i].where == NULL) {
					im->d->entries[i].file = rbm_xstrdup(im->path);
					im->d->entries[i].where = rbm_xstrdup(r->where);
				}
			}
			if (rc == RBM_ESTORE && im->store_rc == RBM_OK)
				im->store_rc = rc;
			im->failed = true;
		} else if (changed) {
			im->res->created++;
		} else {
			im->res->unchanged++;
		}
	}
	rbm_collect_content_free(&c);
}

/* ---- rbm JSON ---- */

static void read_json(struct importer *im)
{
	char *data = NULL;
	size_t len = 0;
	if (rbm_fs_read(im->path, JSON_MAX_BYTES, &data, &len, im->d) != RBM_OK) {
		im->failed = true;
		return;
	}
	json_error_t err;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	free(data);
	if (root == NULL) {
		char where[64];
		snprintf(where, sizeof where, "line %d, column %d", err.line, err.column);
		rbm_diag_add(im->d, im->path, where, "invalid JSON: %s", err.text);
		im->failed = true;
		return;
	}
	json_t *subs = json_object_get(root, "submissions");
	if (!json_is_object(root) || json_integer_value(json_object_get(root, "rbm_submissions")) != 1 ||
	    !json_is_array(subs)) {
		rbm_diag_add(im->d, im->path, "$",
			     "expected {\"rbm_submissions\": 1, \"submissions\": [...]} (docs/submission-format.md)");
		im->failed = true;
		json_decref(root);
		return;
	}
	for (size_t i = 0; i < json_array_size(subs); i++) {
		json_t *x = json_array_get(subs, i);
		struct record r = {0};
		snprintf(r.where, sizeof r.where, "$.submissions[%zu]", i);
		if (!json_is_object(x)) {
			rbm_diag_add(im->d, im->path, r.where, "expected an object");
			im->failed = true;
			continue;
		}
		r.uuid = jstr(x, "uuid");
		r.office = jstr(x, "office");
		r.submitted_at = jstr(x, "submitted_at");
		r.status = jstr(x, "status");
		json_t *cy = json_object_get(x, "cycle");
		if (cy && !json_is_integer(cy))
			rbm_diag_add(im->d, im->path, r.where, "cycle: expected a year (integer)");
		r.year = (int)json_integer_value(cy);
		r.json = x;
		static const char *const keys[] = {"uuid", "cycle", "office", "submitted_at", "status",
						   "values", "outcomes"};
		const char *key;
		json_t *v;
		json_object_foreach(x, key, v) {
			bool known = key[0] == '_';
			for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
				known |= strcmp(key, keys[k]) == 0;
			if (!known) {
				rbm_diag_add(im->d, im->path, r.where, "unknown key \"%s\"", key);
				im->failed = true;
			}
		}
		handle(im, &r);
		progress(im, i + 1, false);
	}
	json_decref(root);
}

/* ---- wide exports (KoBoToolbox, ODK): one row per submission ---- */

enum col_kind { COL_IGNORE, COL_QUESTION, COL_SPLIT, COL_UUID, COL_TIME, COL_OFFICE, COL_CYCLE };

struct column {
	enum col_kind kind;
	int uuid_rank;      /* which uuid column wins: lower is better */
	char *question;     /* for questions and split columns */
	char *choice;       /* for split columns */
};

struct wide {
	struct importer *im;
	struct column *cols;
	size_t cols_len;
	bool have_header;
	size_t records;
	bool xlsx;
};

/* The last segment of a group path: "d_1/o_1_1/v_1_1_a" or "o_1_1-v_1_1_a" -> "v_1_1_a". */
static const char *last_segment(const char *s)
{
	const char *slash = strrchr(s, '/');
	const char *p = slash ? slash + 1 : s;
	const char *dash = strrchr(p, '-');
	return dash ? dash + 1 : p;
}

static void trim_copy(char *dst, size_t cap, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Is name a select_multiple question of any form, with choice in its list? */
static bool is_split(struct importer *im, const char *name, const char *choice)
{
	/* Choice lists differ per office only in places; any office's form tells the shape. */
	const char *codes[] = {"countries", "cities", "programmes", "themes"};
	(void)codes;
	size_t n = strlen(name);
	static const char *const suffixes[] = {"_countries", "_cities", "_programmes", "_themes"};
	for (size_t i = 0; i < 4; i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && strcmp(name + n - k, suffixes[i]) == 0 && name[0] == 'o' && name[1] == '_')
			return *choice != '\0';
	}
	/* v_... count_units of city questions are select_multiple too. */
	if (name[0] == 'v' && name[1] == '_' && strchr(name, '/') == NULL) {
		for (size_t i = 0; i < im->p->indicators_len; i++) {
			const struct rbm_indicator *ind = &im->p->indicators[i];
			if (ind->aggregation != RBM_AGG_COUNT_UNITS || ind->count_of != RBM_COUNT_CITY)
				continue;
			char q[80];
			snprintf(q, sizeof q, "v_%s", ind->code);
			for (char *c = q; *c; c++)
				if (*c == '.' || *c == '-')
					*c = '_';
			if (strcmp(q, name) == 0)
				return *choice != '\0';
		}
	}
	return false;
}

static void map_header(struct wide *w, char **fields, size_t n)
{
	w->cols = rbm_xcalloc(n + 1, sizeof *w->cols);
	w->cols_len = n;
	for (size_t i = 0; i < n; i++) {
		char h[512];
		trim_copy(h, sizeof h, fields[i]);
		struct column *c = &w->cols[i];
		const char *seg = last_segment(h);
		char *slash = strrchr(h, '/');
		if (strcmp(h, "_uuid") == 0) {
			c->kind = COL_UUID;
			c->uuid_rank = 0;
		} else if (strcmp(seg, "instanceID") == 0) {
			c->kind = COL_UUID;
			c->uuid_rank = 1;
		} else if (strcmp(h, "KEY") == 0) {
			c->kind = COL_UUID;
			c->uuid_rank = 2;
		} else if (strcmp(h, "_submission_time") == 0 || strcmp(h, "SubmissionDate") == 0) {
			c->kind = COL_TIME;
		} else if (strcmp(seg, "rbm_office") == 0) {
			c->kind = COL_OFFICE;
		} else if (strcmp(seg, "rbm_cycle") == 0) {
			c->kind = COL_CYCLE;
		} else if (slash) {
			/* "o_1_1_countries/KEN": a split select_multiple column? */
			*slash = '\0';
			const char *q = last_segment(h);
			if (is_split(w->im, q, slash + 1)) {
				c->kind = COL_SPLIT;
				c->question = rbm_xstrdup(q);
				c->choice = rbm_xstrdup(slash + 1);
			} else {
				*slash = '/';
				c->kind = COL_QUESTION;
				c->question = rbm_xstrdup(seg);
			}
		} else if (h[0] != '_') {
			c->kind = COL_QUESTION;
			c->question = rbm_xstrdup(seg);
		}
	}
}

static bool truthy(const char *s)
{
	return strcmp(s, "1") == 0 || strcmp(s, "True") == 0 || strcmp(s, "true") == 0 ||
	       strcmp(s, "TRUE") == 0 || strcmp(s, "1.0") == 0;
}

static void wide_row(struct wide *w, size_t row, char **fields, size_t n)
{
	struct importer *im = w->im;
	struct record r = {0};
	snprintf(r.where, sizeof r.where, "row %zu", row);
	int best = 99;
	struct rbm_answer *a = rbm_xcalloc(w->cols_len + 1, sizeof *a);
	size_t na = 0;
	/* Split select_multiple columns gather into one answer per question. */
	struct rbm_buf *split = rbm_xcalloc(w->cols_len + 1, sizeof *split);
	bool any = false;
	for (size_t i = 0; i < w->cols_len; i++) {
		const char *v = i < n ? fields[i] : "";
		if (*v)
			any = true;
		struct column *c = &w->cols[i];
		switch (c->kind) {
		case COL_UUID:
			if (*v && c->uuid_rank < best) {
				best = c->uuid_rank;
				r.uuid = strncmp(v, "uuid:", 5) == 0 ? v + 5 : v;
			}
			break;
		case COL_TIME:
			r.submitted_at = v;
			break;
		case COL_OFFICE:
			r.office = v;
			a[na++] = (struct rbm_answer){"rbm_office", v, NULL, NULL};
			break;
		case COL_CYCLE:
			r.year = atoi(v);
			break;
		case COL_QUESTION:
			a[na++] = (struct rbm_answer){c->question, v, NULL, NULL};
			break;
		case COL_SPLIT: {
			size_t first = i;
			for (size_t k = 0; k < i; k++)
				if (w->cols[k].kind == COL_SPLIT && strcmp(w->cols[k].question, c->question) == 0) {
					first = k;
					break;
				}
			if (split[first].data == NULL)
				rbm_buf_init(&split[first], 1 << 20);
			if (truthy(v)) {
				if (split[first].len)
					rbm_buf_addc(&split[first], ' ');
				rbm_buf_adds(&split[first], c->choice);
			}
			break;
		}
		case COL_IGNORE:
			break;
		}
	}
	if (!any) { /* an empty row */
		free(a);
		free(split);
		return;
	}
	for (size_t i = 0; i < w->cols_len; i++) {
		if (w->cols[i].kind != COL_SPLIT || split[i].data == NULL)
			continue;
		/* A space-separated column for the same question wins when both exist. */
		bool whole = false;
		for (size_t k = 0; k < na; k++)
			whole |= strcmp(a[k].name, w->cols[i].question) == 0 && a[k].value && *a[k].value;
		if (!whole)
			a[na++] = (struct rbm_answer){w->cols[i].question, rbm_buf_str(&split[i]), NULL, NULL};
	}
	r.answers = a;
	r.answers_len = na;
	handle(im, &r);
	progress(im, ++w->records, false);
	for (size_t i = 0; i < w->cols_len; i++)
		rbm_buf_free(&split[i]);
	free(split);
	free(a);
}

static void wide_free(struct wide *w)
{
	for (size_t i = 0; i < w->cols_len; i++) {
		free(w->cols[i].question);
		free(w->cols[i].choice);
	}
	free(w->cols);
	w->cols = NULL;
	w->cols_len = 0;
}

static enum rbm_rc xlsx_row(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct wide *w = ctx;
	char **fields = rbm_xcalloc(n + 1, sizeof *fields);
	for (size_t i = 0; i < n; i++)
		fields[i] = (char *)cells[i].text;
	if (!w->have_header) {
		map_header(w, fields, n);
		w->have_header = true;
	} else {
		wide_row(w, row, fields, n);
	}
	free(fields);
	return RBM_OK;
}

static void read_xlsx(struct importer *im)
{
	struct rbm_xlsx *x = NULL;
	if (rbm_xlsx_open(im->path, NULL, &x, im->d) != RBM_OK) {
		im->failed = true;
		return;
	}
	struct wide w = {im, NULL, 0, false, 0, true};
	/* KoBoToolbox puts the main table first; repeat groups follow on their own sheets. */
	if (rbm_xlsx_read_sheet(x, 0, xlsx_row, &w, im->d) != RBM_OK)
		im->failed = true;
	wide_free(&w);
	rbm_xlsx_close(x);
}

/* ---- CSV: rbm's long form, or a wide export ---- */

static void read_csv(struct importer *im, FILE *f)
{
	struct rbm_csv *csv = rbm_csv_open(f, im->path);
	char **fields;
	size_t n;
	enum rbm_rc rc = rbm_csv_next(csv, &fields, &n, im->d);
	if (rc == RBM_ENOENT) {
		rbm_diag_add(im->d, im->path, NULL, "the file is empty");
		im->failed = true;
		goto out;
	}
	if (rc != RBM_OK) {
		im->failed = true;
		goto out;
	}
	/* rbm CSV: a header naming question and value columns. */
	ssize_t col[8];
	static const char *const names[] = {"uuid", "cycle", "office", "submitted_at", "status",
					    "question", "value", "country"};
	for (size_t k = 0; k < 8; k++) {
		col[k] = -1;
		for (size_t i = 0; i < n; i++) {
			char h[64];
			trim_copy(h, sizeof h, fields[i]);
			if (strcmp(h, names[k]) == 0)
				col[k] = (ssize_t)i;
		}
	}
	if (col[5] >= 0 && col[6] >= 0) {
		im->res->format = "rbm-csv";
		if (col[2] < 0 && im->o->office == NULL) {
			rbm_diag_add(im->d, im->path, "line 1", "missing column \"office\" (or give --office)");
			im->failed = true;
			goto out;
		}
		/* Rows of one submission come together; a change of uuid/office/cycle starts the next. */
		struct rbm_answer *a = NULL;
		size_t na = 0, cap = 0;
		char key[512] = "", first_line[64] = "";
		struct rbm_buf store; /* the answers' texts */
		rbm_buf_init(&store, 0);
		size_t *offs = NULL, offs_cap = 0;
		size_t *lines = NULL, lines_cap = 0;
		char (*wheres)[32] = NULL;
		char uuid[256] = "", office[64] = "", when[64] = "", status[32] = "";
		int year = 0;
		for (;;) {
			rc = rbm_csv_next(csv, &fields, &n, im->d);
			char k2[512] = "";
			if (rc == RBM_OK) {
				const char *u = col[0] >= 0 && (size_t)col[0] < n ? fields[col[0]] : "";
				const char *o = col[2] >= 0 && (size_t)col[2] < n ? fields[col[2]] : "";
				const char *c = col[1] >= 0 && (size_t)col[1] < n ? fields[col[1]] : "";
				snprintf(k2, sizeof k2, "%s|%s|%s", u, o, c);
			}
			if ((rc != RBM_OK || strcmp(k2, key) != 0) && na > 0) {
				/* Emit the gathered submission. */
				wheres = rbm_xrealloc(wheres, na, sizeof *wheres);
				for (size_t i = 0; i < na; i++) {
					a[i].name = store.data + offs[3 * i];
					a[i].value = store.data + offs[3 * i + 1];
					a[i].country = store.data + offs[3 * i + 2];
					snprintf(wheres[i], sizeof wheres[i], "line %zu", lines[i]);
					a[i].where = wheres[i];
				}
				struct record r = {0};
				snprintf(r.where, sizeof r.where, "%s", first_line);
				r.uuid = uuid;
				r.office = office;
				r.year = year;
				r.submitted_at = when;
				r.status = status;
				r.answers = a;
				r.answers_len = na;
				handle(im, &r);
				progress(im, im->res->records, false);
				na = 0;
				rbm_buf_reset(&store);
			}
			if (rc != RBM_OK)
				break;
			size_t line = rbm_csv_line(csv);
			if (na == 0) {
				snprintf(key, sizeof key, "%s", k2);
				snprintf(first_line, sizeof first_line, "line %zu", line);
				snprintf(uuid, sizeof uuid, "%s", col[0] >= 0 && (size_t)col[0] < n ? fields[col[0]] : "");
				snprintf(office, sizeof office, "%s", col[2] >= 0 && (size_t)col[2] < n ? fields[col[2]] : "");
				snprintf(when, sizeof when, "%s", col[3] >= 0 && (size_t)col[3] < n ? fields[col[3]] : "");
				snprintf(status, sizeof status, "%s", col[4] >= 0 && (size_t)col[4] < n ? fields[col[4]] : "");
				const char *cy = col[1] >= 0 && (size_t)col[1] < n ? fields[col[1]] : "";
				char *end;
				year = (int)strtol(cy, &end, 10);
				if (*cy && *end) {
					char where[64];
					snprintf(where, sizeof where, "line %zu, column cycle", line);
					rbm_diag_add(im->d, im->path, where, "expected a year, got \"%s\"", cy);
					im->failed = true;
				}
			}
			rbm_xgrow(&a, &cap, na + 1, sizeof *a);
			rbm_xgrow(&offs, &offs_cap, 3 * (na + 1), sizeof *offs);
			rbm_xgrow(&lines, &lines_cap, na + 1, sizeof *lines);
			lines[na] = line;
			const char *parts[3] = {(size_t)col[5] < n ? fields[col[5]] : "",
						(size_t)col[6] < n ? fields[col[6]] : "",
						col[7] >= 0 && (size_t)col[7] < n ? fields[col[7]] : ""};
			for (int k = 0; k < 3; k++) {
				char t[4096];
				trim_copy(t, sizeof t, parts[k]);
				offs[3 * na + (size_t)k] = store.len;
				rbm_buf_add(&store, k == 1 ? parts[k] : t, strlen(k == 1 ? parts[k] : t) + 1);
			}
			na++;
		}
		if (rc != RBM_ENOENT)
			im->failed = true;
		free(a);
		free(offs);
		free(lines);
		free(wheres);
		rbm_buf_free(&store);
		goto out;
	}
	/* A wide export. */
	struct wide w = {im, NULL, 0, true, 0, false};
	map_header(&w, fields, n);
	bool kobo = false, odk = false;
	for (size_t i = 0; i < n; i++) {
		kobo |= strcmp(fields[i], "_uuid") == 0 || strcmp(fields[i], "_submission_time") == 0;
		odk |= strcmp(fields[i], "SubmissionDate") == 0 || strcmp(fields[i], "KEY") == 0;
	}
	im->res->format = kobo ? "kobo-csv" : odk ? "odk-csv" : "csv";
	for (;;) {
		rc = rbm_csv_next(csv, &fields, &n, im->d);
		if (rc != RBM_OK)
			break;
		wide_row(&w, rbm_csv_line(csv), fields, n);
	}
	if (rc != RBM_ENOENT)
		im->failed = true;
	wide_free(&w);
out:
	rbm_csv_close(csv);
}

static enum format detect(const char *path, FILE *f)
{
	unsigned char head[8] = {0};
	size_t n = fread(head, 1, sizeof head, f);
	rewind(f);
	if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
		return FMT_XLSX;
	size_t len = strlen(path);
	if (len > 5 && strcmp(path + len - 5, ".json") == 0)
		return FMT_JSON;
	size_t i = 0;
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	if (i < n && head[i] == '{')
		return FMT_JSON;
	return FMT_WIDE_CSV;
}

/* Runs one pass over the file. */
static void run_pass(struct importer *im, enum format fmt)
{
	FILE *f = fopen(im->path, "rb");
	if (f == NULL) {
		rbm_diag_add(im->d, im->path, NULL, "cannot open: %s", strerror(errno));
		im->failed = true;
		return;
	}
	switch (fmt) {
	case FMT_JSON:
		im->res->format = "rbm-json";
		read_json(im);
		break;
	case FMT_XLSX:
		im->res->format = "kobo-xlsx";
		read_xlsx(im);
		break;
	case FMT_RBM_CSV:
	case FMT_WIDE_CSV:
		read_csv(im, f);
		break;
	}
	fclose(f);
	progress(im, 0, true);
}

enum rbm_rc rbm_collect_import(struct rbm_store *s, const struct rbm_plan *p,
			       const struct rbm_places *places, const char *path,
			       const struct rbm_import_opts *o, const struct rbm_actor *who,
			       struct rbm_import_result *res, struct rbm_diag *d)
{
	struct importer im = {0};
	im.s = s;
	im.p = p;
	im.places = places;
	im.path = path;
	const char *slash = strrchr(path, '/');
	im.source = slash ? slash + 1 : path;
	im.o = o;
	im.who = who;
	im.d = d;
	im.res = res;
	im.tty = o->progress && isatty(2);
	memset(res, 0, sizeof *res);
	enum rbm_rc rc = RBM_OK;

	if (o->late && !who->admin) {
		rbm_diag_add(d, NULL, NULL, "only an administrator may accept late submissions");
		return RBM_EINVAL;
	}
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rbm_diag_add(d, path, NULL, "cannot open: %s", strerror(errno));
		return errno == ENOENT ? RBM_ENOENT : RBM_EIO;
	}
	enum format fmt = detect(path, f);
	fclose(f);

	/* First pass: check, inside a transaction that is rolled back. */
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		return rc;
	rc = rbm_store_query(s, "CREATE TEMP TABLE IF NOT EXISTS rbm_import_seen "
				"(uuid TEXT PRIMARY KEY, hash TEXT NOT NULL, at TEXT NOT NULL)", &im.seen_put, d);
	if (rc == RBM_OK)
		rc = rbm_query_exec(im.seen_put, d);
	rbm_query_free(im.seen_put);
	im.seen_put = NULL;
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "SELECT hash, at FROM rbm_import_seen WHERE uuid = ?", &im.seen_get, d);
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO rbm_import_seen(uuid, hash, at) VALUES (?,?,?)",
				     &im.seen_put, d);
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		goto out;
	}
	run_pass(&im, fmt);
	rbm_query_free(im.seen_get);
	rbm_query_free(im.seen_put);
	im.seen_get = im.seen_put = NULL;
	rbm_store_rollback(s);
	if (!im.failed && rbm_diag_count(d) == 0 && res->records == 0) {
		rbm_diag_add(d, path, NULL, "holds no submissions");
		im.failed = true;
	}
	if (im.failed || rbm_diag_count(d) > 0) {
		rc = RBM_EINVAL;
		goto out;
	}
	/* Second pass: store, in one transaction. */
	size_t checked = res->records;
	const char *format = res->format;
	memset(res, 0, sizeof *res);
	res->format = format;
	im.writing = true;
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		goto out;
	run_pass(&im, fmt);
	if (im.failed || res->records != checked) {
		if (!im.failed)
			rbm_diag_add(d, path, NULL, "the file changed while it was imported");
		rbm_store_rollback(s);
		rc = im.store_rc != RBM_OK ? im.store_rc : RBM_EINVAL;
		goto out;
	}
	if (o->dry_run) {
		rbm_store_rollback(s);
		goto out;
	}
	rc = rbm_store_commit(s, d);
out:
	for (size_t i = 0; i < im.forms_len; i++) {
		rbm_collect_form_free(im.forms[i].form);
		free(im.forms[i].office);
	}
	free(im.forms);
	rbm_collect_cycles_free(im.cycles, im.cycles_len);
	free(im.missing_cycles);
	rbm_query_free(im.seen_get);
	rbm_query_free(im.seen_put);
	return rc;
}
