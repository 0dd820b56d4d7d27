"""Text that theme templates print as it is: escaped once, before any template runs.

Sphinx renders its templates without autoescaping, so a template must write
``{{ value|e }}`` for every value that is text. Sphinx's own templates do; themes do not
always: sphinx-book-theme prints the page title in its print header
(``<h1>{{ pagetitle }}</h1>``, from ``title.astext()``), the book's title in its sidebar
(``{{ root_title }}``) and the author in its footer; pydata-sphinx-theme prints
``html_title`` in its logo and its search page's ``<title>``. A title written
``<script>…`` (an article's headline, through ``briefbook ingest``) became live markup
there, and a content security policy that trusts the templates' inline scripts would have
run it.

So every context value that holds plain text is replaced, on every page, by the same text
escaped and marked safe (``markupsafe.Markup``): a template that prints it as it is
prints escaped text, and one that escapes it (``|e``) does not escape it twice. The fix
lives here, not in copies of the theme's templates, so the next template that prints a
title cannot bring the hole back. Values that are already HTML (Sphinx's ``title``,
``body``, ``toc``, relation links: rendered from the document, escaped by its writer)
are left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: Context values that are plain text (titles, names), whoever set them: Sphinx
#: (``docstitle`` is ``html_title``, ``shorttitle``, ``project``, ``copyright``) or
#: sphinx-book-theme (``pagetitle``, ``root_title``, ``author``, ``page_description``).
PLAIN_TEXT = ("pagetitle", "root_title", "docstitle", "shorttitle", "project", "author",
              "copyright", "page_description")


def escape_plain_text(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                      doctree: nodes.document | None) -> None:
    """Replace each plain-text value of the page's context by its escaped form."""
    for key in PLAIN_TEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def setup(app: Sphinx) -> None:
    # Last, after the theme's own handlers (sphinx-book-theme sets pagetitle at 500).
    app.connect("html-page-context", escape_plain_text, priority=999)
