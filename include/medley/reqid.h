/*
 * reqid.h - request ids: echo the client's when safe, else make one.
 *
 * A client's X-Request-Id is echoed when it is 1..REQ_ID_MAX characters of
 * RFC 9110 token characters (so it cannot inject into logs or headers).
 * Otherwise medley generates 32 hex digits, unique within the process and
 * random across processes. Thread-safe, lock-free.
 */
#ifndef MEDLEY_REQID_H
#define MEDLEY_REQID_H

#include <stdbool.h>
#include <stddef.h>

/* True if s is acceptable as a request id of at most max_len characters. */
bool reqid_valid(const char *s, size_t max_len);

/* Write the id for this request into out[0..size): client's if valid, else a new one. */
void reqid_assign(const char *client, char *out, size_t size);

#endif
