/*
 * req.h - one HTTP request as a handler sees it, and the response it builds.
 *
 * http.c creates a struct req per request, parses the target, matches the
 * route and calls the route's handler, which answers with exactly one of
 * req_reply() or req_fail() before it returns. http.c then sends the
 * response, writes the access log line and frees the request.
 *
 * Handlers never see libmicrohttpd: request headers come through
 * req_header(), and everything request-scoped is allocated in req->arena.
 *
 * Deferred answers. A handler that must wait (for a provider) calls
 * req_defer() and returns without answering; http.c then suspends the
 * connection, holding no thread. Whoever holds the request later builds the
 * response with req_reply() or req_fail() and calls req_complete(), exactly
 * once, from any thread; http.c resumes the connection and sends it. Between
 * req_defer() and req_complete() only the holder touches the request. A
 * request may carry a continuation (req_then()): then the first
 * req_complete() hands the ready answer to it instead, and the continuation
 * completes the request in its turn (enrichment rewrites a MusicBrainz
 * answer this way).
 *
 * Ownership: the request, its arena and its response body belong to http.c.
 * Strings returned by the getters are borrowed for the request's lifetime.
 * A request is handled by one thread at a time.
 */
#ifndef MEDLEY_REQ_H
#define MEDLEY_REQ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "medley/arena.h"
#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"
#include "medley/router.h"
#include "medley/url.h"

/* Longest client X-Request-Id that is echoed back; longer ones are replaced. */
#define REQ_ID_MAX 64
/* Extra response headers a handler can set. */
#define REQ_MAX_HEADERS 8
/* Cap on one response body. */
#define REQ_MAX_BODY_BYTES (16u * 1024 * 1024)
/* Cap on one request's arena (decoded path, query, handler scratch). */
#define REQ_ARENA_BYTES (256u * 1024)
/* Room for a client address as text, NUL included (INET6_ADDRSTRLEN). */
#define REQ_ADDR_MAX 46

struct app;

/* Looks up a request header (case-insensitive); provided by http.c. */
typedef const char *req_header_fn(void *conn, const char *name);
/* Resumes a suspended connection; provided by http.c. */
typedef void req_resume_fn(void *conn);

/* Where a deferred request stands (see req_defer()). */
enum req_async {
	REQ_SYNC,      /* answered before the handler returned */
	REQ_DEFERRED,  /* req_defer() called, not yet suspended or completed */
	REQ_SUSPENDED, /* http.c suspended the connection */
	REQ_COMPLETED, /* req_complete() called */
};

struct req;
/* A continuation, see req_then(). */
typedef void req_then_fn(struct req *r, void *arg);

/* A provider's part in the answer, for the access log. */
struct req_source {
	const char *provider; /* static */
	const char *status;   /* static: "ok", "not_found", "error", "timeout", ... */
};
#define REQ_MAX_SOURCES 12

struct req_header {
	const char *name;  /* static or arena-owned */
	const char *value; /* arena-owned */
};

struct req {
	/* Request, filled by http.c before the handler runs. */
	struct app *app; /* service context (app.h) */
	enum http_method method;
	const char *method_token; /* as sent: "GET" */
	const char *target;	  /* raw request target, arena-owned */
	const char *path;	  /* raw path part of target, arena-owned */
	struct url_query query;	  /* decoded query parameters */
	struct route_match match; /* route and decoded path parameters */
	const char *route_name;	  /* for logs and metrics; "unknown" when unmatched */
	size_t route_index;	  /* metrics label index */
	char id[REQ_ID_MAX + 1];  /* request id, also sent as X-Request-Id */
	int64_t start_us;	  /* monotonic start time */
	/*
	 * The effective client: the TCP peer, or, when the peer is one of
	 * server.trusted_proxies, what its X-Forwarded-For says (proxy.h).
	 * "" when the peer address is unknown. scheme is "http" or "https"
	 * (X-Forwarded-Proto from a trusted proxy), static.
	 */
	char client_addr[REQ_ADDR_MAX];
	const char *scheme;
	struct arena arena;
	void *conn;
	req_header_fn *header_fn;
	req_resume_fn *resume_fn;
	_Atomic int async; /* enum req_async */

	/* Response, built by the handler. */
	int status;		  /* 0 until replied */
	const char *content_type; /* static string */
	struct buf body;	  /* capped at REQ_MAX_BODY_BYTES */
	struct req_header headers[REQ_MAX_HEADERS];
	size_t nheaders;
	enum err error; /* what ended the request, ERR_OK on success */

	/*
	 * When the answer stops being fresh (wall clock, us), set by whoever
	 * answered from a cached document (the aggregator); 0 when unknown. A
	 * continuation (enrich.c) bounds its own freshness by it.
	 */
	int64_t fresh_until_us;

	/* For the access log, set by the aggregator. */
	const char *cache_status; /* static: "hit", "stale", "miss", "negative", or NULL */
	struct req_source sources[REQ_MAX_SOURCES];
	size_t nsources;

	/* The continuation (req_then()), or NULL. */
	req_then_fn *then;
	void *then_arg;
};

/* Set up r for a new request (arena and body empty). */
void req_init(struct req *r);
/* Free what r holds. */
void req_release(struct req *r);

/* Request header value or NULL; borrowed. */
const char *req_header(const struct req *r, const char *name);

/* Decoded path parameter or NULL; borrowed. */
const char *req_param(const struct req *r, const char *name);

/* Decoded query parameter (first occurrence) or NULL; borrowed. */
const char *req_query(const struct req *r, const char *name);

/* Add a response header; value is copied. Silently ignored past REQ_MAX_HEADERS (asserts in debug). */
void req_add_header(struct req *r, const char *name, const char *value);

/* Set a response header: replace the value of one named so (any case), else add it. */
void req_set_header(struct req *r, const char *name, const char *value);

/*
 * Drop every response header set so far (and fresh_until_us): for a
 * continuation that turns an answer into another one (a 404, a redirect),
 * whose validators no longer apply.
 */
void req_clear_headers(struct req *r);

/*
 * Answer with status and r->body as written by the handler. content_type
 * must be a static string. A body that overflowed its cap becomes a 500
 * problem instead.
 */
void req_reply(struct req *r, int status, const char *content_type);

/* Answer with an application/problem+json document for e (problem.h). */
void req_fail(struct req *r, enum err e, const char *detail_fmt, ...) PRINTF_LIKE(3, 4);

/* The handler will not answer before it returns; see "Deferred answers" above. */
void req_defer(struct req *r);

/*
 * The deferred answer is ready (built with req_reply() or req_fail()): have
 * http.c send it. Call exactly once per req_defer(), from any thread; the
 * caller must not touch r afterwards. Never blocks.
 */
void req_complete(struct req *r);

/*
 * A continuation: when the answer is ready, fn(r, arg) runs instead of the
 * answer being sent, with r deferred and its answer (status, headers, body)
 * as built so far; fn rewrites it as it likes and calls req_complete() once,
 * now or later, from any thread. The answer is ready when a deferred
 * request is completed (req_complete() runs fn on its caller's thread), or
 * when the handler answered without deferring: the handler then calls
 * req_then_run(). One continuation per request; arg is borrowed.
 */
void req_then(struct req *r, req_then_fn *fn, void *arg);

/*
 * For a handler, after it answered: if r has a continuation and was
 * answered without being deferred, defer r and run the continuation now.
 * Does nothing otherwise (a deferred request runs it in req_complete()).
 */
void req_then_run(struct req *r);

/* Record a provider's outcome for the access log (ignored past REQ_MAX_SOURCES). */
void req_note_source(struct req *r, const char *provider, const char *status);

#define REQ_JSON "application/json"

#endif
