/*
 * plan_load.c - parsing and validating a plan definition (docs/plan-format.md).
 *
 * The loader walks the JSON document once, filling the model and recording
 * every problem with its JSON path; then it checks what needs the whole plan
 * (unique codes, references). A plan with any problem is not returned.
 */
#include "plan.h"

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/fs.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A code seen, with where it was, for the uniqueness and reference checks. */
struct seen {
	const char *code;
	const char *path;
	size_t index;
};

struct seen_list {
	struct seen *v;
	size_t len, cap;
};

/* An office without a "parent" key, until check_offices() looks at it. */
#define PARENT_NONE_GIVEN (RBM_NONE - 1)

/* A reference to resolve once everything is read. */
struct ref {
	const char *code;
	const char *path;
	size_t *slot; /* where the resolved index goes */
};

struct loader {
	struct rbm_plan *p;
	struct rbm_arena *tmp; /* paths and scratch, freed with the loader */
	const char *file;
	const struct rbm_places *places;
	struct rbm_diag *d;
	struct rbm_buf path;
	size_t problems;
	bool years_ok; /* first_year and last_year are valid */

	struct rbm_result *results;
	size_t results_len, results_cap;
	struct rbm_indicator *indicators;
	size_t indicators_len, indicators_cap;
	struct seen_list result_codes, indicator_codes;
	struct ref *office_parents;
	size_t office_parents_len, office_parents_cap;
};

/* ---- paths and problems ---- */

static size_t path_push_key(struct loader *ld, const char *key)
{
	size_t mark = ld->path.len;
	rbm_buf_addc(&ld->path, '.');
	rbm_buf_adds(&ld->path, key);
	return mark;
}

static size_t path_push_index(struct loader *ld, size_t i)
{
	size_t mark = ld->path.len;
	rbm_buf_addf(&ld->path, "[%zu]", i);
	return mark;
}

static void path_pop(struct loader *ld, size_t mark)
{
	ld->path.len = mark;
	ld->path.data[mark] = '\0';
}

static const char *path_save(struct loader *ld)
{
	return rbm_arena_strdup(ld->tmp, rbm_buf_str(&ld->path));
}

static void problem(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct loader *ld, const char *fmt, ...)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	rbm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rbm_diag_add(ld->d, ld->file, rbm_buf_str(&ld->path), "%s", rbm_buf_str(&b));
	rbm_buf_free(&b);
	ld->problems++;
}

static void problem_at(struct loader *ld, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem_at(struct loader *ld, const char *path, const char *fmt, ...)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	rbm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rbm_diag_add(ld->d, ld->file, path, "%s", rbm_buf_str(&b));
	rbm_buf_free(&b);
	ld->problems++;
}

/* A short description of a JSON value for "expected X, got Y". */
static void describe(const json_t *v, char *out, size_t cap)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: snprintf(out, cap, "an object"); break;
	case JSON_ARRAY: snprintf(out, cap, "an array"); break;
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t n = strlen(s);
		if (n > 40) {
			/* Cut on a UTF-8 boundary. */
			size_t k = 37;
			while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
				k--;
			snprintf(out, cap, "\"%.*s...\"", (int)k, s);
		} else {
			snprintf(out, cap, "\"%s\"", s);
		}
		break;
	}
	case JSON_INTEGER: snprintf(out, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL: snprintf(out, cap, "%g", json_real_value(v)); break;
	case JSON_TRUE: snprintf(out, cap, "true"); break;
	case JSON_FALSE: snprintf(out, cap, "false"); break;
	case JSON_NULL: snprintf(out, cap, "null"); break;
	}
}

static void expected(struct loader *ld, const char *what, const json_t *got)
{
	char desc[64];
	describe(got, desc, sizeof desc);
	problem(ld, "expected %s, got %s", what, desc);
}

/* ---- scalar readers; each reports its own problems ---- */

static bool valid_code(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Looks key up in obj; reports a missing required key. Returns NULL if absent. */
static json_t *field(struct loader *ld, json_t *obj, const char *key, bool required)
{
	json_t *v = json_object_get(obj, key);
	if (v == NULL && required)
		problem(ld, "missing required key \"%s\"", key);
	return v;
}

static bool read_string(struct loader *ld, json_t *obj, const char *key, bool required,
			const char **out)
{
	json_t *v = field(ld, obj, key, required);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = false;
	if (!json_is_string(v))
		expected(ld, "a string", v);
	else if (json_string_length(v) == 0)
		problem(ld, "must not be empty");
	else {
		*out = rbm_arena_strdup(ld->p->arena, json_string_value(v));
		ok = true;
	}
	path_pop(ld, mark);
	return ok;
}

static bool read_code(struct loader *ld, json_t *obj, const char *key, bool required,
		      const char **out)
{
	json_t *v = field(ld, obj, key, required);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = false;
	if (!json_is_string(v))
		expected(ld, "a code (string)", v);
	else if (!valid_code(json_string_value(v)))
		expected(ld, "a code of 1-32 characters A-Z a-z 0-9 . _ -", v);
	else {
		*out = rbm_arena_strdup(ld->p->arena, json_string_value(v));
		ok = true;
	}
	path_pop(ld, mark);
	return ok;
}

static bool read_int(struct loader *ld, json_t *obj, const char *key, bool required, long min,
		     long max, int *out)
{
	json_t *v = field(ld, obj, key, required);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = false;
	if (!json_is_integer(v))
		expected(ld, "an integer", v);
	else if (json_integer_value(v) < min || json_integer_value(v) > max)
		problem(ld, "%" JSON_INTEGER_FORMAT " is outside %ld-%ld", json_integer_value(v), min,
			max);
	else {
		*out = (int)json_integer_value(v);
		ok = true;
	}
	path_pop(ld, mark);
	return ok;
}

static bool number_value(struct loader *ld, json_t *v, double *out)
{
	if (!json_is_number(v)) {
		expected(ld, "a number", v);
		return false;
	}
	double x = json_number_value(v);
	if (!isfinite(x)) {
		problem(ld, "the number is not finite");
		return false;
	}
	*out = x;
	return true;
}

static bool read_number(struct loader *ld, json_t *obj, const char *key, bool required,
			double *out)
{
	json_t *v = field(ld, obj, key, required);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = number_value(ld, v, out);
	path_pop(ld, mark);
	return ok;
}

static bool read_bool(struct loader *ld, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = json_is_boolean(v);
	if (ok)
		*out = json_is_true(v);
	else
		expected(ld, "true or false", v);
	path_pop(ld, mark);
	return ok;
}

/* A keyword from a fixed set, through one of plan_names.c's parsers. */
#define READ_ENUM(ld, obj, key, required, parse, out, choices)                         \
	do {                                                                           \
		json_t *v_ = field(ld, obj, key, required);                            \
		if (v_ != NULL) {                                                      \
			size_t m_ = path_push_key(ld, key);                            \
			if (!json_is_string(v_) || !parse(json_string_value(v_), out)) \
				expected(ld, "one of " choices, v_);                   \
			path_pop(ld, m_);                                              \
		}                                                                      \
	} while (0)

static bool read_text(struct loader *ld, json_t *obj, const char *key, bool required,
		      struct rbm_text *out)
{
	json_t *v = field(ld, obj, key, required);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = true;
	if (!json_is_object(v)) {
		expected(ld, "an object of language tag to text, e.g. {\"en\": \"...\"}", v);
		path_pop(ld, mark);
		return false;
	}
	const char *lang_key;
	json_t *s;
	json_object_foreach(v, lang_key, s) {
		enum rbm_lang lang;
		size_t m2 = path_push_key(ld, lang_key);
		if (!rbm_lang_parse(lang_key, &lang)) {
			problem(ld, "unknown language tag \"%s\" (expected ar, zh, en, fr, ru or es)",
				lang_key);
			ok = false;
		} else if (!json_is_string(s)) {
			expected(ld, "a string", s);
			ok = false;
		} else if (json_string_length(s) == 0) {
			problem(ld, "must not be empty");
			ok = false;
		} else {
			out->s[lang] = rbm_arena_strdup(ld->p->arena, json_string_value(s));
		}
		path_pop(ld, m2);
	}
	if (json_object_get(v, "en") == NULL) {
		problem(ld, "missing the English (en) text, which is the fallback for every language");
		ok = false;
	}
	path_pop(ld, mark);
	return ok;
}

/* Arrays of strings (sources, country codes, ...). */
static bool read_strings(struct loader *ld, json_t *obj, const char *key, bool codes,
			 const char ***out, size_t *out_len)
{
	json_t *v = json_object_get(obj, key);
	if (v == NULL)
		return false;
	size_t mark = path_push_key(ld, key);
	bool ok = true;
	if (!json_is_array(v)) {
		expected(ld, "an array", v);
		path_pop(ld, mark);
		return false;
	}
	size_t n = json_array_size(v);
	const char **arr = rbm_arena_alloc(ld->p->arena, (n ? n : 1) * sizeof *arr);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(v, i);
		size_t m2 = path_push_index(ld, i);
		if (!json_is_string(s) || json_string_length(s) == 0) {
			expected(ld, "a non-empty string", s);
			ok = false;
		} else if (codes && !valid_code(json_string_value(s))) {
			expected(ld, "a code", s);
			ok = false;
		} else {
			arr[k++] = rbm_arena_strdup(ld->p->arena, json_string_value(s));
		}
		path_pop(ld, m2);
	}
	*out = arr;
	*out_len = k;
	path_pop(ld, mark);
	return ok;
}

/* Reports keys of obj that are neither allowed nor comments ("_..."). */
static void check_keys(struct loader *ld, json_t *obj, const char *const *allowed, size_t n,
		       const char *extra)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (key[0] == '_')
			continue;
		bool known = extra && strcmp(key, extra) == 0;
		for (size_t i = 0; !known && i < n; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known) {
			size_t mark = path_push_key(ld, key);
			problem(ld, "unknown key \"%s\"", key);
			path_pop(ld, mark);
		}
	}
}

#define META_KEYS "unofficial", "verified", "note", "sources"

static void read_meta(struct loader *ld, json_t *obj, struct rbm_meta *m)
{
	bool verified = true;
	if (read_bool(ld, obj, "verified", &verified))
		m->unverified = !verified;
	read_text(ld, obj, "note", false, &m->note);
	read_strings(ld, obj, "sources", false, &m->sources, &m->sources_len);
	const char **langs = NULL;
	size_t langs_len = 0;
	if (read_strings(ld, obj, "unofficial", false, &langs, &langs_len)) {
		size_t mark = path_push_key(ld, "unofficial");
		for (size_t i = 0; i < langs_len; i++) {
			enum rbm_lang l;
			if (rbm_lang_parse(langs[i], &l)) {
				m->unofficial |= 1u << l;
			} else {
				size_t m2 = path_push_index(ld, i);
				problem(ld, "unknown language tag \"%s\" (expected ar, zh, en, fr, ru or es)",
					langs[i]);
				path_pop(ld, m2);
			}
		}
		path_pop(ld, mark);
	}
}

/* ---- uniqueness ---- */

static void seen_add(struct loader *ld, struct seen_list *l, const char *code, size_t index)
{
	rbm_xgrow(&l->v, &l->cap, l->len + 1, sizeof *l->v);
	l->v[l->len++] = (struct seen){code, path_save(ld), index};
}

static int cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Reports each code seen twice, at its later place; sorts l. */
static void check_unique(struct loader *ld, struct seen_list *l, const char *what)
{
	if (l->len > 1)
		qsort(l->v, l->len, sizeof *l->v, cmp_seen);
	for (size_t i = 1; i < l->len; i++) {
		if (strcmp(l->v[i].code, l->v[i - 1].code) == 0) {
			size_t first = i - 1;
			while (first > 0 && strcmp(l->v[first - 1].code, l->v[i].code) == 0)
				first--;
			problem_at(ld, l->v[i].path, "duplicate %s code \"%s\" (first at %s)", what,
				   l->v[i].code, l->v[first].path);
		}
	}
}

static size_t seen_find(const struct seen_list *l, const char *code)
{
	size_t lo = 0, hi = l->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->v[mid].code, code);
		if (c == 0)
			return l->v[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return RBM_NONE;
}

/* ---- arrays of elements ---- */

typedef void (*element_fn)(struct loader *ld, json_t *obj, void *elem, size_t i);

/*
 * Reads obj[key], an array of objects, into a new arena array of elements of
 * size bytes; fn fills each. Returns the count read.
 */
static size_t read_array(struct loader *ld, json_t *obj, const char *key, size_t size,
			 element_fn fn, void **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (v == NULL)
		return 0;
	size_t mark = path_push_key(ld, key);
	if (!json_is_array(v)) {
		expected(ld, "an array", v);
		path_pop(ld, mark);
		return 0;
	}
	size_t n = json_array_size(v);
	char *arr = rbm_arena_alloc(ld->p->arena, (n ? n : 1) * size);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);
		size_t m2 = path_push_index(ld, i);
		if (!json_is_object(e))
			expected(ld, "an object", e);
		else
			fn(ld, e, arr + i * size, i);
		path_pop(ld, m2);
	}
	path_pop(ld, mark);
	*out = arr;
	return n;
}

/* Each element's code, checked unique within the array. */
static void unique_codes(struct loader *ld, const char *key, const char *what, const void *arr,
			 size_t n, size_t size)
{
	struct seen_list l = {0};
	for (size_t i = 0; i < n; i++) {
		const char *code = *(const char *const *)((const char *)arr + i * size);
		if (code == NULL)
			continue;
		size_t mark = path_push_key(ld, key);
		size_t m2 = path_push_index(ld, i);
		seen_add(ld, &l, code, i);
		path_pop(ld, m2);
		path_pop(ld, mark);
	}
	check_unique(ld, &l, what);
	free(l.v);
}

static void level_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"key", "title", META_KEYS};
	struct rbm_level *lv = elem;
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	read_meta(ld, obj, &lv->meta);
	json_t *k = field(ld, obj, "key", true);
	if (k) {
		size_t mark = path_push_key(ld, "key");
		const char *s = json_is_string(k) ? json_string_value(k) : NULL;
		bool ok = s && *s && strlen(s) <= 32;
		for (const char *c = s; ok && *c; c++)
			ok = (*c >= 'a' && *c <= 'z') || *c == '_';
		if (!ok)
			expected(ld, "a key of a-z and _", k);
		else
			lv->key = rbm_arena_strdup(ld->p->arena, s);
		path_pop(ld, mark);
	}
	read_text(ld, obj, "title", true, &lv->title);
}

static void category_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code", "title", META_KEYS};
	struct rbm_category *c = elem;
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	read_meta(ld, obj, &c->meta);
	read_code(ld, obj, "code", true, &c->code);
	read_text(ld, obj, "title", true, &c->title);
}

static void disaggregation_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code", "title", "categories", META_KEYS};
	struct rbm_disaggregation *g = elem;
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	read_code(ld, obj, "code", true, &g->code);
	read_text(ld, obj, "title", true, &g->title);
	read_meta(ld, obj, &g->meta);
	void *arr;
	if (field(ld, obj, "categories", true)) {
		g->categories_len = read_array(ld, obj, "categories", sizeof *g->categories,
					       category_fn, &arr);
		g->categories = arr;
		if (g->categories_len == 0 && arr != NULL) {
			size_t mark = path_push_key(ld, "categories");
			problem(ld, "needs at least one category");
			path_pop(ld, mark);
		}
		unique_codes(ld, "categories", "category", g->categories, g->categories_len,
			     sizeof *g->categories);
	}
}

static void tag_common(struct loader *ld, json_t *obj, struct rbm_tag *t)
{
	read_code(ld, obj, "code", true, &t->code);
	read_text(ld, obj, "title", true, &t->title);
	read_text(ld, obj, "short_title", false, &t->short_title);
	read_text(ld, obj, "description", false, &t->description);
	read_meta(ld, obj, &t->meta);
}

static void programme_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code",   "title", "short_title", "description",
					   "number", "kind",  META_KEYS};
	struct rbm_tag *t = elem;
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	tag_common(ld, obj, t);
	read_int(ld, obj, "number", false, 1, 999, &t->number);
	t->kind = "flagship";
	json_t *k = json_object_get(obj, "kind");
	if (k) {
		size_t mark = path_push_key(ld, "kind");
		if (json_is_string(k) && strcmp(json_string_value(k), "flagship") == 0)
			t->kind = "flagship";
		else if (json_is_string(k) && strcmp(json_string_value(k), "other") == 0)
			t->kind = "other";
		else
			expected(ld, "one of flagship, other", k);
		path_pop(ld, mark);
	}
}

static void theme_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code", "title", "short_title", "description", "kind",
					   META_KEYS};
	struct rbm_tag *t = elem;
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	tag_common(ld, obj, t);
	json_t *k = field(ld, obj, "kind", true);
	if (k) {
		size_t mark = path_push_key(ld, "kind");
		if (json_is_string(k) && strcmp(json_string_value(k), "social_inclusion") == 0)
			t->kind = "social_inclusion";
		else if (json_is_string(k) && strcmp(json_string_value(k), "cross_cutting") == 0)
			t->kind = "cross_cutting";
		else
			expected(ld, "one of social_inclusion, cross_cutting", k);
		path_pop(ld, mark);
	}
}

static void plain_tag_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code", "title", "short_title", "description",
					   META_KEYS};
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	tag_common(ld, obj, elem);
}

/* Resolves each code of obj[key] among tags; fills indices. */
static void read_tag_refs(struct loader *ld, json_t *obj, const char *key,
			  const struct rbm_tag *tags, size_t tags_len, const char *what,
			  size_t **out, size_t *out_len)
{
	const char **codes;
	size_t n;
	if (!read_strings(ld, obj, key, true, &codes, &n))
		return;
	size_t *idx = rbm_arena_alloc(ld->p->arena, (n ? n : 1) * sizeof *idx);
	size_t k = 0;
	size_t mark = path_push_key(ld, key);
	for (size_t i = 0; i < n; i++) {
		size_t found = RBM_NONE;
		for (size_t t = 0; t < tags_len; t++)
			if (tags[t].code && strcmp(tags[t].code, codes[i]) == 0)
				found = t;
		size_t m2 = path_push_index(ld, i);
		if (found == RBM_NONE)
			problem(ld, "unknown %s \"%s\"", what, codes[i]);
		else
			idx[k++] = found;
		path_pop(ld, m2);
	}
	path_pop(ld, mark);
	*out = idx;
	*out_len = k;
}

/* ---- indicators ---- */

static bool is_whole(double x)
{
	return x == floor(x);
}

/* Checks one target or baseline value against the indicator's unit. */
static void check_value(struct loader *ld, const struct rbm_indicator *ind, double x)
{
	if (ind->aggregation == RBM_AGG_COUNT_UNITS) {
		if (x < 0 || !is_whole(x))
			problem(ld, "%g: a count of places must be a whole number >= 0", x);
		return;
	}
	switch (ind->unit) {
	case RBM_UNIT_PEOPLE:
		if (x < 0 || (!is_whole(x) && ind->aggregation != RBM_AGG_MEAN))
			problem(ld, "%g: a number of people must be a whole number >= 0", x);
		break;
	case RBM_UNIT_PERCENT:
		if (x < 0 || x > 100)
			problem(ld, "%g: a percentage must lie in 0-100", x);
		break;
	case RBM_UNIT_YESNO:
		if (x != 0 && x != 1)
			problem(ld, "%g: a yes/no value must be 0 or 1", x);
		break;
	default:
		break;
	}
}

static void read_targets(struct loader *ld, json_t *obj, struct rbm_indicator *ind)
{
	json_t *v = json_object_get(obj, "targets");
	if (v == NULL)
		return;
	size_t mark = path_push_key(ld, "targets");
	if (!json_is_object(v)) {
		expected(ld, "an object of year to number, e.g. {\"2021\": 40}", v);
		path_pop(ld, mark);
		return;
	}
	size_t n = json_object_size(v);
	ind->targets = rbm_arena_alloc(ld->p->arena, (n ? n : 1) * sizeof *ind->targets);
	const char *key;
	json_t *t;
	json_object_foreach(v, key, t) {
		size_t m2 = path_push_key(ld, key);
		char *end;
		long year = strtol(key, &end, 10);
		double x;
		if (strlen(key) != 4 || *end != '\0' || year < 1900) {
			problem(ld, "\"%s\" is not a year", key);
		} else if (ld->years_ok && (year < ld->p->first_year || year > ld->p->last_year)) {
			problem(ld, "the year %ld lies outside the plan period %d-%d", year,
				ld->p->first_year, ld->p->last_year);
		} else if (number_value(ld, t, &x)) {
			check_value(ld, ind, x);
			struct rbm_target tg = {(int)year, x};
			/* Keep sorted by year (insertion: targets are few). */
			size_t k = ind->targets_len++;
			while (k > 0 && ind->targets[k - 1].year > tg.year) {
				ind->targets[k] = ind->targets[k - 1];
				k--;
			}
			ind->targets[k] = tg;
		}
		path_pop(ld, m2);
	}
	path_pop(ld, mark);
}

static void read_baseline(struct loader *ld, json_t *obj, struct rbm_indicator *ind)
{
	static const char *const keys[] = {"value", "year"};
	json_t *v = json_object_get(obj, "baseline");
	if (v == NULL)
		return;
	size_t mark = path_push_key(ld, "baseline");
	if (!json_is_object(v)) {
		expected(ld, "an object {\"value\": number, \"year\": integer}", v);
	} else {
		check_keys(ld, v, keys, 2, NULL);
		bool okv = read_number(ld, v, "value", true, &ind->baseline_value);
		bool oky = read_int(ld, v, "year", true, 1900, 2200, &ind->baseline_year);
		if (okv) {
			size_t m2 = path_push_key(ld, "value");
			check_value(ld, ind, ind->baseline_value);
			path_pop(ld, m2);
		}
		if (oky && ld->years_ok && ind->baseline_year > ld->p->last_year) {
			size_t m2 = path_push_key(ld, "year");
			problem(ld, "the baseline year %d lies after the plan period %d-%d",
				ind->baseline_year, ld->p->first_year, ld->p->last_year);
			path_pop(ld, m2);
		}
		ind->has_baseline = okv && oky;
	}
	path_pop(ld, mark);
}

/* The rules that tie aggregation and unit together. */
static void check_rules(struct loader *ld, json_t *obj, struct rbm_indicator *ind)
{
	const char *agg = rbm_aggregation_name(ind->aggregation);
	const char *unit = rbm_unit_name(ind->unit);
	bool bad = false;
	switch (ind->unit) {
	case RBM_UNIT_TEXT:
		bad = ind->aggregation != RBM_AGG_LATEST;
		if (json_object_get(obj, "targets") || json_object_get(obj, "baseline"))
			problem(ld, "a text indicator takes no targets or baseline");
		break;
	case RBM_UNIT_YESNO:
		bad = ind->aggregation == RBM_AGG_SUM || ind->aggregation == RBM_AGG_MEAN;
		break;
	case RBM_UNIT_PERCENT:
		bad = ind->aggregation == RBM_AGG_SUM;
		break;
	default:
		break;
	}
	if (bad) {
		size_t mark = path_push_key(ld, "aggregation");
		problem(ld, "the rule \"%s\" cannot apply to the unit \"%s\"", agg, unit);
		path_pop(ld, mark);
	}
	if (ind->aggregation == RBM_AGG_COUNT_UNITS && ind->count_of == RBM_COUNT_NONE &&
	    json_object_get(obj, "count_of") == NULL)
		problem(ld, "the rule \"count_units\" needs \"count_of\": country or city");
	if (ind->aggregation != RBM_AGG_COUNT_UNITS && json_object_get(obj, "count_of")) {
		size_t mark = path_push_key(ld, "count_of");
		problem(ld, "\"count_of\" applies only to the rule \"count_units\"");
		path_pop(ld, mark);
	}
	if (ind->unit == RBM_UNIT_CURRENCY && json_object_get(obj, "currency") == NULL)
		problem(ld, "the unit \"currency\" needs \"currency\", an ISO 4217 code such as USD");
	if (ind->unit != RBM_UNIT_CURRENCY && json_object_get(obj, "currency")) {
		size_t mark = path_push_key(ld, "currency");
		problem(ld, "\"currency\" applies only to the unit \"currency\"");
		path_pop(ld, mark);
	}
}

static void read_indicator(struct loader *ld, json_t *obj, size_t result)
{
	static const char *const keys[] = {
		"code",       "title",         "definition", "unit",     "currency",
		"aggregation", "count_of",     "place_combine", "direction", "baseline",
		"targets",    "disaggregations", "illustrative", META_KEYS};
	rbm_xgrow(&ld->indicators, &ld->indicators_cap, ld->indicators_len + 1,
		  sizeof *ld->indicators);
	size_t index = ld->indicators_len++;
	struct rbm_indicator *ind = &ld->indicators[index];
	memset(ind, 0, sizeof *ind);
	ind->result = result;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	if (read_code(ld, obj, "code", true, &ind->code))
		seen_add(ld, &ld->indicator_codes, ind->code, index);
	read_text(ld, obj, "title", true, &ind->title);
	read_text(ld, obj, "definition", false, &ind->definition);
	READ_ENUM(ld, obj, "unit", true, rbm_unit_parse, &ind->unit,
		  "number, people, percent, currency, yesno, text");
	READ_ENUM(ld, obj, "aggregation", true, rbm_aggregation_parse, &ind->aggregation,
		  "sum, max, min, mean, latest, count_units");
	json_t *co = json_object_get(obj, "count_of");
	if (co) {
		size_t mark = path_push_key(ld, "count_of");
		if (!json_is_string(co) || !rbm_count_of_parse(json_string_value(co), &ind->count_of) ||
		    ind->count_of == RBM_COUNT_NONE) {
			ind->count_of = RBM_COUNT_NONE;
			expected(ld, "one of country, city", co);
		}
		path_pop(ld, mark);
	}
	READ_ENUM(ld, obj, "place_combine", false, rbm_place_combine_parse, &ind->place_combine,
		  "sum, max");
	READ_ENUM(ld, obj, "direction", false, rbm_direction_parse, &ind->direction,
		  "increase, decrease");
	json_t *cur = json_object_get(obj, "currency");
	if (cur) {
		size_t mark = path_push_key(ld, "currency");
		const char *s = json_is_string(cur) ? json_string_value(cur) : "";
		if (strlen(s) != 3 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' ||
		    s[2] < 'A' || s[2] > 'Z')
			expected(ld, "an ISO 4217 currency code such as USD", cur);
		else
			ind->currency = rbm_arena_strdup(ld->p->arena, s);
		path_pop(ld, mark);
	}
	check_rules(ld, obj, ind);
	read_baseline(ld, obj, ind);
	read_targets(ld, obj, ind);
	read_bool(ld, obj, "illustrative", &ind->illustrative);
	read_meta(ld, obj, &ind->meta);
	const char **codes;
	size_t n;
	if (read_strings(ld, obj, "disaggregations", true, &codes, &n)) {
		ind->disaggregations = rbm_arena_alloc(ld->p->arena, (n ? n : 1) * sizeof(size_t));
		size_t mark = path_push_key(ld, "disaggregations");
		for (size_t i = 0; i < n; i++) {
			size_t found = RBM_NONE;
			for (size_t g = 0; g < ld->p->disaggregations_len; g++)
				if (ld->p->disaggregations[g].code &&
				    strcmp(ld->p->disaggregations[g].code, codes[i]) == 0)
					found = g;
			size_t m2 = path_push_index(ld, i);
			if (found == RBM_NONE)
				problem(ld, "unknown disaggregation \"%s\"", codes[i]);
			else
				ind->disaggregations[ind->disaggregations_len++] = found;
			path_pop(ld, m2);
		}
		path_pop(ld, mark);
	}
}

/* ---- results tree ---- */

static void read_results(struct loader *ld, json_t *arr, unsigned level, size_t parent);

static void read_result(struct loader *ld, json_t *obj, unsigned level, size_t parent)
{
	static const char *const keys[] = {"code",       "title",      "short_title", "description",
					   "indicators", "programmes", "themes",      META_KEYS};
	const char *child_key = level + 1 < ld->p->levels_len ? ld->p->levels[level + 1].key : NULL;
	rbm_xgrow(&ld->results, &ld->results_cap, ld->results_len + 1, sizeof *ld->results);
	size_t index = ld->results_len++;
	struct rbm_result r;
	memset(&r, 0, sizeof r);
	r.level = level;
	r.parent = parent;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, child_key);
	if (read_code(ld, obj, "code", true, &r.code))
		seen_add(ld, &ld->result_codes, r.code, index);
	read_text(ld, obj, "title", true, &r.title);
	read_text(ld, obj, "short_title", false, &r.short_title);
	read_text(ld, obj, "description", false, &r.description);
	read_meta(ld, obj, &r.meta);
	read_tag_refs(ld, obj, "programmes", ld->p->programmes, ld->p->programmes_len, "programme",
		      &r.programmes, &r.programmes_len);
	read_tag_refs(ld, obj, "themes", ld->p->themes, ld->p->themes_len, "theme", &r.themes,
		      &r.themes_len);
	ld->results[index] = r;
	json_t *inds = json_object_get(obj, "indicators");
	if (inds) {
		size_t mark = path_push_key(ld, "indicators");
		if (!json_is_array(inds)) {
			expected(ld, "an array", inds);
		} else {
			for (size_t i = 0; i < json_array_size(inds); i++) {
				json_t *e = json_array_get(inds, i);
				size_t m2 = path_push_index(ld, i);
				if (json_is_object(e))
					read_indicator(ld, e, index);
				else
					expected(ld, "an object", e);
				path_pop(ld, m2);
			}
		}
		path_pop(ld, mark);
	}
	json_t *kids = child_key ? json_object_get(obj, child_key) : NULL;
	if (kids) {
		size_t mark = path_push_key(ld, child_key);
		read_results(ld, kids, level + 1, index);
		path_pop(ld, mark);
	}
}

static void read_results(struct loader *ld, json_t *arr, unsigned level, size_t parent)
{
	if (!json_is_array(arr)) {
		expected(ld, "an array", arr);
		return;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		size_t mark = path_push_index(ld, i);
		if (json_is_object(e))
			read_result(ld, e, level, parent);
		else
			expected(ld, "an object", e);
		path_pop(ld, mark);
	}
}

/* ---- offices and cities ---- */

static void office_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code",      "title",   "kind",       "parent", "seat",
					   "countries", "regions", "indicators", META_KEYS};
	struct rbm_office *o = elem;
	(void)i;
	o->parent = PARENT_NONE_GIVEN;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	read_code(ld, obj, "code", true, &o->code);
	read_text(ld, obj, "title", true, &o->title);
	READ_ENUM(ld, obj, "kind", true, rbm_office_kind_parse, &o->kind,
		  "headquarters, hq_unit, regional, liaison, country");
	read_string(ld, obj, "seat", false, &o->seat);
	read_meta(ld, obj, &o->meta);
	const char *parent = NULL;
	if (json_object_get(obj, "parent"))
		o->parent = RBM_NONE;
	if (read_code(ld, obj, "parent", false, &parent)) {
		size_t mark = path_push_key(ld, "parent");
		rbm_xgrow(&ld->office_parents, &ld->office_parents_cap, ld->office_parents_len + 1,
			  sizeof *ld->office_parents);
		ld->office_parents[ld->office_parents_len++] =
			(struct ref){parent, path_save(ld), &o->parent};
		path_pop(ld, mark);
	}
	if (read_strings(ld, obj, "countries", false, &o->countries, &o->countries_len) &&
	    ld->places) {
		size_t mark = path_push_key(ld, "countries");
		for (size_t k = 0; k < o->countries_len; k++) {
			if (rbm_places_country(ld->places, o->countries[k]) == NULL) {
				size_t m2 = path_push_index(ld, k);
				problem(ld, "unknown country \"%s\" (expected an ISO 3166-1 alpha-3 code)",
					o->countries[k]);
				path_pop(ld, m2);
			}
		}
		path_pop(ld, mark);
	}
	const char **inds;
	size_t ninds;
	if (read_strings(ld, obj, "indicators", true, &inds, &ninds)) {
		/* Results (and so indicators) are read before offices. */
		o->indicators = rbm_arena_alloc(ld->p->arena, (ninds ? ninds : 1) * sizeof(size_t));
		size_t mark = path_push_key(ld, "indicators");
		for (size_t k = 0; k < ninds; k++) {
			size_t found = seen_find(&ld->indicator_codes, inds[k]);
			size_t m2 = path_push_index(ld, k);
			if (found == RBM_NONE)
				problem(ld, "unknown indicator \"%s\"", inds[k]);
			else
				o->indicators[o->indicators_len++] = found;
			path_pop(ld, m2);
		}
		path_pop(ld, mark);
	}
	if (read_strings(ld, obj, "regions", false, &o->regions, &o->regions_len) && ld->places) {
		size_t mark = path_push_key(ld, "regions");
		for (size_t k = 0; k < o->regions_len; k++) {
			if (rbm_places_region(ld->places, o->regions[k]) == NULL) {
				size_t m2 = path_push_index(ld, k);
				problem(ld, "unknown region \"%s\" (expected a UN M49 region code such as \"002\")",
					o->regions[k]);
				path_pop(ld, m2);
			}
		}
		path_pop(ld, mark);
	}
}

static void city_fn(struct loader *ld, json_t *obj, void *elem, size_t i)
{
	static const char *const keys[] = {"code", "country", "title", META_KEYS};
	struct rbm_city *c = elem;
	(void)i;
	check_keys(ld, obj, keys, sizeof keys / sizeof *keys, NULL);
	read_code(ld, obj, "code", true, &c->code);
	read_text(ld, obj, "title", true, &c->title);
	read_meta(ld, obj, &c->meta);
	if (read_code(ld, obj, "country", true, &c->country) && ld->places &&
	    rbm_places_country(ld->places, c->country) == NULL) {
		size_t mark = path_push_key(ld, "country");
		problem(ld, "unknown country \"%s\" (expected an ISO 3166-1 alpha-3 code)", c->country);
		path_pop(ld, mark);
	}
}

/* Resolves office parents; exactly one headquarters; no cycles. */
static void check_offices(struct loader *ld)
{
	struct rbm_plan *p = ld->p;
	struct seen_list codes = {0};
	for (size_t i = 0; i < p->offices_len; i++)
		if (p->offices[i].code)
			seen_add(ld, &codes, p->offices[i].code, i);
	if (codes.len > 1)
		qsort(codes.v, codes.len, sizeof *codes.v, cmp_seen);
	for (size_t i = 0; i < ld->office_parents_len; i++) {
		struct ref *r = &ld->office_parents[i];
		*r->slot = seen_find(&codes, r->code);
		if (*r->slot == RBM_NONE)
			problem_at(ld, r->path, "unknown office \"%s\"", r->code);
	}
	free(codes.v);
	size_t hq = 0;
	for (size_t i = 0; i < p->offices_len; i++) {
		struct rbm_office *o = &p->offices[i];
		char path[64];
		snprintf(path, sizeof path, "$.offices[%zu]", i);
		if (o->code == NULL)
			continue;
		if (o->parent == PARENT_NONE_GIVEN) {
			o->parent = RBM_NONE;
			if (o->kind == RBM_OFFICE_HEADQUARTERS && ++hq > 1)
				problem_at(ld, path, "a second headquarters office (only one may have no parent)");
			else if (o->kind != RBM_OFFICE_HEADQUARTERS)
				problem_at(ld, path, "office \"%s\" needs a \"parent\"", o->code);
		}
	}
	for (size_t i = 0; i < p->offices_len; i++) {
		/* Walk up: a cycle comes back here within offices_len steps. */
		size_t at = p->offices[i].parent, steps = 0;
		while (at != RBM_NONE && steps <= p->offices_len) {
			if (at == i) {
				char path[64];
				snprintf(path, sizeof path, "$.offices[%zu]", i);
				problem_at(ld, path, "office \"%s\" is its own ancestor (a cycle of parents)",
					   p->offices[i].code);
				break;
			}
			at = p->offices[at].parent;
			steps++;
		}
	}
	if (hq == 0 && p->offices_len > 0)
		problem_at(ld, "$.offices", "no headquarters office (kind \"headquarters\" without a parent)");
}

/* ---- the document ---- */

/* Nesting depth of the raw text, outside strings; stops early past max. */
static size_t nesting(const char *s, size_t n, size_t max, size_t *line)
{
	size_t depth = 0, deepest = 0;
	bool in_str = false;
	*line = 1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n')
			(*line)++;
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > deepest)
				deepest = depth;
			if (deepest > max)
				return deepest;
		} else if (c == '}' || c == ']') {
			if (depth)
				depth--;
		}
	}
	return deepest;
}

static void read_levels(struct loader *ld, json_t *root)
{
	struct rbm_plan *p = ld->p;
	void *arr;
	if (json_object_get(root, "levels")) {
		p->levels_len = read_array(ld, root, "levels", sizeof *p->levels, level_fn, &arr);
		p->levels = arr;
		size_t mark = path_push_key(ld, "levels");
		if (p->levels_len == 0 || p->levels_len > RBM_PLAN_MAX_LEVELS)
			problem(ld, "needs 1-%d levels, got %zu", RBM_PLAN_MAX_LEVELS, p->levels_len);
		for (size_t i = 0; i < p->levels_len; i++) {
			for (size_t k = 0; k < i; k++) {
				if (p->levels[i].key && p->levels[k].key &&
				    strcmp(p->levels[i].key, p->levels[k].key) == 0) {
					size_t m2 = path_push_index(ld, i);
					problem(ld, "duplicate level key \"%s\"", p->levels[i].key);
					path_pop(ld, m2);
				}
			}
		}
		path_pop(ld, mark);
		for (size_t i = 0; i < p->levels_len; i++)
			if (p->levels[i].key == NULL)
				p->levels_len = 0; /* unusable; problems already reported */
	} else {
		static const char *const keys[] = {"domains", "outcomes", "outputs"};
		static const char *const titles[] = {"Domain of change", "Outcome", "Output"};
		p->levels = rbm_arena_alloc(p->arena, 3 * sizeof *p->levels);
		p->levels_len = 3;
		for (int i = 0; i < 3; i++) {
			p->levels[i].key = keys[i];
			p->levels[i].title.s[RBM_LANG_EN] = titles[i];
		}
	}
}

static const char *const top_keys[] = {
	"rbm_plan", "code", "title", "subtitle", "description", "first_year", "last_year",
	"about", "thresholds", "iati", "levels", "disaggregations", "programmes", "themes",
	"drivers", "enablers", "offices", "cities", META_KEYS};

/*
 * An IATI identifier: letters, digits, '.', '_' and '-', at most 100, with a
 * '-' between a registration agency's code and the number it issued.
 */
static bool valid_iati_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 100 || s[0] == '-' || s[n - 1] == '-' || strchr(s, '-') == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* "iati": {"reporting_org": {"ref", "type", "name"}, "activity_prefix"} (docs/plan-format.md). */
static void read_iati(struct loader *ld, json_t *root)
{
	struct rbm_iati *x = &ld->p->iati;
	json_t *iati = json_object_get(root, "iati");
	if (iati == NULL)
		return;
	static const char *const keys[] = {"reporting_org", "activity_prefix"};
	static const char *const org_keys[] = {"ref", "type", "name"};
	size_t mark = path_push_key(ld, "iati");
	if (!json_is_object(iati)) {
		expected(ld, "an object", iati);
		path_pop(ld, mark);
		return;
	}
	check_keys(ld, iati, keys, 2, NULL);
	const char *ref = NULL, *type = NULL, *prefix = NULL;
	json_t *org = field(ld, iati, "reporting_org", true);
	if (org) {
		size_t m2 = path_push_key(ld, "reporting_org");
		if (!json_is_object(org)) {
			expected(ld, "an object", org);
		} else {
			check_keys(ld, org, org_keys, 3, NULL);
			if (read_string(ld, org, "ref", true, &ref) && !valid_iati_id(ref)) {
				size_t m3 = path_push_key(ld, "ref");
				problem(ld, "expected an organisation identifier: a registration agency's code, "
					    "\"-\" and the number it issued (3-100 letters, digits, . _ -), got \"%s\"",
					ref);
				path_pop(ld, m3);
				ref = NULL;
			}
			if (read_string(ld, org, "type", true, &type) &&
			    !(strlen(type) == 2 && type[0] >= '1' && type[0] <= '9' && type[1] >= '0' &&
			      type[1] <= '9')) {
				size_t m3 = path_push_key(ld, "type");
				problem(ld, "expected a code of IATI's OrganisationType codelist (two digits, "
					    "e.g. \"40\" for a multilateral organisation), got \"%s\"",
					type);
				path_pop(ld, m3);
				type = NULL;
			}
			read_text(ld, org, "name", true, &x->org_name);
		}
		path_pop(ld, m2);
	}
	if (read_string(ld, iati, "activity_prefix", true, &prefix)) {
		size_t m2 = path_push_key(ld, "activity_prefix");
		size_t rlen = ref ? strlen(ref) : 0;
		if (!valid_iati_id(prefix)) {
			problem(ld, "expected an activity identifier (3-100 letters, digits, . _ -), got \"%s\"",
				prefix);
			prefix = NULL;
		} else if (ref && !(strncmp(prefix, ref, rlen) == 0 && prefix[rlen] == '-' &&
				    prefix[rlen + 1] != '\0')) {
			problem(ld, "must begin with the reporting organisation's identifier \"%s\" and \"-\" "
				    "(IATI activity identifiers are prefixed with it), got \"%s\"",
				ref, prefix);
			prefix = NULL;
		}
		path_pop(ld, m2);
	}
	x->org_ref = ref;
	x->org_type = type;
	x->activity_prefix = prefix;
	path_pop(ld, mark);
}

static void read_top(struct loader *ld, json_t *root)
{
	struct rbm_plan *p = ld->p;
	void *arr;
	size_t ntop = sizeof top_keys / sizeof *top_keys;

	int version = 0;
	if (read_int(ld, root, "rbm_plan", true, 0, 1000, &version) && version != 1) {
		size_t mark = path_push_key(ld, "rbm_plan");
		problem(ld, "format version %d is not supported (this rbm reads version 1)", version);
		path_pop(ld, mark);
	}
	read_levels(ld, root);
	for (size_t i = 0; i < p->levels_len; i++) {
		for (size_t k = 0; k < ntop; k++) {
			if (strcmp(p->levels[i].key, top_keys[k]) == 0) {
				size_t mark = path_push_key(ld, "levels");
				size_t m2 = path_push_index(ld, i);
				problem(ld, "level key \"%s\" is a reserved top-level key", top_keys[k]);
				path_pop(ld, m2);
				path_pop(ld, mark);
				p->levels_len = 0;
			}
		}
	}
	check_keys(ld, root, top_keys, ntop, p->levels_len ? p->levels[0].key : NULL);
	read_code(ld, root, "code", true, &p->code);
	read_text(ld, root, "title", true, &p->title);
	read_text(ld, root, "subtitle", false, &p->subtitle);
	read_text(ld, root, "description", false, &p->description);
	read_meta(ld, root, &p->meta);
	bool fy = read_int(ld, root, "first_year", true, 1900, 2200, &p->first_year);
	bool ly = read_int(ld, root, "last_year", true, 1900, 2200, &p->last_year);
	if (fy && ly && p->first_year > p->last_year) {
		size_t mark = path_push_key(ld, "last_year");
		problem(ld, "the last year %d comes before the first year %d", p->last_year,
			p->first_year);
		path_pop(ld, mark);
	}
	ld->years_ok = fy && ly && p->first_year <= p->last_year;

	json_t *about = json_object_get(root, "about");
	if (about) {
		static const char *const keys[] = {"illustrative_indicators", "note", "sources",
						   "approved_by"};
		size_t mark = path_push_key(ld, "about");
		if (!json_is_object(about)) {
			expected(ld, "an object", about);
		} else {
			check_keys(ld, about, keys, 4, NULL);
			read_bool(ld, about, "illustrative_indicators", &p->illustrative_indicators);
			read_text(ld, about, "note", false, &p->about_note);
			read_string(ld, about, "approved_by", false, &p->approved_by);
			const char **src;
			size_t n;
			if (read_strings(ld, about, "sources", false, &src, &n)) {
				/* about.sources and top-level sources are one list. */
				const char **all = rbm_arena_alloc(
					p->arena, (n + p->meta.sources_len + 1) * sizeof *all);
				for (size_t k = 0; k < p->meta.sources_len; k++)
					all[k] = p->meta.sources[k];
				for (size_t k = 0; k < n; k++)
					all[p->meta.sources_len + k] = src[k];
				p->meta.sources = all;
				p->meta.sources_len += n;
			}
		}
		path_pop(ld, mark);
	}
	json_t *th = json_object_get(root, "thresholds");
	if (th) {
		static const char *const keys[] = {"achieved", "on_track"};
		size_t mark = path_push_key(ld, "thresholds");
		if (!json_is_object(th)) {
			expected(ld, "an object", th);
		} else {
			check_keys(ld, th, keys, 2, NULL);
			read_number(ld, th, "achieved", false, &p->threshold_achieved);
			read_number(ld, th, "on_track", false, &p->threshold_on_track);
			if (!(p->threshold_on_track > 0 && p->threshold_on_track <= p->threshold_achieved))
				problem(ld, "needs 0 < on_track (%g) <= achieved (%g)",
					p->threshold_on_track, p->threshold_achieved);
		}
		path_pop(ld, mark);
	}
	read_iati(ld, root);

	p->disaggregations_len = read_array(ld, root, "disaggregations",
					    sizeof *p->disaggregations, disaggregation_fn, &arr);
	p->disaggregations = arr;
	unique_codes(ld, "disaggregations", "disaggregation", p->disaggregations,
		     p->disaggregations_len, sizeof *p->disaggregations);
	p->programmes_len = read_array(ld, root, "programmes", sizeof(struct rbm_tag), programme_fn,
				       &arr);
	p->programmes = arr;
	unique_codes(ld, "programmes", "programme", p->programmes, p->programmes_len,
		     sizeof(struct rbm_tag));
	p->themes_len = read_array(ld, root, "themes", sizeof(struct rbm_tag), theme_fn, &arr);
	p->themes = arr;
	unique_codes(ld, "themes", "theme", p->themes, p->themes_len, sizeof(struct rbm_tag));
	p->drivers_len = read_array(ld, root, "drivers", sizeof(struct rbm_tag), plain_tag_fn, &arr);
	p->drivers = arr;
	unique_codes(ld, "drivers", "driver", p->drivers, p->drivers_len, sizeof(struct rbm_tag));
	p->enablers_len = read_array(ld, root, "enablers", sizeof(struct rbm_tag), plain_tag_fn,
				     &arr);
	p->enablers = arr;
	unique_codes(ld, "enablers", "enabler", p->enablers, p->enablers_len,
		     sizeof(struct rbm_tag));

	if (p->levels_len > 0) {
		json_t *tree = json_object_get(root, p->levels[0].key);
		if (tree) {
			size_t mark = path_push_key(ld, p->levels[0].key);
			read_results(ld, tree, 0, RBM_NONE);
			path_pop(ld, mark);
		}
	}
	check_unique(ld, &ld->result_codes, "result");
	check_unique(ld, &ld->indicator_codes, "indicator");

	p->offices_len = read_array(ld, root, "offices", sizeof *p->offices, office_fn, &arr);
	p->offices = arr;
	unique_codes(ld, "offices", "office", p->offices, p->offices_len, sizeof *p->offices);
	check_offices(ld);
	p->cities_len = read_array(ld, root, "cities", sizeof *p->cities, city_fn, &arr);
	p->cities = arr;
	unique_codes(ld, "cities", "city", p->cities, p->cities_len, sizeof *p->cities);
}

enum rbm_rc rbm_plan_parse(const char *json, size_t json_len, const char *file,
			   const struct rbm_places *places, struct rbm_plan **out,
			   struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_EINVAL;
	json_t *root = NULL;
	struct loader ld;
	memset(&ld, 0, sizeof ld);
	ld.file = file;
	ld.places = places;
	ld.d = d;
	ld.tmp = rbm_arena_new();
	ld.p = rbm_plan_new();
	rbm_buf_init(&ld.path, 0);
	rbm_buf_adds(&ld.path, "$");

	size_t i = 0;
	while (i < json_len && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t'))
		i++;
	if (i == json_len) {
		rbm_diag_add(d, file, NULL, "the file is empty (expected a JSON plan definition)");
		goto out;
	}
	if (json_len > RBM_PLAN_MAX_BYTES) {
		rbm_diag_add(d, file, NULL, "the plan is %zu bytes, larger than the limit of %zu",
			     json_len, RBM_PLAN_MAX_BYTES);
		rc = RBM_ETOOBIG;
		goto out;
	}
	size_t line;
	if (nesting(json, json_len, RBM_PLAN_MAX_DEPTH, &line) > RBM_PLAN_MAX_DEPTH) {
		char where[32];
		snprintf(where, sizeof where, "line %zu", line);
		rbm_diag_add(d, file, where, "the JSON nests deeper than %d levels", RBM_PLAN_MAX_DEPTH);
		goto out;
	}
	json_error_t err;
	root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		char where[64];
		snprintf(where, sizeof where, "line %d, column %d", err.line, err.column);
		rbm_diag_add(d, file, where, "invalid JSON: %s", err.text);
		goto out;
	}
	if (!json_is_object(root)) {
		expected(&ld, "an object (the plan)", root);
		goto out;
	}
	read_top(&ld, root);
	if (ld.problems > 0)
		goto out;
	struct rbm_plan *p = ld.p;
	p->results = rbm_arena_alloc(p->arena, (ld.results_len ? ld.results_len : 1) *
						       sizeof *p->results);
	if (ld.results_len)
		memcpy(p->results, ld.results, ld.results_len * sizeof *p->results);
	p->results_len = ld.results_len;
	p->indicators = rbm_arena_alloc(p->arena, (ld.indicators_len ? ld.indicators_len : 1) *
							  sizeof *p->indicators);
	if (ld.indicators_len)
		memcpy(p->indicators, ld.indicators, ld.indicators_len * sizeof *p->indicators);
	p->indicators_len = ld.indicators_len;
	*out = p;
	ld.p = NULL;
	rc = RBM_OK;
out:
	json_decref(root);
	rbm_plan_free(ld.p);
	free(ld.results);
	free(ld.indicators);
	free(ld.result_codes.v);
	free(ld.indicator_codes.v);
	free(ld.office_parents);
	rbm_buf_free(&ld.path);
	rbm_arena_free(ld.tmp);
	return rc;
}

enum rbm_rc rbm_plan_load(const char *path, const struct rbm_places *places,
			  struct rbm_plan **out, struct rbm_diag *d)
{
	char *data = NULL;
	size_t len = 0;
	const char *slash = strrchr(path, '/');
	const char *name = path;
	(void)slash;
	enum rbm_rc rc = rbm_fs_read(path, RBM_PLAN_MAX_BYTES, &data, &len, d);
	if (rc == RBM_OK)
		rc = rbm_plan_parse(data, len, name, places, out, d);
	free(data);
	return rc;
}
