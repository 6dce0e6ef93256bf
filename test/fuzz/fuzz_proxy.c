/*
 * fuzz_proxy.c - libFuzzer entry point for the trusted-proxy parsers.
 *
 * The input is split at its first newline: the part before is parsed as a
 * trusted_proxies list (config text), the rest as X-Forwarded-For (header
 * text, attacker-controlled) resolved from a trusted peer. Checks that every
 * parsed address formats within its bound and that the result is either the
 * peer or an address that parses back.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medley/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char why[160], out[PROXY_ADDR_STRLEN];
	struct proxy_list list;
	struct proxy_addr peer, client, back;
	const char *scheme = NULL, *xff;
	char *nl;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	xff = nl ? nl + 1 : NULL;
	if (nl)
		*nl = '\0';
	if (proxy_list_parse(text, &list, why, sizeof(why)) != ERR_OK &&
	    proxy_list_parse("127.0.0.1/32,::1", &list, why, sizeof(why)) != ERR_OK)
		abort();
	if (!proxy_addr_parse("127.0.0.1", 9, &peer))
		abort();
	proxy_resolve(&list, &peer, xff, xff, &client, &scheme);
	assert(scheme && (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0));
	proxy_addr_format(&client, out, sizeof(out));
	assert(strlen(out) < PROXY_ADDR_STRLEN);
	assert(proxy_addr_parse(out, strlen(out), &back));
	free(text);
	return 0;
}
