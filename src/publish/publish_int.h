/*
 * publish_int.h - private to the publish module's files.
 *
 * The text renderers (HTML, Markdown) build a whole document in a struct
 * rbm_buf; their file writers (rbm_publish_html(), rbm_publish_md()) and
 * rbm_publish_render() share that one implementation.
 */
#ifndef RBM_PUBLISH_PUBLISH_INT_H
#define RBM_PUBLISH_PUBLISH_INT_H

#include "../core/buf.h"
#include "doc.h"

/* Appends doc as one standalone HTML page to b (see render.h for the page's shape). */
void rbm_publish__html(const struct rbm_doc *doc, const char *const *alternates, struct rbm_buf *b);
/* Appends doc as Markdown to b. */
void rbm_publish__md(const struct rbm_doc *doc, struct rbm_buf *b);
/* The HTML pages' shared stylesheet (rbm.css), NUL-terminated; its length in *len. */
const char *rbm_publish__css(size_t *len);

/*
 * Writes len bytes of data to path (created or truncated). RBM_EIO with
 * "PATH: cannot write: reason" in d when it cannot.
 */
enum rbm_rc rbm_publish__write_file(const char *path, const char *data, size_t len,
				    struct rbm_diag *d);

#endif
