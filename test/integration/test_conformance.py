"""Conformance: every recorded MusicBrainz response in ../shared/fixtures/musicbrainz is
replayed through the fake provider to the real binary, and the document medley serves
must be valid and match the recording (ids, names, counts, ISRCs, scores).

The recordings are read where they are (never copied into the repository). Without the
folder the suite is skipped with a message."""
import json
import os
import pathlib
import re
import urllib.parse

import pytest

from conftest import ROOT
from mb import mb_env

SHARED = pathlib.Path(os.environ.get("MEDLEY_SHARED_DIR", ROOT.parent / "shared"))
FIXTURES = SHARED / "fixtures" / "musicbrainz"
SOURCES = SHARED / "fixtures" / "SOURCES.md"


def recorded_requests():
    """file name -> the recorded request (path and query) from SOURCES.md."""
    out = {}
    for line in SOURCES.read_text().splitlines():
        m = re.match(r"\| fixtures/musicbrainz/(\S+) \| musicbrainz \| `GET (\S+)` \|", line)
        if m:
            out[m.group(1)] = urllib.parse.urlsplit(m.group(2))
    return out


CASES = sorted(p.name for p in FIXTURES.glob("*.json")) if FIXTURES.is_dir() else []
ENTITY_PATH = {"artist": "artists", "release-group": "release-groups", "release": "releases",
               "recording": "recordings"}
LIST_KEY = {"artist": "artists", "release-group": "release-groups", "release": "releases",
            "recording": "recordings"}


def medley_target(name, req):
    """What to ask medley for the recording `name` answered to MusicBrainz request req."""
    kind = name.split("_")[0]
    query = urllib.parse.parse_qs(req.query)
    if kind.endswith("-lookup"):
        entity = kind[:-len("-lookup")]
        mbid = req.path.rsplit("/", 1)[1]
        return f"/v1/{ENTITY_PATH[entity]}/{mbid}", f"^{re.escape(req.path)}$"
    if kind.endswith("-search"):
        entity = kind[:-len("-search")]
        q = urllib.parse.quote(query["query"][0])
        limit = query.get("limit", ["25"])[0]
        return (f"/v1/search?type={entity}&q={q}&limit={limit}",
                f"^/ws/2/{re.escape(entity)}$")
    if kind == "release-group-browse":
        artist = query["artist"][0]
        extra = "".join(f"&{k}={query[k][0]}" for k in ("type", "limit") if k in query)
        return (f"/v1/artists/{artist}/release-groups?{extra.lstrip('&')}",
                "^/ws/2/release-group$")
    return None, None


def check_lookup(doc, raw, entity):
    assert doc["kind"] == entity
    assert doc["id"] == raw["id"]
    title_key = "name" if entity == "artist" else "title"
    assert doc[title_key] == raw[title_key]
    for key in ["genres", "tags", "links"]:
        assert isinstance(doc[key], list), key
    if entity in ("artist", "release-group"):
        assert isinstance(doc["aliases"], list)
    if "aliases" in raw and entity in ("artist", "release-group"):
        assert len(doc["aliases"]) == len(raw["aliases"])
    if entity in ("release-group", "recording") and "releases" in raw:
        assert len(doc["releases"]) == len(raw["releases"])
    if entity == "release" and "media" in raw:
        assert len(doc["media"]) == len(raw["media"])
        assert [len(m["tracks"]) for m in doc["media"]] == \
            [len(m.get("tracks") or []) for m in raw["media"]]
    if entity == "recording":
        assert doc["isrcs"] == raw.get("isrcs", [])
    urls = {r["url"]["resource"] for r in raw.get("relations", []) if r.get("url")}
    assert {link["url"] for link in doc["links"]} == urls


def check_search(doc, raw, entity):
    hits = raw[LIST_KEY[entity]]
    assert doc["kind"] == "search"
    assert len(doc["results"]) == len(hits)
    assert [h["id"] for h in doc["results"]] == [h["id"] for h in hits]
    assert [h["score"] for h in doc["results"]] == [int(h["score"]) for h in hits]
    assert doc["count"] == raw["count"]


def check_browse(doc, raw):
    assert doc["count"] == raw["release-group-count"]
    assert doc["offset"] == raw["release-group-offset"]
    assert [rg["id"] for rg in doc["release_groups"]] == \
        [rg["id"] for rg in raw["release-groups"]]


@pytest.fixture(scope="module")
def requests_by_file():
    if not FIXTURES.is_dir():
        pytest.skip(f"skipped: {FIXTURES} not found (the shared recordings are optional)")
    return recorded_requests()


@pytest.mark.skipif(not CASES, reason=f"skipped: no recordings in {FIXTURES}")
@pytest.mark.parametrize("name", CASES)
def test_recording_replays_to_a_valid_document(name, requests_by_file, medley, fake, db_url):
    req = requests_by_file.get(name)
    assert req is not None, f"{name} is not in SOURCES.md"
    body = (FIXTURES / name).read_text()
    m = medley(env=mb_env(fake, db_url))
    if name.startswith("error-"):
        fake.add_fault(f"^{re.escape(req.path)}$", "body", body=body, status=400)
        r = m.get(f"/v1/artists/{req.path.rsplit('/', 1)[1]}")
        assert r.status == 502, r
        assert r.json()["type"] == "urn:medley:problem:upstream-error"
        return
    target, match = medley_target(name, req)
    assert target, f"no medley route for {name}"
    fake.add_fault(match, "body", body=body)
    r = m.get(target)
    assert r.status == 200, r
    doc, raw = r.json(), json.loads(body)
    assert doc["sources"][0]["provider"] == "musicbrainz"
    kind = name.split("_")[0]
    if kind.endswith("-lookup"):
        check_lookup(doc, raw, kind[:-len("-lookup")])
    elif kind.endswith("-search"):
        check_search(doc, raw, kind[:-len("-search")])
    else:
        check_browse(doc, raw)
    # And it was stored: asking again is a hit with the same document.
    again = m.get(target).json()
    assert again["cache"]["status"] == "hit"
    assert {k: v for k, v in again.items() if k != "cache"} == \
        {k: v for k, v in doc.items() if k != "cache"}
