/*
 * proxy.c - CIDR lists of trusted proxies and X-Forwarded-For (see proxy.h).
 *
 * Pure text and byte work: it parses server.trusted_proxies, matches
 * addresses and walks X-Forwarded-For chains. It never sees a socket or a
 * request: http.c hands it the peer address and the header values.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "medley/proxy.h"

static const uint8_t v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4_mapped(const struct proxy_addr *a)
{
	return memcmp(a->b, v4_mapped_prefix, sizeof(v4_mapped_prefix)) == 0;
}

/* A bare IPv4 or IPv6 literal of len bytes; *v4 says which. */
static bool parse_literal(const char *s, size_t len, struct proxy_addr *out, bool *v4)
{
	char text[PROXY_ENTRY_MAX + 1];

	if (len == 0 || len > PROXY_ENTRY_MAX || memchr(s, '\0', len))
		return false;
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, out->b + 12) == 1) {
		memcpy(out->b, v4_mapped_prefix, sizeof(v4_mapped_prefix));
		*v4 = true;
		return true;
	}
	*v4 = false;
	return inet_pton(AF_INET6, text, out->b) == 1;
}

/* A port: 1 to 5 digits. */
static bool is_port(const char *s, size_t len)
{
	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

bool proxy_addr_parse(const char *s, size_t len, struct proxy_addr *out)
{
	const char *close, *colon;
	bool v4;

	if (len > 0 && s[0] == '[') {
		close = memchr(s, ']', len);
		if (!close)
			return false;
		if ((size_t)(close + 1 - s) != len &&
		    (close[1] != ':' || !is_port(close + 2, len - (size_t)(close + 2 - s))))
			return false;
		return parse_literal(s + 1, (size_t)(close - s - 1), out, &v4) && !v4;
	}
	colon = memchr(s, ':', len);
	if (colon && !memchr(colon + 1, ':', len - (size_t)(colon + 1 - s))) {
		/* One colon: "v4:port". */
		return is_port(colon + 1, len - (size_t)(colon + 1 - s)) &&
		       parse_literal(s, (size_t)(colon - s), out, &v4) && v4;
	}
	return parse_literal(s, len, out, &v4);
}

static void why_set(char *why, size_t size, const char *entry, size_t len, const char *what)
{
	if (size == 0)
		return;
	snprintf(why, size, "entry \"%.*s\": %s",
		 (int)(len > PROXY_ENTRY_MAX ? PROXY_ENTRY_MAX : len), entry, what);
}

/* Clear the bits of a past its first bits. */
static void mask(struct proxy_addr *a, unsigned bits)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * i : 0;

		a->b[i] &= (uint8_t)(0xff00u >> keep);
	}
}

/* One entry of len bytes, already trimmed; false with why set. */
static bool parse_cidr(const char *s, size_t len, struct proxy_cidr *out, char *why, size_t size)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	unsigned max, bits = 0;
	bool v4;

	if (!parse_literal(s, alen, &out->net, &v4)) {
		why_set(why, size, s, len, "not an IPv4 or IPv6 address");
		return false;
	}
	max = v4 ? 32 : 128;
	if (!slash) {
		bits = max;
	} else {
		const char *d = slash + 1;
		size_t dlen = len - alen - 1;

		if (!is_port(d, dlen) || dlen > 3 || (dlen > 1 && d[0] == '0')) {
			why_set(why, size, s, len, "the prefix length must be a decimal number");
			return false;
		}
		for (size_t i = 0; i < dlen; i++)
			bits = bits * 10 + (unsigned)(d[i] - '0');
		if (bits > max) {
			why_set(why, size, s, len,
				v4 ? "an IPv4 prefix length is at most 32"
				   : "an IPv6 prefix length is at most 128");
			return false;
		}
	}
	out->bits = v4 ? bits + 96 : bits;
	mask(&out->net, out->bits);
	return true;
}

static size_t trim(const char **s, size_t len)
{
	while (len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		len--;
	}
	while (len > 0 && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t'))
		len--;
	return len;
}

enum err proxy_list_parse(const char *s, struct proxy_list *out, char *why, size_t why_size)
{
	const char *p = s;
	size_t len;

	out->n = 0;
	if (why_size)
		why[0] = '\0';
	if (trim(&p, strlen(p)) == 0)
		return ERR_OK;
	for (;;) {
		const char *entry = p;

		len = trim(&entry, strcspn(p, ","));
		if (len == 0) {
			if (why_size)
				snprintf(why, why_size, "empty entry (stray comma?)");
			return ERR_INVALID_ARGUMENT;
		}
		if (out->n == PROXY_MAX_CIDRS) {
			if (why_size)
				snprintf(why, why_size, "more than %d entries", PROXY_MAX_CIDRS);
			return ERR_INVALID_ARGUMENT;
		}
		if (!parse_cidr(entry, len, &out->cidrs[out->n], why, why_size))
			return ERR_INVALID_ARGUMENT;
		out->n++;
		p += strcspn(p, ",");
		if (!*p)
			return ERR_OK;
		p++;
	}
}

static bool cidr_match(const struct proxy_cidr *c, const struct proxy_addr *a)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (memcmp(c->net.b, a->b, full) != 0)
		return false;
	return rest == 0 || ((c->net.b[full] ^ a->b[full]) & (uint8_t)(0xff00u >> rest)) == 0;
}

bool proxy_list_match(const struct proxy_list *l, const struct proxy_addr *a)
{
	for (size_t i = 0; i < l->n; i++) {
		if (cidr_match(&l->cidrs[i], a))
			return true;
	}
	return false;
}

bool proxy_addr_from_sockaddr(const struct sockaddr *sa, size_t len, struct proxy_addr *out)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)(const void *)sa;

		memcpy(out->b, v4_mapped_prefix, sizeof(v4_mapped_prefix));
		memcpy(out->b + 12, &in4->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

		memcpy(out->b, &in6->sin6_addr, 16);
		return true;
	}
	return false;
}

void proxy_addr_format(const struct proxy_addr *a, char *out, size_t size)
{
	const char *ok;

	if (is_v4_mapped(a))
		ok = inet_ntop(AF_INET, a->b + 12, out, (socklen_t)size);
	else
		ok = inet_ntop(AF_INET6, a->b, out, (socklen_t)size);
	if (!ok && size)
		out[0] = '\0';
}

/* The last comma-separated element of s, trimmed: "http" or "https", else NULL. */
static const char *forwarded_scheme(const char *s)
{
	const char *comma = strrchr(s, ',');
	const char *e = comma ? comma + 1 : s;
	size_t len = trim(&e, strlen(e));

	if (len == 4 && strncasecmp(e, "http", 4) == 0)
		return "http";
	if (len == 5 && strncasecmp(e, "https", 5) == 0)
		return "https";
	return NULL;
}

void proxy_resolve(const struct proxy_list *l, const struct proxy_addr *peer, const char *xff,
		   const char *xfp, struct proxy_addr *client, const char **scheme)
{
	const char *end, *start;

	*client = *peer;
	*scheme = "http";
	if (!proxy_list_match(l, peer))
		return;
	if (xfp && forwarded_scheme(xfp))
		*scheme = forwarded_scheme(xfp);
	if (!xff)
		return;
	/* From the right: end is one past the current element. */
	for (end = xff + strlen(xff); end >= xff; end = start - 1) {
		struct proxy_addr a;
		const char *e;
		size_t len;

		for (start = end; start > xff && start[-1] != ','; start--)
			;
		e = start;
		len = trim(&e, (size_t)(end - start));
		if (!proxy_addr_parse(e, len, &a))
			return; /* malformed: the last trusted hop stands */
		*client = a;
		if (!proxy_list_match(l, &a))
			return;
		if (start == xff)
			return; /* every element trusted: the left-most */
	}
}
