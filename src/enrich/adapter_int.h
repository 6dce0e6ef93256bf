/*
 * adapter_int.h - what the enrichment adapters (src/enrich/) share:
 * reading the MusicBrainz document, and the usual handling of a fetch
 * result. Private to src/enrich/; enrich.h describes the adapter contract.
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

/* The entity's display name: an artist's "name", else the "title". NULL when none. */
const char *ad_name(const cJSON *mb);

/* The credited artist of a release group, release or recording ("artist_credit_name"). */
const char *ad_credit(const cJSON *mb);

/* The first ISRC of a recording, or NULL. */
const char *ad_isrc(const cJSON *mb);

/* The first barcode of a release (its "barcode"), or of a release group's releases. */
const char *ad_barcode(const cJSON *mb);

/* The matching thresholds of the configuration (enrich.match_*). */
struct match_opts ad_opts(const struct enrich_job *j);

/* A recording's length in ms, or 0. */
long ad_length_ms(const cJSON *mb);

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

/* Finish with frag (taken) matched by m: ENRICH_OK. */
enum enrich_step ad_done(struct enrich_job *j, cJSON *frag, enum match_method method, double score);

/* Ask for url (built by the caller into req->url): ENRICH_FETCH, or ENRICH_ERROR when e failed. */
enum enrich_step ad_fetch(struct enrich_job *j, enum err e, struct enrich_request *req);

/* Set j->aux[key] = item (taken), creating j->aux or replacing a member of that name. */
void ad_aux_set(struct enrich_job *j, const char *key, cJSON *item);

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

#endif
