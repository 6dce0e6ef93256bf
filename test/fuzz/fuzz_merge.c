/*
 * fuzz_merge.c - libFuzzer entry point for the merger (merge.h).
 *
 * The first byte picks what the rest is fed to:
 *  'i'  merge_parse_include() on the rest as a C string;
 *  'l'  merge_pick_lang() with the rest split at the first newline into the
 *       lang= value and the Accept-Language value;
 *  any other byte: merge_document(), with that byte's low 7 bits as the
 *       include mask. The second byte picks the language (low 3 bits) and,
 *       when its high bit is set, varies the parts' statuses. The rest is a
 *       JSON array: the MusicBrainz document first, then one fragment per
 *       part (its provider from the fragment's "provider" when it names one).
 * Whatever the input, nothing may crash or leak; a merged document must pass
 * merge_check(), print as valid UTF-8 and parse back equal (when the
 * MusicBrainz document given does: the merger copies it as it is), and
 * merging the same input twice (and, when no provider repeats, in reverse
 * order) must give the same bytes.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/json.h"
#include "medley/merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {"en", "de", "fr", "ja", "pt", "es", "", "zz"};
static const char *const statuses[] = {"ok",	   "not_found", "error", "timeout",
				       "disabled", "skipped",	"bogus", NULL};
static const char *const methods[] = {"mb_relation", "isrc",   "upc",	     "mbid",
				      "mb_url",	     "search", "Not valid!", NULL};

static char *cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	assert(s);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static void fuzz_include(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size);
	const char *why = NULL;
	unsigned flags = 0;

	if (merge_parse_include(s, &flags, &why) == ERR_OK) {
		assert((flags & ~MERGE_INCLUDE_ALL) == 0 && !why);
	} else {
		assert(why && flags == 0);
		for (const char *p = why; *p; p++)
			assert(*p >= 0x20 && *p < 0x7f);
	}
	free(s);
}

static void fuzz_lang(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size), *nl = strchr(s, '\n');
	char out[MERGE_LANG_LEN];
	size_t n;

	if (nl)
		*nl = '\0';
	merge_pick_lang(s[0] ? s : NULL, nl ? nl + 1 : NULL, out);
	n = strlen(out);
	assert(n == 2 || n == 3);
	for (size_t i = 0; i < n; i++)
		assert(out[i] >= 'a' && out[i] <= 'z');
	free(s);
}

static enum provider_id provider_of(const cJSON *frag, size_t i)
{
	const char *name = json_get_string(frag, "provider");

	for (unsigned p = 0; name && p < PROVIDER__COUNT; p++)
		if (strcmp(name, provider_name((enum provider_id)p)) == 0)
			return (enum provider_id)p;
	return (enum provider_id)(i % (PROVIDER__COUNT + 1)); /* one past the list, too */
}

/*
 * True if doc prints as valid UTF-8 and parses back equal. The merger copies
 * the MusicBrainz document as it is (the parsers already cleaned it), so the
 * output is held to that only when the input document holds to it.
 */
static bool clean(const cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	cJSON *again;
	bool ok;

	assert(text);
	again = cJSON_Parse(text);
	ok = json_utf8_valid(text, strlen(text)) && again && cJSON_Compare(doc, again, 1);
	cJSON_Delete(again);
	cJSON_free(text);
	return ok;
}

static char *merged(const cJSON *mb, const struct merge_part *parts, size_t n, unsigned include,
		    const char *lang)
{
	cJSON *doc = merge_document(mb, parts, n, include, lang);
	char where[300], *text;

	assert(doc);
	assert(merge_check(doc, include, where, sizeof(where)) == ERR_OK);
	assert(!(mb == NULL || clean(mb)) || clean(doc));
	text = cJSON_PrintUnformatted(doc);
	assert(text);
	cJSON_Delete(doc);
	return text;
}

static void fuzz_document(const uint8_t *data, size_t size)
{
	struct merge_part parts[MERGE_MAX_PARTS + 2], rev[MERGE_MAX_PARTS + 2];
	unsigned include = data[0] & 0x7f, seen = 0;
	const char *lang = langs[data[1] & 7], *why = NULL;
	bool repeats = false;
	cJSON *arr = NULL;
	const cJSON *mb, *f;
	char *a, *b;
	size_t n = 0;

	if (json_parse((const char *)data + 2, size - 2, 1u << 20, &arr, &why) != ERR_OK)
		return;
	mb = cJSON_IsArray(arr) ? cJSON_GetArrayItem(arr, 0) : arr;
	for (f = mb && cJSON_IsArray(arr) ? mb->next : NULL; f && n < ARRAY_SIZE(parts);
	     f = f->next, n++) {
		struct merge_part *p = &parts[n];

		p->provider = provider_of(f, n);
		p->status = data[1] & 0x80 ? statuses[n % ARRAY_SIZE(statuses)] : "ok";
		p->fetched_at = (int64_t)(n * 86400 * 365) - 86400;
		p->frag = f;
		p->match_method = methods[n % ARRAY_SIZE(methods)];
		p->match_score = (double)n / 3.0 - 1.0;
		if ((unsigned)p->provider < PROVIDER__COUNT) {
			repeats |= (seen >> p->provider) & 1u;
			seen |= 1u << p->provider;
		}
	}
	a = merged(mb, parts, n, include, lang);
	b = merged(mb, parts, n, include, lang);
	assert(strcmp(a, b) == 0);
	cJSON_free(b);
	if (!repeats) {
		for (size_t i = 0; i < n; i++)
			rev[i] = parts[n - 1 - i];
		b = merged(mb, rev, n, include, lang);
		assert(n > MERGE_MAX_PARTS || strcmp(a, b) == 0);
		cJSON_free(b);
	}
	cJSON_free(a);
	cJSON_Delete(arr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	json_init();
	if (data[0] == 'i')
		fuzz_include(data + 1, size - 1);
	else if (data[0] == 'l')
		fuzz_lang(data + 1, size - 1);
	else if (size >= 2)
		fuzz_document(data, size);
	return 0;
}
