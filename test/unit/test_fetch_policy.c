/*
 * test_fetch_policy.c - the fetch engine's pure rules: statuses, retries,
 * backoff, the breaker's idea of failure, User-Agents and log redaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "medley/fetch.h"
#include "medley/version.h"

struct status_case {
	long status;
	enum fetch_outcome outcome;
	bool retried; /* also: counts against the breaker */
};

static const struct status_case status_cases[] = {
	{200, FETCH_OK, false},		 {204, FETCH_OK, false},
	{301, FETCH_HTTP_ERROR, false},	 {400, FETCH_HTTP_ERROR, false},
	{401, FETCH_HTTP_ERROR, false},	 {403, FETCH_HTTP_ERROR, false},
	{404, FETCH_NOT_FOUND, false},	 {410, FETCH_HTTP_ERROR, false},
	{429, FETCH_RATE_LIMITED, true}, {500, FETCH_HTTP_ERROR, true},
	{502, FETCH_HTTP_ERROR, true},	 {503, FETCH_RATE_LIMITED, true},
	{504, FETCH_HTTP_ERROR, true},	 {599, FETCH_HTTP_ERROR, true},
};

static void test_status_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(status_cases); i++) {
		const struct status_case *c = &status_cases[i];
		enum fetch_outcome o = fetch_status_outcome(c->status);

		if (o != c->outcome)
			fail_msg("status %ld: %s, want %s", c->status, fetch_outcome_name(o),
				 fetch_outcome_name(c->outcome));
		if (fetch_outcome_retryable(o, c->status) != c->retried)
			fail_msg("status %ld: retryable is wrong", c->status);
		if (fetch_outcome_is_failure(o, c->status) != c->retried)
			fail_msg("status %ld: breaker failure is wrong", c->status);
	}
}

static void test_transport_outcomes(void **state)
{
	(void)state;
	assert_true(fetch_outcome_retryable(FETCH_TIMEOUT, 0));
	assert_true(fetch_outcome_retryable(FETCH_NETWORK, 0));
	assert_true(fetch_outcome_is_failure(FETCH_TIMEOUT, 0));
	assert_true(fetch_outcome_is_failure(FETCH_NETWORK, 0));
	/* Too large: that document's problem, not the provider's; never retried. */
	assert_false(fetch_outcome_retryable(FETCH_TOO_LARGE, 200));
	assert_false(fetch_outcome_retryable(FETCH_TOO_LARGE, 500));
	assert_false(fetch_outcome_is_failure(FETCH_TOO_LARGE, 500));
	/* A redirect loop or a bad URL: HTTP error without a 5xx, our fault. */
	assert_false(fetch_outcome_retryable(FETCH_HTTP_ERROR, 0));
	assert_false(fetch_outcome_is_failure(FETCH_HTTP_ERROR, 302));
	for (int o = FETCH_BREAKER_OPEN; o < FETCH_OUTCOME__COUNT; o++)
		assert_false(fetch_outcome_retryable((enum fetch_outcome)o, 0));
}

static void test_backoff_bounds(void **state)
{
	(void)state;
	/* rnd picks a point in [0, window]: 0 and the top are both reachable. */
	assert_int_equal(fetch_retry_delay_us(FETCH_TIMEOUT, 0, 1, 0), 0);
	assert_int_equal(fetch_retry_delay_us(FETCH_TIMEOUT, 0, 1, 250000), 250000);
	assert_int_equal(fetch_retry_delay_us(FETCH_TIMEOUT, 0, 1, 250001), 0);
	assert_int_equal(fetch_retry_delay_us(FETCH_TIMEOUT, 0, 2, 500000), 500000);
	assert_int_equal(fetch_retry_delay_us(FETCH_TIMEOUT, 0, 3, 1000000), 1000000);
	assert_int_equal(fetch_retry_delay_us(FETCH_NETWORK, 0, 6, 8000000), 8000000);
	/* Capped at 10 s however many retries. */
	assert_int_equal(fetch_retry_delay_us(FETCH_NETWORK, 0, 7, 10000000), 10000000);
	assert_int_equal(fetch_retry_delay_us(FETCH_NETWORK, 0, 60, 10000000), 10000000);
	assert_int_equal(fetch_retry_delay_us(FETCH_NETWORK, 0, 60, 10000001), 0);
	for (uint64_t r = 1; r < 1000000; r = r * 7 + 13) {
		int64_t d = fetch_retry_delay_us(FETCH_HTTP_ERROR, 0, 4, r * 2654435761u);

		assert_true(d >= 0 && d <= 2000000);
	}
}

static void test_retry_after(void **state)
{
	(void)state;
	/* Honoured for 429/503 (rate limited), as a floor over the backoff. */
	assert_int_equal(fetch_retry_delay_us(FETCH_RATE_LIMITED, 2, 1, 0), 2000000);
	assert_int_equal(fetch_retry_delay_us(FETCH_RATE_LIMITED, 2, 7, 9000000), 9000000);
	assert_int_equal(fetch_retry_delay_us(FETCH_RATE_LIMITED, 0, 1, 100), 100);
	assert_int_equal(fetch_retry_delay_us(FETCH_RATE_LIMITED, -5, 1, 100), 100);
	/* Capped at FETCH_RETRY_AFTER_CAP_S. */
	assert_int_equal(fetch_retry_delay_us(FETCH_RATE_LIMITED, 86400, 1, 0),
			 FETCH_RETRY_AFTER_CAP_S * 1000000LL);
	/* Ignored for other outcomes. */
	assert_int_equal(fetch_retry_delay_us(FETCH_HTTP_ERROR, 30, 1, 7), 7);
}

static void test_connect_timeout(void **state)
{
	(void)state;
	assert_int_equal(fetch_connect_timeout_ms(10000), 5000);
	assert_int_equal(fetch_connect_timeout_ms(120000), 5000);
	assert_int_equal(fetch_connect_timeout_ms(4000), 2000);
	assert_int_equal(fetch_connect_timeout_ms(1500), 1000);
	assert_int_equal(fetch_connect_timeout_ms(300), 300);
}

struct redact_case {
	const char *url, *want;
};

static const struct redact_case redact_cases[] = {
	{"https://musicbrainz.org/ws/2/artist/x?fmt=json",
	 "https://musicbrainz.org/ws/2/artist/x?fmt=json"},
	{"https://h/p?api_key=s3cr3t&fmt=json", "https://h/p?api_key=***&fmt=json"},
	{"https://h/p?fmt=json&token=abc", "https://h/p?fmt=json&token=***"},
	{"https://h/p?KEY=a&ApiKey=b&secret=c&client_secret=d&x=1",
	 "https://h/p?KEY=***&ApiKey=***&secret=***&client_secret=***&x=1"},
	{"https://h/p?monkey=1&keys=2&key", "https://h/p?monkey=1&keys=2&key"},
	{"https://h/p?key=&a=b#frag?key=z", "https://h/p?key=***&a=b#frag?key=z"},
	{"https://user:pw@h:8/p?q=1", "https://user:***@h:8/p?q=1"},
	{"https://user@h/p", "https://user@h/p"},
	{"http://h/p@x:y", "http://h/p@x:y"},
	{"https://h?token=t", "https://h?token=***"},
	{"no scheme?secret=1", "no scheme?secret=***"},
	{"", ""},
};

static void test_redact_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(redact_cases); i++) {
		struct buf b;

		buf_init(&b, 4096);
		fetch_redact_url(redact_cases[i].url, &b);
		if (strcmp(b.data, redact_cases[i].want) != 0)
			fail_msg("'%s': got '%s', want '%s'", redact_cases[i].url, b.data,
				 redact_cases[i].want);
		buf_release(&b);
	}
}

struct ua_case {
	const char *contact;
	const char *configured; /* providers.x.user_agent */
	bool require;
	enum err want;
	const char *ua; /* when want is ERR_OK; a leading '=' means "medley/<version>" */
};

static const struct ua_case ua_cases[] = {
	{"ops@example.org", "", true, ERR_OK, "= ( ops@example.org )"},
	{"https://example.org/contact", "", true, ERR_OK, "= ( https://example.org/contact )"},
	{"", "", false, ERR_OK, "="},
	{"", "", true, ERR_CONFIG, NULL},
	{"ops", "", true, ERR_CONFIG, NULL},
	{"@", "", true, ERR_CONFIG, NULL},
	{"http://", "", true, ERR_CONFIG, NULL},
	{"", "MyApp/1.0 ( me@example.org )", true, ERR_OK, "MyApp/1.0 ( me@example.org )"},
	{"ops@example.org", "MyApp/1.0", true, ERR_CONFIG, NULL}, /* the override must name one */
	{"ops@example.org", "MyApp/1.0", false, ERR_OK, "MyApp/1.0"},
	{"ops@example.org\r\nX-Evil: 1", "", false, ERR_CONFIG, NULL},
};

static void test_user_agent_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ua_cases); i++) {
		const struct ua_case *c = &ua_cases[i];
		struct config_provider p = {.user_agent = (char *)(uintptr_t)c->configured};
		struct buf out;
		const char *why = NULL;
		char want[256];
		enum err e;

		buf_init(&out, 1024);
		buf_adds(&out, ">");
		e = fetch_user_agent(c->contact, &p, c->require, &out, &why);
		if (e != c->want)
			fail_msg("case %zu: %s, want %s", i, err_str(e), err_str(c->want));
		if (e == ERR_OK) {
			if (c->ua[0] == '=')
				snprintf(want, sizeof(want), "medley/%s%s", version_string(),
					 c->ua + 1);
			else
				snprintf(want, sizeof(want), "%s", c->ua);
			assert_string_equal(out.data + 1, want);
		} else {
			assert_non_null(why);
			assert_string_equal(out.data, ">"); /* untouched on error */
		}
		buf_release(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_table),	 cmocka_unit_test(test_transport_outcomes),
		cmocka_unit_test(test_backoff_bounds),	 cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_connect_timeout),	 cmocka_unit_test(test_redact_table),
		cmocka_unit_test(test_user_agent_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
