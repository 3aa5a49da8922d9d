/*
 * test_render.c - rbm_publish_render: every format into memory, the same
 * bytes as the file writers give (HTML, Markdown, DOCX), the language
 * switcher with web URLs, unknown formats refused, a buffer's cap, and no
 * temporary file left behind in $TMPDIR on success or failure.
 */
#include "harness/test.h"

#include "core/arena.h"
#include "core/diag.h"
#include "publish/render.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh, empty $TMPDIR for the renderers' temporary files (inside the test's folder). */
static const char *fresh_tmpdir(const char *name)
{
	static char dir[512];
	snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
	mkdir(dir, 0700);
	setenv("TMPDIR", dir, 1);
	return dir;
}

/* Entries in dir other than . and .. (-1 when it cannot be read). */
static int entries(const char *dir)
{
	DIR *dh = opendir(dir);
	if (dh == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dh);
	return n;
}

static struct rbm_doc *sample(enum rbm_lang lang, const char *title)
{
	struct rbm_doc *doc = rbm_doc_new(lang);
	struct rbm_doc_meta *m = &doc->meta;
	m->body = rbm_doc_str(doc, "Executive Board of the United Nations Human Settlements Programme");
	m->symbol = rbm_doc_str(doc, "HSP/EB.2022/6");
	m->date = rbm_doc_str(doc, "Distr.: General\n10 March 2022");
	m->title = rbm_doc_str(doc, title);
	m->kind = rbm_doc_str(doc, "Note by the secretariat");
	m->report = rbm_doc_str(doc, "annual");
	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_HEADING);
	b->level = 1;
	rbm_doc_run(doc, b, "I. Introduction", false);
	b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = 1;
	rbm_doc_run(doc, b, "About 2.9 million people in ", false);
	rbm_doc_run(doc, b, "45 countries", true);
	b->runs[1].footnote = rbm_doc_footnote(doc, "Survey of 2022.");

	struct rbm_arena *a = doc->arena;
	struct rbm_table *t = rbm_arena_alloc(a, sizeof *t);
	const char **cells = rbm_arena_alloc(a, 4 * sizeof *cells);
	double *numbers = rbm_arena_alloc(a, 4 * sizeof *numbers);
	bool *right = rbm_arena_alloc(a, 2 * sizeof *right);
	const char *text[4] = {"Indicator", "Result", "1.1.a", "2,899,810"};
	for (int i = 0; i < 4; i++) {
		cells[i] = rbm_doc_str(doc, text[i]);
		numbers[i] = i == 3 ? 2899810 : NAN;
	}
	right[0] = false;
	right[1] = true;
	*t = (struct rbm_table){2, 2, cells, numbers, right, rbm_doc_str(doc, "Table 1. Results")};
	rbm_doc_add(doc, RBM_BLOCK_TABLE)->table = t;

	struct rbm_chart *c = rbm_arena_alloc(a, sizeof *c);
	const char **labels = rbm_arena_alloc(a, sizeof *labels);
	const char **statuses = rbm_arena_alloc(a, sizeof *statuses);
	double *values = rbm_arena_alloc(a, sizeof *values);
	labels[0] = rbm_doc_str(doc, "1.1.a");
	statuses[0] = rbm_doc_str(doc, "achieved");
	values[0] = 116;
	*c = (struct rbm_chart){rbm_doc_str(doc, "Attainment"), 1, labels, values, statuses, 150, NULL};
	rbm_doc_add(doc, RBM_BLOCK_CHART)->chart = c;
	return doc;
}

/* Renders doc in format into out (initialised here); checks rc and that $TMPDIR is left empty. */
static enum rbm_rc render(const struct rbm_doc *doc, const char *format, const char *const *alt,
			  struct rbm_buf *out, struct rbm_diag *d)
{
	rbm_buf_init(out, 0);
	return rbm_publish_render(doc, format, alt, out, d);
}

/* The file rbm_publish_write() makes, read back (free() it). */
static char *written(const struct rbm_doc *doc, const char *format, const char *const *alt,
		     size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/report.%s", test_tmpdir(), format);
	struct rbm_diag d;
	rbm_diag_init(&d);
	char *data = NULL;
	if (rbm_publish_write(doc, format, path, alt, &d) == RBM_OK)
		data = test_read_file(path, len);
	else
		rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	return data;
}

static void html_page(void)
{
	const char *tmp = fresh_tmpdir("html");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights of the <2021> results & more");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "html", NULL, &out, &d), RBM_OK);
	CHECK_INT(rbm_diag_count(&d), 0);
	const char *s = rbm_buf_str(&out);
	CHECK(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">", 42) == 0);
	CHECK_HAS(s, "<title>Highlights of the &lt;2021&gt; results &amp; more</title>");
	CHECK_HAS(s, "<h1>Highlights of the &lt;2021&gt; results &amp; more</h1>");
	CHECK_HAS(s, "<link rel=\"stylesheet\" href=\"rbm.css\"/>");
	CHECK_HAS(s, "<main>");
	CHECK_HAS(s, "<svg");
	CHECK_HAS(s, "</html>\n");
	CHECK(strstr(s, "<nav") == NULL); /* no alternates, no switcher */
	CHECK_INT(strlen(s), out.len);
	/* The same bytes as the file writer's. */
	size_t len = 0;
	char *file = written(doc, "html", NULL, &len);
	CHECK(file != NULL);
	CHECK_INT(len, out.len);
	CHECK(memcmp(file, out.data, len) == 0);
	free(file);
	CHECK_INT(entries(tmp), 0);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

static void html_arabic_rtl(void)
{
	fresh_tmpdir("ar");
	struct rbm_doc *doc = sample(RBM_LANG_AR, "أبرز نتائج عام 2021");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "html", NULL, &out, &d), RBM_OK);
	CHECK_HAS(rbm_buf_str(&out), "<html lang=\"ar\" dir=\"rtl\">");
	CHECK_HAS(rbm_buf_str(&out), "<title>أبرز نتائج عام 2021</title>");
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

/* The web layer links the other languages by URL; '&' in a query is escaped; junk is skipped. */
static void html_alternates_as_urls(void)
{
	fresh_tmpdir("alt");
	struct rbm_doc *doc = sample(RBM_LANG_FR, "Faits saillants");
	const char *const alt[] = {"en=/reports/2021/annual?lang=en", "fr=/reports/2021/annual?lang=fr",
				   "zh=/reports/2021/annual?lang=zh&print=1", "xx=/nowhere", "no-equals",
				   NULL};
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "html", alt, &out, &d), RBM_OK);
	const char *s = rbm_buf_str(&out);
	CHECK_HAS(s, "<html lang=\"fr\" dir=\"ltr\">");
	CHECK_HAS(s, "<nav class=\"langs\" aria-label=\"languages\">");
	CHECK_HAS(s, "<a href=\"/reports/2021/annual?lang=en\" hreflang=\"en\" lang=\"en\">English</a>");
	CHECK_HAS(s, "<a href=\"/reports/2021/annual?lang=fr\" hreflang=\"fr\" lang=\"fr\" aria-current=\"page\">");
	CHECK_HAS(s, "<a href=\"/reports/2021/annual?lang=zh&amp;print=1\" hreflang=\"zh\"");
	CHECK(strstr(s, "/nowhere") == NULL);
	CHECK(strstr(s, "no-equals") == NULL);
	/* The stylesheet the page links is there to serve. */
	size_t css_len = 0;
	const char *css = rbm_publish_html_css(&css_len);
	CHECK(css != NULL && css_len > 100);
	CHECK_INT(strlen(css), css_len);
	CHECK_HAS(css, "nav.langs");
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

static void markdown(void)
{
	const char *tmp = fresh_tmpdir("md");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "md", NULL, &out, &d), RBM_OK);
	CHECK_HAS(rbm_buf_str(&out), "# Highlights\n");
	CHECK_HAS(rbm_buf_str(&out), "1\\. About 2.9 million people in **45 countries**[^1]");
	size_t len = 0;
	char *file = written(doc, "md", NULL, &len);
	CHECK(file != NULL);
	CHECK_INT(len, out.len);
	CHECK(memcmp(file, out.data, len) == 0);
	free(file);
	CHECK_INT(entries(tmp), 0);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

static void pdf(void)
{
	const char *tmp = fresh_tmpdir("pdf");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	enum rbm_rc rc = render(doc, "pdf", NULL, &out, &d);
	if (rc != RBM_OK)
		rbm_diag_print(&d, stdout, "# ");
	CHECK_INT(rc, RBM_OK);
	CHECK(out.len > 1000);
	CHECK(memcmp(out.data, "%PDF-", 5) == 0);
	CHECK(strstr(out.data + out.len - 16, "%%EOF") != NULL);
	CHECK_INT(entries(tmp), 0);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

static void docx(void)
{
	const char *tmp = fresh_tmpdir("docx");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "docx", NULL, &out, &d), RBM_OK);
	CHECK(out.len > 1000);
	CHECK(memcmp(out.data, "PK\x03\x04", 4) == 0);
	CHECK_INT(entries(tmp), 0);
	/* DOCX entries are dated 1980: the file writer gives the same bytes. */
	size_t len = 0;
	char *file = written(doc, "docx", NULL, &len);
	CHECK(file != NULL);
	CHECK_INT(len, out.len);
	CHECK(memcmp(file, out.data, len) == 0);
	free(file);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

static void xlsx(void)
{
	const char *tmp = fresh_tmpdir("xlsx");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "xlsx", NULL, &out, &d), RBM_OK);
	CHECK(out.len > 1000);
	CHECK(memcmp(out.data, "PK\x03\x04", 4) == 0);
	CHECK_INT(entries(tmp), 0);
	/* It opens: written out, unzip lists the workbook. */
	const char *path = test_write_file("mem.xlsx", out.data, out.len);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "unzip -l '%s' | grep -q 'xl/workbook.xml'", path);
	CHECK_INT(system(cmd), 0);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

/* Appends after what the buffer holds. */
static void appends(void)
{
	fresh_tmpdir("append");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	rbm_buf_init(&out, 0);
	rbm_buf_adds(&out, "before|");
	CHECK_INT(rbm_publish_render(doc, "pdf", NULL, &out, &d), RBM_OK);
	CHECK(strncmp(out.data, "before|%PDF-", 12) == 0);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

static void unknown_format_refused(void)
{
	const char *tmp = fresh_tmpdir("unknown");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	const char *bad[] = {"odt", "PDF", "all", "", "html ", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_buf out;
		rbm_buf_init(&out, 0);
		rbm_buf_adds(&out, "kept");
		CHECK_INT(rbm_publish_render(doc, bad[i], NULL, &out, &d), RBM_EINVAL);
		CHECK_STR(rbm_buf_str(&out), "kept");
		CHECK_INT(rbm_diag_count(&d), 1);
		char want[128];
		snprintf(want, sizeof want, "unknown report format '%s' (expected pdf, html, docx, xlsx or md)",
			 bad[i] ? bad[i] : "");
		CHECK_STR(d.entries[0].reason, want);
		CHECK(!rbm_publish_format_known(bad[i]));
		CHECK(rbm_publish_format_mime(bad[i]) == NULL);
		char path[512];
		snprintf(path, sizeof path, "%s/never", test_tmpdir());
		CHECK_INT(rbm_publish_write(doc, bad[i], path, NULL, &d), RBM_EINVAL);
		CHECK(access(path, F_OK) != 0);
		rbm_buf_free(&out);
		rbm_diag_free(&d);
	}
	CHECK_INT(entries(tmp), 0);
	rbm_doc_free(doc);
}

static void formats_and_mime_types(void)
{
	size_t n = 0;
	for (const char *const *f = rbm_publish_formats; *f; f++, n++)
		CHECK(rbm_publish_format_known(*f));
	CHECK_INT(n, 5);
	CHECK_STR(rbm_publish_formats[0], "pdf");
	CHECK_STR(rbm_publish_format_mime("pdf"), "application/pdf");
	CHECK_STR(rbm_publish_format_mime("html"), "text/html; charset=utf-8");
	CHECK_STR(rbm_publish_format_mime("md"), "text/markdown; charset=utf-8");
	CHECK_STR(rbm_publish_format_mime("docx"),
		  "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	CHECK_STR(rbm_publish_format_mime("xlsx"),
		  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

/* Past the buffer's cap: RBM_ETOOBIG, the buffer as it was, and the temporary file gone. */
static void cap_refused_and_cleaned_up(void)
{
	const char *tmp = fresh_tmpdir("cap");
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	const char *fmts[] = {"pdf", "docx", "xlsx", "html", "md"};
	for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_buf out;
		rbm_buf_init(&out, 200);
		rbm_buf_adds(&out, "kept");
		CHECK_INT(rbm_publish_render(doc, fmts[i], NULL, &out, &d), RBM_ETOOBIG);
		CHECK_STR(rbm_buf_str(&out), "kept");
		CHECK_INT(out.len, 4);
		CHECK_HAS(d.entries[0].reason, "larger than the limit of 200 bytes");
		CHECK_INT(entries(tmp), 0);
		rbm_buf_free(&out);
		rbm_diag_free(&d);
	}
	rbm_doc_free(doc);
}

/* A $TMPDIR that cannot be used: RBM_EIO naming it. */
static void unusable_tmpdir(void)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/does-not-exist", test_tmpdir());
	setenv("TMPDIR", dir, 1);
	struct rbm_doc *doc = sample(RBM_LANG_EN, "Highlights");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	CHECK_INT(render(doc, "pdf", NULL, &out, &d), RBM_EIO);
	CHECK_INT(out.len, 0);
	CHECK_STR(d.entries[0].file, dir);
	CHECK_HAS(d.entries[0].reason, "cannot create a temporary folder to render the pdf");
	/* HTML needs no temporary file. */
	CHECK_INT(rbm_publish_render(doc, "html", NULL, &out, &d), RBM_OK);
	rbm_buf_free(&out);
	rbm_doc_free(doc);
	rbm_diag_free(&d);
}

TEST_MAIN(T(html_page), T(html_arabic_rtl), T(html_alternates_as_urls), T(markdown), T(pdf), T(docx),
	  T(xlsx), T(appends), T(unknown_format_refused), T(formats_and_mime_types),
	  T(cap_refused_and_cleaned_up), T(unusable_tmpdir))
