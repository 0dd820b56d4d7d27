"""The edit behind the benchmark's incremental-rebuild step, and how to undo it.

An incremental rebuild is measured after one realistic change: an article newly names
an entity, so that entity's glossary entry must gain a backlink.  :func:`add_mention`
makes that change in a generated book, reading what it needs from the book's files and
``manifest.json`` (the runner holds no model, only the book on disk), and
:meth:`Edit.restore` puts the article back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefbook.benchmark.model import REGISTRY_FILES, ROLE_FOR_KIND


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
    role = ROLE_FOR_KIND[kind]
    addition = (f"\nA late correction adds that {{{role}}}`{name}` was also briefed on the "
                f"talks.\n")
    path.write_bytes(original + addition.encode("utf-8"))
    return Edit(path, target["docname"], entity_id, kind, original)


def _read_registry_names(folder: Path) -> list[tuple[str, str, str]]:
    """(id, kind, name) of every entity, from the generated files (cheap, no validation)."""
    found = []
    for kind, name in REGISTRY_FILES.items():
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or []
        found += [(entry["id"], kind, entry["name"]) for entry in data]
    return found
