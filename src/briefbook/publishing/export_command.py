"""``briefbook export``: the book read as ``check`` reads it, written as one JSON document.

Apart from :mod:`.export`, which every HTML build loads to publish the document beside the
site: the command's read of the book and a release's final gate (:mod:`.gate_verdict`) are
the command's alone, and a build need not import them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

from briefbook.book.atomic import atomic_write
from briefbook.book.layout import Book
from briefbook.editions.release import release_failures
from briefbook.publishing.build_setup import edition_folder
from briefbook.publishing.export import FILENAME, FORMAT, VERSION, dumps, export_book
from briefbook.publishing.gate_verdict import book_gate


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
