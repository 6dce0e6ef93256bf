/*
 * discogs_parse.c - Discogs answers to fragments.
 *
 * One builder per answer (artist, release, master, search) reads the
 * Discogs object through small put_*() helpers that trust no type, and
 * fills a fragment made by fragment_new_entity() / fragment_new_candidates(),
 * so every member is present whatever Discogs sent. Error envelopes
 * ({"message": ...}) are recognised first. Discogs' text conventions are
 * read by discogs_text.c; URLs are built by discogs_url.c.
 */
#include <stdio.h>
#include <string.h>

#include "discogs_int.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/provider_id.h"
#include "provider_int.h"

/* Counts beyond this are nonsense, not data; sizes beyond this are not images. */
#define MAX_COUNT 1000000000000LL
#define MAX_PIXELS 100000LL

#define PROVIDER provider_name(PROVIDER_DISCOGS)

/* ---- members ------------------------------------------------------------ */

/* src[key] as a Discogs id (a positive integral number, or a string of digits) into id. */
static bool read_id(const cJSON *src, const char *key, char id[DISCOGS_MAX_ID_LEN + 1])
{
	return prov_read_id(src, key, DISCOGS_MAX_ID_LEN, id, DISCOGS_MAX_ID_LEN + 1);
}

/* frag.url = the page of uri, made absolute on www.discogs.com when relative. */
static void put_url(cJSON *frag, const char *uri)
{
	struct buf b;

	if (!uri || !uri[0])
		return;
	buf_init(&b, DISCOGS_MAX_TEXT_BYTES);
	if (uri[0] == '/' && uri[1] != '/')
		buf_adds(&b, DISCOGS_WEB_URL);
	buf_adds(&b, uri);
	if (!buf_failed(&b) && fragment_url_ok(b.data))
		prov_set_text(frag, "url", b.data);
	buf_release(&b);
}

/* frag[key] = name without its suffix; the raw name in extra.discogs_name when they differ. */
static void put_name(cJSON *frag, const char *key, const char *name, size_t n)
{
	struct buf b;

	if (!name || !n)
		return;
	buf_init(&b, DISCOGS_MAX_TEXT_BYTES);
	discogs_add_name(&b, name, n);
	if (!buf_failed(&b))
		prov_set_text(frag, key, b.data);
	if (!buf_failed(&b) && b.len != n && strcmp(key, "name") == 0) {
		cJSON *raw = json_new_stringn(name, n);

		prov_set(prov_member(frag, "extra"), "discogs_name", raw);
	}
	buf_release(&b);
}

/* frag.artist = the credit of src.artists, else src.artists_sort. */
static void put_credit(cJSON *frag, const cJSON *src)
{
	const char *sort = json_get_string(src, "artists_sort");
	struct buf b;

	buf_init(&b, DISCOGS_MAX_TEXT_BYTES);
	discogs_credit(json_get_array(src, "artists"), &b);
	if (!buf_failed(&b) && b.len)
		prov_set_text(frag, "artist", b.data);
	else if (sort)
		put_name(frag, "artist", sort, strlen(sort));
	buf_release(&b);
}

/* frag.date from src.released, else src.year (a number or a string). */
static void put_date(cJSON *frag, const cJSON *src)
{
	char date[DISCOGS_DATE_LEN + 1];
	const char *year = json_get_string(src, "year");
	long long y;

	if (discogs_date(json_get_string(src, "released"), date) || discogs_date(year, date)) {
		prov_set_text(frag, "date", date);
	} else if (json_get_int(src, "year", 1, 9999, &y)) {
		snprintf(date, sizeof(date), "%04lld", y);
		prov_set_text(frag, "date", date);
	}
}

/* frag[key] = [{name, count: null}] from the strings of src[src_key]. */
static void put_counted(cJSON *frag, const char *key, const cJSON *src, const char *src_key)
{
	cJSON *arr = prov_member(frag, key);
	const cJSON *v;

	cJSON_ArrayForEach(v, json_get_array(src, src_key))
	{
		prov_add_counted(arr, json_string_value(v));
	}
}

static int pixels(const cJSON *img, const char *key)
{
	long long v;

	return json_get_int(img, key, 1, MAX_PIXELS, &v) ? (int)v : 0;
}

/* Add an image of url (unless a placeholder), with thumb as thumbnails.small. */
static void add_image(cJSON *arr, const char *url, const char *thumb, enum image_type type,
		      int width, int height)
{
	cJSON *img;

	if (!url || discogs_is_spacer(url))
		return;
	img = fragment_add_image(arr, url, type, width, height);
	if (!img || discogs_is_spacer(thumb) || !fragment_url_ok(thumb))
		return;
	json_add_string_or_null(prov_member(img, "thumbnails"), "small", thumb);
}

/* frag.images from src.images: the primary ones (as primary) first, then the rest (as other). */
static void put_images(cJSON *frag, const cJSON *src, enum image_type primary,
		       enum image_type other)
{
	const cJSON *images = json_get_array(src, "images"), *img;
	cJSON *arr = prov_member(frag, "images");

	for (int pass = 0; pass < 2; pass++) {
		cJSON_ArrayForEach(img, images)
		{
			const char *type = json_get_string(img, "type");
			bool is_primary = type && strcmp(type, "primary") == 0;

			if (is_primary != (pass == 0))
				continue;
			add_image(arr, json_get_string(img, "uri"), json_get_string(img, "uri150"),
				  is_primary ? primary : other, pixels(img, "width"),
				  pixels(img, "height"));
		}
	}
}

static cJSON *new_track(const char *title, long position, long disc, long long ms)
{
	cJSON *t = json_new_object();
	double p = (double)position, d = (double)disc, m = (double)ms;

	json_add_string_or_null(t, "title", title);
	json_add_number_or_null(t, "position", &p);
	json_add_number_or_null(t, "disc", disc ? &d : NULL);
	json_add_number_or_null(t, "duration_ms", ms > 0 ? &m : NULL);
	json_add_null(t, "isrc");
	json_add_null(t, "id");
	return t;
}

/*
 * frag.tracks from src.tracklist: tracks and index tracks, not headings;
 * position counts the tracks of the current disc (all of them when the
 * positions name no disc).
 */
static void put_tracks(cJSON *frag, const cJSON *src)
{
	cJSON *arr = prov_member(frag, "tracks");
	const cJSON *t;
	long disc = -1, position = 0;

	cJSON_ArrayForEach(t, json_get_array(src, "tracklist"))
	{
		const char *type = json_get_string(t, "type_"),
			   *title = json_get_string(t, "title");
		long d;

		if (!cJSON_IsObject(t) || !title || !title[0])
			continue;
		if (type && strcmp(type, "track") != 0 && strcmp(type, "index") != 0)
			continue;
		d = discogs_position_disc(json_get_string(t, "position"));
		if (d != disc) {
			disc = d;
			position = 0;
		}
		json_append(arr, new_track(title, ++position, d,
					   discogs_duration_ms(json_get_string(t, "duration"))));
	}
}

/* ids.upc from the Barcode identifiers. */
static void put_barcodes(cJSON *frag, const cJSON *src)
{
	const cJSON *ident;

	cJSON_ArrayForEach(ident, json_get_array(src, "identifiers"))
	{
		const char *type = json_get_string(ident, "type");
		char digits[15];

		if (type && strcmp(type, "Barcode") == 0 &&
		    discogs_barcode(json_get_string(ident, "value"), digits))
			fragment_add_id(prov_member(frag, "ids"), "upc", digits);
	}
}

/* extra[key] = src[src_key] as an id string. */
static void put_extra_id(cJSON *frag, const char *key, const cJSON *src, const char *src_key)
{
	char id[DISCOGS_MAX_ID_LEN + 1];

	if (read_id(src, src_key, id))
		prov_set_text(prov_member(frag, "extra"), key, id);
}

/* ---- bodies ------------------------------------------------------------- */

/*
 * Discogs' error envelope {"message": "..."} (an object without "id" or
 * "results"): ERR_NOT_FOUND for "... not found.", else ERR_INVALID_ARGUMENT;
 * ERR_OK when root is not one.
 */
static enum err envelope(const cJSON *root, const char **why)
{
	const char *msg = json_get_string(root, "message");

	if (!msg || json_get(root, "id") || json_get(root, "results"))
		return ERR_OK;
	if (strcasestr(msg, "not found")) {
		*why = "discogs: not found";
		return ERR_NOT_FOUND;
	}
	if (strcasestr(msg, "authenticate"))
		*why = "discogs: authentication required";
	else if (strcasestr(msg, "too quickly"))
		*why = "discogs: rate limited";
	else if (strcasestr(msg, "token"))
		*why = "discogs: invalid token";
	else
		*why = "discogs: error message";
	return ERR_INVALID_ARGUMENT;
}

/* Parse body into an object that is not an error envelope. */
static enum err parse_body(const char *body, size_t len, cJSON **root, const char **why)
{
	enum err e = json_parse(body, len, DISCOGS_MAX_BODY_BYTES, root, why);

	if (e != ERR_OK)
		return e;
	if (!cJSON_IsObject(*root)) {
		*why = "body is not a JSON object";
		e = ERR_INVALID_ARGUMENT;
	} else {
		e = envelope(*root, why);
	}
	if (e != ERR_OK) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return e;
}

/*
 * A fragment of kind for the entity src: id, url, ids.discogs, and name from
 * src[name_key] unless name_key is NULL; NULL without an id.
 */
static cJSON *new_entity(const char *kind, const cJSON *src, const char *name_key)
{
	char id[DISCOGS_MAX_ID_LEN + 1];
	const char *name = name_key ? json_get_string(src, name_key) : NULL;
	cJSON *frag;

	if (!read_id(src, "id", id))
		return NULL;
	frag = fragment_new_entity(PROVIDER, kind, id);
	fragment_add_id(prov_member(frag, "ids"), "discogs", id);
	put_url(frag, json_get_string(src, "uri"));
	if (name)
		put_name(frag, "name", name, strlen(name));
	return frag;
}

static void build_artist(cJSON *frag, const cJSON *src)
{
	const char *profile = json_get_string(src, "profile");
	struct buf b;

	buf_init(&b, DISCOGS_MAX_TEXT_BYTES);
	discogs_profile_text(profile ? profile : "", &b);
	if (!buf_failed(&b) && b.len)
		prov_add_biography(frag, b.data, NULL, "en", json_get_string(frag, "url"),
				   DISCOGS_ATTRIBUTION);
	buf_release(&b);
	put_images(frag, src, IMAGE_THUMB, IMAGE_THUMB);
	prov_set_text(prov_member(frag, "extra"), "realname", json_get_string(src, "realname"));
}

static void build_release(cJSON *frag, const cJSON *src)
{
	const cJSON *community = json_get_object(src, "community");
	cJSON *pop = prov_member(frag, "popularity");

	put_credit(frag, src);
	put_date(frag, src);
	put_counted(frag, "genres", src, "genres");
	put_counted(frag, "tags", src, "styles");
	put_tracks(frag, src);
	put_barcodes(frag, src);
	put_images(frag, src, IMAGE_FRONT, IMAGE_OTHER);
	prov_set_count(pop, "have", community, "have", MAX_COUNT);
	prov_set_count(pop, "want", community, "want", MAX_COUNT);
	put_extra_id(frag, "master_id", src, "master_id");
	prov_set_text(prov_member(frag, "extra"), "country", json_get_string(src, "country"));
}

static void build_master(cJSON *frag, const cJSON *src)
{
	put_credit(frag, src);
	put_date(frag, src);
	put_counted(frag, "genres", src, "genres");
	put_counted(frag, "tags", src, "styles");
	put_tracks(frag, src);
	put_images(frag, src, IMAGE_FRONT, IMAGE_OTHER);
	put_extra_id(frag, "main_release", src, "main_release");
}

typedef void build_fn(cJSON *frag, const cJSON *src);

static enum err parse_entity(enum discogs_entity e, build_fn *build, const char *body, size_t len,
			     cJSON **out, const char **why)
{
	cJSON *root = NULL, *frag;
	enum err err;

	*out = NULL;
	err = parse_body(body, len, &root, why);
	if (err != ERR_OK)
		return err;
	frag = new_entity(discogs_entity_kind(e), root, e == DISCOGS_ARTIST ? "name" : "title");
	if (!frag) {
		cJSON_Delete(root);
		*why = "missing id";
		return ERR_INVALID_ARGUMENT;
	}
	build(frag, root);
	cJSON_Delete(root);
	*out = frag;
	return ERR_OK;
}

enum err discogs_parse_artist(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(DISCOGS_ARTIST, build_artist, body, len, out, why);
}

enum err discogs_parse_release(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(DISCOGS_RELEASE, build_release, body, len, out, why);
}

enum err discogs_parse_master(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse_entity(DISCOGS_MASTER, build_master, body, len, out, why);
}

/* ---- search ------------------------------------------------------------- */

/* A search result of type e -> an entity fragment, or NULL without an id. */
static cJSON *search_item(enum discogs_entity e, const cJSON *r)
{
	const char *title = json_get_string(r, "title"), *dash;
	enum image_type type = e == DISCOGS_ARTIST ? IMAGE_THUMB : IMAGE_FRONT;
	const char *cover = json_get_string(r, "cover_image"), *thumb = json_get_string(r, "thumb");
	cJSON *item = new_entity(discogs_entity_kind(e), r, e == DISCOGS_ARTIST ? "title" : NULL);

	if (!item)
		return NULL;
	if (e != DISCOGS_ARTIST && title) {
		/* "Artist - Title" */
		dash = strstr(title, " - ");
		if (dash) {
			put_name(item, "artist", title, (size_t)(dash - title));
			title = dash + 3;
		}
		prov_set_text(item, "name", title);
		put_date(item, r);
		put_extra_id(item, "master_id", r, "master_id");
	}
	put_counted(item, "genres", r, "genre");
	put_counted(item, "tags", r, "style");
	if (!cover || discogs_is_spacer(cover) || !fragment_url_ok(cover))
		cover = NULL;
	add_image(prov_member(item, "images"), cover ? cover : thumb, cover ? thumb : NULL, type, 0,
		  0);
	return item;
}

enum err discogs_parse_search(enum discogs_entity type, const char *body, size_t len, cJSON **out,
			      const char **why)
{
	const cJSON *results, *r;
	cJSON *root = NULL, *cand, *items;
	enum err err;

	*out = NULL;
	if ((unsigned)type >= DISCOGS_ENTITY__COUNT) {
		*why = "unknown entity";
		return ERR_INVALID_ARGUMENT;
	}
	err = parse_body(body, len, &root, why);
	if (err != ERR_OK)
		return err;
	results = json_get_array(root, "results");
	if (!results) {
		cJSON_Delete(root);
		*why = "search without results";
		return ERR_INVALID_ARGUMENT;
	}
	cand = fragment_new_candidates(PROVIDER, discogs_entity_kind(type));
	items = prov_member(cand, "items");
	cJSON_ArrayForEach(r, results)
	{
		const char *t = json_get_string(r, "type");
		cJSON *item;

		if (!t || strcmp(t, discogs_entity_name(type)) != 0)
			continue;
		item = search_item(type, r);
		if (item)
			json_append(items, item);
	}
	cJSON_Delete(root);
	*out = cand;
	return ERR_OK;
}
