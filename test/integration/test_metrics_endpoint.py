"""GET /metrics: parsed by the real Prometheus text parser, and its counters move."""
import pytest
from prometheus_client.parser import text_string_to_metric_families


@pytest.fixture
def srv(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    m.wait_ready()
    return m


def scrape(srv):
    r = srv.get("/metrics")
    assert r.status == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {f.name: f for f in text_string_to_metric_families(r.body)}


def sample(fams, family, name=None, **labels):
    for s in fams[family].samples:
        if (name is None or s.name == name) and all(s.labels.get(k) == v
                                                    for k, v in labels.items()):
            return s.value
    return None


def test_exposition_has_required_families(srv):
    fams = scrape(srv)
    for name in ["medley_http_requests", "medley_http_request_duration_seconds",
                 "medley_http_requests_in_flight", "medley_db_pool_size",
                 "medley_db_pool_in_use", "medley_db_pool_waiting",
                 "medley_db_connection_errors", "medley_build_info",
                 "process_resident_memory_bytes", "process_open_fds",
                 "process_cpu_seconds", "process_start_time_seconds"]:
        assert name in fams, f"{name} missing; have {sorted(fams)}"
    assert fams["medley_http_requests"].type == "counter"
    assert fams["medley_http_request_duration_seconds"].type == "histogram"
    info = fams["medley_build_info"].samples[0]
    assert info.value == 1 and info.labels["version"]
    assert sample(fams, "medley_db_pool_size") == 4
    assert sample(fams, "process_resident_memory_bytes") > 1_000_000
    assert sample(fams, "process_open_fds") > 3


def test_request_counters_by_route_and_code(srv):
    before = scrape(srv)
    b_ok = sample(before, "medley_http_requests", route="health", code="200") or 0
    b_404 = sample(before, "medley_http_requests", route="unknown", code="404") or 0
    for _ in range(5):
        srv.get("/health")
    for _ in range(3):
        srv.get("/missing")
    srv.request("POST", "/health")
    after = scrape(srv)
    assert sample(after, "medley_http_requests", route="health", code="200") == b_ok + 5
    assert sample(after, "medley_http_requests", route="unknown", code="404") == b_404 + 3
    assert sample(after, "medley_http_requests", route="unknown", code="405") >= 1
    count = sample(after, "medley_http_request_duration_seconds",
                   "medley_http_request_duration_seconds_count", route="health")
    inf = sample(after, "medley_http_request_duration_seconds",
                 "medley_http_request_duration_seconds_bucket", route="health", le="+Inf")
    assert count == inf and count >= 5


def test_in_flight_counts_the_scrape_itself(srv):
    assert sample(scrape(srv), "medley_http_requests_in_flight") == 1


def test_raw_paths_never_become_labels(srv):
    srv.get("/v1/artists/some-secret-id")
    body = srv.get("/metrics").body
    assert "some-secret-id" not in body
