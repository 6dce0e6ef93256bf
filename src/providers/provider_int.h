/*
 * provider_int.h - private helpers shared by the enrichment providers'
 * parsers and request builders (src/providers/provider_text.c).
 *
 * Not a public header: only the provider files in src/providers include
 * it. MusicBrainz has its own seam (musicbrainz_int.h); each other
 * provider keeps what only it needs in its own files or its own
 * <provider>_int.h. What is here was written again by several providers:
 * reading an upstream's values without trusting them, and filling the
 * members of a fragment (fragment.h). URLs are checked with fragment.h's
 * fragment_url_ok(), MBIDs with musicbrainz.h's mb_normalize_mbid().
 *
 * Nothing here can fail: a value that does not read is reported as absent
 * (false, NULL, a null item) and the caller leaves the member at its empty
 * value. Pointers returned from a cJSON tree are borrowed from it; an
 * item passed to a setter is taken by the object it is set in. Pure and
 * reentrant; nothing blocks or logs; allocation failure aborts (xalloc.h).
 */
#ifndef MEDLEY_PROVIDER_INT_H
#define MEDLEY_PROVIDER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/buf.h"
#include "medley/err.h"

/* Length of an ISRC, without the NUL. */
#define PROV_ISRC_LEN 12

/* Room for a date "YYYY-MM-DD" and its NUL. */
#define PROV_DATE_SIZE 11

/* Largest integral id or count read from a number: 2^53, past which doubles are not exact. */
#define PROV_MAX_EXACT 9007199254740992LL

/* ---- checks ------------------------------------------------------------- */

/* ERR_TOO_LARGE when out passed its cap, else ERR_OK: the end of every request builder. */
enum err prov_built(const struct buf *out);

/* True if s is 1 to max bytes of valid UTF-8, a value a request may carry; false for NULL. */
bool prov_value_ok(const char *s, size_t max);

/* True if s is min to max ASCII digits and nothing else; false for NULL. */
bool prov_digits(const char *s, size_t min, size_t max);

/* True if s is a barcode as the providers send it: 8 to 14 digits (EAN-8 to GTIN-14). */
bool prov_upc_ok(const char *s);

/*
 * Copy s into out in uppercase when it is an ISRC ([A-Z]{2}[A-Z0-9]{3}[0-9]{7},
 * either case, nothing around it) and return true; false (out unspecified)
 * otherwise or for NULL.
 */
bool prov_isrc(const char *s, char out[PROV_ISRC_LEN + 1]);

/* ---- readers ------------------------------------------------------------ */

/* src[key] when it is a non-empty string, else NULL (borrowed from src). */
const char *prov_text(const cJSON *src, const char *key);

/*
 * src[key] as a decimal id into out (size bytes, room for max_digits and
 * for 16 digits, plus the NUL): a positive integral number up to
 * PROV_MAX_EXACT, or a string of 1 to max_digits digits without a leading
 * zero. False (out unspecified) for anything else.
 */
bool prov_read_id(const cJSON *src, const char *key, size_t max_digits, char *out, size_t size);

/*
 * src[key] as a count into *out: an integral number in [0, max], or a
 * string of decimal digits (only) whose value is at most max (max at most
 * PROV_MAX_EXACT). False for anything else.
 */
bool prov_read_count(const cJSON *src, const char *key, long long max, long long *out);

/*
 * src[key] as a finite number in [min, max] into *out: a number, or a
 * string holding only a decimal number ("7.5", "1e3"; no blanks, no hex,
 * no "inf"). False for anything else.
 */
bool prov_read_number(const cJSON *src, const char *key, double min, double max, double *out);

/*
 * The date at the start of s, "YYYY-MM-DD" in digits with unknown parts
 * written "00", cut to the parts that are known: a month "00" keeps
 * "YYYY", a day "00" keeps "YYYY-MM". False for a year "0000" or any other
 * shape; what follows the 10 characters is the caller's to check.
 */
bool prov_date_prefix(const char *s, char out[PROV_DATE_SIZE]);

/*
 * A new copy of s with "\r\n" and lone "\r" as "\n" and outer blanks
 * (space, tab, CR, LF) trimmed, for the caller to xfree(); NULL when
 * nothing is left.
 */
char *prov_plain_text(const char *s);

/* ---- fragment members --------------------------------------------------- */

/* obj[key] (writable, unlike json_get()'s), or NULL; the fragment builders create every member. */
cJSON *prov_member(cJSON *obj, const char *key);

/* obj[key] = item, replacing the member when obj has it, else adding it; obj takes item. */
void prov_set(cJSON *obj, const char *key, cJSON *item);

/* obj[key] = the string s when s is not NULL or ""; else obj is left as it is. */
void prov_set_text(cJSON *obj, const char *key, const char *s);

/* obj[key] = src[src_key] when it is an integral number in [0, max]; else obj is left as it is. */
void prov_set_count(cJSON *obj, const char *key, const cJSON *src, const char *src_key,
		    long long max);

/* A new number item of src[key] when it is an integral number in [0, max], else a null item. */
cJSON *prov_count_or_null(const cJSON *src, const char *key, long long max);

/* Append {"name": name, "count": null} (a genre or tag) to arr unless name is NULL or "". */
void prov_add_counted(cJSON *arr, const char *name);

/* Append the string s (valid UTF-8) to arr unless arr holds an equal string; true when appended. */
bool prov_append_unique(cJSON *arr, const char *s);

/*
 * Append a biography {text, summary, language, url, attribution} to
 * frag's "biographies" (NULL arguments are null members; text must not be
 * NULL). The strings are copied.
 */
void prov_add_biography(cJSON *frag, const char *text, const char *summary, const char *lang,
			const char *url, const char *attribution);

#endif
