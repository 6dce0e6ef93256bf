/*
 * merge_int.h - what the merge_*.c files share; not part of merge.h's API.
 *
 * merge.c checks and orders the parts once (struct merge_in); the section
 * builders in merge_images.c and merge_lists.c read only that, never the raw
 * parts, so none of them needs to distrust a fragment again.
 */
#ifndef MEDLEY_MERGE_INT_H
#define MEDLEY_MERGE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/merge.h"
#include "medley/provider_id.h"

/* Caps on what a merged section holds (inputs past them are dropped). */
#define MERGE_MAX_IMAGES 100u
#define MERGE_MAX_COVER_ART 100u
#define MERGE_MAX_GENRES 50u
#define MERGE_MAX_SIMILAR 50u
#define MERGE_MAX_TOP_TRACKS 50u
#define MERGE_MAX_ID_SCHEMES 32u
#define MERGE_MAX_IDS_PER_SCHEME 50u /* what providers add */
#define MERGE_MAX_MB_SCHEMES 256u
#define MERGE_MAX_MB_IDS 1000u /* MusicBrainz's own, as its links (MB_MAX_LINKS) */

/* Items read from one fragment's list, and from all of them together. */
#define MERGE_MAX_ITEMS_PER_LIST 200u
#define MERGE_MAX_ITEMS 512u

/* Name keys (merge_norm()) are cut to this many bytes (NUL included). */
#define MERGE_NORM_LEN 128

enum merge_frag_kind {
	MERGE_FRAG_NONE,
	MERGE_FRAG_ENTITY,
	MERGE_FRAG_COVER_ART,
	MERGE_FRAG_LYRICS,
};

/* One part, checked. */
struct merge_src {
	enum provider_id provider;
	const struct merge_part *part; /* borrowed from the caller */
	bool ok;		       /* status is "ok" */
	const cJSON *frag;	       /* a fragment that passed every check, else NULL */
	enum merge_frag_kind kind;     /* MERGE_FRAG_NONE when frag is NULL */
};

/* The parts in PROVIDER_LIST order (stable), at most MERGE_MAX_PARTS. */
struct merge_in {
	struct merge_src src[MERGE_MAX_PARTS];
	size_t n;
};

/* A usable fragment of kind k from an ok part, else NULL. */
static inline const cJSON *merge_frag(const struct merge_src *s, enum merge_frag_kind k)
{
	return s->ok && s->kind == k ? s->frag : NULL;
}

/*
 * Rank of provider p in a precedence list (0 = first); providers not in
 * the list rank after it, in PROVIDER_LIST order.
 */
unsigned merge_rank(enum provider_id p, const enum provider_id *order, size_t n);

/*
 * s folded for comparing names, by the matcher's rules
 * (match_normalize_name(): case, accents, quotes, punctuation, "&", a
 * leading "The"), as a key cut to MERGE_NORM_LEN - 1 bytes (maybe inside
 * a character: keys are compared, never shown). NULL reads as "".
 */
void merge_norm(const char *s, char out[MERGE_NORM_LEN]);

/* Add the string s (sanitized) to arr unless an equal string is there; true if added. */
bool merge_add_unique(cJSON *arr, const char *s);

/* Sections (each adds or replaces one member of doc). */
void merge_images(const struct merge_in *in, cJSON *doc);
void merge_cover_art(const struct merge_in *in, cJSON *doc);
void merge_biography(const struct merge_in *in, cJSON *doc, const char *lang);
void merge_genres(const struct merge_in *in, cJSON *doc);
void merge_similar(const struct merge_in *in, cJSON *doc);
void merge_top_tracks(const struct merge_in *in, cJSON *doc);

/* Remove every doc[key] and add item (unless NULL) at the end; doc takes item. */
void merge_set(cJSON *doc, const char *key, cJSON *item);

#endif
