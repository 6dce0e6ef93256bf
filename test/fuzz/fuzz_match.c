/*
 * fuzz_match.c - libFuzzer entry point for the matcher's pure functions.
 *
 * The first byte picks what the rest is fed to:
 *  'l'  a link URL: a MusicBrainz document of each kind carrying it goes
 *       through match_mb_link_id() for every provider;
 *  'm'  JSON {"mb": document, "cand": fragment or candidates, "ev": [list,
 *       ...]}: every matcher and match_best() run on it;
 *  else two strings (split at the first NUL byte, else in the middle): the
 *       normalizers, match_similarity() and the identifier forms.
 * What must hold: nothing crashes or leaks; normalized text is valid UTF-8
 * with single inner spaces and no space at either end; a similarity is in
 * [0, 1], symmetric, and 1 for a string with itself; every verdict has a
 * score in [0, 1] and a reason; match_best() returns -1 or an index of an
 * accepted item; a link id found is non-empty and fits.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "medley/match.h"
#include "medley/provider_id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_norm(enum err e, const struct buf *b)
{
	assert(e == ERR_OK);
	assert(json_utf8_valid(b->data, b->len));
	assert(strlen(b->data) == b->len);
	assert(b->len <= 5 * MATCH_MAX_TEXT_BYTES);
	if (b->len) {
		assert(b->data[0] != ' ' && b->data[b->len - 1] != ' ');
		assert(!strstr(b->data, "  "));
	}
}

static void check_sim(const char *a, const char *b)
{
	double ab = match_similarity(a, b), ba = match_similarity(b, a);

	assert(ab >= 0.0 && ab <= 1.0);
	assert(ab == ba);
	assert(match_similarity(a, a) == 1.0);
}

static void check_codes(const char *s)
{
	char out[15], again[15];

	if (match_normalize_isrc(s, out) == ERR_OK) {
		assert(strlen(out) == 12);
		assert(match_normalize_isrc(out, again) == ERR_OK && strcmp(out, again) == 0);
	} else {
		assert(out[0] == '\0');
	}
	if (match_normalize_upc(s, out) == ERR_OK) {
		assert(strlen(out) >= 12 && strlen(out) <= 14 && out[0] != '\0');
		assert(match_normalize_upc(out, again) == ERR_OK && strcmp(out, again) == 0);
	} else {
		assert(out[0] == '\0');
	}
}

/* s[0..n) as a new NUL-terminated string (the input is not terminated: no strndup). */
static char *copy(const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (c) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

static void fuzz_text(const char *s, size_t len)
{
	const char *nul = memchr(s, '\0', len);
	size_t split = nul ? (size_t)(nul - s) : len / 2, skip = split + (nul != NULL);
	char *a = copy(s, split), *b = copy(s + skip, len - skip);
	struct buf na, ta, nb;

	assert(a && b);
	buf_init(&na, 1 << 16);
	buf_init(&ta, 1 << 16);
	buf_init(&nb, 1 << 16);
	check_norm(match_normalize_name(a, &na), &na);
	check_norm(match_normalize_title(a, &ta), &ta);
	check_norm(match_normalize_name(b, &nb), &nb);
	check_sim(a, b);
	check_sim(na.data, nb.data);
	check_sim(ta.data, nb.data);
	check_codes(a);
	buf_release(&na);
	buf_release(&ta);
	buf_release(&nb);
	free(a);
	free(b);
}

static void fuzz_link(const char *s, size_t len)
{
	static const char *const kinds[] = {"artist", "release-group", "release", "recording"};
	char *url = copy(s, len), out[64];

	assert(url);
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		cJSON *doc = json_new_object(), *link = json_new_object();

		json_add_string_or_null(doc, "kind", kinds[k]);
		json_add_string_or_null(link, "url", url);
		json_append(json_add_array(doc, "links"), link);
		for (int p = 0; p <= PROVIDER__COUNT; p++) {
			enum err e =
				match_mb_link_id(doc, (enum provider_id)p, NULL, out, sizeof(out));

			assert(e == ERR_OK || e == ERR_NOT_FOUND || e == ERR_TOO_LARGE ||
			       (e == ERR_INVALID_ARGUMENT && p == PROVIDER__COUNT));
			assert(e == ERR_OK ? out[0] != '\0' && strlen(out) < sizeof(out)
					   : out[0] == '\0');
		}
		cJSON_Delete(doc);
	}
	free(url);
}

static void check_result(const struct match_result *r)
{
	assert(r->score >= 0.0 && r->score <= 1.0);
	assert(r->why && match_method_name(r->method));
	if (r->accepted) {
		cJSON *j = match_result_json(r);

		assert(j);
		cJSON_Delete(j);
	}
}

static void fuzz_matchers(const char *s, size_t len)
{
	struct match_evidence ev = {{NULL}, {NULL}, {NULL}, {NULL}};
	struct match_opts o = match_opts_default();
	const cJSON *mb, *cand, *item;
	struct match_result r;
	cJSON *root = NULL;
	const char *why;
	size_t i = 0;
	int best;

	if (json_parse(s, len, 1 << 20, &root, &why) != ERR_OK)
		return;
	mb = json_get(root, "mb");
	cand = json_get(root, "cand");
	cJSON_ArrayForEach(item, json_get_array(root, "ev"))
	{
		if (i == MATCH_EV_LISTS)
			break;
		ev.mb_titles[i] = ev.mb_isrcs[i] = ev.mb_upcs[i] = ev.cand_titles[i] = item;
		i++;
	}
	(void)json_get_number(root, "threshold", &o.threshold);
	match_artist(mb, cand, &ev, &o, &r);
	check_result(&r);
	match_release(mb, cand, &ev, &o, &r);
	check_result(&r);
	match_recording(mb, cand, &o, &r);
	check_result(&r);
	best = match_best(mb, cand, &ev, &o, &r);
	check_result(&r);
	assert(best == -1 || (r.accepted && best < cJSON_GetArraySize(json_get(cand, "items"))));
	cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;

	if (!size)
		return 0;
	json_init();
	if (data[0] == 'l')
		fuzz_link(body, len);
	else if (data[0] == 'm')
		fuzz_matchers(body, len);
	else
		fuzz_text(body, len);
	return 0;
}
