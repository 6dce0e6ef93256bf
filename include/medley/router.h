/*
 * router.h - match a method and path against a route table.
 *
 * Pure code: no I/O, no global state. The table itself lives in routes.c;
 * the HTTP layer calls router_match() once per request. Patterns are
 * absolute paths whose segments are literals or {name} parameters:
 * "/v1/artists/{mbid}". A path matches when it has the same number of
 * segments and every literal equals the percent-decoded segment; parameter
 * values are the decoded segments. There is no prefix matching, no trailing
 * slash folding and no regex.
 *
 * HEAD is allowed wherever GET is. When the path matches some route but not
 * for this method the result is ERR_METHOD_NOT_ALLOWED with the allowed
 * methods in match->allow, for the Allow header.
 */
#ifndef MEDLEY_ROUTER_H
#define MEDLEY_ROUTER_H

#include <stddef.h>

#include "medley/arena.h"
#include "medley/common.h"
#include "medley/err.h"

/* Methods as bits, so a route can allow several. */
enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_DELETE = 1 << 4,
	HTTP_PATCH = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
	HTTP_OTHER = 1 << 7,
};

struct req;

/* The one handler signature: build the response in req (see req.h). */
typedef void route_handler_fn(struct req *req);

struct route {
	unsigned methods;    /* HTTP_* bits; HEAD is implied by GET */
	const char *pattern; /* "/v1/artists/{mbid}" */
	route_handler_fn *handler;
	const char *name; /* stable name for logs and metrics: "artist.get" */
};

#define ROUTE_MAX_PARAMS 4
#define ROUTE_MAX_SEGMENTS 16

struct route_param {
	const char *name; /* points into the pattern, not NUL-terminated */
	size_t name_len;
	const char *value; /* decoded, NUL-terminated, arena-owned */
};

struct route_match {
	const struct route *route; /* NULL unless ERR_OK */
	size_t index;		   /* index of route in the table */
	struct route_param params[ROUTE_MAX_PARAMS];
	size_t nparams;
	unsigned allow; /* with ERR_METHOD_NOT_ALLOWED: methods the path allows */
};

/* Method bit for a method token ("GET" -> HTTP_GET); HTTP_OTHER if unknown. */
enum http_method router_method(const char *token);

/*
 * Match method and the raw (still percent-encoded) path[0..len) against
 * table[0..n). Decoded parameters go into arena a. Returns ERR_OK with
 * *out filled, ERR_NOT_FOUND, ERR_METHOD_NOT_ALLOWED (out->allow set),
 * ERR_BAD_PATH (*why says what is malformed; static string), or
 * ERR_TOO_LARGE (arena full).
 */
MUST_CHECK enum err router_match(const struct route *table, size_t n, enum http_method method,
				 const char *path, size_t len, struct arena *a,
				 struct route_match *out, const char **why);

/* Value of parameter name in m, or NULL. Borrowed from the arena. */
const char *router_param(const struct route_match *m, const char *name);

/* Write the Allow header value for allow ("GET, HEAD") into out[0..size). */
void router_allow_str(unsigned allow, char *out, size_t size);

/*
 * Check a route table once at start-up: patterns well-formed, names unique
 * and non-empty, at most ROUTE_MAX_PARAMS parameters. Returns ERR_OK or
 * ERR_INTERNAL with *why naming the bad row (a programmer error).
 */
MUST_CHECK enum err router_check_table(const struct route *table, size_t n, const char **why);

#endif
