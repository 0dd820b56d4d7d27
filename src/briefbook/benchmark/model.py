"""The synthetic world a benchmark book reports on, and the records both books share.

A benchmark book needs a registry that grows with it: people with roles, places with
kinds, countries and coordinates, organisations with acronyms, some with native-script
names, and a pool of outside sources to cite.  This module draws them from seeded
:class:`random.Random` instances (:func:`draw_entities`, :func:`draw_sources`) and holds
the records the article writer (:mod:`briefbook.benchmark.writer`) and the book files
(:mod:`briefbook.benchmark.corpus`) pass between them: :class:`SynthEntity`,
:class:`Source`, :class:`Article` and :class:`Counts`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from briefbook.benchmark.vocabulary import ADJECTIVES, NOUNS, OUTLETS, VERBS

# --- name material ------------------------------------------------------------------------

_GIVEN = (
    "Ada", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hamid", "Ines", "Jonas",
    "Katya", "Lukas", "Mira", "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tamara", "Viktor",
    "Yuna", "Zoran", "Anika", "Bruno", "Celia", "Dario", "Eva", "Filip", "Hana", "Ivo",
    "Jae-won", "Min-ji", "Seo-yeon", "Tae-ho",
)
_SYLLABLES = (
    "va", "ro", "kel", "mar", "dan", "tir", "lo", "sen", "bra", "vik", "tor", "ul", "zen",
    "ka", "mi", "nor", "ost", "pel", "quar", "ris", "sal", "tem", "und", "ver", "wes",
    "yar", "zol", "bel", "cor", "dra", "fen", "gar", "hol", "ist", "jor", "lun", "mor",
)
_ROLE_TITLES = (
    "Minister of Defence", "Foreign Minister", "President", "Prime Minister",
    "Chief of the General Staff", "Ambassador", "Government Spokesperson", "Governor",
    "Director of Intelligence", "Member of Parliament",
)
_ORG_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("Defence Council", "government"), ("Ministry of Trade", "ministry"),
    ("Border Agency", "agency"), ("Army Group", "military"), ("Intelligence Service", "intelligence"),
    ("National Assembly", "legislature"), ("Security Committee", "committee"),
    ("People's Party", "party"), ("Development Bank", "international"), ("News Agency", "media"),
    ("Shipping Company", "company"), ("Relief Fund", "ngo"),
)
_COUNTRY_CODES = ("RU", "UA", "KP", "KR", "US", "GB", "FR", "DE", "CN", "JP", "IN", "BR", "TR", "PL")
_PLACE_KINDS = ("country", "city", "city", "city", "region", "site")
_CYRILLIC = dict(zip("abvgdezijklmnoprstufhc", "абвгдезийклмнопрстуфхц", strict=True))
ROLE_FOR_KIND = {"person": "person", "place": "place", "organization": "org"}
"""The role that names an entity of each kind in briefbook's markup (``{org}`Name```)."""
REGISTRY_FILES = {"person": "people.yaml", "place": "places.yaml", "organization": "organizations.yaml"}
"""The registry file of each kind, under the book's ``conf/entities``."""

START = dt.date(2021, 1, 4)
"""The first article's date; roles and sources are dated against it."""

# --- the model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthEntity:
    """One registry entry, with what both books need to name it."""

    kind: str  # person | place | organization
    id: str
    name: str
    short: str = ""  # a shorter way to name it in running text (surname, acronym)
    alias: str = ""  # an alias registered in the registry (also a glossary term)
    native: str = ""
    description: str = ""
    role: tuple[str, str, str] | None = None  # title, start, end ("" = open)
    sub_kind: str = ""
    country: str = ""
    coordinates: tuple[float, float] | None = None


@dataclass(frozen=True)
class Source:
    key: str
    author: str
    title: str
    year: int
    month: str
    publisher: str = ""


@dataclass
class Counts:
    """What one generated book holds: the test checks these grow with N."""

    articles: int = 0
    people: int = 0
    places: int = 0
    organizations: int = 0
    mentions: int = 0
    quotes: int = 0
    claims: int = 0
    events: int = 0
    citations: int = 0
    sources: int = 0
    words: int = 0

    @property
    def entities(self) -> int:
        return self.people + self.places + self.organizations


@dataclass
class Article:
    """One article in both formats; ``entities`` are the ids it names."""

    index: int
    docname: str
    date: dt.date
    author: str
    title: str
    key: str
    briefbook: str = ""
    anchor: str = ""
    entities: set[str] = field(default_factory=set)
    words: int = 0


# --- generating the model -------------------------------------------------------------------


def _syllable_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _cyrillic(name: str) -> str:
    return "".join(_CYRILLIC.get(c.lower(), c) for c in name).title()


def _hangul(rng: random.Random, syllables: int) -> str:
    return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(syllables))


def entity_counts(n: int) -> tuple[int, int, int]:
    """People, places and organisations for a book of ``n`` articles: the registry grows
    with the book, as a real one does (about one new entity per two articles)."""
    return 12 + n // 4, 8 + n // 8, 6 + n // 8


def draw_entities(n: int, rng: random.Random) -> list[SynthEntity]:
    taken: set[str] = set()

    def claim(name: str) -> bool:
        key = " ".join(name.casefold().split())
        if not name or key in taken:
            return False
        taken.add(key)
        return True

    people_n, places_n, orgs_n = entity_counts(n)
    entities: list[SynthEntity] = []
    place_names: list[str] = []
    for _ in range(places_n):
        name = _syllable_word(rng, rng.randint(2, 3))
        while not claim(name):
            name = _syllable_word(rng, 3)
        kind = rng.choice(_PLACE_KINDS)
        country = rng.choice(_COUNTRY_CODES)
        coords = (round(rng.uniform(-60, 70), 3), round(rng.uniform(-170, 170), 3)) \
            if kind in ("city", "site") else None
        native = _cyrillic(name) if rng.random() < 0.4 else ""
        description = (f"A {kind} in the synthetic benchmark book, named in its reporting on "
                       f"{rng.choice(NOUNS)} and {rng.choice(NOUNS)}.")
        entities.append(SynthEntity("place", slug(name), name, native=native,
                                    description=description, sub_kind=kind, country=country,
                                    coordinates=coords))
        place_names.append(name)
    for _ in range(orgs_n):
        suffix, sub_kind = rng.choice(_ORG_SUFFIXES)
        name = f"{_syllable_word(rng, 2)} {suffix}"
        while not claim(name):
            name = f"{_syllable_word(rng, 3)} {suffix}"
        acronym = "".join(w[0] for w in name.replace("'", "").split()).upper()
        alias = acronym if len(acronym) >= 3 and claim(acronym) else ""
        description = (f"A {sub_kind} organisation in the synthetic benchmark book, often "
                       f"reported on for its {rng.choice(NOUNS)}.")
        entities.append(SynthEntity("organization", slug(name), name, short=alias, alias=alias,
                                    description=description, sub_kind=sub_kind,
                                    country="" if sub_kind == "international"
                                    else rng.choice(_COUNTRY_CODES)))
    for _ in range(people_n):
        given = rng.choice(_GIVEN)
        surname = _syllable_word(rng, rng.randint(2, 3))
        while not claim(f"{given} {surname}") or not claim(surname):
            surname = _syllable_word(rng, 3)
        name = f"{given} {surname}"
        korean = "-" in given
        native = _hangul(rng, 3) if korean else (_cyrillic(name) if rng.random() < 0.3 else "")
        start = START - dt.timedelta(days=rng.randrange(3000))
        end = "" if rng.random() < 0.7 else (start + dt.timedelta(days=rng.randrange(400, 2500))).isoformat()
        title = f"{rng.choice(_ROLE_TITLES)} of {rng.choice(place_names)}"
        description = (f"{title} in the synthetic benchmark book, quoted on "
                       f"{rng.choice(NOUNS)} and {rng.choice(NOUNS)}.")
        entities.append(SynthEntity("person", slug(name), name, short=surname, alias=surname,
                                    native=native, description=description,
                                    role=(title, start.isoformat(), end)))
    return entities


def draw_sources(n: int, rng: random.Random) -> list[Source]:
    """The pool of outside sources the articles cite (each cited at least once)."""
    count = max(1, min(n, 10 + n // 2))
    found = []
    for i in range(count):
        outlet = OUTLETS[i % len(OUTLETS)]
        year = START.year + (i * 4) // max(1, count)
        title = f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} {rng.choice(VERBS)}"
        found.append(Source(f"src{i:04d}", "{" + outlet + "}", title, year,
                            rng.choice(("jan", "mar", "may", "jul", "sep", "nov")),
                            publisher=outlet if i % 3 == 0 else ""))
    return found


def zipf_weights(count: int) -> list[float]:
    """A few entities in most articles, a long tail in few: like a real book."""
    return [1.0 / (rank + 1) ** 0.9 for rank in range(count)]
