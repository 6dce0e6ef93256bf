/*
 * fuzz_discogs.c - libFuzzer entry point for the Discogs provider's pure
 * functions.
 *
 * The first byte picks what the rest is fed to: the 'a'rtist, 'r'elease or
 * 'm'aster parser, the search parser for artists, releases or masters
 * ('A', 'R', 'M'), or the 'u'rl functions (the rest as id, query, barcode,
 * token and page URL). Any other byte picks by its value modulo 7. Every
 * fragment produced must pass fragment_check(), print as valid UTF-8 and
 * parse back equal; every URL or header built must be printable ASCII;
 * nothing may crash or leak.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/discogs.h"
#include "medley/fragment.h"
#include "medley/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char selectors[] = "armARMu";

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
	cJSON_Delete(frag);
}

/* A URL: printable ASCII without spaces; a header value (space_ok): spaces allowed. */
static void check_ascii(enum err e, const struct buf *b, bool space_ok)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert((b->data[i] > 0x20 || (space_ok && b->data[i] == ' ')) && b->data[i] < 0x7f);
}

/* The input as id, query, barcode, token and page URL of every builder. */
static void fuzz_urls(const char *body, size_t len)
{
	char *s = malloc(len + 1);
	char id[DISCOGS_MAX_ID_LEN + 1];
	enum discogs_entity e;
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	for (int i = 0; i <= DISCOGS_ENTITY__COUNT; i++) {
		check_ascii(
			discogs_lookup_url(DISCOGS_DEFAULT_BASE_URL, (enum discogs_entity)i, s, &b),
			&b, false);
		buf_reset(&b);
		check_ascii(discogs_search_url(DISCOGS_DEFAULT_BASE_URL, (enum discogs_entity)i, s,
					       s, 50, &b),
			    &b, false);
		buf_reset(&b);
	}
	check_ascii(discogs_auth_header(s, &b), &b, true);
	if (discogs_id_from_url(s, &e, id) == ERR_OK)
		assert((unsigned)e < DISCOGS_ENTITY__COUNT && discogs_valid_id(id));
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
	sel = pick ? (int)(pick - selectors) : data[0] % 7;
	switch (sel) {
	case 0:
		e = discogs_parse_artist(body, len, &frag, &why);
		break;
	case 1:
		e = discogs_parse_release(body, len, &frag, &why);
		break;
	case 2:
		e = discogs_parse_master(body, len, &frag, &why);
		break;
	case 3:
	case 4:
	case 5:
		e = discogs_parse_search((enum discogs_entity)(sel - 3), body, len, &frag, &why);
		break;
	default:
		fuzz_urls(body, len);
		return 0;
	}
	if (e == ERR_OK)
		check_frag(frag);
	else
		assert(!frag && why);
	return 0;
}
