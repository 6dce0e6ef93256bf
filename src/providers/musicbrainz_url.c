/*
 * musicbrainz_url.c - MusicBrainz entity names, MBID checks and request URLs.
 *
 * Builds the lookup, browse and search URLs of the MusicBrainz web service
 * (v2, JSON) into a caller's buf, percent-encoding every query value. It
 * sends nothing and knows no host: the base URL comes from the config and
 * the fetch engine does the I/O, pacing and User-Agent.
 */
#include <assert.h>
#include <string.h>

#include "medley/json.h"
#include "musicbrainz_int.h"

static const char *const entity_names[MB_ENTITY__COUNT] = {
	[MB_ARTIST] = "artist",
	[MB_RELEASE_GROUP] = "release-group",
	[MB_RELEASE] = "release",
	[MB_RECORDING] = "recording",
};

/* inc= of each lookup ('+' is MusicBrainz's separator, sent literally). */
static const char *const lookup_incs[MB_ENTITY__COUNT] = {
	[MB_ARTIST] = "aliases+genres+tags+ratings+url-rels",
	[MB_RELEASE_GROUP] = "artist-credits+aliases+genres+tags+ratings+url-rels+releases",
	[MB_RELEASE] = "artist-credits+labels+recordings+release-groups+media+isrcs+genres+tags"
		       "+url-rels",
	[MB_RECORDING] = "artist-credits+isrcs+releases+release-groups+genres+tags+ratings"
			 "+url-rels",
};

/* Browse accepts artist-credits and the misc incs only (no url-rels per item needed). */
#define BROWSE_RG_INC "artist-credits+genres+tags+ratings"

const char *mb_entity_name(enum mb_entity e)
{
	if ((unsigned)e >= MB_ENTITY__COUNT)
		return NULL;
	return entity_names[e];
}

enum err mb_entity_from_name(const char *name, enum mb_entity *out)
{
	if (!name)
		return ERR_INVALID_ARGUMENT;
	for (unsigned i = 0; i < MB_ENTITY__COUNT; i++) {
		if (strcmp(name, entity_names[i]) == 0) {
			*out = (enum mb_entity)i;
			return ERR_OK;
		}
	}
	return ERR_INVALID_ARGUMENT;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool mb_valid_mbid(const char *s)
{
	if (!s)
		return false;
	for (int i = 0; i < MB_MBID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return false; /* also stops at an early NUL */
	}
	return s[MB_MBID_LEN] == '\0';
}

enum err mb_normalize_mbid(const char *s, char out[MB_MBID_LEN + 1])
{
	if (!mb_valid_mbid(s))
		return ERR_INVALID_ARGUMENT;
	for (int i = 0; i < MB_MBID_LEN; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[MB_MBID_LEN] = '\0';
	return ERR_OK;
}

static enum err finish(struct buf *out)
{
	buf_adds(out, "fmt=json");
	return buf_failed(out) ? ERR_TOO_LARGE : ERR_OK;
}

static bool valid_base(const char *base_url)
{
	return base_url && base_url[0];
}

enum err mb_lookup_url(const char *base_url, enum mb_entity e, const char *mbid, struct buf *out)
{
	char id[MB_MBID_LEN + 1];

	assert(out);
	if ((unsigned)e >= MB_ENTITY__COUNT || !valid_base(base_url))
		return ERR_INVALID_ARGUMENT;
	if (mb_normalize_mbid(mbid, id) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s/%s?inc=%s&", base_url, entity_names[e], id, lookup_incs[e]);
	return finish(out);
}

enum err mb_browse_release_groups_url(const char *base_url, const char *artist_mbid,
				      const char *type, unsigned limit, unsigned offset,
				      struct buf *out)
{
	char id[MB_MBID_LEN + 1];

	assert(out);
	if (!valid_base(base_url) || limit < 1 || limit > MB_MAX_LIMIT)
		return ERR_INVALID_ARGUMENT;
	if (mb_normalize_mbid(artist_mbid, id) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/release-group?artist=%s&", base_url, id);
	if (type && type[0]) {
		buf_adds(out, "type=");
		buf_add_pct(out, type);
		buf_addch(out, '&');
	}
	buf_addf(out, "limit=%u&offset=%u&inc=%s&", limit, offset, BROWSE_RG_INC);
	return finish(out);
}

enum err mb_search_url(const char *base_url, enum mb_entity e, const char *q, unsigned limit,
		       unsigned offset, struct buf *out)
{
	size_t n;

	assert(out);
	if ((unsigned)e >= MB_ENTITY__COUNT || !valid_base(base_url) || !q)
		return ERR_INVALID_ARGUMENT;
	if (limit < 1 || limit > MB_MAX_LIMIT)
		return ERR_INVALID_ARGUMENT;
	n = strnlen(q, MB_MAX_QUERY_BYTES + 1);
	if (n == 0 || n > MB_MAX_QUERY_BYTES || !json_utf8_valid(q, n))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/%s?query=", base_url, entity_names[e]);
	buf_add_pct(out, q);
	buf_addf(out, "&limit=%u&offset=%u&", limit, offset);
	return finish(out);
}
