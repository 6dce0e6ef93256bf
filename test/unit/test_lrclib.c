/*
 * test_lrclib.c - the LRCLib provider's pure functions: request URLs, the
 * /get and /search parsers on small bodies written for these tests in
 * LRCLib's format, and the duration matcher.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns also goes through
 * fragment_check(). There is no shared fixture folder for LRCLib, hence no
 * conformance suite.
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
#include "medley/lrclib.h"
#include "fragment_testing.h"

#define BASE "https://lrclib.net/api"

static cJSON *parse_ok(bool search, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b,
			  search ? lrclib_parse_search(b.text, b.len, &b.out, &b.why)
				 : lrclib_parse_get(b.text, b.len, &b.out, &b.why),
			  ft_check_shape);
}

static void parse_fails(bool search, const char *quoted, enum err want, const char *want_why)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b,
		    search ? lrclib_parse_search(b.text, b.len, &b.out, &b.why)
			   : lrclib_parse_get(b.text, b.len, &b.out, &b.why),
		    want, want_why);
}

/* ---- request URLs ------------------------------------------------------- */

struct url_case {
	bool search;
	const char *base, *artist, *title, *album;
	long duration_s;
	enum err want;
	const char *url;
};

static void test_urls(void **state)
{
	static const struct url_case cases[] = {
		{false, BASE, "Nirvana", "Come as You Are", "Nevermind", 219, ERR_OK,
		 BASE "/get?artist_name=Nirvana&track_name=Come%20as%20You%20Are"
		      "&album_name=Nevermind&duration=219"},
		{false, BASE, "AC/DC", "Back in Black", NULL, 0, ERR_OK,
		 BASE "/get?artist_name=AC%2FDC&track_name=Back%20in%20Black"},
		{false, BASE, "Motörhead", "Ace of Spades", "", -5, ERR_OK,
		 BASE "/get?artist_name=Mot%C3%B6rhead&track_name=Ace%20of%20Spades"},
		{false, BASE, "Leonard Cohen", "Hey, That’s No Way to Say Goodbye",
		 "Songs of Leonard Cohen", 3600, ERR_OK,
		 BASE "/get?artist_name=Leonard%20Cohen&track_name=Hey%2C%20That%E2%80%99s%20No"
		      "%20Way%20to%20Say%20Goodbye&album_name=Songs%20of%20Leonard%20Cohen"
		      "&duration=3600"},
		{false, BASE, "X", "Y", "a&b=c?d#e+f", 3601, ERR_OK,
		 BASE "/get?artist_name=X&track_name=Y&album_name=a%26b%3Dc%3Fd%23e%2Bf"},
		{false, "http://127.0.0.1:8089/lrclib/api", "Bob Dylan", "Like a Rolling Stone",
		 NULL, 1, ERR_OK,
		 "http://127.0.0.1:8089/lrclib/api/get?artist_name=Bob%20Dylan"
		 "&track_name=Like%20a%20Rolling%20Stone&duration=1"},
		{true, BASE, "Nirvana", "Polly", NULL, 0, ERR_OK,
		 BASE "/search?track_name=Polly&artist_name=Nirvana"},
		{true, BASE, "Nirvana", "Polly", "Nevermind", 0, ERR_OK,
		 BASE "/search?track_name=Polly&artist_name=Nirvana&album_name=Nevermind"},
		{true, BASE, "Nirvana", "Polly", "", 0, ERR_OK,
		 BASE "/search?track_name=Polly&artist_name=Nirvana"},
		{false, BASE, NULL, "Polly", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{false, BASE, "", "Polly", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{false, BASE, "Nirvana", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{true, BASE, "Nirvana", "", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{true, BASE, NULL, "Polly", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{true, "", "Nirvana", "Polly", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{false, NULL, "Nirvana", "Polly", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{false, BASE, "Nirv\xff", "Polly", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{true, BASE, "Nirvana", "Polly", "Never\xc3", 0, ERR_INVALID_ARGUMENT, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct url_case *c = &cases[i];
		struct buf b;
		enum err e;

		buf_init(&b, 64 * 1024);
		e = c->search ? lrclib_search_url(c->base, c->artist, c->title, c->album, &b)
			      : lrclib_get_url(c->base, c->artist, c->title, c->album,
					       c->duration_s, &b);
		if (e != c->want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e), err_str(c->want));
		if (c->url)
			assert_string_equal(b.data, c->url);
		buf_release(&b);
	}
}

static void test_url_limits(void **state)
{
	char longest[LRCLIB_MAX_FIELD_BYTES + 2];
	struct buf b;

	(void)state;
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	buf_init(&b, 64 * 1024);
	assert_int_equal(lrclib_get_url(BASE, longest, "t", NULL, 0, &b), ERR_INVALID_ARGUMENT);
	buf_reset(&b);
	assert_int_equal(lrclib_search_url(BASE, "a", "t", longest, &b), ERR_INVALID_ARGUMENT);
	buf_reset(&b);
	longest[LRCLIB_MAX_FIELD_BYTES] = '\0';
	assert_int_equal(lrclib_get_url(BASE, "a", longest, longest, 200, &b), ERR_OK);
	buf_release(&b);
	buf_init(&b, 30);
	assert_int_equal(lrclib_get_url(BASE, "Nirvana", "Polly", NULL, 0, &b), ERR_TOO_LARGE);
	buf_reset(&b);
	assert_int_equal(lrclib_search_url(BASE, "Nirvana", "Polly", NULL, &b), ERR_TOO_LARGE);
	buf_release(&b);
}

/* ---- /get --------------------------------------------------------------- */

static void test_get(void **state)
{
	cJSON *f = parse_ok(false, "{'id': 3396226, 'name': 'Come as You Are', "
				   "'trackName': 'Come as You Are', 'artistName': 'Nirvana', "
				   "'albumName': 'Nevermind', 'duration': 218.92, "
				   "'instrumental': false, "
				   "'plainLyrics': 'Come as you are\\nAs you were', "
				   "'syncedLyrics': '[00:19.08] Come as you are\\n"
				   "[00:23.50] As you were\\n'}");

	(void)state;
	ft_expect(f, "provider", "'lrclib'");
	ft_expect(f, "kind", "'lyrics'");
	ft_expect(f, "id", "'3396226'");
	ft_expect(f, "name", "'Come as You Are'");
	ft_expect(f, "artist", "'Nirvana'");
	ft_expect(f, "album", "'Nevermind'");
	ft_expect(f, "duration_ms", "218920");
	ft_expect(f, "instrumental", "false");
	ft_expect(f, "plain", "'Come as you are\\nAs you were'");
	ft_expect(f, "synced", "'[00:19.08] Come as you are\\n[00:23.50] As you were\\n'");
	assert_int_equal(cJSON_GetArraySize(f), 10);
	cJSON_Delete(f);
}

static void test_get_instrumental_and_empties(void **state)
{
	cJSON *f = parse_ok(false, "{'id': 7, 'trackName': '', 'name': 'Endless, Nameless', "
				   "'artistName': '  ', 'albumName': null, 'duration': 0.0005, "
				   "'instrumental': true, 'plainLyrics': '', "
				   "'syncedLyrics': ' \\n\\t'}");

	(void)state;
	ft_expect(f, "id", "'7'");
	ft_expect(f, "name", "'Endless, Nameless'"); /* "name" when trackName is empty */
	ft_expect(f, "artist", "null");
	ft_expect(f, "album", "null");
	ft_expect(f, "duration_ms", "1"); /* 0.5 ms rounds up */
	ft_expect(f, "instrumental", "true");
	ft_expect(f, "plain", "null");
	ft_expect(f, "synced", "null");
	cJSON_Delete(f);
}

static void test_get_wrong_types(void **state)
{
	cJSON *f = parse_ok(false, "{'id': '42', 'trackName': 5, 'name': ['x'], "
				   "'artistName': {}, 'albumName': true, 'duration': '218', "
				   "'instrumental': 'yes', 'plainLyrics': 1, 'syncedLyrics': []}");

	(void)state;
	ft_expect(f, "id", "'42'");
	ft_expect(f, "name", "null");
	ft_expect(f, "artist", "null");
	ft_expect(f, "album", "null");
	ft_expect(f, "duration_ms", "null");
	ft_expect(f, "instrumental", "false");
	ft_expect(f, "plain", "null");
	ft_expect(f, "synced", "null");
	cJSON_Delete(f);
	f = parse_ok(false, "{'id': 0, 'duration': -3}");
	ft_expect(f, "id", "'0'");
	ft_expect(f, "duration_ms", "null");
	cJSON_Delete(f);
	f = parse_ok(false, "{'id': 9007199254740991, 'duration': 1e300}");
	ft_expect(f, "id", "'9007199254740991'");
	ft_expect(f, "duration_ms", "null");
	cJSON_Delete(f);
	f = parse_ok(false, "{'id': 1, 'duration': 233.4994}");
	ft_expect(f, "duration_ms", "233499");
	cJSON_Delete(f);
}

static void test_get_errors(void **state)
{
	(void)state;
	/* what lrclib.net sends today, and the shape its docs show */
	parse_fails(false,
		    "{'message': 'Failed to find specified track', 'name': 'TrackNotFound', "
		    "'statusCode': 404}",
		    ERR_NOT_FOUND, "track not found");
	parse_fails(false, "{'code': 404, 'name': 'TrackNotFound', 'message': 'x'}", ERR_NOT_FOUND,
		    "track not found");
	parse_fails(false, "{'name': 'TrackNotFound'}", ERR_NOT_FOUND, "track not found");
	parse_fails(false, "{'statusCode': 404}", ERR_NOT_FOUND, "track not found");
	parse_fails(false,
		    "{'message': 'duration: must be between 1 and 3600', "
		    "'name': 'ValidationError', 'statusCode': 400}",
		    ERR_INVALID_ARGUMENT, "lrclib error");
	parse_fails(false,
		    "{'message': 'Something bad happened', 'name': 'UnknownError', "
		    "'statusCode': 500}",
		    ERR_INVALID_ARGUMENT, "lrclib error");
	parse_fails(false, "{'trackName': 'x'}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': null}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': -1}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': 1.5}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': 9007199254740993}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': ''}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': '12a'}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{'id': '12345678901234567890'}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "{}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(false, "[{'id': 1}]", ERR_INVALID_ARGUMENT, "body is not an object");
	parse_fails(false, "null", ERR_INVALID_ARGUMENT, "body is not an object");
	parse_fails(false, "{'id': 1, 'trackName': 'cut", ERR_INVALID_ARGUMENT, "body is not JSON");
	parse_fails(false, "", ERR_INVALID_ARGUMENT, "body is not JSON");
	parse_fails(false, "Not Found", ERR_INVALID_ARGUMENT, "body is not JSON");
}

/* ---- /search ------------------------------------------------------------ */

static void test_search(void **state)
{
	cJSON *f = parse_ok(true, "[{'id': 1, 'trackName': 'Polly', 'artistName': 'Nirvana', "
				  "'albumName': 'Nevermind', 'duration': 177, "
				  "'instrumental': false, 'plainLyrics': 'Polly wants a cracker', "
				  "'syncedLyrics': null},"
				  "'junk', 3, null, {'trackName': 'no id'},"
				  "{'id': 2, 'trackName': 'Polly', 'artistName': 'Nirvana', "
				  "'albumName': 'MTV Unplugged in New York', 'duration': 196.0, "
				  "'instrumental': false, 'plainLyrics': 'Polly wants a cracker', "
				  "'syncedLyrics': '[00:01.00] Polly wants a cracker'}]");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(f, "items");

	(void)state;
	ft_expect(f, "provider", "'lrclib'");
	ft_expect(f, "kind", "'candidates'");
	ft_expect(f, "entity", "'lyrics'");
	assert_int_equal(cJSON_GetArraySize(items), 2);
	ft_expect(cJSON_GetArrayItem(items, 0), "id", "'1'");
	ft_expect(cJSON_GetArrayItem(items, 0), "duration_ms", "177000");
	ft_expect(cJSON_GetArrayItem(items, 0), "synced", "null");
	ft_expect(cJSON_GetArrayItem(items, 1), "id", "'2'");
	ft_expect(cJSON_GetArrayItem(items, 1), "album", "'MTV Unplugged in New York'");
	cJSON_Delete(f);
	f = parse_ok(true, "[]");
	ft_expect(f, "items", "[]");
	cJSON_Delete(f);
}

static void test_search_errors(void **state)
{
	(void)state;
	parse_fails(true, "{'name': 'TrackNotFound', 'statusCode': 404, 'message': 'x'}",
		    ERR_NOT_FOUND, "track not found");
	parse_fails(true, "{'name': 'ValidationError', 'statusCode': 400, 'message': 'x'}",
		    ERR_INVALID_ARGUMENT, "lrclib error");
	parse_fails(true, "{'id': 1}", ERR_INVALID_ARGUMENT, "body is not an array");
	parse_fails(true, "'tracks'", ERR_INVALID_ARGUMENT, "body is not an array");
	parse_fails(true, "[{'id': 1}", ERR_INVALID_ARGUMENT, "body is not JSON");
}

static void test_body_cap(void **state)
{
	size_t n = LRCLIB_MAX_BODY_BYTES + 1;
	char *body = malloc(n);
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_non_null(body);
	memset(body, ' ', n);
	body[0] = '[';
	body[n - 1] = ']';
	assert_int_equal(lrclib_parse_search(body, n, &f, &why), ERR_TOO_LARGE);
	assert_null(f);
	assert_string_equal(why, "body too large");
	body[0] = '{';
	body[n - 1] = '}';
	assert_int_equal(lrclib_parse_get(body, n, &f, &why), ERR_TOO_LARGE);
	assert_null(f);
	/* at the cap it parses */
	assert_int_equal(lrclib_parse_get(body, n - 1, &f, &why), ERR_INVALID_ARGUMENT);
	free(body);
}

static void test_invalid_utf8(void **state)
{
	static const char body[] = "{\"id\": 5, \"trackName\": \"Mot\xf6rhead\", "
				   "\"plainLyrics\": \"ok \xc3\x28\"}";
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_int_equal(lrclib_parse_get(body, sizeof(body) - 1, &f, &why), ERR_OK);
	ft_check_shape(f);
	ft_expect(f, "name", "'Mot\xef\xbf\xbdrhead'");
	cJSON_Delete(f);
}

/* ---- matching ----------------------------------------------------------- */

/* Candidates: synced at 200000+2500, plain at +500, synced at -1500, instrumental at 0. */
static const char candidates[] =
	"[{'id': 1, 'duration': 202.5, 'syncedLyrics': '[00:01.00] a', 'plainLyrics': 'a'},"
	"{'id': 2, 'duration': 200.5, 'plainLyrics': 'b'},"
	"{'id': 3, 'duration': 198.5, 'syncedLyrics': '[00:01.00] c', 'plainLyrics': 'c'},"
	"{'id': 4, 'duration': 200, 'instrumental': true},"
	"{'id': 5, 'duration': 200},"
	"{'id': 6, 'syncedLyrics': '[00:01.00] f'},"
	"{'id': 7, 'duration': 199.8, 'syncedLyrics': '[00:01.00] g'}]";

struct pick_case {
	long duration_ms, tolerance_ms;
	const char *want; /* id, NULL: none */
};

static void test_pick(void **state)
{
	static const struct pick_case cases[] = {
		{200000, 2000, "7"},   /* synced 3 and 7 qualify; 7 is closer */
		{198500, 2000, "3"},   /* exact */
		{202500, 0, "1"},      /* only 1 at zero tolerance */
		{200000, 0, "4"},      /* the instrumental at exactly 200 s (5 is no answer) */
		{200000, -5, "4"},     /* a negative tolerance is 0 */
		{200500, 0, "2"},      /* plain only */
		{200600, 200, "2"},    /* 2 at 100 ms; 1 and 7 are out */
		{190000, 2000, NULL},  /* nothing near */
		{0, 2000, "1"},	       /* no duration: the first synced */
		{-1, 0, "1"},	       /* likewise */
		{400000, 300000, "1"}, /* everything in range: synced, closest */
		{201000, 2000, "7"},   /* synced 7 (1200 away) beats plain 2 (500 away) */
	};
	cJSON *f = parse_ok(true, candidates);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const cJSON *got = lrclib_pick(f, cases[i].duration_ms, cases[i].tolerance_ms);
		const char *id =
			got ? cJSON_GetObjectItemCaseSensitive(got, "id")->valuestring : NULL;

		if (!cases[i].want != !id || (id && strcmp(id, cases[i].want) != 0))
			fail_msg("case %zu: got %s, want %s", i, id ? id : "NULL",
				 cases[i].want ? cases[i].want : "NULL");
	}
	cJSON_Delete(f);
}

static void test_pick_ties_and_junk(void **state)
{
	cJSON *f = parse_ok(true, "[{'id': 1, 'duration': 199, 'plainLyrics': 'x'},"
				  "{'id': 2, 'duration': 201, 'plainLyrics': 'y'}]");
	cJSON *entity = fragment_new_entity("deezer", "recording", "1");
	cJSON *other = fragment_new_candidates("deezer", "recording");
	const cJSON *got;

	(void)state;
	got = lrclib_pick(f, 200000, LRCLIB_DEFAULT_TOLERANCE_MS);
	assert_non_null(got);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(got, "id")->valuestring, "1");
	assert_null(lrclib_pick(NULL, 200000, 2000));
	assert_null(lrclib_pick(entity, 200000, 2000));
	assert_null(lrclib_pick(other, 0, 2000));
	cJSON_Delete(f);
	f = parse_ok(true, "[]");
	assert_null(lrclib_pick(f, 0, 2000));
	cJSON_Delete(f);
	cJSON_Delete(entity);
	cJSON_Delete(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_instrumental_and_empties),
		cmocka_unit_test(test_get_wrong_types),
		cmocka_unit_test(test_get_errors),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_errors),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_pick_ties_and_junk),
	};

	json_init();
	return cmocka_run_group_tests_name("lrclib", tests, NULL, NULL);
}
