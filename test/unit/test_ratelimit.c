/*
 * test_ratelimit.c - the token bucket against a simulated clock.
 *
 * Time is a plain counter advanced by the test to the instant the bucket
 * names, so nothing sleeps and every result is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "medley/ratelimit.h"

#define S 1000000 /* one second in microseconds */

/* Take n tokens as early as the bucket allows, from *now; returns when the last went. */
static int64_t take_n(struct ratelimit *rl, int64_t *now, int n)
{
	for (int i = 0; i < n; i++) {
		*now = ratelimit_next_us(rl, *now);
		assert_true(ratelimit_try_acquire(rl, *now));
	}
	return *now;
}

struct pacing_case {
	double rate;
	int burst;
	int n;
	int64_t want_us; /* (n - burst) / rate, rounded up per interval */
};

// clang-format off
static const struct pacing_case pacing_cases[] = {
	{1.0,  1, 1,   0},
	{1.0,  1, 10,  9 * S},		/* MusicBrainz: 10 requests take 9 s */
	{2.0,  1, 10,  9 * S / 2},	/* the integration test's setting */
	{1.0,  5, 5,   0},		/* a full bucket of 5 goes at once */
	{1.0,  5, 12,  7 * S},
	{10.0, 3, 103, 10 * S},
	{3.0,  1, 4,   3 * 333334},	/* 1/3 s rounds up: never faster than asked */
	{0.5,  2, 6,   8 * S},
};
// clang-format on

static void test_pacing_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pacing_cases) / sizeof(pacing_cases[0]); i++) {
		const struct pacing_case *c = &pacing_cases[i];
		struct ratelimit rl;
		int64_t start = 1000 * S, now = start;

		ratelimit_init(&rl, c->rate, c->burst);
		take_n(&rl, &now, c->n);
		if (now - start != c->want_us)
			fail_msg("rate %g burst %d n %d: took %lld us, want %lld", c->rate,
				 c->burst, c->n, (long long)(now - start), (long long)c->want_us);
	}
}

static void test_no_token_means_no_change(void **state)
{
	struct ratelimit rl;
	int64_t now = 5 * S;

	(void)state;
	ratelimit_init(&rl, 2.0, 1);
	assert_true(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now + S / 2 - 1));
	assert_int_equal(ratelimit_next_us(&rl, now), now + S / 2);
	/* Asking early changed nothing: the token is still due at +0.5 s exactly. */
	assert_true(ratelimit_try_acquire(&rl, now + S / 2));
	assert_int_equal(ratelimit_next_us(&rl, now + S / 2), now + S);
}

static void test_idle_does_not_accumulate(void **state)
{
	struct ratelimit rl;
	int64_t now = 0;

	(void)state;
	ratelimit_init(&rl, 1.0, 3);
	take_n(&rl, &now, 3);
	now += 3600LL * S; /* an hour idle earns 3 tokens, not 3600 */
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now));
	assert_int_equal(ratelimit_next_us(&rl, now), now + S);
}

static void test_partial_refill(void **state)
{
	struct ratelimit rl;
	int64_t now = 0;

	(void)state;
	ratelimit_init(&rl, 1.0, 4);
	take_n(&rl, &now, 4); /* empty at t=0 */
	now = 2 * S + S / 2;  /* 2.5 tokens earned: 2 usable now */
	assert_true(ratelimit_try_acquire(&rl, now));
	assert_true(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now));
	assert_int_equal(ratelimit_next_us(&rl, now), 3 * S);
}

static void test_pause(void **state)
{
	struct ratelimit rl;
	int64_t now = 10 * S;

	(void)state;
	ratelimit_init(&rl, 5.0, 5); /* full: 5 could go at once */
	assert_true(ratelimit_try_acquire(&rl, now));
	ratelimit_pause_until(&rl, now + 2 * S); /* Retry-After: 2 */
	assert_false(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now + 2 * S - 1));
	assert_int_equal(ratelimit_next_us(&rl, now), now + 2 * S);
	/* A shorter pause does not shorten the one in force. */
	ratelimit_pause_until(&rl, now + S);
	assert_int_equal(ratelimit_next_us(&rl, now), now + 2 * S);
	/* After the pause the bucket starts empty: one now, then one per 200 ms. */
	now += 2 * S;
	assert_true(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now));
	assert_int_equal(ratelimit_next_us(&rl, now), now + S / 5);
	/* A pause extends: a second Retry-After during the first moves the end. */
	ratelimit_pause_until(&rl, now + 3 * S);
	assert_int_equal(ratelimit_next_us(&rl, now + S), now + 3 * S);
}

static void test_pause_in_the_past(void **state)
{
	struct ratelimit rl;
	int64_t now = 100 * S;

	(void)state;
	ratelimit_init(&rl, 1.0, 2);
	ratelimit_pause_until(&rl, now - S); /* already over: costs what it costs, no more */
	assert_int_equal(ratelimit_next_us(&rl, now), now);
	assert_true(ratelimit_try_acquire(&rl, now));
	assert_true(ratelimit_try_acquire(&rl, now));
	assert_false(ratelimit_try_acquire(&rl, now));
}

static void test_slow_and_fast_extremes(void **state)
{
	struct ratelimit rl;
	int64_t now = 0;

	(void)state;
	ratelimit_init(&rl, 0.001, 1); /* config minimum: one per 1000 s */
	take_n(&rl, &now, 2);
	assert_int_equal(now, 1000LL * S);
	ratelimit_init(&rl, 1000.0, 1); /* config maximum */
	now = 0;
	take_n(&rl, &now, 1001);
	assert_int_equal(now, S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pacing_table),
		cmocka_unit_test(test_no_token_means_no_change),
		cmocka_unit_test(test_idle_does_not_accumulate),
		cmocka_unit_test(test_partial_refill),
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_pause_in_the_past),
		cmocka_unit_test(test_slow_and_fast_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
