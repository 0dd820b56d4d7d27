"""``--add-candidates``: append unreviewed stubs to the registry files.

The registry is hand-curated YAML with comments, so it is never re-dumped: stubs are
appended as text (one ``- id:`` item each, ``unreviewed: true`` so ``briefbook check``
lists them), the result is parsed again before it replaces the file, and the file is
replaced atomically.  Existing entries are never touched, and a name the registry
already knows is never added.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import yaml

from briefbook.atomic import atomic_write
from briefbook.ingest.model import Candidate
from briefbook.registry import FILES, EntityKind, Registry, normalise


def candidate_id(name: str, taken: set[str]) -> str:
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "entity"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def stub(candidate: Candidate, entity_id: str, origin: str) -> dict[str, object]:
    entry: dict[str, object] = {"id": entity_id, "name": candidate.text}
    if candidate.type == "place":
        if candidate.place_kind in ("country", "city"):
            entry["kind"] = candidate.place_kind
        if candidate.coordinates is not None:
            entry["coordinates"] = [round(candidate.coordinates[0], 5),
                                    round(candidate.coordinates[1], 5)]
    entry["description"] = f"Candidate found by briefbook ingest in {origin} ({candidate.cue})."
    entry["unreviewed"] = True
    return entry


#: Cues that make a name worth an editor's time even when the batch names it once: a
#: title or a transcript label before a person, the gazetteer, an organisation word.
STRONG_CUES = frozenset({
    "title", "transcript label", "organisation word", "ship", "government", "institution",
    "national body", "feature word", "dateline", "code list", "acronym defined", "byline",
    "family name",
})


def worth_a_stub(candidate: Candidate, mentions_in_batch: int) -> bool:
    """A model's one-off guess ("Patriot", "Humanitarian Aid") would fill the registry
    with hundreds of stubs to delete; a name the batch uses twice, or one a rule vouches
    for, is worth reviewing."""
    return (mentions_in_batch >= 2 or candidate.cue in STRONG_CUES
            or candidate.cue.startswith("gazetteer"))


def append_stubs(registry: Registry, candidates: Iterable[tuple[Candidate, str]]) -> int:
    """Append stubs for ``(candidate, origin file)`` pairs worth one (see
    :func:`worth_a_stub`); return how many were added."""
    folder = Path(registry.folder)
    taken = {e.id for e in registry}
    known = {normalise(n) for e in registry for n in e.all_names}
    by_file: dict[Path, list[dict[str, object]]] = {}
    candidates = list(candidates)
    counts: dict[tuple[str, str], int] = {}
    for candidate, _ in candidates:
        key = (normalise(candidate.text), candidate.type)
        counts[key] = counts.get(key, 0) + candidate.count
    for candidate, origin in candidates:
        if candidate.type not in FILES or normalise(candidate.text) in known:
            continue
        if not worth_a_stub(candidate, counts[(normalise(candidate.text), candidate.type)]):
            continue
        known.add(normalise(candidate.text))
        entity_id = candidate_id(candidate.text, taken)
        taken.add(entity_id)
        kind = cast(EntityKind, candidate.type)
        by_file.setdefault(folder / FILES[kind], []).append(
            stub(candidate, entity_id, origin))
    added = 0
    for path, entries in by_file.items():
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if text.strip() in ("", "[]"):
            text = ""
        elif not text.endswith("\n"):
            text += "\n"
        block = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=10_000)
        header = (f"\n# Candidates added by briefbook ingest on {dt.date.today().isoformat()}: "
                  "review, complete or delete (unreviewed: true until then).\n")
        new = text + header + block
        parsed = yaml.safe_load(new)
        if not isinstance(parsed, list):
            raise ValueError(f"{path}: not a YAML list of entries; stubs not appended")
        atomic_write(path, new)
        added += len(entries)
    return added
