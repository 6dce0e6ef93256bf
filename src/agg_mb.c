/*
 * agg_mb.c - the MusicBrainz side of the aggregator's targets.
 *
 * Maps a target to its MusicBrainz URL and parser, completes the parsed
 * document into the document as served (sources, and what a page was asked
 * for), and lists the foreign ids a document reveals for the cache's
 * external_ids table. The request building and parsing proper are in
 * providers/musicbrainz*.c; this file only wires them to targets.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "agg_int.h"
#include "medley/clock.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"

_Static_assert((int)AGG_ARTIST == (int)MB_ARTIST && (int)AGG_RECORDING == (int)MB_RECORDING &&
		       (int)AGG_RELEASE_GROUP == (int)MB_RELEASE_GROUP &&
		       (int)AGG_RELEASE == (int)MB_RELEASE,
	       "agg_entity mirrors mb_entity");

enum err agg_mb_url(const struct agg_target *t, const char *base_url, struct buf *out)
{
	enum mb_entity e = (enum mb_entity)t->entity;

	switch (t->kind) {
	case AGG_LOOKUP:
		return mb_lookup_url(base_url, e, t->mbid, out);
	case AGG_BROWSE:
		return mb_browse_release_groups_url(base_url, t->mbid, t->type, (unsigned)t->limit,
						    (unsigned)t->offset, out);
	case AGG_URL:
		return mb_url_lookup_url(base_url, t->query, out);
	case AGG_SEARCH:
		return mb_search_url(base_url, e, t->query, (unsigned)t->limit, (unsigned)t->offset,
				     out);
	}
	return ERR_INVALID_ARGUMENT;
}

/* "sources": what every served document says about where it came from. */
static void add_sources(cJSON *doc, int64_t fetched_at_us)
{
	char ts[CLOCK_RFC3339_LEN];
	cJSON *sources = cJSON_CreateArray();
	cJSON *mb = cJSON_CreateObject();

	clock_format_rfc3339(fetched_at_us, ts);
	cJSON_AddStringToObject(mb, "provider", "musicbrainz");
	cJSON_AddStringToObject(mb, "status", "ok");
	cJSON_AddStringToObject(mb, "fetched_at", ts);
	cJSON_AddItemToArray(sources, mb);
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "sources");
	cJSON_AddItemToObject(doc, "sources", sources);
}

/* A page: give it an id and echo what was asked. */
static void describe_page(cJSON *doc, const struct agg_target *t)
{
	char key[AGG_KEY_MAX];

	agg_target_key(t, key);
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "id");
	cJSON_AddStringToObject(doc, "id", key);
	if (t->kind == AGG_URL)
		return; /* its id is the URL; it has no page */
	if (t->kind == AGG_BROWSE) {
		cJSON_AddStringToObject(doc, "artist_id", t->mbid);
		json_add_string_or_null(doc, "type", t->type);
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "query");
		cJSON_AddStringToObject(doc, "query", t->query);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "limit");
	cJSON_AddNumberToObject(doc, "limit", t->limit);
}

enum err agg_mb_parse(const struct agg_target *t, const char *body, size_t len,
		      int64_t fetched_at_us, cJSON **doc_out, char canonical_id[40],
		      const char **why)
{
	enum mb_entity e = (enum mb_entity)t->entity;
	cJSON *doc = NULL;
	enum err err;

	canonical_id[0] = '\0';
	if (t->kind == AGG_LOOKUP)
		err = mb_parse_lookup(e, body, len, &doc, why);
	else if (t->kind == AGG_BROWSE)
		err = mb_parse_browse_release_groups(body, len, &doc, why);
	else if (t->kind == AGG_URL)
		err = mb_parse_url(body, len, &doc, why);
	else
		err = mb_parse_search(e, body, len, &doc, why);
	if (err != ERR_OK)
		return err;
	if (t->kind == AGG_LOOKUP) {
		const char *id = json_get_string(doc, "id");

		if (id && strlen(id) < 40)
			memcpy(canonical_id, id, strlen(id) + 1);
	} else {
		describe_page(doc, t);
	}
	add_sources(doc, fetched_at_us);
	*doc_out = doc;
	return ERR_OK;
}

static size_t add_pair(struct cache_ext_id *out, size_t n, size_t max, const char *ns,
		       const char *id)
{
	if (n >= max || !id || !id[0])
		return n;
	out[n].ns = ns;
	out[n].id = id;
	return n + 1;
}

/* ISRCs of a recording, or of every track's recording on a release. */
static size_t add_isrcs(const cJSON *doc, struct cache_ext_id *out, size_t n, size_t max)
{
	const cJSON *isrc, *medium, *track;

	cJSON_ArrayForEach(isrc, json_get_array(doc, "isrcs")) n =
		add_pair(out, n, max, "isrc", json_string_value(isrc));
	cJSON_ArrayForEach(medium, json_get_array(doc, "media"))
	{
		cJSON_ArrayForEach(track, json_get_array(medium, "tracks"))
		{
			const cJSON *rec = json_get_object(track, "recording");

			cJSON_ArrayForEach(isrc, json_get_array(rec, "isrcs")) n =
				add_pair(out, n, max, "isrc", json_string_value(isrc));
		}
	}
	return n;
}

size_t agg_mb_external_ids(const cJSON *doc, struct cache_ext_id *out, size_t max)
{
	const cJSON *ns, *id;
	size_t n = 0;

	cJSON_ArrayForEach(ns, json_get_object(doc, "external_ids"))
	{
		cJSON_ArrayForEach(id, ns) n =
			add_pair(out, n, max, ns->string, json_string_value(id));
	}
	n = add_pair(out, n, max, "barcode", json_get_string(doc, "barcode"));
	return add_isrcs(doc, out, n, max);
}
