"""A problem in one of the book's files, and how a build stops on problems it cannot read past.

The registry, ``sources.bib`` and the marking settings are all checked before Sphinx reads
a page, and each check reports the same record: the file, the line and a BB code, so that
an editor can jump to it and silence it by code. Keeping the record and the stop here lets
every part of briefbook report alike without importing another feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from sphinx.util import logging

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a book's file, where it is, and its code."""

    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


def stop_build(problems: list[Problem], folder: Path, what: str) -> NoReturn:
    """Report each problem as ``file:line: ERROR: BBnnn …`` and stop, without a traceback.

    Sphinx 9 prints a crash report (with traceback) for any exception raised from an
    event handler, which buries the one line an editor needs; exiting after logging
    keeps the output to the problems themselves.
    """
    for problem in problems:
        path = Path(problem.path)
        if not path.is_absolute():
            path = folder / path.name if (folder / path.name).exists() else path
        logger.error("%s %s", problem.code, problem.message, location=f"{path}:{problem.line}")
    logger.error("briefbook: the %s has %d problem(s); the build stops here.", what, len(problems))
    raise SystemExit(2)
