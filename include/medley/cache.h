/*
 * cache.h - the PostgreSQL side of the document cache (sql/002_cache.sql).
 *
 * Rows of provider_documents, the external ids a document reveals, and the
 * leases that give one instance the right to fetch a missing document
 * (single flight across instances). Every statement is named and
 * parameterized. Freshness policy is not decided here: rows carry their
 * timestamps and the aggregator judges them.
 *
 * Every function blocks on the database (bounded by statement_timeout and
 * the pool's acquire timeout) and is thread-safe. Errors are the db
 * module's: ERR_DB_UNAVAILABLE, ERR_DB_POOL_TIMEOUT, ERR_TIMEOUT,
 * ERR_DB_QUERY (already logged there).
 */
#ifndef MEDLEY_CACHE_H
#define MEDLEY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "medley/common.h"
#include "medley/db.h"
#include "medley/err.h"
#include "medley/lru.h"

/* Which document: provider, kind ("artist", "search-artist", ...) and key. */
struct cache_id {
	const char *provider;
	const char *kind;
	const char *key;
};

/* A foreign id revealed by a document: ("spotify", "4Z8W4fKeB5YxbusRsdQVPb"). */
struct cache_ext_id {
	const char *ns;
	const char *id;
};

/* A row as read: status, and the entry or redirect it holds. */
struct cache_row {
	enum cache_row_status {
		CACHE_ROW_ENTRY,
		CACHE_ROW_REDIRECT
	} kind;
	struct doc_entry *entry; /* CACHE_ROW_ENTRY: one reference, the caller's */
	char *canonical_key;	 /* CACHE_ROW_REDIRECT: xfree() it */
};

/* Drop what r holds. */
void cache_row_release(struct cache_row *r);

/* Read one row into *out; *found is false when there is none. */
MUST_CHECK enum err cache_get(struct db_pool *pool, const struct cache_id *id,
			      struct cache_row *out, bool *found);

/*
 * cache_get() for ids[0..n) in one round trip: found[i] tells whether
 * rows[i] was filled (release each found row). On error no row is filled.
 */
MUST_CHECK enum err cache_get_many(struct db_pool *pool, const struct cache_id *ids, size_t n,
				   struct cache_row *rows, bool *found);

/*
 * Store e under id (replacing any row), and replace the external ids of id
 * with ext[0..next), in one transaction. e is borrowed.
 */
MUST_CHECK enum err cache_put(struct db_pool *pool, const struct cache_id *id,
			      const struct doc_entry *e, const struct cache_ext_id *ext,
			      size_t next);

/* Store a redirect: id is a merged alias of canonical_key (same provider and kind). */
MUST_CHECK enum err cache_put_redirect(struct db_pool *pool, const struct cache_id *id,
				       const char *canonical_key, int64_t fetched_at_us,
				       int64_t expires_at_us);

/*
 * Try to take the fetch lease on id for holder, for lease_ms. *acquired is
 * true when the lease was free, expired, or already ours.
 */
MUST_CHECK enum err cache_lease_acquire(struct db_pool *pool, const struct cache_id *id,
					const char *holder, int lease_ms, bool *acquired);

/* Give the lease back if holder has it. Best effort: errors are logged by db. */
void cache_lease_release(struct db_pool *pool, const struct cache_id *id, const char *holder);

/*
 * MusicBrainz entities for a foreign id: those whose url relations name
 * ns:id ("spotify", "4Z8W4fKeB5YxbusRsdQVPb"; external_ids) and those the
 * enrichment engine matched to provider's entity id (crosswalk), up to max,
 * best score first, appended to out as JSON objects {"kind", "id", "match":
 * {"method", "score"}} separated by commas. For GET /v1/lookup.
 */
MUST_CHECK enum err cache_find_external(struct db_pool *pool, const char *ns, const char *provider,
					const char *id, int max, struct buf *out);

/* Record that provider's entity provider_id is MusicBrainz's (kind, mbid), by method, with score. */
MUST_CHECK enum err cache_crosswalk_put(struct db_pool *pool, const char *provider,
					const char *provider_id, const char *kind, const char *mbid,
					const char *method, double score);

#endif
