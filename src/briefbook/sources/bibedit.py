"""Setting fields of one entry in a ``.bib`` file without rewriting the rest of it.

``sources.bib`` is the user's file: their field order, alignment, comments and line
endings are theirs, and a tool that re-serialises the whole bibliography through pybtex
to add three fields would reformat every entry (and drop the comments).  So an edit here
touches only the bytes it must: the braces of a value it replaces, or new
``name = {value},`` lines inserted before the entry's closing brace, indented like the
entry's last field.  Everything else in the file stays byte for byte as it was.

The entry is found and scanned the way BibTeX reads it: ``@type{key, …}`` or
``@type(key, …)``, values in braces (nested braces counted, a backslash does not escape
one), in double quotes, bare numbers or macro names, joined with ``#``.  The file is
written through :func:`briefbook.book.atomic.atomic_write`, so a failure leaves it whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefbook.book.atomic import atomic_write

_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(?P<type>[A-Za-z]+)[ \t\r\n]*(?P<open>[{(])[ \t\r\n]*"
    r"(?P<key>[^,\s{}()]+)[ \t\r\n]*(?P<after>[,})])", re.M)
_SKIP_TYPES = {"comment", "preamble", "string"}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:+-]*")
_FIELD_NAME = re.compile(r"[^\s=,{}()\"#%]+")
_BARE = re.compile(r"[^\s,{}()\"#=]+")
_CLOSE = {"{": "}", "(": ")"}


class BibEditError(Exception):
    """An edit that cannot be made; the message names the file, the key and the line."""


@dataclass(frozen=True)
class _Field:
    name: str
    start: int  # where the field's name starts
    value_start: int
    value_end: int
    end: int  # just past the field's comma, or past its value when it has none
    comma: bool


@dataclass(frozen=True)
class _Entry:
    key: str
    line: int
    head_end: int  # just past the key's comma (or the key, for an entry with no fields)
    head_comma: bool
    fields: tuple[_Field, ...]
    close: int  # the position of the closing brace or parenthesis


def set_fields(path: Path, key: str, values: Mapping[str, str]) -> None:
    """Set ``values`` (field name → plain value) in the entry ``key`` of ``path``.

    A field the entry already has gets the new value in place; the others are added
    before the entry's closing brace, in the order given.  Raises :class:`BibEditError`
    when the file cannot be read, the key is missing or repeated, the entry does not
    parse, or a value cannot be written as BibTeX.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BibEditError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BibEditError(f"{path}:{line}: not valid UTF-8; nothing was changed") from None
    edited = edit_text(text, key, values, str(path))
    if edited != text:
        try:
            atomic_write(path, edited)
        except OSError as exc:
            raise BibEditError(f"{path}: cannot write the file: {exc.strerror or exc}") from None


def edit_text(text: str, key: str, values: Mapping[str, str], name: str = "<bib>") -> str:
    """``text`` with the fields of entry ``key`` set; ``name`` is the file, for errors."""
    for field_name, value in values.items():
        _check_value(name, key, field_name, value)
    entry = _find_entry(text, key, name)
    newline = "\r\n" if "\r\n" in text else "\n"
    replaced: dict[int, str] = {}  # value start → new value text
    spans: dict[int, int] = {}
    missing: list[tuple[str, str]] = []
    for field_name, value in values.items():
        found = [f for f in entry.fields if f.name.lower() == field_name.lower()]
        if len(found) > 1:
            raise BibEditError(f"{name}:{entry.line}: entry '{entry.key}' gives {field_name} "
                               f"{len(found)} times; remove one first")
        if found:
            replaced[found[0].value_start] = "{" + value + "}"
            spans[found[0].value_start] = found[0].value_end
        else:
            missing.append((field_name, value))

    pieces: list[str] = []
    position = 0
    for start in sorted(replaced):
        pieces.append(text[position:start])
        pieces.append(replaced[start])
        position = spans[start]
    if missing:
        at, comma = ((entry.fields[-1].end, entry.fields[-1].comma) if entry.fields
                     else (entry.head_end, entry.head_comma))
        pieces.append(text[position:at])
        position = at
        indent, column = _layout(text, entry)
        added = "" if comma else ","
        for field_name, value in missing:
            padded = field_name.ljust(column - len(indent) - 1) if column else field_name
            added += f"{newline}{indent}{padded} = {{{value}}},"
        if "\n" not in text[at:entry.close]:
            added += newline  # a closing brace on the last field's line goes on its own
        pieces.append(added)
    pieces.append(text[position:])
    return "".join(pieces)


def _check_value(name: str, key: str, field_name: str, value: str) -> None:
    if not _NAME.fullmatch(field_name):
        raise BibEditError(f"{name}: cannot set field '{field_name}' of '{key}': "
                           "not a BibTeX field name")
    bad = sorted({c for c in value if c in "{}\\" or (ord(c) < 32 and c != "\t")})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise BibEditError(f"{name}: cannot set {field_name} of '{key}' to {value[:80]!r}: "
                           f"the value contains {shown}, which BibTeX would read as markup")


def _find_entry(text: str, key: str, name: str) -> _Entry:
    matches = [m for m in _ENTRY.finditer(text)
               if m.group("type").lower() not in _SKIP_TYPES
               and m.group("key").lower() == key.lower()]
    if not matches:
        raise BibEditError(f"{name}: no entry with key '{key}'")
    if len(matches) > 1:
        lines = ", ".join(str(_line(text, m.start("type"))) for m in matches)
        raise BibEditError(f"{name}: key '{key}' is used by {len(matches)} entries "
                           f"(lines {lines}); give each entry its own key first")
    match = matches[0]
    return _scan(text, match, name)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _scan(text: str, match: re.Match[str], name: str) -> _Entry:
    """The fields of the entry ``match`` starts, and where it closes."""
    key = match.group("key")
    line = _line(text, match.start("type"))
    closer = _CLOSE[match.group("open")]

    def fail(offset: int, what: str) -> BibEditError:
        return BibEditError(f"{name}:{_line(text, offset)}: entry '{key}' (line {line}): {what}; "
                            "fix the BibTeX syntax first (briefbook check)")

    after = match.group("after")
    if after != ",":
        if after != closer:
            raise fail(match.start("after"), f"'{after}' where '{closer}' or ',' was expected")
        return _Entry(key, line, match.start("after"), False, (), match.start("after"))
    head_end = match.end()
    fields: list[_Field] = []
    position = head_end
    size = len(text)
    while True:
        position = _skip_space(text, position)
        if position >= size:
            raise fail(size, f"no closing '{closer}'")
        if text[position] == closer:
            return _Entry(key, line, head_end, True, tuple(fields), position)
        if fields and not fields[-1].comma:
            raise fail(position, "a ',' is missing after the previous field")
        field_match = _FIELD_NAME.match(text, position)
        if not field_match:
            raise fail(position, f"unexpected '{text[position]}' where a field name was expected")
        start = position
        position = _skip_space(text, field_match.end())
        if position >= size or text[position] != "=":
            raise fail(position, f"'=' expected after field name '{field_match.group()}'")
        value_start = position = _skip_space(text, position + 1)
        while True:
            position = _value_part(text, position, closer, fail)
            value_end = position
            position = _skip_space(text, position)
            if position < size and text[position] == "#":
                position = _skip_space(text, position + 1)
                continue
            break
        comma = position < size and text[position] == ","
        end = position + 1 if comma else value_end
        fields.append(_Field(field_match.group(), start, value_start, value_end, end, comma))
        if comma:
            position += 1


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _value_part(text: str, position: int, closer: str,
                fail: Callable[[int, str], BibEditError]) -> int:
    """The end of one value part starting at ``position``: ``{…}``, ``"…"`` or bare."""
    if position >= len(text):
        raise fail(position, "a value is missing")
    first = text[position]
    if first == "{":
        depth = 0
        for index in range(position, len(text)):
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return index + 1
        raise fail(position, "a '{' is never closed")
    if first == '"':
        depth = 0
        for index in range(position + 1, len(text)):
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                return index + 1
        raise fail(position, "a '\"' is never closed")
    bare = _BARE.match(text, position)
    if not bare or (closer == ")" and ")" in bare.group()):
        raise fail(position, f"unexpected '{first}' where a value was expected")
    return bare.end()


def _layout(text: str, entry: _Entry) -> tuple[str, int]:
    """The indentation of the entry's fields, and the column their ``=`` is aligned at
    (0 when they are not aligned), so that added fields look like the user's own."""
    indent = "  "
    columns: list[int] = []
    for item in entry.fields:
        line_start = text.rfind("\n", 0, item.start) + 1
        before = text[line_start:item.start]
        if before.strip():
            continue  # not on a line of its own
        indent = before
        columns.append(len(before) + text.index("=", item.start) - item.start)
    aligned = len(columns) > 1 and len(set(columns)) == 1
    return indent, (columns[0] if aligned else 0)

