"""Tests of the fake TheAudioDB (test/fake/providers/theaudiodb.py).

They check that the plugin serves its catalogue in TheAudioDB's v1 format under
/theaudiodb/api/v1/json/<key>/: the three MBID lookups (artist-mb.php, album-mb.php,
track-mb.php) keyed by the fake MusicBrainz catalogue's MBIDs, the "nothing found" answers
({"artists": null}, ...), the HTML 404 page for a bad key or path, and that the catalogue
agrees with MusicBrainz's. No medley binary and no database are involved.
"""
import http.client
import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import fake_fixture  # noqa: E402

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "theaudiodb"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
BASE = "/theaudiodb/api/v1/json"
NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
COHEN = "65314b12-0e08-43fa-ba33-baaa7b874c15"
NIRVANA_UK = "384256c2-bb82-4af4-b9b9-da7c94f83654"
NEVERMIND_RG = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, path, headers={"User-Agent": "medley-tests/1 (+https://x.test)"})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def lookup(fake, script, mbid, key="2"):
    status, heads, body = get(fake, f"{BASE}/{key}/{script}?i={mbid}")
    assert status == 200
    assert heads["content-type"].startswith("application/json")
    return json.loads(body)


def test_artist_by_mbid(fake):
    doc = lookup(fake, "artist-mb.php", NIRVANA)
    assert list(doc) == ["artists"] and len(doc["artists"]) == 1
    a = doc["artists"][0]
    assert a["idArtist"] == "111319" and a["strArtist"] == "Nirvana"
    assert a["intFormedYear"] == "1987" and a["intMembers"] == "3"  # numbers as strings
    assert a["strBiographyEN"] and a["strBiographyDE"] and a["strBiographyFR"]
    assert "\r\n" in a["strBiographyEN"]
    assert a["strBiographyCN"] == "" and a["strBiographyJP"] is None
    assert a["strArtistFanart3"] == a["strArtistFanart"]
    req = fake.requests("/theaudiodb/")[0]
    assert req.arg("i") == NIRVANA
    assert req.header("User-Agent").startswith("medley-tests/")


@pytest.mark.parametrize("key", ["2", "123", "test-tadb-key"])
def test_every_accepted_key(fake, key):
    assert lookup(fake, "artist-mb.php", COHEN, key)["artists"][0]["idArtist"] == "111428"


def test_mbid_case_is_ignored(fake):
    assert lookup(fake, "artist-mb.php", COHEN.upper())["artists"][0]["strArtist"] == \
        "Leonard Cohen"


def test_album_and_track(fake):
    album = lookup(fake, "album-mb.php", NEVERMIND_RG)["album"][0]
    assert album["strAlbum"] == "Nevermind" and album["intYearReleased"] == "1991"
    assert album["strMusicBrainzArtistID"] == NIRVANA
    track = lookup(fake, "track-mb.php", TEEN_SPIRIT)["track"][0]
    assert track["strTrack"] == "Smells Like Teen Spirit"
    assert track["intDuration"] == "301920"
    assert track["strMusicBrainzAlbumID"] == NEVERMIND_RG


@pytest.mark.parametrize("script,member,mbid", [
    ("artist-mb.php", "artists", NIRVANA_UK),
    ("album-mb.php", "album", NIRVANA),          # an artist MBID is no release group
    ("track-mb.php", "track", "00000000-0000-0000-0000-000000000000"),
    ("artist-mb.php", "artists", "not-an-mbid"),
    ("artist-mb.php", "artists", ""),
])
def test_nothing_found(fake, script, member, mbid):
    assert lookup(fake, script, mbid) == {member: None}


@pytest.mark.parametrize("path", [
    f"{BASE}/1/artist-mb.php?i={NIRVANA}",          # a retired test key
    f"{BASE}/wrong-key/artist-mb.php?i={NIRVANA}",
    f"{BASE}//artist-mb.php?i={NIRVANA}",            # no key
    f"{BASE}/artist-mb.php?i={NIRVANA}",
    f"{BASE}/2/artist.php?i=111319",                 # a script the fake does not serve
    "/theaudiodb/",
])
def test_bad_key_or_path_is_an_html_404(fake, path):
    status, heads, body = get(fake, path)
    assert status == 404
    assert heads["content-type"].startswith("text/html")
    assert body.startswith(b"<!DOCTYPE html>")


def test_method_not_allowed(fake):
    status, _, _ = get(fake, f"{BASE}/2/artist-mb.php?i={NIRVANA}", method="POST")
    assert status == 405


def test_catalogue_matches_musicbrainz():
    """Every item's MBID is in the fake MusicBrainz catalogue, as the right entity, with the
    same name; tracks have MusicBrainz's length."""
    for name, entity, title_key, mb_key in (("artists.json", "artist", "strArtist", "name"),
                                             ("albums.json", "release-group", "strAlbum",
                                              "title"),
                                             ("tracks.json", "recording", "strTrack",
                                              "title")):
        items = json.loads((CATALOGUE / name).read_text(encoding="utf-8"))
        assert items, name
        keys = {tuple(sorted(i)) for i in items}
        assert len(keys) == 1, f"{name}: items do not all have the same members"
        for item in items:
            mbid = item["strMusicBrainzID"].lower()
            doc = json.loads((MB / entity / f"{mbid}.json").read_text(encoding="utf-8"))
            assert doc[mb_key] == item[title_key], mbid
            if entity == "recording":
                assert int(item["intDuration"]) == doc["length"], mbid
            for k, v in item.items():
                assert v is None or isinstance(v, str), f"{name}: {k} is not a string"
    listed = (CATALOGUE / "CATALOGUE.md").read_text(encoding="utf-8")
    for name in ("artists.json", "albums.json", "tracks.json"):
        for item in json.loads((CATALOGUE / name).read_text(encoding="utf-8")):
            assert item["strMusicBrainzID"].lower() in listed.lower()
