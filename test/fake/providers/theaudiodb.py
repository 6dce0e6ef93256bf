"""Fake TheAudioDB (https://www.theaudiodb.com/api/v1/json), served under /theaudiodb.

medley's providers.theaudiodb.base_url is then
http://127.0.0.1:<port>/theaudiodb/api/v1/json (the real base URL is
https://www.theaudiodb.com/api/v1/json; the API key follows it as a path segment).

Catalogue: fixtures/theaudiodb/artists.json, albums.json and tracks.json, lists of items in
TheAudioDB's v1 format (every value a string or null); see fixtures/theaudiodb/CATALOGUE.md.
Artists, albums and tracks are keyed by the MusicBrainz ids of the fake MusicBrainz
catalogue (strMusicBrainzID: artist, release-group and recording MBIDs).

Requests, answered like the real API v1:
  GET /api/v1/json/<key>/artist-mb.php?i=<artist MBID>
      200 {"artists": [artist]}, or {"artists": null} when no artist has that MBID
  GET /api/v1/json/<key>/album-mb.php?i=<release-group MBID>
      200 {"album": [album]}, or {"album": null}
  GET /api/v1/json/<key>/track-mb.php?i=<recording MBID>
      200 {"track": [track]}, or {"track": null}
  The MBID is compared without regard to case; a missing or malformed i= finds nothing
  (the null answer), as TheAudioDB does.
Auth: the key is the path segment after /json/. Accepted keys: "2" and "123" (TheAudioDB's
public test keys, old and current) and "test-tadb-key" (a stand-in for a personal key).
Any other key, a missing key, an unknown script or any other path gets what TheAudioDB's
web server answers for an unknown page: 404 with an HTML body (not JSON). Methods other
than GET/HEAD: 405 HTML. TheAudioDB's rate limit (30 requests a minute on the free key) is
not enforced here; tests inject 429s with the generic faults.
"""
import json
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/theaudiodb"
KEYS = {"2", "123", "test-tadb-key"}
HTML_TYPE = "text/html; charset=UTF-8"
SCRIPTS = {"artist-mb.php": ("artists", "artists.json"),
           "album-mb.php": ("album", "albums.json"),
           "track-mb.php": ("track", "tracks.json")}
PATH_RE = re.compile(r"^/api/v1/json/([^/]+)/([^/]+)$")
NOT_FOUND_PAGE = (b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  b"<title>404 Not Found</title></head><body><h1>Not Found</h1>"
                  b"<p>The requested URL was not found on this server.</p></body></html>\n")


def html_404():
    return Answer(404, NOT_FOUND_PAGE, HTML_TYPE)


class TheAudioDB:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.items = {}
        for script, (member, name) in SCRIPTS.items():
            items = json.loads((self.root / name).read_text(encoding="utf-8"))
            by_mbid = {}
            for item in items:
                mbid = (item.get("strMusicBrainzID") or "").lower()
                if not mbid or mbid in by_mbid:
                    raise ValueError(f"fixtures/theaudiodb/{name}: missing or repeated "
                                     f"strMusicBrainzID '{mbid}'")
                by_mbid[mbid] = item
            self.items[script] = by_mbid

    def handle(self, req, path):
        if req.method not in ("GET", "HEAD"):
            return Answer(405, b"<html><body>Method Not Allowed</body></html>", HTML_TYPE)
        m = PATH_RE.match(path)
        if not m or m.group(1) not in KEYS or m.group(2) not in SCRIPTS:
            return html_404()
        script = m.group(2)
        member = SCRIPTS[script][0]
        item = self.items[script].get((req.arg("i") or "").strip().lower())
        return Answer.json({member: [item] if item else None})


def make(fixtures_dir):
    return TheAudioDB(pathlib.Path(fixtures_dir) / "theaudiodb")
