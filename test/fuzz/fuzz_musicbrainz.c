/*
 * fuzz_musicbrainz.c - libFuzzer entry point for the MusicBrainz provider's
 * pure functions.
 *
 * The first byte picks what the rest is fed to: a lookup parser ('a'rtist,
 * release-'g'roup, 'r'elease, re'c'ording), a search parser (the same
 * letters in capitals), the release-group 'b'rowse parser, the 'e'rror
 * parser, the 'u'rl builders (as MBID, query and type filter), or the
 * 'U'rl-lookup parser. Any other byte picks by its value modulo 12. Every document produced must have the
 * documented shape (mb_check_document), print as valid UTF-8 and parse back
 * equal; every URL built must be printable ASCII; nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "medley/musicbrainz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char selectors[] = "agrcAGRCbeuU";

static void check_doc(cJSON *doc)
{
	char where[300];
	char *text;
	cJSON *again;

	assert(mb_check_document(doc, where, sizeof(where)) == ERR_OK);
	text = cJSON_PrintUnformatted(doc);
	assert(text && json_utf8_valid(text, strlen(text)));
	again = cJSON_Parse(text);
	assert(again && cJSON_Compare(doc, again, 1));
	cJSON_Delete(again);
	cJSON_free(text);
	cJSON_Delete(doc);
}

static void check_url(enum err e, const struct buf *b)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
}

/* The input as MBID, query and type filter of every builder. */
static void fuzz_urls(const char *body, size_t len)
{
	char *s = malloc(len + 1);
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	(void)mb_valid_mbid(s);
	for (int e = 0; e <= MB_ENTITY__COUNT; e++) {
		check_url(mb_lookup_url("https://musicbrainz.org/ws/2", (enum mb_entity)e, s, &b),
			  &b);
		buf_reset(&b);
		check_url(mb_search_url("https://mb.test/ws/2", (enum mb_entity)e, s, 25, 0, &b),
			  &b);
		buf_reset(&b);
	}
	check_url(mb_browse_release_groups_url("https://mb.test/ws/2",
					       "5b11f4ce-a62d-471e-81fc-a69a8278c7da", s, 100,
					       4294967295u, &b),
		  &b);
	buf_release(&b);
	free(s);
}

static void fuzz_error(const char *body, size_t len)
{
	char msg[64];

	if (mb_parse_error(body, len, msg, sizeof(msg)) != ERR_OK)
		assert(msg[0] == '\0');
	assert(json_utf8_valid(msg, strlen(msg)));
	for (const char *p = msg; *p; p++)
		assert((unsigned char)*p >= 0x20 && *p != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1, *why = NULL, *pick;
	size_t len = size ? size - 1 : 0;
	cJSON *doc = NULL;
	enum err e;
	int sel;

	if (!size)
		return 0;
	json_init();
	pick = data[0] ? strchr(selectors, data[0]) : NULL;
	sel = pick ? (int)(pick - selectors) : data[0] % 12;
	if (sel == 9) {
		fuzz_error(body, len);
		return 0;
	}
	if (sel == 10) {
		fuzz_urls(body, len);
		return 0;
	}
	if (sel < 4)
		e = mb_parse_lookup((enum mb_entity)sel, body, len, &doc, &why);
	else if (sel < 8)
		e = mb_parse_search((enum mb_entity)(sel - 4), body, len, &doc, &why);
	else if (sel == 11)
		e = mb_parse_url(body, len, &doc, &why);
	else
		e = mb_parse_browse_release_groups(body, len, &doc, &why);
	if (e == ERR_OK)
		check_doc(doc);
	else
		assert(!doc && why);
	return 0;
}
