"""One entity, many spellings: the key under which variants of a name meet.

A batch of articles writes one country as "United Kingdom", "UK", "U.K." and "Britain",
and one person as "Defence Secretary John Healey", "John Healey" and "Healey".  Review
should see one decision for each entity, and ingest should write one stub for it, so
both ask this module for a name's key.  Knowledge is offline only: the gazetteer's
country names and codes, abbreviations without their dots, titles before names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from briefbook.ingest import gazetteer
from briefbook.registry import normalise

_DOTS = re.compile(r"(?<=\b[A-Za-z])\.")


def entity_key(name: str, kind: str) -> str:
    """The key every way of writing one entity shares, as far as offline data tells.

    Countries meet under their ISO code whatever the name ("country:GB"); other names
    under their normalised form without the dots of abbreviations ("u.s. army" and
    "us army" alike).
    """
    if kind == "place":
        place = gazetteer.places().get(name.strip()) or gazetteer.places().get(
            _DOTS.sub("", name.strip()))
        if place is not None and place.kind == "country" and place.country:
            return f"country:{place.country}"
    return f"{kind}:{normalise(_DOTS.sub('', name))}"


def group_variants(names: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Indices of ``(name, kind)`` pairs grouped so that one entity is one group, in the
    order each group first appears; every index is in exactly one group."""
    groups: dict[str, list[int]] = {}
    for index, (name, kind) in enumerate(names):
        groups.setdefault(entity_key(name, kind), []).append(index)
    return list(groups.values())


#: Words an acronym skips ("Ministry of Defence" is "MOD", "United Nations" is "UN").
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "le", "&"})
_ACRONYM_RE = re.compile(r"^(?:[A-Z]\.?){2,6}$")


def is_acronym(name: str) -> bool:
    """"UK", "U.K.", "NATO": capitals only (with or without dots), two to six letters."""
    return bool(_ACRONYM_RE.match(name.strip()))


def initials(name: str) -> str:
    """The acronym of a name without its small words ("Ministry of Defence" → "MD"; the
    grouping also tries every word's initial, "MOD", since usage differs)."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return "".join(w[0] for w in words if w.casefold() not in _ACRONYM_SKIPS).upper()


def ends_with_name(longer: str, shorter: str) -> bool:
    """Whether ``shorter`` is the last words of ``longer`` ("Healey" and "John Healey" of
    "Defence Secretary John Healey"), compared as the registry compares names."""
    long_words, short_words = normalise(longer).split(), normalise(shorter).split()
    return 0 < len(short_words) < len(long_words) and long_words[-len(short_words):] == short_words


def group_entities(units: Sequence[Sequence[tuple[str, str]]]) -> list[list[int]]:
    """Units (each a stub or candidate with its ``(name, kind)`` forms) grouped so that one
    entity is one group, in the order each group first appears.

    Units meet when any of their forms share a key (:func:`group_variants`), when an
    acronym abbreviates a longer name of the same kind in exactly one other group ("UN",
    "United Nations"), and when a person's shorter name ends (or, for a family name
    written first, starts) the longer names of exactly one other group ("Healey", "John
    Healey", "Defence Secretary John Healey"): a name two people could bear stays apart.
    """
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    flat = [(unit, name, kind) for unit, forms in enumerate(units) for name, kind in forms]
    for group in group_variants([(name, kind) for _, name, kind in flat]):
        for index in group[1:]:
            union(flat[group[0]][0], flat[index][0])

    # Who could own a shorter form: people by the last words (and the first word) of
    # their longer names, others by the acronym of their longer names.
    by_suffix: dict[tuple[str, ...], set[int]] = {}
    by_acronym: dict[tuple[str, str], set[int]] = {}
    for unit, name, kind in flat:
        words = normalise(name).split()
        if kind == "person":
            for size in range(1, len(words)):
                by_suffix.setdefault(tuple(words[-size:]), set()).add(unit)
            if len(words) >= 2:
                by_suffix.setdefault(("first:", words[0]), set()).add(unit)
        elif len(words) >= 2:
            every = "".join(w[0] for w in name.split()).upper()
            for letters in {initials(name), every}:
                by_acronym.setdefault((kind, letters), set()).add(unit)

    def join_if_one(unit: int, candidates: set[int]) -> None:
        groups = {find(other) for other in candidates} - {find(unit)}
        if len(groups) == 1:
            union(unit, groups.pop())

    by_length = sorted(range(len(units)), key=lambda u: -max(
        (len(n.split()) for n, _ in units[u]), default=0))
    for unit in by_length:
        candidates: set[int] = set()
        for name, kind in units[unit]:
            if kind != "person":
                continue
            name_words = tuple(normalise(name).split())
            candidates |= by_suffix.get(name_words, set())
            if len(name_words) == 1:
                candidates |= by_suffix.get(("first:", name_words[0]), set())
        join_if_one(unit, candidates)
    for unit, forms in enumerate(units):
        candidates = set()
        for name, kind in forms:
            if kind != "person" and is_acronym(name):
                candidates |= by_acronym.get((kind, _DOTS.sub("", name.strip()).upper()), set())
        join_if_one(unit, candidates)
    groups: dict[int, list[int]] = {}
    for unit in range(len(units)):
        groups.setdefault(find(unit), []).append(unit)
    return list(groups.values())


def _letters(name: str) -> str:
    """Lower-case ASCII letters and single spaces: "Jong-un" and "Jong Un", "Zelenskyy"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _distance(a: str, b: str) -> int:
    """Edit distance with transpositions (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = 0 if char == other else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def is_spelling_variant(name: str, other: str) -> bool:
    """Whether two names of one entity are spellings of the same words ("Zelenskyy" and
    "Zelensky", "Kyiv" and "Kiev", "Kim Jong-un" and "Kim Jong Un", "Brasília"), not
    another name for it: an abbreviation ("UK"), a short name ("Healey"), a longer form
    ("Lloyd J. Austin") or a different name ("Britain") is no variant."""
    if normalise(name) == normalise(other) or is_acronym(name) or is_acronym(other):
        return False
    a, b = _letters(name), _letters(other)
    if not a or not b or len(a.split()) != len(b.split()) or a[0] != b[0]:
        return False
    return a == b or _distance(a, b) <= max(2, min(len(a), len(b)) // 5)
