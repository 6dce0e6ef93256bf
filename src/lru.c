/*
 * lru.c - sharded, byte-bounded LRU of reference-counted documents.
 *
 * Each shard is a chained hash table whose nodes are also on a doubly
 * linked recency list (head = most recent). The table doubles when it gets
 * full; eviction pops the tail until the shard is under its share of the
 * cap. An entry larger than a whole shard is not kept. This file knows
 * nothing of freshness: the aggregator decides what an entry's age means.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/hash.h"
#include "medley/lru.h"
#include "medley/metrics.h"
#include "medley/sha256.h"
#include "medley/xalloc.h"

#define LRU_SHARDS 16
#define LRU_NODE_OVERHEAD 128 /* node, entry header and allocator slack */

struct lru_node {
	struct lru_node *hnext;	      /* hash chain */
	struct lru_node *prev, *next; /* recency list */
	struct doc_entry *entry;
	size_t bytes;
	uint64_t hash;
	char key[]; /* NUL-terminated */
};

struct lru_shard {
	pthread_mutex_t mu;
	struct lru_node **table;
	size_t nbuckets; /* power of two */
	size_t count;
	size_t bytes;
	struct lru_node *head, *tail;
};

struct lru {
	size_t max_bytes;
	size_t shard_max;
	struct lru_shard shards[LRU_SHARDS];
};

struct doc_entry *doc_entry_new(enum doc_status status, char *body, size_t body_len,
				int64_t fetched_at_us, int64_t expires_at_us, const char *etag)
{
	struct doc_entry *e = xcalloc(1, sizeof(*e));
	char hex[65];

	atomic_init(&e->refs, 1);
	e->status = status;
	e->body = body;
	e->body_len = body ? body_len : 0;
	e->fetched_at_us = fetched_at_us;
	e->expires_at_us = expires_at_us;
	if (body && etag && strlen(etag) < sizeof(e->etag)) {
		memcpy(e->etag, etag, strlen(etag) + 1);
	} else if (body) {
		sha256_hex(body, body_len, hex);
		snprintf(e->etag, sizeof(e->etag), "\"%.32s\"", hex);
	}
	return e;
}

struct doc_entry *doc_entry_ref(struct doc_entry *e)
{
	atomic_fetch_add(&e->refs, 1);
	return e;
}

void doc_entry_unref(struct doc_entry *e)
{
	if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	xfree(e->body);
	xfree(e);
}

struct lru *lru_new(size_t max_bytes)
{
	struct lru *l = xcalloc(1, sizeof(*l));

	l->max_bytes = max_bytes;
	l->shard_max = max_bytes / LRU_SHARDS;
	for (size_t i = 0; i < LRU_SHARDS; i++) {
		pthread_mutex_init(&l->shards[i].mu, NULL);
		l->shards[i].nbuckets = 64;
		l->shards[i].table = xcalloc(64, sizeof(struct lru_node *));
	}
	return l;
}

static void node_free(struct lru_node *n)
{
	doc_entry_unref(n->entry);
	xfree(n);
}

void lru_free(struct lru *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < LRU_SHARDS; i++) {
		struct lru_node *n = l->shards[i].head;

		while (n) {
			struct lru_node *next = n->next;

			node_free(n);
			n = next;
		}
		xfree(l->shards[i].table);
		pthread_mutex_destroy(&l->shards[i].mu);
	}
	xfree(l);
}

static struct lru_shard *shard_of(struct lru *l, uint64_t h)
{
	return &l->shards[(h >> 56) % LRU_SHARDS];
}

static struct lru_node **bucket(struct lru_shard *s, uint64_t h)
{
	return &s->table[h & (s->nbuckets - 1)];
}

static struct lru_node *find(struct lru_shard *s, uint64_t h, const char *key)
{
	for (struct lru_node *n = *bucket(s, h); n; n = n->hnext)
		if (n->hash == h && strcmp(n->key, key) == 0)
			return n;
	return NULL;
}

static void list_unlink(struct lru_shard *s, struct lru_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		s->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		s->tail = n->prev;
	n->prev = n->next = NULL;
}

static void list_push_head(struct lru_shard *s, struct lru_node *n)
{
	n->prev = NULL;
	n->next = s->head;
	if (s->head)
		s->head->prev = n;
	s->head = n;
	if (!s->tail)
		s->tail = n;
}

/* Unlink n from its chain and the list, and free it. */
static void drop(struct lru_shard *s, struct lru_node *n)
{
	struct lru_node **pp = bucket(s, n->hash);

	while (*pp != n)
		pp = &(*pp)->hnext;
	*pp = n->hnext;
	list_unlink(s, n);
	s->count--;
	s->bytes -= n->bytes;
	node_free(n);
}

static void grow(struct lru_shard *s)
{
	size_t old = s->nbuckets;
	struct lru_node **table = s->table;

	s->nbuckets = old * 2;
	s->table = xcalloc(s->nbuckets, sizeof(*s->table));
	for (size_t i = 0; i < old; i++) {
		struct lru_node *n = table[i];

		while (n) {
			struct lru_node *next = n->hnext;
			struct lru_node **b = bucket(s, n->hash);

			n->hnext = *b;
			*b = n;
			n = next;
		}
	}
	xfree(table);
}

struct doc_entry *lru_get(struct lru *l, const char *key)
{
	uint64_t h = hash_str(key);
	struct lru_shard *s = shard_of(l, h);
	struct doc_entry *e = NULL;
	struct lru_node *n;

	if (!l->max_bytes)
		return NULL;
	pthread_mutex_lock(&s->mu);
	n = find(s, h, key);
	if (n) {
		list_unlink(s, n);
		list_push_head(s, n);
		e = doc_entry_ref(n->entry);
	}
	pthread_mutex_unlock(&s->mu);
	return e;
}

static void update_gauges(struct lru *l)
{
	metrics_gauge_set(METRICS_CACHE_MEMORY_BYTES, (int64_t)lru_bytes(l));
	metrics_gauge_set(METRICS_CACHE_MEMORY_ENTRIES, (int64_t)lru_count(l));
}

void lru_put(struct lru *l, const char *key, struct doc_entry *e)
{
	size_t klen = strlen(key);
	size_t bytes = e->body_len + klen + LRU_NODE_OVERHEAD;
	uint64_t h = hash_str(key);
	struct lru_shard *s = shard_of(l, h);
	struct lru_node *n, *old;

	if (!l->max_bytes || bytes > l->shard_max)
		return;
	n = xmalloc(sizeof(*n) + klen + 1);
	memcpy(n->key, key, klen + 1);
	n->hash = h;
	n->bytes = bytes;
	n->entry = doc_entry_ref(e);
	pthread_mutex_lock(&s->mu);
	old = find(s, h, key);
	if (old)
		drop(s, old);
	if (s->count >= s->nbuckets)
		grow(s);
	n->hnext = *bucket(s, h);
	*bucket(s, h) = n;
	list_push_head(s, n);
	s->count++;
	s->bytes += bytes;
	while (s->bytes > l->shard_max && s->tail)
		drop(s, s->tail);
	pthread_mutex_unlock(&s->mu);
	update_gauges(l);
}

void lru_remove(struct lru *l, const char *key)
{
	uint64_t h = hash_str(key);
	struct lru_shard *s = shard_of(l, h);
	struct lru_node *n;

	if (!l->max_bytes)
		return;
	pthread_mutex_lock(&s->mu);
	n = find(s, h, key);
	if (n)
		drop(s, n);
	pthread_mutex_unlock(&s->mu);
	update_gauges(l);
}

static size_t sum_field(struct lru *l, bool bytes)
{
	size_t total = 0;

	for (size_t i = 0; i < LRU_SHARDS; i++) {
		pthread_mutex_lock(&l->shards[i].mu);
		total += bytes ? l->shards[i].bytes : l->shards[i].count;
		pthread_mutex_unlock(&l->shards[i].mu);
	}
	return total;
}

size_t lru_bytes(struct lru *l)
{
	return sum_field(l, true);
}

size_t lru_count(struct lru *l)
{
	return sum_field(l, false);
}
