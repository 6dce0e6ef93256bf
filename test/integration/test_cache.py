"""The cache and the politeness machinery, end to end: pacing, single flight (in one
process and across two), restarts, stale-while-revalidate, stale-if-error, negative
caching, Retry-After, the circuit breaker, deadlines, hostile answers, a database that
goes away."""
import threading
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import SLOW
from mb import COHEN, DYLAN, NIRVANA, UNKNOWN, mb_count, mb_env

ARTIST_PATH = f"/ws/2/artist/{NIRVANA}"


def metric(m, name, **labels):
    """Value of the sample called name (a family, family_total, or e.g. family_count)."""
    for fam in text_string_to_metric_families(m.get("/metrics").body):
        for s in fam.samples:
            if name in (s.name, fam.name) and s.name in (name, name + "_total") and all(
                    s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return 0


def parallel(fn, n):
    results = [None] * n

    def run(i):
        results[i] = fn()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_pacing_of_distinct_misses(medley, fake, db_url):
    """Six distinct misses at 2/s (burst 1) reach the fake no faster than the bucket."""
    m = medley(env=mb_env(fake, db_url, MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S=2,
                          MEDLEY_PROVIDERS_MUSICBRAINZ_BURST=1,
                          MEDLEY_PROVIDERS_MUSICBRAINZ_CONCURRENCY=1))
    m.wait_ready()
    paths = [f"/v1/artists/{i}" for i in
             [NIRVANA, DYLAN, COHEN, UNKNOWN, "384256c2-bb82-4af4-b9b9-da7c94f83654",
              "6e58e2cf-a116-4255-9adc-397b374be7ee"]]
    results = []
    threads = [threading.Thread(target=lambda p=p: results.append(m.get(p).status))
               for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [200, 200, 200, 200, 200, 404]
    times = sorted(r.monotonic for r in fake.requests("/ws/2/"))
    assert len(times) == 6
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.45, gaps          # 2 per second, some scheduling slack
    assert times[-1] - times[0] >= 2.3, times  # 5 gaps of 0.5 s
    assert metric(m, "medley_provider_rate_limit_wait_seconds_count", provider="musicbrainz") >= 5


def test_single_flight_50_concurrent(medley, fake, db_url):
    fake.add_fault(ARTIST_PATH, "delay", seconds=1.0)
    m = medley(env=mb_env(fake, db_url))
    m.wait_ready()
    statuses = parallel(lambda: m.get(f"/v1/artists/{NIRVANA}").status, 50)
    assert statuses == [200] * 50
    assert fake.count(ARTIST_PATH) == 1
    assert metric(m, "medley_singleflight_coalesced") >= 45


@pytest.mark.parametrize("instances", [2, 3])
def test_single_flight_across_processes(medley, fake, db_url, instances):
    """Several medleys on one database: one upstream fetch for a document missing in all."""
    fake.add_fault(ARTIST_PATH, "delay", seconds=1.5)
    ms = [medley(env=mb_env(fake, db_url)) for _ in range(instances)]
    for m in ms:
        m.wait_ready()
    got = []
    ts = [threading.Thread(target=lambda s=s: got.append(s.get(f"/v1/artists/{NIRVANA}")))
          for s in ms * 3]
    for t in ts:
        t.start()
        time.sleep(0.05)
    for t in ts:
        t.join(60)
    assert [r.status for r in got] == [200] * (3 * instances)
    assert {r.json()["id"] for r in got} == {NIRVANA}
    assert fake.count(ARTIST_PATH) == 1


def test_cache_survives_restart(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url))
    m.wait_ready()
    first = m.get(f"/v1/artists/{NIRVANA}")
    assert first.json()["cache"]["status"] == "miss"
    assert m.stop() == 0
    m2 = medley(env=mb_env(fake, db_url))
    m2.wait_ready()
    again = m2.get(f"/v1/artists/{NIRVANA}")
    assert again.status == 200
    assert again.json()["cache"]["status"] == "hit"
    assert again.headers["etag"] == first.headers["etag"]
    assert fake.count(ARTIST_PATH) == 1


def test_memory_layer_off_still_hits_database(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_CACHE_MEMORY_BYTES=0))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    assert m.get(f"/v1/artists/{NIRVANA}").json()["cache"]["status"] == "hit"
    assert fake.count(ARTIST_PATH) == 1


def test_stale_while_revalidate(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_CACHE_ARTIST_TTL_S=1,
                          MEDLEY_CACHE_STALE_WHILE_REVALIDATE_S=3600))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    time.sleep(1.2)
    fake.add_fault(ARTIST_PATH, "delay", seconds=1.0)
    t0 = time.monotonic()
    r = m.get(f"/v1/artists/{NIRVANA}")
    assert time.monotonic() - t0 < 0.5 * SLOW  # served at once, not after the refresh
    assert r.status == 200 and r.json()["cache"]["status"] == "stale"
    assert r.headers["cache-control"] == "public, max-age=0"
    fake.wait_for(2, ARTIST_PATH)  # the background refresh
    deadline = time.monotonic() + 10 * SLOW
    while time.monotonic() < deadline:
        if m.get(f"/v1/artists/{NIRVANA}").json()["cache"]["status"] == "hit":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the refresh never landed")
    assert fake.count(ARTIST_PATH) == 2


def test_stale_if_error(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_CACHE_ARTIST_TTL_S=1,
                          MEDLEY_CACHE_STALE_WHILE_REVALIDATE_S=0))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    time.sleep(1.2)
    fake.add_fault(ARTIST_PATH, "status", status=500)
    r = m.get(f"/v1/artists/{NIRVANA}", headers={"X-Request-Id": "sie"})
    assert r.status == 200, r
    assert r.json()["cache"]["status"] == "stale"
    assert r.json()["name"] == "Nirvana"
    line = m.wait_log(lambda l: l.get("req") == "sie")
    assert line["cache"] == "stale" and line["musicbrainz"] == "error"


def test_error_without_copy_is_502_and_not_cached(medley, fake, db_url, pg):
    m = medley(env=mb_env(fake, db_url))
    m.wait_ready()
    fake.add_fault(ARTIST_PATH, "status", status=500, times=1)
    r = m.get(f"/v1/artists/{NIRVANA}")
    assert r.status == 502 and r.json()["type"] == "urn:medley:problem:upstream-error"
    assert m.get(f"/v1/artists/{NIRVANA}").status == 200
    assert fake.count(ARTIST_PATH) == 2


@pytest.mark.parametrize("kind,params", [("invalid_json", {}),
                                         ("oversized", {"bytes": 300_000}),
                                         ("drop", {}),
                                         ("body", {"body": "[1, 2, 3]"}),
                                         ("body", {"body": '{"id": "not-a-uuid"}'})])
def test_nothing_invalid_is_cached(medley, fake, db_url, pg, kind, params):
    m = medley(env=mb_env(fake, db_url, MEDLEY_PROVIDERS_MUSICBRAINZ_MAX_BODY_BYTES=200_000))
    m.wait_ready()
    fake.add_fault(ARTIST_PATH, kind, times=1, **params)
    r = m.get(f"/v1/artists/{NIRVANA}")
    assert r.status == 502, r
    db = db_url.split("///")[1].split("?")[0]
    assert pg.psql("select count(*) from provider_documents", db=db) == "0"
    ok = m.get(f"/v1/artists/{NIRVANA}")
    assert ok.status == 200 and ok.json()["cache"]["status"] == "miss"


def test_negative_caching_expires(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_CACHE_NOT_FOUND_TTL_S=1,
                          MEDLEY_CACHE_STALE_WHILE_REVALIDATE_S=0))
    m.wait_ready()
    assert m.get(f"/v1/artists/{UNKNOWN}").status == 404
    assert m.get(f"/v1/artists/{UNKNOWN}").status == 404
    assert fake.count(f"/ws/2/artist/{UNKNOWN}") == 1
    assert metric(m, "medley_cache_results", result="negative") == 1
    time.sleep(1.2)
    assert m.get(f"/v1/artists/{UNKNOWN}").status == 404
    assert fake.count(f"/ws/2/artist/{UNKNOWN}") == 2


def test_retry_after_pauses_the_provider(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_PROVIDERS_MUSICBRAINZ_RETRIES=2,
                          MEDLEY_SERVER_REQUEST_TIMEOUT_MS=15000))
    m.wait_ready()
    fake.add_fault(ARTIST_PATH, "status", status=503, retry_after=2, times=1)
    r = m.get(f"/v1/artists/{NIRVANA}")
    assert r.status == 200, r
    sent = fake.requests(ARTIST_PATH)
    assert len(sent) == 2
    assert sent[1].monotonic - sent[0].monotonic >= 1.9
    # The pause held the whole bucket: another document waits as well.
    fake.add_fault(f"/ws/2/artist/{DYLAN}", "status", status=429, retry_after=2, times=1)
    t0 = time.monotonic()
    assert m.get(f"/v1/artists/{DYLAN}").status == 200
    assert time.monotonic() - t0 >= 1.9


def test_breaker_opens_and_recovers(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_PROVIDERS_MUSICBRAINZ_BREAKER_FAILURES=2,
                          MEDLEY_PROVIDERS_MUSICBRAINZ_BREAKER_OPEN_MS=1500))
    m.wait_ready()
    fake.add_fault("/ws/2/artist/", "status", status=500)
    assert m.get(f"/v1/artists/{NIRVANA}").status == 502
    assert m.get(f"/v1/artists/{DYLAN}").status == 502
    before = mb_count(fake)
    r = m.get(f"/v1/artists/{COHEN}")
    assert r.status == 503 and r.json()["type"] == "urn:medley:problem:upstream-unavailable"
    assert mb_count(fake) == before  # failed fast, no request sent
    assert metric(m, "medley_provider_breaker_state", provider="musicbrainz") == 2
    fake.clear_faults()
    time.sleep(1.7)
    assert m.get(f"/v1/artists/{COHEN}").status == 200  # the half-open probe
    assert metric(m, "medley_provider_breaker_state", provider="musicbrainz") == 0


def test_deadline_gives_504_then_the_fetch_fills_the_cache(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_SERVER_REQUEST_TIMEOUT_MS=800))
    m.wait_ready()
    fake.add_fault(ARTIST_PATH, "delay", seconds=2.0, times=1)
    t0 = time.monotonic()
    r = m.get(f"/v1/artists/{NIRVANA}")
    took = time.monotonic() - t0
    assert r.status == 504 and r.json()["type"] == "urn:medley:problem:timeout"
    assert 0.7 < took < 1.8 * SLOW
    time.sleep(1.6)
    assert m.get(f"/v1/artists/{NIRVANA}").json()["cache"]["status"] == "hit"
    assert fake.count(ARTIST_PATH) == 1


def test_deadline_with_stale_copy_serves_it(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_SERVER_REQUEST_TIMEOUT_MS=800,
                          MEDLEY_CACHE_ARTIST_TTL_S=1, MEDLEY_CACHE_STALE_WHILE_REVALIDATE_S=0))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    time.sleep(1.2)
    fake.add_fault(ARTIST_PATH, "hang")
    r = m.get(f"/v1/artists/{NIRVANA}")
    assert r.status == 200 and r.json()["cache"]["status"] == "stale"
    fake.clear_faults()


def test_database_down_lookups_still_work(medley, fake, own_pg):
    url = own_pg.createdb("medley")
    m = medley(env=mb_env(fake, url, MEDLEY_DATABASE_CONNECT_TIMEOUT_MS=1000))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    own_pg.stop()
    hot = m.get(f"/v1/artists/{NIRVANA}")  # from memory
    assert hot.status == 200 and hot.json()["cache"]["status"] == "hit"
    fresh = m.get(f"/v1/artists/{DYLAN}")  # fetched and answered without storing
    assert fresh.status == 200 and fresh.json()["id"] == DYLAN
    assert m.get("/ready").status == 503
    own_pg.start()
    m.wait_ready()


def test_shutdown_answers_waiting_requests(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_SERVER_SHUTDOWN_GRACE_S=1,
                          MEDLEY_SERVER_REQUEST_TIMEOUT_MS=30000))
    m.wait_ready()
    fake.add_fault(ARTIST_PATH, "hang")
    got = []
    t = threading.Thread(target=lambda: got.append(m.get(f"/v1/artists/{NIRVANA}")))
    t.start()
    fake.wait_for(1, ARTIST_PATH)
    assert m.stop() == 0
    t.join(10)
    assert got and got[0].status == 503
    assert got[0].json()["type"] == "urn:medley:problem:shutting-down"
    fake.clear_faults()


def test_cache_metrics(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    m.get(f"/v1/artists/{NIRVANA}")
    assert metric(m, "medley_cache_results", result="miss") == 1
    assert metric(m, "medley_cache_results", result="hit") == 1
    assert metric(m, "medley_provider_requests", provider="musicbrainz", outcome="ok") == 1
    assert metric(m, "medley_cache_memory_entries") >= 1


def test_unreachable_database_does_not_stall_requests(medley, fake):
    """A database host that accepts and never answers: connects hang until their
    timeout. One probe at a time may wait; every request is answered promptly."""
    import socket
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(64)
    url = f"postgresql://postgres@127.0.0.1:{black_hole.getsockname()[1]}/medley"
    try:
        m = medley(env=mb_env(fake, url, MEDLEY_DATABASE_CONNECT_TIMEOUT_MS=4000))
        time.sleep(0.3)  # the migration thread is probing now
        for mbid in [NIRVANA, DYLAN, COHEN, NIRVANA]:
            t0 = time.monotonic()
            r = m.get(f"/v1/artists/{mbid}")
            assert r.status == 200, r
            assert time.monotonic() - t0 < 1.0 * SLOW, f"{mbid} waited on the database"
        t0 = time.monotonic()
        ready = m.get("/ready")
        assert ready.status == 503 and ready.json()["checks"]["database"] == "unavailable"
        assert time.monotonic() - t0 < 1.0 * SLOW
    finally:
        black_hole.close()


def test_read_url_sends_cache_reads_to_the_replica(medley, fake, pg):
    """database.read_url: cache reads come from the replica, writes go to the primary.
    Two databases stand in for primary and replica; the replica holds a document the
    primary does not, so a hit without an upstream request proves where reads go."""
    replica = pg.createdb("t_replica")
    primary = pg.createdb("t_primary")
    filler = medley(env=mb_env(fake, replica))
    filler.wait_ready()
    assert filler.get(f"/v1/artists/{NIRVANA}").status == 200
    assert filler.stop() == 0
    fake.clear_requests()
    m = medley(env=mb_env(fake, primary, MEDLEY_DATABASE_READ_URL=replica,
                          MEDLEY_CACHE_MEMORY_BYTES=0))
    m.wait_ready()
    hit = m.get(f"/v1/artists/{NIRVANA}")
    assert hit.status == 200 and hit.json()["cache"]["status"] == "hit"
    assert mb_count(fake) == 0
    miss = m.get(f"/v1/artists/{DYLAN}")
    assert miss.json()["cache"]["status"] == "miss"
    assert pg.psql("select count(*) from provider_documents", db="t_primary") == "1"
    assert pg.psql("select count(*) from provider_documents where key = "
                   f"'{DYLAN}'", db="t_replica") == "0"
    names = pg.psql("select distinct application_name from pg_stat_activity "
                    "where datname = 't_replica'")
    assert "medley-read" in names.split("\n")


def test_replica_down_falls_back_to_primary(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url, MEDLEY_CACHE_MEMORY_BYTES=0,
                          MEDLEY_DATABASE_READ_URL="postgresql://x@127.0.0.1:9/none",
                          MEDLEY_DATABASE_CONNECT_TIMEOUT_MS=1000))
    m.wait_ready()
    m.get(f"/v1/artists/{NIRVANA}")
    again = m.get(f"/v1/artists/{NIRVANA}")
    assert again.json()["cache"]["status"] == "hit"  # read from the primary
    assert fake.count(ARTIST_PATH) == 1
