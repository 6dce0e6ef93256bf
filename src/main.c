/*
 * main.c - the command line: parse it, load the configuration, dispatch.
 *
 * Wiring only: every command is one call into its module. Exit codes are
 * the enum serve_exit values (serve.h), documented in docs/operations.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "medley/config.h"
#include "medley/db.h"
#include "medley/fetch.h"
#include "medley/healthcheck.h"
#include "medley/json.h"
#include "medley/log.h"
#include "medley/migrate.h"
#include "medley/serve.h"
#include "medley/version.h"

#define DEFAULT_CONFIG "etc/medley.yaml"

static const char usage[] =
	"usage: medley [-c FILE | --config FILE] [serve | migrate | check-config | version]\n"
	"       medley [-c FILE] healthcheck [--url URL]\n"
	"\n"
	"commands:\n"
	"  serve          run the HTTP service (the default)\n"
	"  migrate        apply database migrations and exit\n"
	"  check-config   validate the configuration and print it, secrets redacted\n"
	"  healthcheck    GET /health of a running medley; exit 0 on 200 within 2 s, else 1\n"
	"  version        print the version and exit\n"
	"\n"
	"options:\n"
	"  -c, --config FILE   configuration file (default: " DEFAULT_CONFIG " if it exists)\n"
	"  --url URL           healthcheck: the URL to probe (default: http://<server.listen>:\n"
	"                      <server.port>/health, loopback when listening on every address)\n"
	"  -h, --help          print this help\n"
	"\n"
	"Every setting can be overridden from the environment as MEDLEY_<SECTION>_<KEY>,\n"
	"e.g. MEDLEY_SERVER_PORT=9000; see docs/configuration.md.\n"
	"\n"
	"exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error,\n"
	"            3 database unavailable, 4 schema refused (an applied migration was edited);\n"
	"            healthcheck: 0 healthy, 1 anything else (bad configuration included)\n";

/* Load the configuration; on failure print every problem and return false. */
static bool load_config(const char *path, bool explicit_path, struct config *cfg)
{
	struct buf errors;
	enum err e;

	if (!explicit_path && access(path, F_OK) != 0)
		path = NULL; /* no default file: defaults and environment only */
	buf_init(&errors, 64 * 1024);
	e = cfg_load(path, cfg, &errors);
	if (e != ERR_OK)
		fprintf(stderr, "medley: invalid configuration%s%s:\n%s", path ? " in " : "",
			path ? path : "", errors.data);
	buf_release(&errors);
	return e == ERR_OK;
}

static int cmd_check_config(const struct config *cfg)
{
	struct buf out;

	buf_init(&out, 1024 * 1024);
	cfg_print(cfg, &out);
	fputs(out.data, stdout);
	buf_release(&out);
	return EXIT_OK_;
}

/*
 * Probe url, or the configured server's /health. Exit codes follow Docker's
 * HEALTHCHECK: 0 healthy, 1 anything else (2 is reserved there), with one
 * line on stderr saying why.
 */
static int cmd_healthcheck(const char *url, const char *path, bool explicit_path)
{
	char def[HEALTHCHECK_URL_MAX], why[256];
	struct config cfg = {0};
	enum err e;

	if (!url) {
		if (!load_config(path, explicit_path, &cfg))
			return EXIT_RUNTIME;
		e = healthcheck_default_url(&cfg.server, def, sizeof(def), why, sizeof(why));
		cfg_release(&cfg);
		if (e != ERR_OK) {
			fprintf(stderr, "medley: healthcheck: %s\n", why);
			return EXIT_RUNTIME;
		}
		url = def;
	}
	e = healthcheck_probe(url, HEALTHCHECK_TIMEOUT_MS, why, sizeof(why));
	if (e != ERR_OK) {
		fprintf(stderr, "medley: healthcheck: %s: %s\n", url, why);
		return EXIT_RUNTIME;
	}
	return EXIT_OK_;
}

static int cmd_migrate(const struct config *cfg)
{
	struct db_pool *pool = NULL;
	enum err e;

	e = db_pool_new(&cfg->database, "medley-migrate", &pool);
	if (e == ERR_OK)
		e = migrate_apply(pool);
	db_pool_free(pool);
	if (e == ERR_OK)
		return EXIT_OK_;
	fprintf(stderr, "medley: migrate failed: %s\n", err_title(e));
	if (e == ERR_MIGRATION_EDITED)
		return EXIT_SCHEMA_REFUSED;
	if (e == ERR_CONFIG)
		return EXIT_USAGE;
	return e == ERR_DB_UNAVAILABLE || e == ERR_DB_POOL_TIMEOUT ? EXIT_DB_UNAVAILABLE
								   : EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"url", required_argument, NULL, 'u'},
		{NULL, 0, NULL, 0},
	};
	const char *path = DEFAULT_CONFIG, *cmd = "serve", *url = NULL;
	bool explicit_path = false;
	struct config cfg = {0};
	int c, code;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			explicit_path = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK_;
		case 'u':
			url = optarg;
			break;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		cmd = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "medley: unexpected argument '%s'\n%s", argv[optind], usage);
		return EXIT_USAGE;
	}
	if (url && strcmp(cmd, "healthcheck") != 0) {
		fprintf(stderr, "medley: --url belongs to healthcheck only\n%s", usage);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "healthcheck") == 0)
		return cmd_healthcheck(url, path, explicit_path);
	if (strcmp(cmd, "version") == 0) {
		printf("medley %s (commit %s)\n", version_string(), version_commit());
		return EXIT_OK_;
	}
	if (strcmp(cmd, "serve") && strcmp(cmd, "migrate") && strcmp(cmd, "check-config")) {
		fprintf(stderr, "medley: unknown command '%s'\n%s", cmd, usage);
		return EXIT_USAGE;
	}
	if (!load_config(path, explicit_path, &cfg))
		return EXIT_USAGE;
	log_setup(cfg.log.level, cfg.log.format, 2);
	json_init();
	if (fetch_global_init() != ERR_OK) {
		cfg_release(&cfg);
		return EXIT_RUNTIME;
	}
	if (strcmp(cmd, "check-config") == 0)
		code = cmd_check_config(&cfg);
	else if (strcmp(cmd, "migrate") == 0)
		code = cmd_migrate(&cfg);
	else
		code = serve_run(&cfg);
	fetch_global_cleanup();
	cfg_release(&cfg);
	return code;
}
