"""The final gate of a release: no byte it publishes holds the words of what it withholds.

A released edition leaves out what is marked above its level before anything is read
(:mod:`.release`, :mod:`.markings`). That filter is only as good as its agreement with
what Sphinx, MyST, LaTeX and the theme actually do, and every seam between them has
leaked before. The gate checks the result from the other end, without trusting the build:
after a release has built and before it replaces the published one, every output file is
read in every form a reader or a program could get words out of, and searched for the
distinctive words of each page and portion the release withholds. Any hit fails the
release, names the output file, the withheld source (``file:line``) and the word, and
nothing is published: the previous release stays.

**What is read.** Every file under the release's output folders, whatever its name or
type, in every form its words can be read in (:mod:`.readable`): unescaped, without
markup, stemmed in the search index, decompressed, as a PDF's text, metadata and
bookmarks, as an image's text chunks, and the file's own name.

**Distinctive words: the rule, and why.** A withheld page shares most of its words with
the pages the release keeps (common words, the names of places every page names), and a
gate that fired on those would fail every release and be switched off. So a withheld
item's tokens are only what could not be in the release unless it leaked:

* a *word* of five characters or more, with a letter in it, that is not a common word
  (stop words, month and day names, numbers) and whose stem (the search index's stemmer)
  is the stem of no word in what the release keeps: its released pages' sources with the
  withheld portions cut out, ``conf.py``, the registry entries and bibliography entries it
  keeps, the marking scheme's names. A name only withheld material gives, an identifier,
  a rare word: one such word is enough to identify the material. Shorter words are left
  to bigrams: a four-letter word alone is too often a coincidence (``tlp``, ``news``).
* a *bigram*, two adjacent words, that does not occur in what the release keeps and of
  which at least one word is not common and neither is a bare number: a leaked sentence
  carries many, even when each of its words is shared, while two shared words that
  happen to meet are excluded by the kept text itself.

A token that the toolchain prints whatever the book says (the words of Sphinx's,
docutils', the theme's and briefbook's own templates, code and messages, and the country
names of briefbook's map data) cannot tell a leak from boilerplate, so a hit on such a
token is dropped (:mod:`.gate_toolchain`); it is looked up only when there is a hit, so a
clean release does not pay for it. A file that is byte for byte one of the toolchain's own (a theme's script,
Sphinx's LaTeX styles) cannot hold the book, and only its name is searched; nor can the
system files a LaTeX log names (``/usr/share/texlive/…``), which are left out of it.

Besides the pages and portions the marking decision withholds (:func:`withheld_material`,
finding a kept page's withheld portions with :mod:`.gate_marked_blocks`), the release also
withholds what only they name (:func:`.gate_withheld.withheld_by_derivation`): a registry
entry only withheld material names and a bibliography entry only withheld material cites;
their words are searched for too.

This module holds the gate itself: what a release withholds and keeps, the distinctive
words of what it withholds, and the search of the outputs for them. The commands run it
through :mod:`.gate_verdict`, which prints its verdict.
"""

from __future__ import annotations

import calendar
import itertools
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

from briefbook.editions import markings
from briefbook.editions.decision import Reading, book_files
from briefbook.editions.markings import MarkingError
from briefbook.publishing.gate_marked_blocks import marked_blocks
from briefbook.publishing.gate_toolchain import toolchain
from briefbook.publishing.gate_withheld import (
    Material,
    Withheld,
    bibliography_entries,
    read_source,
    registry_entries,
    withheld_by_derivation,
)
from briefbook.publishing.readable import WORD, Form, file_forms, normalise, output_files

_ROLE_OR_DIRECTIVE = re.compile(r"\{[\w:.+-]+\}")
_OPTION_KEY = re.compile(r"^(\s*):[\w-]+:")
#: A file of the system or the Python installation named in a build's log (TeX's inputs
#: in ``.fls`` and ``.log``): the toolchain's, not the book's.
_SYSTEM_PATH = re.compile("(?:" + "|".join(sorted({re.escape(p.rstrip("/") + "/") for p in (
    "/usr/", "/opt/", "/etc/", "/var/lib/", "/nix/", sys.prefix, sys.base_prefix)}, key=len,
    reverse=True)) + r")[^\s\"'(){}<>]*")
#: Words too common to identify anything on their own (two of them make no bigram).
_COMMON = frozenset(
    {w for w in ENGLISH_STOPWORDS if "'" not in w}
    | {m.lower() for m in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name,
                           *calendar.day_abbr) if m})
MIN_WORD = 5
#: Folders of a book's source tree that are never its material.
_NOT_SOURCES = frozenset({"_build", ".git", ".hg", ".svn", ".venv", "venv", "__pycache__",
                          "node_modules", ".staging", ".mypy_cache", ".pytest_cache"})
_MAX_SOURCE = 20_000_000


class GateError(Exception):
    """The gate could not be run (the book or its configuration cannot be read)."""


@dataclass(frozen=True)
class Token:
    """A distinctive word or bigram of one withheld item, and where it is written."""

    text: str
    source: str
    line: int
    what: str = ""

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(frozen=True)
class Hit:
    """A withheld item's token found in an output file."""

    output: str
    token: Token
    form: str

    def __str__(self) -> str:
        what = f", {self.token.what}" if self.token.what else ""
        return (f"{self.output}: holds '{self.token.text}' ({self.form}), withheld: "
                f"{self.token.where}{what}")


@dataclass
class Report:
    """What the gate read and found; ``passed`` only when nothing leaked and every output
    could be read (an output the gate cannot read fails closed)."""

    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    withheld: int = 0
    tokens: int = 0
    hits: list[Hit] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    #: Withheld items none of whose words is distinctive (everything in them is kept).
    unchecked: list[Withheld] = field(default_factory=list)
    #: Tokens found only where the toolchain's own words are (not counted as leaks).
    excused: int = 0
    #: Output files that are byte for byte the toolchain's own (a theme's script): the
    #: book cannot be in them; only their names are searched.
    copies: int = 0
    copy_bytes: int = 0

    @property
    def passed(self) -> bool:
        return not self.hits and not self.unreadable

    def summary(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        copies = (f", {self.copies} of them ({self.copy_bytes:,} bytes) byte-identical to the "
                  "toolchain's own files" if self.copies else "")
        excused = (f"; {self.excused} finds of words the toolchain itself prints not counted"
                   if self.excused else "")
        return (f"final gate {verdict}: {self.files} files ({self.bytes:,} bytes) scanned for "
                f"{self.tokens} distinctive words of {self.withheld} withheld items{copies}, "
                f"in {self.seconds:.2f} s{excused}")


# --- what the release withholds, and what it keeps --------------------------------------


class _Settings:
    """conf.py's values as attributes, as Sphinx's Config gives them, with Sphinx's
    defaults for what a conf.py leaves out (the release functions read attributes)."""

    _DEFAULTS: Mapping[str, Any] = {
        "source_suffix": {".rst": "restructuredtext", ".md": "markdown"},
        "exclude_patterns": [], "briefbook_marking_scheme": None, "briefbook_marking": "",
        "briefbook_release": "", "myst_enable_extensions": [], "briefbook_registry": "",
        "bibtex_bibfiles": [], "language": "en", "briefbook_previous_export": "",
    }

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        values = self.__dict__["_values"]
        if name in values:
            return values[name]
        if name in self._DEFAULTS:
            return self._DEFAULTS[name]
        raise AttributeError(name)


def _settings(config: Any, level: str) -> Any:
    """Settings for ``level`` from conf.py's values (a mapping) or a Sphinx Config (its
    conf.py values: a built app's ``exclude_patterns`` already hold the withheld pages)."""
    raw = getattr(config, "_raw_config", None)
    values = dict(raw) if isinstance(raw, Mapping) else dict(config)
    values["briefbook_release"] = level
    values.pop("_briefbook_scheme", None)
    return _Settings(values)


def withheld_material(srcdir: Path, config: Any, level: str) -> list[Withheld]:
    """Every page and portion the edition released at ``level`` withholds, as the one
    marking decision (:mod:`.decision`) takes it: every file Sphinx would read, a page
    marked above the level or whose marking cannot be determined whole, and in the pages
    it keeps every ``{marking}`` block and ``:marking:`` option above the level (an
    unknown marking counts as withheld, as the release takes it).

    ``config`` is conf.py's values (a mapping) or a Sphinx Config.
    """
    srcdir = Path(srcdir)
    settings = _settings(config, level)
    released = markings.release_level(settings)
    if released is None:
        return []
    conf = settings._values
    reading = Reading.of_conf(conf)
    extensions = set(getattr(settings, "myst_enable_extensions", None) or [])
    found: list[Withheld] = []
    portions: list[Withheld] = []
    for _docname, path in sorted(book_files(srcdir, conf, reading.filetypes).items()):
        relative = path.relative_to(srcdir).as_posix()
        decision = reading.decide(path)
        if decision.unreadable:
            continue  # not text: Sphinx cannot read it into the release either
        if decision.above(released):
            what = (f"page marked {decision.text}" if not decision.problem
                    else f"page left out: {decision.message}")
            found.append(Withheld(relative, 1, read_source(path), what))
            continue
        for line, marking, body in marked_blocks(read_source(path), path.suffix, extensions):
            try:
                portion = reading.scheme.level(marking)
            except MarkingError:
                portion = reading.scheme.levels[-1]
            if portion > released:
                portions.append(Withheld(relative, line, body, f"portion marked {marking}"))
    return found + portions


def _source_files(srcdir: Path, skip: set[Path]) -> Iterator[Path]:
    """Every file of the source tree Sphinx could read or include (hidden ones too), but
    no build output: a full edition built inside it holds every withheld word."""
    for current, folders, names in os.walk(srcdir):
        folders[:] = sorted(f for f in folders if f not in _NOT_SOURCES
                            and (Path(current) / f).resolve() not in skip
                            and not _is_build_output(Path(current) / f))
        for name in sorted(names):
            path = Path(current) / name
            if path.resolve() not in skip:
                yield path


def _is_build_output(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in (
        ".buildinfo", "environment.pickle", "objects.inv", ".doctrees", "doctrees", "sphinx.sty"))


def release_material(srcdir: Path, config: Any, level: str,
                     confdir: Path | None = None) -> Material:
    """The withheld material (marked, and what only it names) and the kept text of the
    edition released at ``level``."""
    srcdir = Path(srcdir).resolve()
    settings = _settings(config, level)
    try:
        withheld = withheld_material(srcdir, config, level)
    except (OSError, MarkingError) as exc:
        raise GateError(f"cannot tell what the release withholds: {exc}") from exc
    registry = registry_entries(confdir, settings)
    bibliography = bibliography_entries(confdir, settings)
    skip = {Path(e.source).resolve() for e in (*registry, *bibliography)}
    if confdir is not None and registry:
        skip.add((confdir / str(settings.briefbook_registry)).resolve())
    previous = str(getattr(settings, "briefbook_previous_export", "") or "")
    if previous and confdir is not None:
        skip.add((confdir / previous).resolve())  # an export of another edition
    by_source: dict[str, list[Withheld]] = {}
    for item in withheld:
        by_source.setdefault(item.source, []).append(item)
    kept: list[str] = []
    for path in _source_files(srcdir, skip):
        try:
            if path.stat().st_size > _MAX_SOURCE:
                continue
            data = path.read_bytes()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # an image, a binary: the output's own forms are scanned
        relative = path.relative_to(srcdir).as_posix()
        text = _without(text, by_source.get(relative, []))
        kept.append(relative)
        kept.append(text)
    if confdir is not None and (confdir / "conf.py").is_file():
        kept.append(read_source(confdir / "conf.py"))
    scheme = markings.scheme_of(settings)
    for scheme_level in scheme.levels:
        kept.append(f"{scheme_level.name} {scheme_level.description}")
    kept.extend(scheme.names)
    derived = withheld_by_derivation(withheld, "\n".join(kept), registry, bibliography)
    withheld_sources = {(d.source, d.line) for d in derived}
    for entry in (*registry, *bibliography):
        if (entry.source, entry.line) not in withheld_sources:
            kept.append(entry.text)
            kept.append(entry.extra)
    return Material([*withheld, *derived], "\n".join(kept),
                    str(getattr(settings, "language", None) or "en"))


def _without(text: str, items: Sequence[Withheld]) -> str:
    """A page's text with its withheld parts cut out (by text; by lines if not found)."""
    for item in items:
        if item.text and item.text in text:
            text = text.replace(item.text, "\n")
        else:
            lines = text.splitlines()
            count = max(1, item.text.count("\n") + 1)
            del lines[item.line - 1:item.line - 1 + count]
            text = "\n".join(lines)
    return text

# --- distinctive words ------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    """The search index's stemmer for the book's language (English when unknown)."""
    import snowballstemmer

    names = {"da": "danish", "de": "german", "es": "spanish", "fi": "finnish", "fr": "french",
             "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
             "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish",
             "tr": "turkish"}
    return snowballstemmer.stemmer(names.get(language.split("_")[0].split("-")[0], "english"))


def _common(word: str) -> bool:
    return word in _COMMON or word.isdigit()


def _item_words(item: Withheld) -> list[tuple[str, int]]:
    """A withheld item's words with their lines; markup names (``{claim}``, ``:source:``)
    are the toolchain's, not the material's."""
    found: list[tuple[str, int]] = []
    for number, line in enumerate(item.text.splitlines(), start=item.line):
        line = _OPTION_KEY.sub(r"\1", _ROLE_OR_DIRECTIVE.sub(" ", line))
        found.extend((word, number) for word in WORD.findall(normalise(line)))
    return found


def distinctive_tokens(material: Material) -> tuple[list[Token], list[Withheld]]:
    """Each withheld item's distinctive words and bigrams (the rule is the module's), and
    the items that have none."""
    stem = _stemmer(material.language).stemWord
    kept_sequence = WORD.findall(normalise(material.kept))
    kept_words = set(kept_sequence)
    by_prefix: dict[str, list[str]] = {}
    for word in kept_words:
        by_prefix.setdefault(word[:4], []).append(word)
    kept_stems: dict[str, set[str]] = {}

    def shared(word: str) -> bool:
        if word in kept_words:
            return True
        prefix = word[:4]
        if prefix not in kept_stems:
            kept_stems[prefix] = {stem(w) for w in by_prefix.get(prefix, [])}
        return stem(word) in kept_stems[prefix]

    words_of = [(item, _item_words(item)) for item in material.withheld]
    pairs: set[tuple[str, str]] = set()
    for _, words in words_of:
        for (first, _), (second, _) in itertools.pairwise(words):
            # A bare number beside a word ("line 112") is what logs and page numbers
            # print anyway: it identifies nothing.
            if not (_common(first) and _common(second)) and not (
                    first.isdigit() or second.isdigit()):
                pairs.add((first, second))
    firsts = {a for a, _ in pairs}
    kept_pairs = {(a, b) for a, b in itertools.pairwise(kept_sequence)
                  if a in firsts and (a, b) in pairs}
    tokens: dict[str, Token] = {}
    unchecked: list[Withheld] = []
    for item, words in words_of:
        checked = False
        for index, (word, line) in enumerate(words):
            if (len(word) >= MIN_WORD and not _common(word) and any(c.isalpha() for c in word)
                    and not shared(word)):
                checked = True
                tokens.setdefault(word, Token(word, item.source, line, item.what))
            if index + 1 < len(words):
                pair = (word, words[index + 1][0])
                if pair in pairs and pair not in kept_pairs:
                    checked = True
                    text = " ".join(pair)
                    tokens.setdefault(text, Token(text, item.source, line, item.what))
        if not checked:
            unchecked.append(item)
    return list(tokens.values()), unchecked

# --- the gate ---------------------------------------------------------------------------------


def display_path(path: Path, root: Path | None) -> str:
    """``path`` from the book's root, with forward slashes, as every report names files."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def scan(outputs: Sequence[Path | tuple[str, bytes]], material: Material,
         root: Path | None = None) -> Report:
    """Search every output (folders, files, or ``(name, bytes)`` about to be written) for
    the distinctive words of ``material``; names relative to ``root``."""
    started = time.perf_counter()
    tokens, unchecked = distinctive_tokens(material)
    report = Report(withheld=len(material.withheld), tokens=len(tokens), unchecked=unchecked)
    words = {t.text: t for t in tokens if " " not in t.text}
    stemmer = _stemmer(material.language)
    stems = {stemmer.stemWord(t.text): t for t in words.values()}
    pairs: dict[str, dict[str, Token]] = {}
    for token in tokens:
        if " " in token.text:
            first, second = token.text.split(" ", 1)
            pairs.setdefault(first, {})[second] = token
    candidates: list[Hit] = []

    def search(label: str, data: bytes) -> None:
        report.files += 1
        report.bytes += len(data)
        forms: Iterable[Form] = file_forms(label, data)
        if toolchain.is_copy(data):
            report.copies += 1
            report.copy_bytes += len(data)
            forms = [Form("file name", label.replace("/", " "))]
        found: dict[str, Hit] = {}
        try:
            for form in forms:
                text = normalise(_SYSTEM_PATH.sub(" ", form.text))
                sequence = WORD.findall(text)
                if form.stems:
                    for term in set(sequence) & stems.keys():
                        found.setdefault(stems[term].text, Hit(label, stems[term], form.name))
                    continue
                for word in set(sequence) & words.keys():
                    found.setdefault(word, Hit(label, words[word], form.name))
                for first, second in itertools.pairwise(sequence):
                    seconds = pairs.get(first)
                    if seconds is not None and second in seconds:
                        token = seconds[second]
                        found.setdefault(token.text, Hit(label, token, form.name))
        except (ValueError, OSError, subprocess.SubprocessError) as exc:
            report.unreadable.append(f"{label}: {exc}")
        candidates.extend(found.values())

    for output in outputs:
        if isinstance(output, tuple):
            search(output[0], output[1])
            continue
        files = output_files(output) if output.is_dir() else [output]
        for path in files:
            if path.is_symlink() and not path.exists():
                search(display_path(path, root), b"")  # a dangling link: its name only
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                report.unreadable.append(f"{display_path(path, root)}: {exc.strerror or exc}")
                continue
            search(display_path(path, root), data)
    kept = set(WORD.findall(normalise(material.kept))) if candidates else set()
    for hit in candidates:
        if _boilerplate(hit, stemmer, kept):
            report.excused += 1
        else:
            report.hits.append(hit)
    report.seconds = time.perf_counter() - started
    return report


def _boilerplate(hit: Hit, stemmer: Any, kept: Set[str]) -> bool:
    """Whether a hit's token is one of the words the toolchain prints anyway."""
    if " " in hit.token.text:
        first, second = hit.token.text.split(" ", 1)
        return toolchain.has_bigram(first, second, kept)
    if hit.form == "search index terms":
        return toolchain.has_stem(stemmer.stemWord(hit.token.text), stemmer)
    return toolchain.has_word(hit.token.text)


def check(srcdir: Path, config: Any, level: str, outputs: Sequence[Path | tuple[str, bytes]],
          confdir: Path | None = None, root: Path | None = None) -> Report:
    """The gate of the edition released at ``level``: its withheld material against
    every byte of ``outputs``."""
    started = time.perf_counter()
    material = release_material(srcdir, config, level, confdir)
    report = scan(outputs, material, root)
    report.seconds = time.perf_counter() - started
    return report
