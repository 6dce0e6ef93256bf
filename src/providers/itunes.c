/*
 * itunes.c - iTunes Search API request URLs, artwork URLs, and Apple's JSON
 * to fragments.
 *
 * The builders validate ids, UPCs and storefronts before they reach a URL.
 * The parsers read Apple's flat result objects: one builder per wrapperType
 * (artist, collection, track), shared by searches and lookups, and the
 * album lookup that gathers a collection's tracks. Nothing here sends a
 * request, knows a host, or logs: see itunes.h.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/itunes.h"
#include "medley/json.h"
#include "medley/provider_id.h"
#include "provider_int.h"

/* Bounds that only hostile input reaches; past them a value reads as absent. */
#define IT_MAX_MS 100000000000LL /* ~3 years */
#define IT_MAX_COUNT PROV_MAX_EXACT
#define IT_MAX_POSITION 100000LL

/* A decimal id of up to 16 digits, plus a NUL. */
#define IT_ID_SIZE 24

/* Longest artwork URL rewritten. */
#define IT_MAX_URL_BYTES 2048u

/* ---- arguments ---------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool valid_id(const char *s)
{
	return prov_digits(s, 1, ITUNES_MAX_ID_DIGITS) && s[0] != '0';
}

static bool given(const char *s)
{
	return s && s[0];
}

/* NULL / "" or two ASCII letters. */
static bool valid_country(const char *country)
{
	return !given(country) ||
	       (is_alpha(country[0]) && is_alpha(country[1]) && country[2] == '\0');
}

static void add_country(struct buf *out, const char *country)
{
	if (!given(country))
		return;
	buf_adds(out, "&country=");
	for (int i = 0; i < 2; i++)
		buf_addch(out, (char)(country[i] | 0x20)); /* ASCII lowercase */
}

/* ---- request builders --------------------------------------------------- */

static const char *const search_entities[ITUNES_ENTITY__COUNT] = {
	[ITUNES_ARTIST] = "musicArtist",
	[ITUNES_ALBUM] = "album",
	[ITUNES_SONG] = "song",
};

static const char *const lookup_entities[ITUNES_INCLUDE__COUNT] = {
	[ITUNES_INCLUDE_NONE] = NULL,
	[ITUNES_INCLUDE_SONGS] = "song",
	[ITUNES_INCLUDE_ALBUMS] = "album",
};

enum err itunes_search_url(const char *base_url, enum itunes_entity e, const char *term,
			   unsigned limit, const char *country, struct buf *out)
{
	assert(out);
	if ((unsigned)e >= ITUNES_ENTITY__COUNT || !given(base_url) ||
	    !prov_value_ok(term, ITUNES_MAX_TERM_BYTES) || limit < 1 || limit > ITUNES_MAX_LIMIT ||
	    !valid_country(country))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/search?term=", base_url);
	buf_add_pct(out, term);
	buf_addf(out, "&media=music&entity=%s&limit=%u", search_entities[e], limit);
	add_country(out, country);
	return prov_built(out);
}

/* <base>/lookup?<key>=<value>[&entity=][&limit=][&country=]; value already checked. */
static enum err lookup_url(const char *base_url, const char *key, const char *value,
			   enum itunes_include inc, unsigned limit, const char *country,
			   struct buf *out)
{
	assert(out);
	if (!given(base_url) || (unsigned)inc >= ITUNES_INCLUDE__COUNT ||
	    limit > ITUNES_MAX_LIMIT || !valid_country(country))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/lookup?%s=%s", base_url, key, value);
	if (lookup_entities[inc])
		buf_addf(out, "&entity=%s", lookup_entities[inc]);
	if (limit)
		buf_addf(out, "&limit=%u", limit);
	add_country(out, country);
	return prov_built(out);
}

enum err itunes_lookup_url(const char *base_url, const char *id, enum itunes_include inc,
			   unsigned limit, const char *country, struct buf *out)
{
	if (!valid_id(id))
		return ERR_INVALID_ARGUMENT;
	return lookup_url(base_url, "id", id, inc, limit, country, out);
}

enum err itunes_lookup_upc_url(const char *base_url, const char *upc, enum itunes_include inc,
			       unsigned limit, const char *country, struct buf *out)
{
	if (!prov_upc_ok(upc) || inc == ITUNES_INCLUDE_ALBUMS)
		return ERR_INVALID_ARGUMENT;
	return lookup_url(base_url, "upc", upc, inc, limit, country, out);
}

/* Length of a "<w>x<h>bb" size part at s (before a '.'), or 0. */
static size_t size_part(const char *s)
{
	size_t i = 0, w = 0, h = 0;

	while (is_digit(s[i]) && w < 6)
		i++, w++;
	if (!w || s[i++] != 'x')
		return 0;
	while (is_digit(s[i]) && h < 6)
		i++, h++;
	if (!h || s[i] != 'b' || s[i + 1] != 'b' || s[i + 2] != '.')
		return 0;
	return i + 2;
}

/* True if s[0..n) is '.' and 1 to 5 letters or digits. */
static bool extension(const char *s, size_t n)
{
	if (n < 2 || n > 6 || s[0] != '.')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]))
			return false;
	return true;
}

enum err itunes_artwork_url(const char *url100, int size, struct buf *out)
{
	const char *end, *seg;
	size_t n, part;

	assert(out);
	if (size < 1 || size > ITUNES_MAX_ARTWORK_SIZE || !fragment_url_ok(url100))
		return ERR_INVALID_ARGUMENT;
	n = strnlen(url100, IT_MAX_URL_BYTES + 1);
	if (n > IT_MAX_URL_BYTES || !json_utf8_valid(url100, n))
		return ERR_INVALID_ARGUMENT;
	end = url100 + strcspn(url100, "?#");
	seg = end;
	while (seg > url100 && seg[-1] != '/')
		seg--;
	if (seg[-1] != '/' || seg[-2] == '/') /* a path segment, not the host */
		return ERR_INVALID_ARGUMENT;
	part = size_part(seg);
	if (!part || !extension(seg + part, (size_t)(end - seg) - part))
		return ERR_INVALID_ARGUMENT;
	buf_add(out, url100, (size_t)(seg - url100));
	buf_addf(out, "%dx%dbb", size, size);
	buf_adds(out, seg + part);
	return prov_built(out);
}

/* ---- reading Apple's values --------------------------------------------- */

/* src[key] as a decimal id (Apple sends numbers; digit strings pass too). */
static bool read_id(const cJSON *src, const char *key, char out[IT_ID_SIZE])
{
	return prov_read_id(src, key, ITUNES_MAX_ID_DIGITS, out, IT_ID_SIZE);
}

static const char *url_of(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);

	return fragment_url_ok(s) ? s : NULL;
}

static cJSON *v_id(const cJSON *src, const char *key)
{
	char id[IT_ID_SIZE];

	return json_new_string(read_id(src, key, id) ? id : NULL);
}

/* releaseDate "1975-11-21T08:00:00Z" -> "1975-11-21"; anything else -> null. */
static cJSON *v_date(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);
	char date[PROV_DATE_SIZE];

	if (!prov_date_prefix(s, date) || (s[10] != '\0' && s[10] != 'T'))
		return cJSON_CreateNull();
	return json_new_string(date);
}

static const struct {
	const char *suffix;
	const char *record_type;
} name_suffixes[] = {
	{" - EP", "ep"},
	{" - Single", "single"},
};

/*
 * A collection name without Apple's " - EP" / " - Single" suffix (null
 * when absent); *record_type is set to "ep" / "single" when one was cut.
 */
static cJSON *v_album_name(const cJSON *src, const char *key, const char **record_type)
{
	const char *s = prov_text(src, key);
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; s && i < ARRAY_SIZE(name_suffixes); i++) {
		size_t k = strlen(name_suffixes[i].suffix);

		if (n > k && strcmp(s + n - k, name_suffixes[i].suffix) == 0) {
			if (record_type)
				*record_type = name_suffixes[i].record_type;
			return json_new_stringn(s, n - k);
		}
	}
	return json_new_string(s);
}

/* Members of a map (extra), only when src has a usable value. */
static void map_count(cJSON *map, const char *key, const cJSON *src, const char *src_key)
{
	prov_set_count(map, key, src, src_key, IT_MAX_COUNT);
}

static void map_text(cJSON *map, const char *key, const cJSON *src, const char *src_key)
{
	prov_set_text(map, key, json_get_string(src, src_key));
}

static void map_id(cJSON *map, const char *key, const cJSON *src, const char *src_key)
{
	char id[IT_ID_SIZE];

	if (read_id(src, src_key, id))
		json_add_string_or_null(map, key, id);
}

static void put_genre(cJSON *f, const cJSON *src)
{
	prov_add_counted(prov_member(f, "genres"), prov_text(src, "primaryGenreName"));
}

/* ---- artwork ------------------------------------------------------------ */

static const int artwork_thumbs[] = {250, 500, ITUNES_ARTWORK_SIZE};

/*
 * One "front" image from src's artworkUrl100 (else 60, else 30), rewritten
 * to ITUNES_ARTWORK_SIZE with thumbnails; a URL without Apple's size segment
 * is kept as given, without thumbnails.
 */
static void put_artwork(cJSON *f, const cJSON *src)
{
	static const char *const keys[] = {"artworkUrl100", "artworkUrl60", "artworkUrl30"};
	const char *url = NULL;
	struct buf b;
	cJSON *img, *thumbs;

	for (size_t i = 0; !url && i < ARRAY_SIZE(keys); i++)
		url = url_of(src, keys[i]);
	if (!url)
		return;
	buf_init(&b, IT_MAX_URL_BYTES + 64);
	if (itunes_artwork_url(url, ITUNES_ARTWORK_SIZE, &b) != ERR_OK) {
		(void)fragment_add_image(prov_member(f, "images"), url, IMAGE_FRONT, 0, 0);
		goto out;
	}
	img = fragment_add_image(prov_member(f, "images"), b.data, IMAGE_FRONT, 0, 0);
	if (!img)
		goto out;
	thumbs = prov_member(img, "thumbnails");
	for (size_t i = 0; i < ARRAY_SIZE(artwork_thumbs); i++) {
		char label[16];

		buf_reset(&b);
		if (itunes_artwork_url(url, artwork_thumbs[i], &b) != ERR_OK)
			continue;
		snprintf(label, sizeof(label), "%d", artwork_thumbs[i]);
		json_add_string_or_null(thumbs, label, b.data);
	}
out:
	buf_release(&b);
}

/* ---- results ------------------------------------------------------------ */

static cJSON *new_entity(const char *kind, const cJSON *src, const char *id_key)
{
	char id[IT_ID_SIZE];
	cJSON *f;

	if (!read_id(src, id_key, id))
		return NULL;
	f = fragment_new_entity(provider_name(PROVIDER_ITUNES), kind, id);
	fragment_add_id(prov_member(f, "ids"), "itunes", id);
	return f;
}

static cJSON *build_artist(const cJSON *src)
{
	cJSON *f = new_entity("artist", src, "artistId");
	const char *url = url_of(src, "artistLinkUrl");

	if (!f)
		return NULL;
	prov_set(f, "name", json_new_string(prov_text(src, "artistName")));
	prov_set(f, "url", json_new_string(url ? url : url_of(src, "artistViewUrl")));
	put_genre(f, src);
	map_count(prov_member(f, "extra"), "amg_artist_id", src, "amgArtistId");
	return f;
}

static cJSON *build_release(const cJSON *src)
{
	cJSON *f = new_entity("release", src, "collectionId"), *extra;
	const char *record_type = NULL;

	if (!f)
		return NULL;
	prov_set(f, "name", v_album_name(src, "collectionName", &record_type));
	prov_set(f, "artist", json_new_string(prov_text(src, "artistName")));
	prov_set(f, "url", json_new_string(url_of(src, "collectionViewUrl")));
	prov_set(f, "date", v_date(src, "releaseDate"));
	put_artwork(f, src);
	put_genre(f, src);
	extra = prov_member(f, "extra");
	map_id(extra, "artist_id", src, "artistId");
	map_count(extra, "track_count", src, "trackCount");
	if (record_type)
		json_add_string_or_null(extra, "record_type", record_type);
	map_text(extra, "explicitness", src, "collectionExplicitness");
	map_text(extra, "copyright", src, "copyright");
	map_text(extra, "country", src, "country");
	map_text(extra, "collection_type", src, "collectionType");
	return f;
}

static cJSON *build_recording(const cJSON *src)
{
	cJSON *f = new_entity("recording", src, "trackId"), *extra;
	const char *preview = url_of(src, "previewUrl");

	if (!f)
		return NULL;
	prov_set(f, "name", json_new_string(prov_text(src, "trackName")));
	prov_set(f, "artist", json_new_string(prov_text(src, "artistName")));
	prov_set(f, "album", v_album_name(src, "collectionName", NULL));
	prov_set(f, "duration_ms", prov_count_or_null(src, "trackTimeMillis", IT_MAX_MS));
	prov_set(f, "url", json_new_string(url_of(src, "trackViewUrl")));
	prov_set(f, "date", v_date(src, "releaseDate"));
	put_artwork(f, src);
	put_genre(f, src);
	extra = prov_member(f, "extra");
	if (preview)
		json_add_string_or_null(extra, "preview_url", preview);
	map_count(extra, "track_number", src, "trackNumber");
	map_count(extra, "disc_number", src, "discNumber");
	map_count(extra, "track_count", src, "trackCount");
	map_count(extra, "disc_count", src, "discCount");
	map_id(extra, "collection_id", src, "collectionId");
	map_id(extra, "artist_id", src, "artistId");
	map_text(extra, "explicitness", src, "trackExplicitness");
	map_text(extra, "kind", src, "kind");
	return f;
}

/* Parse body; on success *root is an object and *results its "results" array. */
static enum err parse_results(const char *body, size_t len, cJSON **root, const cJSON **results,
			      const char **why)
{
	enum err e = json_parse(body, len, ITUNES_MAX_BODY_BYTES, root, why);

	if (e != ERR_OK)
		return e;
	if (!cJSON_IsObject(*root)) {
		*why = "body is not an object";
		e = ERR_INVALID_ARGUMENT;
	} else if (json_get(*root, "errorMessage")) {
		*why = "itunes error: invalid request";
		e = ERR_INVALID_ARGUMENT;
	} else if (!(*results = json_get_array(*root, "results"))) {
		*why = "missing results list";
		e = ERR_INVALID_ARGUMENT;
	}
	if (e != ERR_OK) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return e;
}

static bool is_wrapper(const cJSON *item, const char *type)
{
	const char *w = json_get_string(item, "wrapperType");

	return w && strcmp(w, type) == 0;
}

static bool is_song(const cJSON *item)
{
	const char *kind = json_get_string(item, "kind");

	return is_wrapper(item, "track") && kind && strcmp(kind, "song") == 0;
}

static const struct {
	const char *entity;
	const char *wrapper;
	cJSON *(*build)(const cJSON *src);
} entities[ITUNES_ENTITY__COUNT] = {
	[ITUNES_ARTIST] = {"artist", "artist", build_artist},
	[ITUNES_ALBUM] = {"release", "collection", build_release},
	[ITUNES_SONG] = {"recording", "track", build_recording},
};

enum err itunes_parse_results(enum itunes_entity e, const char *body, size_t len, cJSON **out,
			      const char **why)
{
	const cJSON *results = NULL, *r;
	cJSON *root = NULL, *f, *items;
	enum err err;

	*out = NULL;
	if ((unsigned)e >= ITUNES_ENTITY__COUNT) {
		*why = "unknown entity";
		return ERR_INVALID_ARGUMENT;
	}
	err = parse_results(body, len, &root, &results, why);
	if (err != ERR_OK)
		return err;
	f = fragment_new_candidates(provider_name(PROVIDER_ITUNES), entities[e].entity);
	items = prov_member(f, "items");
	cJSON_ArrayForEach(r, results)
	{
		cJSON *item;

		if (!is_wrapper(r, entities[e].wrapper) || (e == ITUNES_SONG && !is_song(r)))
			continue;
		item = entities[e].build(r);
		if (item)
			json_append(items, item);
	}
	cJSON_Delete(root);
	*out = f;
	return ERR_OK;
}

static cJSON *album_track(const cJSON *t)
{
	cJSON *item = json_new_object();

	json_add_string_or_null(item, "title", prov_text(t, "trackName"));
	json_add_item(item, "position", prov_count_or_null(t, "trackNumber", IT_MAX_POSITION));
	json_add_item(item, "disc", prov_count_or_null(t, "discNumber", IT_MAX_POSITION));
	json_add_item(item, "duration_ms", prov_count_or_null(t, "trackTimeMillis", IT_MAX_MS));
	json_add_null(item, "isrc");
	json_add_item(item, "id", v_id(t, "trackId"));
	return item;
}

enum err itunes_parse_album_lookup(const char *body, size_t len, cJSON **out, const char **why)
{
	const cJSON *results = NULL, *r;
	cJSON *root = NULL, *f = NULL, *tracks;
	const char *album_id;
	enum err err;

	*out = NULL;
	err = parse_results(body, len, &root, &results, why);
	if (err != ERR_OK)
		return err;
	cJSON_ArrayForEach(r, results)
	{
		if (is_wrapper(r, "collection") && (f = build_release(r)) != NULL)
			break;
	}
	if (!f) {
		cJSON_Delete(root);
		*why = "no album in the answer";
		return ERR_NOT_FOUND;
	}
	album_id = json_string_value(prov_member(f, "id"));
	tracks = prov_member(f, "tracks");
	cJSON_ArrayForEach(r, results)
	{
		char id[IT_ID_SIZE];

		if (!is_wrapper(r, "track") || !prov_text(r, "trackName") ||
		    !read_id(r, "collectionId", id) || strcmp(id, album_id) != 0)
			continue;
		json_append(tracks, album_track(r));
	}
	cJSON_Delete(root);
	*out = f;
	return ERR_OK;
}
