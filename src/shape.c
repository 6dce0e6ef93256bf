/*
 * shape.c - the closed-shape checker behind musicbrainz_check.c and
 * fragment.c. See shape.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "medley/json.h"
#include "medley/shape.h"

bool shape_fail(struct shape_walk *w, const char *what)
{
	if (w->size)
		snprintf(w->where, w->size, "%s: %s", w->path[0] ? w->path : "(root)", what);
	return false;
}

size_t shape_push(struct shape_walk *w, const char *key, int index)
{
	size_t len = strlen(w->path);

	if (key)
		snprintf(w->path + len, sizeof(w->path) - len, "%s%s", len ? "." : "", key);
	else
		snprintf(w->path + len, sizeof(w->path) - len, "[%d]", index);
	return len;
}

void shape_pop(struct shape_walk *w, size_t mark)
{
	w->path[mark] = '\0';
}

bool shape_date_ok(const char *s)
{
	size_t n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

bool shape_mbid_ok(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-'
			 : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

bool shape_url_ok(const char *s)
{
	size_t skip;

	if (strncmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return false;
	if (!s[skip] || s[skip] == '/' || s[skip] == '?' || s[skip] == '#')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool string_ok(const cJSON *v, bool nonempty)
{
	return cJSON_IsString(v) && json_utf8_valid(v->valuestring, strlen(v->valuestring)) &&
	       (!nonempty || v->valuestring[0]);
}

static bool check_strings(struct shape_walk *w, const cJSON *arr)
{
	const cJSON *item;
	int i = 0;

	if (!cJSON_IsArray(arr))
		return shape_fail(w, "not an array");
	cJSON_ArrayForEach(item, arr)
	{
		size_t mark = shape_push(w, NULL, i++);

		if (!string_ok(item, true))
			return shape_fail(w, "not a non-empty UTF-8 string");
		shape_pop(w, mark);
	}
	return true;
}

/* Every member of obj passes ty (SH_IDMAP, SH_NUMMAP, SH_URLMAP or SH_SCALARS). */
static bool check_map(struct shape_walk *w, const cJSON *obj, enum shape_type ty)
{
	const cJSON *m;

	if (!cJSON_IsObject(obj))
		return shape_fail(w, "not an object");
	cJSON_ArrayForEach(m, obj)
	{
		size_t mark = shape_push(w, m->string, 0);
		bool ok;

		if (!json_utf8_valid(m->string, strlen(m->string)))
			return shape_fail(w, "member name is not UTF-8");
		switch (ty) {
		case SH_IDMAP:
			ok = check_strings(w, m);
			break;
		case SH_NUMMAP:
			ok = (cJSON_IsNumber(m) && isfinite(m->valuedouble)) ||
			     shape_fail(w, "not a number");
			break;
		case SH_URLMAP:
			ok = (string_ok(m, true) && shape_url_ok(m->valuestring)) ||
			     shape_fail(w, "not an http(s) URL");
			break;
		default:
			ok = cJSON_IsNull(m) || cJSON_IsBool(m) ||
			     (cJSON_IsNumber(m) && isfinite(m->valuedouble)) ||
			     string_ok(m, false) || (cJSON_IsArray(m) && check_strings(w, m)) ||
			     shape_fail(w, "not a scalar or a list of strings");
			break;
		}
		if (!ok)
			return false;
		shape_pop(w, mark);
	}
	return true;
}

bool shape_check_value(struct shape_walk *w, const cJSON *v, enum shape_type ty,
		       const struct shape *sub)
{
	bool null = cJSON_IsNull(v);

	switch (ty) {
	case SH_STR:
		return string_ok(v, false) || shape_fail(w, "not a UTF-8 string");
	case SH_STR_NE:
		return string_ok(v, true) || shape_fail(w, "not a non-empty UTF-8 string");
	case SH_STR_N:
		return null || string_ok(v, false) || shape_fail(w, "not a UTF-8 string or null");
	case SH_DATE_N:
		return null || (string_ok(v, false) && shape_date_ok(v->valuestring)) ||
		       shape_fail(w, "not a partial date or null");
	case SH_MBID:
		return (cJSON_IsString(v) && shape_mbid_ok(v->valuestring)) ||
		       shape_fail(w, "not a lowercase MBID");
	case SH_MBID_N:
		return null || (cJSON_IsString(v) && shape_mbid_ok(v->valuestring)) ||
		       shape_fail(w, "not a lowercase MBID or null");
	case SH_URL:
		return (string_ok(v, true) && shape_url_ok(v->valuestring)) ||
		       shape_fail(w, "not an http(s) URL");
	case SH_URL_N:
		return null || (string_ok(v, true) && shape_url_ok(v->valuestring)) ||
		       shape_fail(w, "not an http(s) URL or null");
	case SH_NUM_N:
		return null || (cJSON_IsNumber(v) && isfinite(v->valuedouble)) ||
		       shape_fail(w, "not a number or null");
	case SH_COUNT_N:
		return null ||
		       (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
			v->valuedouble <= 9007199254740992.0 &&
			floor(v->valuedouble) == v->valuedouble) ||
		       shape_fail(w, "not a non-negative integer or null");
	case SH_BOOL:
		return cJSON_IsBool(v) || shape_fail(w, "not a boolean");
	case SH_BOOL_N:
		return null || cJSON_IsBool(v) || shape_fail(w, "not a boolean or null");
	case SH_STRS:
		return check_strings(w, v);
	case SH_LIST:
		return shape_check_list(w, v, sub, 0);
	case SH_OBJ_N:
		if (null)
			return true;
		/* fall through */
	case SH_OBJ:
		return shape_check(w, v, sub, 0);
	case SH_IDMAP:
	case SH_NUMMAP:
	case SH_URLMAP:
	case SH_SCALARS:
		return check_map(w, v, ty);
	}
	return shape_fail(w, "unknown type");
}

bool shape_check_list(struct shape_walk *w, const cJSON *arr, const struct shape *s, unsigned flags)
{
	const cJSON *item;
	int i = 0;

	if (!cJSON_IsArray(arr))
		return shape_fail(w, "not an array");
	cJSON_ArrayForEach(item, arr)
	{
		size_t mark = shape_push(w, NULL, i++);

		if (!shape_check(w, item, s, flags))
			return false;
		shape_pop(w, mark);
	}
	return true;
}

bool shape_check(struct shape_walk *w, const cJSON *obj, const struct shape *s, unsigned flags)
{
	bool scored = flags & SHAPE_SCORED;
	size_t want = s->n + (scored ? 1 : 0);

	if (!cJSON_IsObject(obj))
		return shape_fail(w, "not an object");
	if ((size_t)cJSON_GetArraySize(obj) != want)
		return shape_fail(w, "unexpected or missing members");
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, s->f[i].key);
		size_t mark = shape_push(w, s->f[i].key, 0);

		if (!v)
			return shape_fail(w, "missing");
		if (!shape_check_value(w, v, s->f[i].ty, s->f[i].sub))
			return false;
		shape_pop(w, mark);
	}
	if (scored) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "score");
		size_t mark = shape_push(w, "score", 0);

		if (!v)
			return shape_fail(w, "missing");
		if (!shape_check_value(w, v, SH_NUM_N, NULL))
			return false;
		shape_pop(w, mark);
	}
	return true;
}
