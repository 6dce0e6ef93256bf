"""Three medleys behind nginx: a rolling restart loses nothing, and the shipped retry
policy survives a provider outage.

Three medleys (the real binary) share one PostgreSQL and the fake MusicBrainz, behind
Debian's nginx running unprivileged with the upstream and server blocks of the shipped
etc/nginx/medley.conf (see lb.py): keep-alive to the upstream, `proxy_next_upstream`,
passive health marking (`max_fails`, `fail_timeout`). Client threads keep a steady load
through nginx on keep-alive connections.

test_rolling_restart_loses_nothing restarts one instance and then a second one the way
an operator or an orchestrator does it: SIGTERM, wait for the exit, start it again on
the same port, wait for /ready, and let nginx take it back before the next. It proves:
  - every request sent through nginx got the answer it should (200, or 404 for the
    deliberate misses) and no client saw a connection error;
  - nginx did meet the stopped instance refusing connections, and went on to another;
  - the stopping instance answered /ready with 503 (`checks.shutdown: draining`) for
    the whole drain, never 200, while still serving;
  - once the drain is over it refuses new connections at once (none is left hanging in
    the listen backlog until the exit resets it) while a request already in flight,
    waiting for a slow provider, is still answered 200, with `Connection: close`;
  - it exits 0 within drain + grace, and the restarted instance takes traffic again
    before the next one is stopped.

test_provider_outage_keeps_cached_lookups: MusicBrainz answers 500 to everything. The
misses get medley's own 502/503, the cached lookups keep their 200: nginx does not count
medley's answers as failures of the instance, so it never takes all three out.

test_request_after_the_grace_is_dropped (no nginx): once the grace is over the services
stop; a request arriving then on a connection kept alive from before is closed without
an answer, which a proxy retries elsewhere, instead of a final 503 `shutting-down`.
"""
import collections
import http.client
import json
import random
import re
import signal
import socket
import threading
import time
import uuid

import pytest

import lb
from conftest import ROOT, SLOW, recv_all
from mb import BARE, COHEN, DYLAN, NIRVANA, NIRVANA_UK, mb_env

needs_nginx = pytest.mark.skipif(
    lb.nginx_binary() is None,
    reason="nginx is not installed (Debian: apt-get install nginx-light; "
           "tools/deps.sh deploy installs it)")

DRAIN_S = 1          # server.drain_s: /ready 503 while still serving
GRACE_S = 5          # server.shutdown_grace_s: bound for in-flight requests
FAIL_TIMEOUT = "1s"  # nginx: the shipped 10s, shortened so a restarted instance rejoins fast
THREADS = 6          # client threads, one keep-alive connection each
MIN_REQUESTS = 300   # below this the load was not steady enough to prove anything
SLOW_FETCH_S = 2.0   # the provider delay of the request kept in flight across the drain

CATALOGUE = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
KINDS = {"artist": "artists", "release-group": "release-groups", "release": "releases",
         "recording": "recordings"}
ARTISTS = (DYLAN, NIRVANA, NIRVANA_UK, COHEN, BARE)


def catalogue(entity):
    return sorted(p.stem for p in (CATALOGUE / entity).glob("*.json"))


def unknown_path(rng):
    """An id that no catalogue has: a miss that reaches the fake, answered 404."""
    entity = rng.choice(["artist", "recording", "release-group"])
    return f"/v1/{KINDS[entity]}/{uuid.UUID(int=rng.getrandbits(128), version=4)}"


class Load:
    """THREADS clients through nginx, each on its own keep-alive connection.

    pick(rng) returns (kind, path, expected statuses, mbid or None). An answer counts
    as a failure when its status is not expected, when a document is not the one asked
    for, or when a 5xx is not medley's own problem document (nginx's error pages are
    HTML); a connection error is always a failure."""

    def __init__(self, port, pick):
        self.port = port
        self.pick = pick
        self.stop_evt = threading.Event()
        self.lock = threading.Lock()
        self.counts = collections.Counter()   # (kind, status)
        self.failures = []                    # (seconds into the load, kind, path, what)
        self.slowest = collections.defaultdict(float)
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                        for i in range(THREADS)]
        self.t0 = None

    def start(self):
        self.t0 = time.monotonic()
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stop_evt.set()
        for t in self.threads:
            t.join(30 * SLOW)
        assert not any(t.is_alive() for t in self.threads), "a load thread is stuck"
        return time.monotonic() - self.t0

    @property
    def sent(self):
        with self.lock:
            return sum(self.counts.values()) + len(self.failures)

    def _run(self, i):
        rng = random.Random(i)
        conn = None
        n = 0
        while not self.stop_evt.is_set():
            kind, path, expect, mbid = self.pick(rng)
            n += 1
            start = time.monotonic()
            what = status = None
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                      timeout=20 * SLOW)
                conn.request("GET", path, headers={"X-Request-Id": f"load-{i}-{n}"})
                r = conn.getresponse()
                body = r.read()
                status = r.status
                if r.will_close:
                    conn.close()
                    conn = None
                if status not in expect:
                    what = f"status {status}: {body[:200]!r}"
                elif status >= 500 and "problem+json" not in r.getheader("Content-Type", ""):
                    what = f"status {status} not from medley: {body[:200]!r}"
                elif mbid and status == 200 and json.loads(body).get("id") != mbid:
                    what = f"wrong document: {body[:200]!r}"
            except (OSError, http.client.HTTPException, ValueError) as e:
                what = f"{type(e).__name__}: {e}"
                if conn is not None:
                    conn.close()
                conn = None
            took = time.monotonic() - start
            with self.lock:
                self.slowest[kind] = max(self.slowest[kind], took)
                if what:
                    self.failures.append((round(start - self.t0, 3), kind, path, what))
                else:
                    self.counts[(kind, status)] += 1
            time.sleep(0.005)
        if conn is not None:
            conn.close()


def direct(port, path, timeout=10):
    """One GET on a new connection straight to an instance: (status, headers, body)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout * SLOW)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def nginx_upstream_errors(errlog):
    """Counter of (upstream port, what went wrong) from nginx's error log."""
    found = collections.Counter()
    for line in errlog.splitlines():
        m = re.search(r"\[error\] \S+ \*\d+ (.*?) while .*upstream: \"http://[^:]+:(\d+)/", line)
        if m:
            found[(int(m.group(2)), m.group(1))] += 1
    return found


def proxied_requests(m):
    """Requests this instance answered that were not the test's own /ready polls."""
    return [l for l in m.logs("request") if l.get("route") != "ready"]


def three_behind_nginx(medley, nginx_lb, env, fail_timeout):
    """Three medleys on ports below the ephemeral range (so that a restarted one gets
    its port back), ready, behind nginx."""
    ports = []
    while len(ports) < 3:
        p = lb.free_port()
        if p not in ports:
            ports.append(p)
    ms = [medley(env=dict(env, MEDLEY_SERVER_PORT=str(p))) for p in ports]
    for m in ms:
        m.wait_ready()
    return ms, ports, nginx_lb(ports, fail_timeout)


def restart(medley, m, env, slow_path=None):
    """SIGTERM m, watch its drain directly, wait for its exit, start it again on its
    port and wait until nginx sends it traffic. Returns (new instance, observations)."""
    port = m.port
    seen = {"polls": [], "slow": None}
    t_sig = time.monotonic()
    m.proc.send_signal(signal.SIGTERM)
    m.wait_log(lambda l: l.get("msg", "").startswith("draining: still accepting"))

    def poll_ready():
        while m.proc.poll() is None:
            t = time.monotonic()
            try:
                status, _, body = direct(port, "/ready", timeout=5)
                shutdown = json.loads(body).get("checks", {}).get("shutdown")
                seen["polls"].append((status, shutdown, time.monotonic() - t))
            except OSError as e:
                seen["polls"].append((type(e).__name__, None, time.monotonic() - t))
            time.sleep(0.05)

    def slow_request():
        try:
            seen["slow"] = direct(port, slow_path, timeout=20)
        except OSError as e:
            seen["slow"] = (type(e).__name__, {}, str(e).encode())

    threads = [threading.Thread(target=poll_ready, daemon=True)]
    if slow_path:
        threads.append(threading.Thread(target=slow_request, daemon=True))
    for t in threads:
        t.start()
    seen["code"] = m.wait_exit(timeout=DRAIN_S + GRACE_S + 10)
    seen["exit_after_s"] = time.monotonic() - t_sig
    for t in threads:
        t.join(30 * SLOW)
    seen["quiesce_msg"] = next((l["msg"] for l in m.lines
                                if l.get("msg", "").startswith("no longer accepting")), None)

    again = medley(env=dict(env, MEDLEY_SERVER_PORT=str(port)))
    assert again.port == port
    again.wait_ready()
    # nginx tries a server it marked down again after fail_timeout; wait until it did.
    deadline = time.monotonic() + 10 * SLOW
    while len(proxied_requests(again)) < 5:
        assert time.monotonic() < deadline, "nginx never sent traffic to the restarted instance"
        time.sleep(0.05)
    return again, seen


def check_drain(seen, slow=False):
    polls = seen["polls"]
    assert seen["code"] == 0, f"exit {seen['code']}"
    assert DRAIN_S - 0.2 <= seen["exit_after_s"] <= DRAIN_S + GRACE_S + 3 * SLOW, seen
    answered = [p for p in polls if isinstance(p[0], int)]
    refused = [p for p in polls if not isinstance(p[0], int)]
    # Every /ready during the drain said 503 draining; never 200.
    assert answered and all(p[:2] == (503, "draining") for p in answered), polls
    assert len(answered) >= 5, polls  # drain_s of 1 s, polled every 50 ms
    # After the drain: refused at once, never accepted and left hanging until the exit.
    assert all(p[0] == "ConnectionRefusedError" for p in refused), polls
    assert max(p[2] for p in polls) < 3 * SLOW, polls
    if slow:
        assert refused, f"no poll after the drain, while a request was in flight: {polls}"
        status, headers, body = seen["slow"]
        assert status == 200, seen["slow"]
        assert headers.get("connection", "").lower() == "close", headers
        assert seen["quiesce_msg"] and "; 0 requests" not in seen["quiesce_msg"], seen


@pytest.fixture
def nginx_lb():
    made = []

    def make(ports, fail_timeout=None):
        n = lb.Nginx(ports, fail_timeout=fail_timeout)
        made.append(n)
        return n.start()

    yield make
    for n in made:
        n.destroy()


@needs_nginx
def test_rolling_restart_loses_nothing(medley, fake, db_url, nginx_lb):
    # A document whose provider answer is slow: the request kept in flight over a drain.
    recordings = catalogue("recording")
    slow_id = recordings[0]
    fake.add_fault(f"/ws/2/recording/{slow_id}", "delay", seconds=SLOW_FETCH_S)
    env = mb_env(fake, db_url, MEDLEY_SERVER_DRAIN_S=DRAIN_S,
                 MEDLEY_SERVER_SHUTDOWN_GRACE_S=GRACE_S,
                 MEDLEY_SERVER_TRUSTED_PROXIES="127.0.0.1/32", MEDLEY_LOG_LEVEL="info")
    ms, ports, proxy = three_behind_nginx(medley, nginx_lb, env, FAIL_TIMEOUT)

    # Warm: these are in PostgreSQL before the load starts (fetched once, by one instance).
    groups = catalogue("release-group")
    warm = [(f"/v1/artists/{a}", a) for a in ARTISTS]
    warm += [(f"/v1/release-groups/{g}", g) for g in groups[:10]]
    warm += [(f"/v1/releases/{r}", r) for r in catalogue("release")[:3]]
    for path, _ in warm:
        status, _, body = direct(proxy.port, path)
        assert status == 200, (path, body[:300])
    fresh = [(f"/v1/recordings/{r}", r) for r in recordings[1:]]
    fresh += [(f"/v1/release-groups/{g}", g) for g in groups[10:]]
    random.Random(7).shuffle(fresh)
    fresh = collections.deque(fresh)
    fresh_lock = threading.Lock()

    def pick(rng):
        x = rng.random()
        if x < 0.15:
            return "health", "/health", (200,), None
        if x < 0.25:
            return "unknown", unknown_path(rng), (404,), None
        if x < 0.32:
            with fresh_lock:
                item = fresh.popleft() if fresh else None
            if item:  # first asked during the load: a miss that the fake answers
                return "fresh", item[0], (200,), item[1]
        path, mbid = rng.choice(warm)
        return "cached", path, (200,), mbid

    load = Load(proxy.port, pick).start()
    try:
        time.sleep(1.5)
        ms[0], first = restart(medley, ms[0], env, slow_path=f"/v1/recordings/{slow_id}")
        time.sleep(1.0)
        ms[1], second = restart(medley, ms[1], env)
        time.sleep(1.0)
    finally:
        elapsed = load.stop()

    access = proxy.access_log()
    retried = [a for a in access if "," in a["upstream_addr"]]
    served_by = collections.Counter(a["upstream_addr"].split(", ")[-1] for a in access)
    upstream_errors = nginx_upstream_errors(proxy.error_log())
    summary = {"sent": load.sent, "failed": len(load.failures), "seconds": round(elapsed, 1),
               "by_kind": {f"{k} {s}": n for (k, s), n in sorted(load.counts.items())},
               "slowest_s": {k: round(v, 3) for k, v in sorted(load.slowest.items())},
               "nginx_retried": len(retried), "served_by": dict(served_by),
               "nginx_upstream_errors": {f"{p} {why}": n
                                         for (p, why), n in upstream_errors.items()},
               "ready_polls": [len(first["polls"]), len(second["polls"])],
               "exit_after_s": [round(first["exit_after_s"], 2),
                                round(second["exit_after_s"], 2)]}
    print("rolling restart:", json.dumps(summary))

    assert not load.failures, f"{len(load.failures)} failed of {load.sent}: {load.failures[:10]}"
    assert load.sent >= MIN_REQUESTS / SLOW, summary
    assert load.counts[("fresh", 200)] > 0 and load.counts[("unknown", 404)] > 0, summary
    # nginx saw nothing but the expected answers (its /health location logs nothing).
    assert {a["status"] for a in access} <= {200, 404}, collections.Counter(
        a["status"] for a in access)
    # The failover path was taken: nginx found the stopped instance refusing connections
    # and went on to another one; it never had trouble with the instance left running.
    assert any(p == ports[0] and why.startswith("connect() failed (111")
               for p, why in upstream_errors), upstream_errors
    assert all(p in ports[:2] for p, _ in upstream_errors), upstream_errors
    check_drain(first, slow=True)
    check_drain(second)
    for m in ms:  # all at once: each stop takes drain_s
        m.proc.send_signal(signal.SIGTERM)
    assert [m.wait_exit(timeout=DRAIN_S + GRACE_S + 10) for m in ms] == [0, 0, 0]


@needs_nginx
def test_provider_outage_keeps_cached_lookups(medley, fake, db_url, nginx_lb):
    env = mb_env(fake, db_url, MEDLEY_SERVER_TRUSTED_PROXIES="127.0.0.1/32",
                 MEDLEY_LOG_LEVEL="info")
    _, ports, proxy = three_behind_nginx(medley, nginx_lb, env, None)  # shipped fail_timeout
    for a in ARTISTS:
        status, _, body = direct(proxy.port, f"/v1/artists/{a}")
        assert status == 200, body[:300]
    fake.add_fault("/ws/2/", "status", status=500)  # MusicBrainz is down

    def pick(rng):
        if rng.random() < 0.5:
            a = rng.choice(ARTISTS)
            return "cached", f"/v1/artists/{a}", (200,), a
        # medley's own answers: 502 upstream-error, then 503 once its breaker is open
        return "miss", unknown_path(rng), (502, 503), None

    load = Load(proxy.port, pick).start()
    try:
        time.sleep(2.5)
    finally:
        load.stop()
    summary = {"sent": load.sent, "failed": len(load.failures),
               "by_kind": {f"{k} {s}": n for (k, s), n in sorted(load.counts.items())}}
    print("provider outage:", json.dumps(summary))
    assert not load.failures, f"{len(load.failures)} failed of {load.sent}: {load.failures[:10]}"
    assert load.counts[("cached", 200)] >= MIN_REQUESTS / 4 / SLOW, summary
    assert load.counts[("miss", 502)] + load.counts[("miss", 503)] > 0, summary
    errlog = proxy.error_log()
    assert "no live upstreams" not in errlog and "temporarily disabled" not in errlog, errlog


def test_request_after_the_grace_is_dropped(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_SERVER_SHUTDOWN_GRACE_S=1))
    m.wait_ready()
    idle = socket.create_connection(("127.0.0.1", m.port), timeout=10 * SLOW)
    idle.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert idle.recv(4096).startswith(b"HTTP/1.1 200")  # now idle, kept alive
    # A request whose headers never end: in flight past the grace, so that the server
    # waits for it (up to 3 s) after the services are stopped: the window under test.
    held = socket.create_connection(("127.0.0.1", m.port), timeout=10 * SLOW)
    held.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")
    time.sleep(0.3)
    m.proc.send_signal(signal.SIGTERM)
    m.wait_log(lambda l: l.get("msg", "").startswith("grace of 1 s over"))
    idle.sendall(f"GET /v1/artists/{uuid.uuid4()} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    try:
        data = recv_all(idle)
    except ConnectionResetError:
        data = b""
    idle.close()
    held.close()
    assert data == b"", data  # not b"HTTP/1.1 503 ..." shutting-down
    assert m.wait_exit() == 0
    assert not [l for l in m.logs("request") if l.get("error") == "shutting-down"]
    assert not [l for l in m.lines if "Application reported" in l.get("msg", "")
                and l.get("level") != "debug"]
