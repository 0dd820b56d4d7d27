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
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
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
    r"^(?P<label>(?:[A-Z][A-Z'’\-]*\.?)(?:\s+[A-Z][A-Z'’\-]*\.?){0,6}"
    r"(?:\s*\((?:THROUGH|VIA|IN|AS)\s+[A-Z ]{3,30}\))?)\s*:\s+(?=\S)"
)
_NAMED_TURN = re.compile(r"^(?P<label>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3},\s+"
                         r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})\s*:\s+(?=\S)")
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
    """Read and parse one article file (a saved web page is read with :mod:`.web`)."""
    path = Path(path)
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise IngestError(shown, "is a folder, not an article file") from None
    except OSError as exc:
        raise IngestError(shown, f"cannot be read: {exc.strerror or exc}") from None
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or (raw[:1] in (b"<", b" ", b"\n", b"\xef")
                                                             and _looks_like_html(raw)):
        from briefbook.ingest.web import article_from_html

        if len(raw) > MAX_FILE:
            raise IngestError(shown, f"file is {len(raw):,} bytes; pages over {MAX_FILE:,} "
                              "bytes are refused")
        if not raw.strip():
            raise IngestError(shown, "is empty (no text to ingest)")
        return article_from_html(raw, shown)
    return parse_article(decode(raw, shown), shown)


def _looks_like_html(raw: bytes) -> bool:
    """A saved web page, whatever its name: it starts with a doctype or an html tag."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in raw[:65536].lower()


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
    # "Nov. 4, 2024", "Monday, November 4, 2024, 2:05 p.m. EDT", "2024-11-04T15:30:00Z".
    is_date, date = _date_line(value)
    return date if is_date else None


def _date_in_name(path: str) -> dt.date | None:
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", Path(path).name)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


def _read_metadata(blocks: list[_RawBlock], path: str, warnings: list[str]) -> tuple[
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


def _turn_label(line: str, mixed_ok: set[str]) -> str:
    """The speaker label starting ``line`` ("MR. KIRBY:"), or ''.  A place is never a
    speaker label: "Iraq: Post-Saddam Governance" is a heading."""
    match = TURN_LABEL.match(line)
    if match and match["label"].rstrip(".") not in _NOT_SPEAKERS and any(
            c.isalpha() for c in match["label"]) and not _is_place(match["label"]):
        return match.group(0)
    match = _MIXED_TURN.match(line)
    if match and (match["label"] in _GENERIC_SPEAKERS or match["label"] in mixed_ok) \
            and not _is_place(match["label"]):
        return match.group(0)
    # In a transcript, a speaker introduced once in full: "Penny Wong, Foreign Minister:".
    match = _NAMED_TURN.match(line) if mixed_ok else None
    if match and not _is_place(match["label"].split(",")[0]):
        return match.group(0)
    return ""


def _is_place(label: str) -> bool:
    from briefbook.ingest.gazetteer import places

    return label.strip().title() in places() or label.strip() in places()


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
        # An unwrapped paragraph per line, except a line that carries on the sentence
        # before it ("…another,"\nsaid Capt. Anthony Felix …").
        carries_on = bool(out) and (line[:1].islower() or out[-1][0].endswith(","))
        starts_new = bool(_turn_label(line, mixed_ok) or _BULLET.match(line)) or not out or (
            max(len(x) for x in lines) > 150 and not carries_on)
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
    if re.search(r"[.!?,;][\"”’')\]]+$", text):
        return False  # a sentence that ends inside quotation marks
    return (len(text) <= 200 and not text.endswith((".", ",", ";", ":"))
            and not text.startswith(("“", '"', "‘", "'", "«", "„"))
            and len(text.split()) <= 25 and any(c.isalpha() for c in text))


# --- Dates anywhere in a line ------------------------------------------------------------

_MONTH_NAMES = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATES_IN_TEXT = (
    re.compile(rf"\b(?P<month>{_MONTH_NAMES})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
               r"(?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_NAMES}),?\s+"
               r"(?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?!\d)"),
    # 09/12/2019: day first (as European sites write it) unless only month-first can be right.
    re.compile(r"(?<![\d/])(?P<day>\d{1,2})/(?P<mnum>\d{1,2})/(?P<year>(?:19|20)\d\d)(?!\d)"),
)
_CLOCK = re.compile(
    r"(?<![\w:])\d{1,2}(?::\d{2}){1,2}(?:\s*[ap]\.?\s?m\b\.?)?|(?<![\w:])\d{1,2}\s*[ap]\.?m\b\.?"
    r"|T\d{2}:\d{2}\S*", re.IGNORECASE)
_ZONE = re.compile(r"\b(?:[ECMP][SD]?T|UTC|GMT|KST|JST|CET|CEST|BST|MSK|AEST|AEDT|IST|Z)\b")
_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?",
                      re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(?:last\s+)?(?:updated|update|published|posted|modified|released?|first|last|date[ds]?|"
    r"on|at|as\s+of|and|time|reviewed|\d+\s*min(?:ute)?s?\s+read|\d+\s+(?:seconds?|minutes?|"
    r"hours?|days?|weeks?)\s+ago|ago)\b", re.IGNORECASE)


def _month_number(token: str) -> int:
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
            "dec").index(token[:3].lower()) + 1


def find_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Every full date (day, month and year) in ``text``, in order, as (start, end, date)."""
    found: list[tuple[int, int, dt.date]] = []
    for pattern in _DATES_IN_TEXT:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            month = (_month_number(match["month"]) if "month" in pattern.groupindex
                     else int(match["mnum"]))
            day = int(match["day"])
            if "/" in match.group(0) and month > 12 >= day and "mnum" in pattern.groupindex \
                    and match.group(0).index("/") <= 2:
                day, month = month, day  # 11/24/2024: month first after all
            try:
                date = dt.date(int(match["year"]), month, day)
            except ValueError:
                continue
            found.append((match.start(), match.end(), date))
    return sorted(found, key=lambda item: item[0])


def _date_line(line: str) -> tuple[bool, dt.date | None]:
    """Whether ``line`` holds nothing but dates, times and words like "Updated", and the
    first date in it."""
    dates = find_dates(line)
    rest = line
    for start, end, _ in reversed(dates):
        rest = rest[:start] + " " + rest[end:]
    times = _CLOCK.findall(rest)
    rest = _DATE_WORDS.sub(" ", _WEEKDAY.sub(" ", _ZONE.sub(" ", _CLOCK.sub(" ", rest))))
    rest = re.sub(r"[\s|,.;:()\[\]·•/–—\-_]+", "", rest)
    if rest or not (dates or times):
        return False, None
    return True, dates[0][2] if dates else None


# --- Sentences ---------------------------------------------------------------------------

#: Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "messrs", "dr", "prof", "rev", "hon", "st", "mt", "ft", "jr", "sr", "sen", "rep",
    "gov", "pres", "sec", "amb", "atty", "gen", "gens", "lt", "col", "maj", "capt", "cpt", "sgt",
    "ssgt", "msgt", "tsgt", "smsgt", "cmsgt", "spc", "pfc", "pvt", "cpl", "lcpl", "adm", "cmdr", "cdr",
    "brig", "ens", "po", "insp", "supt", "det", "cmdt", "no", "nos", "vs", "etc", "inc", "ltd", "co",
    "corp", "dept", "univ", "est", "approx", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
    "sat", "sun", "al", "ave", "blvd", "rd", "vol", "op", "ph"
})
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def _ends_with_abbreviation(text: str) -> bool:
    """Whether ``text`` (up to a full stop) ends with an initial or abbreviation."""
    word = re.split(r"[\s(\"“‘]+", text.rstrip())[-1] if text.strip() else ""
    if not word.endswith("."):
        return False
    bare = word.rstrip(".")
    if re.fullmatch(r"[A-Za-z]", bare) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", bare):
        return True  # an initial ("F."), or a dotted abbreviation ("U.S.", "D.C.")
    return bare.lower().lstrip("(") in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; initials and abbreviations ("John F.", "U.S.", "Gen.",
    "Jan.") never end one."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start:match.end()]
        if match.group(0).lstrip().startswith(".") and _ends_with_abbreviation(
                text[start:match.start() + 1]):
            continue
        sentences.append(piece.strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


# --- Publishers ----------------------------------------------------------------------------

#: Well-known sites and the names they publish under (matched on the host's end).
SITE_NAMES = {
    "defense.gov": "U.S. Department of Defense", "state.gov": "U.S. Department of State",
    "whitehouse.gov": "The White House", "justice.gov": "U.S. Department of Justice",
    "treasury.gov": "U.S. Department of the Treasury", "dhs.gov":
    "U.S. Department of Homeland Security", "energy.gov": "U.S. Department of Energy",
    "commerce.gov": "U.S. Department of Commerce", "usembassy.gov": "U.S. Embassy",
    "army.mil": "U.S. Army", "navy.mil": "U.S. Navy", "af.mil": "U.S. Air Force",
    "marines.mil": "U.S. Marine Corps", "spaceforce.mil": "U.S. Space Force",
    "uscg.mil": "U.S. Coast Guard", "dvidshub.net": "DVIDS", "senate.gov": "U.S. Senate",
    "house.gov": "U.S. House of Representatives", "congress.gov": "Congress.gov",
    "cia.gov": "Central Intelligence Agency", "fbi.gov": "Federal Bureau of Investigation",
    "dni.gov": "Office of the Director of National Intelligence", "usaid.gov": "USAID",
    "gov.uk": "GOV.UK", "un.org": "United Nations", "news.un.org": "UN News",
    "nato.int": "NATO", "europa.eu": "European Union", "ec.europa.eu": "European Commission",
    "wikipedia.org": "Wikipedia", "wikinews.org": "Wikinews",
    "britannica.com": "Encyclopaedia Britannica", "reuters.com": "Reuters",
    "apnews.com": "Associated Press", "bbc.co.uk": "BBC News", "bbc.com": "BBC News",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal", "theguardian.com": "The Guardian",
    "ft.com": "Financial Times", "economist.com": "The Economist", "cnn.com": "CNN",
    "npr.org": "NPR", "aljazeera.com": "Al Jazeera", "voanews.com": "Voice of America",
    "rferl.org": "Radio Free Europe/Radio Liberty", "politico.com": "Politico",
    "politico.eu": "Politico Europe", "bloomberg.com": "Bloomberg", "afp.com": "AFP",
    "yna.co.kr": "Yonhap News Agency", "koreaherald.com": "The Korea Herald",
    "koreatimes.co.kr": "The Korea Times", "kremlin.ru": "President of Russia",
    "tass.com": "TASS", "france24.com": "France 24", "dw.com": "Deutsche Welle",
    "kyivindependent.com": "The Kyiv Independent", "scmp.com": "South China Morning Post",
    "japantimes.co.jp": "The Japan Times", "nhk.or.jp": "NHK", "abc.net.au": "ABC News",
    "cbc.ca": "CBC News", "foxnews.com": "Fox News", "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News", "abcnews.go.com": "ABC News", "axios.com": "Axios",
    "thehill.com": "The Hill", "usatoday.com": "USA Today", "latimes.com": "Los Angeles Times",
    "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph",
    "spiegel.de": "Der Spiegel", "lemonde.fr": "Le Monde", "xinhuanet.com": "Xinhua",
    "globaltimes.cn": "Global Times", "mofa.go.jp": "Ministry of Foreign Affairs of Japan",
    "mofa.go.kr": "Ministry of Foreign Affairs of the Republic of Korea",
}
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "go", "or", "ne",
                           "mil", "gob", "gouv", "govt", "nic"})


def url_host(url: str) -> str:
    """The host of ``url`` in lower case, without ``www.`` (empty when there is none)."""
    match = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:@\s]+@)?(?P<host>[^/?#:\s]+)", url.strip(),
                     re.IGNORECASE)
    if not match:
        match = re.match(r"^(?P<host>www\.[^/?#:\s]+)", url.strip(), re.IGNORECASE)
    if not match:
        return ""
    host = match["host"].lower().strip(".")
    return host[4:] if host.startswith("www.") else host


def registered_domain(host: str) -> str:
    """``news.example.co.uk`` → ``example.co.uk`` (hosts that are addresses stay whole)."""
    parts = host.split(".")
    if re.fullmatch(r"[\d.]+|\[.*\]", host) or len(parts) <= 2:
        return host
    if len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVEL:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def publisher_for_url(url: str) -> str:
    """The publisher of a page at ``url``: a well-known site's name, else its domain."""
    host = url_host(url)
    if not host:
        return ""
    for site in sorted(SITE_NAMES, key=len, reverse=True):
        if host == site or host.endswith("." + site):
            return SITE_NAMES[site]
    return registered_domain(host)


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "de"})


def _title_case(text: str) -> str:
    """``U.S. DEPARTMENT OF STATE`` → ``U.S. Department of State`` (mixed case kept)."""
    if any(c.islower() for c in text):
        return text
    words = []
    for index, word in enumerate(text.split()):
        low = word.lower()
        if "." in word.rstrip(".") or (len(word) <= 3 and word.isalpha() and index == 0
                                       and len(text.split()) == 1):
            words.append(word)  # "U.S.", or a single acronym
        elif low in _SMALL_WORDS and index > 0:
            words.append(low)
        else:
            words.append(word[:1] + low[1:])
    return " ".join(words)


# --- Header lines: what precedes the article's first paragraph -----------------------------------

def _norm(line: str) -> str:
    """A line reduced for phrase matching: lower case, straight apostrophes, single spaces."""
    line = line.replace("’", "'").replace("‘", "'").casefold()
    return " ".join(line.split()).strip(" .:;!|-–—•·")


#: Site furniture that is never article text, wherever it stands (whole lines).
_BOILERPLATE = frozenset(_norm(x) for x in (
    "An official website of the United States Government", "Here's how you know",
    "Dot gov", "Dot mil", "Https", "Lock", "Locked padlock", "Official websites use .mil",
    "Here's how you know.", "Official websites use .gov", "Secure .gov websites use HTTPS",
    "A .gov website belongs to an official organization in the United States.",
    "Share sensitive information only on official, secure websites.",
    "Official websites use .gov. A .gov website belongs to an official government "
    "organization in the United States.",
    "A .gov website belongs to an official government organization in the United States.",
    "From Wikipedia, the free encyclopedia", "From Wikinews, the free news source you can write!",
    "From Wikinews, the free news source", "Skip to main content", "Skip to content",
    "Skip to main content (Press Enter)", "Skip to navigation", "Skip to search",
    "Jump to navigation", "Jump to search", "Jump to content", "Skip Navigation",
    "Share", "Print", "Email", "E-mail", "Share this", "Share this page", "Share this article",
    "Share on Facebook", "Share on Twitter", "Share on X", "Share on LinkedIn", "Tweet",
    "Copy link", "Link copied", "Print this page", "Print friendly", "Printer friendly",
    "Facebook", "Twitter", "LinkedIn", "WhatsApp", "Reddit", "Advertisement", "Back to top",
    "Subscribe", "###", "# # #", "-30-", "- 30 -", "Toggle navigation", "Open menu", "Close menu",
    "Download PDF", "Download", "Listen to this article", "Listen", "Comments",
    "Facebook Twitter LinkedIn Email", "Share Print", "Print Share", "Side Bar", "Sidebar",
    "Check against delivery", "Check against delivery!", "Infobox",
))
_BOILERPLATE_START = re.compile(
    r"^(?:a lock \(.{0,20}\) or https://|an official website of the |official websites use \.(?:gov|mil)"
    r"|secure \.(?:gov|mil) websites use|(?:an? )?\.(?:gov|mil) website belongs to "
    r"|share sensitive information only on|this page was last edited"
    r"|retrieved from \"?https?://|photo credit:|image credit:|\(photo by "
    r"|this page is archived, and is no longer publicly editable)", re.IGNORECASE)
#: Furniture at the top of a page (and just below the headline): never the article's words.
_HEADER_START = re.compile(
    r"^(?:this article is about |for other uses, see |\(redirected from |not to be confused with "
    r"|\".*\" redirects here|coordinates: |we use (?:some )?(?:essential )?cookies|cookies on "
    r"|accept (?:all|additional|analytics) cookies|reject (?:all|additional|analytics) cookies"
    r"|you(?: have|'ve|’ve) accepted |you can change your cookie|view cookies|change your cookie"
    r"|release (?:no|number)\b|news release (?:no|number)\b|media contacts?\b|press contacts?\b"
    r"|for immediate release|immediate release|photo by |listen to (?:this|the) article"
    r"|this is an old revision of this page|this was published under the |other available languages"
    r"|check against delivery|the present address \(url\) is a permanent link"
    r"|for (?:the|other|a|an) [^.]{1,80}, see |page version status|the page has not been checked"
    r"|there are no reviewed versions of this page|view gallery|gallery contains \d+ images?)",
    re.IGNORECASE)
#: Navigation words that only count as furniture before the article begins.
_NAV = frozenset(_norm(x) for x in (
    "Home", "Search", "Menu", "Main menu", "Navigation", "Close", "More", "Related",
    "Related articles", "Related stories", "Read more", "Sign in", "Log in", "Sign up",
    "Register", "Newsletter", "Newsletters", "Contact", "Contact us", "About", "About us",
    "Top", "(Top)", "Contents", "hide", "show", "Tools", "Article", "Talk", "Read", "Edit",
    "View history", "View source", "Languages", "Add languages", "Add links", "Actions",
    "General", "Print/export", "In other projects", "Appearance", "Donate", "Create account",
    "Personal tools", "Pages for logged out editors", "Toggle the table of contents",
    "Text", "Small", "Standard", "Large", "Width", "Wide", "Color (beta)", "Automatic",
    "Light", "Dark", "Cookies", "Accept", "Reject", "Accept cookies", "Reject cookies",
    "Hide this message", "Hide cookie message", "Menu Search", "Search Menu", "Site Map",
    "Navigation path", "Left navigation", "Right navigation", "Additional tools", "Page contents",
    "On this page", "Table of contents", "Published", "Updated", "Posted", "Last updated",
    "First published", "Print this article", "Email this article", "Font size", "Text size",
))
#: Kickers: the section or kind of piece printed above a headline.
_KICKERS = frozenset(_norm(x) for x in (
    "News", "Breaking", "Breaking news", "Press release", "Press releases", "News release",
    "News releases", "Release", "Releases", "Statement", "Statements", "Press statement",
    "Joint statement", "Readout", "Readouts", "Transcript", "Transcripts", "Speech", "Speeches",
    "Remarks", "Fact sheet", "Fact sheets", "Media note", "Media advisory", "Advisory",
    "Briefing room", "Statements and releases", "Press briefings", "Speeches and remarks",
    "Presidential actions", "News story", "News stories", "Feature", "Features", "Article",
    "Analysis", "Opinion", "Commentary", "Editorial", "Explainer", "Live", "Exclusive",
    "Update", "Latest", "Latest news", "Top stories", "Spotlight", "Story", "Blog", "Interview",
    "Op-ed", "Announcement", "Announcements", "Newsroom", "Press room", "Pressroom",
    "News & events", "News and events", "Press", "Media", "Media center", "Media centre",
    "Special report", "World", "World news", "Politics", "Defense", "Defence", "Security",
    "Europe", "Asia", "Asia-Pacific", "Middle East", "Africa", "Americas", "US", "U.S.", "UK",
    "International", "National", "Local", "Business", "Technology", "Science", "Health",
    "Sport", "Sports", "Culture", "Video", "Audio", "Podcast", "Photos", "Gallery",
    "Government", "Policy paper", "Guidance", "Corporate report", "Notice", "Decision",
    "Official statistics", "Consultation outcome", "Correspondence", "Case study",
    "Detailed guide", "Research", "Report", "Reports", "Briefing", "Briefings",
    "Press briefing", "Press conference", "Press releases and statements",
    "Department of Defense news", "DOD news", "Stories", "Articles", "In the news",
))
_ORG_WORDS = (r"(?:department|dept\.?|ministry|ministère|office|bureau|agency|embassy|mission|"
              r"delegation|permanent\s+mission|representation|directorate|"
              r"consulate|secretariat|government|command|white\s+house|pentagon|kremlin|"
              r"state\s+department|cabinet\s+office|prime\s+minister's\s+office)")
_ORG_LINE = re.compile(
    rf"^(?i:the\s+)?(?i:(?:u\.\s?s\.|us|united\s+states|uk|hm|republic\s+of\s+\w+)\s+)?(?i:{_ORG_WORDS})"
    r"(?:\s+(?:(?i:of|for|on|and|the|to|in|at)|&|[A-Z][\w.&'’-]*)){0,8}$")
_KNOWN_SITES = {_norm(name): name for name in (*SITE_NAMES.values(), "GOV.UK", "The White House",
                                              "Wikipedia", "Wikinews")}
_SOURCE = re.compile(r"^\s*(?:source|sources|publisher|published by|from)\s*:\s*(?P<who>.+?)\s*$",
                     re.IGNORECASE)
_BYLINE = re.compile(r"^\s*(?:written\s+|posted\s+|story\s+|words\s+)?by\s*[:\s]\s*(?P<rest>\S.*?)\s*$",
                     re.IGNORECASE)
_URL_LINE = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.IGNORECASE)
_WIKI_HEADING = re.compile(r"^\s*(?P<marks>={1,6})\s*(?P<text>[^=].*?)\s*(?P=marks)\s*$")
_EDIT_SUFFIX = re.compile(r"\s*\[\s*edit(?:\s+source)?\s*\]\s*$", re.IGNORECASE)
_BREADCRUMB_SEP = re.compile(r"\s+(?:>|›|»|→|/|:)\s+|\s*[›»→]\s*")
_PIPE_SEP = re.compile(r"\s*(?:\||•|·|│)\s*")
_ORG_BYLINE = re.compile(
    r"\b(?:News|Press|Agency|Service|Staff|Desk|Team|Office|Affairs|Bureau|Department|Ministry|"
    r"Reuters|Associated|Wire|Editors?|Correspondents?|Report|Times|Post|Herald|Journal|"
    r"Command|Division|Public|Communications|Media|Network)\b")
_RANK_WORDS = frozenset({
    "class", "airman", "seaman", "ensign", "specialist", "private", "corporal", "sergeant", "lance",
    "tech", "technical", "first", "second", "third", "1st", "2nd", "3rd", "4th", "petty", "officer",
    "chief", "master", "senior", "staff", "command", "warrant", "army", "navy", "air", "force",
    "marine", "marines", "corps", "space", "guard", "coast", "national", "reserve", "retired", "ret"
})
_PARTICLES = frozenset({"de", "da", "del", "della", "der", "den", "van", "von", "la", "le",
                        "bin", "bint", "al", "el", "ibn", "and", "y", "du", "dos", "das", "of"})
_NOT_NAMES = re.compile(r"\b(?:the|this|that|these|those|then|monday|tuesday|wednesday|thursday|"
                        r"friday|saturday|sunday|now|contrast|comparison|law|way)\b", re.IGNORECASE)


def _strip_rank(name: str) -> str:
    """``Staff Sgt. Jane Doe`` → ``Jane Doe``: leading ranks and honorifics dropped."""
    from nameparser.config import CONSTANTS

    tokens = name.split()
    while len(tokens) > 2:
        bare = tokens[0].lower().rstrip(".,")
        if bare in _RANK_WORDS or bare in CONSTANTS.titles or bare in _ABBREVIATIONS:
            tokens.pop(0)
        else:
            break
    if len(tokens) == 2 and tokens[0].lower().rstrip(".") in {"mr", "mrs", "ms", "dr", "prof"}:
        tokens.pop(0)
    return " ".join(tokens)


def _person_part(text: str) -> str:
    """People named by one comma-separated part of a byline ("Jane Doe and John Roe"), or ''."""
    people = []
    for part in re.split(r"\s*(?:&|\band\b)\s*", text):
        name = _strip_rank(part.strip(" ."))
        words = name.split()
        if not 2 <= len(words) <= 5 or _NOT_NAMES.search(name) or _ORG_BYLINE.search(name):
            return ""
        if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
            return ""
        people.append(name)
    return " and ".join(people)


def parse_byline(line: str) -> tuple[str, str, dt.date | None] | None:
    """A byline ("By Staff Sgt. Jane Doe, 7th Air Force Public Affairs | Nov. 4, 2024") as
    (person or people, affiliation, date), or None when the line is not a byline."""
    line = " ".join(line.split())
    match = _BYLINE.match(line)
    if not match:
        return None
    rest = match["rest"]
    words = rest.split()
    if len(words) > 16 or re.search(r"[!?“”\"]", rest) or (
            rest.endswith(".") and len(words) > 4 and not _ends_with_abbreviation(rest)):
        return None
    date: dt.date | None = None
    dates = find_dates(rest)
    if dates:
        date = dates[0][2]
        for start, end, _ in reversed(dates):
            rest = (rest[:start] + " " + rest[end:]).strip(" ,|")
    name_parts = []
    for part in _PIPE_SEP.split(rest):
        is_date, found = _date_line(part)
        if is_date:
            date = date or found
        elif part.strip():
            name_parts.append(part.strip())
    if not name_parts:
        return None
    pieces = [p.strip() for p in re.split(r"\s*[,;]\s*|\s+[-–—]\s+", name_parts[0]) if p.strip()]
    people: list[str] = []
    affiliation = ""
    for index, piece in enumerate(pieces):
        person = _person_part(piece)
        if not person and index == 0:
            # "Terri Moon Cronk DoD News": the name runs into the unit without a comma.
            words = piece.split()
            cut = next((i for i, w in enumerate(words) if _ORG_BYLINE.search(w)
                        or re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*", w)), len(words))
            if 2 <= cut < len(words):
                person = _person_part(" ".join(words[:cut]))
                if person:
                    people.append(person)
                    affiliation = ", ".join([" ".join(words[cut:]), *pieces[1:]])
                    break
        if not person:
            affiliation = ", ".join(pieces[index:])
            break
        people.append(person)
    if not people:
        if affiliation and (_ORG_BYLINE.search(affiliation) or _org_name(affiliation)
                            or _norm(affiliation) in _KNOWN_SITES):
            return "", affiliation, date
        return None
    if affiliation and _date_line(affiliation)[0]:
        date = date or _date_line(affiliation)[1]
    names = [p for person in people for p in person.split(" and ")]
    person = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return person, affiliation, date


def _kicker(line: str) -> tuple[bool, dt.date | None]:
    """A kicker line ("NEWS | Nov. 4, 2024", "PRESS RELEASE"), with any date it holds."""
    date: dt.date | None = None
    line = " ".join(line.split())  # runs of spaces make the split quadratic
    parts = [p for p in _PIPE_SEP.split(line) if p.strip()]
    if not parts:
        return False, None
    for part in parts:
        is_date, found = _date_line(part)
        if is_date:
            date = date or found
        elif _norm(part) not in _KICKERS:
            return False, None
    return True, date


def _breadcrumb(line: str) -> bool:
    parts = [p for p in _BREADCRUMB_SEP.split(" ".join(line.split())) if p]
    if len(parts) < 2 or any(len(p.split()) > 6 for p in parts):
        return False
    return len(parts) >= 3 or _norm(parts[0]) in {"home", "news", "home page"}


def _short_caps(line: str) -> bool:
    """An all-capitals line of up to four words (a section label, an office)."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(line.split()) <= 4 \
        and not line.rstrip().endswith((":", ".", "!", "?", "”", '"'))


def _org_name(line: str) -> str:
    """The organisation a header line names ("U.S. DEPARTMENT OF STATE"), or ''."""
    text = line.strip()
    if not text or len(text.split()) > 9 or text.endswith((".", ":", "?", "!")):
        return ""
    known = _KNOWN_SITES.get(_norm(text))
    if known:
        return known
    if _ORG_LINE.match(text):
        return _title_case(text)
    return ""


@dataclass
class Hints:
    """Metadata known from outside the text (a web page's markup, its address)."""

    title: str = ""
    author: str = ""
    date: dt.date | None = None
    publisher: str = ""
    url: str = ""
    retrieved: dt.date | None = None


@dataclass
class _Header:
    title: str = ""
    date: dt.date | None = None
    author: str = ""
    source: str = ""        # an explicit "Source: X" or "From Wikipedia" publisher
    org: str = ""           # an organisation named above the headline
    org_byline: str = ""    # "By Reuters"
    wire: str = ""          # "(NNS)", "(AP)" in a dateline
    signature: str = ""     # a publisher's standing formula ("The below is attributable to …")
    url: str = ""
    banner: str = ""        # "gov" or "mil": the U.S. government's site banner
    #: Header lines that name people and bodies (byline with its unit, the issuing office,
    #: "Source: …"): not body text, but the article's own words, for candidates.
    credits: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    """A header line (or a wrapped block, as one unit) and what it was taken for."""

    text: str
    block: int
    lines: range
    kind: str = "body"


#: Image alternative texts and print furniture a copied page keeps as lines of their own.
_PAGE_FURNITURE = re.compile(r"(?:[\w.’'-]+\s+){0,3}(?:flag|logo|seal|emblem|icon|crest)|"
                             r"link to page \d+|order code [a-z0-9-]+|page \d+ of \d+|"
                             r"was this page helpful\??|1\. home(?:\s+\d\.\s+[\w ]{1,30}){0,6}|"
                             r"\d\.\s+(?:news|press releases|newsroom|media|about|home)")
_CONTINUES = re.compile(r"[,;(\-–—]$")
_BULLET_MARK = re.compile(r"^\s*[•▪◦·]\s*")
#: Units and offices printed under a byline ("514th Air Mobility Wing Public Affairs").
_AFFILIATION = re.compile(
    r"\b(?:Public Affairs|Affairs|Office|Command|Wing|Group|Squadron|Division|Brigade|Battalion|"
    r"Regiment|Fleet|Staff|News|Service|Bureau|Agency|Center|Centre|Desk|Team|Department|"
    r"Ministry|Headquarters|Communications|Press)\b")
#: Wire and news-service tags in datelines: "USS NEW ORLEANS, At Sea (NNS) --".
_WIRE_TAGS = {
    "nns": "U.S. Navy", "ap": "Associated Press", "reuters": "Reuters", "afp": "AFP",
    "yonhap": "Yonhap News Agency", "cnn": "CNN", "upi": "UPI", "afns": "U.S. Air Force",
    "arnews": "U.S. Army", "dvids": "DVIDS", "xinhua": "Xinhua", "tass": "TASS",
    "kcna": "Korean Central News Agency", "bloomberg": "Bloomberg", "dpa": "dpa",
    "efe": "EFE", "ani": "ANI", "pti": "Press Trust of India", "ians": "IANS",
    "kyodo": "Kyodo News", "interfax": "Interfax", "ukrinform": "Ukrinform", "anadolu": "Anadolu Agency",
}
_WIRE_TAG = re.compile(r"^[A-Z][^—–]{0,80}?\((?P<tag>[A-Za-z. ]{2,20})\)\s*(?:—|–|--|-|:)")
#: Standing formulas that name their publisher.
_SIGNATURES = (
    (re.compile(r"^The below is attributable to (?:the )?(?:Department )?Spokesperson\b"),
     "U.S. Department of State"),
)
_INFOBOX_LINE = re.compile(r"^\s*[-*•|]\s*[A-Za-z][\w ]{0,30}?\d*\s*[:=]\s*")


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
        if (after[:1].islower() or after[:1].isdigit() or _CONTINUES.search(before)
                or (len(words) >= 6 and words[-1][:1].islower()
                    and not before.endswith((".", "!", "?", "”", '"', ":")))):
            mid += 1
    return mid * 2 >= len(lines) - 1


def _placed_date(line: str) -> dt.date | None:
    """The date of a place-and-date line ("Brussels, 21 February 2014"), else None."""
    dates = find_dates(line)
    if len(dates) != 1 or len(line) > 80:
        return None
    start, end, date = dates[0]
    before, after = line[:start], line[end:]
    if not re.fullmatch(r"\s*[A-Z][\w.'’ -]{1,40}?,?\s*(?:\(?\s*)?", before):
        return None
    rest = after.strip(" )—–-,")
    if rest and not _date_line(rest)[0]:
        return None
    return date


def _strong(line: str, info: _Header, *, header: bool) -> str:
    """Classify furniture that is never article text: '' when ``line`` is not furniture,
    else the kind (and record what it tells about the article in ``info``)."""
    line = _BULLET_MARK.sub("", line)
    norm = _norm(line)
    if not norm:
        return ""
    if norm in _BOILERPLATE or _BOILERPLATE_START.match(line.strip()) or (
            _HEADER_START.match(line.strip()) and len(line) <= 400):
        if "united states government" in norm or ".gov" in norm:
            info.banner = info.banner or "gov"
        if ".mil" in norm:
            info.banner = "mil"
        if norm.startswith("from wikipedia"):
            info.source = info.source or "Wikipedia"
        elif norm.startswith("from wikinews"):
            info.source = info.source or "Wikinews"
        elif norm.startswith("this is an old revision"):
            info.source = info.source or "Wikipedia"
            dates = find_dates(line)
            if dates and info.date is None:
                info.date = dates[0][2]
        return "junk"
    if _URL_LINE.match(line):
        info.url = info.url or line.strip().strip("<>")
        return "junk"
    if _PAGE_FURNITURE.fullmatch(norm):
        return "junk"  # "U.S. flag", "DFA Logo", "link to page 1", "Order Code RL31339"
    is_date, date = _date_line(line)
    if not is_date and (placed := _placed_date(line)):
        is_date, date = True, placed
    if is_date and len(line) <= 120:
        if date and info.date is None:
            info.date = date
        return "date"
    source = _SOURCE.match(line)
    if source:
        who = source["who"].strip(" .")
        words = len(who.split())
        if 0 < words <= 12 and not who.endswith("?") and not _date_line(who)[0]:
            if line.strip().lower().startswith("from"):
                # GOV.UK's "From: Ministry of Defence and The Rt Hon …": the first body named.
                info.org = info.org or re.split(r"\s+and\s+(?=The\b|[A-Z][a-z]+ [A-Z])", who)[0]
            else:
                info.source = info.source or who
            info.credits.append(who)
            return "source"
    if header or len(line) <= 90:
        byline = parse_byline(line)
        if byline is not None:
            person, affiliation, date = byline
            if person and not info.author:
                info.author = person
            elif not person and affiliation:
                info.org_byline = info.org_byline or affiliation
            if date and info.date is None:
                info.date = date
            info.credits.append(line)  # "By Terri Moon Cronk DoD News, Defense Media Activity"
            return "byline"
    if re.match(r"^(?:updated|published|posted|last updated|first published)\b", norm):
        dates = find_dates(line)
        if dates and len(line.split()) <= 14:
            if info.date is None:
                info.date = dates[0][2]
            return "date"
    return ""


def _nav_bar(line: str) -> bool:
    """A menu copied as one line ("Home Issues & Press Travel & Business Countries …"), or
    link texts run together with the site's name ("Archive SitesU.S. Department of State")."""
    words = line.split()
    if words and words[0] == "Home" and len(words) >= 5 and all(
            w[:1].isupper() or w == "&" for w in words):
        return True
    for name in _KNOWN_SITES.values():
        at = line.find(name)
        if at > 0 and line[at - 1].isalpha() and len(line) <= 120:
            return True
    return False


def _header_title(line: str) -> bool:
    """A headline: like :func:`_looks_like_title`, but a long official title ("Secretary of
    Defense … Joint Press Conference with … in Seoul, South Korea") still counts."""
    if _looks_like_title(line):
        return True
    if re.search(r"[.!?,;][\"”’')\]]+$", line):
        return False
    return (len(line) <= 320 and any(c.isalpha() for c in line) and len(line.split()) <= 45
            and not line.endswith((".", ",", ";", ":"))
            and not line.startswith(("“", '"', "‘", "'", "«", "„"))
            and len(split_sentences(line)) == 1)


def _classify_header(unit: _Unit, info: _Header, wiki: bool, previous: str) -> str:
    line = _BULLET_MARK.sub("", unit.text)
    strong = _strong(line, info, header=True)
    if strong:
        return strong
    norm = _norm(line)
    if norm in _NAV or _nav_bar(line):
        return "junk"
    if _WIKI_HEADING.match(line):
        return "heading"
    if wiki and _INFOBOX_LINE.match(unit.text):
        return "infobox"  # "- Office: …" fields: kept (they name people and places)
    kicker, date = _kicker(line)
    if kicker:
        if date and info.date is None:
            info.date = date
        return "junk"
    if _breadcrumb(line):
        return "junk"
    if previous == "byline" and len(line.split()) <= 10 and _AFFILIATION.search(line) \
            and not line.endswith("."):
        info.credits.append(line)
        return "junk"  # the byline's unit
    if _org_name(line):
        return "org"
    if _short_caps(line) and not TURN_LABEL.match(line):
        return "junk"
    if _MD_HEADING.match(line):
        return "heading"
    if (re.fullmatch(r"[\"“‘'«„][^\"“”]{2,80}[\"”’'»]", line.strip())
            and len(line.split()) <= 8):
        return "motto"  # a ship's or unit's motto above the headline
    if _header_title(line) and not _BULLET.match(unit.text):
        return "title"
    return "body"


_WIKI_MARKUP = re.compile(r"^[ \t]*(={1,6})[ \t]*[^=\n]+?[ \t]*\1[ \t]*$", re.MULTILINE)
_DATELINE = re.compile(r"^(?P<place>[A-Z][\w .,'’()/-]{1,60}?)\s*(?:—|–|--|-\s)")
_EARLY_BODY_UNITS = 8


def _heading_text(line: str) -> str:
    """The words of a heading line ("== History ==", "## History", "History[edit]")."""
    wiki = _WIKI_HEADING.match(line)
    if wiki:
        return wiki["text"].strip()
    markdown = _MD_HEADING.match(line)
    if markdown:
        return markdown["title"].strip()
    return _EDIT_SUFFIX.sub("", line).strip()


def _units(blocks: list[_RawBlock]) -> list[_Unit]:
    """Lines as units, except that a hard-wrapped block is one unit."""
    units: list[_Unit] = []
    for index, block in enumerate(blocks):
        lines = [line.strip() for line in block.lines]
        if _wrapped(lines) and not any(_strong(line, _Header(), header=True) for line in lines):
            units.append(_Unit(" ".join(lines), index, range(len(lines))))
        else:
            units.extend(_Unit(line, index, range(offset, offset + 1))
                         for offset, line in enumerate(lines))
    return units


def _choose_title(header: list[_Unit], known: str, has_body: bool, wiki: bool) -> _Unit | None:
    """The header unit that is the headline: the first heading-like line, skipping a short
    menu item or a site name directly above a longer headline."""
    candidates = [u for u in header if u.kind in ("title", "org", "heading")]
    titles = [u for u in candidates if u.kind in ("title", "heading")]
    if known:
        core = _core(known)
        return next((u for u in candidates if _core(_heading_text(u.text)) == core), None)
    chosen: _Unit | None = None
    if titles:
        chosen = titles[0]
        if (len(titles) > 1 and has_body and not wiki and chosen.kind == "title"
                and len(chosen.text.split()) <= 3 < len(titles[1].text.split())
                and _core(chosen.text) in _core(titles[1].text)):
            chosen.kind = "junk"  # the site's or unit's name above its own headline
            chosen = titles[1]
    elif candidates:
        chosen = candidates[-1]
    if chosen is not None and not has_body and len(candidates) == 1:
        return None  # a lone short line is the text, not its title
    return chosen


def _scan(blocks: list[_RawBlock], title: str, hints: Hints, mixed_ok: set[str]) -> tuple[
        list[_RawBlock], _Header]:
    """Find the headline and the header's metadata; drop the header's furniture.

    Returns the blocks that remain (split where a line was dropped) and what was found."""
    info = _Header(title=title)
    units = _units(blocks)
    any_wiki = any(_WIKI_HEADING.match(u.text) for u in units[:400])

    # The header: everything before the first line of body text.
    position = 0
    previous = ""
    while position < len(units):
        unit = units[position]
        if _turn_label(unit.text, mixed_ok):
            break
        wiki = any_wiki or info.source in ("Wikipedia", "Wikinews")
        unit.kind = _classify_header(unit, info, wiki, previous)
        if unit.kind == "body":
            break
        previous = unit.kind
        position += 1
    header = units[:position]
    wiki = any_wiki or info.source in ("Wikipedia", "Wikinews")
    chosen = _choose_title(header, hints.title or info.title, position < len(units), wiki)
    if chosen is not None and not (hints.title or info.title):
        info.title = _heading_text(chosen.text)
    before = True
    for unit in header:
        if unit is chosen:
            before = False
            unit.kind = "title"
        elif unit.kind == "org":
            info.credits.append(unit.text)
            if before:
                info.org = info.org or _org_name(unit.text)
            unit.kind = "junk"  # the site above the headline, or the issuing office below it
        elif unit.kind == "motto":
            unit.kind = "junk" if before and chosen is not None else "body"
        elif unit.kind == "title":
            same = info.title and _core(unit.text) == _core(info.title)
            unit.kind = "junk" if same else "body"
    drop = {"junk", "date", "byline", "source", "title"}

    # Just after the header: datelines, bylines and "Published …" lines still follow.
    seen = 0
    for unit in units[position:]:
        if seen >= _EARLY_BODY_UNITS:
            break
        if len(unit.lines) == 1 and _strong(unit.text, info, header=False):
            unit.kind = "junk"
        else:
            seen += 1
    # Anywhere: site furniture on a line of its own; wiki headings lose their marks.
    for unit in units[position:]:
        if unit.kind != "body" or len(unit.lines) != 1:
            continue
        norm = _norm(unit.text)
        if norm in _BOILERPLATE or (_BOILERPLATE_START.match(unit.text) and len(unit.text) < 400):
            unit.kind = "junk"
        elif _WIKI_HEADING.match(unit.text) or (
                _EDIT_SUFFIX.search(unit.text) and len(unit.text) <= 120):
            unit.kind = "heading"
    # The last lines: "Source: …".
    for unit in units[position:][-3:]:
        if unit.kind == "body" and len(unit.lines) == 1 and \
                unit.text.strip().lower().startswith(("source:", "sources:", "published by:")) \
                and _strong(unit.text, info, header=False) == "source":
            unit.kind = "junk"

    first = next((u for u in units if u.kind == "body"), None)
    if first is not None:
        # The date from a dateline ("WASHINGTON, Nov. 4, 2024 — …"), a wire tag ("(NNS)").
        dateline = _DATELINE.match(first.text)
        if dateline and info.date is None:
            dates = find_dates(dateline["place"])
            if dates:
                info.date = dates[0][2]
        tag = _WIRE_TAG.match(first.text)
        if tag:
            info.wire = _WIRE_TAGS.get(tag["tag"].replace(".", "").strip().lower(), "")
        for pattern, name in _SIGNATURES:
            if pattern.match(first.text):
                info.signature = name

    out: list[_RawBlock] = []
    by_block: dict[int, list[_Unit]] = {}
    for unit in units:
        by_block.setdefault(unit.block, []).append(unit)
    for index, block in enumerate(blocks):
        current: list[str] = []
        start = block.line
        for unit in by_block.get(index, []):
            first_line = block.line + unit.lines.start
            if unit.kind in drop or unit.kind == "heading":
                if current:
                    out.append(_RawBlock(current, start))
                current = []
                if unit.kind == "heading":
                    out.append(_RawBlock([_heading_text(unit.text)], first_line))
                continue
            if not current:
                start = first_line
            current.extend(block.lines[unit.lines.start:unit.lines.stop])
        if current:
            out.append(_RawBlock(current, start))
    return out, info


def _strip_dateline(text: str) -> str:
    """A first sentence without its dateline ("WASHINGTON — ")."""
    match = re.match(r"^[A-Z][A-Z .,'’()/-]{1,40}(?:,\s*[\w. ,]{1,30})?\s*(?:—|–|--)\s*", text)
    if match and sum(c.isupper() for c in match.group(0)) >= 3:
        return text[match.end():]
    return text


_WEAK_ENDINGS = frozenset({"of", "the", "a", "an", "and", "or", "to", "in", "for", "on", "with",
                           "by", "at", "from", "as", "that", "its", "his", "her", "their", "is",
                           "was", "were", "are", "be", "has", "have", "had", "who", "which"})


def derive_title(paragraphs: list[str]) -> str:
    """A provisional title from the first sentence (pages mark it for review)."""
    for number, text in enumerate(paragraphs):
        if text.rstrip().endswith(":") and number + 1 < len(paragraphs):
            continue  # "The below is attributable to Spokesperson Ned Price:"
        sentences = split_sentences(_strip_dateline(text[:2000]))
        if not sentences:
            continue
        sentence = sentences[0].strip()
        sentence = re.sub(r"(?<![A-Z])\.$", "", sentence) if not _ends_with_abbreviation(
            sentence) else sentence
        words = sentence.split()
        if not words:
            continue
        if len(words) > 14:
            # Prefer the main clause after a reporting frame ("It has been confirmed ... that X").
            that = re.search(r"\bthat\s+(.+)$", sentence)
            if that and 4 <= len(that.group(1).split()) <= 14:
                words = that.group(1).split()
            else:
                cut = words[:12]
                # Never stop inside a name ("John F." → "John F. Smith") …
                while len(cut) < min(len(words), 16) and _ends_with_abbreviation(cut[-1]):
                    cut.append(words[len(cut)])
                # … nor on a word that needs the next ("of", "the").
                while len(cut) > 6 and cut[-1].lower().strip(",;:") in _WEAK_ENDINGS:
                    cut.pop()
                cut[-1] = cut[-1].rstrip(",;:")
                words = [*cut, "…"]
        title = " ".join(words).rstrip(",;:")
        if title:
            return title[0].upper() + title[1:]
    return "Untitled article"


def _looks_like_org(name: str) -> bool:
    return bool(_ORG_BYLINE.search(name) or _org_name(name)) and len(name.split()) <= 10


def parse_article(text: str, path: str, hints: Hints | None = None) -> Article:
    """Parse decoded article text (see :func:`decode`); ``hints`` carries metadata known
    from elsewhere (a web page's markup), which the text's own header completes."""
    hints = hints or Hints()
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

    title, date, author, found, dated_line = _read_metadata(blocks, path, warnings)
    mixed_ok = _repeated_mixed_labels(blocks)
    blocks, info = _scan(blocks, title, hints, mixed_ok)
    if not info.source and _WIKI_MARKUP.search(text[:200_000]):
        info.source = info.source or "Wikipedia"  # MediaWiki markup: "= Title =", "== History =="
    title = hints.title or info.title
    pieces: list[tuple[str, int]] = []
    for block in blocks:
        pieces.extend(_paragraphs_of(block, mixed_ok))
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
        banner = _us_office(title or info.title) or banner
    publisher = (info.source or (info.org and _us_agency(info.org, bool(info.banner)))
                 or hints.publisher or (publisher_for_url(url) if url else "")
                 or info.wire or info.signature or info.org_byline or banner)
    if not publisher and author and _looks_like_org(author):
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
        date = _date_in_name(path)
        if date is not None:
            warnings.append(f"{path}: date {date.isoformat()} taken from the file name")

    if title and pieces and _core(pieces[0][0]) == _core(title) and len(pieces) > 1:
        pieces = pieces[1:]

    kinds = _pull_quotes([piece for piece, _ in pieces], mixed_ok)

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
                   warnings=warnings, publisher=" ".join(publisher.split()), url=url,
                   retrieved=hints.retrieved, credits=list(dict.fromkeys(info.credits)))


def _pull_quotes(pieces: list[str], mixed_ok: set[str]) -> list[bool]:
    """Which pieces are pull quotes: short stand-alone lines whose words stand in a longer
    paragraph.  Every short line is looked for in every paragraph at once (one
    Aho-Corasick pass over the text), so the cost grows with the text, not with the
    number of lines times the number of paragraphs."""
    import ahocorasick

    cores = [_core(piece) for piece in pieces]
    short = {i for i, piece in enumerate(pieces)
             if len(piece) <= 300 and len(cores[i]) >= 8 and not _turn_label(piece, mixed_ok)}
    if not short:
        return [False] * len(pieces)
    automaton = ahocorasick.Automaton()
    for i in short:
        automaton.add_word(cores[i], cores[i])
    automaton.make_automaton()
    repeated: set[str] = set()
    for core in cores:
        for _, found in automaton.iter(core):
            if len(core) > len(found):
                repeated.add(found)
    return [i in short and cores[i] in repeated for i in range(len(pieces))]


def _us_agency(name: str, gov_banner: bool) -> str:
    """"Department of Defense" under the U.S. government's banner → "U.S. Department of …"."""
    if gov_banner and re.match(r"^(?:the\s+)?(?:department|dept\.?)\s+of\b", name, re.IGNORECASE):
        return "U.S. " + re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return name


#: Under the U.S. government's banner, the office a headline names says whose site it is.
_US_OFFICES = (
    (re.compile(r"\b(?:Secretary of Defense|Defense Secretary|Pentagon|Department of Defense|DOD|DoD|"
                r"Joint Chiefs)\b"), "U.S. Department of Defense"),
    (re.compile(r"\b(?:Secretary of State|State Department|Department of State|Department Press "
                r"Briefing|Spokesperson)\b"), "U.S. Department of State"),
    (re.compile(r"\b(?:White House|President (?:Biden|Trump|Obama|Bush)|Vice President|"
                r"National Security Advis[eo]r)\b"), "The White House"),
)


def _us_office(title: str) -> str:
    for pattern, name in _US_OFFICES:
        if pattern.search(title):
            return name
    return ""
