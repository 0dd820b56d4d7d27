"""Editing a hand-written registry file without touching what the edit is not about.

The registry is the editor's own YAML, with comments, blank lines and their choice of
quoting; a decision changes one or a few entries.  So a file is kept as text split into
its entries' spans: an entry a decision changes is parsed on its own with ruamel.yaml's
round-trip loader (which keeps its comments and styles), edited and dumped back into its
span; a deleted entry's span goes; a new entry is appended.  Every other byte of the
file is written back as it was read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.util import load_yaml_guess_indent

from briefbook.review.model import ReviewError

#: Where a field goes in an entry it is added to (the order of the files' examples).
FIELD_ORDER = ("id", "name", "sort_name", "native_name", "aliases", "kind", "country",
               "coordinates", "roles", "wikidata", "description", "unreviewed")


def _yaml(sequence: int = 4, offset: int = 2) -> YAML:
    """A round-trip loader and dumper; lists indented as the entry had them (by default as
    the registry's examples write them: ``aliases:`` then ``  - name``)."""
    loader = YAML(typ="rt")
    loader.preserve_quotes = True
    loader.width = 4096
    loader.indent(mapping=2, sequence=sequence, offset=offset)
    return loader


@dataclass
class _Span:
    """One entry's lines ``[start, end)`` and the column its fields start at."""

    entry_id: str
    start: int
    end: int
    column: int
    mapping: CommentedMap | None = None
    loaded_as: str = ""  # the mapping dumped as loaded: unchanged entries keep their text
    lists: tuple[int, int] = (4, 2)  # how the entry indents its lists (sequence, offset)
    deleted: bool = False


@dataclass
class RegistryFileEdit:
    """One registry file as text, with the edits a decision makes to its entries."""

    path: Path
    text: str
    spans: list[_Span] = field(default_factory=list)
    added: list[CommentedMap] = field(default_factory=list)
    empty_flow_line: int | None = None

    @classmethod
    def read(cls, path: Path) -> RegistryFileEdit:
        try:
            text = path.read_bytes().decode("utf-8") if path.exists() else ""
        except UnicodeDecodeError as exc:
            raise ReviewError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc
        edit = cls(path, text)
        edit._index()
        return edit

    # --- finding the entries ------------------------------------------------------------

    def _index(self) -> None:
        try:
            root = yaml.compose(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            raise ReviewError(f"{self.path}{where}: not valid YAML ({exc})") from exc
        if root is None:
            return
        if not isinstance(root, yaml.SequenceNode):
            raise ReviewError(f"{self.path}:{root.start_mark.line + 1}: expected a list of entries")
        if root.flow_style:
            if root.value:
                raise ReviewError(f"{self.path}:{root.start_mark.line + 1}: the entries are written "
                                  "as one [...] list; write them one '- id:' item each")
            self.empty_flow_line = root.start_mark.line
            return
        lines = self.text.splitlines(keepends=True)
        starts: list[tuple[int, int, str, int]] = []
        for node in root.value:
            if not isinstance(node, yaml.MappingNode) or node.flow_style:
                raise ReviewError(f"{self.path}:{node.start_mark.line + 1}: each entry must be a "
                                  "block mapping ('- id: …' with one field a line)")
            line, column = node.start_mark.line, node.start_mark.column
            dash = lines[line][:column].rstrip()
            if not dash.endswith("-") or dash[:-1].strip():
                raise ReviewError(f"{self.path}:{line + 1}: write the entry's first field on the "
                                  "line of its '-'")
            entry_id = next((str(v.value) for k, v in node.value
                             if isinstance(k, yaml.ScalarNode) and k.value == "id"
                             and isinstance(v, yaml.ScalarNode)), "")
            starts.append((line, column, entry_id, len(dash) - 1))
        for index, (first, indent, name, dash_column) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
            while end > first + 1 and _trailing(lines[end - 1], dash_column):
                end -= 1
            self.spans.append(_Span(name, first, end, indent))

    def ids(self) -> list[str]:
        return [s.entry_id for s in self.spans if not s.deleted]

    def _span(self, entry_id: str) -> _Span:
        for span in self.spans:
            if span.entry_id == entry_id and not span.deleted:
                return span
        raise ReviewError(f"{self.path}: no entry with id '{entry_id}'")

    def has(self, entry_id: str) -> bool:
        return any(s.entry_id == entry_id and not s.deleted for s in self.spans) or any(
            m.get("id") == entry_id for m in self.added)

    # --- editing ------------------------------------------------------------------------

    def entry(self, entry_id: str) -> CommentedMap:
        """The entry, for editing in place (its comments and styles kept)."""
        for mapping in self.added:
            if mapping.get("id") == entry_id:
                return mapping
        span = self._span(entry_id)
        if span.mapping is None:
            lines = self.text.splitlines(keepends=True)[span.start:span.end]
            body = [lines[0][span.column:]] + [_dedent(line, span.column) for line in lines[1:]]
            try:
                _, indent, offset = load_yaml_guess_indent("".join(body))
                loaded = _yaml().load("".join(body))  # quotes kept as written
            except RuamelError as exc:
                raise ReviewError(f"{self.path}:{span.start + 1}: cannot be edited ({exc})") from exc
            if not isinstance(loaded, CommentedMap):
                raise ReviewError(f"{self.path}:{span.start + 1}: expected a mapping of fields")
            if indent is not None and offset is not None:
                span.lists = (indent, offset)
            span.mapping = loaded
            span.loaded_as = _dump(loaded, lines[0][:span.column], span.column, span.lists)
        return span.mapping

    def delete(self, entry_id: str) -> CommentedMap:
        """Remove the entry; return it (a change of kind moves it to another file)."""
        for mapping in self.added:
            if mapping.get("id") == entry_id:
                self.added.remove(mapping)
                return mapping
        mapping = self.entry(entry_id)
        self._span(entry_id).deleted = True
        return mapping

    def add(self, mapping: CommentedMap) -> None:
        self.added.append(mapping)

    # --- writing ------------------------------------------------------------------------

    def render(self) -> str:
        lines = self.text.splitlines(keepends=True)
        if self.empty_flow_line is not None and self.added:
            lines[self.empty_flow_line] = ""  # "[]" gives way to the entries
        out: list[str] = []
        cursor = 0
        for span in self.spans:
            out.extend(lines[cursor:span.start])
            cursor = span.end
            if span.deleted:
                while cursor < len(lines) and not lines[cursor].strip():
                    cursor += 1  # the blank lines after it go with it
                if cursor == len(lines):
                    while out and not out[-1].strip():
                        out.pop()
                continue
            dumped = (_dump(span.mapping, lines[span.start][:span.column], span.column, span.lists)
                      if span.mapping is not None else span.loaded_as)
            out.extend(lines[span.start:span.end] if dumped == span.loaded_as else [dumped])
        out.extend(lines[cursor:])
        text = "".join(out)
        for mapping in self.added:
            if text and not text.endswith("\n"):
                text += "\n"
            if text.strip() and not text.endswith("\n\n"):
                text += "\n"
            text += _dump(mapping, "- ", 2)
        return text


def _trailing(line: str, dash_column: int) -> bool:
    """A blank line, or a comment at the entries' own indentation: it belongs to what
    follows (the next entry, or the end of the file), not to the entry before."""
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip()) <= dash_column)


def _dedent(line: str, column: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, column):]


def _dump(mapping: CommentedMap, first: str, column: int, lists: tuple[int, int] = (4, 2)) -> str:
    buffer = io.StringIO()
    _yaml(*lists).dump(mapping, buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    pad = " " * column
    out = [first + lines[0]] + [pad + line if line.strip() else line for line in lines[1:]]
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


def set_field(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set ``key``, placing a new field where the registry's examples put it."""
    if key in mapping:
        mapping[key] = value
        return
    rank = FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER)
    position = len(mapping)
    for index, existing in enumerate(mapping):
        if existing in FIELD_ORDER and FIELD_ORDER.index(existing) > rank:
            position = index
            break
    mapping.insert(position, key, value)


def flow_pair(first: float, second: float) -> CommentedSeq:
    """``[latitude, longitude]`` on one line, as the registry writes coordinates."""
    pair = CommentedSeq([first, second])
    pair.fa.set_flow_style()
    return pair
