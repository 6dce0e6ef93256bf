/*
 * merge_params.c - what a lookup asks the merger for: the include= list of
 * enrichments, and the language of the biography (lang= or
 * Accept-Language, RFC 9110 section 12.5.4).
 *
 * Pure string work on request values; it does not read config (the
 * default include list comes from the caller) nor the request itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "medley/merge.h"

static const char *const include_names[] = {
#define MERGE_INCLUDE_NAME_ROW(id, name) name,
	MERGE_INCLUDE_LIST(MERGE_INCLUDE_NAME_ROW)
#undef MERGE_INCLUDE_NAME_ROW
};

/* The message of merge_parse_include()'s last error on this thread. */
static _Thread_local char include_why[80];

const char *merge_include_name(unsigned flag)
{
	for (unsigned i = 0; i < MERGE_INCLUDE__COUNT; i++)
		if (flag == 1u << i)
			return include_names[i];
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The flags for name[0..n), or false when it names nothing. */
static bool include_flags(const char *name, size_t n, unsigned *flags)
{
	if (n == 3 && memcmp(name, "all", 3) == 0) {
		*flags = MERGE_INCLUDE_ALL;
		return true;
	}
	if (n == 4 && memcmp(name, "none", 4) == 0) {
		*flags = 0;
		return true;
	}
	for (unsigned i = 0; i < MERGE_INCLUDE__COUNT; i++)
		if (strlen(include_names[i]) == n && memcmp(name, include_names[i], n) == 0) {
			*flags = 1u << i;
			return true;
		}
	return false;
}

static void unknown_include(const char *name, size_t n)
{
	char shown[33];
	size_t k = n < sizeof(shown) - 1 ? n : sizeof(shown) - 1;

	for (size_t i = 0; i < k; i++)
		shown[i] = name[i] > 0x20 && name[i] < 0x7f && name[i] != '\'' ? name[i] : '?';
	shown[k] = '\0';
	snprintf(include_why, sizeof(include_why), "unknown include '%s%s'", shown,
		 n > k ? "..." : "");
}

enum err merge_parse_include(const char *s, unsigned *out, const char **why)
{
	unsigned mask = 0;

	*out = 0;
	if (!s)
		return ERR_OK;
	if (strlen(s) > MERGE_MAX_INCLUDE_BYTES) {
		*why = "include list too long";
		return ERR_INVALID_ARGUMENT;
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *name = s;
		unsigned flags;

		s += n + (s[n] == ',');
		while (n && is_space(*name))
			name++, n--;
		while (n && is_space(name[n - 1]))
			n--;
		if (!n)
			continue;
		if (!include_flags(name, n, &flags)) {
			unknown_include(name, n);
			*why = include_why;
			return ERR_INVALID_ARGUMENT;
		}
		mask |= flags;
	}
	*out = mask;
	return ERR_OK;
}

/* Language ------------------------------------------------------------------ */

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool alnum(char c)
{
	return alpha(c) || (c >= '0' && c <= '9');
}

/*
 * True if s[0..n) is a language tag we accept: a primary subtag of 2 or 3
 * letters, then subtags of 1 to 8 letters or digits after '-' or '_'. The
 * primary subtag, lowercased, goes to out.
 */
static bool lang_tag(const char *s, size_t n, char out[MERGE_LANG_LEN])
{
	size_t p = 0, i;

	while (p < n && alpha(s[p]))
		p++;
	if (p < 2 || p > 3 || n > 64)
		return false;
	for (i = p; i < n;) {
		size_t len = 0;

		if (s[i] != '-' && s[i] != '_')
			return false;
		for (i++; i < n && alnum(s[i]); i++)
			len++;
		if (len < 1 || len > 8)
			return false;
	}
	for (i = 0; i < p; i++)
		out[i] = (char)(s[i] | 0x20);
	out[p] = '\0';
	return true;
}

/* RFC 9110 qvalue: "0" ["." 0-3 digits] or "1" ["." 0-3 zeros], as thousandths. */
static bool qvalue(const char *s, size_t n, int *q)
{
	int v = 0, scale = 1000;

	if (n < 1 || n > 5 || (s[0] != '0' && s[0] != '1') || (n > 1 && s[1] != '.') || n == 2)
		return false;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		scale /= 10;
		v += (s[i] - '0') * scale;
	}
	if (s[0] == '1' && v)
		return false;
	*q = s[0] == '1' ? 1000 : v;
	return true;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s))
		(*s)++, (*n)--;
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* The q of one Accept-Language element's parameters (";q=0.5"), 1000 when none; -1 if malformed. */
static int element_q(const char *params, size_t n)
{
	int q = 1000;

	while (n) {
		size_t len = 0;
		const char *p;

		if (*params != ';')
			return -1;
		params++, n--;
		while (len < n && params[len] != ';')
			len++;
		p = params;
		params += len, n -= len;
		trim(&p, &len);
		if (len >= 2 && (p[0] == 'q' || p[0] == 'Q')) {
			size_t k = 1;

			while (k < len && is_space(p[k]))
				k++;
			if (k >= len || p[k] != '=')
				return -1;
			p += k + 1, len -= k + 1;
			trim(&p, &len);
			if (!qvalue(p, len, &q))
				return -1;
		}
	}
	return q;
}

/* The best range of an Accept-Language value, or false when none is usable. */
static bool accept_language(const char *h, char out[MERGE_LANG_LEN])
{
	size_t left = strnlen(h, 4096);
	int best = 0;

	for (unsigned k = 0; left && k < 64; k++) {
		size_t n = 0, tag, plen;
		const char *e = h, *params;
		char cand[MERGE_LANG_LEN];
		int q;

		while (n < left && h[n] != ',')
			n++;
		h += n + (n < left);
		left -= n + (n < left);
		trim(&e, &n);
		tag = 0;
		while (tag < n && e[tag] != ';' && !is_space(e[tag]))
			tag++;
		params = e + tag;
		plen = n - tag;
		trim(&params, &plen);
		q = element_q(params, plen);
		if (q <= best || !lang_tag(e, tag, cand))
			continue;
		best = q;
		memcpy(out, cand, sizeof(cand));
	}
	return best > 0;
}

void merge_pick_lang(const char *lang_param, const char *accept_language_value,
		     char out[MERGE_LANG_LEN])
{
	if (lang_param && lang_tag(lang_param, strlen(lang_param), out))
		return;
	if (accept_language_value && accept_language(accept_language_value, out))
		return;
	memcpy(out, "en", 3);
}
