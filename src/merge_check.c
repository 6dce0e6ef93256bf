/*
 * merge_check.c - the merged sections' shapes, as tables, and merge_check()
 * which holds a merged document against them.
 *
 * The tables are merge.h's (and docs/merge.md's) description of each
 * section in executable form. The unit tests and the fuzz target run every
 * merged document through merge_check(). This file builds nothing.
 */
#include <string.h>

#include "medley/json.h"
#include "medley/merge.h"
#include "medley/shape.h"

SHAPE(genre, {"name", SH_STR_NE, NULL}, {"count", SH_NUM_N, NULL}, {"sources", SH_STRS, NULL});
SHAPE(image, {"url", SH_URL, NULL}, {"type", SH_STR_NE, NULL}, {"types", SH_STRS, NULL},
      {"width", SH_COUNT_N, NULL}, {"height", SH_COUNT_N, NULL}, {"language", SH_STR_N, NULL},
      {"likes", SH_COUNT_N, NULL}, {"thumbnails", SH_URLMAP, NULL}, {"provider", SH_STR_NE, NULL});
SHAPE(biography, {"text", SH_STR_NE, NULL}, {"summary", SH_STR_N, NULL},
      {"language", SH_STR_N, NULL}, {"source", SH_STR_NE, NULL}, {"url", SH_URL_N, NULL},
      {"attribution", SH_STR_N, NULL});
SHAPE(similar, {"name", SH_STR_NE, NULL}, {"mbid", SH_MBID_N, NULL}, {"provider", SH_STR_NE, NULL},
      {"sources", SH_STRS, NULL}, {"ids", SH_SCALARS, NULL}, {"score", SH_NUM_N, NULL});
SHAPE(top_track, {"title", SH_STR_NE, NULL}, {"mbid", SH_MBID_N, NULL}, {"isrc", SH_STR_N, NULL},
      {"duration_ms", SH_COUNT_N, NULL}, {"provider", SH_STR_NE, NULL}, {"rank", SH_COUNT_N, NULL});
SHAPE(lyrics, {"plain", SH_STR_N, NULL}, {"synced", SH_STR_N, NULL},
      {"instrumental", SH_BOOL, NULL}, {"source", SH_STR_NE, NULL});
SHAPE(match, {"method", SH_STR_NE, NULL}, {"score", SH_NUM_N, NULL});
SHAPE(enrichment, {"id", SH_STR_NE, NULL}, {"url", SH_URL_N, NULL}, {"match", SH_OBJ_N, &match});
SHAPE(source, {"provider", SH_STR_NE, NULL}, {"status", SH_STR_NE, NULL},
      {"fetched_at", SH_STR_N, NULL});

/* An object keyed by provider whose members have type ty (sub: their shape, as shape.h says). */
static bool per_provider(struct shape_walk *w, const cJSON *obj, enum shape_type ty,
			 const struct shape *sub)
{
	const cJSON *m;

	if (!cJSON_IsObject(obj))
		return shape_fail(w, "not an object");
	cJSON_ArrayForEach(m, obj)
	{
		size_t mark;

		if (!m->string[0] || !json_utf8_valid(m->string, strlen(m->string)))
			return shape_fail(w, "member name is not a provider");
		mark = shape_push(w, m->string, 0);
		if (!shape_check_value(w, m, ty, sub))
			return false;
		shape_pop(w, mark);
	}
	return true;
}

/* similar[].ids: {provider: non-empty string}. */
static bool similar_ids(struct shape_walk *w, const cJSON *list)
{
	const cJSON *item, *id;
	int i = 0;

	cJSON_ArrayForEach(item, list)
	{
		size_t mark = shape_push(w, NULL, i++);

		cJSON_ArrayForEach(id, json_get(item, "ids"))
		{
			if (!cJSON_IsString(id) || !id->valuestring[0])
				return shape_fail(w, "ids member is not a non-empty string");
		}
		shape_pop(w, mark);
	}
	return true;
}

static bool check_section(struct shape_walk *w, const cJSON *doc, unsigned flag)
{
	const char *name = merge_include_name(flag);
	const cJSON *v = json_get(doc, name);

	switch (flag) {
	case MERGE_IMAGES:
	case MERGE_COVER_ART:
		return shape_check_list(w, v, &image, 0);
	case MERGE_BIOGRAPHY:
		return shape_check_value(w, v, SH_OBJ_N, &biography);
	case MERGE_POPULARITY:
		return per_provider(w, v, SH_NUMMAP, NULL);
	case MERGE_SIMILAR:
		return shape_check_list(w, v, &similar, 0) && similar_ids(w, v);
	case MERGE_TOP_TRACKS:
		return shape_check_list(w, v, &top_track, 0);
	case MERGE_LYRICS:
		return shape_check_value(w, v, SH_OBJ_N, &lyrics);
	}
	return shape_fail(w, "unknown section");
}

static bool check_always(struct shape_walk *w, const cJSON *doc)
{
	size_t mark = shape_push(w, "genres_merged", 0);

	if (!shape_check_list(w, json_get(doc, "genres_merged"), &genre, 0))
		return false;
	shape_pop(w, mark);
	mark = shape_push(w, "sources", 0);
	if (!shape_check_list(w, json_get(doc, "sources"), &source, 0))
		return false;
	shape_pop(w, mark);
	mark = shape_push(w, "enrichment", 0);
	if (!per_provider(w, json_get(doc, "enrichment"), SH_OBJ, &enrichment))
		return false;
	shape_pop(w, mark);
	mark = shape_push(w, "external_ids", 0);
	if (!shape_check_value(w, json_get(doc, "external_ids"), SH_IDMAP, NULL))
		return false;
	shape_pop(w, mark);
	return true;
}

enum err merge_check(const cJSON *doc, unsigned include, char *where, size_t size)
{
	struct shape_walk w = SHAPE_WALK_INIT(where, size);
	bool ok;

	if (size)
		where[0] = '\0';
	ok = cJSON_IsObject(doc) ? check_always(&w, doc) : shape_fail(&w, "not an object");
	for (unsigned i = 0; ok && i < MERGE_INCLUDE__COUNT; i++) {
		const char *name = merge_include_name(1u << i);
		size_t mark = shape_push(&w, name, 0);

		if (!(include & (1u << i)))
			ok = !json_get(doc, name) || shape_fail(&w, "present but not asked");
		else
			ok = json_get(doc, name) ? check_section(&w, doc, 1u << i)
						 : shape_fail(&w, "missing");
		shape_pop(&w, mark);
	}
	return ok ? ERR_OK : ERR_INVALID_ARGUMENT;
}
