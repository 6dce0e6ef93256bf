/*
 * lastfm_url.c - the request URLs of Last.fm's web services 2.0.
 *
 * Every Last.fm call is one GET on the API root with method=, the entity
 * (mbid= or names), options, autocorrect=1, api_key= and format=json; one
 * table-like struct describes a call and one function writes it into the
 * caller's buf, percent-encoding every value. It sends nothing and knows no
 * host: the base URL and the key come from the config, the I/O and the
 * pacing from the fetch engine.
 */
#include <assert.h>
#include <string.h>

#include "lastfm_int.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "provider_int.h"

/* One call: the method and its arguments (NULL / 0 when the method takes none). */
struct call {
	const char *method;
	const char *mbid;
	const char *artist;
	const char *title_key; /* "album" or "track", or NULL */
	const char *title;
	const char *lang;
	unsigned limit;
};

static bool given(const char *s)
{
	return s && s[0];
}

/* A name Last.fm can be sent: non-empty UTF-8 of at most LASTFM_MAX_NAME_BYTES. */
static bool name_ok(const char *s)
{
	return prov_value_ok(s, LASTFM_MAX_NAME_BYTES);
}

bool lastfm_lang_ok(const char *lang)
{
	return lang && lang[0] >= 'a' && lang[0] <= 'z' && lang[1] >= 'a' && lang[1] <= 'z' &&
	       !lang[2];
}

static void add_param(struct buf *out, const char *key, const char *value)
{
	buf_addf(out, "&%s=", key);
	buf_add_pct(out, value);
}

/* The entity: the mbid (lowercase) when given, else the names, each required. */
static enum err add_entity(struct buf *out, const struct call *c)
{
	char mbid[MB_MBID_LEN + 1];

	if (given(c->mbid)) {
		if (mb_normalize_mbid(c->mbid, mbid) != ERR_OK)
			return ERR_INVALID_ARGUMENT;
		add_param(out, "mbid", mbid);
		return ERR_OK;
	}
	if (!name_ok(c->artist) || (c->title_key && !name_ok(c->title)))
		return ERR_INVALID_ARGUMENT;
	add_param(out, "artist", c->artist);
	if (c->title_key)
		add_param(out, c->title_key, c->title);
	return ERR_OK;
}

static enum err build(const char *base_url, const char *api_key, const struct call *c,
		      struct buf *out)
{
	size_t key_len;
	enum err e;

	assert(out);
	if (!given(base_url) || !api_key)
		return ERR_INVALID_ARGUMENT;
	key_len = strnlen(api_key, LASTFM_MAX_KEY_BYTES + 1);
	if (key_len == 0 || key_len > LASTFM_MAX_KEY_BYTES)
		return ERR_INVALID_ARGUMENT;
	if (c->lang && !lastfm_lang_ok(c->lang))
		return ERR_INVALID_ARGUMENT;
	buf_addf(out, "%s/?method=%s", base_url, c->method);
	e = add_entity(out, c);
	if (e != ERR_OK)
		return e;
	if (c->lang)
		add_param(out, "lang", c->lang);
	if (c->limit)
		buf_addf(out, "&limit=%u", c->limit);
	buf_adds(out, "&autocorrect=1");
	add_param(out, "api_key", api_key);
	buf_adds(out, "&format=json");
	return prov_built(out);
}

static bool limit_ok(unsigned limit)
{
	return limit >= 1 && limit <= LASTFM_MAX_LIMIT;
}

enum err lastfm_artist_info_url(const char *base_url, const char *api_key, const char *mbid,
				const char *artist, const char *lang, struct buf *out)
{
	const struct call c = {
		.method = "artist.getinfo", .mbid = mbid, .artist = artist, .lang = lang};

	return build(base_url, api_key, &c, out);
}

enum err lastfm_artist_similar_url(const char *base_url, const char *api_key, const char *mbid,
				   const char *artist, unsigned limit, struct buf *out)
{
	const struct call c = {
		.method = "artist.getsimilar", .mbid = mbid, .artist = artist, .limit = limit};

	return limit_ok(limit) ? build(base_url, api_key, &c, out) : ERR_INVALID_ARGUMENT;
}

enum err lastfm_artist_top_tracks_url(const char *base_url, const char *api_key, const char *mbid,
				      const char *artist, unsigned limit, struct buf *out)
{
	const struct call c = {
		.method = "artist.gettoptracks", .mbid = mbid, .artist = artist, .limit = limit};

	return limit_ok(limit) ? build(base_url, api_key, &c, out) : ERR_INVALID_ARGUMENT;
}

enum err lastfm_album_info_url(const char *base_url, const char *api_key, const char *mbid,
			       const char *artist, const char *album, const char *lang,
			       struct buf *out)
{
	const struct call c = {.method = "album.getinfo",
			       .mbid = mbid,
			       .artist = artist,
			       .title_key = "album",
			       .title = album,
			       .lang = lang};

	return build(base_url, api_key, &c, out);
}

enum err lastfm_track_info_url(const char *base_url, const char *api_key, const char *mbid,
			       const char *artist, const char *track, struct buf *out)
{
	const struct call c = {.method = "track.getinfo",
			       .mbid = mbid,
			       .artist = artist,
			       .title_key = "track",
			       .title = track};

	return build(base_url, api_key, &c, out);
}

enum err lastfm_track_similar_url(const char *base_url, const char *api_key, const char *mbid,
				  const char *artist, const char *track, unsigned limit,
				  struct buf *out)
{
	const struct call c = {.method = "track.getsimilar",
			       .mbid = mbid,
			       .artist = artist,
			       .title_key = "track",
			       .title = track,
			       .limit = limit};

	return limit_ok(limit) ? build(base_url, api_key, &c, out) : ERR_INVALID_ARGUMENT;
}
