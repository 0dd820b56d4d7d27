"""From candidate spans to the names of an article: one name per stretch of text, then the
corrections that need the whole article.

:func:`choose` settles overlaps between what strong rules, a model and weak rules found;
:func:`finish` makes a family name alone the person named in full, gives an acronym
defined in brackets its long form's type, drops events and documents ("Daily Press
Briefing"), and reads a person's title given beside the name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from briefbook.ingest import gazetteer
from briefbook.ingest.model import Name
from briefbook.ingest.name_patterns import (
    ACRONYM_DEFINED,
    FAMILY_FIRST,
    FIRM_PLACES,
    MONTHS,
    ORG_WORDS,
    TITLE_CORE,
    TITLE_WORDS,
)
from briefbook.ingest.spans import SpanIndex
from briefbook.ingest.wordlists import words


def _overlaps(a: Name, b: Name) -> bool:
    return a.paragraph == b.paragraph and a.start < b.end and b.start < a.end


def _inside(a: Name, b: Name) -> bool:
    """``a`` strictly inside ``b``."""
    return (a.paragraph == b.paragraph and b.start <= a.start and a.end <= b.end
            and (a.end - a.start) < (b.end - b.start))


def choose(strong: Sequence[Name], model: Sequence[Name], weak: Sequence[Name]) -> list[Name]:
    """One name per stretch of text.  Strong rules beat the model, except a gazetteer name
    inside a longer name the model found ("Korea" in "Korea Institute for Defense Analyses");
    between the model and weak rules the longer span wins."""
    chosen: list[Name] = []
    taken: SpanIndex[Name] = SpanIndex()
    model_at = SpanIndex((m.paragraph, m.start, m.end, m) for m in model)
    weak_at = SpanIndex((w.paragraph, w.start, w.end, w) for w in weak)
    for name in sorted(strong, key=lambda n: (-(n.end - n.start), n.start)):
        if name.cue.startswith("gazetteer") and (
                any(_inside(name, m) and m.type != "place"
                    and m.text.split()[0].casefold() not in TITLE_WORDS
                    for m in model_at.containing(name.paragraph, name.start, name.end))
                or any(_inside(name, w) and not w.cue.startswith("gazetteer")
                       for w in weak_at.containing(name.paragraph, name.start, name.end))):
            continue
        if not taken.overlaps(name.paragraph, name.start, name.end):
            chosen.append(name)
            taken.add(name.paragraph, name.start, name.end, name)
    # A model's organisation running past the organisation word a rule found ends there:
    # "Royal Air Force Typhoons patrolling" is the Royal Air Force.
    model = [m for m in model if not (m.type == "organization" and any(
        w.end < m.end and w.cue == "organisation word" and not _area_tail(m.text[w.end - m.start:])
        for w in weak_at.starting(m.paragraph, m.start, m.start + 1))
        and not re.search(rf"\b(?:{ORG_WORDS})$", m.text))]
    rest = sorted([*model, *weak], key=lambda n: (-(n.end - n.start), n.cue.startswith("spacy"),
                                                    n.start))
    for name in rest:
        if not taken.overlaps(name.paragraph, name.start, name.end):
            chosen.append(name)
            taken.add(name.paragraph, name.start, name.end, name)
    return sorted(chosen, key=lambda n: (n.paragraph, n.start))


_TITLE_AFTER = re.compile(
    rf",\s+(?:the\s+|a\s+|an\s+)?(?P<title>[^,.;:“”\"]{{0,60}}?\b{TITLE_CORE}\b[^,.;:“”\"]{{0,40}}?)"
    r"(?:,|\.(?:\s|$)|$)", re.IGNORECASE)
_TITLE_AS = re.compile(rf"[^.;:!?“”\"]{{0,120}}?\bas\s+(?:the\s+)?(?P<title>(?:[A-Z][\w\-]*\s+){{0,3}}"
                       rf"{TITLE_CORE})\b")
_TITLE_BEFORE = re.compile(rf"(?P<title>(?:[A-Z][\w\-]*\s+){{0,3}}{TITLE_CORE}[^.;:!?“”\"]{{0,110}}?),"
                           r"\s+(?:Sir\s+|Dame\s+)?$")


_HONORIFICS = frozenset({"", "Sir", "Dame", "Mr", "Mrs", "Ms", "Miss", "Dr", "Lord", "Lady"})


def _with_title(name: Name, text: str) -> Name:
    """A person's title given beside the name rather than before it: "David Cameron, the
    Prime Minister," / "Cameron visited … as Prime Minister" / "Defence Secretary, Sir
    Michael Fallon" — what "the PM said" is resolved against."""
    for match in (_TITLE_AFTER.match(text, name.end), _TITLE_AS.match(text, name.end),
                  _TITLE_BEFORE.search(text[max(0, name.start - 80):name.start])):
        if match is not None:
            return replace(name, title=" ".join(match["title"].split()))
    return name


#: Nouns that make a name an event, a document or a programme, not a body:
#: "Security Council Briefing", "UN Charter", "ESA Program", "Joint Communique".
_EVENT_NOUNS = frozenset(words("""
briefing briefings meeting meetings summit conference session debate program programme
charter photo communique communiqué report exercise rally initiative strategy act treaty
statement declaration plan talks dialogue day week visit logo agreement accord protocol pact
memorandum resolution convention framework
"""))


def _without_event_noun(name: Name, paragraphs: Sequence[str]) -> Name | None:
    """An organisation name with a trailing event noun cut off, or None when what is left
    is not a body ("Daily Press Briefing" → nothing, "ESA Program" → "ESA")."""
    words = name.text.split()
    if words[-1].casefold() not in _EVENT_NOUNS:
        return name
    rest = " ".join(words[:-1])
    if not rest or not (rest.isupper() or re.search(rf"\b(?:{ORG_WORDS})\b", rest)):
        return None
    text = paragraphs[name.paragraph] if name.paragraph >= 0 else name.text
    return replace(name, end=name.start + len(rest), text=rest) if text else None


def _area_tail(tail: str) -> bool:
    """A command's area after its service: "U.S. Army *Europe*", "U.S. Army *North*"."""
    words = tail.split()
    return len(words) == 1 and (words[0] in gazetteer.places() or words[0] in _COMPASS)


_COMPASS = frozenset(words("North South East West Central Northern Southern Eastern Western"))


_GIVEN_BEFORE = re.compile(r"(?<![\w’'.-])[A-Z][a-zà-ÿ’'\-]+\s+$")


def finish(names: list[Name], paragraphs: Sequence[str]) -> list[Name]:
    """Article-wide corrections: a family name alone is the person named in full, an
    acronym defined in brackets has its long form's type."""
    full_people = [n for n in names if n.type == "person" and len(n.text.split()) >= 2]
    family: dict[str, Name] = {}
    for person in full_people:
        tokens = [t for t in person.text.split() if t.rstrip(".") not in {"Jr", "Sr", "II", "III", "IV"}
                  and not re.fullmatch(r"[A-Z]\.", t)]
        if len(tokens) >= 2:
            family.setdefault(tokens[-1], person)
            if tokens[0].casefold() in FAMILY_FIRST:
                family.setdefault(tokens[0], person)
    # A town is not taken from a first name: "Antony" where the article names Antony
    # Blinken is no place in France.
    given_names = {person.text.split()[0] for person in full_people
                   if person.text.split()[0].casefold() not in FAMILY_FIRST}
    defined: dict[str, str] = {}
    documents: set[str] = set()
    ending: dict[tuple[int, int], tuple[int, Name]] = {}  # the last name ending there
    for index, named in enumerate(names):
        ending[(named.paragraph, named.end)] = (index, named)
    for number, text in enumerate(paragraphs):
        for match in ACRONYM_DEFINED.finditer(text):
            before = [ending[at] for at in ((number, match.start() - 1), (number, match.start()))
                      if at in ending]
            if before:
                defined[match["acronym"]] = max(before, key=lambda found: found[0])[1].type
            word = text[:match.start()].rstrip().rsplit(None, 1)[-1:]
            if word and word[0].casefold() in _EVENT_NOUNS:
                documents.add(match["acronym"])  # "Defense Cooperation Agreement (DCA)"
    out: list[Name] = []
    for found in names:
        name = _without_event_noun(found, paragraphs) if found.type == "organization" else found
        if name is None or (name.cue == "spacy:PERSON:doubtful" and name.text not in family):
            continue
        if name.text in documents or (name.type == "place" and name.text in given_names
                                      and name.cue not in FIRM_PLACES):
            continue
        if name.text in family and name.type != "person" and len(name.text.split()) == 1 \
                and name.cue not in FIRM_PLACES:
            name = replace(name, type="person", cue="family name")
        if name.text in defined and name.type != defined[name.text]:
            name = replace(name, type=defined[name.text], cue="acronym defined")
        out.append(name)
    taken = {(n.paragraph, n.start) for n in out}
    kept = SpanIndex((n.paragraph, n.start, n.end, n) for n in out)
    short_forms = {**dict.fromkeys(family, "person"), **defined}
    if short_forms:
        pattern = re.compile(r"(?<![\w’'.-])(" + "|".join(
            re.escape(k) for k in sorted(short_forms, key=len, reverse=True)) + r")(?![\w-])")
        for number, text in enumerate(paragraphs):
            for match in pattern.finditer(text):
                start = match.start()
                # The word just before (a name is far shorter than the window looked at).
                given = _GIVEN_BEFORE.search(text, max(0, start - 100), start)
                if given is not None and short_forms[match.group(1)] == "person" \
                        and given.group(0).strip() not in MONTHS:
                    start = given.start()  # "Alar Karis", a name the model missed in full
                extra = Name(number, start, match.end(), text[start:match.end()],
                             short_forms[match.group(1)], "short form")
                if (number, match.start()) not in taken and \
                        not kept.overlaps(number, extra.start, extra.end):
                    out.append(extra)
                    kept.add(number, extra.start, extra.end, extra)
    out = [_with_title(n, paragraphs[n.paragraph])
           if n.type == "person" and n.title.rstrip(".") in _HONORIFICS else n for n in out]
    return _towns(sorted(out, key=lambda n: (n.paragraph, n.start)), paragraphs)


#: Words that say the next or the last name is a settlement: "the town of Brownhills",
#: "cities, including Kharkiv", "places like Lagos", "Taishi village".
_TOWN_BEFORE = re.compile(r"(?:\b(?:town|city|village|district|province|county|municipality|"
                          r"suburb|port|region)\s+of\s+|\b(?:towns|cities|villages|places|"
                          r"settlements|districts|provinces|regions)\s*,?\s+(?:including|"
                          r"such\s+as|like|notably|as)\s+)$")
_TOWN_AFTER = re.compile(r"\s+(?:town|city|village|district|province|county|municipality|"
                         r"suburb|township|oblast|region)\b")
#: What joins the items of one list: "Severodonetsk, Lysychansk and Popasna".
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")


def _townlike(name: Name) -> bool:
    """A place that is a city or town, not a country or a region ("Russia, Rosneft and
    Gazprom" lists bodies after a country; "Beirut and Lagos" lists cities)."""
    place = gazetteer.places().get(name.text)
    return place.kind == "city" if place is not None else name.cue.startswith("spacy")


def _towns(names: list[Name], paragraphs: Sequence[str]) -> list[Name]:
    """A model's one-word organisation that the text shows to be a settlement is a place:
    named after "the town of" or before "village", or listed with towns ("Lysychansk and
    Popasna").  A town typed as a body is both a wrong organisation and a missed place;
    a word with anything of a body about it (an organisation word, capitals) is left."""
    out = list(names)
    for index, name in enumerate(out):
        if name.type != "organization" or not name.cue.startswith("spacy") or " " in name.text \
                or name.text.isupper() or not name.text[1:].islower() or name.paragraph < 0:
            continue
        text = paragraphs[name.paragraph]
        cued = _TOWN_BEFORE.search(text[max(0, name.start - 40):name.start]) is not None \
            or _TOWN_AFTER.match(text, name.end) is not None
        neighbours = (out[index - 1] if index else None,
                      out[index + 1] if index + 1 < len(out) else None)
        listed = any(other is not None and other.paragraph == name.paragraph
                     and other.type == "place" and _townlike(other)
                     and _LIST_JOIN.fullmatch(text[min(other.end, name.end):
                                                   max(other.start, name.start)]) is not None
                     for other in neighbours)
        if cued or listed:
            out[index] = replace(name, type="place", cue="settlement")
    return out
