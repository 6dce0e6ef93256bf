"""Tests of the fake fanart.tv (test/fake/providers/fanarttv.py).

They check that the plugin serves its catalogue in fanart.tv's v3 music format under
/fanarttv/v3 (artist answers, album answers derived from them), wants the API key, and
answers fanart.tv's error bodies; and that the catalogue is keyed by MBIDs of the fake
MusicBrainz catalogue. No medley binary and no database are involved.
"""
import http.client
import json
import pathlib
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import fake_fixture  # noqa: E402

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "fanarttv"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
KEY = "test-fanart-key"
NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
NIRVANA_UK = "384256c2-bb82-4af4-b9b9-da7c94f83654"
DYLAN = "72c536dc-7137-4477-a521-567eeb840fa8"
BAND = "6e58e2cf-a116-4255-9adc-397b374be7ee"
BARE = "83cba9fc-8173-4adb-89da-1c6dfcbcf27a"
NEVERMIND = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
HORMOANING = "44fb1c10-e1cf-470e-a688-e1131c59ceff"
NOT_FOUND = {"status": "error", "error message": "Not found"}
BAD_KEY = {"status": "error", "error message": "Invalid API key"}


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, headers=None, method="GET", **query):
    if query:
        path += "?" + urllib.parse.urlencode(query)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, "/fanarttv/v3" + path, headers=headers or {})
        r = conn.getresponse()
        return r.status, json.loads(r.read())
    finally:
        conn.close()


def test_artist_with_every_type(fake):
    status, doc = get(fake, f"/music/{NIRVANA}", api_key=KEY, client_key="personal")
    assert status == 200
    assert doc["name"] == "Nirvana" and doc["mbid_id"] == NIRVANA
    for key in ("artistthumb", "artistbackground", "hdmusiclogo", "musiclogo", "musicbanner"):
        assert doc[key], key
        for img in doc[key]:
            assert isinstance(img["likes"], str) and img["url"].startswith("http")
    assert NEVERMIND in doc["albums"]
    req = fake.requests("/fanarttv/v3/music/")[0]
    assert req.arg("api_key") == KEY and req.arg("client_key") == "personal"


def test_artist_upper_case_mbid(fake):
    assert get(fake, f"/music/{NIRVANA.upper()}", api_key=KEY)[0] == 200


def test_artist_without_albums(fake):
    status, doc = get(fake, f"/music/{BAND}", api_key=KEY)
    assert status == 200 and "albums" not in doc and doc["artistbackground"]


@pytest.mark.parametrize("mbid", [BARE, NIRVANA_UK, "not-an-mbid"])
def test_artist_not_found(fake, mbid):
    assert get(fake, f"/music/{mbid}", api_key=KEY) == (404, NOT_FOUND)


def test_album(fake):
    status, doc = get(fake, f"/music/albums/{NEVERMIND}", api_key=KEY)
    assert status == 200
    assert doc["name"] == "Nirvana" and doc["mbid_id"] == NIRVANA
    assert list(doc["albums"]) == [NEVERMIND]
    album = doc["albums"][NEVERMIND]
    assert len(album["albumcover"]) == 2
    assert album["cdart"][0]["size"] == "1000" and album["cdart"][0]["disc"] == "1"


def test_album_not_found(fake):
    assert get(fake, f"/music/albums/{HORMOANING}", api_key=KEY) == (404, NOT_FOUND)


@pytest.mark.parametrize("query", [{}, {"api_key": "wrong"}, {"api_key": ""}])
def test_key_required(fake, query):
    assert get(fake, f"/music/{NIRVANA}", **query) == (401, BAD_KEY)
    assert get(fake, f"/music/albums/{NEVERMIND}", **query) == (401, BAD_KEY)


def test_key_in_header(fake):
    assert get(fake, f"/music/{DYLAN}", headers={"api-key": KEY})[0] == 200


def test_other_paths_and_methods(fake):
    assert get(fake, "/movies/550", api_key=KEY) == (404, NOT_FOUND)
    assert get(fake, f"/music/{NIRVANA}", method="POST", api_key=KEY)[0] == 405


def test_catalogue_matches_musicbrainz():
    text = (CATALOGUE / "CATALOGUE.md").read_text()
    files = sorted((CATALOGUE / "music").glob("*.json"))
    assert len(files) == 4
    for f in files:
        doc = json.loads(f.read_text())
        artist = json.loads((MB / "artist" / f"{f.stem}.json").read_text())
        assert doc["name"] == artist["name"] and f"`{f.stem}`" in text
        for rg in doc.get("albums", {}):
            group = json.loads((MB / "release-group" / f"{rg}.json").read_text())
            assert group["artist-credit"][0]["artist"]["id"] == f.stem
            assert f"`{rg}`" in text
