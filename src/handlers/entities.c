/*
 * entities.c - the MusicBrainz-backed endpoints: lookups by MBID, an
 * artist's release groups, and search.
 *
 * Each handler validates its parameters (400 with a precise detail), turns
 * them into an aggregator target and hands the request over; the aggregator
 * answers it, now or later. Nothing here knows about caches or providers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "medley/agg.h"
#include "medley/enrich.h"
#include "medley/merge.h"
#include "medley/app.h"
#include "medley/handlers.h"
#include "medley/musicbrainz.h"

#define DEFAULT_LIMIT 25
#define MAX_OFFSET 100000
#define MAX_QUERY_BYTES 500

/* MusicBrainz's release-group types (primary and secondary), lowercase. */
static const char *const rg_types[] = {
	"album",      "single",		 "ep",
	"broadcast",  "other",		 "compilation",
	"soundtrack", "spokenword",	 "interview",
	"audiobook",  "audio drama",	 "live",
	"remix",      "dj-mix",		 "mixtape/street",
	"demo",	      "field recording",
};

/* The {mbid} path parameter, validated and lowercased into out. False: r answered 400. */
static bool mbid_param(struct req *r, char out[MB_MBID_LEN + 1])
{
	const char *raw = req_param(r, "mbid");

	if (!raw || mb_normalize_mbid(raw, out) != ERR_OK) {
		req_fail(r, ERR_INVALID_ARGUMENT,
			 "'%.64s' is not a MusicBrainz id (a UUID such as "
			 "5b11f4ce-a62d-471e-81fc-a69a8278c7da)",
			 raw ? raw : "");
		return false;
	}
	return true;
}

/* Query parameter name as an integer in [min, max], or def when absent. */
static bool int_param(struct req *r, const char *name, long min, long max, long def, int *out)
{
	const char *s = req_query(r, name);
	char *end;
	long v;

	if (url_query_count(&r->query, name) > 1) {
		req_fail(r, ERR_INVALID_ARGUMENT, "'%s' is given more than once", name);
		return false;
	}
	if (!s) {
		*out = (int)def;
		return true;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) || *end || errno || v < min || v > max) {
		req_fail(r, ERR_INVALID_ARGUMENT, "'%s' must be an integer from %ld to %ld", name,
			 min, max);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool page_params(struct req *r, struct agg_target *t)
{
	return int_param(r, "limit", 1, 100, DEFAULT_LIMIT, &t->limit) &&
	       int_param(r, "offset", 0, MAX_OFFSET, 0, &t->offset);
}

/*
 * include= (or enrich.default_include) and the biography language; false
 * (after answering 400) for an unknown include name.
 */
static bool include_params(struct req *r, unsigned *include, char lang[MERGE_LANG_LEN])
{
	const char *s = req_query(r, "include"), *why = NULL;

	if (!s)
		s = r->app->cfg->enrich.default_include;
	if (merge_parse_include(s, include, &why) != ERR_OK) {
		req_fail(r, ERR_INVALID_ARGUMENT, "include: %s", why);
		return false;
	}
	merge_pick_lang(req_query(r, "lang"), req_header(r, "Accept-Language"), lang);
	return true;
}

static void lookup(struct req *r, enum agg_entity e)
{
	char mbid[MB_MBID_LEN + 1];
	struct agg_target t = {.kind = AGG_LOOKUP, .entity = e, .mbid = mbid};
	struct enrich_opts o = {.view = ENRICH_VIEW_DOCUMENT};

	if (!mbid_param(r, mbid) || !include_params(r, &o.include, o.lang) ||
	    enrich_answer_cached(r->app->enrich, r, &o, agg_entity_name(e), mbid))
		return;
	enrich_attach(r->app->enrich, r, &o);
	agg_serve(r->app->agg, r, &t);
	req_then_run(r);
}

/* GET /v1/{release-groups,releases}/{mbid}/cover-art[?size=250|500|1200][&redirect=front] */
static void cover_art(struct req *r, enum agg_entity e)
{
	char mbid[MB_MBID_LEN + 1];
	struct agg_target t = {.kind = AGG_LOOKUP, .entity = e, .mbid = mbid};
	struct enrich_opts o = {.view = ENRICH_VIEW_COVER_ART, .include = MERGE_COVER_ART};
	const char *redirect = req_query(r, "redirect");
	long size = 0;

	if (!mbid_param(r, mbid) || !int_param(r, "size", 0, 1200, 0, &o.size))
		return;
	size = o.size;
	if (size != 0 && size != 250 && size != 500 && size != 1200) {
		req_fail(r, ERR_INVALID_ARGUMENT, "size must be 250, 500 or 1200");
		return;
	}
	if (redirect && strcmp(redirect, "front") != 0) {
		req_fail(r, ERR_INVALID_ARGUMENT, "redirect must be \"front\"");
		return;
	}
	o.redirect_front = redirect != NULL;
	if (!r->app->enrich) {
		req_fail(r, ERR_NOT_FOUND, "cover art is not available on this instance");
		return;
	}
	if (enrich_answer_cached(r->app->enrich, r, &o, agg_entity_name(e), mbid))
		return;
	enrich_attach(r->app->enrich, r, &o);
	agg_serve(r->app->agg, r, &t);
	req_then_run(r);
}

void handle_release_group_cover_art(struct req *r)
{
	cover_art(r, AGG_RELEASE_GROUP);
}

void handle_release_cover_art(struct req *r)
{
	cover_art(r, AGG_RELEASE);
}

/* GET /v1/recordings/{mbid}/lyrics */
void handle_recording_lyrics(struct req *r)
{
	char mbid[MB_MBID_LEN + 1];
	struct agg_target t = {.kind = AGG_LOOKUP, .entity = AGG_RECORDING, .mbid = mbid};
	struct enrich_opts o = {.view = ENRICH_VIEW_LYRICS, .include = MERGE_LYRICS};

	if (!mbid_param(r, mbid) ||
	    enrich_answer_cached(r->app->enrich, r, &o, agg_entity_name(AGG_RECORDING), mbid))
		return;
	enrich_attach(r->app->enrich, r, &o);
	agg_serve(r->app->agg, r, &t);
	req_then_run(r);
}

void handle_artist_get(struct req *r)
{
	lookup(r, AGG_ARTIST);
}

void handle_release_group_get(struct req *r)
{
	lookup(r, AGG_RELEASE_GROUP);
}

void handle_release_get(struct req *r)
{
	lookup(r, AGG_RELEASE);
}

void handle_recording_get(struct req *r)
{
	lookup(r, AGG_RECORDING);
}

/* type=album|ep: one or more '|'-separated known types, none empty. */
static bool valid_types(const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "|");
		bool known = false;

		for (size_t i = 0; i < ARRAY_SIZE(rg_types) && !known; i++)
			known = strlen(rg_types[i]) == n && strncmp(rg_types[i], s, n) == 0;
		if (!known)
			return false;
		if (s[n] == '\0')
			return true;
		s += n + 1;
	}
}

void handle_artist_release_groups(struct req *r)
{
	char mbid[MB_MBID_LEN + 1];
	struct agg_target t = {.kind = AGG_BROWSE, .entity = AGG_ARTIST, .mbid = mbid};
	const char *type = req_query(r, "type");

	if (!mbid_param(r, mbid) || !page_params(r, &t))
		return;
	if (type && (!type[0] || !valid_types(type))) {
		req_fail(r, ERR_INVALID_ARGUMENT,
			 "'type' must be release-group types separated by '|', such as album, "
			 "single, ep, compilation, live");
		return;
	}
	t.type = type;
	agg_serve(r->app->agg, r, &t);
}

/* Trim and collapse white space into out (the cache key of a search). False if empty. */
static bool normalize_query(const char *q, char *out, size_t size)
{
	size_t n = 0;
	bool space = false;

	for (; *q && n + 2 < size; q++) {
		if (isspace((unsigned char)*q)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = *q;
	}
	out[n] = '\0';
	return n > 0;
}

void handle_search(struct req *r)
{
	const char *type = req_query(r, "type"), *q = req_query(r, "q");
	char norm[MAX_QUERY_BYTES + 2];
	struct agg_target t = {.kind = AGG_SEARCH, .query = norm};

	if (!type || !(strcmp(type, "artist") == 0 || strcmp(type, "release-group") == 0 ||
		       strcmp(type, "release") == 0 || strcmp(type, "recording") == 0)) {
		req_fail(r, ERR_INVALID_ARGUMENT,
			 "'type' must be one of artist, release-group, release, recording");
		return;
	}
	if (!q || strlen(q) > MAX_QUERY_BYTES || !normalize_query(q, norm, sizeof(norm))) {
		req_fail(r, ERR_INVALID_ARGUMENT, "'q' must be 1 to %d bytes of search text",
			 MAX_QUERY_BYTES);
		return;
	}
	t.entity = strcmp(type, "artist") == 0		? AGG_ARTIST
		   : strcmp(type, "release-group") == 0 ? AGG_RELEASE_GROUP
		   : strcmp(type, "release") == 0	? AGG_RELEASE
							: AGG_RECORDING;
	if (page_params(r, &t))
		agg_serve(r->app->agg, r, &t);
}
