/*
 * fragment_testing.h - the helpers every parser test repeats: bodies written
 * with single quotes, a parser's answer checked (its fragment's shape and a
 * print / re-parse round trip, or its refusal and reason), members read by
 * path and compared with a JSON text, and the plain readers the conformance
 * suites use on raw bodies. Header-only, like shared_fixtures.h: each unit
 * test is one file. Include it after <cmocka.h>. The functions are static
 * inline only so that a file may leave some of them unused.
 *
 * Every failure fails the running test through cmocka (fail_msg or an
 * assert), so none of these returns an error. What a helper returns is the
 * caller's to free only where its comment says so.
 *
 * A parser test wraps its own parsers (the file knows which to call and
 * with what arguments) in two small functions, and reads with the rest:
 *
 *	static cJSON *parse_ok(enum parser p, const char *quoted)
 *	{
 *		struct ft_body b = ft_body(quoted);    JSON text of quoted, b.len long
 *
 *		return ft_want_ok(&b, run(p, b.text, b.len, &b.out, &b.why), ft_check_frag);
 *	}
 *
 *	static const char *parse_fails(enum parser p, const char *quoted, enum err want)
 *	{
 *		struct ft_body b = ft_body(quoted);
 *
 *		return ft_want_err(&b, run(p, b.text, b.len, &b.out, &b.why), want, NULL);
 *	}
 *
 *	cJSON *f = parse_ok(P_ALBUM, "{'title': 'Nevermind', 'tracks': [{'title': 'Polly'}]}");
 *	ft_expect(f, "tracks[0].title", "'Polly'");     JSON text, single quotes
 *	assert_null(ft_at(f, "tracks[1]"));
 *	cJSON_Delete(f);
 */
#ifndef MEDLEY_TEST_FRAGMENT_TESTING_H
#define MEDLEY_TEST_FRAGMENT_TESTING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"

/* ---- quoted JSON -------------------------------------------------------- */

/*
 * What ft_sq() writes for each '@' of a quoted text; NULL (the default)
 * leaves '@' alone. A file whose bodies repeat a long prefix (an image URL
 * base) sets it once, before its tests run.
 */
static const char *ft_sq_at;

/* A copy of s with ' turned into " (and '@' into ft_sq_at when set); the caller frees it. */
static inline char *ft_sq(const char *s)
{
	size_t at_len = ft_sq_at ? strlen(ft_sq_at) : 0;
	size_t n = strlen(s) + 1;
	char *j, *p;

	for (const char *c = s; at_len && *c; c++)
		n += *c == '@' ? at_len : 0;
	j = p = malloc(n);
	assert_non_null(j);
	for (; *s; s++) {
		if (at_len && *s == '@') {
			memcpy(p, ft_sq_at, at_len);
			p += at_len;
		} else {
			*p++ = *s == '\'' ? '"' : *s;
		}
	}
	*p = '\0';
	return j;
}

/* quoted parsed as JSON, for the caller to cJSON_Delete(); fails the test when it does not parse. */
static inline cJSON *ft_json(const char *quoted)
{
	char *text = ft_sq(quoted);
	cJSON *v = cJSON_Parse(text);

	if (!v)
		fail_msg("test JSON does not parse: %s", text);
	free(text);
	return v;
}

/* ---- reading by path ---------------------------------------------------- */

/* doc at a path like "tracks[1].title" or "images[0].thumbnails.250" (borrowed; NULL if absent). */
static inline const cJSON *ft_at(const cJSON *doc, const char *path)
{
	char key[64];

	while (doc && *path) {
		size_t n = strcspn(path, ".[");

		if (n) {
			snprintf(key, sizeof(key), "%.*s", (int)n, path);
			doc = cJSON_GetObjectItemCaseSensitive(doc, key);
			path += n;
		} else if (*path == '[') {
			doc = cJSON_GetArrayItem(doc, (int)strtol(path + 1, NULL, 10));
			path = strchr(path, ']') + 1;
		}
		if (*path == '.')
			path++;
	}
	return doc;
}

/* ft_at(doc, path) is present and equal to the JSON text want_quoted (single quotes). */
static inline void ft_expect(const cJSON *doc, const char *path, const char *want_quoted)
{
	char *want_text = ft_sq(want_quoted);
	cJSON *want = cJSON_Parse(want_text);
	const cJSON *got = ft_at(doc, path);

	assert_non_null(want);
	if (!got || !cJSON_Compare(got, want, 1)) {
		char *g = got ? cJSON_PrintUnformatted(got) : NULL;

		fail_msg("%s: got %s, want %s", path, g ? g : "(absent)", want_text);
	}
	cJSON_Delete(want);
	free(want_text);
}

/* ---- checking a fragment ------------------------------------------------ */

/* How a parser's result is checked: ft_check_frag, ft_check_shape or the file's own. */
typedef void ft_check_fn(const cJSON *frag);

/* The fragment passes fragment_check(). */
static inline void ft_check_shape(const cJSON *frag)
{
	char where[300];

	if (fragment_check(frag, where, sizeof(where)) != ERR_OK)
		fail_msg("fragment shape: %s", where);
}

/* doc prints as valid UTF-8 and parses back the same. */
static inline void ft_check_round_trip(const cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	cJSON *again;

	assert_non_null(text);
	assert_true(json_utf8_valid(text, strlen(text)));
	again = cJSON_Parse(text);
	assert_non_null(again);
	assert_true(cJSON_Compare(doc, again, 1));
	cJSON_Delete(again);
	cJSON_free(text);
}

/* The fragment is well shaped, prints as valid UTF-8 and parses back the same. */
static inline void ft_check_frag(const cJSON *frag)
{
	ft_check_shape(frag);
	ft_check_round_trip(frag);
}

/* ---- one parser call on a quoted body ------------------------------------ */

/* What out holds until the parser sets it: a parser that fails must reset it to NULL. */
static cJSON ft_unset;

/*
 * The body given to the parser, and what the parser answers into. The
 * caller passes text, len, &out and &why to its parser, then hands the
 * parser's return to ft_want_ok() or ft_want_err(), which free text.
 */
struct ft_body {
	const char *quoted; /* borrowed: the body as the test wrote it, for messages */
	char *text;	    /* ft_sq(quoted) */
	size_t len;	    /* strlen(text) */
	cJSON *out;	    /* the parser's fragment */
	const char *why;    /* the parser's reason */
};

static inline struct ft_body ft_body(const char *quoted)
{
	struct ft_body b = {quoted, ft_sq(quoted), 0, &ft_unset, NULL};

	b.len = strlen(b.text);
	return b;
}

/* err is ERR_OK; check(b->out) passes; returns b->out for the caller to cJSON_Delete(). */
static inline cJSON *ft_want_ok(struct ft_body *b, enum err err, ft_check_fn *check)
{
	if (err != ERR_OK)
		fail_msg("parse failed: %s (%s)", err_str(err), b->why ? b->why : "?");
	if (b->out == &ft_unset)
		fail_msg("'%s': parsed without a fragment", b->quoted);
	free(b->text);
	check(b->out);
	return b->out;
}

/*
 * err is want, b->out is NULL and there is a reason, equal to want_why
 * unless that is NULL. Returns the reason (borrowed from the parser).
 */
static inline const char *ft_want_err(struct ft_body *b, enum err err, enum err want,
				      const char *want_why)
{
	if (err != want)
		fail_msg("'%s': got %s, want %s (%s)", b->quoted, err_str(err), err_str(want),
			 b->why ? b->why : "?");
	if (b->out)
		fail_msg("'%s': output not NULL on error", b->quoted);
	assert_non_null(b->why);
	if (want_why && strcmp(b->why, want_why) != 0)
		fail_msg("'%s': why '%s', want '%s'", b->quoted, b->why, want_why);
	free(b->text);
	return b->why;
}

/* ---- plain readers (raw bodies and fragments) ---------------------------- */

/* o[key] when o is an object (borrowed), else NULL. */
static inline const cJSON *ft_get(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* o[key] when a string (borrowed), else NULL. */
static inline const char *ft_str(const cJSON *o, const char *key)
{
	const cJSON *v = ft_get(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* o[key] when a non-empty string (borrowed), else NULL: "" reads as absent. */
static inline const char *ft_text(const cJSON *o, const char *key)
{
	const char *s = ft_str(o, key);

	return s && s[0] ? s : NULL;
}

/* The size of the array o[key], 0 when it is not an array. */
static inline int ft_size(const cJSON *o, const char *key)
{
	const cJSON *v = ft_get(o, key);

	return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
}

/* Item i of the array o[key] (borrowed), else NULL. */
static inline const cJSON *ft_item(const cJSON *o, const char *key, int i)
{
	return cJSON_GetArrayItem(ft_get(o, key), i);
}

#endif
