"""``briefbook link``: link the registry names a book's pages leave unlinked, in place.

Ingest links the names it knows when it writes a page; names reviewed later (the stubs
ingest proposed, entries added by hand) stay plain text, and ``briefbook check`` lists
them as BB103.  Ingesting again with ``--force`` would link them, and throw away every
edit made to the page since.  This command links exactly what BB103 reports, using the
check's own finder (:func:`briefbook.check.unlinked.find_unlinked`), and changes only the
characters of each name: they become the role ingest would write, fenced by
:func:`briefbook.ingest.writer.role`, so article text never turns into markup.

It fails closed.  Each name is traced to the page's characters
(:mod:`briefbook.review.sourcemap`); a name that is not plainly text of a paragraph in
the page's own MyST (a directive whose body is not MyST, text a directive makes,
characters that a role cannot hold, a page edited since it was read) is left as it is
and reported.  As in ingest and BB103, an entity is linked once per paragraph (its first
unlinked name; naming it again needs no link) and a family name alone is not linked.

Only reviewed entries are linked unless ``--include-unreviewed`` is given: a stub may
still be rejected or merged away, and a page must not come to point at an entry that is
about to be deleted.  The review comes first, then the link.

Each page is written atomically, only when a name in it was linked, and only if the
file is still the one that was read; ``--dry-run`` shows the changes and writes nothing.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefbook.book.atomic import atomic_write
from briefbook.book.layout import Book, registry_folder
from briefbook.check.findings import finding
from briefbook.check.run import read_book, suppressed
from briefbook.check.unlinked import find_unlinked
from briefbook.entities.registry import Entity, Registry, RegistryError
from briefbook.entities.registry_files import load_registry
from briefbook.ingest.writer import ROLE_FOR_KIND, role
from briefbook.review.sourcemap import (
    MystSource,
    SourceParagraph,
    UntraceableError,
    doctree_runs,
    source_span,
)

#: Characters a name may not have to sit in a role (as in ingest's ``mention_role``).
_UNSAFE_IN_ROLE = re.compile(r"[<>`\\\n]")


class LinkError(Exception):
    """The book cannot be linked at all (no conf.py, a broken registry, an unknown page)."""


@dataclass(frozen=True)
class Linked:
    """A name turned into a role: where, what it says, and the markup written."""

    line: int
    name: str
    entity: str
    role: str


@dataclass(frozen=True)
class Skipped:
    """A name BB103 reports that was left as it is, and why."""

    path: str
    line: int
    name: str
    entity: str
    reason: str


@dataclass
class PageResult:
    """One page with names to link: what was linked, the text before and after."""

    path: str
    linked: list[Linked] = field(default_factory=list)
    written: bool = False
    problem: str = ""  # why the page was not written although names were linked in it
    before: str = field(default="", repr=False)
    after: str = field(default="", repr=False)

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


@dataclass
class LinkReport:
    pages: list[PageResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unreviewed: list[Skipped] = field(default_factory=list)
    silenced: list[Skipped] = field(default_factory=list)  # briefbook-ignore: BB103
    dry_run: bool = False

    @property
    def linked(self) -> int:
        return sum(len(page.linked) for page in self.pages if page.written or self.dry_run)

    @property
    def failed(self) -> list[PageResult]:
        return [page for page in self.pages if page.problem]


@dataclass(frozen=True)
class _Edit:
    start: int  # offsets in the page's text as parsed
    end: int
    markup: str
    role: str
    content: str
    paragraph_line: int  # where the paragraph starts (docutils' line, 1-based)
    linked: Linked


# --- the run -------------------------------------------------------------------------------


def link_book(root: Path, pages: Sequence[str] = (), include_unreviewed: bool = False,
              dry_run: bool = False) -> LinkReport:
    """Link, in place, every name BB103 reports in the book at ``root``.

    ``pages`` limits the run to those files (paths relative to the working folder or to
    the book); an empty sequence means every page.
    """
    root = root.resolve()
    if not (root / "conf" / "conf.py").exists() and not (root / "conf.py").exists():
        raise LinkError(f"no conf/conf.py under {root}")
    book = Book.find(root)
    folder = registry_folder(book)
    try:
        registry = load_registry(folder, base=folder)
    except RegistryError as error:
        raise LinkError("the registry has errors; fix them first (briefbook check):\n"
                        + "\n".join(f"  {problem}" for problem in error.problems)) from error
    selected = _selected_pages(book, pages)
    try:
        app, _warnings = read_book(book, {}, purpose="link")
    except Exception as error:  # Sphinx raises many kinds; all mean the same here
        raise LinkError(f"the book could not be read: {error}") from error

    report = LinkReport(dry_run=dry_run)
    by_page: dict[str, list[Any]] = {}
    comments: dict[str, list[str]] = {}
    for name in find_unlinked(app, registry):
        path = str(Path(name.path).resolve())
        if selected is not None and path not in selected:
            continue
        # A name the page silences (a briefbook-ignore comment) stays as it is: check
        # does not ask for its link, and the analyst said so.
        if suppressed(book, finding(book, path, name.line, "BB103", ""), comments):
            report.silenced.append(Skipped(book.rel(path), name.line, name.shown,
                                           name.entity.id, "silenced with briefbook-ignore"))
            continue
        by_page.setdefault(path, []).append(name)
    config = app.env.myst_config
    for path, names in by_page.items():
        result = _link_page(book, Path(path), names, registry, config, include_unreviewed,
                            report)
        if result is not None:
            report.pages.append(result)
            if not dry_run:
                _write(Path(path), result)
    return report


def _selected_pages(book: Any, pages: Sequence[str]) -> set[str] | None:
    if not pages:
        return None
    chosen = set()
    for page in pages:
        candidates = [Path(page), book.root / page, book.srcdir / page]
        found = next((c.resolve() for c in candidates if c.is_file()), None)
        if found is None or not found.is_relative_to(book.srcdir):
            raise LinkError(f"{page}: not a page of the book in {book.root}")
        chosen.add(str(found))
    return chosen


def _link_page(book: Any, path: Path, names: Iterable[Any], registry: Registry, config: Any,
               include_unreviewed: bool, report: LinkReport) -> PageResult | None:
    """The page's edits (first unlinked name of each entity per paragraph), verified."""
    rel = book.rel(path)
    names = list(names)

    def skip(name: Any, reason: str) -> None:
        report.skipped.append(Skipped(rel, name.line, name.shown, name.entity.id, reason))

    try:
        raw = path.read_bytes().decode("utf-8")
        source = MystSource(raw, config)
    except (OSError, UnicodeDecodeError, UntraceableError) as error:
        reason = (str(error) if isinstance(error, UntraceableError)
                  else f"the page cannot be read: {error}")
        for name in names:
            skip(name, reason)
        return None

    edits: list[_Edit] = []
    done: set[tuple[int, str]] = set()
    checked: dict[int, SourceParagraph] = {}
    for name in names:
        entity: Entity = name.entity
        if entity.unreviewed and not include_unreviewed:
            report.unreviewed.append(Skipped(rel, name.line, name.shown, entity.id,
                                             "its entry is unreviewed"))
            continue
        key = (id(name.paragraph), entity.id)
        if key in done:
            continue  # linked earlier in this paragraph: naming it again needs no link
        try:
            edit = _edit_for(name, source, registry, checked)
        except UntraceableError as error:
            skip(name, str(error))
            continue
        if any(edit.start < other.end and other.start < edit.end for other in edits):
            skip(name, "it overlaps another name linked here")
            continue
        edits.append(edit)
        done.add(key)
    if not edits:
        return None
    edits.sort(key=lambda e: e.start)
    after = _apply(source, edits)
    try:
        _verify(source, after, edits, config)
    except UntraceableError as error:
        for name in names:
            if (id(name.paragraph), name.entity.id) in done:
                skip(name, f"linking it would change how the page reads ({error})")
        return None
    return PageResult(rel, [e.linked for e in edits], before=raw, after=after)


def _edit_for(name: Any, source: MystSource, registry: Registry,
              checked: dict[int, SourceParagraph]) -> _Edit:
    paragraph = name.paragraph
    if paragraph is None:
        raise UntraceableError("it is not in a paragraph")
    if paragraph.line is None:
        raise UntraceableError("the text is made by a directive, not written in the page")
    if paragraph.source and Path(paragraph.source).resolve() != Path(name.path).resolve():
        raise UntraceableError(f"the text comes from {paragraph.source}")
    if id(paragraph) not in checked:
        found = source.paragraph(paragraph.line)
        nodes = doctree_runs(paragraph)
        if len(nodes) != len(found.runs) or not all(
                run.reads_as(str(node)) for run, node in zip(found.runs, nodes, strict=True)):
            raise UntraceableError("its paragraph in the page does not read as Sphinx read "
                                   "it (edited since, or markup this command does not trace)")
        checked[id(paragraph)] = found
    found = checked[id(paragraph)]
    index = next((i for i, node in enumerate(doctree_runs(paragraph)) if node is name.text),
                 None)
    if index is None:
        raise UntraceableError("it is not plain text of its paragraph")
    start, end, written = source_span(found.runs[index], str(name.text), name.start, name.end)
    entity: Entity = name.entity
    if _UNSAFE_IN_ROLE.search(written):
        raise UntraceableError("the name has characters a role cannot hold")
    resolved = registry.lookup(written, entity.kind)
    plain = written == entity.name and resolved is not None and resolved.id == entity.id
    content = written if plain else f"{written} <{entity.id}>"
    kind = ROLE_FOR_KIND[entity.kind]
    markup = role(kind, content)
    raw_start = source.raw_offset(start)
    line = source.raw.count("\n", 0, raw_start) + 1
    return _Edit(start, end, markup, kind, content, paragraph.line,
                 Linked(line, written, entity.id, markup))


def _apply(source: MystSource, edits: Sequence[_Edit]) -> str:
    """The page's file text with each edit's characters replaced (edits sorted)."""
    out = []
    cursor = 0
    for edit in edits:
        start, end = source.raw_offset(edit.start), source.raw_offset(edit.end)
        out.append(source.raw[cursor:start])
        out.append(edit.markup)
        cursor = end
    out.append(source.raw[cursor:])
    return "".join(out)


def _block_shape(tokens: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [(t.type, tuple(t.map or ()), t.info, t.markup, t.nesting)
            for t in tokens if t.type != "inline"]


def _verify(source: MystSource, after: str, edits: Sequence[_Edit], config: Any) -> None:
    """Parse the changed page: the same blocks, and each role read where it was put.

    Guards against markup the new role could form with its neighbours.
    """
    changed = MystSource(after, config)
    if _block_shape(changed.tokens) != _block_shape(source.tokens):
        raise UntraceableError("the page's blocks would change")
    shift = 0
    for edit in edits:
        start = edit.start + shift
        shift += len(edit.markup) - (edit.end - edit.start)
        paragraph = changed.paragraph(edit.paragraph_line)
        expected = (edit.role, edit.content, start, start + len(edit.markup))
        if not any((r.name, r.content, r.start, r.end) == expected for r in paragraph.roles):
            raise UntraceableError(f"the role for '{edit.linked.name}' would not be read as a role")


def _write(path: Path, result: PageResult) -> None:
    """Replace the page, unless it changed since it was read."""
    try:
        current = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        result.problem = f"it cannot be read again ({error})"
        return
    if current != result.before:
        result.problem = "the page changed since it was read (run briefbook link again)"
        return
    try:
        atomic_write(path, result.after)
    except OSError as error:
        result.problem = str(error)
        return
    result.written = True


# --- output --------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_human(report: LinkReport) -> str:
    lines: list[str] = []
    verb = "would link" if report.dry_run else "linked"
    if report.dry_run:
        for page in report.pages:
            lines.append(page.diff().rstrip("\n"))
    for page in report.pages:
        if page.problem:
            lines.append(f"{page.path}: not written, {page.problem}: "
                         f"{_plural(len(page.linked), 'name')} left unlinked")
            continue
        lines.append(f"{page.path}: {verb} {_plural(len(page.linked), 'name')}")
        for item in page.linked:
            lines.append(f"  {page.path}:{item.line}: {item.name} → {item.role}")
    if report.skipped:
        lines.append(f"Left unlinked ({len(report.skipped)}):")
        for skipped in report.skipped:
            lines.append(f"  {skipped.path}:{skipped.line}: '{skipped.name}' ({skipped.entity}): "
                         f"{skipped.reason}")
    if report.unreviewed:
        entries = len({s.entity for s in report.unreviewed})
        lines.append(f"{_plural(len(report.unreviewed), 'name')} of {_plural(entries, 'entry')} "
                     "still unreviewed left unlinked: review them first, or pass "
                     "--include-unreviewed")
    if report.silenced:
        lines.append(f"{_plural(len(report.silenced), 'name')} silenced with briefbook-ignore "
                     "left unlinked")
    changed = [p for p in report.pages if p.written or report.dry_run]
    total = sum(len(p.linked) for p in changed)
    if total:
        lines.append(f"{'Would link' if report.dry_run else 'Linked'} "
                     f"{_plural(total, 'name')} in {_plural(len(changed), 'page')}.")
    elif not report.failed:
        lines.append("Nothing to link.")
    return "\n".join(lines) + "\n"


def format_json(report: LinkReport) -> str:
    pages = []
    for page in report.pages:
        record: dict[str, Any] = {"path": page.path, "written": page.written,
                                  "linked": [asdict(item) for item in page.linked]}
        if page.problem:
            record["problem"] = page.problem
        if report.dry_run:
            record["diff"] = page.diff()
        pages.append(record)
    return json.dumps({"dry_run": report.dry_run, "linked": report.linked, "pages": pages,
                       "skipped": [asdict(s) for s in report.skipped],
                       "unreviewed": [asdict(s) for s in report.unreviewed],
                       "silenced": [asdict(s) for s in report.silenced]},
                      ensure_ascii=False, indent=2)


def main(args: argparse.Namespace) -> int:
    try:
        report = link_book(Path(args.book), pages=args.page or (),
                           include_unreviewed=args.include_unreviewed, dry_run=args.dry_run)
    except LinkError as error:
        print(f"briefbook link: {error}", file=sys.stderr)
        return 2
    print(format_json(report) if args.format == "json" else format_human(report), end="")
    return 1 if report.failed else 0


def register_link(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "link", help="link the registry names left unlinked in the pages (BB103), in place",
        description="Turn every registry name that briefbook check reports as unlinked "
                    "(BB103) into its role, changing nothing else in the page: edits made "
                    "since ingest survive. Only reviewed entries are linked unless "
                    "--include-unreviewed is given.")
    parser.add_argument("book", nargs="?", default=".", metavar="BOOK",
                        help="the book's root (default: here)")
    parser.add_argument("--page", action="extend", nargs="+", metavar="PAGE",
                        help="link only these pages (files of the book)")
    parser.add_argument("--dry-run", action="store_true",
                        help="show the changes as a diff and write nothing")
    parser.add_argument("--include-unreviewed", action="store_true",
                        help="also link names of entries still marked unreviewed")
    parser.add_argument("--format", choices=("human", "json"), default="human")
    parser.set_defaults(func=main)
