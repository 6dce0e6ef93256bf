/*
 * agg_int.h - private seam between agg.c (flights, threads) and
 * agg_reply.c (turning a cached entry into an HTTP answer).
 *
 * Not a public header: only src/agg*.c include it.
 */
#ifndef MEDLEY_AGG_INT_H
#define MEDLEY_AGG_INT_H

#include <stdint.h>

#include "medley/agg.h"
#include "medley/cache.h"
#include "medley/lru.h"
#include "medley/req.h"

/*
 * Answer r from entry e: 200 with the body and a "cache" member, 304 when
 * If-None-Match matches, or 404 for a remembered "not found". status is the
 * cache result ("hit", "stale", "miss"); t names the document (for the 404
 * detail). Sets the validators and Cache-Control from e's timestamps.
 */
void agg_reply_entry(struct req *r, const struct doc_entry *e, const char *status,
		     const struct agg_target *t, int64_t now_us);

/* ---- agg_target.c ------------------------------------------------------------ */

/* Seconds a document of t stays fresh, from the cache section. */
int agg_target_ttl_s(const struct config_cache *c, const struct agg_target *t);

/* The in-process key of t's document: "<kind> <key>", into out[0..size). */
void agg_target_map_key(const struct agg_target *t, const char *key, char *out, size_t size);

#endif

/* ---- agg_mb.c: the MusicBrainz side of a target ---------------------------- */

struct buf;
struct cJSON;

/* The MusicBrainz URL for t under base_url. ERR_INVALID_ARGUMENT for a bad target. */
MUST_CHECK enum err agg_mb_url(const struct agg_target *t, const char *base_url, struct buf *out);

/*
 * Parse a MusicBrainz answer for t into the document as served: the
 * provider's normalized document plus "sources" (one MusicBrainz entry with
 * fetched_at) and, for browse and search pages, what was asked. On success
 * *doc_out is a new cJSON tree (cJSON_Delete it) and, for lookups,
 * canonical_id holds the document's own id (it differs from t->mbid for a
 * merged id). Errors: ERR_INVALID_ARGUMENT with *why (static) when the body
 * is not a valid answer.
 */
MUST_CHECK enum err agg_mb_parse(const struct agg_target *t, const char *body, size_t len,
				 int64_t fetched_at_us, struct cJSON **doc_out,
				 char canonical_id[40], const char **why);

/*
 * The foreign ids doc reveals (external_ids, ISRCs, barcode), as pairs
 * pointing into doc, appended to out[0..max); returns how many.
 */
size_t agg_mb_external_ids(const struct cJSON *doc, struct cache_ext_id *out, size_t max);
