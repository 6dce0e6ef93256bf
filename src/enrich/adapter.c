/*
 * adapter.c - helpers shared by the enrichment adapters (adapter_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"

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

struct match_opts ad_opts(const struct enrich_job *j)
{
	return (struct match_opts){j->config->enrich.match_threshold,
				   j->config->enrich.match_duration_tolerance_ms};
}

long ad_length_ms(const cJSON *mb)
{
	long long v = 0;

	return json_get_int(mb, "length_ms", 1, 86400000LL, &v) ? (long)v : 0;
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

enum enrich_step ad_done(struct enrich_job *j, cJSON *frag, enum match_method method, double score)
{
	cJSON_Delete(j->frag);
	j->frag = frag;
	j->match = (struct match_result){
		.method = method, .score = score, .accepted = true, .why = "matched"};
	return ENRICH_OK;
}

enum enrich_step ad_fetch(struct enrich_job *j, enum err e, struct enrich_request *req)
{
	if (e != ERR_OK || buf_failed(&req->url)) {
		snprintf(j->why, sizeof(j->why), "cannot build the request: %s", err_str(e));
		return ENRICH_ERROR;
	}
	return ENRICH_FETCH;
}

void ad_take_list(cJSON *dst, const cJSON *src, const char *key)
{
	const cJSON *v = json_get_array(src, key);

	if (v)
		cJSON_ReplaceItemInObjectCaseSensitive(dst, key, cJSON_Duplicate(v, true));
}

void ad_aux_set(struct enrich_job *j, const char *key, cJSON *item)
{
	if (!j->aux)
		j->aux = json_new_object();
	if (cJSON_GetObjectItemCaseSensitive(j->aux, key))
		cJSON_ReplaceItemInObjectCaseSensitive(j->aux, key, item);
	else
		json_add_item(j->aux, key, item);
}

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
