"""The roles a person's stub records: titles the batch's articles give them before the
name, each dated by its article.

A role must never be one the person did not yet hold on a page's date (``briefbook
check`` reports that, BB312), so a title counts only as the articles state it, from
the earliest article naming the person by it, and a title any article calls "former"
gives no role at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from briefbook.entities.registry import normalise
from briefbook.ingest import variants
from briefbook.ingest.model import BatchArticle, Found

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady",
                         "prof", "professor", "rev", "reverend", "the"})
_NOT_HELD = re.compile(r"^(?:former|ex-|then-|late|the\s+late|retired|ret\.|outgoing|"
                       r"incoming|designate|would-be|future|ousted|deposed|toppled|exiled)\b|"
                       r"-designate$|-elect$|\belect$", re.IGNORECASE)
_STOP = frozenset({"of", "the", "for", "and", "u.s.", "us", "a", "an", "in", "to"})


def _title_words(title: str) -> set[str]:
    """The words of a title that identify it (as ``briefbook check`` compares them)."""
    found = re.findall(r"[a-z][a-z.]*", title.lower().replace("defence", "defense"))
    return {w for w in found if w not in _STOP and len(w) > 2}


def _role_title(title: str) -> str:
    """A title fit to be a role: honorifics alone are none ("Mr."), "former" or
    "acting" ones were not held as such on the date, so they give none."""
    text = " ".join(title.split()).strip(" ,")
    if not text or _NOT_HELD.search(text):
        return ""
    if all(w.casefold().strip(".") in _HONORIFICS for w in text.split()):
        return ""
    return text


def person_roles(found: Sequence[Found], texts: Sequence[BatchArticle] = (),
                 forms: Sequence[str] = ()) -> list[tuple[str, dt.date]]:
    """Roles ``(title, start)`` for a person from the titles the batch's articles give
    them right before the name, each dated by its article (never guessed: an undated
    article gives none).

    A role starts on the earliest date any article of the batch names the person by that
    title's words (beside the name, or in ``texts`` within 80 characters before one of
    ``forms``, as ``briefbook check`` reads a page), so check (BB312) finds no page of
    the batch naming them by a title they did not yet hold; a title another article
    calls "former" gives no role at all."""
    roles: dict[str, tuple[str, dt.date]] = {}
    full = max((f.candidate.text for f in found), key=lambda t: len(t.split()), default="")
    for item in found:
        # An article that names them by family name alone ("Secretary Rice") may mean
        # someone else of that name: its title is no role of theirs.
        if item.date is None or variants.is_short_form(item.candidate.text, full):
            continue
        for title in item.candidate.titles:
            text = _role_title(title)
            if text:
                key = " ".join(sorted(_title_words(text))) or normalise(text)
                known = roles.get(key)
                if known is None or item.date < known[1]:
                    roles[key] = (known[0] if known else text, item.date)
    titled = [(item.date, " ".join(t.split())) for item in found
              for t in (*item.candidate.titles, *item.candidate.other_titles)]
    out = []
    for key, (title, start) in roles.items():
        words = set(key.split())
        same = [(when, text) for when, text in titled
                if len(_title_words(text) & words) >= min(2, len(words))]
        if any(_NOT_HELD.search(text) for _, text in same):
            continue
        dates = [when for when, _ in same if when is not None]
        start = min([start, *dates])
        evidence = _titled_in(texts, forms, words, start)
        if evidence is None:
            continue  # "former Defence Secretary" before the name somewhere
        out.append((title, min([start, *evidence])))
    # "Secretary" beside "Secretary of Defense": the fuller title says it all.
    return sorted((r for r in out if not any(
        r is not o and _title_words(r[0]) < _title_words(o[0]) for o in out)),
        key=lambda r: (r[1], r[0]))


def _titled_in(texts: Sequence[BatchArticle], forms: Sequence[str], words: set[str],
               before: dt.date) -> list[dt.date] | None:
    """Dates (before ``before``) of articles in which a title with ``words`` stands in the
    80 characters before one of ``forms``; None when one of them calls it "former"."""
    names = [f for f in dict.fromkeys(forms) if f.strip()]
    if not names or not texts:
        return []
    pattern = re.compile(r"(?<![\w’'-])(?:" + "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w’'-])")
    needed = min(2, len(words))
    dates = []
    for text in texts:
        for paragraph in text.paragraphs:
            for match in pattern.finditer(paragraph):
                window = paragraph[max(0, match.start() - 80):match.start()]
                seen = set(re.findall(r"[a-z][a-z.]*", window.lower().replace("defence",
                                                                              "defense")))
                if len(words & seen) < needed:
                    continue
                if re.search(r"\b(?:former|ex-|ousted|deposed|then-)\b", window, re.I):
                    return None
                if text.date is not None and text.date < before:
                    dates.append(text.date)
    return dates
