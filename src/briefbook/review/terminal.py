"""The interactive review queue: one decision at a time, one keystroke per decision.

Annotation tools (Prodigy's and doccano's accept/reject queues, OpenSanctions' dedupe
review) taught their users to expect this shape, so the queue follows it: the list of
what is left on the left, the item in hand on the right with everything needed to
decide (why it was proposed, its forms, the sentences it occurs in, what accepting
fills, which entries it may be the same as), and the outcome of each decision in a
status line at once. It talks only to a :class:`~briefbook.review.model.Session`, so
its tests drive it against an in-memory queue and the ``briefbook review`` command
against the book's.

This module is the app and its keys: the queue screen that binds every decision, the
help, and :func:`run_terminal`. What it shows of an item is made in
:mod:`briefbook.review.item_view`; the option lists and the kind, merge and date
pickers are in :mod:`briefbook.review.widgets`.

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

import sys
from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static

from briefbook.review.item_view import INVISIBLE, describe, queue_prompt, visible
from briefbook.review.model import Item, Outcome, ReviewError, Session
from briefbook.review.widgets import DateScreen, KindScreen, MarkedList, MergeScreen, QueueList

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
        self.notify(message.translate(INVISIBLE), title="Error: not done", severity="error",
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
