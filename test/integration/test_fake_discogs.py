"""Tests of the fake Discogs (test/fake/providers/discogs.py).

They check that the plugin serves its catalogue under /discogs in the database API's
format (artists, releases, masters), empties image URLs and refuses search without a
token as Discogs does, answers Discogs' error bodies (404 per resource, 401 for search
and bad tokens, 429 when the rate limit is enforced), reports X-Discogs-Ratelimit
headers, and that the catalogue agrees with the fake MusicBrainz one. No medley binary
and no database are involved.
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

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "discogs"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
TOKEN = "test-discogs-token"
AUTH = {"Authorization": f"Discogs token={TOKEN}"}


@pytest.fixture
def fake():
    yield from fake_fixture()


def call(fake, path, headers=None, method="GET", **query):
    if query:
        path += "?" + urllib.parse.urlencode(query)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, "/discogs" + path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, json.loads(r.read())
    finally:
        conn.close()


# ---- lookups -------------------------------------------------------------------------------

@pytest.mark.parametrize("path,field,value", [
    ("/artists/59792", "name", "Bob Dylan"),
    ("/artists/262571", "name", "Nirvana (2)"),
    ("/releases/367084", "title", "Nevermind"),
    ("/masters/13814", "title", "Nevermind"),
])
def test_lookup_each_kind(fake, path, field, value):
    status, headers, doc = call(fake, path, AUTH)
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert doc["id"] == int(path.rsplit("/", 1)[1])
    assert doc[field] == value
    assert doc["resource_url"] == "https://api.discogs.com" + path
    assert doc["uri"].startswith("https://www.discogs.com/")


def test_release_in_discogs_shape(fake):
    _, _, doc = call(fake, "/releases/367084", AUTH)
    assert doc["master_id"] == 13814 and doc["released"] == "1991-09-24"
    assert {"type": "Barcode", "value": "7 20642-44252-4", "description": "Text"} in \
        doc["identifiers"]
    assert len(doc["tracklist"]) == 13
    assert doc["tracklist"][0] == {"position": "1", "type_": "track",
                                   "title": "Smells Like Teen Spirit", "duration": "5:02"}
    assert doc["tracklist"][-1]["duration"] == ""
    assert doc["images"][0]["type"] == "primary" and doc["images"][0]["uri"].startswith("https")
    assert doc["artists"][0]["name"] == "Nirvana" and doc["community"]["have"] > 0


def test_two_disc_release_positions(fake):
    _, _, doc = call(fake, "/releases/1420009", AUTH)
    kinds = [(t["type_"], t["position"]) for t in doc["tracklist"]]
    assert kinds[0] == ("heading", "") and kinds[1] == ("track", "1-1")
    assert kinds[7] == ("heading", "") and kinds[-1] == ("track", "2-6")
    assert "master_id" not in doc


def test_year_only_release(fake):
    _, _, doc = call(fake, "/releases/1420010", AUTH)
    assert doc["released"] == "1968-00-00" and doc["artists"][0]["name"] == "Nirvana (2)"


def test_anonymous_lookup_hides_images(fake):
    status, headers, doc = call(fake, "/releases/367084")
    assert status == 200
    assert doc["images"] and all(i["uri"] == "" and i["uri150"] == "" for i in doc["images"])
    assert doc["thumb"] == ""
    assert headers["x-discogs-ratelimit"] == "25"
    _, headers, doc = call(fake, "/releases/367084", AUTH)
    assert doc["images"][0]["uri"] and headers["x-discogs-ratelimit"] == "60"


def test_rate_limit_headers_count(fake):
    _, h1, _ = call(fake, "/artists/59792")
    _, h2, _ = call(fake, "/artists/59792")
    assert int(h2["x-discogs-ratelimit-used"]) == int(h1["x-discogs-ratelimit-used"]) + 1
    assert int(h2["x-discogs-ratelimit-remaining"]) == 25 - int(h2["x-discogs-ratelimit-used"])


def test_rate_limit_enforced(fake):
    fake.routes["/discogs"].enforce = True
    statuses = [call(fake, "/artists/59792")[0] for _ in range(25)]
    assert statuses == [200] * 25
    status, _, doc = call(fake, "/artists/59792")
    assert status == 429 and doc == {"message": "You are making requests too quickly."}


# ---- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("path,message", [
    ("/artists/1", "Artist not found."),
    ("/releases/999999999", "Release not found."),
    ("/masters/2", "Master Release not found."),
    ("/artists/abc", "The requested resource was not found."),
    ("/labels/895", "The requested resource was not found."),
    ("/", "The requested resource was not found."),
])
def test_not_found(fake, path, message):
    status, _, doc = call(fake, path, AUTH)
    assert status == 404 and doc == {"message": message}


def test_bad_token(fake):
    status, _, doc = call(fake, "/artists/59792", {"Authorization": "Discogs token=nope"})
    assert status == 401 and doc["message"].startswith("Invalid consumer token")


def test_method_not_allowed(fake):
    status, _, _ = call(fake, "/artists/59792", AUTH, method="POST")
    assert status == 405


# ---- search --------------------------------------------------------------------------------

def test_search_needs_a_token(fake):
    status, _, doc = call(fake, "/database/search", q="nevermind", type="release")
    assert status == 401
    assert doc == {"message": "You must authenticate to access this resource."}


def test_search_by_text_and_type(fake):
    status, _, doc = call(fake, "/database/search", AUTH, q="nirvana", type="artist")
    assert status == 200
    assert [r["title"] for r in doc["results"]] == ["Nirvana", "Nirvana (2)"]
    assert doc["results"][0]["uri"] == "/artist/125246-Nirvana"
    assert doc["pagination"]["items"] == 2
    _, _, doc = call(fake, "/database/search", AUTH, q="Nevermind")
    assert [(r["type"], r["id"]) for r in doc["results"]] == [("master", 13814),
                                                              ("release", 367084)]
    assert doc["results"][1]["title"] == "Nirvana - Nevermind"
    assert doc["results"][1]["master_id"] == 13814


def test_search_by_barcode(fake):
    _, _, doc = call(fake, "/database/search", AUTH, barcode="720642442524", type="release")
    assert [r["id"] for r in doc["results"]] == [367084]
    _, _, doc = call(fake, "/database/search", AUTH, barcode="000000000000")
    assert doc["results"] == [] and doc["pagination"]["items"] == 0


def test_search_pages(fake):
    _, _, doc = call(fake, "/database/search", AUTH, q="highway", per_page=1)
    assert doc["pagination"]["pages"] == 3 and len(doc["results"]) == 1
    assert "page=2" in doc["pagination"]["urls"]["next"]
    _, _, last = call(fake, "/database/search", AUTH, q="highway", per_page=1, page=3)
    assert last["pagination"]["urls"] == {} and last["results"][0]["id"] == 1420002


def test_search_item_without_image_gets_the_spacer(fake):
    _, _, doc = call(fake, "/database/search", AUTH, q="nirvana", type="artist")
    assert doc["results"][1]["cover_image"].endswith("spacer.gif")


# ---- catalogue -----------------------------------------------------------------------------

def _mb_docs(kind):
    return {f.stem: json.loads(f.read_text(encoding="utf-8"))
            for f in (MB / kind).glob("*.json")}


def test_catalogue_matches_musicbrainz_links(fake):
    links = []
    for kind in ("artist", "release-group"):
        for doc in _mb_docs(kind).values():
            for rel in doc.get("relations", []):
                url = (rel.get("url") or {}).get("resource", "")
                m = re.match(r"https://www\.discogs\.com/(artist|master)/(\d+)$", url)
                if m:
                    links.append((m.group(1), m.group(2), doc.get("name") or doc.get("title")))
    assert len(links) >= 10
    for kind, did, name in links:
        status, _, doc = call(fake, f"/{kind}s/{did}", AUTH)
        assert status == 200, (kind, did)
        got = doc.get("name") or doc.get("title")
        assert re.sub(r" \(\d+\)$", "", got).casefold() == name.casefold(), (did, got, name)


def test_catalogue_lists_every_file():
    text = (CATALOGUE / "CATALOGUE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\d+)` \|", text, re.M))
    files = {f.stem for kind in ("artists", "releases", "masters")
             for f in (CATALOGUE / kind).glob("*.json")}
    assert listed == files


def test_releases_agree_with_musicbrainz():
    text = (CATALOGUE / "CATALOGUE.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\d+)` \|.*\| `([0-9a-f-]{36})` \|$", text, re.M)
    mb = _mb_docs("release")
    releases = [(rid, mbid) for rid, mbid in rows if (CATALOGUE / "releases" /
                                                      f"{rid}.json").exists()]
    assert len(releases) == 10
    for rid, mbid in releases:
        doc = json.loads((CATALOGUE / "releases" / f"{rid}.json").read_text(encoding="utf-8"))
        tracks = [t for t in doc["tracklist"] if t["type_"] == "track"]
        mb_tracks = [t for m in mb[mbid]["media"] for t in m["tracks"]]
        assert [t["title"] for t in tracks] == [t["title"] for t in mb_tracks], rid
        for t, m in zip(tracks, mb_tracks):
            if m["length"] is None:
                assert t["duration"] == ""
            else:
                mins, secs = t["duration"].split(":")
                assert abs(int(mins) * 60 + int(secs) - m["length"] / 1000) <= 1
        assert doc["released"][:4] == mb[mbid]["date"][:4]
        barcode = [i["value"] for i in doc["identifiers"] if i["type"] == "Barcode"]
        digits = re.sub(r"\D", "", barcode[0]) if barcode else ""
        assert digits == (mb[mbid]["barcode"] or "")
