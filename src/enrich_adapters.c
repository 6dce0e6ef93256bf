/*
 * enrich_adapters.c - the table of enrichment adapters (enrich.h), one row
 * per provider that has one. Each adapter lives in src/enrich/<provider>.c.
 */
#include <stddef.h>

#include "medley/enrich.h"

extern const struct enrich_adapter enrich_coverartarchive;
extern const struct enrich_adapter enrich_deezer;
extern const struct enrich_adapter enrich_lrclib;

const struct enrich_adapter *const enrich_adapters[] = {
	&enrich_coverartarchive,
	&enrich_deezer,
	&enrich_lrclib,
	NULL,
};
