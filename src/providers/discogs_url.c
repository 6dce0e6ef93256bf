/*
 * discogs_url.c - Discogs entity names, ids, request URLs and the
 * Authorization header value.
 *
 * Builds the lookup and search URLs of the Discogs API into a caller's buf,
 * percent-encoding every query value, and reads ids out of the Discogs page
 * URLs that MusicBrainz links to. It sends nothing and knows no host: the
 * base URL comes from the config and the fetch engine does the I/O, the
 * pacing and the User-Agent.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "discogs_int.h"
#include "medley/json.h"
#include "provider_int.h"

static const char *const entity_names[DISCOGS_ENTITY__COUNT] = {
	[DISCOGS_ARTIST] = "artist",
	[DISCOGS_RELEASE] = "release",
	[DISCOGS_MASTER] = "master",
};

static const char *const entity_kinds[DISCOGS_ENTITY__COUNT] = {
	[DISCOGS_ARTIST] = "artist",
	[DISCOGS_RELEASE] = "release",
	[DISCOGS_MASTER] = "release-group",
};

/* Path segment of each lookup. */
static const char *const entity_paths[DISCOGS_ENTITY__COUNT] = {
	[DISCOGS_ARTIST] = "artists",
	[DISCOGS_RELEASE] = "releases",
	[DISCOGS_MASTER] = "masters",
};

const char *discogs_entity_name(enum discogs_entity e)
{
	return (unsigned)e < DISCOGS_ENTITY__COUNT ? entity_names[e] : NULL;
}

const char *discogs_entity_kind(enum discogs_entity e)
{
	return (unsigned)e < DISCOGS_ENTITY__COUNT ? entity_kinds[e] : NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the run of digits at s that makes an id (1..DISCOGS_MAX_ID_LEN, not all 0), or 0. */
static size_t id_span(const char *s)
{
	size_t n = 0;
	bool nonzero = false;

	while (is_digit(s[n])) {
		nonzero = nonzero || s[n] != '0';
		if (++n > DISCOGS_MAX_ID_LEN)
			return 0;
	}
	return nonzero ? n : 0;
}

bool discogs_valid_id(const char *s)
{
	size_t n;

	if (!s)
		return false;
	n = id_span(s);
	return n && s[n] == '\0' && s[0] != '0';
}

/* After "http(s)://(www.)discogs.com", or NULL. */
static const char *discogs_path(const char *url)
{
	static const char *const prefixes[] = {"https://www.discogs.com/",
					       "http://www.discogs.com/", "https://discogs.com/",
					       "http://discogs.com/"};

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(url, prefixes[i], n) == 0)
			return url + n - 1;
	}
	return NULL;
}

enum err discogs_id_from_url(const char *url, enum discogs_entity *e,
			     char id[DISCOGS_MAX_ID_LEN + 1])
{
	const char *path = url ? discogs_path(url) : NULL;

	for (unsigned i = 0; path && i < DISCOGS_ENTITY__COUNT; i++) {
		char seg[16];
		const char *at;
		size_t n;

		/* "/artist/<id>" at the start, or "/<Name>/release/<id>" (old form). */
		snprintf(seg, sizeof(seg), "/%s/", entity_names[i]);
		at = strncmp(path, seg, strlen(seg)) == 0 ? path : strstr(path + 1, seg);
		if (!at || (at != path && memchr(path + 1, '/', (size_t)(at - path - 1))))
			continue;
		at += strlen(seg);
		n = id_span(at);
		if (!n || at[0] == '0' ||
		    (at[n] && at[n] != '-' && at[n] != '/' && at[n] != '?' && at[n] != '#'))
			continue;
		memcpy(id, at, n);
		id[n] = '\0';
		*e = (enum discogs_entity)i;
		return ERR_OK;
	}
	return ERR_INVALID_ARGUMENT;
}

static bool valid_base(const char *base_url)
{
	return base_url && base_url[0];
}

enum err discogs_lookup_url(const char *base_url, enum discogs_entity e, const char *id,
			    struct buf *out)
{
	assert(out);
	if ((unsigned)e >= DISCOGS_ENTITY__COUNT || !valid_base(base_url) || !discogs_valid_id(id))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s/%s", base_url, entity_paths[e], id);
	return prov_built(out);
}

enum err discogs_artist_url(const char *base_url, const char *id, struct buf *out)
{
	return discogs_lookup_url(base_url, DISCOGS_ARTIST, id, out);
}

enum err discogs_release_url(const char *base_url, const char *id, struct buf *out)
{
	return discogs_lookup_url(base_url, DISCOGS_RELEASE, id, out);
}

enum err discogs_master_url(const char *base_url, const char *id, struct buf *out)
{
	return discogs_lookup_url(base_url, DISCOGS_MASTER, id, out);
}

/* NULL or "" (absent), or at most DISCOGS_MAX_QUERY_BYTES of UTF-8. */
static bool query_ok(const char *s)
{
	return !s || !s[0] || prov_value_ok(s, DISCOGS_MAX_QUERY_BYTES);
}

enum err discogs_search_url(const char *base_url, enum discogs_entity type, const char *q,
			    const char *barcode, unsigned per_page, struct buf *out)
{
	bool has_q = q && q[0], has_barcode = barcode && barcode[0];

	assert(out);
	if ((unsigned)type >= DISCOGS_ENTITY__COUNT || !valid_base(base_url))
		return ERR_INVALID_ARGUMENT;
	if (!query_ok(q) || !query_ok(barcode) || (!has_q && !has_barcode))
		return ERR_INVALID_ARGUMENT;
	if (per_page > DISCOGS_MAX_PER_PAGE)
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/database/search?", base_url);
	if (has_q) {
		buf_adds(out, "q=");
		buf_add_pct(out, q);
		buf_addch(out, '&');
	}
	buf_addf(out, "type=%s", entity_names[type]);
	if (has_barcode) {
		buf_adds(out, "&barcode=");
		buf_add_pct(out, barcode);
	}
	if (per_page)
		buf_addf(out, "&per_page=%u", per_page);
	return prov_built(out);
}

enum err discogs_auth_header(const char *token, struct buf *out)
{
	size_t n;

	assert(out);
	if (!token)
		return ERR_INVALID_ARGUMENT;
	n = strnlen(token, DISCOGS_MAX_TOKEN_BYTES + 1);
	if (n == 0 || n > DISCOGS_MAX_TOKEN_BYTES)
		return ERR_INVALID_ARGUMENT;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)token[i] <= 0x20 || (unsigned char)token[i] >= 0x7f)
			return ERR_INVALID_ARGUMENT;
	buf_adds(out, "Discogs token=");
	buf_add(out, token, n);
	return prov_built(out);
}
