"""The book's content as one JSON document, for the tools and the next edition.

A reader of the HTML sees the book; a program (a dashboard, an audit, the next edition's
"What changed" page) needs what the book *holds*: its briefings, the entities it shows,
every mention, quotation, claim and source, with the identifiers that link back to the
page. ``briefbook export`` writes that document, and every HTML build publishes it beside
the pages as ``briefbook-export.json``.

The document is built from one edition's environment, so a released edition's export
holds only what that edition holds: a withheld portion was never read, an entity only it
named is not shown, a source only it cited is not cited.

Format (``version`` 1); field names are stable, lists are in a fixed order, so two
exports of the same book are byte-identical. Free text absent from the book is ``""``;
an absent date, marking or speaker is ``null``::

    {"format": "briefbook-export", "version": 1,
     "book": {"title"},
     "edition": {"name", "as_of" (YYYY-MM-DD), "marking", "release"},
     "briefings": [{"docname", "title", "date", "author", "source", "marking", "html"}],
                   newest first
     "entities": [{"id", "kind", "name", "native_name", "aliases": [names]}], by id
     "mentions": [{"entity", "docname", "node_id"}], by page, in page order
     "quotes": [{"text", "speaker": {"id", "name"} | null, "unnamed", "sources": [keys],
                 "said", "credibility": {key: grade}, "docname", "node_id"}]
     "claims": [{"text", "likelihood", "confidence", "sources": [keys], "key",
                 "credibility": {key: grade}, "docname", "node_id"}]
     "sources": [{"key", "label", "author", "title", "year", "url", "reliability",
                  "credibility", "status", "status_date", "status_reason",
                  "archive_date", "archive_sha256", "cited_in": [docnames]}], by key}

``html`` is the briefing's page relative to the root of the HTML output; a quotation or
claim is at ``html#node_id`` of its page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from briefbook.book.atomic import atomic_write
from briefbook.book.briefings import briefings
from briefbook.editions import edition, markings
from briefbook.editions.hidden import hidden_entities
from briefbook.entities.registry_cache import registry_for
from briefbook.sources import catalogue
from briefbook.sources.citations import bibtex_available, citing_docnames, split_keys
from briefbook.sources.fields import decode_grades, field, plain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)

FORMAT = "briefbook-export"
VERSION = 1
#: Published at the root of the HTML output.
FILENAME = "briefbook-export.json"
#: The builders whose output is a site the export is published with.
HTML_BUILDERS = frozenset({"html", "dirhtml"})


# --- the document ---------------------------------------------------------------------------


def export_book(env: BuildEnvironment,
                target_uri: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Everything this edition holds, as plain data (see the module's docstring).

    ``target_uri`` gives a page's path in the HTML output (the HTML builder's); without
    it the path is worked out from the configuration as the HTML builder would.
    """
    config = env.config
    when = edition.as_of(env)
    marking = markings.edition_level(env)
    release = markings.release_level(config)
    return {
        "format": FORMAT,
        "version": VERSION,
        "book": {"title": str(config.project or "")},
        "edition": {
            "name": edition.edition_name(config),
            "as_of": when.isoformat() if when is not None else None,
            "marking": marking.name if marking is not None else None,
            "release": release.name if release is not None else None,
        },
        "briefings": _briefings(env, target_uri or _uri_from_config(config)),
        "entities": _entities(env),
        "mentions": _mentions(env),
        "quotes": _quotes(env),
        "claims": _claims(env),
        "sources": _sources(env),
    }


def dumps(data: dict[str, Any]) -> str:
    """The document as text: UTF-8 as written, each record on a line of its own (a diff
    of two exports shows what changed), compact within a record.

    Records are encoded by json's C encoder; its indenting encoder is pure Python and
    cost two seconds of every build of a 1,000-briefing book.
    """
    encode = _ENCODER.encode  # one encoder for every record: json.dumps makes one per call
    parts = []
    for key, value in data.items():
        name = encode(key)
        if isinstance(value, list) and value:
            body = ",\n".join("    " + _record(item) for item in value)
            parts.append(f"  {name}: [\n{body}\n  ]")
        else:
            parts.append(f"  {name}: {encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _record(item: Any) -> str:
    """One record as the encoder writes it; a flat record of strings (each of the tens of
    thousands of mentions) without the encoder's set-up, at a third of the cost."""
    if isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
        quote = encode_basestring
        return "{" + ", ".join(f"{quote(k)}: {quote(v)}" for k, v in item.items()) + "}"
    return _ENCODER.encode(item)


def _uri_from_config(config: Config) -> Callable[[str], str]:
    """A page's path as the ``html`` builder writes it (``html_link_suffix``)."""
    suffix = config.html_file_suffix or ".html"
    link = config.html_link_suffix if config.html_link_suffix is not None else suffix
    return lambda docname: docname + str(link)


def _domain(env: BuildEnvironment) -> BriefbookDomain:
    return env.domains["briefbook"]  # type: ignore[return-value]


def _briefings(env: BuildEnvironment, uri: Callable[[str], str]) -> list[dict[str, Any]]:
    found = []
    for briefing in briefings(env):
        metadata = env.metadata.get(briefing.docname, {})
        level = markings.page_level(env, briefing.docname)
        found.append({
            "docname": briefing.docname,
            "title": briefing.title,
            "date": briefing.date.isoformat(),
            "author": briefing.author,
            "source": str(metadata.get("source", "") or "").strip(),
            "marking": level.name if level is not None else None,
            "html": uri(briefing.docname),
        })
    return found


def _entities(env: BuildEnvironment) -> list[dict[str, Any]]:
    """The registry's entities this edition shows (a released one: those its pages name)."""
    hidden = hidden_entities(env)
    return [{"id": entity.id, "kind": entity.kind, "name": entity.name,
             "native_name": entity.native_name,
             "aliases": [alias.name for alias in entity.aliases]}
            for entity in sorted(registry_for(env), key=lambda e: e.id)
            if entity.id not in hidden]


def _mentions(env: BuildEnvironment) -> list[dict[str, Any]]:
    mentions = _domain(env).mentions
    return [{"entity": m.entity, "docname": m.docname, "node_id": m.node_id}
            for docname in sorted(mentions) for m in mentions[docname]]


def _quotes(env: BuildEnvironment) -> list[dict[str, Any]]:
    registry = registry_for(env)
    quotes = _domain(env).quotes
    found = []
    for docname in sorted(quotes):
        for quote in quotes[docname]:
            entity = registry.get(quote.speaker) if quote.speaker else None
            speaker = ({"id": quote.speaker, "name": entity.name if entity else quote.speaker}
                       if quote.speaker else None)
            found.append({
                "text": quote.text,
                "speaker": speaker,
                "unnamed": quote.unnamed,
                "sources": split_keys(quote.source),
                "said": quote.said,
                "credibility": dict(sorted(decode_grades(quote.credibility).items())),
                "docname": quote.docname,
                "node_id": quote.node_id,
            })
    return found


def _claims(env: BuildEnvironment) -> list[dict[str, Any]]:
    claims = _domain(env).claims
    return [{"text": claim.text, "likelihood": claim.likelihood,
             "confidence": claim.confidence, "sources": split_keys(claim.sources),
             "key": bool(claim.key),
             "credibility": dict(sorted(decode_grades(claim.credibility).items())),
             "docname": claim.docname, "node_id": claim.node_id}
            for docname in sorted(claims) for claim in claims[docname]]


def _sources(env: BuildEnvironment) -> list[dict[str, Any]]:
    """Every entry of the bibliography this edition cites (an unknown key is the
    build's to report, not a source)."""
    if not bibtex_available(env):
        return []
    entries = env.domains["cite"].bibdata.data.entries  # type: ignore[attr-defined]
    facts = catalogue.source_facts(env)
    found = []
    for key, docnames in sorted(citing_docnames(env).items()):
        entry = entries.get(key)
        if entry is None or key not in facts:
            continue
        known = facts[key]
        found.append({
            "key": key,
            "label": catalogue.label_of(env, key),
            "author": _authors(entry),
            "title": field(entry, "title"),
            "year": field(entry, "year"),
            "url": field(entry, "url"),
            "reliability": known.grade.reliability,
            "credibility": known.grade.credibility,
            "status": known.standing.status,
            "status_date": known.standing.date,
            "status_reason": known.standing.reason,
            "archive_date": known.preserved.date,
            "archive_sha256": known.preserved.sha256,
            "cited_in": sorted(docnames),
        })
    return found


def _authors(entry: Any) -> str:
    """``Jane Example and Example Wire``: the authors in reading order, as plain text."""
    names = []
    for person in entry.persons.get("author", []):
        parts = [*person.first_names, *person.middle_names, *person.prelast_names,
                 *person.last_names, *person.lineage_names]
        names.append(plain(" ".join(parts)))
    return " and ".join(name for name in names if name)


# --- published with the HTML ------------------------------------------------------------------


def write_with_html(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write ``briefbook-export.json`` at the root of the HTML output."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    data = export_book(app.env, app.builder.get_target_uri)
    atomic_write(Path(app.outdir) / FILENAME, dumps(data))


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_with_html)
