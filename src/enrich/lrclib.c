/*
 * lrclib.c - the LRCLib adapter: plain and synced lyrics of a recording.
 *
 * LRCLib matches on artist, title, album and duration itself: /get with the
 * recording's credit, title, first release title and length (in seconds;
 * LRCLib accepts +-2 s). When /get knows nothing, /search by artist and
 * title, and lrclib_pick() takes the best candidate within 2 s of the
 * length (synced before plain before instrumental). The match is "search",
 * scored by the similarity of the titles and artists.
 */

#include "adapter_int.h"
#include "medley/lrclib.h"
#include "medley/merge.h"

enum {
	S_GET = 1,
	S_SEARCH
};

static const char *first_album(const cJSON *mb)
{
	return json_get_string(cJSON_GetArrayItem(json_get_array(mb, "releases"), 0), "title");
}

static double score(const struct enrich_job *j, const cJSON *frag)
{
	return match_similarity(json_get_string(frag, "name"), ad_name(j->mb)) *
	       match_similarity(json_get_string(frag, "artist"), ad_credit(j->mb));
}

static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	buf_reset(&req->url);
	j->state = S_SEARCH;
	return ad_fetch(j,
			lrclib_search_url(j->cfg->base_url, ad_credit(j->mb), ad_name(j->mb), NULL,
					  &req->url),
			req);
}

/* The search's candidates: the best within the tolerance of the recording's length. */
static enum enrich_step on_search(struct enrich_job *j, const struct fetch_result *res)
{
	const char *why = NULL;
	cJSON *found = NULL, *pick;
	const cJSON *best;
	enum err e = lrclib_parse_search(res->body.data, res->body.len, &found, &why);

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "lyrics search", why);
	best = lrclib_pick(found, ad_length_ms(j->mb), LRCLIB_DEFAULT_TOLERANCE_MS);
	pick = best ? cJSON_Duplicate(best, true) : NULL;
	cJSON_Delete(found);
	if (!pick)
		return ENRICH_NOT_FOUND;
	return ad_done(j, pick, MATCH_SEARCH, score(j, pick));
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	const char *why = NULL;
	enum enrich_step how;
	cJSON *frag = NULL;
	enum err e;

	if (!res) {
		if (!ad_name(j->mb) || !ad_credit(j->mb))
			return ENRICH_NOT_FOUND;
		j->state = S_GET;
		e = lrclib_get_url(j->cfg->base_url, ad_credit(j->mb), ad_name(j->mb),
				   first_album(j->mb), (ad_length_ms(j->mb) + 500) / 1000,
				   &req->url);
		return ad_fetch(j, e, req);
	}
	if (!ad_fetched(j, res, &how))
		return how == ENRICH_NOT_FOUND && j->state == S_GET ? search(j, req) : how;
	if (j->state == S_GET) {
		e = lrclib_parse_get(res->body.data, res->body.len, &frag, &why);
		if (e == ERR_NOT_FOUND)
			return search(j, req);
		if (e != ERR_OK)
			return ad_parse_failed(j, e, "lyrics", why);
		return ad_done(j, frag, MATCH_SEARCH, score(j, frag));
	}
	return on_search(j, res);
}

const struct enrich_adapter enrich_lrclib = {
	.id = PROVIDER_LRCLIB,
	.kinds = ENRICH_RECORDING,
	.includes = MERGE_LYRICS,
	.step = step,
};
