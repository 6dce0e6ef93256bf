/*
 * test_buf.c - capped buffers, JSON escaping, the arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "medley/arena.h"
#include "medley/buf.h"
#include "medley/xalloc.h"

static void test_cap_is_sticky(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(b.data, "");
	buf_adds(&b, "12345");
	buf_adds(&b, "6789");
	assert_true(buf_failed(&b));
	assert_string_equal(b.data, "12345");
	buf_adds(&b, "a");
	assert_string_equal(b.data, "12345");
	buf_reset(&b);
	assert_false(buf_failed(&b));
	buf_addf(&b, "%d", 1234567);
	assert_string_equal(b.data, "1234567");
	buf_release(&b);
}

static void test_reserve(void **state)
{
	struct buf b;
	char *before;

	(void)state;
	buf_init(&b, 100);
	assert_true(buf_reserve(&b, 60));
	before = b.data;
	buf_adds(&b, "0123456789012345678901234567890123456789012345678901234567");
	assert_ptr_equal(b.data, before); /* no reallocation */
	assert_false(buf_reserve(&b, 50));
	assert_true(buf_failed(&b));
	buf_release(&b);
}

static void test_addf_large(void **state)
{
	struct buf b;
	char big[1000];

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 4096);
	buf_addf(&b, "<%s>", big);
	assert_int_equal(b.len, 1001);
	assert_int_equal(b.data[1000], '>');
	buf_release(&b);
}

struct esc_case {
	const char *in;
	const char *out;
};

static const struct esc_case esc[] = {
	{"plain", "\"plain\""},
	{"q\"b\\", "\"q\\\"b\\\\\""},
	{"\n\t\r\x01", "\"\\n\\t\\r\\u0001\""},
	{"caf\xc3\xa9", "\"caf\xc3\xa9\""},
	{"bad\xff", "\"bad\\ufffd\""},
	{"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},
	{"\xf0\x9f\x8e\xb5", "\"\xf0\x9f\x8e\xb5\""},
	{"\x7f", "\"\\u007f\""},
};

static void test_json_escape(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
		struct buf b;

		buf_init(&b, 256);
		buf_add_json_str(&b, esc[i].in);
		assert_string_equal(b.data, esc[i].out);
		buf_release(&b);
	}
}

static void test_detach(void **state)
{
	struct buf b;
	size_t len;
	char *s;

	(void)state;
	buf_init(&b, 64);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	xfree(s);
	buf_adds(&b, "hello");
	s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	xfree(s);
	buf_release(&b);
}

static void test_arena(void **state)
{
	struct arena a;
	char *p, *q;

	(void)state;
	arena_init(&a, 64 * 1024);
	p = arena_strndup(&a, "hello", 5);
	q = arena_alloc(&a, 10000);
	assert_non_null(q);
	memset(q, 1, 10000);
	assert_string_equal(p, "hello");
	for (int i = 0; i < 100; i++) {
		uintptr_t x = (uintptr_t)arena_alloc(&a, 3);

		assert_int_equal(x % sizeof(void *), 0);
	}
	assert_null(arena_alloc(&a, 100000));
	arena_release(&a);
	assert_null(a.head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_is_sticky), cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_addf_large),    cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_detach),	      cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
