"""The review terminal's widgets: option lists marked with ``▶``, and the picker dialogs.

The queue screen (:mod:`briefbook.review.terminal`) asks for a choice by pushing one of
these modal screens and gets the answer, or None for Escape, in its callback: the kind
to accept an item under (:class:`KindScreen`), the entry to merge it into, filtered as
one types (:class:`MergeScreen`), or an undated page's date, refused here when malformed
(:class:`DateScreen`). Each list marks the option in hand with ``▶`` as well as colour
(:class:`MarkedList`), so it reads the same in a monochrome terminal.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefbook.review.item_view import BADGES, KINDS, page_of, visible
from briefbook.review.model import Item

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
