/*
 * fuzz_wikidata.c - libFuzzer entry point for the Wikidata provider's pure
 * functions, Wikipedia summaries included.
 *
 * The whole input goes to every parser: wbgetentities (kind inferred, and
 * as a recording), list=search (artists) and page/summary (English):
 * every fragment produced must pass fragment_check(), print as valid
 * UTF-8 and parse back equal, and wikidata_sitelink() must read it safely;
 * a failure must leave *out NULL and give a reason. The input, cut at its
 * first NUL, is also fed to the URL builders as Q id, property, MBID,
 * language, title and template, whose URLs must be printable ASCII.
 * Nothing may crash or leak.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/fragment.h"
#include "medley/json.h"
#include "medley/wikidata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_frag(cJSON *frag, const char *lang)
{
	char where[300];
	const char *title;
	char *text;
	cJSON *again;

	assert(fragment_check(frag, where, sizeof(where)) == ERR_OK);
	text = cJSON_PrintUnformatted(frag);
	assert(text && json_utf8_valid(text, strlen(text)));
	again = cJSON_Parse(text);
	assert(again && cJSON_Compare(frag, again, 1));
	title = wikidata_sitelink(frag, "en");
	assert(!title || json_utf8_valid(title, strlen(title)));
	(void)wikidata_sitelink(frag, lang);
	cJSON_Delete(again);
	cJSON_free(text);
	cJSON_Delete(frag);
}

static void check_url(enum err e, const struct buf *b)
{
	if (e != ERR_OK)
		return;
	for (size_t i = 0; i < b->len; i++)
		assert(b->data[i] > 0x20 && b->data[i] < 0x7f);
}

static void fuzz_urls(const char *s)
{
	struct buf b;

	buf_init(&b, 64 * 1024);
	check_url(wikidata_entity_url(WIKIDATA_DEFAULT_BASE_URL, s, &b), &b);
	buf_reset(&b);
	check_url(wikidata_by_mbid_url(WIKIDATA_DEFAULT_BASE_URL, s,
				       "5b11f4ce-a62d-471e-81fc-a69a8278c7da", &b),
		  &b);
	buf_reset(&b);
	check_url(wikidata_by_mbid_url(WIKIDATA_DEFAULT_BASE_URL, "P434", s, &b), &b);
	buf_reset(&b);
	check_url(wikipedia_summary_url(WIKIPEDIA_DEFAULT_URL_TEMPLATE, s, "Nirvana (band)", &b),
		  &b);
	buf_reset(&b);
	check_url(wikipedia_summary_url(WIKIPEDIA_DEFAULT_URL_TEMPLATE, "en", s, &b), &b);
	buf_reset(&b);
	if (wikipedia_summary_url(s, "en", "Nirvana", &b) == ERR_OK) /* any template */
		assert(strstr(b.data, "/api/rest_v1/page/summary/Nirvana"));
	(void)wikidata_valid_qid(s);
	(void)wikidata_mbid_property(s);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *why;
	char *s = malloc(size + 1);
	cJSON *frag;

	assert(s);
	memcpy(s, data, size);
	s[size] = '\0';
	json_init();
	for (int i = 0; i < 5; i++) {
		enum err e;

		frag = NULL;
		why = NULL;
		if (i == 0)
			e = wikidata_parse_entity(body, size, NULL, &frag, &why);
		else if (i == 1)
			e = wikidata_parse_entity(body, size, "recording", &frag, &why);
		else if (i == 2)
			e = wikidata_parse_search(body, size, "artist", &frag, &why);
		else if (i == 3)
			e = wikipedia_parse_summary(body, size, "en", NULL, &frag, &why);
		else
			e = wikipedia_parse_summary(body, size, "zh-yue", "release-group", &frag,
						    &why);
		if (e == ERR_OK)
			check_frag(frag, s);
		else
			assert(!frag && why);
	}
	fuzz_urls(s);
	free(s);
	return 0;
}
