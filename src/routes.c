/*
 * routes.c - every route medley serves, in one table.
 *
 * Add a row here to add an endpoint; the router, the metrics labels and the
 * access log pick it up from this table. HEAD is served wherever GET is.
 */
#include "medley/handlers.h"
#include "medley/routes.h"

// clang-format off
const struct route routes_table[] = {
	/* methods   pattern       handler          name */
	{ HTTP_GET,  "/health",    handle_health,   "health" },
	{ HTTP_GET,  "/ready",     handle_ready,    "ready" },
	{ HTTP_GET,  "/metrics",   handle_metrics,  "metrics" },
	{ HTTP_GET,  "/v1/artists/{mbid}",                handle_artist_get,            "artist.get" },
	{ HTTP_GET,  "/v1/artists/{mbid}/release-groups", handle_artist_release_groups, "artist.release_groups" },
	{ HTTP_GET,  "/v1/release-groups/{mbid}",         handle_release_group_get,     "release_group.get" },
	{ HTTP_GET,  "/v1/release-groups/{mbid}/cover-art", handle_release_group_cover_art, "release_group.cover_art" },
	{ HTTP_GET,  "/v1/releases/{mbid}",               handle_release_get,           "release.get" },
	{ HTTP_GET,  "/v1/releases/{mbid}/cover-art",     handle_release_cover_art,     "release.cover_art" },
	{ HTTP_GET,  "/v1/recordings/{mbid}",             handle_recording_get,         "recording.get" },
	{ HTTP_GET,  "/v1/recordings/{mbid}/lyrics",      handle_recording_lyrics,      "recording.lyrics" },
	{ HTTP_GET,  "/v1/search",                        handle_search,                "search" },
	{ HTTP_GET,  "/v1/lookup",                        handle_lookup,                "lookup" },
	{ HTTP_GET,  "/v1/lyrics",                        handle_lyrics,                "lyrics" },
};
// clang-format on

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);

void routes_names(const char **names)
{
	for (size_t i = 0; i < routes_count; i++)
		names[i] = routes_table[i].name;
	names[routes_count] = "unknown";
}
