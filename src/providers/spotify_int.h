/*
 * spotify_int.h - private seam between the src/providers/spotify_*.c files.
 *
 * Not a public header: only src/providers/spotify*.c include it.
 * spotify_url.c holds ids, links, request URLs and search clauses;
 * spotify_auth.c the token request, the token answer and the error bodies;
 * spotify_parse.c the fragment parsers. The ISRC and UPC checks, which
 * other providers share, are in provider_int.h.
 */
#ifndef MEDLEY_SPOTIFY_INT_H
#define MEDLEY_SPOTIFY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/common.h"
#include "medley/err.h"
#include "medley/spotify.h"

/*
 * Parse body (capped at SPOTIFY_MAX_BODY_BYTES) and check it is an object
 * that is not an error body; on success *out is the root for the caller to
 * cJSON_Delete(). Errors as in spotify.h's parser paragraph, *out NULL.
 */
MUST_CHECK enum err spotify_parse_object(const char *body, size_t len, cJSON **out,
					 const char **why);

#endif
