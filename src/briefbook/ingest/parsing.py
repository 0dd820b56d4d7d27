"""Decoded article text to an :class:`~.model.Article`: metadata, title, paragraphs, pull quotes.

Articles arrive as whatever a user pasted: the house format (a first line
`` date YYYY-MM-DD Author Name``, then paragraphs separated by blank lines, with
stand-alone pull-quote lines), but also ``Title:``/``By``/``Date:`` headers, copied web
pages with their furniture, one paragraph per line, transcripts with ``MR. KIRBY:``
turns.  :func:`parse_article` puts the pieces together: the metadata lines
(:mod:`.metadata_lines`), the header (:mod:`.header`), the paragraphs
(:mod:`.paragraphs`), and what a web page's markup said (:class:`~.model.Hints`), in that
order of trust.
"""

from __future__ import annotations

import re

from briefbook.ingest.bylines import looks_like_org
from briefbook.ingest.dates import date_in_name
from briefbook.ingest.decoding import MAX_PARAGRAPH, clean_controls
from briefbook.ingest.furniture import WIKI_MARKUP
from briefbook.ingest.header import scan
from briefbook.ingest.metadata_lines import read_metadata
from briefbook.ingest.model import Article, Block, Hints, IngestError
from briefbook.ingest.paragraphs import (
    core_text,
    paragraphs_of,
    pull_quotes,
    repeated_mixed_labels,
    split_blocks,
    turn_label,
)
from briefbook.ingest.publishers import publisher_for_url, us_agency, us_office
from briefbook.ingest.sentences import derive_title


def parse_article(text: str, path: str, hints: Hints | None = None) -> Article:
    """Parse decoded article text (see :func:`decode`); ``hints`` carries metadata known
    from elsewhere (a web page's markup), which the text's own header completes."""
    hints = hints or Hints()
    warnings: list[str] = []
    text = clean_controls(text, path, warnings)
    blocks = split_blocks(text)
    if not blocks:
        raise IngestError(path, "is empty (no text to ingest)")
    for block in blocks:
        for offset, line in enumerate(block.lines):
            if len(line) > MAX_PARAGRAPH:
                raise IngestError(path, f"line is {len(line):,} characters long; paragraphs "
                                  f"over {MAX_PARAGRAPH:,} characters are refused (a data file, "
                                  "or an export that lost its line breaks?)", block.line + offset)

    title, date, author, found, dated_line = read_metadata(blocks, path, warnings)
    mixed_ok = repeated_mixed_labels(blocks)
    blocks, info = scan(blocks, title, hints, mixed_ok)
    if not info.source and WIKI_MARKUP.search(text[:200_000]):
        info.source = info.source or "Wikipedia"  # MediaWiki markup: "= Title =", "== History =="
    title = hints.title or info.title
    pieces: list[tuple[str, int]] = []
    for block in blocks:
        pieces.extend(paragraphs_of(block, mixed_ok))
    pieces = [(p, n) for p, n in pieces if p]
    if not pieces:
        if title:
            raise IngestError(path, "has a title but no body text")
        raise IngestError(path, "has metadata but no body text")

    # Metadata: the metadata line first, then what the page's markup said, then the header.
    from_header: list[str] = []
    if date is None:
        date = hints.date or info.date
        if date is not None and hints.date is None:
            from_header.append("date")
    if not author:
        author = info.author or hints.author
        if author and info.author:
            from_header.append("author")
    url = hints.url or info.url
    banner = {"gov": "U.S. Government", "mil": "U.S. Department of Defense"}.get(info.banner, "")
    if info.banner:
        banner = us_office(title or info.title) or banner
    org = info.org
    if not info.banner and re.match(r"^(?:the\s+)?(?:department|dept\.?)\s+of\s+(?:the\s+)?\w+$", org,
                                    re.IGNORECASE):
        org = ""  # "Department of State" with no country: whose? A report's subject, as often.
    publisher = (info.source or (org and us_agency(org, bool(info.banner)))
                 or hints.publisher or (publisher_for_url(url) if url else "")
                 or info.wire or info.signature or info.org_byline or info.named or banner)
    if not publisher and author and looks_like_org(author):
        publisher = author
    if found and not author and not publisher:
        warnings.append(f"{path}:{dated_line or 1}: metadata has a date but no author; "
                        "author left empty")
    elif found and not author:
        warnings.append(f"{path}:{dated_line or 1}: metadata has a date but no author; "
                        f"the publisher ({publisher}) stands in")
    if not found and not hints.url and not hints.title:
        if from_header:
            warnings.append(f"{path}:1: no metadata line; {' and '.join(from_header)} taken "
                            "from the article's header")
        elif date is None and not author:
            warnings.append(f"{path}:1: no metadata line (' date YYYY-MM-DD Author Name'); "
                            "date and author left empty")
    if date is None:
        date = date_in_name(path)
        if date is not None:
            warnings.append(f"{path}: date {date.isoformat()} taken from the file name")

    if title and pieces and core_text(pieces[0][0]) == core_text(title) and len(pieces) > 1:
        pieces = pieces[1:]

    kinds = pull_quotes([piece for piece, _ in pieces], mixed_ok)

    article_blocks: list[Block] = []
    counters = {"paragraph": 0, "pull_quote": 0}
    for (piece, number), pull in zip(pieces, kinds, strict=True):
        kind: str = "pull_quote" if pull else "paragraph"
        label = "" if pull else turn_label(piece, mixed_ok)
        article_blocks.append(Block("pull_quote" if pull else "paragraph", piece,
                                    counters[kind], number, label))
        counters[kind] += 1
    if counters["paragraph"] == 0:
        # Every line repeated another: keep them as paragraphs rather than lose the body.
        for counter, made in enumerate(article_blocks):
            made.kind, made.index = "paragraph", counter

    supplied = not title
    if supplied:
        title = derive_title([b.text for b in article_blocks if b.kind == "paragraph"])
    return Article(path=path, title=" ".join(title.split()), title_supplied=supplied,
                   date=date, author=" ".join(author.split()), blocks=article_blocks,
                   warnings=warnings, publisher=" ".join(publisher.split()), url=url,
                   retrieved=hints.retrieved, credits=list(dict.fromkeys(info.credits)))
