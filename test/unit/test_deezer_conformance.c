/*
 * test_deezer_conformance.c - the Deezer parsers against real recorded
 * responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/deezer, by default
 * ../shared/fixtures/deezer from the repository root. The file name's
 * prefix picks the parser (artist_, artist-top_<id>, artist-related_<id>,
 * album_, track_, search-artist_, search-album_, search-track_, error_); an
 * unknown prefix fails, so no fixture goes unchecked. Each fragment must
 * pass fragment_check() and agree with values the test reads from the raw
 * body on its own, with plain cJSON: ids, names, links, pictures, UPCs,
 * ISRCs, durations, counts. Error fixtures must fail every parser with the
 * error their envelope means. Without the folder the suite says so and
 * skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/deezer.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

/* ---- reading ------------------------------------------------------------ */

/* The raw number member as the decimal string Deezer's id is. */
static void id_text(const cJSON *raw, const char *key, char *out, size_t n)
{
	const cJSON *v = ft_get(raw, key);

	assert_true(cJSON_IsNumber(v));
	snprintf(out, n, "%.0f", v->valuedouble);
}

static void same_id(const cJSON *raw, const cJSON *frag, const char *fkey)
{
	char id[32];

	id_text(raw, "id", id, sizeof(id));
	assert_string_equal(ft_str(frag, fkey), id);
}

/* A raw string member (non-empty) equals the fragment's; absent or "" reads as null. */
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

static void same_ms(const cJSON *raw, const char *rkey, const cJSON *frag, const char *fkey)
{
	const cJSON *r = ft_get(raw, rkey), *f = ft_get(frag, fkey);

	assert_true(cJSON_IsNumber(r));
	assert_true(cJSON_IsNumber(f));
	assert_true(f->valuedouble == r->valuedouble * 1000.0);
}

static void same_number(const cJSON *raw, const char *rkey, const cJSON *map, const char *key)
{
	const cJSON *r = ft_get(raw, rkey), *f = ft_get(map, key);

	if (!cJSON_IsNumber(r)) {
		assert_null(f);
		return;
	}
	assert_true(cJSON_IsNumber(f));
	assert_true(f->valuedouble == r->valuedouble);
}

static bool has_id(const cJSON *frag, const char *scheme, const char *value)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, ft_get(ft_get(frag, "ids"), scheme))
	{
		if (strcmp(v->valuestring, value) == 0)
			return true;
	}
	return false;
}

/* Deezer's empty picture hash: ".../images/artist//56x56-...". */
static bool placeholder(const char *url)
{
	return url && strstr(url, "/images/") && strstr(strstr(url, "/images/") + 8, "//");
}

/* raw's <prefix>_xl picture as the fragment's one image, or none for a placeholder. */
static void same_picture(const cJSON *raw, const char *prefix, const cJSON *frag, const char *type)
{
	char key[32];
	const char *xl;
	const cJSON *img;

	snprintf(key, sizeof(key), "%s_xl", prefix);
	xl = ft_str(raw, key);
	if (!xl || placeholder(xl)) {
		assert_int_equal(ft_size(frag, "images"), 0);
		return;
	}
	assert_int_equal(ft_size(frag, "images"), 1);
	img = ft_item(frag, "images", 0);
	assert_string_equal(ft_str(img, "url"), xl);
	assert_string_equal(ft_str(img, "type"), type);
	assert_int_equal(cJSON_GetArraySize(ft_get(img, "thumbnails")), 4);
	snprintf(key, sizeof(key), "%s_small", prefix);
	assert_string_equal(ft_str(ft_get(img, "thumbnails"), "56"), ft_str(raw, key));
}

/* ---- per entity --------------------------------------------------------- */

static void check_artist(const cJSON *raw, const cJSON *frag)
{
	char id[32];

	assert_string_equal(ft_str(frag, "kind"), "artist");
	same_id(raw, frag, "id");
	id_text(raw, "id", id, sizeof(id));
	assert_true(has_id(frag, "deezer", id));
	same_text(raw, "name", frag, "name");
	same_text(raw, "link", frag, "url");
	same_picture(raw, "picture", frag, "thumb");
	same_number(raw, "nb_fan", ft_get(frag, "popularity"), "fans");
}

static void check_album(const cJSON *raw, const cJSON *frag)
{
	const cJSON *t;
	int i = 0;

	assert_string_equal(ft_str(frag, "kind"), "release");
	same_id(raw, frag, "id");
	same_text(raw, "title", frag, "name");
	same_text(raw, "link", frag, "url");
	same_text(ft_get(raw, "artist"), "name", frag, "artist");
	same_picture(raw, "cover", frag, "front");
	if (ft_str(raw, "upc"))
		assert_true(has_id(frag, "upc", ft_str(raw, "upc")));
	if (ft_str(raw, "release_date"))
		same_text(raw, "release_date", frag, "date");
	if (ft_get(raw, "fans"))
		same_number(raw, "fans", ft_get(frag, "popularity"), "fans");
	assert_int_equal(ft_size(frag, "genres"), ft_size(ft_get(raw, "genres"), "data"));
	cJSON_ArrayForEach(t, ft_get(ft_get(raw, "genres"), "data"))
	{
		same_text(t, "name", ft_item(frag, "genres", i++), "name");
	}
	i = 0;
	assert_int_equal(ft_size(frag, "tracks"), ft_size(ft_get(raw, "tracks"), "data"));
	cJSON_ArrayForEach(t, ft_get(ft_get(raw, "tracks"), "data"))
	{
		const cJSON *ft = ft_item(frag, "tracks", i++);

		same_id(t, ft, "id");
		same_text(t, "title", ft, "title");
		same_ms(t, "duration", ft, "duration_ms");
	}
}

static void check_track(const cJSON *raw, const cJSON *frag)
{
	assert_string_equal(ft_str(frag, "kind"), "recording");
	same_id(raw, frag, "id");
	same_text(raw, "title", frag, "name");
	same_text(raw, "link", frag, "url");
	same_text(ft_get(raw, "artist"), "name", frag, "artist");
	same_text(ft_get(raw, "album"), "title", frag, "album");
	same_ms(raw, "duration", frag, "duration_ms");
	same_number(raw, "rank", ft_get(frag, "popularity"), "rank");
	if (ft_str(raw, "isrc"))
		assert_true(has_id(frag, "isrc", ft_str(raw, "isrc")));
	if (ft_str(raw, "preview") && ft_str(raw, "preview")[0])
		assert_string_equal(ft_str(ft_get(frag, "extra"), "preview_url"),
				    ft_str(raw, "preview"));
	same_picture(ft_get(raw, "album"), "cover", frag, "front");
}

static void check_top(const char *artist_id, const cJSON *raw, const cJSON *frag)
{
	const cJSON *t;
	const char *name = NULL;
	int i = 0;

	assert_string_equal(ft_str(frag, "id"), artist_id);
	assert_int_equal(ft_size(frag, "top_tracks"), ft_size(raw, "data"));
	cJSON_ArrayForEach(t, ft_get(raw, "data"))
	{
		const cJSON *ft = ft_item(frag, "top_tracks", i++);
		char id[32];

		same_id(t, ft, "id");
		same_text(t, "title", ft, "title");
		same_text(ft_get(t, "artist"), "name", ft, "artist");
		same_ms(t, "duration", ft, "duration_ms");
		assert_int_equal((int)ft_get(ft, "rank")->valuedouble, i);
		id_text(ft_get(t, "artist"), "id", id, sizeof(id));
		if (!name && strcmp(id, artist_id) == 0)
			name = ft_str(ft_get(t, "artist"), "name");
	}
	if (name)
		assert_string_equal(ft_str(frag, "name"), name);
}

static void check_related(const char *artist_id, const cJSON *raw, const cJSON *frag)
{
	const cJSON *a;
	int i = 0;

	assert_string_equal(ft_str(frag, "id"), artist_id);
	assert_int_equal(ft_size(frag, "similar"), ft_size(raw, "data"));
	cJSON_ArrayForEach(a, ft_get(raw, "data"))
	{
		const cJSON *fa = ft_item(frag, "similar", i++);

		same_id(a, fa, "id");
		same_text(a, "name", fa, "name");
		same_text(a, "link", fa, "url");
	}
}

static void check_search(enum deezer_search kind, const cJSON *raw, const cJSON *frag)
{
	static const char *const entities[] = {"artist", "release", "recording"};
	const cJSON *r;
	int i = 0;

	assert_string_equal(ft_str(frag, "entity"), entities[kind]);
	assert_int_equal(ft_size(frag, "items"), ft_size(raw, "data"));
	cJSON_ArrayForEach(r, ft_get(raw, "data"))
	{
		const cJSON *f = ft_item(frag, "items", i++);

		if (kind == DEEZER_SEARCH_ARTIST) {
			check_artist(r, f);
		} else if (kind == DEEZER_SEARCH_ALBUM) {
			check_album(r, f);
		} else {
			same_id(r, f, "id");
			same_text(r, "title", f, "name");
			same_text(ft_get(r, "album"), "title", f, "album");
			same_ms(r, "duration", f, "duration_ms");
			same_picture(ft_get(r, "album"), "cover", f, "front");
		}
	}
}

/* ---- per fixture -------------------------------------------------------- */

enum route {
	R_UNKNOWN,
	R_ARTIST,
	R_TOP,
	R_RELATED,
	R_ALBUM,
	R_TRACK,
	R_SEARCH_ARTIST,
	R_SEARCH_ALBUM,
	R_SEARCH_TRACK,
	R_ERROR,
};

static const struct {
	const char *prefix;
	enum route route;
} routes[] = {
	{"artist-top_", R_TOP},
	{"artist-related_", R_RELATED},
	{"artist_", R_ARTIST},
	{"album_", R_ALBUM},
	{"track_", R_TRACK},
	{"search-artist_", R_SEARCH_ARTIST},
	{"search-album_", R_SEARCH_ALBUM},
	{"search-track_", R_SEARCH_TRACK},
	{"error_", R_ERROR},
};

/* The route of a fixture name; the artist id after the prefix for top and related. */
static enum route route_of(const char *name, char *id, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		size_t k = strlen(routes[i].prefix);

		if (strncmp(name, routes[i].prefix, k) != 0)
			continue;
		snprintf(id, n, "%.*s", (int)strcspn(name + k, "_."), name + k);
		return routes[i].route;
	}
	return R_UNKNOWN;
}

/* An error fixture fails every parser alike. */
static void check_error(const char *body, size_t len, const cJSON *raw)
{
	const cJSON *e = ft_get(raw, "error");
	const cJSON *code = ft_get(e, "code");
	enum err want = cJSON_IsNumber(code) && code->valuedouble == 800 ? ERR_NOT_FOUND
									 : ERR_INVALID_ARGUMENT;
	const char *why = NULL;
	cJSON *frag = NULL;

	assert_non_null(e);
	assert_int_equal(deezer_parse_artist(body, len, &frag, &why), want);
	assert_null(frag);
	assert_non_null(strstr(why, ft_str(e, "type")));
	assert_int_equal(deezer_parse_album(body, len, &frag, &why), want);
	assert_int_equal(deezer_parse_track(body, len, &frag, &why), want);
	assert_int_equal(deezer_parse_top("27", body, len, &frag, &why), want);
	assert_int_equal(deezer_parse_related("27", body, len, &frag, &why), want);
	assert_int_equal(deezer_parse_search(DEEZER_SEARCH_TRACK, body, len, &frag, &why), want);
	assert_null(frag);
	assert_true(deezer_is_quota_error(body, len) ==
		    (cJSON_IsNumber(code) && code->valuedouble == 4));
}

static enum err parse(enum route r, const char *id, const char *body, size_t len, cJSON **frag,
		      const char **why)
{
	switch (r) {
	case R_ARTIST:
		return deezer_parse_artist(body, len, frag, why);
	case R_TOP:
		return deezer_parse_top(id, body, len, frag, why);
	case R_RELATED:
		return deezer_parse_related(id, body, len, frag, why);
	case R_ALBUM:
		return deezer_parse_album(body, len, frag, why);
	case R_TRACK:
		return deezer_parse_track(body, len, frag, why);
	case R_SEARCH_ARTIST:
		return deezer_parse_search(DEEZER_SEARCH_ARTIST, body, len, frag, why);
	case R_SEARCH_ALBUM:
		return deezer_parse_search(DEEZER_SEARCH_ALBUM, body, len, frag, why);
	case R_SEARCH_TRACK:
		return deezer_parse_search(DEEZER_SEARCH_TRACK, body, len, frag, why);
	default:
		return ERR_INTERNAL;
	}
}

static void check(enum route r, const char *id, const cJSON *raw, const cJSON *frag)
{
	switch (r) {
	case R_ARTIST:
		check_artist(raw, frag);
		break;
	case R_TOP:
		check_top(id, raw, frag);
		break;
	case R_RELATED:
		check_related(id, raw, frag);
		break;
	case R_ALBUM:
		check_album(raw, frag);
		break;
	case R_TRACK:
		check_track(raw, frag);
		break;
	case R_SEARCH_ARTIST:
		check_search(DEEZER_SEARCH_ARTIST, raw, frag);
		break;
	case R_SEARCH_ALBUM:
		check_search(DEEZER_SEARCH_ALBUM, raw, frag);
		break;
	default:
		check_search(DEEZER_SEARCH_TRACK, raw, frag);
		break;
	}
}

static void test_fixture(void **state)
{
	const char *name = *state;
	char where[300], id[64];
	const char *why = NULL;
	cJSON *raw, *frag = NULL;
	enum route r = route_of(name, id, sizeof(id));
	size_t len;
	char *body;
	enum err err;

	if (r == R_UNKNOWN)
		fail_msg("%s: no parser for this file name prefix", name);
	body = sf_slurp(name, &len);
	raw = cJSON_ParseWithLength(body, len);
	assert_non_null(raw);
	if (r == R_ERROR) {
		check_error(body, len, raw);
		goto out;
	}
	err = parse(r, id, body, len, &frag, &why);
	if (err != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(err), why);
	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("%s: shape: %s", name, where);
	check(r, id, raw, frag);
out:
	cJSON_Delete(frag);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("deezer", test_fixture);
}
