/*
 * wikidata_int.h - private seam between the src/providers/wikidata*.c
 * files.
 *
 * Not a public header: only src/providers/wikidata*.c include it.
 * wikidata.c holds the URLs, the search answer and these helpers,
 * wikidata_entity.c turns a wbgetentities answer into a fragment and
 * wikidata_wikipedia.c a Wikipedia summary.
 */
#ifndef MEDLEY_WIKIDATA_INT_H
#define MEDLEY_WIKIDATA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/common.h"
#include "medley/err.h"
#include "medley/fragment.h"
#include "medley/wikidata.h"

/* Item pages: https://www.wikidata.org/wiki/<Q>. */
#define WD_PAGE_ROOT "https://www.wikidata.org/wiki/"

/* Longest Q id, NUL included ("Q" and 12 digits). */
#define WD_QID_SIZE 14

/* True for "artist", "release-group", "release" and "recording". */
bool wd_is_entity_kind(const char *kind);

/* True if lang is 2 to 12 of [a-z-]. */
bool wd_valid_lang(const char *lang);

/* The type of an entity's main picture: thumb (artist), other (recording), else front. */
enum image_type wd_picture_type(const char *kind);

/* frag[key], which the fragment builders always create (writable). */
cJSON *wd_slot(cJSON *frag, const char *key);

/* Replace frag[key] (present) by item, which frag takes. */
void wd_set(cJSON *frag, const char *key, cJSON *item);

/* fragment_new_entity("wikidata", kind, qid) with url (the item page) and ids.wikidata set. */
cJSON *wd_item_fragment(const char *kind, const char *qid);

/*
 * A copy of s (for the caller to xfree) with CR LF and lone CR as LF and
 * outer white space trimmed, or NULL when nothing is left.
 */
char *wd_plain_text(const char *s);

#endif
