"""Fake Discogs API (https://api.discogs.com) for medley's integration tests.

medley's providers.discogs.base_url: http://127.0.0.1:<port>/discogs (the real API has no
path prefix, so every Discogs path follows PREFIX directly).

Serves the catalogue in fixtures/discogs (see its CATALOGUE.md): artists, releases and
masters that match the fake MusicBrainz catalogue (the ids are those of MusicBrainz's
url relations to discogs.com), in the database API v2.0's JSON.

| request | answer |
|---|---|
| GET /artists/<id> | the artist; 404 {"message": "Artist not found."} |
| GET /releases/<id> | the release; 404 {"message": "Release not found."} |
| GET /masters/<id> | the master; 404 {"message": "Master Release not found."} |
| GET /database/search?q=&type=&barcode=&per_page=&page= | search; needs a token |
| anything else | 404 {"message": "The requested resource was not found."} |

Authentication as Discogs does it: a personal access token in
"Authorization: Discogs token=<token>" (or a token= query parameter). VALID_TOKEN is the
only token known; another one answers 401 {"message": "Invalid consumer token. Please
register an app before making API requests."}. Without a token, lookups answer but every
image URL (uri, uri150, resource_url, thumb) is "", as Discogs does for anonymous
requests, and search answers 401 {"message": "You must authenticate to access this
resource."}. Methods other than GET and HEAD answer 405.

Every answer carries X-Discogs-Ratelimit (25 anonymous, 60 with a token),
X-Discogs-Ratelimit-Used and X-Discogs-Ratelimit-Remaining, counted over a sliding 60 s
window like Discogs' moving average. The window is reported, not enforced, unless the
handler's `enforce` is set: then a request past the limit answers 429 {"message": "You
are making requests too quickly."} (faults can inject 429 too).

Search: q's words must all appear (case and accents ignored) in an item's title ("Artist -
Title" for releases and masters, the name for artists); type= (artist, release, master)
filters, barcode= matches a release's barcode digits; without type every kind is listed,
artists first, then masters, then releases. Items carry Discogs' search fields (id, type,
title, uri relative to www.discogs.com, resource_url, thumb, cover_image, year, genre,
style, barcode, master_id, ...). per_page defaults to 50 (max 100); pagination is
{"page", "pages", "per_page", "items", "urls"} with next/last links.

Not done like Discogs: no labels, versions, user, collection or marketplace endpoints; no
OAuth 1.0a; key= and secret= parameters are ignored.
"""
import collections
import json
import pathlib
import re
import threading
import time
import unicodedata
import urllib.parse

try:
    from fake_provider import Answer
except ImportError:  # loaded by file path from somewhere else
    import sys
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from fake_provider import Answer

PREFIX = "/discogs"

VALID_TOKEN = "test-discogs-token"
RATE_ANON, RATE_AUTH, WINDOW_S = 25, 60, 60.0

NOT_FOUND = {"artists": {"message": "Artist not found."},
             "releases": {"message": "Release not found."},
             "masters": {"message": "Master Release not found."}}
NO_RESOURCE = {"message": "The requested resource was not found."}
MUST_AUTH = {"message": "You must authenticate to access this resource."}
BAD_TOKEN = {"message": "Invalid consumer token. Please register an app before making API "
                        "requests."}
TOO_QUICK = {"message": "You are making requests too quickly."}
NOT_ALLOWED = {"message": "Method not allowed."}

ID_RE = re.compile(r"^[1-9][0-9]{0,18}$")
SEARCH_TYPES = ("artist", "master", "release")
WEB = "https://www.discogs.com"


def make(fixtures_dir):
    return Discogs(pathlib.Path(fixtures_dir) / "discogs")


def _words(text):
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text)


def _digits(text):
    return "".join(c for c in str(text or "") if c.isdigit())


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _blank_images(doc):
    """The anonymous view of a document: image URLs emptied, as Discogs sends them."""
    doc = json.loads(json.dumps(doc))
    for img in doc.get("images", []):
        for key in ("uri", "uri150", "resource_url"):
            if key in img:
                img[key] = ""
    if "thumb" in doc:
        doc["thumb"] = ""
    return doc


class Discogs:
    """Discogs' database API served from <root>/{artists,releases,masters}/<id>.json."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.docs = {kind: self._load(kind) for kind in ("artists", "releases", "masters")}
        self.enforce = False
        self._lock = threading.Lock()
        self._recent = collections.deque()  # monotonic times of recent requests

    def _load(self, kind):
        docs = {}
        for f in sorted((self.root / kind).glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            if str(doc.get("id")) != f.stem:
                raise ValueError(f"fixture '{f}': id {doc.get('id')} is not the file name")
            docs[doc["id"]] = doc
        return docs

    # -- authentication and rate limit --
    @staticmethod
    def _token(req):
        auth = req.header("Authorization") or ""
        m = re.match(r"^Discogs\s+token=(\S+)$", auth.strip())
        if m:
            return m.group(1)
        return req.arg("token")

    def _window(self, limit):
        now = time.monotonic()
        with self._lock:
            while self._recent and now - self._recent[0] > WINDOW_S:
                self._recent.popleft()
            self._recent.append(now)
            used = len(self._recent)
        return {"X-Discogs-Ratelimit": str(limit), "X-Discogs-Ratelimit-Used": str(used),
                "X-Discogs-Ratelimit-Remaining": str(max(0, limit - used))}, used > limit

    @staticmethod
    def _answer(obj, status, headers):
        return Answer.json(obj, status, headers=headers)

    # -- dispatch --
    def handle(self, req, path):
        token = self._token(req)
        authed = token == VALID_TOKEN
        headers, over = self._window(RATE_AUTH if authed else RATE_ANON)
        if req.method not in ("GET", "HEAD"):
            return self._answer(NOT_ALLOWED, 405, headers)
        if token is not None and not authed:
            return self._answer(BAD_TOKEN, 401, headers)
        if over and self.enforce:
            return self._answer(TOO_QUICK, 429, headers)
        parts = [p for p in path.split("/") if p]
        if parts == ["database", "search"]:
            if not authed:
                return self._answer(MUST_AUTH, 401, headers)
            return self._answer(self.search(req), 200, headers)
        if len(parts) == 2 and parts[0] in self.docs:
            if not ID_RE.match(parts[1]):
                return self._answer(NO_RESOURCE, 404, headers)
            doc = self.docs[parts[0]].get(int(parts[1]))
            if doc is None:
                return self._answer(NOT_FOUND[parts[0]], 404, headers)
            return self._answer(doc if authed else _blank_images(doc), 200, headers)
        return self._answer(NO_RESOURCE, 404, headers)

    # -- search --
    @staticmethod
    def _barcodes(doc):
        return [i["value"] for i in doc.get("identifiers", []) if i.get("type") == "Barcode"]

    def _item(self, kind, doc):
        def image(key):
            imgs = doc.get("images") or []
            return imgs[0].get(key, "") if imgs else ""

        if kind == "artist":
            title = doc["name"]
            item = {"id": doc["id"], "type": "artist", "master_id": None, "master_url": None,
                    "uri": doc["uri"][len(WEB):], "title": title}
        else:
            artist = doc["artists"][0]["name"]
            title = f"{artist} - {doc['title']}"
            item = {"country": doc.get("country", ""), "year": str(doc.get("year", "")),
                    "format": [f["name"] for f in doc.get("formats", [])],
                    "label": [lab["name"] for lab in doc.get("labels", [])],
                    "type": kind, "genre": doc.get("genres", []),
                    "style": doc.get("styles", []), "id": doc["id"],
                    "barcode": self._barcodes(doc),
                    "master_id": doc.get("master_id", doc["id"] if kind == "master" else 0),
                    "uri": doc["uri"][len(WEB):], "catno": "", "title": title,
                    "community": {"want": doc.get("community", {}).get("want", 0),
                                  "have": doc.get("community", {}).get("have", 0)}}
        item.update({"thumb": image("uri150"), "cover_image": image("uri") or
                     "https://st.discogs.com/images/spacer.gif",
                     "resource_url": doc["resource_url"],
                     "user_data": {"in_wantlist": False, "in_collection": False}})
        return title, item

    def search(self, req):
        words = _words(req.arg("q"))
        kind = req.arg("type")
        barcode = _digits(req.arg("barcode"))
        found = []
        for k, folder in zip(SEARCH_TYPES, ("artists", "masters", "releases")):
            if kind and kind != k:
                continue
            for doc in sorted(self.docs[folder].values(), key=lambda d: d["id"]):
                title, item = self._item(k, doc)
                have = set(_words(title))
                if any(w not in have for w in words):
                    continue
                if barcode and (k != "release" or
                                barcode not in [_digits(b) for b in self._barcodes(doc)]):
                    continue
                found.append(item)
        per_page = _int(req.arg("per_page"), 50)
        per_page = 50 if per_page < 1 else min(per_page, 100)
        pages = max(1, -(-len(found) // per_page))
        page = min(max(1, _int(req.arg("page"), 1)), pages)
        urls = {}
        if page < pages:
            base = dict(urllib.parse.parse_qsl(req.query_string))
            host = req.header("Host") or "127.0.0.1"
            for name, n in (("last", pages), ("next", page + 1)):
                base["page"] = str(n)
                urls[name] = (f"http://{host}{PREFIX}/database/search?"
                              f"{urllib.parse.urlencode(base)}")
        return {"pagination": {"page": page, "pages": pages, "per_page": per_page,
                               "items": len(found), "urls": urls},
                "results": found[(page - 1) * per_page:page * per_page]}
