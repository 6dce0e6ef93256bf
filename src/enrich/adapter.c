/*
 * adapter.c - helpers shared by the enrichment adapters (adapter_int.h):
 * reading the MusicBrainz document, the usual endings of a step, j->aux,
 * stale url relations, and the corroboration of same-name artist candidates
 * with the artist's titles at MusicBrainz. Each adapter keeps its own state
 * machine and provider calls; nothing here knows a provider but MusicBrainz.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"
#include "medley/musicbrainz.h"

/* ---- the job and its MusicBrainz document ------------------------------------------ */

bool ad_kind_is(const struct enrich_job *j, const char *kind)
{
	return strcmp(j->kind, kind) == 0;
}

const char *ad_name(const cJSON *mb)
{
	const char *s = json_get_string(mb, "name");

	return s ? s : json_get_string(mb, "title");
}

const char *ad_credit(const cJSON *mb)
{
	return json_get_string(mb, "artist_credit_name");
}

const char *ad_isrc(const cJSON *mb)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get_array(mb, "isrcs"))
	{
		if (json_string_value(it) && json_string_value(it)[0])
			return json_string_value(it);
	}
	return NULL;
}

const char *ad_barcode(const cJSON *mb)
{
	const char *b = json_get_string(mb, "barcode");
	const cJSON *it;

	if (b && b[0])
		return b;
	cJSON_ArrayForEach(it, json_get_array(mb, "releases"))
	{
		b = json_get_string(it, "barcode");
		if (b && b[0])
			return b;
	}
	return NULL;
}

long ad_length_ms(const cJSON *mb)
{
	long long v = 0;

	return json_get_int(mb, "length_ms", 1, 86400000LL, &v) ? (long)v : 0;
}

bool ad_holds_mbid(const cJSON *frag, const char *mbid)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get_array(json_get_object(frag, "ids"), "mbid"))
	{
		if (json_string_value(it) && mbid && strcmp(json_string_value(it), mbid) == 0)
			return true;
	}
	return false;
}

bool ad_may_be_mbid(const cJSON *frag, const char *mbid)
{
	return cJSON_GetArraySize(json_get_array(json_get_object(frag, "ids"), "mbid")) == 0 ||
	       ad_holds_mbid(frag, mbid);
}

/* ---- requests, answers and the end of a job ---------------------------------------- */

struct match_opts ad_opts(const struct enrich_job *j)
{
	return (struct match_opts){j->config->enrich.match_threshold,
				   j->config->enrich.match_duration_tolerance_ms};
}

bool ad_fetched(struct enrich_job *j, const struct fetch_result *res, enum enrich_step *how)
{
	if (res->outcome == FETCH_OK)
		return true;
	if (res->outcome == FETCH_NOT_FOUND) {
		*how = ENRICH_NOT_FOUND;
		return false;
	}
	snprintf(j->why, sizeof(j->why), "%s (HTTP %ld)", fetch_outcome_name(res->outcome),
		 res->status);
	*how = ENRICH_ERROR;
	return false;
}

enum enrich_step ad_parse_failed(struct enrich_job *j, enum err e, const char *what,
				 const char *why)
{
	if (e == ERR_NOT_FOUND)
		return ENRICH_NOT_FOUND;
	snprintf(j->why, sizeof(j->why), "%s: %s", what, why ? why : err_str(e));
	return ENRICH_ERROR;
}

enum enrich_step ad_fetch(struct enrich_job *j, enum err e, struct enrich_request *req)
{
	if (e != ERR_OK || buf_failed(&req->url)) {
		snprintf(j->why, sizeof(j->why), "cannot build the request: %s", err_str(e));
		return ENRICH_ERROR;
	}
	return ENRICH_FETCH;
}

void ad_matched(struct enrich_job *j, enum match_method method, double score)
{
	j->match = (struct match_result){
		.method = method, .score = score, .accepted = true, .why = "matched"};
}

enum enrich_step ad_done(struct enrich_job *j, cJSON *frag, enum match_method method, double score)
{
	cJSON_Delete(j->frag);
	j->frag = frag;
	ad_matched(j, method, score);
	return ENRICH_OK;
}

enum enrich_step ad_finish(struct enrich_job *j)
{
	cJSON *frag = j->frag;

	j->frag = NULL;
	return ad_done(j, frag, j->match.method, j->match.score);
}

enum enrich_step ad_bad_state(struct enrich_job *j)
{
	snprintf(j->why, sizeof(j->why), "unexpected state %d", j->state);
	return ENRICH_ERROR;
}

/* ---- j->aux ----------------------------------------------------------------------- */

void ad_aux_set(struct enrich_job *j, const char *key, cJSON *item)
{
	if (!j->aux)
		j->aux = json_new_object();
	if (cJSON_GetObjectItemCaseSensitive(j->aux, key))
		cJSON_ReplaceItemInObjectCaseSensitive(j->aux, key, item);
	else
		json_add_item(j->aux, key, item);
}

int ad_aux_int(const struct enrich_job *j, const char *key)
{
	long long v = 0;

	return json_get_int(j->aux, key, 0, INT_MAX, &v) ? (int)v : 0;
}

bool ad_aux_flag(const struct enrich_job *j, const char *key)
{
	return cJSON_IsTrue(json_get(j->aux, key));
}

/* ---- stale url relations ------------------------------------------------------------ */

bool ad_stale_link(struct enrich_job *j, const char *const *marks)
{
	cJSON *mb, *links, *l;

	if (j->match.method != MATCH_MB_RELATION || !j->match.accepted)
		return false;
	j->match = (struct match_result){.method = MATCH_SEARCH};
	mb = cJSON_Duplicate(j->mb, true);
	links = cJSON_GetObjectItemCaseSensitive(mb, "links");
	for (l = links ? links->child : NULL; l;) {
		cJSON *next = l->next;
		const char *url = json_get_string(l, "url");

		for (size_t i = 0; url && marks[i]; i++) {
			if (strstr(url, marks[i])) {
				cJSON_Delete(cJSON_DetachItemViaPointer(links, l));
				break;
			}
		}
		l = next;
	}
	ad_aux_set(j, "mb_unlinked", mb);
	return true;
}

const cJSON *ad_mb_for_match(const struct enrich_job *j)
{
	const cJSON *mb = json_get_object(j->aux, "mb_unlinked");

	return mb ? mb : j->mb;
}

void ad_take_list(cJSON *dst, const cJSON *src, const char *key)
{
	const cJSON *v = json_get_array(src, key);

	if (v)
		cJSON_ReplaceItemInObjectCaseSensitive(dst, key, cJSON_Duplicate(v, true));
}

/* ---- same-name artist candidates ------------------------------------------------------ */

/* A candidate worth corroborating: it has an id, and a name close to the artist's. */
static bool close_enough(const struct enrich_job *j, const cJSON *cand)
{
	return json_get_string(cand, "id") &&
	       match_similarity(json_get_string(cand, "name"), ad_name(j->mb)) >=
		       ad_opts(j).threshold;
}

static const cJSON *candidates(const struct enrich_job *j)
{
	return json_get_array(json_get(j->aux, "cands"), "items");
}

bool ad_keep_candidates(struct enrich_job *j, cJSON *cands)
{
	const cJSON *c;
	bool any = false;

	ad_aux_set(j, "cands", cands);
	ad_aux_set(j, "next", cJSON_CreateNumber(0));
	ad_aux_set(j, "tried", cJSON_CreateNumber(0));
	cJSON_ArrayForEach(c, candidates(j))
	{
		if (close_enough(j, c))
			any = true;
	}
	return any;
}

const cJSON *ad_next_candidate(struct enrich_job *j, int max)
{
	const cJSON *items = candidates(j);
	int tried = ad_aux_int(j, "tried");

	if (tried >= max)
		return NULL;
	for (int i = ad_aux_int(j, "next"); i < cJSON_GetArraySize(items); i++) {
		const cJSON *c = cJSON_GetArrayItem(items, i);

		if (!close_enough(j, c))
			continue;
		ad_aux_set(j, "next", cJSON_CreateNumber(i + 1));
		ad_aux_set(j, "tried", cJSON_CreateNumber(tried + 1));
		snprintf(j->id, sizeof(j->id), "%s", json_get_string(c, "id"));
		return c;
	}
	return NULL;
}

const cJSON *ad_candidate(const struct enrich_job *j)
{
	int next = ad_aux_int(j, "next");

	return next > 0 ? cJSON_GetArrayItem(candidates(j), next - 1) : NULL;
}

static const struct {
	const char *key;  /* in j->aux */
	const char *list; /* the member of the kept document that holds the titles */
	const char *what; /* for j->why */
} mb_titles[] = {
	[AD_MB_RELEASE_GROUPS] = {"mb", "release_groups", "musicbrainz release groups"},
	[AD_MB_RECORDINGS] = {"mbrec", "results", "musicbrainz recordings"},
};

enum enrich_step ad_ask_mb_titles(struct enrich_job *j, struct enrich_request *req,
				  enum ad_mb_titles which, int state)
{
	const char *base = j->config->providers.musicbrainz.base_url;
	char q[64];
	enum err e;

	req->provider = PROVIDER_MUSICBRAINZ;
	j->state = state;
	buf_reset(&req->url);
	if (which == AD_MB_RELEASE_GROUPS) {
		e = mb_browse_release_groups_url(base, j->mbid, NULL, MB_MAX_LIMIT, 0, &req->url);
	} else {
		snprintf(q, sizeof(q), "arid:%s", j->mbid);
		e = mb_search_url(base, MB_RECORDING, q, MB_MAX_LIMIT, 0, &req->url);
	}
	return ad_fetch(j, e, req);
}

bool ad_on_mb_titles(struct enrich_job *j, const struct fetch_result *res, enum ad_mb_titles which)
{
	const char *why = NULL;
	cJSON *doc = NULL;
	enum err e;

	if (res->outcome != FETCH_OK) {
		snprintf(j->why, sizeof(j->why), "%s: %s (HTTP %ld)", mb_titles[which].what,
			 fetch_outcome_name(res->outcome), res->status);
		return false;
	}
	e = which == AD_MB_RELEASE_GROUPS
		    ? mb_parse_browse_release_groups(res->body.data, res->body.len, &doc, &why)
		    : mb_parse_search(MB_RECORDING, res->body.data, res->body.len, &doc, &why);
	if (e != ERR_OK) {
		snprintf(j->why, sizeof(j->why), "%s: %s", mb_titles[which].what,
			 why ? why : err_str(e));
		return false;
	}
	ad_aux_set(j, mb_titles[which].key, doc);
	return true;
}

void ad_judge_artist(const struct enrich_job *j, const cJSON *cand, const cJSON *works,
		     const cJSON *more_works, struct match_result *r)
{
	struct match_evidence ev = {.cand_titles = {works, more_works}};
	struct match_opts o = ad_opts(j);

	for (size_t i = 0; i < ARRAY_SIZE(mb_titles); i++)
		ev.mb_titles[i] =
			json_get_array(json_get(j->aux, mb_titles[i].key), mb_titles[i].list);
	match_artist(ad_mb_for_match(j), cand, &ev, &o, r);
}
