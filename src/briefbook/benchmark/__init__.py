"""``make bench``: how the build scales with the size of a briefing book.

A briefing book grows for years, so the build has to stay linear in the number of
articles.  This package measures it against a fixed yardstick:

* :mod:`briefbook.benchmark.corpus` writes a deterministic synthetic book of N articles
  in briefbook's own format, and the same content as plain Sphinx + MyST +
  sphinxcontrib-bibtex with ``{term}`` glossary references (the *anchor*), with a
  ``manifest.json``; it draws on

  * :mod:`briefbook.benchmark.vocabulary`: the word lists the prose is made of;
  * :mod:`briefbook.benchmark.model`: the synthetic people, places, organisations and
    sources, and the records (entity, source, article, counts) the modules share;
  * :mod:`briefbook.benchmark.writer`: one article, written in both formats at once;

* :mod:`briefbook.benchmark.edit` makes (and undoes) the one-article edit the
  incremental rebuild is measured after;
* :mod:`briefbook.benchmark.measure` times one build in a fresh child process and reads
  its peak resident memory;
* :mod:`briefbook.benchmark.runner` builds both books for each N, in the same run, plus
  ``-j 2``, an incremental rebuild and the PDF, and writes the results as JSON;
* :mod:`briefbook.benchmark.report` prints them as a table and checks the targets.

Run ``python -m briefbook.benchmark --help``.
"""

from __future__ import annotations
