"""A source's grade and standing, shown wherever it is cited.

After sphinxcontrib-bibtex has resolved a citation into links ("Xinhua 2024"), each link
gets what a reader needs to weigh it, in every format:

* the Admiralty grade (``C2``: source fairly reliable, information probably true), the
  information's credibility taken from the use (a claim's or quotation's own
  ``credibility``) before the source's default;
* a flag when the source is retracted, discredited or disputed, so the consequences of a
  retraction are visible on every page that cites it, not only in the bibliography;
* in HTML, a hover card (hover, keyboard focus, tap) with the entry, the grade spelled
  out, the standing and the preserved copy, in place of the browser's plain tooltip.

Claims resting on a flagged source say so in their own box, with what they still rest
on (:func:`flag_claims`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from briefbook.nodes import claim, entity_card
from briefbook.sources import catalogue, fields
from briefbook.sources.fields import Grade, SourceFacts

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

# sphinxcontrib-bibtex's LaTeX citation: \hyperlink{cite.<docname>:<citation id>}{ … }
_LATEX_CITE = re.compile(r"\\hyperlink\{cite\.[^:}]*:(?P<id>[^}]+)\}\{$")


class source_ref(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A citation link with its grade, flag and (HTML) card; ``key`` names the source."""


class source_grade(nodes.Inline, nodes.TextElement):  # noqa: N801
    """The grade of one use of a source (``C2``); ``explanation`` spells it out."""


class source_flag(nodes.Inline, nodes.TextElement):  # noqa: N801
    """``Retracted`` / ``Discredited`` / ``Disputed`` next to a citation; ``status``."""


def grade_node(grade: Grade) -> source_grade:
    node = source_grade(grade.code, grade.code, classes=["bb-grade"])
    node["explanation"] = f"Grade {grade.code}: {grade.explanation()}"
    return node


def flag_node(facts: SourceFacts) -> source_flag:
    text = facts.standing.status.capitalize()
    node = source_flag(text, text, classes=["bb-source-flag", f"bb-status-{facts.standing.status}"])
    node["status"] = facts.standing.status
    node["explanation"] = facts.standing.describe()
    return node


def use_credibility(node: nodes.Node, key: str) -> str:
    """The credibility a claim or quotation gives its use of ``key`` (nearest ancestor)."""
    parent: Any = node
    while parent is not None:
        if isinstance(parent, nodes.Element) and parent.get("credibility"):
            return fields.decode_grades(parent["credibility"]).get(key, "")
        parent = parent.parent
    return ""


def _anchor(ref: nodes.Element) -> str:
    if ref.get("refid"):
        return str(ref["refid"])
    return str(ref.get("refuri", "")).rpartition("#")[2]


def citation_spots(document: nodes.document, ids: dict[str, str]) -> list[tuple[str, list[nodes.Node]]]:
    """Each resolved citation of a source in ``document``: its key and the nodes that
    make up its link (one reference node; in LaTeX, the raw ``\\hyperlink`` pair and the
    text between)."""
    spots: list[tuple[str, list[nodes.Node]]] = []
    for ref in document.findall(nodes.reference):
        key = ids.get(_anchor(ref))
        if key is not None and not _inside(ref, nodes.citation):
            spots.append((key, [ref]))
    from sphinxcontrib.bibtex.nodes import raw_latex

    for raw in document.findall(raw_latex):
        match = _LATEX_CITE.search(raw.rawsource)  # its LaTeX is its rawsource
        key = ids.get(match.group("id")) if match else None
        if key is None or raw.parent is None:
            continue
        siblings = raw.parent.children
        start = siblings.index(raw)
        for end in range(start + 1, len(siblings)):
            if isinstance(siblings[end], raw_latex) and siblings[end].rawsource == "}":
                spots.append((key, siblings[start:end + 1]))
                break
    return spots


def _inside(node: nodes.Node, kind: type) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parent
    return False


def _in_sourcing_table(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.table) and "bb-sourcing" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def source_card(facts: SourceFacts, label: str, entry_text: str, card_id: str,
                grade: Grade) -> entity_card:
    """The hover card of a citation: the entry, its grade, standing and preserved copy."""
    card = entity_card("", "", ids=[card_id], classes=["bb-source-card"])
    card += nodes.inline(label, label, classes=["bb-card-name"])
    if entry_text:
        card += nodes.inline(entry_text, entry_text, classes=["bb-card-summary"])
    if grade:
        text = f"Grade {grade.code}: {grade.explanation()}"
        card += nodes.inline(text, text, classes=["bb-card-grade"])
    if facts.standing:
        text = facts.standing.describe()
        card += nodes.inline(text, text, classes=["bb-card-alert"])
    if facts.preserved and facts.preserved.date:
        text = (f"Preserved copy captured {fields.format_day(facts.preserved.date)}, "
                f"SHA-256 {facts.preserved.sha256[:16]}…")
        card += nodes.inline(text, text, classes=["bb-card-preserved"])
    return card


class MarkCitations(SphinxPostTransform):
    """Grade, flag and (HTML) card for every citation of a graded or flagged source,
    and a hover card for every other citation too (its entry, in place of a tooltip)."""

    default_priority = 20  # after ReferencesResolver (10): the citation links exist

    def run(self, **kwargs: Any) -> None:
        ids = catalogue.citation_keys(self.env)
        if not ids:
            return
        facts_by_key = catalogue.source_facts(self.env)
        labels = catalogue.citation_labels(self.env)
        # The builder class, as SphinxPostTransform.is_supported reads it (Sphinx 9
        # deprecates reaching the application from a transform).
        builder = getattr(self.env, "_builder_cls", None)
        html = getattr(builder, "format", "") == "html"
        serial = 0
        for key, parts in citation_spots(self.document, ids):
            facts = facts_by_key.get(key) or SourceFacts(key, Grade(), fields.Standing(),
                                                        fields.Preserved())
            grade = facts.grade.using(use_credibility(parts[0], key))
            marks: list[nodes.Node] = []
            # The sourcing table has columns for both; its links keep only the card.
            in_table = _in_sourcing_table(parts[0])
            if grade and not in_table:
                marks.append(grade_node(grade))
            if facts.standing and not in_table:
                marks.append(flag_node(facts))
            if not marks and not html:
                continue
            parent = parts[0].parent
            assert parent is not None
            wrapper = source_ref("", "", classes=["bb-source"], key=key)
            if facts.standing:
                wrapper["classes"].append("bb-source-flagged")
            index = parent.index(parts[0])
            for part in parts:
                parent.remove(part)
            wrapper.extend(parts)
            wrapper.extend(marks)
            if html:
                ref = parts[0]
                entry_text = str(ref.get("reftitle", ""))
                ref.attributes.pop("reftitle", None)  # the card replaces the native tooltip
                serial += 1
                card_id = f"bb-source-card-{serial}"
                wrapper += source_card(facts, labels.get(key, ref.astext()), entry_text,
                                       card_id, grade)
            parent.insert(index, wrapper)


def flag_claims(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put, at the top of every claim (and its copies in key-judgement summaries) that
    rests on a flagged source, which source and what the claim still rests on."""
    flagged = catalogue.flagged(app.env)
    if not flagged:
        return
    for node in doctree.findall(claim):
        keys = [k for k in str(node.get("sources", "")).split(",") if k]
        hit = [k for k in keys if k in flagged]
        if not hit:
            continue
        standing = [k for k in keys if k not in flagged or not flagged[k].standing.lost]
        node["classes"].append("bb-claim-affected")
        if not standing:
            node["classes"].append("bb-claim-unsupported")
        node.insert(0, claim_warning(app, hit, standing, flagged))


def claim_warning(app: Sphinx, hit: list[str], standing: list[str],
                  flagged: dict[str, SourceFacts]) -> nodes.container:
    """"Rests on a retracted source: Xinhua 2024 (retracted on …). Still rests on: …".

    A container, which Sphinx's LaTeX writer wraps in ``sphinxuseclass`` so that
    ``briefbook.sty`` can print it in the alert colour."""
    para = nodes.paragraph()
    statuses = {flagged[k].standing.status for k in hit}
    para += nodes.strong("", f"Rests on a {fields.statuses_text(statuses)} source: ")
    for i, key in enumerate(hit):
        if i:
            para += nodes.Text("; ")
        described = flagged[key].standing.describe()
        para += nodes.Text(f"{catalogue.label_of(app.env, key)} "
                           f"({described[:1].lower()}{described[1:]})")
    para += nodes.Text(". ")
    remaining = [k for k in standing if k not in hit]
    if remaining:
        para += nodes.Text("Still rests on: "
                           + "; ".join(catalogue.label_of(app.env, k) for k in remaining) + ".")
    elif standing:
        para += nodes.Text("It rests on no other source.")
    else:
        para += nodes.strong("", "No source left standing.")
    return nodes.container("", para, classes=["bb-claim-warning"])


# --- visitors -----------------------------------------------------------------------------


def visit_source_ref_html(self: HTML5Translator, node: source_ref) -> None:
    self.body.append(self.starttag(node, "span", "", **{"data-source": node["key"]}))


def depart_source_ref_html(self: HTML5Translator, node: source_ref) -> None:
    self.body.append("</span>")


def visit_grade_html(self: HTML5Translator, node: source_grade) -> None:
    self.body.append(self.starttag(node, "abbr", "", title=node["explanation"]))


def depart_grade_html(self: HTML5Translator, node: source_grade) -> None:
    self.body.append("</abbr>")


def visit_flag_html(self: HTML5Translator, node: source_flag) -> None:
    self.body.append(self.starttag(node, "strong", "", title=node["explanation"]))


def depart_flag_html(self: HTML5Translator, node: source_flag) -> None:
    self.body.append("</strong>")


def visit_grade_latex(self: LaTeXTranslator, node: source_grade) -> None:
    self.body.append(r"\bbgrade{" + self.encode(node.astext()) + "}")
    raise nodes.SkipNode


def visit_flag_latex(self: LaTeXTranslator, node: source_flag) -> None:
    self.body.append(r"\bbsourceflag{" + self.encode(node.astext()) + "}")
    raise nodes.SkipNode


def visit_mark_text(self: TextTranslator, node: nodes.Element) -> None:
    self.add_text(f" [{node.astext().upper() if isinstance(node, source_flag) else node.astext()}]")
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(source_ref, html=(visit_source_ref_html, depart_source_ref_html),
                 latex=(_pass, _pass), text=(_pass, _pass))
    app.add_node(source_grade, html=(visit_grade_html, depart_grade_html),
                 latex=(visit_grade_latex, None), text=(visit_mark_text, None))
    app.add_node(source_flag, html=(visit_flag_html, depart_flag_html),
                 latex=(visit_flag_latex, None), text=(visit_mark_text, None))
    app.add_post_transform(MarkCitations)
    app.connect("doctree-resolved", flag_claims)
