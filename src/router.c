/*
 * router.c - segment-by-segment matching of paths to the route table.
 *
 * The table is small (tens of rows) and matching is linear: each request
 * splits and decodes its path once, then compares segments. No allocation
 * except the decoded segments in the request's arena. This file does not
 * know the table's contents (routes.c) nor HTTP (http.c).
 */
#include <stdio.h>
#include <string.h>

#include "medley/router.h"
#include "medley/url.h"

static const struct {
	const char *token;
	enum http_method bit;
} methods[] = {
	{"GET", HTTP_GET},	   {"HEAD", HTTP_HEAD},	    {"POST", HTTP_POST},
	{"PUT", HTTP_PUT},	   {"DELETE", HTTP_DELETE}, {"PATCH", HTTP_PATCH},
	{"OPTIONS", HTTP_OPTIONS},
};

enum http_method router_method(const char *token)
{
	for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
		if (strcmp(token, methods[i].token) == 0)
			return methods[i].bit;
	return HTTP_OTHER;
}

void router_allow_str(unsigned allow, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	if (allow & HTTP_GET)
		allow |= HTTP_HEAD;
	for (size_t i = 0; i < ARRAY_SIZE(methods); i++) {
		if (!(allow & methods[i].bit))
			continue;
		int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
				 methods[i].token);
		if (w < 0 || (size_t)w >= size - used)
			return;
		used += (size_t)w;
	}
}

struct segments {
	char *seg[ROUTE_MAX_SEGMENTS];
	size_t n;
};

/* Split and decode a raw path; ERR_NOT_FOUND for shapes no route can have. */
static enum err split_path(const char *path, size_t len, struct arena *a, struct segments *s,
			   const char **why)
{
	size_t i = 1;

	s->n = 0;
	if (len == 0 || path[0] != '/') {
		*why = "path must start with '/'";
		return ERR_BAD_PATH;
	}
	if (len == 1)
		return ERR_OK; /* "/" has no segments */
	while (i <= len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t seglen = slash ? (size_t)(slash - (path + i)) : len - i;
		enum err e;

		if (seglen == 0 || s->n == ROUTE_MAX_SEGMENTS)
			return ERR_NOT_FOUND; /* "//", trailing '/', or absurdly deep */
		e = url_decode(a, path + i, seglen, false, &s->seg[s->n], why);
		if (e == ERR_INVALID_ARGUMENT)
			return ERR_BAD_PATH;
		if (e != ERR_OK)
			return e;
		s->n++;
		i += seglen + 1;
	}
	return ERR_OK;
}

/* Does the pattern match the segments? Fills params when it does. */
static bool pattern_match(const char *pattern, const struct segments *s, struct route_match *m)
{
	const char *p = pattern + 1;
	size_t k = 0;

	m->nparams = 0;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t plen = end ? (size_t)(end - p) : strlen(p);

		if (k == s->n)
			return false;
		if (p[0] == '{') {
			struct route_param *rp = &m->params[m->nparams++];

			rp->name = p + 1;
			rp->name_len = plen - 2;
			rp->value = s->seg[k];
		} else if (strlen(s->seg[k]) != plen || memcmp(p, s->seg[k], plen) != 0) {
			return false;
		}
		k++;
		p += plen + (end ? 1 : 0);
	}
	return k == s->n;
}

enum err router_match(const struct route *table, size_t n, enum http_method method,
		      const char *path, size_t len, struct arena *a, struct route_match *out,
		      const char **why)
{
	struct segments s;
	enum err e = split_path(path, len, a, &s, why);

	memset(out, 0, sizeof(*out));
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		struct route_match m;
		unsigned allowed = table[i].methods;

		if (allowed & HTTP_GET)
			allowed |= HTTP_HEAD;
		if (!pattern_match(table[i].pattern, &s, &m))
			continue;
		if (allowed & method) {
			*out = m;
			out->route = &table[i];
			out->index = i;
			return ERR_OK;
		}
		out->allow |= allowed;
	}
	return out->allow ? ERR_METHOD_NOT_ALLOWED : ERR_NOT_FOUND;
}

const char *router_param(const struct route_match *m, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < m->nparams; i++)
		if (m->params[i].name_len == len && memcmp(m->params[i].name, name, len) == 0)
			return m->params[i].value;
	return NULL;
}

static bool pattern_ok(const char *p, size_t *nparams)
{
	*nparams = 0;
	if (p[0] != '/')
		return false;
	if (p[1] == '\0')
		return true;
	for (p++; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == 0)
			return false;
		if (p[0] == '{' && (len < 3 || p[len - 1] != '}'))
			return false;
		*nparams += p[0] == '{';
		p += len + (end ? 1 : 0);
		if (end && !*p)
			return false; /* trailing slash */
	}
	return *nparams <= ROUTE_MAX_PARAMS;
}

enum err router_check_table(const struct route *table, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		size_t np;

		if (!table[i].name || !table[i].name[0] || !table[i].handler || !table[i].methods) {
			*why = table[i].pattern;
			return ERR_INTERNAL;
		}
		if (!pattern_ok(table[i].pattern, &np)) {
			*why = table[i].pattern;
			return ERR_INTERNAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(table[i].name, table[j].name) == 0) {
				*why = table[i].name;
				return ERR_INTERNAL;
			}
		}
	}
	return ERR_OK;
}
