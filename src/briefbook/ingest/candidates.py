"""New-entity candidates: recognised names the registry lacks, counted and typed.

Recognition itself lives in :mod:`.recognition`; this module decides which recognised
names are worth an editor's review: not already a registry name, not covered by a linked
mention, one entry per name with how often the article uses it, and for places the
gazetteer's coordinates so an accepted stub can go straight on the map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from briefbook.ingest import gazetteer
from briefbook.ingest.model import Candidate, Mention
from briefbook.ingest.recognition import Name


def find_candidates(names: Sequence[Name], mentions: Sequence[Mention], known: set[str],
                    byline: str = "") -> list[Candidate]:
    """Names not in the registry, most frequent first.

    ``known`` holds the case-folded names and aliases the registry already has; a name
    overlapping a linked mention is the registry's, whatever the recogniser thought.
    ``byline`` is the article's author, a person the text itself may never name.
    """
    covered: dict[int, list[tuple[int, int]]] = {}
    for mention in mentions:
        covered.setdefault(mention.paragraph, []).append((mention.start, mention.end))
    counts: Counter[tuple[str, str]] = Counter()
    cues: dict[tuple[str, str], str] = {}
    for name in names:
        if name.text.casefold() in known or any(
                s < name.end and name.start < e for s, e in covered.get(name.paragraph, ())):
            continue
        text = name.text.title() if name.text.isupper() and name.cue == "transcript label" \
            else name.text
        counts[(text, name.type)] += 1
        cues.setdefault((text, name.type), name.cue)
    for author in _byline_people(byline):
        if author.casefold() not in known:
            counts[(author, "person")] += 1
            cues.setdefault((author, "person"), "byline")
    _fold_family_names(counts)
    places = gazetteer.places()
    result: list[Candidate] = []
    for (text, kind), count in counts.items():
        place = places.get(text) if kind == "place" else None
        result.append(Candidate(text, kind, count, cues[(text, kind)],
                                place.coordinates if place else None,
                                place.kind if place else ""))
    return sorted(result, key=lambda c: (-c.count, c.text, c.type))


def _fold_family_names(counts: Counter[tuple[str, str]]) -> None:
    """Count "Kim" with "Kim Yong-hyun" when the article names one person so: an editor
    reviews one candidate per person, not one per way of writing them."""
    people = [text for text, kind in counts if kind == "person" and " " in text]
    for text, kind in list(counts):
        if kind != "person" or " " in text:
            continue
        owners = [p for p in people
                  if text.casefold() in (p.split()[0].casefold(), p.split()[-1].casefold())]
        if len(owners) == 1:
            counts[(owners[0], "person")] += counts.pop((text, kind))


def _byline_people(byline: str) -> list[str]:
    """The people of a byline ("Jim Garamone and Jane Doe"); organisations are not people."""
    if not byline or any(word in byline for word in ("News", "Office", "Staff", "Agency",
                                                     "Department", "Ministry", "Press",
                                                     "Service", "Desk", "Team")):
        return []
    out = []
    for part in byline.replace(" and ", ",").replace("&", ",").split(","):
        words = part.split()
        if 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
            out.append(" ".join(words))
    return out
