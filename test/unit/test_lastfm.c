/*
 * test_lastfm.c - the Last.fm provider's pure functions: request URLs, the
 * error code reader, and the parsers on small bodies written for these
 * tests in Last.fm's format (numbers as strings, one-item lists as objects,
 * wikis as HTML with a Read-more link).
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_lastfm_conformance.c.
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
#include "medley/lastfm.h"
#include "fragment_testing.h"

enum parser {
	P_ARTIST_INFO,
	P_ARTIST_SIMILAR,
	P_TOP_TRACKS,
	P_ALBUM_INFO,
	P_TRACK_INFO,
	P_TRACK_SIMILAR,
	P__COUNT
};

static enum err run(enum parser p, const char *lang, const char *body, size_t len, cJSON **out,
		    const char **why)
{
	switch (p) {
	case P_ARTIST_INFO:
		return lastfm_parse_artist_info(body, len, lang, out, why);
	case P_ARTIST_SIMILAR:
		return lastfm_parse_artist_similar(body, len, out, why);
	case P_TOP_TRACKS:
		return lastfm_parse_artist_top_tracks(body, len, out, why);
	case P_ALBUM_INFO:
		return lastfm_parse_album_info(body, len, lang, out, why);
	case P_TRACK_INFO:
		return lastfm_parse_track_info(body, len, out, why);
	default:
		return lastfm_parse_track_similar(body, len, out, why);
	}
}

static cJSON *parse_lang(enum parser p, const char *lang, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, lang, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static cJSON *parse_ok(enum parser p, const char *quoted)
{
	return parse_lang(p, "en", quoted);
}

static void parse_fails(enum parser p, const char *quoted, enum err want, const char *want_why)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, run(p, "en", b.text, b.len, &b.out, &b.why), want, want_why);
}

/* ---- request URLs ------------------------------------------------------- */

#define BASE "https://ws.audioscrobbler.com/2.0"
#define KEY "test-lastfm-key"
#define TAIL "&autocorrect=1&api_key=test-lastfm-key&format=json"
#define DYLAN "72c536dc-7137-4477-a521-567eeb840fa8"

struct url_case {
	char op; /* 'i'nfo, 's'imilar, 't'op tracks, 'a'lbum, 'r'ecording, 'x' track similar */
	const char *key, *mbid, *artist, *title, *lang;
	unsigned limit;
	enum err want;
	const char *url;
};

static const struct url_case url_cases[] = {
	{'i', KEY, DYLAN, NULL, NULL, NULL, 0, ERR_OK,
	 BASE "/?method=artist.getinfo&mbid=" DYLAN TAIL},
	{'i', KEY, "72C536DC-7137-4477-A521-567EEB840FA8", "ignored", NULL, "de", 0, ERR_OK,
	 BASE "/?method=artist.getinfo&mbid=" DYLAN "&lang=de" TAIL},
	{'i', KEY, "", "Legi\xc3\xa3o Urbana", NULL, NULL, 0, ERR_OK,
	 BASE "/?method=artist.getinfo&artist=Legi%C3%A3o%20Urbana" TAIL},
	{'i', KEY, NULL, "AC/DC & a+b?c=d#", NULL, "en", 0, ERR_OK,
	 BASE "/?method=artist.getinfo&artist=AC%2FDC%20%26%20a%2Bb%3Fc%3Dd%23&lang=en" TAIL},
	{'i', "k&y=1", NULL, "Cher", NULL, NULL, 0, ERR_OK,
	 BASE "/?method=artist.getinfo&artist=Cher&autocorrect=1&api_key=k%26y%3D1&format=json"},
	{'i', KEY, NULL, "Cher", NULL, "EN", 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', KEY, NULL, "Cher", NULL, "eng", 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', KEY, NULL, "Cher", NULL, "", 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', KEY, "not-an-mbid", "Cher", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', KEY, NULL, NULL, NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', KEY, NULL, "", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', KEY, NULL, "bad \xff", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', NULL, NULL, "Cher", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'i', "", NULL, "Cher", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', KEY, NULL, "U2", NULL, NULL, 2, ERR_OK,
	 BASE "/?method=artist.getsimilar&artist=U2&limit=2" TAIL},
	{'s', KEY, DYLAN, NULL, NULL, NULL, 1000, ERR_OK,
	 BASE "/?method=artist.getsimilar&mbid=" DYLAN "&limit=1000" TAIL},
	{'s', KEY, NULL, "U2", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', KEY, NULL, "U2", NULL, NULL, 1001, ERR_INVALID_ARGUMENT, NULL},
	{'t', KEY, NULL, "U2", NULL, NULL, 10, ERR_OK,
	 BASE "/?method=artist.gettoptracks&artist=U2&limit=10" TAIL},
	{'t', NULL, NULL, "U2", NULL, NULL, 10, ERR_INVALID_ARGUMENT, NULL},
	{'a', KEY, NULL, "Nirvana", "Nevermind", "de", 0, ERR_OK,
	 BASE "/?method=album.getinfo&artist=Nirvana&album=Nevermind&lang=de" TAIL},
	{'a', KEY, "F5A2E9AC-BD56-44F5-95FA-A267310D12FF", NULL, NULL, NULL, 0, ERR_OK,
	 BASE "/?method=album.getinfo&mbid=f5a2e9ac-bd56-44f5-95fa-a267310d12ff" TAIL},
	{'a', KEY, NULL, "Nirvana", NULL, NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'a', KEY, NULL, NULL, "Nevermind", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'r', KEY, NULL, "Nirvana", "Smells Like Teen Spirit", NULL, 0, ERR_OK,
	 BASE "/?method=track.getinfo&artist=Nirvana&track=Smells%20Like%20Teen%20Spirit" TAIL},
	{'r', KEY, NULL, "Nirvana", "", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
	{'x', KEY, NULL, "Depeche Mode", "Just Can't Get Enough", NULL, 5, ERR_OK,
	 BASE "/?method=track.getsimilar&artist=Depeche%20Mode&track=Just%20Can%27t%20Get%20"
	      "Enough&limit=5" TAIL},
	{'x', KEY, NULL, "Depeche Mode", "x", NULL, 0, ERR_INVALID_ARGUMENT, NULL},
};

static enum err build_url(const struct url_case *c, const char *base, struct buf *b)
{
	switch (c->op) {
	case 'i':
		return lastfm_artist_info_url(base, c->key, c->mbid, c->artist, c->lang, b);
	case 's':
		return lastfm_artist_similar_url(base, c->key, c->mbid, c->artist, c->limit, b);
	case 't':
		return lastfm_artist_top_tracks_url(base, c->key, c->mbid, c->artist, c->limit, b);
	case 'a':
		return lastfm_album_info_url(base, c->key, c->mbid, c->artist, c->title, c->lang,
					     b);
	case 'r':
		return lastfm_track_info_url(base, c->key, c->mbid, c->artist, c->title, b);
	default:
		return lastfm_track_similar_url(base, c->key, c->mbid, c->artist, c->title,
						c->limit, b);
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
		buf_release(&b);
	}
}

static void test_url_limits(void **state)
{
	char name[LASTFM_MAX_NAME_BYTES + 2], key[LASTFM_MAX_KEY_BYTES + 2];
	struct buf b;

	(void)state;
	buf_init(&b, 64 * 1024);
	assert_int_equal(lastfm_artist_info_url("", KEY, NULL, "Cher", NULL, &b),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(lastfm_artist_info_url(NULL, KEY, NULL, "Cher", NULL, &b),
			 ERR_INVALID_ARGUMENT);
	memset(name, 'n', sizeof(name) - 1);
	name[LASTFM_MAX_NAME_BYTES] = '\0';
	buf_reset(&b);
	assert_int_equal(lastfm_track_info_url(BASE, KEY, NULL, name, name, &b), ERR_OK);
	name[LASTFM_MAX_NAME_BYTES] = 'n';
	name[LASTFM_MAX_NAME_BYTES + 1] = '\0';
	buf_reset(&b);
	assert_int_equal(lastfm_track_info_url(BASE, KEY, NULL, "a", name, &b),
			 ERR_INVALID_ARGUMENT);
	memset(key, 'k', sizeof(key) - 1);
	key[LASTFM_MAX_KEY_BYTES] = '\0';
	buf_reset(&b);
	assert_int_equal(lastfm_artist_info_url(BASE, key, NULL, "Cher", NULL, &b), ERR_OK);
	key[LASTFM_MAX_KEY_BYTES] = 'k';
	key[LASTFM_MAX_KEY_BYTES + 1] = '\0';
	buf_reset(&b);
	assert_int_equal(lastfm_artist_info_url(BASE, key, NULL, "Cher", NULL, &b),
			 ERR_INVALID_ARGUMENT);
	buf_release(&b);
	buf_init(&b, 48); /* too small for any URL */
	assert_int_equal(lastfm_artist_info_url(BASE, KEY, NULL, "Cher", NULL, &b), ERR_TOO_LARGE);
	buf_release(&b);
}

static void test_error_code(void **state)
{
	static const struct {
		const char *body;
		int code;
	} cases[] = {
		{"{'error':6,'message':'The artist you supplied could not be found','links':[]}",
		 6},
		{"{'message':'Invalid API key - You must be granted a valid key by last.fm',"
		 "'error':10}",
		 10},
		{"{'error':29,'message':'Rate Limit Exceded'}", 29},
		{"{'error':'6'}", 0},
		{"{'error':0}", 0},
		{"{'error':-3}", 0},
		{"{'error':6.5}", 0},
		{"{'artist':{'name':'Cher'}}", 0},
		{"[6]", 0},
		{"{'error':6", 0},
		{"", 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *b = ft_sq(cases[i].body);

		if (lastfm_error_code(b, strlen(b)) != cases[i].code)
			fail_msg("case %zu: got %d, want %d", i, lastfm_error_code(b, strlen(b)),
				 cases[i].code);
		free(b);
	}
}

/* ---- artist.getinfo ----------------------------------------------------- */

#define STAR "https://lastfm.freetls.fastly.net/i/u/300x300/" LASTFM_PLACEHOLDER_IMAGE ".png"
#define IMG34 "https://lastfm.freetls.fastly.net/i/u/34s/abc.png"
#define IMG174 "https://lastfm.freetls.fastly.net/i/u/174s/abc.png"
#define IMG300 "https://lastfm.freetls.fastly.net/i/u/300x300/abc.png"
#define PAGE_DYLAN "https://www.last.fm/music/Bob+Dylan"
#define PAGE_DOIS "https://www.last.fm/music/Legi%C3%A3o+Urbana/Dois"
#define PAGE_X "https://www.last.fm/music/X"
/* " <a href=\"<page>\">Read more on Last.fm</a>", escaped for a JSON string. */
#define MORE_DYLAN " <a href=\\\"" PAGE_DYLAN "\\\">Read more on Last.fm</a>"
#define MORE_DOIS " <a href=\\\"" PAGE_DOIS "\\\">Read more on Last.fm</a>"
#define MORE_X " <a href=\\\"" PAGE_X "\\\">Read more on Last.fm</a>"
#define LICENCE                                                                  \
	". User-contributed text is available under the Creative Commons By-SA " \
	"License; additional terms may apply."

/* artist.getinfo with every member, in German. */
static const char artist_body[] =
	"{'artist':{'name':'Bob Dylan','mbid':'72C536DC-7137-4477-A521-567EEB840FA8',"
	"'url':'" PAGE_DYLAN "','image':[{'#text':'" STAR "','size':'mega'},"
	"{'#text':'','size':'extralarge'},{'#text':'" IMG174 "','size':'large'},"
	"{'#text':'" IMG34 "','size':'small'}],'streamable':'0','ontour':'1',"
	"'stats':{'listeners':'2774837','playcount':137},"
	"'similar':{'artist':{'name':'The Band','url':'https://www.last.fm/music/The+Band',"
	"'image':[]}},'tags':{'tag':{'name':'folk','url':'https://www.last.fm/tag/folk'}},"
	"'bio':{'links':{'link':{'#text':'','rel':'original',"
	"'href':'https://last.fm/music/Bob+Dylan/+wiki'}},'published':'01 Jan 2006',"
	"'summary':'Bob Dylan ist ein Musiker." MORE_DYLAN "',"
	"'content':'<p>Bob Dylan ist ein <b>Musiker</b> &amp; Dichter.</p>" MORE_DYLAN LICENCE
	"'}}}";

static void test_artist_info(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_lang(P_ARTIST_INFO, "de", artist_body);
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "provider", "'lastfm'");
	ft_expect(f, "id", "'Bob Dylan'");
	ft_expect(f, "name", "'Bob Dylan'");
	ft_expect(f, "url", "'" PAGE_DYLAN "'");
	ft_expect(f, "ids",
		  "{'lastfm':['Bob Dylan'],'mbid':['72c536dc-7137-4477-a521-567eeb840fa8']}");
	ft_expect(f, "popularity", "{'listeners':2774837,'playcount':137}");
	ft_expect(f, "tags", "[{'name':'folk','count':null}]");
	ft_expect(f, "similar",
		  "[{'name':'The Band','id':'The Band','mbid':null,"
		  "'url':'https://www.last.fm/music/The+Band','score':null}]");
	ft_expect(f, "biographies",
		  "[{'text':'Bob Dylan ist ein Musiker & Dichter.','summary':'Bob Dylan ist ein "
		  "Musiker.','language':'de','url':'https://last.fm/music/Bob+Dylan/+wiki',"
		  "'attribution':'" LASTFM_ATTRIBUTION "'}]");
	ft_expect(f, "images",
		  "[{'url':'" IMG174 "','type':'thumb','types':['thumb'],'width':174,"
		  "'height':174,'language':null,'likes':null,"
		  "'thumbnails':{'small':'" IMG34 "'}}]");
	ft_expect(f, "extra", "{'ontour':true}");
	cJSON_Delete(f);
}

static void test_artist_info_placeholders(void **state)
{
	cJSON *f;

	(void)state;
	/* Only the star and empty URLs; a bio that is only the Read-more link. */
	f = parse_lang(
		P_ARTIST_INFO, NULL,
		"{'artist':{'name':'Legi\xc3\xa3o Urbana','mbid':'not-an-mbid',"
		"'image':[{'#text':'" STAR "','size':'small'},{'#text':'','size':'mega'},"
		"{'#text':'ftp://x/y.png','size':'large'}],"
		"'stats':{'listeners':'x','playcount':'-1'},'tags':'','similar':{'artist':[]},"
		"'bio':{'summary':' " MORE_X "','content':''}}}");
	ft_expect(f, "images", "[]");
	ft_expect(f, "biographies", "[]");
	ft_expect(f, "popularity", "{}");
	ft_expect(f, "ids", "{'lastfm':['Legi\xc3\xa3o Urbana']}");
	ft_expect(f, "tags", "[]");
	ft_expect(f, "similar", "[]");
	ft_expect(f, "url", "null");
	ft_expect(f, "extra", "{}");
	cJSON_Delete(f);

	/* No lang asked: English; summary only; the Read-more link as url. */
	f = parse_lang(P_ARTIST_INFO, NULL,
		       "{'artist':{'name':'X','bio':{'summary':'Short." MORE_X "'}}}");
	ft_expect(f, "biographies",
		  "[{'text':'Short.','summary':'Short.','language':'en',"
		  "'url':'" PAGE_X "','attribution':'" LASTFM_ATTRIBUTION "'}]");
	cJSON_Delete(f);
}

static void test_wiki_text(void **state)
{
	static const struct {
		const char *content, *text;
	} cases[] = {
		{"plain", "plain"},
		{"a &lt;b&gt; &quot;c&quot; &#39;d&#39; &#x263A; &#233; &nbsp;e",
		 "a <b> \"c\" 'd' \xe2\x98\xba \xc3\xa9  e"},
		{"&bogus; & &#xD800; &#0; &#;", "&bogus; & \xef\xbf\xbd \xef\xbf\xbd &#;"},
		{"line<br>break<br/>two<BR />three", "line\nbreak\ntwo\nthree"},
		{"&bdquo;x&ldquo; &lsquo;y&rsquo; &laquo;z&raquo; a&ndash;b&hellip;",
		 "\xe2\x80\x9ex\xe2\x80\x9c \xe2\x80\x98y\xe2\x80\x99 \xc2\xabz\xc2\xbb "
		 "a\xe2\x80\x93"
		 "b\xe2\x80\xa6"},
		{"<a href=\"https://x.example\">link</a> text", "link text"},
		{"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"\r\n  padded \r\n", "padded"},
		{"text" LICENCE, "text."},
		{"Read more on Last.fm", ""},
		{"text Read more on Last.fm trailing", "text"},
		{"<a href='https://q.example'>Read more on Last.fm</a>", ""},
		{"x <a href=\"https://a\">a</a> Read more on Last.fm", "x a"},
		{"<unclosed tag", "<unclosed tag"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *body = cJSON_CreateObject(),
		      *artist = cJSON_AddObjectToObject(body, "artist");
		cJSON *bio = cJSON_AddObjectToObject(artist, "bio"), *f = NULL;
		const cJSON *text;
		const char *why = NULL;
		char *s;

		cJSON_AddStringToObject(artist, "name", "X");
		cJSON_AddStringToObject(bio, "content", cases[i].content);
		s = cJSON_PrintUnformatted(body);
		assert_int_equal(lastfm_parse_artist_info(s, strlen(s), "en", &f, &why), ERR_OK);
		ft_check_frag(f);
		text = ft_at(f, "biographies[0].text");
		if (!cases[i].text[0]) {
			if (text)
				fail_msg("case %zu: want no biography, got '%s'", i,
					 text->valuestring);
		} else if (!text || strcmp(text->valuestring, cases[i].text) != 0) {
			fail_msg("case %zu: got '%s', want '%s'", i, text ? text->valuestring : "-",
				 cases[i].text);
		}
		cJSON_Delete(f);
		cJSON_free(s);
		cJSON_Delete(body);
	}
}

/* ---- list methods ------------------------------------------------------- */

static void test_artist_similar(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(
		P_ARTIST_SIMILAR,
		"{'similarartists':{'artist':[{'name':'Passengers','mbid':"
		"'e110c11f-1c94-4471-a350-c38f46b29389','match':'1','url':"
		"'https://www.last.fm/music/Passengers'},{'name':'INXS','mbid':'','match':"
		"'0.511468','url':''},{'name':'Far','match':'1.5'},{'name':'Neg','match':-0.1},"
		"{'name':'Num','match':0.25},{'name':'','match':'1'},{'match':'1'}],"
		"'@attr':{'artist':'U2'}}}");
	ft_expect(f, "kind", "'artist'");
	ft_expect(f, "id", "'U2'");
	ft_expect(f, "name", "'U2'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "similar")), 5);
	ft_expect(f, "similar[0]",
		  "{'name':'Passengers','id':'Passengers','mbid':"
		  "'e110c11f-1c94-4471-a350-c38f46b29389','url':"
		  "'https://www.last.fm/music/Passengers','score':1}");
	ft_expect(f, "similar[1]",
		  "{'name':'INXS','id':'INXS','mbid':null,'url':null,'score':0.511468}");
	ft_expect(f, "similar[2].score", "null");
	ft_expect(f, "similar[3].score", "null");
	ft_expect(f, "similar[4].score", "0.25");
	cJSON_Delete(f);

	parse_fails(P_ARTIST_SIMILAR, "{'similarartists':{'artist':[]}}", ERR_INVALID_ARGUMENT,
		    "answer without a name");
}

static void test_top_tracks(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_TOP_TRACKS,
		     "{'toptracks':{'track':{'name':'Beautiful Day','playcount':'6309776',"
		     "'mbid':'f7f264d0-a89b-4682-9cd7-a4e7c37637af','url':"
		     "'https://www.last.fm/music/U2/_/Beautiful+Day','artist':{'name':'U2','mbid':"
		     "'a3cb23fc-acd3-4ce0-8f36-1e5aa6a18432'},'@attr':{'rank':'1'}},"
		     "'@attr':{'artist':'U2','page':'1','total':'332234'}}}");
	ft_expect(f, "id", "'U2'");
	ft_expect(f, "top_tracks",
		  "[{'title':'Beautiful Day','artist':'U2','id':null,'mbid':"
		  "'f7f264d0-a89b-4682-9cd7-a4e7c37637af','isrc':null,'duration_ms':null,"
		  "'url':'https://www.last.fm/music/U2/_/Beautiful+Day','rank':1}]");
	cJSON_Delete(f);

	f = parse_ok(P_TOP_TRACKS, "{'toptracks':{'track':[{'name':'A','@attr':{'rank':'x'}},"
				   "{'name':'B','artist':'Plain','@attr':{'rank':2}},{'name':7}],"
				   "'@attr':{'artist':'U2'}}}");
	ft_expect(f, "top_tracks[0].rank", "null");
	ft_expect(f, "top_tracks[0].artist", "null");
	ft_expect(f, "top_tracks[1].rank", "2");
	ft_expect(f, "top_tracks[1].artist", "'Plain'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "top_tracks")), 2);
	cJSON_Delete(f);
}

/* ---- album.getinfo, track.getinfo, track.getsimilar --------------------- */

/* album.getinfo in Portuguese, with a lone track object. */
static const char album_body[] =
	"{'album':{'artist':'Legi\xc3\xa3o Urbana','name':'Dois',"
	"'mbid':'1749dd07-5aa9-436e-babc-e3e982deb273','url':'" PAGE_DOIS "',"
	"'listeners':'494356','playcount':'9833783','image':[{'size':'small','#text':'" IMG34 "'},"
	"{'size':'extralarge','#text':'" IMG300 "'},{'size':'mega','#text':'" IMG300 "'}],"
	"'tags':{'tag':[{'name':'rock','url':'x'},{'name':''}]},"
	"'tracks':{'track':{'name':'Tempo Perdido','duration':302,'@attr':{'rank':6}}},"
	"'wiki':{'summary':'Dois \xc3\xa9 o segundo." MORE_DOIS ".',"
	"'content':'Dois \xc3\xa9 o segundo \xc3\xa1lbum." MORE_DOIS LICENCE "'}}}";

static void test_album_info(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_lang(P_ALBUM_INFO, "pt", album_body);
	ft_expect(f, "kind", "'release-group'");
	ft_expect(f, "id", "'Legi\xc3\xa3o Urbana - Dois'");
	ft_expect(f, "name", "'Dois'");
	ft_expect(f, "artist", "'Legi\xc3\xa3o Urbana'");
	ft_expect(f, "ids",
		  "{'lastfm':['Legi\xc3\xa3o Urbana - Dois'],"
		  "'mbid':['1749dd07-5aa9-436e-babc-e3e982deb273']}");
	ft_expect(f, "popularity", "{'listeners':494356,'playcount':9833783}");
	ft_expect(f, "tags", "[{'name':'rock','count':null}]");
	ft_expect(f, "tracks",
		  "[{'title':'Tempo Perdido','position':6,'disc':null,"
		  "'duration_ms':302000,'isrc':null,'id':null}]");
	ft_expect(f, "images[0].url", "'" IMG300 "'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[0].width", "300");
	ft_expect(f, "images[0].thumbnails", "{'small':'" IMG34 "'}");
	ft_expect(f, "biographies[0].text", "'Dois \xc3\xa9 o segundo \xc3\xa1lbum.'");
	ft_expect(f, "biographies[0].summary", "'Dois \xc3\xa9 o segundo.'");
	ft_expect(f, "biographies[0].language", "'pt'");
	ft_expect(f, "biographies[0].url", "'" PAGE_DOIS "'");
	cJSON_Delete(f);

	/* Empty strings for lists, no wiki, durations null / 0 / as strings. */
	f = parse_ok(
		P_ALBUM_INFO,
		"{'album':{'artist':'X','name':'Y','mbid':'','tags':'','image':[{'size':'small',"
		"'#text':''}],'tracks':{'track':[{'name':'a','duration':null,'@attr':{'rank':1}},"
		"{'name':'b','duration':'0'},{'name':'c','duration':'61','@attr':{'rank':'3'}},"
		"{'name':''}]}}}");
	ft_expect(f, "ids", "{'lastfm':['X - Y']}");
	ft_expect(f, "images", "[]");
	ft_expect(f, "tags", "[]");
	ft_expect(f, "biographies", "[]");
	ft_expect(f, "tracks[0].duration_ms", "null");
	ft_expect(f, "tracks[1].duration_ms", "null");
	ft_expect(f, "tracks[1].position", "null");
	ft_expect(f, "tracks[2].duration_ms", "61000");
	ft_expect(f, "tracks[2].position", "3");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "tracks")), 3);
	cJSON_Delete(f);

	parse_fails(P_ALBUM_INFO, "{'album':{'artist':'X'}}", ERR_INVALID_ARGUMENT,
		    "answer without a name");
}

static void test_track_info(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_TRACK_INFO,
		     "{'track':{'name':'Believe','mbid':'32ca187e-ee25-4f18-b7d0-3b6713f24635',"
		     "'url':'https://www.last.fm/music/Cher/_/Believe','duration':'240000',"
		     "'listeners':'1','playcount':'2','artist':{'name':'Cher','mbid':"
		     "'bfcc6d75-a6a5-4bc6-8282-47aec8531818'},'album':{'artist':'Cher','title':"
		     "'Believe','image':[{'size':'extralarge','#text':'" IMG300 "'}]},"
		     "'toptags':{'tag':[{'name':'pop'}]},'wiki':{'content':'A song.'}}}");
	ft_expect(f, "kind", "'recording'");
	ft_expect(f, "id", "'Cher - Believe'");
	ft_expect(f, "name", "'Believe'");
	ft_expect(f, "artist", "'Cher'");
	ft_expect(f, "album", "'Believe'");
	ft_expect(f, "duration_ms", "240000");
	ft_expect(f, "ids",
		  "{'lastfm':['Cher - Believe'],'mbid':['32ca187e-ee25-4f18-b7d0-3b6713f24635']}");
	ft_expect(f, "popularity", "{'listeners':1,'playcount':2}");
	ft_expect(f, "tags", "[{'name':'pop','count':null}]");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "biographies[0].language", "'en'");
	cJSON_Delete(f);

	f = parse_ok(P_TRACK_INFO, "{'track':{'name':'T','duration':'0','album':[]}}");
	ft_expect(f, "id", "'T'");
	ft_expect(f, "duration_ms", "null");
	ft_expect(f, "artist", "null");
	cJSON_Delete(f);
}

static void test_track_similar(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_ok(P_TRACK_SIMILAR,
		     "{'similartracks':{'track':[{'name':'Dreaming of Me','mbid':"
		     "'027b553e-7c74-3ed4-a95e-1d4fea51f174','match':1.0,'url':"
		     "'https://www.last.fm/music/Depeche+Mode/_/Dreaming+of+Me','artist':{'name':"
		     "'Depeche Mode'}},{'name':'Alone','match':0.5}],'@attr':{'artist':"
		     "'Depeche Mode','track':'Just Can\\u0027t Get Enough'}}}");
	ft_expect(f, "kind", "'recording'");
	ft_expect(f, "id", "'Depeche Mode - Just Can\\u0027t Get Enough'");
	ft_expect(f, "similar[0]",
		  "{'name':'Dreaming of Me','id':'Depeche Mode - Dreaming of Me',"
		  "'mbid':'027b553e-7c74-3ed4-a95e-1d4fea51f174','url':"
		  "'https://www.last.fm/music/Depeche+Mode/_/Dreaming+of+Me',"
		  "'score':1}");
	ft_expect(f, "similar[1].id", "'Alone'");
	cJSON_Delete(f);

	parse_fails(P_TRACK_SIMILAR, "{'similartracks':{'track':[],'@attr':{'artist':'X'}}}",
		    ERR_INVALID_ARGUMENT, "answer without a name");
}

/* ---- errors and hostile input ------------------------------------------- */

static void test_error_bodies(void **state)
{
	static const struct {
		const char *body;
		enum err want;
		const char *why;
	} cases[] = {
		{"{'error':6,'message':'The artist you supplied could not be found','links':[]}",
		 ERR_NOT_FOUND, "lastfm: not found"},
		{"{'error':10,'message':'Invalid API key - You must be granted a valid key by "
		 "last.fm'}",
		 ERR_INVALID_ARGUMENT, "lastfm: invalid api key"},
		{"{'error':29,'message':'Rate Limit Exceeded'}", ERR_INVALID_ARGUMENT,
		 "lastfm: rate limit exceeded"},
		{"{'error':26}", ERR_INVALID_ARGUMENT, "lastfm: suspended api key"},
		{"{'error':16}", ERR_INVALID_ARGUMENT, "lastfm: service unavailable"},
		{"{'error':8}", ERR_INVALID_ARGUMENT, "lastfm: error"},
		{"{'error':'6'}", ERR_INVALID_ARGUMENT, "lastfm: error"},
		{"{'error':null,'artist':{'name':'x'}}", ERR_INVALID_ARGUMENT, "lastfm: error"},
		{"{}", ERR_INVALID_ARGUMENT, "answer lacks its member"},
		{"{'artist':'Cher','album':[],'track':7}", ERR_INVALID_ARGUMENT,
		 "answer lacks its member"},
		{"{\"artist\":{", ERR_INVALID_ARGUMENT, "body is not JSON"},
		{"[]", ERR_INVALID_ARGUMENT, "body is not a JSON object"},
		{"", ERR_INVALID_ARGUMENT, "body is not JSON"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		for (int p = 0; p < P__COUNT; p++)
			parse_fails((enum parser)p, cases[i].body, cases[i].want, cases[i].why);
	parse_fails(P_ARTIST_INFO, "{'artist':{'name':''}}", ERR_INVALID_ARGUMENT,
		    "answer without a name");
	parse_fails(P_ARTIST_INFO, "{'artist':{'name':7}}", ERR_INVALID_ARGUMENT,
		    "answer without a name");
	parse_fails(P_TRACK_INFO, "{'track':{'artist':'x'}}", ERR_INVALID_ARGUMENT,
		    "answer without a name");
}

static void test_wrong_types(void **state)
{
	static const char *const bodies[] = {
		"{'artist':{'name':'A','mbid':7,'url':[],'image':{'#text':7,'size':[]},"
		"'stats':[],'tags':{'tag':'x'},'similar':'','bio':{'content':7,'links':'x'},"
		"'ontour':7}}",
		"{'artist':{'name':'A','image':{'#text':'https://x.example/i/u/99999999x1/a.png',"
		"'size':'mega'},'similar':{'artist':[7,null,{'name':[]},{'name':'B','match':[]}]},"
		"'bio':{'content':'<a href=\\\"\\\">Read more on Last.fm</a>','summary':[]},"
		"'stats':{'listeners':'9999999999999999','playcount':1e300}}}",
		"{'similarartists':{'artist':{'name':'Solo','match':'0.5'},'@attr':{'artist':7}}}",
		"{'similarartists':{'artist':'x','@attr':{'artist':'A'}}}",
		"{'toptracks':{'track':[{'name':'t','@attr':[],'url':'x','mbid':'A'}],"
		"'@attr':{'artist':'A'}}}",
		"{'album':{'name':'N','artist':{'name':'Nested'},'tracks':'','image':'',"
		"'wiki':'x','listeners':'12a'}}",
		"{'album':{'name':'N','tracks':{'track':[{'name':'t','duration':1e300,'@attr':"
		"{'rank':-1}}]}}}",
		"{'track':{'name':'\xff\xfe','artist':7,'album':{'title':[]},'duration':'12x',"
		"'toptags':'','wiki':{'summary':'\\u0000'}}}",
		"{'similartracks':{'track':{'name':'S','artist':'plain'},'@attr':{'artist':'A',"
		"'track':'T'}}}",
		"{'artist':{'name':'A','bio':{'content':'&#x110000; &#99999999999999999999; "
		"<b <i>'}}}",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bodies); i++) {
		char *b = ft_sq(bodies[i]);

		for (int p = 0; p < P__COUNT; p++) {
			const char *why = NULL;
			cJSON *f = NULL;

			if (run((enum parser)p, "xx", b, strlen(b), &f, &why) == ERR_OK) {
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

static void test_bad_lang_reads_english(void **state)
{
	cJSON *f;

	(void)state;
	f = parse_lang(P_ARTIST_INFO, "EN!", "{'artist':{'name':'X','bio':{'content':'Text.'}}}");
	ft_expect(f, "biographies[0].language", "'en'");
	cJSON_Delete(f);
}

static void test_body_cap(void **state)
{
	size_t n = LASTFM_MAX_BODY_BYTES + 1;
	char *big = malloc(n);

	(void)state;
	memset(big, ' ', n);
	for (int p = 0; p < P__COUNT; p++) {
		const char *why = NULL;
		cJSON *f = NULL;

		assert_int_equal(run((enum parser)p, "en", big, n, &f, &why), ERR_TOO_LARGE);
		assert_null(f);
		assert_string_equal(why, "body too large");
	}
	assert_int_equal(lastfm_error_code(big, n), 0);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_error_code),
		cmocka_unit_test(test_artist_info),
		cmocka_unit_test(test_artist_info_placeholders),
		cmocka_unit_test(test_wiki_text),
		cmocka_unit_test(test_artist_similar),
		cmocka_unit_test(test_top_tracks),
		cmocka_unit_test(test_album_info),
		cmocka_unit_test(test_track_info),
		cmocka_unit_test(test_track_similar),
		cmocka_unit_test(test_error_bodies),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_bad_lang_reads_english),
		cmocka_unit_test(test_body_cap),
	};

	json_init();
	return cmocka_run_group_tests_name("lastfm", tests, NULL, NULL);
}
