"""Tests of the fake Wikidata and Wikipedia (test/fake/providers/wikidata.py and
wikipedia.py).

They check that the Wikidata plugin serves its items under /wikidata/w/api.php as
MediaWiki does: wbgetentities by id (with props and languages) and by sitelink, the
CirrusSearch haswbstatement query medley sends, the API's error envelopes (sent with 200);
that the Wikipedia plugin serves page/summary under /wikipedia/<lang>/api/rest_v1 with the
REST API's 404 problem body; and that both catalogues agree with the fake MusicBrainz
one. No medley binary and no database are involved.
"""
import http.client
import json
import pathlib
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "fake"))
from fake_provider import fake_fixture  # noqa: E402

FIXTURES = ROOT / "test" / "fake" / "fixtures"
MB = FIXTURES / "musicbrainz"
API = "/wikidata/w/api.php"
NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
THE_BAND = "6e58e2cf-a116-4255-9adc-397b374be7ee"
BARE = "83cba9fc-8173-4adb-89da-1c6dfcbcf27a"
NEVERMIND_RG = "f5a2e9ac-bd56-44f5-95fa-a267310d12ff"
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"


@pytest.fixture
def fake():
    yield from fake_fixture()


def get(fake, path, method="GET", body=None):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    heads = {"User-Agent": "medley-tests/1 (medley-tests@example.org)"}
    if body is not None:
        heads["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=heads)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def api(fake, **params):
    params.setdefault("format", "json")
    status, heads, body = get(fake, API + "?" + urllib.parse.urlencode(params))
    assert status == 200  # MediaWiki sends its errors with 200 too
    assert heads["content-type"].startswith("application/json")
    return heads, json.loads(body)


def search(fake, query, **params):
    _, doc = api(fake, action="query", list="search", srsearch=query, **params)
    return [hit["title"] for hit in doc["query"]["search"]], doc


# ---- wbgetentities -----------------------------------------------------------------------

def test_entity_with_medleys_props(fake):
    _, doc = api(fake, action="wbgetentities", ids="Q11649",
                 props="claims|sitelinks/urls|labels")
    assert doc["success"] == 1
    item = doc["entities"]["Q11649"]
    assert set(item) == {"type", "id", "labels", "claims", "sitelinks"}
    assert item["labels"]["en"]["value"] == "Nirvana"
    p434 = item["claims"]["P434"][0]["mainsnak"]["datavalue"]["value"]
    assert p434 == NIRVANA
    assert item["sitelinks"]["enwiki"] == {
        "site": "enwiki", "title": "Nirvana (band)", "badges": [],
        "url": "https://en.wikipedia.org/wiki/Nirvana_(band)"}
    req = fake.requests(API)[0]
    assert req.arg("props") == "claims|sitelinks/urls|labels"
    assert "@" in req.header("User-Agent")


def test_entity_default_props_and_languages(fake):
    _, doc = api(fake, action="wbgetentities", ids="Q392|Q10851", languages="de")
    dylan = doc["entities"]["Q392"]
    assert {"pageid", "lastrevid", "descriptions", "aliases", "claims"} <= set(dylan)
    assert list(dylan["labels"]) == ["de"]
    assert "url" not in dylan["sitelinks"]["enwiki"]  # plain "sitelinks": no urls
    ranks = [st["rank"] for st in dylan["claims"]["P1902"]]
    assert ranks == ["normal", "deprecated"]
    assert [st["rank"] for st in dylan["claims"]["P18"]] == ["normal", "preferred"]
    assert doc["entities"]["Q10851"]["claims"]["P436"][0]["mainsnak"]["datavalue"][
        "value"] == NEVERMIND_RG


def test_entity_by_sitelink(fake):
    _, doc = api(fake, action="wbgetentities", sites="enwiki", titles="Leonard Cohen",
                 props="labels")
    assert list(doc["entities"]) == ["Q1276"]
    _, doc = api(fake, action="wbgetentities", sites="enwiki", titles="No such page")
    assert doc["entities"] == {"-1": {"site": "enwiki", "title": "No such page",
                                      "missing": ""}}


@pytest.mark.parametrize("ids", ["Q1", "Q0", "X11649", "Q11649|Q2"])
def test_no_such_entity(fake, ids):
    heads, doc = api(fake, action="wbgetentities", ids=ids)
    assert doc["error"]["code"] == "no-such-entity"
    assert doc["error"]["info"].startswith("Could not find an entity with the ID")
    assert heads["mediawiki-api-error"] == "no-such-entity"
    assert "entities" not in doc


def test_api_errors(fake):
    _, doc = api(fake, action="wbgetentities")
    assert doc["error"]["code"] == "param-missing"
    _, doc = api(fake, action="nonesuch")
    assert doc["error"]["code"] == "badvalue"
    _, doc = api(fake, action="query", list="search")
    assert doc["error"]["code"] == "missingparam"


def test_formats_and_methods(fake):
    status, heads, body = get(fake, API + "?action=wbgetentities&ids=Q392")  # jsonfm
    assert status == 200 and heads["content-type"].startswith("text/html")
    assert b"Q392" in body
    status, heads, body = get(fake, API)
    assert status == 200 and heads["content-type"].startswith("text/html")
    status, _, body = get(fake, API, method="POST",
                          body="action=wbgetentities&ids=Q474327&format=json")
    assert status == 200 and "Q474327" in json.loads(body)["entities"]
    assert get(fake, API, method="DELETE")[0] == 405
    assert get(fake, "/wikidata/wiki/Q392")[0] == 404


# ---- list=search ------------------------------------------------------------------------

def test_search_by_mbid(fake):
    titles, doc = search(fake, f"haswbstatement:P434={NIRVANA}", srnamespace=0)
    assert titles == ["Q11649"]
    assert doc["query"]["searchinfo"] == {"totalhits": 1}
    hit = doc["query"]["search"][0]
    assert hit["ns"] == 0 and isinstance(hit["pageid"], int)
    assert search(fake, f"haswbstatement:P436={NEVERMIND_RG}")[0] == ["Q10851"]
    assert search(fake, f"haswbstatement:P4404={TEEN_SPIRIT}")[0] == ["Q90000001"]
    assert search(fake, f"haswbstatement:P434={NIRVANA.upper()}")[0] == ["Q11649"]
    assert search(fake, f"haswbstatement:P434={BARE}")[0] == []
    assert search(fake, f"haswbstatement:P436={NIRVANA}")[0] == []  # wrong property


def test_search_two_items_one_mbid(fake):
    titles, _ = search(fake, f"haswbstatement:P434={THE_BAND}")
    assert titles == ["Q474327", "Q90000002"]


def test_search_alternatives_words_paging(fake):
    titles, _ = search(fake, f"haswbstatement:P434={NIRVANA}|P434={THE_BAND}")
    assert titles == ["Q11649", "Q474327", "Q90000002"]
    assert search(fake, "nirvana")[0] == ["Q11649", "Q1351733"]
    assert search(fake, "robert zimmerman")[0] == ["Q392"]
    titles, doc = search(fake, "nirvana", srlimit=1)
    assert titles == ["Q11649"] and doc["continue"] == {"sroffset": 1, "continue": "-||"}
    assert search(fake, "nirvana", srlimit=1, sroffset=1)[0] == ["Q1351733"]
    assert search(fake, "nirvana", srnamespace=120)[0] == []


# ---- Wikipedia summaries ----------------------------------------------------------------

def summary(fake, lang, title):
    path = f"/wikipedia/{lang}/api/rest_v1/page/summary/{urllib.parse.quote(title, safe='')}"
    status, heads, body = get(fake, path)
    return status, heads, json.loads(body)


def test_summary(fake):
    status, heads, doc = summary(fake, "en", "Nirvana_(band)")
    assert status == 200
    assert heads["content-type"].startswith("application/json")
    assert "Specs/Summary" in heads["content-type"]
    assert doc["type"] == "standard" and doc["wikibase_item"] == "Q11649"
    assert doc["titles"]["canonical"] == "Nirvana_(band)"
    assert doc["content_urls"]["desktop"]["page"] == \
        "https://en.wikipedia.org/wiki/Nirvana_(band)"
    assert doc["extract"] and doc["originalimage"]["width"] == 2048
    assert summary(fake, "en", "Nirvana (band)")[2] == doc  # spaces work as underscores
    assert summary(fake, "de", "Nirvana_(Band)")[2]["lang"] == "de"
    assert summary(fake, "fr", "leonard Cohen")[2]["title"] == "Leonard Cohen"


def test_summary_disambiguation_and_no_extract(fake):
    status, _, doc = summary(fake, "en", "Nirvana")
    assert status == 200 and doc["type"] == "disambiguation"
    status, _, doc = summary(fake, "en", "Tape_Hiss_Quartet")
    assert status == 200 and doc["type"] == "no-extract" and doc["extract"] == ""
    assert "wikibase_item" not in doc


@pytest.mark.parametrize("lang,title", [("en", "No such page"), ("de", "Nevermind"),
                                        ("xx", "Nirvana")])
def test_summary_not_found(fake, lang, title):
    status, heads, doc = summary(fake, lang, title)
    assert status == 404
    assert heads["content-type"] == "application/problem+json"
    assert doc["type"] == "https://mediawiki.org/wiki/HyperSwitch/errors/not_found"
    assert doc["title"] == "Not found." and doc["method"] == "get"
    assert doc["uri"].startswith(f"/{lang}.wikipedia.org/v1/page/summary/")


def test_summary_other_errors(fake):
    status, _, doc = summary(fake, "en", "x" * 300)
    assert status == 400 and doc["type"].endswith("/bad_request")
    status, _, _ = get(fake, "/wikipedia/en/api/rest_v1/page/summary/Bob_Dylan", "POST")
    assert status == 405
    assert get(fake, "/wikipedia/en/wiki/Bob_Dylan")[0] == 404


# ---- the catalogues ---------------------------------------------------------------------

def mb_wikidata_links():
    """{Q id: (entity, MBID)} from the fake MusicBrainz catalogue's wikidata url relations."""
    out = {}
    for entity in ("artist", "release-group"):
        for f in (MB / entity).glob("*.json"):
            doc = json.loads(f.read_text(encoding="utf-8"))
            for rel in doc.get("relations", []):
                url = (rel.get("url") or {}).get("resource", "")
                if rel.get("type") == "wikidata" and "/wiki/Q" in url:
                    out[url.rsplit("/", 1)[1]] = (entity, doc["id"])
    return out


def test_catalogue_matches_musicbrainz_and_wikipedia():
    prop = {"artist": "P434", "release-group": "P436"}
    items = {f.stem: json.loads(f.read_text(encoding="utf-8"))
             for f in (FIXTURES / "wikidata" / "items").glob("Q*.json")}
    links = mb_wikidata_links()
    assert links and set(links) <= set(items)
    for qid, (entity, mbid) in links.items():
        values = [st["mainsnak"]["datavalue"]["value"] for st in items[qid]["claims"][prop[entity]]]
        assert values == [mbid], qid
    pages = {f.stem: json.loads(f.read_text(encoding="utf-8"))
             for f in (FIXTURES / "wikipedia").glob("*.json")}
    checked = 0
    for lang, by_title in pages.items():
        for title, page in by_title.items():
            item = items.get(page.get("wikibase_item"))
            if item is None:
                continue
            link = item["sitelinks"][f"{lang}wiki"]
            assert link["title"].replace(" ", "_") == title, (lang, title)
            assert link["url"] == page["content_urls"]["desktop"]["page"]
            checked += 1
    assert checked >= 10
    listed = (FIXTURES / "wikidata" / "CATALOGUE.md").read_text(encoding="utf-8")
    for qid in items:
        assert f"`{qid}`" in listed, qid
