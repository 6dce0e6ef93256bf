/*
 * hash.c - FNV-1a string hashing (see hash.h).
 */
#include "medley/hash.h"

uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}
