/*
 * ratelimit.h - a token bucket, pure: time is passed in.
 *
 * The bucket holds at most `burst` tokens and refills at `rate_per_s`; every
 * request sent costs one token. It starts full. It is kept as a GCRA
 * ("virtual scheduling"): one theoretical arrival time instead of a
 * fractional token count, so the arithmetic is exact integer microseconds
 * and an idle bucket never holds more than `burst` tokens however long it
 * idles. From a full bucket, N acquisitions made as early as allowed take
 * exactly (N - burst) * interval_us, where interval_us = ceil(1e6 / rate):
 * rounding up means the limiter is never faster than configured.
 *
 * A pause (the provider said Retry-After) stops the whole bucket until a
 * given time and leaves it empty then: one token at `until`, the next one
 * interval later, and so on. Pauses only ever extend.
 *
 * Times are int64_t microseconds on one monotonic clock (clock_mono_us() in
 * production, any counter in tests), never negative.
 *
 * Threading: none. A struct ratelimit is a value; its owner (one fetcher
 * thread) serialises access. Nothing here blocks or allocates.
 */
#ifndef MEDLEY_RATELIMIT_H
#define MEDLEY_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	int64_t interval_us;	 /* time to earn one token */
	int64_t tolerance_us;	 /* (burst - 1) * interval_us: how far ahead we may run */
	int64_t tat_us;		 /* theoretical arrival time of the next request */
	int64_t paused_until_us; /* no token before this */
};

/*
 * Set up a full bucket earning rate_per_s tokens a second (> 0, asserted),
 * holding at most burst tokens (>= 1, asserted). Never fails.
 */
void ratelimit_init(struct ratelimit *rl, double rate_per_s, int burst);

/*
 * The earliest time >= now_us at which a token is available: now_us itself
 * when one is available now. Does not change the bucket.
 */
int64_t ratelimit_next_us(const struct ratelimit *rl, int64_t now_us);

/*
 * Take one token if one is available at now_us and return true; otherwise
 * change nothing and return false (ask ratelimit_next_us() when to retry).
 */
bool ratelimit_try_acquire(struct ratelimit *rl, int64_t now_us);

/*
 * Send nothing before until_us, and start again from an empty bucket then.
 * A pause ending earlier than one already in force changes nothing.
 */
void ratelimit_pause_until(struct ratelimit *rl, int64_t until_us);

#endif
