"""Generated glossary pages: one entry per entity, with "Mentioned in" backlinks.

``{entity-index} person`` renders every registry entity of a kind as a Sphinx glossary
entry, so Sphinx's own ``{term}`` role reaches it and the general index lists it.  Each
entry ends with a placeholder that is filled in once every page has been read (the
``todolist`` pattern): a list of the briefings, and sections, that mention the entity,
linking to the exact spot in HTML and giving page numbers in the PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.errors import NoUri
from sphinx.util.docutils import SphinxDirective

from briefbook.analysis.quotes import quotes_by
from briefbook.editions.derived import Shown
from briefbook.entities.registry import KIND_LABELS, KINDS, Entity, EntityKind
from briefbook.entities.registry_cache import registry_for
from briefbook.nodes import mentioned_in, page_refs
from briefbook.pages.placemap import entry_map

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from briefbook.entities.domain import BriefbookDomain, Mention

PLACE_KIND_LABELS = {"country": "Country", "city": "City", "region": "Region"}


def _kind_argument(value: str) -> str:
    aliases = {"people": "person", "places": "place", "organisation": "organization",
               "organisations": "organization", "organizations": "organization", "org": "organization"}
    value = aliases.get(value.strip(), value.strip())
    if value not in KINDS:
        raise ValueError(f"expected one of {', '.join(KINDS)}")
    return value


class EntityIndexDirective(SphinxDirective):
    """``{entity-index} person|place|organization``: the glossary of one kind."""

    required_arguments = 1
    option_spec: ClassVar[OptionSpec] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        try:
            kind: EntityKind = _kind_argument(self.arguments[0])  # type: ignore[assignment]
        except ValueError as exc:
            raise self.error(f"entity-index: {exc}") from None
        registry = registry_for(self.env)
        for path in registry.files():
            self.env.note_dependency(str(path))
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        docname = self.env.current_document.docname
        domain.note_index(docname, kind)

        glossary = addnodes.glossary(classes=["glossary", "bb-entity-index", f"bb-index-{kind}"])
        glossary["sorted"] = True
        # The dl carries the classes too: HTML drops the glossary wrapper node.
        dlist = nodes.definition_list(classes=["glossary", "simple", "bb-entity-index",
                                               f"bb-index-{kind}"])
        glossary += dlist
        for entity in registry.of_kind(kind):
            dlist += self._entry(entity)
            domain.note_entry(entity, docname, entity.id, location=self.get_location())
        if not len(dlist):  # an empty list is invalid LaTeX ("missing \\item")
            return [nodes.paragraph(text=f"No {KIND_LABELS[kind].lower()} in the registry yet.")]
        return [glossary]

    def _entry(self, entity: Entity) -> nodes.definition_list_item:
        source, line = self.get_source_info()
        label = nodes.Text(entity.name)
        term = make_glossary_term(self.env, [label], entity.name[:1].upper(), source, line,
                                  entity.id, self.state.document)
        self._note_alias_terms(entity)
        definition = nodes.definition()
        if entity.native_name:
            native = nodes.paragraph(classes=["bb-native"])
            native += nodes.inline(entity.native_name, entity.native_name, classes=["bb-native-name"])
            definition += native
        facts = _facts_line(entity)
        if facts:
            definition += nodes.paragraph(facts, facts, classes=["bb-facts"])
        if entity.kind == "place":
            definition += entry_map(entity.id)  # drawn once every page is read, if mappable
        if entity.roles:
            roles = nodes.bullet_list(classes=["bb-roles"])
            for role in entity.roles:
                text = role.title + (f", {role.span()}" if role.span() else "")
                roles += nodes.list_item("", nodes.paragraph(text, text))
            definition += roles
        if entity.description:
            definition += self.parse_text_to_nodes(entity.description)
        names = _aliases_paragraph(entity)
        if names is not None:
            definition += names
        if entity.wikidata:
            url = f"https://www.wikidata.org/wiki/{entity.wikidata}"
            para = nodes.paragraph(classes=["bb-wikidata"])
            para += nodes.Text("Wikidata: ")
            para += nodes.reference(entity.wikidata, entity.wikidata, refuri=url)
            definition += para
        if entity.kind != "place":
            definition += quotes_by(entity=entity.id)
        definition += mentioned_in(entity=entity.id)
        return nodes.definition_list_item("", term, definition)

    def _note_alias_terms(self, entity: Entity) -> None:
        """Let ``{term}`Putin``` reach the entry too (aliases that are not sic spellings)."""
        std = self.env.domains.standard_domain
        for alias in entity.aliases:
            if not alias.variant and alias.name.lower() not in std._terms:
                std._note_term(alias.name, entity.id, location=self.get_location())


def _facts_line(entity: Entity) -> str:
    parts: list[str] = []
    if entity.kind == "place":
        if entity.place_kind:
            parts.append(PLACE_KIND_LABELS.get(entity.place_kind, entity.place_kind.capitalize()))
        if entity.country and entity.place_kind != "country":
            parts.append(_country_name(entity.country))
        if entity.coordinates:
            lat, lon = entity.coordinates
            parts.append(f"{abs(lat):.3f}° {'N' if lat >= 0 else 'S'}, "
                         f"{abs(lon):.3f}° {'E' if lon >= 0 else 'W'}")
    elif entity.kind == "organization":
        if entity.org_kind:
            parts.append(entity.org_kind.capitalize())
        if entity.country:
            parts.append(_country_name(entity.country))
    return " · ".join(parts)


def _country_name(code: str) -> str:
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, LookupError, KeyError):
        country = None
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def _aliases_paragraph(entity: Entity) -> nodes.paragraph | None:
    plain = [a for a in entity.aliases if not a.variant]
    variants = [a for a in entity.aliases if a.variant]
    if not plain and not variants:
        return None
    para = nodes.paragraph(classes=["bb-aliases"])
    if plain:
        para += nodes.Text("Also known as: " + ", ".join(a.name for a in plain) + ".")
    for alias in variants:
        if len(para):
            para += nodes.Text(" ")
        para += nodes.Text("Spelled ")
        para += nodes.emphasis(alias.name, alias.name)
        para += nodes.Text(" ")
        para += nodes.inline("[sic]", "[sic]", classes=["bb-sic"])
        para += nodes.Text(" " + (alias.note.rstrip(".") if alias.note else "in some sources") + ".")
    return para


# --- backlinks -------------------------------------------------------------------------------


def _doc_title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def _group(mentions: Iterable[Mention]) -> dict[str, dict[str, list[Mention]]]:
    grouped: dict[str, dict[str, list[Mention]]] = {}
    for m in mentions:
        grouped.setdefault(m.docname, {}).setdefault(m.section_id, []).append(m)
    return grouped


def _link(app: Sphinx, fromdocname: str, docname: str, anchor: str, text: str) -> nodes.Node:
    ref = nodes.reference("", "", internal=True)
    try:
        # HTML: a relative URL; LaTeX: "%docname", which its writer turns into \hyperref.
        ref["refuri"] = app.builder.get_relative_uri(fromdocname, docname) + "#" + anchor
    except NoUri:
        return nodes.Text(text)
    ref += nodes.Text(text)
    return ref


def render_backlinks(app: Sphinx, fromdocname: str, mentions: list[Mention]) -> nodes.Node:
    """"Mentioned in": each document, and within it each section, with exact links."""
    env = app.env
    container = nodes.container(classes=["bb-mentioned-in"])
    heading = nodes.paragraph(classes=["bb-mentioned-in-title"])
    heading += nodes.strong("Mentioned in", "Mentioned in")
    container += heading
    if not mentions:
        container += nodes.paragraph("Not mentioned in any briefing yet.",
                                     "Not mentioned in any briefing yet.", classes=["bb-none"])
        return container
    items = nodes.bullet_list(classes=["bb-backlinks"])
    for docname, sections in _group(mentions).items():
        para = nodes.paragraph()
        all_here = [m for found in sections.values() for m in found]
        para += _link(app, fromdocname, docname, all_here[0].node_id, _doc_title(env, docname))
        count = len(all_here)
        para += nodes.Text(f" ({count} mention{'s' if count != 1 else ''}")
        if app.builder.format == "latex":
            para += nodes.Text(", p. ")
            para += page_refs(labels=[f"{m.docname}:{m.node_id}" for m in all_here])
        para += nodes.Text(")")
        page_title = _doc_title(env, docname)
        named_sections = [(sid, found) for sid, found in sections.items()
                          if found[0].section_title and found[0].section_title != page_title]
        if named_sections:
            para += nodes.Text(": ")
            for i, (_sid, found) in enumerate(named_sections):
                if i:
                    para += nodes.Text(", ")
                para += _link(app, fromdocname, docname, found[0].node_id, found[0].section_title)
        items += nodes.list_item("", para)
    container += items
    return container


def fill_backlinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each entry's "Mentioned in"; each reports what its entry shows: the entity (its
    registry data, written into the entry when the page was read) and every mention
    listed."""
    domain: BriefbookDomain = app.env.domains["briefbook"]  # type: ignore[assignment]
    for node in list(doctree.findall(mentioned_in)):
        mentions = domain.mentions_of(node["entity"])
        shown = Shown(app.env)
        shown.entity(node["entity"])
        for m in mentions:
            shown.content(m.docname, m.node_id)
        node.replace_self([*shown.nodes(), render_backlinks(app, docname, mentions)])


def forget_indexes(app: Sphinx, env: BuildEnvironment) -> None:
    """Backlinks are grouped afresh once the pages of a build have been read (which of
    the glossary pages are written again is :mod:`briefbook.build.incremental`'s question)."""
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    domain.reset_indexes()


def setup(app: Sphinx) -> None:
    app.add_node(mentioned_in)
    app.add_directive("entity-index", EntityIndexDirective)
    app.connect("doctree-resolved", fill_backlinks)
    app.connect("env-updated", forget_indexes)
