"""Fake LRCLib (https://lrclib.net/api), served under /lrclib.

medley's providers.lrclib.base_url is then http://127.0.0.1:<port>/lrclib/api (the real
base URL is https://lrclib.net/api, so the /api part stays).

Catalogue: fixtures/lrclib/tracks.json, a list of tracks in LRCLib's answer format (the
"name" member, a copy of "trackName" in real answers, is added when serving); see
fixtures/lrclib/CATALOGUE.md. Lyrics are invented placeholder lines.

Requests, answered like the real service (its source: tranxuanthang/lrclib):
  GET /api/get?artist_name=&track_name=[&album_name=][&duration=]
  GET /api/get-cached?...                 the same
      Names match after LRCLib's own normalisation (lowercase, accents dropped,
      punctuation as spaces, apostrophes removed, spaces collapsed); album_name, when
      given and not blank, must match too; duration (seconds), when given, keeps tracks
      within +-2 s. The lowest id wins. 200 one track, or 404 {"message": "Failed to find
      specified track", "name": "TrackNotFound", "statusCode": 404}.
      A missing artist_name/track_name or a duration that is not a number: 400 text/plain
      "Failed to deserialize query string: ..." (axum's rejection); an empty one or a
      duration outside 1..3600: 400 {"message": ..., "name": "ValidationError",
      "statusCode": 400}.
  GET /api/get/<id>                       that track, or the 404 above
  GET /api/search?q= | ?track_name=[&artist_name=][&album_name=]
      200 a JSON array (at most 20, by id): q's words must all appear in the track's
      name, artist or album; track_name (and album_name) as a phrase of the track's
      (album's) name, artist_name's words in the artist. Neither q nor track_name: [].
  other paths 404 (empty body); other methods 405.
LRCLib has no authentication and no rate limit, so there is no auth failure to fake; it
asks clients for a User-Agent naming them, which tests read from the recorded requests.
"""
import json
import pathlib
import re
import sys
import unicodedata

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/lrclib"
TEXT_TYPE = "text/plain; charset=utf-8"
SEARCH_LIMIT = 20
NOT_FOUND = {"message": "Failed to find specified track", "name": "TrackNotFound",
             "statusCode": 404}
_PUNCT = re.compile(r"[`~!@#$%^&*()_|+\-=?;:\",.<>{}\[\]\\/]")
_APOS = re.compile(r"['’]")


def prepare(text):
    """LRCLib's prepare_input(): the form names are compared in."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _APOS.sub("", _PUNCT.sub(" ", text))
    return " ".join(text.split())


def _phrase_in(phrase, text):
    """The words of phrase appear consecutively among the words of text."""
    p, t = phrase.split(), text.split()
    return bool(p) and any(t[i:i + len(p)] == p for i in range(len(t) - len(p) + 1))


def validation_error(message):
    return Answer.json({"message": message, "name": "ValidationError", "statusCode": 400},
                       400)


def rejection(message):
    return Answer(400, f"Failed to deserialize query string: {message}".encode(), TEXT_TYPE)


class LrcLib:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        tracks = json.loads((self.root / "tracks.json").read_text(encoding="utf-8"))
        self.tracks = sorted(tracks, key=lambda t: t["id"])
        ids = [t["id"] for t in self.tracks]
        if len(set(ids)) != len(ids):
            raise ValueError("fixtures/lrclib/tracks.json: duplicate ids")
        self.keys = {t["id"]: (prepare(t["trackName"]), prepare(t["artistName"]),
                               prepare(t["albumName"])) for t in self.tracks}

    @staticmethod
    def answer(track):
        """A track as LRCLib serializes it (id, name, trackName, ...)."""
        out = {"id": track["id"], "name": track["trackName"]}
        out.update((k, v) for k, v in track.items() if k != "id")
        return out

    def handle(self, req, path):
        if req.method not in ("GET", "HEAD"):
            return Answer(405, b"", TEXT_TYPE)
        if path in ("/api/get", "/api/get-cached"):
            return self.get(req)
        if path.startswith("/api/get/"):
            return self.by_id(path[len("/api/get/"):])
        if path == "/api/search":
            return self.search(req)
        return Answer(404, b"", TEXT_TYPE)

    def get(self, req):
        for field in ("track_name", "artist_name"):
            if req.arg(field) is None:
                return rejection(f"missing field `{field}`")
        for field in ("track_name", "artist_name"):
            if req.arg(field) == "":
                return validation_error(f"{field}: cannot be empty")
        duration = req.arg("duration")
        if duration is not None:
            try:
                duration = float(duration)
            except ValueError:
                return rejection("duration: invalid float literal")
            if not 1.0 <= duration <= 3600.0:
                return validation_error("duration: must be between 1 and 3600")
        name, artist = prepare(req.arg("track_name")), prepare(req.arg("artist_name"))
        album = prepare(req.arg("album_name") or "")
        if not name or not artist:
            return Answer.json(NOT_FOUND, 404)
        for t in self.tracks:
            t_name, t_artist, t_album = self.keys[t["id"]]
            if (t_name, t_artist) != (name, artist) or (album and t_album != album):
                continue
            if duration is not None and not duration - 2.0 <= t["duration"] <= duration + 2.0:
                continue
            return Answer.json(self.answer(t))
        return Answer.json(NOT_FOUND, 404)

    def by_id(self, text):
        if not re.fullmatch(r"-?\d+", text):
            return Answer(400, f"Invalid URL: Cannot parse `{text}` to a `i64`".encode(),
                          TEXT_TYPE)
        for t in self.tracks:
            if t["id"] == int(text):
                return Answer.json(self.answer(t))
        return Answer.json(NOT_FOUND, 404)

    def search(self, req):
        q = prepare(req.arg("q") or "")
        name = prepare(req.arg("track_name") or "")
        artist = prepare(req.arg("artist_name") or "")
        album = prepare(req.arg("album_name") or "")
        found = []
        for t in self.tracks:
            t_name, t_artist, t_album = self.keys[t["id"]]
            if q:
                words = set(f"{t_name} {t_artist} {t_album}".split())
                ok = all(w in words for w in q.split())
            elif name:
                ok = (_phrase_in(name, t_name)
                      and all(w in t_artist.split() for w in artist.split())
                      and (not album or _phrase_in(album, t_album)))
            else:
                ok = False
            if ok:
                found.append(self.answer(t))
            if len(found) == SEARCH_LIMIT:
                break
        return Answer.json(found)


def make(fixtures_dir):
    return LrcLib(pathlib.Path(fixtures_dir) / "lrclib")
