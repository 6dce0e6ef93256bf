/*
 * wikidata.c - the Wikidata adapter, Wikipedia included: an artist's,
 * release group's or recording's Wikidata item (identifiers, Commons
 * image and logo, sitelinks) and the lead of its Wikipedia article as the
 * biography.
 *
 * How the item is found, best evidence first:
 *  - a MusicBrainz url relation to wikidata.org/wiki/Q... (mb_relation);
 *  - else the items holding the entity's MBID (P434 artist, P436 release
 *    group, P4404 recording; a haswbstatement search): exactly one hit is
 *    the item (method mbid); none is "not found", and so are two or more
 *    (duplicate items claiming one MBID: prefer no answer to a wrong one).
 *    A linked item that Wikidata no longer has (no-such-entity) falls back
 *    to this search, once.
 * Then wbgetentities gives the item (an item found by search must hold the
 * MBID). Then the Wikipedia summaries: the article in the job's language
 * (j->lang, from its sitelink), and the English one when that language
 * differs. A language without a sitelink, a missing article (404) or a
 * disambiguation page gives no biography; an article about another item is
 * ignored. A summary that fails otherwise (timeout, 5xx, garbage) fails
 * the job, so that it is retried later rather than cached without its
 * biography.
 *
 * The fragment is the Wikidata item's, with each summary's biography
 * appended to "biographies" (the merge picks the asked language, else
 * English) and each summary's lead image appended to "images" unless the
 * item already has that Commons file (which then gets the article image's
 * width and height).
 *
 * Fragments are cached per (provider, kind, MBID), not per language: a
 * fragment made for a "de" request holds de and en; a later "fr" request
 * for the same entity gets that fragment, and so English.
 *
 * Up to 4 requests (search, item, two summaries), all through Wikidata's
 * fetcher (its rate limit covers Wikipedia too).
 */
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"
#include "medley/merge.h"
#include "medley/url.h"
#include "medley/wikidata.h"
#include "medley/xalloc.h"

#define NLANGS 2

enum {
	S_START,
	S_SEARCH,
	S_ENTITY,
	S_SUMMARY,
};

/* The job's own: the summary languages to ask, in order, and how far it got. */
struct wd {
	char langs[NLANGS][16];
	int nlangs, next;
	bool searched;
};

static struct wd *wd(struct enrich_job *j)
{
	struct wd *w = j->scratch;
	bool valid = true;

	if (w)
		return w;
	w = xcalloc(1, sizeof(*w));
	j->scratch = w;
	for (const char *p = j->lang; p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
			valid = false;
	if (!j->lang || strlen(j->lang) < 2 || strlen(j->lang) >= sizeof(w->langs[0]))
		valid = false;
	if (valid && strcmp(j->lang, "en") != 0)
		snprintf(w->langs[w->nlangs++], sizeof(w->langs[0]), "%s", j->lang);
	snprintf(w->langs[w->nlangs++], sizeof(w->langs[0]), "en");
	return w;
}

/* The Action API answers its errors with 200: a 404 is a wrong base_url, not a miss. */
static bool api_fetched(struct enrich_job *j, const struct fetch_result *res, enum enrich_step *how)
{
	if (res->outcome == FETCH_NOT_FOUND) {
		snprintf(j->why, sizeof(j->why), "HTTP 404 from the Action API: a wrong base_url");
		*how = ENRICH_ERROR;
		return false;
	}
	return ad_fetched(j, res, how);
}

static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	const char *prop = wikidata_mbid_property(j->kind);

	buf_reset(&req->url);
	wd(j)->searched = true;
	j->state = S_SEARCH;
	ad_matched(j, MATCH_MBID, 1);
	if (!prop)
		return ENRICH_NOT_FOUND;
	return ad_fetch(j, wikidata_by_mbid_url(j->cfg->base_url, prop, j->mbid, &req->url), req);
}

static enum enrich_step fetch_entity(struct enrich_job *j, struct enrich_request *req)
{
	buf_reset(&req->url);
	j->state = S_ENTITY;
	return ad_fetch(j, wikidata_entity_url(j->cfg->base_url, j->id, &req->url), req);
}

static enum enrich_step start(struct enrich_job *j, struct enrich_request *req)
{
	if (match_mb_link_id(j->mb, PROVIDER_WIKIDATA, NULL, j->id, sizeof(j->id)) == ERR_OK &&
	    wikidata_valid_qid(j->id)) {
		ad_matched(j, MATCH_MB_RELATION, 1);
		return fetch_entity(j, req);
	}
	return search(j, req);
}

static enum enrich_step on_search(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	const char *why = NULL, *id;
	cJSON *cands = NULL;
	const cJSON *items;
	enum err e = wikidata_parse_search(res->body.data, res->body.len, j->kind, &cands, &why);

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "search", why);
	items = json_get_array(cands, "items");
	id = json_get_string(cJSON_GetArrayItem(items, 0), "id");
	if (cJSON_GetArraySize(items) != 1 || !id || !wikidata_valid_qid(id)) {
		cJSON_Delete(cands);
		return ENRICH_NOT_FOUND; /* none, or several items claim this MBID */
	}
	snprintf(j->id, sizeof(j->id), "%s", id);
	cJSON_Delete(cands);
	return fetch_entity(j, req);
}

/* Ask for the next language's summary that has a sitelink; finish when none is left. */
static enum enrich_step next_summary(struct enrich_job *j, struct enrich_request *req)
{
	struct wd *w = wd(j);

	while (w->next < w->nlangs) {
		const char *lang = w->langs[w->next];
		const char *title = wikidata_sitelink(j->frag, lang);

		if (title) {
			buf_reset(&req->url);
			j->state = S_SUMMARY;
			return ad_fetch(j,
					wikipedia_summary_url(j->cfg->wikipedia_url, lang, title,
							      &req->url),
					req);
		}
		w->next++;
	}
	return ad_finish(j); /* the item, with the summaries added to it */
}

static enum enrich_step on_entity(struct enrich_job *j, const struct fetch_result *res,
				  struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = wikidata_parse_entity(res->body.data, res->body.len, j->kind, &frag, &why);

	if (e == ERR_NOT_FOUND && j->match.method == MATCH_MB_RELATION && !wd(j)->searched)
		return search(j, req); /* the linked item is gone */
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "item", why);
	if (j->match.method == MATCH_MBID && !ad_holds_mbid(frag, j->mbid)) {
		cJSON_Delete(frag);
		return ENRICH_NOT_FOUND; /* the search index was stale */
	}
	cJSON_Delete(j->frag);
	j->frag = frag;
	return next_summary(j, req);
}

/*
 * The Commons file name of an image URL: its last path segment without a
 * query, percent-decoded, spaces as underscores, the first letter in upper
 * case (MediaWiki's normalisation). Both Special:FilePath/<name> and
 * upload.wikimedia.org/.../<name> give the same key.
 */
static void file_key(const char *url, char *out, size_t size)
{
	const char *end = url + strcspn(url, "?#"), *s = end;
	size_t n = 0;

	while (s > url && s[-1] != '/')
		s--;
	for (; s < end && n + 1 < size; s++) {
		int c = (unsigned char)*s;

		if (c == '%' && end - s >= 3 && url_hex_digit(s[1]) >= 0 &&
		    url_hex_digit(s[2]) >= 0) {
			c = url_hex_digit(s[1]) * 16 + url_hex_digit(s[2]);
			s += 2;
		}
		if (c == ' ')
			c = '_';
		if (n == 0 && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		out[n++] = (char)c;
	}
	out[n] = '\0';
}

/* The image of images showing the same Commons file as url, or NULL. */
static cJSON *same_file(cJSON *images, const char *url)
{
	char a[512], b[512];
	cJSON *it;

	file_key(url, a, sizeof(a));
	if (!a[0])
		return NULL;
	cJSON_ArrayForEach(it, images)
	{
		const char *u = json_get_string(it, "url");

		if (u) {
			file_key(u, b, sizeof(b));
			if (strcmp(a, b) == 0)
				return it;
		}
	}
	return NULL;
}

/* Give img the size of from when it has none (the item's images come without one). */
static void take_size(cJSON *img, const cJSON *from)
{
	const cJSON *w = json_get(from, "width"), *h = json_get(from, "height");

	if (cJSON_IsNull(json_get(img, "width")) && cJSON_IsNull(json_get(img, "height")) &&
	    cJSON_IsNumber(w) && cJSON_IsNumber(h)) {
		cJSON_ReplaceItemInObjectCaseSensitive(img, "width", cJSON_Duplicate(w, false));
		cJSON_ReplaceItemInObjectCaseSensitive(img, "height", cJSON_Duplicate(h, false));
	}
}

/* Append sum's biography and its images the item does not have to j->frag. */
static void take_summary(struct enrich_job *j, const cJSON *sum)
{
	cJSON *bios = cJSON_GetObjectItemCaseSensitive(j->frag, "biographies");
	cJSON *imgs = cJSON_GetObjectItemCaseSensitive(j->frag, "images");
	const cJSON *q = json_get_array(json_get_object(sum, "ids"), "wikidata"), *it;
	const char *qid = json_get_string(j->frag, "id"); /* j->id, or where it redirects */

	/* an article about another item (a redirect to a broader subject) is not this one's */
	if (cJSON_GetArraySize(q) > 0) {
		bool same = false;

		cJSON_ArrayForEach(it, q)
		{
			if (json_string_value(it) && qid && strcmp(json_string_value(it), qid) == 0)
				same = true;
		}
		if (!same)
			return;
	}
	cJSON_ArrayForEach(it, json_get_array(sum, "biographies"))
	{
		if (cJSON_IsArray(bios))
			cJSON_AddItemToArray(bios, cJSON_Duplicate(it, true));
	}
	cJSON_ArrayForEach(it, json_get_array(sum, "images"))
	{
		const char *u = json_get_string(it, "url");
		cJSON *have = u && cJSON_IsArray(imgs) ? same_file(imgs, u) : NULL;

		if (have)
			take_size(have, it);
		else if (u && cJSON_IsArray(imgs))
			cJSON_AddItemToArray(imgs, cJSON_Duplicate(it, true));
	}
}

static enum enrich_step on_summary(struct enrich_job *j, const struct fetch_result *res,
				   struct enrich_request *req)
{
	struct wd *w = wd(j);
	const char *why = NULL;
	cJSON *sum = NULL;
	enum enrich_step how;
	enum err e;

	if (res->outcome != FETCH_NOT_FOUND) {
		if (!ad_fetched(j, res, &how))
			return how;
		e = wikipedia_parse_summary(res->body.data, res->body.len, w->langs[w->next],
					    j->kind, &sum, &why);
		if (e != ERR_OK &&
		    e != ERR_NOT_FOUND) /* not found: no article, or disambiguation */
			return ad_parse_failed(j, e, "Wikipedia summary", why);
		if (e == ERR_OK)
			take_summary(j, sum);
		cJSON_Delete(sum);
	}
	w->next++;
	return next_summary(j, req);
}

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	enum enrich_step how;

	if (!res)
		return start(j, req);
	switch (j->state) {
	case S_SEARCH:
		return api_fetched(j, res, &how) ? on_search(j, res, req) : how;
	case S_ENTITY:
		return api_fetched(j, res, &how) ? on_entity(j, res, req) : how;
	case S_SUMMARY:
		return on_summary(j, res, req);
	default:
		return ad_bad_state(j);
	}
}

const struct enrich_adapter enrich_wikidata = {
	.id = PROVIDER_WIKIDATA,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RECORDING,
	.includes = MERGE_BIOGRAPHY | MERGE_IMAGES,
	.lang_dependent = true,
	.step = step,
};
