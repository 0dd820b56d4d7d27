"""The interactive review queue: one decision at a time, one keystroke per decision.

Annotation tools (Prodigy's and doccano's accept/reject queues, OpenSanctions' dedupe
review) taught their users to expect this shape, so the queue follows it: the list of
what is left on the left, the item in hand on the right with everything needed to
decide (why it was proposed, its forms, the sentences it occurs in, what accepting
fills, which entries it may be the same as), and the outcome of each decision in a
status line at once. It talks only to a :class:`~briefbook.review.model.Session`, so
its tests drive it against an in-memory queue and the ``briefbook review`` command
against the book's.

Keys (the footer shows them; ``?`` shows this list)::

    a            accept the item as proposed
    k            change its kind (person, place or organization) and accept it
    m            merge it into an existing entry: type to filter, Enter merges,
                 Escape cancels (suggested entries come first)
    r            reject it (it is remembered, so the name never comes back)
    d            date an undated page (YYYY-MM-DD)
    u            undo the last decision
    ↑ ↓          previous / next item;  PgUp PgDn Home End  move further
    Tab          switch between the queue and the item (to scroll a long item)
    ?            help
    q            quit (every decision is already saved)

Nothing is carried by colour alone: kinds are written as badges (``[person]``), the
item in hand (and the choice in a picker) is marked ``▶``, the name is highlighted in
its sentences with bold reverse text, and errors start with "Error:". Article text
reaches the screen as plain text, never as markup, and without the control
characters that could drive the terminal.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from briefbook.review.model import Item, Outcome, ReviewError, Session

KINDS = ("person", "place", "organization")
BADGES = {"person": "[person]", "place": "[place]", "organization": "[org]", "undated": "[undated]"}
OCCURRENCES_SHOWN = 5
"""Sentences shown per item; the rest are counted ("… 7 more"), so one item fits a screen."""
SENTENCE_WINDOW = 110
"""Characters kept either side of the name in a long sentence."""

KEY_HELP: tuple[tuple[str, str], ...] = (
    ("a", "accept the item as proposed"),
    ("k", "change its kind (person, place, organization) and accept"),
    ("m", "merge into an existing entry (type to filter, Enter merges, Escape cancels)"),
    ("r", "reject (remembered: the name never comes back)"),
    ("d", "date an undated page (YYYY-MM-DD)"),
    ("u", "undo the last decision"),
    ("↑ ↓", "previous / next item"),
    ("PgUp PgDn Home End", "move further through the queue"),
    ("Tab", "switch between the queue and the item, to scroll a long item"),
    ("?", "this help"),
    ("q", "quit (every decision is already saved)"),
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INVISIBLE = {
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " "),  # control characters, ESC included
    **dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\N{REPLACEMENT CHARACTER}"),
}
del _INVISIBLE[ord("\n")]  # the panes' own line breaks; a sentence's are made spaces in _sentence
"""Characters article text must not send to the terminal: control characters (an escape
sequence could drive the terminal) and bidirectional overrides (they reorder what is
shown). Each becomes one character, so offsets into the text stay right."""


def visible(text: Text) -> Text:
    """``text`` with every character that could act on the terminal made harmless."""
    cleaned = text.plain.translate(_INVISIBLE)
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


def check_date(text: str) -> str:
    """``text`` as a ``YYYY-MM-DD`` date, or ValueError saying what is wrong with it."""
    value = text.strip()
    if not _DATE.fullmatch(value):
        raise ValueError(f"“{value}” is not a date: write it as YYYY-MM-DD, e.g. 2024-03-05.")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a day of the calendar (YYYY-MM-DD).") from None
    return value


def _folded(text: str) -> str:
    """Case and accents folded, so typing "zelensky" finds "Zelenskyy" and "Ménard" "menard"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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


class MarkedList(OptionList):
    """An option list whose cursor is a ``▶`` as well as a colour, so the option in hand
    shows in a monochrome terminal and to anything that reads the screen as text.

    Every prompt starts with two columns this list owns: ``▶ `` on the highlighted option,
    blanks on the others (:meth:`row` makes the prompt)."""

    MARK = "▶ "

    @staticmethod
    def row(prompt: Text, id: str | None = None, disabled: bool = False) -> Option:
        return Option(visible(Text("  ") + prompt), id=id, disabled=disabled)

    def watch_highlighted(self, highlighted: int | None) -> None:
        for index, option in enumerate(self.options):
            prompt = option.prompt
            if isinstance(prompt, Text) and (index == highlighted) != prompt.plain.startswith(self.MARK):
                mark = self.MARK if index == highlighted else " " * len(self.MARK)
                self.replace_option_prompt_at_index(index, Text(mark) + prompt[len(self.MARK):])
        super().watch_highlighted(highlighted)


class QueueList(MarkedList, inherit_bindings=False):
    """The queue: an option list whose arrows are named in the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Move", key_display="↑↓"),
        Binding("up", "cursor_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]


# --- pickers -------------------------------------------------------------------------------


class KindScreen(ModalScreen[str | None]):
    """Choose the kind to accept an item under: arrows and Enter, or 1 / 2 / 3."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("1", "choose('person')", "person", show=False),
        Binding("2", "choose('place')", "place", show=False),
        Binding("3", "choose('organization')", "organization", show=False),
    ]

    def __init__(self, item: Item) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(visible(Text(f"Accept “{self.item.name}” as:", style="bold")))
            options = []
            for number, kind in enumerate(KINDS, 1):
                prompt = f"{number}  {BADGES[kind]} {kind}"
                if kind == self.item.kind:
                    prompt += "  (as proposed)"
                options.append(MarkedList.row(Text(prompt), id=kind))
            yield MarkedList(*options, id="kinds")
            yield Static(Text("↑ ↓ and Enter, or 1 2 3 · Escape cancels"))

    def on_mount(self) -> None:
        kinds = self.query_one("#kinds", MarkedList)
        others = [i for i, kind in enumerate(KINDS) if kind != self.item.kind]
        kinds.highlighted = others[0] if others else 0
        kinds.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self, kind: str) -> None:
        self.dismiss(kind)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MergeScreen(ModalScreen[str | None]):
    """Pick the entry to merge into, filtered as you type; suggestions first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move('cursor_down')", show=False),
        Binding("up", "move('cursor_up')", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
    ]

    def __init__(self, item: Item, entries: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.item = item
        rank = {entry_id: i for i, entry_id in enumerate(item.suggestions)}
        self.entries = sorted(
            entries, key=lambda e: (rank.get(e[0], len(rank)), _folded(e[2]), e[0]))
        self.suggested = set(rank)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(visible(Text(f"Merge “{self.item.name}” into:", style="bold")))
            yield Input(placeholder="type part of a name or id", id="filter")
            yield MarkedList(id="entries")
            yield Static(Text("↑ ↓ choose · Enter merges · Escape cancels"), id="merge-hint")

    def on_mount(self) -> None:
        self._filter("")
        self.query_one("#filter", Input).focus()

    def _filter(self, typed: str) -> None:
        wanted = _folded(typed.strip())
        options = self.query_one("#entries", MarkedList)
        options.clear_options()
        for entry_id, kind, name in self.entries:
            if wanted and wanted not in _folded(name) and wanted not in entry_id:
                continue
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(BADGES.get(kind, f"[{kind}]"), style="bold")
            prompt.append(f" {name} ({entry_id})")
            if entry_id in self.suggested:
                prompt.append("  suggested", style="italic")
            options.add_option(MarkedList.row(prompt, id=entry_id))
        if options.option_count:
            options.highlighted = 0
        else:
            options.add_option(MarkedList.row(Text(f"No entry matches “{typed.strip()}”."), disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._merge_highlighted()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def _merge_highlighted(self) -> None:
        option = self.query_one("#entries", MarkedList).highlighted_option
        if option is None or option.disabled or option.id is None:
            self.app.bell()
            return
        self.dismiss(option.id)

    def action_move(self, action: str) -> None:
        options = self.query_one("#entries", MarkedList)
        getattr(options, f"action_{action}")()

    def action_cancel(self) -> None:
        self.dismiss(None)


class DateScreen(ModalScreen[str | None]):
    """Ask for an undated page's date; a malformed date is refused here, before the session."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, item: Item) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(visible(Text(f"Date for {page_of(self.item)}", style="bold")))
            yield Input(placeholder="YYYY-MM-DD", id="date")
            yield Static(Text("Enter sets the date · Escape cancels"), id="date-error")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            date = check_date(event.value)
        except ValueError as error:
            self.query_one("#date-error", Static).update(Text(f"Error: {error}", style="bold"))
            self.app.bell()
            return
        self.dismiss(date)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key, in one place (the footer has room only for the decisions)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, what in KEY_HELP:
            keys.add_row(key, what)
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text("Review keys", style="bold"))
            yield Static(keys)
            yield Static(Text("\nThe queue lists mentions, kind and name; ▶ marks the item in hand.\n"
                              "Escape or ? closes this help."))

    def action_close(self) -> None:
        self.dismiss(None)


# --- the queue -----------------------------------------------------------------------------


class QueueScreen(Screen[None]):
    """The queue and the item in hand; every decision goes through :meth:`_decide`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("k", "kind", "Kind"),
        Binding("m", "merge", "Merge"),
        Binding("r", "reject", "Reject"),
        Binding("d", "date", "Date"),
        Binding("u", "undo", "Undo"),
        # The queue list moves itself when it has focus; these keep the keys working
        # while the item pane has it (and has nothing to scroll).
        Binding("down", "move('cursor_down')", show=False),
        Binding("up", "move('cursor_up')", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, session: Session, book: str = "") -> None:
        super().__init__()
        self.session = session
        self.book = book
        self.items: list[Item] = []
        self.entry_names: dict[str, tuple[str, str]] = {}
        self.decided = 0

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with Horizontal(id="body"):
            yield QueueList(id="queue")
            with VerticalScroll(id="item"):
                yield Static(id="detail")
        yield Static(Text("? shows every key"), id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._reload(select=0)
        self.query_one("#queue", OptionList).focus()

    # --- what the user sees -------------------------------------------------------------

    @property
    def current(self) -> Item | None:
        index = self.query_one("#queue", OptionList).highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def _say(self, message: str) -> None:
        self.query_one("#status", Static).update(visible(Text(message)))

    def _error(self, message: str) -> None:
        self._say(f"Error: {message}")
        self.notify(message.translate(_INVISIBLE), title="Error: not done", severity="error",
                    timeout=10, markup=False)

    def _show_progress(self) -> None:
        left = len(self.items)
        title = f"briefbook review · {self.book}" if self.book else "briefbook review"
        progress = f"{self.decided} of {self.decided + left} decided · {left} left"
        self.query_one("#progress", Static).update(
            visible(Text(f"{title} — {progress}", no_wrap=True, overflow="ellipsis")))

    def _show(self, index: int | None) -> None:
        """Put item ``index`` in the main pane."""
        detail = self.query_one("#detail", Static)
        if index is None or index >= len(self.items):
            detail.update(Text("Nothing to review.\n\nEvery name and page in the queue is decided. "
                               "Press u to undo the last decision or q to quit."))
            return
        detail.update(describe(self.items[index], self.entry_names))
        self.query_one("#item", VerticalScroll).scroll_home(animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Only the queue's own cursor, and only if the message is not stale (a decision
        # may have re-read the queue since it was posted).
        if event.option_list.id == "queue" and event.option_index == event.option_list.highlighted \
                and event.option_index < len(self.items) \
                and self.items[event.option_index].key == event.option.id:
            self._show(event.option_index)

    def _reload(self, select: int | None = None, after: str | None = None, undone: bool = False) -> None:
        """Re-read the queue and choose the item to show: ``select`` by index, the one
        that followed ``after`` (the item just decided), or, ``undone``, the item an undo
        brought back."""
        old_keys = [item.key for item in self.items]
        current = self.current
        self.items = self.session.items()
        self.entry_names = {entry_id: (kind, name) for entry_id, kind, name in self.session.entries()}
        keys = [item.key for item in self.items]
        index = self._choose(old_keys, keys, select, after, undone, current.key if current else None)
        queue = self.query_one("#queue", MarkedList)
        queue.clear_options()
        queue.add_options(MarkedList.row(queue_prompt(item), id=item.key) for item in self.items)
        if index is not None:
            queue.highlighted = index
        self._show(index)
        self._show_progress()

    @staticmethod
    def _choose(old: list[str], new: list[str], select: int | None, after: str | None,
                undone: bool, current: str | None) -> int | None:
        if not new:
            return None
        if select is not None:
            return min(select, len(new) - 1)
        if undone:
            back = [key for key in new if key not in old]
            if back:
                return new.index(back[0])
        if after is not None and after in old:
            position = old.index(after)
            for key in _after(old, position):
                if key in new:
                    return new.index(key)
            return min(position, len(new) - 1)
        if current in new:
            return new.index(current)
        return 0

    # --- decisions ----------------------------------------------------------------------

    def _decide(self, key: str, decision: Callable[[], Outcome]) -> None:
        """Apply one decision; a :class:`ReviewError` is shown and changes nothing here."""
        try:
            outcome = decision()
        except ReviewError as error:
            self._error(str(error))
            return
        self.decided += 1
        self._reload(after=key)
        self._say(outcome.message)

    def _entity(self, what: str) -> Item | None:
        """The item in hand if it is a name (not an undated page), else say why not."""
        item = self.current
        if item is None:
            self._say("Nothing to review.")
            return None
        if item.category == "undated":
            self._say(f"This is a page without a date, not a name to {what}: press d to date it.")
            return None
        return item

    def action_accept(self) -> None:
        item = self._entity("accept")
        if item is not None:
            self._decide(item.key, lambda: self.session.accept(item.key))

    def action_kind(self) -> None:
        item = self._entity("change the kind of")
        if item is None:
            return

        def chosen(kind: str | None) -> None:
            if kind is None:
                self._say("Kind unchanged.")
            else:
                self._decide(item.key, lambda: self.session.accept(item.key, kind=kind))

        self.app.push_screen(KindScreen(item), chosen)

    def action_merge(self) -> None:
        item = self._entity("merge")
        if item is None:
            return
        entries = self.session.entries()
        if not entries:
            self._say("There is no reviewed entry to merge into yet: accept one first.")
            return

        def chosen(into: str | None) -> None:
            if into is None:
                self._say("Merge cancelled.")
            else:
                self._decide(item.key, lambda: self.session.merge(item.key, into))

        self.app.push_screen(MergeScreen(item, entries), chosen)

    def action_reject(self) -> None:
        item = self._entity("reject")
        if item is not None:
            self._decide(item.key, lambda: self.session.reject(item.key))

    def action_date(self) -> None:
        item = self.current
        if item is None:
            self._say("Nothing to review.")
            return
        if item.category != "undated":
            self._say("d dates a page without a date; this item is a name (a, k, m or r decide it).")
            return

        def chosen(date: str | None) -> None:
            if date is None:
                self._say("Date unchanged.")
            else:
                self._decide(item.key, lambda: self.session.date_page(item.key, date))

        self.app.push_screen(DateScreen(item), chosen)

    def action_undo(self) -> None:
        try:
            outcome = self.session.undo()
        except ReviewError as error:
            self._error(str(error))
            return
        if outcome is None:
            self._say("Nothing to undo.")
            return
        self.decided = max(0, self.decided - 1)
        self._reload(undone=True)
        self._say(outcome.message)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_move(self, action: str) -> None:
        getattr(self.query_one("#queue", MarkedList), f"action_{action}")()

    def action_quit(self) -> None:
        self.app.exit(0)


def _after(keys: list[str], position: int) -> Iterable[str]:
    """The keys after ``position``, then those before it nearest first: where to go next."""
    yield from keys[position + 1:]
    yield from reversed(keys[:position])


class ReviewApp(App[int]):
    """The review queue of one book (``book`` names it in the header)."""

    TITLE = "briefbook review"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #progress { height: 1; text-style: bold; background: $primary-muted; padding: 0 1; }
    #body { height: 1fr; }
    #queue { width: 1fr; min-width: 30; max-width: 44; height: 1fr; border: none;
             border-right: solid $primary; text-wrap: nowrap; text-overflow: ellipsis; }
    #item { width: 2fr; height: 1fr; padding: 0 1; }
    #status { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    ToastRack { margin-bottom: 3; }
    KindScreen, MergeScreen, DateScreen, HelpScreen { align: center middle; }
    .dialog { width: 70; max-width: 100%; height: auto; max-height: 90%;
              border: thick $primary; padding: 0 1; background: $surface; }
    #entries { height: auto; max-height: 12; text-wrap: nowrap; text-overflow: ellipsis; }
    #kinds { height: auto; }
    """

    def __init__(self, session: Session, book: str = "") -> None:
        super().__init__()
        self.session = session
        self.book = book

    def get_default_screen(self) -> Screen:
        return QueueScreen(self.session, self.book)


def run_terminal(session: Session, *, book: str = "") -> int:
    """Run the review queue in this terminal; the exit code for ``briefbook review``.

    Without a terminal (output piped, a script, CI) it says which commands do the same
    without one and returns 2, instead of drawing escape codes into a file.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("briefbook review needs a terminal; for scripts use `briefbook review --list --json` "
              "and --accept, --merge, --reject.", file=sys.stderr)
        return 2
    app = ReviewApp(session, book)
    result = app.run()
    if app.return_code:
        return app.return_code
    return result or 0
