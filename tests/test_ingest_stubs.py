"""``--add-candidates``: which names become registry stubs for review, and what they hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from briefbook.entities.registry_files import load_registry
from briefbook.entities.review_state import ReviewState, ReviewStateError
from briefbook.ingest.candidates import not_an_entity
from briefbook.ingest.model import BatchArticle, Candidate, Found
from briefbook.ingest.stubs import append_stubs, org_kind, place_facts

NOV_4 = dt.date(2024, 11, 4)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("people.yaml", "places.yaml", "organizations.yaml"):
        (tmp_path / name).write_text("[]\n", encoding="utf-8")
    return tmp_path


def entries(folder: Path, name: str) -> list[dict[str, object]]:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8")) or []


def names(folder: Path, name: str) -> list[object]:
    return [e["name"] for e in entries(folder, name)]


def add(folder: Path, *found: Found | tuple[Candidate, str],
        texts: tuple[BatchArticle, ...] = ()) -> int:
    return append_stubs(load_registry(folder), found, texts)


def test_one_off_model_guesses_are_not_stubbed(folder: Path) -> None:
    added = add(folder,
                (Candidate("Patriot", "person", 1, "spacy:PERSON"), "a.txt"),       # once, a guess
                (Candidate("Jane Doe", "person", 1, "title"), "a.txt"),             # a rule vouches
                (Candidate("Kim Yong-hyun", "person", 1, "spacy:PERSON"), "a.txt"),
                (Candidate("Kim Yong-hyun", "person", 1, "spacy:PERSON"), "b.txt"),  # twice
                (Candidate("Donetsk Oblast", "place", 1, "feature word"), "a.txt"))
    assert added == 3
    assert names(folder, "people.yaml") == ["Jane Doe", "Kim Yong-hyun"]
    assert names(folder, "places.yaml") == ["Donetsk Oblast"]
    # The one-off guess is not lost: review.yaml lists it, without a stub.
    patriot = next(p for p in ReviewState.load(folder).proposals if p.name == "Patriot")
    assert (patriot.stub_id, patriot.count, patriot.articles) == (None, 1, ["a.txt"])


def test_a_country_written_four_ways_is_one_stub(folder: Path) -> None:
    add(folder, *[Found(Candidate(text, "place", 2, "gazetteer:country"), article)
                  for text, article in (("UK", "a.txt"), ("Britain", "b.txt"),
                                        ("U.K.", "b.txt"), ("United Kingdom", "c.txt"))])
    [uk] = entries(folder, "places.yaml")
    assert uk["name"] == "United Kingdom" and uk["id"] == "united-kingdom"
    assert uk["aliases"] == ["UK", "Britain", "U.K."]
    assert (uk["kind"], uk["country"]) == ("country", "GB")
    assert "a.txt, b.txt, c.txt" in str(uk["description"])
    proposal = ReviewState.load(folder).proposal_for("united-kingdom")
    assert proposal is not None and proposal.count == 8
    assert sorted(proposal.forms) == ["Britain", "U.K.", "UK"]


def test_an_acronym_and_its_name_are_one_stub_with_the_kind_its_words_say(
        folder: Path) -> None:
    add(folder, Found(Candidate("FEMA", "organization", 3, "spacy:ORG"), "a.txt"),
        Found(Candidate("Federal Emergency Management Agency", "organization", 1,
                        "organisation word"), "b.txt"))
    [fema] = entries(folder, "organizations.yaml")
    assert (fema["name"], fema["aliases"], fema["kind"]) == (
        "Federal Emergency Management Agency", ["FEMA"], "agency")


def test_a_family_name_alone_is_the_person_named_in_full(folder: Path) -> None:
    (folder / "people.yaml").write_text(
        "- id: lloyd-austin\n  name: Lloyd Austin\n", encoding="utf-8")
    add(folder,
        # The registry names him in full: "Austin" alone links to him, no stub.
        Found(Candidate("Austin", "person", 3, "title", titles=("Secretary",)), "a.txt"),
        # The batch names her in full in one article, by family name in another.
        Found(Candidate("Linda Thomas-Greenfield", "person", 1, "title"), "b.txt"),
        Found(Candidate("Thomas-Greenfield", "person", 4, "transcript label"), "c.txt"),
        # Two people of the batch share a family name: "Kim" alone is neither.
        Found(Candidate("Kim Jong Un", "person", 2, "spacy:PERSON"), "d.txt"),
        Found(Candidate("Kim Yo Jong", "person", 2, "spacy:PERSON"), "d.txt"),
        Found(Candidate("Kim", "person", 2, "title"), "e.txt"),
        # A family name an article folded into the full name is a form, not an alias.
        Found(Candidate("Mark Green", "person", 2, "title", forms=("Green", "Mark")), "f.txt"))
    people = {e["name"]: e for e in entries(folder, "people.yaml")}
    assert set(people) == {"Lloyd Austin", "Linda Thomas-Greenfield", "Kim Jong Un",
                           "Kim Yo Jong", "Mark Green"}
    # A hyphenated family name means no one else and no common word: it may link alone.
    assert people["Linda Thomas-Greenfield"]["aliases"] == ["Thomas-Greenfield"]
    assert "aliases" not in people["Mark Green"]
    proposal = ReviewState.load(folder).proposal_for("mark-green")
    assert proposal is not None and proposal.forms == ["Green", "Mark"]


def test_words_that_name_no_entity_are_never_stubbed(folder: Path) -> None:
    generic = ["Armed Forces", "1st Battalion", "Alpha Company", "Heads of Mission",
               "UK Heads of Mission", "Committee", "Government", "Chief of Staff"]
    add(folder, *[Found(Candidate(t, "organization", 3, "organisation word"), "a.txt")
                  for t in [*generic, "Estonian Defence Forces", "Foreign Affairs Committee",
                            "Joint Chiefs of Staff"]])
    assert names(folder, "organizations.yaml") == [
        "Estonian Defence Forces", "Foreign Affairs Committee", "Joint Chiefs of Staff"]
    recorded = {p.name for p in ReviewState.load(folder).proposals}
    assert not recorded & set(generic)


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("the Armed Forces", "organization", True), ("Special Forces", "organization", True),
    ("Company B", "organization", True), ("Commander", "organization", True),
    ("Security Council", "organization", False), ("British Army", "organization", False),
    ("86th Airlift Wing", "organization", False), ("Prime Minister’s Office", "organization", False),
    ("Government", "place", False),
])
def test_not_an_entity(name: str, kind: str, expected: bool) -> None:
    assert not_an_entity(name, kind) is expected


def test_a_person_gets_the_title_the_article_gives_as_a_role_on_its_date(
        folder: Path) -> None:
    add(folder,
        Found(Candidate("John Healey", "person", 2, "title", titles=("Defence Secretary",)),
              "nov.txt", NOV_4),
        Found(Candidate("Jane Doe", "person", 1, "title", titles=("Mr.",)), "nov.txt", NOV_4),
        Found(Candidate("Olaf Scholz", "person", 1, "title", titles=("Chancellor",)),
              "undated.txt", None),
        Found(Candidate("Boris Johnson", "person", 1, "title", titles=("Prime Minister",)),
              "a.txt", NOV_4),
        Found(Candidate("Boris Johnson", "person", 1, "title",
                        titles=("former Prime Minister",)), "b.txt", NOV_4),
        texts=(BatchArticle("sept.txt", dt.date(2024, 9, 1), (
            "The Defence Secretary, in London on Sunday, said John Healey would travel.",)),))
    people = {e["name"]: e for e in entries(folder, "people.yaml")}
    # An earlier article of the batch names him by the title too (as check reads a page):
    # the role starts there, so no page of the batch contradicts it.
    assert people["John Healey"]["roles"] == [
        {"title": "Defence Secretary", "start": dt.date(2024, 9, 1)}]
    assert "roles" not in people["Jane Doe"]         # a form of address is no office
    assert "roles" not in people["Olaf Scholz"]      # no date, no role: never guessed
    assert "roles" not in people["Boris Johnson"]    # another article says "former"
    proposal = ReviewState.load(folder).proposal_for("john-healey")
    assert proposal is not None
    assert (proposal.role, proposal.role_date) == ("Defence Secretary", "2024-09-01")
    # The registry reads the role back; YAML without anchors where dates repeat.
    text = (folder / "people.yaml").read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text
    assert load_registry(folder).get("john-healey").roles[0].start == dt.date(2024, 9, 1)


def test_rejected_and_registered_names_never_come_back(folder: Path) -> None:
    (folder / "places.yaml").write_text(
        "- id: kazan\n  name: Kazan\n  unreviewed: true\n", encoding="utf-8")
    state = ReviewState()
    state.reject("Baltic", "place")
    state.reject("UK")  # any kind; every variant of the country with it
    state.save(folder)
    found = [Found(Candidate(t, "place", 2, "gazetteer:region"), "a.txt")
             for t in ("Baltic", "Britain", "Kazan", "Tallinn")]
    assert add(folder, *found) == 1
    assert names(folder, "places.yaml") == ["Kazan", "Tallinn"]
    recorded = {p.name for p in ReviewState.load(folder).proposals}
    assert recorded == {"Tallinn"}


def test_a_stub_deleted_by_hand_is_rejected_and_stays_out(folder: Path) -> None:
    found = [Found(Candidate("Atlantis", "place", 2, "gazetteer:city"), "a.txt"),
             Found(Candidate("Columbus", "place", 2, "gazetteer:city"), "a.txt")]
    assert add(folder, *found) == 2
    data = [e for e in entries(folder, "places.yaml") if e["id"] != "atlantis"]
    (folder / "places.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert add(folder, *found) == 0
    state = ReviewState.load(folder)
    assert state.is_rejected("Atlantis", "place") and not state.is_rejected("Columbus")
    assert state.proposal_for("atlantis") is None
    assert state.proposal_for("columbus") is not None
    # Ingesting the same articles again does not count them twice.
    assert state.proposal_for("columbus").count == 2


def test_a_broken_review_file_stops_the_stubs_and_writes_nothing(folder: Path) -> None:
    (folder / "review.yaml").write_text("rejected: [\n", encoding="utf-8")
    before = (folder / "places.yaml").read_text(encoding="utf-8")
    with pytest.raises(ReviewStateError, match=r"review.yaml:\d+: not valid YAML"):
        add(folder, Found(Candidate("Tallinn", "place", 2, "gazetteer:city"), "a.txt"))
    assert (folder / "places.yaml").read_text(encoding="utf-8") == before


def test_a_registry_without_a_folder_is_refused() -> None:
    from briefbook.entities.registry import Registry

    with pytest.raises(ValueError, match="no folder"):
        append_stubs(Registry({}), [(Candidate("Tallinn", "place", 2, "gazetteer:city"),
                                     "a.txt")])


@pytest.mark.parametrize(("names_", "city", "facts"), [
    (["Tallinn"], False, {"kind": "city", "country": "EE"}),
    (["United States", "US"], False, {"kind": "country", "country": "US"}),
    (["Virginia", "Va."], False, {"kind": "region", "country": "US"}),
    (["Washington"], True, {"kind": "city", "country": "US"}),   # a dateline's city
    (["Black Sea"], False, {"kind": "sea"}),
    (["Ramstein Air Base"], False, {"kind": "site"}),
    (["Kursk Oblast"], False, {"kind": "region", "country": "RU"}),
    (["Yokota Air Base", "Yokota"], False, {"kind": "site", "country": "JP"}),
    (["Middle Earth"], False, {}),
])
def test_place_facts(names_: list[str], city: bool, facts: dict[str, object]) -> None:
    got = place_facts(names_, city=city)
    assert {k: v for k, v in got.items() if k != "coordinates"} == facts
    if facts.get("kind") in ("city", "country"):
        assert isinstance(got["coordinates"], list) and len(got["coordinates"]) == 2


@pytest.mark.parametrize(("name", "kind"), [
    ("Ministry of Foreign Affairs", "ministry"), ("State Department", "ministry"),
    ("Foreign Affairs Committee", "committee"), ("House of Commons", "legislature"),
    ("Colombian navy", "military"), ("86th Airlift Wing", "military"),
    ("United Nations Relief and Works Agency", "international"),
    ("U.S. Agency for International Development", "agency"),
    ("NATO Response Force", "military"), ("African Union", "international"),
    ("Estonian Reform Party", "party"), ("White House", "government"),
    ("Los Angeles County Fire Department", "agency"), ("Yonhap News", "media"),
    ("Biden Administration", ""), ("Massey University", ""), ("Trade Division", ""),
])
def test_org_kind(name: str, kind: str) -> None:
    assert org_kind(name) == kind


def test_a_name_only_inside_quotations_is_offered_for_review_not_stubbed(tmp_path: Path) -> None:
    """No page can link a name it shows only in quoted words: a stub for it would be an
    entry mentioned nowhere (BB311) the moment it is accepted."""
    folder = tmp_path / "conf" / "entities"
    folder.mkdir(parents=True)
    added = add(folder,
                Found(Candidate("Breezy", "person", 2, "title", linkable=0), "a.txt"),
                Found(Candidate("Jane Doe", "person", 2, "title", linkable=1), "a.txt"))
    assert added == 1
    registry = load_registry(folder)
    assert [e.name for e in registry] == ["Jane Doe"]
    state = ReviewState.load(folder)
    offered = [p for p in state.proposals if p.name == "Breezy"]
    assert offered and offered[0].stub_id is None and "quoted only" in offered[0].cue
