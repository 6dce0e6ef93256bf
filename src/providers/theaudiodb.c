/*
 * theaudiodb.c - TheAudioDB's request URLs and its answers as fragments.
 *
 * Builds the three MBID lookups of TheAudioDB's JSON API v1 and turns
 * their answers (artist-mb.php, album-mb.php, track-mb.php) into artist,
 * release-group and recording fragments. TheAudioDB sends every number as
 * a string and marks "unknown" with null, "" or "0"; the readers below
 * accept a value only when it has the expected form. Which source member
 * feeds which fragment member is written as tables, one per entity. This
 * file does no I/O and knows no host but the public page links.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/provider_id.h"
#include "medley/theaudiodb.h"
#include "medley/xalloc.h"
#include "provider_int.h"

/* Public pages: https://www.theaudiodb.com/artist/<id>, /album/<id>, /track/<id>. */
#define PAGE_ROOT "https://www.theaudiodb.com"

/* TheAudioDB's artwork (www. or r2.theaudiodb.com): "<url>/medium" is a resized copy. */
#define ARTWORK_PATH "theaudiodb.com/images/"

/* Longest numeric id kept (TheAudioDB's ids are 6 to 8 digits). */
#define MAX_ID_DIGITS 20

/* Bounds past which a number reads as absent. */
#define MAX_DURATION_MS 86400000.0 /* one day */
#define MAX_COUNT 1e15

/* Longest member name built from a prefix and a language suffix. */
#define MAX_KEY_BYTES 64

static const struct {
	const char *suffix;
	const char *lang;
} languages[] = {
	{"EN", "en"}, {"DE", "de"}, {"FR", "fr"}, {"CN", "zh"}, {"IT", "it"},
	{"JP", "ja"}, {"RU", "ru"}, {"ES", "es"}, {"PT", "pt"}, {"SE", "sv"},
	{"NL", "nl"}, {"HU", "hu"}, {"NO", "no"}, {"IL", "he"}, {"PL", "pl"},
};

const char *theaudiodb_language(const char *suffix)
{
	for (size_t i = 0; suffix && i < ARRAY_SIZE(languages); i++)
		if (strcmp(suffix, languages[i].suffix) == 0)
			return languages[i].lang;
	return NULL;
}

/* Request URLs --------------------------------------------------------------- */

static enum err build_url(const char *base_url, const char *api_key, const char *script,
			  const char *mbid, struct buf *out)
{
	char id[MB_MBID_LEN + 1];
	size_t klen;

	assert(out);
	if (!base_url || !base_url[0] || !api_key)
		return ERR_INVALID_ARGUMENT;
	klen = strnlen(api_key, THEAUDIODB_MAX_KEY_BYTES + 1);
	if (klen == 0 || klen > THEAUDIODB_MAX_KEY_BYTES)
		return ERR_INVALID_ARGUMENT;
	if (mb_normalize_mbid(mbid, id) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	buf_adds(out, base_url);
	buf_addch(out, '/');
	buf_add_pct(out, api_key);
	buf_addf(out, "/%s?i=%s", script, id);
	return prov_built(out);
}

enum err theaudiodb_artist_url(const char *base_url, const char *api_key, const char *artist_mbid,
			       struct buf *out)
{
	return build_url(base_url, api_key, "artist-mb.php", artist_mbid, out);
}

enum err theaudiodb_album_url(const char *base_url, const char *api_key,
			      const char *release_group_mbid, struct buf *out)
{
	return build_url(base_url, api_key, "album-mb.php", release_group_mbid, out);
}

enum err theaudiodb_track_url(const char *base_url, const char *api_key, const char *recording_mbid,
			      struct buf *out)
{
	return build_url(base_url, api_key, "track-mb.php", recording_mbid, out);
}

/* Readers: TheAudioDB's values, trusted for nothing ------------------------------ */

/* src[key] as an integral number within [min, max]: a number, or a string holding only one. */
static bool integer(const cJSON *src, const char *key, double min, double max, double *out)
{
	return prov_read_number(src, key, min, max, out) && floor(*out) == *out;
}

/* src[key] as a positive decimal id ("111319" or 111319) into out; "0" is no id. */
static bool read_id(const cJSON *src, const char *key, char out[MAX_ID_DIGITS + 1])
{
	const char *s = prov_text(src, key);
	double v;
	size_t n;

	if (!s) {
		if (!integer(src, key, 1, 9007199254740992.0, &v))
			return false;
		snprintf(out, MAX_ID_DIGITS + 1, "%.0f", v);
		return true;
	}
	n = strspn(s, "0123456789");
	if (n == 0 || s[n] || n > MAX_ID_DIGITS || strspn(s, "0") == n)
		return false;
	memcpy(out, s, n + 1);
	return true;
}

/* Fragment members --------------------------------------------------------------- */

/* One biography per strBiographyXX / strDescriptionXX present, in the table's order. */
static void put_biographies(cJSON *frag, const cJSON *src, const char *prefix)
{
	for (size_t i = 0; i < ARRAY_SIZE(languages); i++) {
		char key[MAX_KEY_BYTES];
		const char *s;
		char *t;

		snprintf(key, sizeof(key), "%s%s", prefix, languages[i].suffix);
		s = prov_text(src, key);
		if (!s || !(t = prov_plain_text(s)))
			continue;
		prov_add_biography(frag, t, NULL, languages[i].lang, NULL, THEAUDIODB_ATTRIBUTION);
		xfree(t);
	}
}

struct image_field {
	const char *key;
	enum image_type type;
};

static bool has_url(const cJSON *arr, const char *url)
{
	const cJSON *img;

	cJSON_ArrayForEach(img, arr)
	{
		const char *u = json_get_string(img, "url");

		if (u && strcmp(u, url) == 0)
			return true;
	}
	return false;
}

/* Images in the table's order; a URL ending in '/' names no file (a placeholder). */
static void put_images(cJSON *frag, const cJSON *src, const struct image_field *f, size_t n)
{
	cJSON *arr = prov_member(frag, "images");

	for (size_t i = 0; i < n; i++) {
		const char *url = prov_text(src, f[i].key);
		cJSON *img;
		char *medium;
		size_t len;

		if (!url || url[strlen(url) - 1] == '/' || has_url(arr, url))
			continue;
		img = fragment_add_image(arr, url, f[i].type, 0, 0);
		if (!img || !strstr(url, ARTWORK_PATH) || strchr(url, '?'))
			continue; /* the resized copy exists for TheAudioDB's own artwork only */
		len = strlen(url) + sizeof("/medium");
		medium = xmalloc(len);
		snprintf(medium, len, "%s/medium", url);
		json_add_string_or_null(prov_member(img, "thumbnails"), "medium", medium);
		xfree(medium);
	}
}

/* One {name, count: null} per non-empty src[keys[i]], skipping repeats. */
static void put_counted(cJSON *frag, const char *member, const cJSON *src, const char *const *keys,
			size_t n)
{
	cJSON *arr = prov_member(frag, member);

	for (size_t i = 0; i < n; i++) {
		const char *name = prov_text(src, keys[i]);
		const cJSON *item;
		bool seen = false;

		if (!name)
			continue;
		cJSON_ArrayForEach(item, arr)
		{
			seen = seen || strcmp(json_get_string(item, "name"), name) == 0;
		}
		if (!seen)
			prov_add_counted(arr, name);
	}
}

enum value_kind {
	V_TEXT,	 /* non-empty string */
	V_ID,	 /* positive decimal id, as a string */
	V_MBID,	 /* MBID, lowercase */
	V_URL,	 /* absolute http(s) URL */
	V_YEAR,	 /* integer 1..9999, as a number */
	V_COUNT, /* integer >= 0, as a number */
	V_SCORE, /* number 0..10 */
};

struct value_field {
	const char *key;
	const char *name;
	enum value_kind kind;
};

/* The value of src[f->key] as a new item, or NULL when it has not the field's form. */
static cJSON *read_value(const cJSON *src, const struct value_field *f)
{
	char id[MB_MBID_LEN + MAX_ID_DIGITS + 1];
	const char *s = prov_text(src, f->key);
	double v;

	switch (f->kind) {
	case V_TEXT:
		return s ? json_new_string(s) : NULL;
	case V_ID:
		return read_id(src, f->key, id) ? json_new_string(id) : NULL;
	case V_MBID:
		return mb_normalize_mbid(s, id) == ERR_OK ? json_new_string(id) : NULL;
	case V_URL:
		return fragment_url_ok(s) ? json_new_string(s) : NULL;
	case V_YEAR:
		return integer(src, f->key, 1, 9999, &v) ? cJSON_CreateNumber(v) : NULL;
	case V_COUNT:
		return integer(src, f->key, 0, MAX_COUNT, &v) ? cJSON_CreateNumber(v) : NULL;
	case V_SCORE:
		return prov_read_number(src, f->key, 0, 10, &v) ? cJSON_CreateNumber(v) : NULL;
	}
	return NULL;
}

/* frag[member][f[i].name] = each value that is present and well formed. */
static void put_values(cJSON *frag, const char *member, const cJSON *src,
		       const struct value_field *f, size_t n)
{
	cJSON *dst = prov_member(frag, member);

	for (size_t i = 0; i < n; i++) {
		cJSON *v = read_value(src, &f[i]);

		if (v)
			json_add_item(dst, f[i].name, v);
	}
}

/* frag.ids[scheme] from identifiers the item gives, each checked as its field says. */
static void put_ids(cJSON *frag, const cJSON *src, const struct value_field *f, size_t n)
{
	cJSON *ids = prov_member(frag, "ids");

	for (size_t i = 0; i < n; i++) {
		cJSON *v = read_value(src, &f[i]);

		if (v && cJSON_IsString(v))
			fragment_add_id(ids, f[i].name, v->valuestring);
		cJSON_Delete(v);
	}
}

/* Entities ----------------------------------------------------------------------- */

/* How one entity is read: its list, its id, its page, and the tables above. */
struct entity_spec {
	const char *list;    /* "artists", "album", "track" */
	const char *id_key;  /* "idArtist", ... */
	const char *kind;    /* fragment kind */
	const char *page;    /* "artist", "album", "track" */
	const char *name;    /* strArtist, strAlbum, strTrack */
	const char *bio;     /* "strBiography" or "strDescription" */
	const char *missing; /* why, for the "nothing found" answer */
	const struct image_field *images;
	size_t n_images;
	const char *const *genres;
	size_t n_genres;
	const char *const *tags;
	size_t n_tags;
	const struct value_field *ids;
	size_t n_ids;
	const struct value_field *popularity;
	size_t n_popularity;
	const struct value_field *extra;
	size_t n_extra;
	void (*finish)(cJSON *frag, const cJSON *src);
};

static const struct image_field artist_images[] = {
	{"strArtistThumb", IMAGE_THUMB},	{"strArtistLogo", IMAGE_LOGO},
	{"strArtistClearart", IMAGE_CLEARART},	{"strArtistFanart", IMAGE_BACKGROUND},
	{"strArtistFanart2", IMAGE_BACKGROUND}, {"strArtistFanart3", IMAGE_BACKGROUND},
	{"strArtistFanart4", IMAGE_BACKGROUND}, {"strArtistWideThumb", IMAGE_BACKGROUND},
	{"strArtistBanner", IMAGE_BANNER},	{"strArtistCutout", IMAGE_OTHER},
};

static const char *const artist_genres[] = {"strGenre"};
static const char *const artist_tags[] = {"strStyle", "strMood"};

static const struct value_field artist_ids[] = {
	{"idArtist", "theaudiodb", V_ID},
	{"strMusicBrainzID", "mbid", V_MBID},
};

static const struct value_field artist_extra[] = {
	{"strArtistAlternate", "alternate_name", V_TEXT},
	{"strLabel", "label", V_TEXT},
	{"idLabel", "label_id", V_ID},
	{"intFormedYear", "formed_year", V_YEAR},
	{"intBornYear", "born_year", V_YEAR},
	{"intDiedYear", "died_year", V_YEAR},
	{"strDisbanded", "disbanded", V_TEXT},
	{"strGender", "gender", V_TEXT},
	{"intMembers", "members", V_COUNT},
	{"strCountry", "country", V_TEXT},
	{"strCountryCode", "country_code", V_TEXT},
	{"strWebsite", "website", V_TEXT},
	{"strFacebook", "facebook", V_TEXT},
	{"strTwitter", "twitter", V_TEXT},
};

static const struct image_field album_images[] = {
	{"strAlbumThumbHQ", IMAGE_FRONT}, {"strAlbumThumb", IMAGE_FRONT},
	{"strAlbumBack", IMAGE_BACK},	  {"strAlbumThumbBack", IMAGE_BACK},
	{"strAlbumCDart", IMAGE_MEDIUM},  {"strAlbumSpine", IMAGE_OTHER},
	{"strAlbum3DCase", IMAGE_OTHER},  {"strAlbum3DFlat", IMAGE_OTHER},
	{"strAlbum3DFace", IMAGE_OTHER},  {"strAlbum3DThumb", IMAGE_OTHER},
};

static const char *const release_genres[] = {"strGenre"};
static const char *const release_tags[] = {"strStyle", "strMood", "strTheme", "strSpeed"};

static const struct value_field album_ids[] = {
	{"idAlbum", "theaudiodb", V_ID},   {"strMusicBrainzID", "mbid", V_MBID},
	{"strDiscogsID", "discogs", V_ID}, {"strWikidataID", "wikidata", V_TEXT},
	{"strItunesID", "itunes", V_ID},   {"strAllMusicID", "allmusic", V_TEXT},
};

static const struct value_field album_popularity[] = {
	{"intScore", "score", V_SCORE},
	{"intScoreVotes", "score_votes", V_COUNT},
	{"intLoved", "loved", V_COUNT},
};

static const struct value_field album_extra[] = {
	{"idArtist", "artist_id", V_ID}, {"strMusicBrainzArtistID", "artist_mbid", V_MBID},
	{"strLabel", "label", V_TEXT},	 {"strReleaseFormat", "release_format", V_TEXT},
	{"intSales", "sales", V_COUNT},
};

static const struct image_field track_images[] = {
	{"strTrackThumb", IMAGE_OTHER},
	{"strTrack3DCase", IMAGE_OTHER},
};

static const struct value_field track_ids[] = {
	{"idTrack", "theaudiodb", V_ID},
	{"strMusicBrainzID", "mbid", V_MBID},
};

static const struct value_field track_popularity[] = {
	{"intScore", "score", V_SCORE},
	{"intScoreVotes", "score_votes", V_COUNT},
	{"intLoved", "loved", V_COUNT},
	{"intTotalListeners", "listeners", V_COUNT},
	{"intTotalPlays", "playcount", V_COUNT},
	{"intMusicVidViews", "video_views", V_COUNT},
	{"intMusicVidLikes", "video_likes", V_COUNT},
};

static const struct value_field track_extra[] = {
	{"idAlbum", "album_id", V_ID},
	{"idArtist", "artist_id", V_ID},
	{"strMusicBrainzAlbumID", "album_mbid", V_MBID},
	{"strMusicBrainzArtistID", "artist_mbid", V_MBID},
	{"intTrackNumber", "track_number", V_COUNT},
	{"intCD", "disc", V_COUNT},
	{"strMusicVid", "music_video", V_URL},
	{"strMusicVidDirector", "music_video_director", V_TEXT},
	{"strMusicVidCompany", "music_video_company", V_TEXT},
};

static void finish_album(cJSON *frag, const cJSON *src)
{
	double year;
	char date[8];

	prov_set(frag, "artist", json_new_string(prov_text(src, "strArtist")));
	if (integer(src, "intYearReleased", 1, 9999, &year)) {
		snprintf(date, sizeof(date), "%04d", (int)year);
		prov_set(frag, "date", json_new_string(date));
	}
}

static void finish_track(cJSON *frag, const cJSON *src)
{
	double ms;

	prov_set(frag, "artist", json_new_string(prov_text(src, "strArtist")));
	prov_set(frag, "album", json_new_string(prov_text(src, "strAlbum")));
	if (integer(src, "intDuration", 1, MAX_DURATION_MS, &ms))
		prov_set(frag, "duration_ms", cJSON_CreateNumber(ms));
}

/* spec.member = table t and spec.n_member = its length. */
#define TABLE(member, t) .member = (t), .n_##member = ARRAY_SIZE(t)

// clang-format off
static const struct entity_spec artist_spec = {
	.list = "artists", .id_key = "idArtist", .kind = "artist", .page = "artist",
	.name = "strArtist", .bio = "strBiography", .missing = "no such artist",
	TABLE(images, artist_images), TABLE(genres, artist_genres), TABLE(tags, artist_tags),
	TABLE(ids, artist_ids), TABLE(extra, artist_extra),
};

static const struct entity_spec album_spec = {
	.list = "album", .id_key = "idAlbum", .kind = "release-group", .page = "album",
	.name = "strAlbum", .bio = "strDescription", .missing = "no such album",
	TABLE(images, album_images), TABLE(genres, release_genres), TABLE(tags, release_tags),
	TABLE(ids, album_ids), TABLE(popularity, album_popularity), TABLE(extra, album_extra),
	.finish = finish_album,
};

static const struct entity_spec track_spec = {
	.list = "track", .id_key = "idTrack", .kind = "recording", .page = "track",
	.name = "strTrack", .bio = "strDescription", .missing = "no such track",
	TABLE(images, track_images), TABLE(genres, release_genres), TABLE(tags, release_tags),
	TABLE(ids, track_ids), TABLE(popularity, track_popularity), TABLE(extra, track_extra),
	.finish = finish_track,
};
// clang-format on

static cJSON *build(const struct entity_spec *s, const cJSON *src, const char *id)
{
	cJSON *frag = fragment_new_entity(provider_name(PROVIDER_THEAUDIODB), s->kind, id);
	char url[sizeof(PAGE_ROOT) + 16 + MAX_ID_DIGITS];

	snprintf(url, sizeof(url), "%s/%s/%s", PAGE_ROOT, s->page, id);
	prov_set(frag, "url", json_new_string(url));
	prov_set(frag, "name", json_new_string(prov_text(src, s->name)));
	put_images(frag, src, s->images, s->n_images);
	put_biographies(frag, src, s->bio);
	put_values(frag, "popularity", src, s->popularity, s->n_popularity);
	put_counted(frag, "genres", src, s->genres, s->n_genres);
	put_counted(frag, "tags", src, s->tags, s->n_tags);
	put_ids(frag, src, s->ids, s->n_ids);
	put_values(frag, "extra", src, s->extra, s->n_extra);
	if (s->finish)
		s->finish(frag, src);
	return frag;
}

/*
 * Parse body and build s's fragment from the first item of root[s->list].
 * TheAudioDB answers "nothing found" with that member null (or, seen from
 * some mirrors, []).
 */
static enum err parse(const struct entity_spec *s, const char *body, size_t len, cJSON **out,
		      const char **why)
{
	char id[MAX_ID_DIGITS + 1];
	cJSON *root = NULL;
	const cJSON *list, *item;
	enum err err;

	*out = NULL;
	err = json_parse(body, len, THEAUDIODB_MAX_BODY_BYTES, &root, why);
	if (err != ERR_OK)
		return err;
	err = ERR_INVALID_ARGUMENT;
	list = json_get(root, s->list);
	item = cJSON_GetArrayItem(list, 0);
	if (!cJSON_IsObject(root))
		*why = "body is not an object";
	else if (!list)
		*why = "answer has no list member";
	else if (cJSON_IsNull(list) || (cJSON_IsArray(list) && !item)) {
		*why = s->missing;
		err = ERR_NOT_FOUND;
	} else if (!cJSON_IsArray(list) || !cJSON_IsObject(item))
		*why = "list member is not a list of objects";
	else if (!read_id(item, s->id_key, id))
		*why = "item has no numeric id";
	else {
		*out = build(s, item, id);
		err = ERR_OK;
	}
	cJSON_Delete(root);
	return err;
}

enum err theaudiodb_parse_artist(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse(&artist_spec, body, len, out, why);
}

enum err theaudiodb_parse_album(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse(&album_spec, body, len, out, why);
}

enum err theaudiodb_parse_track(const char *body, size_t len, cJSON **out, const char **why)
{
	return parse(&track_spec, body, len, out, why);
}
