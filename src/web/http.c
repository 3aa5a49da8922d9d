/*
 * http.c - reading a request: methods, percent-decoding, query parameters,
 * and content negotiation (language, gzip, entity tags). Pure functions of
 * their input, so the tests exercise them without a server.
 */
#include "web.h"

#include "../core/alloc.h"

#include <string.h>
#include <strings.h>

#define ZLIB_CONST /* next_in is const */
#include <zlib.h>

static const char *const method_names[] = {
	[RBM_WEB_GET] = "GET",         [RBM_WEB_HEAD] = "HEAD",     [RBM_WEB_POST] = "POST",
	[RBM_WEB_PUT] = "PUT",         [RBM_WEB_PATCH] = "PATCH",   [RBM_WEB_DELETE] = "DELETE",
	[RBM_WEB_OPTIONS] = "OPTIONS", [RBM_WEB_OTHER] = "OTHER",
};

const char *rbm_web_method_name(enum rbm_web_method m)
{
	return (unsigned)m <= RBM_WEB_OTHER ? method_names[m] : "OTHER";
}

enum rbm_web_method rbm_web_method_parse(const char *s)
{
	for (int m = RBM_WEB_GET; m < RBM_WEB_OTHER; m++)
		if (s && strcmp(s, method_names[m]) == 0)
			return (enum rbm_web_method)m;
	return RBM_WEB_OTHER;
}

void rbm_web_req_init(struct rbm_web_req *req, const struct rbm_web_app *app,
		      struct rbm_arena *arena, const char *method, const char *path)
{
	memset(req, 0, sizeof *req);
	req->app = app;
	req->arena = arena;
	req->method = rbm_web_method_parse(method);
	req->method_name = rbm_arena_strdup(arena, method ? method : "");
	req->path = rbm_arena_strdup(arena, path ? path : "");
	req->body = "";
	req->client = "-";
	req->bad = RBM_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum rbm_rc rbm_web_url_decode(struct rbm_arena *arena, const char *s, size_t len, bool plus,
			       char **out)
{
	char *d = rbm_arena_alloc(arena, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\0')
			return RBM_EINVAL;
		if (c == '%') {
			if (len - i < 3) /* fewer than two hex digits follow */
				return RBM_EINVAL;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return RBM_EINVAL;
			c = (char)(h * 16 + l);
			if (c == '\0')
				return RBM_EINVAL;
			i += 2;
		} else if (plus && c == '+') {
			c = ' ';
		}
		d[o++] = c;
	}
	d[o] = '\0';
	*out = d;
	return RBM_OK;
}

static enum rbm_rc mark_bad(struct rbm_web_req *req, enum rbm_rc rc, const char *why)
{
	if (req->bad == RBM_OK) {
		req->bad = rc;
		req->bad_why = why;
	}
	return rc;
}

enum rbm_rc rbm_web_req_add_query(struct rbm_web_req *req, const char *name, const char *value)
{
	if (req->query_len >= RBM_WEB_MAX_QUERY)
		return mark_bad(req, RBM_ETOOBIG, "too many query parameters");
	char *n, *v;
	if (name == NULL)
		name = "";
	if (value == NULL)
		value = "";
	if (rbm_web_url_decode(req->arena, name, strlen(name), true, &n) != RBM_OK ||
	    rbm_web_url_decode(req->arena, value, strlen(value), true, &v) != RBM_OK)
		return mark_bad(req, RBM_EINVAL, "a query parameter is not well percent-encoded");
	req->query[req->query_len++] = (struct rbm_web_kv){n, v};
	return RBM_OK;
}

enum rbm_rc rbm_web_req_set_query(struct rbm_web_req *req, const char *query)
{
	const char *p = query ? query : "";
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len > 0) {
			const char *eq = memchr(p, '=', len);
			size_t nlen = eq ? (size_t)(eq - p) : len;
			char *name = rbm_arena_alloc(req->arena, nlen + 1);
			memcpy(name, p, nlen);
			const char *value = "";
			if (eq) {
				size_t vlen = len - nlen - 1;
				char *v = rbm_arena_alloc(req->arena, vlen + 1);
				memcpy(v, eq + 1, vlen);
				value = v;
			}
			enum rbm_rc rc = rbm_web_req_add_query(req, name, value);
			if (rc != RBM_OK)
				return rc;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return RBM_OK;
}

static const char *find_kv(const struct rbm_web_kv *kv, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].name, name) == 0)
			return kv[i].value;
	return NULL;
}

const char *rbm_web_query(const struct rbm_web_req *req, const char *name)
{
	return find_kv(req->query, req->query_len, name);
}

const char *rbm_web_param(const struct rbm_web_req *req, const char *name)
{
	return find_kv(req->params, req->params_len, name);
}

const char *rbm_web_cookie(const struct rbm_web_req *req, const char *name)
{
	/* RFC 6265 5.4: "a=1; b=2"; the first cookie of the name wins. */
	size_t nlen = strlen(name);
	const char *p = req->cookie;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t vlen = len - nlen - 1;
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			char *out = rbm_arena_alloc(req->arena, vlen + 1);
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return out;
		}
		p = end;
	}
	return NULL;
}

/* Parses the urlencoded body once; on a malformed one keeps no field. */
static void parse_form(struct rbm_web_req *req)
{
	if (req->form_parsed)
		return;
	req->form_parsed = true;
	const char *ct = req->content_type;
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return;
	size_t n = 0, cap = 16;
	struct rbm_web_kv *kv = rbm_arena_alloc(req->arena, cap * sizeof *kv);
	const char *p = req->body, *end = req->body + req->body_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (len > 0) {
			if (n == RBM_WEB_MAX_FORM) {
				req->form_len = 0;
				req->form = NULL;
				mark_bad(req, RBM_ETOOBIG, "the form has too many fields");
				return;
			}
			if (n == cap) {
				struct rbm_web_kv *bigger = rbm_arena_alloc(req->arena, 2 * cap * sizeof *kv);
				memcpy(bigger, kv, cap * sizeof *kv);
				kv = bigger;
				cap *= 2;
			}
			const char *eq = memchr(p, '=', len);
			size_t nl = eq ? (size_t)(eq - p) : len;
			char *name, *value = "";
			if (rbm_web_url_decode(req->arena, p, nl, true, &name) != RBM_OK ||
			    (eq && rbm_web_url_decode(req->arena, eq + 1, len - nl - 1, true, &value) != RBM_OK)) {
				mark_bad(req, RBM_EINVAL, "the form body is not well percent-encoded");
				return;
			}
			kv[n++] = (struct rbm_web_kv){name, value};
		}
		p += len + 1;
	}
	req->form = kv;
	req->form_len = n;
}

const char *rbm_web_form(struct rbm_web_req *req, const char *name)
{
	parse_form(req);
	return req->bad == RBM_OK ? find_kv(req->form, req->form_len, name) : NULL;
}

size_t rbm_web_form_fields(struct rbm_web_req *req, const struct rbm_web_kv **out)
{
	parse_form(req);
	*out = req->bad == RBM_OK ? req->form : NULL;
	return req->bad == RBM_OK ? req->form_len : 0;
}

const char *rbm_web_form_bad(struct rbm_web_req *req)
{
	parse_form(req);
	return req->bad == RBM_OK ? NULL : req->bad_why;
}

bool rbm_web_is_api(const struct rbm_web_req *req)
{
	return strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0;
}

/* ---- lists in headers: "token;q=0.5, token2" ---- */

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Reads the next list element of *p: its token (trimmed) into tok/tok_len
 * and its q-value in thousandths (1000 when absent). Returns false at the end.
 */
static bool next_elem(const char **p, const char **tok, size_t *tok_len, int *q)
{
	const char *s = *p;
	while (*s == ',' || is_ows(*s))
		s++;
	if (*s == '\0')
		return false;
	const char *start = s;
	while (*s && *s != ',' && *s != ';' && !is_ows(*s))
		s++;
	*tok = start;
	*tok_len = (size_t)(s - start);
	*q = 1000;
	/* Parameters up to the next comma; only q matters. */
	while (*s && *s != ',') {
		if (*s == ';') {
			s++;
			while (is_ows(*s))
				s++;
			if ((s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
				s += 2;
				int v = 0, scale = 1000;
				if (*s >= '0' && *s <= '1') {
					v = (*s - '0') * 1000;
					s++;
					if (*s == '.') {
						s++;
						for (int k = 0; k < 3 && *s >= '0' && *s <= '9'; k++, s++) {
							scale /= 10;
							v += (*s - '0') * scale;
						}
					}
					*q = v > 1000 ? 1000 : v;
				} else {
					*q = 0; /* malformed: ignore the element */
				}
				continue;
			}
		}
		s++;
	}
	*p = s;
	return true;
}

enum rbm_lang rbm_web_lang(const struct rbm_web_req *req)
{
	enum rbm_lang lang;
	const char *q = rbm_web_query(req, "lang");
	if (q && rbm_lang_parse(q, &lang))
		return lang;
	const char *c = rbm_web_cookie(req, "rbm_lang");
	if (c && rbm_lang_parse(c, &lang))
		return lang;
	enum rbm_lang best = RBM_LANG_EN;
	int best_q = 0;
	const char *p = req->accept_language ? req->accept_language : "";
	const char *tok;
	size_t len;
	int qv;
	while (next_elem(&p, &tok, &len, &qv)) {
		/* The primary subtag: "zh" of "zh-Hans-CN". */
		size_t primary = 0;
		while (primary < len && tok[primary] != '-' && tok[primary] != '_')
			primary++;
		if (primary != 2 || qv <= best_q)
			continue;
		char tag[3] = {(char)(tok[0] | 0x20), (char)(tok[1] | 0x20), '\0'};
		if (rbm_lang_parse(tag, &lang)) {
			best = lang;
			best_q = qv;
		}
	}
	return best;
}

bool rbm_web_accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding ? accept_encoding : "";
	const char *tok;
	size_t len;
	int q, gzip_q = -1, star_q = -1;
	while (next_elem(&p, &tok, &len, &q)) {
		if ((len == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (len == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			gzip_q = q;
		else if (len == 1 && tok[0] == '*')
			star_q = q;
	}
	if (gzip_q >= 0)
		return gzip_q > 0;
	return star_q > 0;
}

bool rbm_web_compressible(const char *content_type)
{
	if (content_type == NULL)
		return false;
	static const char *const types[] = {
		"text/", "application/json", "application/problem+json", "application/javascript",
		"image/svg+xml", "application/xml", "application/xhtml+xml",
	};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strncasecmp(content_type, types[i], strlen(types[i])) == 0)
			return true;
	return false;
}

enum rbm_rc rbm_web_gzip(const void *in, size_t len, struct rbm_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	/* 15 + 16: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return RBM_ENOMEM;
	enum rbm_rc rc = RBM_OK;
	unsigned char chunk[16384];
	z.next_in = in;
	/* Feed at most UINT_MAX at a time (avail_in is a uInt). */
	size_t left = len;
	int flush;
	do {
		uInt take = left > 0x40000000u ? 0x40000000u : (uInt)left;
		z.avail_in = take;
		left -= take;
		flush = left ? Z_NO_FLUSH : Z_FINISH;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof chunk;
			int zr = deflate(&z, flush);
			if (zr == Z_STREAM_ERROR) {
				rc = RBM_EIO;
				goto out;
			}
			rc = rbm_buf_add(out, chunk, sizeof chunk - z.avail_out);
			if (rc != RBM_OK)
				goto out;
		} while (z.avail_out == 0);
	} while (flush != Z_FINISH);
out:
	deflateEnd(&z);
	return rc;
}

/* The opaque part of an entity tag: "abc" of W/"abc". */
static void opaque(const char *tag, size_t len, const char **o, size_t *o_len)
{
	if (len >= 2 && tag[0] == 'W' && tag[1] == '/') {
		tag += 2;
		len -= 2;
	}
	*o = tag;
	*o_len = len;
}

bool rbm_web_etag_matches(const char *if_none_match, const char *etag)
{
	if (if_none_match == NULL || etag == NULL)
		return false;
	const char *e;
	size_t e_len;
	opaque(etag, strlen(etag), &e, &e_len);
	const char *p = if_none_match;
	for (;;) {
		while (*p == ',' || is_ows(*p))
			p++;
		if (*p == '\0')
			return false;
		if (*p == '*')
			return true;
		const char *start = p;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return false; /* malformed: ignore the header */
		const char *close = strchr(p + 1, '"');
		if (close == NULL)
			return false;
		p = close + 1;
		const char *t;
		size_t t_len;
		opaque(start, (size_t)(p - start), &t, &t_len);
		if (t_len == e_len && memcmp(t, e, e_len) == 0)
			return true;
	}
}
