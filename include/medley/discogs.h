/*
 * discogs.h - the Discogs provider's pure half: request URLs, the
 * Authorization header, and response parsers into fragments (fragment.h).
 *
 * Discogs (https://www.discogs.com) is a crowd-sourced discography and
 * record marketplace. medley reads its database API v2.0
 * (https://www.discogs.com/developers), JSON over HTTPS:
 *
 *	GET /artists/<id>                 an artist: name, profile, images
 *	GET /releases/<id>                one release (a pressing): tracklist,
 *	                                  identifiers (barcode), genres, styles
 *	GET /masters/<id>                 a master: what groups the releases
 *	                                  (MusicBrainz's release group)
 *	GET /database/search?q=&type=     search (needs authentication)
 *
 * Ids are positive integers, sent by Discogs as JSON numbers; medley keeps
 * them as decimal strings. MusicBrainz's url relations point at
 * https://www.discogs.com/artist/<id>, /master/<id> and /release/<id>;
 * discogs_id_from_url() reads those.
 *
 * Authentication is optional except for search: a personal access token is
 * sent as "Authorization: Discogs token=<token>" (discogs_auth_header()).
 * Without it the API answers, but image URLs come back empty, and search
 * answers 401. Discogs also requires a User-Agent that identifies the
 * application ("Your application must provide a User-Agent string that
 * identifies itself"): generic ones are refused. The fetch engine sends it.
 *
 * Rate limit (Discogs API documentation, "Rate Limiting",
 * https://www.discogs.com/developers#page:home,header:home-rate-limiting):
 * "Requests are throttled by the server by source IP to 60 per minute for
 * authenticated requests, and 25 per minute for unauthenticated requests",
 * as a moving average over a 60 second window; each answer reports the
 * window in X-Discogs-Ratelimit, -Used and -Remaining, and 429 means slow
 * down. The defaults below are the anonymous figure; a deployment with a
 * token may use DISCOGS_RATE_AUTH_PER_S.
 *
 * Attribution (Discogs API Terms of Use): data shown to users is credited
 * "Data provided by Discogs" with a link to the Discogs page; applications
 * also carry DISCOGS_DISCLAIMER. Biographies carry DISCOGS_ATTRIBUTION and
 * the artist's page as their url.
 *
 * Errors come as {"message": "..."} with a 4xx status: 404 "Artist not
 * found." / "Release not found." / "Master Release not found.", 401 "You
 * must authenticate to access this resource.", 429 "You are making
 * requests too quickly.". The parsers map a body that is such an envelope
 * (whatever the status) to ERR_NOT_FOUND for "... not found." and to
 * ERR_INVALID_ARGUMENT otherwise.
 *
 * Nothing here does I/O or logs. Thread-safety: every function is
 * reentrant.
 */
#ifndef MEDLEY_DISCOGS_H
#define MEDLEY_DISCOGS_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; fragments are cJSON trees */

/* The API's base URL (no trailing slash), and the site relative URLs hang from. */
#define DISCOGS_DEFAULT_BASE_URL "https://api.discogs.com"
#define DISCOGS_WEB_URL "https://www.discogs.com"

/* Published limits (see above): 25 requests a minute anonymous, 60 with a token. */
#define DISCOGS_RATE_ANON_PER_S (25.0 / 60.0)
#define DISCOGS_RATE_AUTH_PER_S (60.0 / 60.0)
#define DISCOGS_DEFAULT_RATE_PER_S DISCOGS_RATE_ANON_PER_S
/* The window is a 60 s moving average, so a short burst is allowed; keep it small. */
#define DISCOGS_DEFAULT_BURST 5

/* The header discogs_auth_header() builds the value of. */
#define DISCOGS_AUTH_HEADER_NAME "Authorization"

/* Credit line of biographies, and the notice the API Terms of Use ask applications to show. */
#define DISCOGS_ATTRIBUTION "Data provided by Discogs"
#define DISCOGS_DISCLAIMER                                                             \
	"This application uses Discogs' API but is not affiliated with, sponsored or " \
	"endorsed by Discogs. 'Discogs' is a trademark of Zink Media, LLC."

/* Largest response body a parser accepts (a big box set's release is a few hundred KiB). */
#define DISCOGS_MAX_BODY_BYTES (8u * 1024 * 1024)

/* Longest id kept (digits; Discogs ids fit in 32 bits today). */
#define DISCOGS_MAX_ID_LEN 19

/* Largest search page Discogs serves (per_page=1..100). */
#define DISCOGS_MAX_PER_PAGE 100u

/* Longest search query or barcode, and longest token, in bytes. */
#define DISCOGS_MAX_QUERY_BYTES 1024u
#define DISCOGS_MAX_TOKEN_BYTES 256u

enum discogs_entity {
	DISCOGS_ARTIST,
	DISCOGS_RELEASE,
	DISCOGS_MASTER,
	DISCOGS_ENTITY__COUNT
};

/* "artist", "release", "master" (Discogs' names, as in search's type=); NULL outside the enum. */
const char *discogs_entity_name(enum discogs_entity e);

/* The fragment kind of e: "artist", "release", "release-group"; NULL outside the enum. */
const char *discogs_entity_kind(enum discogs_entity e);

/* True if s is a Discogs id: 1 to DISCOGS_MAX_ID_LEN decimal digits, not 0, no sign. */
bool discogs_valid_id(const char *s);

/*
 * Read a Discogs page URL, as MusicBrainz's url relations hold them:
 * http(s)://(www.)discogs.com/artist/<id>[-Name], /release/<id>[-...],
 * /master/<id>[-...], and the old /<Name>/release/<id> forms. Sets *e and
 * copies the id into id. ERR_INVALID_ARGUMENT for any other URL (labels,
 * users, another host) or NULL.
 */
MUST_CHECK enum err discogs_id_from_url(const char *url, enum discogs_entity *e,
					char id[DISCOGS_MAX_ID_LEN + 1]);

/*
 * Request builders. Each appends one absolute URL to out (the caller's buf;
 * pass it empty): base_url (like DISCOGS_DEFAULT_BASE_URL, no trailing
 * slash), the path, and a query with every value percent-encoded.
 * Errors: ERR_INVALID_ARGUMENT for an empty base_url, an invalid id, an
 * entity outside the enum, or (search) a bad query; ERR_TOO_LARGE when out
 * reached its cap. On error, out's contents are unspecified.
 */

/* <base>/artists/<id>, <base>/releases/<id>, <base>/masters/<id>. */
MUST_CHECK enum err discogs_artist_url(const char *base_url, const char *id, struct buf *out);
MUST_CHECK enum err discogs_release_url(const char *base_url, const char *id, struct buf *out);
MUST_CHECK enum err discogs_master_url(const char *base_url, const char *id, struct buf *out);

/* The lookup URL of entity e (one of the three above). */
MUST_CHECK enum err discogs_lookup_url(const char *base_url, enum discogs_entity e, const char *id,
				       struct buf *out);

/*
 * <base>/database/search?[q=<q>&]type=<artist|release|master>[&barcode=<b>]
 * [&per_page=<n>]. q and barcode are optional (NULL or "") but not both;
 * each at most DISCOGS_MAX_QUERY_BYTES of UTF-8. per_page 0 leaves the
 * server's default (50), else 1..DISCOGS_MAX_PER_PAGE. Search needs the
 * Authorization header.
 */
MUST_CHECK enum err discogs_search_url(const char *base_url, enum discogs_entity type,
				       const char *q, const char *barcode, unsigned per_page,
				       struct buf *out);

/*
 * Append the value of the Authorization header for a personal access token,
 * "Discogs token=<token>", to out. The token is a secret: the caller keeps
 * it out of logs (and so must out's contents). ERR_INVALID_ARGUMENT for a
 * NULL or empty token, one longer than DISCOGS_MAX_TOKEN_BYTES, or one with
 * bytes outside printable ASCII or a space (they would break the header);
 * ERR_TOO_LARGE when out reached its cap.
 */
MUST_CHECK enum err discogs_auth_header(const char *token, struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment (fragment.h) for the caller to free with
 * cJSON_Delete(); fragment_check() passes on it. On error *out is NULL and
 * *why a static reason. Errors: ERR_TOO_LARGE for len >
 * DISCOGS_MAX_BODY_BYTES; ERR_NOT_FOUND for Discogs' "... not found."
 * envelope; ERR_INVALID_ARGUMENT for any other envelope, malformed JSON, a
 * body that is not an object, an entity without a valid "id", a search
 * without "results", or an entity outside the enum.
 *
 * What every fragment holds: id (decimal string), url (the page on
 * www.discogs.com), ids.discogs [id]. Names lose Discogs' disambiguation
 * suffix ("Nirvana (2)" -> "Nirvana", the raw one in extra.discogs_name).
 * Images with an empty uri (every image of an anonymous request) or
 * Discogs' spacer.gif are dropped; uri150 becomes thumbnails.small.
 */

/*
 * /artists/<id> -> "artist": name, biographies[0] from the profile (Discogs
 * markup removed: [a=Name] and [l=Name] become the name, [url=...]text[/url]
 * the text, [b] [i] [u] go, id references such as [m=5460] or [a123] go;
 * language "en", attribution DISCOGS_ATTRIBUTION), images (type thumb, the
 * primary first), extra.realname.
 */
MUST_CHECK enum err discogs_parse_artist(const char *body, size_t len, struct cJSON **out,
					 const char **why);

/*
 * /releases/<id> -> "release": name (title), artist (the credits joined with
 * their join phrases, name variations preferred), date ("released", exactly
 * as precise as given: "1987-07-00" is "1987-07"; else "year"), genres,
 * styles as tags, tracks (headings skipped; disc from "1-2"-style positions;
 * position the ordinal within the disc; "4:05" durations), ids.upc from
 * Barcode identifiers (digits only), images (primary as front first, the
 * rest other), popularity {have, want}, extra.master_id, extra.country.
 */
MUST_CHECK enum err discogs_parse_release(const char *body, size_t len, struct cJSON **out,
					  const char **why);

/*
 * /masters/<id> -> "release-group": name, artist, date ("year"), genres,
 * tags, tracks, images as for a release, extra.main_release.
 */
MUST_CHECK enum err discogs_parse_master(const char *body, size_t len, struct cJSON **out,
					 const char **why);

/*
 * /database/search -> "candidates" of discogs_entity_kind(type), the results
 * of that type in Discogs' order (others are skipped). Items are minimal
 * entity fragments: id, name ("Artist - Title" is split into artist and
 * name for releases and masters), url (relative uris are made absolute on
 * DISCOGS_WEB_URL), date (year), genres, tags, images (cover_image, thumb
 * as thumbnails.small).
 */
MUST_CHECK enum err discogs_parse_search(enum discogs_entity type, const char *body, size_t len,
					 struct cJSON **out, const char **why);

#endif
