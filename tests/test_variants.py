"""One entity, many spellings: which names of a batch are one entity, and its name."""

from __future__ import annotations

import pytest

from briefbook.ingest.variants import (
    abbreviates,
    entity_key,
    group_variants,
    is_short_form,
    usual_name,
)


def grouped(*names: tuple[str, str]) -> list[list[str]]:
    return [[names[i][0] for i in group] for group in group_variants(names)]


@pytest.mark.parametrize(("a", "b", "kind"), [
    ("UK", "U.K.", "place"),
    ("Britain", "United Kingdom", "place"),
    ("US", "United States", "place"),
    ("the Netherlands", "Netherlands", "place"),
    ("Va.", "Virginia", "place"),                 # a state as datelines abbreviate it
    ("Seymour Johnson AFB", "Seymour Johnson Air Force Base", "place"),
    ("Cook Island", "Cook Islands", "place"),     # "the Cook Island’s hospitality"
    ("U.S. Army", "US Army", "organization"),
    ("United States Army", "U.S. Army", "organization"),
    ("Philippine Army", "Philippines Army", "organization"),
    ("Secretary Austin", "Austin", "person"),
    ("Defence Secretary John Healey", "John Healey", "person"),
    ("Vasyl Horodetskyy", "Vasyl Horodetsky", "person"),  # transliterations of one ending
    ("Mykola Horodetskyi", "Mykola Horodetskiy", "person"),
    ("Ahmet Yıldızoğlu", "Ahmet Yildizoglu", "person"),   # letters with and without marks
    ("Consulate of the ROK in Osaka", "Consulate of the Republic of Korea in Osaka",
     "organization"),                           # a country inside a body's name
])
def test_one_key_for_the_variants_of_a_name(a: str, b: str, kind: str) -> None:
    assert entity_key(a, kind) == entity_key(b, kind)


@pytest.mark.parametrize(("a", "b", "kind"), [
    ("North Korea", "South Korea", "place"),
    ("U.S. Army", "British Army", "organization"),
    ("Austin", "Austin", "place"),                # same name, other kind: the key says so
    ("Jan Kowal", "Jan Kowalsky", "person"),      # another name, not another spelling
    ("Embassy of Japan in Korea", "Embassy of Korea in Japan", "organization"),
])
def test_other_entities_keep_other_keys(a: str, b: str, kind: str) -> None:
    other = "person" if a == b else kind
    assert entity_key(a, kind) != entity_key(b, other)


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("FEMA", "Federal Emergency Management Agency", True),
    ("DoD", "Department of Defense", True),
    ("NOAA", "National Oceanic and Atmospheric Administration", True),
    ("USAID", "U.S. Agency for International Development", True),
    ("AFRICOM", "U.S. Africa Command", True),      # first letters of each word
    ("U.N.", "United Nations", True),
    ("EU", "Estonian Defence Forces", False),
    ("NATO", "National Security Council", False),
    ("UK", "Ukraine", False),                      # one word abbreviates nothing
])
def test_acronyms(acronym: str, name: str, expected: bool) -> None:
    assert abbreviates(acronym, name) is expected


@pytest.mark.parametrize(("short", "full", "expected"), [
    ("Austin", "Lloyd J. Austin III", True),
    ("Le Drian", "Jean-Yves Le Drian", True),
    ("Shin", "Shin Won-sik", True),               # a family name written first
    ("Lloyd", "Lloyd Austin", False),             # a first name is no short form
    ("Lloyd Austin", "Lloyd Austin", False),
])
def test_short_forms(short: str, full: str, expected: bool) -> None:
    assert is_short_form(short, full) is expected


def test_a_batch_groups_every_variant_of_one_entity() -> None:
    groups = grouped(
        ("UK", "place"), ("Britain", "place"), ("U.K.", "place"), ("United Kingdom", "place"),
        ("US", "place"), ("U.S.", "place"), ("United States", "place"),
        ("Lloyd J. Austin III", "person"), ("Austin", "person"), ("Lloyd Austin", "person"),
        ("FEMA", "organization"), ("Federal Emergency Management Agency", "organization"),
        ("UNRWA", "place"),  # a recogniser's wrong type: the name it abbreviates decides
        ("United Nations Relief and Works Agency", "organization"),
        ("Security Council", "organization"), ("UN Security Council", "organization"),
        ("Yokota", "place"), ("Yokota Air Base", "place"),
    )
    assert groups == [
        ["UK", "Britain", "U.K.", "United Kingdom"], ["US", "U.S.", "United States"],
        ["Lloyd J. Austin III", "Austin", "Lloyd Austin"],
        ["FEMA", "Federal Emergency Management Agency"],
        ["UNRWA", "United Nations Relief and Works Agency"],
        ["Security Council", "UN Security Council"], ["Yokota", "Yokota Air Base"]]


def test_what_the_batch_cannot_tell_apart_stays_apart() -> None:
    # Two people share the family name: "Bush" alone could be either; so could the
    # name without initials, when two sets of initials are in the batch.
    groups = grouped(("George W. Bush", "person"), ("George H. W. Bush", "person"),
                     ("George Bush", "person"), ("Bush", "person"),
                     ("EU", "organization"), ("European Union", "organization"),
                     ("Energy Union", "organization"))
    assert groups == [["George W. Bush"], ["George H. W. Bush"], ["George Bush"], ["Bush"],
                      ["EU"], ["European Union"], ["Energy Union"]]


@pytest.mark.parametrize(("forms", "kind", "name"), [
    ({"UK": 5, "Britain": 2, "U.K.": 1}, "place", "United Kingdom"),
    ({"US": 9, "U.S.": 3}, "place", "United States"),
    ({"PRC": 2}, "place", "China"),
    ({"Va.": 1}, "place", "Virginia"),
    ({"FORT BELVOIR": 1}, "place", "Fort Belvoir"),
    ({"WASHINGTON": 2}, "place", "Washington"),
    ({"Yokota": 3, "Yokota Air Base": 1}, "place", "Yokota Air Base"),
    ({"FEMA": 6, "Federal Emergency Management Agency": 1}, "organization",
     "Federal Emergency Management Agency"),
    ({"Security Council": 4, "UN Security Council": 1}, "organization", "UN Security Council"),
    ({"Austin": 7, "Lloyd J. Austin III": 1, "Lloyd Austin": 1}, "person", "Lloyd Austin"),
    ({"Secretary Austin": 2, "Lloyd J. Austin III": 1}, "person", "Lloyd J. Austin III"),
])
def test_usual_name(forms: dict[str, int], kind: str, name: str) -> None:
    assert usual_name(forms, kind) == name
