/*
 * match_int.h - what the match module's files share (match.c,
 * match_side.c, match_text.c, match_links.c); not for other modules. See
 * match.h. Everything here is reentrant.
 */
#ifndef MEDLEY_MATCH_INT_H
#define MEDLEY_MATCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "medley/match.h"
#include "medley/musicbrainz.h"

/* Longest id read from a link; longer ones are not ids we know. */
#define MATCH_LINK_ID_BYTES 256u

/* Link ids kept per MusicBrainz document. */
#define MATCH_MAX_LINK_IDS 32u

/* The entity kinds as bits, so a link form can serve several. */
enum match_kind {
	MK_ARTIST = 1u << 0,
	MK_RELEASE_GROUP = 1u << 1,
	MK_RELEASE = 1u << 2,
	MK_RECORDING = 1u << 3,
};

/* The bit of "artist", "release-group", "release", "recording"; 0 for anything else. */
unsigned match_kind_bit(const char *kind);

/* Decode one UTF-8 character of s[0..n) (n > 0); returns its length, *cp = UINT32_MAX if invalid. */
size_t match_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Normalize s (up to MATCH_MAX_TEXT_BYTES) into out (MATCH_NORM_BYTES):
 * match.h's name rules; title adds the decorations. Returns the length.
 */
size_t match_norm(const char *s, bool title, char *out);

/* A key for an ISRC / a barcode (a GTIN as a number); false when s is not one. */
bool match_isrc_key(const char *s, uint64_t *out);
bool match_upc_key(const char *s, uint64_t *out);

/* True for normalized titles too generic to tell two artists apart ("intro"). */
bool match_generic_title(const char *norm);

/* One id that a MusicBrainz url relation names. */
struct match_link {
	enum provider_id p;
	unsigned kinds; /* match_kind bits the URL form names */
	char id[MATCH_LINK_ID_BYTES];
};

/*
 * The provider id that url names, by match.h's table; false for any other
 * URL, and for an id of MATCH_LINK_ID_BYTES or more (not an id we know).
 */
bool match_link_parse(const char *url, struct match_link *out);

/* Two ids of provider p are the same (Last.fm names ignore ASCII case). */
bool match_link_id_equal(enum provider_id p, const char *a, const char *b);

/* Two http(s) URLs name the same page: host without "www." and case, path without a final "/". */
bool match_same_url(const char *a, const char *b);

/* MBIDs kept per side: a release group's own and its (at most 25) releases'. */
#define MATCH_MAX_MBIDS 32u

/* Album titles kept for a recording (its releases and their groups). */
#define MATCH_MAX_ALBUMS 64u

/* A set of 64-bit keys (hashes of normalized titles, ISRCs, GTINs), sorted once read. */
struct match_keyset {
	uint64_t *v; /* xmalloc'd on first add */
	size_t n, max;
};

/* How many keys two sealed sets share. */
size_t match_keyset_common(const struct match_keyset *a, const struct match_keyset *b);

/* One side of a comparison (match_side.c): what the judges (match.c) look at. */
struct match_side {
	unsigned kind;		      /* one MK_ bit */
	const struct cJSON *doc;      /* the document or fragment read */
	const char *provider;	      /* fragment: its provider; NULL for MusicBrainz */
	const char *id;		      /* its id */
	char *names[MATCH_MAX_NAMES]; /* normalized: an artist's names, else the credited artists */
	size_t n_names;
	char *title;		    /* albums and recordings: the normalized title */
	struct match_keyset titles; /* works (artists), tracks (albums) */
	struct match_keyset albums; /* recordings: album titles */
	struct match_keyset isrcs, upcs;
	char mbids[MATCH_MAX_MBIDS][MB_MBID_LEN + 1];
	size_t n_mbids;
	struct match_link links[MATCH_MAX_LINK_IDS]; /* MusicBrainz: ids its url relations name */
	size_t n_links;
	long long year, length_ms, track_count; /* -1: unknown */
	bool skip_generic; /* titles too generic to corroborate an artist are left out */
};

/*
 * A new empty side (match_side_free() frees it); skip_generic leaves out
 * titles too generic to corroborate an artist. match_side_reset() empties
 * it for another fragment, keeping its memory.
 */
struct match_side *match_side_new(bool skip_generic);
void match_side_reset(struct match_side *s);
void match_side_free(struct match_side *s);

/* Read a MusicBrainz document, with the MusicBrainz members of ev (may be NULL). */
void match_side_read_mb(struct match_side *s, const struct cJSON *doc,
			const struct match_evidence *ev);

/* Read a provider fragment, with ev's cand_titles (ev may be NULL). */
void match_side_read_cand(struct match_side *s, const struct cJSON *frag,
			  const struct match_evidence *ev);

#endif
