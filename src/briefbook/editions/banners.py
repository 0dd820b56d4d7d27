"""The banners that carry a page's marking at its top and bottom, in HTML.

A page shows the highest marking of what it holds, generated content included, which is
known only once every filler has run (:mod:`.derived`); pages made by templates alone get
the edition's marking through the theme's layout.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup

from briefbook.editions.derived import shown_level
from briefbook.editions.markings import Level, edition_level

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


class marking_banner(nodes.General, nodes.Element):  # noqa: N801
    """The page's highest marking, at its top and bottom (HTML); ``where``: top|bottom."""


def add_banners(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The page's highest marking at its top and bottom (HTML): its own, or higher, that
    of what its generated content shows (:mod:`.derived`). The PDF's running header and
    footer are set where each page begins (:mod:`.printed`)."""
    if app.builder.format == "latex":
        return  # the LaTeX writer gets each page's marking from briefbook.editions.printed
    level = shown_level(app.env, doctree, docname)
    if level is None:
        return
    attributes = {"level": level.name, "slug": level.slug, "colour": level.colour,
                  "background": level.background, "description": level.description}
    section = next(iter(doctree.findall(nodes.section)), None)
    parent: nodes.Element = section if section is not None else doctree
    top = marking_banner(where="top", **attributes)
    bottom = marking_banner(where="bottom", **attributes)
    index = 1 if section is not None and section.children and isinstance(section[0], nodes.title) else 0
    parent.insert(index, top)
    parent += bottom


def banner_html(level: Level, where: str) -> str:
    """A banner's markup (every value escaped): the visitor's and the templates'."""
    label = f"Handling marking: {level.name}"
    if level.description:
        label += f". {level.description}"
    return (f'<div class="bb-marking-banner bb-marking-{escape(level.slug)} bb-marking-{escape(where)}" '
            f'role="note" aria-label="{escape(label)}"><span class="bb-marking-label">'
            f"{escape(level.name)}</span></div>\n")


def visit_banner_html(self: HTML5Translator, node: marking_banner) -> None:
    # The slug is the level's name's: the node keeps what it needs, not the scheme.
    self.body.append(banner_html(Level(-1, node["level"], description=node["description"]),
                                 node["where"]))
    raise nodes.SkipNode


def banner_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: nodes.document | None) -> None:
    """Pages made by templates alone (``genindex``, ``search``, domain indexes, extra
    pages) show what the whole edition holds: they get the edition's marking, which the
    theme-template override (``templates/layout.html``) prints at their top and bottom.
    Pages made from a document carry theirs in their body (:func:`add_banners`)."""
    if doctree is not None:
        return
    level = edition_level(app.env)
    if level is None:
        return
    context["briefbook_banner_top"] = Markup(banner_html(level, "top"))
    context["briefbook_banner_bottom"] = Markup(banner_html(level, "bottom"))



def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(marking_banner, html=(visit_banner_html, None), latex=(_skip, None),
                 text=(_skip, None))
    # After every filler (priority 500) has reported what it showed.
    app.connect("doctree-resolved", add_banners, priority=800)
    app.connect("html-page-context", banner_context)
