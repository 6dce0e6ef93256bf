/*
 * fuzz_fanarttv.c - libFuzzer entry point for the fanart.tv provider's
 * pure functions.
 *
 * The input goes to the artist parser and to the album parser (for a fixed
 * release group, and for the first MBID-looking key of its "albums" map),
 * and, as a string, to the URL builders as MBID and keys. Every fragment
 * produced must pass fragment_check(), print as valid UTF-8 and parse back
 * equal; every URL built must be printable ASCII; nothing may crash or
 * leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fanarttv.h"
#include "medley/fragment.h"
#include "medley/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_frag(enum err e, cJSON *frag, const char *why)
{
	char where[300];
	char *text;
	cJSON *again;

	if (e != ERR_OK) {
		assert(!frag && why);
		return;
	}
	assert(fragment_check(frag, where, sizeof(where)) == ERR_OK);
	text = cJSON_PrintUnformatted(frag);
	assert(text && json_utf8_valid(text, strlen(text)));
	again = cJSON_Parse(text);
	assert(again && cJSON_Compare(frag, again, 1));
	cJSON_Delete(again);
	cJSON_free(text);
	cJSON_Delete(frag);
}

static void check_printable(enum err e, const struct buf *b)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
}

/* The first key of the body's "albums" map (a copy, or NULL). */
static char *first_album_key(const char *body, size_t len)
{
	cJSON *root = NULL;
	const cJSON *albums;
	const char *why;
	char *key = NULL;

	if (json_parse(body, len, FANARTTV_MAX_BODY_BYTES, &root, &why) != ERR_OK)
		return NULL;
	albums = json_get_object(root, "albums");
	if (albums && albums->child && albums->child->string)
		key = strdup(albums->child->string);
	cJSON_Delete(root);
	return key;
}

static void fuzz_strings(const char *body, size_t len)
{
	char *s = malloc(len + 1);
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	check_printable(fanarttv_artist_url(FANARTTV_DEFAULT_BASE_URL, s, "key", NULL, &b), &b);
	buf_reset(&b);
	check_printable(fanarttv_album_url(FANARTTV_DEFAULT_BASE_URL,
					   "f5a2e9ac-bd56-44f5-95fa-a267310d12ff", s, s, &b),
			&b);
	buf_release(&b);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *why = NULL;
	cJSON *frag = NULL;
	char *key;
	enum err e;

	json_init();
	e = fanarttv_parse_artist(body, size, &frag, &why);
	check_frag(e, frag, why);
	e = fanarttv_parse_album(body, size, "f5a2e9ac-bd56-44f5-95fa-a267310d12ff", &frag, &why);
	check_frag(e, frag, why);
	key = first_album_key(body, size);
	if (key) {
		e = fanarttv_parse_album(body, size, key, &frag, &why);
		check_frag(e, frag, why);
		free(key);
	}
	if (size <= 4096)
		fuzz_strings(body, size);
	return 0;
}
