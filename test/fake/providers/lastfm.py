"""Fake Last.fm web services 2.0 (https://ws.audioscrobbler.com/2.0/) for medley's
integration tests.

medley's providers.lastfm.base_url: http://127.0.0.1:<port>/lastfm/2.0 (the real root is
https://ws.audioscrobbler.com/2.0; medley appends "/?method=...").

Serves the catalogue in fixtures/lastfm (see its CATALOGUE.md): one file per answer, in
Last.fm's JSON, under a folder named after the method (artist.getinfo/bob-dylan.json).
A file "<slug>.<lang>.json" is the answer for lang=<lang>; the plain one is English.
Entities are found by mbid= or by their names (artist=, album=, track=), compared
without regard to case, as Last.fm does. The artists are the fake MusicBrainz ones (Bob
Dylan, Nirvana, Leonard Cohen, The Band, with their MBIDs); the albums carry the MBIDs of
MusicBrainz releases and the tracks those of recordings.

| GET /2.0/?method=... | answer |
|---|---|
| artist.getinfo (mbid or artist; lang) | the artist; for a lang without a file, the English answer with an empty bio (content "", summary only the Read-more link), as Last.fm does |
| artist.getsimilar (mbid or artist; limit) | similar artists, at most limit |
| artist.gettoptracks (mbid or artist; limit) | top tracks, at most limit, @attr page/perPage/total |
| album.getinfo (mbid or artist+album; lang) | the album; without a wiki for a lang it has no file for |
| track.getinfo (mbid or artist+track) | the track |
| track.getsimilar (mbid or artist+track; limit) | similar tracks |

Errors, as Last.fm sends them ({"error": n, "message": ..., "links": []} bodies):
- api_key missing or not VALID_KEY: 403, error 10 "Invalid API key - You must be granted a
  valid key by last.fm" (checked first, as Last.fm does);
- method missing or unknown: 400, error 3 "Invalid Method - No method with that name in
  this package";
- the artist, album or track unknown, or named by nothing: 400 (Last.fm's status for
  "no such entity"), error 6 "The artist you supplied could not be found" / "Album not
  found" / "Track not found";
- methods other than GET and HEAD: 405, error 3; paths other than /2.0 and /2.0/: 404.

Not done like Last.fm: format= is ignored (always JSON, never XML), autocorrect= is
implied (names match whatever their case), there is no rate limit (inject error 29 with
a "body" fault), and no user, chart, tag, geo, library or scrobbling method exists.
"""
import json
import pathlib
import re

try:
    from fake_provider import Answer
except ImportError:  # loaded by file path from somewhere else
    import sys
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from fake_provider import Answer

PREFIX = "/lastfm"

VALID_KEY = "test-lastfm-key"
NOT_FOUND_STATUS = 400

INVALID_KEY = {"message": "Invalid API key - You must be granted a valid key by last.fm",
               "error": 10}
INVALID_METHOD = {"error": 3, "message": "Invalid Method - No method with that name in this "
                                         "package", "links": []}
NOT_FOUND = {"artist": "The artist you supplied could not be found",
             "album": "Album not found", "track": "Track not found"}

# method -> (folder, entity it names, answer's list member and item key for limit=)
METHODS = {
    "artist.getinfo": ("artist.getinfo", "artist", None),
    "artist.getsimilar": ("artist.getsimilar", "artist", ("similarartists", "artist")),
    "artist.gettoptracks": ("artist.gettoptracks", "artist", ("toptracks", "track")),
    "album.getinfo": ("album.getinfo", "album", None),
    "track.getinfo": ("track.getinfo", "track", None),
    "track.getsimilar": ("track.getsimilar", "track", ("similartracks", "track")),
}
# List answers are named like their getinfo answer (same slug); MBIDs are looked up there.
INFO_OF = {"artist.getsimilar": "artist.getinfo", "artist.gettoptracks": "artist.getinfo",
           "track.getsimilar": "track.getinfo"}
LANG_FILE = re.compile(r"^(?P<slug>.+?)\.(?P<lang>[a-z]{2})$")


def make(fixtures_dir):
    return LastFm(pathlib.Path(fixtures_dir) / "lastfm")


def _key(*names):
    return tuple((n or "").strip().casefold() for n in names)


def _error(code, message, status):
    return Answer.json({"error": code, "message": message, "links": []}, status)


def _as_list(v):
    return v if isinstance(v, list) else [v] if isinstance(v, dict) else []


class LastFm:
    """Last.fm answers served from <root>/<method>/<slug>[.<lang>].json."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.answers = {}  # (folder, slug) -> {lang: answer}
        self.by_key = {}   # (folder, names key or mbid) -> slug
        for folder, entity, _ in METHODS.values():
            for f in sorted((self.root / folder).glob("*.json")):
                m = LANG_FILE.match(f.stem)
                slug, lang = (m["slug"], m["lang"]) if m else (f.stem, "en")
                doc = json.loads(f.read_text(encoding="utf-8"))
                self.answers.setdefault((folder, slug), {})[lang] = doc
                for key in self._keys(folder, entity, doc):
                    self.by_key[(folder, key)] = slug

    @staticmethod
    def _keys(folder, entity, doc):
        """What names an answer: its names (lowercased) and its MBID."""
        body = next(iter(doc.values()))
        if folder in ("artist.getsimilar", "artist.gettoptracks"):
            return [_key(body["@attr"]["artist"])]
        if folder == "track.getsimilar":
            return [_key(body["@attr"]["artist"], body["@attr"]["track"])]
        artist = body["artist"]["name"] if isinstance(body.get("artist"), dict) else body.get(
            "artist")
        keys = [_key(body["name"]) if entity == "artist" else _key(artist, body["name"])]
        if body.get("mbid"):
            keys.append(body["mbid"].lower())
        return keys

    # -- dispatch --
    def handle(self, req, path):
        if path not in ("/2.0", "/2.0/"):
            return Answer(404, b"<html><body>Not Found</body></html>",
                          "text/html; charset=utf-8")
        if req.arg("api_key") != VALID_KEY:
            return Answer.json(INVALID_KEY, 403)
        if req.method not in ("GET", "HEAD"):
            return Answer.json(INVALID_METHOD, 405)
        method = (req.arg("method") or "").lower()
        if method not in METHODS:
            return Answer.json(INVALID_METHOD, 400)
        folder, entity, listed = METHODS[method]
        slug = self._find(req, folder, entity)
        if slug is None:
            return _error(6, NOT_FOUND[entity], NOT_FOUND_STATUS)
        doc = self._answer(folder, slug, req.arg("lang") or "en")
        if listed:
            doc = self._limit(doc, listed, req.arg("limit"))
        return Answer.json(doc)

    def _find(self, req, folder, entity):
        mbid = (req.arg("mbid") or "").lower()
        if mbid:
            # Last.fm looks up by MBID when one is given and ignores the names.
            slug = self.by_key.get((INFO_OF.get(folder, folder), mbid))
            return slug if (folder, slug) in self.answers else None
        artist = req.arg("artist")
        if not artist:
            return None
        if entity == "artist":
            return self.by_key.get((folder, _key(artist)))
        title = req.arg(entity)
        return self.by_key.get((folder, _key(artist, title))) if title else None

    def _answer(self, folder, slug, lang):
        langs = self.answers[(folder, slug)]
        if lang in langs:
            return langs[lang]
        doc = json.loads(json.dumps(langs["en"]))
        if folder == "artist.getinfo":
            artist = doc["artist"]
            page = artist["url"].replace("/music/", "/music/+noredirect/", 1)
            artist["bio"] = {"links": {"link": {"#text": "", "rel": "original",
                                                "href": page.replace("www.", "") + "/+wiki"}},
                             "published": "01 Jan 1970, 00:00",
                             "summary": f' <a href="{page}">Read more on Last.fm</a>',
                             "content": ""}
        elif folder == "album.getinfo":
            doc["album"].pop("wiki", None)
        return doc

    @staticmethod
    def _limit(doc, listed, limit):
        member, item = listed
        try:
            n = int(limit)
        except (TypeError, ValueError):
            return doc
        if n < 1:
            return doc
        doc = json.loads(json.dumps(doc))
        body = doc[member]
        items = _as_list(body.get(item))[:n]
        body[item] = items[0] if len(items) == 1 else items
        attr = body.get("@attr", {})
        if "perPage" in attr:
            attr["perPage"] = str(n)
            attr["totalPages"] = str(max(1, -(-int(attr["total"]) // n)))
        return doc
