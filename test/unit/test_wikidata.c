/*
 * test_wikidata.c - the Wikidata provider's pure functions: request URLs
 * (items, items by MBID, Wikipedia summaries), and the parsers of
 * wbgetentities, list=search and page/summary answers, on small bodies
 * written for these tests in Wikidata's and Wikipedia's formats.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns goes through fragment_check()
 * and a print/re-parse round trip. The recorded responses of the shared
 * fixtures are exercised by test_wikidata_conformance.c.
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
#include "medley/wikidata.h"
#include "fragment_testing.h"

enum parser {
	P_ENTITY,
	P_SEARCH,
	P_SUMMARY,
};

/* arg: the kind (entity, summary) or entity (search); the summary's language is "en". */
static enum err run(enum parser p, const char *arg, const char *body, size_t len, cJSON **out,
		    const char **why)
{
	switch (p) {
	case P_ENTITY:
		return wikidata_parse_entity(body, len, arg, out, why);
	case P_SEARCH:
		return wikidata_parse_search(body, len, arg, out, why);
	case P_SUMMARY:
		return wikipedia_parse_summary(body, len, "en", arg, out, why);
	}
	return ERR_INTERNAL;
}

static cJSON *parse_ok(enum parser p, const char *arg, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, arg, b.text, b.len, &b.out, &b.why), ft_check_frag);
}

static void parse_fails(enum parser p, const char *arg, const char *quoted, enum err want)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, run(p, arg, b.text, b.len, &b.out, &b.why), want, NULL);
}

/* ---- ids and request URLs ------------------------------------------------- */

#define API WIKIDATA_DEFAULT_BASE_URL
#define NIRVANA "5b11f4ce-a62d-471e-81fc-a69a8278c7da"

static void test_qids_and_properties(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} qids[] = {
		{"Q1", true},
		{"Q11649", true},
		{"Q999999999999", true},
		{"Q", false},
		{"Q0", false},
		{"Q01", false},
		{"q1", false},
		{"P434", false},
		{"Q1 ", false},
		{"Q1a", false},
		{"Q9999999999999", false},
		{"", false},
		{"Q-1", false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(qids); i++)
		if (wikidata_valid_qid(qids[i].s) != qids[i].ok)
			fail_msg("'%s': want %s", qids[i].s, qids[i].ok ? "valid" : "invalid");
	assert_false(wikidata_valid_qid(NULL));
	assert_string_equal(wikidata_mbid_property("artist"), "P434");
	assert_string_equal(wikidata_mbid_property("release-group"), "P436");
	assert_string_equal(wikidata_mbid_property("release"), "P5813");
	assert_string_equal(wikidata_mbid_property("recording"), "P4404");
	assert_null(wikidata_mbid_property("work"));
	assert_null(wikidata_mbid_property(NULL));
}

static void test_entity_and_search_urls(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(wikidata_entity_url(API, "Q11649", &b), ERR_OK);
	assert_string_equal(b.data, API "?action=wbgetentities&ids=Q11649"
					"&props=claims%7Csitelinks%2Furls%7Clabels&format=json");
	buf_reset(&b);
	assert_int_equal(wikidata_by_mbid_url("http://127.0.0.1:9/wikidata/w/api.php", "P434",
					      "5B11F4CE-A62D-471E-81FC-A69A8278C7DA", &b),
			 ERR_OK);
	assert_string_equal(b.data, "http://127.0.0.1:9/wikidata/w/api.php?action=query&list=search"
				    "&srsearch=haswbstatement%3AP434%3D" NIRVANA
				    "&srnamespace=0&format=json");
	buf_reset(&b);
	assert_int_equal(wikidata_by_mbid_url(API, "P4404", NIRVANA, &b), ERR_OK);
	buf_reset(&b);
	assert_int_equal(wikidata_entity_url(API, "Q0", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_entity_url(API, "Q1&ids=Q2", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_entity_url(API, NULL, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_entity_url("", "Q1", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_entity_url(NULL, "Q1", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url(API, "P", NIRVANA, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url(API, "Q434", NIRVANA, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url(API, "P0434", NIRVANA, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url(API, "P1234567890", NIRVANA, &b),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url(API, NULL, NIRVANA, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url(API, "P434", "nirvana", &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(wikidata_by_mbid_url("", "P434", NIRVANA, &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
	buf_init(&b, 40);
	assert_int_equal(wikidata_entity_url(API, "Q1", &b), ERR_TOO_LARGE);
	buf_reset(&b);
	assert_int_equal(wikidata_by_mbid_url(API, "P434", NIRVANA, &b), ERR_TOO_LARGE);
	buf_release(&b);
}

static void test_summary_urls(void **state)
{
	static const struct {
		const char *tmpl, *lang, *title;
		enum err want;
		const char *url;
	} cases[] = {
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", "Nirvana (band)", ERR_OK,
		 "https://en.wikipedia.org/api/rest_v1/page/summary/Nirvana_%28band%29"},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "de", "AC/DC", ERR_OK,
		 "https://de.wikipedia.org/api/rest_v1/page/summary/AC%2FDC"},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "zh-yue", "Bj\xc3\xb6rk & ?#", ERR_OK,
		 "https://zh-yue.wikipedia.org/api/rest_v1/page/summary/Bj%C3%B6rk_%26_%3F%23"},
		{"http://127.0.0.1:8089/wikipedia/{lang}", "fr", "Leonard Cohen", ERR_OK,
		 "http://127.0.0.1:8089/wikipedia/fr/api/rest_v1/page/summary/Leonard_Cohen"},
		{"https://{lang}.m.wikipedia.org/{lang}", "en", "X", ERR_OK,
		 "https://en.m.wikipedia.org/{lang}/api/rest_v1/page/summary/X"},
		{"https://en.wikipedia.org", "en", "X", ERR_INVALID_ARGUMENT, NULL},
		{NULL, "en", "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "EN", "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "e", "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en_gb", "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "abcdefghijklm", "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en.evil.test/", "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, NULL, "X", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", "", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", NULL, ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", "a\nb", ERR_INVALID_ARGUMENT, NULL},
		{WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", "bad \xff", ERR_INVALID_ARGUMENT, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = wikipedia_summary_url(cases[i].tmpl, cases[i].lang, cases[i].title, &b);
		if (e != cases[i].want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e),
				 err_str(cases[i].want));
		if (e == ERR_OK)
			assert_string_equal(b.data, cases[i].url);
		buf_release(&b);
	}
}

static void test_summary_url_limits(void **state)
{
	char title[WIKIPEDIA_MAX_TITLE_BYTES + 2], tmpl[WIKIPEDIA_MAX_TEMPLATE_BYTES + 2];
	struct buf b;

	(void)state;
	buf_init(&b, 64 * 1024);
	memset(title, 'a', sizeof(title) - 1);
	title[WIKIPEDIA_MAX_TITLE_BYTES] = '\0';
	assert_int_equal(wikipedia_summary_url(WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", title, &b),
			 ERR_OK);
	buf_reset(&b);
	title[WIKIPEDIA_MAX_TITLE_BYTES] = 'a';
	title[WIKIPEDIA_MAX_TITLE_BYTES + 1] = '\0';
	assert_int_equal(wikipedia_summary_url(WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", title, &b),
			 ERR_INVALID_ARGUMENT);
	memset(tmpl, 'x', sizeof(tmpl) - 1);
	memcpy(tmpl, "{lang}", 6);
	tmpl[WIKIPEDIA_MAX_TEMPLATE_BYTES + 1] = '\0';
	assert_int_equal(wikipedia_summary_url(tmpl, "en", "X", &b), ERR_INVALID_ARGUMENT);
	tmpl[WIKIPEDIA_MAX_TEMPLATE_BYTES] = '\0';
	assert_int_equal(wikipedia_summary_url(tmpl, "en", "X", &b), ERR_OK);
	buf_release(&b);
	buf_init(&b, 40);
	assert_int_equal(wikipedia_summary_url(WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", "X", &b),
			 ERR_TOO_LARGE);
	buf_release(&b);
}

/* ---- wbgetentities --------------------------------------------------------- */

/* A statement of property p whose value is the JSON text v (already single-quoted). */
// clang-format off
#define ST(p, v) "{'mainsnak':{'snaktype':'value','property':'" p "','datavalue':{'value':" v "}},'type':'statement','rank':'normal'}"
#define ST_RANK(p, v, r) "{'mainsnak':{'snaktype':'value','property':'" p "','datavalue':{'value':" v "}},'type':'statement','rank':'" r "'}"
#define TIME(t, prec) "{'time':'" t "','timezone':0,'before':0,'after':0,'precision':" #prec ",'calendarmodel':'http://www.wikidata.org/entity/Q1985727'}"
#define ITEM(q) "{'entity-type':'item','numeric-id':1,'id':'" q "'}"

static const char artist_body[] =
	"{'entities':{'Q11649':{'type':'item','id':'Q11649',"
	"'labels':{'de':{'language':'de','value':'Nirvana (Band)'},"
	"'en':{'language':'en','value':'Nirvana'}},"
	"'claims':{"
	"'P434':[" ST("P434", "'5B11F4CE-A62D-471E-81FC-A69A8278C7DA'") "],"
	"'P436':[" ST("P436", "'f5a2e9ac-bd56-44f5-95fa-a267310d12ff'") "],"
	"'P1902':[" ST("P1902", "'6olE6TJLqED3rqDCT0FyPh'") ","
	ST_RANK("P1902", "'0000000000000000000000'", "deprecated") ","
	"{'mainsnak':{'snaktype':'somevalue','property':'P1902'},'rank':'normal'}],"
	"'P2722':[" ST("P2722", "'415'") "," ST("P2722", "'x415'") "],"
	"'P2850':[" ST("P2850", "'112018'") "],"
	"'P1953':[" ST("P1953", "'125246'") "],"
	"'P1728':[" ST("P1728", "'mn0000357406'") "],"
	"'P3192':[" ST("P3192", "'Nirvana'") "],"
	"'P18':[" ST("P18", "'Nirvana around 1992.jpg'") ","
	ST_RANK("P18", "'Nirvana (band) 1992.jpg'", "preferred") "],"
	"'P154':[" ST("P154", "'Nirvana logo.svg'") "],"
	"'P856':[" ST("P856", "'https://www.nirvana.com/'") "],"
	"'P571':[" ST("P571", TIME("+1987-01-01T00:00:00Z", 9)) "],"
	"'P576':[" ST("P576", TIME("+1994-04-05T00:00:00Z", 11)) "],"
	"'P136':[" ST("P136", ITEM("Q11365")) "," ST("P136", ITEM("Q11365")) ","
	ST("P136", ITEM("Q484641")) "," ST("P136", "'not an item'") "],"
	"'P31':[" ST("P31", ITEM("Q215380")) "]},"
	"'sitelinks':{'enwiki':{'site':'enwiki','title':'Nirvana (band)','badges':[],"
	"'url':'https://en.wikipedia.org/wiki/Nirvana_(band)'},"
	"'dewiki':{'site':'dewiki','title':'Nirvana (Band)','badges':['Q17437796']},"
	"'zh_yuewiki':{'site':'zh_yuewiki','title':'\xe6\xb6\x85\xe6\xa7\x83'},"
	"'commonswiki':{'site':'commonswiki','title':'Category:Nirvana'},"
	"'enwikiquote':{'site':'enwikiquote','title':'Nirvana (band)'},"
	"'frwiki':{'site':'frwiki','title':''},"
	"'itwiki':{'site':'itwiki','title':'Nirvana (gruppo musicale)','url':'javascript:x'}}}},"
	"'success':1}";

static const char rg_body[] =
	"{'entities':{'Q10851':{'type':'item','id':'Q10851',"
	"'labels':{'mul':{'language':'mul','value':'Nevermind'},"
	"'fr':{'language':'fr','value':'Nevermind (album)'}},"
	"'claims':{"
	"'P436':[" ST("P436", "'f5a2e9ac-bd56-44f5-95fa-a267310d12ff'") "],"
	"'P2205':[" ST("P2205", "'2UJcKiJxNryhL050F5Z1Fk'") "],"
	"'P2723':[" ST("P2723", "'1262014'") "],"
	"'P2281':[" ST("P2281", "'1440783617'") "],"
	"'P1954':[" ST("P1954", "'13814'") "],"
	"'P1729':[" ST("P1729", "'mw0000185539'") "],"
	"'P1902':[" ST("P1902", "'6olE6TJLqED3rqDCT0FyPh'") "],"
	"'P577':[" ST("P577", TIME("+1991-09-00T00:00:00Z", 10)) "],"
	"'P175':[" ST("P175", ITEM("Q11649")) "],"
	"'P18':[" ST("P18", "'Nevermind.jpg'") "]},"
	"'sitelinks':{}}},'success':1}";

static const char recording_body[] =
	"{'entities':{'Q188287':{'id':'Q188287','labels':{'it':{'value':'Smells Like Teen "
	"Spirit'}},'claims':{"
	"'P4404':[" ST("P4404", "'c0611cc5-e7da-42b1-9a0b-9a721fe766be'") "],"
	"'P2207':[" ST("P2207", "'5ghIJDpPoe3CfHMGu71E6T'") "],"
	"'P2724':[" ST("P2724", "'13791930'") "],"
	"'P1243':[" ST("P1243", "'usgf19140001'") "," ST("P1243", "'US-GF1-91-40001'") ","
	ST("P1243", "'USGF19140001'") "],"
	"'P2047':[" ST("P2047", "{'amount':'+301.92','unit':'http://www.wikidata.org/entity/Q11574'}") "],"
	"'P577':[" ST("P577", TIME("+1991-09-10T00:00:00Z", 11)) "],"
	"'P18':[" ST("P18", "'Teen spirit.ogg'") "]}}}}";

static const char minutes_body[] =
	"{'entities':{'Q1':{'id':'Q1','claims':{'P2047':["
	ST("P2047", "{'amount':'+4.5','unit':'http://www.wikidata.org/entity/Q7727'}")
	"]}}}}";

static const char utf8_body[] =
	"{'entities':{'Q3':{'id':'Q3','labels':{'en':{'value':'Bj\xf6rk'}},"
	"'sitelinks':{'enwiki':{'title':'Bj\xf6rk'}},'claims':{'P3192':["
	ST("P3192", "'Bj\xf6rk'") "]}}}}";
// clang-format on

static void test_entity_artist(void **state)
{
	cJSON *frag = parse_ok(P_ENTITY, NULL, artist_body);

	(void)state;
	ft_expect(frag, "provider", "'wikidata'");
	ft_expect(frag, "kind", "'artist'");
	ft_expect(frag, "id", "'Q11649'");
	ft_expect(frag, "url", "'https://www.wikidata.org/wiki/Q11649'");
	ft_expect(frag, "name", "'Nirvana'");
	ft_expect(frag, "date", "null");
	ft_expect(frag, "images[0]",
		  "{'url':'https://commons.wikimedia.org/wiki/Special:FilePath/"
		  "Nirvana_%28band%29_1992.jpg','type':'thumb','types':['thumb'],'width':null,"
		  "'height':null,'language':null,'likes':null,'thumbnails':{"
		  "'250':'https://commons.wikimedia.org/wiki/Special:FilePath/"
		  "Nirvana_%28band%29_1992.jpg?width=250',"
		  "'500':'https://commons.wikimedia.org/wiki/Special:FilePath/"
		  "Nirvana_%28band%29_1992.jpg?width=500'}}");
	ft_expect(frag, "images[1].type", "'logo'");
	ft_expect(frag, "images[1].url",
		  "'https://commons.wikimedia.org/wiki/Special:FilePath/Nirvana_logo.svg'");
	assert_int_equal(cJSON_GetArraySize(ft_at(frag, "images")), 2);
	ft_expect(frag, "ids",
		  "{'wikidata':['Q11649'],'mbid':['" NIRVANA "'],"
		  "'spotify':['6olE6TJLqED3rqDCT0FyPh'],'deezer':['415'],'itunes':['112018'],"
		  "'discogs':['125246'],'allmusic':['mn0000357406'],'lastfm':['Nirvana']}");
	ft_expect(frag, "extra",
		  "{'begin_date':'1987','end_date':'1994-04-05',"
		  "'sitelink:enwiki':'Nirvana (band)',"
		  "'sitelink_url:enwiki':'https://en.wikipedia.org/wiki/Nirvana_(band)',"
		  "'sitelink:dewiki':'Nirvana (Band)',"
		  "'sitelink:zh_yuewiki':'\xe6\xb6\x85\xe6\xa7\x83',"
		  "'sitelink:itwiki':'Nirvana (gruppo musicale)',"
		  "'website':'https://www.nirvana.com/','genre_qids':['Q11365','Q484641']}");
	assert_string_equal(wikidata_sitelink(frag, "en"), "Nirvana (band)");
	assert_string_equal(wikidata_sitelink(frag, "zh-yue"), "\xe6\xb6\x85\xe6\xa7\x83");
	assert_null(wikidata_sitelink(frag, "fr"));
	assert_null(wikidata_sitelink(frag, "commons"));
	assert_null(wikidata_sitelink(frag, "EN"));
	assert_null(wikidata_sitelink(frag, NULL));
	assert_null(wikidata_sitelink(NULL, "en"));
	cJSON_Delete(frag);
}

static void test_entity_release_group(void **state)
{
	cJSON *frag = parse_ok(P_ENTITY, NULL, rg_body);

	(void)state;
	ft_expect(frag, "kind", "'release-group'");
	ft_expect(frag, "name", "'Nevermind'");
	ft_expect(frag, "date", "'1991-09'");
	ft_expect(frag, "images[0].type", "'front'");
	ft_expect(frag, "ids",
		  "{'wikidata':['Q10851'],'mbid':['f5a2e9ac-bd56-44f5-95fa-a267310d12ff'],"
		  "'spotify':['2UJcKiJxNryhL050F5Z1Fk'],'deezer':['1262014'],"
		  "'itunes':['1440783617'],'discogs':['13814'],'allmusic':['mw0000185539']}");
	ft_expect(frag, "extra", "{'performer_qids':['Q11649']}");
	cJSON_Delete(frag);
}

static void test_entity_recording(void **state)
{
	cJSON *frag = parse_ok(P_ENTITY, NULL, recording_body);

	(void)state;
	ft_expect(frag, "kind", "'recording'");
	ft_expect(frag, "name", "'Smells Like Teen Spirit'");
	ft_expect(frag, "date", "'1991-09-10'");
	ft_expect(frag, "duration_ms", "301920");
	ft_expect(frag, "images[0].type", "'other'");
	ft_expect(frag, "ids",
		  "{'wikidata':['Q188287'],'mbid':['c0611cc5-e7da-42b1-9a0b-9a721fe766be'],"
		  "'spotify':['5ghIJDpPoe3CfHMGu71E6T'],'deezer':['13791930'],"
		  "'isrc':['USGF19140001']}");
	ft_expect(frag, "extra", "{}");
	cJSON_Delete(frag);
}

/* The kind given wins over the inferred one; ids of other kinds are not taken. */
static void test_entity_kind_given(void **state)
{
	cJSON *frag = parse_ok(P_ENTITY, "release", artist_body);

	(void)state;
	ft_expect(frag, "kind", "'release'");
	ft_expect(frag, "ids", "{'wikidata':['Q11649'],'lastfm':['Nirvana']}");
	ft_expect(frag, "images[0].type", "'front'");
	cJSON_Delete(frag);
	frag = parse_ok(P_ENTITY, "recording", minutes_body);
	ft_expect(frag, "duration_ms", "270000");
	ft_expect(frag, "name", "null");
	cJSON_Delete(frag);
	parse_fails(P_ENTITY, "label", artist_body, ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, "candidates", artist_body, ERR_INVALID_ARGUMENT);
}

static void test_entity_dates(void **state)
{
	static const struct {
		const char *time;
		int precision;
		const char *want; /* quoted JSON of extra.begin_date, or NULL: absent */
	} cases[] = {
		{"+1987-01-01T00:00:00Z", 9, "'1987'"},
		{"+1987-03-01T00:00:00Z", 10, "'1987-03'"},
		{"+1987-03-05T00:00:00Z", 11, "'1987-03-05'"},
		{"+1987-03-05T00:00:00Z", 14, "'1987-03-05'"},
		{"+1987-00-00T00:00:00Z", 11, NULL},
		{"+1987-03-00T00:00:00Z", 11, NULL},
		{"+1980-00-00T00:00:00Z", 8, NULL},
		{"-0500-00-00T00:00:00Z", 9, NULL},
		{"+0000-00-00T00:00:00Z", 9, NULL},
		{"+12345-01-01T00:00:00Z", 9, NULL},
		{"+19x7-01-01T00:00:00Z", 9, NULL},
		{"1987", 9, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char body[1024];
		cJSON *frag;

		snprintf(body, sizeof(body),
			 "{'entities':{'Q2':{'id':'Q2','claims':{'P569':[{'mainsnak':{'snaktype':"
			 "'value','datavalue':{'value':{'time':'%s','precision':%d}}},"
			 "'rank':'normal'}]}}}}",
			 cases[i].time, cases[i].precision);
		frag = parse_ok(P_ENTITY, "artist", body);
		if (cases[i].want)
			ft_expect(frag, "extra.begin_date", cases[i].want);
		else if (ft_at(frag, "extra.begin_date"))
			fail_msg("case %zu: want no date", i);
		cJSON_Delete(frag);
	}
}

static void test_entity_errors(void **state)
{
	(void)state;
	parse_fails(P_ENTITY, NULL,
		    "{'error':{'code':'no-such-entity','info':'Could not find an entity with the "
		    "ID \\'Q0\\'.','id':'Q0','messages':[]},'servedby':'mw1'}",
		    ERR_NOT_FOUND);
	parse_fails(P_ENTITY, NULL,
		    "{'entities':{'Q99999999999':{'id':'Q99999999999','missing':''}},'success':1}",
		    ERR_NOT_FOUND);
	parse_fails(P_ENTITY, NULL, "{'error':{'code':'param-missing','info':'x'}}",
		    ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'error':'no-such-entity'}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'entities':{},'success':1}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'entities':[{'id':'Q1'}]}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'entities':{'Q1':'Q1'}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'entities':{'P31':{'id':'P31','type':'property'}}}",
		    ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'entities':{'Q1':{'labels':{}}}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'success':1}", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "[]", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "", ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "{'entities':{'Q1':{'id':'Q1','claims':{'P434':[",
		    ERR_INVALID_ARGUMENT);
	parse_fails(P_ENTITY, NULL, "<html><body>Wikimedia Error</body></html>",
		    ERR_INVALID_ARGUMENT);
}

/* Statements and labels of every wrong shape read as absent. */
static void test_entity_wrong_types(void **state)
{
	static const char *const values[] = {
		"1",
		"null",
		"[]",
		"{}",
		"'x'",
		"[1,'a',null,{}]",
		"{'mainsnak':1}",
		"[{'mainsnak':{'snaktype':'value'}}]",
		"[{'mainsnak':{'snaktype':'value','datavalue':{'value':"
		"{'time':7,'amount':[],'id':1}}}}]"};
	static const char *const props[] = {"P434", "P18",  "P577", "P2047", "P1243",
					    "P136", "P856", "P571", "P154"};

	(void)state;
	for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
		char body[4096];
		size_t n;
		cJSON *frag;

		n = (size_t)snprintf(body, sizeof(body),
				     "{'entities':{'Q5':{'id':'Q5','labels':%s,'sitelinks':%s,"
				     "'claims':{'P0':0",
				     values[v], values[v]);
		for (size_t p = 0; p < ARRAY_SIZE(props); p++)
			n += (size_t)snprintf(body + n, sizeof(body) - n, ",'%s':%s", props[p],
					      values[v]);
		snprintf(body + n, sizeof(body) - n, "}}}}");
		frag = parse_ok(P_ENTITY, "recording", body);
		ft_expect(frag, "name", "null");
		ft_expect(frag, "images", "[]");
		ft_expect(frag, "ids", "{'wikidata':['Q5']}");
		ft_expect(frag, "date", "null");
		ft_expect(frag, "duration_ms", "null");
		cJSON_Delete(frag);
	}
}

/* ---- list=search ------------------------------------------------------------ */

static void test_search(void **state)
{
	cJSON *frag =
		parse_ok(P_SEARCH, "artist",
			 "{'batchcomplete':'','query':{'searchinfo':{'totalhits':3},'search':["
			 "{'ns':0,'title':'Q11649','pageid':12345,'size':9000,'wordcount':10,"
			 "'snippet':'','timestamp':'2024-01-01T00:00:00Z'},"
			 "{'ns':120,'title':'Q1','pageid':1},{'ns':0,'title':'Property:P434'},"
			 "{'title':'Q1351733'},7,{'ns':'0','title':'Q2'}]}}");

	(void)state;
	ft_expect(frag, "kind", "'candidates'");
	ft_expect(frag, "entity", "'artist'");
	assert_int_equal(cJSON_GetArraySize(ft_at(frag, "items")), 2);
	ft_expect(frag, "items[0].id", "'Q11649'");
	ft_expect(frag, "items[0].kind", "'artist'");
	ft_expect(frag, "items[0].url", "'https://www.wikidata.org/wiki/Q11649'");
	ft_expect(frag, "items[0].ids", "{'wikidata':['Q11649']}");
	ft_expect(frag, "items[1].id", "'Q1351733'");
	cJSON_Delete(frag);
	frag = parse_ok(P_SEARCH, "release-group",
			"{'batchcomplete':'','query':{'searchinfo':{'totalhits':0},'search':[]}}");
	ft_expect(frag, "items", "[]");
	cJSON_Delete(frag);
	parse_fails(P_SEARCH, "artist",
		    "{'error':{'code':'cirrussearch-backend-error','info':'x'}}",
		    ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH, "artist", "{'batchcomplete':''}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH, "artist", "{'query':{'search':{}}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH, "artist", "{'query':{'search':[", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH, "artist", "[]", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH, "lyrics", "{'query':{'search':[]}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SEARCH, NULL, "{'query':{'search':[]}}", ERR_INVALID_ARGUMENT);
}

/* ---- page/summary ------------------------------------------------------------ */

static const char summary_body[] =
	"{'type':'standard','title':'Nirvana (band)','displaytitle':'<span class=\\'mw-page-title-"
	"main\\'>Nirvana (band)</span>','namespace':{'id':0,'text':''},'wikibase_item':'Q11649',"
	"'titles':{'canonical':'Nirvana_(band)','normalized':'Nirvana (band)',"
	"'display':'Nirvana (band)'},'pageid':21231,"
	"'thumbnail':{'source':'https://upload.wikimedia.org/wikipedia/commons/thumb/1/19/"
	"N.jpg/320px-N.jpg','width':320,'height':213},"
	"'originalimage':{'source':'https://upload.wikimedia.org/wikipedia/commons/1/19/N.jpg',"
	"'width':2000,'height':1333},'lang':'en','dir':'ltr','revision':'1','tid':'x',"
	"'timestamp':'2024-05-01T00:00:00Z','description':'American rock band (1987\xe2\x80\x93"
	"1994)','description_source':'local','content_urls':{'desktop':{'page':"
	"'https://en.wikipedia.org/wiki/Nirvana_(band)','revisions':'https://en.wikipedia.org/"
	"wiki/Nirvana_(band)?action=history'},'mobile':{'page':'https://en.m.wikipedia.org/wiki/"
	"Nirvana_(band)'}},'extract':'Nirvana was an American rock band formed in Aberdeen, "
	"Washington, in 1987.\\n','extract_html':'<p><b>Nirvana</b> was an American rock "
	"band.</p>'}";

static void test_summary(void **state)
{
	cJSON *frag = parse_ok(P_SUMMARY, NULL, summary_body);

	(void)state;
	ft_expect(frag, "provider", "'wikidata'");
	ft_expect(frag, "kind", "'artist'");
	ft_expect(frag, "id", "'Q11649'");
	ft_expect(frag, "url", "'https://en.wikipedia.org/wiki/Nirvana_(band)'");
	ft_expect(frag, "name", "'Nirvana (band)'");
	ft_expect(frag, "biographies",
		  "[{'text':'Nirvana was an American rock band formed in Aberdeen, Washington, in "
		  "1987.','summary':'American rock band (1987\xe2\x80\x93"
		  "1994)','language':'en','url':'https://en.wikipedia.org/wiki/Nirvana_(band)',"
		  "'attribution':'Wikipedia, CC BY-SA 4.0'}]");
	ft_expect(
		frag, "images",
		"[{'url':'https://upload.wikimedia.org/wikipedia/commons/1/19/N.jpg',"
		"'type':'thumb','types':['thumb'],'width':2000,'height':1333,'language':null,"
		"'likes':null,'thumbnails':{'320':'https://upload.wikimedia.org/wikipedia/commons/"
		"thumb/1/19/N.jpg/320px-N.jpg'}}]");
	ft_expect(frag, "ids", "{'wikidata':['Q11649']}");
	ft_expect(frag, "extra", "{'wikipedia_lang':'en','wikipedia_title':'Nirvana_(band)'}");
	cJSON_Delete(frag);
	frag = parse_ok(P_SUMMARY, "release-group", summary_body);
	ft_expect(frag, "kind", "'release-group'");
	ft_expect(frag, "images[0].type", "'front'");
	cJSON_Delete(frag);
}

static void test_summary_sparse(void **state)
{
	cJSON *frag = parse_ok(P_SUMMARY, "recording",
			       "{'type':'no-extract','title':'Teen Spirit','wikibase_item':'x1',"
			       "'titles':{'canonical':'Teen_Spirit'},'extract':' \\n ',"
			       "'description':'','thumbnail':{'source':'https://up.test/t.jpg',"
			       "'width':'320'},'content_urls':{'desktop':{'page':'/wiki/X'}}}");

	(void)state;
	ft_expect(frag, "id", "'Teen_Spirit'");
	ft_expect(frag, "url", "null");
	ft_expect(frag, "name", "'Teen Spirit'");
	ft_expect(frag, "biographies", "[]");
	ft_expect(frag, "images[0].url", "'https://up.test/t.jpg'");
	ft_expect(frag, "images[0].type", "'other'");
	ft_expect(frag, "images[0].width", "null");
	ft_expect(frag, "ids", "{}");
	cJSON_Delete(frag);
	frag = parse_ok(P_SUMMARY, NULL, "{'title':'Only A Title'}");
	ft_expect(frag, "id", "'Only A Title'");
	ft_expect(frag, "extra", "{'wikipedia_lang':'en','wikipedia_title':'Only A Title'}");
	cJSON_Delete(frag);
}

static void test_summary_refused(void **state)
{
	const char *why = NULL;
	cJSON *frag = NULL;

	(void)state;
	parse_fails(P_SUMMARY, NULL,
		    "{'type':'disambiguation','title':'Nirvana','wikibase_item':'Q225519',"
		    "'extract':'Nirvana is a concept in Indian religions.\\nNirvana may also refer "
		    "to:'}",
		    ERR_NOT_FOUND);
	parse_fails(P_SUMMARY, NULL,
		    "{'type':'https://mediawiki.org/wiki/HyperSwitch/errors/not_found',"
		    "'title':'Not found.','method':'get','detail':'Page or revision not found.',"
		    "'uri':'/en.wikipedia.org/v1/page/summary/No_such_page'}",
		    ERR_NOT_FOUND);
	parse_fails(P_SUMMARY, NULL,
		    "{'type':'https://mediawiki.org/wiki/HyperSwitch/errors/bad_request',"
		    "'title':'Invalid parameters'}",
		    ERR_INVALID_ARGUMENT);
	parse_fails(P_SUMMARY, NULL,
		    "{'messageTranslations':{'en':'The specified title does not exist'},"
		    "'httpCode':404,'httpReason':'Not Found'}",
		    ERR_NOT_FOUND);
	parse_fails(P_SUMMARY, NULL, "{'httpCode':500,'httpReason':'Internal'}",
		    ERR_INVALID_ARGUMENT);
	parse_fails(P_SUMMARY, NULL, "{'type':'standard','extract':'x'}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SUMMARY, NULL, "{'title':7,'titles':{'canonical':''}}", ERR_INVALID_ARGUMENT);
	parse_fails(P_SUMMARY, NULL, "['Nirvana']", ERR_INVALID_ARGUMENT);
	parse_fails(P_SUMMARY, NULL, "{'title':'Nirv", ERR_INVALID_ARGUMENT);
	parse_fails(P_SUMMARY, "work", summary_body, ERR_INVALID_ARGUMENT);
	assert_int_equal(wikipedia_parse_summary(summary_body, sizeof(summary_body) - 1, "EN", NULL,
						 &frag, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(frag);
	assert_int_equal(wikipedia_parse_summary(summary_body, sizeof(summary_body) - 1, NULL, NULL,
						 &frag, &why),
			 ERR_INVALID_ARGUMENT);
	assert_null(frag);
}

static void test_summary_wrong_types(void **state)
{
	static const char *const values[] = {
		"1", "null", "[]", "{}", "'x'", "true", "{'source':7,'page':[],'width':-1}"};
	static const char *const keys[] = {"type",	   "wikibase_item", "titles",
					   "thumbnail",	   "originalimage", "description",
					   "content_urls", "extract",	    "lang"};

	(void)state;
	for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
		char body[2048];
		size_t n = (size_t)snprintf(body, sizeof(body), "{'title':'T'");
		cJSON *frag;

		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			n += (size_t)snprintf(body + n, sizeof(body) - n, ",'%s':%s", keys[k],
					      values[v]);
		snprintf(body + n, sizeof(body) - n, "}");
		frag = parse_ok(P_SUMMARY, NULL, body);
		ft_expect(frag, "name", "'T'");
		ft_expect(frag, "images", "[]");
		cJSON_Delete(frag);
	}
}

static void test_invalid_utf8(void **state)
{
	cJSON *frag = parse_ok(P_ENTITY, NULL, utf8_body);

	(void)state;
	ft_expect(frag, "name", "'Bj\xef\xbf\xbdrk'");
	ft_expect(frag, "extra", "{'sitelink:enwiki':'Bj\xef\xbf\xbdrk'}");
	ft_expect(frag, "ids", "{'wikidata':['Q3']}");
	cJSON_Delete(frag);
	frag = parse_ok(P_SUMMARY, NULL, "{'title':'Bj\xf6rk','extract':'caf\xe9'}");
	ft_expect(frag, "biographies[0].text", "'caf\xef\xbf\xbd'");
	cJSON_Delete(frag);
}

static void test_body_caps(void **state)
{
	size_t len = WIKIDATA_MAX_BODY_BYTES + 1;
	char *body = malloc(len);
	const char *why = NULL;
	cJSON *frag = NULL;

	(void)state;
	assert_non_null(body);
	memset(body, ' ', len);
	memcpy(body, "{\"title\":\"x\"}", 13);
	assert_int_equal(wikidata_parse_entity(body, len, NULL, &frag, &why), ERR_TOO_LARGE);
	assert_null(frag);
	assert_int_equal(wikidata_parse_search(body, len, "artist", &frag, &why), ERR_TOO_LARGE);
	assert_null(frag);
	assert_int_equal(wikipedia_parse_summary(body, WIKIPEDIA_MAX_BODY_BYTES + 1, "en", NULL,
						 &frag, &why),
			 ERR_TOO_LARGE);
	assert_null(frag);
	assert_int_equal(
		wikipedia_parse_summary(body, WIKIPEDIA_MAX_BODY_BYTES, "en", NULL, &frag, &why),
		ERR_OK);
	cJSON_Delete(frag);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qids_and_properties),
		cmocka_unit_test(test_entity_and_search_urls),
		cmocka_unit_test(test_summary_urls),
		cmocka_unit_test(test_summary_url_limits),
		cmocka_unit_test(test_entity_artist),
		cmocka_unit_test(test_entity_release_group),
		cmocka_unit_test(test_entity_recording),
		cmocka_unit_test(test_entity_kind_given),
		cmocka_unit_test(test_entity_dates),
		cmocka_unit_test(test_entity_errors),
		cmocka_unit_test(test_entity_wrong_types),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_sparse),
		cmocka_unit_test(test_summary_refused),
		cmocka_unit_test(test_summary_wrong_types),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_body_caps),
	};

	json_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
