/*
 * wikidata.h - the Wikidata provider's pure half, Wikipedia summaries
 * included: request URLs and response parsers.
 *
 * Wikidata (https://www.wikidata.org) links an artist, album or song to
 * its identifiers everywhere (MusicBrainz, Spotify, Deezer, Apple Music,
 * Discogs, Last.fm, AllMusic), to a Commons image and to its Wikipedia
 * articles; Wikipedia gives the article's lead as a biography. medley
 * uses two calls of the MediaWiki Action API on www.wikidata.org (docs:
 * https://www.wikidata.org/wiki/Wikidata:Data_access and
 * https://www.mediawiki.org/wiki/Wikibase/API) and one of Wikipedia's
 * REST API (docs: https://en.wikipedia.org/api/rest_v1/):
 *
 *	<base>?action=query&list=search&srsearch=haswbstatement:P434=<mbid>
 *		&srnamespace=0&format=json		item(s) holding an MBID
 *	<base>?action=wbgetentities&ids=<Q>&props=claims|sitelinks/urls|labels
 *		&format=json				one item
 *	https://<lang>.wikipedia.org/api/rest_v1/page/summary/<title>
 *							an article's lead
 *
 * Auth: none. Wikimedia's User-Agent policy asks every client for a
 * User-Agent naming it with a contact (the fetch engine sends medley's).
 *
 * Rate limits: the Action API publishes no read limit but asks clients to
 * "make requests in series rather than in parallel" and to back off when
 * told to (https://www.mediawiki.org/wiki/API:Etiquette); we choose 5
 * requests a second, one at a time (burst 1). The REST API asks for no
 * more than 200 requests a second (its global rules at
 * https://en.wikipedia.org/api/rest_v1/); we choose 10.
 *
 * Wikidata's data is CC0 (no credit needed). Wikipedia's text is CC BY-SA
 * 4.0: every biography taken from it carries WIKIPEDIA_ATTRIBUTION and the
 * article's URL.
 *
 * Nothing here does I/O or logs; every function is reentrant. Parsers
 * return fragments (fragment.h) whose "provider" is "wikidata", the one
 * provider that covers both sites.
 */
#ifndef MEDLEY_WIKIDATA_H
#define MEDLEY_WIKIDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"

struct cJSON;

/* The Action API endpoint (a script, not a folder: queries follow a '?'). */
#define WIKIDATA_DEFAULT_BASE_URL "https://www.wikidata.org/w/api.php"

/* Where a Wikipedia lives; "{lang}" is replaced by the language code. */
#define WIKIPEDIA_DEFAULT_URL_TEMPLATE "https://{lang}.wikipedia.org"

/* Our choices under the etiquette above. */
#define WIKIDATA_DEFAULT_RATE_PER_S 5.0
#define WIKIDATA_DEFAULT_BURST 1
#define WIKIPEDIA_DEFAULT_RATE_PER_S 10.0
#define WIKIPEDIA_DEFAULT_BURST 10

/* Largest bodies the parsers accept (a famous band's item is ~1 MB). */
#define WIKIDATA_MAX_BODY_BYTES (8u * 1024 * 1024)
#define WIKIPEDIA_MAX_BODY_BYTES (1u * 1024 * 1024)

/* Longest Wikipedia title and URL template a builder accepts, in bytes. */
#define WIKIPEDIA_MAX_TITLE_BYTES 512u
#define WIKIPEDIA_MAX_TEMPLATE_BYTES 1024u

/* At most this many Wikipedia sitelinks are kept per item. */
#define WIKIDATA_MAX_SITELINKS 400u

/* The credit line of a biography taken from Wikipedia (its text license). */
#define WIKIPEDIA_ATTRIBUTION "Wikipedia, CC BY-SA 4.0"

/* The properties holding MusicBrainz ids, by the entity they identify. */
#define WIKIDATA_P_MB_ARTIST "P434"
#define WIKIDATA_P_MB_RELEASE_GROUP "P436"
#define WIKIDATA_P_MB_RELEASE "P5813"
#define WIKIDATA_P_MB_RECORDING "P4404"

/* True if s is an item id: "Q" and 1 to 12 digits, no leading zero. */
bool wikidata_valid_qid(const char *s);

/*
 * The MusicBrainz id property for an entity kind ("artist" -> "P434",
 * "release-group" -> "P436", "release" -> "P5813", "recording" ->
 * "P4404"), or NULL for anything else. Static storage.
 */
const char *wikidata_mbid_property(const char *kind);

/*
 * Request builders. Each appends one absolute URL to out (a buf the caller
 * owns), every value percent-encoded. Errors: ERR_INVALID_ARGUMENT for an
 * argument described as invalid below, or a NULL or empty base; and
 * ERR_TOO_LARGE when out reached its cap (its contents are then
 * unspecified).
 */

/*
 * wbgetentities of one item: base_url (the api.php URL) + "?action=
 * wbgetentities&ids=<qid>&props=claims|sitelinks/urls|labels&format=json".
 * qid must pass wikidata_valid_qid().
 */
MUST_CHECK enum err wikidata_entity_url(const char *base_url, const char *qid, struct buf *out);

/*
 * The items holding a statement "<property> = <mbid>": a CirrusSearch
 * query haswbstatement:<property>=<mbid> restricted to items
 * (srnamespace=0). property is "P" and 1 to 9 digits (usually one of the
 * WIKIDATA_P_MB_* above); mbid a valid MBID (sent in lowercase).
 */
MUST_CHECK enum err wikidata_by_mbid_url(const char *base_url, const char *property,
					 const char *mbid, struct buf *out);

/*
 * A Wikipedia article's summary: tmpl (like WIKIPEDIA_DEFAULT_URL_TEMPLATE,
 * at most WIKIPEDIA_MAX_TEMPLATE_BYTES, holding "{lang}", no trailing
 * slash) with its first "{lang}" replaced by lang, then
 * "/api/rest_v1/page/summary/" and the title with spaces as underscores,
 * percent-encoded ("AC/DC" -> "AC%2FDC"). lang is 2 to 12 of [a-z-]
 * ("en", "zh-yue"); title is non-empty valid UTF-8 without control
 * characters, at most WIKIPEDIA_MAX_TITLE_BYTES.
 */
MUST_CHECK enum err wikipedia_summary_url(const char *tmpl, const char *lang, const char *title,
					  struct buf *out);

/*
 * Parsers. Each reads body[0..len) (not NUL-terminated) and on success sets
 * *out to a new fragment for the caller to free with cJSON_Delete(); on
 * error *out is NULL and *why a static reason. Errors: ERR_TOO_LARGE for a
 * body over the cap; ERR_NOT_FOUND and ERR_INVALID_ARGUMENT as each says;
 * ERR_INVALID_ARGUMENT for a body that is not JSON or not an object.
 */

/*
 * A wbgetentities answer for one item -> an entity fragment. kind is the
 * fragment kind to give ("artist", "release-group", "release",
 * "recording"), or NULL to infer it from the MusicBrainz id the item holds
 * (P434, P436, P5813, P4404; "artist" when none).
 *   id, url    the Q id; https://www.wikidata.org/wiki/<Q>
 *   name       the English label, else the "mul" one, else the first
 *   date       P577 (publication date) as precise as given, for kinds
 *              other than artist
 *   duration_ms  P2047 (duration) in seconds or minutes, recordings
 *   images     P18 (thumb for artists, front for albums, other for
 *              recordings) and P154 (logo), as Commons Special:FilePath
 *              URLs with "250" and "500" wide thumbnails
 *   ids        wikidata, and by kind: artist mbid P434, spotify P1902,
 *              deezer P2722, itunes P2850 (Apple Music artist), discogs
 *              P1953, allmusic P1728; release-group mbid P436, spotify
 *              P2205, deezer P2723, itunes P2281 (Apple Music album),
 *              discogs P1954 (master), allmusic P1729; release mbid P5813,
 *              discogs P2206; recording mbid P4404, spotify P2207, deezer
 *              P2724, isrc P1243; every kind lastfm P3192. Deprecated
 *              statements are skipped.
 *   extra      "sitelink:<site>" = article title and "sitelink_url:<site>"
 *              = its URL, for each Wikipedia (site "<lang>wiki", at most
 *              WIKIDATA_MAX_SITELINKS); "website" (P856); "begin_date" and
 *              "end_date" (P571/P569, P576/P570) for artists;
 *              "genre_qids" (P136) and "performer_qids" (P175) as lists.
 * Errors: ERR_NOT_FOUND for {"error": {"code": "no-such-entity"}} and for
 * an entity marked "missing"; ERR_INVALID_ARGUMENT for another "error",
 * no "entities" object, an entity without a valid Q id, or a kind outside
 * the four.
 */
MUST_CHECK enum err wikidata_parse_entity(const char *body, size_t len, const char *kind,
					  struct cJSON **out, const char **why);

/*
 * A list=search answer -> a "candidates" fragment of entity (an entity
 * kind) whose items are minimal entity fragments: the Q id as id, its
 * Wikidata page as url, ids {"wikidata": [Q]}; search order kept, results
 * that are not items dropped. No result is an empty list, not an error.
 * Errors: ERR_INVALID_ARGUMENT for an "error" answer, no query.search
 * list, or an entity outside the four kinds.
 */
MUST_CHECK enum err wikidata_parse_search(const char *body, size_t len, const char *entity,
					  struct cJSON **out, const char **why);

/*
 * A page/summary answer from the Wikipedia of lang -> an entity fragment
 * of kind (NULL: "artist"). id is the article's Wikidata item when given,
 * else its canonical title; name the title; url the desktop page;
 * biographies[0] {text: extract, summary: description, language: lang,
 * url: the page, attribution: WIKIPEDIA_ATTRIBUTION} (none when the
 * extract is empty); images the original image (thumb for artists, front
 * for albums, other for recordings) with its size, the thumbnail under
 * its width in "thumbnails"; ids {"wikidata": [Q]}; extra "wikipedia_lang"
 * and "wikipedia_title".
 * Errors: ERR_NOT_FOUND for a disambiguation page ("type":
 * "disambiguation": never a biography) and for the REST API's 404 body
 * (type .../HyperSwitch/errors/not_found, or "httpCode": 404);
 * ERR_INVALID_ARGUMENT for another error body, no title, a lang that is
 * not 2 to 12 of [a-z-], or a kind outside the four.
 */
MUST_CHECK enum err wikipedia_parse_summary(const char *body, size_t len, const char *lang,
					    const char *kind, struct cJSON **out, const char **why);

/*
 * The title of frag's article on the Wikipedia of lang (its extra
 * "sitelink:<lang>wiki", '-' in lang read as '_': "zh-yue" ->
 * "zh_yuewiki"), borrowed from frag, or NULL when there is none or lang is
 * not 2 to 12 of [a-z-].
 */
const char *wikidata_sitelink(const struct cJSON *frag, const char *lang);

#endif
