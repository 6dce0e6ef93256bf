/*
 * test_itunes_conformance.c - the iTunes Search API parsers against real
 * recorded responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/itunes, by default
 * ../shared/fixtures/itunes from the repository root. The file name's
 * prefix picks the parsers: lookup_ (an album lookup with entity=song: the
 * album lookup parser, and the results parser for albums and for songs),
 * search_song_, search_album_, search_musicArtist_ (the results parser for
 * that entity), error_ (Apple's errorMessage body); an unknown prefix
 * fails, so no fixture goes unchecked. Each fragment must pass
 * fragment_check() and agree with values the test reads from the raw body
 * on its own, with plain cJSON: ids, names, dates, durations, artwork,
 * track lists. Without the folder the suite says so and skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fragment.h"
#include "medley/itunes.h"
#include "medley/json.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

/* ---- reading ------------------------------------------------------------ */

static bool str_is(const cJSON *o, const char *key, const char *want)
{
	const char *s = ft_str(o, key);

	return s && strcmp(s, want) == 0;
}

static void same_id(const cJSON *raw, const char *rkey, const cJSON *frag, const char *fkey)
{
	const cJSON *v = ft_get(raw, rkey);
	char id[32];

	assert_true(cJSON_IsNumber(v));
	snprintf(id, sizeof(id), "%.0f", v->valuedouble);
	assert_string_equal(ft_str(frag, fkey), id);
}

static void same_text(const cJSON *raw, const char *rkey, const cJSON *frag, const char *fkey)
{
	const char *r = ft_str(raw, rkey), *f = ft_str(frag, fkey);

	if (!r || !r[0]) {
		assert_true(cJSON_IsNull(ft_get(frag, fkey)));
		return;
	}
	if (!f || strcmp(r, f) != 0)
		fail_msg("%s: want '%s', got '%s'", fkey, r, f ? f : "null");
}

static void same_number(const cJSON *raw, const char *rkey, const cJSON *frag, const char *fkey)
{
	const cJSON *r = ft_get(raw, rkey), *f = ft_get(frag, fkey);

	if (!cJSON_IsNumber(r)) {
		assert_true(!f || cJSON_IsNull(f));
		return;
	}
	assert_true(cJSON_IsNumber(f));
	assert_true(f->valuedouble == r->valuedouble);
}

/* collectionName without Apple's " - EP" / " - Single" (what itunes.h promises). */
static void same_album_name(const cJSON *raw, const cJSON *frag, const char *fkey)
{
	const char *r = ft_str(raw, "collectionName");
	char want[1024];
	size_t n;

	assert_non_null(r);
	snprintf(want, sizeof(want), "%s", r);
	n = strlen(want);
	if (n > 5 && strcmp(want + n - 5, " - EP") == 0)
		want[n - 5] = '\0';
	else if (n > 9 && strcmp(want + n - 9, " - Single") == 0)
		want[n - 9] = '\0';
	assert_string_equal(ft_str(frag, fkey), want);
}

/* releaseDate's first 10 characters. */
static void same_date(const cJSON *raw, const cJSON *frag)
{
	const char *r = ft_str(raw, "releaseDate"), *f = ft_str(frag, "date");

	assert_non_null(r);
	assert_non_null(f);
	assert_int_equal(strlen(f), 10);
	assert_memory_equal(r, f, 10);
}

/* The image is artworkUrl100 with "100x100bb" as "1200x1200bb". */
static void same_artwork(const cJSON *raw, const cJSON *frag)
{
	const char *url = ft_str(raw, "artworkUrl100"), *at;
	const cJSON *img = ft_item(frag, "images", 0);
	char want[2048];

	assert_non_null(url);
	at = strstr(url, "/100x100bb.");
	assert_non_null(at);
	snprintf(want, sizeof(want), "%.*s/1200x1200bb.%s", (int)(at - url), url, at + 11);
	assert_int_equal(ft_size(frag, "images"), 1);
	assert_string_equal(ft_str(img, "url"), want);
	assert_string_equal(ft_str(img, "type"), "front");
	assert_string_equal(ft_str(ft_get(img, "thumbnails"), "1200"), want);
	assert_int_equal(cJSON_GetArraySize(ft_get(img, "thumbnails")), 3);
}

static bool has_id(const cJSON *frag, const char *scheme, const cJSON *raw, const char *rkey)
{
	const cJSON *v;
	char id[32];

	snprintf(id, sizeof(id), "%.0f", ft_get(raw, rkey)->valuedouble);
	cJSON_ArrayForEach(v, ft_get(ft_get(frag, "ids"), scheme))
	{
		if (strcmp(v->valuestring, id) == 0)
			return true;
	}
	return false;
}

/* ---- per entity --------------------------------------------------------- */

static void check_release(const cJSON *raw, const cJSON *frag)
{
	assert_string_equal(ft_str(frag, "kind"), "release");
	same_id(raw, "collectionId", frag, "id");
	assert_true(has_id(frag, "itunes", raw, "collectionId"));
	same_album_name(raw, frag, "name");
	same_text(raw, "artistName", frag, "artist");
	same_text(raw, "collectionViewUrl", frag, "url");
	same_date(raw, frag);
	same_artwork(raw, frag);
	same_text(raw, "primaryGenreName", ft_item(frag, "genres", 0), "name");
	same_number(raw, "trackCount", ft_get(frag, "extra"), "track_count");
}

static void check_recording(const cJSON *raw, const cJSON *frag)
{
	assert_string_equal(ft_str(frag, "kind"), "recording");
	same_id(raw, "trackId", frag, "id");
	assert_true(has_id(frag, "itunes", raw, "trackId"));
	same_text(raw, "trackName", frag, "name");
	same_text(raw, "artistName", frag, "artist");
	same_album_name(raw, frag, "album");
	same_text(raw, "trackViewUrl", frag, "url");
	same_number(raw, "trackTimeMillis", frag, "duration_ms");
	same_date(raw, frag);
	same_artwork(raw, frag);
	same_text(raw, "previewUrl", ft_get(frag, "extra"), "preview_url");
	same_number(raw, "trackNumber", ft_get(frag, "extra"), "track_number");
	same_number(raw, "discNumber", ft_get(frag, "extra"), "disc_number");
	assert_null(ft_get(ft_get(frag, "ids"), "isrc"));
}

static void check_artist(const cJSON *raw, const cJSON *frag)
{
	assert_string_equal(ft_str(frag, "kind"), "artist");
	same_id(raw, "artistId", frag, "id");
	same_text(raw, "artistName", frag, "name");
}

/* ---- per fixture -------------------------------------------------------- */

static const char *const wrappers[ITUNES_ENTITY__COUNT] = {"artist", "collection", "track"};

static bool wanted(enum itunes_entity e, const cJSON *r)
{
	if (!str_is(r, "wrapperType", wrappers[e]))
		return false;
	return e != ITUNES_SONG || str_is(r, "kind", "song");
}

/* itunes_parse_results(e) keeps exactly the results of e, each checked. */
static void check_results(enum itunes_entity e, const char *body, size_t len, const cJSON *raw)
{
	static const char *const entities[] = {"artist", "release", "recording"};
	char where[300];
	const char *why = NULL;
	const cJSON *r;
	cJSON *frag = NULL;
	int i = 0;

	if (itunes_parse_results(e, body, len, &frag, &why) != ERR_OK)
		fail_msg("results: %s", why);
	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("shape: %s", where);
	assert_string_equal(ft_str(frag, "entity"), entities[e]);
	cJSON_ArrayForEach(r, ft_get(raw, "results"))
	{
		const cJSON *f;

		if (!wanted(e, r))
			continue;
		f = ft_item(frag, "items", i++);
		if (e == ITUNES_ALBUM)
			check_release(r, f);
		else if (e == ITUNES_SONG)
			check_recording(r, f);
		else
			check_artist(r, f);
	}
	assert_int_equal(ft_size(frag, "items"), i);
	cJSON_Delete(frag);
}

static void check_album_lookup(const char *body, size_t len, const cJSON *raw)
{
	const cJSON *album = NULL, *r;
	char where[300], id[32];
	const char *why = NULL;
	cJSON *frag = NULL;
	int i = 0;

	if (itunes_parse_album_lookup(body, len, &frag, &why) != ERR_OK)
		fail_msg("album lookup: %s", why);
	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("shape: %s", where);
	cJSON_ArrayForEach(r, ft_get(raw, "results"))
	{
		if (!album && str_is(r, "wrapperType", "collection"))
			album = r;
	}
	assert_non_null(album);
	check_release(album, frag);
	snprintf(id, sizeof(id), "%.0f", ft_get(album, "collectionId")->valuedouble);
	cJSON_ArrayForEach(r, ft_get(raw, "results"))
	{
		const cJSON *t;
		char cid[32];

		if (!str_is(r, "wrapperType", "track"))
			continue;
		snprintf(cid, sizeof(cid), "%.0f", ft_get(r, "collectionId")->valuedouble);
		if (strcmp(cid, id) != 0)
			continue;
		t = ft_item(frag, "tracks", i++);
		same_text(r, "trackName", t, "title");
		same_id(r, "trackId", t, "id");
		same_number(r, "trackNumber", t, "position");
		same_number(r, "discNumber", t, "disc");
		same_number(r, "trackTimeMillis", t, "duration_ms");
	}
	assert_int_equal(ft_size(frag, "tracks"), i);
	cJSON_Delete(frag);
}

static void check_error(const char *body, size_t len)
{
	const char *why = NULL;
	cJSON *frag = NULL;

	assert_int_equal(itunes_parse_album_lookup(body, len, &frag, &why), ERR_INVALID_ARGUMENT);
	assert_null(frag);
	for (int e = 0; e < ITUNES_ENTITY__COUNT; e++)
		assert_int_equal(
			itunes_parse_results((enum itunes_entity)e, body, len, &frag, &why),
			ERR_INVALID_ARGUMENT);
	assert_null(frag);
}

static const struct {
	const char *prefix;
	int parser; /* an enum itunes_entity, or one of the two below */
} routes[] = {
	{"lookup_", -1},
	{"error_", -2},
	{"search_song_", ITUNES_SONG},
	{"search_album_", ITUNES_ALBUM},
	{"search_musicArtist_", ITUNES_ARTIST},
};

static void test_fixture(void **state)
{
	const char *name = *state;
	int parser = 0;
	size_t len, i;
	char *body;
	cJSON *raw;

	for (i = 0; i < ARRAY_SIZE(routes); i++)
		if (strncmp(name, routes[i].prefix, strlen(routes[i].prefix)) == 0)
			break;
	if (i == ARRAY_SIZE(routes))
		fail_msg("%s: no parser for this file name prefix", name);
	parser = routes[i].parser;
	body = sf_slurp(name, &len);
	raw = cJSON_ParseWithLength(body, len);
	assert_non_null(raw);
	if (parser == -1) {
		check_album_lookup(body, len, raw);
		check_results(ITUNES_ALBUM, body, len, raw);
		check_results(ITUNES_SONG, body, len, raw);
	} else if (parser == -2) {
		assert_non_null(ft_str(raw, "errorMessage"));
		check_error(body, len);
	} else {
		check_results((enum itunes_entity)parser, body, len, raw);
	}
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("itunes", test_fixture);
}
