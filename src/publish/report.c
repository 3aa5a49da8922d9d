/*
 * report.c - the report builder: definition + editorial text + figures -> doc.
 */
#include "report.h"

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/fs.h"
#include "editorial.h"
#include "locale.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	const struct rbm_report_ctx *c;
	const char *id;
	enum rbm_lang lang;
	struct rbm_doc *doc;
	json_t *labels;
	struct rbm_diag *d;
	const char *file;
	int number;          /* the last paragraph number */
	size_t fallbacks;
	size_t domain, outcome; /* the current results, or RBM_NONE */
	struct rbm_attainment *att;
	bool failed;
};

/* A {lang: text} object's text in lang, else English, else NULL. */
static const char *jtext(json_t *o, enum rbm_lang lang)
{
	const char *s = json_string_value(json_object_get(o, rbm_lang_tag(lang)));
	return s ? s : json_string_value(json_object_get(o, "en"));
}

/* A fixed word from labels.json, copied into the doc (the JSON is freed after the build). */
static const char *label(struct builder *b, const char *key)
{
	const char *s = jtext(json_object_get(b->labels, key), b->lang);
	return rbm_doc_str(b->doc, s ? s : key);
}

/* ---- placeholders ---- */

static void fmt_int(char *out, size_t cap, long long v)
{
	snprintf(out, cap, "%lld", v);
}

/* Expands one placeholder (without braces) into out; false with a problem in d. */
static bool expand_one(struct builder *b, const char *ph, const char *where, char *out, size_t cap)
{
	const struct rbm_report_ctx *c = b->c;
	char spec[256];
	snprintf(spec, sizeof spec, "%s", ph);
	char *bar = strchr(spec, '|');
	const char *modifier = NULL;
	if (bar) {
		*bar = '\0';
		modifier = bar + 1;
		while (*modifier == ' ')
			modifier++;
	}
	size_t n = strlen(spec);
	while (n && spec[n - 1] == ' ')
		spec[--n] = '\0';
	char *name = spec;
	while (*name == ' ')
		name++;
	int year = c->cycle->year;
	if (strcmp(name, "year") == 0) {
		fmt_int(out, cap, year);
		return true;
	}
	if (strcmp(name, "report_year") == 0) {
		fmt_int(out, cap, year + 1);
		return true;
	}
	if (strcmp(name, "cycle_opens") == 0 || strcmp(name, "cycle_closes") == 0) {
		const char *dt = strcmp(name, "cycle_opens") == 0 ? c->cycle->opens : c->cycle->closes;
		rbm_fmt_date(b->lang, atoi(dt), atoi(dt + 5), atoi(dt + 8), out, cap);
		return true;
	}
	if (strcmp(name, "response_rate") == 0) {
		struct rbm_progress_row *v = NULL;
		size_t len = 0, done = 0;
		if (rbm_collect_progress(c->s, c->p, year, &v, &len, b->d) != RBM_OK)
			return false;
		for (size_t i = 0; i < len; i++)
			done += v[i].started && v[i].status != RBM_STATUS_DRAFT;
		rbm_collect_progress_free(v, len);
		rbm_fmt_percent(b->lang, len ? 100.0 * (double)done / (double)len : 0, out, cap);
		return true;
	}
	if (c->figs == NULL) {
		rbm_diag_add(b->d, b->file, where, "{%s}: no figures are defined for this plan", ph);
		return false;
	}
	double v;
	struct rbm_diag local;
	rbm_diag_init(&local);
	if (rbm_figure_eval(c->m, c->s, c->figs, year, name, &v, &local) != RBM_OK) {
		for (size_t i = 0; i < local.len; i++)
			rbm_diag_add(b->d, b->file, where, "%s", local.entries[i].reason);
		rbm_diag_free(&local);
		return false;
	}
	rbm_diag_free(&local);
	if (modifier && strcmp(modifier, "approx") == 0)
		rbm_fmt_compact(b->lang, v, out, cap);
	else if (modifier && strcmp(modifier, "percent") == 0)
		rbm_fmt_percent(b->lang, v, out, cap);
	else if (modifier && *modifier) {
		rbm_diag_add(b->d, b->file, where, "{%s}: unknown modifier \"%s\" (approx, percent)", ph, modifier);
		return false;
	} else
		rbm_fmt_number(b->lang, v, 0, out, cap);
	return true;
}

/* Expands every {placeholder} in text; NULL (problems in d) when one fails. */
static char *expand(struct builder *b, const char *text, const char *where)
{
	struct rbm_buf out;
	rbm_buf_init(&out, 0);
	const char *p = text;
	bool ok = true;
	while (*p) {
		const char *open = strchr(p, '{');
		if (open == NULL) {
			rbm_buf_adds(&out, p);
			break;
		}
		rbm_buf_add(&out, p, (size_t)(open - p));
		const char *close = strchr(open, '}');
		if (close == NULL) {
			rbm_diag_add(b->d, b->file, where, "a '{' without its '}'");
			ok = false;
			break;
		}
		char ph[256], val[256];
		snprintf(ph, sizeof ph, "%.*s", (int)(close - open - 1), open + 1);
		if (expand_one(b, ph, where, val, sizeof val))
			rbm_buf_adds(&out, val);
		else
			ok = false;
		p = close + 1;
	}
	if (!ok) {
		rbm_buf_free(&out);
		b->failed = true;
		return NULL;
	}
	return rbm_buf_take(&out);
}

/* Adds text to block blk, turning **bold** into bold runs. */
static void add_runs(struct builder *b, struct rbm_block *blk, const char *text)
{
	const char *p = text;
	bool bold = false;
	while (*p) {
		const char *m = strstr(p, "**");
		size_t n = m ? (size_t)(m - p) : strlen(p);
		if (n) {
			char *piece = rbm_xstrndup(p, n);
			rbm_doc_run(b->doc, blk, piece, bold);
			free(piece);
		}
		if (!m)
			break;
		bold = !bold;
		p = m + 2;
	}
}

/* The code-substituted key: "outcome_{code}" -> "outcome_1.1". */
static void make_key(struct builder *b, const char *pattern, char *out, size_t cap)
{
	const char *brace = strstr(pattern, "{code}");
	size_t r = b->outcome != RBM_NONE ? b->outcome : b->domain;
	if (brace && r != RBM_NONE)
		snprintf(out, cap, "%.*s%s%s", (int)(brace - pattern), pattern, b->c->p->results[r].code,
			 brace + 6);
	else
		snprintf(out, cap, "%s", pattern);
}

/* A paragraph's text in the language, else English (marked); NULL when there is none. */
static char *paragraph_text(struct builder *b, const char *key, bool *fell_back)
{
	char *text = NULL;
	bool stale = false;
	*fell_back = false;
	rbm_editorial_get(b->c->s, b->id, b->c->cycle->year, key, b->lang, &text, &stale, b->d);
	if (text == NULL && b->lang != RBM_LANG_EN) {
		rbm_editorial_get(b->c->s, b->id, b->c->cycle->year, key, RBM_LANG_EN, &text, &stale, b->d);
		*fell_back = text != NULL;
	}
	return text;
}

static void add_paragraph(struct builder *b, const char *key_pattern, bool item, char letter,
			  bool optional)
{
	char key[128], where[160];
	make_key(b, key_pattern, key, sizeof key);
	snprintf(where, sizeof where, "%s paragraph \"%s\"", b->id, key);
	bool fell_back;
	char *text = paragraph_text(b, key, &fell_back);
	if (text == NULL && !optional && b->c->draft && !b->c->strict) {
		/* A draft shows where text is still to come, with the figures around it. */
		struct rbm_block *blk = rbm_doc_add(b->doc, item ? RBM_BLOCK_ITEM : RBM_BLOCK_PARAGRAPH);
		if (item)
			blk->letter = letter;
		else
			blk->number = ++b->number;
		rbm_doc_run(b->doc, blk, label(b, "missing"), false);
		blk->runs[blk->runs_len - 1].italic = true;
		b->fallbacks++;
		b->doc->fallback = true;
		return;
	}
	if (text == NULL) {
		if (!optional) {
			rbm_diag_add(b->d, b->file, where, "no text in any language (import it with 'rbm editorial import')");
			b->failed = true;
		}
		return;
	}
	if (fell_back && b->c->strict) {
		rbm_diag_add(b->d, b->file, where, "no %s text (--strict)", rbm_lang_tag(b->lang));
		b->failed = true;
		free(text);
		return;
	}
	char *full = expand(b, text, where);
	free(text);
	if (full == NULL)
		return;
	struct rbm_block *blk = rbm_doc_add(b->doc, item ? RBM_BLOCK_ITEM : RBM_BLOCK_PARAGRAPH);
	if (item)
		blk->letter = letter;
	else
		blk->number = ++b->number;
	if (fell_back) {
		rbm_doc_run(b->doc, blk, label(b, "fallback"), false);
		blk->runs[blk->runs_len - 1].italic = true;
		rbm_doc_run(b->doc, blk, " ", false);
		b->fallbacks++;
		b->doc->fallback = true;
	}
	add_runs(b, blk, full);
	free(full);
}

static const char *with_year(struct builder *b, const char *s)
{
	char *x = expand(b, s, "labels");
	const char *r = rbm_doc_str(b->doc, x ? x : s);
	free(x);
	return r;
}

/* ---- computed blocks ---- */

static bool under(const struct rbm_plan *p, size_t r, size_t top)
{
	for (size_t at = r; at != RBM_NONE; at = p->results[at].parent)
		if (at == top)
			return true;
	return false;
}

/* Whether indicator i belongs in the current outcome's table and chart. */
static bool outcome_has(const struct builder *b, size_t i)
{
	const struct rbm_plan *p = b->c->p;
	return under(p, p->indicators[i].result, b->outcome) && p->indicators[i].unit != RBM_UNIT_TEXT;
}

static size_t outcome_count(const struct builder *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->c->p->indicators_len; i++)
		n += outcome_has(b, i);
	return n;
}

/* "Outcome 1.1", the caption of the current outcome's table and chart. */
static const char *outcome_caption(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	const struct rbm_result *r = &p->results[b->outcome];
	char cap[256];
	snprintf(cap, sizeof cap, "%s %s", rbm_text_get(&p->levels[r->level].title, b->lang), r->code);
	return rbm_doc_str(b->doc, cap);
}

static void indicator_table(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	size_t n = outcome_count(b);
	if (n == 0)
		return;
	struct rbm_table *t = rbm_arena_alloc(b->doc->arena, sizeof *t);
	t->cols = 6;
	t->rows = n + 1;
	const char **cells = rbm_arena_alloc(b->doc->arena, t->cols * t->rows * sizeof *cells);
	double *nums = rbm_arena_alloc(b->doc->arena, t->cols * t->rows * sizeof *nums);
	bool *right = rbm_arena_alloc(b->doc->arena, t->cols * sizeof *right);
	for (size_t k = 0; k < t->cols * t->rows; k++)
		nums[k] = NAN;
	const char *head[] = {"indicator", "baseline", "target", "actual", "progress", "status"};
	for (size_t k = 0; k < 6; k++) {
		cells[k] = with_year(b, label(b, head[k]));
		right[k] = k >= 1 && k <= 4;
	}
	size_t row = 1;
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		if (!outcome_has(b, i))
			continue;
		const struct rbm_attainment *a = &b->att[i];
		char buf[512];
		snprintf(buf, sizeof buf, "%s %s", ind->code, rbm_text_get(&ind->title, b->lang));
		size_t at = row * t->cols;
		cells[at] = rbm_doc_str(b->doc, buf);
		double v[4] = {a->has_baseline ? a->baseline : NAN, a->has_target ? a->target : NAN,
			       a->has_actual ? a->actual : NAN, a->percent};
		for (int k = 0; k < 4; k++) {
			if (isnan(v[k])) {
				cells[at + 1 + k] = "–";
				continue;
			}
			if (k == 3)
				rbm_fmt_percent(b->lang, v[k], buf, sizeof buf);
			else
				rbm_fmt_number(b->lang, v[k], ind->unit == RBM_UNIT_PERCENT ? 1 : 2, buf, sizeof buf);
			cells[at + 1 + k] = rbm_doc_str(b->doc, buf);
			nums[at + 1 + k] = v[k];
		}
		cells[at + 5] = label(b, rbm_attain_name(a->status));
		row++;
	}
	t->cells = cells;
	t->numbers = nums;
	t->right = right;
	t->caption = outcome_caption(b);
	rbm_doc_add(b->doc, RBM_BLOCK_TABLE)->table = t;
}

static void attainment_chart(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	size_t n = outcome_count(b);
	if (n == 0)
		return;
	struct rbm_chart *ch = rbm_arena_alloc(b->doc->arena, sizeof *ch);
	const char **labels = rbm_arena_alloc(b->doc->arena, n * sizeof *labels);
	double *values = rbm_arena_alloc(b->doc->arena, n * sizeof *values);
	const char **st = rbm_arena_alloc(b->doc->arena, n * sizeof *st);
	size_t k = 0;
	double max = 150;
	for (size_t i = 0; i < p->indicators_len; i++) {
		if (!outcome_has(b, i))
			continue;
		labels[k] = p->indicators[i].code;
		values[k] = b->att[i].percent;
		st[k] = rbm_attain_name(b->att[i].status);
		k++;
	}
	ch->bars = n;
	ch->labels = labels;
	ch->values = values;
	ch->statuses = st;
	ch->max = max;
	ch->title = with_year(b, label(b, "chart_outcome"));
	ch->caption = outcome_caption(b);
	rbm_doc_add(b->doc, RBM_BLOCK_CHART)->chart = ch;
}

static void overview_chart(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	size_t n = 0;
	for (size_t r = 0; r < p->results_len; r++)
		n += p->results[r].level == 0;
	struct rbm_chart *ch = rbm_arena_alloc(b->doc->arena, sizeof *ch);
	const char **labels = rbm_arena_alloc(b->doc->arena, (n + 1) * sizeof *labels);
	double *values = rbm_arena_alloc(b->doc->arena, (n + 1) * sizeof *values);
	const char **st = rbm_arena_alloc(b->doc->arena, (n + 1) * sizeof *st);
	size_t k = 0;
	for (size_t r = 0; r < p->results_len; r++) {
		if (p->results[r].level != 0)
			continue;
		size_t total = 0, good = 0;
		for (size_t i = 0; i < p->indicators_len; i++) {
			if (!under(p, p->indicators[i].result, r) || b->att[i].status == RBM_ATTAIN_NO_TARGET)
				continue;
			total++;
			good += b->att[i].status == RBM_ATTAIN_ACHIEVED || b->att[i].status == RBM_ATTAIN_ON_TRACK;
		}
		char buf[256];
		snprintf(buf, sizeof buf, "%s %s", rbm_text_get(&p->levels[0].title, b->lang), p->results[r].code);
		labels[k] = rbm_doc_str(b->doc, buf);
		values[k] = total ? 100.0 * (double)good / (double)total : NAN;
		st[k] = isnan(values[k]) ? "no data"
			: values[k] >= p->threshold_on_track ? "achieved"
			: values[k] >= 50 ? "on track"
					  : "behind";
		k++;
	}
	ch->bars = k;
	ch->labels = labels;
	ch->values = values;
	ch->statuses = st;
	ch->max = 100;
	ch->title = with_year(b, label(b, "chart_overview"));
	rbm_doc_add(b->doc, RBM_BLOCK_CHART)->chart = ch;
}

/* "Countries reached: A, B and C." for the current outcome's indicators. */
static void countries_reached(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	size_t *sel = rbm_xcalloc(p->indicators_len + 1, sizeof *sel), nsel = 0;
	for (size_t i = 0; i < p->indicators_len; i++)
		if (under(p, p->indicators[i].result, b->outcome))
			sel[nsel++] = i;
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = b->c->cycle->year;
	q.indicators = sel;
	q.indicators_len = nsel;
	q.by = 1u << RBM_DIM_COUNTRY;
	q.want_places = false;
	struct rbm_measure_table t;
	size_t nc = b->c->places->countries_len;
	bool *seen = rbm_xcalloc(nc + 1, sizeof *seen);
	if (nsel && rbm_measure_run(b->c->m, &q, &t, b->d) == RBM_OK) {
		for (size_t r = 0; r < t.len; r++)
			if (t.rows[r].key[RBM_DIM_COUNTRY] < nc && t.rows[r].value > 0)
				seen[t.rows[r].key[RBM_DIM_COUNTRY]] = true;
		rbm_measure_table_free(&t);
	}
	const char **names = rbm_xcalloc(nc + 1, sizeof *names);
	size_t n = 0;
	for (size_t i = 0; i < nc; i++)
		if (seen[i])
			names[n++] = rbm_text_get(&b->c->places->countries[i].name, b->lang);
	rbm_collate_sort(b->lang, names, n);
	size_t cap = 64 + n * 96;
	char *list = rbm_xmalloc(cap);
	if (n)
		rbm_fmt_list(b->lang, names, n, list, cap);
	else
		snprintf(list, cap, "%s", label(b, "none"));
	struct rbm_block *blk = rbm_doc_add(b->doc, RBM_BLOCK_PARAGRAPH);
	char head[256];
	snprintf(head, sizeof head, "%s (%zu)%s ", label(b, "countries_reached"), n,
		 b->lang == RBM_LANG_ZH ? "：" : b->lang == RBM_LANG_FR ? " :" : ":");
	rbm_doc_run(b->doc, blk, head, true);
	rbm_doc_run(b->doc, blk, list, false);
	free(list);
	free(names);
	free(seen);
	free(sel);
}

static void flagships_contributed(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	struct rbm_query *q = NULL;
	bool *seen = rbm_xcalloc(p->programmes_len + 1, sizeof *seen);
	if (rbm_store_query(b->c->s,
			    "SELECT DISTINCT t.code FROM revision_tags t JOIN revisions r ON r.id = t.revision_id "
			    "JOIN submissions s ON s.id = r.submission_id AND r.rev = s.approved_rev "
			    "JOIN cycles c ON c.id = s.cycle_id WHERE c.year = ? AND t.result = ? "
			    "AND t.kind = 'programme'", &q, b->d) == RBM_OK) {
		rbm_query_bind_int(q, 1, b->c->cycle->year);
		rbm_query_bind_text(q, 2, p->results[b->outcome].code);
		while (rbm_query_step(q, b->d) == RBM_OK)
			for (size_t k = 0; k < p->programmes_len; k++)
				if (strcmp(p->programmes[k].code, rbm_query_text(q, 0)) == 0)
					seen[k] = true;
	}
	rbm_query_free(q);
	const char **names = rbm_xcalloc(p->programmes_len + 1, sizeof *names);
	size_t n = 0;
	for (size_t k = 0; k < p->programmes_len; k++)
		if (seen[k])
			names[n++] = rbm_text_get(&p->programmes[k].title, b->lang);
	char list[2048];
	if (n)
		rbm_fmt_list(b->lang, names, n, list, sizeof list);
	else
		snprintf(list, sizeof list, "%s", label(b, "none"));
	struct rbm_block *blk = rbm_doc_add(b->doc, RBM_BLOCK_PARAGRAPH);
	char head[256];
	snprintf(head, sizeof head, "%s%s ", label(b, "flagships"),
		 b->lang == RBM_LANG_ZH ? "：" : b->lang == RBM_LANG_FR ? " :" : ":");
	rbm_doc_run(b->doc, blk, head, true);
	rbm_doc_run(b->doc, blk, list, false);
	free(names);
	free(seen);
}

static void offices_annex(struct builder *b)
{
	const struct rbm_plan *p = b->c->p;
	struct rbm_progress_row *v = NULL;
	size_t n = 0;
	if (rbm_collect_progress(b->c->s, p, b->c->cycle->year, &v, &n, b->d) != RBM_OK) {
		b->failed = true;
		return;
	}
	struct rbm_table *t = rbm_arena_alloc(b->doc->arena, sizeof *t);
	t->cols = 3;
	t->rows = n + 1;
	const char **cells = rbm_arena_alloc(b->doc->arena, t->cols * t->rows * sizeof *cells);
	double *nums = rbm_arena_alloc(b->doc->arena, t->cols * t->rows * sizeof *nums);
	bool *right = rbm_arena_alloc(b->doc->arena, t->cols * sizeof *right);
	for (size_t k = 0; k < t->cols * t->rows; k++)
		nums[k] = NAN;
	cells[0] = label(b, "region");
	cells[1] = label(b, "office");
	cells[2] = label(b, "submission");
	for (size_t i = 0; i < n; i++) {
		size_t oi = rbm_plan_find_office(p, v[i].office), ri = rbm_plan_find_office(p, v[i].region);
		cells[(i + 1) * 3] = ri != RBM_NONE ? rbm_text_get(&p->offices[ri].title, b->lang) : label(b, "headquarters");
		cells[(i + 1) * 3 + 1] = oi != RBM_NONE ? rbm_text_get(&p->offices[oi].title, b->lang) : v[i].office;
		cells[(i + 1) * 3 + 2] = label(b, v[i].started ? rbm_status_name(v[i].status) : "not started");
	}
	t->cells = cells;
	t->numbers = nums;
	t->right = right;
	t->caption = label(b, "office");
	rbm_doc_add(b->doc, RBM_BLOCK_TABLE)->table = t;
	rbm_collect_progress_free(v, n);
}

static void result_heading(struct builder *b, int level)
{
	const struct rbm_plan *p = b->c->p;
	size_t r = level == 1 ? b->domain : b->outcome;
	const struct rbm_result *res = &p->results[r];
	char buf[1024];
	const char *sep = b->lang == RBM_LANG_ZH ? "：" : b->lang == RBM_LANG_FR ? " : " : ": ";
	snprintf(buf, sizeof buf, "%s %s%s%s", rbm_text_get(&p->levels[res->level].title, b->lang), res->code,
		 sep, rbm_text_get(&res->title, b->lang));
	struct rbm_block *blk = rbm_doc_add(b->doc, RBM_BLOCK_HEADING);
	blk->level = level;
	char anchor[64];
	snprintf(anchor, sizeof anchor, "r%s", res->code);
	for (char *c = anchor; *c; c++)
		if (*c == '.')
			*c = '-';
	blk->anchor = rbm_doc_str(b->doc, anchor);
	rbm_doc_run(b->doc, blk, buf, true);
}

static void run_blocks(struct builder *b, json_t *blocks);

static void run_block(struct builder *b, json_t *x)
{
	const char *type = json_string_value(json_object_get(x, "type"));
	const struct rbm_plan *p = b->c->p;
	if (type == NULL) {
		rbm_diag_add(b->d, b->file, NULL, "a block without \"type\"");
		b->failed = true;
	} else if (strcmp(type, "paragraph") == 0) {
		add_paragraph(b, json_string_value(json_object_get(x, "text")), false, 0,
			      json_is_true(json_object_get(x, "optional")));
	} else if (strcmp(type, "items") == 0) {
		json_t *texts = json_object_get(x, "texts");
		for (size_t i = 0; i < json_array_size(texts); i++)
			add_paragraph(b, json_string_value(json_array_get(texts, i)), true, (char)('a' + i), false);
	} else if (strcmp(type, "heading") == 0) {
		struct rbm_block *blk = rbm_doc_add(b->doc, RBM_BLOCK_HEADING);
		blk->level = (int)json_integer_value(json_object_get(x, "level"));
		if (blk->level < 1)
			blk->level = 1;
		const char *t = jtext(json_object_get(x, "title"), b->lang);
		rbm_doc_run(b->doc, blk, with_year(b, t ? t : ""), true);
	} else if (strcmp(type, "result_heading") == 0) {
		result_heading(b, (int)json_integer_value(json_object_get(x, "level")) == 2 ? 2 : 1);
	} else if (strcmp(type, "for_each_domain") == 0 || strcmp(type, "for_each_outcome") == 0) {
		bool domains = strcmp(type, "for_each_domain") == 0;
		for (size_t r = 0; r < p->results_len; r++) {
			if (p->results[r].level != (domains ? 0u : 1u))
				continue;
			if (!domains && !under(p, r, b->domain))
				continue;
			if (domains) {
				b->domain = r;
				b->outcome = RBM_NONE;
			} else {
				b->outcome = r;
			}
			run_blocks(b, json_object_get(x, "blocks"));
		}
		if (domains)
			b->domain = RBM_NONE;
		b->outcome = RBM_NONE;
	} else if (strcmp(type, "indicator_table") == 0 && b->outcome != RBM_NONE) {
		indicator_table(b);
	} else if (strcmp(type, "attainment_chart") == 0 && b->outcome != RBM_NONE) {
		attainment_chart(b);
	} else if (strcmp(type, "overview_chart") == 0) {
		overview_chart(b);
	} else if (strcmp(type, "countries_reached") == 0 && b->outcome != RBM_NONE) {
		countries_reached(b);
	} else if (strcmp(type, "flagships_contributed") == 0 && b->outcome != RBM_NONE) {
		flagships_contributed(b);
	} else if (strcmp(type, "offices_annex") == 0) {
		offices_annex(b);
	} else {
		rbm_diag_add(b->d, b->file, NULL, "unknown block type \"%s\" (or used outside its loop)", type);
		b->failed = true;
	}
}

static void run_blocks(struct builder *b, json_t *blocks)
{
	for (size_t i = 0; i < json_array_size(blocks); i++)
		run_block(b, json_array_get(blocks, i));
}

static json_t *load_json(const char *path, struct rbm_diag *d)
{
	char *data = NULL;
	size_t len = 0;
	if (rbm_fs_read(path, 8 << 20, &data, &len, d) != RBM_OK)
		return NULL;
	json_error_t err;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	free(data);
	if (j == NULL) {
		char where[64];
		snprintf(where, sizeof where, "line %d, column %d", err.line, err.column);
		rbm_diag_add(d, path, where, "invalid JSON: %s", err.text);
	}
	return j;
}

enum rbm_rc rbm_report_build(const struct rbm_report_ctx *c, const char *id, enum rbm_lang lang,
			     struct rbm_doc **out, size_t *fallbacks, struct rbm_diag *d)
{
	char *path = rbm_xasprintf("%s/%s.json", c->dir, id);
	char *lpath = rbm_xasprintf("%s/labels.json", c->dir);
	json_t *def = load_json(path, d), *labels = load_json(lpath, d);
	enum rbm_rc rc = RBM_EINVAL;
	struct builder b = {c, id, lang, NULL, labels, d, path, 0, 0, RBM_NONE, RBM_NONE, NULL, false};
	if (def == NULL || labels == NULL)
		goto out;
	if (json_integer_value(json_object_get(def, "rbm_report")) != 1 ||
	    !json_is_array(json_object_get(def, "blocks"))) {
		rbm_diag_add(d, path, "$", "expected {\"rbm_report\": 1, \"meta\": {...}, \"blocks\": [...]}");
		goto out;
	}
	if (rbm_measure_attainment(c->m, c->cycle->year, &b.att, d) != RBM_OK)
		goto out;
	b.doc = rbm_doc_new(lang);
	json_t *meta = json_object_get(def, "meta");
	struct {
		const char *key;
		const char **slot;
	} fields[] = {
		{"body", &b.doc->meta.body},		{"session", &b.doc->meta.session},
		{"place_dates", &b.doc->meta.place_dates}, {"symbol", &b.doc->meta.symbol},
		{"date", &b.doc->meta.date},		{"agenda", &b.doc->meta.agenda},
		{"agenda_note", &b.doc->meta.agenda_note}, {"agenda_title", &b.doc->meta.agenda_title},
		{"title", &b.doc->meta.title},		{"kind", &b.doc->meta.kind},
		{"unedited", &b.doc->meta.unedited},
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		const char *t = jtext(json_object_get(meta, fields[i].key), lang);
		if (t) {
			char where[64];
			snprintf(where, sizeof where, "$.meta.%s", fields[i].key);
			char *x = expand(&b, t, where);
			*fields[i].slot = rbm_doc_str(b.doc, x);
			free(x);
		}
	}
	b.doc->meta.report = rbm_doc_str(b.doc, id);
	run_blocks(&b, json_object_get(def, "blocks"));
	if (b.failed || rbm_diag_count(d) > 0)
		goto out;
	*out = b.doc;
	b.doc = NULL;
	if (fallbacks)
		*fallbacks = b.fallbacks;
	rc = RBM_OK;
out:
	free(b.att);
	rbm_doc_free(b.doc);
	json_decref(def);
	json_decref(labels);
	free(path);
	free(lpath);
	return rc;
}
