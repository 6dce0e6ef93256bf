/*
 * wikidata_int.h - private seam between the src/providers/wikidata*.c
 * files.
 *
 * Not a public header: only src/providers/wikidata*.c include it.
 * wikidata.c holds the URLs, the search answer and these helpers,
 * wikidata_entity.c turns a wbgetentities answer into a fragment and
 * wikidata_wikipedia.c a Wikipedia summary. What every provider shares
 * (member setters, plain text, URL checks) is in provider_int.h.
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

/* fragment_new_entity("wikidata", kind, qid) with url (the item page) and ids.wikidata set. */
cJSON *wd_item_fragment(const char *kind, const char *qid);

/* True if s is 1 to max bytes of UTF-8 without control characters (C0 or DEL); false for NULL. */
bool wd_short_text_ok(const char *s, size_t max);

#endif
