/*
 * test_proxy.c - trusted-proxy CIDR lists and X-Forwarded-For walking (proxy.h).
 *
 * Table-driven: list parsing (accepted lists with their match results,
 * refused ones with their exact message), address parsing and formatting,
 * and proxy_resolve() over X-Forwarded-For chains.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "medley/proxy.h"

static struct proxy_addr addr(const char *s)
{
	struct proxy_addr a;

	if (!proxy_addr_parse(s, strlen(s), &a))
		fail_msg("test address '%s' does not parse", s);
	return a;
}

static void parse_ok(const char *s, struct proxy_list *l)
{
	char why[256];

	if (proxy_list_parse(s, l, why, sizeof(why)) != ERR_OK)
		fail_msg("'%s' refused: %s", s, why);
}

/* --- list parsing and matching ------------------------------------------- */

struct match_case {
	const char *list;
	const char *addr;
	bool want;
};

static const struct match_case match_cases[] = {
	{"", "127.0.0.1", false},
	{"   ", "::1", false},
	{"127.0.0.1", "127.0.0.1", true},
	{"127.0.0.1", "127.0.0.2", false},
	{"127.0.0.1/32", "127.0.0.1", true},
	{"10.0.0.0/8", "10.255.1.2", true},
	{"10.0.0.0/8", "11.0.0.0", false},
	{"10.1.2.3/8", "10.9.9.9", true}, /* host bits ignored */
	{"0.0.0.0/0", "203.0.113.7", true},
	{"0.0.0.0/0", "2001:db8::1", false}, /* a v4 /0 is not every v6 address */
	{"0.0.0.0/0", "::ffff:203.0.113.7", true},
	{"192.168.0.0/23", "192.168.1.255", true},
	{"192.168.0.0/23", "192.168.2.0", false},
	{"172.16.0.0/12", "172.31.255.255", true},
	{"172.16.0.0/12", "172.32.0.0", false},
	{"1.2.3.4", "::ffff:1.2.3.4", true}, /* v4-mapped matches a v4 CIDR */
	{"1.2.3.0/24", "[::ffff:1.2.3.9]:443", true},
	{"::ffff:1.2.3.0/120", "1.2.3.4", true},
	{"::1", "::1", true},
	{"::1/128", "::2", false},
	{"::/0", "2001:db8::1", true},
	{"::/0", "10.0.0.1", true}, /* ::/0 covers the v4-mapped range */
	{"2001:db8::/32", "2001:db8:ffff::1", true},
	{"2001:db8::/32", "2001:db9::1", false},
	{"2001:db8::/33", "2001:db8:8000::1", false},
	{"2001:db8::/33", "2001:db8:7fff::1", true},
	{"fe80::/10", "febf::1", true},
	{"fe80::/10", "fec0::1", false},
	{" 10.0.0.1 , 10.0.0.2 ,\t::1 ", "10.0.0.2", true},
	{"10.0.0.1,10.0.0.2", "10.0.0.3", false},
	{"10.0.0.1, 2001:db8::/64", "2001:db8::42", true},
};

static void test_list_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];
		struct proxy_list l;
		struct proxy_addr a = addr(c->addr);

		parse_ok(c->list, &l);
		if (proxy_list_match(&l, &a) != c->want)
			fail_msg("'%s' in '%s': want %d", c->addr, c->list, c->want);
	}
}

struct bad_case {
	const char *list;
	const char *why;
};

static const struct bad_case bad_cases[] = {
	{"10.0.0.0/33", "entry \"10.0.0.0/33\": an IPv4 prefix length is at most 32"},
	{"::/129", "entry \"::/129\": an IPv6 prefix length is at most 128"},
	{"10.0.0.0/", "entry \"10.0.0.0/\": the prefix length must be a decimal number"},
	{"10.0.0.0/-1", "entry \"10.0.0.0/-1\": the prefix length must be a decimal number"},
	{"10.0.0.0/08", "entry \"10.0.0.0/08\": the prefix length must be a decimal number"},
	{"10.0.0.0/8/8", "entry \"10.0.0.0/8/8\": the prefix length must be a decimal number"},
	{"10.0.0.0/ 8", "entry \"10.0.0.0/ 8\": the prefix length must be a decimal number"},
	{"10.0.0.0/1000", "entry \"10.0.0.0/1000\": the prefix length must be a decimal number"},
	{"10.0.0/8", "entry \"10.0.0/8\": not an IPv4 or IPv6 address"},
	{"localhost", "entry \"localhost\": not an IPv4 or IPv6 address"},
	{"1.2.3.4:80", "entry \"1.2.3.4:80\": not an IPv4 or IPv6 address"},
	{"[::1]", "entry \"[::1]\": not an IPv4 or IPv6 address"},
	{"256.0.0.0", "entry \"256.0.0.0\": not an IPv4 or IPv6 address"},
	{"/8", "entry \"/8\": not an IPv4 or IPv6 address"},
	{"10.0.0.1 10.0.0.2", "entry \"10.0.0.1 10.0.0.2\": not an IPv4 or IPv6 address"},
	{"10.0.0.1,", "empty entry (stray comma?)"},
	{",10.0.0.1", "empty entry (stray comma?)"},
	{"10.0.0.1,,10.0.0.2", "empty entry (stray comma?)"},
	{"10.0.0.1, garbage", "entry \"garbage\": not an IPv4 or IPv6 address"},
};

static void test_list_refused(void **state)
{
	char why[256];
	struct proxy_list l;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		if (proxy_list_parse(bad_cases[i].list, &l, why, sizeof(why)) == ERR_OK)
			fail_msg("'%s' accepted", bad_cases[i].list);
		assert_string_equal(why, bad_cases[i].why);
	}
}

static void test_list_cap(void **state)
{
	char text[PROXY_MAX_CIDRS * 16 + 32], why[128];
	struct proxy_list l;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < PROXY_MAX_CIDRS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s10.0.%d.1", i ? "," : "", i);
	parse_ok(text, &l);
	assert_int_equal(l.n, PROXY_MAX_CIDRS);
	snprintf(text + n, sizeof(text) - n, ",10.1.0.1");
	assert_int_equal(proxy_list_parse(text, &l, why, sizeof(why)), ERR_INVALID_ARGUMENT);
	assert_string_equal(why, "more than 64 entries");
	/* A caller that does not want the reason. */
	assert_int_equal(proxy_list_parse("x", &l, NULL, 0), ERR_INVALID_ARGUMENT);
}

/* --- addresses ----------------------------------------------------------- */

struct addr_case {
	const char *in;
	const char *formatted; /* NULL: refused */
};

static const struct addr_case addr_cases[] = {
	{"203.0.113.7", "203.0.113.7"},
	{"203.0.113.7:8080", "203.0.113.7"},
	{"::ffff:203.0.113.7", "203.0.113.7"},
	{"2001:DB8::1", "2001:db8::1"},
	{"[2001:db8::1]", "2001:db8::1"},
	{"[2001:db8::1]:443", "2001:db8::1"},
	{"::", "::"},
	{"", NULL},
	{"unknown", NULL},
	{"_hidden", NULL},
	{" 1.2.3.4", NULL},
	{"1.2.3.4:", NULL},
	{"1.2.3.4:123456", NULL},
	{"1.2.3.4:http", NULL},
	{"[1.2.3.4]", NULL},
	{"[::1]:", NULL},
	{"[::1]x", NULL},
	{"[::1", NULL},
	{"2001:db8::1:443x", NULL},
	{"1.2.3.4/32", NULL},
	{"01.2.3.4", NULL},
};

static void test_addr_parse_format(void **state)
{
	char text[PROXY_ADDR_STRLEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(addr_cases); i++) {
		const struct addr_case *c = &addr_cases[i];
		struct proxy_addr a;
		bool ok = proxy_addr_parse(c->in, strlen(c->in), &a);

		if (ok != (c->formatted != NULL))
			fail_msg("'%s': want %s", c->in, c->formatted ? "accepted" : "refused");
		if (!ok)
			continue;
		proxy_addr_format(&a, text, sizeof(text));
		assert_string_equal(text, c->formatted);
	}
}

static void test_addr_from_sockaddr(void **state)
{
	struct sockaddr_in in4 = {.sin_family = AF_INET};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	struct sockaddr un = {.sa_family = AF_UNIX};
	char text[PROXY_ADDR_STRLEN];
	struct proxy_addr a;

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.1", &in4.sin_addr), 1);
	assert_true(proxy_addr_from_sockaddr((struct sockaddr *)&in4, sizeof(in4), &a));
	proxy_addr_format(&a, text, sizeof(text));
	assert_string_equal(text, "192.0.2.1");
	assert_false(proxy_addr_from_sockaddr((struct sockaddr *)&in4, 4, &a));

	assert_int_equal(inet_pton(AF_INET6, "2001:db8::7", &in6.sin6_addr), 1);
	assert_true(proxy_addr_from_sockaddr((struct sockaddr *)&in6, sizeof(in6), &a));
	proxy_addr_format(&a, text, sizeof(text));
	assert_string_equal(text, "2001:db8::7");

	assert_false(proxy_addr_from_sockaddr(&un, sizeof(un), &a));
	assert_false(proxy_addr_from_sockaddr(NULL, 0, &a));
}

/* --- X-Forwarded-For ----------------------------------------------------- */

struct resolve_case {
	const char *trusted;
	const char *peer;
	const char *xff; /* NULL: no header */
	const char *xfp; /* NULL: no header */
	const char *client;
	const char *scheme;
};

static const struct resolve_case resolve_cases[] = {
	/* Untrusted peer: both headers ignored. */
	{"", "127.0.0.1", "203.0.113.7", "https", "127.0.0.1", "http"},
	{"10.0.0.0/8", "192.0.2.1", "203.0.113.7", "https", "192.0.2.1", "http"},
	/* Trusted peer. */
	{"127.0.0.1/32", "127.0.0.1", NULL, NULL, "127.0.0.1", "http"},
	{"127.0.0.1/32", "127.0.0.1", "203.0.113.7", NULL, "203.0.113.7", "http"},
	{"127.0.0.1/32", "127.0.0.1", "203.0.113.7", "https", "203.0.113.7", "https"},
	{"127.0.0.1/32", "127.0.0.1", "203.0.113.7", "HTTPS", "203.0.113.7", "https"},
	{"127.0.0.1/32", "127.0.0.1", "203.0.113.7", "http, https", "203.0.113.7", "https"},
	{"127.0.0.1/32", "127.0.0.1", "203.0.113.7", "https, ftp", "203.0.113.7", "http"},
	{"127.0.0.1/32", "127.0.0.1", "203.0.113.7", "wss", "203.0.113.7", "http"},
	/* Chains: the right-most untrusted element, spaces allowed. */
	{"10.0.0.0/8", "10.0.0.1", "198.51.100.1, 203.0.113.7", NULL, "203.0.113.7", "http"},
	{"10.0.0.0/8", "10.0.0.1", "198.51.100.1,203.0.113.7, 10.0.0.9", NULL, "203.0.113.7",
	 "http"},
	{"10.0.0.0/8", "10.0.0.1", " 203.0.113.7 ,\t10.0.0.9 ", NULL, "203.0.113.7", "http"},
	/* Several headers, joined by http.c with ",". */
	{"10.0.0.0/8", "10.0.0.1", "1.1.1.1, 2.2.2.2,10.0.0.5", NULL, "2.2.2.2", "http"},
	/* Every element trusted: the left-most. */
	{"10.0.0.0/8", "10.0.0.1", "10.0.0.3, 10.0.0.2", NULL, "10.0.0.3", "http"},
	/* Malformed elements end the walk at the last trusted hop. */
	{"10.0.0.0/8", "10.0.0.1", "garbage", NULL, "10.0.0.1", "http"},
	{"10.0.0.0/8", "10.0.0.1", "203.0.113.7, unknown", NULL, "10.0.0.1", "http"},
	{"10.0.0.0/8", "10.0.0.1", "203.0.113.7, unknown, 10.0.0.2", NULL, "10.0.0.2", "http"},
	{"10.0.0.0/8", "10.0.0.1", "", NULL, "10.0.0.1", "http"},
	{"10.0.0.0/8", "10.0.0.1", ",", NULL, "10.0.0.1", "http"},
	{"10.0.0.0/8", "10.0.0.1", "203.0.113.7,", NULL, "10.0.0.1", "http"},
	{"10.0.0.0/8", "10.0.0.1", ",203.0.113.7", NULL, "203.0.113.7", "http"},
	/* Ports and IPv6. */
	{"10.0.0.0/8", "10.0.0.1", "203.0.113.7:5555", NULL, "203.0.113.7", "http"},
	{"::1, 10.0.0.0/8", "::1", "[2001:db8::1]:443, ::ffff:10.0.0.4", NULL, "2001:db8::1",
	 "http"},
	{"10.0.0.0/8", "::ffff:10.0.0.1", "2001:db8::2", NULL, "2001:db8::2", "http"},
};

static void test_resolve(void **state)
{
	char text[PROXY_ADDR_STRLEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(resolve_cases); i++) {
		const struct resolve_case *c = &resolve_cases[i];
		struct proxy_addr peer = addr(c->peer), client;
		const char *scheme = NULL;
		struct proxy_list l;

		parse_ok(c->trusted, &l);
		proxy_resolve(&l, &peer, c->xff, c->xfp, &client, &scheme);
		proxy_addr_format(&client, text, sizeof(text));
		if (strcmp(text, c->client) || strcmp(scheme, c->scheme))
			fail_msg("case %zu (xff '%s'): got %s %s, want %s %s", i,
				 c->xff ? c->xff : "(none)", text, scheme, c->client, c->scheme);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_match),	   cmocka_unit_test(test_list_refused),
		cmocka_unit_test(test_list_cap),	   cmocka_unit_test(test_addr_parse_format),
		cmocka_unit_test(test_addr_from_sockaddr), cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
