"""providers.<name>.rate_scope: cluster - one MusicBrainz bucket for every instance on the
database, kept in PostgreSQL (sql/003_rate_buckets.sql). Three instances asked for distinct
misses at once must together keep to the configured rate, where three local buckets would
not; and a Retry-After seen by one instance pauses the others."""
import threading
import time
import uuid

from mb import mb_env


def cluster_env(fake, db_url, scope, **extra):
    return mb_env(fake, db_url, MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_PER_S=1,
                  MEDLEY_PROVIDERS_MUSICBRAINZ_BURST=1,
                  MEDLEY_PROVIDERS_MUSICBRAINZ_CONCURRENCY=1,
                  MEDLEY_PROVIDERS_MUSICBRAINZ_RATE_SCOPE=scope,
                  MEDLEY_SERVER_REQUEST_TIMEOUT_MS=20000, **extra)


def miss_all(instances, per_instance):
    """Each instance asks per_instance distinct unknown artists, all at once."""
    statuses = []
    lock = threading.Lock()

    def ask(m):
        st = m.get(f"/v1/artists/{uuid.uuid4()}", timeout=30).status
        with lock:
            statuses.append(st)

    threads = [threading.Thread(target=ask, args=(m,)) for m in instances
               for _ in range(per_instance)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


def upstream_times(fake):
    return sorted(r.monotonic for r in fake.requests("/ws/2/artist/"))


def start(medley, env, n):
    ms = [medley(env=env) for _ in range(n)]
    for m in ms:
        m.wait_ready()
    return ms


def test_three_instances_share_one_bucket(medley, fake, db_url):
    ms = start(medley, cluster_env(fake, db_url, "cluster"), 3)
    assert miss_all(ms, 2) == [404] * 6
    times = upstream_times(fake)
    assert len(times) == 6
    gaps = [b - a for a, b in zip(times, times[1:])]
    # 1 request/s across the cluster: five gaps of a second (scheduling slack aside)
    assert min(gaps) >= 0.9, gaps
    assert times[-1] - times[0] >= 4.8, times


def test_local_scope_is_per_instance(medley, fake, db_url):
    """The control: three local buckets send about three times as fast, so the test above
    would fail without the shared bucket."""
    ms = start(medley, cluster_env(fake, db_url, "local"), 3)
    assert miss_all(ms, 2) == [404] * 6
    times = upstream_times(fake)
    assert len(times) == 6
    assert times[-1] - times[0] < 3.0, times


def test_retry_after_pauses_every_instance(medley, fake, db_url):
    a, b = start(medley, cluster_env(fake, db_url, "cluster"), 2)
    fake.add_fault("/ws/2/artist/", "status", times=1, status=503, retry_after=2)
    t0 = time.monotonic()
    # a's request is answered 503 Retry-After: 2 (no retries in mb_env): the bucket pauses
    assert a.get(f"/v1/artists/{uuid.uuid4()}", timeout=30).status in (502, 503)
    assert b.get(f"/v1/artists/{uuid.uuid4()}", timeout=30).status == 404
    times = upstream_times(fake)
    assert len(times) == 2
    assert times[1] - times[0] >= 1.9, times
    assert time.monotonic() - t0 >= 1.9
