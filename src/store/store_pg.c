/*
 * store_pg.c - the PostgreSQL storage back-end, on libpq.
 *
 * Selected by a URL that starts with postgres:// or postgresql://; libpq
 * parses the rest (user, password, host or socket folder, port, database,
 * parameters). One connection per store. Connecting retries a few times with
 * a short backoff while the server does not answer, then names where it tried;
 * a wrong password or a missing database is reported at once.
 *
 * Queries: '?' placeholders (and SQLite's '?NNN') become $1..$n and every
 * statement goes with its parameters apart from its text (PQsendQueryParams):
 * nothing is pasted into SQL. Rows come one per step (libpq's single-row
 * mode). When another statement needs the connection before all of a
 * statement's rows are read, the rest are read into memory first, so
 * statements interleave as they do on SQLite.
 *
 * Transactions: a write transaction first takes rbm's writer lock (a session
 * advisory lock; waits at most lock_timeout, 10 s), then runs at SERIALIZABLE.
 * The lock makes rbm's writers take turns, as SQLite's BEGIN IMMEDIATE does:
 * the audit log is one hash chain, so two writes can never interleave. The
 * isolation level catches anything else that writes meanwhile: a
 * serialization failure (40001) or a deadlock (40P01) becomes RBM_ECONFLICT,
 * "changed meanwhile; try again". A transaction that only reads (a plan)
 * runs at REPEATABLE READ, READ ONLY, without the lock. A connection lost
 * outside a transaction is made again on the next call; inside one, the
 * write fails whole, and the server has rolled it back.
 */
#include "store_int.h"
#include "store_pg_int.h"

#include "../core/alloc.h"
#include "../core/buf.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Type OIDs of results (catalog/pg_type_d.h is in the server's headers, not libpq's). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

/* The advisory lock rbm's writers take turns on ("rbm_writ" as a bigint). */
#define WRITER_LOCK "8242270524834736500"

/* Waits before connecting again while the server does not answer (ms). */
static const int retry_ms[] = {200, 600, 1800};
#define RETRIES ((int)(sizeof retry_ms / sizeof *retry_ms))

struct pg_stmt;
struct pg_bulk;

static enum rbm_rc copy_stop(struct pg_bulk *b, bool ok, struct rbm_diag *d);

struct pg {
	PGconn *conn;
	char *url;
	char *name;  /* the URL without its password, for messages */
	char *where; /* host:port (or socket folder:port) */
	int depth;   /* nesting of begin() */
	bool locked; /* holds the writer lock */
	bool failed; /* a statement failed inside the transaction: the server aborted it */
	struct pg_stmt *active; /* the statement whose rows are still coming */
	int piped;              /* writes sent in pipeline mode whose results are not read yet */
	PGresult *late_error;   /* the first of them that failed, reported at the next call */
	struct pg_bulk *copying; /* a COPY FROM STDIN in progress */
	struct pg_prep *prep;   /* the session's prepared statements (for pipelined writes) */
	size_t prep_len, prep_cap;
	unsigned prep_seq;
};

/* A statement prepared on the server for one SQL text and one set of parameter types. */
struct pg_prep {
	char *sql;
	Oid *types;
	int n;
	char name[24];
};

#define PREP_MAX 64

enum pg_state {
	ST_IDLE,   /* not sent */
	ST_STREAM, /* sent; rows come from the connection */
	ST_BUFFER, /* rows were read ahead into queue */
	ST_DONE    /* all rows read (the next step runs it again, as on SQLite) */
};

struct pg_stmt {
	struct pg *s;
	char *sql; /* with $n placeholders */
	int nparams;
	char **values;
	Oid *types;
	enum pg_state state;
	PGresult *row; /* the current row (a one-row result), or NULL */
	PGresult **queue;
	size_t queue_len, queue_cap, queue_pos;
	PGresult *error; /* what ended a read-ahead, reported in its turn */
	bool deferrable; /* INSERT, UPDATE or DELETE without RETURNING: returns no rows */
};

/* ---- messages ---- */

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq's message without "connection to server at ... failed: " or "FATAL:  ", one line. */
static char *clean_message(const char *m)
{
	if (m == NULL || *m == '\0')
		return rbm_xstrdup("no message from the server");
	const char *p = strstr(m, " failed: ");
	if (p && (size_t)(p - m) < (size_t)(strcspn(m, "\n")))
		m = p + 9;
	if (strncmp(m, "FATAL:  ", 8) == 0 || strncmp(m, "ERROR:  ", 8) == 0)
		m += 8;
	size_t n = strcspn(m, "\n");
	while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\r'))
		n--;
	char *out = rbm_xmalloc(n + 1);
	memcpy(out, m, n);
	out[n] = '\0';
	return out;
}

/* The URL with its password (user:PASSWORD@ or password=...) left out. */
static char *redact(const char *url)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	const char *p = strstr(url, "://");
	if (p == NULL) {
		rbm_buf_adds(&b, url);
		return rbm_buf_take(&b);
	}
	p += 3;
	rbm_buf_add(&b, url, (size_t)(p - url));
	size_t auth = strcspn(p, "/?");
	const char *at = NULL;
	for (size_t i = 0; i < auth; i++)
		if (p[i] == '@')
			at = p + i;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		rbm_buf_add(&b, p, (size_t)((colon ? colon : at) - p));
		p = at;
	}
	/* The rest, with any password= parameter's value hidden. */
	while (*p) {
		if ((p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0) {
			rbm_buf_adds(&b, "password=***");
			p += 9 + strcspn(p + 9, "&");
			continue;
		}
		rbm_buf_addc(&b, *p++);
	}
	return rbm_buf_take(&b);
}

static bool is_lost(struct pg *s)
{
	return s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK;
}

/*
 * Reports a failed result (or, with r NULL, the connection's error) and
 * returns its rc: a serialization failure or deadlock is a conflict to try
 * again, a constraint or a trigger's refusal a conflict, anything else a
 * store error.
 */
static enum rbm_rc fail(struct pg *s, const PGresult *r, const char *what, struct rbm_diag *d)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char *msg = clean_message(r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
					  ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
					  : PQerrorMessage(s->conn));
	enum rbm_rc rc = RBM_ESTORE;
	if (s->depth > 0)
		s->failed = true;
	if (is_lost(s)) {
		rbm_diag_add(d, NULL, NULL,
			     "lost the connection to the PostgreSQL server at %s%s%s: %s%s", s->where,
			     what ? " while " : "", what ? what : "", msg,
			     s->depth > 0 ? " (the change was not stored)" : "");
	} else if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) {
		rbm_diag_add(d, s->name, NULL, "the data changed meanwhile (%s); try again", msg);
		rc = RBM_ECONFLICT;
	} else if (state && strcmp(state, "55P03") == 0) {
		rbm_diag_add(d, s->name, NULL,
			     "the database stayed busy with another write (%s); try again", msg);
	} else {
		if (what)
			rbm_diag_add(d, s->name, NULL, "database error while %s: %s", what, msg);
		else
			rbm_diag_add(d, s->name, NULL, "database error: %s", msg);
		if (state && strncmp(state, "23", 2) == 0)
			rc = RBM_ECONFLICT;
	}
	free(msg);
	return rc;
}

/* ---- statements' rows ---- */

static void clear_rows(struct pg_stmt *st)
{
	PQclear(st->row);
	st->row = NULL;
	for (size_t i = st->queue_pos; i < st->queue_len; i++)
		PQclear(st->queue[i]);
	free(st->queue);
	st->queue = NULL;
	st->queue_len = st->queue_cap = st->queue_pos = 0;
	PQclear(st->error);
	st->error = NULL;
}

/* Reads the rest of the active statement's rows into its queue (or drops them). */
static void read_ahead(struct pg *s, bool keep)
{
	struct pg_stmt *st = s->active;
	if (st == NULL)
		return;
	PGresult *r;
	while ((r = PQgetResult(s->conn)) != NULL) {
		ExecStatusType t = PQresultStatus(r);
		if (keep && t == PGRES_SINGLE_TUPLE) {
			rbm_xgrow(&st->queue, &st->queue_cap, st->queue_len + 1, sizeof *st->queue);
			st->queue[st->queue_len++] = r;
		} else if (keep && st->error == NULL && t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK &&
			   t != PGRES_SINGLE_TUPLE) {
			st->error = r;
		} else {
			PQclear(r);
		}
	}
	st->state = keep ? ST_BUFFER : ST_DONE;
	s->active = NULL;
}

/*
 * Inside a transaction, a write that returns no rows is sent without
 * waiting for its answer (libpq's pipeline mode): its result is read with
 * the others at the next call that needs the connection, at the latest at
 * commit, where a failure fails the transaction whole. Imports and plans,
 * thousands of small INSERTs, then cost one round trip per batch instead of
 * one per row.
 */
#define PIPE_MAX 256 /* writes in flight at most (their answers must fit the socket's buffer) */

/* Forgets the prepared statements (after a failure, or on a new connection). */
static void prep_forget(struct pg *s)
{
	for (size_t i = 0; i < s->prep_len; i++) {
		free(s->prep[i].sql);
		free(s->prep[i].types);
	}
	s->prep_len = 0;
}

/* Reads the answers of the writes in flight; keeps the first failure for later. */
static void pipe_flush(struct pg *s)
{
	if (s->piped == 0)
		return;
	int left = s->piped;
	s->piped = 0;
	if (PQpipelineSync(s->conn)) {
		PGresult *r;
		while (left > 0) {
			r = PQgetResult(s->conn);
			if (r == NULL) {
				left--; /* the end of one write's results */
				if (is_lost(s))
					break;
				continue;
			}
			ExecStatusType t = PQresultStatus(r);
			if (t == PGRES_FATAL_ERROR && s->late_error == NULL)
				s->late_error = r;
			else
				PQclear(r);
		}
		while (!is_lost(s) && (r = PQgetResult(s->conn)) != NULL) {
			ExecStatusType t = PQresultStatus(r);
			PQclear(r);
			if (t == PGRES_PIPELINE_SYNC)
				break;
		}
	}
	PQexitPipelineMode(s->conn);
	if (s->late_error || is_lost(s)) {
		s->failed = s->depth > 0;
		prep_forget(s); /* a PREPARE in the batch may have failed too */
	}
}

/* Before a command that waits for its answer: the connection free, and any late failure told. */
static enum rbm_rc take(struct pg *s, struct rbm_diag *d)
{
	if (s->copying) {
		rbm_diag_add(d, s->name, NULL, "the connection is busy with a bulk insert");
		return RBM_ESTORE;
	}
	read_ahead(s, true);
	pipe_flush(s);
	if (s->late_error == NULL)
		return RBM_OK;
	PGresult *r = s->late_error;
	s->late_error = NULL;
	enum rbm_rc rc = fail(s, r, NULL, d);
	PQclear(r);
	return rc;
}

/* ---- connecting ---- */

static PGconn *connect_once(const char *url)
{
	/* Defaults first: the URL's own parameters override them. */
	static const char *const keys[] = {"connect_timeout", "application_name", "client_encoding",
					   "dbname", NULL};
	const char *values[] = {"10", "rbm", "UTF8", url, NULL};
	return PQconnectdbParams(keys, values, 1);
}

static PGPing ping_once(const char *url)
{
	static const char *const keys[] = {"connect_timeout", "dbname", NULL};
	const char *values[] = {"10", url, NULL};
	return PQpingParams(keys, values, 1);
}

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0)
		;
}

static void set_where(struct pg *s, PGconn *c)
{
	free(s->where);
	const char *host = PQhost(c), *port = PQport(c);
	s->where = rbm_xasprintf("%s:%s", host && *host ? host : "localhost",
				 port && *port ? port : "5432");
}

/* The session as rbm expects it: quiet notices, UTC, exact floats, bounded lock waits. */
static enum rbm_rc setup(struct pg *s, struct rbm_diag *d)
{
	PQsetNoticeProcessor(s->conn, quiet_notice, NULL);
	if (PQserverVersion(s->conn) < 110000) {
		rbm_diag_add(d, NULL, NULL,
			     "the PostgreSQL server at %s is version %d; rbm needs 11 or newer", s->where,
			     PQserverVersion(s->conn) / 10000);
		return RBM_EVERSION;
	}
	PGresult *r = PQexec(s->conn, "SET extra_float_digits = 1; SET lock_timeout = '10s'; "
				      "SET TIME ZONE 'UTC'");
	enum rbm_rc rc = RBM_OK;
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = fail(s, r, "setting up the session", d);
	PQclear(r);
	return rc;
}

/*
 * Connects (or, with an existing connection, connects again), trying again
 * after a short wait while the server does not answer or is starting.
 */
static enum rbm_rc connect_retry(struct pg *s, struct rbm_diag *d)
{
	if (s->conn)
		read_ahead(s, true); /* a statement cut short reports the loss in its turn */
	for (int attempt = 0;; attempt++) {
		PGconn *c = connect_once(s->url);
		set_where(s, c);
		if (PQstatus(c) == CONNECTION_OK) {
			PQfinish(s->conn);
			s->conn = c;
			s->locked = false;
			s->active = NULL;
			prep_forget(s);
			return setup(s, d);
		}
		PGPing ping = ping_once(s->url);
		bool away = ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT;
		if (!away || attempt == RETRIES) {
			char *msg = clean_message(PQerrorMessage(c));
			if (away)
				rbm_diag_add(d, NULL, NULL,
					     "cannot reach the PostgreSQL server at %s: %s (tried %d times)",
					     s->where, msg, attempt + 1);
			else if (strstr(msg, "does not exist") && strstr(msg, "database"))
				rbm_diag_add(d, NULL, NULL,
					     "cannot connect to the PostgreSQL server at %s: %s (create it "
					     "first, e.g. with createdb)",
					     s->where, msg);
			else
				rbm_diag_add(d, NULL, NULL,
					     "cannot connect to the PostgreSQL server at %s: %s", s->where,
					     msg);
			free(msg);
			PQfinish(c);
			return away ? RBM_ESTORE : RBM_EINVAL;
		}
		PQfinish(c);
		sleep_ms(retry_ms[attempt]);
	}
}

/*
 * Before a statement: a connection lost outside a transaction is made again.
 * Reading what waits on an idle connection first notices a server that
 * closed it meanwhile (restarted, or the session terminated).
 */
static enum rbm_rc ensure(struct pg *s, struct rbm_diag *d)
{
	/* Twice: once for the server's last words, once for the end of the stream. */
	for (int i = 0; i < 2 && s->depth == 0 && s->conn && s->active == NULL &&
			PQstatus(s->conn) == CONNECTION_OK;
	     i++)
		PQconsumeInput(s->conn);
	if (!is_lost(s))
		return RBM_OK;
	if (s->depth > 0) {
		s->failed = true;
		rbm_diag_add(d, NULL, NULL,
			     "lost the connection to the PostgreSQL server at %s (the change was not "
			     "stored)",
			     s->where);
		return RBM_ESTORE;
	}
	return connect_retry(s, d);
}

/* Runs SQL without parameters (one statement or several); the first error goes to d. */
static enum rbm_rc run(struct pg *s, const char *sql, const char *what, struct rbm_diag *d)
{
	enum rbm_rc rc = take(s, d);
	if (rc != RBM_OK)
		return rc;
	if (!PQsendQuery(s->conn, sql))
		return fail(s, NULL, what, d);
	PGresult *r, *err = NULL;
	while ((r = PQgetResult(s->conn)) != NULL) {
		ExecStatusType t = PQresultStatus(r);
		if (err == NULL && t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK &&
		    t != PGRES_EMPTY_QUERY)
			err = r;
		else
			PQclear(r);
	}
	if (err == NULL)
		return RBM_OK;
	rc = fail(s, err, what, d);
	PQclear(err);
	return rc;
}

/* ---- transactions ---- */

static void unlock_writers(struct pg *s)
{
	if (s->locked && !is_lost(s))
		run(s, "SELECT pg_advisory_unlock(" WRITER_LOCK ")", NULL, NULL);
	s->locked = false;
}

static enum rbm_rc pg_begin_as(struct pg *s, bool write, struct rbm_diag *d)
{
	if (s->depth > 0) {
		s->depth++;
		return RBM_OK;
	}
	enum rbm_rc rc = ensure(s, d);
	if (rc != RBM_OK)
		return rc;
	if (write) {
		rc = run(s, "SELECT pg_advisory_lock(" WRITER_LOCK ")",
			 "waiting for another rbm to finish writing", d);
		s->locked = rc == RBM_OK;
	}
	if (rc == RBM_OK)
		rc = run(s, write ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
				  : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			 "starting a transaction", d);
	if (rc != RBM_OK) {
		unlock_writers(s);
		return rc;
	}
	s->depth = 1;
	s->failed = false;
	return RBM_OK;
}

static enum rbm_rc pg_begin(void *impl, struct rbm_diag *d)
{
	return pg_begin_as(impl, true, d);
}

static enum rbm_rc pg_begin_read(void *impl, struct rbm_diag *d)
{
	return pg_begin_as(impl, false, d);
}

static void pg_rollback(void *impl)
{
	struct pg *s = impl;
	if (s->depth == 0)
		return;
	s->depth = 0;
	if (s->copying)
		copy_stop(s->copying, false, NULL);
	read_ahead(s, true);
	pipe_flush(s);
	PQclear(s->late_error); /* the write is undone anyway */
	s->late_error = NULL;
	s->failed = false;
	if (!is_lost(s))
		run(s, "ROLLBACK", NULL, NULL);
	unlock_writers(s);
}

static enum rbm_rc pg_commit(void *impl, struct rbm_diag *d)
{
	struct pg *s = impl;
	if (s->depth == 0) {
		rbm_diag_add(d, s->name, NULL, "the transaction was rolled back");
		return RBM_ESTORE;
	}
	if (--s->depth > 0)
		return RBM_OK;
	s->depth = 1; /* so that a failure here reads as one inside the transaction */
	enum rbm_rc rc = take(s, d); /* the writes in flight, and how they went */
	if (rc != RBM_OK) {
		/* told */
	} else if (s->failed) {
		rbm_diag_add(d, s->name, NULL, "the transaction was rolled back after an error");
		rc = RBM_ESTORE;
	} else if (is_lost(s)) {
		rbm_diag_add(d, NULL, NULL,
			     "lost the connection to the PostgreSQL server at %s (the change was not "
			     "stored)",
			     s->where);
		rc = RBM_ESTORE;
	} else {
		PGresult *r = PQexec(s->conn, "COMMIT");
		if (PQresultStatus(r) != PGRES_COMMAND_OK && is_lost(s)) {
			/* The COMMIT may have reached the server before the connection went. */
			rbm_diag_add(d, NULL, NULL,
				     "lost the connection to the PostgreSQL server at %s while committing: "
				     "the change may or may not be stored; look before trying again",
				     s->where);
			rc = RBM_ESTORE;
		} else if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = fail(s, r, "committing", d);
		else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
			rbm_diag_add(d, s->name, NULL, "the transaction was rolled back");
			rc = RBM_ESTORE;
		}
		PQclear(r);
	}
	s->depth = 0;
	if (rc != RBM_OK && !is_lost(s))
		run(s, "ROLLBACK", NULL, NULL);
	s->failed = false;
	unlock_writers(s);
	return rc;
}

/* ---- statements ---- */

/* Rewrites '?' and '?NNN' outside quotes and comments as $n; returns the highest n. */
static char *rewrite(const char *sql, int *nparams)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	int max = 0;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			const char *e = p + 1;
			while (*e && !(*e == q && e[1] != q))
				e += *e == q ? 2 : 1;
			if (*e)
				e++;
			rbm_buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '-' && p[1] == '-') {
			size_t n = strcspn(p, "\n");
			rbm_buf_add(&b, p, n);
			p += n;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			e = e ? e + 2 : p + strlen(p);
			rbm_buf_add(&b, p, (size_t)(e - p));
			p = e;
		} else if (*p == '?') {
			int n = 0;
			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9' && n < 100000)
					n = n * 10 + (*p++ - '0');
			} else {
				n = max + 1;
			}
			if (n > max)
				max = n;
			rbm_buf_addf(&b, "$%d", n);
		} else {
			rbm_buf_addc(&b, *p++);
		}
	}
	*nparams = max;
	return rbm_buf_take(&b);
}

/* True for an INSERT, UPDATE or DELETE without RETURNING (a write that returns no rows). */
static bool returns_nothing(const char *sql)
{
	sql += strspn(sql, " \t\r\n");
	bool write = strncasecmp(sql, "INSERT", 6) == 0 || strncasecmp(sql, "UPDATE", 6) == 0 ||
		     strncasecmp(sql, "DELETE", 6) == 0;
	if (!write)
		return false;
	for (const char *p = sql; *p; p++)
		if ((*p == 'R' || *p == 'r') && strncasecmp(p, "RETURNING", 9) == 0)
			return false;
	return true;
}

static enum rbm_rc pg_prepare(void *impl, const char *sql, void **out, struct rbm_diag *d)
{
	(void)d;
	struct pg_stmt *st = rbm_xcalloc(1, sizeof *st);
	st->s = impl;
	st->sql = rewrite(sql, &st->nparams);
	st->deferrable = returns_nothing(sql);
	st->values = rbm_xcalloc((size_t)st->nparams + 1, sizeof *st->values);
	st->types = rbm_xcalloc((size_t)st->nparams + 1, sizeof *st->types);
	*out = st;
	return RBM_OK;
}

static void clear_bindings(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->types[i] = 0;
	}
}

static void pg_reset(void *stmt)
{
	struct pg_stmt *st = stmt;
	if (st->s->active == st)
		read_ahead(st->s, false);
	clear_rows(st);
	clear_bindings(st);
	st->state = ST_IDLE;
}

static void pg_finalize(void *stmt)
{
	struct pg_stmt *st = stmt;
	if (st == NULL)
		return;
	pg_reset(st);
	free(st->values);
	free(st->types);
	free(st->sql);
	free(st);
}

static void bind(struct pg_stmt *st, int i, char *v, Oid type)
{
	if (i < 1 || i > st->nparams) {
		free(v);
		return;
	}
	free(st->values[i - 1]);
	st->values[i - 1] = v;
	st->types[i - 1] = type;
}

static void pg_bind_int(void *stmt, int i, long long v)
{
	bind(stmt, i, rbm_xasprintf("%lld", v), OID_INT8);
}

static void pg_bind_double(void *stmt, int i, double v)
{
	char *s;
	if (isnan(v))
		s = rbm_xstrdup("NaN");
	else if (isinf(v))
		s = rbm_xstrdup(v > 0 ? "Infinity" : "-Infinity");
	else
		s = rbm_xasprintf("%.17g", v);
	bind(stmt, i, s, OID_FLOAT8);
}

/* Text goes untyped, like a quoted literal: the server infers its type from where it is used. */
static void pg_bind_text(void *stmt, int i, const char *v)
{
	bind(stmt, i, v ? rbm_xstrdup(v) : NULL, 0);
}

/*
 * The name of st's statement prepared on the server, preparing it (in the
 * pipeline) the first time; NULL when the cache is full.
 */
static const char *prepared(struct pg *s, struct pg_stmt *st)
{
	size_t n = (size_t)st->nparams;
	for (size_t i = 0; i < s->prep_len; i++) {
		struct pg_prep *p = &s->prep[i];
		if (p->n == st->nparams && strcmp(p->sql, st->sql) == 0 &&
		    (n == 0 || memcmp(p->types, st->types, n * sizeof *p->types) == 0))
			return p->name;
	}
	if (s->prep_len == PREP_MAX)
		return NULL;
	rbm_xgrow(&s->prep, &s->prep_cap, s->prep_len + 1, sizeof *s->prep);
	struct pg_prep *p = &s->prep[s->prep_len];
	snprintf(p->name, sizeof p->name, "rbm_%u", ++s->prep_seq);
	if (!PQsendPrepare(s->conn, p->name, st->sql, st->nparams, st->types))
		return NULL;
	s->piped++;
	p->sql = rbm_xstrdup(st->sql);
	p->types = rbm_xcalloc(n + 1, sizeof *p->types);
	if (n)
		memcpy(p->types, st->types, n * sizeof *p->types);
	p->n = st->nparams;
	s->prep_len++;
	return p->name;
}

/* Sends a write that returns no rows without waiting for its answer (see pipe_flush). */
static enum rbm_rc send_deferred(struct pg *s, struct pg_stmt *st, struct rbm_diag *d)
{
	read_ahead(s, true);
	if (s->late_error || s->piped >= PIPE_MAX) {
		enum rbm_rc rc = take(s, d);
		if (rc != RBM_OK)
			return rc;
	}
	if (s->piped == 0 && !PQenterPipelineMode(s->conn))
		return fail(s, NULL, NULL, d);
	const char *name = prepared(s, st);
	if (!(name ? PQsendQueryPrepared(s->conn, name, st->nparams, (const char *const *)st->values,
					 NULL, NULL, 0)
		   : PQsendQueryParams(s->conn, st->sql, st->nparams, st->types,
				       (const char *const *)st->values, NULL, NULL, 0))) {
		enum rbm_rc rc = fail(s, NULL, NULL, d);
		pipe_flush(s);
		return rc;
	}
	s->piped++;
	st->state = ST_DONE;
	return RBM_ENOENT;
}

static enum rbm_rc send_stmt(struct pg *s, struct pg_stmt *st, struct rbm_diag *d)
{
	enum rbm_rc rc = ensure(s, d);
	if (rc != RBM_OK)
		return rc;
	if (st->deferrable && s->depth > 0 && !s->failed)
		return send_deferred(s, st, d);
	if ((rc = take(s, d)) != RBM_OK)
		return rc;
	if (!PQsendQueryParams(s->conn, st->sql, st->nparams, st->types,
			       (const char *const *)st->values, NULL, NULL, 0))
		return fail(s, NULL, NULL, d);
	PQsetSingleRowMode(s->conn);
	st->state = ST_STREAM;
	s->active = st;
	return RBM_OK;
}

static enum rbm_rc pg_step(void *impl, void *stmt, struct rbm_diag *d)
{
	struct pg *s = impl;
	struct pg_stmt *st = stmt;
	PQclear(st->row);
	st->row = NULL;
	if (st->state == ST_DONE) {
		clear_rows(st);
		st->state = ST_IDLE;
	}
	if (st->state == ST_IDLE) {
		enum rbm_rc rc = send_stmt(s, st, d);
		if (rc != RBM_OK)
			return rc;
	}
	if (st->state == ST_BUFFER) {
		if (st->queue_pos < st->queue_len) {
			st->row = st->queue[st->queue_pos++];
			return RBM_OK;
		}
		enum rbm_rc rc = RBM_ENOENT;
		if (st->error)
			rc = fail(s, st->error, NULL, d);
		clear_rows(st);
		st->state = ST_DONE;
		return rc;
	}
	PGresult *r = PQgetResult(s->conn);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_COMMAND_OK;
	if (t == PGRES_SINGLE_TUPLE) {
		st->row = r;
		return RBM_OK;
	}
	read_ahead(s, false); /* the end: read up to the connection's next turn */
	enum rbm_rc rc = RBM_ENOENT;
	if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && t != PGRES_EMPTY_QUERY)
		rc = fail(s, r, NULL, d);
	PQclear(r);
	return rc;
}

static const char *cell(struct pg_stmt *st, int col)
{
	if (st->row == NULL || col < 0 || col >= PQnfields(st->row) || PQgetisnull(st->row, 0, col))
		return NULL;
	return PQgetvalue(st->row, 0, col);
}

static long long pg_col_int(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	const char *v = cell(st, col);
	if (v == NULL)
		return 0;
	Oid t = PQftype(st->row, col);
	if (t == OID_BOOL)
		return v[0] == 't';
	if (t == OID_FLOAT4 || t == OID_FLOAT8 || t == OID_NUMERIC)
		return (long long)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_col_double(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	const char *v = cell(st, col);
	if (v == NULL)
		return 0;
	if (PQftype(st->row, col) == OID_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

static const char *pg_col_text(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	const char *v = cell(st, col);
	if (v && PQftype(st->row, col) == OID_BOOL)
		return v[0] == 't' ? "1" : "0"; /* as SQLite, which has no booleans */
	return v;
}

static bool pg_col_is_null(void *stmt, int col)
{
	return cell(stmt, col) == NULL;
}

static int pg_col_count(void *stmt)
{
	struct pg_stmt *st = stmt;
	return st->row ? PQnfields(st->row) : 0;
}

static const char *pg_col_name(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	if (st->row == NULL || col < 0 || col >= PQnfields(st->row))
		return NULL;
	return PQfname(st->row, col);
}

static enum rbm_col_kind pg_col_kind(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	if (cell(st, col) == NULL)
		return RBM_COL_NULL;
	switch (PQftype(st->row, col)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return RBM_COL_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return RBM_COL_DOUBLE;
	default:
		return RBM_COL_TEXT;
	}
}

/*
 * lastval(): the id the session's last INSERT drew from a sequence. Inside a
 * transaction it runs under a savepoint, since an error (no INSERT yet) would
 * otherwise abort the whole transaction.
 */
static long long pg_last_id(void *impl)
{
	struct pg *s = impl;
	read_ahead(s, true);
	pipe_flush(s);
	if (is_lost(s) || s->failed || s->late_error)
		return 0;
	bool tx = s->depth > 0;
	if (!PQsendQuery(s->conn, tx ? "SAVEPOINT rbm_last_id; SELECT lastval(); "
				       "RELEASE SAVEPOINT rbm_last_id"
				     : "SELECT lastval()"))
		return 0;
	long long id = 0;
	bool bad = false;
	PGresult *r;
	while ((r = PQgetResult(s->conn)) != NULL) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_TUPLES_OK && PQntuples(r) == 1)
			id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		else if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
			bad = true;
		PQclear(r);
	}
	if (bad && tx)
		run(s, "ROLLBACK TO SAVEPOINT rbm_last_id; RELEASE SAVEPOINT rbm_last_id", NULL, NULL);
	return bad ? 0 : id;
}

/* ---- bulk inserts: COPY ... FROM STDIN ---- */

#define COPY_CHUNK 65536 /* bytes of rows sent at once */

struct pg_bulk {
	struct pg *s;
	int n;
	bool ended; /* the COPY is over (a rollback may end it before its owner does) */
	struct rbm_buf rows; /* rows in COPY's text format, not sent yet */
};

static enum rbm_rc pg_bulk_begin(void *impl, const char *table, const char *const *cols, int n,
				 void **out, struct rbm_diag *d)
{
	struct pg *s = impl;
	enum rbm_rc rc = ensure(s, d);
	if (rc == RBM_OK)
		rc = take(s, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_buf sql;
	rbm_buf_init(&sql, 0);
	rbm_buf_addf(&sql, "COPY %s (", table);
	for (int i = 0; i < n; i++)
		rbm_buf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
	rbm_buf_adds(&sql, ") FROM STDIN");
	PGresult *r = PQexec(s->conn, rbm_buf_str(&sql));
	rbm_buf_free(&sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = fail(s, r, "starting a bulk insert", d);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	struct pg_bulk *b = rbm_xcalloc(1, sizeof *b);
	b->s = s;
	b->n = n;
	rbm_buf_init(&b->rows, 0);
	s->copying = b;
	*out = b;
	return RBM_OK;
}

static enum rbm_rc bulk_send(struct pg_bulk *b, struct rbm_diag *d)
{
	struct pg *s = b->s;
	if (b->rows.len > 0 && PQputCopyData(s->conn, b->rows.data, (int)b->rows.len) != 1)
		return fail(s, NULL, "sending rows", d);
	rbm_buf_reset(&b->rows);
	return RBM_OK;
}

/* One row in COPY's text format: tab-separated, \N for NULL, backslashes escaped. */
static enum rbm_rc pg_bulk_row(void *bulk, const char *const *values, struct rbm_diag *d)
{
	struct pg_bulk *b = bulk;
	for (int i = 0; i < b->n; i++) {
		if (i)
			rbm_buf_addc(&b->rows, '\t');
		const char *v = values[i];
		if (v == NULL) {
			rbm_buf_adds(&b->rows, "\\N");
			continue;
		}
		for (const char *p = v; *p; p++) {
			switch (*p) {
			case '\\': rbm_buf_adds(&b->rows, "\\\\"); break;
			case '\t': rbm_buf_adds(&b->rows, "\\t"); break;
			case '\n': rbm_buf_adds(&b->rows, "\\n"); break;
			case '\r': rbm_buf_adds(&b->rows, "\\r"); break;
			default: rbm_buf_addc(&b->rows, *p);
			}
		}
	}
	if (rbm_buf_addc(&b->rows, '\n') != RBM_OK) {
		rbm_diag_add(d, b->s->name, NULL, "a row too large for a bulk insert");
		return RBM_ETOOBIG;
	}
	return b->rows.len >= COPY_CHUNK ? bulk_send(b, d) : RBM_OK;
}

/* Ends the COPY: sends what is left (ok) or abandons it; the server's verdict is rc. */
static enum rbm_rc copy_stop(struct pg_bulk *b, bool ok, struct rbm_diag *d)
{
	struct pg *s = b->s;
	enum rbm_rc rc = RBM_OK;
	if (ok)
		rc = bulk_send(b, d);
	if (!is_lost(s)) {
		if (PQputCopyEnd(s->conn, ok && rc == RBM_OK ? NULL : "abandoned by rbm") != 1 && rc == RBM_OK)
			rc = fail(s, NULL, "ending a bulk insert", d);
		PGresult *r;
		while ((r = PQgetResult(s->conn)) != NULL) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == RBM_OK && ok)
				rc = fail(s, r, NULL, d);
			PQclear(r);
		}
	} else if (rc == RBM_OK && ok) {
		rc = fail(s, NULL, NULL, d);
	}
	if ((!ok || rc != RBM_OK) && s->depth > 0)
		s->failed = true;
	s->copying = NULL;
	b->ended = true;
	return rc;
}

static enum rbm_rc pg_bulk_end(void *bulk, bool ok, struct rbm_diag *d)
{
	struct pg_bulk *b = bulk;
	enum rbm_rc rc = RBM_OK;
	if (!b->ended)
		rc = copy_stop(b, ok, d);
	else if (ok) {
		rbm_diag_add(d, b->s->name, NULL, "the transaction was rolled back");
		rc = RBM_ESTORE;
	}
	rbm_buf_free(&b->rows);
	free(b);
	return rc;
}

/* Identity columns continue after the largest id copied in (table: one of rbm's own). */
static enum rbm_rc pg_sync_ids(void *impl, const char *table, struct rbm_diag *d)
{
	struct pg *s = impl;
	char *sql = rbm_xasprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), "
				  "coalesce((SELECT max(id) FROM %s), 0) + 1, false)",
				  table, table);
	enum rbm_rc rc = run(s, sql, "setting where new ids start", d);
	free(sql);
	return rc;
}

/* ---- schema ---- */

static enum rbm_rc query_int(struct pg *s, const char *sql, long long *out, struct rbm_diag *d)
{
	enum rbm_rc rc = take(s, d);
	if (rc != RBM_OK)
		return rc;
	PGresult *r = PQexec(s->conn, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || PQnfields(r) != 1)
		rc = fail(s, r, "reading the schema version", d);
	else
		*out = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return rc;
}

static enum rbm_rc pg_schema_version(void *impl, int *out, struct rbm_diag *d)
{
	struct pg *s = impl;
	enum rbm_rc rc = ensure(s, d);
	long long has = 0, v = 0;
	if (rc == RBM_OK)
		rc = query_int(s, "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
				  "schemaname = current_schema() AND tablename = 'schema_migrations'",
			       &has, d);
	if (rc == RBM_OK && has)
		rc = query_int(s, "SELECT coalesce(max(version), 0) FROM schema_migrations", &v, d);
	if (rc == RBM_OK)
		*out = (int)v;
	return rc;
}

static enum rbm_rc newer(struct pg *s, int version, struct rbm_diag *d)
{
	rbm_diag_add(d, s->name, NULL,
		     "the database has schema version %d, newer than this rbm knows (%d); "
		     "use a newer rbm",
		     version, RBM_STORE__SCHEMA_LATEST);
	return RBM_EVERSION;
}

static enum rbm_rc pg_migrate(void *impl, int target, struct rbm_diag *d)
{
	struct pg *s = impl;
	int latest = RBM_STORE__SCHEMA_LATEST;
	if (target <= 0)
		target = latest;
	if (target > latest) {
		rbm_diag_add(d, s->name, NULL, "schema version %d is unknown (latest is %d)", target,
			     latest);
		return RBM_EINVAL;
	}
	enum rbm_rc rc = pg_begin_as(s, true, d);
	if (rc != RBM_OK)
		return rc;
	int version = 0;
	rc = pg_schema_version(s, &version, d);
	if (rc == RBM_OK && version > latest)
		rc = newer(s, version, d);
	for (size_t i = 0; rc == RBM_OK && i < rbm_store__pg_migrations_len; i++) {
		const struct rbm_store__pg_migration *m = &rbm_store__pg_migrations[i];
		if (m->version <= version || m->version > target)
			continue;
		char what[64];
		snprintf(what, sizeof what, "applying migration %d", m->version);
		for (const char *const *sql = m->sql; rc == RBM_OK && *sql; sql++)
			rc = run(s, *sql, what, d);
		if (rc != RBM_OK)
			break;
		char v[16];
		snprintf(v, sizeof v, "%d", m->version);
		const char *params[] = {v, m->description};
		PGresult *r = PQexecParams(s->conn,
					   "INSERT INTO schema_migrations(version, description) "
					   "VALUES ($1, $2)",
					   2, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = fail(s, r, what, d);
		PQclear(r);
	}
	if (rc == RBM_OK)
		return pg_commit(s, d);
	pg_rollback(s);
	return rc;
}

/* ---- open and close ---- */

static void pg_close(void *impl)
{
	struct pg *s = impl;
	if (s == NULL)
		return;
	if (s->depth > 0)
		pg_rollback(s);
	PQclear(s->late_error);
	prep_forget(s);
	free(s->prep);
	PQfinish(s->conn);
	free(s->url);
	free(s->name);
	free(s->where);
	free(s);
}

static const char *pg_display(void *impl)
{
	return ((struct pg *)impl)->name;
}

static enum rbm_rc pg_open(const char *url, int flags, void **impl, struct rbm_diag *d)
{
	struct pg *s = rbm_xcalloc(1, sizeof *s);
	s->url = rbm_xstrdup(url);
	s->name = redact(url);
	s->where = rbm_xstrdup("?");
	enum rbm_rc rc = RBM_OK;
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &err);
	if (opts == NULL) {
		char *msg = clean_message(err);
		rbm_diag_add(d, s->name, NULL, "not a valid PostgreSQL URL: %s", msg);
		free(msg);
		PQfreemem(err);
		rc = RBM_EINVAL;
		goto out;
	}
	/* libpq checks ports only when connecting, which would look like a server away. */
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "port") == 0 && o->val && o->val[strspn(o->val, "0123456789,")]) {
			rbm_diag_add(d, s->name, NULL, "not a valid PostgreSQL URL: the port \"%s\" is not a number",
				     o->val);
			rc = RBM_EINVAL;
		}
	PQconninfoFree(opts);
	if (rc != RBM_OK)
		goto out;
	if ((rc = connect_retry(s, d)) != RBM_OK)
		goto out;
	int version = 0;
	if ((rc = pg_schema_version(s, &version, d)) != RBM_OK)
		goto out;
	if (version > RBM_STORE__SCHEMA_LATEST) {
		rc = newer(s, version, d);
		goto out;
	}
	if (version == 0 && !(flags & (RBM_STORE_CREATE | RBM_STORE_NO_MIGRATE))) {
		rbm_diag_add(d, s->name, NULL,
			     "the database holds no rbm data yet (create it with 'rbm init --db URL')");
		rc = RBM_ENOENT;
		goto out;
	}
	if (!(flags & RBM_STORE_NO_MIGRATE) && version < RBM_STORE__SCHEMA_LATEST &&
	    (rc = pg_migrate(s, 0, d)) != RBM_OK)
		goto out;
	*impl = s;
	s = NULL;
out:
	pg_close(s);
	return rc;
}

const struct rbm_store_ops rbm_store__pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.migrate = pg_migrate,
	.display = pg_display,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.reset = pg_reset,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_is_null = pg_col_is_null,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_kind = pg_col_kind,
	.last_id = pg_last_id,
	.sync_ids = pg_sync_ids,
	.bulk_begin = pg_bulk_begin,
	.bulk_row = pg_bulk_row,
	.bulk_end = pg_bulk_end,
};
