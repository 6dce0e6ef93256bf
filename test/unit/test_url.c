/*
 * test_url.c - strict percent-decoding and query-string parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "medley/url.h"

struct query_case {
	const char *qs;
	enum err want;
	size_t n;		 /* params expected when ERR_OK */
	const char *key, *value; /* one pair to check, when key != NULL */
};

static const struct query_case cases[] = {
	{"", ERR_OK, 0, NULL, NULL},
	{"a=1", ERR_OK, 1, "a", "1"},
	{"a=1&b=2", ERR_OK, 2, "b", "2"},
	{"a=1&&b=2&", ERR_OK, 2, "b", "2"},
	{"q=hello+world", ERR_OK, 1, "q", "hello world"},
	{"q=a%2Bb", ERR_OK, 1, "q", "a+b"},
	{"q=%C3%A9t%C3%A9", ERR_OK, 1, "q", "\xc3\xa9t\xc3\xa9"},
	{"flag", ERR_OK, 1, "flag", ""},
	{"k=", ERR_OK, 1, "k", ""},
	{"q=a=b", ERR_OK, 1, "q", "a=b"},
	{"q=%", ERR_BAD_QUERY, 0, NULL, NULL},
	{"q=%4", ERR_BAD_QUERY, 0, NULL, NULL},
	{"q=%G1", ERR_BAD_QUERY, 0, NULL, NULL},
	{"q=%00", ERR_BAD_QUERY, 0, NULL, NULL},
	{"q=%0a", ERR_BAD_QUERY, 0, NULL, NULL},
	{"q=%C3", ERR_BAD_QUERY, 0, NULL, NULL},
	{"q=%ED%A0%80", ERR_BAD_QUERY, 0, NULL, NULL}, /* UTF-16 surrogate */
	{"q=%C0%AF", ERR_BAD_QUERY, 0, NULL, NULL},    /* overlong '/' */
	{"=v", ERR_BAD_QUERY, 0, NULL, NULL},
	{"%zz=1", ERR_BAD_QUERY, 0, NULL, NULL},
};

static void test_query_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct query_case *c = &cases[i];
		struct arena a;
		struct url_query q;
		const char *why = NULL;
		enum err e;

		arena_init(&a, 4096);
		e = url_parse_query(&a, c->qs, strlen(c->qs), &q, &why);
		if (e != c->want)
			fail_msg("'%s': got %s, want %s", c->qs, err_str(e), err_str(c->want));
		if (e == ERR_OK) {
			assert_int_equal(q.n, c->n);
			if (c->key)
				assert_string_equal(url_query_get(&q, c->key), c->value);
		} else {
			assert_non_null(why);
		}
		arena_release(&a);
	}
}

static void test_too_many_params(void **state)
{
	char qs[URL_MAX_PARAMS * 4 + 8];
	struct arena a;
	struct url_query q;
	const char *why = NULL;
	size_t len = 0;

	(void)state;
	for (int i = 0; i <= URL_MAX_PARAMS; i++)
		len += (size_t)snprintf(qs + len, sizeof(qs) - len, "a=%d&", i % 10);
	arena_init(&a, 64 * 1024);
	assert_int_equal(url_parse_query(&a, qs, len, &q, &why), ERR_BAD_QUERY);
	assert_string_equal(why, "too many query parameters");
	arena_release(&a);
}

static void test_duplicates_and_first(void **state)
{
	struct arena a;
	struct url_query q;
	const char *why;
	const char *qs = "type=album&type=single";

	(void)state;
	arena_init(&a, 4096);
	assert_int_equal(url_parse_query(&a, qs, strlen(qs), &q, &why), ERR_OK);
	assert_string_equal(url_query_get(&q, "type"), "album");
	assert_int_equal(url_query_count(&q, "type"), 2);
	assert_null(url_query_get(&q, "nope"));
	arena_release(&a);
}

static void test_decode_path_keeps_plus(void **state)
{
	struct arena a;
	char *out = NULL;
	const char *why;

	(void)state;
	arena_init(&a, 4096);
	assert_int_equal(url_decode(&a, "a+b", 3, false, &out, &why), ERR_OK);
	assert_string_equal(out, "a+b");
	assert_int_equal(url_decode(&a, "a+b", 3, true, &out, &why), ERR_OK);
	assert_string_equal(out, "a b");
	arena_release(&a);
}

static void test_arena_cap(void **state)
{
	struct arena a;
	struct url_query q;
	const char *why;
	char qs[2048];

	(void)state;
	memset(qs, 'x', sizeof(qs));
	qs[0] = 'q';
	qs[1] = '=';
	arena_init(&a, 512);
	assert_int_equal(url_parse_query(&a, qs, sizeof(qs), &q, &why), ERR_TOO_LARGE);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_table),
		cmocka_unit_test(test_too_many_params),
		cmocka_unit_test(test_duplicates_and_first),
		cmocka_unit_test(test_decode_path_keeps_plus),
		cmocka_unit_test(test_arena_cap),
	};

	return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
