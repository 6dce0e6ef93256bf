/*
 * provider_text.c - the readings and fragment members that several
 * enrichment providers share (provider_int.h).
 *
 * Each provider's parser reads an upstream that is trusted for nothing:
 * ids that come as numbers or as digit strings, ISRCs and barcodes in any
 * case, dates with "00" for what is unknown, text with CR LF line ends.
 * The readings that more than one provider needs are here, with the small
 * setters that fill a fragment made by fragment_new_entity(). What one
 * provider alone reads stays in its own files. No I/O, no provider's
 * format, nothing that fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "medley/xalloc.h"
#include "provider_int.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* ---- checks ------------------------------------------------------------- */

enum err prov_built(const struct buf *out)
{
	return buf_failed(out) ? ERR_TOO_LARGE : ERR_OK;
}

bool prov_value_ok(const char *s, size_t max)
{
	size_t n;

	if (!s)
		return false;
	n = strnlen(s, max + 1);
	return n > 0 && n <= max && json_utf8_valid(s, n);
}

bool prov_digits(const char *s, size_t min, size_t max)
{
	size_t n;

	if (!s)
		return false;
	n = strnlen(s, max + 1);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

bool prov_upc_ok(const char *s)
{
	return prov_digits(s, 8, 14);
}

bool prov_isrc(const char *s, char out[PROV_ISRC_LEN + 1])
{
	if (!s || strnlen(s, PROV_ISRC_LEN + 1) != PROV_ISRC_LEN)
		return false;
	for (int i = 0; i < PROV_ISRC_LEN; i++) {
		char c = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];

		if (i < 2 ? !is_upper(c) : i < 5 ? !(is_upper(c) || is_digit(c)) : !is_digit(c))
			return false;
		out[i] = c;
	}
	out[PROV_ISRC_LEN] = '\0';
	return true;
}

/* ---- readers ------------------------------------------------------------ */

const char *prov_text(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);

	return s && s[0] ? s : NULL;
}

bool prov_read_id(const cJSON *src, const char *key, size_t max_digits, char *out, size_t size)
{
	const char *s = json_get_string(src, key);
	long long v;

	if (s) {
		if (!prov_digits(s, 1, max_digits) || s[0] == '0')
			return false;
		snprintf(out, size, "%s", s);
		return true;
	}
	if (!json_get_int(src, key, 1, PROV_MAX_EXACT, &v))
		return false;
	snprintf(out, size, "%lld", v);
	return true;
}

bool prov_read_count(const cJSON *src, const char *key, long long max, long long *out)
{
	const char *s = json_get_string(src, key);
	long long v = 0;
	size_t n;

	if (!s)
		return json_get_int(src, key, 0, max, out);
	for (n = 0; is_digit(s[n]); n++) {
		v = v * 10 + (s[n] - '0');
		if (v > max)
			return false;
	}
	if (n == 0 || s[n])
		return false;
	*out = v;
	return true;
}

bool prov_read_number(const cJSON *src, const char *key, double min, double max, double *out)
{
	const char *s = json_get_string(src, key);
	char *end;
	double v;

	if (!s)
		return json_get_number(src, key, out) && *out >= min && *out <= max;
	if (strspn(s, "0123456789.+-eE") != strlen(s)) /* no hex, blanks, "inf" */
		return false;
	v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool prov_date_prefix(const char *s, char out[PROV_DATE_SIZE])
{
	if (!s || strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-' || strncmp(s, "0000", 4) == 0)
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return false;
	memcpy(out, s, 10);
	out[10] = '\0';
	if (strncmp(out + 5, "00", 2) == 0)
		out[4] = '\0';
	else if (strncmp(out + 8, "00", 2) == 0)
		out[7] = '\0';
	return true;
}

char *prov_plain_text(const char *s)
{
	size_t n = strlen(s), a = 0, b = n;
	char *t, *w;

	while (a < n && strchr(" \t\r\n", s[a]))
		a++;
	while (b > a && strchr(" \t\r\n", s[b - 1]))
		b--;
	if (a == b)
		return NULL;
	t = w = xmalloc(b - a + 1);
	for (size_t i = a; i < b; i++) {
		if (s[i] != '\r')
			*w++ = s[i];
		else if (s[i + 1] != '\n')
			*w++ = '\n';
	}
	*w = '\0';
	return t;
}

/* ---- fragment members --------------------------------------------------- */

cJSON *prov_member(cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

void prov_set(cJSON *obj, const char *key, cJSON *item)
{
	if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item))
		json_add_item(obj, key, item);
}

void prov_set_text(cJSON *obj, const char *key, const char *s)
{
	if (s && s[0])
		prov_set(obj, key, json_new_string(s));
}

void prov_set_count(cJSON *obj, const char *key, const cJSON *src, const char *src_key,
		    long long max)
{
	long long v;

	if (json_get_int(src, src_key, 0, max, &v))
		prov_set(obj, key, cJSON_CreateNumber((double)v));
}

cJSON *prov_count_or_null(const cJSON *src, const char *key, long long max)
{
	long long v;

	return json_get_int(src, key, 0, max, &v) ? cJSON_CreateNumber((double)v)
						  : cJSON_CreateNull();
}

void prov_add_counted(cJSON *arr, const char *name)
{
	cJSON *item;

	if (!name || !name[0])
		return;
	item = json_new_object();
	json_add_string_or_null(item, "name", name);
	json_add_null(item, "count");
	json_append(arr, item);
}

bool prov_append_unique(cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
	{
		if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
			return false;
	}
	json_append(arr, json_new_string(s));
	return true;
}

void prov_add_biography(cJSON *frag, const char *text, const char *summary, const char *lang,
			const char *url, const char *attribution)
{
	cJSON *bio = json_new_object();

	json_add_string_or_null(bio, "text", text);
	json_add_string_or_null(bio, "summary", summary);
	json_add_string_or_null(bio, "language", lang);
	json_add_string_or_null(bio, "url", url);
	json_add_string_or_null(bio, "attribution", attribution);
	json_append(prov_member(frag, "biographies"), bio);
}
