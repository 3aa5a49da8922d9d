/*
 * render.h - a report rendered by format name: into memory (what the web
 * server serves) or into a file (what 'rbm report' writes).
 *
 * The five formats are named as their file extensions: "pdf", "html",
 * "docx", "xlsx", "md". HTML and Markdown are built in memory; PDF, DOCX
 * and XLSX are written by their libraries (cairo, libzip, libxlsxwriter)
 * to a file, so rbm_publish_render() has them write into a private
 * temporary folder, reads the file back and removes the folder, on every
 * path.
 *
 * Ownership: the doc and the alternates are borrowed for the call; the
 * bytes go into the caller's struct rbm_buf. No call keeps state between
 * calls, so threads may render at the same time, each into its own buffer.
 */
#ifndef RBM_PUBLISH_RENDER_H
#define RBM_PUBLISH_RENDER_H

#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/rbm.h"
#include "doc.h"

/* The format names in the order 'rbm report --format all' writes them, NULL-terminated. */
extern const char *const rbm_publish_formats[];

/* True when format is one of the five names (exactly, lower case). */
bool rbm_publish_format_known(const char *format);

/*
 * The media type to serve format with, e.g. "application/pdf",
 * "text/html; charset=utf-8"; NULL when the format is unknown. Static.
 */
const char *rbm_publish_format_mime(const char *format);

/*
 * Renders doc in format and appends the bytes to out (which the caller has
 * set up with rbm_buf_init(), and frees). On failure out is as it was.
 *
 * alternates (NULL or NULL-terminated) are the language switcher's links,
 * used by "html" only: each "TAG=HREF", TAG one of the six language tags
 * ("fr=annual.fr.html" for files side by side, or URLs for the web:
 * "fr=/reports/2021/annual?lang=fr"). HREF is written escaped as an
 * attribute value, so '&' in a query is fine; entries that are not
 * "TAG=HREF" with a known tag are skipped; the doc's own language is
 * marked aria-current="page".
 *
 * HTML is the full standalone page, served as it is: <!DOCTYPE html>,
 * <html lang=".." dir="ltr|rtl">, the head with <title>, the switcher, the
 * UN document header, the report in <main>, the notes in <footer>. It has
 * no scripts and requests nothing outside the page but its stylesheet,
 * linked relatively as href="rbm.css": serve rbm_publish_html_css() under
 * that name beside the page (a page at /reports/2021/annual?lang=fr asks
 * for /reports/2021/rbm.css).
 *
 * RBM_EINVAL: unknown format, with "unknown report format 'X' (expected
 * pdf, html, docx, xlsx or md)" in d. RBM_ETOOBIG: the bytes would pass
 * out's cap. RBM_EIO: the temporary folder or file could not be made,
 * written or read (d names it; $TMPDIR, else /tmp, is where it goes). A
 * renderer's own problems (PDF fonts missing) come with its rc.
 */
enum rbm_rc rbm_publish_render(const struct rbm_doc *doc, const char *format,
			       const char *const *alternates, struct rbm_buf *out,
			       struct rbm_diag *d);

/*
 * Writes doc in format to the file at path (the renderers of doc.h, by
 * name); for "html" also rbm.css beside it. RBM_EINVAL for an unknown
 * format, as above; RBM_EIO with the path named when it cannot write.
 */
enum rbm_rc rbm_publish_write(const struct rbm_doc *doc, const char *format, const char *path,
			      const char *const *alternates, struct rbm_diag *d);

/* The stylesheet the HTML pages link as "rbm.css" (serve as "text/css; charset=utf-8"); static. */
const char *rbm_publish_html_css(size_t *len);

#endif
