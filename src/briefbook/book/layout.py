"""Where a book's parts are, and what its ``conf.py`` says, for commands that run outside Sphinx.

Every command that reads or writes a book (check, build, export, pdf, review, link, sources)
must find the same pages, configuration and registry that ``sphinx-build -c conf docs``
finds, or a command could act on a different book than the one that builds. They all
start here.
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Book:
    """Where a book's parts are: the layout ``sphinx-build -c conf docs`` expects."""

    root: Path
    srcdir: Path
    confdir: Path

    @classmethod
    def find(cls, root: Path) -> Book:
        root = root.resolve()
        confdir = root / "conf" if (root / "conf" / "conf.py").exists() else root
        srcdir = root / "docs" if (root / "docs").is_dir() else root
        if not (confdir / "conf.py").exists():
            raise SystemExit(f"briefbook check: no conf/conf.py under {root}")
        return cls(root, srcdir, confdir)

    def rel(self, path: str | Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def read_config(book: Book, names: Sequence[str] | None = None) -> dict[str, Any]:
    """conf.py's settings ``names`` (all its public names when None), read the way Sphinx
    reads them: run from its own folder with its own ``__file__``, so that relative paths
    in it resolve as in a build."""
    path = book.confdir / "conf.py"
    with chdir(book.confdir):
        namespace = runpy.run_path(str(path), init_globals={"__file__": str(path)})
    if names is None:
        return {k: v for k, v in namespace.items() if not k.startswith("_")}
    return {name: namespace[name] for name in names if name in namespace}


def registry_folder(book: Book, config: dict[str, Any] | None = None) -> Path:
    """The registry folder conf.py names (``conf/entities`` by default), made absolute."""
    if config is None:
        config = read_config(book, ("briefbook_registry",))
    folder = Path(config.get("briefbook_registry") or book.confdir / "entities")
    return folder if folder.is_absolute() else (book.confdir / folder).resolve()
