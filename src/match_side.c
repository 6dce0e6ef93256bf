/*
 * match_side.c - one side of a comparison, read once: a MusicBrainz
 * document or a provider fragment turned into a struct match_side (match_int.h).
 *
 * Names and titles are normalized here, titles and identifiers become
 * sorted sets of 64-bit keys, and every list is read up to its cap
 * (match.h), so what the judges in match.c do later is cheap and bounded.
 * This file decides nothing about matches and keeps nothing between calls.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "medley/hash.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/xalloc.h"
#include "match_int.h"

/* Key sets ------------------------------------------------------------------ */

static void keyset_add(struct match_keyset *k, uint64_t key)
{
	if (k->n == k->max)
		return;
	if (!k->v)
		k->v = xmalloc(k->max * sizeof(k->v[0]));
	k->v[k->n++] = key;
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort and drop duplicates. */
static void keyset_seal(struct match_keyset *k)
{
	size_t o = 0;

	if (!k->n)
		return;
	qsort(k->v, k->n, sizeof(k->v[0]), key_cmp);
	for (size_t i = 1; i < k->n; i++)
		if (k->v[i] != k->v[o])
			k->v[++o] = k->v[i];
	k->n = o + 1;
}

/* How many keys two sealed sets share. */
size_t match_keyset_common(const struct match_keyset *a, const struct match_keyset *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n && j < b->n) {
		if (a->v[i] < b->v[j]) {
			i++;
		} else if (a->v[i] > b->v[j]) {
			j++;
		} else {
			n++, i++, j++;
		}
	}
	return n;
}

/* Sides ----------------------------------------------------------------------- */

struct match_side *match_side_new(bool skip_generic)
{
	struct match_side *s = xcalloc(1, sizeof(*s));

	s->skip_generic = skip_generic;
	s->titles.max = MATCH_MAX_TITLES;
	s->albums.max = MATCH_MAX_ALBUMS;
	s->isrcs.max = s->upcs.max = MATCH_MAX_CODES;
	s->year = s->length_ms = s->track_count = -1;
	return s;
}

/* Empty s for another fragment, keeping its memory. */
void match_side_reset(struct match_side *s)
{
	for (size_t i = 0; i < s->n_names; i++)
		xfree(s->names[i]);
	xfree(s->title);
	s->title = NULL;
	s->n_names = s->n_mbids = s->n_links = 0;
	s->titles.n = s->albums.n = s->isrcs.n = s->upcs.n = 0;
	s->kind = 0;
	s->doc = NULL;
	s->provider = s->id = NULL;
	s->year = s->length_ms = s->track_count = -1;
}

void match_side_free(struct match_side *s)
{
	if (!s)
		return;
	match_side_reset(s);
	xfree(s->titles.v);
	xfree(s->albums.v);
	xfree(s->isrcs.v);
	xfree(s->upcs.v);
	xfree(s);
}

/* The normalized form of s, or s itself when nothing is left ("!!!"); NULL for NULL or "". */
static char *norm_dup(const char *s, bool title)
{
	char norm[MATCH_NORM_BYTES];

	if (!s || !s[0])
		return NULL;
	if (match_norm(s, title, norm))
		return xstrdup(norm);
	return xstrndup(s, MATCH_MAX_TEXT_BYTES);
}

static void add_name(struct match_side *s, const char *name)
{
	char *n;

	if (s->n_names == MATCH_MAX_NAMES || !(n = norm_dup(name, false)))
		return;
	s->names[s->n_names++] = n;
}

static void add_title(struct match_keyset *k, const char *t, bool skip_generic)
{
	char norm[MATCH_NORM_BYTES];

	if (!t || !match_norm(t, true, norm) || (skip_generic && match_generic_title(norm)))
		return;
	keyset_add(k, hash_str(norm));
}

static const char *item_title(const cJSON *item)
{
	const char *t = json_string_value(item);

	if (!t)
		t = json_get_string(item, "title");
	return t ? t : json_get_string(item, "name");
}

static void add_titles(struct match_keyset *k, const cJSON *list, const char *key,
		       bool skip_generic)
{
	const cJSON *item;
	size_t seen = 0;

	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(item, list)
	{
		if (seen++ == MATCH_MAX_TITLES)
			break;
		add_title(k, key ? json_get_string(item, key) : item_title(item), skip_generic);
	}
}

static void add_code(struct match_keyset *k, const char *s, bool isrc)
{
	uint64_t v;

	if (isrc ? match_isrc_key(s, &v) : match_upc_key(s, &v))
		keyset_add(k, v);
}

/* Items that are strings, or objects with a string member key. */
static void add_codes(struct match_keyset *k, const cJSON *list, const char *key, bool isrc)
{
	const cJSON *item;
	size_t seen = 0;

	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(item, list)
	{
		const char *s = json_string_value(item);

		if (seen++ == MATCH_MAX_CODES)
			break;
		add_code(k, s ? s : json_get_string(item, key), isrc);
	}
}

static void add_mbid(struct match_side *s, const char *id)
{
	if (s->n_mbids < MATCH_MAX_MBIDS && mb_normalize_mbid(id, s->mbids[s->n_mbids]) == ERR_OK)
		s->n_mbids++;
}

static long long year_of(const char *date)
{
	long long y = 0;

	for (int i = 0; i < 4; i++) {
		if (!date || date[i] < '0' || date[i] > '9')
			return -1;
		y = y * 10 + (date[i] - '0');
	}
	return y;
}

static long long int_member(const cJSON *obj, const char *key)
{
	long long v;

	return json_get_int(obj, key, 0, INT64_C(1) << 40, &v) ? v : -1;
}

/* The credited artists' names: the whole credit, each credited name, each artist's names. */
static void add_credit(struct match_side *s, const cJSON *doc)
{
	const cJSON *c;

	add_name(s, json_get_string(doc, "artist_credit_name"));
	cJSON_ArrayForEach(c, json_get_array(doc, "artist_credit"))
	{
		const cJSON *a = json_get_object(c, "artist");

		add_name(s, json_get_string(c, "name"));
		add_name(s, json_get_string(a, "name"));
		add_name(s, json_get_string(a, "sort_name"));
	}
}

static void read_links(struct match_side *s, const cJSON *doc)
{
	const cJSON *link;
	size_t seen = 0;

	cJSON_ArrayForEach(link, json_get_array(doc, "links"))
	{
		if (seen++ == MB_MAX_LINKS || s->n_links == MATCH_MAX_LINK_IDS)
			break;
		if (match_link_parse(json_get_string(link, "url"), &s->links[s->n_links]))
			s->n_links++;
	}
}

static void read_mb_artist(struct match_side *s, const cJSON *doc)
{
	const cJSON *a;

	add_name(s, json_get_string(doc, "name"));
	add_name(s, json_get_string(doc, "sort_name"));
	cJSON_ArrayForEach(a, json_get_array(doc, "aliases"))
	{
		add_name(s, json_get_string(a, "name"));
		add_name(s, json_get_string(a, "sort_name"));
	}
}

static void read_mb_release(struct match_side *s, const cJSON *doc)
{
	const cJSON *m, *t, *rel;
	long long tracks = 0;
	size_t seen = 0;

	add_code(&s->upcs, json_get_string(doc, "barcode"), false);
	add_mbid(s, json_get_string(json_get_object(doc, "release_group"), "id"));
	s->year = year_of(json_get_string(doc, "date"));
	cJSON_ArrayForEach(m, json_get_array(doc, "media"))
	{
		cJSON_ArrayForEach(t, json_get_array(m, "tracks"))
		{
			if (seen++ >= MATCH_MAX_TITLES) /* across media: every inner loop stops */
				break;
			add_title(&s->titles, json_get_string(t, "title"), false);
			add_codes(&s->isrcs,
				  json_get_array(json_get_object(t, "recording"), "isrcs"), NULL,
				  true);
			tracks++;
		}
	}
	s->track_count = int_member(doc, "track_count");
	if (s->track_count < 0 && tracks)
		s->track_count = tracks;
	cJSON_ArrayForEach(rel, json_get_array(doc, "releases")) /* a release group's */
	{
		add_mbid(s, json_get_string(rel, "id"));
		add_code(&s->upcs, json_get_string(rel, "barcode"), false);
	}
}

static void read_mb_recording(struct match_side *s, const cJSON *doc)
{
	const cJSON *rel;
	size_t seen = 0;

	add_codes(&s->isrcs, json_get_array(doc, "isrcs"), NULL, true);
	s->length_ms = int_member(doc, "length_ms");
	s->year = year_of(json_get_string(doc, "first_release_date"));
	cJSON_ArrayForEach(rel, json_get_array(doc, "releases"))
	{
		if (seen++ == MATCH_MAX_ALBUMS)
			break;
		add_title(&s->albums, json_get_string(rel, "title"), false);
		add_title(&s->albums,
			  json_get_string(json_get_object(rel, "release_group"), "title"), false);
	}
}

static void read_evidence(struct match_side *s, const struct match_evidence *ev)
{
	for (size_t i = 0; ev && i < MATCH_EV_LISTS; i++) {
		add_titles(&s->titles, ev->mb_titles[i], NULL, s->skip_generic);
		add_codes(&s->isrcs, ev->mb_isrcs[i], "isrc", true);
		add_codes(&s->upcs, ev->mb_upcs[i], "barcode", false);
	}
}

static void seal(struct match_side *s)
{
	keyset_seal(&s->titles);
	keyset_seal(&s->albums);
	keyset_seal(&s->isrcs);
	keyset_seal(&s->upcs);
}

/* MusicBrainz's side of doc; kind 0 when doc is not a document of a known kind. */
void match_side_read_mb(struct match_side *s, const cJSON *doc, const struct match_evidence *ev)
{
	s->doc = doc;
	s->kind = match_kind_bit(json_get_string(doc, "kind"));
	s->id = json_get_string(doc, "id");
	add_mbid(s, s->id);
	if (s->kind == MK_ARTIST) {
		read_mb_artist(s, doc);
	} else {
		add_credit(s, doc);
		s->title = norm_dup(json_get_string(doc, "title"), true);
	}
	if (s->kind == MK_RELEASE_GROUP) {
		read_mb_release(s, doc);
		s->year = year_of(json_get_string(doc, "first_release_date"));
	} else if (s->kind == MK_RELEASE) {
		read_mb_release(s, doc);
	} else if (s->kind == MK_RECORDING) {
		read_mb_recording(s, doc);
	}
	read_links(s, doc);
	read_evidence(s, ev);
	seal(s);
}

/* A fragment's tracks or top tracks: titles and ISRCs. */
static void read_tracks(struct match_side *s, const cJSON *list)
{
	const cJSON *t;
	size_t seen = 0;

	cJSON_ArrayForEach(t, list)
	{
		if (seen++ == MATCH_MAX_TITLES)
			break;
		add_title(&s->titles, json_get_string(t, "title"), s->skip_generic);
		add_code(&s->isrcs, json_get_string(t, "isrc"), true);
	}
}

/* The candidate's own works, given by the caller: titles, and codes of fragment items. */
static void read_cand_titles(struct match_side *s, const cJSON *list)
{
	const cJSON *item;
	size_t seen = 0;

	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(item, list)
	{
		const cJSON *ids = json_get_object(item, "ids");

		if (seen++ == MATCH_MAX_TITLES)
			break;
		add_title(&s->titles, item_title(item), s->skip_generic);
		add_code(&s->isrcs, json_get_string(item, "isrc"), true);
		add_codes(&s->isrcs, json_get_array(ids, "isrc"), NULL, true);
		add_codes(&s->upcs, json_get_array(ids, "upc"), NULL, false);
	}
}

void match_side_read_cand(struct match_side *s, const cJSON *frag, const struct match_evidence *ev)
{
	const cJSON *ids = json_get_object(frag, "ids"), *tracks = json_get_array(frag, "tracks");
	const cJSON *m;

	s->doc = frag;
	s->kind = match_kind_bit(json_get_string(frag, "kind"));
	s->provider = json_get_string(frag, "provider");
	s->id = json_get_string(frag, "id");
	if (s->kind == MK_ARTIST) {
		add_name(s, json_get_string(frag, "name"));
	} else {
		add_name(s, json_get_string(frag, "artist"));
		s->title = norm_dup(json_get_string(frag, "name"), true);
	}
	cJSON_ArrayForEach(m, json_get_array(ids, "mbid"))
	{
		add_mbid(s, json_string_value(m));
	}
	add_codes(&s->isrcs, json_get_array(ids, "isrc"), NULL, true);
	add_codes(&s->upcs, json_get_array(ids, "upc"), NULL, false);
	read_tracks(s, json_get_array(frag, "top_tracks"));
	read_tracks(s, tracks);
	for (size_t i = 0; ev && i < MATCH_EV_LISTS; i++)
		read_cand_titles(s, ev->cand_titles[i]);
	add_title(&s->albums, json_get_string(frag, "album"), false);
	s->year = year_of(json_get_string(frag, "date"));
	s->length_ms = int_member(frag, "duration_ms");
	s->track_count = cJSON_GetArraySize(tracks);
	if (!s->track_count) {
		/* the providers' own names for it, as fragment.h lists them */
		static const char *const names[] = {"track_count", "nb_tracks", "total_tracks"};
		const cJSON *extra = json_get_object(frag, "extra");

		for (size_t i = 0; i < ARRAY_SIZE(names) && s->track_count <= 0; i++)
			s->track_count = int_member(extra, names[i]);
	}
	seal(s);
}
