"""One test per quotation-attribution pattern, on sentences that are not the seed's."""

from __future__ import annotations

import pytest

from briefbook.entities.registry import Alias, Entity, Registry
from briefbook.ingest.pipeline import Context, analyse_text
from briefbook.ingest.quote_marks import find_spans

REGISTRY = Registry({e.id: e for e in [
    Entity("person", "maria-lopez", "Maria Lopez"),
    Entity("person", "park-ji-won", "Park Ji-won"),
    Entity("person", "john-kirby", "John Kirby"),
    Entity("organization", "reuters", "Reuters"),
    Entity("organization", "foreign-ministry", "Foreign Ministry", (Alias("ministry"),)),
    Entity("place", "france", "France"),
]})
CONTEXT = Context(REGISTRY, backend="rules")


def quotes(body: str) -> list[tuple[str, str | None, str | None]]:
    analysis = analyse_text(" date 2024-01-02 A Writer\n\n" + body, context=CONTEXT)
    return [(q.text, q.speaker_id, q.speaker_text) for q in analysis.quotes]


@pytest.mark.parametrize(("body", "speaker"), [
    # “...,” X said / proclaimed / announced / declared / added / told
    ("“We will not retreat,” Maria Lopez said.", "maria-lopez"),
    ("“We will not retreat,” Maria Lopez proclaimed on Monday.", "maria-lopez"),
    ("“We will not retreat,” Maria Lopez announced.", "maria-lopez"),
    ("“We will not retreat,” Maria Lopez declared.", "maria-lopez"),
    ("Maria Lopez spoke first. “We will not retreat,” Lopez added.", "maria-lopez"),
    ("“We will not retreat,” Maria Lopez told Reuters.", "maria-lopez"),
    # “...,” said X
    ("“We will not retreat,” said Maria Lopez.", "maria-lopez"),
    # X said: “...”
    ("Maria Lopez said: “We will not retreat.”", "maria-lopez"),
    # As X declares “...”
    ("As Maria Lopez declares “we will not retreat” the talks stall.", "maria-lopez"),
    # a statement was issued by X declaring: “...”
    ("A statement was issued by the envoy, Maria Lopez, declaring: “We will not retreat.”",
     "maria-lopez"),
    # X, a <description>, announced that “...”
    ("Park Ji-won, a veteran lawmaker on the committee, announced that “the talks failed.”",
     "park-ji-won"),
    # According to X, “...”
    ("According to Reuters, “the talks failed on Friday.”", "reuters"),
    ("“The talks failed on Friday,” according to Reuters.", "reuters"),
    # verb a few words before the quote
    ("Maria Lopez warned it would be “a very long winter.”", "maria-lopez"),
    # reported speech: that-clause
    ("Maria Lopez told the summit that the attempts to isolate France had “failed.”",
     "maria-lopez"),
])
def test_named_speaker_patterns(body: str, speaker: str) -> None:
    found = quotes(body)
    assert found and found[0][1] == speaker, found


@pytest.mark.parametrize(("body", "speaker_text"), [
    ("“The troops arrived,” officials said.", "officials"),
    ("“The troops arrived,” two senior officials said on Tuesday.", "two senior officials"),
    ("Western intelligence services proclaim that “the troops arrived.”",
     "Western intelligence services"),
    ("“The troops arrived,” a government spokesman told reporters.", "a government spokesman"),
])
def test_anonymous_speakers(body: str, speaker_text: str) -> None:
    found = quotes(body)
    assert found[0][1] is None and found[0][2] == speaker_text


def test_pronoun_goes_to_the_last_person_named() -> None:
    analysis = analyse_text(" date 2024-01-02 A Writer\n\nMaria Lopez arrived late. "
                            "“Nothing has changed,” she said.", context=CONTEXT)
    quote = analysis.quotes[0]
    assert (quote.speaker_id, quote.speaker_text, quote.said_as) == (
        "maria-lopez", "Maria Lopez", "she")


def test_continuation_of_an_attributed_quote() -> None:
    found = quotes("“We are ready,” Maria Lopez said. “And we will not wait.”")
    assert [q[1] for q in found] == ["maria-lopez", "maria-lopez"]


def test_unattributed_quote_and_scare_quotes() -> None:
    found = quotes("The plan, dubbed “Operation Dawn”, is “bound to fail in the end.”")
    assert found == [("bound to fail in the end.", None, None)]


def test_straight_and_curly_marks_mixed() -> None:
    found = quotes('"We are ready,” Maria Lopez said. “We are not," Park Ji-won said.')
    assert [q[1] for q in found] == ["maria-lopez", "park-ji-won"]


def test_new_sentence_after_quote_is_not_its_attribution() -> None:
    found = quotes("Maria Lopez called it “serious.” Reuters said “the talks failed.”")
    assert [q[1] for q in found] == ["maria-lopez", "reuters"]


def test_transcript_turns() -> None:
    body = ("MR. KIRBY: We are watching closely.\n\nQ: Will you respond?\n\n"
            "MR. KIRBY: We will respond in time.")
    found = quotes(body)
    assert [(q[1], q[2]) for q in found] == [
        ("john-kirby", "MR. KIRBY"), (None, "Q"), ("john-kirby", "MR. KIRBY")]


def test_open_quote_runs_to_paragraph_end() -> None:
    spans = find_spans("Maria Lopez said: “We will stay until the end")
    assert spans and not spans[0].closed


def test_apostrophes_are_not_quotes() -> None:
    assert find_spans("It’s the ministry’s view, and Russia’s too.") == []
    assert len(find_spans("He called it ‘a failure’. It’s over.")) == 1
