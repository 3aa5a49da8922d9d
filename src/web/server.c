/*
 * server.c - the thin adapter between libmicrohttpd and rbm_web_dispatch().
 *
 * It turns an MHD request into a struct rbm_web_req (headers, query, body up
 * to the limit, peer address), lets route.c answer it, and sends the answer:
 * gzip when the client accepts it and the type is text, one access-log line
 * per request. Everything about what to answer lives in route.c and the
 * page files; everything about connections lives here: a pool of worker
 * threads, each polling its own connections (so a slow client holds no
 * thread), connection limits, an idle timeout, a memory cap per connection,
 * and a graceful stop.
 *
 * Paths and query parameters reach rbm still percent-encoded (MHD's
 * unescaping is turned off), so that route.c decodes them once and sees an
 * encoded NUL or "%2e%2e" for what it is.
 */
#include "web.h"

#include "../core/alloc.h"
#include "../core/i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GZIP_MIN 256               /* smaller bodies are sent as they are */
#define DISCARD_MAX ((size_t)8 << 20) /* body bytes read and dropped after the limit, at most */

struct rbm_web_server {
	struct MHD_Daemon *mhd;
	const struct rbm_web_app *app;
	struct rbm_web_server_opts o; /* with the defaults filled in */
	size_t body_max;
	unsigned port;
	atomic_uint inflight; /* requests between their first call and their completion */
	sigset_t sigs;        /* SIGINT and SIGTERM */
	sigset_t old_mask;
};

/* One request: lives from MHD's first call for it until its completion. */
struct exchange {
	struct rbm_arena *arena;
	struct rbm_web_req req;
	struct rbm_buf body;
	bool too_big;   /* the body passed the limit: the answer is 413 */
	size_t dropped; /* body bytes dropped since */
	bool answered;
	struct timespec start;
	int status;
	size_t bytes;
};

static double ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1e3 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

/* MHD's unescaping, turned off: route.c decodes (see the top of this file). */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct rbm_web_server *s = cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fprintf(s->o.log, "rbm: http: %s\n", line);
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	rbm_web_req_add_query(cls, key, value); /* a bad one marks the request bad: 400 */
	return MHD_YES;
}

static const char *header(struct MHD_Connection *c, struct rbm_arena *a, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	return v ? rbm_arena_strdup(a, v) : NULL;
}

static const char *peer(struct MHD_Connection *c, struct rbm_arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
				  sizeof text);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  text, sizeof text);
	}
	return rbm_arena_strdup(a, text);
}

/* Parses a Content-Length; false when it is not a plain decimal number. */
static bool parse_length(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (~0ull - 9) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	*out = v;
	return true;
}

static struct exchange *begin(struct rbm_web_server *s, struct MHD_Connection *c, const char *url,
			      const char *method)
{
	struct exchange *x = rbm_xcalloc(1, sizeof *x);
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	x->arena = rbm_arena_new();
	rbm_buf_init(&x->body, s->body_max);
	struct rbm_web_req *r = &x->req;
	rbm_web_req_init(r, s->app, x->arena, method, url);
	r->accept = header(c, x->arena, MHD_HTTP_HEADER_ACCEPT);
	r->accept_language = header(c, x->arena, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	r->accept_encoding = header(c, x->arena, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	r->cookie = header(c, x->arena, MHD_HTTP_HEADER_COOKIE);
	r->authorization = header(c, x->arena, MHD_HTTP_HEADER_AUTHORIZATION);
	r->if_none_match = header(c, x->arena, MHD_HTTP_HEADER_IF_NONE_MATCH);
	r->content_type = header(c, x->arena, MHD_HTTP_HEADER_CONTENT_TYPE);
	r->csrf_token = header(c, x->arena, "X-CSRF-Token");
	r->forwarded_proto = header(c, x->arena, "X-Forwarded-Proto");
	r->client = peer(c, x->arena);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, r);
	unsigned long long declared;
	if (parse_length(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH),
			 &declared) &&
	    declared > s->body_max)
		x->too_big = true;
	atomic_fetch_add(&s->inflight, 1);
	return x;
}

/* Adds token to the response's Vary header. */
static void vary(struct rbm_web_resp *resp, const char *token)
{
	const char *old = rbm_web_resp_get_header(resp, "Vary");
	if (old == NULL) {
		rbm_web_resp_header(resp, "Vary", token);
	} else if (strstr(old, token) == NULL) {
		size_t n = strlen(old) + strlen(token) + 3;
		char *v = rbm_arena_alloc(resp->arena, n);
		snprintf(v, n, "%s, %s", old, token);
		rbm_web_resp_header(resp, "Vary", v);
	}
}

/* gzips the body in place when the client and the type allow it and it pays. */
static void maybe_gzip(const struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	/* A 304 is encoded as its 200 would be, so that its Content-Length is the 200's. */
	if (resp->status == 204 || !rbm_web_compressible(resp->content_type) ||
	    rbm_web_resp_get_header(resp, "Content-Encoding"))
		return;
	vary(resp, "Accept-Encoding");
	if (resp->body.len < GZIP_MIN || !rbm_web_accepts_gzip(req->accept_encoding))
		return;
	struct rbm_buf gz;
	rbm_buf_init(&gz, resp->body.len);
	if (rbm_web_gzip(resp->body.data, resp->body.len, &gz) == RBM_OK && gz.len < resp->body.len) {
		rbm_buf_free(&resp->body);
		resp->body = gz;
		rbm_web_resp_header(resp, "Content-Encoding", "gzip");
		return;
	}
	rbm_buf_free(&gz);
}

static enum MHD_Result answer(struct rbm_web_server *s, struct MHD_Connection *c,
			      struct exchange *x)
{
	struct rbm_web_resp resp;
	rbm_web_resp_init(&resp, x->arena);
	x->answered = true;
	if (x->too_big) {
		char detail[96];
		snprintf(detail, sizeof detail, "The request body is larger than the limit of %zu bytes.",
			 s->body_max);
		rbm_web_resp_error(&x->req, &resp, 413, detail);
		rbm_web_resp_header(&resp, "Connection", "close");
	} else {
		x->req.body = rbm_buf_str(&x->body);
		x->req.body_len = x->body.len;
		rbm_web_dispatch(&x->req, &resp);
	}
	maybe_gzip(&x->req, &resp);

	size_t len = resp.body.len;
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, rbm_buf_take(&resp.body), MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok = MHD_NO;
	if (r == NULL)
		goto out;
	if (resp.content_type && resp.status != 304 && resp.status != 204)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp.content_type);
	if (resp.etag)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, resp.etag);
	for (size_t i = 0; i < resp.headers_len; i++)
		MHD_add_response_header(r, resp.headers[i].name, resp.headers[i].value);
	ok = MHD_queue_response(c, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	x->status = resp.status;
	x->bytes = resp.status == 304 || x->req.method == RBM_WEB_HEAD ? 0 : len;
out:
	rbm_web_resp_cleanup(&resp);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct rbm_web_server *s = cls;
	struct exchange *x = *req_cls;
	(void)version;
	if (x == NULL) {
		x = begin(s, c, url, method);
		*req_cls = x;
		/* A declared body over the limit is refused before it is read (no 100 Continue). */
		return x->too_big ? answer(s, c, x) : MHD_YES;
	}
	if (*upload_data_size > 0) {
		/*
		 * MHD 0.9 lets a response be queued only before the body or after all
		 * of it: past the limit the rest is read and dropped, to answer 413 at
		 * the end, but a body that goes on past DISCARD_MAX closes the connection.
		 */
		if (!x->too_big && rbm_buf_add(&x->body, upload_data, *upload_data_size) != RBM_OK)
			x->too_big = true;
		if (x->too_big) {
			x->dropped += *upload_data_size;
			if (x->dropped > DISCARD_MAX)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (x->answered)
		return MHD_YES;
	return answer(s, c, x);
}

/* The path for the log: bytes outside printable ASCII, quotes and backslashes as %XX. */
static const char *log_path(struct rbm_arena *a, const char *p)
{
	size_t n = strlen(p);
	if (n > 512)
		n = 512;
	char *o = rbm_arena_alloc(a, n * 3 + 4);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			snprintf(o + j, 4, "%%%02X", ch);
			j += 3;
		} else {
			o[j++] = (char)ch;
		}
	}
	if (strlen(p) > n) {
		memcpy(o + j, "...", 3);
		j += 3;
	}
	o[j] = '\0';
	return o;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct rbm_web_server *s = cls;
	struct exchange *x = *req_cls;
	(void)c;
	if (x == NULL)
		return;
	if (!s->o.quiet) {
		const char *why = "";
		if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
			why = " (timed out)";
		else if (toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT)
			why = " (client went away)";
		else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
			why = " (aborted)";
		char status[8] = "-";
		if (x->status)
			snprintf(status, sizeof status, "%d", x->status);
		/* One fprintf per line: stdio locks the stream, so lines never mix. */
		fprintf(s->o.log, "%s %s %s %s %zu %.1fms%s\n", x->req.client,
			log_path(x->arena, x->req.method_name), log_path(x->arena, x->req.path), status,
			x->bytes, ms_since(&x->start), why);
	}
	rbm_buf_free(&x->body);
	rbm_arena_free(x->arena);
	free(x);
	*req_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

static unsigned default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 2 ? 2 : n > 16 ? 16 : (unsigned)n;
}

enum rbm_rc rbm_web_server_start(const struct rbm_web_app *app,
				 const struct rbm_web_server_opts *opts,
				 struct rbm_web_server **out, struct rbm_diag *d)
{
	struct rbm_web_server *s = rbm_xcalloc(1, sizeof *s);
	s->app = app;
	s->o = *opts;
	if (s->o.bind == NULL)
		s->o.bind = "127.0.0.1";
	if (s->o.threads == 0)
		s->o.threads = default_threads();
	if (s->o.timeout_s == 0)
		s->o.timeout_s = 30;
	if (s->o.max_conns == 0)
		s->o.max_conns = 512;
	if (s->o.conn_memory == 0)
		s->o.conn_memory = 64 * 1024;
	if (s->o.drain_s == 0)
		s->o.drain_s = 10;
	if (s->o.log == NULL)
		s->o.log = stderr;
	s->body_max = app->body_max ? app->body_max : RBM_WEB_BODY_MAX;
	atomic_init(&s->inflight, 0);

	if (s->o.port > 65535) {
		rbm_diag_add(d, NULL, NULL, "--port: %u is not a port number (0 to 65535)", s->o.port);
		free(s);
		return RBM_EINVAL;
	}
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	memset(&v4, 0, sizeof v4);
	memset(&v6, 0, sizeof v6);
	if (inet_pton(AF_INET, s->o.bind, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons((uint16_t)s->o.port);
		sa = (const struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, s->o.bind, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons((uint16_t)s->o.port);
		sa = (const struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		rbm_diag_add(d, NULL, NULL, "--bind: '%s' is not an IPv4 or IPv6 address", s->o.bind);
		free(s);
		return RBM_EINVAL;
	}

	/*
	 * gettext's first lookup sets the message locale (setlocale is not safe
	 * once threads run): make it now, before there are any.
	 */
	rbm_i18n_gettext(RBM_LANG_FR, "Not Found");

	/* Workers inherit the mask: only the thread in rbm_web_server_wait() takes the signals. */
	sigemptyset(&s->sigs);
	sigaddset(&s->sigs, SIGINT);
	sigaddset(&s->sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &s->sigs, &s->old_mask);

	errno = 0;
	s->mhd = MHD_start_daemon(
		flags, (uint16_t)s->o.port, NULL, NULL, on_request, s,
		/* The logger first, so that MHD reports even the other options' problems through it. */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->o.threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->o.max_conns,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->o.max_conns_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->o.timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)s->o.conn_memory,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
		MHD_OPTION_END);
	if (s->mhd == NULL) {
		int e = errno;
		rbm_diag_add(d, NULL, NULL, "cannot serve on %s port %u%s%s", s->o.bind, s->o.port,
			     e ? ": " : "", e ? strerror(e) : "");
		pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
		free(s);
		return RBM_EIO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : s->o.port;
	*out = s;
	return RBM_OK;
}

unsigned rbm_web_server_port(const struct rbm_web_server *s)
{
	return s->port;
}

int rbm_web_server_wait(struct rbm_web_server *s)
{
	int sig = 0;
	while (sigwait(&s->sigs, &sig) != 0)
		;
	return sig;
}

void rbm_web_server_stop(struct rbm_web_server *s)
{
	if (s == NULL)
		return;
	/* Stop accepting; MHD hands the listening socket back to be closed. */
	MHD_socket ls = MHD_quiesce_daemon(s->mhd);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	/* Let the requests in flight finish; another signal cuts the wait short. */
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (atomic_load(&s->inflight) > 0 && ms_since(&start) < s->o.drain_s * 1000.0) {
		struct timespec tick = {0, 20 * 1000 * 1000};
		if (sigtimedwait(&s->sigs, NULL, &tick) > 0)
			break;
	}
	MHD_stop_daemon(s->mhd);
	/* Take any signal still pending, so that restoring the mask does not deliver it. */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&s->sigs, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
	free(s);
}
