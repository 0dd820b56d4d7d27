"""``make bench``: how the build scales with the size of a briefing book.

A briefing book grows for years, so the build has to stay linear in the number of
articles.  This package measures it against a fixed yardstick:

* :mod:`briefbook.benchmark.corpus` writes a deterministic synthetic book of N articles
  in briefbook's own format, and the same content as plain Sphinx + MyST +
  sphinxcontrib-bibtex with ``{term}`` glossary references (the *anchor*);
* :mod:`briefbook.benchmark.measure` times one build in a fresh child process and reads
  its peak resident memory;
* :mod:`briefbook.benchmark.runner` builds both books for each N, in the same run, plus
  ``-j 2``, an incremental rebuild and the PDF, and writes the results as JSON;
* :mod:`briefbook.benchmark.report` prints them as a table and checks the targets.

Run ``python -m briefbook.benchmark --help``.
"""

from __future__ import annotations
