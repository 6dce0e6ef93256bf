/*
 * test_discogs_conformance.c - the Discogs parsers against real recorded
 * responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/discogs, by default
 * ../shared/fixtures/discogs from the repository root. The file name's
 * prefix picks the parser (artist_, release_, master_, database-search_,
 * error-404_); an unknown prefix fails, so no fixture goes unchecked. Each
 * fragment must pass fragment_check() and agree with values the test reads
 * from the raw body on its own, with plain cJSON: ids, titles, image,
 * track and genre counts, track titles and durations, barcodes, the
 * community counts. Without the folder the suite says so and skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/discogs.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

/* ---- reading ------------------------------------------------------------ */

/* The raw number id as the decimal string the fragment must hold. */
static void raw_id(const cJSON *raw, char *out, size_t n)
{
	const cJSON *id = ft_get(raw, "id");

	assert_true(cJSON_IsNumber(id));
	snprintf(out, n, "%.0f", id->valuedouble);
}

/* A Discogs name without its " (n)" suffix must be what the fragment has. */
static void same_name(const char *raw, const char *got)
{
	const char *paren = raw ? strrchr(raw, '(') : NULL;
	size_t n = raw ? strlen(raw) : 0;

	if (!raw || !raw[0]) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	if (paren && paren > raw + 1 && paren[-1] == ' ' && raw[n - 1] == ')' &&
	    strspn(paren + 1, "0123456789") == (size_t)(raw + n - 1 - paren - 1))
		n = (size_t)(paren - raw - 1);
	if (strlen(got) != n || strncmp(raw, got, n) != 0)
		fail_msg("name: want '%.*s', got '%s'", (int)n, raw, got);
}

/* Images with a usable uri (not empty, not the spacer), as the fragment must keep. */
static int usable_images(const cJSON *raw)
{
	const cJSON *img;
	int n = 0;

	cJSON_ArrayForEach(img, ft_get(raw, "images"))
	{
		const char *uri = ft_str(img, "uri");

		n += uri && strncmp(uri, "https://", 8) == 0 && !strstr(uri, "spacer.gif");
	}
	return n;
}

/* "m:ss" / "h:mm:ss" in ms, read independently; -1 when not such. */
static long long duration_ms(const char *s)
{
	unsigned a, b, c;
	char tail;

	if (!s)
		return -1;
	if (sscanf(s, "%u:%u:%u%c", &a, &b, &c, &tail) == 3)
		return ((long long)a * 3600 + b * 60 + c) * 1000;
	if (sscanf(s, "%u:%u%c", &a, &b, &tail) == 2)
		return ((long long)a * 60 + b) * 1000;
	return -1;
}

static void check_common(const cJSON *raw, const cJSON *frag, const char *kind)
{
	char id[32];

	ft_check_shape(frag);
	raw_id(raw, id, sizeof(id));
	assert_string_equal(ft_str(frag, "kind"), kind);
	assert_string_equal(ft_str(frag, "provider"), "discogs");
	assert_string_equal(ft_str(frag, "id"), id);
	assert_string_equal(
		cJSON_GetArrayItem(ft_get(ft_get(frag, "ids"), "discogs"), 0)->valuestring, id);
	assert_string_equal(ft_str(frag, "url"), ft_str(raw, "uri"));
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "images")), usable_images(raw));
}

static void check_tracks(const cJSON *raw, const cJSON *frag)
{
	const cJSON *t, *tracks = ft_get(frag, "tracks");
	int i = 0;

	cJSON_ArrayForEach(t, ft_get(raw, "tracklist"))
	{
		const char *type = ft_str(t, "type_");
		const cJSON *d;
		long long ms;

		if (type && strcmp(type, "track") != 0 && strcmp(type, "index") != 0)
			continue;
		d = cJSON_GetArrayItem(tracks, i++);
		assert_non_null(d);
		assert_string_equal(ft_str(d, "title"), ft_str(t, "title"));
		ms = duration_ms(ft_str(t, "duration"));
		if (ms > 0)
			assert_int_equal((long long)ft_get(d, "duration_ms")->valuedouble, ms);
		else
			assert_true(cJSON_IsNull(ft_get(d, "duration_ms")));
	}
	assert_int_equal(cJSON_GetArraySize(tracks), i);
}

static void check_genres(const cJSON *raw, const cJSON *frag)
{
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "genres")), ft_size(raw, "genres"));
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "tags")), ft_size(raw, "styles"));
}

/* ---- per answer --------------------------------------------------------- */

static void check_artist(const cJSON *raw, const cJSON *frag)
{
	const char *profile = ft_str(raw, "profile");

	check_common(raw, frag, "artist");
	same_name(ft_str(raw, "name"), ft_str(frag, "name"));
	assert_int_equal(cJSON_GetArraySize(ft_get(frag, "biographies")), profile && profile[0]);
	if (profile && profile[0]) {
		const cJSON *bio = cJSON_GetArrayItem(ft_get(frag, "biographies"), 0);

		assert_string_equal(ft_str(bio, "language"), "en");
		assert_string_equal(ft_str(bio, "attribution"), DISCOGS_ATTRIBUTION);
		assert_null(strstr(ft_str(bio, "text"), "[a="));
		assert_null(strstr(ft_str(bio, "text"), "\r"));
	}
}

static void check_barcodes(const cJSON *raw, const cJSON *frag)
{
	const cJSON *ident, *upc = ft_get(ft_get(frag, "ids"), "upc");
	int n = 0;

	cJSON_ArrayForEach(ident, ft_get(raw, "identifiers"))
	{
		const char *type = ft_str(ident, "type"), *v = ft_str(ident, "value");
		char digits[32];
		size_t k = 0;

		if (!type || strcmp(type, "Barcode") != 0 || !v)
			continue;
		for (; *v && k < sizeof(digits) - 1; v++)
			if (*v >= '0' && *v <= '9')
				digits[k++] = *v;
		digits[k] = '\0';
		assert_string_equal(cJSON_GetArrayItem(upc, n++)->valuestring, digits);
	}
	assert_int_equal(cJSON_GetArraySize(upc), n);
}

static void check_release(const cJSON *raw, const cJSON *frag)
{
	const cJSON *community = ft_get(raw, "community"), *pop = ft_get(frag, "popularity");
	const char *released = ft_str(raw, "released");
	char master[32];

	check_common(raw, frag, "release");
	assert_string_equal(ft_str(frag, "name"), ft_str(raw, "title"));
	check_genres(raw, frag);
	check_tracks(raw, frag);
	check_barcodes(raw, frag);
	assert_true(ft_get(pop, "have")->valuedouble == ft_get(community, "have")->valuedouble);
	assert_true(ft_get(pop, "want")->valuedouble == ft_get(community, "want")->valuedouble);
	if (cJSON_IsNumber(ft_get(raw, "master_id"))) {
		snprintf(master, sizeof(master), "%.0f", ft_get(raw, "master_id")->valuedouble);
		assert_string_equal(ft_str(ft_get(frag, "extra"), "master_id"), master);
	}
	if (released && strlen(released) >= 4 && strncmp(released, "0000", 4) != 0)
		assert_int_equal(strncmp(ft_str(frag, "date"), released, 4), 0);
	else if (!cJSON_IsNumber(ft_get(raw, "year")) || ft_get(raw, "year")->valuedouble <= 0)
		assert_true(cJSON_IsNull(ft_get(frag, "date")));
	if (cJSON_GetArraySize(ft_get(raw, "artists")) == 1)
		same_name(ft_str(cJSON_GetArrayItem(ft_get(raw, "artists"), 0), "name"),
			  ft_str(frag, "artist"));
}

static void check_master(const cJSON *raw, const cJSON *frag)
{
	char year[16], main_release[32];

	check_common(raw, frag, "release-group");
	assert_string_equal(ft_str(frag, "name"), ft_str(raw, "title"));
	check_genres(raw, frag);
	check_tracks(raw, frag);
	snprintf(year, sizeof(year), "%.0f", ft_get(raw, "year")->valuedouble);
	assert_string_equal(ft_str(frag, "date"), year);
	snprintf(main_release, sizeof(main_release), "%.0f",
		 ft_get(raw, "main_release")->valuedouble);
	assert_string_equal(ft_str(ft_get(frag, "extra"), "main_release"), main_release);
	same_name(ft_str(cJSON_GetArrayItem(ft_get(raw, "artists"), 0), "name"),
		  ft_str(frag, "artist"));
}

static void check_search(const char *body, size_t len, const cJSON *raw)
{
	for (int e = 0; e < DISCOGS_ENTITY__COUNT; e++) {
		const char *why = NULL, *type = discogs_entity_name((enum discogs_entity)e);
		const cJSON *r, *items;
		cJSON *frag = NULL;
		int i = 0;

		assert_int_equal(
			discogs_parse_search((enum discogs_entity)e, body, len, &frag, &why),
			ERR_OK);
		ft_check_shape(frag);
		assert_string_equal(ft_str(frag, "entity"),
				    discogs_entity_kind((enum discogs_entity)e));
		items = ft_get(frag, "items");
		cJSON_ArrayForEach(r, ft_get(raw, "results"))
		{
			const cJSON *item;
			const char *uri = ft_str(r, "uri");
			char id[32], url[1024];

			if (!ft_str(r, "type") || strcmp(ft_str(r, "type"), type) != 0)
				continue;
			item = cJSON_GetArrayItem(items, i++);
			raw_id(r, id, sizeof(id));
			assert_string_equal(ft_str(item, "id"), id);
			snprintf(url, sizeof(url), "%s%s",
				 uri && uri[0] == '/' ? DISCOGS_WEB_URL : "", uri ? uri : "");
			assert_string_equal(ft_str(item, "url"), url);
			if (e == DISCOGS_ARTIST)
				same_name(ft_str(r, "title"), ft_str(item, "name"));
			else
				assert_non_null(strstr(ft_str(r, "title"), ft_str(item, "name")));
		}
		assert_int_equal(cJSON_GetArraySize(items), i);
		cJSON_Delete(frag);
	}
}

static void check_error(const char *body, size_t len)
{
	enum err (*const parsers[])(const char *, size_t, cJSON **, const char **) = {
		discogs_parse_artist, discogs_parse_release, discogs_parse_master};

	for (size_t i = 0; i < ARRAY_SIZE(parsers); i++) {
		const char *why = NULL;
		cJSON *frag = NULL;

		assert_int_equal(parsers[i](body, len, &frag, &why), ERR_NOT_FOUND);
		assert_null(frag);
	}
	for (int e = 0; e < DISCOGS_ENTITY__COUNT; e++) {
		const char *why = NULL;
		cJSON *frag = NULL;

		assert_int_equal(
			discogs_parse_search((enum discogs_entity)e, body, len, &frag, &why),
			ERR_NOT_FOUND);
	}
}

/* ---- per fixture -------------------------------------------------------- */

static void test_fixture(void **state)
{
	const char *name = *state, *why = NULL;
	size_t len;
	char *body = sf_slurp(name, &len);
	cJSON *raw = cJSON_ParseWithLength(body, len), *frag = NULL;

	assert_non_null(raw);
	if (strncmp(name, "error-404_", 10) == 0) {
		check_error(body, len);
	} else if (strncmp(name, "database-search_", 16) == 0) {
		check_search(body, len, raw);
	} else if (strncmp(name, "artist_", 7) == 0) {
		assert_int_equal(discogs_parse_artist(body, len, &frag, &why), ERR_OK);
		check_artist(raw, frag);
	} else if (strncmp(name, "release_", 8) == 0) {
		assert_int_equal(discogs_parse_release(body, len, &frag, &why), ERR_OK);
		check_release(raw, frag);
	} else if (strncmp(name, "master_", 7) == 0) {
		assert_int_equal(discogs_parse_master(body, len, &frag, &why), ERR_OK);
		check_master(raw, frag);
	} else {
		fail_msg("no parser for fixture '%s': name it after its endpoint", name);
	}
	cJSON_Delete(frag);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("discogs", test_fixture);
}
