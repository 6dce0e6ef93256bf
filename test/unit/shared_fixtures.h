/*
 * shared_fixtures.h - run one cmocka test per recorded response in a
 * provider's folder of the shared fixture tree, for the conformance suites
 * (test_*_conformance.c). Header-only: each unit test is one file.
 *
 * The folder is $MEDLEY_SHARED_DIR/fixtures/<provider>, by default
 * ../shared/fixtures/<provider> from $MEDLEY_SOURCE_DIR (else the working
 * directory). It is read in place, never copied into the repository. When
 * it is absent the suite prints so and skips.
 *
 *	static void test_fixture(void **state)
 *	{
 *		const char *name = *state;             file name, e.g. "artist_27.json"
 *		size_t len;
 *		char *body = sf_slurp(name, &len);     the recorded body; free() it
 *		...
 *	}
 *	int main(void) { json_init(); return sf_run("deezer", test_fixture); }
 */
#ifndef MEDLEY_TEST_SHARED_FIXTURES_H
#define MEDLEY_TEST_SHARED_FIXTURES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char sf_dir[4096];

/* The whole file dir/name (NUL-terminated; *len its length); fails the test when unreadable. */
static char *sf_slurp(const char *name, size_t *len)
{
	char path[8192];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", sf_dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

static void sf_skipped(void **state)
{
	(void)state;
	print_message("skipped: %s not found\n", sf_dir);
	skip();
}

static int sf_is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Run fn once per *.json file of the provider's folder (state: the file name), in name order. */
static int sf_run(const char *provider, void (*fn)(void **state))
{
	const char *shared = getenv("MEDLEY_SHARED_DIR");
	const char *source = getenv("MEDLEY_SOURCE_DIR");
	struct dirent **names = NULL;
	struct CMUnitTest *tests;
	char group[128];
	int n, rc;

	if (shared && shared[0])
		snprintf(sf_dir, sizeof(sf_dir), "%s/fixtures/%s", shared, provider);
	else
		snprintf(sf_dir, sizeof(sf_dir), "%s/../shared/fixtures/%s",
			 source && source[0] ? source : ".", provider);
	snprintf(group, sizeof(group), "%s_conformance", provider);
	n = scandir(sf_dir, &names, sf_is_json, alphasort);
	if (n <= 0) {
		const struct CMUnitTest skipped[] = {cmocka_unit_test(sf_skipped)};

		free(names);
		return _cmocka_run_group_tests(group, skipped, 1, NULL, NULL);
	}
	tests = calloc((size_t)n, sizeof(*tests));
	assert_non_null(tests);
	for (int i = 0; i < n; i++) {
		tests[i].name = names[i]->d_name;
		tests[i].test_func = fn;
		tests[i].initial_state = names[i]->d_name;
	}
	print_message("conformance: %d recorded responses in %s\n", n, sf_dir);
	rc = _cmocka_run_group_tests(group, tests, (size_t)n, NULL, NULL);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}

#endif
