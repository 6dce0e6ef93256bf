"""The Wikidata adapter (src/enrich/wikidata.c) end to end against the fake Wikidata and
Wikipedia (test/fake/providers/wikidata.py, wikipedia.py; catalogue in
test/fake/fixtures/wikidata/CATALOGUE.md): how the item is found (MusicBrainz url
relation, else the items holding the MBID), the Wikipedia biography in the asked language
with English as the fallback, images, and errors."""
import json
import pathlib

import pytest

from enrich import PATHS, enrich_env
from mb import BARE, COHEN, DYLAN, NEVERMIND_RG, NIRVANA, NIRVANA_UK

THE_BAND = "6e58e2cf-a116-4255-9adc-397b374be7ee"
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"     # recording: no url relation
FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fake" / "fixtures"
WIKIPEDIA_CREDIT = "Wikipedia, CC BY-SA 4.0"
BIO_PROVIDERS = ("lastfm", "theaudiodb", "discogs")


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def only_wikidata():
    """Every other enrichment provider off: the sections come from Wikidata alone."""
    return {f"MEDLEY_PROVIDERS_{p.upper()}_ENABLED": 0 for p in PATHS if p != "wikidata"}


@pytest.fixture
def em(medley, fake, db_url):
    def start(alone=True, **extra):
        env = only_wikidata() if alone else {}
        env.update(extra)
        m = medley(env=enrich_env(fake, db_url, **env))
        m.wait_ready()
        return m
    return start


def wd_images(doc):
    return [i for i in doc["images"] if i["provider"] == "wikidata"]


def summaries(fake):
    return [r.path for r in fake.requests("/wikipedia/")]


# ---- finding the item ----------------------------------------------------------------------

def test_artist_by_url_relation(em, fake):
    doc = em().get(f"/v1/artists/{NIRVANA}?include=images,biography").json()
    assert sources(doc)["wikidata"] == "ok"
    wd = doc["enrichment"]["wikidata"]
    assert wd["id"] == "Q11649" and wd["match"] == {"method": "mb_relation", "score": 1}
    assert doc["external_ids"]["wikidata"] == ["Q11649"]
    assert fake.count("/wikidata/") == 1  # the item only: no search
    bio = doc["biography"]
    assert bio["source"] == "wikidata" and bio["language"] == "en"
    assert bio["text"].startswith("Nirvana was an American rock band")
    assert bio["url"] == "https://en.wikipedia.org/wiki/Nirvana_(band)"
    assert bio["attribution"] == WIKIPEDIA_CREDIT


def test_artist_images_item_and_article(em):
    """The item's image (P18) and logo (P154); the article's lead image is the same
    Commons file as P18, so it is not added a second time."""
    imgs = wd_images(em().get(f"/v1/artists/{NIRVANA}?include=images").json())
    types = [i["type"] for i in imgs]
    assert "thumb" in types and "logo" in types
    same = [i for i in imgs if i["url"].endswith("Nirvana_around_1992.jpg")]
    assert len(same) == 1 and same[0]["url"].startswith("https://commons.wikimedia.org/")
    assert (same[0]["width"], same[0]["height"]) == (2048, 1365)  # the article's size
    assert not any("upload.wikimedia.org" in i["url"] for i in imgs)


def test_release_group_by_url_relation_with_article_cover(em):
    """Nevermind's item has no image; its article's cover becomes a front image."""
    doc = em().get(f"/v1/release-groups/{NEVERMIND_RG}?include=images,biography").json()
    wd = doc["enrichment"]["wikidata"]
    assert wd["id"] == "Q10851" and wd["match"]["method"] == "mb_relation"
    fronts = [i for i in wd_images(doc) if i["type"] == "front"]
    assert fronts and fronts[0]["url"].endswith("/Nevermind_cover.jpg")
    assert doc["biography"]["source"] == "wikidata"
    assert doc["biography"]["url"] == "https://en.wikipedia.org/wiki/Nevermind"


def test_recording_by_mbid_search(em, fake):
    """No url relation: the one item holding the recording's MBID (P4404)."""
    doc = em().get(f"/v1/recordings/{TEEN_SPIRIT}?include=images,biography").json()
    assert sources(doc)["wikidata"] == "ok"
    wd = doc["enrichment"]["wikidata"]
    assert wd["id"] == "Q90000001" and wd["match"] == {"method": "mbid", "score": 1}
    searches = fake.requests("/wikidata/")
    assert any("haswbstatement:P4404=" + TEEN_SPIRIT in r.query.get("srsearch", [""])[0]
               for r in searches)
    assert summaries(fake) == []  # the item has no Wikipedia article
    assert doc["biography"] is None


def test_same_name_artists_kept_apart(em):
    m = em()
    us = m.get(f"/v1/artists/{NIRVANA}?include=biography").json()
    uk = m.get(f"/v1/artists/{NIRVANA_UK}?include=biography").json()
    assert us["enrichment"]["wikidata"]["id"] == "Q11649"
    assert uk["enrichment"]["wikidata"]["id"] == "Q1351733"
    assert uk["biography"]["url"] == "https://en.wikipedia.org/wiki/Nirvana_(British_band)"
    assert "British" in uk["biography"]["text"] and "British" not in us["biography"]["text"]


def test_no_item_is_not_found(em, fake):
    doc = em().get(f"/v1/artists/{BARE}?include=biography").json()
    assert sources(doc)["wikidata"] == "not_found"
    assert doc["biography"] is None
    assert fake.count("/wikidata/") == 1 and summaries(fake) == []


def mb_without_wikidata(mbid):
    d = json.loads((FIXTURES / "musicbrainz" / "artist" / f"{mbid}.json").read_text())
    d["relations"] = [r for r in d["relations"] if r.get("type") != "wikidata"]
    return d


def test_two_items_holding_the_mbid_is_not_found(em, fake):
    """Without its url relation, The Band's MBID is held by two items: ambiguous."""
    fake.add_fault(f"^/ws/2/artist/{THE_BAND}", "body", body=mb_without_wikidata(THE_BAND))
    doc = em().get(f"/v1/artists/{THE_BAND}?include=biography").json()
    assert sources(doc)["wikidata"] == "not_found"
    assert "wikidata" not in doc["enrichment"]
    assert [r.query["action"][0] for r in fake.requests("/wikidata/")] == ["query"]


def test_stale_url_relation_falls_back_to_the_mbid(em, fake):
    """The linked item is gone (no-such-entity): the item holding the MBID is taken."""
    gone = {"error": {"code": "no-such-entity", "info": "Could not find an entity.",
                      "id": "Q11649"}}
    fake.add_fault("^/wikidata/", "body", times=1, query="wbgetentities", body=gone)
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography").json()
    assert sources(doc)["wikidata"] == "ok"
    assert doc["enrichment"]["wikidata"]["match"] == {"method": "mbid", "score": 1}
    assert [r.query["action"][0] for r in fake.requests("/wikidata/")] == \
        ["wbgetentities", "query", "wbgetentities"]
    assert doc["biography"]["source"] == "wikidata"


def test_search_hit_without_the_mbid_is_not_taken(em, fake):
    """A stale search index: the item found no longer holds the MBID."""
    item = json.loads((FIXTURES / "wikidata" / "items" / "Q90000001.json").read_text())
    item["claims"].pop("P4404")
    fake.add_fault("^/wikidata/", "body", query="wbgetentities",
                   body={"entities": {"Q90000001": item}, "success": 1})
    doc = em().get(f"/v1/recordings/{TEEN_SPIRIT}?include=images").json()
    assert sources(doc)["wikidata"] == "not_found"


# ---- biography language -------------------------------------------------------------------

def test_biography_lang_param_de(em, fake):
    """lang=de with en and de articles: de; both summaries are fetched (the fragment is
    cached per entity, not per language)."""
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography&lang=de").json()
    bio = doc["biography"]
    assert bio["language"] == "de" and bio["source"] == "wikidata"
    assert bio["text"].startswith("Nirvana war eine US-amerikanische Rockband")
    assert bio["url"] == "https://de.wikipedia.org/wiki/Nirvana_(Band)"
    assert bio["attribution"] == WIKIPEDIA_CREDIT
    assert sorted(p.split("/")[2] for p in summaries(fake)) == ["de", "en"]


def test_biography_accept_language_de_ch(em):
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography",
                   headers={"Accept-Language": "de-CH,de;q=0.9"}).json()
    assert doc["biography"]["language"] == "de"
    assert doc["biography"]["url"] == "https://de.wikipedia.org/wiki/Nirvana_(Band)"


def test_biography_lang_without_article_falls_back_to_english(em, fake):
    """lang=ja: no jawiki sitelink, so no Japanese request; the English article."""
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography&lang=ja").json()
    assert doc["biography"]["language"] == "en" and doc["biography"]["source"] == "wikidata"
    assert [p.split("/")[2] for p in summaries(fake)] == ["en"]


def test_biography_lang_with_sitelink_but_no_summary_falls_back(em, fake):
    """lang=fr for Bob Dylan: his item has no frwiki sitelink; lang=de for Leonard Cohen:
    a dewiki sitelink whose summary is not there (404)."""
    m = em()
    dylan = m.get(f"/v1/artists/{DYLAN}?include=biography&lang=fr").json()
    assert dylan["biography"]["language"] == "en"
    fake.add_fault("^/wikipedia/de/", "status", status=404)
    cohen = m.get(f"/v1/artists/{COHEN}?include=biography&lang=de").json()
    assert cohen["biography"]["language"] == "en"  # the German article answered 404


def test_fragment_is_cached_per_language(em, fake):
    """Wikidata's fragment depends on the language asked (its Wikipedia summaries), so it
    is cached per language: a second language is fetched once, then both are hits."""
    m = em()
    m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=de")
    fake.clear_requests()
    en = m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=en").json()
    assert en["biography"]["language"] == "en" and fake.count("/wikidata/") >= 1
    fake.clear_requests()
    de = m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=de").json()
    en = m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=en").json()
    assert en["biography"]["language"] == "en" and de["biography"]["language"] == "de"
    assert fake.count("/wikidata/") == 0 and summaries(fake) == []


def test_language_asked_after_the_fragment_was_cached(em):
    m = em()
    m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=de")
    fr = m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=fr").json()
    assert fr["biography"]["language"] == "fr"


def test_disambiguation_page_is_never_a_biography(em, fake):
    page = json.loads((FIXTURES / "wikipedia" / "en.json").read_text())["Nirvana"]
    page["wikibase_item"] = "Q474327"  # even when it claims to be the item's article
    fake.add_fault("^/wikipedia/en/api/rest_v1/page/summary/The_Band", "body", body=page)
    doc = em().get(f"/v1/artists/{THE_BAND}?include=biography,images").json()
    assert sources(doc)["wikidata"] == "ok"
    assert doc["enrichment"]["wikidata"]["id"] == "Q474327"
    assert doc["biography"] is None


def test_article_about_another_item_is_ignored(em, fake):
    page = json.loads((FIXTURES / "wikipedia" / "en.json").read_text())["Nirvana_(band)"]
    fake.add_fault("^/wikipedia/en/api/rest_v1/page/summary/The_Band", "body", body=page)
    doc = em().get(f"/v1/artists/{THE_BAND}?include=biography,images").json()
    assert sources(doc)["wikidata"] == "ok"
    assert doc["biography"] is None and wd_images(doc) == []


def test_biography_wins_over_other_providers(em):
    """Wikipedia comes first in the biography precedence (docs/merge.md)."""
    doc = em(alone=False).get(f"/v1/artists/{NIRVANA}?include=biography&lang=de").json()
    assert sources(doc)["theaudiodb"] == "ok" and sources(doc)["wikidata"] == "ok"
    assert doc["biography"]["source"] == "wikidata" and doc["biography"]["language"] == "de"


# ---- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["^/wikidata/", "^/wikipedia/"])
def test_server_error_is_an_error_and_retried_later(em, fake, path):
    m = em()
    fake.add_fault(path, "status", status=503)
    doc = m.get(f"/v1/artists/{NIRVANA}?include=biography").json()
    assert sources(doc)["wikidata"] == "error"
    assert doc["biography"] is None
    n = fake.count("/wikidata/") + fake.count("/wikipedia/")
    doc = m.get(f"/v1/artists/{NIRVANA}?include=biography").json()
    assert sources(doc)["wikidata"] == "error"  # remembered for a while, not re-asked
    assert fake.count("/wikidata/") + fake.count("/wikipedia/") == n


@pytest.mark.parametrize("path", ["^/wikidata/", "^/wikipedia/"])
def test_garbage_is_an_error(em, fake, path):
    m = em()
    fake.add_fault(path, "invalid_json")
    doc = m.get(f"/v1/artists/{NIRVANA}?include=biography").json()
    assert sources(doc)["wikidata"] == "error"
    assert m.get("/health").status == 200


def test_wrong_base_url_is_an_error_not_a_miss(em, fake):
    m = em(MEDLEY_PROVIDERS_WIKIDATA_BASE_URL=fake.url + "/wikidata/w/nothing.php")
    doc = m.get(f"/v1/artists/{NIRVANA}?include=biography").json()
    assert sources(doc)["wikidata"] == "error"


def test_disabled(em):
    doc = em(MEDLEY_PROVIDERS_WIKIDATA_ENABLED=0).get(
        f"/v1/artists/{NIRVANA}?include=biography").json()
    assert sources(doc)["wikidata"] == "disabled"


def test_not_asked_for_other_sections(em, fake):
    doc = em(alone=False).get(f"/v1/artists/{NIRVANA}?include=popularity").json()
    assert "wikidata" not in sources(doc)
    assert fake.count("/wikidata/") == 0
