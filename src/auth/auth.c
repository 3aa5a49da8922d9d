/*
 * auth.c - the vocabulary of src/auth/: role and action names, users as
 * values, and the token helpers every auth file uses (random tokens, their
 * stored hashes, libsodium's start-up).
 */
#include "auth_int.h"

#include "../core/alloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[RBM_AUTH_ROLE_COUNT] = {
	"administrator", "editor", "reviewer", "reporter", "viewer",
};

static const char *const action_names[RBM_ACT_COUNT] = {
	"read-published", "read-results", "read-submission", "edit-submission",
	"review",         "edit-text",    "admin",
};

const char *rbm_auth_role_name(enum rbm_role r)
{
	return (unsigned)r < RBM_AUTH_ROLE_COUNT ? role_names[r] : "?";
}

bool rbm_auth_role_parse(const char *s, enum rbm_role *out)
{
	for (int i = 0; s && i < RBM_AUTH_ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum rbm_role)i;
			return true;
		}
	}
	return false;
}

const char *rbm_auth_action_name(enum rbm_action a)
{
	return (unsigned)a < RBM_ACT_COUNT ? action_names[a] : "?";
}

void rbm_auth_user_cleanup(struct rbm_user *u)
{
	if (u == NULL)
		return;
	free(u->name);
	free(u->office);
	free(u->region);
	free(u->created_at);
	memset(u, 0, sizeof *u);
}

void rbm_auth_users_free(struct rbm_user *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		rbm_auth_user_cleanup(&v[i]);
	free(v);
}

static char *dup_or_null(const char *s)
{
	return s ? rbm_xstrdup(s) : NULL;
}

void rbm_auth__read_user(struct rbm_query *q, int first, struct rbm_user *out)
{
	memset(out, 0, sizeof *out);
	out->name = dup_or_null(rbm_query_text(q, first));
	/* An unknown role (a newer rbm wrote it) gets the least: viewer. */
	if (!rbm_auth_role_parse(rbm_query_text(q, first + 1), &out->role))
		out->role = RBM_AUTH_VIEWER;
	out->office = dup_or_null(rbm_query_text(q, first + 2));
	out->region = dup_or_null(rbm_query_text(q, first + 3));
	out->created_at = dup_or_null(rbm_query_text(q, first + 4));
	out->disabled = rbm_query_int(q, first + 5) != 0;
}

enum rbm_rc rbm_auth__sodium(struct rbm_diag *d)
{
	if (sodium_init() < 0) {
		rbm_diag_add(d, NULL, NULL, "libsodium failed to start (no source of random numbers?)");
		return RBM_EIO;
	}
	return RBM_OK;
}

void rbm_auth__random_hex(char out[RBM_AUTH_TOKEN_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, RBM_AUTH_TOKEN_SIZE, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void rbm_auth__token_hash(const char *s, char out[RBM_AUTH_TOKEN_SIZE])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, RBM_AUTH_TOKEN_SIZE, h, sizeof h);
}

bool rbm_auth__is_hex(const char *s, size_t n)
{
	if (s == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false; /* also stops at the NUL of a shorter string */
	}
	return s[n] == '\0';
}

void rbm_auth__event(struct rbm_audit_event *e, const struct rbm_actor *who, const char *action,
		     const char *object, const char *detail)
{
	memset(e, 0, sizeof *e);
	e->actor = who && who->user ? who->user : "unknown";
	e->channel = who && who->channel ? who->channel : "cli";
	e->address = who ? who->address : NULL;
	e->action = action;
	e->object = object;
	e->detail = detail;
}
