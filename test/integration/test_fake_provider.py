"""Tests of the fake upstream provider itself (test/fake/fake_provider.py).

They check that the fake speaks MusicBrainz's ws/2 JSON shapes from its catalogue, that
every fault kind does what medley's tests will rely on, and that it records what it
received. No medley binary and no database are involved.
"""
import gzip
import http.client
import json
import pathlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
import fake_provider  # noqa: E402
from fake_provider import FakeProvider, fake_fixture  # noqa: E402

FIXTURES = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"

DYLAN = "72c536dc-7137-4477-a521-567eeb840fa8"
NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
NIRVANA_UK = "384256c2-bb82-4af4-b9b9-da7c94f83654"
COHEN = "65314b12-0e08-43fa-ba33-baaa7b874c15"
COHEN_MERGED = "6e2c10cb-fda3-4b40-9312-fea63ebe27cc"
BARE = "83cba9fc-8173-4adb-89da-1c6dfcbcf27a"
NEVERMIND_RG = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
NEVERMIND_RG_MERGED = "39756b71-ea8f-40a0-81f4-4e892652ad44"
NEVERMIND_CD = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"
LIVE_IN_LONDON = "6e9e2a20-aa88-4e64-a409-90882b0c0d8e"
LARS = "f456e1a0-53de-4c79-9ac7-51b488dc5484"          # Like a Rolling Stone, 2 ISRCs
ENDLESS = "4c2e2fb6-5b72-4360-9ff4-07ba91cfec8f"       # length null, no ISRC
UNKNOWN = "00000000-0000-4000-8000-000000000000"

NOT_FOUND = {"error": "Not Found",
             "help": "For usage, please see: https://musicbrainz.org/development/mmd"}


@pytest.fixture
def fake():
    yield from fake_fixture()


class Reply:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers  # lower-cased names
        self.raw = raw          # bytes as received (maybe gzip)

    @property
    def body(self):
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.raw)
        return self.raw

    def json(self):
        return json.loads(self.body)


def request(fake, method, path, headers=None, body=None, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        raw = r.read()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, raw)
    finally:
        conn.close()


def get(fake, path, **kw):
    return request(fake, "GET", path, **kw)


def mb(fake, path, **params):
    params.setdefault("fmt", "json")
    return get(fake, f"/ws/2/{path}?{urllib.parse.urlencode(params)}")


# ---- lookups ---------------------------------------------------------------------------------

@pytest.mark.parametrize("entity,mbid,field,value", [
    ("artist", DYLAN, "name", "Bob Dylan"),
    ("release-group", NEVERMIND_RG, "title", "Nevermind"),
    ("release", NEVERMIND_CD, "barcode", "720642442524"),
    ("recording", LARS, "isrcs", ["USSM16500316", "USSM10300953"]),
])
def test_lookup_each_entity(fake, entity, mbid, field, value):
    r = mb(fake, f"{entity}/{mbid}", inc="aliases+genres+tags+ratings+url-rels")
    assert r.status == 200
    assert r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["id"] == mbid
    assert doc[field] == value


def test_lookup_ignores_inc(fake):
    a = mb(fake, f"artist/{DYLAN}").body
    b = mb(fake, f"artist/{DYLAN}", inc="aliases+url-rels+genres").body
    assert a == b


def test_artist_rich_document(fake):
    doc = mb(fake, f"artist/{DYLAN}").json()
    assert doc["sort-name"] == "Dylan, Bob" and doc["type"] == "Person"
    assert doc["life-span"] == {"begin": "1941-05-24", "end": None, "ended": False}
    assert len(doc["aliases"]) >= 10
    urls = [rel["url"]["resource"] for rel in doc["relations"] if rel["target-type"] == "url"]
    for host in ("open.spotify.com", "deezer.com", "discogs.com", "wikidata.org",
                 "music.apple.com", "allmusic.com", "bobdylan.com"):
        assert any(host in u for u in urls), host
    assert len(urls) > len(set(urls)), "the duplicate Spotify relation is missing"


def test_person_with_mixed_precision_dates(fake):
    doc = mb(fake, f"artist/{COHEN}").json()
    assert doc["gender"] == "Male"
    assert doc["life-span"] == {"begin": "1934", "end": "2016-11-07", "ended": True}


def test_artist_without_optional_data(fake):
    doc = mb(fake, f"artist/{BARE}").json()
    for key in ("type", "gender", "country", "area", "begin-area", "end-area"):
        assert doc[key] is None, key
    for key in ("aliases", "genres", "tags", "relations", "isnis", "ipis", "release-groups"):
        assert doc[key] == [], key
    assert doc["life-span"] == {"begin": None, "end": None, "ended": False}
    assert doc["rating"] == {"value": None, "votes-count": 0}


def test_two_artists_with_the_same_name(fake):
    us = mb(fake, f"artist/{NIRVANA}").json()
    uk = mb(fake, f"artist/{NIRVANA_UK}").json()
    assert us["name"] == uk["name"] == "Nirvana"
    assert us["disambiguation"] != uk["disambiguation"]


def test_release_media_tracks_and_recordings(fake):
    doc = mb(fake, f"release/{LIVE_IN_LONDON}").json()
    assert [m["position"] for m in doc["media"]] == [1, 2]
    for m in doc["media"]:
        assert m["track-count"] == len(m["tracks"])
        for t in m["tracks"]:
            assert t["recording"]["id"] and t["number"]
    nevermind = mb(fake, f"release/{NEVERMIND_CD}").json()
    lengths = [t["length"] for t in nevermind["media"][0]["tracks"]]
    assert None in lengths and lengths[0] == 301920


def test_recording_lists_its_releases(fake):
    doc = mb(fake, f"recording/{LARS}").json()
    assert len(doc["releases"]) == 3
    assert all(r["release-group"]["id"] for r in doc["releases"])
    doc = mb(fake, f"recording/{ENDLESS}").json()
    assert doc["length"] is None and doc["isrcs"] == []


def test_unknown_and_malformed_ids(fake):
    r = mb(fake, f"artist/{UNKNOWN}")
    assert r.status == 404 and r.json() == NOT_FOUND
    r = mb(fake, "recording/not-an-mbid")
    assert r.status == 400 and r.json() == {"error": "Invalid mbid."}
    r = mb(fake, f"artist/{DYLAN}", inc="aliases+bogus")
    assert r.status == 400
    assert r.json() == {"error": "bogus is not a valid inc parameter for the artist resource."}


@pytest.mark.parametrize("entity,old,new", [("artist", COHEN_MERGED, COHEN),
                                            ("release-group", NEVERMIND_RG_MERGED,
                                             NEVERMIND_RG)])
def test_merged_id_answers_the_canonical_document(fake, entity, old, new):
    r = mb(fake, f"{entity}/{old}")
    assert r.status == 200
    assert r.json()["id"] == new != old


# ---- browse ----------------------------------------------------------------------------------

def browse(fake, artist, **params):
    r = mb(fake, "release-group", artist=artist, **params)
    assert r.status == 200, r.body
    return r.json()


def test_browse_default_page_and_paging(fake):
    first = browse(fake, DYLAN)
    total = first["release-group-count"]
    assert 25 < total < 100
    assert first["release-group-offset"] == 0 and len(first["release-groups"]) == 25
    ids = [g["id"] for g in first["release-groups"]]
    assert ids == sorted(ids)
    rest = browse(fake, DYLAN, offset=25, limit=100)
    assert rest["release-group-offset"] == 25
    assert len(rest["release-groups"]) == total - 25
    assert not set(ids) & {g["id"] for g in rest["release-groups"]}
    assert len(browse(fake, DYLAN, limit=1000)["release-groups"]) == total  # max 100
    assert browse(fake, DYLAN, offset=total)["release-groups"] == []


def test_browse_type_filter_counts_after_filtering(fake):
    everything = browse(fake, NIRVANA, limit=100)["release-groups"]
    for t, primary in (("album", "Album"), ("single", "Single"), ("ep", "EP")):
        page = browse(fake, NIRVANA, type=t, limit=2)
        want = [g for g in everything if g["primary-type"] == primary]
        assert page["release-group-count"] == len(want) > 0
        assert [g["primary-type"] for g in page["release-groups"]] == [primary] * min(2, len(want))
    both = browse(fake, NIRVANA, type="album|ep", limit=100)
    assert {g["primary-type"] for g in both["release-groups"]} == {"Album", "EP"}
    live = browse(fake, NIRVANA, type="live", limit=100)["release-groups"]
    assert live and all("Live" in g["secondary-types"] for g in live)


def test_browse_errors_and_empty(fake):
    assert browse(fake, BARE) == {"release-group-count": 0, "release-group-offset": 0,
                                  "release-groups": []}
    assert mb(fake, "release-group", artist=UNKNOWN).status == 404
    assert mb(fake, "release-group", artist="nope").json() == {"error": "Invalid mbid."}
    assert mb(fake, "release-group", artist=DYLAN, type="polka").status == 400
    assert browse(fake, COHEN_MERGED)["release-group-count"] == \
        browse(fake, COHEN)["release-group-count"]


# ---- search ----------------------------------------------------------------------------------

@pytest.mark.parametrize("entity,key,query,top", [
    ("artist", "artists", "nirvana", "Nirvana"),
    ("artist", "artists", "robert zimmerman", "Bob Dylan"),   # an alias
    ("release-group", "release-groups", 'releasegroup:"nevermind" AND artist:nirvana',
     "Nevermind"),
    ("release", "releases", "highway 61 revisited", "Highway 61 Revisited"),
    ("recording", "recordings", 'recording:"smells like teen spirit" AND arid:' + NIRVANA,
     "Smells Like Teen Spirit"),
])
def test_search_shape(fake, entity, key, query, top):
    r = mb(fake, entity, query=query)
    assert r.status == 200
    doc = r.json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", doc["created"])
    assert doc["offset"] == 0 and doc["count"] >= 1
    items = doc[key]
    assert items[0].get("name", items[0].get("title")) == top
    scores = [i["score"] for i in items]
    assert all(isinstance(s, int) and 0 <= s <= 100 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_search_same_name_artists_both_score_100(fake):
    doc = mb(fake, "artist", query='artist:"Nirvana"').json()
    assert doc["count"] == 2
    assert {a["id"] for a in doc["artists"]} == {NIRVANA, NIRVANA_UK}
    assert [a["score"] for a in doc["artists"]] == [100, 100]


def test_search_limit_offset_and_count(fake):
    full = mb(fake, "release-group", query="dylan", limit=100).json()
    n = full["count"]
    assert n > 3 and len(full["release-groups"]) == n
    page = mb(fake, "release-group", query="dylan", limit=2, offset=1).json()
    assert page["count"] == n and page["offset"] == 1
    assert page["release-groups"] == full["release-groups"][1:3]
    assert len(mb(fake, "release-group", query="dylan").json()["release-groups"]) == min(n, 25)
    empty = mb(fake, "recording", query="zzzzqqq").json()
    assert empty["count"] == 0 and empty["recordings"] == []


def test_search_by_isrc_and_barcode(fake):
    doc = mb(fake, "recording", query="isrc:USSM10300953").json()
    assert [r["id"] for r in doc["recordings"]] == [LARS]
    doc = mb(fake, "release", query="barcode:720642442524").json()
    assert [r["id"] for r in doc["releases"]] == [NEVERMIND_CD]


# ---- faults ----------------------------------------------------------------------------------

ARTIST_PATH = f"/ws/2/artist/{DYLAN}?fmt=json"


def test_fault_delay(fake):
    fault = fake.add_fault(r"^/ws/2/artist/", "delay", seconds=0.3, times=1)
    t0 = time.monotonic()
    r = get(fake, ARTIST_PATH)
    assert r.status == 200 and time.monotonic() - t0 >= 0.3
    assert fault.hits == 1 and fault.remaining == 0
    t0 = time.monotonic()
    get(fake, ARTIST_PATH)
    assert time.monotonic() - t0 < 0.3


def _in_thread(fn):
    out = {}

    def run():
        try:
            out["value"] = fn()
        except Exception as e:  # noqa: BLE001 - handed to the test
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def test_fault_hang_released_by_clear_faults(fake):
    fake.add_fault(r"/artist/", "hang")
    t, out = _in_thread(lambda: get(fake, ARTIST_PATH))
    fake.wait_for(1, "/ws/2/artist")
    t.join(0.3)
    assert t.is_alive(), "hang answered"
    fake.clear_faults()
    t.join(3)
    assert out["value"].status == 200


def test_fault_hang_released_by_stop():
    fake = FakeProvider().start()
    fake.add_fault(r"/artist/", "hang")
    t, out = _in_thread(lambda: get(fake, ARTIST_PATH))
    fake.wait_for(1)
    t0 = time.monotonic()
    fake.stop()
    assert time.monotonic() - t0 < 2
    t.join(3)
    assert isinstance(out.get("error"), (http.client.HTTPException, OSError))
    assert not fake.errors()


def test_fault_drop_gives_a_short_read(fake):
    fake.add_fault(r"/artist/", "drop", times=1)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    conn.request("GET", ARTIST_PATH)
    r = conn.getresponse()
    full = int(r.getheader("Content-Length"))
    with pytest.raises(http.client.IncompleteRead) as e:
        r.read()
    assert 0 < len(e.value.partial) < full
    conn.close()
    assert get(fake, ARTIST_PATH).status == 200


def test_fault_drop_with_reset(fake):
    fake.add_fault(r"/artist/", "drop", bytes=10, reset=True)
    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        get(fake, ARTIST_PATH)


@pytest.mark.parametrize("status,retry_after,header", [
    (503, 2, "2"),
    (429, 1.5, "1.5"),
    (503, "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT"),
    (500, None, None),
])
def test_fault_status(fake, status, retry_after, header):
    fake.add_fault(r"/artist/", "status", times=1, status=status, retry_after=retry_after)
    r = get(fake, ARTIST_PATH)
    assert r.status == status
    assert r.headers.get("retry-after") == header
    assert "error" in r.json()
    assert get(fake, ARTIST_PATH).status == 200


def test_fault_status_custom_body(fake):
    fake.add_fault(r"/artist/", "status", status=502, body="<html>bad gateway</html>",
                   content_type="text/html")
    r = get(fake, ARTIST_PATH)
    assert (r.status, r.body, r.headers["content-type"]) == (502, b"<html>bad gateway</html>",
                                                             "text/html")


def test_fault_invalid_json(fake):
    fake.add_fault(r"/artist/", "invalid_json")
    r = get(fake, ARTIST_PATH)
    assert r.status == 200 and len(r.body) == int(r.headers["content-length"])
    with pytest.raises(ValueError):
        json.loads(r.body)


def test_fault_oversized(fake):
    fake.add_fault(r"/artist/", "oversized", bytes=3_000_000)
    r = get(fake, ARTIST_PATH, headers={"Accept-Encoding": "gzip"})
    assert r.status == 200 and "content-encoding" not in r.headers
    assert len(r.body) == 3_000_000
    assert json.loads(r.body)["count"] == 0


def test_fault_oversized_gzip_bomb(fake):
    fake.add_fault(r"/artist/", "oversized", bytes=2_000_000, gzip=True)
    r = get(fake, ARTIST_PATH, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert len(r.raw) < 100_000 and len(r.body) == 2_000_000


def test_fault_body_verbatim(fake):
    hostile = b'{"id": "\xff\xfe", "name": ' + b"[" * 10000
    fake.add_fault(r"/artist/", "body", body=hostile, status=200)
    assert get(fake, ARTIST_PATH).body == hostile


def test_faults_fifo_times_and_query_match(fake):
    fake.add_fault(r"/artist/", "status", times=1, status=500)
    fake.add_fault(r"/artist/", "status", times=1, status=503)
    fake.add_fault(r"^/ws/2/recording", "status", status=429, query=r"(^|&)query=")
    assert [get(fake, ARTIST_PATH).status for _ in range(3)] == [500, 503, 200]
    assert mb(fake, f"recording/{LARS}").status == 200
    assert mb(fake, "recording", query="polly").status == 429
    assert [r.fault for r in fake.requests()] == ["status", "status", None, None, "status"]


def test_fault_validation(fake):
    with pytest.raises(ValueError):
        fake.add_fault("x", "explode")
    with pytest.raises(ValueError):
        fake.add_fault("x", "status")
    with pytest.raises(ValueError):
        fake.add_fault("x", "delay")


def test_client_disconnect_mid_answer_is_quiet(fake):
    fake.add_fault(r"/artist/", "oversized", bytes=20_000_000)
    with socket.create_connection(("127.0.0.1", fake.port), timeout=5) as s:
        s.sendall(f"GET {ARTIST_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        s.recv(1000)
    fake.clear_faults()
    time.sleep(0.1)
    assert get(fake, ARTIST_PATH).status == 200
    assert not fake.errors()


# ---- recording, gzip, keep-alive -------------------------------------------------------------

def test_requests_are_recorded_with_headers(fake):
    t0 = time.monotonic()
    r = get(fake, f"/ws/2/artist/{DYLAN}?inc=aliases+url-rels&fmt=json&x=1&x=2",
            headers={"User-Agent": "medley/0.1 ( ops@example.org )", "X-Trace": "abc"})
    assert r.status == 200
    get(fake, "/_fake/requests")
    reqs = fake.requests()
    assert len(reqs) == 1 and fake.count("/ws/2/artist") == 1 and fake.count("/nope") == 0
    req = reqs[0]
    assert (req.method, req.path) == ("GET", f"/ws/2/artist/{DYLAN}")
    assert req.query == {"inc": ["aliases url-rels"], "fmt": ["json"], "x": ["1", "2"]}
    assert req.query_string == "inc=aliases+url-rels&fmt=json&x=1&x=2"
    assert req.header("user-agent") == req.header("USER-AGENT") == "medley/0.1 ( ops@example.org )"
    assert req.header("x-trace") == "abc" and req.header("missing") is None
    assert t0 <= req.monotonic <= time.monotonic()
    assert abs(req.time - time.time()) < 5
    assert req.status == 200 and req.gzip is False
    fake.clear_requests()
    assert fake.requests() == []


def test_gzip(fake):
    plain = get(fake, ARTIST_PATH)
    zipped = get(fake, ARTIST_PATH, headers={"Accept-Encoding": "gzip, deflate"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) == len(zipped.raw) < len(plain.raw)
    assert zipped.body == plain.body
    assert [r.gzip for r in fake.requests()] == [False, True]
    refused = get(fake, ARTIST_PATH, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_keep_alive(fake):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        for path in (ARTIST_PATH, f"/ws/2/recording/{LARS}?fmt=json",
                     f"/ws/2/artist/{UNKNOWN}?fmt=json"):
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            assert r.getheader("Connection") == "keep-alive"
            assert r.getheader("Content-Length")
    finally:
        conn.close()
    reqs = fake.requests()
    assert len(reqs) == 3 and len({r.conn_id for r in reqs}) == 1
    assert len({r.client for r in reqs}) == 1


def test_wait_for(fake):
    threading.Timer(0.1, lambda: get(fake, ARTIST_PATH)).start()
    assert len(fake.wait_for(1, "/ws/2/", timeout=3)) == 1
    with pytest.raises(AssertionError):
        fake.wait_for(5, "/ws/2/", timeout=0.1)


def test_unknown_prefix_and_method(fake):
    assert get(fake, "/nope/artist/1").status == 404
    assert request(fake, "POST", ARTIST_PATH, body=b"{}").status == 405


def test_add_route_for_another_provider(fake):
    class Echo:
        def handle(self, req, path):
            return fake_provider.Answer.json({"path": path, "q": req.arg("q")})

    fake.add_route("/echo", Echo())
    assert get(fake, "/echo/a/b?q=1").json() == {"path": "/a/b", "q": "1"}
    assert fake.count("/echo") == 1


# ---- HTTP control API --------------------------------------------------------------------------

def test_http_control_api(fake):
    spec = {"match": "^/ws/2/artist/", "kind": "status", "times": 1,
            "params": {"status": 503, "retry_after": 7}}
    r = request(fake, "POST", "/_fake/faults", body=json.dumps(spec),
                headers={"Content-Type": "application/json"})
    assert r.status == 201 and r.json()["kind"] == "status"
    assert [f["remaining"] for f in get(fake, "/_fake/faults").json()] == [1]
    r = get(fake, ARTIST_PATH, headers={"User-Agent": "bench"})
    assert r.status == 503 and r.headers["retry-after"] == "7"
    assert get(fake, ARTIST_PATH).status == 200
    log = get(fake, "/_fake/requests").json()
    assert [e["status"] for e in log] == [503, 200]
    assert log[0]["headers"]["user-agent"] == "bench" and log[0]["fault"] == "status"
    assert log[0]["query"] == {"fmt": ["json"]}
    assert get(fake, "/_fake/count?path_prefix=/ws/2/artist").json() == {"count": 2}
    assert get(fake, "/_fake/requests?path_prefix=/nope").json() == []
    assert request(fake, "POST", "/_fake/clear").status == 200
    assert get(fake, "/_fake/requests").json() == []
    request(fake, "POST", "/_fake/faults", body=json.dumps({"match": "/", "kind": "hang"}))
    # the exhausted 503 rule is still listed (remaining 0) until cleared
    assert request(fake, "DELETE", "/_fake/faults").json() == {"cleared": 2}
    assert get(fake, ARTIST_PATH).status == 200
    bad = request(fake, "POST", "/_fake/faults", body=b'{"match": "(", "kind": "hang"}')
    assert bad.status == 400
    assert request(fake, "POST", "/_fake/faults", body=b"[]").status == 400
    assert get(fake, "/_fake/nothing").status == 404
    assert fake.count() == 1  # control calls are never recorded


# ---- command line ------------------------------------------------------------------------------

def test_cli_serves_and_stops_on_sigterm():
    proc = subprocess.Popen([sys.executable, str(ROOT / "test" / "fake" / "fake_provider.py"),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        m = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)\n", line)
        assert m, line
        conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=5)
        conn.request("GET", ARTIST_PATH)
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert proc.stderr.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ---- catalogue integrity ----------------------------------------------------------------------

def test_catalogue_is_coherent():
    """Every id a document points at resolves, and CATALOGUE.md names every id."""
    mbz = fake_provider.MusicBrainz(FIXTURES)
    docs = mbz.docs
    catalogue = (FIXTURES / "CATALOGUE.md").read_text(encoding="utf-8")
    for entity, by_id in docs.items():
        for mbid, doc in by_id.items():
            assert mbid in catalogue, f"{entity} {mbid} missing from CATALOGUE.md"
            for c in doc.get("artist-credit", []):
                assert c["artist"]["id"] in docs["artist"]
    for old, new in list(mbz.merged["artist"].items()) + list(mbz.merged["release-group"].items()):
        assert old in catalogue and old not in docs["artist"] and old not in docs["release-group"]
    for g in docs["release-group"].values():
        for r in g["releases"]:
            assert docs["release"][r["id"]]["release-group"]["id"] == g["id"]
    for r in docs["release"].values():
        assert r["release-group"]["id"] in docs["release-group"]
        for m in r["media"]:
            for t in m["tracks"]:
                rec = docs["recording"][t["recording"]["id"]]
                assert r["id"] in {x["id"] for x in rec["releases"]}
    for rec in docs["recording"].values():
        assert rec["releases"]
        for x in rec["releases"]:
            assert x["id"] in docs["release"]
    for a in docs["artist"].values():
        for g in a["release-groups"]:
            assert g["id"] in docs["release-group"]
