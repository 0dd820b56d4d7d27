"""The toolchain's own words and files: what the gate must not take for a leak.

The words of Sphinx's, docutils', the theme's and briefbook's own templates, code and
messages (and the country names of briefbook's map data) reach a release's output whatever
the book says, so a withheld item's token that is one of them cannot tell a leak from
boilerplate (:mod:`.gate` drops such a hit); and a file that is byte for byte one of the
toolchain's own (a theme's script, Sphinx's LaTeX style) cannot hold the book. Both are
read from the installed packages once per process, and only when needed: a release that
passes does not pay for them.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Sequence, Set
from pathlib import Path
from typing import Any

from briefbook.publishing.readable import WORD

#: The packages whose own words reach every output (templates, scripts, messages, data).
TOOLCHAIN = ("sphinx", "docutils", "myst_parser", "sphinx_design", "sphinx_book_theme",
             "pydata_sphinx_theme", "sphinxcontrib", "pybtex", "pybtex_docutils",
             "briefbook")


class Toolchain:
    """The toolchain's own files: to tell a copy of one (a theme's script, Sphinx's LaTeX
    style) from an output the book wrote, and the words the toolchain prints whatever a
    book says. Read once per process, and only when needed."""

    #: The files whose words reach generated pages: code, templates, messages, map data.
    WORDS_FROM = (".py", ".html", ".jinja", ".j2", ".pot", ".sty", ".cls", ".tex", ".xdy",
                  ".tmpl", "_t")
    #: Parts of briefbook that write nothing into a book's output (ingesting, reviewing,
    #: benchmarks, the sample book ``briefbook init`` copies, this gate: ``gate.py`` and
    #: its ``gate_*`` modules): their words, names among them, must not pass for boilerplate.
    NOT_PRINTED = ("briefbook/ingest/", "briefbook/review/", "briefbook/benchmark/", "briefbook/evaluation/",
                   "briefbook/templates/book/", "briefbook/publishing/gate")

    def __init__(self, packages: Sequence[str] = TOOLCHAIN) -> None:
        self.packages = tuple(packages)
        self._files: list[Path] | None = None
        self._sizes: dict[int, list[Path]] | None = None
        self._text: str | None = None
        self._words: set[str] | None = None
        self._stems: dict[str, set[str]] = {}
        self._bigrams: dict[tuple[str, str], bool] = {}

    def files(self) -> list[Path]:
        if self._files is None:
            found: list[Path] = []
            for package in self.packages:
                try:
                    spec = importlib.util.find_spec(package)
                except (ImportError, ValueError):
                    continue
                for location in (spec.submodule_search_locations or []) if spec else []:
                    for current, folders, names in os.walk(location):
                        folders[:] = [f for f in folders if f not in ("__pycache__", "tests")]
                        found.extend(Path(current) / name for name in names
                                     if not name.endswith((".pyc", ".mo", ".po")))
            self._files = found
        return self._files

    def is_copy(self, data: bytes) -> bool:
        """Whether ``data`` is byte for byte one of the toolchain's own files."""
        if self._sizes is None:
            sizes: dict[int, list[Path]] = {}
            for path in self.files():
                try:
                    sizes.setdefault(path.stat().st_size, []).append(path)
                except OSError:
                    continue
            self._sizes = sizes
        for path in self._sizes.get(len(data), []):
            try:
                if path.read_bytes() == data:
                    return True
            except OSError:
                continue
        return False

    def text(self) -> str:
        """The words of the toolchain's code, templates, messages and map data, lowercase."""
        if self._text is None:
            parts: list[str] = []
            for path in self.files():
                name = path.name
                if not (name.endswith(self.WORDS_FROM) or (
                        name.endswith(".json") and "briefbook" in path.parts)):
                    continue
                if any(part in path.as_posix() for part in self.NOT_PRINTED):
                    continue
                try:
                    parts.append(path.read_bytes().decode("utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
            self._text = "\n".join(parts).lower()
        return self._text

    def words(self) -> set[str]:
        if self._words is None:
            self._words = set(WORD.findall(self.text()))
        return self._words

    def has_word(self, word: str) -> bool:
        return word in self.words()

    def has_stem(self, stem: str, stemmer: Any) -> bool:
        prefix = stem[:4]
        if prefix not in self._stems:
            self._stems[prefix] = {stemmer.stemWord(w) for w in self.words()
                                   if w.startswith(prefix)}
        return stem in self._stems[prefix]

    def has_bigram(self, first: str, second: str, kept: Set[str] = frozenset()) -> bool:
        """Whether the toolchain prints ``first second``: as words of its own, or as a word
        of its own beside a value filled in from what the release keeps (``Marked
        {level}`` prints "Marked TLP:GREEN")."""
        key = (first, second)
        if key not in self._bigrams:
            text = self.text()
            patterns = [re.escape(first) + r"[\W_]+" + re.escape(second)]
            if second in kept:
                patterns.append(re.escape(first) + _PLACEHOLDER_AFTER)
            if first in kept:
                patterns.append(_PLACEHOLDER_BEFORE + re.escape(second))
            self._bigrams[key] = any(_found_as_words(text, re.compile(p)) for p in patterns)
        return self._bigrams[key]


#: A value a template or format string fills in: ``{level}``, ``{{ title }}``, ``%s``,
#: ``%(name)s``, ``${x}``; and the end of one.
_PLACEHOLDER_AFTER = r"[ \t]*(?:\{|%[(s]|\$\{)"
_PLACEHOLDER_BEFORE = r"(?:\}|%s|\)s)[ \t]*"


def _found_as_words(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` occurs in ``text`` starting and ending at word boundaries."""
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        before = start == 0 or not text[start - 1].isalnum() or not text[start].isalnum()
        after = end == len(text) or not text[end].isalnum() or not text[end - 1].isalnum()
        if before and after:
            return True
    return False


toolchain = Toolchain()
