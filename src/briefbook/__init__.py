"""briefbook: annotated briefing books on Sphinx and MyST.

Add ``"briefbook"`` to ``extensions`` in ``conf.py``; the ``briefbook`` command
(:mod:`briefbook.cli`) ingests articles, reviews, checks, builds and releases a book.

The package, one folder per concept, each layer importing only from those below it
(``pyproject.toml``'s import-linter contracts hold it to that; ``|``: independent)::

    evaluation/ | benchmark/        make eval (ingest scored), make bench
    cli.py                          the briefbook command
    init.py | _extension.py | review/   init; every app.add_* and connect; the review queue
    check/                          briefbook check
    publishing/ | build/ | ingest/  what leaves the building (build, release gate, export,
                                    handouts, what changed); Sphinx-side build machinery;
                                    articles in
    pages/                          generated pages (front page, glossary, grids, map, …)
    analysis/                       quotations, claims, estimative language
    editions/                       markings, releases, what an edition holds
    entities/ | sources/            registry and domain; citations, grades, archives
    nodes.py                        document nodes several features look for
    book/                           the book's files: layout, dates, problems, atomic writes, lock
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Sphinx entry point; the wiring lives in :mod:`briefbook._extension`."""
    # Loaded here, not at the top: `from briefbook import __version__` (every layer's) must
    # not load the whole extension. The one import the layers contract ignores.
    from briefbook._extension import setup_extension

    return setup_extension(app)
