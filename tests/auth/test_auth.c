/*
 * test_auth.c - users, passwords, sign-in and its throttling, sessions
 * (expiry, rotation, sign-out), CSRF tokens, API tokens, and the
 * authorisation rule as a table, through the C API on a real SQLite file.
 * The clock is the now argument, so throttling and expiry are tested
 * without waiting.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "auth/auth.h"
#include "plan/plan.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"
#define PW "correct horse battery"
#define T0 1700000000LL /* an arbitrary "now" */

static const struct rbm_actor admin = {"ana", "cli", "local", true};

struct env {
	struct rbm_store *s;
	struct rbm_plan *p;
	struct rbm_diag d;
	char db[512];
};

/* A fresh database with the small plan (offices HQ, ROAF and KEN under ROAF). */
static bool setup(struct env *e, const char *name)
{
	rbm_diag_init(&e->d);
	snprintf(e->db, sizeof e->db, "%s/%s", test_tmpdir(), name);
	unlink(e->db);
	setenv("RBM_NOW", "2022-02-01T10:00:00Z", 1);
	e->s = NULL;
	e->p = NULL;
	bool ok = rbm_plan_load(SMALL, test_places(), &e->p, &e->d) == RBM_OK &&
		  rbm_store_open(e->db, RBM_STORE_CREATE, &e->s, &e->d) == RBM_OK &&
		  rbm_store_put_places(e->s, test_places(), &e->d) == RBM_OK &&
		  rbm_store_put_plan(e->s, e->p, false, NULL, &e->d) == RBM_OK;
	rbm_diag_print(&e->d, stdout, "# ");
	rbm_diag_free(&e->d);
	rbm_diag_init(&e->d);
	return ok;
}

static void teardown(struct env *e)
{
	rbm_store_close(e->s);
	rbm_plan_free(e->p);
	rbm_diag_free(&e->d);
}

/* The last problem reported in d, and d emptied for the next call. */
static const char *why(struct rbm_diag *d)
{
	static char last[512];
	snprintf(last, sizeof last, "%s", d->len ? d->entries[d->len - 1].reason : "");
	rbm_diag_free(d);
	rbm_diag_init(d);
	return last;
}

static long long sql_int(struct env *e, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_open(e->db, &h) == SQLITE_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return v;
}

static bool sql_exec(struct env *e, const char *sql)
{
	sqlite3 *h;
	bool ok = sqlite3_open(e->db, &h) == SQLITE_OK &&
		  sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(h);
	return ok;
}

static enum rbm_rc add(struct env *e, const char *name, enum rbm_role role, const char *office,
		       const char *region)
{
	return rbm_auth_user_add(e->s, e->p, name, role, office, region, PW, &admin, &e->d);
}

static enum rbm_rc sign_in(struct env *e, const char *name, const char *pw, const char *address,
			   long long now, char token[RBM_AUTH_TOKEN_SIZE],
			   char csrf[RBM_AUTH_TOKEN_SIZE])
{
	return rbm_auth_sign_in(e->s, name, pw, address, now, token, csrf, &e->d);
}

/* ---- names, roles, passwords ---- */

static void roles_and_actions_have_names(void)
{
	enum rbm_role r;
	for (int i = 0; i < RBM_AUTH_ROLE_COUNT; i++) {
		CHECK(rbm_auth_role_parse(rbm_auth_role_name((enum rbm_role)i), &r));
		CHECK_INT(r, i);
	}
	CHECK_STR(rbm_auth_role_name(RBM_AUTH_ADMINISTRATOR), "administrator");
	CHECK_STR(rbm_auth_role_name(RBM_AUTH_VIEWER), "viewer");
	CHECK(!rbm_auth_role_parse("admin", &r));
	CHECK(!rbm_auth_role_parse("Reviewer", &r));
	CHECK(!rbm_auth_role_parse("", &r));
	CHECK(!rbm_auth_role_parse(NULL, &r));
	CHECK_STR(rbm_auth_action_name(RBM_ACT_REVIEW), "review");
	CHECK_STR(rbm_auth_action_name(RBM_ACT_EDIT_SUBMISSION), "edit-submission");
}

static void names_are_checked(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	char longest[RBM_AUTH_NAME_MAX + 2];
	memset(longest, 'a', sizeof longest);
	longest[RBM_AUTH_NAME_MAX] = '\0';
	static const char *const good[] = {"amina", "a", "0", "j.doe_2-x", "..."};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CHECK_INT(rbm_auth_check_name(good[i], &d), RBM_OK);
	CHECK_INT(rbm_auth_check_name(longest, &d), RBM_OK);
	CHECK_INT(d.len, 0);
	static const char *const bad[] = {"", "Amina", "a b", "ami\xc3\xa9", "a/b", "a@b", "a\tb"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_INT(rbm_auth_check_name(bad[i], &d), RBM_EINVAL);
	CHECK_INT(rbm_auth_check_name(NULL, &d), RBM_EINVAL);
	CHECK_STR(why(&d), "user name \"\": use 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
	CHECK_INT(rbm_auth_check_name("Amina", &d), RBM_EINVAL);
	CHECK_STR(why(&d), "user name \"Amina\": use 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
	longest[RBM_AUTH_NAME_MAX] = 'a';
	longest[RBM_AUTH_NAME_MAX + 1] = '\0';
	CHECK_INT(rbm_auth_check_name(longest, &d), RBM_EINVAL);
	CHECK_STR(why(&d), "user name too long: at most 64 characters of a-z, 0-9, '.', '_' and '-'");
	rbm_diag_free(&d);
}

static void passwords_are_checked(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_auth_check_password("0123456789", &d), RBM_OK);
	CHECK_INT(rbm_auth_check_password(PW, &d), RBM_OK);
	/* Ten characters, twenty bytes. */
	CHECK_INT(rbm_auth_check_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					  "\xc3\xa9\xc3\xa9\xc3\xa9", &d), RBM_OK);
	CHECK_INT(d.len, 0);
	CHECK_INT(rbm_auth_check_password("012345678", &d), RBM_EINVAL);
	CHECK_STR(why(&d), "the password is too short: at least 10 characters");
	/* Nine characters, eighteen bytes: characters count, not bytes. */
	CHECK_INT(rbm_auth_check_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					  "\xc3\xa9\xc3\xa9", &d), RBM_EINVAL);
	CHECK_STR(why(&d), "the password is too short: at least 10 characters");
	CHECK_INT(rbm_auth_check_password("", &d), RBM_EINVAL);
	CHECK_INT(rbm_auth_check_password(NULL, &d), RBM_EINVAL);
	CHECK_STR(why(&d), "the password is too short: at least 10 characters");
	CHECK_INT(rbm_auth_check_password("0123456789\xff", &d), RBM_EINVAL);
	CHECK_STR(why(&d), "the password is not valid UTF-8");
	char big[RBM_AUTH_PASSWORD_MAX + 2];
	memset(big, 'x', sizeof big);
	big[RBM_AUTH_PASSWORD_MAX] = '\0';
	CHECK_INT(rbm_auth_check_password(big, &d), RBM_OK);
	big[RBM_AUTH_PASSWORD_MAX] = 'x';
	big[RBM_AUTH_PASSWORD_MAX + 1] = '\0';
	CHECK_INT(rbm_auth_check_password(big, &d), RBM_EINVAL);
	CHECK_STR(why(&d), "the password is too long: at most 1024 bytes");
	rbm_diag_free(&d);
}

/* ---- users ---- */

static void users_are_added_hashed_and_audited(void)
{
	struct env e;
	CHECK(setup(&e, "add.db"));
	CHECK_INT(add(&e, "ana", RBM_AUTH_ADMINISTRATOR, NULL, NULL), RBM_OK);
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", NULL), RBM_OK);
	CHECK_INT(add(&e, "rita", RBM_AUTH_REVIEWER, NULL, "ROAF"), RBM_OK);
	CHECK_INT(add(&e, "rex", RBM_AUTH_REVIEWER, NULL, NULL), RBM_OK);
	CHECK_INT(add(&e, "eda", RBM_AUTH_EDITOR, NULL, NULL), RBM_OK);
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	CHECK_INT(e.d.len, 0);

	struct rbm_user u;
	CHECK_INT(rbm_auth_user_get(e.s, "kofi", &u, &e.d), RBM_OK);
	CHECK_STR(u.name, "kofi");
	CHECK_INT(u.role, RBM_AUTH_REPORTER);
	CHECK_STR(u.office, "KEN");
	CHECK(u.region == NULL);
	CHECK_STR(u.created_at, "2022-02-01T10:00:00Z");
	CHECK(!u.disabled);
	rbm_auth_user_cleanup(&u);
	CHECK_INT(rbm_auth_user_get(e.s, "rita", &u, &e.d), RBM_OK);
	CHECK_STR(u.region, "ROAF");
	CHECK(u.office == NULL);
	rbm_auth_user_cleanup(&u);
	CHECK_INT(rbm_auth_user_get(e.s, "nobody", &u, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "there is no user \"nobody\" (see 'rbm user list')");

	struct rbm_user *v = NULL;
	size_t n = 0;
	CHECK_INT(rbm_auth_user_list(e.s, &v, &n, &e.d), RBM_OK);
	CHECK_INT(n, 6);
	CHECK_STR(v[0].name, "ana");
	CHECK_STR(v[5].name, "vic");
	rbm_auth_users_free(v, n);

	/* Argon2id, never the password itself. */
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$v=19$m=65536,t=2,p=1$%'"), 6);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM users WHERE instr(password_hash, 'horse') > 0"), 0);
	CHECK_INT(sql_int(&e, "SELECT count(DISTINCT password_hash) FROM users"), 6);
	/* Audited, with the role and scope but no secret. */
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log WHERE action = 'user.add' AND actor = 'ana'"), 6);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log WHERE object = 'user kofi' AND "
			      "detail = 'role reporter, office KEN' AND office = 'KEN'"), 1);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log WHERE object = 'user rex' AND "
			      "detail = 'role reviewer, every region'"), 1);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log WHERE instr(coalesce(detail,''), 'horse') > 0"), 0);
	size_t checked = 0;
	long long bad = 0;
	CHECK_INT(rbm_store_audit_verify(e.s, &checked, &bad, &e.d), RBM_OK);
	teardown(&e);
}

static void bad_users_are_refused(void)
{
	struct env e;
	CHECK(setup(&e, "refused.db"));
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, NULL, NULL), RBM_EINVAL);
	CHECK_STR(why(&e.d), "a reporter needs the office it reports for (--office CODE)");
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "XYZ", NULL), RBM_EINVAL);
	CHECK_STR(why(&e.d), "unknown office \"XYZ\" (see 'rbm offices list')");
	CHECK_INT(add(&e, "rita", RBM_AUTH_REVIEWER, NULL, "KEN"), RBM_EINVAL);
	CHECK_STR(why(&e.d), "\"KEN\" is not a regional office; a reviewer's region is one of: ROAF");
	CHECK_INT(add(&e, "rita", RBM_AUTH_REVIEWER, NULL, "NOPE"), RBM_EINVAL);
	CHECK_STR(why(&e.d), "unknown office \"NOPE\" (see 'rbm offices list')");
	CHECK_INT(add(&e, "eda", RBM_AUTH_EDITOR, "KEN", NULL), RBM_EINVAL);
	CHECK_STR(why(&e.d), "an office is only for reporters, not for the role editor");
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", "ROAF"), RBM_EINVAL);
	CHECK_STR(why(&e.d), "a region is only for reviewers, not for the role reporter");
	CHECK_INT(add(&e, "Bad Name", RBM_AUTH_VIEWER, NULL, NULL), RBM_EINVAL);
	CHECK_STR(why(&e.d), "user name \"Bad Name\": use 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
	CHECK_INT(rbm_auth_user_add(e.s, e.p, "vic", RBM_AUTH_VIEWER, NULL, NULL, "short", &admin, &e.d),
		  RBM_EINVAL);
	CHECK_STR(why(&e.d), "the password is too short: at least 10 characters");
	/* Every problem at once. */
	CHECK_INT(rbm_auth_user_add(e.s, e.p, "X", RBM_AUTH_REPORTER, NULL, NULL, "short", &admin, &e.d),
		  RBM_EINVAL);
	CHECK_INT(e.d.len, 3);
	why(&e.d);
	/* A reporter's office needs a plan to be checked against. */
	CHECK_INT(rbm_auth_user_add(e.s, NULL, "kofi", RBM_AUTH_REPORTER, "KEN", NULL, PW, &admin, &e.d),
		  RBM_EINVAL);
	CHECK_STR(why(&e.d), "no plan is loaded to check the office \"KEN\" against (see 'rbm init')");
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM users"), 0);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log"), 0);

	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	CHECK_INT(add(&e, "vic", RBM_AUTH_EDITOR, NULL, NULL), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "the user \"vic\" exists already (see 'rbm user list'; 'rbm user passwd vic' "
			     "sets a new password)");
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM users"), 1);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log"), 1);
	teardown(&e);
}

static void passwd_changes_the_password_and_signs_out(void)
{
	struct env e;
	CHECK(setup(&e, "passwd.db"));
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	CHECK_INT(sign_in(&e, "vic", PW, "192.0.2.1", T0, tok, csrf), RBM_OK);
	CHECK_INT(rbm_auth_passwd(e.s, "nobody", "a new password", &admin, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "there is no user \"nobody\" (see 'rbm user list')");
	CHECK_INT(rbm_auth_passwd(e.s, "vic", "too short", &admin, &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), "the password is too short: at least 10 characters");
	CHECK_INT(rbm_auth_passwd(e.s, "vic", "a new password", &admin, &e.d), RBM_OK);
	CHECK_INT(e.d.len, 0);
	/* Signed out everywhere. */
	struct rbm_user u;
	CHECK_INT(rbm_auth_session(e.s, tok, T0 + 1, &u, NULL, &e.d), RBM_ENOENT);
	why(&e.d);
	CHECK_INT(sign_in(&e, "vic", PW, "192.0.2.1", T0 + 2, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "wrong user name or password");
	CHECK_INT(sign_in(&e, "vic", "a new password", "192.0.2.1", T0 + 3, tok, csrf), RBM_OK);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log WHERE action = 'user.passwd' AND "
			      "object = 'user vic' AND detail IS NULL"), 1);
	teardown(&e);
}

/* ---- signing in ---- */

static void sign_in_makes_a_session(void)
{
	struct env e;
	CHECK(setup(&e, "session.db"));
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE], csrf2[RBM_AUTH_TOKEN_SIZE] = "";
	CHECK_INT(sign_in(&e, "kofi", PW, "192.0.2.1", T0, tok, csrf), RBM_OK);
	CHECK_INT(strlen(tok), 64);
	CHECK_INT(strspn(tok, "0123456789abcdef"), 64);
	CHECK_INT(strspn(csrf, "0123456789abcdef"), 64);
	CHECK(strcmp(tok, csrf) != 0);

	struct rbm_user u;
	CHECK_INT(rbm_auth_session(e.s, tok, T0 + 60, &u, csrf2, &e.d), RBM_OK);
	CHECK_STR(u.name, "kofi");
	CHECK_INT(u.role, RBM_AUTH_REPORTER);
	CHECK_STR(u.office, "KEN");
	CHECK_STR(csrf2, csrf);
	rbm_auth_user_cleanup(&u);

	/* Only a hash of the token is stored. */
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", tok);
	CHECK_INT(sql_int(&e, sql), 0);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sessions WHERE length(token_hash) = 64 AND "
			      "address = '192.0.2.1' AND expires_at - created_at = 28800"), 1);

	/* Malformed tokens are no session. */
	static const char *const bad[] = {"", "abc", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK_INT(rbm_auth_session(e.s, bad[i], T0, &u, NULL, &e.d), RBM_ENOENT);
		CHECK_STR(why(&e.d), "no such session; sign in again");
	}
	CHECK_INT(rbm_auth_session(e.s, NULL, T0, &u, NULL, &e.d), RBM_ENOENT);
	char other[RBM_AUTH_TOKEN_SIZE];
	memcpy(other, tok, sizeof other);
	other[0] = other[0] == '0' ? '1' : '0';
	CHECK_INT(rbm_auth_session(e.s, other, T0, &u, NULL, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "no such session; sign in again");
	teardown(&e);
}

static void wrong_passwords_and_names_are_refused(void)
{
	struct env e;
	CHECK(setup(&e, "wrong.db"));
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE] = "unset", csrf[RBM_AUTH_TOKEN_SIZE] = "unset";
	CHECK_INT(sign_in(&e, "kofi", "correct horse battery!", "192.0.2.1", T0, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "wrong user name or password");
	CHECK_STR(tok, "unset");
	CHECK_INT(sign_in(&e, "kofi", "", "192.0.2.1", T0, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "wrong user name or password");
	/* An unknown name reads the same as a wrong password. */
	CHECK_INT(sign_in(&e, "nobody", PW, "192.0.2.1", T0, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "wrong user name or password");
	CHECK_INT(sign_in(&e, "Not A Name", PW, "192.0.2.1", T0, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "wrong user name or password");
	CHECK_INT(sign_in(&e, NULL, NULL, NULL, T0, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "wrong user name or password");
	CHECK_STR(tok, "unset");
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sessions"), 0);
	/* Failures are counted by account (valid names only) and by address. */
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts WHERE key = 'account:kofi'"), 2);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts WHERE key = 'account:nobody'"), 1);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts WHERE key = 'address:192.0.2.1'"), 4);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts"), 7);
	teardown(&e);
}

static void disabled_accounts_are_refused(void)
{
	struct env e;
	CHECK(setup(&e, "disabled.db"));
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE], api[RBM_AUTH_API_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "vic", PW, NULL, T0, tok, csrf), RBM_OK);
	CHECK_INT(rbm_auth_token_create(e.s, "vic", NULL, &admin, api, &e.d), RBM_OK);
	CHECK(sql_exec(&e, "UPDATE users SET disabled = 1 WHERE name = 'vic'"));
	struct rbm_user u;
	CHECK_INT(rbm_auth_session(e.s, tok, T0 + 1, &u, NULL, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "the account \"vic\" is disabled");
	CHECK_INT(rbm_auth_token_check(e.s, api, T0 + 1, &u, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "the account \"vic\" is disabled");
	CHECK_INT(sign_in(&e, "vic", PW, NULL, T0 + 2, tok, csrf), RBM_EINVAL);
	CHECK_STR(why(&e.d), "the account \"vic\" is disabled; ask an administrator");
	teardown(&e);
}

/* ---- throttling ---- */

static void throttled_per_account(void)
{
	struct env e;
	CHECK(setup(&e, "throttle-account.db"));
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	/* Five failures are allowed, and a success forgets them. */
	for (int i = 0; i < 5; i++) {
		CHECK_INT(sign_in(&e, "kofi", "wrong password", "192.0.2.1", T0 + i, tok, csrf), RBM_EINVAL);
		why(&e.d);
	}
	CHECK_INT(sign_in(&e, "kofi", PW, "192.0.2.1", T0 + 5, tok, csrf), RBM_OK);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts WHERE key = 'account:kofi'"), 0);
	/* The sixth failure in 15 minutes locks the account, even for the right password. */
	long long t = T0 + 100;
	for (int i = 0; i < 6; i++) {
		CHECK_INT(sign_in(&e, "kofi", "wrong password", "192.0.2.1", t + i, tok, csrf), RBM_EINVAL);
		CHECK_STR(why(&e.d), "wrong user name or password");
	}
	CHECK_INT(sign_in(&e, "kofi", PW, "192.0.2.1", t + 6, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 15 minutes");
	/* Refused attempts are not checked, so they count for nothing. */
	CHECK_INT(sign_in(&e, "kofi", "wrong password", "192.0.2.2", t + 7, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 15 minutes");
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts WHERE key = 'account:kofi'"), 6);
	CHECK_INT(sign_in(&e, "kofi", PW, "192.0.2.1", t + 60 * 14 + 1, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 1 minute");
	CHECK_INT(sign_in(&e, "kofi", PW, "192.0.2.1", t + 899, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 1 minute");
	/* Another account at the same address is not locked. */
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	CHECK_INT(sign_in(&e, "vic", PW, "192.0.2.1", t + 10, tok, csrf), RBM_OK);
	/* Once the oldest failure is 15 minutes old, five remain: the account opens. */
	CHECK_INT(sign_in(&e, "kofi", PW, "192.0.2.1", t + 900, tok, csrf), RBM_OK);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts WHERE key = 'account:kofi'"), 0);
	teardown(&e);
}

static void throttled_per_address(void)
{
	struct env e;
	CHECK(setup(&e, "throttle-address.db"));
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	/* Twenty failures from one address, over many names, are allowed... */
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof name, "guess%d", i);
		CHECK_INT(sign_in(&e, name, PW, "203.0.113.9", T0 + i, tok, csrf), RBM_EINVAL);
		why(&e.d);
	}
	CHECK_INT(sign_in(&e, "kofi", PW, "203.0.113.9", T0 + 20, tok, csrf), RBM_OK);
	/* ...and a success does not forgive the address: one more locks it. */
	CHECK_INT(sign_in(&e, "guess20", PW, "203.0.113.9", T0 + 21, tok, csrf), RBM_EINVAL);
	why(&e.d);
	CHECK_INT(sign_in(&e, "kofi", PW, "203.0.113.9", T0 + 22, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 15 minutes");
	CHECK_INT(sign_in(&e, "nobody", PW, "203.0.113.9", T0 + 23, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 15 minutes");
	/* Other addresses are not. */
	CHECK_INT(sign_in(&e, "kofi", PW, "203.0.113.10", T0 + 24, tok, csrf), RBM_OK);
	/* The address opens when its oldest failure is 15 minutes old. */
	CHECK_INT(sign_in(&e, "kofi", PW, "203.0.113.9", T0 + 899, tok, csrf), RBM_ECONFLICT);
	CHECK_STR(why(&e.d), "too many attempts; try again in 1 minute");
	CHECK_INT(sign_in(&e, "kofi", PW, "203.0.113.9", T0 + 900, tok, csrf), RBM_OK);
	/* Old failures are pruned as time passes. */
	CHECK_INT(sign_in(&e, "kofi", PW, "203.0.113.9", T0 + 3600, tok, csrf), RBM_OK);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sign_in_attempts"), 0);
	teardown(&e);
}

/* ---- sessions ---- */

static void sessions_expire_after_eight_hours(void)
{
	struct env e;
	CHECK(setup(&e, "expiry.db"));
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "vic", PW, NULL, T0, tok, csrf), RBM_OK);
	struct rbm_user u;
	CHECK_INT(rbm_auth_session(e.s, tok, T0 + 8 * 3600 - 1, &u, NULL, &e.d), RBM_OK);
	rbm_auth_user_cleanup(&u);
	CHECK_INT(rbm_auth_session(e.s, tok, T0 + 8 * 3600, &u, NULL, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "the session has expired; sign in again");
	/* The next sign-in of anyone sweeps expired sessions away. */
	CHECK_INT(add(&e, "eda", RBM_AUTH_EDITOR, NULL, NULL), RBM_OK);
	CHECK_INT(sign_in(&e, "eda", PW, NULL, T0 + 9 * 3600, tok, csrf), RBM_OK);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sessions"), 1);
	teardown(&e);
}

static void sessions_rotate_at_sign_in(void)
{
	struct env e;
	CHECK(setup(&e, "rotate.db"));
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	CHECK_INT(add(&e, "eda", RBM_AUTH_EDITOR, NULL, NULL), RBM_OK);
	char t1[RBM_AUTH_TOKEN_SIZE], c1[RBM_AUTH_TOKEN_SIZE], t2[RBM_AUTH_TOKEN_SIZE],
		c2[RBM_AUTH_TOKEN_SIZE], t3[RBM_AUTH_TOKEN_SIZE], c3[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "vic", PW, "192.0.2.1", T0, t1, c1), RBM_OK);
	CHECK_INT(sign_in(&e, "eda", PW, "192.0.2.1", T0 + 1, t3, c3), RBM_OK);
	CHECK_INT(sign_in(&e, "vic", PW, "192.0.2.2", T0 + 2, t2, c2), RBM_OK);
	CHECK(strcmp(t1, t2) != 0);
	CHECK(strcmp(c1, c2) != 0);
	struct rbm_user u;
	CHECK_INT(rbm_auth_session(e.s, t1, T0 + 3, &u, NULL, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "no such session; sign in again");
	CHECK_INT(rbm_auth_session(e.s, t2, T0 + 3, &u, NULL, &e.d), RBM_OK);
	CHECK_STR(u.name, "vic");
	rbm_auth_user_cleanup(&u);
	/* Someone else's session is untouched. */
	CHECK_INT(rbm_auth_session(e.s, t3, T0 + 3, &u, NULL, &e.d), RBM_OK);
	CHECK_STR(u.name, "eda");
	rbm_auth_user_cleanup(&u);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sessions"), 2);
	teardown(&e);
}

static void sign_out_ends_the_session(void)
{
	struct env e;
	CHECK(setup(&e, "signout.db"));
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "vic", PW, NULL, T0, tok, csrf), RBM_OK);
	CHECK_INT(rbm_auth_sign_out(e.s, tok, &e.d), RBM_OK);
	struct rbm_user u;
	CHECK_INT(rbm_auth_session(e.s, tok, T0 + 1, &u, NULL, &e.d), RBM_ENOENT);
	why(&e.d);
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, csrf, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "no such session; sign in again");
	/* Twice, or with nonsense: nothing to do. */
	CHECK_INT(rbm_auth_sign_out(e.s, tok, &e.d), RBM_OK);
	CHECK_INT(rbm_auth_sign_out(e.s, "nonsense", &e.d), RBM_OK);
	CHECK_INT(rbm_auth_sign_out(e.s, NULL, &e.d), RBM_OK);
	CHECK_INT(e.d.len, 0);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM sessions"), 0);
	teardown(&e);
}

static void csrf_tokens_must_match(void)
{
	struct env e;
	CHECK(setup(&e, "csrf.db"));
	CHECK_INT(add(&e, "vic", RBM_AUTH_VIEWER, NULL, NULL), RBM_OK);
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE], other[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "vic", PW, NULL, T0, tok, csrf), RBM_OK);
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, csrf, &e.d), RBM_OK);
	CHECK_INT(e.d.len, 0);
	memcpy(other, csrf, sizeof other);
	other[63] = other[63] == 'a' ? 'b' : 'a';
	const char *msg = "the form's security token does not match; reload the page and try again";
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, other, &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), msg);
	other[63] = '\0';
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, other, &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), msg);
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, "", &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), msg);
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, NULL, &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), msg);
	/* The session token is no CSRF token. */
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, tok, &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), msg);
	/* A CSRF token belongs to its own session. */
	CHECK_INT(add(&e, "eda", RBM_AUTH_EDITOR, NULL, NULL), RBM_OK);
	char tok2[RBM_AUTH_TOKEN_SIZE], csrf2[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "eda", PW, NULL, T0, tok2, csrf2), RBM_OK);
	CHECK_INT(rbm_auth_csrf_check(e.s, tok, csrf2, &e.d), RBM_EINVAL);
	CHECK_STR(why(&e.d), msg);
	CHECK_INT(rbm_auth_csrf_check(e.s, "abc", csrf, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "no such session; sign in again");
	teardown(&e);
}

/* ---- API tokens ---- */

static void api_tokens_identify_their_user(void)
{
	struct env e;
	CHECK(setup(&e, "tokens.db"));
	CHECK_INT(add(&e, "kofi", RBM_AUTH_REPORTER, "KEN", NULL), RBM_OK);
	char api[RBM_AUTH_API_TOKEN_SIZE], api2[RBM_AUTH_API_TOKEN_SIZE];
	CHECK_INT(rbm_auth_token_create(e.s, "kofi", "kobo sync", &admin, api, &e.d), RBM_OK);
	CHECK_INT(rbm_auth_token_create(e.s, "kofi", NULL, &admin, api2, &e.d), RBM_OK);
	CHECK_INT(strlen(api), 68);
	CHECK(strncmp(api, "rbm_", 4) == 0);
	CHECK_INT(strspn(api + 4, "0123456789abcdef"), 64);
	CHECK(strcmp(api, api2) != 0);

	struct rbm_user u;
	CHECK_INT(rbm_auth_token_check(e.s, api, T0, &u, &e.d), RBM_OK);
	CHECK_STR(u.name, "kofi");
	CHECK_INT(u.role, RBM_AUTH_REPORTER);
	CHECK_STR(u.office, "KEN");
	rbm_auth_user_cleanup(&u);
	CHECK_INT(sql_int(&e, "SELECT last_used FROM api_tokens WHERE label = 'kobo sync'"), T0);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM api_tokens WHERE last_used IS NULL"), 1);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM api_tokens WHERE token_hash = '%s' OR "
				  "token_hash = '%s'", api, api + 4);
	CHECK_INT(sql_int(&e, sql), 0);
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM audit_log WHERE action = 'token.create' AND "
			      "object = 'user kofi' AND detail = 'kobo sync'"), 1);

	/* Unknown and malformed tokens. */
	char wrong[RBM_AUTH_API_TOKEN_SIZE];
	memcpy(wrong, api, sizeof wrong);
	wrong[10] = wrong[10] == '0' ? '1' : '0';
	static const char *const bad[] = {"", "rbm_", "rbm_xyz", "Bearer rbm_0"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK_INT(rbm_auth_token_check(e.s, bad[i], T0, &u, &e.d), RBM_ENOENT);
		CHECK_STR(why(&e.d), "unknown API token");
	}
	CHECK_INT(rbm_auth_token_check(e.s, wrong, T0, &u, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "unknown API token");
	CHECK_INT(rbm_auth_token_check(e.s, api + 4, T0, &u, &e.d), RBM_ENOENT);
	CHECK_INT(rbm_auth_token_check(e.s, NULL, T0, &u, &e.d), RBM_ENOENT);
	why(&e.d);
	/* A session token is no API token, nor the other way round. */
	char tok[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	CHECK_INT(sign_in(&e, "kofi", PW, NULL, T0, tok, csrf), RBM_OK);
	CHECK_INT(rbm_auth_session(e.s, api + 4, T0, &u, NULL, &e.d), RBM_ENOENT);
	why(&e.d);

	CHECK_INT(rbm_auth_token_create(e.s, "nobody", NULL, &admin, api, &e.d), RBM_ENOENT);
	CHECK_STR(why(&e.d), "there is no user \"nobody\" (see 'rbm user list')");
	CHECK_INT(sql_int(&e, "SELECT count(*) FROM api_tokens"), 2);
	teardown(&e);
}

/* ---- authorisation ---- */

/*
 * The rule as a table: each role against each action, on the user's own
 * office (KEN, reporting through ROAF), another office in another region
 * (EGY, through ROAS), a regional office (ROAF), and no office.
 */
static void may_is_a_table(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	char path[1024];
	snprintf(path, sizeof path, "%s/plans/unhabitat-2020-2023.json",
		 getenv("RBM_DATA_DIR") ? getenv("RBM_DATA_DIR") : "data");
	CHECK_INT(rbm_plan_load(path, test_places(), &p, &d), RBM_OK);
	CHECK(rbm_plan_find_office(p, "KEN") != RBM_NONE && rbm_plan_find_office(p, "EGY") != RBM_NONE);

	struct rbm_user admin_u = {"ana", RBM_AUTH_ADMINISTRATOR, NULL, NULL, NULL, false};
	struct rbm_user editor = {"eda", RBM_AUTH_EDITOR, NULL, NULL, NULL, false};
	struct rbm_user rev_roaf = {"rita", RBM_AUTH_REVIEWER, NULL, "ROAF", NULL, false};
	struct rbm_user rev_all = {"rex", RBM_AUTH_REVIEWER, NULL, NULL, NULL, false};
	struct rbm_user rep_ken = {"kofi", RBM_AUTH_REPORTER, "KEN", NULL, NULL, false};
	struct rbm_user viewer = {"vic", RBM_AUTH_VIEWER, NULL, NULL, NULL, false};
	const struct rbm_user *users[] = {&admin_u, &editor, &rev_roaf, &rev_all, &rep_ken, &viewer, NULL};
	static const char *const user_names[] = {"admin", "editor", "reviewer ROAF", "reviewer all",
						 "reporter KEN", "viewer", "public"};
	static const char *const offices[] = {"KEN", "EGY", "ROAF", NULL, "NOPE"};
	/*
	 * want[user][action] is a string of one letter per office above:
	 * y = may, n = may not.
	 */
	static const char *const want[7][RBM_ACT_COUNT] = {
		/*                read-pub  read-res  read-sub  edit-sub  review    edit-text admin */
		/* admin    */ {"yyyyy", "yyyyy", "yyyyy", "yyyyy", "yyyyy", "yyyyy", "yyyyy"},
		/* editor   */ {"yyyyy", "yyyyy", "nnnnn", "nnnnn", "nnnnn", "yyyyy", "nnnnn"},
		/* rev ROAF */ {"yyyyy", "yyyyy", "ynynn", "nnnnn", "ynynn", "nnnnn", "nnnnn"},
		/* rev all  */ {"yyyyy", "yyyyy", "yyyyy", "nnnnn", "yyyyy", "nnnnn", "nnnnn"},
		/* rep KEN  */ {"yyyyy", "yyyyy", "ynnnn", "ynnnn", "nnnnn", "nnnnn", "nnnnn"},
		/* viewer   */ {"yyyyy", "yyyyy", "nnnnn", "nnnnn", "nnnnn", "nnnnn", "nnnnn"},
		/* public   */ {"yyyyy", "nnnnn", "nnnnn", "nnnnn", "nnnnn", "nnnnn", "nnnnn"},
	};
	for (int u = 0; u < 7; u++) {
		for (int a = 0; a < RBM_ACT_COUNT; a++) {
			for (int o = 0; o < 5; o++) {
				bool expect = want[u][a][o] == 'y';
				bool got = rbm_auth_may(p, users[u], (enum rbm_action)a, offices[o]);
				if (got != expect) {
					test_fail(__FILE__, __LINE__, "%s %s %s: got %s", user_names[u],
						  rbm_auth_action_name((enum rbm_action)a),
						  offices[o] ? offices[o] : "(no office)",
						  got ? "may" : "may not");
					rbm_plan_free(p);
					rbm_diag_free(&d);
					return;
				}
			}
		}
	}
	/* Every office reporting through ROAF, and none elsewhere. */
	for (size_t i = 0; i < p->offices_len; i++) {
		const struct rbm_office *of = &p->offices[i];
		bool under = of->parent != RBM_NONE && strcmp(p->offices[of->parent].code, "ROAF") == 0;
		bool expect = under || strcmp(of->code, "ROAF") == 0;
		CHECK_INT(rbm_auth_may(p, &rev_roaf, RBM_ACT_REVIEW, of->code), expect);
	}
	/* A disabled user may do only what the public may. */
	admin_u.disabled = true;
	CHECK(rbm_auth_may(p, &admin_u, RBM_ACT_READ_PUBLISHED, NULL));
	CHECK(!rbm_auth_may(p, &admin_u, RBM_ACT_READ_RESULTS, NULL));
	CHECK(!rbm_auth_may(p, &admin_u, RBM_ACT_ADMIN, NULL));
	/* Without a plan nothing is known about offices. */
	CHECK(!rbm_auth_may(NULL, &rev_roaf, RBM_ACT_REVIEW, "KEN"));
	CHECK(!rbm_auth_may(NULL, &rep_ken, RBM_ACT_EDIT_SUBMISSION, "KEN"));
	CHECK(!rbm_auth_may(p, &viewer, RBM_ACT_COUNT, NULL));
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

TEST_MAIN(T(roles_and_actions_have_names), T(names_are_checked), T(passwords_are_checked),
	  T(users_are_added_hashed_and_audited), T(bad_users_are_refused),
	  T(passwd_changes_the_password_and_signs_out), T(sign_in_makes_a_session),
	  T(wrong_passwords_and_names_are_refused), T(disabled_accounts_are_refused),
	  T(throttled_per_account), T(throttled_per_address), T(sessions_expire_after_eight_hours),
	  T(sessions_rotate_at_sign_in), T(sign_out_ends_the_session), T(csrf_tokens_must_match),
	  T(api_tokens_identify_their_user), T(may_is_a_table))
