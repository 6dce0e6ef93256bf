/*
 * deezer.c - Deezer's JSON to fragments.
 *
 * One builder per entity (artist, album, track) reads a Deezer object, so a
 * lookup body and a search item of the same entity give the same fragment;
 * top tracks and related artists fill an artist fragment's lists. Every
 * parser first looks for Deezer's error envelope, which comes with HTTP
 * 200. This file builds no URL (deezer_url.c) and does no I/O: see
 * deezer.h.
 */
#include <stdio.h>
#include <string.h>

#include "deezer_int.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/provider_id.h"
#include "provider_int.h"

/* Bounds that only hostile input reaches; past them a value reads as absent. */
#define DZ_MAX_SECONDS 100000000LL /* ~3 years */
#define DZ_MAX_COUNT PROV_MAX_EXACT
#define DZ_MAX_POSITION 100000LL

/* A decimal id of up to 16 digits, plus a NUL. */
#define DZ_ID_SIZE 24

/* ---- reading Deezer's values -------------------------------------------- */

/* src[key] as a decimal id (Deezer sends numbers; digit strings pass too). */
static bool read_id(const cJSON *src, const char *key, char out[DZ_ID_SIZE])
{
	return prov_read_id(src, key, DEEZER_MAX_ID_DIGITS, out, DZ_ID_SIZE);
}

/*
 * True if s is an absolute http(s) URL in UTF-8 whose path has no empty
 * segment: Deezer's placeholder picture has an empty hash
 * (".../images/artist//250x250-000000-80-0-0.jpg").
 */
static bool usable_url(const char *s)
{
	const char *path;
	size_t n;

	if (!fragment_url_ok(s))
		return false;
	path = strstr(s, "://") + 3;
	path += strcspn(path, "/?#");
	n = strcspn(path, "?#");
	for (size_t i = 0; i + 1 < n; i++)
		if (path[i] == '/' && path[i + 1] == '/')
			return false;
	return true;
}

/*
 * Values for fragment members: each returns a new item, null when src has
 * no usable value (json_new_string(NULL) is a null item).
 */
static cJSON *v_text(const cJSON *src, const char *key)
{
	return json_new_string(prov_text(src, key));
}

static cJSON *v_url(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);

	return json_new_string(usable_url(s) ? s : NULL);
}

static cJSON *v_id(const cJSON *src, const char *key)
{
	char id[DZ_ID_SIZE];

	return json_new_string(read_id(src, key, id) ? id : NULL);
}

/* src[key] seconds as milliseconds. */
static cJSON *v_duration(const cJSON *src, const char *key)
{
	long long s;

	return json_get_int(src, key, 0, DZ_MAX_SECONDS, &s)
		       ? cJSON_CreateNumber((double)s * 1000.0)
		       : cJSON_CreateNull();
}

static cJSON *v_isrc(const cJSON *src, const char *key)
{
	char isrc[PROV_ISRC_LEN + 1];

	return json_new_string(prov_isrc(json_get_string(src, key), isrc) ? isrc : NULL);
}

/*
 * Deezer's "YYYY-MM-DD": "0000-00-00" is null, and a zero month or day keeps
 * only what is known ("1968-00-00" -> "1968").
 */
static cJSON *v_date(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);
	char date[PROV_DATE_SIZE];

	if (!prov_date_prefix(s, date) || s[10] != '\0')
		return cJSON_CreateNull();
	return json_new_string(date);
}

/* Members of a map (popularity, extra), only when src has a usable value. */
static void map_count(cJSON *map, const char *key, const cJSON *src, const char *src_key)
{
	prov_set_count(map, key, src, src_key, DZ_MAX_COUNT);
}

static void map_bool(cJSON *map, const char *key, const cJSON *src, const char *src_key)
{
	bool b;

	if (json_get_bool(src, src_key, &b))
		json_add_bool_or_null(map, key, &b);
}

static void map_id(cJSON *map, const char *key, const cJSON *src, const char *src_key)
{
	char id[DZ_ID_SIZE];

	if (read_id(src, src_key, id))
		json_add_string_or_null(map, key, id);
}

/* ---- pictures ----------------------------------------------------------- */

static const struct {
	const char *suffix;
	const char *label;
	int px;
} picture_sizes[] = {
	{"_xl", "1000", 1000},
	{"_big", "500", 500},
	{"_medium", "250", 250},
	{"_small", "56", 56},
};

/*
 * One image of type t from src's <prefix>_xl/_big/_medium/_small: the largest
 * usable size is the url, every usable size a thumbnail. Nothing when no
 * size is usable.
 */
static void put_picture(cJSON *images, const cJSON *src, const char *prefix, enum image_type t)
{
	const char *urls[ARRAY_SIZE(picture_sizes)];
	cJSON *img = NULL, *thumbs;
	size_t best = ARRAY_SIZE(picture_sizes);

	for (size_t i = 0; i < ARRAY_SIZE(picture_sizes); i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s%s", prefix, picture_sizes[i].suffix);
		urls[i] = json_get_string(src, key);
		if (!usable_url(urls[i]))
			urls[i] = NULL;
		else if (best == ARRAY_SIZE(picture_sizes))
			best = i;
	}
	if (best < ARRAY_SIZE(picture_sizes))
		img = fragment_add_image(images, urls[best], t, picture_sizes[best].px,
					 picture_sizes[best].px);
	if (!img)
		return;
	thumbs = prov_member(img, "thumbnails");
	for (size_t i = ARRAY_SIZE(picture_sizes); i-- > 0;)
		if (urls[i])
			json_add_string_or_null(thumbs, picture_sizes[i].label, urls[i]);
}

/* ---- the error envelope ------------------------------------------------- */

static const struct {
	long long code;
	enum err err;
	const char *why;
} known_codes[] = {
	{4, ERR_INVALID_ARGUMENT, "deezer Exception 4: quota limit exceeded"},
	{100, ERR_INVALID_ARGUMENT, "deezer Exception 100: items limit exceeded"},
	{200, ERR_INVALID_ARGUMENT, "deezer OAuthException 200: permission denied"},
	{300, ERR_INVALID_ARGUMENT, "deezer OAuthException 300: invalid token"},
	{500, ERR_INVALID_ARGUMENT, "deezer ParameterException 500: wrong parameter"},
	{501, ERR_INVALID_ARGUMENT, "deezer MissingParameterException 501: missing parameter"},
	{600, ERR_INVALID_ARGUMENT, "deezer InvalidQueryException 600: invalid query"},
	{700, ERR_INVALID_ARGUMENT, "deezer Exception 700: service busy"},
	{800, ERR_NOT_FOUND, "deezer DataException 800: no data"},
	{901, ERR_INVALID_ARGUMENT, "deezer Exception 901: individual account not allowed"},
};

static const struct {
	const char *type;
	enum err err;
	const char *why;
} known_types[] = {
	{"DataException", ERR_NOT_FOUND, "deezer DataException: no data"},
	{"OAuthException", ERR_INVALID_ARGUMENT, "deezer OAuthException"},
	{"ParameterException", ERR_INVALID_ARGUMENT, "deezer ParameterException"},
	{"MissingParameterException", ERR_INVALID_ARGUMENT, "deezer MissingParameterException"},
	{"InvalidQueryException", ERR_INVALID_ARGUMENT, "deezer InvalidQueryException"},
	{"Exception", ERR_INVALID_ARGUMENT, "deezer Exception"},
};

/* ERR_OK when root has no "error" member, else what the envelope means. */
static enum err check_envelope(const cJSON *root, const char **why)
{
	const cJSON *error = json_get(root, "error");
	const char *type = json_get_string(error, "type");
	long long code;

	if (!error)
		return ERR_OK;
	if (json_get_int(error, "code", 0, DZ_MAX_COUNT, &code)) {
		for (size_t i = 0; i < ARRAY_SIZE(known_codes); i++)
			if (known_codes[i].code == code) {
				*why = known_codes[i].why;
				return known_codes[i].err;
			}
	}
	for (size_t i = 0; type && i < ARRAY_SIZE(known_types); i++)
		if (strcmp(type, known_types[i].type) == 0) {
			*why = known_types[i].why;
			return known_types[i].err;
		}
	*why = "deezer error envelope";
	return ERR_INVALID_ARGUMENT;
}

/* Parse body into an object that is not an error envelope; errors as in deezer.h. */
static enum err parse_root(const char *body, size_t len, cJSON **root, const char **why)
{
	enum err e = json_parse(body, len, DEEZER_MAX_BODY_BYTES, root, why);

	if (e != ERR_OK)
		return e;
	if (!cJSON_IsObject(*root)) {
		*why = "body is not an object";
		e = ERR_INVALID_ARGUMENT;
	} else {
		e = check_envelope(*root, why);
	}
	if (e != ERR_OK) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return e;
}

bool deezer_is_quota_error(const char *body, size_t len)
{
	const char *why = NULL;
	cJSON *root = NULL;
	long long code = -1;

	if (json_parse(body, len, DEEZER_MAX_BODY_BYTES, &root, &why) != ERR_OK)
		return false;
	(void)json_get_int(json_get_object(root, "error"), "code", 0, DZ_MAX_COUNT, &code);
	cJSON_Delete(root);
	return code == 4;
}

/* ---- entities ----------------------------------------------------------- */

/* fragment_new_entity() of Deezer's id, with ids.deezer. */
static cJSON *new_fragment(const char *kind, const char *id)
{
	cJSON *f = fragment_new_entity(provider_name(PROVIDER_DEEZER), kind, id);

	fragment_add_id(prov_member(f, "ids"), "deezer", id);
	return f;
}

/* The fragment of kind for the Deezer object src, or NULL without an id. */
static cJSON *new_entity(const char *kind, const cJSON *src)
{
	char id[DZ_ID_SIZE];

	return read_id(src, "id", id) ? new_fragment(kind, id) : NULL;
}

static cJSON *build_artist(const cJSON *src)
{
	cJSON *f = new_entity("artist", src);

	if (!f)
		return NULL;
	prov_set(f, "url", v_url(src, "link"));
	prov_set(f, "name", v_text(src, "name"));
	put_picture(prov_member(f, "images"), src, "picture", IMAGE_THUMB);
	map_count(prov_member(f, "popularity"), "fans", src, "nb_fan");
	map_count(prov_member(f, "extra"), "nb_album", src, "nb_album");
	return f;
}

static void put_genres(cJSON *f, const cJSON *src)
{
	cJSON *genres = prov_member(f, "genres");
	const cJSON *g;

	cJSON_ArrayForEach(g, json_get_array(json_get_object(src, "genres"), "data"))
	{
		prov_add_counted(genres, prov_text(g, "name"));
	}
}

static void put_tracks(cJSON *f, const cJSON *src)
{
	cJSON *tracks = prov_member(f, "tracks");
	const cJSON *t;

	cJSON_ArrayForEach(t, json_get_array(json_get_object(src, "tracks"), "data"))
	{
		cJSON *item;

		if (!prov_text(t, "title"))
			continue;
		item = json_new_object();
		json_add_item(item, "title", v_text(t, "title"));
		json_add_item(item, "position",
			      prov_count_or_null(t, "track_position", DZ_MAX_POSITION));
		json_add_item(item, "disc", prov_count_or_null(t, "disk_number", DZ_MAX_POSITION));
		json_add_item(item, "duration_ms", v_duration(t, "duration"));
		json_add_item(item, "isrc", v_isrc(t, "isrc"));
		json_add_item(item, "id", v_id(t, "id"));
		json_append(tracks, item);
	}
}

static cJSON *build_album(const cJSON *src)
{
	const cJSON *artist = json_get_object(src, "artist");
	const char *upc = json_get_string(src, "upc");
	cJSON *f = new_entity("release", src), *extra;

	if (!f)
		return NULL;
	prov_set(f, "url", v_url(src, "link"));
	prov_set(f, "name", v_text(src, "title"));
	prov_set(f, "artist", v_text(artist, "name"));
	prov_set(f, "duration_ms", v_duration(src, "duration"));
	prov_set(f, "date", v_date(src, "release_date"));
	put_picture(prov_member(f, "images"), src, "cover", IMAGE_FRONT);
	put_genres(f, src);
	put_tracks(f, src);
	map_count(prov_member(f, "popularity"), "fans", src, "fans");
	if (prov_upc_ok(upc))
		fragment_add_id(prov_member(f, "ids"), "upc", upc);
	extra = prov_member(f, "extra");
	map_id(extra, "artist_id", artist, "id");
	prov_set_text(extra, "label", json_get_string(src, "label"));
	prov_set_text(extra, "record_type", json_get_string(src, "record_type"));
	map_count(extra, "nb_tracks", src, "nb_tracks");
	map_bool(extra, "explicit", src, "explicit_lyrics");
	return f;
}

static cJSON *build_track(const cJSON *src)
{
	const cJSON *artist = json_get_object(src, "artist"),
		    *album = json_get_object(src, "album");
	const char *preview = json_get_string(src, "preview");
	cJSON *f = new_entity("recording", src), *extra;
	char isrc[PROV_ISRC_LEN + 1];
	double bpm;

	if (!f)
		return NULL;
	prov_set(f, "url", v_url(src, "link"));
	prov_set(f, "name", v_text(src, "title"));
	prov_set(f, "artist", v_text(artist, "name"));
	prov_set(f, "album", v_text(album, "title"));
	prov_set(f, "duration_ms", v_duration(src, "duration"));
	prov_set(f, "date", v_date(src, "release_date"));
	if (cJSON_IsNull(prov_member(f, "date")))
		prov_set(f, "date", v_date(album, "release_date"));
	put_picture(prov_member(f, "images"), album, "cover", IMAGE_FRONT);
	map_count(prov_member(f, "popularity"), "rank", src, "rank");
	if (prov_isrc(json_get_string(src, "isrc"), isrc))
		fragment_add_id(prov_member(f, "ids"), "isrc", isrc);
	extra = prov_member(f, "extra");
	if (usable_url(preview))
		json_add_string_or_null(extra, "preview_url", preview);
	map_bool(extra, "explicit", src, "explicit_lyrics");
	if (json_get_number(src, "bpm", &bpm) && bpm > 0 && bpm < 10000)
		json_add_item(extra, "bpm", cJSON_CreateNumber(bpm));
	map_count(extra, "position", src, "track_position");
	map_count(extra, "disc", src, "disk_number");
	map_id(extra, "artist_id", artist, "id");
	map_id(extra, "album_id", album, "id");
	return f;
}

typedef cJSON *build_fn(const cJSON *src);

/* A lookup body: one entity object. */
static enum err parse_entity(build_fn *build, const char *body, size_t len, cJSON **out,
			     const char **why)
{
	cJSON *root = NULL;
	enum err e = parse_root(body, len, &root, why);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	*out = build(root);
	cJSON_Delete(root);
	if (!*out) {
		*why = "missing id";
		return ERR_INVALID_ARGUMENT;
	}
	return ERR_OK;
}

enum err deezer_parse_artist(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(build_artist, body, len, out, why);
}

enum err deezer_parse_album(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(build_album, body, len, out, why);
}

enum err deezer_parse_track(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(build_track, body, len, out, why);
}

/* ---- lists -------------------------------------------------------------- */

/* A list body: root (for the caller to free) and its "data" array. */
static enum err parse_list(const char *body, size_t len, cJSON **root, const cJSON **data,
			   const char **why)
{
	enum err e = parse_root(body, len, root, why);

	if (e != ERR_OK)
		return e;
	*data = json_get_array(*root, "data");
	if (!*data) {
		*why = "missing data list";
		cJSON_Delete(*root);
		*root = NULL;
		return ERR_INVALID_ARGUMENT;
	}
	return ERR_OK;
}

/*
 * A list answer about the artist artist_id: on success *root (for the
 * caller to free), its "data" array (*data) and the artist's fragment to
 * fill (*f, for the caller).
 */
static enum err parse_artist_list(const char *artist_id, const char *body, size_t len, cJSON **root,
				  const cJSON **data, cJSON **f, const char **why)
{
	enum err e;

	if (!deezer_valid_id(artist_id)) {
		*why = "invalid artist id";
		return ERR_INVALID_ARGUMENT;
	}
	e = parse_list(body, len, root, data, why);
	if (e == ERR_OK)
		*f = new_fragment("artist", artist_id);
	return e;
}

static cJSON *top_track(const cJSON *t, int rank)
{
	cJSON *item = json_new_object();

	json_add_item(item, "title", v_text(t, "title"));
	json_add_item(item, "artist", v_text(json_get_object(t, "artist"), "name"));
	json_add_item(item, "id", v_id(t, "id"));
	json_add_null(item, "mbid");
	json_add_item(item, "isrc", v_isrc(t, "isrc"));
	json_add_item(item, "duration_ms", v_duration(t, "duration"));
	json_add_item(item, "url", v_url(t, "link"));
	json_add_item(item, "rank", cJSON_CreateNumber(rank));
	return item;
}

enum err deezer_parse_top(const char *artist_id, const char *body, size_t len, cJSON **out,
			  const char **why)
{
	const cJSON *data = NULL, *t;
	cJSON *root = NULL, *f = NULL, *list;
	enum err e;
	int rank = 0;

	*out = NULL;
	e = parse_artist_list(artist_id, body, len, &root, &data, &f, why);
	if (e != ERR_OK)
		return e;
	list = prov_member(f, "top_tracks");
	cJSON_ArrayForEach(t, data)
	{
		const cJSON *artist = json_get_object(t, "artist");
		char id[DZ_ID_SIZE];

		if (!prov_text(t, "title"))
			continue;
		json_append(list, top_track(t, ++rank));
		if (cJSON_IsNull(prov_member(f, "name")) && read_id(artist, "id", id) &&
		    strcmp(id, artist_id) == 0)
			prov_set(f, "name", v_text(artist, "name"));
	}
	cJSON_Delete(root);
	*out = f;
	return ERR_OK;
}

enum err deezer_parse_related(const char *artist_id, const char *body, size_t len, cJSON **out,
			      const char **why)
{
	const cJSON *data = NULL, *a;
	cJSON *root = NULL, *f = NULL, *list;
	enum err e;

	*out = NULL;
	e = parse_artist_list(artist_id, body, len, &root, &data, &f, why);
	if (e != ERR_OK)
		return e;
	list = prov_member(f, "similar");
	cJSON_ArrayForEach(a, data)
	{
		cJSON *item;

		if (!prov_text(a, "name"))
			continue;
		item = json_new_object();
		json_add_item(item, "name", v_text(a, "name"));
		json_add_item(item, "id", v_id(a, "id"));
		json_add_null(item, "mbid");
		json_add_item(item, "url", v_url(a, "link"));
		json_add_null(item, "score");
		json_append(list, item);
	}
	cJSON_Delete(root);
	*out = f;
	return ERR_OK;
}

static const struct {
	const char *entity;
	build_fn *build;
} search_kinds[DEEZER_SEARCH__COUNT] = {
	[DEEZER_SEARCH_ARTIST] = {"artist", build_artist},
	[DEEZER_SEARCH_ALBUM] = {"release", build_album},
	[DEEZER_SEARCH_TRACK] = {"recording", build_track},
};

enum err deezer_parse_search(enum deezer_search kind, const char *body, size_t len, cJSON **out,
			     const char **why)
{
	const cJSON *data = NULL, *item;
	cJSON *root = NULL, *f, *items;
	enum err e;

	*out = NULL;
	if ((unsigned)kind >= DEEZER_SEARCH__COUNT) {
		*why = "unknown search kind";
		return ERR_INVALID_ARGUMENT;
	}
	e = parse_list(body, len, &root, &data, why);
	if (e != ERR_OK)
		return e;
	f = fragment_new_candidates(provider_name(PROVIDER_DEEZER), search_kinds[kind].entity);
	items = prov_member(f, "items");
	cJSON_ArrayForEach(item, data)
	{
		cJSON *frag = search_kinds[kind].build(item);

		if (frag)
			json_append(items, frag);
	}
	cJSON_Delete(root);
	*out = f;
	return ERR_OK;
}
