"""Fake iTunes Search API (https://itunes.apple.com) for medley's integration tests.

medley's providers.itunes.base_url: http://127.0.0.1:<port>/itunes (the real API has no
path prefix: /search and /lookup follow PREFIX directly).

Serves the catalogue in fixtures/itunes (see its CATALOGUE.md) the way Apple does: bodies
are UTF-8 JSON sent as "text/javascript; charset=utf-8" after three newlines,
{"resultCount": n, "results": [...]}, and a malformed request is HTTP 400 with
{"errorMessage": "Invalid value(s) for key(s): [<key>]", "queryParameters": {...}}. An
unknown id or UPC is no error: resultCount 0. No key, no auth.

| request | answer |
|---|---|
| GET /search?term=&media=&entity=&attribute=&limit=&country= | naive search |
| GET /lookup?id=<n>[,<n>...][&entity=][&limit=][&country=] | the items, each followed by its related items when entity= is given (an artist's albums or songs, an album's tracks) |
| GET /lookup?upc=<upc>[,...][&entity=song][&limit=][&country=] | the same, by album UPC (fixtures/itunes/upc.json) |
| anything else | 404 text/html |

Parameters, as Apple checks them:
- media: music (the catalogue), all (the default), or another Apple media type (no
  results); anything else -> 400 [mediaType].
- entity: for search musicArtist, musicTrack (songs and music videos; the default),
  album, song, musicVideo, mix (no results); for lookup also none. Anything else -> 400
  [resultEntity].
- attribute: artistTerm, albumTerm, songTerm restrict the term to that name; mixTerm,
  genreIndex, ratingIndex... are accepted and ignored; anything else -> 400 [attribute].
- country: a storefront of COUNTRIES (either case; default us), else 400 [country]. The
  answer's URLs, country and currency follow it.
- limit: 1..200 (default 50; search and the related items of a lookup), past 200 -> 200.
- term: its words (split on spaces and '+') must all start a word of the item's text
  (artist name; album and artist; track, album and artist), ignoring case and accents;
  a missing or empty term gives no results.
- id (comma-separated digits) -> 400 [id] when malformed; upc likewise; lookup with
  neither -> 400 [id].

Not done like Apple: no throttling (inject a 403 with a "status" fault), no callback
(JSONP), lang, explicit, version, amgArtistId, isbn, bundleId lookups.
"""
import json
import pathlib
import re
import unicodedata

try:
    from fake_provider import Answer
except ImportError:  # loaded by file path from somewhere else
    import sys
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from fake_provider import Answer

PREFIX = "/itunes"
CONTENT_TYPE = "text/javascript; charset=utf-8"

# storefront -> (country, currency) as results carry them
COUNTRIES = {"us": ("USA", "USD"), "gb": ("GBR", "GBP"), "de": ("DEU", "EUR"),
             "fr": ("FRA", "EUR"), "nl": ("NLD", "EUR"), "se": ("SWE", "SEK"),
             "jp": ("JPN", "JPY"), "ca": ("CAN", "CAD"), "au": ("AUS", "AUD")}
QUERY_PARAMETERS = {
    "output": "json", "callback": "A javascript function to handle your search results",
    "country": "ISO-2A country code", "limit": "The number of search results to return",
    "term": "A search string", "lang": "ISO-2A language code",
    "version": "The version of the search API to use",
    "media": "The media type to search for", "entity": "The entity type to search for",
    "attribute": "The attribute to search for in the stores",
    "explicit": "Allow explicit content"}
MEDIA = {"movie", "podcast", "music", "musicVideo", "audiobook", "shortFilm", "tvShow",
         "software", "ebook", "all"}
MUSIC_ENTITIES = {"musicArtist", "musicTrack", "album", "musicVideo", "mix", "song"}
OTHER_ENTITIES = {"movieArtist", "movie", "podcastAuthor", "podcast", "audiobookAuthor",
                  "audiobook", "shortFilmArtist", "shortFilm", "tvEpisode", "tvSeason",
                  "software", "iPadSoftware", "macSoftware", "ebook", "allArtist", "allTrack"}
ATTRIBUTES = {"artistTerm", "albumTerm", "songTerm", "mixTerm", "genreIndex", "ratingIndex",
              "composerTerm", "allArtistTerm", "allTrackTerm"}
IDS_RE = re.compile(r"^[0-9]{1,16}(,[0-9]{1,16})*$")
UPCS_RE = re.compile(r"^[0-9]{8,14}(,[0-9]{8,14})*$")
URL_KEYS = ("artistLinkUrl", "artistViewUrl", "collectionViewUrl", "trackViewUrl")


def make(fixtures_dir):
    return ITunes(pathlib.Path(fixtures_dir) / "itunes")


def apple_json(obj, status=200):
    body = b"\n\n\n" + json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
    return Answer(status, body, CONTENT_TYPE)


def invalid(key):
    return apple_json({"errorMessage": f"Invalid value(s) for key(s): [{key}]",
                       "queryParameters": QUERY_PARAMETERS}, 400)


def _words(text):
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text.replace("\u2019", "").replace("'", ""))


class ITunes:
    """The Search API served from <root>/artist/<artistId>.json (artist results),
    <root>/album/<collectionId>.json (what /lookup?id=<album>&entity=song answers: the
    collection, then its tracks) and <root>/upc.json (UPC -> collectionId)."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.artists, self.albums, self.tracks = {}, {}, {}
        self.album_tracks = {}
        for f in sorted((self.root / "artist").glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            self._check(f, doc.get("artistId"))
            self.artists[doc["artistId"]] = doc
        for f in sorted((self.root / "album").glob("*.json")):
            results = json.loads(f.read_text(encoding="utf-8"))["results"]
            album = results[0]
            self._check(f, album.get("collectionId"))
            self.albums[album["collectionId"]] = album
            self.album_tracks[album["collectionId"]] = results[1:]
            for t in results[1:]:
                self.tracks[t["trackId"]] = t
        path = self.root / "upc.json"
        self.upcs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    @staticmethod
    def _check(path, doc_id):
        if str(doc_id) != path.stem:
            raise ValueError(f"fixture '{path}': id {doc_id} is not the file name")

    # -- dispatch --
    def handle(self, req, path):
        if req.method not in ("GET", "HEAD") or path not in ("/search", "/lookup"):
            return Answer(404, b"<html><head><title>404 Not Found</title></head><body>"
                               b"<h1>Not Found</h1></body></html>", "text/html; charset=utf-8")
        country = (req.arg("country") or "us").lower()
        if country not in COUNTRIES:
            return invalid("country")
        limit = self._limit(req.arg("limit"))
        if path == "/search":
            return self.search(req, country, limit)
        return self.lookup(req, country, limit)

    @staticmethod
    def _limit(value):
        try:
            n = int(value)
        except (TypeError, ValueError):
            return 50
        return 50 if n < 1 else min(n, 200)

    def _localize(self, doc, country):
        if country == "us":
            return doc
        doc = dict(doc)
        for k in URL_KEYS:
            if k in doc:
                doc[k] = doc[k].replace("music.apple.com/us/", f"music.apple.com/{country}/")
        if "country" in doc:
            doc["country"], doc["currency"] = COUNTRIES[country]
        return doc

    def _answer(self, results, country):
        results = [self._localize(r, country) for r in results]
        return apple_json({"resultCount": len(results), "results": results})

    # -- search --
    def search(self, req, country, limit):
        media = req.arg("media", "all")
        if media not in MEDIA:
            return invalid("mediaType")
        entity = req.arg("entity")
        if entity is not None and entity not in MUSIC_ENTITIES | OTHER_ENTITIES:
            return invalid("resultEntity")
        attribute = req.arg("attribute")
        if attribute is not None and attribute not in ATTRIBUTES:
            return invalid("attribute")
        words = _words(req.arg("term", "").replace("+", " "))
        if media not in ("music", "all") or (entity and entity not in MUSIC_ENTITIES):
            return self._answer([], country)
        hits = [d for d in self._candidates(entity or "musicTrack")
                if words and self._matches(d, words, attribute)]
        return self._answer(hits[:limit], country)

    def _candidates(self, entity):
        if entity == "musicArtist":
            return list(self.artists.values())
        if entity == "album":
            return list(self.albums.values())
        kinds = {"song": ("song",), "musicTrack": ("song", "music-video"),
                 "musicVideo": ("music-video",)}.get(entity, ())
        return [t for t in self.tracks.values() if t["kind"] in kinds]

    @staticmethod
    def _matches(doc, words, attribute):
        names = {"artistTerm": ("artistName",), "albumTerm": ("collectionName",),
                 "songTerm": ("trackName",)}.get(attribute,
                                                 ("artistName", "collectionName", "trackName"))
        have = _words(" ".join(doc.get(k, "") for k in names))
        return all(any(h.startswith(w) for h in have) for w in words)

    # -- lookup --
    def lookup(self, req, country, limit):
        entity = req.arg("entity")
        if entity is not None and entity not in MUSIC_ENTITIES | OTHER_ENTITIES:
            return invalid("resultEntity")
        ids, upcs = req.arg("id"), req.arg("upc")
        if ids is not None:
            if not IDS_RE.match(ids):
                return invalid("id")
            keys = [int(i) for i in ids.split(",")]
        elif upcs is not None:
            if not UPCS_RE.match(upcs):
                return invalid("upc")
            keys = [self.upcs[u] for u in upcs.split(",") if u in self.upcs]
        else:
            return invalid("id")
        results = []
        for key in keys:
            results += self._lookup_one(key, entity, limit)
        return self._answer(results, country)

    def _lookup_one(self, key, entity, limit):
        if key in self.artists:
            related = []
            if entity == "album":
                related = [a for a in self.albums.values() if a["artistId"] == key]
            elif entity in ("song", "musicTrack"):
                related = [t for t in self.tracks.values()
                           if t["artistId"] == key and t["kind"] == "song"]
            return [self.artists[key]] + related[:limit]
        if key in self.albums:
            related = self.album_tracks[key] if entity in ("song", "musicTrack") else []
            return [self.albums[key]] + related[:limit]
        if key in self.tracks:
            return [self.tracks[key]]
        return []
