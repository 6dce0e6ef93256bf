"""Fake Wikipedia REST API summaries (https://<lang>.wikipedia.org/api/rest_v1/page/summary/
<title>), served under /wikipedia for every language at once.

medley's Wikipedia URL template (providers.wikidata, "{lang}" replaced by the language)
is then http://127.0.0.1:<port>/wikipedia/{lang} (the real one is
https://{lang}.wikipedia.org); the summary path follows it unchanged.

Catalogue: fixtures/wikipedia/<lang>.json (en, de, fr), each an object mapping an
article's canonical title (spaces as underscores) to its summary in the REST API's
format (type, title, titles, wikibase_item, description, extract, thumbnail,
originalimage, content_urls, ...); see fixtures/wikidata/CATALOGUE.md. The articles are
the sitelinks of the fake Wikidata items; texts are our own.

Requests:
  GET /<lang>/api/rest_v1/page/summary/<title>
      The title is percent-decoded, spaces become underscores and its first letter is
      upper-cased (MediaWiki's normalisation). 200 the summary, with the content type
      application/json; charset=utf-8; profile="https://www.mediawiki.org/wiki/Specs/
      Summary/1.4.2". A disambiguation page is served like any article ("type":
      "disambiguation"), as the real API does.
      Unknown title, or a language without a fixture file: 404 application/problem+json
      {"type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found", "title":
      "Not found.", "method": "get", "detail": "Page or revision not found.", "uri":
      "/<lang>.wikipedia.org/v1/page/summary/<title>"}.
      An empty or over-long (> 255 bytes) title: 400 with the bad_request type.
  other paths under /<lang>/api/rest_v1: 404 with the not_found type; other paths: 404
  HTML; methods other than GET/HEAD: 405 with the method_not_allowed type.
No authentication; Wikimedia asks for a User-Agent with contact details, which tests
check in the recorded requests.
"""
import json
import pathlib
import sys
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/wikipedia"
SUMMARY_TYPE = ('application/json; charset=utf-8; '
                'profile="https://www.mediawiki.org/wiki/Specs/Summary/1.4.2"')
PROBLEM_TYPE = "application/problem+json"
ERRORS = "https://mediawiki.org/wiki/HyperSwitch/errors/"
REST = "/api/rest_v1"


def problem(status, kind, title, detail, method, uri):
    return Answer.json({"type": ERRORS + kind, "title": title, "method": method,
                        "detail": detail, "uri": uri}, status, content_type=PROBLEM_TYPE)


def normalize(raw):
    title = urllib.parse.unquote(raw).replace(" ", "_")
    return title[:1].upper() + title[1:]


class Wikipedia:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.pages = {}
        for f in sorted(self.root.glob("*.json")):
            pages = json.loads(f.read_text(encoding="utf-8"))
            for canon, page in pages.items():
                if page["titles"]["canonical"] != canon:
                    raise ValueError(f"fixture '{f}': '{canon}' is not its canonical title")
            self.pages[f.stem] = pages

    def handle(self, req, path):
        parts = path.split("/", 2)  # "", lang, rest
        if len(parts) < 3 or not parts[1] or not ("/" + parts[2]).startswith(REST + "/"):
            return Answer(404, b"<html><body>Not Found</body></html>",
                          "text/html; charset=utf-8")
        lang, rest = parts[1], "/" + parts[2][len(REST):]
        uri = f"/{lang}.wikipedia.org/v1{rest}"
        if req.method not in ("GET", "HEAD"):
            return problem(405, "method_not_allowed", "Method not allowed.",
                           f"The method {req.method} is not supported.",
                           req.method.lower(), uri)
        if not rest.startswith("/page/summary/"):
            return problem(404, "not_found#route", "Not found.", "Not found.", "get", uri)
        raw = req.target.split("?", 1)[0].split("/page/summary/", 1)[1]
        title = normalize(raw)
        if not title or len(title.encode()) > 255:
            return problem(400, "bad_request", "Invalid parameters or input.",
                           "data.params.title is not a valid page title.", "get", uri)
        page = self.pages.get(lang, {}).get(title)
        if page is None:
            return problem(404, "not_found", "Not found.", "Page or revision not found.",
                           "get", f"/{lang}.wikipedia.org/v1/page/summary/{raw}")
        return Answer.json(page, content_type=SUMMARY_TYPE)


def make(fixtures_dir):
    return Wikipedia(pathlib.Path(fixtures_dir) / "wikipedia")
