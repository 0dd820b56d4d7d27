"""Speaker phrases to the people and bodies an article names: "he", "the secretary",
"Lee, a Korean lawmaker", "NASA and ESA".

The phrase is resolved to a registry entity when one is mentioned in it (people before
organisations before places, the one nearest the verb), a pronoun to the last person a
careful reader would take it for, a description to the one person the article gave
that title; otherwise the article's own words stand ("South Korean intelligence
services", "officials").  :class:`~.quotes.Attributor` asks these questions.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefbook.ingest.model import Mention, Name
from briefbook.ingest.name_patterns import FAMILY_FIRST
from briefbook.ingest.quote_marks import find_spans
from briefbook.ingest.spans import SpanIndex
from briefbook.ingest.speech_patterns import (
    BODY_DESCRIPTION,
    BODY_WORDS,
    BOUNDARY,
    DESCRIBED_SUBJECT,
    DESCRIPTION,
    INTRODUCTORY,
    LEADING_FILLER,
    LINK_MARKER,
    NOT_FIRST,
    NOT_SPEAKERS,
    NOUN_TITLES,
    PREPOSITION_START,
    PRONOUNS,
    TITLE_SYNONYMS,
    TRAILING_AUX,
    sentence_start,
)


@dataclass(frozen=True)
class Referent:
    """Someone or something a speaker phrase can name: a registry mention (with an id) or
    a recognised name the registry lacks (no id).  ``title`` is what the text calls a
    person ("Defense Secretary"), for resolving "the secretary said"."""

    id: str | None
    text: str
    type: str
    paragraph: int
    start: int
    end: int
    title: str = ""

    @property
    def key(self) -> str:
        """Who this is, so that "Lloyd Austin" and a later "Austin" count as one person."""
        if self.id:
            return self.id
        tokens = [t for t in self.text.split() if t.rstrip(".") not in ("Jr", "Sr", "II", "III")]
        if tokens and tokens[0].casefold() in FAMILY_FIRST:
            return tokens[0].casefold()  # "Kim Yong-hyun" and "Kim"
        return (tokens or self.text.split())[-1].casefold()


def _rank(referent: Referent) -> int:
    return {"person": 0, "organization": 1, "place": 2}.get(referent.type, 3)



class Speakers:
    """Who a speaker phrase means, among the people and bodies an article has named.

    ``quoted`` gives every paragraph's quoted spans in advance, because a name inside
    quoted words is never the antecedent of a later "he said" (the speaker talks *about*
    the president; the president does not speak).

    The names are indexed by paragraph (and by position within it), by who they are and
    by title once, so that each question about "the names before here" costs what the
    paragraph holds, not what the article holds: a long article is attributed in time
    that grows with its length.
    """

    def __init__(self, mentions: Sequence[Mention], names: Sequence[Name] = (),
                 quoted: dict[int, list[tuple[int, int]]] | None = None) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.paragraph, m.start))
        self.quoted = quoted or {}
        names_at = SpanIndex([(n.paragraph, n.start, n.end, n) for n in names])
        mentions_at = SpanIndex([(m.paragraph, m.start, m.end, m) for m in self.mentions])
        referents = []
        for m in self.mentions:
            title = next((n.title for n in names_at.overlapping(m.paragraph, m.start, m.end)
                          if n.title), "")
            referents.append(Referent(m.id, m.text, m.type, m.paragraph, m.start, m.end, title))
        for n in names:
            if not any(True for _ in mentions_at.overlapping(n.paragraph, n.start, n.end)):
                referents.append(Referent(None, n.text, n.type, n.paragraph, n.start, n.end,
                                          n.title))
        self.referents = sorted(referents, key=lambda r: (r.paragraph, r.start))
        self._at = SpanIndex([(r.paragraph, r.start, r.end, r) for r in self.referents])
        self._by_key: dict[str, list[Referent]] = {}
        for r in self.referents:
            self._by_key.setdefault(r.key, []).append(r)
        # People given a title ("the secretary" resolves among them), outside quotations.
        self._titled = [r for r in self.referents if r.type == "person" and r.title
                        and self._outside_quotes(r)]
        self._by_title: dict[str, tuple[list[tuple[int, int]], list[Referent], list[bool]]] = {}
        # The latest mention of each entity up to a paragraph, for transcript labels.
        self._latest: dict[str, Mention] = {}
        self._latest_upto = -1
        self._latest_next = 0
        self._last_speaker: tuple[Referent, int, int] | None = None
        self._texts: dict[int, str] = {}

    def _in(self, paragraph: int, start: int, end: int) -> list[Referent]:
        return [r for r in self._at.starting(paragraph, start, end) if r.end <= end]

    def _outside_quotes(self, referent: Referent) -> bool:
        return not any(s <= referent.start and referent.end <= e
                       for s, e in self.quoted.get(referent.paragraph, ()))

    def _people_before(self, paragraph: int, before: int, first: int) -> list[Referent]:
        """The people named outside quotations from paragraph ``first`` up to ``before``
        in ``paragraph``."""
        return [r for number in range(max(first, 0), paragraph + 1)
                for r in self._at.starting(number, 0, before if number == paragraph else None)
                if r.type == "person" and self._outside_quotes(r)]

    def _antecedent(self, paragraph: int, before: int) -> Referent | None:
        """Whom "he" or "she" means, or None when a careful reader could not be sure:
        the last quote's speaker if no one else has been named since; else the one
        person named in this paragraph (or, when it names none, the previous one)."""
        first = paragraph - 1
        if self._last_speaker is not None and paragraph - self._last_speaker[1] <= 1:
            first = min(first, self._last_speaker[1])
        people = self._people_before(paragraph, before, first)
        if self._last_speaker is not None:
            speaker, at_paragraph, at = self._last_speaker
            since = [r for r in people if (r.paragraph, r.start) > (at_paragraph, at)]
            if paragraph - at_paragraph <= 1 and all(r.key == speaker.key for r in since):
                return speaker
        subject = self._previous_subject(paragraph, before)
        if subject is not None:
            return subject
        for window in (paragraph, paragraph - 1):
            here = [r for r in people if r.paragraph == window]
            if here:
                keys = {r.key for r in here}
                return here[-1] if len(keys) == 1 else None
        return None

    def _fullest(self, referent: Referent) -> str:
        """The fullest name the article gave this person ("Kim Yong-hyun", not "Kim")."""
        same = [r.text for r in self._by_key.get(referent.key, ())
                if (r.paragraph, r.start) <= (referent.paragraph, referent.start)]
        return max(same, key=len, default=referent.text)

    def _subject(self, paragraph: int, sentence: int, limit: int) -> Referent | None:
        """The person or organisation a sentence starts with ("Afterwards Bush called …"):
        within its first four words, outside quoted words."""
        text = self._texts.get(paragraph, "")
        for r in self._at.starting(paragraph, sentence, limit):
            if r.end <= limit and r.type in ("person", "organization") \
                    and self._outside_quotes(r):
                lead = text[sentence:r.start].strip()
                titled = bool(r.title) and lead.endswith(r.title) and all(
                    w[:1].isupper() for w in lead.split())  # "FEMA Administrator Criswell"
                if not lead or titled or INTRODUCTORY.fullmatch(lead) or (
                        lead.endswith(",") and not find_spans(lead)):
                    return r  # "Following a 10-day trip …, Carter told …"
        described = DESCRIBED_SUBJECT.match(text, sentence, limit)
        if described is not None:
            return self._described(described["noun"], paragraph, sentence)
        return None

    def _opening_speaker(self, text: str, paragraph: int, sentence: int,
                         verb: int) -> Referent | None:
        """The person a sentence opens on when only the verb follows ("Carter told …")."""
        subject = self._subject(paragraph, sentence, verb)
        if subject is None or subject.type != "person" or text[subject.end:verb].strip():
            return None
        return subject

    def _previous_subject(self, paragraph: int, before: int) -> Referent | None:
        """The person the sentence before ``before`` starts with: "Fukuda noted that the
        talks went well. He also said …" means Fukuda."""
        text = self._texts.get(paragraph, "")
        current = sentence_start(text, before, 0)
        if current > 0:
            previous = sentence_start(text, current - 1, 0)
            found = self._subject(paragraph, previous, current)
        else:
            last = self._texts.get(paragraph - 1)
            if last is None:
                return None
            found = self._subject(paragraph - 1, sentence_start(last, len(last), 0), len(last))
        return found if found is not None and found.type == "person" else None


    def _described(self, noun: str, paragraph: int, before: int) -> Referent | None:
        """The one person the article has titled ``noun`` ("secretary"), or None."""
        noun = NOUN_TITLES.get(noun.casefold(), noun.casefold())
        noun = " ".join(noun.split())
        if noun not in self._by_title:
            # "the Head of State" is whoever the article titled president (or king …).
            nouns = TITLE_SYNONYMS.get(noun, (noun,))
            titled = [r for r in self._titled
                      if any(n in " ".join(r.title.casefold().split()) for n in nouns)]
            # alone[i]: the first i + 1 people so titled are all one person.
            alone: list[bool] = []
            first = titled[0].key if titled else ""
            for r in titled:
                alone.append(r.key == first and (not alone or alone[-1]))
            self._by_title[noun] = ([(r.paragraph, r.start) for r in titled], titled, alone)
        positions, titled, alone = self._by_title[noun]
        upto = bisect.bisect_left(positions, (paragraph, before))
        return titled[upto - 1] if upto and alone[upto - 1] else None

    def _described_body(self, noun: str, paragraph: int, before: int) -> Referent | None:
        """The one organisation named before ``before`` (outside quotations) whose name
        holds the kind a description gives ("the force" → "West Midlands Police"), or
        None when there is none or more than one."""
        kinds = BODY_WORDS.get(noun.casefold(), (noun.casefold(),))
        found: dict[str, Referent] = {}
        for number in range(max(0, paragraph - 30), paragraph + 1):
            for r in self._at.starting(number, 0, before if number == paragraph else None):
                name = f" {' '.join(r.text.casefold().split())} "
                # The name decides, whatever kind the recogniser gave it: "… Police" is
                # a police force even when typed a place.
                if r.type != "person" and self._outside_quotes(r) and any(
                        f" {kind} " in name for kind in kinds):
                    found.setdefault(r.key, r)
        return next(iter(found.values())) if len(found) == 1 else None

    def _speaker(self, text: str, paragraph: int, start: int, end: int,
                 nearest: str) -> tuple[str | None, str | None, str]:
        """Resolve the phrase text[start:end] to (id, name, the article's words)."""
        phrase = text[start:end]
        marker = LINK_MARKER.search(phrase)
        if marker is not None:  # "Jumbie's Watch [1]": the digest's link, not the name
            end = start + marker.start()
            phrase = text[start:end]
        lead = len(phrase) - len(phrase.lstrip(" ,"))
        phrase = phrase.strip(" ,")
        start += lead
        end = start + len(phrase)
        if not phrase:
            return None, None, ""
        inside = self._in(paragraph, start, end)
        # "Stoltenberg's successor said" is not Stoltenberg; "the BBC's correspondent" is
        # the BBC speaking, so only people lose their claim through a possessive.
        inside = [m for m in inside if not (m.type == "person" and re.match(
            r"[’']s?\s+\w", text[m.end:end]))]
        if inside:
            best = min(_rank(m) for m in inside)
            pool = [m for m in inside if _rank(m) == best]
            if len({m.key for m in pool}) > 1 and re.search(
                    rf"{re.escape(pool[0].text)}\s*(?:,|and|&)\s*(?:the\s+)?{re.escape(pool[1].text)}",
                    text[start:end]):
                joint = TRAILING_AUX.sub("", phrase)
                return None, joint, joint  # "NASA and ESA said": a joint statement
            chosen = pool[-1] if nearest == "last" else pool[0]
            if chosen.type == "place":
                bare = TRAILING_AUX.sub("", LEADING_FILLER.sub("", phrase).strip(" ,"))
                if re.sub(r"^the\s+", "", bare, flags=re.IGNORECASE) != chosen.text:
                    return None, None, ""  # a place named inside the phrase is no speaker
                return None, chosen.text, chosen.text  # a country "said": no person speaks
            self._last_speaker = (chosen, paragraph, end)
            return chosen.id, chosen.text, chosen.text
        cleaned = LEADING_FILLER.sub("", phrase).strip(" ,")
        cleaned = TRAILING_AUX.sub("", cleaned)
        lowered = cleaned.casefold()
        resolved = None
        if lowered in PRONOUNS:
            resolved = self._antecedent(paragraph, start)
            if resolved is None:
                return None, cleaned, cleaned
        else:
            described = DESCRIPTION.match(cleaned)
            if described:
                resolved = self._described(described["noun"], paragraph, start)
            body = BODY_DESCRIPTION.match(cleaned)
            if body:
                resolved = self._described_body(body["noun"], paragraph, start)
        if resolved is not None:
            self._last_speaker = (resolved, paragraph, end)
            return resolved.id, self._fullest(resolved), cleaned
        words = cleaned.split()
        if words and words[-1].casefold() in NOT_SPEAKERS:
            return None, None, ""  # "protesting what they called": no one a reader can name
        if (not words or len(words) > 8 or lowered in NOT_SPEAKERS
                or lowered.split()[0] in NOT_FIRST or not any(c.isalpha() for c in cleaned)):
            return None, None, ""
        return None, cleaned, cleaned

    def _segment_before(self, text: str, paragraph: int, floor: int, verb_start: int) -> tuple[int, int]:
        """The speaker phrase before a verb: back to the last clause boundary, extended over
        an appositive ("Lee, a Korean lawmaker, said") when the segment names no one."""
        end = verb_start
        region = text[floor:end].rstrip(" ,")
        end = floor + len(region)
        cuts = [floor] + [floor + m.end() for m in BOUNDARY.finditer(region)]
        start = cuts[-1]
        segment = text[start:end].strip()
        if not self._in(paragraph, start, end) and len(cuts) > 1 and re.match(
                r"(?:a|an|the|its|his|her|their)\b", segment, re.IGNORECASE):
            previous = cuts[-2]
            # Only a name before the appositive ("Lee, a Korean lawmaker, said"), not a
            # clause ("Trump and Putin were received poorly …, with some commentators").
            if self._in(paragraph, previous, start) and not PREPOSITION_START.match(
                    text, previous) and len(text[previous:start].split()) <= 5:
                start = previous
        joined = re.search(r"(?<![\w’'.-])(?P<partner>[A-Z][\w’'.-]*)\s+and\s*$", text[floor:start])
        if joined is not None and text[start:end].strip()[:1].isupper():
            # "NASA and ESA have said": both, not the one next to the verb.
            before = floor + joined.end("partner")
            partner = list(self._at.ending(paragraph, before))
            start = partner[-1].start if partner else floor + joined.start("partner")
        return start, end

    def _latest_mentions(self, paragraph: int) -> list[Mention]:
        """The last mention of each entity up to ``paragraph``, in the order of those
        last mentions: what a transcript label is resolved against ("the one mentioned
        most recently"), without the whole article's mentions each time."""
        if paragraph < self._latest_upto:
            self._latest, self._latest_next = {}, 0
        self._latest_upto = paragraph
        while self._latest_next < len(self.mentions) and \
                self.mentions[self._latest_next].paragraph <= paragraph:
            mention = self.mentions[self._latest_next]
            self._latest.pop(mention.id, None)
            self._latest[mention.id] = mention
            self._latest_next += 1
        return list(self._latest.values())
