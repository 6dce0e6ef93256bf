/*
 * deezer_url.c - Deezer request URLs and advanced-search queries.
 *
 * Validates ids, UPCs and ISRCs before they reach a URL, percent-encodes
 * what is free text, and composes queries in Deezer's artist:"..." syntax.
 * It sends nothing and knows no host: the base URL comes from the config
 * and the fetch engine does the I/O. Parsing is in deezer.c.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "deezer_int.h"
#include "medley/json.h"
#include "provider_int.h"

/* ---- arguments ---------------------------------------------------------- */

static bool valid_base(const char *base_url)
{
	return base_url && base_url[0];
}

bool deezer_valid_id(const char *s)
{
	return prov_digits(s, 1, DEEZER_MAX_ID_DIGITS) && s[0] != '0';
}

static bool valid_limit(unsigned limit)
{
	return limit >= 1 && limit <= DEEZER_MAX_LIMIT;
}

/* ---- request builders --------------------------------------------------- */

static const char *const search_paths[DEEZER_SEARCH__COUNT] = {
	[DEEZER_SEARCH_ARTIST] = "artist",
	[DEEZER_SEARCH_ALBUM] = "album",
	[DEEZER_SEARCH_TRACK] = "track",
};

/* <base>/<what>/<id><tail>: the checked id needs no encoding. */
static enum err id_url(const char *base_url, const char *what, const char *id, const char *tail,
		       struct buf *out)
{
	assert(out);
	if (!valid_base(base_url) || !deezer_valid_id(id))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s/%s%s", base_url, what, id, tail);
	return prov_built(out);
}

static enum err list_url(const char *base_url, const char *id, const char *list, unsigned limit,
			 struct buf *out)
{
	char tail[64];

	if (!valid_limit(limit))
		return ERR_INVALID_ARGUMENT;
	snprintf(tail, sizeof(tail), "/%s?limit=%u", list, limit);
	return id_url(base_url, "artist", id, tail, out);
}

enum err deezer_artist_url(const char *base_url, const char *id, struct buf *out)
{
	return id_url(base_url, "artist", id, "", out);
}

enum err deezer_artist_top_url(const char *base_url, const char *id, unsigned limit,
			       struct buf *out)
{
	return list_url(base_url, id, "top", limit, out);
}

enum err deezer_artist_related_url(const char *base_url, const char *id, unsigned limit,
				   struct buf *out)
{
	return list_url(base_url, id, "related", limit, out);
}

enum err deezer_album_url(const char *base_url, const char *id, struct buf *out)
{
	return id_url(base_url, "album", id, "", out);
}

enum err deezer_track_url(const char *base_url, const char *id, struct buf *out)
{
	return id_url(base_url, "track", id, "", out);
}

enum err deezer_album_by_upc_url(const char *base_url, const char *upc, struct buf *out)
{
	assert(out);
	if (!valid_base(base_url) || !prov_upc_ok(upc))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/album/upc:%s", base_url, upc);
	return prov_built(out);
}

enum err deezer_track_by_isrc_url(const char *base_url, const char *isrc, struct buf *out)
{
	char code[PROV_ISRC_LEN + 1];

	assert(out);
	if (!valid_base(base_url) || !prov_isrc(isrc, code))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/track/isrc:%s", base_url, code);
	return prov_built(out);
}

enum err deezer_search_url(const char *base_url, enum deezer_search kind, const char *q,
			   unsigned limit, struct buf *out)
{
	assert(out);
	if ((unsigned)kind >= DEEZER_SEARCH__COUNT || !valid_base(base_url) ||
	    !prov_value_ok(q, DEEZER_MAX_QUERY_BYTES) || !valid_limit(limit))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/search/%s?q=", base_url, search_paths[kind]);
	buf_add_pct(out, q);
	buf_addf(out, "&limit=%u", limit);
	return prov_built(out);
}

/* Append ` name:"value"` (no leading space first), '"' and controls as spaces. */
static void add_term(struct buf *out, size_t start, const char *name, const char *value)
{
	if (out->len > start)
		buf_addch(out, ' ');
	buf_addf(out, "%s:\"", name);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		buf_addch(out, (*p == '"' || *p < 0x20 || *p == 0x7f) ? ' ' : (char)*p);
	buf_addch(out, '"');
}

static bool given(const char *s)
{
	return s && s[0];
}

enum err deezer_query(const char *artist, const char *album, const char *track, unsigned dur_min_s,
		      unsigned dur_max_s, struct buf *out)
{
	const char *names[] = {"artist", "album", "track"};
	const char *values[] = {artist, album, track};
	size_t start;

	assert(out);
	start = out->len;
	if (!given(artist) && !given(album) && !given(track))
		return ERR_INVALID_ARGUMENT;
	if (dur_min_s && dur_max_s && dur_min_s > dur_max_s)
		return ERR_INVALID_ARGUMENT;
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		if (!given(values[i]))
			continue;
		if (!prov_value_ok(values[i], DEEZER_MAX_QUERY_BYTES))
			return ERR_INVALID_ARGUMENT;
		add_term(out, start, names[i], values[i]);
	}
	if (dur_min_s)
		buf_addf(out, " dur_min:%u", dur_min_s);
	if (dur_max_s)
		buf_addf(out, " dur_max:%u", dur_max_s);
	if (buf_failed(out))
		return ERR_TOO_LARGE;
	return out->len - start > DEEZER_MAX_QUERY_BYTES ? ERR_INVALID_ARGUMENT : ERR_OK;
}
