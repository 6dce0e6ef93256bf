/*
 * provider_id.h - the providers medley knows, as one list.
 *
 * PROVIDER_LIST generates enum provider_id, the stable names used in
 * configuration, documents ("sources"), logs and metric labels, so a
 * provider is added in one place. Pure; a leaf.
 */
#ifndef MEDLEY_PROVIDER_ID_H
#define MEDLEY_PROVIDER_ID_H

// clang-format off
#define PROVIDER_LIST(X)                                   \
	X(PROVIDER_MUSICBRAINZ,     "musicbrainz")         \
	X(PROVIDER_COVERARTARCHIVE, "coverartarchive")     \
	X(PROVIDER_DEEZER,          "deezer")              \
	X(PROVIDER_ITUNES,          "itunes")              \
	X(PROVIDER_DISCOGS,         "discogs")             \
	X(PROVIDER_LRCLIB,          "lrclib")              \
	X(PROVIDER_LASTFM,          "lastfm")              \
	X(PROVIDER_SPOTIFY,         "spotify")             \
	X(PROVIDER_FANARTTV,        "fanarttv")            \
	X(PROVIDER_THEAUDIODB,      "theaudiodb")          \
	X(PROVIDER_WIKIDATA,        "wikidata")
// clang-format on

enum provider_id {
#define PROVIDER_ENUM_ROW(id, name) id,
	PROVIDER_LIST(PROVIDER_ENUM_ROW)
#undef PROVIDER_ENUM_ROW
	PROVIDER__COUNT
};

/* Stable lowercase name ("musicbrainz"); "unknown" outside the list. Static storage. */
const char *provider_name(enum provider_id id);

#endif
