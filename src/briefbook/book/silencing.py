"""How a problem is silenced: one rule for ``briefbook check`` and the build alike.

An editor silences a code on one line with a comment ``briefbook-ignore: BB417`` on that
line or the line before (a bare ``briefbook-ignore`` silences every code there), or for
the whole book with ``briefbook_check_ignore = ["BB417"]`` in ``conf.py``.  ``check``
reports what the build reports, so both must read these the same way: a code the check
accepts as silenced must not stop a strict build (``briefbook build``, ``make html``, both
``-W``), and a code the build does not report must not be silenced only in the check.

So the build's warnings pass through :class:`BuildSilencer` before Sphinx counts them:
each warning is given its code as ``check`` gives it (:func:`code_of`: the message's own
``BBnnn``, or the code ``check`` files Sphinx's own warnings under), and dropped when
``briefbook_check_ignore`` names it or a comment at its file and line does.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_CODE_RE = re.compile(r"^(BB\d{3}) ")
_IGNORE_RE = re.compile(r"briefbook-ignore(?::\s*([A-Z0-9, ]+))?")


def code_of(message: str, kind: str | None) -> tuple[str, str]:
    """The code of a build warning and its text without the code: the message's own
    ``BBnnn``, else the code ``check`` reports Sphinx's warning under (``kind`` is the
    warning's ``type.subtype``)."""
    match = _CODE_RE.match(message)
    if match:
        return match.group(1), message[len(match.group(0)):]
    if "could not find bibtex key" in message:
        return "BB402", message
    if "document isn't included in any toctree" in message:
        return "BB501", message
    if kind and kind.startswith("myst.topmatter"):
        return "BB502", message
    return "BB500", message


def silenced_by_comment(lines: Sequence[str], line: int, code: str) -> bool:
    """``briefbook-ignore[: CODE, …]`` on line ``line`` (1-based) of ``lines``, or the
    line before."""
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            match = _IGNORE_RE.search(lines[number - 1])
            if match and (not match.group(1) or code in match.group(1)):
                return True
    return False


def read_lines(path: Path) -> list[str]:
    """A file's lines for :func:`silenced_by_comment` (none when it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


class BuildSilencer(logging.Filter):
    """Drops the build's warnings that ``check`` would report as silenced."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self._app = app
        self._lines: dict[Path, list[str]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        try:
            message = str(record.msg % record.args) if record.args else str(record.msg)
        except (TypeError, ValueError):
            message = str(record.msg)
        kind = getattr(record, "type", "") or ""
        subtype = getattr(record, "subtype", "") or ""
        code, _ = code_of(message, f"{kind}.{subtype}" if subtype else kind)
        if code in (getattr(self._app.config, "briefbook_check_ignore", None) or ()):
            return False
        where = self._location(getattr(record, "location", None))
        if where is None:
            return True
        path, line = where
        if path not in self._lines:
            self._lines[path] = read_lines(path)
        return not silenced_by_comment(self._lines[path], line, code)

    def _location(self, location: Any) -> tuple[Path, int] | None:
        """The file and line a warning names, whatever form Sphinx was given it in."""
        from docutils import nodes
        from docutils.utils import get_source_line

        source: Any = None
        line: int | None = None
        if isinstance(location, tuple) and len(location) == 2:
            docname, line = location
            env = getattr(self._app, "env", None)
            if docname and env is not None:
                source = env.doc2path(docname)
        elif isinstance(location, nodes.Node):
            source, line = get_source_line(location)
        elif isinstance(location, str) and ":" in location:
            source, _, rest = location.rpartition(":")
            line = int(rest) if rest.strip().isdigit() else None
        if not source or not line:
            return None
        # A node's source may be "file.md:<directive>": the file is what comes first.
        return Path(os.fspath(source).split(":<", 1)[0]), int(line)


def install(app: Sphinx, config: Config) -> None:
    """Put a :class:`BuildSilencer` first on Sphinx's warning handler: before the filter
    that counts warnings for ``-W``, so a silenced one neither shows nor fails the build."""
    from sphinx.util.logging import NAMESPACE, WarningStreamHandler

    for handler in logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler) and not any(
                isinstance(f, BuildSilencer) for f in handler.filters):
            handler.filters.insert(0, BuildSilencer(app))


def setup(app: Sphinx) -> None:
    # First of all in config-inited: the bibliography's warnings come at builder-inited.
    app.connect("config-inited", install, priority=1)
