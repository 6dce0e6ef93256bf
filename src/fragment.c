/*
 * fragment.c - the enrichment fragments' shapes as tables, their builders,
 * and the checker. See fragment.h; the tables below are its prose in
 * executable form.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/shape.h"

static const char *const image_type_names[] = {
#define IMAGE_TYPE_NAME_ROW(id, name) name,
	IMAGE_TYPE_LIST(IMAGE_TYPE_NAME_ROW)
#undef IMAGE_TYPE_NAME_ROW
};

const char *image_type_name(enum image_type t)
{
	return (unsigned)t < IMAGE_TYPE__COUNT ? image_type_names[t] : NULL;
}

enum err image_type_from_name(const char *name, enum image_type *out)
{
	for (unsigned i = 0; name && i < IMAGE_TYPE__COUNT; i++)
		if (strcmp(name, image_type_names[i]) == 0) {
			*out = (enum image_type)i;
			return ERR_OK;
		}
	return ERR_INVALID_ARGUMENT;
}

/* Shapes ------------------------------------------------------------------- */

SHAPE(image, {"url", SH_URL, NULL}, {"type", SH_STR_NE, NULL}, {"types", SH_STRS, NULL},
      {"width", SH_COUNT_N, NULL}, {"height", SH_COUNT_N, NULL}, {"language", SH_STR_N, NULL},
      {"likes", SH_COUNT_N, NULL}, {"thumbnails", SH_URLMAP, NULL});
SHAPE(biography, {"text", SH_STR_NE, NULL}, {"summary", SH_STR_N, NULL},
      {"language", SH_STR_N, NULL}, {"url", SH_URL_N, NULL}, {"attribution", SH_STR_N, NULL});
SHAPE(counted, {"name", SH_STR_NE, NULL}, {"count", SH_COUNT_N, NULL});
SHAPE(similar, {"name", SH_STR_NE, NULL}, {"id", SH_STR_N, NULL}, {"mbid", SH_MBID_N, NULL},
      {"url", SH_URL_N, NULL}, {"score", SH_NUM_N, NULL});
SHAPE(top_track, {"title", SH_STR_NE, NULL}, {"artist", SH_STR_N, NULL}, {"id", SH_STR_N, NULL},
      {"mbid", SH_MBID_N, NULL}, {"isrc", SH_STR_N, NULL}, {"duration_ms", SH_COUNT_N, NULL},
      {"url", SH_URL_N, NULL}, {"rank", SH_COUNT_N, NULL});
SHAPE(track, {"title", SH_STR_NE, NULL}, {"position", SH_COUNT_N, NULL}, {"disc", SH_COUNT_N, NULL},
      {"duration_ms", SH_COUNT_N, NULL}, {"isrc", SH_STR_N, NULL}, {"id", SH_STR_N, NULL});

SHAPE(entity_shape, {"provider", SH_STR_NE, NULL}, {"kind", SH_STR_NE, NULL},
      {"id", SH_STR_NE, NULL}, {"url", SH_URL_N, NULL}, {"name", SH_STR_N, NULL},
      {"artist", SH_STR_N, NULL}, {"album", SH_STR_N, NULL}, {"duration_ms", SH_COUNT_N, NULL},
      {"date", SH_DATE_N, NULL}, {"images", SH_LIST, &image}, {"biographies", SH_LIST, &biography},
      {"popularity", SH_NUMMAP, NULL}, {"genres", SH_LIST, &counted}, {"tags", SH_LIST, &counted},
      {"similar", SH_LIST, &similar}, {"top_tracks", SH_LIST, &top_track},
      {"tracks", SH_LIST, &track}, {"ids", SH_IDMAP, NULL}, {"extra", SH_SCALARS, NULL});

SHAPE(cover_art, {"provider", SH_STR_NE, NULL}, {"kind", SH_STR_NE, NULL}, {"id", SH_MBID, NULL},
      {"url", SH_URL_N, NULL}, {"images", SH_LIST, &image});

SHAPE(lyrics, {"provider", SH_STR_NE, NULL}, {"kind", SH_STR_NE, NULL}, {"id", SH_STR_NE, NULL},
      {"name", SH_STR_N, NULL}, {"artist", SH_STR_N, NULL}, {"album", SH_STR_N, NULL},
      {"duration_ms", SH_COUNT_N, NULL}, {"instrumental", SH_BOOL, NULL}, {"plain", SH_STR_N, NULL},
      {"synced", SH_STR_N, NULL});

static const char *const entity_kinds[] = {"artist", "release-group", "release", "recording"};

static bool is_entity_kind(const char *kind)
{
	for (size_t i = 0; kind && i < ARRAY_SIZE(entity_kinds); i++)
		if (strcmp(kind, entity_kinds[i]) == 0)
			return true;
	return false;
}

/* Builders ----------------------------------------------------------------- */

cJSON *fragment_new_entity(const char *provider, const char *kind, const char *id)
{
	cJSON *f = json_new_object();

	json_add_string_or_null(f, "provider", provider);
	json_add_string_or_null(f, "kind", kind);
	json_add_string_or_null(f, "id", id);
	json_add_null(f, "url");
	json_add_null(f, "name");
	json_add_null(f, "artist");
	json_add_null(f, "album");
	json_add_null(f, "duration_ms");
	json_add_null(f, "date");
	json_add_array(f, "images");
	json_add_array(f, "biographies");
	json_add_object(f, "popularity");
	json_add_array(f, "genres");
	json_add_array(f, "tags");
	json_add_array(f, "similar");
	json_add_array(f, "top_tracks");
	json_add_array(f, "tracks");
	json_add_object(f, "ids");
	json_add_object(f, "extra");
	return f;
}

cJSON *fragment_new_candidates(const char *provider, const char *entity)
{
	cJSON *f = json_new_object();

	json_add_string_or_null(f, "provider", provider);
	json_add_string_or_null(f, "kind", "candidates");
	json_add_string_or_null(f, "entity", entity);
	json_add_array(f, "items");
	return f;
}

bool fragment_url_ok(const char *s)
{
	return s && shape_url_ok(s) && json_utf8_valid(s, strlen(s));
}

cJSON *fragment_add_image(cJSON *arr, const char *url, enum image_type type, int width, int height)
{
	const char *name = image_type_name(type);
	cJSON *img;
	double w = width, h = height;

	if (!fragment_url_ok(url) || !name)
		return NULL;
	img = json_new_object();
	json_add_string_or_null(img, "url", url);
	json_add_string_or_null(img, "type", name);
	json_append(json_add_array(img, "types"), json_new_string(name));
	json_add_number_or_null(img, "width", width > 0 ? &w : NULL);
	json_add_number_or_null(img, "height", height > 0 ? &h : NULL);
	json_add_null(img, "language");
	json_add_null(img, "likes");
	json_add_object(img, "thumbnails");
	json_append(arr, img);
	return img;
}

void fragment_add_id(cJSON *ids, const char *scheme, const char *s)
{
	cJSON *list;
	const cJSON *item;

	if (!s || !s[0] || !scheme || !scheme[0])
		return;
	list = cJSON_GetObjectItemCaseSensitive(ids, scheme);
	if (!cJSON_IsArray(list))
		list = json_add_array(ids, scheme);
	cJSON_ArrayForEach(item, list)
	{
		if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
			return;
	}
	json_append(list, json_new_string(s));
}

/* Checker ------------------------------------------------------------------ */

static bool check_candidates(struct shape_walk *w, const cJSON *frag)
{
	const char *entity = json_get_string(frag, "entity");
	const cJSON *items = json_get(frag, "items");
	const struct shape *item_shape;
	const cJSON *item;
	size_t top;
	int i = 0;

	if (cJSON_GetArraySize(frag) != 4 || !json_get_string(frag, "provider"))
		return shape_fail(w, "candidates members are provider, kind, entity, items");
	if (!entity || (!is_entity_kind(entity) && strcmp(entity, "lyrics") != 0))
		return shape_fail(w, "entity is not an entity kind or lyrics");
	if (!cJSON_IsArray(items))
		return shape_fail(w, "items is not an array");
	item_shape = strcmp(entity, "lyrics") == 0 ? &lyrics : &entity_shape;
	top = shape_push(w, "items", 0);
	cJSON_ArrayForEach(item, items)
	{
		size_t mark = shape_push(w, NULL, i++);
		const char *kind = json_get_string(item, "kind");

		if (!kind || strcmp(kind, entity) != 0)
			return shape_fail(w, "item kind differs from entity");
		if (!shape_check(w, item, item_shape, 0))
			return false;
		shape_pop(w, mark);
	}
	shape_pop(w, top);
	return true;
}

enum err fragment_check(const cJSON *frag, char *where, size_t size)
{
	struct shape_walk w = SHAPE_WALK_INIT(where, size);
	const char *kind = json_get_string(frag, "kind");
	bool ok;

	if (size)
		where[0] = '\0';
	if (!kind)
		ok = shape_fail(&w, "not an object with a kind");
	else if (strcmp(kind, "candidates") == 0)
		ok = check_candidates(&w, frag);
	else if (strcmp(kind, "cover-art") == 0)
		ok = shape_check(&w, frag, &cover_art, 0);
	else if (strcmp(kind, "lyrics") == 0)
		ok = shape_check(&w, frag, &lyrics, 0);
	else if (is_entity_kind(kind))
		ok = shape_check(&w, frag, &entity_shape, 0);
	else
		ok = shape_fail(&w, "unknown kind");
	return ok ? ERR_OK : ERR_INVALID_ARGUMENT;
}
