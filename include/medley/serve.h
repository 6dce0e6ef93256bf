/*
 * serve.h - the service's lifecycle: start, run until a signal, drain, stop.
 *
 * serve_run() wires the modules together (metrics, database pool, HTTP
 * server), applies migrations in the background with retries when
 * database.migrate_on_start is set (so medley comes up before PostgreSQL
 * does), and blocks until SIGTERM or SIGINT. Then it turns /ready to 503,
 * keeps accepting and serving for server.drain_s (so load balancers stop
 * sending traffic; a second signal ends this early), stops accepting, lets
 * in-flight requests finish within server.shutdown_grace_s, closes the pool
 * and returns.
 *
 * Call it from the main thread before any other thread exists: it blocks
 * the termination signals in every thread and waits for them itself.
 */
#ifndef MEDLEY_SERVE_H
#define MEDLEY_SERVE_H

#include "medley/config.h"

/* Process exit codes (documented in docs/operations.md). */
enum serve_exit {
	EXIT_OK_ = 0,		 /* clean shutdown */
	EXIT_RUNTIME = 1,	 /* could not start or serve (e.g. port in use) */
	EXIT_USAGE = 2,		 /* bad command line or invalid configuration */
	EXIT_DB_UNAVAILABLE = 3, /* the database could not be reached (migrate) */
	EXIT_SCHEMA_REFUSED = 4, /* an applied migration was edited */
};

/* Serve until told to stop; returns an enum serve_exit value. */
int serve_run(const struct config *cfg);

#endif
