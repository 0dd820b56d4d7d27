"""``briefbook check``: the command, and the one pass over the book it makes.

The registry and the bib files are validated first, then Sphinx reads every page with its
``dummy`` builder in a fresh environment, then the checks a build does not make run on what
it read; findings come back sorted and with silenced ones left out.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from briefbook.book import layout
from briefbook.book.layout import Book, read_config
from briefbook.book.silencing import read_lines, silenced_by_comment
from briefbook.check.findings import (
    Finding,
    finding,
    format_github,
    format_human,
    format_json,
    sphinx_findings,
)
from briefbook.check.registry_use import registry_findings
from briefbook.check.undated import undated_findings
from briefbook.check.unlinked import unlinked_mentions
from briefbook.entities.registry import RegistryError
from briefbook.entities.registry_files import load_registry
from briefbook.sources.archive import verify as verify_copies
from briefbook.sources.validation import drop_duplicates, validate_bibfile

# Reported from the bib files and preserved copies themselves (the Sphinx read of the
# check sees a de-duplicated copy of the bib file, whose folder holds no copies).
_FROM_BIB_FILES = frozenset(f"BB4{n:02d}" for n in range(3, 15)) - {"BB406", "BB407"}


def read_book(book: Book, overrides: dict[str, Any], purpose: str = "check") -> tuple[Any, str]:
    """Read every page with Sphinx's dummy builder; return the app and its warnings.

    A fresh environment each time: warnings are only emitted when a page is read, so a
    cached environment would hide the problems of unchanged pages.  ``purpose`` names
    the scratch folder under ``_build`` (``briefbook link`` reads beside a check).
    """
    out = book.root / "_build" / purpose
    warnings = io.StringIO()
    with patch_docutils(book.confdir), docutils_namespace():
        app = Sphinx(str(book.srcdir), str(book.confdir), str(out), str(out / ".doctrees"),
                     "dummy", status=None, warning=warnings, freshenv=True,
                     warningiserror=False, keep_going=True, verbosity=0,
                     confoverrides={"briefbook_registry_lenient": True, **overrides})
        app.build(force_all=True)
    return app, warnings.getvalue()


@dataclass
class BibCopy:
    """A copy of a bib file without its later duplicate entries, and its line map."""

    original: Path
    copy: Path
    lines: list[int]  # copy line (0-based index) → original line number


def without_duplicates(path: Path, out: Path) -> BibCopy:

    text, line_map = drop_duplicates(path.read_text(encoding="utf-8-sig"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return BibCopy(path, out, line_map)


def _from_copy(book: Book, item: Finding, copies: list[BibCopy]) -> Finding:
    """Point a finding in a de-duplicated bib copy back at the user's file and line."""
    for copy in copies:
        if copy.copy != copy.original and item.path == book.rel(copy.copy):
            line = copy.lines[item.line - 1] if 0 < item.line <= len(copy.lines) else item.line
            return Finding(book.rel(copy.original), line, item.code, item.message,
                           item.severity, item.hint)
    return item


def suppressed(book: Book, item: Finding, cache: dict[str, list[str]]) -> bool:
    """``briefbook-ignore[: CODE, …]`` in a comment on the finding's line or the one
    before (the rule the build follows too: :mod:`briefbook.book.silencing`)."""
    if item.path not in cache:
        cache[item.path] = read_lines(book.root / item.path)
    return silenced_by_comment(cache[item.path], item.line, item.code)


def run_check(root: Path, ignore: Iterable[str] = ()) -> list[Finding]:
    """Every finding for the book at ``root``, sorted by file and line, silenced ones out."""

    book = Book.find(root)
    findings: list[Finding] = []
    config = read_config(book, SETTINGS)
    registry_folder = layout.registry_folder(book, config)
    try:
        registry = load_registry(registry_folder, base=registry_folder)
    except RegistryError as error:
        for problem in error.problems:
            findings.append(finding(book, registry_folder / problem.path, problem.line,
                                    problem.code, problem.message))
        registry = load_registry(registry_folder, base=registry_folder, lenient=True)

    fatal_bib = False
    copies: list[BibCopy] = []
    for name in config.get("bibtex_bibfiles") or []:
        path = (book.srcdir / name).resolve()
        if not path.is_file():
            continue
        report = validate_bibfile(path)
        for problem in [*report.errors, *report.warnings]:
            findings.append(finding(book, path, problem.line, problem.code, problem.message))
        # Preserved copies: missing, unreadable or changed since capture (the fields
        # themselves were checked just above).
        for problem in verify_copies(path):
            if problem.code in ("BB412", "BB413", "BB414"):
                findings.append(finding(book, path, problem.line, problem.code, problem.message))
        if any(p.code in ("BB406", "BB407") for p in report.errors):
            fatal_bib = True  # unreadable: the pages cannot be checked against it
            findings.append(finding(book, path, 1, "BB407",
                                    "the pages were not checked: fix this file first"))
            continue
        out = book.root / "_build" / "check" / "bib" / f"{len(copies)}-{path.name}"
        copies.append(without_duplicates(path, out))
    if not fatal_bib:
        overrides = {"bibtex_bibfiles": [str(c.copy) for c in copies]} if copies else {}
        app, stream = read_book(book, overrides)
        for item in sphinx_findings(book, stream):
            if item.code.startswith("BB3") or item.code in _FROM_BIB_FILES:
                continue  # already reported from the files themselves
            findings.append(_from_copy(book, item, copies))
        findings.extend(unlinked_mentions(book, app, registry))
        findings.extend(registry_findings(book, app, registry))
        findings.extend(undated_findings(book, app))
    skip = set(ignore) | set(config.get("briefbook_check_ignore") or [])
    cache: dict[str, list[str]] = {}
    unique = sorted(set(findings))
    return [f for f in unique if f.code not in skip and not suppressed(book, f, cache)]


#: The settings of conf.py a check reads.
SETTINGS = ("briefbook_registry", "bibtex_bibfiles", "briefbook_check_ignore")


def main(args: Any) -> int:
    root = Path(args.path)
    findings = run_check(root, ignore=args.ignore or ())
    strict = bool(args.strict)
    if args.format == "json":
        print(format_json(findings, strict))
    elif args.format == "github":
        output = format_github(findings, strict)
        if output:
            print(output)
    else:
        colour = sys.stdout.isatty() and not args.no_color
        print(format_human(findings, strict, colour), end="")
    failing = [f for f in findings if strict or f.severity == "error"]
    return 1 if failing else 0


def register_check(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="report everything wrong with a book (file:line, code, fix)",
        description="Report unresolved names, unsourced quotes and claims, registry and "
                    "bibliography problems and unlinked mentions, without building HTML.")
    parser.add_argument("path", nargs="?", default=".", help="the book's root (default: here)")
    parser.add_argument("--format", choices=("human", "json", "github"), default="human")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--ignore", action="append", metavar="CODE",
                        help="silence a code (repeatable)")
    parser.add_argument("--no-color", action="store_true", help="plain output on a terminal")
    parser.set_defaults(func=main)

