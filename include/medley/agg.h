/*
 * agg.h - the cache-first aggregator: answer a request for a document from
 * memory, from PostgreSQL, or from the provider, exactly once per document.
 *
 * agg_serve() is called by a handler with a target (what document) and the
 * request. Fresh in memory or in the database: answered at once ("hit").
 * Past its TTL but within the stale-while-revalidate window: answered at
 * once ("stale") and refreshed in the background. Otherwise the request is
 * deferred (req_defer(), the connection suspended, no thread held) and
 * joins the one fetch of that document under way in this process (single
 * flight), or starts it. Across processes, one instance holds a lease row
 * and fetches; the others wait for its row. When the fetch ends, every
 * waiting request is answered; if it failed and a copy within the
 * stale-if-error window exists, that copy is served ("stale"). Each
 * request has a deadline (server.request_timeout_ms): at the deadline it
 * gets the stale copy or a 504, and the fetch goes on to fill the cache.
 *
 * Nothing invalid is cached: a body that does not parse is an upstream
 * error. "Not found" is cached for cache.not_found_ttl_s. If PostgreSQL is
 * down, documents are fetched and answered without being stored.
 *
 * Threads: agg_start() starts worker threads (database work, parsing,
 * storing, answering), reader threads (memory misses, read from the
 * database in batches) and one timer thread (deadlines, lease polls). The
 * fetch engine calls back on its own thread; results are handed to the
 * workers. agg_serve() runs on the HTTP threads and never blocks: a memory
 * hit is answered there; a miss defers the request to a reader, which reads
 * the document's row (following one redirect; from the read replica, or the
 * primary if the replica fails) with the other queued misses in one query.
 */
#ifndef MEDLEY_AGG_H
#define MEDLEY_AGG_H

#include <stdbool.h>

#include "medley/common.h"
#include "medley/config.h"
#include "medley/err.h"
#include "medley/req.h"

struct agg;
struct db_pool;
struct lru;
struct fetcher;

/* What kind of document a target names. */
enum agg_kind {
	AGG_LOOKUP, /* one entity by MBID */
	AGG_BROWSE, /* a page of an artist's release groups */
	AGG_SEARCH, /* a page of search results */
	AGG_URL,    /* the entities a URL is related to (MusicBrainz's url lookup) */
};

/* MusicBrainz entity types, as in the API paths. */
enum agg_entity {
	AGG_ARTIST,
	AGG_RELEASE_GROUP,
	AGG_RELEASE,
	AGG_RECORDING,
};

#define AGG_KEY_MAX 768

/* A document to serve. Strings are borrowed for the duration of agg_serve(). */
struct agg_target {
	enum agg_kind kind;
	enum agg_entity entity; /* LOOKUP and SEARCH; ARTIST for BROWSE */
	const char *mbid;	/* LOOKUP, BROWSE: lowercase canonical MBID */
	const char *type;	/* BROWSE: release-group type filter, or NULL */
	const char *query;	/* SEARCH: normalized query text; URL: the URL */
	int limit, offset;	/* BROWSE, SEARCH */
};

struct agg_deps {
	const struct config *cfg;  /* borrowed, frozen */
	struct db_pool *pool;	   /* borrowed: writes, leases and lease polls */
	struct db_pool *read_pool; /* borrowed: cache reads (a replica), or the same as pool */
	struct lru *lru;	   /* borrowed */
	struct fetcher *mb;	   /* borrowed: the MusicBrainz fetcher */
};

/* Create an aggregator (no threads yet). deps are borrowed and must outlive it. */
MUST_CHECK enum err agg_new(const struct agg_deps *deps, struct agg **out);

/* Start the worker and timer threads. ERR_INTERNAL if a thread cannot start. */
MUST_CHECK enum err agg_start(struct agg *a);

/*
 * Stop: every request still waiting is answered (its stale copy, or 503
 * shutting-down), queued work is finished, threads are joined. Call after
 * the fetchers were stopped (their last callbacks arrive as failures).
 */
void agg_stop(struct agg *a);

/* Free a stopped aggregator. NULL is a no-op. */
void agg_free(struct agg *a);

/*
 * Answer r with the document t names: at once, or later through
 * req_defer()/req_complete(). Sets r's cache status and sources for the
 * access log. Never fails: problems become problem documents.
 */
void agg_serve(struct agg *a, struct req *r, const struct agg_target *t);

/* The cache key of t ("<mbid>", "<mbid>?type=album&limit=25&offset=0", a URL, ...). */
void agg_target_key(const struct agg_target *t, char out[AGG_KEY_MAX]);

/* The cache kind of t ("artist", "browse-release-groups", "search-artist", "url", ...). Static. */
const char *agg_target_kind(const struct agg_target *t);

/* "artist", "release-group", "release", "recording". Static. */
const char *agg_entity_name(enum agg_entity e);

/*
 * True when an If-None-Match value (borrowed; NULL for none) names etag:
 * "*", or etag among its comma-separated tags (a W/ prefix is ignored:
 * weak comparison, RFC 9110 13.1.2). Pure.
 */
bool agg_etag_matches(const char *if_none_match, const char *etag);

#endif
