/*
 * render.c - the renderers by format name: into memory for the web server,
 * into files for 'rbm report'. PDF, DOCX and XLSX come from libraries that
 * write files, so the memory path runs them in a private temporary folder
 * (mkdtemp, mode 0700) and reads the file back; the folder goes on every
 * path, whatever the renderer left in it (XLSX's ".part", libzip's
 * temporary file).
 */
#include "render.h"

#include "../core/alloc.h"
#include "publish_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const rbm_publish_formats[] = {"pdf", "html", "docx", "xlsx", "md", NULL};

struct format {
	const char *name;
	const char *mime;
	/* The file writer; NULL for the formats built in memory. */
	enum rbm_rc (*write)(const struct rbm_doc *doc, const char *path, struct rbm_diag *d);
};

static const struct format formats[] = {
	{"pdf", "application/pdf", rbm_publish_pdf},
	{"html", "text/html; charset=utf-8", NULL},
	{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", rbm_publish_docx},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", rbm_publish_xlsx},
	{"md", "text/markdown; charset=utf-8", NULL},
};

static const struct format *find(const char *name)
{
	for (size_t i = 0; name && i < sizeof formats / sizeof *formats; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

static enum rbm_rc unknown(const char *format, struct rbm_diag *d)
{
	rbm_diag_add(d, NULL, NULL, "unknown report format '%s' (expected pdf, html, docx, xlsx or md)",
		     format ? format : "");
	return RBM_EINVAL;
}

bool rbm_publish_format_known(const char *format)
{
	return find(format) != NULL;
}

const char *rbm_publish_format_mime(const char *format)
{
	const struct format *f = find(format);
	return f ? f->mime : NULL;
}

const char *rbm_publish_html_css(size_t *len)
{
	return rbm_publish__css(len);
}

enum rbm_rc rbm_publish__write_file(const char *path, const char *data, size_t len,
				    struct rbm_diag *d)
{
	FILE *f = fopen(path, "wb");
	enum rbm_rc rc = RBM_OK;
	if (f == NULL || (len && fwrite(data, 1, len, f) != len)) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (f && fclose(f) != 0 && rc == RBM_OK) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
	return rc;
}

enum rbm_rc rbm_publish_write(const struct rbm_doc *doc, const char *format, const char *path,
			      const char *const *alternates, struct rbm_diag *d)
{
	const struct format *f = find(format);
	if (f == NULL)
		return unknown(format, d);
	if (strcmp(f->name, "html") == 0)
		return rbm_publish_html(doc, path, alternates, d);
	if (strcmp(f->name, "md") == 0)
		return rbm_publish_md(doc, path, d);
	return f->write(doc, path, d);
}

/* Appends the file at path to out; on failure out keeps its length. */
static enum rbm_rc read_into(const char *path, struct rbm_buf *out, struct rbm_diag *d)
{
	size_t before = out->len;
	enum rbm_rc rc = RBM_OK;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rbm_diag_add(d, path, NULL, "cannot read the rendered file: %s", strerror(errno));
		return RBM_EIO;
	}
	char chunk[64 * 1024];
	size_t n;
	while (rc == RBM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (rbm_buf_add(out, chunk, n) != RBM_OK) {
			rbm_diag_add(d, path, NULL, "the rendered report is larger than the limit of %zu bytes",
				     out->max);
			rc = RBM_ETOOBIG;
		}
	if (rc == RBM_OK && ferror(f)) {
		rbm_diag_add(d, path, NULL, "cannot read the rendered file: %s", strerror(errno));
		rc = RBM_EIO;
	}
	fclose(f);
	if (rc != RBM_OK) {
		out->len = before;
		if (out->data)
			out->data[before] = '\0';
	}
	return rc;
}

/* Removes dir and every file in it (the renderers make no subfolders). */
static void remove_dir(const char *dir)
{
	DIR *dh = opendir(dir);
	if (dh) {
		struct dirent *e;
		while ((e = readdir(dh)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *p = rbm_xasprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(dh);
	}
	rmdir(dir);
}

/* PDF, DOCX, XLSX: the library writes a file in a private folder, which is read back and removed. */
static enum rbm_rc via_file(const struct rbm_doc *doc, const struct format *f, struct rbm_buf *out,
			    struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	const char *tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	char *dir = rbm_xasprintf("%s/rbm-render-XXXXXX", tmp), *path = NULL;
	if (mkdtemp(dir) == NULL) {
		rbm_diag_add(d, tmp, NULL, "cannot create a temporary folder to render the %s: %s", f->name,
			     strerror(errno));
		free(dir);
		return RBM_EIO;
	}
	path = rbm_xasprintf("%s/report.%s", dir, f->name);
	rc = f->write(doc, path, d);
	if (rc == RBM_OK)
		rc = read_into(path, out, d);
	remove_dir(dir);
	free(path);
	free(dir);
	return rc;
}

enum rbm_rc rbm_publish_render(const struct rbm_doc *doc, const char *format,
			       const char *const *alternates, struct rbm_buf *out,
			       struct rbm_diag *d)
{
	const struct format *f = find(format);
	if (f == NULL)
		return unknown(format, d);
	if (f->write)
		return via_file(doc, f, out, d);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	if (strcmp(f->name, "html") == 0)
		rbm_publish__html(doc, alternates, &b);
	else
		rbm_publish__md(doc, &b);
	enum rbm_rc rc = RBM_OK;
	if (b.len && rbm_buf_add(out, b.data, b.len) != RBM_OK) {
		rbm_diag_add(d, NULL, NULL, "the rendered report (%zu bytes) is larger than the limit of %zu bytes",
			     b.len, out->max);
		rc = RBM_ETOOBIG;
	}
	rbm_buf_free(&b);
	return rc;
}
