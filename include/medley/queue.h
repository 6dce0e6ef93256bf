/*
 * queue.h - the one cross-thread hand-off: a bounded FIFO of pointers.
 *
 * Any number of producers push, any number of consumers pop (MPMC), under
 * one mutex with two condition variables. Items are opaque pointers the
 * queue never dereferences or frees: whoever pushes an item hands it over,
 * whoever pops it owns it.
 *
 *	struct queue *q = queue_new(1000);
 *	producer:  if (queue_try_push(q, job)) ...full or closed: job is still yours...
 *	consumer:  while (queue_pop(q, &p) == ERR_OK) handle(p);
 *	shutdown:  queue_close(q); ...consumers drain what is left, then see
 *	           ERR_SHUTTING_DOWN...; queue_free(q);
 *
 * Capacity. At most `cap` items wait at once. Storage grows on demand up to
 * that cap (so a large cap costs nothing until it is used) and never shrinks.
 *
 * Closing. queue_close() is a one-way switch: later pushes fail with
 * ERR_SHUTTING_DOWN, blocked pushers and poppers wake up, and pops keep
 * returning the items already queued until the queue is empty. Every item
 * pushed successfully is therefore popped by someone, or still in the queue
 * when it is freed.
 *
 * Threading. Every function is thread-safe except queue_free(), which must
 * run when no other thread uses the queue. Blocking is stated per function;
 * none of them holds the mutex while the caller runs.
 */
#ifndef MEDLEY_QUEUE_H
#define MEDLEY_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "medley/common.h"
#include "medley/err.h"

struct queue;

/* A queue holding at most cap items (cap >= 1, asserted). Never returns NULL. */
struct queue *queue_new(size_t cap);

/*
 * Free q (NULL is a no-op). Items still queued are not freed (the queue
 * does not know what they are): drain the queue first.
 */
void queue_free(struct queue *q);

/*
 * Append item (any pointer, NULL included). Blocks while the queue is full.
 * Errors: ERR_SHUTTING_DOWN when the queue is or becomes closed; item then
 * stays the caller's.
 */
MUST_CHECK enum err queue_push(struct queue *q, void *item);

/*
 * Append item without blocking. Errors: ERR_TOO_LARGE when full,
 * ERR_SHUTTING_DOWN when closed; either way item stays the caller's.
 */
MUST_CHECK enum err queue_try_push(struct queue *q, void *item);

/*
 * Take the oldest item into *out (the caller now owns it). Blocks until
 * there is one. Errors: ERR_SHUTTING_DOWN when closed and empty.
 */
MUST_CHECK enum err queue_pop(struct queue *q, void **out);

/*
 * Take the oldest item without blocking. Errors: ERR_NOT_FOUND when empty
 * and open, ERR_SHUTTING_DOWN when closed and empty.
 */
MUST_CHECK enum err queue_try_pop(struct queue *q, void **out);

/*
 * As queue_pop(), waiting at most timeout_ms (measured on CLOCK_MONOTONIC,
 * never on the fake clock). timeout_ms <= 0 behaves as queue_try_pop() but
 * reports an empty queue as ERR_TIMEOUT. Errors: ERR_TIMEOUT,
 * ERR_SHUTTING_DOWN when closed and empty.
 */
MUST_CHECK enum err queue_pop_timed(struct queue *q, int64_t timeout_ms, void **out);

/* Close q (idempotent) and wake every blocked pusher and popper. Does not block. */
void queue_close(struct queue *q);

/* Items queued now; a snapshot that may be stale by the time it is read. */
size_t queue_len(struct queue *q);

/* True once queue_close() has run. */
bool queue_closed(struct queue *q);

#endif
