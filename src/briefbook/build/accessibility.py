"""Markup fixes for WCAG 2.1 AA (Section 508), where the markup is made.

The bibliography: docutils writes each citation as ``<div role="doc-biblioentry">`` inside
a ``<div role="list">``.  DPUB-ARIA 1.1 deprecates ``doc-biblioentry``, and the ARIA
``list`` role may only own ``listitem`` children, so axe-core reports the list as broken
(``aria-required-children``, critical) and each entry as a deprecated role.  Entries are
written as ``listitem`` instead: a screen reader announces a list of N sources and where
each begins, and the classes (``citation-list``, ``citation``) that themes style stay as
they are.

(The sidebar's toctree captions, ``role="heading"`` without ``aria-level``, are drawn by
the navigation script: the level is set there, in :mod:`briefbook.pages.navigation`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


def visit_citation_html(self: HTML5Translator, node: nodes.citation) -> None:
    """As docutils' ``visit_citation``, with ``listitem`` for the deprecated role."""
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation_html(self: HTML5Translator, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def setup(app: Sphinx) -> None:
    # For every builder of format "html" (html, dirhtml, singlehtml, epub): the handlers
    # are set on the theme's own translator class, so the book theme's markup stays.
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation_html, depart_citation_html))
