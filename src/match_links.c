/*
 * match_links.c - provider ids from MusicBrainz url relations, by kind.
 *
 * MusicBrainz documents carry their url relations as "links", and
 * "external_ids" derived from them (musicbrainz_links.c). Those ids merge
 * kinds (a Discogs artist, master and release share one list), while the
 * matcher needs to know that a Discogs master names a release group. This
 * file reads the link URLs again through its own small table of provider,
 * host, path segment and kinds (match.h lists it), and compares page URLs.
 * It does not fetch anything and knows nothing of scores.
 */
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/url.h"
#include "match_int.h"

/* Longest link URL read (MusicBrainz keeps links up to this size). */
#define LINK_MAX_URL_BYTES 2048u

/* Path segments looked at; ids never sit deeper. */
#define LINK_MAX_SEGS 8

#define MK_ALBUMS (MK_RELEASE_GROUP | MK_RELEASE)
#define MK_ALL (MK_ARTIST | MK_ALBUMS | MK_RECORDING)

enum id_form {
	F_TOKEN,       /* [A-Za-z0-9_-]+ */
	F_DIGITS,      /* 27 */
	F_LEAD_DIGITS, /* 123-Name -> 123 */
	F_APPLE,       /* the last segment: 123 or id123 */
	F_QID,	       /* Q42 */
	F_LASTFM,      /* the rest of the path, decoded; the kind from its shape */
};

struct link_rule {
	enum provider_id p;
	const char *host; /* without "www." */
	const char *seg;  /* the id follows this path segment */
	unsigned kinds;
	enum id_form form;
};

static const struct link_rule link_rules[] = {
	{PROVIDER_SPOTIFY, "open.spotify.com", "artist", MK_ARTIST, F_TOKEN},
	{PROVIDER_SPOTIFY, "open.spotify.com", "album", MK_ALBUMS, F_TOKEN},
	{PROVIDER_SPOTIFY, "open.spotify.com", "track", MK_RECORDING, F_TOKEN},
	{PROVIDER_SPOTIFY, "play.spotify.com", "artist", MK_ARTIST, F_TOKEN},
	{PROVIDER_SPOTIFY, "play.spotify.com", "album", MK_ALBUMS, F_TOKEN},
	{PROVIDER_SPOTIFY, "play.spotify.com", "track", MK_RECORDING, F_TOKEN},
	{PROVIDER_DEEZER, "deezer.com", "artist", MK_ARTIST, F_DIGITS},
	{PROVIDER_DEEZER, "deezer.com", "album", MK_ALBUMS, F_DIGITS},
	{PROVIDER_DEEZER, "deezer.com", "track", MK_RECORDING, F_DIGITS},
	{PROVIDER_ITUNES, "music.apple.com", "artist", MK_ARTIST, F_APPLE},
	{PROVIDER_ITUNES, "music.apple.com", "album", MK_ALBUMS, F_APPLE},
	{PROVIDER_ITUNES, "music.apple.com", "song", MK_RECORDING, F_APPLE},
	{PROVIDER_ITUNES, "geo.music.apple.com", "artist", MK_ARTIST, F_APPLE},
	{PROVIDER_ITUNES, "geo.music.apple.com", "album", MK_ALBUMS, F_APPLE},
	{PROVIDER_ITUNES, "geo.music.apple.com", "song", MK_RECORDING, F_APPLE},
	{PROVIDER_ITUNES, "itunes.apple.com", "artist", MK_ARTIST, F_APPLE},
	{PROVIDER_ITUNES, "itunes.apple.com", "album", MK_ALBUMS, F_APPLE},
	{PROVIDER_ITUNES, "itunes.apple.com", "song", MK_RECORDING, F_APPLE},
	{PROVIDER_DISCOGS, "discogs.com", "artist", MK_ARTIST, F_LEAD_DIGITS},
	{PROVIDER_DISCOGS, "discogs.com", "master", MK_RELEASE_GROUP, F_LEAD_DIGITS},
	{PROVIDER_DISCOGS, "discogs.com", "release", MK_RELEASE, F_LEAD_DIGITS},
	{PROVIDER_WIKIDATA, "wikidata.org", "wiki", MK_ALL, F_QID},
	{PROVIDER_WIKIDATA, "wikidata.org", "entity", MK_ALL, F_QID},
	{PROVIDER_WIKIDATA, "m.wikidata.org", "wiki", MK_ALL, F_QID},
	{PROVIDER_WIKIDATA, "m.wikidata.org", "entity", MK_ALL, F_QID},
	{PROVIDER_LASTFM, "last.fm", "music", MK_ALL, F_LASTFM},
	{PROVIDER_THEAUDIODB, "theaudiodb.com", "artist", MK_ARTIST, F_LEAD_DIGITS},
	{PROVIDER_THEAUDIODB, "theaudiodb.com", "album", MK_ALBUMS, F_LEAD_DIGITS},
	{PROVIDER_THEAUDIODB, "theaudiodb.com", "track", MK_RECORDING, F_LEAD_DIGITS},
};

struct url_parts {
	const char *host; /* without "www." and port */
	size_t host_len;
	const char *seg[LINK_MAX_SEGS]; /* non-empty path segments, not NUL-terminated */
	size_t seg_len[LINK_MAX_SEGS];
	size_t nseg;
};

unsigned match_kind_bit(const char *kind)
{
	static const struct {
		const char *name;
		unsigned bit;
	} kinds[] = {{"artist", MK_ARTIST},
		     {"release-group", MK_RELEASE_GROUP},
		     {"release", MK_RELEASE},
		     {"recording", MK_RECORDING}};

	for (size_t i = 0; kind && i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i].name) == 0)
			return kinds[i].bit;
	return 0;
}

/* Split an http(s) URL of printable characters; false for anything else. */
static bool split_url(const char *url, struct url_parts *u)
{
	size_t n = url ? strnlen(url, LINK_MAX_URL_BYTES + 1) : 0, skip;
	const char *h, *p;

	memset(u, 0, sizeof(*u));
	if (n == 0 || n > LINK_MAX_URL_BYTES)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return false;
	if (strncasecmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		h = url + 7;
	else
		return false;
	skip = strcspn(h, "/?#");
	if (memchr(h, '@', skip))
		return false;
	u->host = h;
	u->host_len = strcspn(h, ":/?#");
	if (u->host_len > 4 && strncasecmp(h, "www.", 4) == 0) {
		u->host += 4;
		u->host_len -= 4;
	}
	for (p = h + skip; *p == '/' && u->nseg < LINK_MAX_SEGS;) {
		size_t k = strcspn(p + 1, "/?#");

		if (k) {
			u->seg[u->nseg] = p + 1;
			u->seg_len[u->nseg++] = k;
		}
		p += 1 + k;
	}
	return u->host_len > 0;
}

static bool all_of(const char *s, size_t n, bool (*ok)(char))
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ok(s[i]))
			return false;
	return true;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool token_char(char c)
{
	return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

static bool put_id(const char *s, size_t n, struct match_link *out)
{
	if (!n)
		return false;
	if (n >= sizeof(out->id))
		return false;
	memcpy(out->id, s, n);
	out->id[n] = '\0';
	return true;
}

/* Append segment s[0..n) percent-decoded ('+' as space) to out at *o. */
static bool decode_seg(const char *s, size_t n, char *out, size_t *o)
{
	for (size_t j = 0; j < n; j++) {
		int c = s[j] == '+' ? ' ' : (unsigned char)s[j];

		if (s[j] == '%' && j + 2 < n && url_hex_digit(s[j + 1]) >= 0 &&
		    url_hex_digit(s[j + 2]) >= 0) {
			c = url_hex_digit(s[j + 1]) * 16 + url_hex_digit(s[j + 2]);
			j += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return false;
		if (*o + 1 >= MATCH_LINK_ID_BYTES)
			return false;
		out[(*o)++] = (char)c;
	}
	return true;
}

/* Last.fm: /music/Artist, /music/Artist/Album, /music/Artist/_/Track. */
static bool lastfm_id(const struct url_parts *u, size_t first, struct match_link *out)
{
	size_t n = u->nseg - first, o = 0;

	if (n == 1)
		out->kinds = MK_ARTIST;
	else if (n == 2 && !(u->seg_len[first + 1] == 1 && u->seg[first + 1][0] == '_'))
		out->kinds = MK_ALBUMS;
	else if (n == 3 && u->seg_len[first + 1] == 1 && u->seg[first + 1][0] == '_')
		out->kinds = MK_RECORDING;
	else
		return false;
	for (size_t i = first; i < u->nseg; i++) {
		if (i > first)
			out->id[o++] = '/';
		if (!decode_seg(u->seg[i], u->seg_len[i], out->id, &o))
			return false;
	}
	out->id[o] = '\0';
	return o > 0;
}

static bool read_form(const struct link_rule *r, const struct url_parts *u, size_t i,
		      struct match_link *out)
{
	const char *s = u->seg[i];
	size_t n = u->seg_len[i], k = 0;

	switch (r->form) {
	case F_TOKEN:
		return all_of(s, n, token_char) && put_id(s, n, out);
	case F_DIGITS:
		return all_of(s, n, digit) && put_id(s, n, out);
	case F_LEAD_DIGITS:
		while (k < n && digit(s[k]))
			k++;
		return (k == n || s[k] == '-') && put_id(s, k, out);
	case F_APPLE:
		s = u->seg[u->nseg - 1];
		n = u->seg_len[u->nseg - 1];
		if (n > 2 && s[0] == 'i' && s[1] == 'd')
			s += 2, n -= 2;
		return all_of(s, n, digit) && put_id(s, n, out);
	case F_QID:
		return n > 1 && s[0] == 'Q' && all_of(s + 1, n - 1, digit) && put_id(s, n, out);
	case F_LASTFM:
		return lastfm_id(u, i, out);
	}
	return false;
}

static bool apply_rule(const struct link_rule *r, const struct url_parts *u, struct match_link *out)
{
	size_t hl = strlen(r->host), sl = strlen(r->seg), i = 0;

	if (u->host_len != hl || strncasecmp(u->host, r->host, hl) != 0)
		return false;
	while (i < u->nseg && !(u->seg_len[i] == sl && strncasecmp(u->seg[i], r->seg, sl) == 0))
		i++;
	if (++i >= u->nseg)
		return false;
	out->p = r->p;
	out->kinds = r->kinds;
	return read_form(r, u, i, out);
}

bool match_link_parse(const char *url, struct match_link *out)
{
	struct url_parts u;

	if (!split_url(url, &u))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(link_rules); i++)
		if (apply_rule(&link_rules[i], &u, out))
			return true;
	return false;
}

bool match_link_id_equal(enum provider_id p, const char *a, const char *b)
{
	if (!a || !b)
		return false;
	return p == PROVIDER_LASTFM ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

bool match_same_url(const char *a, const char *b)
{
	struct url_parts x, y;

	if (!split_url(a, &x) || !split_url(b, &y) || x.host_len != y.host_len ||
	    strncasecmp(x.host, y.host, x.host_len) != 0 || x.nseg != y.nseg || !x.nseg)
		return false;
	for (size_t i = 0; i < x.nseg; i++)
		if (x.seg_len[i] != y.seg_len[i] || memcmp(x.seg[i], y.seg[i], x.seg_len[i]) != 0)
			return false;
	return true;
}

enum err match_mb_link_id(const cJSON *mb_doc, enum provider_id p, const char *kind, char *out,
			  size_t size)
{
	unsigned bit = match_kind_bit(kind ? kind : json_get_string(mb_doc, "kind"));
	const cJSON *link;
	size_t count = 0;

	if (!out || !size)
		return ERR_INVALID_ARGUMENT;
	out[0] = '\0';
	if ((unsigned)p >= PROVIDER__COUNT || !bit || !cJSON_IsObject(mb_doc))
		return ERR_INVALID_ARGUMENT;
	cJSON_ArrayForEach(link, json_get_array(mb_doc, "links"))
	{
		struct match_link l;
		size_t n;

		if (count++ == MB_MAX_LINKS)
			break;
		if (!match_link_parse(json_get_string(link, "url"), &l) || l.p != p ||
		    !(l.kinds & bit))
			continue;
		n = strlen(l.id);
		if (n >= size)
			return ERR_TOO_LARGE;
		memcpy(out, l.id, n + 1);
		return ERR_OK;
	}
	return ERR_NOT_FOUND;
}
