/*
 * lookup.c - cross-service lookups and free-text lyrics.
 *
 *   GET /v1/lookup?isrc=|barcode=|spotify=KIND:ID|deezer=KIND:ID|discogs=KIND:ID|
 *                  itunes=KIND:ID|wikidata=Q...
 *   GET /v1/lyrics?artist=&title=[&album=][&duration=SECONDS]
 *
 * An ISRC or a barcode is asked of MusicBrainz (a recording search
 * "isrc:...", a release search "barcode:...", through the aggregator and
 * its cache), and every entity it names is a match (method isrc / upc,
 * score 1). A foreign id is looked up in the ids that the MusicBrainz
 * documents medley holds reveal through their url relations (external_ids,
 * method mb_relation, score 1) and in the matches the enrichment engine
 * made (crosswalk, with their method and score); when neither knows it,
 * MusicBrainz's url lookup is asked which entities link the provider's page
 * (through the aggregator and its cache; method mb_url, score 1). Lyrics without an MBID go straight to the
 * enrichment engine with the given names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "medley/agg.h"
#include "medley/app.h"
#include "medley/cache.h"
#include "medley/enrich.h"
#include "medley/handlers.h"
#include "medley/json.h"
#include "medley/match.h"
#include "medley/merge.h"
#include "medley/sha256.h"

#define LOOKUP_MAX 25
#define TEXT_MAX 512

/* The foreign id parameters: query name -> external_ids namespace and allowed kinds. */
static const struct foreign {
	const char *param, *ns, *provider, *kinds;
	const char *page; /* the entity's page, as MusicBrainz url relations spell it */
} foreigns[] = {
	{"spotify", "spotify", "spotify", "artist album track", "https://open.spotify.com/"},
	{"deezer", "deezer", "deezer", "artist album track", "https://www.deezer.com/"},
	{"discogs", "discogs", "discogs", "artist master release label",
	 "https://www.discogs.com/"},
	{"itunes", "apple_music", "itunes", "artist album song", "https://music.apple.com/us/"},
	{"wikidata", "wikidata", "wikidata", NULL, "https://www.wikidata.org/wiki/"},
};

/* One lookup's question, for the answer ("query"). In the request's arena. */
struct question {
	const char *param, *value;
	const char *method;
};

static void add_query(cJSON *doc, const struct question *q)
{
	cJSON *query = json_add_object(doc, "query");

	json_add_string_or_null(query, q->param, q->value);
}

/*
 * The aggregator's answer to a lookup question -> the lookup answer: a
 * search document ("results": isrc=, barcode=) or a url document
 * ("relations": MusicBrainz's url lookup), each item a match by q->method.
 */
static void then_matches(struct req *r, void *arg)
{
	const struct question *q = arg;
	cJSON *src = NULL, *doc, *matches;
	const cJSON *it, *list;
	const char *why, *title;
	char *text;

	if (r->status != 200 ||
	    json_parse(r->body.data, r->body.len, REQ_MAX_BODY_BYTES, &src, &why) != ERR_OK) {
		if (r->status == 404) { /* the url lookup: MusicBrainz knows no such URL */
			req_clear_headers(r);
			req_fail(r, ERR_NOT_FOUND, "no MusicBrainz entity is linked to %s %s",
				 q->param, q->value);
		}
		req_complete(r);
		return;
	}
	list = json_get_array(src, "results");
	if (!list)
		list = json_get_array(src, "relations");
	doc = json_new_object();
	add_query(doc, q);
	matches = json_add_array(doc, "matches");
	cJSON_ArrayForEach(it, list)
	{
		cJSON *m = json_new_object(), *match;
		double one = 1;

		title = json_get_string(it, "title");
		json_add_string_or_null(m, "kind", json_get_string(it, "kind"));
		json_add_string_or_null(m, "id", json_get_string(it, "id"));
		json_add_string_or_null(m, "title", title ? title : json_get_string(it, "name"));
		json_add_string_or_null(m, "artist", json_get_string(it, "artist_credit_name"));
		match = json_add_object(m, "match");
		json_add_string_or_null(match, "method", q->method);
		json_add_number_or_null(match, "score", &one);
		json_append(matches, m);
	}
	json_add_item(doc, "sources",
		      json_get_array(src, "sources")
			      ? cJSON_Duplicate(json_get_array(src, "sources"), true)
			      : json_new_array());
	cJSON_Delete(src);
	buf_reset(&r->body);
	if (cJSON_GetArraySize(matches) == 0) {
		req_clear_headers(r);
		req_fail(r, ERR_NOT_FOUND, "MusicBrainz relates no entity to %s %s", q->param,
			 q->value);
	} else {
		text = cJSON_PrintUnformatted(doc);
		buf_adds(&r->body, text);
		cJSON_free(text);
		req_reply(r, 200, REQ_JSON);
	}
	cJSON_Delete(doc);
	req_complete(r);
}

/* isrc= or barcode=: a MusicBrainz search, answered through then_matches. */
static void by_code(struct req *r, bool isrc, const char *value)
{
	char norm[16], query[64];
	struct question *q = arena_alloc(&r->arena, sizeof(*q));
	struct agg_target t = {.kind = AGG_SEARCH, .limit = LOOKUP_MAX};
	enum err e = isrc ? match_normalize_isrc(value, norm) : match_normalize_upc(value, norm);

	if (e != ERR_OK) {
		req_fail(r, ERR_INVALID_ARGUMENT,
			 isrc ? "isrc must be 12 characters like USRC17607839"
			      : "barcode must be 8 to 14 digits (UPC or EAN)");
		return;
	}
	*q = (struct question){isrc ? "isrc" : "barcode", arena_strndup(&r->arena, norm, 15),
			       isrc ? "isrc" : "upc"};
	snprintf(query, sizeof(query), "%s:%s", isrc ? "isrc" : "barcode", norm);
	t.entity = isrc ? AGG_RECORDING : AGG_RELEASE;
	t.query = query;
	req_then(r, then_matches, q);
	agg_serve(r->app->agg, r, &t);
	req_then_run(r);
}

/* spotify=artist:ID and the like: the external ids medley's documents reveal. */
static void by_foreign(struct req *r, const struct foreign *f, const char *value)
{
	const char *colon = strchr(value, ':');
	const char *id = f->kinds ? (colon ? colon + 1 : NULL) : value;
	struct buf rows;
	enum err e;

	if (f->kinds) {
		size_t klen = colon ? (size_t)(colon - value) : 0;
		const char *k = f->kinds;
		bool ok = false;

		while (klen && *k && !ok) {
			size_t n = strcspn(k, " ");

			ok = n == klen && strncmp(k, value, n) == 0;
			k += n + (k[n] ? 1 : 0);
		}
		if (!ok || !id[0] || strlen(id) > 128) {
			req_fail(r, ERR_INVALID_ARGUMENT, "%s must be KIND:ID with KIND one of: %s",
				 f->param, f->kinds);
			return;
		}
	} else if (value[0] != 'Q' || strspn(value + 1, "0123456789") != strlen(value + 1) ||
		   !value[1] || strlen(value) > 16) {
		req_fail(r, ERR_INVALID_ARGUMENT, "wikidata must be an item id like Q392");
		return;
	}
	buf_init(&rows, 1 << 20);
	e = cache_find_external(r->app->pool, f->ns, f->provider, id, LOOKUP_MAX, &rows);
	if (e != ERR_OK) {
		req_fail(r, e, "the id table could not be read");
	} else if (rows.len == 0) {
		/* not seen yet: ask MusicBrainz which entities link the page */
		struct question *q = arena_alloc(&r->arena, sizeof(*q));
		char page[512];
		struct agg_target t = {.kind = AGG_URL, .query = page};

		if (f->kinds)
			snprintf(page, sizeof(page), "%s%.*s/%s", f->page, (int)(id - value - 1),
				 value, id);
		else
			snprintf(page, sizeof(page), "%s%s", f->page, value);
		*q = (struct question){f->param, value, "mb_url"};
		req_then(r, then_matches, q);
		agg_serve(r->app->agg, r, &t);
		req_then_run(r);
	} else {
		buf_addf(&r->body, "{\"query\":{\"%s\":", f->param);
		buf_add_json_str(&r->body, value);
		buf_adds(&r->body, "},\"matches\":[");
		buf_add(&r->body, rows.data, rows.len);
		buf_adds(&r->body, "]}");
		req_reply(r, 200, REQ_JSON);
	}
	buf_release(&rows);
}

void handle_lookup(struct req *r)
{
	const char *v;
	int given = 0;

	given += req_query(r, "isrc") != NULL;
	given += req_query(r, "barcode") != NULL;
	for (size_t i = 0; i < ARRAY_SIZE(foreigns); i++)
		given += req_query(r, foreigns[i].param) != NULL;
	if (given != 1) {
		req_fail(r, ERR_INVALID_ARGUMENT,
			 "give exactly one of isrc, barcode, spotify, deezer, discogs, itunes, "
			 "wikidata");
		return;
	}
	if ((v = req_query(r, "isrc")) != NULL) {
		by_code(r, true, v);
		return;
	}
	if ((v = req_query(r, "barcode")) != NULL) {
		by_code(r, false, v);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(foreigns); i++)
		if ((v = req_query(r, foreigns[i].param)) != NULL)
			by_foreign(r, &foreigns[i], v);
}

/* A text parameter: absent (when optional) or 1..TEXT_MAX bytes. */
static bool text_param(struct req *r, const char *name, bool required, const char **out)
{
	*out = req_query(r, name);
	if ((!*out && !required) || (*out && (*out)[0] && strlen(*out) <= TEXT_MAX))
		return true;
	req_fail(r, ERR_INVALID_ARGUMENT, "'%s' is required, 1 to %d bytes", name, TEXT_MAX);
	return false;
}

void handle_lyrics(struct req *r)
{
	const char *artist, *title, *album, *dur = req_query(r, "duration");
	struct enrich_opts o = {.view = ENRICH_VIEW_LYRICS, .include = MERGE_LYRICS};
	char hex[SHA256_HEX_LEN], id[40], *end = NULL;
	long seconds = 0;
	struct buf key;
	cJSON *doc;

	if (!text_param(r, "artist", true, &artist) || !text_param(r, "title", true, &title) ||
	    !text_param(r, "album", false, &album))
		return;
	if (dur && ((seconds = strtol(dur, &end, 10)) < 1 || seconds > 7200 || *end)) {
		req_fail(r, ERR_INVALID_ARGUMENT, "'duration' must be seconds, 1 to 7200");
		return;
	}
	if (!r->app->enrich) {
		req_fail(r, ERR_NOT_FOUND, "lyrics are not available on this instance");
		return;
	}
	/* the cache key: the question itself */
	buf_init(&key, 4 * TEXT_MAX);
	buf_addf(&key, "%s\n%s\n%s\n%ld", artist, title, album ? album : "", seconds);
	sha256_hex(key.data, key.len, hex);
	buf_release(&key);
	snprintf(id, sizeof(id), "q-%.32s", hex);
	doc = json_new_object();
	json_add_string_or_null(doc, "kind", "recording");
	json_add_string_or_null(doc, "id", id);
	json_add_string_or_null(doc, "title", title);
	json_add_string_or_null(doc, "artist_credit_name", artist);
	if (seconds) {
		double ms = (double)seconds * 1000;

		json_add_number_or_null(doc, "length_ms", &ms);
	}
	if (album) {
		cJSON *rel = json_new_object();

		json_add_string_or_null(rel, "title", album);
		json_append(json_add_array(doc, "releases"), rel);
	}
	json_add_array(doc, "sources");
	enrich_serve_doc(r->app->enrich, r, doc, &o);
}
