/*
 * discogs.c - the Discogs adapter: artist profiles (biography) and
 * pictures; master and release covers, genres and styles.
 *
 * How the Discogs entity is found, best evidence first:
 *  - a MusicBrainz url relation to discogs.com/artist, /master (a release
 *    group) or /release (mb_relation): one lookup, anonymous or not;
 *  - else a database search, which Discogs answers only with a token
 *    (providers.discogs.api_key, sent as "Authorization: Discogs
 *    token=<token>"); without one the entity is not found:
 *     - release: first by its barcode (type=release&barcode=), else by
 *       "<credit> <title>"; the best item by match_best(), then the full
 *       release is checked again with match_release() (its tracklist, and
 *       its barcode: method upc when it is MusicBrainz's);
 *     - release group: a master search by "<credit> <title>", likewise;
 *     - artist: an artist search; each candidate whose name is close
 *       enough (at most MAX_CANDS) is corroborated by the titles of the
 *       releases a search for its Discogs name (with its "(2)" suffix)
 *       finds, against the artist's MusicBrainz release groups (one browse
 *       request to MusicBrainz), with match_artist(). Two same-name
 *       candidates accepted alike are ambiguous: no answer rather than a
 *       wrong one.
 *  A url relation whose entity is gone (404) falls back to the search, the
 *  dead link set aside so the matcher does not veto the others.
 * Every Discogs request carries the token when there is one (anonymous
 * answers have no image URLs); MusicBrainz requests never do.
 */
#include <stdio.h>

#include "adapter_int.h"
#include "medley/discogs.h"
#include "medley/merge.h"

#define SEARCH_LIMIT 25
#define WORKS_LIMIT 100
#define MAX_CANDS 3 /* same-name artist candidates corroborated at most */

/* What a url relation to discogs contains (ad_stale_link()). */
static const char *const discogs_marks[] = {"discogs.com/", NULL};

enum {
	S_START,
	S_ENTITY,
	S_ARTIST_SEARCH,
	S_MB_TITLES,
	S_CAND_WORKS,
	S_UPC,
	S_SEARCH,
};

static const char *base(const struct enrich_job *j)
{
	return j->cfg->base_url;
}

static bool has_token(const struct enrich_job *j)
{
	return j->cfg->api_key && j->cfg->api_key[0];
}

/* The Discogs entity of the job's kind: artist, master (release group) or release. */
static enum discogs_entity entity(const struct enrich_job *j)
{
	if (ad_kind_is(j, "artist"))
		return DISCOGS_ARTIST;
	return ad_kind_is(j, "release-group") ? DISCOGS_MASTER : DISCOGS_RELEASE;
}

/* "Authorization: Discogs token=<token>" into j->hdr. */
static bool build_hdr(struct enrich_job *j)
{
	struct buf b;
	bool ok;

	buf_init(&b, sizeof(j->hdr) - 1);
	buf_adds(&b, DISCOGS_AUTH_HEADER_NAME ": ");
	ok = discogs_auth_header(j->cfg->api_key, &b) == ERR_OK && !buf_failed(&b);
	if (ok)
		snprintf(j->hdr, sizeof(j->hdr), "%s", b.data);
	buf_release(&b);
	return ok;
}

/* A Discogs request built with e: the token goes with it. */
static enum enrich_step ask(struct enrich_job *j, enum err e, struct enrich_request *req)
{
	if (has_token(j))
		req->headers[0] = j->hdr;
	return ad_fetch(j, e, req);
}

static enum enrich_step fetch_entity(struct enrich_job *j, struct enrich_request *req)
{
	j->state = S_ENTITY;
	buf_reset(&req->url);
	return ask(j, discogs_lookup_url(base(j), entity(j), j->id, &req->url), req);
}

/* A master or release search by "<credit> <title>". */
static enum enrich_step text_search(struct enrich_job *j, struct enrich_request *req)
{
	const char *title = ad_name(j->mb), *credit = ad_credit(j->mb);
	struct buf q;
	enum err e;

	if (!title || !title[0])
		return ENRICH_NOT_FOUND;
	buf_init(&q, DISCOGS_MAX_QUERY_BYTES);
	if (credit && credit[0])
		buf_addf(&q, "%s ", credit);
	buf_adds(&q, title);
	buf_reset(&req->url);
	e = buf_failed(&q)
		    ? ERR_TOO_LARGE
		    : discogs_search_url(base(j), entity(j), q.data, NULL, SEARCH_LIMIT, &req->url);
	buf_release(&q);
	j->state = S_SEARCH;
	return ask(j, e, req);
}

/* Look the entity up by search, which needs the token: without one, nothing is found. */
static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	const char *name = ad_name(j->mb), *code;

	if (!has_token(j))
		return ENRICH_NOT_FOUND;
	buf_reset(&req->url);
	if (ad_kind_is(j, "artist")) {
		if (!name || !name[0])
			return ENRICH_NOT_FOUND;
		j->state = S_ARTIST_SEARCH;
		return ask(j,
			   discogs_search_url(base(j), DISCOGS_ARTIST, name, NULL, SEARCH_LIMIT,
					      &req->url),
			   req);
	}
	if (entity(j) == DISCOGS_RELEASE && (code = ad_barcode(j->mb)) != NULL) {
		j->state = S_UPC;
		if (discogs_search_url(base(j), DISCOGS_RELEASE, NULL, code, SEARCH_LIMIT,
				       &req->url) == ERR_OK)
			return ask(j, ERR_OK, req);
	}
	return text_search(j, req);
}

static enum enrich_step start(struct enrich_job *j, struct enrich_request *req)
{
	if (has_token(j) && !build_hdr(j)) {
		snprintf(j->why, sizeof(j->why), "api_key is not a usable Discogs token");
		return ENRICH_ERROR;
	}
	if (match_mb_link_id(j->mb, PROVIDER_DISCOGS, NULL, j->id, sizeof(j->id)) == ERR_OK &&
	    discogs_valid_id(j->id)) {
		ad_matched(j, MATCH_MB_RELATION, 1);
		return fetch_entity(j, req);
	}
	return search(j, req);
}

/* A master or release search answer: the best item, fetched in full and checked again. */
static enum enrich_step on_search(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e = discogs_parse_search(entity(j), res->body.data, res->body.len, &cands, &why);
	int best;

	if (e != ERR_OK && j->state == S_UPC)
		return text_search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "search", why);
	best = match_best(ad_mb_for_match(j), cands, NULL, &o, &r);
	if (best >= 0)
		snprintf(j->id, sizeof(j->id), "%s",
			 json_get_string(cJSON_GetArrayItem(json_get_array(cands, "items"), best),
					 "id"));
	cJSON_Delete(cands);
	if (best < 0)
		return j->state == S_UPC ? text_search(j, req) : ENRICH_NOT_FOUND;
	j->match = r;
	ad_aux_set(j, "verify", cJSON_CreateTrue());
	return fetch_entity(j, req);
}

static enum enrich_step on_entity(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e;

	switch (entity(j)) {
	case DISCOGS_ARTIST:
		e = discogs_parse_artist(res->body.data, res->body.len, &frag, &why);
		break;
	case DISCOGS_MASTER:
		e = discogs_parse_master(res->body.data, res->body.len, &frag, &why);
		break;
	default:
		e = discogs_parse_release(res->body.data, res->body.len, &frag, &why);
		break;
	}
	if (e == ERR_NOT_FOUND && ad_stale_link(j, discogs_marks))
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, j->kind, why);
	if (!ad_aux_flag(j, "verify"))
		return ad_done(j, frag, j->match.method, j->match.score);
	/* found by search: the full entity (tracklist, barcode) must still agree */
	match_release(ad_mb_for_match(j), frag, NULL, &o, &r);
	if (!r.accepted) {
		cJSON_Delete(frag);
		return ENRICH_NOT_FOUND;
	}
	return ad_done(j, frag, r.method, r.score);
}

/* ---- artist search: same-name candidates, corroborated by their releases ---------- */

/* The name to search a candidate's releases by: Discogs' own, with its "(2)" suffix. */
static const char *raw_name(const cJSON *cand)
{
	const char *raw = json_get_string(json_get_object(cand, "extra"), "discogs_name");

	return raw ? raw : json_get_string(cand, "name");
}

/* Ask for the next close-enough candidate's releases, or decide. */
static enum enrich_step next_candidate(struct enrich_job *j, struct enrich_request *req)
{
	const cJSON *c = ad_next_candidate(j, MAX_CANDS), *best = json_get_object(j->aux, "best");

	if (c) {
		j->state = S_CAND_WORKS;
		buf_reset(&req->url);
		return ask(j,
			   discogs_search_url(base(j), DISCOGS_RELEASE, raw_name(c), NULL,
					      WORKS_LIMIT, &req->url),
			   req);
	}
	if (!best || ad_aux_flag(j, "tied"))
		return ENRICH_NOT_FOUND;
	snprintf(j->id, sizeof(j->id), "%s", json_get_string(best, "id"));
	ad_matched(j, MATCH_SEARCH, cJSON_GetNumberValue(json_get(best, "score")));
	return fetch_entity(j, req);
}

static enum enrich_step on_artist_search(struct enrich_job *j, const struct fetch_result *res,
					 struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e =
		discogs_parse_search(DISCOGS_ARTIST, res->body.data, res->body.len, &cands, &why);

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "artist search", why);
	if (!ad_keep_candidates(j, cands))
		return ENRICH_NOT_FOUND; /* no need to ask MusicBrainz for evidence */
	/* the artist's own works, to corroborate a candidate */
	return ad_ask_mb_titles(j, req, AD_MB_RELEASE_GROUPS, S_MB_TITLES);
}

/* The current candidate's releases: does it have the artist's works? Keep the best. */
static enum enrich_step on_cand_works(struct enrich_job *j, const struct fetch_result *res,
				      struct enrich_request *req)
{
	const cJSON *c = ad_candidate(j);
	const cJSON *best = json_get_object(j->aux, "best");
	struct match_result r;
	const char *why = NULL;
	cJSON *works = NULL, *b;

	if (res->outcome != FETCH_OK || discogs_parse_search(DISCOGS_RELEASE, res->body.data,
							     res->body.len, &works, &why) != ERR_OK)
		return next_candidate(j, req);
	ad_judge_artist(j, c, json_get_array(works, "items"), NULL, &r);
	cJSON_Delete(works);
	if (!r.accepted)
		return next_candidate(j, req);
	if (best) {
		double score = cJSON_GetNumberValue(json_get(best, "score"));

		if (r.score <= score + MATCH_TIE_MARGIN) {
			if (r.score >= score - MATCH_TIE_MARGIN)
				ad_aux_set(j, "tied", cJSON_CreateTrue());
			return next_candidate(j, req);
		}
	}
	b = json_new_object();
	json_add_string_or_null(b, "id", json_get_string(c, "id"));
	json_add_number_or_null(b, "score", &r.score);
	ad_aux_set(j, "best", b);
	ad_aux_set(j, "tied", cJSON_CreateFalse());
	return next_candidate(j, req);
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	enum enrich_step how;

	if (!res)
		return start(j, req);
	if (j->state == S_MB_TITLES) /* without the artist's works, nothing corroborates */
		return ad_on_mb_titles(j, res, AD_MB_RELEASE_GROUPS) ? next_candidate(j, req)
								     : ENRICH_NOT_FOUND;
	if (j->state == S_CAND_WORKS)
		return on_cand_works(j, res, req);
	if (!ad_fetched(j, res, &how)) {
		if (how == ENRICH_NOT_FOUND && j->state == S_ENTITY &&
		    ad_stale_link(j, discogs_marks))
			return search(j, req);
		if (how == ENRICH_NOT_FOUND && j->state == S_UPC)
			return text_search(j, req);
		return how;
	}
	switch (j->state) {
	case S_ENTITY:
		return on_entity(j, res, req);
	case S_ARTIST_SEARCH:
		return on_artist_search(j, res, req);
	case S_UPC:
	case S_SEARCH:
		return on_search(j, res, req);
	default:
		return ad_bad_state(j);
	}
}

const struct enrich_adapter enrich_discogs = {
	.id = PROVIDER_DISCOGS,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RELEASE,
	.includes = MERGE_IMAGES | MERGE_BIOGRAPHY,
	.step = step,
};
