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
#include "musicbrainz_int.h"

enum ty {
	T_STR,	  /* string */
	T_STR_N,  /* string or null */
	T_DATE_N, /* YYYY[-MM[-DD]] or null */
	T_MBID,	  /* lowercase MBID */
	T_MBID_N, /* lowercase MBID or null */
	T_NUM_N,  /* number or null */
	T_BOOL,	  /* true or false */
	T_BOOL_N, /* true, false or null */
	T_STRS,	  /* array of non-empty strings */
	T_LIST,	  /* array of objects of shape sub */
	T_OBJ,	  /* object of shape sub */
	T_OBJ_N,  /* object of shape sub, or null */
	T_EXT,	  /* object of arrays of non-empty strings */
};

struct field {
	const char *key;
	enum ty ty;
	const struct shape *sub;
};

struct shape {
	const struct field *f;
	size_t n;
};

#define SHAPE(name, ...)                                           \
	static const struct field name##_fields[] = {__VA_ARGS__}; \
	static const struct shape name = {name##_fields, ARRAY_SIZE(name##_fields)}

SHAPE(area_ref, {"id", T_MBID, NULL}, {"name", T_STR_N, NULL});
SHAPE(credit_artist, {"id", T_MBID, NULL}, {"name", T_STR_N, NULL}, {"sort_name", T_STR_N, NULL},
      {"disambiguation", T_STR_N, NULL});
SHAPE(credit, {"name", T_STR_N, NULL}, {"join_phrase", T_STR, NULL},
      {"artist", T_OBJ_N, &credit_artist});
SHAPE(alias, {"name", T_STR, NULL}, {"sort_name", T_STR_N, NULL}, {"locale", T_STR_N, NULL},
      {"primary", T_BOOL, NULL}, {"type", T_STR_N, NULL}, {"begin", T_DATE_N, NULL},
      {"end", T_DATE_N, NULL});
SHAPE(counted, {"name", T_STR, NULL}, {"count", T_NUM_N, NULL});
SHAPE(rating, {"value", T_NUM_N, NULL}, {"votes", T_NUM_N, NULL});
SHAPE(link, {"type", T_STR_N, NULL}, {"url", T_STR, NULL}, {"ended", T_BOOL_N, NULL});
SHAPE(life_span, {"begin", T_DATE_N, NULL}, {"end", T_DATE_N, NULL}, {"ended", T_BOOL_N, NULL});
SHAPE(rg_ref, {"id", T_MBID, NULL}, {"title", T_STR_N, NULL}, {"primary_type", T_STR_N, NULL},
      {"secondary_types", T_STRS, NULL}, {"first_release_date", T_DATE_N, NULL});

SHAPE(artist, {"id", T_MBID, NULL}, {"kind", T_STR, NULL}, {"name", T_STR_N, NULL},
      {"sort_name", T_STR_N, NULL}, {"disambiguation", T_STR_N, NULL}, {"type", T_STR_N, NULL},
      {"gender", T_STR_N, NULL}, {"country", T_STR_N, NULL}, {"area", T_OBJ_N, &area_ref},
      {"begin_area", T_OBJ_N, &area_ref}, {"end_area", T_OBJ_N, &area_ref},
      {"life_span", T_OBJ, &life_span}, {"ipis", T_STRS, NULL}, {"isnis", T_STRS, NULL},
      {"aliases", T_LIST, &alias}, {"genres", T_LIST, &counted}, {"tags", T_LIST, &counted},
      {"rating", T_OBJ_N, &rating}, {"links", T_LIST, &link}, {"external_ids", T_EXT, NULL});

SHAPE(rg_release, {"id", T_MBID, NULL}, {"title", T_STR_N, NULL}, {"disambiguation", T_STR_N, NULL},
      {"status", T_STR_N, NULL}, {"date", T_DATE_N, NULL}, {"country", T_STR_N, NULL},
      {"barcode", T_STR_N, NULL});

/* The first RG_SUMMARY_FIELDS members of a release group make its summary (browse) form. */
#define RG_SUMMARY_FIELDS 12
SHAPE(release_group, {"id", T_MBID, NULL}, {"kind", T_STR, NULL}, {"title", T_STR_N, NULL},
      {"disambiguation", T_STR_N, NULL}, {"primary_type", T_STR_N, NULL},
      {"secondary_types", T_STRS, NULL}, {"first_release_date", T_DATE_N, NULL},
      {"artist_credit", T_LIST, &credit}, {"artist_credit_name", T_STR_N, NULL},
      {"genres", T_LIST, &counted}, {"tags", T_LIST, &counted}, {"rating", T_OBJ_N, &rating},
      {"aliases", T_LIST, &alias}, {"links", T_LIST, &link}, {"external_ids", T_EXT, NULL},
      {"releases", T_LIST, &rg_release});
static const struct shape rg_summary = {release_group_fields, RG_SUMMARY_FIELDS};

SHAPE(text_rep, {"language", T_STR_N, NULL}, {"script", T_STR_N, NULL});
SHAPE(release_event, {"date", T_DATE_N, NULL}, {"country", T_STR_N, NULL},
      {"area", T_OBJ_N, &area_ref});
SHAPE(label_info, {"catalog_number", T_STR_N, NULL}, {"label", T_OBJ_N, &area_ref});
SHAPE(track_recording, {"id", T_MBID, NULL}, {"title", T_STR_N, NULL},
      {"disambiguation", T_STR_N, NULL}, {"length_ms", T_NUM_N, NULL}, {"video", T_BOOL_N, NULL},
      {"isrcs", T_STRS, NULL});
SHAPE(track, {"id", T_MBID_N, NULL}, {"position", T_NUM_N, NULL}, {"number", T_STR_N, NULL},
      {"title", T_STR_N, NULL}, {"length_ms", T_NUM_N, NULL}, {"artist_credit", T_LIST, &credit},
      {"artist_credit_name", T_STR_N, NULL}, {"recording", T_OBJ_N, &track_recording});
SHAPE(medium, {"id", T_MBID_N, NULL}, {"position", T_NUM_N, NULL}, {"format", T_STR_N, NULL},
      {"title", T_STR_N, NULL}, {"track_count", T_NUM_N, NULL}, {"disc_ids", T_STRS, NULL},
      {"tracks", T_LIST, &track});
SHAPE(caa, {"artwork", T_BOOL_N, NULL}, {"front", T_BOOL_N, NULL}, {"back", T_BOOL_N, NULL},
      {"count", T_NUM_N, NULL});

SHAPE(release, {"id", T_MBID, NULL}, {"kind", T_STR, NULL}, {"title", T_STR_N, NULL},
      {"disambiguation", T_STR_N, NULL}, {"status", T_STR_N, NULL}, {"date", T_DATE_N, NULL},
      {"country", T_STR_N, NULL}, {"barcode", T_STR_N, NULL}, {"asin", T_STR_N, NULL},
      {"packaging", T_STR_N, NULL}, {"text_representation", T_OBJ_N, &text_rep},
      {"artist_credit", T_LIST, &credit}, {"artist_credit_name", T_STR_N, NULL},
      {"release_group", T_OBJ_N, &rg_ref}, {"release_events", T_LIST, &release_event},
      {"label_info", T_LIST, &label_info}, {"media", T_LIST, &medium},
      {"track_count", T_NUM_N, NULL}, {"cover_art_archive", T_OBJ_N, &caa},
      {"genres", T_LIST, &counted}, {"tags", T_LIST, &counted}, {"links", T_LIST, &link},
      {"external_ids", T_EXT, NULL});

SHAPE(rec_release, {"id", T_MBID, NULL}, {"title", T_STR_N, NULL}, {"status", T_STR_N, NULL},
      {"date", T_DATE_N, NULL}, {"country", T_STR_N, NULL}, {"release_group", T_OBJ_N, &rg_ref});
SHAPE(recording, {"id", T_MBID, NULL}, {"kind", T_STR, NULL}, {"title", T_STR_N, NULL},
      {"disambiguation", T_STR_N, NULL}, {"length_ms", T_NUM_N, NULL}, {"video", T_BOOL_N, NULL},
      {"first_release_date", T_DATE_N, NULL}, {"artist_credit", T_LIST, &credit},
      {"artist_credit_name", T_STR_N, NULL}, {"isrcs", T_STRS, NULL},
      {"releases", T_LIST, &rec_release}, {"genres", T_LIST, &counted}, {"tags", T_LIST, &counted},
      {"rating", T_OBJ_N, &rating}, {"links", T_LIST, &link}, {"external_ids", T_EXT, NULL});

SHAPE(browse, {"id", T_MBID_N, NULL}, {"kind", T_STR, NULL},
      {"release_groups", T_LIST, &rg_summary}, {"count", T_NUM_N, NULL}, {"offset", T_NUM_N, NULL});

static const struct shape *const entity_shapes[MB_ENTITY__COUNT] = {
	[MB_ARTIST] = &artist,
	[MB_RELEASE_GROUP] = &release_group,
	[MB_RELEASE] = &release,
	[MB_RECORDING] = &recording,
};

/* Where a problem is, as a path like "media[0].tracks[2].title", and what it is. */
struct check {
	char path[256];
	char *where;
	size_t size;
};

static bool fail(struct check *c, const char *what)
{
	if (c->size)
		snprintf(c->where, c->size, "%s: %s", c->path[0] ? c->path : "(root)", what);
	return false;
}

static size_t push(struct check *c, const char *key, int index)
{
	size_t len = strlen(c->path);

	if (key)
		snprintf(c->path + len, sizeof(c->path) - len, "%s%s", len ? "." : "", key);
	else
		snprintf(c->path + len, sizeof(c->path) - len, "[%d]", index);
	return len;
}

static void pop(struct check *c, size_t len)
{
	c->path[len] = '\0';
}

static bool check_shape(struct check *c, const cJSON *obj, const struct shape *s, bool scored);

static bool valid_string(const cJSON *v, bool nonempty)
{
	return cJSON_IsString(v) && json_utf8_valid(v->valuestring, strlen(v->valuestring)) &&
	       (!nonempty || v->valuestring[0]);
}

static bool date_ok(const char *s)
{
	size_t n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

static bool mbid_ok(const cJSON *v)
{
	char id[MB_MBID_LEN + 1];

	return cJSON_IsString(v) && mb_normalize_mbid(v->valuestring, id) == ERR_OK &&
	       strcmp(id, v->valuestring) == 0;
}

static bool check_strings(struct check *c, const cJSON *arr)
{
	const cJSON *item;
	int i = 0;

	if (!cJSON_IsArray(arr))
		return fail(c, "not an array");
	cJSON_ArrayForEach(item, arr)
	{
		size_t len = push(c, NULL, i++);

		if (!valid_string(item, true))
			return fail(c, "not a non-empty UTF-8 string");
		pop(c, len);
	}
	return true;
}

static bool check_list(struct check *c, const cJSON *arr, const struct shape *s, bool scored)
{
	const cJSON *item;
	int i = 0;

	if (!cJSON_IsArray(arr))
		return fail(c, "not an array");
	cJSON_ArrayForEach(item, arr)
	{
		size_t len = push(c, NULL, i++);

		if (!check_shape(c, item, s, scored))
			return false;
		pop(c, len);
	}
	return true;
}

static bool check_ext(struct check *c, const cJSON *obj)
{
	const cJSON *ns;

	if (!cJSON_IsObject(obj))
		return fail(c, "not an object");
	cJSON_ArrayForEach(ns, obj)
	{
		size_t len = push(c, ns->string, 0);

		if (!check_strings(c, ns))
			return false;
		pop(c, len);
	}
	return true;
}

static bool check_value(struct check *c, const cJSON *v, const struct field *f)
{
	bool null = cJSON_IsNull(v);

	switch (f->ty) {
	case T_STR:
		return valid_string(v, false) || fail(c, "not a UTF-8 string");
	case T_STR_N:
		return null || valid_string(v, false) || fail(c, "not a UTF-8 string or null");
	case T_DATE_N:
		return null || (valid_string(v, false) && date_ok(v->valuestring)) ||
		       fail(c, "not a partial date or null");
	case T_MBID:
		return mbid_ok(v) || fail(c, "not a lowercase MBID");
	case T_MBID_N:
		return null || mbid_ok(v) || fail(c, "not a lowercase MBID or null");
	case T_NUM_N:
		return null || cJSON_IsNumber(v) || fail(c, "not a number or null");
	case T_BOOL:
		return cJSON_IsBool(v) || fail(c, "not a boolean");
	case T_BOOL_N:
		return null || cJSON_IsBool(v) || fail(c, "not a boolean or null");
	case T_STRS:
		return check_strings(c, v);
	case T_LIST:
		return check_list(c, v, f->sub, false);
	case T_OBJ_N:
		if (null)
			return true;
		/* fall through */
	case T_OBJ:
		return check_shape(c, v, f->sub, false);
	case T_EXT:
		return check_ext(c, v);
	}
	return fail(c, "unknown type");
}

/* obj has exactly the members of s (plus "score" when scored), each well typed. */
static bool check_shape(struct check *c, const cJSON *obj, const struct shape *s, bool scored)
{
	size_t want = s->n + (scored ? 1 : 0);

	if (!cJSON_IsObject(obj))
		return fail(c, "not an object");
	if ((size_t)cJSON_GetArraySize(obj) != want)
		return fail(c, "unexpected or missing members");
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, s->f[i].key);
		size_t len = push(c, s->f[i].key, 0);

		if (!v)
			return fail(c, "missing");
		if (!check_value(c, v, &s->f[i]))
			return false;
		pop(c, len);
	}
	if (scored) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "score");

		if (!v || (!cJSON_IsNull(v) && !cJSON_IsNumber(v)))
			return fail(c, "score is not a number or null");
	}
	return true;
}

static bool check_search(struct check *c, const cJSON *doc)
{
	enum mb_entity e;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "id");
	size_t len;

	if (cJSON_GetArraySize(doc) != 6 || !cJSON_IsNull(v))
		return fail(c, "search members are id (null), kind, type, results, count, offset");
	if (mb_entity_from_name(json_get_string(doc, "type"), &e) != ERR_OK)
		return fail(c, "search type is not an entity");
	if (!cJSON_IsNull(json_get(doc, "count")) && !cJSON_IsNumber(json_get(doc, "count")))
		return fail(c, "count is not a number or null");
	if (!cJSON_IsNull(json_get(doc, "offset")) && !cJSON_IsNumber(json_get(doc, "offset")))
		return fail(c, "offset is not a number or null");
	len = push(c, "results", 0);
	if (!check_list(c, json_get(doc, "results"), entity_shapes[e], true))
		return false;
	pop(c, len);
	return true;
}

enum err mb_check_document(const cJSON *doc, char *where, size_t size)
{
	struct check c = {.path = "", .where = where, .size = size};
	const char *kind = json_get_string(doc, "kind");
	enum mb_entity e;
	bool ok;

	if (size)
		where[0] = '\0';
	if (!kind || !json_get(doc, "id"))
		ok = fail(&c, "not an object with id and kind");
	else if (strcmp(kind, "search") == 0)
		ok = check_search(&c, doc);
	else if (strcmp(kind, "release-group-list") == 0)
		ok = check_shape(&c, doc, &browse, false);
	else if (mb_entity_from_name(kind, &e) == ERR_OK)
		ok = check_shape(&c, doc, entity_shapes[e], false);
	else
		ok = fail(&c, "unknown kind");
	return ok ? ERR_OK : ERR_INVALID_ARGUMENT;
}
