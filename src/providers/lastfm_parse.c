/*
 * lastfm_parse.c - Last.fm answers to fragments.
 *
 * One builder per method reads the answer's member ("artist", "album",
 * "track", "similarartists", "toptracks", "similartracks") through small
 * put_*() helpers that trust no type, and fills a fragment made by
 * fragment_new_entity(), so every member is present whatever Last.fm sent.
 * Error bodies ({"error": n}) are recognised first. Last.fm's value and
 * wiki conventions are read by lastfm_text.c; URLs are built by
 * lastfm_url.c.
 */
#include <string.h>

#include "lastfm_int.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/provider_id.h"
#include "medley/xalloc.h"
#include "provider_int.h"

#define PROVIDER provider_name(PROVIDER_LASTFM)

/* Track lengths past this are nonsense; ranks, positions and counts likewise. */
#define MAX_DURATION_MS (100LL * 3600 * 1000)
#define MAX_RANK 1000000LL
#define MAX_COUNT 1000000000000000LL

/* ---- members ------------------------------------------------------------ */

static void set_url(cJSON *obj, const char *key, const char *url)
{
	if (fragment_url_ok(url))
		prov_set_text(obj, key, url);
}

/* src[key] as a count (Last.fm sends counts as strings of digits). */
static bool read_count(const cJSON *src, const char *key, long long *out)
{
	return prov_read_count(src, key, MAX_COUNT, out);
}

/* The lowercase MBID of src[key] into id, or false. */
static bool read_mbid(const cJSON *src, const char *key, char id[MB_MBID_LEN + 1])
{
	return mb_normalize_mbid(json_get_string(src, key), id) == ERR_OK;
}

/* A name: src[key] when a non-empty string, else src[key].name (Last.fm nests artists). */
static const char *read_name(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);

	if (!s)
		s = json_get_string(json_get_object(src, key), "name");
	if (!s)
		s = json_get_string(json_get_object(src, key), "#text");
	return s && s[0] ? s : NULL;
}

/* "<artist> - <title>" (or title alone without artist): the id of an album or track. */
static char *pair_id(const char *artist, const char *title)
{
	struct buf b;

	buf_init(&b, LASTFM_MAX_TEXT_BYTES);
	if (artist) {
		buf_adds(&b, artist);
		buf_adds(&b, " - ");
	}
	buf_adds(&b, title);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static cJSON *new_fragment(const char *kind, const char *id)
{
	cJSON *frag = fragment_new_entity(PROVIDER, kind, id);

	fragment_add_id(prov_member(frag, "ids"), "lastfm", id);
	return frag;
}

/* Album or track (kind) title by artist (or NULL), its id pair_id(); NULL when too long. */
static cJSON *new_titled(const char *kind, const char *title, const char *artist)
{
	char *id = pair_id(artist, title);
	cJSON *frag;

	if (!id)
		return NULL;
	frag = new_fragment(kind, id);
	xfree(id);
	prov_set_text(frag, "name", title);
	prov_set_text(frag, "artist", artist);
	return frag;
}

/* popularity {listeners, playcount} from src. */
static void put_popularity(cJSON *frag, const cJSON *src)
{
	static const char *const keys[] = {"listeners", "playcount"};
	cJSON *pop = prov_member(frag, "popularity");

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		long long v;

		if (read_count(src, keys[i], &v))
			prov_set(pop, keys[i], cJSON_CreateNumber((double)v));
	}
}

/* tags [{name, count: null}] from src.tag (a list, one tag, or nothing). */
static void put_tags(cJSON *frag, const cJSON *src)
{
	cJSON *arr = prov_member(frag, "tags");
	const cJSON *t;

	LASTFM_FOR_EACH(t, json_get(src, "tag"))
	{
		prov_add_counted(arr, json_get_string(t, "name"));
	}
}

static bool is_placeholder(const char *url)
{
	return strstr(url, LASTFM_PLACEHOLDER_IMAGE) != NULL;
}

/* The usable URL of the image of src[] with size name size, or NULL. */
static const char *image_of_size(const cJSON *images, const char *size)
{
	const cJSON *img;

	LASTFM_FOR_EACH(img, images)
	{
		const char *s = json_get_string(img, "size"), *url = json_get_string(img, "#text");

		if (s && strcmp(s, size) == 0 && fragment_url_ok(url) && !is_placeholder(url))
			return url;
	}
	return NULL;
}

/* images: one image, the largest size given, with "small" and "large" as thumbnails. */
static void put_images(cJSON *frag, const cJSON *images, enum image_type type)
{
	static const char *const by_size[] = {"mega", "extralarge", "large", "medium", "small", ""};
	static const char *const thumbs[] = {"small", "large"};
	const char *url = NULL;
	cJSON *img;
	int px;

	for (size_t i = 0; !url && i < ARRAY_SIZE(by_size); i++)
		url = image_of_size(images, by_size[i]);
	if (!url)
		return;
	px = lastfm_image_size(url);
	img = fragment_add_image(prov_member(frag, "images"), url, type, px, px);
	for (size_t i = 0; img && i < ARRAY_SIZE(thumbs); i++) {
		const char *t = image_of_size(images, thumbs[i]);

		if (t && strcmp(t, url) != 0)
			json_add_string_or_null(prov_member(img, "thumbnails"), thumbs[i], t);
	}
}

/* The wiki text of src[key] into a new string (NULL when empty); *href as lastfm_wiki_text(). */
static char *wiki_text(const cJSON *src, const char *key, char **href)
{
	const char *s = json_get_string(src, key);
	struct buf b;

	if (href)
		*href = NULL;
	if (!s)
		return NULL;
	buf_init(&b, LASTFM_MAX_TEXT_BYTES);
	lastfm_wiki_text(s, &b, href);
	if (buf_failed(&b) || !b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The wiki page: bio.links.link.href, else the Read-more link. */
static const char *wiki_url(const cJSON *bio, const char *more)
{
	const cJSON *link;

	LASTFM_FOR_EACH(link, json_get(json_get_object(bio, "links"), "link"))
	{
		const char *href = json_get_string(link, "href");

		if (fragment_url_ok(href))
			return href;
	}
	return fragment_url_ok(more) ? more : NULL;
}

/* biographies[0] from an artist bio or an album / track wiki, in language lang. */
static void put_bio(cJSON *frag, const cJSON *bio, const char *lang)
{
	char *more_c = NULL, *more_s = NULL;
	char *content = wiki_text(bio, "content", &more_c);
	char *summary = wiki_text(bio, "summary", &more_s);

	if (content || summary)
		prov_add_biography(frag, content ? content : summary, summary,
				   lastfm_lang_ok(lang) ? lang : "en",
				   wiki_url(bio, more_c ? more_c : more_s), LASTFM_ATTRIBUTION);
	xfree(more_s);
	xfree(more_c);
	xfree(summary);
	xfree(content);
}

/* An item of "similar": {name, id, mbid, url, score}. */
static cJSON *new_similar(const char *name, const char *id, const cJSON *src)
{
	cJSON *item = json_new_object();
	char mbid[MB_MBID_LEN + 1];
	const char *url = json_get_string(src, "url");
	double score;

	json_add_string_or_null(item, "name", name);
	json_add_string_or_null(item, "id", id);
	json_add_string_or_null(item, "mbid", read_mbid(src, "mbid", mbid) ? mbid : NULL);
	json_add_string_or_null(item, "url", fragment_url_ok(url) ? url : NULL);
	json_add_number_or_null(item, "score",
				prov_read_number(src, "match", 0, 1, &score) ? &score : NULL);
	return item;
}

/* similar from a list of artists. */
static void put_similar_artists(cJSON *frag, const cJSON *list)
{
	const cJSON *a;

	LASTFM_FOR_EACH(a, list)
	{
		const char *name = read_name(a, "name");

		if (name)
			json_append(prov_member(frag, "similar"), new_similar(name, name, a));
	}
}

/* ---- bodies ------------------------------------------------------------- */

static const char *error_reason(long long code)
{
	switch (code) {
	case LASTFM_ERROR_NOT_FOUND:
		return "lastfm: not found";
	case LASTFM_ERROR_INVALID_KEY:
		return "lastfm: invalid api key";
	case LASTFM_ERROR_SUSPENDED_KEY:
		return "lastfm: suspended api key";
	case LASTFM_ERROR_RATE_LIMIT:
		return "lastfm: rate limit exceeded";
	case 11:
	case 16:
		return "lastfm: service unavailable";
	default:
		return "lastfm: error";
	}
}

/* Parse body into an object that is not an error body; *obj = root[key], an object. */
static enum err parse_body(const char *body, size_t len, const char *key, cJSON **root,
			   const cJSON **obj, const char **why)
{
	enum err e = json_parse(body, len, LASTFM_MAX_BODY_BYTES, root, why);
	long long code;

	if (e != ERR_OK)
		return e;
	if (!cJSON_IsObject(*root)) {
		*why = "body is not a JSON object";
		e = ERR_INVALID_ARGUMENT;
	} else if (json_get(*root, "error")) {
		if (!json_get_int(*root, "error", 1, 1000000, &code))
			code = 0;
		*why = error_reason(code);
		e = code == LASTFM_ERROR_NOT_FOUND ? ERR_NOT_FOUND : ERR_INVALID_ARGUMENT;
	} else if (!(*obj = json_get_object(*root, key))) {
		*why = "answer lacks its member";
		e = ERR_INVALID_ARGUMENT;
	}
	if (e != ERR_OK) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return e;
}

int lastfm_error_code(const char *body, size_t len)
{
	const char *why;
	cJSON *root = NULL;
	long long code = 0;

	if (json_parse(body, len, LASTFM_MAX_BODY_BYTES, &root, &why) != ERR_OK)
		return 0;
	if (!json_get_int(root, "error", 1, 1000000, &code))
		code = 0;
	cJSON_Delete(root);
	return (int)code;
}

typedef cJSON *build_fn(const cJSON *src, const char *lang);

static enum err parse(const char *key, build_fn *build, const char *body, size_t len,
		      const char *lang, cJSON **out, const char **why)
{
	const cJSON *src = NULL;
	cJSON *root = NULL;
	enum err e;

	*out = NULL;
	e = parse_body(body, len, key, &root, &src, why);
	if (e != ERR_OK)
		return e;
	*out = build(src, lang);
	cJSON_Delete(root);
	if (!*out) {
		*why = "answer without a name";
		return ERR_INVALID_ARGUMENT;
	}
	return ERR_OK;
}

/* ---- methods ------------------------------------------------------------ */

static cJSON *build_artist_info(const cJSON *src, const char *lang)
{
	const char *name = read_name(src, "name");
	char mbid[MB_MBID_LEN + 1];
	const char *ontour = json_get_string(src, "ontour");
	cJSON *frag;

	if (!name)
		return NULL;
	frag = new_fragment("artist", name);
	prov_set_text(frag, "name", name);
	set_url(frag, "url", json_get_string(src, "url"));
	if (read_mbid(src, "mbid", mbid))
		fragment_add_id(prov_member(frag, "ids"), "mbid", mbid);
	put_popularity(frag, json_get_object(src, "stats"));
	put_tags(frag, json_get_object(src, "tags"));
	put_similar_artists(frag, json_get(json_get_object(src, "similar"), "artist"));
	put_bio(frag, json_get_object(src, "bio"), lang);
	put_images(frag, json_get(src, "image"), IMAGE_THUMB);
	if (ontour && (strcmp(ontour, "0") == 0 || strcmp(ontour, "1") == 0))
		prov_set(prov_member(frag, "extra"), "ontour", cJSON_CreateBool(ontour[0] == '1'));
	return frag;
}

/* The fragment of the artist a list answer is about (@attr.artist). */
static cJSON *list_owner(const cJSON *src, const char *kind)
{
	const cJSON *attr = json_get_object(src, "@attr");
	const char *artist = read_name(attr, "artist"), *track = read_name(attr, "track");
	cJSON *frag;

	if (!artist || (strcmp(kind, "recording") == 0 && !track))
		return NULL;
	if (strcmp(kind, "artist") != 0)
		return new_titled(kind, track, artist);
	frag = new_fragment(kind, artist);
	prov_set_text(frag, "name", artist);
	return frag;
}

static cJSON *build_artist_similar(const cJSON *src, const char *lang)
{
	cJSON *frag = list_owner(src, "artist");

	(void)lang;
	if (frag)
		put_similar_artists(frag, json_get(src, "artist"));
	return frag;
}

static cJSON *new_top_track(const char *title, const cJSON *t)
{
	cJSON *item = json_new_object();
	char mbid[MB_MBID_LEN + 1];
	const char *url = json_get_string(t, "url");
	long long rank;
	double r;

	json_add_string_or_null(item, "title", title);
	json_add_string_or_null(item, "artist", read_name(t, "artist"));
	json_add_null(item, "id");
	json_add_string_or_null(item, "mbid", read_mbid(t, "mbid", mbid) ? mbid : NULL);
	json_add_null(item, "isrc");
	json_add_null(item, "duration_ms");
	json_add_string_or_null(item, "url", fragment_url_ok(url) ? url : NULL);
	r = read_count(json_get_object(t, "@attr"), "rank", &rank) && rank <= MAX_RANK
		    ? (double)rank
		    : -1;
	json_add_number_or_null(item, "rank", r >= 0 ? &r : NULL);
	return item;
}

static cJSON *build_top_tracks(const cJSON *src, const char *lang)
{
	cJSON *frag = list_owner(src, "artist");
	const cJSON *t;

	(void)lang;
	if (!frag)
		return NULL;
	LASTFM_FOR_EACH(t, json_get(src, "track"))
	{
		const char *title = read_name(t, "name");

		if (title)
			json_append(prov_member(frag, "top_tracks"), new_top_track(title, t));
	}
	return frag;
}

/* A tracks item of an album: position from @attr.rank, duration in seconds. */
static cJSON *new_album_track(const char *title, const cJSON *t)
{
	cJSON *item = json_new_object();
	long long v;
	double pos = -1, ms = -1;

	if (read_count(json_get_object(t, "@attr"), "rank", &v) && v >= 1 && v <= MAX_RANK)
		pos = (double)v;
	if (read_count(t, "duration", &v) && v > 0 && v * 1000 <= MAX_DURATION_MS)
		ms = (double)(v * 1000);
	json_add_string_or_null(item, "title", title);
	json_add_number_or_null(item, "position", pos > 0 ? &pos : NULL);
	json_add_null(item, "disc");
	json_add_number_or_null(item, "duration_ms", ms > 0 ? &ms : NULL);
	json_add_null(item, "isrc");
	json_add_null(item, "id");
	return item;
}

/* Members albums and tracks share: url, ids.mbid, popularity, wiki. */
static void put_common(cJSON *frag, const cJSON *src, const char *lang)
{
	char mbid[MB_MBID_LEN + 1];

	set_url(frag, "url", json_get_string(src, "url"));
	if (read_mbid(src, "mbid", mbid))
		fragment_add_id(prov_member(frag, "ids"), "mbid", mbid);
	put_popularity(frag, src);
	put_bio(frag, json_get_object(src, "wiki"), lang);
}

static cJSON *build_album_info(const cJSON *src, const char *lang)
{
	const char *name = read_name(src, "name"), *artist = read_name(src, "artist");
	const cJSON *t;
	cJSON *frag = name ? new_titled("release-group", name, artist) : NULL;

	if (!frag)
		return NULL;
	put_common(frag, src, lang);
	put_tags(frag, json_get_object(src, "tags"));
	LASTFM_FOR_EACH(t, json_get(json_get_object(src, "tracks"), "track"))
	{
		const char *title = read_name(t, "name");

		if (title)
			json_append(prov_member(frag, "tracks"), new_album_track(title, t));
	}
	put_images(frag, json_get(src, "image"), IMAGE_FRONT);
	return frag;
}

static cJSON *build_track_info(const cJSON *src, const char *lang)
{
	const char *name = read_name(src, "name"), *artist = read_name(src, "artist");
	const cJSON *album = json_get_object(src, "album");
	cJSON *frag = name ? new_titled("recording", name, artist) : NULL;
	long long ms;

	if (!frag)
		return NULL;
	prov_set_text(frag, "album", read_name(album, "title"));
	if (read_count(src, "duration", &ms) && ms > 0 && ms <= MAX_DURATION_MS)
		prov_set(frag, "duration_ms", cJSON_CreateNumber((double)ms));
	put_common(frag, src, lang);
	put_tags(frag, json_get_object(src, "toptags"));
	put_images(frag, json_get(album, "image"), IMAGE_FRONT);
	return frag;
}

static cJSON *build_track_similar(const cJSON *src, const char *lang)
{
	cJSON *frag = list_owner(src, "recording");
	const cJSON *t;

	(void)lang;
	if (!frag)
		return NULL;
	LASTFM_FOR_EACH(t, json_get(src, "track"))
	{
		const char *title = read_name(t, "name");
		char *id = title ? pair_id(read_name(t, "artist"), title) : NULL;

		if (id)
			json_append(prov_member(frag, "similar"), new_similar(title, id, t));
		xfree(id);
	}
	return frag;
}

enum err lastfm_parse_artist_info(const char *body, size_t len, const char *lang, cJSON **out,
				  const char **why)
{
	return parse("artist", build_artist_info, body, len, lang, out, why);
}

enum err lastfm_parse_artist_similar(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse("similarartists", build_artist_similar, body, len, NULL, out, why);
}

enum err lastfm_parse_artist_top_tracks(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse("toptracks", build_top_tracks, body, len, NULL, out, why);
}

enum err lastfm_parse_album_info(const char *body, size_t len, const char *lang, cJSON **out,
				 const char **why)
{
	return parse("album", build_album_info, body, len, lang, out, why);
}

enum err lastfm_parse_track_info(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse("track", build_track_info, body, len, NULL, out, why);
}

enum err lastfm_parse_track_similar(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse("similartracks", build_track_similar, body, len, NULL, out, why);
}
