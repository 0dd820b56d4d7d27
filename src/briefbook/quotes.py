"""Quotations in a briefing: pull quotes (stand-alone highlighted lines).

A pull quote repeats a phrase from the following paragraph for emphasis; it is not
body text, so it gets its own node that every writer renders as a display element
(and that text-extraction tools and screen readers can tell apart from the prose).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator


class pull_quote(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A stand-alone highlighted line repeated from the article's text."""


class PullQuoteDirective(SphinxDirective):
    """``{pull-quote}``: the article's highlighted line, shown apart from the prose."""

    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = pull_quote()
        self.set_source_info(node)
        node["classes"].append("bb-pullquote")
        node += self.parse_content_to_nodes()
        return [node]


def visit_pull_quote_html(self: HTML5Translator, node: pull_quote) -> None:
    attrs = {"role": "note", "aria-label": "Pull quote"}
    self.body.append(self.starttag(node, "aside", CLASS="bb-pullquote", **attrs))


def depart_pull_quote_html(self: HTML5Translator, node: pull_quote) -> None:
    self.body.append("</aside>\n")


def visit_pull_quote_latex(self: LaTeXTranslator, node: pull_quote) -> None:
    self.body.append("\n\\begin{briefbookpullquote}\n")


def depart_pull_quote_latex(self: LaTeXTranslator, node: pull_quote) -> None:
    self.body.append("\n\\end{briefbookpullquote}\n")


def visit_pull_quote_text(self: TextTranslator, node: pull_quote) -> None:
    self.new_state(4)


def depart_pull_quote_text(self: TextTranslator, node: pull_quote) -> None:
    self.end_state()


def setup(app: Sphinx) -> None:
    app.add_node(
        pull_quote,
        html=(visit_pull_quote_html, depart_pull_quote_html),
        latex=(visit_pull_quote_latex, depart_pull_quote_latex),
        text=(visit_pull_quote_text, depart_pull_quote_text),
    )
    app.add_directive("pull-quote", PullQuoteDirective, override=True)
