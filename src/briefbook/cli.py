"""The ``briefbook`` command: ``ingest``, ``review``, ``link``, ``check``, ``build``, ….

Each subcommand registers itself with a ``register_<name>(subparsers)`` function listed
in :data:`COMMANDS`, and sets ``func`` to a handler returning the exit code, so adding a
command touches one list and no dispatch code.  A command that writes the book is also
named in :data:`WRITERS`, with the book a run of it writes: the dispatch holds that
book's lock (:mod:`briefbook.book.lock`) for the whole run, so no command can forget it, and
gives the command a ``--wait SECONDS`` option.  Exit codes: 0 success, 1 some inputs
failed (or a file could not be written: the file is named, never a traceback), 2 usage
or configuration error (bad arguments, unreadable registry), 75 the book stayed busy
with another command (nothing done), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import select
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from briefbook import __version__
from briefbook.book.atomic import describe
from briefbook.book.lock import EXIT_BUSY, BookBusyError, book_lock, book_root, is_book
from briefbook.check.run import register_check
from briefbook.entities.registry_cache import registry_for_command
from briefbook.ingest.metadata import BatchMetadata, parse_date, parse_name, parse_url
from briefbook.ingest.pipeline import Context, Options, ingest_paths, print_summary
from briefbook.ingest.recognition import RecogniserError
from briefbook.init import register_init
from briefbook.publishing.export_command import register_export
from briefbook.publishing.publish import register_build
from briefbook.publishing.selection import register_pdf
from briefbook.review.command import register_review
from briefbook.review.link import register_link
from briefbook.sources.command import register_sources

T = TypeVar("T")


def _cmd_ingest(args: argparse.Namespace) -> int:
    registry_folder = Path(args.registry)
    registry = registry_for_command(registry_folder, args.registry_given, "briefbook ingest",
                                    "nothing will be linked")
    if registry is None:
        return 2
    if args.add_candidates and not registry_folder.is_dir():
        print("briefbook ingest: --add-candidates needs a registry folder", file=sys.stderr)
        return 2
    options = Options(out=Path(args.out), bib=Path(args.bib), force=args.force,
                      dry_run=args.dry_run, json=args.json,
                      add_candidates=args.add_candidates, debug=args.debug,
                      update=args.update, fetch_deadline=args.fetch_deadline,
                      metadata=BatchMetadata(date=args.date, author=args.author or "",
                                             publisher=args.publisher or "", url=args.url or ""))
    try:
        context = Context(registry, backend=args.recogniser, model=args.model)
    except RecogniserError as exc:
        print(f"briefbook ingest: {exc}", file=sys.stderr)
        return 2
    # Always said, on stderr so that --json output stays one object per line.
    print(f"briefbook ingest: recogniser: {context.recogniser.name}", file=sys.stderr)
    summary = ingest_paths(args.articles, options, context)
    if not args.json or summary.failures or summary.usage or not args.dry_run:
        print_summary(summary, options, sys.stderr)
    return summary.exit_code


def register_ingest(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ingest", help="turn articles (text files, saved web pages, URLs) into annotated "
                       "briefing pages",
        description="Write one MyST page per article (front matter, linked entities, "
                    "attributed quotes, pull quotes) and add the article to sources.bib. "
                    "Articles are plain-text files, saved web pages (.html) or http(s) "
                    "addresses, which are fetched once. An article ingested before (same "
                    "text, address, or file name and title) is skipped, whatever its page "
                    "is called now, unless --update or --force. Exit 0: done; 1: some "
                    "inputs failed or could not be merged; 2: bad options.")
    parser.add_argument("articles", nargs="+", metavar="ARTICLE",
                        help="article files (.txt, .html), folders of them, or http(s) URLs")
    parser.add_argument("--out", default="docs/briefings",
                        help="folder for the pages (default: docs/briefings)")
    parser.add_argument("--registry", default=None,
                        help="entity registry folder (default: conf/entities)")
    parser.add_argument("--bib", default="sources.bib",
                        help="bibliography to add the article to (default: sources.bib)")
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--update", action="store_true",
                       help="refresh articles ingested before (same text, address or file "
                            "name) whose text or metadata changed, keeping every edit made to "
                            "their pages since (a three-way merge; where both changed the same "
                            "lines nothing is written for that article and the run fails). "
                            "Without it such articles are skipped")
    again.add_argument("--force", action="store_true",
                       help="overwrite existing pages, edits and all (an article ingested "
                            "before is written over its page, wherever it is)")
    parser.add_argument("--dry-run", action="store_true", help="write nothing")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per article on stdout")
    parser.add_argument("--add-candidates", action="store_true",
                        help="append unreviewed stubs for new entities to the registry")
    parser.add_argument("--recogniser", choices=("auto", "rules", "spacy"), default="auto",
                        help="how names are recognised: a statistical spaCy model corrected "
                             "by rules (spacy), the rules alone (rules), or the model when "
                             "one is installed (auto, the default)")
    parser.add_argument("--model", default=None, metavar="NAME",
                        help="the spaCy pipeline to use (default: an installed upstream "
                             "en_core_web_* model, else the pinned en_core_web_sm copy; "
                             "also BRIEFBOOK_SPACY_MODEL)")
    batch = parser.add_argument_group(
        "metadata for the batch",
        "What the articles do not state themselves: each flag fills the value in every "
        "article of the run that lacks it (front matter, file name, bibliography entry); an "
        "article's own date line, byline, publisher or address wins, and ingest says so.")
    batch.add_argument("--date", type=_checked("date", parse_date), metavar="YYYY-MM-DD",
                       help="the date of articles that give none (undated pages get "
                            "<date>-<slug>.md instead of undated-<slug>.md)")
    batch.add_argument("--author", type=_checked("author", lambda t: parse_name(t, "author")),
                       metavar="NAME", help="the author of articles that name none")
    batch.add_argument("--publisher",
                       type=_checked("publisher", lambda t: parse_name(t, "publisher")),
                       metavar="NAME", help="the publisher of articles that name none")
    batch.add_argument("--url", type=_checked("url", parse_url), metavar="URL",
                       help="the address of the one article ingested (an error with more "
                            "than one: one address names one article)")
    parser.add_argument("--fetch-deadline", type=_checked("seconds", _seconds), default=None,
                        metavar="S", help="seconds in all for fetching one URL, redirects and "
                                          "body (default: 30); a slower server fails the URL")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.set_defaults(func=_cmd_ingest)


def _seconds(text: str) -> float:
    """A positive number of seconds, at most an hour."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise ValueError(f"seconds must be above 0 and at most 3600, not {text}")
    return value


def _checked(kind: str, check: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse ``type``: ``check``'s ValueError becomes argparse's usage error (exit
    code 2, the option and the reason named)."""

    def convert(text: str) -> T:
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = kind  # argparse names it in "invalid <kind> value"
    return convert


#: One registration function per subcommand; ``check`` is added here next to ingest.
COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    register_ingest,
    register_check,
    register_build,
    register_sources,
    register_export,
    register_pdf,
    register_init,
    register_review,
    register_link,
]


# --- which book a run writes ----------------------------------------------------------------


def _ingest_book(args: argparse.Namespace) -> Path | None:
    """The book around ``--bib`` (ingest's records live beside it), else its folder."""
    if args.dry_run:
        return None
    folder = Path(args.bib).resolve().parent
    return book_root(folder) or folder


def _book_at(path: str) -> Path | None:
    """The book at ``path``; None when it is none (the command says so itself)."""
    return Path(path).resolve() if is_book(Path(path)) else None


def _pdf_book(args: argparse.Namespace) -> Path | None:
    first = Path(args.targets[0]) if args.targets else None
    return _book_at(str(first)) if first is not None and is_book(first) else _book_at(".")


def _review_book(args: argparse.Namespace) -> Path | None:
    """One decision is one run; the interactive queue locks each decision as it makes it
    (:func:`briefbook.review.decisions.decide`), so it does not hold the book while the
    analyst reads."""
    decides = any(getattr(args, name, None) for name in
                  ("accept", "accept_all", "merge", "reject", "date", "undo"))
    return _book_at(args.book) if decides else None


#: The commands that write a book, each with the book one run of it writes (None: this
#: run writes none, a dry run or a listing).  ``init`` is not here: it only ever adds
#: files that are missing, never replacing one.
WRITERS: dict[str, Callable[[argparse.Namespace], Path | None]] = {
    "ingest": _ingest_book,
    "build": lambda args: _book_at(args.path),
    "pdf": _pdf_book,
    "export": lambda args: _book_at(args.path),  # its read writes _build/export
    "review": _review_book,
    "link": lambda args: None if args.dry_run else _book_at(args.book),
    "sources archive": lambda args: _book_at(args.book),
}


def _wait_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"seconds must be 0 to 86400, not {text}")
    return value


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    """The parser of ``name`` ("sources archive" for a nested one)."""
    for word in name.split():
        found = None
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found = action.choices.get(word)
        if found is None:
            return None
        parser = found
    return parser


def _add_wait(parser: argparse.ArgumentParser) -> None:
    for name in WRITERS:
        sub = _subparser(parser, name)
        if sub is not None:
            sub.add_argument(
                "--wait", type=_wait_seconds, default=None, metavar="SECONDS",
                help="when another briefbook command is writing this book, wait up to "
                     "SECONDS for it to finish, then stop with exit code 75 having done "
                     "nothing (default: $BRIEFBOOK_WAIT, else 600; 0: stop at once)")


def _command_name(args: argparse.Namespace) -> str:
    action = getattr(args, f"{args.command}_command", None)
    return f"{args.command} {action}" if action else str(args.command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefbook", description="Annotated briefing books.")
    parser.add_argument("--version", action="version", version=f"briefbook {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in COMMANDS:
        register(subparsers)
    _add_wait(parser)
    return parser


def quiet_when_the_reader_leaves(command: Callable[..., int]) -> Callable[..., int]:
    """``briefbook … --format json | head -1``: when the reader of stdout closes the pipe,
    end at once with exit code 141 (as a program killed by SIGPIPE), and no traceback
    for the write that failed, nor for the flush at exit."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> int:
        try:
            code = command(*args, **kwargs)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            # Nothing more can reach the reader; what is still buffered would fail again
            # when the interpreter flushes stdout on exit.
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)
            return 141

    return run


@quiet_when_the_reader_leaves
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``briefbook`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    if args.command == "ingest":
        args.registry_given = args.registry is not None
        if args.registry is None:
            args.registry = "conf/entities"
    name = _command_name(args)
    writes = WRITERS.get(name)
    book = writes(args) if writes is not None else None
    if book is None:
        return _run(args, name)
    prog = f"briefbook {name}"
    try:
        with book_lock(book, prog, args.wait, lambda note: print(f"{prog}: {note}",
                                                                 file=sys.stderr)):
            return _run(args, name)
    except BookBusyError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_BUSY


def _run(args: argparse.Namespace, name: str) -> int:
    """The command's handler, with the errors no command should show as a traceback: an
    interruption, a closed pipe, a file that could not be read or written."""
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError as exc:
        if _stdout_closed():  # the reader has gone (``| head``): see quiet_when_the_reader_leaves
            raise
        print(f"briefbook {name}: {describe(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        if getattr(args, "debug", False):
            raise
        print(f"briefbook {name}: {describe(exc)}", file=sys.stderr)
        return 1


def _stdout_closed() -> bool:
    """Whether standard output is a pipe whose reader has gone (the pipe reports an
    error condition); if so, stdout now points at /dev/null, so that the interpreter's
    last flush does not fail too."""
    try:
        fd = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        closed = any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False
    if closed:
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
    return closed


if __name__ == "__main__":
    sys.exit(main())
