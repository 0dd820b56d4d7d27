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

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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

__all__ = ["AuthorYearLabelStyle", "BriefingReferenceStyle", "BriefingStyle", "year_suffix"]

_BRACES = re.compile(r"[{}\\]")


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


class BriefingStyle(UnsrtStyle):
    """pybtex's ``unsrt`` layout, sorted by author and date, author-year labels."""

    default_label_style = AuthorYearLabelStyle
    default_sorting_style = AuthorYearTitleSorting


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


def register() -> None:
    """Register the plugins by name (idempotent), for trees used without installation."""
    for group, name, klass in (
        ("pybtex.style.formatting", "briefbook", BriefingStyle),
        ("pybtex.style.labels", "briefbook", AuthorYearLabelStyle),
        ("sphinxcontrib.bibtex.style.referencing", "briefbook", BriefingReferenceStyle),
    ):
        try:
            register_plugin(group, name, klass)
        except Exception:  # already registered (entry point or earlier call)
            continue

