/*
 * spotify_url.c - Spotify ids, open.spotify.com links, request URLs and
 * search query clauses.
 *
 * Builds the Web API URLs medley sends into a caller's buf, with every value
 * percent-encoded, and the clauses of a search query (free text, field
 * filters, isrc: and upc:). It sends nothing and knows no host: the base URL
 * comes from the config, and the token and the I/O belong to the fetch
 * engine. Parsers live in spotify_parse.c, auth in spotify_auth.c.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "medley/json.h"
#include "provider_int.h"
#include "spotify_int.h"

static const char *const type_names[SPOTIFY_TYPE__COUNT] = {
	[SPOTIFY_ARTIST] = "artist",
	[SPOTIFY_ALBUM] = "album",
	[SPOTIFY_TRACK] = "track",
};

/* Field filters a clause may use (Spotify's search reference lists more; these are ours). */
static const char *const query_fields[] = {"artist", "album", "track", "year", "genre"};

const char *spotify_type_name(enum spotify_type t)
{
	return (unsigned)t < SPOTIFY_TYPE__COUNT ? type_names[t] : NULL;
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* True if s starts with SPOTIFY_ID_LEN base62 characters (no NUL check after them). */
static bool id_prefix(const char *s)
{
	for (int i = 0; i < SPOTIFY_ID_LEN; i++)
		if (!is_alnum(s[i]))
			return false; /* also stops at an early NUL */
	return true;
}

bool spotify_valid_id(const char *s)
{
	return s && id_prefix(s) && s[SPOTIFY_ID_LEN] == '\0';
}

/* s past a case-insensitive prefix, or NULL. */
static const char *skip_prefix_ci(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* The link's path after the host ("artist/<id>..."), skipping intl-xx/ and embed/. */
static const char *link_path(const char *url)
{
	const char *p = skip_prefix_ci(url, "https://open.spotify.com/");

	if (!p)
		p = skip_prefix_ci(url, "http://open.spotify.com/");
	if (p && strncmp(p, "intl-", 5) == 0) {
		p = strchr(p, '/');
		p = p ? p + 1 : NULL;
	}
	if (p && strncmp(p, "embed/", 6) == 0)
		p += 6;
	return p;
}

enum err spotify_id_from_url(const char *url, enum spotify_type *type, char id[SPOTIFY_ID_LEN + 1])
{
	const char *p;
	char sep;

	if (!url)
		return ERR_INVALID_ARGUMENT;
	if (strncmp(url, "spotify:", 8) == 0) {
		p = url + 8;
		sep = ':';
	} else {
		p = link_path(url);
		sep = '/';
	}
	if (!p)
		return ERR_INVALID_ARGUMENT;
	for (unsigned t = 0; t < SPOTIFY_TYPE__COUNT; t++) {
		size_t n = strlen(type_names[t]);
		const char *s = p + n + 1;
		char end;

		if (strncmp(p, type_names[t], n) != 0 || p[n] != sep || !id_prefix(s))
			continue;
		end = s[SPOTIFY_ID_LEN];
		if (end != '\0' && (sep == ':' || (end != '?' && end != '#' && end != '/')))
			return ERR_INVALID_ARGUMENT;
		memcpy(id, s, SPOTIFY_ID_LEN);
		id[SPOTIFY_ID_LEN] = '\0';
		*type = (enum spotify_type)t;
		return ERR_OK;
	}
	return ERR_INVALID_ARGUMENT;
}

/* URLs ---------------------------------------------------------------------- */

static bool valid_base(const char *base_url)
{
	return base_url && base_url[0];
}

static enum err entity_url(const char *base_url, const char *path, const char *id, struct buf *out)
{
	assert(out);
	if (!valid_base(base_url) || !spotify_valid_id(id))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s/%s", base_url, path, id);
	return prov_built(out);
}

enum err spotify_artist_url(const char *base_url, const char *id, struct buf *out)
{
	return entity_url(base_url, "artists", id, out);
}

enum err spotify_album_url(const char *base_url, const char *id, struct buf *out)
{
	return entity_url(base_url, "albums", id, out);
}

enum err spotify_track_url(const char *base_url, const char *id, struct buf *out)
{
	return entity_url(base_url, "tracks", id, out);
}

enum err spotify_top_tracks_url(const char *base_url, const char *artist_id, const char *market,
				struct buf *out)
{
	enum err e;

	if (!market || !is_alpha(market[0]) || !is_alpha(market[1]) || market[2])
		return ERR_INVALID_ARGUMENT;
	e = entity_url(base_url, "artists", artist_id, out);
	if (e != ERR_OK)
		return e;
	buf_addf(out, "/top-tracks?market=%c%c", upper(market[0]), upper(market[1]));
	return prov_built(out);
}

enum err spotify_search_url(const char *base_url, enum spotify_type type, const char *q,
			    unsigned limit, struct buf *out)
{
	assert(out);
	if (!valid_base(base_url) || !spotify_type_name(type) ||
	    !prov_value_ok(q, SPOTIFY_MAX_QUERY_BYTES))
		return ERR_INVALID_ARGUMENT;
	if (limit < 1 || limit > SPOTIFY_MAX_LIMIT)
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/search?q=", base_url);
	buf_add_pct(out, q);
	buf_addf(out, "&type=%s&limit=%u", type_names[type], limit);
	return prov_built(out);
}

/* Search clauses ------------------------------------------------------------ */

/* A byte that becomes a space in a clause: controls, and '"' inside quotes. */
static bool blank(char c, bool quoted)
{
	return (unsigned char)c <= 0x20 || c == 0x7f || (quoted && c == '"');
}

/*
 * Check a clause value and find its non-blank span [*start, *end). False for
 * NULL, non-UTF-8, over-long or all-blank values.
 */
static bool clause_span(const char *v, bool quoted, size_t *start, size_t *end)
{
	size_t n;

	if (!v)
		return false;
	n = strnlen(v, SPOTIFY_MAX_QUERY_BYTES + 1);
	if (n > SPOTIFY_MAX_QUERY_BYTES || !json_utf8_valid(v, n))
		return false;
	*start = 0;
	while (*start < n && blank(v[*start], quoted))
		(*start)++;
	*end = n;
	while (*end > *start && blank(v[*end - 1], quoted))
		(*end)--;
	return *end > *start;
}

/* Append " prefix[\"]value[\"]" (no leading space on an empty q), blanks as spaces. */
static void add_clause(struct buf *q, const char *prefix, const char *v, bool quoted, size_t start,
		       size_t end)
{
	if (q->len)
		buf_addch(q, ' ');
	buf_adds(q, prefix);
	if (quoted)
		buf_addch(q, '"');
	for (size_t i = start; i < end; i++)
		buf_addch(q, blank(v[i], quoted) ? ' ' : v[i]);
	if (quoted)
		buf_addch(q, '"');
}

enum err spotify_query_text(const char *text, struct buf *q)
{
	size_t start, end;

	assert(q);
	if (!clause_span(text, false, &start, &end))
		return ERR_INVALID_ARGUMENT;
	add_clause(q, "", text, false, start, end);
	return prov_built(q);
}

static bool known_field(const char *field)
{
	for (size_t i = 0; field && i < ARRAY_SIZE(query_fields); i++)
		if (strcmp(field, query_fields[i]) == 0)
			return true;
	return false;
}

enum err spotify_query_field(const char *field, const char *value, struct buf *q)
{
	char prefix[16];
	size_t start, end;

	assert(q);
	if (!known_field(field) || !clause_span(value, true, &start, &end))
		return ERR_INVALID_ARGUMENT;
	snprintf(prefix, sizeof(prefix), "%s:", field);
	add_clause(q, prefix, value, true, start, end);
	return prov_built(q);
}

enum err spotify_query_isrc(const char *isrc, struct buf *q)
{
	char norm[PROV_ISRC_LEN + 1];

	assert(q);
	if (!prov_isrc(isrc, norm))
		return ERR_INVALID_ARGUMENT;
	add_clause(q, "isrc:", norm, false, 0, PROV_ISRC_LEN);
	return prov_built(q);
}

enum err spotify_query_upc(const char *upc, struct buf *q)
{
	assert(q);
	if (!prov_upc_ok(upc))
		return ERR_INVALID_ARGUMENT;
	add_clause(q, "upc:", upc, false, 0, strlen(upc));
	return prov_built(q);
}

enum err spotify_query_album(const char *artist, const char *album, struct buf *q)
{
	size_t a_start = 0, a_end = 0, start, end;

	assert(q);
	if (artist && !clause_span(artist, true, &a_start, &a_end))
		return ERR_INVALID_ARGUMENT;
	if (!clause_span(album, true, &start, &end))
		return ERR_INVALID_ARGUMENT;
	if (artist)
		add_clause(q, "artist:", artist, true, a_start, a_end);
	add_clause(q, "album:", album, true, start, end);
	return prov_built(q);
}
