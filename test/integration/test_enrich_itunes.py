"""The iTunes adapter (src/enrich/itunes.c) end to end against the fake iTunes Search API
(test/fake/providers/itunes.py, fixtures/itunes/CATALOGUE.md): album and track artwork in
images, Apple ids in external_ids, each way of finding the entity (url relation, UPC,
search with corroboration), the two Nirvanas kept apart, a stale link, ties between
Apple's duplicate listings, errors, and how few calls it makes (Apple allows ~20/min)."""
import copy
import json
import pathlib

import pytest

from enrich import enrich_env
from mb import DYLAN, NIRVANA, NIRVANA_UK, COHEN, NEVERMIND, NEVERMIND_RG

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fake" / "fixtures"

HORMOANING = "546f8c86-c8b4-4042-9007-1f2b007889c1"      # release, no barcode: search
TEEN_SPIRIT_SINGLE = "f29a1534-2561-4c49-b76b-001e171a5593"
SIMOPATH = "79e74682-0d6d-458e-8b68-30c6c9c5db93"        # the UK Nirvana's album
UNPLUGGED = "492170c2-aae7-4554-8816-f866130303eb"       # barcode Apple does not know
DARKER_RG = "006815ce-3b9c-4c05-8ce7-15895ffa080b"
POLLY = "00c62f21-3bba-48ef-96da-a49b926d87cc"            # studio: on Apple
POLLY_LIVE = "7b03d036-8cc0-449a-bc20-8bc0e6fb6a3a"       # same title, live: not on Apple
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"      # on Nevermind and on the single


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def itunes_calls(fake):
    return [r for r in fake.requests("/itunes/")]


@pytest.fixture
def em(medley, fake, db_url):
    def start(**extra):
        m = medley(env=enrich_env(fake, db_url, **extra))
        m.wait_ready()
        return m
    return start


def get(m, path):
    r = m.get(path)
    assert r.status == 200, r.body
    return r.json()


def mb_with_link(fake, kind, mbid, url):
    """Serve the fake MusicBrainz's document of mbid with one more url relation."""
    doc = json.loads((FIXTURES / "musicbrainz" / kind / f"{mbid}.json").read_text("utf-8"))
    doc = copy.deepcopy(doc)
    doc.setdefault("relations", []).append({
        "type": "streaming", "type-id": "320adf26-96fa-4183-9045-1f5f32f833cb",
        "target-type": "url", "direction": "forward", "begin": None, "end": None,
        "ended": False, "attributes": [], "attribute-ids": {}, "attribute-values": {},
        "source-credit": "", "target-credit": "",
        "url": {"id": "00000000-0000-4000-8000-0000000000a1", "resource": url}})
    fake.add_fault(f"^/ws/2/{kind}/{mbid}$", "body", body=doc)


# ---- albums ---------------------------------------------------------------------------

def test_release_by_upc_gives_front_cover_with_thumbnails(em, fake):
    doc = get(em(), f"/v1/releases/{NEVERMIND}?include=images")
    assert sources(doc)["itunes"] == "ok"
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8200002" and e["match"] == {"method": "upc", "score": 1}
    assert e["url"].startswith("https://music.apple.com/")
    fronts = [i for i in doc["images"] if i["provider"] == "itunes"]
    assert len(fronts) == 1 and fronts[0]["type"] == "front"
    assert fronts[0]["url"].endswith("/1200x1200bb.jpg")
    assert set(fronts[0]["thumbnails"]) == {"250", "500", "1200"}
    assert fronts[0]["thumbnails"]["250"].endswith("/250x250bb.jpg")
    assert "8200002" in doc["external_ids"]["apple_music"]
    calls = itunes_calls(fake)
    assert len(calls) == 1 and calls[0].path == "/itunes/lookup"
    assert calls[0].arg("upc") == "720642442524"


def test_release_group_by_a_release_barcode(em, fake):
    doc = get(em(), f"/v1/release-groups/{DARKER_RG}?include=images")
    assert doc["enrichment"]["itunes"]["id"] == "8200005"
    assert doc["enrichment"]["itunes"]["match"]["method"] == "upc"
    assert fake.count("/itunes/search") == 0


def test_release_group_by_upc(em):
    doc = get(em(), f"/v1/release-groups/{NEVERMIND_RG}?include=images")
    assert doc["enrichment"]["itunes"]["id"] == "8200002"


@pytest.mark.parametrize("mbid, apple_id", [
    (HORMOANING, "8200003"),          # "Hormoaning - EP" at Apple
    (TEEN_SPIRIT_SINGLE, "8200004"),  # "... - Single"
    (SIMOPATH, "8200006"),            # the UK Nirvana's; MB has no barcode
])
def test_release_by_search(em, fake, mbid, apple_id):
    doc = get(em(), f"/v1/releases/{mbid}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == apple_id
    assert e["match"]["method"] == "search" and 0.85 <= e["match"]["score"] <= 1
    assert any(i["provider"] == "itunes" and i["type"] == "front" for i in doc["images"])
    # one search; the hit is the fragment, no second call
    assert [r.path for r in itunes_calls(fake)] == ["/itunes/search"]
    assert itunes_calls(fake)[0].arg("entity") == "album"


def test_unknown_barcode_falls_back_to_search_then_not_found(em, fake):
    doc = get(em(), f"/v1/releases/{UNPLUGGED}?include=images")
    assert sources(doc)["itunes"] == "not_found"
    assert "itunes" not in doc["enrichment"]
    assert [r.path for r in itunes_calls(fake)] == ["/itunes/lookup", "/itunes/search"]


def test_release_by_url_relation(em, fake):
    mb_with_link(fake, "release", HORMOANING,
                 "https://music.apple.com/us/album/hormoaning-ep/8200003")
    doc = get(em(), f"/v1/releases/{HORMOANING}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8200003" and e["match"] == {"method": "mb_relation", "score": 1}
    calls = itunes_calls(fake)
    assert len(calls) == 1 and calls[0].arg("id") == "8200003"
    assert calls[0].arg("entity") == "song"


def test_stale_album_link_falls_back_to_search(em, fake):
    mb_with_link(fake, "release", HORMOANING, "https://music.apple.com/us/album/gone/1")
    doc = get(em(), f"/v1/releases/{HORMOANING}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8200003" and e["match"]["method"] == "search"
    assert [r.path for r in itunes_calls(fake)] == ["/itunes/lookup", "/itunes/search"]


# ---- recordings -----------------------------------------------------------------------

def test_recording_by_search(em, fake):
    doc = get(em(), f"/v1/recordings/{POLLY}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8300015" and e["match"]["method"] == "search"
    # the track's image is its album's cover
    assert any(i["provider"] == "itunes" and i["type"] == "front" for i in doc["images"])
    assert "8300015" in doc["external_ids"]["apple_music"]
    calls = itunes_calls(fake)
    assert len(calls) == 1 and calls[0].arg("entity") == "song"


def test_same_title_other_recording_is_not_taken(em):
    """The live Polly is not the studio one Apple has: the durations differ."""
    doc = get(em(), f"/v1/recordings/{POLLY_LIVE}?include=images")
    assert sources(doc)["itunes"] == "not_found"
    assert not any(i["provider"] == "itunes" for i in doc["images"])


def test_recording_listed_twice_by_apple(em):
    """Apple lists the song on Nevermind and on the single (two track ids, one
    recording): one of them is taken, not "ambiguous"."""
    doc = get(em(), f"/v1/recordings/{TEEN_SPIRIT}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["match"]["method"] == "search"
    # Nevermind's track 1 (8300010) and the single's (8300029) tie: Apple's first wins
    assert e["id"] == "8300010", e


def test_same_title_by_another_artist_id_is_ambiguous(em, fake):
    """Two Apple artists named Nirvana with the same song at the same length: no way to
    tell which is MusicBrainz's, so neither is taken."""
    album = json.loads((FIXTURES / "itunes" / "album" / "8200002.json").read_text("utf-8"))
    polly = next(t for t in album["results"] if t.get("trackName") == "Polly")
    other = dict(polly, trackId=9300001, artistId=8100004, collectionId=9200001)
    fake.add_fault("^/itunes/search$", "body", body={"resultCount": 2,
                                                     "results": [polly, other]})
    doc = get(em(), f"/v1/recordings/{POLLY}?include=images")
    assert sources(doc)["itunes"] == "not_found"


def test_recording_by_url_relation(em, fake):
    mb_with_link(fake, "recording", POLLY, "https://music.apple.com/us/song/polly/8300015")
    doc = get(em(), f"/v1/recordings/{POLLY}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8300015" and e["match"] == {"method": "mb_relation", "score": 1}
    assert [r.arg("id") for r in itunes_calls(fake)] == ["8300015"]


# ---- artists --------------------------------------------------------------------------

def test_same_name_artists_kept_apart(em, fake):
    """Two Nirvanas at Apple: each MusicBrainz Nirvana gets the one whose albums or songs
    are its own. The US one's Apple link is stale in the fake (id 112018)."""
    m = em()
    us = get(m, f"/v1/artists/{NIRVANA}?include=images")
    uk = get(m, f"/v1/artists/{NIRVANA_UK}?include=images")
    assert us["enrichment"]["itunes"]["id"] == "8100002"
    assert uk["enrichment"]["itunes"]["id"] == "8100004"
    assert us["enrichment"]["itunes"]["match"]["method"] == "search"
    assert uk["enrichment"]["itunes"]["match"]["method"] == "search"
    assert us["external_ids"]["apple_music"] != uk["external_ids"].get("apple_music")
    assert "8100004" not in us["external_ids"]["apple_music"]
    # the UK one: its namesake's three albums share no title (no call for its songs),
    # its own single album needs its songs
    uk_calls = [(r.arg("id"), r.arg("entity")) for r in itunes_calls(fake)
                if r.path == "/itunes/lookup" and r.arg("id") in ("8100002", "8100004")]
    assert uk_calls[-3:] == [("8100002", "album"), ("8100004", "album"),
                             ("8100004", "song")], uk_calls


def test_artist_corroborated_by_albums_costs_few_calls(em, fake):
    m = em()
    get(m, f"/v1/artists/{NIRVANA}?include=images")
    paths = [(r.path, r.arg("id"), r.arg("entity")) for r in itunes_calls(fake)]
    # the stale link, the search, then the first candidate's albums were enough
    assert paths == [("/itunes/lookup", "112018", None),
                     ("/itunes/search", None, "musicArtist"),
                     ("/itunes/lookup", "8100002", "album")], paths


def test_artist_with_one_album_corroborated_by_songs(em, fake):
    doc = get(em(), f"/v1/artists/{COHEN}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8100003" and e["match"]["method"] == "search"
    entities = [r.arg("entity") for r in itunes_calls(fake) if r.path == "/itunes/lookup"]
    assert entities == ["album", "song"]
    assert doc["images"] == [] or all(i["provider"] != "itunes" for i in doc["images"])


def test_artist_by_url_relation(em, fake):
    """Bob Dylan's MusicBrainz links name Apple artist 462006; served here."""
    art = json.loads((FIXTURES / "itunes" / "artist" / "8100001.json").read_text("utf-8"))
    art = dict(art, artistId=462006,
               artistLinkUrl="https://music.apple.com/us/artist/bob-dylan/462006?uo=4")
    fake.add_fault("^/itunes/lookup$", "body", query=r"(^|&)id=462006(&|$)",
                   body={"resultCount": 1, "results": [art]},
                   content_type="text/javascript; charset=utf-8")
    doc = get(em(), f"/v1/artists/{DYLAN}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "462006" and e["match"] == {"method": "mb_relation", "score": 1}
    assert "462006" in doc["external_ids"]["apple_music"]
    assert len(itunes_calls(fake)) == 1  # no search, no corroboration


def test_stale_artist_link_falls_back_to_search(em, fake):
    doc = get(em(), f"/v1/artists/{DYLAN}?include=images")
    e = doc["enrichment"]["itunes"]
    assert e["id"] == "8100001" and e["match"]["method"] == "search"


def test_artist_without_namesake_at_apple_asks_nothing_more(em, fake):
    bare = "83cba9fc-8173-4adb-89da-1c6dfcbcf27a"  # Tape Hiss Quartet
    doc = get(em(), f"/v1/artists/{bare}?include=images")
    assert sources(doc)["itunes"] == "not_found"
    assert [r.path for r in itunes_calls(fake)] == ["/itunes/search"]


# ---- configuration, errors ------------------------------------------------------------

def test_no_key_needed(em):
    doc = get(em(keys=False), f"/v1/releases/{NEVERMIND}?include=images")
    assert sources(doc)["itunes"] == "ok"


def test_disabled_provider_is_reported(em, fake):
    doc = get(em(MEDLEY_PROVIDERS_ITUNES_ENABLED=0), f"/v1/releases/{NEVERMIND}?include=images")
    assert sources(doc)["itunes"] == "disabled"
    assert fake.count("/itunes/") == 0


def test_not_consulted_without_images(em, fake):
    doc = get(em(), f"/v1/releases/{NEVERMIND}?include=popularity")
    assert "itunes" not in sources(doc)
    assert fake.count("/itunes/") == 0


def test_throttled_is_an_error_retried_later(em, fake):
    m = em()
    fake.add_fault("^/itunes/", "status", times=1, status=403)
    doc = get(m, f"/v1/releases/{NEVERMIND}?include=images")
    assert sources(doc)["itunes"] == "error"
    assert not any(i["provider"] == "itunes" for i in doc["images"])
    # remembered for a while: the next request does not ask Apple again
    doc = get(m, f"/v1/releases/{NEVERMIND}?include=images")
    assert sources(doc)["itunes"] == "error" and fake.count("/itunes/") == 1


def test_throttled_while_corroborating_is_an_error_not_a_miss(em, fake):
    m = em()
    fake.add_fault("^/itunes/lookup$", "status", status=403, query="entity=album")
    doc = get(m, f"/v1/artists/{NIRVANA_UK}?include=images")
    assert sources(doc)["itunes"] == "error"


def test_apple_error_message_is_an_error(em, fake):
    fake.add_fault("^/itunes/", "body", status=200,
                   body={"errorMessage": "Invalid value(s) for key(s): [resultEntity]",
                         "queryParameters": {}})
    doc = get(em(), f"/v1/releases/{NEVERMIND}?include=images")
    assert sources(doc)["itunes"] == "error"


def test_hostile_answer_is_an_error_not_a_crash(em, fake):
    m = em()
    fake.add_fault("^/itunes/", "invalid_json")
    doc = get(m, f"/v1/recordings/{POLLY}?include=images")
    assert sources(doc)["itunes"] == "error"
    assert m.get("/health").status == 200


def test_fragment_is_cached(em, fake):
    m = em()
    get(m, f"/v1/releases/{HORMOANING}?include=images")
    n = fake.count("/itunes/")
    doc = get(m, f"/v1/releases/{HORMOANING}?include=images")
    assert sources(doc)["itunes"] == "ok" and fake.count("/itunes/") == n
