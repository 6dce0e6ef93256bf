"""Fake Wikidata Action API (https://www.wikidata.org/w/api.php), served under /wikidata.

medley's providers.wikidata.base_url is then http://127.0.0.1:<port>/wikidata/w/api.php
(the real one is https://www.wikidata.org/w/api.php: a script, queries follow a '?').
Wikipedia summaries are faked by the sibling module wikipedia.py.

Catalogue: fixtures/wikidata/items/<Q>.json, one item each in the format wbgetentities
answers (labels, descriptions, aliases, claims, sitelinks with their URLs); see
fixtures/wikidata/CATALOGUE.md. Artist and release-group items carry the Q ids and
MusicBrainz ids of the fake MusicBrainz catalogue's url relations.

Requests (GET; POST with a form body is read the same way), answered like MediaWiki:
  ?action=wbgetentities&ids=Q1|Q2[&props=...][&languages=en|de][&format=json]
      200 {"entities": {"Q1": {...}, ...}, "success": 1}. props (default
      info|sitelinks|aliases|labels|descriptions|claims|datatype) selects the members;
      "sitelinks/urls" keeps each sitelink's "url", plain "sitelinks" drops it. languages
      keeps those labels/descriptions/aliases only. An id that is not an existing item:
      200 {"error": {"code": "no-such-entity", "info": "Could not find an entity with the
      ID \"Q0\".", "id": "Q0", ...}} with the MediaWiki-API-Error header.
  ?action=wbgetentities&sites=enwiki&titles=Nirvana (band)
      the item with that sitelink; an unknown title answers the entity "-1" with
      {"site", "title", "missing": ""}.
      Neither ids nor sites+titles: the "param-missing" error.
  ?action=query&list=search&srsearch=...[&srnamespace=0][&srlimit=10][&sroffset=0]
      CirrusSearch, naively: "haswbstatement:P434=<v>" (several alternatives joined by
      '|' match any) keeps items holding that statement value (case-insensitive, as the
      search index stores identifiers); other words must all appear in the item's
      labels or aliases. 200 {"batchcomplete": "", "query": {"searchinfo": {"totalhits":
      n}, "search": [{"ns": 0, "title": "Q11649", "pageid", "size", "wordcount",
      "snippet", "timestamp"}]}} by Q number, and "continue" {"sroffset", "continue":
      "-||"} when more remain. A namespace other than 0 finds nothing; no srsearch: the
      "missingparam" error.
  another action: the "badvalue" error; no action: 200 the API help page (HTML).
  format other than json (MediaWiki's default is jsonfm): the same JSON wrapped in an
  HTML page, as MediaWiki's jsonfm does. Other paths: 404 HTML. Methods other than
  GET/HEAD/POST: 405.
Wikidata needs no key; it asks every client for a User-Agent with contact details,
which tests check in the recorded requests. Errors come with HTTP 200, like MediaWiki.
"""
import html
import json
import pathlib
import re
import sys
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from fake_provider import Answer  # noqa: E402

PREFIX = "/wikidata"
HTML_TYPE = "text/html; charset=utf-8"
API_PATH = "/w/api.php"
HELP = ("See https://www.wikidata.org/w/api.php for API usage. Subscribe to the "
        "mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/"
        "lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API "
        "deprecations and breaking changes.")
DEFAULT_PROPS = {"info", "sitelinks", "aliases", "labels", "descriptions", "claims",
                 "datatype"}
INFO_KEYS = ("pageid", "ns", "title", "lastrevid", "modified", "type", "id")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
STATEMENT_RE = re.compile(r"^(P[1-9][0-9]*)=(.+)$")


def api_error(code, info, **extra):
    body = {"error": dict({"code": code, "info": info}, **extra, **{"*": HELP}),
            "servedby": "mw-api-ext.fake"}
    return Answer.json(body, headers={"MediaWiki-API-Error": code})


def words(text):
    return re.findall(r"\w+", (text or "").casefold())


class Wikidata:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.items = {}
        for f in sorted((self.root / "items").glob("Q*.json")):
            item = json.loads(f.read_text(encoding="utf-8"))
            if item.get("id") != f.stem:
                raise ValueError(f"fixture '{f}': id '{item.get('id')}' is not the file name")
            self.items[f.stem] = item
        self.order = sorted(self.items, key=lambda q: int(q[1:]))

    # -- dispatch --
    def handle(self, req, path):
        if req.method not in ("GET", "HEAD", "POST"):
            return Answer(405, b"<html><body>Method Not Allowed</body></html>", HTML_TYPE)
        if path != API_PATH:
            return Answer(404, b"<html><body>Not Found</body></html>", HTML_TYPE)
        args = dict(req.query)
        if req.method == "POST" and req.body:
            args.update(urllib.parse.parse_qs(req.body.decode("utf-8", "replace"),
                                              keep_blank_values=True))
        arg = {k: v[0] for k, v in args.items()}
        action = arg.get("action")
        if action is None:
            return Answer(200, b"<!DOCTYPE html><html><head><title>MediaWiki API help - "
                               b"Wikidata</title></head><body><h1>Main module</h1></body>"
                               b"</html>", HTML_TYPE)
        if action == "wbgetentities":
            answer = self.wbgetentities(arg)
        elif action == "query":
            answer = self.query(arg)
        else:
            answer = api_error("badvalue",
                               f"Unrecognized value for parameter \"action\": {action}.")
        return self.formatted(answer, arg.get("format", "jsonfm"))

    @staticmethod
    def formatted(answer, fmt):
        if fmt == "json" or answer.status != 200:
            return answer
        page = (b"<!DOCTYPE html><html><head><title>MediaWiki API result - Wikidata</title>"
                b"</head><body><pre>" + html.escape(answer.body.decode()).encode() +
                b"</pre></body></html>")
        return Answer(200, page, HTML_TYPE, dict(answer.headers))

    # -- wbgetentities --
    def view(self, item, props, languages):
        out = {}
        if "info" in props:
            out.update((k, item[k]) for k in INFO_KEYS if k in item)
        else:
            out.update(type=item["type"], id=item["id"])
        for member in ("labels", "descriptions", "aliases"):
            if member in props:
                values = item.get(member, {})
                out[member] = {k: v for k, v in values.items()
                               if languages is None or k in languages}
        if "claims" in props:
            out["claims"] = item.get("claims", {})
        if "sitelinks" in props or "sitelinks/urls" in props:
            urls = "sitelinks/urls" in props
            out["sitelinks"] = {site: {k: v for k, v in link.items() if urls or k != "url"}
                                for site, link in item.get("sitelinks", {}).items()}
        return out

    def wbgetentities(self, arg):
        props = set(arg["props"].split("|")) if "props" in arg else DEFAULT_PROPS
        languages = set(arg["languages"].split("|")) if "languages" in arg else None
        entities = {}
        if "ids" in arg:
            for qid in [q for q in arg["ids"].split("|") if q]:
                item = self.items.get(qid.upper()) if QID_RE.match(qid.upper()) else None
                if item is None:
                    return api_error("no-such-entity",
                                     f"Could not find an entity with the ID \"{qid}\".",
                                     id=qid, messages=[{"name": "wikibase-api-no-such-entity",
                                                        "parameters": [], "html": {
                                                            "*": "Could not find an entity "
                                                                 "with the ID."}}])
                entities[item["id"]] = self.view(item, props, languages)
        elif "sites" in arg and "titles" in arg:
            site = arg["sites"]
            for n, title in enumerate(t for t in arg["titles"].split("|") if t):
                norm = title.replace("_", " ")
                found = next((self.items[q] for q in self.order
                              if self.items[q].get("sitelinks", {}).get(site, {}).get("title")
                              == norm), None)
                if found is None:
                    entities[str(-1 - n)] = {"site": site, "title": norm, "missing": ""}
                else:
                    entities[found["id"]] = self.view(found, props, languages)
        else:
            return api_error("param-missing", "Either provide the item \"ids\" or pairs of "
                             "\"sites\" and \"titles\" for corresponding pages.")
        return Answer.json({"entities": entities, "success": 1})

    # -- list=search --
    def has_statement(self, item, prop, value):
        for st in item.get("claims", {}).get(prop, []):
            dv = st.get("mainsnak", {}).get("datavalue", {}).get("value")
            if isinstance(dv, dict):
                dv = dv.get("id")
            if isinstance(dv, str) and dv.casefold() == value.casefold():
                return True
        return False

    def matches(self, item, clauses, text):
        for alternatives in clauses:
            if not any(self.has_statement(item, p, v) for p, v in alternatives):
                return False
        names = set()
        for member in ("labels", "aliases"):
            for v in item.get(member, {}).values():
                for x in (v if isinstance(v, list) else [v]):
                    names.update(words(x.get("value")))
        return all(w in names for w in text)

    def query(self, arg):
        if arg.get("list") != "search":
            return Answer.json({"batchcomplete": ""})
        srsearch = arg.get("srsearch")
        if not srsearch:
            return api_error("missingparam", "The \"srsearch\" parameter must be set.")
        clauses, text = [], []
        for token in srsearch.split():
            if token.startswith("haswbstatement:"):
                alts = [STATEMENT_RE.match(a) for a in token[len("haswbstatement:"):].split("|")]
                clauses.append([(m.group(1), m.group(2)) for m in alts if m])
            else:
                text += words(token)
        try:
            limit = max(1, min(int(arg.get("srlimit", 10)), 500))
            offset = max(0, int(arg.get("sroffset", 0)))
        except ValueError:
            return api_error("badinteger", "Invalid value for parameter \"srlimit\".")
        spaces = arg.get("srnamespace", "0").split("|")
        hits = [] if "0" not in spaces else [
            self.items[q] for q in self.order if self.matches(self.items[q], clauses, text)]
        page = hits[offset:offset + limit]
        body = {"batchcomplete": ""}
        if offset + limit < len(hits):
            body["continue"] = {"sroffset": offset + limit, "continue": "-||"}
        body["query"] = {"searchinfo": {"totalhits": len(hits)}, "search": [
            {"ns": 0, "title": it["id"], "pageid": it.get("pageid", 0),
             "size": len(json.dumps(it)), "wordcount": 0, "snippet": "",
             "timestamp": it.get("modified", "2024-01-01T00:00:00Z")} for it in page]}
        return Answer.json(body)


def make(fixtures_dir):
    return Wikidata(pathlib.Path(fixtures_dir) / "wikidata")
