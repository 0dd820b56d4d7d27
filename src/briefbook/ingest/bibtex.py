"""The article's own entry in ``sources.bib``, appended atomically.

The page's front matter cites the article by key, so the key must exist and be unique:
``<family name><year>`` with the bibliography's ``a``, ``b`` … suffixes when taken.
The entry also records what ingest needs to know the article again whatever its page is
called now (:mod:`briefbook.ingest.update`): ``ingested-content``, a hash of the body as
read (independent of title, date, author and the batch's flags, so dating an article does
not make it a new one), ``ingested-from``, the input file's name, and ``url``; books made
before those fields carry only ``ingested``, a hash over title, date, author and text,
which is still written and still recognised.  The file is rewritten through a temporary
file and :func:`os.replace` so a crash never leaves half an entry.

An entry is rewritten field by field (:func:`merge_entry`): ingest owns the fields it
writes, the analyst's own fields (grades, archive fields) and edits are kept byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from briefbook.book.atomic import atomic_write
from briefbook.ingest.model import Article
from briefbook.sources.style import year_suffix

_KEY = re.compile(r"@\s*\w+\s*\{\s*([^,\s]+)\s*,", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ORG_HINT = re.compile(r"\b(?:News|Agency|Ministry|Press|Times|Post|Department|Office|Service|"
                       r"Institute|Council|Committee|Reuters|BBC|Team|Staff|Desk)\b")
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
          "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}


#: The fields ingest writes for its own bookkeeping (always ingest's, never merged).
CONTENT_FIELD = "ingested-content"
FROM_FIELD = "ingested-from"
FINGERPRINT_FIELD = "ingested"
BOOKKEEPING = (FINGERPRINT_FIELD, CONTENT_FIELD, FROM_FIELD)


def fingerprint(article: Article) -> str:
    """A stable id of the article as read (title, date, author, text): the record of
    books made before :func:`content_hash`, still written so they keep working."""
    digest = hashlib.sha256()
    for part in (article.title, str(article.date), article.author, *article.paragraphs):
        digest.update(part.encode("utf-8") + b"\x1f")
    return "sha256:" + digest.hexdigest()[:16]


def content_hash(article: Article) -> str:
    """A hash of the article's body as read: paragraphs and pull quotes in order, spaces
    collapsed.  Title, date, author, publisher and URL are left out on purpose: they are
    what a batch's flags or an analyst's corrections change, and the article stays the
    same article."""
    digest = hashlib.sha256()
    for block in article.blocks:
        digest.update(f"{block.kind}\x1e{' '.join(block.text.split())}\x1f".encode())
    return "sha256:" + digest.hexdigest()


def input_name(article: Article) -> str:
    """The input file's name as recorded in ``ingested-from`` ("" for a URL: ``url``
    records it).  Never printed, so not LaTeX: only what BibTeX would read as structure
    (braces, backslashes, line breaks) is replaced."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", article.path, re.IGNORECASE):
        return ""
    name = " ".join(Path(article.path).name.split())
    return re.sub(r"[{}\\\x00-\x1f\x7f]", "_", name)


def latex_escape(text: str) -> str:
    """Text as BibTeX field content: special characters escaped, braces balanced."""
    return "".join(_LATEX.get(c, c) for c in " ".join(text.split()))


def protect_capitals(text: str) -> str:
    """``{Russia}``: keep capitals that a lower-casing style would otherwise drop."""
    return " ".join(
        f"{{{word}}}" if any(c.isupper() for c in word) and "\\" not in word else word
        for word in latex_escape(text).split(" "))


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "",
                  unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


def existing_keys(text: str) -> set[str]:
    return {m.group(1) for m in _KEY.finditer(text)}


def credited(article: Article) -> str:
    """Who the article is credited to: its author, else its publisher ("" when neither)."""
    return article.author or article.publisher


def _is_org(name: str, article: Article) -> bool:
    return bool(_ORG_HINT.search(name)) or (not article.author and bool(article.publisher))


def make_key(article: Article, taken: set[str]) -> str:
    who = credited(article)
    names = who.replace(",", " ").split()
    family = _ascii(names[-1]) if names else ""
    if _is_org(who, article):
        # "U.S. Department of Defense" → "usdepartment"; a short name whole ("wikipedia").
        family = _ascii(re.sub(r"^the\s+", "", who, flags=re.IGNORECASE))[:12]
    base = (family or "anon") + (str(article.date.year) if article.date else "nd")
    if base not in taken:
        return base
    index = 0
    while base + year_suffix(index) in taken:
        index += 1
    return base + year_suffix(index)


def _author_field(author: str, organisation: bool = False) -> str:
    if not author:
        return "{Anonymous}"
    if organisation or _ORG_HINT.search(author) or not any(c.islower() for c in author):
        return "{" + latex_escape(author) + "}"
    parts = author.split()
    if len(parts) >= 2 and " and " not in author and "," not in author:
        return latex_escape(f"{parts[-1]}, {' '.join(parts[:-1])}")
    return latex_escape(author)


def title_field(article: Article) -> str:
    """The ``title`` field's content for ``article`` (capitals protected; in brackets when
    ingest supplied it)."""
    title = protect_capitals(article.title)
    return f"[{title}]" if article.title_supplied else title


def entry_text(article: Article, key: str) -> str:
    title = title_field(article)
    who = credited(article)
    fields = [("author", "{" + _author_field(who, _is_org(who, article)) + "}"),
              ("title", "{" + title + "}")]
    if article.publisher and article.publisher != who:
        fields.append(("publisher", "{" + latex_escape(article.publisher) + "}"))
    if article.date is not None:
        fields += [("year", "{" + str(article.date.year) + "}"),
                   ("month", _MONTHS[article.date.month - 1])]
        dated = f"Dated {article.date.day} {article.date.strftime('%B %Y')}"
    else:
        fields.append(("year", "{n.d.}"))
        dated = "Undated"
    note = dated + ("; title supplied at ingest, to review" if article.title_supplied else "")
    if article.url and _URL_OK.match(article.url):
        # Kept verbatim: pybtex reads the field as it stands and escapes it for LaTeX.
        fields.append(("url", "{" + article.url + "}"))
        if article.retrieved is not None:
            fields.append(("urldate", "{" + article.retrieved.isoformat() + "}"))
    fields += [("note", "{" + note + "}"), (FINGERPRINT_FIELD, "{" + fingerprint(article) + "}"),
               (CONTENT_FIELD, "{" + content_hash(article) + "}")]
    source_file = input_name(article)
    if source_file:
        fields.append((FROM_FIELD, "{" + source_file + "}"))
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body},\n}}\n"


_URL_OK = re.compile(r"^https?://[^\s{}\\]+$", re.IGNORECASE)


def find_ingested(text: str, article: Article) -> str | None:
    """The key of an entry already made for this very article, if any."""
    mark = fingerprint(article)
    position = text.find(mark)
    if position < 0:
        return None
    keys = list(_KEY.finditer(text, 0, position))
    return keys[-1].group(1) if keys else None


def plan_entry(bib: Path, article: Article) -> tuple[str, str | None]:
    """The key for ``article`` and the entry text to append (None when it exists)."""
    text = bib.read_text(encoding="utf-8") if bib.exists() else ""
    found = find_ingested(text, article)
    if found:
        return found, None
    key = make_key(article, existing_keys(text))
    return key, entry_text(article, key)


def append_entry(bib: Path, entry: str) -> None:
    """Append one entry to ``bib`` atomically."""
    text = bib.read_text(encoding="utf-8") if bib.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write(bib, text + ("\n" if text else "") + entry)


# --- one entry, field by field -------------------------------------------------------------

_ENTRY_HEAD = re.compile(r"^[ \t]*@[ \t]*(?P<type>[A-Za-z]+)[ \t\r\n]*\{[ \t\r\n]*"
                         r"(?P<key>[^,\s{}()]+)[ \t\r\n]*,", re.MULTILINE)
_NOT_ENTRIES = {"comment", "preamble", "string"}
_FIELD_NAME = re.compile(r"[^\s=,{}()\"#%]+")
_BARE_VALUE = re.compile(r"[^\s,{}\"#]+")


@dataclass(frozen=True)
class EntrySpan:
    """Where one ``@type{key, …}`` entry sits in a bib file's text."""

    key: str
    line: int
    start: int  # the start of the entry's first line
    body: int  # just past the key's comma
    close: int  # the closing brace (== end - 1), or the end of the text when unclosed
    end: int


@dataclass(frozen=True)
class FieldSpan:
    """One ``name = value,`` of an entry: ``value`` is the raw text (braces kept)."""

    name: str  # lower case
    start: int  # where its line starts (or the name, after other text on that line)
    value_start: int
    value_end: int
    end: int  # past its comma and the line break after it
    comma: bool

    def value(self, text: str) -> str:
        return text[self.value_start:self.value_end]


def entry_spans(text: str) -> list[EntrySpan]:
    """Every entry of a bib file's text, in order, bounded as BibTeX reads them (braces
    counted); an unclosed entry runs to the next one."""
    heads = [m for m in _ENTRY_HEAD.finditer(text) if m.group("type").lower() not in _NOT_ENTRIES]
    spans = []
    line, counted = 1, 0
    for number, head in enumerate(heads):
        limit = heads[number + 1].start() if number + 1 < len(heads) else len(text)
        close = _braced(text, text.index("{", head.start()), limit) - 1
        if close < 0 or text[close] != "}":
            close = limit
        line += text.count("\n", counted, head.start())
        counted = head.start()
        spans.append(EntrySpan(head.group("key"), line, head.start(), head.end(), close,
                               min(close + 1, len(text))))
    return spans


def _skip(text: str, position: int, end: int, chars: str = " \t\r\n") -> int:
    while position < end and text[position] in chars:
        position += 1
    return position


_BRACE = re.compile(r"[{}]")


def _braced(text: str, position: int, end: int) -> int:
    """Just past the brace group opening at ``position`` (``end`` when it is not closed
    before it); only the braces are visited, so a large file is scanned quickly."""
    depth = 0
    for brace in _BRACE.finditer(text, position, end):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return brace.end()
    return end


def field_spans(text: str, entry: EntrySpan) -> list[FieldSpan]:
    """The fields of ``entry`` in order (what does not parse ends the list)."""
    found: list[FieldSpan] = []
    position, close = entry.body, entry.close
    while True:
        position = _skip(text, position, close, " \t\r\n,")
        name = _FIELD_NAME.match(text, position)
        if position >= close or not name:
            return found
        equals = _skip(text, name.end(), close)
        if equals >= close or text[equals] != "=":
            return found
        value_start = cursor = _skip(text, equals + 1, close)
        while cursor < close:
            if text[cursor] == "{":
                cursor = _braced(text, cursor, close)
            elif text[cursor] == '"':
                inner = cursor + 1
                while inner < close and text[inner] != '"':
                    inner = _braced(text, inner, close) if text[inner] == "{" else inner + 1
                cursor = inner + 1
            else:
                bare = _BARE_VALUE.match(text, cursor)
                if not bare:
                    break
                cursor = bare.end()
            after = _skip(text, cursor, close)
            if after < close and text[after] == "#":
                cursor = _skip(text, after + 1, close)
                continue
            break
        value_end = min(cursor, close)
        after = _skip(text, value_end, close, " \t")
        comma = after < close and text[after] == ","
        end = _skip(text, after + 1 if comma else after, close, " \t")
        if end < close and text[end] == "\r":
            end += 1
        if end < close and text[end] == "\n":
            end += 1
        line_start = text.rfind("\n", 0, name.start()) + 1
        start = line_start if not text[line_start:name.start()].strip() else name.start()
        found.append(FieldSpan(name.group(0).lower(), start, value_start, value_end, end, comma))
        position = end if end > value_end else value_end + 1


def plain_value(raw: str) -> str:
    """A raw field value without its outer braces or quotes, spaces collapsed."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] + raw[-1] in ("{}", '""'):
        raw = raw[1:-1]
    return " ".join(raw.split())


def entry_fields(text: str, entry: EntrySpan) -> dict[str, str]:
    """``name → plain value`` for ``entry`` (the first of a repeated field)."""
    values: dict[str, str] = {}
    for item in field_spans(text, entry):
        values.setdefault(item.name, plain_value(item.value(text)))
    return values


@dataclass
class EntryMerge:
    """The bib file's text with one entry refreshed, and the fields that could not be."""

    text: str
    conflicts: list[str] = field(default_factory=list)
    line: int = 0  # the entry's line, for messages


def _raw_fields(text: str) -> dict[str, str]:
    spans = entry_spans(text)
    if not spans:
        return {}
    return {f.name: f.value(text) for f in reversed(field_spans(text, spans[0]))}


def merge_entry(bib_text: str, key: str, base: str | None, new: str,
                prefer_new: bool = False) -> EntryMerge:
    """Refresh entry ``key`` of ``bib_text`` with ``new`` (the entry ingest renders now),
    field by field, against ``base`` (the entry as ingest last wrote it).

    A field the analyst left as ingest wrote it takes the new value; a field only the
    analyst changed (or added) stays byte for byte; a field both changed differently is a
    conflict: kept as the analyst has it and named, unless ``prefer_new`` (``--force``).
    Without a base (an entry from before briefbook kept one) nothing tells an edit from
    an older ingest, so the analyst's values are kept (``prefer_new``: the new ones).
    The bookkeeping fields (:data:`BOOKKEEPING`) are always ingest's.  The key never
    changes: pages cite it.
    """
    spans = [s for s in entry_spans(bib_text) if s.key.lower() == key.lower()]
    if not spans:
        raise KeyError(key)
    entry = spans[0]
    ours = {f.name: f for f in reversed(field_spans(bib_text, entry))}
    theirs = _raw_fields(new)
    before = _raw_fields(base) if base is not None else None
    result = EntryMerge(bib_text, line=entry.line)
    replace: dict[str, str | None] = {}
    for name in [*ours, *(n for n in theirs if n not in ours)]:
        mine = ours[name].value(bib_text) if name in ours else None
        new_value = theirs.get(name)
        chosen = _choose(name, mine, new_value, before, prefer_new, result.conflicts)
        if (chosen is None) != (mine is None) or (chosen is not None and chosen != mine):
            replace[name] = chosen
    if not replace:
        return result
    pieces: list[str] = []
    position = entry.start
    for span in sorted((ours[n] for n in replace if n in ours), key=lambda s: s.start):
        value = replace[span.name]
        if value is None:  # removed: the whole field, its line with it
            pieces.append(bib_text[position:span.start])
        else:
            pieces.append(bib_text[position:span.value_start] + value)
            pieces.append(bib_text[span.value_end:span.end])
        position = span.end
    added = [(n, v) for n, v in replace.items() if n not in ours and v is not None]
    if added:
        insert_at = entry.close
        while insert_at > position and bib_text[insert_at - 1] in " \t":
            insert_at -= 1
        so_far = "".join(pieces) + bib_text[position:insert_at]
        # The field before the new ones needs its comma; new ones start on a line.
        so_far = so_far.rstrip() + ",\n" if not so_far.rstrip().endswith(",") else so_far
        so_far += "" if so_far.endswith("\n") else "\n"
        pieces = [so_far, "".join(f"  {n:<12} = {v},\n" for n, v in added)]
        position = insert_at
    pieces.append(bib_text[position:])
    result.text = bib_text[:entry.start] + "".join(pieces)
    return result


def _same(one: str | None, other: str | None) -> bool:
    if one is None or other is None:
        return one is other
    return " ".join(one.split()) == " ".join(other.split())


def _choose(name: str, mine: str | None, new: str | None, base: dict[str, str] | None,
            prefer_new: bool, conflicts: list[str]) -> str | None:
    """One field's value after a refresh (see :func:`merge_entry`)."""
    if name in BOOKKEEPING:
        return new
    if base is None:
        if mine is None or new is None:
            return new if mine is None else mine
        return new if prefer_new else mine
    before = base.get(name)
    if _same(mine, before):
        return new
    if _same(new, before) or _same(mine, new):
        return mine
    if prefer_new:
        return new
    conflicts.append(name)
    return mine
