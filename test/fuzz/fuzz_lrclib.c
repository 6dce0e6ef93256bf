/*
 * fuzz_lrclib.c - libFuzzer entry point for the LRCLib provider's pure
 * functions.
 *
 * Every input goes to both parsers (/get and /search); a fragment they
 * return must pass fragment_check(), print as valid UTF-8 and parse back
 * equal, and what lrclib_pick() chooses from a candidates fragment must be
 * one of its items. The input (cut in three at its first two NUL bytes, if
 * any) is also the artist, title and album of both URL builders, whose URLs
 * must be printable ASCII. Nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/lrclib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_url(enum err e, const struct buf *b)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
}

/* The string after the next NUL of [s, end), or end (an empty string) when none. */
static const char *next_part(const char *s, const char *end)
{
	const char *nul = memchr(s, '\0', (size_t)(end - s));

	return nul ? nul + 1 : end;
}

static void fuzz_urls(const char *body, size_t len)
{
	char *s = malloc(len + 1);
	const char *title, *album;
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	title = next_part(s, s + len);
	album = next_part(title, s + len);
	buf_init(&b, 64 * 1024);
	check_url(lrclib_get_url(LRCLIB_DEFAULT_BASE_URL, s, title, album, (long)len, &b), &b);
	buf_reset(&b);
	check_url(lrclib_search_url(LRCLIB_DEFAULT_BASE_URL, s, title, album, &b), &b);
	buf_release(&b);
	free(s);
}

static bool is_item(const cJSON *frag, const cJSON *item)
{
	const cJSON *i;

	cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(frag, "items"))
	{
		if (i == item)
			return true;
	}
	return false;
}

static void check_picks(const cJSON *frag)
{
	static const long durations[] = {-1, 0, 1, 200000, 9007199254740991L};

	for (size_t i = 0; i < ARRAY_SIZE(durations); i++) {
		const cJSON *a = lrclib_pick(frag, durations[i], LRCLIB_DEFAULT_TOLERANCE_MS);
		const cJSON *b = lrclib_pick(frag, durations[i], -1);

		assert(!a || is_item(frag, a));
		assert(!b || is_item(frag, b));
	}
}

static void check_frag(cJSON *frag, bool search)
{
	char where[300];
	char *text;
	cJSON *again;

	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		abort();
	text = cJSON_PrintUnformatted(frag);
	assert(text && json_utf8_valid(text, strlen(text)));
	again = cJSON_Parse(text);
	assert(again && cJSON_Compare(frag, again, 1));
	cJSON_Delete(again);
	cJSON_free(text);
	if (search)
		check_picks(frag);
	else
		assert(!lrclib_pick(frag, 0, 0));
	cJSON_Delete(frag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *why = NULL;
	cJSON *frag = NULL;

	json_init();
	if (lrclib_parse_get(body, size, &frag, &why) == ERR_OK)
		check_frag(frag, false);
	else
		assert(!frag && why);
	why = NULL;
	if (lrclib_parse_search(body, size, &frag, &why) == ERR_OK)
		check_frag(frag, true);
	else
		assert(!frag && why);
	fuzz_urls(body, size);
	return 0;
}
