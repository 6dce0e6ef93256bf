/*
 * musicbrainz_check.c - the normalized documents' shapes, as tables, and a
 * checker that holds a document against them.
 *
 * The tables below are docs/documents.md in executable form: every member
 * of every document kind, its type and whether it may be null. The unit
 * tests, the conformance suite and the fuzz target run every document the
 * parsers produce through mb_check_document(), so a parser cannot drift
 * from the documented shape unnoticed. This file builds nothing; it only
 * reads.
 */
#include <stdio.h>
#include <string.h>

#include "medley/json.h"
#include "medley/shape.h"
#include "musicbrainz_int.h"

SHAPE(area_ref, {"id", SH_MBID, NULL}, {"name", SH_STR_N, NULL});
SHAPE(credit_artist, {"id", SH_MBID, NULL}, {"name", SH_STR_N, NULL}, {"sort_name", SH_STR_N, NULL},
      {"disambiguation", SH_STR_N, NULL});
SHAPE(credit, {"name", SH_STR_N, NULL}, {"join_phrase", SH_STR, NULL},
      {"artist", SH_OBJ_N, &credit_artist});
SHAPE(alias, {"name", SH_STR, NULL}, {"sort_name", SH_STR_N, NULL}, {"locale", SH_STR_N, NULL},
      {"primary", SH_BOOL, NULL}, {"type", SH_STR_N, NULL}, {"begin", SH_DATE_N, NULL},
      {"end", SH_DATE_N, NULL});
SHAPE(counted, {"name", SH_STR, NULL}, {"count", SH_NUM_N, NULL});
SHAPE(rating, {"value", SH_NUM_N, NULL}, {"votes", SH_NUM_N, NULL});
SHAPE(link, {"type", SH_STR_N, NULL}, {"url", SH_STR, NULL}, {"ended", SH_BOOL_N, NULL});
SHAPE(life_span, {"begin", SH_DATE_N, NULL}, {"end", SH_DATE_N, NULL}, {"ended", SH_BOOL_N, NULL});
SHAPE(rg_ref, {"id", SH_MBID, NULL}, {"title", SH_STR_N, NULL}, {"primary_type", SH_STR_N, NULL},
      {"secondary_types", SH_STRS, NULL}, {"first_release_date", SH_DATE_N, NULL});

SHAPE(artist, {"id", SH_MBID, NULL}, {"kind", SH_STR, NULL}, {"name", SH_STR_N, NULL},
      {"sort_name", SH_STR_N, NULL}, {"disambiguation", SH_STR_N, NULL}, {"type", SH_STR_N, NULL},
      {"gender", SH_STR_N, NULL}, {"country", SH_STR_N, NULL}, {"area", SH_OBJ_N, &area_ref},
      {"begin_area", SH_OBJ_N, &area_ref}, {"end_area", SH_OBJ_N, &area_ref},
      {"life_span", SH_OBJ, &life_span}, {"ipis", SH_STRS, NULL}, {"isnis", SH_STRS, NULL},
      {"aliases", SH_LIST, &alias}, {"genres", SH_LIST, &counted}, {"tags", SH_LIST, &counted},
      {"rating", SH_OBJ_N, &rating}, {"links", SH_LIST, &link}, {"external_ids", SH_IDMAP, NULL});

SHAPE(rg_release, {"id", SH_MBID, NULL}, {"title", SH_STR_N, NULL},
      {"disambiguation", SH_STR_N, NULL}, {"status", SH_STR_N, NULL}, {"date", SH_DATE_N, NULL},
      {"country", SH_STR_N, NULL}, {"barcode", SH_STR_N, NULL});

/* The first RG_SUMMARY_FIELDS members of a release group make its summary (browse) form. */
#define RG_SUMMARY_FIELDS 12
SHAPE(release_group, {"id", SH_MBID, NULL}, {"kind", SH_STR, NULL}, {"title", SH_STR_N, NULL},
      {"disambiguation", SH_STR_N, NULL}, {"primary_type", SH_STR_N, NULL},
      {"secondary_types", SH_STRS, NULL}, {"first_release_date", SH_DATE_N, NULL},
      {"artist_credit", SH_LIST, &credit}, {"artist_credit_name", SH_STR_N, NULL},
      {"genres", SH_LIST, &counted}, {"tags", SH_LIST, &counted}, {"rating", SH_OBJ_N, &rating},
      {"aliases", SH_LIST, &alias}, {"links", SH_LIST, &link}, {"external_ids", SH_IDMAP, NULL},
      {"releases", SH_LIST, &rg_release});
static const struct shape rg_summary = {release_group_fields, RG_SUMMARY_FIELDS};

SHAPE(text_rep, {"language", SH_STR_N, NULL}, {"script", SH_STR_N, NULL});
SHAPE(release_event, {"date", SH_DATE_N, NULL}, {"country", SH_STR_N, NULL},
      {"area", SH_OBJ_N, &area_ref});
SHAPE(label_info, {"catalog_number", SH_STR_N, NULL}, {"label", SH_OBJ_N, &area_ref});
SHAPE(track_recording, {"id", SH_MBID, NULL}, {"title", SH_STR_N, NULL},
      {"disambiguation", SH_STR_N, NULL}, {"length_ms", SH_NUM_N, NULL}, {"video", SH_BOOL_N, NULL},
      {"isrcs", SH_STRS, NULL});
SHAPE(track, {"id", SH_MBID_N, NULL}, {"position", SH_NUM_N, NULL}, {"number", SH_STR_N, NULL},
      {"title", SH_STR_N, NULL}, {"length_ms", SH_NUM_N, NULL}, {"artist_credit", SH_LIST, &credit},
      {"artist_credit_name", SH_STR_N, NULL}, {"recording", SH_OBJ_N, &track_recording});
SHAPE(medium, {"id", SH_MBID_N, NULL}, {"position", SH_NUM_N, NULL}, {"format", SH_STR_N, NULL},
      {"title", SH_STR_N, NULL}, {"track_count", SH_NUM_N, NULL}, {"disc_ids", SH_STRS, NULL},
      {"tracks", SH_LIST, &track});
SHAPE(caa, {"artwork", SH_BOOL_N, NULL}, {"front", SH_BOOL_N, NULL}, {"back", SH_BOOL_N, NULL},
      {"count", SH_NUM_N, NULL});

SHAPE(release, {"id", SH_MBID, NULL}, {"kind", SH_STR, NULL}, {"title", SH_STR_N, NULL},
      {"disambiguation", SH_STR_N, NULL}, {"status", SH_STR_N, NULL}, {"date", SH_DATE_N, NULL},
      {"country", SH_STR_N, NULL}, {"barcode", SH_STR_N, NULL}, {"asin", SH_STR_N, NULL},
      {"packaging", SH_STR_N, NULL}, {"text_representation", SH_OBJ_N, &text_rep},
      {"artist_credit", SH_LIST, &credit}, {"artist_credit_name", SH_STR_N, NULL},
      {"release_group", SH_OBJ_N, &rg_ref}, {"release_events", SH_LIST, &release_event},
      {"label_info", SH_LIST, &label_info}, {"media", SH_LIST, &medium},
      {"track_count", SH_NUM_N, NULL}, {"cover_art_archive", SH_OBJ_N, &caa},
      {"genres", SH_LIST, &counted}, {"tags", SH_LIST, &counted}, {"links", SH_LIST, &link},
      {"external_ids", SH_IDMAP, NULL});

SHAPE(rec_release, {"id", SH_MBID, NULL}, {"title", SH_STR_N, NULL}, {"status", SH_STR_N, NULL},
      {"date", SH_DATE_N, NULL}, {"country", SH_STR_N, NULL}, {"release_group", SH_OBJ_N, &rg_ref});
SHAPE(recording, {"id", SH_MBID, NULL}, {"kind", SH_STR, NULL}, {"title", SH_STR_N, NULL},
      {"disambiguation", SH_STR_N, NULL}, {"length_ms", SH_NUM_N, NULL}, {"video", SH_BOOL_N, NULL},
      {"first_release_date", SH_DATE_N, NULL}, {"artist_credit", SH_LIST, &credit},
      {"artist_credit_name", SH_STR_N, NULL}, {"isrcs", SH_STRS, NULL},
      {"releases", SH_LIST, &rec_release}, {"genres", SH_LIST, &counted},
      {"tags", SH_LIST, &counted}, {"rating", SH_OBJ_N, &rating}, {"links", SH_LIST, &link},
      {"external_ids", SH_IDMAP, NULL});

SHAPE(browse, {"id", SH_MBID_N, NULL}, {"kind", SH_STR, NULL},
      {"release_groups", SH_LIST, &rg_summary}, {"count", SH_NUM_N, NULL},
      {"offset", SH_NUM_N, NULL});

SHAPE(url_relation, {"kind", SH_STR_NE, NULL}, {"id", SH_MBID, NULL}, {"name", SH_STR_N, NULL},
      {"relation", SH_STR_N, NULL});
SHAPE(url_doc, {"id", SH_STR_N, NULL}, {"kind", SH_STR, NULL}, {"resource", SH_STR_N, NULL},
      {"relations", SH_LIST, &url_relation});

static const struct shape *const entity_shapes[MB_ENTITY__COUNT] = {
	[MB_ARTIST] = &artist,
	[MB_RELEASE_GROUP] = &release_group,
	[MB_RELEASE] = &release,
	[MB_RECORDING] = &recording,
};

static bool check_search(struct shape_walk *c, const cJSON *doc)
{
	enum mb_entity e;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "id");
	size_t len;

	if (cJSON_GetArraySize(doc) != 6 || !cJSON_IsNull(v))
		return shape_fail(
			c, "search members are id (null), kind, type, results, count, offset");
	if (mb_entity_from_name(json_get_string(doc, "type"), &e) != ERR_OK)
		return shape_fail(c, "search type is not an entity");
	if (!cJSON_IsNull(json_get(doc, "count")) && !cJSON_IsNumber(json_get(doc, "count")))
		return shape_fail(c, "count is not a number or null");
	if (!cJSON_IsNull(json_get(doc, "offset")) && !cJSON_IsNumber(json_get(doc, "offset")))
		return shape_fail(c, "offset is not a number or null");
	len = shape_push(c, "results", 0);
	if (!shape_check_list(c, json_get(doc, "results"), entity_shapes[e], SHAPE_SCORED))
		return false;
	shape_pop(c, len);
	return true;
}

enum err mb_check_document(const cJSON *doc, char *where, size_t size)
{
	struct shape_walk c = SHAPE_WALK_INIT(where, size);
	const char *kind = json_get_string(doc, "kind");
	enum mb_entity e;
	bool ok;

	if (size)
		where[0] = '\0';
	if (!kind || !json_get(doc, "id"))
		ok = shape_fail(&c, "not an object with id and kind");
	else if (strcmp(kind, "search") == 0)
		ok = check_search(&c, doc);
	else if (strcmp(kind, "url") == 0)
		ok = shape_check(&c, doc, &url_doc, 0);
	else if (strcmp(kind, "release-group-list") == 0)
		ok = shape_check(&c, doc, &browse, 0);
	else if (mb_entity_from_name(kind, &e) == ERR_OK)
		ok = shape_check(&c, doc, entity_shapes[e], 0);
	else
		ok = shape_fail(&c, "unknown kind");
	return ok ? ERR_OK : ERR_INVALID_ARGUMENT;
}
