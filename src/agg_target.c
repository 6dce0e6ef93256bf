/*
 * agg_target.c - what a target names: its entity's name, its cache kind and
 * key, and how long its document stays fresh.
 *
 * Pure functions shared by the aggregator's files and its unit tests; no
 * state, no I/O.
 */
#include <stddef.h>
#include <stdio.h>

#include "agg_int.h"

static const char *const entity_names[] = {"artist", "release-group", "release", "recording"};

const char *agg_entity_name(enum agg_entity e)
{
	return (unsigned)e < ARRAY_SIZE(entity_names) ? entity_names[e] : "unknown";
}

const char *agg_target_kind(const struct agg_target *t)
{
	static const char *const search_kinds[] = {"search-artist", "search-release-group",
						   "search-release", "search-recording"};

	if (t->kind == AGG_BROWSE)
		return "browse-release-groups";
	if (t->kind == AGG_URL)
		return "url";
	if (t->kind == AGG_SEARCH)
		return search_kinds[t->entity];
	return entity_names[t->entity];
}

void agg_target_key(const struct agg_target *t, char out[AGG_KEY_MAX])
{
	if (t->kind == AGG_LOOKUP)
		snprintf(out, AGG_KEY_MAX, "%s", t->mbid);
	else if (t->kind == AGG_BROWSE)
		snprintf(out, AGG_KEY_MAX, "%s?type=%s&limit=%d&offset=%d", t->mbid,
			 t->type ? t->type : "", t->limit, t->offset);
	else if (t->kind == AGG_URL)
		snprintf(out, AGG_KEY_MAX, "%s", t->query);
	else
		snprintf(out, AGG_KEY_MAX, "limit=%d&offset=%d&q=%s", t->limit, t->offset,
			 t->query);
}

int agg_target_ttl_s(const struct config_cache *c, const struct agg_target *t)
{
	static const size_t lookup[] = {
		offsetof(struct config_cache, artist_ttl_s),
		offsetof(struct config_cache, release_group_ttl_s),
		offsetof(struct config_cache, release_ttl_s),
		offsetof(struct config_cache, recording_ttl_s),
	};

	if (t->kind == AGG_BROWSE)
		return c->browse_ttl_s;
	if (t->kind == AGG_SEARCH || t->kind == AGG_URL)
		return c->search_ttl_s;
	return *(const int *)((const char *)c + lookup[t->entity]);
}

void agg_target_map_key(const struct agg_target *t, const char *key, char *out, size_t size)
{
	snprintf(out, size, "%s %s", agg_target_kind(t), key);
}
