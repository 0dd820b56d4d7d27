"""The entity registry: people, places and organisations, loaded and validated.

One YAML file per kind (``people.yaml``, ``places.yaml``, ``organizations.yaml``) in the
registry folder, each a list of entries.  A list, not a mapping keyed by id, because YAML
mappings silently keep the last of two equal keys and a duplicate id must be an error.

Entities are frozen records: the rest of briefbook (domain, ingest, check) reads them,
never changes them. This module holds the records and the rules of what a registry may
hold; reading and validating the files is :mod:`.registry_files`, and the registry a
build or command uses, parsed once and kept between builds, is :mod:`.registry_cache`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sphinx.errors import SphinxError

from briefbook.book.problems import Problem

EntityKind = Literal["person", "place", "organization"]


KINDS: tuple[EntityKind, ...] = ("person", "place", "organization")


FILES: dict[EntityKind, str] = {
    "person": "people.yaml",
    "place": "places.yaml",
    "organization": "organizations.yaml",
}


KIND_LABELS: dict[EntityKind, str] = {
    "person": "People",
    "place": "Places",
    "organization": "Organisations",
}


PLACE_KINDS = frozenset({"country", "city", "region", "territory", "site", "sea", "continent"})


ORG_KINDS = frozenset({
    "government", "ministry", "agency", "military", "intelligence", "legislature",
    "committee", "party", "international", "media", "company", "ngo", "other",
})


ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")


COMMON_FIELDS = frozenset({
    "id", "name", "aliases", "native_name", "description", "wikidata", "sort_name",
    "unreviewed",
})


KIND_FIELDS: dict[EntityKind, frozenset[str]] = {
    "person": COMMON_FIELDS | {"roles"},
    "place": COMMON_FIELDS | {"kind", "country", "coordinates"},
    "organization": COMMON_FIELDS | {"kind", "country"},
}


class RegistryError(SphinxError):
    """The registry cannot be used; the message lists every problem with file:line."""

    category = "briefbook registry error"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n" + "\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Alias:
    """Another name for an entity; ``variant`` marks a spelling found in a source
    (often a misspelling) that pages show with a *sic* marker."""

    name: str
    variant: bool = False
    note: str = ""


@dataclass(frozen=True)
class Role:
    """A title held over a period, e.g. U.S. Secretary of Defense 2021-01-22 to 2025-01-20."""

    title: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, when: dt.date) -> bool:
        """True when the role was held on ``when`` (an open end means still held)."""
        if self.start and when < self.start:
            return False
        return not (self.end and when > self.end)

    def span(self) -> str:
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"since {self.start.isoformat()}"
        if self.end:
            return f"until {self.end.isoformat()}"
        return ""


@dataclass(frozen=True)
class Entity:
    """A person, place or organisation as the registry describes it."""

    kind: EntityKind
    id: str
    name: str
    aliases: tuple[Alias, ...] = ()
    native_name: str = ""
    description: str = ""
    wikidata: str = ""
    sort_name: str = ""
    unreviewed: bool = False
    roles: tuple[Role, ...] = ()
    place_kind: str = ""
    org_kind: str = ""
    country: str = ""
    coordinates: tuple[float, float] | None = None
    path: str = ""
    line: int = 0

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *(a.name for a in self.aliases))

    def is_variant(self, text: str) -> bool:
        """Whether ``text`` is one of the variant (sic) spellings of this entity."""
        return any(a.variant and a.name == text for a in self.aliases)

    def roles_on(self, when: dt.date | None) -> tuple[Role, ...]:
        """Roles held on ``when``; with no date, the roles still held (or the last one)."""
        if when is not None:
            return tuple(r for r in self.roles if r.covers(when))
        current = tuple(r for r in self.roles if r.end is None)
        return current or self.roles[-1:]

    def summary(self) -> str:
        """The description's first sentence, as plain text, for previews."""
        text = re.sub(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", self.description)
        text = re.sub(r"[*_`]", "", " ".join(text.split()))
        return first_sentence(text)

    @property
    def sort_key(self) -> str:
        base = self.sort_name or self.name
        return unicodedata.normalize("NFKD", base).casefold()


_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "no", "vs",
                            "jr", "sr", "co", "corp", "inc", "ltd", "rev", "prof", "sen", "rep"})


def first_sentence(text: str) -> str:
    """The text up to the first full stop that ends a sentence.

    A stop ends a sentence when a capital follows and the word before it is not an
    abbreviation ("U.S.", "Dr."), so "the 28th U.S. Secretary of Defense" stays whole.
    """
    for match in re.finditer(r"[.!?](?=\s+[A-Z\"“(]|$)", text):
        word = text[: match.start()].rsplit(" ", 1)[-1]
        if match.group() == "." and ("." in word or word.lower() in _ABBREVIATIONS
                                     or (len(word) == 1 and word.isupper())):
            continue
        return text[: match.end()]
    return text


def normalise(name: str) -> str:
    """The form names are compared in: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass
class Registry:
    """All entities, with look-up by id, canonical name or alias."""

    entities: dict[str, Entity] = field(default_factory=dict)
    folder: str = ""
    _by_name: dict[str, str] = field(default_factory=dict, repr=False)
    _files: list[Path] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entity in self.entities.values():
            for name in entity.all_names:
                self._by_name.setdefault(normalise(name), entity.id)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities.values())

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def lookup(self, text: str, kind: EntityKind | None = None) -> Entity | None:
        """Resolve an id, canonical name or alias (any case) to an entity of ``kind``."""
        entity = self.entities.get(text.strip())
        if entity is None:
            entity_id = self._by_name.get(normalise(text))
            entity = self.entities.get(entity_id) if entity_id else None
        if entity is None or (kind is not None and entity.kind != kind):
            return None
        return entity

    def of_kind(self, kind: EntityKind) -> list[Entity]:
        return sorted((e for e in self if e.kind == kind), key=lambda e: e.sort_key)

    def files(self) -> list[Path]:
        """The registry's files (each mention notes them as dependencies: listed once per
        loaded registry, not once per mention; a changed set of files is a new registry)."""
        if self._files is None:
            self._files = [Path(self.folder) / FILES[k] for k in KINDS
                           if (Path(self.folder) / FILES[k]).exists()]
        return list(self._files)

