"""The review queue of one book, as the terminal app and the script flags drive it.

:class:`ReviewSession` implements :class:`briefbook.review.model.Session`: each call reads
the book afresh (an editor may change a page or the registry between two keystrokes), and
each decision is checked, journalled and written in one step (:mod:`.decisions`).
"""

from __future__ import annotations

from pathlib import Path

from briefbook.review import decisions
from briefbook.review.book import ReviewBook
from briefbook.review.decisions import Plan, find_item
from briefbook.review.model import Item, Outcome
from briefbook.review.queue import build_queue


class ReviewSession:
    """The review queue of the book at ``book`` (its root folder)."""

    def __init__(self, book: Path) -> None:
        self.book = ReviewBook.find(book)

    def items(self) -> list[Item]:
        registry, state = decisions.load_book(self.book)
        return build_queue(self.book, registry, state)

    def entries(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        registry, _ = decisions.load_book(self.book)
        chosen = [e for e in registry if not e.unreviewed and (kind is None or e.kind == kind)]
        return [(e.id, e.kind, e.name) for e in sorted(chosen, key=lambda e: (e.sort_key, e.id))]

    def accept(self, key: str, kind: str | None = None, name: str | None = None) -> Outcome:
        return decisions.decide(
            self.book, lambda plan, items: decisions.accept(plan, find_item(items, key), kind, name))

    def accept_all(self) -> Outcome:
        """Accept every entity item as proposed, as one decision (one undo takes it back)."""
        return decisions.decide(self.book, decisions.accept_all)

    def merge(self, key: str, into: str) -> Outcome:
        return decisions.decide(
            self.book, lambda plan, items: decisions.merge(plan, find_item(items, key), into))

    def reject(self, key: str) -> Outcome:
        return decisions.decide(
            self.book, lambda plan, items: decisions.reject(plan, find_item(items, key)))

    def date_page(self, key: str, date: str) -> Outcome:
        def action(plan: Plan, items: list[Item]) -> str:
            return decisions.date_page(plan, find_item(items, key), date)

        return decisions.decide(self.book, action)

    def undo(self) -> Outcome | None:
        return decisions.undo(self.book)
