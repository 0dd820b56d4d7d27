"""``briefbook check``: everything wrong with a book, in the editor's terms.

One pass over the book, no HTML written: the registry and ``sources.bib`` are validated
first; then Sphinx reads every page with its ``dummy`` builder (a fresh environment in
``_build/check``), which runs every briefbook role and directive, so every warning the
real build would give is reported here with the same code and text.  On top of that
come the checks a build does not make: preserved copies of sources that do not parse as
WARC (or are cut short); names left unlinked (a name already linked in the same
paragraph may appear again unlinked), registry entries nobody mentions or nobody has
reviewed, people named by a title they did not hold on the article's date.

Each finding is ``file:line: BBnnn message`` with a one-line hint.  A finding the build
also reports is an error, since a strict build (``briefbook build``, ``make html``: ``-W``)
stops on it; only work the build leaves to the analyst (BB103, BB310–BB312, BB507) is a
warning.  Codes can be silenced on a line (``briefbook-ignore: BB103`` in a comment on
that line or the line before) or in ``conf.py`` (``briefbook_check_ignore = ["BB311"]``),
which the build honours too (:mod:`briefbook.book.silencing`), or with ``--ignore`` (the
check's alone).

Modules:

* :mod:`.run`: the command, one pass over the book (``run_check``), the Sphinx read
  (``read_book``, shared with ``briefbook link``), silencing;
* :mod:`.findings`: every code with its severity and hint, the finding record, the
  build's warnings read back into findings, and the human, JSON and GitHub formats;
* :mod:`.unlinked`: BB103, names left unlinked (shared with ``briefbook link``);
* :mod:`.registry_use`: BB310–BB312, entries unmentioned or unreviewed, titles out of date;
* :mod:`.undated`: BB507, pages without a date (shared with ``briefbook review``).
"""
