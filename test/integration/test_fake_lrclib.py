"""Tests of the fake LRCLib (test/fake/providers/lrclib.py).

They check that the plugin serves its catalogue in LRCLib's format under /lrclib/api: /get
matching names after LRCLib's normalisation and durations within +-2 s, /get/<id>,
/search, and LRCLib's error answers (TrackNotFound, ValidationError, axum's query
rejections). No medley binary and no database are involved.
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

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "lrclib"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
NOT_FOUND = {"message": "Failed to find specified track", "name": "TrackNotFound",
             "statusCode": 404}


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, **query):
    if query:
        path += "?" + urllib.parse.urlencode(query)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request("GET", path, headers={"User-Agent": "medley-tests/1 (+https://x.test)"})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def get_json(fake, path, **query):
    status, _, body = get(fake, path, **query)
    return status, json.loads(body)


def test_get_synced(fake):
    status, doc = get_json(fake, "/lrclib/api/get", artist_name="Nirvana",
                           track_name="Smells Like Teen Spirit", album_name="Nevermind",
                           duration=302)
    assert status == 200
    assert list(doc) == ["id", "name", "trackName", "artistName", "albumName", "duration",
                         "instrumental", "plainLyrics", "syncedLyrics"]
    assert doc["id"] == 28000001 and doc["name"] == doc["trackName"]
    assert doc["syncedLyrics"].startswith("[00:12.50] ")
    assert doc["instrumental"] is False
    req = fake.requests("/lrclib/api/get")[0]
    assert req.arg("duration") == "302"
    assert req.header("User-Agent").startswith("medley-tests/")


def test_get_matches_like_lrclib(fake):
    # case, accents, punctuation and apostrophes do not matter
    status, doc = get_json(fake, "/lrclib/api/get", artist_name="LEONARD COHEN",
                           track_name="hey thats no way to say goodbye")
    assert status == 200 and doc["id"] == 28000011
    # same title: the duration decides, within +-2 s either side
    for duration, want in ((177, 28000004), (179, 28000004), (194, 28000005), (198, 28000005)):
        status, doc = get_json(fake, "/lrclib/api/get", artist_name="Nirvana",
                               track_name="Polly", duration=duration)
        assert (status, doc["id"]) == (200, want)
    assert get(fake, "/lrclib/api/get", artist_name="Nirvana", track_name="Polly",
               duration=187)[0] == 404
    # album filters; without it the lowest id wins
    status, doc = get_json(fake, "/lrclib/api/get", artist_name="Nirvana",
                           track_name="Polly", album_name="MTV Unplugged in New York")
    assert doc["id"] == 28000005
    assert get_json(fake, "/lrclib/api/get", artist_name="Nirvana",
                    track_name="Lithium")[1]["id"] == 28000016


def test_get_plain_and_instrumental(fake):
    _, doc = get_json(fake, "/lrclib/api/get", artist_name="Bob Dylan",
                      track_name="Like a Rolling Stone", duration=370)
    assert doc["plainLyrics"] and doc["syncedLyrics"] is None
    _, doc = get_json(fake, "/lrclib/api/get", artist_name="Leonard Cohen",
                      track_name="String Reprise / Treaty", duration=166)
    assert doc["instrumental"] is True
    assert doc["plainLyrics"] is None and doc["syncedLyrics"] is None


def test_get_not_found(fake):
    status, doc = get_json(fake, "/lrclib/api/get", artist_name="Bob Dylan",
                           track_name="Tombstone Blues")
    assert (status, doc) == (404, NOT_FOUND)
    assert get_json(fake, "/lrclib/api/get/28000099") == (404, NOT_FOUND)
    assert get_json(fake, "/lrclib/api/get/28000008")[1]["trackName"] == "Like a Rolling Stone"
    assert get(fake, "/lrclib/api/nothing")[0] == 404


@pytest.mark.parametrize("query,status,kind,text", [
    ({"artist_name": "Nirvana"}, 400, "text", "missing field `track_name`"),
    ({"track_name": "Polly"}, 400, "text", "missing field `artist_name`"),
    ({"artist_name": "", "track_name": "Polly"}, 400, "json", "artist_name: cannot be empty"),
    ({"artist_name": "N", "track_name": "P", "duration": "long"}, 400, "text",
     "duration: invalid float literal"),
    ({"artist_name": "N", "track_name": "P", "duration": "0"}, 400, "json",
     "duration: must be between 1 and 3600"),
    ({"artist_name": "N", "track_name": "P", "duration": "3601"}, 400, "json",
     "duration: must be between 1 and 3600"),
])
def test_get_bad_queries(fake, query, status, kind, text):
    got, heads, body = get(fake, "/lrclib/api/get", **query)
    assert got == status
    if kind == "json":
        doc = json.loads(body)
        assert doc == {"message": text, "name": "ValidationError", "statusCode": 400}
    else:
        assert heads["content-type"].startswith("text/plain")
        assert text in body.decode()


def test_search(fake):
    status, items = get_json(fake, "/lrclib/api/search", track_name="polly",
                             artist_name="nirvana")
    assert status == 200
    assert [i["id"] for i in items] == [28000004, 28000005]
    assert [i["duration"] for i in items] == [177.0, 196.0]
    _, items = get_json(fake, "/lrclib/api/search", track_name="Suzanne",
                        artist_name="Leonard Cohen", album_name="Live in London")
    assert [i["id"] for i in items] == [28000013]
    _, items = get_json(fake, "/lrclib/api/search", q="nirvana lithium")
    assert [i["id"] for i in items] == [28000016, 28000017]
    assert get_json(fake, "/lrclib/api/search", artist_name="Nirvana") == (200, [])
    assert get_json(fake, "/lrclib/api/search", track_name="Tombstone Blues") == (200, [])
    assert get(fake, "/lrclib/api/search", q="nirvana")[0] == 200


def test_faults_apply(fake):
    fake.add_fault("^/lrclib/api/get$", "invalid_json", times=1)
    status, _, body = get(fake, "/lrclib/api/get", artist_name="Nirvana", track_name="Polly")
    assert status == 200
    with pytest.raises(ValueError):
        json.loads(body)


def test_catalogue_matches_musicbrainz():
    """Each track is a recording of the MusicBrainz fake by its credited artist (the title
    as is, or the live title's start), within LRCLib's 2 s of its length."""
    recordings = [json.loads(f.read_text()) for f in (MB / "recording").glob("*.json")]
    catalogue = (CATALOGUE / "CATALOGUE.md").read_text()
    tracks = json.loads((CATALOGUE / "tracks.json").read_text())
    for t in tracks:
        assert str(t["id"]) in catalogue
        near = [r for r in recordings
                if r["title"].split(" (live")[0] == t["trackName"]
                and r["artist-credit"][0]["name"] == t["artistName"]
                and r["length"] is not None and abs(r["length"] / 1000 - t["duration"]) <= 2]
        assert near, t["trackName"]
        assert t["instrumental"] == (t["id"] == 28000010)
