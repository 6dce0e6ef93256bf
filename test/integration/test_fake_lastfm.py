"""Tests of the fake Last.fm (test/fake/providers/lastfm.py).

They check that the plugin answers Last.fm's method calls under /lastfm/2.0/ from its
catalogue (artists by name or MBID, biographies per language, similar artists, top
tracks, albums, tracks, similar tracks, limit=), refuses a missing or wrong api_key with
error 10 and 403, answers error 6 for unknown entities and error 3 for unknown methods in
Last.fm's format, and that the catalogue agrees with the fake MusicBrainz one. No medley
binary and no database are involved.
"""
import http.client
import json
import pathlib
import re
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import fake_fixture  # noqa: E402

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "lastfm"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
KEY = "test-lastfm-key"
DYLAN = "72c536dc-7137-4477-a521-567eeb840fa8"
NIRVANA_UK = "384256c2-bb82-4af4-b9b9-da7c94f83654"
NEVERMIND_CD = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"
READ_MORE = "Read more on Last.fm</a>"


@pytest.fixture
def fake():
    yield from fake_fixture()


def raw(fake, path, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def lastfm(fake, method, api_key=KEY, http_method="GET", **params):
    query = {"method": method, **params, "format": "json"}
    if api_key is not None:
        query["api_key"] = api_key
    status, headers, body = raw(fake, "/lastfm/2.0/?" + urllib.parse.urlencode(query),
                                http_method)
    return status, json.loads(body)


def as_list(v):
    return v if isinstance(v, list) else [v]


# ---- artists -------------------------------------------------------------------------------

def test_artist_by_name_and_mbid(fake):
    s1, by_name = lastfm(fake, "artist.getinfo", artist="bob dylan", autocorrect=1)
    s2, by_mbid = lastfm(fake, "artist.getInfo", mbid=DYLAN.upper())
    assert s1 == s2 == 200 and by_name == by_mbid
    artist = by_name["artist"]
    assert artist["name"] == "Bob Dylan" and artist["mbid"] == DYLAN
    assert artist["stats"]["listeners"].isdigit()
    assert all("2a96cbd8b46e442fc41c2b86b821562f" in i["#text"] for i in artist["image"])
    assert READ_MORE in artist["bio"]["content"]
    assert "Creative Commons By-SA License" in artist["bio"]["content"]


def test_biography_languages(fake):
    _, en = lastfm(fake, "artist.getinfo", artist="Bob Dylan")
    _, de = lastfm(fake, "artist.getinfo", artist="Bob Dylan", lang="de")
    _, ja = lastfm(fake, "artist.getinfo", artist="Bob Dylan", lang="ja")
    assert en["artist"]["bio"]["content"].startswith("Bob Dylan is an American")
    assert de["artist"]["bio"]["content"].startswith("Bob Dylan ist ein")
    assert ja["artist"]["bio"]["content"] == ""
    assert ja["artist"]["bio"]["summary"].strip().startswith("<a href=")
    assert ja["artist"]["stats"] == en["artist"]["stats"]


def test_similar_artists_and_limit(fake):
    _, doc = lastfm(fake, "artist.getsimilar", artist="Bob Dylan")
    names = [a["name"] for a in doc["similarartists"]["artist"]]
    assert names[:2] == ["The Band", "Leonard Cohen"]
    assert doc["similarartists"]["@attr"]["artist"] == "Bob Dylan"
    _, doc = lastfm(fake, "artist.getsimilar", mbid=DYLAN, limit=1)
    assert doc["similarartists"]["artist"]["name"] == "The Band"  # a list of one: the item
    _, doc = lastfm(fake, "artist.getsimilar", artist="The Band")
    assert isinstance(doc["similarartists"]["artist"], dict)


def test_top_tracks(fake):
    _, doc = lastfm(fake, "artist.gettoptracks", artist="Nirvana", limit=2)
    tracks = doc["toptracks"]["track"]
    assert [t["name"] for t in tracks] == ["Smells Like Teen Spirit", "Come as You Are"]
    assert [t["@attr"]["rank"] for t in tracks] == ["1", "2"]
    assert tracks[0]["mbid"] == TEEN_SPIRIT
    assert doc["toptracks"]["@attr"]["perPage"] == "2"
    assert doc["toptracks"]["@attr"]["total"] == "4"


# ---- albums and tracks ---------------------------------------------------------------------

def test_album_by_names_and_mbid(fake):
    _, by_names = lastfm(fake, "album.getinfo", artist="Nirvana", album="nevermind")
    _, by_mbid = lastfm(fake, "album.getinfo", mbid=NEVERMIND_CD)
    assert by_names == by_mbid
    album = by_names["album"]
    assert album["name"] == "Nevermind" and album["artist"] == "Nirvana"
    assert len(album["tracks"]["track"]) == 13
    assert album["tracks"]["track"][0]["duration"] == 302
    assert album["tracks"]["track"][-1]["duration"] is None
    assert READ_MORE in album["wiki"]["content"]


def test_album_wiki_languages(fake):
    _, de = lastfm(fake, "album.getinfo", artist="Nirvana", album="Nevermind", lang="de")
    _, fr = lastfm(fake, "album.getinfo", artist="Nirvana", album="Nevermind", lang="fr")
    assert de["album"]["wiki"]["content"].startswith("Nevermind ist")
    assert "wiki" not in fr["album"]


def test_album_quirks(fake):
    _, doc = lastfm(fake, "album.getinfo", artist="Nirvana", album="Smells Like Teen Spirit")
    assert doc["album"]["tags"] == ""
    assert all(i["#text"] == "" for i in doc["album"]["image"])
    _, doc = lastfm(fake, "album.getinfo", artist="Leonard Cohen", album="You Want It Darker")
    assert isinstance(doc["album"]["tags"]["tag"], dict)


def test_track_and_similar_tracks(fake):
    _, doc = lastfm(fake, "track.getinfo", artist="Nirvana", track="Smells Like Teen Spirit")
    track = doc["track"]
    assert track["mbid"] == TEEN_SPIRIT and track["duration"] == "301920"
    assert track["album"]["title"] == "Nevermind"
    _, by_mbid = lastfm(fake, "track.getinfo", mbid=TEEN_SPIRIT)
    assert by_mbid == doc
    _, doc = lastfm(fake, "track.getsimilar", artist="nirvana", track="smells like teen spirit",
                    limit=3)
    assert [t["name"] for t in doc["similartracks"]["track"]] == [
        "Come as You Are", "Lithium", "In Bloom"]
    assert doc["similartracks"]["@attr"] == {"artist": "Nirvana",
                                             "track": "Smells Like Teen Spirit"}


# ---- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_api_key_required(fake, key):
    status, doc = lastfm(fake, "artist.getinfo", api_key=key, artist="Bob Dylan")
    assert status == 403
    assert doc == {"message": "Invalid API key - You must be granted a valid key by last.fm",
                   "error": 10}


@pytest.mark.parametrize("method,params,message", [
    ("artist.getinfo", {"artist": "No Such Band"}, "The artist you supplied could not be found"),
    ("artist.getinfo", {"mbid": NIRVANA_UK}, "The artist you supplied could not be found"),
    ("artist.getinfo", {}, "The artist you supplied could not be found"),
    ("artist.gettoptracks", {"mbid": NIRVANA_UK}, "The artist you supplied could not be found"),
    ("album.getinfo", {"artist": "Nirvana", "album": "Bleach"}, "Album not found"),
    ("album.getinfo", {"artist": "Nirvana"}, "Album not found"),
    ("track.getinfo", {"artist": "Nirvana", "track": "Polly"}, "Track not found"),
])
def test_not_found(fake, method, params, message):
    status, doc = lastfm(fake, method, **params)
    assert status == 400
    assert doc == {"error": 6, "message": message, "links": []}


def test_unknown_method(fake):
    status, doc = lastfm(fake, "user.getinfo", user="rj")
    assert status == 400 and doc["error"] == 3
    status, doc = lastfm(fake, "artist.getinfo", http_method="POST", artist="Bob Dylan")
    assert status == 405 and doc["error"] == 3


def test_paths(fake):
    status, _, body = raw(fake, f"/lastfm/2.0?method=artist.getinfo&artist=Cher&api_key={KEY}")
    assert status == 400 and json.loads(body)["error"] == 6
    status, headers, _ = raw(fake, f"/lastfm/3.0/?method=artist.getinfo&api_key={KEY}")
    assert status == 404 and headers["content-type"].startswith("text/html")


# ---- catalogue -----------------------------------------------------------------------------

def _mb(kind):
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in (MB / kind).glob("*.json")}


def test_catalogue_agrees_with_musicbrainz():
    artists, releases, recordings = _mb("artist"), _mb("release"), _mb("recording")
    for f in (CATALOGUE / "artist.getinfo").glob("*.json"):
        a = json.loads(f.read_text(encoding="utf-8"))["artist"]
        assert artists[a["mbid"]]["name"] == a["name"], f.name
    for f in (CATALOGUE / "artist.gettoptracks").glob("*.json"):
        for t in as_list(json.loads(f.read_text(encoding="utf-8"))["toptracks"]["track"]):
            if t["mbid"]:
                assert recordings[t["mbid"]]["title"] == t["name"], (f.name, t["name"])
    for f in (CATALOGUE / "album.getinfo").glob("*.json"):
        al = json.loads(f.read_text(encoding="utf-8"))["album"]
        rel = releases[al["mbid"]]
        assert rel["title"] == al["name"], f.name
        mb_titles = [t["title"] for m in rel["media"] for t in m["tracks"]]
        assert [t["name"] for t in as_list(al["tracks"]["track"])] == mb_titles
    for f in (CATALOGUE / "track.getinfo").glob("*.json"):
        t = json.loads(f.read_text(encoding="utf-8"))["track"]
        assert recordings[t["mbid"]]["title"] == t["name"], f.name


def test_catalogue_lists_every_answer():
    text = (CATALOGUE / "CATALOGUE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.M))
    slugs = {f.name.split(".")[0] for folder in CATALOGUE.iterdir() if folder.is_dir()
             for f in folder.glob("*.json")}
    assert slugs == listed
