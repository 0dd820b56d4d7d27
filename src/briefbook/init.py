"""``briefbook init DIR``: a new, empty briefing book that builds at once.

A book is a Sphinx project in the layout every briefbook command assumes: pages in
``docs/`` (briefings in ``docs/briefings/``), the configuration in ``conf/conf.py`` with
the entity registry beside it in ``conf/entities/``, and ``sources.bib`` at the top; that
is what lets ``briefbook ingest ARTICLE.txt`` run inside the book with no options.
Copying a finished book to start a new one drags its content along, and writing the
layout by hand misses a setting or a page, so ``init`` writes it from templates shipped
in the package (``briefbook/templates/book/skeleton``), empty but for comments that say
what goes where; ``--sample`` adds the sample briefing with the registry entries and
sources it needs (``briefbook/templates/book/sample``).

The title, author and marking the user gives go into files of several languages, each
escaped for its own: a Python string literal in ``conf.py``, and inside such literals
LaTeX for the PDF's title page and HTML for the theme's header; Markdown in the front
page and README; the marking's canonical name (checked against the TLP scheme) in the
Makefile. A title with ``&``, quotes or backslashes therefore cannot break the build.

``init`` never overwrites: a file that exists is kept byte for byte and listed as
skipped, so running it again on a book only restores what is missing. Files are written
atomically (:mod:`briefbook.book.atomic`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import shlex
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import TextIO

from briefbook.book.atomic import atomic_write
from briefbook.editions.markings import TLP_2_0, MarkingError, Scheme

PROG = "briefbook init"
DEFAULT_TITLE = "Briefing Book"
DEFAULT_AUTHOR = "The editors"
DEFAULT_MARKING = "TLP:CLEAR"
#: In a template, ``{{name}}`` is replaced by the value of that name (see :func:`values`).
PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
#: Template names that tools would otherwise take for their own files: ``dot-gitignore``
#: is the book's ``.gitignore`` (a real one would apply to briefbook's own repository),
#: ``conf.py.tmpl`` its ``conf.py`` (with placeholders it is not Python yet).
DOT_PREFIX = "dot-"
TEMPLATE_SUFFIX = ".tmpl"
#: ASCII punctuation that means something inside a line of MyST Markdown (emphasis, code
#: and roles, links, raw HTML, math, tables, strike-through, a heading's closing #s), an
#: ``&`` that could start an entity (``&amp;``, ``&#38;``) and a ``%`` that would start a
#: comment: escaped with a backslash, which CommonMark allows before any ASCII punctuation.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#$|~]|&(?=[A-Za-z0-9#])|^%)")


class InitError(Exception):
    """The book cannot be written; the message names the file or the option.

    ``usage``: the options asked for something impossible (exit code 2), rather than a
    file that could not be written (exit code 1).
    """

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class BookValues:
    """What the user chose for the new book: title and author on one line, the marking
    by its canonical name (:class:`InitError` when one cannot be used)."""

    title: str = DEFAULT_TITLE
    author: str = DEFAULT_AUTHOR
    marking: str = DEFAULT_MARKING
    year: int = field(default_factory=lambda: dt.date.today().year)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", one_line(self.title, "the title"))
        object.__setattr__(self, "author", one_line(self.author, "the author"))
        object.__setattr__(self, "marking", check_marking(self.marking))


@dataclass(frozen=True)
class Planned:
    """One file of the new book: where it goes (relative, POSIX) and what it holds."""

    path: PurePosixPath
    text: str
    sample: bool = False


@dataclass
class Report:
    """What ``init`` did (or, with ``dry_run``, would do)."""

    root: Path
    created: list[PurePosixPath] = field(default_factory=list)
    skipped: list[PurePosixPath] = field(default_factory=list)
    sample_refused: list[PurePosixPath] = field(default_factory=list)
    dry_run: bool = False


# --- escaping ------------------------------------------------------------------------------


def one_line(text: str, what: str) -> str:
    """``text`` on one line, whitespace collapsed; an empty value or a control character
    is an :class:`InitError` naming ``what`` (the option)."""
    text = unicodedata.normalize("NFC", " ".join(str(text).split()))
    if not text:
        raise InitError(f"{what} is empty", usage=True)
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs")]
    if bad:
        raise InitError(f"{what} contains the control character U+{ord(bad[0]):04X}", usage=True)
    return text


def markdown_text(text: str) -> str:
    """``text`` as literal MyST Markdown inline text: ``A & B`` stays ``A & B`` on the page."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def latex_text(text: str) -> str:
    """``text`` as LaTeX, as Sphinx's LaTeX writer escapes text (XeLaTeX: Unicode kept)."""
    from sphinx.util import texescape

    texescape.init()  # the writer's tables, otherwise filled only when it starts
    return texescape.escape(text, latex_engine="xelatex")


def python_string(text: str) -> str:
    """``text`` as a Python string literal."""
    return repr(str(text))


def check_marking(text: str) -> str:
    """The canonical name of the TLP level ``text`` names (``tlp:amber`` → ``TLP:AMBER``,
    ``TLP:WHITE`` → ``TLP:CLEAR``); :class:`InitError` for an unknown one."""
    try:
        return Scheme.from_config(TLP_2_0).level(text).name
    except MarkingError as exc:
        raise InitError(str(exc), usage=True) from None


def values(book: BookValues) -> dict[str, str]:
    """Every placeholder of the templates, escaped for the file it appears in."""
    return {
        # conf/conf.py
        "project_py": python_string(book.title),
        "author_py": python_string(book.author),
        "copyright_py": python_string(f"{book.year}, {book.author}"),
        "marking_py": python_string(book.marking),
        "latex_title_py": python_string(latex_text(book.title)),
        "latex_author_py": python_string(latex_text(book.author)),
        "title_html_py": python_string(html.escape(book.title, quote=False)),
        # docs/index.md, README.md
        "title_md": markdown_text(book.title),
        "author_md": markdown_text(book.author),
        # Makefile, README.md: a level's name is letters, ':' and '+' only
        "marking_name": book.marking,
        # Makefile
        "briefbook_bin_make": make_word(command_folder()),
    }


def command_folder() -> Path | None:
    """The folder of the ``briefbook`` command running now (a virtual environment's
    ``bin``), or None when it cannot be told.

    The new book's Makefile calls this folder's ``briefbook`` (and ``sphinx-autobuild``):
    a user who ran ``.venv/bin/briefbook init`` without activating the environment has no
    ``briefbook`` on PATH, and ``make html`` would stop with error 127.  The script's own
    path comes first; run as ``python -m briefbook``, the interpreter's scripts folder
    (not resolved: a virtual environment's ``python`` is a link to the system's)."""
    import sysconfig

    candidates = []
    if sys.argv and Path(sys.argv[0]).name == "briefbook":
        candidates.append(Path(sys.argv[0]).absolute().parent)
    candidates += [Path(sysconfig.get_path("scripts")), Path(sys.executable).absolute().parent]
    for folder in candidates:
        command = folder / "briefbook"
        if command.is_file() and os.access(command, os.X_OK):
            return folder
    return None


def make_word(folder: Path | None) -> str:
    """``folder`` as one word of a Makefile variable that the shell reads back as the same
    path (quoted for the shell, ``$`` and ``#`` escaped for make); "" for None or a path
    no Makefile can hold (a line break)."""
    if folder is None or "\n" in str(folder) or "\r" in str(folder):
        return ""
    return shlex.quote(str(folder)).replace("$", "$$").replace("#", "\\#")


# --- the templates ------------------------------------------------------------------------


def templates() -> Traversable:
    """The folder of book templates shipped in the package."""
    return resources.files("briefbook").joinpath("templates", "book")


def _walk(folder: Traversable, prefix: PurePosixPath | None = None) -> Iterator[
        tuple[PurePosixPath, Traversable]]:
    """Every file under ``folder``, by its path relative to it, sorted."""
    prefix = prefix or PurePosixPath()
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            yield from _walk(item, prefix / item.name)
        else:
            yield prefix / item.name, item


def target_path(template: PurePosixPath) -> PurePosixPath:
    """Where a template goes in the book: ``dot-gitignore`` → ``.gitignore``,
    ``conf/conf.py.tmpl`` → ``conf/conf.py``."""
    parts = ["." + part.removeprefix(DOT_PREFIX) if part.startswith(DOT_PREFIX) else part
             for part in template.parts]
    parts[-1] = parts[-1].removesuffix(TEMPLATE_SUFFIX)
    return PurePosixPath(*parts)


def render(text: str, mapping: dict[str, str], name: str) -> str:
    """``text`` with every ``{{placeholder}}`` replaced; an unknown one is an error
    naming the template ``name``."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in mapping:
            raise InitError(f"template {name}: unknown placeholder {{{{{key}}}}}")
        return mapping[key]

    return PLACEHOLDER.sub(replace, text)


def plan(book: BookValues, sample: bool = False) -> list[Planned]:
    """Every file of the new book, in order; with ``sample``, the sample's files in place
    of the empty registry and ``sources.bib`` and beside them its briefing."""
    mapping = values(book)
    files: dict[PurePosixPath, Planned] = {}
    for relative, item in _walk(templates() / "skeleton"):
        text = render(item.read_text(encoding="utf-8"), mapping, f"skeleton/{relative}")
        files[target_path(relative)] = Planned(target_path(relative), text)
    if sample:
        for relative, item in _walk(templates() / "sample"):
            files[target_path(relative)] = Planned(target_path(relative),
                                                   item.read_text(encoding="utf-8"), sample=True)
    return [files[path] for path in sorted(files, key=lambda p: (len(p.parts) > 1, str(p)))]


_PORTION_MARKING = re.compile(r"^(?:[`~:]{3,}\{marking\}|:marking:)[ \t]*(\S.*?)[ \t]*$",
                              re.MULTILINE)


def check_sample_marking(planned: list[Planned], marking: str) -> None:
    """The sample marks a portion TLP:GREEN to show how a portion raises its page's
    marking; in a book marked higher, it would lower it (BB602): refuse."""
    scheme = Scheme.from_config(TLP_2_0)
    book = scheme.level(marking)
    for item in planned:
        if not item.sample or item.path.suffix != ".md":
            continue
        for found in _PORTION_MARKING.findall(item.text):
            level = scheme.level(found)
            if level < book:
                raise InitError(
                    f"--sample: the sample briefing {item.path} marks a portion {level.name}, "
                    f"below the book's marking {book.name} (BB602: a portion can only raise "
                    f"its page's marking); use --marking {level.name} or lower, or leave out "
                    "--sample", usage=True)


# --- writing ------------------------------------------------------------------------------


def _exists(path: Path) -> bool:
    return os.path.lexists(path)  # a dangling symlink too: never write through one


def init_book(root: Path, book: BookValues, sample: bool = False,
              dry_run: bool = False) -> Report:
    """Write the files of a new book under ``root`` that are not there yet.

    An existing file is skipped, whatever it holds. The sample goes in whole or not at
    all: its briefing needs the entries of its registry files and ``sources.bib``, so
    when one of those exists with other content, none of the sample is written (listed in
    ``Report.sample_refused``) and the book's own empty files are skipped as usual.
    """
    if _exists(root) and not root.is_dir():
        raise InitError(f"{root} exists and is not a folder", usage=True)
    planned = plan(book, sample)
    clashes: list[PurePosixPath] = []
    if sample:
        check_sample_marking(planned, book.marking)
        skeleton = {item.path: item for item in plan(book, sample=False)}
        clashes = [item.path for item in planned
                   if item.sample and item.path in skeleton and _exists(root / item.path)
                   and not _same(root / item.path, item.text)]
        if clashes:
            planned = [skeleton.get(item.path, item)
                       for item in planned if not item.sample or item.path in skeleton]
    report = Report(root, dry_run=dry_run, sample_refused=clashes)
    for item in planned:
        target = root / item.path
        if _exists(target):
            report.skipped.append(item.path)
            continue
        if not dry_run:
            try:
                atomic_write(target, item.text)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                written = (f" ({len(report.created)} files were written before it)"
                           if report.created else "")
                raise InitError(f"cannot write {target}: {reason}{written}") from exc
        report.created.append(item.path)
    return report


def _same(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


# --- the command ----------------------------------------------------------------------------


def print_report(report: Report, folder: str, stream: TextIO | None = None) -> None:
    """The files created and skipped, one a line, and what to do next."""
    stream = stream if stream is not None else sys.stdout
    would = "would be " if report.dry_run else ""
    verb_created = "would create" if report.dry_run else "created"
    verb_skipped = "would skip" if report.dry_run else "skipped"
    lines = [f"{PROG}: {'dry run, nothing written: ' if report.dry_run else ''}"
             f"book in {report.root}"]
    for path in report.created:
        lines.append(f"  {verb_created:<12} {path}")
    for path in report.skipped:
        lines.append(f"  {verb_skipped:<12} {path} (already there, kept as it is)")
    if not report.created:
        lines.append(f"Nothing to do: all {len(report.skipped)} files of the book are already "
                     f"there, so all {would or 'were '}skipped.")
    else:
        lines.append(f"{len(report.created)} files {would or ''}created, "
                     f"{len(report.skipped)} {would or ''}skipped (already there).")
    if report.created and not report.dry_run:
        lines.append("Next:")
        if Path(folder).resolve() != Path.cwd():
            lines.append(f"  cd {shlex.quote(folder)}")
        lines += ["  make html                      # or: briefbook build --format html .",
                  "  briefbook ingest ARTICLE.txt   # a briefing page from an article",
                  "  make check                     # or: briefbook check ."]
    print("\n".join(lines), file=stream)


def _option(kind: str, check: Callable[[str], str]) -> Callable[[str], str]:
    """An argparse ``type``: ``check``'s :class:`InitError` becomes argparse's own usage
    error (exit code 2, the option named)."""

    def convert(text: str) -> str:
        try:
            return check(text)
        except InitError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = kind  # argparse names it in "invalid <kind> value"
    return convert


def _cmd_init(args: argparse.Namespace) -> int:
    book = BookValues(title=args.title, author=args.author, marking=args.marking)
    try:
        report = init_book(Path(args.folder), book, sample=args.sample, dry_run=args.dry_run)
    except InitError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2 if exc.usage else 1
    print_report(report, args.folder)
    if report.sample_refused:
        listed = ", ".join(str(p) for p in report.sample_refused)
        print(f"{PROG}: the sample {'would not be' if report.dry_run else 'was not'} added: "
              f"{listed} already {'exists' if len(report.sample_refused) == 1 else 'exist'} "
              "with other content, and the sample briefing needs the entries the sample's "
              "own would hold", file=sys.stderr)
        return 1
    return 0


def register_init(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init", help="start a new, empty briefing book that builds at once",
        description="Write a new book into DIR: docs/ (front page, briefings/, glossary, "
                    "timeline, map, references and the annexes), conf/conf.py, an empty "
                    "registry in conf/entities/, sources.bib, a Makefile and a README. "
                    "Existing files are never overwritten: in a folder that has some of "
                    "them, only the missing ones are written and the others listed as "
                    "skipped. Exit 0: done; 1: a file could not be written, or the sample "
                    "could not be added; 2: bad options.")
    parser.add_argument("folder", metavar="DIR", help="the book's folder (made if missing)")
    parser.add_argument("--title", default=DEFAULT_TITLE,
                        type=_option("title", lambda t: one_line(t, "the title")),
                        help=f"the book's title (default: {DEFAULT_TITLE!r})")
    parser.add_argument("--author", default=DEFAULT_AUTHOR,
                        type=_option("author", lambda t: one_line(t, "the author")),
                        help="the author or organisation keeping the book "
                             f"(default: {DEFAULT_AUTHOR!r})")
    parser.add_argument("--marking", default=DEFAULT_MARKING, metavar="LEVEL",
                        type=_option("marking", check_marking),
                        help="the book's handling marking, a Traffic Light Protocol 2.0 "
                             "level: TLP:CLEAR (the default), TLP:GREEN, TLP:AMBER, "
                             "TLP:AMBER+STRICT or TLP:RED")
    parser.add_argument("--sample", action="store_true",
                        help="also add the sample briefing, with the registry entries and "
                             "sources it needs")
    parser.add_argument("--dry-run", action="store_true",
                        help="list what would be written and skipped; write nothing")
    parser.set_defaults(func=_cmd_init)
