/*
 * test_xlsform.c - XLSForm export and import: rbm's survey written and read
 * back (cell by cell with the XLSX reader, and whole with the XLSForm
 * reader), the real-world examples of the XLSForm project, and broken
 * forms built here with libxlsxwriter, each with its exact problems.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/xlsx.h"
#include "plan/plan.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define BUNDLED "data/plans/unhabitat-2020-2023.json"
#define EXAMPLES "../shared/standards/xlsform/examples/"

/* ---- helpers ---- */

/* A sheet as read by the XLSX reader: its rows, each with its number and cells. */
struct row {
	size_t n;
	char **cells;
	size_t num;
};

struct table {
	struct row *rows;
	size_t len;
};

static enum rbm_rc table_row(void *ctx, size_t num, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct table *t = ctx;
	t->rows = realloc(t->rows, (t->len + 1) * sizeof *t->rows);
	struct row *r = &t->rows[t->len++];
	r->n = n;
	r->num = num;
	r->cells = calloc(n ? n : 1, sizeof *r->cells);
	for (size_t i = 0; i < n; i++)
		r->cells[i] = strdup(cells[i].text);
	return RBM_OK;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->len; i++) {
		for (size_t k = 0; k < t->rows[i].n; k++)
			free(t->rows[i].cells[k]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	t->rows = NULL;
	t->len = 0;
}

static bool read_table(struct rbm_xlsx *x, const char *sheet, struct table *t)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	size_t i = rbm_xlsx_find_sheet(x, sheet);
	bool ok = i != RBM_XLSX_NONE && rbm_xlsx_read_sheet(x, i, table_row, t, &d) == RBM_OK;
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return ok;
}

/* The cell of row r in the column headed h ("" when absent). */
static const char *at(const struct table *t, const struct row *r, const char *h)
{
	for (size_t c = 0; c < t->rows[0].n; c++)
		if (strcmp(t->rows[0].cells[c], h) == 0)
			return c < r->n ? r->cells[c] : "";
	return "";
}

/* The row whose column "name" holds name, or NULL. */
static const struct row *row_named(const struct table *t, const char *name)
{
	for (size_t i = 1; i < t->len; i++)
		if (strcmp(at(t, &t->rows[i], "name"), name) == 0)
			return &t->rows[i];
	return NULL;
}

static struct rbm_plan *load_plan(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	if (rbm_plan_load(BUNDLED, test_places(), &p, &d) != RBM_OK)
		rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return p;
}

static char *tmp_path(const char *name)
{
	return rbm_xasprintf("%s/%s", test_tmpdir(), name);
}

/* Every problem as "WHERE: reason" lines; all must name file. */
static char *problems(const struct rbm_diag *d, const char *file)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	for (size_t i = 0; i < d->len; i++) {
		const struct rbm_diag_entry *e = &d->entries[i];
		if (e->file == NULL || strcmp(e->file, file) != 0)
			rbm_buf_addf(&b, "(file %s) ", e->file ? e->file : "none");
		if (e->where)
			rbm_buf_addf(&b, "%s: ", e->where);
		rbm_buf_addf(&b, "%s\n", e->reason);
	}
	return rbm_buf_take(&b);
}

/*
 * Writes a workbook with libxlsxwriter: each sheet a name and rows, each
 * row "cell|cell|..." ("" for an empty row). A cell "#12" is the number 12.
 */
struct sheet_def {
	const char *name;
	const char *const *rows;
};

static char *write_book(const char *file, const struct sheet_def *sheets, size_t n)
{
	char *path = tmp_path(file);
	lxw_workbook *wb = workbook_new(path);
	for (size_t s = 0; s < n; s++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[s].name);
		for (size_t r = 0; sheets[s].rows[r]; r++) {
			char *line = strdup(sheets[s].rows[r]), *cur = line;
			for (lxw_col_t c = 0; cur; c++) {
				char *bar = strchr(cur, '|');
				if (bar)
					*bar = '\0';
				if (cur[0] == '#' && cur[1])
					worksheet_write_number(ws, (lxw_row_t)r, c, strtod(cur + 1, NULL), NULL);
				else if (*cur)
					worksheet_write_string(ws, (lxw_row_t)r, c, cur, NULL);
				cur = bar ? bar + 1 : NULL;
			}
			free(line);
		}
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		free(path);
		return NULL;
	}
	return path;
}

/* Reads a form expected to fail; returns its problems (free()) and checks the rc. */
static char *read_bad(const char *path, enum rbm_rc want, bool *ok)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsform *x = NULL;
	enum rbm_rc rc = rbm_collect_xlsform_read(path, &x, &d);
	*ok = rc == want && x == NULL;
	if (!*ok)
		printf("# rc %s, want %s\n", rbm_rc_name(rc), rbm_rc_name(want));
	char *s = problems(&d, path);
	rbm_diag_free(&d);
	rbm_collect_xlsform_free(x);
	return s;
}

static const struct rbm_xlsform_question *question(const struct rbm_xlsform *x, const char *name)
{
	for (size_t i = 0; i < x->questions_len; i++)
		if (x->questions[i].name && strcmp(x->questions[i].name, name) == 0)
			return &x->questions[i];
	return NULL;
}

static size_t lang(const struct rbm_xlsform *x, const char *name)
{
	for (size_t i = 0; i < x->langs_len; i++)
		if (strcmp(x->langs[i], name) == 0)
			return i;
	return (size_t)-1;
}

static const char *const LANG_COLS[RBM_LANG_COUNT] = {
	"Arabic (ar)", "Chinese (zh)", "English (en)", "French (fr)", "Russian (ru)", "Spanish (es)",
};

/* ---- export ---- */

/* xlsform-write-1: the KEN 2021 survey, cell by cell. */
static void write_cells(void)
{
	struct rbm_plan *p = load_plan();
	CHECK(p != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	CHECK_INT(rbm_collect_form(p, test_places(), 2021, "KEN", &f, &d), RBM_OK);
	char *path = tmp_path("ken.xlsx");
	CHECK_INT(rbm_collect_xlsform_write(f, path, &d), RBM_OK);
	CHECK_INT(rbm_diag_count(&d), 0);

	struct rbm_xlsx *x = NULL;
	CHECK_INT(rbm_xlsx_open(path, NULL, &x, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_sheet_count(x), 3);
	CHECK_STR(rbm_xlsx_sheet_name(x, 0), "survey");
	CHECK_STR(rbm_xlsx_sheet_name(x, 1), "choices");
	CHECK_STR(rbm_xlsx_sheet_name(x, 2), "settings");
	struct table s = {0}, c = {0}, t = {0};
	CHECK(read_table(x, "survey", &s) && read_table(x, "choices", &c) &&
	      read_table(x, "settings", &t));
	rbm_xlsx_close(x);

	/* Headers. */
	const char *want[25] = {"type", "name"};
	char buf[18][40];
	static const char *const kinds[] = {"label", "hint", "constraint_message"};
	for (size_t k = 0; k < 3; k++)
		for (size_t l = 0; l < RBM_LANG_COUNT; l++) {
			snprintf(buf[k * 6 + l], sizeof buf[0], "%s::%s", kinds[k], LANG_COLS[l]);
			want[2 + k * 6 + l] = buf[k * 6 + l];
		}
	want[20] = "required", want[21] = "constraint", want[22] = "relevant";
	want[23] = "calculation", want[24] = "appearance";
	CHECK_INT(s.rows[0].num, 1);
	CHECK_INT(s.rows[0].n, 25);
	for (size_t i = 0; i < 25; i++)
		CHECK_STR(s.rows[0].cells[i], want[i]);
	CHECK_INT(c.rows[0].n, 8);
	CHECK_STR(c.rows[0].cells[0], "list_name");
	CHECK_STR(c.rows[0].cells[1], "name");
	for (size_t l = 0; l < RBM_LANG_COUNT; l++)
		CHECK_STR(c.rows[0].cells[2 + l], want[2 + l]);
	CHECK_INT(t.len, 2);
	CHECK_INT(t.rows[0].n, 4);
	CHECK_STR(t.rows[0].cells[0], "form_title");
	CHECK_STR(t.rows[0].cells[1], "form_id");
	CHECK_STR(t.rows[0].cells[2], "version");
	CHECK_STR(t.rows[0].cells[3], "default_language");

	/* One row per question, in order, end groups included. */
	CHECK_INT(s.len, f->questions_len + 1);
	CHECK_INT(s.rows[s.len - 1].num, f->questions_len + 1);
	CHECK_STR(at(&s, &s.rows[1], "type"), "calculate");
	CHECK_STR(at(&s, &s.rows[1], "name"), "rbm_office");
	CHECK_STR(at(&s, &s.rows[1], "calculation"), "'KEN'");
	CHECK_STR(at(&s, row_named(&s, "rbm_cycle"), "calculation"), "2021");
	CHECK_STR(at(&s, row_named(&s, "d_1"), "type"), "begin group");
	CHECK_STR(at(&s, &s.rows[s.len - 1], "type"), "end group");
	CHECK_STR(at(&s, &s.rows[s.len - 1], "name"), "");

	/* A people question: whole, at least 0, with the message in French. */
	const struct rbm_question *people = NULL;
	for (size_t i = 0; i < f->questions_len && !people; i++)
		if (f->questions[i].type == RBM_Q_INTEGER && f->questions[i].role == RBM_ROLE_VALUE)
			people = &f->questions[i];
	CHECK(people != NULL);
	const struct row *r = row_named(&s, people->name);
	CHECK(r != NULL);
	CHECK_STR(at(&s, r, "type"), "integer");
	CHECK_STR(at(&s, r, "constraint"), ". >= 0");
	CHECK(people->constraint_message.s[RBM_LANG_FR] != NULL);
	CHECK_STR(at(&s, r, "constraint_message::French (fr)"), people->constraint_message.s[RBM_LANG_FR]);
	CHECK_STR(at(&s, r, "constraint_message::English (en)"),
		  people->constraint_message.s[RBM_LANG_EN]);
	CHECK_STR(at(&s, r, "label::Chinese (zh)"), people->label.s[RBM_LANG_ZH]);
	CHECK_STR(at(&s, r, "hint::Spanish (es)"), people->hint.s[RBM_LANG_ES]);

	/* An outcome's questions. */
	CHECK_STR(at(&s, row_named(&s, "o_1_1_countries"), "type"), "select_multiple countries");
	CHECK_STR(at(&s, row_named(&s, "o_1_1_lang"), "type"), "select_one lang");
	CHECK_STR(at(&s, row_named(&s, "o_1_1_lang"), "required"), "yes");
	CHECK_STR(at(&s, row_named(&s, "o_1_1_lang"), "relevant"), "${o_1_1_narrative} != ''");
	CHECK_STR(at(&s, row_named(&s, "o_1_1_narrative"), "type"), "text");
	CHECK_STR(at(&s, row_named(&s, "o_1_1_narrative"), "appearance"), "multiline");
	CHECK_STR(at(&s, row_named(&s, "o_1_1_narrative"), "required"), "");
	CHECK_STR(at(&s, row_named(&s, "v_1_1_a__female"), "relevant"), "${v_1_1_a} != ''");

	/* Choices: every list, Kenya among the countries, in six languages. */
	size_t choices = 0;
	for (size_t i = 0; i < f->lists_len; i++)
		choices += f->lists[i].choices_len;
	CHECK_INT(c.len, choices + 1);
	bool kenya = false;
	for (size_t i = 1; i < c.len; i++)
		if (strcmp(at(&c, &c.rows[i], "list_name"), "countries") == 0 &&
		    strcmp(at(&c, &c.rows[i], "name"), "KEN") == 0) {
			kenya = true;
			CHECK_STR(at(&c, &c.rows[i], "label::English (en)"), "Kenya");
			CHECK(at(&c, &c.rows[i], "label::Arabic (ar)")[0] != '\0');
		}
	CHECK(kenya);

	/* Settings. */
	CHECK_STR(t.rows[1].cells[0], f->title.s[RBM_LANG_EN]);
	CHECK_STR(t.rows[1].cells[1], "rbm_2021_KEN");
	CHECK_STR(t.rows[1].cells[2], f->version);
	CHECK_STR(t.rows[1].cells[3], "English (en)");

	table_free(&s);
	table_free(&c);
	table_free(&t);
	free(path);
	rbm_collect_form_free(f);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

/* xlsform-write-2: what was written reads back whole, question for question. */
static void write_read_back(void)
{
	struct rbm_plan *p = load_plan();
	CHECK(p != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	CHECK_INT(rbm_collect_form(p, test_places(), 2021, "KEN", &f, &d), RBM_OK);
	char *path = tmp_path("ken2.xlsx");
	CHECK_INT(rbm_collect_xlsform_write(f, path, &d), RBM_OK);
	struct rbm_xlsform *x = NULL;
	CHECK_INT(rbm_collect_xlsform_read(path, &x, &d), RBM_OK);
	CHECK_INT(rbm_diag_count(&d), 0);

	CHECK_INT(x->langs_len, RBM_LANG_COUNT);
	for (size_t l = 0; l < RBM_LANG_COUNT; l++)
		CHECK_STR(x->langs[l], LANG_COLS[l]);
	CHECK_STR(x->id, "rbm_2021_KEN");
	CHECK_STR(x->version, f->version);
	CHECK_STR(x->title, f->title.s[RBM_LANG_EN]);
	CHECK_STR(x->default_language, "English (en)");

	CHECK_INT(x->questions_len, f->questions_len);
	int depth = 0;
	for (size_t i = 0; i < f->questions_len; i++) {
		const struct rbm_question *q = &f->questions[i];
		const struct rbm_xlsform_question *y = &x->questions[i];
		CHECK_INT(y->row, i + 2);
		if (q->type == RBM_Q_END_GROUP) {
			depth--;
			CHECK_STR(y->type, "end group");
			CHECK(y->name == NULL);
		} else {
			CHECK_STR(y->name, q->name);
		}
		CHECK_INT(y->depth, depth);
		if (q->type == RBM_Q_BEGIN_GROUP)
			depth++;
		if (q->list)
			CHECK_STR(y->list, q->list);
		else
			CHECK(y->list == NULL);
		for (size_t l = 0; l < RBM_LANG_COUNT; l++) {
			const char *want = q->label.s[l] && *q->label.s[l] ? q->label.s[l] : NULL;
			if (want)
				CHECK_STR(y->labels[l], want);
			else
				CHECK(y->labels[l] == NULL);
			if (q->constraint_message.s[l])
				CHECK_STR(y->constraint_messages[l], q->constraint_message.s[l]);
			if (q->hint.s[l])
				CHECK_STR(y->hints[l], q->hint.s[l]);
		}
		if (q->constraint)
			CHECK_STR(y->constraint, q->constraint);
		CHECK(q->required == (y->required && strcmp(y->required, "yes") == 0));
	}
	CHECK_INT(depth, 0);
	/* Every language has labels. */
	for (size_t l = 0; l < RBM_LANG_COUNT; l++) {
		size_t n = 0;
		for (size_t i = 0; i < x->questions_len; i++)
			n += x->questions[i].labels[l] != NULL;
		CHECK(n > 0);
	}
	size_t choices = 0;
	for (size_t i = 0; i < f->lists_len; i++)
		choices += f->lists[i].choices_len;
	CHECK_INT(x->choices_len, choices);
	CHECK_STR(x->choices[0].list, "yesno");
	CHECK_STR(x->choices[0].name, "yes");
	CHECK_STR(x->choices[0].labels[RBM_LANG_EN], f->lists[0].choices[0].label.s[RBM_LANG_EN]);

	rbm_collect_xlsform_free(x);
	free(path);
	rbm_collect_form_free(f);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

/* xlsform-write-3: a folder that is not there, a path that is a folder, a failure keeping the old file. */
static void write_errors(void)
{
	struct rbm_plan *p = load_plan();
	CHECK(p != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	CHECK_INT(rbm_collect_form(p, test_places(), 2021, "KEN", &f, &d), RBM_OK);
	char *big = calloc(1, 40000);
	memset(big, 'x', 39999);
	char *path = tmp_path("no/such/folder/ken.xlsx");
	CHECK_INT(rbm_collect_xlsform_write(f, path, &d), RBM_EIO);
	CHECK_INT(d.len, 1);
	CHECK_STR(d.entries[0].file, path);
	CHECK_STR(d.entries[0].reason, "cannot create: No such file or directory");
	CHECK(access(path, F_OK) != 0);
	free(path);
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	CHECK_INT(rbm_collect_xlsform_write(f, test_tmpdir(), &d), RBM_EIO);
	CHECK_STR(d.entries[0].file, test_tmpdir());
	CHECK_STR(d.entries[0].reason, "cannot create: Is a directory");
	/* A failed export leaves the file that was there. */
	path = tmp_path("keep.xlsx");
	FILE *old = fopen(path, "w");
	CHECK(old != NULL);
	fputs("old", old);
	fclose(old);
	f->questions[1].hint.s[RBM_LANG_EN] = big;
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	CHECK_INT(rbm_collect_xlsform_write(f, path, &d), RBM_EINVAL);
	size_t len = 0;
	char *text = test_read_file(path, &len);
	CHECK_STR(text, "old");
	free(text);
	char *part = rbm_xasprintf("%s.part", path);
	CHECK(access(part, F_OK) != 0);
	free(part);
	free(big);
	free(path);
	rbm_collect_form_free(f);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

/* xlsform-write-4: a form built by hand: missing languages stay empty; an oversized text fails. */
static void write_by_hand(void)
{
	struct rbm_question q[3] = {
		{.type = RBM_Q_SELECT_ONE, .name = "q", .list = "yn", .required = true},
		{.type = RBM_Q_TEXT, .role = RBM_ROLE_VALUE, .name = "t"},
		{.type = RBM_Q_NOTE, .name = "n"},
	};
	q[0].label.s[RBM_LANG_EN] = "Question";
	q[0].label.s[RBM_LANG_FR] = "Question (fr)";
	struct rbm_choice yn[1] = {{.name = "y"}};
	yn[0].label.s[RBM_LANG_RU] = "да";
	struct rbm_choice_list lists[1] = {{.name = "yn", .choices = yn, .choices_len = 1}};
	struct rbm_form f = {.id = "hand", .version = "1", .questions = q, .questions_len = 3,
			     .lists = lists, .lists_len = 1};
	char *path = tmp_path("hand.xlsx");
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_collect_xlsform_write(&f, path, &d), RBM_OK);
	struct rbm_xlsform *x = NULL;
	CHECK_INT(rbm_collect_xlsform_read(path, &x, &d), RBM_OK);
	CHECK_INT(x->questions_len, 3);
	CHECK_STR(x->questions[0].type, "select_one yn");
	CHECK_STR(x->questions[0].required, "yes");
	CHECK_STR(x->questions[0].labels[RBM_LANG_FR], "Question (fr)");
	CHECK(x->questions[0].labels[RBM_LANG_AR] == NULL);
	CHECK(x->questions[1].appearance == NULL); /* only narratives are multiline */
	CHECK_STR(x->questions[2].type, "note");
	CHECK(x->title == NULL); /* no English title: an empty cell */
	CHECK_STR(x->id, "hand");
	CHECK_STR(x->choices[0].labels[RBM_LANG_RU], "да");
	CHECK(x->choices[0].labels[RBM_LANG_EN] == NULL);
	rbm_collect_xlsform_free(x);

	/* Excel cells hold at most 32767 characters: refused, and the file written before stays. */
	char *big = malloc(40000);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	q[1].hint.s[RBM_LANG_EN] = big;
	CHECK_INT(rbm_collect_xlsform_write(&f, path, &d), RBM_EINVAL);
	CHECK_INT(d.len, 1);
	CHECK_STR(d.entries[0].file, path);
	CHECK_STR(d.entries[0].where, "survey row 3");
	CHECK_HAS(d.entries[0].reason, "cannot write cell: ");
	x = NULL;
	CHECK_INT(rbm_collect_xlsform_read(path, &x, &d), RBM_OK);
	CHECK(x->questions[1].hints[RBM_LANG_EN] == NULL);
	rbm_collect_xlsform_free(x);
	free(big);
	free(path);
	rbm_diag_free(&d);
}

/* ---- the XLSForm project's examples ---- */

/* xlsform-read-1: old-style "label::english" columns, a repeat inside a group. */
static void read_spec_test(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsform *x = NULL;
	enum rbm_rc rc = rbm_collect_xlsform_read(EXAMPLES "xlsform_spec_test.xlsx", &x, &d);
	rbm_diag_print(&d, stdout, "# ");
	CHECK_INT(rc, RBM_OK);
	CHECK_STR(x->title, "Spec test");
	CHECK_STR(x->id, "Spec test");
	/* Labels first, then the plain hint column's language. */
	CHECK_INT(x->langs_len, 3);
	CHECK_STR(x->langs[0], "english");
	CHECK_STR(x->langs[1], "chinese");
	CHECK_STR(x->langs[2], "");
	size_t en = lang(x, "english"), zh = lang(x, "chinese"), plain = lang(x, "");
	CHECK_INT(x->questions_len, 56);

	const struct rbm_xlsform_question *q = question(x, "required_text");
	CHECK(q != NULL);
	CHECK_STR(q->type, "text");
	CHECK_INT(q->row, 17);
	CHECK_INT(q->depth, 3); /* everything > repeat_test > group_test */
	CHECK_STR(q->required, "yes");
	CHECK_STR(q->labels[en], "required_text");
	q = question(x, "repeat_test");
	CHECK_STR(q->type, "begin repeat");
	CHECK_INT(q->depth, 1);
	CHECK_STR(q->repeat_count, "2.0");
	CHECK_STR(x->questions[q - x->questions + 14].type, "end repeat");
	CHECK_INT(x->questions[q - x->questions + 14].depth, 1);
	q = question(x, "select_multiple_test");
	CHECK_STR(q->list, "yes_no");
	CHECK_STR(q->constraint, "not(selected(., 'yes') and selected (., 'no'))");
	CHECK_STR(q->constraint_messages[zh], "對不起 ${my_name}，你可以不選擇“是”和“否”。");
	CHECK_STR(q->constraint_messages[en], "Sorry ${my_name}, you can't select yes and no.");
	CHECK_STR(q->appearance, "minimal");
	q = question(x, "address");
	CHECK_STR(q->labels[zh], "您好");
	CHECK_STR(q->hints[zh], "ni hao");
	CHECK(q->hints[plain] == NULL);
	q = question(x, "text_image_audio_video_test");
	CHECK_HAS(q->hints[plain], "The goal of this test");
	CHECK_STR(question(x, "skip_to_end")->type, "select_one yes_no");
	CHECK_INT(question(x, "launch")->depth, 0);
	CHECK_STR(question(x, "uri_deviceid")->type, "uri:deviceid");
	/* The choices' plain label column is the third language. */
	CHECK_INT(x->choices_len, 4);
	CHECK_STR(x->choices[0].list, "yes_no");
	CHECK_STR(x->choices[0].labels[plain], "Yes");
	CHECK_STR(x->choices[0].labels[zh], "是");
	CHECK(x->choices[0].labels[en] == NULL);
	CHECK_INT(x->choices[3].row, 5);
	rbm_collect_xlsform_free(x);
	rbm_diag_free(&d);
}

/* xlsform-read-2: "label::English (en)" beside a plain label; end group with a name. */
static void read_choice_filter(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsform *x = NULL;
	enum rbm_rc rc = rbm_collect_xlsform_read(EXAMPLES "I8n_lang_choicefilter.xlsx", &x, &d);
	rbm_diag_print(&d, stdout, "# ");
	CHECK_INT(rc, RBM_OK);
	CHECK_STR(x->id, "I8n_lang_choicefilter");
	CHECK(x->version == NULL);
	CHECK_INT(x->langs_len, 3);
	CHECK_STR(x->langs[0], "");
	CHECK_STR(x->langs[1], "English (en)");
	CHECK_STR(x->langs[2], "French (fr)");
	CHECK_INT(x->questions_len, 12);
	const struct rbm_xlsform_question *q = question(x, "choice_filter_question_2");
	CHECK_STR(q->type, "select_multiple filter_example");
	CHECK_STR(q->list, "filter_example");
	CHECK_INT(q->depth, 1);
	CHECK_STR(q->labels[2], "Les options sont filtrées");
	CHECK_STR(q->labels[0], "Options are filtered");
	CHECK_STR(q->hints[1], "Based on previous question");
	q = &x->questions[4];
	CHECK_STR(q->type, "end group");
	CHECK_STR(q->name, "choice_filter_example");
	CHECK_INT(q->depth, 0);
	q = question(x, "a_decimal");
	CHECK_STR(q->constraint, ". <= ${a_integer}");
	CHECK_STR(q->constraint_messages[0], "You can set the toast that appears when a constraint is violated.");
	CHECK_STR(question(x, "calculate")->calculation, "${a_integer}+${a_decimal}");
	CHECK_INT(x->choices_len, 9);
	CHECK_STR(x->choices[2].name, "99");
	CHECK_STR(x->choices[2].labels[2], "peut-être");
	CHECK(x->choices[2].labels[0] == NULL);
	rbm_collect_xlsform_free(x);
	rbm_diag_free(&d);
}

/* ---- forms built here ---- */

static const char *const YESNO[] = {"list_name|name|label", "yes_no|yes|Yes", "yes_no|no|No", NULL};

/* xlsform-read-3: groups and repeats that do not balance. */
static void read_unbalanced(void)
{
	static const char *const survey[] = {
		"type|name|label",
		"integer|a|A",
		"begin group|g1|Group 1",   /* row 3 */
		"begin repeat|r1|Repeat 1",
		"integer|b|B",
		"end group",                /* row 6: closes the repeat */
		"end repeat",               /* row 7: closes g1 */
		"end group",                /* row 8: nothing open */
		"begin_group|g2|Group 2",   /* row 9: never closed */
		NULL};
	struct sheet_def book[] = {{"survey", survey}, {"choices", YESNO}};
	char *path = write_book("unbalanced.xlsx", book, 2);
	CHECK(path != NULL);
	bool ok;
	char *s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	/* A mismatched end still closes what is open: g1 is closed on row 7, wrongly. */
	CHECK_STR(s, "survey row 6, column type: \"end group\" where the repeat \"r1\" begun on row 4 "
		     "needs an \"end repeat\"\n"
		     "survey row 7, column type: \"end repeat\" where the group \"g1\" begun on row 3 "
		     "needs an \"end group\"\n"
		     "survey row 8, column type: \"end group\" without a \"begin group\" before it\n"
		     "survey row 9, column type: the group \"g2\" is never closed (no \"end group\")\n");
	free(s);
	free(path);

	static const char *const open[] = {"type|name", "begin repeat|rr", "integer|i", NULL};
	struct sheet_def book2[] = {{"survey", open}};
	path = write_book("open_repeat.xlsx", book2, 1);
	CHECK(path != NULL);
	s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey row 2, column type: the repeat \"rr\" is never closed (no \"end repeat\")\n");
	free(s);
	free(path);
}

/* xlsform-read-4: a select whose list is missing, or has no choices sheet at all. */
static void read_missing_list(void)
{
	static const char *const survey[] = {
		"type|name|label",
		"select_one colours|colour|Colour?",
		"select_one yes_no or_other|ok|OK?",
		"select_multiple_from_file places.csv|where|Where?",
		"select_multiple  sizes|size|Size?",
		"select_one|x|X",
		"select_one yes_no extra|y|Y",
		NULL};
	struct sheet_def book[] = {{"survey", survey}, {"choices", YESNO}};
	char *path = write_book("missing_list.xlsx", book, 2);
	CHECK(path != NULL);
	bool ok;
	char *s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey row 2, column type: the list \"colours\" is not in the choices sheet\n"
		     "survey row 5, column type: the list \"sizes\" is not in the choices sheet\n"
		     "survey row 6, column type: \"select_one\" needs a list name after it\n"
		     "survey row 7, column type: unexpected \"extra\" after the list name in "
		     "\"select_one yes_no extra\"\n");
	free(s);
	free(path);

	static const char *const one[] = {"type|name", "select_one yes_no|q", NULL};
	struct sheet_def alone[] = {{"survey", one}};
	path = write_book("no_choices.xlsx", alone, 1);
	CHECK(path != NULL);
	s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey row 2, column type: the list \"yes_no\" needs a choices sheet, and there "
		     "is none\n");
	free(s);
	free(path);
}

/* xlsform-read-5: the same name twice among one group's children; elsewhere it is allowed. */
static void read_duplicates(void)
{
	static const char *const survey[] = {
		"type|name|label",
		"integer|age|Age",
		"begin group|g|G",
		"integer|age|Age in the group", /* another group: fine, as in pyxform */
		"text|note|Note",
		"text|note|Note again",         /* row 6 */
		"end group",
		"integer|age|Age again",        /* row 8 */
		"integer|g|Same as the group",  /* row 9 */
		NULL};
	struct sheet_def book[] = {{"survey", survey}};
	char *path = write_book("duplicates.xlsx", book, 1);
	CHECK(path != NULL);
	bool ok;
	char *s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey row 6, column name: the name \"note\" is already used on row 5 in the "
		     "same group \"g\"\n"
		     "survey row 8, column name: the name \"age\" is already used on row 2\n"
		     "survey row 9, column name: the name \"g\" is already used on row 3\n");
	free(s);
	free(path);
}

/* xlsform-read-6: no name, no type; every problem of the form, in row order. */
static void read_missing_name(void)
{
	static const char *const survey[] = {
		"type|name|label",
		"integer|a|A",
		"integer||No name",        /* row 3 */
		"begin group||Group",      /* row 4 */
		"|b|No type",              /* row 5 */
		"||A label alone",         /* row 6 */
		"end group",
		"",                        /* row 8: empty, skipped */
		"note||",                  /* row 9 */
		"select_one nope|c|C",     /* row 10 */
		NULL};
	struct sheet_def book[] = {{"survey", survey}, {"choices", YESNO}};
	char *path = write_book("missing_name.xlsx", book, 2);
	CHECK(path != NULL);
	bool ok;
	char *s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey row 3, column name: missing name for this \"integer\"\n"
		     "survey row 4, column name: missing name for this \"begin group\"\n"
		     "survey row 5, column type: no type for \"b\"\n"
		     "survey row 6, column type: a label but no type\n"
		     "survey row 9, column name: missing name for this \"note\"\n"
		     "survey row 10, column type: the list \"nope\" is not in the choices sheet\n");
	free(s);
	free(path);
}

/* xlsform-read-7: headers with spaces and any case, sheet names in any case, aliases. */
static void read_loose_headers(void)
{
	static const char *const survey[] = {
		" Type |NAME |Label::English (en) |label::Français (fr)|HINT::english (EN)|"
		"Constraint Message::English (en)|bind::relevant|Repeat_Count|disabled",
		"",
		"begin_group|g|Group|Groupe",
		"  integer |n|How many?|Combien ?|A number|At least 1|${x} > 0",
		"end_group",
		"",
		"begin repeat|r|Again|Encore||||#3",
		"text|t|Text",
		"text|off|Disabled||||||yes",
		"end repeat",
		NULL};
	static const char *const choices[] = {" List Name |Name|LABEL::english (en)", "a|b|B", NULL};
	static const char *const settings[] = {"Form_Title|form_id|Version", "Loose|loose|#7", NULL};
	static const char *const notes[] = {"anything|at all", NULL};
	struct sheet_def book[] = {{"Notes", notes}, {"SURVEY", survey}, {"Choices", choices},
				   {"settings ", settings}};
	char *path = write_book("loose.xlsx", book, 4);
	CHECK(path != NULL);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsform *x = NULL;
	enum rbm_rc rc = rbm_collect_xlsform_read(path, &x, &d);
	rbm_diag_print(&d, stdout, "# ");
	CHECK_INT(rc, RBM_OK);
	CHECK_INT(x->langs_len, 2);
	CHECK_STR(x->langs[0], "English (en)");
	CHECK_STR(x->langs[1], "Français (fr)");
	CHECK_STR(x->title, "Loose");
	CHECK_STR(x->version, "7");
	CHECK_INT(x->questions_len, 6); /* the disabled one left out */
	const struct rbm_xlsform_question *q = question(x, "n");
	CHECK_STR(q->type, "integer");
	CHECK_INT(q->row, 4);
	CHECK_INT(q->depth, 1);
	CHECK_STR(q->labels[0], "How many?");
	CHECK_STR(q->labels[1], "Combien ?");
	CHECK_STR(q->hints[0], "A number");
	CHECK_STR(q->constraint_messages[0], "At least 1");
	CHECK(q->constraint_messages[1] == NULL);
	CHECK_STR(q->relevant, "${x} > 0");
	CHECK_STR(question(x, "r")->repeat_count, "3");
	CHECK_INT(question(x, "t")->depth, 1);
	CHECK(question(x, "off") == NULL);
	CHECK_INT(x->choices_len, 1);
	CHECK_STR(x->choices[0].labels[0], "B");
	CHECK(x->choices[0].labels[1] == NULL);
	rbm_collect_xlsform_free(x);
	rbm_diag_free(&d);
	free(path);
}

/* xlsform-read-8: choices without a list or a name, the same choice twice. */
static void read_bad_choices(void)
{
	static const char *const survey[] = {"type|name", "select_one l|q", NULL};
	static const char *const choices[] = {
		"list_name|name|label",
		"l|a|A",
		"|b|B",      /* row 3 */
		"l||C",      /* row 4 */
		"l|a|A again", /* row 5 */
		"",
		"||",
		NULL};
	struct sheet_def book[] = {{"survey", survey}, {"choices", choices}};
	char *path = write_book("bad_choices.xlsx", book, 2);
	CHECK(path != NULL);
	bool ok;
	char *s = read_bad(path, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "choices row 3, column list_name: no list_name for the choice \"b\"\n"
		     "choices row 4, column name: missing name for a choice of list \"l\"\n"
		     "choices row 5, column name: the choice \"a\" is already in the list \"l\" on row "
		     "2 (unless settings say allow_choice_duplicates: yes)\n");
	free(s);
	free(path);

	/* Duplicates allowed by the settings. */
	static const char *const dup[] = {"list_name|name|label", "l|a|A", "l|a|A again", NULL};
	static const char *const settings[] = {"allow_choice_duplicates", "yes", NULL};
	struct sheet_def book2[] = {{"survey", survey}, {"choices", dup}, {"settings", settings}};
	path = write_book("dup_allowed.xlsx", book2, 3);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsform *x = NULL;
	CHECK_INT(rbm_collect_xlsform_read(path, &x, &d), RBM_OK);
	CHECK_INT(x->choices_len, 2);
	rbm_collect_xlsform_free(x);
	rbm_diag_free(&d);
	free(path);
}

/* xlsform-read-9: not a workbook, no survey sheet, an empty survey, no type column. */
static void read_not_a_form(void)
{
	const char *path = test_write_file("text.xlsx", "type,name\n", 10);
	char *copy = strdup(path);
	bool ok;
	char *s = read_bad(copy, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "not an .xlsx file: not a zip archive, or a truncated one (Not a zip archive)\n");
	free(s);
	free(copy);

	copy = tmp_path("absent.xlsx");
	s = read_bad(copy, RBM_ENOENT, &ok);
	CHECK(ok);
	CHECK_STR(s, "cannot open: no such file\n");
	free(s);
	free(copy);

	static const char *const rows[] = {"type|name", "integer|a", NULL};
	struct sheet_def book[] = {{"questions", rows}};
	copy = write_book("no_survey.xlsx", book, 1);
	s = read_bad(copy, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "no sheet \"survey\": not an XLSForm\n");
	free(s);
	free(copy);

	static const char *const none[] = {NULL};
	struct sheet_def empty[] = {{"survey", none}};
	copy = write_book("empty.xlsx", empty, 1);
	s = read_bad(copy, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey: the sheet is empty\n");
	free(s);
	free(copy);

	/* More languages than RBM_XLSFORM_MAX_LANGS. */
	struct rbm_buf h;
	rbm_buf_init(&h, 0);
	rbm_buf_adds(&h, "type|name");
	for (size_t i = 0; i <= RBM_XLSFORM_MAX_LANGS; i++)
		rbm_buf_addf(&h, "|label::L%zu", i);
	const char *const many[] = {rbm_buf_str(&h), "integer|a", NULL};
	struct sheet_def babel[] = {{"survey", many}};
	copy = write_book("babel.xlsx", babel, 1);
	rbm_buf_free(&h);
	s = read_bad(copy, RBM_ETOOBIG, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey: more than 64 languages\n");
	free(s);
	free(copy);

	static const char *const notype[] = {"kind|name|label", "integer|a|A", NULL};
	struct sheet_def nt[] = {{"survey", notype}};
	copy = write_book("no_type.xlsx", nt, 1);
	s = read_bad(copy, RBM_EINVAL, &ok);
	CHECK(ok);
	CHECK_STR(s, "survey row 1: no column \"type\"\n");
	free(s);
	free(copy);
}

TEST_MAIN(T(write_cells), T(write_read_back), T(write_errors), T(write_by_hand),
	  T(read_spec_test),
	  T(read_choice_filter), T(read_unbalanced), T(read_missing_list), T(read_duplicates),
	  T(read_missing_name), T(read_loose_headers), T(read_bad_choices), T(read_not_a_form))
