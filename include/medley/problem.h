/*
 * problem.h - RFC 9457 problem documents, rendered in one place.
 *
 * Every error medley answers is an application/problem+json document with
 * type, title, status, detail, instance and request_id. The type is a URN
 * built from the error's stable machine string (urn:medley:problem:<str>);
 * docs/api.md lists them all. Details never carry SQL, stack traces or
 * upstream bodies: callers pass a short sentence about the request.
 *
 * Pure and thread-safe.
 */
#ifndef MEDLEY_PROBLEM_H
#define MEDLEY_PROBLEM_H

#include "medley/buf.h"
#include "medley/err.h"

#define PROBLEM_CONTENT_TYPE "application/problem+json"
#define PROBLEM_TYPE_PREFIX "urn:medley:problem:"

/*
 * Append the problem document for e to out. detail may be NULL (the title
 * is used); instance is the request path; request_id the request's id.
 * extra_members, when not NULL, is appended verbatim inside the object as
 * RFC 9457 extension members: it must be well-formed JSON members such as
 * "\"checks\":{...}" (built by the caller with buf's escaping).
 */
void problem_render(struct buf *out, enum err e, const char *detail, const char *instance,
		    const char *request_id, const char *extra_members);

#endif
