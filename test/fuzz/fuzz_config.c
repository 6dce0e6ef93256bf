/*
 * fuzz_config.c - libFuzzer entry point for the configuration loader.
 *
 * Writes each input to a private file and loads it with cfg_load(), the
 * way the binary does: YAML parsing, unknown-key recovery, conversions and
 * validation. A load either succeeds with a config that prints, or fails
 * with at least one reported problem; it never crashes or leaks.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "medley/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg = {0};
	struct buf errors, out;
	FILE *f;
	enum err e;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/medley-fuzz-config-%d.yaml", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	buf_init(&errors, 1024 * 1024);
	buf_init(&out, 1024 * 1024);
	e = cfg_load(path, &cfg, &errors);
	if (e == ERR_OK) {
		cfg_print(&cfg, &out);
		assert(!buf_failed(&out));
		cfg_release(&cfg);
	} else {
		assert(errors.len > 0);
	}
	buf_release(&out);
	buf_release(&errors);
	return 0;
}
