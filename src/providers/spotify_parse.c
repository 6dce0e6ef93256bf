/*
 * spotify_parse.c - Spotify's artist, album, track, top-tracks and search
 * answers to fragments (fragment.h).
 *
 * One builder per object (artist, album, track) reads it defensively and
 * returns an entity fragment, so a lookup body and a search item of the
 * same type give the same shape; the spotify_parse_*() wrappers parse the
 * body, map error bodies (spotify_auth.c) and call them. Values of the wrong
 * type read as absent, list items of the wrong type are skipped. This file
 * builds no URL and knows nothing of tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/provider_id.h"
#include "medley/xalloc.h"
#include "provider_int.h"
#include "spotify_int.h"

/* Bounds past which a number reads as absent: only hostile input gets there. */
#define MAX_DURATION_MS 100000000000LL /* ~3 years */
#define MAX_POSITION 100000LL
#define MAX_PIXELS 100000LL
#define MAX_FOLLOWERS 100000000000000LL

/* At most this many images are kept per object (Spotify sends 3 or 4). */
#define MAX_IMAGES 64

/* Longest "A, B, C" credit built from an object's artists. */
#define MAX_CREDIT_BYTES 4096u

static const char *provider(void)
{
	return provider_name(PROVIDER_SPOTIFY);
}

/* src.external_urls.spotify when it is a usable URL. */
static const char *spotify_link(const cJSON *src)
{
	const char *url = json_get_string(json_get_object(src, "external_urls"), "spotify");

	return fragment_url_ok(url) ? url : NULL;
}

/* src["id"] when it is a valid Spotify id. */
static const char *read_id(const cJSON *src)
{
	const char *id = json_get_string(src, "id");

	return spotify_valid_id(id) ? id : NULL;
}

/* Images ------------------------------------------------------------------- */

struct image {
	const char *url;
	long long width, height;
	int index;
};

static long long area(const struct image *im)
{
	return im->width > 0 && im->height > 0 ? im->width * im->height : -1;
}

/* Largest first, unknown sizes last, then Spotify's order. */
static int cmp_image(const void *a, const void *b)
{
	const struct image *x = a, *y = b;
	long long ax = area(x), ay = area(y);

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return x->index - y->index;
}

/* src.images -> frag.images, as type, largest first. */
static void put_images(cJSON *frag, const cJSON *src, enum image_type type)
{
	const cJSON *list = json_get_array(src, "images"), *item;
	struct image *ims = xcalloc(MAX_IMAGES, sizeof(*ims));
	cJSON *arr = prov_member(frag, "images");
	int n = 0;

	cJSON_ArrayForEach(item, list)
	{
		struct image *im;

		if (n == MAX_IMAGES)
			break;
		im = &ims[n];
		im->url = json_get_string(item, "url");
		if (!fragment_url_ok(im->url))
			continue;
		if (!json_get_int(item, "width", 1, MAX_PIXELS, &im->width))
			im->width = 0;
		if (!json_get_int(item, "height", 1, MAX_PIXELS, &im->height))
			im->height = 0;
		im->index = n++;
	}
	qsort(ims, (size_t)n, sizeof(*ims), cmp_image);
	for (int i = 0; i < n; i++)
		(void)fragment_add_image(arr, ims[i].url, type, (int)ims[i].width,
					 (int)ims[i].height);
	xfree(ims);
}

/* Shared members ------------------------------------------------------------- */

/* The names of src.artists joined with ", " into b (empty when none). */
static const char *credit(const cJSON *src, struct buf *b)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, json_get_array(src, "artists"))
	{
		const char *name = json_get_string(a, "name");

		if (!name || !name[0])
			continue;
		if (b->len)
			buf_adds(b, ", ");
		buf_adds(b, name);
	}
	return b->len && !buf_failed(b) ? b->data : NULL;
}

static void put_credit(cJSON *frag, const cJSON *src)
{
	struct buf b;

	buf_init(&b, MAX_CREDIT_BYTES);
	prov_set_text(frag, "artist", credit(src, &b));
	buf_release(&b);
}

static bool two_digits(const char *s, int lo, int hi)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v >= lo && v <= hi;
}

/*
 * The longest valid prefix of s, at most want (4, 7 or 10) characters, into
 * out: "YYYY", "YYYY-MM" or "YYYY-MM-DD". False when not even the year is
 * usable (year 0000 is Spotify's "unknown").
 */
static bool cut_date(const char *s, size_t want, char out[11])
{
	size_t n = 4;

	if (!s || strspn(s, "0123456789") < 4 || strncmp(s, "0000", 4) == 0)
		return false;
	if (s[4] != '\0' && s[4] != '-')
		return false;
	if (want >= 7 && s[4] == '-' && two_digits(s + 5, 1, 12) && (s[7] == '\0' || s[7] == '-')) {
		n = 7;
		if (want >= 10 && s[7] == '-' && two_digits(s + 8, 1, 31) && s[10] == '\0')
			n = 10;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* src.release_date cut to src.release_date_precision -> frag.date. */
static void put_date(cJSON *frag, const cJSON *src)
{
	const char *precision = json_get_string(src, "release_date_precision");
	size_t want = 10;
	char date[11];

	if (precision && strcmp(precision, "year") == 0)
		want = 4;
	else if (precision && strcmp(precision, "month") == 0)
		want = 7;
	if (cut_date(json_get_string(src, "release_date"), want, date))
		prov_set_text(frag, "date", date);
}

static void put_popularity(cJSON *frag, const cJSON *src, bool followers)
{
	cJSON *pop = prov_member(frag, "popularity");

	prov_set_count(pop, "popularity", src, "popularity", 100);
	if (followers)
		prov_set_count(pop, "followers", json_get_object(src, "followers"), "total",
			       MAX_FOLLOWERS);
}

static void put_genres(cJSON *frag, const cJSON *src)
{
	cJSON *arr = prov_member(frag, "genres");
	const cJSON *g;

	cJSON_ArrayForEach(g, json_get_array(src, "genres"))
	{
		prov_add_counted(arr, json_string_value(g));
	}
}

/* extra[key] = src[key] when it is an integer in [0, max]. */
static void put_extra_int(cJSON *frag, const char *key, const cJSON *src, long long max)
{
	prov_set_count(prov_member(frag, "extra"), key, src, key, max);
}

/* extra[key] = src[key] when it is a non-empty string. */
static void put_extra_string(cJSON *frag, const char *key, const cJSON *src)
{
	prov_set_text(prov_member(frag, "extra"), key, json_get_string(src, key));
}

/* Add obj[key] = src[src_key] when it is an integer in [0, max], else null. */
static void add_int_or_null(cJSON *obj, const char *key, const cJSON *src, const char *src_key,
			    long long max)
{
	json_add_item(obj, key, prov_count_or_null(src, src_key, max));
}

static const char *read_isrc(const cJSON *src, char out[PROV_ISRC_LEN + 1])
{
	const char *s = json_get_string(json_get_object(src, "external_ids"), "isrc");

	return prov_isrc(s, out) ? out : NULL;
}

/* Builders -------------------------------------------------------------------- */

static cJSON *new_entity(const char *kind, const char *id)
{
	cJSON *frag = fragment_new_entity(provider(), kind, id);

	fragment_add_id(prov_member(frag, "ids"), "spotify", id);
	return frag;
}

/* new_entity() for the Spotify object src, with its url and name; NULL without a valid id. */
static cJSON *new_object_entity(const char *kind, const cJSON *src)
{
	const char *id = read_id(src);
	cJSON *frag;

	if (!id)
		return NULL;
	frag = new_entity(kind, id);
	prov_set_text(frag, "url", spotify_link(src));
	prov_set_text(frag, "name", json_get_string(src, "name"));
	return frag;
}

/* A Spotify artist object -> an "artist" fragment, or NULL without a valid id. */
static cJSON *build_artist(const cJSON *src)
{
	cJSON *frag = new_object_entity("artist", src);

	if (!frag)
		return NULL;
	put_images(frag, src, IMAGE_THUMB);
	put_popularity(frag, src, true);
	put_genres(frag, src);
	return frag;
}

/* album.tracks.items -> frag.tracks. */
static void put_tracks(cJSON *frag, const cJSON *album)
{
	cJSON *arr = prov_member(frag, "tracks");
	const cJSON *t;

	cJSON_ArrayForEach(t, json_get_array(json_get_object(album, "tracks"), "items"))
	{
		const char *title = json_get_string(t, "name");
		char isrc[PROV_ISRC_LEN + 1];
		cJSON *out;

		if (!title || !title[0])
			continue;
		out = json_new_object();
		json_add_string_or_null(out, "title", title);
		add_int_or_null(out, "position", t, "track_number", MAX_POSITION);
		add_int_or_null(out, "disc", t, "disc_number", MAX_POSITION);
		add_int_or_null(out, "duration_ms", t, "duration_ms", MAX_DURATION_MS);
		json_add_string_or_null(out, "isrc", read_isrc(t, isrc));
		json_add_string_or_null(out, "id", read_id(t));
		json_append(arr, out);
	}
}

/* external_ids.upc and .ean -> ids.upc (digits only). */
static void put_upcs(cJSON *frag, const cJSON *src)
{
	const cJSON *ext = json_get_object(src, "external_ids");
	const char *upc = json_get_string(ext, "upc"), *ean = json_get_string(ext, "ean");

	if (prov_upc_ok(upc))
		fragment_add_id(prov_member(frag, "ids"), "upc", upc);
	if (prov_upc_ok(ean))
		fragment_add_id(prov_member(frag, "ids"), "upc", ean);
}

/* A Spotify album object (full or simplified) -> a "release" fragment, or NULL. */
static cJSON *build_album(const cJSON *src)
{
	cJSON *frag = new_object_entity("release", src);

	if (!frag)
		return NULL;
	put_credit(frag, src);
	put_date(frag, src);
	put_images(frag, src, IMAGE_FRONT);
	put_popularity(frag, src, false);
	put_genres(frag, src);
	put_upcs(frag, src);
	put_tracks(frag, src);
	put_extra_string(frag, "label", src);
	put_extra_string(frag, "album_type", src);
	put_extra_int(frag, "total_tracks", src, MAX_POSITION);
	return frag;
}

static void put_track_extra(cJSON *frag, const cJSON *src, const cJSON *album)
{
	cJSON *extra = prov_member(frag, "extra");
	const char *preview = json_get_string(src, "preview_url");
	const char *album_id = read_id(album);
	bool explicit_lyrics;

	if (fragment_url_ok(preview))
		json_add_string_or_null(extra, "preview_url", preview);
	if (json_get_bool(src, "explicit", &explicit_lyrics))
		cJSON_AddBoolToObject(extra, "explicit", explicit_lyrics);
	put_extra_int(frag, "disc_number", src, MAX_POSITION);
	put_extra_int(frag, "track_number", src, MAX_POSITION);
	if (album_id)
		json_add_string_or_null(extra, "album_id", album_id);
}

/* A Spotify track object -> a "recording" fragment, or NULL without a valid id. */
static cJSON *build_track(const cJSON *src)
{
	const cJSON *album = json_get_object(src, "album");
	cJSON *frag = new_object_entity("recording", src);
	char isrc[PROV_ISRC_LEN + 1];

	if (!frag)
		return NULL;
	put_credit(frag, src);
	prov_set_text(frag, "album", json_get_string(album, "name"));
	prov_set_count(frag, "duration_ms", src, "duration_ms", MAX_DURATION_MS);
	put_date(frag, album);
	put_images(frag, album, IMAGE_FRONT);
	put_popularity(frag, src, false);
	fragment_add_id(prov_member(frag, "ids"), "isrc", read_isrc(src, isrc));
	put_track_extra(frag, src, album);
	return frag;
}

/* Parsers --------------------------------------------------------------------- */

typedef cJSON *builder_fn(const cJSON *src);

static enum err parse_entity(const char *body, size_t len, builder_fn *build, cJSON **out,
			     const char **why)
{
	cJSON *root = NULL;
	enum err e;

	*out = NULL;
	e = spotify_parse_object(body, len, &root, why);
	if (e != ERR_OK)
		return e;
	*out = build(root);
	if (!*out) {
		*why = "missing or invalid id";
		e = ERR_INVALID_ARGUMENT;
	}
	cJSON_Delete(root);
	return e;
}

enum err spotify_parse_artist(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(body, len, build_artist, out, why);
}

enum err spotify_parse_album(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(body, len, build_album, out, why);
}

enum err spotify_parse_track(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(body, len, build_track, out, why);
}

static cJSON *build_top_track(const cJSON *t, int rank)
{
	const char *title = json_get_string(t, "name");
	char isrc[PROV_ISRC_LEN + 1];
	double r = rank;
	cJSON *out;
	struct buf b;

	if (!title || !title[0])
		return NULL;
	buf_init(&b, MAX_CREDIT_BYTES);
	out = json_new_object();
	json_add_string_or_null(out, "title", title);
	json_add_string_or_null(out, "artist", credit(t, &b));
	json_add_string_or_null(out, "id", read_id(t));
	json_add_null(out, "mbid");
	json_add_string_or_null(out, "isrc", read_isrc(t, isrc));
	add_int_or_null(out, "duration_ms", t, "duration_ms", MAX_DURATION_MS);
	json_add_string_or_null(out, "url", spotify_link(t));
	json_add_number_or_null(out, "rank", &r);
	buf_release(&b);
	return out;
}

/* The artist's own name and link, from the first credit naming artist_id. */
static void put_credited_artist(cJSON *frag, const cJSON *tracks, const char *artist_id)
{
	const cJSON *t, *a;

	cJSON_ArrayForEach(t, tracks)
	{
		cJSON_ArrayForEach(a, json_get_array(t, "artists"))
		{
			const char *id = json_get_string(a, "id");

			if (id && strcmp(id, artist_id) == 0) {
				prov_set_text(frag, "name", json_get_string(a, "name"));
				prov_set_text(frag, "url", spotify_link(a));
				return;
			}
		}
	}
}

enum err spotify_parse_top_tracks(const char *body, size_t len, const char *artist_id, cJSON **out,
				  const char **why)
{
	const cJSON *tracks, *t;
	cJSON *root = NULL, *frag, *arr;
	enum err e;
	int rank = 0;

	*out = NULL;
	if (!spotify_valid_id(artist_id)) {
		*why = "invalid artist id";
		return ERR_INVALID_ARGUMENT;
	}
	e = spotify_parse_object(body, len, &root, why);
	if (e != ERR_OK)
		return e;
	tracks = json_get_array(root, "tracks");
	if (!tracks) {
		*why = "top-tracks body without tracks";
		cJSON_Delete(root);
		return ERR_INVALID_ARGUMENT;
	}
	frag = new_entity("artist", artist_id);
	put_credited_artist(frag, tracks, artist_id);
	arr = prov_member(frag, "top_tracks");
	cJSON_ArrayForEach(t, tracks)
	{
		cJSON *item = build_top_track(t, ++rank);

		if (item)
			json_append(arr, item);
	}
	cJSON_Delete(root);
	*out = frag;
	return ERR_OK;
}

enum err spotify_parse_search(enum spotify_type type, const char *body, size_t len, cJSON **out,
			      const char **why)
{
	static const char *const lists[SPOTIFY_TYPE__COUNT] = {"artists", "albums", "tracks"};
	static const char *const entities[SPOTIFY_TYPE__COUNT] = {"artist", "release", "recording"};
	static builder_fn *const builders[SPOTIFY_TYPE__COUNT] = {build_artist, build_album,
								  build_track};
	const cJSON *items, *item;
	cJSON *root = NULL, *frag, *arr;
	enum err e;

	*out = NULL;
	if ((unsigned)type >= SPOTIFY_TYPE__COUNT) {
		*why = "unknown search type";
		return ERR_INVALID_ARGUMENT;
	}
	e = spotify_parse_object(body, len, &root, why);
	if (e != ERR_OK)
		return e;
	items = json_get_array(json_get_object(root, lists[type]), "items");
	if (!items) {
		*why = "search body without its list";
		cJSON_Delete(root);
		return ERR_INVALID_ARGUMENT;
	}
	frag = fragment_new_candidates(provider(), entities[type]);
	arr = prov_member(frag, "items");
	cJSON_ArrayForEach(item, items)
	{
		cJSON *built = builders[type](item);

		if (built)
			json_append(arr, built);
	}
	cJSON_Delete(root);
	*out = frag;
	return ERR_OK;
}
