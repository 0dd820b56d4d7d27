"""BB103: registry names a page leaves unlinked, found where the reader sees them.

Shared with ``briefbook link``, which links exactly what this finds: the two must agree
on which names count, or link would fix what check does not report (or miss what it does).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes

from briefbook.analysis.quotes import quotation
from briefbook.book.layout import Book
from briefbook.check.findings import Finding, finding
from briefbook.entities.registry import Entity, Registry
from briefbook.ingest.linker import Linker
from briefbook.ingest.recognition import RuleRecogniser
from briefbook.ingest.writer import ROLE_FOR_KIND
from briefbook.nodes import mention


@dataclass(frozen=True)
class UnlinkedName:
    """One registry name left unlinked in a page's text (what BB103 reports).

    ``text`` is the doctree text node the name sits in and ``start``/``end`` index its
    string; ``paragraph`` is the paragraph holding it (None outside paragraphs).  Kept
    apart from the finding so that ``briefbook link`` can put the role where check
    asks for one, with the same idea of which names need it.
    """

    docname: str
    path: str
    line: int
    entity: Entity
    shown: str
    text: Any = field(compare=False)
    start: int
    end: int
    paragraph: Any = field(compare=False)


def find_unlinked(app: Any, registry: Registry) -> Iterator[UnlinkedName]:
    """Registry names in the text outside mentions, quotations, code and links.

    Every occurrence, in document order; a name already linked in the same paragraph
    may appear again unlinked (naming an entity again needs no link), and short forms
    ("Austin" after "Lloyd Austin") are left to the reader, as ingest leaves them.

    Names are looked for in a paragraph's whole text, as ingest looks for them in the
    article's paragraph, and reported where they stand outside the markup: whether a
    name needs a link does not depend on which of its neighbours are linked already
    (so ``briefbook link`` finds nothing new on a second run).
    """

    env = app.env
    linker = Linker.from_registry(registry)
    # The rules (no model: the check stays fast) find the longer names a registry name
    # may sit inside ("U.S." in "U.S. Army North"): ingest does not link those, so
    # neither does the check ask for a link there.
    recogniser = RuleRecogniser()
    skip = _skip_types()
    for docname in sorted(env.found_docs):
        doctree = env.get_doctree(docname)
        path = str(env.doc2path(docname))
        # The texts of each block (paragraph, term, caption …) in document order; a text
        # outside any block (made by an extension) is read with its siblings.
        blocks: dict[int, tuple[Any, list[Any]]] = {}
        for text in doctree.findall(nodes.Text):
            block = _block_of(text, nodes) or text.parent
            blocks.setdefault(id(block), (block, []))[1].append(text)
        for block, texts in blocks.values():
            context, spans = _block_text(texts, nodes, skip)
            if not spans:
                continue
            paragraph = block if isinstance(block, nodes.paragraph) else _paragraph_of(block, nodes)
            linked_here = ({m["entity"] for m in paragraph.findall(mention)}
                           if paragraph is not None else set())
            offsets = [offset for _, offset in spans]
            for match in linker.link([context], recogniser.recognise([context])):
                entity = registry.get(match.id)
                if entity is None or match.short_form or entity.id in linked_here:
                    continue
                # The text the name starts in (a bisection: a block may hold thousands).
                at = bisect.bisect_right(offsets, match.start) - 1
                if at < 0:
                    continue
                text, offset = spans[at]
                if match.end <= offset + len(text):
                    yield UnlinkedName(docname, path, line_of(text), entity, match.text,
                                       text, match.start - offset, match.end - offset,
                                       paragraph)


def _skip_types() -> tuple[type, ...]:
    """Where a name never needs a link: mentions, quotations, code, links, titles …"""

    return (mention, quotation, nodes.literal, nodes.literal_block, nodes.reference,
            nodes.raw, nodes.comment, nodes.title, nodes.rubric, nodes.citation,
            nodes.target, nodes.attribution)


def _block_text(texts: Sequence[Any], nodes: Any,
                skip: tuple[type, ...]) -> tuple[str, list[tuple[Any, int]]]:
    """A block's text (from its ``texts``) as the reader reads it, and where each text a
    name may need a link in starts in it.

    Text the build adds (a quotation's attribution, the [sic] of a variant) and raw
    output are not part of what the page says.
    """
    parts: list[str] = []
    spans: list[tuple[Any, int]] = []
    length = 0
    for text in texts:
        if _inside(text, (nodes.raw,)) or _inside_class(text, "bb-attribution") \
                or _inside_class(text, "bb-sic"):
            parts.append(" ")  # a line break, or words the page does not say
            length += 1
            continue
        value = str(text)
        # Glossary entries hold registry text; bylines hold the author's name.
        if not (_inside(text, skip) or _inside_class(text, "bb-byline")
                or _inside_class(text, "bb-entity-index")):
            spans.append((text, length))
        parts.append(value)
        length += len(value)
    return "".join(parts), spans


def _block_of(node: Any, nodes: Any) -> Any:
    """The block holding ``node``: its nearest ancestor with text that is not inline."""
    parent = node.parent
    while parent is not None and not (isinstance(parent, nodes.TextElement)
                                      and not isinstance(parent, nodes.Inline)):
        parent = parent.parent
    return parent


def suggested_role(shown: str, entity: Entity) -> str:
    """The role BB103 suggests: the name as shown, with the entity's id when it differs."""

    target = "" if shown == entity.name else f" <{entity.id}>"
    return f"{{{ROLE_FOR_KIND[entity.kind]}}}`{shown}{target}`"


def unlinked_mentions(book: Book, app: Any, registry: Registry) -> list[Finding]:
    """BB103: each registry name left unlinked, with the role that would link it."""
    return [finding(book, name.path, name.line, "BB103",
                    f"'{name.shown}' is not linked: {suggested_role(name.shown, name.entity)}")
            for name in find_unlinked(app, registry)]


def _paragraph_of(node: Any, nodes: Any) -> Any:
    paragraph = node.parent
    while paragraph is not None and not isinstance(paragraph, nodes.paragraph):
        paragraph = paragraph.parent
    return paragraph


def _inside(node: Any, types: tuple[type, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, types):
            return True
        parent = parent.parent
    return False


def _inside_class(node: Any, cls: str) -> bool:
    parent = node.parent
    while parent is not None:
        if cls in getattr(parent, "get", lambda *_: [])("classes", []):
            return True
        parent = parent.parent
    return False


def line_of(node: Any) -> int:
    while node is not None:
        if getattr(node, "line", None):
            return int(node.line)
        node = node.parent
    return 0

