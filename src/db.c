/*
 * db.c - the libpq connection pool and the named-statement runner behind db.h.
 *
 * The pool's counters and its idle list live under one mutex, with one
 * condition variable that is signalled whenever a connection or a free slot
 * comes back. Connecting, health checks, queries and closing all happen
 * outside the mutex, on a connection that one thread owns. Every libpq failure
 * is classified here into an enum err and logged here, once, with the
 * SQLSTATE. This file does not retry queries (callers decide), does not age,
 * trim or pre-open connections, and knows nothing of medley's schema
 * (migrate.c and cache.c own that).
 */
#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "medley/clock.h"
#include "medley/db.h"
#include "medley/log.h"
#include "medley/metrics.h"
#include "medley/xalloc.h"

/* After a failed connect, how long callers fail fast before the next attempt. */
#define DB_DOWN_RETRY_US 250000

/* Longest libpq error text kept for a log line; the rest is cut. */
#define DB_ERRMSG_MAX 512

struct db_conn {
	PGconn *pg;
	struct db_conn *next;		 /* idle list link, NULL while in use */
	const struct db_stmt **prepared; /* statements prepared in this session */
	size_t nprepared;
	size_t prepared_alloc;
	bool broken;  /* lost or unusable: db_release() closes it */
	bool unnamed; /* transaction pooling: never prepare by name */
};

struct db_result {
	PGresult *res;
};

struct db_pool {
	pthread_mutex_t mu;
	pthread_cond_t freed; /* a connection or a slot came back (CLOCK_MONOTONIC) */
	struct db_conn *idle; /* LIFO, so warm connections are reused first */
	int open;	      /* idle + in_use */
	int opening;	      /* slots held by connection attempts in progress */
	int in_use;
	int waiting;
	uint64_t connect_errors_total;
	char last_error[DB_ERRMSG_MAX]; /* last connect failure logged; "" when connected */
	int64_t down_until_us;		/* after a failed connect: fail fast until then */

	/* Set by db_pool_new(), read-only afterwards. */
	int size;
	int acquire_timeout_ms;
	char *url;
	char *app_name;
	char connect_timeout_s[16];
	char statement_timeout_ms[16];
	bool transaction_pooling; /* no prepared statements, no session settings */
};

/*
 * Every session sets its statement_timeout with one parameterized query after
 * connecting, rather than with options=-c... in the conninfo, so that an
 * "options" setting in database.url or PGOPTIONS is not silently replaced.
 * PgBouncer in transaction mode keeps neither session settings nor prepared
 * statements across transactions: with database.transaction_pooling every
 * db_exec() sends its SQL as an unnamed statement (parse, bind and execute
 * in one round trip, which PgBouncer keeps on one server connection) and no
 * session setting is made (the operator puts statement_timeout on the role;
 * docs/operations.md).
 */
static const char session_sql[] = "SELECT set_config('statement_timeout', $1, false)";

static const struct db_stmt stmt_ping = {"db_ping", "SELECT 1", 0};

/* pthread calls that only fail on programmer error or exhaustion: stop, like xalloc. */
static void must(int rc, const char *what)
{
	if (rc != 0) {
		log_error("%s failed: %s", what, strerror(rc));
		abort();
	}
}

static void pool_lock(struct db_pool *pool)
{
	must(pthread_mutex_lock(&pool->mu), "pthread_mutex_lock");
}

static void pool_unlock(struct db_pool *pool)
{
	must(pthread_mutex_unlock(&pool->mu), "pthread_mutex_unlock");
}

/* Copy a libpq message into out on one line: whitespace runs become one space. */
static void copy_errmsg(char *out, size_t size, const char *msg)
{
	size_t n = 0;
	bool space = true; /* drops leading whitespace */

	assert(size > 0);
	for (const char *p = msg ? msg : ""; *p && n + 1 < size; p++) {
		bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';

		if (ws && space)
			continue;
		out[n++] = ws ? ' ' : *p;
		space = ws;
	}
	if (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* ---- pool lifecycle ------------------------------------------------------- */

/* Parse the URL once up front, so that a connect never reports a syntax error. */
static enum err check_config(const struct config_database *cfg)
{
	PQconninfoOption *opts = NULL;
	char *errmsg = NULL;

	if (cfg->pool_size < 1 || cfg->connect_timeout_ms < 0 || cfg->statement_timeout_ms < 0 ||
	    cfg->acquire_timeout_ms < 0) {
		log_error("cannot create database pool: pool_size must be >= 1 and timeouts >= 0");
		return ERR_CONFIG;
	}
	if (!cfg->url || cfg->url[0] == '\0')
		return ERR_OK;
	opts = PQconninfoParse(cfg->url, &errmsg);
	if (!opts) {
		/* libpq's message may quote part of the URL, password included: not logged. */
		log_error("cannot parse database.url as a libpq URI or key=value string");
		PQfreemem(errmsg);
		return ERR_CONFIG;
	}
	PQconninfoFree(opts);
	return ERR_OK;
}

/* libpq's connect_timeout is in whole seconds, and 0 would mean forever. */
static int round_up_s(int ms)
{
	int s = ms / 1000 + (ms % 1000 != 0);

	return s < 1 ? 1 : s;
}

enum err db_pool_new(const struct config_database *cfg, const char *application_name,
		     struct db_pool **out)
{
	struct db_pool *pool = NULL;
	pthread_condattr_t ca;
	enum err e;

	*out = NULL;
	e = check_config(cfg);
	if (e)
		return e;
	pool = xcalloc(1, sizeof(*pool));
	must(pthread_mutex_init(&pool->mu, NULL), "pthread_mutex_init");
	must(pthread_condattr_init(&ca), "pthread_condattr_init");
	must(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), "pthread_condattr_setclock");
	must(pthread_cond_init(&pool->freed, &ca), "pthread_cond_init");
	pthread_condattr_destroy(&ca);
	pool->size = cfg->pool_size;
	pool->acquire_timeout_ms = cfg->acquire_timeout_ms;
	pool->url = xstrdup(cfg->url ? cfg->url : "");
	pool->app_name = xstrdup(application_name);
	snprintf(pool->connect_timeout_s, sizeof(pool->connect_timeout_s), "%d",
		 round_up_s(cfg->connect_timeout_ms));
	snprintf(pool->statement_timeout_ms, sizeof(pool->statement_timeout_ms), "%d",
		 cfg->statement_timeout_ms);
	pool->transaction_pooling = cfg->transaction_pooling;
	*out = pool;
	return ERR_OK;
}

static void conn_close(struct db_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	xfree(c->prepared);
	xfree(c);
}

void db_pool_free(struct db_pool *pool)
{
	struct db_conn *c, *next;

	if (!pool)
		return;
	assert(pool->in_use == 0 && pool->opening == 0 && pool->waiting == 0);
	for (c = pool->idle; c; c = next) {
		next = c->next;
		conn_close(c);
	}
	pthread_cond_destroy(&pool->freed);
	pthread_mutex_destroy(&pool->mu);
	xfree(pool->url);
	xfree(pool->app_name);
	xfree(pool);
}

/* ---- connections ---------------------------------------------------------- */

/* Server messages (NOTICE, WARNING, and errors sent to an idle session). */
static void on_notice(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	bool warning = sev && strcmp(sev, "WARNING") == 0;
	struct log_line l;

	(void)arg;
	if (!log_begin(&l, warning ? LOG_WARN : LOG_DEBUG, "database notice"))
		return;
	log_str(&l, "severity", sev ? sev : "");
	log_str(&l, "sqlstate", state ? state : "");
	log_str(&l, "notice", msg ? msg : "");
	log_end(&l);
}

/* Apply the session settings; on failure fill errmsg. */
static enum err session_setup(struct db_pool *pool, PGconn *pg, char *errmsg, size_t size)
{
	const char *const params[] = {pool->statement_timeout_ms};
	PGresult *res;
	enum err e = ERR_OK;

	res = PQexecParams(pg, session_sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		copy_errmsg(errmsg, size, PQerrorMessage(pg));
		e = ERR_DB_UNAVAILABLE;
	}
	PQclear(res);
	return e;
}

/*
 * Open one connection (blocking up to connect_timeout). On failure fills
 * errmsg with libpq's message, which names host, port and user but never the
 * password.
 */
static enum err conn_open(struct db_pool *pool, struct db_conn **out, char *errmsg, size_t size)
{
	/* application_name before dbname, so the URL may override it; the rest after it, so
	 * the configuration wins. expand_dbname=1 reads dbname as a URI or key=value string. */
	const char *const keys[] = {"application_name", "dbname", "connect_timeout",
				    "client_encoding", NULL};
	const char *const vals[] = {pool->app_name, pool->url, pool->connect_timeout_s, "UTF8",
				    NULL};
	struct db_conn *c = NULL;
	PGconn *pg = NULL;
	enum err e = ERR_OK;

	*out = NULL;
	pg = PQconnectdbParams(keys, vals, 1);
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		copy_errmsg(errmsg, size, pg ? PQerrorMessage(pg) : "out of memory");
		e = ERR_DB_UNAVAILABLE;
		goto out;
	}
	PQsetNoticeReceiver(pg, on_notice, NULL);
	if (!pool->transaction_pooling) {
		e = session_setup(pool, pg, errmsg, size);
		if (e)
			goto out;
	}
	c = xcalloc(1, sizeof(*c));
	c->pg = pg;
	c->unnamed = pool->transaction_pooling;
	pg = NULL;
	*out = c;
out:
	PQfinish(pg);
	return e;
}

/*
 * True if an idle connection still looks usable. Reads whatever the server
 * sent while it sat idle: when the server shut down or restarted, that is a
 * FATAL message (passed to on_notice) followed by EOF, which libpq turns into
 * CONNECTION_BAD. Costs one poll() when nothing arrived.
 */
static bool conn_alive(struct db_conn *c)
{
	struct pollfd pfd = {.fd = PQsocket(c->pg), .events = POLLIN};

	if (c->broken || pfd.fd < 0 || PQstatus(c->pg) != CONNECTION_OK)
		return false;
	for (int i = 0; i < 8; i++) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(c->pg))
			break;
		(void)PQisBusy(c->pg); /* parses what arrived: notices, errors, EOF */
	}
	return PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) == PQTRANS_IDLE;
}

/* Close a connection that was counted in use and give its slot back. */
static void pool_drop(struct db_pool *pool, struct db_conn *c)
{
	conn_close(c);
	pool_lock(pool);
	pool->open--;
	pool->in_use--;
	pthread_cond_signal(&pool->freed);
	pool_unlock(pool);
}

/* ---- acquire and release -------------------------------------------------- */

static void log_pool_timeout(const struct db_pool *pool, int in_use, int waiting)
{
	struct log_line l;

	if (!log_begin(&l, LOG_WARN, "database pool exhausted"))
		return;
	log_int(&l, "pool_size", pool->size);
	log_int(&l, "in_use", in_use);
	log_int(&l, "waiting", waiting);
	log_int(&l, "acquire_timeout_ms", pool->acquire_timeout_ms);
	log_end(&l);
}

/*
 * Wait until the pool has an idle connection (returned in *idle, counted in
 * use) or a free slot (reserved in opening, *idle NULL), or until deadline.
 */
static enum err pool_reserve(struct db_pool *pool, const struct timespec *deadline,
			     struct db_conn **idle)
{
	enum err e = ERR_OK;
	int in_use, waiting, rc = 0;

	*idle = NULL;
	pool_lock(pool);
	for (;;) {
		if (pool->idle) {
			*idle = pool->idle;
			pool->idle = (*idle)->next;
			(*idle)->next = NULL;
			pool->in_use++;
			break;
		}
		if (pool->open + pool->opening < pool->size) {
			/*
			 * Down, or not known to be up (no connection works yet):
			 * one connection attempt at a time, and after a failure at
			 * most every DB_DOWN_RETRY_US; the others fail fast instead
			 * of each waiting out a connect timeout on a hung host.
			 */
			bool unproven = pool->last_error[0] || pool->open == 0;

			if ((unproven && pool->opening > 0) ||
			    (pool->last_error[0] && clock_mono_us() < pool->down_until_us)) {
				e = ERR_DB_UNAVAILABLE;
				break;
			}
			pool->opening++;
			break;
		}
		if (rc == ETIMEDOUT) {
			e = ERR_DB_POOL_TIMEOUT;
			break;
		}
		pool->waiting++;
		rc = pthread_cond_timedwait(&pool->freed, &pool->mu, deadline);
		pool->waiting--;
		if (rc != 0 && rc != ETIMEDOUT)
			must(rc, "pthread_cond_timedwait");
	}
	in_use = pool->in_use;
	waiting = pool->waiting;
	pool_unlock(pool);
	if (e == ERR_DB_POOL_TIMEOUT)
		log_pool_timeout(pool, in_use, waiting);
	return e;
}

/*
 * Log a connect failure at error once per distinct message, then at debug
 * while the database stays down, so an outage does not flood the log; and
 * log the recovery once.
 */
static void log_connect(enum err e, const char *errmsg, bool repeat, bool recovered)
{
	struct log_line l;

	if (!e) {
		if (recovered)
			log_info("database connection restored");
		return;
	}
	if (!log_begin(&l, repeat ? LOG_DEBUG : LOG_ERROR, "cannot connect to database"))
		return;
	log_str(&l, "error", errmsg);
	log_end(&l);
}

/* Open a connection in the slot pool_reserve() reserved. */
static enum err pool_open_reserved(struct db_pool *pool, struct db_conn **out)
{
	char errmsg[DB_ERRMSG_MAX] = "";
	bool repeat = false, recovered = false;
	enum err e;

	e = conn_open(pool, out, errmsg, sizeof(errmsg));
	pool_lock(pool);
	pool->opening--;
	if (e) {
		pool->connect_errors_total++;
		metrics_counter_add(METRICS_DB_CONNECTION_ERRORS, 1);
		repeat = strcmp(pool->last_error, errmsg) == 0;
		snprintf(pool->last_error, sizeof(pool->last_error), "%s", errmsg);
		pool->down_until_us = clock_mono_us() + DB_DOWN_RETRY_US;
		pthread_cond_signal(&pool->freed);
	} else {
		pool->open++;
		pool->in_use++;
		recovered = pool->last_error[0] != '\0';
		pool->last_error[0] = '\0';
	}
	pool_unlock(pool);
	log_connect(e, errmsg, repeat, recovered);
	return e;
}

enum err db_acquire(struct db_pool *pool, struct db_conn **out)
{
	char errmsg[DB_ERRMSG_MAX];
	struct timespec deadline;
	struct db_conn *c = NULL;
	enum err e;

	*out = NULL;
	clock_deadline_in(CLOCK_MONOTONIC, pool->acquire_timeout_ms, &deadline);
	for (;;) {
		e = pool_reserve(pool, &deadline, &c);
		if (e)
			return e;
		if (!c)
			return pool_open_reserved(pool, out);
		if (conn_alive(c))
			break;
		copy_errmsg(errmsg, sizeof(errmsg), PQerrorMessage(c->pg));
		log_info("discarding broken idle database connection: %s", errmsg);
		pool_drop(pool, c);
	}
	*out = c;
	return ERR_OK;
}

void db_release(struct db_pool *pool, struct db_conn *conn)
{
	if (!conn)
		return;
	if (conn->broken || PQstatus(conn->pg) != CONNECTION_OK ||
	    PQtransactionStatus(conn->pg) != PQTRANS_IDLE) {
		log_debug("closing database connection released broken or inside a transaction");
		pool_drop(pool, conn);
		return;
	}
	pool_lock(pool);
	conn->next = pool->idle;
	pool->idle = conn;
	pool->in_use--;
	pthread_cond_signal(&pool->freed);
	pool_unlock(pool);
}

void db_pool_stats(struct db_pool *pool, struct db_pool_stats *out)
{
	pool_lock(pool);
	out->size = pool->size;
	out->open = pool->open;
	out->in_use = pool->in_use;
	out->waiting = pool->waiting;
	out->connect_errors_total = pool->connect_errors_total;
	pool_unlock(pool);
}

/* ---- queries -------------------------------------------------------------- */

/* SQLSTATEs and severities after which the session is gone or going. */
static bool is_connection_error(const char *state, const char *sev)
{
	if (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))
		return true;
	if (!state) /* raised by libpq itself: lost connection, protocol error */
		return true;
	return strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	       strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0;
}

static const char *query_error_msg(enum err e)
{
	if (e == ERR_TIMEOUT)
		return "database statement timed out";
	if (e == ERR_DB_QUERY)
		return "database query failed";
	return "database connection lost";
}

static void log_query_error(struct db_conn *c, const PGresult *res, const char *what, enum err e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char errmsg[DB_ERRMSG_MAX];
	struct log_line l;
	enum log_level level = e == ERR_DB_QUERY ? LOG_ERROR : LOG_WARN;

	copy_errmsg(errmsg, sizeof(errmsg), primary ? primary : PQerrorMessage(c->pg));
	if (!log_begin(&l, level, query_error_msg(e)))
		return;
	log_str(&l, "stmt", what);
	log_str(&l, "sqlstate", state ? state : "");
	log_str(&l, "error", errmsg);
	log_end(&l);
}

/* Turn a libpq result into ERR_OK or a logged error; marks c broken when lost. */
static enum err check_result(struct db_conn *c, const PGresult *res, const char *what)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	const char *state, *sev;
	enum err e;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return ERR_OK;
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	sev = res ? PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED) : NULL;
	if (st != PGRES_FATAL_ERROR || PQstatus(c->pg) != CONNECTION_OK ||
	    is_connection_error(state, sev)) {
		/* Also COPY and other states a caller cannot get out of: never reuse. */
		c->broken = true;
		e = st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE ? ERR_DB_UNAVAILABLE
									: ERR_DB_QUERY;
	} else if (strcmp(state, "57014") == 0) {
		e = ERR_TIMEOUT;
	} else {
		e = ERR_DB_QUERY;
	}
	log_query_error(c, res, what, e);
	return e;
}

/* Prepare stmt on this session unless it already is. */
static enum err prepare_once(struct db_conn *c, const struct db_stmt *stmt)
{
	PGresult *res;
	enum err e;

	for (size_t i = 0; i < c->nprepared; i++) {
		if (c->prepared[i] == stmt)
			return ERR_OK;
		/* Two statements with one name would run each other's SQL. */
		assert(strcmp(c->prepared[i]->name, stmt->name) != 0 ||
		       strcmp(c->prepared[i]->sql, stmt->sql) == 0);
		if (strcmp(c->prepared[i]->name, stmt->name) == 0)
			return ERR_OK;
	}
	res = PQprepare(c->pg, stmt->name, stmt->sql, stmt->nparams, NULL);
	e = check_result(c, res, stmt->name);
	PQclear(res);
	if (e)
		return e;
	if (c->nprepared == c->prepared_alloc) {
		c->prepared_alloc = c->prepared_alloc ? 2 * c->prepared_alloc : 16;
		c->prepared = xrealloc(c->prepared, c->prepared_alloc * sizeof(*c->prepared));
	}
	c->prepared[c->nprepared++] = stmt;
	return ERR_OK;
}

enum err db_exec(struct db_conn *conn, const struct db_stmt *stmt, const char *const *params,
		 struct db_result **out)
{
	PGresult *res = NULL;
	enum err e;

	if (out)
		*out = NULL;
	assert(stmt->nparams == 0 || params);
	if (conn->broken)
		return ERR_DB_UNAVAILABLE;
	if (conn->unnamed) {
		res = PQexecParams(conn->pg, stmt->sql, stmt->nparams, NULL, params, NULL, NULL, 0);
	} else {
		e = prepare_once(conn, stmt);
		if (e)
			return e;
		res = PQexecPrepared(conn->pg, stmt->name, stmt->nparams, params, NULL, NULL, 0);
	}
	e = check_result(conn, res, stmt->name);
	if (e) {
		PQclear(res);
		return e;
	}
	if (!out) {
		PQclear(res); /* the caller wants only success or failure */
		return ERR_OK;
	}
	*out = xmalloc(sizeof(**out));
	(*out)->res = res;
	return ERR_OK;
}

/* Run fixed SQL through the simple protocol; the result is returned for inspection. */
static enum err exec_simple(struct db_conn *conn, const char *name, const char *sql, PGresult **out)
{
	PGresult *res;
	enum err e;

	*out = NULL;
	if (conn->broken)
		return ERR_DB_UNAVAILABLE;
	res = PQexec(conn->pg, sql);
	e = check_result(conn, res, name);
	if (e) {
		PQclear(res);
		return e;
	}
	*out = res;
	return ERR_OK;
}

enum err db_exec_script(struct db_conn *conn, const char *name, const char *sql)
{
	PGresult *res = NULL;
	enum err e;

	e = exec_simple(conn, name, sql, &res);
	PQclear(res);
	return e;
}

enum err db_begin(struct db_conn *conn)
{
	return db_exec_script(conn, "BEGIN", "BEGIN");
}

enum err db_commit(struct db_conn *conn)
{
	PGresult *res = NULL;
	enum err e;

	e = exec_simple(conn, "COMMIT", "COMMIT", &res);
	if (!e && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/* COMMIT of a failed transaction succeeds as ROLLBACK. */
		log_error("database transaction was rolled back at commit");
		e = ERR_DB_QUERY;
	}
	PQclear(res);
	return e;
}

void db_rollback(struct db_conn *conn)
{
	if (conn->broken || PQtransactionStatus(conn->pg) == PQTRANS_IDLE)
		return;
	if (db_exec_script(conn, "ROLLBACK", "ROLLBACK") != ERR_OK)
		conn->broken = true;
}

bool db_in_transaction(const struct db_conn *conn)
{
	PGTransactionStatusType st = PQtransactionStatus(conn->pg);

	return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

/* ---- results -------------------------------------------------------------- */

int db_result_rows(const struct db_result *r)
{
	return PQntuples(r->res);
}

int db_result_cols(const struct db_result *r)
{
	return PQnfields(r->res);
}

const char *db_result_value(const struct db_result *r, int row, int col)
{
	assert(row >= 0 && row < PQntuples(r->res) && col >= 0 && col < PQnfields(r->res));
	if (PQgetisnull(r->res, row, col))
		return NULL;
	return PQgetvalue(r->res, row, col);
}

void db_result_free(struct db_result *r)
{
	if (!r)
		return;
	PQclear(r->res);
	xfree(r);
}

enum err db_ping(struct db_pool *pool)
{
	struct db_conn *c = NULL;
	struct db_result *r = NULL;
	enum err e;

	e = db_acquire(pool, &c);
	if (e)
		goto out;
	e = db_exec(c, &stmt_ping, NULL, &r);
out:
	db_result_free(r);
	db_release(pool, c);
	return e;
}
