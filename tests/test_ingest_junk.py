"""Names that are not entities, found where they come from: recognition.

Each case is a layout or a turn of English that made a stub nobody wanted (a title read
as a name, a unit without its regiment, a town taken from a first name, an adjective
taken for a place), checked with the rules alone and with the statistical model, since
a user may have either.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pytest

from briefbook.ingest import recognition
from briefbook.ingest.model import Name
from briefbook.ingest.recognition import Recogniser

BOTH = ["rules", "spacy"]


@cache
def recogniser(which: str) -> Recogniser:
    return recognition.load(which)


def found(which: str, *paragraphs: str, labels: Sequence[str] = ()) -> list[Name]:
    return recogniser(which).read(list(paragraphs), labels).names


def texts(names: Sequence[Name], kind: str | None = None) -> list[str]:
    return [n.text for n in names if kind is None or n.type == kind]


@pytest.mark.parametrize("which", BOTH)
def test_a_title_ending_before_a_comma_is_no_name(which: str) -> None:
    names = found(which, "The talks were led by the Minister for International Development "
                         "and the Pacific and Minister for Defence Industry, Pat Conroy.")
    assert "Industry" not in texts(names)


@pytest.mark.parametrize("which", BOTH)
def test_a_reference_after_a_label_is_no_speaker(which: str) -> None:
    names = found(which, "PRN: 2012/259", "MR. PRICE: Good afternoon, everyone.",
                  labels=["PRN: ", "MR. PRICE: "])
    assert texts(names, "person") == ["PRICE"]


@pytest.mark.parametrize("which", BOTH)
def test_a_unit_and_its_regiment_are_one_name(which: str) -> None:
    names = found(which, "The Defence Secretary confirmed that the 1st Battalion, The "
                         "Yorkshire Regiment will take over from them in June.")
    assert "1st Battalion, The Yorkshire Regiment" in texts(names, "organization")
    assert "Yorkshire Regiment" not in texts(names)


@pytest.mark.parametrize("which", BOTH)
def test_an_acronym_of_an_agreement_is_no_body(which: str) -> None:
    names = found(which, "In 2014 the two countries signed a Defense Cooperation Agreement "
                         "(DCA) and an annex.", "The DCA allows the U.S. to rotate troops.")
    assert "DCA" not in texts(names)


@pytest.mark.parametrize("which", BOTH)
def test_no_town_from_a_first_name(which: str) -> None:
    # An infobox's list of participants, run together as a saved page gives it.
    names = found(which, "Secretary of State Antony Blinken spoke with his counterpart.",
                  "ParticipantsUnited States Joe Biden United States Antony Blinken Russia "
                  "Vladimir Putin", "The leaders met in Geneva.")
    assert "Antony" not in texts(names, "place")
    assert "Geneva" in texts(names, "place")


@pytest.mark.parametrize("which", BOTH)
def test_a_region_that_begins_a_longer_name_is_no_place(which: str) -> None:
    names = found(which, "The exercise takes place within Atlantic Resolve, a "
                         "multinational exercise in Europe.")
    assert "Atlantic" not in texts(names, "place")
    assert "Europe" in texts(names, "place")


@pytest.mark.parametrize("which", BOTH)
def test_a_region_named_by_an_adjective_is_the_region(which: str) -> None:
    names = found(which, "He reaffirmed the commitment to the defence of our friends and "
                         "Allies across the Baltic region.",
                  "Typhoons patrolled Baltic skies.")
    assert texts(names, "place") == ["Baltic region"]


def test_part_of_a_compound_name_is_no_person() -> None:
    # An infobox line as a saved encyclopedia page gives it.
    names = found("spacy", "- Constituency4: Harju–Rapla", "- Constituency5: Harju–Rapla")
    assert "Harju" not in texts(names, "person")


@pytest.mark.parametrize("which", BOTH)
def test_the_body_after_a_title_is_the_name(which: str) -> None:
    names = found(which, "He also met the Estonian defence minister and the Commander of the "
                         "Estonian Defence Forces, Major General Martin Herem.")
    orgs = texts(names, "organization")
    assert "Estonian Defence Forces" in orgs
    assert not any(o.startswith("Commander") for o in orgs)


@pytest.mark.parametrize("which", BOTH)
def test_today_is_no_name(which: str) -> None:
    names = found(which, "“Today’s Senate vote was a significant step,” she said.")
    assert not {"Today", "Today’s Senate"} & set(texts(names))


@pytest.mark.parametrize("which", BOTH)
def test_a_word_broken_at_a_line_end_makes_no_name(which: str) -> None:
    names = found(which, "In 2022, Fiji became the first PIC to join the Indo- "
                         "The Pacific Islands Forum met in Suva.")
    assert not any("Indo-" in t for t in texts(names))


@pytest.mark.parametrize("which", BOTH)
def test_a_ship_in_a_headline_ends_before_the_verb(which: str) -> None:
    names = found(which, "USS New Orleans Completes Port Visit to Colombia")
    assert "USS New Orleans" in texts(names, "organization")


@pytest.mark.parametrize("which", BOTH)
def test_an_ousted_title_is_kept_with_the_name(which: str) -> None:
    names = found(which, "Supporters of ousted President Mohamed Morsi gathered.")
    [morsi] = [n for n in names if n.text == "Mohamed Morsi"]
    assert morsi.title == "ousted President"


@pytest.mark.parametrize("which", BOTH)
def test_titled_people_in_a_list_keep_their_names(which: str) -> None:
    names = found(which, "President Putin, Sergey Lavrov and Yuri Ushakov met the delegation.",
                  "Secretary of State Blinken, Defense Secretary Lloyd Austin and others spoke.")
    people = texts(names, "person")
    assert "Putin" in people and "Blinken" in people


@pytest.mark.parametrize("which", BOTH)
def test_a_city_named_with_city_stays_a_place(which: str) -> None:
    names = found(which, "Strikes continued in Gaza City on Monday.")
    assert any(t.startswith("Gaza") for t in texts(names, "place"))
