/*
 * shape.h - check a cJSON tree against a declared shape.
 *
 * A shape is a table of members, each with a type and, for lists and
 * objects, the shape of what they hold. Document formats (musicbrainz.h's
 * documents, fragment.h's fragments) declare their shapes as static tables
 * with SHAPE() and check trees with shape_check(): the tables are the
 * documentation in executable form. A shape is closed: a member it does not
 * list is an error.
 *
 *	SHAPE(counted, {"name", SH_STR, NULL}, {"count", SH_NUM_N, NULL});
 *	struct shape_walk w = SHAPE_WALK_INIT(where, size);
 *	if (!shape_check(&w, doc, &counted, 0)) ... where holds "genres[2].name: not a ..."
 *
 * Pure; reentrant; does not allocate.
 */
#ifndef MEDLEY_SHAPE_H
#define MEDLEY_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "medley/common.h"

struct cJSON;

enum shape_type {
	SH_STR,	    /* UTF-8 string */
	SH_STR_NE,  /* non-empty UTF-8 string */
	SH_STR_N,   /* UTF-8 string or null */
	SH_DATE_N,  /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", or null */
	SH_MBID,    /* lowercase 8-4-4-4-12 hex UUID */
	SH_MBID_N,  /* the same, or null */
	SH_URL,	    /* absolute http(s) URL */
	SH_URL_N,   /* the same, or null */
	SH_NUM_N,   /* finite number or null */
	SH_COUNT_N, /* integer >= 0, or null */
	SH_BOOL,    /* true or false */
	SH_BOOL_N,  /* true, false or null */
	SH_STRS,    /* array of non-empty UTF-8 strings */
	SH_LIST,    /* array of objects of shape sub */
	SH_OBJ,	    /* object of shape sub */
	SH_OBJ_N,   /* object of shape sub, or null */
	SH_IDMAP,   /* object whose members are arrays of non-empty strings */
	SH_NUMMAP,  /* object whose members are finite numbers */
	SH_URLMAP,  /* object whose members are absolute http(s) URLs */
	SH_SCALARS, /* object whose members are strings, numbers, booleans, null, or arrays of strings */
};

struct shape;

struct shape_field {
	const char *key;
	enum shape_type ty;
	const struct shape *sub;
};

struct shape {
	const struct shape_field *f;
	size_t n;
};

/* Declare `static const struct shape name` from its member rows. */
#define SHAPE(name, ...)                                                 \
	static const struct shape_field name##_fields[] = {__VA_ARGS__}; \
	static const struct shape name = {name##_fields, ARRAY_SIZE(name##_fields)}

/* Where a walk is ("media[0].tracks[2]") and where it reports a problem. */
struct shape_walk {
	char path[256];
	char *where; /* "path: problem" goes here; borrowed */
	size_t size; /* bytes at where; 0 for none */
};

#define SHAPE_WALK_INIT(where_, size_)                         \
	{                                                      \
		.path = "", .where = (where_), .size = (size_) \
	}

/* Extra members an object may have besides its shape's. */
#define SHAPE_SCORED 1u /* "score": number or null (search results) */

/*
 * True if obj is an object with exactly the members of s (plus what flags
 * allow), each of its type. On the first mismatch writes "path: problem" to
 * w->where and returns false.
 */
bool shape_check(struct shape_walk *w, const struct cJSON *obj, const struct shape *s,
		 unsigned flags);

/*
 * True if v has type ty, as a member of that type in a shape would (sub is
 * the shape of SH_LIST items and SH_OBJ / SH_OBJ_N objects, else NULL). For
 * values outside a shape table, such as a map's members.
 */
bool shape_check_value(struct shape_walk *w, const struct cJSON *v, enum shape_type ty,
		       const struct shape *sub);

/* True if arr is an array of objects of shape s (each checked with flags). */
bool shape_check_list(struct shape_walk *w, const struct cJSON *arr, const struct shape *s,
		      unsigned flags);

/* Record the problem what at the current path; returns false. */
bool shape_fail(struct shape_walk *w, const char *what);

/* Descend into member key (or array index when key is NULL); returns the mark for shape_pop(). */
size_t shape_push(struct shape_walk *w, const char *key, int index);
void shape_pop(struct shape_walk *w, size_t mark);

/* Value checks shared with the builders. */
bool shape_date_ok(const char *s);
bool shape_mbid_ok(const char *s); /* lowercase canonical UUID */
bool shape_url_ok(const char *s);  /* absolute http(s) URL with a host, no controls or spaces */

#endif
