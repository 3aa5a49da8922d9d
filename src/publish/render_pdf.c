/*
 * render_pdf.c - a struct rbm_doc as a PDF laid out like a UN Executive Board
 * document, with cairo's PDF surface and PangoCairo.
 *
 * A4, 2.5 cm margins. Page 1 opens with the UN header block (body name and
 * document symbol, a thick rule, session, place and dates, agenda item,
 * title, "Note by the secretariat"); paragraphs are numbered in a hanging
 * column with their text justified at the indent; lettered items are set
 * further in; tables repeat their header row on each page and never split a
 * row; bar charts are drawn as vectors. Footnotes go to the foot of the page
 * that refers to them (the header block's notes, marked * and **, to page 1);
 * pages are numbered at the foot, and from page 2 carry the symbol at the top.
 * Arabic is mirrored: the number column, the header block and the bars move
 * to the right. Marks follow each language's UN usage: "1." and "(a)";
 * "a)" in French, Spanish and Russian; "1 -" and "(أ)" in Arabic.
 *
 * Layout is one pass: each text is a PangoLayout whose lines are placed one
 * by one at a fixed leading, so a paragraph can break across pages and each
 * line's footnotes are known when it is placed. Headings and captions keep
 * room for what follows them; a paragraph's first two lines stay together.
 *
 * Every font family the language needs is looked up in the font map first;
 * a missing one fails with RBM_EIO naming the Debian package to install.
 * All state lives in one struct render; the font map is created and released
 * per call.
 */
#include "doc.h"
#include "locale.h"

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/utf8.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 70.87                  /* 2.5 cm on every side */
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define INDENT 36.0                   /* 1.27 cm: where paragraph text starts */
#define ITEM_INDENT 28.0              /* from the "(a)" to the item's text */
#define FIRST_TOP 40.0                /* page 1: the header block starts here */
#define BODY_TOP 72.0                 /* later pages: below the running header */
#define BODY_BOTTOM (PAGE_H - MARGIN) /* text and footnotes end here */
#define NOTE_SEP 10.0                 /* the footnote rule and the space around it */

/* The header block's notes; doc footnotes are 1..n. */
enum { NOTE_UNEDITED = -2, NOTE_AGENDA = -1 };

enum align { A_START, A_END, A_CENTER, A_JUSTIFY };

struct style {
	bool sans, bold, italic;
	double size; /* points, before the language's scale */
};

static const struct style ST_BODY = {false, false, false, 10.5};
static const struct style ST_BODY_BOLD = {false, true, false, 10.5};
static const struct style ST_BODY_NAME = {true, true, false, 14};
static const struct style ST_SYMBOL = {true, true, false, 14};
static const struct style ST_DISTR = {false, false, false, 9.5};
static const struct style ST_TITLE = {true, true, false, 15};
static const struct style ST_KIND = {true, true, false, 11.5};
static const struct style ST_H1 = {true, true, false, 12.5};
static const struct style ST_H2 = {true, true, false, 11};
static const struct style ST_H3 = {true, true, true, 10.5};
static const struct style ST_NOTE = {false, false, false, 8.5};
static const struct style ST_CELL = {false, false, false, 9};
static const struct style ST_CELL_HEAD = {false, true, false, 9};
static const struct style ST_CAPTION = {false, true, false, 10};
static const struct style ST_CHART_TITLE = {true, true, false, 10};
static const struct style ST_LABEL = {false, false, false, 9};
static const struct style ST_VALUE = {true, false, false, 8};
static const struct style ST_SMALL = {false, false, true, 8.5};
static const struct style ST_RUNNING = {true, true, false, 8.5};
static const struct style ST_PAGENO = {false, false, false, 9};

/* A footnote reference inside a layout's text. */
struct ref {
	int index; /* byte offset of the mark */
	int note;
};

struct render {
	const struct rbm_doc *doc;
	struct rbm_diag *d;
	const char *path;
	FILE *f;
	int werr; /* errno of the first failed write */
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fm;
	PangoContext *ctx;
	/* the language */
	bool rtl;
	const char *serif, *sans; /* family lists */
	double scale, lead;       /* font size factor, leading as a multiple of the size */
	/* the page */
	int page;
	double top, y; /* top of the body area, the next free line */
	int *notes;    /* footnotes on this page, in order */
	size_t notes_len, notes_cap;
	double notes_h;       /* height of their area (0: none) */
	bool *placed;         /* per note slot: already on a page */
	PangoLayout **note_l; /* per note slot, made when first needed */
	int outline;          /* the last level-1 outline entry */
};

/* ---- fonts and layouts ---- */

struct font_need {
	const char *family, *package;
};

/* The families each language needs, the Latin ones first; NULL ends a list. */
static const struct font_need FONTS[][3] = {
	{{"Noto Serif", "fonts-noto-core"}, {"Noto Sans", "fonts-noto-core"}, {NULL, NULL}},
	{{"Noto Sans Arabic", "fonts-noto-core"}, {NULL, NULL}, {NULL, NULL}},
	{{"Noto Serif CJK SC", "fonts-noto-cjk"}, {"Noto Sans CJK SC", "fonts-noto-cjk"}, {NULL, NULL}},
};

static bool has_family(PangoFontFamily **fam, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (g_ascii_strcasecmp(pango_font_family_get_name(fam[i]), name) == 0)
			return true;
	return false;
}

static enum rbm_rc check_fonts(struct render *r)
{
	enum rbm_rc rc = RBM_OK;
	PangoFontFamily **fam = NULL;
	int n = 0;
	pango_font_map_list_families(r->fm, &fam, &n);
	const struct font_need *sets[] = {FONTS[0], r->doc->meta.lang == RBM_LANG_AR ? FONTS[1] : NULL,
					  r->doc->meta.lang == RBM_LANG_ZH ? FONTS[2] : NULL};
	for (size_t s = 0; s < 3; s++) {
		for (const struct font_need *f = sets[s]; f && f->family; f++) {
			if (has_family(fam, n, f->family))
				continue;
			rbm_diag_add(r->d, r->path, NULL, "no font \"%s\": install the Debian package %s",
				     f->family, f->package);
			rc = RBM_EIO;
		}
	}
	g_free(fam);
	return rc;
}

/* Families, sizes and leading for the document's language. */
static void setup_lang(struct render *r)
{
	r->rtl = r->doc->meta.rtl;
	r->scale = 1.0;
	r->lead = 1.26;
	r->serif = "Noto Serif,Noto Sans Arabic,Noto Serif CJK SC";
	r->sans = "Noto Sans,Noto Sans Arabic,Noto Sans CJK SC";
	if (r->doc->meta.lang == RBM_LANG_ZH) {
		/* CJK first: Chinese punctuation and figures from one face. */
		r->serif = "Noto Serif CJK SC,Noto Serif,Noto Sans Arabic";
		r->sans = "Noto Sans CJK SC,Noto Sans,Noto Sans Arabic";
		r->lead = 1.55;
	} else if (r->doc->meta.lang == RBM_LANG_AR) {
		/*
		 * Noto Sans Arabic for the text too: Naskh sets hamza and vowel marks
		 * as positioned marks, which text extraction (poppler, and so search
		 * and copy in many viewers) splits off the letters.
		 */
		r->serif = "Noto Sans Arabic,Noto Serif,Noto Serif CJK SC";
		r->sans = "Noto Sans Arabic,Noto Sans,Noto Sans CJK SC";
		r->scale = 1.05;
		r->lead = 1.6;
	}
}

static double font_size(const struct render *r, const struct style *st)
{
	return st->size * r->scale;
}

static double leading(const struct render *r, const struct style *st)
{
	return font_size(r, st) * r->lead;
}

/* From the top of a line box to its baseline. */
static double ascent(const struct render *r, const struct style *st)
{
	double s = font_size(r, st);
	return (leading(r, st) - s) / 2 + 0.82 * s;
}

/* The page x of a box at x (measured from the left as if left-to-right) of width w. */
static double page_x(const struct render *r, double x, double w)
{
	return r->rtl ? PAGE_W - x - w : x;
}

/* A layout in style st; width <= 0: no wrapping. */
static PangoLayout *layout_new(struct render *r, const struct style *st, double width, enum align a)
{
	PangoLayout *l = pango_layout_new(r->ctx);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, st->sans ? r->sans : r->serif);
	pango_font_description_set_size(fd, (gint)(font_size(r, st) * PANGO_SCALE + 0.5));
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	/* Arabic has no italic: slanted Arabic letters only hurt. */
	if (st->italic && !r->rtl)
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_auto_dir(l, FALSE);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	PangoAlignment start = r->rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	PangoAlignment end = r->rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
	pango_layout_set_alignment(l, a == A_END ? end : a == A_CENTER ? PANGO_ALIGN_CENTER : start);
	pango_layout_set_justify(l, a == A_JUSTIFY);
	return l;
}

/* True when text has some letter and none from a right-to-left script. */
static bool reads_ltr(const char *text)
{
	bool letter = false;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
		    (c >= 0xFE70 && c <= 0xFEFF))
			return false;
		letter = letter || g_unichar_isalpha(c);
	}
	return letter;
}

/*
 * Sets plain text. In an Arabic document a Latin-only text (a symbol, a
 * date, a name) keeps its own left-to-right order, where it stands.
 */
static void set_text(struct render *r, PangoLayout *l, const char *text)
{
	text = text ? text : "";
	pango_layout_set_text(l, text, -1);
	if (r->rtl && reads_ltr(text)) {
		/* Pango swaps left and right for a paragraph against the base direction: swap back. */
		pango_layout_set_auto_dir(l, TRUE);
		PangoAlignment a = pango_layout_get_alignment(l);
		if (a != PANGO_ALIGN_CENTER)
			pango_layout_set_alignment(l, a == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT
									     : PANGO_ALIGN_LEFT);
	}
}

static void attr_range(PangoAttrList *al, PangoAttribute *a, size_t start, size_t end)
{
	a->start_index = (guint)start;
	a->end_index = (guint)end;
	pango_attr_list_insert(al, a);
}

/* A superscript reference mark over [start, end). */
static void attr_super(struct render *r, PangoAttrList *al, const struct style *st, size_t start,
		       size_t end)
{
	attr_range(al, pango_attr_rise_new((int)(font_size(r, st) * 0.38 * PANGO_SCALE)), start, end);
	attr_range(al, pango_attr_scale_new(0.68), start, end);
}

/*
 * Sets text, followed by mark as a superscript when mark is not NULL. With
 * stars, the '*' already in text are the marks: they are raised, and mark is
 * added only when there is none ("Item 10 of the provisional agenda*",
 * "临时议程*项目10").
 */
static void set_text_mark(struct render *r, PangoLayout *l, const struct style *st, const char *text,
			  const char *mark, bool stars)
{
	text = text ? text : "";
	PangoAttrList *al = pango_attr_list_new();
	bool has = false;
	for (const char *p = text; stars && *p; p++) {
		if (*p == '*') {
			attr_super(r, al, st, (size_t)(p - text), (size_t)(p - text) + 1);
			has = true;
		}
	}
	char *s = rbm_xasprintf("%s%s", text, mark && !has ? mark : "");
	if (mark && !has)
		attr_super(r, al, st, strlen(text), strlen(s));
	set_text(r, l, s);
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	free(s);
}

/*
 * Sets runs: bold and italic stretches, and a superscript number after each
 * run that refers to a footnote; *refs (free() it) gets the marks' places.
 */
static void set_runs(struct render *r, PangoLayout *l, const struct style *st,
		     const struct rbm_run *runs, size_t n, struct ref **refs, size_t *refs_len)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	PangoAttrList *al = pango_attr_list_new();
	*refs = NULL;
	*refs_len = 0;
	size_t refs_cap = 0;
	for (size_t i = 0; i < n; i++) {
		size_t start = b.len;
		rbm_buf_adds(&b, runs[i].text ? runs[i].text : "");
		if (runs[i].bold && b.len > start)
			attr_range(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, b.len);
		if (runs[i].italic && !r->rtl && b.len > start)
			attr_range(al, pango_attr_style_new(PANGO_STYLE_ITALIC), start, b.len);
		if (runs[i].footnote > 0) {
			size_t at = b.len;
			rbm_buf_addf(&b, "%d", runs[i].footnote);
			attr_super(r, al, st, at, b.len);
			rbm_xgrow(refs, &refs_cap, *refs_len + 1, sizeof **refs);
			(*refs)[(*refs_len)++] = (struct ref){(int)at, runs[i].footnote};
		}
	}
	pango_layout_set_text(l, rbm_buf_str(&b), (int)b.len);
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	rbm_buf_free(&b);
}

/* The width of a layout's widest line, in points. */
static double layout_width(PangoLayout *l)
{
	PangoRectangle lg;
	pango_layout_get_extents(l, NULL, &lg);
	return (double)lg.width / PANGO_SCALE;
}

/* Draws the line under it with its baseline at base, inside the box (x, w). */
static void show_line(struct render *r, PangoLayoutIter *it, double x, double w, double base)
{
	PangoRectangle lg;
	pango_layout_iter_get_line_extents(it, NULL, &lg);
	cairo_move_to(r->cr, page_x(r, x, w) + (double)lg.x / PANGO_SCALE, base);
	pango_cairo_show_layout_line(r->cr, pango_layout_iter_get_line_readonly(it));
}

/* Draws every line of l from top y in the box (x, w); returns the y below it. */
static double show_layout(struct render *r, PangoLayout *l, const struct style *st, double x,
			  double w, double y)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		show_line(r, it, x, w, y + ascent(r, st));
		y += leading(r, st);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return y;
}

/* Draws text (with an optional superscript mark) in a new layout; returns the y below it. */
static double show_text_stars(struct render *r, const struct style *st, const char *text,
			      const char *mark, bool stars, double x, double w, enum align a, double y)
{
	PangoLayout *l = layout_new(r, st, w, a);
	set_text_mark(r, l, st, text, mark, stars);
	y = show_layout(r, l, st, x, w, y);
	g_object_unref(l);
	return y;
}

static double show_text(struct render *r, const struct style *st, const char *text, const char *mark,
			double x, double w, enum align a, double y)
{
	return show_text_stars(r, st, text, mark, false, x, w, a, y);
}

static void rule(struct render *r, double x, double y, double w, double width)
{
	cairo_save(r->cr);
	cairo_set_source_rgb(r->cr, 0, 0, 0);
	cairo_set_line_width(r->cr, width);
	cairo_move_to(r->cr, page_x(r, x, w), y);
	cairo_rel_line_to(r->cr, w, 0);
	cairo_stroke(r->cr);
	cairo_restore(r->cr);
}

/* ---- footnotes ---- */

static size_t note_slot(int note)
{
	return (size_t)(note + 2);
}

static bool note_exists(const struct render *r, int note)
{
	const struct rbm_doc_meta *m = &r->doc->meta;
	if (note == NOTE_AGENDA)
		return m->agenda_note != NULL;
	if (note == NOTE_UNEDITED)
		return m->unedited != NULL;
	return note > 0 && (size_t)note <= r->doc->footnotes_len;
}

/* The mark of a note as printed: "3", "*", "**". */
static void note_mark(const struct render *r, int note, char *out, size_t cap)
{
	if (note == NOTE_AGENDA)
		snprintf(out, cap, "*");
	else if (note == NOTE_UNEDITED)
		snprintf(out, cap, "%s", r->doc->meta.agenda_note ? "**" : "*");
	else
		snprintf(out, cap, "%d", note);
}

/* The header block's notes may carry their own mark ("* HSP/EB.2022/1."): drop it. */
static const char *strip_mark(const char *s)
{
	while (*s == '*' || *s == ' ')
		s++;
	return s;
}

static PangoLayout *note_layout(struct render *r, int note)
{
	size_t k = note_slot(note);
	if (r->note_l[k] == NULL) {
		const struct rbm_doc_meta *m = &r->doc->meta;
		const char *text = note == NOTE_AGENDA	 ? strip_mark(m->agenda_note)
				   : note == NOTE_UNEDITED ? strip_mark(m->unedited)
							   : r->doc->footnotes[note - 1];
		r->note_l[k] = layout_new(r, &ST_NOTE, TEXT_W - INDENT, A_START);
		set_text(r, r->note_l[k], text);
	}
	return r->note_l[k];
}

static double note_height(struct render *r, int note)
{
	return pango_layout_get_line_count(note_layout(r, note)) * leading(r, &ST_NOTE) + 2;
}

/* The footnote space the references in [start, start + len) would add to this page. */
static double notes_extra(struct render *r, const struct ref *refs, size_t n, int start, int len)
{
	double h = 0;
	for (size_t i = 0; i < n; i++) {
		if (refs[i].index < start || refs[i].index >= start + len)
			continue;
		int note = refs[i].note;
		bool seen = !note_exists(r, note) || r->placed[note_slot(note)];
		for (size_t j = 0; j < i && !seen; j++)
			seen = refs[j].note == note && refs[j].index >= start;
		if (!seen)
			h += note_height(r, note);
	}
	return h > 0 && r->notes_len == 0 ? h + NOTE_SEP : h;
}

static void add_note(struct render *r, int note)
{
	if (!note_exists(r, note) || r->placed[note_slot(note)])
		return;
	r->placed[note_slot(note)] = true;
	if (r->notes_len == 0)
		r->notes_h = NOTE_SEP;
	r->notes_h += note_height(r, note);
	rbm_xgrow(&r->notes, &r->notes_cap, r->notes_len + 1, sizeof *r->notes);
	r->notes[r->notes_len++] = note;
}

static void show_notes(struct render *r)
{
	if (r->notes_len == 0)
		return;
	double y = BODY_BOTTOM - r->notes_h;
	rule(r, MARGIN, y + NOTE_SEP / 2 - 1, 72, 0.5);
	y += NOTE_SEP;
	for (size_t i = 0; i < r->notes_len; i++) {
		char mark[16];
		note_mark(r, r->notes[i], mark, sizeof mark);
		PangoLayout *ml = layout_new(r, &ST_NOTE, INDENT - 4, A_END);
		set_text_mark(r, ml, &ST_NOTE, "", mark, false);
		show_layout(r, ml, &ST_NOTE, MARGIN, INDENT - 4, y);
		g_object_unref(ml);
		y = show_layout(r, note_layout(r, r->notes[i]), &ST_NOTE, MARGIN + INDENT,
				TEXT_W - INDENT, y) + 2;
	}
}

/* ---- pages ---- */

static void start_page(struct render *r)
{
	r->page++;
	r->notes_len = 0;
	r->notes_h = 0;
	r->top = r->y = BODY_TOP;
	const char *sym = r->doc->meta.symbol;
	if (r->page > 1 && sym) {
		/* The symbol sits at the outer edge: left on even pages, right on odd ones. */
		show_text(r, &ST_RUNNING, sym, NULL, MARGIN, TEXT_W, r->page % 2 ? A_END : A_START, 34);
		rule(r, MARGIN, 50, TEXT_W, 0.5);
	}
}

static void finish_page(struct render *r)
{
	show_notes(r);
	char num[16];
	snprintf(num, sizeof num, "%d", r->page);
	show_text(r, &ST_PAGENO, num, NULL, MARGIN, TEXT_W, A_CENTER, PAGE_H - 50);
	cairo_show_page(r->cr);
}

static void page_break(struct render *r)
{
	finish_page(r);
	start_page(r);
}

static bool at_top(const struct render *r)
{
	return r->y <= r->top + 0.01;
}

/* Starts a new page unless h more points fit on this one. */
static void ensure(struct render *r, double h)
{
	if (r->y + h > BODY_BOTTOM - r->notes_h && !at_top(r))
		page_break(r);
}

/* ---- text blocks ---- */

struct text_block {
	PangoLayout *l; /* the text, its width set */
	const struct style *st;
	double x, w;
	PangoLayout *mark; /* beside the first line ("1.", "(a)"), or NULL */
	double mark_x, mark_w;
	const struct ref *refs;
	size_t refs_len;
	double before, after;
	double keep; /* room needed below the first lines (keeps a heading with what follows) */
};

/* Places a text block line by line, breaking pages where a line and its footnotes do not fit. */
static void flow(struct render *r, const struct text_block *t)
{
	double lead = leading(r, t->st), asc = ascent(r, t->st);
	int n = pango_layout_get_line_count(t->l);
	if (!at_top(r))
		r->y += t->before;
	PangoLayoutIter *it = pango_layout_get_iter(t->l);
	int i = 0;
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		/* The first two lines stay together (no orphan). */
		double need = i > 0 ? lead : (n >= 2 ? 2 : 1) * lead + t->keep;
		double extra = notes_extra(r, t->refs, t->refs_len, line->start_index, line->length);
		if (r->y + need > BODY_BOTTOM - r->notes_h - extra && !at_top(r))
			page_break(r);
		double base = r->y + asc;
		show_line(r, it, t->x, t->w, base);
		if (i == 0 && t->mark) {
			PangoLayoutIter *mi = pango_layout_get_iter(t->mark);
			show_line(r, mi, t->mark_x, t->mark_w, base);
			pango_layout_iter_free(mi);
		}
		for (size_t k = 0; k < t->refs_len; k++)
			if (t->refs[k].index >= line->start_index &&
			    t->refs[k].index < line->start_index + line->length)
				add_note(r, t->refs[k].note);
		r->y += lead;
		i++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	r->y += t->after;
}

/* Flows a plain string (no footnotes) in style st. */
static void flow_text(struct render *r, const struct style *st, const char *text, double x, double w,
		      double before, double after, double keep)
{
	PangoLayout *l = layout_new(r, st, w, A_START);
	set_text(r, l, text);
	struct text_block t = {.l = l, .st = st, .x = x, .w = w,
			       .before = before, .after = after, .keep = keep};
	flow(r, &t);
	g_object_unref(l);
}

/* The paragraph number as the language writes it: "1." (Arabic: "1 -"). */
static void para_mark(const struct render *r, int number, char *out, size_t cap)
{
	snprintf(out, cap, r->doc->meta.lang == RBM_LANG_AR ? "%d -" : "%d.", number);
}

/* The item letter as the language writes it: "(a)"; French, Spanish, Russian "a)"; Arabic "(أ)". */
static void item_mark(const struct render *r, char letter, char *out, size_t cap)
{
	static const char *const abjad[] = {"أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م",
					    "ن", "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض"};
	int k = letter >= 'a' && letter <= 'z' ? letter - 'a' : -1;
	switch (r->doc->meta.lang) {
	case RBM_LANG_AR:
		if (k >= 0)
			snprintf(out, cap, "(%s)", abjad[k]);
		else
			snprintf(out, cap, "(%c)", letter);
		break;
	case RBM_LANG_FR:
	case RBM_LANG_ES:
	case RBM_LANG_RU:
		snprintf(out, cap, "%c)", letter);
		break;
	default:
		snprintf(out, cap, "(%c)", letter);
		break;
	}
}

static void heading(struct render *r, const struct rbm_block *b)
{
	const struct style *st = b->level <= 1 ? &ST_H1 : b->level == 2 ? &ST_H2 : &ST_H3;
	struct text_block t = {.st = st, .x = MARGIN, .w = TEXT_W};
	t.l = layout_new(r, st, t.w, A_START);
	struct ref *refs = NULL;
	set_runs(r, t.l, st, b->runs, b->runs_len, &refs, &t.refs_len);
	t.refs = refs;
	t.before = b->level <= 1 ? 14 : 9;
	t.after = 6;
	t.keep = 3 * leading(r, &ST_BODY);
	flow(r, &t);
	/* A bookmark in the PDF's outline. */
	struct rbm_buf name;
	rbm_buf_init(&name, 0);
	for (size_t i = 0; i < b->runs_len; i++)
		rbm_buf_adds(&name, b->runs[i].text ? b->runs[i].text : "");
	if (b->level <= 2 && name.len > 0) {
		char dest[64];
		double y = r->y - t.after - leading(r, st) * pango_layout_get_line_count(t.l);
		snprintf(dest, sizeof dest, "page=%d pos=[%.1f %.1f]", r->page, MARGIN, y < 0 ? 0 : y);
		int parent = b->level <= 1 || r->outline == 0 ? CAIRO_PDF_OUTLINE_ROOT : r->outline;
		int id = cairo_pdf_surface_add_outline(r->surface, parent, rbm_buf_str(&name), dest,
						       CAIRO_PDF_OUTLINE_FLAG_OPEN);
		if (b->level <= 1)
			r->outline = id;
	}
	rbm_buf_free(&name);
	free(refs);
	g_object_unref(t.l);
}

/* A numbered or plain paragraph, or a lettered item. */
static void paragraph(struct render *r, const struct rbm_block *b)
{
	bool item = b->kind == RBM_BLOCK_ITEM;
	struct text_block t = {.st = &ST_BODY};
	t.x = MARGIN + INDENT + (item ? ITEM_INDENT : 0);
	t.w = TEXT_W - INDENT - (item ? ITEM_INDENT : 0);
	t.l = layout_new(r, &ST_BODY, t.w, A_JUSTIFY);
	struct ref *refs = NULL;
	set_runs(r, t.l, &ST_BODY, b->runs, b->runs_len, &refs, &t.refs_len);
	t.refs = refs;
	char mark[32] = "";
	if (item)
		item_mark(r, b->letter ? b->letter : 'a', mark, sizeof mark);
	else if (b->number > 0)
		para_mark(r, b->number, mark, sizeof mark);
	if (mark[0]) {
		t.mark_x = item ? MARGIN + INDENT : MARGIN;
		t.mark_w = item ? ITEM_INDENT : INDENT;
		t.mark = layout_new(r, &ST_BODY, t.mark_w, A_START);
		pango_layout_set_text(t.mark, mark, -1);
	}
	t.before = 0;
	t.after = item ? 4 : 7;
	flow(r, &t);
	if (t.mark)
		g_object_unref(t.mark);
	free(refs);
	g_object_unref(t.l);
}

/* ---- tables ---- */

static const char *cell_text(const struct rbm_table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->cols + col];
	return s ? s : "";
}

/* Column widths within w: natural widths when they fit, else shares between each column's
 * narrowest (its longest word) and natural width. */
static void column_widths(struct render *r, const struct rbm_table *t, double w, double pad, double *cw)
{
	size_t nc = t->cols;
	double *nat = rbm_xcalloc(nc, sizeof *nat), *min = rbm_xcalloc(nc, sizeof *min);
	double sum_nat = 0, sum_min = 0;
	for (size_t c = 0; c < nc; c++) {
		for (size_t row = 0; row < t->rows; row++) {
			PangoLayout *l = layout_new(r, row == 0 ? &ST_CELL_HEAD : &ST_CELL, 0, A_START);
			set_text(r, l, cell_text(t, row, c));
			double nw = layout_width(l);
			pango_layout_set_width(l, 1);
			pango_layout_set_wrap(l, PANGO_WRAP_WORD);
			double mw = layout_width(l);
			g_object_unref(l);
			nat[c] = fmax(nat[c], nw + 2 * pad);
			min[c] = fmax(min[c], fmin(mw, nw) + 2 * pad);
		}
		sum_nat += nat[c];
		sum_min += min[c];
	}
	if (sum_nat <= w) {
		/* Spread what is left over the text columns. */
		double text_nat = 0;
		for (size_t c = 0; c < nc; c++)
			text_nat += t->right && t->right[c] ? 0 : nat[c];
		for (size_t c = 0; c < nc; c++) {
			double share = text_nat > 0 ? (t->right && t->right[c] ? 0 : nat[c] / text_nat)
						    : 1.0 / (double)nc;
			cw[c] = nat[c] + (w - sum_nat) * share;
		}
	} else if (sum_min <= w) {
		for (size_t c = 0; c < nc; c++)
			cw[c] = min[c] + (nat[c] - min[c]) * (w - sum_min) / (sum_nat - sum_min);
	} else {
		for (size_t c = 0; c < nc; c++)
			cw[c] = min[c] * w / sum_min;
	}
	free(nat);
	free(min);
}

static void table_row(struct render *r, const struct rbm_table *t, PangoLayout **cells, size_t row,
		      const double *cw, double x0, double pad)
{
	const struct style *st = row == 0 ? &ST_CELL_HEAD : &ST_CELL;
	double x = x0;
	for (size_t c = 0; c < t->cols; c++) {
		show_layout(r, cells[row * t->cols + c], st, x + pad, cw[c] - 2 * pad, r->y + pad);
		x += cw[c];
	}
}

static void table_head(struct render *r, const struct rbm_table *t, PangoLayout **cells, const double *cw,
		       const double *rh, double x0, double w, double pad)
{
	rule(r, x0, r->y, w, 0.75);
	table_row(r, t, cells, 0, cw, x0, pad);
	r->y += rh[0];
	rule(r, x0, r->y, w, 0.5);
}

static void table(struct render *r, const struct rbm_table *t)
{
	if (t == NULL || t->cols == 0 || t->rows == 0 || t->cells == NULL)
		return;
	size_t nc = t->cols, nr = t->rows;
	double x0 = MARGIN + INDENT, w = TEXT_W - INDENT, pad = 3;
	double *cw = rbm_xcalloc(nc, sizeof *cw), *rh = rbm_xcalloc(nr, sizeof *rh);
	PangoLayout **cells = rbm_xcalloc(nr * nc, sizeof *cells);
	column_widths(r, t, w, pad, cw);
	for (size_t row = 0; row < nr; row++) {
		const struct style *st = row == 0 ? &ST_CELL_HEAD : &ST_CELL;
		for (size_t c = 0; c < nc; c++) {
			PangoLayout *l = layout_new(r, st, cw[c] - 2 * pad,
						    t->right && t->right[c] ? A_END : A_START);
			set_text(r, l, cell_text(t, row, c));
			cells[row * nc + c] = l;
			rh[row] = fmax(rh[row], pango_layout_get_line_count(l) * leading(r, st) + 2 * pad);
		}
	}
	double first = rh[0] + (nr > 1 ? rh[1] : 0) + 2;
	if (!at_top(r))
		r->y += 4;
	if (t->caption)
		flow_text(r, &ST_CAPTION, t->caption, x0, w, 0, 4, first);
	else
		ensure(r, first);
	table_head(r, t, cells, cw, rh, x0, w, pad);
	for (size_t row = 1; row < nr; row++) {
		if (r->y + rh[row] > BODY_BOTTOM - r->notes_h) {
			page_break(r);
			table_head(r, t, cells, cw, rh, x0, w, pad);
		}
		table_row(r, t, cells, row, cw, x0, pad);
		r->y += rh[row];
	}
	rule(r, x0, r->y, w, 0.75);
	r->y += 12;
	for (size_t i = 0; i < nr * nc; i++)
		g_object_unref(cells[i]);
	free(cells);
	free(rh);
	free(cw);
}

/* ---- charts ---- */

enum status { S_ACHIEVED, S_ON_TRACK, S_BEHIND, S_NO_DATA, S_NO_TARGET, S_COUNT };

static const char *const status_key[S_COUNT] = {"achieved", "on track", "behind", "no data", "no target"};

/* The statuses' names, in rbm_lang order. */
static const char *const status_name[RBM_LANG_COUNT][S_COUNT] = {
	{"تحقق", "على المسار الصحيح", "متأخر", "لا توجد بيانات", "لا يوجد هدف"},
	{"已实现", "进展顺利", "落后", "无数据", "无目标"},
	{"Achieved", "On track", "Behind", "No data", "No target"},
	{"Atteint", "En bonne voie", "En retard", "Pas de données", "Pas de cible"},
	{"Достигнуто", "В графике", "Отставание", "Нет данных", "Нет цели"},
	{"Logrado", "En curso", "Con retraso", "Sin datos", "Sin meta"},
};

static const double status_rgb[S_COUNT][3] = {
	{0.16, 0.55, 0.27}, {0.93, 0.63, 0.09}, {0.80, 0.16, 0.16}, {0.62, 0.62, 0.62}, {0.62, 0.62, 0.62}};

static enum status chart_status(const struct rbm_chart *c, size_t i)
{
	const char *s = c->statuses ? c->statuses[i] : NULL;
	for (int k = 0; s && k < S_COUNT; k++)
		if (strcmp(s, status_key[k]) == 0)
			return (enum status)k;
	return S_NO_DATA;
}

static const char *status_text(const struct render *r, enum status s)
{
	enum rbm_lang lang = r->doc->meta.lang;
	return status_name[(unsigned)lang < RBM_LANG_COUNT ? lang : RBM_LANG_EN][s];
}

static void fill_rect(struct render *r, double x, double y, double w, double h, const double *rgb)
{
	cairo_set_source_rgb(r->cr, rgb[0], rgb[1], rgb[2]);
	cairo_rectangle(r->cr, page_x(r, x, w), y, w, h);
	cairo_fill(r->cr);
	cairo_set_source_rgb(r->cr, 0, 0, 0);
}

struct chart_geom {
	double label_x, label_w; /* the labels */
	double bar_x, bar_w;     /* the scale: 0 at bar_x, max at bar_x + bar_w */
	double max;
};

/* The axis and the dashed 100 % line beside the bars from y0 down to y1. */
static void chart_lines(struct render *r, const struct chart_geom *g, double y0, double y1)
{
	cairo_save(r->cr);
	cairo_set_source_rgb(r->cr, 0.25, 0.25, 0.25);
	cairo_set_line_width(r->cr, 0.6);
	cairo_move_to(r->cr, page_x(r, g->bar_x, 0), y0);
	cairo_line_to(r->cr, page_x(r, g->bar_x, 0), y1);
	cairo_stroke(r->cr);
	if (100 <= g->max) {
		double x = page_x(r, g->bar_x + 100 / g->max * g->bar_w, 0);
		double dash[] = {2.5, 2};
		cairo_set_dash(r->cr, dash, 2, 0);
		cairo_move_to(r->cr, x, y0 - 2);
		cairo_line_to(r->cr, x, y1);
		cairo_stroke(r->cr);
	}
	cairo_restore(r->cr);
}

/* The "100 %" over the reference line; moves r->y below it. */
static void chart_top(struct render *r, const struct chart_geom *g)
{
	if (100 <= g->max) {
		char pct[32];
		rbm_fmt_percent(r->doc->meta.lang, 100, pct, sizeof pct);
		double x = g->bar_x + 100 / g->max * g->bar_w;
		show_text(r, &ST_VALUE, pct, NULL, x - 30, 60, A_CENTER, r->y);
	}
	r->y += leading(r, &ST_VALUE) + 2;
}

static void chart_legend(struct render *r, const struct rbm_chart *c, double x0, double w)
{
	bool used[S_COUNT] = {false};
	for (size_t i = 0; i < c->bars; i++)
		used[chart_status(c, i)] = true;
	const struct style *st = &ST_LABEL;
	double lead = leading(r, st), x = 0, box = 7;
	ensure(r, lead + 4);
	r->y += 4;
	for (int k = 0; k < S_COUNT; k++) {
		if (!used[k])
			continue;
		PangoLayout *l = layout_new(r, st, 0, A_START);
		pango_layout_set_text(l, status_text(r, (enum status)k), -1);
		double tw = layout_width(l);
		if (x > 0 && x + box + 4 + tw > w) {
			x = 0;
			r->y += lead;
		}
		fill_rect(r, x0 + x, r->y + ascent(r, st) - box, box, box, status_rgb[k]);
		PangoLayoutIter *it = pango_layout_get_iter(l);
		show_line(r, it, x0 + x + box + 4, tw, r->y + ascent(r, st));
		pango_layout_iter_free(it);
		g_object_unref(l);
		x += box + 4 + tw + 14;
	}
	r->y += lead;
}

static void chart(struct render *r, const struct rbm_chart *c)
{
	if (c == NULL)
		return;
	double x0 = MARGIN + INDENT, w = TEXT_W - INDENT;
	struct chart_geom g = {.label_x = x0, .label_w = w * 0.36};
	g.bar_x = x0 + g.label_w + 8;
	g.bar_w = w - g.label_w - 8 - 44;
	g.max = c->max;
	if (!(g.max > 0) || !isfinite(g.max)) {
		g.max = 100;
		for (size_t i = 0; i < c->bars; i++)
			if (c->values && isfinite(c->values[i]) && c->values[i] > g.max)
				g.max = c->values[i];
	}
	double lead = leading(r, &ST_LABEL), bar_h = 8.5;
	enum rbm_lang lang = r->doc->meta.lang;
	if (!at_top(r))
		r->y += 4;
	double first = 2 * (lead + 4) + leading(r, &ST_VALUE) + 2;
	if (c->title)
		flow_text(r, &ST_CHART_TITLE, c->title, x0, w, 0, 4, first);
	else
		ensure(r, first);
	chart_top(r, &g);
	double seg = r->y;
	for (size_t i = 0; i < c->bars; i++) {
		PangoLayout *l = layout_new(r, &ST_LABEL, g.label_w, A_START);
		set_text(r, l, c->labels ? c->labels[i] : NULL);
		double row_h = fmax(pango_layout_get_line_count(l) * lead, bar_h) + 4;
		/* The last bar keeps the legend with it. */
		double need = row_h + (i + 1 == c->bars ? lead + 8 : 0);
		if (r->y + need > BODY_BOTTOM - r->notes_h) {
			chart_lines(r, &g, seg, r->y);
			page_break(r);
			chart_top(r, &g);
			seg = r->y;
		}
		show_layout(r, l, &ST_LABEL, g.label_x, g.label_w, r->y + 2);
		g_object_unref(l);
		double v = c->values ? c->values[i] : NAN;
		enum status s = chart_status(c, i);
		double base = r->y + 2 + ascent(r, &ST_LABEL);
		double bar_y = r->y + 2 + (lead - bar_h) / 2;
		char text[64];
		double text_x = g.bar_x + 3;
		if (isfinite(v)) {
			double len = fmax(0, fmin(v, g.max)) / g.max * g.bar_w;
			if (len > 0)
				fill_rect(r, g.bar_x, bar_y, len, bar_h, status_rgb[s]);
			rbm_fmt_percent(lang, v, text, sizeof text);
			text_x = g.bar_x + len + 3;
		} else {
			snprintf(text, sizeof text, "%s",
				 status_text(r, s == S_NO_TARGET ? S_NO_TARGET : S_NO_DATA));
		}
		PangoLayout *vl = layout_new(r, isfinite(v) ? &ST_VALUE : &ST_SMALL, 0, A_START);
		pango_layout_set_text(vl, text, -1);
		double tw = layout_width(vl);
		PangoLayoutIter *it = pango_layout_get_iter(vl);
		if (!isfinite(v))
			cairo_set_source_rgb(r->cr, 0.4, 0.4, 0.4);
		show_line(r, it, text_x, tw, base);
		cairo_set_source_rgb(r->cr, 0, 0, 0);
		pango_layout_iter_free(it);
		g_object_unref(vl);
		r->y += row_h;
	}
	chart_lines(r, &g, seg, r->y);
	chart_legend(r, c, x0, w);
	if (c->caption)
		flow_text(r, &ST_SMALL, c->caption, x0, w, 2, 0, 0);
	r->y += 12;
}

/* ---- the header block ---- */

static void header_block(struct render *r)
{
	const struct rbm_doc_meta *m = &r->doc->meta;
	double y = FIRST_TOP, left_w = TEXT_W * 0.58;
	double right_x = MARGIN + TEXT_W * 0.66, right_w = TEXT_W * 0.34;
	double yl = y, yr = y;
	if (m->body)
		yl = show_text(r, &ST_BODY_NAME, m->body, NULL, MARGIN, left_w, A_START, yl);
	if (m->symbol)
		yr = show_text(r, &ST_SYMBOL, m->symbol, NULL, right_x, right_w, A_START, yr);
	if (m->date)
		yr = show_text(r, &ST_DISTR, m->date, NULL, right_x, right_w, A_START, yr + 4);
	y = fmax(yl, yr) + 4;
	if (y > FIRST_TOP + 4) {
		rule(r, MARGIN, y, TEXT_W, 2);
		y += 10;
	}
	if (m->session)
		y = show_text(r, &ST_BODY_BOLD, m->session, NULL, MARGIN, left_w, A_START, y);
	if (m->place_dates)
		y = show_text(r, &ST_BODY, m->place_dates, NULL, MARGIN, left_w, A_START, y);
	if (m->agenda)
		y = show_text_stars(r, &ST_BODY, m->agenda, m->agenda_note ? "*" : NULL, true, MARGIN,
				    left_w, A_START, y);
	if (m->agenda_title)
		y = show_text(r, &ST_BODY_BOLD, m->agenda_title, NULL, MARGIN, left_w, A_START, y);
	y += 22;
	if (m->title) {
		char mark[16];
		note_mark(r, NOTE_UNEDITED, mark, sizeof mark);
		y = show_text(r, &ST_TITLE, m->title, m->unedited ? mark : NULL, MARGIN + INDENT,
			      TEXT_W - INDENT, A_START, y);
		y += 6;
	}
	if (m->kind)
		y = show_text(r, &ST_KIND, m->kind, NULL, MARGIN + INDENT, TEXT_W - INDENT, A_START, y);
	r->top = r->y = y + 20;
	add_note(r, NOTE_AGENDA);
	add_note(r, NOTE_UNEDITED);
}

/* ---- the whole document ---- */

static bool utf8_ok(const char *s)
{
	return s == NULL || rbm_utf8_valid(s, strlen(s), NULL);
}

/* Pango would show broken UTF-8 as garbage: refuse it, naming the place. */
static enum rbm_rc check_text(struct render *r)
{
	const struct rbm_doc *doc = r->doc;
	const struct rbm_doc_meta *m = &doc->meta;
	const char *meta[] = {m->body, m->session, m->place_dates, m->symbol, m->date, m->agenda,
			      m->agenda_note, m->agenda_title, m->title, m->kind, m->unedited};
	for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
		if (!utf8_ok(meta[i])) {
			rbm_diag_add(r->d, r->path, "header", "text is not valid UTF-8");
			return RBM_EINVAL;
		}
	for (size_t i = 0; i < doc->footnotes_len; i++)
		if (!utf8_ok(doc->footnotes[i])) {
			rbm_diag_add(r->d, r->path, NULL, "footnote %zu is not valid UTF-8", i + 1);
			return RBM_EINVAL;
		}
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *b = &doc->blocks[i];
		bool ok = true;
		for (size_t k = 0; k < b->runs_len; k++)
			ok = ok && utf8_ok(b->runs[k].text);
		const struct rbm_table *t = b->kind == RBM_BLOCK_TABLE ? b->table : NULL;
		if (t) {
			ok = ok && utf8_ok(t->caption);
			for (size_t k = 0; t->cells && k < t->rows * t->cols; k++)
				ok = ok && utf8_ok(t->cells[k]);
		}
		const struct rbm_chart *c = b->kind == RBM_BLOCK_CHART ? b->chart : NULL;
		if (c) {
			ok = ok && utf8_ok(c->title) && utf8_ok(c->caption);
			for (size_t k = 0; c->labels && k < c->bars; k++)
				ok = ok && utf8_ok(c->labels[k]);
		}
		if (!ok) {
			rbm_diag_add(r->d, r->path, NULL, "block %zu: text is not valid UTF-8", i + 1);
			return RBM_EINVAL;
		}
	}
	return RBM_OK;
}

static void render(struct render *r)
{
	const struct rbm_doc *doc = r->doc;
	r->page = 1;
	header_block(r);
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *b = &doc->blocks[i];
		switch (b->kind) {
		case RBM_BLOCK_HEADING:
			heading(r, b);
			break;
		case RBM_BLOCK_PARAGRAPH:
		case RBM_BLOCK_ITEM:
			paragraph(r, b);
			break;
		case RBM_BLOCK_TABLE:
			table(r, b->table);
			break;
		case RBM_BLOCK_CHART:
			chart(r, b->chart);
			break;
		}
	}
	/* Footnotes nothing referred to go to the end. */
	for (size_t i = 1; i <= doc->footnotes_len; i++) {
		if (r->placed[note_slot((int)i)])
			continue;
		double h = note_height(r, (int)i) + (r->notes_len ? 0 : NOTE_SEP);
		if (r->y + h > BODY_BOTTOM - r->notes_h && !at_top(r))
			page_break(r);
		add_note(r, (int)i);
	}
	finish_page(r);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct render *r = closure;
	if (fwrite(data, 1, len, r->f) != len) {
		if (r->werr == 0)
			r->werr = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static const char *pango_lang(enum rbm_lang lang)
{
	return lang == RBM_LANG_ZH ? "zh-cn" : rbm_lang_tag(lang);
}

enum rbm_rc rbm_publish_pdf(const struct rbm_doc *doc, const char *path, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	struct render r = {.doc = doc, .d = d, .path = path};
	bool created = false;
	setup_lang(&r);
	r.fm = pango_cairo_font_map_new();
	if ((rc = check_fonts(&r)) != RBM_OK || (rc = check_text(&r)) != RBM_OK)
		goto out;
	r.f = fopen(path, "wb");
	if (r.f == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
		goto out;
	}
	/* What failed half-written goes, unless it is no plain file (/dev/stdout, /dev/full). */
	struct stat sb;
	created = fstat(fileno(r.f), &sb) == 0 && S_ISREG(sb.st_mode);
	r.surface = cairo_pdf_surface_create_for_stream(write_out, &r, PAGE_W, PAGE_H);
	if (doc->meta.title)
		cairo_pdf_surface_set_metadata(r.surface, CAIRO_PDF_METADATA_TITLE, doc->meta.title);
	cairo_pdf_surface_set_metadata(r.surface, CAIRO_PDF_METADATA_CREATOR, "rbm " RBM_VERSION);
	r.cr = cairo_create(r.surface);
	r.ctx = pango_font_map_create_context(r.fm);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(r.ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(r.ctx, 72); /* font sizes in points = cairo units */
	pango_context_set_round_glyph_positions(r.ctx, FALSE); /* points are coarse: no rounding */
	pango_cairo_update_context(r.cr, r.ctx);
	pango_context_set_language(r.ctx, pango_language_from_string(pango_lang(doc->meta.lang)));
	pango_context_set_base_dir(r.ctx, r.rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
	r.placed = rbm_xcalloc(doc->footnotes_len + 3, sizeof *r.placed);
	r.note_l = rbm_xcalloc(doc->footnotes_len + 3, sizeof *r.note_l);
	if (cairo_surface_status(r.surface) == CAIRO_STATUS_SUCCESS)
		render(&r);
	cairo_status_t st = cairo_status(r.cr);
	cairo_destroy(r.cr);
	r.cr = NULL;
	cairo_surface_finish(r.surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(r.surface);
	if (r.werr) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(r.werr));
		rc = RBM_EIO;
	} else if (st != CAIRO_STATUS_SUCCESS) {
		rbm_diag_add(d, path, NULL, "cannot render the PDF: cairo: %s", cairo_status_to_string(st));
		rc = RBM_EIO;
	}
	int closed = fclose(r.f);
	r.f = NULL;
	if (closed != 0 && rc == RBM_OK) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
out:
	for (size_t i = 0; r.note_l && i < doc->footnotes_len + 3; i++)
		if (r.note_l[i])
			g_object_unref(r.note_l[i]);
	free(r.note_l);
	free(r.placed);
	free(r.notes);
	if (r.ctx)
		g_object_unref(r.ctx);
	if (r.cr)
		cairo_destroy(r.cr);
	if (r.surface)
		cairo_surface_destroy(r.surface);
	if (r.fm)
		g_object_unref(r.fm);
	if (r.f)
		fclose(r.f);
	if (rc != RBM_OK && created)
		remove(path);
	return rc;
}
