/*
 * test_metrics.c - unit tests of the metrics module.
 *
 * Covers counter and histogram arithmetic, label escaping, out-of-range label
 * values, registration errors, the shape of every exposition line, exact
 * totals under concurrent updates, the /proc/self/stat parser, and two
 * external checks: the real Prometheus parser (prometheus_client, through
 * Debian's /usr/bin/python3) accepts the page, and docs/metrics.md holds the
 * table that metrics_docs_render() generates. It takes no sleeps and no
 * network; the process_* metrics are read from this test's own /proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "medley/buf.h"
#include "medley/log.h"
#include "medley/metrics.h"
#include "medley/xalloc.h"

#define PYTHON "/usr/bin/python3"

static const char *const routes[] = {"artist.get", "release.get", "unknown"};

enum {
	R_ARTIST,
	R_RELEASE,
	R_UNKNOWN
};

static int setup(void **state)
{
	(void)state;
	return metrics_init(routes, ARRAY_SIZE(routes)) == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	metrics_reset();
	return 0;
}

/* The whole exposition as a string the caller frees with xfree(). */
static char *render(void)
{
	struct buf b;

	buf_init(&b, 4 * 1024 * 1024);
	assert_int_equal(metrics_render(&b), ERR_OK);
	return buf_detach(&b, NULL);
}

/* The value of the sample line "<series> <value>"; false if there is none. */
static bool find_value(const char *text, const char *series, double *out)
{
	size_t n = strlen(series);

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, series, n) && p[n] == ' ') {
			*out = strtod(p + n + 1, NULL);
			return true;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static void assert_value(const char *text, const char *series, double want)
{
	double got;

	if (!find_value(text, series, &got))
		fail_msg("no sample '%s' in:\n%s", series, text);
	if (got != want)
		fail_msg("sample '%s' is %.17g, want %.17g", series, got, want);
}

static void assert_absent(const char *text, const char *series)
{
	double got;

	if (find_value(text, series, &got))
		fail_msg("unexpected sample '%s' (%.17g)", series, got);
}

#define REQ "medley_http_requests_total"
#define DUR "medley_http_request_duration_seconds"
#define LABEL_ERRORS "medley_metrics_label_errors_total"

/* Counters ------------------------------------------------------------------ */

static void test_requests_by_route_and_code(void **state)
{
	static const struct {
		size_t route;
		unsigned status;
		int times;
	} obs[] = {
		{R_ARTIST, 200, 3},  {R_ARTIST, 404, 1}, {R_RELEASE, 500, 2},
		{R_RELEASE, 599, 1}, {R_ARTIST, 100, 1},
	};
	static const struct {
		const char *series;
		double value;
	} want[] = {
		{REQ "{route=\"artist.get\",code=\"200\"}", 3},
		{REQ "{route=\"artist.get\",code=\"404\"}", 1},
		{REQ "{route=\"artist.get\",code=\"100\"}", 1},
		{REQ "{route=\"release.get\",code=\"500\"}", 2},
		{REQ "{route=\"release.get\",code=\"599\"}", 1},
		{DUR "_count{route=\"artist.get\"}", 5},
		{DUR "_count{route=\"release.get\"}", 3},
		{DUR "_count{route=\"unknown\"}", 0},
		{LABEL_ERRORS, 0},
	};
	char *text;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(obs); i++) {
		for (int k = 0; k < obs[i].times; k++)
			metrics_http_observe(obs[i].route, obs[i].status, 1000);
	}
	text = render();
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_value(text, want[i].series, want[i].value);
	/* Only codes that occurred are emitted. */
	assert_absent(text, REQ "{route=\"artist.get\",code=\"500\"}");
	assert_null(strstr(text, REQ "{route=\"unknown\""));
	xfree(text);
}

static void test_unlabeled_counter_and_gauges(void **state)
{
	char *text;

	(void)state;
	metrics_counter_add(METRICS_DB_CONNECTION_ERRORS, 2);
	metrics_counter_add(METRICS_DB_CONNECTION_ERRORS, 3);
	metrics_gauge_set(METRICS_DB_POOL_SIZE, 8);
	metrics_gauge_set(METRICS_DB_POOL_IN_USE, 3);
	metrics_gauge_add(METRICS_DB_POOL_WAITING, -2);
	metrics_inflight_add(1);
	metrics_inflight_add(1);
	metrics_inflight_add(-1);
	text = render();
	assert_value(text, "medley_db_connection_errors_total", 5);
	assert_value(text, "medley_db_pool_size", 8);
	assert_value(text, "medley_db_pool_in_use", 3);
	assert_value(text, "medley_db_pool_waiting", -2);
	assert_value(text, "medley_http_requests_in_flight", 1);
	assert_non_null(strstr(text, "\nmedley_db_pool_waiting -2\n"));
	xfree(text);
}

/* Histograms ----------------------------------------------------------------- */

static void test_histogram_math(void **state)
{
	/* Bounds are inclusive: 500 us lands in le="0.0005". -5 is observed as 0. */
	// clang-format off
	static const int64_t obs_us[] = {
		-5, 0, 500, 501, 999, 1000, 999999, 1000000, 10000000, 10000001, 50000000,
	};
	static const struct {
		const char *le;
		double cumulative;
	} want[] = {
		{"0.0005", 3}, {"0.001", 6}, {"0.0025", 6}, {"0.5", 6}, {"1", 8},
		{"2.5", 8}, {"5", 8}, {"10", 9}, {"+Inf", 11},
	};
	// clang-format on
	int64_t sum = 0;
	char series[128], *text;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(obs_us); i++) {
		metrics_http_observe(R_RELEASE, 200, obs_us[i]);
		sum += obs_us[i] > 0 ? obs_us[i] : 0;
	}
	text = render();
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(series, sizeof(series), DUR "_bucket{route=\"release.get\",le=\"%s\"}",
			 want[i].le);
		assert_value(text, series, want[i].cumulative);
	}
	assert_value(text, DUR "_count{route=\"release.get\"}", 11);
	assert_value(text, DUR "_sum{route=\"release.get\"}", (double)sum / 1e6);
	assert_non_null(strstr(text, DUR "_sum{route=\"release.get\"} 72.003\n"));
	xfree(text);
}

static void test_bucket_labels_in_order(void **state)
{
	// clang-format off
	static const char *const les[] = {
		"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
		"0.25", "0.5", "1", "2.5", "5", "10", "+Inf",
	};
	// clang-format on
	char needle[128], *text;
	const char *p;

	(void)state;
	text = render();
	p = text;
	for (size_t i = 0; i < ARRAY_SIZE(les); i++) {
		snprintf(needle, sizeof(needle), DUR "_bucket{route=\"artist.get\",le=\"%s\"} 0\n",
			 les[i]);
		p = strstr(p, needle);
		if (!p)
			fail_msg("bucket le=\"%s\" missing or out of order", les[i]);
	}
	assert_non_null(strstr(text, DUR "_sum{route=\"artist.get\"} 0\n"));
	xfree(text);
}

/* Labels --------------------------------------------------------------------- */

static void test_label_escaping(void **state)
{
	static const char *const odd[] = {"quote\"d", "back\\slash", "new\nline", "unknown"};
	static const char *const want[] = {
		REQ "{route=\"quote\\\"d\",code=\"200\"} 1\n",
		REQ "{route=\"back\\\\slash\",code=\"200\"} 1\n",
		REQ "{route=\"new\\nline\",code=\"200\"} 1\n",
		"medley_build_info{version=\"1.0\\\"\\n\",commit=\"a\\\\b\"} 1\n",
	};
	char *text;

	(void)state;
	assert_int_equal(metrics_init(odd, ARRAY_SIZE(odd)), ERR_OK);
	for (size_t i = 0; i < 3; i++)
		metrics_http_observe(i, 200, 10);
	metrics_set_build_info("1.0\"\n", "a\\b");
	text = render();
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		if (!strstr(text, want[i]))
			fail_msg("missing escaped line '%s'", want[i]);
	}
	xfree(text);
}

static void test_out_of_range_labels(void **state)
{
	static const char *const no_unknown[] = {"artist.get"};
	static const unsigned bad_status[] = {0, 99, 600, 1000, UINT_MAX};
	char *text;

	(void)state;
	/* A route index past the set is counted under "unknown". */
	metrics_http_observe(99, 200, 10);
	metrics_http_observe(SIZE_MAX, 200, 10);
	/* A status outside 100..599 drops the request count, keeps the duration. */
	for (size_t i = 0; i < ARRAY_SIZE(bad_status); i++)
		metrics_http_observe(R_ARTIST, bad_status[i], 10);
	text = render();
	assert_value(text, REQ "{route=\"unknown\",code=\"200\"}", 2);
	assert_value(text, DUR "_count{route=\"unknown\"}", 2);
	assert_value(text, DUR "_count{route=\"artist.get\"}", 5);
	assert_null(strstr(text, REQ "{route=\"artist.get\""));
	assert_value(text, LABEL_ERRORS, 2 * 2 + 5);
	xfree(text);

	/* Without an "unknown" route, out-of-range indexes are dropped. */
	assert_int_equal(metrics_init(no_unknown, 1), ERR_OK);
	metrics_http_observe(1, 200, 10);
	text = render();
	assert_null(strstr(text, REQ "{"));
	assert_value(text, DUR "_count{route=\"artist.get\"}", 0);
	assert_value(text, LABEL_ERRORS, 2);
	xfree(text);
}

static void test_registration_errors(void **state)
{
	static const char *const empty[] = {"a", ""};
	static const char *const dup[] = {"a", "b", "a"};
	static const char *const with_null[] = {"a", NULL};
	static const char *const one[] = {"x"};
	const char *many[65];
	char many_names[65][8], *text;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

	(void)state;
	assert_true(devnull >= 0);
	log_setup(LOG_INFO, LOG_FORMAT_JSON, devnull); /* the errors below are expected */
	for (size_t i = 0; i < ARRAY_SIZE(many); i++) {
		snprintf(many_names[i], sizeof(many_names[i]), "r%zu", i);
		many[i] = many_names[i];
	}
	assert_int_equal(metrics_init(many, ARRAY_SIZE(many)), ERR_TOO_LARGE);
	assert_int_equal(metrics_init(empty, 2), ERR_INVALID_ARGUMENT);
	assert_int_equal(metrics_init(dup, 3), ERR_INVALID_ARGUMENT);
	assert_int_equal(metrics_init(with_null, 2), ERR_INVALID_ARGUMENT);
	assert_int_equal(metrics_init(NULL, 1), ERR_INVALID_ARGUMENT);
	assert_int_equal(metrics_register_values(METRICS_DIM_CODE, one, 1), ERR_INVALID_ARGUMENT);
	assert_int_equal(metrics_register_values(METRICS_DIM_NONE, one, 1), ERR_INVALID_ARGUMENT);
	/* After a failed init the route set is empty: no series, no crash. */
	metrics_http_observe(0, 200, 1);
	text = render();
	assert_null(strstr(text, DUR "_count{"));
	xfree(text);
	/* A set that already has names must be reset first. */
	assert_int_equal(metrics_init(one, 1), ERR_OK);
	assert_int_equal(metrics_register_values(METRICS_DIM_ROUTE, one, 1), ERR_INVALID_ARGUMENT);
	assert_int_equal(metrics_init(NULL, 0), ERR_OK);
	log_setup(LOG_INFO, LOG_FORMAT_JSON, 2);
	close(devnull);
}

static void test_build_info(void **state)
{
	char *text;

	(void)state;
	text = render();
	assert_non_null(strstr(text, "# TYPE medley_build_info gauge\n"));
	assert_null(strstr(text, "medley_build_info{"));
	xfree(text);
	metrics_set_build_info("0.1.0", "0123456789ab");
	metrics_set_build_info("0.2.0", NULL);
	text = render();
	assert_value(text, "medley_build_info{version=\"0.2.0\",commit=\"unknown\"}", 1);
	assert_null(strstr(text, "0.1.0"));
	xfree(text);
}

/* Exposition format ----------------------------------------------------------- */

static bool is_name(const char *s, size_t n, bool colon)
{
	if (!n || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && !(colon && s[i] == ':'))
			return false;
	}
	return true;
}

/* Check one {label="value",...} set at *p; advance past the '}'. */
static void check_labels(const char **p, const char *line)
{
	const char *s = *p + 1;

	for (;;) {
		const char *eq = strchr(s, '=');

		if (!eq || !is_name(s, (size_t)(eq - s), false) || eq[1] != '"')
			fail_msg("bad label name in '%s'", line);
		for (s = eq + 2; *s != '"'; s++) {
			if (!*s || *s == '\n')
				fail_msg("unterminated label value in '%s'", line);
			if (*s == '\\' && !strchr("\\\"n", *++s))
				fail_msg("bad escape in '%s'", line);
		}
		s++;
		if (*s == '}')
			break;
		if (*s != ',')
			fail_msg("bad label separator in '%s'", line);
		s++;
	}
	*p = s + 1;
}

/* Check a sample line: name of the current family, labels, one value. */
static void check_sample(const char *line, const char *family, const char *type)
{
	const char *p = line;
	char *end;
	size_t fl = strlen(family);

	while (isalnum((unsigned char)*p) || *p == '_' || *p == ':')
		p++;
	if (strncmp(line, family, fl) ||
	    !(p == line + fl || (!strcmp(type, "histogram") && (!strncmp(line + fl, "_bucket", 7) ||
								!strncmp(line + fl, "_sum", 4) ||
								!strncmp(line + fl, "_count", 6)))))
		fail_msg("sample '%s' outside family '%s'", line, family);
	if (*p == '{')
		check_labels(&p, line);
	if (*p != ' ')
		fail_msg("no space before the value in '%s'", line);
	strtod(p + 1, &end);
	if (end == p + 1 || *end != '\n')
		fail_msg("bad value in '%s'", line);
}

static void check_exposition(const char *text)
{
	char family[128] = "", type[16] = "", seen[8192] = " ";

	assert_true(*text && text[strlen(text) - 1] == '\n');
	for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
		char name[132], word[16]; /* name: a family name with a space on each side */
		int len = 0;

		if (!strncmp(line, "# HELP ", 7)) {
			assert_int_equal(sscanf(line, "# HELP %127s %n", name, &len), 1);
			assert_true(is_name(name, strlen(name), true) && len > 0);
		} else if (!strncmp(line, "# TYPE ", 7)) {
			assert_int_equal(sscanf(line, "# TYPE %127s %15s", family, word), 2);
			assert_true(!strcmp(word, "counter") || !strcmp(word, "gauge") ||
				    !strcmp(word, "histogram"));
			snprintf(name, sizeof(name), " %s ", family);
			if (strstr(seen, name))
				fail_msg("family '%s' declared twice", family);
			strncat(seen, name + 1, sizeof(seen) - strlen(seen) - 1);
			snprintf(type, sizeof(type), "%s", word);
		} else {
			assert_true(*family && *line != '#' && *line != '\n');
			check_sample(line, family, type);
		}
	}
}

static void test_exposition_well_formed(void **state)
{
	static const char *const names[] = {
#define NAME_ROW(id, name, type, dim1, dim2, src, help) name,
		METRICS_TABLE(NAME_ROW)
#undef NAME_ROW
	};
	char *text;

	(void)state;
	metrics_http_observe(R_ARTIST, 200, 1234);
	metrics_http_observe(R_RELEASE, 503, 7000000);
	metrics_set_build_info("0.1.0", "abc");
	metrics_inflight_add(-3);
	text = render();
	check_exposition(text);
	for (size_t id = 0; id < METRICS__COUNT; id++) {
		char needle[160];

		/* Every stored family is declared even when it has no series yet. */

		snprintf(needle, sizeof(needle), "# TYPE %s ", names[id]);
		if (strncmp(names[id], "process_", 8) && !strstr(text, needle))
			fail_msg("no TYPE line for '%s'", names[id]);
	}
	xfree(text);
}

static void test_prometheus_parser_accepts(void **state)
{
	static const char *const odd[] = {"a\"b", "c\\d", "e\nf", "artist.get", "unknown"};
	char path[] = "/tmp/medley-metrics-XXXXXX", cmd[512], *text;
	int fd, rc;

	(void)state;
	if (access(PYTHON, X_OK) ||
	    system(PYTHON " -c 'import prometheus_client.parser' >/dev/null 2>&1")) {
		print_message("skipping: " PYTHON " with prometheus_client is not installed "
			      "(apt-get install python3-prometheus-client)\n");
		skip();
	}
	assert_int_equal(metrics_init(odd, ARRAY_SIZE(odd)), ERR_OK);
	for (size_t i = 0; i < ARRAY_SIZE(odd) + 2; i++)
		metrics_http_observe(i, 200 + (unsigned)i, 1000 * (int64_t)i);
	metrics_set_build_info("0.1.0", "deadbeef");
	text = render();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 PYTHON " -c 'import sys; from prometheus_client.parser import "
			"text_string_to_metric_families as p; "
			"fams = list(p(open(sys.argv[1]).read())); "
			"assert len(fams) >= 9, len(fams)' %s",
		 path);
	rc = system(cmd);
	unlink(path);
	if (rc != 0)
		fail_msg("prometheus_client rejected the exposition (rc %d):\n%s", rc, text);
	xfree(text);
}

static void test_render_hits_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(metrics_render(&b), ERR_TOO_LARGE);
	buf_release(&b);
}

/* Concurrency ------------------------------------------------------------------ */

enum {
	THREADS = 4,
	ROUNDS = 20000
};

static void *writer(void *arg)
{
	size_t t = (size_t)(uintptr_t)arg;

	for (int i = 0; i < ROUNDS; i++) {
		metrics_inflight_add(1);
		metrics_http_observe(t % 2, 200 + (unsigned)(i % 2), 1000);
		metrics_counter_add(METRICS_DB_CONNECTION_ERRORS, 1);
		metrics_inflight_add(-1);
	}
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++)
		xfree(render());
	return NULL;
}

static void test_concurrent_updates_exact(void **state)
{
	pthread_t th[THREADS + 1];
	char *text;

	(void)state;
	for (size_t t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, writer, (void *)(uintptr_t)t), 0);
	assert_int_equal(pthread_create(&th[THREADS], NULL, reader, NULL), 0);
	for (size_t t = 0; t <= THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	text = render();
	/* Threads 0 and 2 use artist.get, 1 and 3 release.get; codes alternate. */
	assert_value(text, REQ "{route=\"artist.get\",code=\"200\"}", ROUNDS);
	assert_value(text, REQ "{route=\"artist.get\",code=\"201\"}", ROUNDS);
	assert_value(text, REQ "{route=\"release.get\",code=\"200\"}", ROUNDS);
	assert_value(text, DUR "_count{route=\"release.get\"}", 2 * ROUNDS);
	assert_value(text, DUR "_bucket{route=\"release.get\",le=\"0.001\"}", 2 * ROUNDS);
	assert_value(text, DUR "_sum{route=\"artist.get\"}", 2 * ROUNDS * 0.001);
	assert_value(text, "medley_db_connection_errors_total", THREADS * ROUNDS);
	assert_value(text, "medley_http_requests_in_flight", 0);
	xfree(text);
}

/* Docs ------------------------------------------------------------------------- */

#define DOCS_BEGIN "<!-- BEGIN metrics table"
#define DOCS_END "<!-- END metrics table"

/* docs/metrics.md under $MEDLEY_SOURCE_DIR (default: the current directory). */
static char *read_docs(void)
{
	const char *dir = getenv("MEDLEY_SOURCE_DIR");
	char path[4096];
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/metrics.md", dir && *dir ? dir : ".");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open '%s' (run from the repository root or set MEDLEY_SOURCE_DIR)",
			 path);
	buf_init(&b, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	assert_false(buf_failed(&b));
	return buf_detach(&b, NULL);
}

static void test_docs_match_table(void **state)
{
	static const struct {
		const char *name, *type, *help;
	} rows[] = {
#define DOC_ROW(id, name, type, dim1, dim2, src, help) {name, #type, help},
		METRICS_TABLE(DOC_ROW)
#undef DOC_ROW
	};
	char *docs = read_docs(), *begin, *end, line[512], lower[16];
	struct buf want;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		size_t k;

		for (k = 0; rows[i].type[k] && k < sizeof(lower) - 1; k++)
			lower[k] = (char)tolower((unsigned char)rows[i].type[k]);
		lower[k] = '\0';
		snprintf(line, sizeof(line), "| `%s` | %s |", rows[i].name, lower);
		if (!strstr(docs, line) || !strstr(docs, rows[i].help))
			fail_msg("docs/metrics.md lacks metric '%s' (%s: %s)", rows[i].name, lower,
				 rows[i].help);
	}
	buf_init(&want, 1024 * 1024);
	metrics_docs_render(&want);
	begin = strstr(docs, DOCS_BEGIN);
	end = begin ? strstr(begin, DOCS_END) : NULL;
	assert_non_null(end);
	begin = strchr(begin, '\n') + 1;
	if ((size_t)(end - begin) != want.len || memcmp(begin, want.data, want.len))
		fail_msg("docs/metrics.md table differs from the metrics table; replace it "
			 "with:\n%s",
			 want.data);
	buf_release(&want);
	xfree(docs);
}

/* /proc ------------------------------------------------------------------------ */

static void test_proc_stat_parse(void **state)
{
	static const char tail[] = " 1 1 0 0 -1 4194560 100 0 0 0 250 125 0 0 20 0 4 0 "
				   "98765 123456789 4321 18446744073709551615\n";
	static const struct {
		const char *comm; /* NULL: the whole line is `text` */
		const char *text;
		enum err want;
	} cases[] = {
		{"(medley) S", NULL, ERR_OK},
		{"(a) b (c)) R", NULL, ERR_OK},
		{"() Z", NULL, ERR_OK},
		{"(x y", NULL, ERR_INVALID_ARGUMENT}, /* no ')' at all */
		{NULL, "1234 (medley) S 1 1 0 0 -1 4194560 100 0 0 0 250", ERR_INVALID_ARGUMENT},
		{NULL, "1 (m) S 1 1 0 0 -1 0 0 0 0 0 x 125 0 0 20 0 4 0 98765 1 43",
		 ERR_INVALID_ARGUMENT},
		{NULL, "1 (m) S 1 1 0 0 -1 0 0 0 0 0 -9 125 0 0 20 0 4 0 98765 1 43",
		 ERR_INVALID_ARGUMENT},
		{NULL, "1 (m) S 1 1 0 0 -1 0 0 0 0 0 9 125 0 0 20 0 4 0 98765 1 43x",
		 ERR_INVALID_ARGUMENT},
		{NULL, "1 (m) S 1 1 0 0 -1 0 0 0 0 0 9 125 0 0 20 0 4 0 98765 1  43",
		 ERR_INVALID_ARGUMENT},
		{NULL,
		 "1 (m) S 1 1 0 0 -1 0 0 0 0 0 9 125 0 0 20 0 4 0 98765 1 99999999999999999999",
		 ERR_INVALID_ARGUMENT},
		{NULL, "", ERR_INVALID_ARGUMENT},
		{NULL, "1234 medley S", ERR_INVALID_ARGUMENT},
		{NULL, "1234 (medley)", ERR_INVALID_ARGUMENT},
	};
	char text[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct metrics_proc_stat st;

		if (cases[i].comm)
			snprintf(text, sizeof(text), "1234 %s%s", cases[i].comm, tail);
		else
			snprintf(text, sizeof(text), "%s", cases[i].text);
		if (metrics_proc_stat_parse(text, &st) != cases[i].want)
			fail_msg("case %zu: '%s' parsed wrongly", i, text);
		if (cases[i].want != ERR_OK)
			continue;
		assert_int_equal(st.utime_ticks, 250);
		assert_int_equal(st.stime_ticks, 125);
		assert_int_equal(st.starttime_ticks, 98765);
		assert_int_equal(st.vsize_bytes, 123456789);
		assert_int_equal(st.rss_pages, 4321);
	}
}

static void test_process_metrics(void **state)
{
	struct metrics_proc_values pv;
	double now = (double)time(NULL);
	char *text;

	(void)state;
	metrics_process_read(&pv);
	if (!pv.have[METRICS_PROCESS_OPEN_FDS]) {
		print_message("skipping: /proc is not readable here\n");
		skip();
	}
	assert_true(pv.have[METRICS_PROCESS_CPU] && pv.value[METRICS_PROCESS_CPU] >= 0);
	assert_true(pv.value[METRICS_PROCESS_RESIDENT_MEMORY] > 0);
	assert_true(pv.value[METRICS_PROCESS_VIRTUAL_MEMORY] >=
		    pv.value[METRICS_PROCESS_RESIDENT_MEMORY]);
	assert_true(pv.value[METRICS_PROCESS_OPEN_FDS] >= 3);
	assert_true(pv.value[METRICS_PROCESS_MAX_FDS] >= pv.value[METRICS_PROCESS_OPEN_FDS]);
	assert_true(pv.have[METRICS_PROCESS_START_TIME]);
	assert_true(pv.value[METRICS_PROCESS_START_TIME] > now - 86400 &&
		    pv.value[METRICS_PROCESS_START_TIME] < now + 5);
	text = render();
	assert_non_null(strstr(text, "# TYPE process_open_fds gauge\nprocess_open_fds "));
	assert_non_null(strstr(text, "# TYPE process_cpu_seconds_total counter\n"));
	xfree(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_requests_by_route_and_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlabeled_counter_and_gauges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_histogram_math, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bucket_labels_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_label_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registration_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exposition_well_formed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prometheus_parser_accepts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_hits_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_updates_exact, setup, teardown),
		cmocka_unit_test(test_docs_match_table),
		cmocka_unit_test(test_proc_stat_parse),
		cmocka_unit_test_setup_teardown(test_process_metrics, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
