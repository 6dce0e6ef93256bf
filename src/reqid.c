/*
 * reqid.c - request id validation and generation.
 *
 * Generated ids are splitmix64 of a per-process random seed plus an atomic
 * counter: unique in the process, unpredictable enough across instances,
 * and no system call per request.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "medley/clock.h"
#include "medley/reqid.h"

static _Atomic uint64_t reqid_counter;
static uint64_t reqid_seed[2];
static atomic_flag reqid_seeded_flag = ATOMIC_FLAG_INIT;
static _Atomic int reqid_ready;

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void reqid_seed_once(void)
{
	if (atomic_load(&reqid_ready))
		return;
	if (!atomic_flag_test_and_set(&reqid_seeded_flag)) {
		if (getrandom(reqid_seed, sizeof(reqid_seed), 0) != (ssize_t)sizeof(reqid_seed)) {
			reqid_seed[0] = (uint64_t)clock_wall_us();
			reqid_seed[1] = (uint64_t)clock_mono_us() ^ 0x5bd1e995u;
		}
		atomic_store(&reqid_ready, 1);
	}
	while (!atomic_load(&reqid_ready))
		;
}

static bool tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

bool reqid_valid(const char *s, size_t max_len)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if (n == max_len || !tchar((unsigned char)s[n]))
			return false;
	return n > 0;
}

void reqid_assign(const char *client, char *out, size_t size)
{
	uint64_t n;

	if (size > 1 && reqid_valid(client, size - 1)) {
		memcpy(out, client, strlen(client) + 1);
		return;
	}
	reqid_seed_once();
	n = atomic_fetch_add(&reqid_counter, 1);
	snprintf(out, size, "%016llx%016llx", (unsigned long long)splitmix64(reqid_seed[0] + n),
		 (unsigned long long)splitmix64(reqid_seed[1] ^ n));
}
