/*
 * test_spotify.c - the Spotify provider's pure functions: ids and links,
 * request URLs and search clauses, the token request and answer, error
 * bodies, and the parsers on small bodies written for these tests in
 * Spotify's format.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_spotify_conformance.c.
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
#include "medley/spotify.h"
#include "fragment_testing.h"

#define BASE "https://api.spotify.com/v1"
#define DYLAN "74ASZWbe4lXaubB36ztrGX"
#define ALBUM "5l3zEmMrOhOzG8d8s83GOL"
#define TRACK "6NPVjNh8Jhru9xOmyQigds"

/* ---- helpers ------------------------------------------------------------ */

enum parser {
	P_ARTIST,
	P_TOP,
	P_ALBUM,
	P_TRACK,
	P_SEARCH_ARTIST,
	P_SEARCH_ALBUM,
	P_SEARCH_TRACK,
	P__COUNT
};

static enum err run(enum parser p, const char *body, size_t len, cJSON **out, const char **why)
{
	switch (p) {
	case P_ARTIST:
		return spotify_parse_artist(body, len, out, why);
	case P_TOP:
		return spotify_parse_top_tracks(body, len, DYLAN, out, why);
	case P_ALBUM:
		return spotify_parse_album(body, len, out, why);
	case P_TRACK:
		return spotify_parse_track(body, len, out, why);
	case P_SEARCH_ARTIST:
		return spotify_parse_search(SPOTIFY_ARTIST, body, len, out, why);
	case P_SEARCH_ALBUM:
		return spotify_parse_search(SPOTIFY_ALBUM, body, len, out, why);
	default:
		return spotify_parse_search(SPOTIFY_TRACK, body, len, out, why);
	}
}

static cJSON *parse_ok(enum parser p, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static void parse_fails(enum parser p, const char *quoted, enum err want)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, run(p, b.text, b.len, &b.out, &b.why), want, NULL);
}

/* ---- ids and links ------------------------------------------------------ */

static void test_ids(void **state)
{
	(void)state;
	assert_true(spotify_valid_id(DYLAN));
	assert_true(spotify_valid_id("0000000000000000000000"));
	assert_false(spotify_valid_id(NULL));
	assert_false(spotify_valid_id(""));
	assert_false(spotify_valid_id("74ASZWbe4lXaubB36ztrG"));   /* 21 */
	assert_false(spotify_valid_id("74ASZWbe4lXaubB36ztrGXx")); /* 23 */
	assert_false(spotify_valid_id("74ASZWbe4lXaubB36ztr-X"));
	assert_false(spotify_valid_id("../../../../etc/passwd0"));
	assert_string_equal(spotify_type_name(SPOTIFY_ARTIST), "artist");
	assert_string_equal(spotify_type_name(SPOTIFY_ALBUM), "album");
	assert_string_equal(spotify_type_name(SPOTIFY_TRACK), "track");
	assert_null(spotify_type_name(SPOTIFY_TYPE__COUNT));
}

static void test_links(void **state)
{
	static const struct {
		const char *url;
		enum err want;
		enum spotify_type type;
		const char *id;
	} cases[] = {
		{"https://open.spotify.com/artist/" DYLAN, ERR_OK, SPOTIFY_ARTIST, DYLAN},
		{"http://open.spotify.com/album/" ALBUM, ERR_OK, SPOTIFY_ALBUM, ALBUM},
		{"https://OPEN.SPOTIFY.COM/track/" TRACK "?si=abc", ERR_OK, SPOTIFY_TRACK, TRACK},
		{"https://open.spotify.com/intl-de/artist/" DYLAN "/", ERR_OK, SPOTIFY_ARTIST,
		 DYLAN},
		{"https://open.spotify.com/embed/track/" TRACK "#x", ERR_OK, SPOTIFY_TRACK, TRACK},
		{"spotify:artist:" DYLAN, ERR_OK, SPOTIFY_ARTIST, DYLAN},
		{"spotify:track:" TRACK, ERR_OK, SPOTIFY_TRACK, TRACK},
		{"spotify:track:" TRACK "x", ERR_INVALID_ARGUMENT, 0, NULL},
		{"spotify:track:" TRACK "/", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://open.spotify.com/artist/" DYLAN "x", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://open.spotify.com/artist/74ASZWbe4lXaubB36ztrG", ERR_INVALID_ARGUMENT, 0,
		 NULL},
		{"https://open.spotify.com/playlist/" DYLAN, ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://open.spotify.com/artists/" DYLAN, ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://example.com/artist/" DYLAN, ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://open.spotify.com/intl-de", ERR_INVALID_ARGUMENT, 0, NULL},
		{"ftp://open.spotify.com/artist/" DYLAN, ERR_INVALID_ARGUMENT, 0, NULL},
		{"", ERR_INVALID_ARGUMENT, 0, NULL},
		{NULL, ERR_INVALID_ARGUMENT, 0, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum spotify_type type = SPOTIFY_TYPE__COUNT;
		char id[SPOTIFY_ID_LEN + 1] = "";
		enum err e = spotify_id_from_url(cases[i].url, &type, id);

		if (e != cases[i].want)
			fail_msg("case %zu: got %s", i, err_str(e));
		if (e != ERR_OK)
			continue;
		assert_int_equal(type, cases[i].type);
		assert_string_equal(id, cases[i].id);
	}
}

/* ---- request URLs ------------------------------------------------------- */

struct url_case {
	char op; /* 'a'rtist, 'l' album, 't'rack, top 'T'racks, 's'earch */
	const char *arg;
	const char *arg2; /* market, or query */
	unsigned type, limit;
	enum err want;
	const char *url;
};

static const struct url_case url_cases[] = {
	{'a', DYLAN, NULL, 0, 0, ERR_OK, BASE "/artists/" DYLAN},
	{'l', ALBUM, NULL, 0, 0, ERR_OK, BASE "/albums/" ALBUM},
	{'t', TRACK, NULL, 0, 0, ERR_OK, BASE "/tracks/" TRACK},
	{'T', DYLAN, "se", 0, 0, ERR_OK, BASE "/artists/" DYLAN "/top-tracks?market=SE"},
	{'T', DYLAN, "US", 0, 0, ERR_OK, BASE "/artists/" DYLAN "/top-tracks?market=US"},
	{'T', DYLAN, "USA", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'T', DYLAN, "U1", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'T', DYLAN, "", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'T', DYLAN, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'T', "nope", "US", 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'a', "74ASZWbe4lXaubB36ztrG", NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'a', "../../v1/me/following00", NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'l', NULL, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, "U2", SPOTIFY_ARTIST, 20, ERR_OK, BASE "/search?q=U2&type=artist&limit=20"},
	{'s', NULL, "artist:\"Bob Dylan\" album:\"Highway 61\"", SPOTIFY_ALBUM, 5, ERR_OK,
	 BASE "/search?q=artist%3A%22Bob%20Dylan%22%20album%3A%22Highway%2061%22&type=album"
	      "&limit=5"},
	{'s', NULL, "isrc:USSM16500316", SPOTIFY_TRACK, 1, ERR_OK,
	 BASE "/search?q=isrc%3AUSSM16500316&type=track&limit=1"},
	{'s', NULL, "Sigur R\xc3\xb3s & a+b=c#", SPOTIFY_ARTIST, 50, ERR_OK,
	 BASE "/search?q=Sigur%20R%C3%B3s%20%26%20a%2Bb%3Dc%23&type=artist&limit=50"},
	{'s', NULL, "x", SPOTIFY_ARTIST, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, "x", SPOTIFY_ARTIST, 51, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, "x", SPOTIFY_TYPE__COUNT, 5, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, "", SPOTIFY_ARTIST, 5, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, NULL, SPOTIFY_ARTIST, 5, ERR_INVALID_ARGUMENT, NULL},
	{'s', NULL, "bad \xff utf-8", SPOTIFY_ARTIST, 5, ERR_INVALID_ARGUMENT, NULL},
};

static enum err build_url(const struct url_case *c, const char *base, struct buf *b)
{
	switch (c->op) {
	case 'a':
		return spotify_artist_url(base, c->arg, b);
	case 'l':
		return spotify_album_url(base, c->arg, b);
	case 't':
		return spotify_track_url(base, c->arg, b);
	case 'T':
		return spotify_top_tracks_url(base, c->arg, c->arg2, b);
	default:
		return spotify_search_url(base, (enum spotify_type)c->type, c->arg2, c->limit, b);
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
		e = build_url(c, BASE, &b);
		if (e != c->want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e), err_str(c->want));
		if (e == ERR_OK)
			assert_string_equal(b.data, c->url);
		buf_reset(&b);
		if (c->want == ERR_OK) {
			assert_int_equal(build_url(c, "", &b), ERR_INVALID_ARGUMENT);
			assert_int_equal(build_url(c, NULL, &b), ERR_INVALID_ARGUMENT);
		}
		buf_release(&b);
	}
}

static void test_url_limits(void **state)
{
	char q[SPOTIFY_MAX_QUERY_BYTES + 2];
	struct buf b;

	(void)state;
	buf_init(&b, 30); /* too small for any URL */
	assert_int_equal(spotify_artist_url(BASE, DYLAN, &b), ERR_TOO_LARGE);
	buf_release(&b);
	buf_init(&b, 64 * 1024);
	memset(q, 'a', sizeof(q) - 1);
	q[SPOTIFY_MAX_QUERY_BYTES] = '\0';
	assert_int_equal(spotify_search_url(BASE, SPOTIFY_TRACK, q, 1, &b), ERR_OK);
	buf_reset(&b);
	q[SPOTIFY_MAX_QUERY_BYTES] = 'a';
	q[SPOTIFY_MAX_QUERY_BYTES + 1] = '\0';
	assert_int_equal(spotify_search_url(BASE, SPOTIFY_TRACK, q, 1, &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
}

/* ---- search clauses ----------------------------------------------------- */

static void test_query_clauses(void **state)
{
	struct buf q;

	(void)state;
	buf_init(&q, 1024);
	assert_int_equal(spotify_query_text("  Like a Rolling\tStone \n", &q), ERR_OK);
	assert_string_equal(q.data, "Like a Rolling Stone");
	assert_int_equal(spotify_query_field("artist", "Bob \"The Bard\" Dylan", &q), ERR_OK);
	assert_string_equal(q.data, "Like a Rolling Stone artist:\"Bob  The Bard  Dylan\"");
	buf_reset(&q);
	assert_int_equal(spotify_query_isrc("ussm16500316", &q), ERR_OK);
	assert_string_equal(q.data, "isrc:USSM16500316");
	buf_reset(&q);
	assert_int_equal(spotify_query_upc("00602475093060", &q), ERR_OK);
	assert_string_equal(q.data, "upc:00602475093060");
	buf_reset(&q);
	assert_int_equal(spotify_query_album("Nirvana", "Nevermind", &q), ERR_OK);
	assert_string_equal(q.data, "artist:\"Nirvana\" album:\"Nevermind\"");
	buf_reset(&q);
	assert_int_equal(spotify_query_album(NULL, "Sigur R\xc3\xb3s", &q), ERR_OK);
	assert_string_equal(q.data, "album:\"Sigur R\xc3\xb3s\"");
	assert_int_equal(spotify_query_field("year", "1991", &q), ERR_OK);
	assert_string_equal(q.data, "album:\"Sigur R\xc3\xb3s\" year:\"1991\"");
	buf_release(&q);
}

static void test_query_errors(void **state)
{
	char long_value[SPOTIFY_MAX_QUERY_BYTES + 2];
	struct buf q;

	(void)state;
	memset(long_value, 'x', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	buf_init(&q, 1024);
	assert_int_equal(spotify_query_text(NULL, &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_text(" \t\n", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_text("a\xff", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_text(long_value, &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_field("label", "x", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_field(NULL, "x", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_field("artist", "\"\"", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_isrc("USSM1650031", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_isrc("USSM165003166", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_isrc("1SSM16500316", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_isrc("USSM1650031X", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_isrc(NULL, &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_upc("1234567", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_upc("123456789012345", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_upc("72064244252a", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_upc("", &q), ERR_INVALID_ARGUMENT);
	/* a bad album leaves q as it was, even with a good artist */
	assert_int_equal(spotify_query_album("Nirvana", " ", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_query_album("", "Nevermind", &q), ERR_INVALID_ARGUMENT);
	assert_int_equal(q.len, 0);
	buf_release(&q);
	buf_init(&q, 8);
	assert_int_equal(spotify_query_isrc("USSM16500316", &q), ERR_TOO_LARGE);
	buf_release(&q);
}

/* ---- token -------------------------------------------------------------- */

static void test_token_request(void **state)
{
	static const struct {
		const char *id, *secret, *header;
	} cases[] = {
		{"Aladdin", "open sesame", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
		{"a", "b", "Basic YTpi"},
		{"ab", "c", "Basic YWI6Yw=="},
		{"a", "bc", "Basic YTpiYw=="},
		{"test-spotify-id", "test-spotify-secret",
		 "Basic dGVzdC1zcG90aWZ5LWlkOnRlc3Qtc3BvdGlmeS1zZWNyZXQ="},
		{"\xc3\xa9", "x", "Basic w6k6eA=="},
	};
	struct buf h, f;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_init(&h, 1024);
		buf_init(&f, 1024);
		assert_int_equal(spotify_token_request(cases[i].id, cases[i].secret, &h, &f),
				 ERR_OK);
		assert_string_equal(h.data, cases[i].header);
		assert_string_equal(f.data, "grant_type=client_credentials");
		buf_release(&h);
		buf_release(&f);
	}
}

static void test_token_request_errors(void **state)
{
	char long_id[SPOTIFY_MAX_CREDENTIAL_BYTES + 2];
	struct buf h, f;

	(void)state;
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	buf_init(&h, 1024);
	buf_init(&f, 1024);
	assert_int_equal(spotify_token_request("a:b", "c", &h, &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request("", "c", &h, &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request("a", "", &h, &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request(NULL, "c", &h, &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request("a", NULL, &h, &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request("a\nb", "c", &h, &f), ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request("a", "c\r\nX-Evil: 1", &h, &f),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_token_request(long_id, "c", &h, &f), ERR_INVALID_ARGUMENT);
	long_id[SPOTIFY_MAX_CREDENTIAL_BYTES] = '\0'; /* at the limit: accepted */
	assert_int_equal(spotify_token_request(long_id, long_id, &h, &f), ERR_OK);
	buf_release(&h);
	buf_init(&h, 9); /* "Basic YTpi" is 10 */
	assert_int_equal(spotify_token_request("a", "b", &h, &f), ERR_TOO_LARGE);
	buf_release(&h);
	buf_release(&f);
}

static void test_parse_token(void **state)
{
	static const struct {
		const char *body;
		size_t size;
		enum err want;
		const char *token;
		long ttl;
	} cases[] = {
		{"{'access_token':'BQDx-y_z.0','token_type':'Bearer','expires_in':3600}", 64,
		 ERR_OK, "BQDx-y_z.0", 3600},
		{"{'access_token':'t','token_type':'bearer','expires_in':60}", 64, ERR_OK, "t", 60},
		{"{'access_token':'t','expires_in':'3600'}", 64, ERR_OK, "t", 3600},
		{"{'access_token':'t','token_type':'Bearer','expires_in':0}", 64, ERR_OK, "t",
		 3600},
		{"{'access_token':'t','token_type':'Bearer','expires_in':99999999}", 64, ERR_OK,
		 "t", 3600},
		{"{'access_token':'t','token_type':'Bearer','expires_in':1.5}", 64, ERR_OK, "t",
		 3600},
		{"{'access_token':'abcdef','token_type':'Bearer'}", 6, ERR_TOO_LARGE, "", 0},
		{"{'access_token':'abcde','token_type':'Bearer'}", 6, ERR_OK, "abcde", 3600},
		{"{'access_token':'t','token_type':'mac'}", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"{'access_token':'','token_type':'Bearer'}", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"{'access_token':'a b','token_type':'Bearer'}", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"{'access_token':'a\\r\\nX: y','token_type':'Bearer'}", 64, ERR_INVALID_ARGUMENT,
		 "", 0},
		{"{'access_token':'t\xc3\xa9','token_type':'Bearer'}", 64, ERR_INVALID_ARGUMENT, "",
		 0},
		{"{'access_token':7,'token_type':'Bearer'}", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"{'token_type':'Bearer'}", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"{'error':'invalid_client','error_description':'Invalid client'}", 64,
		 ERR_INVALID_ARGUMENT, "", 0},
		{"{'error':'unsupported_grant_type'}", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"['t']", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"{'access_token':'t'", 64, ERR_INVALID_ARGUMENT, "", 0},
		{"", 64, ERR_INVALID_ARGUMENT, "", 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *body = ft_sq(cases[i].body);
		char token[64];
		const char *why = NULL;
		long ttl = -1;
		enum err e =
			spotify_parse_token(body, strlen(body), token, cases[i].size, &ttl, &why);

		if (e != cases[i].want)
			fail_msg("case %zu: got %s (%s)", i, err_str(e), why ? why : "-");
		assert_string_equal(token, cases[i].token);
		assert_int_equal(ttl, cases[i].ttl);
		if (e != ERR_OK)
			assert_non_null(why);
		free(body);
	}
}

static void test_token_error_reason(void **state)
{
	const char *body =
		"{\"error\":\"invalid_client\",\"error_description\":\"Invalid client\"}";
	const char *why = NULL;
	char token[16];
	long ttl;

	(void)state;
	assert_int_equal(spotify_parse_token(body, strlen(body), token, sizeof(token), &ttl, &why),
			 ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(why, "invalid_client"));
}

/* ---- error bodies ------------------------------------------------------- */

static void test_error_bodies(void **state)
{
	static const struct {
		const char *body;
		bool expired;
		enum err want;
		long status;
		const char *msg;
	} cases[] = {
		{"{'error':{'status':401,'message':'The access token expired'}}", true, ERR_OK, 401,
		 "The access token expired"},
		{"{'error':{'status':401,'message':'No token provided'}}", true, ERR_OK, 401,
		 "No token provided"},
		{"{'error':{'status':404,'message':'non existing id'}}", false, ERR_OK, 404,
		 "non existing id"},
		{"{'error':{'status':429,'message':'a\\nb'}}", false, ERR_OK, 429, "a b"},
		{"{'error':{'status':'401'}}", false, ERR_OK, 0, ""},
		{"{'error':'invalid_client','error_description':'Invalid client'}", false, ERR_OK,
		 0, "Invalid client"},
		{"{'error':'invalid_client'}", false, ERR_OK, 0, "invalid_client"},
		{"{'error':7}", false, ERR_INVALID_ARGUMENT, 0, ""},
		{"{'id':'x'}", false, ERR_INVALID_ARGUMENT, 0, ""},
		{"not json", false, ERR_INVALID_ARGUMENT, 0, ""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *body = ft_sq(cases[i].body);
		char msg[32];
		long status = -1;

		assert_int_equal(spotify_token_expired(body, strlen(body)), cases[i].expired);
		assert_int_equal(spotify_parse_error(body, strlen(body), &status, msg, sizeof(msg)),
				 cases[i].want);
		assert_int_equal(status, cases[i].status);
		assert_string_equal(msg, cases[i].msg);
		free(body);
	}
}

static void test_error_envelopes(void **state)
{
	static const struct {
		const char *body;
		enum err want;
	} cases[] = {
		{"{'error':{'status':404,'message':'non existing id'}}", ERR_NOT_FOUND},
		{"{'error':{'status':400,'message':'invalid id'}}", ERR_INVALID_ARGUMENT},
		{"{'error':{'status':401,'message':'The access token expired'}}",
		 ERR_INVALID_ARGUMENT},
		{"{'error':{'status':429,'message':'API rate limit exceeded'}}",
		 ERR_INVALID_ARGUMENT},
		{"{'error':{'status':502,'message':'Bad gateway.'}}", ERR_INVALID_ARGUMENT},
		{"{'error':{'message':'?'}}", ERR_INVALID_ARGUMENT},
		{"{'error':'invalid_client','error_description':'Invalid client'}",
		 ERR_INVALID_ARGUMENT},
	};

	(void)state;
	for (int p = 0; p < P__COUNT; p++)
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			parse_fails((enum parser)p, cases[i].body, cases[i].want);
}

/* ---- parsers ------------------------------------------------------------ */

static const char artist_body[] =
	"{'external_urls':{'spotify':'https://open.spotify.com/artist/" DYLAN "'},"
	"'followers':{'href':null,'total':6543210},'genres':['folk','folk rock',7,''],"
	"'href':'https://api.spotify.com/v1/artists/" DYLAN "','id':'" DYLAN "',"
	"'images':[{'url':'https://i.scdn.co/image/small','height':160,'width':160},"
	"{'url':'https://i.scdn.co/image/nosize'},"
	"{'url':'https://i.scdn.co/image/big','height':640,'width':640},"
	"{'url':'javascript:alert(1)','height':9999,'width':9999},"
	"{'url':'https://i.scdn.co/image/mid','height':320,'width':320}],"
	"'name':'Bob Dylan','popularity':77,'type':'artist','uri':'spotify:artist:" DYLAN "'}";

static void test_artist(void **state)
{
	cJSON *f = parse_ok(P_ARTIST, artist_body);

	(void)state;
	ft_expect(f, "provider", "'spotify'");
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "id", "'" DYLAN "'");
	ft_expect(f, "name", "'Bob Dylan'");
	ft_expect(f, "url", "'https://open.spotify.com/artist/" DYLAN "'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 4);
	ft_expect(f, "images[0]",
		  "{'url':'https://i.scdn.co/image/big','type':'thumb','types':['thumb'],"
		  "'width':640,'height':640,'language':null,'likes':null,'thumbnails':{}}");
	ft_expect(f, "images[1].url", "'https://i.scdn.co/image/mid'");
	ft_expect(f, "images[2].url", "'https://i.scdn.co/image/small'");
	ft_expect(f, "images[3].url", "'https://i.scdn.co/image/nosize'");
	ft_expect(f, "images[3].width", "null");
	ft_expect(f, "popularity", "{'popularity':77,'followers':6543210}");
	ft_expect(f, "genres", "[{'name':'folk','count':null},{'name':'folk rock','count':null}]");
	ft_expect(f, "ids", "{'spotify':['" DYLAN "']}");
	ft_expect(f, "extra", "{}");
	ft_expect(f, "top_tracks", "[]");
	cJSON_Delete(f);
}

static const char top_body[] =
	"{'tracks':[{'album':{'id':'" ALBUM "','name':'Highway 61 Revisited'},"
	"'artists':[{'id':'" DYLAN "','name':'Bob Dylan','external_urls':{'spotify':"
	"'https://open.spotify.com/artist/" DYLAN "'}}],'duration_ms':369600,"
	"'external_ids':{'isrc':'ussm16500316'},'external_urls':{'spotify':"
	"'https://open.spotify.com/track/" TRACK "'},'id':'" TRACK "',"
	"'name':'Like a Rolling Stone','popularity':80},"
	"{'name':'','id':'" TRACK "'},"
	"{'artists':[{'id':'x','name':'Bob Dylan'},{'name':'The Band'}],'duration_ms':-5,"
	"'external_ids':{'isrc':'not-an-isrc'},'id':7,'name':'Tears of Rage'},"
	"null]}";

static void test_top_tracks(void **state)
{
	cJSON *f = parse_ok(P_TOP, top_body);
	const char *why = NULL;
	cJSON *out = (cJSON *)1;

	(void)state;
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "id", "'" DYLAN "'");
	ft_expect(f, "name", "'Bob Dylan'");
	ft_expect(f, "url", "'https://open.spotify.com/artist/" DYLAN "'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "top_tracks")), 2);
	ft_expect(f, "top_tracks[0]",
		  "{'title':'Like a Rolling Stone','artist':'Bob Dylan','id':'" TRACK "',"
		  "'mbid':null,'isrc':'USSM16500316','duration_ms':369600,"
		  "'url':'https://open.spotify.com/track/" TRACK "','rank':1}");
	ft_expect(f, "top_tracks[1]",
		  "{'title':'Tears of Rage','artist':'Bob Dylan, The Band','id':null,'mbid':null,"
		  "'isrc':null,'duration_ms':null,'url':null,'rank':3}");
	ft_expect(f, "images", "[]");
	cJSON_Delete(f);

	f = parse_ok(P_TOP, "{'tracks':[]}");
	ft_expect(f, "name", "null");
	ft_expect(f, "top_tracks", "[]");
	cJSON_Delete(f);

	parse_fails(P_TOP, "{'items':[]}", ERR_INVALID_ARGUMENT);
	parse_fails(P_TOP, "{'tracks':{}}", ERR_INVALID_ARGUMENT);
	assert_int_equal(spotify_parse_top_tracks("{\"tracks\":[]}", 13, "bad", &out, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(spotify_parse_top_tracks("{\"tracks\":[]}", 13, NULL, &out, &why),
			 ERR_INVALID_ARGUMENT);
}

static const char album_body[] =
	"{'album_type':'album','artists':[{'id':'" DYLAN "','name':'Bob Dylan'}],"
	"'external_ids':{'upc':'827969092322','ean':'0827969092322','isrc':'x'},"
	"'external_urls':{'spotify':'https://open.spotify.com/album/" ALBUM "'},"
	"'genres':[],'id':'" ALBUM "','images':[{'url':'https://i.scdn.co/image/a300',"
	"'height':300,'width':300},{'url':'https://i.scdn.co/image/a640','height':640,"
	"'width':640}],'label':'Columbia','name':'Highway 61 Revisited','popularity':71,"
	"'release_date':'1965-08-30','release_date_precision':'day','total_tracks':9,"
	"'tracks':{'items':[{'disc_number':1,'duration_ms':369600,'id':'" TRACK "',"
	"'name':'Like a Rolling Stone','track_number':1},"
	"{'disc_number':1,'duration_ms':'358000','name':'Tombstone Blues','track_number':2,"
	"'external_ids':{'isrc':'USSM16500317'}},{'name':null},'junk'],'total':9},"
	"'type':'album'}";

static void test_album(void **state)
{
	cJSON *f = parse_ok(P_ALBUM, album_body);

	(void)state;
	ft_expect(f, "kind", "'release'");
	ft_expect(f, "id", "'" ALBUM "'");
	ft_expect(f, "name", "'Highway 61 Revisited'");
	ft_expect(f, "artist", "'Bob Dylan'");
	ft_expect(f, "album", "null");
	ft_expect(f, "date", "'1965-08-30'");
	ft_expect(f, "url", "'https://open.spotify.com/album/" ALBUM "'");
	ft_expect(f, "images[0].url", "'https://i.scdn.co/image/a640'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[1].url", "'https://i.scdn.co/image/a300'");
	ft_expect(f, "popularity", "{'popularity':71}");
	ft_expect(f, "ids", "{'spotify':['" ALBUM "'],'upc':['827969092322','0827969092322']}");
	ft_expect(f, "tracks",
		  "[{'title':'Like a Rolling Stone','position':1,'disc':1,'duration_ms':369600,"
		  "'isrc':null,'id':'" TRACK "'},{'title':'Tombstone Blues','position':2,'disc':1,"
		  "'duration_ms':null,'isrc':'USSM16500317','id':null}]");
	ft_expect(f, "extra", "{'label':'Columbia','album_type':'album','total_tracks':9}");
	cJSON_Delete(f);
}

static void test_album_dates(void **state)
{
	static const struct {
		const char *date, *precision, *want;
	} cases[] = {
		{"1965-08-30", "day", "'1965-08-30'"},
		{"1965-08-30", "month", "'1965-08'"},
		{"1965-08-30", "year", "'1965'"},
		{"1965", "year", "'1965'"},
		{"1965-08", "month", "'1965-08'"},
		{"1965", "day", "'1965'"},
		{"1965-08-30", "minute", "'1965-08-30'"},
		{"1965-13-01", "day", "'1965'"},
		{"1965-08-32", "day", "'1965-08'"},
		{"1965-08-00", "day", "'1965-08'"},
		{"1965-00-00", "day", "'1965'"},
		{"1965-08-30T00:00:00Z", "day", "'1965-08'"},
		{"0000", "year", "null"},
		{"0000-00-00", "day", "null"},
		{"65", "year", "null"},
		{"196x", "year", "null"},
		{"19650", "year", "null"},
		{"", "day", "null"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char body[256];
		cJSON *f;

		snprintf(body, sizeof(body),
			 "{'id':'" ALBUM "','release_date':'%s','release_date_precision':'%s'}",
			 cases[i].date, cases[i].precision);
		f = parse_ok(P_ALBUM, body);
		ft_expect(f, "date", cases[i].want);
		cJSON_Delete(f);
	}
}

static const char track_body[] =
	"{'album':{'album_type':'compilation','artists':[{'name':'Various Artists'}],"
	"'id':'" ALBUM "','images':[{'height':300,'url':'https://i.scdn.co/image/t300',"
	"'width':300},{'height':640,'url':'https://i.scdn.co/image/t640','width':640}],"
	"'name':'Despicable Me 2','release_date':'2013-06','release_date_precision':'month'},"
	"'artists':[{'name':'Pharrell Williams'}],'disc_number':1,'duration_ms':233305,"
	"'explicit':false,'external_ids':{'isrc':'USQ4E1300686'},"
	"'external_urls':{'spotify':'https://open.spotify.com/track/" TRACK "'},"
	"'id':'" TRACK "','name':'Happy','popularity':89,"
	"'preview_url':'https://p.scdn.co/mp3-preview/abc','track_number':4,'type':'track'}";

static void test_track(void **state)
{
	cJSON *f = parse_ok(P_TRACK, track_body);

	(void)state;
	ft_expect(f, "kind", "'recording'");
	ft_expect(f, "id", "'" TRACK "'");
	ft_expect(f, "name", "'Happy'");
	ft_expect(f, "artist", "'Pharrell Williams'");
	ft_expect(f, "album", "'Despicable Me 2'");
	ft_expect(f, "duration_ms", "233305");
	ft_expect(f, "date", "'2013-06'");
	ft_expect(f, "url", "'https://open.spotify.com/track/" TRACK "'");
	ft_expect(f, "images[0].url", "'https://i.scdn.co/image/t640'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "popularity", "{'popularity':89}");
	ft_expect(f, "ids", "{'spotify':['" TRACK "'],'isrc':['USQ4E1300686']}");
	ft_expect(f, "extra",
		  "{'preview_url':'https://p.scdn.co/mp3-preview/abc','explicit':false,"
		  "'disc_number':1,'track_number':4,'album_id':'" ALBUM "'}");
	cJSON_Delete(f);

	/* preview_url null, no album, no ISRC */
	f = parse_ok(P_TRACK, "{'id':'" TRACK "','name':'X','preview_url':null,'album':null}");
	ft_expect(f, "extra", "{}");
	ft_expect(f, "ids", "{'spotify':['" TRACK "']}");
	ft_expect(f, "album", "null");
	cJSON_Delete(f);
}

static void test_search(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_SEARCH_ARTIST,
		     "{'artists':{'items':[{'id':'" DYLAN "','name':'Bob Dylan'},null,"
		     "{'id':'short','name':'Nope'},{'id':'08td7MxkoHQkXnWAYD8d6Q',"
		     "'name':'Tania Bowra'}],'total':3}}");
	ft_expect(f, "kind", "'candidates'");
	ft_expect(f, "entity", "'artist'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 2);
	ft_expect(f, "items[0].name", "'Bob Dylan'");
	ft_expect(f, "items[1].id", "'08td7MxkoHQkXnWAYD8d6Q'");
	cJSON_Delete(f);

	f = parse_ok(P_SEARCH_ALBUM,
		     "{'albums':{'items':[{'id':'" ALBUM "','name':'Die With A Smile',"
		     "'release_date':'2024-08-16','release_date_precision':'day'}]}}");
	ft_expect(f, "entity", "'release'");
	ft_expect(f, "items[0].kind", "'release'");
	ft_expect(f, "items[0].date", "'2024-08-16'");
	ft_expect(f, "items[0].tracks", "[]");
	cJSON_Delete(f);

	f = parse_ok(P_SEARCH_TRACK, "{'tracks':{'items':[],'total':0}}");
	ft_expect(f, "entity", "'recording'");
	ft_expect(f, "items", "[]");
	cJSON_Delete(f);

	parse_fails(P_SEARCH_TRACK, "{'artists':{'items':[]}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH_ARTIST, "{'artists':{'items':{}}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH_ARTIST, "{'artists':[]}", ERR_INVALID_ARGUMENT);
	{
		const char *why = NULL;
		cJSON *out = (cJSON *)1;

		assert_int_equal(spotify_parse_search(SPOTIFY_TYPE__COUNT, "{}", 2, &out, &why),
				 ERR_INVALID_ARGUMENT);
		assert_null(out);
	}
}

/* ---- hostile input ------------------------------------------------------ */

static void test_hostile_bodies(void **state)
{
	static const char *const bodies[] = {
		"",
		"   ",
		"null",
		"[]",
		"'" DYLAN "'",
		"{",
		"{'id':'" DYLAN "'",
		"{'id':'" DYLAN "'} x",
		"{'id':'" DYLAN "'}{}",
	};

	(void)state;
	for (int p = 0; p < P__COUNT; p++)
		for (size_t i = 0; i < ARRAY_SIZE(bodies); i++)
			parse_fails((enum parser)p, bodies[i], ERR_INVALID_ARGUMENT);
	/* entities without a usable id */
	parse_fails(P_ARTIST, "{'name':'Bob Dylan'}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ALBUM, "{'id':7}", ERR_INVALID_ARGUMENT);
	parse_fails(P_TRACK, "{'id':'" DYLAN "x'}", ERR_INVALID_ARGUMENT);
}

/* Every member of the wrong type: the fragment keeps its shape, the values read as absent. */
static void test_wrong_types(void **state)
{
	static const char body[] =
		"{'id':'" DYLAN "','name':['x'],'external_urls':'https://x.test',"
		"'followers':{'total':-3},'popularity':101,'genres':'rock','images':{'url':'x'},"
		"'artists':'Bob','album':[],'duration_ms':1.5,'external_ids':{'isrc':12,"
		"'upc':720642442524},'release_date':19650830,'release_date_precision':7,"
		"'tracks':{'items':[{'name':'A','track_number':'1','disc_number':-1,"
		"'duration_ms':true}]},'label':5,'album_type':null,'total_tracks':'9',"
		"'preview_url':'ftp://x','explicit':'no','disc_number':1e300,"
		"'track_number':null}";
	static const enum parser parsers[] = {P_ARTIST, P_ALBUM, P_TRACK};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++) {
		cJSON *f = parse_ok(parsers[i], body);

		ft_expect(f, "name", "null");
		ft_expect(f, "url", "null");
		ft_expect(f, "images", "[]");
		ft_expect(f, "popularity", "{}");
		ft_expect(f, "genres", "[]");
		ft_expect(f, "artist", "null");
		ft_expect(f, "duration_ms", "null");
		ft_expect(f, "date", "null");
		ft_expect(f, "extra", "{}");
		ft_expect(f, "ids", "{'spotify':['" DYLAN "']}");
		if (parsers[i] == P_ALBUM)
			ft_expect(f, "tracks",
				  "[{'title':'A','position':null,'disc':null,'duration_ms':null,"
				  "'isrc':null,'id':null}]");
		cJSON_Delete(f);
	}
}

static void test_invalid_utf8_sanitized(void **state)
{
	cJSON *f = parse_ok(P_ARTIST, "{'id':'" DYLAN "','name':'Bj\xf6rk','genres':['a\xc3']}");

	(void)state;
	ft_expect(f, "name", "'Bj\xef\xbf\xbdrk'");
	ft_expect(f, "genres[0].name", "'a\xef\xbf\xbd'");
	cJSON_Delete(f);
}

static void test_body_cap(void **state)
{
	size_t n = SPOTIFY_MAX_BODY_BYTES + 1;
	char *big = malloc(n);
	const char *why = NULL;
	cJSON *out = NULL;
	char token[16];
	long ttl;

	(void)state;
	memset(big, ' ', n);
	for (int p = 0; p < P__COUNT; p++) {
		assert_int_equal(run((enum parser)p, big, n, &out, &why), ERR_TOO_LARGE);
		assert_null(out);
		assert_string_equal(why, "body too large");
	}
	assert_int_equal(spotify_parse_token(big, n, token, sizeof(token), &ttl, &why),
			 ERR_TOO_LARGE);
	assert_false(spotify_token_expired(big, n));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_query_clauses),
		cmocka_unit_test(test_query_errors),
		cmocka_unit_test(test_token_request),
		cmocka_unit_test(test_token_request_errors),
		cmocka_unit_test(test_parse_token),
		cmocka_unit_test(test_token_error_reason),
		cmocka_unit_test(test_error_bodies),
		cmocka_unit_test(test_error_envelopes),
		cmocka_unit_test(test_artist),
		cmocka_unit_test(test_top_tracks),
		cmocka_unit_test(test_album),
		cmocka_unit_test(test_album_dates),
		cmocka_unit_test(test_track),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_hostile_bodies),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_invalid_utf8_sanitized),
		cmocka_unit_test(test_body_cap),
	};

	json_init();
	return cmocka_run_group_tests_name("spotify", tests, NULL, NULL);
}
