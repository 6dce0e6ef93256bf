/*
 * proxy.h - trusted reverse proxies: CIDR lists and X-Forwarded-For.
 *
 * server.trusted_proxies is a comma-separated list of CIDRs ("10.0.0.0/8",
 * "2001:db8::/32"); a bare address means /32 or /128. When a request's TCP
 * peer is in the list, its X-Forwarded-For and X-Forwarded-Proto headers
 * say who the client is and which scheme it used; otherwise both headers
 * are ignored, since anyone can send them.
 *
 * Addresses are held as 16 bytes: an IPv4 address as its v4-mapped IPv6
 * form (::ffff:a.b.c.d), so "10.0.0.0/8" matches both 10.1.2.3 and
 * ::ffff:10.1.2.3 (what a dual-stack socket reports). A v6 CIDR covering
 * ::ffff:0:0/96 (such as ::/0) therefore matches IPv4 peers too.
 *
 * Pure: no I/O, no allocation, no globals; every function is reentrant.
 * A parsed struct proxy_list is immutable and may be read from any thread.
 */
#ifndef MEDLEY_PROXY_H
#define MEDLEY_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "medley/common.h"
#include "medley/err.h"

/* Most CIDRs in one list. */
#define PROXY_MAX_CIDRS 64
/* Longest text of one list entry or one X-Forwarded-For element. */
#define PROXY_ENTRY_MAX 64
/* Room for a formatted address, NUL included (INET6_ADDRSTRLEN). */
#define PROXY_ADDR_STRLEN 46

struct sockaddr;

/* One IPv4 (v4-mapped) or IPv6 address, network byte order. */
struct proxy_addr {
	uint8_t b[16];
};

struct proxy_cidr {
	struct proxy_addr net; /* host bits cleared */
	unsigned bits;	       /* 0..128, counted on the 16-byte form */
};

struct proxy_list {
	struct proxy_cidr cidrs[PROXY_MAX_CIDRS];
	size_t n;
};

/*
 * Parse s, a comma-separated list of CIDRs or bare addresses with optional
 * spaces around each entry; "" (or only spaces) is the empty list. Host
 * bits under the prefix are ignored ("10.1.2.3/8" is 10.0.0.0/8).
 * On success fills *out. On failure returns ERR_INVALID_ARGUMENT and writes
 * one message naming the offending entry into why (why_size bytes, always
 * NUL-terminated; why may be NULL when why_size is 0); *out is then
 * unspecified. s and why are borrowed.
 */
MUST_CHECK enum err proxy_list_parse(const char *s, struct proxy_list *out, char *why,
				     size_t why_size);

/* Whether a is in one of l's CIDRs. */
bool proxy_list_match(const struct proxy_list *l, const struct proxy_addr *a);

/*
 * Parse one address of len bytes (not NUL-terminated): an IPv4 or IPv6
 * literal, as X-Forwarded-For carries it, also "[v6]", "[v6]:port" and
 * "v4:port". No spaces. False when it is not exactly that.
 */
bool proxy_addr_parse(const char *s, size_t len, struct proxy_addr *out);

/*
 * The address of a struct sockaddr_in or sockaddr_in6 (sa is borrowed; len
 * is its size). False for other families or a short len.
 */
bool proxy_addr_from_sockaddr(const struct sockaddr *sa, size_t len, struct proxy_addr *out);

/*
 * Write a as text into out (size >= PROXY_ADDR_STRLEN): a v4-mapped
 * address in dotted IPv4 form, any other in RFC 5952 IPv6 form.
 */
void proxy_addr_format(const struct proxy_addr *a, char *out, size_t size);

/*
 * The effective client and scheme of a request from peer.
 *
 * xff is every X-Forwarded-For header's value joined with "," in the order
 * received, or NULL; xfp is the X-Forwarded-Proto value, or NULL. When peer
 * is not in l both are ignored: *client is peer and *scheme "http".
 * Otherwise the X-Forwarded-For elements are walked from the right: each
 * trusted address is a proxy hop and is skipped; the first untrusted one is
 * the client. A malformed element (or an empty one) ends the walk: the
 * client is then the last trusted hop seen, which is the peer when the
 * malformed element is the right-most; a chain of trusted addresses only
 * gives its left-most. X-Forwarded-Proto counts when its last
 * comma-separated element is "http" or "https" (any case).
 * *scheme is a static string. xff and xfp are borrowed.
 */
void proxy_resolve(const struct proxy_list *l, const struct proxy_addr *peer, const char *xff,
		   const char *xfp, struct proxy_addr *client, const char **scheme);

#endif
