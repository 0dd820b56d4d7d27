"""Who a dependency parse says is speaking: the subject of the verb that reports a quote.

The reporting-clause patterns in :mod:`.quotes` cover the usual shapes ("…,” X said;
X said: “…”); a parse covers the rest, where words of any length stand between the
speaker and the quotation ("Carter told service members the allies were “…”", "The
minister, speaking after talks with her counterpart in Seoul, warned that “…”").  It is a
fallback, asked only when the patterns found nothing, and it answers only when the verb
that governs the quotation is a verb of saying outside the quoted words.
"""

from __future__ import annotations

from typing import Any

from briefbook.ingest.wordlists import words

#: Lemmas of verbs that report speech or writing ("call" and "describe" name things —
#: officials call it “Operation Dawn” — so they are left to the patterns).
SPEECH_LEMMAS = frozenset(words("""
say tell add state declare proclaim announce assert claim insist argue explain note warn
confirm remark reply respond comment urge stress emphasise emphasize acknowledge admit
suggest observe tweet post ask conclude predict pledge vow promise deny recall
report caution concede boast demand repeat maintain write testify answer agree
disclose reveal allege complain reiterate counter underline underscore highlight
"""))
_IRREGULAR = frozenset(words("said says saying told tells telling wrote writes writing written"))


def inflections(verb: str) -> set[str]:
    """note, notes, noted, noting; reply, replies, replied, replying."""
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return {verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    if verb.endswith("e"):
        return {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
    plural = verb + "es" if verb.endswith(("s", "sh", "ch", "x")) else verb + "s"
    return {verb, plural, verb + "ed", verb + "ing"}


#: Every form of those verbs (the pipeline runs without its lemmatizer, for speed).
SPEECH_FORMS = frozenset().union(_IRREGULAR, *(inflections(v) for v in SPEECH_LEMMAS))
_SUBJECTS = ("nsubj", "nsubjpass")
_CLIMB = 6


def reporting_subject(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    """Character span of the subject of the speech verb governing the quoted words
    ``doc.text[start:end]``, or None when the parse shows no such verb."""
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    for token in inside:
        head = token.head
        steps = 0
        while start <= head.idx < end and head is not head.head and steps < _CLIMB:
            head = head.head
            steps += 1
        if start <= head.idx < end:
            continue
        verb = _speech_verb(head)
        if verb is None:
            continue
        subject = _subject(verb)
        if subject is None:
            continue
        left, right = subject.left_edge, subject.right_edge
        span_start, span_end = left.idx, right.idx + len(right.text)
        if span_start < end and start < span_end:
            continue  # the "subject" runs into the quote: a parse not to trust
        return span_start, span_end
    return None


def _speech_verb(token: Any) -> Any | None:
    """The speech verb at ``token`` or one or two heads above it ("said that …")."""
    for _ in range(3):
        if token.pos_ in ("VERB", "AUX") and token.lower_ in SPEECH_FORMS:
            return token
        if token is token.head:
            return None
        token = token.head
    return None


def _subject(verb: Any) -> Any | None:
    """The verb's subject, or the agent of a passive ("was told by X"); for a verb
    joined to another ("… called the meeting long, and noted that"), the first one's."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    if verb.dep_ == "conj" and verb.head is not verb:
        return _subject(verb.head)
    return None
