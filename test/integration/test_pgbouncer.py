"""medley behind PgBouncer in transaction mode (docs/operations.md#pgbouncer).

Debian's pgbouncer runs in front of the test cluster with pool_mode=transaction and two
server connections, so medley's sessions are multiplexed over connections other clients
use too. With database.transaction_pooling medley migrates, serves, caches and reads
back through it; without it, the named prepared statements break (the control that shows
the test can fail)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from mb import NIRVANA, mb_env

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgBouncer:
    def __init__(self, pg):
        self.dir = tempfile.mkdtemp(prefix="medley-pgb-")
        self.port = free_port()
        ini = os.path.join(self.dir, "pgbouncer.ini")
        users = os.path.join(self.dir, "users.txt")
        with open(users, "w") as f:
            f.write('"postgres" ""\n')
        with open(ini, "w") as f:
            f.write(f"""[databases]
* = host={pg.sock} port={pg.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {users}
pool_mode = transaction
default_pool_size = 2
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = {self.dir}/pgbouncer.log
pidfile = {self.dir}/pgbouncer.pid
""")
        cmd = [PGBOUNCER, ini]
        if os.geteuid() == 0:  # pgbouncer refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            for p in (ini, users):
                shutil.chown(p, "postgres", "postgres")
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"pgbouncer did not start: {self.log()}")

    def url(self, db):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def log(self):
        try:
            with open(os.path.join(self.dir, "pgbouncer.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def bouncer(pg):
    if not os.path.exists(PGBOUNCER):
        pytest.fail("pgbouncer is not installed (run: make deps)")
    b = PgBouncer(pg)
    yield b
    b.stop()


def db_name(db_url):
    return db_url.split("///")[1].split("?")[0]


def test_transaction_pooling_serves_and_caches(medley, fake, pg, db_url, bouncer):
    url = bouncer.url(db_name(db_url))
    env = mb_env(fake, db_url, MEDLEY_DATABASE_URL=url, MEDLEY_DATABASE_TRANSACTION_POOLING=1,
                 MEDLEY_DATABASE_POOL_SIZE=6, MEDLEY_CACHE_MEMORY_BYTES=0)
    ms = [medley(env=env) for _ in range(2)]
    for m in ms:
        m.wait_ready()
    # six pool connections per instance share two server connections
    for _ in range(3):
        for m in ms:
            assert m.get(f"/v1/artists/{NIRVANA}").status == 200
    assert fake.count("/ws/2/artist/") == 1  # stored once, read back through the bouncer
    r = ms[1].get(f"/v1/artists/{NIRVANA}")
    assert r.json()["cache"]["status"] == "hit"
    assert pg.psql("SELECT count(*) FROM provider_documents", db=db_name(db_url)) == "1"
    assert ms[0].get("/ready").status == 200


def test_named_statements_break_without_it(medley, fake, db_url, bouncer):
    """The control: prepared statements by name do not survive transaction pooling, so
    serving through the bouncer without the setting fails where the test above passes."""
    url = bouncer.url(db_name(db_url))
    env = mb_env(fake, db_url, MEDLEY_DATABASE_URL=url, MEDLEY_DATABASE_POOL_SIZE=4,
                 MEDLEY_CACHE_MEMORY_BYTES=0)
    ms = [medley(env=env) for _ in range(2)]
    bad = []
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline and len(bad) < 3:
        for m in ms:
            for path in ("/ready", f"/v1/artists/{NIRVANA}"):
                st = m.get(path).status
                if st != 200:
                    bad.append((path, st))
    assert bad, "named prepared statements unexpectedly survived transaction pooling"
