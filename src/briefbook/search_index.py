"""An incremental HTML build's search index holds every page's index entries, as a fresh
build's does.

Sphinx (9.0) keeps the search index between builds in two places: the words and titles
in ``searchindex.js``, which it loads again before writing, and the ``{index}`` entries
(and the entity glossary's index nodes) in the environment, which it pickles *before*
the pages are written, that is before the entries are collected.  So the entries of
every page not written again are lost: after editing one page, ``searchindex.js`` had
no ``indexentries`` at all (22 in a fresh build), and the search box stopped finding
the glossary's terms.  Sphinx's own ``load`` skips the entries it wrote to the file;
here they are read back from it for the pages that are not written again, and entries
of pages that are gone are dropped (a page left in the table would fail the dump).
"""

from __future__ import annotations

from collections.abc import Set
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def keep_index_entries(app: Sphinx) -> None:
    """Wrap the HTML builder's loading of the previous index (see the module docstring)."""
    builder: Any = app.builder
    if not hasattr(builder, "load_indexer"):
        return
    original = builder.load_indexer

    def load_indexer(docnames: Set[str]) -> None:
        original(docnames)
        entries = getattr(getattr(builder, "indexer", None), "_index_entries", None)
        if not isinstance(entries, dict):
            return  # no search, or a Sphinx that keeps its index otherwise
        kept = set(builder.env.all_docs) - set(docnames)
        for docname in list(entries):
            if docname not in kept:
                del entries[docname]  # written again (fed anew) or gone
        entries.update(_entries_in_file(builder, kept))

    original_dump = builder.dump_search_index

    def dump_search_index() -> None:
        # The dump lists each entry's pages in the order the pages were fed: put them in
        # page order, so that what was kept and what was written again (in whatever
        # order, by however many processes) give the very file a fresh build writes.
        entries = getattr(getattr(builder, "indexer", None), "_index_entries", None)
        if isinstance(entries, dict):
            ordered = sorted(entries.items())
            entries.clear()
            entries.update(ordered)
        original_dump()

    setattr(builder, "load_indexer", load_indexer)  # noqa: B010 (this builder only)
    setattr(builder, "dump_search_index", dump_search_index)  # noqa: B010


def _entries_in_file(builder: Any, kept: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The index entries the last build wrote to ``searchindex.js``, per page, in the
    form Sphinx collects them (``(entry, anchor, "main" or "")``)."""
    path = builder.outdir / builder.searchindex_filename
    try:
        if builder.indexer_dumps_unicode:
            with path.open(encoding="utf-8") as text:
                frozen = builder.indexer_format.load(text)
        else:
            with path.open("rb") as binary:
                frozen = builder.indexer_format.load(binary)
        names = frozen["docnames"]
        found: dict[str, set[tuple[str, str, str]]] = {}
        for entry, uses in frozen.get("indexentries", {}).items():
            for number, anchor, main in uses:
                docname = names[number]
                if docname in kept:
                    found.setdefault(docname, set()).add(
                        (entry, anchor or "", "main" if main else ""))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return {}  # no index, or not Sphinx's: Sphinx has said so, or it is a fresh build
    return {docname: sorted(entries) for docname, entries in found.items()}


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", keep_index_entries)
