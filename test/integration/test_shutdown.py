"""Signals: SIGTERM and SIGINT drain and exit 0; the port is released."""
import signal
import socket
import time

import pytest

from conftest import recv_all


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_exits_cleanly(medley, db_url, sig):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    m.wait_ready()
    port = m.port
    assert m.stop(sig) == 0
    assert m.logs("stopped")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_open_keep_alive_connection_does_not_block_exit(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    s = socket.create_connection(("127.0.0.1", m.port), timeout=5)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert s.recv(4096).startswith(b"HTTP/1.1 200")
    assert m.stop(signal.SIGTERM, timeout=15) == 0
    s.close()


def test_sigterm_while_database_down(medley, own_pg):
    url = own_pg.createdb("medley")
    own_pg.stop()
    m = medley(env={"MEDLEY_DATABASE_URL": url})
    assert m.stop(signal.SIGTERM) == 0


def test_in_flight_request_finishes_during_grace(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_SHUTDOWN_GRACE_S": "10"})
    s = socket.create_connection(("127.0.0.1", m.port), timeout=10)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")  # headers not finished: in flight
    time.sleep(0.3)
    m.proc.send_signal(signal.SIGTERM)
    m.wait_log(lambda l: "draining" in l.get("msg", ""))
    time.sleep(0.3)
    assert m.proc.poll() is None, "exited with a request in flight"
    s.sendall(b"Connection: close\r\n\r\n")
    data = recv_all(s)
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data
    assert m.wait_exit() == 0


def test_grace_period_bounds_shutdown(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url, "MEDLEY_SERVER_SHUTDOWN_GRACE_S": "1"})
    s = socket.create_connection(("127.0.0.1", m.port), timeout=10)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")  # never finished
    time.sleep(0.3)
    t0 = time.monotonic()
    assert m.stop(signal.SIGTERM) == 0
    assert time.monotonic() - t0 < 8
    assert any("grace" in l.get("msg", "") for l in m.lines)
    s.close()
