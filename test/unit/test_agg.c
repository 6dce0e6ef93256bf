/*
 * test_agg.c - the aggregator's pure parts: cache keys and kinds of
 * targets, and If-None-Match matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/agg_int.h"

static void test_etag_matching(void **state)
{
	static const struct {
		const char *inm;
		bool want;
	} cases[] = {
		{NULL, false},
		{"", false},
		{"\"abc\"", true},
		{"W/\"abc\"", true},
		{"\"x\", \"abc\"", true},
		{"\"x\",\"abc\"", true},
		{"  \"abc\"  ", true},
		{"*", true},
		{"\"abcd\"", false},
		{"\"ab\"", false},
		{"abc", false},
		{"\"x\", W/\"y\"", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (agg_etag_matches(cases[i].inm, "\"abc\"") != cases[i].want)
			fail_msg("If-None-Match '%s'", cases[i].inm ? cases[i].inm : "(null)");
	assert_false(agg_etag_matches("\"\"", ""));
}

static void test_target_keys(void **state)
{
	char key[AGG_KEY_MAX];
	struct agg_target lookup = {.kind = AGG_LOOKUP,
				    .entity = AGG_RELEASE,
				    .mbid = "12195c41-6136-4dfd-acf1-9923dadc73e2"};
	struct agg_target browse = {.kind = AGG_BROWSE,
				    .entity = AGG_ARTIST,
				    .mbid = "5b11f4ce-a62d-471e-81fc-a69a8278c7da",
				    .type = "album|ep",
				    .limit = 25};
	struct agg_target all = browse;
	struct agg_target search = {.kind = AGG_SEARCH,
				    .entity = AGG_RECORDING,
				    .query = "a b",
				    .limit = 10,
				    .offset = 5};

	(void)state;
	all.type = NULL;
	agg_target_key(&lookup, key);
	assert_string_equal(key, "12195c41-6136-4dfd-acf1-9923dadc73e2");
	assert_string_equal(agg_target_kind(&lookup), "release");
	agg_target_key(&browse, key);
	assert_string_equal(key,
			    "5b11f4ce-a62d-471e-81fc-a69a8278c7da?type=album|ep&limit=25&offset=0");
	assert_string_equal(agg_target_kind(&browse), "browse-release-groups");
	agg_target_key(&all, key);
	assert_string_equal(key, "5b11f4ce-a62d-471e-81fc-a69a8278c7da?type=&limit=25&offset=0");
	agg_target_key(&search, key);
	assert_string_equal(key, "limit=10&offset=5&q=a b");
	assert_string_equal(agg_target_kind(&search), "search-recording");
	assert_string_equal(agg_entity_name(AGG_RELEASE_GROUP), "release-group");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_etag_matching),
		cmocka_unit_test(test_target_keys),
	};

	return cmocka_run_group_tests_name("agg", tests, NULL, NULL);
}
