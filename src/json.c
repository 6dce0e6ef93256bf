/*
 * json.c - cJSON set-up, capped strict parsing, typed getters and
 * UTF-8-safe builders (see json.h).
 *
 * This is a leaf: it knows nothing about providers or documents. It does
 * not serialize (cJSON_PrintUnformatted does) and does not validate
 * document shapes; callers check what they read with the typed getters.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "medley/xalloc.h"

/* Integers beyond this are not exact in a double. */
#define JSON_INT_LIMIT 9007199254740992.0 /* 2^53 */

static pthread_once_t json_once = PTHREAD_ONCE_INIT;

static void json_install_hooks(void)
{
	cJSON_Hooks hooks = {.malloc_fn = xmalloc, .free_fn = xfree};

	cJSON_InitHooks(&hooks);
}

void json_init(void)
{
	pthread_once(&json_once, json_install_hooks);
}

/* cJSON returns NULL only when allocation fails; with our hooks it cannot. */
static cJSON *must(cJSON *item)
{
	if (!item)
		abort();
	return item;
}

enum err json_parse(const char *body, size_t len, size_t max_bytes, cJSON **out, const char **why)
{
	const char *end = NULL;
	char *copy = NULL;
	cJSON *root = NULL;
	enum err e = ERR_OK;

	*out = NULL;
	json_init();
	if (len > max_bytes || len > SIZE_MAX - 2) {
		*why = "body too large";
		return ERR_TOO_LARGE;
	}
	/* Two NULs: cJSON may look one byte past the length it is given. */
	copy = xmalloc(len + 2);
	if (len)
		memcpy(copy, body, len);
	copy[len] = copy[len + 1] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (!root || end != copy + len) {
		*why = "body is not JSON";
		e = ERR_INVALID_ARGUMENT;
		goto out;
	}
	*out = root;
	root = NULL;
out:
	cJSON_Delete(root);
	xfree(copy);
	return e;
}

const cJSON *json_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const cJSON *json_get_object(const cJSON *obj, const char *key)
{
	const cJSON *v = json_get(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *json_get_array(const cJSON *obj, const char *key)
{
	const cJSON *v = json_get(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

const char *json_string_value(const cJSON *item)
{
	return cJSON_IsString(item) && item->valuestring ? item->valuestring : NULL;
}

const char *json_get_string(const cJSON *obj, const char *key)
{
	return json_string_value(json_get(obj, key));
}

bool json_get_number(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = json_get(obj, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return false;
	*out = v->valuedouble;
	return true;
}

bool json_get_int(const cJSON *obj, const char *key, long long min, long long max, long long *out)
{
	double d;

	if (!json_get_number(obj, key, &d))
		return false;
	if (d < -JSON_INT_LIMIT || d > JSON_INT_LIMIT || d != floor(d))
		return false;
	if (d < (double)min || d > (double)max)
		return false;
	*out = (long long)d;
	return true;
}

bool json_get_bool(const cJSON *obj, const char *key, bool *out)
{
	const cJSON *v = json_get(obj, key);

	if (!cJSON_IsBool(v))
		return false;
	*out = cJSON_IsTrue(v);
	return true;
}

/*
 * Length of the valid UTF-8 sequence at s[0..n), or 0 when s starts with a
 * byte that does not begin one (RFC 3629: no overlongs, no surrogates).
 */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

bool json_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq_len(p + i, n - i);

		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* Copy of s[0..n) with each invalid byte replaced by U+FFFD; xfree() it. */
static char *utf8_sanitize(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *copy;
	size_t i = 0, o = 0;

	/* Each bad byte grows to 3; n cannot be that large, the string is in memory. */
	if (n > (SIZE_MAX - 1) / 3)
		abort();
	copy = xmalloc(n * 3 + 1);
	while (i < n) {
		size_t k = utf8_seq_len(p + i, n - i);

		if (k) {
			memcpy(copy + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(copy + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	copy[o] = '\0';
	return copy;
}

cJSON *json_new_stringn(const char *s, size_t n)
{
	const char *nul;
	char *fixed;
	cJSON *item;

	json_init();
	if (!s)
		return must(cJSON_CreateNull());
	nul = memchr(s, '\0', n);
	if (nul)
		n = (size_t)(nul - s);
	fixed = utf8_sanitize(s, n);
	item = must(cJSON_CreateString(fixed));
	xfree(fixed);
	return item;
}

cJSON *json_new_string(const char *s)
{
	json_init();
	if (s && json_utf8_valid(s, strlen(s)))
		return must(cJSON_CreateString(s));
	return json_new_stringn(s, s ? strlen(s) : 0);
}

void json_add_item(cJSON *obj, const char *key, cJSON *item)
{
	if (!cJSON_AddItemToObject(obj, key, item))
		abort();
}

void json_append(cJSON *arr, cJSON *item)
{
	if (!cJSON_AddItemToArray(arr, item))
		abort();
}

cJSON *json_new_object(void)
{
	json_init();
	return must(cJSON_CreateObject());
}

cJSON *json_new_array(void)
{
	json_init();
	return must(cJSON_CreateArray());
}

void json_add_null(cJSON *obj, const char *key)
{
	json_init();
	json_add_item(obj, key, must(cJSON_CreateNull()));
}

void json_add_string_or_null(cJSON *obj, const char *key, const char *s)
{
	json_add_item(obj, key, json_new_string(s));
}

void json_add_number_or_null(cJSON *obj, const char *key, const double *v)
{
	json_init();
	if (v && isfinite(*v))
		json_add_item(obj, key, must(cJSON_CreateNumber(*v)));
	else
		json_add_item(obj, key, must(cJSON_CreateNull()));
}

void json_add_bool_or_null(cJSON *obj, const char *key, const bool *v)
{
	json_init();
	if (v)
		json_add_item(obj, key, must(cJSON_CreateBool(*v)));
	else
		json_add_item(obj, key, must(cJSON_CreateNull()));
}

cJSON *json_add_array(cJSON *obj, const char *key)
{
	cJSON *arr = json_new_array();

	json_add_item(obj, key, arr);
	return arr;
}

cJSON *json_add_object(cJSON *obj, const char *key)
{
	cJSON *o = json_new_object();

	json_add_item(obj, key, o);
	return o;
}
