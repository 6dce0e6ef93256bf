/*
 * fuzz_spotify.c - libFuzzer entry point for the Spotify provider's pure
 * functions.
 *
 * The input goes to every parser (artist, top tracks, album, track, the
 * three searches), to the token answer and error readers, and, as a
 * string, to the link reader, the URL builders and the search clauses.
 * Every fragment produced must pass fragment_check(), print as valid UTF-8
 * and parse back equal; every URL built must be printable ASCII; a token
 * accepted must be printable ASCII; nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/spotify.h"

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

static void fuzz_parsers(const char *body, size_t len)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e;

	e = spotify_parse_artist(body, len, &frag, &why);
	check_frag(e, frag, why);
	e = spotify_parse_top_tracks(body, len, "43ZHCT0cAZBISjO8DG9PnE", &frag, &why);
	check_frag(e, frag, why);
	e = spotify_parse_album(body, len, &frag, &why);
	check_frag(e, frag, why);
	e = spotify_parse_track(body, len, &frag, &why);
	check_frag(e, frag, why);
	for (int t = 0; t <= SPOTIFY_TYPE__COUNT; t++) {
		e = spotify_parse_search((enum spotify_type)t, body, len, &frag, &why);
		check_frag(e, frag, why);
	}
}

static void fuzz_auth(const char *body, size_t len)
{
	char token[SPOTIFY_TOKEN_MAX_BYTES], msg[64];
	const char *why = NULL;
	long ttl = -1, status = -1;

	if (spotify_parse_token(body, len, token, sizeof(token), &ttl, &why) == ERR_OK) {
		assert(token[0] && ttl >= 1 && ttl <= SPOTIFY_TOKEN_MAX_TTL_S);
		for (const char *p = token; *p; p++)
			assert(*p > 0x20 && *p < 0x7f);
	} else {
		assert(!token[0] && ttl == 0 && why);
	}
	(void)spotify_token_expired(body, len);
	if (spotify_parse_error(body, len, &status, msg, sizeof(msg)) != ERR_OK)
		assert(!msg[0] && status == 0);
	assert(json_utf8_valid(msg, strlen(msg)));
	for (const char *p = msg; *p; p++)
		assert((unsigned char)*p >= 0x20 && *p != 0x7f);
}

/* The input as id, market, link, query, clause value and credential. */
static void fuzz_strings(const char *body, size_t len)
{
	char *s = malloc(len + 1), id[SPOTIFY_ID_LEN + 1];
	enum spotify_type type;
	struct buf b, h;

	assert(s);
	memcpy(s, body, len);
	s[len] = '\0';
	buf_init(&b, 64 * 1024);
	buf_init(&h, 64 * 1024);
	if (spotify_id_from_url(s, &type, id) == ERR_OK)
		assert(spotify_valid_id(id) && spotify_type_name(type));
	check_printable(spotify_artist_url(SPOTIFY_DEFAULT_BASE_URL, s, &b), &b);
	buf_reset(&b);
	check_printable(
		spotify_top_tracks_url(SPOTIFY_DEFAULT_BASE_URL, "43ZHCT0cAZBISjO8DG9PnE", s, &b),
		&b);
	buf_reset(&b);
	check_printable(spotify_search_url(SPOTIFY_DEFAULT_BASE_URL, SPOTIFY_TRACK, s, 50, &b), &b);
	buf_reset(&b);
	/* clauses that succeed leave valid UTF-8 in q, failures leave q as it was */
	for (int i = 0; i < 5; i++) {
		size_t before = b.len;
		enum err e = i == 0   ? spotify_query_text(s, &b)
			     : i == 1 ? spotify_query_field("artist", s, &b)
			     : i == 2 ? spotify_query_isrc(s, &b)
			     : i == 3 ? spotify_query_upc(s, &b)
				      : spotify_query_album(s, s, &b);

		assert(e == ERR_OK ? b.len > before : b.len == before);
	}
	assert(json_utf8_valid(b.data, b.len));
	buf_reset(&b);
	if (spotify_token_request(s, s, &h, &b) == ERR_OK) {
		assert(strncmp(h.data, "Basic ", 6) == 0);
		check_printable(ERR_OK, &(struct buf){.data = h.data + 6, .len = h.len - 6});
		assert(strcmp(b.data, "grant_type=client_credentials") == 0);
	}
	buf_release(&h);
	buf_release(&b);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;

	json_init();
	fuzz_parsers(body, size);
	fuzz_auth(body, size);
	if (size <= 4096)
		fuzz_strings(body, size);
	return 0;
}
