"""sphinx-design cards, grids and badges built as nodes, for generated pages.

The front page and the people and places indexes are generated after every page has
been read, so they cannot be written as MyST and parsed.  These helpers build the same
containers sphinx-design's ``grid``/``grid-item-card`` and ``bdg`` produce (same
classes, same ``design_component`` markers), so its CSS styles them and briefbook's
print transform (:mod:`briefbook.build.latex`) knows how to lay them out on paper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def component(name: str, classes: Sequence[str], children: Iterable[nodes.Node] = (),
              **attributes: object) -> nodes.container:
    node = nodes.container("", is_div=True, design_component=name, classes=list(classes),
                           **attributes)
    node.extend(children)
    return node


def grid(cards: Iterable[nodes.Node], columns: tuple[int, int, int, int] = (1, 1, 2, 2),
         classes: Sequence[str] = ()) -> nodes.container:
    """A responsive grid: ``columns`` for xs, sm, md and lg screens."""
    xs, sm, md, lg = columns
    row = component("grid-row", [
        "sd-row", f"sd-row-cols-{xs}", f"sd-row-cols-xs-{xs}", f"sd-row-cols-sm-{sm}",
        f"sd-row-cols-md-{md}", f"sd-row-cols-lg-{lg}", "sd-g-2", "sd-g-xs-2", "sd-g-sm-2",
        "sd-g-md-2", "sd-g-lg-2",
    ])
    for card in cards:
        row += component("grid-item", ["sd-col", "sd-d-flex-row"], [card])
    return component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4",
                                        *classes], [row])


def card(title: nodes.Node | str, body: Iterable[nodes.Node], classes: Sequence[str] = (),
         **attributes: object) -> nodes.container:
    """A card whose title is text or a link, followed by body paragraphs."""
    title_node = component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    # A TextElement around the title, so a link in it sits where writers expect one.
    title_node += nodes.inline("", "", nodes.Text(title) if isinstance(title, str) else title)
    body_node = component("card-body", ["sd-card-body"], [title_node])
    for child in body:
        if isinstance(child, nodes.paragraph):
            child["classes"].append("sd-card-text")
        body_node += child
    return component("card", ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm",
                              *classes], [body_node], **attributes)


def badge(text: str, colour: str = "secondary") -> nodes.inline:
    return nodes.inline(text, text, classes=["sd-sphinx-override", "sd-badge",
                                             f"sd-bg-{colour}", f"sd-bg-text-{colour}"])


def link(app: Sphinx, fromdocname: str, docname: str, anchor: str, child: nodes.Node) -> nodes.Node:
    """An internal link, or the bare child where the builder has no page to link to."""
    try:
        uri = app.builder.get_relative_uri(fromdocname, docname)
    except NoUri:
        return child
    ref = nodes.reference("", "", internal=True, refuri=uri + (f"#{anchor}" if anchor else ""))
    ref += child
    return ref
