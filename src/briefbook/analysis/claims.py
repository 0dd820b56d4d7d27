"""Claims and key judgements: a statement, how likely, how well sourced, on what evidence.

``{claim}`` takes ``:likelihood:`` (one of ICD 203's seven terms), ``:confidence:``
(low, moderate or high: the sourcing, kept apart from likelihood), ``:sources:`` (the
citation keys it rests on), ``:credibility:`` (the Admiralty 1–6 grade of the
information this claim takes from them: one for all, or ``key=grade`` each),
``:marking:`` (a handling marking of its own, see :mod:`briefbook.editions.markings`)
and ``:key:`` (list it among the briefing's key judgements).
``{key-judgements}`` opens a briefing: claims written inside it are its key judgements,
and ``:key:`` claims elsewhere on the page are summarised there with a link.
``{estimative-yardstick}`` prints the scale and the confidence levels (the annex).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.analysis import estimative
from briefbook.editions.portions import wrap_marked
from briefbook.nodes import claim
from briefbook.sources.citations import cite, split_keys
from briefbook.sources.fields import credibility_per_key, encode_grades

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)


class ClaimRecord(NamedTuple):
    docname: str
    node_id: str
    line: int
    text: str
    likelihood: str
    confidence: str
    sources: str
    key: bool
    credibility: str = ""  # "key=grade,…": how this claim grades what it takes from each


class key_judgements(nodes.General, nodes.Element):  # noqa: N801
    """The box of key judgements at the top of a briefing."""


class estimate(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A likelihood or confidence label; ``explanation`` is shown on hover and focus."""


def _label(text: str, explanation: str, classes: list[str]) -> estimate:
    node = estimate(text, text, classes=classes)
    node["explanation"] = explanation
    return node


class ClaimDirective(SphinxDirective):
    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "likelihood": directives.unchanged,
        "confidence": directives.unchanged,
        "sources": directives.unchanged,
        "credibility": directives.unchanged,
        "marking": directives.unchanged,
        "key": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        # A claim marked above the edition's release level is not even read.
        return wrap_marked(self, self._claim)

    def _claim(self) -> list[nodes.Node]:
        location = self.get_location()
        serial = self.env.new_serialno("bb-claim")
        node_id = f"claim-{serial}"
        is_key = "key" in self.options or self._inside_key_judgements()
        node = claim(ids=[node_id], classes=["bb-claim", *self.options.get("class", [])])
        node["key"] = is_key
        self.set_source_info(node)

        meta = nodes.paragraph(classes=["bb-claim-meta"])
        raw_likelihood = str(self.options.get("likelihood", "")).strip()
        level = estimative.likelihood(raw_likelihood) if raw_likelihood else None
        if level is None:
            found = f"'{raw_likelihood}' is not one of them" if raw_likelihood else "none given"
            logger.warning("BB204 claim needs estimative language (:likelihood: one of %s; %s)",
                           estimative.terms_list(), found, location=location,
                           type="briefbook", subtype="claim_likelihood")
        else:
            node["classes"].append(f"bb-{level.slug}")
            meta += _label(level.term.capitalize(), f"{level.term}: {level.band} (ICD 203)",
                           ["bb-likelihood", f"bb-{level.slug}"])
            meta += nodes.inline(level.band, f" ({level.band})", classes=["bb-band"])
        raw_confidence = str(self.options.get("confidence", "")).strip()
        confidence = estimative.confidence(raw_confidence) if raw_confidence else None
        if confidence is None:
            found = f"'{raw_confidence}' is not one of them" if raw_confidence else "none given"
            logger.warning("BB205 claim needs a confidence in its sourcing (:confidence: low, "
                           "moderate or high; %s)", found, location=location,
                           type="briefbook", subtype="claim_confidence")
        else:
            if len(meta):
                meta += nodes.Text(" · ")
            meta += _label(f"{confidence.capitalize()} confidence",
                           f"{confidence} confidence: {estimative.CONFIDENCE[confidence]}",
                           ["bb-confidence", f"bb-confidence-{confidence}"])
        node += meta
        statement = self.parse_content_to_nodes()
        node += statement

        keys = split_keys(str(self.options.get("sources", "")))
        node["sources"] = ",".join(keys)  # kept by copies (key-judgement summaries)
        grades, problems = credibility_per_key(str(self.options.get("credibility", "")), keys)
        for problem in problems:
            logger.warning("BB408 claim :credibility:: %s", problem,
                           location=location, type="briefbook", subtype="source_grade")
        node["credibility"] = encode_grades(grades)
        if keys:
            sources = nodes.paragraph(classes=["bb-claim-sources"])
            sources += nodes.Text("Sources: ")
            sources += cite(self.env, self.state.document, keys, self.lineno)
            node += sources
        else:
            logger.warning("BB203 claim cites no source: add :sources: with the bibtex keys "
                           "it rests on", location=location, type="briefbook",
                           subtype="claim_no_source")
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_claim(ClaimRecord(
            docname=self.env.current_document.docname, node_id=node_id, line=self.lineno,
            # The statement as a reader sees it (roles rendered), for summaries elsewhere.
            text=" ".join(" ".join(n.astext() for n in statement).split()),
            likelihood=level.term if level else "", confidence=confidence or "",
            sources=",".join(keys), key=is_key, credibility=encode_grades(grades),
        ))
        return [node]

    def _inside_key_judgements(self) -> bool:
        return bool(self.env.current_document.get("bb_in_key_judgements"))


class KeyJudgementsDirective(SphinxDirective):
    has_content = True
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        node = key_judgements(classes=["bb-key-judgements"])
        self.set_source_info(node)
        title = nodes.paragraph(classes=["bb-key-judgements-title"])
        title += nodes.strong("Key judgements", "Key judgements")
        node += title
        current = self.env.current_document
        current["bb_in_key_judgements"] = True
        try:
            node += self.parse_content_to_nodes()
        finally:
            current["bb_in_key_judgements"] = False
        return [node]


def collect_key_claims(app: Sphinx, doctree: nodes.document) -> None:
    """Summarise ``:key:`` claims made elsewhere on the page in its key-judgements box."""
    boxes = list(doctree.findall(key_judgements))
    if not boxes:
        return
    box = boxes[0]
    outside = [c for c in doctree.findall(claim) if c.get("key") and not _within(c, box)]
    if not outside:
        return
    items = nodes.bullet_list(classes=["bb-key-elsewhere"])
    for found in outside:
        copy = found.deepcopy()
        copy["ids"] = []
        for sub in copy.findall(nodes.Element):
            sub["ids"] = []
        link = nodes.paragraph()
        ref = nodes.reference("", "See it in context", internal=True, refid=found["ids"][0])
        link += ref
        items += nodes.list_item("", copy, link)
    box += items


def _within(node: nodes.Node, ancestor: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


class EstimativeYardstick(SphinxDirective):
    """The scale of likelihood terms and the confidence levels, as a table and a list."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["bb-yardstick"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=3)
        group += nodes.colspec(colwidth=2)
        head = nodes.thead()
        group += head
        head += _row(["Term (ICD 203)", "Probability"])
        body = nodes.tbody()
        group += body
        for level in estimative.LIKELIHOODS:
            body += _row([level.term.capitalize(), level.band])
        levels = nodes.definition_list(classes=["bb-confidence-levels"])
        for name, text in estimative.CONFIDENCE.items():
            term = nodes.term("", f"{name.capitalize()} confidence")
            levels += nodes.definition_list_item("", term,
                                                 nodes.definition("", nodes.paragraph(text, text)))
        return [table, levels]


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph(cell, cell))
    return row


# --- visitors -----------------------------------------------------------------------------


def visit_claim_html(self: HTML5Translator, node: claim) -> None:
    self.body.append(self.starttag(node, "div", role="note", **{"aria-label": "Judgement"}))


def depart_claim_html(self: HTML5Translator, node: claim) -> None:
    self.body.append("</div>\n")


def visit_claim_latex(self: LaTeXTranslator, node: claim) -> None:
    """A claim is a box, and a float cannot go in a box ("Not in outer par mode"): its
    figures are set where they stand, as Sphinx sets them in its admonitions."""
    self.body.append("\n" + self.hypertarget_to(node, anchor=True) + "\\begin{briefbookclaim}\n")
    self.no_latex_floats += 1


def depart_claim_latex(self: LaTeXTranslator, node: claim) -> None:
    self.no_latex_floats -= 1
    self.body.append("\n\\end{briefbookclaim}\n")


def visit_key_judgements_html(self: HTML5Translator, node: key_judgements) -> None:
    self.body.append(self.starttag(node, "section", **{"aria-label": "Key judgements"}))


def depart_key_judgements_html(self: HTML5Translator, node: key_judgements) -> None:
    self.body.append("</section>\n")


def visit_key_judgements_latex(self: LaTeXTranslator, node: key_judgements) -> None:
    self.body.append("\n\\begin{briefbookkeyjudgements}\n")
    self.no_latex_floats += 1  # a box too: see visit_claim_latex


def depart_key_judgements_latex(self: LaTeXTranslator, node: key_judgements) -> None:
    self.no_latex_floats -= 1
    self.body.append("\n\\end{briefbookkeyjudgements}\n")


def visit_estimate_html(self: HTML5Translator, node: estimate) -> None:
    # Focusable, with the band or definition as tooltip and accessible description.
    self.body.append(self.starttag(node, "span", "", tabindex="0", title=node["explanation"],
                                   **{"aria-label": f"{node.astext()}: {node['explanation']}"}))


def depart_estimate_html(self: HTML5Translator, node: estimate) -> None:
    self.body.append("</span>")


def visit_estimate_latex(self: LaTeXTranslator, node: estimate) -> None:
    self.body.append(r"\textbf{")


def depart_estimate_latex(self: LaTeXTranslator, node: estimate) -> None:
    self.body.append("}")


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(claim, html=(visit_claim_html, depart_claim_html),
                 latex=(visit_claim_latex, depart_claim_latex), text=(_pass, _pass))
    app.add_node(key_judgements, html=(visit_key_judgements_html, depart_key_judgements_html),
                 latex=(visit_key_judgements_latex, depart_key_judgements_latex),
                 text=(_pass, _pass))
    app.add_node(estimate, html=(visit_estimate_html, depart_estimate_html),
                 latex=(visit_estimate_latex, depart_estimate_latex), text=(_pass, _pass))
    app.add_directive("claim", ClaimDirective)
    app.add_directive("key-judgements", KeyJudgementsDirective)
    app.add_directive("estimative-yardstick", EstimativeYardstick)
    app.connect("doctree-read", collect_key_claims)
