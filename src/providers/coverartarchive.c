/*
 * coverartarchive.c - Cover Art Archive request URLs, the listing parser
 * and the image chooser (see coverartarchive.h).
 *
 * The parser turns CAA's JSON listing into a "cover-art" fragment: it
 * ranks the images (front, back, the rest; approved first within each),
 * maps CAA's image types onto medley's, and keeps only usable URLs. It
 * knows no host and does no I/O: the fetch engine sends the URLs and hands
 * the body over; the aggregator merges the fragment.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "medley/coverartarchive.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/provider_id.h"
#include "provider_int.h"

/* Longest CAA type name we keep ("Matrix/Runout" is the longest real one). */
#define CAA_MAX_TYPE_BYTES 64u

/* The ranks images are listed in. */
enum caa_rank {
	RANK_FRONT,
	RANK_BACK,
	RANK_OTHER,
	RANK__COUNT
};

/* Thumbnail keys kept in an image, and the size each stands for. */
static const struct {
	const char *key;
	int px;
} thumb_keys[] = {
	{"250", 250}, {"small", 250}, {"500", 500}, {"large", 500}, {"1200", 1200},
};

/* ---- request URLs ------------------------------------------------------- */

static enum err entity_url(const char *base_url, const char *entity, const char *mbid,
			   struct buf *out)
{
	char id[MB_MBID_LEN + 1];

	assert(out);
	if (!base_url || !base_url[0] || mb_normalize_mbid(mbid, id) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s/%s", base_url, entity, id);
	return prov_built(out);
}

enum err caa_release_url(const char *base_url, const char *mbid, struct buf *out)
{
	return entity_url(base_url, "release", mbid, out);
}

enum err caa_release_group_url(const char *base_url, const char *mbid, struct buf *out)
{
	return entity_url(base_url, "release-group", mbid, out);
}

/* ---- reading an image --------------------------------------------------- */

/* A type name lowercased (ASCII only) into out; false if empty or too long. */
static bool lower_type(const char *s, char out[CAA_MAX_TYPE_BYTES + 1])
{
	size_t n = s ? strnlen(s, CAA_MAX_TYPE_BYTES + 1) : 0;

	if (n == 0 || n > CAA_MAX_TYPE_BYTES)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[n] = '\0';
	return true;
}

/* The image's type: from the front/back flags, else its first type. */
static enum image_type image_type_of(const cJSON *src)
{
	static const enum image_type known[] = {IMAGE_FRONT, IMAGE_BACK, IMAGE_BOOKLET,
						IMAGE_MEDIUM};
	const char *first = json_string_value(cJSON_GetArrayItem(json_get_array(src, "types"), 0));
	char name[CAA_MAX_TYPE_BYTES + 1];
	bool flag;

	if (json_get_bool(src, "front", &flag) && flag)
		return IMAGE_FRONT;
	if (json_get_bool(src, "back", &flag) && flag)
		return IMAGE_BACK;
	if (!lower_type(first, name))
		return IMAGE_OTHER;
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(name, image_type_name(known[i])) == 0)
			return known[i];
	return IMAGE_OTHER;
}

static enum caa_rank rank_of(enum image_type t)
{
	return t == IMAGE_FRONT ? RANK_FRONT : t == IMAGE_BACK ? RANK_BACK : RANK_OTHER;
}

static bool approved(const cJSON *src)
{
	bool v = false;

	return json_get_bool(src, "approved", &v) && v;
}

/* img.types = src's types lowercased, unless it has none (then [type] stays). */
static void put_types(cJSON *img, const cJSON *src)
{
	cJSON *types = json_new_array();
	const cJSON *t;
	int n = 0;

	cJSON_ArrayForEach(t, json_get_array(src, "types"))
	{
		char name[CAA_MAX_TYPE_BYTES + 1];

		if (n >= (int)CAA_MAX_TYPES)
			break;
		if (lower_type(json_string_value(t), name) && json_utf8_valid(name, strlen(name)) &&
		    prov_append_unique(types, name))
			n++;
	}
	if (n == 0)
		cJSON_Delete(types);
	else
		prov_set(img, "types", types);
}

static void put_thumbnails(cJSON *img, const cJSON *src)
{
	const cJSON *thumbs = json_get_object(src, "thumbnails");
	cJSON *dst = prov_member(img, "thumbnails");

	for (size_t i = 0; i < ARRAY_SIZE(thumb_keys); i++) {
		const char *url = json_get_string(thumbs, thumb_keys[i].key);

		if (fragment_url_ok(url))
			json_add_string_or_null(dst, thumb_keys[i].key, url);
	}
}

/* The image of src, unless its "image" is not an http(s) URL (fragment_add_image() checks). */
static void add_image(cJSON *arr, const cJSON *src, enum image_type type)
{
	cJSON *img = fragment_add_image(arr, json_get_string(src, "image"), type, 0, 0);

	if (!img)
		return;
	put_types(img, src);
	put_thumbnails(img, src);
}

/* Every image of src's list, in rank order: rank, then approved, then the body's order. */
static void put_images(cJSON *frag, const cJSON *list)
{
	cJSON *arr = json_add_array(frag, "images");

	for (int rank = 0; rank < RANK__COUNT; rank++) {
		for (int pass = 0; pass < 2; pass++) {
			const cJSON *src;

			cJSON_ArrayForEach(src, list)
			{
				enum image_type t;

				if (!cJSON_IsObject(src) || approved(src) != (pass == 0))
					continue;
				t = image_type_of(src);
				if ((int)rank_of(t) == rank)
					add_image(arr, src, t);
			}
		}
	}
}

/* ---- the listing -------------------------------------------------------- */

/* The MBID after the last "/release/" of url (up to '/', '?', '#' or the end), lowercased. */
static bool release_id(const char *url, char id[MB_MBID_LEN + 1])
{
	static const char marker[] = "/release/";
	const char *last = NULL, *p = url;
	char seg[MB_MBID_LEN + 1];
	size_t n;

	if (!url)
		return false;
	while ((p = strstr(p, marker)) != NULL) {
		last = p + strlen(marker);
		p++;
	}
	if (!last)
		return false;
	n = strcspn(last, "/?#");
	if (n != MB_MBID_LEN)
		return false;
	memcpy(seg, last, n);
	seg[n] = '\0';
	return mb_normalize_mbid(seg, id) == ERR_OK;
}

/* CAA's HTML "No cover art found for release ..." page (404, or 200 through some proxies). */
static bool is_not_found_page(const char *body, size_t len)
{
	static const char needle[] = "No cover art found";
	size_t i = 0;

	while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
		i++;
	if (i == len || (body[i] != '<' && body[i] != 'N'))
		return false;
	return memmem(body + i, len - i, needle, sizeof(needle) - 1) != NULL;
}

enum err caa_parse(const char *body, size_t len, cJSON **out, const char **why)
{
	char id[MB_MBID_LEN + 1];
	cJSON *root = NULL, *frag = NULL;
	const char *release;
	const cJSON *images;
	enum err e;

	*out = NULL;
	if (len <= CAA_MAX_BODY_BYTES && is_not_found_page(body, len)) {
		*why = "no cover art";
		return ERR_NOT_FOUND;
	}
	e = json_parse(body, len, CAA_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		goto out;
	e = ERR_INVALID_ARGUMENT;
	if (!cJSON_IsObject(root)) {
		*why = "body is not an object";
		goto out;
	}
	images = json_get_array(root, "images");
	if (!images) {
		*why = "missing images";
		goto out;
	}
	release = json_get_string(root, "release");
	if (!release_id(release, id)) {
		*why = "missing release";
		goto out;
	}
	frag = json_new_object();
	json_add_string_or_null(frag, "provider", provider_name(PROVIDER_COVERARTARCHIVE));
	json_add_string_or_null(frag, "kind", "cover-art");
	json_add_string_or_null(frag, "id", id);
	json_add_string_or_null(frag, "url", fragment_url_ok(release) ? release : NULL);
	put_images(frag, images);
	*out = frag;
	frag = NULL;
	e = ERR_OK;
out:
	cJSON_Delete(root);
	return e;
}

/* ---- choosing ----------------------------------------------------------- */

static const char *image_at(const cJSON *img, int size)
{
	const cJSON *thumbs = json_get_object(img, "thumbnails");

	for (size_t i = 0; size > 0 && i < ARRAY_SIZE(thumb_keys); i++) {
		const char *url;

		if (thumb_keys[i].px < size)
			continue;
		url = json_get_string(thumbs, thumb_keys[i].key);
		if (fragment_url_ok(url))
			return url;
	}
	return json_get_string(img, "url");
}

const char *caa_pick(const cJSON *frag, enum image_type type, int size)
{
	const char *name = image_type_name(type), *kind = json_get_string(frag, "kind");
	const cJSON *img;

	if (!name || size < 0 || !kind || strcmp(kind, "cover-art") != 0)
		return NULL;
	cJSON_ArrayForEach(img, json_get_array(frag, "images"))
	{
		const char *t = json_get_string(img, "type");

		if (t && strcmp(t, name) == 0)
			return image_at(img, size);
	}
	return NULL;
}
