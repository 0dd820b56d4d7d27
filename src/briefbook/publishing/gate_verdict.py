"""The final gate as the commands run it: on a book, with its verdict on standard error.

``briefbook build --release``, ``briefbook pdf --release`` and ``briefbook export
--release`` publish nothing that fails the gate (:mod:`.gate`); each runs it through
:func:`book_gate`, which reads the book's configuration, prints the gate's summary, what
it could not check, and every leak (output file, withheld source and word), and says
whether the release may be published.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefbook.book.layout import read_config
from briefbook.publishing.gate import GateError, check, display_path

if TYPE_CHECKING:
    from briefbook.book.layout import Book
    from briefbook.publishing.gate import Report


def book_gate(book: Book, level: str, outputs: Sequence[Path | tuple[str, bytes]],
              prog: str) -> bool:
    """Run the gate for a command on a book, print its verdict and every hit on standard
    error; True when the release may be published."""
    try:
        config = read_config(book)
        report = check(book.srcdir, config, level, outputs, book.confdir, book.root)
    except GateError as exc:
        print(f"{prog}: final gate: {exc}; nothing published", file=sys.stderr)
        return False
    except Exception as exc:  # conf.py is the book's own code: fail closed, say why
        print(f"{prog}: final gate could not read the book: {type(exc).__name__}: {exc}; "
              "nothing published", file=sys.stderr)
        return False
    print_report(report, prog, book.root, book.srcdir)
    return report.passed


def print_report(report: Report, prog: str, root: Path | None = None,
                 srcdir: Path | None = None) -> None:
    """The gate's verdict, what it could not check, and every leak (file, source, word)."""
    print(f"{prog}: {report.summary()}", file=sys.stderr)
    for item in report.unchecked:
        print(f"{prog}: note: {_relative(item.source, root, srcdir)}:{item.line} ({item.what}): no word of "
              "it is distinctive (all are in what the release keeps); the gate cannot check "
              "it", file=sys.stderr)
    for problem in report.unreadable:
        print(f"{prog}: final gate cannot read {problem}", file=sys.stderr)
    shown = report.hits[:50]
    for hit in shown:
        token = hit.token
        where = f"{_relative(token.source, root, srcdir)}:{token.line}"
        what = f" ({token.what})" if token.what else ""
        print(f"{prog}: LEAK: {hit.output} holds '{token.text}' ({hit.form}) from {where}"
              f"{what}", file=sys.stderr)
    if len(report.hits) > len(shown):
        print(f"{prog}: … and {len(report.hits) - len(shown)} more", file=sys.stderr)


def _relative(source: str, root: Path | None, srcdir: Path | None = None) -> str:
    """A withheld source as the book's commands name files: from the book's root (a page's
    source is relative to the source folder)."""
    path = Path(source)
    if not path.is_absolute() and srcdir is not None:
        path = srcdir / path
    return display_path(path, root)
