/*
 * http.c - libmicrohttpd glue: the only file that includes <microhttpd.h>.
 *
 * Request lifecycle, in libmicrohttpd's callbacks:
 *  1. uri_log_cb: the request line arrived. Allocate our struct http_call
 *     (it becomes MHD's per-request context), copy the raw target.
 *  2. access_cb, first call: headers are complete. Assign the request id
 *     and check the header limits. Return without queueing: 0.9.75 closes
 *     the connection if a response is queued on the first call.
 *  3. access_cb with upload data: count and discard the body, 413 past
 *     the cap.
 *  4. access_cb, final call: parse, route, run the handler, queue.
 *  5. completed_cb: access log, metrics, free.
 *
 * What this file does not do: decide what a route answers (handlers), or
 * render errors (problem.c via req_fail()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "medley/clock.h"
#include "medley/http.h"
#include "medley/log.h"
#include "medley/metrics.h"
#include "medley/proxy.h"
#include "medley/reqid.h"
#include "medley/req.h"
#include "medley/xalloc.h"

/* Body bytes read and discarded after an error, before answering and closing. */
#define HTTP_DRAIN_BYTES (1024 * 1024)

struct http_server {
	struct MHD_Daemon *daemon;
	const struct config_server *cfg;
	const struct route *routes;
	size_t nroutes;
	struct app *app;
	struct proxy_list proxies; /* cfg->trusted_proxies, parsed */
	_Atomic int inflight;
	int port;
	MHD_socket listen_fd; /* returned by quiesce, closed by us */
	bool quiesced;
	_Atomic bool closing;  /* quiesced: every answer ends its connection */
	_Atomic bool stopping; /* drained: requests not yet handled are dropped */
};

struct http_call {
	struct req req;
	struct http_server *srv;
	size_t target_len;	/* length of the raw target as received */
	size_t body_bytes;	/* request body bytes seen */
	struct proxy_addr peer; /* TCP peer, when have_peer */
	bool have_peer;
	bool headers_seen; /* first access_cb call done */
	bool queued;	   /* a response was queued */
};

static const char *conn_header(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static void conn_resume(void *conn)
{
	MHD_resume_connection(conn);
}

/* The TCP peer of conn; the effective client until X-Forwarded-For says otherwise. */
static void set_peer(struct MHD_Connection *conn, struct http_call *call)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	/* MHD keeps the address as accepted; the family says how much of it to read. */
	call->have_peer =
		info && proxy_addr_from_sockaddr(info->client_addr, sizeof(struct sockaddr_storage),
						 &call->peer);
	if (call->have_peer)
		proxy_addr_format(&call->peer, call->req.client_addr,
				  sizeof(call->req.client_addr));
}

static enum MHD_Result add_forwarded_for(void *cls, enum MHD_ValueKind kind, const char *key,
					 const char *value)
{
	struct buf *b = cls;

	(void)kind;
	if (value && strcasecmp(key, "X-Forwarded-For") == 0) {
		if (b->len)
			buf_addch(b, ',');
		buf_adds(b, value);
	}
	return MHD_YES;
}

/*
 * From a trusted proxy: the client and scheme its headers give. Called
 * after the header-size check, so the joined X-Forwarded-For is bounded.
 */
static void apply_forwarded(struct MHD_Connection *conn, struct http_call *call)
{
	const struct http_server *srv = call->srv;
	struct req *r = &call->req;
	struct proxy_addr client;
	struct buf xff;

	if (!call->have_peer || !proxy_list_match(&srv->proxies, &call->peer))
		return;
	buf_init(&xff, (size_t)srv->cfg->max_header_bytes + 1);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_forwarded_for, &xff);
	proxy_resolve(&srv->proxies, &call->peer, xff.len && !buf_failed(&xff) ? xff.data : NULL,
		      conn_header(conn, "X-Forwarded-Proto"), &client, &r->scheme);
	proxy_addr_format(&client, r->client_addr, sizeof(r->client_addr));
	buf_release(&xff);
}

static void *uri_log_cb(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *srv = cls;
	struct http_call *call = xmalloc(sizeof(*call));
	size_t len = strlen(uri);
	size_t keep = len <= (size_t)srv->cfg->max_url_bytes ? len : 0;

	req_init(&call->req);
	/* Room for the target, its decoded path and query, and handler scratch. */
	call->req.arena.max_bytes = REQ_ARENA_BYTES + 4 * (size_t)srv->cfg->max_url_bytes;
	call->srv = srv;
	call->target_len = len;
	call->body_bytes = 0;
	call->headers_seen = false;
	call->queued = false;
	call->req.start_us = clock_mono_us();
	call->req.app = srv->app;
	call->req.conn = conn;
	call->req.header_fn = conn_header;
	call->req.resume_fn = conn_resume;
	set_peer(conn, call);
	/* An over-long target is not copied: it is answered with 414 and a short instance. */
	call->req.target = arena_strndup(&call->req.arena, uri, keep);
	atomic_fetch_add(&srv->inflight, 1);
	metrics_inflight_add(1);
	return call;
}

static enum MHD_Result add_header_bytes(void *cls, enum MHD_ValueKind kind, const char *key,
					const char *value)
{
	size_t *sum = cls;

	(void)kind;
	*sum += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
	return MHD_YES;
}

static void add_resp_header(struct MHD_Response *resp, const char *name, const char *value)
{
	if (MHD_add_response_header(resp, name, value) != MHD_YES)
		log_warn("cannot add response header '%s'", name);
}

/* Turn the finished req into a libmicrohttpd response and queue it. */
static enum MHD_Result queue_reply(struct MHD_Connection *conn, struct http_call *call)
{
	struct req *r = &call->req;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	bool cache_control = false;
	size_t len;
	char *body;

	if (r->status == 0) {
		log_error("handler for route '%s' returned without answering", r->route_name);
		req_fail(r, ERR_INTERNAL, NULL);
	}
	body = buf_detach(&r->body, &len);
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		xfree(body);
		return MHD_NO;
	}
	add_resp_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	add_resp_header(resp, "X-Request-Id", r->id);
	for (size_t i = 0; i < r->nheaders; i++) {
		add_resp_header(resp, r->headers[i].name, r->headers[i].value);
		cache_control |= strcasecmp(r->headers[i].name, "Cache-Control") == 0;
	}
	if (!cache_control)
		add_resp_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* No longer accepting: a further request on this connection would find it closing. */
	if (atomic_load(&call->srv->closing))
		add_resp_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	call->queued = ret == MHD_YES;
	/* Keep the length for the access log: the body now belongs to MHD. */
	r->body.len = len;
	return ret;
}

/* Split the target, parse the query, match the route: everything before the handler. */
static void prepare(struct http_call *call)
{
	struct http_server *srv = call->srv;
	struct req *r = &call->req;
	const char *q = strchr(r->target, '?');
	size_t plen = strlen(r->path);
	const char *why = NULL;
	enum err e;

	if (q) {
		e = url_parse_query(&r->arena, q + 1, strlen(q + 1), &r->query, &why);
		if (e != ERR_OK) {
			req_fail(r, e == ERR_BAD_QUERY ? e : ERR_URI_TOO_LONG, "%s",
				 why ? why : "query string too large");
			return;
		}
	}
	e = router_match(srv->routes, srv->nroutes, r->method, r->target, plen, &r->arena,
			 &r->match, &why);
	if (e == ERR_OK) {
		r->route_name = r->match.route->name;
		r->route_index = r->match.index;
	} else if (e == ERR_METHOD_NOT_ALLOWED) {
		char allow[96];

		router_allow_str(r->match.allow, allow, sizeof(allow));
		req_fail(r, e, "method %s is not allowed here; allowed: %s", r->method_token,
			 allow);
		req_add_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	} else if (e == ERR_BAD_PATH) {
		req_fail(r, e, "%s", why);
	} else if (e == ERR_NOT_FOUND) {
		req_fail(r, e, "no resource at this path");
	} else {
		req_fail(r, ERR_URI_TOO_LONG, NULL);
	}
}

/* First call: headers complete. Assign the id and check header-level limits. */
static void on_headers(struct MHD_Connection *conn, struct http_call *call, const char *method)
{
	const struct config_server *cfg = call->srv->cfg;
	struct req *r = &call->req;
	const char *clen;
	size_t hbytes = 0;

	r->route_index = call->srv->nroutes; /* "unknown" until matched */
	r->method_token = arena_strndup(&r->arena, method, strnlen(method, 32));
	r->method = router_method(r->method_token ? r->method_token : "");
	reqid_assign(conn_header(conn, "X-Request-Id"), r->id, sizeof(r->id));
	if (call->target_len > (size_t)cfg->max_url_bytes || !r->target) {
		req_fail(r, ERR_URI_TOO_LONG, "request target is %zu bytes; the limit is %ld",
			 call->target_len, cfg->max_url_bytes);
		return;
	}
	r->path = arena_strndup(&r->arena, r->target, strcspn(r->target, "?"));
	if (!r->path) {
		req_fail(r, ERR_URI_TOO_LONG, NULL);
		return;
	}
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_bytes, &hbytes);
	if (hbytes > (size_t)cfg->max_header_bytes) {
		req_fail(r, ERR_HEADERS_TOO_LARGE,
			 "request headers are %zu bytes; the limit is %ld", hbytes,
			 cfg->max_header_bytes);
		return;
	}
	apply_forwarded(conn, call);
	clen = conn_header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (clen && strtoull(clen, NULL, 10) > (unsigned long long)cfg->max_body_bytes)
		req_fail(r, ERR_BODY_TOO_LARGE, "request body is larger than %ld bytes",
			 cfg->max_body_bytes);
}

/*
 * The handler deferred its answer: suspend, unless it completed meanwhile.
 * req_complete() resumes only after it sees SUSPENDED, so exactly one side
 * acts, and never before the suspension.
 */
static enum MHD_Result suspend(struct MHD_Connection *conn, struct req *r)
{
	int expected = REQ_DEFERRED;

	MHD_suspend_connection(conn);
	if (!atomic_compare_exchange_strong(&r->async, &expected, REQ_SUSPENDED))
		MHD_resume_connection(conn); /* completed before we suspended */
	return MHD_YES;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	struct http_call *call = *con_cls;
	struct req *r = &call->req;

	(void)cls, (void)url, (void)version, (void)upload_data, (void)method;
	if (call->queued)
		return MHD_YES;
	if (!call->headers_seen) {
		call->headers_seen = true;
		on_headers(conn, call, method);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t cap = (size_t)call->srv->cfg->max_body_bytes;

		call->body_bytes += *upload_data_size;
		*upload_data_size = 0;
		if (r->status == 0 && call->body_bytes > cap)
			req_fail(r, ERR_BODY_TOO_LARGE, "request body is larger than %zu bytes",
				 cap);
		/*
		 * Answering mid-upload makes MHD close with unread input, and the
		 * kernel's RST can destroy the answer before the client reads it.
		 * So the body is drained, and answered early only past a budget.
		 */
		if (r->status && call->body_bytes > cap + HTTP_DRAIN_BYTES)
			return queue_reply(conn, call);
		return MHD_YES;
	}
	if (atomic_load(&r->async) == REQ_COMPLETED)
		return queue_reply(conn, call); /* resumed with the deferred answer */
	if (atomic_load(&r->async) != REQ_SYNC)
		return MHD_YES; /* suspended and not completed: nothing to do yet */
	/*
	 * Drained: the services are stopping, and a request arriving now on a
	 * connection kept alive from before would get a 503 that a proxy takes as
	 * final. Close the connection without an answer instead, as if it had
	 * been closed while idle: the client or proxy may retry it elsewhere.
	 */
	if (atomic_load(&call->srv->stopping))
		return MHD_NO;
	if (r->status == 0)
		prepare(call);
	if (r->status == 0)
		r->match.route->handler(r);
	if (atomic_load(&r->async) == REQ_DEFERRED)
		return suspend(conn, r);
	return queue_reply(conn, call);
}

static void access_log(const struct http_call *call, int64_t dur_us,
		       enum MHD_RequestTerminationCode toe)
{
	const struct req *r = &call->req;
	struct log_line l;

	if (!log_begin(&l, r->status >= 500 ? LOG_WARN : LOG_INFO, "request"))
		return;
	log_str(&l, "req", r->id[0] ? r->id : NULL);
	log_str(&l, "client", r->client_addr[0] ? r->client_addr : NULL);
	log_str(&l, "method", r->method_token ? r->method_token : "-");
	log_str(&l, "route", r->route_name);
	log_int(&l, "status", r->status);
	log_int(&l, "bytes", (long long)r->body.len);
	log_dbl(&l, "duration_ms", (double)dur_us / 1000.0);
	if (r->cache_status)
		log_str(&l, "cache", r->cache_status);
	for (size_t i = 0; i < r->nsources; i++)
		log_str(&l, r->sources[i].provider, r->sources[i].status);
	if (r->error != ERR_OK)
		log_str(&l, "error", err_str(r->error));
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		log_str(&l, "aborted",
			toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT ? "client" : "server");
	log_end(&l);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_call *call = *con_cls;
	int64_t dur_us;

	(void)conn;
	if (!call)
		return;
	dur_us = clock_mono_us() - call->req.start_us;
	if (call->req.status)
		metrics_http_observe(call->req.route_index, call->req.status, dur_us);
	access_log(call, dur_us, toe);
	req_release(&call->req);
	xfree(call);
	*con_cls = NULL;
	metrics_inflight_add(-1);
	atomic_fetch_sub(&srv->inflight, 1);
}

PRINTF_LIKE(2, 0) static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	const struct http_server *srv = cls;
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	/* What MHD says of a request that access_cb dropped on purpose while stopping. */
	if (atomic_load(&srv->stopping) && strstr(msg, "Application reported internal error"))
		log_debug("libmicrohttpd: %s (a request that arrived after the drain)", msg);
	else
		log_warn("libmicrohttpd: %s", msg);
}

/* Fill a sockaddr for cfg->listen and cfg->port. */
static enum err make_addr(const struct config_server *cfg, struct sockaddr_storage *ss, bool *v6)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, cfg->listen, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)cfg->port);
		*v6 = false;
		return ERR_OK;
	}
	if (inet_pton(AF_INET6, cfg->listen, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)cfg->port);
		*v6 = true;
		return ERR_OK;
	}
	log_error("cannot listen on '%s': not an IPv4 or IPv6 address", cfg->listen);
	return ERR_INVALID_ARGUMENT;
}

enum err http_start(const struct config_server *cfg, const struct route *routes, size_t nroutes,
		    struct app *app, struct http_server **out)
{
	struct http_server *srv = NULL;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	/* Our own limits answer 414/431 as problems; MHD's pool must hold more than they allow. */
	size_t mem = (size_t)cfg->max_url_bytes + (size_t)cfg->max_header_bytes + 32 * 1024;
	char why[256];
	bool v6 = false;
	enum err e;

	e = make_addr(cfg, &ss, &v6);
	if (e != ERR_OK)
		return e;
	if (v6)
		flags |= MHD_USE_IPv6;
	srv = xcalloc(1, sizeof(*srv));
	srv->cfg = cfg;
	srv->routes = routes;
	srv->nroutes = nroutes;
	srv->app = app;
	srv->listen_fd = MHD_INVALID_SOCKET;
	if (proxy_list_parse(cfg->trusted_proxies ? cfg->trusted_proxies : "", &srv->proxies, why,
			     sizeof(why)) != ERR_OK) {
		log_error("cannot use server.trusted_proxies: %s", why);
		xfree(srv);
		return ERR_INVALID_ARGUMENT;
	}
	/* The logger must come first, or MHD prints early messages itself. */
	// clang-format off
	srv->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, access_cb, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log_cb, srv,
		MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
		MHD_OPTION_END);
	// clang-format on
	if (!srv->daemon) {
		log_error("cannot start HTTP server on %s port %d: address in use or not allowed",
			  cfg->listen, cfg->port);
		xfree(srv);
		return ERR_IO;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : cfg->port;
	*out = srv;
	return ERR_OK;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

int http_inflight(const struct http_server *s)
{
	return atomic_load(&s->inflight);
}

void http_quiesce(struct http_server *s)
{
	if (s->quiesced)
		return;
	s->listen_fd = MHD_quiesce_daemon(s->daemon);
	/*
	 * MHD only stops polling the socket, which stays in LISTEN: the kernel
	 * would go on completing handshakes into the backlog, and those clients
	 * would wait for an accept that never comes, until the exit resets them.
	 * shutdown() ends the LISTEN state at once: new connections are refused,
	 * so a load balancer retries another instance before sending anything.
	 * The descriptor stays open until the daemon is stopped, as MHD requires.
	 */
	if (s->listen_fd != MHD_INVALID_SOCKET && shutdown(s->listen_fd, SHUT_RDWR) != 0)
		log_warn("cannot shut the listening socket down: %s", strerror(errno));
	atomic_store(&s->closing, true);
	s->quiesced = true;
}

static void *stop_thread(void *arg)
{
	MHD_stop_daemon(arg);
	return NULL;
}

/* MHD_stop_daemon has been seen to hang; give it a bounded time in its own thread. */
static bool stop_bounded(struct MHD_Daemon *d, int limit_ms)
{
	pthread_t t;
	struct timespec deadline;

	if (pthread_create(&t, NULL, stop_thread, d) != 0) {
		MHD_stop_daemon(d);
		return true;
	}
	clock_deadline_in(CLOCK_REALTIME, limit_ms, &deadline); /* timedjoin uses REALTIME */
	if (pthread_timedjoin_np(t, NULL, &deadline) == 0)
		return true;
	pthread_detach(t);
	return false;
}

/*
 * After the wait the caller stops the services, so from then on a request
 * that has not reached its handler is dropped (see access_cb): answering it
 * would only say "shutting down".
 */
bool http_drain(struct http_server *s, int grace_ms)
{
	int64_t deadline = clock_mono_us() + (int64_t)grace_ms * 1000;

	while (http_inflight(s) > 0 && clock_mono_us() < deadline)
		usleep(10 * 1000);
	atomic_store(&s->stopping, true);
	return http_inflight(s) == 0;
}

void http_stop(struct http_server *s, int grace_ms)
{
	if (!s)
		return;
	http_quiesce(s);
	if (!http_drain(s, grace_ms))
		log_warn("shutdown grace of %d ms over with %d requests in flight", grace_ms,
			 http_inflight(s));
	if (!stop_bounded(s->daemon, 5000)) {
		log_error("HTTP server did not stop within 5 s; abandoning it");
		return; /* s stays allocated: MHD threads may still use it */
	}
	if (s->listen_fd != MHD_INVALID_SOCKET)
		close(s->listen_fd);
	xfree(s);
}
