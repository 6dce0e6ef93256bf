/*
 * handlers.h - the entry points routes.c maps paths to.
 *
 * Every handler has the one signature route_handler_fn (router.h): it reads
 * the request, answers with req_reply() or req_fail() (req.h) before it
 * returns, and keeps nothing after. One file per group in src/handlers/.
 */
#ifndef MEDLEY_HANDLERS_H
#define MEDLEY_HANDLERS_H

#include "medley/req.h"

/* src/handlers/health.c: liveness, never touches the database. */
void handle_health(struct req *r);
/* src/handlers/ready.c: database reachable and schema migrated. */
void handle_ready(struct req *r);
/* src/handlers/metrics.c: Prometheus exposition. */
void handle_metrics(struct req *r);

/* src/handlers/entities.c: MusicBrainz entities through the aggregator. */
void handle_artist_get(struct req *r);
void handle_release_group_get(struct req *r);
void handle_release_get(struct req *r);
void handle_recording_get(struct req *r);
void handle_artist_release_groups(struct req *r);
void handle_search(struct req *r);
/* The same, enriched (enrich.h): cover art and lyrics views. */
void handle_release_group_cover_art(struct req *r);
void handle_release_cover_art(struct req *r);
void handle_recording_lyrics(struct req *r);

/* src/handlers/lookup.c: foreign ids to MBIDs, and lyrics by names. */
void handle_lookup(struct req *r);
void handle_lyrics(struct req *r);

#endif
