"""Where review finds a book's parts: the same layout ``briefbook check`` reads.

The registry is the folder ``conf.py`` names in ``briefbook_registry`` (``conf/entities``
in a book made by ``briefbook init``), the pages are ``docs/``, the briefings
``docs/briefings/``.  Review keeps its undo journal in ``.briefbook/`` at the book's root:
it is the analyst's local history, not part of the book.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefbook.book.layout import Book, read_config, registry_folder
from briefbook.review.model import ReviewError

JOURNAL = Path(".briefbook") / "review-journal.jsonl"


class BookNotFoundError(ReviewError):
    """The folder is not a book (no ``conf/conf.py``): a usage error, not a decision's."""


@dataclass(frozen=True)
class ReviewBook:
    """A book's root, pages, briefings, registry folder and review journal."""

    root: Path
    srcdir: Path
    registry: Path

    @classmethod
    def find(cls, root: Path) -> ReviewBook:
        try:
            book = Book.find(Path(root))
        except SystemExit as exc:
            raise BookNotFoundError(f"{Path(root).resolve()}: not a book (no conf/conf.py)") from exc
        try:
            config = read_config(book, ("briefbook_registry",))
        except Exception as exc:  # conf.py is the user's code: say whose error it is
            raise BookNotFoundError(f"{book.confdir / 'conf.py'}: cannot be read ({exc})") from exc
        return cls(book.root, book.srcdir, registry_folder(book, config))

    @property
    def briefings(self) -> Path:
        return self.srcdir / "briefings"

    @property
    def journal(self) -> Path:
        return self.root / JOURNAL

    def rel(self, path: Path) -> str:
        """``path`` relative to the book's root, with forward slashes (keys and messages)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
