/*
 * render_docx.c - a struct rbm_doc as a Word document (Office Open XML, .docx).
 *
 * The package is written with libzip alone: every part is XML built in a
 * struct rbm_buf, each piece of text escaped on the way in. The structure is
 * the one Word writes, so that Word, LibreOffice and translators' tools see
 * real styles rather than direct formatting:
 *
 *   - the UN header block as styled paragraphs (symbol, distribution and
 *     date, body, session, agenda line, title with the Title style, "Note by
 *     the secretariat" with the Subtitle style); the agenda and the
 *     "without formal editing" notes are real footnotes with custom marks
 *     ("*", "**") as in UN documents;
 *   - headings with the built-in "heading 1..3" styles (outline levels);
 *   - numbered paragraphs and lettered items through numbering.xml: one list
 *     continuing across the document, "%1." at level 0 and "(%2)" at level 1.
 *     The word processor then counts, so the doc's numbers are used only
 *     when counting gives the same ones (1..N in order, letters a, b, ...
 *     restarting after each numbered paragraph); otherwise the numbers are
 *     typed, with the same indents;
 *   - footnote marks as w:footnoteReference, numbered by the word processor
 *     when the doc refers to its footnotes in order 1..N, each once, and
 *     with the doc's numbers typed as custom marks otherwise. The notes go
 *     into footnotes.xml in the order they are referred to, with ids in that
 *     order: LibreOffice 7.4 pairs the n-th reference with the n-th note,
 *     whatever the ids. A custom-mark note begins with its mark, as Word
 *     wants (LibreOffice then shows the mark twice in the note area);
 *   - tables as w:tbl with a repeated header row and numbers aligned to the
 *     right; a chart as a table of label, value and status;
 *   - the language on the default run properties (w:lang), right-to-left
 *     paragraphs and runs for Arabic (w:bidi, w:rtl), and the fonts Noto
 *     Serif, Noto Sans CJK SC (East Asian) and Noto Naskh Arabic (complex
 *     script).
 *
 * Alignment words follow Word: in a right-to-left paragraph w:jc "right"
 * and w:ind "left" mean the end and the start, so the same markup mirrors.
 */
#include "doc.h"

#include "../core/alloc.h"
#include "../core/buf.h"
#include "locale.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

/* The width between the margins of an A4 page with 2 cm margins, in twentieths of a point. */
#define TEXT_WIDTH 9638
#define INDENT 567 /* 1 cm */

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_DOC_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* Word's language tags for the six languages, in enum rbm_lang order. */
static const char *const word_lang[RBM_LANG_COUNT] = {
	"ar-SA", "zh-CN", "en-GB", "fr-FR", "ru-RU", "es-ES",
};

/*
 * The language of Latin-script text (w:lang w:val). Chinese is the East
 * Asian language (w:eastAsia) and Latin words in it are English, as Word
 * marks them: tagged zh-CN, LibreOffice breaks Latin words anywhere.
 */
static const char *latin_lang(enum rbm_lang lang)
{
	return lang == RBM_LANG_ZH ? word_lang[RBM_LANG_EN] : word_lang[lang];
}

/* The column headings of a chart written as a table, in enum rbm_lang order. */
static const char *const chart_heads[RBM_LANG_COUNT][3] = {
	{"المؤشر", "نسبة الإنجاز", "الحالة"},
	{"指标", "完成率", "状态"},
	{"Indicator", "Attainment", "Status"},
	{"Indicateur", "Taux de réalisation", "Statut"},
	{"Показатель", "Степень достижения", "Статус"},
	{"Indicador", "Grado de logro", "Estado"},
};

enum part {
	P_CONTENT_TYPES,
	P_RELS,
	P_DOCUMENT,
	P_DOCUMENT_RELS,
	P_STYLES,
	P_NUMBERING,
	P_FOOTNOTES,
	P_FOOTNOTES_RELS,
	P_SETTINGS,
	P_CORE,
	P_APP,
	P_COUNT
};

static const char *const part_name[P_COUNT] = {
	"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
	"word/styles.xml", "word/numbering.xml", "word/footnotes.xml",
	"word/_rels/footnotes.xml.rels", "word/settings.xml", "docProps/core.xml",
	"docProps/app.xml",
};

/* One XML part being built; rc keeps the first failure, checked once at the end. */
struct xml {
	struct rbm_buf b;
	enum rbm_rc rc;
};

/* Paragraph alignment, in Word's words (see the top of the file). */
enum jc { JC_NONE, JC_END, JC_CENTER, JC_BOTH };

#define RUN_BOLD 1u
#define RUN_ITALIC 2u

struct docx {
	const struct rbm_doc *doc;
	bool rtl;
	bool auto_paras;   /* paragraph numbers counted by the word processor */
	bool auto_letters; /* item letters counted by the word processor */
	bool auto_notes;   /* footnote marks counted by the word processor */
	int next_note;     /* the next w:id in footnotes.xml: notes go there in reference order */
	bool last_table;   /* the body's last element is a table */
	bool any;          /* the body has an element */
	struct xml *body, *notes;
};

static void put(struct xml *x, const char *s)
{
	if (x->rc == RBM_OK)
		x->rc = rbm_buf_adds(&x->b, s);
}

static void putn(struct xml *x, const char *s, size_t n)
{
	if (x->rc == RBM_OK)
		x->rc = rbm_buf_add(&x->b, s, n);
}

__attribute__((format(printf, 2, 3))) static void putf(struct xml *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (x->rc == RBM_OK)
		x->rc = rbm_buf_vaddf(&x->b, fmt, ap);
	va_end(ap);
}

/* The code point at s (n bytes left) in *cp and its length; 0 for malformed UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len;
	unsigned long c, min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
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
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/*
 * Appends s[0..n) escaped for XML text and attribute values. Characters XML
 * 1.0 cannot hold (controls other than tab and newlines, U+FFFE, U+FFFF) are
 * left out, and malformed UTF-8 becomes U+FFFD.
 */
static void escn(struct xml *x, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	while (i < n) {
		const char *rep = NULL;
		size_t len = 1;
		unsigned long cp;
		if (u[i] < 0x80) {
			switch (u[i]) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\t': case '\n': case '\r': break;
			default:
				if (u[i] < 0x20)
					rep = "";
			}
		} else if ((len = utf8_decode(u + i, n - i, &cp)) == 0) {
			rep = "\xEF\xBF\xBD";
			len = 1;
		} else if (cp == 0xFFFE || cp == 0xFFFF) {
			rep = "";
		}
		if (rep != NULL) {
			putn(x, s + start, i - start);
			put(x, rep);
			start = i + len;
		}
		i += len;
	}
	putn(x, s + start, n - start);
}

static void esc(struct xml *x, const char *s)
{
	if (s != NULL)
		escn(x, s, strlen(s));
}

/* True when s holds a letter of the Arabic script. */
static bool has_arabic(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t len = utf8_decode(u + i, n - i, &cp);
		if (len == 0) {
			i++;
			continue;
		}
		if ((cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
		    (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
		    (cp >= 0xFE70 && cp <= 0xFEFF))
			return true;
		i += len;
	}
	return false;
}

/* The text of a run: w:t pieces, with tabs as w:tab and line breaks as w:br. */
static void run_text(struct xml *x, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\t\n\r");
		if (n > 0) {
			put(x, "<w:t xml:space=\"preserve\">");
			escn(x, s, n);
			put(x, "</w:t>");
		}
		s += n;
		if (*s == '\t')
			put(x, "<w:tab/>");
		else if (*s == '\n')
			put(x, "<w:br/>");
		else if (*s == '\r' && s[1] != '\n')
			put(x, "<w:br/>");
		if (*s)
			s++;
	}
}

/* A run of text; style names a character style, or NULL. */
static void run(const struct docx *w, struct xml *x, const char *text, unsigned flags,
		const char *style)
{
	if (text == NULL || *text == '\0')
		return;
	bool rtl = w->rtl && has_arabic(text);
	put(x, "<w:r>");
	if (style || flags || rtl) {
		put(x, "<w:rPr>");
		if (style)
			putf(x, "<w:rStyle w:val=\"%s\"/>", style);
		if (flags & RUN_BOLD)
			put(x, "<w:b/><w:bCs/>");
		if (flags & RUN_ITALIC)
			put(x, "<w:i/><w:iCs/>");
		if (rtl)
			put(x, "<w:rtl/>");
		put(x, "</w:rPr>");
	}
	run_text(x, text);
	put(x, "</w:r>");
}

/*
 * Opens a paragraph. ilvl >= 0 puts it in the document's list at that level;
 * ind > 0 indents it by hand (left, hanging) when the number is typed.
 */
static void para_open(struct docx *w, struct xml *x, const char *style, int ilvl, int ind,
		      enum jc jc)
{
	if (x == w->body)
		w->any = true;
	put(x, "<w:p><w:pPr>");
	if (style)
		putf(x, "<w:pStyle w:val=\"%s\"/>", style);
	if (ilvl >= 0)
		putf(x, "<w:numPr><w:ilvl w:val=\"%d\"/><w:numId w:val=\"1\"/></w:numPr>", ilvl);
	if (w->rtl)
		put(x, "<w:bidi/>");
	if (ind > 0)
		putf(x, "<w:ind w:left=\"%d\" w:hanging=\"%d\"/>", ind, INDENT);
	switch (jc) {
	case JC_NONE: break;
	case JC_END: put(x, "<w:jc w:val=\"right\"/>"); break;
	case JC_CENTER: put(x, "<w:jc w:val=\"center\"/>"); break;
	case JC_BOTH: put(x, "<w:jc w:val=\"both\"/>"); break;
	}
	put(x, "</w:pPr>");
}

static void para_close(struct xml *x)
{
	put(x, "</w:p>");
}

/* A paragraph of one run; nothing when text is NULL or empty. */
static void simple_para(struct docx *w, const char *style, const char *text, enum jc jc)
{
	if (text == NULL || *text == '\0')
		return;
	para_open(w, w->body, style, -1, 0, jc);
	run(w, w->body, text, 0, NULL);
	para_close(w->body);
	w->last_table = false;
}

/*
 * A footnote with a typed mark: the reference in the body, the note in
 * footnotes.xml. The note begins with the mark, unless the mark is asterisks
 * the text already begins with (UN agenda notes read "* HSP/EB.2022/1.").
 */
static void custom_note(struct docx *w, const char *mark, const char *text)
{
	int id = w->next_note++;
	struct xml *x = w->body;
	put(x, "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr>");
	putf(x, "<w:footnoteReference w:customMarkFollows=\"1\" w:id=\"%d\"/>", id);
	/* One w:t per character: LibreOffice 7.4 takes a longer w:t as label and text both. */
	for (const char *c = mark; *c; c++) {
		put(x, "<w:t>");
		escn(x, c, 1);
		put(x, "</w:t>");
	}
	put(x, "</w:r>");

	x = w->notes;
	putf(x, "<w:footnote w:id=\"%d\">", id);
	para_open(w, x, "FootnoteText", -1, 0, JC_NONE);
	if (text == NULL || mark[0] != '*' || strncmp(text, mark, strlen(mark)) != 0) {
		char *spaced = rbm_xasprintf(" %s", text ? text : "");
		run(w, x, mark, 0, "FootnoteReference");
		run(w, x, spaced, 0, NULL);
		free(spaced);
	} else {
		run(w, x, text, 0, NULL);
	}
	para_close(x);
	put(x, "</w:footnote>");
}

/* A footnote the word processor numbers: the reference and the note. */
static void auto_note(struct docx *w, const char *text)
{
	int id = w->next_note++;
	putf(w->body,
	     "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr>"
	     "<w:footnoteReference w:id=\"%d\"/></w:r>",
	     id);

	struct xml *x = w->notes;
	putf(x, "<w:footnote w:id=\"%d\">", id);
	para_open(w, x, "FootnoteText", -1, 0, JC_NONE);
	put(x, "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>");
	char *spaced = rbm_xasprintf(" %s", text ? text : "");
	run(w, x, spaced, 0, NULL);
	free(spaced);
	para_close(x);
	put(x, "</w:footnote>");
}

/* The reference to the doc's footnote k, after a run. */
static void note_ref(struct docx *w, int k)
{
	const struct rbm_doc *doc = w->doc;
	const char *text = (size_t)k <= doc->footnotes_len ? doc->footnotes[k - 1] : "";
	if (w->auto_notes) {
		auto_note(w, text);
	} else {
		char mark[16];
		snprintf(mark, sizeof mark, "%d", k);
		custom_note(w, mark, text);
	}
}

static void runs(struct docx *w, const struct rbm_block *b)
{
	for (size_t i = 0; i < b->runs_len; i++) {
		const struct rbm_run *r = &b->runs[i];
		run(w, w->body, r->text, (r->bold ? RUN_BOLD : 0) | (r->italic ? RUN_ITALIC : 0), NULL);
		if (r->footnote > 0)
			note_ref(w, r->footnote);
	}
}

/*
 * Decides whether the word processor's counting gives the doc's numbers:
 * paragraphs numbered 1..N in order, and items lettered a, b, ... from the
 * start and after each numbered paragraph (the list's level 1 restarts
 * after level 0). Footnotes: referred to in order 1..N, each once.
 */
static void plan_numbers(struct docx *w)
{
	const struct rbm_doc *doc = w->doc;
	int paras = 0, letters = 0;
	bool paras_ok = true, letters_ok = true;
	size_t next_note = 1;
	bool notes_ok = true;
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *b = &doc->blocks[i];
		if (b->kind == RBM_BLOCK_PARAGRAPH && b->number > 0) {
			paras_ok &= b->number == ++paras;
			letters = 0;
		} else if (b->kind == RBM_BLOCK_ITEM) {
			letters++;
			letters_ok &= b->letter >= 'a' && b->letter <= 'z' && b->letter - 'a' + 1 == letters;
		}
		for (size_t r = 0; r < b->runs_len; r++) {
			int k = b->runs[r].footnote;
			if (k > 0)
				notes_ok &= (size_t)k == next_note++;
		}
	}
	w->auto_paras = paras_ok;
	w->auto_letters = paras_ok && letters_ok;
	w->auto_notes = notes_ok && next_note - 1 == doc->footnotes_len;
}

static void numbered(struct docx *w, const struct rbm_block *b)
{
	if (w->auto_paras) {
		para_open(w, w->body, "BodyText", 0, 0, JC_BOTH);
	} else {
		char num[24];
		snprintf(num, sizeof num, "%d.\t", b->number);
		para_open(w, w->body, "BodyText", -1, INDENT, JC_BOTH);
		run(w, w->body, num, 0, NULL);
	}
	runs(w, b);
	para_close(w->body);
}

static void item(struct docx *w, const struct rbm_block *b)
{
	if (w->auto_letters) {
		para_open(w, w->body, "BodyText", 1, 0, JC_BOTH);
	} else {
		para_open(w, w->body, "BodyText", -1, 2 * INDENT, JC_BOTH);
		if (b->letter != '\0') {
			char mark[8];
			snprintf(mark, sizeof mark, "(%c)\t", b->letter);
			run(w, w->body, mark, 0, NULL);
		}
	}
	runs(w, b);
	para_close(w->body);
}

static void heading(struct docx *w, const struct rbm_block *b)
{
	int level = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
	char style[16];
	snprintf(style, sizeof style, "Heading%d", level);
	para_open(w, w->body, style, -1, 0, JC_NONE);
	runs(w, b);
	para_close(w->body);
}

/* The number of characters in s, for column widths (CJK counts double). */
static size_t text_width(const char *s)
{
	if (s == NULL)
		return 0;
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), width = 0;
	for (size_t i = 0; i < n;) {
		unsigned long cp = 0;
		size_t len = utf8_decode(u + i, n - i, &cp);
		i += len ? len : 1;
		width += cp >= 0x2E80 && cp <= 0xFFEF ? 2 : 1;
	}
	return width;
}

/* What a table shows: the text of each cell (row 0 the header), and which cells align right. */
struct grid {
	size_t rows, cols;
	const char *(*cell)(const void *src, size_t r, size_t c);
	bool (*right)(const void *src, size_t r, size_t c);
	const void *src;
};

static void table(struct docx *w, const char *caption, const struct grid *g, const char *note)
{
	struct xml *x = w->body;
	if (g->cols == 0 || g->rows == 0)
		return;
	if (caption && *caption) {
		para_open(w, x, "Caption", -1, 0, JC_NONE);
		run(w, x, caption, 0, NULL);
		para_close(x);
	}

	/* Column widths in proportion to the longest text, within bounds. */
	size_t total = 0, cols = g->cols;
	size_t *width = rbm_xcalloc(cols, sizeof *width);
	for (size_t c = 0; c < cols; c++) {
		size_t m = 4;
		for (size_t r = 0; r < g->rows; r++) {
			size_t tw = text_width(g->cell(g->src, r, c));
			if (tw > m)
				m = tw;
		}
		width[c] = m > 40 ? 40 : m;
		total += width[c];
	}
	for (size_t c = 0; c < cols; c++)
		width[c] = TEXT_WIDTH * width[c] / total;

	put(x, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>");
	if (w->rtl)
		put(x, "<w:bidiVisual/>");
	put(x, "<w:tblW w:w=\"5000\" w:type=\"pct\"/>"
	       "<w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" "
	       "w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (size_t c = 0; c < cols; c++)
		putf(x, "<w:gridCol w:w=\"%zu\"/>", width[c]);
	put(x, "</w:tblGrid>");
	for (size_t r = 0; r < g->rows; r++) {
		put(x, "<w:tr><w:trPr><w:cantSplit/>");
		if (r == 0)
			put(x, "<w:tblHeader/>");
		put(x, "</w:trPr>");
		for (size_t c = 0; c < cols; c++) {
			putf(x, "<w:tc><w:tcPr><w:tcW w:w=\"%zu\" w:type=\"dxa\"/></w:tcPr>",
			     width[c]);
			/* Right-to-left, the start is the right: numbers need no alignment. */
			bool right = g->right(g->src, r, c) && !w->rtl;
			para_open(w, x, "TableText", -1, 0, right ? JC_END : JC_NONE);
			run(w, x, g->cell(g->src, r, c), r == 0 ? RUN_BOLD : 0, NULL);
			para_close(x);
			put(x, "</w:tc>");
		}
		put(x, "</w:tr>");
	}
	put(x, "</w:tbl>");
	free(width);
	w->last_table = true;
	if (note && *note) {
		para_open(w, x, "TableNote", -1, 0, JC_NONE);
		run(w, x, note, 0, NULL);
		para_close(x);
		w->last_table = false;
	}
}

static const char *table_cell(const void *src, size_t r, size_t c)
{
	const struct rbm_table *t = src;
	return t->cells ? t->cells[r * t->cols + c] : NULL;
}

static bool table_right(const void *src, size_t r, size_t c)
{
	const struct rbm_table *t = src;
	if (t->right)
		return t->right[c];
	return r > 0 && t->numbers && !isnan(t->numbers[r * t->cols + c]);
}

/* A chart as its data: label, value, status; the values formatted into an array. */
struct chart_src {
	const struct rbm_chart *chart;
	const char *const *heads;
	char (*values)[32];
};

static const char *chart_cell(const void *src, size_t r, size_t c)
{
	const struct chart_src *s = src;
	if (r == 0)
		return s->heads[c];
	if (c == 0)
		return s->chart->labels ? s->chart->labels[r - 1] : NULL;
	if (c == 1)
		return s->values[r - 1];
	return s->chart->statuses ? s->chart->statuses[r - 1] : NULL;
}

static bool chart_right(const void *src, size_t r, size_t c)
{
	(void)src;
	(void)r;
	return c == 1;
}

static void chart(struct docx *w, const struct rbm_chart *ch)
{
	size_t bars = ch->bars;
	char(*values)[32] = rbm_xcalloc(bars ? bars : 1, sizeof *values);
	for (size_t i = 0; i < bars; i++) {
		double v = ch->values ? ch->values[i] : NAN;
		if (isnan(v))
			snprintf(values[i], sizeof values[i], "\xE2\x80\x94"); /* an em dash */
		else
			rbm_fmt_percent(w->doc->meta.lang, v, values[i], sizeof values[i]);
	}
	struct chart_src src = {ch, chart_heads[w->doc->meta.lang], values};
	struct grid g = {bars + 1, 3, chart_cell, chart_right, &src};
	table(w, ch->title, &g, ch->caption);
	free(values);
}

/* The UN header block. */
static void header(struct docx *w)
{
	const struct rbm_doc_meta *m = &w->doc->meta;
	simple_para(w, "UNSymbol", m->symbol, JC_END);
	simple_para(w, "UNDistr", m->date, JC_END);
	simple_para(w, "UNBody", m->body, JC_NONE);
	simple_para(w, "UNSession", m->session, JC_NONE);
	simple_para(w, "UNSession", m->place_dates, JC_NONE);

	/* The agenda line's trailing asterisks are the mark of its footnote. */
	const char *note_mark = "";
	if (m->agenda && *m->agenda) {
		size_t n = strlen(m->agenda), stars = 0;
		while (stars < n && m->agenda[n - 1 - stars] == '*')
			stars++;
		para_open(w, w->body, "UNAgenda", -1, 0, JC_NONE);
		if (m->agenda_note && *m->agenda_note) {
			char *text = rbm_xstrndup(m->agenda, n - stars);
			run(w, w->body, text, 0, NULL);
			free(text);
			note_mark = stars == 2 ? "**" : stars >= 3 ? "***" : "*";
			custom_note(w, note_mark, m->agenda_note);
		} else {
			run(w, w->body, m->agenda, 0, NULL);
		}
		para_close(w->body);
	}
	simple_para(w, "UNAgendaTitle", m->agenda_title, JC_NONE);

	if (m->title && *m->title) {
		para_open(w, w->body, "Title", -1, 0, JC_NONE);
		run(w, w->body, m->title, 0, NULL);
		if (m->unedited && *m->unedited)
			custom_note(w, strlen(note_mark) == 1 ? "**" : "*", m->unedited);
		para_close(w->body);
	}
	simple_para(w, "Subtitle", m->kind, JC_NONE);
}

static void document(struct docx *w)
{
	const struct rbm_doc *doc = w->doc;
	struct xml *x = w->body;
	put(x, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
	put(w->notes, XML_DECL "<w:footnotes xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">"
		      "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr>"
		      "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
		      "<w:r><w:separator/></w:r></w:p></w:footnote>"
		      "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr>"
		      "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
		      "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>");

	plan_numbers(w);
	w->next_note = 1;

	header(w);
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *b = &doc->blocks[i];
		w->last_table = false;
		switch (b->kind) {
		case RBM_BLOCK_HEADING:
			heading(w, b);
			break;
		case RBM_BLOCK_PARAGRAPH:
			if (b->number > 0) {
				numbered(w, b);
			} else {
				para_open(w, x, "BodyText", -1, 0, JC_BOTH);
				runs(w, b);
				para_close(x);
			}
			break;
		case RBM_BLOCK_ITEM:
			item(w, b);
			break;
		case RBM_BLOCK_TABLE:
			if (b->table) {
				struct grid g = {b->table->rows, b->table->cols, table_cell, table_right,
						 b->table};
				table(w, b->table->caption, &g, NULL);
			}
			break;
		case RBM_BLOCK_CHART:
			if (b->chart)
				chart(w, b->chart);
			break;
		}
	}
	/* Word ends a body with a paragraph, never with a table, and needs one. */
	if (w->last_table || !w->any) {
		para_open(w, x, NULL, -1, 0, JC_NONE);
		para_close(x);
	}
	put(x, "<w:sectPr><w:footnotePr><w:numFmt w:val=\"decimal\"/></w:footnotePr>"
	       "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
	       "<w:pgMar w:top=\"1418\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" "
	       "w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>");
	if (w->rtl)
		put(x, "<w:bidi/>");
	put(x, "</w:sectPr></w:body></w:document>");
	put(w->notes, "</w:footnotes>");
}

/* A paragraph style: id, name, then pPr and rPr contents (may be ""). */
static void style(struct xml *x, const char *id, const char *name, const char *based,
		  const char *ppr, const char *rpr, int priority)
{
	putf(x, "<w:style w:type=\"paragraph\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>", id, name);
	if (based)
		putf(x, "<w:basedOn w:val=\"%s\"/>", based);
	put(x, "<w:next w:val=\"BodyText\"/>");
	if (priority > 0)
		putf(x, "<w:uiPriority w:val=\"%d\"/><w:qFormat/>", priority);
	if (*ppr)
		putf(x, "<w:pPr>%s</w:pPr>", ppr);
	if (*rpr)
		putf(x, "<w:rPr>%s</w:rPr>", rpr);
	put(x, "</w:style>");
}

static void styles(const struct docx *w, struct xml *x)
{
	enum rbm_lang lang = w->doc->meta.lang;
	put(x, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
	       "<w:rFonts w:ascii=\"Noto Serif\" w:hAnsi=\"Noto Serif\" "
	       "w:eastAsia=\"Noto Sans CJK SC\" w:cs=\"Noto Naskh Arabic\"/>");
	/* Arabic script reads small at the Latin size: a size up, for complex script. */
	putf(x, "<w:sz w:val=\"20\"/><w:szCs w:val=\"%d\"/>", lang == RBM_LANG_AR ? 24 : 20);
	putf(x, "<w:lang w:val=\"%s\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>", latin_lang(lang));
	put(x, "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>");
	if (w->rtl)
		put(x, "<w:bidi/>");
	put(x, "<w:spacing w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/>"
	       "</w:pPr></w:pPrDefault></w:docDefaults>");

	put(x, "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	       "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	       "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
	       "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>"
	       "<w:semiHidden/><w:unhideWhenUsed/></w:style>"
	       "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
	       "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
	       "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
	       "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
	       "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
	       "</w:tblCellMar></w:tblPr></w:style>"
	       "<w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\">"
	       "<w:name w:val=\"No List\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
	       "<w:unhideWhenUsed/></w:style>");

	style(x, "BodyText", "Body Text", "Normal", "<w:jc w:val=\"both\"/>", "", 1);
	style(x, "Heading1", "heading 1", "Normal",
	      "<w:keepNext/><w:keepLines/><w:spacing w:before=\"360\" w:after=\"240\"/>"
	      "<w:outlineLvl w:val=\"0\"/>",
	      "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>", 9);
	style(x, "Heading2", "heading 2", "Normal",
	      "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/>"
	      "<w:outlineLvl w:val=\"1\"/>",
	      "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>", 9);
	style(x, "Heading3", "heading 3", "Normal",
	      "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/>"
	      "<w:outlineLvl w:val=\"2\"/>",
	      "<w:b/><w:bCs/><w:i/><w:iCs/>", 9);
	style(x, "Title", "Title", "Normal", "<w:keepNext/><w:spacing w:before=\"480\" w:after=\"240\"/>",
	      "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>", 10);
	style(x, "Subtitle", "Subtitle", "Normal", "<w:keepNext/><w:spacing w:after=\"360\"/>",
	      "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>", 11);
	style(x, "UNSymbol", "UN Symbol", "Normal", "<w:spacing w:after=\"0\"/>",
	      "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>", 0);
	style(x, "UNDistr", "UN Distribution", "Normal",
	      "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"18\" w:space=\"4\" w:color=\"auto\"/></w:pBdr>"
	      "<w:spacing w:after=\"240\"/>",
	      "", 0);
	style(x, "UNBody", "UN Body", "Normal", "<w:spacing w:after=\"120\"/>",
	      "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>", 0);
	style(x, "UNSession", "UN Session", "Normal", "<w:spacing w:after=\"0\"/>", "", 0);
	style(x, "UNAgenda", "UN Agenda", "Normal", "<w:spacing w:before=\"120\" w:after=\"0\"/>", "", 0);
	style(x, "UNAgendaTitle", "UN Agenda Title", "Normal", "", "<w:b/><w:bCs/>", 0);
	style(x, "Caption", "caption", "Normal", "<w:keepNext/><w:spacing w:before=\"240\"/>",
	      "<w:b/><w:bCs/>", 35);
	style(x, "TableText", "Table Text", "Normal", "<w:spacing w:before=\"40\" w:after=\"40\"/>",
	      "<w:sz w:val=\"18\"/>", 0);
	style(x, "TableNote", "Table Note", "Normal", "<w:spacing w:before=\"60\"/>",
	      "<w:sz w:val=\"16\"/><w:szCs w:val=\"18\"/>", 0);
	style(x, "FootnoteText", "footnote text", "Normal", "<w:spacing w:after=\"0\"/>",
	      "<w:sz w:val=\"16\"/><w:szCs w:val=\"18\"/>", 0);
	put(x, "<w:style w:type=\"character\" w:styleId=\"FootnoteReference\">"
	       "<w:name w:val=\"footnote reference\"/><w:basedOn w:val=\"DefaultParagraphFont\"/>"
	       "<w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>"
	       "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
	       "<w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"39\"/><w:tblPr><w:tblBorders>"
	       "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	       "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	       "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	       "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	       "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	       "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
	       "</w:tblBorders></w:tblPr></w:style></w:styles>");
}

/* One list for the whole document: "1." at level 0, "(a)" at level 1. */
static void numbering(const struct docx *w, struct xml *x)
{
	const char *jc = w->rtl ? "" : "<w:lvlJc w:val=\"left\"/>";
	put(x, XML_DECL "<w:numbering xmlns:w=\"" NS_W "\">"
	       "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"multilevel\"/>");
	putf(x, "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
		"<w:lvlText w:val=\"%%1.\"/>%s<w:pPr><w:ind w:left=\"%d\" w:hanging=\"%d\"/></w:pPr></w:lvl>",
	     jc, INDENT, INDENT);
	putf(x, "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/>"
		"<w:lvlText w:val=\"(%%2)\"/>%s<w:pPr><w:ind w:left=\"%d\" w:hanging=\"%d\"/></w:pPr></w:lvl>",
	     jc, 2 * INDENT, INDENT);
	put(x, "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
	       "</w:numbering>");
}

static void settings(const struct docx *w, struct xml *x)
{
	put(x, XML_DECL "<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/>");
	putf(x, "<w:defaultTabStop w:val=\"%d\"/>", INDENT);
	put(x, "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
	       "<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>"
	       "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	       "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>");
	putf(x, "<w:themeFontLang w:val=\"%s\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>",
	     latin_lang(w->doc->meta.lang));
	put(x, "</w:settings>");
}

static void package_parts(const struct docx *w, struct xml *parts)
{
	const struct rbm_doc_meta *m = &w->doc->meta;
	const char *ov = "<Override PartName=\"/%s\" ContentType=\"application/"
			 "vnd.openxmlformats-officedocument.%s+xml\"/>";
	struct xml *x = &parts[P_CONTENT_TYPES];
	put(x, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	       "<Default Extension=\"rels\" "
	       "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
	putf(x, ov, "word/document.xml", "wordprocessingml.document.main");
	putf(x, ov, "word/styles.xml", "wordprocessingml.styles");
	putf(x, ov, "word/numbering.xml", "wordprocessingml.numbering");
	putf(x, ov, "word/footnotes.xml", "wordprocessingml.footnotes");
	putf(x, ov, "word/settings.xml", "wordprocessingml.settings");
	putf(x, ov, "docProps/app.xml", "extended-properties");
	put(x, "<Override PartName=\"/docProps/core.xml\" "
	       "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>");

	const char *rel = "<Relationship Id=\"rId%d\" Type=\"%s/%s\" Target=\"%s\"/>";
	x = &parts[P_RELS];
	put(x, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">");
	putf(x, rel, 1, NS_DOC_REL, "officeDocument", "word/document.xml");
	putf(x, rel, 2, NS_PKG_REL, "metadata/core-properties", "docProps/core.xml");
	putf(x, rel, 3, NS_DOC_REL, "extended-properties", "docProps/app.xml");
	put(x, "</Relationships>");

	x = &parts[P_DOCUMENT_RELS];
	put(x, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">");
	putf(x, rel, 1, NS_DOC_REL, "styles", "styles.xml");
	putf(x, rel, 2, NS_DOC_REL, "numbering", "numbering.xml");
	putf(x, rel, 3, NS_DOC_REL, "footnotes", "footnotes.xml");
	putf(x, rel, 4, NS_DOC_REL, "settings", "settings.xml");
	put(x, "</Relationships>");

	put(&parts[P_FOOTNOTES_RELS], XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\"/>");

	x = &parts[P_CORE];
	put(x, XML_DECL "<cp:coreProperties "
	       "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
	if (m->title) {
		put(x, "<dc:title>");
		esc(x, m->title);
		put(x, "</dc:title>");
	}
	if (m->agenda_title) {
		put(x, "<dc:subject>");
		esc(x, m->agenda_title);
		put(x, "</dc:subject>");
	}
	if (m->symbol) {
		put(x, "<dc:identifier>");
		esc(x, m->symbol);
		put(x, "</dc:identifier><cp:keywords>");
		esc(x, m->symbol);
		put(x, "</cp:keywords>");
	}
	putf(x, "<dc:language>%s</dc:language></cp:coreProperties>", word_lang[m->lang]);

	put(&parts[P_APP], XML_DECL "<Properties "
			   "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
			   "<Application>rbm " RBM_VERSION "</Application></Properties>");
}

enum rbm_rc rbm_publish_docx(const struct rbm_doc *doc, const char *path, struct rbm_diag *d)
{
	assert(doc != NULL && path != NULL);
	enum rbm_rc rc = RBM_OK;
	struct xml parts[P_COUNT];
	zip_t *z = NULL;
	for (int i = 0; i < P_COUNT; i++) {
		rbm_buf_init(&parts[i].b, 0);
		parts[i].rc = RBM_OK;
	}

	struct docx w = {.doc = doc, .rtl = doc->meta.rtl || doc->meta.lang == RBM_LANG_AR};
	w.body = &parts[P_DOCUMENT];
	w.notes = &parts[P_FOOTNOTES];
	document(&w);
	styles(&w, &parts[P_STYLES]);
	numbering(&w, &parts[P_NUMBERING]);
	settings(&w, &parts[P_SETTINGS]);
	package_parts(&w, parts);
	for (int i = 0; i < P_COUNT; i++) {
		if (parts[i].rc != RBM_OK) {
			rc = parts[i].rc;
			rbm_diag_add(d, path, part_name[i], "cannot build: %s", rbm_rc_str(rc));
			goto out;
		}
	}

	int zerr = 0;
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (z == NULL) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		rbm_diag_add(d, path, NULL, "cannot create: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		rc = RBM_EIO;
		goto out;
	}
	/* Every entry dated 1980-01-01, as Word does: the same doc gives the same bytes. */
	struct tm epoch = {.tm_year = 80, .tm_mday = 1, .tm_isdst = -1};
	time_t when = mktime(&epoch);
	for (int i = 0; i < P_COUNT; i++) {
		zip_source_t *src = zip_source_buffer(z, parts[i].b.data, parts[i].b.len, 0);
		zip_int64_t idx = -1;
		if (src == NULL || (idx = zip_file_add(z, part_name[i], src, ZIP_FL_OVERWRITE)) < 0) {
			zip_source_free(src);
			rbm_diag_add(d, path, part_name[i], "cannot write: %s", zip_strerror(z));
			rc = RBM_EIO;
			goto out;
		}
		if (when != (time_t)-1)
			zip_file_set_mtime(z, (zip_uint64_t)idx, when, 0);
	}
	if (zip_close(z) != 0) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", zip_strerror(z));
		rc = RBM_EIO;
		goto out;
	}
	z = NULL;

out:
	if (z != NULL)
		zip_discard(z); /* declared non-null */
	for (int i = P_COUNT - 1; i >= 0; i--)
		rbm_buf_free(&parts[i].b);
	return rc;
}
