/*
 * buf.c - capped growable buffers (see buf.h for the contract).
 *
 * Growth doubles the allocation; the cap is checked before every growth so a
 * hostile size never reaches malloc. JSON string escaping lives here too,
 * because logs and problem documents need it without building a cJSON tree.
 */
#include <stdio.h>
#include <string.h>

#include "medley/buf.h"
#include "medley/xalloc.h"

static char buf_empty[1];

void buf_init(struct buf *b, size_t max_len)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max_len = max_len;
	b->failed = false;
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		xfree(b->data);
	buf_init(b, b->max_len);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->alloc)
		b->data[0] = '\0';
}

/* Make room for extra more bytes plus the NUL; false (and sticky flag) past the cap. */
static bool buf_grow(struct buf *b, size_t extra)
{
	size_t want;

	if (b->failed)
		return false;
	if (extra > b->max_len - b->len) {
		b->failed = true;
		return false;
	}
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return true;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < want)
		n *= 2;
	if (b->alloc) {
		b->data = xrealloc(b->data, n);
	} else {
		b->data = xmalloc(n);
		b->data[0] = '\0';
	}
	b->alloc = n;
	return true;
}

bool buf_reserve(struct buf *b, size_t n)
{
	return buf_grow(b, n);
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (!n || !buf_grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	char small[256];
	int n;

	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (!buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void buf_add_json_strn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	buf_addch(b, '"');
	while (i < n) {
		unsigned char c = p[i];
		size_t l = utf8_seq_len(p + i, n - i);

		if (l && c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
			i += l;
			run += l;
			continue;
		}
		buf_add(b, p + i - run, run);
		run = 0;
		if (!l)
			buf_adds(b, "\\ufffd");
		else if (c == '"')
			buf_adds(b, "\\\"");
		else if (c == '\\')
			buf_adds(b, "\\\\");
		else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else
			buf_addf(b, "\\u%04x", c);
		i++;
	}
	buf_add(b, p + i - run, run);
	buf_addch(b, '"');
}

void buf_add_json_str(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_add_json_strn(b, s, strlen(s));
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p;

	if (len_out)
		*len_out = b->len;
	if (b->alloc) {
		p = b->data;
	} else {
		p = xmalloc(1);
		p[0] = '\0';
	}
	buf_init(b, b->max_len);
	return p;
}

void buf_add_pct(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			buf_addch(b, (char)*p);
		} else {
			buf_addch(b, '%');
			buf_addch(b, hex[*p >> 4]);
			buf_addch(b, hex[*p & 0x0f]);
		}
	}
}
