/*
 * musicbrainz.h - the MusicBrainz provider's pure half: request URLs and
 * response parsers.
 *
 * Nothing here does I/O. The fetch engine sends the URLs built here (it adds
 * the User-Agent and the pacing MusicBrainz asks for) and hands the body it
 * received to a parser, which turns MusicBrainz's JSON (web service v2,
 * fmt=json) into one of medley's normalized documents: a new cJSON tree with
 * snake_case members whose shape does not depend on what MusicBrainz sent.
 * docs/documents.md describes every document, member, type and source.
 *
 * Rules the parsers keep, whatever the input:
 *  - every document has "id" and "kind"; list documents (search, browse)
 *    carry "id": null for the caller to fill;
 *  - an absent list is [], an absent scalar is null; a value of the wrong
 *    type counts as absent; a list item of the wrong type is skipped;
 *  - strings are valid UTF-8 (invalid bytes become U+FFFD);
 *  - dates are kept exactly as precise as given ("1987", "1987-07",
 *    "1987-07-12"); anything else is null;
 *  - the id is the one in the body (a merged MBID comes back as the MBID
 *    MusicBrainz redirected to), in lowercase.
 *
 * Bodies larger than MB_MAX_BODY_BYTES are refused before parsing. Errors
 * come with a static reason in *why for the caller to log (this module does
 * not log). Thread-safety: every function is reentrant.
 */
#ifndef MEDLEY_MUSICBRAINZ_H
#define MEDLEY_MUSICBRAINZ_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON; /* <cjson/cJSON.h>; the documents are cJSON trees */

/* Largest response body a parser accepts. */
#define MB_MAX_BODY_BYTES (16u * 1024 * 1024)

/* Largest page MusicBrainz serves for browse and search (limit=1..100). */
#define MB_MAX_LIMIT 100u

/* Largest search query, in bytes before encoding. */
#define MB_MAX_QUERY_BYTES 1024u

/* At most this many links are kept per entity (url relations past it are dropped). */
#define MB_MAX_LINKS 1000u

/* Length of a textual MBID, without the NUL. */
#define MB_MBID_LEN 36

enum mb_entity {
	MB_ARTIST,
	MB_RELEASE_GROUP,
	MB_RELEASE,
	MB_RECORDING,
	MB_ENTITY__COUNT
};

/* "artist", "release-group", "release", "recording"; NULL outside the enum. */
const char *mb_entity_name(enum mb_entity e);

/* Inverse of mb_entity_name(); ERR_INVALID_ARGUMENT for any other string or NULL. */
MUST_CHECK enum err mb_entity_from_name(const char *name, enum mb_entity *out);

/* True if s is a canonical 8-4-4-4-12 hex UUID (either case); false for NULL. */
bool mb_valid_mbid(const char *s);

/* Copy the valid MBID s into out in lowercase; ERR_INVALID_ARGUMENT if it is not one. */
MUST_CHECK enum err mb_normalize_mbid(const char *s, char out[MB_MBID_LEN + 1]);

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns; pass it empty): base_url (like "https://musicbrainz.org/ws/2", no
 * trailing slash), the path, the query with every value percent-encoded
 * (RFC 3986 unreserved characters kept), ending with fmt=json. Errors:
 * ERR_INVALID_ARGUMENT for an entity outside the enum, an invalid MBID, a
 * limit outside 1..MB_MAX_LIMIT, an empty base_url or (search) an empty,
 * over-long or non-UTF-8 query; ERR_TOO_LARGE when out reached its cap.
 * On error, out's contents are unspecified.
 */

/*
 * The lookup URL of one entity, with the inc= set the documents need:
 * artist: aliases genres tags ratings url-rels; release-group: artist-credits
 * aliases genres tags ratings url-rels releases; release: artist-credits
 * labels recordings release-groups media isrcs genres tags url-rels;
 * recording: artist-credits isrcs releases release-groups genres tags
 * ratings url-rels.
 */
MUST_CHECK enum err mb_lookup_url(const char *base_url, enum mb_entity e, const char *mbid,
				  struct buf *out);

/*
 * Browse an artist's release groups: /release-group?artist=<mbid>[&type=<t>]
 * &limit=&offset=&inc=artist-credits+genres+tags+ratings. type is
 * MusicBrainz's filter ("album", "ep|single", ...) or NULL / "" for all.
 */
MUST_CHECK enum err mb_browse_release_groups_url(const char *base_url, const char *artist_mbid,
						 const char *type, unsigned limit, unsigned offset,
						 struct buf *out);

/* Search: /<entity>?query=<q>&limit=&offset= (q is a Lucene query, sent as given). */
MUST_CHECK enum err mb_search_url(const char *base_url, enum mb_entity e, const char *q,
				  unsigned limit, unsigned offset, struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new document for the caller to free with cJSON_Delete(). On
 * error *out is NULL and *why a static reason ("body is not JSON", "missing
 * id", ...). Errors: ERR_TOO_LARGE for len > MB_MAX_BODY_BYTES;
 * ERR_INVALID_ARGUMENT for malformed JSON, a body that is not an object, a
 * lookup without a valid MBID "id", a search or browse without its list, or
 * an entity outside the enum.
 */

/* A lookup body of entity e -> an "artist" / "release-group" / "release" / "recording" document. */
MUST_CHECK enum err mb_parse_lookup(enum mb_entity e, const char *body, size_t len,
				    struct cJSON **out, const char **why);

/* A release-group browse body -> a "release-group-list" document. */
MUST_CHECK enum err mb_parse_browse_release_groups(const char *body, size_t len, struct cJSON **out,
						   const char **why);

/* A search body for entity e -> a "search" document. */
MUST_CHECK enum err mb_parse_search(enum mb_entity e, const char *body, size_t len,
				    struct cJSON **out, const char **why);

/*
 * MusicBrainz's url lookup: the entities a URL is related to.
 * mb_url_lookup_url() builds /url?resource=<resource>&inc=artist-rels+
 * release-group-rels+release-rels+recording-rels (resource an http(s) URL of
 * at most MB_MAX_QUERY_BYTES). mb_parse_url() turns the answer into a "url"
 * document {"id": null, "kind": "url", "resource", "relations": [{"kind",
 * "id", "name", "relation"}]}, one item per relation to an artist, release
 * group, release or recording (others are skipped). Errors as above; a URL
 * MusicBrainz does not know is its 404, not a parser error.
 */
MUST_CHECK enum err mb_url_lookup_url(const char *base_url, const char *resource, struct buf *out);
MUST_CHECK enum err mb_parse_url(const char *body, size_t len, struct cJSON **out,
				 const char **why);

/*
 * MusicBrainz's error body {"error": "..."} -> its message, cut to fit msg
 * (size bytes, NUL included, cut on a character boundary), with control
 * characters replaced by spaces: fit for a log field. Errors:
 * ERR_INVALID_ARGUMENT when the body is not such an object (msg is then "").
 */
MUST_CHECK enum err mb_parse_error(const char *body, size_t len, char *msg, size_t size);

/*
 * Check that doc has exactly the normalized shape of its kind, as
 * docs/documents.md describes it: every member present with its type,
 * strings valid UTF-8, dates and MBIDs well formed, recursively. On a
 * mismatch returns ERR_INVALID_ARGUMENT and writes "path: problem" to where
 * (size bytes, may be 0). This is the parsers' contract, for the tests and
 * the fuzz target: a document the aggregator has decorated ("sources",
 * "cache", page members) has extra members and does not pass.
 */
MUST_CHECK enum err mb_check_document(const struct cJSON *doc, char *where, size_t size);

#endif
