/*
 * musicbrainz_urlrels.c - MusicBrainz's url lookup: which entities a URL
 * (a Spotify page, a Deezer album...) is related to. See musicbrainz.h.
 */
#include <string.h>

#include "medley/json.h"
#include "musicbrainz_int.h"

/* The relation target types read, and the entity each names. */
static const struct {
	const char *target;
	enum mb_entity e;
} targets[] = {
	{"artist", MB_ARTIST},
	{"release_group", MB_RELEASE_GROUP},
	{"release", MB_RELEASE},
	{"recording", MB_RECORDING},
};

enum err mb_url_lookup_url(const char *base_url, const char *resource, struct buf *out)
{
	size_t n;

	if (!base_url || !base_url[0] || !resource)
		return ERR_INVALID_ARGUMENT;
	n = strnlen(resource, MB_MAX_QUERY_BYTES + 1);
	if (n == 0 || n > MB_MAX_QUERY_BYTES || !json_utf8_valid(resource, n) ||
	    (strncmp(resource, "https://", 8) != 0 && strncmp(resource, "http://", 7) != 0))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/url?resource=", base_url);
	buf_add_pct(out, resource);
	buf_adds(out, "&inc=artist-rels+release-group-rels+release-rels+recording-rels&fmt=json");
	return buf_failed(out) ? ERR_TOO_LARGE : ERR_OK;
}

/* The related entity of rel (one of targets[]), added to list; skipped when unusable. */
static void add_relation(cJSON *list, const cJSON *rel)
{
	const char *target = json_get_string(rel, "target-type");
	char id[MB_MBID_LEN + 1];

	for (size_t i = 0; target && i < ARRAY_SIZE(targets); i++) {
		/* the member holding the entity: "release_group" in JSON, as the target type */
		const cJSON *ent = json_get_object(rel, targets[i].target);
		cJSON *item;

		if (strcmp(target, targets[i].target) != 0 &&
		    strcmp(target, mb_entity_name(targets[i].e)) != 0)
			continue;
		if (!ent || !mb_read_id(ent, id))
			return;
		item = json_new_object();
		json_add_string_or_null(item, "kind", mb_entity_name(targets[i].e));
		json_add_string_or_null(item, "id", id);
		json_add_string_or_null(item, "name",
					json_get_string(ent, "name")
						? json_get_string(ent, "name")
						: json_get_string(ent, "title"));
		json_add_string_or_null(item, "relation", json_get_string(rel, "type"));
		json_append(list, item);
		return;
	}
}

enum err mb_parse_url(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *src = NULL, *doc;
	const cJSON *rel;
	enum err e = mb_parse_object(body, len, &src, why);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	if (!json_get_string(src, "resource")) {
		cJSON_Delete(src);
		*why = "missing resource";
		return ERR_INVALID_ARGUMENT;
	}
	doc = mb_doc_new("url", NULL);
	mb_put_str(doc, "resource", src, "resource");
	json_add_array(doc, "relations");
	cJSON_ArrayForEach(rel, json_get_array(src, "relations"))
	{
		if (cJSON_GetArraySize(json_get(doc, "relations")) < (int)MB_MAX_LINKS)
			add_relation(cJSON_GetObjectItemCaseSensitive(doc, "relations"), rel);
	}
	cJSON_Delete(src);
	*out = doc;
	return ERR_OK;
}
