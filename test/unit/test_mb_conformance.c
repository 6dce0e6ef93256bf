/*
 * test_mb_conformance.c - the MusicBrainz parsers against real recorded
 * responses.
 *
 * Reads every file of the shared fixture folder (never copied into the
 * repository): $MEDLEY_SHARED_DIR/fixtures/musicbrainz, by default
 * ../shared/fixtures/musicbrainz from the repository root
 * ($MEDLEY_SOURCE_DIR, else the working directory). The file name's prefix
 * picks the parser (artist-lookup_, release-search_, release-group-browse_,
 * error-400_, ...); an unknown prefix fails, so no fixture goes unchecked.
 * Each document must have the documented shape (mb_check_document) and
 * agree with values the test reads from the raw body on its own, with plain
 * cJSON: names, counts, ids, ISRCs, scores, paging. Without the folder the
 * suite says so and skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "fragment_testing.h"
#include "shared_fixtures.h"

/* ---- reading ------------------------------------------------------------ */

/* raw string member compared with the normalized one ("" and absent read as null). */
static void same_text(const cJSON *raw, const char *rkey, const cJSON *doc, const char *dkey)
{
	const char *r = ft_str(raw, rkey), *d = ft_str(doc, dkey);

	if (r && !r[0])
		r = NULL;
	if (!r) {
		if (d && d[0])
			fail_msg("%s: want null, got '%s'", dkey, d);
		return;
	}
	if (!d || strcmp(r, d) != 0)
		fail_msg("%s: want '%s', got '%s'", dkey, r, d ? d : "null");
}

static void same_number(const cJSON *raw, const char *rkey, const cJSON *doc, const char *dkey)
{
	const cJSON *r = ft_get(raw, rkey), *d = ft_get(doc, dkey);

	if (!cJSON_IsNumber(r)) {
		assert_true(cJSON_IsNull(d));
		return;
	}
	assert_true(cJSON_IsNumber(d));
	if (r->valuedouble != d->valuedouble)
		fail_msg("%s: want %g, got %g", dkey, r->valuedouble, d->valuedouble);
}

static void same_id(const cJSON *raw, const cJSON *doc)
{
	char id[MB_MBID_LEN + 1];

	assert_int_equal(mb_normalize_mbid(ft_str(raw, "id"), id), ERR_OK);
	assert_string_equal(ft_str(doc, "id"), id);
}

/* Both are arrays of the same strings, in order. */
static void same_strings(const cJSON *raw, const char *rkey, const cJSON *doc, const char *dkey)
{
	const cJSON *d = ft_get(doc, dkey), *r;
	int i = 0;

	assert_true(cJSON_IsArray(d));
	assert_int_equal(cJSON_GetArraySize(d), ft_size(raw, rkey));
	cJSON_ArrayForEach(r, ft_get(raw, rkey))
	{
		assert_string_equal(r->valuestring, cJSON_GetArrayItem(d, i++)->valuestring);
	}
}

/* ---- shared members ----------------------------------------------------- */

static void check_credit(const cJSON *raw, const cJSON *doc)
{
	char name[4096] = "";
	const cJSON *c;

	assert_int_equal(ft_size(doc, "artist_credit"), ft_size(raw, "artist-credit"));
	cJSON_ArrayForEach(c, ft_get(raw, "artist-credit"))
	{
		const char *n =
			ft_str(c, "name") ? ft_str(c, "name") : ft_str(ft_get(c, "artist"), "name");
		const char *j = ft_str(c, "joinphrase");

		strncat(name, n ? n : "", sizeof(name) - strlen(name) - 1);
		strncat(name, j ? j : "", sizeof(name) - strlen(name) - 1);
	}
	if (name[0])
		assert_string_equal(ft_str(doc, "artist_credit_name"), name);
	else
		assert_true(cJSON_IsNull(ft_get(doc, "artist_credit_name")));
}

/* Counted lists: same size as the raw one, sorted by count desc then name. */
static void check_counted(const cJSON *raw, const cJSON *doc, const char *key)
{
	const cJSON *d = ft_get(doc, key), *prev = NULL, *item;

	assert_int_equal(cJSON_GetArraySize(d), ft_size(raw, key));
	cJSON_ArrayForEach(item, d)
	{
		if (prev) {
			double a = ft_get(prev, "count")->valuedouble,
			       b = ft_get(item, "count")->valuedouble;

			assert_true(a > b || (a == b && strcmp(ft_str(prev, "name"),
							       ft_str(item, "name")) < 0));
		}
		prev = item;
	}
}

static void check_rating(const cJSON *raw, const cJSON *doc)
{
	const cJSON *r = ft_get(raw, "rating"), *d = ft_get(doc, "rating");

	if (!cJSON_IsNumber(ft_get(r, "value"))) {
		assert_true(cJSON_IsNull(d));
		return;
	}
	same_number(r, "value", d, "value");
	same_number(r, "votes-count", d, "votes");
}

static bool ext_has(const cJSON *doc, const char *ns, const char *id)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, ft_get(ft_get(doc, "external_ids"), ns))
	{
		if (strcmp(v->valuestring, id) == 0)
			return true;
	}
	return false;
}

/* The id the test expects from a url relation, by its MusicBrainz type. */
static void check_ext_for(const cJSON *doc, const char *type, const char *url)
{
	const char *last = strrchr(url, '/');
	char id[256];

	if (!last || !last[1] || strlen(last) >= sizeof(id))
		return;
	snprintf(id, sizeof(id), "%s", last + 1);
	if (strcmp(type, "wikidata") == 0) {
		assert_true(ext_has(doc, "wikidata", id));
	} else if (strcmp(type, "discogs") == 0) {
		id[strspn(id, "0123456789")] = '\0';
		assert_true(ext_has(doc, "discogs", id));
	} else if (strcmp(type, "allmusic") == 0) {
		assert_true(ext_has(doc, "allmusic", id));
	} else if (strstr(url, "//open.spotify.com/")) {
		assert_true(ext_has(doc, "spotify", id));
	}
}

/* Every distinct raw url is a link, in first-seen order, and known ids were extracted. */
static void check_links(const cJSON *raw, const cJSON *doc)
{
	const cJSON *links = ft_get(doc, "links"), *rel;
	const char *seen[2048];
	int distinct = 0;

	cJSON_ArrayForEach(rel, ft_get(raw, "relations"))
	{
		const char *url = ft_str(ft_get(rel, "url"), "resource");
		const char *type = ft_str(rel, "type");
		bool dup = false;

		if (!url)
			continue;
		for (int i = 0; i < distinct; i++)
			dup = dup || strcmp(seen[i], url) == 0;
		if (!dup) {
			assert_true(distinct < (int)ARRAY_SIZE(seen));
			assert_string_equal(ft_str(cJSON_GetArrayItem(links, distinct), "url"),
					    url);
			seen[distinct++] = url;
		}
		if (type)
			check_ext_for(doc, type, url);
	}
	assert_int_equal(cJSON_GetArraySize(links), distinct);
}

/* ---- per entity --------------------------------------------------------- */

static void check_artist(const cJSON *raw, const cJSON *doc)
{
	same_text(raw, "name", doc, "name");
	same_text(raw, "sort-name", doc, "sort_name");
	same_text(raw, "country", doc, "country");
	same_text(ft_get(raw, "life-span"), "begin", ft_get(doc, "life_span"), "begin");
	same_text(ft_get(raw, "life-span"), "end", ft_get(doc, "life_span"), "end");
	same_strings(raw, "ipis", doc, "ipis");
	same_strings(raw, "isnis", doc, "isnis");
	assert_int_equal(ft_size(doc, "aliases"), ft_size(raw, "aliases"));
	if (ft_get(raw, "area"))
		same_id(ft_get(raw, "area"), ft_get(doc, "area"));
}

static void check_release_group(const cJSON *raw, const cJSON *doc, bool summary)
{
	const cJSON *r;
	int i = 0;

	same_text(raw, "title", doc, "title");
	same_text(raw, "primary-type", doc, "primary_type");
	same_text(raw, "first-release-date", doc, "first_release_date");
	same_strings(raw, "secondary-types", doc, "secondary_types");
	check_credit(raw, doc);
	if (summary)
		return;
	assert_int_equal(ft_size(doc, "aliases"), ft_size(raw, "aliases"));
	assert_int_equal(ft_size(doc, "releases"), ft_size(raw, "releases"));
	cJSON_ArrayForEach(r, ft_get(raw, "releases"))
	{
		const cJSON *d = cJSON_GetArrayItem(ft_get(doc, "releases"), i++);

		same_id(r, d);
		same_text(r, "title", d, "title");
		same_text(r, "date", d, "date");
	}
}

static void check_track(const cJSON *raw, const cJSON *doc)
{
	const cJSON *rec = ft_get(raw, "recording");

	same_id(raw, doc);
	same_text(raw, "title", doc, "title");
	same_text(raw, "number", doc, "number");
	same_number(raw, "length", doc, "length_ms");
	if (!rec) {
		assert_true(cJSON_IsNull(ft_get(doc, "recording")));
		return;
	}
	same_id(rec, ft_get(doc, "recording"));
	same_strings(rec, "isrcs", ft_get(doc, "recording"), "isrcs");
}

static void check_release(const cJSON *raw, const cJSON *doc)
{
	const cJSON *m;
	int i = 0;

	same_text(raw, "title", doc, "title");
	same_text(raw, "date", doc, "date");
	same_text(raw, "status", doc, "status");
	check_credit(raw, doc);
	assert_int_equal(ft_size(doc, "label_info"), ft_size(raw, "label-info"));
	if (cJSON_IsString(ft_get(raw, "barcode")))
		assert_string_equal(ft_str(doc, "barcode"), ft_str(raw, "barcode"));
	if (ft_get(raw, "release-group"))
		same_id(ft_get(raw, "release-group"), ft_get(doc, "release_group"));
	assert_int_equal(ft_size(doc, "media"), ft_size(raw, "media"));
	cJSON_ArrayForEach(m, ft_get(raw, "media"))
	{
		const cJSON *dm = cJSON_GetArrayItem(ft_get(doc, "media"), i++), *t;
		int j = 0;

		same_number(m, "track-count", dm, "track_count");
		assert_int_equal(ft_size(dm, "tracks"), ft_size(m, "tracks"));
		cJSON_ArrayForEach(t, ft_get(m, "tracks"))
		{
			check_track(t, cJSON_GetArrayItem(ft_get(dm, "tracks"), j++));
		}
	}
}

static void check_recording(const cJSON *raw, const cJSON *doc)
{
	const cJSON *r;
	int i = 0;

	same_text(raw, "title", doc, "title");
	same_number(raw, "length", doc, "length_ms");
	same_strings(raw, "isrcs", doc, "isrcs");
	check_credit(raw, doc);
	assert_int_equal(ft_size(doc, "releases"), ft_size(raw, "releases"));
	cJSON_ArrayForEach(r, ft_get(raw, "releases"))
	{
		const cJSON *d = cJSON_GetArrayItem(ft_get(doc, "releases"), i++);

		same_id(r, d);
		same_text(r, "title", d, "title");
		if (ft_get(r, "release-group"))
			same_id(ft_get(r, "release-group"), ft_get(d, "release_group"));
	}
}

static void check_entity(enum mb_entity e, const cJSON *raw, const cJSON *doc, bool full)
{
	same_id(raw, doc);
	assert_string_equal(ft_str(doc, "kind"), mb_entity_name(e));
	check_counted(raw, doc, "genres");
	check_counted(raw, doc, "tags");
	if (e != MB_RELEASE)
		check_rating(raw, doc);
	if (full)
		check_links(raw, doc);
	switch (e) {
	case MB_ARTIST:
		check_artist(raw, doc);
		break;
	case MB_RELEASE_GROUP:
		check_release_group(raw, doc, !full);
		break;
	case MB_RELEASE:
		check_release(raw, doc);
		break;
	default:
		check_recording(raw, doc);
		break;
	}
}

/* ---- per fixture -------------------------------------------------------- */

static const char *const list_keys[MB_ENTITY__COUNT] = {"artists", "release-groups", "releases",
							"recordings"};

static void check_search(enum mb_entity e, const cJSON *raw, const cJSON *doc)
{
	const cJSON *r;
	int i = 0;

	assert_string_equal(ft_str(doc, "type"), mb_entity_name(e));
	same_number(raw, "count", doc, "count");
	same_number(raw, "offset", doc, "offset");
	assert_int_equal(ft_size(doc, "results"), ft_size(raw, list_keys[e]));
	cJSON_ArrayForEach(r, ft_get(raw, list_keys[e]))
	{
		const cJSON *d = cJSON_GetArrayItem(ft_get(doc, "results"), i++);

		same_number(r, "score", d, "score");
		check_entity(e, r, d, true);
	}
}

static void check_browse(const cJSON *raw, const cJSON *doc)
{
	const cJSON *r;
	int i = 0;

	same_number(raw, "release-group-count", doc, "count");
	same_number(raw, "release-group-offset", doc, "offset");
	assert_int_equal(ft_size(doc, "release_groups"), ft_size(raw, "release-groups"));
	cJSON_ArrayForEach(r, ft_get(raw, "release-groups"))
	{
		check_entity(MB_RELEASE_GROUP, r,
			     cJSON_GetArrayItem(ft_get(doc, "release_groups"), i++), false);
	}
}

static void check_error(const char *body, size_t len, const cJSON *raw)
{
	char msg[512];

	assert_int_equal(mb_parse_error(body, len, msg, sizeof(msg)), ERR_OK);
	assert_string_equal(msg, ft_str(raw, "error"));
}

/* Which parser a fixture name asks for: 'l'ookup, 's'earch, 'b'rowse, 'e'rror. */
static char route(const char *name, enum mb_entity *e)
{
	static const char *const prefixes[] = {"artist-", "release-group-", "release-",
					       "recording-"};

	if (strncmp(name, "error-", 6) == 0)
		return 'e';
	if (strncmp(name, "release-group-browse_", 21) == 0) {
		*e = MB_RELEASE_GROUP;
		return 'b';
	}
	for (unsigned i = 0; i < MB_ENTITY__COUNT; i++) {
		size_t n = strlen(prefixes[i]);

		*e = (enum mb_entity)i;
		if (strncmp(name, prefixes[i], n) != 0)
			continue;
		if (strncmp(name + n, "lookup_", 7) == 0)
			return 'l';
		if (strncmp(name + n, "search_", 7) == 0)
			return 's';
	}
	return '?';
}

static void test_fixture(void **state)
{
	const char *name = *state;
	char where[300];
	const char *why = NULL;
	cJSON *raw, *doc = NULL;
	enum mb_entity e = MB_ARTIST;
	char how = route(name, &e);
	size_t len;
	char *body;
	enum err err = ERR_OK;

	if (how == '?')
		fail_msg("%s: no parser for this file name prefix", name);
	body = sf_slurp(name, &len);
	raw = cJSON_ParseWithLength(body, len);
	assert_non_null(raw);
	if (how == 'e') {
		check_error(body, len, raw);
		goto out;
	}
	if (how == 'l')
		err = mb_parse_lookup(e, body, len, &doc, &why);
	else if (how == 's')
		err = mb_parse_search(e, body, len, &doc, &why);
	else
		err = mb_parse_browse_release_groups(body, len, &doc, &why);
	if (err != ERR_OK)
		fail_msg("%s: %s (%s)", name, err_str(err), why);
	if (mb_check_document(doc, where, sizeof(where)) != ERR_OK)
		fail_msg("%s: shape: %s", name, where);
	if (how == 'l')
		check_entity(e, raw, doc, true);
	else if (how == 's')
		check_search(e, raw, doc);
	else
		check_browse(raw, doc);
out:
	cJSON_Delete(doc);
	cJSON_Delete(raw);
	free(body);
}

int main(void)
{
	json_init();
	return sf_run("musicbrainz", test_fixture);
}
