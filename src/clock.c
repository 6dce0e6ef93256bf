/*
 * clock.c - monotonic and wall time, with a fake for tests.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "medley/clock.h"

static _Atomic int64_t fake_mono_us = -1;
static _Atomic int64_t fake_wall_us = -1;

static int64_t read_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_mono_us(void)
{
	int64_t f = atomic_load(&fake_mono_us);

	return f >= 0 ? f : read_clock(CLOCK_MONOTONIC);
}

int64_t clock_wall_us(void)
{
	int64_t f = atomic_load(&fake_wall_us);

	return f >= 0 ? f : read_clock(CLOCK_REALTIME);
}

void clock_format_rfc3339(int64_t wall_us, char out[CLOCK_RFC3339_LEN])
{
	time_t secs = (time_t)(wall_us / 1000000);
	struct tm tm;

	unsigned ms = (unsigned)((wall_us % 1000000 + 1000000) % 1000000 / 1000);
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(out, CLOCK_RFC3339_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, CLOCK_RFC3339_LEN - n, ".%03uZ", ms % 1000);
}

void clock_deadline_in(clockid_t clock_id, int64_t ms, struct timespec *ts)
{
	clock_gettime(clock_id, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void clock_set_fake(int64_t mono_us, int64_t wall_us)
{
	atomic_store(&fake_mono_us, mono_us);
	atomic_store(&fake_wall_us, wall_us);
}
