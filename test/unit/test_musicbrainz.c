/*
 * test_musicbrainz.c - the MusicBrainz provider's pure functions: request
 * URLs, MBIDs, and the parsers on small bodies written for these tests.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every document a parser returns also goes through
 * mb_check_document() and a print/re-parse round trip. The recorded
 * responses of the shared fixtures are exercised by test_mb_conformance.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "fragment_testing.h"

enum parser {
	P_LOOKUP,
	P_SEARCH,
	P_BROWSE,
};

static enum err run(enum parser p, enum mb_entity e, const char *body, size_t len, cJSON **doc,
		    const char **why)
{
	switch (p) {
	case P_LOOKUP:
		return mb_parse_lookup(e, body, len, doc, why);
	case P_SEARCH:
		return mb_parse_search(e, body, len, doc, why);
	case P_BROWSE:
		return mb_parse_browse_release_groups(body, len, doc, why);
	}
	return ERR_INTERNAL;
}

/* The document is well shaped, prints as valid UTF-8 and parses back the same. */
static void check_doc(const cJSON *doc)
{
	char where[300];

	if (mb_check_document(doc, where, sizeof(where)) != ERR_OK)
		fail_msg("document shape: %s", where);
	ft_check_round_trip(doc);
}

static cJSON *parse_ok(enum parser p, enum mb_entity e, const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, run(p, e, b.text, b.len, &b.out, &b.why), check_doc);
}

/* ---- request URLs ------------------------------------------------------- */

#define BASE "https://musicbrainz.org/ws/2"
#define NIRVANA "5b11f4ce-a62d-471e-81fc-a69a8278c7da"

struct url_case {
	char op; /* 'l'ookup, 's'earch, 'b'rowse */
	enum mb_entity e;
	const char *arg; /* mbid or query */
	const char *type;
	unsigned limit, offset;
	enum err want;
	const char *url;
};

static const struct url_case url_cases[] = {
	{'l', MB_ARTIST, NIRVANA, NULL, 0, 0, ERR_OK,
	 BASE "/artist/" NIRVANA "?inc=aliases+genres+tags+ratings+url-rels&fmt=json"},
	{'l', MB_RELEASE_GROUP, NIRVANA, NULL, 0, 0, ERR_OK,
	 BASE "/release-group/" NIRVANA "?inc=artist-credits+aliases+genres+tags+ratings+url-rels"
	      "+releases&fmt=json"},
	{'l', MB_RELEASE, NIRVANA, NULL, 0, 0, ERR_OK,
	 BASE "/release/" NIRVANA "?inc=artist-credits+labels+recordings+release-groups+media"
	      "+isrcs+genres+tags+url-rels&fmt=json"},
	{'l', MB_RECORDING, "5B11F4CE-A62D-471E-81FC-A69A8278C7DA", NULL, 0, 0, ERR_OK,
	 BASE "/recording/" NIRVANA "?inc=artist-credits+isrcs+releases+release-groups+genres"
	      "+tags+ratings+url-rels&fmt=json"},
	{'l', MB_ARTIST, "5b11f4ce-a62d-471e-81fc-a69a8278c7d", NULL, 0, 0, ERR_INVALID_ARGUMENT,
	 NULL},
	{'l', MB_ARTIST, "../../etc/passwd", NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'l', MB_ENTITY__COUNT, NIRVANA, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', MB_ARTIST, "bob dylan", NULL, 25, 0, ERR_OK,
	 BASE "/artist?query=bob%20dylan&limit=25&offset=0&fmt=json"},
	{'s', MB_RECORDING, "\"we will rock you\" AND arid:0383dadf", NULL, 10, 20, ERR_OK,
	 BASE "/recording?query=%22we%20will%20rock%20you%22%20AND%20arid%3A0383dadf&limit=10"
	      "&offset=20&fmt=json"},
	{'s', MB_RELEASE, "Sigur R\xc3\xb3s & a+b (c)~_.-", NULL, 100, 0, ERR_OK,
	 BASE "/release?query=Sigur%20R%C3%B3s%20%26%20a%2Bb%20%28c%29~_.-&limit=100&offset=0"
	      "&fmt=json"},
	{'s', MB_RELEASE_GROUP, "x=1&fmt=xml#", NULL, 1, 0, ERR_OK,
	 BASE "/release-group?query=x%3D1%26fmt%3Dxml%23&limit=1&offset=0&fmt=json"},
	{'s', MB_ARTIST, "", NULL, 25, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', MB_ARTIST, "bad \xff utf-8", NULL, 25, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', MB_ARTIST, "x", NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
	{'s', MB_ARTIST, "x", NULL, 101, 0, ERR_INVALID_ARGUMENT, NULL},
	{'b', MB_RELEASE_GROUP, NIRVANA, NULL, 25, 50, ERR_OK,
	 BASE "/release-group?artist=" NIRVANA "&limit=25&offset=50"
	      "&inc=artist-credits+genres+tags+ratings&fmt=json"},
	{'b', MB_RELEASE_GROUP, NIRVANA, "ep|single", 100, 0, ERR_OK,
	 BASE "/release-group?artist=" NIRVANA "&type=ep%7Csingle&limit=100&offset=0"
	      "&inc=artist-credits+genres+tags+ratings&fmt=json"},
	{'b', MB_RELEASE_GROUP, NIRVANA, "", 1, 0, ERR_OK,
	 BASE "/release-group?artist=" NIRVANA "&limit=1&offset=0"
	      "&inc=artist-credits+genres+tags+ratings&fmt=json"},
	{'b', MB_RELEASE_GROUP, "nirvana", NULL, 25, 0, ERR_INVALID_ARGUMENT, NULL},
	{'b', MB_RELEASE_GROUP, NIRVANA, NULL, 0, 0, ERR_INVALID_ARGUMENT, NULL},
};

static enum err build_url(const struct url_case *c, const char *base, struct buf *b)
{
	switch (c->op) {
	case 'l':
		return mb_lookup_url(base, c->e, c->arg, b);
	case 's':
		return mb_search_url(base, c->e, c->arg, c->limit, c->offset, b);
	default:
		return mb_browse_release_groups_url(base, c->arg, c->type, c->limit, c->offset, b);
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
	char q[MB_MAX_QUERY_BYTES + 2];
	struct buf b;

	(void)state;
	buf_init(&b, 32); /* too small for any URL */
	assert_int_equal(mb_lookup_url(BASE, MB_ARTIST, NIRVANA, &b), ERR_TOO_LARGE);
	buf_release(&b);
	buf_init(&b, 64 * 1024);
	assert_int_equal(mb_lookup_url("", MB_ARTIST, NIRVANA, &b), ERR_INVALID_ARGUMENT);
	assert_int_equal(mb_lookup_url(NULL, MB_ARTIST, NIRVANA, &b), ERR_INVALID_ARGUMENT);
	memset(q, 'a', sizeof(q) - 1);
	q[MB_MAX_QUERY_BYTES] = '\0';
	assert_int_equal(mb_search_url(BASE, MB_ARTIST, q, 1, 0, &b), ERR_OK);
	buf_reset(&b);
	q[MB_MAX_QUERY_BYTES] = 'a';
	q[MB_MAX_QUERY_BYTES + 1] = '\0';
	assert_int_equal(mb_search_url(BASE, MB_ARTIST, q, 1, 0, &b), ERR_INVALID_ARGUMENT);
	buf_release(&b);
}

/* ---- MBIDs and entity names --------------------------------------------- */

static void test_mbids(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		const char *norm;
	} cases[] = {
		{NIRVANA, true, NIRVANA},
		{"5B11F4CE-A62D-471E-81FC-A69A8278C7DA", true, NIRVANA},
		{"5b11F4ce-A62d-471e-81fc-a69a8278c7DA", true, NIRVANA},
		{"00000000-0000-0000-0000-000000000000", true,
		 "00000000-0000-0000-0000-000000000000"},
		{"", false, NULL},
		{"5b11f4ce-a62d-471e-81fc-a69a8278c7da ", false, NULL},
		{" 5b11f4ce-a62d-471e-81fc-a69a8278c7da", false, NULL},
		{"5b11f4ce-a62d-471e-81fc-a69a8278c7dax", false, NULL},
		{"5b11f4cea62d471e81fca69a8278c7da", false, NULL},
		{"{5b11f4ce-a62d-471e-81fc-a69a8278c7da}", false, NULL},
		{"5b11f4ce-a62d-471e-81fc-a69a8278c7dg", false, NULL},
		{"5b11f4ce_a62d-471e-81fc-a69a8278c7da", false, NULL},
		{"5b11f4c-ea62d-471e-81fc-a69a8278c7da", false, NULL},
		{"5b11f4ce-a62d-471e-81fc-a69a8278c7d\xc3\xa9", false, NULL},
	};
	char out[MB_MBID_LEN + 1];

	(void)state;
	assert_false(mb_valid_mbid(NULL));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (mb_valid_mbid(cases[i].s) != cases[i].ok)
			fail_msg("'%s': want %s", cases[i].s, cases[i].ok ? "valid" : "invalid");
		if (!cases[i].ok) {
			assert_int_equal(mb_normalize_mbid(cases[i].s, out), ERR_INVALID_ARGUMENT);
			continue;
		}
		assert_int_equal(mb_normalize_mbid(cases[i].s, out), ERR_OK);
		assert_string_equal(out, cases[i].norm);
	}
}

static void test_entity_names(void **state)
{
	static const char *const names[] = {"artist", "release-group", "release", "recording"};
	enum mb_entity e;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(mb_entity_from_name(names[i], &e), ERR_OK);
		assert_int_equal(e, i);
		assert_string_equal(mb_entity_name(e), names[i]);
	}
	assert_int_equal(mb_entity_from_name("Artist", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(mb_entity_from_name("label", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(mb_entity_from_name(NULL, &e), ERR_INVALID_ARGUMENT);
	assert_null(mb_entity_name(MB_ENTITY__COUNT));
}

/* ---- parsers on small bodies -------------------------------------------- */

static const char artist_body[] =
	"{'id':'5B11F4CE-A62D-471E-81FC-A69A8278C7DA','name':'Nirvana','sort-name':'Nirvana',"
	"'disambiguation':'','type':'Group','gender':null,'country':'US',"
	"'area':{'id':'489ce91b-6658-3307-9877-795b68554c98','name':'United States'},"
	"'begin_area':{'id':'a640b45c-c173-49b1-8030-973603e895b5','name':'Aberdeen'},"
	"'end-area':null,'life-span':{'begin':'1987','end':'1994-04','ended':true},"
	"'ipis':[],'isnis':['0000000123486830',7,''],"
	"'aliases':[{'name':'Nirvana US','sort-name':'Nirvana US','locale':'en','primary':true,"
	"'type':'Artist name','begin':null,'end':null},'junk',{'name':'Nirvana (US)',"
	"'sort-name':'Nirvana (US)','locale':null,'primary':null,'type':'Search hint',"
	"'begin-date':'1988','end-date':'1988-13-99x'}],"
	"'genres':[{'name':'rock','count':3},{'name':'grunge','count':12},"
	"{'name':'alternative rock','count':12},{'name':'','count':99},{'count':5},"
	"{'name':'punk'}],"
	"'rating':{'value':4.5,'votes-count':10},'relations':["
	"{'target-type':'url','type':'free streaming','ended':false,"
	"'url':{'resource':'https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh'}},"
	"{'target-type':'url','type':'streaming',"
	"'url':{'resource':'https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh'}},"
	"{'target-type':'url','type':'wikidata',"
	"'url':{'resource':'https://www.wikidata.org/wiki/Q11649'}},"
	"{'target-type':'artist','type':'member of band','artist':{'id':'x'}},"
	"{'target-type':'url','type':'official homepage','url':{'resource':'javascript:alert(1)'}},"
	"{'target-type':'url','type':'discogs',"
	"'url':{'resource':'https://www.discogs.com/artist/125246-Nirvana'}},"
	"{'target-type':'url','type':'discogs',"
	"'url':{'resource':'https://www.discogs.com/artist/125246'}},"
	"{'target-type':'url','type':'','url':{'resource':'https://nirvana.com/'}},"
	"{'target-type':'url','url':'https://bad.example/'},7]}";

static void test_artist(void **state)
{
	cJSON *doc = parse_ok(P_LOOKUP, MB_ARTIST, artist_body);

	(void)state;
	ft_expect(doc, "id", "'" NIRVANA "'");
	ft_expect(doc, "kind", "'artist'");
	ft_expect(doc, "disambiguation", "null");
	ft_expect(doc, "gender", "null");
	ft_expect(doc, "begin_area",
		  "{'id':'a640b45c-c173-49b1-8030-973603e895b5','name':'Aberdeen'}");
	ft_expect(doc, "end_area", "null");
	ft_expect(doc, "life_span", "{'begin':'1987','end':'1994-04','ended':true}");
	ft_expect(doc, "ipis", "[]");
	ft_expect(doc, "isnis", "['0000000123486830']");
	ft_expect(doc, "aliases[0]",
		  "{'name':'Nirvana US','sort_name':'Nirvana US','locale':'en',"
		  "'primary':true,'type':'Artist name','begin':null,'end':null}");
	ft_expect(doc, "aliases[1]",
		  "{'name':'Nirvana (US)','sort_name':'Nirvana (US)',"
		  "'locale':null,'primary':false,'type':'Search hint',"
		  "'begin':'1988','end':null}");
	ft_expect(doc, "genres",
		  "[{'name':'alternative rock','count':12},{'name':'grunge','count':12},"
		  "{'name':'rock','count':3},{'name':'punk','count':0}]");
	ft_expect(doc, "tags", "[]");
	ft_expect(doc, "rating", "{'value':4.5,'votes':10}");
	ft_expect(doc, "links",
		  "[{'type':'free streaming',"
		  "'url':'https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh','ended':false},"
		  "{'type':'wikidata','url':'https://www.wikidata.org/wiki/Q11649','ended':null},"
		  "{'type':'discogs','url':'https://www.discogs.com/artist/125246-Nirvana',"
		  "'ended':null},"
		  "{'type':'discogs','url':'https://www.discogs.com/artist/125246','ended':null},"
		  "{'type':null,'url':'https://nirvana.com/','ended':null}]");
	ft_expect(doc, "external_ids",
		  "{'spotify':['6olE6TJLqED3rqDCT0FyPh'],'wikidata':['Q11649'],"
		  "'discogs':['125246']}");
	cJSON_Delete(doc);
}

static const char rg_body[] =
	"{'id':'1b022e01-4da6-387b-8658-8678046e4cef','title':'Nevermind','disambiguation':'',"
	"'primary-type':'Album','secondary-types':['Compilation',null,'Live'],"
	"'first-release-date':'1991-09','artist-credit':[{'name':'DJ Muggs','joinphrase':' vs. ',"
	"'artist':{'id':'d9c25451-bec6-4273-abe2-15ce0f0e0621','name':'DJ Muggs',"
	"'sort-name':'Muggs, DJ','disambiguation':''}},{'joinphrase':'',"
	"'artist':{'id':'c7e90641-f441-4801-8e4a-d09e10f452b8','name':'Ill Bill'}},'&',"
	"{'name':'Nobody','artist':{'id':'nope'}}],"
	"'rating':{'value':null,'votes-count':0},"
	"'releases':[{'id':'a4864e94-6d75-4ade-bc93-0dabf3521453','title':'Nevermind',"
	"'status':'Official','date':'1991-09-24','country':'US','barcode':''},"
	"{'id':'not-an-mbid','title':'Skipped'},[],{'id':'2a0e1d5c-5c8a-4e6e-a9c6-4f2a1b2b9d11',"
	"'title':'Nevermind','date':'','country':null}]}";

static void test_release_group(void **state)
{
	cJSON *doc = parse_ok(P_LOOKUP, MB_RELEASE_GROUP, rg_body);

	(void)state;
	ft_expect(doc, "kind", "'release-group'");
	ft_expect(doc, "secondary_types", "['Compilation','Live']");
	ft_expect(doc, "first_release_date", "'1991-09'");
	ft_expect(doc, "artist_credit[0]",
		  "{'name':'DJ Muggs','join_phrase':' vs. ','artist':"
		  "{'id':'d9c25451-bec6-4273-abe2-15ce0f0e0621','name':'DJ Muggs',"
		  "'sort_name':'Muggs, DJ','disambiguation':null}}");
	ft_expect(doc, "artist_credit[1].name", "'Ill Bill'");
	ft_expect(doc, "artist_credit[2]", "{'name':'Nobody','join_phrase':'','artist':null}");
	ft_expect(doc, "artist_credit_name", "'DJ Muggs vs. Ill BillNobody'");
	ft_expect(doc, "rating", "null");
	ft_expect(doc, "aliases", "[]");
	ft_expect(doc, "links", "[]");
	ft_expect(doc, "external_ids", "{}");
	ft_expect(
		doc, "releases",
		"[{'id':'a4864e94-6d75-4ade-bc93-0dabf3521453','title':'Nevermind',"
		"'disambiguation':null,'status':'Official','date':'1991-09-24','country':'US',"
		"'barcode':''},{'id':'2a0e1d5c-5c8a-4e6e-a9c6-4f2a1b2b9d11','title':'Nevermind',"
		"'disambiguation':null,'status':null,'date':null,'country':null,'barcode':null}]");
	cJSON_Delete(doc);
}

static const char release_body[] =
	"{'id':'fba5f8fe-c6c8-4511-8562-c9febf482674','title':'OK Computer','status':'Official',"
	"'date':'1997','country':'GB','barcode':'724385522949','packaging':null,"
	"'text-representation':{'language':'eng','script':'Latn'},"
	"'release-group':{'id':'b1392450-e666-3926-a536-22c65f834433','title':'OK Computer',"
	"'primary-type':'Album','secondary-types':[],'first-release-date':'1997-05-21'},"
	"'release-events':[{'date':'1997-06-16','area':{"
	"'id':'8a754a16-0027-3a29-b6d7-2b40ea0481ed',"
	"'name':'United Kingdom','iso-3166-1-codes':['GB']}}],"
	"'label-info':[{'catalog-number':'NODATA 02','label':{'id':"
	"'df7d1c7f-ef95-425f-8eef-445b3d7bcbd9','name':'Parlophone'}},{'catalog-number':'',"
	"'label':null}],'cover-art-archive':{'artwork':true,'front':true,'back':false,'count':1},"
	"'media':[{'position':1,'format':'Cassette','title':'','track-count':2,"
	"'discs':[{'id':'nN2g3a0ZSjovyIgK3bJl6_.j8C4-'}],'tracks':["
	"{'id':'a31f27a1-dfd8-38cc-958a-07f3af52fc25','position':1,'number':'A1','title':'Airbag',"
	"'length':284400,'recording':{'id':'b1a9c0e9-d987-4042-ae91-78d6a3267d69',"
	"'title':'Airbag','length':284000,'video':false,'isrcs':['GBAYE9700139','GBAYE9700139x']}},"
	"{'id':'bad','position':2.5,'number':'A2','title':'Paranoid Android','length':-5},'x']},"
	"{'position':2,'format':'CD','track-count':1,'tracks':[]}]}";

static void test_release(void **state)
{
	cJSON *doc = parse_ok(P_LOOKUP, MB_RELEASE, release_body);

	(void)state;
	ft_expect(doc, "date", "'1997'");
	ft_expect(doc, "packaging", "null");
	ft_expect(doc, "text_representation", "{'language':'eng','script':'Latn'}");
	ft_expect(doc, "release_group",
		  "{'id':'b1392450-e666-3926-a536-22c65f834433',"
		  "'title':'OK Computer','primary_type':'Album',"
		  "'secondary_types':[],'first_release_date':'1997-05-21'}");
	ft_expect(doc, "release_events",
		  "[{'date':'1997-06-16','country':'GB','area':"
		  "{'id':'8a754a16-0027-3a29-b6d7-2b40ea0481ed',"
		  "'name':'United Kingdom'}}]");
	ft_expect(doc, "label_info",
		  "[{'catalog_number':'NODATA 02','label':{'id':"
		  "'df7d1c7f-ef95-425f-8eef-445b3d7bcbd9','name':'Parlophone'}},"
		  "{'catalog_number':null,'label':null}]");
	ft_expect(doc, "media[0].title", "null");
	ft_expect(doc, "media[0].disc_ids", "['nN2g3a0ZSjovyIgK3bJl6_.j8C4-']");
	ft_expect(doc, "media[0].tracks[0].recording",
		  "{'id':'b1a9c0e9-d987-4042-ae91-78d6a3267d69','title':'Airbag',"
		  "'disambiguation':null,'length_ms':284000,'video':false,"
		  "'isrcs':['GBAYE9700139','GBAYE9700139x']}");
	ft_expect(doc, "media[0].tracks[0].length_ms", "284400");
	ft_expect(doc, "media[0].tracks[1]",
		  "{'id':null,'position':null,'number':'A2',"
		  "'title':'Paranoid Android','length_ms':null,"
		  "'artist_credit':[],'artist_credit_name':null,"
		  "'recording':null}");
	ft_expect(doc, "media[1].tracks", "[]");
	ft_expect(doc, "track_count", "3");
	ft_expect(doc, "cover_art_archive", "{'artwork':true,'front':true,'back':false,'count':1}");
	cJSON_Delete(doc);
}

static const char recording_body[] =
	"{'id':'9408b8ce-9b95-4fb0-ac70-595d054a15c6','title':'Alone Again Or','length':204480,"
	"'video':true,'first-release-date':'2003-06-30','isrcs':['DEA620300123'],"
	"'releases':[{'id':'46888c28-6d39-4146-a82c-700f74fa0792','title':'Alone Again Or',"
	"'status':'Official','date':'2003-06-30','country':'DE','release-group':{'id':"
	"'5f8bd1d7-5b2e-4c3c-b68f-3c0ad9e4b6d1','primary-type':'Single'}},{'title':'no id'}]}";

static void test_recording(void **state)
{
	cJSON *doc = parse_ok(P_LOOKUP, MB_RECORDING, recording_body);

	(void)state;
	ft_expect(doc, "length_ms", "204480");
	ft_expect(doc, "video", "true");
	ft_expect(doc, "isrcs", "['DEA620300123']");
	ft_expect(doc, "artist_credit", "[]");
	ft_expect(doc, "artist_credit_name", "null");
	ft_expect(doc, "rating", "null");
	ft_expect(doc, "releases",
		  "[{'id':'46888c28-6d39-4146-a82c-700f74fa0792',"
		  "'title':'Alone Again Or','status':'Official','date':'2003-06-30',"
		  "'country':'DE','release_group':{'id':"
		  "'5f8bd1d7-5b2e-4c3c-b68f-3c0ad9e4b6d1','title':null,"
		  "'primary_type':'Single','secondary_types':[],"
		  "'first_release_date':null}}]");
	cJSON_Delete(doc);
}

static void test_merged_id_kept(void **state)
{
	/* A lookup of a merged MBID answers with the surviving entity: keep its id. */
	cJSON *doc = parse_ok(P_LOOKUP, MB_ARTIST,
			      "{'id':'72c536dc-7137-4477-a521-567eeb840fa8','name':'Bob Dylan'}");

	(void)state;
	ft_expect(doc, "id", "'72c536dc-7137-4477-a521-567eeb840fa8'");
	ft_expect(doc, "aliases", "[]");
	ft_expect(doc, "life_span", "{'begin':null,'end':null,'ended':null}");
	cJSON_Delete(doc);
}

static void test_search(void **state)
{
	cJSON *doc =
		parse_ok(P_SEARCH, MB_ARTIST,
			 "{'created':'2018-09-16T22:56:56.615Z','count':1123,'offset':25,"
			 "'artists':[{'id':'65314b12-0e08-43fa-ba33-baaa7b874c15','score':100,"
			 "'name':'Leonard Cohen','gender':'male','life-span':{'ended':null}},"
			 "{'id':'bad','score':90},{'id':'" NIRVANA "','score':'95','name':'N'},"
			 "{'id':'1f40c6e1-47ba-4e35-996f-fe6ee5840e62','score':1e9}]}");

	(void)state;
	ft_expect(doc, "id", "null");
	ft_expect(doc, "kind", "'search'");
	ft_expect(doc, "type", "'artist'");
	ft_expect(doc, "count", "1123");
	ft_expect(doc, "offset", "25");
	assert_int_equal(cJSON_GetArraySize(ft_at(doc, "results")), 3);
	ft_expect(doc, "results[0].score", "100");
	ft_expect(doc, "results[0].name", "'Leonard Cohen'");
	ft_expect(doc, "results[0].links", "[]");
	ft_expect(doc, "results[1].score", "95");
	ft_expect(doc, "results[2].score", "null");
	cJSON_Delete(doc);
}

static void test_browse(void **state)
{
	cJSON *doc = parse_ok(P_BROWSE, MB_RELEASE_GROUP,
			      "{'release-group-count':8,'release-group-offset':0,'release-groups':["
			      "{'id':'25a1b56e-24a4-3bd7-aca7-2c4bb4923585','title':'Pack of 4',"
			      "'primary-type':'EP','first-release-date':'','secondary-types':[],"
			      "'rating':{'value':4.65,'votes-count':3}},null]}");

	(void)state;
	ft_expect(doc, "kind", "'release-group-list'");
	ft_expect(doc, "id", "null");
	ft_expect(doc, "count", "8");
	ft_expect(doc, "offset", "0");
	ft_expect(doc, "release_groups[0]",
		  "{'id':'25a1b56e-24a4-3bd7-aca7-2c4bb4923585','kind':'release-group',"
		  "'title':'Pack of 4','disambiguation':null,'primary_type':'EP',"
		  "'secondary_types':[],'first_release_date':null,'artist_credit':[],"
		  "'artist_credit_name':null,'genres':[],'tags':[],"
		  "'rating':{'value':4.65,'votes':3}}");
	assert_int_equal(cJSON_GetArraySize(ft_at(doc, "release_groups")), 1);
	cJSON_Delete(doc);
}

/* ---- external ids from URL forms ---------------------------------------- */

static const struct {
	const char *url, *ns, *id; /* ns NULL: no id expected */
} ext_cases[] = {
	{"https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh", "spotify",
	 "6olE6TJLqED3rqDCT0FyPh"},
	{"https://open.spotify.com/intl-de/album/4LH4d3cOWNNsVw41Gqt2kv?si=x", "spotify",
	 "4LH4d3cOWNNsVw41Gqt2kv"},
	{"HTTPS://OPEN.SPOTIFY.COM/artist/6olE", "spotify", "6olE"},
	{"https://open.spotify.com:443/track/abc", "spotify", "abc"},
	{"https://artists.spotify.com/songwriter/1d77BnaN7rMcHBcqA6YSR3", NULL, NULL},
	{"https://open.spotify.com/artist/", NULL, NULL},
	{"https://user@open.spotify.com/artist/abc", NULL, NULL},
	{"https://www.wikidata.org/wiki/Q123", "wikidata", "Q123"},
	{"http://wikidata.org/entity/Q42", "wikidata", "Q42"},
	{"https://www.wikidata.org/wiki/Special:Random", NULL, NULL},
	{"https://www.discogs.com/artist/123-Name", "discogs", "123"},
	{"https://www.discogs.com/Nirvana-Nevermind/master/13814", "discogs", "13814"},
	{"https://www.discogs.com/release/abc", NULL, NULL},
	{"https://www.deezer.com/artist/27", "deezer", "27"},
	{"https://www.deezer.com/en/album/302127", "deezer", "302127"},
	{"https://www.deezer.com/artist/27x", NULL, NULL},
	{"https://music.apple.com/us/artist/name/123", "apple_music", "123"},
	{"https://music.apple.com/de/artist/462006", "apple_music", "462006"},
	{"https://itunes.apple.com/us/artist/id112018", "apple_music", "112018"},
	{"https://itunes.apple.com/gb/album/nevermind/id1440783617?i=1", "apple_music",
	 "1440783617"},
	{"https://www.allmusic.com/artist/mn0000357406", "allmusic", "mn0000357406"},
	{"https://www.allmusic.com/album/nevermind-mw0000185616", "allmusic", "mw0000185616"},
	{"https://www.allmusic.com/artist/nirvana", NULL, NULL},
	{"https://www.last.fm/music/Bob+Dylan", "lastfm", "Bob Dylan"},
	{"https://www.last.fm/music/Sigur%20R%C3%B3s", "lastfm", "Sigur R\xc3\xb3s"},
	{"https://www.last.fm/music/x%00y", NULL, NULL},
	{"https://tidal.com/browse/artist/80", "tidal", "80"},
	{"https://www.imdb.com/name/nm0001168/", "imdb", "nm0001168"},
	{"http://viaf.org/viaf/138573893", "viaf", "138573893"},
	{"https://www.songkick.com/artists/408511-bob-dylan", "songkick", "408511"},
	{"https://secondhandsongs.com/artist/158", "secondhandsongs", "158"},
	{"https://soundcloud.com/nirvana", "soundcloud", "nirvana"},
	{"https://nirvana.bandcamp.com/", "bandcamp", "nirvana"},
	{"https://a.b.bandcamp.com/", NULL, NULL},
	{"https://www.youtube.com/channel/UCnRI0ay61tY-fKYzzB3fCnw", "youtube",
	 "UCnRI0ay61tY-fKYzzB3fCnw"},
	{"https://www.youtube.com/user/NirvanaVEVO", NULL, NULL},
	{"ftp://open.spotify.com/artist/abc", NULL, NULL},
	{"https://www.amazon.com/gp/product/B007PYVADU", NULL, NULL},
};

static void test_external_ids(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ext_cases); i++) {
		char body[1024], want[256];
		cJSON *doc;

		snprintf(body, sizeof(body),
			 "{'id':'" NIRVANA "','relations':[{'target-type':'url','type':'t',"
			 "'url':{'resource':'%s'}}]}",
			 ext_cases[i].url);
		doc = parse_ok(P_LOOKUP, MB_RELEASE_GROUP, body);
		if (ext_cases[i].ns)
			snprintf(want, sizeof(want), "{'%s':['%s']}", ext_cases[i].ns,
				 ext_cases[i].id);
		else
			snprintf(want, sizeof(want), "{}");
		ft_expect(doc, "external_ids", want);
		cJSON_Delete(doc);
	}
}

/* ---- hostile input ------------------------------------------------------ */

/* Parse with every parser; any success must be a sound document. */
static void parse_any(const char *body, size_t len)
{
	for (int p = P_LOOKUP; p <= P_BROWSE; p++) {
		for (int e = 0; e < MB_ENTITY__COUNT; e++) {
			const char *why = NULL;
			cJSON *doc = NULL;
			enum err err =
				run((enum parser)p, (enum mb_entity)e, body, len, &doc, &why);

			if (err == ERR_OK) {
				check_doc(doc);
				cJSON_Delete(doc);
			} else {
				assert_null(doc);
				assert_non_null(why);
			}
		}
	}
}

static void test_hostile_bodies(void **state)
{
	static const char *const bodies[] = {
		"",
		"null",
		"[]",
		"[{}]",
		"\"str\"",
		"42",
		"{",
		"{}",
		"{'id':7}",
		"{'id':'not-an-mbid'}",
		"{'id':'" NIRVANA "'} x",
		"{'id':'" NIRVANA "','id':3}",
		"{'id':'" NIRVANA "','name':'\xff\xfe\xc0\xaf bad'}",
		"{'id':'" NIRVANA "','name':'\\ud800'}",
		"{'id':'" NIRVANA "','length':1e400,'rating':{'value':-1e400,'votes-count':1e300}}",
		"{'id':'" NIRVANA "','media':[{'position':1.5,'track-count':-1,'tracks':{}}]}",
		"{'id':'" NIRVANA "','artist-credit':{},'aliases':'x','relations':[[],null,{}]}",
		"{'artists':{},'release-groups':7,'releases':null,'recordings':[1,'x',[]]}",
		"{'release-groups':[{'id':'" NIRVANA "','artist-credit':[{'artist':[]}]}]}",
	};
	static const char nul_body[] = "{\"id\":\"" NIRVANA "\"}\0{}";
	char *deep = malloc(40001);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bodies); i++) {
		char *b = ft_sq(bodies[i]);

		parse_any(b, strlen(b));
		free(b);
	}
	parse_any(nul_body, sizeof(nul_body) - 1);
	memset(deep, '[', 20000);
	memset(deep + 20000, ']', 20000);
	deep[40000] = '\0';
	parse_any(deep, 40000);
	free(deep);
}

static void test_invalid_utf8_sanitized(void **state)
{
	cJSON *doc = parse_ok(P_LOOKUP, MB_ARTIST, "{'id':'" NIRVANA "','name':'a\xffz'}");

	(void)state;
	ft_expect(doc, "name", "'a\xef\xbf\xbdz'");
	cJSON_Delete(doc);
}

/* Replace each value of the tree, in turn, by each wrong type and parse the result. */
static void mutate_all(enum parser p, enum mb_entity e, cJSON *root, cJSON *node)
{
	static const char *const repl[] = {"null",  "true", "-1", "1e999",
					   "\"x\"", "[]",   "{}", "[null]"};
	cJSON *child;

	cJSON_ArrayForEach(child, node)
	{
		for (size_t i = 0; i < ARRAY_SIZE(repl); i++) {
			cJSON *saved = cJSON_Duplicate(child, 1);
			cJSON *r = cJSON_Parse(repl[i]);
			char *text;
			const char *why;
			cJSON *doc = NULL;

			if (!r) /* 1e999 does not parse back: use a huge finite number */
				r = cJSON_CreateNumber(1e308);
			cJSON_ReplaceItemViaPointer(node, child, r);
			text = cJSON_PrintUnformatted(root);
			if (run(p, e, text, strlen(text), &doc, &why) == ERR_OK) {
				check_doc(doc);
				cJSON_Delete(doc);
			}
			cJSON_free(text);
			cJSON_ReplaceItemViaPointer(node, r, saved);
			child = saved;
		}
		mutate_all(p, e, root, child);
	}
}

static void test_wrong_types_everywhere(void **state)
{
	static const struct {
		enum parser p;
		enum mb_entity e;
		const char *body;
	} cases[] = {
		{P_LOOKUP, MB_ARTIST, artist_body},
		{P_LOOKUP, MB_RELEASE_GROUP, rg_body},
		{P_LOOKUP, MB_RELEASE, release_body},
		{P_LOOKUP, MB_RECORDING, recording_body},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *body = ft_sq(cases[i].body);
		cJSON *root = cJSON_Parse(body);

		assert_non_null(root);
		mutate_all(cases[i].p, cases[i].e, root, root);
		cJSON_Delete(root);
		free(body);
	}
}

static void test_body_cap(void **state)
{
	size_t n = MB_MAX_BODY_BYTES + 1;
	char *big = malloc(n);
	const char *why = NULL;
	cJSON *doc = NULL;

	(void)state;
	memset(big, ' ', n);
	assert_int_equal(mb_parse_lookup(MB_ARTIST, big, n, &doc, &why), ERR_TOO_LARGE);
	assert_null(doc);
	assert_string_equal(why, "body too large");
	assert_int_equal(mb_parse_search(MB_ARTIST, big, n, &doc, &why), ERR_TOO_LARGE);
	assert_int_equal(mb_parse_browse_release_groups(big, n, &doc, &why), ERR_TOO_LARGE);
	free(big);
}

/* The url lookup: relations to the four entity kinds, others skipped, the URL encoded. */
static void test_url_lookup(void **state)
{
	struct buf b;
	cJSON *doc;
	const char *why = NULL;
	char *body = ft_sq("{'id':'9559e613-8636-5e12-83d2-9d74b597823b','resource':'https://"
			   "www.deezer.com/artist/1',"
			   "'relations':[{'type':'free streaming','target-type':'artist','artist':"
			   "{'id':'72C536DC-7137-4477-a521-567eeb840fa8','name':'Bob Dylan'}},"
			   "{'type':'x','target-type':'label','label':{'id':'72c536dc-7137-4477-"
			   "a521-567eeb840fa8'}},"
			   "{'type':'y','target-type':'release_group','release_group':"
			   "{'id':'f5a2e9ac-bd56-44f5-95fa-a267310d12ff','title':'Nevermind'}},"
			   "{'type':'z','target-type':'artist','artist':{'id':'not-an-mbid'}}]}");

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(
		mb_url_lookup_url("https://mb.test/ws/2", "https://www.deezer.com/artist/1", &b),
		ERR_OK);
	assert_string_equal(b.data,
			    "https://mb.test/ws/2/url?resource=https%3A%2F%2Fwww.deezer.com%2F"
			    "artist%2F1&inc=artist-rels+release-group-rels+release-rels+"
			    "recording-rels&fmt=json");
	buf_reset(&b);
	assert_int_equal(mb_url_lookup_url("https://mb.test/ws/2", "ftp://x", &b),
			 ERR_INVALID_ARGUMENT);
	buf_release(&b);
	assert_int_equal(mb_parse_url(body, strlen(body), &doc, &why), ERR_OK);
	check_doc(doc);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "relations")), 2);
	assert_string_equal(
		ft_str(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "relations"), 0), "id"),
		"72c536dc-7137-4477-a521-567eeb840fa8");
	assert_string_equal(
		ft_str(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "relations"), 1), "kind"),
		"release-group");
	cJSON_Delete(doc);
	free(body);
	assert_int_equal(mb_parse_url("{}", 2, &doc, &why), ERR_INVALID_ARGUMENT);
	assert_null(doc);
}

static void test_error_bodies(void **state)
{
	static const struct {
		const char *body;
		size_t size;
		enum err want;
		const char *msg;
	} cases[] = {
		{"{'error':'Not Found','help':'x'}", 64, ERR_OK, "Not Found"},
		{"{'error':'a\\nb\\tc'}", 64, ERR_OK, "a b c"},
		{"{'error':'\xc3\xa9\xc3\xa9\xc3\xa9'}", 4, ERR_OK, "\xc3\xa9"},
		{"{'error':'abcdef'}", 4, ERR_OK, "abc"},
		{"{'error':'x\xff'}", 64, ERR_OK, "x\xef\xbf\xbd"},
		{"{'error':7}", 64, ERR_INVALID_ARGUMENT, ""},
		{"{'id':'x'}", 64, ERR_INVALID_ARGUMENT, ""},
		{"<html>502</html>", 64, ERR_INVALID_ARGUMENT, ""},
		{"", 64, ERR_INVALID_ARGUMENT, ""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *body = ft_sq(cases[i].body);
		char msg[64];

		assert_int_equal(mb_parse_error(body, strlen(body), msg, cases[i].size),
				 cases[i].want);
		assert_string_equal(msg, cases[i].msg);
		free(body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_mbids),
		cmocka_unit_test(test_entity_names),
		cmocka_unit_test(test_artist),
		cmocka_unit_test(test_release_group),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_recording),
		cmocka_unit_test(test_merged_id_kept),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_browse),
		cmocka_unit_test(test_external_ids),
		cmocka_unit_test(test_hostile_bodies),
		cmocka_unit_test(test_invalid_utf8_sanitized),
		cmocka_unit_test(test_wrong_types_everywhere),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_error_bodies),
		cmocka_unit_test(test_url_lookup),
	};

	json_init();
	return cmocka_run_group_tests_name("musicbrainz", tests, NULL, NULL);
}
