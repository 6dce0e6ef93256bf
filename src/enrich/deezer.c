/*
 * deezer.c - the Deezer adapter: artist pictures, fans, top tracks and
 * related artists; album covers and UPCs; track ISRCs and previews.
 *
 * How the Deezer entity is found, best evidence first:
 *  - artist: a MusicBrainz url relation to deezer.com/artist (mb_relation);
 *    else a Deezer artist search, each candidate whose name is close enough
 *    corroborated by its top tracks against the artist's MusicBrainz
 *    release groups (one browse request to MusicBrainz): search;
 *  - album: a url relation (mb_relation); else the barcode (/album/upc:,
 *    upc); else an album search scored by match_best() (search);
 *  - track: a url relation; else the first ISRC (/track/isrc:, isrc); else a
 *    track search scored by match_best().
 * An artist's fragment is /artist/<id> plus its top tracks and related
 * artists (three requests; Deezer allows 50 per 5 s).
 */
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"
#include "medley/deezer.h"
#include "medley/merge.h"
#include "medley/musicbrainz.h"

#define TOP_LIMIT 10
#define RELATED_LIMIT 20
#define CAND_TOP_LIMIT 50
#define MAX_CANDS 3 /* same-name candidates corroborated at most */

/* What a url relation to deezer contains (ad_stale_link()). */
static const char *const deezer_marks[] = {"deezer.com/", NULL};

enum {
	S_START,
	S_ARTIST_SEARCH,
	S_MB_TITLES,
	S_MB_RECORDINGS,
	S_CAND_TOP,
	S_ARTIST,
	S_TOP,
	S_RELATED,
	S_UPC,
	S_ISRC,
	S_SEARCH,
	S_ENTITY,
};

static const char *base(const struct enrich_job *j)
{
	return j->cfg->base_url;
}

/* Ask for the entity j->id of the job's kind. */
static enum enrich_step fetch_entity(struct enrich_job *j, struct enrich_request *req)
{
	enum err e;

	if (strcmp(j->kind, "artist") == 0) {
		j->state = S_ARTIST;
		e = deezer_artist_url(base(j), j->id, &req->url);
	} else if (strcmp(j->kind, "recording") == 0) {
		j->state = S_ENTITY;
		e = deezer_track_url(base(j), j->id, &req->url);
	} else {
		j->state = S_ENTITY;
		e = deezer_album_url(base(j), j->id, &req->url);
	}
	return ad_fetch(j, e, req);
}

static void matched(struct enrich_job *j, enum match_method m, double score)
{
	j->match = (struct match_result){.method = m, .score = score, .accepted = true};
}

/* Search for the entity by name (and artist, for albums and tracks). */
static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	bool artist = strcmp(j->kind, "artist") == 0, track = strcmp(j->kind, "recording") == 0;
	enum deezer_search kind = artist  ? DEEZER_SEARCH_ARTIST
				  : track ? DEEZER_SEARCH_TRACK
					  : DEEZER_SEARCH_ALBUM;
	struct buf q;
	enum err e;

	buf_init(&q, 2048);
	if (artist)
		e = deezer_query(ad_name(j->mb), NULL, NULL, 0, 0, &q);
	else
		e = deezer_query(ad_credit(j->mb), track ? NULL : ad_name(j->mb),
				 track ? ad_name(j->mb) : NULL, 0, 0, &q);
	if (e == ERR_OK)
		e = deezer_search_url(base(j), kind, q.data, 25, &req->url);
	buf_release(&q);
	j->state = artist ? S_ARTIST_SEARCH : S_SEARCH;
	return ad_fetch(j, e, req);
}

static enum enrich_step start(struct enrich_job *j, struct enrich_request *req)
{
	const char *code;
	enum err e;

	if (match_mb_link_id(j->mb, PROVIDER_DEEZER, NULL, j->id, sizeof(j->id)) == ERR_OK) {
		matched(j, MATCH_MB_RELATION, 1);
		return fetch_entity(j, req);
	}
	if (strcmp(j->kind, "recording") == 0 && (code = ad_isrc(j->mb)) != NULL) {
		j->state = S_ISRC;
		e = deezer_track_by_isrc_url(base(j), code, &req->url);
		if (e == ERR_OK)
			return ENRICH_FETCH;
	}
	if ((strcmp(j->kind, "release") == 0 || strcmp(j->kind, "release-group") == 0) &&
	    (code = ad_barcode(j->mb)) != NULL) {
		j->state = S_UPC;
		buf_reset(&req->url);
		e = deezer_album_by_upc_url(base(j), code, &req->url);
		if (e == ERR_OK)
			return ENRICH_FETCH;
	}
	buf_reset(&req->url);
	return search(j, req);
}

/* The next same-name artist candidate to corroborate, or NOT_FOUND. */
static enum enrich_step next_candidate(struct enrich_job *j, struct enrich_request *req)
{
	const cJSON *items = json_get_array(json_get(j->aux, "cands"), "items");
	cJSON *next = cJSON_GetObjectItemCaseSensitive(j->aux, "next");
	struct match_opts o = ad_opts(j);
	int i = next ? next->valueint : 0;

	for (; i < cJSON_GetArraySize(items) && i < MAX_CANDS * 3; i++) {
		const cJSON *c = cJSON_GetArrayItem(items, i);
		const char *id = json_get_string(c, "id");

		if (!id ||
		    match_similarity(json_get_string(c, "name"), ad_name(j->mb)) < o.threshold)
			continue;
		cJSON_SetNumberValue(next, i + 1);
		snprintf(j->id, sizeof(j->id), "%s", id);
		j->state = S_CAND_TOP;
		return ad_fetch(j, deezer_artist_top_url(base(j), id, CAND_TOP_LIMIT, &req->url),
				req);
	}
	return ENRICH_NOT_FOUND;
}

static enum enrich_step on_artist_search(struct enrich_job *j, const struct fetch_result *res,
					 struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e = deezer_parse_search(DEEZER_SEARCH_ARTIST, res->body.data, res->body.len,
					 &cands, &why);

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "artist search", why);
	if (!j->aux)
		j->aux = json_new_object();
	json_add_item(j->aux, "cands", cands);
	json_add_item(j->aux, "next", cJSON_CreateNumber(0));
	/* the artist's own works, to corroborate a same-name candidate */
	req->provider = PROVIDER_MUSICBRAINZ;
	j->state = S_MB_TITLES;
	return ad_fetch(j,
			mb_browse_release_groups_url(j->config->providers.musicbrainz.base_url,
						     j->mbid, NULL, 100, 0, &req->url),
			req);
}

static enum enrich_step on_mb_titles(struct enrich_job *j, const struct fetch_result *res,
				     struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *browse = NULL;

	char q[64];

	if (res->outcome == FETCH_OK &&
	    mb_parse_browse_release_groups(res->body.data, res->body.len, &browse, &why) == ERR_OK)
		json_add_item(j->aux, "mb", browse);
	/* and the artist's recordings: track titles to set against the candidates' */
	snprintf(q, sizeof(q), "arid:%s", j->mbid);
	req->provider = PROVIDER_MUSICBRAINZ;
	j->state = S_MB_RECORDINGS;
	return ad_fetch(j,
			mb_search_url(j->config->providers.musicbrainz.base_url, MB_RECORDING, q,
				      MB_MAX_LIMIT, 0, &req->url),
			req);
}

static enum enrich_step on_mb_recordings(struct enrich_job *j, const struct fetch_result *res,
					 struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *found = NULL;

	if (res->outcome == FETCH_OK &&
	    mb_parse_search(MB_RECORDING, res->body.data, res->body.len, &found, &why) == ERR_OK)
		json_add_item(j->aux, "mbrec", found);
	return next_candidate(j, req);
}

static enum enrich_step on_cand_top(struct enrich_job *j, const struct fetch_result *res,
				    struct enrich_request *req)
{
	struct match_evidence ev = {0};
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *top = NULL;

	if (deezer_parse_top(j->id, res->body.data, res->body.len, &top, &why) != ERR_OK)
		return next_candidate(j, req);
	/* the candidate's name comes from its search item */
	cJSON_ReplaceItemInObjectCaseSensitive(top, "name", json_new_string(ad_name(j->mb)));
	ev.mb_titles[0] = json_get_array(json_get(j->aux, "mb"), "release_groups");
	ev.mb_titles[1] = json_get_array(json_get(j->aux, "mbrec"), "results");
	match_artist(ad_mb_for_match(j), top, &ev, &o, &r);
	cJSON_Delete(top);
	if (!r.accepted)
		return next_candidate(j, req);
	j->match = r;
	return fetch_entity(j, req);
}

static enum enrich_step on_search(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	enum deezer_search kind =
		strcmp(j->kind, "recording") == 0 ? DEEZER_SEARCH_TRACK : DEEZER_SEARCH_ALBUM;
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e = deezer_parse_search(kind, res->body.data, res->body.len, &cands, &why);
	int best;

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "search", why);
	best = match_best(ad_mb_for_match(j), cands, NULL, &o, &r);
	if (best >= 0)
		snprintf(j->id, sizeof(j->id), "%s",
			 json_get_string(cJSON_GetArrayItem(json_get_array(cands, "items"), best),
					 "id"));
	cJSON_Delete(cands);
	if (best < 0)
		return ENRICH_NOT_FOUND;
	j->match = r;
	return fetch_entity(j, req);
}

/* An album or track by UPC or ISRC: a hit is the match; a miss falls back to search. */
static enum enrich_step on_code(struct enrich_job *j, const struct fetch_result *res,
				struct enrich_request *req, enum match_method m)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = m == MATCH_ISRC
			     ? deezer_parse_track(res->body.data, res->body.len, &frag, &why)
			     : deezer_parse_album(res->body.data, res->body.len, &frag, &why);

	if (e == ERR_NOT_FOUND)
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, m == MATCH_ISRC ? "track" : "album", why);
	return ad_done(j, frag, m, 1);
}

static enum enrich_step on_entity(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = strcmp(j->kind, "recording") == 0
			     ? deezer_parse_track(res->body.data, res->body.len, &frag, &why)
			     : deezer_parse_album(res->body.data, res->body.len, &frag, &why);

	if (e == ERR_NOT_FOUND && ad_stale_link(j, deezer_marks))
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, j->kind, why);
	return ad_done(j, frag, j->match.method, j->match.score);
}

/* The artist, then its top tracks, then its related artists, into j->aux's "frag". */
static enum enrich_step on_artist_part(struct enrich_job *j, const struct fetch_result *res,
				       struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *part = NULL;
	enum err e;

	if (j->state == S_ARTIST) {
		e = deezer_parse_artist(res->body.data, res->body.len, &part, &why);
		if (e == ERR_NOT_FOUND && ad_stale_link(j, deezer_marks)) {
			buf_reset(&req->url);
			return search(j, req);
		}
		if (e != ERR_OK)
			return ad_parse_failed(j, e, "artist", why);
		cJSON_Delete(j->frag);
		j->frag = part;
		j->state = S_TOP;
		return ad_fetch(j, deezer_artist_top_url(base(j), j->id, TOP_LIMIT, &req->url),
				req);
	}
	if (j->state == S_TOP) {
		if (deezer_parse_top(j->id, res->body.data, res->body.len, &part, &why) == ERR_OK)
			ad_take_list(j->frag, part, "top_tracks");
		cJSON_Delete(part);
		j->state = S_RELATED;
		return ad_fetch(j,
				deezer_artist_related_url(base(j), j->id, RELATED_LIMIT, &req->url),
				req);
	}
	if (deezer_parse_related(j->id, res->body.data, res->body.len, &part, &why) == ERR_OK)
		ad_take_list(j->frag, part, "similar");
	cJSON_Delete(part);
	part = j->frag;
	j->frag = NULL;
	return ad_done(j, part, j->match.method, j->match.score);
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	enum enrich_step how;

	if (!res)
		return start(j, req);
	/* a top-tracks or related miss still leaves the artist */
	if (j->state != S_TOP && j->state != S_RELATED && j->state != S_MB_TITLES &&
	    j->state != S_MB_RECORDINGS && j->state != S_CAND_TOP && !ad_fetched(j, res, &how)) {
		if (how == ENRICH_NOT_FOUND && (j->state == S_UPC || j->state == S_ISRC))
			return search(j, req);
		if (how == ENRICH_NOT_FOUND && (j->state == S_ARTIST || j->state == S_ENTITY) &&
		    ad_stale_link(j, deezer_marks))
			return search(j, req);
		return how;
	}
	switch (j->state) {
	case S_ARTIST_SEARCH:
		return on_artist_search(j, res, req);
	case S_MB_TITLES:
		return on_mb_titles(j, res, req);
	case S_MB_RECORDINGS:
		return on_mb_recordings(j, res, req);
	case S_CAND_TOP:
		return res->outcome == FETCH_OK ? on_cand_top(j, res, req) : next_candidate(j, req);
	case S_ARTIST:
	case S_TOP:
	case S_RELATED:
		if (res->outcome != FETCH_OK && j->state != S_ARTIST) {
			cJSON *frag = j->frag;

			j->frag = NULL;
			return ad_done(j, frag, j->match.method, j->match.score);
		}
		return on_artist_part(j, res, req);
	case S_UPC:
		return on_code(j, res, req, MATCH_UPC);
	case S_ISRC:
		return on_code(j, res, req, MATCH_ISRC);
	case S_SEARCH:
		return on_search(j, res, req);
	case S_ENTITY:
		return on_entity(j, res, req);
	default:
		snprintf(j->why, sizeof(j->why), "unexpected state %d", j->state);
		return ENRICH_ERROR;
	}
}

const struct enrich_adapter enrich_deezer = {
	.id = PROVIDER_DEEZER,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RELEASE | ENRICH_RECORDING,
	.includes = MERGE_IMAGES | MERGE_POPULARITY | MERGE_SIMILAR | MERGE_TOP_TRACKS,
	.step = step,
};
