/*
 * http.h - the embedded HTTP server (libmicrohttpd behind a small API).
 *
 * http_start() binds and starts an internal thread pool on epoll. For each
 * request it enforces the configured limits (414, 431, 413), parses the
 * raw target strictly (400), matches the route table (404, 405 with Allow),
 * assigns the request id, calls the route's handler, sends what the handler
 * built, and finally writes one access log line and the request metrics.
 *
 * Client address: each request's req->client_addr and req->scheme come
 * from the TCP peer, or from X-Forwarded-For and X-Forwarded-Proto when the
 * peer is in cfg->trusted_proxies (see proxy.h for the rules).
 *
 * Shutdown is two steps so the caller can drain: http_quiesce() stops
 * accepting new connections (requests on open connections still complete),
 * then http_stop() waits for in-flight requests up to a grace period and
 * stops the daemon, with a bound on how long that may take.
 *
 * Threading: handlers run on the server's pool threads, concurrently. The
 * functions here are called from the main thread only.
 */
#ifndef MEDLEY_HTTP_H
#define MEDLEY_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/common.h"
#include "medley/config.h"
#include "medley/err.h"
#include "medley/router.h"

struct http_server;
struct app;

/*
 * Start serving. cfg, routes and app are borrowed and must outlive the
 * server. On success *out is the running server (stop it with http_stop()).
 * Errors: ERR_INVALID_ARGUMENT (bad listen address or trusted_proxies,
 * logged), ERR_IO (cannot bind or start; logged with the reason).
 */
MUST_CHECK enum err http_start(const struct config_server *cfg, const struct route *routes,
			       size_t nroutes, struct app *app, struct http_server **out);

/* The bound TCP port (useful with port 0). */
int http_port(const struct http_server *s);

/* Requests received and not yet completed. */
int http_inflight(const struct http_server *s);

/*
 * Stop accepting: the listening socket is shut down, so new connections are
 * refused at once (a load balancer retries them elsewhere), and answers on
 * connections still open carry Connection: close. Idempotent.
 */
void http_quiesce(struct http_server *s);

/*
 * Wait up to grace_ms for in-flight requests (suspended ones included) to
 * be answered. Returns true if none is left. Blocks; call after
 * http_quiesce(). Afterwards a request that had not reached its handler is
 * dropped (its connection closed without an answer, which a proxy retries)
 * rather than answered 503.
 */
bool http_drain(struct http_server *s, int grace_ms);

/*
 * Wait up to grace_ms for in-flight requests, then stop the daemon and free
 * s. Stopping itself is bounded too: if libmicrohttpd does not stop within
 * a few seconds the server is abandoned with an error logged, so shutdown
 * never hangs. NULL is a no-op.
 */
void http_stop(struct http_server *s, int grace_ms);

#endif
