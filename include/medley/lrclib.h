/*
 * lrclib.h - the LRCLib provider's pure half: request URLs, the parsers of
 * its answers, and the matcher that picks a lyrics candidate by duration.
 *
 * LRCLib (https://lrclib.net, API docs: https://lrclib.net/docs) is a free,
 * open database of song lyrics, plain and time-synced (LRC). medley uses
 * two endpoints under the base URL https://lrclib.net/api:
 *
 *   GET /get?artist_name=&track_name=[&album_name=][&duration=]
 *       the best record for one track signature; duration is in seconds
 *       and, when given, LRCLib only answers a record whose duration is
 *       within +-2 s of it. The answer is one track:
 *	{"id": 3396226, "name": "I Want to Live", "trackName": "I Want to Live",
 *	 "artistName": "...", "albumName": "...", "duration": 233.0,
 *	 "instrumental": false, "plainLyrics": "...",
 *	 "syncedLyrics": "[00:17.12] I feel your breath upon my neck\n..."}
 *       or 404 {"message": "Failed to find specified track",
 *       "name": "TrackNotFound", "statusCode": 404} (the docs show "code"
 *       where the server sends "statusCode"; both are understood);
 *   GET /search?track_name=&artist_name=[&album_name=]
 *       a JSON array of such tracks (at most 20, possibly []), for when
 *       /get misses or the duration is unknown.
 * A bad query (an empty artist_name, a duration outside 1..3600) answers
 * 400 {"message": ..., "name": "ValidationError", "statusCode": 400}.
 * "plainLyrics" and "syncedLyrics" are null for an instrumental track and
 * "syncedLyrics" is null when only plain lyrics exist.
 *
 * Auth: none. Rate limit: the docs say "This API has no rate limiting in
 * place" and ask clients to send a User-Agent (or Lrclib-Client) header
 * naming the application, its version and its homepage; the fetch engine
 * sends medley's. LRCLib is a volunteer-run service and /get may query
 * external sources on a miss, so our default is modest: 5 requests per
 * second with a burst of 10 (a track page needs one /get, at most one
 * /search more). The default also agrees with the provider table in
 * src/config.c.
 *
 * Nothing here does I/O or logs. Thread-safety: every function is
 * reentrant.
 */
#ifndef MEDLEY_LRCLIB_H
#define MEDLEY_LRCLIB_H

#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON;

/* Where the API lives; base URLs have no trailing '/'. */
#define LRCLIB_DEFAULT_BASE_URL "https://lrclib.net/api"

/* Our default pacing (no published limit, see above): token-bucket rate and depth. */
#define LRCLIB_DEFAULT_RATE_PER_S 5.0
#define LRCLIB_DEFAULT_BURST 10

/* Largest body a parser accepts (a search answer carries up to 20 full lyrics). */
#define LRCLIB_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Longest artist, title or album sent, in bytes before encoding. */
#define LRCLIB_MAX_FIELD_BYTES 1024u

/* Longest duration /get accepts (its validator: 1..3600 s). */
#define LRCLIB_MAX_DURATION_S 3600L

/* How far a record's duration may be from the track's, as LRCLib's /get matches. */
#define LRCLIB_DEFAULT_TOLERANCE_MS 2000L

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns; pass it empty): base_url (like LRCLIB_DEFAULT_BASE_URL, no trailing
 * slash), the path and the query with every value percent-encoded (RFC 3986
 * unreserved characters kept). artist and title are required; album NULL or
 * "" is left out. Errors: ERR_INVALID_ARGUMENT for a NULL or empty base_url,
 * a missing or empty required value, or any value longer than
 * LRCLIB_MAX_FIELD_BYTES or not valid UTF-8; ERR_TOO_LARGE when out reached
 * its cap. On error out's contents are unspecified.
 */

/*
 * /get?artist_name=&track_name=[&album_name=][&duration=]. duration_s is
 * the track's length in whole seconds; it is left out when <= 0 or past
 * LRCLIB_MAX_DURATION_S (LRCLib would refuse the request; without it /get
 * still matches by names, and lrclib_pick() can check the duration).
 */
MUST_CHECK enum err lrclib_get_url(const char *base_url, const char *artist, const char *title,
				   const char *album, long duration_s, struct buf *out);

/* /search?track_name=&artist_name=[&album_name=]. */
MUST_CHECK enum err lrclib_search_url(const char *base_url, const char *artist, const char *title,
				      const char *album, struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new tree for the caller to free with cJSON_Delete(). A track
 * becomes a "lyrics" fragment (fragment.h): "id" is LRCLib's numeric id as
 * a string; "name" is "trackName" (else "name"), "artist" "artistName",
 * "album" "albumName"; "duration_ms" is "duration" (seconds, fractional)
 * times 1000, rounded; "instrumental" is false unless the body says true;
 * "plain" and "synced" are "plainLyrics" and "syncedLyrics". A string that
 * is empty or only whitespace, or of the wrong type, is null.
 * On error *out is NULL and *why a static reason. Errors: ERR_TOO_LARGE
 * when len > LRCLIB_MAX_BODY_BYTES; ERR_NOT_FOUND for LRCLib's TrackNotFound
 * body (name "TrackNotFound" or code/statusCode 404); ERR_INVALID_ARGUMENT
 * for any other error body, malformed JSON, or (get) a track without an id.
 */

/* A /get body -> a "lyrics" fragment. */
MUST_CHECK enum err lrclib_parse_get(const char *body, size_t len, struct cJSON **out,
				     const char **why);

/*
 * A /search body (an array) -> a candidates fragment {"entity": "lyrics",
 * "items": [lyrics fragment]} in LRCLib's order; items that are not objects
 * or lack an id are skipped, and [] gives an empty list (not an error).
 */
MUST_CHECK enum err lrclib_parse_search(const char *body, size_t len, struct cJSON **out,
					const char **why);

/*
 * The best item of candidates (a fragment from lrclib_parse_search(),
 * borrowed; the result points into it) for a track of duration_ms:
 *  - an item qualifies when it is an answer (synced or plain lyrics, or
 *    instrumental: true) and, when duration_ms > 0, its duration_ms is
 *    known and within tolerance_ms of it (LRCLIB_DEFAULT_TOLERANCE_MS is
 *    LRCLib's own rule; a negative tolerance counts as 0);
 *  - synced lyrics beat plain-only ones, which beat instrumental-only
 *    items; then the closest duration wins; then the first in the list.
 * When duration_ms <= 0 no duration filter applies. NULL when candidates is
 * not a lyrics candidates fragment or nothing qualifies.
 */
const struct cJSON *lrclib_pick(const struct cJSON *candidates, long duration_ms,
				long tolerance_ms);

#endif
