/*
 * healthcheck.c - `medley healthcheck`: one bounded HTTP/1.0 GET (see healthcheck.h).
 *
 * A non-blocking socket and poll() against one monotonic deadline: connect,
 * send the request, read until the status line is complete, parse it. It
 * reads nothing past the status line, and it knows nothing of medley's
 * routes beyond the default /health path.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "medley/clock.h"
#include "medley/healthcheck.h"

#define HOST_MAX 256
#define STATUS_LINE_MAX 1024

struct target {
	char host[HOST_MAX]; /* without brackets */
	char port[6];
	const char *path; /* into the URL; "/" when it has none */
	bool bracketed;	  /* host was [IPv6] */
};

PRINTF_LIKE(3, 4) static void why_set(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
}

/* Digits only, 1..65535. */
static bool parse_port(const char *s, size_t len, char out[6])
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	snprintf(out, 6, "%lu", v);
	return true;
}

static bool parse_url(const char *url, struct target *t)
{
	const char *auth, *end, *colon, *host;
	size_t hlen;

	if (strncmp(url, "http://", 7) != 0 || strlen(url) >= HEALTHCHECK_URL_MAX)
		return false;
	auth = url + 7;
	end = auth + strcspn(auth, "/?#");
	t->path = *end == '/' ? end : "/";
	if (strpbrk(t->path, " \t\r\n") || (*end && *end != '/'))
		return false;
	t->bracketed = *auth == '[';
	if (t->bracketed) {
		const char *close = memchr(auth, ']', (size_t)(end - auth));

		if (!close)
			return false;
		host = auth + 1;
		hlen = (size_t)(close - host);
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon && *colon != ':')
			return false;
	} else {
		host = auth;
		colon = memchr(auth, ':', (size_t)(end - auth));
		hlen = (size_t)((colon ? colon : end) - host);
	}
	if (hlen == 0 || hlen >= HOST_MAX || memchr(host, '@', hlen))
		return false;
	memcpy(t->host, host, hlen);
	t->host[hlen] = '\0';
	if (!colon) {
		snprintf(t->port, sizeof(t->port), "80");
		return true;
	}
	return parse_port(colon + 1, (size_t)(end - colon - 1), t->port);
}

static int ms_left(int64_t deadline_us)
{
	int64_t left = deadline_us - clock_mono_us();

	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* Wait for events on fd until the deadline: 1 ready, 0 timed out, -1 error (errno). */
static int wait_fd(int fd, short events, int64_t deadline_us)
{
	struct pollfd p = {.fd = fd, .events = events};
	int n;

	do {
		int ms = ms_left(deadline_us);

		if (ms == 0)
			return 0;
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	return n;
}

/* Connect to one address; the connected fd, or -1 with why set and *timed_out. */
static int connect_one(const struct addrinfo *ai, int64_t deadline_us, bool *timed_out, char *why,
		       size_t why_size)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	int soerr = 0, n;
	socklen_t len = sizeof(soerr);

	if (fd < 0) {
		why_set(why, why_size, "cannot create a socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		why_set(why, why_size, "cannot connect: %s", strerror(errno));
		goto fail;
	}
	n = wait_fd(fd, POLLOUT, deadline_us);
	if (n == 0) {
		*timed_out = true;
		why_set(why, why_size, "cannot connect: no answer in time");
		goto fail;
	}
	if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr) {
		why_set(why, why_size, "cannot connect: %s", strerror(n < 0 ? errno : soerr));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static int connect_target(const struct target *t, int64_t deadline_us, bool *timed_out, char *why,
			  size_t why_size)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int fd = -1, rc;

	rc = getaddrinfo(t->host, t->port, &hints, &res);
	if (rc != 0) {
		why_set(why, why_size, "cannot resolve '%s': %s", t->host, gai_strerror(rc));
		return -1;
	}
	for (const struct addrinfo *ai = res; ai && fd < 0 && !*timed_out; ai = ai->ai_next)
		fd = connect_one(ai, deadline_us, timed_out, why, why_size);
	freeaddrinfo(res);
	return fd;
}

static bool send_all(int fd, const char *p, size_t len, int64_t deadline_us, bool *timed_out)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return false;
		if (wait_fd(fd, POLLOUT, deadline_us) <= 0) {
			*timed_out = true;
			return false;
		}
	}
	return true;
}

/* Read until the status line is complete; its length (CRLF excluded), or -1. */
static int read_status_line(int fd, char *line, size_t size, int64_t deadline_us, bool *timed_out)
{
	size_t have = 0;

	for (;;) {
		char *eol = memchr(line, '\n', have);
		ssize_t n;

		if (eol)
			return (int)(eol - line - (eol > line && eol[-1] == '\r'));
		if (have == size)
			return -1;
		n = recv(fd, line + have, size - have, 0);
		if (n > 0) {
			have += (size_t)n;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return -1;
		if (wait_fd(fd, POLLIN, deadline_us) <= 0) {
			*timed_out = true;
			return -1;
		}
	}
}

/* "HTTP/1.x NNN ...": the status, or -1. */
static int parse_status(const char *line, int len)
{
	if (len < 12 || strncmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -1;
	}
	if (len > 12 && line[12] != ' ')
		return -1;
	return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
}

enum err healthcheck_probe(const char *url, int timeout_ms, char *why, size_t why_size)
{
	int64_t deadline_us = clock_mono_us() + (int64_t)timeout_ms * 1000;
	char request[HEALTHCHECK_URL_MAX + HOST_MAX + 128], line[STATUS_LINE_MAX];
	struct target t;
	bool timed_out = false;
	enum err e = ERR_IO;
	int fd = -1, len, status;

	why_set(why, why_size, "ok");
	if (!parse_url(url, &t)) {
		why_set(why, why_size, "not an http://host[:port][/path] URL");
		return ERR_INVALID_ARGUMENT;
	}
	fd = connect_target(&t, deadline_us, &timed_out, why, why_size);
	if (fd < 0)
		goto out;
	snprintf(request, sizeof(request),
		 "GET %s HTTP/1.0\r\nHost: %s%s%s:%s\r\nUser-Agent: medley-healthcheck\r\n"
		 "Connection: close\r\n\r\n",
		 t.path, t.bracketed ? "[" : "", t.host, t.bracketed ? "]" : "", t.port);
	if (!send_all(fd, request, strlen(request), deadline_us, &timed_out)) {
		why_set(why, why_size, "cannot send the request%s",
			timed_out ? ": no progress in time" : "");
		goto out;
	}
	len = read_status_line(fd, line, sizeof(line), deadline_us, &timed_out);
	if (len < 0) {
		why_set(why, why_size, "%s",
			timed_out ? "no status line in time"
				  : "connection closed before a status line");
		goto out;
	}
	status = parse_status(line, len);
	if (status < 0)
		why_set(why, why_size, "malformed status line");
	else if (status != 200)
		why_set(why, why_size, "status %d", status);
	else
		e = ERR_OK;
out:
	if (timed_out) {
		e = ERR_TIMEOUT;
		why_set(why, why_size, "no answer within %d ms", timeout_ms);
	}
	if (fd >= 0)
		close(fd);
	return e;
}

enum err healthcheck_default_url(const struct config_server *cfg, char *out, size_t size, char *why,
				 size_t why_size)
{
	const char *host = cfg->listen;
	bool v6 = strchr(host, ':') != NULL;

	why_set(why, why_size, "ok");
	if (cfg->port == 0) {
		why_set(why, why_size,
			"server.port is 0 (a random port); pass --url with the logged port");
		return ERR_INVALID_ARGUMENT;
	}
	if (strcmp(host, "0.0.0.0") == 0)
		host = "127.0.0.1";
	else if (strcmp(host, "::") == 0)
		host = "::1";
	snprintf(out, size, "http://%s%s%s:%d/health", v6 ? "[" : "", host, v6 ? "]" : "",
		 cfg->port);
	return ERR_OK;
}
