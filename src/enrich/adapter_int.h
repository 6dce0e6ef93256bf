/*
 * adapter_int.h - what the enrichment adapters (src/enrich/) share: reading
 * the MusicBrainz document, the usual handling of a fetch result and of a
 * match, the values a job keeps in j->aux between steps, and the
 * corroboration of same-name artist candidates with the artist's titles at
 * MusicBrainz. Private to src/enrich/; enrich.h describes the adapter
 * contract. Everything here runs inside a step: nothing blocks, and every
 * pointer argument is borrowed unless a comment says "taken".
 */
#ifndef MEDLEY_ENRICH_ADAPTER_INT_H
#define MEDLEY_ENRICH_ADAPTER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/enrich.h"
#include "medley/fetch.h"
#include "medley/json.h"
#include "medley/match.h"

/* ---- the job and its MusicBrainz document ------------------------------------------ */

/* Whether the job is about an entity of this kind ("artist", "release-group", ...). */
bool ad_kind_is(const struct enrich_job *j, const char *kind);

/* The entity's display name: an artist's "name", else the "title". NULL when none. */
const char *ad_name(const cJSON *mb);

/* The credited artist of a release group, release or recording ("artist_credit_name"). */
const char *ad_credit(const cJSON *mb);

/* The first ISRC of a recording, or NULL. */
const char *ad_isrc(const cJSON *mb);

/* The first barcode of a release (its "barcode"), or of a release group's releases. */
const char *ad_barcode(const cJSON *mb);

/* A recording's length in ms, or 0. */
long ad_length_ms(const cJSON *mb);

/* Whether frag's ids.mbid list holds mbid. */
bool ad_holds_mbid(const cJSON *frag, const char *mbid);

/* Whether frag may be mbid's entity: its ids.mbid list is empty or holds mbid. */
bool ad_may_be_mbid(const cJSON *frag, const char *mbid);

/* ---- requests, answers and the end of a job ---------------------------------------- */

/* The matching thresholds of the configuration (enrich.match_*): use them for every match. */
struct match_opts ad_opts(const struct enrich_job *j);

/*
 * The usual reading of a fetch result: true when it is a 2xx body to parse.
 * Otherwise sets *how (ENRICH_NOT_FOUND for a 404, else ENRICH_ERROR with
 * j->why) and returns false.
 */
bool ad_fetched(struct enrich_job *j, const struct fetch_result *res, enum enrich_step *how);

/*
 * What a parser's error means: ERR_NOT_FOUND -> ENRICH_NOT_FOUND, else
 * ENRICH_ERROR with j->why = "<what>: <why>".
 */
enum enrich_step ad_parse_failed(struct enrich_job *j, enum err e, const char *what,
				 const char *why);

/* Ask for url (built by the caller into req->url): ENRICH_FETCH, or ENRICH_ERROR when e failed. */
enum enrich_step ad_fetch(struct enrich_job *j, enum err e, struct enrich_request *req);

/* j->match: an accepted match by method, with score. */
void ad_matched(struct enrich_job *j, enum match_method method, double score);

/* Finish with frag (taken) matched by method: ENRICH_OK. */
enum enrich_step ad_done(struct enrich_job *j, cJSON *frag, enum match_method method, double score);

/* Finish with the fragment built in j->frag, matched as j->match says: ENRICH_OK. */
enum enrich_step ad_finish(struct enrich_job *j);

/* A step called in a state its adapter does not know: ENRICH_ERROR (a bug). */
enum enrich_step ad_bad_state(struct enrich_job *j);

/* ---- j->aux ----------------------------------------------------------------------- */

/* Set j->aux[key] = item (taken), creating j->aux or replacing a member of that name. */
void ad_aux_set(struct enrich_job *j, const char *key, cJSON *item);

/* j->aux[key] as a non-negative int; 0 when absent. */
int ad_aux_int(const struct enrich_job *j, const char *key);

/* Whether j->aux[key] is true. */
bool ad_aux_flag(const struct enrich_job *j, const char *key);

/* ---- stale url relations ------------------------------------------------------------ */

/*
 * The entity a url relation named is gone at the provider (a 404, or its
 * "no data" answer): when the job's match came from a relation, forget it,
 * keep in j->aux a copy of the MusicBrainz document without the links whose
 * URL contains one of marks (NULL-terminated; e.g. "deezer.com/"), since the
 * matchers veto any candidate other than a linked one, and return true: the
 * caller then searches. False when the match was not a relation, so a job
 * falls back once only.
 */
bool ad_stale_link(struct enrich_job *j, const char *const *marks);

/* The MusicBrainz document to match against: without the dead links, if ad_stale_link() ran. */
const cJSON *ad_mb_for_match(const struct enrich_job *j);

/* Copy the array member key of src over dst's (both fragments). */
void ad_take_list(cJSON *dst, const cJSON *src, const char *key);

/* ---- same-name artist candidates ------------------------------------------------------ */

/*
 * A provider's artist search finds artists by name; a name is never enough
 * (match.h), so each candidate close enough is corroborated in turn: the
 * adapter fetches its works and match_artist() sets them against the
 * artist's own titles at MusicBrainz (ad_judge_artist()).
 *
 * ad_keep_candidates() keeps cands (taken: the search's candidates
 * fragment) in j->aux ("cands", walked with "next" and "tried") and says
 * whether any item is worth corroborating: one with an id and a name whose
 * match_similarity() with the artist's reaches ad_opts()'s threshold.
 *
 * ad_next_candidate() takes the next such item, at most max in all: it
 * copies its id into j->id and returns it (owned by j->aux), or NULL when
 * none is left. ad_candidate() is the one it took last, or NULL.
 */
bool ad_keep_candidates(struct enrich_job *j, cJSON *cands);
const cJSON *ad_next_candidate(struct enrich_job *j, int max);
const cJSON *ad_candidate(const struct enrich_job *j);

/*
 * The artist's titles at MusicBrainz, the evidence for its candidates: its
 * release groups (a browse) and its recordings (an "arid:" search). Both are
 * asked through MusicBrainz's fetcher, never with the provider's headers.
 */
enum ad_mb_titles {
	AD_MB_RELEASE_GROUPS, /* kept as aux "mb" */
	AD_MB_RECORDINGS,     /* kept as aux "mbrec" */
};

/* Ask MusicBrainz for the list which of the artist j->mbid; the job moves to state. */
enum enrich_step ad_ask_mb_titles(struct enrich_job *j, struct enrich_request *req,
				  enum ad_mb_titles which, int state);

/*
 * MusicBrainz's answer to ad_ask_mb_titles(which): kept in j->aux. False
 * when it is not there (not a 2xx, or unreadable), with j->why saying why;
 * the adapter decides whether it can do without.
 */
bool ad_on_mb_titles(struct enrich_job *j, const struct fetch_result *res, enum ad_mb_titles which);

/*
 * Judge the artist candidate cand with match_artist() and ad_opts(): against
 * the artist (ad_mb_for_match()), with its titles that ad_on_mb_titles() kept
 * and up to two lists of the candidate's own works (arrays; NULL: none).
 */
void ad_judge_artist(const struct enrich_job *j, const cJSON *cand, const cJSON *works,
		     const cJSON *more_works, struct match_result *r);

#endif
