"""The Discogs adapter (src/enrich/discogs.c) end to end, through the real binary against
the fake Discogs (test/fake/providers/discogs.py): how each kind of entity is found (url
relation, barcode, search with corroboration, a stale link falling back to search), the
merged sections it feeds (images, biography, genres), the token (search needs it, linked
entities do not), and its not-found and error behaviour.

Every other enrichment provider is switched off, so each document shows Discogs alone."""
import json

import pytest

from conftest import ROOT
from enrich import PATHS, enrich_env
from mb import DYLAN, NEVERMIND, NEVERMIND_RG, NIRVANA, NIRVANA_UK

MB_FIXTURES = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
TOKEN = "test-discogs-token"
HIGHWAY61_LP = "dc0db095-3200-4d4c-95fa-9e5538e18aa5"     # 1965 vinyl, no barcode
HIGHWAY61_CD = "ea87818b-f0fc-4bbe-8f82-60bcb11e0939"     # 2003 CD, barcode
SIMOPATH = "79e74682-0d6d-458e-8b68-30c6c9c5db93"         # the UK Nirvana's LP
HORMOANING = "546f8c86-c8b4-4042-9007-1f2b007889c1"       # not on Discogs
HORMOANING_RG = "44fb1c10-e1cf-470e-a688-e1131c59ceff"


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def only_discogs(token=True, **extra):
    """Switch every other enrichment provider off; the fake's token unless token=False."""
    env = {f"MEDLEY_PROVIDERS_{p.upper()}_ENABLED": "0" for p in PATHS if p != "discogs"}
    if token:
        env["MEDLEY_PROVIDERS_DISCOGS_API_KEY"] = TOKEN
    env.update(extra)
    return env


@pytest.fixture
def dg(medley, fake, db_url):
    """A medley enriching from the fake Discogs only."""
    def start(token=True, **extra):
        m = medley(env=enrich_env(fake, db_url, keys=token, **only_discogs(token, **extra)))
        m.wait_ready()
        return m
    return start


def get(m, path, include="images,biography"):
    r = m.get(f"{path}?include={include}")
    assert r.status == 200, r.body
    return r.json()


def enr(doc):
    return doc["enrichment"]["discogs"]


def searches(fake, type_=None):
    """(q, barcode) of each database search the fake got (of that type)."""
    return [(r.arg("q"), r.arg("barcode")) for r in fake.requests("/discogs/database/search")
            if type_ is None or r.arg("type") == type_]


def imgs(doc):
    return [i for i in doc["images"] if i["provider"] == "discogs"]


def mb_without_discogs(fake, kind, mbid):
    """Serve MusicBrainz's kind/mbid without its Discogs url relation."""
    doc = json.loads((MB_FIXTURES / kind / f"{mbid}.json").read_text(encoding="utf-8"))
    doc["relations"] = [rel for rel in doc.get("relations", [])
                        if "discogs.com" not in (rel.get("url") or {}).get("resource", "")]
    fake.add_fault(f"^/ws/2/{kind}/{mbid}$", "body", body=doc)


def mb_with_discogs_release(fake, mbid, discogs_id):
    """Serve MusicBrainz's release mbid with a url relation to a Discogs release."""
    doc = json.loads((MB_FIXTURES / "release" / f"{mbid}.json").read_text(encoding="utf-8"))
    doc.setdefault("relations", []).append({
        "type": "discogs", "type-id": "4a78823c-1c53-4176-a5f3-58026c76f2bc",
        "target-type": "url", "direction": "forward", "begin": None, "end": None,
        "ended": False, "attributes": [], "attribute-ids": {}, "attribute-values": {},
        "source-credit": "", "target-credit": "",
        "url": {"id": "0b5ad4b8-1d1c-4a4e-9a53-3b0b8e0e7d11",
                "resource": f"https://www.discogs.com/release/{discogs_id}"}})
    fake.add_fault(f"^/ws/2/release/{mbid}$", "body", body=doc)


# ---- artists ------------------------------------------------------------------------------

def test_artist_by_url_relation(dg, fake):
    doc = get(dg(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["discogs"] == "ok"
    assert enr(doc)["id"] == "59792"
    assert enr(doc)["url"].startswith("https://www.discogs.com/artist/59792")
    assert enr(doc)["match"] == {"method": "mb_relation", "score": 1}
    bio = doc["biography"]
    assert bio["source"] == "discogs" and bio["language"] == "en"
    assert bio["attribution"] == "Data provided by Discogs"
    assert "[" not in bio["text"] and "Bob Dylan" in bio["text"]
    pics = imgs(doc)
    assert len(pics) == 2 and {i["type"] for i in pics} == {"thumb"}
    assert all(i["url"].startswith("https://i.discogs.com/") for i in pics)
    assert "59792" in doc["external_ids"]["discogs"]
    assert searches(fake) == []  # the link was enough
    reqs = fake.requests("/discogs/")
    assert [r.path for r in reqs] == ["/discogs/artists/59792"]
    assert reqs[0].header("Authorization") == f"Discogs token={TOKEN}"
    # the token never goes to MusicBrainz
    assert all(r.header("Authorization") is None for r in fake.requests("/ws/2/"))


def test_same_name_artists_kept_apart(dg):
    """The two Nirvanas are two Discogs artists ("Nirvana" and "Nirvana (2)"): each
    MusicBrainz Nirvana gets its own profile and never the other's picture."""
    m = dg()
    us = get(m, f"/v1/artists/{NIRVANA}")
    uk = get(m, f"/v1/artists/{NIRVANA_UK}")
    assert enr(us)["id"] == "125246" and enr(uk)["id"] == "262571"
    assert len(imgs(us)) == 1 and imgs(uk) == []
    assert uk["biography"]["source"] == "discogs"
    assert "[a125246]" not in uk["biography"]["text"]
    assert uk["biography"]["text"] != us["biography"]["text"]


def test_artist_by_search_corroborated(dg, fake):
    """Without the url relation, "Nirvana" finds two Discogs artists by name; only the
    one whose releases are the MusicBrainz artist's works is taken."""
    mb_without_discogs(fake, "artist", NIRVANA)
    doc = get(dg(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["discogs"] == "ok"
    assert enr(doc)["id"] == "125246"
    assert enr(doc)["match"]["method"] == "search"
    assert 0.85 <= enr(doc)["match"]["score"] <= 1
    assert searches(fake, "artist") == [("Nirvana", None)]
    # each same-name candidate's releases, searched by its Discogs name
    assert sorted(searches(fake, "release")) == [("Nirvana", None), ("Nirvana (2)", None)]
    assert fake.count("/ws/2/release-group") == 1  # the artist's works, once
    assert len(imgs(doc)) == 1


def test_same_name_artist_without_corroboration_is_not_found(dg, fake):
    """The UK Nirvana without its link: neither Discogs Nirvana's releases share two
    titles with its works, so it gets nothing rather than the US band's profile."""
    mb_without_discogs(fake, "artist", NIRVANA_UK)
    doc = get(dg(), f"/v1/artists/{NIRVANA_UK}")
    assert sources(doc)["discogs"] == "not_found"
    assert "discogs" not in doc["enrichment"] and doc["biography"] is None


def test_stale_link_falls_back_to_search(dg, fake):
    fake.add_fault("^/discogs/artists/125246$", "status", times=1, status=404,
                   body={"message": "Artist not found."})
    doc = get(dg(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["discogs"] == "ok"
    assert enr(doc)["id"] == "125246"
    assert enr(doc)["match"]["method"] == "search"
    assert fake.count("/discogs/artists/125246") == 2  # the dead link, then the match


# ---- release groups and releases ------------------------------------------------------

def test_master_by_url_relation(dg, fake):
    doc = get(dg(), f"/v1/release-groups/{NEVERMIND_RG}", "images")
    assert sources(doc)["discogs"] == "ok"
    assert enr(doc)["id"] == "13814"
    assert enr(doc)["match"] == {"method": "mb_relation", "score": 1}
    fronts = imgs(doc)
    assert fronts and fronts[0]["type"] == "front"
    rock = [g for g in doc["genres_merged"] if "discogs" in g["sources"]]
    assert rock, doc["genres_merged"]
    assert [r.path for r in fake.requests("/discogs/")] == ["/discogs/masters/13814"]


def test_master_stale_link_falls_back_to_search(dg, fake):
    fake.add_fault("^/discogs/masters/13814$", "status", times=1, status=404,
                   body={"message": "Master Release not found."})
    doc = get(dg(), f"/v1/release-groups/{NEVERMIND_RG}", "images")
    assert enr(doc)["id"] == "13814"
    assert enr(doc)["match"]["method"] == "search"
    assert searches(fake, "master") == [("Nirvana Nevermind", None)]


def test_release_group_unknown_to_discogs(dg, fake):
    doc = get(dg(), f"/v1/release-groups/{HORMOANING_RG}", "images")
    assert sources(doc)["discogs"] == "not_found"
    assert searches(fake, "master") == [("Nirvana Hormoaning", None)]


def test_release_by_barcode(dg, fake):
    """MusicBrainz has no Discogs release links: Nevermind's barcode finds the pressing
    ("7 20642-44252-4" as Discogs' users typed it), and the full release confirms it."""
    doc = get(dg(), f"/v1/releases/{NEVERMIND}", "images")
    assert sources(doc)["discogs"] == "ok"
    assert enr(doc)["id"] == "367084"
    assert enr(doc)["match"] == {"method": "upc", "score": 1}
    assert searches(fake) == [(None, "720642442524")]
    assert imgs(doc) and imgs(doc)[0]["type"] == "front"
    assert "discogs" in doc["external_ids"]


def test_release_by_url_relation(dg, fake):
    mb_with_discogs_release(fake, NEVERMIND, "367084")
    doc = get(dg(), f"/v1/releases/{NEVERMIND}", "images")
    assert enr(doc)["id"] == "367084"
    assert enr(doc)["match"] == {"method": "mb_relation", "score": 1}
    assert searches(fake) == []
    assert [r.path for r in fake.requests("/discogs/")] == ["/discogs/releases/367084"]


def test_release_stale_link_without_token_is_not_found(dg, fake):
    """A dead release link, and no token to search with: nothing, and no search."""
    mb_with_discogs_release(fake, NEVERMIND, "999999999")
    doc = get(dg(token=False), f"/v1/releases/{NEVERMIND}", "images")
    assert sources(doc)["discogs"] == "not_found"
    assert fake.count("/discogs/releases/999999999") == 1 and searches(fake) == []


def test_release_pressings_kept_apart(dg, fake):
    """Highway 61 Revisited: the 1965 LP (no barcode) is found by title and year, the
    2003 CD by its barcode; each gets its own pressing."""
    m = dg()
    lp = get(m, f"/v1/releases/{HIGHWAY61_LP}", "images")
    cd = get(m, f"/v1/releases/{HIGHWAY61_CD}", "images")
    assert enr(lp)["id"] == "1420001" and enr(lp)["match"]["method"] == "search"
    assert enr(cd)["id"] == "1420002" and enr(cd)["match"] == {"method": "upc", "score": 1}
    assert ("Bob Dylan Highway 61 Revisited", None) in searches(fake, "release")


def test_release_of_the_suffixed_artist(dg):
    """"Nirvana (2) - The Story Of Simon Simopath": the suffix does not stop the match."""
    doc = get(dg(), f"/v1/releases/{SIMOPATH}", "images")
    assert enr(doc)["id"] == "1420010"
    assert enr(doc)["match"]["method"] == "search"


def test_release_unknown_to_discogs(dg, fake):
    doc = get(dg(), f"/v1/releases/{HORMOANING}", "images")
    assert sources(doc)["discogs"] == "not_found"
    assert imgs(doc) == []


# ---- the token ----------------------------------------------------------------------------

def test_without_token_links_still_work(dg, fake):
    """Discogs is never disabled: anonymous lookups of linked entities answer (without
    image URLs, as Discogs does), and search, which needs the token, is not tried."""
    m = dg(token=False)
    doc = get(m, f"/v1/artists/{DYLAN}")
    assert sources(doc)["discogs"] == "ok"
    assert enr(doc)["id"] == "59792"
    assert doc["biography"]["source"] == "discogs"
    assert imgs(doc) == []
    assert all(r.header("Authorization") is None for r in fake.requests("/discogs/"))
    rel = get(m, f"/v1/releases/{NEVERMIND}", "images")
    assert sources(rel)["discogs"] == "not_found"
    assert searches(fake) == []


def test_bad_token_is_an_error(dg, fake):
    doc = get(dg(token=False, MEDLEY_PROVIDERS_DISCOGS_API_KEY="wrong-token"),
              f"/v1/artists/{DYLAN}")
    assert sources(doc)["discogs"] == "error"
    assert doc["biography"] is None


# ---- errors -------------------------------------------------------------------------------

def test_server_error_is_an_error_and_retried_later(dg, fake):
    m = dg()
    fake.add_fault("^/discogs/", "status", status=500)
    doc = get(m, f"/v1/artists/{DYLAN}")
    assert sources(doc)["discogs"] == "error"
    n = fake.count("/discogs/")
    get(m, f"/v1/artists/{DYLAN}")
    assert fake.count("/discogs/") == n  # remembered for a while, not hammered
    assert m.get("/health").status == 200


def test_hostile_answer_is_an_error(dg, fake):
    fake.add_fault("^/discogs/artists/", "invalid_json")
    doc = get(dg(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["discogs"] == "error"


def test_fragments_are_cached(dg, fake):
    m = dg()
    get(m, f"/v1/releases/{NEVERMIND}", "images")
    n = fake.count("/discogs/")
    doc = get(m, f"/v1/releases/{NEVERMIND}", "images")
    assert fake.count("/discogs/") == n
    assert enr(doc)["match"]["method"] == "upc"
