"""The Last.fm adapter (src/enrich/lastfm.c) end to end, through the real binary against
the fake Last.fm (test/fake/providers/lastfm.py): how each kind of entity is found (by
MBID; by name when Last.fm does not know the MBID, confirmed by the MBID it gives or
corroborated by top tracks, tracklists or durations), the merged sections it feeds
(biography, popularity, similar, top_tracks, tags), the biography language (the asked
one and English), and its disabled, not-found and error behaviour.

Every other enrichment provider is switched off, so each document shows Last.fm alone."""
import json

import pytest

from conftest import ROOT
from enrich import PATHS, enrich_env
from mb import BARE, DYLAN, NEVERMIND_RG, NIRVANA, NIRVANA_UK

LF_FIXTURES = ROOT / "test" / "fake" / "fixtures" / "lastfm"
NEVERMIND = "c2c6ca32-966c-49bb-a4fc-f6d7d2bc0a50"        # release: Last.fm's album MBID
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"      # recording Last.fm knows
COME_AS_STUDIO = "0702cd61-7192-4921-b068-114e7a7c250b"   # recording Last.fm does not know
HORMOANING_RG = "44fb1c10-e1cf-470e-a688-e1131c59ceff"    # album Last.fm does not know
NOT_FOUND_BODY = {"error": 6, "message": "The artist you supplied could not be found",
                  "links": []}
ALL = "biography,popularity,similar,top_tracks,images"


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def only_lastfm(**extra):
    """Switch every other enrichment provider off."""
    env = {f"MEDLEY_PROVIDERS_{p.upper()}_ENABLED": "0" for p in PATHS if p != "lastfm"}
    env.update(extra)
    return env


@pytest.fixture
def lf(medley, fake, db_url):
    """A medley enriching from the fake Last.fm only."""
    def start(keys=True, **extra):
        m = medley(env=enrich_env(fake, db_url, keys=keys, **only_lastfm(**extra)))
        m.wait_ready()
        return m
    return start


def get(m, path, include=ALL, lang=None):
    q = f"?include={include}" + (f"&lang={lang}" if lang else "")
    r = m.get(path + q)
    assert r.status == 200, r.body
    return r.json()


def enr(doc):
    return doc["enrichment"]["lastfm"]


def calls(fake, method=None):
    """The query arguments of each Last.fm call (of that method), oldest first."""
    return [{k: v[0] for k, v in r.query.items() if k not in ("api_key", "format",
                                                               "autocorrect")}
            for r in fake.requests("/lastfm/")
            if method is None or r.arg("method") == method]


def unknown_mbid(fake, method, mbid):
    """Last.fm does not know mbid for method: error 6, as it answers."""
    fake.add_fault("^/lastfm/", "status", status=400, body=NOT_FOUND_BODY,
                   query=f"method={method}&mbid={mbid}")


def without_mbid(fake, method, folder, slug, query):
    """Serve the fixture folder/slug without its MBID to calls whose query matches."""
    doc = json.loads((LF_FIXTURES / folder / f"{slug}.json").read_text(encoding="utf-8"))
    next(iter(doc.values()))["mbid"] = ""
    fake.add_fault("^/lastfm/", "body", body=doc, query=f"method={method}&{query}")


# ---- artists ------------------------------------------------------------------------------

def test_artist_by_mbid(lf, fake):
    doc = get(lf(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["id"] == "Bob Dylan"
    assert enr(doc)["match"] == {"method": "mbid", "score": 1}
    assert doc["popularity"]["lastfm"] == {"listeners": 4233215, "playcount": 288124371}
    bio = doc["biography"]
    assert bio["source"] == "lastfm" and bio["language"] == "en"
    assert "Creative Commons" in bio["attribution"]
    assert "Read more" not in bio["text"] and "<" not in bio["text"]
    sim = doc["similar"]
    assert [s["name"] for s in sim] == ["The Band", "Leonard Cohen", "Neil Young", "Nirvana"]
    assert sim[0]["score"] == 1 and all(s["provider"] == "lastfm" for s in sim)
    top = doc["top_tracks"]
    assert [t["title"] for t in top][:2] == ["Like a Rolling Stone", "Desolation Row"]
    assert top[0]["rank"] == 1 and top[0]["mbid"] == "f456e1a0-53de-4c79-9ac7-51b488dc5484"
    assert [i for i in doc["images"] if i["provider"] == "lastfm"] == []  # placeholders
    # one call each, all by MBID; English only: no second getinfo
    assert [c["method"] for c in calls(fake)] == [
        "artist.getinfo", "artist.getsimilar", "artist.gettoptracks"]
    assert all(c.get("mbid") == DYLAN and "artist" not in c for c in calls(fake))
    assert "lang" not in calls(fake, "artist.getinfo")[0]


def test_biography_in_the_asked_language_and_english(lf, fake):
    doc = get(lf(), f"/v1/artists/{DYLAN}", "biography", lang="de")
    bio = doc["biography"]
    assert bio["source"] == "lastfm" and bio["language"] == "de"
    assert bio["text"].startswith("Bob Dylan ist ein US-amerikanischer")
    assert "&amp;" not in bio["text"] and "&" in bio["text"]
    infos = calls(fake, "artist.getinfo")
    assert [c.get("lang") for c in infos] == ["de", None]  # the asked language, then English


def test_biography_falls_back_to_english(lf, fake):
    """Last.fm has no German text for Nirvana (an empty bio): the English one is served."""
    doc = get(lf(), f"/v1/artists/{NIRVANA}", "biography", lang="de")
    bio = doc["biography"]
    assert bio["source"] == "lastfm" and bio["language"] == "en"
    assert bio["text"] and "Read more" not in bio["text"]
    assert len(calls(fake, "artist.getinfo")) == 2


def test_same_name_artists_kept_apart(lf, fake):
    """Last.fm does not know the UK Nirvana's MBID; by name it answers the US band, whose
    MBID it gives: the UK Nirvana gets nothing rather than the wrong biography."""
    m = lf()
    uk = get(m, f"/v1/artists/{NIRVANA_UK}")
    assert sources(uk)["lastfm"] == "not_found"
    assert "lastfm" not in uk["enrichment"]
    assert uk["biography"] is None and uk["similar"] == [] and uk["top_tracks"] == []
    assert "lastfm" not in uk["popularity"]
    infos = calls(fake, "artist.getinfo")
    assert infos[0]["mbid"] == NIRVANA_UK and infos[1]["artist"] == "Nirvana"
    assert len(calls(fake)) == 2  # no similar or top tracks for a rejected answer
    us = get(m, f"/v1/artists/{NIRVANA}")
    assert enr(us)["match"]["method"] == "mbid"


def test_artist_by_name_confirmed_by_its_mbid(lf, fake):
    unknown_mbid(fake, "artist.getinfo", DYLAN)
    doc = get(lf(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["match"] == {"method": "mbid", "score": 1}
    assert calls(fake, "artist.getinfo")[1]["artist"] == "Bob Dylan"
    # the lists are asked by the name that found it
    assert calls(fake, "artist.getsimilar")[0].get("artist") == "Bob Dylan"
    assert doc["similar"] and doc["top_tracks"]


def test_artist_by_name_confirmed_by_url_relation(lf, fake):
    """By name, an answer without an MBID: MusicBrainz links Bob Dylan's last.fm page,
    which names this Last.fm artist (method mb_relation)."""
    unknown_mbid(fake, "artist.getinfo", DYLAN)
    without_mbid(fake, "artist.getinfo", "artist.getinfo", "bob-dylan", "artist=Bob")
    doc = get(lf(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["match"] == {"method": "mb_relation", "score": 1}
    assert fake.count("/ws/2/release-group") == 0  # no corroboration needed


def test_artist_by_name_corroborated_by_top_tracks(lf, fake):
    """By name, an answer without an MBID and no url relation: its top tracks are the
    MusicBrainz artist's works, so it is taken (method search)."""
    unknown_mbid(fake, "artist.getinfo", NIRVANA)
    without_mbid(fake, "artist.getinfo", "artist.getinfo", "nirvana", "artist=Nirvana")
    doc = get(lf(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["match"]["method"] == "search"
    assert 0.85 <= enr(doc)["match"]["score"] <= 1
    assert fake.count("/ws/2/release-group") == 1 and fake.count("/ws/2/recording") == 1
    assert len(calls(fake, "artist.gettoptracks")) == 1  # kept, not asked twice
    assert calls(fake, "artist.gettoptracks")[0]["artist"] == "Nirvana"
    assert doc["top_tracks"][0]["title"] == "Smells Like Teen Spirit"
    assert doc["biography"]["source"] == "lastfm" and doc["similar"]


def test_artist_by_name_not_corroborated_is_not_found(lf, fake):
    """By name without an MBID, and top tracks that are not the artist's works."""
    unknown_mbid(fake, "artist.getinfo", NIRVANA)
    without_mbid(fake, "artist.getinfo", "artist.getinfo", "nirvana", "artist=Nirvana")
    cohen = json.loads((LF_FIXTURES / "artist.gettoptracks" / "leonard-cohen.json")
                       .read_text(encoding="utf-8"))
    fake.add_fault("^/lastfm/", "body", body=cohen, query="method=artist.gettoptracks")
    doc = get(lf(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["lastfm"] == "not_found"
    assert doc["biography"] is None and doc["top_tracks"] == []
    assert len(calls(fake, "artist.getsimilar")) == 0


def test_artist_unknown_to_lastfm(lf, fake):
    doc = get(lf(), f"/v1/artists/{BARE}")
    assert sources(doc)["lastfm"] == "not_found"
    assert [c.get("mbid") or c.get("artist") for c in calls(fake)] == [
        BARE, "Tape Hiss Quartet"]


# ---- albums ------------------------------------------------------------------------------

def test_album_by_its_first_release_mbid(lf, fake):
    """Last.fm keeps release MBIDs: the group's own is unknown, its release's is not."""
    doc = get(lf(), f"/v1/release-groups/{NEVERMIND_RG}", "biography,popularity,images")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["id"] == "Nirvana - Nevermind"
    assert enr(doc)["match"] == {"method": "mbid", "score": 1}
    assert [c["mbid"] for c in calls(fake, "album.getinfo")] == [NEVERMIND_RG, NEVERMIND]
    assert doc["popularity"]["lastfm"] == {"listeners": 3123456, "playcount": 234567890}
    assert doc["biography"]["source"] == "lastfm"
    fronts = [i for i in doc["images"] if i["provider"] == "lastfm"]
    assert fronts and fronts[0]["type"] == "front"


def test_album_wiki_language(lf, fake):
    doc = get(lf(), f"/v1/release-groups/{NEVERMIND_RG}", "biography", lang="de")
    assert doc["biography"]["language"] == "de"
    assert [c.get("lang") for c in calls(fake, "album.getinfo")] == ["de", "de", None]


def test_album_by_name_corroborated_by_tracklist(lf, fake):
    """Neither MBID known and an answer without one: the album's tracklist against the
    first release's (a MusicBrainz lookup) decides."""
    unknown_mbid(fake, "album.getinfo", NEVERMIND_RG)
    unknown_mbid(fake, "album.getinfo", NEVERMIND)
    without_mbid(fake, "album.getinfo", "album.getinfo", "nirvana--nevermind", "artist=")
    doc = get(lf(), f"/v1/release-groups/{NEVERMIND_RG}", "biography,popularity")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["match"]["method"] == "search"
    by_name = calls(fake, "album.getinfo")[2]
    assert by_name["artist"] == "Nirvana" and by_name["album"] == "Nevermind"
    assert fake.count(f"/ws/2/release/{NEVERMIND}") >= 1


def test_album_unknown_to_lastfm(lf, fake):
    doc = get(lf(), f"/v1/release-groups/{HORMOANING_RG}", "biography,popularity")
    assert sources(doc)["lastfm"] == "not_found"
    assert len(calls(fake, "album.getinfo")) == 3  # group MBID, release MBID, names


# ---- recordings ----------------------------------------------------------------------------

def test_track_by_mbid(lf, fake):
    doc = get(lf(), f"/v1/recordings/{TEEN_SPIRIT}", "biography,popularity")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["id"] == "Nirvana - Smells Like Teen Spirit"
    assert enr(doc)["match"] == {"method": "mbid", "score": 1}
    assert doc["popularity"]["lastfm"]["listeners"] == 2123456
    assert calls(fake) == [{"method": "track.getinfo", "mbid": TEEN_SPIRIT}]


def test_track_by_name_matched_by_duration(lf, fake):
    unknown_mbid(fake, "track.getinfo", TEEN_SPIRIT)
    without_mbid(fake, "track.getinfo", "track.getinfo", "nirvana--smells-like-teen-spirit",
                 "artist=")
    doc = get(lf(), f"/v1/recordings/{TEEN_SPIRIT}", "popularity")
    assert sources(doc)["lastfm"] == "ok"
    assert enr(doc)["match"]["method"] == "search"
    assert calls(fake)[1]["track"] == "Smells Like Teen Spirit"


def test_track_unknown_to_lastfm(lf, fake):
    doc = get(lf(), f"/v1/recordings/{COME_AS_STUDIO}", "popularity")
    assert sources(doc)["lastfm"] == "not_found"
    assert len(calls(fake, "track.getinfo")) == 2


# ---- keys and errors ------------------------------------------------------------------------

def test_disabled_without_api_key(lf, fake):
    doc = get(lf(keys=False), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "disabled"
    assert fake.count("/lastfm/") == 0


def test_invalid_api_key_is_an_error(lf, fake):
    doc = get(lf(MEDLEY_PROVIDERS_LASTFM_API_KEY="wrong"), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "error"
    assert fake.count("/lastfm/") == 1  # no fallback by name on an error


def test_server_error_is_an_error_and_retried_later(lf, fake):
    m = lf()
    fake.add_fault("^/lastfm/", "status", status=500)
    doc = get(m, f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "error"
    n = fake.count("/lastfm/")
    get(m, f"/v1/artists/{DYLAN}")
    assert fake.count("/lastfm/") == n


def test_rate_limit_error_body_is_an_error(lf, fake):
    fake.add_fault("^/lastfm/", "body", body={"error": 29, "message": "Rate Limit Exceeded",
                                              "links": []})
    doc = get(lf(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "error"


def test_similar_failure_keeps_the_artist(lf, fake):
    fake.add_fault("^/lastfm/", "status", status=500, query="method=artist.getsimilar")
    doc = get(lf(), f"/v1/artists/{DYLAN}")
    assert sources(doc)["lastfm"] == "ok"
    assert doc["biography"]["source"] == "lastfm" and doc["top_tracks"]
    # getinfo's own similar list (without scores) stays
    assert [s["name"] for s in doc["similar"]][:1] == ["The Band"]
