"""Web pages in: saved HTML files and http(s) addresses, read into the same :class:`Article`.

trafilatura finds the page's main text (menus, banners, footers and comments left out)
and its metadata: headline, byline, date, site name and address.  The text goes through
the same reader as a pasted article, paragraph by paragraph, so datelines, bylines and
pull quotes are handled alike whatever the input; the markup's metadata fills in what
the text does not say.

A URL is fetched once, with a time-out for each step, a deadline for the whole and a
size cap; any failure (a truncated answer included) is an :class:`IngestError` naming
the address, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PosixPath
from typing import Any

from briefbook.ingest.bylines import parse_byline
from briefbook.ingest.dates import parse_date
from briefbook.ingest.decoding import decode
from briefbook.ingest.model import Article, Hints, IngestError
from briefbook.ingest.parsing import parse_article
from briefbook.ingest.publishers import SITE_NAMES, publisher_for_url, url_host
from briefbook.ingest.web_page import (
    PageFacts,
    read_page,
    similar,
    title_site,
    visible_headline,
)
from briefbook.sources.fetch import CaptureError
from briefbook.sources.fetch import fetch as get

#: Seconds to wait for a server (to connect, and between reads).
TIMEOUT = 20.0
#: Seconds for the whole fetch (redirects and body): a page trickled a byte at a time
#: fails after this instead of holding the run for ever.
DEADLINE = 30.0
#: Largest page fetched (bytes); a news page is well under a megabyte.
MAX_PAGE = 10_000_000
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
USER_AGENT = "briefbook-ingest/0.1 (+https://github.com/briefbook)"
_REQUEST_HEADERS = {"User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8"}
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body)",
                         re.IGNORECASE | re.DOTALL)


def is_url(text: str) -> bool:
    """Whether a command-line argument is a web address (any scheme) rather than a path."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", text.strip(), re.IGNORECASE))


class WebAddress(PosixPath):
    """A URL given on the command line, passed through the batch like a file path.

    ``str()`` is the address itself; ``name`` and ``stem`` are the page's last path
    segment (or the host), for page names and messages."""

    url: str

    def __new__(cls, url: str) -> WebAddress:
        self = super().__new__(cls, "url")
        self.url = url.strip()
        return self

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"WebAddress({self.url!r})"

    def __fspath__(self) -> str:
        return self.url

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WebAddress) and other.url == self.url

    def __hash__(self) -> int:
        return hash(("url", self.url))

    @property
    def name(self) -> str:
        path = re.sub(r"[?#].*$", "", self.url.split("://", 1)[-1]).rstrip("/")
        last = path.rsplit("/", 1)[-1] if "/" in path else url_host(self.url)
        return last or url_host(self.url) or "page"

    @property
    def stem(self) -> str:
        return re.sub(r"\.(?:html?|xhtml|php|aspx?)$", "", self.name, flags=re.IGNORECASE)

    @property
    def suffix(self) -> str:
        return ""


def looks_like_html(raw: bytes) -> bool:
    return bool(_HTML_START.match(raw[:4096]))


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _element_text(element: Any) -> str:
    return _clean("".join(element.itertext()))


def _pieces(body: Any) -> list[str]:
    """The main text's paragraphs in reading order: headings, paragraphs, quotes and list
    items each on their own, tables left out."""
    out: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("table", "graphic"):
                continue
            if tag in ("list",):
                walk(child)
            elif tag == "item":
                text = _element_text(child)
                if text:
                    out.append("• " + text if not text.startswith(("•", "-", "*")) else text)
            elif tag in ("p", "head", "quote", "code", "div", "section"):
                nested = [c for c in child if isinstance(c.tag, str) and c.tag in (
                    "p", "list", "quote", "head")]
                if nested and tag in ("quote", "div", "section"):
                    walk(child)
                else:
                    text = _element_text(child)
                    if text:
                        out.append(text)
            else:
                text = _element_text(child)
                if text:
                    out.append(text)

    walk(body)
    return out


def _title_without_site(title: str, site: str) -> str:
    """"Headline | Site", "Headline - Wikipedia", "Headline > Agency > Release" → headline."""
    parts = re.split(r"\s+(?:\||–|—|-|>|›|»|::)\s+", title)
    if len(parts) > 1:
        head = parts[0]
        tail = " ".join(parts[1:]).casefold()
        if (site and site.casefold() in tail) or (len(head.split()) >= 3 and all(
                len(p.split()) <= 6 for p in parts[1:])):
            return head
    return title


def _meta_people(value: str | None) -> list[str]:
    """trafilatura's author field ("Jane Doe; DOD News") as person names."""
    people: list[str] = []
    for part in re.split(r"\s*;\s*", value or ""):
        part = part.strip()
        if not part:
            continue
        byline = parse_byline("By " + part)
        if byline and byline[0]:
            people.extend(p for p in re.split(r",\s*|\s+and\s+", byline[0]) if p)
    return people


def _unique(names: list[str]) -> list[str]:
    """Names without repeats, case ignored ("Jane Doe" and "JANE DOE" are one byline),
    the form in normal capitalisation kept."""
    kept: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key not in kept or (kept[key].isupper() and not name.isupper()):
            kept[key] = name
    return list(kept.values())


_MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
                     "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                     "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))


def _same_person(meta: str, visible: str) -> bool:
    """One byline in two places: equal without case, or the meta form with a date's
    month run into the name ("Jane Doe May" for "By Jane Doe May 20, 2019")."""
    a, b = meta.casefold().split(), visible.casefold().split()
    return a == b or (len(a) == len(b) + 1 and a[:-1] == b and a[-1].strip(".") in _MONTHS)


def _authors(facts: PageFacts, meta_author: str | None) -> str:
    """The people the article is by, from the markup's author list (JSON-LD, meta) and
    the byline printed under the headline.

    The printed byline wins when it names everyone the markup names (it often names more:
    a meta tag holds one of three authors); when the two disagree otherwise the markup
    is kept, as the more deliberate of the two; a printed desk byline ("Our Foreign
    Staff") with no person in the markup's list means no author."""
    listed = _unique(facts.ld_authors or _meta_people(meta_author))
    printed = _unique(facts.byline_people)
    if printed and all(any(_same_person(m, p) for p in printed) for m in listed):
        # In byline order, in the markup's capitalisation where the page prints capitals.
        people = [next((m for m in listed if p.isupper() and m.casefold() == p.casefold()), p)
                  for p in printed]
    elif facts.byline_desk and not facts.ld_authors:
        people = []
    else:
        people = listed
    people = _unique(people)
    if len(people) <= 1:
        return people[0] if people else ""
    return ", ".join(people[:-1]) + " and " + people[-1]


def article_from_html(raw: bytes | str, display: str, url: str = "",
                      retrieved: dt.date | None = None) -> Article:
    """Extract the article in an HTML page (bytes as saved or fetched)."""
    # trafilatura (and lxml) take long to import: only a run that reads a page pays for it.
    import trafilatura

    document: Any
    try:
        document = trafilatura.bare_extraction(
            raw, url=url or None, with_metadata=True, include_comments=False,
            include_tables=False, include_images=False, include_links=False,
            include_formatting=False, favor_precision=False, deduplicate=False)
    except Exception as exc:  # trafilatura raises on some malformed pages
        raise IngestError(display, f"could not read the page: {type(exc).__name__}: {exc}") from None
    if document is None or getattr(document, "body", None) is None:
        raise IngestError(display, "no article text found in the page")
    body = document.body
    pieces = _pieces(body)
    if not pieces:
        raise IngestError(display, "no article text found in the page")
    site = _clean(document.sitename)
    page_url = url or _clean(document.url)
    if page_url and not re.match(r"^https?://", page_url, re.IGNORECASE):
        page_url = ""
    facts = _page_facts(raw)
    title = _title_without_site(_clean(document.title), site)
    headline = visible_headline(facts)
    if headline:
        # The visible <h1> the page's own title agrees with is the headline: <title> and
        # og:title carry a site suffix or a shortened form, and a kicker above it is not it.
        title = headline
    else:
        # A headline in the page body beats the <title>/og:title (which sites decorate).
        first = body[0] if len(body) else None
        if first is not None and first.tag == "head" and _element_text(first):
            title = _element_text(first)
    pieces = _article_pieces(pieces, title, facts)
    if not pieces:
        raise IngestError(display, "no article text found in the page")
    publisher = _site_name(site, page_url, facts, headline or title)
    hints = Hints(title=title, author=_authors(facts, document.author),
                  date=parse_date(document.date) if document.date else None,
                  publisher=publisher, url=page_url, retrieved=retrieved)
    text = "\n\n".join(pieces)
    return parse_article(text, display, hints)


def _page_facts(raw: bytes | str) -> PageFacts:
    """The markup's facts (:mod:`.web_page`); none when the page cannot be parsed."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(raw)
    except Exception:  # a page trafilatura read but lxml cannot: its text is enough
        tree = None
    return read_page(tree) if tree is not None else PageFacts()


def _is_name(site: str) -> bool:
    """A site name, not a handle or a host ("@site", "example.com")."""
    return bool(site) and not site.startswith("@") and not re.fullmatch(
        r"[\w-]+(?:\.[\w-]+)+", site)


def _site_name(site: str, url: str, facts: PageFacts | None = None, headline: str = "") -> str:
    """The publisher: a well-known site's name in its one spelling, else the name the page
    gives itself (og:site_name, JSON-LD publisher, trafilatura's site name, the
    ``<title>``'s suffix), and only then the address's host."""
    if url:
        host = url_host(url)
        if any(host == s or host.endswith("." + s) for s in SITE_NAMES):
            return publisher_for_url(url)
    facts = facts or PageFacts()
    for name in (facts.site_name, facts.ld_publisher, site,
                 title_site(facts.title_tag, headline)):
        if _is_name(name):
            return name
    return publisher_for_url(url) if url else ""


#: Lines that are the page's furniture, not the article, wherever they stand: update
#: stamps, "[Read: …]" links, editor's notes on the newsletter.
_FURNITURE_ANYWHERE = re.compile(
    r"^(?:\[\s*(?:read|related|see|watch|listen|more)\b.*\]|updated (?:on |at )?\w+ \d.{0,40}"
    r"|editor['’]s note: .{0,200}(?:newsletter|subscri).*)$", re.IGNORECASE)
#: Lines that end the article when they come after its body: comment and sign-up boxes,
#: reprint and contributor notes, corrections, "read more" and topic lists.
_FURNITURE_AFTER = re.compile(
    r"^(?:comments? (?:are|is) closed|read more\b|sign up\b|subscribe\b|related\b"
    r"|more from\b|trending\b|topics?\b:?|tags?:|share this\b"
    r"|this (?:article|story|post) (?:was |is |has been |first )?(?:originally )?"
    r"(?:re)?(?:printed|published|posted|appeared|adapted)\b"
    r"|(?:this version |this story |an earlier version ).{0,40}\bcorrect"
    r"|correction:|clarification:)", re.IGNORECASE)
#: A sign-up box after the body ("When you sign up …", "We take your privacy seriously");
#: not the word "newsletter" alone, which a newsletter's own items use.
_SIGN_UP = re.compile(r"\b(?:sign(?:ing)? up|subscrib(?:e|ing)|unsubscribe|privacy|"
                      r"e-?mail address)\b", re.IGNORECASE)
#: A contributor line: "Jane Doe reported from Seoul", "… contributed to this report".
_CONTRIBUTORS = re.compile(r"\b(?:contributed (?:to )?(?:this )?(?:report|reporting|story)"
                           r"|reported from\b)", re.IGNORECASE)


def _article_pieces(pieces: list[str], title: str, facts: PageFacts) -> list[str]:
    """The article's own paragraphs: a kicker or the headline before the body, the
    standfirst the page marks as such, update stamps and in-body links dropped, and the
    furniture after the body's end (sign-ups, comment notes, contributor lines) cut."""
    kept = [p for p in pieces if not _FURNITURE_ANYWHERE.match(p) and re.search(r"[^\W_]", p)]
    # Before the body: short unpunctuated lines (kickers, section names, "Supported by"),
    # the headline itself and the standfirst.
    start = 0
    for index, piece in enumerate(kept[:6]):
        if title and (piece == title or (similar(piece, title) and len(piece) <= len(title) + 20)):
            start = index + 1
            break
        if len(piece.split()) > 12:   # the body has begun: no headline after it
            break
    while start < len(kept) - 1 and (
            (len(kept[start].split()) <= 8 and not re.search(r"[.!?\"”’]$", kept[start]))
            or any(similar(kept[start], s) and len(kept[start]) <= len(s) + 20
                   for s in facts.standfirsts)):
        start += 1
    kept = kept[start:]
    end = len(kept)
    while end > 1 and (_FURNITURE_AFTER.match(kept[end - 1]) or (
            _CONTRIBUTORS.search(kept[end - 1]) and len(kept[end - 1].split()) <= 30) or (
            _SIGN_UP.search(kept[end - 1]) and len(kept[end - 1].split()) <= 45)):
        end -= 1
    return kept[:end]


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_PAGE,
          deadline: float | None = None) -> tuple[bytes, str, str]:
    """GET ``url`` once: (body, content type, final address).  Only http and https.

    The fetch ``briefbook sources archive`` makes (:func:`briefbook.sources.fetch.fetch`):
    redirects followed, ``timeout`` for each step and ``deadline`` for the whole, so a
    server trickling its bytes cannot hang the run, and a body cut short of its
    ``Content-Length`` is an error rather than an article with its end missing.
    ``deadline`` defaults to :data:`DEADLINE`."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise IngestError(url, "only http:// and https:// addresses can be ingested")
    try:
        hops = get(url, timeout=timeout, deadline=DEADLINE if deadline is None else deadline,
                   max_bytes=max_bytes,
                   read_body=lambda status: 200 <= status < 300, headers=_REQUEST_HEADERS)
    except CaptureError as exc:
        raise IngestError(url, f"could not be fetched: {exc.reason}") from None
    final = hops[-1]
    if not 200 <= final.status < 300:
        raise IngestError(url, f"could not be fetched: HTTP {final.status} {final.reason}".strip())
    if not final.complete:
        length = final.header("Content-Length").strip()
        if length.isdigit():
            raise IngestError(url, f"page is {int(length):,} bytes; pages over {max_bytes:,} "
                                   "bytes are refused")
        raise IngestError(url, f"page is larger than {max_bytes:,} bytes; refused")
    return final.body, final.header("Content-Type"), final.url


def read_url(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_PAGE,
             deadline: float | None = None) -> Article:
    """Fetch and read the article at ``url``."""
    body, kind, final = fetch(url, timeout, max_bytes, deadline)
    media = kind.split(";")[0].strip().lower()
    today = dt.date.today()
    if media == "text/plain" or (not media and not looks_like_html(body)):
        article = parse_article(decode(body, url), url, Hints(url=final, retrieved=today))
        return article
    if media and media not in ("text/html", "application/xhtml+xml", "application/xml",
                               "text/xml"):
        raise IngestError(url, f"is not a web page or text (content type {media})")
    return article_from_html(body, url, url=final, retrieved=today)

