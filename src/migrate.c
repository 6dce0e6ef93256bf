/*
 * migrate.c - apply and check the embedded schema migrations (migrate.h).
 *
 * Runs each embedded step in its own transaction under a transaction-level
 * advisory lock, records it in schema_migrations with the SHA-256 of its
 * text, and compares recorded checksums with the embedded text. The checksum
 * is computed in C (sha256.c), not by PostgreSQL's sha256(): it is then of
 * the exact embedded bytes whatever the server and client encodings, and
 * migrate_status(), which /ready calls often, need not send every step's text
 * to the server. This file does not hold the steps (sql/, embedded by
 * tools/embed-sql.sh), does not roll back applied steps (migrations are
 * forward-only), and does not decide what /ready answers (it reports).
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/clock.h"
#include "medley/log.h"
#include "medley/migrate.h"
#include "medley/sha256.h"

/*
 * The advisory lock key of medley's migrations: "medleymg" read as a
 * big-endian int64 (0x6d65646c65796d67). Transaction-level, so it is released
 * by COMMIT/ROLLBACK or a dropped session, and works through PgBouncer in
 * transaction mode.
 */
static const struct db_stmt stmt_lock = {"migrate_lock",
					 "SELECT pg_advisory_xact_lock(7882817139503623527)", 0};

/*
 * A step may take longer than the per-request statement_timeout (an index on
 * a large table), and waiting for another instance's steps is the point of the
 * lock: lift the timeout for this transaction only.
 */
static const struct db_stmt stmt_no_timeout = {
	"migrate_no_timeout", "SELECT set_config('statement_timeout', '0', true)", 0};

static const struct db_stmt stmt_create = {
	"migrate_create",
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())",
	0,
};

static const struct db_stmt stmt_get = {
	"migrate_get", "SELECT checksum FROM schema_migrations WHERE version = $1", 1};

static const struct db_stmt stmt_insert = {
	"migrate_insert",
	"INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", 3};

static const struct db_stmt stmt_latest = {
	"migrate_latest", "SELECT coalesce(max(version), 0) FROM schema_migrations", 0};

/* to_regclass() answers NULL instead of raising undefined_table (42P01). */
static const struct db_stmt stmt_exists = {
	"migrate_exists", "SELECT to_regclass('schema_migrations') IS NOT NULL", 0};

static const struct db_stmt stmt_rows = {
	"migrate_rows", "SELECT version, checksum FROM schema_migrations ORDER BY version", 0};

void migrate_checksum(const char *sql, char out[MIGRATE_CHECKSUM_LEN])
{
	sha256_hex(sql, strlen(sql), out);
}

/* ---- apply ----------------------------------------------------------------- */

/* Run a statement whose rows do not matter. */
static enum err exec_only(struct db_conn *c, const struct db_stmt *stmt, const char *const *params)
{
	struct db_result *r = NULL;
	enum err e;

	e = db_exec(c, stmt, params, &r);
	db_result_free(r);
	return e;
}

/* A step is recorded: its checksum must be the embedded text's. */
static enum err check_recorded(const struct migration *m, const char *recorded, const char *sum)
{
	char msg[256];
	struct log_line l;

	if (recorded && strcmp(recorded, sum) == 0)
		return ERR_OK;
	snprintf(msg, sizeof(msg),
		 "migration %s was edited after it was applied (checksum %s != %s)", m->name,
		 recorded ? recorded : "NULL", sum);
	if (log_begin(&l, LOG_ERROR, msg)) {
		log_str(&l, "migration", m->name);
		log_str(&l, "recorded_checksum", recorded);
		log_str(&l, "embedded_checksum", sum);
		log_end(&l);
	}
	return ERR_MIGRATION_EDITED;
}

/* Run step m and record it, inside the caller's transaction. params: version, name, sum. */
static enum err run_step(struct db_conn *c, const struct migration *m, const char *const *params)
{
	enum err e;

	e = db_exec_script(c, m->name, m->sql);
	if (e)
		return e;
	if (!db_in_transaction(c)) {
		log_error("migration %s ended its transaction: a step must not contain BEGIN, "
			  "COMMIT or ROLLBACK",
			  m->name);
		return ERR_DB_QUERY;
	}
	return exec_only(c, &stmt_insert, params);
}

static void log_applied(const struct migration *m, int64_t started_us)
{
	struct log_line l;

	if (!log_begin(&l, LOG_INFO, "applied migration"))
		return;
	log_str(&l, "migration", m->name);
	log_int(&l, "version", m->version);
	log_dbl(&l, "duration_ms", (double)(clock_mono_us() - started_us) / 1000.0);
	log_end(&l);
}

/* Apply step m in its own transaction unless it is recorded; *ran tells which. */
static enum err apply_one(struct db_conn *c, const struct migration *m, bool *ran)
{
	char version[16], sum[MIGRATE_CHECKSUM_LEN];
	const char *const params[] = {version, m->name, sum};
	struct db_result *r = NULL;
	int64_t started_us = clock_mono_us();
	enum err e;

	*ran = false;
	snprintf(version, sizeof(version), "%d", m->version);
	migrate_checksum(m->sql, sum);
	e = db_begin(c);
	if (!e)
		e = exec_only(c, &stmt_no_timeout, NULL); /* before the lock: its wait too */
	if (!e)
		e = exec_only(c, &stmt_lock, NULL);
	if (!e)
		e = exec_only(c, &stmt_create, NULL);
	if (!e)
		e = db_exec(c, &stmt_get, params, &r);
	if (e)
		goto out;
	if (db_result_rows(r) > 0) {
		/* Recorded (perhaps by another instance while we waited for the lock). */
		e = check_recorded(m, db_result_value(r, 0, 0), sum);
		goto out;
	}
	e = run_step(c, m, params);
	if (!e)
		e = db_commit(c);
	if (!e) {
		*ran = true;
		log_applied(m, started_us);
	}
out:
	db_rollback(c); /* ends the transaction when it is still open; no-op after COMMIT */
	db_result_free(r);
	return e;
}

/* Parse a version column; -1 when it is not a plain integer. */
static int parse_version(const char *s)
{
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT32_MAX)
		return -1;
	return (int)v;
}

/* After applying, say where the schema stands, and whether it is ahead of us. */
static enum err report_version(struct db_conn *c, int ran)
{
	struct db_result *r = NULL;
	int latest;
	enum err e;

	e = db_exec(c, &stmt_latest, NULL, &r);
	if (e)
		goto out;
	latest = parse_version(db_result_value(r, 0, 0));
	if (latest > migrations_count)
		log_info("database schema is ahead of this binary: version %d, this binary knows "
			 "%d; "
			 "fine during a rolling upgrade",
			 latest, migrations_count);
	else
		log_info("database schema at version %d (%d migrations applied now)", latest, ran);
out:
	db_result_free(r);
	return e;
}

enum err migrate_apply(struct db_pool *pool)
{
	struct db_conn *c = NULL;
	bool ran;
	int nran = 0;
	enum err e;

	e = db_acquire(pool, &c);
	if (e)
		goto out;
	for (int i = 0; i < migrations_count; i++) {
		assert(migrations[i].version == i + 1);
		e = apply_one(c, &migrations[i], &ran);
		if (e)
			goto out;
		nran += ran;
	}
	e = report_version(c, nran);
out:
	db_release(pool, c);
	return e;
}

/* ---- status ---------------------------------------------------------------- */

/* Fill st from schema_migrations rows ordered by version. */
static void status_from_rows(const struct db_result *r, struct migrate_status *st)
{
	char sum[MIGRATE_CHECKSUM_LEN];
	const char *recorded;
	int v;

	for (int i = 0; i < db_result_rows(r); i++) {
		v = parse_version(db_result_value(r, i, 0));
		recorded = db_result_value(r, i, 1);
		if (v == st->applied + 1)
			st->applied = v;
		if (v > st->latest)
			st->latest = v;
		if (v < 1 || v > migrations_count || st->mismatch)
			continue;
		migrate_checksum(migrations[v - 1].sql, sum);
		if (!recorded || strcmp(recorded, sum) != 0)
			st->mismatch = v;
	}
	st->checksums_ok = st->mismatch == 0;
}

enum err migrate_status(struct db_pool *pool, struct migrate_status *out)
{
	struct db_conn *c = NULL;
	struct db_result *r = NULL;
	enum err e;

	memset(out, 0, sizeof(*out));
	out->expected = migrations_count;
	out->checksums_ok = true;
	e = db_acquire(pool, &c);
	if (e)
		goto out;
	e = db_exec(c, &stmt_exists, NULL, &r);
	if (e || strcmp(db_result_value(r, 0, 0), "t") != 0)
		goto out; /* a fresh database: nothing applied, which is not an error */
	db_result_free(r);
	r = NULL;
	e = db_exec(c, &stmt_rows, NULL, &r);
	if (e)
		goto out;
	status_from_rows(r, out);
out:
	db_result_free(r);
	db_release(pool, c);
	return e;
}

int migrate_expected_version(void)
{
	return migrations_count;
}

bool migrate_status_ready(const struct migrate_status *st)
{
	return st->applied >= st->expected && st->checksums_ok;
}
