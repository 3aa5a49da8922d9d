/*
 * html.h - the one place where text becomes HTML: everything shown in a
 * page goes through these (after cgit's html.h).
 */
#ifndef RBM_PUBLISH_HTML_H
#define RBM_PUBLISH_HTML_H

#include "../core/buf.h"

/* Appends s with & < > " ' escaped, for element content and attribute values. */
void rbm_html_text(struct rbm_buf *b, const char *s);

#endif
