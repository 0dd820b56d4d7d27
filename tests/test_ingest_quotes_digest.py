"""Digest layouts (a blog round-up quoting its sources): "X writes about …, “…”", "X [1]
says: “…”", "“…” Blogger X [1] takes issue with …", and "X defines Y as “…”"."""

from __future__ import annotations

from test_ingest_quotes import quotes

WORDS = "We will not retreat from the border at all."


def test_link_marker_is_not_part_of_the_speaker() -> None:
    assert quotes(f"Maria Lopez [1] says: “{WORDS}”") == [(WORDS, "maria-lopez", "Maria Lopez")]


def test_source_that_writes_about_something_before_the_quote() -> None:
    found = quotes(f"Some Blog Name writes about the border talks in the south [1], “{WORDS}”")
    assert found == [(WORDS, None, "Some Blog Name")]


def test_source_unknown_to_the_recogniser_keeps_its_words_before_a_colon() -> None:
    found = quotes("Bloggerling puts up notes on his interview with a county official "
                   "regarding the village: “They refused to let me leave the room alone”.")
    assert found == [("They refused to let me leave the room alone", None, "Bloggerling")]


def test_digest_lead_that_relays_someone_else_names_no_speaker() -> None:
    found = quotes("Bloggerling posts a letter from an official of the county: "
                   "“They refused to let me leave the room alone”.")
    assert found == [("They refused to let me leave the room alone", None, None)]


def test_a_pronoun_or_a_clause_is_no_digest_source() -> None:
    assert quotes(f"They write about the border talks in the south [1], “{WORDS}”") == [
        (WORDS, None, None)]


def test_cited_source_after_a_paragraph_opening_quotation() -> None:
    found = quotes("“Why would we ever retreat from the border now?” Spanish blogger "
                   "Maria Lopez [1] takes issue with an editorial.")
    assert found == [("Why would we ever retreat from the border now?", "maria-lopez",
                      "Maria Lopez")]


def test_cited_source_must_be_someone_recognised() -> None:
    found = quotes("“Why would we ever retreat from the border now?” An old editorial "
                   "[1] takes issue with the plan.")
    assert found == [("Why would we ever retreat from the border now?", None, None)]


def test_a_definition_is_its_definer_s() -> None:
    found = quotes("The Foreign Ministry defines neutrality as “a policy of staying out of "
                   "every war”.")
    assert found == [("a policy of staying out of every war", "foreign-ministry",
                      "Foreign Ministry")]
