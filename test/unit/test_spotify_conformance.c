/*
 * test_spotify_conformance.c - the Spotify parsers against real recorded
 * responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/spotify, by default
 * ../shared/fixtures/spotify from the repository root ($MEDLEY_SOURCE_DIR,
 * else the working directory). The file name's prefix picks the parser
 * (artist_, artist-top-tracks_, album_, track_, search-artist_,
 * search-album_, search-track_, error-<status>_); an unknown prefix fails,
 * so no fixture goes unchecked. Each fragment must pass fragment_check()
 * and agree with values the test reads from the raw body on its own, with
 * plain cJSON: ids, names, credits, counts of images and tracks, ISRCs,
 * UPCs, durations, popularity. Without the folder the suite says so and
 * skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/spotify.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

/* ---- reading the raw body ----------------------------------------------- */

/* A raw string and a fragment member agree ("" and absent read as null or absent). */
static void same_text(const char *raw, const cJSON *frag, const char *key)
{
	const cJSON *v = ft_get(frag, key);
	const char *f = ft_str(frag, key);

	if (raw && !raw[0])
		raw = NULL;
	if (!raw) {
		if (v && !cJSON_IsNull(v))
			fail_msg("%s: want null, got '%s'", key, f ? f : "?");
		return;
	}
	if (!f || strcmp(raw, f) != 0)
		fail_msg("%s: want '%s', got '%s'", key, raw, f ? f : "null");
}

static void same_int(const cJSON *raw, const char *rkey, const cJSON *frag, const char *fkey)
{
	const cJSON *r = ft_get(raw, rkey), *f = ft_get(frag, fkey);

	if (!cJSON_IsNumber(r)) {
		assert_true(!f || cJSON_IsNull(f));
		return;
	}
	assert_true(cJSON_IsNumber(f));
	assert_true(r->valuedouble == f->valuedouble);
}

/* raw.artists[].name joined with ", ". */
static void credit(const cJSON *raw, char *out, size_t n)
{
	const cJSON *a;

	out[0] = '\0';
	cJSON_ArrayForEach(a, ft_get(raw, "artists"))
	{
		if (out[0])
			strncat(out, ", ", n - strlen(out) - 1);
		strncat(out, ft_str(a, "name"), n - strlen(out) - 1);
	}
}

static const char *spotify_url(const cJSON *raw)
{
	return ft_str(ft_get(raw, "external_urls"), "spotify");
}

/* frag.ids[scheme] holds exactly want (or is absent when want is NULL). */
static void has_id(const cJSON *frag, const char *scheme, const char *want)
{
	const cJSON *list = ft_get(ft_get(frag, "ids"), scheme), *item;

	if (!want) {
		assert_null(list);
		return;
	}
	cJSON_ArrayForEach(item, list)
	{
		if (strcmp(item->valuestring, want) == 0)
			return;
	}
	fail_msg("ids.%s lacks '%s'", scheme, want);
}

/* Same number of images as the raw list, largest first. */
static void check_images(const cJSON *raw, const cJSON *frag, const char *type)
{
	const cJSON *img;
	double prev = -1;

	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), ft_size(raw, "images"));
	cJSON_ArrayForEach(img, ft_get(frag, "images"))
	{
		double area =
			ft_get(img, "width")->valuedouble * ft_get(img, "height")->valuedouble;

		assert_string_equal(ft_str(img, "type"), type);
		if (prev >= 0)
			assert_true(area <= prev);
		prev = area;
	}
}

static void check_popularity(const cJSON *raw, const cJSON *frag)
{
	const cJSON *pop = ft_get(frag, "popularity");

	same_int(raw, "popularity", pop, "popularity");
}

/* ---- per entity --------------------------------------------------------- */

static void check_artist(const cJSON *raw, const cJSON *frag)
{
	const cJSON *g;
	int i = 0;

	assert_string_equal(ft_str(frag, "kind"), "artist");
	assert_string_equal(ft_str(frag, "id"), ft_str(raw, "id"));
	same_text(ft_str(raw, "name"), frag, "name");
	same_text(spotify_url(raw), frag, "url");
	check_images(raw, frag, "thumb");
	check_popularity(raw, frag);
	if (ft_get(raw, "followers"))
		same_int(ft_get(raw, "followers"), "total", ft_get(frag, "popularity"),
			 "followers");
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "genres")), ft_size(raw, "genres"));
	cJSON_ArrayForEach(g, ft_get(raw, "genres"))
	{
		const cJSON *fg = cJSON_GetArrayItem(ft_get(frag, "genres"), i++);

		assert_string_equal(ft_str(fg, "name"), g->valuestring);
	}
	has_id(frag, "spotify", ft_str(raw, "id"));
}

/* The date is the raw release_date, cut to its precision. */
static void check_date(const cJSON *raw, const cJSON *frag)
{
	const char *date = ft_str(raw, "release_date"),
		   *precision = ft_str(raw, "release_date_precision");
	size_t want = 10;

	if (!date) {
		assert_true(cJSON_IsNull(ft_get(frag, "date")));
		return;
	}
	if (precision && strcmp(precision, "year") == 0)
		want = 4;
	else if (precision && strcmp(precision, "month") == 0)
		want = 7;
	if (strlen(date) < want)
		want = strlen(date);
	assert_non_null(ft_str(frag, "date"));
	assert_int_equal(strlen(ft_str(frag, "date")), want);
	assert_memory_equal(ft_str(frag, "date"), date, want);
}

static void check_album(const cJSON *raw, const cJSON *frag)
{
	const cJSON *items = ft_get(ft_get(raw, "tracks"), "items"), *t;
	char names[1024];
	int i = 0;

	assert_string_equal(ft_str(frag, "kind"), "release");
	assert_string_equal(ft_str(frag, "id"), ft_str(raw, "id"));
	same_text(ft_str(raw, "name"), frag, "name");
	same_text(spotify_url(raw), frag, "url");
	credit(raw, names, sizeof(names));
	same_text(names, frag, "artist");
	check_date(raw, frag);
	check_images(raw, frag, "front");
	check_popularity(raw, frag);
	has_id(frag, "spotify", ft_str(raw, "id"));
	has_id(frag, "upc", ft_str(ft_get(raw, "external_ids"), "upc"));
	same_text(ft_str(raw, "label"), ft_get(frag, "extra"), "label");
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "tracks")), cJSON_GetArraySize(items));
	cJSON_ArrayForEach(t, items)
	{
		const cJSON *ft = cJSON_GetArrayItem(ft_get(frag, "tracks"), i++);

		assert_string_equal(ft_str(ft, "title"), ft_str(t, "name"));
		assert_string_equal(ft_str(ft, "id"), ft_str(t, "id"));
		same_int(t, "track_number", ft, "position");
		same_int(t, "disc_number", ft, "disc");
		same_int(t, "duration_ms", ft, "duration_ms");
	}
}

static void check_track(const cJSON *raw, const cJSON *frag)
{
	const char *isrc = ft_str(ft_get(raw, "external_ids"), "isrc");
	const char *preview = ft_str(raw, "preview_url");
	char names[1024];

	assert_string_equal(ft_str(frag, "kind"), "recording");
	assert_string_equal(ft_str(frag, "id"), ft_str(raw, "id"));
	same_text(ft_str(raw, "name"), frag, "name");
	same_text(spotify_url(raw), frag, "url");
	same_text(ft_str(ft_get(raw, "album"), "name"), frag, "album");
	credit(raw, names, sizeof(names));
	same_text(names, frag, "artist");
	same_int(raw, "duration_ms", frag, "duration_ms");
	check_date(ft_get(raw, "album"), frag);
	check_images(ft_get(raw, "album"), frag, "front");
	check_popularity(raw, frag);
	has_id(frag, "spotify", ft_str(raw, "id"));
	has_id(frag, "isrc", isrc);
	same_text(preview, ft_get(frag, "extra"), "preview_url");
	same_int(raw, "track_number", ft_get(frag, "extra"), "track_number");
}

static void check_top_tracks(const cJSON *raw, const cJSON *frag, const char *artist_id)
{
	const cJSON *t;
	int i = 0;

	assert_string_equal(ft_str(frag, "kind"), "artist");
	assert_string_equal(ft_str(frag, "id"), artist_id);
	same_text(
		ft_str(cJSON_GetArrayItem(
			       ft_get(cJSON_GetArrayItem(ft_get(raw, "tracks"), 0), "artists"), 0),
		       "name"),
		frag, "name");
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "top_tracks")), ft_size(raw, "tracks"));
	cJSON_ArrayForEach(t, ft_get(raw, "tracks"))
	{
		const cJSON *ft = cJSON_GetArrayItem(ft_get(frag, "top_tracks"), i++);
		char names[1024];

		assert_string_equal(ft_str(ft, "title"), ft_str(t, "name"));
		assert_string_equal(ft_str(ft, "id"), ft_str(t, "id"));
		assert_string_equal(ft_str(ft, "isrc"), ft_str(ft_get(t, "external_ids"), "isrc"));
		credit(t, names, sizeof(names));
		assert_string_equal(ft_str(ft, "artist"), names);
		same_int(t, "duration_ms", ft, "duration_ms");
		assert_int_equal((int)ft_get(ft, "rank")->valuedouble, i);
	}
}

static void check_search(const cJSON *raw, const cJSON *frag, const char *list, const char *entity,
			 void (*check)(const cJSON *, const cJSON *))
{
	const cJSON *items = ft_get(ft_get(raw, list), "items"), *item;
	int i = 0;

	assert_string_equal(ft_str(frag, "entity"), entity);
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "items")), cJSON_GetArraySize(items));
	cJSON_ArrayForEach(item, items)
	{
		check(item, cJSON_GetArrayItem(ft_get(frag, "items"), i++));
	}
}

/* ---- dispatch ----------------------------------------------------------- */

static bool prefixed(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* Error fixtures "error-<status>_...": 404 is not found, the rest invalid. */
static void check_error(const char *name, const char *body, size_t len)
{
	long status = strtol(name + strlen("error-"), NULL, 10);
	enum err want = status == 404 ? ERR_NOT_FOUND : ERR_INVALID_ARGUMENT;
	const char *why = NULL;
	cJSON *frag = NULL;

	assert_int_equal(spotify_parse_artist(body, len, &frag, &why), want);
	assert_null(frag);
	assert_int_equal(spotify_parse_search(SPOTIFY_TRACK, body, len, &frag, &why), want);
	assert_int_equal(spotify_token_expired(body, len), status == 401);
}

static void test_fixture(void **state)
{
	const char *name = *state, *why = NULL;
	size_t len;
	char *body = sf_slurp(name, &len);
	cJSON *raw = cJSON_ParseWithLength(body, len), *frag = NULL;
	char artist_id[SPOTIFY_ID_LEN + 1] = "";
	enum err e;

	assert_non_null(raw);
	if (prefixed(name, "error-")) {
		check_error(name, body, len);
		goto out;
	}
	if (prefixed(name, "artist-top-tracks_")) {
		/* the artist asked for is the first credit of every track */
		snprintf(artist_id, sizeof(artist_id), "%s",
			 ft_str(cJSON_GetArrayItem(
					ft_get(cJSON_GetArrayItem(ft_get(raw, "tracks"), 0),
					       "artists"),
					0),
				"id"));
		e = spotify_parse_top_tracks(body, len, artist_id, &frag, &why);
	} else if (prefixed(name, "artist_")) {
		e = spotify_parse_artist(body, len, &frag, &why);
	} else if (prefixed(name, "album_")) {
		e = spotify_parse_album(body, len, &frag, &why);
	} else if (prefixed(name, "track_")) {
		e = spotify_parse_track(body, len, &frag, &why);
	} else if (prefixed(name, "search-artist_")) {
		e = spotify_parse_search(SPOTIFY_ARTIST, body, len, &frag, &why);
	} else if (prefixed(name, "search-album_")) {
		e = spotify_parse_search(SPOTIFY_ALBUM, body, len, &frag, &why);
	} else if (prefixed(name, "search-track_")) {
		e = spotify_parse_search(SPOTIFY_TRACK, body, len, &frag, &why);
	} else {
		fail_msg("%s: no parser for this file name prefix", name);
		return;
	}
	if (e != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(e), why ? why : "?");
	ft_check_shape(frag);
	assert_string_equal(ft_str(frag, "provider"), "spotify");
	if (prefixed(name, "artist-top-tracks_"))
		check_top_tracks(raw, frag, artist_id);
	else if (prefixed(name, "artist_"))
		check_artist(raw, frag);
	else if (prefixed(name, "album_"))
		check_album(raw, frag);
	else if (prefixed(name, "track_"))
		check_track(raw, frag);
	else if (prefixed(name, "search-artist_"))
		check_search(raw, frag, "artists", "artist", check_artist);
	else if (prefixed(name, "search-album_"))
		check_search(raw, frag, "albums", "release", check_album);
	else
		check_search(raw, frag, "tracks", "recording", check_track);
out:
	cJSON_Delete(frag);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("spotify", test_fixture);
}
