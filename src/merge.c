/*
 * merge.c - build the served document from the MusicBrainz document and the
 * providers' parts: check and order the parts, then add the sections.
 *
 * This file holds the document-level work (sources, enrichment,
 * external_ids, popularity, lyrics) and the helpers the section files
 * share; images are in merge_images.c, biography, genres, similar artists
 * and top tracks in merge_lists.c, include= and language choice in
 * merge_params.c, the output shapes in merge_check.c. Nothing here fetches,
 * matches or logs: which fragment is the entity is decided before (match.h),
 * whose name normalization and method names merge borrows.
 */
#include <stdlib.h>
#include <string.h>

#include "medley/buf.h"
#include "medley/clock.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/match.h"
#include "merge_int.h"

static const char *const statuses[] = {"ok",	  "not_found", "error",
				       "timeout", "disabled",  "skipped"};

/* Latest fetched_at shown (9999-12-31T23:59:59Z); later or earlier than 1 s is "never". */
#define MAX_FETCHED_AT_S 253402300799LL

/* Shared helpers ----------------------------------------------------------- */

unsigned merge_rank(enum provider_id p, const enum provider_id *order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (order[i] == p)
			return (unsigned)i;
	return (unsigned)n + (unsigned)p;
}

void merge_norm(const char *s, char out[MERGE_NORM_LEN])
{
	struct buf b;
	size_t n = 0;

	buf_init(&b, MATCH_NORM_BYTES);
	if (match_normalize_name(s, &b) == ERR_OK)
		n = b.len < MERGE_NORM_LEN - 1 ? b.len : MERGE_NORM_LEN - 1;
	memcpy(out, b.data, n);
	out[n] = '\0';
	buf_release(&b);
}

bool merge_add_unique(cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
	{
		if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
			return false;
	}
	json_append(arr, json_new_string(s));
	return true;
}

void merge_set(cJSON *doc, const char *key, cJSON *item)
{
	while (cJSON_GetObjectItemCaseSensitive(doc, key))
		cJSON_DeleteItemFromObjectCaseSensitive(doc, key);
	if (item)
		json_add_item(doc, key, item);
}

/* doc[key] replaced where it stands (or added at the end) by item; doc takes item. */
static void replace_in_place(cJSON *doc, const char *key, cJSON *item)
{
	cJSON *first = cJSON_GetObjectItemCaseSensitive(doc, key), *c, *next;

	if (!first) {
		json_add_item(doc, key, item);
		return;
	}
	for (c = first->next; c; c = next) { /* duplicate keys a parsed body may have */
		next = c->next;
		if (c->string && strcmp(c->string, key) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(doc, c));
	}
	if (!cJSON_ReplaceItemInObjectCaseSensitive(doc, key, item))
		abort();
}

/* Parts -------------------------------------------------------------------- */

static const char *status_name(const char *s)
{
	for (size_t i = 0; s && i < ARRAY_SIZE(statuses); i++)
		if (strcmp(s, statuses[i]) == 0)
			return statuses[i];
	return "error";
}

static enum merge_frag_kind frag_kind(const cJSON *frag, enum provider_id p)
{
	const char *kind = json_get_string(frag, "kind");
	const char *provider = json_get_string(frag, "provider");

	if (!frag || !provider || strcmp(provider, provider_name(p)) != 0 ||
	    fragment_check(frag, NULL, 0) != ERR_OK)
		return MERGE_FRAG_NONE;
	if (strcmp(kind, "cover-art") == 0)
		return MERGE_FRAG_COVER_ART;
	if (strcmp(kind, "lyrics") == 0)
		return MERGE_FRAG_LYRICS;
	if (strcmp(kind, "candidates") == 0)
		return MERGE_FRAG_NONE;
	return MERGE_FRAG_ENTITY;
}

static void collect(struct merge_in *in, const struct merge_part *parts, size_t n)
{
	in->n = 0;
	for (size_t i = 0; parts && i < n && i < MERGE_MAX_PARTS; i++) {
		const struct merge_part *p = &parts[i];
		struct merge_src s = {.provider = p->provider, .part = p};
		size_t j;

		if ((unsigned)p->provider >= PROVIDER__COUNT)
			continue;
		s.ok = strcmp(status_name(p->status), "ok") == 0;
		s.kind = frag_kind(p->frag, p->provider);
		s.frag = s.kind == MERGE_FRAG_NONE ? NULL : p->frag;
		/* Insertion by provider keeps the given order within a provider. */
		for (j = in->n; j > 0 && in->src[j - 1].provider > s.provider; j--)
			in->src[j] = in->src[j - 1];
		in->src[j] = s;
		in->n++;
	}
}

/* sources ------------------------------------------------------------------ */

static cJSON *source_entry(const char *provider, const char *status, const char *fetched_at)
{
	cJSON *e = json_new_object();

	json_add_string_or_null(e, "provider", provider);
	json_add_string_or_null(e, "status", status);
	json_add_string_or_null(e, "fetched_at", fetched_at);
	return e;
}

static bool listed(const cJSON *sources, const char *provider)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, sources)
	{
		const char *p = json_get_string(e, "provider");

		if (p && strcmp(p, provider) == 0)
			return true;
	}
	return false;
}

/* The document's own entries, kept as {provider, status, fetched_at} when they have a provider. */
static cJSON *existing_sources(const cJSON *doc)
{
	cJSON *out = json_new_array();
	const cJSON *e;

	cJSON_ArrayForEach(e, json_get_array(doc, "sources"))
	{
		const char *p = json_get_string(e, "provider");
		const char *st = json_get_string(e, "status");

		if (cJSON_GetArraySize(out) >= 64)
			break;
		if (p && p[0] && !listed(out, p))
			json_append(out, source_entry(p, st && st[0] ? st : "error",
						      json_get_string(e, "fetched_at")));
	}
	return out;
}

static void add_sources(const struct merge_in *in, cJSON *doc)
{
	cJSON *sources = existing_sources(doc);

	for (size_t i = 0; i < in->n; i++) {
		const struct merge_part *p = in->src[i].part;
		const char *name = provider_name(in->src[i].provider);
		char ts[CLOCK_RFC3339_LEN];
		bool known = p->fetched_at > 0 && p->fetched_at <= MAX_FETCHED_AT_S;

		if (listed(sources, name))
			continue;
		if (known)
			clock_format_rfc3339(p->fetched_at * 1000000, ts);
		json_append(sources, source_entry(name, status_name(p->status), known ? ts : NULL));
	}
	replace_in_place(doc, "sources", sources);
}

/* external_ids ------------------------------------------------------------- */

/* Fragment id schemes that MusicBrainz's external_ids spell differently. */
static const char *ext_scheme(const char *scheme)
{
	return strcmp(scheme, "itunes") == 0 ? "apple_music" : scheme;
}

/*
 * Fold the id map ids into ext. MusicBrainz's lists (mb) are copied as they
 * are (its parser de-duplicated them) up to MERGE_MAX_MB_IDS each; a
 * provider adds the ids not there yet, within the caps on what providers add.
 */
static void add_ids(cJSON *ext, const cJSON *ids, bool mb)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, ids)
	{
		size_t len = m->string ? strlen(m->string) : 0, have;
		const cJSON *id;
		cJSON *list;

		if (!len || len > 64 || !cJSON_IsArray(m) || !json_utf8_valid(m->string, len) ||
		    strcmp(m->string, "mbid") == 0)
			continue;
		list = cJSON_GetObjectItemCaseSensitive(ext, ext_scheme(m->string));
		if (!list) {
			if ((unsigned)cJSON_GetArraySize(ext) >=
			    (mb ? MERGE_MAX_MB_SCHEMES : MERGE_MAX_ID_SCHEMES))
				continue;
			list = json_add_array(ext, ext_scheme(m->string));
		}
		have = (size_t)cJSON_GetArraySize(list);
		cJSON_ArrayForEach(id, m)
		{
			const char *s = json_string_value(id);

			if (have >= (mb ? MERGE_MAX_MB_IDS : MERGE_MAX_IDS_PER_SCHEME))
				break;
			if (!s || !s[0])
				continue;
			if (mb)
				json_append(list, json_new_string(s)), have++;
			else
				have += merge_add_unique(list, s);
		}
	}
}

static void add_external_ids(const struct merge_in *in, cJSON *doc)
{
	cJSON *ext = json_new_object();

	add_ids(ext, json_get_object(doc, "external_ids"), true);
	for (size_t i = 0; i < in->n; i++) {
		const cJSON *f = merge_frag(&in->src[i], MERGE_FRAG_ENTITY);

		if (f)
			add_ids(ext, json_get_object(f, "ids"), false);
	}
	replace_in_place(doc, "external_ids", ext);
}

/* enrichment --------------------------------------------------------------- */

/* {method, score} as match.h renders it, or null without a known method. */
static cJSON *match_object(const struct merge_part *p)
{
	struct match_result r = {.score = p->match_score, .accepted = true, .why = "recorded"};

	if (match_method_from_name(p->match_method, &r.method) != ERR_OK)
		return cJSON_CreateNull();
	return match_result_json(&r);
}

static void add_enrichment(const struct merge_in *in, cJSON *doc)
{
	cJSON *en = json_new_object();

	for (size_t i = 0; i < in->n; i++) {
		const struct merge_src *s = &in->src[i];
		const char *name = provider_name(s->provider);
		cJSON *e;

		if (!s->ok || !s->frag || cJSON_GetObjectItemCaseSensitive(en, name))
			continue;
		e = json_add_object(en, name);
		json_add_string_or_null(e, "id", json_get_string(s->frag, "id"));
		json_add_string_or_null(e, "url", json_get_string(s->frag, "url"));
		json_add_item(e, "match", match_object(s->part));
	}
	merge_set(doc, "enrichment", en);
}

/* popularity and lyrics ---------------------------------------------------- */

static void add_popularity(const struct merge_in *in, cJSON *doc)
{
	cJSON *pop = json_new_object();

	for (size_t i = 0; i < in->n; i++) {
		const cJSON *f = merge_frag(&in->src[i], MERGE_FRAG_ENTITY);
		const char *name = provider_name(in->src[i].provider);
		const cJSON *m;
		cJSON *metrics;
		size_t k;

		if (!f || cJSON_GetObjectItemCaseSensitive(pop, name) ||
		    !cJSON_GetArraySize(json_get_object(f, "popularity")))
			continue;
		metrics = json_add_object(pop, name);
		k = 0;
		cJSON_ArrayForEach(m, json_get_object(f, "popularity"))
		{
			if (k++ >= 32) /* a provider gives two or three */
				break;
			if (cJSON_IsNumber(m) &&
			    !cJSON_GetObjectItemCaseSensitive(metrics, m->string))
				json_add_item(metrics, m->string,
					      cJSON_CreateNumber(m->valuedouble));
		}
	}
	merge_set(doc, "popularity", pop);
}

static void add_lyrics(const struct merge_in *in, cJSON *doc)
{
	for (size_t i = 0; i < in->n; i++) {
		const cJSON *f = merge_frag(&in->src[i], MERGE_FRAG_LYRICS);
		const char *plain = json_get_string(f, "plain");
		const char *synced = json_get_string(f, "synced");
		bool instrumental = false;
		cJSON *ly;

		json_get_bool(f, "instrumental", &instrumental);
		if (!f || (!plain && !synced && !instrumental))
			continue;
		ly = json_new_object();
		json_add_string_or_null(ly, "plain", plain);
		json_add_string_or_null(ly, "synced", synced);
		json_add_bool_or_null(ly, "instrumental", &instrumental);
		json_add_string_or_null(ly, "source", provider_name(in->src[i].provider));
		merge_set(doc, "lyrics", ly);
		return;
	}
	merge_set(doc, "lyrics", cJSON_CreateNull());
}

/* The document ------------------------------------------------------------- */

cJSON *merge_document(const cJSON *mb_doc, const struct merge_part *parts, size_t n,
		      unsigned include, const char *lang)
{
	struct merge_in in;
	char want[MERGE_LANG_LEN];
	cJSON *doc;

	json_init();
	doc = cJSON_IsObject(mb_doc) ? cJSON_Duplicate(mb_doc, 1) : json_new_object();
	if (!doc)
		abort();
	merge_pick_lang(lang, NULL, want); /* "de-CH" or garbage in: "de" or "en" */
	collect(&in, parts, n);
	for (unsigned i = 0; i < MERGE_INCLUDE__COUNT; i++)
		if (!(include & (1u << i)))
			merge_set(doc, merge_include_name(1u << i), NULL);
	add_external_ids(&in, doc);
	add_sources(&in, doc);
	merge_genres(&in, doc);
	if (include & MERGE_IMAGES)
		merge_images(&in, doc);
	if (include & MERGE_COVER_ART)
		merge_cover_art(&in, doc);
	if (include & MERGE_BIOGRAPHY)
		merge_biography(&in, doc, want);
	if (include & MERGE_POPULARITY)
		add_popularity(&in, doc);
	if (include & MERGE_SIMILAR)
		merge_similar(&in, doc);
	if (include & MERGE_TOP_TRACKS)
		merge_top_tracks(&in, doc);
	if (include & MERGE_LYRICS)
		add_lyrics(&in, doc);
	add_enrichment(&in, doc);
	return doc;
}
