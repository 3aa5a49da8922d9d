/*
 * test_render_docx.c - the Word renderer (src/publish/render_docx.c).
 *
 * Documents are built by hand in English, Chinese, Arabic and French, with
 * the UN header block, headings, numbered paragraphs with bold runs and a
 * footnote, lettered items, a table with numbers and a chart. Each .docx is
 * taken apart with libzip: every XML part must be well-formed (xmllint), and
 * document.xml must carry real numbering, footnote references, tables and
 * the language's direction. Then LibreOffice converts them all to PDF in
 * one run (it is slow to start) and pdftotext must find the text and the
 * numbers "1.", "2." and "(a)" the word processor counted. That last check
 * is skipped, with a note, only when libreoffice is not installed.
 */
#include "harness/test.h"

#include "core/arena.h"
#include "core/diag.h"
#include "publish/doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <zip.h>

static const char *const parts[] = {
	"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
	"word/styles.xml", "word/numbering.xml", "word/footnotes.xml",
	"word/_rels/footnotes.xml.rels", "word/settings.xml", "docProps/core.xml",
	"docProps/app.xml",
};
#define PARTS (sizeof parts / sizeof *parts)

/* The words of a sample document in one language. */
struct sample {
	enum rbm_lang lang;
	const char *tag;
	const char *title, *kind, *heading, *p1, *p1_bold, *p2, *item_a, *item_b, *p3, *note;
	const char *caption, *head[3], *region[2], *chart_title, *status[2];
};

static const struct sample samples[] = {
	{RBM_LANG_EN, "en", "Progress report on the strategic plan", "Note by the secretariat",
	 "I. Introduction", "The Programme supported 27 countries ", "in housing policy",
	 "Housing & land <reform> advanced", "urban planning", "basic services",
	 "Results were reviewed", "Figures are illustrative.",
	 "Table 1: Results by region", {"Region", "People reached", "Share"},
	 {"Africa", "Arab States"}, "Attainment of outcomes", {"achieved", "behind"}},
	{RBM_LANG_ZH, "zh", "战略计划进展报告", "秘书处的说明", "一. 导言",
	 "规划署支持了许多国家", "住房政策", "住房和土地改革取得进展", "城市规划", "基本服务",
	 "成果已经审查", "数字仅供说明。", "表1：按区域分列的成果",
	 {"区域", "受益人数", "比例"}, {"非洲", "阿拉伯国家"}, "成果完成情况", {"已实现", "落后"}},
	{RBM_LANG_AR, "ar", "تقرير مرحلي عن الخطة الاستراتيجية", "مذكرة من الأمانة", "أولا - مقدمة",
	 "قدم البرنامج الدعم إلى 27 بلدا ", "في مجال الإسكان", "تقدم إصلاح الأراضي",
	 "التخطيط الحضري", "الخدمات الأساسية", "استعرضت النتائج", "الأرقام توضيحية.",
	 "الجدول 1: النتائج حسب المنطقة", {"المنطقة", "عدد المستفيدين", "النسبة"},
	 {"أفريقيا", "الدول العربية"}, "تحقيق النتائج", {"تحقق", "متأخر"}},
	{RBM_LANG_FR, "fr", "Rapport sur le plan stratégique", "Note du secrétariat",
	 "I. Introduction", "Le Programme a soutenu 27 pays ", "en matière de logement",
	 "La réforme foncière a progressé", "la planification urbaine", "les services de base",
	 "Les résultats ont été examinés", "Les chiffres sont donnés à titre indicatif.",
	 "Tableau 1 : Résultats par région", {"Région", "Personnes touchées", "Part"},
	 {"Afrique", "États arabes"}, "Réalisation des résultats", {"atteint", "en retard"}},
};
#define SAMPLES (sizeof samples / sizeof *samples)

static struct rbm_block *para(struct rbm_doc *doc, int number, const char *text)
{
	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = number;
	rbm_doc_run(doc, b, text, false);
	return b;
}

static struct rbm_block *item(struct rbm_doc *doc, char letter, const char *text)
{
	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_ITEM);
	b->letter = letter;
	rbm_doc_run(doc, b, text, false);
	return b;
}

/* A 3 x 3 table (header + 2 rows) with numbers, and a chart of 2 bars. */
static void table_and_chart(struct rbm_doc *doc, const struct sample *s)
{
	struct rbm_arena *a = doc->arena;
	struct rbm_table *t = rbm_arena_alloc(a, sizeof *t);
	const char **cells = rbm_arena_alloc(a, 9 * sizeof *cells);
	double *numbers = rbm_arena_alloc(a, 9 * sizeof *numbers);
	bool *right = rbm_arena_alloc(a, 3 * sizeof *right);
	const char *text[9] = {s->head[0], s->head[1], s->head[2], s->region[0], "2,500,000", "62%",
			       s->region[1], "1,250", "38%"};
	const double num[9] = {NAN, NAN, NAN, NAN, 2500000, 0.62, NAN, 1250, 0.38};
	for (int i = 0; i < 9; i++) {
		cells[i] = rbm_doc_str(doc, text[i]);
		numbers[i] = num[i];
	}
	right[0] = false;
	right[1] = right[2] = true;
	*t = (struct rbm_table){3, 3, cells, numbers, right, rbm_doc_str(doc, s->caption)};
	rbm_doc_add(doc, RBM_BLOCK_TABLE)->table = t;

	struct rbm_chart *c = rbm_arena_alloc(a, sizeof *c);
	const char **labels = rbm_arena_alloc(a, 2 * sizeof *labels);
	const char **statuses = rbm_arena_alloc(a, 2 * sizeof *statuses);
	double *values = rbm_arena_alloc(a, 2 * sizeof *values);
	labels[0] = rbm_doc_str(doc, "1.1.a");
	labels[1] = rbm_doc_str(doc, "1.2.b");
	statuses[0] = rbm_doc_str(doc, s->status[0]);
	statuses[1] = rbm_doc_str(doc, s->status[1]);
	values[0] = 116;
	values[1] = NAN;
	*c = (struct rbm_chart){rbm_doc_str(doc, s->chart_title), 2, labels, values, statuses, 150,
				NULL};
	rbm_doc_add(doc, RBM_BLOCK_CHART)->chart = c;
}

/* A whole report in the sample's language. */
static struct rbm_doc *sample_doc(const struct sample *s)
{
	struct rbm_doc *doc = rbm_doc_new(s->lang);
	struct rbm_doc_meta *m = &doc->meta;
	m->body = rbm_doc_str(doc, "Executive Board of the United Nations Human Settlements Programme");
	m->session = rbm_doc_str(doc, "First session of 2022");
	m->place_dates = rbm_doc_str(doc, "Nairobi, 29-31 March 2022");
	m->symbol = rbm_doc_str(doc, "HSP/EB.2022/6");
	m->date = rbm_doc_str(doc, "Distr.: General\n10 March 2022");
	m->agenda = rbm_doc_str(doc, "Item 10 of the provisional agenda*");
	m->agenda_note = rbm_doc_str(doc, "* HSP/EB.2022/1.");
	m->agenda_title = rbm_doc_str(doc, "Reports of the Executive Director");
	m->title = rbm_doc_str(doc, s->title);
	m->kind = rbm_doc_str(doc, s->kind);
	m->unedited = rbm_doc_str(doc, "The present document is being issued without formal editing.");
	m->report = rbm_doc_str(doc, "annual");

	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_HEADING);
	b->level = 1;
	rbm_doc_run(doc, b, s->heading, false);
	b = para(doc, 1, s->p1);
	rbm_doc_run(doc, b, s->p1_bold, true);
	b->runs[b->runs_len - 1].footnote = rbm_doc_footnote(doc, s->note);
	para(doc, 2, s->p2);
	item(doc, 'a', s->item_a);
	item(doc, 'b', s->item_b);
	b = rbm_doc_add(doc, RBM_BLOCK_HEADING);
	b->level = 2;
	rbm_doc_run(doc, b, "A.", false);
	table_and_chart(doc, s);
	para(doc, 3, s->p3);
	para(doc, 0, "2021.");
	return doc;
}

/* Writes doc to test_tmpdir()/name; returns the path (free() it), or NULL on failure. */
static char *write_docx(struct rbm_doc *doc, const char *name)
{
	char *path = malloc(512);
	snprintf(path, 512, "%s/%s", test_tmpdir(), name);
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_publish_docx(doc, path, &d);
	if (rc != RBM_OK) {
		rbm_diag_print(&d, stdout, "# ");
		free(path);
		path = NULL;
	}
	rbm_diag_free(&d);
	return path;
}

/* The text of one part of a .docx (free() it); NULL if it is missing. */
static char *read_part(const char *docx, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(docx, ZIP_RDONLY, &err);
	if (z == NULL)
		return NULL;
	char *text = NULL;
	zip_stat_t st;
	zip_file_t *f = NULL;
	if (zip_stat(z, name, 0, &st) == 0 && (f = zip_fopen(z, name, 0)) != NULL) {
		text = malloc(st.size + 1);
		zip_int64_t n = zip_fread(f, text, st.size);
		text[n < 0 ? 0 : n] = '\0';
		zip_fclose(f);
	}
	zip_discard(z);
	return text;
}

/* Runs a shell command; true when it exits 0. Its output goes to *out (free() it) if out. */
static bool run(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return false;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	int status = pclose(p);
	if (out)
		*out = buf;
	else
		free(buf);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Every part of the .docx exists and is well-formed XML; else prints xmllint's complaint. */
static bool well_formed(const char *docx)
{
	char cmd[8192];
	size_t len = (size_t)snprintf(cmd, sizeof cmd, "xmllint --noout");
	for (size_t i = 0; i < PARTS; i++) {
		char *text = read_part(docx, parts[i]);
		if (text == NULL) {
			printf("# %s: no part %s\n", docx, parts[i]);
			return false;
		}
		char name[64];
		snprintf(name, sizeof name, "part%zu.xml", i);
		const char *file = test_write_file(name, text, strlen(text));
		len += (size_t)snprintf(cmd + len, sizeof cmd - len, " '%s'", file);
		free(text);
	}
	snprintf(cmd + len, sizeof cmd - len, " 2>&1");
	char *out = NULL;
	bool ok = run(cmd, &out);
	if (!ok)
		printf("# %s: xmllint: %s\n", docx, out);
	free(out);
	return ok;
}

/* How many times needle occurs in haystack. */
static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void docx_parts_well_formed(void)
{
	for (size_t i = 0; i < SAMPLES; i++) {
		struct rbm_doc *doc = sample_doc(&samples[i]);
		char name[32];
		snprintf(name, sizeof name, "wf-%s.docx", samples[i].tag);
		char *path = write_docx(doc, name);
		rbm_doc_free(doc);
		CHECK(path != NULL);
		bool ok = well_formed(path);
		free(path);
		CHECK(ok);
	}
}

static void docx_structure(void)
{
	struct rbm_doc *doc = sample_doc(&samples[0]);
	char *path = write_docx(doc, "structure.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	char *body = read_part(path, "word/document.xml");
	char *notes = read_part(path, "word/footnotes.xml");
	char *styles = read_part(path, "word/styles.xml");
	char *numbering = read_part(path, "word/numbering.xml");
	char *types = read_part(path, "[Content_Types].xml");
	char *rels = read_part(path, "word/_rels/document.xml.rels");
	char *core = read_part(path, "docProps/core.xml");
	free(path);
	bool ok = body && notes && styles && numbering && types && rels && core;
	if (ok) {
		/* The header block, in styles. */
		CHECK_HAS(body, "<w:pStyle w:val=\"UNSymbol\"/>");
		CHECK_HAS(body, "HSP/EB.2022/6");
		CHECK_HAS(body, "Distr.: General</w:t><w:br/><w:t xml:space=\"preserve\">10 March 2022");
		CHECK_HAS(body, "<w:pStyle w:val=\"UNBody\"/>");
		CHECK_HAS(body, "Item 10 of the provisional agenda</w:t></w:r><w:r><w:rPr>"
				"<w:rStyle w:val=\"FootnoteReference\"/></w:rPr>"
				"<w:footnoteReference w:customMarkFollows=\"1\" w:id=\"1\"/>"
				"<w:t>*</w:t></w:r>");
		CHECK_HAS(body, "<w:pStyle w:val=\"Title\"/>");
		CHECK_HAS(body, "<w:footnoteReference w:customMarkFollows=\"1\" w:id=\"2\"/>"
				"<w:t>*</w:t><w:t>*</w:t></w:r>");
		CHECK_HAS(body, "<w:pStyle w:val=\"Subtitle\"/></w:pPr><w:r>"
				"<w:t xml:space=\"preserve\">Note by the secretariat");
		/* Headings, numbered paragraphs and items through numbering.xml. */
		CHECK_HAS(body, "<w:pStyle w:val=\"Heading1\"/>");
		CHECK_HAS(body, "<w:pStyle w:val=\"Heading2\"/>");
		CHECK_INT(count(body, "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>"), 3);
		CHECK_INT(count(body, "<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr>"), 2);
		CHECK(strstr(body, ">1.</w:t>") == NULL);
		CHECK_HAS(body, "The Programme supported 27 countries ");
		CHECK_HAS(body, "<w:r><w:rPr><w:b/><w:bCs/></w:rPr>"
				"<w:t xml:space=\"preserve\">in housing policy</w:t></w:r>");
		CHECK_HAS(body, "<w:footnoteReference w:id=\"3\"/>");
		CHECK_HAS(body, "Housing &amp; land &lt;reform&gt; advanced");
		/* The table and the chart. */
		CHECK_INT(count(body, "<w:tbl>"), 2);
		CHECK_INT(count(body, "<w:tblHeader/>"), 2);
		CHECK_HAS(body, "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">2,500,000");
		CHECK_HAS(body, "Attainment of outcomes");
		CHECK_HAS(body, ">116%<");
		CHECK_HAS(body, ">behind<");
		CHECK(strstr(body, "<w:bidi/>") == NULL);
		/* The other parts. */
		/* The notes in the order they are referred to. */
		const char *agenda = strstr(notes, "<w:footnote w:id=\"1\">");
		const char *unedited = strstr(notes, "<w:footnote w:id=\"2\">");
		const char *one = strstr(notes, "<w:footnote w:id=\"3\">");
		CHECK(agenda && unedited && one && agenda < unedited && unedited < one);
		CHECK_HAS(one, "<w:footnoteRef/>");
		CHECK_HAS(notes, "Figures are illustrative.");
		CHECK_HAS(notes, ">* HSP/EB.2022/1.<");
		CHECK_HAS(notes, "<w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:t xml:space=\"preserve\">**</w:t>"
				 "</w:r><w:r><w:t xml:space=\"preserve\"> The present document");
		CHECK_HAS(numbering, "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/>");
		CHECK_HAS(numbering, "<w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"(%2)\"/>");
		CHECK_HAS(styles, "<w:lang w:val=\"en-GB\"");
		CHECK_HAS(styles, "w:ascii=\"Noto Serif\"");
		CHECK_HAS(styles, "w:eastAsia=\"Noto Sans CJK SC\"");
		CHECK_HAS(styles, "w:cs=\"Noto Naskh Arabic\"");
		CHECK_HAS(styles, "<w:outlineLvl w:val=\"1\"/>");
		CHECK_HAS(types, "wordprocessingml.footnotes+xml");
		CHECK_HAS(rels, "Target=\"numbering.xml\"");
		CHECK_HAS(core, "<dc:title>Progress report on the strategic plan</dc:title>");
	}
	free(body);
	free(notes);
	free(styles);
	free(numbering);
	free(types);
	free(rels);
	free(core);
	CHECK(ok);
}

static void docx_languages(void)
{
	char *body[SAMPLES] = {0}, *styles[SAMPLES] = {0};
	for (size_t i = 0; i < SAMPLES; i++) {
		struct rbm_doc *doc = sample_doc(&samples[i]);
		char name[32];
		snprintf(name, sizeof name, "lang-%s.docx", samples[i].tag);
		char *path = write_docx(doc, name);
		rbm_doc_free(doc);
		if (path) {
			body[i] = read_part(path, "word/document.xml");
			styles[i] = read_part(path, "word/styles.xml");
		}
		free(path);
	}
	bool ok = true;
	for (size_t i = 0; i < SAMPLES; i++)
		ok &= body[i] != NULL && styles[i] != NULL;
	if (ok) {
		/* Chinese. */
		CHECK_HAS(styles[1], "<w:lang w:val=\"en-GB\" w:eastAsia=\"zh-CN\"");
		CHECK_HAS(body[1], "规划署支持了许多国家");
		CHECK_HAS(body[1], "表1：按区域分列的成果");
		/* Arabic: right to left throughout. */
		CHECK_HAS(styles[2], "<w:lang w:val=\"ar-SA\"");
		CHECK_HAS(styles[2], "<w:pPrDefault><w:pPr><w:bidi/>");
		CHECK_HAS(body[2], "<w:bidi/>");
		CHECK_HAS(body[2], "<w:rPr><w:rtl/></w:rPr><w:t xml:space=\"preserve\">قدم البرنامج");
		CHECK_HAS(body[2], "<w:bidiVisual/>");
		CHECK_HAS(body[2], "<w:bidi/></w:sectPr>");
		CHECK_INT(count(body[2], "<w:numPr>"), 5);
		CHECK(strstr(body[2], "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">2,500,000") ==
		      NULL);
		/* French. */
		CHECK_HAS(styles[3], "<w:lang w:val=\"fr-FR\"");
		CHECK_HAS(body[3], "Le Programme a soutenu 27 pays ");
		CHECK_HAS(body[3], "116\xC2\xA0%");
		CHECK(strstr(body[3], "<w:bidi/>") == NULL);
	}
	for (size_t i = 0; i < SAMPLES; i++) {
		free(body[i]);
		free(styles[i]);
	}
	CHECK(ok);
}

/* Paragraphs 1, 2, 5: not what counting gives, so the numbers are typed. */
static struct rbm_doc *gap_doc(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_EN);
	doc->meta.title = rbm_doc_str(doc, "Numbers with a gap");
	para(doc, 1, "First paragraph.");
	para(doc, 2, "Second paragraph.");
	item(doc, 'a', "first item");
	para(doc, 5, "Fifth paragraph.");
	return doc;
}

static void docx_typed_numbers(void)
{
	struct rbm_doc *doc = gap_doc();
	char *path = write_docx(doc, "gap.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	char *body = read_part(path, "word/document.xml");
	bool wf = well_formed(path);
	free(path);
	CHECK(wf);
	CHECK(body != NULL);
	bool numpr = strstr(body, "<w:numPr>") != NULL;
	bool typed = strstr(body, ">5.</w:t><w:tab/>") && strstr(body, ">1.</w:t><w:tab/>") &&
		     strstr(body, ">(a)</w:t><w:tab/>");
	bool indent = strstr(body, "<w:ind w:left=\"567\" w:hanging=\"567\"/>") != NULL;
	free(body);
	CHECK(!numpr);
	CHECK(typed);
	CHECK(indent);
}

/* Paragraphs count right but the letters do not (a, c): only the letters are typed. */
static void docx_typed_letters(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_EN);
	para(doc, 1, "First paragraph.");
	item(doc, 'a', "first item");
	item(doc, 'c', "third item");
	para(doc, 2, "Second paragraph.");
	item(doc, 'a', "another item");
	char *path = write_docx(doc, "letters.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	char *body = read_part(path, "word/document.xml");
	free(path);
	CHECK(body != NULL);
	size_t level0 = count(body, "<w:ilvl w:val=\"0\"/>"), level1 = count(body, "<w:ilvl w:val=\"1\"/>");
	bool typed = strstr(body, ">(c)</w:t><w:tab/>") != NULL;
	free(body);
	CHECK_INT(level0, 2);
	CHECK_INT(level1, 0);
	CHECK(typed);
}

/* Footnotes referred to out of order (2 before 1): the doc's numbers become custom marks. */
static void docx_footnotes_out_of_order(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_EN);
	int one = rbm_doc_footnote(doc, "1 note, which begins with its number.");
	int two = rbm_doc_footnote(doc, "Note two.");
	struct rbm_block *b = para(doc, 1, "Refers to the second note");
	b->runs[0].footnote = two;
	b = para(doc, 2, "and then the first");
	b->runs[0].footnote = one;
	char *path = write_docx(doc, "notes.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	char *body = read_part(path, "word/document.xml");
	char *notes = read_part(path, "word/footnotes.xml");
	bool wf = well_formed(path);
	free(path);
	bool ok = body && notes;
	if (ok) {
		CHECK_HAS(body, "<w:footnoteReference w:customMarkFollows=\"1\" w:id=\"1\"/>"
				"<w:t>2</w:t></w:r>");
		CHECK_HAS(body, "<w:footnoteReference w:customMarkFollows=\"1\" w:id=\"2\"/>"
				"<w:t>1</w:t></w:r>");
		CHECK(strstr(notes, "<w:footnoteRef/>") == NULL);
		CHECK_HAS(notes, "> Note two.<");
		CHECK_HAS(notes, "<w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:t xml:space=\"preserve\">1</w:t></w:r>"
				 "<w:r><w:t xml:space=\"preserve\"> 1 note, which");
	}
	free(body);
	free(notes);
	CHECK(ok);
	CHECK(wf);
}

/* Control characters, malformed UTF-8 and markup in text still give well-formed XML. */
static void docx_escaping(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_EN);
	doc->meta.title = rbm_doc_str(doc, "A <title> & \"quotes\" \x01\x1b bell\x07");
	doc->meta.symbol = rbm_doc_str(doc, "HSP/\xff\xfe/\xc3");
	para(doc, 1, "]]> <!-- not a comment --> &amp; \xef\xbf\xbe tab\there\r\nline");
	rbm_doc_footnote(doc, "<note> & \x02");
	doc->blocks[0].runs[0].footnote = 1;
	char *path = write_docx(doc, "escape.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	bool wf = well_formed(path);
	char *body = read_part(path, "word/document.xml");
	free(path);
	CHECK(wf);
	CHECK(body != NULL);
	bool ok = strstr(body, "A &lt;title&gt; &amp; &quot;quotes&quot;  bell") &&
		  strstr(body, "HSP/\xef\xbf\xbd\xef\xbf\xbd/\xef\xbf\xbd") &&
		  strstr(body, "&amp;amp;  tab</w:t><w:tab/><w:t xml:space=\"preserve\">here</w:t><w:br/>");
	if (!ok)
		printf("# %s\n", body);
	free(body);
	CHECK(ok);
}

/* Less common shapes: no right[] (the numbers decide), a chart note, no agenda note, italics. */
static void docx_variants(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_ES);
	doc->meta.agenda = rbm_doc_str(doc, "Tema 10 del programa provisional");
	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_HEADING);
	b->level = 7;
	rbm_doc_run(doc, b, "Deep heading", false);
	b = para(doc, 0, "Plain ");
	rbm_doc_run(doc, b, "emphasis", false);
	b->runs[1].italic = true;
	rbm_doc_run(doc, b, "old\rmac", false);
	table_and_chart(doc, &samples[3]);
	struct rbm_table *t = (struct rbm_table *)doc->blocks[doc->blocks_len - 2].table;
	t->right = NULL;
	struct rbm_chart *c = (struct rbm_chart *)doc->blocks[doc->blocks_len - 1].chart;
	c->caption = rbm_doc_str(doc, "Fuente: ONU-Hábitat.");
	char *path = write_docx(doc, "variants.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	bool wf = well_formed(path);
	char *body = read_part(path, "word/document.xml");
	free(path);
	CHECK(wf);
	CHECK(body != NULL);
	bool ok = strstr(body, "<w:pStyle w:val=\"UNAgenda\"/></w:pPr><w:r><w:t xml:space=\"preserve\">"
			       "Tema 10 del programa provisional</w:t></w:r></w:p>") &&
		  strstr(body, "<w:pStyle w:val=\"Heading3\"/>") &&
		  strstr(body, "<w:i/><w:iCs/>") && strstr(body, "old</w:t><w:br/>") &&
		  /* the header "Part" is text: left; "62%" is a number: right */
		  strstr(body, "<w:pStyle w:val=\"TableText\"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr>"
			       "<w:t xml:space=\"preserve\">Part<") &&
		  strstr(body, "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">62%<") &&
		  strstr(body, "<w:pStyle w:val=\"TableNote\"/>") && !strstr(body, "customMarkFollows");
	if (!ok)
		printf("# %s\n", body);
	free(body);
	CHECK(ok);
}

static void docx_empty_doc(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_RU);
	char *path = write_docx(doc, "empty.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	bool wf = well_formed(path);
	free(path);
	CHECK(wf);
}

/* The same doc gives the same bytes. */
static void docx_reproducible(void)
{
	struct rbm_doc *doc = sample_doc(&samples[3]);
	char *a = write_docx(doc, "same-1.docx");
	char *b = write_docx(doc, "same-2.docx");
	rbm_doc_free(doc);
	size_t alen = 0, blen = 0;
	char *abytes = a ? test_read_file(a, &alen) : NULL;
	char *bbytes = b ? test_read_file(b, &blen) : NULL;
	bool same = abytes && bbytes && alen == blen && memcmp(abytes, bbytes, alen) == 0;
	free(abytes);
	free(bbytes);
	free(a);
	free(b);
	CHECK(same);
}

static void docx_cannot_write(void)
{
	struct rbm_doc *doc = sample_doc(&samples[0]);
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *path = "/nonexistent-rbm-dir/report.docx";
	enum rbm_rc rc = rbm_publish_docx(doc, path, &d);
	rbm_doc_free(doc);
	bool named = d.len == 1 && d.entries[0].file && strcmp(d.entries[0].file, path) == 0;
	bool reason = d.len == 1 && strstr(d.entries[0].reason, "cannot") != NULL;
	rbm_diag_free(&d);
	CHECK_INT(rc, RBM_EIO);
	CHECK(named);
	CHECK(reason);
}

/*
 * pdftotext of pdf (free() it), or NULL; without the bidi embedding marks
 * (U+202A..U+202E, U+2066..U+2069) it wraps right-to-left lines in.
 */
static char *pdf_text(const char *pdf)
{
	char cmd[1024], *out = NULL;
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", pdf);
	if (!run(cmd, &out)) {
		printf("# pdftotext %s: %s\n", pdf, out ? out : "");
		free(out);
		return NULL;
	}
	size_t o = 0;
	for (size_t i = 0; out[i];) {
		const unsigned char *u = (const unsigned char *)out + i;
		if (u[0] == 0xE2 && ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
				     (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))) {
			i += 3;
			continue;
		}
		out[o++] = out[i++];
	}
	out[o] = '\0';
	return out;
}

/* LibreOffice opens every sample (one run for all) and lays out what Word would. */
static void docx_libreoffice_pdf(void)
{
	if (!run("command -v libreoffice >/dev/null 2>&1", NULL)) {
		printf("# skipped: libreoffice not installed\n");
		return;
	}
	const char *dir = test_tmpdir();
	char cmd[4096];
	size_t len = (size_t)snprintf(cmd, sizeof cmd,
				      "cd '%s' && timeout 600 libreoffice "
				      "-env:UserInstallation=file://%s/lo-profile --headless "
				      "--convert-to pdf --outdir '%s'",
				      dir, dir, dir);
	for (size_t i = 0; i < SAMPLES; i++) {
		struct rbm_doc *doc = sample_doc(&samples[i]);
		char name[32];
		snprintf(name, sizeof name, "lo-%s.docx", samples[i].tag);
		char *path = write_docx(doc, name);
		rbm_doc_free(doc);
		CHECK(path != NULL);
		free(path);
		len += (size_t)snprintf(cmd + len, sizeof cmd - len, " %s", name);
	}
	struct rbm_doc *doc = gap_doc();
	char *path = write_docx(doc, "lo-gap.docx");
	rbm_doc_free(doc);
	CHECK(path != NULL);
	free(path);
	snprintf(cmd + len, sizeof cmd - len, " lo-gap.docx 2>&1");
	char *out = NULL;
	bool converted = run(cmd, &out);
	if (!converted)
		printf("# %s\n# %s\n", cmd, out ? out : "");
	free(out);
	CHECK(converted);

	char *text[SAMPLES + 1] = {0};
	bool ok = true;
	for (size_t i = 0; i <= SAMPLES; i++) {
		char pdf[512];
		snprintf(pdf, sizeof pdf, "%s/lo-%s.pdf", dir, i < SAMPLES ? samples[i].tag : "gap");
		text[i] = pdf_text(pdf);
		ok &= text[i] != NULL;
	}
	if (ok) {
		for (size_t i = 0; i < SAMPLES; i++) {
			const struct sample *s = &samples[i];
			const char *t = text[i];
			CHECK_HAS(t, s->title);
			CHECK_HAS(t, s->p1_bold);
			CHECK_HAS(t, s->item_a);
			CHECK_HAS(t, s->region[1]);
			CHECK_HAS(t, s->note);
			CHECK_HAS(t, "HSP/EB.2022/6");
			CHECK_HAS(t, "2,500,000");
			if (s->lang == RBM_LANG_AR) {
				/* Numbers and letters come out in visual order: ".1", "()a". */
				CHECK_HAS(t, ".1\n");
				CHECK_HAS(t, ".2\n");
				CHECK_HAS(t, ".3\n");
				CHECK_HAS(t, "()a\n");
				CHECK_HAS(t, "()b\n");
			} else {
				CHECK_HAS(t, s->p1);
				CHECK_HAS(t, "\n1.\n");
				CHECK_HAS(t, "\n2.\n");
				CHECK_HAS(t, "\n3.\n");
				CHECK_HAS(t, "\n(a)\n");
				CHECK_HAS(t, "\n(b)\n");
			}
		}
		CHECK_HAS(text[0], "The present document is being issued without formal editing.");
		CHECK_HAS(text[0], "Progress report on the strategic plan**\n");
		CHECK_HAS(text[SAMPLES], "\n5.\n");
		CHECK_HAS(text[SAMPLES], "Fifth paragraph.");
	}
	for (size_t i = 0; i <= SAMPLES; i++)
		free(text[i]);
	CHECK(ok);
}

TEST_MAIN(T(docx_parts_well_formed), T(docx_structure), T(docx_languages), T(docx_typed_numbers),
	  T(docx_typed_letters), T(docx_footnotes_out_of_order), T(docx_escaping), T(docx_variants), T(docx_empty_doc),
	  T(docx_reproducible), T(docx_cannot_write), T(docx_libreoffice_pdf))
