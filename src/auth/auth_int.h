/*
 * auth_int.h - what the files of src/auth/ share (private to the module).
 */
#ifndef RBM_AUTH_AUTH_INT_H
#define RBM_AUTH_AUTH_INT_H

#include "auth.h"

/* 32 random bytes as 64 lowercase hex digits into out. */
void rbm_auth__random_hex(char out[RBM_AUTH_TOKEN_SIZE]);
/* The BLAKE2b-256 of s as 64 lowercase hex digits: how tokens are stored. */
void rbm_auth__token_hash(const char *s, char out[RBM_AUTH_TOKEN_SIZE]);
/* True when s is exactly n lowercase hex digits. */
bool rbm_auth__is_hex(const char *s, size_t n);
/* Initialises libsodium (idempotent); RBM_ESTORE-like failure is reported in d. */
enum rbm_rc rbm_auth__sodium(struct rbm_diag *d);

/*
 * Columns a users row is read with, for rbm_auth__read_user (user columns
 * from offset 0 in this order).
 */
#define RBM_AUTH__USER_COLS "u.name, u.role, u.office, u.region, u.created_at, u.disabled"
/* Fills *out from the row of q, reading RBM_AUTH__USER_COLS from column first. */
void rbm_auth__read_user(struct rbm_query *q, int first, struct rbm_user *out);

/* ---- sign-in throttling (throttle.c) ----
 *
 * Failed sign-ins are rows (key, at) of sign_in_attempts, where key is
 * "account:NAME" or "address:ADDRESS".
 */

/*
 * How many seconds from now until key has no more than max failures within
 * RBM_AUTH_THROTTLE_SECONDS, into *wait (0: it has no more than max now).
 */
enum rbm_rc rbm_auth__throttle_wait(struct rbm_store *s, const char *key, int max, long long now,
				    long long *wait, struct rbm_diag *d);
/* Records a failure of key at now (inside the caller's transaction). */
enum rbm_rc rbm_auth__throttle_fail(struct rbm_store *s, const char *key, long long now,
				    struct rbm_diag *d);
/* Forgets the failures of key. */
enum rbm_rc rbm_auth__throttle_clear(struct rbm_store *s, const char *key, struct rbm_diag *d);
/* Deletes failures older than the window and sessions expired by now. */
enum rbm_rc rbm_auth__prune(struct rbm_store *s, long long now, struct rbm_diag *d);

/* An audit event for who. */
void rbm_auth__event(struct rbm_audit_event *e, const struct rbm_actor *who, const char *action,
		     const char *object, const char *detail);

#endif
