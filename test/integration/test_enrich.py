"""Enrichment end to end: the engine (fan-out, deadlines, caching, sources statuses), the
cover-art and lyrics views, cross-service lookups, and the Deezer, Cover Art Archive and
LRCLib adapters against their fakes (test/fake/providers)."""
import json
import time

import pytest

from conftest import SLOW
from enrich import enrich_env
from mb import NIRVANA
from test_cache import metric

NEVERMIND = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"          # release: CAA art, UPC on Deezer
NEVERMIND_RG = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
NO_ART = "063ee4b7-a148-4672-925e-1502755f6587"             # a release CAA has nothing for
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"        # recording: ISRC, synced lyrics
COME_AS_LIVE = "aa4f1314-1076-491a-8017-f6e8139cf603"       # same title as the studio one
COME_AS_STUDIO = "0702cd61-7192-4921-b068-114e7a7c250b"
TREATY = "79c51f7b-2da1-43ea-9a2e-d1df0e3a15d9"             # instrumental
NIRVANA_UK = "384256c2-bb82-4af4-b9b9-da7c94f83654"


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


@pytest.fixture
def em(medley, fake, db_url):
    """A medley enriching from the fakes."""
    def start(**extra):
        m = medley(env=enrich_env(fake, db_url, **extra))
        m.wait_ready()
        return m
    return start


# ---- views: cover art ------------------------------------------------------------------

def test_cover_art_list_ranked(em, fake):
    m = em()
    r = m.get(f"/v1/releases/{NEVERMIND}/cover-art")
    assert r.status == 200, r.body
    doc = r.json()
    assert doc["kind"] == "cover-art" and doc["id"] == NEVERMIND
    types = [i["type"] for i in doc["images"]]
    assert types[0] == "front" and "back" in types and "booklet" in types
    assert all(i["provider"] == "coverartarchive" for i in doc["images"])
    assert sources(doc)["coverartarchive"] == "ok"
    assert fake.count("/caa/release/") == 1


def test_cover_art_release_group(em):
    m = em()
    r = m.get(f"/v1/release-groups/{NEVERMIND_RG}/cover-art")
    assert r.status == 200, r.body
    assert r.json()["images"][0]["type"] == "front"


def test_cover_art_redirect_front_at_size(em):
    m = em()
    r = m.get(f"/v1/releases/{NEVERMIND}/cover-art?redirect=front&size=500")
    assert r.status == 302
    assert r.header("Location").endswith("-500.jpg")
    r = m.get(f"/v1/releases/{NEVERMIND}/cover-art?redirect=front")
    assert r.status == 302 and not r.header("Location").endswith("-500.jpg")


def test_no_art_is_404(em):
    m = em()
    r = m.get(f"/v1/releases/{NO_ART}/cover-art")
    assert r.status == 404
    assert r.header("Content-Type") == "application/problem+json"


@pytest.mark.parametrize("q", ["size=300", "size=abc", "redirect=back"])
def test_cover_art_bad_parameters(em, q):
    assert em().get(f"/v1/releases/{NEVERMIND}/cover-art?{q}").status == 400


# ---- views: lyrics ---------------------------------------------------------------------

def test_lyrics_synced_and_plain(em):
    doc = em().get(f"/v1/recordings/{TEEN_SPIRIT}/lyrics").json()
    assert doc["kind"] == "lyrics" and doc["source"] == "lrclib"
    assert doc["synced"].startswith("[") and doc["plain"] and doc["instrumental"] is False


def test_lyrics_duration_picks_the_version(em):
    m = em()
    live = m.get(f"/v1/recordings/{COME_AS_LIVE}/lyrics").json()
    studio = m.get(f"/v1/recordings/{COME_AS_STUDIO}/lyrics").json()
    assert live["plain"] and studio["plain"]
    assert live["enrichment"]["lrclib"]["id"] == "28000003"
    assert studio["enrichment"]["lrclib"]["id"] == "28000002"


def test_lyrics_instrumental(em):
    doc = em().get(f"/v1/recordings/{TREATY}/lyrics").json()
    assert doc["instrumental"] is True and doc["plain"] is None and doc["synced"] is None


def test_lyrics_by_names(em):
    m = em()
    a = m.get("/v1/lyrics?artist=Nirvana&title=Come%20as%20You%20Are&duration=253").json()
    b = m.get("/v1/lyrics?artist=Nirvana&title=Come%20as%20You%20Are&duration=219").json()
    assert a["enrichment"]["lrclib"]["id"] == "28000003"
    assert b["enrichment"]["lrclib"]["id"] == "28000002"
    assert m.get("/v1/lyrics?artist=Nirvana&title=No%20Such%20Song").status == 404
    assert m.get("/v1/lyrics?title=x").status == 400
    assert m.get("/v1/lyrics?artist=a&title=b&duration=0").status == 400


# ---- merged documents ------------------------------------------------------------------

def test_release_merged_with_deezer_by_upc(em, fake):
    doc = em().get(f"/v1/releases/{NEVERMIND}?include=images,cover_art,popularity").json()
    st = sources(doc)
    assert st["musicbrainz"] == "ok" and st["coverartarchive"] == "ok" and st["deezer"] == "ok"
    assert doc["enrichment"]["deezer"]["id"] == "920002"
    assert doc["enrichment"]["deezer"]["match"]["method"] == "upc"
    assert doc["cover_art"] and "deezer" in doc["popularity"]
    assert fake.count("/deezer/search") == 0  # the barcode was enough


def test_recording_merged_by_isrc(em):
    doc = em().get(f"/v1/recordings/{TEEN_SPIRIT}?include=popularity").json()
    assert doc["enrichment"]["deezer"]["match"] == {"method": "isrc", "score": 1}
    assert "deezer" in doc["external_ids"]


def test_same_name_artists_kept_apart(em):
    """Two Nirvanas on Deezer: each MusicBrainz Nirvana gets the one whose tracks are its
    own, never the other's pictures."""
    m = em()
    us = m.get(f"/v1/artists/{NIRVANA}?include=images").json()
    uk = m.get(f"/v1/artists/{NIRVANA_UK}?include=images").json()
    assert us["enrichment"]["deezer"]["id"] == "910002"
    assert uk["enrichment"]["deezer"]["id"] == "910004"
    assert us["enrichment"]["deezer"]["match"]["method"] == "search"
    us_imgs = {i["url"] for i in us["images"]}
    uk_imgs = {i["url"] for i in uk["images"]}
    assert us_imgs and uk_imgs and not (us_imgs & uk_imgs)


def test_include_selects_sections_and_providers(em, fake):
    m = em()
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=cover_art").json()
    assert "cover_art" in doc and "images" not in doc and "popularity" not in doc
    assert "coverartarchive" in sources(doc)
    plain = m.get(f"/v1/releases/{NEVERMIND}").json()
    assert "enrichment" not in plain and set(sources(plain)) == {"musicbrainz"}
    assert m.get(f"/v1/releases/{NEVERMIND}?include=pictures").status == 400


def test_default_include_from_config(em):
    m = em(MEDLEY_ENRICH_DEFAULT_INCLUDE="cover_art")
    doc = m.get(f"/v1/releases/{NEVERMIND}").json()
    assert doc["cover_art"]


def test_disabled_provider_is_reported(em):
    m = em(MEDLEY_PROVIDERS_DEEZER_ENABLED=0)
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=images,cover_art").json()
    assert sources(doc)["deezer"] == "disabled"
    assert sources(doc)["coverartarchive"] == "ok"


def test_fragments_are_cached(em, fake):
    m = em()
    m.get(f"/v1/releases/{NEVERMIND}?include=images,cover_art")
    before = fake.count("/caa/") + fake.count("/deezer/")
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=images,cover_art").json()
    assert fake.count("/caa/") + fake.count("/deezer/") == before
    assert sources(doc)["deezer"] == "ok"


def test_fragments_survive_a_restart(em, fake):
    em().get(f"/v1/releases/{NEVERMIND}?include=cover_art")
    fake.clear_requests()
    m2 = em()
    doc = m2.get(f"/v1/releases/{NEVERMIND}?include=cover_art").json()
    assert doc["cover_art"] and fake.count("/caa/") == 0


# ---- fan-out: parallel, deadlines, partial answers ---------------------------------------

def test_fan_out_costs_the_slowest_not_the_sum(em, fake):
    m = em()
    m.get(f"/v1/releases/{NEVERMIND}")  # MusicBrainz part cached
    fake.add_fault("^/caa/", "delay", seconds=1.0)
    fake.add_fault("^/deezer/", "delay", seconds=1.0)
    t0 = time.monotonic()
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=images,cover_art").json()
    took = time.monotonic() - t0
    assert sources(doc)["coverartarchive"] == "ok" and sources(doc)["deezer"] == "ok"
    assert 0.95 <= took < 1.8 * SLOW, took


def test_slow_provider_gives_a_partial_answer_on_time(em, fake):
    m = em(MEDLEY_SERVER_REQUEST_TIMEOUT_MS=1500)
    fake.add_fault("^/deezer/", "hang")
    t0 = time.monotonic()
    r = m.get(f"/v1/releases/{NEVERMIND}?include=images,cover_art")
    took = time.monotonic() - t0
    assert r.status == 200
    doc = r.json()
    assert sources(doc)["deezer"] == "timeout" and sources(doc)["coverartarchive"] == "ok"
    assert doc["cover_art"]
    assert took < 1.5 + 0.5 * SLOW, took
    assert r.header("Cache-Control") == "public, max-age=0"
    fake.clear_faults()


def test_error_part_is_retried_later(em, fake):
    m = em()
    fake.add_fault("^/caa/", "status", times=1, status=500)
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=cover_art").json()
    assert sources(doc)["coverartarchive"] == "error"
    # remembered for a short while: the next request does not hammer the provider
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=cover_art").json()
    assert sources(doc)["coverartarchive"] == "error"
    assert fake.count("/caa/") == 1


def test_hostile_provider_answer_is_an_error_not_a_crash(em, fake):
    m = em()
    fake.add_fault("^/caa/", "invalid_json")
    doc = m.get(f"/v1/releases/{NEVERMIND}?include=cover_art").json()
    assert sources(doc)["coverartarchive"] == "error"
    assert m.get("/health").status == 200


def test_single_flight_per_provider(em, fake):
    import threading
    m = em()
    m.get(f"/v1/releases/{NEVERMIND}")
    fake.add_fault("^/caa/", "delay", seconds=0.5)
    out = []
    ts = [threading.Thread(target=lambda: out.append(
        m.get(f"/v1/releases/{NEVERMIND}/cover-art").status)) for _ in range(10)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    assert out == [200] * 10
    assert fake.count("/caa/") == 1


# ---- cross-service lookups ---------------------------------------------------------------

def test_lookup_by_isrc(em):
    r = em().get("/v1/lookup?isrc=USGF19140001")
    assert r.status == 200, r.body
    m = r.json()["matches"]
    assert m[0]["id"] == TEEN_SPIRIT and m[0]["match"] == {"method": "isrc", "score": 1}


def test_lookup_by_barcode(em):
    m = em().get("/v1/lookup?barcode=720642442524").json()["matches"]
    assert NEVERMIND in [x["id"] for x in m]
    assert m[0]["match"]["method"] == "upc"


def test_lookup_by_foreign_id_after_a_lookup(em):
    m = em()
    m.get("/v1/artists/72c536dc-7137-4477-a521-567eeb840fa8")
    r = m.get("/v1/lookup?spotify=artist:74ASZWbe4lXaubB36ztrGX")
    assert r.status == 200
    assert r.json()["matches"][0]["id"] == "72c536dc-7137-4477-a521-567eeb840fa8"
    assert m.get("/v1/lookup?wikidata=Q392").json()["matches"][0]["kind"] == "artist"
    assert m.get("/v1/lookup?deezer=album:1").status == 404


@pytest.mark.parametrize("q", ["", "isrc=XX&barcode=1", "isrc=short", "barcode=12ab",
                               "spotify=artist", "spotify=planet:x", "wikidata=392"])
def test_lookup_bad_parameters(em, q):
    assert em().get(f"/v1/lookup?{q}").status == 400


def test_per_provider_pacing(em, fake):
    """Each provider keeps to its own bucket: Deezer at 2/s here, while the Cover Art
    Archive, asked for the same documents, is not held back by it."""
    m = em(MEDLEY_PROVIDERS_DEEZER_RATE_PER_S=2, MEDLEY_PROVIDERS_DEEZER_BURST=1,
           MEDLEY_SERVER_REQUEST_TIMEOUT_MS=20000)
    releases = [NEVERMIND, "492170c2-aae7-4554-8816-f866130303eb",
                "c9b2799a-52cc-4011-9920-f7101f119592", "6e9e2a20-aa88-4e64-a409-90882b0c0d8e"]
    import threading
    ts = [threading.Thread(target=lambda r=r: m.get(
        f"/v1/releases/{r}?include=images,cover_art", timeout=30)) for r in releases]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    deezer = sorted(r.monotonic for r in fake.requests("/deezer/"))
    caa = sorted(r.monotonic for r in fake.requests("/caa/"))
    assert len(deezer) >= 4 and len(caa) == 4
    gaps = [b - a for a, b in zip(deezer, deezer[1:])]
    assert min(gaps) >= 0.45, gaps
    assert caa[-1] - caa[0] < 0.5, caa


def test_crosswalk_records_matches_for_lookup(em, pg, db_url):
    """Every accepted match is recorded with its method and score, and /v1/lookup reads
    it: the Deezer album medley matched by barcode maps back to the MusicBrainz release."""
    m = em()
    m.get(f"/v1/releases/{NEVERMIND}?include=images")
    db = db_url.split("///")[1].split("?")[0]
    row = pg.psql("SELECT kind, mbid, method, score FROM crosswalk "
                  "WHERE provider = 'deezer' AND provider_id = '920002'", db=db)
    assert row == f"release|{NEVERMIND}|upc|1"
    r = m.get("/v1/lookup?deezer=album:920002")
    assert r.status == 200
    match = r.json()["matches"][0]
    assert match["id"] == NEVERMIND and match["match"] == {"method": "upc", "score": 1}


def test_lookup_asks_musicbrainz_url_lookup(em, fake):
    """A foreign id medley has not seen: MusicBrainz's url lookup says which entity links
    the provider's page (method mb_url); the answer is cached like any document."""
    m = em()
    r = m.get("/v1/lookup?deezer=artist:1032")
    assert r.status == 200, r.body
    match = r.json()["matches"][0]
    assert match["id"] == "72c536dc-7137-4477-a521-567eeb840fa8" and match["kind"] == "artist"
    assert match["match"] == {"method": "mb_url", "score": 1}
    req = fake.requests("/ws/2/url")[0]
    assert req.arg("resource") == "https://www.deezer.com/artist/1032"
    assert m.get("/v1/lookup?deezer=artist:1032").status == 200
    assert fake.count("/ws/2/url") == 1
    assert m.get("/v1/lookup?spotify=track:0000000000000000000000").status == 404


def test_merged_answer_served_from_memory(em, fake):
    """A complete merged answer is kept in memory: the next identical request is a hit
    with the same ETag and asks nobody; a partial one (a provider timed out) is not kept."""
    m = em()
    path = f"/v1/releases/{NEVERMIND}?include=images,cover_art"
    first = m.get(path)
    fake.clear_requests()
    again = m.get(path)
    assert metric(m, "medley_enrich_merged_hits_total") == 1  # nothing merged again
    assert again.json()["cache"]["status"] == "hit"
    assert again.header("ETag") == first.header("ETag")
    assert m.get(path, headers={"If-None-Match": first.header("ETag")}).status == 304
    assert fake.count() == 0
    # another include is another answer, not the kept one
    assert "popularity" in m.get(path + ",popularity").json()
    m2 = em(MEDLEY_SERVER_REQUEST_TIMEOUT_MS=1000)
    fake.add_fault("^/deezer/", "hang")
    rg = f"/v1/release-groups/{NEVERMIND_RG}?include=images"
    assert sources(m2.get(rg).json())["deezer"] == "timeout"
    fake.clear_faults()  # the hung request is answered: its job stores Deezer's part
    time.sleep(0.5 * SLOW)
    assert sources(m2.get(rg).json())["deezer"] == "ok"  # not the kept partial answer
