/*
 * breaker.h - a circuit breaker, pure: time is passed in.
 *
 * It stops medley from hammering a provider that is down and lets requests
 * fail fast (to stale data) instead of waiting out timeouts:
 *
 *   CLOSED     fetches go out. `failures` consecutive failed fetches open it.
 *   OPEN       nothing goes out for open_us. After that the next fetch asked
 *              for is let through as the one probe, and the breaker is
 *              HALF_OPEN.
 *   HALF_OPEN  the probe is out; nothing else goes out. The probe's success
 *              closes the breaker, its failure opens it again for open_us.
 *
 * What counts as a failure is the caller's decision (fetch.h lists it);
 * breaker_record() only hears success or failure. Results of fetches that
 * were let through before the breaker opened do not move an open or
 * half-open breaker: only the probe decides.
 *
 * The enum values are those of the medley_provider_breaker_state gauge.
 *
 * Threading: none. A struct breaker is a value owned by one fetcher thread.
 * Times are int64_t microseconds on one monotonic clock. Nothing here
 * blocks, allocates or fails.
 */
#ifndef MEDLEY_BREAKER_H
#define MEDLEY_BREAKER_H

#include <stdbool.h>
#include <stdint.h>

enum breaker_state {
	BREAKER_CLOSED = 0,
	BREAKER_HALF_OPEN = 1,
	BREAKER_OPEN = 2
};

struct breaker {
	enum breaker_state state;
	int failures;	      /* consecutive failures while closed */
	int threshold;	      /* failures that open it */
	int64_t open_us;      /* how long it stays open before a probe */
	int64_t opened_at_us; /* when it last opened */
};

/* Set up a closed breaker (threshold >= 1, open_us >= 0; asserted). */
void breaker_init(struct breaker *b, int threshold, int64_t open_us);

/*
 * May a fetch go out now? True when closed; when open and open_us have
 * passed, true once: the breaker turns half-open and *probe is set, making
 * this fetch the probe. False otherwise. *probe is false unless set here.
 */
bool breaker_allow(struct breaker *b, int64_t now_us, bool *probe);

/*
 * Would breaker_allow() say yes at now_us? Changes nothing. (False while
 * half-open: the probe is already out.)
 */
bool breaker_available(const struct breaker *b, int64_t now_us);

/*
 * The end of a fetch that breaker_allow() let through: success or not, and
 * whether it was the probe. Returns the state afterwards.
 */
enum breaker_state breaker_record(struct breaker *b, bool success, bool probe, int64_t now_us);

/* When an open breaker lets its probe through (meaningful while OPEN). */
int64_t breaker_probe_due_us(const struct breaker *b);

/* "closed", "half_open", "open"; "unknown" outside the enum. Static storage. */
const char *breaker_state_name(enum breaker_state s);

#endif
