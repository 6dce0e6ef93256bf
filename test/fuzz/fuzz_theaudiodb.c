/*
 * fuzz_theaudiodb.c - libFuzzer entry point for the TheAudioDB provider's
 * pure functions.
 *
 * The whole input goes to each of the three parsers (artist, album,
 * track): every fragment produced must pass fragment_check(), print as
 * valid UTF-8 and parse back equal; a failure must leave *out NULL and
 * give a reason. The input, cut at its first NUL, is also used as the API
 * key and the MBID of the three URL builders, whose URLs must be
 * printable ASCII. Nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/theaudiodb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef enum err parse_fn(const char *body, size_t len, cJSON **out, const char **why);
typedef enum err url_fn(const char *base, const char *key, const char *mbid, struct buf *out);

static void check_frag(cJSON *frag)
{
	char where[300];
	char *text;
	cJSON *again;

	assert(fragment_check(frag, where, sizeof(where)) == ERR_OK);
	text = cJSON_PrintUnformatted(frag);
	assert(text && json_utf8_valid(text, strlen(text)));
	again = cJSON_Parse(text);
	assert(again && cJSON_Compare(frag, again, 1));
	cJSON_Delete(again);
	cJSON_free(text);
	cJSON_Delete(frag);
}

static void check_url(enum err e, const struct buf *b)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
}

static void fuzz_urls(const char *body, size_t len)
{
	url_fn *const fns[] = {theaudiodb_artist_url, theaudiodb_album_url, theaudiodb_track_url};
	char *s = malloc(len + 1);
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		check_url(fns[i](THEAUDIODB_DEFAULT_BASE_URL, s,
				 "5b11f4ce-a62d-471e-81fc-a69a8278c7da", &b),
			  &b);
		buf_reset(&b);
		check_url(fns[i](THEAUDIODB_DEFAULT_BASE_URL, "123", s, &b), &b);
		buf_reset(&b);
	}
	(void)theaudiodb_language(s);
	buf_release(&b);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_fn *const parsers[] = {theaudiodb_parse_artist, theaudiodb_parse_album,
				     theaudiodb_parse_track};
	const char *body = (const char *)data;

	json_init();
	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		const char *why = NULL;
		cJSON *frag = NULL;

		if (parsers[i](body, size, &frag, &why) == ERR_OK)
			check_frag(frag);
		else
			assert(!frag && why);
	}
	fuzz_urls(body, size);
	return 0;
}
