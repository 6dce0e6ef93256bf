/*
 * fuzz_target.c - libFuzzer entry point for request-target parsing.
 *
 * Feeds arbitrary bytes through what http.c does with a raw target: split
 * at '?', match the path against the real route table, parse the query
 * strictly. Checks that a successful parse only ever yields valid,
 * control-free strings and that nothing escapes the arena.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "medley/routes.h"
#include "medley/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
	for (; *s; s++)
		assert((unsigned char)*s >= 0x20 && *s != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *target = (const char *)data;
	const char *q = memchr(target, '?', size);
	size_t plen = q ? (size_t)(q - target) : size;
	struct arena a;
	struct route_match m;
	struct url_query query;
	const char *why = NULL;
	enum err e;

	arena_init(&a, 64 * 1024);
	e = router_match(routes_table, routes_count, HTTP_GET, target, plen, &a, &m, &why);
	if (e == ERR_OK)
		for (size_t i = 0; i < m.nparams; i++)
			check_text(m.params[i].value);
	if (q) {
		e = url_parse_query(&a, q + 1, size - plen - 1, &query, &why);
		if (e == ERR_OK) {
			for (size_t i = 0; i < query.n; i++) {
				check_text(query.params[i].key);
				check_text(query.params[i].value);
			}
		} else {
			assert(why != NULL || e == ERR_TOO_LARGE);
		}
	}
	arena_release(&a);
	return 0;
}
