"""An analysed article as a MyST page in which article text can never become markup.

Article text is untrusted: a pasted article may contain backticks, ``{eval-rst}``,
``<script>``, ``$math$``, ``[links](…)``, ``---`` fences or ``&entities;``.  Body text is
therefore escaped with a backslash before every character that CommonMark or MyST
could read as syntax (CommonMark turns ``\\X`` back into ``X`` for any ASCII
punctuation X), plus the few line-start forms that a backslash elsewhere cannot
cover (``1.`` lists, ``%`` comments).  Role content is literal in MyST, so text inside
``{quote}`` and entity roles is not escaped but fenced with more backticks than any
run it contains.  The tests render the output with myst-parser and check that every
input comes back as the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from briefbook.ingest.model import Analysis, Mention, Quote

#: Characters escaped everywhere in body text.
ESCAPED = frozenset("\\`*_{}[]<>$#+-!|~:=&^@")
_LINE_START_NUMBER = re.compile(r"^(\d{1,9})([.)])")
ROLE_FOR_KIND = {"person": "person", "place": "place", "organization": "org"}
_UNSAFE_ATTR = re.compile(r"[;<>=`\\\n\r]+")


def escape_text(text: str, line_start: bool = True) -> str:
    """Escape ``text`` so MyST renders it as exactly these characters.

    ``line_start`` is True when the text begins a line (where ``1.``, ``%``, ``>``
    and friends would otherwise start a block).
    """
    text = text.replace("\n", " ").replace("\r", " ")
    out = "".join("\\" + c if c in ESCAPED else c for c in text)
    if line_start:
        out = _LINE_START_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
        if out.startswith("%"):
            out = "\\" + out
    return out


def role(name: str, content: str) -> str:
    """``{name}`content``` with a fence no backtick run in ``content`` can close."""
    runs = [len(r) for r in re.findall(r"`+", content)]
    fence = "`" * (max(runs, default=0) + 1)
    if content.startswith("`"):
        content = " " + content
    if content.endswith("`"):
        content = content + " "
    return f"{{{name}}}{fence}{content}{fence}"


def attribute_value(text: str) -> str:
    """A value safe inside ``<key=value; ...>``: no separators, no brackets."""
    return " ".join(_UNSAFE_ATTR.sub(" ", text).split())


#: The registry kinds a quotation's ``speaker=`` may name (check.py: BB202 otherwise).
SPEAKER_KINDS = frozenset({"person", "organization"})


def speaker_attribute(quote: Quote, kind: str | None) -> str:
    """``speaker=<id>`` for a person or organisation, else ``unnamed=<the article's words>``.

    ``kind`` is the registry kind of ``quote.speaker_id`` (None: not known to the writer,
    see :func:`render_page`).  A place ("China has called for …") cannot be a speaker:
    the quotation keeps the article's words as a described source instead, as it does
    for a speaker ingest could not resolve.  Empty when the quote is unattributed.
    """
    if quote.speaker_id and (kind is None or kind in SPEAKER_KINDS):
        return f"speaker={quote.speaker_id}"
    unnamed = attribute_value(quote.speaker_text or "")
    return f"unnamed={unnamed}" if unnamed else ""


def quote_role(quote: Quote, source: str, text: str, kind: str | None = None) -> str:
    """The ``{quote}`` role for ``quote``; ``kind`` is its speaker's registry kind."""
    attrs = []
    speaker = speaker_attribute(quote, kind)
    if speaker:
        attrs.append(speaker)
    if source:
        attrs.append(f"source={source}")
    return role("quote", f"{text} <{'; '.join(attrs)}>" if attrs else text)


def mention_role(mention: Mention) -> str | None:
    """The entity role for a mention, or None when it cannot sit in a role safely (or its
    kind has no role: left as text, ``briefbook check`` then names it)."""
    name = ROLE_FOR_KIND.get(mention.type)
    if name is None or re.search(r"[<>`\\]", mention.text):
        return None
    return role(name, f"{mention.text} <{mention.id}>")


def render_paragraph(text: str, mentions: Sequence[Mention], quotes: Sequence[Quote],
                     source: str, kinds: Mapping[str, str] | None = None) -> str:
    """One paragraph: escaped text, entity roles outside quotes, quote roles.

    ``kinds`` maps registry ids to their kinds, for the quotes' speakers (see
    :func:`render_page`); ids it lacks are taken to be people or organisations.
    """
    kinds = kinds or {}
    events: list[tuple[int, int, str]] = []
    for quote in quotes:
        kind = kinds.get(quote.speaker_id) if quote.speaker_id else None
        events.append((quote.start, quote.end,
                       quote_role(quote, source, text[quote.start:quote.end], kind)))
    for mention in mentions:
        if any(q.start < mention.end and mention.start < q.end for q in quotes):
            continue
        rendered = mention_role(mention)
        if rendered is not None:
            events.append((mention.start, mention.end, rendered))
    events.sort(key=lambda e: (e[0], -e[1]))
    out: list[str] = []
    cursor = 0
    for start, end, rendered in events:
        if start < cursor:
            continue
        out.append(escape_text(text[cursor:start], line_start=cursor == 0))
        out.append(rendered)
        cursor = end
    out.append(escape_text(text[cursor:], line_start=cursor == 0))
    return "".join(out)


def front_matter(analysis: Analysis) -> str:
    """YAML front matter.  myst-parser renders string values as inline Markdown (into
    docinfo, which Sphinx reads as text), so title and author are escaped like body text."""
    art = analysis.article
    data: dict[str, object] = {"title": escape_text(art.title)}
    if art.date is not None:
        data["date"] = art.date
    # No byline: the publisher is who the article is credited to, as in the bibliography.
    data["author"] = escape_text(art.author or art.publisher or "Unknown author")
    if art.publisher:
        data["publisher"] = escape_text(art.publisher)
    if art.url:
        data["url"] = escape_text(art.url)
    data["source"] = analysis.source_key
    if art.title_supplied:
        data["title_supplied"] = True
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n"


def _comment_safe(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", "?", text)


def speaker_kinds(analysis: Analysis,
                  registry_kinds: Mapping[str, str] | None = None) -> dict[str, str]:
    """The registry kind of each quote's speaker id, where the writer can tell it.

    With ``registry_kinds`` (every registry id's kind, e.g. the linker's) the answer is
    authoritative: an id the registry lacks gets the kind ``""`` (unresolved), so its
    quote gets ``unnamed=``.  Without it, the kinds come from the article's own mentions
    (the attributor picks speakers among them, or a person by a transcript label), and an
    id no mention names is left out: trusted as the attributor's person.
    """
    kinds: dict[str, str] = {}
    if registry_kinds is not None:
        for quote in analysis.quotes:
            if quote.speaker_id:
                kinds[quote.speaker_id] = registry_kinds.get(quote.speaker_id, "")
        return kinds
    mentioned = {m.id: m.type for m in analysis.mentions}
    for quote in analysis.quotes:
        if quote.speaker_id in mentioned:
            kinds[quote.speaker_id] = mentioned[quote.speaker_id]
    return kinds


def render_page(analysis: Analysis, registry_kinds: Mapping[str, str] | None = None) -> str:
    """The whole MyST page for one analysed article.

    A quote's ``speaker=`` names only a registry person or organisation; see
    :func:`speaker_kinds` for ``registry_kinds``.
    """
    art = analysis.article
    kinds = speaker_kinds(analysis, registry_kinds)
    parts = [front_matter(analysis),
             f"% Ingested by briefbook from {_comment_safe(Path(art.path).name)}: review the "
             "links, the quote speakers" + (" and the supplied title." if art.title_supplied
                                            else "."),
             "", f"# {escape_text(art.title)}", ""]
    by_par_m: dict[int, list[Mention]] = {}
    for m in analysis.mentions:
        by_par_m.setdefault(m.paragraph, []).append(m)
    by_par_q: dict[int, list[Quote]] = {}
    for q in analysis.quotes:
        by_par_q.setdefault(q.paragraph, []).append(q)
    for block in art.blocks:
        if block.kind == "pull_quote":
            parts += ["````{pull-quote}", escape_text(block.text), "````", ""]
        else:
            parts += [render_paragraph(block.text, by_par_m.get(block.index, []),
                                       by_par_q.get(block.index, []), analysis.source_key,
                                       kinds), ""]
    return "\n".join(parts)


def page_name(title: str, date: dt.date | None, fallback: str) -> str:
    """``<YYYY-MM-DD>-<slug>.md`` (``undated-<slug>.md`` without a date)."""
    import unicodedata

    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if not slug:
        ascii_name = unicodedata.normalize("NFKD", fallback).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "article"
    slug = slug[:60].rstrip("-")
    return f"{date.isoformat() if date else 'undated'}-{slug}.md"
