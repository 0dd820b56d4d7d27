"""What review and ingest remember between runs, kept in the registry folder.

``conf/entities/review.yaml`` sits beside the three registry files (the registry
loader reads only those) and is owned by briefbook: ingest records there why it proposed
each name and which names it found but did not think worth a stub; review records the
names an editor rejected, so that a rejected name never comes back on a later ingest.
Keeping this out of the registry entries keeps the registry the editor's own text.

The file is YAML so an editor can read it and take a rejection back by deleting a line;
it is replaced atomically, and a malformed file is an error naming the file and line,
never silently reset (that would bring every rejected name back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from briefbook.book.atomic import atomic_write
from briefbook.entities.registry import KINDS, normalise

STATE_FILE = "review.yaml"

_HEADER = (
    "# Written by briefbook ingest and briefbook review; safe to read, careful to edit.\n"
    "# rejected: names an editor rejected; ingest never proposes them again (delete a line to\n"
    "#   take a rejection back). proposals: why ingest proposed each name, for the review queue.\n"
)


class ReviewStateError(ValueError):
    """``review.yaml`` cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Rejected:
    """A name an editor rejected (``kind`` "" means: under any kind)."""

    name: str
    kind: str = ""
    date: str = ""


@dataclass
class Proposal:
    """Why ingest proposed a name: the cue, how often and where, and what it knows.

    ``stub_id`` is the registry stub written for it, None for a candidate the batch left
    (named once, no rule vouching for it). ``forms`` are the other ways the batch wrote
    the same entity (they became the stub's aliases). ``role`` is the title an article
    gave a person ("Defence Secretary"), with ``role_date`` the article's date.
    """

    name: str
    kind: str
    cue: str = ""
    count: int = 0
    articles: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    stub_id: str | None = None
    role: str = ""
    role_date: str = ""


@dataclass
class ReviewState:
    """The contents of ``review.yaml``; :meth:`load` and :meth:`save` round-trip it."""

    rejected: list[Rejected] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)

    # --- rejected names -----------------------------------------------------------------

    def is_rejected(self, name: str, kind: str = "") -> bool:
        """Whether ``name`` (of ``kind``, or of any kind) was rejected; compared as the
        registry compares names (case and spacing do not matter)."""
        key = normalise(name)
        return any(normalise(r.name) == key and (not r.kind or not kind or r.kind == kind)
                   for r in self.rejected)

    def reject(self, name: str, kind: str = "", when: dt.date | None = None) -> None:
        if not self.is_rejected(name, kind):
            self.rejected.append(Rejected(name, kind, (when or dt.date.today()).isoformat()))

    def unreject(self, name: str, kind: str = "") -> None:
        key = normalise(name)
        self.rejected = [r for r in self.rejected
                         if not (normalise(r.name) == key and (not kind or r.kind in ("", kind)))]

    # --- proposals ----------------------------------------------------------------------

    def proposal_for(self, stub_id: str) -> Proposal | None:
        return next((p for p in self.proposals if p.stub_id == stub_id), None)

    def record(self, proposal: Proposal) -> None:
        """Add ``proposal``, or fold it into the one for the same stub or name and kind."""
        for known in self.proposals:
            same = (proposal.stub_id and known.stub_id == proposal.stub_id) or (
                known.kind == proposal.kind and normalise(known.name) == normalise(proposal.name))
            if same:
                known.count += proposal.count
                known.articles += [a for a in proposal.articles if a not in known.articles]
                known.forms += [f for f in proposal.forms if f not in known.forms]
                known.stub_id = known.stub_id or proposal.stub_id
                known.role = known.role or proposal.role
                known.role_date = known.role_date or proposal.role_date
                known.cue = known.cue or proposal.cue
                return
        self.proposals.append(proposal)

    def forget(self, stub_id: str | None = None, name: str = "", kind: str = "") -> None:
        """Drop the proposal for a stub (or a bare candidate) once it is decided."""
        key = normalise(name)
        self.proposals = [
            p for p in self.proposals
            if not ((stub_id and p.stub_id == stub_id)
                    or (name and normalise(p.name) == key and (not kind or p.kind == kind)))]

    # --- file ---------------------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path) -> ReviewState:
        path = Path(folder) / STATE_FILE
        if not path.exists():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            raise ReviewStateError(f"{path}{line}: not valid YAML ({exc})") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ReviewStateError(f"{path}: cannot be read ({exc})") from exc
        if not isinstance(data, dict):
            raise ReviewStateError(f"{path}:1: expected a mapping with 'rejected' and 'proposals'")
        state = cls()
        for item in _list(data, "rejected", path):
            state.rejected.append(Rejected(**_fields(item, Rejected, path, "rejected")))
        for item in _list(data, "proposals", path):
            values = _fields(item, Proposal, path, "proposals")
            values["articles"] = [str(a) for a in values.get("articles") or []]
            values["forms"] = [str(f) for f in values.get("forms") or []]
            state.proposals.append(Proposal(**values))
        return state

    def dumps(self) -> str:
        """The text :meth:`save` writes (review writes it with the registry, in one step)."""
        data: dict[str, Any] = {
            "rejected": [{k: v for k, v in asdict(r).items() if v} for r in self.rejected],
            "proposals": [{k: v for k, v in asdict(p).items() if v not in ("", None, [], 0)}
                          for p in self.proposals],
        }
        return _HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

    def save(self, folder: Path) -> None:
        atomic_write(Path(folder) / STATE_FILE, self.dumps())


def _list(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReviewStateError(f"{path}: '{key}' must be a list of mappings")
    return items


def _fields(item: dict[str, Any], record: type, path: Path, where: str) -> dict[str, Any]:
    allowed = {f.name for f in fields(record)}
    unknown = set(item) - allowed
    if unknown:
        raise ReviewStateError(f"{path}: {where}: unknown field(s) {', '.join(sorted(unknown))}")
    if "name" not in item or not str(item["name"]).strip():
        raise ReviewStateError(f"{path}: {where}: an entry has no 'name'")
    kind = str(item.get("kind") or "")
    if kind and kind not in KINDS:
        raise ReviewStateError(f"{path}: {where}: kind '{kind}' is not one of {', '.join(KINDS)}")
    return {k: (str(v) if k in ("name", "kind", "cue", "role", "role_date", "date", "stub_id")
                and v is not None else v) for k, v in item.items()}
