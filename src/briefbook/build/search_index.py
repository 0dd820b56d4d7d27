"""The search index of an incremental build is the one a fresh build writes.

Sphinx rebuilds ``searchindex.js`` from the pages it writes again and, for the others,
from the previous ``searchindex.js``. That file holds the pages' words, titles and
headings, and its ``indexentries`` (the general index's entries: every glossary term,
every entity of the registry); Sphinx 9 reads the first back and not the second (its
environment, where it keeps them, is pickled before the pages are written). So a build
with nothing to write again lost the index entries of every page, and one that wrote a
few pages kept only theirs: searching for a person's name no longer offered the
glossary entry, and the published index changed with nothing changed in the book.

Here the entries of the pages not written again are read back from the previous index
with the rest, and the entries are ordered by page before the index is written, as a
fresh build orders them (it writes the pages in that order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.builders.html import StandaloneHTMLBuilder

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx


def previous_entries(builder: StandaloneHTMLBuilder) -> dict[str, list[tuple[str, str, str]]]:
    """The index entries of each page in the previous ``searchindex.js`` (none if absent
    or unreadable: then Sphinx warns that the index will be incomplete)."""
    indexer: Any = builder.indexer
    path = builder.outdir / builder.searchindex_filename
    fmt = builder.indexer_format
    fmt = indexer.formats[fmt] if isinstance(fmt, str) else fmt
    try:
        if builder.indexer_dumps_unicode:
            with path.open(encoding="utf-8") as text:
                frozen = fmt.load(text)
        else:
            with path.open("rb") as binary:
                frozen = fmt.load(binary)
        docnames = frozen["docnames"]
        entries: dict[str, list[tuple[str, str, str]]] = {}
        for name, places in frozen.get("indexentries", {}).items():
            for number, target, main in places:
                entries.setdefault(docnames[number], []).append(
                    (name, target, "main" if main else ""))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return {}
    return {docname: sorted(found) for docname, found in entries.items()}


def keep_entries_of_unwritten_pages(builder: StandaloneHTMLBuilder) -> None:
    """Wrap the builder's ``load_indexer`` so that it reads the index entries back too."""
    load = builder.load_indexer

    def load_indexer(docnames: Set[str]) -> None:
        load(docnames)
        indexer: Any = builder.indexer
        kept = set(builder.env.all_docs) - set(docnames)
        restored = {doc: found for doc, found in previous_entries(builder).items() if doc in kept}
        entries = indexer._index_entries
        entries.clear()  # this build's pages are fed again as they are written
        entries.update(sorted(restored.items()))

    builder.load_indexer = load_indexer  # type: ignore[method-assign]


def install(app: Sphinx) -> None:
    if isinstance(app.builder, StandaloneHTMLBuilder) and app.builder.search:
        keep_entries_of_unwritten_pages(app.builder)


def order_entries(app: Sphinx) -> list[Any]:
    """Just before the index is written (``html-collect-pages`` runs before it): the
    entries by page, whichever were read back and whichever written."""
    indexer: Any = getattr(app.builder, "indexer", None)
    entries = getattr(indexer, "_index_entries", None)
    if isinstance(entries, dict):
        ordered = sorted(entries.items())
        entries.clear()
        entries.update(ordered)
    return []


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)
    app.connect("html-collect-pages", order_entries)
