"""BB507: pages with no date, which the review queue puts first and the timeline leaves out.

:func:`undated_reason` is the one rule; ``briefbook review`` asks it too, so the queue and
the check never disagree on which pages need a date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefbook.book.briefings import briefing_date
from briefbook.book.layout import Book
from briefbook.check.findings import Finding, finding
from briefbook.editions.decision import front_matter
from briefbook.editions.release import reading_of


def undated_reason(path: Path, metadata: dict[str, Any]) -> str | None:
    """Why a briefing counts as undated (None when it is dated and named for its date).

    A briefing is a page in ``briefings/`` or one whose front matter names its
    ``source:`` (what ingest writes); undated is no readable ``date:`` in its front
    matter, or a file name still starting ``undated-`` after the date was added.  Such a
    page sorts last in the navigation and the PDF, and its judgements have no "as of"."""

    when = briefing_date(metadata)
    raw = metadata.get("date")
    if when is None and raw not in (None, ""):
        return f"the briefing's date {str(raw)!r} is not a date written YYYY-MM-DD"
    if when is None:
        return "the briefing has no date (no date: line in its front matter)"
    if path.name.startswith("undated-"):
        return (f"the briefing is dated {when.isoformat()} but its file name still says "
                f"undated: rename it {when.isoformat()}-{path.name.removeprefix('undated-')}")
    return None


def undated_findings(book: Book, app: Any) -> list[Finding]:
    """BB507 for each undated briefing, at its ``date:`` line (else the page's line 1).

    Only here, not in the build: an undated page builds and reads fine (it sorts last,
    under "Undated"), and a build warning would stop every ``-W`` build of a batch
    ingested before it was dated; like the names left for review (BB103, BB310), it is
    work left for the analyst, which ``check`` lists and ``check --strict`` fails on."""
    env = app.env
    briefings = (book.srcdir / "briefings").resolve()
    found = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname)).resolve()
        metadata = env.metadata.get(docname, {})
        if not (path.is_relative_to(briefings) or metadata.get("source")
                or path.name.startswith("undated-")):
            continue
        reason = undated_reason(path, metadata)
        if reason is not None:
            found.append(finding(book, path, _front_matter_line(path, "date", app), "BB507",
                                 reason))
    return found


def _front_matter_line(path: Path, key: str, app: Any) -> int:
    """The line of ``key:`` in a page's front matter as MyST delimits it (1 when it has
    none): the same reading the release decision takes (:mod:`briefbook.editions.decision`)."""

    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return 1
    found = front_matter(text, reading_of(app)[0].markdown)
    if found is None:
        return 1
    for number, line in enumerate(found.content.split("\n"), start=found.first_line):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
    return 1

