"""The hand-annotated corpus: ``<stem>.gold.yaml`` files (format: ``tests/corpus/README.md``).

Annotators edit these files by hand, so a bad one is reported with its path and YAML
line (:class:`GoldError`) and skipped, never a traceback; :func:`verbatim_problems`
checks that every annotated form and quotation stands in the article as written.
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from briefbook.evaluation.names import name_keys

TYPES: tuple[str, ...] = ("person", "place", "organization")
#: Article files a gold file may annotate, in the order they are looked for.
ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm")
GOLD_SUFFIX = ".gold.yaml"


class GoldError(Exception):
    """A gold file that cannot be used; the message names the file and YAML line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class _Map(dict[Any, Any]):
    """A YAML mapping that remembers where it and each of its keys were written."""

    line: int = 0
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    """A YAML sequence that remembers where each of its items was written."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps line numbers (so messages can point at them) and refuses
    duplicate keys (YAML silently keeps the last one, hiding an annotation)."""


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


@dataclass(frozen=True)
class GoldEntity:
    """One person, place or organisation the article names, with every form it uses."""

    name: str
    type: str
    forms: tuple[str, ...]
    line: int = 0

    @property
    def keys(self) -> set[str]:
        return name_keys((self.name, *self.forms), self.type == "person")


@dataclass(frozen=True)
class GoldQuote:
    """A quotation: its first words, and who said it (a canonical name) or how the
    article describes the source when it names no one."""

    text: str
    speaker: str | None
    description: str | None
    line: int = 0


@dataclass
class GoldArticle:
    """One annotated article: the gold file's content and the article file it describes."""

    stem: str
    gold_path: Path
    article_path: Path
    title: str
    date: dt.date | None
    publisher: str
    author: str | None
    url: str | None
    licence: str | None
    retrieved: str | None
    attribution: str | None = None
    excerpt: bool = False
    layout: str | None = None
    entities: list[GoldEntity] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: ``metadata`` for a page annotated for its metadata and text bounds only (no
    #: entities or quotes: their scores would mean nothing); None for a full annotation.
    scope: str | None = None
    #: The people who wrote it, in byline order (None: not annotated; []: no person).
    authors: list[str] | None = None
    #: The first words of the article's first and last paragraphs (web pages).
    first_paragraph: str | None = None
    last_paragraph: str | None = None
    #: Strings on the page that are not article text: none may be in a paragraph.
    boilerplate: list[str] = field(default_factory=list)

    @property
    def metadata_only(self) -> bool:
        return self.scope == "metadata"

    def entity(self, name: str) -> GoldEntity | None:
        return next((e for e in self.entities if e.name == name), None)


_TOP_KEYS = frozenset({"source", "layout", "title", "date", "publisher", "author", "entities",
                       "quotes", "notes", "scope", "authors", "first_paragraph",
                       "last_paragraph", "boilerplate"})
SCOPES: tuple[str, ...] = ("full", "metadata")
_SOURCE_KEYS = frozenset({"url", "licence", "license", "attribution", "retrieved", "excerpt"})
_ENTITY_KEYS = frozenset({"name", "type", "forms", "notes"})
_QUOTE_KEYS = frozenset({"text", "speaker", "description", "notes"})


class _Fields:
    """Typed access to a gold file's YAML with file:line messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

    def error(self, message: str, line: int | None = None) -> GoldError:
        return GoldError(str(self.path), message, line)

    def line_of(self, mapping: _Map, key: str) -> int:
        if not isinstance(mapping, _Map):
            return 0
        return getattr(mapping, "key_lines", {}).get(key, mapping.line)

    def mapping(self, value: Any, what: str, line: int) -> _Map:
        if not isinstance(value, _Map):
            raise self.error(f"{what} must be a mapping (key: value lines)", line)
        return value

    def check_keys(self, mapping: _Map, allowed: frozenset[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.warnings.append(f"{self.path}:{self.line_of(mapping, key)}: unknown key "
                                     f"{key!r} in {what} (ignored)")

    def text(self, mapping: _Map, key: str, what: str, required: bool = True,
             nullable: bool = False) -> str | None:
        line = self.line_of(mapping, key)
        if key not in mapping:
            if required:
                raise self.error(f"{what} has no {key!r}", mapping.line)
            return None
        value = mapping[key]
        if value is None:
            if nullable:
                return None
            raise self.error(f"{what}: {key!r} must not be empty (null)", line)
        if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{what}: {key!r} must be a non-empty string, not {value!r}", line)
        return unicodedata.normalize("NFC", value.strip())

    def strings(self, mapping: _Map, key: str, what: str) -> list[str] | None:
        """A list of non-empty strings (None when the key is absent or null)."""
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"{what}: {key!r} must be a list of non-empty strings",
                             self.line_of(mapping, key))
        return [unicodedata.normalize("NFC", v.strip()) for v in value]


def _article_for(gold_path: Path) -> Path | None:
    stem = gold_path.name[: -len(GOLD_SUFFIX)]
    for suffix in ARTICLE_SUFFIXES:
        candidate = gold_path.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def load_gold(path: str | Path) -> GoldArticle:
    """Read and check one gold file; raise :class:`GoldError` naming file and line."""
    path = Path(path)
    stem = path.name[: -len(GOLD_SUFFIX)] if path.name.endswith(GOLD_SUFFIX) else path.stem
    fields = _Fields(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GoldError(str(path), f"not valid UTF-8: {exc.reason}") from None
    except OSError as exc:
        raise GoldError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        data = yaml.load(raw, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise GoldError(str(path), f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise GoldError(str(path), f"invalid YAML: {exc}") from None
    top = fields.mapping(data, "the gold file", 1)
    fields.check_keys(top, _TOP_KEYS, "the gold file")
    article = _article_for(path)
    if article is None:
        raise GoldError(str(path), "no article next to it (expected "
                        + " or ".join(stem + s for s in ARTICLE_SUFFIXES[:2]) + ")")

    source = fields.mapping(top.get("source", _Map()), "'source'", fields.line_of(top, "source"))
    fields.check_keys(source, _SOURCE_KEYS, "'source'")
    retrieved = source.get("retrieved")
    excerpt = source.get("excerpt", False)
    if not isinstance(excerpt, bool):
        raise fields.error("'source': 'excerpt' must be true or false", fields.line_of(source, "excerpt"))

    date = top.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise fields.error(f"'date' must be YYYY-MM-DD or null, not {date!r}",
                               fields.line_of(top, "date")) from None
    elif isinstance(date, dt.datetime):
        date = date.date()
    elif date is not None and not isinstance(date, dt.date):
        raise fields.error(f"'date' must be YYYY-MM-DD or null, not {date!r}", fields.line_of(top, "date"))

    author = top.get("author")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    elif author is not None and not isinstance(author, str):
        raise fields.error("'author' must be a string, a list of names or null",
                           fields.line_of(top, "author"))

    gold = GoldArticle(
        stem=stem, gold_path=path, article_path=article,
        title=fields.text(top, "title", "the gold file") or "",
        date=date,
        publisher=fields.text(top, "publisher", "the gold file") or "",
        author=author,
        url=fields.text(source, "url", "'source'", required=False, nullable=True),
        licence=fields.text(source, "licence", "'source'", required=False, nullable=True)
        or fields.text(source, "license", "'source'", required=False, nullable=True),
        retrieved=str(retrieved) if retrieved not in (None, "") else None,
        attribution=fields.text(source, "attribution", "'source'", required=False, nullable=True),
        excerpt=excerpt,
        layout=fields.text(top, "layout", "the gold file", required=False, nullable=True),
        scope=fields.text(top, "scope", "the gold file", required=False, nullable=True),
        authors=fields.strings(top, "authors", "the gold file"),
        first_paragraph=fields.text(top, "first_paragraph", "the gold file", required=False,
                                    nullable=True),
        last_paragraph=fields.text(top, "last_paragraph", "the gold file", required=False,
                                   nullable=True),
        boilerplate=fields.strings(top, "boilerplate", "the gold file") or [],
    )
    if gold.scope is not None and gold.scope not in SCOPES:
        raise fields.error(f"'scope' must be one of {', '.join(SCOPES)}, not {gold.scope!r}",
                           fields.line_of(top, "scope"))

    entities = top.get("entities", _Seq())
    if entities is None:
        entities = _Seq()
    if not isinstance(entities, list):
        raise fields.error("'entities' must be a list", fields.line_of(top, "entities"))
    seen: dict[str, int] = {}
    for index, item in enumerate(entities):
        line = entities.item_lines[index] if isinstance(entities, _Seq) else 0
        entry = fields.mapping(item, f"entity {index + 1}", line)
        fields.check_keys(entry, _ENTITY_KEYS, f"entity {index + 1}")
        name = fields.text(entry, "name", f"entity {index + 1}") or ""
        kind = entry.get("type")
        if kind not in TYPES:
            raise fields.error(f"entity {name!r}: 'type' must be one of {', '.join(TYPES)}, "
                               f"not {kind!r}", fields.line_of(entry, "type"))
        forms = entry.get("forms")
        if isinstance(forms, str):
            forms = [forms]
        if not isinstance(forms, list) or not forms or not all(
                isinstance(f, str) and f.strip() for f in forms):
            raise fields.error(f"entity {name!r}: 'forms' must be a non-empty list of strings",
                               fields.line_of(entry, "forms"))
        if name in seen:
            raise fields.error(f"entity {name!r} is listed twice (first on line {seen[name]})", line)
        seen[name] = line
        gold.entities.append(GoldEntity(
            name, kind, tuple(unicodedata.normalize("NFC", f.strip()) for f in forms), line))

    quotes = top.get("quotes", _Seq())
    if quotes is None:
        quotes = _Seq()
    if not isinstance(quotes, list):
        raise fields.error("'quotes' must be a list", fields.line_of(top, "quotes"))
    for index, item in enumerate(quotes):
        line = quotes.item_lines[index] if isinstance(quotes, _Seq) else 0
        entry = fields.mapping(item, f"quote {index + 1}", line)
        fields.check_keys(entry, _QUOTE_KEYS, f"quote {index + 1}")
        text = fields.text(entry, "text", f"quote {index + 1}") or ""
        speaker = fields.text(entry, "speaker", f"quote {index + 1}", required=False, nullable=True)
        if speaker is not None and gold.entity(speaker) is None:
            near = [e.name for e in gold.entities if speaker in e.forms]
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise fields.error(f"quote {index + 1}: speaker {speaker!r} is not the name of an "
                               f"entity in 'entities'{hint}", fields.line_of(entry, "speaker"))
        description = fields.text(entry, "description", f"quote {index + 1}", required=False,
                                  nullable=True)
        gold.quotes.append(GoldQuote(text, speaker, description, line))
    gold.warnings = fields.warnings
    return gold


def load_corpus(folder: str | Path) -> tuple[list[GoldArticle], list[GoldError]]:
    """Every gold file in ``folder`` (sorted by name), and the problems of those that fail."""
    golds: list[GoldArticle] = []
    problems: list[GoldError] = []
    for path in sorted(Path(folder).glob(f"*{GOLD_SUFFIX}")):
        try:
            golds.append(load_gold(path))
        except GoldError as exc:
            problems.append(exc)
    return golds, problems


class _TextOnly(HTMLParser):
    """The text of an HTML page (without scripts and styles), for verbatim checks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def article_text(path: Path) -> str:
    """The article's words as one string with whitespace collapsed (HTML: its text)."""
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    if path.suffix.lower() in (".html", ".htm"):
        parser = _TextOnly()
        parser.feed(raw)
        raw = html.unescape("".join(parser.parts))
    return " ".join(raw.split())


def verbatim_problems(gold: GoldArticle) -> list[str]:
    """Forms and quote texts of ``gold`` that its article does not contain word for word.

    Only whitespace may differ (a form can be split over two lines); anything else means
    the annotation cannot be located and would be scored as a miss that is not ingest's.
    """
    text = article_text(gold.article_path)
    problems = []
    for entity in gold.entities:
        for form in entity.forms:
            if " ".join(form.split()) not in text:
                problems.append(f"{gold.gold_path}:{entity.line}: form {form!r} of "
                                f"{entity.name!r} is not in {gold.article_path.name}")
    for quote in gold.quotes:
        if " ".join(quote.text.split()) not in text:
            problems.append(f"{gold.gold_path}:{quote.line}: quote text {quote.text!r} is not in "
                            f"{gold.article_path.name}")
    return problems
