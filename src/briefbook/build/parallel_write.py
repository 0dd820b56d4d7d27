"""``-j N`` that writes with N processes, not one.

Sphinx's parallel write (``Builder._write_parallel`` in Sphinx 9) resolves every doctree
in the main process (post-transforms, ``doctree-resolved``, the search index) and forks
``N - 1`` workers that only translate and render. A briefing book spends most of its
write phase resolving: backlinks, hover cards, quote and claim indexes, citations. With
``-j 2`` the main process did nearly all the work while its one worker waited: a
500-article book wrote in 35 s against 38 s serially.

Here, for the HTML builder only, each of ``N`` workers does a document's whole write
(resolve, index for search, translate, render) and sends back the two things the main
process must gather: its part of the search index and the images it registered. Every
briefbook resolver, and those of sphinx-design, myst-parser and sphinxcontrib-bibtex,
changes only the doctree it is given, so nothing else is lost with the worker.

The upstream report (not filed from here) would read: *"Parallel write resolves in the
main process: ``-j 2`` gives one writer. ``_write_parallel`` calls
``get_and_resolve_doctree`` and ``write_doc_serialized`` in the parent for every chunk,
so builds dominated by post-transforms do not scale; the HTML builder's serialized step
only feeds the search index and registers images, both of which could be returned from
the worker and merged."*

When the search index does not have the attributes this module merges (another Sphinx
release), Sphinx's own method is left in place.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

from sphinx.builders import _write_docname
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks, make_chunks

from briefbook.build import incremental

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

# The search index's per-document tables (Sphinx 9's IndexBuilder): set-valued ones are
# merged word by word, the others document by document.
WORD_TABLES = ("_mapping", "_title_mapping")
DOC_TABLES = ("_titles", "_filenames", "_all_titles", "_index_entries")


def supported(builder: Any) -> TypeGuard[StandaloneHTMLBuilder]:
    indexer = getattr(builder, "indexer", None)
    return (type(builder) is StandaloneHTMLBuilder and hasattr(builder, "images")
            and (indexer is None
                 or all(isinstance(getattr(indexer, name, None), dict)
                        for name in WORD_TABLES + DOC_TABLES)))


def _write_chunk(builder: StandaloneHTMLBuilder, docnames: list[str]) -> dict[str, Any]:
    """In a worker: write ``docnames`` completely; return what the parent must merge."""
    indexer = builder.indexer
    fresh: dict[str, dict[str, Any]] = {name: {} for name in WORD_TABLES + DOC_TABLES}
    if indexer is not None:
        for name, table in fresh.items():
            setattr(indexer, name, table)  # this process's copy only; it ends after the chunk
    known_images = set(builder.images)
    for docname in docnames:
        _write_docname(docname, env=builder.env, builder=builder, tags=builder.tags)
    return {"index": fresh if indexer is not None else None,
            "images": {k: v for k, v in builder.images.items() if k not in known_images}}


def _merge(builder: StandaloneHTMLBuilder, result: dict[str, Any]) -> None:
    indexer = builder.indexer
    if indexer is not None and result["index"] is not None:
        for name in WORD_TABLES:
            table = getattr(indexer, name)
            for word, docnames in result["index"][name].items():
                table.setdefault(word, set()).update(docnames)
        for name in DOC_TABLES:
            getattr(indexer, name).update(result["index"][name])
    builder.images.update(result["images"])


def write_parallel(builder: StandaloneHTMLBuilder, docnames: Sequence[str], nproc: int,
                   sphinx_write_parallel: Any) -> None:
    """Replacement for ``Builder._write_parallel``: ``nproc`` is ``-j`` minus one, the
    parent's share in Sphinx's scheme; here the parent only gathers, so ``-j`` workers
    write."""
    if not supported(builder) or len(docnames) < 2:
        return sphinx_write_parallel(docnames, nproc)
    workers = nproc + 1
    # The first document is written here, as Sphinx does, so templates are compiled once
    # before forking rather than in every worker.
    first, rest = docnames[0], list(docnames[1:])
    _write_docname(first, env=builder.env, builder=builder, tags=builder.tags)
    # Whole-book pages (glossaries, timeline, grids, references) each cost as much as
    # dozens of articles: each goes out first, alone, so they spread over the workers
    # instead of ending the build in one worker's last chunk.
    heavy = set().union(*incremental.pages_by_topic(builder.env).values())
    chunks = [[d] for d in rest if d in heavy]
    chunks += make_chunks([d for d in rest if d not in heavy], workers)
    progress = status_iterator(chunks, __("writing output... "), "darkgreen", len(chunks),
                               builder.config.verbosity)

    def done(chunk: list[str], result: dict[str, Any]) -> None:
        _merge(builder, result)
        next(progress)

    tasks = ParallelTasks(workers)
    for chunk in chunks:
        tasks.add_task(lambda docs: _write_chunk(builder, docs), chunk, done)
    tasks.join()
    logger.info("")


def install(app: Sphinx) -> None:
    """Give the HTML builder the all-worker parallel write (``builder-inited``)."""
    builder = app.builder
    if app.parallel > 1 and supported(builder):
        builder._write_parallel = functools.partial(  # type: ignore[method-assign]
            write_parallel, builder, sphinx_write_parallel=builder._write_parallel)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)
