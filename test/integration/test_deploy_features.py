"""Deployment features: `medley healthcheck`, the SIGTERM drain, trusted proxies."""
import signal
import socket
import threading
import time

import pytest

from conftest import SLOW, run_cli


def wait_port_closed(port, timeout):
    deadline = time.monotonic() + timeout * SLOW
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"port {port} still accepting after {timeout} s")


def access_line(m, req_id):
    return m.wait_log(lambda l: l.get("msg") == "request" and l.get("req") == req_id)


# --- healthcheck ---------------------------------------------------------------


def test_healthcheck_url_ok(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    r = run_cli(["healthcheck", "--url", f"http://127.0.0.1:{m.port}/health"])
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""


def test_healthcheck_default_url_from_config(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    r = run_cli(["healthcheck"], env={"MEDLEY_SERVER_PORT": str(m.port)})
    assert r.returncode == 0, r.stderr
    r = run_cli(["healthcheck"], env={"MEDLEY_SERVER_PORT": str(m.port),
                                      "MEDLEY_SERVER_LISTEN": "0.0.0.0"})
    assert r.returncode == 0, r.stderr


def test_healthcheck_ipv6_loopback(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_LISTEN": "::1"})
    r = run_cli(["healthcheck"], env={"MEDLEY_SERVER_PORT": str(m.port),
                                      "MEDLEY_SERVER_LISTEN": "::"})
    assert r.returncode == 0, r.stderr


def test_healthcheck_not_200_is_1(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    r = run_cli(["healthcheck", "--url", f"http://127.0.0.1:{m.port}/nowhere"])
    assert r.returncode == 1
    assert r.stderr.strip().endswith("status 404"), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_healthcheck_refused_is_1():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = run_cli(["healthcheck", "--url", f"http://127.0.0.1:{port}/health"])
    assert r.returncode == 1
    assert "cannot connect" in r.stderr


def test_healthcheck_silent_server_times_out():
    """A server that accepts and never answers: exit 1 after about 2 s."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    try:
        t0 = time.monotonic()
        r = run_cli(["healthcheck", "--url", f"http://127.0.0.1:{port}/health"])
        took = time.monotonic() - t0
    finally:
        srv.close()
    assert r.returncode == 1
    assert "no answer within 2000 ms" in r.stderr, r.stderr
    assert 1.5 < took < 10 * SLOW


def test_healthcheck_garbage_answer_is_1():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]

    def answer():
        c, _ = srv.accept()
        c.recv(4096)
        c.sendall(b"SSH-2.0-nope\r\n")
        c.close()

    t = threading.Thread(target=answer, daemon=True)
    t.start()
    try:
        r = run_cli(["healthcheck", "--url", f"http://127.0.0.1:{port}/"])
    finally:
        t.join(5)
        srv.close()
    assert r.returncode == 1
    assert "malformed status line" in r.stderr


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "http://", "http://h:0/", "http://h:x/",
                                 "http://[::1/"])
def test_healthcheck_bad_url_is_1(url):
    r = run_cli(["healthcheck", "--url", url])
    assert r.returncode == 1
    assert "not an http://host[:port][/path] URL" in r.stderr


def test_healthcheck_port_0_needs_url():
    r = run_cli(["healthcheck"], env={"MEDLEY_SERVER_PORT": "0"})
    assert r.returncode == 1
    assert "pass --url" in r.stderr


def test_healthcheck_bad_config_is_1():
    r = run_cli(["healthcheck"], env={"MEDLEY_SERVER_PORT": "x"})
    assert r.returncode == 1
    assert "MEDLEY_SERVER_PORT" in r.stderr


def test_url_option_belongs_to_healthcheck():
    r = run_cli(["--url", "http://127.0.0.1/", "check-config"])
    assert r.returncode == 2


# --- drain ---------------------------------------------------------------------


def test_drain_keeps_serving_then_closes(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_DRAIN_S": "3"})
    m.wait_ready()
    port = m.port
    t0 = time.monotonic()
    m.proc.send_signal(signal.SIGTERM)
    m.wait_log(lambda l: l.get("msg", "").startswith("draining: still accepting"))
    # New connections are still accepted: /ready says go away, /health is fine.
    ready = m.get("/ready")
    assert ready.status == 503, ready
    assert ready.json()["checks"]["shutdown"] == "draining"
    assert m.get("/health").status == 200
    assert m.proc.poll() is None
    closed = wait_port_closed(port, 15)
    assert closed - t0 >= 2.5, "stopped accepting before the drain was over"
    assert m.wait_exit() == 0
    msgs = [l.get("msg", "") for l in m.lines]
    assert any(x.startswith("drain over") for x in msgs)
    assert any(x.startswith("no longer accepting") for x in msgs)
    assert "stopped" in msgs


def test_second_signal_skips_drain(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_DRAIN_S": "600"})
    m.proc.send_signal(signal.SIGTERM)
    m.wait_log(lambda l: l.get("msg", "").startswith("draining: still accepting"))
    assert m.get("/health").status == 200
    t0 = time.monotonic()
    m.proc.send_signal(signal.SIGINT)
    assert m.wait_exit(timeout=20) == 0
    assert time.monotonic() - t0 < 15 * SLOW
    assert m.logs("received SIGINT during the drain; skipping the rest of it")


def test_no_drain_by_default(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    assert m.stop(signal.SIGTERM) == 0
    msgs = [l.get("msg", "") for l in m.lines]
    assert not any(x.startswith("draining: still accepting") for x in msgs)


# --- trusted proxies -------------------------------------------------------------


def test_forwarded_for_from_trusted_proxy(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url,
                    "MEDLEY_SERVER_TRUSTED_PROXIES": "127.0.0.1/32"})
    m.get("/health", headers={"X-Request-Id": "xff-1", "X-Forwarded-For": "203.0.113.7"})
    assert access_line(m, "xff-1")["client"] == "203.0.113.7"
    # A chain: the right-most address that is not a trusted proxy.
    m.get("/health", headers={"X-Request-Id": "xff-2",
                              "X-Forwarded-For": "198.51.100.1, 203.0.113.9, 127.0.0.1"})
    assert access_line(m, "xff-2")["client"] == "203.0.113.9"
    # Malformed: the peer stands.
    m.get("/health", headers={"X-Request-Id": "xff-3", "X-Forwarded-For": "not-an-ip"})
    assert access_line(m, "xff-3")["client"] == "127.0.0.1"
    # Two headers count as one list, in order.
    r = m.raw(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-Id: xff-4\r\n"
              b"X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: 192.0.2.2\r\n"
              b"Connection: close\r\n\r\n")
    assert r.startswith(b"HTTP/1.1 200"), r
    assert access_line(m, "xff-4")["client"] == "192.0.2.2"


def test_forwarded_for_ignored_without_trust(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    m.get("/health", headers={"X-Request-Id": "xff-5", "X-Forwarded-For": "203.0.113.7",
                              "X-Forwarded-Proto": "https"})
    assert access_line(m, "xff-5")["client"] == "127.0.0.1"


def test_forwarded_for_ignored_from_untrusted_peer(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url,
                    "MEDLEY_SERVER_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32"})
    m.get("/health", headers={"X-Request-Id": "xff-6", "X-Forwarded-For": "203.0.113.7"})
    assert access_line(m, "xff-6")["client"] == "127.0.0.1"


def test_bad_trusted_proxies_is_a_config_error():
    r = run_cli(["check-config"], env={"MEDLEY_SERVER_TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.0/33"})
    assert r.returncode == 2
    assert ('MEDLEY_SERVER_TRUSTED_PROXIES: must be a comma-separated list of IP addresses '
            'and CIDRs, got "10.0.0.0/8,10.0.0.0/33": entry "10.0.0.0/33": an IPv4 prefix '
            'length is at most 32') in r.stderr, r.stderr
