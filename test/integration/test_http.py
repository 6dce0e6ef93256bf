"""HTTP core: built-in endpoints, routing errors, limits, request ids, access log."""
import re
import socket
import threading

import pytest

from conftest import recv_all

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}


@pytest.fixture
def srv(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    m.wait_ready()
    return m


def assert_problem(r, status, slug):
    assert r.status == status, r
    assert r.headers["content-type"] == "application/problem+json"
    doc = r.json()
    assert PROBLEM_FIELDS <= set(doc), doc
    assert doc["status"] == status
    assert doc["type"] == f"urn:medley:problem:{slug}"
    assert doc["request_id"] == r.headers["x-request-id"]
    return doc


def test_health(srv):
    r = srv.get("/health")
    assert r.status == 200
    assert r.headers["content-type"] == "application/json"
    doc = r.json()
    assert doc["status"] == "ok"
    assert re.match(r"^\d+\.\d+\.\d+", doc["version"])
    assert isinstance(doc["uptime_s"], int) and doc["uptime_s"] >= 0
    assert r.headers["cache-control"] == "no-store"


def test_head_is_get_without_body(srv):
    get = srv.get("/health")
    head = srv.request("HEAD", "/health")
    assert head.status == 200
    assert head.body == ""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.body.encode())


def test_ready_when_migrated(srv):
    r = srv.get("/ready")
    assert r.status == 200
    doc = r.json()
    assert doc["status"] == "ready"
    assert doc["checks"] == {"shutdown": "ok", "database": "ok", "schema": "ok"}
    assert doc["schema"]["applied"] >= doc["schema"]["expected"] >= 1


def test_unknown_path_is_404(srv):
    doc = assert_problem(srv.get("/nope?x=1"), 404, "not-found")
    assert doc["instance"] == "/nope"


@pytest.mark.parametrize("path", ["/health/", "//health", "/HEALTH", "/health/x"])
def test_near_misses_are_404(srv, path):
    assert_problem(srv.get(path), 404, "not-found")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_wrong_method_is_405_with_allow(srv, method):
    r = srv.request(method, "/health")
    assert_problem(r, 405, "method-not-allowed")
    assert r.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("target", [
    "/health?q=%", "/health?q=%zz", "/health?q=%4", "/health?q=%00",
    "/health?q=%C3", "/health?=x", "/health?q=%0d%0a",
])
def test_bad_query_is_400(srv, target):
    doc = assert_problem(srv.get(target), 400, "bad-query")
    assert doc["detail"] != doc["title"]  # says what is wrong


@pytest.mark.parametrize("target", ["/he%zzlth", "/health%", "/%ff"])
def test_bad_path_is_400(srv, target):
    assert_problem(srv.get(target), 400, "bad-path")


def test_good_query_is_accepted(srv):
    assert srv.get("/health?a=1&b=caf%C3%A9&c=a+b&flag").status == 200


def test_long_url_is_414(srv):
    r = srv.get("/health?q=" + "x" * 9000)
    doc = assert_problem(r, 414, "uri-too-long")
    assert "8192" in doc["detail"]


def test_url_limit_is_configurable(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_MAX_URL_BYTES": "300"})
    assert m.get("/health?q=" + "x" * 250).status == 200
    assert_problem(m.get("/health?q=" + "x" * 400), 414, "uri-too-long")


def test_big_headers_are_431(srv):
    headers = {f"X-Pad-{i}": "v" * 1000 for i in range(20)}
    doc = assert_problem(srv.get("/health", headers=headers), 431, "headers-too-large")
    assert "16384" in doc["detail"]


def test_body_over_limit_is_413(srv):
    r = srv.request("GET", "/health", body=b"x" * 70000,
                    headers={"Content-Type": "application/octet-stream"})
    assert_problem(r, 413, "body-too-large")


def test_body_under_limit_is_ignored(srv):
    assert srv.request("GET", "/health", body=b"x" * 100).status == 200


def test_chunked_body_over_limit_is_413(srv):
    chunk = b"x" * 16000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(6)) + b"0\r\n\r\n"
    raw = srv.raw(b"POST /health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + body)
    assert raw.startswith(b"HTTP/1.1 413"), raw[:200]
    assert b"application/problem+json" in raw


def test_client_request_id_is_echoed(srv):
    r = srv.get("/health", headers={"X-Request-Id": "abc-123.XYZ_9"})
    assert r.headers["x-request-id"] == "abc-123.XYZ_9"
    r = srv.get("/nope", headers={"X-Request-Id": "trace-42"})
    assert r.headers["x-request-id"] == "trace-42"
    assert r.json()["request_id"] == "trace-42"


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "quote\"d", "semi;colon", "{json}"])
def test_unsafe_request_id_is_replaced(srv, bad):
    r = srv.get("/health", headers={"X-Request-Id": bad})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])


def test_generated_request_ids_are_unique(srv):
    ids = {srv.get("/health").headers["x-request-id"] for _ in range(50)}
    assert len(ids) == 50


def test_access_log_line_per_request(srv):
    r = srv.get("/health", headers={"X-Request-Id": "log-check-1"})
    assert r.status == 200
    line = srv.wait_log(lambda l: l.get("msg") == "request" and l.get("req") == "log-check-1")
    assert line["method"] == "GET"
    assert line["route"] == "health"
    assert line["status"] == 200
    assert line["bytes"] == len(r.body.encode())
    assert line["duration_ms"] >= 0
    assert line["level"] == "info"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line["ts"])
    srv.get("/nope", headers={"X-Request-Id": "log-check-2"})
    line = srv.wait_log(lambda l: l.get("req") == "log-check-2")
    assert line["route"] == "unknown" and line["status"] == 404
    assert line["error"] == "not-found"


def test_keep_alive_is_kept(srv):
    raw = srv.raw(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 200")
    assert b"close" not in raw.split(b"\r\n\r\n")[0].lower()


def test_malformed_request_line_does_not_kill_server(srv):
    for junk in [b"\x00\x01\x02\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"GET /health HTTP/1.1\r\nBad Header\r\n\r\n"]:
        srv.raw(junk, timeout=2)
    assert srv.get("/health").status == 200


def test_many_concurrent_connections(srv):
    """256 connections at once must not stall the pool (a libmicrohttpd trap)."""
    n = 256
    results = []
    lock = threading.Lock()
    socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=20) for _ in range(n)]

    def one(s):
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            data = recv_all(s)
            with lock:
                results.append(data.startswith(b"HTTP/1.1 200"))
        finally:
            s.close()

    threads = [threading.Thread(target=one, args=(s,)) for s in socks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results.count(True) == n


def test_listen_on_ipv6_loopback(medley, db_url):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_LISTEN": "::1"})
    with socket.create_connection(("::1", m.port), timeout=5) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 200")
