/*
 * test_queue.c - the bounded MPMC pointer FIFO: order, cap, close, threads.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "medley/queue.h"

/* Small integers travel as pointers; the queue never dereferences them. */
static void *item(uintptr_t n)
{
	return (void *)n;
}

static void test_fifo_and_wraparound(void **state)
{
	struct queue *q = queue_new(40);
	uintptr_t next_in = 0, next_out = 0;
	void *p;

	(void)state;
	/* Interleave pushes and pops so the ring wraps and grows past 16 slots. */
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 3 + round % 5 && queue_len(q) < 40; i++)
			assert_int_equal(queue_try_push(q, item(next_in++)), ERR_OK);
		for (int i = 0; i < 2 + round % 3 && queue_len(q) > 0; i++) {
			assert_int_equal(queue_try_pop(q, &p), ERR_OK);
			assert_int_equal((uintptr_t)p, next_out++);
		}
	}
	while (queue_try_pop(q, &p) == ERR_OK)
		assert_int_equal((uintptr_t)p, next_out++);
	assert_int_equal(next_in, next_out);
	queue_free(q);
}

static void test_cap(void **state)
{
	struct queue *q = queue_new(3);
	void *p = NULL;

	(void)state;
	assert_int_equal(queue_try_pop(q, &p), ERR_NOT_FOUND);
	for (uintptr_t i = 0; i < 3; i++)
		assert_int_equal(queue_try_push(q, item(i)), ERR_OK);
	assert_int_equal(queue_try_push(q, item(9)), ERR_TOO_LARGE);
	assert_int_equal(queue_len(q), 3);
	assert_int_equal(queue_pop(q, &p), ERR_OK);
	assert_null(p); /* item 0 is NULL, and NULL is a valid item */
	assert_int_equal(queue_try_push(q, item(3)), ERR_OK);
	assert_int_equal(queue_try_push(q, item(4)), ERR_TOO_LARGE);
	for (uintptr_t i = 1; i <= 3; i++) {
		assert_int_equal(queue_pop_timed(q, 0, &p), ERR_OK);
		assert_int_equal((uintptr_t)p, i);
	}
	assert_int_equal(queue_pop_timed(q, 0, &p), ERR_TIMEOUT);
	queue_free(q);
}

static void test_close_drains(void **state)
{
	struct queue *q = queue_new(4);
	void *p;

	(void)state;
	assert_int_equal(queue_push(q, item(1)), ERR_OK);
	assert_int_equal(queue_push(q, item(2)), ERR_OK);
	assert_false(queue_closed(q));
	queue_close(q);
	queue_close(q); /* idempotent */
	assert_true(queue_closed(q));
	assert_int_equal(queue_push(q, item(3)), ERR_SHUTTING_DOWN);
	assert_int_equal(queue_try_push(q, item(3)), ERR_SHUTTING_DOWN);
	assert_int_equal(queue_pop(q, &p), ERR_OK);
	assert_int_equal((uintptr_t)p, 1);
	assert_int_equal(queue_pop_timed(q, 1000, &p), ERR_OK);
	assert_int_equal((uintptr_t)p, 2);
	assert_int_equal(queue_pop(q, &p), ERR_SHUTTING_DOWN);
	assert_int_equal(queue_try_pop(q, &p), ERR_SHUTTING_DOWN);
	/* Closed and empty: a timed pop returns at once, not after an hour. */
	assert_int_equal(queue_pop_timed(q, 3600 * 1000, &p), ERR_SHUTTING_DOWN);
	queue_free(q);
	queue_free(NULL);
}

/* ---- threads: blocked callers wake on close -------------------------------- */

struct blocked {
	struct queue *q;
	enum err e;
};

static void *blocked_pusher(void *arg)
{
	struct blocked *b = arg;

	b->e = queue_push(b->q, item(7)); /* the queue is full: blocks until closed */
	return NULL;
}

static void *blocked_popper(void *arg)
{
	struct blocked *b = arg;
	void *p;

	b->e = queue_pop(b->q, &p); /* the queue is empty: blocks until closed */
	return NULL;
}

static void test_close_wakes_blocked(void **state)
{
	struct blocked full = {queue_new(1), ERR_OK}, empty = {queue_new(1), ERR_OK};
	pthread_t t1, t2;
	void *p;

	(void)state;
	assert_int_equal(queue_push(full.q, item(1)), ERR_OK);
	assert_int_equal(pthread_create(&t1, NULL, blocked_pusher, &full), 0);
	assert_int_equal(pthread_create(&t2, NULL, blocked_popper, &empty), 0);
	queue_close(full.q);
	queue_close(empty.q);
	assert_int_equal(pthread_join(t1, NULL), 0);
	assert_int_equal(pthread_join(t2, NULL), 0);
	assert_int_equal(full.e, ERR_SHUTTING_DOWN);
	assert_int_equal(empty.e, ERR_SHUTTING_DOWN);
	assert_int_equal(queue_pop(full.q, &p), ERR_OK); /* what was queued survives */
	queue_free(full.q);
	queue_free(empty.q);
}

/* ---- threads: many producers, many consumers, a tiny cap ------------------- */

#define PRODUCERS 4
#define CONSUMERS 3
#define PER_PRODUCER 20000

struct mpmc {
	struct queue *q;
	int producer; /* producers only */
	uint64_t sum; /* consumers only: of the values taken */
	uint64_t n;
	bool in_order; /* consumers only: each producer's items came in order */
};

static void *producer(void *arg)
{
	struct mpmc *m = arg;

	for (uintptr_t i = 0; i < PER_PRODUCER; i++) {
		uintptr_t v = ((uintptr_t)m->producer << 32) | (i + 1);

		if (queue_push(m->q, item(v)) != ERR_OK)
			return NULL;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct mpmc *m = arg;
	uint64_t last[PRODUCERS] = {0};
	void *p;

	m->in_order = true;
	while (queue_pop(m->q, &p) == ERR_OK) {
		uintptr_t v = (uintptr_t)p;
		unsigned who = (unsigned)(v >> 32);
		uint64_t seq = v & 0xffffffffu;

		if (who >= PRODUCERS || seq <= last[who])
			m->in_order = false;
		else
			last[who] = seq;
		m->sum += seq;
		m->n++;
	}
	return NULL;
}

static void test_mpmc(void **state)
{
	struct queue *q = queue_new(8);
	struct mpmc prod[PRODUCERS], cons[CONSUMERS];
	pthread_t pt[PRODUCERS], ct[CONSUMERS];
	uint64_t sum = 0, n = 0;

	(void)state;
	memset(cons, 0, sizeof(cons));
	for (int i = 0; i < CONSUMERS; i++) {
		cons[i].q = q;
		assert_int_equal(pthread_create(&ct[i], NULL, consumer, &cons[i]), 0);
	}
	for (int i = 0; i < PRODUCERS; i++) {
		prod[i] = (struct mpmc){.q = q, .producer = i};
		assert_int_equal(pthread_create(&pt[i], NULL, producer, &prod[i]), 0);
	}
	for (int i = 0; i < PRODUCERS; i++)
		assert_int_equal(pthread_join(pt[i], NULL), 0);
	queue_close(q); /* consumers drain what is left, then stop */
	for (int i = 0; i < CONSUMERS; i++) {
		assert_int_equal(pthread_join(ct[i], NULL), 0);
		assert_true(cons[i].in_order);
		sum += cons[i].sum;
		n += cons[i].n;
	}
	assert_int_equal(n, (uint64_t)PRODUCERS * PER_PRODUCER);
	assert_int_equal(sum, (uint64_t)PRODUCERS * PER_PRODUCER * (PER_PRODUCER + 1) / 2);
	queue_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_and_wraparound),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_close_drains),
		cmocka_unit_test(test_close_wakes_blocked),
		cmocka_unit_test(test_mpmc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
