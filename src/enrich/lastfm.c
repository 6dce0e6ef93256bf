/*
 * lastfm.c - the Last.fm adapter: artist biographies, listeners and play
 * counts, tags, similar artists and top tracks; album and track wikis,
 * counts and tags. Every call needs providers.lastfm.api_key (disabled
 * without one).
 *
 * Last.fm has no ids of its own: it keys entities by MBID or by names.
 *  - artist: artist.getinfo by MBID (method mbid). When Last.fm does not
 *    know the MBID (error 6), by name (the one a last.fm url relation
 *    gives, else MusicBrainz's): an answer that carries this MBID is
 *    accepted (mbid), one that carries another artist's MBID is not (a
 *    same-name artist), one the url relation names is (mb_relation), one
 *    without any of these is corroborated by its top tracks against the
 *    artist's MusicBrainz release groups and recordings (two requests to
 *    MusicBrainz) with match_artist() (search). Then
 *    artist.getsimilar and artist.gettoptracks, the same way named.
 *  - release group: album.getinfo by the group's MBID, else by its first
 *    release's (Last.fm keeps release MBIDs), else by artist and title,
 *    checked with match_release() against the first release's tracklist
 *    (one MusicBrainz lookup) when the names alone do not settle it.
 *  - recording: track.getinfo by MBID, else by artist and title with
 *    match_recording() (durations).
 * An answer asked by MBID that names another MBID is not taken.
 *
 * Biographies: getinfo takes lang=; when the asked language (j->lang) is
 * not English, a second getinfo in English adds that one too, so the merge
 * can fall back to it (Last.fm answers a language it has no text in with an
 * empty biography, which the parser drops).
 *
 * Errors: Last.fm sends {"error": n} bodies, with status 200 or 4xx; error
 * 6 means "no such entity" (not found), any other is an error.
 */
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"
#include "medley/lastfm.h"
#include "medley/merge.h"
#include "medley/musicbrainz.h"

#define SIMILAR_LIMIT 50
#define TOP_LIMIT 50

enum {
	S_START,
	S_INFO,	   /* artist.getinfo, album.getinfo or track.getinfo: the entity */
	S_BIO_EN,  /* the same getinfo in English */
	S_SIMILAR, /* artist.getsimilar */
	S_TOP,	   /* artist.gettoptracks */
	S_MB_TITLES,
	S_MB_RECORDINGS,
	S_MB_RELEASE,
};

/* How the entity is named, in the order tried (aux "try"). */
enum {
	BY_MBID,	 /* the entity's own MBID */
	BY_RELEASE_MBID, /* release groups: the first release's MBID */
	BY_NAME,
};

static const char *base(const struct enrich_job *j)
{
	return j->cfg->base_url;
}

static const char *key(const struct enrich_job *j)
{
	return j->cfg->api_key;
}

/* The biography language to ask besides English, or NULL (English only). */
static const char *other_lang(const struct enrich_job *j)
{
	const char *l = j->lang;

	if (!l || strlen(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z' ||
	    strcmp(l, "en") == 0)
		return NULL;
	return l;
}

static void aux_on(struct enrich_job *j, const char *k)
{
	ad_aux_set(j, k, cJSON_CreateTrue());
}

/* How the entity is named (BY_*): aux "try". */
static int tried(const struct enrich_job *j)
{
	return ad_aux_int(j, "try");
}

/* The first release of a release group, or NULL. */
static const char *first_release(const struct enrich_job *j)
{
	const char *id =
		json_get_string(cJSON_GetArrayItem(json_get_array(j->mb, "releases"), 0), "id");

	return id && mb_valid_mbid(id) ? id : NULL;
}

/* The MBID a BY_MBID or BY_RELEASE_MBID request names. */
static const char *asked_mbid(const struct enrich_job *j)
{
	return tried(j) == BY_RELEASE_MBID ? first_release(j) : j->mbid;
}

/*
 * The usual reading of a Last.fm answer: true when it is a 2xx body to
 * parse (whose {"error": 6} the parsers turn into ERR_NOT_FOUND). A 404, or
 * a 4xx whose body is error 6, is ENRICH_NOT_FOUND; anything else an error.
 */
static bool fetched(struct enrich_job *j, const struct fetch_result *res, enum enrich_step *how)
{
	int code;

	if (res->outcome == FETCH_OK)
		return true;
	code = lastfm_error_code(res->body.data, res->body.len);
	if (res->outcome == FETCH_HTTP_ERROR && code == LASTFM_ERROR_NOT_FOUND) {
		*how = ENRICH_NOT_FOUND;
		return false;
	}
	if (!ad_fetched(j, res, how) && code > 0 && *how == ENRICH_ERROR)
		snprintf(j->why, sizeof(j->why), "Last.fm error %d (HTTP %ld)", code, res->status);
	return false;
}

static bool has_mbid(const cJSON *frag)
{
	return cJSON_GetArraySize(json_get_array(json_get_object(frag, "ids"), "mbid")) > 0;
}

/* ---- requests ---------------------------------------------------------------------- */

/* The entity's getinfo, named as aux "try" says, in lang (NULL: English). */
static enum enrich_step ask_info(struct enrich_job *j, struct enrich_request *req, const char *lang,
				 int state)
{
	bool by_name = tried(j) == BY_NAME;
	const char *mbid = by_name ? NULL : asked_mbid(j);
	enum err e;

	j->state = state;
	buf_reset(&req->url);
	if (ad_kind_is(j, "artist"))
		e = lastfm_artist_info_url(base(j), key(j), mbid, by_name ? j->id : NULL, lang,
					   &req->url);
	else if (ad_kind_is(j, "release-group"))
		e = lastfm_album_info_url(base(j), key(j), mbid, by_name ? ad_credit(j->mb) : NULL,
					  by_name ? ad_name(j->mb) : NULL, lang, &req->url);
	else
		e = lastfm_track_info_url(base(j), key(j), mbid, by_name ? ad_credit(j->mb) : NULL,
					  by_name ? ad_name(j->mb) : NULL, &req->url);
	return ad_fetch(j, e, req);
}

/* The next way of naming the entity after a miss, or NOT_FOUND. */
static enum enrich_step try_next(struct enrich_job *j, struct enrich_request *req)
{
	int t = tried(j) + 1;

	if (t == BY_RELEASE_MBID && (!ad_kind_is(j, "release-group") || !first_release(j)))
		t = BY_NAME;
	if (t > BY_NAME)
		return ENRICH_NOT_FOUND;
	if (t == BY_NAME) {
		const char *name = ad_kind_is(j, "artist") ? ad_name(j->mb) : ad_credit(j->mb);

		if (!name || !name[0] || !ad_name(j->mb) || !ad_name(j->mb)[0])
			return ENRICH_NOT_FOUND;
		/* an artist's last.fm url relation names it as Last.fm spells it */
		if (!ad_kind_is(j, "artist") ||
		    match_mb_link_id(j->mb, PROVIDER_LASTFM, NULL, j->id, sizeof(j->id)) !=
			    ERR_OK ||
		    !j->id[0])
			snprintf(j->id, sizeof(j->id), "%s", ad_name(j->mb));
	}
	ad_aux_set(j, "try", cJSON_CreateNumber(t));
	return ask_info(j, req, other_lang(j), S_INFO);
}

/* An artist list call (similar, top tracks), named like the getinfo that found it. */
static enum enrich_step ask_list(struct enrich_job *j, struct enrich_request *req, int state)
{
	bool by_name = tried(j) == BY_NAME;
	const char *mbid = by_name ? NULL : j->mbid, *name = by_name ? j->id : NULL;

	j->state = state;
	buf_reset(&req->url);
	return ad_fetch(j,
			state == S_TOP ? lastfm_artist_top_tracks_url(base(j), key(j), mbid, name,
								      TOP_LIMIT, &req->url)
				       : lastfm_artist_similar_url(base(j), key(j), mbid, name,
								   SIMILAR_LIMIT, &req->url),
			req);
}

/* What is left to ask once the entity is matched: English text, similar, top tracks. */
static enum enrich_step next_part(struct enrich_job *j, struct enrich_request *req)
{
	if (other_lang(j) && !ad_kind_is(j, "recording") && !ad_aux_flag(j, "done_en")) {
		aux_on(j, "done_en");
		return ask_info(j, req, NULL, S_BIO_EN);
	}
	if (ad_kind_is(j, "artist") && !ad_aux_flag(j, "done_similar")) {
		aux_on(j, "done_similar");
		return ask_list(j, req, S_SIMILAR);
	}
	if (ad_kind_is(j, "artist") && !ad_aux_flag(j, "done_top")) {
		aux_on(j, "done_top");
		return ask_list(j, req, S_TOP);
	}
	return ad_finish(j);
}

/* MusicBrainz: the release group's first release, to check an album found by name. */
static enum enrich_step ask_mb_release(struct enrich_job *j, struct enrich_request *req)
{
	req->provider = PROVIDER_MUSICBRAINZ;
	j->state = S_MB_RELEASE;
	buf_reset(&req->url);
	return ad_fetch(j,
			mb_lookup_url(j->config->providers.musicbrainz.base_url, MB_RELEASE,
				      first_release(j), &req->url),
			req);
}

/* ---- answers ----------------------------------------------------------------------- */

static enum err parse_info(const struct enrich_job *j, const struct fetch_result *res,
			   const char *lang, cJSON **frag, const char **why)
{
	if (ad_kind_is(j, "artist"))
		return lastfm_parse_artist_info(res->body.data, res->body.len, lang, frag, why);
	if (ad_kind_is(j, "release-group"))
		return lastfm_parse_album_info(res->body.data, res->body.len, lang, frag, why);
	return lastfm_parse_track_info(res->body.data, res->body.len, frag, why);
}

/* The entity's getinfo: match it, or try the next way of naming it. */
static enum enrich_step on_info(struct enrich_job *j, const struct fetch_result *res,
				struct enrich_request *req)
{
	struct match_opts o = ad_opts(j);
	struct match_result r;
	enum enrich_step how;
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e;

	if (!fetched(j, res, &how))
		return how == ENRICH_NOT_FOUND ? try_next(j, req) : how;
	e = parse_info(j, res, other_lang(j), &frag, &why);
	if (e == ERR_NOT_FOUND)
		return try_next(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, j->kind, why);
	cJSON_Delete(j->frag);
	j->frag = frag;
	if (tried(j) != BY_NAME) {
		/* keyed by MBID: Last.fm's own answer, unless it names another entity */
		if (!ad_may_be_mbid(frag, asked_mbid(j)))
			return ENRICH_NOT_FOUND;
		ad_matched(j, MATCH_MBID, 1);
		return next_part(j, req);
	}
	/* by name: Last.fm follows its corrections, so later calls use its spelling */
	if (json_get_string(frag, "name"))
		snprintf(j->id, sizeof(j->id), "%s", json_get_string(frag, "name"));
	if (ad_kind_is(j, "artist")) {
		match_artist(j->mb, frag, NULL, &o, &r);
		if (r.accepted) {
			j->match = r;
			return next_part(j, req);
		}
		if (has_mbid(frag))
			return ENRICH_NOT_FOUND; /* a same-name artist */
		/* corroborate: its top tracks against the artist's works */
		aux_on(j, "verify");
		aux_on(j, "done_top");
		return ask_list(j, req, S_TOP);
	}
	if (ad_kind_is(j, "release-group")) {
		match_release(j->mb, frag, NULL, &o, &r);
		if (r.accepted) {
			j->match = r;
			return next_part(j, req);
		}
		if (!first_release(j))
			return ENRICH_NOT_FOUND;
		return ask_mb_release(j, req);
	}
	match_recording(j->mb, frag, &o, &r);
	if (!r.accepted)
		return ENRICH_NOT_FOUND;
	j->match = r;
	return next_part(j, req);
}

/* The English getinfo: its biographies join the asked language's. */
static enum enrich_step on_bio_en(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *frag = NULL, *bios;
	const cJSON *b;

	if (res->outcome == FETCH_OK && parse_info(j, res, NULL, &frag, &why) == ERR_OK) {
		bios = cJSON_GetObjectItemCaseSensitive(j->frag, "biographies");
		cJSON_ArrayForEach(b, json_get_array(frag, "biographies"))
		{
			if (cJSON_IsArray(bios))
				json_append(bios, cJSON_Duplicate(b, true));
		}
	}
	cJSON_Delete(frag);
	return next_part(j, req);
}

static enum enrich_step on_list(struct enrich_job *j, const struct fetch_result *res,
				struct enrich_request *req)
{
	bool top = j->state == S_TOP;
	const char *why = NULL;
	cJSON *part = NULL;
	enum err e = ERR_NOT_FOUND;

	if (res->outcome == FETCH_OK)
		e = top ? lastfm_parse_artist_top_tracks(res->body.data, res->body.len, &part, &why)
			: lastfm_parse_artist_similar(res->body.data, res->body.len, &part, &why);
	if (e == ERR_OK)
		ad_take_list(j->frag, part, top ? "top_tracks" : "similar");
	cJSON_Delete(part);
	if (top && ad_aux_flag(j, "verify")) {
		if (cJSON_GetArraySize(json_get_array(j->frag, "top_tracks")) == 0)
			return ENRICH_NOT_FOUND; /* nothing to corroborate the name with */
		return ad_ask_mb_titles(j, req, AD_MB_RELEASE_GROUPS, S_MB_TITLES);
	}
	return next_part(j, req);
}

/* The artist's titles at MusicBrainz are in (or not): is the answer corroborated? */
static enum enrich_step judge_by_titles(struct enrich_job *j, struct enrich_request *req)
{
	struct match_result r;

	ad_judge_artist(j, j->frag, NULL, NULL, &r);
	if (!r.accepted)
		return ENRICH_NOT_FOUND;
	j->match = r;
	ad_aux_set(j, "verify", cJSON_CreateFalse());
	return next_part(j, req);
}

/* The group's first release: its tracklist against the album's. */
static enum enrich_step on_mb_release(struct enrich_job *j, const struct fetch_result *res,
				      struct enrich_request *req)
{
	struct match_evidence ev = {0};
	struct match_opts o = ad_opts(j);
	struct match_result r;
	const char *why = NULL;
	cJSON *doc = NULL;
	const cJSON *m;
	int n = 0;

	if (res->outcome != FETCH_OK ||
	    mb_parse_lookup(MB_RELEASE, res->body.data, res->body.len, &doc, &why) != ERR_OK)
		return ENRICH_NOT_FOUND;
	cJSON_ArrayForEach(m, json_get_array(doc, "media"))
	{
		if (n < MATCH_EV_LISTS)
			ev.mb_titles[n++] = json_get_array(m, "tracks");
	}
	match_release(j->mb, j->frag, &ev, &o, &r);
	cJSON_Delete(doc);
	if (!r.accepted)
		return ENRICH_NOT_FOUND;
	j->match = r;
	return next_part(j, req);
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	if (!res) {
		ad_aux_set(j, "try", cJSON_CreateNumber(BY_MBID));
		return ask_info(j, req, other_lang(j), S_INFO);
	}
	switch (j->state) {
	case S_INFO:
		return on_info(j, res, req);
	case S_BIO_EN:
		return on_bio_en(j, res, req);
	case S_SIMILAR:
	case S_TOP:
		return on_list(j, res, req);
	case S_MB_TITLES: /* MusicBrainz's evidence is optional */
		(void)ad_on_mb_titles(j, res, AD_MB_RELEASE_GROUPS);
		return ad_ask_mb_titles(j, req, AD_MB_RECORDINGS, S_MB_RECORDINGS);
	case S_MB_RECORDINGS:
		(void)ad_on_mb_titles(j, res, AD_MB_RECORDINGS);
		return judge_by_titles(j, req);
	case S_MB_RELEASE:
		return on_mb_release(j, res, req);
	default:
		return ad_bad_state(j);
	}
}

static const char *disabled(const struct config_provider *cfg)
{
	return cfg->api_key && cfg->api_key[0] ? NULL : "no api_key";
}

const struct enrich_adapter enrich_lastfm = {
	.id = PROVIDER_LASTFM,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RECORDING,
	.includes = MERGE_IMAGES | MERGE_BIOGRAPHY | MERGE_POPULARITY | MERGE_SIMILAR |
		    MERGE_TOP_TRACKS,
	.lang_dependent = true,
	.step = step,
	.disabled = disabled,
};
