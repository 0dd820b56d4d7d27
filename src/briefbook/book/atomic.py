"""Writing a file so that a reader never sees half of it, and never over a read-only one.

A crash or a full disk mid-write must leave the old file whole: users' pages, the bib
file and build caches are all written through a temporary file in the same folder,
then renamed over the target (a rename within one file system is atomic).

Two things a plain rename gets wrong are handled here:

* a rename ignores the target's mode, so a file the user made read-only (``chmod 444
  sources.bib``) would be silently replaced: :func:`stage` refuses it first
  (:class:`ReadOnlyFileError`), judging by the mode bits when running as root, whom
  ``access(2)`` lets write anything;
* the error of a failed write (a full disk, a read-only file system) names the temporary
  file or nothing at all: every :class:`OSError` raised from here names the file the
  caller asked for (or its folder), so the message a user sees names the right one.

Several files that only make sense together (the registry files and ``review.yaml`` a
batch of stubs touches) go through :func:`atomic_write_all`: all are written to
temporary files before any is renamed, so a full disk stops the batch with nothing
replaced.  A run killed between writing a temporary file and renaming it leaves
``.<name>.<8 characters>.tmp`` behind; the command that writes there next removes those
(:func:`remove_temporaries`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

#: The name of a temporary file :func:`stage` makes (``tempfile.mkstemp``'s eight
#: characters between the file's own name and ``.tmp``): the only files cleaned up.
TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


class ReadOnlyFileError(PermissionError):
    """A file its owner made read-only: briefbook never replaces it."""


class PartlyWrittenError(OSError):
    """:func:`atomic_write_all` replaced some files and then failed; ``committed`` are
    the ones replaced (the others are as they were)."""

    def __init__(self, cause: OSError, committed: list[Path]) -> None:
        super().__init__(cause.errno, cause.strerror, cause.filename)
        self.committed = committed


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` again, naming ``path`` (the file the caller meant, not a temporary one)."""
    if isinstance(exc, ReadOnlyFileError):
        return exc
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


def is_read_only(path: Path) -> bool:
    """Whether ``path`` is an existing file its owner made read-only.

    As root ``access(2)`` allows every write, so there the mode bits decide: a file no
    one may write (``444``) is read-only to briefbook too."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    return not os.access(path, os.W_OK)


def check_writable(path: Path) -> None:
    """Raise :class:`ReadOnlyFileError` for a read-only ``path`` (see :func:`is_read_only`)."""
    if is_read_only(path):
        raise ReadOnlyFileError(errno.EACCES, "the file is read-only (make it writable, "
                                "chmod u+w, to let briefbook change it)", str(path))


@dataclass
class Staged:
    """A file's new content, written in full beside it and not yet renamed over it."""

    path: Path
    temporary: Path

    def commit(self) -> None:
        """Rename the new content over the file (atomic: readers see old or new)."""
        try:
            self.temporary.replace(self.path)
        except OSError as exc:
            self.discard()
            raise _naming(exc, self.path) from None

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


def stage(path: Path, text: str) -> Staged:
    """Write ``text`` to a temporary file beside ``path``, keeping ``path``'s mode.

    Everything that can fail for want of room or rights fails here, before the file is
    touched; :meth:`Staged.commit` only renames."""
    check_writable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _naming(exc, path.parent) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        # A folder that takes no new file is named; otherwise (a full disk) the file.
        refused = exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        raise _naming(exc, path.parent if refused else path) from None
    temporary = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        temporary.chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o644)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _naming(exc, path) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Staged(path, temporary)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    stage(path, text).commit()


def atomic_write_all(files: Mapping[Path, str]) -> None:
    """Write several files all or none: every one is written in full before any is
    renamed over its target, in the order given.  Raises the first error; when a rename
    fails after others succeeded (not for want of room: renames need none),
    :class:`PartlyWrittenError` says which files were replaced."""
    staged: list[Staged] = []
    try:
        for path, text in files.items():
            staged.append(stage(path, text))
    except BaseException:
        for item in staged:
            item.discard()
        raise
    committed: list[Path] = []
    for number, item in enumerate(staged):
        try:
            item.commit()
        except OSError as exc:
            for rest in staged[number + 1:]:
                rest.discard()
            if committed:
                raise PartlyWrittenError(exc, committed) from None
            raise
        committed.append(item.path)


def temporaries(folder: Path, before: float) -> list[Path]:
    """The temporary files :func:`stage` left in ``folder`` (not below it) that were
    last written before ``before`` (a time): left by a run that was killed."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not TEMPORARY.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < before:
                found.append(Path(entry.path))
        except OSError:
            continue
    return sorted(found)


def remove_temporaries(folders: Iterable[Path], before: float,
                       only: Callable[[Path], bool] | None = None) -> list[Path]:
    """Remove what :func:`temporaries` finds in ``folders`` (those ``only`` accepts, when
    given: a command cleans the temporaries of its own files); the files removed."""
    removed = []
    for folder in dict.fromkeys(folders):
        for path in temporaries(folder, before):
            if only is not None and not only(path):
                continue
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def describe(exc: OSError) -> str:
    """One line for a failed read or write: ``file: reason``, never a traceback.

    ``shutil.copytree`` gathers every file it failed to copy into one
    :class:`shutil.Error` (thousands of lines on a full disk): the first is named and
    the others counted."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        failures = exc.args[0]
        if failures and isinstance(failures[0], tuple) and len(failures[0]) == 3:
            _, target, why = failures[0]
            more = (f" (and {len(failures) - 1} more files could not be copied)"
                    if len(failures) > 1 else "")
            return f"{target}: {_reason(str(why))}{more}"
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename is not None else reason


def _reason(why: str) -> str:
    """``[Errno 28] No space left on device: '/x'`` → ``No space left on device``."""
    match = re.match(r"^\[Errno \d+\] ([^:]+)", why)
    return match.group(1) if match else why
