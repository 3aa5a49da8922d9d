/*
 * render_html.c - a report as one page of the online version: semantic
 * HTML, lang and dir set, inline SVG charts, a language switcher, a shared
 * stylesheet (rbm.css, written beside the page), no external requests.
 * The page is built in a buffer (rbm_publish__html), which
 * rbm_publish_html() writes to a file and rbm_publish_render() hands over.
 */
#include "doc.h"

#include "../core/buf.h"
#include "html.h"
#include "publish_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char css[] =
	"/* rbm.css - the online reports' shared stylesheet. */\n"
	":root{--ink:#1b1b1b;--muted:#5a5a5a;--rule:#b8b8b8;--achieved:#2e7d32;--ontrack:#f9a825;"
	"--behind:#c62828;--none:#9e9e9e}\n"
	"body{font-family:'Noto Serif','Noto Naskh Arabic','Noto Serif CJK SC',serif;color:var(--ink);"
	"max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\n"
	"header.un{display:grid;grid-template-columns:1fr auto;gap:.25rem 2rem;border-bottom:2px solid var(--ink);"
	"padding-bottom:.5rem;font-family:'Noto Sans',sans-serif}\n"
	"header.un .body{font-weight:bold}header.un .symbol{text-align:end}\n"
	".session{font-family:'Noto Sans',sans-serif;margin:1rem 0}.agenda-title{font-weight:bold}\n"
	"h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem}\n"
	".kind{font-style:italic}\n"
	"p.num{display:grid;grid-template-columns:2.5rem 1fr}p.num>.n{color:var(--muted)}\n"
	"p.item{margin-inline-start:2.5rem;display:grid;grid-template-columns:2.5rem 1fr}\n"
	"table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}\n"
	"caption{text-align:start;font-weight:bold;margin-bottom:.25rem}\n"
	"th,td{border-bottom:1px solid var(--rule);padding:.3rem .4rem;text-align:start;vertical-align:top}\n"
	"td.num,th.num{text-align:end;white-space:nowrap}\n"
	"figure{margin:1rem 0}figcaption{font-size:.85rem;color:var(--muted)}\n"
	"nav.langs{font-family:'Noto Sans',sans-serif;font-size:.9rem;margin-bottom:1rem}nav.langs a{margin-inline-end:.75rem}\n"
	"nav.langs [aria-current]{font-weight:bold;text-decoration:none}\n"
	".fallback{color:var(--muted);font-size:.85em}\n"
	"footer.notes{border-top:1px solid var(--rule);margin-top:2rem;font-size:.85rem}\n"
	"@media print{nav.langs{display:none}body{max-width:none;margin:0}h2{break-after:avoid}"
	"table,figure{break-inside:avoid}}\n";

static void runs(struct rbm_buf *b, const struct rbm_block *blk)
{
	for (size_t i = 0; i < blk->runs_len; i++) {
		const struct rbm_run *r = &blk->runs[i];
		if (r->bold)
			rbm_buf_adds(b, "<strong>");
		if (r->italic)
			rbm_buf_adds(b, "<em class=\"fallback\">");
		rbm_html_text(b, r->text);
		if (r->italic)
			rbm_buf_adds(b, "</em>");
		if (r->bold)
			rbm_buf_adds(b, "</strong>");
		if (r->footnote)
			rbm_buf_addf(b, "<sup><a href=\"#fn%d\" id=\"ref%d\">%d</a></sup>", r->footnote, r->footnote,
				     r->footnote);
	}
}

static const char *status_colour(const char *s)
{
	if (s == NULL)
		return "var(--none)";
	if (strcmp(s, "achieved") == 0)
		return "var(--achieved)";
	if (strcmp(s, "on track") == 0)
		return "var(--ontrack)";
	if (strcmp(s, "behind") == 0)
		return "var(--behind)";
	return "var(--none)";
}

/* An inline SVG bar chart; bars grow from the start edge (right in Arabic). */
static void chart(struct rbm_buf *b, const struct rbm_chart *c, bool rtl)
{
	double width = 600, label_w = 150, bar_h = 18, gap = 8, plot = width - label_w - 60;
	double height = (double)c->bars * (bar_h + gap) + 30;
	double max = c->max > 0 ? c->max : 100;
	/*
	 * The drawing is mirrored by hand in Arabic, so it runs left to right
	 * (direction="ltr"); an Arabic text then runs leftwards from its anchor, its start.
	 */
	const char *anchor = rtl ? "start\" direction=\"rtl" : "start";
	rbm_buf_adds(b, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" direction=\"ltr\" viewBox=\"0 0 ");
	rbm_buf_addf(b, "%.0f %.0f\" width=\"100%%\" aria-label=\"", width, height);
	rbm_html_text(b, c->title);
	rbm_buf_adds(b, "\">\n");
	double x100 = 100.0 / max * plot;
	double origin = rtl ? width - label_w : label_w;
	double line_x = rtl ? origin - x100 : origin + x100;
	rbm_buf_addf(b, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n",
		     line_x, line_x, height - 20);
	for (size_t k = 0; k < c->bars; k++) {
		double y = (double)k * (bar_h + gap) + 4;
		double v = c->values[k];
		double w = isnan(v) ? 0 : (v > max ? max : v < 0 ? 0 : v) / max * plot;
		double x = rtl ? origin - w : origin;
		rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"%s\">", rtl ? width - 4 : 4,
			     y + 13, anchor);
		rbm_html_text(b, c->labels[k]);
		rbm_buf_adds(b, "</text>\n");
		if (w > 0)
			rbm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/>\n", x, y,
				     w, bar_h, status_colour(c->statuses[k]));
		double tx = rtl ? x - 4 : x + w + 4;
		rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">", tx, y + 13,
			     anchor);
		if (isnan(v))
			rbm_html_text(b, c->statuses[k]);
		else
			rbm_buf_addf(b, "%.0f%%", v);
		rbm_buf_adds(b, "</text>\n");
	}
	rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">100%%</text>\n", line_x,
		     height - 6);
	rbm_buf_adds(b, "</svg>\n<figcaption>");
	rbm_html_text(b, c->title);
	if (c->caption) {
		rbm_buf_adds(b, " — ");
		rbm_html_text(b, c->caption);
	}
	rbm_buf_adds(b, "</figcaption>\n</figure>\n");
}

const char *rbm_publish__css(size_t *len)
{
	*len = sizeof css - 1;
	return css;
}

void rbm_publish__html(const struct rbm_doc *doc, const char *const *alternates, struct rbm_buf *b)
{
	const struct rbm_doc_meta *m = &doc->meta;
	rbm_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
		    rbm_lang_tag(m->lang), m->rtl ? "rtl" : "ltr");
	rbm_html_text(b, m->title);
	rbm_buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"rbm.css\"/>\n</head>\n<body>\n");
	if (alternates && alternates[0]) {
		/* "fr=annual.fr.html" pairs, in the six languages' order. */
		rbm_buf_adds(b, "<nav class=\"langs\" aria-label=\"languages\">");
		for (const char *const *a = alternates; *a; a++) {
			const char *eq = strchr(*a, '=');
			if (eq == NULL)
				continue;
			enum rbm_lang l;
			char tag[8];
			snprintf(tag, sizeof tag, "%.*s", (int)(eq - *a), *a);
			if (!rbm_lang_parse(tag, &l))
				continue;
			rbm_buf_adds(b, "<a href=\"");
			rbm_html_text(b, eq + 1);
			rbm_buf_addf(b, "\" hreflang=\"%s\" lang=\"%s\"%s>", tag, tag,
				    l == m->lang ? " aria-current=\"page\"" : "");
			rbm_html_text(b, rbm_lang_name(l));
			rbm_buf_adds(b, "</a>");
		}
		rbm_buf_adds(b, "</nav>\n");
	}
	rbm_buf_adds(b, "<header class=\"un\">\n<div class=\"body\">");
	rbm_html_text(b, m->body);
	rbm_buf_adds(b, "</div>\n<div class=\"symbol\">");
	rbm_html_text(b, m->symbol);
	if (m->date) {
		rbm_buf_adds(b, "<br/>");
		rbm_html_text(b, m->date);
	}
	rbm_buf_adds(b, "</div>\n</header>\n<div class=\"session\">\n");
	if (m->session) {
		rbm_html_text(b, m->session);
		rbm_buf_adds(b, "<br/>\n");
	}
	if (m->place_dates) {
		rbm_html_text(b, m->place_dates);
		rbm_buf_adds(b, "<br/>\n");
	}
	if (m->agenda) {
		rbm_html_text(b, m->agenda);
		rbm_buf_adds(b, "<br/>\n");
	}
	if (m->agenda_title) {
		rbm_buf_adds(b, "<span class=\"agenda-title\">");
		rbm_html_text(b, m->agenda_title);
		rbm_buf_adds(b, "</span>\n");
	}
	rbm_buf_adds(b, "</div>\n<main>\n<h1>");
	rbm_html_text(b, m->title);
	rbm_buf_adds(b, "</h1>\n");
	if (m->kind) {
		rbm_buf_adds(b, "<p class=\"kind\">");
		rbm_html_text(b, m->kind);
		rbm_buf_adds(b, "</p>\n");
	}
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *blk = &doc->blocks[i];
		switch (blk->kind) {
		case RBM_BLOCK_HEADING: {
			int h = blk->level + 1 > 6 ? 6 : blk->level + 1;
			rbm_buf_addf(b, "<h%d", h);
			if (blk->anchor) {
				rbm_buf_adds(b, " id=\"");
				rbm_html_text(b, blk->anchor);
				rbm_buf_adds(b, "\"");
			}
			rbm_buf_adds(b, ">");
			for (size_t k = 0; k < blk->runs_len; k++)
				rbm_html_text(b, blk->runs[k].text);
			rbm_buf_addf(b, "</h%d>\n", h);
			break;
		}
		case RBM_BLOCK_PARAGRAPH:
			if (blk->number)
				rbm_buf_addf(b, "<p class=\"num\" id=\"p%d\"><span class=\"n\">%d.</span><span>", blk->number,
					    blk->number);
			else
				rbm_buf_adds(b, "<p><span>");
			runs(b, blk);
			rbm_buf_adds(b, "</span></p>\n");
			break;
		case RBM_BLOCK_ITEM:
			rbm_buf_addf(b, "<p class=\"item\"><span class=\"n\">(%c)</span><span>", blk->letter);
			runs(b, blk);
			rbm_buf_adds(b, "</span></p>\n");
			break;
		case RBM_BLOCK_TABLE: {
			const struct rbm_table *t = blk->table;
			rbm_buf_adds(b, "<table>\n");
			if (t->caption) {
				rbm_buf_adds(b, "<caption>");
				rbm_html_text(b, t->caption);
				rbm_buf_adds(b, "</caption>\n");
			}
			for (size_t r = 0; r < t->rows; r++) {
				rbm_buf_adds(b, r == 0 ? "<thead><tr>" : "<tr>");
				for (size_t c = 0; c < t->cols; c++) {
					bool num = t->right && t->right[c];
					rbm_buf_addf(b, "<%s%s>", r == 0 ? "th scope=\"col\"" : "td", num ? " class=\"num\"" : "");
					rbm_html_text(b, t->cells[r * t->cols + c]);
					rbm_buf_addf(b, "</%s>", r == 0 ? "th" : "td");
				}
				rbm_buf_adds(b, r == 0 ? "</tr></thead>\n<tbody>\n" : "</tr>\n");
			}
			rbm_buf_adds(b, "</tbody>\n</table>\n");
			break;
		}
		case RBM_BLOCK_CHART:
			chart(b, blk->chart, m->rtl);
			break;
		}
	}
	rbm_buf_adds(b, "</main>\n");
	if (m->agenda_note || m->unedited || doc->footnotes_len) {
		rbm_buf_adds(b, "<footer class=\"notes\">\n");
		if (m->agenda_note) {
			rbm_buf_adds(b, "<p>");
			rbm_html_text(b, m->agenda_note);
			rbm_buf_adds(b, "</p>\n");
		}
		if (m->unedited) {
			rbm_buf_adds(b, "<p>");
			rbm_html_text(b, m->unedited);
			rbm_buf_adds(b, "</p>\n");
		}
		if (doc->footnotes_len) {
			rbm_buf_adds(b, "<ol>\n");
			for (size_t i = 0; i < doc->footnotes_len; i++) {
				rbm_buf_addf(b, "<li id=\"fn%zu\">", i + 1);
				rbm_html_text(b, doc->footnotes[i]);
				rbm_buf_addf(b, " <a href=\"#ref%zu\">↩</a></li>\n", i + 1);
			}
			rbm_buf_adds(b, "</ol>\n");
		}
		rbm_buf_adds(b, "</footer>\n");
	}
	rbm_buf_adds(b, "</body>\n</html>\n");
}

enum rbm_rc rbm_publish_html(const struct rbm_doc *doc, const char *path,
			     const char *const *alternates, struct rbm_diag *d)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rbm_publish__html(doc, alternates, &b);
	enum rbm_rc rc = rbm_publish__write_file(path, b.data, b.len, d);
	rbm_buf_free(&b);
	if (rc != RBM_OK)
		return rc;
	/* The shared stylesheet beside the page. */
	char css_path[4096];
	const char *slash = strrchr(path, '/');
	snprintf(css_path, sizeof css_path, "%.*s%srbm.css", slash ? (int)(slash - path) : 0, path,
		 slash ? "/" : "");
	return rbm_publish__write_file(css_path, css, sizeof css - 1, d);
}
