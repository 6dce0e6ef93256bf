/*
 * deezer.h - the Deezer provider's pure half: request URLs and response
 * parsers that turn Deezer's JSON into fragments (fragment.h).
 *
 * Deezer (https://developers.deezer.com/api) is a streaming service whose
 * public catalogue API needs no key for what medley reads: artists, their
 * top tracks and related artists, albums (also by UPC), tracks (also by
 * ISRC) and searches. Endpoints, relative to DEEZER_DEFAULT_BASE_URL:
 *
 *	/artist/<id>                 an artist
 *	/artist/<id>/top?limit=N     its most played tracks, best first
 *	/artist/<id>/related?limit=N artists Deezer relates to it
 *	/album/<id>                  an album with its tracklist
 *	/album/upc:<upc>             the same, found by barcode
 *	/track/<id>                  a track (with its ISRC)
 *	/track/isrc:<isrc>           the same, found by ISRC
 *	/search/{artist,album,track}?q=<query>&limit=N
 *
 * Auth: none. OAuth access tokens exist for user data only (/user/...),
 * which medley never reads.
 *
 * Errors come in an envelope sent with HTTP 200:
 *	{"error": {"type": "DataException", "message": "no data", "code": 800}}
 * Code 800 (DataException) means "no such entity" and parsers return
 * ERR_NOT_FOUND for it; every other code (4 "Quota limit exceeded", 100
 * items limit, 200/300 OAuthException, 500/501 parameters, 600 invalid query,
 * 700 service busy, ...) is ERR_INVALID_ARGUMENT with a static *why naming
 * the type and code. deezer_is_quota_error() tells the fetch layer when to
 * back off as for an HTTP 429.
 *
 * Rate limit: Deezer allows 50 requests per 5 seconds per client IP
 * (developers.deezer.com/api, "Quota limit exceeded", error code 4; the
 * limit is counted by IP and is not announced with Retry-After). The
 * defaults below keep a token bucket inside that window: a full bucket of
 * DEEZER_DEFAULT_BURST plus 5 s of refill at DEEZER_DEFAULT_RATE_PER_S is
 * 10 + 40 = 50 requests. (10/s with a burst of 50 has the same long-run
 * rate but can send 50 + 49 requests in the first 5 s, which trips the
 * quota.)
 *
 * What the parsers keep (fragment.h has the shape; values never trusted):
 *  - ids are strings of digits (Deezer sends numbers); an entity without a
 *    usable positive "id" is an error for a lookup, and skipped in a list;
 *  - durations come in seconds and become duration_ms;
 *  - pictures and covers come in four sizes (picture_small 56, _medium 250,
 *    _big 500, _xl 1000 px): one image, of type "thumb" (artists) or
 *    "front" (albums, and a track's album), whose url is the largest size
 *    given, with every size under "thumbnails" ("56", "250", "500",
 *    "1000"). Deezer's placeholder for a missing picture has an empty hash
 *    in its path (".../images/artist//250x250-000000-80-0-0.jpg"): such
 *    URLs are dropped, and an image with no size left is dropped;
 *  - "0000-00-00" and other malformed dates are null.
 *
 * Bodies larger than DEEZER_MAX_BODY_BYTES are refused before parsing.
 * Nothing here does I/O, logs, or keeps state: every function is reentrant.
 */
#ifndef MEDLEY_DEEZER_H
#define MEDLEY_DEEZER_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; fragments are cJSON trees */

/* The public API; base_url in medley's config, without a trailing slash. */
#define DEEZER_DEFAULT_BASE_URL "https://api.deezer.com"

/* Default pacing: see "Rate limit" above (50 requests / 5 s per IP). */
#define DEEZER_DEFAULT_RATE_PER_S 8.0
#define DEEZER_DEFAULT_BURST 10

/* Largest response body a parser accepts (an album of 500 tracks is ~1 MiB). */
#define DEEZER_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Largest limit= sent (Deezer pages lists by index/limit; 100 is plenty). */
#define DEEZER_MAX_LIMIT 100u

/* Longest search query, in bytes before encoding. */
#define DEEZER_MAX_QUERY_BYTES 512u

/* Longest Deezer id accepted, in digits (JSON numbers are exact up to 2^53, 16 digits). */
#define DEEZER_MAX_ID_DIGITS 16u

/* What a search looks for: /search/artist, /search/album, /search/track. */
enum deezer_search {
	DEEZER_SEARCH_ARTIST,
	DEEZER_SEARCH_ALBUM,
	DEEZER_SEARCH_TRACK,
	DEEZER_SEARCH__COUNT
};

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns; pass it empty): base_url, the path, and a query whose values are
 * percent-encoded (RFC 3986 unreserved bytes kept). ids are Deezer ids as
 * decimal strings (1 to DEEZER_MAX_ID_DIGITS digits, no sign, no leading
 * zero). Errors: ERR_INVALID_ARGUMENT for an empty base_url, a malformed id,
 * ISRC or UPC, a limit outside 1..DEEZER_MAX_LIMIT, a kind outside the enum,
 * or (search) an empty, over-long or non-UTF-8 query; ERR_TOO_LARGE when
 * out reached its cap. On error, out's contents are unspecified.
 */

/* <base>/artist/<id> */
MUST_CHECK enum err deezer_artist_url(const char *base_url, const char *id, struct buf *out);

/* <base>/artist/<id>/top?limit=<limit> */
MUST_CHECK enum err deezer_artist_top_url(const char *base_url, const char *id, unsigned limit,
					  struct buf *out);

/* <base>/artist/<id>/related?limit=<limit> */
MUST_CHECK enum err deezer_artist_related_url(const char *base_url, const char *id, unsigned limit,
					      struct buf *out);

/* <base>/album/<id> */
MUST_CHECK enum err deezer_album_url(const char *base_url, const char *id, struct buf *out);

/* <base>/album/upc:<upc>; upc is 8 to 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14). */
MUST_CHECK enum err deezer_album_by_upc_url(const char *base_url, const char *upc, struct buf *out);

/* <base>/track/<id> */
MUST_CHECK enum err deezer_track_url(const char *base_url, const char *id, struct buf *out);

/*
 * <base>/track/isrc:<ISRC>; isrc is an ISO 3901 code of 12 characters,
 * [A-Z]{2}[A-Z0-9]{3}[0-9]{7}, without dashes; lowercase letters are
 * accepted and sent in uppercase.
 */
MUST_CHECK enum err deezer_track_by_isrc_url(const char *base_url, const char *isrc,
					     struct buf *out);

/* <base>/search/<artist|album|track>?q=<q>&limit=<limit>; q as given (see deezer_query()). */
MUST_CHECK enum err deezer_search_url(const char *base_url, enum deezer_search kind, const char *q,
				      unsigned limit, struct buf *out);

/*
 * Append to out a query in Deezer's advanced search syntax:
 *	artist:"<artist>" album:"<album>" track:"<track>" dur_min:<s> dur_max:<s>
 * with the members whose argument is NULL or "" (or, for durations, 0) left
 * out. Deezer has no escape for '"' inside a value: double quotes and
 * control characters in a value become spaces. At least one of artist,
 * album and track must be given, and dur_min_s <= dur_max_s when both are.
 * Errors: ERR_INVALID_ARGUMENT for no text member, a value that is not
 * UTF-8, reversed durations, or a query longer than DEEZER_MAX_QUERY_BYTES;
 * ERR_TOO_LARGE when out reached its cap.
 */
MUST_CHECK enum err deezer_query(const char *artist, const char *album, const char *track,
				 unsigned dur_min_s, unsigned dur_max_s, struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment that passes fragment_check(), for the caller to
 * free with cJSON_Delete(). On error *out is NULL and *why a static reason.
 * Errors: ERR_TOO_LARGE for len > DEEZER_MAX_BODY_BYTES; ERR_NOT_FOUND for
 * Deezer's "no data" envelope (code 800); ERR_INVALID_ARGUMENT for any other
 * error envelope, malformed JSON, a body that is not an object, an entity
 * without a usable id, or a list body without its "data" array.
 */

/*
 * An /artist/<id> body -> an "artist" fragment: name, url (the Deezer page),
 * images (one "thumb"), popularity {"fans": nb_fan}, ids {"deezer": [id]},
 * extra {"nb_album": n}.
 */
MUST_CHECK enum err deezer_parse_artist(const char *body, size_t len, struct cJSON **out,
					const char **why);

/*
 * An /album/<id> or /album/upc:<upc> body -> a "release" fragment: name
 * (title), artist (artist.name), date (release_date), duration_ms, images
 * (one "front"), genres (genres.data names), tracks (tracks.data: title,
 * duration_ms, id; position, disc and isrc when Deezer gives them, which
 * album bodies do not), popularity {"fans"}, ids {"deezer", "upc"}, extra
 * {"artist_id", "label", "record_type" ("album", "ep", "single",
 * "compile"), "nb_tracks", "explicit"}.
 */
MUST_CHECK enum err deezer_parse_album(const char *body, size_t len, struct cJSON **out,
				       const char **why);

/*
 * A /track/<id> or /track/isrc:<isrc> body -> a "recording" fragment: name
 * (title), artist, album (album.title), duration_ms, date (release_date,
 * else album.release_date), images (the album's "front"), popularity
 * {"rank": Deezer's rank score}, ids {"deezer", "isrc"}, extra
 * {"preview_url" (a 30 s MP3, its URL signed and short-lived), "explicit",
 * "bpm" (when > 0), "position", "disc", "artist_id", "album_id"}.
 */
MUST_CHECK enum err deezer_parse_track(const char *body, size_t len, struct cJSON **out,
				       const char **why);

/*
 * An /artist/<id>/top body -> an "artist" fragment of id artist_id (the id
 * the URL was built with; a decimal string) with top_tracks filled in the
 * order Deezer gave (rank = 1-based place in that list, title, artist,
 * id, isrc when given, duration_ms, url) and name taken from the first
 * track credited to that artist. ERR_INVALID_ARGUMENT also for a malformed
 * artist_id.
 */
MUST_CHECK enum err deezer_parse_top(const char *artist_id, const char *body, size_t len,
				     struct cJSON **out, const char **why);

/*
 * An /artist/<id>/related body -> an "artist" fragment of id artist_id with
 * similar filled in Deezer's order ({name, id, url, mbid: null, score:
 * null}). ERR_INVALID_ARGUMENT also for a malformed artist_id.
 */
MUST_CHECK enum err deezer_parse_related(const char *artist_id, const char *body, size_t len,
					 struct cJSON **out, const char **why);

/*
 * A /search/<kind> body -> a "candidates" fragment whose entity is
 * "artist", "release" or "recording" (for DEEZER_SEARCH_ARTIST, _ALBUM,
 * _TRACK), items built as by the parsers above, in Deezer's order; items
 * without a usable id are skipped. ERR_INVALID_ARGUMENT also for a kind
 * outside the enum.
 */
MUST_CHECK enum err deezer_parse_search(enum deezer_search kind, const char *body, size_t len,
					struct cJSON **out, const char **why);

/*
 * True if body[0..len) is Deezer's error envelope with code 4 ("Quota
 * limit exceeded"): the fetch layer should pause the provider as for an
 * HTTP 429 (Deezer sends no Retry-After; the window is 5 s). False for
 * anything else, including bodies over DEEZER_MAX_BODY_BYTES.
 */
bool deezer_is_quota_error(const char *body, size_t len);

#endif
