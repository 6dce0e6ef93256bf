/*
 * lastfm_int.h - private seam between the src/providers/lastfm_*.c files.
 *
 * Not a public header: only src/providers/lastfm*.c include it.
 * lastfm_url.c builds requests, lastfm_text.c reads Last.fm's text and
 * value conventions (wiki HTML, one-item lists, image sizes),
 * lastfm_parse.c builds the fragments with the helpers every provider
 * shares (provider_int.h).
 */
#ifndef MEDLEY_LASTFM_INT_H
#define MEDLEY_LASTFM_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/buf.h"
#include "medley/lastfm.h"

/* Longest text built from a wiki or from names. */
#define LASTFM_MAX_TEXT_BYTES (256u * 1024)

/*
 * Last.fm's lists: v is an array, or a lone object standing for a list of
 * one; anything else (null, "", a number) is empty.
 *	LASTFM_FOR_EACH(item, json_get(obj, "track")) { ... }
 */
const cJSON *lastfm_first(const cJSON *v);
const cJSON *lastfm_next(const cJSON *v, const cJSON *item);
#define LASTFM_FOR_EACH(item, v) \
	for ((item) = lastfm_first(v); (item); (item) = lastfm_next((v), (item)))

/*
 * Append the plain text of a wiki value s: the "Read more on Last.fm" link
 * and everything after it (the licence line) cut, the licence line cut
 * where it stands alone, tags removed (<br> and </p> as newlines),
 * character references decoded, "\r\n" as "\n", blanks around trimmed.
 * When href is not NULL it is set to a new string with the Read-more
 * link's target (for the caller to xfree), or NULL.
 */
void lastfm_wiki_text(const char *s, struct buf *out, char **href);

/* True if lang is an ISO 639-1 code: two lowercase ASCII letters. */
bool lastfm_lang_ok(const char *lang);

/*
 * The pixel size Last.fm's image URL names ("/i/u/300x300/..." -> 300,
 * "/i/u/174s/..." -> 174), or 0.
 */
int lastfm_image_size(const char *url);

#endif
