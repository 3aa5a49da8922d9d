/*
 * xlsform_write.c - the survey as an XLSForm workbook, for KoBoToolbox,
 * ODK Central and any tool that reads XLSForm.
 *
 * Three sheets, written with libxlsxwriter: survey (one row per question,
 * translated columns label::/hint::/constraint_message:: for each of the
 * six languages), choices (one row per choice) and settings (title, id,
 * version, default language). docs/xlsform.md describes the columns;
 * xlsform_read.c reads such a workbook, and any other XLSForm, back.
 */
#include "collect_int.h"

#include "../core/alloc.h"
#include "../core/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* XLSForm language columns: the English name and the tag, "French (fr)". */
static const char *const lang_column[RBM_LANG_COUNT] = {
	"Arabic (ar)", "Chinese (zh)", "English (en)", "French (fr)", "Russian (ru)", "Spanish (es)",
};

struct writer {
	const char *path;
	struct rbm_diag *d;
	lxw_format *bold;
	enum rbm_rc rc; /* the first failure; later cells are still tried, reported once */
};

/* Writes s (NULL or "" leaves the cell empty) at row, col of ws. */
static void cell(struct writer *w, lxw_worksheet *ws, const char *sheet, size_t row, size_t col,
		 const char *s, lxw_format *fmt)
{
	if (s == NULL || *s == '\0')
		return;
	lxw_error e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
	if (e == LXW_NO_ERROR || w->rc != RBM_OK)
		return;
	w->rc = e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? RBM_EINVAL : RBM_EIO;
	char where[64];
	snprintf(where, sizeof where, "%s row %zu", sheet, row + 1);
	rbm_diag_add(w->d, w->path, where, "cannot write cell: %s", lxw_strerror(e));
}

/* A header row in bold, frozen above the rest, with column widths. */
static void header(struct writer *w, lxw_worksheet *ws, const char *sheet,
		   const char *const *names, const double *widths, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		cell(w, ws, sheet, 0, c, names[c], w->bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

/* The six translations of t from column col on. */
static void texts(struct writer *w, lxw_worksheet *ws, const char *sheet, size_t row, size_t col,
		  const struct rbm_text *t)
{
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		cell(w, ws, sheet, row, col + (size_t)l, t->s[l], NULL);
}

static const char *type_name(enum rbm_question_type t)
{
	switch (t) {
	case RBM_Q_BEGIN_GROUP: return "begin group";
	case RBM_Q_END_GROUP: return "end group";
	case RBM_Q_INTEGER: return "integer";
	case RBM_Q_DECIMAL: return "decimal";
	case RBM_Q_TEXT: return "text";
	case RBM_Q_SELECT_ONE: return "select_one";
	case RBM_Q_SELECT_MULTIPLE: return "select_multiple";
	case RBM_Q_CALCULATE: return "calculate";
	case RBM_Q_NOTE: return "note";
	}
	return "text";
}

/* Survey columns: type, name, 3 x 6 translations, then these. */
enum { S_TYPE, S_NAME, S_LABEL, S_HINT = S_LABEL + RBM_LANG_COUNT,
       S_CMSG = S_HINT + RBM_LANG_COUNT, S_REQUIRED = S_CMSG + RBM_LANG_COUNT, S_CONSTRAINT,
       S_RELEVANT, S_CALCULATION, S_APPEARANCE, S_COUNT };

static void survey(struct writer *w, lxw_worksheet *ws, const struct rbm_form *f)
{
	char hdr[S_COUNT][48];
	const char *names[S_COUNT];
	double widths[S_COUNT];
	static const char *const translated[] = {"label", "hint", "constraint_message"};
	snprintf(hdr[S_TYPE], sizeof hdr[0], "type");
	snprintf(hdr[S_NAME], sizeof hdr[0], "name");
	for (size_t k = 0; k < 3; k++)
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			snprintf(hdr[S_LABEL + k * RBM_LANG_COUNT + (size_t)l], sizeof hdr[0], "%s::%s",
				 translated[k], lang_column[l]);
	snprintf(hdr[S_REQUIRED], sizeof hdr[0], "required");
	snprintf(hdr[S_CONSTRAINT], sizeof hdr[0], "constraint");
	snprintf(hdr[S_RELEVANT], sizeof hdr[0], "relevant");
	snprintf(hdr[S_CALCULATION], sizeof hdr[0], "calculation");
	snprintf(hdr[S_APPEARANCE], sizeof hdr[0], "appearance");
	for (size_t c = 0; c < S_COUNT; c++) {
		names[c] = hdr[c];
		widths[c] = c == S_TYPE || c == S_NAME ? 28 : c < S_REQUIRED ? 40 : 20;
	}
	header(w, ws, "survey", names, widths, S_COUNT);

	for (size_t i = 0; i < f->questions_len; i++) {
		const struct rbm_question *q = &f->questions[i];
		size_t row = i + 1;
		char *type = (q->type == RBM_Q_SELECT_ONE || q->type == RBM_Q_SELECT_MULTIPLE) && q->list
			? rbm_xasprintf("%s %s", type_name(q->type), q->list)
			: rbm_xstrdup(type_name(q->type));
		cell(w, ws, "survey", row, S_TYPE, type, NULL);
		free(type);
		cell(w, ws, "survey", row, S_NAME, q->name, NULL);
		texts(w, ws, "survey", row, S_LABEL, &q->label);
		texts(w, ws, "survey", row, S_HINT, &q->hint);
		texts(w, ws, "survey", row, S_CMSG, &q->constraint_message);
		cell(w, ws, "survey", row, S_REQUIRED, q->required ? "yes" : NULL, NULL);
		cell(w, ws, "survey", row, S_CONSTRAINT, q->constraint, NULL);
		cell(w, ws, "survey", row, S_RELEVANT, q->relevant, NULL);
		cell(w, ws, "survey", row, S_CALCULATION, q->calculation, NULL);
		cell(w, ws, "survey", row, S_APPEARANCE,
		     q->type == RBM_Q_TEXT && q->role == RBM_ROLE_NARRATIVE ? "multiline" : NULL, NULL);
	}
}

static void choices(struct writer *w, lxw_worksheet *ws, const struct rbm_form *f)
{
	char hdr[2 + RBM_LANG_COUNT][32];
	const char *names[2 + RBM_LANG_COUNT];
	double widths[2 + RBM_LANG_COUNT];
	snprintf(hdr[0], sizeof hdr[0], "list_name");
	snprintf(hdr[1], sizeof hdr[1], "name");
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		snprintf(hdr[2 + l], sizeof hdr[0], "label::%s", lang_column[l]);
	for (size_t c = 0; c < 2 + RBM_LANG_COUNT; c++) {
		names[c] = hdr[c];
		widths[c] = c < 2 ? 16 : 40;
	}
	header(w, ws, "choices", names, widths, 2 + RBM_LANG_COUNT);

	size_t row = 1;
	for (size_t i = 0; i < f->lists_len; i++) {
		const struct rbm_choice_list *l = &f->lists[i];
		for (size_t k = 0; k < l->choices_len; k++, row++) {
			cell(w, ws, "choices", row, 0, l->name, NULL);
			cell(w, ws, "choices", row, 1, l->choices[k].name, NULL);
			texts(w, ws, "choices", row, 2, &l->choices[k].label);
		}
	}
}

static void settings(struct writer *w, lxw_worksheet *ws, const struct rbm_form *f)
{
	static const char *const names[] = {"form_title", "form_id", "version", "default_language"};
	static const double widths[] = {60, 20, 20, 20};
	header(w, ws, "settings", names, widths, 4);
	cell(w, ws, "settings", 1, 0, rbm_text_get(&f->title, RBM_LANG_EN), NULL);
	cell(w, ws, "settings", 1, 1, f->id, NULL);
	cell(w, ws, "settings", 1, 2, f->version, NULL);
	cell(w, ws, "settings", 1, 3, lang_column[RBM_LANG_EN], NULL);
}

enum rbm_rc rbm_collect_xlsform_write(const struct rbm_form *f, const char *path,
				      struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	struct writer w = {path, d, NULL, RBM_OK};
	lxw_workbook *wb = NULL;
	/* Written beside path and renamed over it: a failure leaves the old file as it was. */
	char *part = rbm_xasprintf("%s.part", path);
	bool created = false;

	/*
	 * libxlsxwriter opens the file only in workbook_close(), and reports a
	 * failure there on stderr; try it first, so the reason is errno's.
	 */
	FILE *probe = fopen(part, "wb");
	if (probe == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
		goto out;
	}
	created = true;
	fclose(probe);

	wb = workbook_new(part);
	if (wb == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create the workbook");
		rc = RBM_EIO;
		goto out;
	}
	w.bold = workbook_add_format(wb);
	format_set_bold(w.bold);
	lxw_worksheet *s = workbook_add_worksheet(wb, "survey");
	lxw_worksheet *c = workbook_add_worksheet(wb, "choices");
	lxw_worksheet *t = workbook_add_worksheet(wb, "settings");
	if (w.bold == NULL || s == NULL || c == NULL || t == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create the workbook");
		rc = RBM_EIO;
		goto out;
	}
	survey(&w, s, f);
	choices(&w, c, f);
	settings(&w, t, f);
	rc = w.rc;
	if (rc != RBM_OK)
		goto out;

	lxw_error e = workbook_close(wb);
	wb = NULL;
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
	if (wb != NULL)
		workbook_close(wb); /* the only way to free it; the file goes below */
	if (created)
		unlink(part);
	free(part);
	return rc;
}
