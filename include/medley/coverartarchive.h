/*
 * coverartarchive.h - the Cover Art Archive provider's pure half: request
 * URLs, the listing parser, and the image chooser.
 *
 * The Cover Art Archive (CAA, https://coverartarchive.org) holds the
 * artwork of MusicBrainz releases, keyed by MBID: front and back covers,
 * booklets, media, obis, ... Every image comes with thumbnails of 250, 500
 * and 1200 pixels (older listings name only "small" = 250 and "large" =
 * 500). medley uses two endpoints, both answering the same JSON listing
 * (API: https://musicbrainz.org/doc/Cover_Art_Archive/API):
 *
 *   GET /release/<mbid>          the artwork of one release
 *   GET /release-group/<mbid>    the artwork of the release the group's
 *                                front cover comes from; its "release"
 *                                member names that release, not the group
 *
 *	{"images": [{"image": "https://...jpg", "front": true, "back": false,
 *	             "types": ["Front"], "approved": true, "comment": "",
 *	             "id": 1234, "edit": 5678,
 *	             "thumbnails": {"250": ..., "500": ..., "1200": ...,
 *	                            "small": ..., "large": ...}}, ...],
 *	 "release": "https://musicbrainz.org/release/<mbid>"}
 *
 * A release (or release group) without artwork answers 404 with an HTML
 * page, "No cover art found for release <mbid>"; an MBID that is not
 * lowercase 8-4-4-4-12 hex answers 400 ("invalid MBID specified"). The
 * real service answers a listing with a 307 to archive.org's copy; the
 * fetch engine follows redirects.
 *
 * Auth: none. Rate limit: the API page has a "Rate limiting rules" section
 * that sets no number (it only says a client over its limit gets a 503),
 * so there is no published limit to obey. The default below is a polite
 * choice of ours: a page view needs one or two listings, 5 per second keeps
 * a busy instance far from anything abusive, and a burst of 10 lets an
 * album page's few listings go at once. The default also agrees with the
 * provider table in src/config.c.
 *
 * Nothing here does I/O, logs or allocates outside the trees it returns.
 * Thread-safety: every function is reentrant.
 */
#ifndef MEDLEY_COVERARTARCHIVE_H
#define MEDLEY_COVERARTARCHIVE_H

#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"
#include "medley/fragment.h"

struct cJSON;

/* Where the API lives; base URLs have no trailing '/'. */
#define CAA_DEFAULT_BASE_URL "https://coverartarchive.org"

/* Our default pacing (no published limit, see above): token-bucket rate and depth. */
#define CAA_DEFAULT_RATE_PER_S 5.0
#define CAA_DEFAULT_BURST 10

/* Largest listing caa_parse() accepts (the biggest real ones are a few hundred KiB). */
#define CAA_MAX_BODY_BYTES (4u * 1024 * 1024)

/* At most this many types of one image are kept in its "types". */
#define CAA_MAX_TYPES 16u

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns; pass it empty): base_url (like CAA_DEFAULT_BASE_URL, no trailing
 * slash), then /release/<mbid> or /release-group/<mbid> with the MBID in
 * lowercase (the CAA refuses uppercase). Errors: ERR_INVALID_ARGUMENT for a
 * NULL or empty base_url or an mbid that is not an 8-4-4-4-12 hex UUID;
 * ERR_TOO_LARGE when out reached its cap. On error out's contents are
 * unspecified.
 */
MUST_CHECK enum err caa_release_url(const char *base_url, const char *mbid, struct buf *out);
MUST_CHECK enum err caa_release_group_url(const char *base_url, const char *mbid, struct buf *out);

/*
 * Parse a listing (body[0..len), not NUL-terminated) into a new "cover-art"
 * fragment (fragment.h) for the caller to free with cJSON_Delete():
 *  - "id" is the release MBID (lowercase) read from the body's "release"
 *    URL (".../release/<mbid>"), "url" that URL (null if not http(s));
 *  - "images" ranks front covers first (an image with "front": true), then
 *    back covers ("back": true), then the rest in the body's order, with
 *    approved images before unapproved ones within each rank;
 *  - an image's "type" is "front" or "back" from those flags, else its
 *    first type mapped onto IMAGE_TYPE_LIST ("Booklet" -> "booklet",
 *    "Medium" -> "medium", "Front"/"Back" -> "front"/"back", anything else
 *    -> "other"); "types" is every non-empty type lowercased (at most
 *    CAA_MAX_TYPES, duplicates dropped), [type] when none; "thumbnails"
 *    keeps the "250", "500", "1200", "small" and "large" members that are
 *    http(s) URLs; width and height are null (the listing does not say);
 *  - an image whose "image" is not an http(s) URL is dropped.
 * On error *out is NULL and *why a static reason. Errors: ERR_TOO_LARGE
 * when len > CAA_MAX_BODY_BYTES; ERR_NOT_FOUND for CAA's "No cover art
 * found" page (which a proxy may pass on with a 200); ERR_INVALID_ARGUMENT
 * for anything else that is not a JSON object with an "images" array and
 * a "release" URL ending in an MBID.
 */
MUST_CHECK enum err caa_parse(const char *body, size_t len, struct cJSON **out, const char **why);

/*
 * The URL of the best image of the given type in frag (a fragment from
 * caa_parse(), borrowed; the result points into it): the first image of
 * that type in the fragment's ranking, at size pixels. size 0 asks for the
 * full image; a size > 0 gives the smallest thumbnail at least that large
 * (250 = "250" or "small", 500 = "500" or "large", 1200 = "1200"), else the
 * full image. NULL when frag is not a cover-art fragment, type is outside
 * the enum, size < 0, or no image has that type.
 */
const char *caa_pick(const struct cJSON *frag, enum image_type type, int size);

#endif
