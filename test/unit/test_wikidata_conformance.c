/*
 * test_wikidata_conformance.c - the Wikidata and Wikipedia parsers against
 * real recorded responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/wikidata, by default
 * ../shared/fixtures/wikidata. The file name's prefix picks the parser:
 * wbgetentities (an item), search (list=search), summary_<lang> (a
 * Wikipedia page/summary); an unknown prefix fails, so no fixture goes
 * unchecked. Each fragment must pass fragment_check() and agree with what
 * the test reads from the raw body with plain cJSON: the Q id, the kind
 * the MusicBrainz id property implies, the label, every Wikipedia
 * sitelink, the images, the MBIDs; hits of a search; title, extract and
 * item of a summary. A wbgetentities error body must give ERR_NOT_FOUND
 * for "no-such-entity" and ERR_INVALID_ARGUMENT otherwise. Without the
 * folder the suite says so and skips.
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
#include "medley/musicbrainz.h"
#include "medley/wikidata.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

static void check_shape(const char *name, const cJSON *frag)
{
	char where[300];

	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("%s: fragment shape: %s", name, where);
}

/* The value snaks of raw claims[prop] that are not deprecated. */
static int live_values(const cJSON *claims, const char *prop)
{
	const cJSON *st;
	int n = 0;

	cJSON_ArrayForEach(st, ft_get(claims, prop))
	{
		const char *rank = ft_text(st, "rank");
		const char *type = ft_text(ft_get(st, "mainsnak"), "snaktype");

		n += type && strcmp(type, "value") == 0 &&
		     !(rank && strcmp(rank, "deprecated") == 0);
	}
	return n;
}

static const char *expected_kind(const cJSON *claims)
{
	static const char *const kinds[] = {"artist", "release-group", "release", "recording"};

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (ft_get(claims, wikidata_mbid_property(kinds[i])))
			return kinds[i];
	return "artist";
}

static const char *expected_label(const cJSON *entity)
{
	const cJSON *labels = ft_get(entity, "labels"), *l;
	const char *s = ft_text(ft_get(labels, "en"), "value");

	if (!s)
		s = ft_text(ft_get(labels, "mul"), "value");
	cJSON_ArrayForEach(l, labels)
	{
		if (!s)
			s = ft_text(l, "value");
	}
	return s;
}

/* Projects whose site id ends in "wiki" but that are not a Wikipedia. */
static bool not_wikipedia(const char *site)
{
	static const char *const others[] = {
		"commonswiki",	  "specieswiki",   "metawiki",		"mediawikiwiki",
		"wikidatawiki",	  "sourceswiki",   "outreachwiki",	"incubatorwiki",
		"foundationwiki", "wikimaniawiki", "wikifunctionswiki", "testwiki",
		"test2wiki",
	};

	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		if (strcmp(site, others[i]) == 0)
			return true;
	return strspn(site, "abcdefghijklmnopqrstuvwxyz_") != strlen(site);
}

static void check_sitelinks(const cJSON *entity, const cJSON *frag)
{
	const cJSON *link;

	cJSON_ArrayForEach(link, ft_get(entity, "sitelinks"))
	{
		size_t n = strlen(link->string);
		char key[64];

		if (n < 6 || strcmp(link->string + n - 4, "wiki") != 0 ||
		    not_wikipedia(link->string) || !ft_text(link, "title"))
			continue;
		snprintf(key, sizeof(key), "sitelink:%s", link->string);
		assert_string_equal(ft_text(ft_get(frag, "extra"), key), ft_text(link, "title"));
	}
}

static void check_mbids(const cJSON *claims, const cJSON *frag, const char *kind)
{
	const cJSON *st, *ids = ft_get(ft_get(frag, "ids"), "mbid");
	int n = 0;

	cJSON_ArrayForEach(st, ft_get(claims, wikidata_mbid_property(kind)))
	{
		char id[MB_MBID_LEN + 1];
		const char *v = ft_text(ft_get(ft_get(st, "mainsnak"), "datavalue"), "value");

		if (mb_normalize_mbid(v, id) != ERR_OK)
			continue;
		assert_string_equal(cJSON_GetArrayItem(ids, n++)->valuestring, id);
	}
	assert_int_equal(cJSON_GetArraySize(ids), n);
}

static void check_entity(const char *name, const char *body, size_t len, const cJSON *raw)
{
	const cJSON *entity = ft_get(raw, "entities") ? ft_get(raw, "entities")->child : NULL;
	const cJSON *claims = ft_get(entity, "claims");
	const char *why = NULL, *label = expected_label(entity), *kind;
	cJSON *frag = NULL;
	enum err e = wikidata_parse_entity(body, len, NULL, &frag, &why);
	int images;

	if (ft_get(raw, "error") || ft_get(entity, "missing")) {
		const char *code = ft_text(ft_get(raw, "error"), "code");
		bool missing =
			ft_get(entity, "missing") || (code && !strcmp(code, "no-such-entity"));

		assert_int_equal(e, missing ? ERR_NOT_FOUND : ERR_INVALID_ARGUMENT);
		assert_null(frag);
		return;
	}
	if (e != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(e), why ? why : "?");
	check_shape(name, frag);
	kind = expected_kind(claims);
	assert_string_equal(ft_text(frag, "id"), ft_text(entity, "id"));
	assert_string_equal(ft_text(frag, "kind"), kind);
	assert_string_equal(ft_get(ft_get(frag, "ids"), "wikidata")->child->valuestring,
			    ft_text(entity, "id"));
	if (label)
		assert_string_equal(ft_text(frag, "name"), label);
	else
		assert_true(cJSON_IsNull(ft_get(frag, "name")));
	check_sitelinks(entity, frag);
	check_mbids(claims, frag, kind);
	images = (live_values(claims, "P18") > 0) + (live_values(claims, "P154") > 0);
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), images);
	cJSON_Delete(frag);
}

static void check_search(const char *name, const char *body, size_t len, const cJSON *raw)
{
	const cJSON *hit, *items;
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = wikidata_parse_search(body, len, "artist", &frag, &why);
	int n = 0;

	if (e != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(e), why ? why : "?");
	check_shape(name, frag);
	items = ft_get(frag, "items");
	cJSON_ArrayForEach(hit, ft_get(ft_get(raw, "query"), "search"))
	{
		if (wikidata_valid_qid(ft_text(hit, "title")) &&
		    cJSON_IsNumber(ft_get(hit, "ns")) && ft_get(hit, "ns")->valueint == 0)
			assert_string_equal(ft_text(cJSON_GetArrayItem(items, n++), "id"),
					    ft_text(hit, "title"));
	}
	assert_int_equal(cJSON_GetArraySize(items), n);
	cJSON_Delete(frag);
}

static void check_summary(const char *name, const char *body, size_t len, const cJSON *raw)
{
	char lang[16] = "";
	const char *why = NULL, *type = ft_text(raw, "type");
	cJSON *frag = NULL;
	enum err e;

	sscanf(name, "summary_%15[a-z-]", lang);
	e = wikipedia_parse_summary(body, len, lang, NULL, &frag, &why);
	if (type && (strcmp(type, "disambiguation") == 0 || strstr(type, "/errors/not_found"))) {
		assert_int_equal(e, ERR_NOT_FOUND);
		return;
	}
	if (e != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(e), why ? why : "?");
	check_shape(name, frag);
	assert_string_equal(ft_text(frag, "name"), ft_text(raw, "title"));
	if (wikidata_valid_qid(ft_text(raw, "wikibase_item")))
		assert_string_equal(ft_text(frag, "id"), ft_text(raw, "wikibase_item"));
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "biographies")),
			 ft_text(raw, "extract") ? 1 : 0);
	cJSON_Delete(frag);
}

static void test_fixture(void **state)
{
	const char *name = *state;
	size_t len;
	char *body = sf_slurp(name, &len);
	cJSON *raw = cJSON_Parse(body);

	assert_non_null(raw);
	if (strncmp(name, "wbgetentities", 13) == 0)
		check_entity(name, body, len, raw);
	else if (strncmp(name, "search", 6) == 0)
		check_search(name, body, len, raw);
	else if (strncmp(name, "summary_", 8) == 0)
		check_summary(name, body, len, raw);
	else
		fail_msg("%s: no parser for this file name prefix", name);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("wikidata", test_fixture);
}
