"""The metadata an article's first lines state: the house format's `` date YYYY-MM-DD
Author Name`` line, and ``Title:``/``Date:``/``By`` headers.

Kept apart from the header scan (:mod:`.header`) because these lines are the user's own
statement of the metadata, read first and trusted over anything a page's layout says.
"""

from __future__ import annotations

import datetime as dt
import re

from briefbook.ingest.dates import parse_date
from briefbook.ingest.paragraphs import RawBlock

_DATE_LINE = re.compile(r"^\s*date\s*[:=]?\s+(?P<date>\S+)\s*(?P<author>.*?)\s*$", re.IGNORECASE)
_HEADER = re.compile(
    r"^\s*(?P<key>title|headline|date|published|author|authors|by|byline)\s*:\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)
_BY_LINE = re.compile(r"^\s*by\s+(?P<author>[^\W\d][\w.'’\- ]{1,80}?)\s*$", re.IGNORECASE)


def read_metadata(blocks: list[RawBlock], path: str, warnings: list[str]) -> tuple[
        str, dt.date | None, str, bool, int]:
    """Consume metadata lines from the front of ``blocks``.

    Returns title, date, author, whether a metadata line was found, and its line."""
    title, date, author = "", None, ""
    found = False
    dated_line = 0
    while blocks:
        block = blocks[0]
        consumed = 0
        for offset, line in enumerate(block.lines):
            number = block.line + offset
            dated = _DATE_LINE.match(line)
            header = _HEADER.match(line)
            by = _BY_LINE.match(line)
            if dated and not header and (parse_date(dated["date"]) or re.match(r"\d", dated["date"])):
                found = True
                date = parse_date(dated["date"])
                if date is None:
                    warnings.append(f"{path}:{number}: metadata date {dated['date']!r} is not "
                                    "a date (expected YYYY-MM-DD); date left empty")
                rest = dated["author"].strip(" ,;-—")
                dated_line = number
                if len(rest.split()) > 8 or (re.search(r"[.!?][\"”’]?$", rest)
                                             and len(rest.split()) > 4):
                    # " date 2017-09-22 The ship arrived today …": the text began on that line.
                    block.lines[offset] = rest
                    consumed = offset
                    break
                author = rest or author
            elif header:
                found = True
                key, value = header["key"].lower(), header["value"]
                if key in ("title", "headline"):
                    title = value
                elif key in ("date", "published"):
                    date = parse_date(value)
                    if date is None and value:
                        warnings.append(f"{path}:{number}: date {value!r} not understood "
                                        "(expected YYYY-MM-DD); date left empty")
                else:
                    author = re.sub(r"^by\s+", "", value, flags=re.IGNORECASE)
            elif by and offset == consumed and len(block.lines) == 1 + offset and found:
                author = by["author"]
            else:
                break
            consumed = offset + 1
        if consumed == 0:
            break
        if consumed < len(block.lines):
            block.lines = block.lines[consumed:]
            block.line += consumed
            break
        blocks.pop(0)
    return title, date, author, found, dated_line
