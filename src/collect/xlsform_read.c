/*
 * xlsform_read.c - reading any XLSForm into a generic form.
 *
 * XLSForms come from many hands: rbm's own export (xlsform_write.c), the
 * KoBoToolbox and ODK templates, and years-old files with "label::english"
 * headers. This reader takes them as pyxform, the reference converter,
 * does where it matters: sheets and headers matched ignoring case and
 * surrounding spaces, the header aliases in common use, translations in
 * "kind::language" columns, groups and repeats nested and balanced, names
 * unique among the children of one group, select lists present in the
 * choices sheet. It keeps expressions as text and does not judge types,
 * so a form with question types rbm never writes still reads.
 *
 * The sheets are streamed (survey, then choices, then settings); checks
 * that need more than one row run at the end, and every problem found is
 * reported at once, in sheet and row order.
 */
#include "collect.h"

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/sort.h"
#include "../core/xlsx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum sheet_id { SH_SURVEY, SH_CHOICES, SH_SETTINGS, SH_COUNT };

static const char *const sheet_names[SH_COUNT] = {"survey", "choices", "settings"};

/* What a column holds. */
enum kind {
	K_NONE,
	/* survey */
	K_TYPE, K_NAME, K_LABEL, K_HINT, K_CMSG, K_REQUIRED, K_CONSTRAINT, K_RELEVANT,
	K_CALCULATION, K_APPEARANCE, K_REPEAT_COUNT, K_DISABLED,
	/* choices (and K_NAME, K_LABEL) */
	K_LIST,
	/* settings */
	K_TITLE, K_ID, K_VERSION, K_DEFAULT_LANGUAGE, K_ALLOW_DUPLICATES,
	K_COUNT
};

#define ON(s) (1u << (s))

/* Header names (lowercase, '_' for spaces, "bind::"/"control::" removed) and their aliases. */
static const struct {
	const char *name;
	enum kind kind;
	unsigned sheets;
} headers[] = {
	{"type", K_TYPE, ON(SH_SURVEY)},
	{"name", K_NAME, ON(SH_SURVEY) | ON(SH_CHOICES)},
	{"label", K_LABEL, ON(SH_SURVEY) | ON(SH_CHOICES)},
	{"hint", K_HINT, ON(SH_SURVEY)},
	{"constraint_message", K_CMSG, ON(SH_SURVEY)},
	{"jr:constraintmsg", K_CMSG, ON(SH_SURVEY)},
	{"required", K_REQUIRED, ON(SH_SURVEY)},
	{"constraint", K_CONSTRAINT, ON(SH_SURVEY)},
	{"relevant", K_RELEVANT, ON(SH_SURVEY)},
	{"calculation", K_CALCULATION, ON(SH_SURVEY)},
	{"calculate", K_CALCULATION, ON(SH_SURVEY)},
	{"appearance", K_APPEARANCE, ON(SH_SURVEY)},
	{"repeat_count", K_REPEAT_COUNT, ON(SH_SURVEY)},
	{"jr:count", K_REPEAT_COUNT, ON(SH_SURVEY)},
	{"disabled", K_DISABLED, ON(SH_SURVEY)},
	{"list_name", K_LIST, ON(SH_CHOICES)},
	{"form_title", K_TITLE, ON(SH_SETTINGS)},
	{"title", K_TITLE, ON(SH_SETTINGS)},
	{"set_form_title", K_TITLE, ON(SH_SETTINGS)},
	{"form_id", K_ID, ON(SH_SETTINGS)},
	{"id_string", K_ID, ON(SH_SETTINGS)},
	{"set_form_id", K_ID, ON(SH_SETTINGS)},
	{"version", K_VERSION, ON(SH_SETTINGS)},
	{"default_language", K_DEFAULT_LANGUAGE, ON(SH_SETTINGS)},
	{"allow_choice_duplicates", K_ALLOW_DUPLICATES, ON(SH_SETTINGS)},
};

static bool translated(enum kind k)
{
	return k == K_LABEL || k == K_HINT || k == K_CMSG;
}

struct column {
	enum kind kind;
	size_t lang;  /* translated kinds: the index into x->langs */
	char *header; /* as written, trimmed: for messages */
};

/* What the type column says, for the checks. */
enum tkind { T_OTHER, T_BEGIN_GROUP, T_END_GROUP, T_BEGIN_REPEAT, T_END_REPEAT, T_SELECT,
	     T_SELECT_UNCHECKED };

struct qinfo {
	enum tkind kind;
	size_t parent; /* the enclosing begin row's question, or RBM_XLSX_NONE */
};

struct problem {
	enum sheet_id sheet;
	size_t row;
	char *where;
	char *reason;
};

struct reader {
	const char *path;
	struct rbm_diag *d;
	struct rbm_xlsform *x;
	size_t langs_cap, questions_cap, choices_cap;
	struct qinfo *info;       /* parallel to x->questions */
	size_t info_cap;
	size_t survey_langs;      /* x->langs_len when the survey's arrays were sized */
	/* the sheet being read */
	enum sheet_id sheet;
	struct column *cols;
	size_t cols_len;
	size_t header_row;        /* 0 until the header is read */
	size_t first[K_COUNT];    /* the first column of each kind, or RBM_XLSX_NONE */
	bool settings_done;
	bool allow_duplicates;
	bool has_choices;
	/* headers as written, for problems found after their sheet is read */
	char *type_header, *name_header, *choice_name_header;
	/* open groups and repeats: question indices */
	size_t *stack;
	size_t stack_len, stack_cap;
	struct problem *problems;
	size_t problems_len, problems_cap;
	enum rbm_rc fatal;        /* stops the reading: RBM_ETOOBIG */
};

/* ---- text helpers ---- */

static bool is_space(const char *s, size_t *len)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f') {
		*len = 1;
		return true;
	}
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) { /* no-break space */
		*len = 2;
		return true;
	}
	return false;
}

/* A copy of s without surrounding spaces; NULL when nothing is left. */
static char *trimmed(const char *s)
{
	size_t k;
	while (*s && is_space(s, &k))
		s += k;
	size_t n = strlen(s);
	while (n > 0) {
		if (is_space(s + n - 1, &k))
			n--;
		else if (n >= 2 && is_space(s + n - 2, &k) && k == 2)
			n -= 2;
		else
			break;
	}
	return n ? rbm_xstrndup(s, n) : NULL;
}

/* A copy of s as written; NULL when empty. */
static char *verbatim(const char *s)
{
	return s && *s ? rbm_xstrdup(s) : NULL;
}

static bool truthy(const char *s)
{
	return s && (strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0 ||
		     strcasecmp(s, "true()") == 0 || strcmp(s, "1") == 0);
}

static const char *cell(const struct rbm_xlsx_cell *cells, size_t n, size_t col)
{
	return col != RBM_XLSX_NONE && col < n ? cells[col].text : "";
}

/* ---- problems ---- */

/* Records a problem at row of sheet (0: the sheet as a whole), in column (may be NULL). */
static void problem(struct reader *r, enum sheet_id sheet, size_t row, const char *column,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem(struct reader *r, enum sheet_id sheet, size_t row, const char *column,
		    const char *fmt, ...)
{
	rbm_xgrow(&r->problems, &r->problems_cap, r->problems_len + 1, sizeof *r->problems);
	struct problem *p = &r->problems[r->problems_len++];
	p->sheet = sheet;
	p->row = row;
	if (row == 0)
		p->where = rbm_xstrdup(sheet_names[sheet]);
	else if (column)
		p->where = rbm_xasprintf("%s row %zu, column %s", sheet_names[sheet], row, column);
	else
		p->where = rbm_xasprintf("%s row %zu", sheet_names[sheet], row);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	rbm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	p->reason = rbm_buf_take(&b);
}

/* The header of the current sheet's first column of kind k, or NULL. */
static const char *header_of(const struct reader *r, enum kind k)
{
	return r->first[k] != RBM_XLSX_NONE ? r->cols[r->first[k]].header : NULL;
}

static int problem_cmp(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	const struct problem *p = a, *q = b;
	if (p->sheet != q->sheet)
		return p->sheet < q->sheet ? -1 : 1;
	return p->row < q->row ? -1 : p->row > q->row;
}

/* ---- headers ---- */

/* The index of lang in x->langs (ignoring case), added if new; RBM_XLSX_NONE past the limit. */
static size_t lang_index(struct reader *r, const char *lang)
{
	struct rbm_xlsform *x = r->x;
	for (size_t i = 0; i < x->langs_len; i++)
		if (strcasecmp(x->langs[i], lang) == 0)
			return i;
	if (x->langs_len >= RBM_XLSFORM_MAX_LANGS)
		return RBM_XLSX_NONE;
	rbm_xgrow(&x->langs, &r->langs_cap, x->langs_len + 1, sizeof *x->langs);
	x->langs[x->langs_len] = rbm_xstrdup(lang);
	return x->langs_len++;
}

/*
 * Classifies header h of the current sheet: sets c->kind and, for a
 * translated kind, *lang to the language as written ("" for none; free it).
 */
static void classify(struct reader *r, const char *h, struct column *c, char **lang)
{
	c->kind = K_NONE;
	*lang = NULL;
	char *key = rbm_xstrdup(h);
	for (char *p = key; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	const char *k = key;
	if (strncmp(k, "bind::", 6) == 0)
		k += 6;
	else if (strncmp(k, "control::", 9) == 0)
		k += 9;
	const char *sep = strstr(k, "::");
	char *kind = sep ? rbm_xstrndup(k, (size_t)(sep - k)) : rbm_xstrdup(k);
	char *t = trimmed(kind);
	free(kind);
	kind = t ? t : rbm_xstrdup("");
	for (char *p = kind; *p; p++)
		if (*p == ' ')
			*p = '_';
	for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
		if ((headers[i].sheets & ON(r->sheet)) == 0 || strcmp(headers[i].name, kind) != 0)
			continue;
		if (translated(headers[i].kind)) {
			/* The language keeps the header's spelling, not the lowercase key's. */
			const char *lang_at = sep ? h + (sep - key) + 2 : NULL;
			char *l = lang_at ? trimmed(lang_at) : NULL;
			*lang = l ? l : rbm_xstrdup("");
			c->kind = headers[i].kind;
		} else if (sep == NULL) {
			c->kind = headers[i].kind; /* "required::English" and the like: not ours */
		}
		break;
	}
	free(kind);
	free(key);
}

static void read_header(struct reader *r, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	r->header_row = row;
	r->cols = rbm_xcalloc(n, sizeof *r->cols);
	r->cols_len = n;
	for (size_t k = 0; k < K_COUNT; k++)
		r->first[k] = RBM_XLSX_NONE;
	char **langs = rbm_xcalloc(n, sizeof *langs);
	for (size_t i = 0; i < n; i++) {
		struct column *c = &r->cols[i];
		char *h = trimmed(cells[i].text);
		c->header = h ? h : rbm_xasprintf("%zu", i + 1);
		if (h)
			classify(r, h, c, &langs[i]);
		if (c->kind != K_NONE && !translated(c->kind) && r->first[c->kind] == RBM_XLSX_NONE)
			r->first[c->kind] = i;
	}
	/* Label languages first, then those only hints or messages have. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			struct column *c = &r->cols[i];
			if (!translated(c->kind) || (pass == 0) != (c->kind == K_LABEL))
				continue;
			c->lang = lang_index(r, langs[i]);
			if (c->lang != RBM_XLSX_NONE)
				continue;
			c->kind = K_NONE;
			if (r->fatal == RBM_OK) {
				rbm_diag_add(r->d, r->path, sheet_names[r->sheet],
					     "more than %zu languages", RBM_XLSFORM_MAX_LANGS);
				r->fatal = RBM_ETOOBIG;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(langs[i]);
	free(langs);
	/* The second column of a kind (and language) is ignored. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i && translated(r->cols[i].kind); j++)
			if (r->cols[j].kind == r->cols[i].kind && r->cols[j].lang == r->cols[i].lang) {
				r->cols[i].kind = K_NONE;
				break;
			}
}

static void reset_sheet(struct reader *r, enum sheet_id s)
{
	for (size_t i = 0; i < r->cols_len; i++)
		free(r->cols[i].header);
	free(r->cols);
	r->cols = NULL;
	r->cols_len = 0;
	r->header_row = 0;
	for (size_t k = 0; k < K_COUNT; k++)
		r->first[k] = RBM_XLSX_NONE;
	r->sheet = s;
}

/* Reports a missing column that the sheet needs. */
static void need_column(struct reader *r, enum kind k, const char *name)
{
	if (r->first[k] == RBM_XLSX_NONE)
		problem(r, r->sheet, r->header_row, NULL, "no column \"%s\"", name);
}

/* The translations of one row, sized like x->langs. */
static char **translations(struct reader *r, enum kind k, const struct rbm_xlsx_cell *cells,
			   size_t n)
{
	char **v = rbm_xcalloc(r->x->langs_len, sizeof *v);
	for (size_t i = 0; i < r->cols_len && i < n; i++)
		if (r->cols[i].kind == k)
			v[r->cols[i].lang] = verbatim(cells[i].text);
	return v;
}

static bool row_has(const struct reader *r, enum kind k, const struct rbm_xlsx_cell *cells,
		    size_t n)
{
	for (size_t i = 0; i < r->cols_len && i < n; i++)
		if (r->cols[i].kind == k && cells[i].text[0] != '\0')
			return true;
	return false;
}

static enum rbm_rc too_many(struct reader *r, size_t row)
{
	char where[64];
	snprintf(where, sizeof where, "%s row %zu", sheet_names[r->sheet], row);
	rbm_diag_add(r->d, r->path, where, "more than %zu rows", RBM_XLSFORM_MAX_ROWS);
	return r->fatal = RBM_ETOOBIG;
}

/* ---- survey ---- */

/* "begin group", "begin_group" and "Begin  Group" are all "begin_group". */
static bool type_is(const char *type, const char *want)
{
	for (; *type; type++) {
		if (*type == ' ' || *type == '_') {
			if (*want != '_')
				return false;
			while (type[1] == ' ' || type[1] == '_')
				type++;
			want++;
			continue;
		}
		char c = *type >= 'A' && *type <= 'Z' ? (char)(*type - 'A' + 'a') : *type;
		if (c != *want++)
			return false;
	}
	return *want == '\0';
}

/* The n-th word of s (0-based), as a new string, or NULL. */
static char *word(const char *s, size_t n)
{
	for (size_t i = 0;; i++) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return NULL;
		const char *e = s;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		if (i == n)
			return rbm_xstrndup(s, (size_t)(e - s));
		s = e;
	}
}

/* Sets q->list and returns what the type means for the checks. */
static enum tkind parse_type(struct reader *r, size_t row, struct rbm_xlsform_question *q)
{
	static const char *const checked[] = {"select_one", "select_multiple", "rank"};
	static const char *const unchecked[] = {"select_one_from_file", "select_multiple_from_file",
						"select_one_external", "select_multiple_external"};
	if (type_is(q->type, "begin_group"))
		return T_BEGIN_GROUP;
	if (type_is(q->type, "end_group"))
		return T_END_GROUP;
	if (type_is(q->type, "begin_repeat"))
		return T_BEGIN_REPEAT;
	if (type_is(q->type, "end_repeat"))
		return T_END_REPEAT;
	enum tkind kind = T_OTHER;
	char *first = word(q->type, 0);
	for (size_t i = 0; i < sizeof checked / sizeof *checked; i++)
		if (strcasecmp(first, checked[i]) == 0)
			kind = T_SELECT;
	for (size_t i = 0; i < sizeof unchecked / sizeof *unchecked; i++)
		if (strcasecmp(first, unchecked[i]) == 0)
			kind = T_SELECT_UNCHECKED;
	if (kind != T_OTHER) {
		const char *col = header_of(r, K_TYPE);
		q->list = word(q->type, 1);
		char *extra = word(q->type, 2);
		char *more = word(q->type, 3);
		if (q->list == NULL) {
			problem(r, SH_SURVEY, row, col, "\"%s\" needs a %s after it", first,
				kind == T_SELECT ? "list name" : "file name");
			kind = T_OTHER;
		} else if (extra && (kind != T_SELECT || strcmp(extra, "or_other") != 0 || more)) {
			problem(r, SH_SURVEY, row, col, "unexpected \"%s\" after the list name in \"%s\"",
				more && strcmp(extra, "or_other") == 0 ? more : extra, q->type);
		}
		free(more);
		free(extra);
	}
	free(first);
	return kind;
}

static enum rbm_rc survey_row(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct reader *r = ctx;
	struct rbm_xlsform *x = r->x;
	if (r->header_row == 0) {
		read_header(r, row, cells, n);
		need_column(r, K_TYPE, "type");
		need_column(r, K_NAME, "name");
		r->survey_langs = x->langs_len;
		if (header_of(r, K_TYPE))
			r->type_header = rbm_xstrdup(header_of(r, K_TYPE));
		if (header_of(r, K_NAME))
			r->name_header = rbm_xstrdup(header_of(r, K_NAME));
		return r->fatal;
	}
	if (r->type_header == NULL || truthy(cell(cells, n, r->first[K_DISABLED])))
		return RBM_OK; /* no type column: reported with the header */
	char *type = trimmed(cell(cells, n, r->first[K_TYPE]));
	char *name = trimmed(cell(cells, n, r->first[K_NAME]));
	if (type == NULL) {
		if (name)
			problem(r, SH_SURVEY, row, r->type_header, "no type for \"%s\"", name);
		else if (row_has(r, K_LABEL, cells, n))
			problem(r, SH_SURVEY, row, r->type_header, "a label but no type");
		free(name);
		return RBM_OK;
	}
	if (x->questions_len >= RBM_XLSFORM_MAX_ROWS) {
		free(type);
		free(name);
		return too_many(r, row);
	}
	rbm_xgrow(&x->questions, &r->questions_cap, x->questions_len + 1, sizeof *x->questions);
	rbm_xgrow(&r->info, &r->info_cap, x->questions_len + 1, sizeof *r->info);
	size_t qi = x->questions_len++;
	struct rbm_xlsform_question *q = &x->questions[qi];
	memset(q, 0, sizeof *q);
	q->type = type;
	q->name = name;
	q->row = row;
	q->labels = translations(r, K_LABEL, cells, n);
	q->hints = translations(r, K_HINT, cells, n);
	q->constraint_messages = translations(r, K_CMSG, cells, n);
	q->required = trimmed(cell(cells, n, r->first[K_REQUIRED]));
	q->constraint = trimmed(cell(cells, n, r->first[K_CONSTRAINT]));
	q->relevant = trimmed(cell(cells, n, r->first[K_RELEVANT]));
	q->calculation = trimmed(cell(cells, n, r->first[K_CALCULATION]));
	q->appearance = trimmed(cell(cells, n, r->first[K_APPEARANCE]));
	q->repeat_count = trimmed(cell(cells, n, r->first[K_REPEAT_COUNT]));

	struct qinfo *in = &r->info[qi];
	in->kind = parse_type(r, row, q);
	bool end = in->kind == T_END_GROUP || in->kind == T_END_REPEAT;
	if (end) {
		bool repeat = in->kind == T_END_REPEAT;
		const char *what = repeat ? "repeat" : "group";
		if (r->stack_len == 0) {
			problem(r, SH_SURVEY, row, r->type_header,
				"\"%s\" without a \"begin %s\" before it", q->type, what);
		} else {
			const struct rbm_xlsform_question *b = &x->questions[r->stack[--r->stack_len]];
			bool open_repeat = r->info[b - x->questions].kind == T_BEGIN_REPEAT;
			if (open_repeat != repeat)
				problem(r, SH_SURVEY, row, r->type_header,
					"\"%s\" where the %s \"%s\" begun on row %zu needs an \"end %s\"",
					q->type, open_repeat ? "repeat" : "group", b->name ? b->name : "",
					b->row, open_repeat ? "repeat" : "group");
		}
	}
	q->depth = (int)r->stack_len;
	in->parent = r->stack_len ? r->stack[r->stack_len - 1] : RBM_XLSX_NONE;
	if (in->kind == T_BEGIN_GROUP || in->kind == T_BEGIN_REPEAT) {
		rbm_xgrow(&r->stack, &r->stack_cap, r->stack_len + 1, sizeof *r->stack);
		r->stack[r->stack_len++] = qi;
	}
	if (name == NULL && !end && r->name_header)
		problem(r, SH_SURVEY, row, r->name_header, "missing name for this \"%s\"", q->type);
	return RBM_OK;
}

/* ---- choices and settings ---- */

static enum rbm_rc choices_row(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct reader *r = ctx;
	struct rbm_xlsform *x = r->x;
	if (r->header_row == 0) {
		read_header(r, row, cells, n);
		need_column(r, K_LIST, "list_name");
		need_column(r, K_NAME, "name");
		if (header_of(r, K_NAME))
			r->choice_name_header = rbm_xstrdup(header_of(r, K_NAME));
		return r->fatal;
	}
	if (header_of(r, K_LIST) == NULL || header_of(r, K_NAME) == NULL)
		return RBM_OK; /* reported with the header */
	char *list = trimmed(cell(cells, n, r->first[K_LIST]));
	char *name = trimmed(cell(cells, n, r->first[K_NAME]));
	if (list == NULL || name == NULL) {
		if (list == NULL && (name || row_has(r, K_LABEL, cells, n)))
			problem(r, SH_CHOICES, row, header_of(r, K_LIST), "no list_name for %s%s%s",
				name ? "the choice \"" : "this choice", name ? name : "", name ? "\"" : "");
		else if (list)
			problem(r, SH_CHOICES, row, header_of(r, K_NAME),
				"missing name for a choice of list \"%s\"", list);
		free(list);
		free(name);
		return RBM_OK;
	}
	if (x->choices_len >= RBM_XLSFORM_MAX_ROWS) {
		free(list);
		free(name);
		return too_many(r, row);
	}
	char **labels = translations(r, K_LABEL, cells, n);
	rbm_xgrow(&x->choices, &r->choices_cap, x->choices_len + 1, sizeof *x->choices);
	struct rbm_xlsform_choice *c = &x->choices[x->choices_len++];
	c->list = list;
	c->name = name;
	c->labels = labels;
	c->row = row;
	return RBM_OK;
}

static enum rbm_rc settings_row(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct reader *r = ctx;
	struct rbm_xlsform *x = r->x;
	if (r->header_row == 0) {
		read_header(r, row, cells, n);
		return r->fatal;
	}
	if (r->settings_done) /* settings take one row; the rest are notes */
		return RBM_OK;
	r->settings_done = true;
	x->title = trimmed(cell(cells, n, r->first[K_TITLE]));
	x->id = trimmed(cell(cells, n, r->first[K_ID]));
	x->version = trimmed(cell(cells, n, r->first[K_VERSION]));
	x->default_language = trimmed(cell(cells, n, r->first[K_DEFAULT_LANGUAGE]));
	r->allow_duplicates = truthy(cell(cells, n, r->first[K_ALLOW_DUPLICATES]));
	return RBM_OK;
}

/* ---- checks across rows ---- */

struct ref {
	size_t parent;
	const char *a, *b;
	size_t row;
};

static int ref_cmp(const void *pa, const void *pb, void *ctx)
{
	(void)ctx;
	const struct ref *p = pa, *q = pb;
	if (p->parent != q->parent)
		return p->parent < q->parent ? -1 : 1;
	int c = strcmp(p->a, q->a);
	if (c == 0 && p->b && q->b)
		c = strcmp(p->b, q->b);
	if (c)
		return c;
	return p->row < q->row ? -1 : p->row > q->row;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The same name twice among the children of one group (or at the top). */
static void check_names(struct reader *r)
{
	struct rbm_xlsform *x = r->x;
	struct ref *v = rbm_xcalloc(x->questions_len, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < x->questions_len; i++) {
		enum tkind k = r->info[i].kind;
		if (x->questions[i].name == NULL || k == T_END_GROUP || k == T_END_REPEAT)
			continue;
		v[n++] = (struct ref){r->info[i].parent, x->questions[i].name, NULL,
				      x->questions[i].row};
	}
	rbm_sort(v, n, sizeof *v, ref_cmp, NULL);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (i < n && v[i].parent == v[first].parent && strcmp(v[i].a, v[first].a) == 0) {
			const char *in = v[i].parent == RBM_XLSX_NONE ? NULL : x->questions[v[i].parent].name;
			problem(r, SH_SURVEY, v[i].row, r->name_header,
				"the name \"%s\" is already used on row %zu%s%s%s", v[i].a, v[first].row,
				in ? " in the same group \"" : "", in ? in : "", in ? "\"" : "");
			i++;
		}
	}
	free(v);
}

static void check_choices(struct reader *r)
{
	struct rbm_xlsform *x = r->x;
	struct ref *v = rbm_xcalloc(x->choices_len, sizeof *v);
	for (size_t i = 0; i < x->choices_len; i++)
		v[i] = (struct ref){0, x->choices[i].list, x->choices[i].name, x->choices[i].row};
	rbm_sort(v, x->choices_len, sizeof *v, ref_cmp, NULL);
	for (size_t i = 1; i < x->choices_len && !r->allow_duplicates; i++) {
		size_t first = i - 1;
		while (i < x->choices_len && strcmp(v[i].a, v[first].a) == 0 &&
		       strcmp(v[i].b, v[first].b) == 0) {
			problem(r, SH_CHOICES, v[i].row, r->choice_name_header,
				"the choice \"%s\" is already in the list \"%s\" on row %zu (unless "
				"settings say allow_choice_duplicates: yes)", v[i].b, v[i].a, v[first].row);
			i++;
		}
	}
	free(v);
}

/* The lists that selects name are in the choices sheet. */
static void check_lists(struct reader *r)
{
	struct rbm_xlsform *x = r->x;
	char **lists = rbm_xcalloc(x->choices_len, sizeof *lists);
	for (size_t i = 0; i < x->choices_len; i++)
		lists[i] = x->choices[i].list;
	qsort(lists, x->choices_len, sizeof *lists, str_cmp);
	for (size_t i = 0; i < x->questions_len; i++) {
		const struct rbm_xlsform_question *q = &x->questions[i];
		if (r->info[i].kind != T_SELECT ||
		    bsearch(&q->list, lists, x->choices_len, sizeof *lists, str_cmp) != NULL)
			continue;
		if (r->has_choices)
			problem(r, SH_SURVEY, q->row, r->type_header,
				"the list \"%s\" is not in the choices sheet", q->list);
		else
			problem(r, SH_SURVEY, q->row, r->type_header,
				"the list \"%s\" needs a choices sheet, and there is none", q->list);
	}
	free(lists);
}

/* Gives every question's translations the final number of languages. */
static void widen(struct reader *r)
{
	struct rbm_xlsform *x = r->x;
	size_t from = r->survey_langs, to = x->langs_len;
	r->survey_langs = to;
	if (to == from)
		return;
	for (size_t i = 0; i < x->questions_len; i++) {
		struct rbm_xlsform_question *q = &x->questions[i];
		char ***arrays[] = {&q->labels, &q->hints, &q->constraint_messages};
		for (size_t k = 0; k < 3; k++) {
			*arrays[k] = rbm_xrealloc(*arrays[k], to, sizeof **arrays[k]);
			memset(*arrays[k] + from, 0, (to - from) * sizeof **arrays[k]);
		}
	}
}

/* ---- the whole ---- */

static enum rbm_rc read_one(struct reader *r, struct rbm_xlsx *wb, enum sheet_id s,
			    rbm_xlsx_row_fn fn, bool *found)
{
	reset_sheet(r, s);
	size_t i = rbm_xlsx_find_sheet(wb, sheet_names[s]);
	*found = i != RBM_XLSX_NONE;
	if (!*found)
		return RBM_OK;
	enum rbm_rc rc = rbm_xlsx_read_sheet(wb, i, fn, r, r->d);
	if (rc == RBM_OK && r->header_row == 0 && s == SH_SURVEY)
		problem(r, SH_SURVEY, 0, NULL, "the sheet is empty");
	return rc;
}

enum rbm_rc rbm_collect_xlsform_read(const char *path, struct rbm_xlsform **out,
				     struct rbm_diag *d)
{
	enum rbm_rc rc;
	struct rbm_xlsx *wb = NULL;
	struct reader r = {.path = path, .d = d};
	r.x = rbm_xcalloc(1, sizeof *r.x);
	bool found;

	rc = rbm_xlsx_open(path, NULL, &wb, d);
	if (rc != RBM_OK)
		goto out;
	rc = read_one(&r, wb, SH_SURVEY, survey_row, &found);
	if (rc != RBM_OK)
		goto out;
	if (!found) {
		rbm_diag_add(d, path, NULL, "no sheet \"survey\": not an XLSForm");
		rc = RBM_EINVAL;
		goto out;
	}
	for (size_t i = 0; i < r.stack_len; i++) {
		const struct rbm_xlsform_question *b = &r.x->questions[r.stack[i]];
		bool repeat = r.info[r.stack[i]].kind == T_BEGIN_REPEAT;
		problem(&r, SH_SURVEY, b->row, r.type_header,
			"the %s \"%s\" is never closed (no \"end %s\")", repeat ? "repeat" : "group",
			b->name ? b->name : "", repeat ? "repeat" : "group");
	}
	rc = read_one(&r, wb, SH_CHOICES, choices_row, &r.has_choices);
	if (rc != RBM_OK)
		goto out;
	rc = read_one(&r, wb, SH_SETTINGS, settings_row, &found);
	if (rc != RBM_OK)
		goto out;
	widen(&r);
	check_names(&r);
	check_choices(&r);
	check_lists(&r);

	if (r.problems_len) {
		rbm_sort(r.problems, r.problems_len, sizeof *r.problems, problem_cmp, NULL);
		for (size_t i = 0; i < r.problems_len; i++)
			rbm_diag_add(d, path, r.problems[i].where, "%s", r.problems[i].reason);
		rc = RBM_EINVAL;
		goto out;
	}
	*out = r.x;
	r.x = NULL;

out:
	if (r.x)
		widen(&r); /* so that every array has langs_len entries to free */
	reset_sheet(&r, SH_SURVEY);
	free(r.type_header);
	free(r.name_header);
	free(r.choice_name_header);
	for (size_t i = 0; i < r.problems_len; i++) {
		free(r.problems[i].where);
		free(r.problems[i].reason);
	}
	free(r.problems);
	free(r.stack);
	free(r.info);
	rbm_xlsx_close(wb);
	rbm_collect_xlsform_free(r.x);
	return rc;
}

static void free_strings(char **v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void rbm_collect_xlsform_free(struct rbm_xlsform *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->questions_len; i++) {
		struct rbm_xlsform_question *q = &x->questions[i];
		free(q->type);
		free(q->name);
		free(q->list);
		free_strings(q->labels, x->langs_len);
		free_strings(q->hints, x->langs_len);
		free_strings(q->constraint_messages, x->langs_len);
		free(q->required);
		free(q->constraint);
		free(q->relevant);
		free(q->calculation);
		free(q->appearance);
		free(q->repeat_count);
	}
	free(x->questions);
	for (size_t i = 0; i < x->choices_len; i++) {
		free(x->choices[i].list);
		free(x->choices[i].name);
		free_strings(x->choices[i].labels, x->langs_len);
	}
	free(x->choices);
	free_strings(x->langs, x->langs_len);
	free(x->title);
	free(x->id);
	free(x->version);
	free(x->default_language);
	free(x);
}
