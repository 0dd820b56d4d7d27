"""The one decision of a file's marking, as MyST and Sphinx read it.

A release leaves out every page marked above its level. Which pages those are must be
decided exactly as the full edition reads their markings, or the two can disagree, and
whatever a scan misses is published: a front-matter fence of four dashes that MyST
accepts and a regular expression does not, a hidden file that Sphinx reads and a walk
skips, a file name that a glob pattern does not match. So this module decides from what
the parsers themselves read:

* **the files**: every document Sphinx's own project discovery finds, with the book's
  ``source_suffix``, ``exclude_patterns``, ``include_patterns`` and ``templates_path``
  (hidden files and odd names included), each known by its docname;
* **a Markdown page**: its front matter as MyST's parser delimits it (the markdown-it
  ``front_matter`` rule MyST's own parser runs: three or more dashes, text after the
  opening fence, an indented or ``...`` close, any length), loaded with ``yaml.safe_load``
  as MyST loads it, its ``marking`` turned to text as MyST hands it to Sphinx;
* **an rST page**: the ``:marking:`` field of the field list that opens it, which
  docutils makes the document's metadata;
* **the level**: the marking scheme's (``TLP:RED``, an alias, any case), raised to the
  book's own marking, which is the floor of every page.

It fails closed: a file that cannot be read or decoded, front matter that does not parse
or that MyST does not read at all although the page opens with a fence, a marking the
scheme does not define, ``marking`` given twice or spelt otherwise (``Marking``), is a
*problem*; a release leaves that page out and fails, naming the file and line. The
release build (:mod:`.release`), ``briefbook export``, ``briefbook pdf`` and
``briefbook check`` all decide with :class:`Reading`, and report a problem in the same
words, so none of them can disagree with another.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from briefbook.book.page_encoding import undecodable
from briefbook.editions import markings
from briefbook.editions.markings import TLP_2_0, MarkingError, Scheme

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from sphinx.application import Sphinx

    from briefbook.editions.markings import Level

#: What a release says it does with a page it cannot decide (the same words everywhere).
LEFT_OUT = "every release leaves the page out"
#: The key MyST passes on as the page's marking.
KEY = "marking"
#: Errors ``yaml.safe_load`` raises on bad input, as MyST catches them.
YAML_ERRORS = (yaml.YAMLError, ValueError, RecursionError)
_RST_FIELD = re.compile(r"^:((?:\\.|[^:\\])+):(?:[ \t]+(.*))?$")


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown page's front matter as MyST's parser delimits it."""

    content: str
    #: The file line (1-based) of the first line of ``content``.
    first_line: int


@dataclass(frozen=True)
class Decision:
    """A file's marking: its level (None: unmarked, so the book's), or the problem that
    keeps it out of every release."""

    path: Path
    #: The marking as the parser hands it to Sphinx ('' when the file has none).
    text: str = ""
    level: Level | None = None
    #: The line of the marking, or of the problem (1-based).
    line: int = 1
    #: ``BB601``/``BB607`` and the message, when the marking cannot be determined.
    code: str = ""
    problem: str = ""
    #: The file cannot be read or decoded (Sphinx 9 would stop on it: every build leaves
    #: it out).
    unreadable: bool = False

    @property
    def message(self) -> str:
        """``BBnnn …``: the problem as every command reports it."""
        return f"{self.code} {self.problem}" if self.problem else ""

    def above(self, level: Level) -> bool:
        """Left out of an edition released at ``level``: marked above it, or undecided."""
        return bool(self.problem) or (self.level is not None and self.level > level)


@dataclass(frozen=True)
class Reading:
    """How a book's files are read: the scheme, the book's floor, the encoding, the
    parser of each suffix, and MyST's own Markdown parser."""

    scheme: Scheme
    book: Level | None
    encoding: str
    filetypes: Mapping[str, str]
    markdown: MarkdownIt | None

    # --- where the settings come from ---------------------------------------------------

    @classmethod
    def of_app(cls, app: Sphinx) -> Reading:
        """Inside a build (from ``builder-inited`` on): Sphinx's settings, MyST's parser."""
        config = app.config
        myst = getattr(app.env, "myst_config", None)
        return cls(markings.scheme_of(config), markings.book_level(config),
                   str(config.source_encoding or "utf-8-sig"),
                   dict(config.source_suffix or {}),
                   _markdown_parser(myst) if myst is not None else None)

    @classmethod
    def of_conf(cls, conf: Mapping[str, Any]) -> Reading:
        """Outside a build (``briefbook pdf``): ``conf.py``'s values, completed as Sphinx
        and MyST complete them. Raises :class:`MarkingError` for a bad scheme."""
        scheme = Scheme.from_config(conf.get("briefbook_marking_scheme") or TLP_2_0)
        book_text = str(conf.get("briefbook_marking") or "").strip()
        return cls(scheme, scheme.level(book_text) if book_text else None,
                   str(conf.get("source_encoding") or "utf-8-sig"), filetypes_of(conf),
                   _markdown_parser(_myst_config(conf)))

    # --- deciding ------------------------------------------------------------------------

    def filetype(self, path: Path | str) -> str | None:
        """The parser Sphinx reads the file with (``markdown``, ``restructuredtext``…)."""
        name = str(path)
        for suffix, filetype in self.filetypes.items():
            if name.endswith(suffix):
                return filetype or "restructuredtext"
        return None

    def decide(self, path: Path, text: str | None = None) -> Decision:
        """The marking of the page at ``path`` (``text``: its content, when already read)."""
        if text is None:
            try:
                text = read_text(path, self.encoding)
            except UnreadableError as exc:
                found = undecodable(path) if exc.decoding else None
                if found is not None:
                    # The same words as a build that meets the bytes (BB508): what the
                    # file looks like, where, and that no build reads it.
                    return Decision(path, line=found[0], code="BB508", unreadable=True,
                                    problem=f"page is not UTF-8 text ({found[1]}): its marking "
                                            f"cannot be determined; every build leaves it out")
                return Decision(path, line=exc.line, code="BB607", unreadable=True,
                                problem=f"{exc}: its marking cannot be determined; {LEFT_OUT}")
        filetype = self.filetype(path)
        if filetype == "markdown":
            return self._decide_markdown(path, text)
        if filetype == "restructuredtext":
            return self._decide_rst(path, text)
        return Decision(path, code="BB607",
                        problem=f"a page of type '{filetype}': briefbook cannot tell its marking "
                                f"before reading it; {LEFT_OUT}")

    def decide_included(self, path: Path, text: str | None = None) -> Decision:
        """The marking of a file a page includes: a page's decision for a page's suffix;
        for any other text file, front matter if it opens with some (a ``.txt`` included
        as Markdown), else unmarked."""
        if self.filetype(path) is not None:
            return self.decide(path, text)
        if text is None:
            try:
                text = read_text(path, self.encoding)
            except UnreadableError:
                return Decision(path)  # not text: nothing in it can carry a marking
        if front_matter(text, self.markdown) is None:
            return Decision(path)
        return self._decide_markdown(path, text)

    def level_of(self, text: str) -> Level:
        """A marking's level, raised to the book's floor (MarkingError if unknown)."""
        level = self.scheme.level(text)
        return max(level, self.book) if self.book is not None else level

    def _judged(self, path: Path, text: str, line: int, where: str) -> Decision:
        if not text:
            return Decision(path, level=self.book, line=line)
        try:
            return Decision(path, text, self.level_of(text), line)
        except MarkingError as exc:
            return Decision(path, text, None, line, "BB601", f"{exc} {where}")

    def _decide_markdown(self, path: Path, text: str) -> Decision:
        found = front_matter(text, self.markdown)
        if found is None:
            first = next((line for line in _lines(text) if line.strip()), "")
            if first.lstrip("\ufeff \t").startswith("---") and self.markdown is not None:
                return Decision(path, code="BB607", problem=(
                    "the page opens with '---' but MyST reads no front matter from it (the "
                    "fence must open on the very first line and close with a line of at "
                    "least as many dashes, or '...'), so its marking cannot be determined; "
                    f"{LEFT_OUT}"))
            return Decision(path, level=self.book)
        try:
            data = yaml.safe_load(found.content)
            root = yaml.compose(found.content, Loader=yaml.SafeLoader)
        except YAML_ERRORS as exc:
            mark = getattr(exc, "problem_mark", None)
            line = found.first_line + (mark.line if mark is not None else 0)
            reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
            return Decision(path, line=line, code="BB607", problem=(
                f"the front matter is not valid YAML ({reason}), so the page's marking cannot "
                f"be determined; {LEFT_OUT}"))
        if not isinstance(data, dict):
            if data is None:
                return Decision(path, level=self.book)
            return Decision(path, line=found.first_line, code="BB607", problem=(
                "the front matter is not a YAML mapping, so the page's marking cannot be "
                f"determined; {LEFT_OUT}"))
        keys = _marking_keys(root)
        lines = [found.first_line + node.start_mark.line for node in keys if node.value == KEY]
        if len(lines) > 1:
            return Decision(path, line=lines[1], code="BB607", problem=(
                f"'{KEY}' is given {len(lines)} times in the front matter (lines "
                f"{', '.join(map(str, lines))}), so the page's marking cannot be determined; "
                f"{LEFT_OUT}"))
        for node in keys:
            if node.value != KEY:
                return Decision(path, line=found.first_line + node.start_mark.line, code="BB607",
                                problem=(f"'{node.value}' is not read as the page's marking "
                                         f"(write '{KEY}:'), so its marking cannot be "
                                         f"determined; {LEFT_OUT}"))
        if KEY not in data:
            return Decision(path, level=self.book)
        return self._judged(path, field_text(data[KEY]).strip(), lines[0] if lines else
                            found.first_line, "in the front matter")

    def _decide_rst(self, path: Path, text: str) -> Decision:
        fields = rst_fields(text)
        named = [(name, value, line) for name, value, line in fields if _is_marking_key(name)]
        if len(named) > 1:
            return Decision(path, line=named[1][2], code="BB607", problem=(
                f"'{KEY}' is given {len(named)} times in the page's field list (lines "
                f"{', '.join(str(n[2]) for n in named)}), so its marking cannot be "
                f"determined; {LEFT_OUT}"))
        if not named:
            return Decision(path, level=self.book)
        name, value, line = named[0]
        if name != KEY:
            return Decision(path, line=line, code="BB607", problem=(
                f"'{name}' is not read as the page's marking (write ':{KEY}:'), so its "
                f"marking cannot be determined; {LEFT_OUT}"))
        return self._judged(path, value.strip(), line, "in the field list")


# --- reading a file as Sphinx reads it ---------------------------------------------------------


class UnreadableError(Exception):
    """A file that cannot be read, or decoded as the book's ``source_encoding``."""

    def __init__(self, message: str, line: int = 1, decoding: bool = False) -> None:
        super().__init__(message)
        self.line = line
        #: The bytes are there but are not text in the book's encoding.
        self.decoding = decoding


def read_text(path: Path, encoding: str) -> str:
    """The file's text as Sphinx decodes it, but strictly: where Sphinx would replace an
    undecodable byte and read on, a decision cannot be taken on a guess."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableError(f"cannot read the file ({exc.strerror or exc})") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        shown = "UTF-8" if encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "utf8") \
            else encoding
        raise UnreadableError(f"the file is not {shown} text (byte {exc.start + 1})",
                              line, decoding=shown == "UTF-8") from None
    except LookupError:
        raise UnreadableError(f"source_encoding '{encoding}' is not an encoding") from None


def _lines(text: str) -> list[str]:
    """Lines as markdown-it splits them (``\\r\\n`` and ``\\r`` are line ends; other
    characters ``str.splitlines`` would split on are not)."""
    return re.split(r"\r\n?|\n", text)


# --- Markdown: MyST's own reading -----------------------------------------------------------------


def _myst_config(conf: Mapping[str, Any]) -> Any:
    """MyST's parser settings from ``conf.py``'s ``myst_*`` values, as MyST builds them
    (defaults where one is invalid: the build reports it)."""
    from myst_parser.config.main import MdParserConfig

    values = {name: conf[f"myst_{name}"] for name, _, _ in MdParserConfig().as_triple()
              if f"myst_{name}" in conf}
    try:
        return MdParserConfig(**values)
    except (TypeError, ValueError):
        return MdParserConfig()


def _markdown_parser(myst_config: Any) -> MarkdownIt:
    """MyST's own markdown-it parser for these settings (the one that reads the pages)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(myst_config, RendererHTML)


def front_matter(text: str, md: MarkdownIt | None) -> FrontMatter | None:
    """The front matter MyST's parser finds in ``text``, or None.

    The block rules run as markdown-it runs them on the first line; when ``front_matter``
    is the first of them (MyST's parser), it alone decides whether line 0 opens front
    matter and where it ends, so only it is run (the rest of the page is not parsed).
    """
    if md is None:
        return None
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import normalize
    from markdown_it.rules_core.state_core import StateCore
    from markdown_it.token import Token

    names = md.block.ruler.get_active_rules()
    if "front_matter" not in names:
        return None
    core = StateCore(text, md, {})
    normalize(core)
    tokens: list[Token] = []
    if names[0] == "front_matter":
        state = StateBlock(core.src, md, {}, tokens)
        if not md.block.ruler.getRules("")[0](state, 0, state.lineMax, False):
            return None
    else:
        md.block.parse(core.src, md, {}, tokens)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        return None
    return FrontMatter(tokens[0].content, tokens[0].map[0] + 2)


def field_text(value: Any) -> str:
    """A front-matter value as MyST passes it to Sphinx's metadata: scalars as ``str``,
    anything else as JSON (so ``marking:`` with no value is ``null``)."""
    import datetime as dt

    if isinstance(value, str | int | float | dt.date):
        return str(value)
    try:
        text = json.dumps(value, default=str)
    except (ValueError, TypeError, RecursionError):
        text = repr(type(value))
    return text if len(text) <= 200 else text[:200] + "…"


def _is_marking_key(name: Any) -> bool:
    """``marking`` however it is spelt: case, width, spaces, invisible characters."""
    if not isinstance(name, str):
        return False
    folded = unicodedata.normalize("NFKC", name)
    folded = "".join(c for c in folded if unicodedata.category(c)[0] not in "CZ" and c not in "-_")
    return folded.casefold() == KEY


def _marking_keys(root: Any) -> list[Any]:
    """The top-level keys of the front matter that spell ``marking`` in any way, with
    those that YAML merge keys (``<<: *defaults``) bring in."""
    if not isinstance(root, yaml.MappingNode):
        return []
    found = []
    for key, value in root.value:
        if key.tag == "tag:yaml.org,2002:merge":
            merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for mapping in merged:
                found.extend(_marking_keys(mapping))
        elif isinstance(key, yaml.ScalarNode) and _is_marking_key(key.value):
            found.append(key)
    return found


# --- reStructuredText: the field list that becomes the page's metadata -----------------------


def rst_fields(text: str) -> list[tuple[str, str, int]]:
    """The fields (name, text, line) of the field list that opens an rST page, after
    comments, targets and substitution definitions: docutils makes it the document's
    metadata. A field's text is its lines joined (inline markup left as written, so a
    marking written with markup is not a level: it fails closed)."""
    lines = _lines(text)
    index = 0
    while index < len(lines):  # explicit markup blocks and blank lines before the fields
        line = lines[index]
        if not line.strip():
            index += 1
        elif line.startswith(".."):
            index += 1
            while index < len(lines) and (not lines[index].strip() or lines[index][:1] in " \t"):
                index += 1
        else:
            break
    fields: list[tuple[str, str, int]] = []
    while index < len(lines):
        found = _RST_FIELD.match(lines[index])
        if found is None:
            break
        start, body = index, [found.group(2) or ""]
        index += 1
        while index < len(lines) and lines[index][:1] in " \t" and lines[index].strip():
            body.append(lines[index].strip())
            index += 1
        fields.append((found.group(1), " ".join(part for part in body if part), start + 1))
        following = index
        while following < len(lines) and not lines[following].strip():
            following += 1
        if following == index or following >= len(lines) or not _RST_FIELD.match(lines[following]):
            break
        index = following
    return fields


# --- the files Sphinx reads --------------------------------------------------------------------


def filetypes_of(conf: Mapping[str, Any]) -> dict[str, str]:
    """``source_suffix`` as Sphinx completes it: a string or list means reST unless an
    extension claims the suffix; MyST (``myst_parser``, or an extension that loads it,
    such as briefbook) claims ``.md``."""
    value = conf.get("source_suffix")
    if isinstance(value, str):
        suffixes = {value: "restructuredtext"}
    elif isinstance(value, list | tuple):
        suffixes = dict.fromkeys((str(s) for s in value), "restructuredtext")
    elif isinstance(value, dict):
        suffixes = {str(k): str(v or "restructuredtext") for k, v in value.items()}
    else:
        suffixes = {".rst": "restructuredtext"}
    extensions = [str(e) for e in conf.get("extensions") or []]
    if any(e.split(".")[0] in ("myst_parser", "briefbook") for e in extensions) and (
            suffixes.get(".md", "restructuredtext") == "restructuredtext"):
        suffixes[".md"] = "markdown"
    return suffixes


def book_files(srcdir: Path, conf: Mapping[str, Any], suffixes: Mapping[str, str],
               also_exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """Every document Sphinx would read (docname → file), found by Sphinx's own project
    discovery with the book's patterns (``templates_path`` and ``also_exclude``, e.g. a
    builder's asset folders, are left out as Sphinx leaves them out)."""
    from sphinx.project import Project

    project = Project(srcdir, list(suffixes))
    exclude = [*(conf.get("exclude_patterns") or []), *(conf.get("templates_path") or []),
               *also_exclude]
    include = list(conf.get("include_patterns") or ["**"])
    docnames = project.discover(exclude, include)
    return {docname: Path(project.doc2path(docname, absolute=True)) for docname in sorted(docnames)}
