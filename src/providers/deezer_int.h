/*
 * deezer_int.h - private seam between src/providers/deezer_url.c (request
 * builders) and src/providers/deezer.c (parsers): the argument checks both
 * apply, to what the caller passes and to what Deezer sends.
 *
 * Not a public header: only src/providers/deezer*.c include it. Pure and
 * reentrant.
 */
#ifndef MEDLEY_DEEZER_INT_H
#define MEDLEY_DEEZER_INT_H

#include <stdbool.h>

#include "medley/deezer.h"

/* Length of an ISRC, without the NUL. */
#define DEEZER_ISRC_LEN 12

/* True if s is a Deezer id: 1 to DEEZER_MAX_ID_DIGITS digits, no leading zero. */
bool deezer_valid_id(const char *s);

/* True if s is 8 to 14 digits (EAN-8 to GTIN-14). */
bool deezer_valid_upc(const char *s);

/*
 * Copy s into out in uppercase when it is an ISRC ([A-Z]{2}[A-Z0-9]{3}[0-9]{7},
 * either case) and return true; false (out unspecified) otherwise or for NULL.
 */
bool deezer_normalize_isrc(const char *s, char out[DEEZER_ISRC_LEN + 1]);

#endif
