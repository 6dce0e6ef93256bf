/*
 * metrics.h - Prometheus metrics: one table, lock-free updates, text exposition.
 *
 * Every metric medley exports is a row of METRICS_TABLE below. The row
 * generates the id (enum metrics_id), the "# HELP" and "# TYPE" lines of the
 * /metrics page and the reference table of docs/metrics.md; a unit test fails
 * when that file and the table disagree. Adding a metric is adding a row:
 * no other code renders it.
 *
 * Labels. A metric has at most two label dimensions, each a row of
 * METRICS_DIM_TABLE, and every dimension is a bounded set, so a label value is
 * never a raw path, ID or upstream string. A dimension is one of:
 *   REGISTERED  names given once at start-up (the router's route names, the
 *               build's version and commit), at most `cap` of them;
 *   STATIC      a compile-time list of names that doubles as an enum;
 *   STATUS      an HTTP status code, 100..599.
 * Callers pass label values as small integers: the index in a REGISTERED set,
 * the enum value of a STATIC set, the status itself for STATUS, and 0 for an
 * absent dimension. A value outside its set is counted under the dimension's
 * fallback name when it has one (routes fall back to "unknown" if the router
 * registered that name) and dropped otherwise; either way
 * medley_metrics_label_errors_total goes up by one. Nothing crashes.
 * Series with a STATUS label appear once they are non-zero; the others are
 * always emitted, zeros included, so rate() sees each series from its start.
 *
 * Values. Counters are uint64 and gauges int64, one atomic cell per series. A
 * histogram series is an atomic count per bucket (plus +Inf) and an atomic
 * sum, all integers (microseconds for durations) and shown in the bucket
 * layout's unit (seconds). Rows whose source is PROC are not stored: they are
 * read from /proc when the page is rendered and left out when that fails.
 *
 * Adding a metric labeled by a new fixed set, e.g. provider outcomes:
 *
 *	#define METRICS_OUTCOME_VALUES(X) \
 *		X(METRICS_OUTCOME_OK, "ok") X(METRICS_OUTCOME_TIMEOUT, "timeout")
 *	enum metrics_outcome { METRICS_OUTCOME_VALUES(METRICS_VALUE_ENUM) };
 *	dimension row: X(OUTCOME, "outcome", STATIC, 0, METRICS_OUTCOME_VALUES, NULL)
 *	metric row:    X(PROVIDER_FETCHES, "medley_provider_fetches_total", COUNTER,
 *	                 PROVIDER, OUTCOME, CELL, "Provider fetches, by outcome.")
 *	caller:        metrics_counter_add_at(METRICS_PROVIDER_FETCHES, prov,
 *	                                      METRICS_OUTCOME_TIMEOUT, 1);
 *
 * and a row of docs/metrics.md (the unit test prints it). A REGISTERED
 * dimension instead gets its names from metrics_register_values().
 *
 * Threading. metrics_init(), metrics_register_values(),
 * metrics_set_build_info() and metrics_reset() set the module up: call them
 * before starting threads, never concurrently with any other call here. After
 * that every function is thread-safe. Updates are relaxed atomic adds or
 * stores, with no lock, no allocation and no failure, so they suit the MHD
 * thread pool; metrics_render() may run concurrently with them and with
 * itself. A scrape racing an observation may see a histogram's _sum one
 * observation ahead of or behind its buckets; _count always equals +Inf.
 */
#ifndef MEDLEY_METRICS_H
#define MEDLEY_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "medley/buf.h"
#include "medley/common.h"
#include "medley/err.h"
#include "medley/outcome.h"
#include "medley/provider_id.h"

/* The Content-Type of metrics_render()'s output (Prometheus text format 0.0.4). */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Expands a STATIC value list to enumerators: enum x { LIST(METRICS_VALUE_ENUM) }. */
#define METRICS_VALUE_ENUM(enumerator, name) enumerator,
/* The value list of a dimension that is not STATIC. */
#define METRICS_NO_VALUES(X)

// clang-format off
/*
 * Label dimensions.
 *   id        METRICS_DIM_<id>, named in METRICS_TABLE rows
 *   label     the Prometheus label name
 *   kind      REGISTERED | STATIC | STATUS (see the top of this file)
 *   cap       most names a REGISTERED set may hold (ignored otherwise)
 *   values    a STATIC set's X(enumerator, "name") list, else METRICS_NO_VALUES
 *   fallback  name that out-of-range values are counted under, or NULL to drop
 */
#define METRICS_DIM_TABLE(X)                                                        \
	X(ROUTE,   "route",   REGISTERED, 64, METRICS_NO_VALUES, "unknown")             \
	X(CODE,    "code",    STATUS,     0,  METRICS_NO_VALUES, NULL)                  \
	X(VERSION, "version", REGISTERED, 1,  METRICS_NO_VALUES, NULL)                  \
	X(COMMIT,  "commit",  REGISTERED, 1,  METRICS_NO_VALUES, NULL)                  \
	X(PROVIDER, "provider", STATIC,   0,  PROVIDER_LIST, NULL)                      \
	X(OUTCOME, "outcome", STATIC,     0,  FETCH_OUTCOME_LIST, NULL)                 \
	X(CACHE_RESULT, "result", STATIC, 0,  METRICS_CACHE_RESULTS, NULL)

/* Values of the cache result label (enum metrics_cache_result). */
#define METRICS_CACHE_RESULTS(X)                                                    \
	X(METRICS_CACHE_HIT,      "hit")      /* fresh copy served */               \
	X(METRICS_CACHE_STALE,    "stale")    /* expired copy served */             \
	X(METRICS_CACHE_MISS,     "miss")     /* fetched from the provider */       \
	X(METRICS_CACHE_NEGATIVE, "negative") /* remembered "not found" served */

/*
 * Histogram bucket layouts: finite upper bounds in integer units, ascending,
 * shown with `decimals` digits moved behind the point (6: microseconds shown
 * as seconds). A +Inf bucket is always added.
 *   LATENCY  0.5 ms .. 10 s, for request and wait durations
 */
#define METRICS_BUCKETS_TABLE(X)                                                    \
	X(LATENCY, 6, (500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000,     \
		       500000, 1000000, 2500000, 5000000, 10000000))

/*
 * The metrics.
 *   id      METRICS_<id>
 *   name    the Prometheus name (counters end in _total, units in the name)
 *   type    COUNTER | GAUGE | HISTOGRAM
 *   dim1/2  label dimensions from METRICS_DIM_TABLE, or NONE (dim2 only if dim1)
 *   src     CELL: stored by the update functions; PROC: read from /proc at
 *           scrape time (metrics_process.c); for a HISTOGRAM, its bucket layout
 *   help    the HELP text, also the description in docs/metrics.md
 */
#define METRICS_TABLE(X)                                                            \
	X(HTTP_REQUESTS, "medley_http_requests_total", COUNTER, ROUTE, CODE, CELL,  \
	  "HTTP requests answered, by route name and status code.")                \
	X(HTTP_DURATION, "medley_http_request_duration_seconds", HISTOGRAM, ROUTE,  \
	  NONE, LATENCY,                                                            \
	  "Time taken to answer HTTP requests, by route name.")                     \
	X(HTTP_IN_FLIGHT, "medley_http_requests_in_flight", GAUGE, NONE, NONE,      \
	  CELL, "HTTP requests being served now, suspended ones included.")         \
	X(DB_POOL_SIZE, "medley_db_pool_size", GAUGE, NONE, NONE, CELL,             \
	  "Database connections open in the pool.")                                 \
	X(DB_POOL_IN_USE, "medley_db_pool_in_use", GAUGE, NONE, NONE, CELL,         \
	  "Database connections lent out of the pool.")                             \
	X(DB_POOL_WAITING, "medley_db_pool_waiting", GAUGE, NONE, NONE, CELL,       \
	  "Threads waiting for a database connection.")                             \
	X(DB_CONNECTION_ERRORS, "medley_db_connection_errors_total", COUNTER, NONE, \
	  NONE, CELL, "Failed attempts to open or reset a database connection.")   \
	X(BUILD_INFO, "medley_build_info", GAUGE, VERSION, COMMIT, CELL,            \
	  "Always 1; the labels give the version and git commit of the binary.")   \
	X(LABEL_ERRORS, "medley_metrics_label_errors_total", COUNTER, NONE, NONE,   \
	  CELL, "Metric updates with an out-of-range label value (a medley bug).") \
	X(PROVIDER_REQUESTS, "medley_provider_requests_total", COUNTER, PROVIDER,  \
	  OUTCOME, CELL, "Upstream fetches finished, by provider and outcome.")      \
	X(PROVIDER_DURATION, "medley_provider_request_duration_seconds", HISTOGRAM, \
	  PROVIDER, NONE, LATENCY,                                                  \
	  "Time from sending a fetch to its last byte, retries included.")          \
	X(PROVIDER_RETRIES, "medley_provider_retries_total", COUNTER, PROVIDER,     \
	  NONE, CELL, "Fetch attempts repeated after a retryable failure.")         \
	X(PROVIDER_RATE_WAIT, "medley_provider_rate_limit_wait_seconds", HISTOGRAM, \
	  PROVIDER, NONE, LATENCY,                                                  \
	  "Time fetches waited for the provider's rate limiter.")                   \
	X(PROVIDER_BREAKER, "medley_provider_breaker_state", GAUGE, PROVIDER, NONE, \
	  CELL, "Circuit breaker: 0 closed, 1 half-open, 2 open.")                  \
	X(PROVIDER_PARSE_ERRORS, "medley_provider_parse_errors_total", COUNTER,     \
	  PROVIDER, NONE, CELL,                                                     \
	  "Upstream answers that could not be parsed; never cached.")               \
	X(CACHE_RESULTS, "medley_cache_results_total", COUNTER, CACHE_RESULT, NONE, \
	  CELL, "Lookups by how the cache answered them.")                          \
	X(SINGLEFLIGHT_COALESCED, "medley_singleflight_coalesced_total", COUNTER,   \
	  NONE, NONE, CELL,                                                         \
	  "Requests that joined a fetch already under way instead of starting one.") \
	X(ENRICH_MERGED_HITS, "medley_enrich_merged_hits_total", COUNTER, NONE,     \
	  NONE, CELL, "Enriched answers served whole from memory, nothing merged.")  \
	X(CACHE_MEMORY_BYTES, "medley_cache_memory_bytes", GAUGE, NONE, NONE, CELL, \
	  "Bytes held by the in-memory layer.")                                     \
	X(CACHE_MEMORY_ENTRIES, "medley_cache_memory_entries", GAUGE, NONE, NONE,   \
	  CELL, "Documents held by the in-memory layer.")                           \
	X(PROCESS_CPU, "process_cpu_seconds_total", COUNTER, NONE, NONE, PROC,      \
	  "Total user and system CPU time spent in seconds.")                       \
	X(PROCESS_OPEN_FDS, "process_open_fds", GAUGE, NONE, NONE, PROC,            \
	  "Number of open file descriptors.")                                       \
	X(PROCESS_MAX_FDS, "process_max_fds", GAUGE, NONE, NONE, PROC,              \
	  "Maximum number of open file descriptors.")                               \
	X(PROCESS_VIRTUAL_MEMORY, "process_virtual_memory_bytes", GAUGE, NONE,      \
	  NONE, PROC, "Virtual memory size in bytes.")                              \
	X(PROCESS_RESIDENT_MEMORY, "process_resident_memory_bytes", GAUGE, NONE,    \
	  NONE, PROC, "Resident memory size in bytes.")                             \
	X(PROCESS_START_TIME, "process_start_time_seconds", GAUGE, NONE, NONE,      \
	  PROC, "Start time of the process since unix epoch in seconds.")
// clang-format on

enum metrics_cache_result {
	METRICS_CACHE_RESULTS(METRICS_VALUE_ENUM)
};

enum metrics_dim {
	METRICS_DIM_NONE,
#define METRICS_DIM_ENUM_ROW(id, label, kind, cap, values, fallback) METRICS_DIM_##id,
	METRICS_DIM_TABLE(METRICS_DIM_ENUM_ROW)
#undef METRICS_DIM_ENUM_ROW
	METRICS_DIM__COUNT
};

enum metrics_id {
#define METRICS_ID_ENUM_ROW(id, name, type, dim1, dim2, src, help) METRICS_##id,
	METRICS_TABLE(METRICS_ID_ENUM_ROW)
#undef METRICS_ID_ENUM_ROW
	METRICS__COUNT
};

/* Set-up (single-threaded; see the top of this file) ----------------------- */

/*
 * Reset every metric and register the router's route names (borrowed, copied)
 * as the values of the route label; route index i is route_names[i]. Register
 * "unknown" among them to have out-of-range indexes counted there. Call once
 * before starting threads; calling it again starts over (handy in tests).
 * Errors: ERR_INVALID_ARGUMENT for a NULL, empty or duplicate name,
 * ERR_TOO_LARGE past the ROUTE cap of METRICS_DIM_TABLE (both logged); the
 * route set is then empty. Does not block.
 */
MUST_CHECK enum err metrics_init(const char *const *route_names, size_t n);

/*
 * Give REGISTERED dimension dim its n names (borrowed, copied). Errors as for
 * metrics_init(), plus ERR_INVALID_ARGUMENT if dim is not REGISTERED or
 * already has names (metrics_reset() clears them).
 */
MUST_CHECK enum err metrics_register_values(enum metrics_dim dim, const char *const *names,
					    size_t n);

/*
 * Set medley_build_info{version, commit} to 1. Both strings are borrowed and
 * copied; NULL or "" shows as "unknown". A second call replaces the labels.
 */
void metrics_set_build_info(const char *version, const char *commit);

/* Zero every metric and forget every registered name (frees the copies). */
void metrics_reset(void);

/* Updates (thread-safe, lock-free, never block, never fail) ---------------- */

/*
 * Count one answered request and its duration: route is an index into the
 * names given to metrics_init(), status the HTTP status, duration_us the time
 * taken (negative counts as 0). Out-of-range values: see the top of this file.
 */
void metrics_http_observe(size_t route, unsigned status, int64_t duration_us);

/* Add delta (+1 on arrival, -1 once answered) to the in-flight gauge. */
void metrics_inflight_add(int delta);

/*
 * Generic updates. id must name a CELL row of the right type (COUNTER for
 * counter_add, GAUGE for gauge_*, HISTOGRAM for histogram_observe); the
 * unlabeled forms also need a row without labels. A wrong id is a programmer
 * error and fails an assert. l1 and l2 are the label values for dim1 and dim2
 * (0 where the row has none); a histogram value is in the layout's integer
 * unit (microseconds for LATENCY).
 */
void metrics_counter_add(enum metrics_id id, uint64_t n);
void metrics_counter_add_at(enum metrics_id id, unsigned l1, unsigned l2, uint64_t n);
void metrics_gauge_set(enum metrics_id id, int64_t value);
void metrics_gauge_set_at(enum metrics_id id, unsigned l1, unsigned l2, int64_t value);
void metrics_gauge_add(enum metrics_id id, int64_t delta);
void metrics_histogram_observe_at(enum metrics_id id, unsigned l1, unsigned l2, uint64_t value);

/* Output ------------------------------------------------------------------- */

/*
 * Append the whole exposition (text format 0.0.4, METRICS_CONTENT_TYPE) to
 * out, which stays the caller's. Reads /proc (fast, local, but a system call
 * or four). Errors: ERR_TOO_LARGE when out hit its cap (its contents are then
 * incomplete); a /proc read that fails only drops that process_* metric.
 */
MUST_CHECK enum err metrics_render(struct buf *out);

/*
 * Append the reference table of docs/metrics.md (Markdown: name, type, labels,
 * help; one line per row of METRICS_TABLE) to out. The unit test keeps the
 * file equal to it. Thread-safe, does not block.
 */
void metrics_docs_render(struct buf *out);

/* Process metrics (metrics_process.c); exposed for metrics.c and tests ------ */

/* The fields of /proc/self/stat that the process_* metrics use. */
struct metrics_proc_stat {
	uint64_t utime_ticks;	  /* field 14, clock ticks */
	uint64_t stime_ticks;	  /* field 15 */
	uint64_t starttime_ticks; /* field 22, ticks after boot */
	uint64_t vsize_bytes;	  /* field 23 */
	uint64_t rss_pages;	  /* field 24 */
};

/*
 * Parse the text of /proc/<pid>/stat (borrowed, NUL-terminated) into *out.
 * The command name may hold spaces and parentheses. Pure and thread-safe.
 * Errors: ERR_INVALID_ARGUMENT when the text is short or malformed.
 */
MUST_CHECK enum err metrics_proc_stat_parse(const char *text, struct metrics_proc_stat *out);

/* One reading of the PROC rows: value[id] is meaningful where have[id]. */
struct metrics_proc_values {
	double value[METRICS__COUNT];
	bool have[METRICS__COUNT];
};

/*
 * Read every PROC row of METRICS_TABLE from /proc/self, /proc/stat and
 * getrlimit() into *out (caller-owned). A source that cannot be read leaves
 * its rows' have[] false. Thread-safe; blocks only on procfs reads.
 */
void metrics_process_read(struct metrics_proc_values *out);

#endif
