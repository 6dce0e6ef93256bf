/*
 * test_fanarttv.c - the fanart.tv provider's pure functions: request URLs
 * and the artist and album parsers on small bodies written for these tests
 * in fanart.tv's v3 format.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_fanarttv_conformance.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fanarttv.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"

#define BASE "https://webservice.fanart.tv/v3"
#define NIRVANA "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
#define NEVERMIND "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
#define IN_UTERO "d8746ab8-1101-4b0a-b51c-4fe0bd2c4f6b"
#define ASSETS "https://assets.fanart.tv/fanart/music/" NIRVANA

/* ---- helpers ------------------------------------------------------------ */

/* rg NULL: the artist parser; else the album parser for rg. */
static enum err run(const char *rg, const char *body, size_t len, cJSON **out, const char **why)
{
	if (!rg)
		return fanarttv_parse_artist(body, len, out, why);
	return fanarttv_parse_album(body, len, rg, out, why);
}

static cJSON *parse_ok(const char *rg, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(rg, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static void parse_fails(const char *rg, const char *quoted, enum err want)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, run(rg, b.text, b.len, &b.out, &b.why), want, NULL);
}

/* ---- request URLs ------------------------------------------------------- */

static void test_urls(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, "k3y", NULL, &b), ERR_OK);
	assert_string_equal(b.data, BASE "/music/" NIRVANA "?api_key=k3y");
	buf_reset(&b);
	assert_int_equal(
		fanarttv_artist_url(BASE, "5B11F4CE-A62D-471E-81FC-A69A8278C7DA", "k", "", &b),
		ERR_OK);
	assert_string_equal(b.data, BASE "/music/" NIRVANA "?api_key=k");
	buf_reset(&b);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, "a b&c=d", "p/q?", &b), ERR_OK);
	assert_string_equal(b.data,
			    BASE "/music/" NIRVANA "?api_key=a%20b%26c%3Dd&client_key=p%2Fq%3F");
	buf_reset(&b);
	assert_int_equal(fanarttv_album_url(BASE, NEVERMIND, "k", "ck", &b), ERR_OK);
	assert_string_equal(b.data, BASE "/music/albums/" NEVERMIND "?api_key=k&client_key=ck");
	buf_release(&b);
}

static void test_url_errors(void **state)
{
	char long_key[FANARTTV_MAX_KEY_BYTES + 2];
	struct buf b;

	(void)state;
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	buf_init(&b, 4096);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, NULL, NULL, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, "", "ck", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, long_key, NULL, &b),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, "k", long_key, &b),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_artist_url(BASE, "nirvana", "k", NULL, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_artist_url(BASE, NULL, "k", NULL, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_album_url(BASE, NIRVANA "0", "k", NULL, &b),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_album_url("", NIRVANA, "k", NULL, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(fanarttv_album_url(NULL, NIRVANA, "k", NULL, &b), ERR_INVALID_ARGUMENT);
	long_key[FANARTTV_MAX_KEY_BYTES] = '\0'; /* at the limit: accepted */
	assert_int_equal(fanarttv_album_url(BASE, NIRVANA, long_key, long_key, &b), ERR_OK);
	buf_release(&b);
	buf_init(&b, 40);
	assert_int_equal(fanarttv_artist_url(BASE, NIRVANA, "k", NULL, &b), ERR_TOO_LARGE);
	buf_release(&b);
}

/* ---- artist ------------------------------------------------------------- */

static const char artist_body[] =
	"{'name':'Nirvana','mbid_id':'5B11F4CE-A62D-471E-81FC-A69A8278C7DA',"
	"'artistthumb':[{'id':'1','url':'" ASSETS "/artistthumb/a.jpg','likes':'2'},"
	"{'id':'2','url':'" ASSETS "/artistthumb/b.jpg','likes':'10','lang':'EN'},"
	"{'id':'3','url':'http://assets.fanart.tv/fanart/music/" NIRVANA "/artistthumb/c.jpg',"
	"'likes':'2','lang':'00'},"
	"{'id':'4','url':'" ASSETS "/artistthumb/d.jpg','likes':'x','lang':'eng'},"
	"{'id':'5','url':'/relative.jpg','likes':'99'},'junk',"
	"{'id':'6','url':'https://example.com/e.jpg','likes':5}],"
	"'artistbackground':[{'id':'7','url':'" ASSETS "/artistbackground/f.jpg','likes':'1'}],"
	"'musiclogo':[{'id':'8','url':'" ASSETS "/musiclogo/g.png','likes':'50'}],"
	"'hdmusiclogo':[{'id':'9','url':'" ASSETS "/hdmusiclogo/h.png','likes':'3'}],"
	"'musicbanner':[{'id':'10','url':'" ASSETS "/musicbanner/i.jpg','likes':'0'}],"
	"'albums':{'" NEVERMIND "':{'albumcover':[{'id':'11','url':'" ASSETS
	"/albumcover/j.jpg','likes':'4'}]}}}";

static void test_artist(void **state)
{
	cJSON *f = parse_ok(NULL, artist_body);

	(void)state;
	ft_expect(f, "provider", "'fanarttv'");
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "id", "'" NIRVANA "'");
	ft_expect(f, "name", "'Nirvana'");
	ft_expect(f, "url", "null");
	ft_expect(f, "ids", "{'mbid':['" NIRVANA "']}");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 9);
	/* thumbs by likes: b (10), e (5), a (2), c (2, after a), d (unknown) */
	ft_expect(f, "images[0]",
		  "{'url':'" ASSETS "/artistthumb/b.jpg','type':'thumb','types':['thumb',"
		  "'artistthumb'],'width':null,'height':null,'language':'en','likes':10,"
		  "'thumbnails':{'small':'https://assets.fanart.tv/preview/music/" NIRVANA
		  "/artistthumb/b.jpg'}}");
	ft_expect(f, "images[1].url", "'https://example.com/e.jpg'");
	ft_expect(f, "images[1].likes", "5");
	ft_expect(f, "images[1].thumbnails", "{}");
	ft_expect(f, "images[2].url", "'" ASSETS "/artistthumb/a.jpg'");
	ft_expect(f, "images[2].language", "null");
	ft_expect(f, "images[3].url", "'" ASSETS "/artistthumb/c.jpg'"); /* upgraded to https */
	ft_expect(f, "images[3].language", "null");			 /* "00" */
	ft_expect(f, "images[4].url", "'" ASSETS "/artistthumb/d.jpg'");
	ft_expect(f, "images[4].likes", "null");
	ft_expect(f, "images[4].language", "null"); /* "eng" is not ISO 639-1 */
	ft_expect(f, "images[5].type", "'background'");
	/* the HD logo comes first although the standard one has more likes */
	ft_expect(f, "images[6].url", "'" ASSETS "/hdmusiclogo/h.png'");
	ft_expect(f, "images[6].types", "['logo','hdmusiclogo']");
	ft_expect(f, "images[7].url", "'" ASSETS "/musiclogo/g.png'");
	ft_expect(f, "images[7].types", "['logo','musiclogo']");
	ft_expect(f, "images[8].type", "'banner'");
	ft_expect(f, "images[8].likes", "0");
	ft_expect(f, "extra", "{}");
	cJSON_Delete(f);
}

static void test_artist_minimal(void **state)
{
	cJSON *f = parse_ok(NULL, "{'mbid_id':'" NIRVANA "'}");

	(void)state;
	ft_expect(f, "name", "null");
	ft_expect(f, "images", "[]");
	cJSON_Delete(f);
	parse_fails(NULL, "{'name':'Nirvana'}", ERR_INVALID_ARGUMENT);
	parse_fails(NULL, "{'name':'Nirvana','mbid_id':'nirvana'}", ERR_INVALID_ARGUMENT);
	parse_fails(NULL, "{'name':'Nirvana','mbid_id':7}", ERR_INVALID_ARGUMENT);
}

/* ---- album -------------------------------------------------------------- */

static const char album_body[] =
	"{'name':'Nirvana','mbid_id':'" NIRVANA "','albums':{"
	"'" IN_UTERO "':{'albumcover':[{'id':'1','url':'" ASSETS "/albumcover/x.jpg'}]},"
	"'F5A2E9AC-BD56-44F5-95FA-A267310D12FF':{'cdart':[{'id':'2','url':'" ASSETS
	"/cdart/a.png','likes':'1','disc':'1','size':'1000'},{'id':'3','url':'" ASSETS
	"/cdart/b.png','likes':'3','disc':'2','size':'x'}],"
	"'albumcover':[{'id':'4','url':'" ASSETS "/albumcover/c.jpg','likes':'18'},"
	"{'id':'5','url':'" ASSETS "/albumcover/d.jpg','likes':'20'}]}}}";

static void test_album(void **state)
{
	cJSON *f = parse_ok(NEVERMIND, album_body);

	(void)state;
	ft_expect(f, "kind", "'release-group'");
	ft_expect(f, "id", "'" NEVERMIND "'");
	ft_expect(f, "name", "null");
	ft_expect(f, "artist", "'Nirvana'");
	ft_expect(f, "ids", "{'mbid':['" NEVERMIND "']}");
	ft_expect(f, "extra", "{'artist_mbid':'" NIRVANA "'}");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 4);
	ft_expect(f, "images[0].url", "'" ASSETS "/albumcover/d.jpg'");
	ft_expect(f, "images[0].types", "['front','albumcover']");
	ft_expect(f, "images[1].url", "'" ASSETS "/albumcover/c.jpg'");
	ft_expect(f, "images[2]",
		  "{'url':'" ASSETS "/cdart/b.png','type':'medium','types':['medium','cdart'],"
		  "'width':null,'height':null,'language':null,'likes':3,'thumbnails':{'small':"
		  "'https://assets.fanart.tv/preview/music/" NIRVANA "/cdart/b.png'}}");
	ft_expect(f, "images[3].width", "1000");
	ft_expect(f, "images[3].height", "1000");
	cJSON_Delete(f);

	/* the uppercase MBID asked for finds the same entry */
	f = parse_ok("F5A2E9AC-BD56-44F5-95FA-A267310D12FF", album_body);
	ft_expect(f, "id", "'" NEVERMIND "'");
	cJSON_Delete(f);

	/* the artist answer serves the album parser too; no mbid_id: no artist_mbid */
	f = parse_ok(NEVERMIND, artist_body);
	ft_expect(f, "images[0].url", "'" ASSETS "/albumcover/j.jpg'");
	cJSON_Delete(f);
	f = parse_ok(IN_UTERO, "{'albums':{'" IN_UTERO "':{}}}");
	ft_expect(f, "extra", "{}");
	ft_expect(f, "artist", "null");
	ft_expect(f, "images", "[]");
	cJSON_Delete(f);
}

static void test_album_v32(void **state)
{
	cJSON *f =
		parse_ok(NEVERMIND, "{'name':'Nirvana','mbid_id':'" NIRVANA "','albums':["
				    "{'release_group_id':'" IN_UTERO "','albumcover':[]},"
				    "{'release_group_id':'" NEVERMIND "','albumcover':[{'id':'1',"
				    "'url':'" ASSETS "/albumcover/a.jpg','likes':'1',"
				    "'width':1000,'height':1000}]}]}");

	(void)state;
	ft_expect(f, "images[0].url", "'" ASSETS "/albumcover/a.jpg'");
	ft_expect(f, "images[0].width", "1000");
	cJSON_Delete(f);
}

static void test_album_errors(void **state)
{
	const char *why = NULL;
	cJSON *out = (cJSON *)1;

	(void)state;
	parse_fails("00000000-0000-0000-0000-000000000000", album_body, ERR_NOT_FOUND);
	parse_fails(NEVERMIND, "{'name':'Nirvana','mbid_id':'" NIRVANA "'}", ERR_NOT_FOUND);
	parse_fails(NEVERMIND, "{'albums':{'" NEVERMIND "':[]}}", ERR_NOT_FOUND);
	parse_fails(NEVERMIND, "{'albums':['" NEVERMIND "']}", ERR_NOT_FOUND);
	parse_fails(NEVERMIND, "{'albums':'" NEVERMIND "'}", ERR_NOT_FOUND);
	assert_int_equal(fanarttv_parse_album("{}", 2, "nevermind", &out, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(fanarttv_parse_album("{}", 2, NULL, &out, &why), ERR_INVALID_ARGUMENT);
}

/* ---- errors and hostile input ------------------------------------------- */

static void test_error_bodies(void **state)
{
	static const struct {
		const char *body;
		enum err want;
	} cases[] = {
		{"{'status':'error','error message':'Not found'}", ERR_NOT_FOUND},
		{"{'status':'error','error message':'Invalid API key'}", ERR_INVALID_ARGUMENT},
		{"{'status':'error','error message':'Something else'}", ERR_INVALID_ARGUMENT},
		{"{'status':'error'}", ERR_INVALID_ARGUMENT},
		{"{'error message':'not FOUND'}", ERR_NOT_FOUND},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		parse_fails(NULL, cases[i].body, cases[i].want);
		parse_fails(NEVERMIND, cases[i].body, cases[i].want);
	}
}

static void test_hostile_bodies(void **state)
{
	static const char *const bodies[] = {
		"", "  ", "null", "[]", "'x'", "{", "{'mbid_id':'" NIRVANA "'", "{'a':1} {}",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bodies); i++) {
		parse_fails(NULL, bodies[i], ERR_INVALID_ARGUMENT);
		parse_fails(NEVERMIND, bodies[i], ERR_INVALID_ARGUMENT);
	}
}

static void test_wrong_types(void **state)
{
	static const char body[] =
		"{'name':7,'mbid_id':'" NIRVANA "','artistthumb':{'url':'x'},"
		"'artistbackground':[{'url':7,'likes':'1'},{'url':'" ASSETS
		"/b.jpg','likes':{},'lang':5,'size':'-1'}],'musiclogo':'x','hdmusiclogo':null,"
		"'musicbanner':[{'url':'" ASSETS "/c.jpg','likes':'99999999999999999999'},"
		"{'url':'" ASSETS "/d.jpg','likes':'-3'},{'url':'" ASSETS "/e.jpg','likes':''}],"
		"'status':'ok'}";
	cJSON *f = parse_ok(NULL, body);

	(void)state;
	ft_expect(f, "name", "null");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 4);
	ft_expect(f, "images[0].type", "'background'");
	ft_expect(f, "images[0].likes", "null");
	ft_expect(f, "images[0].language", "null");
	ft_expect(f, "images[0].width", "null");
	ft_expect(f, "images[1].likes", "null");
	ft_expect(f, "images[2].likes", "null");
	ft_expect(f, "images[3].likes", "null");
	cJSON_Delete(f);
}

static void test_invalid_utf8_sanitized(void **state)
{
	cJSON *f = parse_ok(NULL, "{'name':'Bj\xf6rk','mbid_id':'" NIRVANA "','artistthumb':"
				  "[{'url':'" ASSETS "/\xff.jpg'}]}");

	(void)state;
	ft_expect(f, "name", "'Bj\xef\xbf\xbdrk'");
	ft_expect(f, "images", "[]"); /* a URL that is not UTF-8 is unusable */
	cJSON_Delete(f);
}

static void test_body_cap(void **state)
{
	size_t n = FANARTTV_MAX_BODY_BYTES + 1;
	char *big = malloc(n);
	const char *why = NULL;
	cJSON *out = NULL;

	(void)state;
	memset(big, ' ', n);
	assert_int_equal(fanarttv_parse_artist(big, n, &out, &why), ERR_TOO_LARGE);
	assert_null(out);
	assert_string_equal(why, "body too large");
	assert_int_equal(fanarttv_parse_album(big, n, NEVERMIND, &out, &why), ERR_TOO_LARGE);
	assert_null(out);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_errors),
		cmocka_unit_test(test_artist),
		cmocka_unit_test(test_artist_minimal),
		cmocka_unit_test(test_album),
		cmocka_unit_test(test_album_v32),
		cmocka_unit_test(test_album_errors),
		cmocka_unit_test(test_error_bodies),
		cmocka_unit_test(test_hostile_bodies),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_invalid_utf8_sanitized),
		cmocka_unit_test(test_body_cap),
	};

	json_init();
	return cmocka_run_group_tests_name("fanarttv", tests, NULL, NULL);
}
