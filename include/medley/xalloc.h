/*
 * xalloc.h - allocation wrappers that abort on out-of-memory.
 *
 * medley does not try to limp on after malloc fails: every size that the
 * outside world controls is capped before it is allocated (see buf.h and
 * arena.h), so a failure here is a real exhaustion and the process aborts
 * with a message. cJSON is routed through these too (json.h).
 *
 * All functions are thread-safe and never return NULL. xfree(NULL) is a no-op.
 */
#ifndef MEDLEY_XALLOC_H
#define MEDLEY_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void xfree(void *p);

#endif
