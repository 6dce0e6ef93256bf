/*
 * req.c - the request object's getters and the two ways to answer.
 *
 * Nothing here talks to the network: http.c turns the finished struct req
 * into a libmicrohttpd response.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "medley/problem.h"
#include "medley/req.h"

void req_init(struct req *r)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->arena, REQ_ARENA_BYTES);
	buf_init(&r->body, REQ_MAX_BODY_BYTES);
	r->route_name = "unknown";
	r->scheme = "http";
}

void req_release(struct req *r)
{
	buf_release(&r->body);
	arena_release(&r->arena);
}

const char *req_header(const struct req *r, const char *name)
{
	return r->header_fn ? r->header_fn(r->conn, name) : NULL;
}

const char *req_param(const struct req *r, const char *name)
{
	return router_param(&r->match, name);
}

const char *req_query(const struct req *r, const char *name)
{
	return url_query_get(&r->query, name);
}

void req_add_header(struct req *r, const char *name, const char *value)
{
	char *copy;

	assert(r->nheaders < REQ_MAX_HEADERS);
	if (r->nheaders >= REQ_MAX_HEADERS)
		return;
	copy = arena_strndup(&r->arena, value, strlen(value));
	if (!copy)
		return;
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = copy;
	r->nheaders++;
}

void req_set_header(struct req *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0) {
			char *copy = arena_strndup(&r->arena, value, strlen(value));

			if (copy)
				r->headers[i].value = copy;
			return;
		}
	}
	req_add_header(r, name, value);
}

void req_clear_headers(struct req *r)
{
	r->nheaders = 0;
	r->fresh_until_us = 0;
}

void req_reply(struct req *r, int status, const char *content_type)
{
	if (buf_failed(&r->body)) {
		req_fail(r, ERR_TOO_LARGE, "response body exceeded %u bytes",
			 (unsigned)REQ_MAX_BODY_BYTES);
		return;
	}
	r->status = status;
	r->content_type = content_type;
}

void req_defer(struct req *r)
{
	atomic_store(&r->async, REQ_DEFERRED);
}

void req_then(struct req *r, req_then_fn *fn, void *arg)
{
	r->then = fn;
	r->then_arg = arg;
}

void req_then_run(struct req *r)
{
	req_then_fn *fn;

	/* Deferred: another thread may own r now and runs the continuation itself. */
	if (atomic_load(&r->async) != REQ_SYNC || !r->then)
		return;
	fn = r->then;
	r->then = NULL;
	req_defer(r);
	fn(r, r->then_arg);
}

void req_complete(struct req *r)
{
	req_then_fn *fn = r->then;
	int prev;

	if (fn) { /* the continuation takes the answer over and completes it */
		r->then = NULL;
		fn(r, r->then_arg);
		return;
	}
	prev = atomic_exchange(&r->async, REQ_COMPLETED);

	/* Suspended already: resume now. Still deferred: http.c sees COMPLETED and does not suspend. */
	assert(prev == REQ_DEFERRED || prev == REQ_SUSPENDED);
	if (prev == REQ_SUSPENDED)
		r->resume_fn(r->conn);
}

void req_note_source(struct req *r, const char *provider, const char *status)
{
	if (r->nsources >= REQ_MAX_SOURCES)
		return;
	r->sources[r->nsources].provider = provider;
	r->sources[r->nsources].status = status;
	r->nsources++;
}

void req_fail(struct req *r, enum err e, const char *detail_fmt, ...)
{
	char detail[512];
	va_list ap;

	detail[0] = '\0';
	if (detail_fmt) {
		va_start(ap, detail_fmt);
		vsnprintf(detail, sizeof(detail), detail_fmt, ap);
		va_end(ap);
	}
	buf_reset(&r->body);
	problem_render(&r->body, e, detail, r->path, r->id, NULL);
	r->status = err_http_status(e);
	r->content_type = PROBLEM_CONTENT_TYPE;
	r->error = e;
}
