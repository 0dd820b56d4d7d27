"""Pages made from other pages carry the highest marking of what they show.

The front page's cards, the glossary's backlinks and quotations, the entity grids, the
timeline, the map and the bibliography are filled in once every page has been read, from
what other pages recorded. Their own front matter says nothing about that content: a
front page whose card shows an AMBER briefing's first key judgement holds AMBER
material, whatever the front page itself is marked. So each filler reports, as it
builds its nodes, where every piece came from, and the page's banner (HTML) or running
head (PDF) carries the highest marking among them and the page's own.

What a piece of content is marked:

* a page's title, date and author: the page's own marking (the book's, raised by its
  front matter);
* a judgement, quotation, mention, event or citation: that, raised by every portion
  (``{marking}``, ``:marking:``) around it. Which node ids sit inside which portions is
  recorded when each page is read (:class:`MarkedIdsCollector`), so it merges across
  parallel reads and is cleared with the page;
* a registry entity (its name, description, roles): the lowest marking of the places
  that name it (an entity only an AMBER portion names is AMBER material), or the
  book's when nothing names it.

A filler reports with a :class:`Shown`, whose :meth:`Shown.nodes` it puts beside its
output: invisible ``shown_marking`` nodes that the banner code reads and removes, so the
report travels with the content into whichever page (or, in the PDF, whichever part of
the one assembled document) it ends up in.

A page holding a generated listing whose filler does not report (see :func:`reports`)
is marked at the edition's highest: failing closed, never open.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors import EnvironmentCollector

from briefbook.editions import markings
from briefbook.editions.hidden import ROLE_TARGET
from briefbook.entities.registry_cache import registry_for
from briefbook.sources.citations import bibliography_docnames

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from briefbook.editions.markings import Level
    from briefbook.entities.domain import BriefbookDomain

Rank = int | None

#: Listings (``BriefbookDomain.note_listing``) whose fillers report what they show; a
#: page holding any other listing is marked at the edition's highest.
_REPORTING: set[str] = set()
# Per environment: each entity's rank, computed once per write phase.
_entity_ranks: weakref.WeakKeyDictionary[Any, dict[str, Rank]] = weakref.WeakKeyDictionary()


def reports(listing: str) -> None:
    """Say that the filler of ``listing`` reports what it shows (a prefix such as
    ``entity-grid:`` covers every listing starting with it)."""
    _REPORTING.add(listing)


def _reported(listing: str) -> bool:
    return any(listing == known or (known.endswith(":") and listing.startswith(known))
               for known in _REPORTING)


# --- which ids sit inside which portions --------------------------------------------------


def marked_ids(env: BuildEnvironment) -> dict[str, dict[str, int]]:
    """docname → {node id: rank of the highest portion around it}."""
    found: dict[str, dict[str, int]] | None = getattr(env, "briefbook_marked_ids", None)
    if found is None:
        found = env.briefbook_marked_ids = {}  # type: ignore[attr-defined]
    return found


class MarkedIdsCollector(EnvironmentCollector):
    """Records, per page, the ids of every node inside a marked portion."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        marked_ids(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str],
                    other: BuildEnvironment) -> None:
        theirs = marked_ids(other)
        for docname in docnames:
            if docname in theirs:
                marked_ids(env)[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        found: dict[str, int] = {}
        for part in doctree.findall(markings.portion):
            rank = int(part["rank"])
            for node in part.findall(nodes.Element):
                for node_id in node.get("ids", []):
                    found[node_id] = max(rank, found.get(node_id, rank))
        if found:
            marked_ids(app.env)[app.env.current_document.docname] = found


# --- what a piece of content is marked ----------------------------------------------------


def _highest(ranks: Iterable[Rank]) -> Rank:
    return max((r for r in ranks if r is not None), default=None)


def _book_rank(env: BuildEnvironment) -> Rank:
    book = markings.book_level(env.config)
    return book.rank if book is not None else None


def page_floor(env: BuildEnvironment, docname: str) -> Rank:
    """A page's own marking (book and front matter, not its portions): that of its
    title, date and author."""
    return _highest([_book_rank(env), markings.domain_of(env).pages.get(docname)])


def content_rank(env: BuildEnvironment, docname: str, node_id: str = "") -> Rank:
    """The marking of the node ``node_id`` of ``docname``: its page's, raised by every
    portion around it."""
    inside = marked_ids(env).get(docname, {}).get(node_id) if node_id else None
    return _highest([page_floor(env, docname), inside])


def page_rank(env: BuildEnvironment, docname: str) -> Rank:
    """The highest marking anywhere on ``docname`` (its own banner's, portions included)."""
    level = markings.page_level(env, docname)
    return level.rank if level is not None else None


def entity_ranks(env: BuildEnvironment) -> dict[str, Rank]:
    """Each registry entity's marking: the lowest of the places naming it (mentions
    outside the glossary pages, quotations it is the speaker of, events listing it, and
    the descriptions of entities so named), or the book's when nothing names it."""
    cached = _entity_ranks.get(env)
    if cached is not None:
        return cached

    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    unmarked = -1  # below every level, so that the lowest is found with min()
    named: dict[str, list[int]] = {}

    def name(entity_id: str, docname: str, node_id: str) -> None:
        rank = content_rank(env, docname, node_id)
        named.setdefault(entity_id, []).append(unmarked if rank is None else rank)

    glossary_pages = set(domain.index_docs)
    for docname, mentions in domain.mentions.items():
        if docname not in glossary_pages:
            for m in mentions:
                name(m.entity, docname, m.node_id)
    for docname, quotes in domain.quotes.items():
        for q in quotes:
            if q.speaker:
                name(q.speaker, docname, q.node_id)
    for docname, events in domain.events.items():
        for event in events:
            for entity_id in event.entities:
                name(entity_id, docname, event.node_id)
    lowest = {entity_id: min(found) for entity_id, found in named.items()}
    # An entity named in the description of a named one is shown wherever that one's
    # entry is: it is marked no higher than that one (lowered until nothing changes).
    registry = registry_for(env)
    links = {entity.id: [other.id for target in ROLE_TARGET.findall(entity.description)
                         if (other := registry.lookup(target.strip())) is not None]
             for entity in registry}
    changed = True
    while changed:
        changed = False
        for source, targets in links.items():
            if source not in lowest:
                continue
            for target in targets:
                if target not in lowest or lowest[source] < lowest[target]:
                    lowest[target] = lowest[source]
                    changed = True
    book = _book_rank(env)
    ranks: dict[str, Rank] = {entity.id: book for entity in registry}
    ranks.update({k: (None if v == unmarked else v) for k, v in lowest.items()})
    _entity_ranks[env] = ranks
    return ranks


class Shown:
    """What one filler showed, piece by piece; :meth:`nodes` reports it in the page."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.ranks: list[Rank] = []

    def title(self, docname: str) -> None:
        """A page's title, date or author."""
        self.ranks.append(page_floor(self.env, docname))

    def content(self, docname: str, node_id: str) -> None:
        """A judgement, quotation, mention, event or citation of ``docname``."""
        self.ranks.append(content_rank(self.env, docname, node_id))

    def page(self, docname: str) -> None:
        """Anything of ``docname`` not pinned to one node (its highest marking)."""
        self.ranks.append(page_rank(self.env, docname))

    def entity(self, entity_id: str) -> None:
        """A registry entity's name, description or roles."""
        self.ranks.append(entity_ranks(self.env).get(entity_id, _book_rank(self.env)))

    @property
    def rank(self) -> Rank:
        return _highest(self.ranks)

    def nodes(self) -> list[nodes.Node]:
        """The report, to put beside the filler's output (nothing when all was unmarked)."""
        rank = self.rank
        return [] if rank is None else [shown_marking(rank=rank)]


class shown_marking(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The highest marking of content generated here from other pages (``rank``); read
    and removed before writing, invisible to every writer."""


# --- what a page is marked ----------------------------------------------------------------


def _markers(part: nodes.Element, own_part: type[nodes.Element] | None) -> Iterator[shown_marking]:
    """The reports in ``part``, not descending into nested ``own_part`` nodes (the PDF's
    other pages)."""
    stack: list[nodes.Node] = list(part.children)
    while stack:
        node = stack.pop()
        if isinstance(node, shown_marking):
            yield node
        elif own_part is not None and isinstance(node, own_part):
            continue
        elif isinstance(node, nodes.Element):
            stack.extend(node.children)


def listing_rank(env: BuildEnvironment, docname: str) -> Rank:
    """What a page's generated listings show, where their fillers do not say: the
    bibliography (every citation it lists, with the pages citing it) and, failing
    closed, the edition's highest for a listing whose filler does not report."""
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    if any(not _reported(what) for what in domain.listings.get(docname, ())):
        level = markings.edition_level(env)
        return level.rank if level is not None else None
    if docname in bibliography_docnames(env):
        return citations_rank(env)
    return None


def citations_rank(env: BuildEnvironment) -> Rank:
    """What a bibliography shows: every source cited, and the pages citing it (each
    citation at its own marking)."""
    cite: Any = env.domains.get("cite")
    return _highest(content_rank(env, ref.docname, ref.citation_ref_id)
                    for ref in getattr(cite, "citation_refs", ()))


def level_of(env: BuildEnvironment, rank: Rank) -> Level | None:
    return None if rank is None else markings.scheme_of(env.config).levels[rank]


def shown_level(env: BuildEnvironment, part: nodes.Element, docname: str,
                own_part: type[nodes.Element] | None = None) -> Level | None:
    """The marking ``docname`` carries: the highest of its own (portions included), of
    what its generated content showed (the reports in ``part``, which are removed) and
    of its listings. ``own_part``: the node type of other pages nested in ``part``."""
    found = list(_markers(part, own_part))
    for marker in found:
        marker.parent.remove(marker)
    return level_of(env, _highest([page_rank(env, docname), listing_rank(env, docname),
                                   *(int(m["rank"]) for m in found)]))


def pdf_part_level(env: BuildEnvironment, part: nodes.Element, docname: str) -> Level | None:
    """:func:`shown_level` for one page of the PDF's assembled document."""
    return shown_level(env, part, docname, addnodes.start_of_file)


def forget_entity_ranks(app: Sphinx, env: BuildEnvironment) -> None:
    _entity_ranks.pop(env, None)


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(shown_marking, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_env_collector(MarkedIdsCollector)
    app.connect("env-updated", forget_entity_ranks)
    reports("edition")  # the edition line shows the edition's name, date and marking only
