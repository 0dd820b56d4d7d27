"""One entity, many spellings: the key under which variants of a name meet.

A batch of articles writes one country as "United Kingdom", "UK", "U.K." and "Britain",
and one person as "Defence Secretary John Healey", "John Healey" and "Healey".  Review
should see one decision for each entity, and ingest should write one stub for it, so
both ask this module for a name's key.  Knowledge is offline only: the gazetteer's
country names and codes, abbreviations without their dots, titles before names.
"""

from __future__ import annotations

import re
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
