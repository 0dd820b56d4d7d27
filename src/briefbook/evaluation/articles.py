"""How good is ingest? Scores ``briefbook ingest`` against the hand-annotated corpus.

``tests/corpus`` holds real articles, each with a ``<stem>.gold.yaml`` annotation (format:
``tests/corpus/README.md``).  This module runs the ingest analysis in-process on every
annotated article (the same code path as ``briefbook ingest --dry-run --json``, but with
one :class:`~briefbook.ingest.pipeline.Context` per registry for the whole corpus, since
building it is the costly part) and compares the JSON contract it produces with the gold:

* recognition, per type: precision and recall of the names ingest finds (linked mentions
  and candidates alike), compared after :func:`normalise_name`, micro-averaged over
  articles, so that a long article weighs more than a short one;
* wrong links: a registry link on text that names someone else, or no one, is the worst
  error ingest can make (the page then says something false), so each one is listed;
* quotes: recall of the gold quotations, speaker accuracy, and misattributions (a quote
  credited to a named speaker who did not say it; again a false statement on the page);
* metadata: title, date and publisher accuracy.

Every article runs twice: with an empty registry (what a new user gets: candidates only)
and with the sample book's registry (``conf/entities``), the headline.  Then the command
ingests the whole corpus as one batch into a new book with ``--add-candidates`` and judges
the stubs it writes (:mod:`.stub_evaluation`: junk, fragments, wrong kinds, duplicates,
stubs outside the registry folder, rejected stubs back after a re-run).  The command line
(``python -m briefbook.evaluation.articles``, ``make eval``) prints one table against the
project's :data:`TARGETS`, and ``--verbose`` lists every miss, false positive, wrong link
and misattribution by article, which is what a developer improving ingest works from.
A bad gold file is reported with its path and YAML line and skipped, never a traceback,
because annotators edit these files by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml

from briefbook.entities.registry import Entity, Registry
from briefbook.entities.registry_cache import registry_for_command
from briefbook.ingest import pipeline
from briefbook.ingest.model import IngestError
from briefbook.ingest.wordlists import words

if TYPE_CHECKING:
    from briefbook.evaluation.stubs import StubScore

TYPES: tuple[str, ...] = ("person", "place", "organization")
#: Article files a gold file may annotate, in the order they are looked for.
ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm")
GOLD_SUFFIX = ".gold.yaml"
DEFAULT_CORPUS = "tests/corpus"
DEFAULT_REGISTRY = "conf/entities"

#: The project's targets.  Rates are minima; the two counts (``misattributions``,
#: ``wrong_links``) are maxima, because each one puts a false statement on a page.
TARGETS: dict[str, float] = {
    "person_recall": 0.9,
    "person_precision": 0.85,
    "place_recall": 0.9,
    "organization_recall": 0.8,
    "quote_recall": 0.9,
    "speaker_accuracy": 0.85,
    "misattributions": 0,
    "wrong_links": 0,
    "title_accuracy": 0.9,
}
#: Metrics that count errors: lower is better and a target is a maximum.
COUNT_METRICS: frozenset[str] = frozenset({"misattributions", "wrong_links"})

#: The rows of the report, in order, with their labels.
METRICS: tuple[tuple[str, str], ...] = (
    ("person_precision", "people: precision"),
    ("person_recall", "people: recall"),
    ("place_precision", "places: precision"),
    ("place_recall", "places: recall"),
    ("organization_precision", "organisations: precision"),
    ("organization_recall", "organisations: recall"),
    ("quote_recall", "quote recall"),
    ("speaker_accuracy", "speaker accuracy"),
    ("misattributions", "misattributions"),
    ("wrong_links", "wrong links"),
    ("title_accuracy", "titles right"),
    ("date_accuracy", "dates right"),
    ("publisher_accuracy", "publishers right"),
)


# --- normalisation ------------------------------------------------------------------------

_QUOTE_MAP = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"', "〝": '"', "〞": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "…": "...", "\u00a0": " ",
})

#: Titles and honorifics that may open a name ("Staff Sgt.", "Secretary of Defense"),
#: compared without dots and case.  A title is dropped only when a capitalised word
#: follows it, so "Secretary of" something lower-case stays intact.
TITLES: tuple[str, ...] = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "rev", "reverend", "father", "sheikh", "sheik", "imam", "rabbi", "pope",
    "king", "queen", "prince", "princess", "crown prince", "emperor", "emir", "sultan",
    "president", "vice president", "president-elect", "premier",
    "prime minister", "deputy prime minister", "chancellor", "vice chancellor",
    "minister", "deputy minister", "foreign minister", "defense minister", "defence minister",
    "interior minister", "finance minister", "defense secretary", "defence secretary",
    "foreign secretary", "home secretary", "press secretary", "deputy press secretary",
    "secretary", "deputy secretary", "under secretary", "undersecretary", "assistant secretary",
    "secretary-general", "secretary general", "secretary of defense", "secretary of state",
    "secretary of the army", "secretary of the navy", "secretary of the air force",
    "deputy secretary of defense", "deputy secretary of state",
    "senator", "sen", "representative", "rep", "congressman", "congresswoman", "speaker",
    "governor", "gov", "mayor", "ambassador", "envoy", "special envoy", "commissioner",
    "chairman", "chairwoman", "chief", "director", "deputy director", "spokesman",
    "spokeswoman", "spokesperson", "adviser", "advisor", "national security adviser",
    "national security advisor", "general", "gen", "lt gen", "lt", "lieutenant",
    "lieutenant general", "maj gen", "maj", "major", "major general", "brig gen",
    "brigadier general", "col", "colonel", "lt col", "lieutenant colonel", "capt", "captain",
    "cmdr", "cdr", "commander", "adm", "admiral", "vice adm", "vice admiral", "rear adm",
    "rear admiral", "sgt", "sergeant", "staff sgt", "master sgt", "sgt maj", "sergeant major",
    "first sgt", "tech sgt", "technical sgt", "cpl", "corporal", "lance cpl", "pfc", "pvt",
    "private", "spc", "specialist", "airman", "senior airman", "petty officer", "ensign",
    "cadet", "marshal", "field marshal", "air marshal", "air chief marshal", "the",
)
#: Words that qualify a title ("Air Force Staff Sgt.", "U.S. Army Gen.", "former
#: President"): dropped only when a title follows, so the organisation "Air Force" or a
#: "U.S. Army" candidate keeps its name.
QUALIFIERS: tuple[str, ...] = (
    "us", "uk", "eu", "un", "army", "navy", "air force", "marine corps", "marine", "space force",
    "coast guard", "national guard", "retired", "ret", "former", "then", "acting", "late",
    "british", "french", "german", "russian", "chinese", "ukrainian", "israeli", "iranian",
    "american", "south korean", "north korean", "korean", "japanese", "indian", "turkish",
)
_TITLE_TOKENS: frozenset[tuple[str, ...]] = frozenset(tuple(t.split()) for t in TITLES)
_QUALIFIER_TOKENS: frozenset[tuple[str, ...]] = frozenset(tuple(t.split()) for t in QUALIFIERS)
_LONGEST_TITLE = max(len(t) for t in _TITLE_TOKENS | _QUALIFIER_TOKENS)

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


#: Words a speaker phrase may open with that name no one by themselves.
PRONOUNS: frozenset[str] = frozenset(words(
    "he she they it we i you his her their its our my your him them us me one this that "
    "these those who which someone somebody"))
_DETERMINERS: frozenset[str] = frozenset(words(
    "the a an this that these those one another some several many two three other "
    "both each every no any its his her their our"))
#: Nouns that describe a source without naming it ("Officials said", "U.S. Officials").
DESCRIPTORS: frozenset[str] = frozenset(words(
    "official officials source sources analyst analysts expert experts authorities diplomat "
    "diplomats resident residents witness witnesses observer observers critic critics officer "
    "officers aide aides lawmaker lawmakers reporter reporters spokesman spokeswoman "
    "spokesperson spokespeople statement report reports people participants leaders members "
    "government administration ministry police military troops forces question questions "
    "moderator staff host interviewer participant operator audience pm"))


def _unify(text: str) -> str:
    """NFC, one kind of quotation mark, apostrophe and dash, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTE_MAP).split())


def _title_key(token: str) -> str:
    return token.replace(".", "").casefold().strip(",")


def _title_at(words: Sequence[str], i: int) -> int:
    """How many words at ``words[i]`` make a title (with its qualifiers), 0 if none.

    The title must leave a capitalised word (or digit) behind it: the name.
    """
    for size in range(min(_LONGEST_TITLE, len(words) - i - 1), 0, -1):
        phrase = tuple(_title_key(w) for w in words[i: i + size])
        following = words[i + size]
        if not (following[0].isupper() or following[0].isdigit()):
            continue
        if phrase in _TITLE_TOKENS:
            return size
        if phrase in _QUALIFIER_TOKENS and (rest := _title_at(words, i + size)):
            return size + rest
    return 0


def title_prefix(text: str) -> int:
    """Characters of ``text`` taken by leading titles ("MR. ", "Air Force Staff Sgt. ").

    Titles go in sequence, longest phrase first; each must be followed by a word that
    starts with a capital (or digit), so a name is always left behind.
    """
    tokens = list(re.finditer(r"\S+", text))
    words = [t.group() for t in tokens]
    i = 0
    while i < len(words) and (size := _title_at(words, i)):
        i += size
    return tokens[i].start() if 0 < i < len(tokens) else 0


def normalise_name(name: str) -> str:
    """The key names are compared by: NFC, leading titles and honorifics dropped, a
    trailing possessive dropped, whitespace collapsed, case-folded.

    Gold forms are written without titles and ingest may keep them ("Secretary Austin",
    "MR. KIRBY"); a title is not part of who someone is, so it must not decide a match.
    """
    text = _unify(name).strip(" ,;:\"")
    text = text[title_prefix(text):]
    text = _POSSESSIVE.sub("", text).strip(" ,;:\"")
    return " ".join(text.split()).casefold()


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})


def _loose_person(key: str) -> str:
    """First and last name of a normalised person name without initials or suffixes
    ("lloyd j. austin iii" -> "lloyd austin"), so that a registry's "Lloyd Austin" and a
    gold "Lloyd J. Austin III" are recognised as the same person."""
    words = [w for w in key.split() if len(w.strip(".,")) > 1 and w.strip(".,") not in _SUFFIXES]
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else ""


def slug(name: str) -> str:
    """A registry id as the gold format derives it: lowercase ASCII, non-alphanumerics "-"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def name_keys(names: Iterable[str], person: bool = False) -> set[str]:
    """Comparison keys of a set of names (with loose first+last keys for people)."""
    keys: set[str] = set()
    for name in names:
        key = normalise_name(name)
        if key:
            keys.add(key)
            if person and (loose := _loose_person(key)):
                keys.add(loose)
    return keys


def quote_key(text: str) -> str:
    """How quotation texts are compared: NFC, marks unified, whitespace collapsed."""
    return _unify(text)


def title_key(text: str) -> str:
    """How titles are compared: case, quotation marks, dashes and whitespace ignored."""
    text = _unify(text).casefold()
    text = re.sub(r"\s*-\s*", " - ", text)
    return " ".join(text.split()).rstrip(".")


def publisher_key(text: str) -> str:
    """How publishers are compared: case, dots and a leading "the" ignored."""
    text = _unify(text).casefold().replace(".", "")
    text = re.sub(r"^the\s+", "", text)
    return " ".join(text.split())


def names_someone(text: str | None) -> bool:
    """Whether a speaker phrase names a particular speaker ("Kirby", "The Pentagon")
    rather than describing one ("he", "Officials", "U.S. officials", "a senior official",
    "Capt").

    It must start with a capital, not be a pronoun, not open with a determiner followed by
    a lower-case word, and end on a capitalised word that is not a generic noun (a head
    noun in lower case, "South Korean intelligence services", or a generic one,
    "Officials", describes a source without naming it).
    """
    if not text:
        return False
    words = _unify(text).strip(" ,;:\"'").split()
    if not words or not words[0][0].isupper():
        return False
    keys = tuple(_title_key(w) for w in words)
    if keys in _TITLE_TOKENS or all((k,) in _TITLE_TOKENS | _QUALIFIER_TOKENS for k in keys):
        return False   # a title alone ("Capt", "The Secretary") names no one
    first = words[0].casefold().strip(".,")
    if first in PRONOUNS and len(words) == 1:
        return False
    if first in _DETERMINERS and (len(words) == 1 or not words[1][0].isupper()):
        return False
    last = words[-1].strip(".,'\"")
    return bool(last) and (last[0].isupper() or last[0].isdigit()) and (
        last.casefold() not in DESCRIPTORS)


# --- gold files ---------------------------------------------------------------------------


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

    def entity(self, name: str) -> GoldEntity | None:
        return next((e for e in self.entities if e.name == name), None)


_TOP_KEYS = frozenset({"source", "layout", "title", "date", "publisher", "author", "entities",
                       "quotes", "notes"})
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
        return mapping.key_lines.get(key, mapping.line) if isinstance(mapping, _Map) else 0

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
    )

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


# --- scoring ------------------------------------------------------------------------------


@dataclass
class Ratio:
    """hits / total, kept as counts so that articles can be micro-averaged."""

    hits: int = 0
    total: int = 0

    def add(self, other: Ratio) -> None:
        self.hits += other.hits
        self.total += other.total

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass
class ArticleScore:
    """What one article contributed to every metric, with the cases behind each number."""

    stem: str
    failure: str | None = None
    precision: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    recall: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    false_positives: list[dict[str, str]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    wrong_links: list[dict[str, Any]] = field(default_factory=list)
    quotes: Ratio = field(default_factory=Ratio)
    missed_quotes: list[dict[str, Any]] = field(default_factory=list)
    extra_quotes: list[str] = field(default_factory=list)
    speakers: Ratio = field(default_factory=Ratio)
    speaker_errors: list[dict[str, Any]] = field(default_factory=list)
    misattributions: list[dict[str, Any]] = field(default_factory=list)
    title: tuple[bool, str, str] = (False, "", "")
    date: tuple[bool, str, str] = (False, "", "")
    publisher: tuple[bool, str, str] = (False, "", "")

    def to_json(self) -> dict[str, Any]:
        return {
            "stem": self.stem, "failure": self.failure,
            "precision": {t: [r.hits, r.total] for t, r in self.precision.items()},
            "recall": {t: [r.hits, r.total] for t, r in self.recall.items()},
            "false_positives": self.false_positives, "misses": self.misses,
            "wrong_links": self.wrong_links, "quotes": [self.quotes.hits, self.quotes.total],
            "missed_quotes": self.missed_quotes, "extra_quotes": self.extra_quotes,
            "speakers": [self.speakers.hits, self.speakers.total],
            "speaker_errors": self.speaker_errors, "misattributions": self.misattributions,
            "title": {"ok": self.title[0], "gold": self.title[1], "system": self.title[2]},
            "date": {"ok": self.date[0], "gold": self.date[1], "system": self.date[2]},
            "publisher": {"ok": self.publisher[0], "gold": self.publisher[1],
                          "system": self.publisher[2]},
        }


@dataclass(frozen=True)
class _Occurrence:
    start: int
    end: int
    entity: GoldEntity
    form: str


def _occurrences(paragraph: str, entities: Sequence[GoldEntity]) -> list[_Occurrence]:
    """Every word-bounded occurrence of every gold form in a paragraph."""
    found = []
    for entity in entities:
        for form in entity.forms:
            pattern = r"\s+".join(re.escape(w) for w in form.split())
            for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", paragraph):
                found.append(_Occurrence(match.start(), match.end(), entity, form))
    return found


def _entity_keys(entity: Entity | None, fallback: str) -> set[str]:
    if entity is None:
        return name_keys([fallback])
    return name_keys(entity.all_names, entity.kind == "person")


def _same(entity_id: str, keys: set[str], gold: GoldEntity) -> bool:
    """Whether a registry entity (its id and name keys) is the gold entity."""
    return bool(keys & gold.keys) or entity_id == slug(gold.name)


def _core_span(text: str, start: int) -> tuple[int, int]:
    """The span of a mention without a leading title or trailing possessive."""
    offset = title_prefix(text)
    core = _POSSESSIVE.sub("", text[offset:].rstrip())
    return start + offset, start + offset + len(core)


def _locate(mention: Mapping[str, Any], paragraphs: Sequence[str]) -> tuple[int, int, int] | None:
    """(paragraph, start, end) of a mention, trusting offsets when they agree with the text."""
    number = mention.get("paragraph")
    if not isinstance(number, int) or not 0 <= number < len(paragraphs):
        return None
    text = str(mention.get("text", ""))
    start, end = mention.get("start"), mention.get("end")
    paragraph = paragraphs[number]
    if isinstance(start, int) and isinstance(end, int) and paragraph[start:end] == text:
        return number, start, end
    found = paragraph.find(text)
    return (number, found, found + len(text)) if found >= 0 and text else None


def _wrong_link(mention: Mapping[str, Any], paragraphs: Sequence[str],
                occurrences: Sequence[Sequence[_Occurrence]], registry: Registry) -> str | None:
    """Why a linked mention is wrong, or None when the gold agrees with the link."""
    place = _locate(mention, paragraphs)
    if place is None:
        return "mention offsets do not match the paragraph text"
    number, start, end = place
    core_start, core_end = _core_span(paragraphs[number][start:end], start)
    if core_end <= core_start:
        core_start, core_end = start, end
    entity_id = str(mention.get("id"))
    entity = registry.get(entity_id)
    keys = _entity_keys(entity, str(mention.get("text", "")))
    covering = [o for o in occurrences[number] if o.start <= core_start and o.end >= core_end]
    if not covering:
        overlapping = [o for o in occurrences[number] if o.start < end and start < o.end]
        if overlapping:
            best = max(overlapping, key=lambda o: o.end - o.start)
            return (f"span does not match a gold form (overlaps {best.form!r} of "
                    f"{best.entity.name!r})")
        return "no gold entity is named here"
    longest = max(o.end - o.start for o in covering)
    best_ones = [o for o in covering if o.end - o.start == longest]
    matching = [o for o in best_ones if _same(entity_id, keys, o.entity)]
    if not matching:
        best = best_ones[0]
        if best.end - best.start > core_end - core_start:
            return f"inside {best.form!r}, a name of {best.entity.name!r}"
        return f"the text names {best.entity.name!r}"
    gold = matching[0].entity
    if mention.get("type") != gold.type:
        return f"typed {mention.get('type')}, but {gold.name!r} is a {gold.type}"
    return None


def _system_names(system: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Distinct normalised names per type: mentions (linked) and candidates, with one
    surface form and its origin kept for reports."""
    names: dict[str, dict[str, str]] = {t: {} for t in TYPES}
    for mention in system.get("mentions") or []:
        kind, text = mention.get("type"), str(mention.get("text") or "")
        key = normalise_name(text)
        if kind in names and key:
            names[kind].setdefault(key, f"{text} (linked: {mention.get('id')})")
    for candidate in system.get("candidates") or []:
        kind, text = candidate.get("type"), str(candidate.get("text") or "")
        key = normalise_name(text)
        if kind in names and key:
            names[kind].setdefault(key, f"{text} (candidate)")
    return names


def _speaker_verdict(gold: GoldArticle, quote: GoldQuote, speaker: Mapping[str, Any],
                     registry: Registry) -> tuple[bool, bool, str]:
    """(correct, misattributed, what the system said) for one found quote."""
    speaker_id = speaker.get("id") or None
    speaker_text = speaker.get("text") or None
    shown = " / ".join(str(s) for s in (speaker_id, speaker_text) if s) or "(none)"
    named = bool(speaker_id) or names_someone(speaker_text)
    if quote.speaker is None:
        if not named:
            return False, False, shown
        description = publisher_key(quote.description or "")
        said = publisher_key(str(speaker_text or ""))
        matches = bool(description and said and (description in said or said in description))
        return False, not matches, shown
    entity = gold.entity(quote.speaker)
    assert entity is not None  # load_gold checks every speaker is an entity
    if speaker_id:
        correct = _same(str(speaker_id), _entity_keys(registry.get(str(speaker_id)),
                                                      str(speaker_id)), entity)
    else:
        said = normalise_name(str(speaker_text or ""))
        # The article's words may wrap the name in a description ("UK Prime Minister
        # Gordon Brown"): the name (or a form of it) ending the phrase is a match.
        correct = bool(said) and any(said == key or said.endswith(" " + key)
                                     for key in entity.keys)
        if not correct and any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", said)
                               for key in entity.keys if key):
            # "NASA and ESA": a joint source that includes the speaker names no one else.
            return False, False, shown
    return correct, named and not correct, shown


def _article_text(gold: GoldArticle) -> str:
    """The article file's text (for HTML, its markup: a headline is in it all the same)."""
    try:
        return gold.article_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _value(text: Any) -> str:
    return "" if text is None else str(text)


def score_article(gold: GoldArticle, system: Mapping[str, Any] | None, registry: Registry,
                  failure: str | None = None) -> ArticleScore:
    """Score one article's JSON (the ingest contract) against its gold annotation.

    ``system`` None (with ``failure`` saying why) scores an article ingest refused:
    every gold item is a miss, so a crash can never raise a score.
    """
    score = ArticleScore(gold.stem, failure)
    system = system or {}
    meta = system.get("meta") or {}
    paragraphs = [str(p) for p in system.get("paragraphs") or []]

    # Recognition.
    found = _system_names(system)
    gold_keys: dict[str, set[str]] = {t: set() for t in TYPES}
    for entity in gold.entities:
        gold_keys[entity.type] |= {normalise_name(f) for f in entity.forms}
    for kind in TYPES:
        for key, shown in sorted(found[kind].items()):
            hit = key in gold_keys[kind]
            score.precision[kind].hits += hit
            score.precision[kind].total += 1
            if not hit:
                other = [e for e in gold.entities if key in {normalise_name(f) for f in e.forms}]
                note = f"gold has it as a {other[0].type}" if other else "not in the gold"
                score.false_positives.append({"type": kind, "name": shown, "why": note})
    for entity in gold.entities:
        forms = {normalise_name(f) for f in entity.forms}
        hit = bool(forms & found[entity.type].keys())
        score.recall[entity.type].hits += hit
        score.recall[entity.type].total += 1
        if not hit:
            typed = [t for t in TYPES if forms & found[t].keys()]
            score.misses.append({"type": entity.type, "name": entity.name,
                                 "forms": list(entity.forms),
                                 "why": f"found as a {typed[0]}" if typed else "not found"})

    # Wrong links.
    occurrences = [_occurrences(p, gold.entities) for p in paragraphs]
    for mention in system.get("mentions") or []:
        if not mention.get("id"):
            continue
        why = _wrong_link(mention, paragraphs, occurrences, registry)
        if why:
            score.wrong_links.append({"text": mention.get("text"), "id": mention.get("id"),
                                      "paragraph": mention.get("paragraph"),
                                      "start": mention.get("start"), "why": why})

    # Quotes and speakers.
    system_quotes = list(system.get("quotes") or [])
    used: set[int] = set()
    for quote in gold.quotes:
        key = quote_key(quote.text)
        match = next((i for i, q in enumerate(system_quotes)
                      if key in quote_key(str(q.get("text") or ""))), None)
        score.quotes.total += 1
        if match is None:
            score.missed_quotes.append({"text": quote.text, "speaker": quote.speaker})
            continue
        used.add(match)
        score.quotes.hits += 1
        speaker = system_quotes[match].get("speaker") or {}
        correct, wrong, shown = _speaker_verdict(gold, quote, speaker, registry)
        if quote.speaker is not None:
            score.speakers.total += 1
            score.speakers.hits += correct
            if not correct:
                score.speaker_errors.append({"text": quote.text, "gold": quote.speaker,
                                             "system": shown})
        if wrong:
            score.misattributions.append({
                "text": quote.text, "system": shown,
                "gold": quote.speaker or f"(no one named: {quote.description or 'no description'})"})
    score.extra_quotes = [str(q.get("text") or "")[:80] for i, q in enumerate(system_quotes)
                          if i not in used]

    # Metadata.
    title = _value(meta.get("title"))
    if title_key(gold.title) in title_key(_article_text(gold)):
        score.title = (bool(title) and title_key(title) == title_key(gold.title), gold.title,
                       title)
    else:
        # The saved text never states the headline (it came from the page's URL or
        # <title>): the right answer is a title ingest marks as its own, for review.
        supplied = bool(meta.get("title_supplied"))
        score.title = (supplied, f"{gold.title} (not in the text: a supplied title)",
                       title + ("" if supplied else " (given as the article's own)"))
    date = _value(meta.get("date"))
    gold_date = gold.date.isoformat() if gold.date else ""
    score.date = (date == gold_date, gold_date or "null", date or "null")
    publisher = _value(meta.get("publisher") or meta.get("author"))
    score.publisher = (bool(publisher) and publisher_key(publisher) == publisher_key(gold.publisher),
                       gold.publisher, publisher)
    return score


@dataclass
class RunScore:
    """One registry's run over the corpus: the micro-averaged metrics and the articles."""

    label: str
    articles: list[ArticleScore] = field(default_factory=list)

    def metrics(self) -> dict[str, float | int | None]:
        """Every metric of :data:`METRICS`; rates are None when nothing was there to count."""
        out: dict[str, float | int | None] = {name: r.value for name, r in self.ratios().items()}
        out["misattributions"] = sum(len(a.misattributions) for a in self.articles)
        out["wrong_links"] = sum(len(a.wrong_links) for a in self.articles)
        return out

    def ratios(self) -> dict[str, Ratio]:
        """The counts behind every rate, for the report."""
        out: dict[str, Ratio] = {}
        for kind in TYPES:
            out[f"{kind}_precision"], out[f"{kind}_recall"] = Ratio(), Ratio()
            for article in self.articles:
                out[f"{kind}_precision"].add(article.precision[kind])
                out[f"{kind}_recall"].add(article.recall[kind])
        out["quote_recall"], out["speaker_accuracy"] = Ratio(), Ratio()
        for article in self.articles:
            out["quote_recall"].add(article.quotes)
            out["speaker_accuracy"].add(article.speakers)
        n = len(self.articles)
        out["title_accuracy"] = Ratio(sum(a.title[0] for a in self.articles), n)
        out["date_accuracy"] = Ratio(sum(a.date[0] for a in self.articles), n)
        out["publisher_accuracy"] = Ratio(sum(a.publisher[0] for a in self.articles), n)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "metrics": self.metrics(),
                "articles": [a.to_json() for a in self.articles]}


class EvaluationError(Exception):
    """The evaluation cannot run at all (ingest cannot be set up)."""


@dataclass
class Evaluation:
    """The whole evaluation: runs (headline first), gold problems and warnings."""

    folder: str
    backend: str
    runs: list[RunScore] = field(default_factory=list)
    problems: list[GoldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles: int = 0
    #: The stubs of the corpus ingested as one batch into a new book (when asked for).
    stubs: StubScore | None = None

    @property
    def headline(self) -> RunScore:
        return self.runs[0]

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "backend": self.backend, "articles": self.articles,
                "targets": TARGETS, "runs": [r.to_json() for r in self.runs],
                "stubs": self.stubs.to_json() if self.stubs else None,
                "problems": [str(p) for p in self.problems], "warnings": self.warnings}


def run_article(gold: GoldArticle, context: pipeline.Context) -> dict[str, Any]:
    """The ingest JSON of one article, exactly as ``briefbook ingest --dry-run --json``."""
    analysis = pipeline.analyse(pipeline.read_article(gold.article_path), context)
    return analysis.to_json()


def score_run(golds: Sequence[GoldArticle], registry: Registry, label: str,
              backend: str = "auto") -> RunScore:
    """Analyse and score every article with one registry (one Context for all of them)."""
    try:
        context = pipeline.Context(registry, backend=backend)
    except Exception as exc:  # e.g. --recogniser spacy without a model: say so, no traceback
        raise EvaluationError(f"cannot set up ingest (recogniser {backend!r}): "
                              f"{type(exc).__name__}: {exc}") from exc
    run = RunScore(label)
    for gold in golds:
        try:
            system: dict[str, Any] | None = run_article(gold, context)
            failure = None
        except IngestError as exc:
            system, failure = None, f"refused: {exc}"
        except Exception as exc:  # one broken article must not hide the others' scores
            system, failure = None, f"{type(exc).__name__}: {exc}"
        run.articles.append(score_article(gold, system, registry, failure))
    return run


def evaluate(folder: str | Path = DEFAULT_CORPUS, registry: Registry | None = None,
             registry_label: str = DEFAULT_REGISTRY, backend: str = "auto",
             stubs: bool = False) -> Evaluation:
    """Score every annotated article in ``folder`` with ``registry`` (headline) and with
    an empty registry; gold files that fail to load are reported, not scored. With
    ``stubs``, also ingest the articles as one batch into a new book and judge the stubs
    (:mod:`.stub_evaluation`)."""
    golds, problems = load_corpus(folder)
    result = Evaluation(str(folder), backend, problems=problems, articles=len(golds))
    for gold in golds:
        result.warnings.extend(gold.warnings)
    if registry is not None:
        result.runs.append(score_run(golds, registry, registry_label, backend))
    result.runs.append(score_run(golds, Registry({}), "no registry", backend))
    if stubs and golds:
        from briefbook.evaluation.stubs import evaluate_stubs

        result.stubs = evaluate_stubs(folder, golds, backend)
    return result


# --- report -------------------------------------------------------------------------------


def meets(metric: str, value: float | int | None, target: float) -> bool:
    """Whether a metric meets its target (counts are maxima, rates minima)."""
    if value is None:
        return metric in COUNT_METRICS
    return value <= target if metric in COUNT_METRICS else value >= target


def _cell(metric: str, run: RunScore) -> str:
    value = run.metrics()[metric]
    if metric in COUNT_METRICS:
        return str(value)
    ratio = run.ratios()[metric]
    return "–" if value is None else f"{value:.3f} ({ratio.hits}/{ratio.total})"


def print_report(result: Evaluation, out: TextIO, verbose: int = 0) -> None:
    """The table of metrics against targets; with ``verbose``, every error by article
    (headline run; ``verbose >= 2`` also the run without a registry)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out, highlight=False, soft_wrap=True,
                      width=None if out.isatty() else 140)
    for problem in result.problems:
        console.print(f"[red]bad gold file[/red] {escape(str(problem))}", markup=True)
    for warning in result.warnings:
        console.print(f"[yellow]warning[/yellow]: {escape(warning)}", markup=True)
    if verbose and result.runs:
        runs = result.runs if verbose >= 2 else result.runs[:1]
        for run in runs:
            _print_details(console, run)
    if not result.runs:
        return
    headline = result.headline
    table = Table(title=f"briefbook ingest against {result.articles} annotated articles in "
                        f"{result.folder} (recogniser: {result.backend})")
    table.add_column("metric")
    table.add_column("target", justify="right")
    for run in result.runs:
        table.add_column(run.label, justify="right")
    metrics = headline.metrics()
    for metric, label in METRICS:
        target = TARGETS.get(metric)
        if target is None:
            shown_target = ""
        elif metric in COUNT_METRICS:
            shown_target = f"≤ {target:g}"
        else:
            shown_target = f"≥ {target:.2f}"
        cells = []
        for index, run in enumerate(result.runs):
            cell = _cell(metric, run)
            if index == 0 and target is not None:
                ok = meets(metric, metrics[metric], target)
                cell = f"[{'green' if ok else 'red'}]{cell} {'✓' if ok else '✗'}[/]"
            cells.append(cell)
        table.add_row(label, shown_target, *cells)
    console.print(table)
    failed = [a for a in headline.articles if a.failure]
    for article in failed:
        console.print(f"[red]ingest failed[/red] on {escape(article.stem)}: "
                      f"{escape(article.failure or '')}", markup=True)
    missed = [m for m, t in TARGETS.items() if not meets(m, metrics.get(m), t)]
    targets = len(TARGETS)
    if result.stubs is not None:
        from briefbook.evaluation.stubs import STUB_TARGETS, print_stub_report

        missed += print_stub_report(result.stubs, console, verbose)
        targets += len(STUB_TARGETS)
    console.print(f"{targets - len(missed)} of {targets} targets met"
                  + (f"; missed: {', '.join(missed)}" if missed else "")
                  + ("" if verbose else " (--verbose lists every error by article)"))


def _print_details(console: Any, run: RunScore) -> None:
    from rich.markup import escape

    console.print(f"\n[bold]Errors by article ({run.label})[/bold]", markup=True)
    for article in run.articles:
        lines: list[str] = []
        if article.failure:
            console.print(f"\n[bold]{escape(article.stem)}[/bold]\n  ingest failed: "
                          f"{escape(article.failure)} (every gold item counts as missed)",
                          markup=True)
            continue
        for miss in article.misses:
            lines.append(f"miss ({miss['type']}): {miss['name']} {miss['forms']} - {miss['why']}")
        for fp in article.false_positives:
            lines.append(f"false positive ({fp['type']}): {fp['name']} - {fp['why']}")
        for link in article.wrong_links:
            lines.append(f"wrong link: {link['text']!r} -> {link['id']} (paragraph "
                         f"{link['paragraph']}) - {link['why']}")
        for quote in article.missed_quotes:
            lines.append(f"quote missed: {quote['text']!r}")
        for error in article.speaker_errors:
            lines.append(f"speaker wrong: {error['text']!r}: gold {error['gold']}, "
                         f"system {error['system']}")
        for wrong in article.misattributions:
            lines.append(f"MISATTRIBUTION: {wrong['text']!r}: system {wrong['system']}, "
                         f"gold {wrong['gold']}")
        for extra in article.extra_quotes:
            lines.append(f"quote not in gold: {extra!r}")
        for what, (ok, gold, system) in (("title", article.title), ("date", article.date),
                                         ("publisher", article.publisher)):
            if not ok:
                lines.append(f"{what} wrong: gold {gold!r}, system {system!r}")
        if lines:
            console.print(f"\n[bold]{escape(article.stem)}[/bold]", markup=True)
            for line in lines:
                console.print(f"  {escape(line)}", markup=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m briefbook.evaluation.articles``: 0 scored, 1 some gold files are bad,
    2 nothing to score (no folder, no gold files, broken registry, ingest cannot start).

    Missed targets do not change the exit code: this is a report; the floors that fail
    a build are in ``tests/test_eval.py``."""
    parser = argparse.ArgumentParser(
        prog="python -m briefbook.evaluation.articles",
        description="Score briefbook ingest against hand-annotated articles (<stem>.gold.yaml).")
    parser.add_argument("folder", nargs="?", default=DEFAULT_CORPUS,
                        help=f"folder of articles and gold files (default: {DEFAULT_CORPUS})")
    parser.add_argument("--registry", default=None,
                        help=f"registry of the headline run (default: {DEFAULT_REGISTRY})")
    parser.add_argument("--recogniser", "--backend", dest="backend", default="auto",
                        choices=("auto", "rules", "spacy"),
                        help="new-entity recogniser passed to ingest (default: auto)")
    parser.add_argument("--no-stubs", dest="stubs", action="store_false",
                        help="skip ingesting the articles as one batch into a new book "
                             "(--add-candidates) to judge its stubs")
    parser.add_argument("--json", metavar="OUT", help="also write every number and case as JSON")
    parser.add_argument("--verbose", "-v", action="count", default=0,
                        help="list every miss, false positive, wrong link and misattribution "
                             "(twice: also for the run without a registry)")
    args = parser.parse_args(argv)
    prog = "briefbook eval"
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"{prog}: no folder {folder}", file=sys.stderr)
        return 2
    registry_folder = Path(args.registry or DEFAULT_REGISTRY)
    loaded = registry_for_command(registry_folder, bool(args.registry), prog,
                                  "scoring without one only")
    if loaded is None:
        return 2
    registry: Registry | None = loaded if registry_folder.is_dir() else None
    try:
        result = evaluate(folder, registry, str(registry_folder), args.backend, args.stubs)
    except EvaluationError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if not result.articles and not result.problems:
        print(f"{prog}: no *{GOLD_SUFFIX} files in {folder}", file=sys.stderr)
        return 2
    print_report(result, sys.stdout, args.verbose)
    if args.json:
        try:
            Path(args.json).write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1)
                                       + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"{prog}: cannot write {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
