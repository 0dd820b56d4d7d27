"""``{person}``, ``{place}`` and ``{org}``: link a name in the text to its entity.

The role resolves the name (canonical name, alias or id, or ``Shown text <id>``) against
the registry while the page is read, so an unknown name is reported with the page's file
and line.  It records the spot as a :class:`~briefbook.nodes.mention` with its own id
(so backlinks and PDF page numbers point at the exact place) and leaves a
``pending_xref`` that the domain resolves to the entity's glossary entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from briefbook.entities.registry import KIND_LABELS, EntityKind
from briefbook.entities.registry_cache import registry_for
from briefbook.nodes import mention

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message

logger = logging.getLogger(__name__)

ROLE_NAMES: dict[EntityKind, str] = {"person": "person", "place": "place", "organization": "org"}


class EntityRole(SphinxRole):
    """Link a mention of a person, place or organisation to its glossary entry."""

    def __init__(self, kind: EntityKind) -> None:
        super().__init__()
        self.kind: EntityKind = kind

    def run(self) -> tuple[list[Node], list[system_message]]:
        # Content that starts with a backtick is written with one space before it.
        text = self.text[1:] if self.text.startswith(" `") else self.text
        _, shown, target = split_explicit_title(text)
        shown = nodes.unescape(shown)
        target = nodes.unescape(target)
        registry = registry_for(self.env)
        for path in registry.files():
            self.env.note_dependency(str(path))
        entity = registry.lookup(target, self.kind)
        if entity is None:
            other = registry.lookup(target)
            hint = (
                f" (it is a {other.kind}: use {{{ROLE_NAMES[other.kind]}}})" if other else
                f" (add it to the {KIND_LABELS[self.kind].lower()} registry, or fix the spelling)"
            )
            logger.warning(
                "BB101 unresolved %s mention '%s'%s", self.kind, target, hint,
                location=self.get_location(), type="briefbook", subtype="unresolved",
            )
            return [nodes.inline(self.rawtext, shown, classes=["bb-unresolved"])], []

        serial = self.env.new_serialno(f"bb-mention-{entity.id}")
        node_id = f"m-{entity.id}-{serial}"
        variant = entity.is_variant(shown)
        node = mention(
            self.rawtext, "", entity=entity.id, kind=self.kind, variant=variant,
            ids=[node_id], classes=["bb-mention", f"bb-{self.kind}"],
        )
        node.source, node.line = self.get_source_info()
        xref = addnodes.pending_xref(
            self.rawtext, refdomain="briefbook", reftype=self.kind, reftarget=entity.id,
            refexplicit=True, refwarn=True, refdoc=self.env.current_document.docname,
        )
        xref += nodes.inline(shown, shown, classes=["bb-name"])
        node += xref
        if variant:
            # Shown as written in the source, with a marker the glossary entry explains.
            node += nodes.Text(" ")
            node += nodes.inline("[sic]", "[sic]", classes=["bb-sic"])
        return [node], []
