/*
 * spotify.c - the Spotify adapter: artist pictures, popularity, followers,
 * genres and top tracks; album covers and UPCs; track ISRCs.
 *
 * Auth: every API request carries "Authorization: Bearer <token>". The token
 * comes from the client credentials flow (spotify_token_request(): a POST to
 * providers.spotify.auth_url) and is kept in the adapter's per-process state,
 * under a mutex, until shortly before it expires (a tenth of its lifetime, at
 * most a minute). A 401 whose body says the token expired or was refused
 * (spotify_token_expired()) drops the cached token, fetches a new one and
 * sends the same request again, once per job. Without a client id and secret
 * the provider is disabled.
 *
 * How the Spotify entity is found, best evidence first:
 *  - artist: a MusicBrainz url relation to open.spotify.com/artist
 *    (mb_relation); else an artist search, each same-name candidate
 *    corroborated by its top tracks against the artist's MusicBrainz release
 *    groups (one browse request to MusicBrainz; match_artist(), search);
 *  - album (release group or release): a url relation (mb_relation); else
 *    the barcode (search upc:, the album it names fetched and its UPC checked
 *    by match_release(): upc); else an album search scored by match_best()
 *    (search), then the album itself;
 *  - track: a url relation; else the first ISRC (search isrc:, the first
 *    track carrying it: isrc); else a track search scored by match_best().
 * A url relation whose entity Spotify no longer has falls back to the search.
 * An artist's fragment is /artists/<id> plus its top tracks in the US market
 * (the candidate's top tracks when a search found it, so no second request).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"
#include "medley/clock.h"
#include "medley/merge.h"
#include "medley/spotify.h"
#include "medley/xalloc.h"

#define MARKET "US"		 /* top tracks: Spotify's largest catalogue */
#define SEARCH_LIMIT 10		 /* candidates asked for */
#define MAX_CANDS 3		 /* same-name artist candidates corroborated at most */
#define MARGIN_MAX_US 60000000LL /* a token is renewed this long before it expires, at most */

static const char content_type[] = "Content-Type: " SPOTIFY_TOKEN_CONTENT_TYPE;

/* What a url relation to spotify contains (ad_stale_link()). */
static const char *const spotify_marks[] = {"spotify.com/", "spotify:", NULL};

enum {
	S_START,	 /* nothing sent yet */
	S_TOKEN,	 /* the token request */
	S_ARTIST_SEARCH, /* search type=artist */
	S_MB_TITLES,	 /* MusicBrainz: the artist's release groups */
	S_CAND_TOP,	 /* a candidate's top tracks, to corroborate it */
	S_ARTIST,	 /* /artists/<id> */
	S_TOP,		 /* /artists/<id>/top-tracks */
	S_UPC,		 /* search upc: */
	S_UPC_ALBUM,	 /* the album the UPC search named */
	S_ISRC,		 /* search isrc: */
	S_SEARCH,	 /* album or track search */
	S_ENTITY,	 /* /albums/<id> or /tracks/<id> */
};

/* The token cache, one per process (pstate). */
struct token_cache {
	pthread_mutex_t mu;
	char token[SPOTIFY_TOKEN_MAX_BYTES];
	int64_t fresh_until_us; /* monotonic; 0: no token */
};

/* The job's own (j->scratch). */
struct scratch {
	char basic[800]; /* "Authorization: Basic ..." while the token request is out */
	char form[64];	 /* its body */
	int resume;	 /* the state whose request waits for the token */
	bool refreshed;	 /* the one retry after a 401 is spent */
};

static void *pstate_new(void)
{
	struct token_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->mu, NULL);
	return c;
}

static void pstate_free(void *p)
{
	struct token_cache *c = p;

	if (!c)
		return;
	pthread_mutex_destroy(&c->mu);
	explicit_bzero(c->token, sizeof(c->token));
	xfree(c);
}

static void set_bearer(struct enrich_job *j)
{
	snprintf(j->hdr, sizeof(j->hdr), "Authorization: Bearer %s", j->token);
}

/* A cached token still fresh, into j->token and j->hdr. */
static bool token_from_cache(struct enrich_job *j)
{
	struct token_cache *c = j->pstate;
	bool ok = false;

	if (!c)
		return false;
	pthread_mutex_lock(&c->mu);
	if (c->fresh_until_us && clock_mono_us() < c->fresh_until_us &&
	    strlen(c->token) < sizeof(j->token)) {
		memcpy(j->token, c->token, strlen(c->token) + 1);
		ok = true;
	}
	pthread_mutex_unlock(&c->mu);
	if (ok)
		set_bearer(j);
	return ok;
}

static void token_to_cache(struct enrich_job *j, long ttl_s)
{
	struct token_cache *c = j->pstate;
	int64_t ttl_us = (int64_t)ttl_s * 1000000, margin = ttl_us / 10;

	if (!c)
		return;
	if (margin > MARGIN_MAX_US)
		margin = MARGIN_MAX_US;
	pthread_mutex_lock(&c->mu);
	snprintf(c->token, sizeof(c->token), "%s", j->token);
	c->fresh_until_us = ttl_us - margin > 0 ? clock_mono_us() + ttl_us - margin : 0;
	pthread_mutex_unlock(&c->mu);
}

/* Spotify refused j's token: forget it, unless another job already replaced it. */
static void token_forget(struct enrich_job *j)
{
	struct token_cache *c = j->pstate;

	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	if (strcmp(c->token, j->token) == 0)
		c->fresh_until_us = 0;
	pthread_mutex_unlock(&c->mu);
}

static bool is_album(const struct enrich_job *j)
{
	return ad_kind_is(j, "release") || ad_kind_is(j, "release-group");
}

/* POST the client credentials; step resumes in state resume once the token is in. */
static enum enrich_step ask_token(struct enrich_job *j, struct enrich_request *req, int resume)
{
	struct scratch *s = j->scratch;
	struct buf auth, form;
	enum err e;

	buf_init(&auth, sizeof(s->basic) - 32);
	buf_init(&form, sizeof(s->form) - 1);
	e = spotify_token_request(j->cfg->client_id, j->cfg->client_secret, &auth, &form);
	if (e == ERR_OK) {
		snprintf(s->basic, sizeof(s->basic), "Authorization: %s", auth.data);
		snprintf(s->form, sizeof(s->form), "%s", form.data);
	}
	explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	buf_release(&form);
	if (e != ERR_OK) {
		snprintf(j->why, sizeof(j->why), "cannot build the token request: %s", err_str(e));
		return ENRICH_ERROR;
	}
	buf_reset(&req->url);
	buf_adds(&req->url, j->cfg->auth_url);
	req->headers[0] = s->basic;
	req->headers[1] = content_type;
	req->headers[2] = NULL;
	req->post_body = s->form;
	s->resume = resume;
	j->state = S_TOKEN;
	return ad_fetch(j, ERR_OK, req);
}

/* The search query of state (S_ARTIST_SEARCH, S_UPC, S_ISRC, S_SEARCH). */
static enum err search_query(const struct enrich_job *j, int state, enum spotify_type *type,
			     struct buf *q)
{
	const char *credit = ad_credit(j->mb);
	enum err e;

	switch (state) {
	case S_ARTIST_SEARCH:
		*type = SPOTIFY_ARTIST;
		return spotify_query_field("artist", ad_name(j->mb), q);
	case S_UPC:
		*type = SPOTIFY_ALBUM;
		return spotify_query_upc(ad_barcode(j->mb), q);
	case S_ISRC:
		*type = SPOTIFY_TRACK;
		return spotify_query_isrc(ad_isrc(j->mb), q);
	default:
		if (is_album(j)) {
			*type = SPOTIFY_ALBUM;
			return spotify_query_album(credit, ad_name(j->mb), q);
		}
		*type = SPOTIFY_TRACK;
		e = credit ? spotify_query_field("artist", credit, q) : ERR_OK;
		return e == ERR_OK ? spotify_query_field("track", ad_name(j->mb), q) : e;
	}
}

static enum enrich_step start(struct enrich_job *j, struct enrich_request *req);

/* Build and ask for the Spotify request of j->state (again, after a token refresh). */
static enum enrich_step send(struct enrich_job *j, struct enrich_request *req)
{
	const char *base = j->cfg->base_url;
	enum spotify_type type;
	struct buf q;
	enum err e;

	buf_reset(&req->url);
	switch (j->state) {
	case S_START:
		return start(j, req);
	case S_ARTIST_SEARCH:
	case S_UPC:
	case S_ISRC:
	case S_SEARCH:
		buf_init(&q, SPOTIFY_MAX_QUERY_BYTES);
		e = search_query(j, j->state, &type, &q);
		if (e == ERR_OK)
			e = spotify_search_url(base, type, q.data, SEARCH_LIMIT, &req->url);
		buf_release(&q);
		break;
	case S_CAND_TOP:
	case S_TOP:
		e = spotify_top_tracks_url(base, j->id, MARKET, &req->url);
		break;
	case S_ARTIST:
		e = spotify_artist_url(base, j->id, &req->url);
		break;
	case S_UPC_ALBUM:
		e = spotify_album_url(base, j->id, &req->url);
		break;
	case S_ENTITY:
		e = is_album(j) ? spotify_album_url(base, j->id, &req->url)
				: spotify_track_url(base, j->id, &req->url);
		break;
	default:
		return ad_bad_state(j);
	}
	req->headers[0] = j->hdr;
	return ad_fetch(j, e, req);
}

static enum enrich_step go(struct enrich_job *j, int state, struct enrich_request *req)
{
	j->state = state;
	return send(j, req);
}

/* Look for the entity by name (and artist, for albums and tracks). */
static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	if (!ad_name(j->mb))
		return ENRICH_NOT_FOUND;
	return go(j, ad_kind_is(j, "artist") ? S_ARTIST_SEARCH : S_SEARCH, req);
}

static enum enrich_step start(struct enrich_job *j, struct enrich_request *req)
{
	if (match_mb_link_id(j->mb, PROVIDER_SPOTIFY, NULL, j->id, sizeof(j->id)) == ERR_OK &&
	    spotify_valid_id(j->id)) {
		ad_matched(j, MATCH_MB_RELATION, 1);
		return go(j, ad_kind_is(j, "artist") ? S_ARTIST : S_ENTITY, req);
	}
	j->id[0] = '\0';
	/* a code that does not make a query (a malformed barcode) goes straight to search */
	if (ad_kind_is(j, "recording") && ad_isrc(j->mb) && go(j, S_ISRC, req) == ENRICH_FETCH)
		return ENRICH_FETCH;
	if (is_album(j) && ad_barcode(j->mb) && go(j, S_UPC, req) == ENRICH_FETCH)
		return ENRICH_FETCH;
	j->why[0] = '\0';
	return search(j, req);
}

/* ---- artists ----------------------------------------------------------------------- */

/* Ask for the top tracks of the next same-name candidate, or NOT_FOUND. */
static enum enrich_step next_candidate(struct enrich_job *j, struct enrich_request *req)
{
	if (!ad_next_candidate(j, MAX_CANDS))
		return ENRICH_NOT_FOUND;
	return go(j, S_CAND_TOP, req);
}

static enum enrich_step on_artist_search(struct enrich_job *j, const struct fetch_result *res,
					 struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e =
		spotify_parse_search(SPOTIFY_ARTIST, res->body.data, res->body.len, &cands, &why);

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "artist search", why);
	if (!ad_keep_candidates(j, cands))
		return ENRICH_NOT_FOUND; /* no need to ask MusicBrainz for evidence */
	/* the artist's own works, to corroborate a same-name candidate */
	return ad_ask_mb_titles(j, req, AD_MB_RELEASE_GROUPS, S_MB_TITLES);
}

static enum enrich_step on_cand_top(struct enrich_job *j, const struct fetch_result *res,
				    struct enrich_request *req)
{
	struct match_result r;
	const char *why = NULL;
	cJSON *top = NULL;

	if (spotify_parse_top_tracks(res->body.data, res->body.len, j->id, &top, &why) != ERR_OK)
		return next_candidate(j, req);
	/* the candidate's own name, as its search item gives it */
	cJSON_ReplaceItemInObjectCaseSensitive(
		top, "name", json_new_string(json_get_string(ad_candidate(j), "name")));
	ad_judge_artist(j, top, NULL, NULL, &r);
	if (!r.accepted) {
		cJSON_Delete(top);
		return next_candidate(j, req);
	}
	j->match = r;
	/* its top tracks are the artist's: no need to ask again */
	ad_aux_set(j, "top", top);
	return go(j, S_ARTIST, req);
}

static enum enrich_step on_artist(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = spotify_parse_artist(res->body.data, res->body.len, &frag, &why);

	if (e == ERR_NOT_FOUND && ad_stale_link(j, spotify_marks))
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "artist", why);
	cJSON_Delete(j->frag);
	j->frag = frag;
	if (json_get_object(j->aux, "top")) {
		ad_take_list(j->frag, json_get_object(j->aux, "top"), "top_tracks");
		return ad_finish(j);
	}
	return go(j, S_TOP, req);
}

static enum enrich_step on_top(struct enrich_job *j, const struct fetch_result *res)
{
	const char *why = NULL;
	cJSON *top = NULL;

	if (spotify_parse_top_tracks(res->body.data, res->body.len, j->id, &top, &why) == ERR_OK)
		ad_take_list(j->frag, top, "top_tracks");
	cJSON_Delete(top);
	return ad_finish(j);
}

/* ---- albums and tracks ------------------------------------------------------------- */

/* The UPC search: the first album it names, fetched to check its UPC. */
static enum enrich_step on_upc(struct enrich_job *j, const struct fetch_result *res,
			       struct enrich_request *req)
{
	const char *why = NULL, *id;
	cJSON *cands = NULL;
	enum err e =
		spotify_parse_search(SPOTIFY_ALBUM, res->body.data, res->body.len, &cands, &why);

	if (e == ERR_NOT_FOUND)
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "album search", why);
	id = json_get_string(cJSON_GetArrayItem(json_get_array(cands, "items"), 0), "id");
	if (id)
		snprintf(j->id, sizeof(j->id), "%s", id);
	cJSON_Delete(cands);
	return id ? go(j, S_UPC_ALBUM, req) : search(j, req);
}

static enum enrich_step on_upc_album(struct enrich_job *j, const struct fetch_result *res,
				     struct enrich_request *req)
{
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = spotify_parse_album(res->body.data, res->body.len, &frag, &why);

	if (e == ERR_NOT_FOUND)
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "album", why);
	match_release(j->mb, frag, NULL, &o, &r);
	if (!r.accepted) {
		cJSON_Delete(frag);
		return search(j, req);
	}
	return ad_done(j, frag, r.method, r.score);
}

/* The ISRC search: the first track (most popular) that carries the recording's ISRC. */
static enum enrich_step on_isrc(struct enrich_job *j, const struct fetch_result *res,
				struct enrich_request *req)
{
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *cands = NULL;
	const cJSON *c;
	enum err e =
		spotify_parse_search(SPOTIFY_TRACK, res->body.data, res->body.len, &cands, &why);

	if (e == ERR_NOT_FOUND)
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "track search", why);
	cJSON_ArrayForEach(c, json_get_array(cands, "items"))
	{
		match_recording(j->mb, c, &o, &r);
		if (r.accepted && r.method == MATCH_ISRC) {
			cJSON *frag = cJSON_Duplicate(c, true);

			cJSON_Delete(cands);
			return ad_done(j, frag, r.method, r.score);
		}
	}
	cJSON_Delete(cands);
	return search(j, req);
}

static enum enrich_step on_search(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	bool album = is_album(j);
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *cands = NULL, *item;
	enum err e = spotify_parse_search(album ? SPOTIFY_ALBUM : SPOTIFY_TRACK, res->body.data,
					  res->body.len, &cands, &why);
	int best;

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "search", why);
	best = match_best(ad_mb_for_match(j), cands, NULL, &o, &r);
	if (best < 0) {
		cJSON_Delete(cands);
		return ENRICH_NOT_FOUND;
	}
	item = cJSON_DetachItemFromArray(cJSON_GetObjectItemCaseSensitive(cands, "items"), best);
	cJSON_Delete(cands);
	if (!album) /* a search track is the full track object */
		return ad_done(j, item, r.method, r.score);
	snprintf(j->id, sizeof(j->id), "%s", json_get_string(item, "id"));
	cJSON_Delete(item);
	j->match = r;
	return go(j, S_ENTITY, req);
}

static enum enrich_step on_entity(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = is_album(j) ? spotify_parse_album(res->body.data, res->body.len, &frag, &why)
				 : spotify_parse_track(res->body.data, res->body.len, &frag, &why);

	if (e == ERR_NOT_FOUND && ad_stale_link(j, spotify_marks))
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, j->kind, why);
	return ad_done(j, frag, j->match.method, j->match.score);
}

/* ---- the token answer and the step ---------------------------------------------------- */

static enum enrich_step on_token(struct enrich_job *j, const struct fetch_result *res,
				 struct enrich_request *req)
{
	struct scratch *s = j->scratch;
	char token[SPOTIFY_TOKEN_MAX_BYTES];
	const char *why = NULL;
	long ttl = 0;
	enum err e;

	explicit_bzero(s->basic, sizeof(s->basic));
	if (res->outcome != FETCH_OK && !(res->outcome == FETCH_HTTP_ERROR && res->body.len)) {
		snprintf(j->why, sizeof(j->why), "token: %s (HTTP %ld)",
			 fetch_outcome_name(res->outcome), res->status);
		return ENRICH_ERROR;
	}
	e = spotify_parse_token(res->body.data, res->body.len, token, sizeof(token), &ttl, &why);
	if (e == ERR_OK && strlen(token) >= sizeof(j->token)) {
		e = ERR_TOO_LARGE;
		why = "token longer than medley keeps";
	}
	if (e != ERR_OK) {
		explicit_bzero(token, sizeof(token));
		snprintf(j->why, sizeof(j->why), "token (HTTP %ld): %s", res->status,
			 why ? why : err_str(e));
		return ENRICH_ERROR;
	}
	memcpy(j->token, token, strlen(token) + 1); /* checked above: it fits */
	explicit_bzero(token, sizeof(token));
	set_bearer(j);
	token_to_cache(j, ttl);
	j->state = s->resume;
	return send(j, req);
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	struct scratch *s = j->scratch;
	enum enrich_step how;

	if (!res) {
		j->scratch = s = xcalloc(1, sizeof(*s));
		if (!token_from_cache(j))
			return ask_token(j, req, S_START);
		return start(j, req);
	}
	if (j->state == S_TOKEN)
		return on_token(j, res, req);
	if (j->state == S_MB_TITLES) /* the evidence is needed: without it, retry later */
		return ad_on_mb_titles(j, res, AD_MB_RELEASE_GROUPS) ? next_candidate(j, req)
								     : ENRICH_ERROR;
	if (res->outcome == FETCH_HTTP_ERROR && res->status == 401 &&
	    spotify_token_expired(res->body.data, res->body.len)) {
		if (s->refreshed) {
			snprintf(j->why, sizeof(j->why),
				 "a fresh token was refused too (HTTP 401)");
			return ENRICH_ERROR;
		}
		s->refreshed = true;
		token_forget(j);
		return ask_token(j, req, j->state);
	}
	/* a candidate or top-tracks miss still leaves the rest */
	if (j->state == S_CAND_TOP && res->outcome != FETCH_OK)
		return next_candidate(j, req);
	if (j->state == S_TOP && res->outcome != FETCH_OK)
		return ad_finish(j);
	if (!ad_fetched(j, res, &how)) {
		if (how == ENRICH_NOT_FOUND &&
		    (j->state == S_UPC || j->state == S_UPC_ALBUM || j->state == S_ISRC))
			return search(j, req);
		if (how == ENRICH_NOT_FOUND && (j->state == S_ARTIST || j->state == S_ENTITY) &&
		    ad_stale_link(j, spotify_marks))
			return search(j, req);
		return how;
	}
	switch (j->state) {
	case S_ARTIST_SEARCH:
		return on_artist_search(j, res, req);
	case S_CAND_TOP:
		return on_cand_top(j, res, req);
	case S_ARTIST:
		return on_artist(j, res, req);
	case S_TOP:
		return on_top(j, res);
	case S_UPC:
		return on_upc(j, res, req);
	case S_UPC_ALBUM:
		return on_upc_album(j, res, req);
	case S_ISRC:
		return on_isrc(j, res, req);
	case S_SEARCH:
		return on_search(j, res, req);
	case S_ENTITY:
		return on_entity(j, res, req);
	default:
		return ad_bad_state(j);
	}
}

static const char *disabled(const struct config_provider *cfg)
{
	if (!cfg->client_id || !cfg->client_id[0])
		return "no client_id";
	if (!cfg->client_secret || !cfg->client_secret[0])
		return "no client_secret";
	if (!cfg->auth_url || !cfg->auth_url[0])
		return "no auth_url";
	return NULL;
}

const struct enrich_adapter enrich_spotify = {
	.id = PROVIDER_SPOTIFY,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RELEASE | ENRICH_RECORDING,
	.includes = MERGE_IMAGES | MERGE_POPULARITY | MERGE_TOP_TRACKS,
	.disabled = disabled,
	.step = step,
	.pstate_new = pstate_new,
	.pstate_free = pstate_free,
};
