"""What only withheld material names is hidden too: entities and sources a released edition
(or a selection of pages) does not name are left out of its glossary, grids, map, terms,
index and bibliographies.

A withheld page is never read (:mod:`.release`), yet the registry and the bibliography
list everything; without this, a person only a withheld page names would still have a
glossary entry, and the entry alone would tell the reader of the page.
"""

from __future__ import annotations

import ast
import re
import weakref
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from briefbook.editions import markings
from briefbook.entities.registry import Registry
from briefbook.entities.registry_cache import registry_for

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from briefbook.entities.domain import BriefbookDomain
    from briefbook.entities.registry import Registry


# Per environment: the registry, the hidden set, and the registry without them.
_edition_registries: weakref.WeakKeyDictionary[Any, tuple[Any, set[str], Any]] = (
    weakref.WeakKeyDictionary())


#: A registry description's link to another entity, ``{person}`Shown <id>``` and kin.
ROLE_TARGET = re.compile(r"\{(?:person|place|org)\}`(?:[^`<]*<)?([^`>]+)>?`")


def named_entities(env: BuildEnvironment) -> set[str]:
    """Entities this edition's pages name: mentions, speakers, events (the glossary's own
    pages, which list every entity, do not count), and those the registry descriptions
    of named entities link to (their glossary entries would otherwise link to nothing)."""
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    glossary_pages = set(domain.index_docs)
    named = {m.entity for doc, found in domain.mentions.items() if doc not in glossary_pages
             for m in found}
    named |= {q.speaker for found in domain.quotes.values() for q in found if q.speaker}
    named |= {e for found in domain.events.values() for ev in found for e in ev.entities}
    registry = registry_for(env)
    queue = list(named)
    while queue:
        entity = registry.get(queue.pop())
        if entity is None:
            continue
        for target in ROLE_TARGET.findall(entity.description):
            other = registry.lookup(target.strip())
            if other is not None and other.id not in named:
                named.add(other.id)
                queue.append(other.id)
    return named


def names_only_what_it_holds(config: Config) -> bool:
    """A released edition, or a selection of pages (``briefbook_named_entities_only``):
    its glossary, grids and map show only the entities its pages name."""
    return markings.release_level(config) is not None or bool(config.briefbook_named_entities_only)


def hidden_entities(env: BuildEnvironment) -> set[str]:
    """In a released edition or a selection, the registry entities no page of it names;
    else none."""
    if not names_only_what_it_holds(env.config):
        return set()
    hidden: set[str] | None = getattr(env, "briefbook_hidden_entities", None)
    return hidden or set()


def edition_registry(env: BuildEnvironment) -> Registry:
    """The registry as this edition shows it (grids, maps): without hidden entities."""
    registry = registry_for(env)
    hidden = hidden_entities(env)
    if not hidden:
        return registry
    cached = _edition_registries.get(env)
    if cached is not None and cached[0] is registry and cached[1] == hidden:
        return cached[2]
    shown = Registry({k: e for k, e in registry.entities.items() if k not in hidden},
                     folder=registry.folder)
    _edition_registries[env] = (registry, set(hidden), shown)
    return shown


def forget_hidden_entities(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Drop, from the environment's indexes, every entity only withheld material named:
    its glossary entry target, its glossary terms (names and aliases) and its general
    index entries. Returns the glossary pages to write again when the set changed."""
    if not names_only_what_it_holds(env.config):
        return []

    registry = registry_for(env)
    named = named_entities(env)
    hidden = {entity.id for entity in registry if entity.id not in named}
    before = getattr(env, "briefbook_hidden_entities", None)
    env.briefbook_hidden_entities = hidden  # type: ignore[attr-defined]
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    for entity_id in hidden:
        domain.entries.pop(entity_id, None)
    std: Any = env.domains.standard_domain
    names = {name.lower() for entity in registry if entity.id in hidden
             for name in [entity.name, *(a.name for a in entity.aliases)]}
    for name in names:
        std._terms.pop(name, None)
    for key in [k for k in std.objects if k[0] == "term" and k[1].lower() in names]:
        del std.objects[key]
    index: Any = env.domains.index_domain
    for docname in domain.index_docs:
        entries = index.entries.get(docname)
        if entries:
            index.entries[docname] = [e for e in entries if e[2] not in hidden]
    return sorted(domain.index_docs) if before != hidden else []


class DropHiddenGlossaryEntries(SphinxPostTransform):
    """The glossary entries of hidden entities go before any reference is resolved.

    The glossary pages were read with every entity of the registry, and an entry's
    description links other entities; resolved first, the links inside an entry about to
    be dropped reported "BB102 … has no glossary entry" for an entity hidden too (a
    publisher that only a hidden journalist's description names), which stopped a release
    built with -W and cluttered every ``briefbook pdf``.
    """

    default_priority = 5  # before Sphinx's ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        drop_hidden_glossary_entries(self.env, self.document)


def drop_hidden_glossary_entries(env: BuildEnvironment, doctree: nodes.document) -> None:
    hidden = hidden_entities(env)
    if not hidden:
        return
    for item in list(doctree.findall(nodes.definition_list_item)):
        terms = [t for t in item.children if isinstance(t, nodes.term)]
        if terms and any(i in hidden for t in terms for i in t["ids"]):
            dlist = item.parent
            dlist.remove(item)
            # An empty list is invalid LaTeX: a released edition says so instead (a
            # selection's handout drops the whole kind, briefbook.publishing.handout).
            if not len(dlist) and not env.config.briefbook_named_entities_only:
                holder = dlist.parent if isinstance(dlist.parent, addnodes.glossary) else dlist
                holder.replace_self(nodes.paragraph(text="None in this edition."))


def cite_only_what_is_cited(app: Sphinx, env: BuildEnvironment) -> None:
    """In a released edition every bibliography lists only what its pages cite: a source
    that only withheld material cited must not appear (``:all:`` would list it)."""
    if markings.release_level(env.config) is None or "cite" not in env.domains:
        return
    domain: Any = env.domains["cite"]
    cited = ast.parse("cited", mode="eval").body
    for key, value in list(domain.bibliographies.items()):
        domain.bibliographies[key] = value._replace(filter_=cited)



def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_named_entities_only", False, "env", types=[bool])
    # Before sphinxcontrib-bibtex formats the bibliographies (env-updated, 500).
    app.connect("env-updated", cite_only_what_is_cited, priority=400)
    app.connect("env-updated", forget_hidden_entities, priority=450)
    app.add_post_transform(DropHiddenGlossaryEntries)
