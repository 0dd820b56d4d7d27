"""briefbook: annotated briefing books on Sphinx and MyST.

Add ``"briefbook"`` to ``extensions`` in ``conf.py``; the ``briefbook`` command
(:mod:`briefbook.cli`) ingests articles and checks a book.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Sphinx entry point; the wiring lives in :mod:`briefbook._extension`."""
    from briefbook._extension import setup_extension

    return setup_extension(app)
