/*
 * musicbrainz_common.c - members that MusicBrainz entities share, read
 * defensively and written in medley's normalized form.
 *
 * Each mb_put_*() takes one MusicBrainz object and adds one normalized
 * member (or a fixed few) to a document: strings re-encoded as valid UTF-8,
 * dates checked for shape, numbers range-checked, lists always present.
 * Nothing here decides which members a document has (musicbrainz_lookup.c
 * does) and nothing reads url relations (musicbrainz_links.c does).
 */
#include <stdlib.h>
#include <string.h>

#include "medley/buf.h"
#include "medley/json.h"
#include "medley/xalloc.h"
#include "musicbrainz_int.h"

/* Counts and votes beyond this are nonsense, not data. */
#define MB_MAX_COUNT 1000000000LL

enum err mb_parse_object(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *root = NULL;
	enum err e;

	*out = NULL;
	e = json_parse(body, len, MB_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		return e == ERR_INVALID_ARGUMENT ? MB_ERR_BAD_BODY : e;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		*why = "body is not a JSON object";
		return MB_ERR_BAD_BODY;
	}
	*out = root;
	return ERR_OK;
}

enum err mb_parse_entity_object(enum mb_entity e, const char *body, size_t len, cJSON **out,
				const char **why)
{
	*out = NULL;
	if ((unsigned)e >= MB_ENTITY__COUNT) {
		*why = "unknown entity";
		return ERR_INVALID_ARGUMENT;
	}
	return mb_parse_object(body, len, out, why);
}

bool mb_read_id(const cJSON *src, char out[MB_MBID_LEN + 1])
{
	return mb_normalize_mbid(json_get_string(src, "id"), out) == ERR_OK;
}

cJSON *mb_doc_new(const char *kind, const char *id)
{
	cJSON *doc = json_new_object();

	json_add_string_or_null(doc, "id", id);
	json_add_string_or_null(doc, "kind", kind);
	return doc;
}

void mb_put_str(cJSON *dst, const char *key, const cJSON *src, const char *src_key)
{
	json_add_string_or_null(dst, key, json_get_string(src, src_key));
}

void mb_put_text(cJSON *dst, const char *key, const cJSON *src, const char *src_key)
{
	const char *s = json_get_string(src, src_key);

	json_add_string_or_null(dst, key, s && s[0] ? s : NULL);
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* YYYY, YYYY-MM or YYYY-MM-DD (MusicBrainz's partial dates), nothing else. */
static bool date_shaped(const char *s)
{
	size_t n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return false;
	if (!digits(s, 4))
		return false;
	if (n >= 7 && (s[4] != '-' || !digits(s + 5, 2)))
		return false;
	if (n == 10 && (s[7] != '-' || !digits(s + 8, 2)))
		return false;
	return true;
}

void mb_put_date(cJSON *dst, const char *key, const cJSON *src, const char *src_key)
{
	const char *s = json_get_string(src, src_key);

	json_add_string_or_null(dst, key, s && date_shaped(s) ? s : NULL);
}

void mb_put_int(cJSON *dst, const char *key, const cJSON *src, const char *src_key, long long min,
		long long max)
{
	long long v;
	double d;

	if (json_get_int(src, src_key, min, max, &v)) {
		d = (double)v;
		json_add_number_or_null(dst, key, &d);
	} else {
		json_add_number_or_null(dst, key, NULL);
	}
}

void mb_put_bool(cJSON *dst, const char *key, const cJSON *src, const char *src_key)
{
	bool b;

	json_add_bool_or_null(dst, key, json_get_bool(src, src_key, &b) ? &b : NULL);
}

void mb_put_mbid(cJSON *dst, const char *key, const cJSON *src, const char *src_key)
{
	char id[MB_MBID_LEN + 1];
	const char *s = json_get_string(src, src_key);

	json_add_string_or_null(dst, key, mb_normalize_mbid(s, id) == ERR_OK ? id : NULL);
}

void mb_put_strings(cJSON *dst, const char *key, const cJSON *src, const char *src_key)
{
	cJSON *arr = json_add_array(dst, key);
	const cJSON *item;

	cJSON_ArrayForEach(item, json_get_array(src, src_key))
	{
		const char *s = json_string_value(item);

		if (s && s[0])
			json_append(arr, json_new_string(s));
	}
}

/* dst.artist = {id, name, sort_name, disambiguation} of a credited artist, or null. */
static void put_credited_artist(cJSON *dst, const cJSON *src)
{
	char id[MB_MBID_LEN + 1];
	cJSON *a;

	if (!mb_read_id(src, id)) {
		json_add_null(dst, "artist");
		return;
	}
	a = json_add_object(dst, "artist");
	json_add_string_or_null(a, "id", id);
	mb_put_str(a, "name", src, "name");
	mb_put_str(a, "sort_name", src, "sort-name");
	mb_put_text(a, "disambiguation", src, "disambiguation");
}

/* One credit: the credited name (the artist's name when absent) and join phrase. */
static void add_credit(cJSON *arr, const cJSON *src, struct buf *display)
{
	const cJSON *artist = json_get_object(src, "artist");
	const char *name = json_get_string(src, "name");
	const char *join = json_get_string(src, "joinphrase");
	cJSON *c = json_new_object();

	if (!name)
		name = json_get_string(artist, "name");
	json_add_string_or_null(c, "name", name);
	json_add_string_or_null(c, "join_phrase", join ? join : "");
	put_credited_artist(c, artist);
	json_append(arr, c);
	if (name)
		buf_adds(display, name);
	buf_adds(display, join ? join : "");
}

void mb_put_artist_credit(cJSON *dst, const cJSON *src)
{
	cJSON *arr = json_add_array(dst, "artist_credit");
	const cJSON *item;
	struct buf display;

	buf_init(&display, MB_MAX_CREDIT_NAME_BYTES);
	cJSON_ArrayForEach(item, json_get_array(src, "artist-credit"))
	{
		if (cJSON_IsObject(item))
			add_credit(arr, item, &display);
	}
	/* Past the cap the name is left incomplete rather than wrong: null. */
	json_add_string_or_null(dst, "artist_credit_name",
				display.len && !buf_failed(&display) ? display.data : NULL);
	buf_release(&display);
}

void mb_put_aliases(cJSON *dst, const cJSON *src)
{
	cJSON *arr = json_add_array(dst, "aliases");
	const cJSON *item;

	cJSON_ArrayForEach(item, json_get_array(src, "aliases"))
	{
		cJSON *a;
		bool primary = false;

		if (!cJSON_IsObject(item) || !json_get_string(item, "name"))
			continue;
		a = json_new_object();
		mb_put_str(a, "name", item, "name");
		mb_put_str(a, "sort_name", item, "sort-name");
		mb_put_text(a, "locale", item, "locale");
		(void)json_get_bool(item, "primary", &primary);
		json_add_bool_or_null(a, "primary", &primary);
		mb_put_text(a, "type", item, "type");
		/* Lookups say begin/end, search bodies begin-date/end-date. */
		mb_put_date(a, "begin", item, json_get(item, "begin") ? "begin" : "begin-date");
		mb_put_date(a, "end", item, json_get(item, "end") ? "end" : "end-date");
		json_append(arr, a);
	}
}

struct counted {
	const char *name;
	long long count;
};

static int counted_cmp(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

void mb_put_counted(cJSON *dst, const char *key, const cJSON *src)
{
	const cJSON *list = json_get_array(src, key);
	cJSON *arr = json_add_array(dst, key);
	size_t n = 0, cap = (size_t)cJSON_GetArraySize(list);
	struct counted *v;
	const cJSON *item;

	if (!cap)
		return;
	v = xcalloc(cap, sizeof(*v));
	cJSON_ArrayForEach(item, list)
	{
		const char *name = json_get_string(item, "name");
		long long count = 0;

		if (!name || !name[0] || n == cap)
			continue;
		(void)json_get_int(item, "count", 0, MB_MAX_COUNT, &count);
		v[n++] = (struct counted){name, count};
	}
	qsort(v, n, sizeof(*v), counted_cmp);
	for (size_t i = 0; i < n; i++) {
		cJSON *t = json_new_object();
		double c = (double)v[i].count;

		json_add_string_or_null(t, "name", v[i].name);
		json_add_number_or_null(t, "count", &c);
		json_append(arr, t);
	}
	xfree(v);
}

void mb_put_rating(cJSON *dst, const cJSON *src)
{
	const cJSON *rating = json_get_object(src, "rating");
	long long votes = 0;
	double value, v;
	cJSON *r;

	/* No value means nobody rated it (MusicBrainz sends value null, votes 0). */
	if (!json_get_number(rating, "value", &value) || value < 0 || value > 5) {
		json_add_null(dst, "rating");
		return;
	}
	(void)json_get_int(rating, "votes-count", 0, MB_MAX_COUNT, &votes);
	r = json_add_object(dst, "rating");
	json_add_number_or_null(r, "value", &value);
	v = (double)votes;
	json_add_number_or_null(r, "votes", &v);
}

void mb_put_area(cJSON *dst, const char *key, const cJSON *src, const char *k1, const char *k2)
{
	const cJSON *area = json_get_object(src, k1);
	char id[MB_MBID_LEN + 1];
	cJSON *a;

	if (!area && k2)
		area = json_get_object(src, k2);
	if (!mb_read_id(area, id)) {
		json_add_null(dst, key);
		return;
	}
	a = json_add_object(dst, key);
	json_add_string_or_null(a, "id", id);
	mb_put_str(a, "name", area, "name");
}

void mb_put_release_group_ref(cJSON *dst, const char *key, const cJSON *src)
{
	char id[MB_MBID_LEN + 1];
	cJSON *rg;

	if (!mb_read_id(src, id)) {
		json_add_null(dst, key);
		return;
	}
	rg = json_add_object(dst, key);
	json_add_string_or_null(rg, "id", id);
	mb_put_str(rg, "title", src, "title");
	mb_put_text(rg, "primary_type", src, "primary-type");
	mb_put_strings(rg, "secondary_types", src, "secondary-types");
	mb_put_date(rg, "first_release_date", src, "first-release-date");
}
