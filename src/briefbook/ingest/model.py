"""The records ingest passes between its stages, and the JSON contract built from them.

Plain dataclasses rather than dicts so that every stage states what it produces and
mypy checks the hand-offs; :meth:`Analysis.to_json` is the single place the public
JSON contract (README, "The ingest JSON contract") is spelled out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["paragraph", "pull_quote"]


class IngestError(Exception):
    """An article that cannot be ingested; the message names the file (and line)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass
class Block:
    """One stand-alone piece of the article body, in reading order.

    ``index`` counts paragraphs and pull quotes separately, as the JSON lists do.
    ``turn_label`` is the transcript speaker label (``MR. KIRBY: ``, with the space after
    it) that starts the paragraph, "" when there is none.
    """

    kind: BlockKind
    text: str
    index: int
    line: int = 0
    turn_label: str = ""


@dataclass(frozen=True)
class Name:
    """A recognised name: offsets index ``paragraph``'s string."""

    paragraph: int
    start: int
    end: int
    text: str
    type: str  # person | place | organization
    cue: str
    title: str = ""  # for people: the title the text gives them ("Defense Secretary")


@dataclass
class Reading:
    """What a recogniser made of an article: its names and, when a model ran, the model's
    parse of each paragraph (attribution asks it for the subject of a reporting verb)."""

    names: list[Name]
    parses: list[Any] | None = None
    #: What the reader should know about how the names were found (one line each).
    notes: list[str] = field(default_factory=list)


@dataclass
class Hints:
    """Metadata known from outside the text (a web page's markup, its address), which
    :func:`~.parsing.parse_article` completes from the text's own header."""

    title: str = ""
    author: str = ""
    date: dt.date | None = None
    publisher: str = ""
    url: str = ""
    retrieved: dt.date | None = None


@dataclass
class Article:
    """What the reader recovered from one input file."""

    path: str
    title: str
    title_supplied: bool
    date: dt.date | None
    author: str
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Who published the article (a site, an agency, a newspaper), "" when unknown.
    publisher: str = ""
    #: The web address the article was read from (or that its text names), "" when none.
    url: str = ""
    #: When the page at ``url`` was fetched, for the bibliography's ``urldate``.
    retrieved: dt.date | None = None
    #: Byline, issuing office and source lines of the header, kept out of the body.
    credits: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "paragraph"]

    @property
    def pull_quotes(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "pull_quote"]


@dataclass
class Mention:
    """A registry entity found in a paragraph; offsets index that paragraph's string."""

    text: str
    id: str
    type: str
    paragraph: int
    start: int
    end: int
    short_form: bool = False
    in_quote: bool = False


@dataclass
class Quote:
    """A direct quotation: the words between the marks, and who said them.

    ``start``/``end`` delimit the quoted words (marks excluded).  ``speaker_id`` is a
    registry id; ``speaker_text`` is the speaker as the article names them ("Lee",
    "South Korean intelligence services", "officials"), or None when unattributed.
    """

    text: str
    paragraph: int
    start: int
    end: int
    speaker_id: str | None = None
    speaker_text: str | None = None
    pattern: str = ""
    turn: bool = False
    said_as: str = ""  # the article's words when they are a pronoun or description ("he")


@dataclass
class Candidate:
    """A name the registry lacks, proposed for review."""

    text: str
    type: str
    count: int
    cue: str = ""
    coordinates: tuple[float, float] | None = None
    place_kind: str = ""
    #: Other ways the article wrote the same entity, folded into this one ("Austin" for
    #: "Lloyd Austin", "Council" for "Security Council"): forms, not names of their own.
    forms: tuple[str, ...] = ()
    #: Titles the article puts right before a person's name ("Defense Secretary").
    titles: tuple[str, ...] = ()
    #: Titles it gives the person elsewhere ("Austin, the defense secretary,").
    other_titles: tuple[str, ...] = ()
    #: How many of ``count`` stand where a page can link them: in the body's own words,
    #: not inside a quotation, the headline or the byline (None: not counted).
    linkable: int | None = None


@dataclass
class Analysis:
    """An article with its mentions, quotes and candidates, ready to write or print."""

    article: Article
    mentions: list[Mention]
    quotes: list[Quote]
    candidates: list[Candidate]
    source_key: str = ""
    recogniser: str = ""  # which recogniser found the names, for the record

    def to_json(self) -> dict[str, Any]:
        """The public contract: extend it, never change a field's meaning."""
        art = self.article
        return {
            "meta": {
                "title": art.title,
                "date": art.date.isoformat() if art.date else None,
                "author": art.author or None,
                "title_supplied": art.title_supplied,
                "source": self.source_key or None,
                "file": art.path,
                "publisher": art.publisher or None,
                "url": art.url or None,
                "recogniser": self.recogniser or None,
            },
            "paragraphs": art.paragraphs,
            "pull_quotes": art.pull_quotes,
            "quotes": [
                {
                    "text": q.text,
                    "speaker": {"id": q.speaker_id, "text": q.speaker_text,
                                "said_as": q.said_as or q.speaker_text},
                    "paragraph": q.paragraph,
                    "start": q.start,
                    "end": q.end,
                }
                for q in self.quotes
            ],
            "mentions": [
                {
                    "text": m.text,
                    "id": m.id,
                    "type": m.type,
                    "paragraph": m.paragraph,
                    "start": m.start,
                    "end": m.end,
                    "in_quote": m.in_quote,
                }
                for m in self.mentions
            ],
            "candidates": [
                {"text": c.text, "type": c.type, "count": c.count} for c in self.candidates
            ],
            "warnings": list(art.warnings),
        }


@dataclass(frozen=True)
class Found:
    """A candidate of one article of the batch, with the article's file name and date."""

    candidate: Candidate
    article: str
    date: dt.date | None = None


@dataclass(frozen=True)
class BatchArticle:
    """An article of the batch as ingest read it: its date and its paragraphs (where a
    person's title is looked for before the name, as ``briefbook check`` looks)."""

    article: str
    date: dt.date | None
    paragraphs: Sequence[str] = ()
