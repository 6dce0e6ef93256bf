/*
 * app.h - the service context handlers reach through req->app.
 *
 * serve.c builds one struct app at start-up and frees it after the HTTP
 * server has stopped. Handlers read it concurrently: the pointers are set
 * before the server starts and never change; the flags are atomics.
 */
#ifndef MEDLEY_APP_H
#define MEDLEY_APP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "medley/config.h"

struct db_pool;
struct agg;
struct enrich;

struct app {
	const struct config *cfg; /* frozen configuration (borrowed) */
	struct db_pool *pool;	  /* owned by serve.c */
	struct agg *agg;	  /* owned by serve.c */
	struct enrich *enrich;	  /* owned by serve.c; NULL: no enrichment */
	int64_t started_mono_us;  /* for uptime */
	atomic_bool draining;	  /* shutdown began: /ready answers 503 */
};

#endif
