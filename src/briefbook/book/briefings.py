"""Which pages are briefings, and their dates: one rule for every listing and command.

A briefing is a page whose front matter gives a ``date`` and an ``author``. The front page,
the timeline, the edition's "as of" date, the sourcing table, the check's BB507 and the
review queue all ask this module, so none of them can count a page another leaves out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def parse_date(value: Any) -> dt.date | None:
    """Return the front matter's ``date`` as a date, or None when absent or malformed."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def format_date(value: dt.date) -> str:
    """``17 November 2024``: unambiguous for readers on both sides of the Atlantic."""
    return f"{value.day} {value:%B %Y}"


def briefing_date(metadata: dict[str, Any]) -> dt.date | None:
    return parse_date(metadata.get("date"))


@dataclass(frozen=True)
class Briefing:
    docname: str
    title: str
    date: dt.date
    author: str


def briefings(env: BuildEnvironment) -> list[Briefing]:
    """Every briefing in the book, newest first (ties by title)."""
    found = []
    for docname in sorted(env.found_docs):
        metadata = env.metadata.get(docname, {})
        date = briefing_date(metadata)
        author = str(metadata.get("author", "")).strip()
        if date is None or not author:
            continue
        title = env.titles[docname].astext() if docname in env.titles else docname
        found.append(Briefing(docname, title, date, author))
    return sorted(found, key=lambda b: (-b.date.toordinal(), b.title.casefold()))
