"""/ready follows the database: down, back, late start, edited migrations, many instances."""
import threading
import time

from conftest import SLOW


def wait_status(m, path, status, timeout=30):
    deadline = time.monotonic() + timeout * SLOW
    last = None
    while time.monotonic() < deadline:
        last = m.get(path)
        if last.status == status:
            return last
        time.sleep(0.1)
    raise AssertionError(f"{path} never {status}: {last}")


def test_ready_follows_database_outage(medley, own_pg):
    url = own_pg.createdb("medley")
    m = medley(env={"MEDLEY_DATABASE_URL": url})
    m.wait_ready()
    own_pg.stop()
    r = wait_status(m, "/ready", 503)
    doc = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert doc["checks"]["database"] == "unavailable"
    assert "database" in doc["detail"]
    assert m.get("/health").status == 200
    own_pg.start()
    wait_status(m, "/ready", 200)
    assert m.get("/health").status == 200
    # The connection errors were counted.
    assert "medley_db_connection_errors_total" in m.get("/metrics").body


def test_health_answers_throughout_outage(medley, own_pg):
    url = own_pg.createdb("medley")
    m = medley(env={"MEDLEY_DATABASE_URL": url})
    m.wait_ready()
    failures = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            r = m.get("/health")
            if r.status != 200:
                failures.append(r)
            time.sleep(0.02)

    t = threading.Thread(target=poll)
    t.start()
    own_pg.stop("immediate")
    wait_status(m, "/ready", 503)
    own_pg.start()
    wait_status(m, "/ready", 200)
    stop.set()
    t.join()
    assert failures == []


def test_starts_before_database_and_migrates_when_it_comes(medley, own_pg):
    url = own_pg.createdb("medley")
    own_pg.stop()
    m = medley(env={"MEDLEY_DATABASE_URL": url})
    assert m.get("/health").status == 200
    r = m.get("/ready")
    assert r.status == 503 and r.json()["checks"]["database"] == "unavailable"
    own_pg.start()
    wait_status(m, "/ready", 200)
    assert own_pg.psql("select count(*) > 0 from schema_migrations", db="medley") == "t"


def test_not_ready_until_migrated_when_migrate_on_start_is_off(medley, pg, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url,
                    "MEDLEY_DATABASE_MIGRATE_ON_START": "false"})
    r = m.get("/ready")
    assert r.status == 503
    assert r.json()["checks"]["schema"] == "behind"
    from conftest import run_cli
    assert run_cli(["migrate"], env={"MEDLEY_DATABASE_URL": db_url}).returncode == 0
    wait_status(m, "/ready", 200)


def test_edited_migration_is_refused(medley, pg, db_url):
    from conftest import run_cli
    assert run_cli(["migrate"], env={"MEDLEY_DATABASE_URL": db_url}).returncode == 0
    db = db_url.split("///")[1].split("?")[0]
    pg.psql("update schema_migrations set checksum = 'edited' where version = 1", db=db)
    r = run_cli(["migrate"], env={"MEDLEY_DATABASE_URL": db_url})
    assert r.returncode == 4, r.stderr
    assert "edited" in r.stderr
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    assert m.wait_exit() == 4
    assert any("edited" in l.get("msg", "") for l in m.lines)


def test_three_instances_migrate_once(medley, pg, db_url):
    ms = [medley(env={"MEDLEY_DATABASE_URL": db_url}) for _ in range(3)]
    for m in ms:
        m.wait_ready()
    db = db_url.split("///")[1].split("?")[0]
    versions = pg.psql("select count(*), count(distinct version) from schema_migrations",
                       db=db)
    n, distinct = versions.split("|")
    assert n == distinct


def test_migrate_command_twice_is_a_no_op(pg, db_url):
    from conftest import run_cli
    env = {"MEDLEY_DATABASE_URL": db_url}
    assert run_cli(["migrate"], env=env).returncode == 0
    db = db_url.split("///")[1].split("?")[0]
    first = pg.psql("select string_agg(version || ':' || applied_at, ',') from schema_migrations",
                    db=db)
    assert run_cli(["migrate"], env=env).returncode == 0
    assert pg.psql("select string_agg(version || ':' || applied_at, ',') from schema_migrations",
                   db=db) == first


def test_migrate_without_database_exits_3(own_pg):
    from conftest import run_cli
    url = own_pg.createdb("medley")
    own_pg.stop()
    r = run_cli(["migrate"], env={"MEDLEY_DATABASE_URL": url,
                                  "MEDLEY_DATABASE_CONNECT_TIMEOUT_MS": "1000"})
    assert r.returncode == 3, r.stderr


def test_pool_sessions_carry_application_name(medley, pg, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    m.wait_ready()
    db = db_url.split("///")[1].split("?")[0]
    names = pg.psql(f"select distinct application_name from pg_stat_activity "
                    f"where datname = '{db}'")
    assert "medley" in names.split("\n")
