"""Shared helpers for the MusicBrainz-backed tests: ids from the fake's catalogue
(test/fake/fixtures/musicbrainz/CATALOGUE.md) and a medley wired to the fake."""

DYLAN = "72c536dc-7137-4477-a521-567eeb840fa8"
NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
NIRVANA_UK = "384256c2-bb82-4af4-b9b9-da7c94f83654"
COHEN = "65314b12-0e08-43fa-ba33-baaa7b874c15"
BARE = "83cba9fc-8173-4adb-89da-1c6dfcbcf27a"
MERGED = "6e2c10cb-fda3-4b40-9312-fea63ebe27cc"   # old id of Leonard Cohen
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NEVERMIND_RG = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
NEVERMIND = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"
HIGHWAY61_RG = "72d13b02-3af4-4b58-80a0-8685f6fb7374"


def mb_env(fake, db_url, **extra):
    """Environment for a medley that asks the fake, fast enough for tests."""
    env = {
        "MEDLEY_DATABASE_URL": db_url,
        "MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL": fake.musicbrainz_url,
        "MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S": "200",
        "MEDLEY_PROVIDERS_MUSICBRAINZ_BURST": "50",
        "MEDLEY_PROVIDERS_MUSICBRAINZ_CONCURRENCY": "8",
        "MEDLEY_PROVIDERS_MUSICBRAINZ_TIMEOUT_MS": "3000",
        "MEDLEY_PROVIDERS_MUSICBRAINZ_RETRIES": "0",
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


def mb_count(fake):
    return fake.count("/ws/2/")
