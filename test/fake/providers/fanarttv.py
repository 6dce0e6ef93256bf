"""Fake fanart.tv: the music part of its API v3.

medley's settings for this fake (the fake's port is `fake.port`):

    base_url  http://127.0.0.1:<port>/fanarttv/v3   (real: https://webservice.fanart.tv/v3)
    api_key   "test-fanart-key"

Served, from the catalogue in fixtures/fanarttv/music/<artist-mbid>.json (one artist
answer per file, in fanart.tv's v3 format; CATALOGUE.md lists every id):

| request | answer |
|---|---|
| `GET /fanarttv/v3/music/{artist-mbid}?api_key=K[&client_key=C]` | the artist answer: name, mbid_id, image lists, "albums" map |
| `GET /fanarttv/v3/music/albums/{release-group-mbid}?api_key=K` | `{"name", "mbid_id", "albums": {rg: {...}}}`, the artist's answer reduced to that release group, as fanart.tv does |
| unknown (or malformed) MBID, or a release group without art | 404 `{"status": "error", "error message": "Not found"}` |
| api_key missing or not "test-fanart-key" | 401 `{"status": "error", "error message": "Invalid API key"}` |
| any other path | 404 "Not found"; any method but GET/HEAD: 405 |

The key may also come in the `api-key` header (and the personal key in `client-key`), as
fanart.tv accepts; `client_key` is accepted whatever its value (fanart.tv only uses it to
show newer images). MBIDs are matched in any case. Standard library only.
"""
import json
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/fanarttv"
API_KEY = "test-fanart-key"
MBID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def fanart_error(status, message):
    return Answer.json({"status": "error", "error message": message}, status)


class FanartTv:
    """The fake's handler: artist answers read once from <root>/music/<mbid>.json."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.artists = {}
        self.album_owner = {}  # release-group mbid -> artist mbid
        for f in sorted((self.root / "music").glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            if doc.get("mbid_id") != f.stem:
                raise ValueError(f"fixture '{f}': mbid_id '{doc.get('mbid_id')}' is not "
                                 "the file name")
            self.artists[f.stem] = doc
            for rg in doc.get("albums", {}):
                self.album_owner[rg] = f.stem

    def handle(self, req, path):
        if req.method not in ("GET", "HEAD"):
            return fanart_error(405, "Method not allowed")
        key = req.arg("api_key") or req.header("api-key")
        if key != API_KEY:
            return fanart_error(401, "Invalid API key")
        parts = [p for p in path.split("/") if p]
        if len(parts) == 3 and parts[:2] == ["v3", "music"]:
            return self.artist(parts[2].lower())
        if len(parts) == 4 and parts[:3] == ["v3", "music", "albums"]:
            return self.album(parts[3].lower())
        return fanart_error(404, "Not found")

    def artist(self, mbid):
        doc = self.artists.get(mbid) if MBID_RE.match(mbid) else None
        if doc is None:
            return fanart_error(404, "Not found")
        return Answer.json(doc)

    def album(self, rg):
        owner = self.album_owner.get(rg) if MBID_RE.match(rg) else None
        if owner is None:
            return fanart_error(404, "Not found")
        doc = self.artists[owner]
        return Answer.json({"name": doc["name"], "mbid_id": doc["mbid_id"],
                            "albums": {rg: doc["albums"][rg]}})


def make(fixtures_dir):
    return FanartTv(pathlib.Path(fixtures_dir) / "fanarttv")
