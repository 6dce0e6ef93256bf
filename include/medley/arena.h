/*
 * arena.h - a capped bump allocator for request-lifetime memory.
 *
 * Each request owns one arena; everything decoded from the request (path
 * parameters, query parameters) lives in it and is freed at once when the
 * request completes. The cap bounds what one request can make the server
 * allocate; arena_alloc() returns NULL past it and the caller turns that
 * into an error (never an abort: the size came from outside).
 *
 * Build with -DMEDLEY_ARENA_MALLOC to make every allocation its own malloc,
 * so AddressSanitizer sees the bounds of each one.
 *
 * Not thread-safe: an arena belongs to one request, handled by one thread
 * at a time.
 */
#ifndef MEDLEY_ARENA_H
#define MEDLEY_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk first */
	size_t used;		  /* bytes handed out plus chunk overhead */
	size_t max_bytes;	  /* cap on used */
};

/* Set up an empty arena that hands out at most max_bytes. Never fails. */
void arena_init(struct arena *a, size_t max_bytes);

/* Free every allocation; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

/* n bytes aligned for any type, or NULL when the cap would be passed. */
void *arena_alloc(struct arena *a, size_t n);

/* Copy of s[0..n) plus a NUL, or NULL past the cap. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

#endif
