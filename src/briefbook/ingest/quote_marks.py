"""Quotation marks: the quoted spans of a paragraph, and which mentions stand inside them.

Finding the spans is a small state machine over the quotation marks, because articles
mix curly and straight quotes (and close a “ with a "), leave multi-paragraph quotes
open at the paragraph's end, and use apostrophes everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefbook.ingest.model import Mention, Quote


@dataclass
class Span:
    """Quoted words [start, end) of a paragraph; ``closed`` is False for a quotation left
    open at the paragraph's end (continued in the next paragraph)."""

    start: int
    end: int
    closed: bool = True


_OPEN = "“„«"
_CLOSE = "”»"


def find_spans(text: str, skip: int = 0) -> list[Span]:
    """Quotation spans in ``text`` (from offset ``skip``), mixed curly/straight marks."""
    spans: list[Span] = []
    open_at: int | None = None
    open_curly = False
    for i in range(skip, len(text)):
        char = text[i]
        if char not in '"“”„«»':
            continue
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if char in _OPEN:
            open_at, open_curly = i, True
        elif char in _CLOSE:
            if open_at is not None:
                spans.append(Span(open_at + 1, i))
                open_at = None
        else:  # straight quote: direction from context
            opening = (prev.isspace() or prev in "([{—–-/" or i == skip) and not nxt.isspace()
            if open_at is not None and not (opening and prev.isspace()):
                spans.append(Span(open_at + 1, i))
                open_at = None
            elif opening:
                open_at, open_curly = i, False
    if open_at is not None and (open_curly or open_at == skip or re.search(
            r"[.!?]\s+$", text[max(skip, open_at - 3):open_at])):
        spans.append(Span(open_at + 1, len(text), closed=False))
    if not spans and "‘" in text:
        spans = _single_spans(text, skip)
    out = []
    for span in spans:
        words = text[span.start:span.end]
        if words.strip():
            # Spaces just inside the marks stay outside the quote (and the role).
            span.start += len(words) - len(words.lstrip())
            span.end -= len(words) - len(words.rstrip())
            out.append(span)
    return out


def _single_spans(text: str, skip: int) -> list[Span]:
    """British-style ‘single’ quotes, telling closing marks from apostrophes (it’s)."""
    spans = []
    for match in re.finditer(r"(?<![\w’])‘(?P<q>[^‘’]*(?:’\w[^‘’]*)*)’(?!\w)", text[skip:]):
        spans.append(Span(skip + match.start("q"), skip + match.end("q")))
    return spans



def mark_quoted(mentions: list[Mention], quotes: Sequence[Quote]) -> None:
    """Flag mentions inside quoted words (the page keeps quotes literal, unlinked)."""
    by_paragraph: dict[int, list[Quote]] = {}
    for quote in quotes:
        by_paragraph.setdefault(quote.paragraph, []).append(quote)
    for mention in mentions:
        mention.in_quote = any(q.start <= mention.start and mention.end <= q.end
                               for q in by_paragraph.get(mention.paragraph, ()))
