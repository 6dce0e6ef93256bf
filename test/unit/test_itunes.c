/*
 * test_itunes.c - the iTunes Search API provider's pure functions: request
 * URLs, the artwork URL rewrite, and the parsers on small bodies written
 * for these tests in Apple's format.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_itunes_conformance.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fragment.h"
#include "medley/itunes.h"
#include "medley/json.h"
#include "fragment_testing.h"

/* ---- helpers ------------------------------------------------------------ */

/* Which parser: an entity of itunes_parse_results(), or P_ALBUM for the album lookup. */
#define P_ALBUM ITUNES_ENTITY__COUNT

static enum err run(int p, const char *body, size_t len, cJSON **out, const char **why)
{
	if (p == P_ALBUM)
		return itunes_parse_album_lookup(body, len, out, why);
	return itunes_parse_results((enum itunes_entity)p, body, len, out, why);
}

static cJSON *parse_ok(int p, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static const char *parse_fails(int p, const char *quoted, enum err want)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_err(&b, run(p, b.text, b.len, &b.out, &b.why), want, NULL);
}

/* ---- request URLs ------------------------------------------------------- */

#define BASE "https://itunes.apple.com"

struct url_case {
	char op; /* 's'earch, 'l'ookup by id, 'u'pc lookup */
	const char *base;
	const char *arg;
	int kind; /* enum itunes_entity or enum itunes_include */
	unsigned limit;
	const char *country;
	enum err want;
	const char *url;
};

static const struct url_case url_cases[] = {
	{'s', BASE, "Bob Dylan", ITUNES_ARTIST, 10, NULL, ERR_OK,
	 BASE "/search?term=Bob%20Dylan&media=music&entity=musicArtist&limit=10"},
	{'s', BASE, "Nevermind", ITUNES_ALBUM, 25, "GB", ERR_OK,
	 BASE "/search?term=Nevermind&media=music&entity=album&limit=25&country=gb"},
	{'s', BASE, "Polly Nirvana", ITUNES_SONG, 200, "us", ERR_OK,
	 BASE "/search?term=Polly%20Nirvana&media=music&entity=song&limit=200&country=us"},
	{'s', BASE, "Sigur Rós & Co+/?", ITUNES_SONG, 1, "", ERR_OK,
	 BASE "/search?term=Sigur%20R%C3%B3s%20%26%20Co%2B%2F%3F&media=music&entity=song"
	      "&limit=1"},
	{'s', BASE, "", ITUNES_SONG, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, NULL, ITUNES_SONG, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "bad \xe2\x82", ITUNES_SONG, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", ITUNES_SONG, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", ITUNES_SONG, 201, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", ITUNES_SONG, 1, "G", ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", ITUNES_SONG, 1, "GBR", ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", ITUNES_SONG, 1, "g1", ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", ITUNES_ENTITY__COUNT, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', BASE, "x", -1, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', "", "x", ITUNES_SONG, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, "x", ITUNES_SONG, 1, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "1441458047", ITUNES_INCLUDE_NONE, 0, NULL, ERR_OK,
	 BASE "/lookup?id=1441458047"},
	{'l', BASE, "1441458047", ITUNES_INCLUDE_SONGS, 200, "GB", ERR_OK,
	 BASE "/lookup?id=1441458047&entity=song&limit=200&country=gb"},
	{'l', "http://127.0.0.1:9/itunes", "909253", ITUNES_INCLUDE_ALBUMS, 5, NULL, ERR_OK,
	 "http://127.0.0.1:9/itunes/lookup?id=909253&entity=album&limit=5"},
	{'l', BASE, "0", ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "12a", ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "", ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, NULL, ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "12345678901234567", ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "1", ITUNES_INCLUDE__COUNT, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "1", ITUNES_INCLUDE_SONGS, 201, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'l', BASE, "1", ITUNES_INCLUDE_SONGS, 0, "u", ERR_INVALID_ARGUMENT, NULL},
	{'l', "", "1", ITUNES_INCLUDE_SONGS, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'u', BASE, "720642442524", ITUNES_INCLUDE_SONGS, 0, NULL, ERR_OK,
	 BASE "/lookup?upc=720642442524&entity=song"},
	{'u', BASE, "00602475093060", ITUNES_INCLUDE_NONE, 0, "jp", ERR_OK,
	 BASE "/lookup?upc=00602475093060&country=jp"},
	{'u', BASE, "720642442524", ITUNES_INCLUDE_ALBUMS, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'u', BASE, "1234567", ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'u', BASE, "72064244252x", ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
	{'u', BASE, NULL, ITUNES_INCLUDE_NONE, 0, NULL, ERR_INVALID_ARGUMENT, NULL},
};

static enum err build(const struct url_case *c, struct buf *b)
{
	switch (c->op) {
	case 's':
		return itunes_search_url(c->base, (enum itunes_entity)c->kind, c->arg, c->limit,
					 c->country, b);
	case 'l':
		return itunes_lookup_url(c->base, c->arg, (enum itunes_include)c->kind, c->limit,
					 c->country, b);
	default:
		return itunes_lookup_upc_url(c->base, c->arg, (enum itunes_include)c->kind,
					     c->limit, c->country, b);
	}
}

static void test_urls(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(url_cases); i++) {
		const struct url_case *c = &url_cases[i];
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = build(c, &b);
		if (e != c->want)
			fail_msg("case %zu (%s): want %s, got %s", i, c->arg ? c->arg : "NULL",
				 err_str(c->want), err_str(e));
		if (c->url)
			assert_string_equal(b.data, c->url);
		buf_release(&b);
	}
}

static void test_url_limits(void **state)
{
	char term[ITUNES_MAX_TERM_BYTES + 2];
	struct buf b;

	(void)state;
	memset(term, 'a', sizeof(term) - 1);
	term[sizeof(term) - 1] = '\0';
	buf_init(&b, 1 << 16);
	assert_int_equal(itunes_search_url(BASE, ITUNES_SONG, term, 5, NULL, &b),
			 ERR_INVALID_ARGUMENT);
	term[ITUNES_MAX_TERM_BYTES] = '\0';
	buf_reset(&b);
	assert_int_equal(itunes_search_url(BASE, ITUNES_SONG, term, 5, NULL, &b), ERR_OK);
	buf_release(&b);
	buf_init(&b, 30);
	assert_int_equal(itunes_lookup_url(BASE, "1441458047", ITUNES_INCLUDE_SONGS, 200, NULL, &b),
			 ERR_TOO_LARGE);
	buf_release(&b);
}

/* ---- artwork ------------------------------------------------------------ */

#define ART "https://is1-ssl.mzstatic.com/image/thumb/Music221/v4/11/c4/9f/x.rgb.jpg/"

struct art_case {
	const char *url;
	int size;
	enum err want;
	const char *out;
};

static const struct art_case art_cases[] = {
	{ART "100x100bb.jpg", 1200, ERR_OK, ART "1200x1200bb.jpg"},
	{ART "60x60bb.jpg", 600, ERR_OK, ART "600x600bb.jpg"},
	{ART "30x30bb.png", 1, ERR_OK, ART "1x1bb.png"},
	{ART "100x100bb.webp?x=1#y", 250, ERR_OK, ART "250x250bb.webp?x=1#y"},
	{"http://is3.mzstatic.com/image/thumb/Music/v4/b3/source/100x100bb.jpg", 500, ERR_OK,
	 "http://is3.mzstatic.com/image/thumb/Music/v4/b3/source/500x500bb.jpg"},
	{"https://is1.mzstatic.com/100x100bb.jpg", 10000, ERR_OK,
	 "https://is1.mzstatic.com/10000x10000bb.jpg"},
	{ART "100x100bb.jpg", 0, ERR_INVALID_ARGUMENT, NULL},
	{ART "100x100bb.jpg", 10001, ERR_INVALID_ARGUMENT, NULL},
	{ART "100x100.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "100x100bb", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "100x100bb.", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "100x100bb.jpeg12", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "100xbb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "x100bb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "1234567x100bb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "100x100bb.jpg/", 600, ERR_INVALID_ARGUMENT, NULL},
	{ART "a100x100bb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{"https://100x100bb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{"ftp://is1.mzstatic.com/100x100bb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{"/image/100x100bb.jpg", 600, ERR_INVALID_ARGUMENT, NULL},
	{"", 600, ERR_INVALID_ARGUMENT, NULL},
	{NULL, 600, ERR_INVALID_ARGUMENT, NULL},
};

static void test_artwork_url(void **state)
{
	struct buf b;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(art_cases); i++) {
		const struct art_case *c = &art_cases[i];
		enum err e;

		buf_init(&b, 4096);
		e = itunes_artwork_url(c->url, c->size, &b);
		if (e != c->want)
			fail_msg("case %zu (%s): want %s, got %s", i, c->url ? c->url : "NULL",
				 err_str(c->want), err_str(e));
		if (c->out)
			assert_string_equal(b.data, c->out);
		buf_release(&b);
	}
	buf_init(&b, 16);
	assert_int_equal(itunes_artwork_url(ART "100x100bb.jpg", 1200, &b), ERR_TOO_LARGE);
	buf_release(&b);
}

/* ---- results ------------------------------------------------------------ */

#define SONG(id, name, extra)                                                                \
	"{'wrapperType':'track','kind':'song','artistId':112018,'collectionId':720642442,"   \
	"'trackId':" id ",'artistName':'Nirvana','collectionName':'Nevermind',"              \
	"'trackName':'" name "','artistViewUrl':'https://music.apple.com/us/artist/nirvana/" \
	"112018?uo=4','trackViewUrl':'https://music.apple.com/us/album/x/720642442?i=" id    \
	"&uo=4','previewUrl':'https://audio-ssl.itunes.apple.com/itunes-assets/p.m4a',"      \
	"'artworkUrl100':'" ART "100x100bb.jpg','releaseDate':'1991-09-24T07:00:00Z',"       \
	"'trackExplicitness':'notExplicit','discCount':1,'discNumber':1,'trackCount':13,"    \
	"'primaryGenreName':'Rock','isStreamable':true" extra "}"

static void test_songs(void **state)
{
	cJSON *f = parse_ok(
		ITUNES_SONG,
		"\n\n\n{'resultCount':4,'results':[" SONG(
			"720642443", "Smells Like Teen Spirit",
			",'trackNumber':1,'trackTimeMillis':301920") ","
								     "{'wrapperType':'track','kind'"
								     ":'music-video','trackId':5,'"
								     "trackName':'Video'},"
								     "{'wrapperType':'collection','"
								     "collectionId':720642442,'"
								     "collectionName':'N'}," SONG(
									     "720642444",
									     "In Bloom",
									     ",'trackNumber':'2','"
									     "trackTimeMillis':254."
									     "5") "]}");

	(void)state;
	ft_expect(f, "kind", "'candidates'");
	ft_expect(f, "entity", "'recording'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 2);
	ft_expect(f, "items[0].kind", "'recording'");
	ft_expect(f, "items[0].provider", "'itunes'");
	ft_expect(f, "items[0].id", "'720642443'");
	ft_expect(f, "items[0].name", "'Smells Like Teen Spirit'");
	ft_expect(f, "items[0].artist", "'Nirvana'");
	ft_expect(f, "items[0].album", "'Nevermind'");
	ft_expect(f, "items[0].duration_ms", "301920");
	ft_expect(f, "items[0].date", "'1991-09-24'");
	ft_expect(f, "items[0].url",
		  "'https://music.apple.com/us/album/x/720642442?i=720642443&uo=4'");
	ft_expect(f, "items[0].images",
		  "[{'url':'" ART "1200x1200bb.jpg','type':'front','types':['front'],'width':null,"
		  "'height':null,'language':null,'likes':null,'thumbnails':{'250':'" ART
		  "250x250bb.jpg','500':'" ART "500x500bb.jpg','1200':'" ART "1200x1200bb.jpg'}}]");
	ft_expect(f, "items[0].genres", "[{'name':'Rock','count':null}]");
	ft_expect(f, "items[0].ids", "{'itunes':['720642443']}");
	ft_expect(f, "items[0].extra",
		  "{'preview_url':'https://audio-ssl.itunes.apple.com/itunes-assets/p.m4a',"
		  "'track_number':1,'disc_number':1,'track_count':13,'disc_count':1,"
		  "'collection_id':'720642442','artist_id':'112018','explicitness':'notExplicit',"
		  "'kind':'song'}");
	ft_expect(f, "items[1].duration_ms", "null");
	assert_null(ft_at(f, "items[1].extra.track_number"));
	cJSON_Delete(f);
}

static void test_albums(void **state)
{
	cJSON *f = parse_ok(
		ITUNES_ALBUM,
		"{'resultCount':4,'results':["
		"{'wrapperType':'collection','collectionType':'Album','artistId':112018,"
		"'collectionId':1440783617,'amgArtistId':5034,'artistName':'Nirvana',"
		"'collectionName':'Hormoaning - EP','collectionViewUrl':'https://music.apple.com/"
		"us/album/hormoaning-ep/1440783617?uo=4','artworkUrl60':'" ART "60x60bb.jpg',"
		"'collectionExplicitness':'notExplicit','trackCount':6,'copyright':'℗ 1992 DGC',"
		"'country':'USA','currency':'USD','releaseDate':'1992-02-05T08:00:00Z',"
		"'primaryGenreName':'Alternative'},"
		"{'wrapperType':'collection','collectionId':2,'collectionName':'Teen - Single',"
		"'artworkUrl100':'https://is1.mzstatic.com/image/source/cover.jpg',"
		"'releaseDate':'0000-01-01T00:00:00Z'},"
		"{'wrapperType':'collection','collectionId':3,'collectionName':' - EP',"
		"'releaseDate':'1968'},"
		"{'wrapperType':'collection','collectionName':'no id'},"
		"{'wrapperType':'artist','artistId':112018,'artistName':'Nirvana'}]}");

	(void)state;
	ft_expect(f, "entity", "'release'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 3);
	ft_expect(f, "items[0].id", "'1440783617'");
	ft_expect(f, "items[0].name", "'Hormoaning'");
	ft_expect(f, "items[0].artist", "'Nirvana'");
	ft_expect(f, "items[0].album", "null");
	ft_expect(f, "items[0].date", "'1992-02-05'");
	ft_expect(f, "items[0].images[0].url", "'" ART "1200x1200bb.jpg'");
	ft_expect(f, "items[0].extra",
		  "{'artist_id':'112018','track_count':6,'record_type':'ep',"
		  "'explicitness':'notExplicit','copyright':'℗ 1992 DGC','country':'USA',"
		  "'collection_type':'Album'}");
	ft_expect(f, "items[1].name", "'Teen'");
	ft_expect(f, "items[1].extra", "{'record_type':'single'}");
	ft_expect(f, "items[1].date", "null");
	ft_expect(f, "items[1].images",
		  "[{'url':'https://is1.mzstatic.com/image/source/cover.jpg','type':'front',"
		  "'types':['front'],'width':null,'height':null,'language':null,'likes':null,"
		  "'thumbnails':{}}]");
	ft_expect(f, "items[2].name", "' - EP'");
	ft_expect(f, "items[2].date", "null");
	cJSON_Delete(f);
}

static void test_artists(void **state)
{
	cJSON *f = parse_ok(
		ITUNES_ARTIST,
		"{'resultCount':2,'results':[{'wrapperType':'artist','artistType':'Artist',"
		"'artistName':'Bob Dylan','artistLinkUrl':'https://music.apple.com/us/artist/"
		"bob-dylan/462006?uo=4','artistId':462006,'amgArtistId':4768,"
		"'primaryGenreName':'Rock','primaryGenreId':21},"
		"{'wrapperType':'artist','artistName':'No Link','artistId':'77',"
		"'artistViewUrl':'https://music.apple.com/us/artist/77','artistLinkUrl':'x',"
		"'primaryGenreName':''}]}");

	(void)state;
	ft_expect(f, "entity", "'artist'");
	ft_expect(f, "items[0]",
		  "{'provider':'itunes','kind':'artist','id':'462006',"
		  "'url':'https://music.apple.com/us/artist/bob-dylan/462006?uo=4',"
		  "'name':'Bob Dylan','artist':null,'album':null,'duration_ms':null,'date':null,"
		  "'images':[],'biographies':[],'popularity':{},"
		  "'genres':[{'name':'Rock','count':null}],'tags':[],'similar':[],'top_tracks':[],"
		  "'tracks':[],'ids':{'itunes':['462006']},'extra':{'amg_artist_id':4768}}");
	ft_expect(f, "items[1].id", "'77'");
	ft_expect(f, "items[1].url", "'https://music.apple.com/us/artist/77'");
	ft_expect(f, "items[1].genres", "[]");
	cJSON_Delete(f);
}

static void test_empty_results(void **state)
{
	(void)state;
	for (int p = 0; p < ITUNES_ENTITY__COUNT; p++) {
		cJSON *f = parse_ok(p, "{'resultCount':0,'results':[]}");

		ft_expect(f, "items", "[]");
		cJSON_Delete(f);
	}
	assert_string_equal(parse_fails(P_ALBUM, "{'resultCount':0,'results':[]}", ERR_NOT_FOUND),
			    "no album in the answer");
	parse_fails(
		P_ALBUM,
		"{'results':[{'wrapperType':'track','kind':'song','trackId':1,'trackName':'x'}]}",
		ERR_NOT_FOUND);
	parse_fails(P_ALBUM, "{'results':[{'wrapperType':'collection','collectionId':'x'}]}",
		    ERR_NOT_FOUND);
}

/* ---- the album lookup --------------------------------------------------- */

static void test_album_lookup(void **state)
{
	cJSON *f = parse_ok(
		P_ALBUM,
		"{'resultCount':6,'results':["
		"{'wrapperType':'collection','collectionType':'Album','artistId':3296287,"
		"'collectionId':1441458047,'artistName':'Queen',"
		"'collectionName':'A Night at the Opera (Deluxe Edition)',"
		"'artworkUrl100':'" ART "100x100bb.jpg','trackCount':3,"
		"'releaseDate':'1975-11-21T08:00:00Z','primaryGenreName':'Rock'},"
		"{'wrapperType':'track','kind':'song','collectionId':1441458047,'trackId':"
		"1441458049,"
		"'trackName':'Death On Two Legs','discNumber':1,'trackNumber':1,"
		"'trackTimeMillis':223094},"
		"{'wrapperType':'track','kind':'song','collectionId':999,'trackId':5,"
		"'trackName':'Other album'},"
		"{'wrapperType':'track','kind':'song','collectionId':1441458047,'trackId':6,"
		"'trackName':''},"
		"{'wrapperType':'track','kind':'music-video','collectionId':'1441458047',"
		"'trackId':1441458100,'trackName':'Bohemian Rhapsody (Video)','discNumber':2,"
		"'trackNumber':7,'trackTimeMillis':-1},"
		"{'wrapperType':'track','kind':'song','collectionId':1441458047,"
		"'trackName':'No Id','trackNumber':1.5}]}");

	(void)state;
	ft_expect(f, "kind", "'release'");
	ft_expect(f, "id", "'1441458047'");
	ft_expect(f, "name", "'A Night at the Opera (Deluxe Edition)'");
	ft_expect(f, "artist", "'Queen'");
	ft_expect(f, "date", "'1975-11-21'");
	ft_expect(f, "tracks",
		  "[{'title':'Death On Two Legs','position':1,'disc':1,'duration_ms':223094,"
		  "'isrc':null,'id':'1441458049'},"
		  "{'title':'Bohemian Rhapsody (Video)','position':7,'disc':2,'duration_ms':null,"
		  "'isrc':null,'id':'1441458100'},"
		  "{'title':'No Id','position':null,'disc':null,'duration_ms':null,'isrc':null,"
		  "'id':null}]");
	cJSON_Delete(f);
}

/* ---- errors ------------------------------------------------------------- */

struct error_case {
	const char *body;
	enum err want;
	const char *why;
};

static const struct error_case error_cases[] = {
	{"{'errorMessage':'Invalid value(s) for key(s): [resultEntity]',"
	 "'queryParameters':{'output':'json','country':'ISO-2A country code'}}",
	 ERR_INVALID_ARGUMENT, "itunes error: invalid request"},
	{"{'errorMessage':null}", ERR_INVALID_ARGUMENT, "itunes error: invalid request"},
	{"{'resultCount':0}", ERR_INVALID_ARGUMENT, "missing results list"},
	{"{'resultCount':0,'results':{}}", ERR_INVALID_ARGUMENT, "missing results list"},
	{"{'resultCount':1,'results':[{'wrapperType':'artist'", ERR_INVALID_ARGUMENT,
	 "body is not JSON"},
	{"", ERR_INVALID_ARGUMENT, "body is not JSON"},
	{"callback({'results':[]})", ERR_INVALID_ARGUMENT, "body is not JSON"},
	{"[]", ERR_INVALID_ARGUMENT, "body is not an object"},
	{"'results'", ERR_INVALID_ARGUMENT, "body is not an object"},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(error_cases); i++) {
		for (int p = 0; p <= P_ALBUM; p++) {
			const char *why = parse_fails(p, error_cases[i].body, error_cases[i].want);

			if (strcmp(why, error_cases[i].why) != 0)
				fail_msg("case %zu parser %d: why '%s', want '%s'", i, p, why,
					 error_cases[i].why);
		}
	}
}

static void test_bad_entity(void **state)
{
	const char *body = "{\"results\":[]}";
	const char *why = NULL;
	cJSON *f = (cJSON *)1;

	(void)state;
	assert_int_equal(itunes_parse_results(ITUNES_ENTITY__COUNT, body, strlen(body), &f, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(f);
	assert_string_equal(why, "unknown entity");
}

static void test_over_cap(void **state)
{
	size_t len = ITUNES_MAX_BODY_BYTES + 1;
	char *body = malloc(len);
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_non_null(body);
	memset(body, '\n', len);
	memcpy(body + len - 14, "{\"results\":[]}", 14);
	for (int p = 0; p <= P_ALBUM; p++) {
		assert_int_equal(run(p, body, len, &f, &why), ERR_TOO_LARGE);
		assert_null(f);
		assert_string_equal(why, "body too large");
	}
	assert_int_equal(run(ITUNES_SONG, body + 1, len - 1, &f, &why), ERR_OK);
	ft_check_frag(f);
	cJSON_Delete(f);
	free(body);
}

static void test_wrong_types(void **state)
{
	cJSON *f = parse_ok(ITUNES_SONG,
			    "{'results':[7,'x',null,{'wrapperType':'track','kind':'song',"
			    "'trackId':1e20},{'wrapperType':'track','kind':'song','trackId':3,"
			    "'trackName':4,'artistName':[],'collectionName':{},"
			    "'trackTimeMillis':'301920','releaseDate':19910924,"
			    "'previewUrl':'javascript:alert(1)','artworkUrl100':'" ART
			    "100x100bb.jpg\xff','trackViewUrl':'https://a.test/\\u0001'}]}");

	(void)state;
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 1);
	ft_expect(f, "items[0].id", "'3'");
	ft_expect(f, "items[0].name", "null");
	ft_expect(f, "items[0].artist", "null");
	ft_expect(f, "items[0].album", "null");
	ft_expect(f, "items[0].duration_ms", "null");
	ft_expect(f, "items[0].date", "null");
	ft_expect(f, "items[0].url", "null");
	ft_expect(f, "items[0].images", "[]");
	ft_expect(f, "items[0].extra", "{'kind':'song'}");
	cJSON_Delete(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),	      cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_artwork_url),   cmocka_unit_test(test_songs),
		cmocka_unit_test(test_albums),	      cmocka_unit_test(test_artists),
		cmocka_unit_test(test_empty_results), cmocka_unit_test(test_album_lookup),
		cmocka_unit_test(test_errors),	      cmocka_unit_test(test_bad_entity),
		cmocka_unit_test(test_over_cap),      cmocka_unit_test(test_wrong_types),
	};

	json_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
