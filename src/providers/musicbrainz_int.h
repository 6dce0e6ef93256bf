/*
 * musicbrainz_int.h - private seam between the src/providers/musicbrainz_*.c
 * files.
 *
 * Not a public header: only src/providers/musicbrainz*.c include it.
 * musicbrainz_common.c reads the members every entity shares (text, dates,
 * artist credits, aliases, genres, ratings), musicbrainz_links.c turns url
 * relations into links and external ids, musicbrainz_lookup.c builds the
 * entity documents and musicbrainz_search.c the list documents.
 *
 * Every mb_put_*() reads src (any cJSON value, trusted for nothing) and adds
 * exactly one member, or a fixed set of members, to dst: the member is
 * always added, null or [] when src lacks a usable value. None can fail.
 */
#ifndef MEDLEY_MUSICBRAINZ_INT_H
#define MEDLEY_MUSICBRAINZ_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/common.h"
#include "medley/err.h"
#include "medley/musicbrainz.h"

/*
 * What a parser returns for a body that is not what MusicBrainz sends
 * (malformed JSON, wrong shape, no id). One place, so that a dedicated
 * upstream error row can replace it with a one-line change.
 */
#define MB_ERR_BAD_BODY ERR_INVALID_ARGUMENT

/* Longest artist_credit_name built from a credit's pieces. */
#define MB_MAX_CREDIT_NAME_BYTES 4096u

/* Longest URL kept as a link. */
#define MB_MAX_URL_BYTES 2048u

/* What a builder includes: everything, or the light list-item form. */
enum mb_shape {
	MB_SHAPE_FULL,
	MB_SHAPE_SUMMARY,
};

/* Parse body and check it is an object; errors as in musicbrainz.h. */
MUST_CHECK enum err mb_parse_object(const char *body, size_t len, cJSON **out, const char **why);

/* mb_parse_object() for a body about entity e, which must be in the enum. */
MUST_CHECK enum err mb_parse_entity_object(enum mb_entity e, const char *body, size_t len,
					   cJSON **out, const char **why);

/* src["id"] as a lowercase MBID in out; false when missing or not an MBID. */
bool mb_read_id(const cJSON *src, char out[MB_MBID_LEN + 1]);

/* A new {"id": id, "kind": kind} object (id NULL -> null). */
cJSON *mb_doc_new(const char *kind, const char *id);

/* dst[key] = src[src_key] verbatim, or null. */
void mb_put_str(cJSON *dst, const char *key, const cJSON *src, const char *src_key);

/* As mb_put_str(), but "" (MusicBrainz's "none") is null too. */
void mb_put_text(cJSON *dst, const char *key, const cJSON *src, const char *src_key);

/* dst[key] = the date src[src_key] when shaped YYYY, YYYY-MM or YYYY-MM-DD, else null. */
void mb_put_date(cJSON *dst, const char *key, const cJSON *src, const char *src_key);

/* dst[key] = integral src[src_key] within [min, max], or null. */
void mb_put_int(cJSON *dst, const char *key, const cJSON *src, const char *src_key, long long min,
		long long max);

/* dst[key] = boolean src[src_key], or null. */
void mb_put_bool(cJSON *dst, const char *key, const cJSON *src, const char *src_key);

/* dst[key] = src[src_key] as a lowercase MBID, or null. */
void mb_put_mbid(cJSON *dst, const char *key, const cJSON *src, const char *src_key);

/* dst[key] = [the non-empty strings of array src[src_key]] ([] if none). */
void mb_put_strings(cJSON *dst, const char *key, const cJSON *src, const char *src_key);

/* dst.artist_credit = [...] and dst.artist_credit_name from src["artist-credit"]. */
void mb_put_artist_credit(cJSON *dst, const cJSON *src);

/* dst.aliases = [...] from src["aliases"]. */
void mb_put_aliases(cJSON *dst, const cJSON *src);

/* dst[key] = [{name, count}] from src[key] ("genres", "tags"), count desc then name. */
void mb_put_counted(cJSON *dst, const char *key, const cJSON *src);

/* dst.rating = {value, votes} from src["rating"], or null. */
void mb_put_rating(cJSON *dst, const cJSON *src);

/* dst[key] = {id, name} from the first object among src[k1], src[k2] (k2 may be NULL), or null. */
void mb_put_area(cJSON *dst, const char *key, const cJSON *src, const char *k1, const char *k2);

/* dst[key] = {id, title, primary_type, secondary_types, first_release_date} or null. */
void mb_put_release_group_ref(cJSON *dst, const char *key, const cJSON *src);

/* dst.links and dst.external_ids from src["relations"] (url relations only). */
void mb_put_links(cJSON *dst, const cJSON *src);

/*
 * The document of entity e read from src, or NULL when src is not an
 * object with a valid MBID "id". SUMMARY drops aliases, links,
 * external_ids and nested release lists.
 */
cJSON *mb_build_entity(enum mb_entity e, const cJSON *src, enum mb_shape shape);

#endif
