/*
 * test_coverartarchive.c - the Cover Art Archive provider's pure functions:
 * request URLs, the listing parser on small bodies written for these tests
 * in CAA's format, and the image chooser.
 *
 * Bodies are written with single quotes for readability; ft_sq() turns them
 * into JSON. Every fragment a parser returns also goes through
 * fragment_check(). The recorded listings of the shared fixtures are
 * exercised by test_coverartarchive_conformance.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medley/coverartarchive.h"
#include "medley/fragment.h"
#include "medley/json.h"
#include "fragment_testing.h"

#define BASE "https://coverartarchive.org"
#define NEVERMIND "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"
#define NEVERMIND_RG "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
/* What '@' stands for in the test bodies (ft_sq_at, set in main): the start of an image URL. */
#define IMG_BASE "https://coverartarchive.org/release/" NEVERMIND "/"

static cJSON *parse_ok(const char *quoted)
{
	struct ft_body b = ft_body(quoted);

	return ft_want_ok(&b, caa_parse(b.text, b.len, &b.out, &b.why), ft_check_shape);
}

static void parse_fails(const char *quoted, enum err want, const char *want_why)
{
	struct ft_body b = ft_body(quoted);

	ft_want_err(&b, caa_parse(b.text, b.len, &b.out, &b.why), want, want_why);
}

/* ---- request URLs ------------------------------------------------------- */

struct url_case {
	bool group;
	const char *base, *mbid;
	enum err want;
	const char *url;
};

static void test_urls(void **state)
{
	static const struct url_case cases[] = {
		{false, BASE, NEVERMIND, ERR_OK, BASE "/release/" NEVERMIND},
		{true, BASE, NEVERMIND_RG, ERR_OK, BASE "/release-group/" NEVERMIND_RG},
		{false, BASE, "C2C6CA32-966C-49BB-A4FC-F6D7D2BC0A50", ERR_OK,
		 BASE "/release/" NEVERMIND},
		{true, "http://127.0.0.1:8089/caa", "F5A2E9AC-bd56-44f5-95fa-A267310D12FF", ERR_OK,
		 "http://127.0.0.1:8089/caa/release-group/" NEVERMIND_RG},
		{false, BASE, "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a5", ERR_INVALID_ARGUMENT, NULL},
		{false, BASE, "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a500", ERR_INVALID_ARGUMENT, NULL},
		{false, BASE, "c2c6ca32x966c-49bb-a4fc-f6d7d2bc0a50", ERR_INVALID_ARGUMENT, NULL},
		{true, BASE, "g2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50", ERR_INVALID_ARGUMENT, NULL},
		{true, BASE, "", ERR_INVALID_ARGUMENT, NULL},
		{false, BASE, NULL, ERR_INVALID_ARGUMENT, NULL},
		{false, "", NEVERMIND, ERR_INVALID_ARGUMENT, NULL},
		{true, NULL, NEVERMIND, ERR_INVALID_ARGUMENT, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct url_case *c = &cases[i];
		struct buf b;
		enum err e;

		buf_init(&b, 4096);
		e = c->group ? caa_release_group_url(c->base, c->mbid, &b)
			     : caa_release_url(c->base, c->mbid, &b);
		if (e != c->want)
			fail_msg("case %zu: got %s, want %s", i, err_str(e), err_str(c->want));
		if (c->url)
			assert_string_equal(b.data, c->url);
		buf_release(&b);
	}
}

static void test_url_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 40);
	assert_int_equal(caa_release_url(BASE, NEVERMIND, &b), ERR_TOO_LARGE);
	buf_release(&b);
	buf_init(&b, strlen(BASE "/release-group/" NEVERMIND_RG));
	assert_int_equal(caa_release_group_url(BASE, NEVERMIND_RG, &b), ERR_OK);
	buf_release(&b);
}

/* ---- the listing -------------------------------------------------------- */

/* Six images in an order CAA could send; the ranking reorders them. */
static const char listing[] =
	"{'images': ["
	"{'approved': true, 'back': false, 'front': false, 'comment': '', 'edit': 1, "
	" 'id': 101, 'image': '@101.jpg', 'types': ['Booklet', 'Booklet', 'Tray'], "
	" 'thumbnails': {'250': '@101-250.jpg', 'small': '@101-250.jpg'}},"
	"{'approved': true, 'back': true, 'front': false, 'comment': '', 'edit': 2, "
	" 'id': '102', 'image': '@102.jpg', 'types': ['Back', 'Spine'], "
	" 'thumbnails': {'250': '@102-250.jpg', '500': '@102-500.jpg', "
	"  '1200': '@102-1200.jpg'}},"
	"{'approved': false, 'back': false, 'front': true, 'comment': 'pending', 'edit': 3, "
	" 'id': 103, 'image': '@103.jpg', 'types': ['Front'], 'thumbnails': {}},"
	"{'approved': true, 'back': false, 'front': false, 'comment': '', 'edit': 4, "
	" 'id': 104, 'image': '@104.png', 'types': ['Medium'], "
	" 'thumbnails': {'large': '@104-500.jpg', 'huge': '@104-9000.jpg', "
	"  '1200': 'javascript:alert(1)', '500': 42}},"
	"{'approved': true, 'back': false, 'front': true, 'comment': '', 'edit': 5, "
	" 'id': 105, 'image': '@105.jpg', 'types': ['Front', 'Obi'], "
	" 'thumbnails': {'small': '@105-250.jpg', 'large': '@105-500.jpg'}},"
	"{'approved': true, 'back': false, 'front': false, 'comment': '', 'edit': 6, "
	" 'id': 106, 'image': '@106.jpg', 'types': ['Sticker'], 'thumbnails': {}}"
	"], 'release': 'https://musicbrainz.org/release/" NEVERMIND "'}";

static void test_listing(void **state)
{
	cJSON *f = parse_ok(listing);

	(void)state;
	ft_expect(f, "provider", "'coverartarchive'");
	ft_expect(f, "kind", "'cover-art'");
	ft_expect(f, "id", "'" NEVERMIND "'");
	ft_expect(f, "url", "'https://musicbrainz.org/release/" NEVERMIND "'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 6);
	/* front approved, front unapproved, back, then the rest in the body's order */
	ft_expect(f, "images[0].url", "'@105.jpg'");
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[0].types", "['front', 'obi']");
	ft_expect(f, "images[0].thumbnails", "{'small': '@105-250.jpg', 'large': '@105-500.jpg'}");
	ft_expect(f, "images[0].width", "null");
	ft_expect(f, "images[0].height", "null");
	ft_expect(f, "images[0].language", "null");
	ft_expect(f, "images[0].likes", "null");
	ft_expect(f, "images[1].url", "'@103.jpg'");
	ft_expect(f, "images[1].thumbnails", "{}");
	ft_expect(f, "images[2].url", "'@102.jpg'");
	ft_expect(f, "images[2].type", "'back'");
	ft_expect(f, "images[2].types", "['back', 'spine']");
	ft_expect(f, "images[2].thumbnails",
		  "{'250': '@102-250.jpg', '500': '@102-500.jpg', '1200': '@102-1200.jpg'}");
	ft_expect(f, "images[3].url", "'@101.jpg'");
	ft_expect(f, "images[3].type", "'booklet'");
	ft_expect(f, "images[3].types", "['booklet', 'tray']");
	ft_expect(f, "images[4].url", "'@104.png'");
	ft_expect(f, "images[4].type", "'medium'");
	ft_expect(f, "images[4].thumbnails", "{'large': '@104-500.jpg'}");
	ft_expect(f, "images[5].type", "'other'");
	ft_expect(f, "images[5].types", "['sticker']");
	cJSON_Delete(f);
}

static void test_release_group_listing(void **state)
{
	/* A release group answers its front release's listing: the id is the release's. */
	cJSON *f = parse_ok("{'images': [{'approved': true, 'front': true, 'back': false, "
			    "'image': 'http://coverartarchive.org/release/x/1.jpg', "
			    "'types': ['Front'], 'thumbnails': {}}], "
			    "'release': 'http://musicbrainz.org/release/"
			    "C2C6CA32-966C-49BB-A4FC-F6D7D2BC0A50/'}");

	(void)state;
	ft_expect(f, "id", "'" NEVERMIND "'");
	ft_expect(f, "url",
		  "'http://musicbrainz.org/release/C2C6CA32-966C-49BB-A4FC-F6D7D2BC0A50/'");
	ft_expect(f, "images[0].url", "'http://coverartarchive.org/release/x/1.jpg'");
	cJSON_Delete(f);
}

static void test_types_and_flags(void **state)
{
	cJSON *f =
		parse_ok("{'release': 'https://musicbrainz.org/release/" NEVERMIND "', 'images': ["
			 /* no flags, first type Front: front by its type */
			 "{'image': '@1.jpg', 'types': ['Front']},"
			 /* both flags: front wins */
			 "{'image': '@2.jpg', 'front': true, 'back': true, 'approved': true},"
			 /* wrong types everywhere: other, types [other] */
			 "{'image': '@3.jpg', 'front': 'yes', 'back': 1, 'types': 'Front', "
			 " 'thumbnails': ['x'], 'approved': 'true'},"
			 /* types with junk members */
			 "{'image': '@4.jpg', 'types': [null, '', 7, 'MEDIUM', 'Raw/Unedited']},"
			 /* no usable URL: dropped */
			 "{'image': 'ftp://coverartarchive.org/x.jpg', 'front': true},"
			 "{'image': '/release/x/5.jpg', 'front': true},"
			 "{'image': 5, 'front': true},"
			 "{'front': true},"
			 "'not an image', 17, null, []"
			 "]}");

	(void)state;
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 4);
	ft_expect(f, "images[0].url", "'@2.jpg'"); /* approved before unapproved */
	ft_expect(f, "images[0].type", "'front'");
	ft_expect(f, "images[0].types", "['front']");
	ft_expect(f, "images[1].url", "'@1.jpg'");
	ft_expect(f, "images[1].type", "'front'");
	ft_expect(f, "images[2].url", "'@3.jpg'");
	ft_expect(f, "images[2].type", "'other'");
	ft_expect(f, "images[2].types", "['other']");
	ft_expect(f, "images[2].thumbnails", "{}");
	ft_expect(f, "images[3].type", "'other'"); /* the first type (null) is not a name */
	ft_expect(f, "images[3].types", "['medium', 'raw/unedited']");
	cJSON_Delete(f);
}

static void test_types_capped(void **state)
{
	char body[4096];
	cJSON *f;
	int n;

	(void)state;
	n = snprintf(body, sizeof(body),
		     "{'release': 'https://musicbrainz.org/release/%s', 'images': [{'image': %s, "
		     "'types': [",
		     NEVERMIND, "'@1.jpg'");
	/* a type name past the length we keep is skipped (and, first, does not map) */
	n += snprintf(body + n, sizeof(body) - (size_t)n, "'Booklet%0100d'", 0);
	for (int i = 0; i < 40; i++)
		n += snprintf(body + n, sizeof(body) - (size_t)n, ",'T%d'", i);
	n += snprintf(body + n, sizeof(body) - (size_t)n, "]}]}");
	assert_true(n < (int)sizeof(body));
	f = parse_ok(body);
	ft_expect(f, "images[0].type", "'other'");
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images[0].types")), (int)CAA_MAX_TYPES);
	ft_expect(f, "images[0].types[0]", "'t0'");
	cJSON_Delete(f);
}

static void test_empty_listing(void **state)
{
	cJSON *f = parse_ok("{'images': [], 'release': 'https://musicbrainz.org/release/" NEVERMIND
			    "'}");

	(void)state;
	ft_expect(f, "images", "[]");
	cJSON_Delete(f);
}

static void test_release_url(void **state)
{
	cJSON *f;

	(void)state;
	/* not an http(s) URL: the id is still read, the url is null */
	f = parse_ok("{'images': [], 'release': 'musicbrainz.org/release/" NEVERMIND "'}");
	ft_expect(f, "id", "'" NEVERMIND "'");
	ft_expect(f, "url", "null");
	cJSON_Delete(f);
	/* the last /release/ segment counts; a query after it is fine */
	f = parse_ok("{'images': [], 'release': "
		     "'https://mb.test/release/x/release/" NEVERMIND "?a=b'}");
	ft_expect(f, "id", "'" NEVERMIND "'");
	cJSON_Delete(f);
	parse_fails("{'images': []}", ERR_INVALID_ARGUMENT, "missing release");
	parse_fails("{'images': [], 'release': 5}", ERR_INVALID_ARGUMENT, "missing release");
	parse_fails("{'images': [], 'release': 'https://musicbrainz.org/release/'}",
		    ERR_INVALID_ARGUMENT, "missing release");
	parse_fails("{'images': [], 'release': 'https://musicbrainz.org/release-group/" NEVERMIND
		    "'}",
		    ERR_INVALID_ARGUMENT, "missing release");
	parse_fails("{'images': [], 'release': 'https://musicbrainz.org/release/" NEVERMIND "0'}",
		    ERR_INVALID_ARGUMENT, "missing release");
	parse_fails("{'images': [], 'release': 'https://musicbrainz.org/release/"
		    "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0aZZ'}",
		    ERR_INVALID_ARGUMENT, "missing release");
}

static void test_bad_bodies(void **state)
{
	(void)state;
	parse_fails("", ERR_INVALID_ARGUMENT, "body is not JSON");
	parse_fails("{'images': [{'image': 'https://x.test/1.jpg'", ERR_INVALID_ARGUMENT,
		    "body is not JSON");
	parse_fails("{'images': []} trailing", ERR_INVALID_ARGUMENT, "body is not JSON");
	parse_fails("[]", ERR_INVALID_ARGUMENT, "body is not an object");
	parse_fails("'images'", ERR_INVALID_ARGUMENT, "body is not an object");
	parse_fails("{'release': 'https://musicbrainz.org/release/" NEVERMIND "'}",
		    ERR_INVALID_ARGUMENT, "missing images");
	parse_fails("{'images': {}, 'release': 'https://musicbrainz.org/release/" NEVERMIND "'}",
		    ERR_INVALID_ARGUMENT, "missing images");
	parse_fails("{}", ERR_INVALID_ARGUMENT, "missing images");
}

static void test_not_found_pages(void **state)
{
	(void)state;
	/* what coverartarchive.org answers (with a 404) for a release without art */
	parse_fails("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"
		    "<h1>Not Found</h1>\n<p>No cover art found for release " NEVERMIND "</p>\n",
		    ERR_NOT_FOUND, "no cover art");
	parse_fails("\r\n No cover art found for release group " NEVERMIND_RG, ERR_NOT_FOUND,
		    "no cover art");
	/* other HTML is not JSON */
	parse_fails("<!doctype html>\n<title>400 Bad Request</title>\n"
		    "<p>invalid MBID specified</p>\n",
		    ERR_INVALID_ARGUMENT, "body is not JSON");
}

static void test_body_cap(void **state)
{
	size_t n = CAA_MAX_BODY_BYTES + 1;
	char *body = malloc(n);
	const char *why = NULL;
	cJSON *f = NULL;

	(void)state;
	assert_non_null(body);
	memset(body, ' ', n);
	body[0] = '{';
	body[n - 1] = '}';
	assert_int_equal(caa_parse(body, n, &f, &why), ERR_TOO_LARGE);
	assert_null(f);
	assert_string_equal(why, "body too large");
	/* the not-found sniffing does not read past the cap either */
	memcpy(body, "<p>No cover art found</p>", 25);
	assert_int_equal(caa_parse(body, n, &f, &why), ERR_TOO_LARGE);
	free(body);
}

static void test_invalid_utf8(void **state)
{
	char body[512];
	cJSON *f;

	(void)state;
	snprintf(body, sizeof(body),
		 "{\"release\": \"https://musicbrainz.org/release/%s\", \"images\": ["
		 "{\"image\": \"https://x.test/\xff.jpg\", \"front\": true},"
		 "{\"image\": \"https://x.test/ok.jpg\", \"types\": [\"B\xc3\x28k\"], "
		 "\"thumbnails\": {\"250\": \"https://x.test/\xfe.jpg\"}}]}",
		 NEVERMIND);
	f = parse_ok(body);
	assert_int_equal(cJSON_GetArraySize(ft_at(f, "images")), 1);
	ft_expect(f, "images[0].url", "'https://x.test/ok.jpg'");
	ft_expect(f, "images[0].types", "['other']");
	ft_expect(f, "images[0].thumbnails", "{}");
	cJSON_Delete(f);
}

/* ---- choosing ----------------------------------------------------------- */

struct pick_case {
	enum image_type type;
	int size;
	const char *want; /* NULL: no image */
};

static void test_pick(void **state)
{
	static const struct pick_case cases[] = {
		/* the approved front (105) has small/large only */
		{IMAGE_FRONT, 0, "105.jpg"},
		{IMAGE_FRONT, 250, "105-250.jpg"},
		{IMAGE_FRONT, 1, "105-250.jpg"},
		{IMAGE_FRONT, 251, "105-500.jpg"},
		{IMAGE_FRONT, 500, "105-500.jpg"},
		{IMAGE_FRONT, 1200, "105.jpg"}, /* no 1200 thumbnail: the full image */
		{IMAGE_FRONT, 5000, "105.jpg"},
		{IMAGE_BACK, 250, "102-250.jpg"},
		{IMAGE_BACK, 300, "102-500.jpg"},
		{IMAGE_BACK, 600, "102-1200.jpg"},
		{IMAGE_BACK, 1200, "102-1200.jpg"},
		{IMAGE_BACK, 1201, "102.jpg"},
		{IMAGE_BOOKLET, 500, "101.jpg"}, /* only a 250 one: too small */
		{IMAGE_BOOKLET, 200, "101-250.jpg"},
		{IMAGE_MEDIUM, 250, "104-500.jpg"}, /* the invalid 1200 and 500 were dropped */
		{IMAGE_MEDIUM, 1200, "104.png"},
		{IMAGE_OTHER, 0, "106.jpg"},
		{IMAGE_LOGO, 0, NULL},
		{IMAGE_FRONT, -1, NULL},
		{(enum image_type)IMAGE_TYPE__COUNT, 0, NULL},
		{(enum image_type) - 1, 0, NULL},
	};
	cJSON *f = parse_ok(listing);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = caa_pick(f, cases[i].type, cases[i].size);
		char want[256];

		if (!cases[i].want) {
			if (got)
				fail_msg("case %zu: got %s, want NULL", i, got);
			continue;
		}
		snprintf(want, sizeof(want), "https://coverartarchive.org/release/%s/%s", NEVERMIND,
			 cases[i].want);
		if (!got || strcmp(got, want) != 0)
			fail_msg("case %zu: got %s, want %s", i, got ? got : "NULL", want);
	}
	cJSON_Delete(f);
}

static void test_pick_not_cover_art(void **state)
{
	cJSON *entity = fragment_new_entity("deezer", "release", "302127");
	cJSON *junk = cJSON_CreateArray();

	(void)state;
	assert_null(caa_pick(NULL, IMAGE_FRONT, 0));
	assert_null(caa_pick(entity, IMAGE_FRONT, 0));
	assert_null(caa_pick(junk, IMAGE_FRONT, 0));
	fragment_add_image(cJSON_GetObjectItemCaseSensitive(entity, "images"),
			   "https://x.test/1.jpg", IMAGE_FRONT, 0, 0);
	assert_null(caa_pick(entity, IMAGE_FRONT, 0));
	cJSON_Delete(entity);
	cJSON_Delete(junk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_cap),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_release_group_listing),
		cmocka_unit_test(test_types_and_flags),
		cmocka_unit_test(test_types_capped),
		cmocka_unit_test(test_empty_listing),
		cmocka_unit_test(test_release_url),
		cmocka_unit_test(test_bad_bodies),
		cmocka_unit_test(test_not_found_pages),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_pick_not_cover_art),
	};

	json_init();
	ft_sq_at = IMG_BASE;
	return cmocka_run_group_tests_name("coverartarchive", tests, NULL, NULL);
}
