"""What the review terminal shows of an item: the detail pane and the queue line, as text.

Everything here is plain :class:`rich.text.Text` built from an
:class:`~briefbook.review.model.Item` (no Textual), so the rules that matter most for
the reviewer live in one place and are testable without running the app: what is
needed to decide comes first, nothing is carried by colour alone (kinds are badges such
as ``[person]``, the name is bold reverse in its sentences), and article text reaches
the terminal only through :func:`visible`, without the control characters and
bidirectional overrides that could drive or reorder the screen.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from briefbook.review.model import Item

KINDS = ("person", "place", "organization")
BADGES = {"person": "[person]", "place": "[place]", "organization": "[org]", "undated": "[undated]"}
OCCURRENCES_SHOWN = 5
"""Sentences shown per item; the rest are counted ("… 7 more"), so one item fits a screen."""
SENTENCE_WINDOW = 110
"""Characters kept either side of the name in a long sentence."""

INVISIBLE = {
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " "),  # control characters, ESC included
    **dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\N{REPLACEMENT CHARACTER}"),
}
del INVISIBLE[ord("\n")]  # the panes' own line breaks; a sentence's are made spaces in _sentence
"""Characters article text must not send to the terminal: control characters (an escape
sequence could drive the terminal) and bidirectional overrides (they reorder what is
shown). Each becomes one character, so offsets into the text stay right."""


def visible(text: Text) -> Text:
    """``text`` with every character that could act on the terminal made harmless."""
    cleaned = text.plain.translate(INVISIBLE)
    if cleaned == text.plain:
        return text
    return Text(cleaned, style=text.style, spans=list(text.spans), no_wrap=text.no_wrap,
                overflow=text.overflow)


def badge(item: Item) -> str:
    """The item's kind as text, so it reads the same in a monochrome terminal."""
    kind = "undated" if item.category == "undated" else item.kind
    return BADGES.get(kind, f"[{kind}]")


def page_of(item: Item) -> str:
    """The page an undated-page item is about."""
    if item.articles:
        return item.articles[0]
    return item.key.split(":", 1)[1] if ":" in item.key else item.name



def _plain(value: Any) -> str:
    """A value from ``Item.known`` as one readable phrase, whatever shape the queue gives it."""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_plain(v)}"
                         for k, v in value.items() if v not in ("", None))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def known_lines(known: dict[str, Any]) -> list[str]:
    """What accepting fills, one phrase a fact: coordinates, country, a role with its date.

    The queue decides the keys of ``Item.known``; the few the interface can say better
    (coordinates, a role and its date) are phrased, any other is shown as ``key: value``,
    so a fact the queue adds later still reaches the screen."""
    rest = dict(known)
    lines: list[str] = []
    latitude = [rest.pop(key) for key in ("lat", "latitude") if key in rest]
    longitude = [rest.pop(key) for key in ("lon", "longitude") if key in rest]
    coordinates = rest.pop("coordinates", None)
    if coordinates is None and latitude and longitude:
        coordinates = (latitude[0], longitude[0])
    if coordinates is not None:
        lines.append(f"coordinates: {_plain(coordinates)}")
    role = rest.pop("role", None)
    role_date = next((rest.pop(key) for key in ("role_date", "date") if rest.get(key)), None)
    if role:
        lines.append(f"role: {_plain(role)}" + (f" (as of {role_date})" if role_date else ""))
    elif role_date:
        lines.append(f"date: {role_date}")
    for key, value in rest.items():
        if value not in ("", None, [], {}):
            lines.append(f"{key.replace('_', ' ')}: {_plain(value)}")
    return lines


def _sentence(sentence: str, start: int, end: int) -> Text:
    """``sentence`` with the name in it highlighted (bold reverse, which survives a
    monochrome terminal), cut to a window around the name when long."""
    sentence = sentence.replace("\n", " ")
    if not 0 <= start < end <= len(sentence):
        start = end = 0
    if end:
        left, right = max(0, start - SENTENCE_WINDOW), min(len(sentence), end + SENTENCE_WINDOW)
    else:
        left, right = 0, min(len(sentence), 2 * SENTENCE_WINDOW)
    text = Text("“" + ("…" if left else ""))
    if end:
        text.append(sentence[left:start])
        text.append(sentence[start:end], style="bold reverse")
        text.append(sentence[end:right])
    else:
        text.append(sentence[left:right])
    text.append(("…" if right < len(sentence) else "") + "”")
    return text


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _indented(renderable: Text, by: int) -> Padding:
    """A wrapped sentence keeps its indent on every line, so sentences stay apart."""
    return Padding(visible(renderable), (0, 0, 0, by))


def describe(item: Item, entry_names: dict[str, tuple[str, str]]) -> Group:
    """The main pane for ``item``: everything needed to decide, most telling first.

    ``entry_names`` maps entry ids to ``(kind, name)`` so merge suggestions read as
    names. Built from plain :class:`~rich.text.Text`: article text is never parsed as
    markup, and goes through :func:`visible` on its way to the terminal.
    """
    text = Text()
    parts: list[Padding] = []  # the sentences, below ``text``
    text.append(f"{badge(item)} ", style="bold")
    if item.category == "undated":
        page = page_of(item)
        text.append(item.name or page, style="bold")
        text.append(f"\nPage: {page}\n")
        text.append("This page has no date. Press d to give it one (YYYY-MM-DD).")
        if item.reason:
            text.append(f"\nWhy: {item.reason}")
        if item.occurrences:
            text.append("\n\nIt begins:", style="bold")
            parts += [_indented(_sentence(o.sentence, 0, 0), 2) for o in item.occurrences[:OCCURRENCES_SHOWN]]
        return Group(visible(text), *parts)

    text.append(item.name, style="bold")
    text.append(f"\nProposed as {item.kind}")
    if item.reason:
        text.append(f": {item.reason}")
    other_forms = [form for form in item.forms if form != item.name]
    if other_forms:
        text.append("\nForms: " + " · ".join(other_forms))
    text.append(f"\n{_counted(item.count, 'mention')} in {_counted(len(item.articles), 'page')}")
    if item.articles:
        text.append(": " + ", ".join(item.articles))
    fills = known_lines(item.known)
    if fills:
        text.append("\nAccepting fills: " + "; ".join(fills))
    if item.suggestions:
        names = []
        for entry_id in item.suggestions:
            _kind, name = entry_names.get(entry_id, ("", ""))
            names.append(f"{name} ({entry_id})" if name else entry_id)
        text.append("\nMay be the same as: " + "; ".join(names) + " — m to merge")
    if item.occurrences:
        text.append("\n\nIn context:", style="bold")
        for occurrence in item.occurrences[:OCCURRENCES_SHOWN]:
            parts.append(_indented(_sentence(occurrence.sentence, occurrence.start, occurrence.end), 2))
            parts.append(_indented(Text(f"{occurrence.page}:{occurrence.line}", style="italic"), 4))
        hidden = len(item.occurrences) - OCCURRENCES_SHOWN
        if hidden > 0:
            parts.append(_indented(Text(f"… {_counted(hidden, 'more sentence')}"), 2))
    return Group(visible(text), *parts)


def queue_prompt(item: Item) -> Text:
    """One line of the queue: mentions, kind badge, name. The count comes first so a
    narrow list never cuts it off."""
    if item.category == "undated":
        line = Text("   ")  # under the counts
        line.append(badge(item), style="bold")
        line.append(f" {item.name or page_of(item).rsplit('/', 1)[-1]}")
    else:
        line = Text(f"{item.count:>2}×")
        line.append(f" {badge(item)}", style="bold")
        line.append(f" {item.name}")
    return line
