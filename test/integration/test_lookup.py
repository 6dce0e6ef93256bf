"""MusicBrainz-backed endpoints: every route, the documents, validation, HTTP caching,
merged ids. medley runs against the fake provider and a real PostgreSQL."""
import pytest

from mb import (BARE, COHEN, DYLAN, HIGHWAY61_RG, MERGED, NEVERMIND, NEVERMIND_RG, NIRVANA,
                NIRVANA_UK, UNKNOWN, mb_count, mb_env)


@pytest.fixture
def srv(medley, fake, db_url):
    m = medley(env=mb_env(fake, db_url))
    m.wait_ready()
    return m


def assert_problem(r, status, slug):
    assert r.status == status, r
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == f"urn:medley:problem:{slug}"
    return r.json()


def test_artist_document(srv, fake):
    r = srv.get(f"/v1/artists/{NIRVANA}")
    assert r.status == 200, r
    doc = r.json()
    assert doc["id"] == NIRVANA and doc["kind"] == "artist"
    assert doc["name"] == "Nirvana" and doc["type"] == "Group" and doc["country"] == "US"
    assert doc["life_span"] == {"begin": "1987", "end": "1994-04-05", "ended": True}
    assert doc["external_ids"]["spotify"] == ["6olE6TJLqED3rqDCT0FyPh"]
    assert doc["external_ids"]["wikidata"] == ["Q11649"]
    assert all({"type", "url"} <= set(link) for link in doc["links"])
    assert doc["sources"][0]["provider"] == "musicbrainz"
    assert doc["sources"][0]["status"] == "ok"
    assert doc["cache"] == {"status": "miss", "age_s": 0}
    # The fake saw a polite request.
    req = fake.requests("/ws/2/artist/")[0]
    assert req.header("User-Agent") == "medley/0.1.0 ( medley-tests@example.org )"
    assert req.arg("fmt") == "json"


def test_dates_are_verbatim_and_lists_never_missing(srv):
    cohen = srv.get(f"/v1/artists/{COHEN}").json()
    assert cohen["life_span"]["begin"] == "1934"
    assert cohen["life_span"]["end"] == "2016-11-07"
    bare = srv.get(f"/v1/artists/{BARE}").json()
    for key in ["aliases", "genres", "tags", "links"]:
        assert bare[key] == [], key
    assert bare["external_ids"] == {}
    assert bare["type"] is None and bare["rating"] is None


def test_links_are_deduplicated(srv):
    doc = srv.get(f"/v1/artists/{DYLAN}").json()
    urls = [link["url"] for link in doc["links"]]
    assert len(urls) == len(set(urls))
    assert doc["external_ids"]["spotify"] == ["74ASZWbe4lXaubB36ztrGX"]


def test_release_group_release_recording(srv):
    rg = srv.get(f"/v1/release-groups/{NEVERMIND_RG}").json()
    assert rg["kind"] == "release-group" and rg["title"] == "Nevermind"
    assert rg["primary_type"] == "Album" and rg["first_release_date"] == "1991-09-24"
    assert NEVERMIND in [rel["id"] for rel in rg["releases"]]
    rel = srv.get(f"/v1/releases/{NEVERMIND}").json()
    assert rel["kind"] == "release" and rel["release_group"]["id"] == NEVERMIND_RG
    tracks = [t for m in rel["media"] for t in m["tracks"]]
    assert len(tracks) == 13
    rec_id = tracks[0]["recording"]["id"]
    rec = srv.get(f"/v1/recordings/{rec_id}").json()
    assert rec["kind"] == "recording" and rec["id"] == rec_id
    assert len(rec["isrcs"]) == 1
    assert NEVERMIND in [r["id"] for r in rec["releases"]]


def test_head_lookup(srv):
    srv.get(f"/v1/artists/{NIRVANA}")
    r = srv.request("HEAD", f"/v1/artists/{NIRVANA}")
    assert r.status == 200 and r.body == ""
    assert r.headers["etag"]


@pytest.mark.parametrize("path", ["/v1/artists/nope", "/v1/artists/5b11f4ce-a62d-471e-81fc",
                                  "/v1/releases/5b11f4ce_a62d_471e_81fc_a69a8278c7da",
                                  "/v1/recordings/%20" + NIRVANA,
                                  "/v1/release-groups/" + NIRVANA + "x"])
def test_invalid_mbid_is_400_without_upstream(srv, fake, path):
    doc = assert_problem(srv.get(path), 400, "invalid-argument")
    assert "MusicBrainz id" in doc["detail"]
    assert mb_count(fake) == 0


def test_uppercase_mbid_is_accepted(srv):
    r = srv.get(f"/v1/artists/{NIRVANA.upper()}")
    assert r.status == 200 and r.json()["id"] == NIRVANA


def test_unknown_mbid_is_404_and_remembered(srv, fake):
    doc = assert_problem(srv.get(f"/v1/artists/{UNKNOWN}"), 404, "not-found")
    assert UNKNOWN in doc["detail"]
    r = srv.get(f"/v1/artists/{UNKNOWN}")
    assert_problem(r, 404, "not-found")
    assert "max-age=" in r.headers["cache-control"]
    assert mb_count(fake) == 1  # the second 404 came from the negative cache


def test_etag_and_304(srv, fake):
    first = srv.get(f"/v1/artists/{NIRVANA}")
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first.headers["last-modified"].endswith("GMT")
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert 86000 < int(first.headers["cache-control"].split("=")[1]) <= 86400
    again = srv.get(f"/v1/artists/{NIRVANA}", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == ""
    assert again.headers["etag"] == etag
    weak = srv.get(f"/v1/artists/{NIRVANA}", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status == 304
    other = srv.get(f"/v1/artists/{NIRVANA}", headers={"If-None-Match": '"other"'})
    assert other.status == 200 and other.json()["cache"]["status"] == "hit"
    assert mb_count(fake) == 1


def test_merged_mbid(srv, fake, pg, db_url):
    r = srv.get(f"/v1/artists/{MERGED}")
    assert r.status == 200
    assert r.json()["id"] == COHEN
    # Both ids are cached now: no more upstream requests.
    assert srv.get(f"/v1/artists/{MERGED}").json()["cache"]["status"] == "hit"
    assert srv.get(f"/v1/artists/{COHEN}").json()["cache"]["status"] == "hit"
    assert mb_count(fake) == 1
    db = db_url.split("///")[1].split("?")[0]
    rows = pg.psql("select key, status, coalesce(canonical_key, '') from provider_documents "
                   "where kind = 'artist' order by status", db=db)
    assert f"{COHEN}|ok|" in rows and f"{MERGED}|redirect|{COHEN}" in rows


def test_browse_release_groups(srv, fake):
    r = srv.get(f"/v1/artists/{DYLAN}/release-groups")
    assert r.status == 200, r
    page = r.json()
    assert page["count"] == 62 and page["offset"] == 0 and page["limit"] == 25
    assert len(page["release_groups"]) == 25
    albums = srv.get(f"/v1/artists/{DYLAN}/release-groups?type=album&limit=100").json()
    assert albums["count"] == 51 and len(albums["release_groups"]) == 51
    assert all(rg["primary_type"] == "Album" for rg in albums["release_groups"])
    last = srv.get(f"/v1/artists/{DYLAN}/release-groups?limit=10&offset=60").json()
    assert len(last["release_groups"]) == 2 and last["offset"] == 60
    eps = srv.get(f"/v1/artists/{NIRVANA}/release-groups?type=ep|single").json()
    assert eps["count"] == 10
    assert fake.requests("/ws/2/release-group")[-1].arg("type") == "ep|single"


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "offset=-1",
                                   "limit=5&limit=6", "type=albums", "type=", "type=album|"])
def test_browse_bad_parameters(srv, fake, query):
    assert_problem(srv.get(f"/v1/artists/{DYLAN}/release-groups?{query}"), 400,
                   "invalid-argument")
    assert mb_count(fake) == 0


def test_browse_unknown_artist_is_404(srv, fake):
    doc = assert_problem(srv.get(f"/v1/artists/{UNKNOWN}/release-groups"), 404, "not-found")
    assert UNKNOWN in doc["detail"]
    assert_problem(srv.get(f"/v1/artists/{UNKNOWN}/release-groups"), 404, "not-found")
    assert mb_count(fake) == 1  # the second answer came from the negative cache


def test_search(srv, fake):
    r = srv.get("/v1/search?type=artist&q=nirvana")
    assert r.status == 200, r
    page = r.json()
    assert page["kind"] == "search" and page["query"] == "nirvana"
    ids = [hit["id"] for hit in page["results"]]
    assert NIRVANA in ids and NIRVANA_UK in ids
    scores = [hit["score"] for hit in page["results"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    sent = fake.requests("/ws/2/artist")[-1]
    assert sent.arg("query") == "nirvana"
    # Collapsed white space is the same search, from the cache.
    again = srv.get("/v1/search?type=artist&q=%20%20nirvana%20").json()
    assert again["cache"]["status"] == "hit"
    paged = srv.get("/v1/search?type=release-group&q=nevermind&limit=1&offset=0").json()
    assert paged["limit"] == 1 and len(paged["results"]) <= 1
    recs = srv.get("/v1/search?type=recording&q=Smells%20Like%20Teen%20Spirit").json()
    assert recs["results"] and recs["results"][0]["title"] == "Smells Like Teen Spirit"


@pytest.mark.parametrize("query", ["q=x", "type=label&q=x", "type=artist", "type=artist&q=",
                                   "type=artist&q=%20%20", "type=artist&q=x&limit=0",
                                   "type=artist&q=x&limit=101", "type=artist&q=" + "x" * 501])
def test_search_bad_parameters(srv, fake, query):
    assert_problem(srv.get(f"/v1/search?{query}"), 400, "invalid-argument")
    assert mb_count(fake) == 0


def test_unicode_search_is_encoded(srv, fake):
    r = srv.get("/v1/search?type=artist&q=%E3%83%8B%E3%83%AB%E3%83%B4%E3%82%A1%E3%83%BC%E3%83%8A")
    assert r.status == 200
    assert fake.requests("/ws/2/artist")[-1].arg("query") == "ニルヴァーナ"


def test_access_log_has_cache_and_provider(srv):
    srv.get(f"/v1/artists/{NIRVANA}", headers={"X-Request-Id": "lk-1"})
    srv.get(f"/v1/artists/{NIRVANA}", headers={"X-Request-Id": "lk-2"})
    miss = srv.wait_log(lambda l: l.get("req") == "lk-1")
    hit = srv.wait_log(lambda l: l.get("req") == "lk-2")
    assert miss["cache"] == "miss" and miss["musicbrainz"] == "ok"
    assert miss["route"] == "artist.get"
    assert hit["cache"] == "hit" and "musicbrainz" not in hit


def test_external_ids_are_indexed(srv, pg, db_url):
    srv.get(f"/v1/artists/{NIRVANA}")
    srv.get(f"/v1/releases/{NEVERMIND}")
    db = db_url.split("///")[1].split("?")[0]
    assert pg.psql("select kind || ':' || key from external_ids where namespace = 'spotify' "
                   "and external_id = '6olE6TJLqED3rqDCT0FyPh'", db=db) == f"artist:{NIRVANA}"
    isrcs = pg.psql(f"select count(*) from external_ids where key = '{NEVERMIND}' "
                    "and namespace = 'isrc'", db=db)
    assert int(isrcs) == 12


def test_release_group_lists_all_its_releases(srv):
    rg = srv.get(f"/v1/release-groups/{HIGHWAY61_RG}").json()
    assert len(rg["releases"]) == 2
