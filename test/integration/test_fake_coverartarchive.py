"""Tests of the fake Cover Art Archive (test/fake/providers/coverartarchive.py).

They check that the plugin serves its catalogue in CAA's listing format under /caa, answers
release groups with their release's listing, redirects front/back/image requests, and fails
like the real service: 404 HTML for art-less or unknown MBIDs, 400 for malformed or
uppercase ones and for other entities. No medley binary and no database are involved.
"""
import http.client
import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import fake_fixture  # noqa: E402

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "coverartarchive"
MB = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"

NEVERMIND = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"
NEVERMIND_RG = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
H61_LP = "dc0db095-3200-4d4c-95fa-9e5538e18aa5"
H61_RG = "72d13b02-3af4-4b58-80a0-8685f6fb7374"
LARS = "063ee4b7-a148-4672-925e-1502755f6587"       # in MusicBrainz, no artwork
LARS_RG = "d9d0c5c3-8bc8-4bfc-8803-8b3949c9ccfd"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_release_listing(fake):
    status, heads, body = get(fake, f"/caa/release/{NEVERMIND}")
    assert status == 200
    assert heads["content-type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["release"] == f"https://musicbrainz.org/release/{NEVERMIND}"
    kinds = [(i["front"], i["back"], i["types"][0], i["approved"]) for i in doc["images"]]
    assert (True, False, "Front", False) == kinds[0]       # the unapproved front comes first
    assert {"Front", "Back", "Booklet", "Medium"} <= {k[2] for k in kinds}
    for image in doc["images"]:
        assert image["image"].startswith(f"https://coverartarchive.org/release/{NEVERMIND}/")
        assert set(image["thumbnails"]) <= {"250", "500", "1200", "small", "large"}
    assert get(fake, f"/caa/release/{NEVERMIND}/")[0] == 200
    assert fake.requests("/caa/release/")[0].path == f"/caa/release/{NEVERMIND}"


def test_old_listing_shape(fake):
    doc = json.loads(get(fake, f"/caa/release/{H61_LP}")[2])
    assert doc["release"].startswith("http://musicbrainz.org/release/")
    assert isinstance(doc["images"][0]["id"], str)
    assert set(doc["images"][0]["thumbnails"]) == {"small", "large"}


def test_release_group_answers_its_release(fake):
    status, _, body = get(fake, f"/caa/release-group/{NEVERMIND_RG}")
    assert status == 200
    assert json.loads(body)["release"].endswith(f"/release/{NEVERMIND}")
    doc = json.loads(get(fake, f"/caa/release-group/{H61_RG}")[2])
    assert doc["release"].endswith(f"/release/{H61_LP}")


def test_redirects(fake):
    status, heads, _ = get(fake, f"/caa/release/{NEVERMIND}/front")
    assert status == 307
    assert heads["location"].endswith("/40000000001.jpg")   # the approved front
    status, heads, _ = get(fake, f"/caa/release/{NEVERMIND}/back-500")
    assert status == 307 and heads["location"].endswith("/40000000002-500.jpg")
    status, heads, _ = get(fake, f"/caa/release-group/{H61_RG}/front-250")
    assert status == 307 and heads["location"].endswith("/41000000001-250.jpg")
    status, heads, _ = get(fake, f"/caa/release/{NEVERMIND}/40000000005.png")
    assert status == 307 and heads["location"].endswith("/40000000005.png")
    status, _, body = get(fake, f"/caa/release/{H61_LP}/back")
    assert status == 404 and b"No back cover image found for release" in body
    assert get(fake, f"/caa/release/{NEVERMIND}/99")[0] == 404
    assert get(fake, f"/caa/release/{NEVERMIND}/spine")[0] == 400


@pytest.mark.parametrize("path,text", [
    (f"/caa/release/{LARS}", f"No cover art found for release {LARS}"),
    (f"/caa/release-group/{LARS_RG}", f"No cover art found for release group {LARS_RG}"),
    (f"/caa/release/{UNKNOWN}", f"No cover art found for release {UNKNOWN}"),
    (f"/caa/release/{NEVERMIND_RG}", "No cover art found for release"),
])
def test_not_found(fake, path, text):
    status, heads, body = get(fake, path)
    assert status == 404
    assert heads["content-type"].startswith("text/html")
    assert body.startswith(b"<!doctype html>")
    assert text.encode() in body


@pytest.mark.parametrize("path,text", [
    (f"/caa/release/{NEVERMIND.upper()}", "invalid MBID specified"),
    ("/caa/release/not-an-mbid", "invalid MBID specified"),
    (f"/caa/release/{NEVERMIND}x", "invalid MBID specified"),
    ("/caa/release/", "no MBID specified"),
    (f"/caa/artist/{NEVERMIND}", "Only the following entities are supported"),
])
def test_bad_requests(fake, path, text):
    status, heads, body = get(fake, path)
    assert status == 400
    assert heads["content-type"].startswith("text/html")
    assert text.encode() in body


def test_methods(fake):
    status, heads, body = get(fake, f"/caa/release/{NEVERMIND}", method="HEAD")
    assert status == 200 and body == b"" and int(heads["content-length"]) > 0
    assert get(fake, f"/caa/release/{NEVERMIND}", method="POST")[0] == 405


def test_faults_apply(fake):
    fake.add_fault("^/caa/", "status", times=1, status=503, retry_after=2)
    status, heads, _ = get(fake, f"/caa/release/{NEVERMIND}")
    assert status == 503 and heads["retry-after"] == "2"
    assert get(fake, f"/caa/release/{NEVERMIND}")[0] == 200


def test_catalogue_matches_musicbrainz():
    """Every release and release group with art is in the MusicBrainz fake, and the
    releases MusicBrainz says have no artwork have no listing here."""
    groups = json.loads((CATALOGUE / "release-group.json").read_text())
    listed = {f.stem for f in (CATALOGUE / "release").glob("*.json")}
    catalogue = (CATALOGUE / "CATALOGUE.md").read_text()
    for mbid in listed:
        mb = json.loads((MB / "release" / f"{mbid}.json").read_text())
        assert mb["cover-art-archive"]["artwork"] is True
        assert mbid in catalogue
    for group, release in groups.items():
        mb = json.loads((MB / "release" / f"{release}.json").read_text())
        assert mb["release-group"]["id"] == group
        assert group in catalogue
    for f in (MB / "release").glob("*.json"):
        if not json.loads(f.read_text())["cover-art-archive"]["artwork"]:
            assert f.stem not in listed and f.stem in catalogue
