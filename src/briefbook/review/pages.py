"""The book's pages as review sees them: their text without markup, and their links.

The queue shows each name in the sentences it occurs in, so it needs the pages' plain
text; it must stay quick on a book of a thousand pages, so it reads the MyST source once
per page (roles reduced to the text they show, backslash escapes undone) and never runs
Sphinx.  Decisions that delete or rename a registry id rewrite the roles that name it,
and only those: every other byte of a page is the analyst's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util.nodes import split_explicit_title

from briefbook.analysis.quotes import parse_attributes
from briefbook.ingest.writer import attribute_value, escape_text
from briefbook.ingest.writer import role as role_markup

#: A MyST role: ``{name}`content``` with a fence of one or more backticks.
ROLE_RE = re.compile(r"\{(?P<name>[A-Za-z][\w:.-]*)\}(?P<fence>`+)(?P<content>.+?)(?<!`)(?P=fence)(?!`)",
                     re.DOTALL)
ENTITY_ROLES = {"person": "person", "place": "place", "org": "organization"}
ROLE_FOR_KIND = {kind: role for role, kind in ENTITY_ROLES.items()}
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")
_OPTION_RE = re.compile(r"^\s*:[\w-]+:")
_LIST_MARK_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(?<!\\)[*_]{1,3}(?=\S)|(?<=\S)(?<!\\)[*_]{1,3}")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "no", "vs",
                            "jr", "sr", "co", "corp", "inc", "ltd", "rev", "prof", "sen", "rep",
                            "gov", "adm", "capt", "maj", "cmdr", "pres", "amb", "hon"})


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's plain text; ``line`` is the page line its text starts on."""

    text: str
    line: int

    def line_of(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)

    def sentence_at(self, start: int, end: int) -> tuple[str, int, int]:
        """The sentence holding ``text[start:end]``, one line, with the span's offsets in it."""
        begin, finish = 0, len(self.text)
        for match in _SENTENCE_END.finditer(self.text):
            if _abbreviation_before(self.text, match.start()):
                continue
            if match.end() <= start:
                begin = match.end()
            elif match.end() >= end:
                finish = match.end()
                break
        raw = self.text[begin:finish]
        lead = len(raw) - len(raw.lstrip())
        sentence = raw.strip().replace("\n", " ")
        return sentence, start - begin - lead, end - begin - lead


def _abbreviation_before(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends an abbreviation ("U.S.", "Gen.") rather than
    a sentence (as :func:`briefbook.entities.registry.first_sentence` decides)."""
    if text[stop] != ".":
        return False
    word = text[:stop].rsplit(None, 1)[-1] if text[:stop].strip() else ""
    return "." in word or word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def unescape(text: str) -> str:
    """Undo CommonMark backslash escapes (``\\X`` for ASCII punctuation X)."""
    return _ESCAPE_RE.sub(r"\1", text)


def shown_text(name: str, content: str) -> str:
    """What a role shows: an entity role's name, a quotation's words, any role's title."""
    content = content[1:] if content.startswith(" `") else content
    if name == "quote":
        return parse_attributes(content)[0]
    if name.startswith("cite"):
        return ""
    return split_explicit_title(content)[1]


def plain_text(source: str) -> str:
    """One paragraph of MyST as the reader sees it (newlines kept, so lines can be counted)."""
    out: list[str] = []
    cursor = 0
    for match in ROLE_RE.finditer(source):
        out.append(_plain_run(source[cursor:match.start()]))
        out.append(shown_text(match.group("name"), match.group("content")))
        cursor = match.end()
    out.append(_plain_run(source[cursor:]))
    return "".join(out)


def _plain_run(text: str) -> str:
    if "](" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS_RE.sub("", text)
    return unescape(text) if "\\" in text else text


def paragraphs(source: str) -> Iterator[Paragraph]:
    """The text paragraphs of a MyST page: no front matter, comments, fences, options."""
    lines = source.splitlines()
    index = 0
    if lines and lines[0].strip() == "---":
        index = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    block: list[str] = []
    first = 0
    in_options = False

    def flush() -> Iterator[Paragraph]:
        if block:
            text = plain_text("\n".join(block))
            if text.strip():
                yield Paragraph(text, first)
            block.clear()

    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        number = index + 1
        index += 1
        if _FENCE_RE.match(line):
            yield from flush()
            in_options = True
            continue
        if in_options and _OPTION_RE.match(line):
            continue
        in_options = False
        if not stripped or stripped.startswith("%") or re.match(r"^\(.+\)=$", stripped):
            yield from flush()
            continue
        if stripped.startswith("#"):
            yield from flush()
            block.append(stripped.lstrip("#").strip())
            first = number
            yield from flush()
            continue
        text = line.lstrip()
        while text.startswith(">"):
            text = text[1:].lstrip()
        text = _LIST_MARK_RE.sub("", text)
        if not block:
            first = number
        block.append(text)
    yield from flush()


# --- rewriting the links to an id ---------------------------------------------------------


@dataclass(frozen=True)
class Relink:
    """Where the roles naming some registry ids should point now.

    ``targets`` maps an old id to its new id and that entry's kind, or to None to unlink
    it: the role is replaced by the text it showed, escaped so that it stays text.
    ``resolves`` tells which id a role's content (a name, alias or id) stands for, the way
    the registry as it was would resolve it (``kind`` "" for any kind); ``names`` are the
    old entries' names, which an unlinked speaker keeps as its description.
    """

    targets: Mapping[str, tuple[str | None, str]]
    resolves: Callable[[str, str], str | None]
    names: Mapping[str, str] = field(default_factory=dict)


def relink(source: str, change: Relink) -> str:
    """``source`` with every role that names one of the old ids rewritten.

    Entity roles whose target is the old id (``Shown <old-id>``, or the bare id) get the
    new id (and the role of its kind); a role naming the entity by a name keeps it when
    the kind stays (the name is an alias now), and loses its link when unlinking.
    Quotation speakers (``speaker=`` in a ``{quote}`` role, ``:speaker:`` of a quote
    block) are renamed, or become ``unnamed=`` the name when unlinking.
    """
    out: list[str] = []
    cursor = 0
    for match in ROLE_RE.finditer(source):
        rewritten = _rewrite_role(source, match, change)
        if rewritten is None:
            continue
        out.append(source[cursor:match.start()])
        out.append(rewritten)
        cursor = match.end()
    out.append(source[cursor:])
    return _rewrite_speaker_options("".join(out), change)


def _rewrite_role(source: str, match: re.Match[str], change: Relink) -> str | None:
    name, content = match.group("name"), match.group("content")
    fence = match.group("fence")
    inner = content[1:] if content.startswith(" `") else content
    if name == "quote":
        speaker = parse_attributes(inner)[1].get("speaker", "")
        entity = change.resolves(speaker, "") if speaker else None
        if entity is None or entity not in change.targets:
            return None
        new = _speaker_attribute(change.names.get(entity, speaker), change.targets[entity][0])
        rewritten = re.sub(r"(?<![\w-])speaker\s*=\s*[^;>]*", lambda _: new, content, count=1)
        return f"{{quote}}{fence}{rewritten}{fence}"
    kind = ENTITY_ROLES.get(name)
    if kind is None:
        return None
    _, shown, target = split_explicit_title(inner)
    entity = change.resolves(target.strip(), kind)
    if entity is None or entity not in change.targets:
        return None
    new_id, new_kind = change.targets[entity]
    if new_id is None:
        at_line_start = match.start() == 0 or source[match.start() - 1] == "\n"
        return escape_text(shown, line_start=at_line_start)
    if target.strip() != entity and new_kind == kind:
        return None  # named by a name that stays the entity's (an alias now)
    return role_markup(ROLE_FOR_KIND[new_kind], f"{shown} <{new_id}>")


def _speaker_attribute(speaker: str, new_id: str | None) -> str:
    return f"speaker={new_id}" if new_id is not None else f"unnamed={attribute_value(speaker)}"


def _rewrite_speaker_options(text: str, change: Relink) -> str:
    def replace(match: re.Match[str]) -> str:
        value = match.group("value").strip()
        entity = change.resolves(value, "")
        if entity is None or entity not in change.targets:
            return match.group(0)
        new_id = change.targets[entity][0]
        if new_id is not None:
            return f"{match.group('indent')}:speaker: {new_id}"
        return f"{match.group('indent')}:unnamed: {attribute_value(change.names.get(entity, value))}"

    return re.sub(r"^(?P<indent>[ \t]*):speaker:(?P<value>[^\n]*)$", replace, text,
                  flags=re.MULTILINE)


def page_files(srcdir: Path) -> list[Path]:
    """The book's MyST pages, in a stable order (build output and hidden folders left out)."""
    found = []
    for path in srcdir.rglob("*.md"):
        parts = path.relative_to(srcdir).parts
        if any(p.startswith((".", "_build")) for p in parts):
            continue
        found.append(path)
    return sorted(found)
