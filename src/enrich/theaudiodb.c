/*
 * theaudiodb.c - the TheAudioDB adapter: artist biographies in many
 * languages and artwork (thumbs, logos, fan art, banners, cut-outs), album
 * covers and disc art, track thumbs.
 *
 * TheAudioDB keys by MBID, so the match is the MBID itself (method mbid,
 * score 1): one request, artist-mb.php for an artist, album-mb.php for a
 * release group, track-mb.php for a recording. Every biography language
 * TheAudioDB has comes in that one answer (strBiographyEN, DE, FR, ...), so
 * the fragment holds them all and the merge picks the asked one.
 *
 * TheAudioDB answers an unknown MBID with 200 and a null list (not found);
 * it answers 404 only with its HTML page for an unknown API key, so a 404
 * is an error (a wrong key or base_url), never "not found". An answer
 * whose item names another MBID is not taken (prefer no answer to a wrong
 * one). The key is a path segment: providers.theaudiodb.api_key, or the
 * public free key "123" (THEAUDIODB_FREE_API_KEY, 30 requests a minute)
 * when it is empty, so TheAudioDB is never disabled for want of a key.
 */
#include <stdio.h>

#include "adapter_int.h"
#include "medley/merge.h"
#include "medley/theaudiodb.h"

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	const char *key =
		j->cfg->api_key && j->cfg->api_key[0] ? j->cfg->api_key : THEAUDIODB_FREE_API_KEY;
	const char *why = NULL;
	enum enrich_step how;
	cJSON *frag = NULL;
	enum err e;

	if (!res) {
		if (ad_kind_is(j, "artist"))
			e = theaudiodb_artist_url(j->cfg->base_url, key, j->mbid, &req->url);
		else if (ad_kind_is(j, "release-group"))
			e = theaudiodb_album_url(j->cfg->base_url, key, j->mbid, &req->url);
		else
			e = theaudiodb_track_url(j->cfg->base_url, key, j->mbid, &req->url);
		return ad_fetch(j, e, req);
	}
	if (res->outcome == FETCH_NOT_FOUND) {
		snprintf(j->why, sizeof(j->why), "HTTP 404: a wrong api_key or base_url");
		return ENRICH_ERROR;
	}
	if (!ad_fetched(j, res, &how))
		return how;
	if (ad_kind_is(j, "artist"))
		e = theaudiodb_parse_artist(res->body.data, res->body.len, &frag, &why);
	else if (ad_kind_is(j, "release-group"))
		e = theaudiodb_parse_album(res->body.data, res->body.len, &frag, &why);
	else
		e = theaudiodb_parse_track(res->body.data, res->body.len, &frag, &why);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, j->kind, why);
	if (!ad_may_be_mbid(frag, j->mbid)) {
		cJSON_Delete(frag);
		return ENRICH_NOT_FOUND;
	}
	return ad_done(j, frag, MATCH_MBID, 1);
}

const struct enrich_adapter enrich_theaudiodb = {
	.id = PROVIDER_THEAUDIODB,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RECORDING,
	.includes = MERGE_BIOGRAPHY | MERGE_IMAGES,
	.step = step,
};
