"""``briefbook review``: the review queue, interactive or one decision per call for scripts.

With no decision flag it opens the interactive queue (the terminal app); ``--list``
prints the queue (``--json``: one object per item, every :class:`~.model.Item` field);
``--accept``, ``--accept-all``, ``--merge``, ``--reject``, ``--date`` and ``--undo``
make one decision and print its outcome.  Exit codes: 0 done, 1 the decision could not
be made (the reason on stderr, nothing written), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from briefbook.entities.registry import KINDS
from briefbook.review.book import BookNotFoundError
from briefbook.review.model import Item, ReviewError
from briefbook.review.session import ReviewSession

PROG = "briefbook review"
#: Width of the free-text columns of ``--list`` (longer text ends with "…").
CELL = 36


def register_review(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``briefbook review`` (the parser is built on every run, so the Textual app is
    imported only when the interactive queue opens)."""
    parser = subparsers.add_parser(
        "review", help="review the names ingest proposed: accept, merge, reject, undo",
        description="Go through the names ingest proposed (unreviewed registry stubs and "
                    "the candidates it left) and the undated pages, most consequential "
                    "first.  Without a decision flag, open the interactive queue.  Each "
                    "decision is written at once, keeps the registry's comments, and can be "
                    "undone (--undo).",
        epilog="KEY is an item's key as --list shows it (stub:<id>, candidate:<kind>:<name>, "
               "undated:<page>).")
    parser.add_argument("book", nargs="?", default=".", metavar="BOOK",
                        help="the book's root (default: here)")
    actions = parser.add_mutually_exclusive_group()
    actions.add_argument("--list", action="store_true", help="print the queue")
    actions.add_argument("--accept", metavar="KEY", help="make the item a reviewed entry")
    actions.add_argument("--accept-all", action="store_true",
                         help="accept every name as proposed (one decision: one --undo)")
    actions.add_argument("--merge", nargs=2, metavar=("KEY", "INTO_ID"),
                         help="fold the item into an existing entry: its names become aliases")
    actions.add_argument("--reject", metavar="KEY",
                         help="delete the item's stubs; ingest never proposes its names again")
    actions.add_argument("--date", nargs=2, metavar=("KEY", "YYYY-MM-DD"),
                         help="date an undated page (and rename it <date>-<slug>.md)")
    actions.add_argument("--undo", action="store_true", help="take the last decision back")
    parser.add_argument("--json", action="store_true",
                        help="with --list: one JSON object per item, one per line")
    parser.add_argument("--as-kind", choices=KINDS, metavar="KIND",
                        help="with --accept: accept as this kind (person, place, organization)")
    parser.add_argument("--name", metavar="NAME", help="with --accept: the entry's name")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.json and not args.list:
        print(f"{PROG}: --json goes with --list", file=sys.stderr)
        return 2
    if (args.as_kind or args.name is not None) and not args.accept:
        print(f"{PROG}: --as-kind and --name go with --accept", file=sys.stderr)
        return 2
    try:
        session = ReviewSession(Path(args.book))
    except BookNotFoundError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    try:
        if args.list:
            items = session.items()
            print(_json_lines(items) if args.json else _table(items), end="")
            return 0
        if args.undo:
            outcome = session.undo()
            print(outcome.message if outcome else "nothing to undo")
            return 0
        if args.accept:
            outcome = session.accept(args.accept, args.as_kind, args.name)
        elif args.accept_all:
            outcome = session.accept_all()
        elif args.merge:
            outcome = session.merge(*args.merge)
        elif args.reject:
            outcome = session.reject(args.reject)
        elif args.date:
            outcome = session.date_page(*args.date)
        else:
            return _interactive(session, Path(args.book))
    except ReviewError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    print(outcome.message)
    return 0


def _interactive(session: ReviewSession, book: Path) -> int:
    # Textual is imported only when the queue opens: it adds about 130 ms (python -X
    # importtime) to every ``briefbook`` command, since the CLI builds all its parsers.
    from briefbook.review.terminal import run_terminal

    return int(run_terminal(session, book=book.resolve().name))


def item_record(item: Item) -> dict[str, Any]:
    """An item as ``--list --json`` prints it: every field of the record."""
    return asdict(item)


def _json_lines(items: list[Item]) -> str:
    return "".join(json.dumps(item_record(i), ensure_ascii=False) + "\n" for i in items)


def _cell(text: str, width: int = CELL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(items: list[Item]) -> str:
    """The queue as columns a person reads in a terminal; the key comes first, whole."""
    if not items:
        return "Nothing to review.\n"
    header = ("KEY", "KIND", "NAME", "FORMS", "COUNT", "PAGES", "REASON", "SUGGESTION")
    rows = [header]
    for item in items:
        kind = item.kind if item.category == "entity" else "page"
        forms = ", ".join(f for f in item.forms if f != item.name)
        rows.append((item.key, kind, _cell(item.name), _cell(forms, 24), str(item.count),
                     str(len(item.articles)), _cell(item.reason), ", ".join(item.suggestions[:2])))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join(lines) + f"\n\n{len(items)} item(s) to review\n"
