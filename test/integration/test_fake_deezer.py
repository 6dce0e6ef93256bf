"""Tests of the fake Deezer API (test/fake/providers/deezer.py) and its catalogue.

They check that the plugin serves fixtures/deezer in Deezer's shapes and encoding, its
lists, lookups by UPC and ISRC, search and error envelopes (HTTP 200), and that the
catalogue agrees with the MusicBrainz fake's names, barcodes and ISRCs. No medley binary
and no database are involved.
"""
import http.client
import importlib.util
import json
import pathlib
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
import fake_provider  # noqa: E402
from fake_provider import fake_fixture  # noqa: E402

FIXTURES = ROOT / "test" / "fake" / "fixtures"
_spec = importlib.util.spec_from_file_location("fake_deezer",
                                               ROOT / "test" / "fake" / "providers" / "deezer.py")
module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(module)
DEEZER = module.make(FIXTURES)

NIRVANA, NIRVANA_UK, DYLAN, BARE = 910002, 910004, 910001, 910006
NEVERMIND = 920002


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, method="GET", **params):
    if params:
        path += "?" + urllib.parse.urlencode(params)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, "/deezer" + path)
        r = conn.getresponse()
        raw = r.read()
        return r.status, r.getheader("Content-Type"), raw
    finally:
        conn.close()


def dz(fake, path, **params):
    status, ctype, raw = get(fake, path, **params)
    assert status == 200, raw
    assert ctype.startswith("application/json")
    return json.loads(raw)


def test_artist_lookup_in_deezer_encoding(fake):
    status, _, raw = get(fake, f"/artist/{NIRVANA}")
    assert status == 200
    assert b"https:\\/\\/www.deezer.com\\/artist\\/910002" in raw  # escaped slashes
    assert raw.isascii()
    doc = json.loads(raw)
    assert doc["name"] == "Nirvana" and doc["type"] == "artist"
    assert doc["picture_xl"].endswith("/1000x1000-000000-80-0-0.jpg")
    assert doc["nb_album"] == 2


def test_placeholder_picture(fake):
    doc = dz(fake, f"/artist/{BARE}")
    assert "/images/artist//" in doc["picture_small"]


@pytest.mark.parametrize("path", ["/artist/999", "/artist/abc", "/artist/0910002",
                                  f"/artist/{NIRVANA}/nope", "/album/upc:000000000000",
                                  "/album/upc:12", "/track/isrc:usgf19140001",
                                  "/track/930010/more", "/genre/0", "/"])
def test_not_found_is_an_envelope_with_200(fake, path):
    assert dz(fake, path) == module.DATA_NOT_FOUND


def test_album_by_id_and_upc(fake):
    album = dz(fake, f"/album/{NEVERMIND}")
    assert dz(fake, "/album/upc:720642442524") == album
    assert album["title"] == "Nevermind" and album["nb_tracks"] == 13
    assert [t["title"] for t in album["tracks"]["data"]][:2] == ["Smells Like Teen Spirit",
                                                                 "In Bloom"]
    assert "isrc" not in album["tracks"]["data"][0]
    tracks = dz(fake, f"/album/{NEVERMIND}/tracks", limit=100)
    assert tracks["total"] == 13
    assert tracks["data"][0]["isrc"] == "USGF19140001"
    assert tracks["data"][12]["track_position"] == 13


def test_track_by_id_and_isrc(fake):
    track = dz(fake, "/track/isrc:USGF19140001")
    assert track["id"] == 930010 and track["title"] == "Smells Like Teen Spirit"
    assert dz(fake, "/track/930010") == track
    assert track["album"]["id"] == NEVERMIND and track["artist"]["id"] == NIRVANA
    assert track["duration"] == 302 and track["bpm"] == 116.7


def test_top_tracks_and_paging(fake):
    top = dz(fake, f"/artist/{NIRVANA}/top")
    assert len(top["data"]) == 5 and top["total"] == 27
    assert [t["title"] for t in top["data"][:3]] == ["Smells Like Teen Spirit",
                                                     "Come as You Are", "Lithium"]
    assert all("isrc" not in t for t in top["data"])
    nxt = urllib.parse.urlsplit(top["next"])
    assert nxt.netloc == f"127.0.0.1:{fake.port}" and nxt.path == f"/deezer/artist/{NIRVANA}/top"
    assert urllib.parse.parse_qs(nxt.query) == {"index": ["5"]}
    page = dz(fake, f"/artist/{NIRVANA}/top", index=25, limit=5)
    assert len(page["data"]) == 2 and "next" not in page and "index=20" in page["prev"]
    assert dz(fake, "/artist/910005/top") == {"data": [], "total": 0}


def test_related_and_albums(fake):
    related = dz(fake, f"/artist/{DYLAN}/related")
    assert [a["name"] for a in related["data"]] == ["The Band", "Leonard Cohen"]
    assert related["total"] == 2
    albums = dz(fake, f"/artist/{NIRVANA}/albums")
    assert [a["id"] for a in albums["data"]] == [920002, 920003]


def test_search_artist_keeps_same_names_apart(fake):
    found = dz(fake, "/search/artist", q="nirvana")
    assert [a["id"] for a in found["data"]] == [NIRVANA, NIRVANA_UK]
    assert found["data"][0]["nb_fan"] > found["data"][1]["nb_fan"]


def test_search_advanced_syntax(fake):
    found = dz(fake, "/search/track", q='artist:"nirvana" track:"polly"')
    assert [t["id"] for t in found["data"]] == [930015, 930029]
    assert found["data"][0]["album"]["title"] == "Nevermind"
    assert dz(fake, "/search", q='artist:"nirvana" track:"polly" dur_max:180')["total"] == 1
    assert dz(fake, "/search/track", q='track:"polly" dur_min:180')["data"][0]["id"] == 930029
    assert dz(fake, "/search/album", q='album:"nevermind"')["data"][0]["id"] == NEVERMIND
    assert dz(fake, "/search/album", q="darker cohen")["data"][0]["title"] == \
        "You Want It Darker"
    assert dz(fake, "/search/track", q="tom thumb’s")["data"][0]["id"] == 930008
    assert dz(fake, "/search/artist", q="bjork") == {"data": [], "total": 0}


def test_search_errors(fake):
    assert dz(fake, "/search/artist") == module.MISSING_Q
    assert dz(fake, "/search/album", q=" ") == module.MISSING_Q
    assert dz(fake, "/search/playlist", q="x") == module.DATA_NOT_FOUND


def test_auth_errors(fake):
    assert dz(fake, "/user/me") == module.NO_TOKEN
    assert dz(fake, "/user/me", access_token="nope") == module.BAD_TOKEN
    assert dz(fake, "/user/me", access_token=module.VALID_TOKEN)["type"] == "user"
    status, _, raw = get(fake, f"/artist/{NIRVANA}", method="POST")
    assert status == 200 and json.loads(raw) == module.NO_TOKEN


def test_quota_is_injected_with_a_fault(fake):
    fake.add_fault("^/deezer/", "body", times=1, body=module.QUOTA_EXCEEDED)
    assert dz(fake, f"/artist/{NIRVANA}") == module.QUOTA_EXCEEDED
    assert dz(fake, f"/artist/{NIRVANA}")["id"] == NIRVANA
    assert fake.count("/deezer/") == 2


def test_catalogue_is_coherent():
    """Every reference resolves, CATALOGUE.md names every artist and album, and names,
    barcodes and ISRCs agree with the MusicBrainz fake catalogue."""
    mbz = fake_provider.MusicBrainz(FIXTURES / "musicbrainz")
    catalogue = (FIXTURES / "deezer" / "CATALOGUE.md").read_text(encoding="utf-8")
    mb_names = {a["name"] for a in mbz.docs["artist"].values()}
    mb_barcodes = {r["barcode"] for r in mbz.docs["release"].values() if r["barcode"]}
    mb_isrcs = {i for r in mbz.docs["recording"].values() for i in r["isrcs"]}
    for aid, a in DEEZER.artists.items():
        assert f"`{aid}`" in catalogue and a["name"] in mb_names
    for alb, album in DEEZER.albums.items():
        assert f"`{alb}`" in catalogue
        assert album["artist"]["id"] in DEEZER.artists
        assert album["upc"] in mb_barcodes or f"`{album['upc']}`" in catalogue
        ids = [t["id"] for t in album["tracks"]["data"]]
        assert ids == sorted(t["id"] for t in DEEZER.tracks.values()
                             if t["album"]["id"] == alb)
        assert album["nb_tracks"] == len(ids)
        assert album["duration"] == sum(DEEZER.tracks[i]["duration"] for i in ids)
    for t in DEEZER.tracks.values():
        assert t["isrc"] in mb_isrcs or t["isrc"].startswith("ZZDZR"), t["isrc"]
        assert t["artist"]["id"] == DEEZER.albums[t["album"]["id"]]["artist"]["id"]
    for aid, related in DEEZER.related.items():
        assert aid in DEEZER.artists and all(r in DEEZER.artists for r in related)
