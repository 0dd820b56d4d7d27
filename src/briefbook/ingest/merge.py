"""Three-way merge of a page's lines: the analyst's edits and the article's update together.

``--update`` re-renders an article whose text changed, but the page on disk is the
analyst's by now: links added, quotes attributed, a paragraph cut, a claim written under
it.  Overwriting loses that work and refusing leaves the page stale, so the page is merged
the way version control merges a file: *base* is the page as ingest last wrote it (kept
under ``.briefbook/ingested/``), *ours* the page now, *theirs* the new render.  A stretch
only one side changed takes that side's lines, so an analyst's edit survives byte for byte
and the article's change lands around it; a stretch both changed, differently, is a
conflict, and the caller writes nothing for that page (fail closed).

Ingest writes one paragraph per line with blank lines between, so a line is a paragraph
block and two edits in different paragraphs never touch.  The algorithm is diff3's
(Khanna, Kunal and Pierce, "A formal investigation of diff3", 2007): lines that match in
all three versions are stable; between them, each unstable chunk is resolved as above.
Two refinements keep neighbouring edits apart: lines one side only added before or after
lines the other side changed go beside that change, and a chunk both sides changed with
as many lines on each side is merged line by line.  Front matter is merged key by key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

#: Markers of a conflict in the file left for the analyst, as version control writes them.
OURS_MARK = "<<<<<<< the page now (your edits)"
BASE_MARK = "||||||| the page as ingest last wrote it"
SPLIT_MARK = "======="
THEIRS_MARK = ">>>>>>> the page the article gives now"


@dataclass(frozen=True)
class Conflict:
    """Lines both sides changed: ``first``–``last`` of the page now (1-based; ``last`` is
    ``first - 1`` when the analyst deleted them: the conflict sits before line ``first``)."""

    first: int
    last: int

    def describe(self) -> str:
        if self.last < self.first:
            return f"before line {self.first}"
        return f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"


@dataclass
class Merged:
    """The merge: ``text`` when there is no conflict; else ``marked``, the page with each
    conflict between markers, for the analyst to resolve."""

    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    marked: str = ""

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    """Base line index → the index of the same line in ``other`` (longest matching)."""
    found: dict[int, int] = {}
    for block in SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = block.b + offset
    return found


def _resolve(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """One unstable chunk: the lines it becomes, or None when both sides changed it."""
    if ours == base:
        return theirs
    if theirs == base or ours == theirs:
        return ours
    if base:
        # One side kept the lines and only added some before or after them (an analyst's
        # note after a paragraph the article then changed): the addition goes beside the
        # other side's change.  Not when the other side kept them too: two additions at
        # one place are a conflict.
        size = len(base)
        for mine, other in ((ours, theirs), (theirs, ours)):
            if other[:size] == base or other[-size:] == base:
                continue
            if mine[:size] == base:
                return other + mine[size:]
            if mine[-size:] == base:
                return mine[:-size] + other
    if len(base) == len(ours) == len(theirs) > 1:
        lines = [_resolve([b], [o], [t]) for b, o, t in zip(base, ours, theirs, strict=True)]
        if all(line is not None for line in lines):
            return [text for line in lines if line is not None for text in line]
    return None


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> Merged:
    """diff3 on lists of lines (each with its line end)."""
    to_ours, to_theirs = _matches(base, ours), _matches(base, theirs)
    out: list[str] = []
    marked: list[str] = []
    conflicts: list[Conflict] = []
    o = a = b = 0
    while o < len(base) or a < len(ours) or b < len(theirs):
        stable = 0
        while (o + stable < len(base) and to_ours.get(o + stable) == a + stable
               and to_theirs.get(o + stable) == b + stable):
            stable += 1
        if stable:
            out += base[o:o + stable]
            marked += base[o:o + stable]
            o, a, b = o + stable, a + stable, b + stable
            continue
        sync = next((i for i in range(o, len(base)) if i in to_ours and i in to_theirs), None)
        o2, a2, b2 = ((sync, to_ours[sync], to_theirs[sync]) if sync is not None
                      else (len(base), len(ours), len(theirs)))
        chunk = _resolve(base[o:o2], ours[a:a2], theirs[b:b2])
        if chunk is None:
            conflicts.append(Conflict(a + 1, a2))
            out += ours[a:a2]
            marked += _markers(ours[a:a2], base[o:o2], theirs[b:b2])
        else:
            out += chunk
            marked += chunk
        o, a, b = o2, a2, b2
    return Merged("".join(out), conflicts, "".join(marked) if conflicts else "")


def _line(text: str) -> str:
    return text + "\n"


def _ended(lines: list[str]) -> list[str]:
    """Lines as they go between markers: the last one ended, so a marker starts a line."""
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


def merge_text(base: str, ours: str, theirs: str) -> Merged:
    """diff3 on a page: its front matter key by key (:func:`merge_front_matter`), the rest
    line by line.  A page whose editor saved it with CRLF line ends is merged as CRLF
    throughout, so the line ends alone are not every line changed."""
    if "\r\n" in ours and ours.count("\r\n") == ours.count("\n"):
        base, theirs = (text.replace("\r\n", "\n").replace("\n", "\r\n") for text in (base, theirs))
    base_parts, our_parts, their_parts = (_split_front(text) for text in (base, ours, theirs))
    if base_parts is None or our_parts is None or their_parts is None:
        return merge_lines(base.splitlines(keepends=True), ours.splitlines(keepends=True),
                           theirs.splitlines(keepends=True))
    (_, base_keys, base_rest), (opening, our_keys, our_rest) = base_parts, our_parts
    _, their_keys, their_rest = their_parts
    front = merge_front_matter(base_keys, our_keys, their_keys, first_line=2)
    offset = len(opening) + len(our_keys)
    rest = merge_lines(base_rest, our_rest, their_rest)
    conflicts = front.conflicts + [Conflict(c.first + offset, c.last + offset)
                                   for c in rest.conflicts]
    head = "".join(opening)
    marked = ""
    if conflicts:
        marked = (head + (front.marked or front.text)
                  + (rest.marked or rest.text))
    return Merged(head + front.text + rest.text, conflicts, marked)


_KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:")


def _split_front(text: str) -> tuple[list[str], list[str], list[str]] | None:
    """A page as (opening ``---``, front matter lines, the closing ``---`` and the rest)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None
    for number in range(1, len(lines)):
        if lines[number].rstrip("\r\n") == "---":
            return lines[:1], lines[1:number], lines[number:]
    return None


def _key_blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Front matter as (top-level key, its lines): a key's indented or list lines and any
    comment after it go with it."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        match = _KEY_LINE.match(line)
        if match or not blocks:
            blocks.append((match.group(1) if match else "", [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def merge_front_matter(base: list[str], ours: list[str], theirs: list[str],
                       first_line: int = 1) -> Merged:
    """Three-way merge of front matter key by key: the keys of a mapping have no order
    that matters, so the analyst's ``tags:`` and ingest's new ``date:`` never collide,
    while both changing ``date:`` differently is a conflict.  A key ingest adds goes
    after the key it follows in the new render.  ``first_line``: the page line of
    ``ours[0]``, for the conflicts' line numbers."""
    before = dict(_key_blocks(base))
    after = dict(_key_blocks(theirs))
    mine = _key_blocks(ours)
    # (key, its lines in the merge, its lines in the marked copy)
    result: list[tuple[str, list[str], list[str]]] = []
    conflicts: list[Conflict] = []
    line = first_line
    for name, lines in mine:
        old, new = before.get(name), after.get(name)
        if lines == old:
            if new is not None:
                result.append((name, new, new))
        elif new in (old, lines):
            result.append((name, lines, lines))
        else:
            conflicts.append(Conflict(line, line + len(lines) - 1))
            result.append((name, lines, _markers(lines, old or [], new or [])))
        line += len(lines)
    present = {name for name, _ in mine}
    previous = ""
    for name, lines in _key_blocks(theirs):
        old = before.get(name)
        if name in present or old == lines:
            pass  # merged above, or removed by the analyst and unchanged by the article
        elif old is None:  # new in the article: after the key it follows there
            at = next((i + 1 for i, item in enumerate(result) if item[0] == previous), len(result))
            result.insert(at, (name, lines, lines))
        else:  # the analyst removed a key the article changes
            conflicts.append(Conflict(line, line - 1))
            result.append((name, [], _markers([], old, lines)))
        previous = name
    text = "".join(text for _, lines, _ in result for text in lines)
    marked = "".join(text for _, _, lines in result for text in lines)
    return Merged(text, conflicts, marked if conflicts else "")


def _markers(ours: list[str], base: list[str], theirs: list[str]) -> list[str]:
    """One conflict between markers, as version control writes it."""
    return [_line(OURS_MARK), *_ended(ours), _line(BASE_MARK), *_ended(base),
            _line(SPLIT_MARK), *_ended(theirs), _line(THEIRS_MARK)]


def has_markers(text: str) -> bool:
    """Whether a conflict marker of :func:`merge_lines` is left in ``text``."""
    return any(line.rstrip("\r\n") in (OURS_MARK, BASE_MARK, SPLIT_MARK, THEIRS_MARK)
               for line in text.splitlines())
