/*
 * discogs_int.h - private seam between the src/providers/discogs_*.c files.
 *
 * Not a public header: only src/providers/discogs*.c include it.
 * discogs_url.c builds requests, discogs_text.c reads Discogs' text
 * conventions (profile markup, names, dates, durations, positions,
 * barcodes), discogs_parse.c builds the fragments with the helpers every
 * provider shares (provider_int.h).
 *
 * Nothing here can fail: a value that does not read is reported as absent
 * (false, NULL or -1) and the caller leaves the member at its empty value.
 */
#ifndef MEDLEY_DISCOGS_INT_H
#define MEDLEY_DISCOGS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "medley/buf.h"
#include "medley/discogs.h"

/* Longest date kept: "YYYY-MM-DD". */
#define DISCOGS_DATE_LEN 10

/* Longest name, credit or profile built from Discogs' pieces. */
#define DISCOGS_MAX_TEXT_BYTES (256u * 1024)

/*
 * Append the profile text with Discogs' markup removed (see discogs.h),
 * "\r\n" and lone "\r" as "\n", and surrounding blanks trimmed.
 */
void discogs_profile_text(const char *s, struct buf *out);

/* Append name[0..n) without a trailing " (<digits>)" disambiguation suffix. */
void discogs_add_name(struct buf *out, const char *name, size_t n);

/* True if name ends with a disambiguation suffix. */
bool discogs_name_has_suffix(const char *name);

/*
 * The credit of an "artists" array: each name (its "anv" when not empty),
 * without suffix, followed by its "join" (", " for "," or an empty join
 * between two names, else " <join> "). Appended to out; nothing when the
 * array holds no name.
 */
void discogs_credit(const cJSON *artists, struct buf *out);

/*
 * A Discogs date ("1987", "1987-07-00", "1987-00-00", "1987-07-12") as
 * exactly as precise as given into out; false for "0000...", "" or any
 * other shape.
 */
bool discogs_date(const char *s, char out[DISCOGS_DATE_LEN + 1]);

/* A duration "m:ss" or "h:mm:ss" in milliseconds, or -1. */
long long discogs_duration_ms(const char *s);

/* The disc number of a position like "1-2" or "2.05", or 0 when it has none. */
long discogs_position_disc(const char *s);

/* A barcode's digits into out (8 to 14, separated only by blanks, '-' or '.'); else false. */
bool discogs_barcode(const char *s, char out[15]);

/* True if url is Discogs' placeholder image (spacer.gif). */
bool discogs_is_spacer(const char *url);

#endif
