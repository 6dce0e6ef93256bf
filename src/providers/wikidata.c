/*
 * wikidata.c - Wikidata's and Wikipedia's request URLs, the search answer
 * and the helpers the other wikidata*.c files share.
 *
 * Builds the three URLs medley sends (an item by Q id, items by MBID, a
 * Wikipedia summary) into a caller's buf, percent-encoding every value,
 * and turns a list=search answer into candidates. It sends nothing: the
 * bases come from the config, the fetch engine does the I/O.
 * wikidata_entity.c reads items, wikidata_wikipedia.c summaries.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/musicbrainz.h"
#include "medley/provider_id.h"
#include "medley/xalloc.h"
#include "provider_int.h"
#include "wikidata_int.h"

/* Helpers ------------------------------------------------------------------------ */

static const char *const entity_kinds[] = {"artist", "release-group", "release", "recording"};
static const char *const mbid_properties[] = {WIKIDATA_P_MB_ARTIST, WIKIDATA_P_MB_RELEASE_GROUP,
					      WIKIDATA_P_MB_RELEASE, WIKIDATA_P_MB_RECORDING};

bool wd_is_entity_kind(const char *kind)
{
	return wikidata_mbid_property(kind) != NULL;
}

const char *wikidata_mbid_property(const char *kind)
{
	for (size_t i = 0; kind && i < ARRAY_SIZE(entity_kinds); i++)
		if (strcmp(kind, entity_kinds[i]) == 0)
			return mbid_properties[i];
	return NULL;
}

/* s is prefix and then 1 to max_digits digits, without a leading zero. */
static bool prefixed_number(const char *s, char prefix, size_t max_digits)
{
	size_t n;

	if (!s || s[0] != prefix || s[1] < '1' || s[1] > '9')
		return false;
	n = strspn(s + 1, "0123456789");
	return n <= max_digits && s[1 + n] == '\0';
}

bool wikidata_valid_qid(const char *s)
{
	return prefixed_number(s, 'Q', WD_QID_SIZE - 2);
}

bool wd_valid_lang(const char *lang)
{
	size_t n;

	if (!lang)
		return false;
	n = strspn(lang, "abcdefghijklmnopqrstuvwxyz-");
	return n >= 2 && n <= 12 && lang[n] == '\0';
}

enum image_type wd_picture_type(const char *kind)
{
	if (strcmp(kind, "artist") == 0)
		return IMAGE_THUMB;
	return strcmp(kind, "recording") == 0 ? IMAGE_OTHER : IMAGE_FRONT;
}

cJSON *wd_item_fragment(const char *kind, const char *qid)
{
	cJSON *frag = fragment_new_entity(provider_name(PROVIDER_WIKIDATA), kind, qid);
	char url[sizeof(WD_PAGE_ROOT) + WD_QID_SIZE];

	assert(wikidata_valid_qid(qid));
	snprintf(url, sizeof(url), "%s%s", WD_PAGE_ROOT, qid);
	prov_set(frag, "url", json_new_string(url));
	fragment_add_id(prov_member(frag, "ids"), "wikidata", qid);
	return frag;
}

bool wd_short_text_ok(const char *s, size_t max)
{
	if (!prov_value_ok(s, max))
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* Request URLs ------------------------------------------------------------------- */

enum err wikidata_entity_url(const char *base_url, const char *qid, struct buf *out)
{
	assert(out);
	if (!base_url || !base_url[0] || !wikidata_valid_qid(qid))
		return ERR_INVALID_ARGUMENT;
	buf_adds(out, base_url);
	buf_adds(out, "?action=wbgetentities&ids=");
	buf_adds(out, qid);
	buf_adds(out, "&props=claims%7Csitelinks%2Furls%7Clabels&format=json");
	return prov_built(out);
}

enum err wikidata_by_mbid_url(const char *base_url, const char *property, const char *mbid,
			      struct buf *out)
{
	char id[MB_MBID_LEN + 1];
	char query[sizeof("haswbstatement:P=") + 9 + MB_MBID_LEN];

	assert(out);
	if (!base_url || !base_url[0] || !prefixed_number(property, 'P', 9))
		return ERR_INVALID_ARGUMENT;
	if (mb_normalize_mbid(mbid, id) != ERR_OK)
		return ERR_INVALID_ARGUMENT;
	snprintf(query, sizeof(query), "haswbstatement:%s=%s", property, id);
	buf_adds(out, base_url);
	buf_adds(out, "?action=query&list=search&srsearch=");
	buf_add_pct(out, query);
	buf_adds(out, "&srnamespace=0&format=json");
	return prov_built(out);
}

enum err wikipedia_summary_url(const char *tmpl, const char *lang, const char *title,
			       struct buf *out)
{
	const char *at;
	char *t = NULL;
	size_t n;

	assert(out);
	if (!tmpl || !wd_valid_lang(lang) || !wd_short_text_ok(title, WIKIPEDIA_MAX_TITLE_BYTES))
		return ERR_INVALID_ARGUMENT;
	n = strnlen(tmpl, WIKIPEDIA_MAX_TEMPLATE_BYTES + 1);
	at = strstr(tmpl, "{lang}");
	if (n > WIKIPEDIA_MAX_TEMPLATE_BYTES || !at)
		return ERR_INVALID_ARGUMENT;
	buf_add(out, tmpl, (size_t)(at - tmpl));
	buf_adds(out, lang);
	buf_adds(out, at + strlen("{lang}"));
	buf_adds(out, "/api/rest_v1/page/summary/");
	t = xstrdup(title);
	for (char *p = t; *p; p++)
		if (*p == ' ')
			*p = '_';
	buf_add_pct(out, t);
	xfree(t);
	return prov_built(out);
}

/* Search ------------------------------------------------------------------------- */

enum err wikidata_parse_search(const char *body, size_t len, const char *entity, cJSON **out,
			       const char **why)
{
	cJSON *root = NULL, *frag, *items;
	const cJSON *list, *hit;
	enum err err;

	*out = NULL;
	if (!wd_is_entity_kind(entity)) {
		*why = "entity is not an entity kind";
		return ERR_INVALID_ARGUMENT;
	}
	err = json_parse(body, len, WIKIDATA_MAX_BODY_BYTES, &root, why);
	if (err != ERR_OK)
		return err;
	list = json_get_array(json_get_object(root, "query"), "search");
	if (!cJSON_IsObject(root) || json_get(root, "error") || !list) {
		*why = !cJSON_IsObject(root)	 ? "body is not an object"
		       : json_get(root, "error") ? "wikidata answered an error"
						 : "answer has no query.search list";
		cJSON_Delete(root);
		return ERR_INVALID_ARGUMENT;
	}
	frag = fragment_new_candidates(provider_name(PROVIDER_WIKIDATA), entity);
	items = prov_member(frag, "items");
	cJSON_ArrayForEach(hit, list)
	{
		const char *qid = json_get_string(hit, "title");
		long long ns = 0;

		if (json_get(hit, "ns") && !json_get_int(hit, "ns", 0, 0, &ns))
			continue; /* a page outside the item namespace */
		if (wikidata_valid_qid(qid))
			json_append(items, wd_item_fragment(entity, qid));
	}
	cJSON_Delete(root);
	*out = frag;
	return ERR_OK;
}

/* Sitelinks ---------------------------------------------------------------------- */

const char *wikidata_sitelink(const cJSON *frag, const char *lang)
{
	char key[sizeof("sitelink:") + 12 + sizeof("wiki")];

	if (!wd_valid_lang(lang))
		return NULL;
	snprintf(key, sizeof(key), "sitelink:%swiki", lang);
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return prov_text(json_get_object(frag, "extra"), key);
}
