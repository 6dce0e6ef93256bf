/*
 * test_merge.c - the merger: include= and language parsing, and
 * merge_document() on small hand-built fragments: precedence per field,
 * de-duplication, placeholders, language fallback, include filtering, bad
 * fragments skipped, sources, external ids, and byte-for-byte determinism.
 *
 * Every merged document also goes through merge_check() and a print /
 * re-parse round trip. Fragments are built with fragment.h's builders and
 * checked with fragment_check() first, so a test never feeds the merger a
 * fragment the parsers could not produce (except where it means to).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/merge.h"
#include "fragment_testing.h"

#define MBID "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
#define OTHER "0383dadf-2a4e-4d10-a46a-e9e041da8eb3"
#define THIRD "9c9f1380-2516-4fc9-a3e6-f9f61941d090"

/* ---- helpers ------------------------------------------------------------ */

/* The MusicBrainz artist document, as the aggregator completes it (abridged). */
static cJSON *mb_artist(void)
{
	return ft_json(
		"{'id':'" MBID "','kind':'artist','name':'Nirvana',"
		"'genres':[{'name':'grunge','count':12},{'name':'rock','count':7}],"
		"'tags':[{'name':'seattle','count':3},{'name':'Alternative Rock','count':2}],"
		"'external_ids':{'spotify':['6olE6TJLqED3rqDCT0FyPh'],'discogs':['125246']},"
		"'sources':[{'provider':'musicbrainz','status':'ok',"
		"'fetched_at':'2026-11-22T16:40:00.123Z'}]}");
}

static cJSON *member(cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static void set(cJSON *obj, const char *key, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, v);
}

static cJSON *image(cJSON *frag, const char *url, enum image_type t, int w, int h, int likes)
{
	cJSON *img = fragment_add_image(member(frag, "images"), url, t, w, h);

	assert_non_null(img);
	if (likes >= 0)
		set(img, "likes", cJSON_CreateNumber(likes));
	return img;
}

static void bio(cJSON *frag, const char *text, const char *lang, const char *attribution)
{
	cJSON *b = cJSON_CreateObject();

	cJSON_AddStringToObject(b, "text", text);
	cJSON_AddNullToObject(b, "summary");
	json_add_string_or_null(b, "language", lang);
	cJSON_AddNullToObject(b, "url");
	json_add_string_or_null(b, "attribution", attribution);
	cJSON_AddItemToArray(member(frag, "biographies"), b);
}

static void counted(cJSON *frag, const char *list, const char *name, int count)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "name", name);
	if (count >= 0)
		cJSON_AddNumberToObject(c, "count", count);
	else
		cJSON_AddNullToObject(c, "count");
	cJSON_AddItemToArray(member(frag, list), c);
}

static void similar(cJSON *frag, const char *name, const char *id, const char *mbid, double score)
{
	cJSON *s = cJSON_CreateObject();

	cJSON_AddStringToObject(s, "name", name);
	json_add_string_or_null(s, "id", id);
	json_add_string_or_null(s, "mbid", mbid);
	cJSON_AddNullToObject(s, "url");
	json_add_number_or_null(s, "score", score >= 0 ? &score : NULL);
	cJSON_AddItemToArray(member(frag, "similar"), s);
}

static void top(cJSON *frag, const char *title, const char *mbid, const char *isrc, int ms,
		int rank)
{
	cJSON *t = cJSON_CreateObject();
	double d = ms, r = rank;

	cJSON_AddStringToObject(t, "title", title);
	cJSON_AddNullToObject(t, "artist");
	cJSON_AddNullToObject(t, "id");
	json_add_string_or_null(t, "mbid", mbid);
	json_add_string_or_null(t, "isrc", isrc);
	json_add_number_or_null(t, "duration_ms", ms > 0 ? &d : NULL);
	cJSON_AddNullToObject(t, "url");
	json_add_number_or_null(t, "rank", rank > 0 ? &r : NULL);
	cJSON_AddItemToArray(member(frag, "top_tracks"), t);
}

static cJSON *entity(enum provider_id p, const char *id)
{
	return fragment_new_entity(provider_name(p), "artist", id);
}

static cJSON *cover_art(const char *mbid)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "provider", "coverartarchive");
	cJSON_AddStringToObject(f, "kind", "cover-art");
	cJSON_AddStringToObject(f, "id", mbid);
	cJSON_AddStringToObject(f, "url", "https://musicbrainz.org/release/" MBID);
	cJSON_AddArrayToObject(f, "images");
	return f;
}

static cJSON *lyrics(const char *plain, const char *synced, bool instrumental)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "provider", "lrclib");
	cJSON_AddStringToObject(f, "kind", "lyrics");
	cJSON_AddStringToObject(f, "id", "3396226");
	cJSON_AddStringToObject(f, "name", "Smells Like Teen Spirit");
	cJSON_AddNullToObject(f, "artist");
	cJSON_AddNullToObject(f, "album");
	cJSON_AddNullToObject(f, "duration_ms");
	cJSON_AddBoolToObject(f, "instrumental", instrumental);
	json_add_string_or_null(f, "plain", plain);
	json_add_string_or_null(f, "synced", synced);
	return f;
}

static struct merge_part part(enum provider_id p, const char *status, const cJSON *frag)
{
	struct merge_part mp = {p, status, 1795000000, frag, frag ? "mb_relation" : NULL, 1.0};

	return mp;
}

/* Merge, check the shape and the round trip; the caller frees the result. */
static cJSON *merge(const cJSON *mb, const struct merge_part *parts, size_t n, unsigned include,
		    const char *lang)
{
	cJSON *doc = merge_document(mb, parts, n, include, lang);
	char where[300];

	assert_non_null(doc);
	if (merge_check(doc, include, where, sizeof(where)) != ERR_OK)
		fail_msg("merged document shape: %s", where);
	ft_check_round_trip(doc);
	return doc;
}

static const char *str_at(const cJSON *doc, const char *path)
{
	const cJSON *v = ft_at(doc, path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- include= ----------------------------------------------------------- */

struct include_case {
	const char *in;
	enum err want;
	unsigned flags;
	const char *why_has; /* a substring of the error message */
};

static const struct include_case include_cases[] = {
	{NULL, ERR_OK, 0, NULL},
	{"", ERR_OK, 0, NULL},
	{"images", ERR_OK, MERGE_IMAGES, NULL},
	{"images,biography", ERR_OK, MERGE_IMAGES | MERGE_BIOGRAPHY, NULL},
	{" lyrics , top_tracks ,", ERR_OK, MERGE_LYRICS | MERGE_TOP_TRACKS, NULL},
	{"cover_art,popularity,similar", ERR_OK, MERGE_COVER_ART | MERGE_POPULARITY | MERGE_SIMILAR,
	 NULL},
	{"all", ERR_OK, MERGE_INCLUDE_ALL, NULL},
	{"none", ERR_OK, 0, NULL},
	{"none,images", ERR_OK, MERGE_IMAGES, NULL},
	{",,,", ERR_OK, 0, NULL},
	{"images,images", ERR_OK, MERGE_IMAGES, NULL},
	{"imgs", ERR_INVALID_ARGUMENT, 0, "'imgs'"},
	{"images,Biography", ERR_INVALID_ARGUMENT, 0, "'Biography'"},
	{"images,cover-art", ERR_INVALID_ARGUMENT, 0, "'cover-art'"},
	{"x\x01'y", ERR_INVALID_ARGUMENT, 0, "'x??y'"},
	{"a_name_that_is_far_too_long_to_show_whole", ERR_INVALID_ARGUMENT, 0, "...'"},
};

static void test_parse_include(void **state)
{
	char long_list[MERGE_MAX_INCLUDE_BYTES + 8];
	const char *why;
	unsigned flags;

	(void)state;
	for (size_t i = 0; i < sizeof(include_cases) / sizeof(include_cases[0]); i++) {
		const struct include_case *c = &include_cases[i];
		enum err e;

		why = NULL;
		flags = 12345;
		e = merge_parse_include(c->in, &flags, &why);
		if (e != c->want || flags != c->flags)
			fail_msg("'%s': got %s/%u, want %s/%u", c->in ? c->in : "(null)",
				 err_str(e), flags, err_str(c->want), c->flags);
		if (c->why_has && (!why || !strstr(why, c->why_has)))
			fail_msg("'%s': why '%s' lacks '%s'", c->in, why ? why : "", c->why_has);
		if (!c->why_has)
			assert_null(why);
	}
	memset(long_list, ',', sizeof(long_list) - 1);
	long_list[sizeof(long_list) - 1] = '\0';
	assert_int_equal(merge_parse_include(long_list, &flags, &why), ERR_INVALID_ARGUMENT);
	assert_string_equal(why, "include list too long");

	assert_string_equal(merge_include_name(MERGE_IMAGES), "images");
	assert_string_equal(merge_include_name(MERGE_TOP_TRACKS), "top_tracks");
	assert_null(merge_include_name(0));
	assert_null(merge_include_name(MERGE_IMAGES | MERGE_LYRICS));
	assert_null(merge_include_name(1u << MERGE_INCLUDE__COUNT));
}

/* ---- language ----------------------------------------------------------- */

struct lang_case {
	const char *param, *accept, *want;
};

static const struct lang_case lang_cases[] = {
	{NULL, NULL, "en"},
	{"de", NULL, "de"},
	{"DE-ch", "fr", "de"},
	{"pt_BR", NULL, "pt"},
	{"zh-Hant-TW", NULL, "zh"},
	{"", "fr", "fr"},
	{"x", "fr", "fr"},
	{"deutsch", "fr", "fr"},
	{"de-", "fr", "fr"},
	{"de-toolongsubtag", "fr", "fr"},
	{"12", "it", "it"},
	{"*", NULL, "en"},
	{NULL, "de-CH,de;q=0.9,en;q=0.8", "de"},
	{NULL, "en;q=0.5, fr;q=0.8", "fr"},
	{NULL, "en;q=0.5,fr;q=0.5", "en"},
	{NULL, "fr;q=0, *", "en"},
	{NULL, "fr;q=0.000", "en"},
	{NULL, "*, ja;q=0.2", "ja"},
	{NULL, "de;q=2, es;q=0.3", "es"},
	{NULL, "de;q=1.5, es;q=0.3", "es"},
	{NULL, "de;q=0.1234, es;q=0.3", "es"},
	{NULL, "de;q=, es", "es"},
	{NULL, "de;q=1.000", "de"},
	{NULL, "nl ; q=0.7 , sv;q=0.6", "nl"},
	{NULL, "nl;level=1;q=0.4, sv;q=0.6", "sv"},
	{NULL, "ru;x", "ru"},
	{NULL, "garbage;;;", "en"},
	{NULL, ",,,", "en"},
	{NULL, "\xff\xfe, ko", "ko"},
	{NULL, "i-klingon, x-pig-latin", "en"},
	{"de", "fr", "de"},
};

static void test_pick_lang(void **state)
{
	char out[MERGE_LANG_LEN];
	char big[6000];

	(void)state;
	for (size_t i = 0; i < sizeof(lang_cases) / sizeof(lang_cases[0]); i++) {
		const struct lang_case *c = &lang_cases[i];

		memset(out, 'z', sizeof(out));
		merge_pick_lang(c->param, c->accept, out);
		if (strcmp(out, c->want) != 0)
			fail_msg("lang=%s Accept-Language=%s: got '%s', want '%s'",
				 c->param ? c->param : "(null)", c->accept ? c->accept : "(null)",
				 out, c->want);
	}
	/* Only the first 4096 bytes are read: a range past them does not count. */
	memset(big, ',', sizeof(big) - 1);
	memcpy(big + sizeof(big) - 4, "fi", 3);
	merge_pick_lang(NULL, big, out);
	assert_string_equal(out, "en");
}

/* ---- sections ----------------------------------------------------------- */

static void test_biography_language(void **state)
{
	cJSON *mb = mb_artist(), *wiki = entity(PROVIDER_WIKIDATA, "Q11649");
	cJSON *lastfm = entity(PROVIDER_LASTFM, "Nirvana"),
	      *tadb = entity(PROVIDER_THEAUDIODB, "1");
	cJSON *doc;
	struct merge_part parts[3];

	(void)state;
	bio(lastfm, "Nirvana war eine Band.", "de", "CC BY-SA");
	bio(lastfm, "Nirvana was a band (Last.fm).", "en", "CC BY-SA");
	bio(wiki, "Nirvana was an American rock band.", "en", "Wikipedia, CC BY-SA 4.0");
	bio(tadb, "Nirvana est un groupe.", "fr", NULL);
	bio(tadb, "A bio of no known language.", NULL, NULL);
	set(wiki, "url", cJSON_CreateString("https://en.wikipedia.org/wiki/Nirvana_(band)"));
	ft_check_shape(wiki);
	ft_check_shape(lastfm);
	ft_check_shape(tadb);
	parts[0] = part(PROVIDER_LASTFM, "ok", lastfm);
	parts[1] = part(PROVIDER_WIKIDATA, "ok", wiki);
	parts[2] = part(PROVIDER_THEAUDIODB, "ok", tadb);

	/* de asked: only Last.fm has it, it wins over Wikipedia's English. */
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, "de");
	ft_expect(doc, "biography",
		  "{'text':'Nirvana war eine Band.','summary':null,'language':'de',"
		  "'source':'lastfm','url':null,'attribution':'CC BY-SA'}");
	cJSON_Delete(doc);

	/* ja asked, nobody has it: English, from Wikipedia first, with its page. */
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, "ja");
	ft_expect(doc, "biography.source", "'wikidata'");
	ft_expect(doc, "biography.language", "'en'");
	ft_expect(doc, "biography.url", "'https://en.wikipedia.org/wiki/Nirvana_(band)'");
	ft_expect(doc, "biography.attribution", "'Wikipedia, CC BY-SA 4.0'");
	cJSON_Delete(doc);

	/* Any tag works as lang: its primary subtag counts; garbage means English. */
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, "DE-ch");
	ft_expect(doc, "biography.language", "'de'");
	cJSON_Delete(doc);
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, "*;q=1");
	ft_expect(doc, "biography.language", "'en'");
	cJSON_Delete(doc);

	/* fr: TheAudioDB's; NULL lang means English. */
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, "fr");
	ft_expect(doc, "biography.source", "'theaudiodb'");
	cJSON_Delete(doc);
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, NULL);
	ft_expect(doc, "biography.source", "'wikidata'");
	cJSON_Delete(doc);

	/* No English and not the asked language: null, never another language. */
	doc = merge(mb, parts + 2, 1, MERGE_BIOGRAPHY, "ja");
	ft_expect(doc, "biography", "null");
	cJSON_Delete(doc);

	/* A region-tagged biography serves its primary language. */
	bio(wiki, "Nirvana foi uma banda.", "pt-BR", NULL);
	doc = merge(mb, parts, 3, MERGE_BIOGRAPHY, "pt");
	ft_expect(doc, "biography.language", "'pt-BR'");
	cJSON_Delete(doc);

	cJSON_Delete(wiki);
	cJSON_Delete(lastfm);
	cJSON_Delete(tadb);
	cJSON_Delete(mb);
}

#define SPOTIFY_IMG(size) "https://i.scdn.co/image/ab676161" size "0c68f6c95232e716f0abee8d"
#define DEEZER_IMG(hash, size) \
	"https://e-cdns-images.dzcdn.net/images/artist/" hash "/" size "-000000-80-0-0.jpg"

static void test_images_ranked(void **state)
{
	cJSON *mb = mb_artist(), *fanart = entity(PROVIDER_FANARTTV, MBID);
	cJSON *spotify = entity(PROVIDER_SPOTIFY, "6olE6TJLqED3rqDCT0FyPh");
	cJSON *deezer = entity(PROVIDER_DEEZER, "415"),
	      *lastfm = entity(PROVIDER_LASTFM, "Nirvana");
	cJSON *tadb = entity(PROVIDER_THEAUDIODB, "111319");
	cJSON *doc, *imgs;
	struct merge_part parts[5];

	(void)state;
	/* Given in an order unlike the precedence, to show the ranking. */
	image(deezer, DEEZER_IMG("f2bc007e9133c946ac3c3907ddc5d2ea", "1000x1000"), IMAGE_THUMB,
	      1000, 1000, -1);
	image(deezer, DEEZER_IMG("f2bc007e9133c946ac3c3907ddc5d2ea", "250x250"), IMAGE_THUMB, 250,
	      250, -1);
	image(deezer, "https://e-cdns-images.dzcdn.net/images/artist//500x500-000000-80-0-0.jpg",
	      IMAGE_THUMB, 500, 500, -1);
	image(spotify, SPOTIFY_IMG("00005174"), IMAGE_THUMB, 320, 320, -1);
	image(spotify, SPOTIFY_IMG("0000e5eb"), IMAGE_THUMB, 640, 640, -1);
	image(spotify, "https://i.scdn.co/image/ab6761610000f178aaaaaaaaaaaaaaaaaaaaaaaa",
	      IMAGE_THUMB, 160, 160, -1);
	image(fanart, "https://assets.fanart.tv/fanart/music/" MBID "/artistthumb/a-1.jpg",
	      IMAGE_THUMB, 1000, 1000, 3);
	image(fanart, "https://assets.fanart.tv/fanart/music/" MBID "/artistthumb/b-2.jpg",
	      IMAGE_THUMB, 1000, 1000, 9);
	image(fanart, "https://assets.fanart.tv/fanart/music/" MBID "/hdmusiclogo/l-3.png",
	      IMAGE_LOGO, 800, 310, 1);
	image(fanart, "https://assets.fanart.tv/preview/music/" MBID "/artistthumb/b-2.jpg",
	      IMAGE_THUMB, 200, 200, 9);
	image(tadb, "https://r2.theaudiodb.com/images/media/artist/logo/x.png", IMAGE_LOGO, 0, 0,
	      -1);
	image(tadb, "https://r2.theaudiodb.com/images/media/artist/fanart/y.jpg", IMAGE_BACKGROUND,
	      1280, 720, -1);
	/* The same URL from two providers: kept once, for the provider ranked first. */
	image(tadb, SPOTIFY_IMG("0000e5eb"), IMAGE_THUMB, 640, 640, -1);
	image(lastfm,
	      "https://lastfm.freetls.fastly.net/i/u/300x300/2a96cbd8b46e442fc41c2b86b821562f.png",
	      IMAGE_THUMB, 300, 300, -1);
	image(lastfm,
	      "https://lastfm.freetls.fastly.net/i/u/300x300/c8f88d0a468a4c21ccea851c4a.png",
	      IMAGE_THUMB, 300, 300, -1);
	image(lastfm, "https://lastfm.freetls.fastly.net/i/u/64s/c8f88d0a468a4c21ccea851c4a.png",
	      IMAGE_THUMB, 64, 64, -1);
	parts[0] = part(PROVIDER_DEEZER, "ok", deezer);
	parts[1] = part(PROVIDER_SPOTIFY, "ok", spotify);
	parts[2] = part(PROVIDER_LASTFM, "ok", lastfm);
	parts[3] = part(PROVIDER_FANARTTV, "ok", fanart);
	parts[4] = part(PROVIDER_THEAUDIODB, "ok", tadb);
	for (size_t i = 0; i < 5; i++)
		ft_check_shape(parts[i].frag);

	doc = merge(mb, parts, 5, MERGE_IMAGES, "en");
	imgs = member(doc, "images");
	/* thumbs: fanart.tv by likes (its preview is the same image), Spotify's largest and its
	 * other image, Deezer's largest, Last.fm's (star dropped); then the background, the logos. */
	ft_expect(doc, "images[0].url",
		  "'https://assets.fanart.tv/fanart/music/" MBID "/artistthumb/b-2.jpg'");
	ft_expect(doc, "images[0].likes", "9");
	ft_expect(doc, "images[1].url",
		  "'https://assets.fanart.tv/fanart/music/" MBID "/artistthumb/a-1.jpg'");
	ft_expect(doc, "images[2].url", "'" SPOTIFY_IMG("0000e5eb") "'");
	ft_expect(doc, "images[2].provider", "'spotify'");
	ft_expect(doc, "images[3].url",
		  "'https://i.scdn.co/image/ab6761610000f178aaaaaaaaaaaaaaaaaaaaaaaa'");
	ft_expect(doc, "images[4].url",
		  "'" DEEZER_IMG("f2bc007e9133c946ac3c3907ddc5d2ea", "1000x1000") "'");
	ft_expect(doc, "images[5].url",
		  "'https://lastfm.freetls.fastly.net/i/u/300x300/c8f88d0a468a4c21ccea851c4a.png'");
	ft_expect(doc, "images[6].type", "'background'");
	ft_expect(doc, "images[7].type", "'logo'");
	ft_expect(doc, "images[8].type", "'logo'");
	ft_expect(doc, "images[8].provider", "'theaudiodb'");
	assert_int_equal(cJSON_GetArraySize(imgs), 9);
	ft_expect(doc, "images[7]",
		  "{'url':'https://assets.fanart.tv/fanart/music/" MBID "/hdmusiclogo/l-3.png',"
		  "'type':'logo','types':['logo'],'width':800,'height':310,'language':null,"
		  "'likes':1,'thumbnails':{},'provider':'fanarttv'}");
	assert_null(ft_at(doc, "cover_art"));
	cJSON_Delete(doc);
	cJSON_Delete(deezer);
	cJSON_Delete(spotify);
	cJSON_Delete(lastfm);
	cJSON_Delete(fanart);
	cJSON_Delete(tadb);
	cJSON_Delete(mb);
}

static void test_cover_art(void **state)
{
	cJSON *mb = ft_json("{'id':'" MBID "','kind':'release','title':'Nevermind'}");
	cJSON *caa = cover_art(MBID), *deezer = fragment_new_entity("deezer", "release", "1262014");
	cJSON *front, *doc;
	struct merge_part parts[2];

	(void)state;
	image(deezer,
	      "https://e-cdns-images.dzcdn.net/images/cover/abc/1000x1000-000000-80-0-0.jpg",
	      IMAGE_FRONT, 1000, 1000, -1);
	image(caa, "https://coverartarchive.org/release/" MBID "/2.jpg", IMAGE_BACK, 0, 0, -1);
	front = image(caa, "https://coverartarchive.org/release/" MBID "/1.jpg", IMAGE_FRONT, 0, 0,
		      -1);
	cJSON_AddItemToArray(member(front, "types"), cJSON_CreateString("booklet"));
	cJSON_AddStringToObject(member(front, "thumbnails"), "250",
				"https://coverartarchive.org/release/" MBID "/1-250.jpg");
	image(caa, "https://coverartarchive.org/release/" MBID "/2.jpg", IMAGE_BACK, 0, 0, -1);
	ft_check_shape(caa);
	ft_check_shape(deezer);
	parts[0] = part(PROVIDER_DEEZER, "ok", deezer);
	parts[1] = part(PROVIDER_COVERARTARCHIVE, "ok", caa);
	parts[1].match_method = "mbid";

	/* images: the archive's front first, then Deezer's; back after the fronts. */
	doc = merge(mb, parts, 2, MERGE_IMAGES | MERGE_COVER_ART, "en");
	ft_expect(doc, "images[0].url", "'https://coverartarchive.org/release/" MBID "/1.jpg'");
	ft_expect(doc, "images[1].provider", "'deezer'");
	ft_expect(doc, "images[2].type", "'back'");
	assert_int_equal(cJSON_GetArraySize(member(doc, "images")), 3);
	/* cover_art: the archive's own order, each URL once, with types and thumbnails. */
	assert_int_equal(cJSON_GetArraySize(member(doc, "cover_art")), 2);
	ft_expect(doc, "cover_art[0].type", "'back'");
	ft_expect(doc, "cover_art[1].types", "['front','booklet']");
	ft_expect(doc, "cover_art[1].thumbnails",
		  "{'250':'https://coverartarchive.org/release/" MBID "/1-250.jpg'}");
	ft_expect(doc, "enrichment.coverartarchive",
		  "{'id':'" MBID "','url':'https://musicbrainz.org/release/" MBID "',"
		  "'match':{'method':'mbid','score':1}}");
	cJSON_Delete(doc);

	/* cover_art alone: no images section. */
	doc = merge(mb, parts, 2, MERGE_COVER_ART, "en");
	assert_null(ft_at(doc, "images"));
	assert_int_equal(cJSON_GetArraySize(member(doc, "cover_art")), 2);
	cJSON_Delete(doc);
	cJSON_Delete(caa);
	cJSON_Delete(deezer);
	cJSON_Delete(mb);
}

/* Placeholders that slipped past a parser are dropped here too. */
static void test_placeholders(void **state)
{
	static const char *const urls[] = {
		"https://lastfm.freetls.fastly.net/i/u/174s/2a96cbd8b46e442fc41c2b86b821562f.png",
		"https://e-cdns-images.dzcdn.net/images/artist//250x250-000000-80-0-0.jpg",
		"https://cdns-images.dzcdn.net/images/cover//500x500-000000-80-0-0.jpg",
		"https://s.discogs.com/images/spacer.gif",
	};
	cJSON *mb = mb_artist(), *f = entity(PROVIDER_DISCOGS, "125246"), *doc;
	struct merge_part p;

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++)
		image(f, urls[i], IMAGE_THUMB, 0, 0, -1);
	image(f, "https://i.discogs.com/real.jpg", IMAGE_THUMB, 600, 600, -1);
	ft_check_shape(f);
	p = part(PROVIDER_DISCOGS, "ok", f);
	doc = merge(mb, &p, 1, MERGE_IMAGES, "en");
	assert_int_equal(cJSON_GetArraySize(member(doc, "images")), 1);
	ft_expect(doc, "images[0].url", "'https://i.discogs.com/real.jpg'");
	cJSON_Delete(doc);
	cJSON_Delete(f);
	cJSON_Delete(mb);
}

static void test_genres(void **state)
{
	cJSON *mb = mb_artist(), *spotify = entity(PROVIDER_SPOTIFY, "x");
	cJSON *lastfm = entity(PROVIDER_LASTFM, "Nirvana"), *doc;
	struct merge_part parts[2];

	(void)state;
	counted(spotify, "genres", "Grunge", -1);
	counted(spotify, "genres", "alternative rock", -1);
	counted(spotify, "genres", "permanent wave", -1);
	counted(lastfm, "tags", "grunge", 100);
	counted(lastfm, "tags", "seen live", 40);      /* a tag creates nothing */
	counted(lastfm, "tags", "Permanent-Wave", 10); /* but corroborates */
	ft_check_shape(spotify);
	ft_check_shape(lastfm);
	parts[0] = part(PROVIDER_SPOTIFY, "ok", spotify);
	parts[1] = part(PROVIDER_LASTFM, "ok", lastfm);
	doc = merge(mb, parts, 2, 0, "en");
	/* MusicBrainz's own list is untouched. */
	ft_expect(doc, "genres", "[{'name':'grunge','count':12},{'name':'rock','count':7}]");
	ft_expect(doc, "genres_merged",
		  "[{'name':'grunge','count':12,'sources':['musicbrainz','lastfm','spotify']},"
		  "{'name':'alternative rock','count':null,'sources':['musicbrainz','spotify']},"
		  "{'name':'permanent wave','count':null,'sources':['lastfm','spotify']},"
		  "{'name':'rock','count':7,'sources':['musicbrainz']}]");
	cJSON_Delete(doc);

	/* No parts: MusicBrainz's genres alone, in its order. */
	doc = merge(mb, NULL, 0, 0, "en");
	ft_expect(doc, "genres_merged",
		  "[{'name':'grunge','count':12,'sources':['musicbrainz']},"
		  "{'name':'rock','count':7,'sources':['musicbrainz']}]");
	cJSON_Delete(doc);
	cJSON_Delete(spotify);
	cJSON_Delete(lastfm);
	cJSON_Delete(mb);
}

static void test_similar_and_top_tracks(void **state)
{
	cJSON *mb = mb_artist(), *lastfm = entity(PROVIDER_LASTFM, "Nirvana");
	cJSON *spotify = entity(PROVIDER_SPOTIFY, "6olE6TJLqED3rqDCT0FyPh");
	cJSON *deezer = entity(PROVIDER_DEEZER, "415"), *doc;
	struct merge_part parts[3];

	(void)state;
	similar(lastfm, "Foo Fighters", NULL, OTHER, 1.0);
	similar(lastfm, "Mudhoney", NULL, NULL, 0.8);
	similar(lastfm, "Nirvana", NULL, MBID, 0.5); /* the artist itself */
	similar(spotify, "Pearl Jam", "1w5Kfo2jwwIPruYS2UWh56", NULL, -1);
	similar(spotify, "MUDHONEY", "3VF4dWkRc0mKNJe5wwQX9T", NULL, -1);
	similar(deezer, "Foo Fighters", "566", OTHER, -1);
	similar(deezer, "Foo Fighters", "999", THIRD, -1); /* another band, same name */
	similar(lastfm, "Guns N' Roses", NULL, NULL, 0.1);
	similar(deezer, "Guns N\u2019 Roses", "1", NULL, -1); /* the same, curly */
	top(lastfm, "Smells Like Teen Spirit", THIRD, NULL, 0, 1);
	top(lastfm, "Come as You Are", NULL, NULL, 219000, 2);
	top(spotify, "Smells Like Teen Spirit", NULL, "USGF19942501", 301920, 1);
	top(deezer, "Come As You Are", NULL, "USGF19942502", 218000, 3);
	ft_check_shape(lastfm);
	ft_check_shape(spotify);
	ft_check_shape(deezer);
	parts[0] = part(PROVIDER_DEEZER, "ok", deezer);
	parts[1] = part(PROVIDER_SPOTIFY, "ok", spotify);
	parts[2] = part(PROVIDER_LASTFM, "ok", lastfm);
	doc = merge(mb, parts, 3, MERGE_SIMILAR | MERGE_TOP_TRACKS, "en");
	ft_expect(
		doc, "similar",
		"[{'name':'Foo Fighters','mbid':'" OTHER "','provider':'lastfm',"
		"'sources':['deezer','lastfm'],'ids':{'deezer':'566'},'score':1},"
		"{'name':'Mudhoney','mbid':null,'provider':'lastfm','sources':['lastfm','spotify'],"
		"'ids':{'spotify':'3VF4dWkRc0mKNJe5wwQX9T'},'score':0.8},"
		"{'name':'Guns N\\u0027 Roses','mbid':null,'provider':'lastfm',"
		"'sources':['deezer','lastfm'],'ids':{'deezer':'1'},'score':0.1},"
		"{'name':'Pearl Jam','mbid':null,'provider':'spotify','sources':['spotify'],"
		"'ids':{'spotify':'1w5Kfo2jwwIPruYS2UWh56'},'score':null},"
		"{'name':'Foo Fighters','mbid':'" THIRD "','provider':'deezer',"
		"'sources':['deezer'],'ids':{'deezer':'999'},'score':null}]");
	/* Last.fm's list, completed from Spotify's and Deezer's same tracks. */
	ft_expect(doc, "top_tracks",
		  "[{'title':'Smells Like Teen Spirit','mbid':'" THIRD "','isrc':'USGF19942501',"
		  "'duration_ms':301920,'provider':'lastfm','rank':1},"
		  "{'title':'Come as You Are','mbid':null,'isrc':'USGF19942502',"
		  "'duration_ms':219000,'provider':'lastfm','rank':2}]");
	cJSON_Delete(doc);

	/* Without Last.fm, Spotify's list leads; ranks default to the position. */
	set(cJSON_GetArrayItem(member(spotify, "top_tracks"), 0), "rank", cJSON_CreateNull());
	doc = merge(mb, parts, 2, MERGE_TOP_TRACKS, "en");
	ft_expect(doc, "top_tracks[0].provider", "'spotify'");
	ft_expect(doc, "top_tracks[0].rank", "1");
	assert_int_equal(cJSON_GetArraySize(member(doc, "top_tracks")), 1);
	cJSON_Delete(doc);
	cJSON_Delete(lastfm);
	cJSON_Delete(spotify);
	cJSON_Delete(deezer);
	cJSON_Delete(mb);
}

static void test_popularity_lyrics_enrichment(void **state)
{
	cJSON *mb =
		ft_json("{'id':'" MBID "','kind':'recording','title':'Smells Like Teen Spirit'}");
	cJSON *deezer = fragment_new_entity("deezer", "recording", "13791930");
	cJSON *spotify = fragment_new_entity("spotify", "recording", "5ghIJDpPoe3CfHMGu71E6T");
	cJSON *empty = lyrics(NULL, NULL, false),
	      *ly = lyrics("Load up on guns", "[00:01.00] x", 0);
	cJSON *doc;
	struct merge_part parts[4];

	(void)state;
	cJSON_AddNumberToObject(member(deezer, "popularity"), "rank", 912345);
	cJSON_AddNumberToObject(member(spotify, "popularity"), "popularity", 83);
	set(spotify, "url",
	    cJSON_CreateString("https://open.spotify.com/track/5ghIJDpPoe3CfHMGu71E6T"));
	ft_check_shape(deezer);
	ft_check_shape(spotify);
	ft_check_shape(ly);
	parts[0] = part(PROVIDER_SPOTIFY, "ok", spotify);
	parts[0].match_method = "isrc";
	parts[0].match_score = 1.7; /* clamped */
	parts[1] = part(PROVIDER_DEEZER, "ok", deezer);
	parts[1].match_method = "search";
	parts[1].match_score = 0.91234;
	parts[2] = part(PROVIDER_LRCLIB, "ok", empty); /* says nothing: the next one serves */
	parts[2].match_method = "Bad Method!";
	parts[3] = part(PROVIDER_LRCLIB, "ok", ly);
	doc = merge(mb, parts, 4, MERGE_POPULARITY | MERGE_LYRICS, "en");
	ft_expect(doc, "popularity", "{'deezer':{'rank':912345},'spotify':{'popularity':83}}");
	ft_expect(doc, "lyrics",
		  "{'plain':'Load up on guns','synced':'[00:01.00] x',"
		  "'instrumental':false,'source':'lrclib'}");
	ft_expect(
		doc, "enrichment",
		"{'deezer':{'id':'13791930','url':null,'match':{'method':'search','score':0.912}},"
		"'lrclib':{'id':'3396226','url':null,'match':null},"
		"'spotify':{'id':'5ghIJDpPoe3CfHMGu71E6T',"
		"'url':'https://open.spotify.com/track/5ghIJDpPoe3CfHMGu71E6T',"
		"'match':{'method':'isrc','score':1}}}");
	cJSON_Delete(doc);

	/* Instrumental with no text is still an answer. */
	cJSON_Delete(ly);
	ly = lyrics(NULL, NULL, true);
	parts[3].frag = ly;
	doc = merge(mb, parts + 2, 2, MERGE_LYRICS, "en");
	ft_expect(doc, "lyrics",
		  "{'plain':null,'synced':null,'instrumental':true,'source':'lrclib'}");
	cJSON_Delete(doc);
	doc = merge(mb, parts, 2, MERGE_LYRICS, "en");
	ft_expect(doc, "lyrics", "null");
	cJSON_Delete(doc);
	cJSON_Delete(deezer);
	cJSON_Delete(spotify);
	cJSON_Delete(empty);
	cJSON_Delete(ly);
	cJSON_Delete(mb);
}

static void test_sources_and_external_ids(void **state)
{
	cJSON *mb = mb_artist(), *spotify = entity(PROVIDER_SPOTIFY, "6olE6TJLqED3rqDCT0FyPh");
	cJSON *itunes = entity(PROVIDER_ITUNES, "112018"), *doc;
	struct merge_part parts[7];

	(void)state;
	fragment_add_id(member(spotify, "ids"), "spotify", "6olE6TJLqED3rqDCT0FyPh");
	fragment_add_id(member(spotify, "ids"), "mbid", MBID);
	fragment_add_id(member(spotify, "ids"), "isrc", "USGF19942501");
	fragment_add_id(member(itunes, "ids"), "itunes", "112018");
	fragment_add_id(member(itunes, "ids"), "upc", "0720642442524");
	ft_check_shape(spotify);
	ft_check_shape(itunes);
	parts[0] = part(PROVIDER_SPOTIFY, "ok", spotify);
	parts[1] = part(PROVIDER_ITUNES, "ok", itunes);
	parts[2] = part(PROVIDER_DEEZER, "timeout", NULL);
	parts[2].fetched_at = 0;
	parts[3] = part(PROVIDER_LASTFM, "weird", NULL);
	parts[4] = part(PROVIDER_FANARTTV, "disabled", NULL);
	parts[4].fetched_at = -5;
	parts[5] = part(PROVIDER_DEEZER, "ok", NULL); /* a second Deezer part: the first counts */
	parts[6] = part((enum provider_id)99, "ok", NULL);
	doc = merge(mb, parts, 7, 0, "en");
	ft_expect(
		doc, "sources",
		"[{'provider':'musicbrainz','status':'ok','fetched_at':'2026-11-22T16:40:00.123Z'},"
		"{'provider':'deezer','status':'timeout','fetched_at':null},"
		"{'provider':'itunes','status':'ok','fetched_at':'2026-11-18T11:06:40.000Z'},"
		"{'provider':'lastfm','status':'error','fetched_at':'2026-11-18T11:06:40.000Z'},"
		"{'provider':'spotify','status':'ok','fetched_at':'2026-11-18T11:06:40.000Z'},"
		"{'provider':'fanarttv','status':'disabled','fetched_at':null}]");
	ft_expect(doc, "external_ids",
		  "{'spotify':['6olE6TJLqED3rqDCT0FyPh'],'discogs':['125246'],"
		  "'apple_music':['112018'],'upc':['0720642442524'],'isrc':['USGF19942501']}");
	cJSON_Delete(doc);
	cJSON_Delete(spotify);
	cJSON_Delete(itunes);
	cJSON_Delete(mb);
}

/* MusicBrainz's own ids are all kept; what providers add is capped. */
static void test_external_ids_caps(void **state)
{
	cJSON *mb = mb_artist(), *f = entity(PROVIDER_THEAUDIODB, "111319"), *doc, *discogs;
	char id[16];
	struct merge_part p;

	(void)state;
	discogs = member(member(mb, "external_ids"), "discogs");
	for (int i = 0; i < 59; i++) {
		snprintf(id, sizeof(id), "%d", 1000 + i);
		cJSON_AddItemToArray(discogs, cJSON_CreateString(id));
	}
	for (int i = 0; i < 70; i++) {
		snprintf(id, sizeof(id), "t%d", i % 60);
		fragment_add_id(member(f, "ids"), "theaudiodb", id);
	}
	fragment_add_id(member(f, "ids"), "discogs", "new");
	ft_check_shape(f);
	p = part(PROVIDER_THEAUDIODB, "ok", f);
	doc = merge(mb, &p, 1, 0, "en");
	assert_int_equal(cJSON_GetArraySize(ft_at(doc, "external_ids.discogs")), 60);
	assert_int_equal(cJSON_GetArraySize(ft_at(doc, "external_ids.theaudiodb")), 50);
	ft_expect(doc, "external_ids.theaudiodb[49]", "'t49'");
	cJSON_Delete(doc);
	cJSON_Delete(f);
	cJSON_Delete(mb);
}

/* Fragments the merger must not trust give nothing; their parts still get a sources entry. */
static void test_bad_fragments_skipped(void **state)
{
	cJSON *mb = mb_artist(), *extra = entity(PROVIDER_DEEZER, "1");
	cJSON *liar = entity(PROVIDER_SPOTIFY, "2"), *failed = entity(PROVIDER_LASTFM, "3");
	cJSON *cands = fragment_new_candidates("theaudiodb", "artist");
	cJSON *notobj = cJSON_CreateString("x"), *doc;
	struct merge_part parts[5];

	(void)state;
	image(extra, "https://e.example/1.jpg", IMAGE_THUMB, 1, 1, -1);
	cJSON_AddStringToObject(extra, "surprise", "member"); /* not in the shape */
	image(liar, "https://e.example/2.jpg", IMAGE_THUMB, 1, 1, -1);
	set(liar, "provider", cJSON_CreateString("fanarttv")); /* not its part's provider */
	image(failed, "https://e.example/3.jpg", IMAGE_THUMB, 1, 1, -1);
	cJSON_AddItemToArray(member(cands, "items"), entity(PROVIDER_THEAUDIODB, "4"));
	parts[0] = part(PROVIDER_DEEZER, "ok", extra);
	parts[1] = part(PROVIDER_SPOTIFY, "ok", liar);
	parts[2] = part(PROVIDER_LASTFM, "error", failed); /* not ok: its data is not used */
	parts[3] = part(PROVIDER_THEAUDIODB, "ok", cands);
	parts[4] = part(PROVIDER_WIKIDATA, "ok", notobj);
	doc = merge(mb, parts, 5, MERGE_INCLUDE_ALL, "en");
	ft_expect(doc, "images", "[]");
	ft_expect(doc, "enrichment", "{}");
	assert_int_equal(cJSON_GetArraySize(member(doc, "sources")), 6);
	cJSON_Delete(doc);
	cJSON_Delete(extra);
	cJSON_Delete(liar);
	cJSON_Delete(failed);
	cJSON_Delete(cands);
	cJSON_Delete(notobj);
	cJSON_Delete(mb);
}

/* Every section asked is there, empty, with nothing to merge; none that was not asked. */
static void test_include_and_empty_shapes(void **state)
{
	cJSON *mb = mb_artist(), *doc;

	(void)state;
	doc = merge(mb, NULL, 0, MERGE_INCLUDE_ALL, "en");
	ft_expect(doc, "images", "[]");
	ft_expect(doc, "cover_art", "[]");
	ft_expect(doc, "biography", "null");
	ft_expect(doc, "popularity", "{}");
	ft_expect(doc, "similar", "[]");
	ft_expect(doc, "top_tracks", "[]");
	ft_expect(doc, "lyrics", "null");
	ft_expect(doc, "enrichment", "{}");
	ft_expect(doc, "name", "'Nirvana'");
	cJSON_Delete(doc);

	for (unsigned i = 0; i < MERGE_INCLUDE__COUNT; i++) {
		doc = merge(mb, NULL, 0, 1u << i, "en");
		for (unsigned j = 0; j < MERGE_INCLUDE__COUNT; j++) {
			bool there = ft_at(doc, merge_include_name(1u << j)) != NULL;

			assert_int_equal(there, i == j);
		}
		cJSON_Delete(doc);
	}

	/* A document that already has a section not asked for loses it; not an object: {}. */
	set(mb, "images", cJSON_CreateString("stale"));
	doc = merge(mb, NULL, 0, 0, "en");
	assert_null(ft_at(doc, "images"));
	cJSON_Delete(doc);
	doc = merge(NULL, NULL, 0, MERGE_IMAGES, "en");
	ft_expect(doc, "sources", "[]");
	ft_expect(doc, "external_ids", "{}");
	cJSON_Delete(doc);
	cJSON_Delete(mb);
}

static char *merged_text(const cJSON *mb, const struct merge_part *parts, size_t n)
{
	cJSON *doc = merge(mb, parts, n, MERGE_INCLUDE_ALL, "de");
	char *text = cJSON_PrintUnformatted(doc);

	cJSON_Delete(doc);
	return text;
}

/* Same input, same bytes, whatever order the parts come in. */
static void test_deterministic(void **state)
{
	cJSON *mb = mb_artist(), *a = entity(PROVIDER_SPOTIFY, "s"),
	      *b = entity(PROVIDER_DEEZER, "d");
	cJSON *c = entity(PROVIDER_LASTFM, "l");
	struct merge_part fwd[3], rev[3];
	char *t1, *t2, *t3;

	(void)state;
	image(a, SPOTIFY_IMG("0000e5eb"), IMAGE_THUMB, 640, 640, -1);
	image(b, DEEZER_IMG("ab", "1000x1000"), IMAGE_THUMB, 1000, 1000, -1);
	image(b, "https://e.example/same-size-a.jpg", IMAGE_THUMB, 1000, 1000, -1);
	image(b, "https://e.example/same-size-b.jpg", IMAGE_THUMB, 1000, 1000, -1);
	counted(a, "genres", "grunge", -1);
	counted(b, "genres", "rock", -1);
	similar(a, "Pearl Jam", "pj", NULL, -1);
	similar(c, "Pearl Jam", NULL, OTHER, 0.9);
	bio(c, "Eine Band.", "de", NULL);
	cJSON_AddNumberToObject(member(c, "popularity"), "listeners", 5);
	fwd[0] = rev[2] = part(PROVIDER_SPOTIFY, "ok", a);
	fwd[1] = rev[1] = part(PROVIDER_DEEZER, "ok", b);
	fwd[2] = rev[0] = part(PROVIDER_LASTFM, "ok", c);
	t1 = merged_text(mb, fwd, 3);
	t2 = merged_text(mb, fwd, 3);
	t3 = merged_text(mb, rev, 3);
	assert_string_equal(t1, t2);
	assert_string_equal(t1, t3);
	cJSON_free(t1);
	cJSON_free(t2);
	cJSON_free(t3);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	cJSON_Delete(mb);
}

/* The input is borrowed: merging leaves it as it was. */
static void test_inputs_untouched(void **state)
{
	cJSON *mb = mb_artist(), *copy = cJSON_Duplicate(mb, 1), *f = entity(PROVIDER_SPOTIFY, "s");
	cJSON *fcopy, *doc;
	struct merge_part p;

	(void)state;
	fragment_add_id(member(f, "ids"), "spotify", "other");
	fcopy = cJSON_Duplicate(f, 1);
	p = part(PROVIDER_SPOTIFY, "ok", f);
	doc = merge(mb, &p, 1, MERGE_INCLUDE_ALL, "en");
	assert_true(cJSON_Compare(mb, copy, 1));
	assert_true(cJSON_Compare(f, fcopy, 1));
	ft_expect(doc, "external_ids.spotify", "['6olE6TJLqED3rqDCT0FyPh','other']");
	cJSON_Delete(doc);
	cJSON_Delete(fcopy);
	cJSON_Delete(f);
	cJSON_Delete(copy);
	cJSON_Delete(mb);
}

/* A hostile MusicBrainz side: wrong types and duplicate keys still give a valid document. */
static void test_hostile_mb_doc(void **state)
{
	cJSON *mb =
		ft_json("{'id':5,'genres':{'x':1},'tags':[1,{'name':''},{'name':7}],"
			"'external_ids':{'spotify':'notalist','deezer':[1,'',\"2\"]},"
			"'external_ids':[],'sources':[{'provider':''},{'provider':'musicbrainz',"
			"'status':3,'fetched_at':9},5],'sources':7,'similar':1}");
	cJSON *doc;

	(void)state;
	doc = merge(mb, NULL, 0, MERGE_SIMILAR, "en");
	ft_expect(doc, "external_ids", "{'deezer':['2']}");
	ft_expect(doc, "sources",
		  "[{'provider':'musicbrainz','status':'error','fetched_at':null}]");
	ft_expect(doc, "similar", "[]");
	assert_int_equal(cJSON_GetArraySize(doc), 8);
	assert_string_equal(str_at(doc, "sources[0].provider"), "musicbrainz");
	cJSON_Delete(doc);
	cJSON_Delete(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_include),
		cmocka_unit_test(test_pick_lang),
		cmocka_unit_test(test_biography_language),
		cmocka_unit_test(test_images_ranked),
		cmocka_unit_test(test_cover_art),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_genres),
		cmocka_unit_test(test_similar_and_top_tracks),
		cmocka_unit_test(test_popularity_lyrics_enrichment),
		cmocka_unit_test(test_sources_and_external_ids),
		cmocka_unit_test(test_external_ids_caps),
		cmocka_unit_test(test_bad_fragments_skipped),
		cmocka_unit_test(test_include_and_empty_shapes),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_inputs_untouched),
		cmocka_unit_test(test_hostile_mb_doc),
	};

	json_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
