/*
 * test_router.c - route matching, methods, parameters, malformed paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "medley/router.h"

static void h_dummy(struct req *r)
{
	(void)r;
}

// clang-format off
static const struct route table[] = {
	{ HTTP_GET,             "/health",                         h_dummy, "health" },
	{ HTTP_GET,             "/v1/artists/{mbid}",              h_dummy, "artist.get" },
	{ HTTP_GET,             "/v1/artists/{mbid}/release-groups", h_dummy, "artist.rgs" },
	{ HTTP_POST,            "/v1/admin/purge",                 h_dummy, "admin.purge" },
	{ HTTP_DELETE,          "/v1/artists/{mbid}",              h_dummy, "artist.delete" },
	{ HTTP_GET,             "/",                               h_dummy, "root" },
};
// clang-format on

struct match_case {
	const char *method;
	const char *path;
	enum err want;
	const char *route; /* expected route name when ERR_OK */
	const char *mbid;  /* expected {mbid} value, if any */
	const char *allow; /* expected Allow value when 405 */
};

static const struct match_case cases[] = {
	{"GET", "/health", ERR_OK, "health", NULL, NULL},
	{"HEAD", "/health", ERR_OK, "health", NULL, NULL},
	{"GET", "/", ERR_OK, "root", NULL, NULL},
	{"POST", "/health", ERR_METHOD_NOT_ALLOWED, NULL, NULL, "GET, HEAD"},
	{"BREW", "/health", ERR_METHOD_NOT_ALLOWED, NULL, NULL, "GET, HEAD"},
	{"GET", "/healthz", ERR_NOT_FOUND, NULL, NULL, NULL},
	{"GET", "/health/", ERR_NOT_FOUND, NULL, NULL, NULL},
	{"GET", "//health", ERR_NOT_FOUND, NULL, NULL, NULL},
	{"GET", "/v1/artists/abc", ERR_OK, "artist.get", "abc", NULL},
	{"DELETE", "/v1/artists/abc", ERR_OK, "artist.delete", "abc", NULL},
	{"PUT", "/v1/artists/abc", ERR_METHOD_NOT_ALLOWED, NULL, NULL, "GET, HEAD, DELETE"},
	{"GET", "/v1/artists/a%20b", ERR_OK, "artist.get", "a b", NULL},
	{"GET", "/v1/artists/a%2Fb", ERR_OK, "artist.get", "a/b", NULL},
	{"GET", "/v1/artists/abc/release-groups", ERR_OK, "artist.rgs", "abc", NULL},
	{"GET", "/v1/artists", ERR_NOT_FOUND, NULL, NULL, NULL},
	{"GET", "/v1/artists/abc/extra/deep", ERR_NOT_FOUND, NULL, NULL, NULL},
	{"GET", "/he%61lth", ERR_OK, "health", NULL, NULL},
	{"GET", "/v1/artists/%zz", ERR_BAD_PATH, NULL, NULL, NULL},
	{"GET", "/v1/artists/%4", ERR_BAD_PATH, NULL, NULL, NULL},
	{"GET", "/v1/artists/%00", ERR_BAD_PATH, NULL, NULL, NULL},
	{"GET", "/v1/artists/%ff", ERR_BAD_PATH, NULL, NULL, NULL},
	{"GET", "health", ERR_BAD_PATH, NULL, NULL, NULL},
	{"GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s", ERR_NOT_FOUND, NULL, NULL, NULL},
};

static void test_match_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct match_case *c = &cases[i];
		struct arena a;
		struct route_match m;
		const char *why = NULL;
		enum err e;

		arena_init(&a, 4096);
		e = router_match(table, sizeof(table) / sizeof(table[0]), router_method(c->method),
				 c->path, strlen(c->path), &a, &m, &why);
		if (e != c->want)
			fail_msg("%s %s: got %s, want %s", c->method, c->path, err_str(e),
				 err_str(c->want));
		if (c->route)
			assert_string_equal(m.route->name, c->route);
		if (c->mbid)
			assert_string_equal(router_param(&m, "mbid"), c->mbid);
		if (c->allow) {
			char allow[64];

			router_allow_str(m.allow, allow, sizeof(allow));
			assert_string_equal(allow, c->allow);
		}
		if (e == ERR_BAD_PATH)
			assert_non_null(why);
		arena_release(&a);
	}
}

static void test_param_absent(void **state)
{
	struct arena a;
	struct route_match m;
	const char *why;

	(void)state;
	arena_init(&a, 4096);
	assert_int_equal(router_match(table, 1, HTTP_GET, "/health", 7, &a, &m, &why), ERR_OK);
	assert_null(router_param(&m, "mbid"));
	arena_release(&a);
}

static void test_arena_full(void **state)
{
	struct arena a;
	struct route_match m;
	const char *why;
	char path[600];

	(void)state;
	memset(path, 'x', sizeof(path));
	memcpy(path, "/v1/artists/", 12);
	arena_init(&a, 256);
	assert_int_equal(router_match(table, 6, HTTP_GET, path, sizeof(path), &a, &m, &why),
			 ERR_TOO_LARGE);
	arena_release(&a);
}

static void h_other(struct req *r)
{
	(void)r;
}

static void test_check_table(void **state)
{
	const char *why = NULL;
	const struct route dup[] = {
		{HTTP_GET, "/a", h_other, "x"},
		{HTTP_GET, "/b", h_other, "x"},
	};
	const struct route bad[] = {{HTTP_GET, "/a/", h_other, "a"}};
	const struct route unclosed[] = {{HTTP_GET, "/a/{id", h_other, "a"}};

	(void)state;
	assert_int_equal(router_check_table(table, 6, &why), ERR_OK);
	assert_int_equal(router_check_table(dup, 2, &why), ERR_INTERNAL);
	assert_string_equal(why, "x");
	assert_int_equal(router_check_table(bad, 1, &why), ERR_INTERNAL);
	assert_int_equal(router_check_table(unclosed, 1, &why), ERR_INTERNAL);
}

static void test_methods(void **state)
{
	(void)state;
	assert_int_equal(router_method("GET"), HTTP_GET);
	assert_int_equal(router_method("get"), HTTP_OTHER);
	assert_int_equal(router_method(""), HTTP_OTHER);
	assert_int_equal(router_method("OPTIONS"), HTTP_OPTIONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table), cmocka_unit_test(test_param_absent),
		cmocka_unit_test(test_arena_full),  cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_methods),
	};

	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
