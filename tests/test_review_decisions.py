"""Review decisions on the registry YAML and the pages, and undoing them.

Each decision is made through :class:`ReviewSession` on a book as ingest leaves it
(``review_books.make_book``) and checked where a user would look: the registry files
(loaded by briefbook's own loader, their comments and untouched entries byte for byte),
``review.yaml``, the pages' links, and what undo puts back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbook.entities.registry import Alias
from briefbook.entities.registry_files import load_registry
from briefbook.entities.review_state import ReviewState
from briefbook.review.model import ReviewError
from briefbook.review.session import ReviewSession
from review_books import TALKS, TROOPS, make_book, snapshot


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_book(tmp_path / "book")


def registry(book: Path):
    return load_registry(book / "conf" / "entities")


def country_key(session: ReviewSession) -> str:
    return next(i.key for i in session.items() if "uk" in i.stub_ids)


def test_accept_fills_a_place_from_the_gazetteer_and_keeps_the_rest_of_the_file(book: Path) -> None:
    places = book / "conf" / "entities" / "places.yaml"
    before = places.read_text(encoding="utf-8")
    session = ReviewSession(book)
    outcome = session.accept("stub:tallinn")
    assert outcome.message.startswith("accepted 'Tallinn' as a place (tallinn); filled kind, country, "
                                      "coordinates")
    tallinn = registry(book).get("tallinn")
    assert tallinn is not None and not tallinn.unreviewed
    assert tallinn.country == "EE" and tallinn.place_kind == "city"
    assert tallinn.coordinates is not None and round(tallinn.coordinates[0]) == 59
    assert tallinn.description == ""  # the placeholder went; nothing was invented
    after = places.read_text(encoding="utf-8")
    # Everything before the entry (the file's comments, the other stubs) is as it was.
    head = before[:before.index("- id: tallinn")]
    assert after.startswith(head)
    assert after[len(head):] == ("- id: tallinn\n  name: Tallinn\n  kind: city\n  country: EE\n"
                                 f"  coordinates: [{tallinn.coordinates[0]}, {tallinn.coordinates[1]}]\n")
    assert "stub:tallinn" not in {i.key for i in session.items()}


def test_accepting_a_group_makes_one_entry_with_the_other_names_as_aliases(book: Path) -> None:
    session = ReviewSession(book)
    outcome = session.accept(country_key(session), name="United Kingdom")
    loaded = registry(book)
    entry = loaded.get("united-kingdom")
    assert entry is not None and entry.name == "United Kingdom"
    assert {a.name for a in entry.aliases} == {"UK", "U.K.", "Britain"}
    assert not any(a.variant for a in entry.aliases)  # abbreviations and other names
    assert entry.country == "GB" and entry.place_kind == "country"
    for stub in ("uk", "u-k", "britain"):
        assert loaded.get(stub) is None
    # The talks page linked the stub "uk": it names the entry now.
    talks = (book / TALKS).read_text(encoding="utf-8")
    assert "{place}`UK <united-kingdom>`" in talks
    assert TALKS in outcome.message


def test_accepting_as_another_kind_moves_the_entry_and_drops_what_that_kind_lacks(book: Path) -> None:
    session = ReviewSession(book)
    key = country_key(session)
    session.accept(key, kind="organization", name="UK")
    loaded = registry(book)
    entry = loaded.get("uk")
    assert entry is not None and entry.kind == "organization"
    assert entry.coordinates is None and entry.org_kind == ""
    places = (book / "conf" / "entities" / "places.yaml").read_text(encoding="utf-8")
    assert "id: uk\n" not in places
    talks = (book / TALKS).read_text(encoding="utf-8")
    assert "{org}`UK <uk>`" in talks  # the role follows the kind


def test_accepting_a_candidate_makes_a_new_reviewed_entry(book: Path) -> None:
    session = ReviewSession(book)
    session.accept("candidate:organization:Armed Forces")
    entry = registry(book).get("armed-forces")
    assert entry is not None and entry.org_kind == "military" and not entry.unreviewed
    state = ReviewState.load(book / "conf" / "entities")
    assert not any(p.name == "Armed Forces" for p in state.proposals)
    assert "candidate:organization:Armed Forces" not in {i.key for i in session.items()}


def test_accepting_a_person_records_the_title_with_the_articles_date(book: Path) -> None:
    ReviewSession(book).accept("stub:john-healey")
    entry = registry(book).get("john-healey")
    assert entry is not None and [a.name for a in entry.aliases] == ["Healey"]
    assert [(r.title, r.start.isoformat() if r.start else None) for r in entry.roles] == [
        ("Defence Secretary", "2025-02-10")]
    assert registry(book).get("healey") is None


def test_merge_makes_aliases_marks_spelling_variants_and_rewrites_the_links(book: Path) -> None:
    people = book / "conf" / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8")
                      + "- id: lloyd-austen\n  name: Lloyd Austen\n  unreviewed: true\n",
                      encoding="utf-8")
    session = ReviewSession(book)
    session.merge("stub:austin", "lloyd-austin")
    outcome = session.merge("stub:lloyd-austen", "lloyd-austin")
    entry = registry(book).get("lloyd-austin")
    assert entry is not None
    assert entry.aliases == (Alias("Austin"), Alias("Lloyd Austen", variant=True))
    assert registry(book).get("austin") is None and registry(book).get("lloyd-austen") is None
    talks = (book / TALKS).read_text(encoding="utf-8")
    assert "{person}`Austin <lloyd-austin>`" in talks
    assert "merged 'Lloyd Austen' into lloyd-austin" in outcome.message
    # The hand-written comments about the entry survive the edit.
    text = people.read_text(encoding="utf-8")
    assert "# Reviewed by hand; keep this comment.\n" in text
    assert "# the 28th Secretary of Defense" in text


def test_reject_removes_the_stubs_remembers_the_names_and_unlinks_the_pages(book: Path) -> None:
    session = ReviewSession(book)
    outcome = session.reject(country_key(session))
    loaded = registry(book)
    for stub in ("uk", "u-k", "britain"):
        assert loaded.get(stub) is None
    state = ReviewState.load(book / "conf" / "entities")
    for name in ("UK", "U.K.", "Britain"):
        assert state.is_rejected(name, "place")
    assert not state.is_rejected("UK", "person") and state.is_rejected("uk")
    talks = (book / TALKS).read_text(encoding="utf-8")
    assert "Britain and the UK agreed." in talks  # the text stays, the link goes
    assert "<uk>" not in talks and TALKS in outcome.message
    assert not any("uk" in i.stub_ids for i in session.items())


def test_reject_a_candidate_keeps_it_out_of_the_queue(book: Path) -> None:
    session = ReviewSession(book)
    session.reject("candidate:place:Baltic")
    assert ReviewState.load(book / "conf" / "entities").is_rejected("Baltic", "place")
    assert "candidate:place:Baltic" not in {i.key for i in session.items()}


def test_dating_a_page_sets_its_date_and_its_dated_name(book: Path) -> None:
    session = ReviewSession(book)
    outcome = session.date_page(f"undated:{TALKS}", "2025-02-11")
    dated = book / "docs" / "briefings" / "2025-02-11-talks-in-london.md"
    assert not (book / TALKS).exists()
    assert dated.read_text(encoding="utf-8").startswith(
        "---\ntitle: Talks in London\ndate: 2025-02-11\nauthor: Someone\n---\n")
    assert outcome.message.endswith("now docs/briefings/2025-02-11-talks-in-london.md")
    assert not any(i.category == "undated" for i in session.items())


def test_dating_a_page_refuses_to_overwrite_another(book: Path) -> None:
    taken = book / "docs" / "briefings" / "2025-02-11-talks-in-london.md"
    taken.write_text("---\ntitle: Other\ndate: 2025-02-11\n---\n", encoding="utf-8")
    before = snapshot(book)
    with pytest.raises(ReviewError, match=r"2025-02-11-talks-in-london\.md: already exists"):
        ReviewSession(book).date_page(f"undated:{TALKS}", "2025-02-11")
    with pytest.raises(ReviewError, match="not a date"):
        ReviewSession(book).date_page(f"undated:{TALKS}", "2025-02-30")
    assert snapshot(book) == before


def test_undo_goes_back_decision_by_decision_byte_for_byte(book: Path) -> None:
    session = ReviewSession(book)
    states = [snapshot(book)]
    session.accept(country_key(session), name="United Kingdom")
    states.append(snapshot(book))
    session.merge("stub:austin", "lloyd-austin")
    states.append(snapshot(book))
    session.reject("stub:ministry-of-defence")
    states.append(snapshot(book))
    session.date_page(f"undated:{TALKS}", "2025-02-11")
    for expected in reversed(states):
        outcome = session.undo()
        assert outcome is not None and outcome.message.startswith("undid: ")
        assert snapshot(book) == expected
    assert session.undo() is None


def test_undo_refuses_after_a_hand_edit_and_changes_nothing(book: Path) -> None:
    session = ReviewSession(book)
    session.accept("stub:tallinn")
    places = book / "conf" / "entities" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "# an editor's note\n", encoding="utf-8")
    edited = snapshot(book)
    with pytest.raises(ReviewError, match=r"places\.yaml: was edited since the decision"):
        session.undo()
    assert snapshot(book) == edited
    # Put back as the decision left it, undo works again.
    places.write_text(places.read_text(encoding="utf-8").replace("# an editor's note\n", ""),
                      encoding="utf-8")
    assert session.undo() is not None
    assert registry(book).get("tallinn").unreviewed  # type: ignore[union-attr]


@pytest.mark.parametrize(("decision", "message"), [
    (lambda s: s.accept("stub:nobody"), "no item 'stub:nobody' in the review queue"),
    (lambda s: s.merge("stub:austin", "nobody"), "no registry entry with id 'nobody'"),
    (lambda s: s.accept("stub:austin", kind="thing"), "kind 'thing' is not one of: person, place"),
    (lambda s: s.accept("stub:austin", name="Lloyd Austin"), "already a name of 'lloyd-austin'"),
    (lambda s: s.accept(f"undated:{TALKS}"), "is an undated page"),
    (lambda s: s.date_page("stub:austin", "2025-01-01"), "is not an undated page"),
])
def test_a_decision_that_cannot_be_made_writes_nothing(book: Path, decision, message: str) -> None:
    before = snapshot(book)
    with pytest.raises(ReviewError, match=message):
        decision(ReviewSession(book))
    assert snapshot(book) == before
    assert not (book / ".briefbook" / "review-journal.jsonl").exists()


def test_a_decision_the_registry_would_not_load_is_refused(book: Path) -> None:
    before = snapshot(book)
    with pytest.raises(ReviewError, match=r"unreadable, so nothing was written:\n.*BB308 name "
                                          "contains a control character"):
        ReviewSession(book).accept("stub:tallinn", name="Tal\x07linn")
    assert snapshot(book) == before


def test_a_malformed_registry_is_a_clear_error_and_nothing_is_written(book: Path) -> None:
    people = book / "conf" / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "- id: [broken\n", encoding="utf-8")
    before = snapshot(book)
    with pytest.raises(ReviewError, match=r"has problems; fix them first .*\n.*people\.yaml:\d+: BB309"):
        ReviewSession(book).accept("stub:tallinn")
    with pytest.raises(ReviewError, match="BB309"):
        ReviewSession(book).items()
    assert snapshot(book) == before


def test_pages_with_quotes_by_a_rejected_stub_keep_the_words(book: Path) -> None:
    page = book / TROOPS
    page.write_text(page.read_text(encoding="utf-8")
                    + "\n“{quote}`We are ready <speaker=healey; source=mod>`”, said Healey.\n",
                    encoding="utf-8")
    ReviewSession(book).reject("stub:john-healey")
    text = page.read_text(encoding="utf-8")
    assert "{quote}`We are ready <unnamed=Healey; source=mod>`" in text


def test_the_edited_entry_keeps_its_own_comments_quotes_and_layout(book: Path) -> None:
    places = book / "conf" / "entities" / "places.yaml"
    korea = (
        "- id: north-korea  # the DPRK\n"
        "  name: North Korea\n"
        "  aliases:\n"
        "  - \"Democratic People's Republic of Korea\"   # the official name\n"
        "  kind: country\n"
        "  # the capital, for the map\n"
        "  coordinates: [39.03385, 125.75432]\n"
        "  description: >-\n"
        "    A one-party state in the north of the\n"
        "    Korean peninsula.\n")
    stub = "- id: dprk\n  name: DPRK\n  unreviewed: true\n"
    places.write_text(places.read_text(encoding="utf-8") + "\n" + korea + "\n" + stub, encoding="utf-8")
    ReviewSession(book).merge("stub:dprk", "north-korea")
    text = places.read_text(encoding="utf-8")
    assert korea.replace("Korea\"   # the official name\n",
                         "Korea\"   # the official name\n  - DPRK\n") in text
    assert "id: dprk" not in text


def test_a_full_disk_during_a_decision_changes_nothing(book: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge writes the registry, ``review.yaml`` and pages; when the disk fills on the
    last of them, none is replaced: the book is as it was, and the error names the file."""
    import errno

    from briefbook.book import atomic

    session = ReviewSession(book)
    key = next(i.key for i in session.items() if "healey" in i.key)
    before = snapshot(book)
    real = atomic.stage

    def stage(path: Path, text: str) -> atomic.Staged:
        if path.name == "review.yaml":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, text)

    monkeypatch.setattr(atomic, "stage", stage)
    with pytest.raises(ReviewError, match=r"review\.yaml: No space left on device; nothing"):
        session.merge(key, "lloyd-austin")
    after = snapshot(book)
    assert {k: v for k, v in after.items() if "review-journal" not in k} == \
        {k: v for k, v in before.items() if "review-journal" not in k}
    assert session.undo() is None  # no decision was recorded
