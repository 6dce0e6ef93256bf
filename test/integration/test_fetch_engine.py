"""The fetch engine, black-box: test/tools/fetchtool against a fake HTTP server.

fetchtool drives one MusicBrainz fetcher configured from MEDLEY_* variables and
prints one JSON line per fetch. The fake below (http.server on 127.0.0.1:0, in
this file so it depends on nothing else) records every request it receives:
arrival time, path, headers and the client port (one port = one connection).
What the fake saw is the truth for pacing, User-Agent, gzip and keep-alive.

Paths the fake answers:
  /ok/NAME?n=N           200, a JSON body of about N bytes, gzip when asked
  /status/CODE[/x]?ra=S  CODE, with Retry-After: S (or an HTTP-date when date=1)
  /flaky/KEY?fail=K&code=C[&ra=S]
                         C for the first K requests of KEY, then 200
  /hang?s=S              waits S seconds before answering (to time out)
  /big?n=N[&code=C][&gz=1]
                         N bytes of body with status C, gzip-compressed with gz=1
  /redirect?to=PATH      302 to PATH
  http://...             an absolute URI: we are being used as a proxy

The tool is $MEDLEY_FETCHTOOL, else build/tools/fetchtool (skipped when absent).
Timing upper bounds scale with MEDLEY_TEST_SLOW (sanitizer builds).
"""
import collections
import email.utils
import gzip
import http.server
import json
import os
import pathlib
import re
import socket
import subprocess
import threading
import time
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SLOW = float(os.environ.get("MEDLEY_TEST_SLOW", "1"))
TOOL = os.environ.get("MEDLEY_FETCHTOOL", str(ROOT / "build" / "tools" / "fetchtool"))
CONTACT = "medley-tests@example.org"
EPS = 0.005  # seconds: scheduling slack on lower bounds (same machine, same clock)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.request_body = self.rfile.read(n) if n > 0 else b""
        self.do_GET()

    def do_GET(self):
        fake = self.server.fake
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        fake.record(self, url.path)
        if self.path.startswith("http://"):
            return self.reply(200, b"proxied")
        parts = url.path.strip("/").split("/")
        route = getattr(self, "route_" + parts[0], None)
        if route is None:
            return self.reply(404, b"no route")
        return route(parts, q)

    def reply(self, code, body, headers=()):
        try:
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout, too large, shutdown)

    def route_ok(self, parts, q):
        body = json.dumps({"name": parts[-1], "pad": "a" * int(q.get("n", "2000"))}).encode()
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            return self.reply(200, gzip.compress(body), [("Content-Encoding", "gzip")])
        return self.reply(200, body)

    def retry_after(self, q):
        if "ra" not in q:
            return []
        if q.get("date") == "1":
            return [("Retry-After", email.utils.formatdate(time.time() + int(q["ra"]),
                                                           usegmt=True))]
        return [("Retry-After", q["ra"])]

    def route_status(self, parts, q):
        return self.reply(int(parts[1]), b'{"error":"as asked"}', self.retry_after(q))

    def route_flaky(self, parts, q):
        n = self.server.fake.bump(parts[1])
        if n <= int(q.get("fail", "1")):
            return self.reply(int(q.get("code", "500")), b"flaky", self.retry_after(q))
        return self.route_ok(parts, q)

    def route_hang(self, parts, q):
        self.server.fake.closing.wait(float(q.get("s", "5")))
        return self.reply(200, b"late")

    def route_big(self, parts, q):
        body = b"x" * int(q["n"])
        headers = []
        if q.get("gz") == "1":
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        return self.reply(int(q.get("code", "200")), body, headers)

    def route_redirect(self, parts, q):
        return self.reply(302, b"", [("Location", q["to"])])


class Fake:
    """The fake provider: a threaded HTTP/1.1 server that records what it got."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.counts = collections.Counter()
        self.closing = threading.Event()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def record(self, h, path):
        with self.lock:
            self.requests.append({
                "t": time.monotonic(), "path": path, "raw_path": h.path,
                "conn": h.client_address[1],
                "ua": h.headers.get("User-Agent"),
                "accept_encoding": h.headers.get("Accept-Encoding", ""),
                "method": h.command,
                "authorization": h.headers.get("Authorization"),
                "content_type": h.headers.get("Content-Type"),
                "body": getattr(h, "request_body", b""),
            })

    def bump(self, key):
        with self.lock:
            self.counts[key] += 1
            return self.counts[key]

    def seen(self, prefix=""):
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(prefix)]

    def close(self):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    f = Fake()
    yield f
    f.close()


@pytest.fixture(scope="module", autouse=True)
def tool_built():
    if not os.access(TOOL, os.X_OK):
        if "MEDLEY_FETCHTOOL" in os.environ:
            pytest.fail(f"MEDLEY_FETCHTOOL={TOOL} is not an executable")
        pytest.skip(f"{TOOL} not built (make build/tools/fetchtool)")


# Fast and forgiving unless a test says otherwise.
BASE = {
    "RATE_PER_S": "100", "BURST": "10", "CONCURRENCY": "1", "TIMEOUT_MS": "3000",
    "RETRIES": "0", "BREAKER_FAILURES": "100", "BREAKER_OPEN_MS": "30000",
    "MAX_QUEUE": "1000", "MAX_BODY_BYTES": "1048576",
}


def run(args, timeout=30, contact=CONTACT, env=None, **provider):
    """Run fetchtool; returns (results sorted by submission, stderr, exit code)."""
    full = {k: v for k, v in os.environ.items()
            if not k.startswith("MEDLEY_") and k.lower() not in ("http_proxy", "https_proxy",
                                                                "all_proxy", "no_proxy")}
    full["MEDLEY_LOG_LEVEL"] = "debug"
    if contact is not None:
        full["MEDLEY_CONTACT"] = contact
    for k, v in {**BASE, **{k.upper(): str(v) for k, v in provider.items()}}.items():
        full["MEDLEY_PROVIDERS_MUSICBRAINZ_" + k] = v
    full.update(env or {})
    p = subprocess.run([TOOL, *args], env=full, capture_output=True, text=True,
                       timeout=timeout * SLOW)
    results = sorted((json.loads(l) for l in p.stdout.splitlines()), key=lambda r: r["i"])
    return results, p.stderr, p.returncode


def ok_run(args, **kw):
    results, err, rc = run(args, **kw)
    assert rc == 0, err[-4000:]
    assert [r["i"] for r in results] == list(range(len(results))), results
    return results, err


def logs(stderr):
    return [json.loads(l) for l in stderr.splitlines() if l.startswith("{")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- pacing, User-Agent, gzip, keep-alive ------------------------------------

def test_headers_and_post(fake):
    """Extra headers (a bearer token) on every later fetch; a POST with a form body, as
    Spotify's client-credentials token request needs."""
    results, _ = ok_run(["header:Authorization: Bearer abc123", fake.url("/ok/a"),
                         "header:Content-Type: application/x-www-form-urlencoded",
                         "post:grant_type=client_credentials", fake.url("/ok/b")])
    assert [r["outcome"] for r in results] == ["ok", "ok"]
    a, b = fake.seen("/ok/a")[0], fake.seen("/ok/b")[0]
    assert (a["method"], a["authorization"], a["body"]) == ("GET", "Bearer abc123", b"")
    assert b["method"] == "POST" and b["authorization"] == "Bearer abc123"
    assert b["content_type"] == "application/x-www-form-urlencoded"
    assert b["body"] == b"grant_type=client_credentials"


def test_pacing_user_agent_gzip_keepalive(fake):
    urls = [fake.url(f"/ok/{i}?n=5000") for i in range(10)]
    results, _ = ok_run(urls, rate_per_s=2, burst=1)
    assert [r["outcome"] for r in results] == ["ok"] * 10
    got = fake.seen("/ok/")
    assert len(got) == 10
    # Pacing, as the server saw it: request k no earlier than (k - 1) * 0.5 s after the
    # second. The first one reaches the handler late (TCP handshake, the fake's new
    # thread), which can only shrink the first gap, so it gets a looser bound.
    ts = [r["t"] - got[0]["t"] for r in got]
    assert ts[1] >= 0.5 - 0.05, ts
    for k in range(1, 10):
        assert ts[k] - ts[1] >= (k - 1) * 0.5 - EPS, ts
    assert ts[-1] <= 4.5 + 0.5 * SLOW
    # Waiting for tokens is what the fetches reported, too.
    assert results[9]["rate_wait_ms"] >= 4500 - 5
    assert all(r["attempts"] == 1 for r in results)
    # The default User-Agent names the contact, byte for byte.
    assert all(re.fullmatch(r"medley/[0-9][^ ]* \( medley-tests@example\.org \)", r["ua"])
               for r in got), got[0]["ua"]
    # gzip asked for, sent compressed, handed over decoded.
    assert all("gzip" in r["accept_encoding"] for r in got)
    plain = len(json.dumps({"name": "0", "pad": "a" * 5000}))
    assert results[0]["bytes"] == plain
    # Keep-alive: ten requests over one connection.
    assert len({r["conn"] for r in got}) == 1


def test_configured_user_agent_sent_exactly(fake):
    ua = "TestAgent/9.9 ( https://example.org/bot )"
    results, _ = ok_run([fake.url("/ok/ua")], user_agent=ua, contact="")
    assert results[0]["outcome"] == "ok"
    assert fake.seen()[0]["ua"] == ua


def test_missing_contact_refused(fake):
    results, err, rc = run([fake.url("/ok/x")], contact="")
    assert rc == 2 and results == []
    assert "contact" in err
    assert fake.seen() == []


# ---- Retry-After pauses the whole provider -------------------------------------

@pytest.mark.parametrize("code,ra,date,min_pause", [
    (503, 2, False, 2.0),
    (429, 2, False, 2.0),
    (429, 3, True, 1.0),  # HTTP-date: whole seconds, so at least ra - 1 - rounding
])
def test_retry_after_pauses_all_fetches(fake, code, ra, date, min_pause):
    flaky = f"/flaky/ra{code}?fail=1&code={code}&ra={ra}" + ("&date=1" if date else "")
    urls = [fake.url(flaky)] + [fake.url(f"/ok/{i}") for i in range(3)]
    results, _ = ok_run(urls, retries=2)
    assert [r["outcome"] for r in results] == ["ok"] * 4
    assert results[0]["attempts"] == 2
    got = fake.seen()
    assert got[0]["path"].startswith("/flaky/")
    t_limited = got[0]["t"]
    # Nothing at all reached the provider during the pause; the retry went first.
    assert all(r["t"] - t_limited >= min_pause - EPS for r in got[1:]), \
        [(r["path"], round(r["t"] - t_limited, 3)) for r in got]
    assert got[1]["path"].startswith("/flaky/")
    assert len(got) == 5


def test_rate_limited_when_retries_spent(fake):
    results, err = ok_run([fake.url("/status/503?ra=1"), fake.url("/status/429")], retries=1)
    assert [(r["outcome"], r["status"], r["attempts"]) for r in results] == \
        [("rate_limited", 503, 2), ("rate_limited", 429, 2)]
    got = fake.seen("/status/503")
    assert got[1]["t"] - got[0]["t"] >= 1.0 - EPS
    assert any(l["msg"] == "fetch failed" and l["outcome"] == "rate_limited"
               for l in logs(err))


# ---- retries, errors, timeouts, sizes ------------------------------------------

def test_500_retried_with_backoff_then_ok(fake):
    results, err = ok_run([fake.url("/flaky/five?fail=2&code=500")], retries=2)
    assert (results[0]["outcome"], results[0]["status"], results[0]["attempts"]) == \
        ("ok", 200, 3)
    assert len(fake.seen("/flaky/five")) == 3
    retries = [l for l in logs(err) if l["msg"] == "fetch retry scheduled"]
    assert [l["attempts"] for l in retries] == [1, 2]
    assert all(0 <= l["delay_ms"] <= 250 * 2 ** k for k, l in enumerate(retries))


def test_final_errors_and_what_is_retried(fake):
    urls = [fake.url(p) for p in ("/status/500", "/status/404", "/status/400",
                                  "/status/502/x")]
    results, err = ok_run(urls, retries=2)
    assert [(r["outcome"], r["status"], r["attempts"]) for r in results] == [
        ("http_error", 500, 3), ("not_found", 404, 1), ("http_error", 400, 1),
        ("http_error", 502, 3)]
    assert len(fake.seen("/status/500")) == 3
    assert len(fake.seen("/status/404")) == 1
    assert len(fake.seen("/status/400")) == 1
    failed = [l for l in logs(err) if l["msg"] == "fetch failed"]
    assert len(failed) == 3  # not_found is an answer, not a failure
    assert not any("as asked" in l for l in err.splitlines())  # never a body


def test_timeout_per_attempt(fake):
    results, _ = ok_run([fake.url("/hang?s=5")], timeout_ms=300, retries=1)
    r = results[0]
    assert (r["outcome"], r["attempts"], r["status"]) == ("timeout", 2, 0)
    got = fake.seen("/hang")
    assert len(got) == 2
    assert got[1]["t"] - got[0]["t"] >= 0.3 - 0.05  # the first arrival may lag its send
    assert 600 - 5 <= r["duration_ms"] <= 600 + 250 + 400 * SLOW


def test_body_cap(fake):
    urls = [fake.url(p) for p in ("/big?n=4096", "/big?n=4097", "/big?n=1000000",
                                  "/big?n=100000&code=500", "/big?n=1000000&gz=1")]
    results, _ = ok_run(urls, max_body_bytes=4096, retries=2)
    assert (results[0]["outcome"], results[0]["bytes"]) == ("ok", 4096)  # the cap itself fits
    assert [r["outcome"] for r in results] == ["ok"] + ["too_large"] * 4
    assert [r["bytes"] for r in results[1:]] == [0] * 4  # a cut body is never handed out
    # Too large is never retried, not even on a 5xx.
    assert [r["attempts"] for r in results] == [1] * 5
    assert len(fake.seen("/big")) == 5


def test_redirect_followed(fake):
    results, _ = ok_run([fake.url("/redirect?to=/ok/target")])
    assert (results[0]["outcome"], results[0]["status"]) == ("ok", 200)
    assert [r["path"] for r in fake.seen()] == ["/redirect", "/ok/target"]


def test_connection_refused_is_network(fake):
    results, _ = ok_run([f"http://127.0.0.1:{free_port()}/x"], retries=1)
    r = results[0]
    assert (r["outcome"], r["status"], r["attempts"]) == ("network", 0, 2)
    assert r["error"]


# ---- circuit breaker -----------------------------------------------------------

def test_breaker_opens_fails_fast_then_probe_closes(fake):
    args = [fake.url("/status/500/a"), fake.url("/status/500/b"), "wait",
            fake.url("/ok/fast1"), fake.url("/ok/fast2"), "wait", "sleep:800",
            fake.url("/hang?s=0.3"), fake.url("/ok/during-probe"), "wait",
            fake.url("/ok/after")]
    results, err = ok_run(args, breaker_failures=2, breaker_open_ms=700)
    assert [r["outcome"] for r in results] == [
        "http_error", "http_error", "breaker_open", "breaker_open", "ok", "breaker_open", "ok"]
    # Open: failed fast, without touching the network.
    assert [r["available"] for r in results[2:4]] == [False, False]
    assert [r["attempts"] for r in results[2:4]] == [0, 0]
    assert results[3]["t_done_ms"] - results[1]["t_done_ms"] < 100 * SLOW
    assert fake.seen("/ok/fast") == []
    # After breaker_open_ms exactly one probe goes; its success closes the breaker.
    assert results[4]["available"] is True
    assert fake.seen("/ok/during-probe") == []
    assert (results[6]["outcome"], results[6]["breaker"]) == ("ok", "closed")
    changes = [(l["from"], l["to"]) for l in logs(err)
               if l["msg"] == "provider circuit breaker changed"]
    assert changes == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]
    assert [l["level"] for l in logs(err) if l["msg"] == "provider circuit breaker changed"] \
        == ["warn", "info", "info"]


def test_breaker_failed_probe_reopens(fake):
    args = [fake.url("/status/500/a"), "wait", "sleep:300", fake.url("/status/500/probe"),
            "wait", fake.url("/ok/x")]
    results, _ = ok_run(args, breaker_failures=1, breaker_open_ms=250)
    assert [r["outcome"] for r in results] == ["http_error", "http_error", "breaker_open"]
    assert results[2]["breaker"] == "open"
    assert fake.seen("/ok/") == []


def test_open_breaker_cancels_pending_retries(fake):
    # Both go out at once; the quick failure opens the breaker while the slow one is
    # still in its first attempt, which then ends without its retry.
    args = [fake.url("/hang?s=5"), fake.url("/status/500")]
    results, _ = ok_run(args, concurrency=2, retries=1, breaker_failures=1,
                        breaker_open_ms=5000, timeout_ms=1000)
    assert [(r["outcome"], r["attempts"]) for r in results] == \
        [("timeout", 1), ("http_error", 2)]
    assert len(fake.seen("/hang")) == 1


# ---- queue limit, shutdown -------------------------------------------------------

def test_queue_full(fake):
    urls = [fake.url(f"/ok/q{i}") for i in range(6)]
    results, err = ok_run(urls, rate_per_s=5, burst=1, max_queue=2)
    outcomes = [r["outcome"] for r in results]
    full = [r for r in results if r["outcome"] == "queue_full"]
    # One may already be sent when the rest arrive: 2 or 3 fit, the others bounce.
    assert len(full) in (3, 4), outcomes
    assert set(outcomes) == {"ok", "queue_full"}
    assert all(r["attempts"] == 0 and r["t_done_ms"] < 100 * SLOW for r in full)
    assert len(fake.seen("/ok/")) == 6 - len(full)


def test_stop_aborts_in_flight_and_queued(fake):
    args = [fake.url("/hang?s=5"), fake.url("/ok/a"), fake.url("/ok/b"), "sleep:300", "stop",
            fake.url("/ok/late")]
    t0 = time.monotonic()
    results, _ = ok_run(args, timeout_ms=10000)
    assert time.monotonic() - t0 < 0.3 + 1.5 * SLOW
    assert [r["outcome"] for r in results] == ["shutdown"] * 4
    assert [r["attempts"] for r in results] == [1, 0, 0, 0]
    assert len(fake.seen()) == 1


# ---- proxy, log redaction ----------------------------------------------------------

def test_empty_proxy_ignores_proxy_environment(fake):
    dead = f"http://127.0.0.1:{free_port()}"
    results, _ = ok_run([fake.url("/ok/direct")],
                        env={"http_proxy": dead, "HTTP_PROXY": dead, "ALL_PROXY": dead})
    assert results[0]["outcome"] == "ok"


def test_configured_proxy_used(fake):
    results, _ = ok_run(["http://musicbrainz.invalid/ws/2/artist/x?fmt=json"],
                        proxy=fake.url(""))
    assert (results[0]["outcome"], results[0]["bytes"]) == ("ok", len(b"proxied"))
    assert fake.seen()[0]["raw_path"] == "http://musicbrainz.invalid/ws/2/artist/x?fmt=json"


def test_secrets_redacted_in_logs(fake):
    url = fake.url("/status/500?api_key=SECRET1&fmt=json&token=SECRET2")
    results, err = ok_run([url, fake.url("/ok/x?client_secret=SECRET3")])
    assert [r["outcome"] for r in results] == ["http_error", "ok"]
    assert "SECRET" not in err
    urls = [l["url"] for l in logs(err) if "url" in l]
    assert any("api_key=***&fmt=json&token=***" in u for u in urls), urls
    assert any("client_secret=***" in u for u in urls), urls
