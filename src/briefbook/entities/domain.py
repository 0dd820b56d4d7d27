"""The ``briefbook`` domain: entities as typed objects, and where each is mentioned.

Modelled on Sphinx's own domains: the registry says what exists; this domain records,
per document, where glossary entries live (``entries``) and where each entity is
mentioned (``mentions``), so that links resolve, glossary pages can list backlinks, and
both stay right under parallel reads (``merge_domaindata``) and incremental rebuilds
(``clear_doc``).
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from briefbook.entities.registry import Entity
from briefbook.entities.registry_cache import registry_for
from briefbook.entities.roles import EntityRole
from briefbook.nodes import mention

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

ROLE_FOR_KIND = {"person": "person", "place": "place", "organization": "org"}


class Mention(NamedTuple):
    """One linked name in one document (picklable, for parallel merges)."""

    entity: str
    docname: str
    node_id: str
    line: int
    text: str
    section_id: str
    section_title: str
    variant: bool


class Entry(NamedTuple):
    """Where an entity's glossary entry is rendered."""

    docname: str
    anchor: str
    kind: str


# --- domain ----------------------------------------------------------------------------------


class BriefbookDomain(Domain):
    """People, places and organisations, their glossary entries and their mentions."""

    name = "briefbook"
    label = "briefbook"
    object_types: ClassVar[dict[str, ObjType]] = {
        "person": ObjType(_("person"), "person", "term"),
        "place": ObjType(_("place"), "place", "term"),
        "organization": ObjType(_("organisation"), "org", "term"),
    }
    roles: ClassVar[dict[str, Any]] = {
        "person": EntityRole("person"),
        "place": EntityRole("place"),
        "org": EntityRole("organization"),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        "entries": {},  # entity id -> Entry
        "mentions": {},  # docname -> [Mention]
        "index_docs": {},  # docname -> [kind] of entity indexes on that page
        "quotes": {},  # docname -> [QuoteRecord]
        "claims": {},  # docname -> [ClaimRecord]
        "events": {},  # docname -> [EventRecord]
        "listings": {},  # docname -> [what]: pages generated from the whole book
    }
    data_version = 1

    @property
    def entries(self) -> dict[str, Entry]:
        return self.data.setdefault("entries", {})

    @property
    def mentions(self) -> dict[str, list[Mention]]:
        return self.data.setdefault("mentions", {})

    @property
    def index_docs(self) -> dict[str, list[str]]:
        return self.data.setdefault("index_docs", {})

    @property
    def quotes(self) -> dict[str, list[Any]]:
        return self.data.setdefault("quotes", {})

    @property
    def claims(self) -> dict[str, list[Any]]:
        return self.data.setdefault("claims", {})

    @property
    def events(self) -> dict[str, list[Any]]:
        return self.data.setdefault("events", {})

    @property
    def listings(self) -> dict[str, list[str]]:
        return self.data.setdefault("listings", {})

    def note_event(self, record: Any) -> None:
        self.events.setdefault(record.docname, []).append(record)

    def note_listing(self, docname: str, what: str) -> None:
        """A page whose content depends on every other page (front page, timeline …)."""
        found = self.listings.setdefault(docname, [])
        if what not in found:
            found.append(what)

    def note_quote(self, record: Any) -> None:
        self.quotes.setdefault(record.docname, []).append(record)

    def note_claim(self, record: Any) -> None:
        self.claims.setdefault(record.docname, []).append(record)

    def quotes_of(self, entity_id: str) -> list[Any]:
        """Every quotation attributed to an entity, documents sorted by name."""
        return self._by_entity("quotes").get(entity_id, []) if entity_id else []

    # -- recording ----------------------------------------------------------------------

    def note_entry(self, entity: Entity, docname: str, anchor: str, location: Any) -> None:
        existing = self.entries.get(entity.id)
        if existing and existing.docname != docname:
            logger.warning(
                "BB501 entity '%s' already has a glossary entry in %s",
                entity.id, existing.docname, location=location,
                type="briefbook", subtype="duplicate_entry",
            )
            return
        self.entries[entity.id] = Entry(docname, anchor, entity.kind)

    def note_index(self, docname: str, kind: str) -> None:
        kinds = self.index_docs.setdefault(docname, [])
        if kind not in kinds:
            kinds.append(kind)

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Record every mention with the section it sits in (skipping glossary entries)."""
        found: list[Mention] = []
        for node in document.findall(mention):
            if _inside_entity_index(node):
                continue
            section = _enclosing_section(node)
            section_id = section["ids"][0] if section is not None and section["ids"] else ""
            title = ""
            if section is not None and section.children and isinstance(section[0], nodes.title):
                title = section[0].astext()
            found.append(Mention(
                entity=node["entity"], docname=docname, node_id=node["ids"][0],
                line=node.line or 0, text=node.astext(), section_id=section_id,
                section_title=title, variant=bool(node.get("variant")),
            ))
        if found:
            self.mentions[docname] = found

    def clear_doc(self, docname: str) -> None:
        self.mentions.pop(docname, None)
        self.index_docs.pop(docname, None)
        for key in ("quotes", "claims", "events", "listings"):
            self.data.setdefault(key, {}).pop(docname, None)
        for entity_id, entry in list(self.entries.items()):
            if entry.docname == docname:
                del self.entries[entity_id]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in ("mentions", "index_docs", "quotes", "claims", "events", "listings"):
                if docname in otherdata.get(key, {}):
                    self.data.setdefault(key, {})[docname] = otherdata[key][docname]
        for entity_id, entry in otherdata["entries"].items():
            if entry.docname in docnames:
                self.entries[entity_id] = entry

    # -- queries ----------------------------------------------------------------------------

    def mentions_of(self, entity_id: str) -> list[Mention]:
        """Every mention of an entity, in document order, documents sorted by name."""
        return self._by_entity("mentions").get(entity_id, [])

    def reset_indexes(self) -> None:
        """Forget the grouped indexes (called once the pages of a build have been read)."""
        self.__dict__.pop("_index_cache", None)

    def _by_entity(self, key: str) -> dict[str, list[Any]]:
        """Records of ``key`` grouped by entity, built once per write phase.

        Glossary pages ask for every entity's backlinks; scanning all mentions for each
        entity would cost entities × mentions. The index is keyed on the data's identity
        and size so a re-read (incremental build, merge) rebuilds it.
        """
        records = self.data.get(key, {})
        stamp = (id(records), sum(len(v) for v in records.values()), len(records))
        cache = self.__dict__.setdefault("_index_cache", {})
        if cache.get(key, (None,))[0] != stamp:
            grouped: dict[str, list[Any]] = {}
            attr = "entity" if key == "mentions" else "speaker"
            for docname in sorted(records):
                for record in records[docname]:
                    grouped.setdefault(getattr(record, attr), []).append(record)
            cache[key] = (stamp, grouped)
        return cache[key][1]

    def mention_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for found in self.mentions.values():
            for m in found:
                counts[m.entity] = counts.get(m.entity, 0) + 1
        return counts

    # -- resolution ------------------------------------------------------------------------

    def resolve_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str,
        target: str, node: pending_xref, contnode: nodes.Element,
    ) -> nodes.reference | None:
        entry = self.entries.get(target)
        if entry is None:
            return None
        # No title attribute: the hover card is the preview, a native tooltip would double it.
        return make_refnode(builder, fromdocname, entry.docname, entry.anchor, contnode)

    def resolve_any_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
        node: pending_xref, contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        entity = registry_for(env).lookup(target)
        if entity is None:
            return []
        ref = self.resolve_xref(env, fromdocname, builder, entity.kind, entity.id, node, contnode)
        if ref is None:
            return []
        return [(f"briefbook:{ROLE_FOR_KIND[entity.kind]}", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Every entity, once per name: canonical, aliases (sic spellings included) and
        native script, so the search box finds "Rosenburg" or "김태효" as the entity."""
        registry = registry_for(self.env)
        for entity_id, entry in sorted(self.entries.items()):
            entity = registry.get(entity_id)
            if entity is None:
                continue
            yield (entity_id, entity.name, entry.kind, entry.docname, entry.anchor, 0)
            names = [a.name for a in entity.aliases]
            if entity.native_name:
                names.append(entity.native_name)
            for name in dict.fromkeys(names):
                # Priority 1 (default): found by search, ranked below the canonical name.
                yield (f"{entity_id}:{name}", f"{name} ({entity.name})", entry.kind,
                       entry.docname, entry.anchor, 1)

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return node.get("reftarget")


def may_hold(app: Any, docname: str, *listings: str) -> bool:
    """Whether the page being resolved can hold a placeholder of one of ``listings``.

    Every ``doctree-resolved`` handler used to search the whole tree for its own
    placeholder: a dozen walks over a glossary page of thousands of backlinks, on every
    build that writes it. A page that holds a listing noted it when read, so a builder
    that writes one page per document asks the domain; a builder that assembles several
    documents into one tree (LaTeX) is searched.
    """
    if app.builder.format != "html":
        return True
    domain: BriefbookDomain = app.env.domains["briefbook"]
    noted = domain.listings.get(docname, ())
    return any(what in noted or any(n.startswith(what) for n in noted) for what in listings)


def fill_generated_pages(app: Any, doctree: nodes.document, docname: str, listing: str,
                         placeholder: type[nodes.Element],
                         render: Any, css_class: str) -> None:
    """Replace each ``placeholder`` with ``render(app, docname)`` in a container with
    ``css_class``: the generated pages noted as ``listing`` (see :func:`may_hold`)."""
    if not may_hold(app, docname, listing):
        return
    for node in list(doctree.findall(placeholder)):
        container = nodes.container(classes=[css_class])
        container.extend(render(app, docname))
        node.replace_self(container)


def _enclosing_section(node: nodes.Node) -> nodes.section | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _inside_entity_index(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and "bb-entity-index" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def report_missing_entry(
    app: Any, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """A known entity with no glossary page: say how to fix it, keep the text unlinked."""
    if node.get("refdomain") != "briefbook":
        return None
    entity = registry_for(env).get(node["reftarget"])
    name = entity.name if entity else node["reftarget"]
    logger.warning(
        "BB102 '%s' has no glossary entry: add a page with {entity-index} %s to the book",
        name, node["reftype"], location=node, type="briefbook", subtype="no_entry",
    )
    return contnode
