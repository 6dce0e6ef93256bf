"""The TheAudioDB adapter (src/enrich/theaudiodb.c) end to end against the fake TheAudioDB
(test/fake/providers/theaudiodb.py; catalogue in test/fake/fixtures/theaudiodb/
CATALOGUE.md): keyed by MBID (method mbid), images and multilingual biographies for
artists, release groups and recordings, the biography language, the key, and errors."""
import json
import pathlib

import pytest

from enrich import PATHS, enrich_env
from mb import BARE, COHEN, DYLAN, NEVERMIND_RG, NIRVANA, NIRVANA_UK

TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"
NEVERMIND = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"   # a release: TheAudioDB has no releases
FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fake" / "fixtures"
CREDIT = "TheAudioDB (theaudiodb.com)"


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def only_theaudiodb():
    """Every other enrichment provider off (Wikipedia would win the biography)."""
    return {f"MEDLEY_PROVIDERS_{p.upper()}_ENABLED": 0 for p in PATHS if p != "theaudiodb"}


@pytest.fixture
def em(medley, fake, db_url):
    def start(keys=True, alone=True, **extra):
        env = only_theaudiodb() if alone else {}
        env.update(extra)
        m = medley(env=enrich_env(fake, db_url, keys=keys, **env))
        m.wait_ready()
        return m
    return start


def tadb_images(doc):
    return [i for i in doc["images"] if i["provider"] == "theaudiodb"]


# ---- sections and matching -------------------------------------------------------------------

def test_artist_images_and_biography(em, fake):
    doc = em().get(f"/v1/artists/{NIRVANA}?include=images,biography").json()
    assert sources(doc)["theaudiodb"] == "ok"
    t = doc["enrichment"]["theaudiodb"]
    assert t["id"] == "111319" and t["match"] == {"method": "mbid", "score": 1}
    assert doc["external_ids"]["theaudiodb"] == ["111319"]
    types = {i["type"] for i in tadb_images(doc)}
    assert {"thumb", "logo", "clearart", "background", "banner"} <= types
    urls = [i["url"] for i in tadb_images(doc)]
    assert len(urls) == len(set(urls))  # Fanart3 repeats Fanart: once
    bio = doc["biography"]
    assert bio["source"] == "theaudiodb" and bio["language"] == "en"
    assert bio["attribution"] == CREDIT and "\r" not in bio["text"]
    reqs = fake.requests("/theaudiodb/")
    assert [r.path for r in reqs] == \
        ["/theaudiodb/api/v1/json/test-tadb-key/artist-mb.php"]
    assert reqs[0].query["i"] == [NIRVANA]


def test_release_group_cover_and_description(em, fake):
    doc = em().get(f"/v1/release-groups/{NEVERMIND_RG}?include=images,biography").json()
    t = doc["enrichment"]["theaudiodb"]
    assert t["id"] == "2115888" and t["match"]["method"] == "mbid"
    types = [i["type"] for i in tadb_images(doc)]
    assert "front" in types and "back" in types and "medium" in types
    assert doc["biography"]["source"] == "theaudiodb"
    assert fake.requests("/theaudiodb/")[0].path.endswith("/album-mb.php")


def test_recording(em, fake):
    doc = em().get(f"/v1/recordings/{TEEN_SPIRIT}?include=images,biography").json()
    t = doc["enrichment"]["theaudiodb"]
    assert t["id"] == "32793500" and t["match"] == {"method": "mbid", "score": 1}
    assert [i["type"] for i in tadb_images(doc)] == ["other"]
    assert doc["biography"]["text"].startswith("Smells Like Teen Spirit")
    assert fake.requests("/theaudiodb/")[0].path.endswith("/track-mb.php")


def test_release_is_not_asked(em, fake):
    """TheAudioDB knows albums by release-group MBID only."""
    doc = em().get(f"/v1/releases/{NEVERMIND}?include=images,biography").json()
    assert "theaudiodb" not in sources(doc) and fake.count("/theaudiodb/") == 0


def test_same_name_artists_kept_apart(em):
    """TheAudioDB has the US Nirvana only: the UK Nirvana gets nothing of it."""
    m = em()
    us = m.get(f"/v1/artists/{NIRVANA}?include=images,biography").json()
    uk = m.get(f"/v1/artists/{NIRVANA_UK}?include=images,biography").json()
    assert sources(us)["theaudiodb"] == "ok" and sources(uk)["theaudiodb"] == "not_found"
    assert tadb_images(uk) == [] and uk["biography"] is None


def test_unknown_mbid_is_not_found(em):
    doc = em().get(f"/v1/artists/{BARE}?include=images").json()
    assert sources(doc)["theaudiodb"] == "not_found"
    assert "theaudiodb" not in doc["enrichment"]


def test_answer_about_another_mbid_is_not_taken(em, fake):
    items = json.loads((FIXTURES / "theaudiodb" / "artists.json").read_text())
    dylan = next(a for a in items if a["strMusicBrainzID"] == DYLAN)
    fake.add_fault("^/theaudiodb/", "body", body={"artists": [dylan]})
    doc = em().get(f"/v1/artists/{NIRVANA}?include=images,biography").json()
    assert sources(doc)["theaudiodb"] == "not_found"
    assert tadb_images(doc) == [] and doc["biography"] is None


def test_uppercase_mbid_in_the_answer_is_the_same(em):
    """Leonard Cohen's item gives its MBID in upper case."""
    doc = em().get(f"/v1/artists/{COHEN}?include=images").json()
    assert doc["enrichment"]["theaudiodb"]["id"] == "111428"


# ---- biography language ----------------------------------------------------------------------

def test_biography_lang_param_de(em):
    """lang=de with en and de biographies: de."""
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography&lang=de").json()
    assert doc["biography"]["language"] == "de" and doc["biography"]["source"] == "theaudiodb"
    assert doc["biography"]["text"].startswith("Nirvana war eine Rockband")


def test_biography_accept_language_de_ch(em):
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography",
                   headers={"Accept-Language": "de-CH,de;q=0.9"}).json()
    assert doc["biography"]["language"] == "de"


def test_biography_lang_without_one_falls_back_to_english(em):
    doc = em().get(f"/v1/artists/{NIRVANA}?include=biography&lang=ja").json()
    assert doc["biography"]["language"] == "en"
    assert doc["biography"]["text"].startswith("Nirvana was a rock band")


def test_one_fragment_serves_every_language(em, fake):
    """Every language comes in the one answer: switching language asks nothing more."""
    m = em()
    it = m.get(f"/v1/artists/{COHEN}?include=biography&lang=it").json()
    fr = m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=fr").json()
    de = m.get(f"/v1/artists/{NIRVANA}?include=biography&lang=de").json()
    assert it["biography"]["language"] == "it"
    assert fr["biography"]["language"] == "fr" and de["biography"]["language"] == "de"
    assert fake.count("/theaudiodb/") == 2


def test_no_biography_at_all(em):
    doc = em().get("/v1/artists/6e58e2cf-a116-4255-9adc-397b374be7ee?include=biography").json()
    assert sources(doc)["theaudiodb"] == "ok" and doc["biography"] is None


# ---- the key ---------------------------------------------------------------------------------

def test_free_key_when_none_is_configured(em, fake):
    """providers.theaudiodb.api_key empty (its default): the public free key "123"."""
    doc = em(keys=False).get(f"/v1/artists/{NIRVANA}?include=images").json()
    assert sources(doc)["theaudiodb"] == "ok"
    assert fake.requests("/theaudiodb/")[0].path.startswith("/theaudiodb/api/v1/json/123/")
    fake.clear_requests()
    doc = em(MEDLEY_PROVIDERS_THEAUDIODB_API_KEY="").get(
        f"/v1/artists/{COHEN}?include=images").json()
    assert sources(doc)["theaudiodb"] == "ok"
    assert fake.requests("/theaudiodb/")[0].path.startswith("/theaudiodb/api/v1/json/123/")


def test_disabled(em, fake):
    doc = em(MEDLEY_PROVIDERS_THEAUDIODB_ENABLED=0).get(
        f"/v1/artists/{NIRVANA}?include=images,biography").json()
    assert sources(doc)["theaudiodb"] == "disabled"
    assert fake.count("/theaudiodb/") == 0


def test_wrong_key_is_an_error_not_a_miss(em):
    """An unknown key answers TheAudioDB's HTML 404 page: not "not found" (which would be
    cached), an error, retried later."""
    doc = em(MEDLEY_PROVIDERS_THEAUDIODB_API_KEY="wrong-key").get(
        f"/v1/artists/{NIRVANA}?include=images").json()
    assert sources(doc)["theaudiodb"] == "error"


# ---- errors ----------------------------------------------------------------------------------

def test_server_error_is_retried_later(em, fake):
    m = em()
    fake.add_fault("^/theaudiodb/", "status", times=1, status=500)
    doc = m.get(f"/v1/artists/{NIRVANA}?include=images").json()
    assert sources(doc)["theaudiodb"] == "error"
    doc = m.get(f"/v1/artists/{NIRVANA}?include=images").json()
    assert sources(doc)["theaudiodb"] == "error"  # remembered for a while
    assert fake.count("/theaudiodb/") == 1


def test_garbage_is_an_error(em, fake):
    m = em()
    fake.add_fault("^/theaudiodb/", "invalid_json")
    doc = m.get(f"/v1/artists/{NIRVANA}?include=images").json()
    assert sources(doc)["theaudiodb"] == "error"
    assert m.get("/health").status == 200


def test_not_asked_for_other_sections(em, fake):
    doc = em(alone=False).get(f"/v1/artists/{NIRVANA}?include=popularity").json()
    assert "theaudiodb" not in sources(doc) and fake.count("/theaudiodb/") == 0
