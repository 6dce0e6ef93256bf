/*
 * musicbrainz_links.c - url relations to links, and links to external ids.
 *
 * MusicBrainz lists an entity's pages elsewhere as url relations. This file
 * keeps the http(s) ones as "links" (de-duplicated by URL, first one wins,
 * order kept) and recognises, through one table of host and path patterns,
 * the links that name an entity in another catalogue (Spotify, Wikidata,
 * Discogs, ...), whose ids become "external_ids". It does not fetch or
 * check anything: a URL that matches no row is still a link, only without
 * an id.
 */
#include <string.h>
#include <strings.h>

#include "medley/json.h"
#include "medley/url.h"
#include "musicbrainz_int.h"

/* Path segments looked at; ids never sit deeper. */
#define URL_MAX_SEGS 8

struct url_parts {
	const char *host; /* without "www." and port */
	size_t host_len;
	const char *seg[URL_MAX_SEGS]; /* non-empty path segments, not NUL-terminated */
	size_t seg_len[URL_MAX_SEGS];
	size_t nseg;
};

/* How the id is read from the segment(s) a rule points at. */
enum id_form {
	ID_DIGITS,	/* 27 */
	ID_LEAD_DIGITS, /* 123-Name -> 123 */
	ID_TOKEN,	/* [A-Za-z0-9_-]+ */
	ID_WIKIDATA,	/* Q42 */
	ID_ALLMUSIC,	/* mn0000357406, also after a "name-" slug */
	ID_IMDB,	/* nm0001168 */
	ID_APPLE,	/* last segment: 123 or id123 */
	ID_REST,	/* every later segment, percent-decoded, '+' as space */
	ID_SUBDOMAIN,	/* the host label before the rule's domain */
};

struct id_rule {
	const char *ns;	   /* external_ids member */
	const char *host;  /* host without "www."; "*.x.com" matches one label before x.com */
	const char *after; /* '|'-separated segment names the id follows; NULL: first segment */
	enum id_form form;
};

static const struct id_rule id_rules[] = {
	{"spotify", "open.spotify.com", "artist|album|track", ID_TOKEN},
	{"spotify", "play.spotify.com", "artist|album|track", ID_TOKEN},
	{"apple_music", "music.apple.com", "artist|album|song|music-video", ID_APPLE},
	{"apple_music", "geo.music.apple.com", "artist|album|song|music-video", ID_APPLE},
	{"apple_music", "itunes.apple.com", "artist|album|song|music-video", ID_APPLE},
	{"deezer", "deezer.com", "artist|album|track", ID_DIGITS},
	{"tidal", "tidal.com", "artist|album|track", ID_DIGITS},
	{"tidal", "listen.tidal.com", "artist|album|track", ID_DIGITS},
	{"discogs", "discogs.com", "artist|master|release|label", ID_LEAD_DIGITS},
	{"wikidata", "wikidata.org", "wiki|entity", ID_WIKIDATA},
	{"wikidata", "m.wikidata.org", "wiki|entity", ID_WIKIDATA},
	{"allmusic", "allmusic.com", "artist|album|song|composition|performance", ID_ALLMUSIC},
	{"lastfm", "last.fm", "music", ID_REST},
	{"imdb", "imdb.com", "name|title|company", ID_IMDB},
	{"imdb", "m.imdb.com", "name|title|company", ID_IMDB},
	{"viaf", "viaf.org", "viaf", ID_DIGITS},
	{"songkick", "songkick.com", "artists", ID_LEAD_DIGITS},
	{"secondhandsongs", "secondhandsongs.com", "artist|release|work|performance", ID_DIGITS},
	{"soundcloud", "soundcloud.com", NULL, ID_TOKEN},
	{"bandcamp", "*.bandcamp.com", NULL, ID_SUBDOMAIN},
	{"youtube", "youtube.com", "channel", ID_TOKEN},
};

/* http:// or https:// followed by printable, space-free ASCII or UTF-8, capped. */
static bool link_url_ok(const char *url)
{
	size_t n = strnlen(url, MB_MAX_URL_BYTES + 1);

	if (n > MB_MAX_URL_BYTES)
		return false;
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return false;
	return true;
}

static void split_path(const char *p, struct url_parts *u)
{
	while (*p == '/' && u->nseg < URL_MAX_SEGS) {
		size_t n = strcspn(p + 1, "/?#");

		if (n) {
			u->seg[u->nseg] = p + 1;
			u->seg_len[u->nseg++] = n;
		}
		p += 1 + n;
	}
}

/* Split an http(s) URL; false when it has user info or no host. */
static bool split_url(const char *url, struct url_parts *u)
{
	const char *h = strstr(url, "://");
	size_t n;

	memset(u, 0, sizeof(*u));
	if (!h)
		return false;
	h += 3;
	n = strcspn(h, "/?#");
	if (memchr(h, '@', n))
		return false;
	u->host = h;
	u->host_len = strcspn(h, ":/?#");
	if (u->host_len > 4 && strncasecmp(h, "www.", 4) == 0) {
		u->host += 4;
		u->host_len -= 4;
	}
	if (!u->host_len)
		return false;
	split_path(h + n, u);
	return true;
}

/* The host matches the rule; for "*." rules *label gets the leading label. */
static bool host_matches(const struct url_parts *u, const char *pattern, const char **label,
			 size_t *label_len)
{
	size_t plen;

	if (strncmp(pattern, "*.", 2) != 0) {
		plen = strlen(pattern);
		return u->host_len == plen && strncasecmp(u->host, pattern, plen) == 0;
	}
	pattern += 1; /* ".bandcamp.com" */
	plen = strlen(pattern);
	if (u->host_len <= plen)
		return false;
	if (strncasecmp(u->host + u->host_len - plen, pattern, plen) != 0)
		return false;
	*label = u->host;
	*label_len = u->host_len - plen;
	return memchr(*label, '.', *label_len) == NULL;
}

/* True if s[0..n) is one of the '|'-separated names in set. */
static bool in_set(const char *s, size_t n, const char *set)
{
	while (*set) {
		size_t k = strcspn(set, "|");

		if (k == n && strncasecmp(s, set, n) == 0)
			return true;
		set += k + (set[k] == '|');
	}
	return false;
}

static bool all_of(const char *s, size_t n, const char *chars)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(chars, s[i]))
			return false;
	return true;
}

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static size_t lead_digits(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	return k;
}

static bool put_id(const char *s, size_t n, char *id, size_t size)
{
	if (!n || n >= size)
		return false;
	memcpy(id, s, n);
	id[n] = '\0';
	return true;
}

/* Segments first.. joined by '/', percent-decoded; false on %00 or overflow. */
static bool decode_rest(const struct url_parts *u, size_t first, char *id, size_t size)
{
	size_t o = 0;

	for (size_t i = first; i < u->nseg; i++) {
		const char *s = u->seg[i];

		for (size_t j = 0; j < u->seg_len[i]; j++) {
			int c = s[j] == '+' ? ' ' : (unsigned char)s[j];

			if (s[j] == '%' && j + 2 < u->seg_len[i] && url_hex_digit(s[j + 1]) >= 0 &&
			    url_hex_digit(s[j + 2]) >= 0) {
				c = url_hex_digit(s[j + 1]) * 16 + url_hex_digit(s[j + 2]);
				j += 2;
			}
			if (c == 0 || o + 2 > size)
				return false;
			id[o++] = (char)c;
		}
		if (i + 1 < u->nseg) {
			if (o + 2 > size)
				return false;
			id[o++] = '/';
		}
	}
	id[o] = '\0';
	return o > 0;
}

/* Read an id of the given form from segment s[0..n). */
static bool read_form(enum id_form form, const char *s, size_t n, char *id, size_t size)
{
	const char *dash;

	switch (form) {
	case ID_DIGITS:
		return all_of(s, n, DIGITS) && put_id(s, n, id, size);
	case ID_LEAD_DIGITS:
		return put_id(s, lead_digits(s, n), id, size);
	case ID_TOKEN:
		return all_of(s, n, DIGITS LOWER UPPER "_-") && put_id(s, n, id, size);
	case ID_WIKIDATA:
		return n > 1 && s[0] == 'Q' && all_of(s + 1, n - 1, DIGITS) &&
		       put_id(s, n, id, size);
	case ID_ALLMUSIC:
		dash = memrchr(s, '-', n);
		if (dash) {
			n -= (size_t)(dash + 1 - s);
			s = dash + 1;
		}
		return n == 12 && all_of(s, 2, LOWER) && all_of(s + 2, 10, DIGITS) &&
		       put_id(s, n, id, size);
	case ID_IMDB:
		return n > 2 && all_of(s, 2, LOWER) && all_of(s + 2, n - 2, DIGITS) &&
		       put_id(s, n, id, size);
	case ID_APPLE:
		if (n > 2 && s[0] == 'i' && s[1] == 'd') {
			s += 2;
			n -= 2;
		}
		return all_of(s, n, DIGITS) && put_id(s, n, id, size);
	case ID_REST:
	case ID_SUBDOMAIN:
		break;
	}
	return false;
}

static bool apply_rule(const struct id_rule *r, const struct url_parts *u, char *id, size_t size)
{
	const char *label = NULL;
	size_t label_len = 0, i = 0;

	if (!host_matches(u, r->host, &label, &label_len))
		return false;
	if (r->form == ID_SUBDOMAIN)
		return all_of(label, label_len, DIGITS LOWER UPPER "-") &&
		       put_id(label, label_len, id, size);
	if (r->after) {
		while (i < u->nseg && !in_set(u->seg[i], u->seg_len[i], r->after))
			i++;
		i++; /* the id follows the named segment */
	}
	if (i >= u->nseg)
		return false;
	if (r->form == ID_REST)
		return decode_rest(u, i, id, size);
	if (r->form == ID_APPLE)
		i = u->nseg - 1;
	return read_form(r->form, u->seg[i], u->seg_len[i], id, size);
}

/* The namespace and id a known URL names (e.g. "wikidata", "Q42"); false for any other. */
static bool external_id(const char *url, const char **ns, char *id, size_t size)
{
	struct url_parts u;

	if (!url || !link_url_ok(url) || !split_url(url, &u))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(id_rules); i++) {
		if (apply_rule(&id_rules[i], &u, id, size)) {
			*ns = id_rules[i].ns;
			return true;
		}
	}
	return false;
}

/* True if arr holds a string equal to s. */
static bool has_string(const cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
	{
		const char *v = json_string_value(item);

		if (v && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

/* True if arr holds an object whose member key is the string s. */
static bool has_string_member(const cJSON *arr, const char *key, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
	{
		const char *v = json_get_string(item, key);

		if (v && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

static void add_external_id(cJSON *ext, const char *url)
{
	char id[MB_MAX_URL_BYTES + 1];
	const char *ns = NULL;
	cJSON *arr, *value;

	if (!external_id(url, &ns, id, sizeof(id)))
		return;
	arr = cJSON_GetObjectItemCaseSensitive(ext, ns);
	if (!arr)
		arr = json_add_array(ext, ns);
	value = json_new_string(id); /* sanitized: compare what is stored */
	if (has_string(arr, value->valuestring))
		cJSON_Delete(value);
	else
		json_append(arr, value);
}

/* The url of a url relation worth keeping as a link, or NULL. */
static const char *relation_url(const cJSON *rel)
{
	const char *target = json_get_string(rel, "target-type");
	const char *url = json_get_string(json_get_object(rel, "url"), "resource");

	if (target && strcmp(target, "url") != 0)
		return NULL;
	return url && link_url_ok(url) ? url : NULL;
}

void mb_put_links(cJSON *dst, const cJSON *src)
{
	cJSON *links = json_add_array(dst, "links");
	cJSON *ext = json_add_object(dst, "external_ids");
	const cJSON *rel;
	size_t n = 0;

	cJSON_ArrayForEach(rel, json_get_array(src, "relations"))
	{
		const char *url = relation_url(rel);
		cJSON *link, *value;

		if (!url || n == MB_MAX_LINKS)
			continue;
		value = json_new_string(url); /* sanitized: compare what is stored */
		if (has_string_member(links, "url", value->valuestring)) {
			cJSON_Delete(value);
			continue;
		}
		link = json_new_object();
		mb_put_text(link, "type", rel, "type");
		json_add_item(link, "url", value);
		mb_put_bool(link, "ended", rel, "ended");
		json_append(links, link);
		add_external_id(ext, url);
		n++;
	}
}
