/*
 * html.c - HTML escaping.
 */
#include "html.h"

void rbm_html_text(struct rbm_buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '&': rbm_buf_adds(b, "&amp;"); break;
		case '<': rbm_buf_adds(b, "&lt;"); break;
		case '>': rbm_buf_adds(b, "&gt;"); break;
		case '"': rbm_buf_adds(b, "&quot;"); break;
		case '\'': rbm_buf_adds(b, "&#39;"); break;
		default: rbm_buf_addc(b, *p); break;
		}
	}
}
