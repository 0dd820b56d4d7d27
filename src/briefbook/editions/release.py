"""Releasable editions: everything marked above the release level is left out, and so is
everything derived from it.

``briefbook_release = "TLP:GREEN"`` (``briefbook build --release TLP:GREEN``) builds an
edition for readers cleared to that level. What is withheld is never read, rather than
read and hidden, so nothing derived from it can surface:

* a page marked above the level is excluded from the project before reading (it is in
  no toctree, navigation, search index or inventory); toctrees naming it skip it;
* a portion marked above the level is not parsed (:mod:`.markings`), so its mentions,
  quotations, claims, events and citations are never recorded;
* after reading, an entity that only withheld material named is dropped from the
  glossary, the entity grids, the map, the glossary terms and the general index, and a
  source that only withheld material cited is dropped from the bibliography;
* the pages' sources are not copied into the site (``_sources/`` holds the unfiltered
  text).

Each edition builds in its own folder (``briefbook build --release`` names it), so the
full edition and released ones sit side by side and never share an environment.
"""

from __future__ import annotations

import ast
import re
import shutil
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.directives.other import TocTree, glob_re
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging, url_re
from sphinx.util.matching import get_matching_files
from sphinx.util.nodes import explicit_title_re

from briefbook.editions import markings
from briefbook.editions.markings import MarkingError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from briefbook.domain import BriefbookDomain
    from briefbook.registry import Registry

logger = logging.getLogger(__name__)
# Per environment: the registry, the hidden set, and the registry without them.
_edition_registries: weakref.WeakKeyDictionary[Any, tuple[Any, set[str], Any]] = (
    weakref.WeakKeyDictionary())
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def front_matter(path: Path) -> dict[str, Any]:
    """A MyST page's front matter, or ``{}`` (an unreadable one is the build's to report)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            head = handle.read(16_384)
    except OSError:
        return {}
    match = _FRONT_MATTER.match(head)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group("body"))
    except Exception:  # YAML errors, and values YAML cannot build (date: 2024-10-41)
        return {}
    return data if isinstance(data, dict) else {}


def source_pages(srcdir: Path, config: Config) -> dict[str, Path]:
    """Every page of the book (docname → file) as Sphinx will find them (excluded
    folders are not even walked)."""
    # Parsers add their suffixes after config-inited (MyST's ".md"): take those we know.
    suffixes = sorted({*(str(s) for s in (config.source_suffix or {})), ".md", ".rst"},
                      key=len, reverse=True)
    excluded = [*config.exclude_patterns, "**/_build", "**/.*"]
    found: dict[str, Path] = {}
    for relative in get_matching_files(srcdir, [f"**{s}" for s in suffixes], excluded):
        suffix = next(s for s in suffixes if relative.endswith(s))
        found[relative[: -len(suffix)]] = srcdir / relative
    return found


def withheld_pages(app: Sphinx, config: Config) -> dict[str, str]:
    """Pages whose front-matter marking is above the release level (docname → file)."""
    released = markings.release_level(config)
    if released is None:
        return {}
    scheme = markings.scheme_of(config)
    withheld: dict[str, str] = {}
    for docname, path in source_pages(Path(app.srcdir), config).items():
        text = str(front_matter(path).get("marking", "")).strip()
        if not text:
            continue
        try:
            level = scheme.level(text)
        except MarkingError:
            # Unknown: withhold it, to be safe; the full edition's build reports it.
            level = scheme.levels[-1]
        if level > released:
            withheld[docname] = path.relative_to(app.srcdir).as_posix()
    return withheld


def exclude_withheld_pages(app: Sphinx, config: Config) -> None:
    """Before anything is read: withheld pages are not part of this edition's project,
    and the pages' sources are not copied into the site."""
    if markings.release_level(config) is None:
        return
    withheld = withheld_pages(app, config)
    config._briefbook_withheld = set(withheld)
    config.exclude_patterns = [*config.exclude_patterns,
                               *(p for p in sorted(withheld.values()) if p not in config.exclude_patterns)]
    config.html_copy_source = False


class EditionTocTree(TocTree):
    """Sphinx's ``toctree`` without the pages withheld from this edition.

    An entry naming a withheld page is dropped silently, whichever way it names it (with
    a title, a suffix, relative to the page's folder or from the top with ``/``): a
    warning would fail the release and print the name of what it withholds.
    """

    def run(self) -> list[nodes.Node]:
        self._drop_empty_folder_globs()
        withheld: set[str] = getattr(self.config, "_briefbook_withheld", set())
        if withheld:
            content: StringList = self.content  # type: ignore[has-type]
            kept = StringList()
            for line, (source, offset) in zip(content, content.items, strict=True):
                if self._names_page(line.strip()) not in withheld:
                    kept.append(line, source, offset)
            self.content = kept
        return super().run()

    def _names_page(self, entry: str) -> str | None:
        """The docname a toctree entry names, resolved as Sphinx resolves it
        (:meth:`TocTree.parse_content`); None for a glob, a URL or ``self``."""
        if not entry:
            return None
        explicit = explicit_title_re.match(entry)
        if url_re.match(entry) or ("glob" in self.options and glob_re.match(entry)
                                   and not explicit):
            return None
        target = explicit.group(2) if explicit else entry
        if target == "self":
            return None
        for suffix in self.config.source_suffix or {}:
            if target.endswith(suffix):
                target = target.removesuffix(suffix)
                break
        return docname_join(self.env.current_document.docname, target)

    def _drop_empty_folder_globs(self) -> None:
        """A glob over a folder that exists but holds no page yet (``briefings/*`` in a
        new book, or in an edition that withholds every briefing) lists nothing, without
        Sphinx's warning; a glob over a folder that does not exist still warns."""
        if "glob" not in self.options:
            return
        content: StringList = self.content
        kept = StringList()
        here = Path(self.env.doc2path(self.env.current_document.docname)).parent
        for line, (source, offset) in zip(content, content.items, strict=True):
            entry = line.strip()
            folder = entry.split("*", 1)[0].rsplit("/", 1)[0] if "*" in entry else None
            if folder is not None and not entry.endswith(">") and (here / folder).is_dir():
                prefix = str(Path(self.env.current_document.docname).parent / folder)
                prefix = prefix.removeprefix("./").strip("/") + "/"
                if not any(doc.startswith(prefix) for doc in self.env.found_docs):
                    continue
            kept.append(line, source, offset)
        self.content = kept


# --- after reading: what only withheld material named --------------------------------------


_ROLE_TARGET = re.compile(r"\{(?:person|place|org)\}`(?:[^`<]*<)?([^`>]+)>?`")


def named_entities(env: BuildEnvironment) -> set[str]:
    """Entities this edition's pages name: mentions, speakers, events (the glossary's own
    pages, which list every entity, do not count), and those the registry descriptions
    of named entities link to (their glossary entries would otherwise link to nothing)."""
    from briefbook.registry import registry_for

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
        for target in _ROLE_TARGET.findall(entity.description):
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
    from briefbook.registry import Registry, registry_for

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
    from briefbook.registry import registry_for

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
            # selection's handout drops the whole kind, briefbook.editions.handout).
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


def forget_the_release_environment(app: Sphinx, exception: BaseException | None) -> None:
    """Once a released edition is built, delete its environment and doctrees.

    Sphinx pickles what it read before anything is withheld from it: the whole registry
    (and briefbook's parsed copy of it), every entry of the bibliography, the glossary
    pages with every entity, the names of the pages left out. A release's staging folder
    would keep all of it beside the edition, for whoever is handed the folder. A release
    is built fresh, so nothing is lost but a cache; last of ``build-finished`` (the
    security policy still reads its records from there), failed builds too.
    """
    if markings.release_level(app.config) is None:
        return
    doctrees = Path(app.doctreedir)
    if doctrees.is_dir() and doctrees.resolve() != Path(app.outdir).resolve():
        shutil.rmtree(doctrees, ignore_errors=True)


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_named_entities_only", False, "env", types=[bool])
    app.connect("config-inited", exclude_withheld_pages, priority=600)
    app.add_directive("toctree", EditionTocTree, override=True)
    # Before sphinxcontrib-bibtex formats the bibliographies (env-updated, 500).
    app.connect("env-updated", cite_only_what_is_cited, priority=400)
    app.connect("env-updated", forget_hidden_entities, priority=450)
    app.add_post_transform(DropHiddenGlossaryEntries)
    app.connect("build-finished", forget_the_release_environment, priority=990)
