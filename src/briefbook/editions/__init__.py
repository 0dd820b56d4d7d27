"""Editions: what a reader holds, at what marking, as of when.

One module per concept:

* :mod:`.markings`: handling markings (TLP 2.0 by default, any scheme by configuration)
  of the book, a page and a portion; the portion's node and mark;
* :mod:`.portions`: ``{marking}`` and ``:marking:`` blocks, checked against their page and
  left out, unparsed, of an edition released below them;
* :mod:`.banners`: each page's marking at its top and bottom (HTML);
* :mod:`.derived`: pages made from other pages (front page, glossary, grids, timeline,
  map, bibliography) carry the highest marking of what they show;
* :mod:`.decision`: the one decision of a file's marking, as MyST and Sphinx read it
  (shared by the build, ``export``, ``pdf`` and ``check``; it fails closed);
* :mod:`.release`: releasable editions that leave out what is marked above their level,
  and everything derived from it;
* :mod:`.hidden`: the entities and sources only withheld material names, hidden from the
  edition's glossary, grids, map, index and bibliographies;
* :mod:`.edition`: the edition's name and "as of" date, on the front page and footers;
* :mod:`.printed`: the PDF's cover, running header and footer (marking, edition, date);
The commands and pages that put an edition out (``briefbook build``, ``export``, ``pdf``,
the release gate, "What changed") are :mod:`briefbook.publishing`, above this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefbook.editions import banners, derived, edition, hidden, markings, portions, printed, release

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    markings.setup(app)
    portions.setup(app)
    banners.setup(app)
    derived.setup(app)
    release.setup(app)
    hidden.setup(app)
    edition.setup(app)
    printed.setup(app)
