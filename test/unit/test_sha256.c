/*
 * test_sha256.c - SHA-256 against the FIPS 180-4 example vectors and padding edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/sha256.h"

struct vector {
	const char *in;
	const char *hex;
};

static const struct vector vectors[] = {
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrl"
	 "mn"
	 "opqrsmnopqrstnopqrstu",
	 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

static void test_vectors(void **state)
{
	char out[SHA256_HEX_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		sha256_hex(vectors[i].in, strlen(vectors[i].in), out);
		assert_string_equal(out, vectors[i].hex);
	}
	sha256_hex(NULL, 0, out);
	assert_string_equal(out, vectors[0].hex);
}

static void test_million_a(void **state)
{
	char out[SHA256_HEX_LEN];
	char *a = malloc(1000000);

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	sha256_hex(a, 1000000, out);
	assert_string_equal(out,
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Lengths around the 55/56/64-byte padding boundaries must differ and be stable. */
static void test_padding_boundaries(void **state)
{
	char buf[130], prev[SHA256_HEX_LEN] = "", out[SHA256_HEX_LEN], again[SHA256_HEX_LEN];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	for (size_t n = 50; n <= 130; n++) {
		sha256_hex(buf, n, out);
		sha256_hex(buf, n, again);
		assert_string_equal(out, again);
		assert_string_not_equal(out, prev);
		memcpy(prev, out, sizeof(out));
	}
	/* 56 bytes of 'x', checked against sha256sum. */
	sha256_hex(buf, 56, out);
	assert_string_equal(out,
			    "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_boundaries),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
