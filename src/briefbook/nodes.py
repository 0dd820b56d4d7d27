"""briefbook's own document nodes and how each output format renders them.

Nodes carry meaning (a mention of an entity, a preview card, a list of backlinks); the
visitors decide looks.  HTML gets interactive parts, LaTeX gets labels and page
references, plain text gets the words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator


class mention(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A name in the text that refers to a registry entity.

    Attributes: ``entity`` (id), ``kind``, ``variant`` (the text is a sic spelling).
    Its ``ids`` give the exact spot so backlinks and PDF page numbers can point here.
    """


class entity_card(nodes.Inline, nodes.TextElement):  # noqa: N801
    """HTML-only preview shown on hover, focus or tap of a mention."""


class mentioned_in(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder in a glossary entry, replaced by backlinks once all pages are read."""


class page_refs(nodes.Inline, nodes.Element):  # noqa: N801
    """LaTeX page numbers of a list of labels (``labels`` attribute), duplicates merged."""


class claim(nodes.General, nodes.Element):  # noqa: N801
    """A judgement with its likelihood, confidence and sources (:mod:`briefbook.analysis.claims`).

    Declared here, with the other nodes several features look for, because the sources'
    marks (:mod:`briefbook.sources.marks`) flag claims that rest on a retracted source.
    """


# --- mention -----------------------------------------------------------------------------


def visit_mention_html(self: HTML5Translator, node: mention) -> None:
    self.body.append(self.starttag(node, "span", "", **{"data-entity": node["entity"]}))


def depart_mention_html(self: HTML5Translator, node: mention) -> None:
    self.body.append("</span>")


def visit_mention_latex(self: LaTeXTranslator, node: mention) -> None:
    # A label per mention, so glossary entries can print the page it is on.
    self.body.append(self.hypertarget_to(node, anchor=True))


def depart_mention_latex(self: LaTeXTranslator, node: mention) -> None:
    pass


# --- entity card (HTML only; other formats skip it) -------------------------------------


def visit_entity_card_html(self: HTML5Translator, node: entity_card) -> None:
    self.body.append(self.starttag(node, "span", "", role="tooltip", CLASS="bb-card"))


def depart_entity_card_html(self: HTML5Translator, node: entity_card) -> None:
    self.body.append("</span>")


def skip_node(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


# --- page references (LaTeX) ---------------------------------------------------------------


def visit_page_refs_latex(self: LaTeXTranslator, node: page_refs) -> None:
    labels = ",".join(self.idescape(label).removeprefix(r"\detokenize{").removesuffix("}")
                      for label in node["labels"])
    self.body.append(r"\bbpagerefs{" + labels + "}")
    raise nodes.SkipNode


def _noop(self: object, node: nodes.Node) -> None:
    pass


def visit_passthrough_text(self: TextTranslator, node: nodes.Node) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(
        mention,
        html=(visit_mention_html, depart_mention_html),
        latex=(visit_mention_latex, depart_mention_latex),
        text=(visit_passthrough_text, _noop),
        man=(_noop, _noop),
        texinfo=(_noop, _noop),
    )
    app.add_node(
        entity_card,
        html=(visit_entity_card_html, depart_entity_card_html),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_node(
        page_refs,
        html=(skip_node, None),
        latex=(visit_page_refs_latex, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
