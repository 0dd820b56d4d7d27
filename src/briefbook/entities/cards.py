"""Hover cards: a preview of an entity next to each mention, in HTML only.

Following sphinx-design, the document keeps standard nodes that every writer
understands; this HTML-only post-transform adds the interactive part.  The card shows
the entity's name, native name, the role held on the article's date (a "Secretary of
Defense" in 2024 may not be one in 2026) and the first sentence of its description.
CSS shows it on hover and keyboard focus; ``briefbook.js`` adds tap-to-open on touch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from briefbook.book.briefings import briefing_date
from briefbook.entities.registry_cache import registry_for
from briefbook.nodes import entity_card, mention

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from briefbook.entities.registry import Entity


def build_card(entity: Entity, metadata: dict[str, Any], card_id: str) -> entity_card:
    when = briefing_date(metadata)
    card = entity_card("", "", ids=[card_id])
    card += nodes.inline(entity.name, entity.name, classes=["bb-card-name"])
    if entity.native_name:
        card += nodes.inline(entity.native_name, entity.native_name, classes=["bb-card-native"])
    roles = entity.roles_on(when)
    if roles:
        text = "; ".join(r.title for r in roles)
        card += nodes.inline(text, text, classes=["bb-card-role"])
    summary = entity.summary()
    if summary:
        card += nodes.inline(summary, summary, classes=["bb-card-summary"])
    return card


class AddEntityCards(SphinxPostTransform):
    """Attach a preview card to every resolved mention on an HTML page."""

    default_priority = 20  # after ReferencesResolver (10): the link exists by now
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        registry = registry_for(self.env)
        metadata = self.env.metadata.get(self.env.current_document.docname, {})
        for node in self.document.findall(mention):
            entity = registry.get(node["entity"])
            if entity is None or not node["ids"]:
                continue
            node += build_card(entity, metadata, node["ids"][0] + "-card")


def setup(app: Sphinx) -> None:
    app.add_post_transform(AddEntityCards)
