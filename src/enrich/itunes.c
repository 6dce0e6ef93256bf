/*
 * itunes.c - the iTunes Search API adapter: album and track artwork (one
 * "front" at 1200 px with 250/500/1200 thumbnails, from the parser), Apple
 * ids (external_ids "apple_music"), genres, store pages and previews.
 *
 * How the Apple entity is found, best evidence first:
 *  - artist: a MusicBrainz url relation to music.apple.com / itunes.apple.com
 *    (/lookup?id=, mb_relation); else /search?entity=musicArtist, and each
 *    candidate whose name is close enough (MAX_CANDS at most) is
 *    corroborated by its albums (/lookup?id=<n>&entity=album) against the
 *    artist's MusicBrainz release groups and recordings (one browse and one
 *    recording search at MusicBrainz, asked only when a candidate has a
 *    close name): search. When a candidate has too few albums at Apple to
 *    settle it (FEW_ALBUMS), its songs (&entity=song) are added to its
 *    titles;
 *  - album (release, release group): a url relation (/lookup?id=<n>
 *    &entity=song, mb_relation); else the barcode (/lookup?upc=, upc); else
 *    /search?entity=album scored by match_best() (search);
 *  - track: a url relation (/lookup?id=); else /search?entity=song scored
 *    by match_best(). Apple's Search API has no ISRCs.
 * A linked entity Apple no longer knows (resultCount 0) is looked for as if
 * there were no link. A search hit is the fragment itself: no second call.
 *
 * Apple lists one recording under several track ids (the album's, the
 * single's) and one album under several collection ids (explicit and clean
 * versions), which match_best() reports as ambiguous. When every candidate
 * tied with the best has the same normalized title and the same Apple
 * artist id, they are one work and the first in Apple's order is taken;
 * any other tie is no answer.
 *
 * Apple allows about 20 calls a minute, so requests are few: one for an
 * album or a track in the usual case, at most MAX_CALLS for an artist.
 * Artist results carry no artwork: an artist's fragment gives ids, genres
 * and the store page, not images.
 */
#include <stdio.h>
#include <string.h>

#include "adapter_int.h"
#include "medley/itunes.h"
#include "medley/merge.h"

#define ARTIST_SEARCH_LIMIT 10
#define SEARCH_LIMIT 25
#define MAX_CANDS 3  /* same-name artist candidates corroborated at most */
#define MAX_CALLS 6  /* Apple requests per artist job at most */
#define FEW_ALBUMS 2 /* a candidate with this many albums or fewer: its songs may corroborate */

/* What a url relation to itunes contains (ad_stale_link()). */
static const char *const itunes_marks[] = {"apple.com/", NULL};

enum {
	S_START,
	S_LINK,
	S_UPC,
	S_SEARCH,
	S_ARTIST_SEARCH,
	S_MB_TITLES,
	S_MB_RECORDINGS,
	S_CAND_ALBUMS,
	S_CAND_SONGS,
};

static const char *base(const struct enrich_job *j)
{
	return j->cfg->base_url;
}

/* Ask Apple for the URL built in req->url (counted against MAX_CALLS). */
static enum enrich_step apple(struct enrich_job *j, enum err e, struct enrich_request *req)
{
	ad_aux_set(j, "calls", cJSON_CreateNumber(ad_aux_int(j, "calls") + 1));
	return ad_fetch(j, e, req);
}

/*
 * The search term "<a> <b>" (a may be NULL) in out, cut to
 * ITUNES_MAX_TERM_BYTES on a character boundary. False when there is
 * nothing to search for.
 */
static bool term(const char *a, const char *b, char out[ITUNES_MAX_TERM_BYTES + 1])
{
	size_t n;

	if (!b || !b[0])
		return false;
	snprintf(out, ITUNES_MAX_TERM_BYTES + 1, "%s%s%s", a && a[0] ? a : "", a && a[0] ? " " : "",
		 b);
	n = strlen(out);
	if (n == ITUNES_MAX_TERM_BYTES) /* maybe cut: drop a partial UTF-8 sequence */
		while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
			out[--n] = '\0';
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		out[--n] = '\0';
	return n > 0;
}

/* Search for the entity by name (and credited artist, for albums and tracks). */
static enum enrich_step search(struct enrich_job *j, struct enrich_request *req)
{
	char t[ITUNES_MAX_TERM_BYTES + 1];
	enum itunes_entity e;

	buf_reset(&req->url);
	if (ad_kind_is(j, "artist")) {
		if (!term(NULL, ad_name(j->mb), t))
			return ENRICH_NOT_FOUND;
		j->state = S_ARTIST_SEARCH;
		return apple(j,
			     itunes_search_url(base(j), ITUNES_ARTIST, t, ARTIST_SEARCH_LIMIT, NULL,
					       &req->url),
			     req);
	}
	if (!term(ad_credit(j->mb), ad_name(j->mb), t))
		return ENRICH_NOT_FOUND;
	e = ad_kind_is(j, "recording") ? ITUNES_SONG : ITUNES_ALBUM;
	j->state = S_SEARCH;
	return apple(j, itunes_search_url(base(j), e, t, SEARCH_LIMIT, NULL, &req->url), req);
}

static enum enrich_step start(struct enrich_job *j, struct enrich_request *req)
{
	const char *code;
	enum err e;

	if (match_mb_link_id(j->mb, PROVIDER_ITUNES, NULL, j->id, sizeof(j->id)) == ERR_OK) {
		bool album = ad_kind_is(j, "release") || ad_kind_is(j, "release-group");

		ad_matched(j, MATCH_MB_RELATION, 1);
		j->state = S_LINK;
		e = itunes_lookup_url(base(j), j->id,
				      album ? ITUNES_INCLUDE_SONGS : ITUNES_INCLUDE_NONE,
				      album ? ITUNES_MAX_LIMIT : 0, NULL, &req->url);
		if (e == ERR_OK)
			return apple(j, e, req);
		j->match = (struct match_result){.method = MATCH_SEARCH};
		buf_reset(&req->url);
	}
	if ((ad_kind_is(j, "release") || ad_kind_is(j, "release-group")) &&
	    (code = ad_barcode(j->mb)) != NULL) {
		j->state = S_UPC;
		e = itunes_lookup_upc_url(base(j), code, ITUNES_INCLUDE_SONGS, ITUNES_MAX_LIMIT,
					  NULL, &req->url);
		if (e == ERR_OK)
			return apple(j, e, req);
	}
	return search(j, req);
}

/* The item of a candidates fragment with this id, else its first; NULL when none. */
static cJSON *item_by_id(cJSON *cands, const char *id)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(cands, "items"), *it;

	cJSON_ArrayForEach(it, items)
	{
		const char *s = json_get_string(it, "id");

		if (id && s && strcmp(s, id) == 0)
			return it;
	}
	return items ? items->child : NULL;
}

/* Take item out of its candidates fragment and finish with it. */
static enum enrich_step done_item(struct enrich_job *j, cJSON *cands, cJSON *item,
				  enum match_method m, double score)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(cands, "items");
	cJSON *frag = cJSON_DetachItemViaPointer(items, item);

	cJSON_Delete(cands);
	return ad_done(j, frag, m, score);
}

/* The linked entity: its fragment, or a search when Apple no longer has it. */
static enum enrich_step on_link(struct enrich_job *j, const struct fetch_result *res,
				struct enrich_request *req)
{
	enum itunes_entity kind = ad_kind_is(j, "artist")      ? ITUNES_ARTIST
				  : ad_kind_is(j, "recording") ? ITUNES_SONG
							       : ITUNES_ALBUM;
	const char *why = NULL;
	cJSON *frag = NULL, *item;
	enum err e;

	if (kind == ITUNES_ALBUM) {
		e = itunes_parse_album_lookup(res->body.data, res->body.len, &frag, &why);
		if (e == ERR_NOT_FOUND && ad_stale_link(j, itunes_marks))
			return search(j, req);
		if (e != ERR_OK)
			return ad_parse_failed(j, e, "album lookup", why);
		return ad_done(j, frag, MATCH_MB_RELATION, 1);
	}
	e = itunes_parse_results(kind, res->body.data, res->body.len, &frag, &why);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "lookup", why);
	item = item_by_id(frag, j->id);
	if (!item) {
		cJSON_Delete(frag);
		return ad_stale_link(j, itunes_marks) ? search(j, req) : ENRICH_NOT_FOUND;
	}
	return done_item(j, frag, item, MATCH_MB_RELATION, 1);
}

/* An album by barcode: a hit is the match; a miss falls back to search. */
static enum enrich_step on_upc(struct enrich_job *j, const struct fetch_result *res,
			       struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *frag = NULL;
	enum err e = itunes_parse_album_lookup(res->body.data, res->body.len, &frag, &why);

	if (e == ERR_NOT_FOUND)
		return search(j, req);
	if (e != ERR_OK)
		return ad_parse_failed(j, e, "album lookup", why);
	return ad_done(j, frag, MATCH_UPC, 1);
}

/* The normalized title of a candidate, in out (size bytes); "" when none. */
static void norm_title(const cJSON *item, char *out, size_t size)
{
	struct buf b;

	buf_init(&b, MATCH_MAX_TEXT_BYTES * 4);
	if (match_normalize_title(json_get_string(item, "name"), &b) == ERR_OK && !buf_failed(&b) &&
	    b.len)
		snprintf(out, size, "%.*s", (int)b.len, b.data);
	else
		out[0] = '\0';
	buf_release(&b);
}

/* Two candidates that are one work listed twice by Apple: same title, same Apple artist. */
static bool same_work(const cJSON *a, const cJSON *b)
{
	const char *aa = json_get_string(json_get_object(a, "extra"), "artist_id");
	const char *ba = json_get_string(json_get_object(b, "extra"), "artist_id");
	char at[MATCH_MAX_TEXT_BYTES * 2], bt[MATCH_MAX_TEXT_BYTES * 2];

	if (!aa || !ba || strcmp(aa, ba) != 0)
		return false;
	norm_title(a, at, sizeof(at));
	norm_title(b, bt, sizeof(bt));
	return at[0] && strcmp(at, bt) == 0;
}

/*
 * The best candidate of an album or track search, or -1: match_best(), and
 * when it finds a tie, the first of the tied candidates if they are all one
 * work (see the comment at the top).
 */
static int pick(struct enrich_job *j, const cJSON *cands, struct match_result *r)
{
	const cJSON *items = json_get_array(cands, "items");
	struct match_opts o = ad_opts(j);
	struct match_result v[MATCH_MAX_CANDIDATES];
	const cJSON *mb = ad_mb_for_match(j);
	bool track = ad_kind_is(j, "recording");
	int n = cJSON_GetArraySize(items), best = -1;

	best = match_best(mb, cands, NULL, &o, r);
	if (best >= 0 || !r->why || strncmp(r->why, "ambiguous", 9) != 0)
		return best;
	if (n > (int)MATCH_MAX_CANDIDATES)
		n = (int)MATCH_MAX_CANDIDATES;
	for (int i = 0; i < n; i++) {
		const cJSON *it = cJSON_GetArrayItem(items, i);

		if (track)
			match_recording(mb, it, &o, &v[i]);
		else
			match_release(mb, it, NULL, &o, &v[i]);
		if (v[i].accepted && (best < 0 || v[i].score > v[best].score))
			best = i;
	}
	if (best < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const cJSON *a = cJSON_GetArrayItem(items, i), *b = cJSON_GetArrayItem(items, best);
		const char *ai = json_get_string(a, "id"), *bi = json_get_string(b, "id");

		if (i == best || !v[i].accepted ||
		    v[i].score + MATCH_TIE_MARGIN + 1e-9 < v[best].score)
			continue;
		if (ai && bi && strcmp(ai, bi) == 0)
			continue;
		if (!same_work(a, b))
			return -1; /* truly ambiguous: r says so already */
	}
	*r = v[best];
	return best;
}

static enum enrich_step on_search(struct enrich_job *j, const struct fetch_result *res)
{
	enum itunes_entity kind = ad_kind_is(j, "recording") ? ITUNES_SONG : ITUNES_ALBUM;
	struct match_result r;
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e = itunes_parse_results(kind, res->body.data, res->body.len, &cands, &why);
	int best;

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "search", why);
	best = pick(j, cands, &r);
	if (best < 0) {
		cJSON_Delete(cands);
		return ENRICH_NOT_FOUND;
	}
	return done_item(j, cands,
			 cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cands, "items"), best),
			 r.method, r.score);
}

/* ---- artists by search ------------------------------------------------------------ */

/* Ask for the albums of the next close candidate, or NOT_FOUND. */
static enum enrich_step next_candidate(struct enrich_job *j, struct enrich_request *req)
{
	buf_reset(&req->url);
	if (ad_aux_int(j, "calls") >= MAX_CALLS || !ad_next_candidate(j, MAX_CANDS))
		return ENRICH_NOT_FOUND;
	j->state = S_CAND_ALBUMS;
	return apple(j,
		     itunes_lookup_url(base(j), j->id, ITUNES_INCLUDE_ALBUMS, ITUNES_MAX_LIMIT,
				       NULL, &req->url),
		     req);
}

static enum enrich_step on_artist_search(struct enrich_job *j, const struct fetch_result *res,
					 struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *cands = NULL;
	enum err e =
		itunes_parse_results(ITUNES_ARTIST, res->body.data, res->body.len, &cands, &why);

	if (e != ERR_OK)
		return ad_parse_failed(j, e, "artist search", why);
	if (!ad_keep_candidates(j, cands))
		return ENRICH_NOT_FOUND; /* no need to ask MusicBrainz for evidence */
	/* the artist's own works, to corroborate a same-name candidate */
	return ad_ask_mb_titles(j, req, AD_MB_RELEASE_GROUPS, S_MB_TITLES);
}

/* Judge the candidate j->id (its artist item in aux "cart") with these lists of its titles. */
static void judge(struct enrich_job *j, const cJSON *albums, const cJSON *songs,
		  struct match_result *r)
{
	ad_judge_artist(j, json_get(j->aux, "cart"), json_get_array(albums, "items"),
			json_get_array(songs, "items"), r);
}

/* The candidate accepted: its artist item is the fragment. */
static enum enrich_step take_candidate(struct enrich_job *j, const struct match_result *r)
{
	cJSON *frag = cJSON_DetachItemFromObjectCaseSensitive(j->aux, "cart");

	return ad_done(j, frag, r->method, r->score);
}

/* A candidate's albums (and the artist item that heads them): judge, maybe ask for songs. */
static enum enrich_step on_cand_albums(struct enrich_job *j, const struct fetch_result *res,
				       struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *artist = NULL, *albums = NULL;
	const cJSON *item;
	struct match_result r;

	if (itunes_parse_results(ITUNES_ARTIST, res->body.data, res->body.len, &artist, &why) !=
		    ERR_OK ||
	    itunes_parse_results(ITUNES_ALBUM, res->body.data, res->body.len, &albums, &why) !=
		    ERR_OK) {
		cJSON_Delete(artist);
		return next_candidate(j, req);
	}
	/* the looked-up artist, else the search's item for it */
	item = item_by_id(artist, j->id);
	if (!item || !json_get_string(item, "id") ||
	    strcmp(json_get_string(item, "id"), j->id) != 0)
		item = ad_candidate(j);
	ad_aux_set(j, "cart", cJSON_Duplicate(item, true));
	cJSON_Delete(artist);
	judge(j, albums, NULL, &r);
	if (r.accepted) {
		cJSON_Delete(albums);
		return take_candidate(j, &r);
	}
	/*
	 * Not a veto, and too few albums at Apple to give two titles in common:
	 * the candidate's songs may tell. A larger catalogue that agrees on
	 * fewer than two titles is not worth another call.
	 */
	if (r.method == MATCH_SEARCH &&
	    cJSON_GetArraySize(json_get_array(albums, "items")) <= FEW_ALBUMS &&
	    ad_aux_int(j, "calls") < MAX_CALLS) {
		ad_aux_set(j, "calb", albums);
		j->state = S_CAND_SONGS;
		return apple(j,
			     itunes_lookup_url(base(j), j->id, ITUNES_INCLUDE_SONGS,
					       ITUNES_MAX_LIMIT, NULL, &req->url),
			     req);
	}
	cJSON_Delete(albums);
	return next_candidate(j, req);
}

static enum enrich_step on_cand_songs(struct enrich_job *j, const struct fetch_result *res,
				      struct enrich_request *req)
{
	const char *why = NULL;
	cJSON *songs = NULL;
	struct match_result r;

	if (itunes_parse_results(ITUNES_SONG, res->body.data, res->body.len, &songs, &why) !=
	    ERR_OK)
		return next_candidate(j, req);
	judge(j, json_get(j->aux, "calb"), songs, &r);
	cJSON_Delete(songs);
	if (r.accepted)
		return take_candidate(j, &r);
	return next_candidate(j, req);
}

/* ---- the state machine ------------------------------------------------------------ */

static enum enrich_step step(struct enrich_job *j, const struct fetch_result *res,
			     struct enrich_request *req)
{
	enum enrich_step how;

	if (!res)
		return start(j, req);
	switch (j->state) {
	case S_MB_TITLES: /* MusicBrainz's evidence is optional */
		(void)ad_on_mb_titles(j, res, AD_MB_RELEASE_GROUPS);
		return ad_ask_mb_titles(j, req, AD_MB_RECORDINGS, S_MB_RECORDINGS);
	case S_MB_RECORDINGS:
		(void)ad_on_mb_titles(j, res, AD_MB_RECORDINGS);
		return next_candidate(j, req);
	default:
		break;
	}
	if (!ad_fetched(j, res, &how)) {
		if (how == ENRICH_NOT_FOUND && j->state == S_UPC)
			return search(j, req);
		if (how == ENRICH_NOT_FOUND && j->state == S_LINK && ad_stale_link(j, itunes_marks))
			return search(j, req);
		if (how == ENRICH_NOT_FOUND &&
		    (j->state == S_CAND_ALBUMS || j->state == S_CAND_SONGS))
			return next_candidate(j, req);
		return how; /* an error (Apple's throttling is a 403): retried later */
	}
	switch (j->state) {
	case S_LINK:
		return on_link(j, res, req);
	case S_UPC:
		return on_upc(j, res, req);
	case S_SEARCH:
		return on_search(j, res);
	case S_ARTIST_SEARCH:
		return on_artist_search(j, res, req);
	case S_CAND_ALBUMS:
		return on_cand_albums(j, res, req);
	case S_CAND_SONGS:
		return on_cand_songs(j, res, req);
	default:
		return ad_bad_state(j);
	}
}

const struct enrich_adapter enrich_itunes = {
	.id = PROVIDER_ITUNES,
	.kinds = ENRICH_ARTIST | ENRICH_RELEASE_GROUP | ENRICH_RELEASE | ENRICH_RECORDING,
	.includes = MERGE_IMAGES,
	.step = step,
};
