/*
 * iati.c - a plan's results as IATI 2.03 activities, written with libxml2's
 * xmlTextWriter into memory, then to a file beside the target and renamed.
 *
 * The plan is one activity (hierarchy 1) and each programme another
 * (hierarchy 2, its parent named through related-activity). An activity
 * carries the outcomes (level-1 results) it covers, each as a result of
 * type 2 with its numeric indicators. Figures come from the measure engine
 * exactly as 'rbm results' shows them (rbm_measure_attainment, one call per
 * year); the countries behind each actual come from one query grouped by
 * country. Why each element is written as it is: docs/exports.md, "IATI".
 */
#include "iati.h"

#include "../collect/collect.h"
#include "../core/alloc.h"

#include <libxml/xmlwriter.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * IATI codes. ResultType, IndicatorMeasure and RegionVocabulary are in
 * ../shared/standards/iati-codelists/; the others are IATI's ActivityStatus,
 * ActivityDateType, OrganisationRole, RelatedActivityType, DescriptionType
 * and the "reporting organisation" (99) result and indicator vocabularies.
 */
#define RESULT_OUTCOME "2"
#define MEASURE_UNIT "1"
#define MEASURE_PERCENTAGE "2"
#define REGION_VOCABULARY_UN "2"
#define STATUS_IMPLEMENTATION "2"
#define STATUS_FINALISATION "3"
#define DATE_PLANNED_START "1"
#define DATE_PLANNED_END "3"
#define ROLE_ACCOUNTABLE "2"
#define ROLE_IMPLEMENTING "4"
#define RELATED_PARENT "1"
#define RELATED_CHILD "2"
#define DESCRIPTION_GENERAL "1"
#define VOCABULARY_REPORTING_ORG "99"
#define M49_WORLD "001"

#define OUTCOME_LEVEL 1u

struct ctx {
	xmlTextWriterPtr w;
	bool failed; /* a writer call failed (sticky) */
	const struct rbm_plan *p;
	const struct rbm_places *places;
	const struct rbm_measure *m;
	int year_from, year_to;
	struct rbm_attainment **att;         /* per year (index year - year_from) */
	struct rbm_measure_table by_country; /* every indicator and year, grouped by country */
	size_t *first;                       /* indicator i's rows: first[i] .. first[i + 1] */
	bool *exported;                      /* per indicator: numeric and on an outcome */
	struct rbm_export_iati_summary sum;
};

/* The countries behind an activity's or an actual's values. */
struct places_seen {
	const struct rbm_country **v;
	size_t len, cap;
	bool unlocated; /* some values have no country */
};

/* ---- writing ---- */

static void start(struct ctx *c, const char *name)
{
	if (xmlTextWriterStartElement(c->w, BAD_CAST name) < 0)
		c->failed = true;
}

static void end(struct ctx *c)
{
	if (xmlTextWriterEndElement(c->w) < 0)
		c->failed = true;
}

static void attr(struct ctx *c, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(c->w, BAD_CAST name, BAD_CAST value) < 0)
		c->failed = true;
}

static void attr_int(struct ctx *c, const char *name, long v)
{
	char s[32];
	snprintf(s, sizeof s, "%ld", v);
	attr(c, name, s);
}

/* A number as IATI reads it: plain decimal, no exponent, no trailing zeros. */
static void format_number(double x, char *out, size_t cap)
{
	if (x == 0) {
		snprintf(out, cap, "0");
		return;
	}
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(out, cap, "%.0f", x);
		return;
	}
	snprintf(out, cap, "%.15g", x);
	if (strchr(out, 'e') == NULL)
		return;
	snprintf(out, cap, "%.12f", x);
	char *dot = strchr(out, '.');
	if (dot) {
		char *e = out + strlen(out) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
}

static void attr_number(struct ctx *c, const char *name, double x)
{
	char s[512];
	format_number(x, s, sizeof s);
	attr(c, name, s);
}

/* Text content, with the control characters XML 1.0 forbids turned into spaces. */
static void text(struct ctx *c, const char *s)
{
	char *t = rbm_xstrdup(s);
	for (unsigned char *q = (unsigned char *)t; *q; q++)
		if (*q < 0x20 && *q != '\t' && *q != '\n' && *q != '\r')
			*q = ' ';
	if (xmlTextWriterWriteString(c->w, BAD_CAST t) < 0)
		c->failed = true;
	free(t);
}

/* One narrative per language present, each with its xml:lang. */
static void narratives(struct ctx *c, const struct rbm_text *t)
{
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		if (t->s[l] == NULL)
			continue;
		start(c, "narrative");
		attr(c, "xml:lang", rbm_lang_tag((enum rbm_lang)l));
		text(c, t->s[l]);
		end(c);
	}
}

/* <name><narrative xml:lang="..">..</narrative>...</name> */
static void texted(struct ctx *c, const char *name, const struct rbm_text *t)
{
	start(c, name);
	narratives(c, t);
	end(c);
}

/* An empty element with one attribute, or two. */
static void el1(struct ctx *c, const char *name, const char *a1, const char *v1)
{
	start(c, name);
	attr(c, a1, v1);
	end(c);
}

static void el2(struct ctx *c, const char *name, const char *a1, const char *v1, const char *a2,
		const char *v2)
{
	start(c, name);
	attr(c, a1, v1);
	attr(c, a2, v2);
	end(c);
}

/* ---- places ---- */

static void seen_add(struct places_seen *s, const struct rbm_country *k)
{
	for (size_t i = 0; i < s->len; i++)
		if (s->v[i] == k)
			return;
	rbm_xgrow(&s->v, &s->cap, s->len + 1, sizeof *s->v);
	s->v[s->len++] = k;
}

static int cmp_alpha2(const void *a, const void *b)
{
	const struct rbm_country *x = *(const struct rbm_country *const *)a;
	const struct rbm_country *y = *(const struct rbm_country *const *)b;
	return strcmp(x->alpha2, y->alpha2);
}

/* Adds the countries behind indicator i's figure in year y to s. */
static void countries_behind(const struct ctx *c, size_t i, int y, struct places_seen *s)
{
	for (size_t r = c->first[i]; r < c->first[i + 1]; r++) {
		const struct rbm_measure_row *row = &c->by_country.rows[r];
		if (row->year != y || row->rows == 0)
			continue;
		uint32_t id = row->key[RBM_DIM_COUNTRY];
		const struct rbm_country *k = NULL;
		if (id != RBM_KEY_NONE)
			k = rbm_places_country(c->places, rbm_measure_key_code(c->m, RBM_DIM_COUNTRY, id));
		if (k == NULL || k->alpha2[0] == '\0')
			s->unlocated = true;
		else
			seen_add(s, k);
	}
}

/*
 * The one recipient an activity names, at 100 %: its only country, else the
 * smallest UN M49 area holding every country behind its values (the world
 * when some values have no country). Nothing when it has no values.
 */
static void recipient(struct ctx *c, const struct places_seen *s)
{
	if (s->len == 0 && !s->unlocated)
		return;
	if (s->len == 1 && !s->unlocated) {
		start(c, "recipient-country");
		attr(c, "code", s->v[0]->alpha2);
		attr(c, "percentage", "100");
		narratives(c, &s->v[0]->name);
		end(c);
		return;
	}
	const char *area = M49_WORLD;
	bool narrowed = false;
	if (!s->unlocated) {
		static const size_t fields[] = {offsetof(struct rbm_country, intermediate),
						offsetof(struct rbm_country, subregion),
						offsetof(struct rbm_country, region)};
		for (size_t f = 0; f < 3 && !narrowed; f++) {
			const char *first = (const char *)s->v[0] + fields[f];
			bool same = first[0] != '\0';
			for (size_t i = 1; same && i < s->len; i++)
				same = strcmp((const char *)s->v[i] + fields[f], first) == 0;
			if (same) {
				area = first;
				narrowed = true;
			}
		}
	}
	const struct rbm_region *r = rbm_places_region(c->places, area);
	start(c, "recipient-region");
	attr(c, "code", area);
	attr(c, "vocabulary", REGION_VOCABULARY_UN);
	attr(c, "percentage", "100");
	if (r)
		narratives(c, &r->name);
	end(c);
}

/* ---- activities ---- */

static bool tagged(const struct rbm_result *r, size_t programme)
{
	for (size_t k = 0; k < r->programmes_len; k++)
		if (r->programmes[k] == programme)
			return true;
	return false;
}

/* The outcome belongs to the activity: the plan's (programme RBM_NONE) has every outcome. */
static bool covers(const struct ctx *c, size_t programme, size_t result)
{
	const struct rbm_result *r = &c->p->results[result];
	return r->level == OUTCOME_LEVEL && (programme == RBM_NONE || tagged(r, programme));
}

static bool has_indicators(const struct ctx *c, size_t result)
{
	for (size_t i = 0; i < c->p->indicators_len; i++)
		if (c->exported[i] && c->p->indicators[i].result == result)
			return true;
	return false;
}

static const struct rbm_attainment *figure(const struct ctx *c, size_t i, int y)
{
	return &c->att[y - c->year_from][i];
}

static void indicator(struct ctx *c, size_t i)
{
	const struct rbm_indicator *ind = &c->p->indicators[i];
	start(c, "indicator");
	attr(c, "measure", ind->unit == RBM_UNIT_PERCENT ? MEASURE_PERCENTAGE : MEASURE_UNIT);
	attr(c, "ascending", ind->direction == RBM_DIR_DECREASE ? "0" : "1");
	texted(c, "title", &ind->title);
	if (!rbm_text_empty(&ind->definition))
		texted(c, "description", &ind->definition);
	el2(c, "reference", "vocabulary", VOCABULARY_REPORTING_ORG, "code", ind->code);
	if (ind->has_baseline) {
		start(c, "baseline");
		attr_int(c, "year", ind->baseline_year);
		attr_number(c, "value", ind->baseline_value);
		end(c);
	}
	for (int y = c->year_from; y <= c->year_to; y++) {
		const struct rbm_attainment *a = figure(c, i, y);
		if (!a->has_target && !a->has_actual)
			continue;
		char date[16];
		start(c, "period");
		snprintf(date, sizeof date, "%04d-01-01", y);
		el1(c, "period-start", "iso-date", date);
		snprintf(date, sizeof date, "%04d-12-31", y);
		el1(c, "period-end", "iso-date", date);
		if (a->has_target) {
			start(c, "target");
			attr_number(c, "value", a->target);
			end(c);
		}
		if (a->has_actual) {
			struct places_seen s = {0};
			countries_behind(c, i, y, &s);
			if (s.len > 1)
				qsort(s.v, s.len, sizeof *s.v, cmp_alpha2);
			start(c, "actual");
			attr_number(c, "value", a->actual);
			for (size_t k = 0; k < s.len; k++)
				el1(c, "location", "ref", s.v[k]->alpha2);
			end(c);
			free(s.v);
			c->sum.actuals++;
		}
		end(c);
		c->sum.periods++;
	}
	end(c);
	c->sum.indicators++;
}

static void result(struct ctx *c, size_t r, bool programme)
{
	const struct rbm_result *res = &c->p->results[r];
	start(c, "result");
	attr(c, "type", RESULT_OUTCOME);
	/* A programme's results repeat the plan's outcomes: not to be added to them. */
	if (programme)
		attr(c, "aggregation-status", "0");
	texted(c, "title", &res->title);
	if (!rbm_text_empty(&res->description))
		texted(c, "description", &res->description);
	el2(c, "reference", "vocabulary", VOCABULARY_REPORTING_ORG, "code", res->code);
	for (size_t i = 0; i < c->p->indicators_len; i++)
		if (c->exported[i] && c->p->indicators[i].result == r)
			indicator(c, i);
	end(c);
	c->sum.results++;
}

static void org(struct ctx *c, const char *name, const char *role)
{
	const struct rbm_iati *x = &c->p->iati;
	start(c, name);
	attr(c, "ref", x->org_ref);
	if (role)
		attr(c, "role", role);
	attr(c, "type", x->org_type);
	narratives(c, &x->org_name);
	end(c);
}

/* The plan's activity (programme RBM_NONE) or a programme's. */
static void activity(struct ctx *c, size_t programme, const char *now, int cycle)
{
	const struct rbm_plan *p = c->p;
	const struct rbm_tag *t = programme == RBM_NONE ? NULL : &p->programmes[programme];
	char *id = t ? rbm_xasprintf("%s-%s", p->iati.activity_prefix, t->code)
		     : rbm_xstrdup(p->iati.activity_prefix);

	/* Where its values come from, over every year written. */
	struct places_seen seen = {0};
	for (size_t r = 0; r < p->results_len; r++) {
		if (!covers(c, programme, r))
			continue;
		for (size_t i = 0; i < p->indicators_len; i++)
			if (c->exported[i] && p->indicators[i].result == r)
				for (int y = c->year_from; y <= c->year_to; y++)
					if (figure(c, i, y)->has_actual)
						countries_behind(c, i, y, &seen);
	}
	if (seen.len > 1)
		qsort(seen.v, seen.len, sizeof *seen.v, cmp_alpha2);

	start(c, "iati-activity");
	attr(c, "last-updated-datetime", now);
	attr(c, "xml:lang", "en");
	attr(c, "hierarchy", t ? "2" : "1");
	start(c, "iati-identifier");
	text(c, id);
	end(c);
	org(c, "reporting-org", NULL);
	if (t) {
		texted(c, "title", &t->title);
		start(c, "description");
		attr(c, "type", DESCRIPTION_GENERAL);
		narratives(c, !rbm_text_empty(&t->description) ? &t->description
			       : !rbm_text_empty(&t->short_title) ? &t->short_title
								   : &t->title);
		end(c);
	} else {
		texted(c, "title", &p->title);
		start(c, "description");
		attr(c, "type", DESCRIPTION_GENERAL);
		narratives(c, !rbm_text_empty(&p->description) ? &p->description
			       : !rbm_text_empty(&p->subtitle) ? &p->subtitle
							       : &p->title);
		end(c);
	}
	org(c, "participating-org", ROLE_ACCOUNTABLE);
	org(c, "participating-org", ROLE_IMPLEMENTING);
	el1(c, "activity-status", "code",
	    cycle < p->last_year ? STATUS_IMPLEMENTATION : STATUS_FINALISATION);
	char date[16];
	snprintf(date, sizeof date, "%04d-01-01", p->first_year);
	el2(c, "activity-date", "type", DATE_PLANNED_START, "iso-date", date);
	snprintf(date, sizeof date, "%04d-12-31", p->last_year);
	el2(c, "activity-date", "type", DATE_PLANNED_END, "iso-date", date);
	recipient(c, &seen);
	for (size_t k = 0; k < seen.len; k++) {
		start(c, "location");
		attr(c, "ref", seen.v[k]->alpha2);
		texted(c, "name", &seen.v[k]->name);
		end(c);
	}
	if (t) {
		el2(c, "related-activity", "ref", p->iati.activity_prefix, "type", RELATED_PARENT);
	} else {
		for (size_t k = 0; k < p->programmes_len; k++) {
			char *child = rbm_xasprintf("%s-%s", p->iati.activity_prefix, p->programmes[k].code);
			el2(c, "related-activity", "ref", child, "type", RELATED_CHILD);
			free(child);
		}
	}
	for (size_t r = 0; r < p->results_len; r++)
		if (covers(c, programme, r) && has_indicators(c, r))
			result(c, r, t != NULL);
	end(c);
	c->sum.activities++;
	free(seen.v);
	free(id);
}

/* ---- checks and the document ---- */

static enum rbm_rc check(struct rbm_store *s, const struct rbm_plan *p, int cycle, int from, int to,
			 struct rbm_diag *d)
{
	if (p->iati.org_ref == NULL) {
		rbm_diag_add(d, NULL, NULL,
			     "plan %s has no \"iati\" object: set its reporting organisation and activity "
			     "prefix in the plan (docs/plan-format.md, \"IATI publishing\") and load it with "
			     "'rbm init --plan FILE --replace'",
			     p->code);
		return RBM_EINVAL;
	}
	if (cycle < p->first_year || cycle > p->last_year) {
		rbm_diag_add(d, NULL, NULL, "cycle %d lies outside the plan period %d-%d", cycle,
			     p->first_year, p->last_year);
		return RBM_EINVAL;
	}
	if (from > to || from < p->first_year || to > p->last_year) {
		rbm_diag_add(d, NULL, NULL, "the years %d-%d do not lie within the plan period %d-%d", from,
			     to, p->first_year, p->last_year);
		return RBM_EINVAL;
	}
	if (cycle < from || cycle > to) {
		rbm_diag_add(d, NULL, NULL, "the years %d-%d do not include cycle %d", from, to, cycle);
		return RBM_EINVAL;
	}
	struct rbm_cycle cy = {0};
	enum rbm_rc rc = rbm_collect_cycle_get(s, cycle, &cy, d);
	rbm_collect_cycle_free(&cy);
	/* A cycle that does not exist is bad input, not a failure. */
	return rc == RBM_ENOENT ? RBM_EINVAL : rc;
}

/* Marks the indicators written; names the others in warnings. */
static void choose(struct ctx *c, struct rbm_diag *warnings)
{
	const struct rbm_plan *p = c->p;
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		const struct rbm_result *r = &p->results[ind->result];
		if (ind->unit == RBM_UNIT_TEXT) {
			rbm_diag_add(warnings, NULL, NULL,
				     "indicator %s (unit text) left out: IATI indicators here are numbers "
				     "(measure unit or percentage) and rbm does not aggregate text answers",
				     ind->code);
		} else if (r->level != OUTCOME_LEVEL) {
			rbm_diag_add(warnings, NULL, NULL,
				     "indicator %s left out: it belongs to %s %s, and the IATI file carries "
				     "outcome-level results only",
				     ind->code, p->levels[r->level].key, r->code);
		} else {
			c->exported[i] = true;
			continue;
		}
		c->sum.skipped++;
	}
}

static enum rbm_rc prepare(struct ctx *c, struct rbm_diag *d)
{
	const struct rbm_plan *p = c->p;
	size_t years = (size_t)(c->year_to - c->year_from + 1);
	c->att = rbm_xcalloc(years, sizeof *c->att);
	for (size_t k = 0; k < years; k++) {
		enum rbm_rc rc = rbm_measure_attainment(c->m, c->year_from + (int)k, &c->att[k], d);
		if (rc != RBM_OK)
			return rc;
	}
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = c->year_from;
	q.year_to = c->year_to;
	q.by = 1u << RBM_DIM_COUNTRY;
	enum rbm_rc rc = rbm_measure_run(c->m, &q, &c->by_country, d);
	if (rc != RBM_OK)
		return rc;
	/* Rows come by indicator in plan order: index where each indicator's begin. */
	c->first = rbm_xcalloc(p->indicators_len + 1, sizeof *c->first);
	size_t r = 0;
	for (size_t i = 0; i <= p->indicators_len; i++) {
		while (r < c->by_country.len && c->by_country.rows[r].indicator < i)
			r++;
		c->first[i] = r;
	}
	c->exported = rbm_xcalloc(p->indicators_len + 1, sizeof *c->exported);
	return RBM_OK;
}

static bool has_data(const struct ctx *c, int cycle)
{
	for (size_t i = 0; i < c->p->indicators_len; i++)
		if (figure(c, i, cycle)->has_actual)
			return true;
	return false;
}

enum rbm_rc rbm_export_iati_build(struct rbm_store *s, const struct rbm_plan *p,
				  const struct rbm_places *places, const struct rbm_measure *m,
				  const struct rbm_export_iati_opts *o, char **out, size_t *out_len,
				  struct rbm_export_iati_summary *sum, struct rbm_diag *warnings,
				  struct rbm_diag *d)
{
	struct ctx c = {0};
	c.p = p;
	c.places = places;
	c.m = m;
	c.year_from = o->year_from ? o->year_from : o->cycle;
	c.year_to = o->year_to ? o->year_to : o->cycle;
	xmlBufferPtr buf = NULL;
	enum rbm_rc rc = check(s, p, o->cycle, c.year_from, c.year_to, d);
	if (rc != RBM_OK)
		return rc;
	if ((rc = prepare(&c, d)) != RBM_OK)
		goto out;
	if (!has_data(&c, o->cycle)) {
		rbm_diag_add(d, NULL, NULL,
			     "cycle %d has no approved data yet: nothing to publish (approve submissions "
			     "with 'rbm review approve ID', or load values with 'rbm values import')",
			     o->cycle);
		rc = RBM_EINVAL;
		goto out;
	}
	choose(&c, warnings);

	char now[21];
	if (o->now) {
		snprintf(now, sizeof now, "%s", o->now);
	} else {
		rbm_store_now(now);
	}
	buf = xmlBufferCreate();
	c.w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (c.w == NULL) {
		rc = RBM_ENOMEM;
		goto out;
	}
	if (xmlTextWriterSetIndent(c.w, 1) < 0 || xmlTextWriterSetIndentString(c.w, BAD_CAST " ") < 0 ||
	    xmlTextWriterStartDocument(c.w, "1.0", "UTF-8", NULL) < 0)
		c.failed = true;
	start(&c, "iati-activities");
	attr(&c, "version", "2.03");
	attr(&c, "generated-datetime", now);
	activity(&c, RBM_NONE, now, o->cycle);
	for (size_t k = 0; k < p->programmes_len; k++)
		activity(&c, k, now, o->cycle);
	end(&c);
	if (xmlTextWriterEndDocument(c.w) < 0)
		c.failed = true;
	xmlFreeTextWriter(c.w);
	c.w = NULL;
	if (c.failed) {
		rbm_diag_add(d, NULL, NULL, "writing the IATI XML failed");
		rc = RBM_ENOMEM;
		goto out;
	}
	size_t len = (size_t)xmlBufferLength(buf);
	char *doc = rbm_xmalloc(len + 1);
	memcpy(doc, xmlBufferContent(buf), len);
	doc[len] = '\0';
	*out = doc;
	*out_len = len;
	*sum = c.sum;
out:
	if (c.w)
		xmlFreeTextWriter(c.w);
	if (buf)
		xmlBufferFree(buf);
	if (c.att)
		for (int y = c.year_from; y <= c.year_to; y++)
			free(c.att[y - c.year_from]);
	free(c.att);
	rbm_measure_table_free(&c.by_country);
	free(c.first);
	free(c.exported);
	return rc;
}

enum rbm_rc rbm_export_iati_write(const char *path, const char *data, size_t len,
				  struct rbm_diag *d)
{
	/* The temporary file goes in path's folder, so that rename() replaces path in one step. */
	const char *slash = strrchr(path, '/');
	char *dir = slash == path ? rbm_xstrdup("/")
		    : slash	  ? rbm_xstrndup(path, (size_t)(slash - path))
				  : rbm_xstrdup(".");
	char *tmp = rbm_xasprintf("%s/.%s.XXXXXX", dir, slash ? slash + 1 : path);
	enum rbm_rc rc = RBM_OK;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rbm_diag_add(d, path, NULL, "cannot create a file in the folder %s: %s", dir,
			     strerror(errno));
		free(tmp);
		free(dir);
		return RBM_EIO;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rbm_diag_add(d, path, NULL, "cannot write: %s", n < 0 ? strerror(errno) : "no progress");
			rc = RBM_EIO;
			break;
		}
		done += (size_t)n;
	}
	/* mkstemp makes the file 0600; the file is for publishing: 0644. */
	if (rc == RBM_OK && fchmod(fd, 0644) != 0) {
		rbm_diag_add(d, path, NULL, "cannot set the file's permissions: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (rc == RBM_OK && fsync(fd) != 0) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (close(fd) != 0 && rc == RBM_OK) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (rc == RBM_OK && rename(tmp, path) != 0) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (rc != RBM_OK)
		unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}
