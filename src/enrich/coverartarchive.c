/*
 * coverartarchive.c - the Cover Art Archive adapter: the images of a
 * release or release group. CAA is keyed by MBID, so the match is the MBID
 * itself (method mbid, score 1): one request, and a 404 means no art.
 */

#include "adapter_int.h"
#include "medley/coverartarchive.h"
#include "medley/merge.h"

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	enum enrich_step how;
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e;

	if (!res) {
		e = ad_kind_is(j, "release")
			    ? caa_release_url(j->cfg->base_url, j->mbid, &req->url)
			    : caa_release_group_url(j->cfg->base_url, j->mbid, &req->url);
		return ad_fetch(j, e, req);
	}
	if (!ad_fetched(j, res, &how))
		return how;
	e = caa_parse(res->body.data, res->body.len, &frag, &why);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "cover art listing", why);
	return ad_done(j, frag, MATCH_MBID, 1);
}

const struct enrich_adapter enrich_coverartarchive = {
	.id = PROVIDER_COVERARTARCHIVE,
	.kinds = ENRICH_RELEASE_GROUP | ENRICH_RELEASE,
	.includes = MERGE_COVER_ART | MERGE_IMAGES,
	.step = step,
};
