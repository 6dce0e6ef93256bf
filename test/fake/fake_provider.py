#!/usr/bin/env python3
"""Fake upstream provider server for medley's integration tests and benchmark.

It speaks MusicBrainz's JSON web service (ws/2) from a small file-based catalogue under
fixtures/musicbrainz, records every request it receives, and injects faults on demand
(delay, hang, drop mid-body, error status with Retry-After, invalid or oversized JSON,
arbitrary bodies). Tests import it and drive it from Python; the benchmark runs it as a
command and drives it over HTTP under /_fake/. It listens on 127.0.0.1 only.

It does not try to be MusicBrainz: lookups ignore `inc` (they always answer the rich
document), search is a naive word match, only release-group/release/recording browse is
served, and answers are always JSON whatever `fmt` says. Other providers (Deezer, iTunes,
Cover Art Archive, ...) plug in as further route handlers: `FakeProvider.add_route(prefix,
handler)`. Standard library only.
"""
import argparse
import collections
import datetime
import email.utils
import gzip
import http
import http.server
import json
import pathlib
import re
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import unicodedata
import urllib.parse
import uuid
import zlib

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_FIXTURES = HERE / "fixtures"
JSON_TYPE = "application/json; charset=utf-8"
CONTROL_PREFIX = "/_fake"
_GZIP_CACHE = {}  # body bytes -> gzip bytes, for answers marked cacheable


def _json_bytes(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Answer:
    """One HTTP answer. `body` is bytes, or `chunks` (a callable yielding bytes) with
    `length` for bodies too large to hold. `gzip`: None follows the client's
    Accept-Encoding, True/False forces it."""

    def __init__(self, status=200, body=b"", content_type=JSON_TYPE, headers=None,
                 chunks=None, length=None, gzip=None, cacheable=False):
        self.status = status
        self.cacheable = cacheable  # body is long-lived: keep its gzip form
        self.body = body
        self.content_type = content_type
        self.headers = list((headers or {}).items())
        self.chunks = chunks
        self.length = length if chunks is not None else len(body)
        self.gzip = gzip

    @classmethod
    def json(cls, obj, status=200, **kw):
        return cls(status, _json_bytes(obj), **kw)

    def iter_body(self):
        if self.chunks is None:
            yield self.body
        else:
            yield from self.chunks()


class RecordedRequest:
    """One request as the fake received it. `headers` is the list of (name, value) pairs
    in arrival order; use header()/header_all() for case-insensitive access."""

    def __init__(self, seq, method, target, headers, body, client, conn_id, stamp=None):
        url = urllib.parse.urlsplit(target)
        self.seq = seq
        self.monotonic, self.time = stamp or (time.monotonic(), time.time())
        self.method = method
        self.target = target
        self.path = url.path
        self.query_string = url.query
        self.query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        self.headers = headers
        self.body = body
        self.client = client            # (host, port) of the client socket
        self.conn_id = conn_id          # same value for requests on one connection
        self.gzip = accepts_gzip(self.header("Accept-Encoding"))
        self.fault = None               # kind of the fault applied, if any
        self.status = None              # status sent (None: nothing sent)

    def header(self, name, default=None):
        """First value of header `name` (any case), or default."""
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    def arg(self, name, default=None):
        """First value of query parameter `name`, or default."""
        vals = self.query.get(name)
        return vals[0] if vals else default

    def to_dict(self):
        heads = {}
        for k, v in self.headers:
            k = k.lower()
            heads[k] = f"{heads[k]}, {v}" if k in heads else v
        return {"seq": self.seq, "monotonic": self.monotonic, "time": self.time,
                "method": self.method, "path": self.path, "query": self.query,
                "query_string": self.query_string, "headers": heads, "gzip": self.gzip,
                "client": list(self.client), "conn_id": self.conn_id, "fault": self.fault,
                "status": self.status}

    def __repr__(self):
        return f"<RecordedRequest #{self.seq} {self.method} {self.target}>"


def accepts_gzip(value):
    """True if an Accept-Encoding value allows gzip (q > 0)."""
    for part in (value or "").split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() in ("gzip", "x-gzip", "*"):
            m = re.search(r"q\s*=\s*([0-9.]+)", params)
            if not m or float(m.group(1)) > 0:
                return True
    return False


# ---- faults --------------------------------------------------------------------------------------

FAULT_KINDS = ("delay", "hang", "drop", "status", "invalid_json", "oversized", "body")


class Fault:
    """A fault rule: requests whose path matches `match` (re.search) and, if given, whose
    raw query string matches `query`, get `kind` applied; `times` None means forever."""

    def __init__(self, fid, match, kind, times, params, query=None):
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind '{kind}' (one of {', '.join(FAULT_KINDS)})")
        if times is not None and (not isinstance(times, int) or times < 0):
            raise ValueError("times must be None or an integer >= 0")
        _check_params(kind, params)
        self.id = fid
        self.match = match
        self.query = query
        self._re = re.compile(match)
        self._query_re = re.compile(query) if query is not None else None
        self.kind = kind
        self.times = times
        self.remaining = times
        self.params = params
        self.hits = 0
        self.released = threading.Event()  # set by clear_faults/remove_fault: ends "hang"

    def matches(self, path, query_string):
        if self.remaining == 0:
            return False
        if not self._re.search(path):
            return False
        return self._query_re is None or bool(self._query_re.search(query_string))

    def to_dict(self):
        params = {k: (v if not isinstance(v, bytes) else v.decode("utf-8", "replace"))
                  for k, v in self.params.items()}
        return {"id": self.id, "match": self.match, "query": self.query, "kind": self.kind,
                "times": self.times, "remaining": self.remaining, "hits": self.hits,
                "params": params}

    def __repr__(self):
        return f"<Fault #{self.id} {self.kind} {self.match!r} hits={self.hits}>"


def _check_params(kind, p):
    def number(name, required=False):
        if name not in p:
            if required:
                raise ValueError(f"fault '{kind}' needs params['{name}']")
            return
        if not isinstance(p[name], (int, float)) or isinstance(p[name], bool) or p[name] < 0:
            raise ValueError(f"fault '{kind}': params['{name}'] must be a number >= 0")

    if kind == "delay":
        number("seconds", required=True)
    elif kind == "status":
        if not isinstance(p.get("status"), int) or not 100 <= p["status"] <= 599:
            raise ValueError("fault 'status' needs params['status'], an HTTP status code")
        ra = p.get("retry_after")
        if ra is not None and not isinstance(ra, (int, float, str)):
            raise ValueError("params['retry_after'] must be seconds or an HTTP-date string")
    elif kind == "oversized":
        number("bytes")
    elif kind == "drop":
        number("bytes")
        if "fraction" in p and not (isinstance(p["fraction"], (int, float))
                                    and 0 <= p["fraction"] < 1):
            raise ValueError("params['fraction'] must be in [0, 1)")
    elif kind == "body":
        if "body" not in p:
            raise ValueError("fault 'body' needs params['body']")
    if "headers" in p and not isinstance(p["headers"], dict):
        raise ValueError("params['headers'] must be an object of header: value")


def _fault_body(body):
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return _json_bytes(body)


def retry_after_value(v):
    if isinstance(v, str):
        return v
    return str(int(v)) if float(v).is_integer() else str(v)


RATE_LIMIT_MESSAGE = ("Your requests are exceeding the allowable rate limit. Please see "
                      "https://musicbrainz.org/doc/MusicBrainz_API/Rate_Limiting for more "
                      "information.")
MB_HELP = "For usage, please see: https://musicbrainz.org/development/mmd"


def default_error_body(status):
    if status in (429, 503):
        return {"error": RATE_LIMIT_MESSAGE, "help": MB_HELP}
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {"error": phrase, "help": MB_HELP}


def oversized_answer(n):
    """A 200 answer whose body is exactly n bytes of valid JSON (n >= 2), streamed."""
    head = b'{"created":"2000-01-01T00:00:00.000Z","count":0,"offset":0,"padding":"'
    tail = b'"}'
    if n < len(head) + len(tail):
        head, tail = b"{", b"}"
        fill = b" "
    else:
        fill = b"x"
    pad = max(0, n - len(head) - len(tail))

    def chunks():
        yield head
        left = pad
        block = fill * 65536
        while left > 0:
            yield block[:min(left, 65536)]
            left -= 65536
        yield tail

    return Answer(200, chunks=chunks, length=len(head) + pad + len(tail), gzip=False)


def load_provider_plugins(fixtures_dir):
    """The other providers' fakes: every test/fake/providers/<name>.py module with PREFIX
    (e.g. "/deezer") and make(fixtures_dir) returning a handler; fixtures_dir is the root
    holding <name>/. Yields (prefix, handler), sorted by module name."""
    import importlib.util
    folder = pathlib.Path(__file__).resolve().parent / "providers"
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"fake_providers_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        yield mod.PREFIX, mod.make(pathlib.Path(fixtures_dir))


# ---- the server ----------------------------------------------------------------------------------

class FakeProvider:
    """The fake upstream server. Thread-safe; all public methods may be called from tests
    while the server runs. `start()` binds 127.0.0.1 on `port` (0: a free one).
    `max_requests` bounds the request log to the most recent N (None: unbounded)."""

    def __init__(self, fixtures_dir=DEFAULT_FIXTURES, verbose=False, port=0,
                 max_requests=None, host="127.0.0.1"):
        self.fixtures_dir = pathlib.Path(fixtures_dir)
        self.verbose = verbose
        self._want_port = port
        self._host = host
        self.routes = {}
        self.add_route("/ws/2", MusicBrainz(self.fixtures_dir / "musicbrainz"))
        for prefix, handler in load_provider_plugins(self.fixtures_dir):
            self.add_route(prefix, handler)
        self._lock = threading.Condition()
        self._requests = collections.deque(maxlen=max_requests)  # None: unbounded
        self._faults = []
        self._errors = []
        self._seq = 0
        self._fault_seq = 0
        self._conn_seq = 0
        self._conns = set()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    # -- lifecycle --
    def add_route(self, prefix, handler):
        """Serve paths under `prefix` (e.g. "/deezer") with `handler`, an object whose
        handle(req, path) returns an Answer; `path` is the part after the prefix."""
        self.routes[prefix.rstrip("/")] = handler

    def start(self):
        server = _Server((self._host, self._want_port), _Handler)
        server.fake = self
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(target=server.serve_forever, kwargs={
            "poll_interval": 0.01}, name="fake-provider", daemon=True)
        self._thread.start()
        return self

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def musicbrainz_url(self):
        """The base URL medley's MusicBrainz provider should use."""
        return f"{self.url}/ws/2"

    def stop(self):
        """Stop serving: releases hanging requests, closes every open connection."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            conns = list(self._conns)
            for f in self._faults:
                f.released.set()
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- request log --
    def requests(self, path_prefix=None):
        """A copy of the recorded requests (oldest first), optionally only those whose
        path starts with path_prefix."""
        with self._lock:
            return [r for r in self._requests
                    if path_prefix is None or r.path.startswith(path_prefix)]

    def count(self, path_prefix=None):
        return len(self.requests(path_prefix))

    def clear_requests(self):
        with self._lock:
            self._requests.clear()

    def wait_for(self, n, path_prefix=None, timeout=10):
        """Block until at least n matching requests were recorded; returns them. Raises
        AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                got = [r for r in self._requests
                       if path_prefix is None or r.path.startswith(path_prefix)]
                if len(got) >= n:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"fake saw {len(got)} requests under "
                                         f"{path_prefix!r}, wanted {n}")
                self._lock.wait(left)

    def errors(self):
        """Tracebacks of internal errors (bugs in the fake); should stay empty."""
        with self._lock:
            return list(self._errors)

    # -- faults --
    def add_fault(self, match, kind, times=None, query=None, **params):
        """Apply `kind` to requests whose path matches the regex `match` (re.search) and,
        if given, whose raw query string matches the regex `query`. Rules are tried in
        the order they were added; the first live one wins. `times`: None for ever, else
        that many requests. Returns the Fault (see .hits, .remaining)."""
        with self._lock:
            self._fault_seq += 1
            fault = Fault(self._fault_seq, match, kind, times, params, query)
            self._faults.append(fault)
            return fault

    def faults(self):
        with self._lock:
            return list(self._faults)

    def remove_fault(self, fault):
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)
        fault.released.set()

    def clear_faults(self):
        """Remove every fault; requests hanging on a "hang" fault are answered normally."""
        with self._lock:
            faults, self._faults = self._faults, []
        for f in faults:
            f.released.set()
        return len(faults)

    # -- internals used by the handler --
    def _record(self, method, target, headers, body, client, conn_id, stamp=None):
        with self._lock:
            self._seq += 1
            req = RecordedRequest(self._seq, method, target, headers, body, client, conn_id,
                                  stamp)
            self._requests.append(req)
            self._lock.notify_all()
            return req

    def _take_fault(self, req):
        with self._lock:
            for f in self._faults:
                if f.matches(req.path, req.query_string):
                    if f.remaining is not None:
                        f.remaining -= 1
                    f.hits += 1
                    req.fault = f.kind
                    return f
        return None

    def _conn_opened(self, sock):
        with self._lock:
            self._conn_seq += 1
            self._conns.add(sock)
            return self._conn_seq

    def _conn_closed(self, sock):
        with self._lock:
            self._conns.discard(sock)

    def _error(self, text):
        with self._lock:
            self._errors.append(text)
        sys.stderr.write(f"fake_provider: internal error:\n{text}")

    def _route(self, req):
        best = None
        for prefix, handler in self.routes.items():
            if req.path == prefix or req.path.startswith(prefix + "/"):
                if best is None or len(prefix) > len(best[0]):
                    best = (prefix, handler)
        if best is None:
            return Answer.json({"error": "Not Found", "help": "no fake provider serves "
                                f"'{req.path}'"}, 404)
        return best[1].handle(req, req.path[len(best[0]):])

    def _control(self, method, path, query, body):
        """The HTTP control API under /_fake/ (never recorded)."""
        args = urllib.parse.parse_qs(query)
        prefix = args.get("path_prefix", [None])[0]
        route = (method, path.rstrip("/"))
        if route == ("GET", "/_fake/requests"):
            return Answer.json([r.to_dict() for r in self.requests(prefix)])
        if route == ("GET", "/_fake/count"):
            return Answer.json({"count": self.count(prefix)})
        if route == ("POST", "/_fake/clear"):
            self.clear_requests()
            return Answer.json({"cleared": True})
        if route == ("GET", "/_fake/faults"):
            return Answer.json([f.to_dict() for f in self.faults()])
        if route == ("DELETE", "/_fake/faults"):
            return Answer.json({"cleared": self.clear_faults()})
        if route == ("POST", "/_fake/faults"):
            try:
                spec = json.loads(body or b"{}")
                if not isinstance(spec, dict):
                    raise ValueError("body must be a JSON object")
                params = spec.get("params") or {}
                if not isinstance(params, dict):
                    raise ValueError("params must be an object")
                fault = self.add_fault(spec["match"], spec["kind"], spec.get("times"),
                                       spec.get("query"), **params)
            except (KeyError, ValueError, TypeError, re.error) as e:
                return Answer.json({"error": f"bad fault: {e}"}, 400)
            return Answer.json(fault.to_dict(), 201)
        return Answer.json({"error": f"no control endpoint {method} {path}"}, 404)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, TimeoutError)):
            return  # client went away: not our problem, not worth a line
        self.fake._error(traceback.format_exc())


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "medley-fake/1"
    timeout = 120  # idle keep-alive connections are closed after this

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn_id = self.server.fake._conn_opened(self.connection)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        self.server.fake._conn_closed(self.connection)

    def handle(self):
        try:
            super().handle()
        except (OSError, TimeoutError):
            pass

    def parse_request(self):
        # the request line has just arrived: that is the moment the log records
        self._stamp = (time.monotonic(), time.time())
        return super().parse_request()

    def log_message(self, fmt, *args):
        if self.server.fake.verbose:
            sys.stderr.write("fake_provider: %s %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # -- request handling --
    def _read_body(self):
        n = self.headers.get("Content-Length")
        if n is not None:
            try:
                n = int(n)
            except ValueError:
                self.close_connection = True
                return b""
            return self.rfile.read(n) if n > 0 else b""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True  # not supported: answer and close
        return b""

    def _dispatch(self):
        fake = self.server.fake
        req = None
        try:
            body = self._read_body()
            url = urllib.parse.urlsplit(self.path)
            if url.path == CONTROL_PREFIX or url.path.startswith(CONTROL_PREFIX + "/"):
                self._send(fake._control(self.command, url.path, url.query, body), False)
                return
            req = fake._record(self.command, self.path, list(self.headers.items()), body,
                               self.client_address, self.conn_id, self._stamp)
            fault = fake._take_fault(req)
            self._serve(req, fault)
        except (OSError, TimeoutError):
            self.close_connection = True
        except Exception:
            fake._error(traceback.format_exc())
            self.close_connection = True
            try:
                self._send(Answer.json({"error": "fake provider internal error"}, 500), False)
            except OSError:
                pass

    def _serve(self, req, fault):
        fake = self.server.fake
        if fault is None:
            self._send(fake._route(req), req.gzip, req)
            return
        p = fault.params
        kind = fault.kind
        if kind == "delay":
            if fake._stopping.wait(p["seconds"]):
                self.close_connection = True
                return
            self._send(self._normal(req, p), req.gzip, req)
        elif kind == "hang":
            while not (fault.released.is_set() or fake._stopping.is_set()):
                fault.released.wait(0.05)
            if fake._stopping.is_set():
                self.close_connection = True
                return
            self._send(self._normal(req, p), req.gzip, req)
        elif kind == "drop":
            answer = self._normal(req, p)
            self._send(answer, req.gzip, req, drop=p)
        elif kind == "status":
            status = p["status"]
            body = p.get("body", default_error_body(status))
            heads = dict(p.get("headers") or {})
            if p.get("retry_after") is not None:
                heads["Retry-After"] = retry_after_value(p["retry_after"])
            answer = Answer(status, _fault_body(body), p.get("content_type", JSON_TYPE),
                            heads, gzip=p.get("gzip"))
            self._send(answer, req.gzip, req)
        elif kind == "invalid_json":
            normal = fake._route(req)
            text = b"".join(normal.iter_body())
            cut = text[:max(1, len(text) // 2)] if len(text) > 2 else b'{"id":'
            answer = Answer(p.get("status", 200), cut, JSON_TYPE, p.get("headers"),
                            gzip=p.get("gzip"))
            self._send(answer, req.gzip, req)
        elif kind == "oversized":
            answer = oversized_answer(int(p.get("bytes", 16 * 1024 * 1024)))
            if "gzip" in p:
                answer.gzip = p["gzip"]
            answer.headers += list((p.get("headers") or {}).items())
            self._send(answer, req.gzip, req)
        elif kind == "body":
            answer = Answer(p.get("status", 200), _fault_body(p["body"]),
                            p.get("content_type", JSON_TYPE), p.get("headers"),
                            gzip=p.get("gzip"))
            self._send(answer, req.gzip, req)

    def _normal(self, req, p):
        answer = self.server.fake._route(req)
        if "body" in p:
            answer = Answer(p.get("status", answer.status), _fault_body(p["body"]))
        answer.headers += list((p.get("headers") or {}).items())
        if "gzip" in p:
            answer.gzip = p["gzip"]
        return answer

    # -- writing --
    def _encoded(self, answer, client_gzip):
        """(iterable of body chunks, length, gzipped?)"""
        use_gzip = client_gzip if answer.gzip is None else answer.gzip
        if not use_gzip or answer.length == 0:
            if answer.chunks is None:
                return [answer.body], answer.length, False
            return answer.chunks(), answer.length, False
        if answer.chunks is None:
            data = _GZIP_CACHE.get(answer.body) if answer.cacheable else None
            if data is None:
                data = gzip.compress(answer.body, compresslevel=5, mtime=0)
                if answer.cacheable and len(_GZIP_CACHE) < 4096:
                    _GZIP_CACHE[answer.body] = data
        else:
            comp = zlib.compressobj(6, zlib.DEFLATED, 31)
            parts = [comp.compress(c) for c in answer.chunks()]
            parts.append(comp.flush())
            data = b"".join(parts)
        return [data], len(data), True

    def _send(self, answer, client_gzip, req=None, drop=None):
        chunks, length, gzipped = self._encoded(answer, client_gzip)
        if drop is not None:
            self.close_connection = True
        try:
            phrase = http.HTTPStatus(answer.status).phrase
        except ValueError:
            phrase = "Unknown"
        heads = [("Date", email.utils.formatdate(usegmt=True)),
                 ("Server", self.server_version),
                 ("Content-Type", answer.content_type),
                 ("Content-Length", str(length))]
        if gzipped:
            heads.append(("Content-Encoding", "gzip"))
        heads.append(("Vary", "Accept-Encoding"))
        heads += answer.headers
        heads.append(("Connection", "close" if self.close_connection else "keep-alive"))
        head = f"HTTP/1.1 {answer.status} {phrase}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in heads) + "\r\n"
        if req is not None:
            req.status = answer.status
        head = head.encode("latin-1")
        if self.command == "HEAD":
            self.wfile.write(head)
            return
        if drop is None and isinstance(chunks, list) and len(chunks) == 1:
            self.wfile.write(head + chunks[0])  # one send: no Nagle/delayed-ACK stall
            return
        self.wfile.write(head)
        budget = None
        if drop is not None:
            if "bytes" in drop:
                budget = min(int(drop["bytes"]), max(0, length - 1))
            else:
                budget = int(length * drop.get("fraction", 0.5))
        for c in chunks:
            if budget is not None:
                c = c[:budget]
                budget -= len(c)
            if c:
                self.wfile.write(c)
            if budget == 0:
                break
        if drop is not None:
            self.wfile.flush()
            if drop.get("reset"):
                # linger 0: closing sends RST instead of FIN
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            else:
                self.connection.shutdown(socket.SHUT_WR)


# ---- MusicBrainz ---------------------------------------------------------------------------------

MBID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                     r"[0-9a-fA-F]{12}$")
MB_ENTITIES = ("artist", "release-group", "release", "recording")
MB_NOT_FOUND = {"error": "Not Found", "help": MB_HELP}
MB_INVALID_MBID = {"error": "Invalid mbid."}
# Every inc value the real service accepts on some resource; others get MB's 400.
MB_INCS = set("""
recordings releases release-groups works aliases annotation tags user-tags genres user-genres
ratings user-ratings discids media isrcs artist-credits various-artists artists labels
recording-level-rels release-group-level-rels work-level-rels url-rels artist-rels area-rels
event-rels genre-rels instrument-rels label-rels place-rels recording-rels release-rels
series-rels work-rels mood-rels
""".split())
PRIMARY_TYPES = {"album", "single", "ep", "broadcast", "other"}
SECONDARY_TYPES = {"compilation", "soundtrack", "spokenword", "interview", "audiobook",
                   "audio drama", "live", "remix", "dj-mix", "mixtape/street", "demo",
                   "field recording"}
LIST_KEYS = {"artist": "artists", "release-group": "release-groups", "release": "releases",
             "recording": "recordings"}


def _clamp_limit(value):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return 25
    return 25 if n < 1 else min(n, 100)


def _offset(value):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _norm_words(text):
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text)


def _credit_names(doc):
    out = []
    for c in doc.get("artist-credit") or []:
        out += [c.get("name", ""), c["artist"]["name"]]
    return out


def _credit_ids(doc):
    return [c["artist"]["id"] for c in doc.get("artist-credit") or []]


class MusicBrainz:
    """MusicBrainz ws/2 served from files: <root>/<entity>/<mbid>.json for lookups and
    <root>/merged.json (old id -> canonical id). Browse and search are derived from the
    same documents. The files are read at construction and the parsed documents are
    shared, read-only, between instances on the same root (reloaded when a file changes)."""

    _cache = {}           # root -> (signature, loaded state); documents are read-only
    _cache_lock = threading.Lock()

    def __init__(self, root):
        self.root = pathlib.Path(root).resolve()
        sig = self._signature()
        with self._cache_lock:
            hit = self._cache.get(self.root)
            if hit is None or hit[0] != sig:
                hit = (sig, self._load())
                self._cache[self.root] = hit
        self.docs, self.encoded, self.merged = hit[1]
        self._search_items = {e: {} for e in MB_ENTITIES}

    def _signature(self):
        sig = []
        for entity in MB_ENTITIES + ("merged.json",):
            p = self.root / entity
            if p.is_dir():
                sig += [(f.name, f.stat().st_mtime_ns, f.stat().st_size)
                        for f in sorted(p.glob("*.json"))]
            elif p.exists():
                sig.append((p.name, p.stat().st_mtime_ns, p.stat().st_size))
        return tuple(sig)

    def _load(self):
        docs = {e: {} for e in MB_ENTITIES}
        encoded = {e: {} for e in MB_ENTITIES}
        for entity in MB_ENTITIES:
            for f in sorted((self.root / entity).glob("*.json")):
                doc = json.loads(f.read_text(encoding="utf-8"))
                if doc.get("id") != f.stem:
                    raise ValueError(f"fixture '{f}': id '{doc.get('id')}' is not the file name")
                docs[entity][f.stem] = doc
                encoded[entity][f.stem] = _json_bytes(doc)
        merged = {e: {} for e in MB_ENTITIES}
        path = self.root / "merged.json"
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            for e in MB_ENTITIES:
                merged[e] = dict(data.get(e, {}))
        return docs, encoded, merged

    # -- dispatch --
    def handle(self, req, path):
        if req.method not in ("GET", "HEAD"):
            return Answer.json({"error": f"method {req.method} not allowed"}, 405)
        parts = [p for p in path.split("/") if p]
        if not parts:
            return Answer.json(MB_NOT_FOUND, 404)
        entity = parts[0]
        if entity == "url" and len(parts) == 1:
            return self.url_lookup(req)
        if entity not in MB_ENTITIES:
            return Answer.json(MB_NOT_FOUND, 404)
        bad_inc = self._bad_inc(req, entity)
        if bad_inc:
            return Answer.json({"error": f"{bad_inc} is not a valid inc parameter for the "
                                         f"{entity} resource."}, 400)
        if len(parts) == 2:
            return self.lookup(entity, parts[1])
        if len(parts) > 2:
            return Answer.json(MB_NOT_FOUND, 404)
        if "query" in req.query:
            return self.search(entity, req)
        return self.browse(entity, req)

    # -- url lookup: /ws/2/url?resource=<url>&inc=<entity>-rels --
    def url_lookup(self, req):
        """The entities whose url relations name the resource, as MB's url document."""
        resource = req.arg("resource")
        if not resource:
            return Answer.json({"error": "Missing resource parameter"}, 400)
        relations = []
        for entity in MB_ENTITIES:
            key = entity.replace("-", "_")
            for doc in sorted(self.docs[entity].values(), key=lambda d: d["id"]):
                for rel in doc.get("relations", []):
                    url = rel.get("url") or {}
                    if rel.get("target-type") == "url" and url.get("resource") == resource:
                        ref = {"id": doc["id"]}
                        ref["name" if entity == "artist" else "title"] = (
                            doc.get("name") or doc.get("title"))
                        relations.append({"type": rel.get("type"), "target-type": key,
                                          "direction": "backward", key: ref})
                        break
        if not relations:
            return Answer.json(MB_NOT_FOUND, 404)
        uid = uuid.uuid5(uuid.NAMESPACE_URL, resource)
        return Answer.json({"id": str(uid), "resource": resource, "relations": relations})

    def _bad_inc(self, req, entity):
        for value in req.query.get("inc", []):
            for inc in re.split(r"[+ ]", value):
                if inc and inc not in MB_INCS:
                    return inc
        return None

    def resolve(self, entity, mbid):
        """Canonical id for mbid (following merges), or None if unknown."""
        mbid = mbid.lower()
        mbid = self.merged[entity].get(mbid, mbid)
        return mbid if mbid in self.docs[entity] else None

    # -- lookup --
    def lookup(self, entity, mbid):
        if not MBID_RE.match(mbid):
            return Answer.json(MB_INVALID_MBID, 400)
        canonical = self.resolve(entity, mbid)
        if canonical is None:
            return Answer.json(MB_NOT_FOUND, 404)
        return Answer(200, self.encoded[entity][canonical], cacheable=True)

    # -- browse --
    BROWSE = {
        # entity: {link parameter: function(doc) -> linked ids}
        "release-group": {"artist": _credit_ids,
                          "release": lambda d: [r["id"] for r in d.get("releases", [])]},
        "release": {"artist": _credit_ids,
                    "release-group": lambda d: [d["release-group"]["id"]],
                    "recording": lambda d: [t["recording"]["id"] for m in d.get("media", [])
                                            for t in m.get("tracks", [])]},
        "recording": {"artist": _credit_ids,
                      "release": lambda d: [r["id"] for r in d.get("releases", [])]},
    }
    HEAVY = {"release-group": ("releases",), "release": ("media",),
             "recording": ("releases",)}

    def browse(self, entity, req):
        links = self.BROWSE.get(entity, {})
        given = [k for k in links if k in req.query]
        if len(given) != 1:
            return Answer.json({"error": f"browse of {entity} needs exactly one of: "
                                         f"{', '.join(links) or '(none)'}; or a query"}, 400)
        link = given[0]
        target = req.arg(link)
        if not MBID_RE.match(target or ""):
            return Answer.json(MB_INVALID_MBID, 400)
        target_entity = link
        canonical = self.resolve(target_entity, target)
        if canonical is None:
            return Answer.json(MB_NOT_FOUND, 404)
        items = [d for d in self.docs[entity].values() if canonical in links[link](d)]
        types = self._types(req)
        if isinstance(types, Answer):
            return types
        if types and entity in ("release-group", "release"):
            items = [d for d in items if self._type_ok(d, types)]
        items.sort(key=lambda d: d["id"])
        offset = _offset(req.arg("offset"))
        limit = _clamp_limit(req.arg("limit"))
        page = [{k: v for k, v in d.items() if k not in self.HEAVY[entity]}
                for d in items[offset:offset + limit]]
        return Answer.json({f"{entity}-count": len(items), f"{entity}-offset": offset,
                            LIST_KEYS[entity]: page})

    @staticmethod
    def _types(req):
        wanted = set()
        for value in req.query.get("type", []):
            for t in value.lower().split("|"):
                if t not in PRIMARY_TYPES and t not in SECONDARY_TYPES:
                    return Answer.json({"error": f"{t} is not a recognized release-group "
                                                 f"type."}, 400)
                wanted.add(t)
        return wanted

    @staticmethod
    def _type_ok(doc, wanted):
        rg = doc if "primary-type" in doc else doc["release-group"]
        prim = {t for t in wanted if t in PRIMARY_TYPES}
        sec = wanted - prim
        if prim and (rg.get("primary-type") or "").lower() not in prim:
            return False
        if sec and not sec & {s.lower() for s in rg.get("secondary-types") or []}:
            return False
        return True

    # -- search --
    TEXT_FIELDS = {
        "artist": {None: "names", "artist": "names", "name": "names", "alias": "aliases",
                   "sortname": "sortname", "comment": "comment", "tag": "tags"},
        "release-group": {None: "title", "releasegroup": "title", "release-group": "title",
                          "title": "title", "artist": "credit", "artistname": "credit",
                          "creditname": "credit", "release": "releases", "tag": "tags",
                          "comment": "comment"},
        "release": {None: "title", "release": "title", "title": "title", "artist": "credit",
                    "artistname": "credit", "creditname": "credit",
                    "releasegroup": "rgtitle", "label": "labels", "comment": "comment"},
        "recording": {None: "title", "recording": "title", "title": "title",
                      "artist": "credit", "artistname": "credit", "creditname": "credit",
                      "release": "releases", "tag": "tags", "comment": "comment"},
    }
    ID_FIELDS = {
        "artist": {"arid": "id", "type": "type", "country": "country", "gender": "gender"},
        "release-group": {"rgid": "id", "arid": "arid", "reid": "reid",
                          "primarytype": "primarytype", "type": "primarytype",
                          "secondarytype": "secondarytype", "status": "status"},
        "release": {"reid": "id", "arid": "arid", "rgid": "rgid", "barcode": "barcode",
                    "status": "status", "country": "country", "primarytype": "primarytype",
                    "format": "format"},
        "recording": {"rid": "id", "arid": "arid", "reid": "reid", "rgid": "rgid",
                      "isrc": "isrc", "video": "video"},
    }

    def _fields(self, entity, d):
        """Searchable values of one document: text fields as (string, weight) lists, id
        fields as lower-cased string sets."""
        tags = [(t["name"], 1.0) for t in d.get("tags") or []]
        comment = [(d.get("disambiguation") or "", 1.0)]
        if entity == "artist":
            aliases = [(a["name"], 0.95) for a in d.get("aliases") or []]
            sortname = [(d.get("sort-name") or "", 0.95)]
            text = {"names": [(d["name"], 1.0)] + sortname + aliases, "aliases": aliases,
                    "sortname": sortname, "comment": comment, "tags": tags}
            ids = {"id": {d["id"]}, "type": {(d.get("type") or "").lower()},
                   "country": {(d.get("country") or "").lower()},
                   "gender": {(d.get("gender") or "").lower()}}
            return text, ids
        credit = [(n, 1.0) for n in _credit_names(d)]
        arid = set(_credit_ids(d))
        if entity == "release-group":
            text = {"title": [(d["title"], 1.0)], "credit": credit, "tags": tags,
                    "comment": comment,
                    "releases": [(r["title"], 1.0) for r in d.get("releases") or []]}
            ids = {"id": {d["id"]}, "arid": arid,
                   "reid": {r["id"] for r in d.get("releases") or []},
                   "primarytype": {(d.get("primary-type") or "").lower()},
                   "secondarytype": {s.lower() for s in d.get("secondary-types") or []},
                   "status": {(r.get("status") or "").lower() for r in d.get("releases") or []}}
            return text, ids
        if entity == "release":
            rg = d.get("release-group") or {}
            text = {"title": [(d["title"], 1.0)], "credit": credit, "comment": comment,
                    "rgtitle": [(rg.get("title") or "", 1.0)],
                    "labels": [(li["label"]["name"], 1.0) for li in d.get("label-info") or []
                               if li.get("label")]}
            ids = {"id": {d["id"]}, "arid": arid, "rgid": {rg.get("id")},
                   "barcode": {d.get("barcode") or ""},
                   "status": {(d.get("status") or "").lower()},
                   "country": {(d.get("country") or "").lower()},
                   "primarytype": {(rg.get("primary-type") or "").lower()},
                   "format": {(m.get("format") or "").lower() for m in d.get("media") or []}}
            return text, ids
        rels = d.get("releases") or []
        text = {"title": [(d["title"], 1.0)], "credit": credit, "tags": tags,
                "comment": comment, "releases": [(r["title"], 1.0) for r in rels]}
        ids = {"id": {d["id"]}, "arid": arid, "reid": {r["id"] for r in rels},
               "rgid": {(r.get("release-group") or {}).get("id") for r in rels},
               "isrc": {i.lower() for i in d.get("isrcs") or []},
               "video": {str(bool(d.get("video"))).lower()}}
        return text, ids

    @staticmethod
    def parse_query(query):
        """Lucene-ish: [field:]word or [field:]"phrase"; AND/OR/NOT, parentheses, '+',
        backslash escapes and trailing wildcards are ignored, and the bare words are
        joined into one clause. Returns [(field or None, value, is_phrase)]."""
        clauses, bare = [], []
        pattern = re.compile(r'(?:([A-Za-z][\w-]*):)?'
                             r'(?:"((?:[^"\\]|\\.)*)"|((?:[^\s"\\()]|\\.)+))')
        for m in pattern.finditer(query):
            field, phrase, word = m.group(1), m.group(2), m.group(3)
            value = phrase if phrase is not None else word
            value = re.sub(r"\\(.)", r"\1", value or "").strip("*?~+")
            if field is None and phrase is None and value in ("AND", "OR", "NOT", "&&",
                                                              "||", "!", ""):
                continue
            if not value:
                continue
            if field is None and phrase is None:
                bare.append(value)
            else:
                clauses.append((field.lower() if field else None, value, phrase is not None))
        if bare:
            clauses.insert(0, (None, " ".join(bare), False))
        return clauses

    @staticmethod
    def _text_score(value, candidates, phrase=False):
        """0-100: how well `value` matches the best of the (text, weight) candidates. A
        phrase must appear as a contiguous word run; loose words may match partly."""
        q = _norm_words(value)
        if not q:
            return 0
        best = 0.0
        for text, weight in candidates:
            words = _norm_words(text)
            if not words:
                continue
            if words == q:
                s = 100
            elif any(words[i:i + len(q)] == q for i in range(len(words) - len(q) + 1)):
                s = 90 * (len(q) / len(words)) ** 0.5
            elif phrase:
                s = 0
            elif all(w in words for w in q):
                s = 80 * (len(q) / len(words)) ** 0.5
            else:
                hits = sum(1 for w in q if w in words or any(x.startswith(w) for x in words))
                s = 50 * hits / len(q) * (len(q) / max(len(q), len(words))) ** 0.5
            best = max(best, s * weight)
        return best

    def _score(self, entity, doc, clauses):
        text, ids = self._fields(entity, doc)
        scores = []
        for field, value, phrase in clauses:
            idf = self.ID_FIELDS[entity].get(field)
            if idf is not None:
                if value.lower() not in {str(v).lower() for v in ids[idf]}:
                    return 0
                continue
            key = self.TEXT_FIELDS[entity].get(field, self.TEXT_FIELDS[entity][None])
            s = self._text_score(value, text[key], phrase)
            if s <= 0:
                return 0
            scores.append(s)
        if not scores:
            return 100
        return max(1, min(100, int(round(sum(scores) / len(scores)))))

    def search(self, entity, req):
        clauses = self.parse_query(req.arg("query", ""))
        hits = []
        if clauses:
            for doc in self.docs[entity].values():
                s = self._score(entity, doc, clauses)
                if s > 0:
                    hits.append((s, doc))
        hits.sort(key=lambda h: (-h[0], (h[1].get("name") or h[1].get("title")).casefold(),
                                 h[1]["id"]))
        offset = _offset(req.arg("offset"))
        limit = _clamp_limit(req.arg("limit"))
        items = []
        for s, doc in hits[offset:offset + limit]:
            item = dict(self._search_item(entity, doc))
            item["score"] = s
            items.append(item)
        now = datetime.datetime.now(datetime.timezone.utc)
        created = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        return Answer.json({"created": created, "count": len(hits), "offset": offset,
                            LIST_KEYS[entity]: items})

    def _search_item(self, entity, doc):
        cache = self._search_items[entity]
        item = cache.get(doc["id"])
        if item is None:
            item = getattr(self, "_search_" + entity.replace("-", "_"))(doc)
            item = {k: v for k, v in item.items() if v not in (None, "", [], {})}
            cache[doc["id"]] = item
        return item

    @staticmethod
    def _search_credit(credit):
        return [{"name": c["name"], "joinphrase": c.get("joinphrase", ""),
                 "artist": {k: c["artist"].get(k) for k in ("id", "name", "sort-name",
                                                            "disambiguation")}}
                for c in credit or []]

    @staticmethod
    def _search_rg_ref(rg):
        sec = rg.get("secondary-type-ids") or []
        return {"id": rg["id"], "type-id": sec[0] if sec else rg.get("primary-type-id"),
                "primary-type-id": rg.get("primary-type-id"), "title": rg["title"],
                "primary-type": rg.get("primary-type"),
                "secondary-types": rg.get("secondary-types"),
                "secondary-type-ids": rg.get("secondary-type-ids")}

    def _search_artist(self, d):
        aliases = [{"sort-name": a["sort-name"], "type-id": a.get("type-id"),
                    "name": a["name"], "locale": a.get("locale"), "type": a.get("type"),
                    "primary": a.get("primary"), "begin-date": a.get("begin"),
                    "end-date": a.get("end")} for a in d.get("aliases") or []]
        life = {k: v for k, v in (d.get("life-span") or {}).items() if v is not None}
        if not life.get("ended"):
            life.pop("ended", None)
            life["ended"] = None
        return {"id": d["id"], "type": d.get("type"), "type-id": d.get("type-id"),
                "gender-id": d.get("gender-id"), "name": d["name"],
                "sort-name": d["sort-name"],
                "gender": (d.get("gender") or "").lower() or None,
                "country": d.get("country"), "area": d.get("area"),
                "begin-area": d.get("begin-area"), "end-area": d.get("end-area"),
                "disambiguation": d.get("disambiguation"), "isnis": d.get("isnis"),
                "ipis": d.get("ipis"), "life-span": life, "aliases": aliases,
                "tags": d.get("tags")}

    def _search_release_group(self, d):
        item = self._search_rg_ref(d)
        rels = d.get("releases") or []
        item.update({"count": len(rels), "first-release-date": d.get("first-release-date"),
                     "disambiguation": d.get("disambiguation"),
                     "artist-credit": self._search_credit(d.get("artist-credit")),
                     "releases": [{"id": r["id"], "status-id": r.get("status-id"),
                                   "title": r["title"], "status": r.get("status")}
                                  for r in rels],
                     "tags": d.get("tags")})
        return item

    def _search_release(self, d):
        media = d.get("media") or []
        return {"id": d["id"], "status-id": d.get("status-id"), "count": 1,
                "title": d["title"], "status": d.get("status"),
                "disambiguation": d.get("disambiguation"), "packaging": d.get("packaging"),
                "text-representation": d.get("text-representation"),
                "artist-credit": self._search_credit(d.get("artist-credit")),
                "release-group": self._search_rg_ref(d["release-group"]),
                "date": d.get("date"), "country": d.get("country"),
                "release-events": d.get("release-events"), "barcode": d.get("barcode"),
                "asin": d.get("asin"),
                "label-info": [{"catalog-number": li.get("catalog-number"),
                                "label": {"id": li["label"]["id"],
                                          "name": li["label"]["name"]}}
                               for li in d.get("label-info") or [] if li.get("label")],
                "track-count": sum(m.get("track-count", 0) for m in media),
                "media": [{"format": m.get("format"), "disc-count": 0,
                           "track-count": m.get("track-count", 0)} for m in media]}

    def _search_recording(self, d):
        releases = []
        for r in d.get("releases") or []:
            full = self.docs["release"].get(r["id"], r)
            media = []
            for m in r.get("media") or []:
                media.append({"position": m.get("position"), "format": m.get("format"),
                              "track": [{k: t.get(k) for k in ("id", "number", "title",
                                                                 "length")}
                                        for t in m.get("tracks") or []],
                              "track-count": m.get("track-count"),
                              "track-offset": m.get("track-offset")})
            releases.append({
                "id": r["id"], "status-id": r.get("status-id"), "count": 1,
                "title": r["title"], "status": r.get("status"),
                "artist-credit": self._search_credit(r.get("artist-credit")),
                "release-group": self._search_rg_ref(full.get("release-group")
                                                     or r["release-group"]),
                "date": r.get("date"), "country": r.get("country"),
                "release-events": r.get("release-events"),
                "track-count": sum(m.get("track-count", 0) for m in full.get("media") or [])
                or None,
                "media": media})
        return {"id": d["id"], "title": d["title"], "length": d.get("length"), "video": None,
                "disambiguation": d.get("disambiguation"),
                "artist-credit": self._search_credit(d.get("artist-credit")),
                "first-release-date": d.get("first-release-date"), "isrcs": d.get("isrcs"),
                "releases": releases, "tags": d.get("tags")}


# ---- pytest and command line -------------------------------------------------------------------

def fake_fixture(fixtures_dir=DEFAULT_FIXTURES):
    """Body of a pytest fixture: `@pytest.fixture\ndef fake(): yield from fake_fixture()`.
    Starts a FakeProvider, yields it, stops it, and fails if the fake had internal errors."""
    fake = FakeProvider(fixtures_dir).start()
    try:
        yield fake
    finally:
        fake.stop()
    errors = fake.errors()
    assert not errors, "fake provider internal errors:\n" + "\n".join(errors)


def main(argv=None):
    ap = argparse.ArgumentParser(description="medley's fake upstream provider server")
    ap.add_argument("--port", type=int, default=0, help="port (0: any free one)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (0.0.0.0 lets containers reach it)")
    ap.add_argument("--fixtures", default=str(DEFAULT_FIXTURES),
                    help="fixtures root (holding musicbrainz/)")
    ap.add_argument("--verbose", action="store_true", help="one stderr line per request")
    ap.add_argument("--max-requests", type=int, default=100000,
                    help="keep only the last N requests in the log (0: unbounded)")
    args = ap.parse_args(argv)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    fake = FakeProvider(args.fixtures, verbose=args.verbose, port=args.port,
                        max_requests=args.max_requests or None, host=args.host).start()
    print(f"listening on {fake.url}", flush=True)
    while not done.wait(0.2):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
