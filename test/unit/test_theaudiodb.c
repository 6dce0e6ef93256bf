/*
 * test_theaudiodb.c - the TheAudioDB provider's pure functions: request
 * URLs, biography languages, and the parsers on small bodies written for
 * these tests in TheAudioDB's format (every number a string, absent values
 * null or "").
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_theaudiodb_conformance.c.
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
#include "medley/theaudiodb.h"
#include "fragment_testing.h"

typedef enum err parse_fn(const char *body, size_t len, cJSON **out, const char **why);

static cJSON *parse_ok(parse_fn *parse, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, parse(b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static void parse_fails(parse_fn *parse, const char *quoted, enum err want)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, parse(b.text, b.len, &b.out, &b.why), want, NULL);
}

/* ---- request URLs ------------------------------------------------------- */

#define BASE THEAUDIODB_DEFAULT_BASE_URL
#define NIRVANA "5b11f4ce-a62d-471e-81fc-a69a8278c7da"

typedef enum err url_fn(const char *base, const char *key, const char *mbid, struct buf *out);

static void test_urls(void **state)
{
	static const struct {
		url_fn *fn;
		const char *base, *key, *mbid;
		enum err want;
		const char *url;
	} cases[] = {
		{theaudiodb_artist_url, BASE, "123", NIRVANA, ERR_OK,
		 BASE "/123/artist-mb.php?i=" NIRVANA},
		{theaudiodb_album_url, BASE, "123", "F5A2E9AC-BD56-44F5-95FA-A267310D12FF", ERR_OK,
		 BASE "/123/album-mb.php?i=f5a2e9ac-bd56-44f5-95fa-a267310d12ff"},
		{theaudiodb_track_url, "http://127.0.0.1:8089/theaudiodb/api/v1/json", "2",
		 "c0611cc5-e7da-42b1-9a0b-9a721fe766be", ERR_OK,
		 "http://127.0.0.1:8089/theaudiodb/api/v1/json/2/track-mb.php"
		 "?i=c0611cc5-e7da-42b1-9a0b-9a721fe766be"},
		{theaudiodb_artist_url, BASE, "a b/c?d&\xc3\xa9~_.-", NIRVANA, ERR_OK,
		 BASE "/a%20b%2Fc%3Fd%26%C3%A9~_.-/artist-mb.php?i=" NIRVANA},
		{theaudiodb_artist_url, BASE, "", NIRVANA, ERR_INVALID_ARGUMENT, NULL},
		{theaudiodb_artist_url, BASE, NULL, NIRVANA, ERR_INVALID_ARGUMENT, NULL},
		{theaudiodb_artist_url, "", "123", NIRVANA, ERR_INVALID_ARGUMENT, NULL},
		{theaudiodb_artist_url, NULL, "123", NIRVANA, ERR_INVALID_ARGUMENT, NULL},
		{theaudiodb_album_url, BASE, "123", "nevermind", ERR_INVALID_ARGUMENT, NULL},
		{theaudiodb_track_url, BASE, "123", NULL, ERR_INVALID_ARGUMENT, NULL},
		{theaudiodb_track_url, BASE, "123", NIRVANA "&x=1", ERR_INVALID_ARGUMENT, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = cases[i].fn(cases[i].base, cases[i].key, cases[i].mbid, &b);
		if (e != cases[i].want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e),
				 err_str(cases[i].want));
		if (e == ERR_OK)
			assert_string_equal(b.data, cases[i].url);
		buf_release(&b);
	}
}

static void test_url_limits(void **state)
{
	char key[THEAUDIODB_MAX_KEY_BYTES + 2];
	struct buf b;

	(void)state;
	buf_init(&b, 32); /* too small for any URL */
	assert_int_equal(theaudiodb_artist_url(BASE, "123", NIRVANA, &b), ERR_TOO_LARGE);
	buf_release(&b);
	buf_init(&b, 4096);
	memset(key, '7', sizeof(key) - 1);
	key[THEAUDIODB_MAX_KEY_BYTES] = '\0';
	assert_int_equal(theaudiodb_artist_url(BASE, key, NIRVANA, &b), ERR_OK);
	buf_reset(&b);
	key[THEAUDIODB_MAX_KEY_BYTES] = '7';
	key[THEAUDIODB_MAX_KEY_BYTES + 1] = '\0';
	assert_int_equal(theaudiodb_artist_url(BASE, key, NIRVANA, &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
}

static void test_languages(void **state)
{
	static const char *const pairs[][2] = {
		{"EN", "en"}, {"DE", "de"}, {"FR", "fr"}, {"CN", "zh"}, {"IT", "it"},
		{"JP", "ja"}, {"RU", "ru"}, {"ES", "es"}, {"PT", "pt"}, {"SE", "sv"},
		{"NL", "nl"}, {"HU", "hu"}, {"NO", "no"}, {"IL", "he"}, {"PL", "pl"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
		assert_string_equal(theaudiodb_language(pairs[i][0]), pairs[i][1]);
	assert_null(theaudiodb_language("en"));
	assert_null(theaudiodb_language("XX"));
	assert_null(theaudiodb_language(""));
	assert_null(theaudiodb_language(NULL));
}

/* ---- artists ------------------------------------------------------------ */

static const char artist_body[] =
	"{'artists':[{'idArtist':'111319','strArtist':'Nirvana','strArtistStripped':null,"
	"'strArtistAlternate':'','strLabel':null,'idLabel':'0','intFormedYear':'1987',"
	"'intBornYear':'0','intDiedYear':'1994','strDisbanded':'Yes','strStyle':'Rock/Pop',"
	"'strGenre':'Grunge','strMood':'Sad','strWebsite':'www.nirvana.com',"
	"'strFacebook':'','strTwitter':null,"
	"'strBiographyEN':'  Nirvana was an American rock band.\\r\\n\\r\\nFormed in 1987.\\r ',"
	"'strBiographyDE':'Nirvana war eine Band.','strBiographyFR':null,'strBiographyCN':'',"
	"'strBiographyJP':'"
	"\xe3\x83\x8b\xe3\x83\xab\xe3\x83\xb4\xe3\x82\xa1\xe3\x83\xbc\xe3\x83\x8a',"
	"'strBiographyIL':'   ','strBiographyXX':'unknown language',"
	"'strGender':'Male','intMembers':'3','strCountry':'Aberdeen, Washington, USA',"
	"'strCountryCode':'US',"
	"'strArtistThumb':'https://r2.theaudiodb.com/images/media/artist/thumb/a.jpg',"
	"'strArtistLogo':'','strArtistCutout':'https://img.example.test/"
	"c.png?s=1','strArtistClearart':'ftp://x.test/c.png',"
	"'strArtistWideThumb':'https://r2.theaudiodb.com/images/media/artist/widethumb/w.jpg',"
	"'strArtistFanart':'https://r2.theaudiodb.com/images/media/artist/fanart/f1.jpg',"
	"'strArtistFanart2':'https://r2.theaudiodb.com/images/media/artist/fanart/f1.jpg',"
	"'strArtistFanart3':'https://r2.theaudiodb.com/images/media/artist/fanart/',"
	"'strArtistFanart4':'https://r2.theaudiodb.com/images/media/artist/fanart/f4.jpg',"
	"'strArtistBanner':'https://r2.theaudiodb.com/images/media/artist/banner/b.jpg',"
	"'strMusicBrainzID':'5B11F4CE-A62D-471E-81FC-A69A8278C7DA','strISNIcode':null,"
	"'strLastFMChart':'','intCharted':'3','strLocked':'unlocked'},"
	"{'idArtist':'2','strArtist':'Second'}]}";

static void test_artist(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_artist, artist_body);

	(void)state;
	ft_expect(frag, "provider", "'theaudiodb'");
	ft_expect(frag, "kind", "'artist'");
	ft_expect(frag, "id", "'111319'");
	ft_expect(frag, "url", "'https://www.theaudiodb.com/artist/111319'");
	ft_expect(frag, "name", "'Nirvana'");
	ft_expect(frag, "biographies[0]",
		  "{'text':'Nirvana was an American rock band.\\n\\nFormed in 1987.',"
		  "'summary':null,'language':'en','url':null,"
		  "'attribution':'TheAudioDB (theaudiodb.com)'}");
	ft_expect(frag, "biographies[1].language", "'de'");
	ft_expect(frag, "biographies[2].language", "'ja'");
	ft_expect(frag, "biographies[2].text",
		  "'\xe3\x83\x8b\xe3\x83\xab\xe3\x83\xb4\xe3\x82\xa1\xe3\x83\xbc\xe3\x83\x8a'");
	assert_int_equal(cJSON_GetArraySize(ft_at(frag, "biographies")), 3);
	ft_expect(frag, "images[0]",
		  "{'url':'https://r2.theaudiodb.com/images/media/artist/thumb/a.jpg',"
		  "'type':'thumb','types':['thumb'],'width':null,'height':null,'language':null,"
		  "'likes':null,'thumbnails':{'medium':"
		  "'https://r2.theaudiodb.com/images/media/artist/thumb/a.jpg/medium'}}");
	ft_expect(frag, "images[1].url",
		  "'https://r2.theaudiodb.com/images/media/artist/fanart/f1.jpg'");
	ft_expect(frag, "images[1].type", "'background'");
	ft_expect(frag, "images[2].url",
		  "'https://r2.theaudiodb.com/images/media/artist/fanart/f4.jpg'");
	ft_expect(frag, "images[3].url",
		  "'https://r2.theaudiodb.com/images/media/artist/widethumb/w.jpg'");
	ft_expect(frag, "images[3].type", "'background'");
	ft_expect(frag, "images[4].type", "'banner'");
	ft_expect(frag, "images[5].type", "'other'");
	ft_expect(frag, "images[5].thumbnails",
		  "{}"); /* not TheAudioDB's artwork: no resized copy */
	assert_int_equal(cJSON_GetArraySize(ft_at(frag, "images")), 6);
	ft_expect(frag, "genres", "[{'name':'Grunge','count':null}]");
	ft_expect(frag, "tags", "[{'name':'Rock/Pop','count':null},{'name':'Sad','count':null}]");
	ft_expect(frag, "ids",
		  "{'theaudiodb':['111319'],'mbid':['5b11f4ce-a62d-471e-81fc-a69a8278c7da']}");
	ft_expect(frag, "extra",
		  "{'formed_year':1987,'died_year':1994,'disbanded':'Yes','gender':'Male',"
		  "'members':3,'country':'Aberdeen, Washington, USA','country_code':'US',"
		  "'website':'www.nirvana.com'}");
	ft_expect(frag, "popularity", "{}");
	ft_expect(frag, "artist", "null");
	ft_expect(frag, "date", "null");
	cJSON_Delete(frag);
}

/* TheAudioDB's documented strings aside, numbers as JSON numbers are read too. */
static void test_artist_numbers(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_artist,
			       "{'artists':[{'idArtist':111319,'intFormedYear':1987,"
			       "'intMembers':'3.5','intDiedYear':'19x4','idLabel':44}]}");

	(void)state;
	ft_expect(frag, "id", "'111319'");
	ft_expect(frag, "name", "null");
	ft_expect(frag, "extra", "{'label_id':'44','formed_year':1987}");
	cJSON_Delete(frag);
}

/* ---- albums and tracks ---------------------------------------------------- */

static const char album_body[] =
	"{'album':[{'idAlbum':'2115888','idArtist':'111319','idLabel':null,"
	"'strAlbum':'Nevermind','strAlbumStripped':'Nevermind','strArtist':'Nirvana',"
	"'intYearReleased':'1991','strStyle':'Rock/Pop','strGenre':'Grunge','strLabel':'DGC',"
	"'strReleaseFormat':'Album','intSales':'30000000',"
	"'strAlbumThumb':'https://r2.theaudiodb.com/images/media/album/thumb/n.jpg',"
	"'strAlbumThumbHQ':null,"
	"'strAlbumBack':'https://r2.theaudiodb.com/images/media/album/back/n.jpg',"
	"'strAlbumCDart':'https://r2.theaudiodb.com/images/media/album/cdart/n.png',"
	"'strAlbumSpine':'','strAlbum3DCase':'https://r2.theaudiodb.com/images/3d/n.png',"
	"'strDescriptionEN':'The second album.','strDescriptionDE':'Das zweite Album.',"
	"'intLoved':'5','intScore':'8.7','intScoreVotes':'12','strScoreVotes':null,"
	"'strMood':'Angry','strTheme':null,'strSpeed':'Medium',"
	"'strMusicBrainzID':'f5a2e9ac-bd56-44f5-95fa-a267310d12ff',"
	"'strMusicBrainzArtistID':'5b11f4ce-a62d-471e-81fc-a69a8278c7da',"
	"'strAllMusicID':'mw0000185539','strDiscogsID':'13814','strWikidataID':'Q10851',"
	"'strItunesID':null,'strLocked':'unlocked'}]}";

static void test_album(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_album, album_body);

	(void)state;
	ft_expect(frag, "kind", "'release-group'");
	ft_expect(frag, "id", "'2115888'");
	ft_expect(frag, "url", "'https://www.theaudiodb.com/album/2115888'");
	ft_expect(frag, "name", "'Nevermind'");
	ft_expect(frag, "artist", "'Nirvana'");
	ft_expect(frag, "date", "'1991'");
	ft_expect(frag, "images[0].type", "'front'");
	ft_expect(frag, "images[1].type", "'back'");
	ft_expect(frag, "images[2].type", "'medium'");
	ft_expect(frag, "images[3].type", "'other'");
	assert_int_equal(cJSON_GetArraySize(ft_at(frag, "images")), 4);
	ft_expect(frag, "biographies[1]",
		  "{'text':'Das zweite Album.','summary':null,'language':'de','url':null,"
		  "'attribution':'TheAudioDB (theaudiodb.com)'}");
	ft_expect(frag, "popularity", "{'score':8.7,'score_votes':12,'loved':5}");
	ft_expect(frag, "genres", "[{'name':'Grunge','count':null}]");
	ft_expect(frag, "tags",
		  "[{'name':'Rock/Pop','count':null},{'name':'Angry','count':null},"
		  "{'name':'Medium','count':null}]");
	ft_expect(frag, "ids",
		  "{'theaudiodb':['2115888'],'mbid':['f5a2e9ac-bd56-44f5-95fa-a267310d12ff'],"
		  "'discogs':['13814'],'wikidata':['Q10851'],'allmusic':['mw0000185539']}");
	ft_expect(frag, "extra",
		  "{'artist_id':'111319','artist_mbid':'5b11f4ce-a62d-471e-81fc-a69a8278c7da',"
		  "'label':'DGC','release_format':'Album','sales':30000000}");
	cJSON_Delete(frag);
}

static void test_album_placeholders(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_album,
			       "{'album':[{'idAlbum':'7','intYearReleased':'0','intScore':'11',"
			       "'intScoreVotes':'-1','strAlbumThumb':'','strMusicBrainzID':'',"
			       "'strDiscogsID':'0','strDescriptionEN':'\\r\\n'}]}");

	(void)state;
	ft_expect(frag, "date", "null");
	ft_expect(frag, "images", "[]");
	ft_expect(frag, "biographies", "[]");
	ft_expect(frag, "popularity", "{}");
	ft_expect(frag, "ids", "{'theaudiodb':['7']}");
	ft_expect(frag, "extra", "{}");
	cJSON_Delete(frag);
}

static const char track_body[] =
	"{'track':[{'idTrack':'32793500','idAlbum':'2115888','idArtist':'111319',"
	"'idLyric':'0','strTrack':'Smells Like Teen Spirit','strAlbum':'Nevermind',"
	"'strArtist':'Nirvana','intCD':null,'intDuration':'301920','strGenre':'Grunge',"
	"'strMood':'Angry','strStyle':'Rock/Pop','strTheme':'Teen',"
	"'strDescriptionEN':'The lead single.',"
	"'strTrackThumb':'https://r2.theaudiodb.com/images/media/track/thumb/s.jpg',"
	"'strTrack3DCase':null,'strTrackLyrics':'',"
	"'strMusicVid':'https://www.youtube.com/watch?v=hTWKbfoikeg',"
	"'strMusicVidDirector':'Samuel Bayer','strMusicVidCompany':'',"
	"'intMusicVidViews':'1700000000','intMusicVidLikes':null,'intTrackNumber':'1',"
	"'intLoved':'3','intScore':'9','intScoreVotes':'4','intTotalListeners':'2000',"
	"'intTotalPlays':'90000','strMusicBrainzID':'c0611cc5-e7da-42b1-9a0b-9a721fe766be',"
	"'strMusicBrainzAlbumID':'f5a2e9ac-bd56-44f5-95fa-a267310d12ff',"
	"'strMusicBrainzArtistID':'5b11f4ce-a62d-471e-81fc-a69a8278c7da',"
	"'strLocked':'unlocked'}]}";

static void test_track(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_track, track_body);

	(void)state;
	ft_expect(frag, "kind", "'recording'");
	ft_expect(frag, "id", "'32793500'");
	ft_expect(frag, "url", "'https://www.theaudiodb.com/track/32793500'");
	ft_expect(frag, "name", "'Smells Like Teen Spirit'");
	ft_expect(frag, "artist", "'Nirvana'");
	ft_expect(frag, "album", "'Nevermind'");
	ft_expect(frag, "duration_ms", "301920");
	ft_expect(frag, "images[0].type", "'other'");
	ft_expect(frag, "biographies[0].text", "'The lead single.'");
	ft_expect(frag, "popularity",
		  "{'score':9,'score_votes':4,'loved':3,'listeners':2000,'playcount':90000,"
		  "'video_views':1700000000}");
	ft_expect(frag, "tags",
		  "[{'name':'Rock/Pop','count':null},{'name':'Angry','count':null},"
		  "{'name':'Teen','count':null}]");
	ft_expect(frag, "ids",
		  "{'theaudiodb':['32793500'],'mbid':['c0611cc5-e7da-42b1-9a0b-9a721fe766be']}");
	ft_expect(frag, "extra",
		  "{'album_id':'2115888','artist_id':'111319',"
		  "'album_mbid':'f5a2e9ac-bd56-44f5-95fa-a267310d12ff',"
		  "'artist_mbid':'5b11f4ce-a62d-471e-81fc-a69a8278c7da','track_number':1,"
		  "'music_video':'https://www.youtube.com/watch?v=hTWKbfoikeg',"
		  "'music_video_director':'Samuel Bayer'}");
	cJSON_Delete(frag);
}

static void test_track_bad_values(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_track,
			       "{'track':[{'idTrack':'5','intDuration':'-3','strMusicVid':"
			       "'javascript:alert(1)','strTrackThumb':'//cdn.test/x.jpg',"
			       "'intTrackNumber':'one'}]}");

	(void)state;
	ft_expect(frag, "duration_ms", "null");
	ft_expect(frag, "images", "[]");
	ft_expect(frag, "extra", "{}");
	cJSON_Delete(frag);
}

/* ---- answers that are not a fragment --------------------------------------- */

static void test_not_found(void **state)
{
	(void)state;
	parse_fails(theaudiodb_parse_artist, "{'artists':null}", ERR_NOT_FOUND);
	parse_fails(theaudiodb_parse_artist, "{'artists':[]}", ERR_NOT_FOUND);
	parse_fails(theaudiodb_parse_album, "{'album':null}", ERR_NOT_FOUND);
	parse_fails(theaudiodb_parse_track, "{'track':null}", ERR_NOT_FOUND);
	parse_fails(theaudiodb_parse_track, " {\"track\" : null}\n", ERR_NOT_FOUND);
}

static void test_bad_bodies(void **state)
{
	static const char *const bodies[] = {
		"",
		"null",
		"[]",
		"'artists'",
		"{}",
		"{'album':null}", /* another script's answer */
		"{'artists':'none'}",
		"{'artists':{}}",
		"{'artists':[1]}",
		"{'artists':[null]}",
		"{'artists':[{}]}",
		"{'artists':[{'idArtist':'0'}]}",
		"{'artists':[{'idArtist':'12a'}]}",
		"{'artists':[{'idArtist':-4}]}",
		"{'artists':[{'idArtist':1.5}]}",
		"{'artists':[{'idArtist':'123456789012345678901'}]}",
		"{'artists':[{'idArtist':'111319','strArtist':'Nirv",
		"{'artists':[{'idArtist':'1'}]} trailing",
		"<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>",
		"{'error':'Invalid API key'}",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bodies); i++)
		parse_fails(theaudiodb_parse_artist, bodies[i], ERR_INVALID_ARGUMENT);
	parse_fails(theaudiodb_parse_album, "{'album':[{'idAlbum':''}]}", ERR_INVALID_ARGUMENT);
	parse_fails(theaudiodb_parse_track, "{'artists':null}", ERR_INVALID_ARGUMENT);
}

/* Every member of the wrong type reads as absent; the fragment keeps its shape. */
static void test_wrong_types(void **state)
{
	static const char *const values[] = {"1",     "true",	 "null",   "[]", "{}",
					     "['x']", "{'a':1}", "-1e308", "''"};
	static const char *const keys[] = {
		"strArtist",  "strBiographyEN",	  "strArtistThumb", "strArtistFanart",
		"strGenre",   "strStyle",	  "strMood",	    "intFormedYear",
		"intMembers", "strMusicBrainzID", "strWebsite",	    "idLabel",
		"strAlbum",   "intYearReleased",  "intScore",	    "intDuration",
		"strTrack",   "strMusicVid",	  "strAlbumThumb",  "strDescriptionEN",
	};
	static const char *const lists[][2] = {
		{"artists", "idArtist"}, {"album", "idAlbum"}, {"track", "idTrack"}};
	parse_fn *const parsers[] = {theaudiodb_parse_artist, theaudiodb_parse_album,
				     theaudiodb_parse_track};

	(void)state;
	for (size_t p = 0; p < ARRAY_SIZE(parsers); p++)
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			char body[4096];
			size_t n;
			cJSON *frag;

			n = (size_t)snprintf(body, sizeof(body), "{'%s':[{'%s':'9'", lists[p][0],
					     lists[p][1]);
			for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
				n += (size_t)snprintf(body + n, sizeof(body) - n, ",'%s':%s",
						      keys[k], values[v]);
			snprintf(body + n, sizeof(body) - n, "}]}");
			frag = parse_ok(parsers[p], body);
			ft_expect(frag, "images", "[]");
			ft_expect(frag, "biographies", "[]");
			ft_expect(frag, "name", "null");
			cJSON_Delete(frag);
		}
}

static void test_invalid_utf8(void **state)
{
	cJSON *frag = parse_ok(theaudiodb_parse_artist,
			       "{'artists':[{'idArtist':'1','strArtist':'Bj\xf6rk',"
			       "'strBiographyEN':'caf\xe9 \xc3\xa9','strGenre':'\xff'}]}");

	(void)state;
	ft_expect(frag, "name", "'Bj\xef\xbf\xbdrk'");
	ft_expect(frag, "biographies[0].text", "'caf\xef\xbf\xbd \xc3\xa9'");
	ft_expect(frag, "genres[0].name", "'\xef\xbf\xbd'");
	cJSON_Delete(frag);
}

static void test_body_cap(void **state)
{
	size_t len = THEAUDIODB_MAX_BODY_BYTES + 1;
	char *body = malloc(len);
	const char *why = NULL;
	cJSON *frag = NULL;

	(void)state;
	assert_non_null(body);
	memset(body, ' ', len);
	memcpy(body, "{\"artists\":null}", 16);
	assert_int_equal(theaudiodb_parse_artist(body, len, &frag, &why), ERR_TOO_LARGE);
	assert_null(frag);
	assert_non_null(why);
	assert_int_equal(theaudiodb_parse_artist(body, len - 1, &frag, &why), ERR_NOT_FOUND);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_artist),
		cmocka_unit_test(test_artist_numbers),
		cmocka_unit_test(test_album),
		cmocka_unit_test(test_album_placeholders),
		cmocka_unit_test(test_track),
		cmocka_unit_test(test_track_bad_values),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_bad_bodies),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_body_cap),
	};

	json_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
