"""What a release withholds, as the gate records it, and what only withheld material names.

Each withheld page or portion is a :class:`Withheld` item (its file, first line and text);
:class:`Material` is all of them with the text of what the release keeps. A release also
leaves out a registry entry only withheld material names and a bibliography entry only
withheld material cites (:mod:`briefbook.editions.release`): the gate reads those entries
from the registry's and the bibliography's files as text, with the names each goes by,
and :func:`withheld_by_derivation` tells which of them the release withholds, so that
their words are searched for too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefbook.entities.registry import FILES, RegistryError
from briefbook.entities.registry_files import load_registry
from briefbook.publishing.readable import WORD, normalise


@dataclass(frozen=True)
class Withheld:
    """Something a release withholds: its file, first line and text (and what it is)."""

    source: str
    line: int
    text: str
    what: str = ""


@dataclass
class Material:
    """What a release withholds (each with its source and line) and the text of what it
    keeps (to tell a distinctive word from a shared one)."""

    withheld: list[Withheld]
    kept: str
    language: str = "en"


def read_source(path: Path) -> str:
    """A source file's text, as the gate reads it (a bad byte does not stop it)."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        return handle.read()


def _normal_words(text: str) -> str:
    """Text as a run of lowercase words between spaces, to find a name in it."""
    return " " + " ".join(WORD.findall(normalise(text))) + " "


def _names_in(names: Iterable[str], normal: str) -> bool:
    return any(f" {n} " in normal for n in (" ".join(WORD.findall(normalise(x))) for x in names)
               if n)


@dataclass
class Entry:
    """A registry or bibliography entry: its file, line, text and the names it goes by."""

    source: str
    line: int
    text: str
    names: tuple[str, ...]
    extra: str = ""  # words the build prints for it without them being in its text


def registry_entries(confdir: Path | None, settings: Any) -> list[Entry]:
    configured = str(getattr(settings, "briefbook_registry", "") or "")
    if not configured or confdir is None:
        return []
    folder = (confdir / configured).resolve()
    if not folder.is_dir():
        return []
    try:
        registry = load_registry(folder, lenient=True)
    except RegistryError:
        return []
    entries: list[Entry] = []
    for kind, name in FILES.items():
        path = folder / name
        if not path.is_file():
            continue
        lines = read_source(path).splitlines()
        found = sorted((e for e in registry if e.kind == kind and e.line),
                       key=lambda e: e.line)
        for index, entity in enumerate(found):
            end = found[index + 1].line - 1 if index + 1 < len(found) else len(lines)
            names = (entity.id, entity.name, entity.native_name,
                     *(alias.name for alias in entity.aliases))
            extra = _country_names(entity.country) if entity.country else ""
            entries.append(Entry(str(path), entity.line,
                                  "\n".join(lines[entity.line - 1:end]), names, extra))
    return entries


def _country_names(code: str) -> str:
    """The country's names as the glossary prints them (from a two-letter code)."""
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, LookupError, KeyError):
        return ""
    if country is None:
        return ""
    return " ".join(str(getattr(country, a, "") or "") for a in ("name", "common_name",
                                                                  "official_name"))


_BIB_ENTRY = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.M)


def bibliography_entries(confdir: Path | None, settings: Any) -> list[Entry]:
    entries: list[Entry] = []
    if confdir is None:
        return entries
    for name in getattr(settings, "bibtex_bibfiles", None) or []:
        path = (confdir / str(name)).resolve()
        if not path.is_file():
            continue
        text = read_source(path)
        starts = [(m.start(), m.group(1).lower(), m.group(2)) for m in _BIB_ENTRY.finditer(text)]
        for index, (start, kind, key) in enumerate(starts):
            if kind in ("string", "comment", "preamble"):
                continue
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            line = text.count("\n", 0, start) + 1
            body = text[start:end].lstrip("\n")
            line += len(text[start:end]) - len(text[start:end].lstrip("\n"))
            entries.append(Entry(str(path), line, body.rstrip(), (key,)))
    return entries


def withheld_by_derivation(withheld: Sequence[Withheld], kept: str, registry: Sequence[Entry],
                           bibliography: Sequence[Entry]) -> list[Withheld]:
    """Registry entries only withheld material names, and bibliography entries only
    withheld material cites: the release leaves them out too (:mod:`.release`)."""
    withheld_words = _normal_words("\n".join(w.text for w in withheld))
    kept_words = _normal_words(kept)
    derived: list[Withheld] = []
    candidates = [e for e in registry if _names_in(e.names, withheld_words)]
    others = _normal_words("\n".join(e.text for e in registry if e not in candidates))
    kept_words += others
    changed = True
    held = list(candidates)
    while changed:  # an entry a kept entry's description names is kept
        changed = False
        for entry in list(held):
            if _names_in(entry.names, kept_words):
                held.remove(entry)
                kept_words += _normal_words(entry.text)
                changed = True
    derived.extend(Withheld(e.source, e.line, e.text, "registry entry only withheld "
                            "material names") for e in held)
    for entry in bibliography:
        if _names_in(entry.names, withheld_words) and not _names_in(entry.names, kept_words):
            derived.append(Withheld(entry.source, entry.line, entry.text,
                                    "source only withheld material cites"))
    return derived
