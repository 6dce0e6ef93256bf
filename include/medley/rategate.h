/*
 * rategate.h - a provider's token bucket shared by every medley instance on
 * one database (providers.<name>.rate_scope: cluster).
 *
 * MusicBrainz counts requests per client IP address, and replicas behind
 * one NAT share one address: three instances each keeping to 1 request/s
 * would send 3/s together. With rate_scope: cluster each fetcher also takes
 * a token from a bucket that lives in PostgreSQL (sql/003_rate_buckets.sql:
 * one row per provider, a GCRA on the server's clock), so together they
 * keep to the configured rate. A Retry-After from the provider pauses the
 * shared bucket for every instance.
 *
 *	e = rategate_new(pool, PROVIDER_MUSICBRAINZ, p->rate_per_s, p->burst, &g);
 *	fetcher_set_gate(f, rategate_gate(g));
 *	...
 *	fetcher_free(f); rategate_free(g);
 *
 * Cost: one short database round trip per request sent (and one per wait
 * while the bucket is empty), on the fetcher's thread. When the database
 * cannot answer, the gate says so and the fetcher keeps to its own bucket
 * (the configured rate per instance) until it is back: lookups keep working
 * with the database down, at the price of the shared limit (logged).
 *
 * Threading: the gate's functions run on one fetcher thread; they take a
 * pooled connection (db.h is thread-safe).
 */
#ifndef MEDLEY_RATEGATE_H
#define MEDLEY_RATEGATE_H

#include "medley/common.h"
#include "medley/db.h"
#include "medley/err.h"
#include "medley/fetch.h"
#include "medley/provider_id.h"

struct rategate;

/*
 * A gate for provider id at rate_per_s (> 0) with depth burst (>= 1),
 * using pool (borrowed; must outlive the gate). Connects to nothing.
 * Errors: none today (ERR_OK); MUST_CHECK for symmetry with the other
 * constructors.
 */
MUST_CHECK enum err rategate_new(struct db_pool *pool, enum provider_id id, double rate_per_s,
				 int burst, struct rategate **out);

/* The fetch_gate to hand to fetcher_set_gate() (borrowed from g). */
const struct fetch_gate *rategate_gate(struct rategate *g);

/* Free g; NULL is a no-op. The fetcher using it must be freed first. */
void rategate_free(struct rategate *g);

#endif
