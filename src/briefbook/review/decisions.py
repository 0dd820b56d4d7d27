"""Review decisions: accept, change the kind, merge, reject, date a page, and undo them.

A decision is worked out in memory first (a :class:`Plan`): the registry files' edited
text (:mod:`.yaml_edit`, so every byte the decision is not about survives), the pages
whose links must follow a deleted or renamed id (:mod:`.pages`), ``review.yaml``.  The
edited registry is then loaded by :func:`briefbook.entities.registry_files.load_registry` from a
scratch copy; if it would not load, nothing is written.  Only then does the journal
(:mod:`.journal`) record what each file held, and the files are replaced atomically.

What a decision does to the pages, decided where the issue left it open:

* merge, and accept under a name whose id differs from the stub's: roles whose target
  is a deleted or renamed id (``{place}`UK <uk>```, ``{place}`uk```) name the entry's id
  now (and the role of its kind); roles naming it by a name keep it (an alias now);
  quotation speakers follow the same way;
* reject: roles that resolve to a rejected stub are unlinked, their shown text kept as
  plain (escaped) text, and a quotation's ``speaker=`` becomes ``unnamed=`` the name, so
  the book still builds and no word of a page is lost.  The outcome names the pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from briefbook.book.lock import BookBusyError, book_lock, default_wait
from briefbook.entities.registry import (
    FILES,
    KIND_FIELDS,
    KINDS,
    ORG_KINDS,
    PLACE_KINDS,
    EntityKind,
    Registry,
    RegistryError,
    normalise,
)
from briefbook.entities.registry_files import load_registry
from briefbook.entities.review_state import STATE_FILE, Proposal, ReviewState, ReviewStateError
from briefbook.ingest.stubs import candidate_id
from briefbook.ingest.variants import is_spelling_variant
from briefbook.review.book import ReviewBook
from briefbook.review.journal import Journal
from briefbook.review.model import Item, Outcome, ReviewError
from briefbook.review.pages import Relink, page_files, relink
from briefbook.review.queue import PLACEHOLDER_RE, build_queue, front_matter, known_facts
from briefbook.review.yaml_edit import RegistryFileEdit, flow_pair, set_field

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATED_NAME = re.compile(r"^(?:undated-|\d{4}-\d{2}-\d{2}-)")


def load_book(book: ReviewBook) -> tuple[Registry, ReviewState]:
    """The registry and review state, or a :class:`ReviewError` saying what to fix first."""
    if not book.registry.is_dir():
        raise ReviewError(f"{book.registry}: no registry folder (briefbook init makes one)")
    try:
        registry = load_registry(book.registry, base=book.root)
    except RegistryError as exc:
        problems = "\n".join(f"  {p}" for p in exc.problems)
        raise ReviewError(f"the registry in {book.rel(book.registry)} has problems; fix them first "
                          f"(nothing was changed):\n{problems}") from exc
    try:
        state = ReviewState.load(book.registry)
    except ReviewStateError as exc:
        raise ReviewError(str(exc)) from exc
    return registry, state


@dataclass
class Plan:
    """Everything one decision changes, in memory until it is known to be right."""

    book: ReviewBook
    registry: Registry
    state: ReviewState
    files: dict[str, RegistryFileEdit] = field(default_factory=dict)
    location: dict[str, str] = field(default_factory=dict)
    claimed: dict[str, str] = field(default_factory=dict)
    relinks: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    pages: dict[Path, str | None] = field(default_factory=dict)
    loaded_state: str = ""

    def __post_init__(self) -> None:
        self.loaded_state = self.state.dumps()
        self.location = {e.id: e.kind for e in self.registry}
        self.claimed = {normalise(n): e.id for e in self.registry for n in e.all_names}

    def file(self, kind: str) -> RegistryFileEdit:
        if kind not in self.files:
            self.files[kind] = RegistryFileEdit.read(self.book.registry / FILES[cast(EntityKind, kind)])
        return self.files[kind]

    def entry(self, entity_id: str) -> CommentedMap:
        return self.file(self.location[entity_id]).entry(entity_id)

    def delete(self, entity_id: str) -> CommentedMap:
        mapping = self.file(self.location.pop(entity_id)).delete(entity_id)
        self.claimed = {n: i for n, i in self.claimed.items() if i != entity_id}
        return mapping

    def add(self, kind: str, mapping: CommentedMap) -> None:
        self.file(kind).add(mapping)
        self.location[str(mapping["id"])] = kind

    def claim(self, name: str, entity_id: str) -> None:
        self.claimed[normalise(name)] = entity_id

    def forget(self, item: Item) -> None:
        """Drop the proposals behind ``item`` (decided now) from ``review.yaml``."""
        for stub_id in item.stub_ids:
            self.state.forget(stub_id=stub_id)
        for form in item.forms:
            self.state.proposals = [p for p in self.state.proposals if not (
                p.stub_id is None and p.kind == item.kind and normalise(p.name) == normalise(form))]

    def proposals(self, item: Item) -> list[Proposal]:
        forms = {normalise(f) for f in item.forms}
        return [p for p in self.state.proposals
                if (p.stub_id in item.stub_ids)
                or (p.stub_id is None and p.kind == item.kind and normalise(p.name) in forms)]

    # --- writing ----------------------------------------------------------------------------

    def writes(self) -> tuple[dict[Path, str | None], list[str]]:
        """Every file's new text (None: deleted), and the pages whose links changed."""
        writes: dict[Path, str | None] = {}
        for edit in self.files.values():
            text = edit.render()
            if text != edit.text:
                writes[edit.path] = text
        if writes:
            self._verify(writes)
        if self.state.dumps() != self.loaded_state:
            writes[self.book.registry / STATE_FILE] = self.state.dumps()
        relinked: list[str] = []
        if self.relinks:
            change = Relink(self.relinks, self._resolves,
                            {i: self.registry.entities[i].name for i in self.relinks})
            for path in page_files(self.book.srcdir):
                if path in self.pages:
                    continue
                try:
                    text = path.read_bytes().decode("utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if "{" not in text:
                    continue
                new = relink(text, change)
                if new != text:
                    writes[path] = new
                    relinked.append(self.book.rel(path))
        writes.update(self.pages)
        return writes, relinked

    def _resolves(self, text: str, kind: str) -> str | None:
        entity = self.registry.lookup(text, cast(EntityKind, kind) if kind else None)
        return entity.id if entity is not None else None

    def _verify(self, writes: dict[Path, str | None]) -> None:
        """Load the registry as the decision would leave it; refuse when it would not load."""
        with tempfile.TemporaryDirectory(prefix="briefbook-review-") as scratch:
            folder = Path(scratch)
            for kind in KINDS:
                path = self.book.registry / FILES[kind]
                text = writes.get(path)
                if text is None and path.exists():
                    text = path.read_bytes().decode("utf-8")
                if text is not None:
                    (folder / FILES[kind]).write_bytes(text.encode("utf-8"))
            try:
                load_registry(folder, base=folder)
            except RegistryError as exc:
                where = self.book.rel(self.book.registry)
                problems = "\n".join(f"  {where}/{p}" for p in exc.problems)
                raise ReviewError("the decision would leave the registry unreadable, so nothing "
                                  f"was written:\n{problems}") from exc


def find_item(items: list[Item], key: str) -> Item:
    """The item ``key`` names: its own key, any of its stubs, or any of its forms."""
    for item in items:
        if item.key == key or (key.startswith("stub:") and key[5:] in item.stub_ids):
            return item
    if key.startswith("candidate:"):
        _, kind, name = [*key.split(":", 2), "", ""][:3]
        for item in items:
            if item.kind == kind and normalise(name) in {normalise(f) for f in item.forms}:
                return item
    raise ReviewError(f"no item '{key}' in the review queue (briefbook review --list shows the keys)")


def _check_kind(kind: str) -> EntityKind:
    if kind not in KINDS:
        raise ReviewError(f"kind '{kind}' is not one of: {', '.join(KINDS)}")
    return cast(EntityKind, kind)


def _entity_item(item: Item) -> Item:
    if item.category != "entity":
        raise ReviewError(f"'{item.key}' is an undated page: give it a date (--date {item.key} "
                          "YYYY-MM-DD)")
    return item


def _add_aliases(plan: Plan, mapping: CommentedMap, entity_id: str, names: list[str]) -> list[str]:
    """Add ``names`` to the entry's aliases (spelling variants marked); return those left
    out because another entry has them."""
    own = [str(mapping.get("name", ""))]
    aliases = mapping.get("aliases")
    if not isinstance(aliases, list):
        aliases = CommentedSeq()
    for alias in aliases:
        own.append(str(alias.get("name", "")) if isinstance(alias, dict) else str(alias))
    for name in own:
        if name:
            plan.claim(name, entity_id)
    left_out = []
    added = False
    for name in names:
        key = normalise(name)
        if not key or key in {normalise(o) for o in own}:
            continue
        owner = plan.claimed.get(key)
        if owner is not None and owner != entity_id:
            left_out.append(f"{name} (already {owner}'s)")
            continue
        if any(is_spelling_variant(name, o) for o in own if o):
            variant = CommentedMap()
            variant["name"] = name
            variant["variant"] = True
            aliases.append(variant)
        else:
            aliases.append(name)
        own.append(name)
        plan.claim(name, entity_id)
        added = True
    if added:
        set_field(mapping, "aliases", aliases)
    return left_out


def _fit_kind(mapping: CommentedMap, kind: EntityKind) -> list[str]:
    """Drop the fields ``kind`` does not allow (a change of kind); return their names."""
    dropped = [str(k) for k in mapping if k not in KIND_FIELDS[kind]]
    allowed = PLACE_KINDS if kind == "place" else ORG_KINDS if kind == "organization" else set()
    if "kind" in mapping and str(mapping["kind"]) not in allowed:
        dropped.append("kind")
    for key in dict.fromkeys(dropped):
        del mapping[key]
    return list(dict.fromkeys(dropped))


def _fill(mapping: CommentedMap, facts: dict[str, Any]) -> list[str]:
    """Set the offline facts the entry lacks; return what was filled."""
    filled: list[str] = []
    for key in ("kind", "country"):
        if key in facts and key not in mapping:
            set_field(mapping, key, facts[key])
            filled.append(key)
    if "coordinates" in facts and "coordinates" not in mapping:
        set_field(mapping, "coordinates", flow_pair(*facts["coordinates"]))
        filled.append("coordinates")
    role = facts.get("role")
    if role and "roles" not in mapping:
        try:
            start = dt.date.fromisoformat(str(role["start"]))
        except ValueError:
            return filled
        entry = CommentedMap()
        entry["title"] = role["title"]
        entry["start"] = start
        set_field(mapping, "roles", CommentedSeq([entry]))
        filled.append("role")
    return filled


def accept(plan: Plan, item: Item, kind: str | None = None, name: str | None = None) -> str:
    """Make ``item`` one reviewed entry (as ``kind``, under ``name``); the outcome line."""
    _entity_item(item)
    new_kind = _check_kind(kind or item.kind)
    name = " ".join((name if name is not None else item.name).split())
    if not name:
        raise ReviewError("the name is empty")
    group = list(item.stub_ids)
    owner = plan.claimed.get(normalise(name))
    if owner is not None and owner not in group:
        raise ReviewError(f"'{name}' is already a name of '{owner}': merge into it instead "
                          f"(briefbook review --merge {item.key} {owner})")
    others: list[str] = []
    if group:
        keeper = next((s for s in group if normalise(plan.registry.entities[s].name) == normalise(name)),
                      group[0])
        old_names = [n for s in group for n in plan.registry.entities[s].all_names]
        for other in group:
            if other != keeper:
                plan.delete(other)
                others.append(other)
        old_kind = plan.location[keeper]
        if old_kind != new_kind:
            mapping = plan.delete(keeper)
        else:
            mapping = plan.entry(keeper)
            plan.claimed = {n: i for n, i in plan.claimed.items() if i != keeper}
        taken = set(plan.location) - {keeper}
        entity_id = keeper if normalise(plan.registry.entities[keeper].name) == normalise(name) \
            else candidate_id(name, taken)
        if entity_id != keeper:
            mapping["id"] = entity_id
        for stub in group:
            if stub != entity_id or old_kind != new_kind:
                plan.relinks[stub] = (entity_id, new_kind)
        if old_kind != new_kind:
            plan.add(new_kind, mapping)
        elif entity_id != keeper:
            plan.location[entity_id] = plan.location.pop(keeper)
    else:
        old_names = []
        entity_id = candidate_id(name, set(plan.location))
        mapping = CommentedMap()
        mapping["id"] = entity_id
        plan.add(new_kind, mapping)
    set_field(mapping, "name", name)
    plan.claim(name, entity_id)
    dropped = _fit_kind(mapping, new_kind)
    left_out = _add_aliases(plan, mapping, entity_id, [*item.forms, *old_names])
    mapping.pop("unreviewed", None)
    if PLACEHOLDER_RE.match(str(mapping.get("description", "")).strip()):
        del mapping["description"]
    forms = [name, *item.forms]
    facts = known_facts(new_kind, forms, plan.proposals(item))
    filled = _fill(mapping, facts)
    plan.forget(item)
    message = f"accepted '{name}' as a {new_kind} ({entity_id})"
    if filled:
        message += f"; filled {', '.join(filled)}"
    if others:
        message += f"; folded in {', '.join(others)}"
    if dropped:
        message += f"; dropped {', '.join(dropped)} (not a {new_kind}'s)"
    if left_out:
        message += f"; not added as aliases: {', '.join(left_out)}"
    return message


def merge(plan: Plan, item: Item, into: str) -> str:
    """Fold ``item`` into the entry ``into``: its names become aliases, its stubs go."""
    _entity_item(item)
    target = plan.registry.get(into)
    if target is None or into not in plan.location:
        raise ReviewError(f"no registry entry with id '{into}' to merge into")
    if into in item.stub_ids:
        raise ReviewError(f"'{into}' is one of the item's own stubs: accept the item instead")
    names = [*item.forms, *(n for s in item.stub_ids for n in plan.registry.entities[s].all_names)]
    for stub in item.stub_ids:
        plan.delete(stub)
        plan.relinks[stub] = (into, target.kind)
    left_out = _add_aliases(plan, plan.entry(into), into, list(dict.fromkeys(names)))
    plan.forget(item)
    message = f"merged '{item.name}' into {into} ({target.name})"
    if left_out:
        message += f"; not added as aliases: {', '.join(left_out)}"
    return message


def reject(plan: Plan, item: Item) -> str:
    """Delete the item's stubs and remember its names, so ingest never proposes them again."""
    _entity_item(item)
    names = [*item.forms, *(n for s in item.stub_ids for n in plan.registry.entities[s].all_names)]
    for stub in item.stub_ids:
        plan.delete(stub)
        plan.relinks[stub] = (None, item.kind)
    for name in dict.fromkeys(names):
        plan.state.reject(name, item.kind)
    plan.forget(item)
    removed = f"; removed {', '.join(item.stub_ids)}" if item.stub_ids else ""
    return f"rejected '{item.name}' ({len(dict.fromkeys(names))} name(s) remembered){removed}"


def date_page(plan: Plan, item: Item, date: str) -> str:
    """Set the page's ``date:`` and give it the dated file name ``<date>-<slug>.md``."""
    if item.category != "undated":
        raise ReviewError(f"'{item.key}' is not an undated page")
    if not _DATE_RE.match(date):
        raise ReviewError(f"'{date}' is not a date: write YYYY-MM-DD")
    try:
        dt.date.fromisoformat(date)
    except ValueError as exc:
        raise ReviewError(f"'{date}' is not a date ({exc})") from exc
    path = plan.book.root / item.key.removeprefix("undated:")
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot be read ({exc})") from exc
    target = path.with_name(f"{date}-{_DATED_NAME.sub('', path.name)}")
    if target != path and target.exists():
        raise ReviewError(f"{target}: already exists; rename or remove it first")
    plan.pages[path] = None
    plan.pages[target] = with_date(text, date, path)
    moved = f", now {plan.book.rel(target)}" if target != path else ""
    return f"dated {plan.book.rel(path)} {date}{moved}"


def with_date(text: str, date: str, path: Path) -> str:
    """``text`` with ``date: <date>`` in its front matter (replacing an empty or
    malformed date; a front matter is added to a page without one)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return f"---{newline}date: {date}{newline}---{newline}" + text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None or (front_matter(text) is None and "".join(lines[1:end]).strip()):
        raise ReviewError(f"{path}:1: the front matter is not valid YAML; fix it first")
    for index in range(1, end):
        if re.match(r"^date\s*:", lines[index]):
            lines[index] = f"date: {date}{newline}"
            return "".join(lines)
    after = next((i + 1 for i in range(1, end) if re.match(r"^title\s*:", lines[i])), 1)
    while after < end and lines[after][:1] in (" ", "\t"):
        after += 1  # a title folded over several lines
    lines.insert(after, f"date: {date}{newline}")
    return "".join(lines)


Action = Callable[[Plan, list[Item]], str]


#: How long a decision of the interactive queue waits for another command writing the
#: book (a build, an ingest) before saying the book is busy.
DECISION_WAIT = 10.0


@contextlib.contextmanager
def _book_locked(book: ReviewBook) -> Iterator[None]:
    """Hold the book's lock (:mod:`briefbook.book.lock`) while a decision reads and writes it;
    a decision made from the command line already holds it (the CLI takes it)."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(book_lock(book.root, "briefbook review",
                                          wait=min(default_wait(), DECISION_WAIT)))
        except BookBusyError as exc:
            raise ReviewError(str(exc)) from None
        yield


def decide(book: ReviewBook, action: Action) -> Outcome:
    """Work ``action`` out on a fresh plan and the current queue, check it, write it."""
    with _book_locked(book):
        registry, state = load_book(book)
        plan = Plan(book, registry, state)
        items = build_queue(book, registry, state)
        message = action(plan, items)
        writes, relinked = plan.writes()
        if relinked:
            message += f"; links rewritten in {', '.join(relinked)}"
        files = Journal(book.root, book.journal).apply(message, writes)
    return Outcome(message, files)


def accept_all(plan: Plan, items: list[Item]) -> str:
    """Accept every stub as proposed; an item that cannot be is left in the queue.

    Only stubs: a name ingest left as a bare candidate (named once with no rule vouching
    for it, or only inside quotations, where no page can link it) takes a decision of
    its own, or accepting everything would fill the registry with entries nothing
    mentions."""
    accepted, skipped = 0, []
    for item in items:
        if item.category != "entity" or not item.stub_ids:
            continue
        try:
            accept(plan, item)
        except ReviewError as exc:
            skipped.append(f"{item.key} ({exc})")
            continue
        accepted += 1
    message = f"accepted {accepted} item(s)"
    if skipped:
        message += f"; left in the queue: {'; '.join(skipped)}"
    return message


def undo(book: ReviewBook) -> Outcome | None:
    """Take the last decision back (see :class:`briefbook.review.journal.Journal`)."""
    with _book_locked(book):
        entry = Journal(book.root, book.journal).undo()
    if entry is None:
        return None
    return Outcome(f"undid: {entry.message}", [book.root / f["path"] for f in entry.files])
