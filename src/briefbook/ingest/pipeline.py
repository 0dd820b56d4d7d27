"""Batch ingest: files in, pages and bibliography entries out, one summary.

Each article is analysed completely before anything is written, and every write is
atomic, so a failure midway leaves earlier pages intact and no half-written file;
failures are collected (never a traceback) and reported by file, and the exit code
says whether any occurred.  An article's page, bibliography entry and proposed names
are written all or nothing: the page is written to a temporary file first (so a folder
that cannot take it stops the article before the bibliography changes), the article is
recorded in the journal (:mod:`briefbook.ingest.journal`), then its entry is appended
and the page renamed into place; a run killed anywhere in between is completed by the
next, which also removes the temporary files it left.  A file that cannot be written (a
full disk, a read-only file or folder) stops the batch there, with the file named.  An
article the book already holds is recognised first (:mod:`briefbook.ingest.update`) and
skipped, or refreshed with ``--update``; the batch's
``--date``/``--author``/``--publisher``/``--url`` fill what an article does not state
(:mod:`briefbook.ingest.metadata`).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from briefbook.book.atomic import describe, remove_temporaries, stage
from briefbook.entities.registry import Registry
from briefbook.ingest import recognition, stubs
from briefbook.ingest.bibtex import (
    append_entry,
    content_hash,
    entry_text,
    fingerprint,
    plan_entry,
)
from briefbook.ingest.candidates import find_candidates
from briefbook.ingest.inputs import expand
from briefbook.ingest.journal import Journal, Pending, candidates_of, complete_interrupted
from briefbook.ingest.linker import Linker, family_name
from briefbook.ingest.metadata import BatchMetadata
from briefbook.ingest.model import Analysis, Article, BatchArticle, Found, IngestError, Mention
from briefbook.ingest.quote_marks import find_spans, mark_quoted
from briefbook.ingest.quotes import Attributor
from briefbook.ingest.reader import decode, parse_article, read_article
from briefbook.ingest.update import RECORD_FOLDER, Book, Status, recognise, refresh, target_for
from briefbook.ingest.web import WebAddress, read_url
from briefbook.ingest.writer import page_name, render_page


class Context:
    """Everything built once per run from the registry (the automaton is the costly part)."""

    def __init__(self, registry: Registry | None, backend: str = "auto",
                 model: str | None = None) -> None:
        # "is None", not "or": an empty registry is falsy, and replacing a new book's
        # (empty) registry would lose its folder, so stubs would land in the cwd.
        self.registry = registry if registry is not None else Registry({})
        self.linker = Linker(self.registry)
        self.backend = backend
        self.recogniser = recognition.load(backend, model)
        self.known = {n.casefold() for e in self.registry for n in e.all_names}
        self.family: dict[str, list[str]] = {}
        for entity in self.registry:
            if entity.kind == "person":
                for name in (family_name(entity), *entity.all_names):
                    ids = self.family.setdefault(name.casefold(), []) if name else None
                    if ids is not None and entity.id not in ids:
                        ids.append(entity.id)

    def resolve_label(self, name: str, mentions: Sequence[Mention]) -> str | None:
        """A transcript label ("Kirby") to a person: by name, else by family name,
        preferring someone already mentioned."""
        entity = self.registry.lookup(name, "person")
        if entity is not None:
            return entity.id
        ids = self.family.get(name.casefold(), [])
        mentioned = [m.id for m in mentions if m.id in ids]
        if mentioned:
            return mentioned[-1]
        return ids[0] if len(ids) == 1 else None


def analyse(article: Article, context: Context) -> Analysis:
    """Recognise, link, attribute and find candidates in a parsed article."""
    paragraphs = article.paragraphs
    blocks = [b for b in article.blocks if b.kind == "paragraph"]
    reading = context.recogniser.read(paragraphs, [b.turn_label for b in blocks])
    article.warnings.extend(f"{article.path}:1: {note}" for note in reading.notes)
    names = reading.names
    mentions = context.linker.link(paragraphs, names)
    transcript = any(b.turn_label and b.turn_label.split(":")[0].strip().upper()
                     not in {"Q", "A", "QUESTION", "ANSWER"} for b in blocks)
    quoted = {b.index: [(s.start, s.end) for s in find_spans(b.text, len(b.turn_label))]
              for b in blocks}
    attributor = Attributor(mentions, context.resolve_label, transcript, names, quoted,
                            reading.parses)
    quotes = []
    for block in blocks:
        quotes.extend(attributor.paragraph(block.text, block.index, block.turn_label))
    lines = {b.index: b.line for b in blocks}
    unregistered: dict[str, list[int]] = {}
    for quote in quotes:
        # Link the transcript label itself ("MR. KIRBY") to the speaker, where the label
        # spells the name ("Trade Minister, Don Farrell:" names him after the title; a
        # "Foreign Minister:" resolved from an earlier label does not spell it at all).
        if quote.turn and quote.speaker_id and quote.speaker_text:
            label_at = paragraphs[quote.paragraph].find(quote.speaker_text, 0, quote.start)
            label_end = label_at + len(quote.speaker_text)
            if label_at >= 0 and not any(m.paragraph == quote.paragraph and m.start < label_end
                                         and label_at < m.end for m in mentions):
                mentions.append(Mention(quote.speaker_text, quote.speaker_id,
                                        context.linker.kinds.get(quote.speaker_id, "person"),
                                        quote.paragraph, label_at, label_end))
        where = f"{article.path}:{lines.get(quote.paragraph, 0) or 1}"
        if quote.speaker_text and not quote.speaker_id:
            unregistered.setdefault(quote.speaker_text, []).append(lines.get(quote.paragraph, 0))
        elif quote.speaker_text is None:
            article.warnings.append(
                f"{where}: quote “{_clip(quote.text)}” left to review: no speaker the text "
                "makes certain")
    for speaker, at in unregistered.items():
        count = f"{len(at)} quotes" if len(at) > 1 else "a quote"
        article.warnings.append(
            f"{article.path}:{at[0] or 1}: {count} by {speaker!r} left to review: not in the "
            "registry, so written as unnamed="
            + (f" (lines {', '.join(str(n) for n in at)})" if len(at) > 1 else ""))
    mentions.sort(key=lambda m: (m.paragraph, m.start))
    mark_quoted(mentions, quotes)
    # The headline and the byline name people, places and bodies too; they are offered,
    # not linked (mentions index the body's paragraphs).
    header = ([] if article.title_supplied else [article.title]) + article.credits
    headline = [replace(n, paragraph=-1) for n in context.recogniser.recognise(header)]
    spans: dict[int, list[tuple[int, int]]] = {}
    for quote in quotes:
        spans.setdefault(quote.paragraph, []).append((quote.start, quote.end))
    candidates = find_candidates([*headline, *names], mentions, context.known, article.author,
                                 spans, paragraphs)
    return Analysis(article, mentions, quotes, candidates, recogniser=context.recogniser.name)


def _clip(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def analyse_text(text: str, path: str = "<text>", registry: Registry | None = None,
                 context: Context | None = None) -> Analysis:
    """Analyse article text directly (tests, other tools)."""
    context = context or Context(registry)
    return analyse(parse_article(text, path), context)


def analyse_bytes(raw: bytes, path: str, context: Context) -> Analysis:
    return analyse(parse_article(decode(raw, path), path), context)


@dataclass
class Options:
    out: Path = Path("docs/briefings")
    bib: Path = Path("sources.bib")
    force: bool = False
    dry_run: bool = False
    json: bool = False
    add_candidates: bool = False
    debug: bool = False
    #: Refresh articles already ingested (merging the analyst's edits) instead of skipping.
    update: bool = False
    #: What ``--date``/``--author``/``--publisher``/``--url`` fill in.
    metadata: BatchMetadata = field(default_factory=BatchMetadata)
    #: Seconds in all for fetching one URL (None: :data:`briefbook.ingest.web.DEADLINE`).
    fetch_deadline: float | None = None


@dataclass
class Outcome:
    """What one input came to: ``written`` (a new page), ``updated``, ``unchanged``,
    ``skipped`` (already ingested) or ``conflict`` (both changed, nothing written)."""

    status: Status
    analysis: Analysis | None
    page: Path | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Summary:
    pages: list[Path] = field(default_factory=list)
    mentions: int = 0
    quotes: int = 0
    candidates: int = 0
    stubs_added: int = 0
    failures: list[str] = field(default_factory=list)
    articles: int = 0
    #: Pages refreshed by ``--update`` (or ``--force`` on a known article), and one line
    #: each saying what happened (renamed, merged with a resolution).
    updated: list[Path] = field(default_factory=list)
    updated_lines: list[str] = field(default_factory=list)
    #: One line per article left as it was: already ingested, or up to date.
    skipped: list[str] = field(default_factory=list)
    #: A usage error found once the inputs were known (exit code 2, nothing written).
    usage: str = ""
    #: What this run completed of an interrupted one (see :mod:`.journal`), one line each.
    completed: list[str] = field(default_factory=list)
    #: Temporary files an interrupted run left, removed by this one.
    cleaned: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.usage:
            return 2
        return 1 if self.failures else 0


def _progress(files: Sequence[Path], err: TextIO, enabled: bool) -> Iterable[Path]:
    if not enabled:
        yield from files
        return
    # rich is imported only when a bar is shown: a quiet or --json run starts faster.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=err)
    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[name]}"), console=console, transient=True) as bar:
        task = bar.add_task("ingest", total=len(files), name="")
        for path in files:
            bar.update(task, name=path.name)
            yield path
            bar.advance(task)


def _batch_items(analysis: Analysis, path: Path) -> tuple[list[Found],
                                                          BatchArticle]:
    """What the batch's stubs take of one article: its names and its text."""
    article = analysis.article
    return ([Found(c, path.name, article.date) for c in analysis.candidates],
            BatchArticle(path.name, article.date, article.paragraphs))


def _pending(key: str, analysis: Analysis, path: Path, options: Options) -> Pending:
    """The journal's record of an article about to be written (its names only with
    ``--add-candidates``)."""
    article = analysis.article
    record = Pending(key, content_hash(article), article=path.name,
                     date=article.date.isoformat() if article.date else "")
    if options.add_candidates:
        found, text = _batch_items(analysis, path)
        record.candidates = candidates_of(found)
        record.paragraphs = list(text.paragraphs)
    return record


def ingest_one(path: Path, context: Context, options: Options, planned: set[Path],
               book: Book | None = None, journal: Journal | None = None) -> Outcome:
    """Analyse one file and (unless dry-run) write its page and bibliography entry; an
    article the book already holds is skipped, or refreshed with ``--update``/``--force``.

    The article is recorded in ``journal`` before anything is written (see the module's
    doc); the record stays, for the batch's stubs, with ``--add-candidates``."""
    book = book or Book(options.out, options.bib)
    journal = journal or Journal(options.bib)
    # A URL is fetched once; a file is text or a saved web page (read_article tells which).
    article_in = (read_url(path.url, deadline=options.fetch_deadline)
                  if isinstance(path, WebAddress) else read_article(path))
    as_read = fingerprint(article_in)
    options.metadata.fill(article_in)
    known = recognise(article_in, book.records(), as_read, book.bases)
    if known is not None and not (options.update or options.force):
        # Nothing is analysed, written or offered (its names were offered the first
        # time; offering them again would bring back stubs the analyst deleted).
        analysis = None
        if options.json:  # the JSON stays one object per article
            analysis = analyse(article_in, context)
            analysis.source_key = known.record.key
        return Outcome("skipped", analysis, message=f"{path}: {book.already(known)}")
    analysis = analyse(article_in, context)
    article = analysis.article
    if known is not None:
        key = known.record.key
        analysis.source_key = key
        offered = options.add_candidates and not options.dry_run
        if offered:  # its names, for the batch's stubs even if the run is cut short
            journal.begin(_pending(key, analysis, path, options))
        try:
            result = refresh(known, article, render_page(analysis, context.linker.kinds),
                             entry_text(article, key), out=options.out,
                             bib=options.bib, pages=book.pages, bases=book.bases,
                             force=options.force, dry_run=options.dry_run)
        except BaseException:
            if offered:
                journal.done(key)
            raise
        if offered and result.status not in ("written", "updated"):
            journal.done(key)
        if result.page is not None and result.status in ("written", "updated"):
            planned.add(result.page)
        return Outcome(result.status, analysis, result.page, f"{path}: {result.message}",
                       result.notes)
    key, entry = plan_entry(options.bib, article)
    analysis.source_key = key
    if options.dry_run:
        return Outcome("written", analysis)
    target = target_for(options.out / page_name(article.title, article.date, path.stem), key,
                        options.force, str(path), planned)
    page = render_page(analysis, context.linker.kinds)
    # The page's folder must take the page before the book changes at all.
    staged = stage(target, page)
    record = _pending(key, analysis, path, options)
    record.page, record.text, record.entry = journal.relative(target), page, entry or ""
    try:
        journal.begin(record)
        if entry is not None:
            append_entry(options.bib, entry)  # from here on the article is in the book
            book.appended(entry)
    except BaseException:
        staged.discard()
        journal.done(key)
        raise
    staged.commit()  # should this fail, the journal has the page for the next run
    planned.add(target)
    book.pages.moved(key, None, target)
    book.bases.save(key, page, entry or entry_text(article, key))
    if not options.add_candidates:
        journal.done(key)
    return Outcome("written", analysis, target)


def _temporary_folders(options: Options, context: Context, journal: Journal) -> list[Path]:
    """Where ingest writes through temporary files (see :mod:`briefbook.book.atomic`)."""
    records = options.bib.resolve().parent / RECORD_FOLDER
    folders = [options.out, options.bib.resolve().parent, records / "ingested",
               records / "conflicts", journal.folder]
    if context.registry.folder:
        folders.append(Path(context.registry.folder))
    return folders


def ingest_paths(paths: Iterable[str | Path], options: Options, context: Context,
                 out: TextIO | None = None, err: TextIO | None = None) -> Summary:
    """Ingest files and folders; print JSON lines to ``out`` and messages to ``err``.

    Before the batch, what an interrupted run left is dealt with: its temporary files
    are removed and its half-written articles completed (:func:`complete_interrupted`)."""
    started = time.time()
    out = out or sys.stdout
    err = err or sys.stderr
    summary = Summary()
    files, problems = expand(paths)
    summary.failures.extend(problems)
    if options.metadata.url and len(files) > 1:
        # One address names one article: given to a batch it would make them all one.
        summary.usage = (f"--url names one article's address, but {len(files)} articles were "
                         "given: ingest that article on its own with --url")
        return summary
    planned: set[Path] = set()
    book = Book(options.out, options.bib)
    journal = Journal(options.bib)
    found_candidates: list[Found] = []
    batch: list[BatchArticle] = []
    pending_keys: list[str] = []
    can_stub = bool(context.registry.folder) and Path(context.registry.folder).is_dir()
    if not options.dry_run:
        summary.cleaned = remove_temporaries(_temporary_folders(options, context, journal),
                                             started)
        try:
            recovery = complete_interrupted(journal, book, can_stub)
        except (IngestError, OSError) as exc:
            reason = describe(exc) if isinstance(exc, OSError) else str(exc)
            summary.failures.append(f"an interrupted run could not be completed: {reason}; "
                                    "nothing ingested")
            return summary
        summary.completed = recovery.lines
        summary.failures.extend(recovery.problems)
        found_candidates.extend(recovery.found)
        batch.extend(recovery.batch)
        pending_keys.extend(recovery.keys)
    show_bar = len(files) > 1 and err.isatty() and not options.debug
    for number, path in enumerate(_progress(files, err, show_bar)):
        try:
            outcome = ingest_one(path, context, options, planned, book, journal)
        except IngestError as exc:
            summary.failures.append(str(exc))
            continue
        except OSError as exc:
            # A full disk, a read-only file or folder: the next article would fail the
            # same way, so the batch stops here, having written nothing of this one.
            summary.failures.append(f"{path}: not ingested: {describe(exc)}")
            left = len(files) - number - 1
            if left:
                summary.failures.append(f"stopped there: {left} more article"
                                        f"{'s' if left != 1 else ''} not ingested (run "
                                        "ingest again once the file can be written: what "
                                        "was written is skipped)")
            break
        except Exception as exc:  # never a traceback for one bad article in a batch
            if options.debug:
                raise
            summary.failures.append(f"{path}: internal error ({type(exc).__name__}: {exc}); "
                                    "rerun with --debug and report it")
            continue
        for note in outcome.notes:
            print(f"note: {note}", file=err)
        if outcome.status == "conflict":  # nothing written for it: the run fails
            summary.failures.append(outcome.message)
        elif outcome.status in ("skipped", "unchanged"):
            summary.skipped.append(outcome.message)
        elif outcome.status == "updated" and outcome.page is not None:
            summary.updated.append(outcome.page)
            summary.updated_lines.append(outcome.message)
        analysis = outcome.analysis
        if analysis is None:
            continue
        if options.json:
            data = analysis.to_json()
            if outcome.status != "written":
                data["meta"]["ingest"] = outcome.status
            print(json.dumps(data, ensure_ascii=False), file=out, flush=True)
        if outcome.status in ("skipped", "unchanged", "conflict"):
            continue
        summary.articles += 1
        summary.mentions += len(analysis.mentions)
        summary.quotes += len(analysis.quotes)
        summary.candidates += len(analysis.candidates)
        for warning in analysis.article.warnings:
            print(f"warning: {warning}", file=err)
        if options.add_candidates:
            found, text = _batch_items(analysis, path)
            found_candidates.extend(found)
            batch.append(text)
            if not options.dry_run:
                pending_keys.append(analysis.source_key)
    summary.pages = sorted(set(planned) - set(summary.updated))
    if options.dry_run:
        return summary
    if found_candidates:
        try:
            summary.stubs_added = stubs.append_stubs(context.registry, found_candidates, batch)
        except stubs.StubsError as exc:
            summary.stubs_added = exc.added
            summary.failures.append(f"registry: {exc}; the next ingest proposes them again")
            return summary  # the journal keeps the names for it
        except (OSError, ValueError) as exc:
            reason = describe(exc) if isinstance(exc, OSError) else str(exc)
            summary.failures.append(f"registry: candidates not added: {reason}")
            return summary
    for key in pending_keys:
        journal.done(key)
    return summary


def print_summary(summary: Summary, options: Options, err: TextIO) -> None:
    """The end-of-run report: pages, links, quotes, candidates, what was left as it was,
    failures."""
    if summary.usage:
        print(f"briefbook ingest: {summary.usage}; nothing written", file=err)
        return
    verb = "would ingest" if options.dry_run else "wrote"
    count = summary.articles - len(summary.updated) if options.dry_run else len(summary.pages)
    noun = "article" if options.dry_run else "page"
    updated = (f", {'would update' if options.dry_run else 'updated'} {len(summary.updated)}"
               if summary.updated or options.update else "")
    print(f"briefbook ingest: {verb} {count} {noun}{'s' if count != 1 else ''}{updated}, "
          f"{summary.mentions} mentions linked, {summary.quotes} quotes, "
          f"{summary.candidates} candidates"
          + (f" ({summary.stubs_added} added to the registry as unreviewed)"
             if options.add_candidates or summary.stubs_added else "")
          + (f", {len(summary.skipped)} left as they were" if summary.skipped else "")
          + f", {len(summary.failures)} failed", file=err)
    for page in summary.pages:
        print(f"  {page}", file=err)
    cleaned = len(summary.cleaned)
    sections: list[tuple[str, Sequence[object]]] = [
        (f"removed {cleaned} temporary file{'s' if cleaned != 1 else ''} an interrupted run "
         "left:", summary.cleaned),
        ("completed from an interrupted run:", summary.completed),
        ("would update:" if options.dry_run else "updated:",
         summary.updated_lines if summary.updated else []),
        ("left as they were:", summary.skipped),
        ("failed:", summary.failures),
    ]
    for heading, lines in sections:
        if lines:
            print(heading, file=err)
            for line in lines:
                print(f"  {line}", file=err)
