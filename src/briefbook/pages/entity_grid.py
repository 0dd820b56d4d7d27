"""People and places at a glance: card grids with a filter box.

``{entity-grid} person`` (or ``place``, ``organization``) shows one card per entity —
name, name in its own script, current or last role (or the place's kind and country),
and how often the book mentions it — linking to its glossary entry.  In HTML a filter
box above the grid narrows it as you type, matching names, aliases and native names
(``static/briefbook.js``; no inline script).  On paper the cards become short entries.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from briefbook.editions.derived import Shown, reports
from briefbook.editions.hidden import edition_registry
from briefbook.entities.domain import may_hold
from briefbook.entities.registry import KIND_LABELS, EntityKind
from briefbook.entities.registry_cache import registry_for
from briefbook.pages import design
from briefbook.pages.design import link
from briefbook.pages.glossary import _facts_line, _kind_argument

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from briefbook.entities.domain import BriefbookDomain
    from briefbook.entities.registry import Entity


class entity_grid(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder for a grid of one kind, filled once mention counts are known."""


class EntityGridDirective(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        try:
            kind = _kind_argument(self.arguments[0])
        except ValueError as exc:
            raise self.error(f"entity-grid: {exc}") from None
        registry = registry_for(self.env)
        for path in registry.files():
            self.env.note_dependency(str(path))
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, f"entity-grid:{kind}")
        label = KIND_LABELS[kind].lower()  # type: ignore[index]
        grid_id = f"bb-grid-{kind}"
        # Generated markup (no article text): the filter box the script drives.
        box = nodes.raw("", (
            f'<div class="bb-filter"><label for="{grid_id}-filter">Filter {label}</label> '
            f'<input type="search" id="{grid_id}-filter" class="bb-filter-input" '
            f'data-bb-filter="{grid_id}" placeholder="Name, alias or native name" '
            f'autocomplete="off"> <span class="bb-filter-count" aria-live="polite"></span></div>'
        ), format="html")
        return [box, entity_grid(kind=kind, grid_id=grid_id)]


def _role_line(entity: Entity) -> str:
    if entity.kind == "person":
        # Current roles; a role that has ended says so, with its dates.
        roles = entity.roles_on(None)
        return "; ".join(r.title + (f" ({r.span()})" if r.end else "") for r in roles)
    return _facts_line(entity)


def entity_card(app: Sphinx, fromdocname: str, entity: Entity, mentions: int) -> nodes.Node:
    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    entry = domain.entries.get(entity.id)
    name = nodes.Text(entity.name)
    title = link(app, fromdocname, entry.docname, entry.anchor, name) if entry else name
    body: list[nodes.Node] = []
    if entity.native_name:
        body.append(nodes.paragraph(entity.native_name, entity.native_name, classes=["bb-native"]))
    role = _role_line(entity)
    if role:
        body.append(nodes.paragraph(role, role, classes=["bb-grid-role"]))
    count = f"{mentions} mention{'s' if mentions != 1 else ''}"
    body.append(nodes.paragraph(count, count, classes=["bb-grid-count"]))
    terms = " ".join([*entity.all_names, entity.native_name]).strip()
    # What the filter box matches; hidden from view and from print.
    body.append(nodes.raw("", f'<span class="bb-filter-terms" hidden>{html.escape(terms)}</span>',
                          format="html"))
    return design.card(title, body, classes=["bb-entity-card"])


def fill_entity_grids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not may_hold(app, docname, "entity-grid:"):
        return
    grids = list(doctree.findall(entity_grid))
    if not grids:
        return  # most pages: counting every mention of the book here made the build quadratic

    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    registry = edition_registry(app.env)  # a released edition lists only what it names
    counts = domain.mention_counts()
    for node in grids:
        kind: EntityKind = node["kind"]
        entities = registry.of_kind(kind)
        cards = [entity_card(app, docname, e, counts.get(e.id, 0)) for e in entities]
        grid = design.grid(cards, columns=(1, 2, 3, 3), classes=["bb-entity-grid"])
        grid["ids"] = [node["grid_id"]]
        # What the cards show: each entity, and every mention its count is made of.
        shown = Shown(app.env)
        for entity in entities:
            shown.entity(entity.id)
            for m in domain.mentions_of(entity.id):
                shown.content(m.docname, m.node_id)
        node.replace_self([*shown.nodes(), grid])


def setup(app: Sphinx) -> None:
    app.add_node(entity_grid)
    app.add_directive("entity-grid", EntityGridDirective)
    app.connect("doctree-resolved", fill_entity_grids)
    reports("entity-grid:")
