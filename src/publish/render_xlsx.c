/*
 * render_xlsx.c - the figures of a struct rbm_doc as an Excel workbook.
 *
 * Written with libxlsxwriter. The first sheet, "About", names the document
 * (title, symbol, language, date), lists the other sheets with their full
 * captions and carries the doc's footnotes, which say where the figures
 * come from and whether they are illustrative. Then one sheet per table,
 * and per chart (its label, value and status), in the doc's order: the
 * header row in bold and frozen, with an autofilter; a cell whose
 * numbers[i] is not NaN is written as a number, every other cell as text.
 * Sheets run right to left for Arabic.
 *
 * Sheet names come from the captions, made acceptable to Excel: at most 31
 * characters, none of []:*?/\, no apostrophe at either end, unique without
 * regard to case, never the reserved "History"; a caption that leaves
 * nothing gives "Table N".
 */
#include "doc.h"

#include "../core/alloc.h"
#include "../core/buf.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define SHEET_MAX 31     /* Excel's limit, in UTF-16 code units */
#define WIDTH_MIN 8.0
#define WIDTH_MAX 60.0

/* The About sheet's words, in enum rbm_lang order. */
enum { L_TITLE, L_SYMBOL, L_LANGUAGE, L_DATE, L_DOCUMENT, L_SHEETS, L_NOTES, L_FALLBACK,
       L_TABLE, L_COUNT };
static const char *const labels[RBM_LANG_COUNT][L_COUNT] = {
	{"العنوان", "الرمز", "اللغة", "التاريخ", "الوثيقة", "الأوراق", "ملاحظات",
	 "بعض النصوص غير متاحة بهذه اللغة وتُعرض بالإنكليزية.", "الجدول"},
	{"标题", "文号", "语文", "日期", "文件", "工作表", "注",
	 "部分文本没有本语文版本，以英文显示。", "表"},
	{"Title", "Symbol", "Language", "Date", "Document", "Sheets", "Notes",
	 "Some texts are not available in this language and are shown in English.", "Table"},
	{"Titre", "Cote", "Langue", "Date", "Document", "Feuilles", "Notes",
	 "Certains textes ne sont pas disponibles dans cette langue et figurent en anglais.",
	 "Tableau"},
	{"Название", "Условное обозначение", "Язык", "Дата", "Документ", "Листы", "Примечания",
	 "Некоторые тексты отсутствуют на этом языке и приводятся на английском.", "Таблица"},
	{"Título", "Signatura", "Idioma", "Fecha", "Documento", "Hojas", "Notas",
	 "Algunos textos no están disponibles en este idioma y se muestran en inglés.", "Cuadro"},
};

/* The column headings of a chart's sheet, in enum rbm_lang order. */
static const char *const chart_heads[RBM_LANG_COUNT][3] = {
	{"المؤشر", "نسبة الإنجاز (%)", "الحالة"},
	{"指标", "完成率（%）", "状态"},
	{"Indicator", "Attainment (%)", "Status"},
	{"Indicateur", "Taux de réalisation (%)", "Statut"},
	{"Показатель", "Степень достижения (%)", "Статус"},
	{"Indicador", "Grado de logro (%)", "Estado"},
};

struct writer {
	const char *path;
	struct rbm_diag *d;
	lxw_workbook *wb;
	enum rbm_lang lang;
	bool rtl;
	lxw_format *bold, *head, *integer, *wrap;
	enum rbm_rc rc; /* the first failure; reported once */
	char **names;   /* the sheet names given so far */
	size_t names_len;
};

/* A sheet of data: text by cell, and the number a cell holds (NaN: text). */
struct grid {
	size_t rows, cols;
	const char *(*text)(const void *src, size_t r, size_t c);
	double (*number)(const void *src, size_t r, size_t c);
	const void *src;
};

static void fail(struct writer *w, const char *sheet, size_t row, lxw_error e)
{
	if (w->rc != RBM_OK)
		return;
	w->rc = e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? RBM_EINVAL : RBM_EIO;
	char where[160];
	snprintf(where, sizeof where, "sheet \"%s\" row %zu", sheet, row + 1);
	rbm_diag_add(w->d, w->path, where, "cannot write cell: %s", lxw_strerror(e));
}

static void text_cell(struct writer *w, lxw_worksheet *ws, const char *sheet, size_t row,
		      size_t col, const char *s, lxw_format *fmt)
{
	if (s == NULL || *s == '\0')
		return;
	lxw_error e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
	if (e != LXW_NO_ERROR)
		fail(w, sheet, row, e);
}

static void number_cell(struct writer *w, lxw_worksheet *ws, const char *sheet, size_t row,
			size_t col, double x)
{
	/* Whole numbers grouped by thousands; others as they are. */
	lxw_format *fmt = x == floor(x) && fabs(x) < 1e15 ? w->integer : NULL;
	lxw_error e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, x, fmt);
	if (e != LXW_NO_ERROR)
		fail(w, sheet, row, e);
}

/* The code point at s (n bytes left) and its length; 0 for malformed UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len;
	unsigned long c;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2, c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* The width of s in Excel's character units: CJK counts double. */
static double text_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	double width = 0;
	for (size_t i = 0; i < n;) {
		unsigned long cp = 0;
		size_t len = utf8_decode(u + i, n - i, &cp);
		i += len ? len : 1;
		width += cp >= 0x2E80 && cp <= 0xFFEF ? 2 : 1;
	}
	return width;
}

/*
 * A name for a sheet from caption: Excel's forbidden characters dropped
 * ("/" and "\" become "-"), spaces collapsed, cut at 31 UTF-16 units on a
 * character boundary, then made unique with " (2)", " (3)", ... Returns a
 * new string, also kept in w->names.
 */
static char *sheet_name(struct writer *w, const char *caption, size_t n)
{
	struct rbm_buf base;
	rbm_buf_init(&base, 0);
	const unsigned char *u = (const unsigned char *)(caption ? caption : "");
	size_t len = strlen((const char *)u);
	for (size_t i = 0; i < len;) {
		unsigned long cp = 0;
		size_t cl = utf8_decode(u + i, len - i, &cp);
		if (cl == 0) {
			i++;
			continue;
		}
		if (cp == '/' || cp == '\\')
			rbm_buf_addc(&base, '-');
		else if (cp < 0x20 || cp == 0x7F || cp == ' ' || cp == 0xA0 || cp == 0x3000)
			rbm_buf_addc(&base, ' ');
		else if (cp > 0x7F || strchr("[]:*?", (int)cp) == NULL)
			rbm_buf_add(&base, u + i, cl);
		i += cl;
	}
	/* Collapse and trim spaces; no apostrophe at either end. */
	char *s = rbm_buf_take(&base);
	size_t o = 0;
	for (size_t i = 0; s[i]; i++)
		if (s[i] != ' ' || (o > 0 && s[o - 1] != ' '))
			s[o++] = s[i];
	s[o] = '\0';
	char *start = s;
	while (*start == '\'' || *start == ' ')
		start++;
	size_t slen = strlen(start);
	while (slen > 0 && (start[slen - 1] == '\'' || start[slen - 1] == ' '))
		slen--;
	start[slen] = '\0';
	if (*start == '\0') {
		free(s);
		s = rbm_xasprintf("%s %zu", labels[w->lang][L_TABLE], n);
		start = s;
	}

	char *name = NULL;
	for (unsigned k = 1;; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof suffix, " (%u)", k);
		/* Keep as many characters as fit before the suffix. */
		size_t room = SHEET_MAX - strlen(suffix), units = 0, cut = 0;
		const unsigned char *b = (const unsigned char *)start;
		size_t blen = strlen(start);
		while (cut < blen) {
			unsigned long cp = 0;
			size_t cl = utf8_decode(b + cut, blen - cut, &cp);
			size_t cu = cp > 0xFFFF ? 2 : 1;
			if (cl == 0 || units + cu > room)
				break;
			units += cu;
			cut += cl;
		}
		while (cut > 0 && start[cut - 1] == ' ')
			cut--;
		free(name);
		name = rbm_xasprintf("%.*s%s", (int)cut, start, suffix);
		bool taken = strcasecmp(name, "History") == 0;
		for (size_t i = 0; i < w->names_len && !taken; i++)
			taken = strcasecmp(name, w->names[i]) == 0;
		if (!taken && workbook_validate_sheet_name(w->wb, name) == LXW_NO_ERROR)
			break;
	}
	free(s);
	w->names = rbm_xrealloc(w->names, w->names_len + 1, sizeof *w->names);
	w->names[w->names_len++] = name;
	return name;
}

static lxw_worksheet *add_sheet(struct writer *w, const char *name)
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

/* One sheet of data: header row bold and frozen, numbers as numbers, widths to fit. */
static void data_sheet(struct writer *w, const char *name, const struct grid *g)
{
	lxw_worksheet *ws = add_sheet(w, name);
	if (ws == NULL || g->cols == 0 || g->rows == 0)
		return;
	for (size_t c = 0; c < g->cols && c < LXW_COL_MAX; c++) {
		double width = WIDTH_MIN;
		for (size_t r = 0; r < g->rows && r < LXW_ROW_MAX; r++) {
			double x = r > 0 ? g->number(g->src, r, c) : NAN;
			const char *s = g->text(g->src, r, c);
			if (!isnan(x) && isfinite(x))
				number_cell(w, ws, name, r, c, x);
			else
				text_cell(w, ws, name, r, c, s, r == 0 ? w->head : NULL);
			double tw = s ? text_width(s) + 2 : 0;
			if (tw > width)
				width = tw;
		}
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     width > WIDTH_MAX ? WIDTH_MAX : width,
				     width > WIDTH_MAX ? w->wrap : NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (g->rows > 1)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)(g->rows - 1), (lxw_col_t)(g->cols - 1));
}

static const char *table_text(const void *src, size_t r, size_t c)
{
	const struct rbm_table *t = src;
	return t->cells ? t->cells[r * t->cols + c] : NULL;
}

static double table_number(const void *src, size_t r, size_t c)
{
	const struct rbm_table *t = src;
	return t->numbers ? t->numbers[r * t->cols + c] : NAN;
}

struct chart_src {
	const struct rbm_chart *chart;
	const char *const *heads;
};

static const char *chart_text(const void *src, size_t r, size_t c)
{
	const struct chart_src *s = src;
	const struct rbm_chart *ch = s->chart;
	if (r == 0)
		return s->heads[c];
	if (c == 0)
		return ch->labels ? ch->labels[r - 1] : NULL;
	if (c == 2)
		return ch->statuses ? ch->statuses[r - 1] : NULL;
	return NULL;
}

static double chart_number(const void *src, size_t r, size_t c)
{
	const struct chart_src *s = src;
	return c == 1 && r > 0 && s->chart->values ? s->chart->values[r - 1] : NAN;
}

/* The last line of s ("Distr.: General\n10 March 2022" gives the date). */
static const char *last_line(const char *s)
{
	const char *nl = s ? strrchr(s, '\n') : NULL;
	return nl ? nl + 1 : s;
}

/* The About sheet; sheets[i] is the name given to the doc's i-th table or chart. */
static void about(struct writer *w, lxw_worksheet *ws, const struct rbm_doc *doc,
		  char *const *sheets)
{
	const char *const *l = labels[doc->meta.lang];
	const struct rbm_doc_meta *m = &doc->meta;
	const char *sheet = "About";
	char lang[64];
	snprintf(lang, sizeof lang, "%s (%s)", rbm_lang_name(m->lang), rbm_lang_tag(m->lang));
	const char *rows[][2] = {
		{l[L_TITLE], m->title},
		{l[L_SYMBOL], m->symbol},
		{l[L_LANGUAGE], lang},
		{l[L_DATE], last_line(m->date)},
		{l[L_DOCUMENT], m->kind},
	};
	size_t r = 0; /* the next free row */
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		if (rows[i][1] == NULL || *rows[i][1] == '\0')
			continue;
		text_cell(w, ws, sheet, r, 0, rows[i][0], w->bold);
		text_cell(w, ws, sheet, r, 1, rows[i][1], w->wrap);
		r++;
	}

	size_t k = 0;
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *b = &doc->blocks[i];
		const char *caption;
		if (b->kind == RBM_BLOCK_TABLE && b->table)
			caption = b->table->caption;
		else if (b->kind == RBM_BLOCK_CHART && b->chart)
			caption = b->chart->title ? b->chart->title : b->chart->caption;
		else
			continue;
		if (k == 0) { /* after a blank row */
			text_cell(w, ws, sheet, ++r, 0, l[L_SHEETS], w->bold);
			r++;
		}
		text_cell(w, ws, sheet, r, 0, sheets[k++], NULL);
		text_cell(w, ws, sheet, r, 1, caption, w->wrap);
		r++;
	}

	if (doc->footnotes_len > 0 || doc->fallback) {
		text_cell(w, ws, sheet, ++r, 0, l[L_NOTES], w->bold);
		r++;
		for (size_t i = 0; i < doc->footnotes_len; i++) {
			char mark[24];
			snprintf(mark, sizeof mark, "%zu", i + 1);
			text_cell(w, ws, sheet, r, 0, mark, NULL);
			text_cell(w, ws, sheet, r, 1, doc->footnotes[i], w->wrap);
			r++;
		}
		if (doc->fallback)
			text_cell(w, ws, sheet, r, 1, l[L_FALLBACK], w->wrap);
	}
	double first = WIDTH_MIN;
	for (int i = 0; i < L_COUNT; i++)
		if (text_width(l[i]) + 2 > first && i != L_FALLBACK)
			first = text_width(l[i]) + 2;
	for (size_t i = 0; i < w->names_len; i++)
		if (text_width(w->names[i]) + 2 > first)
			first = text_width(w->names[i]) + 2;
	worksheet_set_column(ws, 0, 0, first, NULL);
	worksheet_set_column(ws, 1, 1, 80, w->wrap);
}

enum rbm_rc rbm_publish_xlsx(const struct rbm_doc *doc, const char *path, struct rbm_diag *d)
{
	assert(doc != NULL && path != NULL);
	enum rbm_rc rc = RBM_OK;
	struct writer w = {.path = path, .d = d, .lang = doc->meta.lang,
			   .rtl = doc->meta.rtl || doc->meta.lang == RBM_LANG_AR};
	char **sheets = NULL;
	size_t sheets_len = 0;
	/* Written beside path and renamed over it: a failure leaves the old file as it was. */
	char *part = rbm_xasprintf("%s.part", path);
	bool created = false;

	/* libxlsxwriter opens the file only in workbook_close(): try it first, for errno's reason. */
	FILE *probe = fopen(part, "wb");
	if (probe == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
		goto out;
	}
	created = true;
	fclose(probe);

	w.wb = workbook_new(part);
	if (w.wb == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create the workbook");
		rc = RBM_EIO;
		goto out;
	}
	w.bold = workbook_add_format(w.wb);
	w.head = workbook_add_format(w.wb);
	w.integer = workbook_add_format(w.wb);
	w.wrap = workbook_add_format(w.wb);
	format_set_bold(w.bold);
	format_set_bold(w.head);
	format_set_bottom(w.head, LXW_BORDER_THIN);
	format_set_text_wrap(w.head);
	format_set_align(w.head, LXW_ALIGN_VERTICAL_TOP);
	format_set_num_format(w.integer, "#,##0");
	format_set_text_wrap(w.wrap);
	format_set_align(w.wrap, LXW_ALIGN_VERTICAL_TOP);

	lxw_doc_properties props = {
		.title = (char *)doc->meta.title,
		.subject = (char *)doc->meta.agenda_title,
		.keywords = (char *)doc->meta.symbol,
		.comments = (char *)doc->meta.kind,
	};
	workbook_set_properties(w.wb, &props);

	/* Names first, so the About sheet can list them; sheets in the doc's order. */
	lxw_worksheet *about_ws = add_sheet(&w, "About");
	w.names = rbm_xcalloc(1, sizeof *w.names);
	w.names[w.names_len++] = rbm_xstrdup("About");
	for (size_t i = 0; i < doc->blocks_len && w.rc == RBM_OK; i++) {
		const struct rbm_block *b = &doc->blocks[i];
		const char *caption;
		if (b->kind == RBM_BLOCK_TABLE && b->table)
			caption = b->table->caption;
		else if (b->kind == RBM_BLOCK_CHART && b->chart)
			caption = b->chart->title ? b->chart->title : b->chart->caption;
		else
			continue;
		sheets = rbm_xrealloc(sheets, sheets_len + 1, sizeof *sheets);
		sheets[sheets_len] = sheet_name(&w, caption, sheets_len + 1);
		sheets_len++;
		if (b->kind == RBM_BLOCK_TABLE) {
			struct grid g = {b->table->rows, b->table->cols, table_text, table_number,
					 b->table};
			data_sheet(&w, sheets[sheets_len - 1], &g);
		} else {
			struct chart_src src = {b->chart, chart_heads[doc->meta.lang]};
			struct grid g = {b->chart->bars + 1, 3, chart_text, chart_number, &src};
			data_sheet(&w, sheets[sheets_len - 1], &g);
		}
	}
	if (about_ws != NULL && w.rc == RBM_OK)
		about(&w, about_ws, doc, sheets);
	rc = w.rc;
	if (rc != RBM_OK)
		goto out;

	lxw_error e = workbook_close(w.wb);
	w.wb = NULL;
	if (e != LXW_NO_ERROR) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", lxw_strerror(e));
		rc = RBM_EIO;
		goto out;
	}
	if (rename(part, path) != 0) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
		goto out;
	}
	created = false;

out:
	if (w.wb != NULL)
		workbook_close(w.wb); /* the only way to free it; the file goes below */
	if (created)
		unlink(part);
	for (size_t i = 0; i < w.names_len; i++)
		free(w.names[i]);
	free(w.names);
	free(sheets);
	free(part);
	return rc;
}
