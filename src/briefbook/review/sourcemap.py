"""Where the text Sphinx read from a MyST page sits in the page's own characters.

A doctree says which words a page shows, not which characters of the file wrote them:
``Kim Yong\\-hyun`` is read as "Kim Yong-hyun", ``It's "Seoul" -- really`` becomes
"It’s “Seoul” – really", and the same name may stand once as text and once inside a
role, a code span or a link on the same line.  To change a name in place (and nothing
else) :mod:`briefbook.review.link` needs the exact span of file characters behind each
word it changes.

The page is parsed again here with the very parser myst-parser builds for it (same
configuration, same plugins, the page's own ``myst:`` settings), with one difference:
the inline tokenizer records, for every text token, the file span of each piece of it
(a run of plain characters, a backslash escape, an entity).  A paragraph of the doctree
is then paired with the paragraph token at its line, and its text nodes with the
paragraph's text tokens one by one; every pair must spell the same text (up to the
typographic quotes, dashes and ellipses Sphinx substitutes), or nothing in that
paragraph is mapped.  Anything that is not plain text of a paragraph (roles, code,
links, HTML, math, images, a directive whose body is not MyST) never maps: the caller
is told why, and changes nothing there.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Directives whose body myst-parser reads as MyST (they parse their content as nested
#: Markdown).  Paragraphs inside any other directive (``{eval-rst}`` is reStructuredText,
#: ``{code-block}`` literal text, …) are never mapped.
MYST_BODY_DIRECTIVES = frozenset({
    # briefbook's own
    "claim", "key-judgements", "marking", "event", "pull-quote", "quote",
    # docutils and Sphinx admonitions and containers
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "tip", "warning", "seealso", "todo", "topic", "sidebar", "container", "div",
    "epigraph", "highlights", "versionadded", "versionchanged", "deprecated",
    "versionremoved",
})

#: Characters Sphinx's SmartQuotes (or myst's own ``smartquotes``) puts for a straight
#: quote: English and the other languages' quotation marks and apostrophes.
_QUOTE_MARKS = frozenset("‘’‚‛“”„‟«»‹›'\"")
#: Replacements that take several source characters (``--``, ``---``, ``...``).
_MULTI = {"–": "--", "—": "---", "…": "..."}


class UntraceableError(Exception):
    """The text cannot be traced to the page's characters; the message says why."""


@dataclass(frozen=True)
class Piece:
    """Characters as read (``text``), written as ``source[start:end]`` of the page.

    A plain piece is written as itself; an escape (``\\-``) or an entity (``&amp;``)
    is one piece whose text is shorter than its source.
    """

    text: str
    start: int
    end: int
    plain: bool


@dataclass
class TextRun:
    """One text token of a paragraph (one doctree text node), as its pieces."""

    content: str
    pieces: tuple[Piece, ...] | None  # None: the token's source could not be traced
    softbreak: bool = False  # the line end inside a paragraph (a text node "\n")
    blocked: str = ""  # why its text may not be changed although it is traced

    @property
    def source_text(self) -> str:
        """The run's characters before any typographic substitution."""
        return "".join(p.text for p in self.pieces or ())

    def reads_as(self, shown: str) -> bool:
        """Whether Sphinx's text node ``shown`` is this run's text."""
        if self.softbreak:
            return shown == "\n"
        return self.pieces is not None and align(shown, self.source_text) is not None


@dataclass(frozen=True)
class RoleSpan:
    """A ``{name}`content``` role in the page, at ``source[start:end]``."""

    name: str
    content: str
    start: int
    end: int


@dataclass
class SourceParagraph:
    """A paragraph's plain text runs (in order) and the roles it holds."""

    line: int
    runs: list[TextRun]
    roles: list[RoleSpan] = field(default_factory=list)


# --- the traced parser ---------------------------------------------------------------------

_META = "briefbook_pieces"
_SPAN = "briefbook_span"


def _traced_tokenize(inline: Any, state: Any) -> None:
    """``ParserInline.tokenize``, recording where in ``state.src`` each token came from.

    The loop is markdown-it's own; after each step the tokens it made are annotated:
    the text flushed from the pending buffer with the span where that text started,
    escapes and entities with the span of their source, other tokens with the step's
    span.  A token whose text does not match the source at that span stays untraced.
    """
    rules = inline.ruler.getRules("")
    end = state.posMax
    max_nesting = state.md.options["maxNesting"]
    pending_start: int | None = None if state.pending else -1
    while state.pos < end:
        pos = state.pos
        count = len(state.tokens)
        had_pending = bool(state.pending)
        ok = False
        if state.level < max_nesting:
            for rule in rules:
                ok = rule(state, False)
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        if not ok:
            state.append_pending(state.src[state.pos])
            state.pos += 1
        flushed = _annotate_step(state, count, pos, had_pending, pending_start)
        if not state.pending:
            pending_start = -1
        elif not had_pending or flushed:
            pending_start = pos
        if ok and state.pos >= end:
            break
    if state.pending:
        count = len(state.tokens)
        state.pushPending()
        _annotate_flush(state, state.tokens[count], pending_start)


def _annotate_flush(state: Any, token: Any, pending_start: int | None) -> None:
    content = token.content
    if (pending_start is not None and pending_start >= 0
            and state.src[pending_start:pending_start + len(content)] == content):
        token.meta[_META] = (Piece(content, pending_start, pending_start + len(content), True),)
    else:
        token.meta[_META] = None
    token.meta[_SPAN] = None


def _annotate_step(state: Any, count: int, pos: int, had_pending: bool,
                   pending_start: int | None) -> bool:
    """Annotate the tokens one step made; True when it flushed the pending text."""
    new = [t for t in state.tokens[count:] if _SPAN not in t.meta]
    flushed = False
    if had_pending and new and new[0].type == "text" and new[0] is state.tokens[count]:
        _annotate_flush(state, new[0], pending_start)
        new = new[1:]
        flushed = True
    cursor = pos
    for token in new:
        token.meta[_SPAN] = (pos, state.pos)
        if token.type not in ("text", "text_special"):
            continue
        written = token.markup if token.type == "text_special" else token.content
        if written and state.src[cursor:cursor + len(written)] == written:
            plain = token.content == written
            token.meta[_META] = (Piece(token.content, cursor, cursor + len(written), plain),)
            cursor += len(written)
        else:
            token.meta[_META] = None
    return flushed


def _join_pieces(tokens: Sequence[Any]) -> tuple[Piece, ...] | None:
    pieces: list[Piece] = []
    for token in tokens:
        if token.content == "":
            continue  # a "**" pair's second marker, emptied by the emphasis rule
        own = token.meta.get(_META)
        if own is None:
            return None
        pieces.extend(own)
    return tuple(pieces)


def _traced_fragments_join(original: Callable[[Any], None], state: Any) -> None:
    """markdown-it's ``fragments_join`` keeps the last token of each run of text tokens."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        if tokens[index].type != "text":
            index += 1
            continue
        stop = index
        while stop < len(tokens) and tokens[stop].type == "text":
            stop += 1
        if stop - index > 1:
            tokens[stop - 1].meta[_META] = _join_pieces(tokens[index:stop])
        index = stop
    original(state)


def _traced_text_join(original: Callable[[Any], None], state: Any) -> None:
    """markdown-it's ``text_join`` keeps the first token of each run of text and escapes."""
    for block in state.tokens:
        if block.type != "inline":
            continue
        children = block.children or []
        index = 0
        while index < len(children):
            if children[index].type not in ("text", "text_special"):
                index += 1
                continue
            stop = index
            while stop < len(children) and children[stop].type in ("text", "text_special"):
                stop += 1
            if stop - index > 1:
                children[index].meta[_META] = _join_pieces(children[index:stop])
            index = stop
    original(state)


def traced_parser(config: Any) -> Any:
    """myst-parser's Markdown parser for ``config``, tracing text tokens to the source."""
    from markdown_it.rules_core.text_join import text_join
    from markdown_it.rules_inline.fragments_join import fragments_join
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(config, DocutilsRenderer)
    md.inline.tokenize = functools.partial(  # type: ignore[method-assign]
        _traced_tokenize, md.inline)
    md.inline.ruler2.at("fragments_join", functools.partial(_traced_fragments_join,
                                                            fragments_join))
    md.core.ruler.at("text_join", functools.partial(_traced_text_join, text_join))
    return md


# --- lines of a region, and paragraphs in them ------------------------------------------------


@dataclass(frozen=True)
class _Line:
    offset: int  # where ``text`` starts in the page
    text: str    # a suffix of the page's line (block markers or indentation cut off)


def _split_lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for line in text.split("\n"):
        lines.append(_Line(offset, line))
        offset += len(line) + 1
    return lines


def _suffix_in(line: _Line, part: str) -> int | None:
    """Where ``part`` (a line as the block parser cut it) starts in the page, or None."""
    at = len(line.text.rstrip()) - len(part.rstrip())
    if at < 0 or line.text[at:at + len(part)] != part:
        return None
    return line.offset + at


@dataclass
class _Region:
    """Lines parsed as one Markdown document: the page, or a directive's content."""

    first: int  # the page line (0-based) of lines[0]
    lines: list[_Line]
    directive: str = ""  # the directive it is the content of ("" for the page)
    chain: tuple[str, ...] = ()  # every enclosing directive, outermost first


class MystSource:
    """One page's MyST source, parsed as myst-parser parses it, with traced text.

    ``raw`` is the file's text as stored (a byte-order mark and Windows line ends are
    kept there, and mapped away for parsing); offsets this class returns index ``raw``.
    """

    def __init__(self, raw: str, config: Any) -> None:
        from myst_parser.config.main import TopmatterReadError, merge_file_level, read_topmatter

        self.raw = raw
        self._bom = 1 if raw.startswith("\ufeff") else 0
        text = raw[self._bom:]
        if "\r" in text.replace("\r\n", ""):
            raise UntraceableError("the page has carriage returns that are not line ends")
        self._crlf = [m.start() for m in re.finditer("\r\n", text)]
        self.text = text.replace("\r\n", "\n")
        try:
            topmatter = read_topmatter(self.text)
        except TopmatterReadError:
            topmatter = None
        if topmatter:
            config = merge_file_level(config, topmatter, lambda *_: None)
        self._md = traced_parser(config)
        self._env: dict[str, Any] = {}
        self.tokens = self._md.parse(self.text, self._env)
        self._page = _Region(0, _split_lines(self.text))
        self._cache: dict[int, SourceParagraph] = {}

    # offsets in the parsed text → offsets in the file
    def raw_offset(self, offset: int) -> int:
        import bisect

        # Each "\r\n" before ``offset`` was one character shorter in the parsed text.
        shift = bisect.bisect_left([at - n for n, at in enumerate(self._crlf)], offset)
        return offset + shift + self._bom

    def paragraph(self, line: int) -> SourceParagraph:
        """The paragraph starting at ``line`` (1-based, as docutils counts).

        Raises :class:`UntraceableError` when no single MyST paragraph starts there.
        """
        if line not in self._cache:
            self._cache[line] = self._find(line - 1)
        return self._cache[line]

    def _find(self, index: int) -> SourceParagraph:
        found = _paragraphs_at(self.tokens, index)
        if len(found) == 1:
            return _build(self.tokens, found[0], self._page, 0, index + 1)
        if len(found) > 1:
            raise UntraceableError("several paragraphs start on that line")
        region = self._innermost(index, self._page, self.tokens)
        if region is None:
            opening = _directive_opening(self.tokens, index)
            if opening:
                # ``{note} Text`` on the opening line, or an ``{event}`` that joins its
                # lines into one paragraph placed there.
                raise UntraceableError(f"the {{{opening}}} directive puts this text together "
                                       "from its lines; link it by hand")
            raise UntraceableError("no paragraph of the page's text starts on that line")
        foreign = [name for name in region.chain if name not in MYST_BODY_DIRECTIVES]
        if foreign:
            raise UntraceableError(f"inside a {{{foreign[-1]}}} directive, whose text is "
                                   "not read as MyST")
        # The paragraph as the directive's own parse sees it: from its first line to the
        # end of the directive's content (the options before it are not part of it).
        start = index - region.first
        rest = _Region(index, region.lines[start:], region.directive, region.chain)
        tokens = self._md.parse("\n".join(line.text for line in rest.lines),
                                copy.deepcopy(self._env))
        found = _paragraphs_at(tokens, 0)
        if len(found) != 1:
            raise UntraceableError(f"no paragraph of the {{{region.directive}}} directive's "
                                   "text starts on that line")
        return _build(tokens, found[0], rest, 0, index + 1)

    def _innermost(self, index: int, region: _Region, tokens: Sequence[Any]) -> _Region | None:
        """The innermost directive content holding page line ``index``, if any."""
        for token in tokens:
            name = _directive_name(token)
            if not name:
                continue
            opening = region.first + token.map[0]
            content = token.content.split("\n")
            if content and content[-1] == "":
                content.pop()
            if not opening < index <= opening + len(content):
                continue
            lines = []
            for number, part in enumerate(content):
                parent = opening + 1 + number - region.first
                at = _suffix_in(region.lines[parent], part) if parent < len(region.lines) else None
                if at is None:
                    raise UntraceableError(f"the {{{name}}} directive's lines could not be "
                                           "traced in the page")
                lines.append(_Line(at, part))
            inner = _Region(opening + 1, lines, name, (*region.chain, name))
            nested = self._md.parse("\n".join(line.text for line in lines),
                                    copy.deepcopy(self._env))
            return self._innermost(index, inner, nested) or inner
        return None


def _directive_name(token: Any) -> str:
    if token.type not in ("fence", "colon_fence") or not token.map:
        return ""
    match = re.match(r"\{([^}\s]+)\}", token.info.strip())
    return match.group(1) if match else ""


def _directive_opening(tokens: Sequence[Any], index: int) -> str:
    """The directive whose opening line is page line ``index`` ("" if none)."""
    return next((_directive_name(t) for t in tokens
                 if _directive_name(t) and t.map[0] == index), "")


def _paragraphs_at(tokens: Sequence[Any], index: int) -> list[int]:
    return [i for i, token in enumerate(tokens)
            if token.type == "paragraph_open" and token.map and token.map[0] == index]


def _build(tokens: Sequence[Any], at: int, region: _Region, first: int,
           line: int) -> SourceParagraph:
    """The paragraph whose ``paragraph_open`` is ``tokens[at]``, traced to the page.

    ``first`` is the region line the parsed text started at.
    """
    opening, inline = tokens[at], tokens[at + 1]
    parts = inline.content.split("\n")
    start, stop = opening.map
    if inline.type != "inline" or len(parts) != stop - start:
        raise UntraceableError("the paragraph's lines could not be traced in the page")
    # Where each line of the paragraph's text starts, in the text and in the page.
    starts: list[tuple[int, int]] = []
    offset = 0
    for number, part in enumerate(parts):
        page_at = _suffix_in(region.lines[first + start + number], part)
        if page_at is None:
            raise UntraceableError("the paragraph's lines could not be traced in the page")
        starts.append((offset, page_at))
        offset += len(part) + 1

    def to_page(position: int) -> int:
        for text_at, page_at in reversed(starts):
            if position >= text_at:
                return page_at + position - text_at
        return starts[0][1]

    runs: list[TextRun] = []
    roles: list[RoleSpan] = []
    opaque = 0
    html = 0  # open inline HTML elements: text between <span> and </span> is theirs
    for token in inline.children or []:
        if token.type == "html_inline":
            html = max(0, html + _html_depth(token.content))
            continue
        if token.nesting == 1:
            if opaque or token.type not in ("em_open", "strong_open"):
                opaque += 1
            continue
        if token.nesting == -1:
            if opaque:
                opaque -= 1
            continue
        if opaque:
            continue
        if token.type == "myst_role" and token.meta.get(_SPAN):
            begin, end = token.meta[_SPAN]
            roles.append(RoleSpan(token.meta.get("name", ""), token.content,
                                  to_page(begin), to_page(end)))
        elif token.type == "text":
            pieces = _join_pieces([token])
            traced = None if pieces is None else tuple(
                Piece(p.text, to_page(p.start), to_page(p.end), p.plain) for p in pieces)
            runs.append(TextRun(token.content, traced,
                                blocked="it is inside inline HTML" if html else ""))
        elif token.type == "softbreak":
            runs.append(TextRun("\n", None, softbreak=True))
    return SourceParagraph(line, runs, roles)


_VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input",
                            "link", "meta", "source", "track", "wbr"})


def _html_depth(tag: str) -> int:
    """+1 for an opening element, -1 for a closing one, 0 for void elements and comments."""
    match = re.match(r"<(/?)([A-Za-z][A-Za-z0-9-]*)", tag)
    if match is None or tag.rstrip().endswith("/>") or match.group(2).lower() in _VOID_ELEMENTS:
        return 0
    return -1 if match.group(1) else 1


# --- doctree text ↔ source text ---------------------------------------------------------------


def align(shown: str, written: str) -> list[int] | None:
    """For each position of ``shown`` (and its end), the position in ``written``.

    ``shown`` is text as Sphinx read it, ``written`` the same text before typographic
    substitution: curly quotes and apostrophes for straight ones, dashes for ``--`` and
    ``---``, an ellipsis for ``...``.  None when they are not the same text.
    """
    out = []
    j = 0
    for char in shown:
        out.append(j)
        here = written[j] if j < len(written) else ""
        if here == char or (char in _QUOTE_MARKS and here in ("'", '"')):
            j += 1
        elif char in _MULTI and written.startswith(_MULTI[char], j):
            j += len(_MULTI[char])
        else:
            return None
    out.append(j)
    return out if j == len(written) else None


def doctree_runs(paragraph: Any) -> list[Any]:
    """The paragraph's text nodes outside anything but emphasis, in order.

    These are the nodes :func:`_build`'s runs stand for: text in roles, links, code and
    the like sits in other nodes (and in no run).
    """
    from docutils import nodes

    found: list[Any] = []

    def walk(node: Any) -> None:
        for child in node.children:
            if isinstance(child, nodes.Text):
                found.append(child)
            elif isinstance(child, (nodes.emphasis, nodes.strong)):
                walk(child)

    walk(paragraph)
    return found


def source_span(run: TextRun, shown: str, start: int, end: int) -> tuple[int, int, str]:
    """The page span of ``shown[start:end]`` (``shown`` read from ``run``) and its text
    as written, escapes resolved but before typographic substitution.

    Raises :class:`UntraceableError` when the span does not begin and end on characters of
    the run's source, or crosses anything but plain text and escapes.
    """
    if run.blocked:
        raise UntraceableError(run.blocked)
    if run.pieces is None:
        raise UntraceableError("its text could not be traced in the page")
    written = run.source_text
    positions = align(shown, written)
    if positions is None:
        raise UntraceableError("the page's text differs from what Sphinx read (edited since?)")
    begin, stop = positions[start], positions[end]
    page_start = page_end = None
    cursor = 0
    previous_end = None
    for piece in run.pieces:
        piece_start, piece_stop = cursor, cursor + len(piece.text)
        cursor = piece_stop
        if piece_stop <= begin or piece_start >= stop:
            continue
        if previous_end is not None and piece.start != previous_end:
            raise UntraceableError("the name is not written in one piece")
        previous_end = piece.end
        if piece_start <= begin < piece_stop:
            if begin == piece_start:
                page_start = piece.start
            elif piece.plain:
                page_start = piece.start + begin - piece_start
        if piece_start < stop <= piece_stop:
            if stop == piece_stop:
                page_end = piece.end
            elif piece.plain:
                page_end = piece.start + stop - piece_start
    if page_start is None or page_end is None:
        raise UntraceableError("the name begins or ends inside an escape")
    return page_start, page_end, written[begin:stop]
