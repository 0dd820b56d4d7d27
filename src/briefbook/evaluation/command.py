"""``python -m briefbook.evaluation`` (``make eval``): the command line of the evaluation.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from briefbook.entities.registry import Registry
from briefbook.entities.registry_cache import registry_for_command
from briefbook.evaluation.gold import GOLD_SUFFIX
from briefbook.evaluation.report import print_report
from briefbook.evaluation.runs import (
    DEFAULT_FOLDERS,
    DEFAULT_REGISTRY,
    Evaluation,
    EvaluationError,
    evaluate,
)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m briefbook.evaluation``: 0 scored, 1 some gold files are bad,
    2 nothing to score (no folder, no gold files, broken registry, ingest cannot start).

    Missed targets do not change the exit code: this is a report; the floors that fail
    a build are in ``tests/test_eval.py``."""
    parser = argparse.ArgumentParser(
        prog="python -m briefbook.evaluation",
        description="Score briefbook ingest against hand-annotated articles (<stem>.gold.yaml).")
    parser.add_argument("folders", nargs="*", metavar="folder",
                        help="folders of articles and gold files, each scored in its own "
                             f"table (default: {' '.join(DEFAULT_FOLDERS)})")
    parser.add_argument("--registry", default=None,
                        help=f"registry of the headline run (default: {DEFAULT_REGISTRY})")
    parser.add_argument("--recogniser", "--backend", dest="backend", default="auto",
                        choices=("auto", "rules", "spacy"),
                        help="new-entity recogniser passed to ingest (default: auto)")
    parser.add_argument("--no-stubs", dest="stubs", action="store_false",
                        help="skip ingesting the articles as one batch into a new book "
                             "(--add-candidates) to judge its stubs")
    parser.add_argument("--json", metavar="OUT", help="also write every number and case as JSON")
    parser.add_argument("--verbose", "-v", action="count", default=0,
                        help="list every miss, false positive, wrong link and misattribution "
                             "(twice: also for the run without a registry)")
    args = parser.parse_args(argv)
    prog = "briefbook eval"
    folders = [Path(f) for f in (args.folders or DEFAULT_FOLDERS)]
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        print(f"{prog}: no folder {', '.join(str(f) for f in missing)}", file=sys.stderr)
        return 2
    registry_folder = Path(args.registry or DEFAULT_REGISTRY)
    loaded = registry_for_command(registry_folder, bool(args.registry), prog,
                                  "scoring without one only")
    if loaded is None:
        return 2
    registry: Registry | None = loaded if registry_folder.is_dir() else None
    results: list[Evaluation] = []
    for index, folder in enumerate(folders):
        try:
            result = evaluate(folder, registry, str(registry_folder), args.backend, args.stubs)
        except EvaluationError as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return 2
        if not result.articles and not result.problems:
            print(f"{prog}: no *{GOLD_SUFFIX} files in {folder}", file=sys.stderr)
            return 2
        if index:
            print(file=sys.stdout)
        print_report(result, sys.stdout, args.verbose)
        sys.stdout.flush()
        results.append(result)
    if args.json:
        # One folder: its object, as before; several: a list of them, in order.
        data = results[0].to_json() if len(results) == 1 else [r.to_json() for r in results]
        try:
            Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1)
                                       + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"{prog}: cannot write {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    return 1 if any(r.problems for r in results) else 0
