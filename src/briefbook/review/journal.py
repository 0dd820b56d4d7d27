"""Undo for review decisions: what each decision found in the files it wrote.

Before a decision writes anything it appends one line to the journal
(``.briefbook/review-journal.jsonl`` at the book's root): for each file it touches, the
file's previous bytes (or that it did not exist) and the SHA-256 of what the decision
writes there (or that it deletes it).  Undo puts the previous bytes back only while every
file still holds exactly what the decision wrote: an edit made since would be lost, so
undo then stops, names the file and changes nothing.  The journal keeps the last
:data:`KEEP` decisions; it is the analyst's local history, not part of the book.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefbook.book.atomic import PartlyWrittenError, atomic_write, atomic_write_all, describe
from briefbook.review.model import ReviewError

#: How many decisions undo can go back.
KEEP = 200


@dataclass(frozen=True)
class Entry:
    """One decision: its message and, per file (relative to the root), before and after."""

    message: str
    time: str
    files: list[dict[str, Any]]


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _pack(data: bytes | None) -> str | None:
    return base64.b64encode(zlib.compress(data, 9)).decode("ascii") if data is not None else None


def _unpack(text: str | None) -> bytes | None:
    return zlib.decompress(base64.b64decode(text)) if text is not None else None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
        return
    atomic_write(path, data.decode("utf-8"))


class Journal:
    """The journal file of one book; ``root`` is where the paths it records start."""

    def __init__(self, root: Path, path: Path) -> None:
        self.root = root
        self.path = path

    def entries(self) -> list[Entry]:
        if not self.path.exists():
            return []
        entries = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                entries.append(Entry(str(data["message"]), str(data["time"]), list(data["files"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise ReviewError(f"{self.path}:{number}: not a journal entry ({exc}); "
                                  "undo cannot trust this file") from exc
        return entries

    def _save(self, entries: list[Entry]) -> None:
        lines = [json.dumps({"message": e.message, "time": e.time, "files": e.files},
                            ensure_ascii=False) for e in entries[-KEEP:]]
        atomic_write(self.path, "".join(line + "\n" for line in lines))

    def _name(self, path: Path) -> str:
        """The path relative to the root (a registry kept outside the book: absolute)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def apply(self, message: str, writes: dict[Path, str | None]) -> list[Path]:
        """Record, then write ``writes`` (text, or None to delete); return the files changed.

        Every file is UTF-8 text written through :func:`briefbook.book.atomic.atomic_write`.
        When a write fails half-way, the files already written are put back and the
        entry is dropped, so the book is as it was before the decision.
        """
        before = {path: _read(path) for path in writes}
        changed = {path: text for path, text in writes.items()
                   if (text.encode("utf-8") if text is not None else None) != before[path]}
        if not changed:
            return []
        files = [{"path": self._name(path),
                  "before": _pack(before[path]),
                  "after": _digest(text.encode("utf-8") if text is not None else None)}
                 for path, text in changed.items()]
        entries = self.entries()
        entry = Entry(message, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), files)
        self._save([*entries, entry])
        # Every new text is written in full before any replaces its file (a full disk
        # fails there, with nothing replaced); renames and deletions need no room.
        done: list[Path] = []
        texts = {path: text for path, text in changed.items() if text is not None}
        try:
            atomic_write_all(texts)
            done.extend(texts)
            for path, text in changed.items():
                if text is None:
                    path.unlink(missing_ok=True)
                    done.append(path)
        except OSError as exc:
            if isinstance(exc, PartlyWrittenError):
                done = list(exc.committed)
            for path in done:
                _write(path, before[path])
            self._save(entries)
            raise ReviewError(f"{describe(exc)}; nothing was changed") from exc
        return list(changed)

    def undo(self) -> Entry | None:
        """Put back the files of the last decision; None when there is nothing to undo."""
        entries = self.entries()
        if not entries:
            return None
        last = entries[-1]
        for record in last.files:
            path = self.root / record["path"]
            current = _read(path)
            if _digest(current) != record["after"]:
                state = ("was created again" if record["after"] is None
                         else "was deleted" if current is None else "was edited")
                raise ReviewError(
                    f"{path}: {state} since the decision \"{last.message}\"; undoing it would lose "
                    "that change, so nothing was undone (put the file back as the decision "
                    "left it, or make the change by hand)")
        for record in last.files:
            _write(self.root / record["path"], _unpack(record["before"]))
        self._save(entries[:-1])
        return last
