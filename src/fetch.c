/*
 * fetch.c - the fetcher thread: one libcurl multi handle per provider.
 *
 * A fetch travels submit -> waiting list (struct queue) -> in flight (an
 * easy handle in the multi) -> maybe backing off -> in flight again -> done.
 * The thread loops: reap finished transfers, finish refused submissions,
 * dispatch what the breaker, the concurrency cap and the token bucket allow,
 * then sleep in curl_multi_poll() until a socket, a timer or
 * curl_multi_wakeup() (a new submission, a stop) needs it. Everything but
 * the waiting list, the list of refused submissions and two published
 * breaker fields belongs to that thread alone, so it needs no lock.
 *
 * This file owns all transport policy wiring (options, classification,
 * retries, metrics, logs); the pure rules live in fetch_policy.c,
 * ratelimit.c and breaker.c. It does not build URLs, parse bodies, cache
 * anything, or cancel single fetches.
 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "medley/clock.h"
#include "medley/fetch.h"
#include "medley/log.h"
#include "medley/metrics.h"
#include "medley/queue.h"
#include "medley/ratelimit.h"
#include "medley/xalloc.h"

#if LIBCURL_VERSION_NUM < 0x075500
#error "medley needs libcurl 7.85 or later (curl_multi_wakeup, CURLOPT_PROTOCOLS_STR)"
#endif

#define FETCH_MAX_REDIRECTS 5L
#define FETCH_KEEPIDLE_S 60L
#define FETCH_KEEPINTVL_S 30L
#define FETCH_POLL_MAX_MS 1000	   /* longest sleep with nothing scheduled */
#define FETCH_LOG_URL_MAX 2048	   /* a longer URL is cut in log lines */
#define FETCH_EXTRA_CONNECTIONS 4L /* idle connections kept beyond concurrency */

struct fetch_job {
	struct fetch_job *next; /* in exactly one of: in-flight, backoff, refused */
	char *url;
	struct curl_slist *headers; /* extra request headers, or NULL */
	char *post_body;	    /* POST with this body; NULL: GET */
	fetch_done_fn *done;
	void *arg;
	CURL *easy; /* while an attempt is in flight */
	struct fetch_result res;
	int64_t ready_us;      /* since when it could be sent (submitted, backoff over) */
	int64_t first_sent_us; /* meaningful once res.attempts > 0 */
	int64_t due_us;	       /* backing off: not to be sent before */
	bool probe;	       /* the breaker's half-open probe */
	bool too_large;	       /* this attempt's body passed max_body_bytes */
	char curl_error[CURL_ERROR_SIZE];
};

struct fetcher {
	/* Set by fetcher_new(), read-only afterwards. */
	enum provider_id id;
	const char *name;
	char *user_agent;
	char *proxy;
	long timeout_ms;
	long connect_timeout_ms;
	long max_body_bytes;
	int retries;
	int concurrency;
	int max_queue;
	CURLM *multi; /* the fetcher thread's; other threads only curl_multi_wakeup() */

	/* Shared between threads. */
	struct queue *waiting; /* submitted, not sent yet; at most max_queue */
	pthread_mutex_t refused_mu;
	struct fetch_job *refused; /* refused submissions, newest first */
	bool refused_closed;	   /* the thread is gone: finish inline */
	atomic_bool stopping;
	_Atomic int pub_state;		  /* enum breaker_state */
	_Atomic int64_t pub_probe_due_us; /* when an open breaker lets a probe through */

	/* The owner's (new/start/stop/free). */
	pthread_t thread;
	bool started;
	bool stopped;

	/* The fetcher thread's. */
	struct ratelimit rl;
	struct fetch_gate gate; /* acquire NULL: none */
	bool gate_down;		/* the gate failed last time it was asked (logged once) */
	struct breaker br;
	struct fetch_job *inflight; /* attempts in the multi handle */
	struct fetch_job *backoff;  /* waiting for due_us, unsorted */
	int active;		    /* length of inflight */
	uint64_t rng;
};

/* ---- small helpers ------------------------------------------------------- */

/* pthread calls that only fail on programmer error or exhaustion: stop, like xalloc. */
static void must(int rc, const char *what)
{
	if (rc != 0) {
		log_error("%s failed: %s", what, strerror(rc));
		abort();
	}
}

/* xorshift64*: jitter only, never security. */
static uint64_t next_random(struct fetcher *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ULL;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static void unlink_job(struct fetch_job **list, struct fetch_job *j)
{
	for (struct fetch_job **p = list; *p; p = &(*p)->next) {
		if (*p == j) {
			*p = j->next;
			j->next = NULL;
			return;
		}
	}
	assert(!"job not on the list");
}

/* Copy a libcurl message into out on one line, cut to fit. */
static void copy_reason(char *out, size_t size, const char *msg)
{
	size_t n = 0;

	for (; msg[n] && n + 1 < size; n++)
		out[n] = (unsigned char)msg[n] < 0x20 ? ' ' : msg[n];
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static void job_free(struct fetch_job *j)
{
	buf_release(&j->res.body);
	xfree(j->url);
	curl_slist_free_all(j->headers);
	xfree(j->post_body);
	xfree(j);
}

/* A failed outcome worth a warning: something reached for the network and lost. */
static bool warn_worthy(enum fetch_outcome o)
{
	return o != FETCH_OK && o != FETCH_NOT_FOUND && o != FETCH_BREAKER_OPEN &&
	       o != FETCH_SHUTDOWN;
}

/* ---- the breaker's public face -------------------------------------------- */

/* Publish the breaker after a change of state, with one log line and the gauge. */
static void breaker_changed(struct fetcher *f, enum breaker_state before)
{
	enum breaker_state now_state = f->br.state;
	struct log_line l;
	enum log_level level = now_state == BREAKER_OPEN ? LOG_WARN : LOG_INFO;

	if (now_state == before)
		return;
	atomic_store(&f->pub_probe_due_us, breaker_probe_due_us(&f->br));
	atomic_store(&f->pub_state, (int)now_state);
	metrics_gauge_set_at(METRICS_PROVIDER_BREAKER, f->id, 0, (int64_t)now_state);
	if (!log_begin(&l, level, "provider circuit breaker changed"))
		return;
	log_str(&l, "provider", f->name);
	log_str(&l, "from", breaker_state_name(before));
	log_str(&l, "to", breaker_state_name(now_state));
	if (now_state == BREAKER_OPEN)
		log_int(&l, "open_ms", f->br.open_us / 1000);
	if (before == BREAKER_CLOSED)
		log_int(&l, "failures", f->br.threshold);
	log_end(&l);
}

enum breaker_state fetcher_breaker_state(const struct fetcher *f)
{
	return (enum breaker_state)atomic_load(&f->pub_state);
}

bool fetcher_available(const struct fetcher *f)
{
	switch (fetcher_breaker_state(f)) {
	case BREAKER_CLOSED:
		return true;
	case BREAKER_OPEN:
		return clock_mono_us() >= atomic_load(&f->pub_probe_due_us);
	case BREAKER_HALF_OPEN:
		break;
	}
	return false;
}

/* ---- finishing a fetch ---------------------------------------------------- */

static void log_fetch(const struct fetcher *f, const struct fetch_job *j)
{
	const struct fetch_result *r = &j->res;
	bool warn = warn_worthy(r->outcome);
	struct log_line l;
	struct buf url;

	if (!log_begin(&l, warn ? LOG_WARN : LOG_DEBUG, warn ? "fetch failed" : "fetch done"))
		return;
	buf_init(&url, FETCH_LOG_URL_MAX);
	fetch_redact_url(j->url, &url);
	log_str(&l, "provider", f->name);
	log_str(&l, "url", url.data);
	log_str(&l, "outcome", fetch_outcome_name(r->outcome));
	log_int(&l, "status", r->status);
	log_int(&l, "attempts", r->attempts);
	log_int(&l, "duration_ms", r->duration_us / 1000);
	log_int(&l, "rate_wait_ms", r->rate_wait_us / 1000);
	if (r->error[0])
		log_str(&l, "error", r->error);
	log_end(&l);
	buf_release(&url);
}

/*
 * End j with outcome o: breaker, metrics, log line, callback, free. now_us
 * is the fetcher thread's clock (or the stopping thread's).
 */
static void finish(struct fetcher *f, struct fetch_job *j, enum fetch_outcome o, int64_t now_us)
{
	struct fetch_result *r = &j->res;

	r->outcome = o;
	if (o == FETCH_OK)
		r->error[0] = '\0';
	if (o == FETCH_SHUTDOWN)
		buf_release(&r->body);
	if (r->attempts > 0) {
		r->duration_us = now_us - j->first_sent_us;
		metrics_histogram_observe_at(METRICS_PROVIDER_DURATION, f->id, 0,
					     (uint64_t)r->duration_us);
		if (o != FETCH_SHUTDOWN) {
			enum breaker_state before = f->br.state;

			breaker_record(&f->br, !fetch_outcome_is_failure(o, r->status), j->probe,
				       now_us);
			breaker_changed(f, before);
		}
	}
	metrics_counter_add_at(METRICS_PROVIDER_REQUESTS, f->id, o, 1);
	log_fetch(f, j);
	j->done(j->arg, r);
	job_free(j);
}

/* End j before it was ever sent, with a reason. */
static void finish_unsent(struct fetcher *f, struct fetch_job *j, enum fetch_outcome o,
			  int64_t now_us)
{
	if (!j->res.error[0]) {
		if (o == FETCH_QUEUE_FULL)
			snprintf(j->res.error, sizeof(j->res.error), "more than %d fetches waiting",
				 f->max_queue);
		else if (o == FETCH_BREAKER_OPEN)
			snprintf(j->res.error, sizeof(j->res.error), "circuit breaker open");
		else if (o == FETCH_SHUTDOWN)
			snprintf(j->res.error, sizeof(j->res.error), "fetcher stopping");
	}
	finish(f, j, o, now_us);
}

/* ---- sending an attempt --------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct fetch_job *j = userp;
	struct buf *b = &j->res.body;
	size_t n = size * nmemb;

	if (n > b->max_len - b->len) {
		j->too_large = true;
		return CURL_WRITEFUNC_ERROR; /* abort: nothing is buffered past the cap */
	}
	buf_add(b, data, n);
	return n;
}

/* A fresh easy handle for one attempt of j, or NULL (libcurl out of memory). */
static CURL *make_easy(const struct fetcher *f, struct fetch_job *j)
{
	CURL *e = curl_easy_init();
	CURLcode rc = CURLE_OK;

	if (!e)
		return NULL;
#define SET(opt, val)                                       \
	do {                                                \
		if (rc == CURLE_OK)                         \
			rc = curl_easy_setopt(e, opt, val); \
	} while (0)
	SET(CURLOPT_URL, j->url);
	SET(CURLOPT_PRIVATE, (void *)j);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, (void *)j);
	SET(CURLOPT_ERRORBUFFER, j->curl_error);
	SET(CURLOPT_USERAGENT, f->user_agent);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_PROXY, f->proxy);
	SET(CURLOPT_TIMEOUT_MS, f->timeout_ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, f->connect_timeout_ms);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, FETCH_MAX_REDIRECTS);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_TCP_KEEPIDLE, FETCH_KEEPIDLE_S);
	SET(CURLOPT_TCP_KEEPINTVL, FETCH_KEEPINTVL_S);
	if (j->headers)
		SET(CURLOPT_HTTPHEADER, j->headers);
	if (j->post_body) {
		SET(CURLOPT_POSTFIELDS, j->post_body);
		SET(CURLOPT_POSTFIELDSIZE, (long)strlen(j->post_body));
	}
#undef SET
	if (rc != CURLE_OK) {
		log_error("cannot set up a transfer for %s: %s", f->name, curl_easy_strerror(rc));
		curl_easy_cleanup(e);
		return NULL;
	}
	return e;
}

/* Send one attempt of j now; the caller checked the slot, the token and the breaker. */
static void start_attempt(struct fetcher *f, struct fetch_job *j, int64_t now_us)
{
	bool got_token = ratelimit_try_acquire(&f->rl, now_us);
	int64_t waited = now_us - j->ready_us;

	assert(got_token);
	(void)got_token;
	j->res.rate_wait_us += waited;
	metrics_histogram_observe_at(METRICS_PROVIDER_RATE_WAIT, f->id, 0, (uint64_t)waited);
	if (j->res.attempts++ == 0)
		j->first_sent_us = now_us;
	buf_reset(&j->res.body);
	j->too_large = false;
	j->curl_error[0] = '\0';
	j->easy = make_easy(f, j);
	if (j->easy && curl_multi_add_handle(f->multi, j->easy) != CURLM_OK) {
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
	}
	if (!j->easy) {
		snprintf(j->res.error, sizeof(j->res.error), "cannot start a transfer");
		finish(f, j, FETCH_NETWORK, now_us);
		return;
	}
	j->next = f->inflight;
	f->inflight = j;
	f->active++;
}

/* Take j's attempt out of the multi handle and free its easy handle. */
static void end_attempt(struct fetcher *f, struct fetch_job *j)
{
	curl_multi_remove_handle(f->multi, j->easy);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	unlink_job(&f->inflight, j);
	f->active--;
}

/* ---- an attempt ended ----------------------------------------------------- */

/* What rc and status mean for this attempt; fills j->res.error on failure. */
static enum fetch_outcome classify(struct fetcher *f, struct fetch_job *j, CURLcode rc, long status)
{
	char *err = j->res.error;
	size_t size = sizeof(j->res.error);
	const char *why = j->curl_error[0] ? j->curl_error : curl_easy_strerror(rc);
	enum fetch_outcome o;

	if (j->too_large) {
		snprintf(err, size, "body over max_body_bytes (%ld)", f->max_body_bytes);
		return FETCH_TOO_LARGE;
	}
	switch (rc) {
	case CURLE_OK:
		o = fetch_status_outcome(status);
		if (o != FETCH_OK)
			snprintf(err, size, "HTTP %ld", status);
		return o;
	case CURLE_OPERATION_TIMEDOUT:
		o = FETCH_TIMEOUT;
		break;
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		o = FETCH_HTTP_ERROR; /* our request's fault: not retried */
		break;
	default:
		o = FETCH_NETWORK;
		break;
	}
	copy_reason(err, size, why);
	return o;
}

/* Park j until its retry is due; after a 429 or 503, pause the whole bucket until then. */
static void schedule_retry(struct fetcher *f, struct fetch_job *j, enum fetch_outcome o,
			   int64_t delay_us, int64_t now_us)
{
	struct log_line l;

	j->res.outcome = o;
	j->due_us = now_us + delay_us;
	j->ready_us = j->due_us;
	j->next = f->backoff;
	f->backoff = j;
	metrics_counter_add_at(METRICS_PROVIDER_RETRIES, f->id, 0, 1);
	if (!log_begin(&l, LOG_DEBUG, "fetch retry scheduled"))
		return;
	log_str(&l, "provider", f->name);
	log_str(&l, "outcome", fetch_outcome_name(o));
	log_int(&l, "status", j->res.status);
	log_int(&l, "attempts", j->res.attempts);
	log_int(&l, "delay_ms", delay_us / 1000);
	log_end(&l);
}

static void attempt_done(struct fetcher *f, struct fetch_job *j, CURLcode rc)
{
	long status = 0;
	curl_off_t retry_after_s = 0;
	enum fetch_outcome o;
	int64_t now_us, delay_us;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &retry_after_s);
	o = classify(f, j, rc, status);
	if (rc != CURLE_OK)
		buf_release(&j->res.body); /* partial: never handed out */
	end_attempt(f, j);
	now_us = clock_mono_us();
	j->res.status = status;
	delay_us = fetch_retry_delay_us(o, (int64_t)retry_after_s, j->res.attempts, next_random(f));
	if (o == FETCH_RATE_LIMITED) {
		ratelimit_pause_until(&f->rl, now_us + delay_us);
		if (f->gate.pause)
			f->gate.pause(f->gate.arg, delay_us);
	}
	if (fetch_outcome_retryable(o, status) && j->res.attempts <= f->retries)
		schedule_retry(f, j, o, delay_us, now_us);
	else
		finish(f, j, o, now_us);
}

static void reap(struct fetcher *f)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->multi, &left))) {
		CURL *e = msg->easy_handle;
		CURLcode rc = msg->data.result;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
		attempt_done(f, (struct fetch_job *)(void *)priv, rc);
	}
}

/* ---- dispatching ---------------------------------------------------------- */

static struct fetch_job *first_due(struct fetcher *f, int64_t now_us)
{
	struct fetch_job *best = NULL;

	for (struct fetch_job *j = f->backoff; j; j = j->next) {
		if (j->due_us <= now_us && (!best || j->due_us < best->due_us))
			best = j;
	}
	return best;
}

static int64_t next_due(const struct fetcher *f)
{
	int64_t t = INT64_MAX;

	for (const struct fetch_job *j = f->backoff; j; j = j->next)
		t = min64(t, j->due_us);
	return t;
}

/*
 * While the breaker is not closed, fetches backing off go no further unless
 * they are the probe: they end at once with their last attempt's outcome.
 */
static void drop_blocked_retries(struct fetcher *f, int64_t now_us)
{
	struct fetch_job *j = f->backoff;

	while (f->br.state != BREAKER_CLOSED && j) {
		if (j->probe) {
			j = j->next;
			continue;
		}
		unlink_job(&f->backoff, j);
		finish(f, j, j->res.outcome, now_us);
		j = f->backoff; /* start over: finish() ran a callback */
	}
}

/* End every waiting fetch with o (breaker open, stopping). */
static void fail_waiting(struct fetcher *f, enum fetch_outcome o, int64_t now_us)
{
	void *item;

	while (queue_try_pop(f->waiting, &item) == ERR_OK)
		finish_unsent(f, item, o, now_us);
}

/*
 * Ask the gate, if any, for a token: now_us when granted (or when the gate
 * is down: the local bucket alone then holds), else when to ask again.
 */
static int64_t gate_next_us(struct fetcher *f, int64_t now_us)
{
	int64_t wait_us;

	if (!f->gate.acquire)
		return now_us;
	wait_us = f->gate.acquire(f->gate.arg);
	if (wait_us < 0) {
		if (!f->gate_down)
			log_warn("%s: the shared rate limit is unavailable; this instance keeps to "
				 "its own bucket until it is back",
				 f->name);
		f->gate_down = true;
		return now_us;
	}
	if (f->gate_down)
		log_info("%s: the shared rate limit is back", f->name);
	f->gate_down = false;
	return wait_us > 0 ? now_us + wait_us : now_us;
}

/*
 * Send, or fail fast, one fetch if the slot, the bucket and the breaker
 * allow. Returns false when nothing more can happen now, with *wake_us
 * lowered to when the bucket has a token if that is what is missing.
 */
static bool dispatch_one(struct fetcher *f, int64_t now_us, int64_t *wake_us)
{
	struct fetch_job *j = first_due(f, now_us);
	int64_t token_us;
	void *item;

	if (f->active >= f->concurrency || (!j && queue_len(f->waiting) == 0))
		return false;
	token_us = ratelimit_next_us(&f->rl, now_us);
	if (token_us > now_us) {
		*wake_us = min64(*wake_us, token_us);
		return false;
	}
	token_us = gate_next_us(f, now_us);
	if (token_us > now_us) {
		*wake_us = min64(*wake_us, token_us);
		return false;
	}
	if (j) {
		unlink_job(&f->backoff, j);
	} else {
		enum breaker_state before = f->br.state;

		if (queue_try_pop(f->waiting, &item) != ERR_OK)
			return false;
		j = item;
		if (!breaker_allow(&f->br, now_us, &j->probe)) {
			finish_unsent(f, j, FETCH_BREAKER_OPEN, now_us);
			return true;
		}
		breaker_changed(f, before);
	}
	start_attempt(f, j, now_us);
	return true;
}

/* Do everything that is due now; returns when something next becomes due. */
static int64_t dispatch(struct fetcher *f, int64_t now_us)
{
	int64_t wake_us = INT64_MAX;

	drop_blocked_retries(f, now_us);
	while (dispatch_one(f, now_us, &wake_us))
		;
	if (!breaker_available(&f->br, now_us))
		fail_waiting(f, FETCH_BREAKER_OPEN, now_us);
	return min64(wake_us, next_due(f));
}

/* ---- refused submissions -------------------------------------------------- */

/*
 * Finish the submissions refused since the last round, oldest first. With
 * close_after, later refusals are finished by fetch_submit() itself.
 */
static void finish_refused(struct fetcher *f, bool close_after)
{
	struct fetch_job *list, *next, *oldest_first = NULL;

	must(pthread_mutex_lock(&f->refused_mu), "pthread_mutex_lock");
	list = f->refused;
	f->refused = NULL;
	if (close_after)
		f->refused_closed = true;
	must(pthread_mutex_unlock(&f->refused_mu), "pthread_mutex_unlock");
	for (; list; list = next) {
		next = list->next;
		list->next = oldest_first;
		oldest_first = list;
	}
	for (; oldest_first; oldest_first = next) {
		next = oldest_first->next;
		finish_unsent(f, oldest_first, oldest_first->res.outcome, clock_mono_us());
	}
}

/* ---- the thread ------------------------------------------------------------ */

/* End everything: in flight, backing off, waiting, refused. Also the final word. */
static void shut_down(struct fetcher *f)
{
	struct fetch_job *j;

	while ((j = f->inflight)) {
		end_attempt(f, j);
		snprintf(j->res.error, sizeof(j->res.error), "fetcher stopping");
		finish(f, j, FETCH_SHUTDOWN, clock_mono_us());
	}
	while ((j = f->backoff)) {
		unlink_job(&f->backoff, j);
		snprintf(j->res.error, sizeof(j->res.error), "fetcher stopping");
		finish(f, j, FETCH_SHUTDOWN, clock_mono_us());
	}
	queue_close(f->waiting);
	fail_waiting(f, FETCH_SHUTDOWN, clock_mono_us());
	finish_refused(f, true);
}

/* Milliseconds from now_us until wake_us, rounded up, at most FETCH_POLL_MAX_MS. */
static int poll_timeout_ms(int64_t now_us, int64_t wake_us)
{
	int64_t ms;

	if (wake_us <= now_us)
		return 0;
	if (wake_us - now_us >= (int64_t)FETCH_POLL_MAX_MS * 1000)
		return FETCH_POLL_MAX_MS;
	ms = (wake_us - now_us + 999) / 1000;
	return (int)ms;
}

static void *fetcher_main(void *arg)
{
	struct fetcher *f = arg;
	int running = 0;

	pthread_setname_np(pthread_self(), f->name); /* "coverartarchive" is the longest: 15 */

	while (!atomic_load(&f->stopping)) {
		int64_t now_us, wake_us;
		CURLMcode mc = curl_multi_perform(f->multi, &running);

		if (mc != CURLM_OK)
			log_error("curl_multi_perform failed for %s: %s", f->name,
				  curl_multi_strerror(mc));
		reap(f);
		finish_refused(f, false);
		now_us = clock_mono_us();
		wake_us = dispatch(f, now_us);
		mc = curl_multi_poll(f->multi, NULL, 0, poll_timeout_ms(now_us, wake_us), NULL);
		if (mc != CURLM_OK)
			log_error("curl_multi_poll failed for %s: %s", f->name,
				  curl_multi_strerror(mc));
	}
	shut_down(f);
	return NULL;
}

/* ---- lifecycle ------------------------------------------------------------- */

static bool cfg_sane(const struct config_provider *cfg)
{
	return cfg->rate_per_s > 0 && cfg->burst >= 1 && cfg->concurrency >= 1 &&
	       cfg->timeout_ms >= 1 && cfg->retries >= 0 && cfg->max_body_bytes >= 1 &&
	       cfg->breaker_failures >= 1 && cfg->breaker_open_ms >= 0 && cfg->max_queue >= 1;
}

static bool make_multi(struct fetcher *f)
{
	CURLMcode mc = CURLM_OK;

	f->multi = curl_multi_init();
	if (!f->multi)
		return false;
	mc = curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->concurrency);
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS,
				       (long)f->concurrency + FETCH_EXTRA_CONNECTIONS);
	return mc == CURLM_OK;
}

enum err fetcher_new(enum provider_id id, const struct config_provider *cfg, const char *user_agent,
		     struct fetcher **out)
{
	struct fetcher *f = NULL;
	enum err e = ERR_CONFIG;

	if (!cfg_sane(cfg) || !user_agent || (unsigned)id >= PROVIDER__COUNT) {
		log_error("cannot create the fetcher for '%s': invalid limits", provider_name(id));
		goto out;
	}
	f = xcalloc(1, sizeof(*f));
	f->id = id;
	f->name = provider_name(id);
	f->user_agent = xstrdup(user_agent);
	f->proxy = xstrdup(cfg->proxy ? cfg->proxy : "");
	f->timeout_ms = cfg->timeout_ms;
	f->connect_timeout_ms = fetch_connect_timeout_ms(cfg->timeout_ms);
	f->max_body_bytes = cfg->max_body_bytes;
	f->retries = cfg->retries;
	f->concurrency = cfg->concurrency;
	f->max_queue = cfg->max_queue;
	f->waiting = queue_new((size_t)cfg->max_queue);
	must(pthread_mutex_init(&f->refused_mu, NULL), "pthread_mutex_init");
	ratelimit_init(&f->rl, cfg->rate_per_s, cfg->burst);
	breaker_init(&f->br, cfg->breaker_failures, (int64_t)cfg->breaker_open_ms * 1000);
	f->rng = ((uint64_t)clock_mono_us() ^ (uint64_t)(uintptr_t)f) | 1;
	metrics_gauge_set_at(METRICS_PROVIDER_BREAKER, id, 0, BREAKER_CLOSED);
	e = ERR_INTERNAL;
	if (!make_multi(f)) {
		log_error("cannot create the fetcher for '%s': curl multi handle", f->name);
		goto out;
	}
	*out = f;
	f = NULL;
	e = ERR_OK;
out:
	fetcher_free(f);
	return e;
}

void fetcher_set_gate(struct fetcher *f, const struct fetch_gate *gate)
{
	f->gate = *gate;
}

enum err fetcher_start(struct fetcher *f)
{
	int rc;

	assert(!f->started && !f->stopped);
	rc = pthread_create(&f->thread, NULL, fetcher_main, f);
	if (rc != 0) {
		log_error("cannot start the fetcher thread for '%s': %s", f->name, strerror(rc));
		return ERR_INTERNAL;
	}
	f->started = true;
	return ERR_OK;
}

void fetcher_stop(struct fetcher *f)
{
	if (!f || f->stopped)
		return;
	atomic_store(&f->stopping, true);
	if (f->started) {
		curl_multi_wakeup(f->multi);
		must(pthread_join(f->thread, NULL), "pthread_join");
	} else {
		shut_down(f); /* no thread: the owner runs the callbacks */
	}
	f->stopped = true;
}

void fetcher_free(struct fetcher *f)
{
	if (!f)
		return;
	if (f->multi) {
		fetcher_stop(f);
		curl_multi_cleanup(f->multi);
	}
	queue_free(f->waiting);
	pthread_mutex_destroy(&f->refused_mu);
	xfree(f->proxy);
	xfree(f->user_agent);
	xfree(f);
}

/* ---- submitting ------------------------------------------------------------ */

/* j could not join the waiting list: hand it to the thread, or finish it here. */
static void refuse(struct fetcher *f, struct fetch_job *j, enum fetch_outcome o)
{
	bool inline_finish;

	j->res.outcome = o;
	must(pthread_mutex_lock(&f->refused_mu), "pthread_mutex_lock");
	inline_finish = f->refused_closed;
	if (!inline_finish) {
		j->next = f->refused;
		f->refused = j;
	}
	must(pthread_mutex_unlock(&f->refused_mu), "pthread_mutex_unlock");
	if (inline_finish) {
		snprintf(j->res.error, sizeof(j->res.error), "fetcher stopped");
		metrics_counter_add_at(METRICS_PROVIDER_REQUESTS, f->id, FETCH_SHUTDOWN, 1);
		j->res.outcome = FETCH_SHUTDOWN;
		j->done(j->arg, &j->res);
		job_free(j);
		return;
	}
	curl_multi_wakeup(f->multi);
}

void fetch_submit(struct fetcher *f, const char *url, fetch_done_fn *done, void *arg)
{
	fetch_submit_req(f, &(struct fetch_request){.url = url}, done, arg);
}

void fetch_submit_req(struct fetcher *f, const struct fetch_request *rq, fetch_done_fn *done,
		      void *arg)
{
	struct fetch_job *j = xcalloc(1, sizeof(*j));
	enum err e;

	assert(rq->url && done);
	j->url = xstrdup(rq->url);
	for (size_t i = 0; rq->headers && rq->headers[i]; i++) {
		struct curl_slist *l = curl_slist_append(j->headers, rq->headers[i]);

		if (!l) {
			log_error("out of memory building request headers");
			abort(); /* as xalloc does for every other allocation */
		}
		j->headers = l;
	}
	if (rq->post_body)
		j->post_body = xstrdup(rq->post_body);
	j->done = done;
	j->arg = arg;
	buf_init(&j->res.body, (size_t)f->max_body_bytes);
	j->ready_us = clock_mono_us();
	e = queue_try_push(f->waiting, j);
	if (e == ERR_OK)
		curl_multi_wakeup(f->multi);
	else
		refuse(f, j, e == ERR_TOO_LARGE ? FETCH_QUEUE_FULL : FETCH_SHUTDOWN);
}

/* ---- process-wide ---------------------------------------------------------- */

enum err fetch_global_init(void)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		log_error("cannot initialise libcurl: %s", curl_easy_strerror(rc));
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

void fetch_global_cleanup(void)
{
	curl_global_cleanup();
}
