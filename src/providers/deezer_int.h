/*
 * deezer_int.h - private seam between src/providers/deezer_url.c (request
 * builders) and src/providers/deezer.c (parsers): the id check both apply,
 * to what the caller passes and to what Deezer sends. The ISRC and UPC
 * checks, which other providers share, are in provider_int.h.
 *
 * Not a public header: only src/providers/deezer*.c include it. Pure and
 * reentrant.
 */
#ifndef MEDLEY_DEEZER_INT_H
#define MEDLEY_DEEZER_INT_H

#include <stdbool.h>

#include "medley/deezer.h"

/* True if s is a Deezer id: 1 to DEEZER_MAX_ID_DIGITS digits, no leading zero. */
bool deezer_valid_id(const char *s);

#endif
