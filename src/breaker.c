/*
 * breaker.c - the circuit breaker's state machine behind breaker.h.
 *
 * Three states, two inputs (a fetch asks to go out; a fetch ended), and the
 * time. This file does not decide what a failure is, does not log and does
 * not feed metrics: the fetcher does, when the returned state changes.
 */
#include <assert.h>

#include "medley/breaker.h"

void breaker_init(struct breaker *b, int threshold, int64_t open_us)
{
	assert(threshold >= 1 && open_us >= 0);
	b->state = BREAKER_CLOSED;
	b->failures = 0;
	b->threshold = threshold;
	b->open_us = open_us;
	b->opened_at_us = 0;
}

int64_t breaker_probe_due_us(const struct breaker *b)
{
	return b->opened_at_us + b->open_us;
}

bool breaker_available(const struct breaker *b, int64_t now_us)
{
	switch (b->state) {
	case BREAKER_CLOSED:
		return true;
	case BREAKER_OPEN:
		return now_us >= breaker_probe_due_us(b);
	case BREAKER_HALF_OPEN:
		break;
	}
	return false;
}

bool breaker_allow(struct breaker *b, int64_t now_us, bool *probe)
{
	*probe = false;
	if (!breaker_available(b, now_us))
		return false;
	if (b->state == BREAKER_OPEN) {
		b->state = BREAKER_HALF_OPEN;
		*probe = true;
	}
	return true;
}

static void trip(struct breaker *b, int64_t now_us)
{
	b->state = BREAKER_OPEN;
	b->opened_at_us = now_us;
	b->failures = 0;
}

enum breaker_state breaker_record(struct breaker *b, bool success, bool probe, int64_t now_us)
{
	switch (b->state) {
	case BREAKER_CLOSED:
		if (success)
			b->failures = 0;
		else if (++b->failures >= b->threshold)
			trip(b, now_us);
		break;
	case BREAKER_HALF_OPEN:
		if (!probe)
			break;
		if (success) {
			b->state = BREAKER_CLOSED;
			b->failures = 0;
		} else {
			trip(b, now_us);
		}
		break;
	case BREAKER_OPEN:
		break;
	}
	return b->state;
}

const char *breaker_state_name(enum breaker_state s)
{
	switch (s) {
	case BREAKER_CLOSED:
		return "closed";
	case BREAKER_HALF_OPEN:
		return "half_open";
	case BREAKER_OPEN:
		return "open";
	}
	return "unknown";
}
