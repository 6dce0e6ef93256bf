/*
 * enrich_adapters.c - the table of enrichment adapters (enrich.h), one row
 * per provider that has one. Each adapter lives in src/enrich/<provider>.c.
 */
#include <stddef.h>

#include "medley/enrich.h"

extern const struct enrich_adapter enrich_coverartarchive;
extern const struct enrich_adapter enrich_deezer;
extern const struct enrich_adapter enrich_discogs;
extern const struct enrich_adapter enrich_fanarttv;
extern const struct enrich_adapter enrich_itunes;
extern const struct enrich_adapter enrich_lastfm;
extern const struct enrich_adapter enrich_lrclib;
extern const struct enrich_adapter enrich_spotify;
extern const struct enrich_adapter enrich_theaudiodb;
extern const struct enrich_adapter enrich_wikidata;

// clang-format off
const struct enrich_adapter *const enrich_adapters[] = {
	&enrich_coverartarchive,
	&enrich_deezer,
	&enrich_discogs,
	&enrich_fanarttv,
	&enrich_itunes,
	&enrich_lastfm,
	&enrich_lrclib,
	&enrich_spotify,
	&enrich_theaudiodb,
	&enrich_wikidata,
	NULL,
};
// clang-format on
