"""Tests of the fake iTunes Search API (test/fake/providers/itunes.py) and its catalogue.

They check that the plugin serves fixtures/itunes in Apple's shapes and framing
(text/javascript, leading newlines), search and lookup (by id and UPC) with Apple's
parameters, the 400 errorMessage answers, storefronts, and that the catalogue agrees with
the MusicBrainz fake's names, barcodes and track lists. No medley binary and no database
are involved.
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
_spec = importlib.util.spec_from_file_location("fake_itunes",
                                               ROOT / "test" / "fake" / "providers" / "itunes.py")
module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(module)
ITUNES = module.make(FIXTURES)

NIRVANA, NIRVANA_UK = 8100002, 8100004
NEVERMIND, SINGLE = 8200002, 8200004

# MB fake release each collection stands for
MB_RELEASES = {8200001: "ea87818b-f0fc-4bbe-8f82-60bcb11e0939",
               8200002: "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50",
               8200003: "546f8c86-c8b4-4042-9007-1f2b007889c1",
               8200004: "f29a1534-2561-4c49-b76b-001e171a5593",
               8200005: "c9b2799a-52cc-4011-9920-f7101f119592",
               8200006: "79e74682-0d6d-458e-8b68-30c6c9c5db93"}


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, **params):
    if params:
        path += "?" + urllib.parse.urlencode(params)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request("GET", "/itunes" + path)
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read()
    finally:
        conn.close()


def apple(fake, path, status=200, **params):
    got, ctype, raw = get(fake, path, **params)
    assert got == status, raw
    assert ctype == "text/javascript; charset=utf-8"
    assert raw.startswith(b"\n\n\n{")
    return json.loads(raw)


def test_search_artists_keeps_same_names_apart(fake):
    doc = apple(fake, "/search", term="nirvana", media="music", entity="musicArtist")
    assert doc["resultCount"] == 2
    assert [r["artistId"] for r in doc["results"]] == [NIRVANA, NIRVANA_UK]
    assert all(r["wrapperType"] == "artist" for r in doc["results"])


def test_search_songs_albums_and_tracks(fake):
    songs = apple(fake, "/search", term="polly", media="music", entity="song")
    assert [r["trackId"] for r in songs["results"]] == [8300015]
    assert songs["results"][0]["artworkUrl100"].endswith("/100x100bb.jpg")
    albums = apple(fake, "/search", term="nirvana", media="music", entity="album", limit=2)
    assert [r["collectionName"] for r in albums["results"]] == ["Nevermind", "Hormoaning - EP"]
    tracks = apple(fake, "/search", term="smells like teen spirit", media="music")
    kinds = [(r["trackId"], r["kind"]) for r in tracks["results"]]
    assert (8300032, "music-video") in kinds and (8300010, "song") in kinds
    assert len(kinds) == 5  # Nevermind's, and all four tracks of the single
    only = apple(fake, "/search", term="smells", media="music", entity="song",
                 attribute="songTerm")
    assert [r["trackId"] for r in only["results"]] == [8300010, 8300029]
    assert apple(fake, "/search", term="", media="music")["resultCount"] == 0
    assert apple(fake, "/search", term="polly", media="movie")["resultCount"] == 0


def test_lookup_album_with_songs(fake):
    doc = apple(fake, "/lookup", id=SINGLE, entity="song")
    assert doc["resultCount"] == 5
    first, tracks = doc["results"][0], doc["results"][1:]
    assert first["wrapperType"] == "collection"
    assert first["collectionName"] == "Smells Like Teen Spirit - Single"
    assert [t["kind"] for t in tracks] == ["song", "song", "song", "music-video"]
    assert apple(fake, "/lookup", id=SINGLE)["resultCount"] == 1
    assert apple(fake, "/lookup", id=NEVERMIND, entity="song", limit=3)["resultCount"] == 4


def test_lookup_by_upc_artist_and_track(fake):
    doc = apple(fake, "/lookup", upc="720642442524", entity="song")
    assert doc["results"][0]["collectionId"] == NEVERMIND and doc["resultCount"] == 14
    assert apple(fake, "/lookup", upc="000000000000")["resultCount"] == 0
    artist = apple(fake, "/lookup", id=NIRVANA, entity="album")
    assert [r.get("collectionId") for r in artist["results"]] == [None, 8200002, 8200003,
                                                                  8200004]
    assert apple(fake, "/lookup", id="8300010")["results"][0]["trackName"] == \
        "Smells Like Teen Spirit"
    both = apple(fake, "/lookup", id=f"{NIRVANA},{NEVERMIND},1")
    assert both["resultCount"] == 2


def test_storefront(fake):
    doc = apple(fake, "/lookup", id=NEVERMIND, country="GB")
    album = doc["results"][0]
    assert album["collectionViewUrl"].startswith("https://music.apple.com/gb/album/")
    assert (album["country"], album["currency"]) == ("GBR", "GBP")


@pytest.mark.parametrize("path,params,key", [
    ("/search", {"term": "x", "entity": "artist"}, "resultEntity"),
    ("/search", {"term": "x", "media": "songs"}, "mediaType"),
    ("/search", {"term": "x", "attribute": "titleTerm"}, "attribute"),
    ("/search", {"term": "x", "country": "zz"}, "country"),
    ("/lookup", {"id": "abc"}, "id"),
    ("/lookup", {}, "id"),
    ("/lookup", {"upc": "12"}, "upc"),
    ("/lookup", {"id": "1", "entity": "songs"}, "resultEntity"),
])
def test_errors_like_apple(fake, path, params, key):
    doc = apple(fake, path, status=400, **params)
    assert doc["errorMessage"] == f"Invalid value(s) for key(s): [{key}]"
    assert doc["queryParameters"]["country"] == "ISO-2A country code"


def test_unknown_path_is_html_404(fake):
    status, ctype, _ = get(fake, "/us/album/x/1")
    assert status == 404 and ctype.startswith("text/html")


def test_catalogue_is_coherent():
    """CATALOGUE.md names every id; artists, names, barcodes and track lists agree with
    the MusicBrainz fake's releases."""
    mbz = fake_provider.MusicBrainz(FIXTURES / "musicbrainz")
    catalogue = (FIXTURES / "itunes" / "CATALOGUE.md").read_text(encoding="utf-8")
    mb_names = {a["name"] for a in mbz.docs["artist"].values()}
    for aid, a in ITUNES.artists.items():
        assert f"`{aid}`" in catalogue and a["artistName"] in mb_names
    assert set(ITUNES.albums) == set(MB_RELEASES)
    for cid, album in ITUNES.albums.items():
        rel = mbz.docs["release"][MB_RELEASES[cid]]
        assert f"`{cid}`" in catalogue and album["artistId"] in ITUNES.artists
        name = album["collectionName"].removesuffix(" - EP").removesuffix(" - Single")
        assert name == rel["title"]
        # Apple dates an album by its first release, as MB's release group does
        assert album["releaseDate"][:4] == rel["release-group"]["first-release-date"][:4]
        songs = [t for t in ITUNES.album_tracks[cid] if t["kind"] == "song"]
        mb_tracks = [t for m in rel["media"] for t in m["tracks"]]
        assert len(songs) == len(mb_tracks)
        for s, t in zip(songs, mb_tracks):
            assert s["trackNumber"] == t["position"]
            assert s["trackName"] == t["title"].replace("\u2019", "'")
        assert album["trackCount"] == len(ITUNES.album_tracks[cid])
    for upc, cid in ITUNES.upcs.items():
        barcode = mbz.docs["release"][MB_RELEASES[cid]]["barcode"]
        assert barcode == upc or (not barcode and f"`{upc}`" in catalogue)
