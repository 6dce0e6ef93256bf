"""The Spotify adapter (src/enrich/spotify.c) end to end, through the real binary against
the fake Spotify (test/fake/providers/spotify.py): how each kind of entity is found (url
relation, UPC, ISRC, search with corroboration), the merged sections it feeds, the
client-credentials token (cached, renewed before it expires, refreshed once on a 401),
and its disabled, not-found and error behaviour.

Every other enrichment provider is switched off, so each document shows Spotify alone."""
import base64
import json
import pathlib
import time

import pytest

from conftest import ROOT, SLOW
from enrich import PATHS, enrich_env
from mb import BARE, COHEN, HIGHWAY61_RG, MERGED, NEVERMIND, NIRVANA, NIRVANA_UK

MB_FIXTURES = ROOT / "test" / "fake" / "fixtures" / "musicbrainz"
NIRVANA_SP = "6olE6TJLqED3rqDCT0FyPh"
COHEN_SP = "5l8VQNuIg0turYE1VtM9zV"
SONGS_OF_LC = "dc9d5e2d-e156-4baf-ab4e-0b3b5546f19b"      # release: barcode "", by search
TEEN_SPIRIT = "c0611cc5-e7da-42b1-9a0b-9a721fe766be"      # recording with an ISRC
SUZANNE = "fb564d90-d420-4213-bfd8-1fba70ebe72b"          # studio, no ISRC in MB
SUZANNE_LIVE = "22ccfdff-2115-4316-a219-09bfd14dd5f3"     # same title, Live in London
POLLY_STUDIO = "00c62f21-3bba-48ef-96da-a49b926d87cc"
POLLY_LIVE = "7b03d036-8cc0-449a-bc20-8bc0e6fb6a3a"


def sources(doc):
    return {s["provider"]: s["status"] for s in doc["sources"]}


def only_spotify(**extra):
    """Switch every other enrichment provider off."""
    env = {f"MEDLEY_PROVIDERS_{p.upper()}_ENABLED": "0" for p in PATHS if p != "spotify"}
    env.update(extra)
    return env


@pytest.fixture
def sp(medley, fake, db_url):
    """A medley enriching from the fake Spotify only."""
    def start(keys=True, **extra):
        m = medley(env=enrich_env(fake, db_url, keys=keys, **only_spotify(**extra)))
        m.wait_ready()
        return m
    return start


@pytest.fixture
def spotify(fake):
    """The fake's Spotify handler: tokens_issued, expire_tokens(), expires_in."""
    return fake.routes["/spotify"]


def get(m, path, include="images,popularity,top_tracks"):
    r = m.get(f"{path}?include={include}")
    assert r.status == 200, r.body
    return r.json()


def enr(doc):
    return doc["enrichment"]["spotify"]


def searches(fake, type_=None):
    """The q= of each search the fake got (of that type)."""
    return [r.arg("q") for r in fake.requests("/spotify/v1/search")
            if type_ is None or r.arg("type") == type_]


def mb_without_spotify(fake, mbid, replace_with=None):
    """Serve MusicBrainz's artist mbid without its Spotify url relation (or with it
    pointing at replace_with)."""
    doc = json.loads((MB_FIXTURES / "artist" / f"{mbid}.json").read_text(encoding="utf-8"))
    rels = []
    for rel in doc["relations"]:
        url = (rel.get("url") or {}).get("resource", "")
        if "open.spotify.com" in url:
            if not replace_with:
                continue
            rel = dict(rel, url=dict(rel["url"],
                                     resource=f"https://open.spotify.com/artist/{replace_with}"))
        rels.append(rel)
    doc["relations"] = rels
    fake.add_fault(f"^/ws/2/artist/{mbid}$", "body", body=doc)


# ---- artists ------------------------------------------------------------------------------

def test_artist_by_url_relation(sp, fake):
    doc = get(sp(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "ok"
    assert enr(doc)["id"] == NIRVANA_SP
    assert enr(doc)["match"] == {"method": "mb_relation", "score": 1}
    thumbs = [i for i in doc["images"] if i["provider"] == "spotify"]
    assert len(thumbs) == 3 and {i["type"] for i in thumbs} == {"thumb"}
    assert thumbs[0]["width"] == 640  # largest first
    assert doc["popularity"]["spotify"] == {"popularity": 80, "followers": 18234567}
    grunge = [g for g in doc["genres_merged"] if g["name"].lower() == "grunge"]
    assert grunge and "spotify" in grunge[0]["sources"]
    top = doc["top_tracks"]
    assert len(top) == 10 and all(t["provider"] == "spotify" for t in top)
    assert top[0]["title"] == "Smells Like Teen Spirit" and top[0]["rank"] == 1
    assert top[0]["isrc"] == "USGF19140001"
    assert searches(fake) == []  # the link was enough
    top_req = fake.requests(f"/spotify/v1/artists/{NIRVANA_SP}/top-tracks")
    assert len(top_req) == 1 and top_req[0].arg("market") == "US"


def test_artist_by_search_corroborated(sp, fake):
    """Without the url relation, the Nirvana candidate is accepted because its top tracks
    are titles of the MusicBrainz artist's release groups."""
    mb_without_spotify(fake, NIRVANA)
    doc = get(sp(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "ok"
    assert enr(doc)["id"] == NIRVANA_SP
    assert enr(doc)["match"]["method"] == "search"
    assert 0.85 <= enr(doc)["match"]["score"] <= 1
    assert searches(fake, "artist") == ['artist:"Nirvana"']
    assert fake.count("/ws/2/release-group") >= 1  # the corroboration
    # the candidate's top tracks were kept: asked once only
    assert fake.count(f"/spotify/v1/artists/{NIRVANA_SP}/top-tracks") == 1
    assert doc["top_tracks"][0]["provider"] == "spotify"


def test_same_name_artists_kept_apart(sp, fake):
    """Spotify only has the US Nirvana: the UK Nirvana finds it by name, but none of its
    tracks are the UK band's works, so it gets nothing rather than the wrong pictures."""
    m = sp()
    uk = get(m, f"/v1/artists/{NIRVANA_UK}")
    assert sources(uk)["spotify"] == "not_found"
    assert "spotify" not in uk["enrichment"]
    assert not [i for i in uk["images"] if i["provider"] == "spotify"]
    assert "spotify" not in uk["popularity"] and uk["top_tracks"] == []
    assert searches(fake, "artist") == ['artist:"Nirvana"']
    us = get(m, f"/v1/artists/{NIRVANA}")
    assert enr(us)["id"] == NIRVANA_SP


def test_stale_url_relation_falls_back_to_search(sp, fake):
    mb_without_spotify(fake, NIRVANA, replace_with="0000000000000000000000")
    doc = get(sp(), f"/v1/artists/{NIRVANA}")
    assert fake.count("/spotify/v1/artists/0000000000000000000000") == 1
    assert enr(doc)["id"] == NIRVANA_SP
    assert enr(doc)["match"]["method"] == "search"


def test_artist_without_works_is_not_found(sp, fake):
    """Tape Hiss Quartet is on Spotify by name, with no tracks: nothing corroborates it."""
    doc = get(sp(), f"/v1/artists/{BARE}")
    assert sources(doc)["spotify"] == "not_found"
    assert doc["images"] == [] and doc["popularity"] == {} and doc["top_tracks"] == []


def test_merged_artist_id(sp):
    doc = get(sp(), f"/v1/artists/{MERGED}")
    assert doc["id"] == COHEN
    assert enr(doc)["id"] == COHEN_SP
    assert doc["top_tracks"][0]["title"] == "Suzanne"


# ---- albums -------------------------------------------------------------------------------

def test_release_by_upc(sp, fake):
    doc = get(sp(), f"/v1/releases/{NEVERMIND}", "images,popularity")
    assert sources(doc)["spotify"] == "ok"
    assert enr(doc)["id"] == "AlbNevermind0000000000"
    assert enr(doc)["match"] == {"method": "upc", "score": 1}
    fronts = [i for i in doc["images"] if i["provider"] == "spotify"]
    assert fronts and all(i["type"] == "front" for i in fronts)
    assert doc["popularity"]["spotify"] == {"popularity": 84}
    assert "AlbNevermind0000000000" in doc["external_ids"]["spotify"]
    assert searches(fake) == ["upc:720642442524"]  # no name search needed


def test_release_group_by_upc_of_its_release(sp, fake):
    doc = get(sp(), f"/v1/release-groups/{HIGHWAY61_RG}", "images")
    assert enr(doc)["id"] == "AlbHighway61Revisite00"
    assert enr(doc)["match"]["method"] == "upc"
    assert searches(fake) == ["upc:827969092322"]


def test_release_by_search(sp, fake):
    """Songs of Leonard Cohen has no barcode in MusicBrainz: found by artist and title."""
    doc = get(sp(), f"/v1/releases/{SONGS_OF_LC}", "images,popularity")
    assert enr(doc)["id"] == "AlbSongsOfLeonardCoh00"
    assert enr(doc)["match"]["method"] == "search"
    assert searches(fake) == ['artist:"Leonard Cohen" album:"Songs of Leonard Cohen"']
    assert doc["popularity"]["spotify"] == {"popularity": 66}


def test_upc_unknown_to_spotify_falls_back_to_search(sp, fake):
    fake.add_fault("^/spotify/v1/search$", "body", times=1, query="upc",
                   body={"albums": {"href": "x", "items": [], "limit": 10, "next": None,
                                    "offset": 0, "previous": None, "total": 0}})
    doc = get(sp(), f"/v1/releases/{NEVERMIND}", "images")
    assert enr(doc)["id"] == "AlbNevermind0000000000"
    assert enr(doc)["match"]["method"] == "search"
    assert searches(fake) == ["upc:720642442524", 'artist:"Nirvana" album:"Nevermind"']


# ---- recordings ---------------------------------------------------------------------------

def test_recording_by_isrc(sp, fake):
    doc = get(sp(), f"/v1/recordings/{TEEN_SPIRIT}", "images,popularity")
    assert enr(doc)["id"] == "TrkNevesmellsLikeTee00"
    assert enr(doc)["match"] == {"method": "isrc", "score": 1}
    assert doc["popularity"]["spotify"]["popularity"] > 0
    assert [i["type"] for i in doc["images"] if i["provider"] == "spotify"][0] == "front"
    assert searches(fake) == ["isrc:USGF19140001"]


@pytest.mark.parametrize("mbid,want", [(POLLY_STUDIO, "TrkNevepolly0000000000"),
                                       (POLLY_LIVE, "TrkMtvPolly00000000000")])
def test_same_title_recordings_by_isrc(sp, mbid, want):
    doc = get(sp(), f"/v1/recordings/{mbid}", "popularity")
    assert enr(doc)["id"] == want and enr(doc)["match"]["method"] == "isrc"


def test_recording_by_search_same_title(sp, fake):
    """Studio "Suzanne" has no ISRC: the track search returns the studio and the live
    version, and the duration and title pick the studio one."""
    m = sp()
    doc = get(m, f"/v1/recordings/{SUZANNE}", "popularity")
    assert enr(doc)["id"] == "TrkSongsuzanne00000000"
    assert enr(doc)["match"]["method"] == "search"
    assert searches(fake, "track") == ['artist:"Leonard Cohen" track:"Suzanne"']
    # the ISRC Spotify reveals joins the external ids
    assert "USSM16700351" in doc["external_ids"]["isrc"]
    live = get(m, f"/v1/recordings/{SUZANNE_LIVE}", "popularity")
    assert enr(live)["id"] == "TrkLivesuzanne00000000"


# ---- the token ----------------------------------------------------------------------------

def test_token_request_and_reuse(sp, fake, spotify):
    m = sp()
    get(m, f"/v1/artists/{NIRVANA}")
    get(m, f"/v1/releases/{NEVERMIND}", "images")
    get(m, f"/v1/recordings/{TEEN_SPIRIT}", "images")
    assert spotify.tokens_issued == 1
    tok = fake.requests("/spotify/api/token")
    assert len(tok) == 1 and tok[0].method == "POST"
    basic = base64.b64encode(b"test-spotify-id:test-spotify-secret").decode()
    assert tok[0].header("Authorization") == f"Basic {basic}"
    assert tok[0].header("Content-Type").startswith("application/x-www-form-urlencoded")
    assert tok[0].body == b"grant_type=client_credentials"
    api = fake.requests("/spotify/v1/")
    assert api and all(r.header("Authorization", "").startswith("Bearer BQ") for r in api)
    assert all(r.status == 200 for r in api)


def test_expired_token_is_refreshed_once(sp, fake, spotify):
    m = sp()
    get(m, f"/v1/artists/{NIRVANA}")
    spotify.expire_tokens()
    doc = get(m, f"/v1/artists/{COHEN}")
    assert sources(doc)["spotify"] == "ok" and enr(doc)["id"] == COHEN_SP
    assert spotify.tokens_issued == 2
    assert [r.status for r in fake.requests("/spotify/v1/")].count(401) == 1
    # the new token is cached in turn
    get(m, f"/v1/releases/{NEVERMIND}", "images")
    assert spotify.tokens_issued == 2


def test_token_renewed_before_it_expires(sp, fake, spotify):
    spotify.expires_in = 2
    m = sp()
    get(m, f"/v1/artists/{NIRVANA}")
    time.sleep(2.0)
    get(m, f"/v1/artists/{COHEN}")
    assert spotify.tokens_issued == 2
    assert 401 not in [r.status for r in fake.requests("/spotify/v1/")]


def test_token_refused_after_refresh_is_an_error(sp, fake, spotify):
    spotify.expires_in = 0  # every token is born expired
    doc = get(sp(), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "error"
    assert spotify.tokens_issued == 2  # one retry, no loop
    assert "spotify" not in doc["popularity"]


def test_wrong_credentials_are_an_error(sp, fake):
    doc = get(sp(MEDLEY_PROVIDERS_SPOTIFY_CLIENT_SECRET="wrong"), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "error"
    assert fake.count("/spotify/api/token") == 1 and fake.count("/spotify/v1/") == 0


def test_credentials_and_tokens_never_logged(sp, spotify):
    m = sp()
    get(m, f"/v1/artists/{NIRVANA}")
    text = json.dumps(m.lines)
    basic = base64.b64encode(b"test-spotify-id:test-spotify-secret").decode()
    assert "test-spotify-secret" not in text and basic not in text
    assert "Bearer" not in text and '"BQ' not in text


# ---- disabled, errors ---------------------------------------------------------------------

@pytest.mark.parametrize("extra", [{"keys": False},
                                   {"MEDLEY_PROVIDERS_SPOTIFY_CLIENT_SECRET": ""},
                                   {"MEDLEY_PROVIDERS_SPOTIFY_CLIENT_ID": ""}])
def test_disabled_without_credentials(sp, fake, extra):
    extra = dict(extra)
    keys = extra.pop("keys", True)
    doc = get(sp(keys=keys, **extra), f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "disabled"
    assert fake.count("/spotify/") == 0


def test_not_consulted_for_other_sections(sp, fake):
    doc = get(sp(), f"/v1/artists/{NIRVANA}", "biography")
    assert "spotify" not in sources(doc)
    assert fake.count("/spotify/") == 0


def test_server_error_is_an_error_retried_later(sp, fake):
    m = sp()
    fault = fake.add_fault("^/spotify/v1/artists/", "status", status=500)
    doc = get(m, f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "error"
    fake.remove_fault(fault)
    doc = get(m, f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "error"  # remembered for a while, not hammered
    assert fake.count(f"/spotify/v1/artists/{NIRVANA_SP}") == 1


def test_hostile_answer_is_an_error_not_a_crash(sp, fake):
    m = sp()
    fake.add_fault("^/spotify/v1/albums/", "invalid_json")
    doc = get(m, f"/v1/releases/{NEVERMIND}", "images")
    assert sources(doc)["spotify"] == "error"
    assert m.get("/health").status == 200


def test_fragment_cached(sp, fake):
    m = sp()
    get(m, f"/v1/artists/{NIRVANA}")
    before = fake.count("/spotify/")
    doc = get(m, f"/v1/artists/{NIRVANA}")
    assert sources(doc)["spotify"] == "ok" and fake.count("/spotify/") == before
