/*
 * test_errors.c - the error table, problem documents and request ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "medley/err.h"
#include "medley/problem.h"
#include "medley/reqid.h"

static void test_table_complete(void **state)
{
	(void)state;
	assert_int_equal(ERR_OK, 0);
	for (int e = 0; e < ERR__COUNT; e++) {
		int status = err_http_status((enum err)e);

		assert_true(status >= 200 && status <= 599);
		assert_true(strlen(err_str((enum err)e)) > 0);
		assert_true(strlen(err_title((enum err)e)) > 0);
		for (int f = 0; f < e; f++)
			assert_string_not_equal(err_str((enum err)e), err_str((enum err)f));
	}
	assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
	assert_int_equal(err_http_status(ERR_URI_TOO_LONG), 414);
	assert_int_equal(err_http_status(ERR_HEADERS_TOO_LARGE), 431);
	assert_int_equal(err_http_status((enum err)999), 500);
	assert_string_equal(err_str((enum err) - 1), "internal");
}

static void test_problem_is_json(void **state)
{
	struct buf b;
	cJSON *doc;

	(void)state;
	buf_init(&b, 4096);
	problem_render(&b, ERR_BAD_QUERY, "bad \"q\"\n\x01 \xff", "/v1/x?y", "abc", NULL);
	doc = cJSON_ParseWithLength(b.data, b.len);
	assert_non_null(doc);
	assert_string_equal(cJSON_GetObjectItem(doc, "type")->valuestring,
			    "urn:medley:problem:bad-query");
	assert_string_equal(cJSON_GetObjectItem(doc, "title")->valuestring,
			    "Malformed query string");
	assert_int_equal(cJSON_GetObjectItem(doc, "status")->valueint, 400);
	assert_string_equal(cJSON_GetObjectItem(doc, "detail")->valuestring,
			    "bad \"q\"\n\x01 \xef\xbf\xbd");
	assert_string_equal(cJSON_GetObjectItem(doc, "instance")->valuestring, "/v1/x?y");
	assert_string_equal(cJSON_GetObjectItem(doc, "request_id")->valuestring, "abc");
	cJSON_Delete(doc);
	buf_release(&b);
}

static void test_problem_extra_members(void **state)
{
	struct buf b;
	cJSON *doc;

	(void)state;
	buf_init(&b, 4096);
	problem_render(&b, ERR_NOT_READY, NULL, NULL, NULL, "\"checks\":{\"database\":\"down\"}");
	doc = cJSON_ParseWithLength(b.data, b.len);
	assert_non_null(doc);
	assert_string_equal(cJSON_GetObjectItem(doc, "detail")->valuestring, "Service not ready");
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "checks"), "database")->valuestring,
		"down");
	cJSON_Delete(doc);
	buf_release(&b);
}

static void test_reqid(void **state)
{
	char a[65], b[65];

	(void)state;
	assert_true(reqid_valid("abc-123_X.y", 64));
	assert_false(reqid_valid("", 64));
	assert_false(reqid_valid(NULL, 64));
	assert_false(reqid_valid("has space", 64));
	assert_false(reqid_valid("quote\"", 64));
	assert_false(reqid_valid("new\nline", 64));
	assert_false(reqid_valid("12345", 4));
	reqid_assign("client-id", a, sizeof(a));
	assert_string_equal(a, "client-id");
	reqid_assign("bad id", a, sizeof(a));
	reqid_assign(NULL, b, sizeof(b));
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strlen(b), 32);
	assert_string_not_equal(a, b);
	assert_true(reqid_valid(a, 64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_problem_is_json),
		cmocka_unit_test(test_problem_extra_members),
		cmocka_unit_test(test_reqid),
	};

	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
