/*
 * fuzz_itunes.c - libFuzzer entry point for the iTunes Search API
 * provider's pure functions.
 *
 * The first byte picks what the rest is fed to: the results parser for
 * 'a'rtists, a'l'bums or 's'ongs, the a'L'bum lookup parser, the 'w'
 * artwork rewrite (as the URL), or the 'u'rl builders (as term, id, UPC and
 * country). Any other byte picks by its value modulo 6. Every fragment
 * produced must pass fragment_check(), print as valid UTF-8 and parse back
 * equal; every URL built must be printable ASCII (and an artwork URL an
 * absolute http(s) URL); nothing may crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/itunes.h"
#include "medley/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char selectors[] = "alsLwu";

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_itunes: %s\n", what);
		abort();
	}
}

static void check_frag(cJSON *frag)
{
	char where[300];
	char *text;
	cJSON *again;

	if (fragment_check(frag, where, sizeof(where)) != ERR_OK) {
		fprintf(stderr, "fuzz_itunes: fragment shape: %s\n", where);
		abort();
	}
	text = cJSON_PrintUnformatted(frag);
	require(text && json_utf8_valid(text, strlen(text)), "fragment is not UTF-8");
	again = cJSON_Parse(text);
	require(again && cJSON_Compare(frag, again, 1), "fragment does not round-trip");
	cJSON_Delete(again);
	cJSON_free(text);
	cJSON_Delete(frag);
}

static void check_url(enum err e, struct buf *b)
{
	if (e == ERR_OK)
		for (size_t i = 0; i < b->len; i++)
			require(b->data[i] > 0x20 && b->data[i] < 0x7f,
				"URL is not printable ASCII");
	buf_reset(b);
}

static char *cstr(const char *body, size_t len)
{
	char *s = malloc(len + 1);

	require(s != NULL, "out of memory");
	memcpy(s, body, len);
	s[len] = '\0';
	return s;
}

static void fuzz_urls(const char *body, size_t len)
{
	static const char base[] = "https://itunes.apple.com";
	char *s = cstr(body, len);
	const char *country = len > 2 ? s + len - 2 : s;
	struct buf b;

	buf_init(&b, 64 * 1024);
	for (int e = 0; e < ITUNES_ENTITY__COUNT; e++) {
		check_url(itunes_search_url(base, (enum itunes_entity)e, s, 200, NULL, &b), &b);
		check_url(itunes_search_url(base, (enum itunes_entity)e, s, 1, country, &b), &b);
	}
	for (int i = 0; i < ITUNES_INCLUDE__COUNT; i++) {
		check_url(itunes_lookup_url(base, s, (enum itunes_include)i, 200, country, &b), &b);
		check_url(itunes_lookup_upc_url(base, s, (enum itunes_include)i, 0, NULL, &b), &b);
	}
	buf_release(&b);
	free(s);
}

static void fuzz_artwork(const char *body, size_t len)
{
	char *s = cstr(body, len);
	struct buf b;

	buf_init(&b, 64 * 1024);
	if (itunes_artwork_url(s, (int)(len % 3000) + 1, &b) == ERR_OK)
		require(fragment_url_ok(b.data) && json_utf8_valid(b.data, b.len),
			"artwork URL is not a URL");
	buf_release(&b);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1, *why = NULL, *pick;
	size_t len = size ? size - 1 : 0;
	cJSON *frag = NULL;
	enum err e;
	int sel;

	if (!size)
		return 0;
	json_init();
	pick = data[0] ? strchr(selectors, data[0]) : NULL;
	sel = pick ? (int)(pick - selectors) : data[0] % 6;
	if (sel == 4) {
		fuzz_artwork(body, len);
		return 0;
	}
	if (sel == 5) {
		fuzz_urls(body, len);
		return 0;
	}
	if (sel == 3)
		e = itunes_parse_album_lookup(body, len, &frag, &why);
	else
		e = itunes_parse_results((enum itunes_entity)sel, body, len, &frag, &why);
	if (e == ERR_OK)
		check_frag(frag);
	else
		require(!frag && why, "error without a reason, or with a fragment");
	return 0;
}
