"""The records the review queue hands between its parts: items, occurrences, outcomes.

The queue (:mod:`.queue`) builds :class:`Item` records, the decisions
(:mod:`.decisions`) return :class:`Outcome` records, and every interface (the terminal
app, the ``--list --json`` output, scripts) talks to a :class:`Session`, so the terminal
app can be driven by its tests without knowing how decisions are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

ItemCategory = Literal["entity", "undated"]


class ReviewError(Exception):
    """A decision that cannot be applied; the message names the file (and line) and
    nothing has been written."""


@dataclass(frozen=True)
class Occurrence:
    """One sentence of a page in which the item's name occurs.

    ``page`` is relative to the book's root; ``start``/``end`` index the name in
    ``sentence`` (plain text, markup stripped) so an interface can highlight it.
    """

    page: str
    line: int
    sentence: str
    start: int
    end: int


@dataclass
class Item:
    """One decision in the queue: an entity (one or several variant stubs or
    candidates) or an undated page.

    ``key`` is stable across runs ("stub:<id>", "candidate:<kind>:<name>",
    "undated:<page>") so scripts can name it. ``known`` is what accepting fills from
    offline data (coordinates, country, a person's role with its date, an
    organisation's kind); ``suggestions`` are ids of reviewed entries it may be the
    same as, best first, for a merge. ``impact`` orders the queue: how much the
    decision changes the book (mentions it links, pages it touches).
    """

    key: str
    category: ItemCategory
    kind: str
    name: str
    forms: list[str] = field(default_factory=list)
    stub_ids: list[str] = field(default_factory=list)
    reason: str = ""
    count: int = 0
    articles: list[str] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    known: dict[str, Any] = field(default_factory=dict)
    impact: int = 0


@dataclass
class Outcome:
    """What a decision did, in one line for the user, and the files it changed."""

    message: str
    files: list[Path] = field(default_factory=list)


class Session(Protocol):
    """The review queue of one book, as every interface sees it."""

    def items(self) -> list[Item]:
        """The queue, most consequential decision first (read afresh each call)."""

    def entries(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        """Reviewed registry entries as ``(id, kind, name)``, to merge into."""

    def accept(self, key: str, kind: str | None = None, name: str | None = None) -> Outcome:
        """Make the item a reviewed entry (as ``kind``, under ``name`` when given)."""

    def merge(self, key: str, into: str) -> Outcome:
        """Fold the item into entry ``into``: its forms become aliases."""

    def reject(self, key: str) -> Outcome:
        """Remove the item's stubs and remember its names as rejected."""

    def date_page(self, key: str, date: str) -> Outcome:
        """Give an undated page its date (``YYYY-MM-DD``) and its dated file name."""

    def undo(self) -> Outcome | None:
        """Take the last decision back; None when there is nothing to undo."""
