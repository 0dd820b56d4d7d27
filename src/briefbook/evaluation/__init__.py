"""How good is ingest? ``make eval`` (``python -m briefbook.evaluation tests/corpus``).

A developer's tool, not part of the book: it scores ``briefbook ingest`` against the
hand-annotated articles of ``tests/corpus``.

* :mod:`.command` is the command line, :mod:`.report` prints the table;
* :mod:`.runs` runs ingest over the corpus (with and without a registry) and holds the
  project's targets;
* :mod:`.scoring` scores one article, :mod:`.gold` reads the gold files and
  :mod:`.names` makes the keys names and quotations are compared by;
* :mod:`.stubs` ingests the corpus as one batch into a new book and judges the stubs.
"""
