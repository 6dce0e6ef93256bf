/*
 * agg.c - flights, waiters and threads of the aggregator (see agg.h).
 *
 * A flight is the one fetch of one document under way in this process. It
 * lives in a hash table keyed by kind and key while requests can join it,
 * and moves through states on the worker threads:
 *
 *   START       take the cross-instance lease (or, without a database, just go)
 *   LEASE_WAIT  another instance fetches: poll its row until fresh, or take
 *               over an expired lease
 *   FETCHING    the fetch engine has the request; its callback moves the
 *               result in and queues the flight again
 *   FETCHED     parse, store, put in memory, answer every waiter
 *
 * A memory miss is read from the database by a reader thread, in batches
 * (see "reading" below), before it is answered or joins a flight.
 *
 * Waiters are deferred requests with a deadline; the timer thread answers
 * those whose deadline passes (stale copy or 504) and queues lease polls.
 * One mutex guards the table, the queue and the waiter lists; no I/O is done
 * under it. Answering a request (agg_reply.c) happens outside the lock.
 */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "agg_int.h"
#include "medley/cache.h"
#include "medley/clock.h"
#include "medley/hash.h"
#include "medley/db.h"
#include "medley/fetch.h"
#include "medley/log.h"
#include "medley/metrics.h"
#include "medley/xalloc.h"

#define AGG_WORKERS 2
#define AGG_READERS 2	  /* threads reading the database for memory misses */
#define AGG_READ_BATCH 64 /* most ids read in one round trip */
#define AGG_BUCKETS 1024
#define AGG_POLL_US 100000 /* lease-wait poll period */
#define AGG_MAX_EXT_IDS 4096

enum flight_state {
	FL_START,
	FL_LEASE_WAIT,
	FL_FETCHING,
	FL_FETCHED
};

struct waiter {
	struct waiter *next;
	struct req *req;
	struct doc_entry *fallback; /* a stale copy this request may get, or NULL */
	int64_t deadline_us;	    /* monotonic */
	struct agg_target t;	    /* for answering alone: mbid points to mbid below */
	char mbid[40];
};

struct flight {
	struct agg *agg;
	struct flight *hnext; /* table chain */
	struct flight *qnext; /* work queue */
	bool queued;
	enum flight_state state;
	char map_key[AGG_KEY_MAX + 64]; /* "<kind> <key>" */
	char key[AGG_KEY_MAX];
	struct agg_target t; /* strings point into the copies below */
	char mbid[40];
	char type[64];
	char *query;
	struct waiter *waiters;
	struct doc_entry *fallback; /* best stale copy known, or NULL */
	bool leased;
	int64_t lease_deadline_us, next_poll_us; /* monotonic */
	/* The fetch result, moved in by the fetch callback. */
	enum fetch_outcome outcome;
	long http_status;
	char *body;
	size_t body_len;
	int64_t fetched_at_us;
};

/* A request whose document missed the memory layer, waiting to be read from the database. */
struct read_job {
	struct read_job *next;
	struct req *req;     /* deferred */
	struct agg_target t; /* strings point into the copies below */
	char mbid[40];
	char type[64];
	char *query;
	char key[AGG_KEY_MAX];
	char mkey[AGG_KEY_MAX + 64];
};

struct agg {
	struct agg_deps d;
	char holder[128]; /* this instance, in lease rows */
	pthread_mutex_t mu;
	pthread_cond_t work; /* workers: the queue is not empty, or stop */
	pthread_cond_t tick; /* timer: a new deadline, or stop */
	struct flight *table[AGG_BUCKETS];
	struct flight *qhead, *qtail;
	bool stopping;
	bool started;
	pthread_t workers[AGG_WORKERS];
	pthread_t timer;
	/* Database reads of memory misses, batched (see "reading" below). */
	pthread_mutex_t rmu;
	pthread_cond_t rwork;
	struct read_job *rhead, *rtail;
	bool rrunning, rstopping;
	pthread_t readers[AGG_READERS];
};

/* ---- flights and the queue (call with a->mu held) ------------------------- */

static struct flight **slot(struct agg *a, const char *mkey)
{
	struct flight **pp = &a->table[hash_str(mkey) % AGG_BUCKETS];

	while (*pp && strcmp((*pp)->map_key, mkey) != 0)
		pp = &(*pp)->hnext;
	return pp;
}

static void enqueue(struct agg *a, struct flight *f)
{
	if (f->queued)
		return;
	f->queued = true;
	f->qnext = NULL;
	if (a->qtail)
		a->qtail->qnext = f;
	else
		a->qhead = f;
	a->qtail = f;
	pthread_cond_signal(&a->work);
}

/* *dst = *src with its strings copied into mbid, type and a new *query (xfree it). */
static void copy_target(struct agg_target *dst, const struct agg_target *src, char mbid[40],
			char type[64], char **query)
{
	*dst = *src;
	if (src->mbid) {
		snprintf(mbid, 40, "%s", src->mbid);
		dst->mbid = mbid;
	}
	if (src->type) {
		snprintf(type, 64, "%s", src->type);
		dst->type = type;
	}
	if (src->query) {
		*query = xstrdup(src->query);
		dst->query = *query;
	}
}

static struct flight *flight_new(struct agg *a, const struct agg_target *t, const char *key,
				 const char *mkey)
{
	struct flight *f = xcalloc(1, sizeof(*f));

	f->agg = a;
	snprintf(f->map_key, sizeof(f->map_key), "%s", mkey);
	snprintf(f->key, sizeof(f->key), "%s", key);
	copy_target(&f->t, t, f->mbid, f->type, &f->query);
	return f;
}

static void flight_free(struct flight *f)
{
	doc_entry_unref(f->fallback);
	xfree(f->query);
	xfree(f->body);
	xfree(f);
}

/* ---- answering -------------------------------------------------------------- */

static const char *source_status(enum fetch_outcome o)
{
	if (o == FETCH_OK)
		return "ok";
	if (o == FETCH_NOT_FOUND)
		return "not_found";
	return o == FETCH_TIMEOUT ? "timeout" : "error";
}

static bool usable_stale(const struct agg *a, const struct doc_entry *e, int64_t now_us)
{
	return e && now_us < e->expires_at_us + (int64_t)a->d.cfg->cache.stale_if_error_s * 1000000;
}

/* Answer r when no fresh document can be had: its stale copy, or a problem. */
static void answer_failure(struct agg *a, struct req *r, const struct agg_target *t,
			   struct doc_entry *fallback, enum err e, const char *source)
{
	int64_t now = clock_wall_us();

	req_note_source(r, provider_name(PROVIDER_MUSICBRAINZ), source);
	if (usable_stale(a, fallback, now)) {
		agg_reply_entry(r, fallback, "stale", t, now);
		return;
	}
	if (e == ERR_TIMEOUT)
		req_fail(r, e, "MusicBrainz did not answer within %d ms",
			 a->d.cfg->server.request_timeout_ms);
	else if (e == ERR_SHUTTING_DOWN)
		req_fail(r, e, "medley is shutting down");
	else
		req_fail(r, e, "MusicBrainz could not be asked for this %s (%s)",
			 agg_entity_name(t->entity), source);
}

static enum err outcome_err(enum fetch_outcome o)
{
	switch (o) {
	case FETCH_TIMEOUT:
		return ERR_UPSTREAM_TIMEOUT;
	case FETCH_RATE_LIMITED:
	case FETCH_BREAKER_OPEN:
	case FETCH_QUEUE_FULL:
		return ERR_UPSTREAM_UNAVAILABLE;
	case FETCH_SHUTDOWN:
		return ERR_SHUTTING_DOWN;
	default:
		return ERR_UPSTREAM_ERROR;
	}
}

/* Take f out of the table and hand back its waiters. */
static struct waiter *detach_flight(struct agg *a, struct flight *f)
{
	struct waiter *w;

	pthread_mutex_lock(&a->mu);
	*slot(a, f->map_key) = f->hnext;
	w = f->waiters;
	f->waiters = NULL;
	pthread_mutex_unlock(&a->mu);
	return w;
}

static void waiter_free(struct waiter *w)
{
	doc_entry_unref(w->fallback);
	xfree(w);
}

/* The flight is over: answer every waiter from e, or with its failure. */
static void finish(struct agg *a, struct flight *f, struct doc_entry *e, enum fetch_outcome o)
{
	struct waiter *w = detach_flight(a, f);
	int64_t now = clock_wall_us();

	if (f->leased)
		cache_lease_release(
			a->d.pool,
			&(struct cache_id){"musicbrainz", agg_target_kind(&f->t), f->key},
			a->holder);
	while (w) {
		struct waiter *next = w->next;

		if (e) {
			req_note_source(w->req, provider_name(PROVIDER_MUSICBRAINZ),
					source_status(o));
			agg_reply_entry(w->req, e, "miss", &f->t, now);
		} else {
			answer_failure(a, w->req, &f->t, w->fallback ? w->fallback : f->fallback,
				       outcome_err(o), source_status(o));
		}
		req_complete(w->req);
		waiter_free(w);
		w = next;
	}
	flight_free(f);
}

/* ---- storing a fetched document -------------------------------------------- */

static struct cache_id cache_id_of(const struct flight *f, const char *key)
{
	return (struct cache_id){provider_name(PROVIDER_MUSICBRAINZ), agg_target_kind(&f->t), key};
}

static void remember(struct agg *a, struct flight *f, const char *key, struct doc_entry *e,
		     const struct cache_ext_id *ext, size_t next)
{
	struct cache_id id = cache_id_of(f, key);
	char mkey[AGG_KEY_MAX + 64];

	if (cache_put(a->d.pool, &id, e, ext, next) != ERR_OK)
		log_warn("cannot store %s %s; answering without storing", id.kind, key);
	agg_target_map_key(&f->t, key, mkey, sizeof(mkey));
	lru_put(a->d.lru, mkey, e);
}

/* A merged id: the requested key redirects to the canonical one, in both layers. */
static void remember_alias(struct agg *a, struct flight *f, const char *canonical,
			   struct doc_entry *e)
{
	struct cache_id id = cache_id_of(f, f->key);

	if (cache_put_redirect(a->d.pool, &id, canonical, e->fetched_at_us, e->expires_at_us) !=
	    ERR_OK)
		log_warn("cannot store redirect %s -> %s", f->key, canonical);
	lru_put(a->d.lru, f->map_key, e);
}

static struct doc_entry *build_entry(struct agg *a, struct flight *f, cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	int64_t ttl_us = (int64_t)agg_target_ttl_s(&a->d.cfg->cache, &f->t) * 1000000;

	return doc_entry_new(DOC_OK, text, strlen(text), f->fetched_at_us,
			     f->fetched_at_us + ttl_us, NULL);
}

static void process_ok(struct agg *a, struct flight *f)
{
	struct cache_ext_id *ext = NULL;
	struct doc_entry *e = NULL;
	const char *why = NULL;
	char canonical[40] = "";
	cJSON *doc = NULL;
	size_t next = 0;

	if (agg_mb_parse(&f->t, f->body, f->body_len, f->fetched_at_us, &doc, canonical, &why) !=
	    ERR_OK) {
		metrics_counter_add_at(METRICS_PROVIDER_PARSE_ERRORS, PROVIDER_MUSICBRAINZ, 0, 1);
		log_warn("cannot parse MusicBrainz answer for %s %s: %s; not cached",
			 agg_target_kind(&f->t), f->key, why ? why : "invalid");
		finish(a, f, NULL, FETCH_HTTP_ERROR);
		return;
	}
	e = build_entry(a, f, doc);
	ext = xcalloc(AGG_MAX_EXT_IDS, sizeof(*ext));
	next = agg_mb_external_ids(doc, ext, AGG_MAX_EXT_IDS);
	if (f->t.kind == AGG_LOOKUP && canonical[0] && strcmp(canonical, f->mbid) != 0) {
		remember(a, f, canonical, e, ext, next);
		remember_alias(a, f, canonical, e);
	} else {
		remember(a, f, f->key, e, ext, next);
	}
	xfree(ext);
	cJSON_Delete(doc);
	finish(a, f, e, FETCH_OK);
	doc_entry_unref(e);
}

static void process_not_found(struct agg *a, struct flight *f)
{
	int64_t ttl_us = (int64_t)a->d.cfg->cache.not_found_ttl_s * 1000000;
	struct doc_entry *e = doc_entry_new(DOC_NOT_FOUND, NULL, 0, f->fetched_at_us,
					    f->fetched_at_us + ttl_us, NULL);

	remember(a, f, f->key, e, NULL, 0);
	finish(a, f, e, FETCH_NOT_FOUND);
	doc_entry_unref(e);
}

/* ---- flight steps (worker threads) ------------------------------------------ */

/* The fetch engine's callback, on its thread: move the result in, queue the flight. */
static void on_fetched(void *arg, struct fetch_result *res)
{
	struct flight *f = arg;
	struct agg *a = f->agg;

	f->outcome = res->outcome;
	f->http_status = res->status;
	f->fetched_at_us = clock_wall_us();
	if (res->outcome == FETCH_OK)
		f->body = buf_detach(&res->body, &f->body_len);
	pthread_mutex_lock(&a->mu);
	f->state = FL_FETCHED;
	enqueue(a, f);
	pthread_mutex_unlock(&a->mu);
}

static void submit_fetch(struct agg *a, struct flight *f)
{
	struct buf url;

	buf_init(&url, 16 * 1024);
	if (agg_mb_url(&f->t, a->d.cfg->providers.musicbrainz.base_url, &url) != ERR_OK ||
	    buf_failed(&url)) {
		buf_release(&url);
		finish(a, f, NULL, FETCH_HTTP_ERROR);
		return;
	}
	pthread_mutex_lock(&a->mu);
	f->state = FL_FETCHING;
	pthread_mutex_unlock(&a->mu);
	fetch_submit(a->d.mb, url.data, on_fetched, f);
	buf_release(&url);
}

static void step_start(struct agg *a, struct flight *f)
{
	struct cache_id id = cache_id_of(f, f->key);
	bool acquired = false;

	if (cache_lease_acquire(a->d.pool, &id, a->holder, a->d.cfg->cache.lease_ms, &acquired) !=
	    ERR_OK) {
		submit_fetch(a, f); /* no database: no coordination, just fetch */
		return;
	}
	if (acquired) {
		f->leased = true;
		submit_fetch(a, f);
		return;
	}
	pthread_mutex_lock(&a->mu);
	f->state = FL_LEASE_WAIT;
	f->lease_deadline_us = clock_mono_us() + (int64_t)a->d.cfg->cache.lease_ms * 1000;
	f->next_poll_us = clock_mono_us() + AGG_POLL_US;
	pthread_cond_signal(&a->tick);
	pthread_mutex_unlock(&a->mu);
}

/* Another instance holds the lease: is its document in yet? */
static void step_lease_wait(struct agg *a, struct flight *f)
{
	struct cache_id id = cache_id_of(f, f->key);
	struct cache_row row = {0};
	bool found = false, acquired = false;

	if (cache_get(a->d.pool, &id, &row, &found) != ERR_OK) {
		submit_fetch(a, f); /* the database went away: no coordination, just fetch */
		return;
	}
	if (found && row.kind == CACHE_ROW_ENTRY && clock_wall_us() < row.entry->expires_at_us) {
		lru_put(a->d.lru, f->map_key, row.entry);
		finish(a, f, row.entry, row.entry->status == DOC_OK ? FETCH_OK : FETCH_NOT_FOUND);
		cache_row_release(&row);
		return;
	}
	cache_row_release(&row);
	if (clock_mono_us() >= f->lease_deadline_us &&
	    cache_lease_acquire(a->d.pool, &id, a->holder, a->d.cfg->cache.lease_ms, &acquired) ==
		    ERR_OK &&
	    acquired) {
		f->leased = true;
		submit_fetch(a, f);
		return;
	}
	pthread_mutex_lock(&a->mu);
	f->next_poll_us = clock_mono_us() + AGG_POLL_US;
	if (clock_mono_us() >= f->lease_deadline_us)
		f->lease_deadline_us = clock_mono_us() + (int64_t)a->d.cfg->cache.lease_ms * 1000;
	pthread_mutex_unlock(&a->mu);
}

static void step(struct agg *a, struct flight *f)
{
	bool stopping;

	pthread_mutex_lock(&a->mu);
	stopping = a->stopping;
	pthread_mutex_unlock(&a->mu);
	if (stopping && (f->state == FL_START || f->state == FL_LEASE_WAIT)) {
		finish(a, f, NULL, FETCH_SHUTDOWN); /* the fetchers are stopped already */
		return;
	}
	switch (f->state) {
	case FL_START:
		step_start(a, f);
		break;
	case FL_LEASE_WAIT:
		step_lease_wait(a, f);
		break;
	case FL_FETCHED:
		if (f->outcome == FETCH_OK)
			process_ok(a, f);
		else if (f->outcome == FETCH_NOT_FOUND)
			process_not_found(a, f);
		else
			finish(a, f, NULL, f->outcome);
		break;
	case FL_FETCHING:
		assert(!"a fetching flight is never queued");
		break;
	}
}

static void *worker_main(void *arg)
{
	struct agg *a = arg;

	for (;;) {
		struct flight *f;

		pthread_mutex_lock(&a->mu);
		while (!a->qhead && !a->stopping)
			pthread_cond_wait(&a->work, &a->mu);
		f = a->qhead;
		if (!f) {
			pthread_mutex_unlock(&a->mu);
			return NULL; /* stopping and nothing left */
		}
		a->qhead = f->qnext;
		if (!a->qhead)
			a->qtail = NULL;
		f->queued = false;
		/* A poll in progress: the timer must not queue it again until it sets the next. */
		if (f->state == FL_LEASE_WAIT)
			f->next_poll_us = INT64_MAX;
		pthread_mutex_unlock(&a->mu);
		step(a, f);
	}
}

/* ---- deadlines and polls (timer thread) --------------------------------------- */

/* Move waiters past their deadline onto *expired; queue due polls; return the next deadline. */
static int64_t collect_due(struct agg *a, int64_t now, struct waiter **expired)
{
	int64_t next = now + 1000000;

	for (size_t b = 0; b < AGG_BUCKETS; b++) {
		for (struct flight *f = a->table[b]; f; f = f->hnext) {
			for (struct waiter **pp = &f->waiters; *pp;) {
				struct waiter *w = *pp;

				if (w->deadline_us > now) {
					next = w->deadline_us < next ? w->deadline_us : next;
					pp = &w->next;
					continue;
				}
				*pp = w->next;
				w->next = *expired;
				*expired = w;
			}
			if (f->state != FL_LEASE_WAIT || f->queued)
				continue;
			if (f->next_poll_us <= now)
				enqueue(a, f);
			else if (f->next_poll_us < next)
				next = f->next_poll_us;
		}
	}
	return next;
}

/* Answer requests whose deadline passed (the fetch goes on to fill the cache). */
static void answer_all(struct agg *a, struct waiter *w, enum err e, const char *source)
{
	while (w) {
		struct waiter *next = w->next;

		answer_failure(a, w->req, &w->t, w->fallback, e, source);
		req_complete(w->req);
		waiter_free(w);
		w = next;
	}
}

static void *timer_main(void *arg)
{
	struct agg *a = arg;

	pthread_mutex_lock(&a->mu);
	while (!a->stopping) {
		struct waiter *expired = NULL;
		int64_t now = clock_mono_us();
		int64_t next = collect_due(a, now, &expired);
		struct timespec until;

		if (expired) {
			pthread_mutex_unlock(&a->mu);
			answer_all(a, expired, ERR_TIMEOUT, "timeout");
			pthread_mutex_lock(&a->mu);
			continue;
		}
		clock_deadline_in(CLOCK_MONOTONIC, (next - now) / 1000 + 1, &until);
		pthread_cond_timedwait(&a->tick, &a->mu, &until);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* ---- serving ---------------------------------------------------------------- */

static struct waiter *waiter_new(struct agg *a, struct req *r, const struct agg_target *t,
				 struct doc_entry *fallback)
{
	struct waiter *w = xcalloc(1, sizeof(*w));

	w->req = r;
	w->fallback = fallback;
	w->deadline_us = clock_mono_us() + (int64_t)a->d.cfg->server.request_timeout_ms * 1000;
	w->t = *t;
	w->t.type = NULL;
	w->t.query = NULL;
	if (t->mbid) {
		snprintf(w->mbid, sizeof(w->mbid), "%s", t->mbid);
		w->t.mbid = w->mbid;
	}
	return w;
}

/*
 * Join the flight for (t, key) or start one. r may be NULL (a background
 * refresh). fallback (a reference, or NULL) is taken. Returns false when
 * the aggregator is stopping (nothing was queued, fallback dropped).
 */
static bool join_or_start(struct agg *a, struct req *r, bool deferred, const struct agg_target *t,
			  const char *key, const char *mkey, struct doc_entry *fallback)
{
	struct waiter *w = r ? waiter_new(a, r, t, fallback) : NULL;
	struct flight **pp, *f;

	if (r && !deferred)
		req_defer(r); /* before the waiter is visible to other threads */
	pthread_mutex_lock(&a->mu);
	if (a->stopping) {
		pthread_mutex_unlock(&a->mu);
		if (w) {
			w->next = NULL;
			answer_all(a, w, ERR_SHUTTING_DOWN, "skipped");
		} else {
			doc_entry_unref(fallback);
		}
		return false;
	}
	pp = slot(a, mkey);
	f = *pp;
	if (f && w)
		metrics_counter_add(METRICS_SINGLEFLIGHT_COALESCED, 1);
	if (!f) {
		f = flight_new(a, t, key, mkey);
		*pp = f;
		enqueue(a, f);
	}
	if (!f->fallback && fallback)
		f->fallback = doc_entry_ref(fallback);
	if (w) {
		w->next = f->waiters;
		f->waiters = w;
		pthread_cond_signal(&a->tick);
	} else {
		doc_entry_unref(fallback);
	}
	pthread_mutex_unlock(&a->mu);
	return true;
}

/* A cache row from the read replica, or from the primary when the replica fails. */
static enum err read_row(struct agg *a, const struct cache_id *id, struct cache_row *row,
			 bool *found)
{
	enum err e = cache_get(a->d.read_pool, id, row, found);

	if (e != ERR_OK && a->d.read_pool != a->d.pool)
		e = cache_get(a->d.pool, id, row, found);
	return e;
}

/* The entry for mkey in memory, else in the database (following one redirect). */
/*
 * The entry a row read for t holds (row is released; found: whether one was
 * read), following a redirect row to its canonical document with one more
 * read; put in memory under mkey. NULL when there is none.
 */
static struct doc_entry *entry_of_row(struct agg *a, const struct agg_target *t,
				      struct cache_row *row, bool found, const char *mkey)
{
	struct doc_entry *e = NULL;

	if (found && row->kind == CACHE_ROW_REDIRECT) {
		struct cache_id canon = {provider_name(PROVIDER_MUSICBRAINZ), agg_target_kind(t),
					 row->canonical_key};
		struct cache_row crow = {0};
		bool cfound = false;

		if (read_row(a, &canon, &crow, &cfound) == ERR_OK && cfound &&
		    crow.kind == CACHE_ROW_ENTRY) {
			e = crow.entry;
			crow.entry = NULL;
		}
		cache_row_release(&crow);
	} else if (found) {
		e = row->entry;
		row->entry = NULL;
	}
	cache_row_release(row);
	if (e)
		lru_put(a->d.lru, mkey, e);
	return e;
}

/* The entry for mkey in memory, else in the database, read on this thread. */
static struct doc_entry *lookup_entry(struct agg *a, const struct agg_target *t, const char *key,
				      const char *mkey)
{
	struct cache_id id = {provider_name(PROVIDER_MUSICBRAINZ), agg_target_kind(t), key};
	struct cache_row row = {0};
	struct doc_entry *e = lru_get(a->d.lru, mkey);
	bool found = false;

	if (e)
		return e;
	if (read_row(a, &id, &row, &found) != ERR_OK)
		return NULL;
	return entry_of_row(a, t, &row, found, mkey);
}

/*
 * Answer r from e (a reference the caller gives up; NULL when neither memory
 * nor the database has the document), or start or join a flight. deferred:
 * r was deferred already (a database read), so an answer given here must
 * complete it.
 */
static void serve_entry(struct agg *a, struct req *r, bool deferred, const struct agg_target *t,
			const char *key, const char *mkey, struct doc_entry *e)
{
	int64_t now = clock_wall_us();
	int64_t swr_us = (int64_t)a->d.cfg->cache.stale_while_revalidate_s * 1000000;

	if (e && now < e->expires_at_us) {
		agg_reply_entry(r, e, "hit", t, now);
	} else if (e && now < e->expires_at_us + swr_us && e->status == DOC_OK) {
		agg_reply_entry(r, e, "stale", t, now);
		join_or_start(a, NULL, false, t, key, mkey, doc_entry_ref(e)); /* refresh behind */
	} else if (!a->d.mb || !fetcher_available(a->d.mb)) {
		answer_failure(a, r, t, e, ERR_UPSTREAM_UNAVAILABLE,
			       a->d.mb ? "breaker_open" : "disabled");
	} else {
		join_or_start(a, r, deferred, t, key, mkey, usable_stale(a, e, now) ? e : NULL);
		if (e && !usable_stale(a, e, now))
			doc_entry_unref(e);
		return; /* the flight answers r */
	}
	doc_entry_unref(e);
	if (deferred)
		req_complete(r);
}

/* ---- reading: memory misses go to the database in batches ------------------------ */

/*
 * A memory miss costs a database round trip. Rather than block the HTTP
 * thread for it, the request is deferred and queued; a reader thread takes
 * every queued miss (up to AGG_READ_BATCH) and reads them all in one
 * round trip (cache_get_many), so under load the database runs one query
 * per batch instead of one per request.
 */

static void read_job_free(struct read_job *j)
{
	xfree(j->query);
	xfree(j);
}

/* Finish one job whose row (if found) was read: follow a redirect, then serve. */
static void read_job_done(struct agg *a, struct read_job *j, struct cache_row *row, bool found)
{
	struct doc_entry *e = entry_of_row(a, &j->t, row, found, j->mkey);

	serve_entry(a, j->req, true, &j->t, j->key, j->mkey, e);
	read_job_free(j);
}

static void read_batch(struct agg *a, struct read_job *list, size_t n)
{
	struct cache_id ids[AGG_READ_BATCH];
	struct cache_row rows[AGG_READ_BATCH];
	bool found[AGG_READ_BATCH];
	struct read_job *j = list;
	enum err e;

	for (size_t i = 0; i < n; i++, j = j->next)
		ids[i] = (struct cache_id){provider_name(PROVIDER_MUSICBRAINZ),
					   agg_target_kind(&j->t), j->key};
	memset(rows, 0, sizeof(rows[0]) * n);
	e = cache_get_many(a->d.read_pool, ids, n, rows, found);
	if (e != ERR_OK && a->d.read_pool != a->d.pool)
		e = cache_get_many(a->d.pool, ids, n, rows, found);
	if (e != ERR_OK)
		memset(found, 0, sizeof(found[0]) * n);
	for (size_t i = 0; i < n; i++) {
		struct read_job *next = list->next;

		read_job_done(a, list, &rows[i], found[i]);
		list = next;
	}
}

static void *reader_main(void *arg)
{
	struct agg *a = arg;

	for (;;) {
		struct read_job *list, *tail;
		size_t n = 0;

		pthread_mutex_lock(&a->rmu);
		while (!a->rhead && !a->rstopping)
			pthread_cond_wait(&a->rwork, &a->rmu);
		if (!a->rhead) {
			pthread_mutex_unlock(&a->rmu);
			return NULL;
		}
		list = tail = a->rhead;
		for (n = 1; n < AGG_READ_BATCH && tail->next; n++)
			tail = tail->next;
		a->rhead = tail->next;
		if (!a->rhead)
			a->rtail = NULL;
		tail->next = NULL;
		pthread_mutex_unlock(&a->rmu);
		read_batch(a, list, n);
	}
}

/* Defer r and queue its database read; false when the readers are stopping. */
static bool queue_read(struct agg *a, struct req *r, const struct agg_target *t, const char *key,
		       const char *mkey)
{
	struct read_job *j;

	pthread_mutex_lock(&a->rmu);
	if (a->rstopping || !a->rrunning) {
		pthread_mutex_unlock(&a->rmu);
		return false;
	}
	pthread_mutex_unlock(&a->rmu);
	j = xcalloc(1, sizeof(*j));
	j->req = r;
	copy_target(&j->t, t, j->mbid, j->type, &j->query);
	snprintf(j->key, sizeof(j->key), "%s", key);
	snprintf(j->mkey, sizeof(j->mkey), "%s", mkey);
	req_defer(r); /* before a reader can see the job */
	pthread_mutex_lock(&a->rmu);
	if (a->rtail)
		a->rtail->next = j;
	else
		a->rhead = j;
	a->rtail = j;
	pthread_cond_signal(&a->rwork);
	pthread_mutex_unlock(&a->rmu);
	return true;
}

void agg_serve(struct agg *a, struct req *r, const struct agg_target *t)
{
	char key[AGG_KEY_MAX], mkey[AGG_KEY_MAX + 64];
	struct doc_entry *e;

	agg_target_key(t, key);
	agg_target_map_key(t, key, mkey, sizeof(mkey));
	e = lru_get(a->d.lru, mkey);
	if (!e && queue_read(a, r, t, key, mkey))
		return; /* a reader answers */
	if (!e)
		e = lookup_entry(a, t, key, mkey); /* stopping: read here */
	serve_entry(a, r, false, t, key, mkey, e);
}

/* ---- lifecycle ---------------------------------------------------------------- */

static void make_holder(char *out, size_t size)
{
	char host[64] = "host";
	unsigned rnd = (unsigned)(clock_mono_us() ^ (clock_wall_us() << 8));

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(out, size, "%s:%d:%08x", host, (int)getpid(), rnd);
}

enum err agg_new(const struct agg_deps *deps, struct agg **out)
{
	struct agg *a = xcalloc(1, sizeof(*a));
	pthread_condattr_t attr;

	a->d = *deps;
	make_holder(a->holder, sizeof(a->holder));
	pthread_mutex_init(&a->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&a->tick, &attr);
	pthread_cond_init(&a->work, NULL);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&a->rmu, NULL);
	pthread_cond_init(&a->rwork, NULL);
	*out = a;
	return ERR_OK;
}

enum err agg_start(struct agg *a)
{
	if (pthread_create(&a->timer, NULL, timer_main, a) != 0)
		return ERR_INTERNAL;
	for (size_t i = 0; i < AGG_WORKERS; i++) {
		if (pthread_create(&a->workers[i], NULL, worker_main, a) != 0) {
			log_error("cannot start aggregator worker %zu", i);
			abort(); /* threads that cannot start at boot: nothing sensible to do */
		}
	}
	for (size_t i = 0; i < AGG_READERS; i++) {
		if (pthread_create(&a->readers[i], NULL, reader_main, a) != 0) {
			log_error("cannot start aggregator reader %zu", i);
			abort();
		}
	}
	pthread_mutex_lock(&a->rmu);
	a->rrunning = true;
	pthread_mutex_unlock(&a->rmu);
	a->started = true;
	return ERR_OK;
}

/* After the threads are gone: answer and free whatever is left. */
static void drain_table(struct agg *a)
{
	for (size_t b = 0; b < AGG_BUCKETS; b++) {
		while (a->table[b]) {
			struct flight *f = a->table[b];
			struct waiter *w = f->waiters;

			a->table[b] = f->hnext;
			f->waiters = NULL;
			if (f->leased)
				cache_lease_release(a->d.pool,
						    &(struct cache_id){"musicbrainz",
								       agg_target_kind(&f->t),
								       f->key},
						    a->holder);
			answer_all(a, w, ERR_SHUTTING_DOWN, "skipped");
			flight_free(f);
		}
	}
}

void agg_stop(struct agg *a)
{
	if (!a || !a->started)
		return;
	/* Readers first: they finish the queued reads, which may join flights. */
	pthread_mutex_lock(&a->rmu);
	a->rstopping = true;
	pthread_cond_broadcast(&a->rwork);
	pthread_mutex_unlock(&a->rmu);
	for (size_t i = 0; i < AGG_READERS; i++)
		pthread_join(a->readers[i], NULL);
	pthread_mutex_lock(&a->mu);
	a->stopping = true;
	pthread_cond_broadcast(&a->work);
	pthread_cond_broadcast(&a->tick);
	pthread_mutex_unlock(&a->mu);
	for (size_t i = 0; i < AGG_WORKERS; i++)
		pthread_join(a->workers[i], NULL);
	pthread_join(a->timer, NULL);
	a->started = false;
	drain_table(a);
}

void agg_free(struct agg *a)
{
	if (!a)
		return;
	drain_table(a);
	pthread_cond_destroy(&a->work);
	pthread_cond_destroy(&a->tick);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->rwork);
	pthread_mutex_destroy(&a->rmu);
	xfree(a);
}
