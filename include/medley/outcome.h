/*
 * outcome.h - how one upstream fetch ended, as one list.
 *
 * FETCH_OUTCOME_LIST generates enum fetch_outcome and the stable names used
 * in logs and in the outcome label of medley_provider_requests_total. The
 * fetch engine sets the outcome; the aggregator maps it to a document's
 * "sources" status (ok, not_found, error, timeout). Pure; a leaf.
 */
#ifndef MEDLEY_OUTCOME_H
#define MEDLEY_OUTCOME_H

// clang-format off
#define FETCH_OUTCOME_LIST(X)                                                       \
	X(FETCH_OK,           "ok")           /* 2xx, body complete */              \
	X(FETCH_NOT_FOUND,    "not_found")    /* 404 */                             \
	X(FETCH_HTTP_ERROR,   "http_error")   /* other 4xx, or 5xx after retries */ \
	X(FETCH_RATE_LIMITED, "rate_limited") /* 429/503 after retries */           \
	X(FETCH_TIMEOUT,      "timeout")      /* attempt or deadline timed out */   \
	X(FETCH_NETWORK,      "network")      /* DNS, connect, reset, TLS */        \
	X(FETCH_TOO_LARGE,    "too_large")    /* body over max_body_bytes */        \
	X(FETCH_BREAKER_OPEN, "breaker_open") /* failed fast, breaker open */       \
	X(FETCH_QUEUE_FULL,   "queue_full")   /* over max_queue, not sent */        \
	X(FETCH_SHUTDOWN,     "shutdown")     /* engine stopping, not sent */
// clang-format on

enum fetch_outcome {
#define FETCH_OUTCOME_ENUM_ROW(id, name) id,
	FETCH_OUTCOME_LIST(FETCH_OUTCOME_ENUM_ROW)
#undef FETCH_OUTCOME_ENUM_ROW
	FETCH_OUTCOME__COUNT
};

/* Stable name ("rate_limited"); "unknown" outside the list. Static storage. */
const char *fetch_outcome_name(enum fetch_outcome o);

#endif
