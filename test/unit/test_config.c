/*
 * test_config.c - unit tests of the configuration loader (config.h).
 *
 * Table-driven: a case is a YAML text and/or some MEDLEY_* variables, and
 * either the values expected or the exact error lines expected, all of
 * them and nothing else. Files are written under a mkdtemp directory and
 * every MEDLEY_* variable is cleared around each test. No network, no
 * database, no sleeps. Run from the repository root, or point
 * MEDLEY_SOURCE_DIR at it (for etc/medley.yaml and docs/configuration.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "medley/buf.h"
#include "medley/config.h"
#include "medley/log.h"

#define ERRORS_MAX (64 * 1024)

extern char **environ;

static char tmpdir[PATH_MAX];
static char yaml_path[PATH_MAX + 16]; /* tmpdir/medley.yaml */

static char def_listen[] = "127.0.0.1";
static char def_url[] = "";
static char def_proxies[] = "";

static const struct config want_defaults = {
	.server =
		{
			.listen = def_listen,
			.port = 8080,
			.threads = 4,
			.max_connections = 1024,
			.connection_timeout_s = 30,
			.max_body_bytes = 65536,
			.max_url_bytes = 8192,
			.max_header_bytes = 16384,
			.shutdown_grace_s = 10,
			.drain_s = 0,
			.trusted_proxies = def_proxies,
		},
	.database =
		{
			.url = def_url,
			.read_url = def_url,
			.pool_size = 4,
			.connect_timeout_ms = 5000,
			.statement_timeout_ms = 5000,
			.acquire_timeout_ms = 2000,
			.migrate_on_start = true,
		},
	.log = {.level = LOG_INFO, .format = LOG_FORMAT_JSON},
};

/* --- helpers ------------------------------------------------------------- */

static void clear_medley_env(void)
{
	char name[256];
	bool found = true;

	while (found) {
		found = false;
		for (char **e = environ; *e && !found; e++) {
			size_t n = strcspn(*e, "=");

			if (strncmp(*e, "MEDLEY_", 7) || !strncmp(*e, "MEDLEY_SOURCE_DIR=", 18) ||
			    n >= sizeof(name))
				continue;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			found = true;
		}
	}
}

static int setup(void **state)
{
	(void)state;
	clear_medley_env();
	snprintf(tmpdir, sizeof(tmpdir), "%s/medley-test-config-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(yaml_path, sizeof(yaml_path), "%s/medley.yaml", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	char path[PATH_MAX * 2];
	struct dirent *d;
	DIR *dir = opendir(tmpdir);

	(void)state;
	clear_medley_env();
	while (dir && (d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", tmpdir, d->d_name);
			unlink(path);
		}
	}
	if (dir)
		closedir(dir);
	return rmdir(tmpdir);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A file name under tmpdir (static storage, overwritten by the next call). */
static const char *tmp_file(const char *name, const char *text)
{
	static char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (text)
		write_file(path, text, strlen(text));
	return path;
}

static char *read_source(const char *rel)
{
	const char *root = getenv("MEDLEY_SOURCE_DIR");
	char path[PATH_MAX * 2];
	char *text;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the repository root or set MEDLEY_SOURCE_DIR)",
			 path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	text = malloc((size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	text[len] = '\0';
	fclose(f);
	return text;
}

static enum err load_yaml(const char *yaml, struct config *cfg, struct buf *errors)
{
	write_file(yaml_path, yaml, strlen(yaml));
	return cfg_load(yaml_path, cfg, errors);
}

/* tmpl with every "{file}" replaced by the test's YAML path. */
static void expand(const char *tmpl, char *out, size_t size)
{
	const char *hole = strstr(tmpl, "{file}");

	if (!hole)
		snprintf(out, size, "%s", tmpl);
	else
		snprintf(out, size, "%.*s%s%s", (int)(hole - tmpl), tmpl, yaml_path, hole + 6);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
	}
	return false;
}

static size_t count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* errors holds exactly the lines want[0..n) (in any order), "{file}" expanded. */
static void expect_errors(const struct buf *errors, const char *const *want, size_t n)
{
	char line[PATH_MAX * 2];

	for (size_t i = 0; i < n; i++) {
		expand(want[i], line, sizeof(line));
		if (!has_line(errors->data, line))
			fail_msg("missing error line\n  %s\nin\n%s", line, errors->data);
	}
	if (count_lines(errors->data) != n)
		fail_msg("want %zu error lines, got:\n%s", n, errors->data);
}

static void assert_cfg_equal(const struct config *a, const struct config *b)
{
	assert_string_equal(a->server.listen, b->server.listen);
	assert_int_equal(a->server.port, b->server.port);
	assert_int_equal(a->server.threads, b->server.threads);
	assert_int_equal(a->server.max_connections, b->server.max_connections);
	assert_int_equal(a->server.connection_timeout_s, b->server.connection_timeout_s);
	assert_int_equal(a->server.max_body_bytes, b->server.max_body_bytes);
	assert_int_equal(a->server.max_url_bytes, b->server.max_url_bytes);
	assert_int_equal(a->server.max_header_bytes, b->server.max_header_bytes);
	assert_int_equal(a->server.shutdown_grace_s, b->server.shutdown_grace_s);
	assert_int_equal(a->server.drain_s, b->server.drain_s);
	assert_string_equal(a->server.trusted_proxies, b->server.trusted_proxies);
	assert_string_equal(a->database.url, b->database.url);
	assert_string_equal(a->database.read_url, b->database.read_url);
	assert_int_equal(a->database.pool_size, b->database.pool_size);
	assert_int_equal(a->database.connect_timeout_ms, b->database.connect_timeout_ms);
	assert_int_equal(a->database.statement_timeout_ms, b->database.statement_timeout_ms);
	assert_int_equal(a->database.acquire_timeout_ms, b->database.acquire_timeout_ms);
	assert_int_equal(a->database.migrate_on_start, b->database.migrate_on_start);
	assert_int_equal(a->log.level, b->log.level);
	assert_int_equal(a->log.format, b->log.format);
}

static void assert_released(const struct config *cfg)
{
	static const struct config zero;

	assert_memory_equal(cfg, &zero, sizeof(zero));
}

/* Load yaml (NULL: no file), expect ERR_CONFIG and exactly the lines want[0..n). */
static void expect_load_errors(const char *yaml, const char *const *want, size_t n)
{
	struct config cfg;
	struct buf errors;
	enum err e;

	buf_init(&errors, ERRORS_MAX);
	if (yaml)
		e = load_yaml(yaml, &cfg, &errors);
	else
		e = cfg_load(NULL, &cfg, &errors);
	if (e != ERR_CONFIG)
		fail_msg("want ERR_CONFIG for\n%s\ngot %s, errors:\n%s", yaml ? yaml : "(no file)",
			 err_str(e), errors.data);
	expect_errors(&errors, want, n);
	assert_released(&cfg);
	buf_release(&errors);
}

/* Load yaml (NULL: no file), expect success; the caller releases *cfg. */
static void expect_load_ok(const char *yaml, struct config *cfg)
{
	struct buf errors;
	enum err e;

	buf_init(&errors, ERRORS_MAX);
	e = yaml ? load_yaml(yaml, cfg, &errors) : cfg_load(NULL, cfg, &errors);
	if (e != ERR_OK)
		fail_msg("want success for\n%s\ngot %s:\n%s", yaml ? yaml : "(no file)", err_str(e),
			 errors.data);
	assert_string_equal(errors.data, "");
	buf_release(&errors);
}

/* cfg_print(cfg) contains the line want. */
static void expect_printed(const struct config *cfg, const char *want)
{
	struct buf out;

	buf_init(&out, ERRORS_MAX);
	cfg_print(cfg, &out);
	if (!has_line(out.data, want))
		fail_msg("missing line\n%s\nin\n%s", want, out.data);
	buf_release(&out);
}

/* --- defaults and the sample --------------------------------------------- */

static void test_init_defaults(void **state)
{
	struct config cfg;

	(void)state;
	cfg_init_defaults(&cfg);
	assert_cfg_equal(&cfg, &want_defaults);
	cfg_release(&cfg);
	assert_released(&cfg);
}

static void test_load_without_file(void **state)
{
	struct config cfg;

	(void)state;
	expect_load_ok(NULL, &cfg);
	assert_cfg_equal(&cfg, &want_defaults);
	cfg_release(&cfg);
}

static void test_sample_is_defaults(void **state)
{
	const char *root = getenv("MEDLEY_SOURCE_DIR");
	char path[PATH_MAX * 2];
	struct config cfg;
	struct buf errors;

	(void)state;
	snprintf(path, sizeof(path), "%s/etc/medley.yaml", root ? root : ".");
	buf_init(&errors, ERRORS_MAX);
	if (cfg_load(path, &cfg, &errors) != ERR_OK)
		fail_msg("%s does not load:\n%s", path, errors.data);
	assert_cfg_equal(&cfg, &want_defaults);
	cfg_release(&cfg);
	buf_release(&errors);
}

/* The variable for a printed key line, given the sections open above it. */
static void env_for(char sections[][64], int depth, const char *key, char *env, size_t size)
{
	size_t n = (size_t)snprintf(env, size, "MEDLEY_");

	for (int d = 0; d < depth; d++)
		n += (size_t)snprintf(env + n, size - n, "%s_", sections[d]);
	snprintf(env + n, size - n, "%.*s", (int)strcspn(key, ":"), key);
	for (char *p = env; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
}

/* Every key of cfg_print() appears in the sample with its default and its variable. */
static void test_sample_lists_every_key(void **state)
{
	char *sample = read_source("etc/medley.yaml");
	char sections[8][64], env[128];
	struct config cfg;
	struct buf out;

	(void)state;
	buf_init(&out, ERRORS_MAX);
	cfg_init_defaults(&cfg);
	cfg_print(&cfg, &out);
	for (char *line = strtok(out.data, "\n"); line; line = strtok(NULL, "\n")) {
		int depth = (int)strspn(line, " ") / 2;
		const char *key = line + 2 * depth;

		if (!has_line(sample, line))
			fail_msg("etc/medley.yaml lacks the line\n%s", line);
		assert_true(depth < 8);
		if (key[strlen(key) - 1] == ':') {
			snprintf(sections[depth], sizeof(sections[depth]), "%.*s",
				 (int)strcspn(key, ":"), key);
			continue;
		}
		env_for(sections, depth, key, env, sizeof(env));
		if (!strstr(sample, env))
			fail_msg("etc/medley.yaml does not mention %s", env);
	}
	cfg_release(&cfg);
	buf_release(&out);
	free(sample);
}

static void test_docs_reference(void **state)
{
	char *docs = read_source("docs/configuration.md");
	struct buf ref;

	(void)state;
	buf_init(&ref, ERRORS_MAX);
	cfg_print_reference(&ref);
	if (!strstr(docs, ref.data))
		fail_msg("docs/configuration.md lacks the current key reference; paste:\n%s",
			 ref.data);
	buf_release(&ref);
	free(docs);
}

static void test_empty_documents(void **state)
{
	static const char *const docs[] = {
		"",
		"# only a comment\n",
		"---\n",
		"---\n# comment\n...\n",
		"{}\n",
		"server:\n",
		"server: ~\ndatabase: null\nlog:\n",
		"server: {}\n",
	};
	struct config cfg;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		expect_load_ok(docs[i], &cfg);
		assert_cfg_equal(&cfg, &want_defaults);
		cfg_release(&cfg);
	}
}

static void test_yaml_sets_every_key(void **state)
{
	static char listen[] = "::1", url[] = "postgresql://medley@db/medley";
	static char read_url[] = "postgresql://medley@replica/medley";
	static char proxies[] = "10.0.0.0/8, ::1";
	static const struct config want = {
		.server = {listen, 0, 256, 1, 3600, 0, 1048576, 1024, 0, 10000, 600, proxies},
		.database = {url, read_url, 1000, 1000, 3600000, 1, false},
		.log = {LOG_WARN, LOG_FORMAT_TEXT},
	};
	struct config cfg;

	(void)state;
	expect_load_ok("server:\n"
		       "  listen: \"::1\"\n"
		       "  port: 0\n"
		       "  threads: 256\n"
		       "  max_connections: 1\n"
		       "  connection_timeout_s: 3600\n"
		       "  max_body_bytes: 0\n"
		       "  max_url_bytes: 1048576\n"
		       "  max_header_bytes: 1024\n"
		       "  shutdown_grace_s: 0\n"
		       "  drain_s: 600\n"
		       "  trusted_proxies: \"10.0.0.0/8, ::1\"\n"
		       "database:\n"
		       "  url: postgresql://medley@db/medley\n"
		       "  read_url: postgresql://medley@replica/medley\n"
		       "  pool_size: 1000\n"
		       "  connect_timeout_ms: 1000\n"
		       "  statement_timeout_ms: 3600000\n"
		       "  acquire_timeout_ms: 1\n"
		       "  migrate_on_start: off\n"
		       "log: {level: warn, format: text}\n",
		       &cfg);
	assert_cfg_equal(&cfg, &want);
	cfg_release(&cfg);
}

/* --- the environment ----------------------------------------------------- */

static void test_env_overrides(void **state)
{
	static const struct {
		const char *var, *value, *printed;
	} cases[] = {
		{"MEDLEY_SERVER_LISTEN", "0.0.0.0", "  listen: \"0.0.0.0\""},
		{"MEDLEY_SERVER_PORT", "9090", "  port: 9090"},
		{"MEDLEY_SERVER_THREADS", "8", "  threads: 8"},
		{"MEDLEY_SERVER_MAX_CONNECTIONS", "10", "  max_connections: 10"},
		{"MEDLEY_SERVER_CONNECTION_TIMEOUT_S", "5", "  connection_timeout_s: 5"},
		{"MEDLEY_SERVER_MAX_BODY_BYTES", "1024", "  max_body_bytes: 1024"},
		{"MEDLEY_SERVER_MAX_URL_BYTES", "2048", "  max_url_bytes: 2048"},
		{"MEDLEY_SERVER_MAX_HEADER_BYTES", "4096", "  max_header_bytes: 4096"},
		{"MEDLEY_SERVER_SHUTDOWN_GRACE_S", "0", "  shutdown_grace_s: 0"},
		{"MEDLEY_SERVER_DRAIN_S", "15", "  drain_s: 15"},
		{"MEDLEY_SERVER_TRUSTED_PROXIES", "127.0.0.1/32,fd00::/8",
		 "  trusted_proxies: \"127.0.0.1/32,fd00::/8\""},
		{"MEDLEY_CONTACT", "ops@example.org", "contact: \"ops@example.org\""},
		{"MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S", "0.25", "    rate_per_s: 0.25"},
		{"MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL", "http://127.0.0.1:9/ws/2",
		 "    base_url: \"http://127.0.0.1:9/ws/2\""},
		{"MEDLEY_CACHE_MEMORY_BYTES", "0", "  memory_bytes: 0"},
		{"MEDLEY_DATABASE_URL", "postgresql://app@db/app",
		 "  url: \"postgresql://app@db/app\""},
		{"MEDLEY_DATABASE_POOL_SIZE", "16", "  pool_size: 16"},
		{"MEDLEY_DATABASE_CONNECT_TIMEOUT_MS", "2000", "  connect_timeout_ms: 2000"},
		{"MEDLEY_DATABASE_STATEMENT_TIMEOUT_MS", "100", "  statement_timeout_ms: 100"},
		{"MEDLEY_DATABASE_ACQUIRE_TIMEOUT_MS", "50", "  acquire_timeout_ms: 50"},
		{"MEDLEY_DATABASE_MIGRATE_ON_START", "no", "  migrate_on_start: false"},
		{"MEDLEY_DATABASE_MIGRATE_ON_START", "OFF", "  migrate_on_start: false"},
		{"MEDLEY_DATABASE_MIGRATE_ON_START", "0", "  migrate_on_start: false"},
		{"MEDLEY_DATABASE_MIGRATE_ON_START", "False", "  migrate_on_start: false"},
		{"MEDLEY_LOG_LEVEL", "debug", "  level: debug"},
		{"MEDLEY_LOG_LEVEL", "ERROR", "  level: error"},
		{"MEDLEY_LOG_FORMAT", "text", "  format: text"},
	};
	struct config cfg;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(setenv(cases[i].var, cases[i].value, 1), 0);
		expect_load_ok(NULL, &cfg);
		expect_printed(&cfg, cases[i].printed);
		cfg_release(&cfg);
		unsetenv(cases[i].var);
	}
}

/* The enum tables agree with log.h's own parsers. */
static void test_env_log_enums(void **state)
{
	static const char *const formats[] = {"json", "text"};
	struct config cfg;

	(void)state;
	for (int l = LOG_DEBUG; l <= LOG_ERROR; l++) {
		setenv("MEDLEY_LOG_LEVEL", log_level_str((enum log_level)l), 1);
		expect_load_ok(NULL, &cfg);
		assert_int_equal(cfg.log.level, l);
		cfg_release(&cfg);
	}
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		enum log_format f;

		assert_int_equal(log_format_parse(formats[i], &f), ERR_OK);
		setenv("MEDLEY_LOG_FORMAT", formats[i], 1);
		expect_load_ok(NULL, &cfg);
		assert_int_equal(cfg.log.format, f);
		cfg_release(&cfg);
	}
}

static void test_env_beats_file(void **state)
{
	struct config cfg;

	(void)state;
	setenv("MEDLEY_SERVER_PORT", "9090", 1);
	expect_load_ok("server:\n  port: 7000\n  threads: 6\nlog:\n  level: debug\n", &cfg);
	assert_int_equal(cfg.server.port, 9090);
	assert_int_equal(cfg.server.threads, 6);
	assert_int_equal(cfg.log.level, LOG_DEBUG);
	assert_int_equal(cfg.database.pool_size, 4);
	cfg_release(&cfg);
}

static void test_env_file(void **state)
{
	static const struct {
		const char *contents, *want;
	} cases[] = {
		{"postgresql://u:pw@db/medley\n", "postgresql://u:pw@db/medley"},
		{"postgresql://u:pw@db/medley", "postgresql://u:pw@db/medley"},
		{"host=db password=x\r\n", "host=db password=x"},
		{"two\n\n", "two\n"},
		{"\n", ""},
		{"", ""},
	};
	struct config cfg;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		setenv("MEDLEY_DATABASE_URL_FILE", tmp_file("url", cases[i].contents), 1);
		expect_load_ok(NULL, &cfg);
		assert_string_equal(cfg.database.url, cases[i].want);
		cfg_release(&cfg);
	}
	unsetenv("MEDLEY_DATABASE_URL_FILE");
	setenv("MEDLEY_SERVER_PORT_FILE", tmp_file("port", "9000\n"), 1);
	expect_load_ok("server:\n  port: 7000\n", &cfg);
	assert_int_equal(cfg.server.port, 9000);
	cfg_release(&cfg);
}

static void test_env_errors(void **state)
{
	static const struct {
		const char *var, *value, *want;
	} cases[] = {
		{"MEDLEY_SERVER_PORT", "x",
		 "MEDLEY_SERVER_PORT: must be an integer from 0 to 65535, got \"x\""},
		{"MEDLEY_SERVER_PORT", " 80",
		 "MEDLEY_SERVER_PORT: must be an integer from 0 to 65535, got \" 80\""},
		{"MEDLEY_SERVER_PORT", "",
		 "MEDLEY_SERVER_PORT: must be an integer from 0 to 65535, got \"\""},
		{"MEDLEY_SERVER_THREADS", "1",
		 "MEDLEY_SERVER_THREADS: must be an integer from 2 to 256, got \"1\""},
		{"MEDLEY_SERVER_LISTEN", "localhost",
		 "MEDLEY_SERVER_LISTEN: must be an IPv4 or IPv6 address literal, got "
		 "\"localhost\""},
		{"MEDLEY_DATABASE_MIGRATE_ON_START", "maybe",
		 "MEDLEY_DATABASE_MIGRATE_ON_START: must be a boolean (true/false, yes/no, on/off, "
		 "1/0), got \"maybe\""},
		{"MEDLEY_LOG_LEVEL", "loud",
		 "MEDLEY_LOG_LEVEL: must be one of debug, info, warn, error, got \"loud\""},
		{"MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S", "0",
		 "MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S: must be a number from 0.001 to 1000, "
		 "got "
		 "\"0\""},
		{"MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S", "nan",
		 "MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S: must be a number from 0.001 to 1000, "
		 "got "
		 "\"nan\""},
		{"MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S", "1e999",
		 "MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S: must be a number from 0.001 to 1000, "
		 "got "
		 "\"1e999\""},
		{"MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL", "ftp://mirror/ws/2",
		 "MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL: must be an http:// or https:// URL, got "
		 "\"ftp://mirror/ws/2\""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		setenv(cases[i].var, cases[i].value, 1);
		expect_load_errors(NULL, &cases[i].want, 1);
		unsetenv(cases[i].var);
	}
}

static void test_env_file_errors(void **state)
{
	char want[PATH_MAX * 3];
	const char *line = want;
	const char *missing;

	(void)state;
	missing = tmp_file("absent", NULL);
	snprintf(want, sizeof(want),
		 "MEDLEY_DATABASE_URL_FILE: cannot read '%s': No such file or directory", missing);
	setenv("MEDLEY_DATABASE_URL_FILE", missing, 1);
	expect_load_errors(NULL, &line, 1);

	setenv("MEDLEY_DATABASE_URL", "postgresql://db/medley", 1);
	line = "MEDLEY_DATABASE_URL: set together with MEDLEY_DATABASE_URL_FILE; set only one of "
	       "them";
	expect_load_errors(NULL, &line, 1);
	unsetenv("MEDLEY_DATABASE_URL");
	unsetenv("MEDLEY_DATABASE_URL_FILE");

	setenv("MEDLEY_SERVER_PORT_FILE", tmp_file("port", "x\n"), 1);
	line = "MEDLEY_SERVER_PORT_FILE: must be an integer from 0 to 65535, got \"x\"";
	expect_load_errors(NULL, &line, 1);
}

/* --- problems in the file ------------------------------------------------ */

static void test_bad_values(void **state)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{"server: {port: 99999}",
		 "server.port: must be an integer from 0 to 65535, got \"99999\""},
		{"server: {port: -1}",
		 "server.port: must be an integer from 0 to 65535, got \"-1\""},
		{"server: {port: abc}",
		 "server.port: must be an integer from 0 to 65535, got \"abc\""},
		{"server: {port: 80.5}",
		 "server.port: must be an integer from 0 to 65535, got \"80.5\""},
		{"server: {port: 0x50}",
		 "server.port: must be an integer from 0 to 65535, got \"0x50\""},
		{"server:\n  port:\n", "server.port: must be an integer from 0 to 65535, got \"\""},
		{"server: {port: 99999999999999999999}",
		 "server.port: must be an integer from 0 to 65535, got \"99999999999999999999\""},
		{"server: {listen: localhost}",
		 "server.listen: must be an IPv4 or IPv6 address literal, got \"localhost\""},
		{"server: {listen: 1.2.3}",
		 "server.listen: must be an IPv4 or IPv6 address literal, got \"1.2.3\""},
		{"server: {listen: \"\"}",
		 "server.listen: must be an IPv4 or IPv6 address literal, got \"\""},
		{"server: {threads: 1}",
		 "server.threads: must be an integer from 2 to 256, got \"1\""},
		{"server: {threads: 257}",
		 "server.threads: must be an integer from 2 to 256, got \"257\""},
		{"server: {max_connections: 0}",
		 "server.max_connections: must be an integer from 1 to 100000, got \"0\""},
		{"server: {connection_timeout_s: 0}",
		 "server.connection_timeout_s: must be an integer from 1 to 3600, got \"0\""},
		{"server: {max_body_bytes: 67108865}",
		 "server.max_body_bytes: must be an integer from 0 to 67108864, got \"67108865\""},
		{"server: {max_url_bytes: 255}",
		 "server.max_url_bytes: must be an integer from 256 to 1048576, got \"255\""},
		{"server: {max_header_bytes: 1048577}",
		 "server.max_header_bytes: must be an integer from 1024 to 1048576, got "
		 "\"1048577\""},
		{"server: {shutdown_grace_s: 601}",
		 "server.shutdown_grace_s: must be an integer from 0 to 600, got \"601\""},
		{"server: {drain_s: 601}",
		 "server.drain_s: must be an integer from 0 to 600, got \"601\""},
		{"server: {drain_s: -1}",
		 "server.drain_s: must be an integer from 0 to 600, got \"-1\""},
		{"server: {trusted_proxies: \"10.0.0.0/8, 10.0.0.0/33\"}",
		 "server.trusted_proxies: must be a comma-separated list of IP addresses and "
		 "CIDRs, "
		 "got \"10.0.0.0/8, 10.0.0.0/33\": entry \"10.0.0.0/33\": an IPv4 prefix length is "
		 "at most 32"},
		{"server: {trusted_proxies: \"proxy.local\"}",
		 "server.trusted_proxies: must be a comma-separated list of IP addresses and "
		 "CIDRs, "
		 "got \"proxy.local\": entry \"proxy.local\": not an IPv4 or IPv6 address"},
		{"server: {trusted_proxies: \"::1,\"}",
		 "server.trusted_proxies: must be a comma-separated list of IP addresses and "
		 "CIDRs, "
		 "got \"::1,\": empty entry (stray comma?)"},
		{"database: {pool_size: 0}",
		 "database.pool_size: must be an integer from 1 to 1000, got \"0\""},
		{"database: {connect_timeout_ms: 999}", "database.connect_timeout_ms: must be an "
							"integer from 1000 to 300000, got \"999\""},
		{"database: {statement_timeout_ms: 0}",
		 "database.statement_timeout_ms: must be an integer from 1 to 3600000, got \"0\""},
		{"database: {acquire_timeout_ms: 0}",
		 "database.acquire_timeout_ms: must be an integer from 1 to 600000, got \"0\""},
		{"database: {migrate_on_start: maybe}",
		 "database.migrate_on_start: must be a boolean (true/false, yes/no, on/off, 1/0), "
		 "got \"maybe\""},
		{"log: {level: loud}",
		 "log.level: must be one of debug, info, warn, error, got \"loud\""},
		{"log: {format: xml}", "log.format: must be one of json, text, got \"xml\""},
		{"log: {format: \"a\\tb\\\"\"}",
		 "log.format: must be one of json, text, got \"a\\tb\\\"\""},
		{"log: {format: "
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaa}",
		 "log.format: must be one of json, text, got "
		 "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "a\"..."},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_load_errors(cases[i].yaml, &cases[i].want, 1);
}

static void test_three_mistakes(void **state)
{
	static const char *const want[] = {
		"server.port: must be an integer from 0 to 65535, got \"99999\"",
		"database.pool_size: must be an integer from 1 to 1000, got \"0\"",
		"log.level: must be one of debug, info, warn, error, got \"loud\"",
	};

	(void)state;
	expect_load_errors("server:\n  port: 99999\n"
			   "database:\n  pool_size: 0\n"
			   "log:\n  level: loud\n",
			   want, ARRAY_SIZE(want));
}

static void test_unknown_keys(void **state)
{
	static const char *const want[] = {
		"server.prot: unknown key; did you mean 'port'?",
		"server.bogus: unknown key",
		"sever: unknown key; did you mean 'server'?",
		"log.levl: unknown key; did you mean 'level'?",
		"database.pool_size: must be an integer from 1 to 1000, got \"0\"",
		"MEDLEY_SERVER_THREADS: must be an integer from 2 to 256, got \"1\"",
	};
	struct config cfg;

	(void)state;
	setenv("MEDLEY_SERVER_THREADS", "1", 1);
	expect_load_errors("server:\n  prot: 80\n  bogus: {a: [1, 2]}\n"
			   "sever:\n  port: 1\n"
			   "database:\n  pool_size: 0\n"
			   "log:\n  levl: debug\n  format: text\n",
			   want, ARRAY_SIZE(want));
	unsetenv("MEDLEY_SERVER_THREADS");
	/* The values next to an unknown key still load once it is fixed. */
	expect_load_ok("log:\n  format: text\n", &cfg);
	assert_int_equal(cfg.log.format, LOG_FORMAT_TEXT);
	cfg_release(&cfg);
}

/* An unknown key is named, its value never echoed: it may be a secret. */
static void test_unknown_key_hides_value(void **state)
{
	struct config cfg;
	struct buf errors;

	(void)state;
	buf_init(&errors, ERRORS_MAX);
	assert_int_equal(load_yaml("database:\n  pasword: hunter2\n  ur: hunter3\n", &cfg, &errors),
			 ERR_CONFIG);
	assert_true(has_line(errors.data, "database.pasword: unknown key"));
	assert_true(has_line(errors.data, "database.ur: unknown key; did you mean 'url'?"));
	assert_null(strstr(errors.data, "hunter"));
	buf_release(&errors);
}

static void test_wrong_shapes(void **state)
{
	static const struct {
		const char *yaml;
		const char *want[3];
		size_t n;
	} cases[] = {
		{"server:\n  port: [1, 2]\n",
		 {"server.port: must be a single value, got a list"},
		 1},
		{"server:\n  port: {a: 1}\n",
		 {"server.port: must be a single value, got a mapping"},
		 1},
		{"server: 5\n", {"server: must be a mapping of keys, got a single value"}, 1},
		{"server: [a]\n", {"server: must be a mapping of keys, got a list"}, 1},
		{"- a\n- b\n", {"{file}: must be a mapping of sections, got a list"}, 1},
		{"just text\n", {"{file}: must be a mapping of sections, got a single value"}, 1},
		{"server:\n  port: 1\n  port: 2\n", {"server.port: duplicate key"}, 1},
		{"log: {level: info}\nlog: {level: warn}\n", {"log: duplicate key"}, 1},
		{"server:\n  port: [1]\n  threads: 1\nlog: 3\n",
		 {"server.port: must be a single value, got a list",
		  "log: must be a mapping of keys, got a single value",
		  "server.threads: must be an integer from 2 to 256, got \"1\""},
		 3},
		{"server: {port: 1}\n---\nlog: {level: debug}\n",
		 {"{file}: more than one YAML document; only one is allowed"},
		 1},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_load_errors(cases[i].yaml, cases[i].want, cases[i].n);
}

static void test_syntax_errors(void **state)
{
	static const char *const docs[] = {
		"server:\n  port: \"1\n",      "server:\n\tport: 1\n",
		"server: {port: 1\n",	       "server:\n  port: 1\n bad indent: 2\n",
		"server:\n  port: *nowhere\n",
	};
	char prefix[sizeof(yaml_path) + 8];
	struct config cfg;
	struct buf errors;

	(void)state;
	snprintf(prefix, sizeof(prefix), "%s: ", yaml_path);
	buf_init(&errors, ERRORS_MAX);
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		buf_reset(&errors);
		assert_int_equal(load_yaml(docs[i], &cfg, &errors), ERR_CONFIG);
		assert_released(&cfg);
		if (strncmp(errors.data, prefix, strlen(prefix)) || count_lines(errors.data) != 1)
			fail_msg("want one line about %s for\n%s\ngot:\n%s", yaml_path, docs[i],
				 errors.data);
	}
	/* An unknown key before the syntax error is reported too. */
	buf_reset(&errors);
	assert_int_equal(load_yaml("bogus: 1\nserver: {port: 1\n", &cfg, &errors), ERR_CONFIG);
	assert_true(has_line(errors.data, "bogus: unknown key"));
	assert_int_equal(count_lines(errors.data), 2);
	assert_non_null(strstr(errors.data, ": invalid YAML"));
	buf_release(&errors);
}

static void test_too_many_problems(void **state)
{
	struct config cfg;
	struct buf yaml, errors;

	(void)state;
	buf_init(&yaml, ERRORS_MAX);
	buf_init(&errors, ERRORS_MAX);
	buf_adds(&yaml, "server:\n");
	for (int i = 0; i < 30; i++)
		buf_addf(&yaml, "  unknown%d: 1\n", i);
	assert_int_equal(load_yaml(yaml.data, &cfg, &errors), ERR_CONFIG);
	assert_true(has_line(errors.data, "server.unknown0: unknown key"));
	assert_int_equal(count_lines(errors.data), 21);
	assert_non_null(strstr(errors.data, "too many problems"));
	buf_release(&errors);
	buf_release(&yaml);
}

static void test_unreadable_file(void **state)
{
	char want[PATH_MAX * 3];
	struct config cfg;
	struct buf errors;
	const char *path;

	(void)state;
	buf_init(&errors, ERRORS_MAX);
	path = tmp_file("absent.yaml", NULL);
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory\n", path);
	assert_int_equal(cfg_load(path, &cfg, &errors), ERR_IO);
	assert_string_equal(errors.data, want);
	assert_released(&cfg);

	buf_reset(&errors);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory\n", tmpdir);
	assert_int_equal(cfg_load(tmpdir, &cfg, &errors), ERR_IO);
	assert_string_equal(errors.data, want);
	assert_released(&cfg);
	buf_release(&errors);
}

static void test_oversized_file(void **state)
{
	size_t len = 1024 * 1024 + 1;
	char *big = malloc(len + 1);
	struct config cfg;
	struct buf errors;

	(void)state;
	assert_non_null(big);
	memset(big, '#', len);
	big[len] = '\0';
	buf_init(&errors, ERRORS_MAX);
	assert_int_equal(load_yaml(big, &cfg, &errors), ERR_CONFIG);
	assert_non_null(strstr(errors.data, ": larger than 1048576 bytes"));
	assert_released(&cfg);
	buf_release(&errors);
	free(big);
}

/* --- printing ------------------------------------------------------------ */

static void test_print_redacts(void **state)
{
	static const struct {
		const char *url, *printed;
	} cases[] = {
		{"postgresql://medley:s3cret@db.example:5432/medley?sslmode=require",
		 "postgresql://medley:***@db.example:5432/medley?sslmode=require"},
		{"postgres://u:p%40s3cret@h1,h2:5433/db", "postgres://u:***@h1,h2:5433/db"},
		{"postgresql://:s3cret@db/medley", "postgresql://:***@db/medley"},
		{"postgresql://medley@db/medley", "postgresql://medley@db/medley"},
		{"postgresql://db:5432/medley", "postgresql://db:5432/medley"},
		{"postgresql://db/medley?user=u&password=s3cret&sslmode=disable",
		 "postgresql://db/medley?user=u&password=***&sslmode=disable"},
		{"postgresql://u:s3cret@db/x?password=s3cret",
		 "postgresql://u:***@db/x?password=***"},
		{"host=db user=medley password=s3cret dbname=medley",
		 "host=db user=medley password=*** dbname=medley"},
		{"password = 's3 cr\\'et' host=db", "password = *** host=db"},
		{"password=s3cret", "password=***"},
		{"host=db sslpassword=s3cret sslkey=/k", "host=db sslpassword=*** sslkey=/k"},
		{"postgresql://db/x?sslpassword=s3cret&password=",
		 "postgresql://db/x?sslpassword=***&password="},
		{"host=db passwordx=1", "host=db passwordx=1"},
		{"host=db", "host=db"},
		{"", ""},
	};
	char line[512];
	struct config cfg;
	struct buf out;

	(void)state;
	buf_init(&out, ERRORS_MAX);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		setenv("MEDLEY_DATABASE_URL", cases[i].url, 1);
		expect_load_ok(NULL, &cfg);
		assert_string_equal(cfg.database.url, cases[i].url);
		snprintf(line, sizeof(line), "  url: \"%s\"", cases[i].printed);
		buf_reset(&out);
		cfg_print(&cfg, &out);
		if (!has_line(out.data, line) || strstr(out.data, "s3"))
			fail_msg("want\n%s\nin\n%s", line, out.data);
		cfg_release(&cfg);
	}
	buf_release(&out);
}

/* cfg_print()'s output, written to a file, loads back to an equal config. */
static void test_print_round_trip(void **state)
{
	static const char *const docs[] = {
		"",
		"server:\n  listen: \"::\"\n  port: 0\n  threads: 256\n  max_body_bytes: 0\n"
		"database:\n  url: \"host=db dbname='my db' options='-c x=\\\"y\\\"' # not: a "
		"comment\"\n"
		"  migrate_on_start: no\nlog: {level: error, format: text}\n",
		"database:\n  url: \"tab\\there\\nnew line \\\\ back: slash \\u00e9t\\u00e9 {[,]} "
		"&x *y\"\n",
	};
	const char *printed_path;
	struct config cfg, again;
	struct buf out, errors;

	(void)state;
	buf_init(&out, ERRORS_MAX);
	buf_init(&errors, ERRORS_MAX);
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		expect_load_ok(docs[i], &cfg);
		buf_reset(&out);
		cfg_print(&cfg, &out);
		printed_path = tmp_file("printed.yaml", out.data);
		if (cfg_load(printed_path, &again, &errors) != ERR_OK)
			fail_msg("printed config does not load:\n%s\n%s", out.data, errors.data);
		assert_cfg_equal(&again, &cfg);
		cfg_release(&again);
		cfg_release(&cfg);
	}
	buf_release(&errors);
	buf_release(&out);
}

static void test_print_layout(void **state)
{
	static const char want[] = "contact: \"\"\n"
				   "\n"
				   "server:\n"
				   "  listen: \"127.0.0.1\"\n"
				   "  port: 8080\n"
				   "  threads: 4\n"
				   "  max_connections: 1024\n"
				   "  connection_timeout_s: 30\n"
				   "  max_body_bytes: 65536\n"
				   "  max_url_bytes: 8192\n"
				   "  max_header_bytes: 16384\n"
				   "  drain_s: 0\n"
				   "  shutdown_grace_s: 10\n"
				   "  request_timeout_ms: 10000\n"
				   "  trusted_proxies: \"\"\n"
				   "\n"
				   "database:\n"
				   "  url: \"\"\n"
				   "  read_url: \"\"\n"
				   "  pool_size: 4\n"
				   "  connect_timeout_ms: 5000\n"
				   "  statement_timeout_ms: 5000\n"
				   "  acquire_timeout_ms: 2000\n"
				   "  migrate_on_start: true\n"
				   "  transaction_pooling: false\n"
				   "\n"
				   "log:\n"
				   "  level: info\n"
				   "  format: json\n"
				   "\n"
				   "cache:\n"
				   "  memory_bytes: 67108864\n"
				   "  artist_ttl_s: 86400\n"
				   "  release_group_ttl_s: 86400\n"
				   "  release_ttl_s: 86400\n"
				   "  recording_ttl_s: 86400\n"
				   "  browse_ttl_s: 86400\n"
				   "  search_ttl_s: 3600\n"
				   "  not_found_ttl_s: 3600\n"
				   "  stale_while_revalidate_s: 86400\n"
				   "  stale_if_error_s: 2592000\n"
				   "  lease_ms: 15000\n"
				   "\n"
				   "enrich:\n"
				   "  default_include: \"\"\n"
				   "  match_threshold: 0.85\n"
				   "  match_duration_tolerance_ms: 3000\n"
				   "\n"
				   "providers:\n"
				   "  musicbrainz:\n"
				   "    enabled: true\n"
				   "    base_url: \"https://musicbrainz.org/ws/2\"\n"
				   "    rate_per_s: 1\n"
				   "    burst: 1\n"
				   "    concurrency: 1\n"
				   "    timeout_ms: 10000\n"
				   "    retries: 2\n"
				   "    user_agent: \"\"\n"
				   "    proxy: \"\"\n"
				   "    max_body_bytes: 4194304\n"
				   "    breaker_failures: 5\n"
				   "    breaker_open_ms: 30000\n"
				   "    max_queue: 1000\n"
				   "    rate_scope: local\n"
				   "    ttl_s: 86400\n"
				   "  coverartarchive:\n";
	struct config cfg;
	struct buf out;

	(void)state;
	buf_init(&out, ERRORS_MAX);
	cfg_init_defaults(&cfg);
	cfg_print(&cfg, &out);
	/* the other providers' blocks follow MusicBrainz's in the same layout */
	if (out.len > strlen(want))
		out.data[strlen(want)] = '\0';
	assert_string_equal(out.data, want);
	cfg_release(&cfg);
	buf_release(&out);
}

static void test_release_is_idempotent(void **state)
{
	struct config cfg = {0};

	(void)state;
	cfg_release(&cfg);
	assert_released(&cfg);
	cfg_init_defaults(&cfg);
	cfg_release(&cfg);
	cfg_release(&cfg);
	assert_released(&cfg);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_defaults),
		T(test_load_without_file),
		T(test_sample_is_defaults),
		T(test_sample_lists_every_key),
		T(test_docs_reference),
		T(test_empty_documents),
		T(test_yaml_sets_every_key),
		T(test_env_overrides),
		T(test_env_log_enums),
		T(test_env_beats_file),
		T(test_env_file),
		T(test_env_errors),
		T(test_env_file_errors),
		T(test_bad_values),
		T(test_three_mistakes),
		T(test_unknown_keys),
		T(test_unknown_key_hides_value),
		T(test_wrong_shapes),
		T(test_syntax_errors),
		T(test_too_many_problems),
		T(test_unreadable_file),
		T(test_oversized_file),
		T(test_print_redacts),
		T(test_print_round_trip),
		T(test_print_layout),
		T(test_release_is_idempotent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
