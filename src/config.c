/*
 * config.c - medley's configuration: the key table and everything it drives.
 *
 * One table, keys[], lists every key once: its YAML path (which is also its
 * struct config member), type, default, allowed range, whether it is a
 * secret, and a line of help. The defaults, the conversion and range check
 * of every value wherever it comes from (YAML file, MEDLEY_* variable,
 * MEDLEY_*_FILE), cfg_print() and the reference table of
 * docs/configuration.md (cfg_print_reference()) are all loops over it, so a
 * new key is one row (plus its line in etc/medley.yaml and the docs).
 *
 * It does not parse YAML (config_yaml.c, the only user of libcyaml), and it
 * does not decide what a value means to the module that uses it.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config_int.h"
#include "medley/config.h"
#include "medley/proxy.h"
#include "medley/xalloc.h"

#define CFG_FILE_MAX (1024 * 1024) /* a config file is small; refuse more */
#define VALUE_FILE_MAX (64 * 1024) /* a MEDLEY_*_FILE secret is smaller still */
#define ENV_NAME_MAX 128
#define ECHO_MAX 80 /* bytes of a bad value quoted back in a message */
#define KIB 1024L
#define MIB (1024L * 1024L)

enum key_type {
	KT_STR,
	KT_INT,
	KT_LONG,
	KT_BOOL,
	KT_ENUM,
	KT_DOUBLE
};

struct key {
	const char *path;	      /* YAML path = struct config member: "server.port" */
	enum key_type type;	      /* how the member is stored: char *, int, long, bool, enum */
	size_t offset;		      /* of the member in struct config */
	const char *def;	      /* default, as text, converted like any other value */
	double dmin, dmax;	      /* KT_DOUBLE: inclusive range */
	long long min, max;	      /* KT_INT, KT_LONG: inclusive range */
	const char *const *names;     /* KT_ENUM: NULL-terminated, index = enum value */
	bool (*valid)(const char *s); /* KT_STR: extra check, or NULL for any string */
	/* KT_STR: a check that says why (into why, size bytes), or NULL. */
	bool (*check)(const char *s, char *why, size_t size);
	const char *what; /* KT_STR with valid or check: "must be <what>" */
	bool secret;	  /* never echoed; printed through redact */
	void (*redact)(struct buf *out, const char *s); /* NULL: "***" unless empty */
	const char *help;				/* one line for the docs */
};

_Static_assert(sizeof(enum log_level) == sizeof(int), "KT_ENUM stores an int");
_Static_assert(sizeof(enum log_format) == sizeof(int), "KT_ENUM stores an int");
_Static_assert(sizeof(enum rate_scope) == sizeof(int), "KT_ENUM stores an int");

static const char *const level_names[] = {"debug", "info", "warn", "error", NULL};
static const char *const format_names[] = {"json", "text", NULL};
static const char *const scope_names[] = {"local", "cluster", NULL};

static bool is_ip_literal(const char *s);
static bool is_proxy_list(const char *s, char *why, size_t size);
static bool is_http_url(const char *s);
static void redact_conninfo(struct buf *out, const char *s);

/*
 * Row makers. The member m gives the YAML path (#m) and its offset; the
 * _Generic refuses to compile when the member's C type does not match the
 * row's type. Numeric, boolean and enum defaults are written bare and
 * stringized; string defaults are string literals.
 */
// clang-format off
#define MEMBER_(m) (((struct config *)0)->m)
#define OFFSET_(m, T) _Generic(MEMBER_(m), T: offsetof(struct config, m))
#define K_STR(m, def_, valid_, what_, help_) \
	{ .path = #m, .type = KT_STR, .offset = OFFSET_(m, char *), .def = def_, \
	  .valid = valid_, .what = what_, .help = help_ }
#define K_STR_CHECK(m, def_, check_, what_, help_) \
	{ .path = #m, .type = KT_STR, .offset = OFFSET_(m, char *), .def = def_, \
	  .check = check_, .what = what_, .help = help_ }
#define K_SECRET(m, def_, redact_, help_) \
	{ .path = #m, .type = KT_STR, .offset = OFFSET_(m, char *), .def = def_, \
	  .secret = true, .redact = redact_, .help = help_ }
#define K_INT(m, def_, min_, max_, help_) \
	{ .path = #m, .type = KT_INT, .offset = OFFSET_(m, int), .def = #def_, \
	  .min = min_, .max = max_, .help = help_ }
#define K_LONG(m, def_, min_, max_, help_) \
	{ .path = #m, .type = KT_LONG, .offset = OFFSET_(m, long), .def = #def_, \
	  .min = min_, .max = max_, .help = help_ }
#define K_DOUBLE(m, def_, min_, max_, help_) \
	{ .path = #m, .type = KT_DOUBLE, .offset = OFFSET_(m, double), .def = #def_, \
	  .dmin = min_, .dmax = max_, .help = help_ }
#define K_BOOL(m, def_, help_) \
	{ .path = #m, .type = KT_BOOL, .offset = OFFSET_(m, bool), .def = #def_, .help = help_ }
#define K_ENUM(m, T, names_, def_, help_) \
	{ .path = #m, .type = KT_ENUM, .offset = OFFSET_(m, T), .def = #def_, \
	  .names = names_, .help = help_ }

/*
 * One provider's block. Defaults follow the provider's published limits; a
 * provider with other needs (an API key) adds its own rows after the block.
 */
#define K_PROVIDER(p, url_, rate_, burst_, conc_, timeout_, ttl_, what_) \
	K_BOOL  (providers.p.enabled, true, "ask " what_ " at all"), \
	K_STR   (providers.p.base_url, url_, is_http_url, "an http:// or https:// URL", \
		 what_ " API base URL; point it at a mirror or a test server"), \
	K_DOUBLE(providers.p.rate_per_s, rate_, 0.001, 1000.0, \
		 "average requests per second to " what_ " (token bucket)"), \
	K_INT   (providers.p.burst, burst_, 1, 1000, \
		 "token-bucket depth: requests allowed at once after a pause"), \
	K_INT   (providers.p.concurrency, conc_, 1, 64, "requests in flight at once"), \
	K_INT   (providers.p.timeout_ms, timeout_, 100, 120000, \
		 "one attempt, from connecting to the last byte"), \
	K_INT   (providers.p.retries, 2, 0, 10, \
		 "extra attempts after a timeout, connection error or 5xx"), \
	K_STR   (providers.p.user_agent, "", NULL, NULL, \
		 "User-Agent; empty: medley/<version> ( <contact> )"), \
	K_STR   (providers.p.proxy, "", NULL, NULL, "proxy URL for " what_ "; empty: none"), \
	K_LONG  (providers.p.max_body_bytes, 4194304, 1 * KIB, 256 * MIB, \
		 "response body cap; a larger answer is an upstream error"), \
	K_INT   (providers.p.breaker_failures, 5, 1, 1000, \
		 "consecutive failures that open the circuit breaker"), \
	K_INT   (providers.p.breaker_open_ms, 30000, 100, 3600000, \
		 "how long the breaker stays open before one probe"), \
	K_INT   (providers.p.max_queue, 1000, 1, 1000000, \
		 "requests waiting for the rate limiter; more fail at once"), \
	K_ENUM  (providers.p.rate_scope, enum rate_scope, scope_names, local, \
		 "local: the rate holds per process; cluster: across every instance on the database"), \
	K_INT   (providers.p.ttl_s, ttl_, 1, 31536000, \
		 what_ " documents stay fresh this long")
#define K_API_KEY(p, help_) K_SECRET(providers.p.api_key, "", NULL, help_)

/* Keys of one section stay together: cfg_print() opens a section per run. */
static const struct key keys[] = {
	K_STR   (contact, "", NULL, NULL,
		 "your email or URL, sent in User-Agents; MusicBrainz refuses anonymous clients"),

	K_STR   (server.listen, "127.0.0.1", is_ip_literal, "an IPv4 or IPv6 address literal",
		 "address to bind; \"0.0.0.0\" or \"::\" for every interface"),
	K_INT   (server.port, 8080, 0, 65535,
		 "TCP port; 0 picks a free port, which is logged at start"),
	K_INT   (server.threads, 4, 2, 256,
		 "request threads (at least 2: a pool of one stalls libmicrohttpd)"),
	K_INT   (server.max_connections, 1024, 1, 100000,
		 "concurrent connections; more wait in the listen queue"),
	K_INT   (server.connection_timeout_s, 30, 1, 3600,
		 "seconds an idle keep-alive connection is kept open"),
	K_LONG  (server.max_body_bytes, 65536, 0, 64 * MIB,
		 "request body cap; a larger body gets 413"),
	K_LONG  (server.max_url_bytes, 8192, 256, 1 * MIB,
		 "request target cap; a longer one gets 414"),
	K_LONG  (server.max_header_bytes, 16384, 1 * KIB, 1 * MIB,
		 "cap on all request header bytes; past it 431"),
	K_INT   (server.drain_s, 0, 0, 600,
		 "after SIGTERM: seconds to keep serving with /ready at 503 before closing"),
	K_INT   (server.shutdown_grace_s, 10, 0, 600,
		 "seconds in-flight requests may take to finish after SIGTERM"),
	K_INT   (server.request_timeout_ms, 10000, 100, 600000,
		 "deadline of a request waiting for providers: then stale data or 504"),
	K_STR_CHECK(server.trusted_proxies, "", is_proxy_list,
		 "a comma-separated list of IP addresses and CIDRs",
		 "peers whose X-Forwarded-For/-Proto are believed; empty: nobody's"),

	K_SECRET(database.url, "", redact_conninfo,
		 "libpq URL or key=value conninfo; empty: libpq defaults and PG* variables"),
	K_SECRET(database.read_url, "", redact_conninfo,
		 "a read replica for cache reads; empty: read from database.url"),
	K_INT   (database.pool_size, 4, 1, 1000,
		 "most database connections open at once"),
	K_INT   (database.connect_timeout_ms, 5000, 1000, 300000,
		 "per connection attempt; libpq counts whole seconds, hence the minimum"),
	K_INT   (database.statement_timeout_ms, 5000, 1, 3600000,
		 "statement_timeout set on every session"),
	K_INT   (database.acquire_timeout_ms, 2000, 1, 600000,
		 "how long a request waits for a free pooled connection"),
	K_BOOL  (database.migrate_on_start, true,
		 "apply pending migrations when serve starts"),
	K_BOOL  (database.transaction_pooling, false,
		 "the URL is PgBouncer in transaction mode: unnamed statements, no session settings"),

	K_ENUM  (log.level, enum log_level, level_names, info,
		 "least severe level written"),
	K_ENUM  (log.format, enum log_format, format_names, json,
		 "json: JSON lines; text: logfmt"),

	K_LONG  (cache.memory_bytes, 67108864, 0, 64 * 1024 * MIB,
		 "in-memory layer of ready-to-send bodies; 0 turns it off"),
	K_INT   (cache.artist_ttl_s, 86400, 1, 31536000, "artists stay fresh this long"),
	K_INT   (cache.release_group_ttl_s, 86400, 1, 31536000,
		 "release groups stay fresh this long"),
	K_INT   (cache.release_ttl_s, 86400, 1, 31536000, "releases stay fresh this long"),
	K_INT   (cache.recording_ttl_s, 86400, 1, 31536000, "recordings stay fresh this long"),
	K_INT   (cache.browse_ttl_s, 86400, 1, 31536000,
		 "a page of an artist's release groups stays fresh this long"),
	K_INT   (cache.search_ttl_s, 3600, 1, 31536000, "search results stay fresh this long"),
	K_INT   (cache.not_found_ttl_s, 3600, 1, 31536000,
		 "an id MusicBrainz does not know is remembered this long"),
	K_INT   (cache.stale_while_revalidate_s, 86400, 0, 31536000,
		 "past its TTL a copy is served at once while it is refreshed"),
	K_INT   (cache.stale_if_error_s, 2592000, 0, 315360000,
		 "past its TTL a copy is served when refreshing fails"),
	K_INT   (cache.lease_ms, 15000, 100, 600000,
		 "one instance fetches a missing document; others wait this long at most"),

	K_STR   (enrich.default_include, "", NULL, NULL,
		 "sections a lookup gets without include=, e.g. \"images,biography\"; empty: none"),
	K_DOUBLE(enrich.match_threshold, 0.85, 0.5, 1.0,
		 "least score for a provider's search result to be taken as the same entity"),
	K_INT   (enrich.match_duration_tolerance_ms, 3000, 0, 60000,
		 "two lengths of one recording may differ by this much"),

	/* Rates: docs/providers.md gives each default's source. */
	K_PROVIDER(musicbrainz, "https://musicbrainz.org/ws/2", 1.0, 1, 1, 10000, 86400,
		   "MusicBrainz"),
	K_PROVIDER(coverartarchive, "https://coverartarchive.org", 5.0, 10, 4, 10000, 604800,
		   "Cover Art Archive"),
	K_PROVIDER(deezer, "https://api.deezer.com", 8.0, 10, 4, 8000, 86400, "Deezer"),
	K_PROVIDER(itunes, "https://itunes.apple.com", 0.3, 2, 2, 8000, 604800, "iTunes"),
	K_PROVIDER(discogs, "https://api.discogs.com", 0.33, 5, 2, 8000, 604800, "Discogs"),
	K_API_KEY (discogs, "Discogs personal access token; empty: anonymous (25 requests/min)"),
	K_PROVIDER(lrclib, "https://lrclib.net/api", 5.0, 10, 4, 8000, 604800, "LRCLib"),
	K_PROVIDER(lastfm, "https://ws.audioscrobbler.com/2.0", 4.0, 5, 4, 8000, 86400, "Last.fm"),
	K_API_KEY (lastfm, "Last.fm API key; empty: Last.fm is disabled"),
	K_PROVIDER(spotify, "https://api.spotify.com/v1", 2.0, 5, 4, 8000, 86400, "Spotify"),
	K_STR   (providers.spotify.auth_url, "https://accounts.spotify.com/api/token",
		 is_http_url, "an http:// or https:// URL",
		 "Spotify's client-credentials token endpoint"),
	K_SECRET(providers.spotify.client_id, "", NULL,
		 "Spotify client id; empty: Spotify is disabled"),
	K_SECRET(providers.spotify.client_secret, "", NULL, "Spotify client secret"),
	K_PROVIDER(fanarttv, "https://webservice.fanart.tv/v3", 2.0, 4, 4, 8000, 604800,
		   "fanart.tv"),
	K_API_KEY (fanarttv, "fanart.tv project API key; empty: fanart.tv is disabled"),
	K_SECRET(providers.fanarttv.client_id, "", NULL,
		 "fanart.tv personal key (client_key): fresher images; optional"),
	K_PROVIDER(theaudiodb, "https://www.theaudiodb.com/api/v1/json", 0.45, 2, 2, 8000, 604800,
		   "TheAudioDB"),
	K_API_KEY (theaudiodb, "TheAudioDB key; empty: the free test key \"123\" (30 requests/min)"),
	K_PROVIDER(wikidata, "https://www.wikidata.org/w/api.php", 5.0, 1, 1, 8000, 604800,
		   "Wikidata"),
	K_STR   (providers.wikidata.wikipedia_url, "https://{lang}.wikipedia.org", NULL, NULL,
		 "Wikipedia's base URL; {lang} is replaced by the language code"),
};
// clang-format on

#define N_KEYS ARRAY_SIZE(keys)

static void *member(struct config *cfg, const struct key *k)
{
	return (char *)cfg + k->offset;
}

static const void *cmember(const struct config *cfg, const struct key *k)
{
	return (const char *)cfg + k->offset;
}

/* --- conversion and validation ------------------------------------------- */

static bool is_ip_literal(const char *s)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1;
}

static bool is_proxy_list(const char *s, char *why, size_t size)
{
	struct proxy_list l;

	return proxy_list_parse(s, &l, why, size) == ERR_OK;
}

/* Decimal integer, optional sign, nothing else (no spaces, no 0x, no 1_000). */
static bool parse_ll(const char *s, long long *out)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)s[*s == '-' || *s == '+']))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* Finite decimal number, nothing else; *out untouched on failure. */
static bool parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[*s == '-' || *s == '+']) && s[0] != '.')
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool is_http_url(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 && s[7]) || (strncmp(s, "https://", 8) == 0 && s[8]);
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return true;
		}
	}
	return false;
}

static bool parse_enum(const char *const *names, const char *s, int *out)
{
	for (int i = 0; names[i]; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

/* Convert s and store it in k's member; false (member unchanged) if s is invalid. */
static bool store(struct config *cfg, const struct key *k, const char *s)
{
	void *p = member(cfg, k);
	long long n = 0;
	bool ok = false;

	switch (k->type) {
	case KT_STR:
		ok = (!k->valid || k->valid(s)) && (!k->check || k->check(s, NULL, 0));
		if (ok) {
			xfree(*(char **)p);
			*(char **)p = xstrdup(s);
		}
		break;
	case KT_INT:
	case KT_LONG:
		ok = parse_ll(s, &n) && n >= k->min && n <= k->max;
		if (ok && k->type == KT_INT)
			*(int *)p = (int)n;
		else if (ok)
			*(long *)p = (long)n;
		break;
	case KT_BOOL:
		ok = parse_bool(s, p);
		break;
	case KT_ENUM:
		ok = parse_enum(k->names, s, p);
		break;
	case KT_DOUBLE: {
		double d;

		ok = parse_double(s, &d) && d >= k->dmin && d <= k->dmax;
		if (ok)
			*(double *)p = d;
		break;
	}
	}
	return ok;
}

/* What a value of k must be, as in "must be <this>". */
static void describe(const struct key *k, struct buf *b)
{
	switch (k->type) {
	case KT_STR:
		buf_adds(b, k->what ? k->what : "a string");
		break;
	case KT_INT:
	case KT_LONG:
		buf_addf(b, "an integer from %lld to %lld", k->min, k->max);
		break;
	case KT_BOOL:
		buf_adds(b, "a boolean (true/false, yes/no, on/off, 1/0)");
		break;
	case KT_ENUM:
		buf_adds(b, "one of ");
		for (size_t i = 0; k->names[i]; i++)
			buf_addf(b, "%s%s", i ? ", " : "", k->names[i]);
		break;
	case KT_DOUBLE:
		buf_addf(b, "a number from %g to %g", k->dmin, k->dmax);
		break;
	}
}

/* Store s into k, or report "<where>: must be ..., got "s"" (value hidden if secret). */
static bool apply(struct config *cfg, const struct key *k, const char *s, const char *where,
		  struct buf *errors)
{
	size_t len = strlen(s);

	if (store(cfg, k, s))
		return true;
	buf_addf(errors, "%s: must be ", where);
	describe(k, errors);
	if (!k->secret) {
		buf_adds(errors, ", got ");
		buf_add_json_strn(errors, s, len < ECHO_MAX ? len : ECHO_MAX);
		if (len > ECHO_MAX)
			buf_adds(errors, "...");
	}
	if (k->check) {
		char why[256];

		k->check(s, why, sizeof(why));
		buf_addf(errors, ": %s", why);
	}
	buf_addch(errors, '\n');
	return false;
}

/* --- files and the environment ------------------------------------------- */

/* Append the contents of path to b; ERR_IO (*errno_out set) or ERR_TOO_LARGE past b's cap. */
MUST_CHECK static enum err read_file(const char *path, struct buf *b, int *errno_out)
{
	char chunk[4096];
	enum err e = ERR_OK;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*errno_out = errno;
		return ERR_IO;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*errno_out = errno;
			e = ERR_IO;
			break;
		}
		buf_add(b, chunk, (size_t)n);
		if (buf_failed(b)) {
			e = ERR_TOO_LARGE;
			break;
		}
	}
	close(fd);
	return e;
}

/* The value held in the file named by variable var: one trailing newline stripped. */
static bool read_value_file(const char *var, const char *path, char **out, struct buf *errors)
{
	struct buf b;
	int saved = 0;
	enum err e;

	buf_init(&b, VALUE_FILE_MAX);
	e = read_file(path, &b, &saved);
	if (e == ERR_IO) {
		buf_addf(errors, "%s: cannot read '%s': %s\n", var, path, strerror(saved));
	} else if (e != ERR_OK) {
		buf_addf(errors, "%s: '%s' is larger than %d bytes\n", var, path, VALUE_FILE_MAX);
	} else if (strlen(b.data) != b.len) {
		buf_addf(errors, "%s: '%s' contains a NUL byte\n", var, path);
	} else {
		if (b.len && b.data[b.len - 1] == '\n')
			b.data[--b.len] = '\0';
		if (b.len && b.data[b.len - 1] == '\r')
			b.data[--b.len] = '\0';
		*out = buf_detach(&b, NULL);
		return true;
	}
	buf_release(&b);
	return false;
}

/* "MEDLEY_SERVER_PORT" for server.port, with suffix ("" or "_FILE") appended. */
static void env_name(const struct key *k, const char *suffix, char *out, size_t size)
{
	int n = snprintf(out, size, "MEDLEY_%s%s", k->path, suffix);

	assert(n > 0 && (size_t)n < size);
	(void)n;
	for (char *p = out; *p; p++)
		*p = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
}

static bool apply_env(struct config *cfg, const struct key *k, struct buf *errors)
{
	char name[ENV_NAME_MAX], file_name[ENV_NAME_MAX];
	const char *value, *file;
	char *content = NULL;
	bool ok = true;

	env_name(k, "", name, sizeof(name));
	env_name(k, "_FILE", file_name, sizeof(file_name));
	value = getenv(name);
	file = getenv(file_name);
	if (value && file) {
		buf_addf(errors, "%s: set together with %s; set only one of them\n", name,
			 file_name);
		return false;
	}
	if (file)
		ok = read_value_file(file_name, file, &content, errors) &&
		     apply(cfg, k, content, file_name, errors);
	else if (value)
		ok = apply(cfg, k, value, name, errors);
	xfree(content);
	return ok;
}

/* Read and apply the YAML file; ERR_IO only when it cannot be read at all. */
MUST_CHECK static enum err apply_file(struct config *cfg, const char *path, struct buf *errors)
{
	char *values[N_KEYS] = {NULL};
	const char *paths[N_KEYS];
	struct buf text;
	int saved = 0;
	enum err e;

	buf_init(&text, CFG_FILE_MAX);
	e = read_file(path, &text, &saved);
	if (e == ERR_IO) {
		buf_addf(errors, "%s: cannot read: %s\n", path, strerror(saved));
		goto out;
	}
	if (e != ERR_OK) {
		buf_addf(errors, "%s: larger than %d bytes\n", path, CFG_FILE_MAX);
		e = ERR_CONFIG;
		goto out;
	}
	for (size_t i = 0; i < N_KEYS; i++)
		paths[i] = keys[i].path;
	e = cfg_yaml_parse(path, text.data, text.len, paths, N_KEYS, values, errors);
	for (size_t i = 0; i < N_KEYS; i++) {
		if (values[i] && !apply(cfg, &keys[i], values[i], keys[i].path, errors))
			e = ERR_CONFIG;
	}
out:
	for (size_t i = 0; i < N_KEYS; i++)
		xfree(values[i]);
	buf_release(&text);
	return e;
}

/* --- the public functions ------------------------------------------------ */

void cfg_init_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < N_KEYS; i++) {
		bool ok = store(cfg, &keys[i], keys[i].def);

		assert(ok && "a default is outside its own range");
		(void)ok;
	}
}

enum err cfg_load(const char *path, struct config *out, struct buf *errors)
{
	enum err e = ERR_OK;

	cfg_init_defaults(out);
	if (path)
		e = apply_file(out, path, errors);
	if (e == ERR_IO)
		goto out;
	for (size_t i = 0; i < N_KEYS; i++) {
		if (!apply_env(out, &keys[i], errors))
			e = ERR_CONFIG;
	}
out:
	if (e != ERR_OK)
		cfg_release(out);
	return e;
}

void cfg_release(struct config *cfg)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		if (keys[i].type == KT_STR)
			xfree(*(char **)member(cfg, &keys[i]));
	}
	memset(cfg, 0, sizeof(*cfg));
}

/* --- printing ------------------------------------------------------------ */

/* Where a conninfo value starting at v ends: quoted with '...' or up to a space. */
static const char *conninfo_value_end(const char *v)
{
	bool quoted = *v == '\'';

	if (quoted)
		v++;
	while (*v && (quoted ? *v != '\'' : !isspace((unsigned char)*v))) {
		if (*v == '\\' && v[1])
			v++;
		v++;
	}
	return quoted && *v ? v + 1 : v;
}

/* libpq keywords whose values are secrets. */
static bool is_secret_keyword(const char *key, size_t len)
{
	return (len == 8 && memcmp(key, "password", 8) == 0) ||
	       (len == 11 && memcmp(key, "sslpassword", 11) == 0);
}

/* key=value conninfo: every password and sslpassword value becomes ***. */
static void redact_keyword(struct buf *out, const char *s)
{
	static const char space[] = " \t\n\r\f\v";
	const char *p = s;

	while (*(p += strspn(p, space))) {
		const char *key = p, *val;
		size_t key_len = strcspn(p, "= \t\n\r\f\v");

		p += key_len;
		p += strspn(p, space);
		if (*p != '=')
			break; /* not conninfo after all: libpq will refuse it */
		p++;
		val = p + strspn(p, space);
		p = conninfo_value_end(val);
		if (is_secret_keyword(key, key_len) && p > val) {
			buf_add(out, s, (size_t)(val - s));
			buf_adds(out, "***");
			s = p;
		}
	}
	buf_adds(out, s);
}

/*
 * postgresql:// URI: the password between "user:" and the '@' that libpq
 * sees (the first '@' before any '/'), and the values of the password and
 * sslpassword query parameters.
 */
static void redact_uri(struct buf *out, const char *s)
{
	const char *p = strstr(s, "://") + 3, *colon, *q;
	size_t n = strcspn(p, "@/");

	colon = p[n] == '@' ? memchr(p, ':', n) : NULL;
	if (colon && colon + 1 < p + n) {
		buf_add(out, s, (size_t)(colon + 1 - s));
		buf_adds(out, "***");
		s = p + n;
	}
	for (q = strchr(s, '?'); q && *q; q += strcspn(q + 1, "&") + 1) {
		const char *param = q + 1;
		size_t len = strcspn(param, "&"), key_len = strcspn(param, "=&");

		if (param[key_len] == '=' && key_len + 1 < len &&
		    is_secret_keyword(param, key_len)) {
			buf_add(out, s, (size_t)(param + key_len + 1 - s));
			buf_adds(out, "***");
			s = param + len;
		}
	}
	buf_adds(out, s);
}

static void redact_conninfo(struct buf *out, const char *s)
{
	if (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0)
		redact_uri(out, s);
	else
		redact_keyword(out, s);
}

/* Open the sections of path that prev did not; returns path's depth. */
static int print_sections(const char *prev, const char *path, struct buf *out)
{
	const char *last = strrchr(path, '.');
	size_t end, start = 0, plen = last ? (size_t)(last - path) : 0;
	size_t prev_len = strlen(prev);
	bool open = true;
	int depth = 0;

	while (start < plen) {
		const char *dot = memchr(path + start, '.', plen - start);

		end = dot ? (size_t)(dot - path) : plen;
		open = open && prev_len > end && memcmp(prev, path, end) == 0 && prev[end] == '.';
		if (!open)
			buf_addf(out, "%s%*s%.*s:\n", depth == 0 && *prev ? "\n" : "", 2 * depth,
				 "", (int)(end - start), path + start);
		start = end + 1;
		depth++;
	}
	return depth;
}

static void print_value(const struct config *cfg, const struct key *k, struct buf *out)
{
	const void *p = cmember(cfg, k);
	const char *s = k->type == KT_STR ? *(char *const *)p : NULL;
	struct buf r;

	switch (k->type) {
	case KT_STR:
		s = s ? s : "";
		buf_init(&r, 2 * strlen(s) + 16);
		if (k->secret && k->redact)
			k->redact(&r, s);
		else
			buf_adds(&r, k->secret && *s ? "***" : s);
		buf_add_json_str(out, r.data);
		buf_release(&r);
		break;
	case KT_INT:
		buf_addf(out, "%d", *(const int *)p);
		break;
	case KT_LONG:
		buf_addf(out, "%ld", *(const long *)p);
		break;
	case KT_BOOL:
		buf_adds(out, *(const bool *)p ? "true" : "false");
		break;
	case KT_ENUM:
		buf_adds(out, k->names[*(const int *)p]);
		break;
	case KT_DOUBLE:
		buf_addf(out, "%.15g", *(const double *)p);
		break;
	}
}

void cfg_print(const struct config *cfg, struct buf *out)
{
	const char *prev = "";

	for (size_t i = 0; i < N_KEYS; i++) {
		const char *name = strrchr(keys[i].path, '.');
		int depth = print_sections(prev, keys[i].path, out);

		buf_addf(out, "%*s%s: ", 2 * depth, "", name ? name + 1 : keys[i].path);
		print_value(cfg, &keys[i], out);
		buf_addch(out, '\n');
		prev = keys[i].path;
	}
}

void cfg_print_reference(struct buf *out)
{
	static const char *const type_names[] = {
		[KT_STR] = "string",   [KT_INT] = "integer", [KT_LONG] = "integer",
		[KT_BOOL] = "boolean", [KT_ENUM] = "enum",   [KT_DOUBLE] = "number",
	};
	char env[ENV_NAME_MAX];

	buf_adds(out, "| Key | Type | Default | Allowed values | Environment | Description |\n"
		      "|-----|------|---------|----------------|-------------|-------------|\n");
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key *k = &keys[i];

		env_name(k, "", env, sizeof(env));
		buf_addf(out, "| `%s` | %s%s | ", k->path, type_names[k->type],
			 k->secret ? ", secret" : "");
		buf_addf(out, k->type == KT_STR ? "`\"%s\"`" : "`%s`", k->def);
		buf_adds(out, " | ");
		describe(k, out);
		buf_addf(out, " | `%s` | %s |\n", env, k->help);
	}
}

const struct config_provider *cfg_provider(const struct config *cfg, enum provider_id id)
{
	static const size_t offsets[] = {
		[PROVIDER_MUSICBRAINZ] = offsetof(struct config_providers, musicbrainz),
		[PROVIDER_COVERARTARCHIVE] = offsetof(struct config_providers, coverartarchive),
		[PROVIDER_DEEZER] = offsetof(struct config_providers, deezer),
		[PROVIDER_ITUNES] = offsetof(struct config_providers, itunes),
		[PROVIDER_DISCOGS] = offsetof(struct config_providers, discogs),
		[PROVIDER_LRCLIB] = offsetof(struct config_providers, lrclib),
		[PROVIDER_LASTFM] = offsetof(struct config_providers, lastfm),
		[PROVIDER_SPOTIFY] = offsetof(struct config_providers, spotify),
		[PROVIDER_FANARTTV] = offsetof(struct config_providers, fanarttv),
		[PROVIDER_THEAUDIODB] = offsetof(struct config_providers, theaudiodb),
		[PROVIDER_WIKIDATA] = offsetof(struct config_providers, wikidata),
	};
	_Static_assert(ARRAY_SIZE(offsets) == PROVIDER__COUNT, "one block per provider");

	if ((unsigned)id >= PROVIDER__COUNT)
		return NULL;
	return (const struct config_provider *)((const char *)&cfg->providers + offsets[id]);
}
