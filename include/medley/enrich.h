/*
 * enrich.h - the enrichment engine: ask every other provider about a
 * MusicBrainz entity at once, cache each answer on its own schedule, and
 * merge them into the served document.
 *
 * A lookup with include= (or with enrich.default_include) is first answered
 * by the aggregator from MusicBrainz, as without enrichment. Its handler
 * installs a continuation (req_then()); when the MusicBrainz answer is ready
 * (a 200), the continuation takes it over:
 *
 *  1. For each provider that can feed one of the asked sections for this
 *     kind (its adapter says which), the provider's fragment for this MBID
 *     comes from memory, else from provider_documents (provider = its name,
 *     key = the MBID), else a job is started: the adapter's step function
 *     drives one or more fetches (resolve the provider's id, fetch, maybe a
 *     second call) through that provider's fetcher. A provider without its
 *     key is "disabled"; one not asked for anything is not consulted.
 *  2. All jobs run in parallel, each within its provider's limits. The
 *     request waits for them, suspended, at most until its deadline
 *     (server.request_timeout_ms from its start, less a margin for the
 *     merge); a provider still busy then is "timeout" in sources, its job
 *     goes on and stores its answer for later requests.
 *  3. merge_document() folds the fragments into the document (merge.h,
 *     docs/merge.md); the answer gets its own ETag and a max-age no longer
 *     than its freshest part allows.
 *
 * Caching. The merged answer is kept in memory until its MusicBrainz
 * document or any part needs refreshing (enrich_answer_cached(): a hot
 * enriched lookup does no JSON work). A fragment is stored with its match (method, score) for the
 * provider's ttl_s, under the MBID (or "<mbid>@<lang>" for an adapter whose
 * answer depends on the language); "not found" for cache.not_found_ttl_s; an error or a
 * timeout is remembered in memory only, for ENRICH_ERROR_TTL_S, so the part
 * is retried on a later request. One job per (provider, kind, MBID) runs
 * at a time in a process: later requests join it.
 *
 * Adapters (src/enrich/<provider>.c) are the only provider-specific code:
 * a table row each (enrich_adapters[]), see struct enrich_adapter.
 *
 * Threads: the continuation runs on whatever thread completed the
 * MusicBrainz answer and may block on one database read; adapter steps run
 * there and on the fetchers' threads (they must be quick and never block);
 * one timer thread answers requests at their deadline.
 */
#ifndef MEDLEY_ENRICH_H
#define MEDLEY_ENRICH_H

#include <stdbool.h>
#include <stdint.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/config.h"
#include "medley/err.h"
#include "medley/fetch.h"
#include "medley/match.h"
#include "medley/provider_id.h"
#include "medley/req.h"

struct cJSON;
struct db_pool;
struct enrich;
struct lru;

/* An error or timeout is retried on a request this many seconds later at the earliest. */
#define ENRICH_ERROR_TTL_S 60

/* Entity kinds, as bits of enrich_adapter.kinds. */
enum {
	ENRICH_ARTIST = 1u << 0,
	ENRICH_RELEASE_GROUP = 1u << 1,
	ENRICH_RELEASE = 1u << 2,
	ENRICH_RECORDING = 1u << 3,
};

/* "artist", "release-group", "release", "recording" -> its bit; 0 for anything else. */
unsigned enrich_kind_bit(const char *kind);

/* The next request a job wants sent. The adapter fills it; the engine copies it. */
struct enrich_request {
	enum provider_id provider; /* whose fetcher sends it: the job's own by default */
	struct buf url;		   /* absolute URL */
	const char *headers[4];	   /* NULL-terminated; strings the job owns (scratch) */
	const char *post_body;	   /* NULL: GET */
};

/* What a step decided. */
enum enrich_step {
	ENRICH_FETCH,	  /* send req, call step again with its result */
	ENRICH_OK,	  /* done: j->frag is the answer */
	ENRICH_NOT_FOUND, /* done: the provider has nothing for this entity */
	ENRICH_ERROR,	  /* done: failed (j->why says why); retried later */
};

/* One provider's work on one entity. The engine owns it; the adapter fills the out part. */
struct enrich_job {
	/* In: set by the engine, read-only for the adapter. */
	enum provider_id provider;
	const struct config_provider *cfg; /* the provider's settings */
	const struct config *config;	   /* everything (another provider's base_url) */
	const char *kind;		   /* "artist", ... */
	const char *mbid;		   /* lowercase */
	const struct cJSON *mb;		   /* the MusicBrainz document (without "cache") */
	const char *lang;		   /* biography language, "en" */
	void *pstate;			   /* the adapter's per-process state (pstate_new) */
	/* The adapter's own. */
	int state;	   /* 0 on the first call */
	void *scratch;	   /* freed with xfree() when the job ends */
	char token[512];   /* a credential the adapter needs in a header (Spotify) */
	char hdr[640];	   /* room for one header line built from token */
	char id[128];	   /* the provider's id for the entity, once known */
	struct cJSON *aux; /* a fragment kept between steps; deleted when the job ends */
	/* Out. */
	struct cJSON *frag;	   /* the fragment (ENRICH_OK); the job owns it */
	struct match_result match; /* how the entity was matched (ENRICH_OK) */
	char why[160];		   /* ENRICH_ERROR: for the log */
};

/*
 * A provider's adapter: which entities and sections it serves and how.
 *
 * step(j, res, req) advances the job. res is NULL on the first call, else
 * the result of the request the previous call asked for (any outcome: the
 * adapter decides, e.g. FETCH_NOT_FOUND -> ENRICH_NOT_FOUND). To ask for a
 * request, fill req (its url buf is empty and its provider is the job's)
 * and return ENRICH_FETCH. Must not block.
 */
struct enrich_adapter {
	enum provider_id id;
	unsigned kinds;	   /* ENRICH_* bits */
	unsigned includes; /* MERGE_* flags it can feed */
	/* NULL when the provider can be asked; else why not ("no api_key"). */
	const char *(*disabled)(const struct config_provider *cfg);
	enum enrich_step (*step)(struct enrich_job *j, const struct fetch_result *res,
				 struct enrich_request *req);
	/*
	 * The fragment depends on the language asked (a biography fetched in
	 * it): it is cached per language ("<mbid>@<lang>") rather than once.
	 */
	bool lang_dependent;
	/* Per-process state (a token cache), or NULL: made at enrich_new, freed at enrich_free. */
	void *(*pstate_new)(void);
	void (*pstate_free)(void *pstate);
};

/* The adapters, one per provider that has one; NULL-terminated. */
extern const struct enrich_adapter *const enrich_adapters[];

/* What the engine needs. Everything is borrowed and must outlive it. */
struct enrich_deps {
	const struct config *cfg;
	struct db_pool *pool;			   /* fragments: writes */
	struct db_pool *read_pool;		   /* fragments: reads */
	struct lru *lru;			   /* fragments and merged answers in memory */
	struct fetcher *fetchers[PROVIDER__COUNT]; /* NULL: the provider is not running */
};

MUST_CHECK enum err enrich_new(const struct enrich_deps *deps, struct enrich **out);
MUST_CHECK enum err enrich_start(struct enrich *e);
/* Answer every waiting request with what it has, stop the timer. Jobs end with their fetchers. */
void enrich_stop(struct enrich *e);
void enrich_free(struct enrich *e);

/* What the client gets from an enriched lookup. */
enum enrich_view {
	ENRICH_VIEW_DOCUMENT,  /* the merged document */
	ENRICH_VIEW_COVER_ART, /* {id, kind: "cover-art", images, sources}; 404 without art */
	ENRICH_VIEW_LYRICS,    /* {id, kind: "lyrics", ..., sources}; 404 without lyrics */
};

struct enrich_opts {
	unsigned include; /* MERGE_* flags */
	char lang[16];	  /* merge_pick_lang() */
	enum enrich_view view;
	int size;	     /* cover art: 0 (full), 250, 500 or 1200 */
	bool redirect_front; /* cover art: 302 to the best front image at size */
};

/*
 * Answer r at once from memory when the merged answer o asks of (kind,
 * mbid) was built before and is still fresh: fresh as long as its
 * MusicBrainz document and every provider's part are, and kept only when
 * every part was final (no timeout or error). True when r was answered
 * (200 with "cache": {"status": "hit"}, or 304); false: go the long way.
 * A 302 redirect is never answered from here.
 */
bool enrich_answer_cached(struct enrich *e, struct req *r, const struct enrich_opts *o,
			  const char *kind, const char *mbid);

/*
 * Install the continuation on r before handing it to the aggregator: when
 * the MusicBrainz answer is a 200 document, it is enriched as o says (o is
 * copied). A document view with no include flags installs nothing.
 */
void enrich_attach(struct enrich *e, struct req *r, const struct enrich_opts *o);

/*
 * Enrich doc (taken: an entity document with "kind" and an "id" under 40
 * bytes that keys the cache, e.g. a hash of a query) for r, which this
 * defers, as o says: for requests that do not start from MusicBrainz
 * (GET /v1/lyrics). The answer is not cacheable by clients (max-age 0).
 */
void enrich_serve_doc(struct enrich *e, struct req *r, struct cJSON *doc,
		      const struct enrich_opts *o);

#endif
