/*
 * doc.h - a rendered report as a list of blocks, ready for any format.
 *
 * The report builder (report.c) fills a struct rbm_doc from a report
 * definition, the editorial text and the measured figures, in one
 * language; each renderer (Markdown, HTML, PDF, DOCX, XLSX) writes it out
 * (render.h picks the renderer by format name and renders into memory too).
 * All strings are UTF-8 and belong to the doc's arena.
 */
#ifndef RBM_PUBLISH_DOC_H
#define RBM_PUBLISH_DOC_H

#include "../core/diag.h"
#include "../core/rbm.h"

#include <stddef.h>

/* A stretch of text with one style. footnote > 0: a reference mark to that footnote follows. */
struct rbm_run {
	const char *text;
	bool bold, italic;
	int footnote;
};

enum rbm_block_kind {
	RBM_BLOCK_HEADING,   /* level 1 (section), 2 (subsection), 3 */
	RBM_BLOCK_PARAGRAPH, /* number > 0: a numbered paragraph (UN style "1.") */
	RBM_BLOCK_ITEM,      /* a lettered sub-item: letter 'a' -> "(a)" */
	RBM_BLOCK_TABLE,
	RBM_BLOCK_CHART
};

struct rbm_table {
	size_t cols, rows;     /* rows include the header row */
	const char **cells;    /* rows * cols, row-major; row 0 is the header */
	const double *numbers; /* rows * cols: the number a cell shows (for spreadsheets), or NaN */
	const bool *right;     /* per column: align right (numbers) */
	const char *caption;
};

/* A horizontal bar chart of percentages (attainment). */
struct rbm_chart {
	const char *title;
	size_t bars;
	const char **labels;
	const double *values;   /* percent; NaN for "no data" */
	const char **statuses;  /* per bar: "achieved", "on track", "behind", "no data", "no target" */
	double max;             /* the scale's end, e.g. 150 */
	const char *caption;
};

struct rbm_block {
	enum rbm_block_kind kind;
	int level;
	int number;
	char letter;
	struct rbm_run *runs;
	size_t runs_len;
	const struct rbm_table *table;
	const struct rbm_chart *chart;
	const char *anchor;     /* an id for links (HTML), or NULL */
};

/* The UN document header block and what surrounds the body. */
struct rbm_doc_meta {
	enum rbm_lang lang;
	bool rtl;              /* Arabic */
	const char *body;      /* "Executive Board of the United Nations Human Settlements Programme" */
	const char *session;   /* "2022 session" / "First session of 2022" */
	const char *place_dates; /* "Nairobi, 29–31 March 2022" */
	const char *symbol;    /* document symbol, e.g. "HSP/EB.2022/6" */
	const char *date;      /* "Distr.: General\n<date>" */
	const char *agenda;    /* "Item 10 of the provisional agenda*" */
	const char *agenda_note; /* footnote text for the agenda: "* HSP/EB.2022/1." */
	const char *agenda_title; /* the item's title */
	const char *title;     /* the document's title */
	const char *kind;      /* "Note by the secretariat" */
	const char *unedited;  /* footnote: "The present document is being issued without formal editing." */
	const char *report;    /* report id: "highlights" or "annual" */
};

struct rbm_doc {
	struct rbm_arena *arena;
	struct rbm_doc_meta meta;
	struct rbm_block *blocks;
	size_t blocks_len, blocks_cap;
	/* Footnotes, numbered from 1: footnotes[i] is footnote i + 1 (body text). */
	const char **footnotes;
	size_t footnotes_len, footnotes_cap;
	bool fallback;          /* some text was missing in the language and shown in English */
};

struct rbm_doc *rbm_doc_new(enum rbm_lang lang);
void rbm_doc_free(struct rbm_doc *d);
/* Copies into the doc's arena. */
const char *rbm_doc_str(struct rbm_doc *d, const char *s);
struct rbm_block *rbm_doc_add(struct rbm_doc *d, enum rbm_block_kind kind);
/* Appends a run to b (text copied). */
void rbm_doc_run(struct rbm_doc *d, struct rbm_block *b, const char *text, bool bold);
/* Adds a footnote; returns its number. */
int rbm_doc_footnote(struct rbm_doc *d, const char *text);

/* Renderers: each writes one file; RBM_EIO with the path named when it cannot. */
enum rbm_rc rbm_publish_md(const struct rbm_doc *doc, const char *path, struct rbm_diag *d);
enum rbm_rc rbm_publish_html(const struct rbm_doc *doc, const char *path,
			     const char *const *alternates, struct rbm_diag *d);
enum rbm_rc rbm_publish_pdf(const struct rbm_doc *doc, const char *path, struct rbm_diag *d);
enum rbm_rc rbm_publish_docx(const struct rbm_doc *doc, const char *path, struct rbm_diag *d);
enum rbm_rc rbm_publish_xlsx(const struct rbm_doc *doc, const char *path, struct rbm_diag *d);

#endif
