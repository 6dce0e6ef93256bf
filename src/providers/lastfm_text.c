/*
 * lastfm_text.c - Last.fm's value and text conventions, read into plain
 * values.
 *
 * Last.fm's JSON is a transliteration of its XML: a list of one is the
 * item itself, an empty list may be "", counts are strings (read with
 * provider_int.h's prov_read_count(), as other providers send them too).
 * Its wikis are HTML fragments ending in a "Read more on Last.fm" link and
 * a licence line. This file reads lists, wikis and image sizes into what a
 * fragment holds; it builds no fragment (lastfm_parse.c does) and no URL
 * (lastfm_url.c does).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lastfm_int.h"
#include "medley/json.h"
#include "medley/xalloc.h"

#define READ_MORE "Read more on Last.fm"
#define LICENCE_START "User-contributed text is available"

/* Longest tag or character reference read as markup. */
#define MAX_TAG_BYTES 2048
#define MAX_REF_BYTES 12

const cJSON *lastfm_first(const cJSON *v)
{
	if (cJSON_IsArray(v))
		return v->child;
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *lastfm_next(const cJSON *v, const cJSON *item)
{
	return cJSON_IsArray(v) ? item->next : NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Append code point c as UTF-8 (U+FFFD for what is not a scalar value or is NUL). */
static void add_utf8(struct buf *out, unsigned long c)
{
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		buf_addch(out, (char)c);
	} else if (c < 0x800) {
		buf_addch(out, (char)(0xc0 | (c >> 6)));
		buf_addch(out, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addch(out, (char)(0xe0 | (c >> 12)));
		buf_addch(out, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_addch(out, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_addch(out, (char)(0xf0 | (c >> 18)));
		buf_addch(out, (char)(0x80 | ((c >> 12) & 0x3f)));
		buf_addch(out, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_addch(out, (char)(0x80 | (c & 0x3f)));
	}
}

/* The value of a decimal or hex digit, or 99. */
static int digit_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Decode the reference r[0..n) (between '&' and ';'); false when it is not one. */
static bool add_ref(struct buf *out, const char *r, size_t n)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {
		{"amp", "&"},
		{"lt", "<"},
		{"gt", ">"},
		{"quot", "\""},
		{"apos", "'"},
		{"nbsp", " "},
		{"ndash", "\xe2\x80\x93"},
		{"mdash", "\xe2\x80\x94"},
		{"hellip", "\xe2\x80\xa6"},
		{"lsquo", "\xe2\x80\x98"},
		{"rsquo", "\xe2\x80\x99"},
		{"ldquo", "\xe2\x80\x9c"},
		{"rdquo", "\xe2\x80\x9d"},
		{"bdquo", "\xe2\x80\x9e"},
		{"laquo", "\xc2\xab"},
		{"raquo", "\xc2\xbb"},
	};
	unsigned long c = 0;
	size_t i = 1;
	int base = 10;

	for (size_t k = 0; k < ARRAY_SIZE(named); k++)
		if (strlen(named[k].name) == n && strncmp(r, named[k].name, n) == 0) {
			buf_adds(out, named[k].text);
			return true;
		}
	if (n < 2 || r[0] != '#')
		return false;
	if (r[1] == 'x' || r[1] == 'X') {
		base = 16;
		i = 2;
	}
	if (i >= n)
		return false;
	for (; i < n; i++) {
		int d = digit_value(r[i]);

		if (d >= base)
			return false;
		c = c * (unsigned long)base + (unsigned long)d;
	}
	add_utf8(out, c);
	return true;
}

/* memchr(s, c, ...) within [s, end) and at most max bytes. */
static const char *find_within(const char *s, const char *end, char c, size_t max)
{
	size_t n = (size_t)(end - s);

	return memchr(s, c, n < max ? n : max);
}

/* The tag at s ('<' ... '>' before end): its length, newline-ness; 0 when s is no tag. */
static size_t tag_len(const char *s, const char *end, bool *newline)
{
	const char *close, *name = s + 1;

	if (name >= end || !(is_alpha(*name) || *name == '/' || *name == '!'))
		return 0;
	close = find_within(s, end, '>', MAX_TAG_BYTES);
	if (!close)
		return 0;
	if (*name == '/')
		name++;
	*newline = (strncasecmp(name, "br", 2) == 0 && !is_alpha(name[2])) ||
		   (strncasecmp(name, "p", 1) == 0 && !is_alpha(name[1]));
	return (size_t)(close - s) + 1;
}

/* Append s[0..end) as text: tags out, references decoded, CR normalised. */
static void add_html_text(struct buf *out, const char *s, const char *end)
{
	while (s < end) {
		const char *semi;
		bool newline = false;
		size_t n;

		if (*s == '<' && (n = tag_len(s, end, &newline))) {
			if (newline)
				buf_addch(out, '\n');
			s += n;
		} else if (*s == '&' && (semi = find_within(s, end, ';', MAX_REF_BYTES)) &&
			   add_ref(out, s + 1, (size_t)(semi - s - 1))) {
			s = semi + 1;
		} else if (*s == '\r') {
			buf_addch(out, '\n');
			s += (s + 1 < end && s[1] == '\n') ? 2 : 1;
		} else {
			buf_addch(out, *s++);
		}
	}
}

/* The last occurrence of needle in s, or NULL. */
static const char *last_strstr(const char *s, const char *needle)
{
	const char *hit = NULL, *p = s;

	while ((p = strstr(p, needle)) != NULL)
		hit = p++;
	return hit;
}

/* The "<a" that opens the link around more (between s and more), or NULL. */
static const char *link_start(const char *s, const char *more)
{
	for (const char *p = more; p > s;) {
		p--;
		if (*p == '>' && p > s && p[-1] == 'a' && p - 1 > s && p[-2] == '/')
			return NULL; /* a closed link first: more is not inside one */
		if (p[0] == '<' && (p[1] | 0x20) == 'a' && is_blank(p[2]))
			return p;
	}
	return NULL;
}

/* A copy of the href="..." value within [a, end), or NULL. */
static char *link_href(const char *a, const char *end)
{
	const char *h = a, *close;
	char quote;

	while ((h = memchr(h, 'h', (size_t)(end - h))) != NULL) {
		if ((size_t)(end - h) > 6 && strncmp(h, "href=", 5) == 0 &&
		    (h[5] == '"' || h[5] == '\''))
			break;
		h++;
	}
	if (!h)
		return NULL;
	quote = h[5];
	h += 6;
	close = memchr(h, quote, (size_t)(end - h));
	return close && close > h ? xstrndup(h, (size_t)(close - h)) : NULL;
}

void lastfm_wiki_text(const char *s, struct buf *out, char **href)
{
	const char *end = s + strlen(s), *more = last_strstr(s, READ_MORE), *cut;
	struct buf text;
	size_t a, b;

	if (href)
		*href = NULL;
	if (more) {
		const char *link = link_start(s, more);

		if (link && href)
			*href = link_href(link, more);
		end = link ? link : more;
	}
	cut = strstr(s, LICENCE_START);
	if (cut && cut < end)
		end = cut;
	buf_init(&text, LASTFM_MAX_TEXT_BYTES);
	add_html_text(&text, s, end);
	a = 0;
	b = text.len;
	while (a < b && is_blank(text.data[a]))
		a++;
	while (b > a && is_blank(text.data[b - 1]))
		b--;
	if (!buf_failed(&text))
		buf_add(out, text.data + a, b - a);
	buf_release(&text);
}

int lastfm_image_size(const char *url)
{
	const char *p = url ? strstr(url, "/i/u/") : NULL;
	char *end;
	long w, h;

	if (!p || !is_digit(p[5]))
		return 0;
	w = strtol(p + 5, &end, 10);
	if (*end == 's' && end[1] == '/')
		h = w;
	else if (*end == 'x' && is_digit(end[1]))
		h = strtol(end + 1, &end, 10);
	else
		return 0;
	if (*end != '/' && !(*end == 's' && end[1] == '/'))
		return 0;
	return w == h && w > 0 && w <= 100000 ? (int)w : 0;
}
