/*
 * discogs_text.c - Discogs' text conventions, read into plain values.
 *
 * Discogs writes profiles in its own markup ([a=Name], [url=...]...[/url],
 * [b]...[/b]), disambiguates same-named artists with a " (2)" suffix,
 * spells unknown date parts as "00", durations as "m:ss", tracklist
 * positions as "A1" or "1-2", and barcodes with blanks. This file turns
 * each into what a fragment holds. It builds no fragment (discogs_parse.c
 * does) and knows no URL (discogs_url.c does).
 */
#include <string.h>
#include <strings.h>

#include "discogs_int.h"
#include "medley/json.h"

/* Longest [tag] read as markup; a longer bracket is text. */
#define MAX_TAG_BYTES 512

/* Bounds that only hostile input reaches. */
#define MAX_DURATION_MS (100LL * 3600 * 1000)
#define MAX_DISC 9999

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of name without its " (<digits>)" suffix. */
static size_t name_len(const char *name, size_t n)
{
	size_t i;

	if (n < 4 || name[n - 1] != ')')
		return n;
	i = n - 1;
	while (i > 0 && is_digit(name[i - 1]))
		i--;
	if (i == n - 1 || i < 3 || name[i - 1] != '(' || name[i - 2] != ' ')
		return n;
	return i - 2;
}

bool discogs_name_has_suffix(const char *name)
{
	size_t n = strlen(name);

	return name_len(name, n) != n;
}

void discogs_add_name(struct buf *out, const char *name, size_t n)
{
	buf_add(out, name, name_len(name, n));
}

static bool tag_is(const char *t, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(t, name, n) == 0;
}

/* [b], [/b], [i], [u], [url], [url=...], [/url], [img=...]: formatting that goes. */
static bool tag_is_format(const char *t, size_t n)
{
	static const char *const plain[] = {"b", "/b", "i", "/i", "u", "/u", "url", "/url"};

	for (size_t i = 0; i < ARRAY_SIZE(plain); i++)
		if (tag_is(t, n, plain[i]))
			return true;
	return (n > 4 && strncasecmp(t, "url=", 4) == 0) ||
	       (n > 4 && strncasecmp(t, "img=", 4) == 0);
}

/* [a123], [l123], [m=5460], [r=123], [t=1]: references by id, which read as nothing. */
static bool tag_is_id_ref(const char *t, size_t n)
{
	if (n < 2 || !strchr("almrtALMRT", t[0]))
		return false;
	if (t[1] == '=')
		return strchr("mrtMRT", t[0]) && all_digits(t + 2, n - 2);
	return all_digits(t + 1, n - 1);
}

/* Append what tag t[0..n) stands for. */
static void add_tag(struct buf *out, const char *t, size_t n)
{
	if (tag_is_format(t, n) || tag_is_id_ref(t, n))
		return;
	if (n > 2 && t[1] == '=' && strchr("alAL", t[0])) {
		buf_add(out, t + 2, name_len(t + 2, n - 2));
		return;
	}
	buf_addch(out, '[');
	buf_add(out, t, n);
	buf_addch(out, ']');
}

/* Drop trailing blanks appended since start. */
static void trim_end(struct buf *out, size_t start)
{
	size_t n = out->len;

	while (n > start && is_blank(out->data[n - 1]))
		n--;
	if (n != out->len) {
		out->len = n;
		out->data[n] = '\0';
	}
}

void discogs_profile_text(const char *s, struct buf *out)
{
	size_t start = out->len;

	while (is_blank(*s))
		s++;
	while (*s) {
		const char *close;

		if (*s == '\r') {
			buf_addch(out, '\n');
			s += s[1] == '\n' ? 2 : 1;
			continue;
		}
		close = *s == '[' ? memchr(s, ']', strnlen(s, MAX_TAG_BYTES + 2)) : NULL;
		if (close && !memchr(s + 1, '[', (size_t)(close - s - 1)) &&
		    !memchr(s + 1, '\n', (size_t)(close - s - 1)) && close > s + 1) {
			add_tag(out, s + 1, (size_t)(close - s - 1));
			s = close + 1;
			continue;
		}
		buf_addch(out, *s++);
	}
	trim_end(out, start);
}

/* Append a join phrase between two names. */
static void add_join(struct buf *out, const char *join)
{
	const char *end;

	while (join && is_blank(*join))
		join++;
	if (!join || !join[0] || strcmp(join, ",") == 0) {
		buf_adds(out, ", ");
		return;
	}
	end = join + strlen(join);
	while (end > join && is_blank(end[-1]))
		end--;
	if (end - join == 1 && *join == ',') {
		buf_adds(out, ", ");
		return;
	}
	buf_addch(out, ' ');
	buf_add(out, join, (size_t)(end - join));
	buf_addch(out, ' ');
}

void discogs_credit(const cJSON *artists, struct buf *out)
{
	const cJSON *list = cJSON_IsArray(artists) ? artists : NULL, *a;
	const char *pending = NULL;
	int names = 0;

	cJSON_ArrayForEach(a, list)
	{
		const char *anv = json_get_string(a, "anv"), *name = json_get_string(a, "name");

		if (anv && anv[0])
			name = anv;
		if (!name || !name[0] || !name_len(name, strlen(name)))
			continue;
		if (names++)
			add_join(out, pending);
		discogs_add_name(out, name, strlen(name));
		pending = json_get_string(a, "join");
	}
}

/* s[0..2) as a number 0..99. */
static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool discogs_date(const char *s, char out[DISCOGS_DATE_LEN + 1])
{
	size_t n = s ? strlen(s) : 0;
	int month, day;

	if (n != 4 && n != 7 && n != 10)
		return false;
	if (!all_digits(s, 4) || strncmp(s, "0000", 4) == 0)
		return false;
	if (n >= 7 && (s[4] != '-' || !all_digits(s + 5, 2)))
		return false;
	if (n == 10 && (s[7] != '-' || !all_digits(s + 8, 2)))
		return false;
	month = n >= 7 ? two(s + 5) : 0;
	day = n == 10 ? two(s + 8) : 0;
	if (month > 12 || day > 31 || (month == 0 && day != 0))
		return false;
	n = day ? 10 : month ? 7 : 4;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

long long discogs_duration_ms(const char *s)
{
	long long total = 0;
	int groups = 0;

	if (!s)
		return -1;
	while (is_blank(*s))
		s++;
	while (*s) {
		long long v = 0;
		int digits = 0;

		while (is_digit(*s) && digits < 6) {
			v = v * 10 + (*s++ - '0');
			digits++;
		}
		if (!digits || (groups && (digits > 2 || v >= 60)) || ++groups > 3)
			return -1;
		total = total * 60 + v;
		if (*s == ':')
			s++;
		else
			break;
	}
	while (is_blank(*s))
		s++;
	if (*s || groups < 2 || total * 1000 > MAX_DURATION_MS)
		return -1;
	return total * 1000;
}

long discogs_position_disc(const char *s)
{
	long disc = 0;
	int digits = 0;

	if (!s)
		return 0;
	while (is_digit(*s) && digits < 5) {
		disc = disc * 10 + (*s++ - '0');
		digits++;
	}
	if (!digits || (*s != '-' && *s != '.') || !s[1] || disc < 1 || disc > MAX_DISC)
		return 0;
	return disc;
}

bool discogs_barcode(const char *s, char out[15])
{
	size_t n = 0;

	if (!s)
		return false;
	for (; *s; s++) {
		if (is_digit(*s)) {
			if (n == 14)
				return false;
			out[n++] = *s;
		} else if (*s != ' ' && *s != '-' && *s != '.') {
			return false;
		}
	}
	out[n] = '\0';
	return n >= 8;
}

bool discogs_is_spacer(const char *url)
{
	return url && strstr(url, "spacer.gif") != NULL;
}
