/*
 * rategate.c - the shared token bucket in PostgreSQL. See rategate.h; the
 * arithmetic is in sql/003_rate_buckets.sql, next to the table.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "medley/rategate.h"
#include "medley/xalloc.h"

struct rategate {
	struct db_pool *pool;
	const char *provider;
	char interval_us[24]; /* bigint parameters, as text */
	char tolerance_us[24];
	struct fetch_gate gate;
};

static const struct db_stmt stmt_acquire = {"rate_acquire",
					    "SELECT medley_rate_acquire($1, $2, $3)", 3};
static const struct db_stmt stmt_pause = {"rate_pause", "SELECT medley_rate_pause($1, $2, $3)", 3};

static int64_t gate_acquire(void *arg)
{
	struct rategate *g = arg;
	const char *params[] = {g->provider, g->interval_us, g->tolerance_us};
	struct db_conn *c = NULL;
	struct db_result *r = NULL;
	int64_t wait_us = -1;
	const char *v;

	if (db_acquire(g->pool, &c) != ERR_OK)
		return -1;
	if (db_exec(c, &stmt_acquire, params, &r) == ERR_OK && db_result_rows(r) == 1 &&
	    (v = db_result_value(r, 0, 0)) != NULL) {
		char *end;
		long long n = strtoll(v, &end, 10);

		if (*end == '\0' && n >= 0)
			wait_us = n;
	}
	db_result_free(r);
	db_release(g->pool, c);
	return wait_us;
}

static void gate_pause(void *arg, int64_t delay_us)
{
	struct rategate *g = arg;
	char delay[24];
	const char *params[] = {g->provider, delay, g->tolerance_us};
	struct db_conn *c = NULL;

	snprintf(delay, sizeof(delay), "%" PRId64, delay_us > 0 ? delay_us : 0);
	if (db_acquire(g->pool, &c) != ERR_OK)
		return;
	if (db_exec(c, &stmt_pause, params, NULL) != ERR_OK) {
		/* logged by db.c; the local bucket is paused regardless */
	}
	db_release(g->pool, c);
}

enum err rategate_new(struct db_pool *pool, enum provider_id id, double rate_per_s, int burst,
		      struct rategate **out)
{
	struct rategate *g = xcalloc(1, sizeof(*g));
	/* the same rounding as ratelimit.c: never faster than configured */
	int64_t interval = (int64_t)ceil(1e6 / rate_per_s);

	g->pool = pool;
	g->provider = provider_name(id);
	snprintf(g->interval_us, sizeof(g->interval_us), "%" PRId64, interval);
	snprintf(g->tolerance_us, sizeof(g->tolerance_us), "%" PRId64,
		 (int64_t)(burst > 1 ? burst - 1 : 0) * interval);
	g->gate = (struct fetch_gate){.acquire = gate_acquire, .pause = gate_pause, .arg = g};
	*out = g;
	return ERR_OK;
}

const struct fetch_gate *rategate_gate(struct rategate *g)
{
	return &g->gate;
}

void rategate_free(struct rategate *g)
{
	xfree(g);
}
