/*
 * ratelimit.c - the token bucket behind ratelimit.h, as a GCRA.
 *
 * One number, the theoretical arrival time (TAT), stands for the bucket: a
 * request at time t conforms when t >= TAT - tolerance, and sending it moves
 * TAT to max(TAT, t) + interval. Taking max(TAT, t) is what stops an idle
 * bucket from saving up more than `burst` tokens. This file knows nothing of
 * clocks, threads, HTTP or Retry-After headers: the fetcher passes the time
 * and decides how long to pause.
 */
#include <assert.h>
#include <math.h>

#include "medley/ratelimit.h"

void ratelimit_init(struct ratelimit *rl, double rate_per_s, int burst)
{
	double interval;

	assert(rate_per_s > 0 && burst >= 1);
	interval = ceil(1e6 / rate_per_s);
	if (interval < 1)
		interval = 1;
	assert(interval < 1e15); /* the config caps rates far from this */
	rl->interval_us = (int64_t)interval;
	rl->tolerance_us = (int64_t)(burst - 1) * rl->interval_us;
	rl->tat_us = 0;
	rl->paused_until_us = 0;
}

int64_t ratelimit_next_us(const struct ratelimit *rl, int64_t now_us)
{
	int64_t t = rl->tat_us - rl->tolerance_us;

	if (t < rl->paused_until_us)
		t = rl->paused_until_us;
	return t > now_us ? t : now_us;
}

bool ratelimit_try_acquire(struct ratelimit *rl, int64_t now_us)
{
	int64_t tat;

	if (ratelimit_next_us(rl, now_us) > now_us)
		return false;
	tat = rl->tat_us > now_us ? rl->tat_us : now_us;
	rl->tat_us = tat + rl->interval_us;
	return true;
}

void ratelimit_pause_until(struct ratelimit *rl, int64_t until_us)
{
	int64_t empty_tat = until_us + rl->tolerance_us;

	if (until_us <= rl->paused_until_us)
		return;
	rl->paused_until_us = until_us;
	if (rl->tat_us < empty_tat)
		rl->tat_us = empty_tat;
}
