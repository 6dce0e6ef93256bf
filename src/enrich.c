/*
 * enrich.c - the enrichment engine: gathers, jobs, fragment caching and the
 * merged answer. See enrich.h.
 *
 * A gather is one request waiting for its providers. A job is one
 * provider's work on one entity, shared by every gather that needs it
 * (single flight per process). One mutex guards the job table, the gathers'
 * parts and the timer list; adapters, fetch submissions, database work and
 * merging happen outside it.
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "medley/agg.h"
#include "medley/cache.h"
#include "medley/clock.h"
#include "medley/enrich.h"
#include "medley/fragment.h"
#include "medley/hash.h"
#include "medley/json.h"
#include "medley/log.h"
#include "medley/lru.h"
#include "medley/merge.h"
#include "medley/metrics.h"
#include "medley/xalloc.h"

#define JOB_BUCKETS 256
#define KEY_MAX 128		  /* "frag <provider> <kind> <mbid>" */
#define MERGE_MARGIN_US 50000	  /* answer this long before the request's deadline */
#define TIMER_TICK_MS 20	  /* deadline resolution */
#define FRAG_MAX_BYTES (4u << 20) /* a stored fragment larger than this is not kept */

struct gather;

/* A gather's slot for one provider. */
struct part {
	const struct enrich_adapter *ad;
	char key[64];	    /* its cache key: the MBID, or "<mbid>@<lang>" */
	const char *status; /* NULL while its job runs */
	int64_t fetched_at_us;
	int64_t fresh_until_us; /* when this part must be asked again (wall clock) */
	cJSON *frag;		/* owned */
	char method[16];
	double score;
};

/* A gather waiting on a job, for one of its parts. */
struct link {
	struct link *next;
	struct gather *g;
	size_t part;
};

struct job {
	struct job *hnext;
	struct enrich *e;
	const struct enrich_adapter *ad;
	char key[KEY_MAX];
	char cache_key[64]; /* the part's key in provider_documents */
	char kind[24];
	char mbid[40];
	char lang[16];
	cJSON *mb; /* own copy */
	struct enrich_job j;
	struct enrich_request req;
	struct link *waiting; /* under e->mu */
};

struct gather {
	struct gather *next; /* timer list */
	struct enrich *e;
	struct req *r;
	unsigned include;
	char lang[16];
	struct enrich_opts o;
	char kind[24];
	char mbid[40];
	cJSON *mb;
	int64_t mb_fetched_us, mb_expires_us;
	struct part parts[PROVIDER__COUNT];
	size_t nparts;
	int pending;
	int64_t deadline_us; /* monotonic */
	bool answered;
};

struct enrich {
	struct enrich_deps d;
	void *pstate[PROVIDER__COUNT];
	pthread_mutex_t mu;
	pthread_cond_t tick;
	struct job *jobs[JOB_BUCKETS];
	struct gather *gathers;
	bool started, stopping;
	pthread_t timer;
};

/* One request's continuation settings, in its arena. */
struct attach {
	struct enrich *e;
	struct enrich_opts o;
};

static const char *const kind_names[] = {"artist", "release-group", "release", "recording"};

unsigned enrich_kind_bit(const char *kind)
{
	for (size_t i = 0; kind && i < ARRAY_SIZE(kind_names); i++)
		if (strcmp(kind, kind_names[i]) == 0)
			return 1u << i;
	return 0;
}

static void frag_key(char out[KEY_MAX], enum provider_id p, const char *kind, const char *key)
{
	snprintf(out, KEY_MAX, "frag %s %s %s", provider_name(p), kind, key);
}

/* ---- fragments in memory and in the database ----------------------------------- */

/*
 * A fragment is kept as {"status": "ok"|"error", "frag": {...}, "method":
 * "...", "score": n} (DOC_OK), or as a not-found entry (DOC_NOT_FOUND).
 * "error" entries live in memory only.
 */
static char *wrap(const char *status, const cJSON *frag, const struct match_result *m)
{
	cJSON *w = json_new_object();
	char *text;

	json_add_string_or_null(w, "status", status);
	if (frag)
		json_add_item(w, "frag", cJSON_Duplicate(frag, true));
	if (m && frag) {
		double score = m->score;

		json_add_string_or_null(w, "method", match_method_name(m->method));
		json_add_number_or_null(w, "score", &score);
	}
	text = cJSON_PrintUnformatted(w);
	cJSON_Delete(w);
	return text;
}

/* Fill part p from entry (a fragment entry as above). False when the entry is unusable. */
static bool part_from_entry(struct part *p, const struct doc_entry *en)
{
	cJSON *w = NULL;
	const char *why, *status, *method;
	double score = 0;

	p->fetched_at_us = en->fetched_at_us;
	p->fresh_until_us = en->expires_at_us;
	if (en->status == DOC_NOT_FOUND) {
		p->status = "not_found";
		return true;
	}
	if (json_parse(en->body, en->body_len, FRAG_MAX_BYTES, &w, &why) != ERR_OK)
		return false;
	status = json_get_string(w, "status");
	if (status && strcmp(status, "error") == 0) {
		p->status = "error";
		cJSON_Delete(w);
		return true;
	}
	p->frag = cJSON_DetachItemFromObjectCaseSensitive(w, "frag");
	if (!p->frag || fragment_check(p->frag, NULL, 0) != ERR_OK) {
		cJSON_Delete(p->frag);
		p->frag = NULL;
		cJSON_Delete(w);
		return false;
	}
	method = json_get_string(w, "method");
	snprintf(p->method, sizeof(p->method), "%s", method ? method : "");
	if (json_get_number(w, "score", &score))
		p->score = score;
	p->status = "ok";
	cJSON_Delete(w);
	return true;
}

/* Remember a job's outcome: memory always, the database unless it is an error. */
static void store(struct enrich *e, const struct job *jb, enum enrich_step how)
{
	const struct config_cache *cc = &e->d.cfg->cache;
	int64_t now = clock_wall_us();
	int64_t ttl_s = how == ENRICH_OK	  ? jb->j.cfg->ttl_s
			: how == ENRICH_NOT_FOUND ? cc->not_found_ttl_s
						  : ENRICH_ERROR_TTL_S;
	struct doc_entry *en;
	char *body = NULL;

	if (how == ENRICH_OK)
		body = wrap("ok", jb->j.frag, &jb->j.match);
	else if (how == ENRICH_ERROR)
		body = wrap("error", NULL, NULL);
	if (body && strlen(body) > FRAG_MAX_BYTES) {
		xfree(body);
		return;
	}
	en = doc_entry_new(body ? DOC_OK : DOC_NOT_FOUND, body, body ? strlen(body) : 0, now,
			   now + ttl_s * 1000000, NULL);
	lru_put(e->d.lru, jb->key, en);
	if (how != ENRICH_ERROR) {
		struct cache_id id = {provider_name(jb->ad->id), jb->kind, jb->cache_key};

		if (cache_put(e->d.pool, &id, en, NULL, 0) != ERR_OK)
			log_warn("%s: fragment for %s %s not stored", provider_name(jb->ad->id),
				 jb->kind, jb->mbid);
	}
	if (how == ENRICH_OK && json_get_string(jb->j.frag, "id") &&
	    strncmp(jb->mbid, "q-", 2) != 0 && /* a lyrics question, not an entity */
	    cache_crosswalk_put(e->d.pool, provider_name(jb->ad->id),
				json_get_string(jb->j.frag, "id"), jb->kind, jb->mbid,
				match_method_name(jb->j.match.method), jb->j.match.score) != ERR_OK)
		log_debug("%s: crosswalk row for %s %s not stored", provider_name(jb->ad->id),
			  jb->kind, jb->mbid);
	doc_entry_unref(en);
}

/* ---- answering a gather -------------------------------------------------------- */

static void part_copy_status(struct part *p, const struct job *jb, enum enrich_step how)
{
	int64_t ttl_s = how == ENRICH_OK	  ? jb->j.cfg->ttl_s
			: how == ENRICH_NOT_FOUND ? jb->e->d.cfg->cache.not_found_ttl_s
						  : 0;

	p->fetched_at_us = clock_wall_us();
	p->fresh_until_us = p->fetched_at_us + ttl_s * 1000000;
	if (how == ENRICH_OK) {
		p->status = "ok";
		p->frag = cJSON_Duplicate(jb->j.frag, true);
		snprintf(p->method, sizeof(p->method), "%s", match_method_name(jb->j.match.method));
		p->score = jb->j.match.score;
	} else {
		p->status = how == ENRICH_NOT_FOUND ? "not_found" : "error";
	}
}

/*
 * Turn the merged document *doc into g's view: the cover-art list or the
 * lyrics, with the id, kind and sources. False when that answered r
 * already (*doc freed): 404 without art or lyrics, 302 to the front cover.
 */
static bool view(struct gather *g, cJSON **doc)
{
	bool art = g->o.view == ENRICH_VIEW_COVER_ART;
	cJSON *v = json_new_object(), *sec;
	struct req *r = g->r;

	sec = cJSON_DetachItemFromObjectCaseSensitive(*doc, art ? "cover_art" : "lyrics");
	json_add_item(v, "id", cJSON_Duplicate(json_get(*doc, "id"), true));
	json_add_string_or_null(v, "kind", art ? "cover-art" : "lyrics");
	json_add_string_or_null(v, "entity", g->kind);
	if (art ? cJSON_GetArraySize(sec) == 0 : !cJSON_IsObject(sec)) {
		req_clear_headers(r); /* the validators were the MusicBrainz document's */
		req_fail(r, ERR_NOT_FOUND, "no %s known for %s %s", art ? "cover art" : "lyrics",
			 g->kind, g->mbid);
		goto answered;
	}
	if (art && g->o.redirect_front) {
		const cJSON *img, *front = NULL;
		const char *url = NULL;
		char size[16];

		cJSON_ArrayForEach(img, sec)
		{
			const char *t = json_get_string(img, "type");

			if (t && strcmp(t, "front") == 0) {
				front = img;
				break;
			}
		}
		req_clear_headers(r);
		if (!front) {
			req_fail(r, ERR_NOT_FOUND, "no front cover known for %s %s", g->kind,
				 g->mbid);
			goto answered;
		}
		snprintf(size, sizeof(size), "%d", g->o.size);
		if (g->o.size)
			url = json_get_string(json_get_object(front, "thumbnails"), size);
		if (!url)
			url = json_get_string(front, "url");
		req_add_header(r, "Location", url);
		req_add_header(r, "Cache-Control", "public, max-age=3600");
		buf_reset(&r->body);
		req_reply(r, 302, REQ_JSON);
		goto answered;
	}
	if (art) {
		json_add_item(v, "images", sec);
	} else {
		cJSON *m;

		while ((m = sec->child) != NULL)
			json_add_item(v, m->string, cJSON_DetachItemViaPointer(sec, m));
		cJSON_Delete(sec);
	}
	json_add_item(v, "enrichment", cJSON_DetachItemFromObjectCaseSensitive(*doc, "enrichment"));
	json_add_item(v, "sources", cJSON_DetachItemFromObjectCaseSensitive(*doc, "sources"));
	cJSON_Delete(*doc);
	*doc = v;
	return true;
answered:
	cJSON_Delete(sec);
	cJSON_Delete(v);
	cJSON_Delete(*doc);
	*doc = NULL;
	return false;
}

/* The memory key of a merged answer: what was asked, of which entity. */
static void merged_key(char out[KEY_MAX], const struct enrich_opts *o, const char *kind,
		       const char *mbid)
{
	snprintf(out, KEY_MAX, "merged %d %s %s %x %s", (int)o->view, kind, mbid, o->include,
		 o->lang[0] ? o->lang : "en");
}

/*
 * Set r's validators for the merged answer en and answer 304 when the
 * client has it (true). Otherwise leave r->body holding en's document
 * without its closing brace, for the caller to add "cache" (false).
 */
static bool reply_merged(struct req *r, const struct doc_entry *en, int64_t now)
{
	char v[64];

	req_set_header(r, "ETag", en->etag);
	snprintf(v, sizeof(v), "public, max-age=%lld",
		 (long long)(en->expires_at_us > now ? (en->expires_at_us - now) / 1000000 : 0));
	req_set_header(r, "Cache-Control", v);
	req_set_header(r, "Vary", "Accept-Language");
	if (agg_etag_matches(req_header(r, "If-None-Match"), en->etag)) {
		req_reply(r, 304, REQ_JSON);
		return true;
	}
	buf_reserve(&r->body, en->body_len + 128);
	buf_add(&r->body, en->body, en->body_len - 1);
	return false;
}

bool enrich_answer_cached(struct enrich *e, struct req *r, const struct enrich_opts *o,
			  const char *kind, const char *mbid)
{
	int64_t now = clock_wall_us();
	struct doc_entry *en;
	char key[KEY_MAX];

	if (!e || o->redirect_front || (!o->include && o->view == ENRICH_VIEW_DOCUMENT))
		return false;
	merged_key(key, o, kind, mbid);
	en = lru_get(e->d.lru, key);
	if (!en || now >= en->expires_at_us) {
		doc_entry_unref(en);
		return false;
	}
	r->cache_status = "hit";
	metrics_counter_add(METRICS_ENRICH_MERGED_HITS, 1);
	if (!reply_merged(r, en, now)) {
		buf_addf(&r->body, ",\"cache\":{\"status\":\"hit\",\"age_s\":%lld}}",
			 (long long)((now - en->fetched_at_us) / 1000000));
		req_reply(r, 200, REQ_JSON);
	}
	doc_entry_unref(en);
	return true;
}

/* Merge what g has, answer and complete its request, free g. Call without e->mu. */
static void answer(struct gather *g)
{
	struct merge_part mp[PROVIDER__COUNT];
	struct req *r = g->r;
	int64_t now = clock_wall_us();
	int64_t expires = g->mb_expires_us;
	cJSON *doc, *cache;
	char *body;
	struct doc_entry *en;

	for (size_t i = 0; i < g->nparts; i++) {
		struct part *p = &g->parts[i];

		mp[i] = (struct merge_part){.provider = p->ad->id,
					    .status = p->status ? p->status : "timeout",
					    .fetched_at = p->fetched_at_us / 1000000,
					    .frag = p->frag,
					    .match_method = p->method[0] ? p->method : NULL,
					    .match_score = p->score};
		req_note_source(r, provider_name(p->ad->id), mp[i].status);
		if (!p->status || strcmp(p->status, "error") == 0)
			expires = now; /* a partial answer is not to be kept by caches */
		else if (p->fresh_until_us < expires)
			expires = p->fresh_until_us;
	}
	cache = cJSON_DetachItemFromObjectCaseSensitive(g->mb, "cache");
	doc = merge_document(g->mb, mp, g->nparts, g->include, g->lang);
	if (g->o.view != ENRICH_VIEW_DOCUMENT && !view(g, &doc)) {
		cJSON_Delete(cache);
		goto out; /* answered: 404 or 302 */
	}
	body = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	en = doc_entry_new(DOC_OK, body, strlen(body), now, expires, NULL);
	if (expires > now) { /* every part final: later requests get it from memory */
		char key[KEY_MAX];

		merged_key(key, &g->o, g->kind, g->mbid);
		lru_put(g->e->d.lru, key, en);
	}
	buf_reset(&r->body);
	if (!reply_merged(r, en, now)) {
		char *c = cache ? cJSON_PrintUnformatted(cache) : NULL;

		buf_adds(&r->body, ",\"cache\":");
		buf_adds(&r->body, c ? c : "null");
		buf_addch(&r->body, '}');
		cJSON_free(c);
		req_reply(r, 200, REQ_JSON);
	}
	cJSON_Delete(cache);
	doc_entry_unref(en);
out:
	for (size_t i = 0; i < g->nparts; i++)
		cJSON_Delete(g->parts[i].frag);
	cJSON_Delete(g->mb);
	xfree(g);
	req_complete(r);
}

/* Unlink g from the timer list (e->mu held). */
static void unlist(struct enrich *e, struct gather *g)
{
	for (struct gather **pp = &e->gathers; *pp; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			return;
		}
}

/* ---- jobs ------------------------------------------------------------------------- */

static struct job **job_slot(struct enrich *e, const char *key)
{
	struct job **pp = &e->jobs[hash_str(key) % JOB_BUCKETS];

	while (*pp && strcmp((*pp)->key, key) != 0)
		pp = &(*pp)->hnext;
	return pp;
}

static void job_free(struct job *jb)
{
	cJSON_Delete(jb->j.frag);
	cJSON_Delete(jb->j.aux);
	xfree(jb->j.scratch);
	cJSON_Delete(jb->mb);
	buf_release(&jb->req.url);
	xfree(jb);
}

/* The job ended (how): store, hand the result to every gather, answer those complete. */
static void job_end(struct job *jb, enum enrich_step how)
{
	struct enrich *e = jb->e;
	struct gather *done = NULL;
	struct link *l, *next;

	if (how == ENRICH_OK && (!jb->j.frag || fragment_check(jb->j.frag, NULL, 0) != ERR_OK)) {
		snprintf(jb->j.why, sizeof(jb->j.why), "the adapter returned an invalid fragment");
		how = ENRICH_ERROR;
	}
	if (how == ENRICH_ERROR)
		log_info("%s: no %s for %s %s: %s", provider_name(jb->ad->id), "fragment", jb->kind,
			 jb->mbid, jb->j.why[0] ? jb->j.why : "error");
	store(e, jb, how);
	pthread_mutex_lock(&e->mu);
	*job_slot(e, jb->key) = jb->hnext;
	for (l = jb->waiting; l; l = next) {
		struct gather *g = l->g;

		next = l->next;
		part_copy_status(&g->parts[l->part], jb, how);
		if (--g->pending == 0 && !g->answered) {
			g->answered = true;
			unlist(e, g);
			g->next = done;
			done = g;
		}
		xfree(l);
	}
	pthread_mutex_unlock(&e->mu);
	job_free(jb);
	while (done) {
		struct gather *g = done;

		done = g->next;
		answer(g);
	}
}

static void job_advance(struct job *jb, const struct fetch_result *res);

static void on_fetched(void *arg, struct fetch_result *res)
{
	job_advance(arg, res);
}

/* Run the adapter's next step and act on it. */
static void job_advance(struct job *jb, const struct fetch_result *res)
{
	struct enrich *e = jb->e;
	enum enrich_step how;
	struct fetcher *f;

	buf_reset(&jb->req.url);
	memset(jb->req.headers, 0, sizeof(jb->req.headers));
	jb->req.post_body = NULL;
	jb->req.provider = jb->ad->id;
	how = jb->ad->step(&jb->j, res, &jb->req);
	if (how != ENRICH_FETCH) {
		job_end(jb, how);
		return;
	}
	f = (unsigned)jb->req.provider < PROVIDER__COUNT ? e->d.fetchers[jb->req.provider] : NULL;
	if (!f || buf_failed(&jb->req.url) || !jb->req.url.len) {
		snprintf(jb->j.why, sizeof(jb->j.why), "cannot ask %s",
			 provider_name(jb->req.provider));
		job_end(jb, ENRICH_ERROR);
		return;
	}
	fetch_submit_req(
		f,
		&(struct fetch_request){.url = jb->req.url.data,
					.headers = jb->req.headers[0] ? jb->req.headers : NULL,
					.post_body = jb->req.post_body},
		on_fetched, jb);
}

static struct job *job_new(struct enrich *e, const struct enrich_adapter *ad, const char *key,
			   const char *part_key, const struct gather *g)
{
	struct job *jb = xcalloc(1, sizeof(*jb));

	jb->e = e;
	jb->ad = ad;
	snprintf(jb->key, sizeof(jb->key), "%s", key);
	snprintf(jb->cache_key, sizeof(jb->cache_key), "%s", part_key);
	snprintf(jb->kind, sizeof(jb->kind), "%s", g->kind);
	snprintf(jb->mbid, sizeof(jb->mbid), "%s", g->mbid);
	snprintf(jb->lang, sizeof(jb->lang), "%s", g->lang);
	jb->mb = cJSON_Duplicate(g->mb, true);
	buf_init(&jb->req.url, 8192);
	jb->j = (struct enrich_job){.provider = ad->id,
				    .cfg = cfg_provider(e->d.cfg, ad->id),
				    .config = e->d.cfg,
				    .kind = jb->kind,
				    .mbid = jb->mbid,
				    .mb = jb->mb,
				    .lang = jb->lang,
				    .pstate = e->pstate[ad->id]};
	return jb;
}

/* ---- the continuation -------------------------------------------------------------- */

/* Which providers g consults, and their parts' starting state from memory. */
static void plan(struct enrich *e, struct gather *g)
{
	unsigned kbit = enrich_kind_bit(g->kind);

	for (size_t i = 0; enrich_adapters[i]; i++) {
		const struct enrich_adapter *ad = enrich_adapters[i];
		const struct config_provider *pc = cfg_provider(e->d.cfg, ad->id);
		struct part *p;

		if (!(ad->kinds & kbit) || !(ad->includes & g->include))
			continue;
		p = &g->parts[g->nparts++];
		p->ad = ad;
		if (ad->lang_dependent)
			snprintf(p->key, sizeof(p->key), "%s@%s", g->mbid, g->lang);
		else
			snprintf(p->key, sizeof(p->key), "%s", g->mbid);
		p->fresh_until_us = INT64_MAX;
		if (!pc->enabled || !e->d.fetchers[ad->id] || (ad->disabled && ad->disabled(pc)))
			p->status = "disabled";
	}
}

/* Parts still without a status: from memory, then from the database in one round trip. */
static void load_cached(struct enrich *e, struct gather *g)
{
	struct cache_id ids[PROVIDER__COUNT];
	struct cache_row rows[PROVIDER__COUNT];
	bool found[PROVIDER__COUNT];
	size_t idx[PROVIDER__COUNT], n = 0;
	int64_t now = clock_wall_us();

	for (size_t i = 0; i < g->nparts; i++) {
		struct part *p = &g->parts[i];
		char key[KEY_MAX];
		struct doc_entry *en;

		if (p->status)
			continue;
		frag_key(key, p->ad->id, g->kind, p->key);
		en = lru_get(e->d.lru, key);
		if (en && now < en->expires_at_us && part_from_entry(p, en)) {
			doc_entry_unref(en);
			continue;
		}
		doc_entry_unref(en);
		ids[n] = (struct cache_id){provider_name(p->ad->id), g->kind, p->key};
		idx[n++] = i;
	}
	if (!n)
		return;
	memset(rows, 0, sizeof(rows));
	if (cache_get_many(e->d.read_pool, ids, n, rows, found) != ERR_OK)
		return; /* the database is away: ask the providers */
	for (size_t k = 0; k < n; k++) {
		struct part *p = &g->parts[idx[k]];
		struct doc_entry *en =
			found[k] && rows[k].kind == CACHE_ROW_ENTRY ? rows[k].entry : NULL;

		if (en && now < en->expires_at_us && part_from_entry(p, en)) {
			char key[KEY_MAX];

			frag_key(key, p->ad->id, g->kind, p->key);
			lru_put(e->d.lru, key, en);
		}
		if (found[k])
			cache_row_release(&rows[k]);
	}
}

static void give_up(struct enrich *e, struct gather *g);

/* Join or start the job of every part still open; answer at once if none is. */
static void launch(struct enrich *e, struct gather *g)
{
	struct job *start[PROVIDER__COUNT];
	size_t nstart = 0;
	bool now_done;

	pthread_mutex_lock(&e->mu);
	for (size_t i = 0; i < g->nparts; i++) {
		struct part *p = &g->parts[i];
		char key[KEY_MAX];
		struct job **pp, *jb;
		struct link *l;

		if (p->status)
			continue;
		frag_key(key, p->ad->id, g->kind, p->key);
		pp = job_slot(e, key);
		jb = *pp;
		if (!jb) {
			jb = job_new(e, p->ad, key, p->key, g);
			*pp = jb;
			start[nstart++] = jb;
		}
		l = xcalloc(1, sizeof(*l));
		l->g = g;
		l->part = i;
		l->next = jb->waiting;
		jb->waiting = l;
		g->pending++;
	}
	if (e->stopping && g->pending)
		give_up(e, g); /* no timer to wait for: answer with what there is */
	now_done = g->pending == 0;
	g->answered = now_done;
	if (!now_done) {
		g->next = e->gathers;
		e->gathers = g;
		pthread_cond_signal(&e->tick);
	}
	pthread_mutex_unlock(&e->mu);
	for (size_t i = 0; i < nstart; i++)
		job_advance(start[i], NULL);
	if (now_done)
		answer(g);
}

/* Start enriching mb (taken; an entity document) for r (deferred) as o says. */
static void gather_start(struct enrich *e, struct req *r, cJSON *mb, const struct enrich_opts *o,
			 int64_t fresh_until_us)
{
	struct gather *g = xcalloc(1, sizeof(*g));

	g->e = e;
	g->r = r;
	g->mb = mb;
	g->o = *o;
	g->include = o->include;
	snprintf(g->lang, sizeof(g->lang), "%s", o->lang[0] ? o->lang : "en");
	snprintf(g->kind, sizeof(g->kind), "%s", json_get_string(mb, "kind"));
	snprintf(g->mbid, sizeof(g->mbid), "%s", json_get_string(mb, "id"));
	g->mb_fetched_us = clock_wall_us();
	g->mb_expires_us = fresh_until_us > g->mb_fetched_us ? fresh_until_us : g->mb_fetched_us;
	g->deadline_us =
		r->start_us + (int64_t)e->d.cfg->server.request_timeout_ms * 1000 - MERGE_MARGIN_US;
	plan(e, g);
	load_cached(e, g);
	launch(e, g);
}

/* The request's MusicBrainz answer is ready: enrich it, or let it through. */
static void then_enrich(struct req *r, void *arg)
{
	struct attach *at = arg;
	const char *why, *id;
	cJSON *mb = NULL;

	if (r->status != 200 ||
	    json_parse(r->body.data, r->body.len, REQ_MAX_BODY_BYTES, &mb, &why) != ERR_OK) {
		req_complete(r); /* errors, 304s: as the aggregator answered */
		return;
	}
	id = json_get_string(mb, "id");
	if (!enrich_kind_bit(json_get_string(mb, "kind")) || !id || strlen(id) >= 40) {
		cJSON_Delete(mb);
		req_complete(r);
		return;
	}
	gather_start(at->e, r, mb, &at->o, r->fresh_until_us);
}

void enrich_serve_doc(struct enrich *e, struct req *r, struct cJSON *doc,
		      const struct enrich_opts *o)
{
	req_defer(r);
	gather_start(e, r, doc, o, 0); /* not from a cached document: not cacheable */
}

void enrich_attach(struct enrich *e, struct req *r, const struct enrich_opts *o)
{
	struct attach *at;

	if (!e || (!o->include && o->view == ENRICH_VIEW_DOCUMENT))
		return;
	at = arena_alloc(&r->arena, sizeof(*at));
	at->e = e;
	at->o = *o;
	req_then(r, then_enrich, at);
}

/* ---- deadlines ---------------------------------------------------------------------- */

/* Detach g from every job still running for it (e->mu held); its open parts time out. */
static void give_up(struct enrich *e, struct gather *g)
{
	for (size_t b = 0; b < JOB_BUCKETS; b++) {
		for (struct job *jb = e->jobs[b]; jb; jb = jb->hnext) {
			struct link **pp = &jb->waiting;

			while (*pp) {
				struct link *l = *pp;

				if (l->g == g) {
					*pp = l->next;
					xfree(l);
				} else {
					pp = &l->next;
				}
			}
		}
	}
	g->answered = true;
	g->pending = 0;
}

static void *timer_main(void *arg)
{
	struct enrich *e = arg;

	pthread_mutex_lock(&e->mu);
	while (!e->stopping || e->gathers) {
		struct gather *late = NULL, **pp = &e->gathers;
		int64_t now = clock_mono_us();
		struct timespec ts;

		while (*pp) {
			struct gather *g = *pp;

			if (e->stopping || now >= g->deadline_us) {
				*pp = g->next;
				give_up(e, g);
				g->next = late;
				late = g;
			} else {
				pp = &g->next;
			}
		}
		if (late) {
			pthread_mutex_unlock(&e->mu);
			while (late) {
				struct gather *g = late;

				late = g->next;
				answer(g);
			}
			pthread_mutex_lock(&e->mu);
			continue;
		}
		if (e->stopping)
			break;
		clock_deadline_in(CLOCK_MONOTONIC, TIMER_TICK_MS, &ts);
		pthread_cond_timedwait(&e->tick, &e->mu, &ts);
	}
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

/* ---- lifecycle ---------------------------------------------------------------------- */

enum err enrich_new(const struct enrich_deps *deps, struct enrich **out)
{
	struct enrich *e = xcalloc(1, sizeof(*e));
	pthread_condattr_t attr;

	e->d = *deps;
	for (size_t i = 0; enrich_adapters[i]; i++) {
		const struct enrich_adapter *ad = enrich_adapters[i];

		if (ad->pstate_new)
			e->pstate[ad->id] = ad->pstate_new();
	}
	pthread_mutex_init(&e->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&e->tick, &attr);
	pthread_condattr_destroy(&attr);
	*out = e;
	return ERR_OK;
}

enum err enrich_start(struct enrich *e)
{
	if (pthread_create(&e->timer, NULL, timer_main, e) != 0)
		return ERR_INTERNAL;
	e->started = true;
	return ERR_OK;
}

void enrich_stop(struct enrich *e)
{
	if (!e || !e->started)
		return;
	pthread_mutex_lock(&e->mu);
	e->stopping = true;
	pthread_cond_broadcast(&e->tick);
	pthread_mutex_unlock(&e->mu);
	pthread_join(e->timer, NULL);
	e->started = false;
}

void enrich_free(struct enrich *e)
{
	if (!e)
		return;
	for (size_t i = 0; enrich_adapters[i]; i++) {
		const struct enrich_adapter *ad = enrich_adapters[i];

		if (ad->pstate_free)
			ad->pstate_free(e->pstate[ad->id]);
	}
	pthread_cond_destroy(&e->tick);
	pthread_mutex_destroy(&e->mu);
	xfree(e);
}
