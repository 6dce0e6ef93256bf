/*
 * match.h - which provider entity is the MusicBrainz entity: pure matching.
 *
 * MusicBrainz documents (musicbrainz.h, docs/documents.md) are medley's
 * skeleton; every other provider answers with fragments (fragment.h). Before
 * a fragment may decorate a document, the aggregator must know that the two
 * describe the same artist, album or track. This module decides, and says
 * how it decided: every verdict is a struct match_result with a method, a
 * score in [0, 1] and a static reason. Documents show accepted matches as
 * "match": {"method": ..., "score": ...} (match_result_json()).
 *
 * The rule is "prefer no answer to a wrong one": two artists called Nirvana
 * must never get each other's pictures. In order, a matcher looks at:
 *
 *  1. Hard identifiers, decisive on their own (score 1):
 *     - mbid: the provider keys by MBID (fanart.tv, TheAudioDB) or names
 *       one (Last.fm's "mbid", in the fragment's ids.mbid) and it is this
 *       entity's MBID (for albums: the group's or one of its releases');
 *     - mb_relation: one of MusicBrainz's url relations names the
 *       candidate: its provider id, another id in its "ids" (say its
 *       Wikidata QID), or its page URL (see match_mb_link_id());
 *     - isrc (recordings) and upc (releases, release groups): an ISRC or a
 *       barcode in common. Barcodes compare as GTINs, so a 12-digit UPC-A
 *       equals the same 13-digit EAN with a leading 0;
 *     - mb_url: MusicBrainz's url lookup, made by the caller, says that the
 *       candidate's page belongs to this entity (match_url_lookup()).
 *  2. Vetoes: the provider names another MBID (artists and recordings;
 *     checked before the url relations, since the two would conflict), or
 *     MusicBrainz links another entity of the same provider and kind. The
 *     candidate is rejected, whatever its name.
 *  3. A search match, scored on names and corroborating facts, accepted
 *     only when the score reaches the threshold (match_opts). For artists a
 *     matching name is never enough: it needs an ISRC or a barcode in
 *     common (method isrc / upc), or two titles in common. Each matcher's
 *     comment gives its formula.
 *
 * Names and titles are compared after normalization (match_normalize_name(),
 * match_normalize_title()) with match_similarity(). Titles are compared as
 * sets of normalized titles (exact equality after normalization), so
 * comparing lists costs O(n log n), never n x m similarities.
 *
 * Inputs are never trusted: a member of the wrong type counts as absent, a
 * NULL document or candidate gives a rejection, strings are read up to
 * MATCH_MAX_TEXT_BYTES and lists up to the caps below, so the work per
 * candidate is bounded whatever the provider sent.
 *
 * Ownership: every pointer argument is borrowed for the duration of the
 * call; nothing is kept. The "why" strings are static.
 * Thread-safety: every function is reentrant. Nothing blocks or logs.
 */
#ifndef MEDLEY_MATCH_H
#define MEDLEY_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"
#include "medley/provider_id.h"

struct cJSON; /* <cjson/cJSON.h>: documents and fragments are cJSON trees */

/* Bytes of a name or title read; the rest is ignored (it bounds every comparison). */
#define MATCH_MAX_TEXT_BYTES 512u

/* Bytes that hold any normalized name or title, its NUL included ("&" -> " and "). */
#define MATCH_NORM_BYTES (5u * MATCH_MAX_TEXT_BYTES + 8u)

/* Titles read per side of a comparison (from all the lists of that side). */
#define MATCH_MAX_TITLES 500u

/* ISRCs, and barcodes, read per side. */
#define MATCH_MAX_CODES 500u

/* Names of the MusicBrainz entity compared with a candidate's (name, sort name, aliases). */
#define MATCH_MAX_NAMES 32u

/* Items of a candidates fragment that match_best() looks at. */
#define MATCH_MAX_CANDIDATES 100u

/* Two accepted candidates whose scores are this close are a tie (match_best()). */
#define MATCH_TIE_MARGIN 0.02

/* Lists per kind of evidence in struct match_evidence. */
#define MATCH_EV_LISTS 4

/* Defaults of struct match_opts. */
#define MATCH_DEFAULT_THRESHOLD 0.85
#define MATCH_DEFAULT_DURATION_TOLERANCE_MS 3000L

// clang-format off
#define MATCH_METHOD_LIST(X)                                                          \
	X(MATCH_MB_RELATION, "mb_relation") /* a MusicBrainz url relation names it */ \
	X(MATCH_ISRC,        "isrc")        /* an ISRC in common */                   \
	X(MATCH_UPC,         "upc")         /* a barcode in common */                 \
	X(MATCH_MBID,        "mbid")        /* the provider names this MBID */        \
	X(MATCH_MB_URL,      "mb_url")      /* MusicBrainz's url lookup says so */    \
	X(MATCH_SEARCH,      "search")      /* names and corroboration, scored */
// clang-format on

enum match_method {
#define MATCH_METHOD_ENUM_ROW(id, name) id,
	MATCH_METHOD_LIST(MATCH_METHOD_ENUM_ROW)
#undef MATCH_METHOD_ENUM_ROW
	MATCH_METHOD__COUNT
};

/* "mb_relation", ...; NULL outside the enum. Static storage. */
const char *match_method_name(enum match_method m);

/* Inverse of match_method_name(); ERR_INVALID_ARGUMENT for any other string or NULL. */
MUST_CHECK enum err match_method_from_name(const char *name, enum match_method *out);

/*
 * Tuning, from the configuration. threshold: the least score accepted, and
 * the least similarity of the names and titles that must agree (default
 * 0.85). duration_tolerance_ms: how far two durations of one recording may
 * differ (default 3000); past it the candidate is rejected. A NULL opts, a
 * threshold outside [0, 1] (or NaN) or a negative tolerance means the
 * default for that member.
 */
struct match_opts {
	double threshold;
	long duration_tolerance_ms;
};

struct match_opts match_opts_default(void);

/*
 * A verdict. method is the evidence that decided (for a rejection, the one
 * that rejected, usually MATCH_SEARCH); score in [0, 1] (1 for the hard
 * identifiers); why a static reason for logs ("name only, no
 * corroboration"), never NULL after a matcher ran.
 */
struct match_result {
	enum match_method method;
	double score;
	bool accepted;
	const char *why;
};

/*
 * What the caller knows besides the two documents, all optional (NULL or
 * {} members are empty). Each member holds up to MATCH_EV_LISTS cJSON
 * arrays, so lists the caller already has are passed as they are:
 *
 *  mb_titles    titles of the MusicBrainz entity's works: an artist's
 *               release groups and recordings ("release_groups" of a
 *               release-group-list document, "results" of a recording
 *               search), a release group's tracks ("tracks" of a medium);
 *  mb_isrcs     ISRCs of the entity's recordings;
 *  mb_upcs      barcodes of the entity's releases ("releases" of a
 *               release-group document);
 *  cand_titles  the candidate's works as its provider lists them (an
 *               artist's albums or tracks, e.g. the items of a candidates
 *               fragment from the provider's artist-albums call).
 *
 * A title item is a string, or an object with a string "title" or else
 * "name". A code item is a string, or an object with a string "isrc"
 * (mb_isrcs) or "barcode" (mb_upcs). An object item of cand_titles also
 * gives its "isrc" and its "ids" lists "isrc" and "upc" as codes of the
 * candidate. Items of any other type are skipped.
 */
struct match_evidence {
	const struct cJSON *mb_titles[MATCH_EV_LISTS];
	const struct cJSON *mb_isrcs[MATCH_EV_LISTS];
	const struct cJSON *mb_upcs[MATCH_EV_LISTS];
	const struct cJSON *cand_titles[MATCH_EV_LISTS];
};

/*
 * Normalization, appended to out (a buf the caller owns; pass it empty).
 * Only the first MATCH_MAX_TEXT_BYTES of s are read; NULL reads as "".
 *
 * match_normalize_name():
 *  - decodes UTF-8 and drops bytes that are not valid UTF-8;
 *  - lowercases ASCII, and folds Latin-1 and Latin Extended-A letters to
 *    ASCII (e -> e for every accent, ss for sharp s, ae, oe, th, ij, o for
 *    o with stroke, l for l with stroke, d for eth and d with stroke),
 *    also s/t with comma below (Romanian); drops combining accents
 *    (U+0300..U+036F), so decomposed text folds alike;
 *  - lowercases Greek and Cyrillic capitals and folds Cyrillic yo to ie;
 *    maps fullwidth ASCII forms to ASCII; keeps every other character
 *    (CJK, Hangul, Arabic, ...) as it is;
 *  - removes apostrophes and quotation marks (' ` and the curly and angle
 *    forms), so "Guns N' Roses" gives "guns n roses";
 *  - "&" and "+" become " and ", "$" becomes "s" (Ke$ha, A$AP);
 *  - every other punctuation, symbol or space character (ASCII, Latin-1,
 *    General Punctuation, ideographic space and stops) becomes a space;
 *    zero-width characters are removed;
 *  - collapses runs of spaces into one and trims both ends;
 *  - drops a sort name's trailing ", The" and then a leading "the " when
 *    something follows it ("The Beatles" and "Beatles, The" -> "beatles").
 *
 * match_normalize_title() first removes, repeatedly, a trailing version
 * decoration, then normalizes the rest as a name. A decoration is a
 * bracketed group at the end ((...), [...] or {...}) or the text after a
 * last " - " (hyphen, en or em dash), that is not the whole title, whose
 * normalized words:
 *  - start with "feat", "featuring", "ft", "with" or "prod" (a credit);
 *  - contain a word starting with "remaster" (remastered, remastering);
 *  - contain "live", "deluxe", "edition", "anniversary", "expanded",
 *    "bonus", "mono" or "stereo";
 *  - contain "single version", "album version", "radio version",
 *    "radio edit" or "single edit";
 *  - are exactly "explicit" or "clean".
 * So "Help! (Remastered 2009)", "Help! - 2009 Remaster", "Help! [Live]",
 * "Help! (feat. X)" and "Help! (Deluxe Edition)" all give "help", while
 * "Help! (Remix)" and "Love Story (Taylor's Version)" keep their brackets.
 *
 * The result is shorter than MATCH_NORM_BYTES, so a buf of that cap never
 * fails. Errors: ERR_TOO_LARGE when out reached its cap (its contents are
 * then unspecified); else ERR_OK, also for an empty result.
 */
MUST_CHECK enum err match_normalize_name(const char *s, struct buf *out);
MUST_CHECK enum err match_normalize_title(const char *s, struct buf *out);

/*
 * How alike two normalized strings are, from 0 (nothing in common) to 1
 * (equal). Symmetric: match_similarity(a, b) == match_similarity(b, a).
 * NULL reads as ""; two empty strings are equal; only the first
 * MATCH_MAX_TEXT_BYTES of each are read, and invalid UTF-8 bytes are
 * skipped, so any bytes are safe and the cost is bounded (a few hundred
 * thousand steps at most).
 *
 * It is the largest of three Levenshtein ratios, 1 - distance / longer
 * length, counted in characters (code points, so CJK compares by
 * character):
 *  - of the strings as they are (typos, small variants);
 *  - of their words sorted ("dylan bob" = "bob dylan");
 *  - of the strings without spaces ("ac dc" = "acdc", "r e m" = "rem").
 * Why not Jaro-Winkler: its bonus for a common prefix rates "queen" and
 * "queen latifah" 0.88, above the default threshold; the Levenshtein
 * ratio gives 0.38. Why not a token-set ratio: it rates 1 any name whose
 * words are a subset of the other's ("nirvana" vs "nirvana uk").
 */
double match_similarity(const char *a, const char *b);

/*
 * Identifier forms. match_normalize_isrc(): an ISRC with optional hyphens
 * or spaces (2 letters, 3 letters or digits, 7 digits; any case) -> 12
 * uppercase characters. match_normalize_upc(): a barcode of 8 to 14 digits
 * with optional hyphens or spaces -> its GTIN without leading zeros,
 * left-padded with zeros to 12 digits (a UPC-A stays as it is, an EAN-13
 * starting with 0 loses that 0, "00602475093060" -> "602475093060"). The
 * check digit is not verified. Errors: ERR_INVALID_ARGUMENT when s is not
 * such a code (or NULL); out is then "".
 */
MUST_CHECK enum err match_normalize_isrc(const char *s, char out[13]);
MUST_CHECK enum err match_normalize_upc(const char *s, char out[15]);

/*
 * match_artist(): is the artist fragment cand (kind "artist") the
 * MusicBrainz artist document mb_artist? In order:
 *  - mbid (cand ids.mbid holds the artist's MBID): accepted, score 1;
 *  - rejected when cand ids.mbid holds only other MBIDs;
 *  - mb_relation: accepted, score 1;
 *  - rejected when MusicBrainz links another artist of cand's provider;
 *  - name = the best match_similarity() of cand's normalized name with the
 *    artist's name, sort name and aliases (names and sort names, up to
 *    MATCH_MAX_NAMES in all); rejected below the threshold;
 *  - an ISRC in common (cand top_tracks / tracks "isrc", ids.isrc, and
 *    those of ev->cand_titles, against ev->mb_isrcs): accepted, method
 *    isrc, score 1; then likewise a barcode in common: method upc;
 *  - else the titles in common: cand's top_tracks and tracks titles and
 *    ev->cand_titles, against ev->mb_titles, as sets of normalized titles
 *    (generic titles such as "intro", "interlude" or "greatest hits" do not
 *    count). Fewer than two: rejected ("name only, no corroboration").
 *    Else score = 0.8 x name + 0.2 x min(1, titles / 4), accepted when it
 *    reaches the threshold (so an exact name needs two titles in common, a
 *    name at 0.9 four).
 * ev may be NULL; o NULL means the defaults. r must not be NULL.
 */
void match_artist(const struct cJSON *mb_artist, const struct cJSON *cand,
		  const struct match_evidence *ev, const struct match_opts *o,
		  struct match_result *r);

/*
 * match_release(): is the album fragment cand (kind "release-group" or
 * "release") the MusicBrainz release-group or release document mb? In
 * order:
 *  - mbid (cand ids.mbid holds the document's MBID, its group's, or one of
 *    its releases') or mb_relation: accepted, score 1;
 *  - upc: a barcode of cand (ids.upc, ev->cand_titles' codes) equals one of
 *    MusicBrainz's (the release's "barcode", the group's releases'
 *    barcodes, ev->mb_upcs): accepted, score 1;
 *  - rejected when MusicBrainz links another album of cand's provider (a
 *    different barcode or MBID is no veto: it may be another edition);
 *  - title = similarity of the normalized titles, artist = the best
 *    similarity of cand's "artist" with the credited names (the whole
 *    credit, and each credited artist's name and sort name); rejected when
 *    either is below the threshold (an unknown artist counts as 0);
 *  - corroboration, the largest known of: the tracklists' overlap (common
 *    titles / the longer list; MusicBrainz's are the release's media tracks
 *    and ev->mb_titles, cand's its tracks and ev->cand_titles), rejected
 *    when less than half of the shorter list is in the other; the track
 *    counts (1 equal, 0.7 within 2; cand's is its tracklist's length, else
 *    the integer its "extra" holds under "track_count", "nb_tracks" or
 *    "total_tracks", the providers' names for it (fragment.h)); the years
 *    (1 equal, 0.7 one apart).
 *    None known, or all 0: rejected ("title and artist only");
 *  - score = 0.45 x title + 0.35 x artist + 0.2 x corroboration, accepted
 *    when it reaches the threshold.
 */
void match_release(const struct cJSON *mb, const struct cJSON *cand,
		   const struct match_evidence *ev, const struct match_opts *o,
		   struct match_result *r);

/*
 * match_recording(): is the track fragment cand (kind "recording") the
 * MusicBrainz recording document mb? In order:
 *  - mbid: accepted, score 1; rejected when cand ids.mbid holds only other
 *    MBIDs; mb_relation, then isrc (cand ids.isrc against the recording's
 *    "isrcs"): accepted, score 1;
 *  - rejected when MusicBrainz links another track of cand's provider;
 *  - rejected when both durations are known and differ by more than
 *    o->duration_tolerance_ms (equal to the tolerance passes);
 *  - title and artist as for releases, each rejected below the threshold;
 *  - extra = 1 - 0.5 x |difference| / tolerance when both durations are
 *    known, else 0.8 when cand's "album" is the title of one of the
 *    recording's releases or release groups, else 0.5;
 *  - score = 0.45 x title + 0.35 x artist + 0.2 x extra, accepted when it
 *    reaches the threshold.
 */
void match_recording(const struct cJSON *mb, const struct cJSON *cand, const struct match_opts *o,
		     struct match_result *r);

/*
 * The best candidate of a candidates fragment (fragment.h) for the
 * MusicBrainz document mb_doc (an artist, release-group, release or
 * recording document): each of the first MATCH_MAX_CANDIDATES items goes
 * through the matcher of mb_doc's kind (ev->cand_titles is ignored: it
 * describes one candidate). Returns the index in "items" of the accepted
 * item with the highest score (the first of equals), with its verdict in
 * *r. Returns -1 when no item is accepted (*r is then the best rejected
 * verdict, or "no candidates"), and also when another accepted item with a
 * different "id" scores within MATCH_TIE_MARGIN of the best: two such
 * candidates are ambiguous, and neither is taken (*r says "ambiguous").
 * The work is linear in the number of items: MusicBrainz's side is
 * prepared once.
 */
int match_best(const struct cJSON *mb_doc, const struct cJSON *candidates_fragment,
	       const struct match_evidence *ev, const struct match_opts *o, struct match_result *r);

/*
 * The id at provider p of the entity of kind kind ("artist",
 * "release-group", "release", "recording"; NULL for mb_doc's own "kind")
 * that mb_doc's url relations ("links") name, copied to out (size bytes);
 * the first such link in MusicBrainz's order wins. The URL forms read
 * (host without "www."; the id follows the named path segment):
 *
 *   spotify     open.spotify.com, play.spotify.com: artist | album (both
 *               album kinds) | track (recording); letters, digits, - and _
 *   deezer      deezer.com: artist | album | track; digits
 *   itunes      music.apple.com, geo.music.apple.com, itunes.apple.com:
 *               artist | album | song; the last segment, "<n>" or "id<n>"
 *   discogs     discogs.com: artist | master (release-group) | release;
 *               the leading digits of "<n>-Name"
 *   wikidata    wikidata.org, m.wikidata.org: wiki | entity, "Q<n>", any kind
 *   lastfm      last.fm/music/...: the rest of the path, percent-decoded
 *               with "+" as a space: "Artist" (artist), "Artist/Album"
 *               (albums), "Artist/_/Track" (recording)
 *   theaudiodb  theaudiodb.com: artist | album | track; leading digits
 *
 * The document's "external_ids" are not read: they merge kinds (a Discogs
 * master and release, an Apple artist and album share one list), and the
 * kind matters here. Providers that key by MBID (fanart.tv, TheAudioDB,
 * Cover Art Archive) need no link: use the MBID, method mbid.
 * Errors: ERR_NOT_FOUND when no link names such an entity (always for
 * providers without URL forms above); ERR_TOO_LARGE when the first id
 * found does not fit out (out is then ""); ERR_INVALID_ARGUMENT for p
 * outside the enum, an unknown kind, mb_doc without a known kind, or out
 * NULL or size 0.
 */
MUST_CHECK enum err match_mb_link_id(const struct cJSON *mb_doc, enum provider_id p,
				     const char *kind, char *out, size_t size);

/*
 * The verdict for MusicBrainz's url lookup (GET /ws/2/url?resource=<the
 * candidate's page>&inc=<kind>-rels, made by the caller): mbids[0..n) are
 * the MBIDs the URL is related to. Accepted, method mb_url, score 1, when
 * mb_id is among them (either case); else rejected (method mb_url, score
 * 0): the page belongs to another entity, or to none.
 */
void match_url_lookup(const char *mb_id, const char *const *mbids, size_t n,
		      struct match_result *r);

/*
 * {"method": name, "score": score clamped to [0, 1] and rounded to 3
 * decimals, null when not finite}, the "match" member of served documents
 * (merge.h renders its parts' matches with it): a new object for the
 * caller to attach or cJSON_Delete(). NULL when r is NULL, not accepted, or
 * its method outside the enum.
 */
struct cJSON *match_result_json(const struct match_result *r);

#endif
