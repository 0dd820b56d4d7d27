"""A deterministic synthetic briefing book of N articles, and the same book as plain Sphinx.

The benchmark needs books of any size that look like real ones to the build: ~1,000-word
MyST articles with front matter (date, author, source), 2-4 people, places and
organisations named per paragraph, a quotation or two with speaker and source, key
judgements in estimative language with citations, ``{cite:p}`` citations and a dated
``{event}``; a registry that grows with the book; a ``sources.bib`` every entry of which
is cited (the build warns about uncited sources, and the book must build with ``-W``).

Two books are written from one model, so they carry the same words:

* ``briefbook/``: briefbook's own format (``conf/conf.py``, ``conf/entities/*.yaml``,
  ``docs/``, ``sources.bib``), laid out like the sample book and built the same way
  (``sphinx-build -c conf docs OUT``), with its real navigation and features;
* ``anchor/``: plain Sphinx + myst-parser + sphinxcontrib-bibtex, the mentions as
  ``{term}`` references to a standard Sphinx glossary, quotations and judgements as plain
  text, and sphinx-book-theme with its defaults: what a team would build without
  briefbook, and the yardstick the issue measures against.

Everything is drawn from :class:`random.Random` seeded with strings (hashed with SHA-512,
so independent of ``PYTHONHASHSEED``) and written with ``\\n`` line ends in UTF-8: the
same N and seed give the same bytes, so runs on different days build the same book.
A ``manifest.json`` next to the books records the counts and, per article, the entities
it names (the incremental-rebuild step edits an article against it).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --- word lists ---------------------------------------------------------------------------
# Plain reporting prose.  No estimative words ("likely", "probably", "certain",
# "confidence", "chance") so running text never reads as an unsourced judgement.

_ADJECTIVES = (
    "new", "regional", "northern", "southern", "eastern", "western", "military", "civilian",
    "economic", "diplomatic", "senior", "former", "joint", "local", "national", "foreign",
    "coastal", "rural", "official", "public", "private", "armed", "naval", "border", "annual",
    "temporary", "renewed", "limited", "broad", "quiet", "sudden", "formal", "recent", "early",
    "late", "second", "final", "informal", "modest", "large",
)
_NOUNS = (
    "talks", "delegation", "ministry", "convoy", "report", "agreement", "ceasefire", "budget",
    "pipeline", "harbour", "railway", "election", "summit", "protest", "exercise", "shipment",
    "statement", "inquiry", "sanctions", "grain", "fuel", "bridge", "airfield", "garrison",
    "committee", "mission", "treaty", "council", "embassy", "frontier", "corridor", "market",
    "currency", "port", "cabinet", "parliament", "negotiators", "observers", "officials",
    "engineers", "analysts", "farmers", "workers", "refugees", "volunteers", "monitors",
    "supplies", "reserves", "loans", "exports", "imports", "tariffs", "drills", "patrols",
)
_VERBS = (
    "announced", "delayed", "reviewed", "expanded", "suspended", "approved", "rejected",
    "inspected", "financed", "blocked", "resumed", "questioned", "reported", "defended",
    "moved", "rebuilt", "signed", "welcomed", "criticised", "extended", "reduced", "planned",
    "postponed", "confirmed", "described", "opened", "closed", "secured", "shipped", "drafted",
)
_PREPOSITIONS = (
    "in", "near", "after", "before", "across", "with", "against", "during", "over",
    "beyond", "around", "towards",
)
_DETERMINERS = ("the", "a", "its", "their", "this", "that", "another")
_CONNECTIVES = (
    "Meanwhile,", "By contrast,", "In the same week,", "According to the report,",
    "At the same time,", "Later,", "Even so,", "In response,", "For now,", "Since then,",
)

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
_AUTHORS = (
    "Alex Morgan", "Priya Raman", "Tomasz Nowak", "Hye-jin Park", "Samuel Okafor",
    "Laura Becker", "Mateo Silva", "Ingrid Holm", "Yusuf Demir", "Claire Dubois",
    "Kenji Sato", "Nadia Petrova", "Owen Hughes", "Lucia Romano", "Arjun Mehta",
)
_OUTLETS = (
    "Harbour Gazette", "Continental Wire", "Frontier Monitor", "Evening Dispatch",
    "Policy Review Quarterly", "Northern Broadcasting", "Strategic Survey Institute",
    "Daily Ledger", "Eastern Tribune", "Open Source Observatory",
)
_LIKELIHOODS = (
    "almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely",
    "very likely", "almost certain",
)
_CONFIDENCE = ("low", "moderate", "high")
_CYRILLIC = dict(zip("abvgdezijklmnoprstufhc", "абвгдезийклмнопрстуфхц", strict=True))
_ROLE_FOR_KIND = {"person": "person", "place": "place", "organization": "org"}
_FILES = {"person": "people.yaml", "place": "places.yaml", "organization": "organizations.yaml"}

PARAGRAPHS = 10  # ~90 words each, plus judgements, quotes and the event: ~1,000 words
START = dt.date(2021, 1, 4)


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


@dataclass(frozen=True)
class Corpus:
    """Where the two books were written and what they contain."""

    root: Path
    n: int
    seed: str
    counts: Counts
    articles: tuple[Article, ...]
    entities: tuple[SynthEntity, ...]

    @property
    def briefbook(self) -> Path:
        return self.root / "briefbook"

    @property
    def anchor(self) -> Path:
        return self.root / "anchor"


# --- generating the model -------------------------------------------------------------------


def _syllable_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _cyrillic(name: str) -> str:
    return "".join(_CYRILLIC.get(c.lower(), c) for c in name).title()


def _hangul(rng: random.Random, syllables: int) -> str:
    return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(syllables))


def entity_counts(n: int) -> tuple[int, int, int]:
    """People, places and organisations for a book of ``n`` articles: the registry grows
    with the book, as a real one does (about one new entity per two articles)."""
    return 12 + n // 4, 8 + n // 8, 6 + n // 8


def _entities(n: int, rng: random.Random) -> list[SynthEntity]:
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
                       f"{rng.choice(_NOUNS)} and {rng.choice(_NOUNS)}.")
        entities.append(SynthEntity("place", _slug(name), name, native=native,
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
                       f"reported on for its {rng.choice(_NOUNS)}.")
        entities.append(SynthEntity("organization", _slug(name), name, short=alias, alias=alias,
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
                       f"{rng.choice(_NOUNS)} and {rng.choice(_NOUNS)}.")
        entities.append(SynthEntity("person", _slug(name), name, short=surname, alias=surname,
                                    native=native, description=description,
                                    role=(title, start.isoformat(), end)))
    return entities


def _sources(n: int, rng: random.Random) -> list[Source]:
    """The pool of outside sources the articles cite (each cited at least once)."""
    count = max(1, min(n, 10 + n // 2))
    found = []
    for i in range(count):
        outlet = _OUTLETS[i % len(_OUTLETS)]
        year = START.year + (i * 4) // max(1, count)
        title = f"{rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_NOUNS)} {rng.choice(_VERBS)}"
        found.append(Source(f"src{i:04d}", "{" + outlet + "}", title, year,
                            rng.choice(("jan", "mar", "may", "jul", "sep", "nov")),
                            publisher=outlet if i % 3 == 0 else ""))
    return found


def _zipf_weights(count: int) -> list[float]:
    """A few entities in most articles, a long tail in few: like a real book."""
    return [1.0 / (rank + 1) ** 0.9 for rank in range(count)]


class _Writer:
    """Builds one article's text in both formats, side by side."""

    def __init__(self, rng: random.Random, entities: dict[str, SynthEntity], cast: list[str],
                 pool: list[Source]) -> None:
        self.rng = rng
        self.entities = entities
        self.cast = cast
        self.pool = pool
        self.bb: list[str] = []
        self.anchor: list[str] = []
        self.named: set[str] = set()
        self.counts = Counts()

    # -- pieces, each as (briefbook markup, anchor markup) ------------------------------------

    def mention(self, entity_id: str | None = None) -> tuple[str, str]:
        entity = self.entities[entity_id or self.rng.choice(self.cast)]
        role = _ROLE_FOR_KIND[entity.kind]
        form = self.rng.random()
        if entity.short and form < 0.25:
            if entity.kind == "person":  # "Surname <id>": the explicit form
                bb = f"{{{role}}}`{entity.short} <{entity.id}>`"
            else:  # the acronym, a registered alias
                bb = f"{{{role}}}`{entity.short}`"
            anchor = f"{{term}}`{entity.short} <{entity.name}>`"
        else:
            bb = f"{{{role}}}`{entity.name}`"
            anchor = f"{{term}}`{entity.name}`"
        self.named.add(entity.id)
        self.counts.mentions += 1
        return bb, anchor

    def cite(self, keys: Sequence[str]) -> tuple[str, str]:
        self.counts.citations += 1
        text = f"{{cite:p}}`{','.join(keys)}`"
        return text, text

    def words_phrase(self, count: int) -> str:
        out: list[str] = []
        while len(out) < count:
            out += [self.rng.choice(_DETERMINERS), self.rng.choice(_ADJECTIVES),
                    self.rng.choice(_NOUNS), self.rng.choice(_VERBS)]
        return " ".join(out[:count])

    def sentence(self, mention: bool) -> tuple[str, str]:
        rng = self.rng
        lead = f"{rng.choice(_CONNECTIVES)} " if rng.random() < 0.25 else ""
        subject = f"{rng.choice(_DETERMINERS)} {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
        middle = f"{rng.choice(_VERBS)} {rng.choice(_DETERMINERS)} {rng.choice(_NOUNS)}"
        head = f"{lead}{subject} {middle}".strip()
        head = head[0].upper() + head[1:]
        tail_bb = tail_anchor = ""
        if mention:
            bb, anchor = self.mention()
            prep = rng.choice(_PREPOSITIONS)
            tail_bb, tail_anchor = f" {prep} {bb}", f" {prep} {anchor}"
        extra = f" {rng.choice(_PREPOSITIONS)} {self.words_phrase(rng.randint(3, 6))}"
        return f"{head}{tail_bb}{extra}.", f"{head}{tail_anchor}{extra}."

    def paragraph(self, extra_bb: str = "", extra_anchor: str = "",
                  cite_keys: Sequence[str] = ()) -> None:
        mentions = self.rng.randint(2, 4)
        sentences = 7
        where = set(self.rng.sample(range(sentences), mentions))
        bb_parts, anchor_parts = [], []
        for i in range(sentences):
            bb, anchor = self.sentence(i in where)
            bb_parts.append(bb)
            anchor_parts.append(anchor)
        if cite_keys:
            bb_cite, anchor_cite = self.cite(cite_keys)
            bb_parts[-1] = bb_parts[-1][:-1] + f" {bb_cite}."
            anchor_parts[-1] = anchor_parts[-1][:-1] + f" {anchor_cite}."
        if extra_bb:
            bb_parts.insert(len(bb_parts) // 2, extra_bb)
            anchor_parts.insert(len(anchor_parts) // 2, extra_anchor)
        self.bb.append(" ".join(bb_parts))
        self.anchor.append(" ".join(anchor_parts))

    def quote(self, when: dt.date) -> tuple[str, str]:
        speakers = [e for e in self.cast if self.entities[e].kind != "place"]
        speaker = self.entities[self.rng.choice(speakers)] if speakers else None
        source = self.rng.choice(self.pool).key
        words = self.words_phrase(self.rng.randint(8, 16))
        said = (when - dt.timedelta(days=self.rng.randint(1, 6))).isoformat()
        self.counts.quotes += 1
        self.counts.citations += 1
        if speaker is None:
            bb_attr = f"unnamed=officials familiar with the matter; source={source}; said={said}"
            who = "officials familiar with the matter"
        else:
            bb_attr = f"speaker={speaker.id}; source={source}; said={said}"
            who = speaker.name
            self.named.add(speaker.id)
        bb = f"As one account put it, “{{quote}}`{words} <{bb_attr}>`”."
        anchor = f"As one account put it, “{words}” ({who}, {said}, {{cite:p}}`{source}`)."
        return bb, anchor

    def claim(self, key_keys: Sequence[str], in_box: bool) -> None:
        likelihood = self.rng.choice(_LIKELIHOODS)
        confidence = self.rng.choice(_CONFIDENCE)
        m1_bb, m1_anchor = self.mention()
        m2_bb, m2_anchor = self.mention()
        body = self.words_phrase(10).capitalize()
        tail = self.words_phrase(6)
        text_bb = f"{body} in {m1_bb}, with {m2_bb} {tail}."
        text_anchor = f"{body} in {m1_anchor}, with {m2_anchor} {tail}."
        self.counts.claims += 1
        self.counts.citations += 1
        keys = ", ".join(key_keys)
        fence = "```"
        block = (f"{fence}{{claim}}\n:likelihood: {likelihood}\n:confidence: {confidence}\n"
                 f":sources: {keys}\n\n{text_bb}\n{fence}")
        if in_box:
            block = f"````{{key-judgements}}\n{block}\n````"
        self.bb.append(block)
        label = "Key judgement" if in_box else "Judgement"
        self.anchor.append(f"**{label}** ({likelihood.capitalize()}; {confidence} confidence): "
                           f"{text_anchor} Sources: {{cite:p}}`{','.join(key_keys)}`")

    def event(self, when: dt.date) -> None:
        date = (when - dt.timedelta(days=self.rng.randint(2, 20))).isoformat()
        ids = self.rng.sample(self.cast, min(len(self.cast), self.rng.randint(2, 3)))
        for entity_id in ids:
            self.named.add(entity_id)
        source = self.rng.choice(self.pool).key
        places = [e for e in self.cast if self.entities[e].kind == "place"] or self.cast
        bb_m, anchor_m = self.mention(self.rng.choice(places))
        what = self.words_phrase(7)
        self.counts.events += 1
        self.counts.citations += 1
        self.bb.append(f"```{{event}} {date}\n:entities: {', '.join(ids)}\n:sources: {source}\n\n"
                       f"{what.capitalize()} in {bb_m}.\n```")
        day = dt.date.fromisoformat(date)
        self.anchor.append(f"**{day.day} {day:%B %Y}** — {what.capitalize()} in {anchor_m}. "
                           f"{{cite:p}}`{source}`")

    def pull_quote(self) -> None:
        words = self.words_phrase(9)
        self.bb.append(f"```{{pull-quote}}\n{words}\n```")
        self.anchor.append(f"> {words}")

    def heading(self, text: str) -> None:
        self.bb.append(f"## {text}")
        self.anchor.append(f"## {text}")


def _article(index: int, n: int, seed: str, entities: list[SynthEntity], pool: list[Source],
             weights: list[float], span_days: int) -> tuple[Article, Counts]:
    rng = random.Random(f"{seed}:article:{n}:{index}")
    by_id = {e.id: e for e in entities}
    date = START + dt.timedelta(days=(index * span_days) // max(1, n))
    author = _AUTHORS[rng.randrange(len(_AUTHORS))]
    cast_size = rng.randint(6, 10)
    cast: list[str] = []
    while len(cast) < min(cast_size, len(entities)):
        pick = rng.choices(entities, weights=weights)[0].id
        if pick not in cast:
            cast.append(pick)
    places = [by_id[e].name for e in cast if by_id[e].kind == "place"]
    lead_place = rng.choice(places) if places else "the region"
    title = (f"{rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_NOUNS)} "
             f"{rng.choice(_VERBS)} near {lead_place}")
    key = f"art{index:05d}"
    docname = f"briefings/{date.isoformat()}-{_slug(title)}-{index:05d}"
    article = Article(index, docname, date, author, title, key)
    writer = _Writer(rng, by_id, cast, pool)
    # Every pool source is cited at least once: article i cites source i mod |pool|.
    own = pool[index % len(pool)].key
    others = [s.key for s in rng.sample(pool, min(2, len(pool)))]

    writer.claim(sorted({own, others[0]}), in_box=True)
    writer.paragraph(cite_keys=[own])
    writer.paragraph()
    writer.pull_quote()
    q_bb, q_anchor = writer.quote(date)
    writer.paragraph(extra_bb=q_bb, extra_anchor=q_anchor, cite_keys=others[:1])
    writer.heading("Background")
    writer.paragraph()
    writer.event(date)
    writer.paragraph(cite_keys=sorted(set(others)))
    writer.paragraph()
    writer.heading("Outlook")
    writer.paragraph()
    if rng.random() < 0.5:
        q_bb, q_anchor = writer.quote(date)
        writer.paragraph(extra_bb=q_bb, extra_anchor=q_anchor)
    else:
        writer.paragraph()
    writer.claim(sorted(set(others)), in_box=False)
    for _ in range(PARAGRAPHS - 8):
        writer.paragraph()

    front = (f"---\ndate: {date.isoformat()}\nauthor: {author}\nsource: {key}\n---\n\n"
             f"# {title}\n\n")
    article.briefbook = front + "\n\n".join(writer.bb) + "\n"
    anchor_front = f"---\ndate: {date.isoformat()}\nauthor: {author}\n---\n\n# {title}\n\n"
    byline = f"By {author} · {date.day} {date:%B %Y} · Source: {{cite:p}}`{key}`"
    article.anchor = anchor_front + byline + "\n\n" + "\n\n".join(writer.anchor) + "\n"
    article.entities = writer.named
    article.words = count_words(article.anchor)
    writer.counts.citations += 1  # the byline cites the article itself
    return article, writer.counts


_CITE = re.compile(r"\{cite:p\}`[^`]*`")
_ROLE = re.compile(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`")


def count_words(markdown: str) -> int:
    """Words a reader reads in a page (roles by their shown text, no citation keys)."""
    body = markdown.split("\n---\n", 1)[-1]
    body = _ROLE.sub(r"\1", _CITE.sub("", body))
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", body))


def build_model(n: int, seed: str = "briefbook") -> tuple[list[SynthEntity], list[Source],
                                                          list[Article], Counts]:
    """Entities, sources and articles of a book of ``n`` articles (no files written)."""
    if n < 1:
        raise ValueError("a book needs at least one article")
    rng = random.Random(f"{seed}:registry:{n}")
    entities = _entities(n, rng)
    pool = _sources(n, random.Random(f"{seed}:sources:{n}"))
    # Popularity is independent of kind: shuffle once, then weight by rank.
    ranked = list(entities)
    random.Random(f"{seed}:rank:{n}").shuffle(ranked)
    weights = _zipf_weights(len(ranked))
    span_days = max(120, (n * 3) // 2)  # about one article every day and a half
    articles: list[Article] = []
    counts = Counts(articles=n, sources=len(pool) + n)
    counts.people, counts.places, counts.organizations = entity_counts(n)
    for index in range(n):
        article, found = _article(index, n, seed, ranked, pool, weights, span_days)
        articles.append(article)
        for name in ("mentions", "quotes", "claims", "events", "citations"):
            setattr(counts, name, getattr(counts, name) + getattr(found, name))
        counts.words += article.words
    return entities, pool, articles, counts


# --- writing files --------------------------------------------------------------------------


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def registry_yaml(entities: Sequence[SynthEntity], kind: str) -> str:
    """One registry file, in the schema of ``conf/entities/*.yaml``."""
    lines = [f"# Synthetic {kind} entries for the briefbook benchmark (generated; do not edit).", ""]
    for e in entities:
        if e.kind != kind:
            continue
        lines.append(f"- id: {e.id}")
        lines.append(f"  name: {_yaml_str(e.name)}")
        if e.alias:
            lines.append("  aliases:")
            lines.append(f"    - {_yaml_str(e.alias)}")
        if e.native:
            lines.append(f"  native_name: {_yaml_str(e.native)}")
        if e.sub_kind:
            lines.append(f"  kind: {e.sub_kind}")
        if e.country:
            lines.append(f"  country: {e.country}")
        if e.coordinates:
            lines.append(f"  coordinates: [{e.coordinates[0]}, {e.coordinates[1]}]")
        if e.description:
            lines.append(f"  description: {_yaml_str(e.description)}")
        if e.role:
            title, start, end = e.role
            lines.append("  roles:")
            lines.append(f"    - title: {_yaml_str(title)}")
            lines.append(f"      start: {start}")
            if end:
                lines.append(f"      end: {end}")
        lines.append("")
    return "\n".join(lines)


def bibliography(pool: Sequence[Source], articles: Sequence[Article]) -> str:
    entries = []
    for s in pool:
        fields = [f"  author = {{{s.author}}},", f"  title = {{{s.title}}},",
                  f"  year = {{{s.year}}},", f"  month = {s.month},"]
        if s.publisher:
            fields.append(f"  publisher = {{{s.publisher}}},")
        # Graded, as an analyst's sources are: every citation then carries its grade.
        number = int(s.key[3:])
        fields.append(f"  reliability = {{{'BBCACD'[number % 6]}}},")
        if number % 2 == 0:
            fields.append(f"  credibility = {{{1 + number % 4}}},")
        entries.append(f"@misc{{{s.key},\n" + "\n".join(fields) + "\n}\n")
    for a in articles:
        family, given = a.author.split(" ", 1)[1], a.author.split(" ", 1)[0]
        month = a.date.strftime("%b").lower()
        entries.append(
            f"@misc{{{a.key},\n  author = {{{family}, {given}}},\n  title = {{{a.title}}},\n"
            f"  year = {{{a.date.year}}},\n  month = {month},\n"
            f"  note = {{Briefing of {a.date.day} {a.date:%B %Y}}},\n}}\n")
    return "\n".join(entries)


_BRIEFBOOK_CONF = '''"""Synthetic briefing book for the briefbook benchmark (generated; do not edit).

The same settings as the sample book (conf/conf.py): briefbook with its navigation
rendered once per build, sphinx-design, sphinxcontrib-bibtex, sphinx-book-theme.
"""

from pathlib import Path

CONF_DIR = Path(__file__).resolve().parent
ROOT = CONF_DIR.parent

project = "Synthetic Briefing Book ({n} articles)"
author = "briefbook benchmark"
copyright = "2024, briefbook benchmark"
language = "en"
today = "1 January 2025"

extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "briefbook"]
root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

bibtex_bibfiles = [str(ROOT / "sources.bib")]
bibtex_default_style = "briefbook"
bibtex_reference_style = "briefbook"
bibtex_cite_id = "cite-{{key}}"
bibtex_bibliography_id = "bibliography-{{bibliography_count}}"

briefbook_registry = str(CONF_DIR / "entities")

html_theme = "sphinx_book_theme"
html_title = "Synthetic Briefing Book"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_sidebars = {{
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html",
           "bb-sidebar-nav.html"],
}}
html_theme_options = {{
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}}

latex_engine = "xelatex"
latex_documents = [("index", "briefing-book.tex", "Synthetic Briefing Book",
                    "Compiled with briefbook", "manual")]
latex_show_urls = "footnote"
latex_elements = {{
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "fontpkg": r"""
\\setmainfont{{FreeSerif}}
\\setsansfont{{FreeSans}}
\\setmonofont{{FreeMono}}
""",
    "preamble": r"""
\\usepackage{{xeCJK}}
\\setCJKmainfont{{Noto Serif CJK KR}}
\\setCJKsansfont{{Noto Sans CJK KR}}
\\setCJKmonofont{{Noto Sans Mono CJK KR}}
\\xeCJKsetup{{CJKspace=true, CJKecglue={{}}}}
\\xeCJKDeclareCharClass{{Default}}{{"00B7,"2013,"2014,"2018,"2019,"201C,"201D,"2026}}
\\addto\\captionsenglish{{\\renewcommand{{\\contentsname}}{{Contents}}}}
""",
    "printindex": r"\\footnotesize\\raggedright\\printindex",
}}
latex_use_xindy = True
'''

_ANCHOR_CONF = '''"""The benchmark's anchor (generated; do not edit): the same content as the synthetic
briefing book, as plain Sphinx + myst-parser + sphinxcontrib-bibtex, mentions as {{term}}
references to a standard glossary, and sphinx-book-theme with its defaults."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

project = "Synthetic Briefing Book ({n} articles), plain Sphinx"
author = "briefbook benchmark"
copyright = "2024, briefbook benchmark"
language = "en"
today = "1 January 2025"

extensions = ["myst_parser", "sphinxcontrib.bibtex"]
root_doc = "index"
exclude_patterns = ["_build"]
smartquotes = False

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

bibtex_bibfiles = [str(ROOT / "sources.bib")]
# Numeric labels: the stock "alpha" style overflows after 26 same-author-same-year entries.
bibtex_default_style = "plain"

html_theme = "sphinx_book_theme"
'''


def _index_briefbook(articles: Sequence[Article]) -> str:
    newest = sorted(articles, key=lambda a: (a.date, a.index), reverse=True)
    entries = "\n".join(a.docname for a in newest)
    return (
        "# Synthetic Briefing Book\n\n"
        "A generated book for the briefbook benchmark: every article, every name and every "
        "source is synthetic.\n\n"
        "```{rubric} Latest briefings\n```\n\n"
        "```{latest-briefings}\n:limit: 6\n```\n\n"
        f"```{{toctree}}\n:caption: Briefings\n:maxdepth: 1\n\n{entries}\n```\n\n"
        "```{toctree}\n:caption: Reference\n:maxdepth: 1\n\n"
        "timeline\nindexes/people\nindexes/places\nglossary/index\nyardstick\nreferences\n```\n"
    )


def _index_anchor(articles: Sequence[Article]) -> str:
    newest = sorted(articles, key=lambda a: (a.date, a.index), reverse=True)
    entries = "\n".join(a.docname for a in newest)
    return (
        "# Synthetic Briefing Book\n\n"
        "A generated book for the briefbook benchmark: every article, every name and every "
        "source is synthetic.\n\n"
        f"```{{toctree}}\n:caption: Briefings\n:maxdepth: 1\n\n{entries}\n```\n\n"
        "```{toctree}\n:caption: Reference\n:maxdepth: 1\n\nglossary/index\nreferences\n```\n"
    )


_KIND_PAGES = (("people", "person", "People"), ("places", "place", "Places"),
               ("organizations", "organization", "Organisations"))


def _glossary_anchor(entities: Sequence[SynthEntity], kind: str, title: str) -> str:
    lines = [f"# {title}", "", "```{glossary}", ":sorted:", ""]
    for e in entities:
        if e.kind != kind:
            continue
        lines.append(e.name)
        if e.alias:
            lines.append(e.alias)
        definition = e.description
        if e.native:
            definition = f"{e.native}. {definition}"
        if e.role:
            definition += f" {e.role[0]} since {e.role[1]}."
        lines.append(f"  {definition}")
        lines.append("")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _files(corpus_entities: Sequence[SynthEntity], pool: Sequence[Source],
           articles: Sequence[Article], n: int) -> dict[str, str]:
    """Every file of both books, by path relative to the corpus root."""
    files: dict[str, str] = {}
    bib = bibliography(pool, articles)
    # briefbook
    files["briefbook/conf/conf.py"] = _BRIEFBOOK_CONF.format(n=n)
    for kind, name in _FILES.items():
        files[f"briefbook/conf/entities/{name}"] = registry_yaml(corpus_entities, kind)
    files["briefbook/sources.bib"] = bib
    files["briefbook/docs/index.md"] = _index_briefbook(articles)
    files["briefbook/docs/timeline.md"] = "# Timeline\n\n```{timeline}\n```\n"
    for page, kind, title in (("people", "person", "People"), ("places", "place", "Places")):
        files[f"briefbook/docs/indexes/{page}.md"] = (
            f"# {title} at a Glance\n\n```{{entity-grid}} {kind}\n```\n")
    files["briefbook/docs/glossary/index.md"] = (
        "# Glossary\n\n```{toctree}\n:maxdepth: 1\n\npeople\nplaces\norganizations\n```\n")
    for page, kind, title in _KIND_PAGES:
        files[f"briefbook/docs/glossary/{page}.md"] = f"# {title}\n\n```{{entity-index}} {kind}\n```\n"
    files["briefbook/docs/yardstick.md"] = (
        "# Annex: Estimative Language\n\n```{estimative-yardstick}\n```\n")
    files["briefbook/docs/references.md"] = "# References\n\n```{bibliography}\n:all:\n```\n"
    # anchor
    files["anchor/conf/conf.py"] = _ANCHOR_CONF.format(n=n)
    files["anchor/sources.bib"] = bib
    files["anchor/docs/index.md"] = _index_anchor(articles)
    files["anchor/docs/glossary/index.md"] = (
        "# Glossary\n\n```{toctree}\n:maxdepth: 1\n\npeople\nplaces\norganizations\n```\n")
    for page, kind, title in _KIND_PAGES:
        files[f"anchor/docs/glossary/{page}.md"] = _glossary_anchor(corpus_entities, kind, title)
    files["anchor/docs/references.md"] = "# References\n\n```{bibliography}\n:all:\n```\n"
    for a in articles:
        files[f"briefbook/docs/{a.docname}.md"] = a.briefbook
        files[f"anchor/docs/{a.docname}.md"] = a.anchor
    return files


def manifest(n: int, seed: str, counts: Counts, articles: Sequence[Article]) -> dict[str, Any]:
    return {
        "n": n,
        "seed": seed,
        "counts": {**{k: getattr(counts, k) for k in counts.__dataclass_fields__},
                   "entities": counts.entities},
        "articles": [{"docname": a.docname, "date": a.date.isoformat(), "words": a.words,
                      "entities": sorted(a.entities)} for a in articles],
    }


def generate(n: int, root: Path, seed: str = "briefbook") -> Corpus:
    """Write both books of ``n`` articles under ``root`` (replacing what was there)."""
    entities, pool, articles, counts = build_model(n, seed)
    root = Path(root)
    for book in ("briefbook", "anchor"):
        if (root / book).exists():
            shutil.rmtree(root / book)
    files = _files(entities, pool, articles, n)
    files["manifest.json"] = json.dumps(manifest(n, seed, counts, articles), indent=1,
                                        ensure_ascii=False) + "\n"
    for relative, text in sorted(files.items()):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return Corpus(root, n, seed, counts, tuple(articles), tuple(entities))


# --- the incremental-rebuild edit -------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One article edited to name one more entity; ``original`` restores it."""

    path: Path
    docname: str
    entity_id: str
    entity_kind: str
    original: bytes

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def add_mention(book: Path, manifest_data: dict[str, Any]) -> Edit:
    """Append a paragraph naming an entity the middle article did not name yet.

    The entity chosen is the most-named person the article lacks, so its glossary entry
    already has many backlinks and must gain exactly this one.
    """
    articles = manifest_data["articles"]
    target = articles[len(articles) // 2]
    present = set(target["entities"])
    mentioned: dict[str, int] = {}
    for article in articles:
        for entity_id in article["entities"]:
            mentioned[entity_id] = mentioned.get(entity_id, 0) + 1
    registry = _read_registry_names(book / "conf" / "entities")
    candidates = sorted((e for e in registry if e[0] not in present),
                        key=lambda e: (-mentioned.get(e[0], 0), e[0]))
    entity_id, kind, name = candidates[0]
    path = book / "docs" / f"{target['docname']}.md"
    original = path.read_bytes()
    role = _ROLE_FOR_KIND[kind]
    addition = (f"\nA late correction adds that {{{role}}}`{name}` was also briefed on the "
                f"talks.\n")
    path.write_bytes(original + addition.encode("utf-8"))
    return Edit(path, target["docname"], entity_id, kind, original)


def _read_registry_names(folder: Path) -> list[tuple[str, str, str]]:
    """(id, kind, name) of every entity, from the generated files (cheap, no validation)."""
    import yaml

    found = []
    for kind, name in _FILES.items():
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or []
        found += [(entry["id"], kind, entry["name"]) for entry in data]
    return found
