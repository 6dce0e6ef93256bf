/*
 * test_fanarttv_conformance.c - the fanart.tv parsers against real
 * recorded responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/fanarttv, by default
 * ../shared/fixtures/fanarttv from the repository root ($MEDLEY_SOURCE_DIR,
 * else the working directory). The file name's prefix picks the parser:
 * music-artist_ (the artist parser, and the album parser for every release
 * group of its "albums" map), music-album_ (the album parser for every
 * release group of the answer), error-<status>_ (404 must read as not
 * found, anything else as invalid); an unknown prefix fails, so no fixture
 * goes unchecked. Each fragment must pass fragment_check() and agree with
 * values the test reads from the raw body on its own, with plain cJSON:
 * ids, names, image counts per type, URLs and likes. Without the folder the
 * suite says so and skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fanarttv.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The raw image of list with this URL (http read as https), or NULL. */
static const cJSON *raw_image(const cJSON *list, const char *url)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, list)
	{
		const char *u = ft_str(item, "url");

		if (!u)
			continue;
		if (strcmp(u, url) == 0 ||
		    (strncmp(u, "http://", 7) == 0 && strcmp(u + 7, url + 8) == 0))
			return item;
	}
	return NULL;
}

/*
 * The next images of frag (from *pos) are exactly the raw list src[key]:
 * same count, each one found in the list with its likes, most liked first.
 */
static void check_run(const cJSON *frag, int *pos, const cJSON *src, const char *key,
		      const char *type)
{
	const cJSON *list = ft_get(src, key);
	int n = ft_size(src, key);
	double prev = -1;

	for (int i = 0; i < n; i++) {
		const cJSON *img = cJSON_GetArrayItem(ft_get(frag, "images"), (*pos)++);
		const cJSON *raw, *types;

		assert_non_null(img);
		assert_string_equal(ft_str(img, "type"), type);
		types = ft_get(img, "types");
		assert_string_equal(cJSON_GetArrayItem(types, 1)->valuestring, key);
		raw = raw_image(list, ft_str(img, "url"));
		if (!raw)
			fail_msg("%s: image %s is not in the raw list", key, ft_str(img, "url"));
		if (ft_str(raw, "likes")) {
			double likes = strtod(ft_str(raw, "likes"), NULL);

			assert_true(ft_get(img, "likes")->valuedouble == likes);
			if (prev >= 0)
				assert_true(likes <= prev);
			prev = likes;
		}
	}
}

static void check_artist(const cJSON *raw, const char *body, size_t len)
{
	static const struct {
		const char *key, *type;
	} runs[] = {
		{"artistthumb", "thumb"},  {"artistbackground", "background"},
		{"hdmusiclogo", "logo"},   {"musiclogo", "logo"},
		{"musicbanner", "banner"},
	};
	const char *why = NULL;
	char id[64];
	cJSON *frag = NULL;
	int pos = 0;

	if (fanarttv_parse_artist(body, len, &frag, &why) != ERR_OK)
		fail_msg("artist: %s", why);
	ft_check_shape(frag);
	snprintf(id, sizeof(id), "%s", ft_str(raw, "mbid_id"));
	lower(id);
	assert_string_equal(ft_str(frag, "provider"), "fanarttv");
	assert_string_equal(ft_str(frag, "kind"), "artist");
	assert_string_equal(ft_str(frag, "id"), id);
	assert_string_equal(ft_str(frag, "name"), ft_str(raw, "name"));
	assert_string_equal(cJSON_GetArrayItem(ft_get(ft_get(frag, "ids"), "mbid"), 0)->valuestring,
			    id);
	for (size_t i = 0; i < ARRAY_SIZE(runs); i++)
		check_run(frag, &pos, raw, runs[i].key, runs[i].type);
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), pos);
	cJSON_Delete(frag);
}

/* Every release group of the answer's "albums" map through the album parser. */
static void check_albums(const cJSON *raw, const char *body, size_t len)
{
	const cJSON *album;
	int seen = 0;

	cJSON_ArrayForEach(album, ft_get(raw, "albums"))
	{
		const char *why = NULL;
		cJSON *frag = NULL;
		char id[64];
		int pos = 0;

		snprintf(id, sizeof(id), "%s", album->string);
		lower(id);
		if (fanarttv_parse_album(body, len, album->string, &frag, &why) != ERR_OK)
			fail_msg("album %s: %s", album->string, why);
		ft_check_shape(frag);
		assert_string_equal(ft_str(frag, "kind"), "release-group");
		assert_string_equal(ft_str(frag, "id"), id);
		if (ft_str(raw, "name"))
			assert_string_equal(ft_str(frag, "artist"), ft_str(raw, "name"));
		check_run(frag, &pos, album, "albumcover", "front");
		check_run(frag, &pos, album, "cdart", "medium");
		assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), pos);
		cJSON_Delete(frag);
		seen++;
	}
	assert_true(seen > 0 || !ft_get(raw, "albums"));
}

static void check_error(const char *name, const char *body, size_t len)
{
	long status = strtol(name + strlen("error-"), NULL, 10);
	enum err want = status == 404 ? ERR_NOT_FOUND : ERR_INVALID_ARGUMENT;
	const char *why = NULL;
	cJSON *frag = NULL;

	assert_int_equal(fanarttv_parse_artist(body, len, &frag, &why), want);
	assert_null(frag);
	assert_int_equal(fanarttv_parse_album(body, len, "f5a2e9ac-bd56-44f5-95fa-a267310d12ff",
					      &frag, &why),
			 want);
	assert_null(frag);
}

static bool prefixed(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static void test_fixture(void **state)
{
	const char *name = *state;
	size_t len;
	char *body = sf_slurp(name, &len);
	cJSON *raw = cJSON_ParseWithLength(body, len);

	assert_non_null(raw);
	if (prefixed(name, "error-")) {
		check_error(name, body, len);
	} else if (prefixed(name, "music-artist_")) {
		check_artist(raw, body, len);
		check_albums(raw, body, len);
	} else if (prefixed(name, "music-album_")) {
		check_albums(raw, body, len);
	} else {
		fail_msg("%s: no parser for this file name prefix", name);
	}
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("fanarttv", test_fixture);
}
