"""The fanart.tv adapter (src/enrich/fanarttv.c) end to end, through the real binary
against the fake fanart.tv (test/fake/providers/fanarttv.py): artist thumbnails,
backgrounds, logos and banners; album covers and disc art by release group (and for a
release, by its group); the match is the MBID; disabled without api_key; not found and
errors.

Every other enrichment provider is switched off, so each document shows fanart.tv alone."""
import json

import pytest

from enrich import PATHS, enrich_env
from mb import BARE, COHEN, DYLAN, HIGHWAY61_RG, MERGED, NEVERMIND, NEVERMIND_RG, NIRVANA, \
    NIRVANA_UK

THE_BAND = "6e58e2cf-a116-4255-9adc-397b374be7ee"
BLONDE_ON_BLONDE = "f35c6a8e-2b5b-4a4e-a4f3-6eb7fad67aad"   # cdart for discs 1 and 2
HORMOANING = "44fb1c10-e1cf-470e-a688-e1131c59ceff"         # no art at fanart.tv
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"        # a recording


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def only_fanarttv(**extra):
    """Switch every other enrichment provider off."""
    env = {f"MEDLEY_PROVIDERS_{p.upper()}_ENABLED": "0" for p in PATHS if p != "fanarttv"}
    env.update(extra)
    return env


@pytest.fixture
def fa(medley, fake, db_url):
    """A medley enriching from the fake fanart.tv only."""
    def start(keys=True, **extra):
        m = medley(env=enrich_env(fake, db_url, keys=keys, **only_fanarttv(**extra)))
        m.wait_ready()
        return m
    return start


def images(m, path, include="images"):
    r = m.get(f"{path}?include={include}")
    assert r.status == 200, r.body
    doc = r.json()
    return doc, [i for i in doc.get("images", []) if i["provider"] == "fanarttv"]


# ---- artists ------------------------------------------------------------------------------

def test_artist_images_every_type(fa, fake):
    doc, imgs = images(fa(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["fanarttv"] == "ok"
    assert doc["enrichment"]["fanarttv"]["id"] == NIRVANA
    assert doc["enrichment"]["fanarttv"]["match"] == {"method": "mbid", "score": 1}
    types = [i["type"] for i in imgs]
    assert types == ["thumb"] * 3 + ["background"] * 2 + ["logo"] * 3 + ["banner"]
    # most liked first; ties keep fanart.tv's order
    assert [i["likes"] for i in imgs[:3]] == [12, 5, 5]
    assert imgs[1]["url"].endswith("nirvana-939b86caa2dca.jpg")
    # the old http:// URL is served over https
    assert all(i["url"].startswith("https://assets.fanart.tv/") for i in imgs)
    assert imgs[0]["thumbnails"]["small"].startswith("https://assets.fanart.tv/preview/")
    assert {i["language"] for i in imgs if i["type"] == "logo"} == {"en", None}
    assert "hdmusiclogo" in [t for i in imgs for t in i["types"]]
    reqs = fake.requests("/fanarttv/")
    assert [r.path for r in reqs] == [f"/fanarttv/v3/music/{NIRVANA}"]
    assert reqs[0].arg("api_key") == "test-fanart-key"
    assert reqs[0].arg("client_key") is None and reqs[0].header("client-key") is None


def test_artist_partial_art(fa):
    _, imgs = images(fa(), f"/v1/artists/{DYLAN}")
    assert [i["type"] for i in imgs] == ["thumb", "thumb", "background", "logo"]
    assert imgs[-1]["url"].startswith("https://assets.fanart.tv/")  # was http://
    _, imgs = images(fa(), f"/v1/artists/{THE_BAND}")
    assert [i["type"] for i in imgs] == ["background"]


def test_merged_id_asks_under_the_canonical_one(fa, fake):
    """fanart.tv does not follow MusicBrainz merges: medley asks for the canonical id."""
    doc, imgs = images(fa(), f"/v1/artists/{MERGED}")
    assert doc["id"] == COHEN and sources(doc)["fanarttv"] == "ok"
    assert imgs and imgs[0]["type"] == "thumb"
    assert [r.path for r in fake.requests("/fanarttv/")] == [f"/fanarttv/v3/music/{COHEN}"]


def test_same_name_artists_kept_apart(fa):
    """fanart.tv keys by MBID: the UK Nirvana never gets the US Nirvana's pictures."""
    m = fa()
    us, us_imgs = images(m, f"/v1/artists/{NIRVANA}")
    uk, uk_imgs = images(m, f"/v1/artists/{NIRVANA_UK}")
    assert us_imgs and uk_imgs == []
    assert sources(uk)["fanarttv"] == "not_found"
    assert "fanarttv" not in uk["enrichment"]


def test_artist_without_art_is_not_found(fa):
    doc, imgs = images(fa(), f"/v1/artists/{BARE}")
    assert sources(doc)["fanarttv"] == "not_found" and imgs == []


# ---- albums -------------------------------------------------------------------------------

def test_release_group_cover_and_cdart(fa, fake):
    doc, imgs = images(fa(), f"/v1/release-groups/{NEVERMIND_RG}")
    assert sources(doc)["fanarttv"] == "ok"
    assert doc["enrichment"]["fanarttv"]["id"] == NEVERMIND_RG
    assert doc["enrichment"]["fanarttv"]["match"] == {"method": "mbid", "score": 1}
    assert [(i["type"], i["likes"]) for i in imgs] == [("front", 18), ("front", 4),
                                                      ("medium", 3)]
    assert imgs[2]["width"] == 1000 and imgs[2]["height"] == 1000
    assert [r.path for r in fake.requests("/fanarttv/")] == [
        f"/fanarttv/v3/music/albums/{NEVERMIND_RG}"]


def test_release_group_two_discs(fa):
    _, imgs = images(fa(), f"/v1/release-groups/{BLONDE_ON_BLONDE}")
    assert [i["type"] for i in imgs] == ["front", "medium", "medium"]


def test_release_uses_its_release_group(fa, fake):
    doc, imgs = images(fa(), f"/v1/releases/{NEVERMIND}")
    assert sources(doc)["fanarttv"] == "ok"
    assert doc["enrichment"]["fanarttv"]["id"] == NEVERMIND_RG
    assert imgs[0]["type"] == "front" and imgs[0]["likes"] == 18
    assert [r.path for r in fake.requests("/fanarttv/")] == [
        f"/fanarttv/v3/music/albums/{NEVERMIND_RG}"]


def test_release_group_without_art_is_not_found(fa):
    doc, imgs = images(fa(), f"/v1/release-groups/{HORMOANING}")
    assert sources(doc)["fanarttv"] == "not_found" and imgs == []


def test_cover_art_view_does_not_wait_for_it(fa, fake):
    """fanart.tv feeds images, not the Cover Art Archive's gallery."""
    fa().get(f"/v1/release-groups/{HIGHWAY61_RG}/cover-art")
    assert fake.count("/fanarttv/") == 0


def test_not_consulted_for_recordings_or_other_sections(fa, fake):
    m = fa()
    doc, _ = images(m, f"/v1/recordings/{TEEN_SPIRIT}")
    assert "fanarttv" not in sources(doc)
    doc, _ = images(m, f"/v1/artists/{NIRVANA}", "biography,popularity")
    assert "fanarttv" not in sources(doc)
    assert fake.count("/fanarttv/") == 0


# ---- keys, errors -------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [{"keys": False},
                                   {"MEDLEY_PROVIDERS_FANARTTV_API_KEY": ""},
                                   {"MEDLEY_PROVIDERS_FANARTTV_CLIENT_ID": "bad\tkey"}])
def test_disabled_without_api_key(fa, fake, extra):
    """No project key, or a personal key that cannot go in a header line."""
    extra = dict(extra)
    keys = extra.pop("keys", True)
    doc, imgs = images(fa(keys=keys, **extra), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["fanarttv"] == "disabled" and imgs == []
    assert fake.count("/fanarttv/") == 0


def test_personal_client_key_is_sent(fa, fake):
    doc, imgs = images(fa(MEDLEY_PROVIDERS_FANARTTV_CLIENT_ID="my-personal-key"),
                       f"/v1/artists/{NIRVANA}")
    assert imgs
    req = fake.requests("/fanarttv/")[0]
    assert req.arg("api_key") == "test-fanart-key"
    # in fanart.tv's header rather than the query, so no URL (nor log line) carries it
    assert req.header("client-key") == "my-personal-key" and req.arg("client_key") is None


def test_wrong_api_key_is_an_error(fa, fake):
    doc, imgs = images(fa(MEDLEY_PROVIDERS_FANARTTV_API_KEY="wrong"), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["fanarttv"] == "error" and imgs == []
    assert fake.requests("/fanarttv/")[0].status == 401


def test_keys_never_logged(fa):
    m = fa(MEDLEY_PROVIDERS_FANARTTV_CLIENT_ID="my-personal-key")
    images(m, f"/v1/artists/{NIRVANA}")
    text = json.dumps(m.lines)
    assert "test-fanart-key" not in text and "my-personal-key" not in text


def test_error_is_retried_later_not_hammered(fa, fake):
    m = fa()
    fault = fake.add_fault("^/fanarttv/", "status", status=503)
    doc, _ = images(m, f"/v1/artists/{NIRVANA}")
    assert sources(doc)["fanarttv"] == "error"
    fake.remove_fault(fault)
    doc, _ = images(m, f"/v1/artists/{NIRVANA}")
    assert sources(doc)["fanarttv"] == "error"
    assert fake.count("/fanarttv/") == 1


def test_hostile_answer_is_an_error_not_a_crash(fa, fake):
    m = fa()
    fake.add_fault("^/fanarttv/", "invalid_json")
    doc, _ = images(m, f"/v1/release-groups/{NEVERMIND_RG}")
    assert sources(doc)["fanarttv"] == "error"
    assert m.get("/health").status == 200


def test_answer_for_another_mbid_is_refused(fa, fake):
    """An answer about another artist (a confused upstream) is not this entity's art."""
    body = json.loads((fake.fixtures_dir / "fanarttv" / "music" / f"{DYLAN}.json").read_text())
    fake.add_fault(f"^/fanarttv/v3/music/{NIRVANA}$", "body", body=body)
    doc, imgs = images(fa(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["fanarttv"] == "not_found" and imgs == []


def test_fragment_cached(fa, fake):
    m = fa()
    images(m, f"/v1/artists/{NIRVANA}")
    doc, imgs = images(m, f"/v1/artists/{NIRVANA}")
    assert imgs and fake.count("/fanarttv/") == 1
