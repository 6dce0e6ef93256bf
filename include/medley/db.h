/*
 * db.h - a bounded pool of PostgreSQL connections and named, parameterized queries.
 *
 * This is the only module that talks to libpq; no libpq type crosses this header.
 *
 *	static const struct db_stmt stmt_get = {
 *		"cache_get", "SELECT body FROM cache WHERE key = $1", 1,
 *	};
 *	struct db_conn *c = NULL;
 *	struct db_result *r = NULL;
 *	const char *params[] = { key };
 *
 *	e = db_acquire(pool, &c);
 *	if (e)
 *		goto out;
 *	e = db_exec(c, &stmt_get, params, &r);
 *	...db_result_rows(r), db_result_value(r, 0, 0)...
 * out:
 *	db_result_free(r);
 *	db_release(pool, c);
 *
 * Pool. db_pool_new() connects to nothing, so the service starts while
 * PostgreSQL is down. db_acquire() hands out an idle connection, opens a new
 * one while fewer than pool_size exist, or waits up to acquire_timeout_ms.
 * An idle connection that the server closed (e.g. after a PostgreSQL restart)
 * is found before it is handed out and replaced. db_release() keeps a
 * connection only when it is healthy and outside any transaction, and closes
 * it otherwise. So the pool recovers by itself when the database goes away
 * and comes back; nothing needs restarting. While the database is down
 * (the last connection attempt failed), one caller at a time tries again, at
 * most every 250 ms; the others get ERR_DB_UNAVAILABLE at once instead of
 * each waiting out connect_timeout on an unreachable host.
 *
 * Sessions. Every connection has application_name (a URL may override it),
 * connect_timeout (connect_timeout_ms rounded up to whole seconds, at least 1),
 * client_encoding UTF8 and statement_timeout (statement_timeout_ms; 0 turns it
 * off) for the whole session.
 *
 * Statements. Every runtime query is a static const struct db_stmt: a stable
 * name, SQL with $1..$n placeholders and the number of parameters. SQL is
 * never built from strings. A connection prepares a statement the first time
 * it runs it and keeps it prepared. Parameters and results are text; a NULL
 * parameter is SQL NULL. Errors are logged here once, with the statement name,
 * the SQLSTATE and the server's primary message, never with the parameters.
 *
 * Errors: ERR_DB_UNAVAILABLE (cannot connect, or the connection was lost; the
 * connection is then marked broken and db_release() closes it),
 * ERR_DB_POOL_TIMEOUT (no connection free within acquire_timeout_ms),
 * ERR_TIMEOUT (statement_timeout, SQLSTATE 57014), ERR_DB_QUERY (any other SQL
 * error), ERR_CONFIG (db_pool_new() only).
 *
 * Threading. The pool is thread-safe. A struct db_conn belongs to the thread
 * that acquired it until db_release(); it and its results must not be used by
 * two threads at once. A struct db_result may outlive its connection's release.
 *
 * Blocking. db_acquire() may wait for a free connection and may block
 * connecting (up to connect_timeout per attempt); db_exec() and friends block
 * on the network until the server answers. Never call them from a thread that
 * must not block (e.g. while holding a lock others wait for).
 */
#ifndef MEDLEY_DB_H
#define MEDLEY_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "medley/common.h"
#include "medley/config.h"
#include "medley/err.h"

struct db_pool;
struct db_conn;
struct db_result;

/*
 * A named statement. Define each one as a static const object and pass its
 * address: the pointer and the strings must live as long as the pool. The
 * name must be unique among statements and is also the prepared statement's
 * name in the server ("cache_get"); the SQL uses $1..$nparams.
 */
struct db_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

/* A snapshot of the pool's state, for metrics and /ready. */
struct db_pool_stats {
	int size;		       /* configured maximum (pool_size) */
	int open;		       /* connections open: idle + in use */
	int in_use;		       /* connections handed out */
	int waiting;		       /* threads blocked in db_acquire() */
	uint64_t connect_errors_total; /* failed connection attempts, monotonic */
};

/*
 * Create a pool from cfg (borrowed; copied as needed) with application_name
 * (borrowed; copied) for its sessions. Makes no connection and never blocks.
 * Returns the pool in *out, to free with db_pool_free(). Returns ERR_CONFIG
 * when pool_size < 1, a timeout is negative, or cfg->url cannot be parsed as
 * a libpq URI or key=value string (logged without the URL, which may hold a
 * password).
 */
MUST_CHECK enum err db_pool_new(const struct config_database *cfg, const char *application_name,
				struct db_pool **out);

/*
 * Close every connection and free the pool. Every acquired connection must
 * have been released first (asserted). NULL is a no-op.
 */
void db_pool_free(struct db_pool *pool);

/*
 * Get a connection for the calling thread into *out; give it back with
 * db_release(). Blocks up to acquire_timeout_ms waiting for one to be free,
 * plus up to connect_timeout when it opens a new one.
 * Errors: ERR_DB_POOL_TIMEOUT, ERR_DB_UNAVAILABLE (the connection attempt failed).
 */
MUST_CHECK enum err db_acquire(struct db_pool *pool, struct db_conn **out);

/*
 * Give conn back (taken; NULL is a no-op). The connection is kept for reuse
 * only if it is healthy and idle (no open or failed transaction); otherwise
 * it is closed, and a later db_acquire() opens a fresh one. Roll back or
 * commit first to keep it. Never blocks on the network except to close.
 */
void db_release(struct db_pool *pool, struct db_conn *conn);

/*
 * Run stmt on conn with stmt->nparams text parameters (borrowed; an element
 * may be NULL for SQL NULL; params may be NULL when nparams is 0). Prepares
 * the statement on this connection the first time. On success returns the
 * result in *out, to free with db_result_free(); on error *out is NULL.
 * out may be NULL when only success matters (the result is discarded).
 * Blocks until the server answers (bounded by statement_timeout).
 * Errors: ERR_DB_UNAVAILABLE, ERR_TIMEOUT, ERR_DB_QUERY.
 */
MUST_CHECK enum err db_exec(struct db_conn *conn, const struct db_stmt *stmt,
			    const char *const *params, struct db_result **out);

/*
 * Run a script (borrowed): one or more SQL statements separated by
 * semicolons, with no parameters, through the simple query protocol. Meant
 * for migrations, whose text is fixed at build time; runtime queries use
 * db_exec(). name labels the script in logs ("001_baseline").
 * Errors: as db_exec().
 */
MUST_CHECK enum err db_exec_script(struct db_conn *conn, const char *name, const char *sql);

/* BEGIN / COMMIT. db_commit() returns ERR_DB_QUERY when the transaction had
 * failed and the server rolled it back instead. Errors: as db_exec(). */
MUST_CHECK enum err db_begin(struct db_conn *conn);
MUST_CHECK enum err db_commit(struct db_conn *conn);

/*
 * ROLLBACK, best effort, for cleanup paths. Does nothing outside a
 * transaction. If it fails the connection stays out of the idle state and
 * db_release() closes it, so there is nothing for the caller to check.
 */
void db_rollback(struct db_conn *conn);

/* True while conn is inside a transaction block (open or failed). */
bool db_in_transaction(const struct db_conn *conn);

/* Rows and columns of r. */
int db_result_rows(const struct db_result *r);
int db_result_cols(const struct db_result *r);

/*
 * Value at (row, col) as text, or NULL for SQL NULL. The string belongs to r
 * and lives until db_result_free(r). row and col must be in range (asserted).
 */
const char *db_result_value(const struct db_result *r, int row, int col);

/* Free r. NULL is a no-op. */
void db_result_free(struct db_result *r);

/*
 * Acquire a connection, run SELECT 1, release it: the database check of
 * /ready. Blocks like db_acquire() plus one round trip.
 * Errors: ERR_DB_POOL_TIMEOUT, ERR_DB_UNAVAILABLE, ERR_TIMEOUT, ERR_DB_QUERY.
 */
MUST_CHECK enum err db_ping(struct db_pool *pool);

/* Fill *out with a consistent snapshot of the pool's counters. Never blocks for long. */
void db_pool_stats(struct db_pool *pool, struct db_pool_stats *out);

#endif
