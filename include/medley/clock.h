/*
 * clock.h - the one source of time in medley.
 *
 * Monotonic time is for durations and deadlines; wall time is for
 * timestamps shown to people (logs, fetched_at). Unit tests freeze both with
 * clock_set_fake() so nothing under test sleeps or races the real clock.
 *
 * Thread-safe. clock_set_fake() is for tests and must be called before the
 * threads that read the clock start.
 */
#ifndef MEDLEY_CLOCK_H
#define MEDLEY_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic microseconds since an arbitrary origin. */
int64_t clock_mono_us(void);

/* Wall-clock microseconds since the Unix epoch. */
int64_t clock_wall_us(void);

/* Write wall time us as RFC 3339 UTC with milliseconds ("2026-11-22T15:46:37.123Z"). */
#define CLOCK_RFC3339_LEN 25
void clock_format_rfc3339(int64_t wall_us, char out[CLOCK_RFC3339_LEN]);

/*
 * Fill *ts with the real clock_id (CLOCK_MONOTONIC or CLOCK_REALTIME) plus ms,
 * as pthread timed waits want it. Deliberately never faked: a frozen clock
 * would make a timed wait never expire.
 */
void clock_deadline_in(clockid_t clock_id, int64_t ms, struct timespec *ts);

/*
 * Freeze time for tests: from now on clock_mono_us() returns mono_us and
 * clock_wall_us() returns wall_us. clock_set_fake(-1, -1) returns to the
 * real clocks.
 */
void clock_set_fake(int64_t mono_us, int64_t wall_us);

#endif
