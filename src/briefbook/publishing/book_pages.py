"""The book's pages as ``briefbook pdf`` chooses among them, and the selection it prints.

A handout is chosen before Sphinx runs (:mod:`.selection`), so a page is known here by
what can be learnt without parsing it: its file, found by Sphinx's own discovery, and its
front matter as MyST delimits it (date, author, tags, title), with its marking as every
release decides it (:mod:`briefbook.editions.decision`). A :class:`Selection` is the pages
chosen, in print order, with the handout's name and title: what :mod:`.handout` builds.
Both modules read these, so they live below both.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from briefbook.book.briefings import parse_date
from briefbook.editions.decision import (
    Decision,
    Reading,
    UnreadableError,
    book_files,
    filetypes_of,
    read_text,
)
from briefbook.editions.decision import front_matter as delimit_front_matter

#: A date as front matter and the command line write it: YYYY-MM-DD.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)\s*(?:<[^`>]*>)?`")


@dataclass(frozen=True)
class Page:
    """One page of the book, as its file and front matter describe it."""

    docname: str
    path: Path
    date: dt.date | None = None
    author: str = ""
    tags: tuple[str, ...] = ()
    #: ``file:line`` and the text of a front-matter ``date`` that is not YYYY-MM-DD.
    bad_date: str = ""
    #: Its marking, as every release decides it (:mod:`briefbook.editions.decision`).
    decision: Decision | None = field(default=None, compare=False, repr=False)
    reading: Reading | None = field(default=None, compare=False, repr=False)
    front_title: str = ""

    @property
    def marking(self) -> str:
        return self.decision.text if self.decision is not None else ""

    @cached_property
    def title(self) -> str:
        """The page's title as it is read: its front matter's ``title``, else its first
        heading as MyST parses the page (a heading inside a directive, such as a withheld
        ``{marking}`` portion, or in a code block, is not one); worked out only for the
        pages that need it."""
        return self.front_title or _title(self.path, self.reading, self.docname)

    @property
    def briefing(self) -> bool:
        """A briefing as the front page counts one: a date and an author."""
        return self.date is not None and bool(self.author)

    @property
    def stem(self) -> str:
        return self.docname.rsplit("/", 1)[-1]


@dataclass
class Selection:
    """The pages to print, in print order, and what the handout is called."""

    pages: list[Page]
    name: str
    title: str
    notes: list[str] = field(default_factory=list)

    @property
    def as_of(self) -> dt.date | None:
        """The latest selected briefing's date: what the handout is current to."""
        dates = [p.date for p in self.pages if p.briefing and p.date is not None]
        return max(dates) if dates else None


def suffixes(config: dict[str, Any]) -> list[str]:
    """The page suffixes Sphinx will read (``source_suffix``, with MyST's ``.md``)."""
    return list(filetypes_of(config))


def _title(path: Path, reading: Reading | None, docname: str) -> str:
    """The first heading of the page (roles reduced to their text), or its docname."""
    encoding = reading.encoding if reading is not None else "utf-8-sig"
    try:
        text = path.read_bytes().decode(encoding, errors="replace")
    except (OSError, LookupError):
        return docname
    if reading is not None and reading.filetype(path) == "markdown" and reading.markdown:
        tokens = reading.markdown.parse(text)
        for index, token in enumerate(tokens[:-1]):
            if token.type == "heading_open" and token.level == 0:
                heading = tokens[index + 1].content
                return _ROLE.sub(lambda m: m.group(1), heading).strip() or docname
        return docname
    # reST: the first underlined title at the margin (a directive's content is indented).
    underlined = re.search(r"^(\S.*)\n([=\-~^\"'`#*+]{3,})[ \t]*$", text, re.M)
    return underlined.group(1).strip() if underlined else docname


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _tags(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return tuple(t for t in (str(item).strip().casefold() for item in items) if t)


class _TextDates(yaml.SafeLoader):
    """YAML without implicit timestamps: ``date: 2024-10-41`` stays text to report, where
    the safe loader would raise on it and lose the whole front matter."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def front_matter(text: str, reading: Reading) -> dict[str, Any]:
    """A page's front matter as MyST delimits it (dates as text), or ``{}``; the build
    reports a broken one, and the release decision refuses it."""
    found = delimit_front_matter(text, reading.markdown)
    if found is None:
        return {}
    try:
        data = yaml.load(found.content, Loader=_TextDates)  # a SafeLoader
    except (yaml.YAMLError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def read_page(docname: str, path: Path, book_root: Path, reading: Reading) -> Page:
    """A page's date, author, tags and marking, from its front matter alone."""
    try:
        text = read_text(path, reading.encoding)
        decision = reading.decide(path, text)
    except UnreadableError:
        decision = reading.decide(path)  # says why, where
        try:
            text = path.read_bytes().decode(reading.encoding, errors="replace")
        except (OSError, LookupError):
            text = ""
    front = front_matter(text, reading) if reading.filetype(path) == "markdown" else {}
    raw_date = str(front.get("date") or "").strip()
    date = parse_date(raw_date) if ISO_DATE.fullmatch(raw_date) else None
    bad = f"{_rel(path, book_root)}:{_line_of(text, 'date')}: date '{raw_date}'" if (
        raw_date and date is None) else ""
    return Page(docname, path, date, str(front.get("author") or "").strip(),
                _tags(front.get("tags")), bad, decision, reading,
                str(front.get("title") or "").strip())


def book_pages(srcdir: Path, config: dict[str, Any], book_root: Path,
               reading: Reading | None = None) -> dict[str, Page]:
    """Every page Sphinx would read (docname → page), found by Sphinx's own discovery."""
    reading = reading or Reading.of_conf(config)
    return {docname: read_page(docname, path, book_root, reading)
            for docname, path in book_files(srcdir, config, reading.filetypes).items()}


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
