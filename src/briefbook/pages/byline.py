"""A briefing page's own metadata: author, date and source, shown as a byline.

An article's front matter (``date``, ``author``, ``source``, ``title_supplied``) is the
single record of where the page came from.  Sphinx files it in ``env.metadata``; this
module turns it into the byline a reader expects under the title, in HTML and PDF alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from briefbook.book.briefings import briefing_date, format_date
from briefbook.sources.citations import cite

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def add_byline(app: Sphinx, doctree: nodes.document) -> None:
    """Insert "By <author> · <date>" after the page title when front matter gives them."""
    docname = app.env.current_document.docname
    metadata = app.env.metadata.get(docname, {})
    author = str(metadata.get("author", "")).strip()
    date = briefing_date(metadata)
    if not author:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    byline = nodes.paragraph(classes=["bb-byline"])
    byline += nodes.Text("By ")
    byline += nodes.inline(author, author, classes=["bb-author"])
    if date is not None:
        byline += nodes.Text(" · ")
        byline += nodes.inline(format_date(date), format_date(date), classes=["bb-date"])
    source = str(metadata.get("source", "")).strip()
    if source:
        # The article itself is a source: cite it, so the bibliography links back here.
        byline += nodes.Text(" · Source: ")
        byline += cite(app.env, doctree, [source], section.line or 1)
    if str(metadata.get("title_supplied", "")).lower() in {"true", "yes", "1"}:
        note = "Title supplied by the editors"
        byline += nodes.Text(" · ")
        byline += nodes.emphasis(note, note, classes=["bb-title-supplied"])
    section.insert(1, byline)


def setup(app: Sphinx) -> None:
    # After Sphinx's metadata collector (priority 500) has filled env.metadata.
    app.connect("doctree-read", add_byline, priority=600)
