"""Judgements hit by a retracted, discredited or disputed source, found for the reader
and for the analyst.

ICS 206-01 asks for a source reference wherever a judgement depends on a source, so that
the judgements a discredited source touches can be found. Every claim and quotation
already names its sources; from them this module makes

* the ``{affected-judgements}`` page: each flagged source, then every judgement and
  quotation resting on it, with what else each still rests on;
* the line on a front-page card whose briefing has such judgements;
* the build's (and ``briefbook check``'s) findings: a key judgement left with no source
  standing (BB416), one that lost a source (BB417) or rests on a disputed one (BB418),
  and, when ``briefbook_require_grades`` is on, one resting on an ungraded source (BB415).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.editions.derived import Shown, reports
from briefbook.editions.hidden import names_only_what_it_holds
from briefbook.entities.domain import fill_generated_pages
from briefbook.pages.design import link
from briefbook.sources import catalogue
from briefbook.sources.citations import bibliography_docnames, citing_docnames, split_keys
from briefbook.sources.fields import SourceFacts, statuses_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from briefbook.editions.derived import Shown
    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)
EXCERPT = 200


@dataclass(frozen=True)
class Affected:
    """One judgement or quotation resting on at least one flagged source."""

    docname: str
    node_id: str
    line: int
    kind: str  # "key judgement", "claim" or "quotation"
    text: str
    sources: tuple[str, ...]
    flagged: tuple[str, ...]  # its sources that are retracted, discredited or disputed
    speaker: str = ""

    def standing(self, facts: dict[str, SourceFacts]) -> tuple[str, ...]:
        """Its sources not retracted or discredited (disputed ones still stand)."""
        return tuple(k for k in self.sources if k not in facts or not facts[k].standing.lost)

    def unflagged(self) -> tuple[str, ...]:
        return tuple(k for k in self.sources if k not in self.flagged)


def affected(env: BuildEnvironment, docname: str | None = None) -> list[Affected]:
    """Every judgement and quotation resting on a flagged source (of one page, or all)."""
    flagged = catalogue.flagged(env)
    if not flagged:
        return []
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    found: list[Affected] = []
    docnames = [docname] if docname else sorted(set(domain.claims) | set(domain.quotes))
    for doc in docnames:
        for claim in domain.claims.get(doc, []):
            keys = tuple(split_keys(claim.sources))
            hit = tuple(k for k in keys if k in flagged)
            if hit:
                found.append(Affected(doc, claim.node_id, claim.line,
                                      "key judgement" if claim.key else "claim",
                                      claim.text, keys, hit))
        for quote in domain.quotes.get(doc, []):
            keys = tuple(split_keys(quote.source))
            hit = tuple(k for k in keys if k in flagged)
            if hit:
                found.append(Affected(doc, quote.node_id, quote.line, "quotation", quote.text,
                                      keys, hit, quote.speaker or quote.unnamed))
    return found


# --- the page -------------------------------------------------------------------------------


class affected_judgements(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for the list, filled once every page has been read."""


class AffectedJudgementsDirective(SphinxDirective):
    """``{affected-judgements}``: what rests on retracted, discredited or disputed sources."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, "affected-judgements")
        return [affected_judgements()]


def _link(app: Sphinx, fromdocname: str, docname: str, anchor: str, child: nodes.Node) -> nodes.Node:
    return link(app, fromdocname, docname, anchor, child)


def _title(env: BuildEnvironment, docname: str) -> str:
    return env.titles[docname].astext() if docname in env.titles else docname


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


def _source_ref(app: Sphinx, fromdocname: str, key: str) -> nodes.Node:
    """The source's label, linking to its bibliography entry."""
    env = app.env
    label = nodes.Text(catalogue.label_of(env, key))
    domain: Any = env.domains.get("cite")
    for cit in getattr(domain, "citations", []):
        if cit.key == key:
            return _link(app, fromdocname, cit.bibliography_key.docname, cit.citation_id, label)
    return label


def _sources_text(app: Sphinx, fromdocname: str, keys: tuple[str, ...],
                  facts: dict[str, SourceFacts], with_standing: bool) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, key in enumerate(keys):
        if i:
            out.append(nodes.Text("; "))
        out.append(_source_ref(app, fromdocname, key))
        source = facts.get(key)
        if with_standing and source is not None and source.standing:
            described = source.standing.describe()
            out.append(nodes.Text(f" ({described[:1].lower()}{described[1:]})"))
        elif source is not None and source.grade.reliability:
            out.append(nodes.Text(f" (graded {source.grade.reliability})"))
    return out


def flagged_in_edition(env: BuildEnvironment) -> dict[str, SourceFacts]:
    """The flagged sources the page lists: all of them in the full edition; in a released
    edition (or a selection), those its pages cite. A source only withheld material
    cites is not cited here (withheld material is never read): naming it, with why it is
    flagged, would say what the withheld material rests on."""
    flagged = catalogue.flagged(env)
    if not names_only_what_it_holds(env.config):
        return flagged
    cited = citing_docnames(env)
    return {key: facts for key, facts in flagged.items() if key in cited}


def render(app: Sphinx, fromdocname: str) -> list[nodes.Node]:
    env = app.env
    facts = catalogue.source_facts(env)
    flagged = flagged_in_edition(env)
    if not flagged:
        return [nodes.paragraph(
            "", "No source in this book is marked retracted, discredited or disputed. When "
            "one is (status, status-date and status-reason in its sources.bib entry), every "
            "judgement and quotation resting on it is listed here, with what it still rests "
            "on.", classes=["bb-affected-none"])]
    out: list[nodes.Node] = [nodes.rubric("", "Sources flagged")]
    sources = nodes.bullet_list(classes=["bb-flagged-sources"])
    lost_first = sorted(flagged, key=lambda k: (not flagged[k].standing.lost,
                                                catalogue.label_of(env, k).casefold()))
    for key in lost_first:
        para = nodes.paragraph()
        para += _source_ref(app, fromdocname, key)
        para += nodes.Text(": ")
        para += nodes.strong("", flagged[key].standing.describe() + ".")
        sources += nodes.list_item("", para)
    out.append(sources)

    found = affected(env)
    judgements = [a for a in found if a.kind != "quotation"]
    quotations = [a for a in found if a.kind == "quotation"]
    out.append(nodes.rubric("", "Judgements"))
    if not judgements:
        out.append(nodes.paragraph("", "No judgement rests on these sources."))
    else:
        items = nodes.bullet_list(classes=["bb-affected-list"])
        # Those left with nothing first: they are the ones to withdraw or re-source.
        for item in sorted(judgements, key=lambda a: (bool(a.standing(facts)), a.kind != "key judgement",
                                                      a.docname, a.line)):
            items += _judgement_item(app, fromdocname, item, facts)
        out.append(items)
    if quotations:
        out.append(nodes.rubric("", "Quotations"))
        items = nodes.bullet_list(classes=["bb-affected-list"])
        for item in quotations:
            para = nodes.paragraph()
            para += _link(app, fromdocname, item.docname, item.node_id,
                          nodes.Text(f"“{_excerpt(item.text)}”"))
            para += nodes.Text(f" — in {_title(env, item.docname)}. Source: ")
            para.extend(_sources_text(app, fromdocname, item.flagged, facts, True))
            items += nodes.list_item("", para)
        out.append(items)
    pages = _other_citations(env, flagged)
    if pages:
        out.append(nodes.rubric("", "Other pages citing them"))
        items = nodes.bullet_list(classes=["bb-affected-pages"])
        for docname, keys in pages:
            para = nodes.paragraph()
            para += _link(app, fromdocname, docname, "", nodes.Text(_title(env, docname)))
            para += nodes.Text(" cites ")
            para.extend(_sources_text(app, fromdocname, tuple(keys), facts, False))
            items += nodes.list_item("", para)
        out.append(items)
    return out


def _judgement_item(app: Sphinx, fromdocname: str, item: Affected,
                    facts: dict[str, SourceFacts]) -> nodes.list_item:
    env = app.env
    lead = nodes.paragraph()
    lead += nodes.strong("", item.kind.capitalize())
    lead += nodes.Text(f" in {_title(env, item.docname)}: ")
    lead += _link(app, fromdocname, item.docname, item.node_id, nodes.Text(_excerpt(item.text)))
    hit = nodes.paragraph()
    hit += nodes.emphasis("", "Affected by: ")
    hit.extend(_sources_text(app, fromdocname, item.flagged, facts, True))
    rest = nodes.paragraph()
    remaining = item.unflagged()
    if remaining:
        rest += nodes.emphasis("", "Still rests on: ")
        rest.extend(_sources_text(app, fromdocname, remaining, facts, False))
    elif item.standing(facts):
        rest += nodes.emphasis("", "It rests on no other source.")
    else:
        rest += nodes.strong("", "No source left standing.")
    classes = ["bb-affected"] + ([] if item.standing(facts) else ["bb-affected-unsupported"])
    return nodes.list_item("", lead, hit, rest, classes=classes)


def _other_citations(env: BuildEnvironment, flagged: dict[str, SourceFacts]) -> list[tuple[str, list[str]]]:
    """Pages citing a flagged source in their text (beyond the judgements and quotations)."""
    bibliographies = set(bibliography_docnames(env))
    pages: dict[str, list[str]] = {}
    for key, docnames in citing_docnames(env).items():
        if key in flagged:
            for docname in docnames:
                if docname not in bibliographies:
                    pages.setdefault(docname, []).append(key)
    return sorted(pages.items(), key=lambda p: _title(env, p[0]).casefold())


def render_reported(app: Sphinx, fromdocname: str) -> list[nodes.Node]:
    """:func:`render`, with what it shows reported (:mod:`briefbook.editions.derived`):
    every judgement and quotation listed, and the pages named as citing a flagged source
    (their highest marking: the citation is not pinned to one node)."""
    shown = Shown(app.env)
    flagged = flagged_in_edition(app.env)
    for item in affected(app.env) if flagged else []:
        shown.content(item.docname, item.node_id)
    for docname, _keys in _other_citations(app.env, flagged) if flagged else []:
        shown.page(docname)
    return [*shown.nodes(), *render(app, fromdocname)]


def fill_affected_judgements(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    fill_generated_pages(app, doctree, docname, "affected-judgements", affected_judgements,
                         render_reported, "bb-affected-judgements")


def card_warning(app: Sphinx, fromdocname: str, docname: str,
                 shown: Shown | None = None) -> nodes.paragraph | None:
    """"⚠ 2 judgements rest on a retracted source", for a briefing's front-page card
    (the judgements it counts are reported to ``shown``)."""
    hits = [a for a in affected(app.env, docname) if a.kind != "quotation"]
    if not hits:
        return None
    if shown is not None:
        for hit in hits:
            shown.content(hit.docname, hit.node_id)
    flagged = catalogue.flagged(app.env)
    statuses = {flagged[k].standing.status for a in hits for k in a.flagged}
    count = len(hits)
    text = (f"{count} judgement{'s' if count != 1 else ''} "
            f"rest{'s' if count == 1 else ''} on a {statuses_text(statuses)} source")
    para = nodes.paragraph(classes=["bb-card-affected"])
    para += nodes.strong("", "Warning: ")
    para += _link(app, fromdocname, docname, hits[0].node_id, nodes.Text(text))
    return para


# --- findings -------------------------------------------------------------------------------


def check_judgements(app: Sphinx, env: BuildEnvironment) -> None:
    """BB415–BB418 for every claim, at its line (errors or warnings: see ``check``)."""
    facts = catalogue.source_facts(env)
    if not facts:
        return
    require = bool(app.config.briefbook_require_grades)
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    for docname in sorted(domain.claims):
        for claim in domain.claims[docname]:
            keys = split_keys(claim.sources)
            what = "key judgement" if claim.key else "claim"
            location = (docname, claim.line)
            if require and claim.key:
                for key in keys:
                    if key in facts and not facts[key].grade.reliability:
                        logger.warning(
                            "BB415 key judgement rests on '%s', which has no reliability "
                            "grade: add reliability = {A–F} to its entry in sources.bib",
                            key, location=location, type="briefbook", subtype="ungraded_source")
            lost = [k for k in keys if k in facts and facts[k].standing.lost]
            disputed = [k for k in keys if k in facts and facts[k].standing.status == "disputed"]
            described = "; ".join(f"'{k}' ({facts[k].standing.describe()})" for k in lost)
            if lost and len(lost) == len(keys):
                logger.warning("BB416 %s has no source left standing: %s", what, described,
                               location=location, type="briefbook", subtype="judgement_unsupported")
            elif lost:
                rest = ", ".join(f"'{k}'" for k in keys if k not in lost)
                logger.warning("BB417 %s has lost a source: %s; it still rests on %s", what,
                               described, rest, location=location, type="briefbook",
                               subtype="judgement_lost_source")
            for key in disputed:
                logger.warning("BB418 %s rests on a disputed source: '%s' (%s)", what, key,
                               facts[key].standing.describe(), location=location,
                               type="briefbook", subtype="judgement_disputed_source")


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_require_grades", False, "env", types=[bool])
    app.add_node(affected_judgements)
    app.add_directive("affected-judgements", AffectedJudgementsDirective)
    app.connect("doctree-resolved", fill_affected_judgements)

    reports("affected-judgements")
    app.connect("env-check-consistency", check_judgements)
