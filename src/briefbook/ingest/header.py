"""The header of an article: everything before its first paragraph, and the headline in it.

:func:`scan` walks a text's lines (a hard-wrapped paragraph as one unit), classifies each
with :mod:`.furniture` until the body begins, chooses the headline, and drops the
furniture found there and anywhere else (share buttons, "Source:" lines), so that the
paragraphs that remain are the article's own words.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from briefbook.ingest.dates import date_line, find_dates
from briefbook.ingest.furniture import (
    BACK_TO,
    BOILERPLATE,
    BOILERPLATE_START,
    CONTINUES,
    EDIT_SUFFIX,
    SIGNATURES,
    TAG_LINE,
    WIKI_HEADING,
    WIRE_TAG,
    WIRE_TAGS,
    Header,
    Unit,
    classify_header,
    furniture_kind,
    heading_text,
)
from briefbook.ingest.model import Hints
from briefbook.ingest.paragraphs import RawBlock, core_text, turn_label
from briefbook.ingest.publishers import (
    ACRONYM_CREDIT,
    line_key,
    org_name,
    retrieved_from,
    spelled_out,
)


def _wrapped(lines: list[str]) -> bool:
    """Whether a block's lines are one hard-wrapped paragraph (most breaks fall
    mid-sentence) rather than one item per line."""
    if len(lines) < 2:
        return False
    if max(len(line) for line in lines) > 150:
        return False
    mid = 0
    for before, after in itertools.pairwise(lines):
        words = before.split()
        if (after[:1].islower() or after[:1].isdigit() or CONTINUES.search(before)
                or (len(words) >= 6 and words[-1][:1].islower()
                    and not before.endswith((".", "!", "?", "”", '"', ":")))):
            mid += 1
    return mid * 2 >= len(lines) - 1


_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .,'’()/-]{1,60}?)\s*(?:—|–|--|-\s)")
_EARLY_BODY_UNITS = 8


def _units(blocks: list[RawBlock]) -> list[Unit]:
    """Lines as units, except that a hard-wrapped block is one unit."""
    units: list[Unit] = []
    for index, block in enumerate(blocks):
        lines = [line.strip() for line in block.lines]
        if _wrapped(lines) and not any(furniture_kind(line, Header(), header=True) for line in lines):
            units.append(Unit(" ".join(lines), index, range(len(lines))))
        else:
            units.extend(Unit(line, index, range(offset, offset + 1))
                         for offset, line in enumerate(lines))
    return units


#: Bracketed extras a listing prints after a headline: "[May 12, 2021]", "[open pdf - 1MB]".
_TITLE_EXTRA = re.compile(r"\s*\[(?P<extra>[^\[\]]{1,40})\]\s*$")


def _title_extras(title: str) -> tuple[str, dt.date | None]:
    """A headline without the bracketed extras at its end, and the date among them.

    Only brackets that hold a date or a file's description go ("[PDF - 1MB]"); a headline's
    own brackets ("[Updated]" aside) are rare and short, and stay when nothing is dated."""
    date: dt.date | None = None
    while (extra := _TITLE_EXTRA.search(title)) and extra.start() > 0:
        is_date, found = date_line(extra["extra"])
        if not (is_date or re.search(r"\b(?:pdf|docx?|kb|mb|html|file|download|open)\b",
                                     extra["extra"], re.IGNORECASE)):
            break
        date = date or found
        title = title[:extra.start()]
    return title.strip(), date


def _gallery_captions(header: list[Unit]) -> None:
    """Photo captions numbered in a run ("Talks in Tokyo 1", "Talks in Tokyo 2", …) name the
    event once: the run becomes one title-like unit holding the common words."""
    for index, unit in enumerate(header):
        first = re.fullmatch(r"(?P<stem>.*\S)\s+1", unit.text)
        if unit.kind != "title" or first is None or index + 1 >= len(header):
            continue
        stem, number = first["stem"], 2
        for later in header[index + 1:]:
            if later.text != f"{stem} {number}":
                break
            later.kind = "junk"
            number += 1
        if number > 2:
            unit.text = stem


def _section_above(header: list[Unit], first: Unit, second: Unit) -> bool:
    """A section's name printed above the headline: a short line directly above a longer one
    that the date directly follows."""
    at = header.index(first)
    return (at + 2 < len(header) and header[at + 1] is second and header[at + 2].kind == "date"
            and first.kind == "title" and len(first.text.split()) <= 4
            and len(first.text) < len(second.text) and not CONTINUES.search(first.text)
            and not first.text.endswith(":"))


#: A speaker's office under the speaker's name, above a speech's headline:
#: "José Manuel Barroso" / "President of the European Commission".
_ROLE_LINE = re.compile(
    r"^(?:(?:Vice|Deputy)[- ])?(?:President|Prime\s+Minister|Minister|Secretary(?:[- ]General)?|"
    r"Commissioner|High\s+Representative|Chancellor|Spokes(?:person|man|woman)|Ambassador|"
    r"Chair(?:man|woman|person)?|Director(?:[- ]General)?|Governor|Mayor)\s+(?:of|for)\s+(?:the\s+)?"
    r"[A-Z][^.:;!?]{1,80}$")
_NAME_LINE = re.compile(r"^[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|da|von|van|der|al|bin)){1,5}$")


def _speaker_credits(header: list[Unit], info: Header) -> None:
    """A name over an office ("José Manuel Barroso" / "President of the European Commission")
    above a speech's headline credits its speaker; neither line is the headline."""
    for before, unit in itertools.pairwise(header):
        if (unit.kind == "title" and before.kind == "title" and _ROLE_LINE.match(unit.text)
                and _NAME_LINE.match(before.text)):
            before.kind = unit.kind = "junk"
            info.credits.extend((before.text, unit.text))


def _wrapped_headline(header: list[Unit], titles: list[Unit], later: str) -> Unit | None:
    """A headline broken over two lines ("Iraq: Post-Saddam" / "Governance and Security") that
    the text prints whole again (on a cover, above the summary): the two lines as one."""
    for first, second in itertools.pairwise(titles):
        at = header.index(first)
        if at + 1 < len(header) and header[at + 1] is second and \
                core_text(f"{first.text} {second.text}") in later:
            first.text = f"{first.text} {second.text}"
            second.kind = "junk"
            return first
    return None


def _choose_title(header: list[Unit], known: str, has_body: bool, wiki: bool,
                  later: str = "") -> Unit | None:
    """The header unit that is the headline: the first heading-like line, skipping a short
    menu item or a site name directly above a longer headline."""
    candidates = [u for u in header if u.kind in ("title", "org", "heading")]
    titles = [u for u in candidates if u.kind in ("title", "heading")]
    if known:
        core = core_text(known)
        return next((u for u in candidates if core_text(heading_text(u.text)) == core), None)
    chosen: Unit | None = None
    _gallery_captions(header)
    titles = [u for u in titles if u.kind in ("title", "heading")]
    repeated = [u for u in titles
                if sum(core_text(v.text) == core_text(u.text) for v in titles) > 1]
    if repeated and has_body:
        # A page that prints its headline twice (above and below the date): that is the
        # headline, and the title-like lines above it are the site's banner.
        chosen = repeated[0]
        for unit in titles[:titles.index(chosen)]:
            unit.kind = "junk"
        return chosen
    if (whole := _wrapped_headline(header, titles, later)) is not None:
        return whole
    if titles:
        chosen = titles[0]
        if (len(titles) > 1 and has_body and not wiki and chosen.kind == "title"
                and len(chosen.text.split()) <= 3 < len(titles[1].text.split())
                and core_text(chosen.text) in core_text(titles[1].text)):
            chosen.kind = "junk"  # the site's or unit's name above its own headline
            chosen = titles[1]
        elif len(titles) > 1 and has_body and not wiki and _section_above(header, chosen, titles[1]):
            chosen.kind = "junk"  # "Japan-China Relations" / headline / date: the section's name
            chosen = titles[1]
    elif candidates:
        chosen = candidates[-1]
    if chosen is not None and not has_body and len(candidates) == 1:
        return None  # a lone short line is the text, not its title
    return chosen


#: A field of a host's datasheet, its value glued to the label or missing: "Size:1 MB",
#: "Language:English", "Institution:" (a speaker's turn has a space after the colon).
_FIELD = re.compile(r"^[A-Z][A-Za-z ,]{1,30}:(?:[^\s:/].{0,40})?$")


def _datasheets(units: list[Unit]) -> set[int]:
    """Units in runs of three or more datasheet fields (a document host's "Size:1 MB",
    "Downloads:6", "Uploaded:March 03, 2022"), skipping lines with no letters ("-")."""
    found: set[int] = set()
    run: list[int] = []
    for index, unit in enumerate([*units, Unit("end", -1, range(0))]):
        text = unit.text.strip()
        if _FIELD.match(text) and not text.isupper():
            run.append(index)
        elif any(c.isalnum() for c in text):
            if len(run) >= 3:
                found.update(range(run[0], run[-1] + 1))
            run = []
    return found


#: A body a country's name qualifies: "U.S. Mission to the United Nations", "UK Delegation …".
_NATIONAL_BODY = re.compile(r"^(?:the\s+)?(?:U\.\s?S\.|US|United\s+States|UK|HM)\s+[A-Z]")


def _initials(units: list[Unit], info: Header) -> None:
    """A credit by initials ("EEAS Press Team", "CRS Report for Congress") names the
    publisher when the text spells those initials out, once and unambiguously."""
    if info.source or info.org:
        return
    for credit in info.credits:
        acronym = ACRONYM_CREDIT.match(credit.strip())
        if acronym:
            info.named = spelled_out(acronym["acronym"], " ".join(u.text for u in units))
            return


def scan(blocks: list[RawBlock], title: str, hints: Hints, mixed_ok: set[str]) -> tuple[
        list[RawBlock], Header]:
    """Find the headline and the header's metadata; drop the header's furniture.

    Returns the blocks that remain (split where a line was dropped) and what was found."""
    info = Header(title=title)
    units = _units(blocks)
    for unit in units:
        back = BACK_TO.match(unit.text) if len(unit.text) <= 100 else None
        if back:
            info.sections.add(line_key(back["section"]))
    any_wiki = any(WIKI_HEADING.match(u.text) for u in units[:400])

    fields = _datasheets(units)
    # The header: everything before the first line of body text.
    position = 0
    previous = ""
    while position < len(units):
        unit = units[position]
        if position in fields:
            unit.kind = "junk"
            position += 1
            continue
        if turn_label(unit.text, mixed_ok):
            break
        wiki = any_wiki or info.source in ("Wikipedia", "Wikinews")
        unit.kind = classify_header(unit, info, wiki, previous)
        if unit.kind == "body":
            break
        previous = unit.kind
        position += 1
    header = units[:position]
    wiki = any_wiki or info.source in ("Wikipedia", "Wikinews")
    _speaker_credits(header, info)
    later = core_text(" ".join(u.text for u in units[position:position + 40]))
    chosen = _choose_title(header, hints.title or info.title, position < len(units), wiki, later)
    if chosen is not None and not (hints.title or info.title):
        info.title, extra_date = _title_extras(heading_text(chosen.text))
        info.date = info.date or extra_date
    before = True
    below = ""
    for unit in header:
        if unit is chosen:
            before = False
            unit.kind = "title"
        elif unit.kind == "org":
            info.credits.append(unit.text)
            if before:
                info.org = info.org or org_name(unit.text) or unit.text.strip()
            elif _NATIONAL_BODY.match(unit.text):
                below = below or org_name(unit.text)
            unit.kind = "junk"  # the site above the headline, or the issuing office below it
        elif unit.kind == "motto":
            unit.kind = "junk" if before and chosen is not None else "body"
        elif unit.kind == "title":
            same = info.title and core_text(unit.text) == core_text(info.title)
            unit.kind = "junk" if same else "body"
    if below and not info.org and not hints.publisher:
        # "U.S. Mission to the United Nations" under a speaker's name and office: a body
        # a country qualifies is the issuer, where a mere "Office of Press Relations" is not.
        info.org = below
    drop = {"junk", "date", "byline", "source", "title", "caption"}

    # Just after the header: datelines, bylines and "Published …" lines still follow.
    seen = 0
    for unit in units[position:]:
        if seen >= _EARLY_BODY_UNITS:
            break
        if len(unit.lines) == 1 and furniture_kind(unit.text, info, header=False):
            unit.kind = "junk"
        else:
            seen += 1
    # Anywhere: site furniture on a line of its own; wiki headings lose their marks.
    for index, unit in enumerate(units[position:], position):
        if unit.kind != "body" or len(unit.lines) != 1:
            continue
        if index in fields:
            unit.kind = "junk"
            continue
        norm = line_key(unit.text)
        if norm in BOILERPLATE or (BOILERPLATE_START.match(unit.text) and len(unit.text) < 400):
            unit.kind = "junk"
        elif (norm in info.sections or BACK_TO.match(unit.text)) and len(unit.text) <= 100:
            unit.kind = "junk"  # "Back to Japan-Korea Relations": the page's section menu
        elif TAG_LINE.match(unit.text) and len(unit.text) <= 400:
            unit.kind = "junk"  # "Categories: East Asia, China, …"
        elif WIKI_HEADING.match(unit.text) or (
                EDIT_SUFFIX.search(unit.text) and len(unit.text) <= 120):
            unit.kind = "heading"
    # The last lines: "Source: …".
    for unit in units[position:][-3:]:
        if unit.kind == "body" and len(unit.lines) == 1 and \
                unit.text.strip().lower().startswith(("source:", "sources:", "published by:")) \
                and furniture_kind(unit.text, info, header=False) == "source":
            unit.kind = "junk"

    info.source = info.source or retrieved_from([u.text for u in units[-12:]])
    _initials(units, info)

    first = next((u for u in units if u.kind == "body"), None)
    if first is not None:
        # The date from a dateline ("WASHINGTON, Nov. 4, 2024 — …"), a wire tag ("(NNS)").
        dateline = _DATELINE.match(first.text)
        if dateline and info.date is None:
            dates = find_dates(dateline["place"])
            if dates:
                info.date = dates[0][2]
        tag = WIRE_TAG.match(first.text)
        if tag:
            info.wire = WIRE_TAGS.get(tag["tag"].replace(".", "").strip().lower(), "")
        for pattern, name in SIGNATURES:
            if pattern.match(first.text):
                info.signature = name

    out: list[RawBlock] = []
    by_block: dict[int, list[Unit]] = {}
    for unit in units:
        by_block.setdefault(unit.block, []).append(unit)
    for index, block in enumerate(blocks):
        current: list[str] = []
        start = block.line
        for unit in by_block.get(index, []):
            first_line = block.line + unit.lines.start
            if unit.kind in drop or unit.kind == "heading":
                if current:
                    out.append(RawBlock(current, start))
                current = []
                if unit.kind == "heading":
                    out.append(RawBlock([heading_text(unit.text)], first_line))
                continue
            if not current:
                start = first_line
            current.extend(block.lines[unit.lines.start:unit.lines.stop])
        if current:
            out.append(RawBlock(current, start))
    return out, info
