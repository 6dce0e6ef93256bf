/*
 * spotify.h - the Spotify Web API provider's pure half: the client
 * credentials token request, request URLs, and response parsers that turn
 * Spotify's JSON into fragments (fragment.h).
 *
 * Spotify (https://developer.spotify.com/documentation/web-api) gives
 * medley artist pictures, popularity and follower counts, genres, album
 * covers, UPCs, ISRCs, durations and an artist's top tracks. Endpoints used,
 * relative to SPOTIFY_DEFAULT_BASE_URL:
 *
 *	GET /artists/{id}                      one artist
 *	GET /artists/{id}/top-tracks?market=CC  an artist's ten most played tracks
 *	GET /albums/{id}                       one album, with its first 50 tracks
 *	GET /tracks/{id}                       one track, with its ISRC
 *	GET /search?q=..&type=..&limit=N        artists, albums or tracks
 *
 * Auth: every API request carries "Authorization: Bearer <token>". The token
 * comes from the client credentials flow (RFC 6749 section 4.4): POST
 * SPOTIFY_DEFAULT_TOKEN_URL with "Authorization: Basic base64(id:secret)",
 * Content-Type SPOTIFY_TOKEN_CONTENT_TYPE and the body
 * "grant_type=client_credentials"; the answer holds the token and its
 * lifetime (one hour). The client id and secret are parameters, never kept
 * here. A 401 answer means the token expired or was refused: fetch a new one
 * (spotify_token_expired()) and retry once.
 *
 * Rate limit: Spotify counts an app's calls over a rolling 30 second window
 * and publishes no number; past it, it answers 429 with Retry-After
 * (https://developer.spotify.com/documentation/web-api/concepts/rate-limits).
 * The limit is lower for apps in development mode. medley's default, 2
 * requests a second with a burst of 5 (at most 65 calls in any 30 s), stays
 * well under what development-mode apps are seen to get, and a metadata
 * aggregator rarely needs more than a few calls per served document; the
 * fetch engine honours Retry-After whatever the setting.
 *
 * Nothing here does I/O, logs, or keeps state; every function is reentrant.
 * Parsers refuse bodies over SPOTIFY_MAX_BODY_BYTES before parsing and
 * return errors with a static reason in *why for the caller to log.
 */
#ifndef MEDLEY_SPOTIFY_H
#define MEDLEY_SPOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; fragments are cJSON trees */

/* The Web API's base URL and the accounts service's token URL (no trailing slash). */
#define SPOTIFY_DEFAULT_BASE_URL "https://api.spotify.com/v1"
#define SPOTIFY_DEFAULT_TOKEN_URL "https://accounts.spotify.com/api/token"

/* Default pacing (token bucket; see the rate limit paragraph above). */
#define SPOTIFY_DEFAULT_RATE_PER_S 2.0
#define SPOTIFY_DEFAULT_BURST 5

/* Largest response body a parser accepts (a full album answer is ~300 KiB). */
#define SPOTIFY_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Length of a Spotify id (base62), without the NUL. */
#define SPOTIFY_ID_LEN 22

/* Largest search page Spotify serves (limit=1..50). */
#define SPOTIFY_MAX_LIMIT 50u

/* Largest search query, in bytes before encoding. */
#define SPOTIFY_MAX_QUERY_BYTES 512u

/* Room spotify_parse_token() needs for any token it accepts, NUL included. */
#define SPOTIFY_TOKEN_MAX_BYTES 1024u

/* Longest client id or client secret accepted (Spotify's are 32 hex digits). */
#define SPOTIFY_MAX_CREDENTIAL_BYTES 256u

/* Token lifetime assumed when the answer gives none, and the longest believed. */
#define SPOTIFY_TOKEN_DEFAULT_TTL_S 3600L
#define SPOTIFY_TOKEN_MAX_TTL_S 86400L

/* What the fetch engine POSTs to the token URL. */
#define SPOTIFY_TOKEN_CONTENT_TYPE "application/x-www-form-urlencoded"

enum spotify_type {
	SPOTIFY_ARTIST,
	SPOTIFY_ALBUM,
	SPOTIFY_TRACK,
	SPOTIFY_TYPE__COUNT
};

/* "artist", "album", "track" (Spotify's names); NULL outside the enum. */
const char *spotify_type_name(enum spotify_type t);

/* True if s is a Spotify id: exactly SPOTIFY_ID_LEN characters of [0-9A-Za-z]. */
bool spotify_valid_id(const char *s);

/*
 * The type and id of a Spotify link: "https://open.spotify.com/artist/<id>"
 * (also with a locale segment such as "/intl-de/", a query or a fragment,
 * and over http) or a "spotify:artist:<id>" URI, as MusicBrainz url
 * relations carry them. Errors: ERR_INVALID_ARGUMENT for anything else,
 * including other types (playlist, show) and malformed ids.
 */
MUST_CHECK enum err spotify_id_from_url(const char *url, enum spotify_type *type,
					char id[SPOTIFY_ID_LEN + 1]);

/* ---- auth ---------------------------------------------------------------- */

/*
 * The client credentials token request: appends the Authorization header
 * value "Basic <base64(client_id:client_secret)>" to auth_header and the
 * form body "grant_type=client_credentials" to form_body (both bufs owned by
 * the caller; pass them empty). Errors: ERR_INVALID_ARGUMENT for a NULL,
 * empty or over-long (SPOTIFY_MAX_CREDENTIAL_BYTES) id or secret, a ':' in
 * the id (RFC 7617), or a control character in either; ERR_TOO_LARGE when a
 * buf reached its cap (the bufs then hold unspecified contents). Never log
 * auth_header: it carries the secret. The stack copy of "id:secret" is
 * wiped before returning.
 */
MUST_CHECK enum err spotify_token_request(const char *client_id, const char *client_secret,
					  struct buf *auth_header, struct buf *form_body);

/*
 * The token answer {"access_token": "...", "token_type": "Bearer",
 * "expires_in": 3600} -> the token copied into token (size bytes, NUL
 * included) and its lifetime in *expires_in_s (SPOTIFY_TOKEN_DEFAULT_TTL_S
 * when absent or not an integer in 1..SPOTIFY_TOKEN_MAX_TTL_S). Errors, with
 * *why set: ERR_TOO_LARGE for a body over the cap or a token that does not
 * fit; ERR_INVALID_ARGUMENT for a body that is not a JSON object, the
 * accounts service's error {"error": "invalid_client", "error_description":
 * ...} (why names the error), a token type other than Bearer, or a token
 * that is empty or not printable ASCII (it goes into a header). On error
 * token is "" and *expires_in_s 0.
 */
MUST_CHECK enum err spotify_parse_token(const char *body, size_t len, char *token, size_t size,
					long *expires_in_s, const char **why);

/*
 * True if body is the API's 401 error {"error": {"status": 401, ...}}: the
 * token expired ("The access token expired"), was refused ("Invalid access
 * token") or was missing ("No token provided"). The caller fetches a new
 * token and retries. False for anything else, including unparsable bodies.
 */
bool spotify_token_expired(const char *body, size_t len);

/*
 * An error body of either shape -> its status (error.status of the API's
 * {"error": {"status", "message"}}, 0 for the accounts service's
 * {"error": "<code>"}) and message (message, else error_description, else the
 * code) cut to fit msg (size bytes, NUL included, on a character boundary),
 * control characters replaced by spaces: fit for a log field. Errors:
 * ERR_INVALID_ARGUMENT when the body is not such an error (*status is then 0
 * and msg "").
 */
MUST_CHECK enum err spotify_parse_error(const char *body, size_t len, long *status, char *msg,
					size_t size);

/* ---- request URLs ---------------------------------------------------------- */

/*
 * Each builder appends one absolute URL to out (a buf the caller owns; pass
 * it empty): base_url (like SPOTIFY_DEFAULT_BASE_URL, no trailing slash),
 * the path and the query, every value percent-encoded. Errors:
 * ERR_INVALID_ARGUMENT for a NULL or empty base_url, an invalid id, a market
 * that is not two ASCII letters, a type outside the enum, a limit outside
 * 1..SPOTIFY_MAX_LIMIT, or an empty, over-long or non-UTF-8 query;
 * ERR_TOO_LARGE when out reached its cap. On error, out's contents are
 * unspecified.
 */
MUST_CHECK enum err spotify_artist_url(const char *base_url, const char *id, struct buf *out);
MUST_CHECK enum err spotify_album_url(const char *base_url, const char *id, struct buf *out);
MUST_CHECK enum err spotify_track_url(const char *base_url, const char *id, struct buf *out);

/* /artists/{id}/top-tracks?market=CC (market: ISO 3166-1 alpha-2, sent in capitals). */
MUST_CHECK enum err spotify_top_tracks_url(const char *base_url, const char *artist_id,
					   const char *market, struct buf *out);

/* /search?q=<q>&type=<type>&limit=<limit>; q as built by the helpers below. */
MUST_CHECK enum err spotify_search_url(const char *base_url, enum spotify_type type, const char *q,
				       unsigned limit, struct buf *out);

/*
 * Search query helpers. Each appends one clause to q (a buf the caller owns;
 * a space first when q is not empty), so clauses combine:
 *	text  "Like a Rolling Stone"  -> Like a Rolling Stone   (free text)
 *	field "artist", "Bob Dylan"   -> artist:"Bob Dylan"
 *	isrc  "ussm16500316"          -> isrc:USSM16500316
 *	upc   "720642442524"          -> upc:720642442524
 *	album "Nirvana", "Nevermind"  -> artist:"Nirvana" album:"Nevermind"
 * Text and field values have control characters turned into spaces; field
 * values have '"' turned into spaces too (they are quoted). field is one of
 * artist, album, track, year, genre. The album helper's artist may be NULL.
 * q stays unencoded: spotify_search_url() encodes it. Errors:
 * ERR_INVALID_ARGUMENT for a NULL, empty (after trimming), non-UTF-8 or
 * over-long (SPOTIFY_MAX_QUERY_BYTES) value, an unknown field, an ISRC that
 * is not 2 letters + 3 letters or digits + 7 digits, or a UPC/EAN that is
 * not 8 to 14 digits; ERR_TOO_LARGE when q reached its cap.
 */
MUST_CHECK enum err spotify_query_text(const char *text, struct buf *q);
MUST_CHECK enum err spotify_query_field(const char *field, const char *value, struct buf *q);
MUST_CHECK enum err spotify_query_isrc(const char *isrc, struct buf *q);
MUST_CHECK enum err spotify_query_upc(const char *upc, struct buf *q);
MUST_CHECK enum err spotify_query_album(const char *artist, const char *album, struct buf *q);

/* ---- parsers --------------------------------------------------------------- */

/*
 * Each reads body[0..len) (not NUL-terminated) and on success sets *out to
 * a new fragment (fragment.h; provider "spotify") for the caller to free
 * with cJSON_Delete(). On error *out is NULL and *why a static reason.
 * Errors: ERR_TOO_LARGE for len > SPOTIFY_MAX_BODY_BYTES; ERR_NOT_FOUND for
 * the API's error {"error": {"status": 404, ...}}; ERR_INVALID_ARGUMENT for
 * any other error body (400 "invalid id", 401, 429, ...), malformed JSON, a
 * body that is not an object, an entity without a valid id, or a search
 * body without its list.
 *
 * What each fragment holds (members not listed stay empty):
 *  - images: largest first (by width x height, unknown sizes last), as
 *    "thumb" for artists and "front" for albums and tracks (the track's
 *    album cover); Spotify sends no placeholders, unusable URLs are dropped;
 *  - ids: "spotify" (the entity's id), "isrc" (tracks, uppercase), "upc"
 *    (albums: external_ids.upc and .ean, digits);
 *  - popularity: {"popularity": 0..100} and, for artists, "followers";
 *  - dates: release_date cut to release_date_precision ("1991", "1991-09",
 *    "1991-09-24"); "0000" and impossible dates read as null.
 */

/* GET /artists/{id} -> an "artist" fragment (url, name, images, popularity, genres). */
MUST_CHECK enum err spotify_parse_artist(const char *body, size_t len, struct cJSON **out,
					 const char **why);

/*
 * GET /artists/{id}/top-tracks -> an "artist" fragment for artist_id (the
 * id asked for; its name and url come from the tracks' credits) whose
 * top_tracks hold {title, artist (credited names joined with ", "), id,
 * isrc, duration_ms, url, rank: the position in Spotify's list, from 1}.
 * ERR_INVALID_ARGUMENT also for an invalid artist_id or a body without
 * "tracks".
 */
MUST_CHECK enum err spotify_parse_top_tracks(const char *body, size_t len, const char *artist_id,
					     struct cJSON **out, const char **why);

/*
 * GET /albums/{id} -> a "release" fragment: name, artist, date, url, images,
 * popularity, genres, ids (spotify, upc), tracks (tracks.items: title,
 * position = track_number, disc = disc_number, duration_ms, id; isrc only
 * when the item carries external_ids), extra {label, album_type,
 * total_tracks}. An album of more than 50 tracks lists the first 50 (compare
 * extra.total_tracks).
 */
MUST_CHECK enum err spotify_parse_album(const char *body, size_t len, struct cJSON **out,
					const char **why);

/*
 * GET /tracks/{id} -> a "recording" fragment: name, artist, album,
 * duration_ms, date (the album's), url, images (the album's covers),
 * popularity, ids (spotify, isrc), extra {preview_url, explicit,
 * disc_number, track_number, album_id}.
 */
MUST_CHECK enum err spotify_parse_track(const char *body, size_t len, struct cJSON **out,
					const char **why);

/*
 * GET /search?type=<type> -> a "candidates" fragment of entity "artist",
 * "release" (albums) or "recording" (tracks), its items built as by the
 * parsers above from artists.items / albums.items / tracks.items, in
 * Spotify's order; items that are null or lack a valid id are skipped.
 */
MUST_CHECK enum err spotify_parse_search(enum spotify_type type, const char *body, size_t len,
					 struct cJSON **out, const char **why);

#endif
