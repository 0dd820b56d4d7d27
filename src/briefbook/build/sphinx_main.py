"""Sphinx's command line as ``briefbook build`` runs it.

When Sphinx cannot write a file (a full disk, a read-only folder), it reports the
exception as a crash: a block with the versions, the extensions and a traceback, and a
pointer to a log. For a user it is one fact, the file that could not be written and why,
so here such a failure is said in one line naming the file (``path: No space left on
device``) and the build still fails. Anything else keeps Sphinx's own report: that is a
bug to report. Sphinx 8 and 9 keep the reporting function in different modules; both
are wrapped where they exist.
"""

from __future__ import annotations

import errno
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

#: Errors that say the file system refused a write, not that something is broken.
FILE_ERRORS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT,
                         errno.EFBIG})


def file_error(exception: BaseException | None) -> OSError | None:
    """The refused write behind ``exception`` (Sphinx wraps a handler's exception in an
    ``ExtensionError`` whose ``orig_exc`` holds it), or None."""
    seen: set[int] = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, OSError) and exception.errno in FILE_ERRORS:
            return exception
        exception = (getattr(exception, "orig_exc", None) or exception.__cause__
                     or exception.__context__)
    return None


def _one_line(report: Callable[..., None]) -> Callable[..., None]:
    def handle(*args: Any, **kwargs: Any) -> None:
        exception = next((a for a in args if isinstance(a, BaseException)), None)
        found = file_error(exception)
        if found is None:
            report(*args, **kwargs)
            return
        stderr = kwargs.get("stderr") or next(
            (a for a in args[1:] if hasattr(a, "write") and not isinstance(a, BaseException)),
            sys.stderr)
        where = f"{found.filename}: " if found.filename else ""
        print(f"briefbook build: {where}{found.strerror or found}", file=stderr)

    return handle


def main(argv: Sequence[str]) -> int:
    for module_name in ("sphinx._cli.util.errors", "sphinx.cmd.build"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        report = getattr(module, "handle_exception", None)
        if report is not None:
            module.handle_exception = _one_line(report)  # type: ignore[attr-defined]
    from sphinx.cmd.build import main as sphinx_main

    return int(sphinx_main(list(argv)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
