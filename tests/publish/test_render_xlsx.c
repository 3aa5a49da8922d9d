/*
 * test_render_xlsx.c - the Excel renderer (src/publish/render_xlsx.c).
 *
 * Documents with tables and a chart, built by hand in English, Chinese,
 * Arabic and French, are written as workbooks and read back with rbm's own
 * XLSX reader (src/core/xlsx.h): the sheet names made from the captions,
 * headers as text, numbers as numbers, and the About sheet.
 */
#include "harness/test.h"

#include "core/arena.h"
#include "core/diag.h"
#include "core/xlsx.h"
#include "publish/doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_ROWS 40
#define MAX_COLS 8

/* A sheet as read back: rows[r][c] is row r + 1, column c. */
struct sheet {
	char text[MAX_ROWS][MAX_COLS][160];
	bool number[MAX_ROWS][MAX_COLS];
	size_t rows;
};

static enum rbm_rc collect(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct sheet *s = ctx;
	if (row > MAX_ROWS)
		return RBM_OK;
	for (size_t c = 0; c < n && c < MAX_COLS; c++) {
		snprintf(s->text[row - 1][c], sizeof s->text[row - 1][c], "%s", cells[c].text);
		s->number[row - 1][c] = cells[c].is_number;
	}
	if (row > s->rows)
		s->rows = row;
	return RBM_OK;
}

/* Reads sheet i of the workbook at path (free() it); NULL, with the problem printed, if not. */
static struct sheet *read_sheet(struct rbm_xlsx *x, size_t i)
{
	struct sheet *s = calloc(1, sizeof *s);
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (rbm_xlsx_read_sheet(x, i, collect, s, &d) != RBM_OK) {
		rbm_diag_print(&d, stdout, "# ");
		free(s);
		s = NULL;
	}
	rbm_diag_free(&d);
	return s;
}

static struct rbm_xlsx *open_xlsx(const char *path)
{
	struct rbm_xlsx *x = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (rbm_xlsx_open(path, NULL, &x, &d) != RBM_OK)
		rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return x;
}

/* A table with caption: a header row and rows of (text, number, number). */
static void add_table(struct rbm_doc *doc, const char *caption, const char *const head[3],
		      const char *const *names, const double *values, size_t n)
{
	struct rbm_arena *a = doc->arena;
	size_t rows = n + 1;
	struct rbm_table *t = rbm_arena_alloc(a, sizeof *t);
	const char **cells = rbm_arena_alloc(a, rows * 3 * sizeof *cells);
	double *numbers = rbm_arena_alloc(a, rows * 3 * sizeof *numbers);
	for (size_t c = 0; c < 3; c++) {
		cells[c] = rbm_doc_str(doc, head[c]);
		numbers[c] = NAN;
	}
	for (size_t r = 0; r < n; r++) {
		char shown[64];
		double *row = numbers + (r + 1) * 3;
		cells[(r + 1) * 3] = rbm_doc_str(doc, names[r]);
		row[0] = NAN;
		snprintf(shown, sizeof shown, "%g", values[2 * r]);
		cells[(r + 1) * 3 + 1] = rbm_doc_str(doc, shown);
		row[1] = values[2 * r];
		snprintf(shown, sizeof shown, "%g%%", values[2 * r + 1] * 100);
		cells[(r + 1) * 3 + 2] = rbm_doc_str(doc, isnan(values[2 * r + 1]) ? "n/a" : shown);
		row[2] = values[2 * r + 1];
	}
	*t = (struct rbm_table){3, rows, cells, numbers, NULL, rbm_doc_str(doc, caption)};
	rbm_doc_add(doc, RBM_BLOCK_TABLE)->table = t;
}

static void add_chart(struct rbm_doc *doc, const char *title)
{
	struct rbm_arena *a = doc->arena;
	struct rbm_chart *c = rbm_arena_alloc(a, sizeof *c);
	const char **labels = rbm_arena_alloc(a, 2 * sizeof *labels);
	const char **statuses = rbm_arena_alloc(a, 2 * sizeof *statuses);
	double *values = rbm_arena_alloc(a, 2 * sizeof *values);
	labels[0] = rbm_doc_str(doc, "1.1.a");
	labels[1] = rbm_doc_str(doc, "1.2.b");
	statuses[0] = rbm_doc_str(doc, "achieved");
	statuses[1] = rbm_doc_str(doc, "no data");
	values[0] = 116.5;
	values[1] = NAN;
	*c = (struct rbm_chart){rbm_doc_str(doc, title), 2, labels, values, statuses, 150, NULL};
	rbm_doc_add(doc, RBM_BLOCK_CHART)->chart = c;
}

static struct rbm_doc *new_doc(enum rbm_lang lang, const char *title)
{
	struct rbm_doc *doc = rbm_doc_new(lang);
	doc->meta.title = rbm_doc_str(doc, title);
	doc->meta.symbol = rbm_doc_str(doc, "HSP/EB.2022/6");
	doc->meta.date = rbm_doc_str(doc, "Distr.: General\n10 March 2022");
	doc->meta.kind = rbm_doc_str(doc, "Note by the secretariat");
	return doc;
}

static const char *const head_en[3] = {"Region", "People reached", "Share"};
static const char *const regions[2] = {"Africa", "Arab States"};
static const double values[4] = {2500000, 0.62, 1250.5, NAN};

/* Writes doc to test_tmpdir()/name; returns the path (free() it), or NULL on failure. */
static char *write_xlsx(struct rbm_doc *doc, const char *name)
{
	char *path = malloc(512);
	snprintf(path, 512, "%s/%s", test_tmpdir(), name);
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_publish_xlsx(doc, path, &d);
	if (rc != RBM_OK) {
		rbm_diag_print(&d, stdout, "# ");
		free(path);
		path = NULL;
	}
	rbm_diag_free(&d);
	return path;
}

static void xlsx_tables_as_sheets(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_EN, "Progress report");
	add_table(doc, "Table 1: People reached [2021]", head_en, regions, values, 2);
	add_table(doc, "Table 1: People reached [2021]", head_en, regions, values, 2);
	add_table(doc, "Table 2. Attainment of outcome indicators by domain of change, 2021", head_en,
		  regions, values, 2);
	add_table(doc, "Who/what? *all* \\ 'quoted'", head_en, regions, values, 1);
	add_chart(doc, "Attainment of outcomes");
	char *path = write_xlsx(doc, "tables.xlsx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	struct rbm_xlsx *x = open_xlsx(path);
	free(path);
	CHECK(x != NULL);
	size_t n = rbm_xlsx_sheet_count(x);
	const char *names[6] = {0};
	for (size_t i = 0; i < n && i < 6; i++)
		names[i] = rbm_xlsx_sheet_name(x, i);
	struct sheet *t1 = read_sheet(x, 1), *chart = read_sheet(x, 5);
	bool ok = n == 6 && t1 && chart;
	if (ok) {
		CHECK_STR(names[0], "About");
		CHECK_STR(names[1], "Table 1 People reached 2021");
		CHECK_STR(names[2], "Table 1 People reached 2021 (2)");
		CHECK_STR(names[3], "Table 2. Attainment of outcome"); /* 31 characters */
		CHECK_STR(names[4], "Who-what all - 'quoted"); /* no apostrophe at the ends */
		CHECK_STR(names[5], "Attainment of outcomes");
		/* Headers are text; numbers are numbers; text stays text. */
		CHECK_INT(t1->rows, 3);
		CHECK_STR(t1->text[0][0], "Region");
		CHECK_STR(t1->text[0][1], "People reached");
		CHECK(!t1->number[0][0] && !t1->number[0][1] && !t1->number[0][2]);
		CHECK_STR(t1->text[1][0], "Africa");
		CHECK(!t1->number[1][0]);
		CHECK_STR(t1->text[1][1], "2500000");
		CHECK(t1->number[1][1]);
		CHECK_STR(t1->text[1][2], "0.62");
		CHECK(t1->number[1][2]);
		CHECK_STR(t1->text[2][1], "1250.5");
		CHECK(t1->number[2][1]);
		CHECK_STR(t1->text[2][2], "n/a"); /* NaN: the cell's text */
		CHECK(!t1->number[2][2]);
		/* The chart's data. */
		CHECK_STR(chart->text[0][0], "Indicator");
		CHECK_STR(chart->text[0][1], "Attainment (%)");
		CHECK_STR(chart->text[1][0], "1.1.a");
		CHECK_STR(chart->text[1][1], "116.5");
		CHECK(chart->number[1][1]);
		CHECK_STR(chart->text[1][2], "achieved");
		CHECK_STR(chart->text[2][1], "");
		CHECK_STR(chart->text[2][2], "no data");
	}
	free(t1);
	free(chart);
	rbm_xlsx_close(x);
	CHECK(ok);
}

static void xlsx_about(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_EN, "Progress report on the strategic plan");
	rbm_doc_footnote(doc, "Figures are illustrative.");
	add_table(doc, "Table 1: People reached", head_en, regions, values, 2);
	doc->fallback = true;
	char *path = write_xlsx(doc, "about.xlsx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	struct rbm_xlsx *x = open_xlsx(path);
	free(path);
	CHECK(x != NULL);
	struct sheet *s = read_sheet(x, 0);
	const char *name = rbm_xlsx_sheet_name(x, 0);
	bool ok = s != NULL && name != NULL && strcmp(name, "About") == 0;
	if (ok) {
		CHECK_STR(s->text[0][0], "Title");
		CHECK_STR(s->text[0][1], "Progress report on the strategic plan");
		CHECK_STR(s->text[1][0], "Symbol");
		CHECK_STR(s->text[1][1], "HSP/EB.2022/6");
		CHECK_STR(s->text[2][0], "Language");
		CHECK_STR(s->text[2][1], "English (en)");
		CHECK_STR(s->text[3][0], "Date");
		CHECK_STR(s->text[3][1], "10 March 2022");
		CHECK_STR(s->text[4][0], "Document");
		CHECK_STR(s->text[4][1], "Note by the secretariat");
		CHECK_STR(s->text[6][0], "Sheets");
		CHECK_STR(s->text[7][0], "Table 1 People reached");
		CHECK_STR(s->text[7][1], "Table 1: People reached");
		CHECK_STR(s->text[8][0], "");
		CHECK_STR(s->text[9][0], "Notes");
		CHECK_STR(s->text[10][0], "1");
		CHECK_STR(s->text[10][1], "Figures are illustrative.");
		CHECK_HAS(s->text[11][1], "shown in English");
	}
	free(s);
	rbm_xlsx_close(x);
	CHECK(ok);
}

/* A doc without tables still gets its About sheet. */
static void xlsx_no_tables(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_ES, "Informe");
	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = 1;
	rbm_doc_run(doc, b, "Texto.", false);
	char *path = write_xlsx(doc, "none.xlsx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	struct rbm_xlsx *x = open_xlsx(path);
	free(path);
	CHECK(x != NULL);
	size_t n = rbm_xlsx_sheet_count(x);
	struct sheet *s = read_sheet(x, 0);
	bool ok = s != NULL;
	if (ok) {
		CHECK_STR(rbm_xlsx_sheet_name(x, 0), "About");
		CHECK_STR(s->text[0][0], "Título");
		CHECK_STR(s->text[0][1], "Informe");
		CHECK_STR(s->text[2][1], "Español (es)");
	}
	free(s);
	rbm_xlsx_close(x);
	CHECK(ok);
	CHECK_INT(n, 1);
}

/* The text of part name in the zip at path (free() it), or NULL. */
static char *read_part(const char *path, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	if (z == NULL)
		return NULL;
	char *text = NULL;
	zip_stat_t st;
	zip_file_t *f = NULL;
	if (zip_stat(z, name, 0, &st) == 0 && (f = zip_fopen(z, name, 0)) != NULL) {
		text = malloc(st.size + 1);
		zip_int64_t got = zip_fread(f, text, st.size);
		text[got < 0 ? 0 : got] = '\0';
		zip_fclose(f);
	}
	zip_discard(z);
	return text;
}

/* Chinese, Arabic and French captions and headers; Arabic sheets run right to left. */
static void xlsx_languages(void)
{
	static const struct {
		enum rbm_lang lang;
		const char *caption, *sheet, *head[3], *language;
	} cases[] = {
		{RBM_LANG_ZH, "表1：按区域分列的、受益于规划署住房和土地方案的人数（2021年，单位：人）",
		 "表1：按区域分列的、受益于规划署住房和土地方案的人数（2021", {"区域", "受益人数", "比例"},
		 "中文 (zh)"},
		{RBM_LANG_AR, "الجدول 1: النتائج حسب المنطقة", "الجدول 1 النتائج حسب المنطقة",
		 {"المنطقة", "عدد المستفيدين", "النسبة"}, "العربية (ar)"},
		{RBM_LANG_FR, "Tableau 1 : Résultats par région", "Tableau 1 Résultats par région",
		 {"Région", "Personnes touchées", "Part"}, "Français (fr)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct rbm_doc *doc = new_doc(cases[i].lang, cases[i].caption);
		add_table(doc, cases[i].caption, cases[i].head, regions, values, 2);
		add_table(doc, "", cases[i].head, regions, values, 1);
		char name[32];
		snprintf(name, sizeof name, "lang-%zu.xlsx", i);
		char *path = write_xlsx(doc, name);
		rbm_doc_free(doc);
		CHECK(path != NULL);
		struct rbm_xlsx *x = open_xlsx(path);
		char *sheet1 = read_part(path, "xl/worksheets/sheet2.xml");
		free(path);
		struct sheet *about = x ? read_sheet(x, 0) : NULL;
		struct sheet *t = x ? read_sheet(x, 1) : NULL;
		bool ok = x && sheet1 && about && t && rbm_xlsx_sheet_count(x) == 3;
		if (ok) {
			CHECK_STR(rbm_xlsx_sheet_name(x, 1), cases[i].sheet);
			CHECK_STR(t->text[0][1], cases[i].head[1]);
			CHECK(!t->number[0][1]);
			CHECK_STR(t->text[1][1], "2500000");
			CHECK(t->number[1][1]);
			CHECK_STR(about->text[2][1], cases[i].language);
			CHECK_INT(strstr(sheet1, "rightToLeft=\"1\"") != NULL, cases[i].lang == RBM_LANG_AR);
			CHECK_HAS(sheet1, "<pane ySplit=\"1\"");
		}
		if (ok && cases[i].lang == RBM_LANG_FR)
			CHECK_STR(rbm_xlsx_sheet_name(x, 2), "Tableau 2");
		free(about);
		free(t);
		free(sheet1);
		rbm_xlsx_close(x);
		CHECK(ok);
	}
}

/* Names Excel refuses or confuses: "History", "About", case-only differences, nothing left. */
static void xlsx_awkward_names(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_EN, "Names");
	add_table(doc, "History", head_en, regions, values, 1);
	add_table(doc, "about", head_en, regions, values, 1);
	add_table(doc, "Results", head_en, regions, values, 1);
	add_table(doc, "RESULTS", head_en, regions, values, 1);
	add_table(doc, "[]:*?", head_en, regions, values, 1);
	add_table(doc, NULL, head_en, regions, values, 1);
	char *path = write_xlsx(doc, "names.xlsx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	struct rbm_xlsx *x = open_xlsx(path);
	free(path);
	CHECK(x != NULL);
	size_t n = rbm_xlsx_sheet_count(x);
	bool ok = n == 7;
	if (ok) {
		CHECK_STR(rbm_xlsx_sheet_name(x, 1), "History (2)");
		CHECK_STR(rbm_xlsx_sheet_name(x, 2), "about (2)");
		CHECK_STR(rbm_xlsx_sheet_name(x, 3), "Results");
		CHECK_STR(rbm_xlsx_sheet_name(x, 4), "RESULTS (2)");
		CHECK_STR(rbm_xlsx_sheet_name(x, 5), "Table 5");
		CHECK_STR(rbm_xlsx_sheet_name(x, 6), "Table 6");
	}
	rbm_xlsx_close(x);
	CHECK(ok);
}

/* Excel counts UTF-16 units: a character outside the BMP takes two of the 31. */
static void xlsx_astral_name(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_EN, "Astral");
	add_table(doc, "123456789012345678901234567890\xF0\x9F\x8F\xA0", head_en, regions, values, 1);
	add_table(doc, "12345678901234567890123456789\xF0\x9F\x8F\xA0", head_en, regions, values, 1);
	char *path = write_xlsx(doc, "astral.xlsx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	struct rbm_xlsx *x = open_xlsx(path);
	free(path);
	CHECK(x != NULL);
	bool ok = rbm_xlsx_sheet_count(x) == 3;
	if (ok) {
		CHECK_STR(rbm_xlsx_sheet_name(x, 1), "123456789012345678901234567890");
		CHECK_STR(rbm_xlsx_sheet_name(x, 2), "12345678901234567890123456789\xF0\x9F\x8F\xA0");
	}
	rbm_xlsx_close(x);
	CHECK(ok);
}

/* A cell past Excel's 32,767 characters: RBM_EINVAL naming the sheet and row, and no file. */
static void xlsx_cell_too_long(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_EN, "Long");
	char *long_name = malloc(40001);
	memset(long_name, 'x', 40000);
	long_name[40000] = '\0';
	const char *names[1] = {long_name};
	add_table(doc, "Long", head_en, names, values, 1);
	free(long_name);
	char path[512];
	snprintf(path, sizeof path, "%s/long.xlsx", test_tmpdir());
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_publish_xlsx(doc, path, &d);
	rbm_doc_free(doc);
	bool where = d.len == 1 && d.entries[0].where && strcmp(d.entries[0].where, "sheet \"Long\" row 2") == 0;
	rbm_diag_free(&d);
	char part[600];
	snprintf(part, sizeof part, "%s.part", path);
	FILE *f = fopen(path, "rb"), *g = fopen(part, "rb");
	bool none = f == NULL && g == NULL;
	if (f)
		fclose(f);
	if (g)
		fclose(g);
	CHECK_INT(rc, RBM_EINVAL);
	CHECK(where);
	CHECK(none);
}

static void xlsx_cannot_write(void)
{
	struct rbm_doc *doc = new_doc(RBM_LANG_EN, "Report");
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *path = "/nonexistent-rbm-dir/report.xlsx";
	enum rbm_rc rc = rbm_publish_xlsx(doc, path, &d);
	rbm_doc_free(doc);
	bool named = d.len == 1 && d.entries[0].file && strcmp(d.entries[0].file, path) == 0;
	bool reason = d.len == 1 && strstr(d.entries[0].reason, "cannot create") != NULL;
	rbm_diag_free(&d);
	CHECK_INT(rc, RBM_EIO);
	CHECK(named);
	CHECK(reason);
}

TEST_MAIN(T(xlsx_tables_as_sheets), T(xlsx_about), T(xlsx_no_tables), T(xlsx_languages),
	  T(xlsx_awkward_names), T(xlsx_astral_name), T(xlsx_cell_too_long), T(xlsx_cannot_write))
