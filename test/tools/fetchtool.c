/*
 * fetchtool.c - drive one MusicBrainz fetcher from the command line, for tests.
 *
 *	fetchtool [URL | wait | sleep:MS | stop | header:NAME: VALUE | post:BODY]...
 *	fetchtool < urls.txt            (one URL per line when there are no arguments)
 *
 * The provider settings come from the usual environment through cfg_load()
 * (MEDLEY_CONTACT, MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S, ...,
 * MEDLEY_LOG_LEVEL). URLs are submitted as fast as the loop goes, without
 * waiting for earlier ones; "wait" waits until everything submitted so far
 * has ended, "sleep:MS" pauses, "stop" stops the fetcher (later URLs then end
 * "shutdown" at once). "header:..." adds a request header to every later URL
 * (at most 8); "post:BODY" makes the next URL a POST with that body. At the
 * end it waits for every fetch, stops and exits.
 *
 * For every fetch it prints one JSON line on stdout as it ends:
 *	{"i":0,"url":"...","outcome":"ok","status":200,"attempts":1,"bytes":42,
 *	 "rate_wait_ms":0.0,"duration_ms":3.1,"t_done_ms":3.5,"available":true,
 *	 "breaker":"closed","error":""}
 * t_done_ms counts from the start of the tool; available is
 * fetcher_available() just before the URL was submitted. Logs go to stderr.
 *
 * This is a test driver, not part of libmedley or the medley binary. Exit
 * codes: 0 every fetch reported, 1 runtime failure, 2 usage or configuration.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medley/clock.h"
#include "medley/config.h"
#include "medley/fetch.h"
#include "medley/log.h"
#include "medley/xalloc.h"

struct tool {
	pthread_mutex_t mu;
	pthread_cond_t idle; /* pending dropped to 0 */
	int pending;
	int64_t t0_us;
	struct fetcher *f;
	int next_index;
	char *header_copies[8];
	const char *headers[9]; /* NULL-terminated: header_copies */
	size_t nheaders;
	char *post; /* the next URL's POST body, or NULL */
};

struct request {
	struct tool *tool;
	int index;
	bool available;
	char *url;
};

static void print_result(const struct request *rq, const struct fetch_result *res)
{
	struct tool *t = rq->tool;
	struct buf line;

	buf_init(&line, 64 * 1024);
	buf_addf(&line, "{\"i\":%d,\"url\":", rq->index);
	buf_add_json_str(&line, rq->url);
	buf_addf(&line, ",\"outcome\":\"%s\",\"status\":%ld,\"attempts\":%d,\"bytes\":%zu",
		 fetch_outcome_name(res->outcome), res->status, res->attempts, res->body.len);
	buf_addf(&line, ",\"rate_wait_ms\":%.3f,\"duration_ms\":%.3f,\"t_done_ms\":%.3f",
		 (double)res->rate_wait_us / 1000.0, (double)res->duration_us / 1000.0,
		 (double)(clock_mono_us() - t->t0_us) / 1000.0);
	buf_addf(&line, ",\"available\":%s,\"breaker\":\"%s\",\"error\":",
		 rq->available ? "true" : "false", breaker_state_name(fetcher_breaker_state(t->f)));
	buf_add_json_str(&line, res->error);
	buf_adds(&line, "}\n");
	fwrite(line.data, 1, line.len, stdout);
	fflush(stdout);
	buf_release(&line);
}

/* The fetch callback: runs on the fetcher thread (or on main after "stop"). */
static void on_done(void *arg, struct fetch_result *res)
{
	struct request *rq = arg;
	struct tool *t = rq->tool;

	pthread_mutex_lock(&t->mu);
	print_result(rq, res);
	if (--t->pending == 0)
		pthread_cond_broadcast(&t->idle);
	pthread_mutex_unlock(&t->mu);
	xfree(rq->url);
	xfree(rq);
}

static void submit(struct tool *t, const char *url)
{
	struct request *rq = xcalloc(1, sizeof(*rq));

	rq->tool = t;
	rq->url = xstrdup(url);
	rq->available = fetcher_available(t->f);
	pthread_mutex_lock(&t->mu);
	rq->index = t->next_index++;
	t->pending++;
	pthread_mutex_unlock(&t->mu);
	fetch_submit_req(t->f,
			 &(struct fetch_request){.url = url,
						 .headers = t->nheaders ? t->headers : NULL,
						 .post_body = t->post},
			 on_done, rq);
	xfree(t->post);
	t->post = NULL;
}

static void wait_idle(struct tool *t)
{
	pthread_mutex_lock(&t->mu);
	while (t->pending > 0)
		pthread_cond_wait(&t->idle, &t->mu);
	pthread_mutex_unlock(&t->mu);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* One argument: a URL or a directive. */
static void run_word(struct tool *t, const char *w)
{
	if (strcmp(w, "wait") == 0) {
		wait_idle(t);
	} else if (strncmp(w, "sleep:", 6) == 0) {
		sleep_ms(strtol(w + 6, NULL, 10));
	} else if (strcmp(w, "stop") == 0) {
		fetcher_stop(t->f);
	} else if (strncmp(w, "header:", 7) == 0) {
		if (t->nheaders < 8) {
			t->header_copies[t->nheaders] = xstrdup(w + 7);
			t->headers[t->nheaders] = t->header_copies[t->nheaders];
			t->nheaders++;
		}
	} else if (strncmp(w, "post:", 5) == 0) {
		xfree(t->post);
		t->post = xstrdup(w + 5);
	} else {
		submit(t, w);
	}
}

static void run_stdin(struct tool *t)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0)
			run_word(t, line);
	}
	free(line);
}

/* Load the configuration and build the fetcher; false (after printing why) on failure. */
static bool setup(struct tool *t, struct config *cfg)
{
	struct buf errors, ua;
	const char *why = NULL;
	bool ok = false;

	buf_init(&errors, 64 * 1024);
	buf_init(&ua, 1024);
	if (cfg_load(NULL, cfg, &errors) != ERR_OK) {
		fprintf(stderr, "fetchtool: invalid configuration:\n%s", errors.data);
		goto out;
	}
	log_setup(cfg->log.level, cfg->log.format, 2);
	if (fetch_user_agent(cfg->contact, &cfg->providers.musicbrainz, true, &ua, &why) !=
	    ERR_OK) {
		fprintf(stderr, "fetchtool: providers.musicbrainz.user_agent: %s\n", why);
		goto out;
	}
	if (fetcher_new(PROVIDER_MUSICBRAINZ, &cfg->providers.musicbrainz, ua.data, &t->f) !=
	    ERR_OK)
		goto out;
	ok = true;
out:
	buf_release(&ua);
	buf_release(&errors);
	return ok;
}

int main(int argc, char **argv)
{
	struct tool t = {.t0_us = clock_mono_us()};
	struct config cfg = {0};
	int rc = 2;

	pthread_mutex_init(&t.mu, NULL);
	pthread_cond_init(&t.idle, NULL);
	if (fetch_global_init() != ERR_OK)
		return 1;
	if (!setup(&t, &cfg))
		goto out;
	rc = 1;
	if (fetcher_start(t.f) != ERR_OK)
		goto out;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_word(&t, argv[i]);
	} else {
		run_stdin(&t);
	}
	wait_idle(&t);
	rc = 0;
out:
	fetcher_free(t.f);
	for (size_t i = 0; i < t.nheaders; i++)
		xfree(t.header_copies[i]);
	xfree(t.post);
	cfg_release(&cfg);
	fetch_global_cleanup();
	pthread_cond_destroy(&t.idle);
	pthread_mutex_destroy(&t.mu);
	return rc;
}
