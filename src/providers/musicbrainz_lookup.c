/*
 * musicbrainz_lookup.c - MusicBrainz entities to medley's artist,
 * release-group, release and recording documents.
 *
 * One builder per entity decides which members its document has and reads
 * each from the MusicBrainz object through the mb_put_*() helpers, so a
 * lookup body, a search result and a browse item of the same entity give
 * the same shape. mb_parse_lookup() wraps the builders for lookup bodies.
 * This file does not parse list bodies (musicbrainz_search.c) and does not
 * know URLs.
 */
#include <string.h>

#include "medley/json.h"
#include "musicbrainz_int.h"

/* Bounds that only hostile input reaches; past them a value reads as absent. */
#define MB_MAX_LENGTH_MS 1000000000000LL /* ~31 years */
#define MB_MAX_POSITION 1000000LL

typedef void mb_builder_fn(cJSON *doc, const cJSON *src, enum mb_shape shape);

static void put_life_span(cJSON *dst, const cJSON *src)
{
	const cJSON *ls = json_get_object(src, "life-span");
	cJSON *out = json_add_object(dst, "life_span");

	mb_put_date(out, "begin", ls, "begin");
	mb_put_date(out, "end", ls, "end");
	mb_put_bool(out, "ended", ls, "ended");
}

static void build_artist(cJSON *doc, const cJSON *src, enum mb_shape shape)
{
	mb_put_str(doc, "name", src, "name");
	mb_put_str(doc, "sort_name", src, "sort-name");
	mb_put_text(doc, "disambiguation", src, "disambiguation");
	mb_put_text(doc, "type", src, "type");
	mb_put_text(doc, "gender", src, "gender");
	mb_put_text(doc, "country", src, "country");
	mb_put_area(doc, "area", src, "area", NULL);
	/* Old bodies spell these with an underscore. */
	mb_put_area(doc, "begin_area", src, "begin-area", "begin_area");
	mb_put_area(doc, "end_area", src, "end-area", "end_area");
	put_life_span(doc, src);
	mb_put_strings(doc, "ipis", src, "ipis");
	mb_put_strings(doc, "isnis", src, "isnis");
	if (shape == MB_SHAPE_FULL)
		mb_put_aliases(doc, src);
	mb_put_counted(doc, "genres", src);
	mb_put_counted(doc, "tags", src);
	mb_put_rating(doc, src);
	if (shape == MB_SHAPE_FULL)
		mb_put_links(doc, src);
}

/* Items of src[key] that are objects with a valid MBID, each built by put_item. */
static void put_list(cJSON *dst, const char *key, const cJSON *src, const char *src_key,
		     void (*put_item)(cJSON *item, const cJSON *src))
{
	cJSON *arr = json_add_array(dst, key);
	const cJSON *item;

	cJSON_ArrayForEach(item, json_get_array(src, src_key))
	{
		char id[MB_MBID_LEN + 1];
		cJSON *out;

		if (!mb_read_id(item, id))
			continue;
		out = json_new_object();
		json_add_string_or_null(out, "id", id);
		put_item(out, item);
		json_append(arr, out);
	}
}

static void put_rg_release(cJSON *out, const cJSON *src)
{
	mb_put_str(out, "title", src, "title");
	mb_put_text(out, "disambiguation", src, "disambiguation");
	mb_put_text(out, "status", src, "status");
	mb_put_date(out, "date", src, "date");
	mb_put_text(out, "country", src, "country");
	mb_put_str(out, "barcode", src, "barcode");
}

static void build_release_group(cJSON *doc, const cJSON *src, enum mb_shape shape)
{
	mb_put_str(doc, "title", src, "title");
	mb_put_text(doc, "disambiguation", src, "disambiguation");
	mb_put_text(doc, "primary_type", src, "primary-type");
	mb_put_strings(doc, "secondary_types", src, "secondary-types");
	mb_put_date(doc, "first_release_date", src, "first-release-date");
	mb_put_artist_credit(doc, src);
	mb_put_counted(doc, "genres", src);
	mb_put_counted(doc, "tags", src);
	mb_put_rating(doc, src);
	if (shape == MB_SHAPE_SUMMARY)
		return;
	mb_put_aliases(doc, src);
	mb_put_links(doc, src);
	put_list(doc, "releases", src, "releases", put_rg_release);
}

static void put_text_representation(cJSON *dst, const cJSON *src)
{
	const cJSON *tr = json_get_object(src, "text-representation");
	cJSON *out;

	if (!tr) {
		json_add_null(dst, "text_representation");
		return;
	}
	out = json_add_object(dst, "text_representation");
	mb_put_text(out, "language", tr, "language");
	mb_put_text(out, "script", tr, "script");
}

static void put_release_events(cJSON *dst, const cJSON *src)
{
	cJSON *arr = json_add_array(dst, "release_events");
	const cJSON *ev;

	cJSON_ArrayForEach(ev, json_get_array(src, "release-events"))
	{
		const cJSON *codes =
			json_get_array(json_get_object(ev, "area"), "iso-3166-1-codes");
		const char *country = json_string_value(cJSON_GetArrayItem(codes, 0));
		cJSON *out;

		if (!cJSON_IsObject(ev))
			continue;
		out = json_new_object();
		mb_put_date(out, "date", ev, "date");
		json_add_string_or_null(out, "country", country && country[0] ? country : NULL);
		mb_put_area(out, "area", ev, "area", NULL);
		json_append(arr, out);
	}
}

static void put_label_info(cJSON *dst, const cJSON *src)
{
	cJSON *arr = json_add_array(dst, "label_info");
	const cJSON *li;

	cJSON_ArrayForEach(li, json_get_array(src, "label-info"))
	{
		cJSON *out;

		if (!cJSON_IsObject(li))
			continue;
		out = json_new_object();
		mb_put_text(out, "catalog_number", li, "catalog-number");
		mb_put_area(out, "label", li, "label", NULL); /* same {id, name} shape */
		json_append(arr, out);
	}
}

static void put_track_recording(cJSON *dst, const cJSON *src)
{
	char id[MB_MBID_LEN + 1];
	cJSON *out;

	if (!mb_read_id(src, id)) {
		json_add_null(dst, "recording");
		return;
	}
	out = json_add_object(dst, "recording");
	json_add_string_or_null(out, "id", id);
	mb_put_str(out, "title", src, "title");
	mb_put_text(out, "disambiguation", src, "disambiguation");
	mb_put_int(out, "length_ms", src, "length", 0, MB_MAX_LENGTH_MS);
	mb_put_bool(out, "video", src, "video");
	mb_put_strings(out, "isrcs", src, "isrcs");
}

static cJSON *build_track(const cJSON *src)
{
	cJSON *out = json_new_object();

	mb_put_mbid(out, "id", src, "id");
	mb_put_int(out, "position", src, "position", 0, MB_MAX_POSITION);
	mb_put_str(out, "number", src, "number");
	mb_put_str(out, "title", src, "title");
	mb_put_int(out, "length_ms", src, "length", 0, MB_MAX_LENGTH_MS);
	mb_put_artist_credit(out, src);
	put_track_recording(out, json_get_object(src, "recording"));
	return out;
}

static void put_disc_ids(cJSON *dst, const cJSON *medium)
{
	cJSON *arr = json_add_array(dst, "disc_ids");
	const cJSON *disc;

	cJSON_ArrayForEach(disc, json_get_array(medium, "discs"))
	{
		const char *id = json_get_string(disc, "id");

		if (id && id[0])
			json_append(arr, json_new_string(id));
	}
}

/* Adds the media and returns the total track count, or -1 when a medium lacks one. */
static long long put_media(cJSON *dst, const cJSON *src)
{
	cJSON *arr = json_add_array(dst, "media");
	const cJSON *m, *t;
	long long total = 0;

	cJSON_ArrayForEach(m, json_get_array(src, "media"))
	{
		cJSON *out, *tracks;
		long long n = -1;

		if (!cJSON_IsObject(m))
			continue;
		out = json_new_object();
		mb_put_mbid(out, "id", m, "id");
		mb_put_int(out, "position", m, "position", 0, MB_MAX_POSITION);
		mb_put_text(out, "format", m, "format");
		mb_put_text(out, "title", m, "title");
		mb_put_int(out, "track_count", m, "track-count", 0, MB_MAX_POSITION);
		if (total >= 0 && json_get_int(m, "track-count", 0, MB_MAX_POSITION, &n))
			total += n;
		else
			total = -1;
		put_disc_ids(out, m);
		tracks = json_add_array(out, "tracks");
		cJSON_ArrayForEach(t, json_get_array(m, "tracks"))
		{
			if (cJSON_IsObject(t))
				json_append(tracks, build_track(t));
		}
		json_append(arr, out);
	}
	return cJSON_GetArraySize(arr) ? total : -1;
}

static void put_cover_art(cJSON *dst, const cJSON *src)
{
	const cJSON *caa = json_get_object(src, "cover-art-archive");
	cJSON *out;

	if (!caa) {
		json_add_null(dst, "cover_art_archive");
		return;
	}
	out = json_add_object(dst, "cover_art_archive");
	mb_put_bool(out, "artwork", caa, "artwork");
	mb_put_bool(out, "front", caa, "front");
	mb_put_bool(out, "back", caa, "back");
	mb_put_int(out, "count", caa, "count", 0, MB_MAX_POSITION);
}

static void build_release(cJSON *doc, const cJSON *src, enum mb_shape shape)
{
	long long tracks;
	double d;

	mb_put_str(doc, "title", src, "title");
	mb_put_text(doc, "disambiguation", src, "disambiguation");
	mb_put_text(doc, "status", src, "status");
	mb_put_date(doc, "date", src, "date");
	mb_put_text(doc, "country", src, "country");
	mb_put_str(doc, "barcode", src, "barcode"); /* "" means "has no barcode" */
	mb_put_text(doc, "asin", src, "asin");
	mb_put_text(doc, "packaging", src, "packaging");
	put_text_representation(doc, src);
	mb_put_artist_credit(doc, src);
	mb_put_release_group_ref(doc, "release_group", json_get_object(src, "release-group"));
	put_release_events(doc, src);
	put_label_info(doc, src);
	tracks = put_media(doc, src);
	if (tracks < 0 && !json_get_int(src, "track-count", 0, MB_MAX_POSITION, &tracks))
		tracks = -1;
	d = (double)tracks;
	json_add_number_or_null(doc, "track_count", tracks >= 0 ? &d : NULL);
	put_cover_art(doc, src);
	mb_put_counted(doc, "genres", src);
	mb_put_counted(doc, "tags", src);
	if (shape == MB_SHAPE_FULL)
		mb_put_links(doc, src);
}

static void put_recording_release(cJSON *out, const cJSON *src)
{
	mb_put_str(out, "title", src, "title");
	mb_put_text(out, "status", src, "status");
	mb_put_date(out, "date", src, "date");
	mb_put_text(out, "country", src, "country");
	mb_put_release_group_ref(out, "release_group", json_get_object(src, "release-group"));
}

static void build_recording(cJSON *doc, const cJSON *src, enum mb_shape shape)
{
	mb_put_str(doc, "title", src, "title");
	mb_put_text(doc, "disambiguation", src, "disambiguation");
	mb_put_int(doc, "length_ms", src, "length", 0, MB_MAX_LENGTH_MS);
	mb_put_bool(doc, "video", src, "video");
	mb_put_date(doc, "first_release_date", src, "first-release-date");
	mb_put_artist_credit(doc, src);
	mb_put_strings(doc, "isrcs", src, "isrcs");
	if (shape == MB_SHAPE_FULL)
		put_list(doc, "releases", src, "releases", put_recording_release);
	mb_put_counted(doc, "genres", src);
	mb_put_counted(doc, "tags", src);
	mb_put_rating(doc, src);
	if (shape == MB_SHAPE_FULL)
		mb_put_links(doc, src);
}

static mb_builder_fn *const builders[MB_ENTITY__COUNT] = {
	[MB_ARTIST] = build_artist,
	[MB_RELEASE_GROUP] = build_release_group,
	[MB_RELEASE] = build_release,
	[MB_RECORDING] = build_recording,
};

cJSON *mb_build_entity(enum mb_entity e, const cJSON *src, enum mb_shape shape)
{
	char id[MB_MBID_LEN + 1];
	cJSON *doc;

	if ((unsigned)e >= MB_ENTITY__COUNT || !mb_read_id(src, id))
		return NULL;
	doc = mb_doc_new(mb_entity_name(e), id);
	builders[e](doc, src, shape);
	return doc;
}

enum err mb_parse_lookup(enum mb_entity e, const char *body, size_t len, cJSON **out,
			 const char **why)
{
	cJSON *root = NULL;
	enum err err;

	*out = NULL;
	err = mb_parse_entity_object(e, body, len, &root, why);
	if (err != ERR_OK)
		return err;
	*out = mb_build_entity(e, root, MB_SHAPE_FULL);
	if (!*out) {
		*why = json_get(root, "id") ? "id is not an MBID" : "missing id";
		err = MB_ERR_BAD_BODY;
	}
	cJSON_Delete(root);
	return err;
}
