/*
 * itunes.h - the iTunes Search API provider's pure half: request URLs,
 * artwork URLs and response parsers that turn Apple's JSON into fragments
 * (fragment.h).
 *
 * The iTunes Search API (Apple, "iTunes Search API" documentation on
 * performance-partners.apple.com, formerly developer.apple.com/library/
 * archive/documentation/AudioVideo/Conceptual/iTuneSearchAPI) searches and
 * looks up the iTunes Store catalogue of one country's storefront. No key,
 * no auth. Endpoints, relative to ITUNES_DEFAULT_BASE_URL:
 *
 *	/search?term=<t>&media=music&entity=<musicArtist|album|song>&limit=N
 *		[&country=<cc>]
 *	/lookup?id=<n>[&entity=song|album][&limit=N][&country=<cc>]
 *	/lookup?upc=<digits>[&entity=song][&limit=N][&country=<cc>]
 *
 * Both answer {"resultCount": n, "results": [...]}, each result tagged by
 * "wrapperType": "artist", "collection" (an album; "collectionType":
 * "Album") or "track" ("kind": "song", "music-video", ...). A lookup with
 * entity= answers the looked-up item first, then its related items (an
 * album, then its tracks). An unknown id is not an error: resultCount is 0.
 * A malformed request is HTTP 400 with {"errorMessage": "Invalid value(s)
 * for key(s): [resultEntity]", "queryParameters": {...}}. Apple serves the
 * JSON as "text/javascript; charset=utf-8", after a few newlines.
 *
 * Rate limit: "approximately 20 calls per minute (subject to change)"
 * (Apple's iTunes Search API documentation, overview). A token bucket may
 * send its whole burst and then refill, so 0.33/s with a burst of 5 could
 * send 25 calls in a minute; the defaults below send at most
 * ITUNES_DEFAULT_BURST + 60 s x ITUNES_DEFAULT_RATE_PER_S = 2 + 18 = 20
 * calls in any minute. Throttling is undocumented (users report HTTP 403).
 *
 * Artwork: results carry "artworkUrl100" (also 30 and 60), an mzstatic.com
 * URL whose last path segment names the size, ".../100x100bb.jpg". The
 * image service renders any size asked for in that segment
 * ("{w}x{h}bb.jpg": the template Apple documents for the Apple Music API's
 * Artwork object, developer.apple.com/documentation/applemusicapi/artwork,
 * and the well-known rewrite of the Search API's URLs, e.g. Stack Overflow
 * "Getting bigger artwork images from iTunes web search", question
 * 13382208). itunes_artwork_url() does the rewrite; the parsers give one
 * "front" image whose url is the ITUNES_ARTWORK_SIZE rendering, with
 * thumbnails "250", "500" and "1200". Width and height are left null: Apple
 * renders at most the size of its master, which the answer does not give.
 *
 * Names: Apple appends " - EP" or " - Single" to collectionName. The
 * parsers strip that suffix from album names (and from a track's album)
 * and keep it as extra.record_type "ep" or "single", so names compare with
 * MusicBrainz titles.
 *
 * Bodies larger than ITUNES_MAX_BODY_BYTES are refused before parsing.
 * Nothing here does I/O, logs, or keeps state: every function is reentrant.
 */
#ifndef MEDLEY_ITUNES_H
#define MEDLEY_ITUNES_H

#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; fragments are cJSON trees */

/* The public API; base_url in medley's config, without a trailing slash. */
#define ITUNES_DEFAULT_BASE_URL "https://itunes.apple.com"

/* Default pacing: see "Rate limit" above (~20 requests a minute). */
#define ITUNES_DEFAULT_RATE_PER_S 0.3
#define ITUNES_DEFAULT_BURST 2

/* Largest response body a parser accepts (200 results are ~400 KiB). */
#define ITUNES_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Largest limit= the API honours (its documented range is 1 to 200). */
#define ITUNES_MAX_LIMIT 200u

/* Longest search term, in bytes before encoding. */
#define ITUNES_MAX_TERM_BYTES 512u

/* Longest iTunes id accepted, in digits. */
#define ITUNES_MAX_ID_DIGITS 16u

/* Side of the square artwork the parsers give as an image's url. */
#define ITUNES_ARTWORK_SIZE 1200

/* Largest side itunes_artwork_url() asks for (Apple's masters rarely pass 3000). */
#define ITUNES_MAX_ARTWORK_SIZE 10000

/* What a search looks for, and what a candidates fragment holds. */
enum itunes_entity {
	ITUNES_ARTIST, /* entity=musicArtist -> "artist" items */
	ITUNES_ALBUM,  /* entity=album -> "release" items */
	ITUNES_SONG,   /* entity=song -> "recording" items */
	ITUNES_ENTITY__COUNT
};

/* What a lookup adds after the item looked up: nothing, its songs, its albums. */
enum itunes_include {
	ITUNES_INCLUDE_NONE,
	ITUNES_INCLUDE_SONGS,  /* entity=song: an album's tracks */
	ITUNES_INCLUDE_ALBUMS, /* entity=album: an artist's albums */
	ITUNES_INCLUDE__COUNT
};

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns; pass it empty): base_url, the path, and a query whose values are
 * percent-encoded (RFC 3986 unreserved bytes kept). country is a storefront,
 * two ASCII letters (sent in lowercase), or NULL / "" for Apple's default
 * (us). Errors: ERR_INVALID_ARGUMENT for an empty base_url, an enum value
 * outside its range, a malformed id, UPC or country, a limit outside
 * 1..ITUNES_MAX_LIMIT (0 allowed where said), or an empty, over-long or
 * non-UTF-8 term; ERR_TOO_LARGE when out reached its cap. On error, out's
 * contents are unspecified.
 */

/* <base>/search?term=<term>&media=music&entity=<e>&limit=<limit>[&country=<cc>] */
MUST_CHECK enum err itunes_search_url(const char *base_url, enum itunes_entity e, const char *term,
				      unsigned limit, const char *country, struct buf *out);

/*
 * <base>/lookup?id=<id>[&entity=song|album][&limit=<limit>][&country=<cc>];
 * id is 1 to ITUNES_MAX_ID_DIGITS digits; limit 0 leaves it out (Apple then
 * returns at most 50 related items: pass ITUNES_MAX_LIMIT for a long album).
 */
MUST_CHECK enum err itunes_lookup_url(const char *base_url, const char *id, enum itunes_include inc,
				      unsigned limit, const char *country, struct buf *out);

/*
 * <base>/lookup?upc=<upc>[&entity=song][&limit=<limit>][&country=<cc>]; upc
 * is 8 to 14 digits; inc is ITUNES_INCLUDE_NONE or _SONGS.
 */
MUST_CHECK enum err itunes_lookup_upc_url(const char *base_url, const char *upc,
					  enum itunes_include inc, unsigned limit,
					  const char *country, struct buf *out);

/*
 * Append to out the artwork URL url100 (any of Apple's artworkUrl30/60/100)
 * rewritten to size x size pixels: its last path segment "<w>x<h>bb.<ext>"
 * becomes "<size>x<size>bb.<ext>", the rest is kept. Errors:
 * ERR_INVALID_ARGUMENT when url100 is not an absolute http(s) URL ending in
 * such a segment, or size is outside 1..ITUNES_MAX_ARTWORK_SIZE;
 * ERR_TOO_LARGE when out reached its cap.
 */
MUST_CHECK enum err itunes_artwork_url(const char *url100, int size, struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment that passes fragment_check(), for the caller to
 * free with cJSON_Delete(). On error *out is NULL and *why a static reason.
 * Errors: ERR_TOO_LARGE for len > ITUNES_MAX_BODY_BYTES;
 * ERR_INVALID_ARGUMENT for Apple's {"errorMessage"} body, malformed JSON,
 * a body that is not an object, a body without its "results" array, or an
 * enum value outside its range.
 *
 * Items (values never trusted; ids are decimal strings):
 *  - artist: id artistId, name artistName, url artistLinkUrl (else
 *    artistViewUrl), genres [primaryGenreName], ids {"itunes"}, extra
 *    {"amg_artist_id"};
 *  - release: id collectionId, name collectionName, artist artistName, url
 *    collectionViewUrl, date (releaseDate's YYYY-MM-DD), images (one
 *    "front"), genres, ids {"itunes"}, extra {"artist_id", "track_count",
 *    "record_type" ("ep", "single", when named so), "explicitness",
 *    "copyright", "country", "collection_type"};
 *  - recording: id trackId, name trackName, artist, album, duration_ms
 *    trackTimeMillis, url trackViewUrl, date, images (the album's "front"),
 *    genres, ids {"itunes"}, extra {"preview_url" (a 30 s AAC), "track_number",
 *    "disc_number", "track_count", "disc_count", "collection_id",
 *    "artist_id", "explicitness", "kind"}.
 * Apple's ISRCs are not in the Search API: tracks carry none.
 */

/*
 * A /search or /lookup body -> a "candidates" fragment of entity "artist",
 * "release" or "recording" (for ITUNES_ARTIST, _ALBUM, _SONG) whose items
 * are the results of that kind (wrapperType "artist"; "collection";
 * "track" of kind "song"), in Apple's order; other results and results
 * without a usable id are skipped. resultCount 0 gives no items.
 */
MUST_CHECK enum err itunes_parse_results(enum itunes_entity e, const char *body, size_t len,
					 struct cJSON **out, const char **why);

/*
 * A /lookup?id=<album>&entity=song (or ?upc=...&entity=song) body -> a
 * "release" fragment of the first collection result, with tracks filled
 * from the "track" results of that collection (songs and music videos, as
 * Apple numbers both), in Apple's order: {title, position trackNumber,
 * disc discNumber, duration_ms, isrc: null, id trackId}. Also
 * ERR_NOT_FOUND when the answer holds no collection (an unknown id).
 */
MUST_CHECK enum err itunes_parse_album_lookup(const char *body, size_t len, struct cJSON **out,
					      const char **why);

#endif
