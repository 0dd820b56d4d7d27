"""Quotation layouts of issue 20: labels with titles, described speakers and bodies, and
a colon after a sentence that talks about someone (synthetic texts, not corpus articles)."""

from __future__ import annotations

from briefbook.entities.registry import Entity, Registry
from briefbook.ingest.pipeline import Context, analyse_text

REGISTRY = Registry({e.id: e for e in [
    Entity("person", "maria-lopez", "Maria Lopez"),
    Entity("person", "park-ji-won", "Park Ji-won"),
    Entity("organization", "northshire-police", "Northshire Police"),
    Entity("organization", "southshire-police", "Southshire Police"),
    Entity("organization", "civic-forum", "Civic Forum"),
    Entity("place", "freedonia", "Freedonia"),
]})
CONTEXT = Context(REGISTRY, backend="rules")


def quotes(body: str) -> list[tuple[str, str | None, str | None]]:
    analysis = analyse_text(" date 2024-01-02 A Writer\n\n" + body, context=CONTEXT)
    return [(q.text, q.speaker_id, q.speaker_text) for q in analysis.quotes]


def test_label_with_a_long_title_before_the_name() -> None:
    found = quotes("Talks in the capital\n\n"
                   "President of Freedonia Maria Lopez: Mr President, friends,\n\n"
                   "It gives me great pleasure to welcome you.\n\n"
                   "Prime Minister Park Ji-won (retranslated): Thank you, "
                   "Madam President.\n\n"
                   "Maria Lopez: I want to congratulate you on the results.")
    assert [(q[0], q[1]) for q in found] == [
        ("Mr President, friends,", "maria-lopez"),
        ("Thank you, Madam President.", "park-ji-won"),
        ("I want to congratulate you on the results.", "maria-lopez")]


def test_label_with_the_title_after_the_name() -> None:
    found = quotes("Ms. Maria Lopez, Minister for Foreign Affairs: I am visiting the "
                   "conference to meet my counterparts.")
    assert found and found[0][1] == "maria-lopez"
    assert found[0][0].startswith("I am visiting")


def test_interview_labels_with_abbreviations() -> None:
    found = quotes("Meet the editor\n\nCivic Forum (CF): Can you tell us about yourself?\n\n"
                   "Maria Lopez (ML): I am the editor of the forum.")
    assert [q[1] for q in found] == ["civic-forum", "maria-lopez"]


def test_a_bare_name_and_colon_is_a_heading_not_a_turn() -> None:
    found = quotes("Maria Lopez: The Interview\n\nShe spoke to us on Monday.")
    assert found == []


def test_head_of_state_is_the_person_titled_president() -> None:
    found = quotes("President Maria Lopez visited the troops on Monday. “Thank you for "
                   "your service to the country,” said the Head of State.")
    assert found and found[0][1] == "maria-lopez"


def test_the_force_is_the_police_named_before() -> None:
    found = quotes("Northshire Police seized the boxes on Monday. “When officers opened the "
                   "boxes they found the drugs,” the force said.")
    assert found and found[0][1] == "northshire-police"


def test_the_force_stays_unresolved_with_two_forces_named() -> None:
    found = quotes("Northshire Police and the Southshire Police seized the boxes. “When "
                   "officers opened the boxes they found the drugs,” the force said.")
    assert found and found[0][1] is None


def test_colon_after_a_sentence_about_someone_else() -> None:
    found = quotes("Park Ji-won posts notes on his interview with officials regarding "
                   "Maria Lopez: “They refused to let me leave the room without a guard.”")
    assert found and found[0][1] == "park-ji-won"


def test_colon_never_takes_the_nearest_name_by_default() -> None:
    found = quotes("Notes from an interview with officials regarding Maria Lopez: “They "
                   "refused to let me leave the room without a guard.”")
    assert found and found[0][1] != "maria-lopez"


def test_what_they_called_names_no_speaker() -> None:
    found = quotes("The party left the government this week, protesting what they called "
                   "“dishonest and unreliable behaviour” by its partner.")
    assert found and found[0][2] is None
