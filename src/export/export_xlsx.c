/*
 * export_xlsx.c - tables as an Excel workbook, written with libxlsxwriter.
 *
 * One sheet per table, named after its level ("value", "indicator",
 * "outcome", "domain"), in the order given; then the sheet "columns", which
 * describes every column of every sheet (sheet, column, type, required,
 * description). Each sheet has its header row in bold and frozen, and an
 * autofilter; string cells are text, the other types number cells in the
 * General format (no thousands separators), null cells are left empty.
 * Sheets run right to left for Arabic. The caller holds the C numeric
 * locale.
 */
#include "export_int.h"

#include "../core/alloc.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#define WIDTH_MIN 6.0
#define WIDTH_MAX 50.0
#define WIDTH_SAMPLE 200 /* rows looked at to size a column */

struct writer {
	const char *path;
	struct rbm_diag *d;
	lxw_workbook *wb;
	lxw_format *head;
	bool rtl;
	enum rbm_rc rc; /* the first failure, reported once */
};

static void fail(struct writer *w, const char *sheet, size_t row, lxw_error e)
{
	if (w->rc != RBM_OK)
		return;
	w->rc = e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? RBM_ETOOBIG : RBM_EIO;
	char where[96];
	snprintf(where, sizeof where, "sheet \"%s\" row %zu", sheet, row + 1);
	rbm_diag_add(w->d, w->path, where, "cannot write cell: %s", lxw_strerror(e));
}

/* Characters of s, CJK counted twice: Excel's width units, roughly. */
static double width_of(const char *s)
{
	double n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		n += *p >= 0xE3 && *p <= 0xED ? 2 : 1;
	}
	return n;
}

static lxw_worksheet *sheet(struct writer *w, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
	if (ws == NULL) {
		if (w->rc == RBM_OK)
			rbm_diag_add(w->d, w->path, name, "cannot add the sheet");
		w->rc = RBM_EIO;
		return NULL;
	}
	if (w->rtl)
		worksheet_right_to_left(ws);
	return ws;
}

static void text(struct writer *w, lxw_worksheet *ws, const char *name, size_t r, size_t c, const char *s,
		 lxw_format *fmt)
{
	lxw_error e = worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, fmt);
	if (e != LXW_NO_ERROR)
		fail(w, name, r, e);
}

static void header(struct writer *w, lxw_worksheet *ws, const char *name, const char *const *heads,
		   const double *widths, size_t n, size_t rows)
{
	for (size_t c = 0; c < n; c++) {
		text(w, ws, name, 0, c, heads[c], w->head);
		double width = widths[c] < WIDTH_MIN ? WIDTH_MIN : widths[c] > WIDTH_MAX ? WIDTH_MAX : widths[c];
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (n > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(n - 1));
}

static void table_sheet(struct writer *w, const struct rbm_export_table *t)
{
	const char *name = rbm_export_level_name(t->level);
	if (t->rows_len >= LXW_ROW_MAX) {
		rbm_diag_add(w->d, w->path, name, "%zu rows are more than a sheet holds (%u): export this level as CSV",
			     t->rows_len, (unsigned)LXW_ROW_MAX - 1);
		w->rc = RBM_ETOOBIG;
		return;
	}
	lxw_worksheet *ws = sheet(w, name);
	if (ws == NULL)
		return;
	const char **heads = rbm_xcalloc(t->columns_len + 1, sizeof *heads);
	double *widths = rbm_xcalloc(t->columns_len + 1, sizeof *widths);
	for (size_t c = 0; c < t->columns_len; c++) {
		heads[c] = t->columns[c].name;
		widths[c] = width_of(heads[c]) + 3; /* room for the filter button */
	}
	char num[RBM_EXPORT__NUMBER_MAX];
	for (size_t r = 0; r < t->rows_len && w->rc == RBM_OK; r++) {
		for (size_t c = 0; c < t->columns_len; c++) {
			const struct rbm_export_cell *x = rbm_export_cell(t, r, c);
			if (x->null)
				continue;
			double width;
			if (t->columns[c].type == RBM_EXPORT_STRING) {
				text(w, ws, name, r + 1, c, x->s ? x->s : "", NULL);
				width = r < WIDTH_SAMPLE ? width_of(x->s ? x->s : "") + 1 : 0;
			} else {
				lxw_error e = worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, x->x, NULL);
				if (e != LXW_NO_ERROR)
					fail(w, name, r + 1, e);
				rbm_export__number(x->x, num);
				width = r < WIDTH_SAMPLE ? (double)strlen(num) + 1 : 0;
			}
			if (width > widths[c])
				widths[c] = width;
		}
	}
	header(w, ws, name, heads, widths, t->columns_len, t->rows_len);
	free(widths);
	free(heads);
}

static void columns_sheet(struct writer *w, const struct rbm_export_table *const *tables, size_t n)
{
	const char *name = "columns";
	lxw_worksheet *ws = sheet(w, name);
	if (ws == NULL)
		return;
	static const char *const heads[] = {"sheet", "column", "type", "required", "description"};
	double widths[5] = {8, 10, 9, 10, 80};
	size_t r = 1;
	for (size_t i = 0; i < n; i++) {
		const struct rbm_export_table *t = tables[i];
		for (size_t c = 0; c < t->columns_len; c++, r++) {
			const struct rbm_export_column *col = &t->columns[c];
			text(w, ws, name, r, 0, rbm_export_level_name(t->level), NULL);
			text(w, ws, name, r, 1, col->name, NULL);
			text(w, ws, name, r, 2, rbm_export_type_name(col->type), NULL);
			text(w, ws, name, r, 3, col->required ? "yes" : "no", NULL);
			text(w, ws, name, r, 4, col->description, NULL);
			if (width_of(col->name) + 1 > widths[1])
				widths[1] = width_of(col->name) + 1;
		}
	}
	header(w, ws, name, heads, widths, 5, r - 1);
}

enum rbm_rc rbm_export__xlsx(const struct rbm_export_table *const *tables, size_t n,
			     const char *path, struct rbm_diag *d)
{
	struct writer w = {path, d, NULL, NULL, false, RBM_OK};
	if (n == 0) {
		rbm_diag_add(d, path, NULL, "a workbook needs at least one table");
		return RBM_EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (tables[i]->level == tables[j]->level) {
				rbm_diag_add(d, path, NULL, "the %s level is given twice", rbm_export_level_name(tables[i]->level));
				return RBM_EINVAL;
			}
	w.rtl = tables[0]->lang == RBM_LANG_AR;
	w.wb = workbook_new(path);
	if (w.wb == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create the workbook");
		return RBM_EIO;
	}
	w.head = workbook_add_format(w.wb);
	format_set_bold(w.head);
	format_set_bottom(w.head, LXW_BORDER_THIN);
	char *title = rbm_xasprintf("%s: results of cycle %d", tables[0]->plan_title, tables[0]->cycle);
	lxw_doc_properties props = {.title = title, .subject = (char *)tables[0]->plan_code,
				    .comments = (char *)"Exported by rbm (docs/exports.md describes every column)."};
	workbook_set_properties(w.wb, &props);
	for (size_t i = 0; i < n && w.rc == RBM_OK; i++)
		table_sheet(&w, tables[i]);
	if (w.rc == RBM_OK)
		columns_sheet(&w, tables, n);
	lxw_error e = workbook_close(w.wb); /* writes the file; the only way to free the workbook */
	if (w.rc == RBM_OK && e != LXW_NO_ERROR) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", lxw_strerror(e));
		w.rc = RBM_EIO;
	}
	free(title);
	return w.rc;
}
