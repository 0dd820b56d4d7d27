"""The interactive review queue, driven by the keyboard through Textual's pilot.

The app is run against :class:`FakeSession`, an in-memory queue that keeps the
:class:`~briefbook.review.model.Session` contract (decided items leave the queue,
``undo`` puts the last one back where it was, a refused decision raises
:class:`ReviewError` and changes nothing) and records every call, so each test can
assert both what the user sees and what the session was asked to do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from rich.console import Console
from rich.padding import Padding
from textual.pilot import Pilot

from briefbook.review.item_view import describe
from briefbook.review.model import Item, Occurrence, Outcome, ReviewError
from briefbook.review.terminal import ReviewApp, run_terminal


class FakeSession:
    """A review queue in memory, faithful to the Session protocol."""

    def __init__(self, items: list[Item], entries: list[tuple[str, str, str]] | None = None) -> None:
        self._items = list(items)
        self._entries = list(entries or [])
        self.calls: list[tuple[Any, ...]] = []
        self._undo: list[tuple[int, Item, tuple[str, str, str] | None]] = []
        self.refuse: str | None = None

    def items(self) -> list[Item]:
        return list(self._items)

    def entries(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        return [e for e in self._entries if kind is None or e[1] == kind]

    def _take(self, key: str, entry: tuple[str, str, str] | None = None) -> Item:
        if self.refuse:
            raise ReviewError(self.refuse)
        index = next(i for i, item in enumerate(self._items) if item.key == key)
        item = self._items.pop(index)
        if entry:
            self._entries.append(entry)
        self._undo.append((index, item, entry))
        return item

    def accept(self, key: str, kind: str | None = None, name: str | None = None) -> Outcome:
        self.calls.append(("accept", key, kind, name))
        item = self._items[[i.key for i in self._items].index(key)]
        chosen = kind or item.kind
        item = self._take(key, (item.name.lower().replace(" ", "-"), chosen, name or item.name))
        return Outcome(f"Accepted {item.name} as {chosen}.")

    def merge(self, key: str, into: str) -> Outcome:
        self.calls.append(("merge", key, into))
        item = self._take(key)
        return Outcome(f"Merged {item.name} into {into}.")

    def reject(self, key: str) -> Outcome:
        self.calls.append(("reject", key))
        item = self._take(key)
        return Outcome(f"Rejected {item.name}; it will not come back.")

    def date_page(self, key: str, date: str) -> Outcome:
        self.calls.append(("date_page", key, date))
        item = self._take(key)
        return Outcome(f"Dated {item.articles[0]} {date}.")

    def undo(self) -> Outcome | None:
        self.calls.append(("undo",))
        if not self._undo:
            return None
        index, item, entry = self._undo.pop()
        self._items.insert(index, item)
        if entry:
            self._entries.remove(entry)
        return Outcome(f"Undid the decision on {item.name}.")

    def decisions(self) -> list[tuple[Any, ...]]:
        return [call for call in self.calls if call[0] != "undo"]


def _occurrence(page: str, line: int, sentence: str, name: str) -> Occurrence:
    start = sentence.index(name)
    return Occurrence(page, line, sentence, start, start + len(name))


def sample_items() -> list[Item]:
    austin_sentences = [f"Defence Secretary Lloyd Austin spoke in Kyiv on day {n}." for n in range(1, 8)]
    return [
        Item(
            key="stub:lloyd-austin", category="entity", kind="person", name="Lloyd Austin",
            forms=["Lloyd Austin", "Austin", "Defence Secretary Austin"], stub_ids=["lloyd-austin"],
            reason="title before the name (Defence Secretary)", count=9,
            articles=["docs/briefings/2024-02-01-aid.md", "docs/briefings/2024-02-03-talks.md"],
            occurrences=[_occurrence("docs/briefings/2024-02-01-aid.md", 10 + n, s, "Lloyd Austin")
                         for n, s in enumerate(austin_sentences)],
            suggestions=["l-austin"],
            known={"role": "Defence Secretary", "role_date": "2024-02-01"},
            impact=12,
        ),
        Item(
            key="candidate:place:Kazan", category="entity", kind="place", name="Kazan",
            forms=["Kazan"], reason="gazetteer", count=3, articles=["docs/briefings/2024-02-03-talks.md"],
            occurrences=[_occurrence("docs/briefings/2024-02-03-talks.md", 4,
                                     "Leaders met in Kazan for the summit.", "Kazan")],
            known={"coordinates": [55.7887, 49.1221], "country": "RU"}, impact=4,
        ),
        Item(
            key="stub:armed-forces", category="entity", kind="organization", name="Armed Forces",
            forms=["Armed Forces"], reason="capitalised phrase", count=2,
            articles=["docs/briefings/2024-02-01-aid.md"], impact=2,
        ),
        Item(
            key="undated:docs/briefings/undated-ceasefire.md", category="undated", kind="",
            name="Ceasefire talks",
            articles=["docs/briefings/undated-ceasefire.md"], reason="the saved text has no date line",
            occurrences=[Occurrence("docs/briefings/undated-ceasefire.md", 5,
                                    "Negotiators met again on Tuesday.", 0, 0)],
            impact=1,
        ),
    ]


ENTRIES = [
    ("brics", "organization", "BRICS"),
    ("l-austin", "person", "Lloyd J. Austin III"),
    ("kyiv", "place", "Kyiv"),
    ("zelenskyy", "person", "Volodymyr Zelenskyy"),
]


def screen_text(app: ReviewApp) -> str:
    """The characters on the terminal now (every layer, modal screens over the queue)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(),
                      force_terminal=True, color_system=None, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def in_hand(text: str) -> str:
    """The queue's line marked ▶ (the item in hand), without the marker and its count."""
    marked = [line.split("│")[0] for line in text.splitlines() if "▶" in line]
    assert len(marked) == 1, text
    return re.sub(r"^\s*▶\s+(\d+×\s+)?", "", marked[0]).strip()


def drive(session: FakeSession, script: Callable[[Pilot[int], ReviewApp], Awaitable[None]],
          size: tuple[int, int] = (100, 30), book: str = "Ukraine brief") -> ReviewApp:
    """Run ``script`` against the app on ``session`` in a headless terminal of ``size``."""
    app = ReviewApp(session, book=book)

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            await script(pilot, app)

    # In a thread of its own: another test in this worker (the browser tests' Playwright)
    # may leave an event loop running in the main thread, where asyncio.run refuses.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result(timeout=120)
    return app


def test_first_item_shows_everything_needed_to_decide() -> None:
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        seen["text"] = screen_text(app)

    drive(FakeSession(sample_items(), ENTRIES), script)
    text = seen["text"]
    assert "Ukraine brief" in text and "0 of 4 decided · 4 left" in text
    # The queue, in the session's order, kinds as text badges, the item in hand marked.
    assert text.index("9× [person] Lloyd Austin") < text.index("3× [place] Kazan") \
        < text.index("2× [org] Armed Forces") < text.index("[undated] Ceasefire")
    assert in_hand(text) == "[person] Lloyd Austin"
    assert "Proposed as person: title before the name (Defence Secretary)" in text
    assert "Austin · Defence Secretary Austin" in text
    assert "9 mentions in 2 pages" in text
    assert "role: Defence Secretary (as of 2024-02-01)" in text
    assert "Lloyd J. Austin III (l-austin)" in text  # a suggestion read as a name
    assert "Defence Secretary Lloyd Austin spoke in Kyiv on day 1." in text
    assert "docs/briefings/2024-02-01-aid.md:10" in text
    assert "day 6" not in text and "… 2 more" in text  # five sentences, then a count
    for key in ("Accept", "Kind", "Merge", "Reject", "Date", "Undo", "Help", "Quit"):
        assert key in text


def test_arrows_move_through_the_queue_and_show_each_item() -> None:
    seen: list[str] = []

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("down")
        seen.append(screen_text(app))
        await pilot.press("end")
        seen.append(screen_text(app))
        await pilot.press("pageup")
        seen.append(screen_text(app))
        # The item pane has focus but nothing to scroll at this size: the arrows still move the queue.
        await pilot.press("tab", "down")
        seen.append(screen_text(app))

    drive(FakeSession(sample_items(), ENTRIES), script)
    assert in_hand(seen[0]) == "[place] Kazan"
    assert "coordinates: 55.7887, 49.1221" in seen[0] and "country: RU" in seen[0]
    assert "Leaders met in Kazan for the summit." in seen[0]
    assert "This page has no date. Press d" in seen[1] and "Negotiators met again on Tuesday." in seen[1]
    assert in_hand(seen[2]) == "[person] Lloyd Austin"
    assert in_hand(seen[3]) == "[place] Kazan"


def test_accept_calls_the_session_and_moves_to_the_next_item() -> None:
    seen: dict[str, str] = {}
    session = FakeSession(sample_items(), ENTRIES)

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("a")
        seen["text"] = screen_text(app)

    drive(session, script)
    assert session.calls == [("accept", "stub:lloyd-austin", None, None)]
    assert "Accepted Lloyd Austin as person." in seen["text"]
    assert in_hand(seen["text"]) == "[place] Kazan" and "Leaders met in Kazan" in seen["text"]
    assert "1 of 4 decided · 3 left" in seen["text"]
    assert "[person] Lloyd Austin" not in seen["text"]


def test_the_next_item_is_the_one_after_the_decided_one() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("down", "r")
        seen["text"] = screen_text(app)

    drive(session, script)
    assert session.calls == [("reject", "candidate:place:Kazan")]
    assert "Rejected Kazan; it will not come back." in seen["text"]
    assert in_hand(seen["text"]) == "[org] Armed Forces"
    assert "1 of 4 decided · 3 left" in seen["text"]


def test_change_kind_accepts_under_the_chosen_kind() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("k")
        seen["picker"] = screen_text(app)
        await pilot.press("down", "enter")  # from "place" (the first other kind) to organization
        seen["after"] = screen_text(app)

    drive(session, script)
    assert "Accept “Lloyd Austin” as:" in seen["picker"]
    assert "  1  [person] person  (as proposed)" in seen["picker"]
    assert "▶ 2  [place] place" in seen["picker"] and "  3  [org] organization" in seen["picker"]
    assert session.calls == [("accept", "stub:lloyd-austin", "organization", None)]
    assert "Accepted Lloyd Austin as organization." in seen["after"]


def test_change_kind_by_number_and_escape_cancels() -> None:
    session = FakeSession(sample_items(), ENTRIES)

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("k", "escape")
        assert "Kind unchanged." in screen_text(app)
        await pilot.press("down", "k", "1")

    drive(session, script)
    assert session.calls == [("accept", "candidate:place:Kazan", "person", None)]


def test_merge_picker_filters_as_you_type_and_enter_merges() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("down", "m")
        seen["all"] = screen_text(app)
        await pilot.press(*"zelen")
        seen["typed"] = screen_text(app)
        await pilot.press("enter")
        seen["after"] = screen_text(app)

    drive(session, script)
    assert "Merge “Kazan” into:" in seen["all"]
    assert "Kyiv (kyiv)" in seen["all"] and "BRICS (brics)" in seen["all"]
    assert "Volodymyr Zelenskyy (zelenskyy)" in seen["typed"] and "BRICS (brics)" not in seen["typed"]
    assert session.calls == [("merge", "candidate:place:Kazan", "zelenskyy")]
    assert "Merged Kazan into zelenskyy." in seen["after"]
    assert in_hand(seen["after"]) == "[org] Armed Forces"


def test_merge_offers_suggestions_first_and_escape_cancels() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("m")
        seen["picker"] = screen_text(app)
        await pilot.press(*"aus", "escape")
        seen["cancelled"] = screen_text(app)
        await pilot.press("m", "enter")  # the suggestion is highlighted first

    drive(session, script)
    assert "▶ [person] Lloyd J. Austin III (l-austin)  suggested" in seen["picker"]
    assert seen["picker"].index("Lloyd J. Austin III") < seen["picker"].index("BRICS")
    assert "Merge cancelled." in seen["cancelled"] and in_hand(seen["cancelled"]) == "[person] Lloyd Austin"
    assert session.calls == [("merge", "stub:lloyd-austin", "l-austin")]


def test_merge_without_reviewed_entries_says_so() -> None:
    session = FakeSession(sample_items(), [])
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("m")
        seen["text"] = screen_text(app)

    drive(session, script)
    assert "There is no reviewed entry to merge into yet" in seen["text"]
    assert "Merge “" not in seen["text"] and session.calls == []


def test_merge_with_no_match_merges_nothing() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("m", *"qqq", "enter")
        seen["text"] = screen_text(app)

    drive(session, script)
    assert "No entry matches “qqq”." in seen["text"]
    assert session.calls == []


def test_undo_brings_the_item_back_and_says_when_there_is_nothing_to_undo() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("u")
        seen["nothing"] = screen_text(app)
        await pilot.press("down", "r", "u")
        seen["undone"] = screen_text(app)

    drive(session, script)
    assert "Nothing to undo." in seen["nothing"]
    assert session.decisions() == [("reject", "candidate:place:Kazan")]
    assert "Undid the decision on Kazan." in seen["undone"]
    assert in_hand(seen["undone"]) == "[place] Kazan"  # back, and in hand again
    assert "0 of 4 decided · 4 left" in seen["undone"]


def test_a_refused_decision_is_shown_as_an_error_and_changes_nothing() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    session.refuse = "conf/entities/people.yaml:12: id 'lloyd-austin' is already used"
    seen: dict[str, Any] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("a")
        seen["text"] = screen_text(app)
        seen["notifications"] = [(n.message, n.severity) for n in app._notifications]

    drive(session, script)
    assert "Error: conf/entities/people.yaml:12: id 'lloyd-austin' is already used" in seen["text"]
    assert (session.refuse, "error") in seen["notifications"]
    assert in_hand(seen["text"]) == "[person] Lloyd Austin" and "0 of 4 decided · 4 left" in seen["text"]


def test_date_refuses_a_bad_date_and_passes_a_good_one() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("d")
        seen["not-a-page"] = screen_text(app)
        await pilot.press("end", "d", *"2024-13-01", "enter")
        seen["bad"] = screen_text(app)
        await pilot.press(*["backspace"] * 10, *"5 March", "enter")
        seen["words"] = screen_text(app)
        await pilot.press(*["backspace"] * 7, *"2024-03-05", "enter")
        seen["good"] = screen_text(app)

    drive(session, script)
    assert "d dates a page without a date" in seen["not-a-page"]
    assert "Error: “2024-13-01” is not a day of the calendar" in seen["bad"]
    assert "Error: “5 March” is not a date: write it as YYYY-MM-DD" in seen["words"]
    assert session.calls == [("date_page", "undated:docs/briefings/undated-ceasefire.md", "2024-03-05")]
    assert "Dated docs/briefings/undated-ceasefire.md 2024-03-05." in seen["good"]


def test_an_undated_page_is_not_accepted_as_a_name() -> None:
    session = FakeSession(sample_items(), ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("end", "a")
        seen["text"] = screen_text(app)

    drive(session, script)
    assert session.calls == []
    assert "is a page without a date, not a name to accept: press d to date it." in seen["text"]


def test_help_lists_every_key() -> None:
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("question_mark")
        seen["help"] = screen_text(app)
        await pilot.press("escape")
        seen["closed"] = screen_text(app)

    drive(FakeSession(sample_items(), ENTRIES), script)
    for key, what in [("a", "accept"), ("k", "change its kind"), ("m", "merge"), ("r", "reject"),
                      ("d", "date an undated page"), ("u", "undo"), ("↑ ↓", "previous / next"),
                      ("?", "this help"), ("q", "quit")]:
        lines = [line.strip("█▌▐ ") for line in seen["help"].splitlines()]
        assert any(line.startswith(key) and what in line for line in lines), key
    assert "Review keys" not in seen["closed"]


def test_an_empty_queue_says_nothing_to_review_and_q_quits() -> None:
    session = FakeSession([], ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        seen["text"] = screen_text(app)
        await pilot.press("a", "r")
        seen["keys"] = screen_text(app)
        await pilot.press("q")

    app = drive(session, script)
    assert "Nothing to review." in seen["text"] and "0 of 0 decided · 0 left" in seen["text"]
    assert seen["keys"].splitlines()[-2].strip() == "Nothing to review."  # the status line
    assert session.calls == []
    assert app.return_value == 0 and app.return_code == 0  # q quits with exit status 0


def test_deciding_the_last_item_empties_the_queue() -> None:
    session = FakeSession(sample_items()[:1], ENTRIES)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("a")
        seen["text"] = screen_text(app)

    drive(session, script)
    assert "Nothing to review." in seen["text"] and "1 of 1 decided · 0 left" in seen["text"]


def test_the_name_is_highlighted_in_its_sentences_by_more_than_colour() -> None:
    item = sample_items()[1]
    pane = describe(item, {})
    sentences = [part.renderable for part in pane.renderables
                 if isinstance(part, Padding) and "Leaders met" in part.renderable.plain]
    assert len(sentences) == 1
    sentence = sentences[0]
    marked = [(sentence.plain[span.start:span.end], str(span.style)) for span in sentence.spans]
    assert marked == [("Kazan", "bold reverse")]


def test_article_text_is_shown_as_text_never_as_markup() -> None:
    hostile = "[bold red]Acme[/] [link=http://x]Corp[/link]"
    item = Item(key="candidate:organization:x", category="entity", kind="organization", name=hostile,
                count=1, articles=["docs/briefings/a.md"],
                occurrences=[_occurrence("docs/briefings/a.md", 3, f"Shares of {hostile} fell.", hostile)])
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        seen["text"] = screen_text(app)

    drive(FakeSession([item], ENTRIES), script, size=(140, 30))
    assert f"Shares of {hostile} fell." in seen["text"]


def test_control_characters_in_article_text_never_reach_the_terminal() -> None:
    name = "Evil\x1b]0;owned\x07 Corp\u202e"
    sentence = f"Shares of {name} fell."
    item = Item(key="candidate:organization:evil", category="entity", kind="organization", name=name,
                count=1, articles=["docs/briefings/a.md"],
                occurrences=[_occurrence("docs/briefings/a.md", 3, sentence, name)])
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        seen["text"] = screen_text(app)

    drive(FakeSession([item], ENTRIES), script)
    assert "\x1b" not in seen["text"] and "\x07" not in seen["text"] and "\u202e" not in seen["text"]
    assert re.search(r"Shares of Evil ]0;owned +Corp\N{REPLACEMENT CHARACTER} fell\.", seen["text"])


def test_readable_in_80_by_24_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        seen["text"] = screen_text(app)
        seen["no_color"] = str(app.no_color)

    drive(FakeSession(sample_items(), ENTRIES), script, size=(80, 24))
    text = seen["text"]
    assert seen["no_color"] == "True"
    assert "0 of 4 decided · 4 left" in text
    assert in_hand(text) == "[person] Lloyd Austin" and "[org] Armed Forces" in text
    assert "Proposed as person" in text and "In context:" in text
    footer = text.splitlines()[-1]
    keys = ("↑↓ Move", "a Accept", "k Kind", "m Merge", "r Reject", "d Date", "u Undo", "? Help", "q Quit")
    for key in keys:
        assert key in footer


def test_without_a_terminal_it_points_to_the_script_commands(capsys: pytest.CaptureFixture[str]) -> None:
    session = FakeSession(sample_items(), ENTRIES)
    assert run_terminal(session) == 2
    assert "--list --json" in capsys.readouterr().err
    assert session.calls == []


# --- the real queue -----------------------------------------------------------------------


def test_the_keyboard_decides_a_real_books_queue(tmp_path: Any) -> None:
    """The app on a real :class:`ReviewSession`: the decisions a user types reach the
    registry files and ``review.yaml``, and ``u`` takes the last one back byte for byte."""
    from briefbook.entities.registry_files import load_registry
    from briefbook.entities.review_state import ReviewState
    from briefbook.review.session import ReviewSession
    from review_books import make_book

    book = make_book(tmp_path / "book")
    registry = book / "conf" / "entities"
    session = ReviewSession(book)
    first = session.items()
    keys = [item.key for item in first]
    assert keys[0].startswith("undated:"), keys  # an undated page breaks the order: first
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[int], app: ReviewApp) -> None:
        await pilot.press("d")
        await pilot.press(*"2025-02-12", "enter")
        await pilot.pause()
        seen["dated"] = screen_text(app)
        # The queue is now led by the entity with most mentions: the United Kingdom's
        # three stubs as one decision.
        assert "UK" in in_hand(screen_text(app)) or "Britain" in in_hand(screen_text(app))
        await pilot.press("a")
        await pilot.pause()
        seen["accepted"] = screen_text(app)
        before_reject = {p.name: p.read_bytes() for p in registry.glob("*.yaml")}
        target = in_hand(screen_text(app))
        await pilot.press("r")
        await pilot.pause()
        seen["rejected"] = target
        await pilot.press("u")
        await pilot.pause()
        seen["undone"] = screen_text(app)
        assert {p.name: p.read_bytes() for p in registry.glob("*.yaml")} == before_reject
        await pilot.press("q")

    drive(session, script)  # type: ignore[arg-type]
    assert (book / "docs/briefings/2025-02-12-talks-in-london.md").is_file()
    assert not (book / "docs/briefings/undated-talks-in-london.md").exists()
    places = [e for e in load_registry(registry) if e.kind == "place"]
    uk = [e for e in places if {"UK", "U.K.", "Britain"} & set(e.all_names)]
    assert len(uk) == 1 and not uk[0].unreviewed, places
    assert {"UK", "U.K.", "Britain"} <= set(uk[0].all_names)
    assert uk[0].country == "GB"
    assert not ReviewState.load(registry).rejected  # the reject was undone
    assert len(session.items()) == len(first) - 2
