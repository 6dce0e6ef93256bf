/*
 * sha256.h - SHA-256 digests as hex strings.
 *
 * Pure, reentrant, no allocation. Used for migration checksums; verified
 * against the FIPS 180-4 example vectors in test/unit/test_sha256.c.
 */
#ifndef MEDLEY_SHA256_H
#define MEDLEY_SHA256_H

#include <stddef.h>

/* 64 lowercase hex digits and a NUL. */
#define SHA256_HEX_LEN 65

/* Write the SHA-256 of data[0..len) into out as lowercase hex. data may be NULL when len is 0. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);

#endif
