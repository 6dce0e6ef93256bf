/*
 * err.h - the one error model of medley.
 *
 * Every function that can fail returns enum err, with ERR_OK (0) for
 * success. The codes come from one X-macro table, ERR_TABLE, whose rows give
 * the code, the HTTP status an error maps to when it ends a request, the
 * stable machine string used in problem documents, logs and metrics, and a
 * short human title.
 *
 * The table is the only place a new error is added. The machine strings are
 * part of the public API (docs/api.md lists them): never rename one.
 *
 * Thread-safety: everything here is pure and reentrant.
 */
#ifndef MEDLEY_ERR_H
#define MEDLEY_ERR_H

// clang-format off
/*      code                status  machine string          title */
#define ERR_TABLE(X)                                                                    \
	X(OK,                  200, "ok",                   "OK")                         \
	X(INVALID_ARGUMENT,    400, "invalid-argument",     "Invalid argument")           \
	X(BAD_QUERY,           400, "bad-query",            "Malformed query string")     \
	X(BAD_PATH,            400, "bad-path",             "Malformed request path")     \
	X(NOT_FOUND,           404, "not-found",            "Not found")                  \
	X(METHOD_NOT_ALLOWED,  405, "method-not-allowed",   "Method not allowed")         \
	X(BODY_TOO_LARGE,      413, "body-too-large",       "Request body too large")     \
	X(URI_TOO_LONG,        414, "uri-too-long",         "URI too long")               \
	X(HEADERS_TOO_LARGE,   431, "headers-too-large",    "Request header fields too large") \
	X(INTERNAL,            500, "internal",             "Internal error")             \
	X(TOO_LARGE,           500, "size-limit",           "Size limit exceeded")        \
	X(IO,                  500, "io",                   "Input/output error")         \
	X(CONFIG,              500, "config-invalid",       "Invalid configuration")      \
	X(DB_QUERY,            500, "db-query",             "Database query failed")      \
	X(MIGRATION_EDITED,    500, "migration-edited",     "Applied migration was edited") \
	X(DB_UNAVAILABLE,      503, "db-unavailable",       "Database unavailable")       \
	X(DB_POOL_TIMEOUT,     503, "db-pool-timeout",      "Database pool exhausted")    \
	X(SCHEMA_BEHIND,       503, "schema-behind",        "Database schema not migrated") \
	X(SHUTTING_DOWN,       503, "shutting-down",        "Service shutting down")      \
	X(NOT_READY,           503, "not-ready",            "Service not ready")          \
	X(UPSTREAM_ERROR,      502, "upstream-error",       "Upstream provider failed")   \
	X(UPSTREAM_UNAVAILABLE, 503, "upstream-unavailable", "Upstream provider unavailable") \
	X(UPSTREAM_TIMEOUT,    504, "upstream-timeout",     "Upstream provider timed out") \
	X(TIMEOUT,             504, "timeout",              "Deadline exceeded")
// clang-format on

enum err {
#define ERR_ENUM_ROW(code, status, str, title) ERR_##code,
	ERR_TABLE(ERR_ENUM_ROW)
#undef ERR_ENUM_ROW
	ERR__COUNT
};

/* HTTP status for e (500 for a value outside the table). */
int err_http_status(enum err e);

/* Stable machine string, e.g. "bad-query". Static storage; never NULL. */
const char *err_str(enum err e);

/* Short human title, e.g. "Malformed query string". Static; never NULL. */
const char *err_title(enum err e);

#endif
