/*
 * test_deezer.c - the Deezer provider's pure functions: request URLs, the
 * advanced-search query helper, and the parsers on small bodies written for
 * these tests in Deezer's format.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_deezer_conformance.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/deezer.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"

/* ---- helpers ------------------------------------------------------------ */

enum parser {
	P_ARTIST,
	P_ALBUM,
	P_TRACK,
	P_TOP,
	P_RELATED,
	P_SEARCH_ARTIST,
	P_SEARCH_ALBUM,
	P_SEARCH_TRACK,
	P__COUNT
};

static enum err run(enum parser p, const char *body, size_t len, cJSON **out, const char **why)
{
	switch (p) {
	case P_ARTIST:
		return deezer_parse_artist(body, len, out, why);
	case P_ALBUM:
		return deezer_parse_album(body, len, out, why);
	case P_TRACK:
		return deezer_parse_track(body, len, out, why);
	case P_TOP:
		return deezer_parse_top("27", body, len, out, why);
	case P_RELATED:
		return deezer_parse_related("27", body, len, out, why);
	case P_SEARCH_ARTIST:
		return deezer_parse_search(DEEZER_SEARCH_ARTIST, body, len, out, why);
	case P_SEARCH_ALBUM:
		return deezer_parse_search(DEEZER_SEARCH_ALBUM, body, len, out, why);
	case P_SEARCH_TRACK:
		return deezer_parse_search(DEEZER_SEARCH_TRACK, body, len, out, why);
	case P__COUNT:
		break;
	}
	return ERR_INTERNAL;
}

static cJSON *parse_ok(enum parser p, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

/* The parser fails with want, a NULL fragment and a reason; returns the reason. */
static const char *parse_fails(enum parser p, const char *quoted, enum err want)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_err(&b, run(p, b.text, b.len, &b.out, &b.why), want, NULL);
}

/* ---- request URLs ------------------------------------------------------- */

#define BASE "https://api.deezer.com"

enum op {
	ARTIST,
	TOP,
	RELATED,
	ALBUM,
	UPC,
	TRACK,
	ISRC,
	SEARCH,
};

struct url_case {
	enum op op;
	const char *base;
	const char *arg;
	unsigned limit;
	int kind;
	enum err want;
	const char *url;
};

static const struct url_case url_cases[] = {
	{ARTIST, BASE, "27", 0, 0, ERR_OK, BASE "/artist/27"},
	{ARTIST, "http://127.0.0.1:9/deezer", "27", 0, 0, ERR_OK,
	 "http://127.0.0.1:9/deezer/artist/27"},
	{ARTIST, BASE, "9007199254740992", 0, 0, ERR_OK, BASE "/artist/9007199254740992"},
	{ARTIST, BASE, "12345678901234567", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, "", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, "027", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, "0", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, "-27", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, "27/top", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, BASE, "27 ", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, "", "27", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ARTIST, NULL, "27", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{TOP, BASE, "27", 10, 0, ERR_OK, BASE "/artist/27/top?limit=10"},
	{TOP, BASE, "27", 100, 0, ERR_OK, BASE "/artist/27/top?limit=100"},
	{TOP, BASE, "27", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{TOP, BASE, "27", 101, 0, ERR_INVALID_ARGUMENT, NULL},
	{TOP, BASE, "x", 5, 0, ERR_INVALID_ARGUMENT, NULL},
	{RELATED, BASE, "27", 20, 0, ERR_OK, BASE "/artist/27/related?limit=20"},
	{RELATED, BASE, "27", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ALBUM, BASE, "302127", 0, 0, ERR_OK, BASE "/album/302127"},
	{ALBUM, BASE, "302127a", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{UPC, BASE, "724384960650", 0, 0, ERR_OK, BASE "/album/upc:724384960650"},
	{UPC, BASE, "12345678", 0, 0, ERR_OK, BASE "/album/upc:12345678"},
	{UPC, BASE, "00602475093060", 0, 0, ERR_OK, BASE "/album/upc:00602475093060"},
	{UPC, BASE, "1234567", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{UPC, BASE, "123456789012345", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{UPC, BASE, "72438496065X", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{UPC, BASE, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{TRACK, BASE, "2947516331", 0, 0, ERR_OK, BASE "/track/2947516331"},
	{TRACK, BASE, "track", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, "USUM72409273", 0, 0, ERR_OK, BASE "/track/isrc:USUM72409273"},
	{ISRC, BASE, "usum72409273", 0, 0, ERR_OK, BASE "/track/isrc:USUM72409273"},
	{ISRC, BASE, "GBAYE0000351", 0, 0, ERR_OK, BASE "/track/isrc:GBAYE0000351"},
	{ISRC, BASE, "USUM7240927", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, "USUM724092730", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, "US-UM7-24-09273", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, "1SUM72409273", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, "USUM7240927A", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, "US_M72409273", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{ISRC, BASE, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, "Daft Punk", 25, DEEZER_SEARCH_ARTIST, ERR_OK,
	 BASE "/search/artist?q=Daft%20Punk&limit=25"},
	{SEARCH, BASE, "artist:\"Nirvana\" album:\"Nevermind\"", 5, DEEZER_SEARCH_ALBUM, ERR_OK,
	 BASE "/search/album?q=artist%3A%22Nirvana%22%20album%3A%22Nevermind%22&limit=5"},
	{SEARCH, BASE, "Björk & co/?#", 1, DEEZER_SEARCH_TRACK, ERR_OK,
	 BASE "/search/track?q=Bj%C3%B6rk%20%26%20co%2F%3F%23&limit=1"},
	{SEARCH, BASE, "", 25, DEEZER_SEARCH_ARTIST, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, NULL, 25, DEEZER_SEARCH_ARTIST, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, "bad \xff utf-8", 25, DEEZER_SEARCH_ARTIST, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, "x", 0, DEEZER_SEARCH_ARTIST, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, "x", 101, DEEZER_SEARCH_ARTIST, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, "x", 25, DEEZER_SEARCH__COUNT, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, BASE, "x", 25, -1, ERR_INVALID_ARGUMENT, NULL},
	{SEARCH, "", "x", 25, DEEZER_SEARCH_ARTIST, ERR_INVALID_ARGUMENT, NULL},
};

static enum err build(const struct url_case *c, struct buf *b)
{
	switch (c->op) {
	case ARTIST:
		return deezer_artist_url(c->base, c->arg, b);
	case TOP:
		return deezer_artist_top_url(c->base, c->arg, c->limit, b);
	case RELATED:
		return deezer_artist_related_url(c->base, c->arg, c->limit, b);
	case ALBUM:
		return deezer_album_url(c->base, c->arg, b);
	case UPC:
		return deezer_album_by_upc_url(c->base, c->arg, b);
	case TRACK:
		return deezer_track_url(c->base, c->arg, b);
	case ISRC:
		return deezer_track_by_isrc_url(c->base, c->arg, b);
	case SEARCH:
		return deezer_search_url(c->base, (enum deezer_search)c->kind, c->arg, c->limit, b);
	}
	return ERR_INTERNAL;
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

static void test_url_too_large(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 20);
	assert_int_equal(deezer_artist_url(BASE, "27", &b), ERR_TOO_LARGE);
	buf_release(&b);
	buf_init(&b, 40);
	assert_int_equal(deezer_search_url(BASE, DEEZER_SEARCH_TRACK, "a long query", 5, &b),
			 ERR_TOO_LARGE);
	buf_release(&b);
}

static void test_search_query_too_long(void **state)
{
	char q[DEEZER_MAX_QUERY_BYTES + 2];
	struct buf b;

	(void)state;
	memset(q, 'a', sizeof(q) - 1);
	q[sizeof(q) - 1] = '\0';
	buf_init(&b, 1 << 16);
	assert_int_equal(deezer_search_url(BASE, DEEZER_SEARCH_ARTIST, q, 5, &b),
			 ERR_INVALID_ARGUMENT);
	q[DEEZER_MAX_QUERY_BYTES] = '\0';
	buf_reset(&b);
	assert_int_equal(deezer_search_url(BASE, DEEZER_SEARCH_ARTIST, q, 5, &b), ERR_OK);
	buf_release(&b);
}

/* ---- the query helper --------------------------------------------------- */

struct query_case {
	const char *artist, *album, *track;
	unsigned dmin, dmax;
	enum err want;
	const char *q;
};

static const struct query_case query_cases[] = {
	{"Nirvana", "Nevermind", NULL, 0, 0, ERR_OK, "artist:\"Nirvana\" album:\"Nevermind\""},
	{"Nirvana", NULL, "Polly", 0, 0, ERR_OK, "artist:\"Nirvana\" track:\"Polly\""},
	{NULL, "", "Polly", 170, 185, ERR_OK, "track:\"Polly\" dur_min:170 dur_max:185"},
	{"", NULL, "Polly", 170, 0, ERR_OK, "track:\"Polly\" dur_min:170"},
	{"Bob Dylan", NULL, NULL, 0, 400, ERR_OK, "artist:\"Bob Dylan\" dur_max:400"},
	{"Say \"Hi\"", NULL, NULL, 0, 0, ERR_OK, "artist:\"Say  Hi \""},
	{"tab\there", NULL, NULL, 0, 0, ERR_OK, "artist:\"tab here\""},
	{"Björk", NULL, NULL, 0, 0, ERR_OK, "artist:\"Björk\""},
	{NULL, NULL, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{"", "", "", 100, 200, ERR_INVALID_ARGUMENT, NULL},
	{"x", NULL, NULL, 300, 200, ERR_INVALID_ARGUMENT, NULL},
	{"bad \xc3", NULL, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
};

static void test_query(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(query_cases); i++) {
		const struct query_case *c = &query_cases[i];
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = deezer_query(c->artist, c->album, c->track, c->dmin, c->dmax, &b);
		if (e != c->want)
			fail_msg("case %zu: want %s, got %s", i, err_str(c->want), err_str(e));
		if (c->q)
			assert_string_equal(b.data, c->q);
		buf_release(&b);
	}
}

static void test_query_limits(void **state)
{
	char big[DEEZER_MAX_QUERY_BYTES];
	struct buf b;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 1 << 16);
	/* each value fits, the query does not */
	assert_int_equal(deezer_query(big, NULL, NULL, 0, 0, &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
	buf_init(&b, 10);
	assert_int_equal(deezer_query("Nirvana", NULL, NULL, 0, 0, &b), ERR_TOO_LARGE);
	buf_release(&b);
	/* a query the helper built is one search_url takes */
	buf_init(&b, 4096);
	assert_int_equal(deezer_query("AC/DC", "Back in Black", NULL, 0, 0, &b), ERR_OK);
	{
		struct buf url;

		buf_init(&url, 4096);
		assert_int_equal(deezer_search_url(BASE, DEEZER_SEARCH_ALBUM, b.data, 3, &url),
				 ERR_OK);
		assert_string_equal(url.data, BASE "/search/album?q=artist%3A%22AC%2FDC%22%20"
						   "album%3A%22Back%20in%20Black%22&limit=3");
		buf_release(&url);
	}
	buf_release(&b);
}

/* ---- artists ------------------------------------------------------------ */

#define CDN "https://cdn-images.dzcdn.net/images"
#define PIC(kind, hash)                                                           \
	"'picture_small':'" CDN "/" kind "/" hash "/56x56-000000-80-0-0.jpg',"    \
	"'picture_medium':'" CDN "/" kind "/" hash "/250x250-000000-80-0-0.jpg'," \
	"'picture_big':'" CDN "/" kind "/" hash "/500x500-000000-80-0-0.jpg',"    \
	"'picture_xl':'" CDN "/" kind "/" hash "/1000x1000-000000-80-0-0.jpg'"

static const char artist_27[] =
	"{'id':27,'name':'Daft Punk','link':'https://www.deezer.com/artist/27',"
	"'share':'https://www.deezer.com/artist/27?utm_source=deezer',"
	"'picture':'https://api.deezer.com/artist/27/image'," PIC(
		"artist", "f2bc007e") ","
				      "'nb_album':36,'nb_fan':4802079,'radio':true,"
				      "'tracklist':'https://api.deezer.com/artist/27/"
				      "top?limit=50','type':'artist'}";

static void test_artist(void **state)
{
	cJSON *f = parse_ok(P_ARTIST, artist_27);

	(void)state;
	ft_expect(f, "provider", "'deezer'");
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "id", "'27'");
	ft_expect(f, "name", "'Daft Punk'");
	ft_expect(f, "url", "'https://www.deezer.com/artist/27'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 1);
	ft_expect(f, "images[0].url", "'" CDN "/artist/f2bc007e/1000x1000-000000-80-0-0.jpg'");
	ft_expect(f, "images[0].type", "'thumb'");
	ft_expect(f, "images[0].types", "['thumb']");
	ft_expect(f, "images[0].width", "1000");
	ft_expect(f, "images[0].height", "1000");
	ft_expect(f, "images[0].thumbnails",
		  "{'56':'" CDN "/artist/f2bc007e/56x56-000000-80-0-0.jpg',"
		  "'250':'" CDN "/artist/f2bc007e/250x250-000000-80-0-0.jpg',"
		  "'500':'" CDN "/artist/f2bc007e/500x500-000000-80-0-0.jpg',"
		  "'1000':'" CDN "/artist/f2bc007e/1000x1000-000000-80-0-0.jpg'}");
	ft_expect(f, "popularity", "{'fans':4802079}");
	ft_expect(f, "ids", "{'deezer':['27']}");
	ft_expect(f, "extra", "{'nb_album':36}");
	ft_expect(f, "tracks", "[]");
	ft_expect(f, "date", "null");
	cJSON_Delete(f);
}

static void test_artist_placeholder_picture(void **state)
{
	cJSON *f = parse_ok(P_ARTIST, "{'id':14031649,'name':'jay emcee',"
				      "'link':'https://www.deezer.com/artist/14031649'," PIC(
					      "artist", "") ",'nb_album':0,'nb_fan':104}");

	(void)state;
	ft_expect(f, "images", "[]");
	ft_expect(f, "popularity", "{'fans':104}");
	cJSON_Delete(f);
}

static void test_artist_some_sizes(void **state)
{
	cJSON *f = parse_ok(P_ARTIST,
			    "{'id':'5','name':'Five','picture_xl':'ftp://x/1000.jpg','picture_big':"
			    "'','picture_medium':'" CDN "/artist/aa/250x250.jpg',"
			    "'picture_small':'" CDN "/artist/aa/56x56.jpg?x=a//b'}");

	(void)state;
	ft_expect(f, "id", "'5'");
	ft_expect(f, "images[0].url", "'" CDN "/artist/aa/250x250.jpg'");
	ft_expect(f, "images[0].width", "250");
	ft_expect(f, "images[0].thumbnails",
		  "{'56':'" CDN "/artist/aa/56x56.jpg?x=a//b','250':'" CDN
		  "/artist/aa/250x250.jpg'}");
	cJSON_Delete(f);
}

static void test_artist_wrong_types(void **state)
{
	cJSON *f = parse_ok(P_ARTIST, "{'id':27.0,'name':5,'link':7,'picture_xl':[],"
				      "'nb_fan':'many','nb_album':-3,'picture_big':{}}");

	(void)state;
	ft_expect(f, "id", "'27'");
	ft_expect(f, "name", "null");
	ft_expect(f, "url", "null");
	ft_expect(f, "images", "[]");
	ft_expect(f, "popularity", "{}");
	ft_expect(f, "extra", "{}");
	cJSON_Delete(f);
}

static void test_artist_bad_ids(void **state)
{
	(void)state;
	assert_string_equal(parse_fails(P_ARTIST, "{'name':'x'}", ERR_INVALID_ARGUMENT),
			    "missing id");
	parse_fails(P_ARTIST, "{'id':0}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ARTIST, "{'id':-27}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ARTIST, "{'id':2.5}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ARTIST, "{'id':1e300}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ARTIST, "{'id':'27a'}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ARTIST, "{'id':null}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ARTIST, "{'id':true}", ERR_INVALID_ARGUMENT);
}

static void test_invalid_utf8_is_replaced(void **state)
{
	const char body[] = "{\"id\":1,\"name\":\"Bj\xf6rk\",\"link\":\"https://x.test/\xff\"}";
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_int_equal(deezer_parse_artist(body, sizeof(body) - 1, &f, &why), ERR_OK);
	ft_check_frag(f);
	ft_expect(f, "name", "'Bj\xef\xbf\xbdrk'");
	ft_expect(f, "url", "null");
	cJSON_Delete(f);
}

/* ---- error envelopes and malformed bodies ------------------------------- */

struct envelope_case {
	const char *body;
	enum err want;
	const char *why;
};

static const struct envelope_case envelope_cases[] = {
	{"{'error':{'type':'DataException','message':'no data','code':800}}", ERR_NOT_FOUND,
	 "deezer DataException 800: no data"},
	{"{'error':{'type':'Exception','message':'Quota limit exceeded','code':4}}",
	 ERR_INVALID_ARGUMENT, "deezer Exception 4: quota limit exceeded"},
	{"{'error':{'type':'OAuthException','message':'An active access token must be used',"
	 "'code':200}}",
	 ERR_INVALID_ARGUMENT, "deezer OAuthException 200: permission denied"},
	{"{'error':{'type':'OAuthException','message':'Invalid OAuth access token.','code':300}}",
	 ERR_INVALID_ARGUMENT, "deezer OAuthException 300: invalid token"},
	{"{'error':{'type':'MissingParameterException','message':'Missing parameters: q',"
	 "'code':501}}",
	 ERR_INVALID_ARGUMENT, "deezer MissingParameterException 501: missing parameter"},
	{"{'error':{'type':'DataException','message':'no data','code':'800'}}", ERR_NOT_FOUND,
	 "deezer DataException: no data"},
	{"{'error':{'type':'InvalidQueryException','code':612}}", ERR_INVALID_ARGUMENT,
	 "deezer InvalidQueryException"},
	{"{'error':{'type':'WeirdException','code':999}}", ERR_INVALID_ARGUMENT,
	 "deezer error envelope"},
	{"{'error':'boom'}", ERR_INVALID_ARGUMENT, "deezer error envelope"},
	{"{'error':null,'id':27}", ERR_INVALID_ARGUMENT, "deezer error envelope"},
	{"{'id':27,'name':'Daft", ERR_INVALID_ARGUMENT, "body is not JSON"},
	{"", ERR_INVALID_ARGUMENT, "body is not JSON"},
	{"{'id':27} x", ERR_INVALID_ARGUMENT, "body is not JSON"},
	{"[{'id':27}]", ERR_INVALID_ARGUMENT, "body is not an object"},
	{"27", ERR_INVALID_ARGUMENT, "body is not an object"},
};

static void test_envelopes(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(envelope_cases); i++) {
		const struct envelope_case *c = &envelope_cases[i];

		for (int p = 0; p < P__COUNT; p++) {
			const char *why = parse_fails((enum parser)p, c->body, c->want);

			if (strcmp(why, c->why) != 0)
				fail_msg("case %zu parser %d: why '%s', want '%s'", i, p, why,
					 c->why);
		}
	}
}

static void test_lists_need_data(void **state)
{
	(void)state;
	for (int p = P_TOP; p < P__COUNT; p++) {
		assert_string_equal(
			parse_fails((enum parser)p, "{'total':0}", ERR_INVALID_ARGUMENT),
			"missing data list");
		parse_fails((enum parser)p, "{'data':{}}", ERR_INVALID_ARGUMENT);
	}
}

static void test_over_cap(void **state)
{
	size_t len = DEEZER_MAX_BODY_BYTES + 1;
	char *body = malloc(len);
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_non_null(body);
	memset(body, ' ', len);
	body[0] = '{';
	body[len - 1] = '}';
	for (int p = 0; p < P__COUNT; p++) {
		assert_int_equal(run((enum parser)p, body, len, &f, &why), ERR_TOO_LARGE);
		assert_null(f);
		assert_string_equal(why, "body too large");
	}
	assert_false(deezer_is_quota_error(body, len));
	/* one byte less is parsed */
	body[len - 2] = '}';
	assert_int_equal(deezer_parse_search(DEEZER_SEARCH_ARTIST, body, len - 1, &f, &why),
			 ERR_INVALID_ARGUMENT);
	assert_string_equal(why, "missing data list");
	free(body);
}

static void test_quota_error(void **state)
{
	const char *quota = "{\"error\":{\"type\":\"Exception\",\"message\":\"Quota limit "
			    "exceeded\",\"code\":4}}";
	const char *nodata = "{\"error\":{\"type\":\"DataException\",\"message\":\"no data\","
			     "\"code\":800}}";

	(void)state;
	assert_true(deezer_is_quota_error(quota, strlen(quota)));
	assert_false(deezer_is_quota_error(nodata, strlen(nodata)));
	assert_false(deezer_is_quota_error(quota, strlen(quota) - 1));
	assert_false(deezer_is_quota_error("{\"error\":{\"code\":\"4\"}}", 22));
	assert_false(deezer_is_quota_error("{\"id\":4}", 8));
	assert_false(deezer_is_quota_error("", 0));
}

/* ---- albums ------------------------------------------------------------- */

#define COVER(hash)                                                          \
	"'cover_small':'" CDN "/cover/" hash "/56x56-000000-80-0-0.jpg',"    \
	"'cover_medium':'" CDN "/cover/" hash "/250x250-000000-80-0-0.jpg'," \
	"'cover_big':'" CDN "/cover/" hash "/500x500-000000-80-0-0.jpg',"    \
	"'cover_xl':'" CDN "/cover/" hash "/1000x1000-000000-80-0-0.jpg'"

static const char album_nevermind[] =
	"{'id':1000001,'title':'Nevermind','upc':'720642442524',"
	"'link':'https://www.deezer.com/album/1000001',"
	"'cover':'https://api.deezer.com/album/1000001/image'," COVER(
		"abcd") ","
			"'md5_image':'abcd','genre_id':152,"
			"'genres':{'data':[{'id':152,'name':'Rock','type':'genre'},{'id':85,'name':"
			"''},"
			"{'id':86},{'id':87,'name':'Alternative'}]},"
			"'label':'DGC','nb_tracks':3,'duration':737,'fans':123456,"
			"'release_date':'1991-09-24','record_type':'album','available':true,"
			"'explicit_lyrics':false,"
			"'artist':{'id':415,'name':'Nirvana','type':'artist'},'type':'album',"
			"'tracks':{'data':["
			"{'id':2001,'readable':true,'title':'Smells Like Teen "
			"Spirit','duration':301,"
			"'rank':900000,'artist':{'id':415,'name':'Nirvana'},'type':'track'},"
			"{'id':2002,'title':'In Bloom','duration':'254','isrc':'usgf19140002'},"
			"{'id':2003,'title':''},"
			"{'title':'Come as You "
			"Are','duration':219,'track_position':3,'disk_number':1,"
			"'isrc':'bad'}]}}";

static void test_album(void **state)
{
	cJSON *f = parse_ok(P_ALBUM, album_nevermind);

	(void)state;
	ft_expect(f, "kind", "'release'");
	ft_expect(f, "id", "'1000001'");
	ft_expect(f, "name", "'Nevermind'");
	ft_expect(f, "artist", "'Nirvana'");
	ft_expect(f, "album", "null");
	ft_expect(f, "url", "'https://www.deezer.com/album/1000001'");
	ft_expect(f, "date", "'1991-09-24'");
	ft_expect(f, "duration_ms", "737000");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[0].url", "'" CDN "/cover/abcd/1000x1000-000000-80-0-0.jpg'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images[0].thumbnails")), 4);
	ft_expect(f, "genres",
		  "[{'name':'Rock','count':null},{'name':'Alternative','count':null}]");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "tracks")), 3);
	ft_expect(f, "tracks[0]",
		  "{'title':'Smells Like Teen Spirit','position':null,'disc':null,"
		  "'duration_ms':301000,'isrc':null,'id':'2001'}");
	ft_expect(f, "tracks[1]",
		  "{'title':'In Bloom','position':null,'disc':null,'duration_ms':null,"
		  "'isrc':'USGF19140002','id':'2002'}");
	ft_expect(f, "tracks[2]",
		  "{'title':'Come as You Are','position':3,'disc':1,'duration_ms':219000,"
		  "'isrc':null,'id':null}");
	ft_expect(f, "popularity", "{'fans':123456}");
	ft_expect(f, "ids", "{'deezer':['1000001'],'upc':['720642442524']}");
	ft_expect(f, "extra",
		  "{'artist_id':'415','label':'DGC','record_type':'album','nb_tracks':3,"
		  "'explicit':false}");
	cJSON_Delete(f);
}

struct date_case {
	const char *given;
	const char *want;
};

static const struct date_case date_cases[] = {
	{"'1991-09-24'", "'1991-09-24'"},
	{"'0000-00-00'", "null"},
	{"'1968-00-00'", "'1968'"},
	{"'1968-05-00'", "'1968-05'"},
	{"'1968'", "null"},
	{"'1991-9-24'", "null"},
	{"'1991-09-24T00'", "null"},
	{"'19a1-09-24'", "null"},
	{"19910924", "null"},
	{"''", "null"},
	{"null", "null"},
};

static void test_album_dates(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(date_cases); i++) {
		char body[128];
		cJSON *f;

		snprintf(body, sizeof(body), "{'id':1,'release_date':%s}", date_cases[i].given);
		f = parse_ok(P_ALBUM, body);
		ft_expect(f, "date", date_cases[i].want);
		cJSON_Delete(f);
	}
}

static void test_album_bare(void **state)
{
	cJSON *f = parse_ok(P_ALBUM, "{'id':7,'upc':'123','tracks':[],'genres':{'data':'x'},"
				     "'artist':'someone'," COVER("") "}");

	(void)state;
	ft_expect(f, "name", "null");
	ft_expect(f, "artist", "null");
	ft_expect(f, "images", "[]");
	ft_expect(f, "tracks", "[]");
	ft_expect(f, "genres", "[]");
	ft_expect(f, "ids", "{'deezer':['7']}");
	ft_expect(f, "extra", "{}");
	cJSON_Delete(f);
}

/* ---- tracks ------------------------------------------------------------- */

static const char track_teen_spirit[] =
	"{'id':2001,'readable':true,'title':'Smells Like Teen Spirit',"
	"'title_short':'Smells Like Teen Spirit','isrc':'USGF19140001',"
	"'link':'https://www.deezer.com/track/2001','duration':301,'track_position':1,"
	"'disk_number':1,'rank':912345,'release_date':'1991-09-10','explicit_lyrics':false,"
	"'preview':'https://cdnt-preview.dzcdn.net/api/1/1/a/b/c/0/abc.mp3?hdnea=exp=1~acl=/x*',"
	"'bpm':116.7,'gain':-9.8,'available_countries':['FR','US'],"
	"'contributors':[{'id':415,'name':'Nirvana','role':'Main'}],"
	"'artist':{'id':415,'name':'Nirvana','link':'https://www.deezer.com/artist/415'},"
	"'album':{'id':1000001,'title':'Nevermind','link':'https://www.deezer.com/album/"
	"1000001'," COVER("abcd") ",'release_date':'1991-09-24','type':'album'},'type':'track'}";

static void test_track(void **state)
{
	cJSON *f = parse_ok(P_TRACK, track_teen_spirit);

	(void)state;
	ft_expect(f, "kind", "'recording'");
	ft_expect(f, "id", "'2001'");
	ft_expect(f, "name", "'Smells Like Teen Spirit'");
	ft_expect(f, "artist", "'Nirvana'");
	ft_expect(f, "album", "'Nevermind'");
	ft_expect(f, "duration_ms", "301000");
	ft_expect(f, "date", "'1991-09-10'");
	ft_expect(f, "url", "'https://www.deezer.com/track/2001'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "popularity", "{'rank':912345}");
	ft_expect(f, "ids", "{'deezer':['2001'],'isrc':['USGF19140001']}");
	ft_expect(
		f, "extra",
		"{'preview_url':'https://cdnt-preview.dzcdn.net/api/1/1/a/b/c/0/abc.mp3?hdnea=exp="
		"1~acl=/x*','explicit':false,'bpm':116.7,'position':1,'disc':1,'artist_id':'415',"
		"'album_id':'1000001'}");
	cJSON_Delete(f);
}

static void test_track_sparse(void **state)
{
	cJSON *f = parse_ok(P_TRACK, "{'id':9,'title':'T','isrc':'gbaye0000351','bpm':0,"
				     "'preview':'','duration':-1,"
				     "'album':{'title':'A','release_date':'2001-03-00'}}");

	(void)state;
	ft_expect(f, "ids", "{'deezer':['9'],'isrc':['GBAYE0000351']}");
	ft_expect(f, "date", "'2001-03'");
	ft_expect(f, "duration_ms", "null");
	ft_expect(f, "images", "[]");
	ft_expect(f, "extra", "{}");
	cJSON_Delete(f);
}

/* ---- top tracks and related artists ------------------------------------- */

static const char top_27[] =
	"{'data':[{'id':67238732,'title':'Instant Crush (feat. Julian Casablancas)',"
	"'link':'https://www.deezer.com/track/67238732','duration':337,'rank':944042,"
	"'contributors':[{'id':27,'name':'Daft Punk'},{'id':295821,'name':'Julian'}],"
	"'artist':{'id':295821,'name':'Julian Casablancas'},"
	"'album':{'id':6575789,'title':'Random Access Memories'},'type':'track'},"
	"{'id':3135556,'title':'Harder, Better, Faster, Stronger','duration':224,"
	"'isrc':'GBDUW0000059','artist':{'id':27,'name':'Daft Punk'}},"
	"{'id':3,'title':''},'junk',"
	"{'title':'One More Time','artist':{'id':'27','name':'Daft Punk (wrong)'}}],"
	"'total':100,'next':'https://api.deezer.com/artist/27/top?index=5'}";

static void test_top(void **state)
{
	cJSON *f = parse_ok(P_TOP, top_27);

	(void)state;
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "id", "'27'");
	ft_expect(f, "name", "'Daft Punk'");
	ft_expect(f, "ids", "{'deezer':['27']}");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "top_tracks")), 3);
	ft_expect(
		f, "top_tracks[0]",
		"{'title':'Instant Crush (feat. Julian Casablancas)','artist':'Julian Casablancas',"
		"'id':'67238732','mbid':null,'isrc':null,'duration_ms':337000,"
		"'url':'https://www.deezer.com/track/67238732','rank':1}");
	ft_expect(f, "top_tracks[1].isrc", "'GBDUW0000059'");
	ft_expect(f, "top_tracks[1].rank", "2");
	ft_expect(f, "top_tracks[2]",
		  "{'title':'One More Time','artist':'Daft Punk (wrong)','id':null,'mbid':null,"
		  "'isrc':null,'duration_ms':null,'url':null,'rank':3}");
	cJSON_Delete(f);
}

static void test_top_empty_and_bad_id(void **state)
{
	const char *body = "{\"data\":[],\"total\":0}";
	const char *why = NULL;
	cJSON *f = parse_ok(P_TOP, "{'data':[],'total':0}");

	(void)state;
	ft_expect(f, "name", "null");
	ft_expect(f, "top_tracks", "[]");
	cJSON_Delete(f);
	f = (cJSON *)1;
	assert_int_equal(deezer_parse_top("abc", body, strlen(body), &f, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(f);
	assert_string_equal(why, "invalid artist id");
	f = (cJSON *)1;
	assert_int_equal(deezer_parse_related(NULL, body, strlen(body), &f, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(f);
}

static void test_related(void **state)
{
	cJSON *f =
		parse_ok(P_RELATED,
			 "{'data':[{'id':6404,'name':'Justice','link':'https://www.deezer.com/"
			 "artist/6404'," PIC("artist",
					     "e5bf") ",'nb_album':41,'nb_fan':774236,"
						     "'radio':true,'type':'artist'},{'id':2049,'"
						     "name':'Cassius','link':5},"
						     "{'id':1,'name':''},{'id':2},[]],'total':20}");

	(void)state;
	ft_expect(f, "id", "'27'");
	ft_expect(f, "name", "null");
	ft_expect(f, "similar",
		  "[{'name':'Justice','id':'6404','mbid':null,"
		  "'url':'https://www.deezer.com/artist/6404','score':null},"
		  "{'name':'Cassius','id':'2049','mbid':null,'url':null,'score':null}]");
	cJSON_Delete(f);
}

/* ---- searches ----------------------------------------------------------- */

static void test_search_artist(void **state)
{
	cJSON *f = parse_ok(
		P_SEARCH_ARTIST,
		"{'data':["
		"{'id':259,'name':'Michael Jackson','link':'https://www.deezer.com/"
		"artist/259'," PIC("artist",
				   "97fa") ",'nb_album':43,'nb_fan':12074101},"
					   "{'name':'no id'},"
					   "{'id':14031649,'name':'jay emcee'," PIC(
						   "artist",
						   "") "}],"
						       "'total':3,'next':'https://api.deezer.com/"
						       "search/artist?q=x&index=25'}");

	(void)state;
	ft_expect(f, "kind", "'candidates'");
	ft_expect(f, "entity", "'artist'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 2);
	ft_expect(f, "items[0].id", "'259'");
	ft_expect(f, "items[0].kind", "'artist'");
	ft_expect(f, "items[0].popularity", "{'fans':12074101}");
	ft_expect(f, "items[1].id", "'14031649'");
	ft_expect(f, "items[1].images", "[]");
	cJSON_Delete(f);
}

static void test_search_album_and_track(void **state)
{
	cJSON *f = parse_ok(
		P_SEARCH_ALBUM,
		"{'data':[{'id':13606387,'title':'2001','link':'https://www.deezer.com/"
		"album/13606387'," COVER(
			"0d9a") ",'genre_id':116,'nb_tracks':23,"
				"'record_type':'album','explicit_lyrics':true,"
				"'artist':{'id':763,'name':'Dr. Dre'},'type':'album'}],'total':1}");

	(void)state;
	ft_expect(f, "entity", "'release'");
	ft_expect(f, "items[0].name", "'2001'");
	ft_expect(f, "items[0].artist", "'Dr. Dre'");
	ft_expect(f, "items[0].extra",
		  "{'artist_id':'763','record_type':'album','nb_tracks':23,'explicit':true}");
	cJSON_Delete(f);
	f = parse_ok(P_SEARCH_TRACK, "{'data':[],'total':0}");
	ft_expect(f, "entity", "'recording'");
	ft_expect(f, "items", "[]");
	cJSON_Delete(f);
	f = parse_ok(P_SEARCH_TRACK, "{'data':[{'id':1,'title':'x'},{'id':'x'}]}");
	ft_expect(f, "items[0].kind", "'recording'");
	cJSON_Delete(f);
}

static void test_search_bad_kind(void **state)
{
	const char *body = "{\"data\":[]}";
	const char *why = NULL;
	cJSON *f = (cJSON *)1;

	(void)state;
	assert_int_equal(deezer_parse_search(DEEZER_SEARCH__COUNT, body, strlen(body), &f, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(f);
	assert_string_equal(why, "unknown search kind");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_too_large),
		cmocka_unit_test(test_search_query_too_long),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_query_limits),
		cmocka_unit_test(test_artist),
		cmocka_unit_test(test_artist_placeholder_picture),
		cmocka_unit_test(test_artist_some_sizes),
		cmocka_unit_test(test_artist_wrong_types),
		cmocka_unit_test(test_artist_bad_ids),
		cmocka_unit_test(test_invalid_utf8_is_replaced),
		cmocka_unit_test(test_envelopes),
		cmocka_unit_test(test_lists_need_data),
		cmocka_unit_test(test_over_cap),
		cmocka_unit_test(test_quota_error),
		cmocka_unit_test(test_album),
		cmocka_unit_test(test_album_dates),
		cmocka_unit_test(test_album_bare),
		cmocka_unit_test(test_track),
		cmocka_unit_test(test_track_sparse),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_top_empty_and_bad_id),
		cmocka_unit_test(test_related),
		cmocka_unit_test(test_search_artist),
		cmocka_unit_test(test_search_album_and_track),
		cmocka_unit_test(test_search_bad_kind),
	};

	json_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
