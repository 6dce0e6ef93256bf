/*
 * merge_lists.c - the text sections of a merged document: "biography",
 * "genres_merged", "similar" and "top_tracks".
 *
 * Each section reads the checked fragments (merge_int.h) in a documented
 * precedence of providers (docs/merge.md) and folds them by normalized name
 * or by identifier. Names are compared with merge_norm(), the matcher's
 * name folding (case, accents, punctuation, "&"), never its similarity:
 * telling entities apart is the matcher's job (match.h), done before the
 * fragments get here.
 */
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "medley/xalloc.h"
#include "merge_int.h"

/* Precedences (docs/merge.md). */
static const enum provider_id bio_order[] = {PROVIDER_WIKIDATA, PROVIDER_LASTFM,
					     PROVIDER_THEAUDIODB, PROVIDER_DISCOGS};
static const enum provider_id similar_order[] = {PROVIDER_LASTFM, PROVIDER_SPOTIFY, PROVIDER_DEEZER,
						 PROVIDER_THEAUDIODB};
static const enum provider_id top_order[] = {PROVIDER_LASTFM, PROVIDER_SPOTIFY, PROVIDER_DEEZER};

_Static_assert(PROVIDER__COUNT <= 32, "provider sets are 32-bit masks");

/* Indexes of in->src sorted by the rank of their provider in order (stable). */
static size_t by_rank(const struct merge_in *in, const enum provider_id *order, size_t n,
		      size_t idx[MERGE_MAX_PARTS])
{
	size_t k = 0;

	for (size_t i = 0; i < in->n; i++) {
		unsigned r = merge_rank(in->src[i].provider, order, n);
		size_t j = k++;

		for (; j > 0 && merge_rank(in->src[idx[j - 1]].provider, order, n) > r; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
	}
	return k;
}

/* The providers of mask, in PROVIDER_LIST order, as a list of names. */
static cJSON *provider_names(unsigned mask)
{
	cJSON *arr = json_new_array();

	for (unsigned p = 0; p < PROVIDER__COUNT; p++)
		if (mask & (1u << p))
			json_append(arr, json_new_string(provider_name((enum provider_id)p)));
	return arr;
}

static unsigned popcount(unsigned m)
{
	unsigned n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* biography ---------------------------------------------------------------- */

/* True if the biography's language tag has the primary subtag want (ASCII, any case). */
static bool lang_is(const char *tag, const char *want)
{
	size_t i = 0;

	for (; tag && want[i]; i++) {
		char a = tag[i], b = want[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return tag && i && (tag[i] == '\0' || tag[i] == '-' || tag[i] == '_');
}

/* The biography in lang from the provider first in bio_order that has one, else NULL. */
static const cJSON *find_bio(const struct merge_in *in, const char *lang, size_t *src)
{
	size_t idx[MERGE_MAX_PARTS], n = by_rank(in, bio_order, ARRAY_SIZE(bio_order), idx);

	for (size_t i = 0; i < n; i++) {
		const cJSON *f = merge_frag(&in->src[idx[i]], MERGE_FRAG_ENTITY);
		const cJSON *b;

		cJSON_ArrayForEach(b, json_get_array(f, "biographies"))
		{
			if (lang_is(json_get_string(b, "language"), lang)) {
				*src = idx[i];
				return b;
			}
		}
	}
	return NULL;
}

void merge_biography(const struct merge_in *in, cJSON *doc, const char *lang)
{
	size_t src = 0;
	const cJSON *b = find_bio(in, lang, &src);
	const char *url;
	cJSON *o;

	if (!b && strcmp(lang, "en") != 0)
		b = find_bio(in, "en", &src);
	if (!b) {
		merge_set(doc, "biography", cJSON_CreateNull());
		return;
	}
	url = json_get_string(b, "url");
	o = json_new_object();
	json_add_string_or_null(o, "text", json_get_string(b, "text"));
	json_add_string_or_null(o, "summary", json_get_string(b, "summary"));
	json_add_string_or_null(o, "language", json_get_string(b, "language"));
	json_add_string_or_null(o, "source", provider_name(in->src[src].provider));
	json_add_string_or_null(o, "url", url ? url : json_get_string(in->src[src].frag, "url"));
	json_add_string_or_null(o, "attribution", json_get_string(b, "attribution"));
	merge_set(doc, "biography", o);
}

/* genres_merged ------------------------------------------------------------ */

struct genre {
	char key[MERGE_NORM_LEN];
	const char *name;
	double count; /* MusicBrainz's votes; < 0 when MusicBrainz does not list it */
	unsigned sources;
	size_t seq;
};

struct genres {
	struct genre *g;
	size_t n;
};

static struct genre *genre_find(struct genres *gs, const char *key)
{
	for (size_t i = 0; i < gs->n; i++)
		if (strcmp(gs->g[i].key, key) == 0)
			return &gs->g[i];
	return NULL;
}

/* Fold the counted list arr of provider p: a genre list creates entries, a tag list does not. */
static void genre_fold(struct genres *gs, const cJSON *arr, enum provider_id p, bool creates)
{
	const cJSON *item;
	size_t read = 0;

	cJSON_ArrayForEach(item, arr)
	{
		const char *name = json_get_string(item, "name");
		struct genre *g;
		char key[MERGE_NORM_LEN];
		double count;

		if (read++ >= MERGE_MAX_ITEMS_PER_LIST)
			break;
		merge_norm(name, key);
		if (!key[0])
			continue;
		g = genre_find(gs, key);
		if (!g && creates && gs->n < MERGE_MAX_ITEMS) {
			g = &gs->g[gs->n];
			memcpy(g->key, key, sizeof(key));
			g->name = name;
			g->count = -1;
			g->seq = gs->n++;
		}
		if (!g)
			continue;
		if (p == PROVIDER_MUSICBRAINZ && creates && g->count < 0 &&
		    json_get_number(item, "count", &count) && count >= 0)
			g->count = count;
		g->sources |= 1u << p;
	}
}

static int genre_cmp(const void *pa, const void *pb)
{
	const struct genre *a = pa, *b = pb;
	unsigned na = popcount(a->sources), nb = popcount(b->sources);

	if (na != nb)
		return na > nb ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void merge_genres(const struct merge_in *in, cJSON *doc)
{
	struct genres gs = {xcalloc(MERGE_MAX_ITEMS, sizeof(struct genre)), 0};
	cJSON *arr = json_new_array();

	genre_fold(&gs, json_get_array(doc, "genres"), PROVIDER_MUSICBRAINZ, true);
	for (size_t i = 0; i < in->n; i++)
		genre_fold(&gs,
			   json_get_array(merge_frag(&in->src[i], MERGE_FRAG_ENTITY), "genres"),
			   in->src[i].provider, true);
	genre_fold(&gs, json_get_array(doc, "tags"), PROVIDER_MUSICBRAINZ, false);
	for (size_t i = 0; i < in->n; i++)
		genre_fold(&gs, json_get_array(merge_frag(&in->src[i], MERGE_FRAG_ENTITY), "tags"),
			   in->src[i].provider, false);
	qsort(gs.g, gs.n, sizeof(*gs.g), genre_cmp);
	for (size_t i = 0; i < gs.n && i < MERGE_MAX_GENRES; i++) {
		cJSON *o = json_new_object();

		json_add_string_or_null(o, "name", gs.g[i].name);
		json_add_number_or_null(o, "count", gs.g[i].count >= 0 ? &gs.g[i].count : NULL);
		json_add_item(o, "sources", provider_names(gs.g[i].sources));
		json_append(arr, o);
	}
	merge_set(doc, "genres_merged", arr);
	xfree(gs.g);
}

/* similar ------------------------------------------------------------------ */

struct similar {
	char key[MERGE_NORM_LEN];
	const char *name;
	const char *mbid;
	enum provider_id provider; /* the first provider that listed it */
	unsigned sources;
	const char *ids[PROVIDER__COUNT];
	double score;
	bool has_score;
};

static struct similar *similar_find(struct similar *s, size_t n, const char *key, const char *mbid)
{
	for (size_t i = 0; mbid && i < n; i++)
		if (s[i].mbid && strcmp(s[i].mbid, mbid) == 0)
			return &s[i];
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].key, key) == 0 && (!mbid || !s[i].mbid))
			return &s[i];
	return NULL;
}

static size_t similar_fold(struct similar *s, size_t n, const cJSON *arr, enum provider_id p,
			   const char *self)
{
	const cJSON *item;
	size_t read = 0;

	cJSON_ArrayForEach(item, arr)
	{
		const char *mbid = json_get_string(item, "mbid");
		struct similar *e;
		char key[MERGE_NORM_LEN];
		double score;

		if (read++ >= MERGE_MAX_ITEMS_PER_LIST)
			break;
		merge_norm(json_get_string(item, "name"), key);
		if (!key[0] || (mbid && self && strcmp(mbid, self) == 0))
			continue;
		e = similar_find(s, n, key, mbid);
		if (!e && n >= MERGE_MAX_ITEMS)
			continue;
		if (!e) {
			e = &s[n++];
			memcpy(e->key, key, sizeof(key));
			e->name = json_get_string(item, "name");
			e->provider = p;
		}
		if (!e->mbid)
			e->mbid = mbid;
		if (!e->ids[p] && json_get_string(item, "id") && json_get_string(item, "id")[0])
			e->ids[p] = json_get_string(item, "id");
		if (!e->has_score && json_get_number(item, "score", &score))
			e->score = score, e->has_score = true;
		e->sources |= 1u << p;
	}
	return n;
}

static cJSON *similar_item(const struct similar *e)
{
	cJSON *o = json_new_object(), *ids;

	json_add_string_or_null(o, "name", e->name);
	json_add_string_or_null(o, "mbid", e->mbid);
	json_add_string_or_null(o, "provider", provider_name(e->provider));
	json_add_item(o, "sources", provider_names(e->sources));
	ids = json_add_object(o, "ids");
	for (unsigned p = 0; p < PROVIDER__COUNT; p++)
		if (e->ids[p])
			json_add_string_or_null(ids, provider_name((enum provider_id)p), e->ids[p]);
	json_add_number_or_null(o, "score", e->has_score ? &e->score : NULL);
	return o;
}

void merge_similar(const struct merge_in *in, cJSON *doc)
{
	struct similar *s = xcalloc(MERGE_MAX_ITEMS, sizeof(*s));
	size_t idx[MERGE_MAX_PARTS], k = by_rank(in, similar_order, ARRAY_SIZE(similar_order), idx);
	const char *self = json_get_string(doc, "id");
	cJSON *arr = json_new_array();
	size_t n = 0;

	for (size_t i = 0; i < k; i++)
		n = similar_fold(
			s, n,
			json_get_array(merge_frag(&in->src[idx[i]], MERGE_FRAG_ENTITY), "similar"),
			in->src[idx[i]].provider, self);
	for (size_t i = 0; i < n && i < MERGE_MAX_SIMILAR; i++)
		json_append(arr, similar_item(&s[i]));
	merge_set(doc, "similar", arr);
	xfree(s);
}

/* top_tracks --------------------------------------------------------------- */

/* The first track of another provider's list that is t (same ISRC, else same title). */
static const cJSON *same_track(const cJSON *t, const cJSON *list)
{
	const char *isrc = json_get_string(t, "isrc");
	char key[MERGE_NORM_LEN], other[MERGE_NORM_LEN];
	const cJSON *o;
	size_t read = 0;

	merge_norm(json_get_string(t, "title"), key);
	cJSON_ArrayForEach(o, list)
	{
		const char *oisrc = json_get_string(o, "isrc");

		if (read++ >= MERGE_MAX_ITEMS_PER_LIST)
			break;
		if (isrc && oisrc) {
			if (strcmp(isrc, oisrc) == 0)
				return o;
			continue;
		}
		merge_norm(json_get_string(o, "title"), other);
		if (key[0] && strcmp(key, other) == 0)
			return o;
	}
	return NULL;
}

/* t's member key when not null, else the first of its matches' that is not null. */
static const cJSON *filled(const cJSON *t, const char *key, const cJSON *const *same, size_t n)
{
	const cJSON *v = json_get(t, key);

	for (size_t i = 0; i < n && (!v || cJSON_IsNull(v)); i++)
		v = json_get(same[i], key);
	return v && !cJSON_IsNull(v) ? v : NULL;
}

/* Track t at pos of provider p's list, completed from the same track in the other lists. */
static cJSON *track_item(const cJSON *t, size_t pos, enum provider_id p, const cJSON *const *lists,
			 size_t n)
{
	const cJSON *same[MERGE_MAX_PARTS], *dur;
	cJSON *o = json_new_object();
	double rank = (double)pos + 1, ms;

	for (size_t i = 0; i < n; i++)
		same[i] = same_track(t, lists[i]);
	dur = filled(t, "duration_ms", same, n);
	ms = dur ? dur->valuedouble : 0;
	json_get_number(t, "rank", &rank);
	json_add_string_or_null(o, "title", json_get_string(t, "title"));
	json_add_string_or_null(o, "mbid", json_string_value(filled(t, "mbid", same, n)));
	json_add_string_or_null(o, "isrc", json_string_value(filled(t, "isrc", same, n)));
	json_add_number_or_null(o, "duration_ms", cJSON_IsNumber(dur) ? &ms : NULL);
	json_add_string_or_null(o, "provider", provider_name(p));
	json_add_number_or_null(o, "rank", &rank);
	return o;
}

void merge_top_tracks(const struct merge_in *in, cJSON *doc)
{
	size_t idx[MERGE_MAX_PARTS], k = by_rank(in, top_order, ARRAY_SIZE(top_order), idx);
	const cJSON *lists[MERGE_MAX_PARTS], *t;
	cJSON *arr = json_new_array();
	size_t n = 0, pos = 0, primary = 0;

	for (size_t i = 0; i < k; i++) {
		const cJSON *l = json_get_array(merge_frag(&in->src[idx[i]], MERGE_FRAG_ENTITY),
						"top_tracks");

		if (cJSON_GetArraySize(l) > 0) {
			if (!n)
				primary = idx[i];
			lists[n++] = l;
		}
	}
	if (n) {
		cJSON_ArrayForEach(t, lists[0])
		{
			if (pos >= MERGE_MAX_TOP_TRACKS)
				break;
			json_append(arr, track_item(t, pos++, in->src[primary].provider, lists + 1,
						    n - 1));
		}
	}
	merge_set(doc, "top_tracks", arr);
}
