/*
 * fanarttv.c - the fanart.tv adapter: artist thumbnails, backgrounds, logos
 * and banners; album covers and disc art.
 *
 * fanart.tv is keyed by MusicBrainz ids, so the match is the MBID itself
 * (method mbid, score 1) and one request is enough:
 *  - artist: /music/<artist MBID> (fanarttv_parse_artist());
 *  - release group: /music/albums/<release-group MBID>
 *    (fanarttv_parse_album());
 *  - release: the same for the release's group (its "release_group"), the
 *    art fanart.tv keeps per release group.
 * The MBID is the MusicBrainz document's own, so a merged id is asked for
 * under its canonical one (fanart.tv does not follow merges). A 404 means
 * no art. The project key (api_key) is required and goes in the query, where
 * the fetch engine's log redacts it; the optional personal key (client_id)
 * shows fresher images and goes in fanart.tv's "client-key" header, which is
 * never logged (the log does not know the client_key query parameter).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "adapter_int.h"
#include "medley/fanarttv.h"
#include "medley/merge.h"

/* The release group whose art j wants: the entity's own MBID, or a release's group. */
static const char *group_mbid(const struct enrich_job *j)
{
	if (ad_kind_is(j, "release"))
		return json_get_string(json_get_object(j->mb, "release_group"), "id");
	return j->mbid;
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	bool artist = ad_kind_is(j, "artist");
	const char *rg = artist ? NULL : group_mbid(j);
	enum enrich_step how;
	const char *why = NULL, *id;
	cJSON *frag = NULL;
	enum err e;

	if (!artist && !rg)
		return ENRICH_NOT_FOUND; /* a release without its group: nothing to ask */
	if (!res) {
		e = artist ? fanarttv_artist_url(j->cfg->base_url, j->mbid, j->cfg->api_key, NULL,
						 &req->url)
			   : fanarttv_album_url(j->cfg->base_url, rg, j->cfg->api_key, NULL,
						&req->url);
		if (j->cfg->client_id && j->cfg->client_id[0]) {
			snprintf(j->hdr, sizeof(j->hdr), "client-key: %s", j->cfg->client_id);
			req->headers[0] = j->hdr;
		}
		return ad_fetch(j, e, req);
	}
	if (!ad_fetched(j, res, &how))
		return how;
	e = artist ? fanarttv_parse_artist(res->body.data, res->body.len, &frag, &why)
		   : fanarttv_parse_album(res->body.data, res->body.len, rg, &frag, &why);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, artist ? "artist images" : "album images", why);
	/* fanart.tv answers for the MBID asked; anything else is not this entity */
	id = json_get_string(frag, "id");
	if (!id || strcasecmp(id, artist ? j->mbid : rg) != 0) {
		cJSON_Delete(frag);
		return ENRICH_NOT_FOUND;
	}
	return ad_done(j, frag, MATCH_MBID, 1);
}

/* A key fit for a header line: printable ASCII, not too long. */
static bool key_ok(const char *s)
{
	size_t n = strlen(s);

	if (n > FANARTTV_MAX_KEY_BYTES)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

static const char *disabled(const struct config_provider *cfg)
{
	if (!cfg->api_key || !cfg->api_key[0])
		return "no api_key";
	if (cfg->client_id && cfg->client_id[0] && !key_ok(cfg->client_id))
		return "client_id is not a valid client_key";
	return NULL;
}

const struct enrich_adapter enrich_fanarttv = {
	.id = PROVIDER_FANARTTV,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RELEASE,
	.includes = MERGE_IMAGES,
	.disabled = disabled,
	.step = step,
};
