/*
 * wikidata_wikipedia.c - a Wikipedia article's summary (REST API
 * page/summary) as an entity fragment whose one biography is the
 * article's lead.
 *
 * The summary gives the lead as plain text ("extract"; "extract_html" is
 * ignored), the short description, the page URLs, the lead image and the
 * Wikidata item. Disambiguation pages are refused: a list of namesakes is
 * never a biography. Error bodies come in two shapes: RESTBase's
 * {"type": "https://mediawiki.org/wiki/HyperSwitch/errors/...", "title",
 * "detail"} and the MediaWiki REST handler's {"httpCode", "httpReason"}.
 */
#include <stdio.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/provider_id.h"
#include "medley/xalloc.h"
#include "provider_int.h"
#include "wikidata_int.h"

#define HYPERSWITCH_ERRORS "https://mediawiki.org/wiki/HyperSwitch/errors/"

/* An error or disambiguation answer -> its error; ERR_OK for an article. */
static enum err refuse(const cJSON *root, const char **why)
{
	const char *type = json_get_string(root, "type");
	long long code = 0;

	if (type && strcmp(type, "disambiguation") == 0) {
		*why = "disambiguation page";
		return ERR_NOT_FOUND;
	}
	if (type && strncmp(type, HYPERSWITCH_ERRORS, strlen(HYPERSWITCH_ERRORS)) == 0) {
		bool missing = strcmp(type + strlen(HYPERSWITCH_ERRORS), "not_found") == 0;

		*why = missing ? "no such article" : "wikipedia answered an error";
		return missing ? ERR_NOT_FOUND : ERR_INVALID_ARGUMENT;
	}
	if (json_get(root, "httpCode")) {
		bool missing = json_get_int(root, "httpCode", 404, 404, &code);

		*why = missing ? "no such article" : "wikipedia answered an error";
		return missing ? ERR_NOT_FOUND : ERR_INVALID_ARGUMENT;
	}
	return ERR_OK;
}

/* The image src[key] {source, width, height} added to frag, or NULL. */
static cJSON *add_image(cJSON *frag, const cJSON *img, enum image_type type)
{
	const char *url = json_get_string(img, "source");
	long long w = 0, h = 0;

	if (!json_get_int(img, "width", 1, 1000000, &w))
		w = 0;
	if (!json_get_int(img, "height", 1, 1000000, &h))
		h = 0;
	return fragment_add_image(prov_member(frag, "images"), url, type, (int)w, (int)h);
}

/* The original image, with the thumbnail under its width; the thumbnail alone without one. */
static void put_image(cJSON *frag, const cJSON *root, const char *kind)
{
	enum image_type type = wd_picture_type(kind);
	const cJSON *thumb = json_get_object(root, "thumbnail");
	const char *turl = json_get_string(thumb, "source");
	cJSON *img = add_image(frag, json_get_object(root, "originalimage"), type);
	long long w;
	char key[24];

	if (!img) {
		add_image(frag, thumb, type);
		return;
	}
	if (!fragment_url_ok(turl) || strcmp(turl, json_get_string(img, "url")) == 0)
		return;
	if (json_get_int(thumb, "width", 1, 1000000, &w))
		snprintf(key, sizeof(key), "%lld", w);
	else
		snprintf(key, sizeof(key), "small");
	json_add_string_or_null(prov_member(img, "thumbnails"), key, turl);
}

static void put_biography(cJSON *frag, const cJSON *root, const char *lang, const char *page)
{
	const char *extract = json_get_string(root, "extract");
	const char *desc = prov_text(root, "description");
	char *text = extract ? prov_plain_text(extract) : NULL;

	if (!text)
		return;
	prov_add_biography(frag, text, desc, lang, page, WIKIPEDIA_ATTRIBUTION);
	xfree(text);
}

static cJSON *build(const cJSON *root, const char *lang, const char *kind)
{
	const char *qid = json_get_string(root, "wikibase_item");
	const char *title = prov_text(root, "title");
	const char *canonical = prov_text(json_get_object(root, "titles"), "canonical");
	const char *page = json_get_string(
		json_get_object(json_get_object(root, "content_urls"), "desktop"), "page");
	cJSON *frag, *extra;

	if (!canonical)
		canonical = title;
	if (wikidata_valid_qid(qid))
		frag = wd_item_fragment(kind, qid);
	else
		frag = fragment_new_entity(provider_name(PROVIDER_WIKIDATA), kind, canonical);
	if (!fragment_url_ok(page))
		page = NULL;
	prov_set(frag, "url", json_new_string(page));
	prov_set(frag, "name", json_new_string(title ? title : canonical));
	put_image(frag, root, kind);
	put_biography(frag, root, lang, page);
	extra = prov_member(frag, "extra");
	json_add_string_or_null(extra, "wikipedia_lang", lang);
	json_add_string_or_null(extra, "wikipedia_title", canonical);
	return frag;
}

enum err wikipedia_parse_summary(const char *body, size_t len, const char *lang, const char *kind,
				 cJSON **out, const char **why)
{
	cJSON *root = NULL;
	const char *title, *canonical;
	enum err err;

	*out = NULL;
	if (!kind)
		kind = "artist";
	if (!wd_is_entity_kind(kind) || !wd_valid_lang(lang)) {
		*why = wd_valid_lang(lang) ? "kind is not an entity kind" : "invalid language code";
		return ERR_INVALID_ARGUMENT;
	}
	err = json_parse(body, len, WIKIPEDIA_MAX_BODY_BYTES, &root, why);
	if (err != ERR_OK)
		return err;
	title = prov_text(root, "title");
	canonical = prov_text(json_get_object(root, "titles"), "canonical");
	if (!cJSON_IsObject(root)) {
		*why = "body is not an object";
		err = ERR_INVALID_ARGUMENT;
	} else if ((err = refuse(root, why)) != ERR_OK) {
		/* *why set */
	} else if (!title && !canonical) {
		*why = "summary has no title";
		err = ERR_INVALID_ARGUMENT;
	} else {
		*out = build(root, lang, kind);
	}
	cJSON_Delete(root);
	return err;
}
