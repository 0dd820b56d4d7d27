"""The front page's "Latest briefings": cards generated from the briefings themselves.

A briefing is a page whose front matter has a ``date`` and an ``author``.  Its card shows
the title, date and author, the first key judgement (likelihood first, as a reader scans
for it), a warning when judgements rest on a retracted, discredited or disputed source,
and the people and places it mentions most, as badges linking to the glossary.
Nothing is written by hand, so article 1,001 appears on the front page by being added.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from briefbook.book.briefings import Briefing, briefings, format_date
from briefbook.editions.derived import Shown, reports
from briefbook.entities.domain import may_hold
from briefbook.entities.registry import first_sentence
from briefbook.entities.registry_cache import registry_for
from briefbook.pages import design
from briefbook.pages.affected import card_warning
from briefbook.pages.design import link

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from briefbook.entities.domain import BriefbookDomain


class latest_briefings(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for the cards, filled once every page has been read."""


class LatestBriefingsDirective(SphinxDirective):
    """``{latest-briefings}`` with ``:limit:`` (default 12)."""

    option_spec: ClassVar[OptionSpec] = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, "latest-briefings")
        return [latest_briefings(limit=self.options.get("limit", 12))]


def briefing_card(app: Sphinx, fromdocname: str, briefing: Briefing,
                  shown: Shown | None = None) -> nodes.Node:
    """One briefing's card; what it shows is reported to ``shown`` (its title and
    dateline, its first key judgement, the judgements behind a warning, its badges)."""
    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    registry = registry_for(app.env)
    shown = shown if shown is not None else Shown(app.env)
    shown.title(briefing.docname)
    title = link(app, fromdocname, briefing.docname, "", nodes.Text(briefing.title))
    body: list[nodes.Node] = [
        nodes.paragraph("", f"{format_date(briefing.date)} · {briefing.author}",
                        classes=["bb-card-dateline"]),
    ]
    key = next((c for c in domain.claims.get(briefing.docname, []) if c.key), None)
    if key is not None:
        shown.content(briefing.docname, key.node_id)
        para = nodes.paragraph(classes=["bb-card-judgement"])
        if key.likelihood:
            para += nodes.strong(key.likelihood.capitalize() + ": ", key.likelihood.capitalize() + ": ")
        para += link(app, fromdocname, briefing.docname, key.node_id,
                     nodes.Text(first_sentence(key.text)))
        body.append(para)
    warning = card_warning(app, fromdocname, briefing.docname, shown)
    if warning is not None:
        body.append(warning)
    mentions = domain.mentions.get(briefing.docname, [])
    counts = Counter(m.entity for m in mentions)
    badges = nodes.paragraph(classes=["bb-card-badges"])
    for kind, colour, limit in (("person", "primary", 5), ("place", "info", 5)):
        ranked = [e for e, _ in counts.most_common() if (ent := registry.get(e)) and ent.kind == kind]
        for entity_id in sorted(ranked[:limit], key=lambda i: -counts[i]):
            entity = registry.get(entity_id)
            entry = domain.entries.get(entity_id)
            if entity is None:
                continue
            # The badge, and its rank among the most named, come from every mention of it.
            shown.entity(entity_id)
            for m in mentions:
                if m.entity == entity_id:
                    shown.content(briefing.docname, m.node_id)
            badge = design.badge(entity.name, colour)
            badges += link(app, fromdocname, entry.docname, entry.anchor, badge) if entry else badge
            badges += nodes.Text(" ")
    if len(badges):
        body.append(badges)
    return design.card(title, body, classes=["bb-briefing-card"])


def fill_latest_briefings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not may_hold(app, docname, "latest-briefings"):
        return
    for node in list(doctree.findall(latest_briefings)):
        found = briefings(app.env)[: node["limit"]]
        if not found:
            node.replace_self(nodes.paragraph(text="No briefings yet."))
            continue
        shown = Shown(app.env)
        cards = [briefing_card(app, docname, b, shown) for b in found]
        node.replace_self([*shown.nodes(),
                           design.grid(cards, columns=(1, 1, 2, 2), classes=["bb-latest"])])


def setup(app: Sphinx) -> None:
    app.add_node(latest_briefings)
    app.add_directive("latest-briefings", LatestBriefingsDirective)
    app.connect("doctree-resolved", fill_latest_briefings)
    reports("latest-briefings")
