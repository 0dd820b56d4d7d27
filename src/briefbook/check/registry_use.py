"""How pages use the registry: entries nobody mentions or has reviewed (BB310, BB311), and
people named by a title they did not hold on the article's date (BB312).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes

from briefbook.book.briefings import briefing_date
from briefbook.book.layout import Book
from briefbook.check.findings import Finding, finding
from briefbook.check.unlinked import line_of
from briefbook.entities.registry import Registry
from briefbook.nodes import mention

_TARGET_RE = re.compile(r"\{(?:person|place|org)\}`(?:[^`<]*<)?([^`>]+)>?`")


def registry_findings(book: Book, app: Any, registry: Registry) -> list[Finding]:
    """Unreviewed entries, entries nothing mentions, titles outside their dates."""
    domain: Any = app.env.domains["briefbook"]
    mentioned = {m.entity for found in domain.mentions.values() for m in found}
    mentioned |= {q.speaker for found in domain.quotes.values() for q in found if q.speaker}
    mentioned |= {e for found in domain.events.values() for ev in found for e in ev.entities}
    for entity in registry:
        for target in _TARGET_RE.findall(entity.description):
            other = registry.lookup(target.strip())
            if other is not None and other.id != entity.id:
                mentioned.add(other.id)
    found: list[Finding] = []
    folder = Path(registry.folder)
    for entity in registry:
        path = folder / Path(entity.path).name
        if entity.unreviewed:
            found.append(finding(book, path, entity.line, "BB310",
                                 f"{entity.kind} '{entity.id}' is still marked unreviewed"))
        if entity.id not in mentioned:
            found.append(finding(book, path, entity.line, "BB311",
                                 f"{entity.kind} '{entity.id}' is not mentioned anywhere in the book"))
    found.extend(role_date_findings(book, app, registry))
    return found


_STOP = {"of", "the", "for", "and", "u.s.", "us", "a", "an", "in"}


def _title_words(title: str) -> set[str]:
    words = re.findall(r"[a-z][a-z.]*", title.lower().replace("defence", "defense"))
    return {w for w in words if w not in _STOP and len(w) > 2}


def role_date_findings(book: Book, app: Any, registry: Registry) -> list[Finding]:
    """A person named by a title ("Defence Secretary X") they did not hold on the date.

    The title counts as used when at least two of its significant words stand in the
    80 characters before the mention (British and American spellings alike).
    """

    env = app.env
    found: list[Finding] = []
    for docname in sorted(env.found_docs):
        when = briefing_date(env.metadata.get(docname, {}))
        if when is None:
            continue
        doctree = env.get_doctree(docname)
        tails: dict[int, dict[int, str]] = {}
        for node in doctree.findall(mention):
            entity = registry.get(node["entity"])
            if entity is None or entity.kind != "person" or not entity.roles:
                continue
            before = _text_before(node, nodes, tails)
            window = set(re.findall(r"[a-z][a-z.]*", before.lower().replace("defence", "defense")))
            used = [r for r in entity.roles if len(_title_words(r.title) & window) >= 2]
            if used and not any(r.covers(when) for r in used):
                role = used[0]
                found.append(finding(
                    book, env.doc2path(docname), line_of(node), "BB312",
                    f"{entity.name} is named as '{role.title}', held {role.span()}, "
                    f"but the article is dated {when.isoformat()}"))
    return found


def _text_before(node: Any, nodes: Any, cache: dict[int, dict[int, str]]) -> str:
    """The last 80 characters of the paragraph's text before the part holding ``node``.

    Each paragraph is read once (``cache``): asked afresh for each mention, a paragraph
    of one long line cost the square of its length."""
    top = node
    while top.parent is not None and not isinstance(top.parent, nodes.paragraph):
        top = top.parent
    paragraph = top.parent
    if paragraph is None:
        return ""
    if id(paragraph) not in cache:
        tails: dict[int, str] = {}
        tail = ""
        for child in paragraph.children:
            tails[id(child)] = tail
            tail = (tail + child.astext())[-80:]
        cache[id(paragraph)] = tails
    return cache[id(paragraph)].get(id(top), "")

