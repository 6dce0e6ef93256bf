/*
 * lrclib.c - LRCLib request URLs, the parsers of /get and /search answers,
 * and the duration matcher (see lrclib.h).
 *
 * Every track LRCLib sends becomes one "lyrics" fragment, whether it came
 * alone (/get) or in a list (/search), through one builder. LRCLib's error
 * bodies are recognised here so that a TrackNotFound reads as "no such
 * track", even when a proxy passes it on with a 200. No I/O, no host: the
 * fetch engine sends the URLs (with medley's User-Agent, as LRCLib asks).
 */
#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/lrclib.h"
#include "medley/provider_id.h"
#include "provider_int.h"

/* Integers beyond this are not exact in a double (json.h's getters stop there). */
#define LRCLIB_MAX_ID 9007199254740991LL

/* Room for an id as text: 2^53 has 16 digits, a string id at most 19. */
#define LRCLIB_ID_BYTES 24

/* Durations past this (~115 days) read as unknown; the product stays exact in a double. */
#define LRCLIB_MAX_TRACK_S 1e7

/* ---- request URLs ------------------------------------------------------- */

/* s is a value we may send: non-empty (unless optional and NULL/""), capped, UTF-8. */
static bool field_ok(const char *s, bool required)
{
	if (!s || !s[0])
		return !required;
	return prov_value_ok(s, LRCLIB_MAX_FIELD_BYTES);
}

static void add_param(struct buf *out, char sep, const char *name, const char *value)
{
	if (!value || !value[0])
		return;
	buf_addch(out, sep);
	buf_adds(out, name);
	buf_addch(out, '=');
	buf_add_pct(out, value);
}

static bool args_ok(const char *base_url, const char *artist, const char *title, const char *album)
{
	return base_url && base_url[0] && field_ok(artist, true) && field_ok(title, true) &&
	       field_ok(album, false);
}

enum err lrclib_get_url(const char *base_url, const char *artist, const char *title,
			const char *album, long duration_s, struct buf *out)
{
	assert(out);
	if (!args_ok(base_url, artist, title, album))
		return ERR_INVALID_ARGUMENT;
	buf_adds(out, base_url);
	buf_adds(out, "/get");
	add_param(out, '?', "artist_name", artist);
	add_param(out, '&', "track_name", title);
	add_param(out, '&', "album_name", album);
	if (duration_s > 0 && duration_s <= LRCLIB_MAX_DURATION_S)
		buf_addf(out, "&duration=%ld", duration_s);
	return prov_built(out);
}

enum err lrclib_search_url(const char *base_url, const char *artist, const char *title,
			   const char *album, struct buf *out)
{
	assert(out);
	if (!args_ok(base_url, artist, title, album))
		return ERR_INVALID_ARGUMENT;
	buf_adds(out, base_url);
	buf_adds(out, "/search");
	add_param(out, '?', "track_name", title);
	add_param(out, '&', "artist_name", artist);
	add_param(out, '&', "album_name", album);
	return prov_built(out);
}

/* ---- one track ---------------------------------------------------------- */

/* src[key] when it is a string with something besides whitespace, else NULL. */
static const char *text(const cJSON *src, const char *key)
{
	const char *s = json_get_string(src, key);

	for (const char *p = s; p && *p; p++)
		if (!isspace((unsigned char)*p))
			return s;
	return NULL;
}

/* LRCLib's id (a number; a string of digits is accepted too) as a string in out. */
static bool read_id(const cJSON *src, char out[LRCLIB_ID_BYTES])
{
	const char *s = json_get_string(src, "id");
	long long v;
	size_t n;

	if (json_get_int(src, "id", 0, LRCLIB_MAX_ID, &v)) {
		snprintf(out, LRCLIB_ID_BYTES, "%lld", v);
		return true;
	}
	if (!s)
		return false;
	n = strnlen(s, 20);
	if (n == 0 || n > 19 || strspn(s, "0123456789") != n)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static void put_duration(cJSON *dst, const cJSON *src)
{
	double s, ms;

	if (!json_get_number(src, "duration", &s) || s < 0 || s > LRCLIB_MAX_TRACK_S) {
		json_add_null(dst, "duration_ms");
		return;
	}
	ms = (double)(long long)(s * 1000.0 + 0.5);
	json_add_number_or_null(dst, "duration_ms", &ms);
}

/* The lyrics fragment of one LRCLib track, or NULL when src has no usable id. */
static cJSON *build_lyrics(const cJSON *src)
{
	const char *name = text(src, "trackName");
	bool instrumental = false;
	char id[LRCLIB_ID_BYTES];
	cJSON *f;

	if (!read_id(src, id))
		return NULL;
	if (!json_get_bool(src, "instrumental", &instrumental))
		instrumental = false;
	f = json_new_object();
	json_add_string_or_null(f, "provider", provider_name(PROVIDER_LRCLIB));
	json_add_string_or_null(f, "kind", "lyrics");
	json_add_string_or_null(f, "id", id);
	json_add_string_or_null(f, "name", name ? name : text(src, "name"));
	json_add_string_or_null(f, "artist", text(src, "artistName"));
	json_add_string_or_null(f, "album", text(src, "albumName"));
	put_duration(f, src);
	json_add_bool_or_null(f, "instrumental", &instrumental);
	json_add_string_or_null(f, "plain", text(src, "plainLyrics"));
	json_add_string_or_null(f, "synced", text(src, "syncedLyrics"));
	return f;
}

/*
 * An object that is not a track: LRCLib's error body {"message", "name",
 * "statusCode"} (or "code") gives ERR_NOT_FOUND for TrackNotFound / 404 and
 * ERR_INVALID_ARGUMENT otherwise; any other object ERR_INVALID_ARGUMENT with
 * the reason other.
 */
static enum err error_body(const cJSON *root, const char *other, const char **why)
{
	const char *name = json_get_string(root, "name");
	long long code = 0;

	if (!json_get_int(root, "statusCode", 100, 599, &code))
		(void)json_get_int(root, "code", 100, 599, &code);
	if ((name && strcmp(name, "TrackNotFound") == 0) || code == 404) {
		*why = "track not found";
		return ERR_NOT_FOUND;
	}
	*why = code || json_get_string(root, "message") ? "lrclib error" : other;
	return ERR_INVALID_ARGUMENT;
}

enum err lrclib_parse_get(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *root = NULL, *frag;
	enum err e;

	*out = NULL;
	e = json_parse(body, len, LRCLIB_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		goto out;
	if (!cJSON_IsObject(root)) {
		*why = "body is not an object";
		e = ERR_INVALID_ARGUMENT;
		goto out;
	}
	frag = build_lyrics(root);
	if (!frag) {
		e = error_body(root, "missing id", why);
		goto out;
	}
	*out = frag;
out:
	cJSON_Delete(root);
	return e;
}

enum err lrclib_parse_search(const char *body, size_t len, cJSON **out, const char **why)
{
	cJSON *root = NULL, *frag, *items;
	const cJSON *src;
	enum err e;

	*out = NULL;
	e = json_parse(body, len, LRCLIB_MAX_BODY_BYTES, &root, why);
	if (e != ERR_OK)
		goto out;
	if (cJSON_IsObject(root)) {
		e = error_body(root, "body is not an array", why);
		goto out;
	}
	if (!cJSON_IsArray(root)) {
		*why = "body is not an array";
		e = ERR_INVALID_ARGUMENT;
		goto out;
	}
	frag = fragment_new_candidates(provider_name(PROVIDER_LRCLIB), "lyrics");
	items = prov_member(frag, "items");
	cJSON_ArrayForEach(src, root)
	{
		cJSON *item = cJSON_IsObject(src) ? build_lyrics(src) : NULL;

		if (item)
			json_append(items, item);
	}
	*out = frag;
out:
	cJSON_Delete(root);
	return e;
}

/* ---- matching ----------------------------------------------------------- */

/* How good an answer item is: 2 synced, 1 plain, 0 instrumental only, -1 none. */
static int answer_rank(const cJSON *item)
{
	bool instrumental = false;

	if (json_get_string(item, "synced"))
		return 2;
	if (json_get_string(item, "plain"))
		return 1;
	return json_get_bool(item, "instrumental", &instrumental) && instrumental ? 0 : -1;
}

const cJSON *lrclib_pick(const cJSON *candidates, long duration_ms, long tolerance_ms)
{
	const char *kind = json_get_string(candidates, "kind");
	const char *entity = json_get_string(candidates, "entity");
	const cJSON *item, *best = NULL;
	long long best_diff = 0;
	int best_rank = -1;

	if (!kind || !entity || strcmp(kind, "candidates") != 0 || strcmp(entity, "lyrics") != 0)
		return NULL;
	if (tolerance_ms < 0)
		tolerance_ms = 0;
	cJSON_ArrayForEach(item, json_get_array(candidates, "items"))
	{
		int rank = answer_rank(item);
		long long d = 0, diff = 0;

		if (rank < 0)
			continue;
		if (duration_ms > 0) {
			if (!json_get_int(item, "duration_ms", 0, LRCLIB_MAX_ID, &d))
				continue;
			diff = d > duration_ms ? d - duration_ms : duration_ms - d;
			if (diff > tolerance_ms)
				continue;
		}
		if (rank > best_rank || (rank == best_rank && diff < best_diff)) {
			best = item;
			best_rank = rank;
			best_diff = diff;
		}
	}
	return best;
}
