"""Knowing an article already ingested, and refreshing its page without losing edits.

A book lives on after ingest: pages are dated, renamed, linked, annotated.  Ingesting the
same folder again must not write them again as new ``undated-*`` pages, so every article
is first looked up in what ``sources.bib`` records of earlier ingests
(:func:`read_records`):

1. the same text: the hash of the body as read (``ingested-content``), or, for books made
   before that field, the older ``ingested`` fingerprint;
2. the same address (``url``), with other text: the article changed;
3. the same input file name (``ingested-from``) and the same title with other text,
   unless both name different addresses: the article changed.  The title guards against
   two articles saved under one name in different folders (``2024-10/article.txt``,
   ``2024-11/article.txt``): a file of that name with another title is a new article.

Its page is the one whose front matter says ``source: <key>`` in the output folder,
whatever it is called now (:class:`Pages`).  Without ``--update`` or ``--force`` a known
article is skipped, nothing written, and the run says where it is.

``--update`` refreshes a known article (:func:`refresh`).  What ingest wrote last time
is kept beside the book, in ``.briefbook/ingested/<key>.page`` and ``<key>.bib`` next to
``sources.bib`` (commit it with the book: it is the base of every later update), and the
new render is merged with the page as it is now (:mod:`.merge`): what only the analyst
changed stays byte for byte, what only the article changed is applied, and where both
changed the same lines nothing is written for that article and a copy with conflict
markers goes to ``.briefbook/conflicts/<page>.conflict``.  Resolving the markers there and running
``--update`` again takes the resolved copy as the page.  ``--force`` overwrites the page
with the new render (the bibliography entry is still merged field by field, the article's
values winning).  In the bibliography entry, where the analyst and the article both
changed a field, the analyst's value is kept and the run says so: the entry is the
analyst's record of the source (grades, corrected names), and the page still gets the
article's change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from briefbook.book.atomic import atomic_write
from briefbook.ingest.bibtex import (
    CONTENT_FIELD,
    FINGERPRINT_FIELD,
    FROM_FIELD,
    content_hash,
    entry_fields,
    entry_spans,
    fingerprint,
    input_name,
    merge_entry,
    plain_value,
    title_field,
)
from briefbook.ingest.merge import Merged, has_markers, merge_text
from briefbook.ingest.model import Article, IngestError
from briefbook.ingest.writer import page_name

#: The book's own record of what ingest wrote, beside ``sources.bib``.
RECORD_FOLDER = ".briefbook"
_SOURCE_LINE = re.compile(r"""^source[ \t]*:[ \t]*["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?$""")


@dataclass(frozen=True)
class Record:
    """What ``sources.bib`` says of one article ingest wrote."""

    key: str
    line: int
    fingerprint: str = ""
    content: str = ""
    url: str = ""
    source_file: str = ""
    title: str = ""  # the entry's title field (plain value)


def read_records(bib: Path) -> list[Record]:
    """Every entry of ``bib`` that ingest made (it has ``ingested`` or
    ``ingested-content``), in file order.  Read leniently: a bib file with a broken entry
    elsewhere still tells which articles are known."""
    try:
        text = bib.read_bytes().decode("utf-8-sig", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise IngestError(str(bib), f"cannot be read: {exc.strerror or exc}") from None
    return records_in(text)


def records_in(text: str) -> list[Record]:
    """The records of a bib file's text (see :func:`read_records`)."""
    records = []
    for span in entry_spans(text):
        if "ingested" not in text[span.body:span.close].lower():
            continue  # not ingest's: no need to read its fields
        values = entry_fields(text, span)
        if values.get(FINGERPRINT_FIELD) or values.get(CONTENT_FIELD):
            records.append(Record(span.key, span.line, values.get(FINGERPRINT_FIELD, ""),
                                  values.get(CONTENT_FIELD, ""), values.get("url", ""),
                                  values.get(FROM_FIELD, ""), values.get("title", "")))
    return records


def same_address(url: str) -> str:
    """An address as compared: scheme and host in lower case, no fragment, no trailing
    slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                       parts.query, ""))


@dataclass(frozen=True)
class Known:
    """An input recognised as an article ingested before."""

    record: Record
    how: str  # "the same text", "the same address", "the same file name"
    changed: bool


def recognise(article: Article, records: list[Record], mark: str | None = None,
              bases: Bases | None = None) -> Known | None:
    """The record of ``article``, if it was ingested before (see the module's doc).

    ``mark`` is the old fingerprint of the article as read, before the batch's flags
    filled its date or author (they would make it another fingerprint).  ``bases``: where
    the entries as ingest wrote them are, so a title the analyst corrected in the
    bibliography still matches the article's."""
    content, mark = content_hash(article), mark or fingerprint(article)
    for record in records:
        if record.content == content or (not record.content and record.fingerprint == mark):
            return Known(record, "the same text", changed=False)
    url = same_address(article.url) if article.url else ""
    if url:
        found = _one([r for r in records if r.url and same_address(r.url) == url],
                     article, f"the address {article.url}")
        if found is not None:
            return Known(found, "the same address", changed=True)
    name = input_name(article)
    if name:
        title = plain_value("{" + title_field(article) + "}")
        found = _one([r for r in records if r.source_file == name
                      and title in (r.title, _written_title(r.key, bases))
                      and not (url and r.url and same_address(r.url) != url)],
                     article, f"the file name {name}")
        if found is not None:
            return Known(found, "the same file name", changed=True)
    return None


def _written_title(key: str, bases: Bases | None) -> str | None:
    written = bases.entry(key) if bases is not None else None
    spans = entry_spans(written) if written else []
    return entry_fields(written, spans[0]).get("title") if written and spans else None


def _one(records: list[Record], article: Article, what: str) -> Record | None:
    keys = sorted({r.key for r in records})
    if len(keys) > 1:
        raise IngestError(article.path, f"{what} was ingested as several articles "
                          f"({', '.join(keys)}); which one this is cannot be told: give the "
                          "file another name, or remove the stale entries from the bibliography")
    return records[0] if records else None


class Pages:
    """The pages of the output folder, by the source key in their front matter (read
    once per run, kept up to date with what the run writes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._by_key: dict[str, list[Path]] | None = None

    def _index(self) -> dict[str, list[Path]]:
        if self._by_key is None:
            self._by_key = {}
            for page in self._files():
                key = source_key(page)
                if key:
                    self._by_key.setdefault(key, []).append(page)
        return self._by_key

    def _files(self) -> Iterator[Path]:
        if not self.folder.is_dir():
            return
        for page in sorted(self.folder.rglob("*.md")):
            if page.is_file() and not any(part.startswith(".")
                                          for part in page.relative_to(self.folder).parts):
                yield page

    def find(self, key: str) -> list[Path]:
        return list(self._index().get(key, []))

    def moved(self, key: str, old: Path | None, new: Path) -> None:
        pages = self._index().setdefault(key, [])
        if old is not None and old in pages:
            pages.remove(old)
        if new not in pages:
            pages.append(new)


def source_key(page: Path) -> str:
    """The ``source:`` of a page's front matter ("" when it has none)."""
    try:
        with page.open(encoding="utf-8", errors="replace") as handle:
            if handle.readline().rstrip("\r\n") != "---":
                return ""
            for number, line in enumerate(handle):
                line = line.rstrip("\r\n")
                if line == "---" or number > 200:
                    return ""
                match = _SOURCE_LINE.match(line)
                if match:
                    return match.group(1)
    except OSError:
        return ""
    return ""


class Bases:
    """What ingest last wrote for each article: the base of a three-way merge."""

    def __init__(self, bib: Path) -> None:
        self.root = bib.parent / RECORD_FOLDER
        self.folder = self.root / "ingested"
        self.conflicts = self.root / "conflicts"

    @staticmethod
    def _name(key: str) -> str:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key).lstrip(".") or "_"
        if safe != key:
            safe += "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
        return safe

    def page(self, key: str) -> str | None:
        return _read(self.folder / f"{self._name(key)}.page")

    def entry(self, key: str) -> str | None:
        return _read(self.folder / f"{self._name(key)}.bib")

    def save(self, key: str, page: str, entry: str) -> None:
        atomic_write(self.folder / f"{self._name(key)}.page", page)
        atomic_write(self.folder / f"{self._name(key)}.bib", entry)

    def conflict(self, page: Path) -> tuple[Path, Path]:
        """The copy with conflict markers for ``page``, and its record.  Neither ends in
        ``.md``: in a project whose Sphinx sources folder is the book's root, Sphinx would
        read them as pages."""
        return self.conflicts / f"{page.name}.conflict", self.conflicts / f"{page.name}.json"


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(str(path), f"cannot be read: {exc}") from None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


Status = Literal["written", "updated", "unchanged", "skipped", "conflict"]


@dataclass
class Refresh:
    """What refreshing one known article did (or, in a dry run, would do)."""

    status: Status
    page: Path | None
    message: str
    renamed_from: Path | None = None
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the analyst should know


def refresh(known: Known, article: Article, theirs: str, entry: str, *, out: Path, bib: Path,
            pages: Pages, bases: Bases, force: bool, dry_run: bool) -> Refresh:
    """Bring a known article's page and bibliography entry up to date with ``theirs``
    (the page ingest renders now) and ``entry`` (its entry now); see the module's doc.
    Writes nothing when the page is in conflict; raises :class:`IngestError` for what the
    analyst must decide (several pages for one source, a page with no base).  In the
    bibliography entry the analyst's edits win (:func:`merge_entry`), with a note."""
    key = known.record.key
    found = pages.find(key)
    if len(found) > 1:
        raise IngestError(article.path, f"several pages give source: {key} "
                          f"({', '.join(str(p) for p in found)}); keep one, or give the "
                          "others another source, then update again")
    page = found[0] if found else None
    if page is None and not force:
        return Refresh("skipped", None, f"already ingested (source key {key}), but no page in "
                       f"{out} gives source: {key} any more; --force writes it again")
    ours = _page_text(page) if page is not None else None
    base = bases.page(key)
    merged: str
    note = ""
    if ours is None or force:
        merged = theirs
    elif base is None:
        if ours != theirs:
            raise IngestError(article.path, f"{page} was ingested before briefbook kept a copy "
                              "of what it wrote, so your edits cannot be told from the "
                              "article's: --force overwrites the page with the article's "
                              "version")
        merged = ours
    else:
        resolved = _resolution(page, ours, theirs, bases) if page is not None else None
        if resolved is not None:
            merged, note = resolved, " (with your resolution of the conflicts)"
        elif theirs == base:
            merged = ours
        else:
            outcome = merge_text(base, ours, theirs)
            if not outcome.clean and page is not None:
                return _conflict(page, key, ours, theirs, outcome, bases, dry_run)
            merged = outcome.text
    bib_text = _page_text(bib) if bib.exists() else ""
    try:
        entry_merge = merge_entry(bib_text, key, bases.entry(key), entry, prefer_new=force)
    except KeyError:
        raise IngestError(str(bib), f"entry {key} is gone from the bibliography") from None
    notes = [f"{bib}:{entry_merge.line}: entry {key}: kept your {name} (the article now "
             "gives another; --force takes the article's)" for name in entry_merge.conflicts]
    target = page if page is not None else target_for(
        out / page_name(article.title, article.date, Path(article.path).stem), key, force,
        article.path)
    renamed_from = None
    if page is not None and page.name.startswith("undated-") and article.date is not None:
        dated = page.with_name(page_name(article.title, article.date, page.stem))
        if not dated.exists():
            target, renamed_from = dated, page
    changed = merged != ours or renamed_from is not None or entry_merge.text != bib_text
    if not changed:
        if base is None and not dry_run:
            bases.save(key, theirs, entry)  # the page is as ingest writes it: a base from now on
        return Refresh("unchanged", page, f"up to date: {page} (source key {key})", notes=notes)
    verb = "would update" if dry_run else ("wrote" if ours is None else "updated")
    message = f"{verb} {target} (source key {key}){note}"
    if renamed_from is not None:
        message += f", renamed from {renamed_from.name}: it now has a date"
    if dry_run:
        return Refresh("updated", target, message, renamed_from, notes=notes)
    written = []
    if entry_merge.text != bib_text:
        atomic_write(bib, entry_merge.text)
        written.append(bib)
    if merged != ours or renamed_from is not None:
        atomic_write(target, merged)
        written.append(target)
    if renamed_from is not None:
        renamed_from.unlink()
    pages.moved(key, page, target)
    bases.save(key, theirs, entry)
    for leftover in bases.conflict(page or target):
        leftover.unlink(missing_ok=True)
    return Refresh("written" if ours is None else "updated", target, message, renamed_from,
                   written, notes)


def _page_text(path: Path) -> str:
    """A page's (or the bibliography's) text, line ends as they are."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(str(path), "not valid UTF-8: nothing was written for this article",
                          line) from None


def target_for(path: Path, key: str, force: bool, shown: str,
               taken: set[Path] | frozenset[Path] = frozenset()) -> Path:
    """Where a new page for source ``key`` goes: ``path``, or ``path`` with ``-2``, ``-3``
    … when another article's page (another ``source:``) or one of this run's has the name.
    A page there with no ``source:`` (or this one) is overwritten only with ``--force``,
    else :class:`IngestError`."""
    number, candidate = 2, path
    while candidate in taken or (candidate.exists() and source_key(candidate) not in ("", key)):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    if candidate.exists() and not force:
        raise IngestError(shown, f"page {candidate} already exists (use --force to overwrite)")
    return candidate


def _conflict(page: Path, key: str, ours: str, theirs: str, outcome: Merged, bases: Bases,
              dry_run: bool) -> Refresh:
    """Both changed the same lines: nothing written for the article; a copy with markers
    for the analyst (unless one they are already resolving would be overwritten)."""
    where = ", ".join(c.describe() for c in outcome.conflicts)
    copy, record = bases.conflict(page)
    if dry_run:
        return Refresh("conflict", page, f"{page}: {where} changed both by hand and in the "
                       f"article (source key {key}); --update would write nothing for it")
    started = _json(record)
    if copy.exists() and started and _digest(_page_text(copy)) != started.get("copy"):
        # The analyst is resolving an earlier copy: never overwrite their work.
        same = started.get("ours") == _digest(ours) and started.get("theirs") == _digest(theirs)
        state = ("still has conflict markers: finish resolving them" if same else
                 "was started before the page or the article changed: finish it and copy it "
                 "over the page, or delete it to start again")
        return Refresh("conflict", page, f"{page}: {where} changed both by hand and in the "
                       f"article (source key {key}); nothing written. {copy} {state}")
    atomic_write(copy, outcome.marked)
    atomic_write(record, json.dumps({"key": key, "page": str(page), "ours": _digest(ours),
                                     "theirs": _digest(theirs),
                                     "copy": _digest(outcome.marked)}, indent=2) + "\n")
    return Refresh("conflict", page, f"{page}: {where} changed both by hand and in the "
                   f"article (source key {key}); nothing written. Resolve the marked lines "
                   f"in {copy} and run --update again (it then becomes the page), or edit "
                   "the page yourself and delete that copy; --force takes the article's "
                   "version")


def _resolution(page: Path, ours: str, theirs: str, bases: Bases) -> str | None:
    """The analyst's resolved copy of an earlier conflict, when it is resolved and both
    the page and the article are as they were when the conflict was found."""
    copy, record = bases.conflict(page)
    started = _json(record)
    if not copy.exists() or not started:
        return None
    resolved = _page_text(copy)
    if (has_markers(resolved) or started.get("ours") != _digest(ours)
            or started.get("theirs") != _digest(theirs)):
        return None
    return resolved


def _json(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Book:
    """What a run knows of the book it writes into: its pages by source key, what ingest
    last wrote, and the bibliography's records (read again only when the file changed,
    so a batch of a thousand articles does not parse the bibliography a thousand times)."""

    def __init__(self, out: Path, bib: Path) -> None:
        self.pages = Pages(out)
        self.bases = Bases(bib)
        self.bib = bib
        self._records: tuple[tuple[int, int], list[Record]] | None = None

    def _stamp(self) -> tuple[int, int]:
        try:
            stat = self.bib.stat()
        except OSError:
            return (0, -1)
        return (stat.st_mtime_ns, stat.st_size)

    def records(self) -> list[Record]:
        stamp = self._stamp()
        if self._records is None or self._records[0] != stamp:
            self._records = (stamp, read_records(self.bib))
        return self._records[1]

    def appended(self, entry: str) -> None:
        """The run appended ``entry`` to the bibliography: its record, without reading
        the whole file again."""
        if self._records is not None:
            self._records = (self._stamp(), [*self._records[1], *records_in(entry)])

    def already(self, known: Known) -> str:
        """The line that says where a known article is and how to refresh it."""
        key = known.record.key
        pages = self.pages.find(key)
        where = (f"as {', '.join(str(p) for p in pages)} (source key {key})" if pages else
                 f"(source key {key}; no page gives that source any more: --force writes "
                 "it again)")
        change = f"; the text changed since ({known.how} as before)" if known.changed else ""
        return f"already ingested {where}{change}; --update to refresh"
