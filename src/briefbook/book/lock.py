"""One writer per book: the lock every command that writes a book holds for its whole run.

Two commands writing one book at once lose work: two builds publish a mix of two sites,
two ingests each rewrite the registry from what they read before the other wrote, two
PDF builds write one LaTeX folder.  So every command that writes takes
``<book>/.briefbook/lock`` first (the CLI does it, from one table:
:data:`briefbook.cli.WRITERS`), and holds it until it ends; commands that only read
(``check``, ``review --list``, dry runs) take none.

The lock is ``flock(2)`` on that file, so the operating system releases it when its
holder ends, however it ends (``kill -9`` included): a crashed command never leaves a
stale lock to clear by hand (the file it leaves is taken over by the next command).  The
file exists only while a command holds it, and says who (command, process id, host,
start), which is what a second command shows while it waits::

    briefbook build: waiting for briefbook ingest (pid 4182, started 14:02:11) to finish
    writing /books/ukraine (up to 600 s; --wait SECONDS to change)

It waits up to ``--wait`` seconds (default :data:`DEFAULT_WAIT`, or the
``BRIEFBOOK_WAIT`` environment variable), then stops, having done nothing
(:class:`BookBusyError`, exit code 75).  A team sharing a folder queues its commands this
way: the second ``make html`` builds after the first, never through it.

The lock is the process's: taken again by the same process (a review decision inside a
``briefbook review`` run that holds it) it is simply held once more.  Where the lock
file cannot be made (a read-only book, a file system without locks) the command goes
on unprotected, saying so, unless the file system is read-only (then nothing can write
the book, and there is nothing to protect).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: no flock(2)
    fcntl = None  # type: ignore[assignment]

#: Where the lock is, under the book's root.
LOCK_FILE = Path(".briefbook") / "lock"
#: How long a command waits for another to finish writing the book, by default: long
#: enough for a build or an ingest batch, short enough that a hung one is noticed.
DEFAULT_WAIT = 600.0
ENV_WAIT = "BRIEFBOOK_WAIT"
#: The exit code of a command that stopped because the book stayed busy (sysexits'
#: EX_TEMPFAIL: try again later).
EXIT_BUSY = 75
_POLL = 0.1


class BookBusyError(Exception):
    """Another command held the book's lock for longer than this one would wait."""

    def __init__(self, book: Path, holder: str, waited: float) -> None:
        self.book = book
        self.holder = holder
        self.waited = waited
        after = f" after waiting {waited:g} s" if waited else ""
        super().__init__(f"{book} is busy: {holder} is writing it; stopped{after}, nothing "
                         "done. Run this again when it has finished (--wait SECONDS waits "
                         "longer)")


@dataclass
class Held:
    """The lock as this process holds it."""

    path: Path
    fd: int | None  # None: going on without a lock (see the module's doc)
    depth: int = 1


_held: dict[Path, Held] = {}
_guard = threading.Lock()


def default_wait() -> float:
    """``BRIEFBOOK_WAIT`` when it is a number of seconds, else :data:`DEFAULT_WAIT`."""
    try:
        value = float(os.environ.get(ENV_WAIT, ""))
    except ValueError:
        return DEFAULT_WAIT
    return value if 0 <= value < float("inf") else DEFAULT_WAIT


def held_fds() -> tuple[int, ...]:
    """The descriptors of the locks this process holds, for a child process to inherit
    (``subprocess.run(..., pass_fds=held_fds())``): a lock is held while any process has
    it open, so a Sphinx run that outlives a killed ``briefbook build`` keeps the book
    locked until it ends."""
    with _guard:
        return tuple(h.fd for h in _held.values() if h.fd is not None)


def lock_path(book: Path) -> Path:
    return book.resolve() / LOCK_FILE


def holder(book: Path) -> str:
    """Who holds the lock of ``book``, as the lock file says ("another briefbook
    command" when it says nothing usable, or names a process of this host that is gone)."""
    unknown = "another briefbook command"
    try:
        data = json.loads(lock_path(book).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return unknown
    if not isinstance(data, dict):
        return unknown
    command = str(data.get("command") or "briefbook")
    pid = data.get("pid")
    host = str(data.get("host") or "")
    if not isinstance(pid, int):
        return unknown
    here = host in ("", socket.gethostname())
    if here and not _alive(pid):
        return unknown
    started = str(data.get("started") or "")
    try:
        moment = dt.datetime.fromisoformat(started).astimezone()
        when = (f"{moment:%H:%M:%S}" if moment.date() == dt.datetime.now().astimezone().date()
                else f"{moment:%Y-%m-%d %H:%M}")
    except ValueError:
        when = "at an unknown time"
    where = "" if here else f" on {host}"
    return f"{command} (pid {pid}{where}, started {when})"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: it exists
    return True


def _same_file(fd: int, path: Path) -> bool:
    """Whether the locked ``fd`` is still the file at ``path``: a holder removes the file
    as it releases it, so a lock taken on the removed file is no lock at all."""
    try:
        return os.path.samestat(os.fstat(fd), path.stat())
    except OSError:
        return False


def _open(path: Path) -> tuple[int, bool]:
    """The lock file, opened for writing when possible (to say who holds it); a lock
    file another user made without write rights for us can still be locked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666), True
    except PermissionError:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC), False


def _record(fd: int, command: str) -> None:
    info = {"command": command, "pid": os.getpid(), "host": socket.gethostname(),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8"), 0)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def book_lock(book: Path, command: str, wait: float | None = None,
              say: Callable[[str], None] | None = None) -> Iterator[Held]:
    """Hold the lock of ``book`` for the ``with`` block (see the module's doc).

    ``command`` is how others are told who holds it ("briefbook build"); ``wait`` how
    many seconds to wait for another holder (None: :func:`default_wait`); ``say``
    receives the one-line notes (waiting, or going on without a lock).  Raises
    :class:`BookBusyError` when the book stays busy."""
    path = lock_path(book)
    with _guard:
        held = _held.get(path)
        if held is not None:
            held.depth += 1
    if held is not None:
        try:
            yield held
        finally:
            with _guard:
                held.depth -= 1
        return
    held = _acquire(path, book.resolve(), command, default_wait() if wait is None else wait,
                    say or (lambda _: None))
    with _guard:
        _held[path] = held
    try:
        yield held
    finally:
        with _guard:
            _held.pop(path, None)
        _release(held)


def _acquire(path: Path, book: Path, command: str, wait: float,
             say: Callable[[str], None]) -> Held:
    if fcntl is None:
        say(f"note: cannot lock {book} (no file locks on this system); going on, "
            "unprotected against another command writing it at the same time")
        return Held(path, None)
    try:
        fd, writable = _open(path)
    except OSError as exc:
        if exc.errno != errno.EROFS:
            say(f"note: cannot lock {book} ({path}: {exc.strerror or exc}); going on, "
                "unprotected against another command writing it at the same time")
        return Held(path, None)
    deadline = time.monotonic() + wait
    told = ""
    try:
        while not (_try_lock(fd) and _same_file(fd, path)):
            if _same_file(fd, path):
                who = holder(book)
                if time.monotonic() >= deadline:
                    raise BookBusyError(book, told if who.startswith("another") and told
                                        else who, wait)
                if not told and wait > 0:
                    told = who
                    say(f"waiting for {who} to finish writing {book} (up to {wait:g} s; "
                        "--wait SECONDS to change)")
                time.sleep(min(_POLL, max(0.0, deadline - time.monotonic())))
            else:  # the file was released and removed meanwhile: take the new one
                os.close(fd)
                fd = -1
                fd, writable = _open(path)
    except OSError as exc:  # ENOLCK, EOPNOTSUPP: a file system without locks
        _close(fd)
        say(f"note: cannot lock {book} ({exc.strerror or exc}); going on, unprotected "
            "against another command writing it at the same time")
        return Held(path, None)
    except BaseException:
        _close(fd)
        raise
    if writable:
        _record(fd, command)
    return Held(path, fd)


def _close(fd: int) -> None:
    if fd >= 0:
        with contextlib.suppress(OSError):
            os.close(fd)


def _release(held: Held) -> None:
    if held.fd is None:
        return
    with contextlib.suppress(OSError):
        held.path.unlink()  # before unlocking: see _same_file
    with contextlib.suppress(OSError):
        fcntl.flock(held.fd, fcntl.LOCK_UN)
    os.close(held.fd)


def book_root(start: Path) -> Path | None:
    """The book ``start`` is in: the nearest folder at or above it with ``conf/conf.py``
    or ``conf.py`` (None when there is none)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "conf" / "conf.py").is_file() or (candidate / "conf.py").is_file():
            return candidate
    return None


def is_book(path: Path) -> bool:
    return path.is_dir() and ((path / "conf" / "conf.py").is_file()
                              or (path / "conf.py").is_file())
