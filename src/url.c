/*
 * url.c - strict percent-decoding and query parsing (see url.h).
 *
 * libmicrohttpd decodes leniently (a stray '%' passes through), so medley
 * parses the raw request target itself. This file knows nothing of routes
 * or HTTP; router.c splits paths and uses url_decode() on each segment.
 */
#include <string.h>

#include "medley/url.h"

int url_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True if p[0..n) is valid UTF-8 with no control characters. */
static bool text_ok(const unsigned char *p, size_t n, const char **why)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], len, cp;

		if (c < 0x20 || c == 0x7f) {
			*why = "control characters are not allowed";
			return false;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			goto bad;
		if (len > n - i)
			goto bad;
		for (unsigned k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			goto bad;
		i += len;
	}
	return true;
bad:
	*why = "decoded text is not valid UTF-8";
	return false;
}

enum err url_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out,
		    const char **why)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;

	if (!d)
		return ERR_TOO_LARGE;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = n - i >= 3 ? url_hex_digit(s[i + 1]) : -1;
			int lo = n - i >= 3 ? url_hex_digit(s[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				*why = "'%' must be followed by two hex digits";
				return ERR_INVALID_ARGUMENT;
			}
			d[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	if (!text_ok((const unsigned char *)d, j, why))
		return ERR_INVALID_ARGUMENT;
	*out = d;
	return ERR_OK;
}

static enum err parse_pair(struct arena *a, const char *p, size_t n, struct url_param *out,
			   const char **why)
{
	const char *eq = memchr(p, '=', n);
	size_t klen = eq ? (size_t)(eq - p) : n;
	char *key = NULL, *value = NULL;
	enum err e;

	if (klen == 0) {
		*why = "empty parameter name";
		return ERR_BAD_QUERY;
	}
	e = url_decode(a, p, klen, true, &key, why);
	if (e == ERR_OK)
		e = eq ? url_decode(a, eq + 1, n - klen - 1, true, &value, why)
		       : url_decode(a, "", 0, true, &value, why);
	if (e == ERR_INVALID_ARGUMENT)
		return ERR_BAD_QUERY;
	if (e != ERR_OK)
		return e;
	out->key = key;
	out->value = value;
	return ERR_OK;
}

enum err url_parse_query(struct arena *a, const char *qs, size_t n, struct url_query *out,
			 const char **why)
{
	size_t count = 0, i = 0;

	out->params = NULL;
	out->n = 0;
	for (size_t k = 0; k < n; k++)
		count += qs[k] == '&';
	if (count + 1 > URL_MAX_PARAMS) {
		*why = "too many query parameters";
		return ERR_BAD_QUERY;
	}
	out->params = arena_alloc(a, (count + 1) * sizeof(*out->params));
	if (!out->params)
		return ERR_TOO_LARGE;
	while (i < n) {
		const char *amp = memchr(qs + i, '&', n - i);
		size_t len = amp ? (size_t)(amp - (qs + i)) : n - i;

		if (len > 0) {
			enum err e = parse_pair(a, qs + i, len, &out->params[out->n], why);

			if (e != ERR_OK)
				return e;
			out->n++;
		}
		i += len + 1;
	}
	return ERR_OK;
}

const char *url_query_get(const struct url_query *q, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->params[i].key, key) == 0)
			return q->params[i].value;
	return NULL;
}

size_t url_query_count(const struct url_query *q, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < q->n; i++)
		n += strcmp(q->params[i].key, key) == 0;
	return n;
}
