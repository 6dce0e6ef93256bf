/*
 * test_theaudiodb_conformance.c - the TheAudioDB parsers against real
 * recorded responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/theaudiodb, by default
 * ../shared/fixtures/theaudiodb. The file name's prefix picks the parser
 * (artist-mb, album-mb, track-mb: the script that answered); an unknown
 * prefix fails, so no fixture goes unchecked. Each fragment must pass
 * fragment_check() and agree with what the test reads from the raw body
 * with plain cJSON: id, name, MBID, one biography per non-empty
 * strBiographyXX / strDescriptionXX in a known language, one image per
 * distinct artwork URL, genres, duration. Without the folder the suite
 * says so and skips.
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
#include "medley/musicbrainz.h"
#include "medley/theaudiodb.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

typedef enum err parse_fn(const char *body, size_t len, cJSON **out, const char **why);

static const struct script {
	const char *prefix; /* file name prefix */
	parse_fn *parse;
	const char *list, *id, *name, *bio, *kind;
	const char *const *images; /* artwork members, NULL-terminated */
} scripts[] = {
	{"artist-mb", theaudiodb_parse_artist, "artists", "idArtist", "strArtist", "strBiography",
	 "artist",
	 (const char *const[]){"strArtistThumb", "strArtistLogo", "strArtistClearart",
			       "strArtistFanart", "strArtistFanart2", "strArtistFanart3",
			       "strArtistFanart4", "strArtistWideThumb", "strArtistBanner",
			       "strArtistCutout", NULL}},
	{"album-mb", theaudiodb_parse_album, "album", "idAlbum", "strAlbum", "strDescription",
	 "release-group",
	 (const char *const[]){"strAlbumThumbHQ", "strAlbumThumb", "strAlbumBack",
			       "strAlbumThumbBack", "strAlbumCDart", "strAlbumSpine",
			       "strAlbum3DCase", "strAlbum3DFlat", "strAlbum3DFace",
			       "strAlbum3DThumb", NULL}},
	{"track-mb", theaudiodb_parse_track, "track", "idTrack", "strTrack", "strDescription",
	 "recording", (const char *const[]){"strTrackThumb", "strTrack3DCase", NULL}},
};

/* raw with CR LF as LF, trimmed: what the parser must have kept (the caller frees). */
static char *normalized(const char *raw)
{
	char *t = malloc(strlen(raw) + 1), *w = t;
	const char *end = raw + strlen(raw);

	assert_non_null(t);
	while (*raw && strchr(" \t\r\n", *raw))
		raw++;
	while (end > raw && strchr(" \t\r\n", end[-1]))
		end--;
	for (const char *p = raw; p < end; p++)
		if (*p != '\r')
			*w++ = *p;
		else if (p[1] != '\n')
			*w++ = '\n';
	*w = '\0';
	return t;
}

/* Every non-empty raw prefixXX is a biography in order, with a known language. */
static void check_bios(const cJSON *raw, const cJSON *frag, const char *prefix)
{
	const cJSON *bios = ft_get(frag, "biographies"), *m;
	int want = 0;

	cJSON_ArrayForEach(m, raw)
	{
		const cJSON *bio;
		const char *lang;
		char *text;

		if (strncmp(m->string, prefix, strlen(prefix)) != 0 || !ft_text(raw, m->string))
			continue;
		lang = theaudiodb_language(m->string + strlen(prefix));
		if (!lang)
			fail_msg("%s: language not mapped", m->string);
		bio = cJSON_GetArrayItem(bios, want++);
		assert_non_null(bio);
		assert_string_equal(ft_text(bio, "language"), lang);
		text = normalized(m->valuestring);
		assert_string_equal(ft_text(bio, "text"), text);
		free(text);
		assert_string_equal(ft_text(bio, "attribution"), THEAUDIODB_ATTRIBUTION);
	}
	assert_int_equal(cJSON_GetArraySize(bios), want);
}

/* One image per distinct http(s) artwork URL, each with the raw URL. */
static void check_images(const cJSON *raw, const cJSON *frag, const char *const *keys)
{
	const cJSON *images = ft_get(frag, "images");
	const char *seen[32];
	int n = 0;

	for (; *keys; keys++) {
		const char *url = ft_text(raw, *keys);
		bool dup = false;

		if (!url || strncmp(url, "http", 4) != 0)
			continue;
		for (int i = 0; i < n; i++)
			dup = dup || strcmp(seen[i], url) == 0;
		if (dup)
			continue;
		assert_true(n < 32);
		seen[n] = url;
		assert_string_equal(ft_text(cJSON_GetArrayItem(images, n), "url"), url);
		n++;
	}
	assert_int_equal(cJSON_GetArraySize(images), n);
}

static void check_common(const struct script *s, const cJSON *raw, const cJSON *frag)
{
	char mbid[MB_MBID_LEN + 1];
	const cJSON *mbids = ft_get(ft_get(frag, "ids"), "mbid");
	const char *genre = ft_text(raw, "strGenre");

	assert_string_equal(ft_text(frag, "provider"), "theaudiodb");
	assert_string_equal(ft_text(frag, "kind"), s->kind);
	assert_string_equal(ft_text(frag, "id"), ft_text(raw, s->id));
	assert_string_equal(ft_text(frag, "name"), ft_text(raw, s->name));
	assert_string_equal(ft_get(ft_get(frag, "ids"), "theaudiodb")->child->valuestring,
			    ft_text(raw, s->id));
	if (mb_normalize_mbid(ft_text(raw, "strMusicBrainzID"), mbid) == ERR_OK)
		assert_string_equal(mbids->child->valuestring, mbid);
	else
		assert_null(mbids);
	if (genre)
		assert_string_equal(ft_text(ft_get(frag, "genres")->child, "name"), genre);
	check_bios(raw, frag, s->bio);
	check_images(raw, frag, s->images);
}

static void check_track(const cJSON *raw, const cJSON *frag)
{
	const char *ms = ft_text(raw, "intDuration");

	if (ms)
		assert_int_equal((long long)ft_get(frag, "duration_ms")->valuedouble, atoll(ms));
	if (ft_text(raw, "strArtist"))
		assert_string_equal(ft_text(frag, "artist"), ft_text(raw, "strArtist"));
	if (ft_text(raw, "strAlbum"))
		assert_string_equal(ft_text(frag, "album"), ft_text(raw, "strAlbum"));
}

static void test_fixture(void **state)
{
	const char *name = *state;
	const struct script *s = NULL;
	char where[300];
	const char *why = NULL;
	cJSON *frag = NULL, *raw;
	size_t len;
	char *body;
	enum err e;

	for (size_t i = 0; i < ARRAY_SIZE(scripts); i++) {
		size_t n = strlen(scripts[i].prefix);

		if (strncmp(name, scripts[i].prefix, n) == 0 && (name[n] == '_' || name[n] == '.'))
			s = &scripts[i];
	}
	if (!s)
		fail_msg("%s: no parser for this file name prefix", name);
	body = sf_slurp(name, &len);
	e = s->parse(body, len, &frag, &why);
	if (e != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(e), why ? why : "?");
	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("%s: fragment shape: %s", name, where);
	raw = cJSON_Parse(body);
	assert_non_null(raw);
	check_common(s, ft_get(raw, s->list)->child, frag);
	if (strcmp(s->kind, "recording") == 0)
		check_track(ft_get(raw, s->list)->child, frag);
	cJSON_Delete(raw);
	cJSON_Delete(frag);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("theaudiodb", test_fixture);
}
