"""The build itself: how Sphinx runs for a briefbook book, faster and safer than it would alone.

Each module changes one thing about how the book is built or written, whatever the pages
hold; the extension (:mod:`briefbook._extension`) connects them to Sphinx's events.

* :mod:`.sphinx_main`: Sphinx's command line as ``briefbook build`` runs it
  (``python -m briefbook.build.sphinx_main``), a refused write said in one line;
* :mod:`.incremental`: which whole-book pages an incremental build must write again, and
  no more;
* :mod:`.parallel_write`: ``-j N`` that writes with N processes, not one;
* :mod:`.search_index`: the search index of an incremental build is the one a fresh
  build writes;
* :mod:`.quick_exit`: the garbage collector kept off the objects a build keeps for its
  whole run;
* :mod:`.config_status`: the configuration recorded as the next build will load it, so an
  edit never announces "the configuration has changed";
* :mod:`.csp`: a Content-Security-Policy on every HTML page, so a page runs the scripts
  its project put there and no others; :mod:`.csp_loads` reads what a page loads and
  runs, :mod:`.csp_policy` writes its policy, :mod:`.csp_settings` checks the settings;
* :mod:`.template_text`: text that theme templates print as it is, escaped once;
* :mod:`.accessibility`: markup fixes for WCAG 2.1 AA, where the markup is made;
* :mod:`.latex`: print-only adjustments to the PDF's document tree.
"""
