"""The ingest journal: what each article of a run is about to write, so that a run
interrupted half-way through an article is completed by the next one.

An article is written as three things: its page, its entry in ``sources.bib``, and
(with ``--add-candidates``) the registry stubs of the names it proposes, which are
planned over the whole batch and so written only at its end.  A run killed between them
used to leave pages whose stubs no later run would add (the article is known by then,
and skipped), or an entry whose page was never written.  So before any of an article is
written ingest records it here, in ``.briefbook/journal/<key>.json`` beside
``sources.bib``: the page as rendered and where it goes, the entry, and the names it
proposes.  The bibliography entry is the point of no return:

* killed before the entry is appended, nothing of the article is in the book (its page
  was still a temporary file): the next run drops the record, and ingests the article
  afresh when it is given again;
* killed after it, the next run completes the article: it writes the page if it is
  missing, and adds the proposed names' stubs together with its own batch's.

A record is removed once its names are in the registry (at once when none were asked
for).  The journal is the run's scratch, not the book's history: ``init``'s
``.gitignore`` keeps it out of version control.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefbook.book.atomic import atomic_write
from briefbook.ingest.model import BatchArticle, Candidate, Found, IngestError
from briefbook.ingest.update import Book, source_key, target_for

#: The journal's folder, beside ``sources.bib`` (with ingest's other records).
FOLDER = Path(".briefbook") / "journal"
VERSION = 1


@dataclass
class Pending:
    """One article a run began to write."""

    key: str
    content: str  # the article's ``ingested-content`` hash: the entry that is its own
    seq: int = field(default_factory=time.time_ns)  # the batch's order, for the stubs
    page: str = ""  # where the page goes, relative to the journal's book ("" for none)
    text: str = ""  # the page as rendered
    entry: str = ""  # the bibliography entry to append ("" when it was there already)
    article: str = ""  # the input file's name, as stubs name it
    date: str = ""  # the article's date (ISO), for the roles of its people
    paragraphs: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def found(self) -> list[Found]:
        """The names the article proposes, as the batch's stubs take them."""
        day = dt.date.fromisoformat(self.date) if self.date else None
        return [Found(_candidate(item), self.article, day) for item in self.candidates]

    @property
    def batch_article(self) -> BatchArticle:
        day = dt.date.fromisoformat(self.date) if self.date else None
        return BatchArticle(self.article, day, list(self.paragraphs))


def _candidate(item: dict[str, Any]) -> Candidate:
    values = dict(item)
    for name in ("forms", "titles", "other_titles"):
        values[name] = tuple(values.get(name) or ())
    if values.get("coordinates") is not None:
        values["coordinates"] = tuple(values["coordinates"])
    return Candidate(**values)


def candidates_of(found: list[Found]) -> list[dict[str, Any]]:
    return [asdict(item.candidate) for item in found]


class Journal:
    """The records of one book (the folder of its ``sources.bib``)."""

    def __init__(self, bib: Path) -> None:
        self.base = bib.resolve().parent
        self.folder = self.base / FOLDER

    def _path(self, key: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key).lstrip(".") or "_"
        if safe != key:
            safe += "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
        return self.folder / f"{safe}.json"

    def page_path(self, record: Pending) -> Path | None:
        return self.base / record.page if record.page else None

    def relative(self, page: Path) -> str:
        return os.path.relpath(page.resolve(), self.base)

    def begin(self, record: Pending) -> None:
        """Record ``record`` before anything of its article is written."""
        data = {"version": VERSION, **asdict(record)}
        atomic_write(self._path(record.key), json.dumps(data, ensure_ascii=False) + "\n")

    def done(self, key: str) -> None:
        """The article is whole: forget it."""
        self._path(key).unlink(missing_ok=True)

    def records(self) -> Iterator[tuple[Path, Pending | None]]:
        """Every record, in the order its run began them (None: a file that is no
        record, such as one cut short on a full disk)."""
        try:
            files = sorted(p for p in self.folder.iterdir() if p.suffix == ".json")
        except OSError:
            return
        found: list[tuple[int, Path, Pending | None]] = []
        for path in files:
            record = _load(path)
            found.append((record.seq if record else 0, path, record))
        for _, path, record in sorted(found, key=lambda item: (item[0], str(item[1]))):
            yield path, record


def _load(path: Path) -> Pending | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.pop("version", None) != VERSION:
        return None
    try:
        record = Pending(**data)
        for item in record.candidates:
            _candidate(item)
    except (TypeError, ValueError):
        return None
    return record


# --- completing an interrupted run ---------------------------------------------------------


@dataclass
class Recovery:
    """What a run took over from an interrupted one (see :mod:`.journal`)."""

    lines: list[str] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    batch: list[BatchArticle] = field(default_factory=list)
    #: Records whose names go with this batch's stubs: done once those are written.
    keys: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def complete_interrupted(journal: Journal, book: Book, can_stub: bool) -> Recovery:
    """Complete every article an interrupted run had taken past its point of no return
    (its bibliography entry), and forget those it had not; see :mod:`.journal`.

    ``can_stub``: this run can add stubs to the registry (else the records that propose
    names are kept for one that can)."""
    recovery = Recovery()
    entries = {record.key: record for record in book.records()}
    for path, pending in journal.records():
        if pending is None:
            path.unlink(missing_ok=True)
            continue
        entry = entries.get(pending.key)
        if entry is None or (entry.content and pending.content
                             and entry.content != pending.content):
            journal.done(pending.key)  # cut short before the book changed: nothing to do
            continue
        target = journal.page_path(pending)
        if target is not None and pending.text and not (
                target.exists() and source_key(target) == pending.key):
            try:
                target = target_for(target, pending.key, False, str(target))
                atomic_write(target, pending.text)
            except IngestError as exc:
                recovery.problems.append(f"{exc}; the interrupted ingest of {pending.article} "
                                         "could not be completed")
                journal.done(pending.key)
                continue
            book.pages.moved(pending.key, None, target)
            recovery.lines.append(f"wrote {_shown(target)} (source key {pending.key}), "
                                  "which an interrupted run had not")
        if pending.text and pending.entry and book.bases.page(pending.key) is None:
            book.bases.save(pending.key, pending.text, pending.entry)
        if not pending.candidates:
            journal.done(pending.key)
        elif can_stub:
            recovery.found.extend(pending.found)
            recovery.batch.append(pending.batch_article)
            recovery.keys.append(pending.key)
            recovery.lines.append(f"the names {pending.article} proposes (source key "
                                  f"{pending.key}) go with this batch's: an interrupted run "
                                  "had not finished adding them")
    return recovery


def _shown(path: Path) -> Path:
    """``path`` as the user gave the book: relative to the working folder when in it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (OSError, ValueError):
        return path
