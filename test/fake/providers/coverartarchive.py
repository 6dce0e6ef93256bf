"""Fake Cover Art Archive (https://coverartarchive.org), served under /caa.

medley's providers.coverartarchive.base_url is then http://127.0.0.1:<port>/caa (the real
base URL, https://coverartarchive.org, has no path of its own).

Catalogue: fixtures/coverartarchive/ (see its CATALOGUE.md)
  release/<mbid>.json    the JSON listing of a release, in CAA's format
  release-group.json     {release-group mbid: release mbid}: the release whose listing a
                         release group answers (CAA picks the group's front-cover release)

Requests, answered like the real service (its source: metabrainz/coverart_redirect):
  GET|HEAD /release/<mbid>[/]            200 the listing (CAA answers a 307 to archive.org's
                                         index.json; the fake serves the JSON itself)
  GET|HEAD /release-group/<mbid>[/]      200 the listing of the group's release ("release"
                                         names that release, not the group)
  GET /release/<mbid>/front[-250|-500|-1200], /back[...], /<image id>[-size].jpg
  GET /release-group/<mbid>/front[-size] 307 with Location: the image (or thumbnail) URL
  unknown or art-less mbid               404 text/html "No cover art found for release
                                         <mbid>" ("... for release group <mbid>"); a missing
                                         front/back "No front cover image found for release
                                         with identifier <mbid>"
  an MBID that is not lowercase 8-4-4-4-12 hex (CAA does not lowercase)
                                         400 text/html "invalid MBID specified"
  another entity (/artist/...)           400 "Only the following entities are supported:
                                         release, release-group"
  another method                         405
Error pages are werkzeug's HTML, as CAA sends them. CAA has no authentication, so there is
no auth failure to fake; rate limiting (a 503) is left to the generic "status" fault.
"""
import html
import json
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/caa"
HTML_TYPE = "text/html; charset=utf-8"
ENTITIES = ("release", "release-group")
# CAA's own check: lowercase only (coverart_redirect's _MBID_RE, used with fullmatch).
MBID_RE = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}")
PIECE_RE = re.compile(r"^(front|back|\d+)(?:-(250|500|1200))?(?:\.(?:jpg|png|gif|pdf))?$")
PHRASES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


def error_page(status, message):
    """werkzeug's HTML error page, which is what coverartarchive.org sends."""
    phrase = PHRASES[status]
    body = (f"<!doctype html>\n<html lang=en>\n<title>{status} {phrase}</title>\n"
            f"<h1>{phrase}</h1>\n<p>{html.escape(message)}</p>\n")
    heads = {"Allow": "GET, HEAD, OPTIONS"} if status == 405 else None
    return Answer(status, body.encode("utf-8"), HTML_TYPE, heads)


class CoverArtArchive:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.releases = {}
        for f in sorted((self.root / "release").glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            if not doc.get("release", "").endswith("/release/" + f.stem):
                raise ValueError(f"fixture '{f}': 'release' does not name {f.stem}")
            self.releases[f.stem] = doc
        path = self.root / "release-group.json"
        self.groups = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for group, release in self.groups.items():
            if release not in self.releases:
                raise ValueError(f"release group {group}: no listing for release {release}")

    def handle(self, req, path):
        if req.method not in ("GET", "HEAD"):
            return error_page(405, "The method is not allowed for the requested URL.")
        parts = path.strip("/").split("/") if path.strip("/") else []
        if not parts:
            return error_page(404, "The requested URL was not found on the server.")
        entity = parts[0]
        if entity not in ENTITIES:
            return error_page(400, "Only the following entities are supported: "
                                   + ", ".join(ENTITIES))
        if len(parts) < 2 or not parts[1]:
            return error_page(400, "no MBID specified")
        mbid = parts[1]
        if not MBID_RE.fullmatch(mbid):
            return error_page(400, "invalid MBID specified")
        what = "release" if entity == "release" else "release group"
        release = mbid if entity == "release" else self.groups.get(mbid)
        doc = self.releases.get(release)
        if doc is None:
            return error_page(404, f"No cover art found for {what} {mbid}")
        if len(parts) == 2 or (len(parts) == 3 and parts[2] == ""):
            return Answer.json(doc)
        if len(parts) == 3:
            return self.piece(doc, entity, mbid, parts[2])
        return error_page(404, "The requested URL was not found on the server.")

    def piece(self, doc, entity, mbid, name):
        """A redirect to one image: front, back or an image id, maybe at a thumbnail size."""
        m = PIECE_RE.match(name)
        if not m:
            return error_page(400, f"{name} does not not contain a valid cover image id")
        which, size = m.group(1), m.group(2)
        if entity == "release-group" and which != "front":
            return error_page(400, f"{name} is not supported for release groups")
        found = None
        # approved images first: a pending upload is not what /front should show
        for image in sorted(doc["images"], key=lambda i: not i.get("approved")):
            if which in ("front", "back") and image.get(which):
                found = image
                break
            if which.isdigit() and str(image.get("id")) == which:
                found = image
                break
        if found is None:
            if which.isdigit():
                return error_page(404, f"cover image with id {which} not found")
            return error_page(404, f"No {which} cover image found for release with "
                                   f"identifier {mbid}")
        url = found["image"]
        if size:
            url = found["thumbnails"].get(size) or found["thumbnails"].get(
                {"250": "small", "500": "large"}.get(size, ""), url)
        return Answer(307, b"", "text/plain", {"Location": url})


def make(fixtures_dir):
    return CoverArtArchive(pathlib.Path(fixtures_dir) / "coverartarchive")
