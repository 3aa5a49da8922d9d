/*
 * svg.c - the dashboard's charts, as inline SVG that needs no script:
 * stacked bars of indicator states (per domain or outcome), plain bars
 * (a value per region, a response rate per region) and targets against
 * actuals over the years. Bars grow from the start edge: from the right in
 * Arabic. Every chart has a text alternative (aria-label and a caption),
 * and the page shows the same figures in a table beside it.
 */
#include "web_int.h"

#include "../publish/locale.h"

#include <math.h>
#include <stdio.h>

#define WIDTH 640.0
#define LABEL_W 220.0
#define BAR_H 18.0
#define GAP 8.0

/*
 * Coordinates are mirrored by hand for Arabic, so the drawing itself runs
 * left to right (direction="ltr" on the root); a text in Arabic then runs
 * right to left from its anchor, which is its start.
 */
static const char *anchor(bool rtl)
{
	return rtl ? "start\" direction=\"rtl" : "start";
}

static const char *const state_colour[] = {"#2e7d32", "#b26a00", "#c62828", "#9e9e9e", "#cfd8dc"};
static const char *const state_name[] = {"achieved", "on track", "behind", "no data", "no target"};

static void open_svg(struct rbm_buf *b, double height, const char *title)
{
	rbm_buf_addf(b, "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
			"viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" direction=\"ltr\" aria-label=\"",
		     WIDTH, height);
	rbm_html_text(b, title);
	rbm_buf_adds(b, "\">\n");
}

static void close_svg(struct rbm_buf *b, const char *title)
{
	rbm_buf_adds(b, "</svg>\n<figcaption>");
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</figcaption>\n</figure>\n");
}

/* A row label at the start edge, cut to fit. */
static void label(struct rbm_buf *b, bool rtl, double y, const char *text)
{
	rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"%s\"><title>", rtl ? WIDTH - 4 : 4.0,
		     y + 13, anchor(rtl));
	rbm_html_text(b, text);
	rbm_buf_adds(b, "</title>");
	/* About 32 characters fit in LABEL_W at 12 px. */
	char cut[160];
	size_t n = 0, chars = 0;
	for (const char *p = text; *p && n + 4 < sizeof cut; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > 32)
			break;
		cut[n++] = *p;
	}
	cut[n] = '\0';
	rbm_html_text(b, cut);
	if (text[n])
		rbm_buf_adds(b, "…");
	rbm_buf_adds(b, "</text>\n");
}

static void rect(struct rbm_buf *b, bool rtl, double x, double y, double w, double h, const char *fill,
		 const char *tip)
{
	double rx = rtl ? WIDTH - x - w : x;
	rbm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">", rx, y, w, h, fill);
	if (tip) {
		rbm_buf_adds(b, "<title>");
		rbm_html_text(b, tip);
		rbm_buf_adds(b, "</title>");
	}
	rbm_buf_adds(b, "</rect>\n");
}

void rbm_web__svg_states(struct rbm_buf *b, enum rbm_lang lang, const char *title,
			 const char *const *labels, const size_t (*counts)[5], size_t n)
{
	bool rtl = lang == RBM_LANG_AR;
	double plot = WIDTH - LABEL_W - 50, height = (double)n * (BAR_H + GAP) + 40;
	open_svg(b, height, title);
	for (size_t i = 0; i < n; i++) {
		double y = (double)i * (BAR_H + GAP) + 4, x = LABEL_W;
		size_t total = 0;
		for (int k = 0; k < 5; k++)
			total += counts[i][k];
		label(b, rtl, y, labels[i]);
		for (int k = 0; k < 5 && total; k++) {
			if (counts[i][k] == 0)
				continue;
			double w = plot * (double)counts[i][k] / (double)total;
			char tip[128];
			snprintf(tip, sizeof tip, "%s: %zu", rbm_i18n_gettext(lang, state_name[k]), counts[i][k]);
			rect(b, rtl, x, y, w, BAR_H, state_colour[k], tip);
			x += w;
		}
	}
	/* The legend. */
	double x = LABEL_W, y = (double)n * (BAR_H + GAP) + 14;
	for (int k = 0; k < 5; k++) {
		rect(b, rtl, x, y, 10, 10, state_colour[k], NULL);
		rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">",
			     rtl ? WIDTH - x - 14 : x + 14, y + 9, anchor(rtl));
		rbm_html_text(b, rbm_i18n_gettext(lang, state_name[k]));
		rbm_buf_adds(b, "</text>\n");
		x += 84;
	}
	close_svg(b, title);
}

void rbm_web__svg_bars(struct rbm_buf *b, enum rbm_lang lang, const char *title,
		       const char *const *labels, const double *values, const char *const *texts,
		       size_t n, double max)
{
	bool rtl = lang == RBM_LANG_AR;
	double plot = WIDTH - LABEL_W - 90, height = (double)n * (BAR_H + GAP) + 12;
	if (!(max > 0))
		for (size_t i = 0; i < n; i++)
			max = values[i] > max ? values[i] : max;
	open_svg(b, height, title);
	for (size_t i = 0; i < n; i++) {
		double y = (double)i * (BAR_H + GAP) + 4;
		double v = isfinite(values[i]) && values[i] > 0 ? values[i] : 0;
		double w = max > 0 ? plot * (v > max ? max : v) / max : 0;
		label(b, rtl, y, labels[i]);
		if (w > 0)
			rect(b, rtl, LABEL_W, y, w, BAR_H, "#0b5cad", texts[i]);
		double tx = LABEL_W + w + 4;
		rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">", rtl ? WIDTH - tx : tx,
			     y + 13, anchor(rtl));
		rbm_html_text(b, texts[i]);
		rbm_buf_adds(b, "</text>\n");
	}
	close_svg(b, title);
}

void rbm_web__svg_years(struct rbm_buf *b, enum rbm_lang lang, const char *title, const int *years,
			const double *actual, const double *target, size_t n)
{
	bool rtl = lang == RBM_LANG_AR;
	double height = 220, base = 180, top = 20, max = 0;
	for (size_t i = 0; i < n; i++) {
		if (isfinite(actual[i]) && actual[i] > max)
			max = actual[i];
		if (isfinite(target[i]) && target[i] > max)
			max = target[i];
	}
	open_svg(b, height, title);
	double slot = (WIDTH - 40) / (double)(n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		double x = 20 + (double)i * slot + slot * 0.2, w = slot * 0.28;
		char tip[160], num[64];
		if (isfinite(target[i]) && max > 0) {
			double h = (base - top) * target[i] / max;
			rbm_fmt_number(lang, target[i], 2, num, sizeof num);
			snprintf(tip, sizeof tip, "%s %d: %s", rbm_i18n_gettext(lang, "target"), years[i], num);
			double rx = rtl ? WIDTH - x - w : x;
			rbm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
					"stroke=\"#5a5a5a\" stroke-dasharray=\"4 2\"><title>",
				     rx, base - h, w, h);
			rbm_html_text(b, tip);
			rbm_buf_adds(b, "</title></rect>\n");
		}
		if (isfinite(actual[i]) && max > 0) {
			double h = (base - top) * actual[i] / max;
			rbm_fmt_number(lang, actual[i], 2, num, sizeof num);
			snprintf(tip, sizeof tip, "%s %d: %s", rbm_i18n_gettext(lang, "actual"), years[i], num);
			rect(b, rtl, x + w + 4, base - h, w, h, "#0b5cad", tip);
			double tx = x + w + 4 + w / 2;
			rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">",
				     rtl ? WIDTH - tx : tx, base - h - 3);
			rbm_html_text(b, num);
			rbm_buf_adds(b, "</text>\n");
		}
		double cx = x + w + 2;
		rbm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%d</text>\n",
			     rtl ? WIDTH - cx : cx, base + 16, years[i]);
	}
	rbm_buf_addf(b, "<line x1=\"10\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n", base, WIDTH - 10, base);
	close_svg(b, title);
}
