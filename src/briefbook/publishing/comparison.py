"""Two editions compared by their exports: what was added, withdrawn, changed.

The "What changed" page (:mod:`.changes`) compares this edition with the previous one
through what both export (:mod:`.export`): an export is read into a :class:`Snapshot`,
only the parts the page shows (briefings, key judgements, cited sources), and two
snapshots are compared into :class:`Changes`. A key judgement is the same across
editions when it is on the same page with the same text; an edited text is paired with
the most similar unmatched judgement of the same page when they are at least
:data:`SIMILARITY` alike (``difflib``), so a reworded judgement shows as changed, not as
dropped and added. Nothing here needs Sphinx: it is plain data in, plain data out.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefbook.book.briefings import format_date, parse_date
from briefbook.publishing.export import FORMAT, VERSION

#: How alike (``difflib`` ratio, 0–1) an edited key judgement must be to one of the
#: previous edition on the same page to count as that judgement changed.
SIMILARITY = 0.6
CONFIG = "briefbook_previous_export"
HOW_TO = (f"set {CONFIG} in conf.py to the previous edition's briefbook-export.json "
          "(published at the root of its HTML, or made with briefbook export), relative to "
          "the folder of conf.py")


# --- an edition, as far as the page compares it ----------------------------------------------


@dataclass(frozen=True)
class Briefing:
    docname: str
    title: str
    date: str
    author: str


@dataclass(frozen=True)
class Judgement:
    docname: str
    node_id: str
    text: str
    likelihood: str
    confidence: str
    sources: tuple[str, ...]

    @property
    def words(self) -> str:
        """The text as compared: case and spacing do not make a judgement new."""
        return " ".join(self.text.split()).casefold()


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    reliability: str = ""
    status: str = ""
    status_date: str = ""
    status_reason: str = ""


@dataclass(frozen=True)
class Snapshot:
    """What one edition's export says: its briefings (newest first), key judgements by
    page (in page order) and cited sources."""

    name: str
    as_of: str
    release: str
    briefings: dict[str, Briefing]
    judgements: dict[str, list[Judgement]]
    sources: dict[str, Source]

    def described(self) -> str:
        """``the previous edition (Edition 1, as of 10 March 2025)``."""
        day = parse_date(self.as_of) if self.as_of else None
        parts = [p for p in (self.name, f"as of {format_date(day)}" if day else "") if p]
        return "the previous edition" + (f" ({', '.join(parts)})" if parts else "")


class ExportError(ValueError):
    """The previous export cannot be used: ``code`` (BB603–BB605), ``line`` (or 0), and
    ``member``, the member of the document at fault (its line is the one to report)."""

    def __init__(self, code: str, message: str, line: int = 0, member: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.member = member


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return "" if value is None else str(value)


def _records(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ExportError("BB605", f"its '{name}' is not a list: it is not a {FORMAT} "
                                   f"document this version reads", member=name)
    return [item for item in value if isinstance(item, dict)]


def snapshot(data: Any) -> Snapshot:
    """The parts of an export the page compares; :class:`ExportError` (BB605) when it is
    not an export of a version this one reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError("BB605", f"it is not a briefbook export (no \"format\": \"{FORMAT}\")",
                          member="format")
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        raise ExportError("BB605", f"it was made by briefbook export version {version}; this "
                                   f"version reads {VERSION}", member="version")
    found = data.get("edition")
    edition: dict[str, Any] = found if isinstance(found, dict) else {}
    briefings = {_text(b, "docname"): Briefing(_text(b, "docname"), _text(b, "title"),
                                               _text(b, "date"), _text(b, "author"))
                 for b in _records(data, "briefings") if _text(b, "docname")}
    judgements: dict[str, list[Judgement]] = {}
    for claim in _records(data, "claims"):
        if claim.get("key") is not True or not _text(claim, "docname"):
            continue
        keys = claim.get("sources")
        cited: list[Any] = keys if isinstance(keys, list) else []
        judgements.setdefault(_text(claim, "docname"), []).append(Judgement(
            _text(claim, "docname"), _text(claim, "node_id"), " ".join(_text(claim, "text").split()),
            _text(claim, "likelihood"), _text(claim, "confidence"),
            tuple(str(k) for k in cited)))
    sources = {_text(s, "key"): Source(_text(s, "key"), _text(s, "label") or _text(s, "key"),
                                       _text(s, "reliability"), _text(s, "status"),
                                       _text(s, "status_date"), _text(s, "status_reason"))
               for s in _records(data, "sources") if _text(s, "key")}
    return Snapshot(_text(edition, "name"), _text(edition, "as_of"), _text(edition, "release"),
                    briefings, judgements, sources)


def _line_of(text: str, key: str) -> int:
    """The line of the document's first member named ``key`` (0: none)."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text) if key else None
    return text.count("\n", 0, match.start()) + 1 if match else 0


def load(path: Path) -> Snapshot:
    """Read a previous export; :class:`ExportError` says what is wrong with it."""
    if not path.is_file():
        raise ExportError("BB603", f"{CONFIG} names a file that does not exist: {HOW_TO}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError("BB604", f"the previous edition's export is not valid JSON: it is "
                                   f"not UTF-8 (byte {exc.start})") from exc
    except OSError as exc:
        raise ExportError("BB603", f"the previous edition's export cannot be read: "
                                   f"{exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError("BB604", f"the previous edition's export is not valid JSON: "
                                   f"{exc.msg} (line {exc.lineno}, column {exc.colno})",
                          exc.lineno) from exc
    try:
        return snapshot(data)
    except ExportError as exc:
        raise ExportError(exc.code, f"the previous edition's export cannot be compared: {exc}",
                          _line_of(text, exc.member)) from None


# --- comparing two editions ------------------------------------------------------------------


@dataclass
class Changes:
    added: list[Briefing] = field(default_factory=list)
    withdrawn: list[Briefing] = field(default_factory=list)
    changed: list[tuple[Judgement, Judgement]] = field(default_factory=list)
    new: list[Judgement] = field(default_factory=list)
    dropped: list[Judgement] = field(default_factory=list)
    cited: list[Source] = field(default_factory=list)
    uncited: list[Source] = field(default_factory=list)
    reassessed: list[tuple[Source, Source]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.added, self.withdrawn, self.changed, self.new, self.dropped,
                    self.cited, self.uncited, self.reassessed))


def pair(before: list[Judgement], after: list[Judgement], threshold: float = SIMILARITY,
         ) -> tuple[list[tuple[Judgement, Judgement]], list[Judgement], list[Judgement]]:
    """Match one page's key judgements across editions: same text first, then the most
    alike of the rest (at least ``threshold``). Returns the pairs (before, after), the
    dropped and the added, each in page order."""
    matched: dict[int, int] = {}  # after index -> before index
    free = list(range(len(before)))
    for j, judgement in enumerate(after):
        same = next((i for i in free if before[i].words == judgement.words), None)
        if same is not None:
            matched[j] = same
            free.remove(same)
    candidates = []
    for j, judgement in enumerate(after):
        if j in matched:
            continue
        for i in free:
            matcher = difflib.SequenceMatcher(None, before[i].words, judgement.words)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    candidates.append((-ratio, i, j))
    taken: set[int] = set()
    for _, i, j in sorted(candidates):
        if j not in matched and i not in taken:
            matched[j] = i
            taken.add(i)
    used = set(matched.values())
    pairs = [(before[matched[j]], after[j]) for j in sorted(matched)]
    return (pairs, [b for i, b in enumerate(before) if i not in used],
            [a for j, a in enumerate(after) if j not in matched])


def differs(old: Judgement, new: Judgement) -> bool:
    return (old.words != new.words or old.likelihood != new.likelihood
            or old.confidence != new.confidence or old.sources != new.sources)


def compare(before: Snapshot, after: Snapshot) -> Changes:
    """Everything that changed from ``before`` to ``after``."""
    changes = Changes()
    changes.added = [b for d, b in after.briefings.items() if d not in before.briefings]
    changes.withdrawn = [b for d, b in before.briefings.items() if d not in after.briefings]
    moved = {b.docname for b in changes.added} | {b.docname for b in changes.withdrawn}
    order = {docname: n for n, docname in enumerate(after.briefings)}
    pages = sorted((set(before.judgements) | set(after.judgements)) - moved,
                   key=lambda d: (order.get(d, len(order)), d))
    for docname in pages:
        pairs, dropped, new = pair(before.judgements.get(docname, []),
                                   after.judgements.get(docname, []))
        changes.changed.extend((old, now) for old, now in pairs if differs(old, now))
        changes.dropped.extend(dropped)
        changes.new.extend(new)

    def by_label(source: Source) -> tuple[str, str]:
        return (source.label.casefold(), source.key)

    changes.cited = sorted((s for k, s in after.sources.items() if k not in before.sources),
                           key=by_label)
    changes.uncited = sorted((s for k, s in before.sources.items() if k not in after.sources),
                             key=by_label)
    changes.reassessed = sorted(
        ((before.sources[k], s) for k, s in after.sources.items() if k in before.sources
         and (before.sources[k].reliability, before.sources[k].status)
         != (s.reliability, s.status)), key=lambda p: by_label(p[1]))
    return changes
