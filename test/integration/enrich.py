"""Environment for a medley that enriches from the fake providers (test/fake/providers)."""
from mb import mb_env

# The keys the fakes accept (see each fake's CATALOGUE.md).
KEYS = {
    "MEDLEY_PROVIDERS_LASTFM_API_KEY": "test-lastfm-key",
    "MEDLEY_PROVIDERS_FANARTTV_API_KEY": "test-fanart-key",
    "MEDLEY_PROVIDERS_THEAUDIODB_API_KEY": "test-tadb-key",
    "MEDLEY_PROVIDERS_SPOTIFY_CLIENT_ID": "test-spotify-id",
    "MEDLEY_PROVIDERS_SPOTIFY_CLIENT_SECRET": "test-spotify-secret",
    "MEDLEY_PROVIDERS_DISCOGS_API_KEY": "test-discogs-token",
}

PATHS = {
    "coverartarchive": "/caa",
    "deezer": "/deezer",
    "itunes": "/itunes",
    "discogs": "/discogs",
    "lrclib": "/lrclib/api",
    "lastfm": "/lastfm/2.0",
    "spotify": "/spotify/v1",
    "fanarttv": "/fanarttv/v3",
    "theaudiodb": "/theaudiodb/api/v1/json",
    "wikidata": "/wikidata/w/api.php",
}


def enrich_env(fake, db_url, keys=True, **extra):
    """mb_env plus every provider at the fake, fast limits, and (keys) their keys."""
    env = mb_env(fake, db_url)
    for p, path in PATHS.items():
        P = p.upper()
        env[f"MEDLEY_PROVIDERS_{P}_BASE_URL"] = fake.url + path
        env[f"MEDLEY_PROVIDERS_{P}_RATE_PER_S"] = "200"
        env[f"MEDLEY_PROVIDERS_{P}_BURST"] = "50"
        env[f"MEDLEY_PROVIDERS_{P}_CONCURRENCY"] = "8"
        env[f"MEDLEY_PROVIDERS_{P}_TIMEOUT_MS"] = "3000"
        env[f"MEDLEY_PROVIDERS_{P}_RETRIES"] = "0"
    env["MEDLEY_PROVIDERS_SPOTIFY_AUTH_URL"] = fake.url + "/spotify/api/token"
    env["MEDLEY_PROVIDERS_WIKIDATA_WIKIPEDIA_URL"] = fake.url + "/wikipedia/{lang}"
    if keys:
        env.update(KEYS)
    env.update({k: str(v) for k, v in extra.items()})
    return env
