/*
 * fetch_policy.c - the pure decisions of the fetch engine (see fetch.h).
 *
 * What an HTTP status means, what is retried and after how long, what the
 * breaker counts as a failure, what the User-Agent says, and how a URL is
 * shown in a log line. Kept apart from fetch.c so that unit tests can pin
 * them down without a thread, a socket or libcurl. Nothing here does I/O,
 * reads the clock or keeps state.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "medley/fetch.h"
#include "medley/version.h"

/* Longest User-Agent built; longer ones are a configuration mistake. */
#define FETCH_UA_MAX 512

enum fetch_outcome fetch_status_outcome(long status)
{
	if (status >= 200 && status <= 299)
		return FETCH_OK;
	if (status == 404)
		return FETCH_NOT_FOUND;
	if (status == 429 || status == 503)
		return FETCH_RATE_LIMITED;
	return FETCH_HTTP_ERROR;
}

bool fetch_outcome_retryable(enum fetch_outcome o, long status)
{
	switch (o) {
	case FETCH_TIMEOUT:
	case FETCH_NETWORK:
	case FETCH_RATE_LIMITED:
		return true;
	case FETCH_HTTP_ERROR:
		return status >= 500 && status <= 599;
	default:
		return false;
	}
}

bool fetch_outcome_is_failure(enum fetch_outcome o, long status)
{
	/* The same set as the retryable one: the provider, not the URL, is at fault. */
	return fetch_outcome_retryable(o, status);
}

int64_t fetch_retry_delay_us(enum fetch_outcome o, int64_t retry_after_s, int retry, uint64_t rnd)
{
	int64_t window = FETCH_BACKOFF_BASE_US;
	int64_t delay;

	for (int i = 1; i < retry && window < FETCH_BACKOFF_CAP_US; i++)
		window *= 2;
	if (window > FETCH_BACKOFF_CAP_US)
		window = FETCH_BACKOFF_CAP_US;
	delay = (int64_t)(rnd % (uint64_t)(window + 1));
	if (o == FETCH_RATE_LIMITED && retry_after_s > 0) {
		if (retry_after_s > FETCH_RETRY_AFTER_CAP_S)
			retry_after_s = FETCH_RETRY_AFTER_CAP_S;
		if (retry_after_s * 1000000 > delay)
			delay = retry_after_s * 1000000;
	}
	return delay;
}

long fetch_connect_timeout_ms(long timeout_ms)
{
	long ms = timeout_ms / 2;

	if (ms < 1000)
		ms = 1000;
	if (ms > 5000)
		ms = 5000;
	return ms < timeout_ms ? ms : timeout_ms;
}

/* Query parameters whose values never reach a log line. */
static const char *const secret_params[] = {
	"key", "api_key", "apikey", "token", "secret", "client_secret", "client_key",
};

static bool is_secret_param(const char *name, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(secret_params); i++) {
		if (strlen(secret_params[i]) == n && strncasecmp(name, secret_params[i], n) == 0)
			return true;
	}
	return false;
}

/* Append the authority s[0..n) with the user-info password, if any, as ***. */
static void redact_authority(const char *s, size_t n, struct buf *out)
{
	const char *at = NULL, *colon;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '@')
			at = s + i;
	}
	colon = at ? memchr(s, ':', (size_t)(at - s)) : NULL;
	if (!colon) {
		buf_add(out, s, n);
		return;
	}
	buf_add(out, s, (size_t)(colon - s));
	buf_adds(out, ":***");
	buf_add(out, at, n - (size_t)(at - s));
}

/* Append the query q[0..n) (no '?') with secret values as ***. */
static void redact_query(const char *q, size_t n, struct buf *out)
{
	size_t i = 0;

	while (i <= n) {
		const char *amp = memchr(q + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - q) : n;
		const char *eq = memchr(q + i, '=', end - i);

		if (eq && is_secret_param(q + i, (size_t)(eq - (q + i)))) {
			buf_add(out, q + i, (size_t)(eq - (q + i)) + 1);
			buf_adds(out, "***");
		} else {
			buf_add(out, q + i, end - i);
		}
		if (!amp)
			break;
		buf_addch(out, '&');
		i = end + 1;
	}
}

void fetch_redact_url(const char *url, struct buf *out)
{
	const char *scheme = strstr(url, "://");
	const char *p = url, *q, *hash;

	if (scheme && (size_t)(scheme - url) < strcspn(url, "/?#")) {
		size_t n = strcspn(scheme + 3, "/?#");

		buf_add(out, url, (size_t)(scheme + 3 - url));
		redact_authority(scheme + 3, n, out);
		p = scheme + 3 + n;
	}
	hash = strchr(p, '#');
	q = strchr(p, '?');
	if (!q || (hash && hash < q)) {
		buf_adds(out, p);
		return;
	}
	buf_add(out, p, (size_t)(q + 1 - p));
	redact_query(q + 1, hash ? (size_t)(hash - q - 1) : strlen(q + 1), out);
	if (hash)
		buf_adds(out, hash);
}

/* Does s name a contact: text@text, or an http(s):// URL with a host? */
static bool has_contact(const char *s)
{
	for (const char *p = strchr(s, '@'); p; p = strchr(p + 1, '@')) {
		if (p > s && !isspace((unsigned char)p[-1]) && p[-1] != '(' && p[1] &&
		    !isspace((unsigned char)p[1]) && p[1] != ')')
			return true;
	}
	for (const char *p = strstr(s, "http"); p; p = strstr(p + 1, "http")) {
		const char *rest = NULL;

		if (!strncmp(p, "https://", 8))
			rest = p + 8;
		else if (!strncmp(p, "http://", 7))
			rest = p + 7;
		if (rest && *rest && !isspace((unsigned char)*rest) && *rest != ')')
			return true;
	}
	return false;
}

static bool has_control(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

enum err fetch_user_agent(const char *contact, const struct config_provider *p,
			  bool require_contact, struct buf *out, const char **why)
{
	struct buf ua;
	enum err e = ERR_CONFIG;

	buf_init(&ua, FETCH_UA_MAX);
	if (p->user_agent && p->user_agent[0])
		buf_adds(&ua, p->user_agent);
	else if (contact && contact[0])
		buf_addf(&ua, "medley/%s ( %s )", version_string(), contact);
	else
		buf_addf(&ua, "medley/%s", version_string());
	if (buf_failed(&ua)) {
		*why = "the User-Agent is longer than 512 bytes";
		goto out;
	}
	if (has_control(ua.data)) {
		*why = "the User-Agent holds control characters";
		goto out;
	}
	if (require_contact && !has_contact(ua.data)) {
		*why = "the User-Agent names no contact: set contact to an e-mail address or "
		       "http(s) URL";
		goto out;
	}
	buf_add(out, ua.data, ua.len);
	e = ERR_OK;
out:
	buf_release(&ua);
	return e;
}
