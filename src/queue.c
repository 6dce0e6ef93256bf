/*
 * queue.c - the bounded MPMC pointer FIFO behind queue.h.
 *
 * A ring buffer under one mutex, with one condition variable for "not
 * empty" and one for "not full", both on CLOCK_MONOTONIC so timed pops
 * survive wall-clock jumps. The ring doubles when it fills, up to the cap.
 * This file does not own, free or look at the items; it has no priorities,
 * no per-item deadlines and no wake-up hooks for event loops (a consumer
 * that sleeps elsewhere, such as a fetcher in curl_multi_poll(), is woken
 * by its producer).
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/clock.h"
#include "medley/log.h"
#include "medley/queue.h"
#include "medley/xalloc.h"

/* First ring allocation; it doubles from here up to the cap. */
#define QUEUE_INITIAL_SLOTS 16

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty;
	pthread_cond_t not_full;
	void **ring;  /* alloc slots; items at head, head+1, ... (mod alloc) */
	size_t alloc; /* slots allocated, <= cap */
	size_t head;  /* index of the oldest item */
	size_t len;   /* items queued */
	size_t cap;   /* most items queued at once */
	bool closed;
};

/* pthread calls that only fail on programmer error or exhaustion: stop, like xalloc. */
static void must(int rc, const char *what)
{
	if (rc != 0) {
		log_error("%s failed: %s", what, strerror(rc));
		abort();
	}
}

static void lock(struct queue *q)
{
	must(pthread_mutex_lock(&q->mu), "pthread_mutex_lock");
}

static void unlock(struct queue *q)
{
	must(pthread_mutex_unlock(&q->mu), "pthread_mutex_unlock");
}

struct queue *queue_new(size_t cap)
{
	struct queue *q = xcalloc(1, sizeof(*q));
	pthread_condattr_t attr;

	assert(cap >= 1);
	q->cap = cap;
	must(pthread_mutex_init(&q->mu, NULL), "pthread_mutex_init");
	must(pthread_condattr_init(&attr), "pthread_condattr_init");
	must(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), "pthread_condattr_setclock");
	must(pthread_cond_init(&q->not_empty, &attr), "pthread_cond_init");
	must(pthread_cond_init(&q->not_full, &attr), "pthread_cond_init");
	pthread_condattr_destroy(&attr);
	return q;
}

void queue_free(struct queue *q)
{
	if (!q)
		return;
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->mu);
	xfree(q->ring);
	xfree(q);
}

/* Make room for one more item; the caller checked len < cap. Under the lock. */
static void grow(struct queue *q)
{
	size_t n;
	void **ring;

	if (q->len < q->alloc)
		return;
	n = q->alloc ? q->alloc * 2 : QUEUE_INITIAL_SLOTS;
	if (n > q->cap)
		n = q->cap;
	ring = xmalloc(n * sizeof(*ring));
	for (size_t i = 0; i < q->len; i++)
		ring[i] = q->ring[(q->head + i) % q->alloc];
	xfree(q->ring);
	q->ring = ring;
	q->alloc = n;
	q->head = 0;
}

/* Append under the lock; the caller checked that the queue is open and not full. */
static void put(struct queue *q, void *item)
{
	grow(q);
	q->ring[(q->head + q->len) % q->alloc] = item;
	q->len++;
	must(pthread_cond_signal(&q->not_empty), "pthread_cond_signal");
}

/* Take the oldest item under the lock; the caller checked len > 0. */
static void *take(struct queue *q)
{
	void *item = q->ring[q->head];

	q->head = (q->head + 1) % q->alloc;
	q->len--;
	must(pthread_cond_signal(&q->not_full), "pthread_cond_signal");
	return item;
}

enum err queue_push(struct queue *q, void *item)
{
	enum err e = ERR_OK;

	lock(q);
	while (!q->closed && q->len >= q->cap)
		must(pthread_cond_wait(&q->not_full, &q->mu), "pthread_cond_wait");
	if (q->closed)
		e = ERR_SHUTTING_DOWN;
	else
		put(q, item);
	unlock(q);
	return e;
}

enum err queue_try_push(struct queue *q, void *item)
{
	enum err e = ERR_OK;

	lock(q);
	if (q->closed)
		e = ERR_SHUTTING_DOWN;
	else if (q->len >= q->cap)
		e = ERR_TOO_LARGE;
	else
		put(q, item);
	unlock(q);
	return e;
}

enum err queue_pop(struct queue *q, void **out)
{
	enum err e = ERR_OK;

	lock(q);
	while (!q->closed && q->len == 0)
		must(pthread_cond_wait(&q->not_empty, &q->mu), "pthread_cond_wait");
	if (q->len > 0)
		*out = take(q);
	else
		e = ERR_SHUTTING_DOWN;
	unlock(q);
	return e;
}

enum err queue_try_pop(struct queue *q, void **out)
{
	enum err e = ERR_OK;

	lock(q);
	if (q->len > 0)
		*out = take(q);
	else
		e = q->closed ? ERR_SHUTTING_DOWN : ERR_NOT_FOUND;
	unlock(q);
	return e;
}

enum err queue_pop_timed(struct queue *q, int64_t timeout_ms, void **out)
{
	struct timespec deadline;
	enum err e = ERR_OK;
	int rc = 0;

	clock_deadline_in(CLOCK_MONOTONIC, timeout_ms > 0 ? timeout_ms : 0, &deadline);
	lock(q);
	while (!q->closed && q->len == 0 && rc != ETIMEDOUT && timeout_ms > 0) {
		rc = pthread_cond_timedwait(&q->not_empty, &q->mu, &deadline);
		if (rc != 0 && rc != ETIMEDOUT)
			must(rc, "pthread_cond_timedwait");
	}
	if (q->len > 0)
		*out = take(q);
	else
		e = q->closed ? ERR_SHUTTING_DOWN : ERR_TIMEOUT;
	unlock(q);
	return e;
}

void queue_close(struct queue *q)
{
	lock(q);
	q->closed = true;
	must(pthread_cond_broadcast(&q->not_empty), "pthread_cond_broadcast");
	must(pthread_cond_broadcast(&q->not_full), "pthread_cond_broadcast");
	unlock(q);
}

size_t queue_len(struct queue *q)
{
	size_t n;

	lock(q);
	n = q->len;
	unlock(q);
	return n;
}

bool queue_closed(struct queue *q)
{
	bool closed;

	lock(q);
	closed = q->closed;
	unlock(q);
	return closed;
}
