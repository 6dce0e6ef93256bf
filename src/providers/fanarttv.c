/*
 * fanarttv.c - fanart.tv's music API: request URLs, and its artist and
 * album answers to fragments (fragment.h).
 *
 * Builds the two v3 URLs medley sends (keys percent-encoded) and reads the
 * answers defensively: image lists of the wrong type are skipped, likes
 * arrive as strings and are read as integers, "00" languages read as none,
 * and http://assets.fanart.tv URLs are upgraded to https. It does no I/O
 * and keeps no key; the fetch engine sends the URLs and caches the answers.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "medley/fanarttv.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/provider_id.h"
#include "medley/xalloc.h"
#include "provider_int.h"

#define ASSETS_HTTP "http://assets.fanart.tv/"
#define ASSETS_HTTPS "https://assets.fanart.tv/"

/* Longest image URL kept. */
#define MAX_URL_BYTES 2048u

/* Likes and sizes past these read as absent: only hostile input gets there. */
#define MAX_LIKES 1000000000LL
#define MAX_PIXELS 100000LL

/* One fanart.tv image list and how medley names it. */
struct source {
	const char *key; /* fanart.tv's member, e.g. "hdmusiclogo" */
	enum image_type type;
};

/* In output order: every HD logo before the standard ones. */
static const struct source artist_sources[] = {
	{"artistthumb", IMAGE_THUMB},  {"artistbackground", IMAGE_BACKGROUND},
	{"hdmusiclogo", IMAGE_LOGO},   {"musiclogo", IMAGE_LOGO},
	{"musicbanner", IMAGE_BANNER},
};

static const struct source album_sources[] = {
	{"albumcover", IMAGE_FRONT},
	{"cdart", IMAGE_MEDIUM},
};

/* URLs ---------------------------------------------------------------------- */

static bool key_ok(const char *key, bool required)
{
	size_t n;

	if (!key)
		return !required;
	n = strnlen(key, FANARTTV_MAX_KEY_BYTES + 1);
	return n <= FANARTTV_MAX_KEY_BYTES && (n > 0 || !required);
}

static enum err music_url(const char *base_url, const char *path, const char *mbid,
			  const char *api_key, const char *client_key, struct buf *out)
{
	char id[MB_MBID_LEN + 1];

	assert(out);
	if (!base_url || !base_url[0] || mb_normalize_mbid(mbid, id) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	if (!key_ok(api_key, true) || !key_ok(client_key, false))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s%s?api_key=", base_url, path, id);
	buf_add_pct(out, api_key);
	if (client_key && client_key[0]) {
		buf_adds(out, "&client_key=");
		buf_add_pct(out, client_key);
	}
	return prov_built(out);
}

enum err fanarttv_artist_url(const char *base_url, const char *artist_mbid, const char *api_key,
			     const char *client_key, struct buf *out)
{
	return music_url(base_url, "music/", artist_mbid, api_key, client_key, out);
}

enum err fanarttv_album_url(const char *base_url, const char *rg_mbid, const char *api_key,
			    const char *client_key, struct buf *out)
{
	return music_url(base_url, "music/albums/", rg_mbid, api_key, client_key, out);
}

/* Images -------------------------------------------------------------------- */

struct image {
	const cJSON *src;
	long long likes; /* -1: unknown */
	int index;
};

/* Most liked first, unknown last, then fanart.tv's order. */
static int cmp_image(const void *a, const void *b)
{
	const struct image *x = a, *y = b;

	if (x->likes != y->likes)
		return x->likes > y->likes ? -1 : 1;
	return x->index - y->index;
}

/* A count in [0, max] sent as a string of digits ("18") or as a number; -1 when neither. */
static long long read_count(const cJSON *src, const char *key, long long max)
{
	long long v;

	return prov_read_count(src, key, max, &v) ? v : -1;
}

/* The image's URL, http assets upgraded to https, in b; NULL when unusable. */
static const char *image_url(const cJSON *src, struct buf *b)
{
	const char *url = json_get_string(src, "url");

	if (!url)
		return NULL;
	if (strncasecmp(url, ASSETS_HTTP, strlen(ASSETS_HTTP)) == 0) {
		buf_adds(b, ASSETS_HTTPS);
		buf_adds(b, url + strlen(ASSETS_HTTP));
	} else {
		buf_adds(b, url);
	}
	return !buf_failed(b) && fragment_url_ok(b->data) ? b->data : NULL;
}

/* https://assets.fanart.tv/fanart/... -> .../preview/... into b; NULL for other URLs. */
static const char *preview_url(const char *url, struct buf *b)
{
	const char *rest;

	if (strncmp(url, ASSETS_HTTPS "fanart/", strlen(ASSETS_HTTPS "fanart/")) != 0)
		return NULL;
	rest = url + strlen(ASSETS_HTTPS "fanart/");
	buf_reset(b);
	buf_adds(b, ASSETS_HTTPS "preview/");
	buf_adds(b, rest);
	return buf_failed(b) ? NULL : b->data;
}

/* "en" -> "en"; "00", "" and anything but two letters -> NULL (lowercased into out). */
static const char *read_language(const cJSON *src, char out[3])
{
	const char *s = json_get_string(src, "lang");

	if (!s || strlen(s) != 2)
		return NULL;
	for (int i = 0; i < 2; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return NULL;
		out[i] = c;
	}
	out[2] = '\0';
	return out;
}

/* Add one fanart.tv image to arr as medley's image of s->type; nothing when its URL is unusable. */
static void add_image(cJSON *arr, const struct image *im, const struct source *s)
{
	struct buf url, preview;
	const char *u, *p;
	long long w = read_count(im->src, "width", MAX_PIXELS);
	long long h = read_count(im->src, "height", MAX_PIXELS);
	char lang[3];
	cJSON *img;

	if (w <= 0 || h <= 0) /* v3 gives only cdart's "size" (square); v3.2 width and height */
		w = h = read_count(im->src, "size", MAX_PIXELS);
	buf_init(&url, MAX_URL_BYTES);
	buf_init(&preview, MAX_URL_BYTES + 16);
	u = image_url(im->src, &url);
	img = u ? fragment_add_image(arr, u, s->type, w > 0 ? (int)w : 0, h > 0 ? (int)h : 0)
		: NULL;
	if (img) {
		json_append(prov_member(img, "types"), json_new_string(s->key));
		prov_set(img, "language", json_new_string(read_language(im->src, lang)));
		if (im->likes >= 0)
			prov_set(img, "likes", cJSON_CreateNumber((double)im->likes));
		p = preview_url(u, &preview);
		if (fragment_url_ok(p))
			json_add_string_or_null(prov_member(img, "thumbnails"), "small", p);
	}
	buf_release(&preview);
	buf_release(&url);
}

/* src[s->key] -> images of arr, most liked first. */
static void put_images(cJSON *arr, const cJSON *src, const struct source *s)
{
	const cJSON *list = json_get_array(src, s->key), *item;
	struct image *ims = xcalloc(FANARTTV_MAX_IMAGES_PER_TYPE, sizeof(*ims));
	int n = 0;

	cJSON_ArrayForEach(item, list)
	{
		if (n == FANARTTV_MAX_IMAGES_PER_TYPE)
			break;
		if (!cJSON_IsObject(item))
			continue;
		ims[n].src = item;
		ims[n].likes = read_count(item, "likes", MAX_LIKES);
		ims[n].index = n;
		n++;
	}
	qsort(ims, (size_t)n, sizeof(*ims), cmp_image);
	for (int i = 0; i < n; i++)
		add_image(arr, &ims[i], s);
	xfree(ims);
}

/* Bodies -------------------------------------------------------------------- */

/* {"status": "error", "error message": "..."} -> its error, with *why; ERR_OK when not one. */
static enum err error_body(const cJSON *root, const char **why)
{
	const char *status = json_get_string(root, "status");
	const char *msg = json_get_string(root, "error message");

	if (!msg && !(status && strcmp(status, "error") == 0))
		return ERR_OK;
	if (msg && strcasestr(msg, "not found")) {
		*why = "fanart.tv has no such entity (Not found)";
		return ERR_NOT_FOUND;
	}
	if (msg && strcasestr(msg, "api key")) {
		*why = "fanart.tv refused the API key";
		return ERR_INVALID_ARGUMENT;
	}
	*why = "fanart.tv answered an error";
	return ERR_INVALID_ARGUMENT;
}

static enum err parse_object(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *root = NULL;
	enum err e;

	*out = NULL;
	e = json_parse(body, len, FANARTTV_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		return e;
	if (!cJSON_IsObject(root)) {
		*why = "body is not a JSON object";
		e = ERR_INVALID_ARGUMENT;
	} else {
		e = error_body(root, why);
	}
	if (e != ERR_OK) {
		cJSON_Delete(root);
		return e;
	}
	*out = root;
	return ERR_OK;
}

static cJSON *new_entity(const char *kind, const char *id)
{
	cJSON *frag = fragment_new_entity(provider_name(PROVIDER_FANARTTV), kind, id);

	fragment_add_id(prov_member(frag, "ids"), "mbid", id);
	return frag;
}

enum err fanarttv_parse_artist(const char *body, size_t len, cJSON **out, const char **why)
{
	char id[MB_MBID_LEN + 1];
	cJSON *root = NULL, *frag, *images;
	enum err e;

	*out = NULL;
	e = parse_object(body, len, &root, why);
	if (e != ERR_OK)
		return e;
	if (mb_normalize_mbid(json_get_string(root, "mbid_id"), id) != ERR_OK) {
		*why = "missing or invalid mbid_id";
		cJSON_Delete(root);
		return ERR_INVALID_ARGUMENT;
	}
	frag = new_entity("artist", id);
	prov_set_text(frag, "name", json_get_string(root, "name"));
	images = prov_member(frag, "images");
	for (size_t i = 0; i < ARRAY_SIZE(artist_sources); i++)
		put_images(images, root, &artist_sources[i]);
	cJSON_Delete(root);
	*out = frag;
	return ERR_OK;
}

/* The albums entry of release group id (lowercase): map (v3) or array (v3.2) form. */
static const cJSON *find_album(const cJSON *root, const char *id)
{
	const cJSON *albums = json_get(root, "albums"), *a;
	char key[MB_MBID_LEN + 1];

	cJSON_ArrayForEach(a, albums)
	{
		const char *name =
			cJSON_IsArray(albums) ? json_get_string(a, "release_group_id") : a->string;

		if (cJSON_IsObject(a) && mb_normalize_mbid(name, key) == ERR_OK &&
		    strcmp(key, id) == 0)
			return a;
	}
	return NULL;
}

enum err fanarttv_parse_album(const char *body, size_t len, const char *rg_mbid, cJSON **out,
			      const char **why)
{
	char id[MB_MBID_LEN + 1], artist[MB_MBID_LEN + 1];
	const cJSON *album;
	cJSON *root = NULL, *frag, *images;
	enum err e;

	*out = NULL;
	if (mb_normalize_mbid(rg_mbid, id) != ERR_OK) {
		*why = "invalid release group MBID";
		return ERR_INVALID_ARGUMENT;
	}
	e = parse_object(body, len, &root, why);
	if (e != ERR_OK)
		return e;
	album = find_album(root, id);
	if (!album) {
		*why = "no art for this release group in the answer";
		cJSON_Delete(root);
		return ERR_NOT_FOUND;
	}
	frag = new_entity("release-group", id);
	prov_set_text(frag, "artist", json_get_string(root, "name"));
	if (mb_normalize_mbid(json_get_string(root, "mbid_id"), artist) == ERR_OK)
		json_add_string_or_null(prov_member(frag, "extra"), "artist_mbid", artist);
	images = prov_member(frag, "images");
	for (size_t i = 0; i < ARRAY_SIZE(album_sources); i++)
		put_images(images, album, &album_sources[i]);
	cJSON_Delete(root);
	*out = frag;
	return ERR_OK;
}
