"""Fake Deezer API (https://api.deezer.com) for medley's integration tests.

medley's providers.deezer.base_url: http://127.0.0.1:<port>/deezer (the real API has no
path prefix, so every Deezer path follows PREFIX directly).

Serves the catalogue in fixtures/deezer (see its CATALOGUE.md) in Deezer's JSON, with
Deezer's habits: bodies are minified with escaped slashes ("https:\\/\\/...") and
non-ASCII as \\uXXXX, and every error is an envelope sent with HTTP 200.

| request | answer |
|---|---|
| GET /artist/<id> | the artist |
| GET /artist/<id>/top[?index=&limit=] | its tracks by rank, best first (limit 5 by default) |
| GET /artist/<id>/related[?index=&limit=] | related artists (fixtures/deezer/related.json) |
| GET /artist/<id>/albums[?index=&limit=] | its albums |
| GET /album/<id>, /album/upc:<upc> | the album with its tracklist (tracks.data) |
| GET /album/<id>/tracks[?index=&limit=] | its tracks, with isrc, track_position, disk_number |
| GET /track/<id>, /track/isrc:<isrc> | the track |
| GET /search[/track], /search/artist, /search/album ?q=[&index=&limit=] | naive search |
| GET /user/me[?access_token=] | OAuthException 200 without a token, 300 with an unknown one, a user with VALID_TOKEN |

Lists are {"data": [...], "total": n, "next": url (when more), "prev": url (after the
first page)}; limit defaults to 25 (5 for top) and is capped at 100; next/prev use the
request's Host header. Unknown or malformed ids (and unknown paths) answer DATA_NOT_FOUND;
a search without q answers MISSING_Q; any method but GET/HEAD answers NO_TOKEN.

Search understands Deezer's advanced syntax: artist:"...", album:"...", track:"...",
label:"...", dur_min:<s>, dur_max:<s> (quotes optional for one word); other words must
all appear in the item's text (artist name; album title and artist; track title, artist
and album). Matching ignores case, accents and apostrophe style; every word of a field
must appear in that field, a bare word may be the start of a word. Results are ordered by
popularity (nb_fan, fans, rank), then id.

Not done like Deezer: no quota (inject QUOTA_EXCEEDED with a "body" fault), strict=,
order= and output= are ignored, and no other path (charts, genres, editorial, playlists,
radio, user data) exists.
"""
import json
import pathlib
import re
import unicodedata
import urllib.parse

try:
    from fake_provider import Answer
except ImportError:  # loaded by file path from somewhere else
    import sys
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from fake_provider import Answer

PREFIX = "/deezer"

DATA_NOT_FOUND = {"error": {"type": "DataException", "message": "no data", "code": 800}}
QUOTA_EXCEEDED = {"error": {"type": "Exception", "message": "Quota limit exceeded", "code": 4}}
MISSING_Q = {"error": {"type": "MissingParameterException",
                       "message": "Missing parameters: q", "code": 501}}
NO_TOKEN = {"error": {"type": "OAuthException",
                      "message": "An active access token must be used to query information "
                                 "about the current user", "code": 200}}
BAD_TOKEN = {"error": {"type": "OAuthException", "message": "Invalid OAuth access token.",
                       "code": 300}}
VALID_TOKEN = "fake-deezer-access-token"

ISRC_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$")
UPC_RE = re.compile(r"^[0-9]{8,14}$")
ID_RE = re.compile(r"^[1-9][0-9]{0,15}$")


def make(fixtures_dir):
    return Deezer(pathlib.Path(fixtures_dir) / "deezer")


def deezer_json(obj, status=200):
    """An Answer with Deezer's encoding: ASCII-only, slashes escaped."""
    text = json.dumps(obj, separators=(",", ":")).replace("/", "\\/")
    return Answer(status, text.encode("ascii"))


def _words(text):
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "").replace("'", "")
    return re.findall(r"\w+", text)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _without(d, *keys):
    return {k: v for k, v in d.items() if k not in keys}


class Deezer:
    """Deezer's public API served from <root>/{artist,album,track}/<id>.json and
    <root>/related.json (artist id -> related artist ids)."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.artists = self._load("artist")
        self.albums = self._load("album")
        self.tracks = self._load("track")
        self.related = {}
        path = self.root / "related.json"
        if path.exists():
            self.related = {int(k): v for k, v in
                            json.loads(path.read_text(encoding="utf-8")).items()}
        self.by_upc = {a["upc"]: a for a in self.albums.values() if a.get("upc")}
        self.by_isrc = {}
        for t in sorted(self.tracks.values(), key=lambda t: t["id"]):
            self.by_isrc.setdefault(t["isrc"], t)

    def _load(self, kind):
        docs = {}
        for f in sorted((self.root / kind).glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            if str(doc.get("id")) != f.stem:
                raise ValueError(f"fixture '{f}': id {doc.get('id')} is not the file name")
            docs[doc["id"]] = doc
        return docs

    # -- dispatch --
    def handle(self, req, path):
        if req.method not in ("GET", "HEAD"):
            return deezer_json(NO_TOKEN)
        parts = [p for p in path.split("/") if p]
        if not parts:
            return deezer_json(DATA_NOT_FOUND)
        head, rest = parts[0], parts[1:]
        if head == "search":
            return self.search(req, path, rest)
        if head == "user":
            return self.user(req)
        if head == "artist" and rest:
            return self.artist(req, path, rest)
        if head == "album" and rest:
            return self.album(req, path, rest)
        if head == "track" and len(rest) == 1:
            track = self._find(rest[0], self.tracks, "isrc:", ISRC_RE, self.by_isrc)
            return deezer_json(track if track else DATA_NOT_FOUND)
        return deezer_json(DATA_NOT_FOUND)

    @staticmethod
    def _find(key, docs, prefix, code_re, by_code):
        if key.startswith(prefix):
            code = key[len(prefix):]
            return by_code.get(code) if code_re.match(code) else None
        return docs.get(int(key)) if ID_RE.match(key) else None

    def artist(self, req, path, rest):
        artist = self.artists.get(int(rest[0])) if ID_RE.match(rest[0]) else None
        if artist is None or len(rest) > 2:
            return deezer_json(DATA_NOT_FOUND)
        if len(rest) == 1:
            return deezer_json(artist)
        aid = artist["id"]
        if rest[1] == "top":
            tracks = sorted((t for t in self.tracks.values() if t["artist"]["id"] == aid),
                            key=lambda t: (-t["rank"], t["id"]))
            return self.page(req, path, [self._top_item(t) for t in tracks], 5)
        if rest[1] == "related":
            items = [_without(self.artists[i], "share") for i in self.related.get(aid, [])]
            return self.page(req, path, items, 25)
        if rest[1] == "albums":
            albums = [a for a in self.albums.values() if a["artist"]["id"] == aid]
            return self.page(req, path, [self._artist_album(a) for a in albums], 25)
        return deezer_json(DATA_NOT_FOUND)

    def album(self, req, path, rest):
        album = self._find(rest[0], self.albums, "upc:", UPC_RE, self.by_upc)
        if album is None or len(rest) > 2 or (len(rest) == 2 and rest[1] != "tracks"):
            return deezer_json(DATA_NOT_FOUND)
        if len(rest) == 1:
            return deezer_json(album)
        tracks = sorted((t for t in self.tracks.values() if t["album"]["id"] == album["id"]),
                        key=lambda t: (t["disk_number"], t["track_position"]))
        return self.page(req, path, [self._album_track(t) for t in tracks], 25)

    def user(self, req):
        token = req.arg("access_token")
        if not token:
            return deezer_json(NO_TOKEN)
        if token != VALID_TOKEN:
            return deezer_json(BAD_TOKEN)
        return deezer_json({"id": 5000001, "name": "medley-test", "country": "FR",
                            "link": "https://www.deezer.com/profile/5000001",
                            "tracklist": "https://api.deezer.com/user/5000001/flow",
                            "type": "user"})

    # -- lists --
    def page(self, req, path, items, default_limit):
        index = max(0, _int(req.arg("index"), 0))
        limit = _int(req.arg("limit"), default_limit)
        limit = default_limit if limit < 1 else min(limit, 100)
        out = {"data": items[index:index + limit], "total": len(items)}
        if index > 0:
            out["prev"] = self._link(req, path, max(0, index - limit))
        if index + limit < len(items):
            out["next"] = self._link(req, path, index + limit)
        return deezer_json(out)

    @staticmethod
    def _link(req, path, index):
        query = [(k, v) for k, vs in req.query.items() for v in vs if k != "index"]
        query.append(("index", str(index)))
        host = req.header("Host", "127.0.0.1")
        return f"http://{host}{PREFIX}{path}?{urllib.parse.urlencode(query)}"

    @staticmethod
    def _short_artist(a):
        return {k: a[k] for k in ("id", "name", "tracklist", "type")}

    def _top_item(self, t):
        item = _without(t, "isrc", "share", "track_position", "disk_number", "release_date",
                        "bpm", "gain", "available_countries", "track_token")
        item["artist"] = self._short_artist(t["artist"])
        item["album"] = _without(t["album"], "link", "release_date")
        return item

    def _album_track(self, t):
        item = _without(t, "share", "release_date", "bpm", "gain", "available_countries",
                        "contributors", "track_token", "album")
        item["artist"] = self._short_artist(t["artist"])
        return item

    @staticmethod
    def _artist_album(a):
        keys = ("id", "title", "link", "cover", "cover_small", "cover_medium", "cover_big",
                "cover_xl", "md5_image", "genre_id", "fans", "release_date", "record_type",
                "tracklist", "explicit_lyrics")
        return dict({k: a[k] for k in keys}, type="album")

    def _search_artist(self, a):
        return {k: v for k, v in a.items() if k != "share"}

    def _search_album(self, a):
        keys = ("id", "title", "link", "cover", "cover_small", "cover_medium", "cover_big",
                "cover_xl", "md5_image", "genre_id", "nb_tracks", "record_type", "tracklist",
                "explicit_lyrics")
        item = {k: a[k] for k in keys}
        item["artist"] = _without(self.artists[a["artist"]["id"]], "share", "nb_album",
                                  "nb_fan", "radio")
        item["type"] = "album"
        return item

    def _search_track(self, t):
        item = self._top_item(t)
        del item["contributors"]
        item["artist"] = _without(self.artists[t["artist"]["id"]], "share", "nb_album",
                                  "nb_fan", "radio")
        return item

    # -- search --
    FIELD_RE = re.compile(r'(?:(\w+):)?(?:"([^"]*)"|(\S+))')

    @classmethod
    def parse_q(cls, q):
        """Deezer's advanced syntax -> ({field: value}, [bare words])."""
        fields, bare = {}, []
        for m in cls.FIELD_RE.finditer(q):
            field, quoted, word = m.group(1), m.group(2), m.group(3)
            value = quoted if quoted is not None else word
            if field:
                fields[field.lower()] = value
            else:
                bare += _words(value)
        return fields, bare

    SEARCH = {
        # kind: (documents, {field: function(doc) -> text}, text of bare words, popularity)
        "artist": ("artists", {"artist": lambda d: d["name"]}, lambda d: d["name"],
                   lambda d: d["nb_fan"]),
        "album": ("albums", {"album": lambda d: d["title"], "artist": lambda d: d["artist"]["name"],
                             "label": lambda d: d["label"]},
                  lambda d: f'{d["title"]} {d["artist"]["name"]}', lambda d: d["fans"]),
        "track": ("tracks", {"track": lambda d: d["title"], "artist": lambda d: d["artist"]["name"],
                             "album": lambda d: d["album"]["title"]},
                  lambda d: f'{d["title"]} {d["artist"]["name"]} {d["album"]["title"]}',
                  lambda d: d["rank"]),
    }

    def _matches(self, kind, doc, fields, bare):
        docs, texts, text_of, _ = self.SEARCH[kind]
        for field, value in fields.items():
            if field in ("dur_min", "dur_max"):
                if kind != "track":
                    continue
                limit = _int(value, None)
                if limit is None:
                    return False
                if (doc["duration"] < limit) if field == "dur_min" else (doc["duration"] > limit):
                    return False
                continue
            if field not in texts:
                return False
            have = _words(texts[field](doc))
            if not all(w in have for w in _words(value)):
                return False
        have = _words(text_of(doc))
        return all(any(h.startswith(w) for h in have) for w in bare)

    def search(self, req, path, rest):
        kind = rest[0] if rest else "track"
        if kind not in self.SEARCH or len(rest) > 1:
            return deezer_json(DATA_NOT_FOUND)
        q = req.arg("q", "")
        if not q.strip():
            return deezer_json(MISSING_Q)
        fields, bare = self.parse_q(q)
        docs, _, _, popularity = self.SEARCH[kind]
        hits = [d for d in getattr(self, docs).values() if self._matches(kind, d, fields, bare)]
        hits.sort(key=lambda d: (-popularity(d), d["id"]))
        build = {"artist": self._search_artist, "album": self._search_album,
                 "track": self._search_track}[kind]
        return self.page(req, path, [build(d) for d in hits], 25)
