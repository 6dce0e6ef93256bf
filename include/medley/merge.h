/*
 * merge.h - fold enrichment fragments into the document medley serves.
 *
 * MusicBrainz gives the skeleton of every document (musicbrainz.h); the
 * other providers' parsers give fragments (fragment.h), and the matcher
 * (match.h) decides which fragment is the same entity. This module takes the
 * MusicBrainz document and one "part" per provider consulted, and returns a
 * new document: a deep copy of the MusicBrainz one plus the enriched
 * sections below. docs/merge.md is the client-facing description of every
 * section, with the precedence of providers per field; keep the two in step.
 *
 * What merge_document() adds (always present when added; [] / {} / null
 * when there is nothing to say, so clients never test for a member):
 *
 *   always:
 *   "genres_merged" [{name, count, sources: [provider]}]; "genres" stays
 *                   MusicBrainz's own list, unchanged
 *   "enrichment"    {provider: {id, url, match: {method, score} | null}}
 *   "external_ids"  MusicBrainz's, extended with the fragments' "ids"
 *   "sources"       MusicBrainz's entries, then one {provider, status,
 *                   fetched_at} per provider consulted (its first part)
 *   when asked in include (MERGE_INCLUDE_LIST):
 *   "images"        [image] ranked, de-duplicated, placeholders dropped
 *   "cover_art"     [image] the Cover Art Archive's images, in its order
 *   "biography"     {text, summary, language, source, url, attribution}|null
 *   "popularity"    {provider: {metric: number}}
 *   "similar"       [{name, mbid, provider, sources, ids, score}]
 *   "top_tracks"    [{title, mbid, isrc, duration_ms, provider, rank}]
 *   "lyrics"        {plain, synced, instrumental, source}|null
 *
 * An image is {url, type, types, width, height, language, likes,
 * thumbnails, provider}, each member as in fragment.h plus the provider's
 * name. merge_check() holds a merged document against these shapes.
 *
 * Trust: nothing in a part is trusted. A fragment that fails
 * fragment_check(), names another provider than its part, or is a
 * candidates fragment contributes nothing (its part still gets its
 * "sources" entry). Only parts whose status is "ok" contribute data.
 * Output is deterministic: parts are taken in PROVIDER_LIST order whatever
 * order they come in (parts of one provider in their given order), and
 * every ranking breaks its ties by that order, so the same input gives the
 * same bytes.
 *
 * Thread-safety: everything is reentrant; nothing blocks, does I/O or logs.
 * merge_parse_include() keeps its error message in thread-local storage.
 */
#ifndef MEDLEY_MERGE_H
#define MEDLEY_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "medley/common.h"
#include "medley/err.h"
#include "medley/provider_id.h"

struct cJSON;

/*
 * The enrichments a lookup may ask for with include= (the order here is the
 * order of "all"). Names are part of the public API: never rename one.
 */
// clang-format off
#define MERGE_INCLUDE_LIST(X)                       \
	X(MERGE_IMAGES,     "images")               \
	X(MERGE_BIOGRAPHY,  "biography")            \
	X(MERGE_COVER_ART,  "cover_art")            \
	X(MERGE_POPULARITY, "popularity")           \
	X(MERGE_SIMILAR,    "similar")              \
	X(MERGE_TOP_TRACKS, "top_tracks")           \
	X(MERGE_LYRICS,     "lyrics")
// clang-format on

/* Bit positions (MERGE_IMAGES_BIT, ...). */
enum merge_include_bit {
#define MERGE_INCLUDE_BIT_ROW(id, name) id##_BIT,
	MERGE_INCLUDE_LIST(MERGE_INCLUDE_BIT_ROW)
#undef MERGE_INCLUDE_BIT_ROW
	MERGE_INCLUDE__COUNT
};

/* Flags for the include mask (MERGE_IMAGES = 1 << MERGE_IMAGES_BIT, ...). */
enum merge_include {
#define MERGE_INCLUDE_FLAG_ROW(id, name) id = 1u << id##_BIT,
	MERGE_INCLUDE_LIST(MERGE_INCLUDE_FLAG_ROW)
#undef MERGE_INCLUDE_FLAG_ROW
};

/* Every flag: what include=all means. */
#define MERGE_INCLUDE_ALL ((1u << MERGE_INCLUDE__COUNT) - 1u)

/* Parts beyond this many are ignored (one per provider is the normal case). */
#define MERGE_MAX_PARTS 32u

/* Largest include= value merge_parse_include() reads, in bytes. */
#define MERGE_MAX_INCLUDE_BYTES 512u

/* Size of merge_pick_lang()'s output buffer. */
#define MERGE_LANG_LEN 16

/* "images", ... for exactly one flag; NULL for 0, several flags or an unknown bit. Static. */
const char *merge_include_name(unsigned flag);

/*
 * Parse an include= value: names from MERGE_INCLUDE_LIST separated by
 * commas, plus "all" (every flag) and "none" (no flag; "none,images" is
 * images). Spaces around a name and empty items ("images,") are ignored;
 * NULL or "" gives 0. Names are case-sensitive (lowercase).
 *
 * On success *out holds the flags (MERGE_INCLUDE_ALL at most) and *why is
 * untouched. Errors: ERR_INVALID_ARGUMENT for an unknown name, with *why
 * naming it ("unknown include 'imgs'"; the name is cut to 32 bytes and made
 * printable ASCII), or for a value longer than MERGE_MAX_INCLUDE_BYTES. The
 * message lives in thread-local storage, valid until this thread's next call;
 * *out is 0 on error. Pure; never blocks.
 */
MUST_CHECK enum err merge_parse_include(const char *s, unsigned *out, const char **why);

/*
 * The language to serve a biography in, as a lowercase primary subtag
 * ("de") written to out (always NUL-terminated):
 *  1. lang_param (the lang= query value) when it is a well-formed tag:
 *     2 or 3 letters, then optional subtags of 1 to 8 letters or digits
 *     after '-' or '_' ("de", "pt-BR", "zh_Hant_TW");
 *  2. else the Accept-Language range with the highest q (RFC 9110 12.5.4;
 *     the first one on a tie), where "*", q=0, malformed ranges and
 *     malformed q values are skipped and "de-CH" counts as "de";
 *  3. else "en".
 * Either input may be NULL. Garbage in any form falls through to the next
 * rule; at most 64 ranges and 4096 bytes of the header are read. Pure.
 */
void merge_pick_lang(const char *lang_param, const char *accept_language, char out[MERGE_LANG_LEN]);

/* One provider consulted for a document. Every pointer is borrowed. */
struct merge_part {
	enum provider_id provider; /* a part outside PROVIDER_LIST is ignored */
	const char *status;	   /* ok|not_found|error|timeout|disabled|skipped;
				      anything else (NULL too) is served as "error" */
	int64_t fetched_at;	   /* Unix seconds; 0 (or out of range) = never, null */
	const struct cJSON *frag;  /* entity, cover-art or lyrics fragment, or NULL */
	const char *match_method;  /* match_method_name() ("mb_relation", ...);
				      anything else (NULL too) = none */
	double match_score;	   /* 0..1, clamped; ignored without a method */
};

/*
 * A new document: a deep copy of mb_doc with the sections above. mb_doc is
 * the document as the aggregator completed it (with its "sources"); when it
 * is not a JSON object the result starts from {}. Members of mb_doc with
 * the names of added sections are replaced; "external_ids" and "sources"
 * are extended in place (a member of the wrong type is replaced by a new
 * one). Only the first MERGE_MAX_PARTS parts are read; parts and n may be
 * NULL and 0. lang is the biography's language, normally merge_pick_lang()'s
 * answer; only its primary subtag counts, and NULL or a malformed tag is "en".
 *
 * Returns a tree for the caller to cJSON_Delete(); never NULL (allocation
 * failure aborts). Borrows everything it is given; keeps nothing. Pure.
 */
struct cJSON *merge_document(const struct cJSON *mb_doc, const struct merge_part *parts, size_t n,
			     unsigned include, const char *lang);

/*
 * Check the sections merge_document() adds to doc against their shapes:
 * those always added, and those whose flag is in include (no other merged
 * section may be there). MusicBrainz's own members are not looked at
 * (mb_check_document() does that on the document before merging). On a
 * mismatch returns ERR_INVALID_ARGUMENT and writes "path: problem" to
 * where (size bytes, may be 0). For the tests and the fuzz target. Pure.
 */
MUST_CHECK enum err merge_check(const struct cJSON *doc, unsigned include, char *where,
				size_t size);

#endif
