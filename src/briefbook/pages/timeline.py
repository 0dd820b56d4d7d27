"""Dated events and the book's timeline.

``{event} 2024-10-22`` (options ``:entities:`` and ``:sources:``, one line of content)
records something that happened, where an article reports it; it shows in the article
as a dated line.  ``{timeline}`` puts every briefing (by its date) and every event on one
chronological page, grouped by month, each linked to its article and its entities.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import groupby
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.book.briefings import briefings, format_date
from briefbook.editions.derived import Shown, reports
from briefbook.entities.domain import may_hold
from briefbook.entities.registry_cache import registry_for
from briefbook.pages.design import link
from briefbook.sources.citations import cite, split_keys

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)

_DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class EventRecord(NamedTuple):
    docname: str
    node_id: str
    date: str  # YYYY-MM-DD or YYYY-MM
    text: str
    entities: tuple[str, ...]
    sources: tuple[str, ...]


class timeline(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for the timeline, filled once every page has been read."""


def _parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not _DATE_RE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
    except ValueError:
        return None


def _when(date: str) -> str:
    parsed = _parse_date(date)
    if parsed is None:
        return date
    return format_date(parsed) if len(date) == 10 else f"{parsed:%B %Y}"


class EventDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "entities": directives.unchanged,
        "sources": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        date = self.arguments[0].strip()
        if _parse_date(date) is None:
            logger.warning("BB207 event date '%s' is not YYYY-MM-DD or YYYY-MM", date,
                           location=self.get_location(), type="briefbook", subtype="event_date")
            return []
        registry = registry_for(self.env)
        entity_ids = []
        for name in [n.strip() for n in str(self.options.get("entities", "")).split(",") if n.strip()]:
            entity = registry.lookup(name)
            if entity is None:
                logger.warning("BB101 unresolved entity '%s' in event", name,
                               location=self.get_location(), type="briefbook", subtype="unresolved")
                continue
            entity_ids.append(entity.id)
        keys = split_keys(str(self.options.get("sources", "")))
        serial = self.env.new_serialno("bb-event")
        node_id = f"event-{serial}"
        source_text = " ".join(" ".join(self.content).split())
        para = nodes.paragraph(ids=[node_id], classes=["bb-event"])
        self.set_source_info(para)
        para += nodes.strong(_when(date), _when(date), classes=["bb-event-date"])
        para += nodes.Text(" — ")
        content = self.parse_text_to_nodes(source_text)
        if len(content) == 1 and isinstance(content[0], nodes.paragraph):
            para.extend(content[0].children)
        else:
            para += nodes.Text(source_text)
        # The description as a reader sees it (roles rendered), for the timeline page.
        text = " ".join(" ".join(n.astext() for n in content).split())
        if keys:
            para += nodes.Text(" ")
            para += cite(self.env, self.state.document, keys, self.lineno)
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_event(EventRecord(self.env.current_document.docname, node_id, date, text,
                                      tuple(entity_ids), tuple(keys)))
        return [para]


class TimelineDirective(SphinxDirective):
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, "timeline")
        return [timeline()]


class _Item(NamedTuple):
    date: str
    order: int
    node: nodes.Node


def _citation_links(app: Sphinx, fromdocname: str, keys: tuple[str, ...]) -> list[nodes.Node]:
    """Links to bibliography entries, labelled as the bibliography labels them."""
    domain: Any = app.env.domains.get("cite")
    if domain is None:
        return []
    out: list[nodes.Node] = []
    for key in keys:
        found = next((c for c in domain.citations if c.key == key), None)
        if found is None:
            continue
        label = nodes.Text(found.formatted_entry.label)
        out.append(link(app, fromdocname, found.bibliography_key.docname, found.citation_id, label))
    return out


def render_timeline(app: Sphinx, fromdocname: str, shown: Shown | None = None) -> nodes.Node:
    """The timeline; what it shows (briefings' titles and datelines, events with their
    entities, sources and pages) is reported to ``shown``."""
    env = app.env
    shown = shown if shown is not None else Shown(env)
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    registry = registry_for(env)
    items: list[_Item] = []
    for briefing in briefings(env):
        shown.title(briefing.docname)
        para = nodes.paragraph(classes=["bb-timeline-briefing"])
        para += nodes.strong(format_date(briefing.date), format_date(briefing.date))
        para += nodes.Text(" — Briefing: ")
        para += link(app, fromdocname, briefing.docname, "", nodes.emphasis(briefing.title, briefing.title))
        para += nodes.Text(f", by {briefing.author}")
        items.append(_Item(briefing.date.isoformat(), 1, para))
    for docname in sorted(domain.events):
        for event in domain.events[docname]:
            shown.content(event.docname, event.node_id)  # its text, entities and sources
            shown.title(docname)
            para = nodes.paragraph(classes=["bb-timeline-event"])
            para += nodes.strong(_when(event.date), _when(event.date))
            para += nodes.Text(" — ")
            para += link(app, fromdocname, event.docname, event.node_id, nodes.Text(event.text))
            names = [(registry.get(e), domain.entries.get(e)) for e in event.entities]
            if names:
                para += nodes.Text(" · ")
                for i, (entity, entry) in enumerate(n for n in names if n[0] is not None):
                    if i:
                        para += nodes.Text(", ")
                    assert entity is not None
                    text = nodes.Text(entity.name)
                    para += link(app, fromdocname, entry.docname, entry.anchor, text) if entry else text
            sources = _citation_links(app, fromdocname, event.sources)
            if sources:
                para += nodes.Text(" · Source: ")
                for i, ref in enumerate(sources):
                    if i:
                        para += nodes.Text("; ")
                    para += ref
            title = env.titles[docname].astext() if docname in env.titles else docname
            para += nodes.Text(" · reported in ")
            para += link(app, fromdocname, docname, "", nodes.emphasis(title, title))
            items.append(_Item(event.date, 0, para))
    container = nodes.container(classes=["bb-timeline"])
    if not items:
        container += nodes.paragraph(text="Nothing dated yet.")
        return container
    items.sort(key=lambda i: (i.date, i.order))
    for month, group in groupby(items, key=lambda i: i.date[:7]):
        heading = _when(month)
        container += nodes.rubric(heading, heading, classes=["bb-timeline-month"],
                                  ids=[f"month-{month}"])
        entries = nodes.bullet_list(classes=["bb-timeline-items"])
        for item in group:
            entries += nodes.list_item("", item.node)
        container += entries
    return container


def fill_timeline(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not may_hold(app, docname, "timeline"):
        return
    for node in list(doctree.findall(timeline)):
        shown = Shown(app.env)
        rendered = render_timeline(app, docname, shown)
        node.replace_self([*shown.nodes(), rendered])


def setup(app: Sphinx) -> None:
    app.add_node(timeline)
    app.add_directive("event", EventDirective)
    app.add_directive("timeline", TimelineDirective)
    app.connect("doctree-resolved", fill_timeline)
    reports("timeline")
