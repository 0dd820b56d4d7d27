"""``briefbook sources``: preserve, verify and check the addresses of a book's sources.

The three subcommands work on the bib files a book's ``conf/conf.py`` names in
``bibtex_bibfiles`` (found as ``briefbook check`` finds them), report in the terms of
``briefbook check`` (``file:line:`` relative to the book's root), show their progress on
stderr so that stdout stays the report, and exit 0 when all is well, 1 when a source
failed, 2 for a usage or configuration error.

* ``archive`` captures each entry's ``url`` into a WARC file and records it in the
  entry (:mod:`.archive`);
* ``verify`` checks the preserved copies against what their entries recorded;
* ``links`` asks every address again and says what moved, broke or changed
  (:mod:`.links`).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefbook.book.layout import Book, read_config
from briefbook.sources import fields
from briefbook.sources.archive import (
    BibReadError,
    capture,
    default_folder,
    read_entries,
    record_copy,
    remove_interrupted,
    verify_file,
    write_warc,
)
from briefbook.sources.fetch import CaptureError, abort_fetches
from briefbook.sources.links import LinkReport, check_links, format_json, render_table
from briefbook.sources.validation import valid_url

PROG = "briefbook sources"
#: The commands' defaults: a capture may wait longer than a link check.
ARCHIVE_TIMEOUT = 20.0
ARCHIVE_JOBS = 4
LINK_TIMEOUT = 10.0
LINK_JOBS = 8


class UsageError(Exception):
    """A book that cannot be worked on: no conf.py, no bib file, a bib file unreadable."""


@dataclass(frozen=True)
class Sources:
    """A book's root, its bib files, and how to show a path relative to the root."""

    root: Path
    bibs: list[Path]

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def locate(book: str) -> Sources:
    """The bib files of the book at ``book``, read from its conf.py as ``check`` does."""
    root = Path(book).resolve()
    if not root.is_dir():
        raise UsageError(f"{book} is not a folder")
    if not (root / "conf" / "conf.py").is_file() and not (root / "conf.py").is_file():
        raise UsageError(f"no conf/conf.py under {root}: is this a book's root?")
    found = Book.find(root)
    try:
        config = read_config(found)
    except Exception as exc:  # the user's conf.py, run as Sphinx runs it
        raise UsageError(f"cannot read {found.confdir / 'conf.py'}: {type(exc).__name__}: {exc}") from None
    names = config.get("bibtex_bibfiles") or []
    if isinstance(names, str):
        names = [names]
    bibs = [(found.srcdir / str(name)).resolve() for name in names]
    for path in bibs:
        if not path.is_file():
            print(f"{PROG}: warning: bib file {path} (bibtex_bibfiles in conf.py) not found",
                  file=sys.stderr)
    existing = [path for path in dict.fromkeys(bibs) if path.is_file()]
    if not existing:
        raise UsageError("no bib file: bibtex_bibfiles in conf.py names none that exists")
    return Sources(found.root, existing)


def _entries(sources: Sources) -> list[Any]:
    found = []
    for bib in sources.bibs:
        try:
            found.extend(read_entries(bib))
        except BibReadError as error:
            lines = "\n".join(f"  {sources.rel(bib)}:{p.line}: {p.code} {p.message}"
                              for p in error.problems)
            raise UsageError(f"{sources.rel(bib)} cannot be read:\n{lines}") from None
    return found


def _open(args: argparse.Namespace, action: str) -> tuple[Sources, list[Any]] | None:
    """The book's bib files and entries, or None after saying why (exit code 2)."""
    try:
        sources = locate(args.book)
        return sources, _entries(sources)
    except UsageError as error:
        print(f"{PROG} {action}: {error}", file=sys.stderr)
        return None


def _progress() -> Any:
    # rich is imported when a command runs, not when the parser is built (on every
    # ``briefbook`` run): about 25 ms (python -X importtime).
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=False)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# --- archive ---------------------------------------------------------------------------------


def cmd_archive(args: argparse.Namespace) -> int:
    opened = _open(args, "archive")
    if opened is None:
        return 2
    sources, entries = opened
    wanted = {key.lower(): key for key in args.only or []}
    unknown = set(wanted) - {e.key.lower() for e in entries}
    if unknown:
        names = ", ".join(f"'{wanted[k]}'" for k in sorted(unknown))
        print(f"{PROG} archive: no entry with key {names} in "
              f"{', '.join(sources.rel(b) for b in sources.bibs)}", file=sys.stderr)
        return 2
    into = Path(args.into).resolve() if args.into else None
    _remove_interrupted([into] if into else [default_folder(bib) for bib in sources.bibs],
                        sources)
    tasks = []
    without_url = already = replaced = 0
    skipped: list[str] = []
    for entry in entries:
        if wanted and entry.key.lower() not in wanted:
            continue
        if not entry.url:
            without_url += 1
        elif not valid_url(entry.url):
            skipped.append(f"{sources.rel(entry.bib)}:{entry.line_of('url')}: {entry.key}: "
                           f"not captured: malformed URL '{entry.url}'")
        elif fields.ARCHIVE_FIELD in entry.present and not args.force and _copy_on_disk(entry):
            already += 1
        else:
            # An entry whose recorded copy is gone is captured again (what BB412 advises);
            # a copy on disk, even a damaged one, is replaced only with --force.
            replaced += fields.ARCHIVE_FIELD in entry.present
            tasks.append(entry)

    def work(entry: Any) -> tuple[Any, Path]:
        result = capture(entry.url, args.timeout, args.deadline)
        folder = into or default_folder(entry.bib)
        return result, write_warc(result, folder, entry.key, entry.bib)

    failures: list[tuple[Any, str]] = []
    captured = 0
    with _progress() as progress, ThreadPoolExecutor(max_workers=args.jobs) as pool:
        bar = progress.add_task("Preserving sources", total=len(tasks))
        futures: dict[Future[tuple[Any, Path]], Any] = {pool.submit(work, e): e for e in tasks}
        recorded: set[Future[tuple[Any, Path]]] = set()
        try:
            for future in as_completed(futures):
                entry = futures[future]
                recorded.add(future)
                try:
                    result, warc = future.result()
                    # Only this thread edits the bib files: one edit at a time.
                    record_copy(entry.bib, entry.key, warc, result.moment)
                    captured += 1
                except CaptureError as error:
                    failures.append((entry, error.reason))
                progress.advance(bar)
        except BaseException:  # Ctrl-C: stop the captures under way, keep what is recorded
            for future in futures:
                future.cancel()
            abort_fetches()
            pool.shutdown(wait=True, cancel_futures=True)
            _discard_unrecorded(futures, recorded)
            raise

    for line in skipped:
        print(line)
    for entry, reason in sorted(failures, key=lambda f: (str(f[0].bib), f[0].line)):
        print(f"{sources.rel(entry.bib)}:{entry.line}: {entry.key}: {reason}")
    parts = [f"{captured} captured", f"{len(failures)} failed"]
    if replaced and not args.force:
        parts.append(f"{replaced} of them for a missing preserved copy")
    if already:
        parts.append(f"{already} already preserved (--force captures again)")
    if without_url:
        parts.append(f"{without_url} without a URL")
    if skipped:
        parts.append(f"{len(skipped)} with a malformed URL")
    print(", ".join(parts))
    return 1 if failures else 0


def _remove_interrupted(folders: list[Path], sources: Sources) -> None:
    """Remove the partial copies an interrupted run left (the book's lock is held: no
    other run is writing them), and say which."""
    started = time.time()
    for folder in dict.fromkeys(folders):
        for path in remove_interrupted(folder, started):
            print(f"{PROG} archive: removed {sources.rel(path)}, a partial copy an "
                  "interrupted run left", file=sys.stderr)


def _copy_on_disk(entry: Any) -> bool:
    path = entry.copy_path()
    return path is not None and path.is_file()


def _discard_unrecorded(futures: dict[Future[tuple[Any, Path]], Any],
                        recorded: set[Future[tuple[Any, Path]]]) -> None:
    """After an interruption: remove the WARC files no entry was updated to name."""
    for future in futures:
        if future in recorded or future.cancelled() or future.exception() is not None:
            continue
        future.result()[1].unlink(missing_ok=True)


# --- verify ----------------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        sources = locate(args.book)
    except UsageError as error:
        print(f"{PROG} verify: {error}", file=sys.stderr)
        return 2
    copies = 0
    problems = []
    for bib in sources.bibs:
        report = verify_file(bib, sources.rel(bib))
        copies += report.copies
        problems.extend(report.problems)
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.code)):
        print(f"{problem.path}:{problem.line}: {problem.code} {problem.message}")
    print(f"{_plural(copies, 'preserved copy', 'preserved copies')} verified, "
          f"{_plural(len(problems), 'problem', 'problems')}")
    return 1 if problems else 0


# --- links -----------------------------------------------------------------------------------


def cmd_links(args: argparse.Namespace) -> int:
    from rich.console import Console  # not at start-up: see _progress

    opened = _open(args, "links")
    if opened is None:
        return 2
    sources, entries = opened
    checked = [(e, sources.rel(e.bib)) for e in entries if e.url and valid_url(e.url)]
    malformed = [LinkReport(e.key, e.url, sources.rel(e.bib), e.line_of("url"), None, None, None,
                            None, "malformed URL (a full http(s) address is expected)")
                 for e in entries if e.url and not valid_url(e.url)]
    with _progress() as progress:
        bar = progress.add_task("Checking links", total=len(checked))
        reports = check_links(checked, timeout=args.timeout, jobs=args.jobs,
                              done=lambda _: progress.advance(bar), deadline=args.deadline)
    reports = sorted([*reports, *malformed], key=lambda r: (r.key.lower(), r.file, r.line))
    if args.format == "json":
        print(format_json(reports))
    else:
        wide = None if sys.stdout.isatty() else 200
        render_table(reports, Console(file=sys.stdout, width=wide, highlight=False))
    return 1 if any(r.broken for r in reports) else 0


# --- the parser ------------------------------------------------------------------------------


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"seconds must be above 0 and at most 3600, not {text}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"jobs must be between 1 and 64, not {text}")
    return value


def register_sources(subparsers: Any) -> None:
    """Add ``briefbook sources archive|verify|links`` (the parser is built on every
    ``briefbook`` run, so rich is imported only when a command runs)."""
    parser = subparsers.add_parser(
        "sources", help="preserve the sources' web pages, verify the copies, check the links",
        description="Work on the sources of a book (the bib files conf.py names in "
                    "bibtex_bibfiles): capture each entry's url once into a WARC file and "
                    "record it in the entry (archive), check the preserved copies "
                    "(verify), or ask every address again (links).  Only these commands "
                    "use the network; building the book never does.")
    parser.set_defaults(func=lambda args: _no_subcommand(parser))
    actions = parser.add_subparsers(dest="sources_command", metavar="ACTION")

    archive = actions.add_parser(
        "archive", help="capture each source's url into a WARC file and record it in its entry",
        description="Fetch the url of every entry that has no preserved copy yet (once, "
                    "following up to 5 redirects), store the answer as received in "
                    "<key>-<time>.warc.gz in archive/ next to the bib file, and set the "
                    "entry's archive, archive-date and archive-sha256 fields.  An entry whose "
                    "recorded copy is missing from disk is captured again; a copy on disk "
                    "is never replaced unless --force is given.  Exit 1 when a "
                    "capture failed.")
    archive.add_argument("book", nargs="?", default=".", metavar="BOOK",
                         help="the book's root (default: here)")
    archive.add_argument("--only", action="extend", nargs="+", metavar="KEY",
                         help="capture only these entries (repeatable)")
    archive.add_argument("--force", action="store_true",
                         help="capture again the entries that already have a preserved copy "
                              "(the old file is kept)")
    archive.add_argument("--timeout", type=_seconds, default=ARCHIVE_TIMEOUT, metavar="S",
                         help=f"seconds to wait at each step of a request "
                              f"(default: {ARCHIVE_TIMEOUT:g})")
    _add_deadline(archive)
    archive.add_argument("--jobs", type=_jobs, default=ARCHIVE_JOBS, metavar="N",
                         help=f"captures at a time (default: {ARCHIVE_JOBS})")
    archive.add_argument("--into", default=None, metavar="DIR",
                         help="folder for the WARC files (default: archive/ next to the bib "
                              "file)")
    archive.set_defaults(func=cmd_archive)

    verify = actions.add_parser(
        "verify", help="check the preserved copies against their entries (no network)",
        description="Check every entry's preserved copy: its fields well formed, the file "
                    "present, a readable WARC file holding a response, and unchanged since "
                    "capture (its SHA-256 is archive-sha256).  Exit 1 when a problem is "
                    "found.")
    verify.add_argument("book", nargs="?", default=".", metavar="BOOK",
                        help="the book's root (default: here)")
    verify.set_defaults(func=cmd_verify)

    links = actions.add_parser(
        "links", help="ask every source's url again: status, redirects, changes since capture",
        description="Request every entry's url (following up to 5 redirects) and report "
                    "the status, the address it redirects to, and whether the page differs "
                    "from its preserved copy.  Exit 1 when a link is broken (no answer, "
                    "4xx or 5xx).")
    links.add_argument("book", nargs="?", default=".", metavar="BOOK",
                       help="the book's root (default: here)")
    links.add_argument("--timeout", type=_seconds, default=LINK_TIMEOUT, metavar="S",
                       help=f"seconds to wait at each step of a request "
                            f"(default: {LINK_TIMEOUT:g})")
    _add_deadline(links)
    links.add_argument("--jobs", type=_jobs, default=LINK_JOBS, metavar="N",
                       help=f"requests at a time (default: {LINK_JOBS})")
    links.add_argument("--format", choices=("human", "json"), default="human",
                       help="a table (human, the default) or a JSON list")
    links.set_defaults(func=cmd_links)


def _add_deadline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--deadline", type=_seconds, default=None, metavar="S",
                        help="seconds in all for one address: connecting, redirects and the "
                             "whole body, however slowly it arrives (default: six times "
                             "--timeout, at least 60)")


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
