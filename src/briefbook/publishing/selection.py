"""``briefbook pdf``: which pages a handout holds, chosen the way an editor names them.

A briefing is handed round on its own, or with the others of a fortnight or a topic, far
more often than the whole book. The selection is made before Sphinx runs, from the files
Sphinx's own discovery finds and their front matter as MyST delimits it (no page is
parsed), so that choosing one briefing out of a thousand costs a directory walk and not a
read of the book:

* pages listed by docname (``briefings/2024-11-17-…``), by file (``docs/briefings/….md``,
  from here or from the book's root) or by a file name that is unique in the book;
* briefings (pages whose front matter has a ``date`` and an ``author``, as on the front
  page) dated ``--from``/``--to`` (inclusive) and, or, carrying a ``tags:`` value
  (``--tag``); with listed pages the filters narrow the list.

Briefings print newest first; other pages (an annex, say) may be listed and print after
them, in the order given. The book's front page and its glossary and references pages
cannot be: the handout makes its own. A page marked above ``--release`` is left out, as
the released edition leaves it out, by the same decision
(:mod:`briefbook.editions.decision`); a page whose marking cannot be determined stops a
released handout with the build's own error (exit 1, nothing written). The cover's
title is the page's own as MyST reads it, never a heading inside a directive such as a
withheld portion. Errors name the file and line where there is one and exit with 2. The
pages and their front matter are read by :mod:`.book_pages`; :mod:`.handout` builds the
chosen pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefbook.book.briefings import format_date
from briefbook.book.layout import Book, read_config
from briefbook.editions.decision import Reading
from briefbook.editions.markings import TLP_2_0, MarkingError, Scheme
from briefbook.publishing import handout
from briefbook.publishing.book_pages import ISO_DATE, Page, Selection, book_pages
from briefbook.publishing.gate_verdict import book_gate

PROG = "briefbook pdf"
#: Directives whose pages the handout generates itself (glossary, references).
_GENERATED = re.compile(r"^\s*(?:(?:```+|:::+)\{(entity-index|bibliography)\}|"
                        r"\.\.\s+(entity-index|bibliography)::)")


class SelectionError(Exception):
    """A selection that cannot be printed: the message says why (and where); ``notes``
    what was left out on the way (a malformed date, a page marked above the release)."""

    exit_code = 2

    def __init__(self, message: str, notes: Sequence[str] = (), exit_code: int = 2) -> None:
        super().__init__(message)
        self.notes = list(notes)
        self.exit_code = exit_code


@dataclass
class Criteria:
    """What the command line asked for."""

    pages: list[str] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    tag: str = ""
    title: str = ""
    release: str = ""

    @property
    def filtered(self) -> bool:
        return self.start is not None or self.end is not None or bool(self.tag)


# --- choosing ----------------------------------------------------------------------------------


def parse_day(text: str, option: str) -> dt.date:
    """``--from 2024-11-01``: a calendar date written YYYY-MM-DD, or a SelectionError."""
    value = text.strip()
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SelectionError(f"{option} '{text}' is not a date: write YYYY-MM-DD "
                             "(e.g. 2024-11-17)") from None


def resolve(argument: str, pages: dict[str, Page], book: Book, cwd: Path) -> Page:
    """The page an argument names: docname, file (from here or the book's root) or a
    file name unique in the book."""
    text = argument.strip().replace("\\", "/")
    bare = text.removeprefix("./")
    if bare in pages:
        return pages[bare]
    for page in pages.values():
        if bare == page.docname + page.path.suffix:
            return page
    for base in (cwd, book.root, book.srcdir):
        candidate = (base / text).resolve()
        if candidate.is_dir():
            raise SelectionError(f"'{argument}' is a folder, not a page: name the pages, or "
                                 "select briefings with --from/--to/--tag")
        if candidate.is_file():
            try:
                relative = candidate.relative_to(book.srcdir.resolve()).as_posix()
            except ValueError:
                raise SelectionError(f"{argument}: not one of the book's pages (they are in "
                                     f"{book.rel(book.srcdir)}/)") from None
            match = next((p for d, p in pages.items() if p.path.resolve() == candidate), None)
            if match is None:
                raise SelectionError(f"{argument}: {relative} is not read by Sphinx (not a page "
                                     "suffix, or left out by exclude_patterns in conf.py)")
            return match
    stem = Path(bare).name
    for suffix in {p.path.suffix for p in pages.values()}:
        stem = stem.removesuffix(suffix)
    named = [p for p in pages.values() if p.stem == stem]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise SelectionError(f"'{argument}' names {len(named)} pages: "
                             f"{', '.join(sorted(p.docname for p in named))}; give the docname")
    close = difflib.get_close_matches(bare, list(pages), n=3, cutoff=0.5) or [
        pages[d].docname for d in difflib.get_close_matches(
            stem, {p.stem: d for d, p in pages.items()}, n=3, cutoff=0.5)]
    close = [pages[c].docname if c in pages else c for c in close]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise SelectionError(f"no page '{argument}' in {book.rel(book.srcdir)}/{hint}")


def refuse_generated(page: Page, book: Book, root_doc: str) -> None:
    """The front page, glossary and references pages are the book's, not a handout's."""
    if page.docname == root_doc:
        raise SelectionError(f"{book.rel(page.path)}: the book's front page opens the whole "
                             "book: print it with `briefbook build --format pdf`")
    try:
        lines = page.path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError as exc:
        raise SelectionError(f"{book.rel(page.path)}: cannot read it ({exc.strerror})") from None
    for number, line in enumerate(lines, start=1):
        found = _GENERATED.match(line)
        if found:
            directive = found.group(1) or found.group(2)
            raise SelectionError(f"{book.rel(page.path)}:{number}: a page with the "
                                 f"{{{directive}}} directive; the handout makes its own "
                                 "glossary and references: leave it out")


def _describe(criteria: Criteria) -> str:
    parts = []
    if criteria.start and criteria.end:
        parts.append(f"dated {criteria.start} to {criteria.end}")
    elif criteria.start:
        parts.append(f"dated {criteria.start} or later")
    elif criteria.end:
        parts.append(f"dated {criteria.end} or earlier")
    if criteria.tag:
        parts.append(f"tagged '{criteria.tag}'")
    return " and ".join(parts)


def _matches(page: Page, criteria: Criteria) -> bool:
    if (criteria.start or criteria.end) and page.date is None:
        return False
    if criteria.start and page.date is not None and page.date < criteria.start:
        return False
    if criteria.end and page.date is not None and page.date > criteria.end:
        return False
    return not criteria.tag or criteria.tag.casefold() in page.tags


def _withheld(page: Page, release: str, scheme: Scheme, book: Book) -> str:
    """Why a page is left out of an edition released at ``release``, or ''."""
    decision = page.decision
    if not release or decision is None or not decision.above(scheme.level(release)):
        return ""
    marked = decision.text or (decision.level.name if decision.level else "")
    return (f"{book.rel(page.path)}:{decision.line}: marked {marked}, above the release "
            f"level {scheme.level(release).name}: left out")


def refuse_undecided(pages: Sequence[Page], book: Book) -> None:
    """A released handout stops where the released book would: on any page it must
    consider whose marking cannot be determined (exit 1, the build's own words)."""
    found = [f"{book.rel(p.path)}:{p.decision.line}: {p.decision.message}" for p in pages
             if p.decision is not None and p.decision.problem]
    if len(found) == 1:
        raise SelectionError(found[0], exit_code=1)
    if found:
        raise SelectionError(f"{len(found)} pages whose marking cannot be determined:\n  "
                             + "\n  ".join(found), exit_code=1)


def select(criteria: Criteria, pages: dict[str, Page], book: Book, root_doc: str,
           scheme: Scheme | None = None, cwd: Path | None = None) -> Selection:
    """The pages to print, newest briefing first, with the handout's name and title."""
    if criteria.start and criteria.end and criteria.start > criteria.end:
        raise SelectionError(f"--from {criteria.start} is after --to {criteria.end}")
    if not criteria.pages and not criteria.filtered:
        raise SelectionError("nothing to print: name the pages, or select briefings with "
                             "--from/--to/--tag")
    notes: list[str] = []
    listed: list[Page] = []
    for argument in criteria.pages:
        page = resolve(argument, pages, book, cwd or Path.cwd())
        refuse_generated(page, book, root_doc)
        if page not in listed:
            listed.append(page)
    if criteria.release:
        # Listed pages are what the handout reads; a filter could pick any page.
        refuse_undecided(listed if criteria.pages else list(pages.values()), book)
    candidates = listed if criteria.pages else [p for p in pages.values() if p.briefing]
    if criteria.filtered:
        if criteria.start or criteria.end:
            notes.extend(f"{p.bad_date} is not YYYY-MM-DD: left out of --from/--to"
                         for p in (listed or pages.values()) if p.bad_date and p.author)
        candidates = [p for p in candidates if _matches(p, criteria)]
    kept = []
    for page in candidates:
        reason = _withheld(page, criteria.release, scheme, book) if scheme is not None else ""
        if reason:
            notes.append(reason)
        else:
            kept.append(page)
    if not kept:
        what = _describe(criteria)
        among = "of the pages listed" if criteria.pages else "briefing"
        raise SelectionError(f"no page matches: no {among} {what}".rstrip() +
                             (f" at or below {criteria.release}" if criteria.release else ""),
                             notes)
    notes.extend(f"{p.bad_date} is not YYYY-MM-DD: printed as a page, after the briefings"
                 if p.bad_date else f"{book.rel(p.path)}: not a briefing (no date and author "
                 "in its front matter): printed after the briefings"
                 for p in kept if not p.briefing)
    briefings = sorted((p for p in kept if p.briefing),
                       key=lambda p: (-(p.date or dt.date.min).toordinal(), p.title.casefold()))
    ordered = [*briefings, *(p for p in kept if not p.briefing)]
    return Selection(ordered, handout_name(ordered, criteria),
                     criteria.title.strip() or default_title(ordered, criteria), notes)


# --- naming -----------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "selection"


def _span(pages: Sequence[Page]) -> tuple[dt.date, dt.date] | None:
    dates = sorted(p.date for p in pages if p.date is not None)
    return (dates[0], dates[-1]) if dates else None


def handout_name(pages: Sequence[Page], criteria: Criteria) -> str:
    """The PDF's file name (no suffix): the page's own for one page, else what selected."""
    if len(pages) == 1 and criteria.pages:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", pages[0].stem).strip("-.") or "page"
    elif criteria.pages:
        import hashlib

        span = _span(pages)
        digest = hashlib.sha256("\n".join(p.docname for p in pages).encode()).hexdigest()[:8]
        name = f"selection-{span[1]}-{digest}" if span else f"selection-{digest}"
    else:
        parts = ["briefings"]
        if criteria.tag:
            parts.append(f"tagged-{_slug(criteria.tag)}")
        if criteria.start:
            parts.append(f"from-{criteria.start}")
        if criteria.end:
            parts.append(f"to-{criteria.end}")
        name = "-".join(parts)
    return name + (f"-{_slug(criteria.release)}" if criteria.release else "")


def _range_words(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return (f"{format_date(start)}" if start == end
                else f"{format_date(start)} to {format_date(end)}")
    if start:
        return f"since {format_date(start)}"
    return f"to {format_date(end)}" if end else ""


def default_title(pages: Sequence[Page], criteria: Criteria) -> str:
    """The cover's title: the briefing's own for one page, else what was selected."""
    if len(pages) == 1:
        return pages[0].title
    if criteria.pages and not criteria.filtered:
        span = _span(pages)
        return "Selected briefings" + (f", {_range_words(*span)}" if span else "")
    title = f"Briefings on {criteria.tag}" if criteria.tag else "Briefings"
    when = _range_words(criteria.start, criteria.end)
    return f"{title}, {when}" if when else title


# --- the command -------------------------------------------------------------------------------


def _is_book(path: Path) -> bool:
    return path.is_dir() and ((path / "conf" / "conf.py").is_file() or (path / "conf.py").is_file())


def _cmd_pdf(args: argparse.Namespace) -> int:
    targets = list(args.targets)
    root = Path(targets.pop(0)) if targets and _is_book(Path(targets[0])) else Path()
    if not _is_book(root):
        print(f"{PROG}: no conf/conf.py in {root.resolve()}: give the book's folder first "
              "(briefbook pdf BOOK PAGE …) or run it from the book", file=sys.stderr)
        return 2
    book = Book.find(root)
    try:
        config = read_config(book)
    except Exception as exc:  # the book's own code: report it, in its terms
        print(f"{PROG}: cannot read {book.rel(book.confdir / 'conf.py')}: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    conf = book.rel(book.confdir / "conf.py")
    try:
        scheme = Scheme.from_config(config.get("briefbook_marking_scheme") or TLP_2_0)
        reading = Reading.of_conf(config)
    except MarkingError as exc:
        print(f"{PROG}: {conf}: {exc}", file=sys.stderr)
        return 2
    # --release, else the book's own (a conf.py may release every build it makes).
    wanted = str(args.release or config.get("briefbook_release") or "").strip()
    try:
        release = scheme.level(wanted).name if wanted else ""
    except MarkingError as exc:
        print(f"{PROG}: {'--release' if args.release else f'{conf}: briefbook_release'}: {exc}",
              file=sys.stderr)
        return 2
    try:
        criteria = Criteria(list(targets), parse_day(args.start, "--from") if args.start else None,
                            parse_day(args.end, "--to") if args.end else None,
                            args.tag or "", args.title or "", release)
        pages = book_pages(book.srcdir, config, book.root, reading)
        root_doc = str(config.get("root_doc") or config.get("master_doc") or "index")
        chosen = select(criteria, pages, book, root_doc, scheme)
    except SelectionError as exc:
        for note in exc.notes:
            print(f"{PROG}: note: {note}", file=sys.stderr)
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    for note in chosen.notes:
        print(f"{PROG}: note: {note}", file=sys.stderr)
    builddir = (Path(args.builddir) if args.builddir else book.root / "_build").resolve()
    out = Path(args.out).resolve() if args.out else builddir / "pdf"
    if not args.out or out.is_dir():
        out = out / f"{chosen.name}.pdf"
    if not release:
        return handout.build(book, config, chosen, builddir, out)
    return handout.build(book, config, chosen, builddir, out, release,
                         gate=lambda latex: book_gate(book, release, [latex], PROG))


def register_pdf(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pdf", help="a PDF of one briefing, or of a selection, to hand round",
        description="Build a PDF of the pages named (docname, file, or a file name unique in "
                    "the book) and/or of the briefings dated --from/--to or tagged --tag: a "
                    "cover (title, as-of date, edition, marking, distribution), the briefings "
                    "newest first, and the glossary entries and sources they use. Only the "
                    "selected pages are read. The PDF replaces --out only when it built. "
                    "Exit 0: written; 1: the build failed (or, with --release, a page's "
                    "marking cannot be determined, or the handout failed the final gate); "
                    "2: nothing to print or bad input.")
    parser.add_argument("targets", nargs="*", metavar="[BOOK] PAGE",
                        help="the book's folder (default: here), then pages to print")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                        help="briefings dated on or after this day")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                        help="briefings dated on or before this day")
    parser.add_argument("--tag", help="briefings whose front matter's tags: include TAG")
    parser.add_argument("--title", metavar="TEXT",
                        help="the cover's title (default: the briefing's own, or one "
                             "naming the dates or tag)")
    parser.add_argument("--out", metavar="FILE",
                        help="where the PDF goes (default: BUILDDIR/pdf/<name>.pdf)")
    parser.add_argument("--release", metavar="LEVEL",
                        help="a released edition: leave out what is marked above LEVEL")
    parser.add_argument("--builddir", help="build folder (default: BOOK/_build)")
    parser.set_defaults(func=_cmd_pdf)
