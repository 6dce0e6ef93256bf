"""Tests of the fake Spotify (test/fake/providers/spotify.py).

They check that the plugin issues client-credentials tokens under /spotify/api/token and
refuses wrong credentials the way Spotify's accounts service does, that /spotify/v1
wants a valid, unexpired Bearer token, and that it serves its catalogue (artists, top
tracks, albums, tracks, search by text, field filters, ISRC and UPC) in the Web API's
format, with Spotify's error bodies. The catalogue must agree with the fake MusicBrainz
one. No medley binary and no database are involved.
"""
import base64
import http.client
import json
import pathlib
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import fake_fixture  # noqa: E402

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "spotify"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
DYLAN, NIRVANA, COHEN = "74ASZWbe4lXaubB36ztrGX", "6olE6TJLqED3rqDCT0FyPh", "5l8VQNuIg0turYE1VtM9zV"
BARE = "ArtTapeHissQuartet0000"
NEVERMIND = "AlbNevermind0000000000"
LIVE_IN_LONDON = "AlbLiveInLondonLive000"
BASIC = "Basic " + base64.b64encode(b"test-spotify-id:test-spotify-secret").decode()
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def fake():
    yield from fake_fixture()


def call(fake, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, json.loads(r.read())
    finally:
        conn.close()


def token_call(fake, auth=BASIC, body="grant_type=client_credentials", ctype=FORM):
    headers = {"Content-Type": ctype}
    if auth:
        headers["Authorization"] = auth
    return call(fake, "POST", "/spotify/api/token", headers, body.encode())


def new_token(fake):
    status, _, doc = token_call(fake)
    assert status == 200
    return doc["access_token"]


def api(fake, path, token=None, **query):
    if query:
        path += "?" + urllib.parse.urlencode(query)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return call(fake, "GET", "/spotify/v1" + path, headers)


@pytest.fixture
def token(fake):
    return new_token(fake)


# ---- token ---------------------------------------------------------------------------------

def test_token_issued(fake):
    handler = fake.routes["/spotify"]
    status, headers, doc = token_call(fake)
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert doc["token_type"] == "Bearer" and doc["expires_in"] == 3600
    assert len(doc["access_token"]) > 20
    assert new_token(fake) != doc["access_token"]
    assert handler.tokens_issued == 2
    req = fake.requests("/spotify/api/token")[0]
    assert req.method == "POST" and req.body == b"grant_type=client_credentials"


def test_token_from_form_credentials(fake):
    status, _, _ = token_call(fake, auth=None, body="grant_type=client_credentials&client_id="
                              "test-spotify-id&client_secret=test-spotify-secret")
    assert status == 200


@pytest.mark.parametrize("auth,body,ctype,error", [
    ("Basic " + base64.b64encode(b"test-spotify-id:wrong").decode(), None, FORM,
     "invalid_client"),
    ("Basic " + base64.b64encode(b"someone:test-spotify-secret").decode(), None, FORM,
     "invalid_client"),
    (None, None, FORM, "invalid_client"),
    ("Basic !!!", None, FORM, "invalid_client"),
    (BASIC, "grant_type=authorization_code", FORM, "unsupported_grant_type"),
    (BASIC, "", FORM, "unsupported_grant_type"),
    (BASIC, None, "application/json", "unsupported_grant_type"),
])
def test_token_refused(fake, auth, body, ctype, error):
    status, _, doc = token_call(fake, auth, body if body is not None else
                                "grant_type=client_credentials", ctype)
    assert status == 400
    assert doc["error"] == error and doc["error_description"]
    if error == "invalid_client":
        assert doc == {"error": "invalid_client", "error_description": "Invalid client"}
    assert fake.routes["/spotify"].tokens_issued == 0


def test_token_get_not_allowed(fake):
    status, _, _ = call(fake, "GET", "/spotify/api/token")
    assert status == 405


# ---- auth on the API -----------------------------------------------------------------------

def test_api_without_token(fake):
    status, headers, doc = api(fake, f"/artists/{DYLAN}")
    assert status == 401
    assert doc == {"error": {"status": 401, "message": "No token provided"}}
    assert headers["www-authenticate"].startswith("Bearer")


def test_api_with_unknown_token(fake):
    status, _, doc = api(fake, f"/artists/{DYLAN}", token="BQnot-a-token")
    assert status == 401 and doc["error"]["message"] == "Invalid access token"


def test_token_expires(fake):
    handler = fake.routes["/spotify"]
    handler.expires_in = 0
    status, _, doc = token_call(fake)
    assert doc["expires_in"] == 0
    status, headers, doc = api(fake, f"/artists/{DYLAN}", token=doc["access_token"])
    assert status == 401
    assert doc == {"error": {"status": 401, "message": "The access token expired"}}
    assert 'error="invalid_token"' in headers["www-authenticate"]
    handler.expires_in = 3600
    assert api(fake, f"/artists/{DYLAN}", token=new_token(fake))[0] == 200
    assert handler.tokens_issued == 2


def test_expire_tokens(fake, token):
    assert api(fake, f"/artists/{DYLAN}", token=token)[0] == 200
    fake.routes["/spotify"].expire_tokens()
    status, _, doc = api(fake, f"/artists/{DYLAN}", token=token)
    assert status == 401 and doc["error"]["message"] == "The access token expired"


# ---- lookups -------------------------------------------------------------------------------

def test_artist(fake, token):
    status, _, doc = api(fake, f"/artists/{NIRVANA}", token=token)
    assert status == 200
    assert doc["id"] == NIRVANA and doc["name"] == "Nirvana" and doc["type"] == "artist"
    assert doc["external_urls"]["spotify"] == f"https://open.spotify.com/artist/{NIRVANA}"
    assert [i["width"] for i in doc["images"]] == [640, 320, 160]
    assert doc["followers"]["total"] > 0 and "grunge" in doc["genres"]


def test_bare_artist(fake, token):
    doc = api(fake, f"/artists/{BARE}", token=token)[2]
    assert doc["images"] == [] and doc["genres"] == []
    assert api(fake, f"/artists/{BARE}/top-tracks", token=token, market="US")[2] == \
        {"tracks": []}


def test_album(fake, token):
    status, _, doc = api(fake, f"/albums/{NEVERMIND}", token=token)
    assert status == 200
    assert doc["name"] == "Nevermind" and doc["external_ids"] == {"upc": "720642442524"}
    assert doc["release_date"] == "1991-09-24" and doc["release_date_precision"] == "day"
    assert doc["label"] == "DGC" and doc["total_tracks"] == 13
    assert doc["tracks"]["total"] == 13 and len(doc["tracks"]["items"]) == 13
    assert "external_ids" not in doc["tracks"]["items"][0]


def test_album_two_discs(fake, token):
    doc = api(fake, f"/albums/{LIVE_IN_LONDON}", token=token)[2]
    discs = [(t["disc_number"], t["track_number"]) for t in doc["tracks"]["items"]]
    assert discs[:2] == [(1, 1), (1, 2)] and discs[6] == (2, 1) and len(discs) == 12


def test_track(fake, token):
    album = api(fake, f"/albums/{NEVERMIND}", token=token)[2]
    first = album["tracks"]["items"][0]
    status, _, doc = api(fake, f"/tracks/{first['id']}", token=token)
    assert status == 200
    assert doc["name"] == "Smells Like Teen Spirit"
    assert doc["external_ids"] == {"isrc": "USGF19140001"}
    assert doc["album"]["id"] == NEVERMIND and "tracks" not in doc["album"]
    assert 0 <= doc["popularity"] <= 100


def test_top_tracks(fake, token):
    status, _, doc = api(fake, f"/artists/{NIRVANA}/top-tracks", token=token, market="SE")
    assert status == 200
    pops = [t["popularity"] for t in doc["tracks"]]
    assert len(pops) == 10 and pops == sorted(pops, reverse=True)
    assert all(any(a["id"] == NIRVANA for a in t["artists"]) for t in doc["tracks"])
    assert all(t["external_ids"]["isrc"] for t in doc["tracks"])


@pytest.mark.parametrize("query,message", [
    ({}, "Missing market parameter"),
    ({"market": "sweden"}, "Invalid market code"),
])
def test_top_tracks_market(fake, token, query, message):
    status, _, doc = api(fake, f"/artists/{NIRVANA}/top-tracks", token=token, **query)
    assert status == 400 and doc["error"]["message"] == message


@pytest.mark.parametrize("path,status,message", [
    ("/artists/0000000000000000000000", 404, "non existing id"),
    ("/albums/0000000000000000000000", 404, "non existing id"),
    ("/tracks/0000000000000000000000", 404, "non existing id"),
    ("/artists/nirvana", 400, "invalid id"),
    ("/tracks/" + "x" * 23, 400, "invalid id"),
    ("/playlists/37i9dQZF1DXcBWIGoYBM5M", 404, "Service not found"),
])
def test_lookup_errors(fake, token, path, status, message):
    got, _, doc = api(fake, path, token=token)
    assert got == status
    assert doc == {"error": {"status": status, "message": message}}


# ---- search --------------------------------------------------------------------------------

def search(fake, token, **query):
    return api(fake, "/search", token=token, **query)


def test_search_artist(fake, token):
    status, _, doc = search(fake, token, q="nirvana", type="artist")
    assert status == 200
    page = doc["artists"]
    assert [a["id"] for a in page["items"]] == [NIRVANA]
    assert page["total"] == 1 and page["limit"] == 20 and page["offset"] == 0
    assert page["next"] is None and page["previous"] is None


def test_search_isrc(fake, token):
    doc = search(fake, token, q="isrc:ussm16500316", type="track")[2]
    items = doc["tracks"]["items"]
    assert [t["name"] for t in items] == ["Like a Rolling Stone"]
    assert items[0]["external_ids"]["isrc"] == "USSM16500316"


def test_search_upc(fake, token):
    doc = search(fake, token, q="upc:720642442524", type="album")[2]
    items = doc["albums"]["items"]
    assert [a["id"] for a in items] == [NEVERMIND]
    assert "tracks" not in items[0] and "external_ids" not in items[0]  # simplified albums


def test_search_album_filters(fake, token):
    doc = search(fake, token, q='artist:"Nirvana" album:"Nevermind"', type="album")[2]
    assert [a["id"] for a in doc["albums"]["items"]] == [NEVERMIND]
    doc = search(fake, token, q='artist:"Bob Dylan" album:"Nevermind"', type="album")[2]
    assert doc["albums"]["items"] == [] and doc["albums"]["total"] == 0


def test_search_tracks_and_paging(fake, token):
    doc = search(fake, token, q="Polly", type="track")[2]
    assert sorted(t["album"]["name"] for t in doc["tracks"]["items"]) == \
        ["MTV Unplugged in New York", "Nevermind"]
    doc = search(fake, token, q="artist:Nirvana", type="track", limit=5, offset=5)[2]
    page = doc["tracks"]
    assert page["total"] == 27 and len(page["items"]) == 5
    assert "offset=10" in page["next"] and "offset=0" in page["previous"]


def test_search_several_types(fake, token):
    doc = search(fake, token, q="Leonard Cohen", type="artist,album")[2]
    assert [a["id"] for a in doc["artists"]["items"]] == [COHEN]
    assert doc["albums"]["total"] == 3


@pytest.mark.parametrize("query,message", [
    ({"type": "artist"}, "No search query"),
    ({"q": "x"}, "Missing parameter type"),
    ({"q": "x", "type": "podcast"}, "Bad search type field podcast"),
    ({"q": "x", "type": "track", "limit": "51"}, "Invalid limit"),
    ({"q": "x", "type": "track", "offset": "-1"}, "Invalid offset"),
])
def test_search_errors(fake, token, query, message):
    status, _, doc = search(fake, token, **query)
    assert status == 400 and doc == {"error": {"status": 400, "message": message}}


# ---- the catalogue agrees with MusicBrainz's ----------------------------------------------

def test_catalogue_matches_musicbrainz():
    mb_isrcs = set()
    for f in (MB / "recording").glob("*.json"):
        mb_isrcs.update(json.loads(f.read_text())["isrcs"])
    barcodes = {json.loads(f.read_text())["barcode"] for f in (MB / "release").glob("*.json")}
    catalogue = (CATALOGUE / "CATALOGUE.md").read_text()
    tracks = {f.stem: json.loads(f.read_text()) for f in (CATALOGUE / "tracks").glob("*.json")}
    for f in (CATALOGUE / "albums").glob("*.json"):
        album = json.loads(f.read_text())
        assert f"`{album['id']}`" in catalogue
        assert album["external_ids"]["upc"] in barcodes or album["name"] == \
            "Songs of Leonard Cohen"
        for item in album["tracks"]["items"]:
            track = tracks[item["id"]]
            assert track["name"] == item["name"] and track["album"]["id"] == album["id"]
            assert track["duration_ms"] == item["duration_ms"]
            isrc = track["external_ids"]["isrc"]
            listed = f"`{isrc}` (not in MB)" in catalogue
            assert (isrc in mb_isrcs) != listed, isrc
    assert len(tracks) == sum(len(json.loads(f.read_text())["tracks"]["items"])
                              for f in (CATALOGUE / "albums").glob("*.json"))
    links = set()
    for f in (MB / "artist").glob("*.json"):
        for rel in json.loads(f.read_text()).get("relations", []):
            url = (rel.get("url") or {}).get("resource", "")
            if url.startswith("https://open.spotify.com/artist/"):
                links.add(url.rsplit("/", 1)[1])
    assert links == {DYLAN, NIRVANA, COHEN}
    for id_ in links | {BARE}:
        assert (CATALOGUE / "artists" / f"{id_}.json").exists()
        assert f"`{id_}`" in catalogue
