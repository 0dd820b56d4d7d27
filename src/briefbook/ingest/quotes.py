"""Quotations in a paragraph, and who said them.

The spans are found in :mod:`.quote_marks`, the words around them in
:mod:`.speech_patterns`, and who a speaker phrase means in :mod:`.speakers`.

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

import re
from collections.abc import Callable, Sequence
from typing import Any

from briefbook.ingest.model import Mention, Name, Quote
from briefbook.ingest.name_patterns import LABEL_TITLE, LABEL_TITLES
from briefbook.ingest.quote_marks import Span, find_spans
from briefbook.ingest.speakers import Speakers
from briefbook.ingest.speech_patterns import (
    CLAUSE_START,
    DETERMINERS,
    DIGEST_ABOUT,
    DIGEST_LEAD,
    DIGEST_OTHER,
    FIRST_PERSON,
    GAP_LIMIT,
    INTRODUCER,
    LABEL_LINE,
    LABEL_SMALL_WORDS,
    POST_ACCORDING,
    POST_CITED,
    POST_NAME_FIRST,
    POST_VERB_FIRST,
    PRE_ACCORDING,
    PRE_BY,
    PRE_COLON,
    QA_LABELS,
    RELATIVE,
    SAID_BEFORE,
    SAID_COLON,
    SENTENCE_END,
    SUBJECT_GAP_LIMIT,
    THAT_CLAUSE,
    THAT_GAP_LIMIT,
    VERB_RE,
    sentence_start,
)
from briefbook.ingest.syntax import reporting_subject

#: Resolves a transcript label's name ("Kirby") to a registry id, given the mentions so far.
LabelResolver = Callable[[str, Sequence[Mention]], str | None]



class Attributor(Speakers):
    """Attributes the quotes of one article, paragraph by paragraph, in order (who is
    meant by a speaker phrase is :class:`~.speakers.Speakers`' part)."""

    def __init__(self, mentions: Sequence[Mention],
                 resolve_label: LabelResolver | None = None, transcript: bool = False,
                 names: Sequence[Name] = (),
                 quoted: dict[int, list[tuple[int, int]]] | None = None,
                 parses: Sequence[Any] | None = None) -> None:
        super().__init__(mentions, names, quoted)
        self.resolve_label = resolve_label
        self.transcript = transcript
        self.parses = parses
        self._block: Quote | None = None
        self._label_titles: dict[str, str] = {}
        self._open: Quote | None = None
        self._label_keys: set[str] = set()

    def _block_statement(self, text: str, number: int, turn_label: str) -> Quote | None:
        """A paragraph with no quotation marks after one that ends "Sir Michael Fallon
        said:" is that statement, set as a block; so is the next one while it still speaks
        in the first person ("We bring tonnes of aid …")."""
        if turn_label or find_spans(text):
            self._block = None
            return None
        previous = self._texts.get(number - 1, "")
        lead = SAID_COLON.search(previous)
        if lead is not None and not find_spans(previous[lead.start():]):
            if lead.group("spk"):
                # "On Northern Ireland, the document said:" — back to the clause boundary.
                sentence = sentence_start(previous, lead.start("verb"), 0)
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
        if self._block is not None and self._block.paragraph == number - 1 and FIRST_PERSON.search(text):
            prev = self._block
            self._block = Quote(text, number, 0, len(text), prev.speaker_id, prev.speaker_text,
                                "block-statement", said_as=prev.said_as)
            return self._block
        self._block = None
        return None

    # -- patterns -----------------------------------------------------------------

    def _after(self, text: str, paragraph: int, span: Span, limit: int) -> Quote | None:
        quoted = text[span.start:span.end].rstrip()
        post_start = span.end + 1
        post = text[post_start:limit]
        if not quoted:
            return None
        ends_sentence = quoted.endswith((".", "…")) and not post.lstrip().startswith(",")
        if ends_sentence or CLAUSE_START.match(post):
            return None
        for name, pattern in (("after-according", POST_ACCORDING),
                              ("after-verb-name", POST_VERB_FIRST),
                              ("after-name-verb", POST_NAME_FIRST)):
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
        sentence = sentence_start(text, open_mark, floor)
        pre = text[sentence:open_mark]
        make = lambda s, e, name, nearest="last": self._quote(  # noqa: E731
            text, paragraph, span, s, e, name, nearest)
        match = PRE_ACCORDING.search(pre)
        if match:
            found = make(sentence + match.start("spk"), sentence + match.end("spk"),
                         "before-according", "first")
            if found:
                return found
        match = PRE_BY.search(pre)
        if match and not RELATIVE.search(match["spk"]):  # "… by X, which called it “…”"
            found = make(sentence + match.start("spk"), sentence + match.end("spk"), "before-by")
            if found:
                return found
        verbs = list(VERB_RE.finditer(pre))
        for verb in reversed(verbs):
            gap = pre[verb.end():]
            if re.search(r"[.;!?]\s", gap):
                continue
            if len(gap.split()) > GAP_LIMIT and not (
                    THAT_CLAUSE.match(gap) and len(gap.split()) <= THAT_GAP_LIMIT):
                # "Carter told service members the allies are “a force multiplier”": a
                # sentence that opens on its speaker and verb reports all it quotes.
                opener = self._opening_speaker(text, paragraph, sentence, sentence + verb.start())
                if opener is None or len(gap.split()) > SUBJECT_GAP_LIMIT or verb is not verbs[0]:
                    continue
                self._last_speaker = (opener, paragraph, span.start)
                return Quote(text[span.start:span.end], paragraph, span.start, span.end,
                             opener.id, opener.text, "before-verb-subject")
            if re.match(r"\s+by\b", gap):
                continue
            before_verb = pre[: verb.start()].split()
            if before_verb and before_verb[-1].casefold() in DETERMINERS:
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
        match = DIGEST_LEAD.match(pre)
        gap = (match["gap"] or "") if match else ""
        if match and not DIGEST_OTHER.search(gap) and (
                match["mark"] == ":" or not gap or DIGEST_ABOUT.match(gap)):
            found = self._digest_lead(text, paragraph, span, sentence + match.start("spk"),
                                      sentence + match.end("spk"))
            if found:
                return found
        match = PRE_COLON.search(pre)
        if match:
            s, e = sentence + match.start("spk"), sentence + match.end("spk")
            return self._before_colon(text, paragraph, span, sentence, s, e)
        return None

    def _digest_lead(self, text: str, paragraph: int, span: Span, s: int,
                     e: int) -> Quote | None:
        """"Some Blog writes about the race [1], “…”": the source that opens the sentence.
        A source the recogniser does not know (a blog's title, "You Missed This") keeps the
        article's words, but only when it is two or more capitalised words naming no one
        else: a lone "They" or a place is no source."""
        found = self._quote(text, paragraph, span, s, e, "before-digest", "first")
        if found is not None or self._in(paragraph, s, e):
            return found
        words = text[s:e].split()
        if len(words) < 2 or words[0].casefold() in DETERMINERS:
            return None
        phrase = " ".join(words)
        return Quote(text[span.start:span.end], paragraph, span.start, span.end, None, phrase,
                     "before-digest", said_as=phrase)

    def _cited_after(self, text: str, paragraph: int, span: Span, limit: int) -> Quote | None:
        """"“…?” Trinidadian blogger Some Name [1] takes issue with …": the source a digest
        names, with its link marker, in the sentence right after the quotation.  Taken only
        when the words name a person or a body the article recognised."""
        post_start = span.end + 1
        match = POST_CITED.match(text[post_start:limit])
        if match is None:
            return None
        s, e = post_start + match.start("spk"), post_start + match.end("spk")
        if not any(r.type in ("person", "organization") for r in self._in(paragraph, s, e)):
            return None
        return self._quote(text, paragraph, span, s, e, "after-cited", "last")

    def _before_colon(self, text: str, paragraph: int, span: Span, sentence: int, s: int,
                      e: int) -> Quote | None:
        """“X: “…”” or "X posts notes on his talk with Y about Z: “…”": the words before
        the colon are the speaker only when they are a name, or open on one (the
        sentence's subject); the name nearest the colon is what is talked about."""
        inside = self._in(paragraph, s, e)
        if not inside:
            return None
        phrase = re.sub(r"^(?:the|The)\s+", "", text[s:e].strip(" ,"))
        if any(r.text == phrase for r in inside):
            return self._quote(text, paragraph, span, s, e, "before-colon", "last")
        subject = self._subject(paragraph, sentence, e)
        if subject is None or not s <= subject.start < e:
            return None
        return self._quote(text, paragraph, span, subject.start, subject.end, "before-colon",
                           "first")

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
        if name.upper() in QA_LABELS and not self.transcript:
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
        elif self.resolve_label is not None and name.upper() not in QA_LABELS:
            bare = LABEL_TITLES.sub("", name).strip()
            spk_id = self.resolve_label(bare.title() if bare.isupper() else bare,
                                        self._latest_mentions(paragraph))
        return Quote(body, paragraph, start, len(text), spk_id, name, "turn", turn=True,
                     said_as=said_as)

    def _titled_turn(self, text: str, paragraph: int) -> Quote | None:
        """A turn whose label the layout did not mark, because a title stands around the
        name: "President of Russia Vladimir Putin: …", "Mr. IWAYA Takeshi, Minister for
        Foreign Affairs: …", "Sahar Ghazi (SG): …".  Taken only when the label is all
        capitalised words, names exactly one person (or, abbreviated in brackets, one
        body), and says more than the bare name, or the name already spoke in a label."""
        match = LABEL_LINE.match(text)
        if match is None or find_spans(text):
            return None
        name, paren = match["name"].rstrip(" ,"), match["paren"]
        words = name.replace(",", " ").split()
        if not words or len(words) > 16 or not all(
                w[:1].isupper() or w.casefold() in LABEL_SMALL_WORDS for w in words):
            return None
        body = text[match.end():]
        if len(body.split()) < 2 or (all(w[:1].isupper() for w in body.split())
                                     and not body.rstrip().endswith((".", ",", "!", "?"))):
            return None  # "Vladimir Putin: The Interview" is a heading
        parts = [(0, len(name))]
        if ", " in name:  # "Name, Title" or "Title, Name"
            cut = name.index(", ")
            parts = [(0, cut), (cut + 2, len(name))]
        inside = self._in(paragraph, 0, len(name))
        people = {r.key: r for r in inside if r.type == "person"}
        bodies = {r.key: r for r in inside if r.type == "organization"}
        if len(people) == 1:
            (who,) = people.values()
        elif not people and len(bodies) == 1 and paren and paren.isupper():
            (who,) = bodies.values()  # "Global Voices (GV):", the interviewer
        else:
            return None
        own = next((a, b) for a, b in parts if a <= who.start < b)
        if len(parts) == 1 and who.end < len(name):
            return None  # the name must close a "Title Name" label
        bare = name[own[0]:own[1]].strip() == who.text
        if bare and not paren and len(parts) == 1 and who.key not in self._label_keys:
            return None  # "Vladimir Putin:" alone only once he spoke under a full label
        self._label_keys.add(who.key)
        self._last_speaker = (who, paragraph, match.end())
        spk_text = who.text if who.id else name[own[0]:own[1]].strip()
        start = match.end()
        return Quote(text[start:], paragraph, start, len(text), who.id, spk_text, "turn",
                     turn=True, said_as=match["name"].strip())

    # -- driver -------------------------------------------------------------------

    def paragraph(self, text: str, number: int, turn_label: str = "") -> list[Quote]:
        """Quotes of one paragraph, attributed where the text allows."""
        self._texts[number] = text
        titled = None if turn_label else self._titled_turn(text, number)
        if titled is not None:
            self._block = None
            return [titled]
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
                self._before(text, number, span, floor) or \
                (self._cited_after(text, number, span, limit) if span.closed else None) or \
                self._parsed(text, number, span, floor)
            if found is None and i == 0 and not text[:span.start - 1].strip():
                # A paragraph that opens on a quotation: the one left open above goes on
                # (“… / “… / “…”), or the paragraph above announced it ("Quotes
                # attributable to Prime Minister Albanese:").
                found = self._carried_on(text, number, span, carried)
            if found is None:
                words = text[span.start:span.end].split()
                between = text[floor:span.start - 1].strip(" ,")
                same_sentence = bool(quotes) and quotes[-1].pattern.startswith("before") and \
                    SENTENCE_END.search(text, quotes[-1].end, span.start) is None and \
                    VERB_RE.search(text, quotes[-1].end, span.start) is None
                continuing = bool(quotes) and quotes[-1].speaker_text is not None and (
                    same_sentence or not between or (between.endswith((".", "!", "?", ":")) and (
                        len(between.split()) <= 12 or (
                            quotes[-1].pattern.startswith("after")
                            and not SENTENCE_END.search(between[:-1])))))
                said = None if continuing else SAID_BEFORE.search(text, floor, span.start - 1)
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
        intro = INTRODUCER.search(previous) or SAID_COLON.search(previous)
        if intro is None or find_spans(previous[intro.start():]):
            return None
        group = next(g for g in ("spk", "spk2") if intro.groupdict().get(g))
        spk_id, spk_text, said_as = self._speaker(previous, number - 1, intro.start(group),
                                                  intro.end(group), "last")
        if spk_text is None:
            return None
        return Quote(text[span.start:span.end], number, span.start, span.end, spk_id, spk_text,
                     "introduced", said_as=said_as)
