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

import argparse
import json
import sys
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sphinx.util import logging

from briefbook.book.atomic import atomic_write
from briefbook.book.briefings import briefings
from briefbook.book.layout import Book
from briefbook.editions import edition, markings
from briefbook.editions.hidden import hidden_entities
from briefbook.editions.release import release_failures
from briefbook.entities.registry_cache import registry_for
from briefbook.publishing.build_setup import edition_folder
from briefbook.publishing.gate_verdict import book_gate
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


# --- the command -------------------------------------------------------------------------------


class ReadError(Exception):
    """The book could not be read (its problems were printed as Sphinx reported them)."""

    exit_code = 2


class ReleaseError(ReadError):
    """The release failed closed on what it could not decide (a page whose marking cannot
    be determined, an unknown portion marking, an include marked above its page): the
    same errors stop ``briefbook build --release``, so nothing is exported."""

    exit_code = 1


def read_edition(book: Book, release: str = "", overrides: dict[str, Any] | None = None,
                 warning: IO[str] | None = None) -> Sphinx:
    """Read every page with Sphinx's dummy builder, in a fresh environment of its own
    (``_build/export/full`` or ``_build/export/release-<level>``); return the app.

    ``release`` reads the edition released at that marking; warnings go to ``warning``
    (default: standard error). Raises :class:`ReadError` when the build stops, and
    :class:`ReleaseError` when the release fails closed (its errors were printed).
    """
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    settings = dict(overrides or {})
    if release:
        settings["briefbook_release"] = release
    out = book.root / "_build" / "export" / (edition_folder(release) if release else "full")
    try:
        with patch_docutils(book.confdir), docutils_namespace():
            app = Sphinx(str(book.srcdir), str(book.confdir), str(out), str(out / ".doctrees"),
                         "dummy", status=None, warning=warning or sys.stderr, freshenv=True,
                         warningiserror=False, verbosity=0, confoverrides=settings)
            app.build(force_all=True)
    except SystemExit as exc:  # a broken registry, bibliography or marking stops the read
        raise ReadError("the book could not be read (its problems are listed above)") from exc
    except SphinxError as exc:
        raise ReadError(f"{exc.category}: {exc}") from exc
    if release:
        failures = release_failures(app.env)
        if failures or app.statuscode:
            raise ReleaseError(f"the release at {release} failed on {len(failures)} problem(s) "
                               "listed above, as `briefbook build --release` would")
    return app


def find_book(path: Path) -> Book | None:
    """The book at ``path`` (``conf/conf.py`` and ``docs/``, or ``conf.py`` beside the
    pages), or None."""
    root = path.resolve()
    if not ((root / "conf" / "conf.py").is_file() or (root / "conf.py").is_file()):
        return None
    return Book.find(root)


def main(args: argparse.Namespace) -> int:
    book = find_book(Path(args.path))
    if book is None:
        print(f"briefbook export: no conf/conf.py (or conf.py) under {args.path}",
              file=sys.stderr)
        return 2
    if not sys.stderr.isatty():
        from sphinx.util.console import nocolor

        nocolor()  # as sphinx-build does: plain warnings in logs and pipes
    try:
        app = read_edition(book, release=str(args.release or "").strip())
    except ReadError as exc:
        print(f"briefbook export: {exc}; nothing written", file=sys.stderr)
        return exc.exit_code
    text = dumps(export_book(app.env))
    release = str(args.release or "").strip()
    if release:
        name = args.out if args.out and args.out != "-" else "standard output"
        if not book_gate(book, release, [(name, text.encode("utf-8"))], "briefbook export"):
            print("briefbook export: nothing written", file=sys.stderr)
            return 1
    if not args.out or args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    try:
        atomic_write(out, text)
    except OSError as exc:
        print(f"briefbook export: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"briefbook export: wrote {out}", file=sys.stderr)
    return 0


def register_export(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export", help="the book's content as one JSON document",
        description="Read the book (as briefbook check does, no HTML written) and write its "
                    "edition, briefings, entities, mentions, quotations, claims and cited "
                    f"sources as one JSON document ({FORMAT}, version {VERSION}). Every "
                    f"HTML build also publishes it as {FILENAME}.")
    parser.add_argument("path", nargs="?", default=".", metavar="BOOK",
                        help="the book's root (default: here)")
    parser.add_argument("--out", metavar="FILE",
                        help="write the document here, atomically (default: standard output)")
    parser.add_argument("--release", metavar="LEVEL",
                        help="export the edition released at this marking (e.g. TLP:CLEAR): "
                             "what is marked above it is left out; nothing is written when "
                             "the final gate finds a word of it (exit 1)")
    parser.set_defaults(func=main)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_with_html)
