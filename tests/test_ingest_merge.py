"""The three-way merge behind ``ingest --update``: what survives, what conflicts.

Pages here are shaped like ingest's (front matter, one paragraph per line, blank lines
between): *base* is what ingest wrote, *ours* the analyst's page, *theirs* the new render.
"""

from __future__ import annotations

import pytest

from briefbook.ingest.merge import has_markers, merge_text

BASE = "---\ntitle: T\nsource: k\n---\n\n# T\n\nP1\n\nP2\n\nP3\n"


def page(front: str = "title: T\nsource: k\n", body: str = "P1\n\nP2\n\nP3\n") -> str:
    return f"---\n{front}---\n\n# T\n\n{body}"


@pytest.mark.parametrize(("ours", "theirs", "merged"), [
    # Edits in different paragraphs.
    (page(body="P1 mine\n\nP2\n\nP3\n"), page(body="P1\n\nP2\n\nP3 new\n"),
     page(body="P1 mine\n\nP2\n\nP3 new\n")),
    # A note added after a paragraph the article changed; one added before it.
    (page(body="P1\n\nP2\n\nNOTE\n\nP3\n"), page(body="P1\n\nP2 new\n\nP3\n"),
     page(body="P1\n\nP2 new\n\nNOTE\n\nP3\n")),
    (page(body="P1\n\nP2\n\nP3\n\nNOTE\n"), page(body="P1\n\nP2\n\nP3 new\n"),
     page(body="P1\n\nP2\n\nP3 new\n\nNOTE\n")),
    # A paragraph the article dropped, one the analyst deleted.
    (page(body="P2\n\nP3\n"), page(body="P1\n\nP2\n"), page(body="P2\n")),
    # Front matter: the analyst's key and the article's date, in different places.
    (page(front="title: T\nsource: k\ntags: [a]\n"), page(front="title: T\ndate: 2024-01-02\nsource: k\n"),
     page(front="title: T\ndate: 2024-01-02\nsource: k\ntags: [a]\n")),
    # The same change on both sides is no conflict.
    (page(body="P1\n\nP2 same\n\nP3\n"), page(body="P1\n\nP2 same\n\nP3\n"),
     page(body="P1\n\nP2 same\n\nP3\n")),
])
def test_edits_on_either_side_survive(ours: str, theirs: str, merged: str) -> None:
    result = merge_text(BASE, ours, theirs)
    assert result.clean and result.text == merged


@pytest.mark.parametrize(("ours", "theirs", "where"), [
    (page(body="P1\n\nP2 mine\n\nP3\n"), page(body="P1\n\nP2 new\n\nP3\n"), "line 10"),
    # Two additions at one place: which comes first is the analyst's call.
    (page(body="P1\n\nP2\n\nP3\n\nNOTE\n"), page(body="P1\n\nP2\n\nP3\n\nP4\n"), "lines 13-14"),
    (page(front="title: Mine\nsource: k\n"), page(front="title: Theirs\nsource: k\n"), "line 2"),
    # The analyst deleted a paragraph the article changed.
    (page(body="P1\n\nP3\n"), page(body="P1\n\nP2 new\n\nP3\n"), "before line 10"),
])
def test_both_changing_one_place_is_a_conflict(ours: str, theirs: str, where: str) -> None:
    result = merge_text(BASE, ours, theirs)
    assert not result.clean
    assert [c.describe() for c in result.conflicts] == [where]
    assert result.text == ours  # what a caller would keep: the page as it is
    assert has_markers(result.marked) and not has_markers(result.text)
