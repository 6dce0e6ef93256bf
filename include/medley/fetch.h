/*
 * fetch.h - the fetch engine: polite, bounded HTTP GETs to one provider.
 *
 * This is the only module that talks to libcurl; no curl type crosses this
 * header. Every provider gets one struct fetcher: one thread that owns one
 * curl multi handle (so connections are kept alive and reused), the
 * provider's token bucket (ratelimit.h), its circuit breaker (breaker.h)
 * and its waiting list. Providers build URLs and parse bodies; all their
 * I/O goes through here. docs/fetch.md explains the policies in full.
 *
 *	e = fetch_global_init();                    once, in main, before threads
 *	e = fetch_user_agent(cfg->contact, p, true, &ua, &why);   ERR_CONFIG: refuse to serve
 *	e = fetcher_new(PROVIDER_MUSICBRAINZ, p, ua.data, &f);
 *	e = fetcher_start(f);
 *	fetch_submit(f, "https://musicbrainz.org/ws/2/artist/...?fmt=json", done, job);
 *	...done(job, res) runs later on f's thread...
 *	fetcher_stop(f); fetcher_free(f);
 *	fetch_global_cleanup();
 *
 * What one fetch does. It waits in the fetcher's list (at most max_queue
 * fetches wait; past that it ends FETCH_QUEUE_FULL at once) until a
 * concurrency slot is free and the bucket has a token, then sends a GET.
 * Every attempt, retries included, costs a token. Timeouts, connection
 * errors, 5xx, 429 and 503 are retried up to `retries` times, after a
 * backoff of 250 ms * 2^(n-1) (at most 10 s) with full jitter; after a 429 or
 * 503 the provider's whole bucket pauses until the retry (Retry-After, capped
 * at 120 s, or the backoff if longer), so nothing else is sent to it
 * meanwhile. 404 is FETCH_NOT_FOUND and other 4xx FETCH_HTTP_ERROR; neither
 * is retried. A body past max_body_bytes aborts the transfer:
 * FETCH_TOO_LARGE, not retried. While the breaker is open, fetches end
 * FETCH_BREAKER_OPEN without touching the network.
 *
 * Breaker failures. A fetch that reached the network counts as a failure
 * when it ends FETCH_TIMEOUT, FETCH_NETWORK, FETCH_RATE_LIMITED, or
 * FETCH_HTTP_ERROR with a 5xx status: the provider is down, overloaded or
 * unreachable. Every other end (2xx, 404, other 4xx, FETCH_TOO_LARGE) is a
 * success: the provider answered, and the problem belongs to that one URL.
 *
 * Threading. fetch_submit(), fetcher_breaker_state() and fetcher_available()
 * are thread-safe and never wait for the network or for other fetches (they
 * take a short mutex at most); they must not race with fetcher_free().
 * fetcher_new/start/stop/free are for one owner thread (start-up and
 * shutdown). Callbacks run on the fetcher's
 * thread, one at a time, and hold it up: they must be quick, must not block,
 * and must not call fetcher_stop() or fetcher_free() on their own fetcher
 * (fetch_submit() is fine).
 */
#ifndef MEDLEY_FETCH_H
#define MEDLEY_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "medley/breaker.h"
#include "medley/buf.h"
#include "medley/common.h"
#include "medley/config.h"
#include "medley/err.h"
#include "medley/outcome.h"
#include "medley/provider_id.h"

struct fetcher;

/* How one fetch ended. Owned by the fetcher; the callback borrows it. */
struct fetch_result {
	enum fetch_outcome outcome;
	long status;	      /* HTTP status of the last answer; 0 when none came */
	struct buf body;      /* the last complete answer's decoded body (also 4xx/5xx);
				 empty when the transfer failed or passed max_body_bytes,
				 never partial; may be taken with buf_detach() */
	int attempts;	      /* requests sent, retries included; 0 if none was */
	int64_t rate_wait_us; /* time ready but not yet sent (no token or no free
				 slot), summed over attempts */
	int64_t duration_us;  /* first send to the end, backoff included; 0 if never sent */
	char error[160];      /* short reason for logs, "" when FETCH_OK; never body text */
};

/*
 * Called exactly once per fetch_submit(), on the fetcher's thread (see
 * fetch_submit() for the one exception). arg is what was given to
 * fetch_submit(). res is valid until the callback returns; the callback may
 * take res->body with buf_detach() and owns what it took. The fetcher frees
 * the rest afterwards.
 */
typedef void fetch_done_fn(void *arg, struct fetch_result *res);

/* Process-wide set-up ------------------------------------------------------ */

/*
 * curl_global_init(): call once from main before any thread starts.
 * Errors: ERR_INTERNAL (logged) when libcurl cannot initialise, e.g. TLS.
 */
MUST_CHECK enum err fetch_global_init(void);

/* curl_global_cleanup(): once, after every fetcher is freed. */
void fetch_global_cleanup(void);

/*
 * Build the User-Agent for provider p into out (appended; out is the
 * caller's): p->user_agent when set, else "medley/<version> ( <contact> )",
 * or "medley/<version>" without a contact. contact and p are borrowed.
 * With require_contact (MusicBrainz: anonymous User-Agents may be blocked),
 * the result must contain a contact: an e-mail address (text@text) or an
 * http:// or https:// URL.
 * Errors: ERR_CONFIG with *why set to a static reason when a required
 * contact is missing or the value holds control characters (out is then
 * left as it was). Pure; does not block.
 */
MUST_CHECK enum err fetch_user_agent(const char *contact, const struct config_provider *p,
				     bool require_contact, struct buf *out, const char **why);

/* Fetchers ----------------------------------------------------------------- */

/*
 * Create a stopped fetcher for provider id with the limits of cfg (borrowed;
 * the values are copied, so cfg may go away) and the User-Agent user_agent
 * (copied). *out is the caller's, to free with fetcher_free().
 * Errors: ERR_CONFIG (logged) for values outside what config.c validates,
 * ERR_INTERNAL (logged) when libcurl cannot create a multi handle.
 * Does not block.
 */
MUST_CHECK enum err fetcher_new(enum provider_id id, const struct config_provider *cfg,
				const char *user_agent, struct fetcher **out);

/*
 * Start the fetcher's thread. Fetches submitted before this wait for it.
 * Call once. Errors: ERR_INTERNAL (logged) when the thread cannot start.
 */
MUST_CHECK enum err fetcher_start(struct fetcher *f);

/*
 * Stop: abort transfers in flight and end them FETCH_SHUTDOWN, end every
 * waiting or backing-off fetch FETCH_SHUTDOWN, then join the thread. All
 * callbacks have run when this returns. Blocks only as long as the
 * callbacks take (libcurl work is non-blocking). Idempotent; on a fetcher
 * never started, runs the callbacks of what was submitted on the calling
 * thread. Must not be called from a callback. NULL is a no-op.
 */
void fetcher_stop(struct fetcher *f);

/* Stop if needed, then free f. NULL is a no-op. */
void fetcher_free(struct fetcher *f);

/*
 * Fetch url (copied) with GET and call done(arg, res) once it has ended.
 * Never blocks and never fails: every problem, a full waiting list included,
 * is reported through done, on the fetcher's thread. The one exception: once
 * fetcher_stop() has finished, there is no fetcher thread, so done runs at
 * once on the calling thread with FETCH_SHUTDOWN.
 */
void fetch_submit(struct fetcher *f, const char *url, fetch_done_fn *done, void *arg);

/*
 * A gate: a second token bucket that a fetcher consults after its own,
 * shared with other processes (rategate.h keeps one in PostgreSQL for
 * rate_scope: cluster). Both functions run on the fetcher's thread and may
 * block briefly (one database round trip): the fetcher sends nothing else
 * meanwhile, which is what a shared limit wants anyway.
 *
 * acquire() returns 0 when a request may be sent now (the token is taken),
 * > 0 when none may be for that many microseconds (the fetcher asks again
 * then), < 0 when the gate cannot answer (database down): the fetcher then
 * goes by its own bucket alone, at the configured rate, until the next ask.
 * pause() passes on a provider's Retry-After (delay_us from now) to the
 * other processes.
 */
struct fetch_gate {
	int64_t (*acquire)(void *arg);
	void (*pause)(void *arg, int64_t delay_us);
	void *arg;
};

/*
 * Make f consult gate (copied; gate->arg borrowed, must outlive f) before
 * every request it sends, retries included. Call before fetcher_start().
 */
void fetcher_set_gate(struct fetcher *f, const struct fetch_gate *gate);

/*
 * A request with more than a URL: extra headers ("Authorization: Bearer
 * ...", NULL-terminated list) and, for a POST, a body sent as is (give its
 * Content-Type among the headers). Everything is copied by
 * fetch_submit_req(). Header values are never logged.
 */
struct fetch_request {
	const char *url;
	const char *const *headers; /* NULL-terminated, or NULL */
	const char *post_body;	    /* NULL: GET */
};

/* fetch_submit() for a fetch_request: same rules. */
void fetch_submit_req(struct fetcher *f, const struct fetch_request *rq, fetch_done_fn *done,
		      void *arg);

/* The breaker's state, as last published by the fetcher's thread. */
enum breaker_state fetcher_breaker_state(const struct fetcher *f);

/*
 * False when a fetch submitted now would end FETCH_BREAKER_OPEN: the breaker
 * is open and its probe is not due yet, or half-open with the probe out.
 * Lets the caller serve stale data at once without queueing. A snapshot:
 * a true answer is a good guess, not a promise.
 */
bool fetcher_available(const struct fetcher *f);

/* Pure policy (src/fetch_policy.c), exposed for tests ---------------------- */

/* Backoff bounds: retry n waits up to min(cap, base * 2^(n-1)), full jitter. */
#define FETCH_BACKOFF_BASE_US 250000
#define FETCH_BACKOFF_CAP_US 10000000
/* Longest Retry-After honoured; a longer one is cut to this. */
#define FETCH_RETRY_AFTER_CAP_S 120

/* The outcome of a complete answer with HTTP status `status`. */
enum fetch_outcome fetch_status_outcome(long status);

/* Is an attempt that ended with (o, status) worth another attempt? */
bool fetch_outcome_retryable(enum fetch_outcome o, long status);

/* Does a fetch that ended with (o, status) count against the breaker? */
bool fetch_outcome_is_failure(enum fetch_outcome o, long status);

/*
 * How long to wait before retry number `retry` (1 for the first) after an
 * attempt that ended with o: a uniformly random time in [0, min(cap, base *
 * 2^(retry-1))] drawn from rnd (any 64 random bits), and for
 * FETCH_RATE_LIMITED at least retry_after_s (the answer's Retry-After in
 * seconds, <= 0 when absent; capped at FETCH_RETRY_AFTER_CAP_S).
 */
int64_t fetch_retry_delay_us(enum fetch_outcome o, int64_t retry_after_s, int retry, uint64_t rnd);

/* The connect timeout used for an attempt timeout: half of it, 1 s to 5 s, never above it. */
long fetch_connect_timeout_ms(long timeout_ms);

/*
 * Append url to out for a log line, with the value of every query parameter
 * named key, api_key, apikey, token, secret, client_secret or client_key (any case)
 * replaced by *** and any password in the user-info replaced by ***.
 */
void fetch_redact_url(const char *url, struct buf *out);

#endif
