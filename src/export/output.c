/*
 * output.c - tables into memory or files by format name: numbers as text
 * in the C locale, rbm_export_render() for the web layer, and files that
 * appear whole or not at all (a temporary beside the target, renamed).
 */
#include "export_int.h"

#include "../core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const rbm_export_formats[] = {"csv", "json", "xlsx", NULL};

const char *rbm_export_media_type(const char *format)
{
	if (format == NULL)
		return NULL;
	if (strcmp(format, "csv") == 0)
		return "text/csv; charset=utf-8";
	if (strcmp(format, "json") == 0)
		return "application/json";
	if (strcmp(format, "xlsx") == 0)
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return NULL;
}

void rbm_export__locale_enter(struct rbm_export__locale *l)
{
	/* The thread's locale with C numbers; the other categories stay as they were. */
	locale_t base = duplocale(uselocale((locale_t)0));
	l->c = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
	if (l->c == (locale_t)0 && base)
		freelocale(base);
	l->old = l->c ? uselocale(l->c) : (locale_t)0;
}

void rbm_export__locale_leave(struct rbm_export__locale *l)
{
	if (l->c) {
		uselocale(l->old);
		freelocale(l->c);
	}
	l->c = l->old = (locale_t)0;
}

void rbm_export__number(double x, char out[RBM_EXPORT__NUMBER_MAX])
{
	if (!isfinite(x)) { /* never stored (values are checked finite); "" rather than "nan" */
		out[0] = '\0';
		return;
	}
	if (x == 0) {
		snprintf(out, RBM_EXPORT__NUMBER_MAX, "0"); /* and never "-0" */
		return;
	}
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(out, RBM_EXPORT__NUMBER_MAX, "%.0f", x);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, RBM_EXPORT__NUMBER_MAX, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			return;
	}
}

static enum rbm_rc too_big(const struct rbm_export_table *t, const char *format, const struct rbm_buf *out,
			   struct rbm_diag *d)
{
	rbm_diag_add(d, NULL, NULL, "the %s export of the %s level is larger than the limit of %zu bytes", format,
		     rbm_export_level_name(t->level), out->max ? out->max : RBM_BUF_DEFAULT_MAX);
	return RBM_ETOOBIG;
}

static bool known(const char *format)
{
	for (size_t i = 0; rbm_export_formats[i]; i++)
		if (format && strcmp(format, rbm_export_formats[i]) == 0)
			return true;
	return false;
}

static enum rbm_rc unknown(const char *format, struct rbm_diag *d)
{
	rbm_diag_add(d, NULL, NULL, "unknown export format '%s' (expected csv, json or xlsx)",
		     format ? format : "");
	return RBM_EINVAL;
}

/* Reads the file at path onto the end of out. */
static enum rbm_rc read_onto(const char *path, struct rbm_buf *out, struct rbm_diag *d)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rbm_diag_add(d, path, NULL, "cannot read: %s", strerror(errno));
		return RBM_EIO;
	}
	size_t before = out->len;
	enum rbm_rc rc = RBM_OK;
	char chunk[65536];
	size_t n;
	while (rc == RBM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (rbm_buf_add(out, chunk, n) != RBM_OK) {
			rbm_diag_add(d, NULL, NULL, "the workbook is larger than the limit of %zu bytes",
				     out->max ? out->max : RBM_BUF_DEFAULT_MAX);
			rc = RBM_ETOOBIG;
		}
	if (rc == RBM_OK && ferror(f)) {
		rbm_diag_add(d, path, NULL, "cannot read: %s", strerror(errno));
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

/* The workbook in a private temporary folder, read back into out, the folder removed. */
static enum rbm_rc xlsx_into(const struct rbm_export_table *const *tables, size_t n, struct rbm_buf *out,
			     struct rbm_diag *d)
{
	const char *tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	char *dir = rbm_xasprintf("%s/rbm-export-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		rbm_diag_add(d, tmp, NULL, "cannot create a temporary folder for the workbook: %s", strerror(errno));
		free(dir);
		return RBM_EIO;
	}
	char *path = rbm_xasprintf("%s/export.xlsx", dir);
	enum rbm_rc rc = rbm_export__xlsx(tables, n, path, d);
	if (rc == RBM_OK)
		rc = read_onto(path, out, d);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	return rc;
}

enum rbm_rc rbm_export_render(const struct rbm_export_table *t, const char *format,
			      struct rbm_buf *out, struct rbm_diag *d)
{
	if (!known(format))
		return unknown(format, d);
	struct rbm_export__locale loc;
	rbm_export__locale_enter(&loc);
	enum rbm_rc rc;
	if (strcmp(format, "xlsx") == 0) {
		rc = xlsx_into(&t, 1, out, d);
	} else {
		struct rbm_buf b;
		rbm_buf_init(&b, out->max);
		rc = strcmp(format, "csv") == 0 ? rbm_export__csv(t, &b) : rbm_export__json(t, &b);
		if (rc == RBM_OK && b.len && rbm_buf_add(out, b.data, b.len) != RBM_OK)
			rc = RBM_ETOOBIG;
		if (rc == RBM_ETOOBIG)
			too_big(t, format, out, d);
		rbm_buf_free(&b);
	}
	rbm_export__locale_leave(&loc);
	return rc;
}

char *rbm_export__part_name(const char *path)
{
	return rbm_xasprintf("%s.part-%ld", path, (long)getpid());
}

enum rbm_rc rbm_export__write_file(const char *path, const void *data, size_t len,
				   struct rbm_diag *d)
{
	char *part = rbm_export__part_name(path);
	enum rbm_rc rc = RBM_OK;
	int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		free(part);
		return RBM_EIO;
	}
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rbm_diag_add(d, path, NULL, "cannot write: %s", w < 0 ? strerror(errno) : "no progress");
			rc = RBM_EIO;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (rc == RBM_OK && fsync(fd) != 0 && errno != EINVAL) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (close(fd) != 0 && rc == RBM_OK) {
		rbm_diag_add(d, path, NULL, "cannot write: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (rc == RBM_OK && rename(part, path) != 0) {
		rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
	}
	if (rc != RBM_OK)
		unlink(part);
	free(part);
	return rc;
}

enum rbm_rc rbm_export_write(const struct rbm_export_table *const *tables, size_t n,
			     const char *format, const char *path, struct rbm_diag *d)
{
	if (!known(format))
		return unknown(format, d);
	if (n == 0 || (n > 1 && strcmp(format, "xlsx") != 0)) {
		rbm_diag_add(d, path, NULL, "a %s export holds exactly one level", format);
		return RBM_EINVAL;
	}
	struct rbm_export__locale loc;
	rbm_export__locale_enter(&loc);
	enum rbm_rc rc;
	if (strcmp(format, "xlsx") == 0) {
		/* libxlsxwriter writes the file only when closing the workbook: try creating it first, for errno. */
		char *part = rbm_export__part_name(path);
		int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0) {
			rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
			rc = RBM_EIO;
		} else {
			close(fd);
			rc = rbm_export__xlsx(tables, n, part, d);
			if (rc == RBM_OK && rename(part, path) != 0) {
				rbm_diag_add(d, path, NULL, "cannot create: %s", strerror(errno));
				rc = RBM_EIO;
			}
			if (rc != RBM_OK)
				unlink(part);
		}
		free(part);
	} else {
		struct rbm_buf b;
		rbm_buf_init(&b, 0);
		rc = strcmp(format, "csv") == 0 ? rbm_export__csv(tables[0], &b) : rbm_export__json(tables[0], &b);
		if (rc == RBM_ETOOBIG)
			too_big(tables[0], format, &b, d);
		else
			rc = rbm_export__write_file(path, b.data ? b.data : "", b.len, d);
		rbm_buf_free(&b);
	}
	rbm_export__locale_leave(&loc);
	return rc;
}
