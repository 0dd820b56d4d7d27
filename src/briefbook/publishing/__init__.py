"""Publishing: the commands that put the book in readers' hands, and what they publish with it.

Above the features of a page (``pages``, ``editions``, ``entities``, ``sources``), below the
command line: each command here builds or reads the book, and a released edition reaches
no one before its final gate has read every byte of it.

* :mod:`.publish`: ``briefbook build``, built into a staging folder and published by
  renames only when every format built cleanly (a release, only when it passed the gate);
* :mod:`.build_setup`: what every command that builds the book sets up the same way (the
  reproducible ``SOURCE_DATE_EPOCH``, a released edition's folder);
* :mod:`.gate`: the final gate of a release, the distinctive words of what it withholds
  searched for in every output; with :mod:`.gate_withheld` (what it withholds, and the
  registry and bibliography entries only that names), :mod:`.gate_marked_blocks` (a kept
  page's withheld portions, found in its source), :mod:`.gate_toolchain` (the words the
  toolchain prints whatever the book says) and :mod:`.gate_verdict` (the gate as the
  commands run it, and its verdict);
* :mod:`.readable`: every form in which an output file's words can be read;
* :mod:`.export`: the edition's content as one JSON document (``briefbook-export.json``
  published with the HTML); :mod:`.export_command` is ``briefbook export``;
* :mod:`.changes`: the "What changed" page, comparing with the previous edition's export;
  :mod:`.comparison` compares two exports, :mod:`.changes_page` writes the page's nodes;
* :mod:`.selection`: ``briefbook pdf``, which pages a handout holds; :mod:`.book_pages`
  reads the book's pages (files and front matter) and holds the selection;
  :mod:`.handout` builds the selection's PDF as a small book of just those pages.
"""
