/*
 * arena.c - chunked bump allocation with a hard cap (see arena.h).
 *
 * Chunks grow from 1 KiB; an allocation larger than half a chunk gets a
 * chunk of its own. There is no per-allocation free.
 */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "medley/arena.h"
#include "medley/xalloc.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* bytes in data */
	size_t off;  /* bytes used in data */
	alignas(max_align_t) unsigned char data[];
};

#define ARENA_MIN_CHUNK 1024
#define ARENA_ALIGN alignof(max_align_t)

void arena_init(struct arena *a, size_t max_bytes)
{
	a->head = NULL;
	a->used = 0;
	a->max_bytes = max_bytes;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		xfree(c);
		c = next;
	}
	arena_init(a, a->max_bytes);
}

static struct arena_chunk *arena_new_chunk(struct arena *a, size_t size)
{
	size_t total = sizeof(struct arena_chunk) + size;
	struct arena_chunk *c;

	if (total > a->max_bytes - a->used)
		return NULL;
	c = xmalloc(total);
	c->size = size;
	c->off = 0;
	a->used += total;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need;

	if (n > a->max_bytes)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
#ifdef MEDLEY_ARENA_MALLOC
	c = NULL;
#endif
	if (!c || c->size - c->off < need) {
		size_t size = need;

#ifndef MEDLEY_ARENA_MALLOC
		size_t grow = c ? c->size * 2 : ARENA_MIN_CHUNK;

		if (need <= grow / 2)
			size = grow;
#endif
		struct arena_chunk *fresh = arena_new_chunk(a, size);

		if (!fresh)
			return NULL;
		/* A big one-off chunk goes behind the current one, which keeps its room. */
		if (c && size == need && need > ARENA_MIN_CHUNK) {
			fresh->next = c->next;
			c->next = fresh;
		} else {
			fresh->next = c;
			a->head = fresh;
		}
		c = fresh;
	}
	void *p = c->data + c->off;

	c->off += need;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
