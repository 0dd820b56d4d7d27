"""Which whole-book pages an incremental build must write again, and no more.

Glossary pages list where each entity is mentioned and quoted, the front page and the
timeline list briefings, the references page says where each source is cited. Sphinx
writes again only the pages it re-read, so these pages must be asked for in
``env-updated``. Asking for all of them whenever anything was read made a one-article
edit of a 1,000-article book rewrite the ten largest pages (about 20 s of a 26 s rebuild),
and a build with nothing to read rewrite them too.

Instead, each whole-book page is fed by *topics* (``glossary:person``, ``timeline`` …).
Just before a page is purged for re-reading (or removal), what it gives each topic is
fingerprinted; after the read the fingerprint is taken again. A topic whose fingerprints
differ feeds changed data to its pages, and only those pages are written again. Adding a
mention of an organisation to one article therefore rewrites that article and the
organisations glossary (whose backlinks change), not the people, the places, the timeline
or the front page.

A source re-graded, retracted or given a preserved copy in ``sources.bib`` rewrites every
page that cites it, the bibliography, and (for a change of standing) the front page and
the affected judgements page.

Sphinx also leaves alone the pages whose previous/next links changed: a briefing added to
the front page's glob toctree is the new "next" of the briefing before it.  Each page's
neighbours are kept in the environment, and the pages whose neighbours moved are written
again too.
"""

from __future__ import annotations

import functools
import weakref
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from briefbook.editions.derived import marked_ids, page_floor
from briefbook.entities.registry_cache import registry_for
from briefbook.sources import catalogue, citations
from briefbook.sources.citations import split_keys

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from briefbook.editions.markings import MarkingDomain
    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)
KINDS = ("person", "place", "organization")
Fingerprint = tuple[Any, ...]

# Per environment, per page read or removed in this build: topic -> fingerprint before;
# and the view those fingerprints were taken from (each page is purged once, so an index
# built at the first purge stays right for the pages still to come).
_before: weakref.WeakKeyDictionary[Any, dict[str, dict[str, Fingerprint]]] = (
    weakref.WeakKeyDictionary())
_purge_view: weakref.WeakKeyDictionary[Any, BookView] = weakref.WeakKeyDictionary()
# Per environment: each page's table of contents (its title and headings) before it was
# read again; and the toctree parents left out of this build's writing.
_toc_before: weakref.WeakKeyDictionary[Any, dict[str, str | None]] = weakref.WeakKeyDictionary()
_parents_kept: weakref.WeakKeyDictionary[Any, dict[str, set[str]]] = weakref.WeakKeyDictionary()


class BookView:
    """The environment's data indexed by page, built once per question asked of it."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
        self._registry = registry_for(env)
        self._kinds: dict[str, str | None] = {}
        self._cited: dict[str, set[str]] | None = None
        self._entries: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None

    def kind_of(self, entity_id: str) -> str | None:
        if entity_id not in self._kinds:
            entity = self._registry.get(entity_id) if entity_id else None
            self._kinds[entity_id] = entity.kind if entity is not None else None
        return self._kinds[entity_id]

    def title(self, docname: str) -> str:
        title = self.env.titles.get(docname)
        return title.astext() if title is not None else ""

    def cited_keys(self, docname: str) -> tuple[str, ...]:
        if self._cited is None:
            self._cited = {}
            if citations.bibtex_available(self.env):
                domain: Any = self.env.domains["cite"]
                for ref in domain.citation_refs:
                    self._cited.setdefault(ref.docname, set()).update(t.key for t in ref.targets)
        return tuple(sorted(self._cited.get(docname, ())))

    def entries_in(self, docname: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if self._entries is None:
            self._entries = {}
            for entity_id, entry in self.domain.entries.items():
                self._entries.setdefault(entry.docname, []).append((entity_id, tuple(entry)))
        return tuple(sorted(self._entries.get(docname, [])))


def _entity_topic(book: BookView, docname: str, *, kind: str) -> Fingerprint:
    """Backlinks, mention counts and quote index entries of one kind of entity."""
    mentions = tuple(m[:3] + m[4:] for m in book.domain.mentions.get(docname, [])  # not line
                     if book.kind_of(m.entity) == kind)
    quoted = tuple((q.node_id, q.text, q.speaker, q.said)
                   for q in book.domain.quotes.get(docname, []) if book.kind_of(q.speaker) == kind)
    if not mentions and not quoted:
        return ()
    return (book.title(docname), mentions, quoted)


def _front_page_topic(book: BookView, docname: str) -> Fingerprint:
    """A briefing's card: title, dateline, key judgement, most-named people and places."""
    metadata = book.env.metadata.get(docname, {})
    dateline = (str(metadata.get("date", "")), str(metadata.get("author", "")))
    if dateline == ("", ""):
        return ()  # not a briefing (myst's word count alone changes with every edit)
    counts = Counter(m.entity for m in book.domain.mentions.get(docname, [])
                     if book.kind_of(m.entity) in ("person", "place"))
    key_claims = tuple((c.node_id, c.text, c.likelihood)
                       for c in book.domain.claims.get(docname, []) if c.key)
    return (book.title(docname), dateline, key_claims, tuple(sorted(counts.items())))


def _timeline_topic(book: BookView, docname: str) -> Fingerprint:
    events = tuple(tuple(e) for e in book.domain.events.get(docname, []))
    return (book.title(docname), events) if events else ()


def _map_topic(book: BookView, docname: str) -> Fingerprint:
    """Where the glossary entries the map's markers link to live."""
    return book.entries_in(docname)


def _affected_topic(book: BookView, docname: str) -> Fingerprint:
    """The page's claims and quotations that rest on a flagged source (the affected
    judgements page lists them)."""
    flagged = catalogue.flagged(book.env)
    if not flagged:
        return ()
    claims = tuple((c.node_id, c.text, c.sources, c.key)
                   for c in book.domain.claims.get(docname, [])
                   if any(k in flagged for k in split_keys(c.sources)))
    quotes = tuple((q.node_id, q.text, q.source)
                   for q in book.domain.quotes.get(docname, [])
                   if any(k in flagged for k in split_keys(q.source)))
    keys = tuple(k for k in book.cited_keys(docname) if k in flagged)
    return (book.title(docname), claims, quotes, keys) if claims or quotes or keys else ()


def _edition_topic(book: BookView, docname: str) -> Fingerprint:
    """What the edition line reads from a page: a briefing's date, the page's markings."""
    metadata = book.env.metadata.get(docname, {})
    marking: MarkingDomain = book.env.domains["marking"]  # type: ignore[assignment]
    found = (str(metadata.get("date", "")), bool(str(metadata.get("author", "")).strip()),
             marking.pages.get(docname), tuple(marking.portions.get(docname, ())))
    return () if found == ("", False, None, ()) else found


def _what_changed_topic(book: BookView, docname: str) -> Fingerprint:
    """What the comparison with the previous edition reads: briefings, their key
    judgements (likelihood, confidence, sources) and the sources cited."""
    metadata = book.env.metadata.get(docname, {})
    claims = tuple((c.node_id, c.text, c.likelihood, c.confidence, c.sources)
                   for c in book.domain.claims.get(docname, []) if c.key)
    keys = book.cited_keys(docname)
    if not claims and not keys and not metadata.get("author"):
        return ()
    return (book.title(docname), str(metadata.get("date", "")), claims, keys)


def _citations_topic(book: BookView, docname: str) -> Fingerprint:
    """Which sources a page cites (the bibliography's entries and its "Cited in" lines)."""
    keys = book.cited_keys(docname)
    return (book.title(docname), keys) if keys else ()


TOPICS: dict[str, Callable[[BookView, str], Fingerprint]] = {
    **{f"glossary:{kind}": functools.partial(_entity_topic, kind=kind) for kind in KINDS},
    "latest-briefings": _front_page_topic,
    "timeline": _timeline_topic,
    "map": _map_topic,
    "citations": _citations_topic,
    "affected-judgements": _affected_topic,
    "edition": _edition_topic,
    "what-changed": _what_changed_topic,
}


def _markings(book: BookView, docname: str) -> Fingerprint:
    """The page's own marking and the portions around its nodes: a whole-book page fed
    by it carries the highest marking of what it shows (:mod:`briefbook.editions.derived`),
    so a portion marked or unmarked around unchanged text must write it again."""
    return (page_floor(book.env, docname),
            tuple(sorted(marked_ids(book.env).get(docname, {}).items())))


def fingerprints(book: BookView, docname: str) -> dict[str, Fingerprint]:
    marks = _markings(book, docname)
    found = {topic: of(book, docname) for topic, of in TOPICS.items()}
    return {topic: (*value, marks) if value else value for topic, value in found.items()}


def pages_by_topic(env: BuildEnvironment) -> dict[str, set[str]]:
    """Every whole-book page, by the topics that feed it (unknown listings: ``*``)."""
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    pages: dict[str, set[str]] = {}
    for docname, kinds in domain.index_docs.items():
        for kind in kinds:
            pages.setdefault(f"glossary:{kind}", set()).add(docname)
    for docname, listings in domain.listings.items():
        for what in listings:
            topic = "glossary:" + what.split(":", 1)[1] if what.startswith("entity-grid:") else what
            pages.setdefault(topic if topic in TOPICS else "*", set()).add(docname)
    pages.setdefault("citations", set()).update(citations.bibliography_docnames(env))
    return pages


def remember_before_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Fingerprint what a page gave each topic, before its data is cleared."""
    seen = _before.setdefault(env, {})
    if docname in seen:
        return
    toc = env.tocs.get(docname)
    _toc_before.setdefault(env, {})[docname] = toc.astext() if toc is not None else None
    # A page new to the book gave nothing yet (a fresh build purges every page first).
    if docname not in env.all_docs:
        seen[docname] = {}
        return
    book = _purge_view.get(env)
    if book is None:
        book = _purge_view[env] = BookView(env)
    seen[docname] = fingerprints(book, docname)


def changed_topics(env: BuildEnvironment, before: dict[str, dict[str, Fingerprint]]) -> set[str]:
    """Topics whose fingerprint differs, for any page read or removed in this build."""
    book = BookView(env)
    changed: set[str] = set()
    for docname, old in before.items():
        new = fingerprints(book, docname) if docname in env.all_docs else {}
        changed.update(t for t in TOPICS if old.get(t, ()) != new.get(t, ()))
    return changed


Relations = dict[str, tuple[tuple[str, str] | None, ...]]


def relations(env: BuildEnvironment) -> Relations:
    """Each page's parent, previous and next page (with their titles), as the theme links
    them at the foot of every page."""
    def title(docname: str) -> str:
        node = env.titles.get(docname)
        return node.astext() if node is not None else ""

    return {doc: tuple((other, title(other)) if other else None for other in related)
            for doc, related in env.collect_relations().items()}


def moved_neighbours(env: BuildEnvironment) -> set[str]:
    """Pages whose previous/next links changed though the page itself did not.

    A briefing added to (or removed from) the front page's glob toctree changes the
    "next" link of the briefing before it, and a new title changes its neighbours' links;
    Sphinx writes neither page again by itself.  The relations are kept in the
    environment from one build to the next.
    """
    now = relations(env)
    before: Relations | None = getattr(env, "briefbook_relations", None)
    env.briefbook_relations = now  # type: ignore[attr-defined]
    if before is None:
        return set()  # a fresh environment: every page is written anyway
    return {doc for doc, related in now.items() if before.get(doc) != related}


def pages_of_changed_sources(env: BuildEnvironment) -> set[str]:
    """Pages showing a source whose grade, standing or preserved copy changed in
    ``sources.bib`` since the last build.

    Sphinx re-reads only the bibliography page when the bib file changes; a page citing
    a source that has just been retracted must show the flag too, and so must the front
    page's card of its briefing and the affected judgements page. Each source's facts
    are kept in the environment from one build to the next.
    """
    now = catalogue.standing_fingerprint(env)
    before: dict[str, Any] | None = getattr(env, "briefbook_source_facts", None)
    env.briefbook_source_facts = now  # type: ignore[attr-defined]
    if before is None:
        return set()  # a fresh environment: every page is written anyway
    changed = {key for key in set(now) | set(before) if now.get(key) != before.get(key)}
    if not changed:
        return set()
    pages = {doc for key, docs in citations.citing_docnames(env).items() if key in changed
             for doc in docs}
    standing_changed = any((now.get(k) or (None, None))[1] != (before.get(k) or (None, None))[1]
                           for k in changed)
    by_topic = pages_by_topic(env)
    pages |= by_topic.get("citations", set())
    if standing_changed:
        pages |= by_topic.get("affected-judgements", set()) | by_topic.get("latest-briefings", set())
    return pages


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The whole-book pages whose inputs changed in this build's reading, and the pages
    whose neighbours did.

    Sphinx purges every page it is about to read, and every removed page, in the main
    process (parallel reads too), so the fingerprints taken then cover them all.
    """
    before = _before.pop(env, {})
    _purge_view.pop(env, None)
    sources = pages_of_changed_sources(env)
    if not before and not sources:
        return []  # nothing read, nothing removed, no source re-graded: every page is current
    by_topic = pages_by_topic(env)
    pages = set(by_topic.get("*", set())) if before else set()  # listings without a topic
    changed = changed_topics(env, before)
    for topic in changed:
        pages |= by_topic.get(topic, set())
    neighbours = moved_neighbours(env) if before else set()
    rewrite = sorted((pages | neighbours | sources) & env.found_docs)
    logger.verbose("briefbook: changed: %s; whole-book pages written again: %s; "
                   "pages with new neighbours: %s",
                   ", ".join(sorted(changed)) or "nothing", ", ".join(rewrite) or "none",
                   ", ".join(sorted(neighbours & env.found_docs)) or "none")
    return rewrite


def spare_unchanged_parents(app: Sphinx, env: BuildEnvironment) -> None:
    """Do not write a toctree's page again because a page it lists was read, when that
    page's entry (its title and headings) is what it was.

    Sphinx writes every page whose toctree includes a page it writes, in case the
    title changed: editing one briefing rewrote the front page, whose toctree lists a
    thousand. Run after the environment is pickled (``env-check-consistency``), on this
    build's in-memory copy only, so the next build still knows every parent; a parent
    that is due for another reason (its own edit, a changed topic) is written anyway.
    """
    before = _toc_before.pop(env, {})
    spared: dict[str, set[str]] = {}
    for docname, parents in env.files_to_rebuild.items():
        if not parents:
            continue
        if docname in before:  # read again (or removed) in this build: compare its entry
            toc, now = before[docname], env.tocs.get(docname)
            if toc is None or now is None or now.astext() != toc:
                continue  # new, removed, or its entry changed: its parents are written
        # Not read in this build (written, if at all, for a changed topic): unchanged.
        spared[docname] = set(parents)
    for docname in spared:
        env.files_to_rebuild[docname] = set()
    if spared:
        _parents_kept[env] = spared
        logger.verbose("briefbook: toctree pages not written again for unchanged entries: %s",
                       ", ".join(sorted({p for ps in spared.values() for p in ps})))


def restore_parents(app: Sphinx, exception: Exception | None) -> None:
    spared = _parents_kept.pop(app.env, {})
    for docname, parents in spared.items():
        app.env.files_to_rebuild.setdefault(docname, set()).update(parents)


def setup(app: Sphinx) -> None:
    # Early: before the collectors and domains (priority 500) forget the page.
    app.connect("env-purge-doc", remember_before_purge, priority=100)
    app.connect("env-updated", pages_to_rewrite)
    app.connect("env-check-consistency", spare_unchanged_parents, priority=900)
    app.connect("build-finished", restore_parents)
