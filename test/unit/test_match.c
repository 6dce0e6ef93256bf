/*
 * test_match.c - the matcher: normalization, similarity, identifier forms,
 * the artist / album / track judges, match_best() and the link ids.
 *
 * MusicBrainz documents are made the real way: a small body in
 * MusicBrainz's own format (single quotes for readability, see ft_sq()) goes
 * through mb_parse_lookup(). Fragments start from fragment_new_entity() and
 * get members from a quoted object, and must pass fragment_check(), so the
 * cases use the shapes the providers' parsers produce. The cases are the
 * tricky ones of real catalogues: sort names, diacritics, AC/DC, two bands
 * called Nirvana, remaster suffixes, durations at the tolerance, UPC-A
 * against EAN-13, ties, and hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/match.h"
#include "medley/musicbrainz.h"
#include "fragment_testing.h"

#define US_NIRVANA "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
#define UK_NIRVANA "9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6"
#define BEATLES "b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d"
#define ABBEY_RG "9162580e-5df4-32de-80cc-f45a8d8a9b1d"
#define ABBEY_REL "7d8db2a5-2f1f-4f1d-a2c3-3a0e4c5e9b6a"
#define REC_ID "e3f3c2d4-1c1b-4a3e-9e8d-2f6a7b8c9d0e"
#define OTHER_ID "00000000-1111-2222-3333-444444444444"

/* A MusicBrainz document from a lookup body in MusicBrainz's format. */
static cJSON *mb(enum mb_entity e, const char *quoted)
{
	char *body = ft_sq(quoted);
	const char *why = NULL;
	cJSON *doc = NULL;

	if (mb_parse_lookup(e, body, strlen(body), &doc, &why) != ERR_OK)
		fail_msg("lookup body refused: %s", why ? why : "?");
	free(body);
	return doc;
}

/* A well-shaped fragment: fragment_new_entity() with members replaced by those of quoted. */
static cJSON *frag(const char *kind, const char *provider, const char *id, const char *quoted)
{
	cJSON *f = fragment_new_entity(provider, kind, id);
	cJSON *m = quoted ? ft_json(quoted) : NULL;
	const cJSON *c;
	char where[200];

	cJSON_ArrayForEach(c, m)
	{
		cJSON_ReplaceItemInObjectCaseSensitive(f, c->string, cJSON_Duplicate(c, 1));
	}
	cJSON_Delete(m);
	if (fragment_check(f, where, sizeof(where)) != ERR_OK)
		fail_msg("test fragment is not well shaped: %s", where);
	return f;
}

/* cJSON_Delete() each argument, up to a NULL. */
static void del(cJSON *first, ...)
{
	va_list ap;

	va_start(ap, first);
	for (cJSON *j = first; j; j = va_arg(ap, cJSON *))
		cJSON_Delete(j);
	va_end(ap);
}

static void expect(const struct match_result *r, bool accepted, enum match_method m,
		   const char *why_part)
{
	if (r->accepted != accepted || r->method != m || !r->why ||
	    (why_part && !strstr(r->why, why_part)))
		fail_msg("got %s %s %.3f '%s', want %s %s '%s'",
			 r->accepted ? "accepted" : "rejected", match_method_name(r->method),
			 r->score, r->why ? r->why : "(null)", accepted ? "accepted" : "rejected",
			 match_method_name(m), why_part ? why_part : "*");
	assert_true(r->score >= 0.0 && r->score <= 1.0);
}

/* ---- names, methods, options --------------------------------------------- */

static void test_methods(void **state)
{
	enum match_method m;

	(void)state;
	assert_string_equal(match_method_name(MATCH_MB_RELATION), "mb_relation");
	assert_string_equal(match_method_name(MATCH_ISRC), "isrc");
	assert_string_equal(match_method_name(MATCH_UPC), "upc");
	assert_string_equal(match_method_name(MATCH_MBID), "mbid");
	assert_string_equal(match_method_name(MATCH_MB_URL), "mb_url");
	assert_string_equal(match_method_name(MATCH_SEARCH), "search");
	assert_null(match_method_name(MATCH_METHOD__COUNT));
	for (int i = 0; i < MATCH_METHOD__COUNT; i++) {
		assert_int_equal(
			match_method_from_name(match_method_name((enum match_method)i), &m),
			ERR_OK);
		assert_int_equal(m, i);
	}
	assert_int_equal(match_method_from_name("MBID", &m), ERR_INVALID_ARGUMENT);
	assert_int_equal(match_method_from_name(NULL, &m), ERR_INVALID_ARGUMENT);
	assert_true(match_opts_default().threshold == 0.85);
	assert_int_equal(match_opts_default().duration_tolerance_ms, 3000);
}

/* ---- normalization -------------------------------------------------------- */

struct norm_case {
	const char *in, *want;
};

static const struct norm_case name_cases[] = {
	{"The Beatles", "beatles"},
	{"Beatles, The", "beatles"},
	{"beatles ,  the  ", "beatles"},
	{"The The", "the"},
	{"The", "the"},
	{"Theatre of Tragedy", "theatre of tragedy"},
	{"Beyonc\xc3\xa9", "beyonce"},
	{"Beyonce\xcc\x81", "beyonce"}, /* decomposed: e + combining acute */
	{"AC/DC", "ac dc"},
	{"Guns N' Roses", "guns n roses"},
	{"Guns N\xe2\x80\x99 Roses", "guns n roses"},
	{"Simon & Garfunkel", "simon and garfunkel"},
	{"Florence + the Machine", "florence and the machine"},
	{"Sigur R\xc3\xb3s", "sigur ros"},
	{"Mot\xc3\xb6rhead", "motorhead"},
	{"H\xc3\xbcsker D\xc3\xbc", "husker du"},
	{"Die \xc3\x84rzte", "die arzte"},
	{"Stra\xc3\x9f"
	 "e",
	 "strasse"},
	{"\xc3\x86ther", "aether"},
	{"M\xc3\xb8", "mo"},
	{"\xc5\x81ona", "lona"},
	{"\xc5\x92uvre", "oeuvre"},
	{"\xc3\x9e\xc3\xb3r", "thor"},
	{"\xc4\xb0stanbul", "istanbul"},
	{"\xc8\x98tefan", "stefan"},
	{"Bj\xc3\xb6rk", "bjork"},
	{"Ke$ha", "kesha"},
	{"\xe2\x80\x9cWeird Al\xe2\x80\x9d Yankovic", "weird al yankovic"},
	{"  Too   many\tspaces\n", "too many spaces"},
	{"R.E.M.", "r e m"},
	{"Sunn O)))", "sunn o"},
	{"\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc"}, /* fullwidth ABC */
	{"\xe6\x9d\xb1\xe4\xba\xac\xe4\xba\x8b\xe5\xa4\x89",
	 "\xe6\x9d\xb1\xe4\xba\xac\xe4\xba\x8b\xe5\xa4\x89"},
	{"\xd0\x94\xd0\x94\xd0\xa2", "\xd0\xb4\xd0\xb4\xd1\x82"},		  /* DDT */
	{"\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0", "\xd0\xb5\xd0\xbb\xd0\xba\xd0\xb0"}, /* Yolka */
	{"\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", "\xce\xb1\xce\xb8\xce\xae\xce\xbd\xce\xb1"},
	{"Bad\xff Name\xc3", "bad name"},
	{"zero\xe2\x80\x8bwidth", "zerowidth"},
	{"!!!", ""},
	{"", ""},
};

static const struct norm_case title_cases[] = {
	{"Help! (Remastered 2009)", "help"},
	{"Help! - 2009 Remaster", "help"},
	{"Help! - Remastered 2009", "help"},
	{"Help! [Live]", "help"},
	{"Help! (feat. Billy Preston)", "help"},
	{"Help! (Deluxe Edition)", "help"},
	{"Help! (Super Deluxe)", "help"},
	{"Help! (50th Anniversary Edition)", "help"},
	{"Help! (Remix)", "help remix"},
	{"Love Story (Taylor's Version)", "love story taylors version"},
	{"Song (feat. X) [Remastered]", "song"},
	{"Song [2011 Remaster] (Live)", "song"},
	{"Song (Remix) - 2011 Remaster", "song remix"},
	{"Title \xe2\x80\x93 2011 Remaster", "title"},
	{"Title \xe2\x80\x94 Live at Wembley", "title"},
	{"Song - Radio Edit", "song"},
	{"Song - Single Version", "song"},
	{"Song (Mono)", "song"},
	{"Song (Explicit)", "song"},
	{"Song (With Kendrick Lamar)", "song"},
	{"Song (Without You)", "song without you"},
	{"Hey Jude - Remastered 2015", "hey jude"},
	{"Live Forever", "live forever"},
	{"(Live)", "live"},
	{"- Live", "live"},
	{"Song - Part 2", "song part 2"},
	{"The Wall (Remastered)", "wall"},
	{"Song ((Live))", "song"},
	{"Song (Live", "song live"},
	{"Song Live)", "song live"},
};

static void check_norm(const struct norm_case *cases, size_t n, bool title)
{
	for (size_t i = 0; i < n; i++) {
		struct buf b;

		buf_init(&b, 4096);
		assert_int_equal(title ? match_normalize_title(cases[i].in, &b)
				       : match_normalize_name(cases[i].in, &b),
				 ERR_OK);
		if (strcmp(b.data, cases[i].want) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i].in, b.data, cases[i].want);
		buf_release(&b);
	}
}

static void test_normalize_name(void **state)
{
	(void)state;
	check_norm(name_cases, ARRAY_SIZE(name_cases), false);
}

static void test_normalize_title(void **state)
{
	(void)state;
	check_norm(title_cases, ARRAY_SIZE(title_cases), true);
}

static void test_normalize_limits(void **state)
{
	char big[4096];
	struct buf b;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(match_normalize_name(NULL, &b), ERR_OK);
	assert_string_equal(b.data, "");
	buf_release(&b);

	buf_init(&b, 3); /* too small */
	assert_int_equal(match_normalize_name("Nirvana", &b), ERR_TOO_LARGE);
	buf_release(&b);

	memset(big, '&', sizeof(big) - 1); /* each "&" would become " and " */
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 1 << 20);
	assert_int_equal(match_normalize_title(big, &b), ERR_OK);
	assert_true(b.len <= 4 * MATCH_MAX_TEXT_BYTES); /* only 512 bytes read */
	buf_release(&b);
}

/* ---- similarity ------------------------------------------------------------ */

struct sim_case {
	const char *a, *b;
	double min, max;
};

static const struct sim_case sim_cases[] = {
	{"beatles", "beatles", 1.0, 1.0},
	{"", "", 1.0, 1.0},
	{"", "a", 0.0, 0.0},
	{"bob dylan", "dylan bob", 1.0, 1.0},
	{"ac dc", "acdc", 1.0, 1.0},
	{"r e m", "rem", 1.0, 1.0},
	{"guns n roses", "guns and roses", 0.85, 0.9},
	{"queen", "queen latifah", 0.3, 0.5},
	{"nirvana", "nirvana uk", 0.7, 0.8},
	{"beyonce", "beyonc", 0.85, 0.9},
	{"abc", "xyz", 0.0, 0.0},
	{"\xe6\x9d\xb1\xe4\xba\xac", "\xe6\x9d\xb1\xe4\xba\xac\xe4\xba\x8b", 0.66, 0.67},
};

static void test_similarity(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sim_cases); i++) {
		const struct sim_case *c = &sim_cases[i];
		double ab = match_similarity(c->a, c->b), ba = match_similarity(c->b, c->a);

		if (ab != ba || ab < c->min || ab > c->max)
			fail_msg("'%s' ~ '%s': %.4f / %.4f, want %.2f..%.2f", c->a, c->b, ab, ba,
				 c->min, c->max);
	}
	assert_true(match_similarity(NULL, NULL) == 1.0);
	assert_true(match_similarity(NULL, "x") == 0.0);
}

/* Long strings cost a bounded time: only MATCH_MAX_TEXT_BYTES of each are read. */
static void test_similarity_bounded(void **state)
{
	size_t n = 1 << 20;
	char *a = malloc(n + 1), *b = malloc(n + 1);
	clock_t t0 = clock();
	double s;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		a[i] = (char)('a' + i % 26);
		b[i] = (char)(i % 3 ? 'a' + i % 7 : ' ');
	}
	a[n] = b[n] = '\0';
	for (int i = 0; i < 10; i++) {
		s = match_similarity(a, b);
		assert_true(s >= 0.0 && s <= 1.0);
		assert_true(s == match_similarity(b, a));
	}
	assert_true(match_similarity(a, a) == 1.0);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(a);
	free(b);
}

/* ---- identifier forms -------------------------------------------------------- */

static void test_codes(void **state)
{
	static const struct {
		const char *in, *want;
	} isrcs[] = {
		{"USRC17607839", "USRC17607839"}, {"US-RC1-76-07839", "USRC17607839"},
		{"usrc17607839", "USRC17607839"}, {"USRC1760783", NULL},
		{"USRC176078390", NULL},	  {"1SRC17607839", NULL},
		{"USRC1760783X", NULL},		  {"", NULL},
	};
	static const struct {
		const char *in, *want;
	} upcs[] = {
		{"602475093060", "602475093060"},
		{"0602475093060", "602475093060"},
		{"00602475093060", "602475093060"},
		{"60247-50930-60", "602475093060"},
		{"5099902987620", "5099902987620"},
		{"01234565", "000001234565"},
		{"1234567", NULL},
		{"000000000000", NULL},
		{"123456789012345", NULL},
		{"60247509306X", NULL},
		{"", NULL},
	};
	char out[15];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(isrcs); i++) {
		enum err e = match_normalize_isrc(isrcs[i].in, out);

		if (isrcs[i].want) {
			assert_int_equal(e, ERR_OK);
			assert_string_equal(out, isrcs[i].want);
		} else {
			assert_int_equal(e, ERR_INVALID_ARGUMENT);
			assert_string_equal(out, "");
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(upcs); i++) {
		enum err e = match_normalize_upc(upcs[i].in, out);

		if (upcs[i].want) {
			assert_int_equal(e, ERR_OK);
			assert_string_equal(out, upcs[i].want);
		} else {
			assert_int_equal(e, ERR_INVALID_ARGUMENT);
			assert_string_equal(out, "");
		}
	}
	assert_int_equal(match_normalize_isrc(NULL, out), ERR_INVALID_ARGUMENT);
	assert_int_equal(match_normalize_upc(NULL, out), ERR_INVALID_ARGUMENT);
}

/* ---- artists ------------------------------------------------------------------- */

static cJSON *us_nirvana(void)
{
	return mb(MB_ARTIST,
		  "{'id': '" US_NIRVANA "', 'name': 'Nirvana', 'sort-name': 'Nirvana',"
		  " 'disambiguation': '90s US grunge band',"
		  " 'relations': ["
		  "  {'target-type': 'url', 'type': 'discogs',"
		  "   'url': {'resource': 'https://www.discogs.com/artist/125246-Nirvana'}},"
		  "  {'target-type': 'url', 'type': 'wikidata',"
		  "   'url': {'resource': 'https://www.wikidata.org/wiki/Q11649'}},"
		  "  {'target-type': 'url', 'type': 'last.fm',"
		  "   'url': {'resource': 'http://www.last.fm/music/Nirvana'}},"
		  "  {'target-type': 'url', 'type': 'free streaming',"
		  "   'url': {'resource': "
		  "'https://open.spotify.com/artist/6olE6TJLqED3rqDCT0FyPh'}}]}");
}

static cJSON *uk_nirvana(void)
{
	return mb(MB_ARTIST, "{'id': '" UK_NIRVANA "', 'name': 'Nirvana', 'sort-name': 'Nirvana',"
			     " 'disambiguation': '60s band from the UK'}");
}

static const char us_titles[] = "['Nevermind', 'In Utero', 'Bleach', 'Smells Like Teen Spirit',"
				" 'Come as You Are', 'Lithium (Remastered)', 'Heart-Shaped Box']";
static const char uk_titles[] = "['The Story of Simon Simopath', 'All of Us', 'Rainbow Chaser',"
				" 'Tiny Goddess', 'Pentecost Hotel']";

/* A Deezer artist with these top track titles (a JSON list of strings). */
static cJSON *deezer_artist(const char *id, const char *name, const char *titles)
{
	cJSON *list = ft_json(titles), *tracks = json_new_array(), *f;
	const cJSON *t;

	cJSON_ArrayForEach(t, list)
	{
		cJSON *item = json_new_object();

		json_add_string_or_null(item, "title", t->valuestring);
		json_add_null(item, "artist");
		json_add_null(item, "id");
		json_add_null(item, "mbid");
		json_add_null(item, "isrc");
		json_add_null(item, "duration_ms");
		json_add_null(item, "url");
		json_add_null(item, "rank");
		json_append(tracks, item);
	}
	f = fragment_new_entity("deezer", "artist", id);
	cJSON_ReplaceItemInObjectCaseSensitive(f, "name", json_new_string(name));
	cJSON_ReplaceItemInObjectCaseSensitive(f, "top_tracks", tracks);
	cJSON_Delete(list);
	assert_int_equal(fragment_check(f, NULL, 0), ERR_OK);
	return f;
}

static void test_artist_two_nirvanas(void **state)
{
	cJSON *us = us_nirvana(), *uk = uk_nirvana();
	cJSON *us_titles_json = ft_json(us_titles), *uk_titles_json = ft_json(uk_titles);
	cJSON *grunge = deezer_artist("415", "Nirvana",
				      "['Smells Like Teen Spirit', 'Come As You Are',"
				      " 'Lithium', 'Heart Shaped Box']");
	cJSON *sixties = deezer_artist("1250", "Nirvana", "['Rainbow Chaser', 'Tiny Goddess']");
	struct match_evidence us_ev = {.mb_titles = {us_titles_json}};
	struct match_evidence uk_ev = {.mb_titles = {uk_titles_json}};
	struct match_result r;

	(void)state;
	match_artist(us, grunge, &us_ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, "titles in common");
	assert_true(r.score > 0.99); /* exact name, 4 titles */
	match_artist(us, sixties, &us_ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "name only, no corroboration");
	match_artist(uk, sixties, &uk_ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	assert_true(r.score > 0.89 && r.score < 0.91); /* exact name, 2 titles */
	match_artist(uk, grunge, &uk_ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "name only");
	match_artist(us, grunge, NULL, NULL, &r); /* no evidence: never on the name alone */
	expect(&r, false, MATCH_SEARCH, "name only");
	del(us, uk, us_titles_json, uk_titles_json, grunge, sixties, NULL);
}

struct name_case {
	const char *mb_name, *mb_sort, *cand;
	bool accepted;
};

static const struct name_case artist_names[] = {
	{"The Beatles", "Beatles, The", "Beatles", true},
	{"The Beatles", "Beatles, The", "The Beatles", true},
	{"Beyonc\xc3\xa9", "Beyonc\xc3\xa9", "Beyonce", true},
	{"AC/DC", "AC/DC", "ACDC", true},
	{"Guns N\\u0027 Roses", "Guns N\\u0027 Roses", "Guns N Roses", true},
	{"Bob Dylan", "Dylan, Bob", "Dylan, Bob", true},
	{"Sigur R\xc3\xb3s", "Sigur R\xc3\xb3s", "SIGUR ROS", true},
	{"Queen", "Queen", "Queen Latifah", false},
	{"Nirvana", "Nirvana", "Nirvana UK", false},
	{"!!!", "!!!", "!!!", true},
};

static void test_artist_names(void **state)
{
	cJSON *titles = ft_json("['Song One', 'Song Two', 'Song Three']");
	struct match_evidence ev = {.mb_titles = {titles}};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(artist_names); i++) {
		const struct name_case *c = &artist_names[i];
		char body[512];
		cJSON *doc, *cand;
		struct match_result r;

		snprintf(body, sizeof(body), "{'id': '%s', 'name': '%s', 'sort-name': '%s'}",
			 BEATLES, c->mb_name, c->mb_sort);
		doc = mb(MB_ARTIST, body);
		cand = deezer_artist("1", c->cand, "['Song One', 'Song Two (Live)', 'Other']");
		match_artist(doc, cand, &ev, NULL, &r);
		if (r.accepted != c->accepted)
			fail_msg("'%s' vs '%s': %s (%s, %.3f)", c->mb_name, c->cand,
				 r.accepted ? "accepted" : "rejected", r.why, r.score);
		del(doc, cand, NULL);
	}
	cJSON_Delete(titles);
}

/* An alias is a name too. */
static void test_artist_alias(void **state)
{
	cJSON *doc =
		mb(MB_ARTIST, "{'id': '" BEATLES "', 'name': '\xe3\x83\x93\xe3\x83\xbc\xe3\x83"
			      "\x88\xe3\x83\xab\xe3\x82\xba', 'sort-name': 'x',"
			      " 'aliases': [{'name': 'The Beatles', 'sort-name': 'Beatles, The',"
			      " 'primary': true, 'locale': 'en'}]}");
	cJSON *titles = ft_json("['Help!', 'Yesterday']");
	cJSON *cand = deezer_artist("1", "The Beatles", "['Help! - Remastered 2009', 'Yesterday']");
	struct match_evidence ev = {.mb_titles = {titles}};
	struct match_result r;

	(void)state;
	match_artist(doc, cand, &ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	del(doc, titles, cand, NULL);
}

static void test_artist_weak_corroboration(void **state)
{
	cJSON *doc = us_nirvana();
	cJSON *titles = ft_json("['Intro', 'Outro', 'Interlude', 'Untitled', '1991', 'Nevermind',"
				" {'title': 'In Utero'}, {'name': 'Bleach'}, 42, null]");
	struct match_evidence ev = {.mb_titles = {titles}};
	cJSON *generic = deezer_artist("7", "Nirvana", "['Intro', 'Outro', 'Interlude', '1991']");
	cJSON *one = deezer_artist("8", "Nirvana", "['Nevermind', 'Something Else']");
	cJSON *objects = deezer_artist("9", "Nirvana", "['In Utero', 'Bleach']");
	struct match_result r;

	(void)state;
	match_artist(doc, generic, &ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "name only");
	match_artist(doc, one, &ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "one title");
	match_artist(doc, objects, &ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	del(doc, titles, generic, one, objects, NULL);
}

/* A name at 0.9 needs more titles than an exact one. */
static void test_artist_score_needs_titles(void **state)
{
	cJSON *doc = mb(MB_ARTIST, "{'id': '" BEATLES "', 'name': 'Beatlesz', 'sort-name': 'x'}");
	cJSON *titles = ft_json("['Aa One', 'Bb Two', 'Cc Three', 'Dd Four']");
	struct match_evidence ev = {.mb_titles = {titles}};
	cJSON *two = deezer_artist("1", "Beatles", "['Aa One', 'Bb Two']");
	cJSON *four = deezer_artist("2", "Beatles", "['Aa One', 'Bb Two', 'Cc Three', 'Dd Four']");
	struct match_result r;

	(void)state;
	match_artist(doc, two, &ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "below the threshold");
	match_artist(doc, four, &ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	del(doc, titles, two, four, NULL);
}

static void test_artist_hard_ids(void **state)
{
	cJSON *doc = us_nirvana();
	cJSON *by_mbid = frag("artist", "lastfm", "Nirvana",
			      "{'name': 'Totally Different', 'ids': {'mbid': ['" US_NIRVANA "']}}");
	cJSON *other_mbid = frag("artist", "lastfm", "Nirvana",
				 "{'name': 'Nirvana', 'ids': {'mbid': ['" UK_NIRVANA "']}}");
	cJSON *discogs = frag("artist", "discogs", "125246", "{'name': 'Nirvana (2)'}");
	cJSON *discogs_other = frag("artist", "discogs", "307513", "{'name': 'Nirvana'}");
	cJSON *by_qid = frag("artist", "theaudiodb", "111319",
			     "{'name': 'Nirvana', 'ids': {'wikidata': ['Q11649']}}");
	cJSON *by_url = frag("artist", "lastfm", "nirvana",
			     "{'name': 'Nirvana', 'url': 'https://www.last.fm/music/Nirvana'}");
	cJSON *spotify = frag("artist", "spotify", "6olE6TJLqED3rqDCT0FyPh", "{'name': 'x'}");
	struct match_result r;

	(void)state;
	match_artist(doc, by_mbid, NULL, NULL, &r);
	expect(&r, true, MATCH_MBID, NULL);
	assert_true(r.score == 1.0);
	match_artist(doc, other_mbid, NULL, NULL, &r);
	expect(&r, false, MATCH_MBID, "another MBID");
	match_artist(doc, discogs, NULL, NULL, &r);
	expect(&r, true, MATCH_MB_RELATION, NULL);
	match_artist(doc, discogs_other, NULL, NULL, &r);
	expect(&r, false, MATCH_MB_RELATION, "links another");
	match_artist(doc, by_qid, NULL, NULL, &r);
	expect(&r, true, MATCH_MB_RELATION, NULL);
	match_artist(doc, by_url, NULL, NULL, &r);
	expect(&r, true, MATCH_MB_RELATION, NULL);
	match_artist(doc, spotify, NULL, NULL, &r);
	expect(&r, true, MATCH_MB_RELATION, NULL);
	del(doc, by_mbid, other_mbid, discogs, discogs_other, by_qid, by_url, spotify, NULL);
}

/* An ISRC or a barcode in common corroborates a name, but never replaces it (collaborations). */
static void test_artist_codes(void **state)
{
	cJSON *doc = us_nirvana();
	cJSON *isrcs = ft_json("['USGF19942501', 'bad']");
	cJSON *upcs = ft_json("[{'barcode': '0720642442524'}]");
	cJSON *albums = ft_json("[{'name': 'Nevermind', 'ids': {'upc': ['720642442524']}}]");
	struct match_evidence ev = {.mb_isrcs = {isrcs}, .mb_upcs = {upcs}};
	struct match_evidence ev_albums = {.mb_upcs = {upcs}, .cand_titles = {albums}};
	cJSON *same = frag("artist", "deezer", "x1",
			   "{'name': 'Nirvana', 'top_tracks': [{'title': 'Smells Like Teen Spirit',"
			   " 'artist': null, 'id': null, 'mbid': null, 'isrc': 'USGF19942501',"
			   " 'duration_ms': null, 'url': null, 'rank': 1}]}");
	cJSON *collab = frag("artist", "deezer", "x2",
			     "{'name': 'Someone Else', 'top_tracks': [{'title': 'Smells Like Teen"
			     " Spirit', 'artist': null, 'id': null, 'mbid': null, 'isrc':"
			     " 'USGF19942501', 'duration_ms': null, 'url': null, 'rank': 1}]}");
	cJSON *plain = frag("artist", "deezer", "x3", "{'name': 'Nirvana'}");
	struct match_result r;

	(void)state;
	match_artist(doc, same, &ev, NULL, &r);
	expect(&r, true, MATCH_ISRC, NULL);
	match_artist(doc, collab, &ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "name differs");
	match_artist(doc, plain, &ev_albums, NULL, &r);
	expect(&r, true, MATCH_UPC, NULL);
	del(doc, isrcs, upcs, albums, same, collab, plain, NULL);
}

/* ---- albums ---------------------------------------------------------------------- */

static cJSON *abbey_rg(void)
{
	return mb(MB_RELEASE_GROUP,
		  "{'id': '" ABBEY_RG
		  "', 'title': 'Abbey Road', 'first-release-date': '1969-09-26',"
		  " 'primary-type': 'Album',"
		  " 'artist-credit': [{'name': 'The Beatles', 'joinphrase': '', 'artist': {'id': "
		  "'" BEATLES "', 'name': 'The Beatles', 'sort-name': 'Beatles, The'}}],"
		  " 'releases': [{'id': '" ABBEY_REL "', 'title': 'Abbey Road', 'barcode': "
		  "'094638246824'}, {'id': '" OTHER_ID "', 'title': 'Abbey Road', 'barcode': ''}],"
		  " 'relations': [{'target-type': 'url', 'type': 'discogs',"
		  "   'url': {'resource': 'https://www.discogs.com/master/24047'}}]}");
}

static cJSON *abbey_release(void)
{
	return mb(MB_RELEASE,
		  "{'id': '" ABBEY_REL "', 'title': 'Abbey Road', 'date': '2009-09-09',"
		  " 'barcode': '094638246824',"
		  " 'artist-credit': [{'name': 'The Beatles', 'joinphrase': '', 'artist': {'id': "
		  "'" BEATLES "', 'name': 'The Beatles', 'sort-name': 'Beatles, The'}}],"
		  " 'release-group': {'id': '" ABBEY_RG "', 'title': 'Abbey Road'},"
		  " 'media': [{'position': 1, 'track-count': 4, 'tracks': ["
		  "  {'position': 1, 'title': 'Come Together', 'length': 259946,"
		  "   'recording': {'id': '" REC_ID "', 'title': 'Come Together',"
		  "   'isrcs': ['GBAYE0601696']}},"
		  "  {'position': 2, 'title': 'Something', 'length': 182293},"
		  "  {'position': 3, 'title': 'Maxwell\\u0027s Silver Hammer', 'length': 207973},"
		  "  {'position': 4, 'title': 'Oh! Darling', 'length': 206480}]}]}");
}

static void test_release_hard_ids(void **state)
{
	cJSON *rg = abbey_rg(), *rel = abbey_release();
	cJSON *ean = frag("release", "deezer", "12047952",
			  "{'name': 'x', 'ids': {'upc': ['0094638246824']}}");
	cJSON *by_release_mbid = frag("release-group", "lastfm", "Abbey Road",
				      "{'name': 'x', 'ids': {'mbid': ['" ABBEY_REL "']}}");
	cJSON *by_group_mbid = frag("release", "lastfm", "Abbey Road",
				    "{'name': 'x', 'ids': {'mbid': ['" ABBEY_RG "']}}");
	cJSON *master = frag("release-group", "discogs", "24047", "{'name': 'Abbey Road'}");
	cJSON *master_other = frag("release-group", "discogs", "1",
				   "{'name': 'Abbey Road',"
				   " 'artist': 'The Beatles', 'date': '1969'}");
	cJSON *discogs_release =
		frag("release", "discogs", "24047",
		     "{'name': 'Abbey Road', 'artist': 'The Beatles', 'date': '1969'}");
	struct match_result r;

	(void)state;
	match_release(rg, ean, NULL, NULL, &r);
	expect(&r, true, MATCH_UPC, NULL);
	match_release(rel, ean, NULL, NULL, &r);
	expect(&r, true, MATCH_UPC, NULL);
	match_release(rg, by_release_mbid, NULL, NULL, &r);
	expect(&r, true, MATCH_MBID, NULL);
	match_release(rel, by_group_mbid, NULL, NULL, &r);
	expect(&r, true, MATCH_MBID, NULL);
	match_release(rg, master, NULL, NULL, &r);
	expect(&r, true, MATCH_MB_RELATION, NULL);
	match_release(rg, master_other, NULL, NULL, &r);
	expect(&r, false, MATCH_MB_RELATION, "links another");
	match_release(rg, discogs_release, NULL, NULL, &r); /* a Discogs release is no master */
	expect(&r, true, MATCH_SEARCH, NULL);
	del(rg, rel, ean, by_release_mbid, by_group_mbid, master, master_other, discogs_release,
	    NULL);
}

static cJSON *album(const char *id, const char *name, const char *artist, const char *date,
		    const char *tracks)
{
	char members[2048];

	snprintf(members, sizeof(members),
		 "{'name': '%s', 'artist': %s%s%s, 'date': %s%s%s, 'tracks': %s}", name,
		 artist ? "'" : "", artist ? artist : "null", artist ? "'" : "", date ? "'" : "",
		 date ? date : "null", date ? "'" : "", tracks ? tracks : "[]");
	return frag("release", "spotify", id, members);
}

#define T(title)            \
	"{'title': '" title \
	"', 'position': null, 'disc': null, 'duration_ms': null, 'isrc': null, 'id': null}"

static void test_release_search(void **state)
{
	cJSON *rg = abbey_rg(), *rel = abbey_release();
	struct {
		cJSON *cand;
		const cJSON *mb;
		bool accepted;
		const char *why;
	} cases[] = {
		{album("a1", "Abbey Road (Remastered)", "The Beatles", "1969-09-26", NULL), rg,
		 true, NULL},
		{album("a2", "Abbey Road (Super Deluxe Edition)", "Beatles", "1970", NULL), rg,
		 true, NULL},
		{album("a3", "Abbey Road", "The Beatles", NULL, NULL), rg, false,
		 "title and artist only"},
		{album("a4", "Abbey Road", "The Beatles", "1985", NULL), rg, false,
		 "title and artist only"},
		{album("a5", "Abbey Road", "George Benson", "1969", NULL), rg, false,
		 "artist differs"},
		{album("a6", "Abbey Road", NULL, "1969", NULL), rg, false, "artist differs"},
		{album("a7", "Let It Be", "The Beatles", "1969", NULL), rg, false, "title differs"},
		{album("a8", "Abbey Road", "The Beatles", "2019",
		       "[" T("Come Together - 2019 Mix") "," T("Something") "," T(
			       "Maxwell\\u2019s Silver Hammer") "," T("Oh! Darling") "]"),
		 rel, true, NULL},
		{album("a9", "Abbey Road", "The Beatles", "2019",
		       "[" T("Come Together") "," T("Other 1") "," T("Other 2") "," T(
			       "Other 3") "]"),
		 rel, false, "tracklists differ"},
		{album("a10", "Abbey Road (Deluxe)", "The Beatles", "2019",
		       "[" T("Come Together") "," T("Something") "," T(
			       "Maxwell\\u0027s Silver "
			       "Hammer") "," T("Oh! "
					       "Darling") "," T("Bonus 1") "," T("Bonus 2") "," T("Bonus 3") "," T("Bonus 4") "," T("Bonus 5") "]"),
		 rel, true, NULL},
	};
	struct match_result r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		match_release(cases[i].mb, cases[i].cand, NULL, NULL, &r);
		if (r.accepted != cases[i].accepted ||
		    (cases[i].why && !strstr(r.why, cases[i].why)))
			fail_msg("case %zu: %s '%s' %.3f", i, r.accepted ? "accepted" : "rejected",
				 r.why, r.score);
		assert_int_equal(r.method, MATCH_SEARCH);
		cJSON_Delete(cases[i].cand);
	}
	del(rg, rel, NULL);
}

/* A release group has no tracks; the caller passes one release's as evidence. */
static void test_release_evidence_tracks(void **state)
{
	cJSON *rg = abbey_rg();
	cJSON *tracks = ft_json("[{'title': 'Come Together'}, {'title': 'Something'}]");
	cJSON *cand = album("b1", "Abbey Road", "The Beatles", "2015",
			    "[" T("Come Together") "," T("Something") "]");
	cJSON *count = frag("release", "deezer", "b2",
			    "{'name': 'Abbey Road', 'artist': 'The"
			    " Beatles', 'extra': {'track_count': 2}}");
	cJSON *rel = abbey_release();
	struct match_evidence ev = {.mb_titles = {tracks}};
	struct match_result r;

	(void)state;
	match_release(rg, cand, &ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	match_release(rg, cand, NULL, NULL, &r); /* 2015 vs 1969 and nothing else */
	expect(&r, false, MATCH_SEARCH, "title and artist only");
	match_release(rel, count, NULL, NULL, &r); /* 2 tracks against 4: within 2 */
	expect(&r, true, MATCH_SEARCH, NULL);
	del(rg, tracks, cand, count, rel, NULL);
}

/* ---- recordings -------------------------------------------------------------------- */

static cJSON *come_together(void)
{
	return mb(MB_RECORDING,
		  "{'id': '" REC_ID "', 'title': 'Come Together', 'length': 259946,"
		  " 'isrcs': ['GBAYE0601696'],"
		  " 'artist-credit': [{'name': 'The Beatles', 'joinphrase': '', 'artist': {'id': "
		  "'" BEATLES "', 'name': 'The Beatles', 'sort-name': 'Beatles, The'}}],"
		  " 'releases': [{'id': '" ABBEY_REL "', 'title': 'Abbey Road'}]}");
}

static cJSON *track(const char *id, const char *name, const char *artist, long duration_ms,
		    const char *extra_members)
{
	char members[1024], dur[32];

	if (duration_ms >= 0)
		snprintf(dur, sizeof(dur), "%ld", duration_ms);
	else
		snprintf(dur, sizeof(dur), "null");
	snprintf(members, sizeof(members), "{'name': '%s', 'artist': '%s', 'duration_ms': %s%s%s}",
		 name, artist, dur, extra_members ? ", " : "", extra_members ? extra_members : "");
	return frag("recording", "deezer", id, members);
}

static void test_recording(void **state)
{
	cJSON *rec = come_together();
	struct {
		cJSON *cand;
		bool accepted;
		enum match_method m;
		const char *why;
	} cases[] = {
		{track("1", "x", "y", 1, "'ids': {'isrc': ['gbaye0601696']}"), true, MATCH_ISRC,
		 NULL},
		{track("2", "Come Together", "The Beatles", 259946 + 2999, NULL), true,
		 MATCH_SEARCH, NULL},
		{track("3", "Come Together", "The Beatles", 259946 - 3000, NULL), true,
		 MATCH_SEARCH, NULL},
		{track("4", "Come Together", "The Beatles", 259946 + 3001, NULL), false,
		 MATCH_SEARCH, "duration"},
		{track("5", "Come Together - Remastered 2009", "Beatles", 259000, NULL), true,
		 MATCH_SEARCH, NULL},
		{track("6", "Come Together (Remix)", "The Beatles", 259946, NULL), false,
		 MATCH_SEARCH, "title differs"},
		{track("7", "Come Together", "Aerosmith", 259946, NULL), false, MATCH_SEARCH,
		 "artist differs"},
		{track("8", "Come Together", "The Beatles", -1,
		       "'album': 'Abbey Road (Remastered)'"),
		 true, MATCH_SEARCH, NULL},
		{track("9", "Come Together", "The Beatles", -1, NULL), true, MATCH_SEARCH, NULL},
		{track("10", "Come Together", "The Beatles", 259946,
		       "'ids': {'mbid': ['" OTHER_ID "']}"),
		 false, MATCH_MBID, "another MBID"},
		{track("11", "x", "y", -1, "'ids': {'mbid': ['" REC_ID "']}"), true, MATCH_MBID,
		 NULL},
	};
	struct match_opts tight = {0.85, 1000};
	struct match_result r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		match_recording(rec, cases[i].cand, NULL, &r);
		if (r.accepted != cases[i].accepted || r.method != cases[i].m ||
		    (cases[i].why && !strstr(r.why, cases[i].why)))
			fail_msg("case %zu: %s %s '%s' %.3f", i,
				 r.accepted ? "accepted" : "rejected", match_method_name(r.method),
				 r.why, r.score);
	}
	match_recording(rec, cases[1].cand, &tight, &r); /* 2999 ms off, tolerance 1000 */
	expect(&r, false, MATCH_SEARCH, "duration");
	match_recording(rec, cases[8].cand, NULL, &r);
	assert_true(r.score > 0.89 && r.score < 0.91); /* nothing beyond title and artist */
	match_recording(rec, cases[7].cand, NULL, &r);
	assert_true(r.score > 0.95); /* the album agrees */
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cJSON_Delete(cases[i].cand);
	cJSON_Delete(rec);
}

static void test_recording_credits(void **state)
{
	cJSON *rec =
		mb(MB_RECORDING,
		   "{'id': '" REC_ID "', 'title': 'Empire State of Mind', 'length': 276920,"
		   " 'artist-credit': [{'name': 'JAY\\u2010Z', 'joinphrase': ' feat. ', 'artist':"
		   " {'id': '" BEATLES "', 'name': 'JAY\\u2010Z', 'sort-name': 'JAY\\u2010Z'}},"
		   " {'name': 'Alicia Keys', 'joinphrase': '', 'artist': {'id': '" OTHER_ID
		   "', 'name': 'Alicia Keys', 'sort-name': 'Keys, Alicia'}}]}");
	cJSON *solo = track("1", "Empire State of Mind (feat. Alicia Keys)", "Jay-Z", 276000, NULL);
	cJSON *both = track("2", "Empire State Of Mind", "JAY-Z feat. Alicia Keys", 277000, NULL);
	struct match_result r;

	(void)state;
	match_recording(rec, solo, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	match_recording(rec, both, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL);
	del(rec, solo, both, NULL);
}

/* ---- match_best -------------------------------------------------------------------- */

static cJSON *candidates(const char *entity, cJSON **items, size_t n)
{
	cJSON *c = fragment_new_candidates("deezer", entity);
	cJSON *list = cJSON_GetObjectItemCaseSensitive(c, "items");

	for (size_t i = 0; i < n; i++)
		json_append(list, items[i]);
	assert_int_equal(fragment_check(c, NULL, 0), ERR_OK);
	return c;
}

static void test_best(void **state)
{
	cJSON *doc = us_nirvana(), *titles = ft_json(us_titles);
	struct match_evidence ev = {.mb_titles = {titles}};
	cJSON *items[] = {
		deezer_artist("1250", "Nirvana", "['Rainbow Chaser', 'Tiny Goddess']"),
		deezer_artist("415", "Nirvana", "['Nevermind', 'Lithium', 'Bleach', 'In Utero']"),
		deezer_artist("999", "Nirvana", "['Nevermind', 'Lithium']"),
		deezer_artist("5", "Nirvana Tribute", "['Nevermind', 'Lithium', 'Bleach']"),
	};
	cJSON *list = candidates("artist", items, ARRAY_SIZE(items));
	struct match_result r;

	(void)state;
	assert_int_equal(match_best(doc, list, &ev, NULL, &r), 1);
	expect(&r, true, MATCH_SEARCH, NULL);
	del(list, doc, titles, NULL);
}

static void test_best_ambiguous(void **state)
{
	cJSON *doc = us_nirvana(), *titles = ft_json(us_titles);
	struct match_evidence ev = {.mb_titles = {titles}};
	cJSON *items[] = {
		deezer_artist("415", "Nirvana", "['Nevermind', 'Lithium', 'Bleach']"),
		deezer_artist("416", "Nirvana", "['Nevermind', 'Lithium', 'In Utero']"),
	};
	cJSON *dups[] = {
		deezer_artist("415", "Nirvana", "['Nevermind', 'Lithium', 'Bleach']"),
		deezer_artist("415", "Nirvana", "['Nevermind', 'Lithium', 'Bleach']"),
	};
	cJSON *list = candidates("artist", items, ARRAY_SIZE(items));
	cJSON *same = candidates("artist", dups, ARRAY_SIZE(dups));
	struct match_result r;

	(void)state;
	assert_int_equal(match_best(doc, list, &ev, NULL, &r), -1);
	expect(&r, false, MATCH_SEARCH, "ambiguous");
	assert_int_equal(match_best(doc, same, &ev, NULL, &r), 0); /* one entity listed twice */
	expect(&r, true, MATCH_SEARCH, NULL);
	del(list, same, doc, titles, NULL);
}

static void test_best_edges(void **state)
{
	cJSON *doc = us_nirvana(), *titles = ft_json(us_titles);
	struct match_evidence ev = {.mb_titles = {titles}};
	cJSON *empty = fragment_new_candidates("deezer", "artist");
	cJSON *many = fragment_new_candidates("deezer", "artist");
	cJSON *odd = ft_json(
		"{'items': [1, 'x', null, {}, {'kind': 'recording', 'name': 'Nirvana'},"
		" {'kind': 'artist', 'name': 'Nirvana', 'ids': {'mbid': ['" US_NIRVANA "']}}]}");
	cJSON *items = cJSON_GetObjectItemCaseSensitive(many, "items");
	struct match_result r;

	(void)state;
	assert_int_equal(match_best(doc, empty, &ev, NULL, &r), -1);
	expect(&r, false, MATCH_SEARCH, "no candidates");
	assert_int_equal(match_best(doc, NULL, NULL, NULL, &r), -1);
	assert_int_equal(match_best(NULL, empty, NULL, NULL, &r), -1);
	assert_int_equal(match_best(doc, odd, NULL, NULL, &r), 5);
	expect(&r, true, MATCH_MBID, NULL);
	for (int i = 0; i < 150; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%d", i);
		json_append(items,
			    deezer_artist(id, "Nirvana",
					  i == 120 ? "['Nevermind', 'Lithium']" : "['Other']"));
	}
	assert_int_equal(match_best(doc, many, &ev, NULL, &r), -1); /* past MATCH_MAX_CANDIDATES */
	expect(&r, false, MATCH_SEARCH, "name only");
	del(empty, many, odd, doc, titles, NULL);
}

/* ---- links ------------------------------------------------------------------------- */

static void test_link_ids(void **state)
{
	cJSON *artist =
		mb(MB_ARTIST,
		   "{'id': '" BEATLES "', 'name': 'Bob Dylan', 'relations': ["
		   " {'target-type': 'url', 'type': 'songwriter', 'url': {'resource':"
		   "  'https://artists.spotify.com/songwriter/1d77BnaN7rMcHBcqA6YSR3'}},"
		   " {'target-type': 'url', 'type': 'free streaming', 'url': {'resource':"
		   "  'https://open.spotify.com/intl-de/artist/74ASZWbe4lXaubB36ztrGX'}},"
		   " {'target-type': 'url', 'type': 'free streaming', 'url': {'resource':"
		   "  'https://www.deezer.com/en/artist/808'}},"
		   " {'target-type': 'url', 'type': 'purchase for download', 'url': {'resource':"
		   "  'https://itunes.apple.com/us/artist/id462006'}},"
		   " {'target-type': 'url', 'type': 'discogs', 'url': {'resource':"
		   "  'https://www.discogs.com/artist/59792-Bob-Dylan'}},"
		   " {'target-type': 'url', 'type': 'wikidata', 'url': {'resource':"
		   "  'https://www.wikidata.org/wiki/Q392'}},"
		   " {'target-type': 'url', 'type': 'last.fm', 'url': {'resource':"
		   "  'https://www.last.fm/music/Bob+Dylan'}},"
		   " {'target-type': 'url', 'type': 'other databases', 'url': {'resource':"
		   "  'https://www.theaudiodb.com/artist/111316-Bob-Dylan'}}]}");
	cJSON *rg = mb(MB_RELEASE_GROUP,
		       "{'id': '" ABBEY_RG "', 'title': 'Desire', 'relations': ["
		       " {'target-type': 'url', 'type': 'discogs', 'url': {'resource':"
		       "  'https://www.discogs.com/master/3911'}},"
		       " {'target-type': 'url', 'type': 'lyrics', 'url': {'resource':"
		       "  'https://music.apple.com/us/album/desire/192480?i=192481'}},"
		       " {'target-type': 'url', 'type': 'last.fm', 'url': {'resource':"
		       "  'https://www.last.fm/music/Bob+Dylan/Desire%3F'}}]}");
	static const struct {
		int doc; /* 0 artist, 1 release group */
		enum provider_id p;
		const char *kind;
		enum err want;
		const char *id;
	} cases[] = {
		{0, PROVIDER_SPOTIFY, NULL, ERR_OK, "74ASZWbe4lXaubB36ztrGX"},
		{0, PROVIDER_DEEZER, "artist", ERR_OK, "808"},
		{0, PROVIDER_ITUNES, NULL, ERR_OK, "462006"},
		{0, PROVIDER_DISCOGS, NULL, ERR_OK, "59792"},
		{0, PROVIDER_WIKIDATA, NULL, ERR_OK, "Q392"},
		{0, PROVIDER_LASTFM, NULL, ERR_OK, "Bob Dylan"},
		{0, PROVIDER_THEAUDIODB, NULL, ERR_OK, "111316"},
		{0, PROVIDER_FANARTTV, NULL, ERR_NOT_FOUND, ""},
		{0, PROVIDER_DEEZER, "release", ERR_NOT_FOUND, ""},
		{0, PROVIDER_DEEZER, "track", ERR_INVALID_ARGUMENT, ""},
		{0, PROVIDER__COUNT, NULL, ERR_INVALID_ARGUMENT, ""},
		{1, PROVIDER_DISCOGS, NULL, ERR_OK, "3911"},
		{1, PROVIDER_DISCOGS, "release", ERR_NOT_FOUND, ""},
		{1, PROVIDER_ITUNES, NULL, ERR_OK, "192480"},
		{1, PROVIDER_LASTFM, NULL, ERR_OK, "Bob Dylan/Desire?"},
		{1, PROVIDER_LASTFM, "artist", ERR_NOT_FOUND, ""},
		{1, PROVIDER_SPOTIFY, NULL, ERR_NOT_FOUND, ""},
	};
	char out[64], tiny[4];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum err e = match_mb_link_id(cases[i].doc ? rg : artist, cases[i].p, cases[i].kind,
					      out, sizeof(out));

		if (e != cases[i].want || strcmp(out, cases[i].id) != 0)
			fail_msg("case %zu: %s '%s', want %s '%s'", i, err_str(e), out,
				 err_str(cases[i].want), cases[i].id);
	}
	assert_int_equal(match_mb_link_id(artist, PROVIDER_DISCOGS, NULL, tiny, sizeof(tiny)),
			 ERR_TOO_LARGE);
	assert_string_equal(tiny, "");
	assert_int_equal(match_mb_link_id(NULL, PROVIDER_DISCOGS, "artist", out, sizeof(out)),
			 ERR_INVALID_ARGUMENT);
	assert_int_equal(match_mb_link_id(artist, PROVIDER_DISCOGS, NULL, NULL, 0),
			 ERR_INVALID_ARGUMENT);
	del(artist, rg, NULL);
}

static void test_url_lookup_and_json(void **state)
{
	const char *related[] = {"not an mbid", OTHER_ID, "5B11F4CE-A62D-471E-81FC-A69A8278C7DA"};
	struct match_result r;
	cJSON *j;
	char *text;

	(void)state;
	match_url_lookup(US_NIRVANA, related, ARRAY_SIZE(related), &r);
	expect(&r, true, MATCH_MB_URL, NULL);
	match_url_lookup(UK_NIRVANA, related, ARRAY_SIZE(related), &r);
	expect(&r, false, MATCH_MB_URL, "another entity");
	match_url_lookup(UK_NIRVANA, NULL, 0, &r);
	expect(&r, false, MATCH_MB_URL, NULL);
	match_url_lookup("junk", related, ARRAY_SIZE(related), &r);
	expect(&r, false, MATCH_MB_URL, NULL);

	r = (struct match_result){MATCH_SEARCH, 0.912345, true, "x"};
	j = match_result_json(&r);
	text = cJSON_PrintUnformatted(j);
	assert_string_equal(text, "{\"method\":\"search\",\"score\":0.912}");
	cJSON_free(text);
	cJSON_Delete(j);
	r.accepted = false;
	assert_null(match_result_json(&r));
	assert_null(match_result_json(NULL));
}

/* ---- hostile input ------------------------------------------------------------------ */

static void test_hostile(void **state)
{
	static const char *const docs[] = {
		"null",
		"[]",
		"{'kind': 'artist'}",
		"{'kind': 'artist', 'id': 5, 'name': [], 'sort_name': {}, 'aliases': 'x', 'links': "
		"{}}",
		"{'kind': 'artist', 'aliases': [1, null, {'name': 7}], 'links': [1, {'url': 5},"
		" {'url': 'https://open.spotify.com/artist/'}, {'url': "
		"'https://x@open.spotify.com/artist/a'}]}",
		"{'kind': 'release', 'media': [{'tracks': 'x'}, 3, {'tracks': [null, {'title': "
		"1}]}],"
		" 'barcode': 12, 'track_count': -4, 'date': '19'}",
		"{'kind': 'recording', 'length_ms': 'long', 'isrcs': [1, 'x'], 'releases': {}}",
		"{'kind': 'release-group', 'releases': [{'barcode': '0'}, 'x']}",
	};
	static const char *const cands[] = {
		"null",
		"{}",
		"{'kind': 'artist', 'name': 5, 'ids': [], 'top_tracks': {'title': 'x'}}",
		"{'kind': 'artist', 'name': 'x', 'ids': {'mbid': 'x', 'spotify': [1, null]},"
		" 'tracks': [1, {'title': null}], 'url': 7}",
		"{'kind': 'release', 'provider': 5, 'id': [], 'ids': {'upc': [12, '']},"
		" 'extra': {'track_count': 1e300}, 'date': 1969}",
		"{'kind': 'recording', 'duration_ms': -5, 'artist': {}, 'album': []}",
	};
	cJSON *junk_ev = ft_json("{'a': 1}");
	struct match_evidence ev = {{junk_ev, NULL}, {junk_ev}, {junk_ev}, {junk_ev}};
	struct match_opts bad = {-1.0, -5};
	struct match_result r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		cJSON *d = ft_json(docs[i]);

		for (size_t j = 0; j < ARRAY_SIZE(cands); j++) {
			cJSON *c = ft_json(cands[j]);

			match_artist(d, c, &ev, &bad, &r);
			assert_false(r.accepted);
			assert_non_null(r.why);
			match_release(d, c, &ev, NULL, &r);
			assert_false(r.accepted);
			match_recording(d, c, NULL, &r);
			assert_false(r.accepted);
			(void)match_best(d, c, &ev, NULL, &r);
			assert_non_null(r.why);
			cJSON_Delete(c);
		}
		cJSON_Delete(d);
	}
	match_artist(NULL, NULL, NULL, NULL, &r);
	expect(&r, false, MATCH_SEARCH, NULL);
	cJSON_Delete(junk_ev);
}

/* Big lists and long strings are cut, so one call stays cheap. */
static void test_hostile_sizes(void **state)
{
	cJSON *doc = us_nirvana(), *cand = frag("artist", "deezer", "1", "{'name': 'Nirvana'}");
	cJSON *mb_titles = json_new_array(),
	      *top = cJSON_GetObjectItemCaseSensitive(cand, "top_tracks");
	struct match_evidence ev = {.mb_titles = {mb_titles, mb_titles, mb_titles, mb_titles}};
	char *huge = malloc(100001);
	clock_t t0 = clock();
	struct match_result r;

	(void)state;
	memset(huge, 'n', 100000);
	huge[100000] = '\0';
	for (int i = 0; i < 20000; i++) {
		char t[32];
		cJSON *item = json_new_object();

		snprintf(t, sizeof(t), "Title %d", i);
		json_append(mb_titles, json_new_string(i % 1000 ? t : huge));
		json_add_string_or_null(item, "title", i % 1000 ? t : huge);
		json_append(top, item);
	}
	cJSON_ReplaceItemInObjectCaseSensitive(cand, "name", json_new_string(huge));
	match_artist(doc, cand, &ev, NULL, &r);
	expect(&r, false, MATCH_SEARCH, "name differs");
	cJSON_ReplaceItemInObjectCaseSensitive(cand, "name", json_new_string("Nirvana"));
	match_artist(doc, cand, &ev, NULL, &r);
	expect(&r, true, MATCH_SEARCH, NULL); /* the first 500 titles of each side agree */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(huge);
	del(doc, cand, mb_titles, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_normalize_name),
		cmocka_unit_test(test_normalize_title),
		cmocka_unit_test(test_normalize_limits),
		cmocka_unit_test(test_similarity),
		cmocka_unit_test(test_similarity_bounded),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_artist_two_nirvanas),
		cmocka_unit_test(test_artist_names),
		cmocka_unit_test(test_artist_alias),
		cmocka_unit_test(test_artist_weak_corroboration),
		cmocka_unit_test(test_artist_score_needs_titles),
		cmocka_unit_test(test_artist_hard_ids),
		cmocka_unit_test(test_artist_codes),
		cmocka_unit_test(test_release_hard_ids),
		cmocka_unit_test(test_release_search),
		cmocka_unit_test(test_release_evidence_tracks),
		cmocka_unit_test(test_recording),
		cmocka_unit_test(test_recording_credits),
		cmocka_unit_test(test_best),
		cmocka_unit_test(test_best_ambiguous),
		cmocka_unit_test(test_best_edges),
		cmocka_unit_test(test_link_ids),
		cmocka_unit_test(test_url_lookup_and_json),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_hostile_sizes),
	};

	json_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
