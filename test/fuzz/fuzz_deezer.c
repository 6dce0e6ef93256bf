/*
 * fuzz_deezer.c - libFuzzer entry point for the Deezer provider's pure
 * functions.
 *
 * The first byte picks what the rest is fed to: a lookup parser ('a'rtist,
 * a'l'bum, 't'rack), the 'T'op tracks or 'R'elated artists parser, a
 * search parser ('S' artists, 'A' albums, 'K' tracks), the 'q'uota check,
 * or the 'u'rl builders and the query helper (as id, UPC, ISRC, query and
 * search fields). Any other byte picks by its value modulo 10. Every
 * fragment produced must pass fragment_check(), print as valid UTF-8 and
 * parse back equal; every URL built must be printable ASCII; nothing may
 * crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/deezer.h"
#include "medley/fragment.h"
#include "medley/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char selectors[] = "altTRSAKqu";

/* Abort, even when asserts are compiled out: the fuzzer reports it. */
static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_deezer: %s\n", what);
		abort();
	}
}

static void check_frag(cJSON *frag)
{
	char where[300];
	char *text;
	cJSON *again;

	if (fragment_check(frag, where, sizeof(where)) != ERR_OK) {
		fprintf(stderr, "fuzz_deezer: fragment shape: %s\n", where);
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

/* The input as every string argument of the builders. */
static void fuzz_urls(const char *body, size_t len)
{
	static const char base[] = "https://api.deezer.com";
	char *s = malloc(len + 1);
	struct buf b, q;

	require(s != NULL, "out of memory");
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	buf_init(&q, 64 * 1024);
	check_url(deezer_artist_url(base, s, &b), &b);
	check_url(deezer_artist_top_url(base, s, 10, &b), &b);
	check_url(deezer_artist_related_url(base, s, 100, &b), &b);
	check_url(deezer_album_url(base, s, &b), &b);
	check_url(deezer_album_by_upc_url(base, s, &b), &b);
	check_url(deezer_track_url(base, s, &b), &b);
	check_url(deezer_track_by_isrc_url(base, s, &b), &b);
	for (int k = 0; k < DEEZER_SEARCH__COUNT; k++)
		check_url(deezer_search_url(base, (enum deezer_search)k, s, 25, &b), &b);
	if (deezer_query(s, len > 1 ? s + 1 : NULL, s + len / 2, (unsigned)len, 0, &q) == ERR_OK)
		check_url(deezer_search_url(base, DEEZER_SEARCH_TRACK, q.data, 1, &b), &b);
	buf_release(&q);
	buf_release(&b);
	free(s);
}

static enum err parse(int sel, const char *body, size_t len, cJSON **frag, const char **why)
{
	switch (sel) {
	case 0:
		return deezer_parse_artist(body, len, frag, why);
	case 1:
		return deezer_parse_album(body, len, frag, why);
	case 2:
		return deezer_parse_track(body, len, frag, why);
	case 3:
		return deezer_parse_top("27", body, len, frag, why);
	case 4:
		return deezer_parse_related("27", body, len, frag, why);
	default:
		return deezer_parse_search((enum deezer_search)(sel - 5), body, len, frag, why);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1, *why = NULL, *pick;
	size_t len = size ? size - 1 : 0;
	cJSON *frag = NULL;
	int sel;

	if (!size)
		return 0;
	json_init();
	pick = data[0] ? strchr(selectors, data[0]) : NULL;
	sel = pick ? (int)(pick - selectors) : data[0] % 10;
	if (sel == 8) {
		(void)deezer_is_quota_error(body, len);
		return 0;
	}
	if (sel == 9) {
		fuzz_urls(body, len);
		return 0;
	}
	if (parse(sel, body, len, &frag, &why) == ERR_OK)
		check_frag(frag);
	else
		require(!frag && why, "error without a reason, or with a fragment");
	return 0;
}
