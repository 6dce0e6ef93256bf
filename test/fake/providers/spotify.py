"""Fake Spotify: the Web API (v1) and the accounts service's token endpoint.

medley's settings for this fake (the fake's port is `fake.port`):

    base_url   http://127.0.0.1:<port>/spotify/v1          (real: https://api.spotify.com/v1)
    token_url  http://127.0.0.1:<port>/spotify/api/token   (real: https://accounts.spotify.com/api/token)
    client id / secret   "test-spotify-id" / "test-spotify-secret"

Served, from the catalogue in fixtures/spotify/ (CATALOGUE.md lists every id):

| request | answer |
|---|---|
| `POST /spotify/api/token` with `Authorization: Basic base64(id:secret)` (or `client_id` and `client_secret` in the form), form body `grant_type=client_credentials` | 200 `{"access_token", "token_type": "Bearer", "expires_in"}`; a new token each time, valid for `expires_in` seconds (`handler.expires_in`, default 3600; 0 gives tokens that are already expired) |
| wrong or missing credentials | 400 `{"error": "invalid_client", "error_description": "Invalid client"}` |
| grant_type missing / other | 400 `{"error": "unsupported_grant_type", "error_description": ...}` |
| `GET /spotify/v1/artists/{id}` | the artist |
| `GET /spotify/v1/artists/{id}/top-tracks?market=CC` | `{"tracks": [...]}`: the artist's tracks by popularity, at most 10, playable in CC |
| `GET /spotify/v1/albums/{id}` | the album with its tracks |
| `GET /spotify/v1/tracks/{id}` | the track |
| `GET /spotify/v1/search?q=..&type=artist,album,track&limit=N&offset=M` | `{"artists": paging, "albums": ..., "tracks": ...}` |

Every /v1 request needs `Authorization: Bearer <a token this fake issued>`: none gives 401
`{"error": {"status": 401, "message": "No token provided"}}`, an unknown one "Invalid
access token", an expired one "The access token expired" (each with Spotify's
`WWW-Authenticate` header). A malformed id is 400 `{"error": {"status": 400, "message":
"invalid id"}}`, an unknown one 404 "non existing id", any other path 404 "Service not
found", any other method 405. Search errors are 400 with Spotify's messages ("No search
query", "Missing parameter type", "Bad search type field x", "Invalid limit", "Invalid
offset").

Search is naive, in the spirit of Spotify's: the query is free words and field filters
(`artist:`, `album:`, `track:`, `year:` (1991 or 1990-1995), `genre:`, `isrc:`, `upc:`),
values quoted or not. Free words must all appear in the item's name, credited artists or
album; a filter must match its field (isrc and upc exactly, upc ignoring leading zeros;
filters that do not apply to a type are ignored). Items are ordered by popularity, then
name, then id. Album search items are simplified albums, as Spotify sends them.

The handler counts the tokens it issued (`tokens_issued`), can expire every token at once
(`expire_tokens()`), and its `expires_in` may be changed by tests. Standard library only.
"""
import base64
import binascii
import json
import pathlib
import re
import secrets
import sys
import threading
import time
import unicodedata
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/spotify"
CLIENT_ID = "test-spotify-id"
CLIENT_SECRET = "test-spotify-secret"
API = "https://api.spotify.com/v1"
SEARCH_TYPES = ("album", "artist", "track")
ID_RE = re.compile(r"^[0-9A-Za-z]{22}$")
MARKET_RE = re.compile(r"^[A-Z]{2}$")
FIELDS = ("artist", "album", "track", "year", "genre", "isrc", "upc")


def api_error(status, message, headers=None):
    return Answer.json({"error": {"status": status, "message": message}}, status,
                       headers=headers)


def oauth_error(code, description):
    return Answer.json({"error": code, "error_description": description}, 400)


def _words(text):
    """Lower-case words without accents or punctuation ("Thumb’s" -> ["thumbs"])."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`]", "", text.casefold())
    return re.findall(r"\w+", text)


def _contains(haystack, needle):
    """All words of needle appear, in order and adjacent, in haystack's words."""
    h, n = _words(haystack), _words(needle)
    if not n:
        return True
    return any(h[i:i + len(n)] == n for i in range(len(h) - len(n) + 1))


def parse_query(q):
    """Spotify-style query -> (free words, [(field, value)])."""
    free, filters = [], []
    for m in re.finditer(r'(\w+):"([^"]*)"|(\w+):(\S*)|"([^"]*)"|(\S+)', q):
        field = (m.group(1) or m.group(3) or "").lower()
        value = m.group(2) if m.group(1) else m.group(4)
        if field in FIELDS:
            filters.append((field, value or ""))
        elif m.group(5) is not None:
            free.append(m.group(5))
        else:
            free.append(m.group(0))
    return free, filters


class Spotify:
    """The fake's handler: catalogue read once from <root>/{artists,albums,tracks}/<id>.json."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.artists = self._load("artists")
        self.albums = self._load("albums")
        self.tracks = self._load("tracks")
        self.expires_in = 3600
        self.tokens_issued = 0
        self._tokens = {}  # token -> monotonic expiry
        self._lock = threading.Lock()

    def _load(self, sub):
        docs = {}
        for f in sorted((self.root / sub).glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            if doc.get("id") != f.stem:
                raise ValueError(f"fixture '{f}': id '{doc.get('id')}' is not the file name")
            docs[f.stem] = doc
        return docs

    # -- tokens --
    def issue_token(self):
        token = "BQ" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.expires_in
            self.tokens_issued += 1
        return token

    def expire_tokens(self):
        """Make every token issued so far expired (they stay known: 'expired', not 'invalid')."""
        with self._lock:
            for t in self._tokens:
                self._tokens[t] = 0.0

    def _credentials(self, req, form):
        auth = req.header("Authorization") or ""
        if auth[:6].lower() == "basic ":
            try:
                pair = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None, None
            cid, _, secret = pair.partition(":")
            return cid, secret
        return form.get("client_id", [None])[0], form.get("client_secret", [None])[0]

    def token(self, req):
        if req.method != "POST":
            return Answer.json({"error": "method_not_allowed",
                                "error_description": "Use POST"}, 405)
        ctype = (req.header("Content-Type") or "").split(";")[0].strip().lower()
        form = {}
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(req.body.decode("utf-8", "replace"),
                                         keep_blank_values=True)
        grant = form.get("grant_type", [None])[0]
        if grant is None:
            return oauth_error("unsupported_grant_type", "grant_type parameter is missing")
        if grant != "client_credentials":
            return oauth_error("unsupported_grant_type", "grant_type parameter is invalid")
        cid, secret = self._credentials(req, form)
        if cid != CLIENT_ID or secret != CLIENT_SECRET:
            return oauth_error("invalid_client", "Invalid client")
        return Answer.json({"access_token": self.issue_token(), "token_type": "Bearer",
                            "expires_in": self.expires_in})

    def _auth_error(self, req):
        auth = req.header("Authorization") or ""
        if auth[:7].lower() != "bearer " or not auth[7:].strip():
            message = "No token provided"
            return api_error(401, message, {"WWW-Authenticate": 'Bearer realm="spotify"'})
        with self._lock:
            expiry = self._tokens.get(auth[7:].strip())
        if expiry is None:
            message = "Invalid access token"
        elif time.monotonic() >= expiry:
            message = "The access token expired"
        else:
            return None
        return api_error(401, message, {"WWW-Authenticate": 'Bearer realm="spotify", '
                                        f'error="invalid_token", error_description="{message}"'})

    # -- dispatch --
    def handle(self, req, path):
        if path == "/api/token":
            return self.token(req)
        if not (path == "/v1" or path.startswith("/v1/")):
            return api_error(404, "Service not found")
        if req.method not in ("GET", "HEAD"):
            return api_error(405, "Method not allowed")
        denied = self._auth_error(req)
        if denied:
            return denied
        parts = [p for p in path[len("/v1"):].split("/") if p]
        if parts == ["search"]:
            return self.search(req)
        if len(parts) == 2 and parts[0] in ("artists", "albums", "tracks"):
            return self.lookup(parts[0], parts[1])
        if len(parts) == 3 and parts[0] == "artists" and parts[2] == "top-tracks":
            return self.top_tracks(parts[1], req)
        return api_error(404, "Service not found")

    def lookup(self, kind, id_):
        if not ID_RE.match(id_):
            return api_error(400, "invalid id")
        doc = getattr(self, kind).get(id_)
        if doc is None:
            return api_error(404, "non existing id")
        return Answer.json(doc)

    def top_tracks(self, id_, req):
        if not ID_RE.match(id_):
            return api_error(400, "invalid id")
        if id_ not in self.artists:
            return api_error(404, "non existing id")
        market = req.arg("market")
        if market is None:
            return api_error(400, "Missing market parameter")
        if not MARKET_RE.match(market):
            return api_error(400, "Invalid market code")
        mine = [t for t in self.tracks.values()
                if any(a.get("id") == id_ for a in t["artists"])
                and market in t.get("available_markets", [])]
        mine.sort(key=lambda t: (-t.get("popularity", 0), t["name"], t["id"]))
        return Answer.json({"tracks": mine[:10]})

    # -- search --
    def _year_ok(self, date, value):
        m = re.match(r"^(\d{4})(?:-(\d{4}))?$", value)
        if not m or not date:
            return False
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        return lo <= int(date[:4]) <= hi

    def _matches(self, kind, item, free, filters):
        names = [a.get("name", "") for a in item.get("artists", [])]
        album = item.get("album", {}) if kind == "track" else item
        text = " ".join([item.get("name", "")] + names +
                        ([album.get("name", "")] if kind == "track" else []))
        if not all(_contains(text, w) for w in free):
            return False
        for field, value in filters:
            if field == "artist":
                ok = _contains(item["name"], value) if kind == "artist" else \
                    any(_contains(n, value) for n in names)
            elif field == "album" and kind != "artist":
                ok = _contains(album.get("name", ""), value)
            elif field == "track" and kind == "track":
                ok = _contains(item["name"], value)
            elif field == "year" and kind != "artist":
                ok = self._year_ok(album.get("release_date"), value)
            elif field == "genre" and kind == "artist":
                ok = any(_contains(g, value) for g in item.get("genres", []))
            elif field == "isrc" and kind == "track":
                ok = item.get("external_ids", {}).get("isrc", "").upper() == value.upper()
            elif field == "upc" and kind == "album":
                upc = item.get("external_ids", {}).get("upc", "")
                ok = upc.lstrip("0") == value.lstrip("0") and value.isdigit()
            else:
                ok = True  # a filter that does not apply to this type
            if not ok:
                return False
        return True

    @staticmethod
    def _search_item(kind, doc):
        if kind != "album":
            return doc
        return {k: v for k, v in doc.items()
                if k not in ("tracks", "copyrights", "external_ids", "genres", "label",
                             "popularity")}

    def search(self, req):
        q, types = req.arg("q"), req.arg("type")
        if not q:
            return api_error(400, "No search query")
        if not types:
            return api_error(400, "Missing parameter type")
        kinds = types.split(",")
        for k in kinds:
            if k not in SEARCH_TYPES:
                return api_error(400, f"Bad search type field {k}")
        try:
            limit = int(req.arg("limit", "20"))
            if not 1 <= limit <= 50:
                raise ValueError
        except ValueError:
            return api_error(400, "Invalid limit")
        try:
            offset = int(req.arg("offset", "0"))
            if not 0 <= offset <= 1000:
                raise ValueError
        except ValueError:
            return api_error(400, "Invalid offset")
        free, filters = parse_query(q)
        out = {}
        for kind in kinds:
            pool = {"artist": self.artists, "album": self.albums, "track": self.tracks}[kind]
            hits = [d for d in pool.values() if self._matches(kind, d, free, filters)]
            hits.sort(key=lambda d: (-d.get("popularity", 0), d["name"], d["id"]))
            out[kind + "s"] = self._page(kind, q, types, hits, limit, offset)
        return Answer.json(out)

    def _page(self, kind, q, types, hits, limit, offset):
        def href(off):
            query = urllib.parse.urlencode({"query": q, "type": types, "offset": off,
                                            "limit": limit})
            return f"{API}/search?{query}"

        items = [self._search_item(kind, d) for d in hits[offset:offset + limit]]
        more = offset + limit < len(hits)
        return {"href": href(offset), "items": items, "limit": limit,
                "next": href(offset + limit) if more else None, "offset": offset,
                "previous": href(max(0, offset - limit)) if offset else None,
                "total": len(hits)}


def make(fixtures_dir):
    return Spotify(pathlib.Path(fixtures_dir) / "spotify")
