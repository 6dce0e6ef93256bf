/*
 * fragment.h - the one shape every enrichment provider's parser produces.
 *
 * MusicBrainz gives medley its documents (musicbrainz.h). Every other
 * provider (Cover Art Archive, Deezer, iTunes, Discogs, LRCLib, Last.fm,
 * Spotify, fanart.tv, TheAudioDB, Wikidata/Wikipedia) answers in its own
 * format; its parser turns that answer into a *fragment*: a cJSON tree in
 * the fixed shape below, whatever the provider sent. The matcher (match.h)
 * compares fragments with MusicBrainz documents, the merger (merge.h) folds
 * them into the served document, and neither knows any provider's format.
 *
 * Rules every fragment keeps (fragment_check() enforces them):
 *  - every member listed for its kind is present, with its type; nothing
 *    else is (provider-specific scalars go in "extra");
 *  - an absent list is [], an absent scalar null, an absent map {};
 *  - strings are valid UTF-8 (build them with json.h's builders);
 *  - numbers that are counts or sizes are integers >= 0;
 *  - dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD", exactly as precise as the
 *    provider gave them, else null (a "0000-00-00" is null, never invented);
 *  - URLs are absolute http(s) URLs, else the member is null (or the list
 *    item dropped); an image with no usable URL is dropped, and so are the
 *    provider's known placeholders (Last.fm's star image, Deezer's empty
 *    artist picture, Discogs' spacer.gif);
 *  - provider ids are strings, even when the provider sends a number.
 *
 * Entity fragment: one provider's view of one artist, album or track.
 *   "provider"     string   provider_name(), e.g. "deezer"
 *   "kind"         string   "artist" | "release-group" | "release" | "recording"
 *                           (an album that the provider does not split into
 *                           group and release is "release")
 *   "id"           string   the provider's id, non-empty
 *   "url"          string|null   the entity's public page at the provider
 *   "name"         string|null   artist name, or album / track title
 *   "artist"       string|null   credited artist (albums and tracks), else null
 *   "album"        string|null   album title (tracks), else null
 *   "duration_ms"  int|null
 *   "date"         string|null   release date
 *   "images"       [image]       see below; ranked as the provider ranks them
 *   "biographies"  [biography]   one per language the provider gave
 *   "popularity"   {metric: number}   e.g. {"fans": 1234} (Deezer),
 *                           {"listeners": n, "playcount": n} (Last.fm),
 *                           {"popularity": 0..100, "followers": n} (Spotify);
 *                           {} when none
 *   "genres"       [{"name": string, "count": int|null}]   curated genres
 *   "tags"         [{"name": string, "count": int|null}]   folksonomy / styles
 *   "similar"      [{"name": string, "id": string|null, "mbid": string|null,
 *                    "url": string|null, "score": number|null}]
 *   "top_tracks"   [{"title": string, "artist": string|null, "id": string|null,
 *                    "mbid": string|null, "isrc": string|null,
 *                    "duration_ms": int|null, "url": string|null,
 *                    "rank": int|null}]
 *   "tracks"       [{"title": string, "position": int|null, "disc": int|null,
 *                    "duration_ms": int|null, "isrc": string|null,
 *                    "id": string|null}]    an album's tracklist (for matching)
 *   "ids"          {scheme: [string]}   identifiers the answer reveals, each
 *                           list de-duplicated: "mbid" (lowercase), "isrc"
 *                           (uppercase), "upc" (digits), and provider schemes
 *                           "spotify", "deezer", "itunes", "discogs",
 *                           "wikidata", "lastfm", "theaudiodb", "fanarttv"
 *   "extra"        {name: string|number|bool|null|[string]}   the rest, e.g.
 *                           {"preview_url": "...", "explicit": false}; an
 *                           album's track count, when the provider gives
 *                           one, is an integer under the provider's own
 *                           name: "track_count" (iTunes), "nb_tracks"
 *                           (Deezer), "total_tracks" (Spotify); match.h
 *                           reads those three when "tracks" is []
 *
 * An image:
 *   {"url": string, "type": string, "types": [string], "width": int|null,
 *    "height": int|null, "language": string|null, "likes": int|null,
 *    "thumbnails": {size: url}}
 *   "type" is one of IMAGE_TYPE_LIST below; "types" keeps every type the
 *   provider gave (lowercase; Cover Art Archive's "Front", "Booklet", ...),
 *   or [type]; "thumbnails" maps a size to a URL, {} when none: a size
 *   is a name ("small", "medium", "large") or a pixel width in decimal
 *   digits (e.g. "250", "320", "1200"), as the provider labels its
 *   copies.
 *
 * A biography:
 *   {"text": string, "summary": string|null, "language": string|null,
 *    "url": string|null, "attribution": string|null}
 *   text is plain text (HTML tags and the provider's "Read more" link
 *   removed); language is an ISO 639-1 code ("en"); attribution is the
 *   credit line the provider's terms require (Last.fm's CC BY-SA, Wikipedia's
 *   CC BY-SA 4.0), null when none is required.
 *
 * Candidates fragment: a search answer.
 *   {"provider", "kind": "candidates", "entity": "artist" | "release-group" |
 *    "release" | "recording" | "lyrics", "items": [fragment of that entity]}
 *   items keep the provider's order.
 *
 * Cover-art fragment (Cover Art Archive):
 *   {"provider", "kind": "cover-art", "id": the release MBID (lowercase),
 *    "url": the release's page on musicbrainz.org or null, "images": [image]}
 *
 * Lyrics fragment (LRCLib):
 *   {"provider", "kind": "lyrics", "id": string, "name": track title|null,
 *    "artist": string|null, "album": string|null, "duration_ms": int|null,
 *    "instrumental": bool, "plain": string|null, "synced": string|null}
 *   synced keeps LRC text ("[00:17.12] line") as given.
 *
 * Thread-safety: every function is reentrant. Nothing here blocks or logs.
 */
#ifndef MEDLEY_FRAGMENT_H
#define MEDLEY_FRAGMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/common.h"
#include "medley/err.h"

struct cJSON;

// clang-format off
#define IMAGE_TYPE_LIST(X)                                          \
	X(IMAGE_THUMB,      "thumb")      /* artist portrait */     \
	X(IMAGE_BACKGROUND, "background") /* wide artist art */     \
	X(IMAGE_LOGO,       "logo")       /* artist logo (hd or not) */ \
	X(IMAGE_BANNER,     "banner")                               \
	X(IMAGE_FRONT,      "front")      /* album front cover */   \
	X(IMAGE_BACK,       "back")                                 \
	X(IMAGE_BOOKLET,    "booklet")                              \
	X(IMAGE_MEDIUM,     "medium")     /* the disc itself, cdart */ \
	X(IMAGE_CLEARART,   "clearart")                             \
	X(IMAGE_OTHER,      "other")
// clang-format on

enum image_type {
#define IMAGE_TYPE_ENUM_ROW(id, name) id,
	IMAGE_TYPE_LIST(IMAGE_TYPE_ENUM_ROW)
#undef IMAGE_TYPE_ENUM_ROW
	IMAGE_TYPE__COUNT
};

/* "thumb", ...; NULL outside the enum. */
const char *image_type_name(enum image_type t);

/* Inverse of image_type_name(); ERR_INVALID_ARGUMENT for anything else. */
MUST_CHECK enum err image_type_from_name(const char *name, enum image_type *out);

/*
 * Builders shared by the parsers, so every fragment starts complete.
 * fragment_new_entity() returns {provider, kind, id} with every other member
 * of an entity fragment at its empty value (null, [] or {}); kind is one of
 * the four entity kinds and id is copied. fragment_new_candidates() returns
 * {provider, kind: "candidates", entity, items: []}. Never NULL.
 */
struct cJSON *fragment_new_entity(const char *provider, const char *kind, const char *id);
struct cJSON *fragment_new_candidates(const char *provider, const char *entity);

/*
 * Append an image {url, type, types: [type], width, height, language: null,
 * likes: null, thumbnails: {}} to the array arr and return it (borrowed), or
 * NULL (nothing added) when url fails fragment_url_ok() or type is outside
 * the enum. width and height <= 0 mean unknown (null).
 */
struct cJSON *fragment_add_image(struct cJSON *arr, const char *url, enum image_type type,
				 int width, int height);

/* Add s to the list ids[scheme] (created on first use) unless already there; NULL/"" ignored. */
void fragment_add_id(struct cJSON *ids, const char *scheme, const char *s);

/*
 * True if s may stand as a URL in a fragment: valid UTF-8, an absolute
 * http:// or https:// URL with a host, and no spaces or control
 * characters (shape.h's shape_url_ok()). False for NULL.
 */
bool fragment_url_ok(const char *s);

/*
 * Check that frag has exactly the shape of its kind as described above,
 * recursively. On a mismatch returns ERR_INVALID_ARGUMENT and writes
 * "path: problem" to where (size bytes, may be 0). For the parsers' tests,
 * the fuzz targets, and the enrichment engine (enrich.h) and the merger
 * (merge.h) before they trust a fragment.
 */
MUST_CHECK enum err fragment_check(const struct cJSON *frag, char *where, size_t size);

#endif
