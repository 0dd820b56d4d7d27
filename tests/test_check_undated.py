"""``briefbook check`` reports an undated briefing (BB507), and only an undated one.

A new book (``briefbook init``) with hand-written briefings: undated, dated, dated but
still named ``undated-…``, dated in words, and a page outside the briefings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbook.check.run import run_check
from briefbook.cli import main

PAGES = {
    "briefings/undated-talks.md": "---\ntitle: Talks\nauthor: A. Writer\n---\n\n# Talks\n\nText.\n",
    "briefings/2024-03-04-talks.md": ("---\ntitle: Talks again\ndate: 2024-03-04\n"
                                      "author: A. Writer\n---\n\n# Talks again\n\nText.\n"),
    "briefings/undated-now-dated.md": ("---\ntitle: Dated later\nauthor: A. Writer\n"
                                       "date: 2024-03-05\n---\n\n# Dated later\n\nText.\n"),
    "briefings/2024-03-06-words.md": ("---\ntitle: In words\ndate: March 6\n"
                                      "author: A. Writer\n---\n\n# In words\n\nText.\n"),
    "notes.md": "---\norphan: true\n---\n\n# Notes\n\nNo date needed here.\n",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("undated") / "book"
    assert main(["init", str(root)]) == 0
    for name, text in PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return root


def test_undated_briefings_are_reported_where_the_date_goes(book: Path) -> None:
    found = [f for f in run_check(book) if f.code == "BB507"]
    assert [(f.path, f.line) for f in found] == [
        ("docs/briefings/2024-03-06-words.md", 3),
        ("docs/briefings/undated-now-dated.md", 4),
        ("docs/briefings/undated-talks.md", 1),
    ]
    words, renamed, undated = (f.message for f in found)
    assert words == "the briefing's date 'March 6' is not a date written YYYY-MM-DD"
    assert renamed == ("the briefing is dated 2024-03-05 but its file name still says undated: "
                       "rename it 2024-03-05-now-dated.md")
    assert undated == "the briefing has no date (no date: line in its front matter)"
    assert all(f.severity == "warning" and "date: YYYY-MM-DD" in f.hint for f in found)


def test_undated_is_a_warning_failing_only_strict(book: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(book), "--no-color"]) == 0
    out = capsys.readouterr().out
    assert ("  docs/briefings/undated-talks.md:1: BB507 the briefing has no date (no date: line in "
            "its front matter)\n      fix: add date: YYYY-MM-DD to the front matter and name "
            "the file <date>-<slug>.md (or ingest it again with --update --date)") in out
    assert "0 error(s), 3 warning(s)" in out
    assert main(["check", str(book), "--strict"]) == 1
    assert main(["check", str(book), "--strict", "--ignore", "BB507"]) == 0
