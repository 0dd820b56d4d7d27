"""The review queue: one item per entity, with the sentences it occurs in, biggest first.

Built on a book as ingest leaves it (``review_books.make_book``): the queue must show an
editor one decision for "UK", "U.K." and "Britain", say where and why each name was
proposed, suggest the reviewed entry a family name stands for, and put the undated page
first.  Everything goes through :class:`ReviewSession`, as the terminal app and the
script flags use it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbook.review.model import Item
from briefbook.review.session import ReviewSession
from review_books import TALKS, TROOPS, make_book


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_book(tmp_path / "book")


def by_key(items: list[Item]) -> dict[str, Item]:
    return {item.key: item for item in items}


def test_variants_of_one_country_are_one_item_with_their_sentences(book: Path) -> None:
    items = ReviewSession(book).items()
    country = [i for i in items if "uk" in i.stub_ids]
    assert len(country) == 1, [i.key for i in items]
    item = country[0]
    assert sorted(item.stub_ids) == ["britain", "u-k", "uk"]
    assert set(item.forms) == {"UK", "U.K.", "Britain"}
    assert item.kind == "place"
    # Every stub of the group is gone from the queue as an item of its own.
    assert not {"stub:uk", "stub:u-k"} & set(by_key(items)) - {item.key}
    # Seven mentions in two pages: the heading, "the UK", "The U.K.", "the UK", and three
    # in the talks page (one of them inside a role, shown as its text).
    assert item.count == 7
    assert sorted(item.articles) == sorted([TROOPS, TALKS])
    sentences = {(o.page, o.line, o.sentence) for o in item.occurrences}
    assert (TROOPS, 11, "The U.K. has led the battlegroup since 2017.") in sentences
    assert (TALKS, 8, "Austin and Healey spoke; Britain and the UK agreed.") in sentences
    for occurrence in item.occurrences:
        assert occurrence.sentence[occurrence.start:occurrence.end] in item.forms
    assert "in the gazetteer as a country" in item.reason


def test_a_person_comes_with_the_family_name_alone_and_the_title_as_a_role(book: Path) -> None:
    item = by_key(ReviewSession(book).items())["stub:john-healey"]
    assert sorted(item.stub_ids) == ["healey", "john-healey"]
    assert item.name == "John Healey"
    assert item.reason.startswith("a title before the name ('Defence Secretary')")
    assert item.known == {"role": {"title": "Defence Secretary", "start": "2025-02-10"}}
    assert item.count == 3  # "John Healey" once, "Healey" twice


def test_a_place_shows_what_the_gazetteer_fills(book: Path) -> None:
    items = by_key(ReviewSession(book).items())
    country = next(i for i in items.values() if "uk" in i.stub_ids)
    assert country.known["country"] == "GB"
    lat, lon = country.known["coordinates"]
    assert 51 < lat < 52 and -1 < lon < 1  # London, the capital
    city = items["stub:tallinn"]
    assert city.known["country"] == "EE" and city.known["kind"] == "city"


def test_a_left_over_candidate_is_queued_with_its_reason_and_kind(book: Path) -> None:
    item = by_key(ReviewSession(book).items())["candidate:organization:Armed Forces"]
    assert item.stub_ids == []
    assert item.reason == "the statistical model's guess (ORG)"
    assert item.known == {"kind": "military"}
    assert [o.sentence for o in item.occurrences] == [
        "The Ministry of Defence said the Armed Forces were ready."]


def test_a_family_name_alone_suggests_the_reviewed_person(book: Path) -> None:
    item = by_key(ReviewSession(book).items())["stub:austin"]
    assert item.suggestions == ["lloyd-austin"]
    assert item.reason == "a family name the article uses for a person it names"


def test_the_undated_page_comes_first_then_the_biggest_decisions(book: Path) -> None:
    items = ReviewSession(book).items()
    first = items[0]
    assert first.key == f"undated:{TALKS}"
    assert first.category == "undated"
    assert first.name == "Talks in London"
    assert "has no date" in first.reason
    impacts = [i.impact for i in items[1:]]
    assert impacts == sorted(impacts, reverse=True)
    assert items[1].stub_ids and "uk" in items[1].stub_ids  # 7 mentions in 2 pages


def test_a_name_without_a_proposal_says_its_reason_is_unknown(book: Path) -> None:
    people = book / "conf" / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8")
                      + "- id: kaja-kallas\n  name: Kaja Kallas\n  unreviewed: true\n",
                      encoding="utf-8")
    item = by_key(ReviewSession(book).items())["stub:kaja-kallas"]
    assert item.reason == "unknown"
    assert item.count == 0 and item.occurrences == []


def test_rejected_and_registered_candidates_are_not_queued(book: Path) -> None:
    state = book / "conf" / "entities" / "review.yaml"
    state.write_text(state.read_text(encoding="utf-8").replace(
        "rejected: []", "rejected:\n  - {name: Baltic, kind: place}"), encoding="utf-8")
    keys = set(by_key(ReviewSession(book).items()))
    assert "candidate:place:Baltic" not in keys
    assert "candidate:organization:Armed Forces" in keys


def test_a_name_inside_a_longer_registry_name_is_not_counted(book: Path) -> None:
    organizations = book / "conf" / "entities" / "organizations.yaml"
    organizations.write_text(organizations.read_text(encoding="utf-8")
                             + "- id: uk-armed-forces\n  name: UK Armed Forces\n",
                             encoding="utf-8")
    page = book / "docs" / "briefings" / "2025-02-12-forces.md"
    page.write_text("---\ntitle: Forces\ndate: 2025-02-12\n---\n\n# Forces\n\n"
                    "The UK Armed Forces trained.\n", encoding="utf-8")
    item = next(i for i in ReviewSession(book).items() if "uk" in i.stub_ids)
    assert item.count == 7
    assert "docs/briefings/2025-02-12-forces.md" not in item.articles


def test_each_page_is_read_once_per_queue(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    briefings = book / "docs" / "briefings"
    for number in range(200):
        (briefings / f"2025-01-01-page-{number}.md").write_text(
            f"---\ntitle: Page {number}\ndate: 2025-01-01\n---\n\n# Page {number}\n\n"
            "Britain and the UK met in Tallinn. Healey spoke.\n", encoding="utf-8")
    reads: dict[str, int] = {}
    original = Path.read_text

    def counting(self: Path, *args: object, **kwargs: object) -> str:
        if self.suffix == ".md":
            reads[str(self)] = reads.get(str(self), 0) + 1
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting)
    items = ReviewSession(book).items()
    pages = {str(p) for p in (book / "docs").rglob("*.md")}
    assert len(pages) > 200 and set(reads) == pages
    assert set(reads.values()) == {1}
    country = next(i for i in items if "uk" in i.stub_ids)
    assert country.count == 7 + 400
    assert len(country.occurrences) == 10  # the first ten; the count says how many in all
