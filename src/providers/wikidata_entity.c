/*
 * wikidata_entity.c - one Wikidata item (a wbgetentities answer) as an
 * entity fragment.
 *
 * Reads the item's label, its statements (claims) and its Wikipedia
 * sitelinks. Which property feeds which identifier scheme is one table,
 * by entity kind; a statement counts when its main snak has a value and
 * its rank is not "deprecated", and single values (an image, a date) come
 * from the best rank (preferred, else normal). Everything in the answer is
 * trusted for nothing. URLs and searches live in wikidata.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "provider_int.h"
#include "wikidata_int.h"

/* Commons files by name; Special:FilePath redirects to the file (?width= to a thumbnail). */
#define COMMONS_FILE_PATH "https://commons.wikimedia.org/wiki/Special:FilePath/"

/* Longest identifier value kept, in bytes. */
#define MAX_VALUE_BYTES 256u

/* Largest duration kept. */
#define MAX_DURATION_MS 86400000.0

/* Units of a duration (P2047) quantity. */
#define UNIT_SECOND "http://www.wikidata.org/entity/Q11574"
#define UNIT_MINUTE "http://www.wikidata.org/entity/Q7727"

enum id_form {
	F_TEXT,	  /* any short printable string */
	F_DIGITS, /* decimal digits */
	F_MBID,	  /* an MBID, lowercased */
	F_ISRC,	  /* an ISRC, uppercased */
};

/* Identifier properties: which scheme, for which kind (NULL: every kind). */
static const struct id_row {
	const char *prop;
	const char *scheme;
	const char *kind;
	enum id_form form;
} id_rows[] = {
	{"P434", "mbid", "artist", F_MBID},
	{"P1902", "spotify", "artist", F_TEXT},
	{"P2722", "deezer", "artist", F_DIGITS},
	{"P2850", "itunes", "artist", F_DIGITS},
	{"P1953", "discogs", "artist", F_DIGITS},
	{"P1728", "allmusic", "artist", F_TEXT},
	{"P436", "mbid", "release-group", F_MBID},
	{"P2205", "spotify", "release-group", F_TEXT},
	{"P2723", "deezer", "release-group", F_DIGITS},
	{"P2281", "itunes", "release-group", F_DIGITS},
	{"P1954", "discogs", "release-group", F_DIGITS},
	{"P1729", "allmusic", "release-group", F_TEXT},
	{"P5813", "mbid", "release", F_MBID},
	{"P2206", "discogs", "release", F_DIGITS},
	{"P4404", "mbid", "recording", F_MBID},
	{"P2207", "spotify", "recording", F_TEXT},
	{"P2724", "deezer", "recording", F_DIGITS},
	{"P1243", "isrc", "recording", F_ISRC},
	{"P3192", "lastfm", NULL, F_TEXT},
};

/* Sites ending in "wiki" that are not a language's Wikipedia. */
static const char *const non_wikipedias[] = {
	"commonswiki",	     "specieswiki",  "metawiki",      "mediawikiwiki",	"wikidatawiki",
	"sourceswiki",	     "outreachwiki", "incubatorwiki", "foundationwiki", "wikimaniawiki",
	"wikifunctionswiki", "testwiki",     "test2wiki",
};

/* Statements --------------------------------------------------------------------- */

/* The value of statement st if it is a usable one (a value, rank not deprecated), else NULL. */
static const cJSON *statement_value(const cJSON *st, bool *preferred)
{
	const cJSON *snak = json_get_object(st, "mainsnak");
	const char *rank = json_get_string(st, "rank");
	const char *type = json_get_string(snak, "snaktype");

	if (!type || strcmp(type, "value") != 0 || (rank && strcmp(rank, "deprecated") == 0))
		return NULL;
	*preferred = rank && strcmp(rank, "preferred") == 0;
	return json_get(json_get_object(snak, "datavalue"), "value");
}

/* The value of the first preferred statement of claims[prop], else of the first normal one. */
static const cJSON *best_value(const cJSON *claims, const char *prop)
{
	const cJSON *st, *first = NULL;

	cJSON_ArrayForEach(st, json_get_array(claims, prop))
	{
		bool preferred = false;
		const cJSON *v = statement_value(st, &preferred);

		if (v && preferred)
			return v;
		if (v && !first)
			first = v;
	}
	return first;
}

/* v as a short string without control characters, else NULL. */
static const char *short_text(const cJSON *v)
{
	const char *s = json_string_value(v);

	return wd_short_text_ok(s, MAX_VALUE_BYTES) ? s : NULL;
}

/* The identifier in v, in the row's form, copied to out; false if v has not that form. */
static bool read_identifier(const cJSON *v, enum id_form form, char out[MAX_VALUE_BYTES + 1])
{
	const char *s = short_text(v);

	if (!s)
		return false;
	switch (form) {
	case F_MBID:
		return mb_normalize_mbid(s, out) == ERR_OK;
	case F_ISRC:
		return prov_isrc(s, out);
	case F_DIGITS:
		if (!prov_digits(s, 1, MAX_VALUE_BYTES))
			return false;
		break;
	case F_TEXT:
		break;
	}
	memcpy(out, s, strlen(s) + 1);
	return true;
}

static void put_ids(cJSON *frag, const cJSON *claims, const char *kind)
{
	cJSON *ids = prov_member(frag, "ids");

	for (size_t i = 0; i < ARRAY_SIZE(id_rows); i++) {
		const struct id_row *r = &id_rows[i];
		const cJSON *st;

		if (r->kind && strcmp(r->kind, kind) != 0)
			continue;
		cJSON_ArrayForEach(st, json_get_array(claims, r->prop))
		{
			char id[MAX_VALUE_BYTES + 1];
			bool preferred;

			if (read_identifier(statement_value(st, &preferred), r->form, id))
				fragment_add_id(ids, r->scheme, id);
		}
	}
}

/* extra[name] = the distinct item ids of claims[prop] (not added when there are none). */
static void put_qids(cJSON *frag, const cJSON *claims, const char *prop, const char *name)
{
	cJSON *list = json_new_array();
	const cJSON *st;

	cJSON_ArrayForEach(st, json_get_array(claims, prop))
	{
		bool preferred;
		const char *q = json_get_string(statement_value(st, &preferred), "id");

		if (wikidata_valid_qid(q))
			prov_append_unique(list, q);
	}
	if (cJSON_GetArraySize(list))
		json_add_item(prov_member(frag, "extra"), name, list);
	else
		cJSON_Delete(list);
}

/*
 * A Wikibase time value as "YYYY", "YYYY-MM" or "YYYY-MM-DD", as precise as
 * its precision (9, 10, 11) says, into out; false for anything else (BCE,
 * years past 9999, decades and coarser).
 */
static bool read_date(const cJSON *v, char out[PROV_DATE_SIZE])
{
	const char *t = json_get_string(v, "time");
	long long precision;
	size_t keep;

	if (!t || !json_get_int(v, "precision", 0, 14, &precision) || precision < 9)
		return false;
	if (strlen(t) < 11 || t[0] != '+' || !prov_date_prefix(t + 1, out))
		return false;
	keep = precision == 9 ? 4 : precision == 10 ? 7 : 10;
	if (strlen(out) < keep)
		return false; /* a part the precision claims is "00" */
	out[keep] = '\0';
	return true;
}

/* dst[key] = the best date among claims[props[0]], then claims[props[1]]... */
static void put_date(cJSON *dst, const char *key, const cJSON *claims, const char *const *props,
		     size_t n, bool replace)
{
	char date[PROV_DATE_SIZE];

	for (size_t i = 0; i < n; i++) {
		if (!read_date(best_value(claims, props[i]), date))
			continue;
		if (replace)
			prov_set(dst, key, json_new_string(date));
		else
			json_add_string_or_null(dst, key, date);
		return;
	}
}

/* P2047 (duration) in seconds or minutes, as milliseconds. */
static void put_duration(cJSON *frag, const cJSON *claims)
{
	const cJSON *v = best_value(claims, "P2047");
	const char *amount = json_get_string(v, "amount");
	const char *unit = json_get_string(v, "unit");
	double scale, ms;
	char *end;

	if (!amount || !unit)
		return;
	if (strcmp(unit, UNIT_SECOND) == 0)
		scale = 1000.0;
	else if (strcmp(unit, UNIT_MINUTE) == 0)
		scale = 60000.0;
	else
		return;
	ms = strtod(amount, &end) * scale;
	if (end != amount && !*end && isfinite(ms) && ms >= 1 && ms <= MAX_DURATION_MS)
		prov_set(frag, "duration_ms", cJSON_CreateNumber(round(ms)));
}

/* The Commons file named in v as a Special:FilePath URL (+ "?width=<w>" when w > 0). */
static bool commons_url(const cJSON *v, int w, struct buf *b)
{
	const char *name = short_text(v);

	buf_reset(b);
	if (!name)
		return false;
	buf_adds(b, COMMONS_FILE_PATH);
	for (const char *p = name; *p; p++) {
		char one[2] = {*p == ' ' ? '_' : *p, '\0'};

		buf_add_pct(b, one);
	}
	if (w > 0)
		buf_addf(b, "?width=%d", w);
	return !buf_failed(b);
}

static void put_image(cJSON *frag, const cJSON *claims, const char *prop, enum image_type type)
{
	static const int sizes[] = {250, 500};
	const cJSON *v = best_value(claims, prop);
	struct buf b;
	cJSON *img;

	buf_init(&b, 4096);
	img = commons_url(v, 0, &b)
		      ? fragment_add_image(prov_member(frag, "images"), b.data, type, 0, 0)
		      : NULL;
	for (size_t i = 0; img && i < ARRAY_SIZE(sizes); i++) {
		char key[8];

		snprintf(key, sizeof(key), "%d", sizes[i]);
		if (commons_url(v, sizes[i], &b))
			json_add_string_or_null(prov_member(img, "thumbnails"), key, b.data);
	}
	buf_release(&b);
}

/* Labels and sitelinks ------------------------------------------------------------ */

static const char *label(const cJSON *entity)
{
	const cJSON *labels = json_get_object(entity, "labels"), *l;
	const char *s = json_get_string(json_get_object(labels, "en"), "value");

	if (!s || !s[0])
		s = json_get_string(json_get_object(labels, "mul"), "value");
	cJSON_ArrayForEach(l, labels)
	{
		if (!s || !s[0])
			s = json_get_string(l, "value");
	}
	return s && s[0] ? s : NULL;
}

/* site is "<lang>wiki" with lang 2 to 12 of [a-z_], and a Wikipedia. */
static bool is_wikipedia(const char *site)
{
	size_t n = strlen(site);

	if (n < 6 || n > 16 || strcmp(site + n - 4, "wiki") != 0)
		return false;
	if (strspn(site, "abcdefghijklmnopqrstuvwxyz_") < n - 4)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(non_wikipedias); i++)
		if (strcmp(site, non_wikipedias[i]) == 0)
			return false;
	return true;
}

static void put_sitelinks(cJSON *frag, const cJSON *entity)
{
	cJSON *extra = prov_member(frag, "extra");
	const cJSON *link;
	unsigned kept = 0;

	cJSON_ArrayForEach(link, json_get_object(entity, "sitelinks"))
	{
		const char *title = json_get_string(link, "title");
		const char *url = json_get_string(link, "url");
		char key[32];

		if (kept >= WIKIDATA_MAX_SITELINKS)
			break;
		if (!link->string || !is_wikipedia(link->string) || !title || !title[0])
			continue;
		snprintf(key, sizeof(key), "sitelink:%s", link->string);
		json_add_string_or_null(extra, key, title);
		if (fragment_url_ok(url)) {
			snprintf(key, sizeof(key), "sitelink_url:%s", link->string);
			json_add_string_or_null(extra, key, url);
		}
		kept++;
	}
}

/* The entity --------------------------------------------------------------------- */

/* The kind of the MusicBrainz id the item holds, "artist" when none. */
static const char *infer_kind(const cJSON *claims)
{
	static const char *const kinds[] = {"artist", "release-group", "release", "recording"};

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (json_get_array(claims, wikidata_mbid_property(kinds[i])))
			return kinds[i];
	return "artist";
}

static void put_artist_dates(cJSON *frag, const cJSON *claims)
{
	static const char *const begin[] = {"P571", "P569"}, *const end[] = {"P576", "P570"};
	cJSON *extra = prov_member(frag, "extra");

	put_date(extra, "begin_date", claims, begin, ARRAY_SIZE(begin), false);
	put_date(extra, "end_date", claims, end, ARRAY_SIZE(end), false);
}

static cJSON *build(const cJSON *entity, const char *qid, const char *kind)
{
	static const char *const published[] = {"P577"};
	const cJSON *claims = json_get_object(entity, "claims");
	const char *site = json_string_value(best_value(claims, "P856"));
	cJSON *frag = wd_item_fragment(kind, qid);

	prov_set(frag, "name", json_new_string(label(entity)));
	if (strcmp(kind, "artist") == 0)
		put_artist_dates(frag, claims);
	else
		put_date(frag, "date", claims, published, ARRAY_SIZE(published), true);
	if (strcmp(kind, "recording") == 0)
		put_duration(frag, claims);
	put_image(frag, claims, "P18", wd_picture_type(kind));
	put_image(frag, claims, "P154", IMAGE_LOGO);
	put_ids(frag, claims, kind);
	put_sitelinks(frag, entity);
	if (fragment_url_ok(site))
		json_add_string_or_null(prov_member(frag, "extra"), "website", site);
	put_qids(frag, claims, "P136", "genre_qids");
	put_qids(frag, claims, "P175", "performer_qids");
	return frag;
}

/* The first entity of root["entities"], or an error for the answers that have none. */
static enum err find_entity(const cJSON *root, const cJSON **entity, const char **why)
{
	const cJSON *error = json_get_object(root, "error");
	const char *code = json_get_string(error, "code");

	*entity = cJSON_GetArrayItem(json_get_object(root, "entities"), 0);
	if (!cJSON_IsObject(root))
		*why = "body is not an object";
	else if (error && code && strcmp(code, "no-such-entity") == 0) {
		*why = "no such entity";
		return ERR_NOT_FOUND;
	} else if (error || json_get(root, "error"))
		*why = "wikidata answered an error";
	else if (!cJSON_IsObject(*entity))
		*why = "answer has no entity";
	else if (json_get(*entity, "missing")) {
		*why = "no such entity";
		return ERR_NOT_FOUND;
	} else if (!wikidata_valid_qid(json_get_string(*entity, "id")))
		*why = "entity has no item id";
	else
		return ERR_OK;
	return ERR_INVALID_ARGUMENT;
}

enum err wikidata_parse_entity(const char *body, size_t len, const char *kind, cJSON **out,
			       const char **why)
{
	cJSON *root = NULL;
	const cJSON *entity;
	enum err err;

	*out = NULL;
	if (kind && !wd_is_entity_kind(kind)) {
		*why = "kind is not an entity kind";
		return ERR_INVALID_ARGUMENT;
	}
	err = json_parse(body, len, WIKIDATA_MAX_BODY_BYTES, &root, why);
	if (err != ERR_OK)
		return err;
	err = find_entity(root, &entity, why);
	if (err == ERR_OK) {
		if (!kind)
			kind = infer_kind(json_get_object(entity, "claims"));
		*out = build(entity, json_get_string(entity, "id"), kind);
	}
	cJSON_Delete(root);
	return err;
}
