/*
 * config.h - medley's configuration: one struct mirroring the YAML file.
 *
 * cfg_load() reads the YAML file with libcyaml, applies the defaults, then
 * the environment (MEDLEY_<SECTION>_<KEY>, and MEDLEY_<SECTION>_<KEY>_FILE
 * naming a file that holds the value, for secrets), then validates. It
 * reports every problem it finds, each with its YAML path, not just the
 * first. After start-up the config is frozen: modules receive the const
 * section they need and never read a global.
 *
 * Every key is documented in docs/configuration.md and etc/medley.yaml; a
 * unit test loads etc/medley.yaml so the sample never rots.
 *
 * Thread-safety: cfg_load() is not reentrant (it reads the environment);
 * a loaded struct config is immutable and may be read from any thread.
 */
#ifndef MEDLEY_CONFIG_H
#define MEDLEY_CONFIG_H

#include <stdbool.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"
#include "medley/log.h"
#include "medley/provider_id.h"

struct config_server {
	char *listen;		  /* address to bind, "127.0.0.1"; "::" or "0.0.0.0" for all */
	int port;		  /* 0..65535; 0 picks a free port (logged at start) */
	int threads;		  /* MHD thread-pool size, >= 2 */
	int max_connections;	  /* concurrent connections */
	int connection_timeout_s; /* idle keep-alive connection timeout */
	long max_body_bytes;	  /* request body cap (413 past it) */
	long max_url_bytes;	  /* request target cap (414 past it) */
	long max_header_bytes;	  /* total header bytes cap (431 past it) */
	int shutdown_grace_s;	  /* how long in-flight requests may finish on SIGTERM */
	int request_timeout_ms;	  /* deadline of a request that waits for providers */
	int drain_s;		  /* after SIGTERM: keep accepting this long, /ready 503 */
	char *trusted_proxies;	  /* CIDR list (proxy.h) whose X-Forwarded-* are honoured */
};

struct config_database {
	char *url;		/* libpq URL or conninfo; "" = libpq defaults (PG* env). Secret. */
	char *read_url;		/* replica for cache reads; "" = use url. Secret. */
	int pool_size;		/* max connections */
	int connect_timeout_ms; /* per connection attempt */
	int statement_timeout_ms; /* set on every session */
	int acquire_timeout_ms;	  /* wait for a free pooled connection */
	bool migrate_on_start;	  /* apply migrations when serve starts */
	bool transaction_pooling; /* behind PgBouncer pool_mode=transaction: nothing per session */
};

struct config_log {
	enum log_level level;
	enum log_format format;
};

/* Freshness of cached documents, per kind, and the in-memory layer. */
struct config_cache {
	long memory_bytes; /* in-memory layer cap; 0 turns it off */
	int artist_ttl_s;  /* fresh for this long after fetching */
	int release_group_ttl_s;
	int release_ttl_s;
	int recording_ttl_s;
	int browse_ttl_s; /* an artist's release groups, one page */
	int search_ttl_s;
	int not_found_ttl_s;	      /* "MusicBrainz does not know this id" */
	int stale_while_revalidate_s; /* past the TTL: serve at once and refresh */
	int stale_if_error_s;	      /* past the TTL: serve when a refresh fails */
	int lease_ms;		      /* cross-instance single-flight lease */
};

/* One upstream provider: where it is and how politely to ask it. */
/*
 * A provider's rate limit holds per process (local, the default) or across
 * every instance sharing the database (cluster: the bucket is a row in
 * PostgreSQL, see docs/fetch.md), for replicas behind one NAT address.
 */
enum rate_scope {
	RATE_SCOPE_LOCAL,
	RATE_SCOPE_CLUSTER,
};

struct config_provider {
	bool enabled;
	char *base_url;		    /* e.g. "https://musicbrainz.org/ws/2", no trailing '/' */
	double rate_per_s;	    /* token-bucket average */
	int burst;		    /* token-bucket depth */
	int concurrency;	    /* requests in flight at once */
	int timeout_ms;		    /* one attempt, connect to last byte */
	int retries;		    /* extra attempts after a retryable failure */
	char *user_agent;	    /* "" = "medley/<version> ( <contact> )" */
	char *proxy;		    /* curl proxy URL; "" = none */
	long max_body_bytes;	    /* response body cap */
	int breaker_failures;	    /* consecutive failures that open the breaker */
	int breaker_open_ms;	    /* how long it stays open before a probe */
	int max_queue;		    /* requests waiting for the rate limiter */
	enum rate_scope rate_scope; /* whose bucket: this process's or the cluster's */
	int ttl_s;		    /* the provider's documents stay fresh this long */
	/* Credentials and extra endpoints; only some providers have these keys. */
	char *api_key;	     /* Last.fm, fanart.tv, TheAudioDB key; Discogs token */
	char *client_id;     /* Spotify client id; fanart.tv personal client key */
	char *client_secret; /* Spotify client secret */
	char *auth_url;	     /* Spotify: the client-credentials token endpoint */
	char *wikipedia_url; /* Wikidata: Wikipedia's base, "{lang}" replaced */
};

/* One block per provider_id.h row, in the same order (cfg_provider() relies on it). */
struct config_providers {
	struct config_provider musicbrainz;
	struct config_provider coverartarchive;
	struct config_provider deezer;
	struct config_provider itunes;
	struct config_provider discogs;
	struct config_provider lrclib;
	struct config_provider lastfm;
	struct config_provider spotify;
	struct config_provider fanarttv;
	struct config_provider theaudiodb;
	struct config_provider wikidata;
};

/* Enrichment by the other providers (enrich.h). */
struct config_enrich {
	char *default_include;		 /* include= when a lookup gives none: "images,biography" */
	double match_threshold;		 /* least score of a search match (match.h) */
	int match_duration_tolerance_ms; /* two lengths of one recording differ by at most */
};

struct config {
	char *contact; /* operator's email or URL for User-Agents; MusicBrainz requires one */
	struct config_server server;
	struct config_database database;
	struct config_log log;
	struct config_cache cache;
	struct config_enrich enrich;
	struct config_providers providers;
};

/*
 * Fill cfg with the built-in defaults (no file, no environment). cfg is
 * overwritten, not released; it then owns copies of the default strings,
 * so release it with cfg_release(). Never fails.
 */
void cfg_init_defaults(struct config *cfg);

/*
 * Load path (or only defaults and environment when path is NULL), apply the
 * environment and validate. On success fills *out (release it with
 * cfg_release()). On failure appends one line per problem to errors, each
 * starting with the YAML path ("server.port: ..."), leaves *out released,
 * and returns ERR_CONFIG (bad content) or ERR_IO (unreadable file).
 *
 * Problems from the environment start with the variable's name instead
 * ("MEDLEY_SERVER_PORT: ..."); an unreadable MEDLEY_*_FILE is ERR_CONFIG,
 * reported with the others. Values of secret keys are never echoed. *out
 * need not be initialised; path and errors are borrowed. Blocks on reading
 * the files.
 */
MUST_CHECK enum err cfg_load(const char *path, struct config *out, struct buf *errors);

/* Free the strings cfg holds; cfg_release() on a zeroed struct is a no-op. */
void cfg_release(struct config *cfg);

/*
 * Append the effective configuration as YAML, secrets redacted: the
 * password in database.url (URI or key=value form) becomes ***. The layout
 * is that of etc/medley.yaml, and without secrets the output loads back to
 * an equal config.
 */
void cfg_print(const struct config *cfg, struct buf *out);

/*
 * Append the reference of every key as a Markdown table (key, type,
 * default, allowed values, environment variable, description), generated
 * from the key table; docs/configuration.md embeds it and a unit test keeps
 * the two equal.
 */
void cfg_print_reference(struct buf *out);

/* The block of provider id in cfg (borrowed), or NULL outside the list. */
const struct config_provider *cfg_provider(const struct config *cfg, enum provider_id id);

#endif
