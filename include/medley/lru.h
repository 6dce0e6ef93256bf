/*
 * lru.h - the in-memory layer: ready-to-send documents, bounded by bytes.
 *
 * A struct doc_entry is an immutable, reference-counted document as the
 * cache serves it: the JSON body (everything but the per-request "cache"
 * member), its strong ETag and its timestamps. The LRU maps cache keys to
 * entries; a hot hit takes a reference and builds the response from the
 * entry's bytes, with no JSON work and no database round trip. Several
 * keys may share one entry (a merged MBID and its canonical id).
 *
 * The LRU is bounded by the bytes its entries account for (body plus key
 * plus overhead), not by their number, and evicts least recently used
 * entries first. It is sharded: each shard has its own mutex and an equal
 * share of the cap.
 *
 * Thread-safety: every function here is thread-safe. Entries are never
 * modified after doc_entry_new(); references may be held on any thread.
 */
#ifndef MEDLEY_LRU_H
#define MEDLEY_LRU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "medley/common.h"

enum doc_status {
	DOC_OK,	       /* a document */
	DOC_NOT_FOUND, /* the provider does not know the key (negative cache) */
};

/* Length of an ETag value: '"' + 32 hex digits + '"' and a NUL. */
#define DOC_ETAG_LEN 35

struct doc_entry {
	_Atomic int refs;
	enum doc_status status;
	char *body; /* JSON object text (DOC_OK), NUL-terminated; NULL otherwise */
	size_t body_len;
	char etag[DOC_ETAG_LEN]; /* strong validator of body; "" for DOC_NOT_FOUND */
	int64_t fetched_at_us;	 /* wall clock */
	int64_t expires_at_us;	 /* wall clock: fresh before, stale after */
};

/*
 * New entry with one reference, for the caller to drop with doc_entry_unref().
 * body (DOC_OK only) is taken: the entry frees it. etag is the body's ETag as
 * stored with it earlier, or NULL to compute it here (SHA-256 of the body).
 */
struct doc_entry *doc_entry_new(enum doc_status status, char *body, size_t body_len,
				int64_t fetched_at_us, int64_t expires_at_us, const char *etag);

/* Add a reference; returns e. */
struct doc_entry *doc_entry_ref(struct doc_entry *e);

/* Drop a reference; the last one frees the entry. NULL is a no-op. */
void doc_entry_unref(struct doc_entry *e);

struct lru;

/* New LRU holding at most max_bytes; 0 makes a disabled LRU (get misses, put ignores). */
struct lru *lru_new(size_t max_bytes);

/* Free the LRU and drop its references. NULL is a no-op. */
void lru_free(struct lru *l);

/* The entry for key with a new reference (drop it with doc_entry_unref()), or NULL. */
struct doc_entry *lru_get(struct lru *l, const char *key);

/* Map key to e (the LRU takes its own reference), evicting as needed. */
void lru_put(struct lru *l, const char *key, struct doc_entry *e);

/* Forget key. */
void lru_remove(struct lru *l, const char *key);

/* Bytes and entries held now (approximate under concurrent updates). */
size_t lru_bytes(struct lru *l);
size_t lru_count(struct lru *l);

#endif
