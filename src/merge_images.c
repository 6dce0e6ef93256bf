/*
 * merge_images.c - the "images" and "cover_art" sections of a merged
 * document: every provider's images ranked by type and by a precedence of
 * providers per type, de-duplicated, with known placeholders dropped.
 *
 * Reads only checked fragments (merge_int.h). It does not choose a size to
 * fetch or resize anything: a provider's parser already picked the URLs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/xalloc.h"
#include "merge_int.h"

/* Precedence of providers per image type (docs/merge.md, "images"). */
static const enum provider_id thumb_order[] = {
	PROVIDER_FANARTTV, PROVIDER_SPOTIFY,  PROVIDER_DEEZER, PROVIDER_THEAUDIODB,
	PROVIDER_DISCOGS,  PROVIDER_WIKIDATA, PROVIDER_ITUNES, PROVIDER_LASTFM,
};
static const enum provider_id art_order[] = {PROVIDER_FANARTTV, PROVIDER_THEAUDIODB};
static const enum provider_id front_order[] = {
	PROVIDER_COVERARTARCHIVE, PROVIDER_FANARTTV, PROVIDER_SPOTIFY,
	PROVIDER_DEEZER,	  PROVIDER_ITUNES,   PROVIDER_DISCOGS,
	PROVIDER_THEAUDIODB,	  PROVIDER_LASTFM,   PROVIDER_WIKIDATA,
};
static const enum provider_id scan_order[] = {PROVIDER_COVERARTARCHIVE, PROVIDER_FANARTTV,
					      PROVIDER_THEAUDIODB, PROVIDER_DISCOGS};

struct order {
	const enum provider_id *p;
	size_t n;
};

#define ORDER(a)                 \
	{                        \
		a, ARRAY_SIZE(a) \
	}

static const struct order precedence[IMAGE_TYPE__COUNT] = {
	[IMAGE_THUMB] = ORDER(thumb_order),  [IMAGE_BACKGROUND] = ORDER(art_order),
	[IMAGE_LOGO] = ORDER(art_order),     [IMAGE_BANNER] = ORDER(art_order),
	[IMAGE_FRONT] = ORDER(front_order),  [IMAGE_BACK] = ORDER(scan_order),
	[IMAGE_BOOKLET] = ORDER(scan_order), [IMAGE_MEDIUM] = ORDER(scan_order),
	[IMAGE_CLEARART] = ORDER(art_order), [IMAGE_OTHER] = ORDER(scan_order),
};

/*
 * Known placeholders, matched anywhere in the URL. The parsers drop them
 * already (fragment.h); this is the second line.
 */
static const char *const placeholders[] = {
	"2a96cbd8b46e442fc41c2b86b821562f", /* Last.fm's grey star, served for every artist */
	"/images/artist//",		    /* Deezer's artist picture with no hash */
	"/images/cover//",		    /* Deezer's album cover with no hash */
	"spacer.gif",			    /* Discogs' blank image */
};

static bool placeholder(const char *url)
{
	for (size_t i = 0; i < ARRAY_SIZE(placeholders); i++)
		if (strstr(url, placeholders[i]))
			return true;
	return false;
}

/* One image read from a fragment, with its sort keys. */
struct cand {
	const cJSON *img;
	enum provider_id provider;
	enum image_type type;
	unsigned prov_rank;
	double likes; /* -1 when unknown */
	double area;  /* width * height, -1 when unknown */
	size_t seq;   /* position in reading order */
};

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->prov_rank != b->prov_rank)
		return a->prov_rank < b->prov_rank ? -1 : 1;
	if (a->likes != b->likes)
		return a->likes > b->likes ? -1 : 1;
	if (a->area != b->area)
		return a->area > b->area ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static double num_or(const cJSON *img, const char *key, double dflt)
{
	double v;

	return json_get_number(img, key, &v) ? v : dflt;
}

static size_t read_images(const cJSON *list, enum provider_id p, struct cand *out, size_t n,
			  size_t max)
{
	const cJSON *img;
	size_t taken = 0;

	cJSON_ArrayForEach(img, list)
	{
		const char *url = json_get_string(img, "url");
		struct cand c = {.img = img, .provider = p, .seq = n};
		double w = num_or(img, "width", -1), h = num_or(img, "height", -1);

		if (n >= max || taken++ >= MERGE_MAX_ITEMS_PER_LIST)
			break;
		if (!url || placeholder(url))
			continue;
		if (image_type_from_name(json_get_string(img, "type"), &c.type) != ERR_OK)
			c.type = IMAGE_OTHER;
		c.prov_rank = merge_rank(p, precedence[c.type].p, precedence[c.type].n);
		c.likes = num_or(img, "likes", -1);
		c.area = w > 0 && h > 0 ? w * h : -1;
		out[n++] = c;
	}
	return n;
}

/* The part of a URL that names the image whatever its size: a slice of the URL. */
struct key {
	enum provider_id provider;
	const char *from;
	size_t len;
};

/*
 * For providers that serve one image at several sizes under different URLs:
 * Deezer and iTunes put the size in the last path segment, Last.fm in the
 * one before, Spotify in the first 16 hex digits of a 40-digit id, fanart.tv
 * in a "preview" or "fanart" path, TheAudioDB in a "/preview" suffix,
 * Wikimedia in a "thumb/.../NNNpx-name" path. Other URLs are their own key.
 */
static struct key image_key(enum provider_id p, const char *url)
{
	const char *last = strrchr(url, '/');
	size_t len = strlen(url);
	struct key k = {p, url, len};

	last = last ? last + 1 : url;
	if (p == PROVIDER_DEEZER || p == PROVIDER_ITUNES) {
		k.len = (size_t)(last - url);
	} else if (p == PROVIDER_LASTFM) {
		k.from = last;
		k.len = strcspn(last, ".");
	} else if (p == PROVIDER_SPOTIFY && strlen(last) == 40 &&
		   strspn(last, "0123456789abcdef") == 40) {
		k.from = last + 16;
		k.len = 24;
	} else if (p == PROVIDER_FANARTTV && strstr(url, "/preview/")) {
		k.from = strstr(url, "/preview/") + 9;
		k.len = strlen(k.from);
	} else if (p == PROVIDER_FANARTTV && strstr(url, "/fanart/")) {
		k.from = strstr(url, "/fanart/") + 8;
		k.len = strlen(k.from);
	} else if (p == PROVIDER_THEAUDIODB && len > 8 && strcmp(url + len - 8, "/preview") == 0) {
		k.len = len - 8;
	} else if (p == PROVIDER_WIKIDATA && strstr(url, "/thumb/") && strstr(last, "px-")) {
		k.from = strstr(url, "/thumb/") + 7;
		k.len = (size_t)(last - k.from);
	}
	return k;
}

static bool key_eq(const struct key *a, const struct key *b)
{
	return a->provider == b->provider && a->len == b->len &&
	       memcmp(a->from, b->from, a->len) == 0;
}

static void num_or_null(const cJSON *img, const char *key, cJSON *o)
{
	double v;

	json_add_number_or_null(o, key, json_get_number(img, key, &v) ? &v : NULL);
}

/* An image's types and thumbnails read, at most (each is a handful). */
#define MAX_IMAGE_MEMBERS 16

/* The output item: the fragment's image with the provider's name. */
static cJSON *image_item(const cJSON *img, enum provider_id p)
{
	cJSON *o = json_new_object(), *types, *thumbs;
	const cJSON *m;
	size_t n = 0;

	json_add_string_or_null(o, "url", json_get_string(img, "url"));
	json_add_string_or_null(o, "type", json_get_string(img, "type"));
	types = json_add_array(o, "types");
	cJSON_ArrayForEach(m, json_get_array(img, "types"))
	{
		if (n++ >= MAX_IMAGE_MEMBERS)
			break;
		if (json_string_value(m) && m->valuestring[0])
			merge_add_unique(types, m->valuestring);
	}
	num_or_null(img, "width", o);
	num_or_null(img, "height", o);
	json_add_string_or_null(o, "language", json_get_string(img, "language"));
	num_or_null(img, "likes", o);
	thumbs = json_add_object(o, "thumbnails");
	n = 0;
	cJSON_ArrayForEach(m, json_get_object(img, "thumbnails"))
	{
		if (n++ >= MAX_IMAGE_MEMBERS)
			break;
		if (json_string_value(m) && !cJSON_GetObjectItemCaseSensitive(thumbs, m->string))
			json_add_string_or_null(thumbs, m->string, m->valuestring);
	}
	json_add_string_or_null(o, "provider", provider_name(p));
	return o;
}

/*
 * Append cands[0..n) to arr in their order, up to max items, each URL once
 * and each image once (the first size met: the largest, as the caller
 * sorted them).
 */
static void emit(cJSON *arr, const struct cand *cands, size_t n, size_t max)
{
	const char **urls = xcalloc(max ? max : 1, sizeof(*urls));
	struct key *keys = xcalloc(max ? max : 1, sizeof(*keys));
	size_t kept = 0;

	for (size_t i = 0; i < n && kept < max; i++) {
		const char *url = json_get_string(cands[i].img, "url");
		struct key k = image_key(cands[i].provider, url);
		bool dup = false;

		for (size_t j = 0; j < kept && !dup; j++)
			dup = strcmp(urls[j], url) == 0 || key_eq(&keys[j], &k);
		if (dup)
			continue;
		urls[kept] = url;
		keys[kept++] = k;
		json_append(arr, image_item(cands[i].img, cands[i].provider));
	}
	xfree(keys);
	xfree(urls);
}

/* Read the images of every usable fragment of kind k into c after the n already there. */
static size_t gather(const struct merge_in *in, enum merge_frag_kind k, struct cand *c, size_t n)
{
	for (size_t i = 0; i < in->n; i++) {
		const cJSON *f = merge_frag(&in->src[i], k);

		if (f)
			n = read_images(json_get_array(f, "images"), in->src[i].provider, c, n,
					MERGE_MAX_ITEMS);
	}
	return n;
}

void merge_images(const struct merge_in *in, cJSON *doc)
{
	struct cand *c = xcalloc(MERGE_MAX_ITEMS, sizeof(*c));
	cJSON *arr = json_new_array();
	size_t n;

	n = gather(in, MERGE_FRAG_ENTITY, c, 0);
	n = gather(in, MERGE_FRAG_COVER_ART, c, n);
	qsort(c, n, sizeof(*c), cand_cmp);
	emit(arr, c, n, MERGE_MAX_IMAGES);
	merge_set(doc, "images", arr);
	xfree(c);
}

void merge_cover_art(const struct merge_in *in, cJSON *doc)
{
	struct cand *c = xcalloc(MERGE_MAX_ITEMS, sizeof(*c));
	cJSON *arr = json_new_array();
	size_t n = gather(in, MERGE_FRAG_COVER_ART, c, 0);

	emit(arr, c, n, MERGE_MAX_COVER_ART);
	merge_set(doc, "cover_art", arr);
	xfree(c);
}
