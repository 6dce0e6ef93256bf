/*
 * fanarttv.h - the fanart.tv provider's pure half: request URLs and the
 * parsers that turn its music answers into fragments (fragment.h).
 *
 * fanart.tv (https://fanart.tv; API v3, documented at
 * https://fanarttv.docs.apiary.io) is a community artwork site keyed by
 * MusicBrainz ids. It gives medley artist thumbnails, wide backgrounds,
 * logos (HD and standard), banners, and album covers and disc art
 * ("cdart") per release group. Endpoints used, relative to
 * FANARTTV_DEFAULT_BASE_URL:
 *
 *	GET /music/{artist-mbid}?api_key=K[&client_key=C]
 *		the artist's images, plus an "albums" map of its release
 *		groups' covers and disc art
 *	GET /music/albums/{release-group-mbid}?api_key=K[&client_key=C]
 *		the same answer reduced to that one release group
 *
 * The answer: {"name", "mbid_id", "artistthumb": [img], "artistbackground":
 * [img], "hdmusiclogo": [img], "musiclogo": [img], "musicbanner": [img],
 * "albums": {rg-mbid: {"albumcover": [img], "cdart": [img]}}}, where an img
 * is {"id", "url", "likes", "lang"} with likes a *string* ("18"), lang an
 * ISO 639-1 code or "00" (no text in the image), and cdart items also carry
 * "disc" and "size" (pixels, square). No such artist, or an artist without
 * images: 404 {"status": "error", "error message": "Not found"}.
 *
 * Auth: api_key, the project's key (mandatory), and client_key, an end
 * user's personal key (optional; it shows newer images). Both are
 * parameters here, never kept.
 *
 * Rate limit: fanart.tv publishes no number for the API (neither the v3
 * documentation nor the fanart.tv API pages give one; the current docs only
 * say that a personal key "bypasses any rate limits applied to the project
 * key"). medley's polite default is 2 requests a second with a burst of 4:
 * artwork is looked up once per artist or album and then cached, so more is
 * never needed.
 *
 * Image URLs: fanart.tv's older answers give http://assets.fanart.tv/...;
 * the same host serves HTTPS, so those URLs are upgraded to
 * https://assets.fanart.tv/... (any other http URL is kept as given). Each
 * image also gets its preview, the same path under /preview/ instead of
 * /fanart/ (about 200 pixels wide), as thumbnails {"small": url}.
 *
 * Nothing here does I/O, logs, or keeps state; every function is reentrant.
 */
#ifndef MEDLEY_FANARTTV_H
#define MEDLEY_FANARTTV_H

#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; fragments are cJSON trees */

/* The API's base URL (v3; no trailing slash). */
#define FANARTTV_DEFAULT_BASE_URL "https://webservice.fanart.tv/v3"

/* Default pacing (token bucket; see the rate limit paragraph above). */
#define FANARTTV_DEFAULT_RATE_PER_S 2.0
#define FANARTTV_DEFAULT_BURST 4

/* Largest response body a parser accepts (a prolific artist's answer is ~100 KiB). */
#define FANARTTV_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Longest api_key or client_key accepted, in bytes. */
#define FANARTTV_MAX_KEY_BYTES 256u

/* At most this many images are kept per image type. */
#define FANARTTV_MAX_IMAGES_PER_TYPE 200

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns; pass it empty): base_url (like FANARTTV_DEFAULT_BASE_URL, no
 * trailing slash), the path with the MBID in lowercase, then api_key and,
 * when client_key is neither NULL nor "", client_key, both percent-encoded.
 * Errors: ERR_INVALID_ARGUMENT for a NULL or empty base_url, an invalid
 * MBID, or a NULL, empty or over-long api_key (or over-long client_key);
 * ERR_TOO_LARGE when out reached its cap. On error, out's contents are
 * unspecified. The URL holds the keys: never log it whole.
 */
MUST_CHECK enum err fanarttv_artist_url(const char *base_url, const char *artist_mbid,
					const char *api_key, const char *client_key,
					struct buf *out);
MUST_CHECK enum err fanarttv_album_url(const char *base_url, const char *rg_mbid,
				       const char *api_key, const char *client_key,
				       struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment (provider "fanarttv") for the caller to free with
 * cJSON_Delete(). On error *out is NULL and *why a static reason. Errors:
 * ERR_TOO_LARGE for len > FANARTTV_MAX_BODY_BYTES; ERR_NOT_FOUND for the
 * error body "Not found"; ERR_INVALID_ARGUMENT for any other error body
 * ("Invalid API key", ...), malformed JSON, or a body that is not an
 * object.
 *
 * Images keep fanart.tv's likes (as an integer) and language ("00" reads as
 * null); within one type they are sorted by likes, most liked first, ties in
 * fanart.tv's order. "types" holds medley's type and fanart.tv's
 * ("logo", "hdmusiclogo").
 */

/*
 * The artist answer -> an "artist" fragment: id = mbid_id (lowercase), name,
 * ids {"mbid"}, url null (fanart.tv's pages need a slug the answer lacks),
 * and images: artistthumb as "thumb", then artistbackground as
 * "background", hdmusiclogo then musiclogo as "logo" (every HD logo before
 * the standard ones), musicbanner as "banner". The "albums" map is ignored
 * (fanarttv_parse_album reads it). ERR_INVALID_ARGUMENT also when mbid_id
 * is missing or not an MBID.
 */
MUST_CHECK enum err fanarttv_parse_artist(const char *body, size_t len, struct cJSON **out,
					  const char **why);

/*
 * The release group rg_mbid's art in an artist answer or a /music/albums/
 * answer (either holds the "albums" map; the v3.2 array form with
 * "release_group_id" is read too) -> a "release-group" fragment: id =
 * rg_mbid (lowercase), artist = the answer's name, ids {"mbid"}, extra
 * {"artist_mbid"}, and images: albumcover as "front", then cdart as
 * "medium" (width and height from "size", or v3.2's "width" and
 * "height"). ERR_NOT_FOUND also when the
 * answer has no entry for rg_mbid; ERR_INVALID_ARGUMENT for an invalid
 * rg_mbid.
 */
MUST_CHECK enum err fanarttv_parse_album(const char *body, size_t len, const char *rg_mbid,
					 struct cJSON **out, const char **why);

#endif
