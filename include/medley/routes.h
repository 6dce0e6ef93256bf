/*
 * routes.h - the route table of medley's HTTP API.
 *
 * The whole table is in routes.c, on one screen. Route names are stable:
 * they label logs and metrics. routes_names() lists them in table order
 * plus a last "unknown" for requests that matched no route, which is the
 * label set the metrics module is initialised with.
 */
#ifndef MEDLEY_ROUTES_H
#define MEDLEY_ROUTES_H

#include <stddef.h>

#include "medley/router.h"

extern const struct route routes_table[];
extern const size_t routes_count;

/* Fill names[0..routes_count] (routes_count + 1 entries, "unknown" last). */
void routes_names(const char **names);

#endif
