/*
 * hash.h - a string hash for medley's in-process tables.
 *
 * FNV-1a, 64 bits: fast on short keys. Not for anything an attacker could
 * flood (the tables it serves are keyed by validated ids and bounded).
 * Pure and reentrant.
 */
#ifndef MEDLEY_HASH_H
#define MEDLEY_HASH_H

#include <stdint.h>

/* FNV-1a of the NUL-terminated string s. */
uint64_t hash_str(const char *s);

#endif
