"""Quotations: who said it, where it was published, and when.

* ``{quote}`words <speaker=id; source=key; said=YYYY-MM-DD>``` for a quotation in running
  text; ``unnamed=…`` instead of ``speaker=`` for a described source that is not in
  the registry ("officials familiar with the matter"); ``credibility=2`` grades, on the
  Admiralty 1–6 scale, how far the source's report of the words can be trusted, when
  that differs from the source's default.
* a ``{quote}`` directive (options ``:speaker:``, ``:unnamed:``, ``:source:``,
  ``:said:``, ``:credibility:``, ``:marking:``) for a block quotation, rendered with its attribution line.
* ``{pull-quote}`` for an article's stand-alone highlighted lines, which repeat the text
  and are not themselves attributed.

The speaker resolves against the registry (a person or an organisation) and links to
its glossary entry; the source is a citation, so it links to the bibliography and an
unknown key fails the build.  Every quotation is recorded in the domain so each
speaker's glossary entry can list what they said across the book.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from briefbook.editions.derived import Shown
from briefbook.editions.portions import wrap_marked
from briefbook.entities.registry import Entity
from briefbook.entities.registry_cache import registry_for
from briefbook.sources.citations import cite, split_keys
from briefbook.sources.fields import credibility_per_key, encode_grades

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)

ATTRIBUTE_KEYS = ("speaker", "unnamed", "source", "said", "credibility")
# Only a final "<key=value; …>" group whose keys are all known is read as attributes, so
# a quotation that happens to end in "<…>" keeps its words.
_ATTRS_RE = re.compile(
    r"^(?P<text>.*?)\s*<(?P<attrs>\s*(?:" + "|".join(ATTRIBUTE_KEYS) + r")\s*=[^<>]*)>\s*$",
    re.DOTALL,
)


class QuoteRecord(NamedTuple):
    """One quotation as the domain keeps it (picklable, merged across processes)."""

    docname: str
    node_id: str
    line: int
    text: str
    speaker: str  # entity id, or "" when unnamed or unknown
    unnamed: str  # description of an unnamed speaker
    source: str  # citation key(s), comma separated
    said: str  # ISO date or ""
    credibility: str = ""  # "key=grade,…": the quotation's own grade of its source(s)


class quotation(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A quotation in running text; its id is the target of the speaker's quote index."""


class pull_quote(nodes.General, nodes.Element):  # noqa: N801
    """A stand-alone highlighted line repeated from the article's text."""


class quotes_by(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder in a glossary entry, replaced by that speaker's quotations."""


def parse_attributes(raw: str) -> tuple[str, dict[str, str]]:
    """Split ``words <speaker=x; source=y>`` into the words and the attributes."""
    match = _ATTRS_RE.match(raw)
    if not match:
        return raw, {}
    attrs: dict[str, str] = {}
    for part in match.group("attrs").split(";"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in ATTRIBUTE_KEYS:
            return raw, {}
        attrs[key] = value.strip().strip("\"'")
    return match.group("text"), attrs


def attribution_nodes(
    env: BuildEnvironment, attrs: dict[str, str], text: str, node_id: str, line: int,
    location: Any, document: nodes.document,
) -> list[nodes.Node]:
    """Check and record one quotation; return its rendered attribution.

    Shared by the role and the directive, so both report the same problems the same way.
    """
    speaker = _resolve_speaker(env, attrs, location)
    unnamed = attrs.get("unnamed", "").strip()
    source_keys = split_keys(attrs.get("source", ""))
    said = attrs.get("said", "").strip()
    if not source_keys:
        logger.warning(
            "BB201 quotation has no source: add source=<bibtex key> (where it was published)",
            location=location, type="briefbook", subtype="quote_no_source",
        )
    if said:
        try:
            dt.date.fromisoformat(said)
        except ValueError:
            logger.warning("BB206 quotation date '%s' is not YYYY-MM-DD", said,
                           location=location, type="briefbook", subtype="quote_bad_date")
            said = ""
    grades, problems = credibility_per_key(attrs.get("credibility", ""), source_keys)
    for problem in problems:
        logger.warning("BB408 quotation credibility=: %s", problem, location=location,
                       type="briefbook", subtype="source_grade")
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    domain.note_quote(QuoteRecord(
        docname=env.current_document.docname, node_id=node_id, line=line,
        text=" ".join(text.split()), speaker=speaker.id if speaker else "",
        unnamed=unnamed, source=",".join(source_keys), said=said,
        credibility=encode_grades(grades),
    ))
    parts: list[nodes.Node] = []
    if speaker is not None:
        xref = addnodes.pending_xref(
            "", refdomain="briefbook", reftype=speaker.kind, reftarget=speaker.id,
            refexplicit=True, refwarn=True, refdoc=env.current_document.docname,
        )
        xref += nodes.inline(speaker.name, speaker.name, classes=["bb-speaker-name"])
        parts.append(nodes.inline("", "", xref, classes=["bb-speaker"]))
    elif unnamed:
        parts.append(nodes.inline(unnamed, unnamed, classes=["bb-speaker", "bb-unnamed"]))
    if said:
        when = dt.date.fromisoformat(said)
        text_date = f"{when.day} {when:%B %Y}"
        parts.append(nodes.inline(text_date, text_date, classes=["bb-said"]))
    if source_keys:
        # "alp": author-year without brackets, as the attribution brings its own.
        citation = cite(env, document, source_keys, line, style="alp")
        if grades:  # read by the citation's grade mark (briefbook.sources.marks)
            citation = nodes.inline("", "", citation, classes=["bb-quote-source"],
                                    credibility=encode_grades(grades))
        parts.append(citation)
    joined: list[nodes.Node] = []
    for i, part in enumerate(parts):
        if i:
            joined.append(nodes.Text(" · "))
        joined.append(part)
    return joined



def _resolve_speaker(env: BuildEnvironment, attrs: dict[str, str], location: Any) -> Entity | None:
    name = attrs.get("speaker", "").strip()
    if not name:
        return None
    entity = registry_for(env).lookup(name)
    if entity is None or entity.kind == "place":
        logger.warning(
            "BB202 quotation speaker '%s' does not resolve to a person or organisation "
            "(add it to the registry, or use unnamed=… for a described source)", name,
            location=location, type="briefbook", subtype="quote_speaker",
        )
        return None
    return entity


class QuoteRole(SphinxRole):
    """``{quote}`words <speaker=…; source=…>```: an attributed quotation in the text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        # Content that starts with a backtick is written with one space before it.
        text = self.text[1:] if self.text.startswith(" `") else self.text
        words, attrs = parse_attributes(nodes.unescape(text))
        serial = self.env.new_serialno("bb-quote")
        node_id = f"q-{serial}"
        source, line = self.get_source_info()
        node = quotation(self.rawtext, "", ids=[node_id], classes=["bb-quote"])
        node.source, node.line = source, line
        node += nodes.inline(words, words, classes=["bb-quote-text"])
        attribution = attribution_nodes(self.env, attrs, words, node_id, line or 0,
                                        self.get_location(), self.inliner.document)
        if attribution:
            tag = nodes.inline("", "", classes=["bb-attribution"])
            tag += nodes.Text(" [")
            tag.extend(attribution)
            tag += nodes.Text("]")
            node += tag
        return [node], []


class QuoteDirective(SphinxDirective):
    """A block quotation with its speaker, source and date as an attribution line."""

    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "speaker": directives.unchanged,
        "unnamed": directives.unchanged,
        "source": directives.unchanged,
        "said": directives.unchanged,
        "credibility": directives.unchanged,
        "marking": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        # A quotation marked above the edition's release level is not even read.
        return wrap_marked(self, self._quotation)

    def _quotation(self) -> list[nodes.Node]:
        serial = self.env.new_serialno("bb-quote")
        node_id = f"q-{serial}"
        block = nodes.block_quote(classes=["bb-quote", "bb-quote-block",
                                           *self.options.get("class", [])], ids=[node_id])
        self.set_source_info(block)
        content = self.parse_content_to_nodes()
        block += content
        attrs = {key: str(self.options[key]) for key in ATTRIBUTE_KEYS if key in self.options}
        text = " ".join(n.astext() for n in content)
        parts = attribution_nodes(self.env, attrs, text, node_id, self.lineno,
                                  self.get_location(), self.state.document)
        if parts:
            attribution = nodes.attribution("", "", classes=["bb-attribution"])
            attribution.extend(parts)
            block += attribution
        return [block]


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


# --- the speaker's quote index in the glossary ----------------------------------------------

EXCERPT = 160


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


def render_quote_index(app: Sphinx, fromdocname: str, records: list[QuoteRecord]) -> nodes.Node:
    env = app.env
    container = nodes.container(classes=["bb-quotes-by"])
    heading = nodes.paragraph()
    heading += nodes.strong("Quoted", "Quoted")
    container += heading
    items = nodes.bullet_list(classes=["bb-quote-index"])
    for record in records:
        para = nodes.paragraph()
        para += nodes.inline("", f"“{_excerpt(record.text)}”", classes=["bb-quote-excerpt"])
        para += nodes.Text(" — ")
        title = env.titles[record.docname].astext() if record.docname in env.titles else record.docname
        ref = nodes.reference("", "", internal=True)
        try:
            ref["refuri"] = app.builder.get_relative_uri(fromdocname, record.docname) + "#" + record.node_id
            ref += nodes.Text(title)
            para += ref
        except Exception:  # NoUri: builders without pages
            para += nodes.Text(title)
        if record.said:
            para += nodes.Text(f" (said {record.said})")
        items += nodes.list_item("", para)
    container += items
    return container


def fill_quote_indexes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    for node in list(doctree.findall(quotes_by)):
        records = domain.quotes_of(node["entity"])
        if records:
            # Quotations of other pages: reported, for the page's marking (editions.derived).
            shown = Shown(app.env)
            for record in records:
                shown.content(record.docname, record.node_id)
            node.replace_self([*shown.nodes(), render_quote_index(app, docname, records)])
        else:
            node.parent.remove(node)


# --- visitors -----------------------------------------------------------------------------


def visit_pull_quote_html(self: HTML5Translator, node: pull_quote) -> None:
    attrs = {"role": "note", "aria-label": "Pull quote"}
    self.body.append(self.starttag(node, "aside", CLASS="bb-pullquote", **attrs))


def depart_pull_quote_html(self: HTML5Translator, node: pull_quote) -> None:
    self.body.append("</aside>\n")


def visit_pull_quote_latex(self: LaTeXTranslator, node: pull_quote) -> None:
    """A box: its figures are set where they stand (a float in a box stops LaTeX)."""
    self.body.append("\n\\begin{briefbookpullquote}\n")
    self.no_latex_floats += 1


def depart_pull_quote_latex(self: LaTeXTranslator, node: pull_quote) -> None:
    self.no_latex_floats -= 1
    self.body.append("\n\\end{briefbookpullquote}\n")


def visit_block_text(self: TextTranslator, node: nodes.Node) -> None:
    self.new_state(4)


def depart_block_text(self: TextTranslator, node: nodes.Node) -> None:
    self.end_state()


def visit_quotation_html(self: HTML5Translator, node: quotation) -> None:
    self.body.append(self.starttag(node, "span", ""))


def depart_quotation_html(self: HTML5Translator, node: quotation) -> None:
    self.body.append("</span>")


def visit_quotation_latex(self: LaTeXTranslator, node: quotation) -> None:
    self.body.append(self.hypertarget_to(node, anchor=True))


def _pass(self: object, node: nodes.Node) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(
        pull_quote,
        html=(visit_pull_quote_html, depart_pull_quote_html),
        latex=(visit_pull_quote_latex, depart_pull_quote_latex),
        text=(visit_block_text, depart_block_text),
    )
    app.add_node(
        quotation,
        html=(visit_quotation_html, depart_quotation_html),
        latex=(visit_quotation_latex, _pass),
        text=(_pass, _pass),
    )
    app.add_node(quotes_by)
    app.add_directive("pull-quote", PullQuoteDirective, override=True)
    app.add_directive("quote", QuoteDirective)
    app.add_role("quote", QuoteRole())
    app.connect("doctree-resolved", fill_quote_indexes)
