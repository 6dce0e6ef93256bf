/*
 * cache.c - statements over provider_documents, external_ids and
 * fetch_leases (see cache.h and sql/002_cache.sql).
 *
 * Timestamps cross the wire as integer microseconds since the epoch, so no
 * time zone or format parsing happens on either side. This file does not
 * decide freshness, does not touch the in-memory layer, and never builds
 * SQL from strings: external ids travel as text[] parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/cache.h"
#include "medley/xalloc.h"

static const struct db_stmt stmt_get = {
	"cache_get",
	"SELECT status, body, canonical_key, etag,"
	" (extract(epoch FROM fetched_at) * 1000000)::bigint,"
	" (extract(epoch FROM expires_at) * 1000000)::bigint"
	" FROM provider_documents WHERE provider = $1 AND kind = $2 AND key = $3",
	3,
};

/* Several rows in one round trip; column 0 is the 1-based index of the id asked. */
static const struct db_stmt stmt_get_many = {
	"cache_get_many",
	"SELECT k.i, d.status, d.body, d.canonical_key, d.etag,"
	" (extract(epoch FROM d.fetched_at) * 1000000)::bigint,"
	" (extract(epoch FROM d.expires_at) * 1000000)::bigint"
	" FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(provider, kind, "
	"key, i)"
	" JOIN provider_documents d"
	" ON d.provider = k.provider AND d.kind = k.kind AND d.key = k.key",
	3,
};

static const struct db_stmt stmt_put = {
	"cache_put",
	"INSERT INTO provider_documents"
	" (provider, kind, key, status, body, etag, canonical_key, fetched_at, expires_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7,"
	" to_timestamp($8::bigint / 1000000.0), to_timestamp($9::bigint / 1000000.0))"
	" ON CONFLICT (provider, kind, key) DO UPDATE SET status = EXCLUDED.status,"
	" body = EXCLUDED.body, etag = EXCLUDED.etag, canonical_key = EXCLUDED.canonical_key,"
	" fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at",
	9,
};

static const struct db_stmt stmt_ext_delete = {
	"cache_ext_delete",
	"DELETE FROM external_ids WHERE provider = $1 AND kind = $2 AND key = $3",
	3,
};

static const struct db_stmt stmt_ext_insert = {
	"cache_ext_insert",
	"INSERT INTO external_ids (provider, kind, key, namespace, external_id)"
	" SELECT $1, $2, $3, n, i FROM unnest($4::text[], $5::text[]) AS t(n, i)"
	" ON CONFLICT DO NOTHING",
	5,
};

/*
 * MusicBrainz entities for a foreign id: those whose url relations name it
 * (external_ids, from MusicBrainz itself) and those the enrichment engine
 * matched (crosswalk), best evidence first.
 */
static const struct db_stmt stmt_ext_find = {
	"cache_ext_find",
	"SELECT kind, id, method, score FROM ("
	" SELECT kind, key AS id, 'mb_relation' AS method, 1::double precision AS score"
	" FROM external_ids WHERE namespace = $1 AND external_id = $2 AND provider = 'musicbrainz'"
	" UNION"
	" SELECT kind, mbid, method, score FROM crosswalk WHERE provider = $3 AND provider_id = $2"
	") m ORDER BY score DESC, kind, id, method LIMIT $4",
	4,
};

static const struct db_stmt stmt_crosswalk_put = {
	"cache_crosswalk_put",
	"INSERT INTO crosswalk (provider, provider_id, kind, mbid, method, score)"
	" VALUES ($1, $2, $3, $4, $5, $6::double precision)"
	" ON CONFLICT (provider, provider_id, kind, mbid) DO UPDATE"
	" SET method = EXCLUDED.method, score = EXCLUDED.score, matched_at = now()",
	6,
};

static const struct db_stmt stmt_lease = {
	"cache_lease",
	"INSERT INTO fetch_leases (provider, kind, key, holder, expires_at)"
	" VALUES ($1, $2, $3, $4, now() + $5::int * interval '1 millisecond')"
	" ON CONFLICT (provider, kind, key) DO UPDATE"
	" SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at"
	" WHERE fetch_leases.expires_at < now() OR fetch_leases.holder = EXCLUDED.holder"
	" RETURNING holder",
	5,
};

static const struct db_stmt stmt_unlease = {
	"cache_unlease",
	"DELETE FROM fetch_leases WHERE provider = $1 AND kind = $2 AND key = $3 AND holder = $4",
	4,
};

void cache_row_release(struct cache_row *r)
{
	doc_entry_unref(r->entry);
	xfree(r->canonical_key);
	r->entry = NULL;
	r->canonical_key = NULL;
}

/*
 * Build a row from row n of res, from column c on: (status, body,
 * canonical_key, etag, fetched_us, expires_us).
 */
static enum err row_from(const struct db_result *res, int n, int c, struct cache_row *out)
{
	const char *status = db_result_value(res, n, c);
	const char *body = db_result_value(res, n, c + 1);
	const char *canon = db_result_value(res, n, c + 2);
	const char *etag = db_result_value(res, n, c + 3);
	int64_t fetched = strtoll(db_result_value(res, n, c + 4), NULL, 10);
	int64_t expires = strtoll(db_result_value(res, n, c + 5), NULL, 10);

	memset(out, 0, sizeof(*out));
	if (strcmp(status, "redirect") == 0 && canon) {
		out->kind = CACHE_ROW_REDIRECT;
		out->canonical_key = xstrdup(canon);
	} else if (strcmp(status, "ok") == 0 && body) {
		out->kind = CACHE_ROW_ENTRY;
		out->entry =
			doc_entry_new(DOC_OK, xstrdup(body), strlen(body), fetched, expires, etag);
	} else {
		out->kind = CACHE_ROW_ENTRY;
		out->entry = doc_entry_new(DOC_NOT_FOUND, NULL, 0, fetched, expires, NULL);
	}
	return ERR_OK;
}

/* Append s to b as an element of a PostgreSQL array literal. */
static void add_array_elem(struct buf *b, const char *s)
{
	if (b->len > 1)
		buf_addch(b, ',');
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

enum err cache_get(struct db_pool *pool, const struct cache_id *id, struct cache_row *out,
		   bool *found)
{
	const char *params[] = {id->provider, id->kind, id->key};
	struct db_conn *c = NULL;
	struct db_result *res = NULL;
	enum err e;

	*found = false;
	e = db_acquire(pool, &c);
	if (e != ERR_OK)
		goto out;
	e = db_exec(c, &stmt_get, params, &res);
	if (e == ERR_OK && db_result_rows(res) == 1) {
		e = row_from(res, 0, 0, out);
		*found = e == ERR_OK;
	}
out:
	db_result_free(res);
	db_release(pool, c);
	return e;
}

enum err cache_get_many(struct db_pool *pool, const struct cache_id *ids, size_t n,
			struct cache_row *rows, bool *found)
{
	struct db_conn *c = NULL;
	struct db_result *res = NULL;
	struct buf arr[3];
	enum err e;

	for (size_t i = 0; i < n; i++)
		found[i] = false;
	for (int k = 0; k < 3; k++) {
		buf_init(&arr[k], 1024 * 1024);
		buf_addch(&arr[k], '{');
	}
	for (size_t i = 0; i < n; i++) {
		add_array_elem(&arr[0], ids[i].provider);
		add_array_elem(&arr[1], ids[i].kind);
		add_array_elem(&arr[2], ids[i].key);
	}
	for (int k = 0; k < 3; k++)
		buf_addch(&arr[k], '}');
	if (buf_failed(&arr[0]) || buf_failed(&arr[1]) || buf_failed(&arr[2])) {
		e = ERR_TOO_LARGE;
		goto out;
	}
	e = db_acquire(pool, &c);
	if (e != ERR_OK)
		goto out;
	{
		const char *params[] = {arr[0].data, arr[1].data, arr[2].data};

		e = db_exec(c, &stmt_get_many, params, &res);
	}
	for (int r = 0; e == ERR_OK && r < db_result_rows(res); r++) {
		long i = strtol(db_result_value(res, r, 0), NULL, 10) - 1;

		if (i < 0 || (size_t)i >= n || found[i])
			continue;
		if (row_from(res, r, 1, &rows[i]) == ERR_OK)
			found[i] = true;
	}
out:
	db_result_free(res);
	db_release(pool, c);
	for (int k = 0; k < 3; k++)
		buf_release(&arr[k]);
	return e;
}

static enum err put_ext_ids(struct db_conn *c, const struct cache_id *id,
			    const struct cache_ext_id *ext, size_t next)
{
	const char *del_params[] = {id->provider, id->kind, id->key};
	struct buf ns, ids;
	enum err e;

	e = db_exec(c, &stmt_ext_delete, del_params, NULL);
	if (e != ERR_OK || next == 0)
		return e;
	buf_init(&ns, 4 * 1024 * 1024);
	buf_init(&ids, 4 * 1024 * 1024);
	buf_addch(&ns, '{');
	buf_addch(&ids, '{');
	for (size_t i = 0; i < next; i++) {
		add_array_elem(&ns, ext[i].ns);
		add_array_elem(&ids, ext[i].id);
	}
	buf_addch(&ns, '}');
	buf_addch(&ids, '}');
	if (buf_failed(&ns) || buf_failed(&ids)) {
		e = ERR_TOO_LARGE;
	} else {
		const char *params[] = {id->provider, id->kind, id->key, ns.data, ids.data};

		e = db_exec(c, &stmt_ext_insert, params, NULL);
	}
	buf_release(&ns);
	buf_release(&ids);
	return e;
}

/* One upsert of provider_documents, inside the caller's transaction. */
static enum err put_row(struct db_conn *c, const struct cache_id *id, const char *status,
			const char *body, const char *etag, const char *canonical,
			int64_t fetched_us, int64_t expires_us)
{
	char fetched[24], expires[24];
	const char *params[] = {id->provider, id->kind,	 id->key, status, body,
				etag,	      canonical, fetched, expires};

	snprintf(fetched, sizeof(fetched), "%lld", (long long)fetched_us);
	snprintf(expires, sizeof(expires), "%lld", (long long)expires_us);
	return db_exec(c, &stmt_put, params, NULL);
}

enum err cache_put(struct db_pool *pool, const struct cache_id *id, const struct doc_entry *e,
		   const struct cache_ext_id *ext, size_t next)
{
	struct db_conn *c = NULL;
	bool ok = e->status == DOC_OK;
	enum err err;

	err = db_acquire(pool, &c);
	if (err != ERR_OK)
		return err;
	err = db_begin(c);
	if (err == ERR_OK)
		err = put_row(c, id, ok ? "ok" : "not_found", ok ? e->body : NULL,
			      ok ? e->etag : NULL, NULL, e->fetched_at_us, e->expires_at_us);
	if (err == ERR_OK && ok)
		err = put_ext_ids(c, id, ext, next);
	if (err == ERR_OK)
		err = db_commit(c);
	else
		db_rollback(c);
	db_release(pool, c);
	return err;
}

enum err cache_put_redirect(struct db_pool *pool, const struct cache_id *id,
			    const char *canonical_key, int64_t fetched_at_us, int64_t expires_at_us)
{
	struct db_conn *c = NULL;
	enum err e;

	e = db_acquire(pool, &c);
	if (e != ERR_OK)
		return e;
	e = put_row(c, id, "redirect", NULL, NULL, canonical_key, fetched_at_us, expires_at_us);
	db_release(pool, c);
	return e;
}

enum err cache_lease_acquire(struct db_pool *pool, const struct cache_id *id, const char *holder,
			     int lease_ms, bool *acquired)
{
	char ms[16];
	const char *params[] = {id->provider, id->kind, id->key, holder, ms};
	struct db_conn *c = NULL;
	struct db_result *res = NULL;
	enum err e;

	*acquired = false;
	snprintf(ms, sizeof(ms), "%d", lease_ms);
	e = db_acquire(pool, &c);
	if (e != ERR_OK)
		return e;
	e = db_exec(c, &stmt_lease, params, &res);
	if (e == ERR_OK)
		*acquired = db_result_rows(res) == 1;
	db_result_free(res);
	db_release(pool, c);
	return e;
}

void cache_lease_release(struct db_pool *pool, const struct cache_id *id, const char *holder)
{
	const char *params[] = {id->provider, id->kind, id->key, holder};
	struct db_conn *c = NULL;

	if (db_acquire(pool, &c) != ERR_OK)
		return;
	if (db_exec(c, &stmt_unlease, params, NULL) != ERR_OK)
		db_rollback(c);
	db_release(pool, c);
}

enum err cache_find_external(struct db_pool *pool, const char *ns, const char *provider,
			     const char *id, int max, struct buf *out)
{
	char limit[16];
	const char *params[] = {ns, id, provider, limit};
	struct db_conn *c = NULL;
	struct db_result *res = NULL;
	enum err e;

	snprintf(limit, sizeof(limit), "%d", max);
	e = db_acquire(pool, &c);
	if (e != ERR_OK)
		return e;
	e = db_exec(c, &stmt_ext_find, params, &res);
	for (int i = 0; e == ERR_OK && i < db_result_rows(res); i++) {
		buf_adds(out, i ? ",{\"kind\":" : "{\"kind\":");
		buf_add_json_str(out, db_result_value(res, i, 0));
		buf_adds(out, ",\"id\":");
		buf_add_json_str(out, db_result_value(res, i, 1));
		buf_adds(out, ",\"match\":{\"method\":");
		buf_add_json_str(out, db_result_value(res, i, 2));
		buf_addf(out, ",\"score\":%.3g}}", strtod(db_result_value(res, i, 3), NULL));
	}
	db_result_free(res);
	db_release(pool, c);
	return e;
}

enum err cache_crosswalk_put(struct db_pool *pool, const char *provider, const char *provider_id,
			     const char *kind, const char *mbid, const char *method, double score)
{
	char sc[32];
	const char *params[] = {provider, provider_id, kind, mbid, method, sc};
	struct db_conn *c = NULL;
	enum err e;

	snprintf(sc, sizeof(sc), "%.6f", score < 0 ? 0 : score > 1 ? 1 : score);
	e = db_acquire(pool, &c);
	if (e == ERR_OK)
		e = db_exec(c, &stmt_crosswalk_put, params, NULL);
	db_release(pool, c);
	return e;
}
