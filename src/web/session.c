/*
 * session.c - who is asking: the authentication hook (a bearer token for
 * API clients, else the rbm_session cookie), what the signed-in user may
 * do (through auth's rbm_auth_may), and the cookies that carry a session.
 *
 * Cookies: rbm_session (the session token; HttpOnly, SameSite=Strict,
 * Secure behind TLS), rbm_pre (a random value the sign-in form repeats, so
 * that another site cannot sign a browser in to an account of its choosing)
 * and rbm_lang (the language chosen with ?lang=).
 */
#include "web_int.h"

#include "../auth/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *dup(struct rbm_arena *a, const char *s)
{
	return s ? rbm_arena_strdup(a, s) : NULL;
}

static enum rbm_web_role web_role(enum rbm_role r)
{
	switch (r) {
	case RBM_AUTH_ADMINISTRATOR: return RBM_WEB_ADMIN;
	case RBM_AUTH_EDITOR: return RBM_WEB_EDITOR;
	case RBM_AUTH_REVIEWER: return RBM_WEB_REVIEWER;
	case RBM_AUTH_REPORTER: return RBM_WEB_REPORTER;
	case RBM_AUTH_VIEWER:
	case RBM_AUTH_ROLE_COUNT: break;
	}
	return RBM_WEB_VIEWER;
}

/* The web user for u, everything copied into the request's arena. */
static const struct rbm_web_user *web_user(struct rbm_web_req *req, const struct rbm_user *u,
					   const char *session, const char *csrf)
{
	struct rbm_arena *a = req->arena;
	struct rbm_user *copy = rbm_arena_alloc(a, sizeof *copy);
	*copy = (struct rbm_user){(char *)dup(a, u->name), u->role, (char *)dup(a, u->office),
				  (char *)dup(a, u->region), (char *)dup(a, u->created_at), u->disabled};
	struct rbm_web_user *w = rbm_arena_alloc(a, sizeof *w);
	*w = (struct rbm_web_user){copy->name, web_role(u->role), copy, dup(a, csrf), dup(a, session)};
	return w;
}

const struct rbm_web_user *rbm_web_authenticate(struct rbm_web_req *req, void *ctx)
{
	(void)ctx;
	struct rbm_store *s = req->app ? req->app->store : NULL;
	if (s == NULL)
		return NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_user u = {0};
	const struct rbm_web_user *w = NULL;
	const char *auth = req->authorization;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (rbm_auth_token_check(s, auth + 7, (long long)time(NULL), &u, &d) == RBM_OK)
			w = web_user(req, &u, NULL, NULL);
	} else {
		const char *token = rbm_web_cookie(req, "rbm_session");
		char csrf[RBM_AUTH_TOKEN_SIZE];
		if (token && rbm_auth_session(s, token, (long long)time(NULL), &u, csrf, &d) == RBM_OK)
			w = web_user(req, &u, token, csrf);
	}
	rbm_auth_user_cleanup(&u);
	rbm_diag_free(&d);
	return w;
}

bool rbm_web__may(struct rbm_web_req *req, enum rbm_action action, const char *office)
{
	const struct rbm_web_user *w = rbm_web_req_user(req);
	const struct rbm_user *u = w ? w->data : NULL;
	if (w && u == NULL) /* a user from a hook other than src/auth's: its role decides */
		return w->role == RBM_WEB_ADMIN;
	return req->app->plan && rbm_auth_may(req->app->plan, u, action, office);
}

struct rbm_actor rbm_web__actor(struct rbm_web_req *req)
{
	const struct rbm_web_user *w = rbm_web_req_user(req);
	return (struct rbm_actor){w ? w->name : "anonymous", w && w->csrf == NULL ? "api" : "web",
				  req->client, w && w->role == RBM_WEB_ADMIN};
}

void rbm_web__set_cookie(struct rbm_web_req *req, struct rbm_web_resp *resp, const char *name,
			 const char *value, long max_age, bool http_only)
{
	bool tls = req->forwarded_proto && strcasecmp(req->forwarded_proto, "https") == 0;
	char line[256];
	snprintf(line, sizeof line, "%s=%s; Path=/; Max-Age=%ld; SameSite=Strict%s%s", name, value,
		 max_age, http_only ? "; HttpOnly" : "", tls ? "; Secure" : "");
	rbm_web_resp_add_header(resp, "Set-Cookie", line);
}
