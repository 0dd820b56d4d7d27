"""Web pages against their gold: authors, where the article starts and ends, and furniture.

A saved page is annotated for what a reader of it sees (``scope: metadata`` gold files,
``tests/corpus-web/README.md``): the people who wrote it, the first words of its first
and last paragraph, and strings of the page that are not article text (promos, author
boxes, sign-ups).  An extractor that starts on a kicker, ends on "Comments are closed"
or keeps a gallery caption is wrong in a way a reader notices at once, so each of these
is its own x/N in the report.
"""

from __future__ import annotations

import html
import re
from typing import Any

from briefbook.evaluation.gold import GoldArticle
from briefbook.evaluation.names import normalise_name, quote_key

#: The most characters a dateline may take before the first words ("SEOUL, South Korea — ",
#: "WASHINGTON (Reuters) - "); it must end in a dash or a colon.
DATELINE_ROOM = 45
_DATELINE_END = re.compile(r"[-:]\s*$")
_LEADING_MARKS = re.compile(r"^[\s\"'•*·-]+")


def text_key(text: str) -> str:
    """How paragraph words are compared: character references decoded, quotation marks,
    dashes and whitespace unified, spaces before punctuation closed ("Bowsher ," is
    "Bowsher,"), case ignored."""
    text = quote_key(html.unescape(text)).casefold()
    return re.sub(r"\s+([,.;:!?)\]])", r"\1", text)


def starts_with(paragraph: str, words: str) -> bool:
    """Whether a paragraph opens with the gold words, after an opening quotation mark or
    bullet and at most a dateline."""
    key = _LEADING_MARKS.sub("", text_key(words))
    text = _LEADING_MARKS.sub("", text_key(paragraph))
    if not key:
        return False
    at = text.find(key)
    if at == 0:
        return True
    return 0 < at <= DATELINE_ROOM and bool(_DATELINE_END.search(text[:at].rstrip(" \"'")))


def split_authors(author: str | None) -> list[str]:
    """The people of ingest's ``author`` field ("A, B and C"; "A & B"; "A; B")."""
    if not author:
        return []
    parts = re.split(r"\s*(?:,|;|&|\band\b)\s*", author)
    return [p.strip() for p in parts if p.strip()]


def same_authors(gold: list[str], author: str | None) -> bool:
    """The same people, names normalised (case, titles), order ignored; a name given
    twice ("Jane Doe and JANE DOE") is wrong, as a reader sees it."""
    found = sorted(normalise_name(a) for a in split_authors(author))
    return found == sorted(normalise_name(a) for a in gold)


def boilerplate_kept(strings: list[str], paragraphs: list[str]) -> list[str]:
    """The gold furniture strings found inside any returned paragraph."""
    keys = [text_key(p) for p in paragraphs]
    return [s for s in strings if any(text_key(s) in k for k in keys)]


def score_page(gold: GoldArticle, meta: dict[str, Any], paragraphs: list[str]) -> dict[str, Any]:
    """The page fields of one article: each a (right?, gold, system) triple, or None
    where the gold does not annotate it; ``boilerplate`` the strings kept (None: none
    annotated)."""
    shown_first = paragraphs[0][:110] if paragraphs else ""
    shown_last = paragraphs[-1][:110] if paragraphs else ""
    author = meta.get("author")
    out: dict[str, Any] = {"authors": None, "first_paragraph": None, "last_paragraph": None,
                           "boilerplate": None}
    if gold.authors is not None:
        out["authors"] = (same_authors(gold.authors, author), ", ".join(gold.authors) or "(none)",
                          str(author or "(none)"))
    if gold.first_paragraph:
        out["first_paragraph"] = (bool(paragraphs) and starts_with(paragraphs[0],
                                                                   gold.first_paragraph),
                                  gold.first_paragraph, shown_first)
    if gold.last_paragraph:
        out["last_paragraph"] = (bool(paragraphs) and starts_with(paragraphs[-1],
                                                                  gold.last_paragraph),
                                 gold.last_paragraph, shown_last)
    if gold.boilerplate:
        out["boilerplate"] = boilerplate_kept(gold.boilerplate, paragraphs)
    return out
