"""The ``briefbook`` command: ``ingest``, ``check``, ``link``, ``build`` and ``sources``.

Each subcommand registers itself with a ``register_<name>(subparsers)`` function listed
in :data:`COMMANDS`, and sets ``func`` to a handler returning the exit code, so adding a
command touches one list and no dispatch code.  Exit codes: 0 success, 1 some inputs
failed, 2 usage or configuration error (bad arguments, unreadable registry).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from briefbook import __version__


def _cmd_ingest(args: argparse.Namespace) -> int:
    from briefbook.ingest.pipeline import Context, Options, ingest_paths, print_summary
    from briefbook.ingest.recognition import RecogniserError
    from briefbook.registry import registry_for_command

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
                      add_candidates=args.add_candidates, debug=args.debug)
    try:
        context = Context(registry, backend=args.recogniser, model=args.model)
    except RecogniserError as exc:
        print(f"briefbook ingest: {exc}", file=sys.stderr)
        return 2
    # Always said, on stderr so that --json output stays one object per line.
    print(f"briefbook ingest: recogniser: {context.recogniser.name}", file=sys.stderr)
    summary = ingest_paths(args.articles, options, context)
    if not args.json or summary.failures or not args.dry_run:
        print_summary(summary, options, sys.stderr)
    return summary.exit_code


def register_ingest(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ingest", help="turn articles (text files, saved web pages, URLs) into annotated "
                       "briefing pages",
        description="Write one MyST page per article (front matter, linked entities, "
                    "attributed quotes, pull quotes) and add the article to sources.bib. "
                    "Articles are plain-text files, saved web pages (.html) or http(s) "
                    "addresses, which are fetched once.")
    parser.add_argument("articles", nargs="+", metavar="ARTICLE",
                        help="article files (.txt, .html), folders of them, or http(s) URLs")
    parser.add_argument("--out", default="docs/briefings",
                        help="folder for the pages (default: docs/briefings)")
    parser.add_argument("--registry", default=None,
                        help="entity registry folder (default: conf/entities)")
    parser.add_argument("--bib", default="sources.bib",
                        help="bibliography to add the article to (default: sources.bib)")
    parser.add_argument("--force", action="store_true", help="overwrite existing pages")
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
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.set_defaults(func=_cmd_ingest)


def register_build(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.publish import register_build as register

    register(subparsers)


def register_check(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.check import register_check as register

    register(subparsers)


def register_export(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.editions.export import register_export as register

    register(subparsers)


def register_pdf(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.editions.selection import register_pdf as register

    register(subparsers)


def register_sources(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.sources.command import register_sources as register

    register(subparsers)


def register_link(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.review.link import register_link as register

    register(subparsers)


def register_init(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from briefbook.init import register_init as register

    register(subparsers)


#: One registration function per subcommand; ``check`` is added here next to ingest.
COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    register_ingest,
    register_check,
    register_build,
    register_sources,
    register_export,
    register_pdf,
    register_init,
    register_link,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefbook", description="Annotated briefing books.")
    parser.add_argument("--version", action="version", version=f"briefbook {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in COMMANDS:
        register(subparsers)
    return parser


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
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
