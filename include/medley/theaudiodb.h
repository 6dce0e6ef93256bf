/*
 * theaudiodb.h - the TheAudioDB provider's pure half: request URLs and
 * response parsers.
 *
 * TheAudioDB (https://www.theaudiodb.com) is a community database of
 * artist biographies in many languages and of artwork: artist thumbs,
 * logos, fan art, banners, album covers and disc art. medley asks it about
 * entities it already knows by MBID, with three lookups of its JSON API
 * v1 (docs: https://www.theaudiodb.com/free_music_api):
 *
 *	GET <base>/<key>/artist-mb.php?i=<artist MBID>
 *	GET <base>/<key>/album-mb.php?i=<release-group MBID>
 *	GET <base>/<key>/track-mb.php?i=<recording MBID>
 *
 * Auth: the API key is a path segment. The free key is published on the
 * docs page ("The current free API key is: 123"; older clients used "1"
 * and "2"); supporters get a personal numeric key. An unknown key is
 * answered with an HTML 404 page, not JSON. The key is a parameter of
 * every builder, never stored here.
 *
 * Format: every value is a string, numbers included ("intFormedYear":
 * "1988"), and absent values are null or "". A lookup that finds nothing
 * answers 200 with the list member null: {"artists": null}, {"album":
 * null}, {"track": null}.
 *
 * Rate limit: the docs page has a "Rate Limit" section; TheAudioDB and its
 * sister site TheSportsDB (same operator, same API and key scheme) document
 * 30 requests per minute for the free key and 100 per minute for premium
 * keys. The default below keeps to the free limit.
 *
 * Nothing here does I/O or logs; every function is reentrant. Parsers
 * return fragments (fragment.h) whose "provider" is "theaudiodb".
 */
#ifndef MEDLEY_THEAUDIODB_H
#define MEDLEY_THEAUDIODB_H

#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON;

/* API root of the v1 JSON API; the key and the script follow it. */
#define THEAUDIODB_DEFAULT_BASE_URL "https://www.theaudiodb.com/api/v1/json"

/* The public free key (www.theaudiodb.com/free_music_api). */
#define THEAUDIODB_FREE_API_KEY "123"

/* 30 requests per minute for the free key (see above); a burst of two. */
#define THEAUDIODB_DEFAULT_RATE_PER_S 0.5
#define THEAUDIODB_DEFAULT_BURST 2

/* Largest body a parser accepts: medley's default fetch cap (an artist is ~60 KB). */
#define THEAUDIODB_MAX_BODY_BYTES (4u * 1024 * 1024)

/* Longest API key a builder accepts, in bytes. */
#define THEAUDIODB_MAX_KEY_BYTES 128u

/* The credit line put on every biography TheAudioDB gives. */
#define THEAUDIODB_ATTRIBUTION "TheAudioDB (theaudiodb.com)"

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns): base_url (no trailing slash), "/", api_key percent-encoded as a
 * path segment, "/<script>?i=<mbid>" with the MBID in lowercase. Errors:
 * ERR_INVALID_ARGUMENT for a NULL or empty base_url, a NULL, empty or
 * over-long (> THEAUDIODB_MAX_KEY_BYTES) api_key, or an invalid MBID;
 * ERR_TOO_LARGE when out reached its cap (its contents are then
 * unspecified).
 */
MUST_CHECK enum err theaudiodb_artist_url(const char *base_url, const char *api_key,
					  const char *artist_mbid, struct buf *out);
MUST_CHECK enum err theaudiodb_album_url(const char *base_url, const char *api_key,
					 const char *release_group_mbid, struct buf *out);
MUST_CHECK enum err theaudiodb_track_url(const char *base_url, const char *api_key,
					 const char *recording_mbid, struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment for the caller to free with cJSON_Delete(); on
 * error *out is NULL and *why a static reason. The first item of the list
 * is used (an MBID lookup answers one).
 *
 * theaudiodb_parse_artist(): artist-mb.php -> an "artist" fragment. id is
 * idArtist; name strArtist; biographies one per non-empty strBiographyXX,
 * XX mapped to ISO 639-1 (theaudiodb_language()), line ends normalised to
 * "\n", attribution THEAUDIODB_ATTRIBUTION; images strArtistThumb (thumb),
 * strArtistLogo (logo), strArtistClearart (clearart), strArtistFanart,
 * 2, 3, 4 (background), strArtistWideThumb (background: a 16:9 photo),
 * strArtistBanner (banner), strArtistCutout (other); genres strGenre;
 * tags strStyle and strMood; ids theaudiodb and mbid; extra formed_year,
 * born_year, died_year, members (numbers), disbanded, gender,
 * country, country_code, label, label_id, alternate_name, website,
 * facebook, twitter (strings, as given: TheAudioDB's web addresses lack a
 * scheme).
 *
 * theaudiodb_parse_album(): album-mb.php -> a "release-group" fragment.
 * name strAlbum; artist strArtist; date intYearReleased ("YYYY"); bios
 * strDescriptionXX; images strAlbumThumbHQ and strAlbumThumb (front),
 * strAlbumBack and strAlbumThumbBack (back), strAlbumCDart (medium),
 * strAlbumSpine and the 3D renders (other); popularity score (0..10),
 * score_votes, loved; genres strGenre; tags strStyle, strMood, strTheme,
 * strSpeed; ids theaudiodb, mbid, and discogs, wikidata, itunes, allmusic
 * when given; extra artist_id, artist_mbid, label, release_format, sales.
 *
 * theaudiodb_parse_track(): track-mb.php -> a "recording" fragment. name
 * strTrack; artist strArtist; album strAlbum; duration_ms intDuration;
 * bios strDescriptionXX; images strTrackThumb and strTrack3DCase (other);
 * popularity score, score_votes, loved, listeners, playcount,
 * video_views, video_likes; genres and tags as albums; ids theaudiodb and
 * mbid; extra album_id, artist_id, album_mbid, artist_mbid, track_number,
 * disc, music_video (URL), music_video_director, music_video_company.
 *
 * Every image served from TheAudioDB's own artwork path
 * (...theaudiodb.com/images/...) gets a "medium" thumbnail: its URL +
 * "/medium", TheAudioDB's resized copy (in use since its artwork moved to
 * r2.theaudiodb.com in 2025). Placeholders are dropped: null, "", "0"
 * for ids and years, image values that are not http(s) URLs or end in
 * "/". Errors: ERR_TOO_LARGE for len >
 * THEAUDIODB_MAX_BODY_BYTES; ERR_NOT_FOUND for TheAudioDB's "nothing
 * found" (the list null or []); ERR_INVALID_ARGUMENT for anything else
 * that is not TheAudioDB's answer: malformed JSON (an HTML error page
 * included), not an object, no list member, a first item that is not an
 * object or has no numeric id.
 */
MUST_CHECK enum err theaudiodb_parse_artist(const char *body, size_t len, struct cJSON **out,
					    const char **why);
MUST_CHECK enum err theaudiodb_parse_album(const char *body, size_t len, struct cJSON **out,
					   const char **why);
MUST_CHECK enum err theaudiodb_parse_track(const char *body, size_t len, struct cJSON **out,
					   const char **why);

/*
 * The ISO 639-1 code of one of TheAudioDB's biography suffixes ("EN" ->
 * "en", "CN" -> "zh", "JP" -> "ja", "SE" -> "sv", "IL" -> "he", ...), or
 * NULL for a suffix TheAudioDB does not use. Static storage.
 */
const char *theaudiodb_language(const char *suffix);

#endif
