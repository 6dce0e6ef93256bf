/*
 * serve.c - start, run and stop the service (see serve.h).
 *
 * The main thread owns the lifecycle and waits for signals with sigwait();
 * a "bootstrap" thread applies migrations with backoff until the database
 * answers. Nothing here handles requests: that is http.c and the handlers.
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "medley/agg.h"
#include "medley/app.h"
#include "medley/clock.h"
#include "medley/db.h"
#include "medley/enrich.h"
#include "medley/fetch.h"
#include "medley/http.h"
#include "medley/log.h"
#include "medley/lru.h"
#include "medley/merge.h"
#include "medley/metrics.h"
#include "medley/migrate.h"
#include "medley/rategate.h"
#include "medley/routes.h"
#include "medley/serve.h"
#include "medley/version.h"

struct bootstrap {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	_Atomic int exit_code; /* set when the service must not go on */
};

/* Sleep up to ms, or less when told to stop; true if told to stop. */
static bool bootstrap_sleep(struct bootstrap *b, int ms)
{
	struct timespec until;
	bool stop;

	clock_deadline_in(CLOCK_MONOTONIC, ms, &until);
	pthread_mutex_lock(&b->lock);
	while (!b->stop && pthread_cond_timedwait(&b->wake, &b->lock, &until) == 0)
		;
	stop = b->stop;
	pthread_mutex_unlock(&b->lock);
	return stop;
}

/* Apply migrations, retrying with backoff while the database is unreachable. */
static void *bootstrap_main(void *arg)
{
	struct bootstrap *b = arg;
	int delay_ms = 250;

	for (;;) {
		enum err e = migrate_apply(b->app->pool);

		if (e == ERR_OK)
			return NULL;
		if (e == ERR_MIGRATION_EDITED) {
			log_error("refusing to serve: the database schema does not match this "
				  "binary");
			atomic_store(&b->exit_code, EXIT_SCHEMA_REFUSED);
			kill(getpid(), SIGTERM);
			return NULL;
		}
		log_warn("cannot apply migrations yet (%s); retrying in %d ms", err_str(e),
			 delay_ms);
		if (bootstrap_sleep(b, delay_ms))
			return NULL;
		delay_ms = delay_ms * 2 > 10000 ? 10000 : delay_ms * 2;
	}
}

static void bootstrap_init(struct bootstrap *b)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&b->lock, NULL);
	pthread_condattr_init(&attr);
	/* bootstrap_sleep() computes its deadline on the monotonic clock. */
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&b->wake, &attr);
	pthread_condattr_destroy(&attr);
}

static void bootstrap_stop(struct bootstrap *b)
{
	pthread_mutex_lock(&b->lock);
	b->stop = true;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
}

/* Block the termination signals in this and every later thread. */
static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
}

static void log_listening(const struct config *cfg, int port)
{
	struct log_line l;

	if (!log_begin(&l, LOG_INFO, "listening"))
		return;
	log_str(&l, "address", cfg->server.listen);
	log_int(&l, "port", port);
	log_int(&l, "threads", cfg->server.threads);
	log_str(&l, "version", version_string());
	log_int(&l, "pid", (long long)getpid());
	log_end(&l);
}

/* What answers metadata requests: the memory layer, the fetchers, the aggregator. */
struct services {
	struct db_pool *read_pool; /* database.read_url, or NULL: reads use the primary */
	struct lru *lru;
	struct fetcher *fetchers[PROVIDER__COUNT]; /* NULL: not running */
	struct rategate *gates[PROVIDER__COUNT];   /* rate_scope: cluster, else NULL */
	struct agg *agg;
	struct enrich *enrich;
};

/* Is provider id wanted: MusicBrainz always, another when an adapter can use it. */
static bool wanted(const struct config *cfg, enum provider_id id)
{
	const struct config_provider *p = cfg_provider(cfg, id);

	if (id == PROVIDER_MUSICBRAINZ)
		return true;
	for (size_t i = 0; enrich_adapters[i]; i++) {
		const struct enrich_adapter *ad = enrich_adapters[i];

		if (ad->id == id)
			return p->enabled && !(ad->disabled && ad->disabled(p));
	}
	return false;
}

/*
 * Provider id's fetcher, or NULL when it is not wanted or disabled. False:
 * it must not run (logged): MusicBrainz refuses to start without a contact.
 */
static bool start_fetcher(const struct config *cfg, struct db_pool *pool, enum provider_id id,
			  struct fetcher **out, struct rategate **gate)
{
	const struct config_provider *p = cfg_provider(cfg, id);
	bool mb = id == PROVIDER_MUSICBRAINZ;
	const char *why = NULL;
	struct buf ua;
	bool ok = false;

	*out = NULL;
	if (!p->enabled && mb)
		log_warn("MusicBrainz is disabled: only cached documents can be served");
	if (!p->enabled || !wanted(cfg, id))
		return true;
	buf_init(&ua, 1024);
	if (fetch_user_agent(cfg->contact, p, mb, &ua, &why) != ERR_OK)
		log_error("refusing to start: %s User-Agent: %s (MEDLEY_CONTACT)",
			  provider_name(id), why);
	else if (fetcher_new(id, p, ua.data, out) == ERR_OK)
		ok = true;
	if (ok && p->rate_scope == RATE_SCOPE_CLUSTER) {
		ok = rategate_new(pool, id, p->rate_per_s, p->burst, gate) == ERR_OK;
		if (ok)
			fetcher_set_gate(*out, rategate_gate(*gate));
	}
	ok = ok && fetcher_start(*out) == ERR_OK;
	buf_release(&ua);
	return ok;
}

static bool services_start(const struct config *cfg, struct app *app, struct services *s)
{
	struct agg_deps deps;
	struct enrich_deps edeps;
	const char *why = NULL;
	unsigned include;

	if (merge_parse_include(cfg->enrich.default_include, &include, &why) != ERR_OK) {
		log_error("refusing to start: enrich.default_include: %s", why);
		return false;
	}
	if (cfg->database.read_url[0]) {
		struct config_database rcfg = cfg->database;

		rcfg.url = cfg->database.read_url;
		if (db_pool_new(&rcfg, "medley-read", &s->read_pool) != ERR_OK)
			return false;
	}
	s->lru = lru_new((size_t)cfg->cache.memory_bytes);
	for (int id = 0; id < PROVIDER__COUNT; id++)
		if (!start_fetcher(cfg, app->pool, (enum provider_id)id, &s->fetchers[id],
				   &s->gates[id]))
			return false;
	deps = (struct agg_deps){.cfg = cfg,
				 .pool = app->pool,
				 .read_pool = s->read_pool ? s->read_pool : app->pool,
				 .lru = s->lru,
				 .mb = s->fetchers[PROVIDER_MUSICBRAINZ]};
	if (agg_new(&deps, &s->agg) != ERR_OK || agg_start(s->agg) != ERR_OK)
		return false;
	app->agg = s->agg;
	edeps = (struct enrich_deps){
		.cfg = cfg, .pool = app->pool, .read_pool = deps.read_pool, .lru = s->lru};
	memcpy(edeps.fetchers, s->fetchers, sizeof(edeps.fetchers));
	if (enrich_new(&edeps, &s->enrich) != ERR_OK || enrich_start(s->enrich) != ERR_OK)
		return false;
	app->enrich = s->enrich;
	return true;
}

/*
 * Fetchers first (their last callbacks fail, which ends enrichment jobs),
 * then the enrichment timer and the aggregator answer what waits.
 */
static void services_stop(struct services *s)
{
	for (int id = 0; id < PROVIDER__COUNT; id++)
		fetcher_stop(s->fetchers[id]);
	enrich_stop(s->enrich);
	agg_stop(s->agg);
}

static void services_free(struct services *s)
{
	enrich_free(s->enrich);
	agg_free(s->agg);
	for (int id = 0; id < PROVIDER__COUNT; id++) {
		fetcher_free(s->fetchers[id]);
		rategate_free(s->gates[id]);
	}
	lru_free(s->lru);
	db_pool_free(s->read_pool);
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

/*
 * The drain: keep accepting and serving for drain_s while /ready says 503,
 * so load balancers take this instance out before it stops accepting. A
 * second signal ends it early.
 */
static void drain_accepting(int drain_s, const sigset_t *set)
{
	int64_t deadline_us = clock_mono_us() + (int64_t)drain_s * 1000000;
	int64_t left_us;
	int sig;

	log_info("draining: still accepting for %d s with /ready at 503 (signal again to skip)",
		 drain_s);
	while ((left_us = deadline_us - clock_mono_us()) > 0) {
		struct timespec ts = {.tv_sec = (time_t)(left_us / 1000000),
				      .tv_nsec = (long)(left_us % 1000000) * 1000};

		sig = sigtimedwait(set, NULL, &ts);
		if (sig > 0) {
			log_info("received %s during the drain; skipping the rest of it",
				 signal_name(sig));
			return;
		}
		/* -1: EAGAIN (time is up, the loop ends) or EINTR (wait again) */
	}
	log_info("drain over after %d s", drain_s);
}

/*
 * Wait for SIGTERM/SIGINT, then drain and stop everything that serves. When
 * the bootstrap thread sent the signal (schema refused) there is no drain.
 */
static void run_until_signal(const struct config *cfg, struct app *app, struct http_server *srv,
			     struct services *svc, struct bootstrap *boot, const sigset_t *set)
{
	int sig = 0;

	while (sigwait(set, &sig) != 0)
		;
	log_info("received %s; draining (drain %d s, grace %d s)", signal_name(sig),
		 cfg->server.drain_s, cfg->server.shutdown_grace_s);
	atomic_store(&app->draining, true);
	if (cfg->server.drain_s > 0 && atomic_load(&boot->exit_code) == EXIT_OK_)
		drain_accepting(cfg->server.drain_s, set);
	http_quiesce(srv);
	log_info("no longer accepting connections; %d requests in flight, grace %d s",
		 http_inflight(srv), cfg->server.shutdown_grace_s);
	if (!http_drain(srv, cfg->server.shutdown_grace_s * 1000))
		log_warn("grace of %d s over with %d requests in flight; answering them now",
			 cfg->server.shutdown_grace_s, http_inflight(srv));
	services_stop(svc);
	http_stop(srv, 3000); /* time to send what services_stop() answered */
}

static bool init_metrics(void)
{
	const char *names[64];

	assert(routes_count < ARRAY_SIZE(names));
	routes_names(names);
	if (metrics_init(names, routes_count + 1) != ERR_OK) {
		log_error("cannot register %zu routes as metric labels", routes_count + 1);
		return false;
	}
	metrics_set_build_info(version_string(), version_commit());
	return true;
}

int serve_run(const struct config *cfg)
{
	struct app app = {.cfg = cfg, .started_mono_us = clock_mono_us()};
	struct bootstrap boot = {.app = &app, .exit_code = EXIT_OK_};
	struct services svc = {0};
	struct http_server *srv = NULL;
	sigset_t set;
	int code = EXIT_RUNTIME;

	block_signals(&set);
	if (!init_metrics())
		return EXIT_RUNTIME;
	if (db_pool_new(&cfg->database, "medley", &app.pool) != ERR_OK)
		return EXIT_USAGE;
	if (!services_start(cfg, &app, &svc)) {
		code = EXIT_USAGE;
		goto out;
	}
	if (http_start(&cfg->server, routes_table, routes_count, &app, &srv) != ERR_OK)
		goto out;
	log_listening(cfg, http_port(srv));
	bootstrap_init(&boot);
	if (cfg->database.migrate_on_start &&
	    pthread_create(&boot.thread, NULL, bootstrap_main, &boot) != 0) {
		log_error("cannot start the migration thread");
		http_stop(srv, 0);
		goto out;
	}
	run_until_signal(cfg, &app, srv, &svc, &boot, &set);
	if (cfg->database.migrate_on_start)
		bootstrap_stop(&boot);
	pthread_cond_destroy(&boot.wake);
	pthread_mutex_destroy(&boot.lock);
	code = atomic_load(&boot.exit_code);
	log_info("stopped");
out:
	services_stop(&svc);
	services_free(&svc);
	db_pool_free(app.pool);
	return code;
}
