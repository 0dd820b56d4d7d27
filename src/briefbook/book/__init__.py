"""The book as files: where its parts are, how they are read and written, one writer at a time.

The bottom layer: everything else may import it, it imports nothing of briefbook's.

* :mod:`.layout`: where a book's pages, configuration and registry are, and what its
  ``conf.py`` says, for commands that run outside Sphinx;
* :mod:`.briefings`: which pages are briefings, and their dates;
* :mod:`.problems`: a problem in a file (path, line, BB code), and how a build stops on them;
* :mod:`.silencing`: ``briefbook-ignore`` comments and ``briefbook_check_ignore``, one rule
  for the check and the build;
* :mod:`.page_encoding`: pages that are not UTF-8 reported by file and line;
* :mod:`.atomic`: files written whole or not at all, never over a read-only one;
* :mod:`.lock`: one writer per book.
"""
