/*
 * fuzz_lastfm.c - libFuzzer entry point for the Last.fm provider's pure
 * functions.
 *
 * The first byte picks what the rest is fed to: artist.getinfo ('a'),
 * artist.getsimilar ('s'), artist.gettoptracks ('t'), album.getinfo ('l'),
 * track.getinfo ('r'), track.getsimilar ('x'), the 'e'rror code reader, or
 * the 'u'rl builders (the rest as names, mbid, lang and key). Any other
 * byte picks by its value modulo 8. Every fragment produced must pass
 * fragment_check(), print as valid UTF-8 and parse back equal; every URL
 * built must be printable ASCII; nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/lastfm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char selectors[] = "astlrxeu";

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

static void check_ascii(enum err e, struct buf *b)
{
	if (e == ERR_OK)
		for (size_t i = 0; i < b->len; i++)
			assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
	buf_reset(b);
}

/* The input as every argument of every builder. */
static void fuzz_urls(const char *body, size_t len)
{
	const char *base = LASTFM_DEFAULT_BASE_URL;
	char *s = malloc(len + 1);
	struct buf b;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	check_ascii(lastfm_artist_info_url(base, "k", s, "a", NULL, &b), &b);
	check_ascii(lastfm_artist_info_url(base, "k", NULL, s, s, &b), &b);
	check_ascii(lastfm_artist_info_url(base, s, NULL, "a", "en", &b), &b);
	check_ascii(lastfm_artist_similar_url(base, "k", NULL, s, 10, &b), &b);
	check_ascii(lastfm_artist_top_tracks_url(base, "k", s, s, 10, &b), &b);
	check_ascii(lastfm_album_info_url(base, "k", NULL, s, s, s, &b), &b);
	check_ascii(lastfm_track_info_url(base, "k", NULL, s, s, &b), &b);
	check_ascii(lastfm_track_similar_url(base, "k", s, s, s, 5, &b), &b);
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
	sel = pick ? (int)(pick - selectors) : data[0] % 8;
	switch (sel) {
	case 0:
		e = lastfm_parse_artist_info(body, len, "de", &frag, &why);
		break;
	case 1:
		e = lastfm_parse_artist_similar(body, len, &frag, &why);
		break;
	case 2:
		e = lastfm_parse_artist_top_tracks(body, len, &frag, &why);
		break;
	case 3:
		e = lastfm_parse_album_info(body, len, NULL, &frag, &why);
		break;
	case 4:
		e = lastfm_parse_track_info(body, len, &frag, &why);
		break;
	case 5:
		e = lastfm_parse_track_similar(body, len, &frag, &why);
		break;
	case 6:
		assert(lastfm_error_code(body, len) >= 0);
		return 0;
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
