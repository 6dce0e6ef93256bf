/*
 * json.h - small, safe helpers around cJSON, shared by every module that
 * reads or builds JSON documents.
 *
 * cJSON is medley's JSON tree. This module adds what cJSON leaves to the
 * caller:
 *
 *  - json_init() routes cJSON's allocations through xmalloc/xfree, so an
 *    exhausted heap aborts like everywhere else and no cJSON call returns
 *    NULL for lack of memory.
 *  - json_parse() checks a size cap before parsing, parses with an explicit
 *    length from a private NUL-terminated copy (cJSON 1.7.x may read one
 *    byte past a non-terminated buffer), and refuses trailing bytes.
 *  - Typed getters that never trust the input: each returns NULL / false
 *    when the object is not an object, the key is missing, or the value has
 *    another type (cJSON_ArrayForEach() accepts the NULL of a missing array,
 *    so "array or []" needs no special case when reading).
 *  - Builders for the output side: "string or null" with every string
 *    re-encoded as valid UTF-8 (cJSON passes invalid bytes through, and the
 *    documents we serve must be valid JSON whatever the upstream sent), and
 *    "array or []" members that are always present.
 *
 * Ownership: getters return pointers borrowed from the tree they read, valid
 * as long as that tree. Builders attach what they create to the object they
 * are given; the root owns the whole tree and is freed with cJSON_Delete().
 *
 * Errors: builders cannot fail (allocation failure aborts). Nothing here
 * blocks. Thread-safety: json_init() is idempotent and thread-safe; the rest
 * is reentrant, one tree per thread at a time.
 */
#ifndef MEDLEY_JSON_H
#define MEDLEY_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/common.h"
#include "medley/err.h"

/* Install xmalloc/xfree as cJSON's hooks (once; later calls do nothing). */
void json_init(void);

/*
 * Parse body[0..len) into a new tree (*out, for the caller to cJSON_Delete).
 * Calls json_init(). Errors, with *why set to a static reason:
 * ERR_TOO_LARGE when len > max_bytes ("body too large", nothing parsed);
 * ERR_INVALID_ARGUMENT when the bytes are not one JSON value followed only by
 * whitespace ("body is not JSON"). *out is NULL on error.
 */
MUST_CHECK enum err json_parse(const char *body, size_t len, size_t max_bytes, cJSON **out,
			       const char **why);

/* obj[key] of any type, or NULL when obj is not an object or lacks key (case-sensitive). */
const cJSON *json_get(const cJSON *obj, const char *key);

/* obj[key] when it is an object / an array, else NULL. */
const cJSON *json_get_object(const cJSON *obj, const char *key);
const cJSON *json_get_array(const cJSON *obj, const char *key);

/* obj[key] when it is a string, else NULL. */
const char *json_get_string(const cJSON *obj, const char *key);

/* The value of item when it is a string, else NULL (for array members). */
const char *json_string_value(const cJSON *item);

/* True and *out set when obj[key] is a finite number. */
bool json_get_number(const cJSON *obj, const char *key, double *out);

/*
 * True and *out set when obj[key] is a number with an integral value in
 * [min, max] (min and max within +-2^53). Anything else (a fraction, a huge
 * or non-finite value, a string) is treated as absent.
 */
bool json_get_int(const cJSON *obj, const char *key, long long min, long long max, long long *out);

/* True and *out set when obj[key] is true or false. */
bool json_get_bool(const cJSON *obj, const char *key, bool *out);

/* True if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool json_utf8_valid(const char *s, size_t n);

/*
 * A new string item holding s, with every byte that is not part of valid
 * UTF-8 replaced by U+FFFD; a null item when s is NULL. Never returns NULL.
 * json_new_stringn() takes an explicit length (NUL bytes end the string).
 */
cJSON *json_new_string(const char *s);
cJSON *json_new_stringn(const char *s, size_t n);

/* A new empty object / array (never NULL), for the caller to attach or cJSON_Delete(). */
cJSON *json_new_object(void);
cJSON *json_new_array(void);

/* Add obj[key] = null. */
void json_add_null(cJSON *obj, const char *key);

/* Add obj[key] = s (sanitized as above) or null when s is NULL. */
void json_add_string_or_null(cJSON *obj, const char *key, const char *s);

/* Add obj[key] = *v (a number) or null when v is NULL. */
void json_add_number_or_null(cJSON *obj, const char *key, const double *v);

/* Add obj[key] = *v (true/false) or null when v is NULL. */
void json_add_bool_or_null(cJSON *obj, const char *key, const bool *v);

/* Add obj[key] = a new empty array / object and return it (borrowed from obj). */
cJSON *json_add_array(cJSON *obj, const char *key);
cJSON *json_add_object(cJSON *obj, const char *key);

/* Add item to obj under key / append it to array arr; the container takes item. */
void json_add_item(cJSON *obj, const char *key, cJSON *item);
void json_append(cJSON *arr, cJSON *item);

#endif
