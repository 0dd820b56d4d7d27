"""``briefbook review`` for scripts: --list (--json), the decision flags, exit codes.

Run as a user runs it, through :func:`briefbook.cli.main`, on a book as ingest leaves it
(``review_books.make_book``).
"""

from __future__ import annotations

import json
import sys
import types
from dataclasses import fields
from pathlib import Path

import pytest

from briefbook.cli import main
from briefbook.review.model import Item, Occurrence
from briefbook.review.session import ReviewSession
from review_books import TALKS, make_book, snapshot


@pytest.fixture
def book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    made = make_book(tmp_path / "book")
    capsys.readouterr()  # what init said
    return made


def review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["review", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_prints_a_table_with_the_keys(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = review(capsys, str(book), "--list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["KEY", "KIND", "NAME", "FORMS", "COUNT", "PAGES", "REASON",
                                "SUGGESTION"]
    assert lines[1].startswith(f"undated:{TALKS}  ")
    austin = next(line for line in lines if line.startswith("stub:austin "))
    assert austin.split()[1:3] == ["person", "Austin"] and austin.endswith("lloyd-austin")
    assert lines[-1] == "8 item(s) to review"


def test_list_json_is_one_object_per_item_with_every_field(book: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = review(capsys, str(book), "--list", "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 8
    names = {f.name for f in fields(Item)}
    assert all(set(r) == names for r in records)
    country = next(r for r in records if "uk" in r["stub_ids"])
    assert set(country["forms"]) == {"UK", "U.K.", "Britain"}
    assert country["known"]["country"] == "GB"
    assert set(country["occurrences"][0]) == {f.name for f in fields(Occurrence)}


def test_decisions_print_their_outcome_and_undo_takes_them_back(
        book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(book)
    code, out, _ = review(capsys, str(book), "--merge", "stub:austin", "lloyd-austin")
    assert (code, out) == (0, f"merged 'Austin' into lloyd-austin (Lloyd Austin); links rewritten in "
                              f"{TALKS}\n")
    code, out, _ = review(capsys, str(book), "--reject", "candidate:place:Baltic")
    assert (code, out) == (0, "rejected 'Baltic' (1 name(s) remembered)\n")
    code, out, _ = review(capsys, str(book), "--accept", "stub:ministry-of-defence",
                          "--name", "Ministry of Defence (UK)")
    assert code == 0 and out.startswith("accepted 'Ministry of Defence (UK)' as a organization")
    code, out, _ = review(capsys, str(book), "--date", f"undated:{TALKS}", "2025-02-11")
    assert code == 0 and out.startswith(f"dated {TALKS} 2025-02-11")
    for _ in range(4):
        code, out, _ = review(capsys, str(book), "--undo")
        assert code == 0 and out.startswith("undid: ")
    assert snapshot(book) == before
    assert review(capsys, str(book), "--undo")[:2] == (0, "nothing to undo\n")


def test_accept_all_leaves_nothing_unreviewed(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = review(capsys, str(book), "--accept-all")
    # The country's stubs became one entry: the talks page's link to "uk" follows it.
    assert (code, out) == (0, f"accepted 5 item(s); links rewritten in {TALKS}\n")
    code, out, _ = review(capsys, str(book), "--list", "--json")
    # The undated page and the names ingest left as bare candidates (no stub) stay: each
    # takes a decision of its own.
    left = [json.loads(line) for line in out.splitlines()]
    assert left[0]["category"] == "undated"
    assert all(not i["stub_ids"] for i in left[1:]) and len(left) == 3
    main(["check", "--strict", "--format", "json", str(book)])
    report = json.loads(capsys.readouterr().out)
    assert report["findings"], "the check ran"
    codes = {f["code"] for f in report["findings"]}
    assert "BB310" not in codes  # nothing unreviewed
    assert "BB101" not in codes  # every link still resolves
    assert not {c for c in codes if c.startswith("BB30")}  # the registry loads cleanly


def test_a_decision_that_fails_exits_1_and_says_why(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(book)
    code, out, err = review(capsys, str(book), "--accept", "stub:nobody")
    assert (code, out) == (1, "")
    assert err == ("briefbook review: no item 'stub:nobody' in the review queue "
                   "(briefbook review --list shows the keys)\n")
    people = book / "conf" / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "- id: Bad Id\n  name: X\n", encoding="utf-8")
    code, _, err = review(capsys, str(book), "--list")
    assert code == 1 and "conf/entities/people.yaml" in err and "BB307" in err
    people.write_bytes(before["conf/entities/people.yaml"])
    assert snapshot(book) == before


@pytest.mark.parametrize("args", [
    ["--json"],
    ["--name", "X", "--list"],
    ["--as-kind", "place"],
])
def test_flags_out_of_place_are_usage_errors(book: Path, capsys: pytest.CaptureFixture[str],
                                             args: list[str]) -> None:
    code, _, err = review(capsys, str(book), *args)
    assert code == 2 and err.startswith("briefbook review: ")


def test_conflicting_actions_and_a_missing_book_are_usage_errors(
        tmp_path: Path, book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["review", str(book), "--list", "--undo"])
    assert stopped.value.code == 2
    capsys.readouterr()
    code, _, err = review(capsys, str(tmp_path / "nowhere"), "--list")
    assert code == 2 and "not a book (no conf/conf.py)" in err


def test_without_a_flag_the_interactive_queue_opens_on_the_book(
        book: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    terminal = types.ModuleType("briefbook.review.terminal")

    def run_terminal(session: ReviewSession, book: str = "") -> int:
        opened.append(session)
        assert book == book_name
        return 0

    terminal.run_terminal = run_terminal  # type: ignore[attr-defined]
    book_name = book.resolve().name
    monkeypatch.setitem(sys.modules, "briefbook.review.terminal", terminal)
    code, _, _ = review(capsys, str(book))
    assert code == 0
    assert len(opened) == 1 and isinstance(opened[0], ReviewSession)
    assert opened[0].book.root == book.resolve()
