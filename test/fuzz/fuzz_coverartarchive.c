/*
 * fuzz_coverartarchive.c - libFuzzer entry point for the Cover Art Archive
 * provider's pure functions.
 *
 * Every input goes to caa_parse(); a fragment it returns must pass
 * fragment_check(), print as valid UTF-8 and parse back equal, and every
 * URL caa_pick() chooses from it must be an http(s) URL of that fragment.
 * The input is also the MBID of both URL builders, whose URLs must be
 * printable ASCII. Nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/coverartarchive.h"
#include "medley/fragment.h"
#include "medley/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_url(enum err e, const struct buf *b)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
}

static void fuzz_urls(const char *body, size_t len)
{
	char *s = malloc(len + 1);
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 4096);
	check_url(caa_release_url(CAA_DEFAULT_BASE_URL, s, &b), &b);
	buf_reset(&b);
	check_url(caa_release_group_url(CAA_DEFAULT_BASE_URL, s, &b), &b);
	buf_release(&b);
	free(s);
}

static void check_picks(const cJSON *frag)
{
	static const int sizes[] = {-1, 0, 1, 250, 251, 500, 1200, 1201};

	for (int t = -1; t <= IMAGE_TYPE__COUNT; t++) {
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			const char *url = caa_pick(frag, (enum image_type)t, sizes[i]);

			assert(!url || fragment_url_ok(url));
			assert(!url || (t >= 0 && t < IMAGE_TYPE__COUNT && sizes[i] >= 0));
		}
	}
}

static void check_frag(cJSON *frag)
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
	check_picks(frag);
	cJSON_Delete(frag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *why = NULL;
	cJSON *frag = NULL;

	json_init();
	if (caa_parse(body, size, &frag, &why) == ERR_OK)
		check_frag(frag);
	else
		assert(!frag && why);
	fuzz_urls(body, size);
	return 0;
}
