/*
 * lastfm.h - the Last.fm provider's pure half: request URLs and response
 * parsers into fragments (fragment.h).
 *
 * Last.fm (https://www.last.fm) is a listening-statistics service with
 * user-written wikis. medley reads its web services 2.0 API
 * (https://www.last.fm/api), every call a GET on one root URL:
 *
 *	<base>/?method=<package.method>&<arguments>&api_key=<key>&format=json
 *
 * with the methods artist.getinfo (biography, tags, listeners, similar
 * artists), artist.getsimilar, artist.gettoptracks, album.getinfo (wiki,
 * tracklist), track.getinfo and track.getsimilar. An entity is named by its
 * MusicBrainz id (mbid=) or by its names (artist=, album=, track=); Last.fm
 * has no ids of its own. Every call needs an API key (an application's,
 * sent as api_key=): it is a secret, passed to the builders, never kept.
 * Last.fm asks for an identifiable User-Agent; the fetch engine sends it.
 *
 * Rate limit (Last.fm API Terms of Service, https://www.last.fm/api/tos,
 * section 4.4 as quoted since 2011): "You will not make more than 5
 * requests per originating IP address per second, averaged over a 5 minute
 * period, without prior written consent." The API introduction
 * (https://www.last.fm/api/intro) adds that accounts making "several calls
 * per second" continuously may be suspended. Hence the defaults below.
 *
 * Errors come as {"error": <code>, "message": "...", "links": []}, with
 * status 200 or 4xx: 6 "Invalid parameters" (the artist, album or track
 * could not be found), 10 invalid API key (HTTP 403), 11 and 16 service
 * unavailable, 26 suspended key, 29 rate limit exceeded. The parsers map
 * code 6 to ERR_NOT_FOUND and the others to ERR_INVALID_ARGUMENT;
 * lastfm_error_code() gives the fetch layer the code (29: back off).
 *
 * Quirks the parsers absorb: numbers come as strings ("listeners":
 * "740367"); a list of one item may be the item itself ("track": {...});
 * an empty list may be "" ("tags": ""); artist images are all Last.fm's
 * star placeholder nowadays (LASTFM_PLACEHOLDER_IMAGE, dropped); a
 * biography in a language Last.fm has none in is only the "Read more"
 * link (dropped); album.getinfo gives track durations in seconds but
 * track.getinfo in milliseconds.
 *
 * Nothing here does I/O or logs. Thread-safety: every function is
 * reentrant.
 */
#ifndef MEDLEY_LASTFM_H
#define MEDLEY_LASTFM_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; fragments are cJSON trees */

/* The API root (no trailing slash; the builders add "/?method=..."). */
#define LASTFM_DEFAULT_BASE_URL "https://ws.audioscrobbler.com/2.0"

/* Published limit (see above): 5 requests a second, averaged over 5 minutes. */
#define LASTFM_DEFAULT_RATE_PER_S 5.0
#define LASTFM_DEFAULT_BURST 5

/* Largest response body a parser accepts. */
#define LASTFM_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Largest limit= sent (Last.fm's own pages stop well before). */
#define LASTFM_MAX_LIMIT 1000u

/* Longest artist, album or track name, and longest API key, in bytes. */
#define LASTFM_MAX_NAME_BYTES 1024u
#define LASTFM_MAX_KEY_BYTES 128u

/* The licence line Last.fm appends to every wiki text; biographies carry it as attribution. */
#define LASTFM_ATTRIBUTION                                                              \
	"User-contributed text is available under the Creative Commons By-SA License; " \
	"additional terms may apply."

/* The image hash Last.fm serves for every artist picture (a grey star). */
#define LASTFM_PLACEHOLDER_IMAGE "2a96cbd8b46e442fc41c2b86b821562f"

/* Error codes the callers act on. */
#define LASTFM_ERROR_NOT_FOUND 6
#define LASTFM_ERROR_INVALID_KEY 10
#define LASTFM_ERROR_SUSPENDED_KEY 26
#define LASTFM_ERROR_RATE_LIMIT 29

/*
 * Request builders. Each appends one absolute URL to out (the caller's buf;
 * pass it empty): base_url (like LASTFM_DEFAULT_BASE_URL, no trailing
 * slash), "/?method=<m>", the entity, the options, "autocorrect=1" (Last.fm
 * then follows its own spelling corrections), "api_key=<key>" and
 * "format=json", every value percent-encoded.
 *
 * The entity is named by mbid when it is not NULL or "" (sent in lowercase;
 * the names are then not sent, as Last.fm would ignore them), else by the
 * names, each required. lang, where taken, is NULL (Last.fm's default,
 * English) or an ISO 639-1 code of two lowercase letters. limit is
 * 1..LASTFM_MAX_LIMIT.
 *
 * Errors: ERR_INVALID_ARGUMENT for an empty base_url, a NULL or empty
 * api_key (or one longer than LASTFM_MAX_KEY_BYTES), an invalid mbid, a
 * missing name, a name that is not UTF-8 or is longer than
 * LASTFM_MAX_NAME_BYTES, a bad lang or limit; ERR_TOO_LARGE when out
 * reached its cap. On error, out's contents are unspecified.
 */
MUST_CHECK enum err lastfm_artist_info_url(const char *base_url, const char *api_key,
					   const char *mbid, const char *artist, const char *lang,
					   struct buf *out);
MUST_CHECK enum err lastfm_artist_similar_url(const char *base_url, const char *api_key,
					      const char *mbid, const char *artist, unsigned limit,
					      struct buf *out);
MUST_CHECK enum err lastfm_artist_top_tracks_url(const char *base_url, const char *api_key,
						 const char *mbid, const char *artist,
						 unsigned limit, struct buf *out);
MUST_CHECK enum err lastfm_album_info_url(const char *base_url, const char *api_key,
					  const char *mbid, const char *artist, const char *album,
					  const char *lang, struct buf *out);
MUST_CHECK enum err lastfm_track_info_url(const char *base_url, const char *api_key,
					  const char *mbid, const char *artist, const char *track,
					  struct buf *out);
MUST_CHECK enum err lastfm_track_similar_url(const char *base_url, const char *api_key,
					     const char *mbid, const char *artist,
					     const char *track, unsigned limit, struct buf *out);

/*
 * The code of a Last.fm error body {"error": <n>, ...}: n > 0, or 0 when
 * body[0..len) is not one (not JSON, too large, no integral "error").
 */
int lastfm_error_code(const char *body, size_t len);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment (fragment.h) for the caller to free with
 * cJSON_Delete(); fragment_check() passes on it. On error *out is NULL and
 * *why a static reason. Errors: ERR_TOO_LARGE for len >
 * LASTFM_MAX_BODY_BYTES; ERR_NOT_FOUND for error 6; ERR_INVALID_ARGUMENT for
 * any other error body, malformed JSON, a body that is not an object or
 * lacks the method's member ("artist", "similarartists", ...), or an
 * entity without a name.
 *
 * Fragment ids: Last.fm names entities, so an artist's id is its name and
 * an album's or track's is "<artist> - <title>"; ids.lastfm holds the same.
 * ids.mbid holds the MBID Last.fm gives, when it is a valid one
 * (lowercased). Counts that Last.fm sends as strings become numbers.
 * Images drop the placeholder and empty URLs; the largest size is the
 * image, "small" and "large" its thumbnails.
 *
 * Biographies (artist bio, album and track wiki): content, else summary,
 * with the "Read more on Last.fm" link and the licence line after it cut,
 * HTML tags removed and entities decoded; none when nothing is left. summary
 * likewise (null when empty); url the wiki page (bio.links.link.href, else
 * the Read-more link); language is lang (the one asked for; NULL reads
 * "en"); attribution LASTFM_ATTRIBUTION.
 */

/*
 * artist.getinfo -> "artist": name, url, ids.mbid, popularity {listeners,
 * playcount}, tags (count null), similar (name, mbid, url; score null),
 * biographies[0], images (thumb), extra.ontour.
 */
MUST_CHECK enum err lastfm_parse_artist_info(const char *body, size_t len, const char *lang,
					     struct cJSON **out, const char **why);

/* artist.getsimilar -> "artist" (id and name from @attr.artist): similar with match as score. */
MUST_CHECK enum err lastfm_parse_artist_similar(const char *body, size_t len, struct cJSON **out,
						const char **why);

/*
 * artist.gettoptracks -> "artist" (from @attr.artist): top_tracks (title,
 * artist, mbid, url, rank from @attr.rank).
 */
MUST_CHECK enum err lastfm_parse_artist_top_tracks(const char *body, size_t len, struct cJSON **out,
						   const char **why);

/*
 * album.getinfo -> "release-group": name, artist, url, ids.mbid,
 * popularity, tags, biographies from the wiki, tracks (position from
 * @attr.rank, duration from seconds; a lone track object counts as a list
 * of one), images (front).
 */
MUST_CHECK enum err lastfm_parse_album_info(const char *body, size_t len, const char *lang,
					    struct cJSON **out, const char **why);

/*
 * track.getinfo -> "recording": name, artist, album (title), duration_ms,
 * url, ids.mbid, popularity, tags (toptags), biographies from the wiki
 * (language "en": track.getinfo takes no lang), images (the album's, front).
 */
MUST_CHECK enum err lastfm_parse_track_info(const char *body, size_t len, struct cJSON **out,
					    const char **why);

/*
 * track.getsimilar -> "recording" (from @attr.artist and @attr.track):
 * similar tracks, each named by its title with id "<artist> - <title>",
 * its mbid, url and match as score.
 */
MUST_CHECK enum err lastfm_parse_track_similar(const char *body, size_t len, struct cJSON **out,
					       const char **why);

#endif
