/*
 * test_coverartarchive_conformance.c - the Cover Art Archive parser against
 * real recorded listings.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/coverartarchive, by default
 * ../shared/fixtures/coverartarchive from the repository root. The file
 * name's prefix picks what is expected: "release_" and "release-group_"
 * are listings for caa_parse(), "error-404_" a not-found answer; an
 * unknown prefix fails, so no fixture goes unchecked. Each fragment must
 * pass fragment_check() and agree with what the test reads from the raw
 * body on its own, with plain cJSON: the release MBID and URL, one image
 * per usable raw image with the same types (lowercased) and thumbnails,
 * fronts first, then backs. Without the folder the suite says so and
 * skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/coverartarchive.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

static bool flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(ft_get(o, key));
}

static bool http_url(const char *s)
{
	return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
}

/* The fragment's image whose url is url, and its position. */
static const cJSON *find_image(const cJSON *frag, const char *url, int *pos)
{
	const cJSON *img;
	int i = 0;

	cJSON_ArrayForEach(img, ft_get(frag, "images"))
	{
		if (strcmp(ft_str(img, "url"), url) == 0) {
			*pos = i;
			return img;
		}
		i++;
	}
	return NULL;
}

static void same_types(const cJSON *raw, const cJSON *img)
{
	const cJSON *t, *got = ft_get(img, "types");
	int i = 0;

	if (cJSON_GetArraySize(ft_get(raw, "types")) == 0) {
		assert_int_equal(cJSON_GetArraySize(got), 1);
		return;
	}
	assert_int_equal(cJSON_GetArraySize(got), cJSON_GetArraySize(ft_get(raw, "types")));
	cJSON_ArrayForEach(t, ft_get(raw, "types"))
	{
		const char *g = cJSON_GetArrayItem(got, i++)->valuestring;

		assert_int_equal(strlen(g), strlen(t->valuestring));
		for (size_t k = 0; g[k]; k++) {
			char c = t->valuestring[k];

			assert_int_equal(g[k], (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
		}
	}
}

static void same_thumbnails(const cJSON *raw, const cJSON *img)
{
	const cJSON *t, *got = ft_get(img, "thumbnails");
	int kept = 0;

	cJSON_ArrayForEach(t, ft_get(raw, "thumbnails"))
	{
		if (!http_url(t->valuestring))
			continue;
		kept++;
		assert_string_equal(ft_str(got, t->string), t->valuestring);
	}
	assert_int_equal(cJSON_GetArraySize(got), kept);
}

/* The type the test expects, from the raw image alone. */
static const char *want_type(const cJSON *raw)
{
	static const char *const mapped[][2] = {
		{"Front", "front"}, {"Back", "back"}, {"Booklet", "booklet"}, {"Medium", "medium"}};
	const cJSON *first = cJSON_GetArrayItem(ft_get(raw, "types"), 0);

	if (flag(raw, "front"))
		return "front";
	if (flag(raw, "back"))
		return "back";
	for (size_t i = 0; cJSON_IsString(first) && i < ARRAY_SIZE(mapped); i++)
		if (strcmp(first->valuestring, mapped[i][0]) == 0)
			return mapped[i][1];
	return "other";
}

static int rank(const char *type)
{
	return strcmp(type, "front") == 0 ? 0 : strcmp(type, "back") == 0 ? 1 : 2;
}

static void check_listing(const cJSON *raw, const cJSON *frag)
{
	const char *release = ft_str(raw, "release");
	const char *mbid = strrchr(release, '/') + 1;
	const cJSON *r, *img;
	int usable = 0, prev = -1;

	assert_string_equal(ft_str(frag, "kind"), "cover-art");
	assert_string_equal(ft_str(frag, "provider"), "coverartarchive");
	assert_string_equal(ft_str(frag, "id"), mbid);
	assert_string_equal(ft_str(frag, "url"), release);
	cJSON_ArrayForEach(r, ft_get(raw, "images"))
	{
		int pos = -1;

		if (!http_url(ft_str(r, "image")))
			continue;
		usable++;
		img = find_image(frag, ft_str(r, "image"), &pos);
		assert_non_null(img);
		assert_string_equal(ft_str(img, "type"), want_type(r));
		same_types(r, img);
		same_thumbnails(r, img);
		assert_true(cJSON_IsNull(ft_get(img, "width")));
	}
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), usable);
	cJSON_ArrayForEach(img, ft_get(frag, "images"))
	{
		int k = rank(ft_str(img, "type"));

		assert_true(k >= prev);
		prev = k;
	}
	/* the chooser's 250 px front is the first image's 250 (or "small") thumbnail */
	img = cJSON_GetArrayItem(ft_get(frag, "images"), 0);
	if (img && strcmp(ft_str(img, "type"), "front") == 0) {
		const char *want = ft_str(ft_get(img, "thumbnails"), "250");

		if (!want)
			want = ft_str(ft_get(img, "thumbnails"), "small");
		assert_string_equal(caa_pick(frag, IMAGE_FRONT, 250),
				    want ? want : ft_str(img, "url"));
	}
}

static void test_fixture(void **state)
{
	const char *name = *state;
	char where[300];
	const char *why = NULL;
	cJSON *raw = NULL, *frag = NULL;
	size_t len;
	char *body;
	enum err err;
	bool error = strncmp(name, "error-404_", 10) == 0;

	if (!error && strncmp(name, "release_", 8) != 0 && strncmp(name, "release-group_", 14) != 0)
		fail_msg("%s: no parser for this file name prefix", name);
	body = sf_slurp(name, &len);
	err = caa_parse(body, len, &frag, &why);
	if (error) {
		assert_int_equal(err, ERR_NOT_FOUND);
		assert_null(frag);
		goto out;
	}
	if (err != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(err), why);
	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("%s: shape: %s", name, where);
	raw = cJSON_ParseWithLength(body, len);
	assert_non_null(raw);
	check_listing(raw, frag);
out:
	cJSON_Delete(frag);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("coverartarchive", test_fixture);
}
