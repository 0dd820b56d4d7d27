"""Bytes to :class:`Article`: decoding, metadata, title, paragraphs and pull quotes.

Articles arrive as whatever a user pasted: the house format (a first line
`` date YYYY-MM-DD Author Name``, then paragraphs separated by blank lines, with
stand-alone pull-quote lines), but also ``Title:``/``By``/``Date:`` headers, Windows
line endings, one paragraph per line, transcripts with ``MR. KIRBY:`` turns.  The
reader accepts all of these and refuses only what it cannot read faithfully (invalid
UTF-8, NUL bytes, absurd line lengths) with a message that names the file and line,
because a traceback tells an analyst nothing about which of 300 files to fix.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from briefbook.ingest.model import Article, Block, IngestError

#: Longest paragraph accepted.  A real paragraph is a few thousand characters; a
#: multi-megabyte line is a data file or a broken export, and rendering it would make
#: a page no one can read, so it gets a clear error instead.
MAX_PARAGRAPH = 200_000
#: Largest input file accepted (bytes).
MAX_FILE = 20_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_DATE_LINE = re.compile(r"^\s*date\s*[:=]?\s+(?P<date>\S+)\s*(?P<author>.*?)\s*$", re.IGNORECASE)
_HEADER = re.compile(
    r"^\s*(?P<key>title|headline|date|published|author|authors|by|byline)\s*:\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)
_BY_LINE = re.compile(r"^\s*by\s+(?P<author>[^\W\d][\w.'’\- ]{1,80}?)\s*$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦]\s+|\d{1,3}[.)]\s+)")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y",
                 "%B %d %Y", "%d.%m.%Y")

#: A transcript turn: an upper-case speaker label and a colon at the start of a paragraph
#: ("MR. KIRBY: ...", "SECRETARY AUSTIN: ...", "Q: ...").
TURN_LABEL = re.compile(
    r"^(?P<label>(?:[A-Z][A-Z'’\-]*\.?)(?:\s+[A-Z][A-Z'’\-]*\.?){0,3})\s*:\s+(?=\S)"
)
_MIXED_TURN = re.compile(r"^(?P<label>[A-Z][\w'’\-]*\.?(?:\s+[A-Z][\w'’\-]*\.?){0,2})\s*:\s+(?=\S)")
_NOT_SPEAKERS = frozenset({
    "NOTE", "UPDATE", "UPDATED", "EDITOR'S NOTE", "EDITOR’S NOTE", "BREAKING", "WARNING",
    "CORRECTION", "SOURCE", "SOURCES", "PHOTO", "WATCH", "READ MORE", "RELATED", "TITLE",
    "DATE", "BY", "AUTHOR", "SUMMARY", "BACKGROUND", "ANALYSIS", "KEY POINTS", "TL;DR",
    "CAPTION", "FILE", "ADVERTISEMENT", "DISCLAIMER", "TAGS", "TOPICS",
})
_GENERIC_SPEAKERS = frozenset({"Interviewer", "Moderator", "Host", "Question", "Answer",
                               "Reporter", "Q", "A"})


@dataclass
class _RawBlock:
    lines: list[str]
    line: int


def decode(raw: bytes, path: str) -> str:
    """Decode an article file to text with ``\\n`` line ends, or raise IngestError."""
    if len(raw) > MAX_FILE:
        raise IngestError(path, f"file is {len(raw):,} bytes; articles over {MAX_FILE:,} "
                          "bytes are refused (is this really an article?)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(path, f"starts with a UTF-16 mark but is not valid UTF-16: {exc}") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            bad = raw[exc.start: exc.start + 4].hex(" ")
            raise IngestError(path, f"not valid UTF-8 (byte {exc.start}: {bad}); re-save the "
                              "file as UTF-8", line) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise IngestError(path, "contains a NUL byte (a binary or UTF-16 file?); "
                          "save the article as plain UTF-8 text", line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_article(path: str | Path, display: str | None = None) -> Article:
    """Read and parse one article file."""
    path = Path(path)
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IngestError(shown, "is a folder, not an article file") from None
    except OSError as exc:
        raise IngestError(shown, f"cannot be read: {exc.strerror or exc}") from None
    return parse_article(decode(raw, shown), shown)


def _clean_controls(text: str, path: str, warnings: list[str]) -> str:
    """Replace control characters (they corrupt HTML and LaTeX) with spaces, saying where."""
    match = _CONTROL.search(text.replace("\t", " "))
    if match is None:
        return text
    line = text.count("\n", 0, match.start()) + 1
    warnings.append(f"{path}:{line}: control characters replaced with spaces")
    return _CONTROL.sub(" ", text)


def _split_blocks(text: str) -> list[_RawBlock]:
    blocks: list[_RawBlock] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(_RawBlock(current, start))
            current = []
    if current:
        blocks.append(_RawBlock(current, start))
    return blocks


def parse_date(value: str) -> dt.date | None:
    """A date in any of the usual article forms, or None."""
    value = value.strip().rstrip(",.")
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _date_in_name(path: str) -> dt.date | None:
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", Path(path).name)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


def _read_metadata(blocks: list[_RawBlock], path: str, warnings: list[str]) -> tuple[
        str, dt.date | None, str]:
    """Consume metadata lines from the front of ``blocks``; return title, date, author."""
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
                author = dated["author"].strip(" ,;-—") or author
                dated_line = number
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
    if found and not author:
        warnings.append(f"{path}:{dated_line or 1}: metadata has a date but no author; "
                        "author left empty")
    if not found:
        warnings.append(f"{path}:1: no metadata line (' date YYYY-MM-DD Author Name'); "
                        "date and author left empty")
    if date is None:
        date = _date_in_name(path)
        if date is not None:
            warnings.append(f"{path}: date {date.isoformat()} taken from the file name")
    return title, date, author


def _turn_label(line: str, mixed_ok: set[str]) -> str:
    """The speaker label starting ``line`` ("MR. KIRBY:"), or ''."""
    match = TURN_LABEL.match(line)
    if match and match["label"].rstrip(".") not in _NOT_SPEAKERS and any(
            c.isalpha() for c in match["label"]):
        return match.group(0)
    match = _MIXED_TURN.match(line)
    if match and (match["label"] in _GENERIC_SPEAKERS or match["label"] in mixed_ok):
        return match.group(0)
    return ""


def _repeated_mixed_labels(blocks: list[_RawBlock]) -> set[str]:
    """Mixed-case labels ("John Kirby:") that start two or more lines: a transcript."""
    counts: dict[str, int] = {}
    for block in blocks:
        for line in block.lines:
            match = _MIXED_TURN.match(line.strip())
            if match:
                counts[match["label"]] = counts.get(match["label"], 0) + 1
    return {label for label, n in counts.items() if n >= 2}


def _paragraphs_of(block: _RawBlock, mixed_ok: set[str]) -> list[tuple[str, int]]:
    """Split a block into paragraphs: joined lines, or one per line for turns, bullets
    and unwrapped one-paragraph-per-line text."""
    lines = [line.strip() for line in block.lines]
    if len(lines) == 1:
        return [(lines[0], block.line)]
    per_line = (
        sum(1 for line in lines if _turn_label(line, mixed_ok)) >= 1
        or sum(1 for line in lines if _BULLET.match(line)) >= 2
        or max(len(line) for line in lines) > 150
    )
    if not per_line:
        return [(" ".join(lines), block.line)]
    out: list[tuple[str, int]] = []
    for offset, line in enumerate(lines):
        starts_new = bool(_turn_label(line, mixed_ok) or _BULLET.match(line)) or not out or (
            max(len(x) for x in lines) > 150)
        if starts_new:
            out.append((line, block.line + offset))
        else:
            text, number = out[-1]
            out[-1] = (f"{text} {line}", number)
    return out


def _core(text: str) -> str:
    """A line reduced for pull-quote comparison: no quote marks, case or extra spaces."""
    text = re.sub(r"[\"“”‘’'«»„]", "", text).casefold()
    return " ".join(text.split()).strip(" .,;:!?…")


def _looks_like_title(text: str) -> bool:
    return (len(text) <= 200 and not text.endswith((".", ",", ";", ":"))
            and not text.startswith(("“", '"', "‘", "'", "«", "„"))
            and len(text.split()) <= 25)


def derive_title(paragraphs: list[str]) -> str:
    """A provisional title from the first sentence (pages mark it for review)."""
    for text in paragraphs:
        sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text[:2000], maxsplit=1)[0]
        sentence = sentence.strip().rstrip(".")
        words = sentence.split()
        if not words:
            continue
        if len(words) > 14:
            # Prefer the main clause after a reporting frame ("It has been confirmed ... that X").
            that = re.search(r"\bthat\s+(.+)$", sentence)
            if that and 4 <= len(that.group(1).split()) <= 14:
                words = that.group(1).split()
            else:
                words = [*words[:12], "…"]
        title = " ".join(words)
        return title[0].upper() + title[1:]
    return "Untitled article"


def parse_article(text: str, path: str) -> Article:
    """Parse decoded article text (see :func:`decode`)."""
    warnings: list[str] = []
    text = _clean_controls(text, path, warnings)
    blocks = _split_blocks(text)
    if not blocks:
        raise IngestError(path, "is empty (no text to ingest)")
    for block in blocks:
        for offset, line in enumerate(block.lines):
            if len(line) > MAX_PARAGRAPH:
                raise IngestError(path, f"line is {len(line):,} characters long; paragraphs "
                                  f"over {MAX_PARAGRAPH:,} characters are refused (a data file, "
                                  "or an export that lost its line breaks?)", block.line + offset)

    title, date, author = _read_metadata(blocks, path, warnings)
    mixed_ok = _repeated_mixed_labels(blocks)
    pieces: list[tuple[str, int]] = []
    for block in blocks:
        pieces.extend(_paragraphs_of(block, mixed_ok))
    pieces = [(p, n) for p, n in pieces if p]

    if not title and pieces:
        heading = _MD_HEADING.match(pieces[0][0])
        first = heading["title"] if heading else pieces[0][0]
        if (heading or _looks_like_title(first)) and len(pieces) > 1 and not _turn_label(
                first, mixed_ok):
            title = first
            pieces = pieces[1:]
    if not pieces:
        if title:
            raise IngestError(path, "has a title but no body text")
        raise IngestError(path, "has metadata but no body text")

    # Pull quotes: short stand-alone lines repeating words of another paragraph.
    cores = [_core(p) for p, _ in pieces]
    kinds: list[bool] = []
    for i, (piece, _) in enumerate(pieces):
        core = cores[i]
        is_pull = (
            len(piece) <= 300 and len(core) >= 8 and not _turn_label(piece, mixed_ok)
            and any(j != i and core in cores[j] and len(cores[j]) > len(core)
                    for j in range(len(pieces)))
        )
        kinds.append(is_pull)

    article_blocks: list[Block] = []
    counters = {"paragraph": 0, "pull_quote": 0}
    for (piece, number), pull in zip(pieces, kinds, strict=True):
        kind: str = "pull_quote" if pull else "paragraph"
        label = "" if pull else _turn_label(piece, mixed_ok)
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
                   warnings=warnings)
