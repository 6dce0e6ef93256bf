/*
 * buf.h - growable, capped, always NUL-terminated byte buffers.
 *
 * A struct buf is a value owned by whoever declares it. It grows on demand
 * up to a cap fixed at buf_init(); an append that would pass the cap sets a
 * sticky error flag instead and leaves the contents as they were before that
 * append. Callers append freely and check buf_failed() once at the end, the
 * way curl's dynbuf and git's strbuf are used.
 *
 *	struct buf b;
 *	buf_init(&b, 64 * 1024);
 *	buf_addf(&b, "{\"n\":%d}", n);
 *	if (buf_failed(&b)) ...ERR_TOO_LARGE...
 *	buf_release(&b);
 *
 * b.data is never NULL and always NUL-terminated (it points at a shared
 * empty string before the first append), so it can be handed to string
 * functions at any time. Not thread-safe: one buf, one thread at a time.
 */
#ifndef MEDLEY_BUF_H
#define MEDLEY_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "medley/common.h"

struct buf {
	char *data;	/* contents plus a NUL; never NULL */
	size_t len;	/* bytes used, not counting the NUL */
	size_t alloc;	/* bytes allocated (0 while data is the shared empty string) */
	size_t max_len; /* cap on len */
	bool failed;	/* sticky: an append passed max_len */
};

/* Set up an empty buffer that may hold at most max_len bytes. Never fails. */
void buf_init(struct buf *b, size_t max_len);

/* Free what b holds and leave it empty (still usable, same cap, flag cleared). */
void buf_release(struct buf *b);

/* Empty b, keeping its memory and cap; clears the error flag. */
void buf_reset(struct buf *b);

/* True if any append since init/reset passed the cap. */
static inline bool buf_failed(const struct buf *b)
{
	return b->failed;
}

/*
 * Make room for n more bytes without changing the contents, so a known-size
 * append costs one allocation. False (and the sticky flag) past the cap.
 */
bool buf_reserve(struct buf *b, size_t n);

/* Append n bytes / a C string / one byte / printf output. Never allocate past the cap. */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);

/*
 * Append s as a JSON string literal, quotes included, escaping what RFC 8259
 * requires. Bytes that are not valid UTF-8 are replaced by U+FFFD so that the
 * output is always valid JSON whatever the input.
 */
void buf_add_json_str(struct buf *b, const char *s);
void buf_add_json_strn(struct buf *b, const char *s, size_t n);

/*
 * Append s percent-encoded for a URL path segment or query value: RFC 3986
 * unreserved bytes (A-Z a-z 0-9 - . _ ~) as they are, every other byte as
 * %XX (uppercase hex).
 */
void buf_add_pct(struct buf *b, const char *s);

/*
 * Move the contents out: returns a malloc'd, NUL-terminated string the caller
 * frees with xfree(), stores its length in *len_out when len_out is not NULL,
 * and leaves b empty. Never returns NULL.
 */
char *buf_detach(struct buf *b, size_t *len_out);

#endif
