"""Quotations in a paragraph, and who said them.

Finding the spans is a small state machine over the quotation marks, because articles
mix curly and straight quotes (and close a “ with a "), leave multi-paragraph quotes
open at the paragraph's end, and use apostrophes everywhere.

Attribution is a handful of general patterns over the words just before and after a
quotation, in the order a reader would try them:

* after:  “…,” Lee proclaimed. / “…,” said the minister. / “…,” X, a lawmaker, said.
* before: According to X, “…” / a statement was issued by X declaring: “…” /
  X said: “…” / As X declares “…” / X, a <description>, announced that “…” /
  X asserted it would be “…” (up to six words between the verb and the quote).
* transcripts: a paragraph ``MR. KIRBY: …`` is one quotation by its label.
* pronouns (“…,” he said) go to the last person named before the quote; a quote that
  opens a sentence right after an attributed one in the same paragraph continues it.

The speaker phrase is then resolved to a registry entity when one is mentioned in it
(people before organisations before places, the one nearest the verb), and otherwise
kept as the article words it ("South Korean intelligence services", "officials").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from briefbook.ingest.model import Mention, Name, Quote
from briefbook.ingest.name_patterns import FAMILY_FIRST, LABEL_TITLE, LABEL_TITLES
from briefbook.ingest.spans import SpanIndex
from briefbook.ingest.syntax import inflections, reporting_subject

_IRREGULAR = (
    "say says said saying tell tells told telling write writes wrote writing written "
    "put it puts it"
)
_REGULAR = (
    "state declare proclaim announce add assert claim insist argue explain note warn confirm "
    "remark reply respond comment urge stress emphasise emphasize acknowledge admit suggest "
    "observe call describe tweet post ask conclude predict pledge vow promise deny recall "
    "report quip caution concede boast demand repeat maintain continue shout whisper exclaim "
    "muse joke testify answer agree disclose reveal allege complain reiterate counter"
)
_VERB_FORMS = sorted(
    {*(w.replace(" ", r"\s+") for w in re.findall(r"put it|puts it|\w+", _IRREGULAR)),
     *(f for v in _REGULAR.split() for f in inflections(v))},
    key=len, reverse=True)
# Case-sensitive even inside IGNORECASE patterns: speech verbs are lower-case in running
# text, and "United States" must not read as the verb "states".
_VERBS = r"(?-i:\b(?:" + "|".join(_VERB_FORMS) + r")\b)"
_VERB_RE = re.compile(_VERBS, re.IGNORECASE)
_AUX = r"(?:(?:has|have|had|was|were|is|are|would|will|also|then|later|once|had\s+earlier)\s+)*"
#: Abbreviations whose full stop ends no sentence ("Capt. Glendon McCallum",
#: "Lloyd J. Austin III", "U.S. officials").
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Adm", "Col", "Capt", "Lt", "Maj",
                  "Sgt", "Cpl", "Pvt", "Pfc", "Spc", "Sen", "Rep", "Gov", "Amb", "Gov", "St",
                  "Jr", "Sr", "Rev", "Hon", "No", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct",
                  "Nov", "Dec", "Corp", "Inc", "Co", "Ltd", "Vol", "Fig", "Tech", "Cmdr")
_NOT_FINAL = "".join(rf"(?<!\b{a})" for a in _ABBREVIATIONS) + r"(?<!\b[A-Z])"
_WORD_CHARS = r"[^\s,.;:!?“”\"«»„()]"
_NP_WORD = (rf"(?:(?:\b[A-Z]|{'|'.join(_ABBREVIATIONS)})\.|{_WORD_CHARS}+"
            rf"(?:\.{_WORD_CHARS}+)*)")
_NP = rf"{_NP_WORD}(?:\s+{_NP_WORD}){{0,7}}"
_POST_VERB_FIRST = re.compile(
    rf"^\s*[,—–-]?\s*(?P<verb>{_VERBS})\s+(?P<spk>{_NP}?)"
    rf"\s*(?:[,;:!?]|{_NOT_FINAL}\.|$|\s(?:in|on|at|during|after|before|from|to|when|who|"
    r"while)\b)",
    re.IGNORECASE)
_POST_NAME_FIRST = re.compile(
    rf"^\s*[,—–-]?\s*(?P<spk>{_NP_WORD}(?:\s+{_NP_WORD}){{0,7}}?)(?P<appos>,\s+[^,“”\"]{{1,120}},)?"
    rf"\s+{_AUX}(?P<verb>{_VERBS})\b", re.IGNORECASE)
_POST_ACCORDING = re.compile(
    rf"^\s*[,—–-]?\s*(?:according\s+to|in\s+the\s+words\s+of)\s+(?P<spk>{_NP})",
    re.IGNORECASE)
_PRE_ACCORDING = re.compile(
    r"(?:according\s+to|in\s+the\s+words\s+of|quoting)\s+(?P<spk>[^“”\"]{1,120}?)\s*[,:]?\s*$",
    re.IGNORECASE)
_PRE_BY = re.compile(
    rf"\b(?:statement|remarks|comments?|message|post|tweet|letter|communiqu[eé]|words|"
    rf"{_VERBS})\b[^“”\"]{{0,60}}?\bby\s+(?P<spk>[^“”\"]{{1,160}}?)"
    r"(?:,?\s+(?:declaring|saying|stating|reading|warning|which\s+read|that\s+read|noting|"
    r"adding|insisting|announcing|proclaiming))?\s*[,:]?\s*(?:that\s*)?$",
    re.IGNORECASE)
_RELATIVE = re.compile(rf"\b(?:which|who|whom|whose|that)\b|{_VERBS}", re.IGNORECASE)
_PRE_COLON = re.compile(r"(?P<spk>[^\s“”\"][^“”\":;.!?]{0,80}?)\s*:\s*$")
_GAP_LIMIT = 6
#: "X told the summit that the West's attempts had ‘failed’": reported speech whose
#: quotation closes a that-clause may sit further from the verb.
_THAT_CLAUSE = re.compile(r"^(?:\s+\S+){0,4}?\s+that\s")
_THAT_GAP_LIMIT = 18
_SUBJECT_GAP_LIMIT = 30
_CLAUSE_START = re.compile(r"^\s*,?\s*(?:and|but|or|while|which|as|so|because|though|although|"
                           r"whereas|yet|then|when|where|if)\b", re.IGNORECASE)
_BOUNDARY = re.compile(
    r"[,;(—–]|\b(?:that|as|and|but|while|when|if|which|because|so|although|though|after|"
    r"before|where|whereas|since|then)\b|" + _VERBS, re.IGNORECASE)
_SENTENCE_END = re.compile(rf"(?:[!?…]|{_NOT_FINAL}\.)[\"”’)]*\s+(?=[A-Z“\"‘(])")
#: "… in attendance, Austin said." right before a quotation of its own: the same speaker.
_SAID_BEFORE = re.compile(
    r"(?:,\s*|^|\.\s+)(?P<spk>[^,.;:!?“”\"]{1,60}?)\s+(?:said|says|added|noted|stated|explained|"
    r"told\s+reporters|told\s+[A-Z][\w\s]{0,40}?)\.\s*$|"
    r"\b(?:said|says|added|noted|explained)\s+(?P<spk2>[^,.;:!?“”\"]{1,60}?)\.\s*$")
_PRONOUNS = {"he", "she", "him", "her"}
_DETERMINERS = {"a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my",
                "your", "whose", "no", "any", "each", "every"}
_NOT_SPEAKERS = _DETERMINERS | {
    "it", "this", "that", "which", "who", "they", "we", "i", "you", "there", "one", "what",
    "these", "those", "some", "many", "here", "its", "them", "us", "me", "everyone", "nobody",
}
_NOT_FIRST = {"it", "this", "that", "which", "who", "there", "what", "these", "those", "here",
              "its", "we", "they", "i", "you"}
_LEADING_FILLER = re.compile(
    r"^(?:(?:as|and|but|while|so|when|where|then|also|even|if|because|though|although|yet|"
    r"however|meanwhile|moreover|furthermore|indeed|now|since|with|among)\b[\s,]*)+",
    re.IGNORECASE)
_QA_LABELS = {"Q", "A", "QUESTION", "ANSWER"}

#: Resolves a transcript label's name ("Kirby") to a registry id, given the mentions so far.
LabelResolver = Callable[[str, Sequence[Mention]], str | None]


@dataclass
class Span:
    """Quoted words [start, end) of a paragraph; ``closed`` is False for a quotation left
    open at the paragraph's end (continued in the next paragraph)."""

    start: int
    end: int
    closed: bool = True


_OPEN = "“„«"
_CLOSE = "”»"


def find_spans(text: str, skip: int = 0) -> list[Span]:
    """Quotation spans in ``text`` (from offset ``skip``), mixed curly/straight marks."""
    spans: list[Span] = []
    open_at: int | None = None
    open_curly = False
    for i in range(skip, len(text)):
        char = text[i]
        if char not in '"“”„«»':
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if char in _OPEN:
            open_at, open_curly = i, True
        elif char in _CLOSE:
            if open_at is not None:
                spans.append(Span(open_at + 1, i))
                open_at = None
        else:  # straight quote: direction from context
            opening = (prev.isspace() or prev in "([{—–-/" or i == skip) and not nxt.isspace()
            if open_at is not None and not (opening and prev.isspace()):
                spans.append(Span(open_at + 1, i))
                open_at = None
            elif opening:
                open_at, open_curly = i, False
    if open_at is not None and (open_curly or open_at == skip or re.search(
            r"[.!?]\s+$", text[max(skip, open_at - 3):open_at])):
        spans.append(Span(open_at + 1, len(text), closed=False))
    if not spans and "‘" in text:
        spans = _single_spans(text, skip)
    out = []
    for span in spans:
        words = text[span.start:span.end]
        if words.strip():
            # Spaces just inside the marks stay outside the quote (and the role).
            span.start += len(words) - len(words.lstrip())
            span.end -= len(words) - len(words.rstrip())
            out.append(span)
    return out


def _single_spans(text: str, skip: int) -> list[Span]:
    """British-style ‘single’ quotes, telling closing marks from apostrophes (it’s)."""
    spans = []
    for match in re.finditer(r"(?<![\w’])‘(?P<q>[^‘’]*(?:’\w[^‘’]*)*)’(?!\w)", text[skip:]):
        spans.append(Span(skip + match.start("q"), skip + match.end("q")))
    return spans


def _sentence_start(text: str, limit: int, floor: int) -> int:
    window_start = max(floor, limit - 400)
    start = window_start
    for match in _SENTENCE_END.finditer(text, window_start, limit):
        start = match.end()
    return start


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


#: "the secretary", "the foreign minister", "a spokeswoman": a description a reader
#: resolves to the one person the article has given that title.
_DESCRIPTION = re.compile(
    r"^(?:the|a|an)\s+(?:[\w.\-]+\s+){0,3}?(?P<noun>secretary|minister|president|"
    r"spokes(?:man|woman|person)|general|ambassador|admiral|governor|senator|chairman|"
    r"chairwoman|chair|director|commander|envoy|chancellor|mayor|premier|king|queen|"
    r"colonel|captain|sergeant|administrator|senator|representative|lawmaker|PM|"
    r"prime\s+minister|foreign\s+secretary|defen[cs]e\s+secretary|taoiseach|tánaiste|"
    r"first\s+minister|cabinet\s+secretary|commissioner|high\s+representative|"
    r"secretary-general)$",
    re.IGNORECASE)
_NOUN_TITLES = {"pm": "prime minister"}
#: A sentence whose subject is a description: "Following his meeting, the PM stressed …".
_DESCRIBED_SUBJECT = re.compile(
    r"(?:[^,.;:!?“”\"]{0,60},\s+)?(?:the|The)\s+(?P<noun>PM|prime\s+minister|president|"
    r"secretary|minister|spokes(?:man|woman|person)|ambassador|general|admiral|chancellor|"
    r"governor|senator|mayor|premier|commander|Taoiseach|Tánaiste|First\s+Minister|"
    r"Commissioner|Secretary-General)\b")


# The possessive ``\s++`` and ``(?:\s*,)?\s+`` keep a run of spaces from being split
# every way between neighbouring quantifiers (hours of backtracking on a long paragraph).
#: A paragraph that ends by announcing a statement: "Defence Secretary, Sir Michael Fallon,
#: said:" / "said Captain Robert Pedre:".
_SAID_COLON = re.compile(
    r"(?:^|[.!?]\s++)(?P<spk>[^.!?:“”\"]{2,160}?)(?:\s*,)?\s+(?P<verb>said|says|added|stated|wrote|"
    r"explained|commented|told\s+[^:]{1,40}?)\s*:\s*$|"
    r"\b(?:said|says|added)\s++(?P<spk2>[^.!?:“”\"]{2,100}?)\s*:\s*$")
#: A paragraph announcing the quotations that follow: "Quotes attributable to Prime
#: Minister Albanese:", "Statement from the Secretary-General:".
_INTRODUCER = re.compile(
    r"\b(?:attributable\s+to|attributed\s+to|statement\s+(?:from|by)|remarks\s+(?:from|by)|"
    r"comments?\s+(?:from|by)|words\s+of)\s++(?P<spk>[^:“”\"]{2,100}?)\s*:\s*$|"
    r"(?:^|[.!?]\s++)(?:Today,\s++|On\s+\w+,\s++)?(?P<spk2>[^.!?:“”\"]{2,120}?)\s+(?:released|issued|"
    r"made|gave|delivered)\s+(?:the\s+following\s+statement\b[^:“”\"]{0,200}[:.]|"
    r"(?:this|a)\s+statement\b[^:“”\"]{0,160}:)\s*$",
    re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|I’m|I'm|we’re|we're)\b")
_TRAILING_AUX = re.compile(r"(?:\s+(?:has|have|had|was|were|is|are|will|would|also|then|later|"
                           r"once|previously|reportedly|repeatedly|publicly|again))+$",
                           re.IGNORECASE)
_PREPOSITION_START = re.compile(r"\s*(?:On|In|At|For|From|With|About|Regarding|After|Before|During|"
                                r"Of|Over|Under|Since|Until|To|Toward|Towards|Across)\b")
#: Words that may open a sentence before its subject ("Afterwards Bush called …").
_INTRODUCTORY = re.compile(r"(?:[A-Z][a-z]+ly|Afterwards|Later|Then|Meanwhile|Also|Separately|"
                           r"Earlier|Instead|Still|Yet|And|But|Now|Today|Yesterday)")


class Attributor:
    """Attributes the quotes of one article, paragraph by paragraph, in order.

    ``quoted`` gives every paragraph's quoted spans in advance, because a name inside
    quoted words is never the antecedent of a later "he said" (the speaker talks *about*
    the president; the president does not speak).

    The names are indexed by paragraph (and by position within it), by who they are and
    by title once, so that each question about "the names before here" costs what the
    paragraph holds, not what the article holds: a long article is attributed in time
    that grows with its length.
    """

    def __init__(self, mentions: Sequence[Mention],
                 resolve_label: LabelResolver | None = None, transcript: bool = False,
                 names: Sequence[Name] = (),
                 quoted: dict[int, list[tuple[int, int]]] | None = None,
                 parses: Sequence[Any] | None = None) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.paragraph, m.start))
        self.resolve_label = resolve_label
        self.transcript = transcript
        self.quoted = quoted or {}
        self.parses = parses
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
        self._block: Quote | None = None
        self._label_titles: dict[str, str] = {}
        self._open: Quote | None = None

    # -- speaker resolution ---------------------------------------------------------

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
                if not lead or titled or _INTRODUCTORY.fullmatch(lead) or (
                        lead.endswith(",") and not find_spans(lead)):
                    return r  # "Following a 10-day trip …, Carter told …"
        described = _DESCRIBED_SUBJECT.match(text, sentence, limit)
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
        current = _sentence_start(text, before, 0)
        if current > 0:
            previous = _sentence_start(text, current - 1, 0)
            found = self._subject(paragraph, previous, current)
        else:
            last = self._texts.get(paragraph - 1)
            if last is None:
                return None
            found = self._subject(paragraph - 1, _sentence_start(last, len(last), 0), len(last))
        return found if found is not None and found.type == "person" else None

    def _block_statement(self, text: str, number: int, turn_label: str) -> Quote | None:
        """A paragraph with no quotation marks after one that ends "Sir Michael Fallon
        said:" is that statement, set as a block; so is the next one while it still speaks
        in the first person ("We bring tonnes of aid …")."""
        if turn_label or find_spans(text):
            self._block = None
            return None
        previous = self._texts.get(number - 1, "")
        lead = _SAID_COLON.search(previous)
        if lead is not None and not find_spans(previous[lead.start():]):
            if lead.group("spk"):
                # "On Northern Ireland, the document said:" — back to the clause boundary.
                sentence = _sentence_start(previous, lead.start("verb"), 0)
                s, e = self._segment_before(previous, number - 1, sentence, lead.start("verb"))
            else:
                s, e = lead.start("spk2"), lead.end("spk2")
            spk_id, spk_text, said_as = self._speaker(previous, number - 1, s, e, "last")
            self._block = None
            if spk_text is None:
                return None
            self._block = Quote(text, number, 0, len(text), spk_id, spk_text, "block-statement",
                                said_as=said_as)
            return self._block
        if self._block is not None and self._block.paragraph == number - 1 and _FIRST_PERSON.search(text):
            prev = self._block
            self._block = Quote(text, number, 0, len(text), prev.speaker_id, prev.speaker_text,
                                "block-statement", said_as=prev.said_as)
            return self._block
        self._block = None
        return None

    def _described(self, noun: str, paragraph: int, before: int) -> Referent | None:
        """The one person the article has titled ``noun`` ("secretary"), or None."""
        noun = _NOUN_TITLES.get(noun.casefold(), noun.casefold())
        noun = " ".join(noun.split())
        if noun not in self._by_title:
            titled = [r for r in self._titled if noun in " ".join(r.title.casefold().split())]
            # alone[i]: the first i + 1 people so titled are all one person.
            alone: list[bool] = []
            first = titled[0].key if titled else ""
            for r in titled:
                alone.append(r.key == first and (not alone or alone[-1]))
            self._by_title[noun] = ([(r.paragraph, r.start) for r in titled], titled, alone)
        positions, titled, alone = self._by_title[noun]
        upto = bisect.bisect_left(positions, (paragraph, before))
        return titled[upto - 1] if upto and alone[upto - 1] else None

    def _speaker(self, text: str, paragraph: int, start: int, end: int,
                 nearest: str) -> tuple[str | None, str | None, str]:
        """Resolve the phrase text[start:end] to (id, name, the article's words)."""
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
                joint = _TRAILING_AUX.sub("", phrase)
                return None, joint, joint  # "NASA and ESA said": a joint statement
            chosen = pool[-1] if nearest == "last" else pool[0]
            if chosen.type == "place":
                bare = _TRAILING_AUX.sub("", _LEADING_FILLER.sub("", phrase).strip(" ,"))
                if re.sub(r"^the\s+", "", bare, flags=re.IGNORECASE) != chosen.text:
                    return None, None, ""  # a place named inside the phrase is no speaker
                return None, chosen.text, chosen.text  # a country "said": no person speaks
            self._last_speaker = (chosen, paragraph, end)
            return chosen.id, chosen.text, chosen.text
        cleaned = _LEADING_FILLER.sub("", phrase).strip(" ,")
        cleaned = _TRAILING_AUX.sub("", cleaned)
        lowered = cleaned.casefold()
        resolved = None
        if lowered in _PRONOUNS:
            resolved = self._antecedent(paragraph, start)
            if resolved is None:
                return None, cleaned, cleaned
        else:
            described = _DESCRIPTION.match(cleaned)
            if described:
                resolved = self._described(described["noun"], paragraph, start)
        if resolved is not None:
            self._last_speaker = (resolved, paragraph, end)
            return resolved.id, self._fullest(resolved), cleaned
        words = cleaned.split()
        if (not words or len(words) > 8 or lowered in _NOT_SPEAKERS
                or lowered.split()[0] in _NOT_FIRST or not any(c.isalpha() for c in cleaned)):
            return None, None, ""
        return None, cleaned, cleaned

    def _segment_before(self, text: str, paragraph: int, floor: int, verb_start: int) -> tuple[int, int]:
        """The speaker phrase before a verb: back to the last clause boundary, extended over
        an appositive ("Lee, a Korean lawmaker, said") when the segment names no one."""
        end = verb_start
        region = text[floor:end].rstrip(" ,")
        end = floor + len(region)
        cuts = [floor] + [floor + m.end() for m in _BOUNDARY.finditer(region)]
        start = cuts[-1]
        segment = text[start:end].strip()
        if not self._in(paragraph, start, end) and len(cuts) > 1 and re.match(
                r"(?:a|an|the|its|his|her|their)\b", segment, re.IGNORECASE):
            previous = cuts[-2]
            # Only a name before the appositive ("Lee, a Korean lawmaker, said"), not a
            # clause ("Trump and Putin were received poorly …, with some commentators").
            if self._in(paragraph, previous, start) and not _PREPOSITION_START.match(
                    text, previous) and len(text[previous:start].split()) <= 5:
                start = previous
        joined = re.search(r"(?<![\w’'.-])(?P<partner>[A-Z][\w’'.-]*)\s+and\s*$", text[floor:start])
        if joined is not None and text[start:end].strip()[:1].isupper():
            # "NASA and ESA have said": both, not the one next to the verb.
            before = floor + joined.end("partner")
            partner = list(self._at.ending(paragraph, before))
            start = partner[-1].start if partner else floor + joined.start("partner")
        return start, end

    # -- patterns -----------------------------------------------------------------

    def _after(self, text: str, paragraph: int, span: Span, limit: int) -> Quote | None:
        quoted = text[span.start:span.end].rstrip()
        post_start = span.end + 1
        post = text[post_start:limit]
        if not quoted:
            return None
        ends_sentence = quoted.endswith((".", "…")) and not post.lstrip().startswith(",")
        if ends_sentence or _CLAUSE_START.match(post):
            return None
        for name, pattern in (("after-according", _POST_ACCORDING),
                              ("after-verb-name", _POST_VERB_FIRST),
                              ("after-name-verb", _POST_NAME_FIRST)):
            match = pattern.match(post)
            if not match:
                continue
            s, e = post_start + match.start("spk"), post_start + match.end("spk")
            spk_id, spk_text, said_as = self._speaker(text, paragraph, s, e, "first")
            if spk_text is None and name == "after-name-verb" and match.group("appos"):
                continue
            if spk_text is not None:
                return Quote(text[span.start:span.end], paragraph, span.start, span.end,
                             spk_id, spk_text, name, said_as=said_as)
        return None

    def _before(self, text: str, paragraph: int, span: Span, floor: int) -> Quote | None:
        open_mark = span.start - 1
        sentence = _sentence_start(text, open_mark, floor)
        pre = text[sentence:open_mark]
        make = lambda s, e, name, nearest="last": self._quote(  # noqa: E731
            text, paragraph, span, s, e, name, nearest)
        match = _PRE_ACCORDING.search(pre)
        if match:
            found = make(sentence + match.start("spk"), sentence + match.end("spk"),
                         "before-according", "first")
            if found:
                return found
        match = _PRE_BY.search(pre)
        if match and not _RELATIVE.search(match["spk"]):  # "… by X, which called it “…”"
            found = make(sentence + match.start("spk"), sentence + match.end("spk"), "before-by")
            if found:
                return found
        verbs = list(_VERB_RE.finditer(pre))
        for verb in reversed(verbs):
            gap = pre[verb.end():]
            if re.search(r"[.;!?]\s", gap):
                continue
            if len(gap.split()) > _GAP_LIMIT and not (
                    _THAT_CLAUSE.match(gap) and len(gap.split()) <= _THAT_GAP_LIMIT):
                # "Carter told service members the allies are “a force multiplier”": a
                # sentence that opens on its speaker and verb reports all it quotes.
                opener = self._opening_speaker(text, paragraph, sentence, sentence + verb.start())
                if opener is None or len(gap.split()) > _SUBJECT_GAP_LIMIT or verb is not verbs[0]:
                    continue
                self._last_speaker = (opener, paragraph, span.start)
                return Quote(text[span.start:span.end], paragraph, span.start, span.end,
                             opener.id, opener.text, "before-verb-subject")
            if re.match(r"\s+by\b", gap):
                continue
            before_verb = pre[: verb.start()].split()
            if before_verb and before_verb[-1].casefold() in _DETERMINERS:
                continue  # "the report", "a note": a noun, not a speech verb
            s, e = self._segment_before(text, paragraph, sentence, sentence + verb.start())
            if verbs.index(verb) > 0:
                s = max(s, sentence + verbs[verbs.index(verb) - 1].end())
            found = make(s, e, "before-verb")
            if found:
                return found
            who = re.search(r"(?:,\s*|\s)who(?:\s+(?:later|also|then|once|had))?\s*$",
                            pre[: verb.start()])
            if who is not None:
                # "… President Bush, who later said “…”": the person the clause hangs on.
                hangs = [r for r in self._at.ending(paragraph, sentence + who.start())
                         if r.type == "person"]
                if hangs:
                    return self._quote(text, paragraph, span, hangs[-1].start, hangs[-1].end,
                                       "before-verb-who", "last")
            if re.search(r"(?:,|\band)\s+(?:also\s+|then\s+|later\s+)?$", pre[: verb.start()]):
                # "Afterwards Bush called the meeting long, and noted that “…”": the verb
                # shares the sentence's subject.
                subject = self._subject(paragraph, sentence, sentence + verb.start())
                if subject is not None:
                    self._last_speaker = (subject, paragraph, span.start)
                    return Quote(text[span.start:span.end], paragraph, span.start, span.end,
                                 subject.id, subject.text, "before-verb-subject")
            break
        match = _PRE_COLON.search(pre)
        if match:
            s, e = sentence + match.start("spk"), sentence + match.end("spk")
            if self._in(paragraph, s, e):
                return make(s, e, "before-colon")
        return None

    def _parsed(self, text: str, paragraph: int, span: Span, floor: int) -> Quote | None:
        """The subject of the reporting verb by the model's parse, when the patterns found
        no speaker; a subject inside another quotation or before ``floor`` is not trusted."""
        if self.parses is None or paragraph >= len(self.parses) or len(
                text[span.start:span.end].split()) < 4:
            return None  # a word or two in quotation marks is a name or a scare quote
        subject = reporting_subject(self.parses[paragraph], span.start, span.end)
        if subject is None or subject[0] < floor or any(
                s <= subject[0] < e for s, e in self.quoted.get(paragraph, ())):
            return None
        return self._quote(text, paragraph, span, subject[0], subject[1], "parse", "first")

    def _quote(self, text: str, paragraph: int, span: Span, s: int, e: int, name: str,
               nearest: str) -> Quote | None:
        spk_id, spk_text, said_as = self._speaker(text, paragraph, s, e, nearest)
        if spk_text is None:
            return None
        return Quote(text[span.start:span.end], paragraph, span.start, span.end, spk_id,
                     spk_text, name, said_as=said_as)

    def _turn(self, text: str, paragraph: int, label: str) -> Quote | None:
        name = re.sub(r"\s*\([^)]*\)$", "", label.rstrip().rstrip(":").strip())  # "(THROUGH INTERPRETER)"
        if name.upper() in _QA_LABELS and not self.transcript:
            return None
        start = len(label)
        body = text[start:]
        if not body.strip():
            return None
        said_as = name
        if ", " in name:
            # "Penny Wong, Foreign Minister:" (or "Trade Minister, Don Farrell:") introduces
            # who a later "Foreign Minister:" is.
            person, _, title = name.partition(", ")
            if LABEL_TITLE.search(person) and not LABEL_TITLE.search(title):
                person, title = title, person
            self._label_titles[" ".join(title.casefold().split())] = person
            name = person
        elif " ".join(name.casefold().split()) in self._label_titles:
            name = self._label_titles[" ".join(name.casefold().split())]
        spk_id = None
        inside = [r for r in self._in(paragraph, 0, len(name)) if r.id]
        if inside:
            spk_id = inside[0].id
        elif self.resolve_label is not None and name.upper() not in _QA_LABELS:
            bare = LABEL_TITLES.sub("", name).strip()
            spk_id = self.resolve_label(bare.title() if bare.isupper() else bare,
                                        self._latest_mentions(paragraph))
        return Quote(body, paragraph, start, len(text), spk_id, name, "turn", turn=True,
                     said_as=said_as)

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

    # -- driver -------------------------------------------------------------------

    def paragraph(self, text: str, number: int, turn_label: str = "") -> list[Quote]:
        """Quotes of one paragraph, attributed where the text allows."""
        self._texts[number] = text
        block = self._block_statement(text, number, turn_label)
        if block is not None:
            return [block]
        if turn_label:
            turn = self._turn(text, number, turn_label)
            if turn is not None:
                return [turn]
        spans = find_spans(text, len(turn_label))
        quotes: list[Quote] = []
        floor = len(turn_label)
        carried, self._open = self._open, None
        for i, span in enumerate(spans):
            limit = spans[i + 1].start - 1 if i + 1 < len(spans) else len(text)
            limit = min(limit, span.end + 300)
            found = (self._after(text, number, span, limit) if span.closed else None) or \
                self._before(text, number, span, floor) or self._parsed(text, number, span, floor)
            if found is None and i == 0 and not text[:span.start - 1].strip():
                # A paragraph that opens on a quotation: the one left open above goes on
                # (“… / “… / “…”), or the paragraph above announced it ("Quotes
                # attributable to Prime Minister Albanese:").
                found = self._carried_on(text, number, span, carried)
            if found is None:
                words = text[span.start:span.end].split()
                between = text[floor:span.start - 1].strip(" ,")
                same_sentence = bool(quotes) and quotes[-1].pattern.startswith("before") and \
                    _SENTENCE_END.search(text, quotes[-1].end, span.start) is None and \
                    _VERB_RE.search(text, quotes[-1].end, span.start) is None
                continuing = bool(quotes) and quotes[-1].speaker_text is not None and (
                    same_sentence or not between or (between.endswith((".", "!", "?", ":")) and (
                        len(between.split()) <= 12 or (
                            quotes[-1].pattern.startswith("after")
                            and not _SENTENCE_END.search(between[:-1])))))
                said = None if continuing else _SAID_BEFORE.search(text, floor, span.start - 1)
                if said is not None:
                    group = "spk" if said.group("spk") else "spk2"
                    spk_id, spk_text, said_as = self._speaker(
                        text, number, said.start(group), said.end(group), "last")
                    if spk_text is not None:
                        found = Quote(text[span.start:span.end], number, span.start, span.end,
                                      spk_id, spk_text, "after-said-sentence", said_as=said_as)
                if found is not None:
                    pass
                elif continuing:
                    prev = quotes[-1]
                    found = Quote(text[span.start:span.end], number, span.start, span.end,
                                  prev.speaker_id, prev.speaker_text, "continuation")
                elif len(words) <= 2:
                    floor = span.end + 1
                    continue  # a scare-quoted word or title, not a quotation
                else:
                    found = Quote(text[span.start:span.end], number, span.start, span.end)
            quotes.append(found)
            floor = span.end + 1
        if spans and not spans[-1].closed and quotes and quotes[-1].speaker_text is not None:
            self._open = quotes[-1]
        return quotes

    def _carried_on(self, text: str, number: int, span: Span, carried: Quote | None) -> Quote | None:
        if carried is not None and carried.paragraph == number - 1:
            return Quote(text[span.start:span.end], number, span.start, span.end,
                         carried.speaker_id, carried.speaker_text, "continued paragraph",
                         said_as=carried.said_as)
        previous = self._texts.get(number - 1, "")
        intro = _INTRODUCER.search(previous) or _SAID_COLON.search(previous)
        if intro is None or find_spans(previous[intro.start():]):
            return None
        group = next(g for g in ("spk", "spk2") if intro.groupdict().get(g))
        spk_id, spk_text, said_as = self._speaker(previous, number - 1, intro.start(group),
                                                  intro.end(group), "last")
        if spk_text is None:
            return None
        return Quote(text[span.start:span.end], number, span.start, span.end, spk_id, spk_text,
                     "introduced", said_as=said_as)


def mark_quoted(mentions: list[Mention], quotes: Sequence[Quote]) -> None:
    """Flag mentions inside quoted words (the page keeps quotes literal, unlinked)."""
    by_paragraph: dict[int, list[Quote]] = {}
    for quote in quotes:
        by_paragraph.setdefault(quote.paragraph, []).append(quote)
    for mention in mentions:
        mention.in_quote = any(q.start <= mention.start and mention.end <= q.end
                               for q in by_paragraph.get(mention.paragraph, ()))
