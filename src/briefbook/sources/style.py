"""Author-year bibliography for briefings that never runs out of labels.

Policy writing cites author-year ("BBC, 2024b").  pybtex's ``alpha`` labels append
``chr(ord('a') + n)`` for same-author-same-year entries, which walks past ``z`` into
``{|}~`` and DEL after 26 entries and breaks the LaTeX build.  Here the suffix is a
bijective base-26 counter (``a`` … ``z``, ``aa``, ``ab`` …), so any number of BBC
pieces from one year get printable, distinct labels, and the in-text citation shows the
same suffix as the bibliography entry it links to.

Three pybtex/sphinxcontrib-bibtex plugins are registered through entry points
(see ``pyproject.toml``) and, for runs from a source tree, by :func:`register`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points, version
from typing import Any

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import node
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import join, join2, post_text, pre_text, reference

from briefbook import __version__

__all__ = ["AuthorYearLabelStyle", "BriefingReferenceStyle", "BriefingStyle", "year_suffix"]

_BRACES = re.compile(r"[{}\\]")
# Formatted entries kept across builds are keyed on this: a new release reformats.
_STYLE_VERSION = (__version__, version("pybtex"))


def year_suffix(index: int) -> str:
    """Return the disambiguating suffix for the ``index``-th (0-based) same-key entry.

    Bijective base 26: 0 → ``a``, 25 → ``z``, 26 → ``aa``, 27 → ``ab`` … so the suffix
    alphabet never leaves ``a-z`` however many entries share an author and a year.
    """
    if index < 0:
        raise ValueError("index must be >= 0")
    letters = []
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters.append(chr(ord("a") + rem))
    return "".join(reversed(letters))


def _plain(text: str) -> str:
    """Strip BibTeX braces and escapes so a label is plain text."""
    return unicodedata.normalize("NFC", _BRACES.sub("", text)).strip()


def _author_part(entry: Any) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    if not persons:
        org = entry.fields.get("organization") or entry.fields.get("publisher")
        if org:
            return _plain(str(org))
        return _plain(str(entry.fields.get("title", entry.key)))[:24]
    first = persons[0]
    last = " ".join(_plain(part) for part in first.prelast_names + first.last_names)
    if len(persons) == 2:
        second = persons[1]
        return f"{last} and {' '.join(_plain(p) for p in second.last_names)}"
    if len(persons) > 2:
        return f"{last} et al."
    return last


def _year_part(entry: Any) -> str:
    return _plain(str(entry.fields.get("year", "n.d.")))


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels like ``BBC 2024`` or, when ambiguous, ``BBC 2024a``, ``BBC 2024b`` …"""

    def format_labels(self, sorted_entries: Iterable[Any]) -> Iterator[str]:
        entries = list(sorted_entries)
        bases = [f"{_author_part(e)} {_year_part(e)}" for e in entries]
        totals = Counter(bases)
        seen: defaultdict[str, int] = defaultdict(int)
        for base in bases:
            if totals[base] == 1:
                yield base
            else:
                yield base + year_suffix(seen[base])
                seen[base] += 1


_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}


def _month_number(entry: Any) -> int:
    month = _plain(str(entry.fields.get("month", ""))).lower()
    if month.isdigit():
        return int(month)
    return _MONTHS.get(month, 0)


class AuthorYearTitleSorting(BaseSortingStyle):
    """Author, year, month, day, then title, compared without BibTeX braces.

    pybtex's own sorter compares ``{BBC News}`` with its braces, which sorts every
    corporate author after ``Z``; a reader looks for the BBC under B.  Sorting by date
    within a year makes ``2024a`` the earliest piece.
    """

    def sorting_key(self, entry: Any) -> tuple[str, str, int, int, str]:
        day = _plain(str(entry.fields.get("day", "0")))
        return (
            _author_part(entry).casefold(),
            _year_part(entry),
            _month_number(entry),
            int(day) if day.isdigit() else 0,
            _plain(str(entry.fields.get("title", ""))).casefold(),
        )


class FormattedEntries:
    """Formatted bibliography entries, kept from one build to the next.

    sphinxcontrib-bibtex formats every entry of the bib file on every build, incremental
    ones included, and twice when tooltips use the same style (its default): 1,511
    entries cost ~10 s, however small the edit. A formatted entry depends only on the
    style, the label and the entry's own fields and names, so it is looked up by those.
    ``previous`` comes from the pickled environment; ``current`` holds what this build
    used and replaces it, so entries dropped from the bib file do not accumulate.
    """

    def __init__(self) -> None:
        self.previous: dict[tuple[Any, ...], Any] = {}
        self.current: dict[tuple[Any, ...], Any] = {}

    def get(self, key: tuple[Any, ...]) -> Any:
        found = self.current.get(key)
        if found is None:
            found = self.previous.get(key)
            if found is not None:
                self.current[key] = found
        return found

    def put(self, key: tuple[Any, ...], formatted: Any) -> None:
        self.current[key] = formatted


FORMATTED = FormattedEntries()
_ENV_ATTRIBUTE = "briefbook_formatted_entries"


def entry_fingerprint(entry: Any) -> tuple[Any, ...]:
    """Everything of an entry that formatting reads: type, fields, names.

    Names by their parts, not ``str(person)``: pybtex builds that string anew on every
    call, and 3,000 calls per build were a fifth of a second.
    """
    return (
        entry.key, entry.type,
        tuple((name, str(value)) for name, value in entry.fields.items()),
        tuple((role, tuple(_name_parts(p) for p in persons))
              for role, persons in entry.persons.items()),
    )


def _name_parts(person: Any) -> tuple[tuple[str, ...], ...]:
    return (tuple(person.first_names), tuple(person.middle_names), tuple(person.prelast_names),
            tuple(person.last_names), tuple(person.lineage_names))


class BriefingStyle(UnsrtStyle):
    """pybtex's ``unsrt`` layout, sorted by author and date, author-year labels."""

    default_label_style = AuthorYearLabelStyle
    default_sorting_style = AuthorYearTitleSorting

    def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> Any:
        if bib_data is not None:  # crossrefs resolved against other entries: not cached
            return super().format_entry(label, entry, bib_data=bib_data)
        key = (_STYLE_VERSION, type(self).__qualname__, type(self.name_style).__qualname__,
               self.abbreviate_names, label, entry_fingerprint(entry))
        found = FORMATTED.get(key)
        if found is None:
            found = super().format_entry(label, entry)
            FORMATTED.put(key, found)
        return found


def restore_formatted_entries(app: Any, env: Any, docnames: list[str]) -> None:
    """Start the build with the entries the last build formatted (``env-before-read-docs``)."""
    FORMATTED.previous = getattr(env, _ENV_ATTRIBUTE, None) or {}
    FORMATTED.current = {}


def keep_formatted_entries(app: Any, env: Any) -> None:
    """Hand this build's entries to the environment, which is pickled next (``env-updated``,
    after sphinxcontrib-bibtex has formatted)."""
    setattr(env, _ENV_ATTRIBUTE, FORMATTED.current)
    FORMATTED.previous = {}


@node
def labelled_year(children: list[Any], data: dict[str, Any]) -> Text:
    """The year as the bibliography label spells it (``2024b``), so text and list agree."""
    assert not children
    label = data["formatted_entry"].label
    return Text(label.rsplit(" ", 1)[-1])


@dataclass
class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name: str) -> Any:
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[
                join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name),
                    labelled_year,
                ]
            ],
            post_text,
        ]


@dataclass
class _Textual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name: str) -> Any:
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                    pre_text,
                    reference[labelled_year],
                    post_text,
                ],
                self.bracket.right,
            ],
        ]


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class BriefingReferenceStyle(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author-year citations in round brackets, with the year
    suffix of the bibliography label, so ``(BBC News, 2024b)`` finds its entry."""

    bracket_textual: BracketStyle = field(default_factory=_round_brackets)
    bracket_parenthetical: BracketStyle = field(default_factory=_round_brackets)
    bracket_author: BracketStyle = field(default_factory=_round_brackets)
    bracket_label: BracketStyle = field(default_factory=_round_brackets)
    bracket_year: BracketStyle = field(default_factory=_round_brackets)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.styles[0] = _Parenthetical(
            bracket=self.bracket_parenthetical,
            person=self.person,
            author_year_sep=self.author_year_sep,
            pre_text_sep=self.pre_text_sep,
            post_text_sep=self.post_text_sep,
        )
        self.styles[1] = _Textual(
            bracket=self.bracket_textual,
            person=self.person,
            text_reference_sep=self.text_reference_sep,
            pre_text_sep=self.pre_text_sep,
            post_text_sep=self.post_text_sep,
        )
        # The parent filled its role → style map before we swapped two styles in.
        self.role_style.update(
            (role, style) for style in self.styles[:2] for role in style.role_names()
        )


@functools.cache
def _cached_entry_points(*, group: str, name: str | None = None) -> tuple[EntryPoint, ...]:
    """``importlib.metadata.entry_points(group=…, name=…)``, read once per process."""
    return tuple(ep for ep in entry_points(group=group) if name is None or ep.name == name)


def cache_plugin_lookups() -> None:
    """Scan the installed packages' entry points once per process, not once per citation.

    pybtex's ``find_plugin`` and sphinxcontrib-bibtex's call
    ``importlib.metadata.entry_points(group=…, name=…)`` on every look-up, which reads the
    metadata of every installed distribution (~6 ms in this venv); sphinxcontrib-bibtex
    looks up the ``plaintext`` backend once per resolved citation, so a 1,000-article
    book spent most of a minute there.  The installed packages do not change during a
    build: caching the scan keeps every lookup rule (runtime plugins first) unchanged.
    """
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    pybtex.plugin.entry_points = _cached_entry_points
    sphinxcontrib.bibtex.plugin.entry_points = _cached_entry_points  # type: ignore[assignment]


def index_citations_for_bibliographies() -> None:
    """Decide which entries a bibliography lists in one pass over the citations.

    sphinxcontrib-bibtex 2.7's ``BibtexDomain.get_filtered_entries`` collects, for each
    entry of the bib files, the documents citing it by scanning every citation of the
    book: entries × citations, on every build (incremental ones too).  A 1,000-article
    book (1,510 entries, 8,484 citations) spent ~9 s there, and it doubles twice with the
    book.  This replacement indexes the citations once and is otherwise the same code
    (the same filter visitor, the same order); it is applied only to the 2.7 series,
    whose implementation it mirrors.
    """
    try:
        from sphinxcontrib.bibtex import domain as bibtex_domain
    except ImportError:  # pragma: no cover - sphinxcontrib-bibtex is a dependency
        return
    cls: Any = bibtex_domain.BibtexDomain
    visitor_class = getattr(bibtex_domain, "_FilterVisitor", None)
    if (visitor_class is None or getattr(cls.get_filtered_entries, "briefbook_indexed", False)
            or not version("sphinxcontrib-bibtex").startswith("2.7.")):
        return

    def get_filtered_entries(self: Any, bibliography_key: Any) -> Iterator[tuple[str, Any]]:
        bibliography = self.bibliographies[bibliography_key]
        cited: dict[str, set[str]] = defaultdict(set)
        for citation_ref in self.citation_refs:
            for target in citation_ref.targets:
                cited[target.key].add(citation_ref.docname)
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = set(cited.get(key, ()))
            visitor = visitor_class(entry=entry, docname=bibliography_key.docname,
                                    cited_docnames=cited_docnames)
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:
                bibtex_domain.logger.warning(
                    "syntax error in :filter: expression; %s" % err,  # noqa: UP031 (upstream's text)
                    location=(bibliography_key.docname, bibliography.line),
                    type="bibtex", subtype="filter_syntax_error")
                success = bool(cited_docnames)
            if success or entry.key in bibliography.keys:
                yield key, entry

    get_filtered_entries.briefbook_indexed = True  # type: ignore[attr-defined]
    cls.get_filtered_entries = get_filtered_entries


def setup(app: Any) -> None:
    app.connect("env-before-read-docs", restore_formatted_entries)
    app.connect("env-updated", keep_formatted_entries, priority=900)


def register() -> None:
    """Register the plugins by name (idempotent), for trees used without installation."""
    cache_plugin_lookups()
    index_citations_for_bibliographies()
    for group, name, klass in (
        ("pybtex.style.formatting", "briefbook", BriefingStyle),
        ("pybtex.style.labels", "briefbook", AuthorYearLabelStyle),
        ("sphinxcontrib.bibtex.style.referencing", "briefbook", BriefingReferenceStyle),
    ):
        try:
            register_plugin(group, name, klass)
        except Exception:  # already registered (entry point or earlier call)
            continue

