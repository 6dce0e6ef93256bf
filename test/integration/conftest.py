"""Integration harness: real PostgreSQL clusters, the real medley binary, real sockets.

Fixtures
  pg          a private PostgreSQL cluster for the whole session (unix socket only)
  db_url      a fresh, empty database in that cluster for one test
  own_pg      a private cluster for one test that may stop and restart it
  medley      factory: medley(env={...}, args=[...]) starts the binary and waits
              until it listens; every process is stopped at the end of the test

Nothing here reaches the network beyond 127.0.0.1.
"""
import http.client
import itertools
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import FakeProvider, fake_fixture  # noqa: E402
BIN = os.environ.get("MEDLEY_BIN", str(ROOT / "build" / "medley"))
# Every medley under test: a free port, a contact for User-Agents, and a
# MusicBrainz that cannot be reached (port 9, discard) unless a test points
# it at the fake: no test may ever reach the real one.
TEST_ENV = {
    "MEDLEY_SERVER_PORT": "0",
    "MEDLEY_LOG_LEVEL": "debug",
    "MEDLEY_CONTACT": "medley-tests@example.org",
    "MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL": "http://127.0.0.1:9/ws/2",
}
# Every other provider points nowhere too, so no test can reach the internet: a test
# that enriches points them at the fake (enrich.py).
for _p in ("coverartarchive", "deezer", "itunes", "discogs", "lrclib", "lastfm", "spotify",
           "fanarttv", "theaudiodb", "wikidata"):
    TEST_ENV[f"MEDLEY_PROVIDERS_{_p.upper()}_BASE_URL"] = f"http://127.0.0.1:9/{_p}"
TEST_ENV["MEDLEY_PROVIDERS_SPOTIFY_AUTH_URL"] = "http://127.0.0.1:9/spotify/api/token"
TEST_ENV["MEDLEY_PROVIDERS_WIKIDATA_WIKIPEDIA_URL"] = "http://127.0.0.1:9/wikipedia/{lang}"
# Sanitizer builds start and run slower; every wait scales with this.
SLOW = float(os.environ.get("MEDLEY_TEST_SLOW", "1"))


def pg_bindir():
    found = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name))
    if not found:
        pytest.fail("no PostgreSQL server under /usr/lib/postgresql (run: make deps)")
    return found[-1].parent


class PgCluster:
    """A throwaway PostgreSQL cluster listening on a unix socket in its own folder."""

    _ports = itertools.count(56000 + os.getpid() % 1000 * 4)

    def __init__(self):
        self.bindir = pg_bindir()
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="medley-pg-"))
        self.data = self.dir / "data"
        self.sock = self.dir / "run"
        self.port = next(self._ports)
        self.as_root = os.geteuid() == 0
        os.chmod(self.dir, 0o755)
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self._run("mkdir", "-p", str(self.sock), bin_=False)
        self.start()

    def _run(self, prog, *args, bin_=True, check=True):
        cmd = [str(self.bindir / prog) if bin_ else prog, *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True)

    def start(self):
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{self.sock}' "
                f"-p {self.port} -c fsync=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
                  "-t", "60", "-o", opts, "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop", check=False)

    def psql(self, sql, db="postgres"):
        r = self._run("psql", "-h", str(self.sock), "-p", str(self.port), "-U", "postgres",
                      "-d", db, "-Atqc", sql)
        return r.stdout.strip()

    def createdb(self, name):
        self._run("createdb", "-h", str(self.sock), "-p", str(self.port), "-U", "postgres",
                  name)
        return self.url(name)

    def url(self, db="postgres"):
        return f"postgresql:///{db}?host={self.sock}&port={self.port}&user=postgres"

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg():
    cluster = PgCluster()
    yield cluster
    cluster.destroy()


_dbs = itertools.count(1)


@pytest.fixture
def db_url(pg):
    return pg.createdb(f"t{os.getpid()}_{next(_dbs)}")


@pytest.fixture
def fake():
    """The fake providers (test/fake), on a free port, for one test."""
    yield from fake_fixture()


@pytest.fixture
def own_pg():
    cluster = PgCluster()
    yield cluster
    cluster.destroy()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


class Medley:
    """One running medley process, its stderr collected line by line."""

    def __init__(self, env=None, args=(), config=None, wait=True):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLEY_")}
        full_env.update(TEST_ENV)
        full_env.update(env or {})
        cmd = [BIN]
        if config:
            cmd += ["-c", str(config)]
        cmd += list(args) or ["serve"]
        self.lines = []
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(cmd, env=full_env, cwd=str(ROOT),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = None
        if wait:
            line = self.wait_log(lambda l: l.get("msg") == "listening", timeout=15)
            self.port = line["port"]

    def _read(self):
        for raw in self.proc.stderr:
            try:
                rec = json.loads(raw)
            except ValueError:
                rec = {"msg": raw.rstrip("\n"), "raw": True}
            with self._cond:
                self.lines.append(rec)
                self._cond.notify_all()

    def logs(self, msg=None):
        with self._cond:
            return [l for l in self.lines if msg is None or l.get("msg") == msg]

    def wait_log(self, pred, timeout=10):
        deadline = time.monotonic() + timeout * SLOW
        with self._cond:
            while True:
                for rec in self.lines:
                    if pred(rec):
                        return rec
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"log line not seen; exit={self.proc.poll()} "
                                         f"logs={self.lines[-20:]}")
                self._cond.wait(min(left, 0.2))

    def request(self, method, path, headers=None, body=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout * SLOW)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            return Response(r.status, hdrs, data.decode("utf-8", "replace"))
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def raw(self, data, timeout=10):
        """Send raw bytes; return the raw response bytes (until close or timeout)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout * SLOW) as s:
            s.sendall(data)
            chunks = []
            try:
                while True:
                    c = s.recv(65536)
                    if not c:
                        break
                    chunks.append(c)
                    if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                        break
            except socket.timeout:
                pass
            return b"".join(chunks)

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout * SLOW
        last = None
        while time.monotonic() < deadline:
            last = self.get("/ready")
            if last.status == 200:
                return last
            time.sleep(0.1)
        raise AssertionError(f"/ready never 200: {last}")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("medley did not exit after signal")
        self._reader.join(timeout=5)
        if code != 0:  # shown by pytest when the test fails
            print(f"medley exited {code}; its last lines:")
            for rec in self.lines[-40:]:
                print("  ", rec.get("msg") if rec.get("raw") else json.dumps(rec))
        return code

    def wait_exit(self, timeout=20):
        code = self.proc.wait(timeout=timeout * SLOW)
        self._reader.join(timeout=5)
        return code


def recv_all(sock):
    """Read from sock until the peer closes it."""
    data = b""
    while True:
        c = sock.recv(65536)
        if not c:
            return data
        data += c


def _complete(data):
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


@pytest.fixture
def medley():
    started = []

    def start(**kw):
        m = Medley(**kw)
        started.append(m)
        return m

    yield start
    errors = []
    for m in started:
        if m.proc.poll() is None:
            code = m.stop()
            if code != 0:
                errors.append(f"medley exited {code} on SIGTERM")
        # Sanitizer reports arrive as raw stderr lines.
        bad = [l["msg"] for l in m.lines if l.get("raw") and
               ("Sanitizer" in l["msg"] or "runtime error" in l["msg"])]
        if bad:
            errors.append("sanitizer: " + "\n".join(bad[:20]))
    assert not errors, errors


def run_cli(args, env=None, timeout=30):
    """Run medley as a command; returns CompletedProcess with text stdout/stderr."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLEY_")}
    full_env.update({"MEDLEY_CONTACT": TEST_ENV["MEDLEY_CONTACT"]})
    full_env.update(env or {})
    return subprocess.run([BIN, *args], env=full_env, cwd=str(ROOT), capture_output=True,
                          text=True, timeout=timeout * SLOW, stdin=subprocess.DEVNULL)
