/*
 * test_discogs.c - the Discogs provider's pure functions: request URLs,
 * ids, the Authorization header, and the parsers on small bodies written
 * for these tests in Discogs' format.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_discogs_conformance.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/discogs.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"

enum parser {
	P_ARTIST,
	P_RELEASE,
	P_MASTER,
	P_SEARCH_ARTIST,
	P_SEARCH_RELEASE,
	P_SEARCH_MASTER,
	P__COUNT
};

static enum err run(enum parser p, const char *body, size_t len, cJSON **out, const char **why)
{
	switch (p) {
	case P_ARTIST:
		return discogs_parse_artist(body, len, out, why);
	case P_RELEASE:
		return discogs_parse_release(body, len, out, why);
	case P_MASTER:
		return discogs_parse_master(body, len, out, why);
	case P_SEARCH_ARTIST:
		return discogs_parse_search(DISCOGS_ARTIST, body, len, out, why);
	case P_SEARCH_RELEASE:
		return discogs_parse_search(DISCOGS_RELEASE, body, len, out, why);
	default:
		return discogs_parse_search(DISCOGS_MASTER, body, len, out, why);
	}
}

static cJSON *parse_ok(enum parser p, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static void parse_fails(enum parser p, const char *quoted, enum err want, const char *want_why)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, run(p, b.text, b.len, &b.out, &b.why), want, want_why);
}

/* ---- request URLs ------------------------------------------------------- */

#define BASE "https://api.discogs.com"

static void test_lookup_urls(void **state)
{
	static const struct {
		enum discogs_entity e;
		const char *id;
		enum err want;
		const char *url;
	} cases[] = {
		{DISCOGS_ARTIST, "59792", ERR_OK, BASE "/artists/59792"},
		{DISCOGS_RELEASE, "249504", ERR_OK, BASE "/releases/249504"},
		{DISCOGS_MASTER, "13814", ERR_OK, BASE "/masters/13814"},
		{DISCOGS_ARTIST, "1", ERR_OK, BASE "/artists/1"},
		{DISCOGS_ARTIST, "9999999999999999999", ERR_OK,
		 BASE "/artists/9999999999999999999"},
		{DISCOGS_ARTIST, "99999999999999999999", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "0", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "012", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "-1", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "12a", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "12 ", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "../1", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, "", ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ARTIST, NULL, ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ENTITY__COUNT, "1", ERR_INVALID_ARGUMENT, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = discogs_lookup_url(BASE, cases[i].e, cases[i].id, &b);
		if (e != cases[i].want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e),
				 err_str(cases[i].want));
		if (e == ERR_OK)
			assert_string_equal(b.data, cases[i].url);
		buf_release(&b);
	}
}

static void test_lookup_url_wrappers(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(discogs_artist_url("http://127.0.0.1:9/discogs", "7", &b), ERR_OK);
	assert_string_equal(b.data, "http://127.0.0.1:9/discogs/artists/7");
	buf_reset(&b);
	assert_int_equal(discogs_release_url(BASE, "8", &b), ERR_OK);
	assert_string_equal(b.data, BASE "/releases/8");
	buf_reset(&b);
	assert_int_equal(discogs_master_url(BASE, "9", &b), ERR_OK);
	assert_string_equal(b.data, BASE "/masters/9");
	buf_reset(&b);
	assert_int_equal(discogs_artist_url("", "7", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(discogs_artist_url(NULL, "7", &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
	buf_init(&b, 16); /* too small for the URL */
	assert_int_equal(discogs_master_url(BASE, "9", &b), ERR_TOO_LARGE);
	buf_release(&b);
}

static void test_search_urls(void **state)
{
	static const struct {
		enum discogs_entity type;
		const char *q, *barcode;
		unsigned per_page;
		enum err want;
		const char *url;
	} cases[] = {
		{DISCOGS_ARTIST, "Nirvana", NULL, 0, ERR_OK,
		 BASE "/database/search?q=Nirvana&type=artist"},
		{DISCOGS_RELEASE, "Sigur R\xc3\xb3s & a+b", NULL, 5, ERR_OK,
		 BASE "/database/search?q=Sigur%20R%C3%B3s%20%26%20a%2Bb&type=release&per_page=5"},
		{DISCOGS_MASTER, "x=1&type=label#", "", 100, ERR_OK,
		 BASE "/database/search?q=x%3D1%26type%3Dlabel%23&type=master&per_page=100"},
		{DISCOGS_RELEASE, NULL, "720642442524", 0, ERR_OK,
		 BASE "/database/search?type=release&barcode=720642442524"},
		{DISCOGS_RELEASE, "Nevermind", "7 20642 44252 4", 1, ERR_OK,
		 BASE "/database/search?q=Nevermind&type=release&barcode=7%2020642%2044252%204"
		      "&per_page=1"},
		{DISCOGS_RELEASE, "", "", 0, ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_RELEASE, NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_RELEASE, "x", NULL, 101, ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_RELEASE, "bad \xff", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_RELEASE, "x", "bad \xc3", 0, ERR_INVALID_ARGUMENT, NULL},
		{DISCOGS_ENTITY__COUNT, "x", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = discogs_search_url(BASE, cases[i].type, cases[i].q, cases[i].barcode,
				       cases[i].per_page, &b);
		if (e != cases[i].want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e),
				 err_str(cases[i].want));
		if (e == ERR_OK)
			assert_string_equal(b.data, cases[i].url);
		buf_release(&b);
	}
}

static void test_search_url_limits(void **state)
{
	char q[DISCOGS_MAX_QUERY_BYTES + 2];
	struct buf b;

	(void)state;
	memset(q, 'a', sizeof(q) - 1);
	q[DISCOGS_MAX_QUERY_BYTES] = '\0';
	buf_init(&b, 64 * 1024);
	assert_int_equal(discogs_search_url(BASE, DISCOGS_ARTIST, q, NULL, 0, &b), ERR_OK);
	buf_reset(&b);
	q[DISCOGS_MAX_QUERY_BYTES] = 'a';
	q[DISCOGS_MAX_QUERY_BYTES + 1] = '\0';
	assert_int_equal(discogs_search_url(BASE, DISCOGS_ARTIST, q, NULL, 0, &b),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(discogs_search_url("", DISCOGS_ARTIST, "x", NULL, 0, &b),
			 ERR_INVALID_ARGUMENT);
	buf_release(&b);
	buf_init(&b, 40);
	assert_int_equal(discogs_search_url(BASE, DISCOGS_ARTIST, "x", NULL, 0, &b), ERR_TOO_LARGE);
	buf_release(&b);
}

static void test_auth_header(void **state)
{
	static const struct {
		const char *token;
		enum err want;
	} cases[] = {
		{"abcDEF123xyz", ERR_OK},	 {"a", ERR_OK},
		{"", ERR_INVALID_ARGUMENT},	 {NULL, ERR_INVALID_ARGUMENT},
		{"ab cd", ERR_INVALID_ARGUMENT}, {"abc\r\nX-Evil: 1", ERR_INVALID_ARGUMENT},
		{"abc\t", ERR_INVALID_ARGUMENT}, {"caf\xc3\xa9", ERR_INVALID_ARGUMENT},
		{"x\x7f", ERR_INVALID_ARGUMENT},
	};
	char long_token[DISCOGS_MAX_TOKEN_BYTES + 2];
	struct buf b;

	(void)state;
	buf_init(&b, 1024);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&b);
		assert_int_equal(discogs_auth_header(cases[i].token, &b), cases[i].want);
		if (cases[i].want == ERR_OK) {
			assert_string_equal(b.data + strlen("Discogs token="), cases[i].token);
			assert_int_equal(strncmp(b.data, "Discogs token=", 14), 0);
		}
	}
	memset(long_token, 'k', sizeof(long_token) - 1);
	long_token[DISCOGS_MAX_TOKEN_BYTES] = '\0';
	buf_reset(&b);
	assert_int_equal(discogs_auth_header(long_token, &b), ERR_OK);
	long_token[DISCOGS_MAX_TOKEN_BYTES] = 'k';
	long_token[DISCOGS_MAX_TOKEN_BYTES + 1] = '\0';
	buf_reset(&b);
	assert_int_equal(discogs_auth_header(long_token, &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
	buf_init(&b, 8);
	assert_int_equal(discogs_auth_header("abcdef", &b), ERR_TOO_LARGE);
	buf_release(&b);
	assert_string_equal(DISCOGS_AUTH_HEADER_NAME, "Authorization");
}

/* ---- ids and names ------------------------------------------------------ */

static void test_ids(void **state)
{
	static const struct {
		const char *url;
		enum err want;
		enum discogs_entity e;
		const char *id;
	} cases[] = {
		{"https://www.discogs.com/artist/59792", ERR_OK, DISCOGS_ARTIST, "59792"},
		{"https://www.discogs.com/artist/59792-Bob-Dylan", ERR_OK, DISCOGS_ARTIST, "59792"},
		{"http://www.discogs.com/master/13814", ERR_OK, DISCOGS_MASTER, "13814"},
		{"https://discogs.com/release/249504-Rick-Astley", ERR_OK, DISCOGS_RELEASE,
		 "249504"},
		{"https://www.discogs.com/Rick-Astley-Never/release/249504", ERR_OK,
		 DISCOGS_RELEASE, "249504"},
		{"https://www.discogs.com/1349-Hellfire/master/666", ERR_OK, DISCOGS_MASTER, "666"},
		{"https://www.discogs.com/release/12?x=1", ERR_OK, DISCOGS_RELEASE, "12"},
		{"https://www.discogs.com/label/895-RCA", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://www.discogs.com/artist/", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://www.discogs.com/artist/0", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://www.discogs.com/artist/12x", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://www.discogs.com/a/b/release/12", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://www.discogs.com/artist/99999999999999999999", ERR_INVALID_ARGUMENT, 0,
		 NULL},
		{"https://evil.example/artist/12", ERR_INVALID_ARGUMENT, 0, NULL},
		{"https://www.discogs.com.evil/artist/12", ERR_INVALID_ARGUMENT, 0, NULL},
		{"", ERR_INVALID_ARGUMENT, 0, NULL},
		{NULL, ERR_INVALID_ARGUMENT, 0, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char id[DISCOGS_MAX_ID_LEN + 1] = "";
		enum discogs_entity e = DISCOGS_ENTITY__COUNT;

		if (discogs_id_from_url(cases[i].url, &e, id) != cases[i].want)
			fail_msg("case %zu ('%s')", i, cases[i].url ? cases[i].url : "NULL");
		if (cases[i].want != ERR_OK)
			continue;
		assert_int_equal(e, cases[i].e);
		assert_string_equal(id, cases[i].id);
	}
	assert_true(discogs_valid_id("1"));
	assert_false(discogs_valid_id("01"));
	assert_false(discogs_valid_id(NULL));
	assert_string_equal(discogs_entity_name(DISCOGS_MASTER), "master");
	assert_string_equal(discogs_entity_kind(DISCOGS_MASTER), "release-group");
	assert_string_equal(discogs_entity_kind(DISCOGS_RELEASE), "release");
	assert_null(discogs_entity_name(DISCOGS_ENTITY__COUNT));
	assert_null(discogs_entity_kind((enum discogs_entity) - 1));
}

/* ---- artist ------------------------------------------------------------- */

#define PIC "https://i.discogs.com/p.jpeg"
#define PIC150 "https://i.discogs.com/p150.jpeg"
#define SPACER "https://st.discogs.com/images/spacer.gif"

static void test_artist(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(
		P_ARTIST,
		"{'id':125246,'name':'Nirvana (2)','realname':'',"
		"'uri':'https://www.discogs.com/artist/125246-Nirvana',"
		"'profile':'US grunge band.\\r\\n\\r\\nFormed by [a=Kurt Cobain] in [b]1987[/b].',"
		"'images':[{'type':'secondary','uri':'" PIC "','uri150':'" PIC150 "',"
		"'width':600,'height':400},"
		"{'type':'primary','uri':'https://i.discogs.com/a.jpeg','uri150':'" SPACER "',"
		"'width':300,'height':300},"
		"{'type':'secondary','uri':'','uri150':'','width':1,'height':1},"
		"{'type':'secondary','uri':'" SPACER "','width':1,'height':1},"
		"{'type':'secondary','uri':'ftp://x/y.jpeg'}],"
		"'urls':['https://nirvana.com']}");
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "provider", "'discogs'");
	ft_expect(f, "id", "'125246'");
	ft_expect(f, "name", "'Nirvana'");
	ft_expect(f, "extra", "{'discogs_name':'Nirvana (2)'}");
	ft_expect(f, "url", "'https://www.discogs.com/artist/125246-Nirvana'");
	ft_expect(f, "ids", "{'discogs':['125246']}");
	ft_expect(f, "biographies",
		  "[{'text':'US grunge band.\\n\\nFormed by Kurt Cobain in 1987.','summary':null,"
		  "'language':'en','url':'https://www.discogs.com/artist/125246-Nirvana',"
		  "'attribution':'Data provided by Discogs'}]");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 2);
	ft_expect(f, "images[0]",
		  "{'url':'https://i.discogs.com/"
		  "a.jpeg','type':'thumb','types':['thumb'],'width':300,"
		  "'height':300,'language':null,'likes':null,'thumbnails':{}}");
	ft_expect(f, "images[1].url", "'" PIC "'");
	ft_expect(f, "images[1].thumbnails", "{'small':'" PIC150 "'}");
	ft_expect(f, "images[1].width", "600");
	cJSON_Delete(f);

	/* Anonymous answer: every image uri empty; no profile. */
	f = parse_ok(P_ARTIST, "{'id':'7','name':'X','profile':'  \\r\\n ','images':[{'type':"
			       "'primary','uri':'','uri150':''}],'realname':'Real Name'}");
	ft_expect(f, "images", "[]");
	ft_expect(f, "biographies", "[]");
	ft_expect(f, "url", "null");
	ft_expect(f, "extra", "{'realname':'Real Name'}");
	cJSON_Delete(f);
}

static void test_profile_markup(void **state)
{
	static const struct {
		const char *profile, *text;
	} cases[] = {
		{"[a=Miles Davis] and [a=Nirvana (2)]", "Miles Davis and Nirvana"},
		{"On [l=Blue Note] since 1955", "On Blue Note since 1955"},
		{"See [url=http://x.example/]the site[/url].", "See the site."},
		{"[url]http://x.example/[/url]", "http://x.example/"},
		{"[B]bold[/B] [i]it[/i] [u]under[/u]", "bold it under"},
		{"album \"[m=5460]\" and [r=123] by [a12345] on [l99]", "album \"\" and  by  on"},
		{"[a=1349] is a band", "1349 is a band"},
		{"matrix [encircled] stays", "matrix [encircled] stays"},
		{"an open [ bracket", "an open [ bracket"},
		{"[]", "[]"},
		{"[a=x\nb]", "[a=x\nb]"},
		{"line\r\nbreak\rand\nmore", "line\nbreak\nand\nmore"},
		{"\n\n  trimmed  \n", "trimmed"},
		{"[img=http://x/y.png]text", "text"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *body = cJSON_CreateObject(), *f;
		const char *why = NULL;
		char *text;

		cJSON_AddNumberToObject(body, "id", 1);
		cJSON_AddStringToObject(body, "profile", cases[i].profile);
		text = cJSON_PrintUnformatted(body);
		assert_int_equal(discogs_parse_artist(text, strlen(text), &f, &why), ERR_OK);
		ft_check_frag(f);
		if (strcmp(json_get_string(ft_at(f, "biographies[0]"), "text"), cases[i].text) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i,
				 json_get_string(ft_at(f, "biographies[0]"), "text"),
				 cases[i].text);
		cJSON_Delete(f);
		cJSON_free(text);
		cJSON_Delete(body);
	}
}

/* ---- release ------------------------------------------------------------ */

static void test_release(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_RELEASE,
		     "{'id':249504,'title':'Never Gonna Give You "
		     "Up','released':'1987-07-00','year':1987,"
		     "'uri':'https://www.discogs.com/Rick-Astley-Never-Gonna-Give-You-Up/release/"
		     "249504',"
		     "'artists':[{'name':'Rick Astley','anv':'','join':'Feat.','id':72872},"
		     "{'name':'Nirvana (2)','anv':'','join':',','id':2},"
		     "{'name':'Bob Dylan','anv':'Dylan','join':'','id':3},{'name':'','anv':''},"
		     "{'name':'The Band'}],"
		     "'genres':['Electronic','Pop',7,''],'styles':['Euro-Disco'],"
		     "'tracklist':[{'position':'','type_':'heading','title':'Side one'},"
		     "{'position':'A','type_':'track','title':'Never Gonna Give You "
		     "Up','duration':'3:32'},"
		     "{'position':'B','type_':'track','title':'Instrumental','duration':''},"
		     "{'position':'C','type_':'index','title':'Suite','duration':'1:02:03',"
		     "'sub_tracks':[{'title':'Part'}]},"
		     "{'position':'D','title':'No type','duration':'61:00'},"
		     "{'position':'E','type_':'track','title':'','duration':'1:00'},"
		     "{'position':'F','type_':'track','duration':'1:00'}],"
		     "'identifiers':[{'type':'Barcode','value':'5 012394 144777'},"
		     "{'type':'Barcode','value':'5012394144777'},{'type':'Barcode','value':'n/a'},"
		     "{'type':'Matrix / Runout','value':'12345678'}],"
		     "'images':[{'type':'secondary','uri':'" PIC
		     "'},{'type':'primary','uri':'" PIC150 "'}],"
		     "'community':{'have':2121,'want':351,'rating':{'average':3.64}},"
		     "'master_id':96559,'country':'UK','notes':'x'}");
	ft_expect(f, "kind", "'release'");
	ft_expect(f, "id", "'249504'");
	ft_expect(f, "name", "'Never Gonna Give You Up'");
	ft_expect(f, "artist", "'Rick Astley Feat. Nirvana, Dylan, The Band'");
	ft_expect(f, "date", "'1987-07'");
	ft_expect(f, "genres", "[{'name':'Electronic','count':null},{'name':'Pop','count':null}]");
	ft_expect(f, "tags", "[{'name':'Euro-Disco','count':null}]");
	ft_expect(
		f, "tracks",
		"[{'title':'Never Gonna Give You Up','position':1,'disc':null,'duration_ms':212000,"
		"'isrc':null,'id':null},{'title':'Instrumental','position':2,'disc':null,"
		"'duration_ms':null,'isrc':null,'id':null},{'title':'Suite','position':3,"
		"'disc':null,'duration_ms':3723000,'isrc':null,'id':null},{'title':'No type',"
		"'position':4,'disc':null,'duration_ms':3660000,'isrc':null,'id':null}]");
	ft_expect(f, "ids", "{'discogs':['249504'],'upc':['5012394144777']}");
	ft_expect(f, "images[0].url", "'" PIC150 "'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[1].type", "'other'");
	ft_expect(f, "popularity", "{'have':2121,'want':351}");
	ft_expect(f, "extra", "{'master_id':'96559','country':'UK'}");
	ft_expect(f, "biographies", "[]");
	cJSON_Delete(f);
}

static void test_release_dates(void **state)
{
	static const struct {
		const char *body, *date;
	} cases[] = {
		{"{'id':1,'released':'1987-07-12'}", "'1987-07-12'"},
		{"{'id':1,'released':'1987-07-00'}", "'1987-07'"},
		{"{'id':1,'released':'1987-00-00'}", "'1987'"},
		{"{'id':1,'released':'1987'}", "'1987'"},
		{"{'id':1,'released':'0000-00-00','year':0}", "null"},
		{"{'id':1,'released':'','year':1999}", "'1999'"},
		{"{'id':1,'released':'1987-13-01','year':1987}", "'1987'"},
		{"{'id':1,'released':'1987-00-12'}", "null"},
		{"{'id':1,'released':'87-01-01'}", "null"},
		{"{'id':1,'year':'2005'}", "'2005'"},
		{"{'id':1,'year':20050}", "null"},
		{"{'id':1,'year':-1}", "null"},
		{"{'id':1,'released':7}", "null"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *f = parse_ok(P_RELEASE, cases[i].body);

		ft_expect(f, "date", cases[i].date);
		cJSON_Delete(f);
	}
}

static void test_release_discs_and_durations(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_RELEASE, "{'id':1,'tracklist':["
				"{'position':'1-1','title':'a','duration':'4:05'},"
				"{'position':'1-2','title':'b','duration':'4:5'},"
				"{'position':'2-1','title':'c','duration':'4:60'},"
				"{'position':'2.2','title':'d','duration':'x'},"
				"{'position':'CD3-1','title':'e','duration':'1:2:3:4'},"
				"{'position':'3-','title':'f','duration':'999999:00'},"
				"{'position':7,'title':'g','duration':' 0:59 '},"
				"{'position':'1-3','title':'h','duration':'0:00'},"
				"'not a track',null,[]]}");
	ft_expect(f, "tracks[0]",
		  "{'title':'a','position':1,'disc':1,'duration_ms':245000,'isrc':null,'id':null}");
	ft_expect(f, "tracks[1].duration_ms", "245000");
	ft_expect(f, "tracks[1].position", "2");
	ft_expect(f, "tracks[2].disc", "2");
	ft_expect(f, "tracks[2].position", "1");
	ft_expect(f, "tracks[2].duration_ms", "null");
	ft_expect(f, "tracks[3].disc", "2");
	ft_expect(f, "tracks[3].position", "2");
	ft_expect(f, "tracks[4].disc", "null");
	ft_expect(f, "tracks[4].position", "1");
	ft_expect(f, "tracks[4].duration_ms", "null");
	ft_expect(f, "tracks[5].disc", "null");
	ft_expect(f, "tracks[5].position", "2");
	ft_expect(f, "tracks[5].duration_ms", "null");
	ft_expect(f, "tracks[6].duration_ms", "59000");
	ft_expect(f, "tracks[7].disc", "1");
	ft_expect(f, "tracks[7].position", "1");
	ft_expect(f, "tracks[7].duration_ms", "null");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "tracks")), 8);
	cJSON_Delete(f);
}

static void test_barcodes(void **state)
{
	static const struct {
		const char *value, *ids;
	} cases[] = {
		{"9 338684 000223", "{'discogs':['1'],'upc':['9338684000223']}"},
		{"0 7599-27256-2 0", "{'discogs':['1'],'upc':['075992725620']}"},
		{"12345678", "{'discogs':['1'],'upc':['12345678']}"},
		{"1234567", "{'discogs':['1']}"},
		{"123456789012345", "{'discogs':['1']}"},
		{"LC 0392", "{'discogs':['1']}"},
		{"", "{'discogs':['1']}"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char body[256];
		cJSON *f;

		snprintf(body, sizeof(body),
			 "{'id':1,'identifiers':[{'type':'Barcode','value':'%s'}]}",
			 cases[i].value);
		f = parse_ok(P_RELEASE, body);
		ft_expect(f, "ids", cases[i].ids);
		cJSON_Delete(f);
	}
}

/* ---- master ------------------------------------------------------------- */

static void test_master(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_MASTER, "{'id':13814,'title':'Nevermind','year':1991,'main_release':367084,"
			       "'artists':[{'name':'Nirvana','anv':'','join':'','id':125246}],"
			       "'uri':'https://www.discogs.com/Nirvana-Nevermind/master/13814',"
			       "'genres':['Rock'],'styles':['Grunge','Alternative Rock'],"
			       "'images':[{'type':'primary','uri':'" PIC "','uri150':'" PIC150 "',"
			       "'width':600,'height':600}],"
			       "'tracklist':[{'position':'1','type_':'track','title':'Smells Like "
			       "Teen Spirit','duration':'5:01'}]}");
	ft_expect(f, "kind", "'release-group'");
	ft_expect(f, "id", "'13814'");
	ft_expect(f, "name", "'Nevermind'");
	ft_expect(f, "artist", "'Nirvana'");
	ft_expect(f, "date", "'1991'");
	ft_expect(f, "extra", "{'main_release':'367084'}");
	ft_expect(f, "tags[1].name", "'Alternative Rock'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[0].thumbnails.small", "'" PIC150 "'");
	ft_expect(f, "tracks[0].duration_ms", "301000");
	ft_expect(f, "popularity", "{}");
	cJSON_Delete(f);

	/* artists_sort when no artist list; year 0 is unknown. */
	f = parse_ok(P_MASTER,
		     "{'id':'5','year':0,'artists_sort':'Seidemann (2)','main_release':0}");
	ft_expect(f, "artist", "'Seidemann'");
	ft_expect(f, "date", "null");
	ft_expect(f, "extra", "{}");
	cJSON_Delete(f);
}

/* ---- search ------------------------------------------------------------- */

#define SEARCH_BODY                                                                             \
	"{'pagination':{'per_page':50,'items':4},'results':["                                   \
	"{'type':'artist','id':125246,'title':'Nirvana (2)','uri':'/artist/125246-Nirvana',"    \
	"'thumb':'" SPACER "','cover_image':'" SPACER "'},"                                     \
	"{'type':'master','id':13814,'title':'Nirvana - Nevermind','year':'1991',"              \
	"'uri':'/Nirvana-Nevermind/master/13814','cover_image':'" PIC "','thumb':'" PIC150 "'," \
	"'genre':['Rock'],'style':['Grunge']},"                                                 \
	"{'type':'release','id':367084,'title':'Nirvana - Nevermind - Remastered',"             \
	"'year':'1991','master_id':13814,'uri':'https://www.discogs.com/release/367084',"       \
	"'thumb':'/image/R-90-1.jpeg','cover_image':''},"                                       \
	"{'type':'release','id':'x','title':'no id'},{'type':'release','id':9,'title':'Solo'}," \
	"{'type':'label','id':895,'title':'RCA'},'junk',null]}"

static void test_search(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_SEARCH_ARTIST, SEARCH_BODY);
	ft_expect(f, "kind", "'candidates'");
	ft_expect(f, "entity", "'artist'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 1);
	ft_expect(f, "items[0].id", "'125246'");
	ft_expect(f, "items[0].name", "'Nirvana'");
	ft_expect(f, "items[0].url", "'https://www.discogs.com/artist/125246-Nirvana'");
	ft_expect(f, "items[0].images", "[]");
	cJSON_Delete(f);

	f = parse_ok(P_SEARCH_MASTER, SEARCH_BODY);
	ft_expect(f, "entity", "'release-group'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 1);
	ft_expect(f, "items[0].kind", "'release-group'");
	ft_expect(f, "items[0].name", "'Nevermind'");
	ft_expect(f, "items[0].artist", "'Nirvana'");
	ft_expect(f, "items[0].date", "'1991'");
	ft_expect(f, "items[0].images[0].url", "'" PIC "'");
	ft_expect(f, "items[0].images[0].thumbnails", "{'small':'" PIC150 "'}");
	ft_expect(f, "items[0].genres", "[{'name':'Rock','count':null}]");
	ft_expect(f, "items[0].tags", "[{'name':'Grunge','count':null}]");
	cJSON_Delete(f);

	f = parse_ok(P_SEARCH_RELEASE, SEARCH_BODY);
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "items")), 2);
	ft_expect(f, "items[0].name", "'Nevermind - Remastered'");
	ft_expect(f, "items[0].artist", "'Nirvana'");
	ft_expect(f, "items[0].url", "'https://www.discogs.com/release/367084'");
	ft_expect(f, "items[0].images", "[]"); /* relative thumb: not a usable URL */
	ft_expect(f, "items[0].extra", "{'master_id':'13814'}");
	ft_expect(f, "items[1].name", "'Solo'");
	ft_expect(f, "items[1].artist", "null");
	cJSON_Delete(f);

	f = parse_ok(P_SEARCH_RELEASE, "{'results':[]}");
	ft_expect(f, "items", "[]");
	cJSON_Delete(f);
}

/* ---- errors and hostile input ------------------------------------------- */

static void test_error_envelopes(void **state)
{
	static const struct {
		const char *body;
		enum err want;
		const char *why;
	} cases[] = {
		{"{'message':'Artist not found.'}", ERR_NOT_FOUND, "discogs: not found"},
		{"{'message':'Release not found.'}", ERR_NOT_FOUND, "discogs: not found"},
		{"{'message':'Master Release not found.'}", ERR_NOT_FOUND, "discogs: not found"},
		{"{'message':'You must authenticate to access this resource.'}",
		 ERR_INVALID_ARGUMENT, "discogs: authentication required"},
		{"{'message':'You are making requests too quickly.'}", ERR_INVALID_ARGUMENT,
		 "discogs: rate limited"},
		{"{'message':'Invalid consumer token. Please register an app.'}",
		 ERR_INVALID_ARGUMENT, "discogs: invalid token"},
		{"{'message':'Something else.'}", ERR_INVALID_ARGUMENT, "discogs: error message"},
		{"{'message':7}", ERR_INVALID_ARGUMENT, NULL},
		{"{\"id\":1,", ERR_INVALID_ARGUMENT, "body is not JSON"},
		{"[1]", ERR_INVALID_ARGUMENT, "body is not a JSON object"},
		{"", ERR_INVALID_ARGUMENT, "body is not JSON"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		for (int p = 0; p < P__COUNT; p++)
			parse_fails((enum parser)p, cases[i].body, cases[i].want, cases[i].why);
	parse_fails(P_ARTIST, "{'name':'no id'}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(P_RELEASE, "{'id':0}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(P_MASTER, "{'id':1.5}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(P_MASTER, "{'id':'01'}", ERR_INVALID_ARGUMENT, "missing id");
	parse_fails(P_SEARCH_ARTIST, "{'pagination':{}}", ERR_INVALID_ARGUMENT,
		    "search without results");
	parse_fails(P_SEARCH_ARTIST, "{'results':{}}", ERR_INVALID_ARGUMENT,
		    "search without results");
}

static void test_message_with_id_is_an_entity(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_ARTIST, "{'id':3,'name':'Message','message':'not found'}");
	ft_expect(f, "name", "'Message'");
	cJSON_Delete(f);
}

static void test_search_unknown_entity(void **state)
{
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_int_equal(discogs_parse_search(DISCOGS_ENTITY__COUNT, "{}", 2, &f, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(f);
	assert_string_equal(why, "unknown entity");
}

static void test_wrong_types(void **state)
{
	static const char *const bodies[] = {
		"{'id':1,'name':7,'profile':[],'images':{},'realname':{},'uri':5}",
		"{'id':1,'name':'','images':[7,'x',null,{'type':7,'uri':7,'uri150':[]},"
		"{'type':'primary','uri':'" PIC "','uri150':'javascript:x','width':-5,"
		"'height':1e300}]}",
		"{'id':1,'title':[],'artists':{},'artists_sort':7,'tracklist':'x','identifiers':{},"
		"'genres':'Rock','styles':[[]],'community':[],'master_id':'abc','country':5}",
		"{'id':1,'artists':[7,null,{'name':7,'anv':[]},{'name':'A','join':7},"
		"{'name':'B'}],'community':{'have':-1,'want':1.5}}",
		"{'id':1,'tracklist':[{'title':7},{'title':'t','type_':7,'position':[],"
		"'duration':{}}],'images':null}",
		"{'id':1,'name':'\xff\xfe bad','profile':'\xc3 [a=\xff]','uri':'https://x/\xff'}",
		"{'id':1,'name':'\\u0000hidden','title':'\\ud800'}",
		"{'results':[{'type':'release','id':1,'title':7,'year':[],'genre':{},'uri':[],"
		"'cover_image':7,'thumb':'" PIC "'}]}",
		"{'results':[{'type':'master','id':2,'title':' - ','cover_image':'" PIC "'}]}",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bodies); i++) {
		char *b = ft_sq(bodies[i]);

		for (int p = 0; p < P__COUNT; p++) {
			const char *why = NULL;
			cJSON *f = NULL;

			if (run((enum parser)p, b, strlen(b), &f, &why) == ERR_OK) {
				ft_check_frag(f);
				cJSON_Delete(f);
			} else {
				assert_null(f);
				assert_non_null(why);
			}
		}
		free(b);
	}
}

static void test_empty_lists(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_RELEASE, "{'id':1,'artists':[],'tracklist':[],'images':[],'genres':[],"
				"'styles':[],'identifiers':[]}");
	ft_expect(f, "artist", "null");
	ft_expect(f, "tracks", "[]");
	ft_expect(f, "images", "[]");
	ft_expect(f, "genres", "[]");
	ft_expect(f, "ids", "{'discogs':['1']}");
	cJSON_Delete(f);
}

static void test_body_cap(void **state)
{
	size_t n = DISCOGS_MAX_BODY_BYTES + 1;
	char *big = malloc(n);

	(void)state;
	memset(big, ' ', n);
	for (int p = 0; p < P__COUNT; p++) {
		const char *why = NULL;
		cJSON *f = NULL;

		assert_int_equal(run((enum parser)p, big, n, &f, &why), ERR_TOO_LARGE);
		assert_null(f);
		assert_string_equal(why, "body too large");
	}
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_urls),
		cmocka_unit_test(test_lookup_url_wrappers),
		cmocka_unit_test(test_search_urls),
		cmocka_unit_test(test_search_url_limits),
		cmocka_unit_test(test_auth_header),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_artist),
		cmocka_unit_test(test_profile_markup),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_release_dates),
		cmocka_unit_test(test_release_discs_and_durations),
		cmocka_unit_test(test_barcodes),
		cmocka_unit_test(test_master),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_error_envelopes),
		cmocka_unit_test(test_message_with_id_is_an_entity),
		cmocka_unit_test(test_search_unknown_entity),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_empty_lists),
		cmocka_unit_test(test_body_cap),
	};

	json_init();
	return cmocka_run_group_tests_name("discogs", tests, NULL, NULL);
}
