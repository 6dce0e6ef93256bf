/*
 * test_lastfm_conformance.c - the Last.fm parsers against real recorded
 * responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/lastfm, by default
 * ../shared/fixtures/lastfm from the repository root. The file name's
 * prefix is the method (artist.getinfo_, album.getinfo_, artist.getsimilar_,
 * artist.gettoptracks_, track.getsimilar_, error-6_) and picks the parser;
 * an unknown prefix fails, so no fixture goes unchecked. A "_en" / "_ja"
 * in the name is the lang the request asked for. Each fragment must pass
 * fragment_check() and agree with values the test reads from the raw body
 * on its own, with plain cJSON: names, MBIDs, counts sent as strings, tag,
 * track and similar counts, titles, durations, ranks, match scores, and
 * the biography text up to the Read-more link. Without the folder the
 * suite says so and skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/lastfm.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

/* ---- reading ------------------------------------------------------------ */

/* Last.fm's lists: an array, one object, or nothing; the n-th item. */
static int list_size(const cJSON *v)
{
	return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : cJSON_IsObject(v) ? 1 : 0;
}

static const cJSON *list_item(const cJSON *v, int i)
{
	return cJSON_IsArray(v) ? cJSON_GetArrayItem(v, i) : v;
}

/* A count Last.fm sent as a string (or number) equals the fragment's number (or both absent). */
static void same_count(const cJSON *raw, const char *key, const cJSON *pop)
{
	const cJSON *r = ft_get(raw, key), *d = ft_get(pop, key);
	double want;

	if (cJSON_IsString(r))
		want = strtod(r->valuestring, NULL);
	else if (cJSON_IsNumber(r))
		want = r->valuedouble;
	else {
		assert_null(d);
		return;
	}
	assert_non_null(d);
	assert_true(d->valuedouble == want);
}

/* The raw MBID, lowercased, is ids.mbid; no ids.mbid when the raw one is empty. */
static void same_mbid(const cJSON *raw, const cJSON *frag)
{
	const char *m = ft_str(raw, "mbid");
	const cJSON *ids = ft_get(ft_get(frag, "ids"), "mbid");
	char low[64];
	size_t i;

	if (!m || !m[0]) {
		assert_null(ids);
		return;
	}
	for (i = 0; m[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)(m[i] >= 'A' && m[i] <= 'F' ? m[i] + 32 : m[i]);
	low[i] = '\0';
	assert_string_equal(cJSON_GetArrayItem(ids, 0)->valuestring, low);
}

/* Images: one when some size has a real URL (not the star placeholder), else none. */
static void check_images(const cJSON *raw_images, const cJSON *frag)
{
	int usable = 0;

	for (int i = 0; i < list_size(raw_images); i++) {
		const char *url = ft_str(list_item(raw_images, i), "#text");

		usable += url && url[0] && !strstr(url, LASTFM_PLACEHOLDER_IMAGE);
	}
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), usable ? 1 : 0);
}

static void check_tags(const cJSON *raw_tags, const cJSON *frag)
{
	const cJSON *tags = ft_get(raw_tags, "tag");

	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "tags")), list_size(tags));
	for (int i = 0; i < list_size(tags); i++)
		assert_string_equal(ft_str(cJSON_GetArrayItem(ft_get(frag, "tags"), i), "name"),
				    ft_str(list_item(tags, i), "name"));
}

/*
 * The biography: the raw content (else summary) up to its Read-more link,
 * trimmed, is the text when it holds no markup; no biography when nothing
 * is left.
 */
static void check_bio(const cJSON *raw_bio, const cJSON *frag, const char *lang)
{
	const char *keys[] = {"content", "summary"};
	const cJSON *bio = cJSON_GetArrayItem(ft_get(frag, "biographies"), 0);
	char want[65536] = "";

	for (size_t k = 0; k < 2 && !want[0]; k++) {
		const char *s = ft_str(raw_bio, keys[k]), *cut;
		size_t n, a = 0;

		if (!s)
			continue;
		cut = strstr(s, "<a href");
		n = cut ? (size_t)(cut - s) : strlen(s);
		while (a < n && (s[a] == ' ' || s[a] == '\n'))
			a++;
		while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\n'))
			n--;
		assert_true(n - a < sizeof(want));
		memcpy(want, s + a, n - a);
		want[n - a] = '\0';
	}
	if (!want[0]) {
		assert_int_equal(cJSON_GetArraySize(ft_get(frag, "biographies")), 0);
		return;
	}
	assert_non_null(bio);
	if (!strpbrk(want, "<&"))
		assert_string_equal(ft_str(bio, "text"), want);
	assert_string_equal(ft_str(bio, "language"), lang ? lang : "en");
	assert_string_equal(ft_str(bio, "attribution"), LASTFM_ATTRIBUTION);
	assert_null(strstr(ft_str(bio, "text"), "Read more on Last.fm"));
	assert_null(strstr(ft_str(bio, "text"), "<a "));
}

/* ---- per method --------------------------------------------------------- */

static void check_artist_info(const cJSON *root, const cJSON *frag, const char *lang)
{
	const cJSON *raw = ft_get(root, "artist"),
		    *similar = ft_get(ft_get(raw, "similar"), "artist");

	assert_string_equal(ft_str(frag, "kind"), "artist");
	assert_string_equal(ft_str(frag, "id"), ft_str(raw, "name"));
	assert_string_equal(ft_str(frag, "name"), ft_str(raw, "name"));
	assert_string_equal(ft_str(frag, "url"), ft_str(raw, "url"));
	same_mbid(raw, frag);
	same_count(ft_get(raw, "stats"), "listeners", ft_get(frag, "popularity"));
	same_count(ft_get(raw, "stats"), "playcount", ft_get(frag, "popularity"));
	check_tags(ft_get(raw, "tags"), frag);
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "similar")), list_size(similar));
	for (int i = 0; i < list_size(similar); i++)
		assert_string_equal(ft_str(cJSON_GetArrayItem(ft_get(frag, "similar"), i), "name"),
				    ft_str(list_item(similar, i), "name"));
	check_images(ft_get(raw, "image"), frag);
	check_bio(ft_get(raw, "bio"), frag, lang);
}

static void check_album_info(const cJSON *root, const cJSON *frag, const char *lang)
{
	const cJSON *raw = ft_get(root, "album"), *tracks = ft_get(ft_get(raw, "tracks"), "track");
	char id[1024];

	snprintf(id, sizeof(id), "%s - %s", ft_str(raw, "artist"), ft_str(raw, "name"));
	assert_string_equal(ft_str(frag, "kind"), "release-group");
	assert_string_equal(ft_str(frag, "id"), id);
	assert_string_equal(ft_str(frag, "name"), ft_str(raw, "name"));
	assert_string_equal(ft_str(frag, "artist"), ft_str(raw, "artist"));
	same_mbid(raw, frag);
	same_count(raw, "listeners", ft_get(frag, "popularity"));
	same_count(raw, "playcount", ft_get(frag, "popularity"));
	check_tags(ft_get(raw, "tags"), frag);
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "tracks")), list_size(tracks));
	for (int i = 0; i < list_size(tracks); i++) {
		const cJSON *t = list_item(tracks, i),
			    *d = cJSON_GetArrayItem(ft_get(frag, "tracks"), i);
		const cJSON *dur = ft_get(t, "duration");

		assert_string_equal(ft_str(d, "title"), ft_str(t, "name"));
		assert_true(ft_get(d, "position")->valuedouble ==
			    ft_get(ft_get(t, "@attr"), "rank")->valuedouble);
		if (cJSON_IsNumber(dur) && dur->valuedouble > 0)
			assert_true(ft_get(d, "duration_ms")->valuedouble ==
				    dur->valuedouble * 1000);
		else
			assert_true(cJSON_IsNull(ft_get(d, "duration_ms")));
	}
	check_images(ft_get(raw, "image"), frag);
	check_bio(ft_get(raw, "wiki"), frag, lang);
}

static void check_similar_scores(const cJSON *list, const cJSON *frag)
{
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "similar")), list_size(list));
	for (int i = 0; i < list_size(list); i++) {
		const cJSON *r = list_item(list, i),
			    *d = cJSON_GetArrayItem(ft_get(frag, "similar"), i);
		const cJSON *match = ft_get(r, "match");
		double want = cJSON_IsString(match) ? strtod(match->valuestring, NULL)
						    : match->valuedouble;

		assert_string_equal(ft_str(d, "name"), ft_str(r, "name"));
		assert_true(ft_get(d, "score")->valuedouble == want);
		if (ft_str(r, "mbid") && ft_str(r, "mbid")[0])
			assert_string_equal(ft_str(d, "mbid"), ft_str(r, "mbid"));
		else
			assert_true(cJSON_IsNull(ft_get(d, "mbid")));
	}
}

static void check_artist_similar(const cJSON *root, const cJSON *frag)
{
	const cJSON *raw = ft_get(root, "similarartists");

	assert_string_equal(ft_str(frag, "id"), ft_str(ft_get(raw, "@attr"), "artist"));
	check_similar_scores(ft_get(raw, "artist"), frag);
}

static void check_top_tracks(const cJSON *root, const cJSON *frag)
{
	const cJSON *raw = ft_get(root, "toptracks"), *tracks = ft_get(raw, "track");

	assert_string_equal(ft_str(frag, "id"), ft_str(ft_get(raw, "@attr"), "artist"));
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "top_tracks")), list_size(tracks));
	for (int i = 0; i < list_size(tracks); i++) {
		const cJSON *t = list_item(tracks, i);
		const cJSON *d = cJSON_GetArrayItem(ft_get(frag, "top_tracks"), i);

		assert_string_equal(ft_str(d, "title"), ft_str(t, "name"));
		assert_string_equal(ft_str(d, "artist"), ft_str(ft_get(t, "artist"), "name"));
		assert_string_equal(ft_str(d, "mbid"), ft_str(t, "mbid"));
		assert_true(ft_get(d, "rank")->valuedouble ==
			    strtod(ft_str(ft_get(t, "@attr"), "rank"), NULL));
	}
}

static void check_track_similar(const cJSON *root, const cJSON *frag)
{
	const cJSON *raw = ft_get(root, "similartracks"), *attr = ft_get(raw, "@attr");
	char id[1024];

	snprintf(id, sizeof(id), "%s - %s", ft_str(attr, "artist"), ft_str(attr, "track"));
	assert_string_equal(ft_str(frag, "kind"), "recording");
	assert_string_equal(ft_str(frag, "id"), id);
	check_similar_scores(ft_get(raw, "track"), frag);
	for (int i = 0; i < list_size(ft_get(raw, "track")); i++) {
		const cJSON *r = list_item(ft_get(raw, "track"), i);

		snprintf(id, sizeof(id), "%s - %s", ft_str(ft_get(r, "artist"), "name"),
			 ft_str(r, "name"));
		assert_string_equal(ft_str(cJSON_GetArrayItem(ft_get(frag, "similar"), i), "id"),
				    id);
	}
}

typedef enum err parse_fn(const char *body, size_t len, cJSON **out, const char **why);

static enum err artist_info_en(const char *body, size_t len, cJSON **out, const char **why)
{
	return lastfm_parse_artist_info(body, len, "en", out, why);
}

static enum err album_info_en(const char *body, size_t len, cJSON **out, const char **why)
{
	return lastfm_parse_album_info(body, len, "en", out, why);
}

static void check_error(const char *body, size_t len, const cJSON *root)
{
	parse_fn *const parsers[] = {
		artist_info_en, lastfm_parse_artist_similar, lastfm_parse_artist_top_tracks,
		album_info_en,	lastfm_parse_track_info,     lastfm_parse_track_similar};

	assert_int_equal(lastfm_error_code(body, len), (int)ft_get(root, "error")->valuedouble);
	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++) {
		const char *why = NULL;
		cJSON *frag = NULL;

		assert_int_equal(parsers[i](body, len, &frag, &why),
				 ft_get(root, "error")->valuedouble == 6 ? ERR_NOT_FOUND
									 : ERR_INVALID_ARGUMENT);
		assert_null(frag);
	}
}

/* ---- per fixture -------------------------------------------------------- */

/* The lang the fixture's request asked for ("_en", "_ja" in its name), or NULL. */
static const char *fixture_lang(const char *name)
{
	static const char *const langs[] = {"en", "ja", "de", "pt"};

	for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
		char tag[8];
		const char *at;

		snprintf(tag, sizeof(tag), "_%s", langs[i]);
		at = strstr(name, tag);
		if (at && (at[3] == '.' || at[3] == '-'))
			return langs[i];
	}
	return NULL;
}

static bool prefix(const char *name, const char *p)
{
	return strncmp(name, p, strlen(p)) == 0;
}

static void test_fixture(void **state)
{
	const char *name = *state, *why = NULL, *lang = fixture_lang(name);
	size_t len;
	char *body = sf_slurp(name, &len);
	cJSON *raw = cJSON_ParseWithLength(body, len), *frag = NULL;

	assert_non_null(raw);
	if (prefix(name, "error-")) {
		check_error(body, len, raw);
	} else if (prefix(name, "artist.getinfo_")) {
		assert_int_equal(lastfm_parse_artist_info(body, len, lang, &frag, &why), ERR_OK);
		ft_check_shape(frag);
		check_artist_info(raw, frag, lang);
	} else if (prefix(name, "album.getinfo_")) {
		assert_int_equal(lastfm_parse_album_info(body, len, lang, &frag, &why), ERR_OK);
		ft_check_shape(frag);
		check_album_info(raw, frag, lang);
	} else if (prefix(name, "artist.getsimilar_")) {
		assert_int_equal(lastfm_parse_artist_similar(body, len, &frag, &why), ERR_OK);
		ft_check_shape(frag);
		check_artist_similar(raw, frag);
	} else if (prefix(name, "artist.gettoptracks_")) {
		assert_int_equal(lastfm_parse_artist_top_tracks(body, len, &frag, &why), ERR_OK);
		ft_check_shape(frag);
		check_top_tracks(raw, frag);
	} else if (prefix(name, "track.getsimilar_")) {
		assert_int_equal(lastfm_parse_track_similar(body, len, &frag, &why), ERR_OK);
		ft_check_shape(frag);
		check_track_similar(raw, frag);
	} else {
		fail_msg("no parser for fixture '%s': name it after its method", name);
	}
	if (!prefix(name, "error-"))
		assert_int_equal(lastfm_error_code(body, len), 0);
	cJSON_Delete(frag);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("lastfm", test_fixture);
}
