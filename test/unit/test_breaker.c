/*
 * test_breaker.c - the circuit breaker's state machine, with simulated time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "medley/breaker.h"

#define MS 1000 /* one millisecond in microseconds */

/* One fetch that goes out at `at` and ends with success or failure. */
static enum breaker_state fetch(struct breaker *b, int64_t at, bool success)
{
	bool probe = false;

	assert_true(breaker_allow(b, at, &probe));
	return breaker_record(b, success, probe, at);
}

static void test_opens_after_consecutive_failures(void **state)
{
	struct breaker b;

	(void)state;
	breaker_init(&b, 3, 500 * MS);
	assert_int_equal(fetch(&b, 0, false), BREAKER_CLOSED);
	assert_int_equal(fetch(&b, 1, false), BREAKER_CLOSED);
	assert_int_equal(fetch(&b, 2, true), BREAKER_CLOSED); /* a success resets the count */
	assert_int_equal(fetch(&b, 3, false), BREAKER_CLOSED);
	assert_int_equal(fetch(&b, 4, false), BREAKER_CLOSED);
	assert_int_equal(fetch(&b, 5, false), BREAKER_OPEN);
	assert_int_equal(breaker_probe_due_us(&b), 5 + 500 * MS);
}

static void test_open_fails_fast_then_one_probe(void **state)
{
	struct breaker b;
	bool probe = true;

	(void)state;
	breaker_init(&b, 1, 500 * MS);
	assert_int_equal(fetch(&b, 0, false), BREAKER_OPEN);
	assert_false(breaker_available(&b, 500 * MS - 1));
	assert_false(breaker_allow(&b, 500 * MS - 1, &probe));
	assert_false(probe);
	assert_true(breaker_available(&b, 500 * MS));
	assert_true(breaker_allow(&b, 500 * MS, &probe));
	assert_true(probe);
	assert_int_equal(b.state, BREAKER_HALF_OPEN);
	/* Exactly one probe: everything else still fails fast. */
	assert_false(breaker_available(&b, 600 * MS));
	assert_false(breaker_allow(&b, 600 * MS, &probe));
	assert_false(probe);
	assert_int_equal(breaker_record(&b, true, true, 700 * MS), BREAKER_CLOSED);
	assert_true(breaker_available(&b, 700 * MS));
}

static void test_probe_failure_reopens(void **state)
{
	struct breaker b;
	bool probe;

	(void)state;
	breaker_init(&b, 2, 100 * MS);
	fetch(&b, 0, false);
	assert_int_equal(fetch(&b, 0, false), BREAKER_OPEN);
	assert_true(breaker_allow(&b, 150 * MS, &probe));
	assert_true(probe);
	assert_int_equal(breaker_record(&b, false, true, 160 * MS), BREAKER_OPEN);
	/* Open again for the full period, counted from the probe's failure. */
	assert_false(breaker_available(&b, 259 * MS));
	assert_true(breaker_available(&b, 260 * MS));
	/* And after a successful probe, it takes `threshold` new failures to open. */
	assert_true(breaker_allow(&b, 260 * MS, &probe));
	assert_int_equal(breaker_record(&b, true, probe, 270 * MS), BREAKER_CLOSED);
	assert_int_equal(fetch(&b, 280 * MS, false), BREAKER_CLOSED);
	assert_int_equal(fetch(&b, 290 * MS, false), BREAKER_OPEN);
}

static void test_late_results_do_not_move_it(void **state)
{
	struct breaker b;
	bool probe;

	(void)state;
	breaker_init(&b, 1, 100 * MS);
	/* Two fetches go out while closed; the first failure opens it. */
	assert_true(breaker_allow(&b, 0, &probe));
	assert_true(breaker_allow(&b, 0, &probe));
	assert_int_equal(breaker_record(&b, false, false, 10 * MS), BREAKER_OPEN);
	/* The other one's success arrives late: still open, same deadline. */
	assert_int_equal(breaker_record(&b, true, false, 20 * MS), BREAKER_OPEN);
	assert_int_equal(breaker_probe_due_us(&b), 110 * MS);
	/* In half-open, only the probe's result counts. */
	assert_true(breaker_allow(&b, 110 * MS, &probe));
	assert_int_equal(breaker_record(&b, false, false, 120 * MS), BREAKER_HALF_OPEN);
	assert_int_equal(breaker_record(&b, true, false, 120 * MS), BREAKER_HALF_OPEN);
	assert_int_equal(breaker_record(&b, true, true, 130 * MS), BREAKER_CLOSED);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(breaker_state_name(BREAKER_CLOSED), "closed");
	assert_string_equal(breaker_state_name(BREAKER_HALF_OPEN), "half_open");
	assert_string_equal(breaker_state_name(BREAKER_OPEN), "open");
	assert_string_equal(breaker_state_name((enum breaker_state)7), "unknown");
	/* The gauge medley_provider_breaker_state uses the enum values. */
	assert_int_equal(BREAKER_CLOSED, 0);
	assert_int_equal(BREAKER_HALF_OPEN, 1);
	assert_int_equal(BREAKER_OPEN, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opens_after_consecutive_failures),
		cmocka_unit_test(test_open_fails_fast_then_one_probe),
		cmocka_unit_test(test_probe_failure_reopens),
		cmocka_unit_test(test_late_results_do_not_move_it),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
