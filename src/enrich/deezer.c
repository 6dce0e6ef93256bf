/*
 * deezer.c - the Deezer adapter: artist pictures, fans, top tracks and
 * related artists; album covers and UPCs; track ISRCs and previews.
 *
 * How the Deezer entity is found, best evidence first:
 *  - artist: a MusicBrainz url relation to deezer.com/artist (mb_relation);
 *    else a Deezer artist search, each candidate whose name is close enough
 *    (MAX_CANDS at most) corroborated by its top tracks against the
 *    artist's MusicBrainz release groups and recordings (one browse and one
 *    recording search at MusicBrainz, asked only when a candidate has a
 *    close name): search;
 *  - album: a url relation (mb_relation); else the barcode (/album/upc:,
 *    upc); else an album search scored by match_best() (search);
 *  - track: a url relation; else the first ISRC (/track/isrc:, isrc); else a
 *    track search scored by match_best().
 * An artist's fragment is /artist/<id> plus its top tracks and related
 * artists (three requests; Deezer allows 50 per 5 s).
 */
#include <stdio.h>

#include "adapter_int.h"
#include "medley/deezer.h"
#include "medley/merge.h"

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

	if (ad_kind_is(j, "artist")) {
		j->state = S_ARTIST;
		e = deezer_artist_url(base(j), j->id, &req->url);
	} else if (ad_kind_is(j, "recording")) {
		j->state = S_ENTITY;
		e = deezer_track_url(base(j), j->id, &req->url);
	} else {
		j->state = S_ENTITY;
		e = deezer_album_url(base(j), j->id, &req->url);
	}
	return ad_fetch(j, e, req);
}

/* Search for the entity by name (and artist, for albums and tracks). */
static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	bool artist = ad_kind_is(j, "artist"), track = ad_kind_is(j, "recording");
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
		ad_matched(j, MATCH_MB_RELATION, 1);
		return fetch_entity(j, req);
	}
	if (ad_kind_is(j, "recording") && (code = ad_isrc(j->mb)) != NULL) {
		j->state = S_ISRC;
		e = deezer_track_by_isrc_url(base(j), code, &req->url);
		if (e == ERR_OK)
			return ENRICH_FETCH;
	}
	if ((ad_kind_is(j, "release") || ad_kind_is(j, "release-group")) &&
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

/* Ask for the top tracks of the next same-name artist candidate, or NOT_FOUND. */
static enum enrich_step next_candidate(struct enrich_job *j, struct enrich_request *req)
{
	buf_reset(&req->url);
	if (!ad_next_candidate(j, MAX_CANDS))
		return ENRICH_NOT_FOUND;
	j->state = S_CAND_TOP;
	return ad_fetch(j, deezer_artist_top_url(base(j), j->id, CAND_TOP_LIMIT, &req->url), req);
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

	if (deezer_parse_top(j->id, res->body.data, res->body.len, &top, &why) != ERR_OK)
		return next_candidate(j, req);
	/* the candidate's name comes from its search item */
	cJSON_ReplaceItemInObjectCaseSensitive(
		top, "name", json_new_string(json_get_string(ad_candidate(j), "name")));
	ad_judge_artist(j, top, NULL, NULL, &r);
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
		ad_kind_is(j, "recording") ? DEEZER_SEARCH_TRACK : DEEZER_SEARCH_ALBUM;
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
	enum err e = ad_kind_is(j, "recording")
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
	return ad_finish(j);
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	enum enrich_step how;

	if (!res)
		return start(j, req);
	switch (j->state) { /* the answers whose failure does not end the job */
	case S_MB_TITLES:   /* MusicBrainz's evidence is optional */
		(void)ad_on_mb_titles(j, res, AD_MB_RELEASE_GROUPS);
		return ad_ask_mb_titles(j, req, AD_MB_RECORDINGS, S_MB_RECORDINGS);
	case S_MB_RECORDINGS:
		(void)ad_on_mb_titles(j, res, AD_MB_RECORDINGS);
		return next_candidate(j, req);
	case S_CAND_TOP:
		return res->outcome == FETCH_OK ? on_cand_top(j, res, req) : next_candidate(j, req);
	case S_TOP:
	case S_RELATED: /* a top-tracks or related miss still leaves the artist */
		return res->outcome == FETCH_OK ? on_artist_part(j, res, req) : ad_finish(j);
	default:
		break;
	}
	if (!ad_fetched(j, res, &how)) {
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
	case S_ARTIST:
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
		return ad_bad_state(j);
	}
}

const struct enrich_adapter enrich_deezer = {
	.id = PROVIDER_DEEZER,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RELEASE | ENRICH_RECORDING,
	.includes = MERGE_IMAGES | MERGE_POPULARITY | MERGE_SIMILAR | MERGE_TOP_TRACKS,
	.step = step,
};
