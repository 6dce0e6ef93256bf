/*
 * migrate.c - apply and check the embedded schema migrations (migrate.h).
 *
 * Runs each embedded step in its own transaction under a transaction-level
 * advisory lock, records it in schema_migrations with the SHA-256 of its
 * text, and compares recorded checksums with the embedded text. The checksum
 * is computed here, in C, rather than by PostgreSQL's sha256(): it is then of
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

/* ---- SHA-256 (FIPS 180-4) -------------------------------------------------- */

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* Mix one 64-byte block into the state h. */
static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], v[8], t1, t2;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(v, h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		t1 = v[7] + (ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha256_k[i] + w[i];
		t2 = (ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

void migrate_checksum(const char *sql, char out[MIGRATE_CHECKSUM_LEN])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	uint8_t tail[128] = {0};
	size_t len = strlen(sql), full = len / 64 * 64, rest = len - full, tail_len;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i < full; i += 64)
		sha256_block(h, (const uint8_t *)sql + i);
	/* Pad: 0x80, zeros, then the length in bits, big-endian, to a block boundary. */
	memcpy(tail, sql + full, rest);
	tail[rest] = 0x80;
	tail_len = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tail_len - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
	for (size_t i = 0; i < tail_len; i += 64)
		sha256_block(h, tail + i);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", (unsigned)h[i]);
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
