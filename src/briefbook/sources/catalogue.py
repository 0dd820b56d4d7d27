"""The book's sources as a build sees them: each entry's grade, standing and preserved
copy, and which citation anchor belongs to which entry.

sphinxcontrib-bibtex parses ``sources.bib`` once per build (``builder-inited``) into its
domain's ``bibdata``; everything here is derived from that parse and remembered for as
long as it is the same parse, so a thousand pages asking cost one pass over the entries.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefbook.sources import fields
from briefbook.sources.citations import bibtex_available
from briefbook.sources.fields import SourceFacts

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

# Per environment: the parse the facts were read from, and the facts.
_facts: weakref.WeakKeyDictionary[Any, tuple[Any, dict[str, SourceFacts]]] = (
    weakref.WeakKeyDictionary())
# Per environment: the citation list the maps were made from (see _citation_maps).
_citations: weakref.WeakKeyDictionary[Any, tuple[tuple[int, ...], dict[str, str], dict[str, str]]] = (
    weakref.WeakKeyDictionary())


def _bib_data(env: BuildEnvironment) -> Any:
    if not bibtex_available(env):
        return None
    domain: Any = env.domains["cite"]
    return domain.bibdata.data


def source_facts(env: BuildEnvironment) -> dict[str, SourceFacts]:
    """Bibliography key → what is graded, flagged or preserved about it (every entry)."""
    data = _bib_data(env)
    if data is None:
        return {}
    found = _facts.get(env)
    if found is None or found[0] is not data:
        # Kept in the environment from one build to the next while the bib files are
        # the same (sphinxcontrib-bibtex notes each file's mtime): 1,500 entries cost a
        # tenth of a second to read again.
        domain: Any = env.domains["cite"]
        signature = tuple(sorted((str(path), info.mtime)
                                 for path, info in domain.bibdata.bibfiles.items()))
        kept = getattr(env, "briefbook_source_facts_by_key", None)
        if kept is not None and kept[0] == signature:
            facts = kept[1]
        else:
            facts = {key: fields.facts(key, entry) for key, entry in data.entries.items()}
            env.briefbook_source_facts_by_key = (signature, facts)  # type: ignore[attr-defined]
        found = _facts[env] = (data, facts)
    return found[1]


def facts_for(env: BuildEnvironment, key: str) -> SourceFacts | None:
    return source_facts(env).get(key)


def flagged(env: BuildEnvironment) -> dict[str, SourceFacts]:
    """The sources marked retracted, discredited or disputed."""
    return {key: facts for key, facts in source_facts(env).items() if facts.standing}


def _citation_maps(env: BuildEnvironment) -> tuple[dict[str, str], dict[str, str]]:
    """Made once per build (every page asks): sphinxcontrib-bibtex refills its citation
    list with new records after each read, so the first and last records' identities
    tell a new list from the one the maps were made from."""
    if not bibtex_available(env):
        return {}, {}
    domain: Any = env.domains["cite"]
    cits = domain.citations
    stamp = (len(cits), id(cits[0]) if cits else 0, id(cits[-1]) if cits else 0)
    found = _citations.get(env)
    if found is None or found[0] != stamp:
        ids = {cit.citation_id: cit.key for cit in domain.citations}
        labels = {cit.key: str(cit.formatted_entry.label) for cit in domain.citations}
        found = _citations[env] = (stamp, ids, labels)
    return found[1], found[2]


def citation_keys(env: BuildEnvironment) -> dict[str, str]:
    """The anchor of each bibliography entry (its citation id) → its key."""
    return _citation_maps(env)[0]


def citation_labels(env: BuildEnvironment) -> dict[str, str]:
    """Key → the label readers see in the bibliography (``Xinhua 2024``)."""
    return _citation_maps(env)[1]


def label_of(env: BuildEnvironment, key: str) -> str:
    return citation_labels(env).get(key, key)


def bib_folder(env: BuildEnvironment, key: str) -> Path | None:
    """The folder of the bib file that holds ``key`` (preserved copies are relative to it)."""
    if not bibtex_available(env):
        return None
    domain: Any = env.domains["cite"]
    for path, info in domain.bibdata.bibfiles.items():
        if key in info.keys:
            return Path(path).parent
    return None


def preserved_copy_path(env: BuildEnvironment, key: str) -> Path | None:
    """Where the preserved copy of ``key`` is on disk, when the entry names one."""
    facts = facts_for(env, key)
    folder = bib_folder(env, key)
    if facts is None or not facts.preserved or folder is None:
        return None
    return folder / facts.preserved.file


def standing_fingerprint(env: BuildEnvironment) -> dict[str, tuple[Any, ...]]:
    """What the pages show of each source beyond its citation: compared between builds
    so that a retraction (or a new grade) rewrites every page that cites the source."""
    return {key: (facts.grade, facts.standing, facts.preserved)
            for key, facts in source_facts(env).items()
            if facts.grade or facts.standing or facts.preserved}
