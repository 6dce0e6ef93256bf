/*
 * match.c - the matchers: is this provider fragment that MusicBrainz
 * entity, by which evidence, with which score.
 *
 * Both sides are first read into a struct match_side (match_side.c). The judges
 * here then apply match.h's rules in order: hard identifiers, vetoes, then
 * a scored search match; match_best() reads MusicBrainz's side once for all
 * candidates and refuses ties. Text rules live in match_text.c, link forms
 * in match_links.c. This file does no I/O and keeps nothing between calls.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/xalloc.h"
#include "match_int.h"

/* Slack for comparisons of computed scores with the threshold. */
#define EPS 1e-9

static const char *const method_names[] = {
#define MATCH_METHOD_NAME_ROW(id, name) name,
	MATCH_METHOD_LIST(MATCH_METHOD_NAME_ROW)
#undef MATCH_METHOD_NAME_ROW
};

const char *match_method_name(enum match_method m)
{
	return (unsigned)m < MATCH_METHOD__COUNT ? method_names[m] : NULL;
}

enum err match_method_from_name(const char *name, enum match_method *out)
{
	for (unsigned i = 0; name && i < MATCH_METHOD__COUNT; i++)
		if (strcmp(name, method_names[i]) == 0) {
			*out = (enum match_method)i;
			return ERR_OK;
		}
	return ERR_INVALID_ARGUMENT;
}

struct match_opts match_opts_default(void)
{
	return (struct match_opts){MATCH_DEFAULT_THRESHOLD, MATCH_DEFAULT_DURATION_TOLERANCE_MS};
}

static struct match_opts opts_of(const struct match_opts *o)
{
	struct match_opts d = match_opts_default();

	if (o && o->threshold >= 0.0 && o->threshold <= 1.0)
		d.threshold = o->threshold;
	if (o && o->duration_tolerance_ms >= 0)
		d.duration_tolerance_ms = o->duration_tolerance_ms;
	return d;
}

/* Evidence ---------------------------------------------------------------------- */

static bool verdict(struct match_result *r, enum match_method m, double score, bool ok,
		    const char *why)
{
	r->method = m;
	r->score = score < 0.0 ? 0.0 : score > 1.0 ? 1.0 : score;
	r->accepted = ok;
	r->why = why;
	return true;
}

static bool mbid_shared(const struct match_side *mb, const struct match_side *c)
{
	for (size_t i = 0; i < c->n_mbids; i++)
		for (size_t j = 0; j < mb->n_mbids; j++)
			if (strcmp(c->mbids[i], mb->mbids[j]) == 0)
				return true;
	return false;
}

static int provider_of(const char *name)
{
	for (int p = 0; name && p < PROVIDER__COUNT; p++)
		if (strcmp(name, provider_name((enum provider_id)p)) == 0)
			return p;
	return -1;
}

/* MusicBrainz links an entity of this kind at provider p: any (id NULL), or id. */
static bool mb_links_any(const struct match_side *mb, int p, unsigned kind, const char *id)
{
	for (size_t i = 0; i < mb->n_links; i++) {
		const struct match_link *l = &mb->links[i];

		if ((int)l->p == p && (l->kinds & kind) &&
		    (!id || match_link_id_equal(l->p, l->id, id)))
			return true;
	}
	return false;
}

/* MusicBrainz links id (false for NULL) at provider p for this kind. */
static bool mb_links(const struct match_side *mb, int p, unsigned kind, const char *id)
{
	return id && mb_links_any(mb, p, kind, id);
}

/*
 * c's id at its own provider in the form links give: its "id" (not for
 * Last.fm, whose fragments may spell it otherwise), else the id its page
 * URL gives. NULL when unknown.
 */
static const char *cand_link_id(const struct match_side *c, struct match_link *tmp)
{
	int p = provider_of(c->provider);

	if (p < 0)
		return NULL;
	if (match_link_parse(json_get_string(c->doc, "url"), tmp) && (int)tmp->p == p)
		return tmp->id;
	return p == PROVIDER_LASTFM ? NULL : c->id;
}

/* A url relation names c: its id, an id of its "ids", or its page. */
static bool mb_relation(const struct match_side *mb, const struct match_side *c)
{
	const char *url = json_get_string(c->doc, "url");
	const cJSON *scheme, *id, *link;
	struct match_link tmp;
	size_t seen = 0;

	if (mb_links(mb, provider_of(c->provider), c->kind, c->id) ||
	    mb_links(mb, provider_of(c->provider), c->kind, cand_link_id(c, &tmp)))
		return true;
	cJSON_ArrayForEach(scheme, json_get_object(c->doc, "ids"))
	{
		int p = provider_of(scheme->string);

		if (p < 0 || !cJSON_IsArray(scheme))
			continue;
		cJSON_ArrayForEach(id, scheme)
		{
			if (json_string_value(id) && mb_links(mb, p, c->kind, id->valuestring))
				return true;
		}
	}
	cJSON_ArrayForEach(link, json_get_array(mb->doc, "links"))
	{
		if (seen++ == MB_MAX_LINKS)
			break;
		if (url && match_same_url(json_get_string(link, "url"), url))
			return true;
	}
	return false;
}

/*
 * The hard identifiers: an MBID in common accepts; another MBID rejects
 * (when mbid_veto: artists and recordings), even against a url relation, as
 * conflicting evidence; then a url relation accepts.
 */
static bool judge_hard(const struct match_side *mb, const struct match_side *c, bool mbid_veto,
		       struct match_result *r)
{
	if (mbid_shared(mb, c))
		return verdict(r, MATCH_MBID, 1.0, true, "the provider names this MBID");
	if (mbid_veto && c->n_mbids)
		return verdict(r, MATCH_MBID, 0.0, false, "the provider names another MBID");
	if (mb_relation(mb, c))
		return verdict(r, MATCH_MB_RELATION, 1.0, true,
			       "a MusicBrainz url relation names this entity");
	return false;
}

/* MusicBrainz links another entity of c's provider and kind: c is not it, whatever its name. */
static bool judge_link_veto(const struct match_side *mb, const struct match_side *c,
			    struct match_result *r)
{
	struct match_link tmp;
	const char *id = cand_link_id(c, &tmp);

	if (id && mb_links_any(mb, provider_of(c->provider), c->kind, NULL))
		return verdict(r, MATCH_MB_RELATION, 0.0, false,
			       "MusicBrainz links another entity of this provider");
	return false;
}

/* The best similarity of any of a's names with any of b's. */
static double best_name(const struct match_side *a, const struct match_side *b)
{
	double best = 0.0;

	for (size_t i = 0; i < a->n_names; i++)
		for (size_t j = 0; j < b->n_names && best < 1.0; j++) {
			double s = match_similarity(a->names[i], b->names[j]);

			best = s > best ? s : best;
		}
	return best;
}

static double title_sim(const struct match_side *a, const struct match_side *b)
{
	return a->title && b->title ? match_similarity(a->title, b->title) : 0.0;
}

static bool below(double v, double threshold)
{
	return v + EPS < threshold;
}

/* Judges ------------------------------------------------------------------------- */

static void judge_artist(const struct match_side *mb, const struct match_side *c,
			 const struct match_opts *o, struct match_result *r)
{
	double name, score;
	size_t k;

	if (judge_hard(mb, c, true, r) || judge_link_veto(mb, c, r))
		return;
	name = best_name(mb, c);
	if (below(name, o->threshold)) {
		verdict(r, MATCH_SEARCH, 0.8 * name, false, "name differs");
		return;
	}
	if (match_keyset_common(&mb->isrcs, &c->isrcs)) {
		verdict(r, MATCH_ISRC, 1.0, true, "name and an ISRC in common");
		return;
	}
	if (match_keyset_common(&mb->upcs, &c->upcs)) {
		verdict(r, MATCH_UPC, 1.0, true, "name and a barcode in common");
		return;
	}
	k = match_keyset_common(&mb->titles, &c->titles);
	score = 0.8 * name + 0.2 * (k >= 4 ? 1.0 : (double)k / 4.0);
	if (k < 2)
		verdict(r, MATCH_SEARCH, score, false,
			k ? "name and one title in common, not enough"
			  : "name only, no corroboration");
	else if (below(score, o->threshold))
		verdict(r, MATCH_SEARCH, score, false, "score below the threshold");
	else
		verdict(r, MATCH_SEARCH, score, true, "name and titles in common");
}

static double agreement(long long a, long long b, long long near, double near_score)
{
	long long d = a > b ? a - b : b - a;

	return d == 0 ? 1.0 : d <= near ? near_score : 0.0;
}

/* The largest known corroboration of an album match; -1 when tracklists disagree. */
static double album_corroboration(const struct match_side *mb, const struct match_side *c)
{
	double best = 0.0;

	if (mb->titles.n && c->titles.n) {
		size_t k = match_keyset_common(&mb->titles, &c->titles);
		size_t shorter = mb->titles.n < c->titles.n ? mb->titles.n : c->titles.n;
		size_t longer = mb->titles.n + c->titles.n - shorter;

		if (2 * k < shorter)
			return -1.0;
		best = (double)k / (double)longer;
	}
	if (mb->track_count > 0 && c->track_count > 0) {
		double a = agreement(mb->track_count, c->track_count, 2, 0.7);

		best = a > best ? a : best;
	}
	if (mb->year >= 0 && c->year >= 0) {
		double a = agreement(mb->year, c->year, 1, 0.7);

		best = a > best ? a : best;
	}
	return best;
}

static void judge_release(const struct match_side *mb, const struct match_side *c,
			  const struct match_opts *o, struct match_result *r)
{
	double title, artist, corr, score;

	if (judge_hard(mb, c, false, r))
		return;
	if (match_keyset_common(&mb->upcs, &c->upcs)) {
		verdict(r, MATCH_UPC, 1.0, true, "a barcode in common");
		return;
	}
	if (judge_link_veto(mb, c, r))
		return;
	title = title_sim(mb, c);
	artist = best_name(mb, c);
	score = 0.45 * title + 0.35 * artist;
	if (below(title, o->threshold)) {
		verdict(r, MATCH_SEARCH, score, false, "title differs");
		return;
	}
	if (below(artist, o->threshold)) {
		verdict(r, MATCH_SEARCH, score, false, "artist differs or unknown");
		return;
	}
	corr = album_corroboration(mb, c);
	if (corr < 0.0) {
		verdict(r, MATCH_SEARCH, score, false, "tracklists differ");
		return;
	}
	score += 0.2 * corr;
	if (corr <= 0.0)
		verdict(r, MATCH_SEARCH, score, false, "title and artist only, no corroboration");
	else if (below(score, o->threshold))
		verdict(r, MATCH_SEARCH, score, false, "score below the threshold");
	else
		verdict(r, MATCH_SEARCH, score, true, "title, artist and corroboration");
}

static void judge_recording(const struct match_side *mb, const struct match_side *c,
			    const struct match_opts *o, struct match_result *r)
{
	long long d = -1;
	double title, artist, extra, score;
	double tol = (double)o->duration_tolerance_ms;

	if (judge_hard(mb, c, true, r))
		return;
	if (match_keyset_common(&mb->isrcs, &c->isrcs)) {
		verdict(r, MATCH_ISRC, 1.0, true, "an ISRC in common");
		return;
	}
	if (judge_link_veto(mb, c, r))
		return;
	if (mb->length_ms >= 0 && c->length_ms >= 0)
		d = mb->length_ms > c->length_ms ? mb->length_ms - c->length_ms
						 : c->length_ms - mb->length_ms;
	if (d > o->duration_tolerance_ms) {
		verdict(r, MATCH_SEARCH, 0.0, false, "duration differs by more than the tolerance");
		return;
	}
	title = title_sim(mb, c);
	artist = best_name(mb, c);
	if (d >= 0)
		extra = tol > 0.0 ? 1.0 - 0.5 * (double)d / tol : 1.0;
	else
		extra = match_keyset_common(&mb->albums, &c->albums) ? 0.8 : 0.5;
	score = 0.45 * title + 0.35 * artist + 0.2 * extra;
	if (below(title, o->threshold))
		verdict(r, MATCH_SEARCH, score, false, "title differs");
	else if (below(artist, o->threshold))
		verdict(r, MATCH_SEARCH, score, false, "artist differs or unknown");
	else if (below(score, o->threshold))
		verdict(r, MATCH_SEARCH, score, false, "score below the threshold");
	else
		verdict(r, MATCH_SEARCH, score, true, "title, artist and duration agree");
}

/* The matching fragment kinds for a document kind. */
static unsigned cand_kinds(unsigned mb_kind)
{
	return mb_kind & (MK_RELEASE_GROUP | MK_RELEASE) ? MK_RELEASE_GROUP | MK_RELEASE : mb_kind;
}

static void judge(const struct match_side *mb, const struct match_side *c,
		  const struct match_opts *o, struct match_result *r)
{
	if (!cJSON_IsObject(c->doc) || !(c->kind & cand_kinds(mb->kind)))
		verdict(r, MATCH_SEARCH, 0.0, false, "candidate is not a fragment of this kind");
	else if (mb->kind == MK_ARTIST)
		judge_artist(mb, c, o, r);
	else if (mb->kind == MK_RECORDING)
		judge_recording(mb, c, o, r);
	else
		judge_release(mb, c, o, r);
}

/* Entry points ----------------------------------------------------------------- */

static void match_one(const cJSON *mb_doc, unsigned kinds, const cJSON *cand,
		      const struct match_evidence *ev, const struct match_opts *o,
		      struct match_result *r)
{
	struct match_opts opts = opts_of(o);
	unsigned kind = match_kind_bit(json_get_string(mb_doc, "kind"));
	struct match_side *mb = NULL, *c = NULL;

	assert(r);
	if (!(kind & kinds)) {
		verdict(r, MATCH_SEARCH, 0.0, false, "no MusicBrainz document of this kind");
		return;
	}
	mb = match_side_new(kind == MK_ARTIST);
	c = match_side_new(mb->skip_generic);
	match_side_read_mb(mb, mb_doc, ev);
	match_side_read_cand(c, cand, ev);
	judge(mb, c, &opts, r);
	match_side_free(c);
	match_side_free(mb);
}

void match_artist(const cJSON *mb_artist, const cJSON *cand, const struct match_evidence *ev,
		  const struct match_opts *o, struct match_result *r)
{
	match_one(mb_artist, MK_ARTIST, cand, ev, o, r);
}

void match_release(const cJSON *mb, const cJSON *cand, const struct match_evidence *ev,
		   const struct match_opts *o, struct match_result *r)
{
	match_one(mb, MK_RELEASE_GROUP | MK_RELEASE, cand, ev, o, r);
}

void match_recording(const cJSON *mb, const cJSON *cand, const struct match_opts *o,
		     struct match_result *r)
{
	match_one(mb, MK_RECORDING, cand, NULL, o, r);
}

struct scored {
	struct match_result r;
	const char *id;
};

static bool same_id(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The index of the best accepted verdict, -1 if none or ambiguous; *r as match.h says. */
static int pick(const struct scored *v, size_t n, struct match_result *r)
{
	int best = -1, rejected = -1;

	for (size_t i = 0; i < n; i++) {
		if (v[i].r.accepted && (best < 0 || v[i].r.score > v[best].r.score))
			best = (int)i;
		if (!v[i].r.accepted && (rejected < 0 || v[i].r.score > v[rejected].r.score))
			rejected = (int)i;
	}
	if (best < 0) {
		*r = v[rejected].r;
		return -1;
	}
	*r = v[best].r;
	for (size_t i = 0; i < n; i++) {
		if ((int)i == best || !v[i].r.accepted || same_id(v[i].id, v[best].id))
			continue;
		if (v[i].r.score + MATCH_TIE_MARGIN + EPS >= v[best].r.score) {
			r->accepted = false;
			r->why = "ambiguous: candidates with different ids score alike";
			return -1;
		}
	}
	return best;
}

int match_best(const cJSON *mb_doc, const cJSON *candidates_fragment,
	       const struct match_evidence *ev, const struct match_opts *o, struct match_result *r)
{
	struct match_evidence mb_ev = {{NULL}, {NULL}, {NULL}, {NULL}};
	struct match_opts opts = opts_of(o);
	unsigned kind = match_kind_bit(json_get_string(mb_doc, "kind"));
	struct scored *v = NULL;
	struct match_side *mb = NULL, *c = NULL;
	const cJSON *item;
	size_t n = 0;
	int best = -1;

	assert(r);
	verdict(r, MATCH_SEARCH, 0.0, false, "no candidates");
	if (!kind) {
		r->why = "no MusicBrainz document of a known kind";
		return -1;
	}
	if (ev) {
		mb_ev = *ev;
		memset(mb_ev.cand_titles, 0, sizeof(mb_ev.cand_titles));
	}
	v = xcalloc(MATCH_MAX_CANDIDATES, sizeof(*v));
	mb = match_side_new(kind == MK_ARTIST);
	c = match_side_new(mb->skip_generic);
	match_side_read_mb(mb, mb_doc, &mb_ev);
	cJSON_ArrayForEach(item, json_get_array(candidates_fragment, "items"))
	{
		if (n == MATCH_MAX_CANDIDATES)
			break;
		match_side_reset(c);
		match_side_read_cand(c, item, &mb_ev);
		judge(mb, c, &opts, &v[n].r);
		v[n++].id = c->id;
	}
	if (n)
		best = pick(v, n, r);
	match_side_free(c);
	match_side_free(mb);
	xfree(v);
	return best;
}

void match_url_lookup(const char *mb_id, const char *const *mbids, size_t n, struct match_result *r)
{
	char want[MB_MBID_LEN + 1], got[MB_MBID_LEN + 1];

	assert(r);
	verdict(r, MATCH_MB_URL, 0.0, false, "MusicBrainz relates the page to another entity");
	if (mb_normalize_mbid(mb_id, want) != ERR_OK) {
		r->why = "no MusicBrainz id";
		return;
	}
	for (size_t i = 0; mbids && i < n; i++)
		if (mb_normalize_mbid(mbids[i], got) == ERR_OK && strcmp(want, got) == 0) {
			verdict(r, MATCH_MB_URL, 1.0, true,
				"MusicBrainz relates the page to this entity");
			return;
		}
}

cJSON *match_result_json(const struct match_result *r)
{
	cJSON *obj;
	double score;

	if (!r || !r->accepted || !match_method_name(r->method))
		return NULL;
	obj = json_new_object();
	json_add_string_or_null(obj, "method", match_method_name(r->method));
	if (!isfinite(r->score)) {
		json_add_null(obj, "score");
		return obj;
	}
	score = r->score < 0.0 ? 0.0 : r->score > 1.0 ? 1.0 : r->score;
	score = round(score * 1000.0) / 1000.0;
	json_add_number_or_null(obj, "score", &score);
	return obj;
}
