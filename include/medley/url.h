/*
 * url.h - strict percent-decoding and query-string parsing.
 *
 * Pure functions, no I/O. Strict means: '%' must be followed by two hex
 * digits, the decoded bytes must be valid UTF-8, and they must not contain
 * NUL or other control characters. Anything else is ERR_BAD_QUERY (or
 * ERR_BAD_PATH for path segments) with a short reason for the problem
 * document's detail. '+' decodes to a space in query strings only.
 *
 * Decoded strings are allocated in the caller's arena and live as long as
 * it does. Thread-safe (no shared state).
 */
#ifndef MEDLEY_URL_H
#define MEDLEY_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/arena.h"
#include "medley/common.h"
#include "medley/err.h"

/* At most this many key=value pairs in one query string. */
#define URL_MAX_PARAMS 64

struct url_param {
	const char *key;   /* decoded, arena-owned */
	const char *value; /* decoded, arena-owned; "" for a bare key */
};

struct url_query {
	struct url_param *params; /* arena-owned */
	size_t n;
};

/*
 * Decode s[0..n) into *out (arena-owned). plus_is_space selects query
 * semantics. Errors: ERR_INVALID_ARGUMENT with *why set to a static reason,
 * or ERR_TOO_LARGE when the arena is full.
 */
MUST_CHECK enum err url_decode(struct arena *a, const char *s, size_t n, bool plus_is_space,
			       char **out, const char **why);

/*
 * Parse the query string qs[0..n) (without the '?') into *out. Empty pairs
 * ("a=1&&b=2") are skipped. Errors: ERR_BAD_QUERY with *why set (static
 * string), ERR_TOO_LARGE when the arena is full.
 */
MUST_CHECK enum err url_parse_query(struct arena *a, const char *qs, size_t n,
				    struct url_query *out, const char **why);

/* Value of hex digit c (0-9, a-f, A-F), or -1. */
int url_hex_digit(char c);

/* First value for key, or NULL. Borrowed from the query's arena. */
const char *url_query_get(const struct url_query *q, const char *key);

/* How many times key occurs. */
size_t url_query_count(const struct url_query *q, const char *key);

#endif
