/*
 * test_lru.c - the in-memory layer: hits, replacement, byte-bounded eviction,
 * shared entries, references outliving eviction, concurrency.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "medley/lru.h"
#include "medley/xalloc.h"

static struct doc_entry *entry_of(const char *text)
{
	return doc_entry_new(DOC_OK, xstrdup(text), strlen(text), 1000, 2000, NULL);
}

static void test_get_put_replace(void **state)
{
	struct lru *l = lru_new(1 << 20);
	struct doc_entry *a = entry_of("{\"a\":1}"), *b = entry_of("{\"b\":2}"), *got;

	(void)state;
	assert_null(lru_get(l, "k"));
	lru_put(l, "k", a);
	got = lru_get(l, "k");
	assert_ptr_equal(got, a);
	doc_entry_unref(got);
	lru_put(l, "k", b);
	got = lru_get(l, "k");
	assert_ptr_equal(got, b);
	doc_entry_unref(got);
	assert_int_equal(lru_count(l), 1);
	lru_remove(l, "k");
	assert_null(lru_get(l, "k"));
	assert_int_equal(lru_bytes(l), 0);
	doc_entry_unref(a);
	doc_entry_unref(b);
	lru_free(l);
}

static void test_etag_is_strong_and_stable(void **state)
{
	struct doc_entry *a = entry_of("{\"x\":1}"), *b = entry_of("{\"x\":1}"),
			 *c = entry_of("{\"x\":2}");

	(void)state;
	assert_int_equal(strlen(a->etag), 34);
	assert_int_equal(a->etag[0], '"');
	assert_string_equal(a->etag, b->etag);
	assert_string_not_equal(a->etag, c->etag);
	struct doc_entry *d = doc_entry_new(DOC_OK, xstrdup("{}"), 2, 1, 2, "\"stored\"");

	assert_string_equal(d->etag, "\"stored\"");
	doc_entry_unref(d);
	doc_entry_unref(a);
	doc_entry_unref(b);
	doc_entry_unref(c);
}

static void test_bounded_by_bytes(void **state)
{
	struct lru *l = lru_new(16 * 4096);
	char body[1000], key[32];

	(void)state;
	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	for (int i = 0; i < 2000; i++) {
		struct doc_entry *e = entry_of(body);

		snprintf(key, sizeof(key), "k%d", i);
		lru_put(l, key, e);
		doc_entry_unref(e);
		assert_true(lru_bytes(l) <= 16 * 4096);
	}
	assert_true(lru_count(l) > 16);
	assert_true(lru_count(l) < 80);
	/* The most recent survive. */
	struct doc_entry *e = lru_get(l, "k1999");

	assert_non_null(e);
	doc_entry_unref(e);
	assert_null(lru_get(l, "k0"));
	lru_free(l);
}

static void test_recency_protects_hot_keys(void **state)
{
	struct lru *l = lru_new(16 * 4096);
	char body[1000], key[32];

	(void)state;
	memset(body, 'y', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	struct doc_entry *hot = entry_of(body);

	lru_put(l, "hot", hot);
	for (int i = 0; i < 500; i++) {
		struct doc_entry *e = entry_of(body), *h;

		snprintf(key, sizeof(key), "c%d", i);
		lru_put(l, key, e);
		doc_entry_unref(e);
		h = lru_get(l, "hot"); /* touched every time: never the tail */
		assert_non_null(h);
		doc_entry_unref(h);
	}
	doc_entry_unref(hot);
	lru_free(l);
}

static void test_reference_outlives_eviction(void **state)
{
	struct lru *l = lru_new(16 * 1024);
	struct doc_entry *e = entry_of("{\"keep\":true}"), *got;

	(void)state;
	lru_put(l, "a", e);
	lru_put(l, "alias", e); /* shared by two keys */
	doc_entry_unref(e);
	got = lru_get(l, "alias");
	lru_free(l);
	assert_string_equal(got->body, "{\"keep\":true}");
	doc_entry_unref(got);
}

static void test_disabled_and_oversized(void **state)
{
	struct lru *off = lru_new(0), *small = lru_new(16 * 100);
	struct doc_entry *e =
		entry_of("{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}");

	(void)state;
	lru_put(off, "k", e);
	assert_null(lru_get(off, "k"));
	lru_put(small, "k", e); /* larger than a shard's share */
	assert_null(lru_get(small, "k"));
	doc_entry_unref(e);
	lru_free(off);
	lru_free(small);
}

static void test_not_found_entries(void **state)
{
	struct doc_entry *e = doc_entry_new(DOC_NOT_FOUND, NULL, 0, 1, 2, NULL);

	(void)state;
	assert_null(e->body);
	assert_string_equal(e->etag, "");
	doc_entry_unref(e);
}

static void *hammer(void *arg)
{
	struct lru *l = arg;
	char key[32];

	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%d", i % 300);
		if (i % 3 == 0) {
			struct doc_entry *e = entry_of("{\"v\":1}");

			lru_put(l, key, e);
			doc_entry_unref(e);
		} else {
			doc_entry_unref(lru_get(l, key));
		}
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	struct lru *l = lru_new(16 * 2048);
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, l);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_true(lru_bytes(l) <= 16 * 2048);
	lru_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_put_replace),
		cmocka_unit_test(test_etag_is_strong_and_stable),
		cmocka_unit_test(test_bounded_by_bytes),
		cmocka_unit_test(test_recency_protects_hot_keys),
		cmocka_unit_test(test_reference_outlives_eviction),
		cmocka_unit_test(test_disabled_and_oversized),
		cmocka_unit_test(test_not_found_entries),
		cmocka_unit_test(test_concurrent),
	};

	return cmocka_run_group_tests_name("lru", tests, NULL, NULL);
}
