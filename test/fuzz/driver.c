/*
 * driver.c - run a fuzz target over files, without libFuzzer.
 *
 *	build/asan/fuzz/fuzz_target test/fuzz/corpus/target/(files)
 *
 * make check builds every target with this driver under ASan+UBSan and
 * replays its seed corpus, so the targets never rot and every seed stays a
 * regression test. Real fuzzing (make fuzz) links libFuzzer instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *name)
{
	FILE *f = fopen(name, "rb");
	unsigned char *data = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "driver: cannot read '%s'\n", name);
		if (f)
			fclose(f);
		return 1;
	}
	data = malloc((size_t)n + 1);
	if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "driver: cannot read '%s'\n", name);
		free(data);
		fclose(f);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 1; i < argc; i++)
		failed |= run_file(argv[i]);
	printf("%s: %d inputs replayed\n", argv[0], argc - 1);
	return failed;
}
