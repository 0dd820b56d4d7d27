"""What a web page's markup says about its article, beside the main text trafilatura finds:
the visible headline, the site's name, the bylines and the standfirst.

A page states these in several places that disagree: ``<title>`` and ``og:title`` carry a
site suffix or the front page's title, a kicker sits above the ``<h1>``, the meta author
is the byline in capitals, JSON-LD lists every author where the meta tag names one.
Each reader here takes one place and says nothing when it is unsure; :mod:`.web`
decides between them.  Nothing here knows a site: only layouts (class names containing
"byline" or "author", ``itemprop``, schema.org types).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from briefbook.ingest.bylines import parse_byline

#: Class, id or itemprop words of the elements a byline is printed in.
_BYLINE_ATTR = re.compile(r"byline|author", re.IGNORECASE)
#: Class words of a standfirst (the dek under the headline), which is not the first paragraph.
_DEK_ATTR = re.compile(r"(?<![a-z])(?:dek|deck|standfirst|sub-?head(?:line)?|strapline|"
                       r"article-?summary|subtitle|header__description)(?![a-z])",
                       re.IGNORECASE)
#: A reading-time label run into a byline ("Jane Doe5 Min Read").
_READING_TIME = re.compile(r"\s*\d+\s*min(?:ute)?s?\.?\s+read\b.*$", re.IGNORECASE)
#: Separators of a ``<title>``'s site suffix ("Headline | Site", "Headline - Site").
_TITLE_SEP = re.compile(r"\s+(?:\||–|—|-|:|::|»|›)\s+")
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_SOCIAL = re.compile(r"^(?:follow|twitter|facebook|email|e-mail|share)\b", re.IGNORECASE)


@dataclass
class PageFacts:
    """What the markup says, each "" or empty when the page does not say it."""

    headlines: list[str] = field(default_factory=list)
    title_tag: str = ""
    og_title: str = ""
    site_name: str = ""
    ld_publisher: str = ""
    ld_headline: str = ""
    ld_authors: list[str] = field(default_factory=list)
    #: The people of the first byline printed after the headline ("" entries never);
    #: ``byline_desk`` when that byline names a desk or an organisation, not a person.
    byline_people: list[str] = field(default_factory=list)
    byline_desk: bool = False
    standfirsts: list[str] = field(default_factory=list)


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _text(element: Any) -> str:
    return clean("".join(element.itertext()))


def _attrs(element: Any) -> str:
    return " ".join(str(element.get(a) or "") for a in ("class", "id", "itemprop", "rel"))


def _meta(tree: Any, name: str) -> str:
    values = tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
    return clean(values[0]) if values else ""


def _ld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page (``@graph`` members included)."""
    out: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return out


def _names(value: Any, person: bool) -> list[str]:
    """Names of a JSON-LD author or publisher value (an object, a list, or a string)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            kind = str(item.get("@type") or "")
            if person and kind and kind != "Person":
                continue
            name = item.get("name")
            if isinstance(name, str) and clean(name):
                names.append(clean(name))
        elif isinstance(item, str) and clean(item) and not _HOST.fullmatch(clean(item)) \
                and "://" not in item:
            names.append(clean(item))
    return names


def _byline(tree: Any, after: Any) -> tuple[list[str], bool]:
    """The first byline printed after the headline element: its people, or a desk.

    A bare "By" prefix element stands for its parent (the names are its siblings); a
    byline that starts with a date ("January 17, 2017 at 6:08 PM ET by Jane Doe") is read
    from its "by"."""
    started = after is None
    for element in tree.iter():
        if element is after:
            started = True
            continue
        if not started or not isinstance(element.tag, str) or element.tag in ("script", "style",
                                                                             "meta", "link"):
            continue
        if not _BYLINE_ATTR.search(_attrs(element)):
            continue
        text = _text(element)
        if text.casefold().rstrip(":") == "by" and element.getparent() is not None:
            text = _text(element.getparent())
        text = _READING_TIME.sub("", text)
        if not text or _SOCIAL.match(text) or len(text.split()) > 16:
            continue
        at = re.search(r"(?:^|\s)by\s", text, re.IGNORECASE)
        line = text[at.start():].strip() if at else "By " + text
        parsed = parse_byline(line)
        if parsed is None:
            continue
        people, affiliation, _ = parsed
        if people:
            return [p for p in re.split(r",\s*|\s+and\s+", people) if p], False
        if affiliation:
            return [], True
    return [], False


def _headline_elements(tree: Any) -> list[Any]:
    return [h for h in tree.xpath("//h1") if len(_text(h).split()) >= 2]


def read_page(tree: Any) -> PageFacts:
    """The facts of a parsed page (an lxml tree)."""
    facts = PageFacts()
    h1s = _headline_elements(tree)
    facts.headlines = [_text(h) for h in h1s]
    titles = tree.xpath("//title")
    facts.title_tag = _text(titles[0]) if titles else ""
    facts.og_title = _meta(tree, "og:title")
    facts.site_name = _meta(tree, "og:site_name")
    for item in _ld_objects(tree):
        if not facts.ld_publisher and "publisher" in item:
            facts.ld_publisher = next(iter(_names(item["publisher"], False)), "")
        if not facts.ld_authors and "author" in item:
            facts.ld_authors = _names(item["author"], True)
        if not facts.ld_headline and isinstance(item.get("headline"), str):
            facts.ld_headline = clean(item["headline"])
    facts.byline_people, facts.byline_desk = _byline(tree, h1s[0] if h1s else None)
    facts.standfirsts = [t for e in tree.iter() if isinstance(e.tag, str)
                         and _DEK_ATTR.search(str(e.get("class") or ""))
                         and (t := _text(e)) and len(t.split()) >= 5]
    return facts


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) > 2}


def similar(one: str, other: str) -> bool:
    """Whether two titles are one headline (one a site-decorated or re-worded form of
    the other): most of the shorter one's words are in the longer one."""
    a, b = _words(one), _words(other)
    if not a or not b:
        return False
    small = min(a, b, key=len)
    return len(a & b) >= max(2, 0.6 * len(small))


def visible_headline(facts: PageFacts) -> str:
    """The ``<h1>`` that is the article's headline: the first one the page's own title
    (``<title>``, og:title, JSON-LD headline) agrees with; "" when none does (a page with
    a logo or a section name in its only ``<h1>`` keeps its meta title)."""
    meta = [t for t in (facts.og_title, facts.ld_headline, facts.title_tag) if t]
    for headline in facts.headlines:
        if any(similar(headline, t) for t in meta):
            return headline
    return ""


def title_site(title: str, headline: str) -> str:
    """The site's name in a ``<title>`` suffix ("Headline | Site", "Headline - Site",
    "Headline | Author | Section | Site"): the last part, when the rest is the headline
    and the part is a short name, not an address."""
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2 or not headline:
        return ""
    head = " ".join(parts[:-1])
    last = parts[-1].strip()
    if not similar(head, headline) or similar(last, headline):
        return ""
    words = last.split()
    if not 1 <= len(words) <= 4 or _HOST.fullmatch(last) or not last[:1].isupper():
        return ""
    return last
