"""Print-only adjustments applied to the PDF's assembled document tree.

Two things the LaTeX writer gets wrong for a briefing book:

* Sphinx gathers every citation into a "Bibliography" chapter at the end of the PDF,
  so a page that only holds the ``{bibliography}`` directive becomes an empty chapter.
  Such pages are dropped from the PDF (they stay in the HTML site).
* sphinx-design cards are flattened into run-on text; each card becomes a titled
  paragraph (the card's title in bold, then its body), which reads well on paper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _bibliography_only_docnames(app: Sphinx) -> set[str]:
    """Documents with a bibliography directive and no section of their own."""
    domain = app.env.domains.get("cite")
    if domain is None:
        return set()
    docnames = {key.docname for key in getattr(domain, "bibliographies", {})}
    return docnames


def drop_bibliography_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove, from the assembled PDF tree, pages that only wrapped the bibliography."""
    if app.builder.format != "latex":
        return
    candidates = _bibliography_only_docnames(app)
    for start in list(doctree.findall(addnodes.start_of_file)):
        if start.get("docname") not in candidates:
            continue
        sections = [child for child in start.children if isinstance(child, nodes.section)]
        if len(sections) != 1:
            continue
        section = sections[0]
        # After Sphinx's BibliographyTransform, only title and prose remain here.
        if any(isinstance(n, nodes.section) for n in section.children):
            continue
        start.parent.remove(start)


def _is_card(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == "card"


def flatten_cards_for_print(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn each sphinx-design card into one entry: the title in bold, then its lines
    joined by middle dots, so a grid prints as a compact list."""
    if app.builder.format != "latex":
        return
    for card in list(doctree.findall(_is_card)):
        title: list[nodes.Node] = []
        body: list[nodes.paragraph] = []
        other: list[nodes.Node] = []
        for part in card.findall(nodes.container):
            classes = part.get("classes", [])
            if "sd-card-title" in classes:
                title = [child.deepcopy() for child in part.children]
            elif "sd-card-body" in classes:
                for child in part.children:
                    if "sd-card-title" in child.get("classes", []) or isinstance(child, nodes.raw):
                        continue
                    if isinstance(child, nodes.paragraph):
                        body.append(child)
                    else:
                        other.append(child.deepcopy())
        entry = nodes.paragraph(classes=["bb-print-card"])
        if title:
            entry += nodes.strong("", "", *title)
        for i, para in enumerate(body):
            entry += nodes.Text(" — " if i == 0 and title else " · ")
            entry.extend(child.deepcopy() for child in para.children)
        card.replace_self([entry, *other])


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", drop_bibliography_pages)
    app.connect("doctree-resolved", flatten_cards_for_print)
