/*
 * static.c - GET /static/{path...}: the stylesheet, scripts and images in
 * DATA/web/. Only plain relative names are served: no "..", no absolute
 * paths, no NUL, no hidden files; and the resolved file must still lie
 * inside DATA/web/, so a symbolic link cannot lead out of it.
 */
#include "web_int.h"

#include "../core/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define STATIC_MAX ((size_t)16 << 20) /* bytes of one served file */

bool rbm_web__safe_relpath(const char *rel)
{
	if (rel == NULL || *rel == '\0' || *rel == '/')
		return false;
	const char *s = rel;
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		if (len == 0 || s[0] == '.')
			return false; /* "", ".", "..", hidden files */
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x20 || c == 0x7f || c == '\\')
				return false;
		}
		if (slash == NULL)
			return true;
		s = slash + 1;
	}
}

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "application/javascript; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
	{".html", "text/html; charset=utf-8"},
};

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

enum rbm_rc rbm_web__static(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const char *rel = rbm_web_param(req, "path");
	if (!rbm_web__safe_relpath(rel))
		return rbm_web_resp_error(req, resp, rel && *rel ? 400 : 404,
					  rel && *rel ? "This file name is not allowed." : NULL);

	const char *data = req->app && req->app->data_dir ? req->app->data_dir : rbm_fs_data_dir();
	char root[PATH_MAX], want[PATH_MAX * 2], real[PATH_MAX];
	int w = snprintf(want, sizeof want, "%s/web", data);
	if (w < 0 || (size_t)w >= sizeof want || realpath(want, root) == NULL)
		return rbm_web_resp_error(req, resp, 404, NULL);
	w = snprintf(want, sizeof want, "%s/%s", root, rel);
	if (w < 0 || (size_t)w >= sizeof want)
		return rbm_web_resp_error(req, resp, 414, NULL);
	if (realpath(want, real) == NULL)
		return rbm_web_resp_error(req, resp, 404, NULL);
	size_t root_len = strlen(root);
	struct stat st;
	if (strncmp(real, root, root_len) != 0 || real[root_len] != '/' || stat(real, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return rbm_web_resp_error(req, resp, 404, NULL);

	struct rbm_diag d;
	rbm_diag_init(&d);
	char *content = NULL;
	size_t len = 0;
	enum rbm_rc rc = rbm_fs_read(real, STATIC_MAX, &content, &len, &d);
	rbm_diag_free(&d);
	if (rc == RBM_OK) {
		rbm_buf_reset(&resp->body);
		rc = rbm_buf_add(&resp->body, content, len);
	}
	free(content);
	if (rc == RBM_ENOENT)
		return rbm_web_resp_error(req, resp, 404, NULL);
	if (rc != RBM_OK)
		return rc;
	resp->status = 200;
	resp->content_type = type_of(real);
	/* Names are not fingerprinted yet: cache briefly, then revalidate by ETag. */
	rbm_web_resp_header(resp, "Cache-Control", "public, max-age=300");
	return RBM_OK;
}
