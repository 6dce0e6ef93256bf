/*
 * musicbrainz_search.c - MusicBrainz list bodies (search results, an
 * artist's release groups) and error bodies.
 *
 * A list document wraps entity documents built by musicbrainz_lookup.c,
 * with the paging MusicBrainz reported. Search results keep every member of
 * the entity's document (filled as far as a search body goes) plus the
 * score; browse items use the light summary form. This file builds no URLs
 * and follows no pages: the caller decides what to fetch next.
 */
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "musicbrainz_int.h"

#define MB_MAX_TOTAL 1000000000000LL /* counts and offsets past this read as absent */

/* The list member of a search body, by entity. */
static const char *const search_lists[MB_ENTITY__COUNT] = {
	[MB_ARTIST] = "artists",
	[MB_RELEASE_GROUP] = "release-groups",
	[MB_RELEASE] = "releases",
	[MB_RECORDING] = "recordings",
};

/* A search score: a number 0..100, or the same as a string (older bodies). */
static void put_score(cJSON *dst, const cJSON *src)
{
	const char *s = json_get_string(src, "score");
	long long v;
	double d;
	char *end;

	if (json_get_int(src, "score", 0, 100, &v)) {
		d = (double)v;
		json_add_number_or_null(dst, "score", &d);
		return;
	}
	if (s && s[0] >= '0' && s[0] <= '9') {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 100) {
			d = (double)v;
			json_add_number_or_null(dst, "score", &d);
			return;
		}
	}
	json_add_null(dst, "score");
}

/* doc.<key> = [entities of list, built in shape], with a score when scored. */
static void put_entities(cJSON *doc, const char *key, enum mb_entity e, const cJSON *list,
			 enum mb_shape shape, bool scored)
{
	cJSON *arr = json_add_array(doc, key);
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
	{
		cJSON *out = mb_build_entity(e, item, shape);

		if (!out)
			continue; /* not an object, or no valid id */
		if (scored)
			put_score(out, item);
		json_append(arr, out);
	}
}

enum err mb_parse_search(enum mb_entity e, const char *body, size_t len, cJSON **out,
			 const char **why)
{
	cJSON *root = NULL, *doc;
	const cJSON *list;
	enum err err;

	*out = NULL;
	err = mb_parse_entity_object(e, body, len, &root, why);
	if (err != ERR_OK)
		return err;
	list = json_get_array(root, search_lists[e]);
	if (!list) {
		cJSON_Delete(root);
		*why = "search body without its result list";
		return MB_ERR_BAD_BODY;
	}
	doc = mb_doc_new("search", NULL);
	json_add_string_or_null(doc, "type", mb_entity_name(e));
	put_entities(doc, "results", e, list, MB_SHAPE_FULL, true);
	mb_put_int(doc, "count", root, "count", 0, MB_MAX_TOTAL);
	mb_put_int(doc, "offset", root, "offset", 0, MB_MAX_TOTAL);
	cJSON_Delete(root);
	*out = doc;
	return ERR_OK;
}

enum err mb_parse_browse_release_groups(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *root = NULL, *doc;
	const cJSON *list;
	enum err err;

	*out = NULL;
	err = mb_parse_object(body, len, &root, why);
	if (err != ERR_OK)
		return err;
	list = json_get_array(root, "release-groups");
	if (!list) {
		cJSON_Delete(root);
		*why = "browse body without release-groups";
		return MB_ERR_BAD_BODY;
	}
	doc = mb_doc_new("release-group-list", NULL);
	put_entities(doc, "release_groups", MB_RELEASE_GROUP, list, MB_SHAPE_SUMMARY, false);
	mb_put_int(doc, "count", root, "release-group-count", 0, MB_MAX_TOTAL);
	mb_put_int(doc, "offset", root, "release-group-offset", 0, MB_MAX_TOTAL);
	cJSON_Delete(root);
	*out = doc;
	return ERR_OK;
}

/* Copy s into msg (size > 0 bytes) as valid UTF-8, controls as spaces, cut on a boundary. */
static void copy_message(char *msg, size_t size, const char *s)
{
	cJSON *clean = json_new_string(s);
	const char *c = clean->valuestring;
	size_t n = strlen(c);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)c[n] & 0xc0) == 0x80)
			n--; /* c[n] would start the cut-off part: keep its sequence whole */
	}
	for (size_t i = 0; i < n; i++)
		msg[i] = ((unsigned char)c[i] < 0x20 || c[i] == 0x7f) ? ' ' : c[i];
	msg[n] = '\0';
	cJSON_Delete(clean);
}

enum err mb_parse_error(const char *body, size_t len, char *msg, size_t size)
{
	cJSON *root = NULL;
	const char *why, *s;
	enum err err;

	if (size)
		msg[0] = '\0';
	err = mb_parse_object(body, len, &root, &why);
	if (err != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	s = json_get_string(root, "error");
	if (s && size)
		copy_message(msg, size, s);
	cJSON_Delete(root);
	return s ? ERR_OK : ERR_INVALID_ARGUMENT;
}
