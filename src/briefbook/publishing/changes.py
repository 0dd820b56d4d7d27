"""What changed since the previous edition: the page a returning reader turns to first.

A reader who had the last edition wants to know what is new and, above all, which
judgements moved. ``{what-changed}`` compares this edition with the previous edition's
export (``briefbook export``, or the ``briefbook-export.json`` published with its HTML),
named by ``briefbook_previous_export`` (relative to the folder of ``conf.py``), and lists

* briefings added and withdrawn (with their key judgements);
* key judgements added, dropped or changed: likelihood or confidence before → after,
  their sources, their earlier wording;
* sources newly cited, no longer cited, or reassessed (reliability or standing).

A key judgement is the same across editions when it is on the same page with the same
text. An edited text is paired with the most similar unmatched judgement of the same
page when they are at least :data:`SIMILARITY` alike (``difflib``), so a reworded
judgement shows as changed, not as dropped and added. Everything still in this edition
links to it.

The page is generated (filled once every page has been read): an incremental build
writes it again whenever a page was read, and reads it again when the previous export
changes. Bad input is reported as a warning at the file: missing (BB603), not JSON
(BB604, with its line), not an export this version reads (BB605). A released edition is
never compared with an export that holds more than it (BB606): what was dropped would
show what the edition withholds.
"""

from __future__ import annotations

import difflib
import json
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.book.briefings import format_date, parse_date
from briefbook.publishing.export import FORMAT, VERSION, export_book

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)

#: How alike (``difflib`` ratio, 0–1) an edited key judgement must be to one of the
#: previous edition on the same page to count as that judgement changed.
SIMILARITY = 0.6
CONFIG = "briefbook_previous_export"
HOW_TO = (f"set {CONFIG} in conf.py to the previous edition's briefbook-export.json "
          "(published at the root of its HTML, or made with briefbook export), relative to "
          "the folder of conf.py")


# --- an edition, as far as the page compares it ----------------------------------------------


@dataclass(frozen=True)
class Briefing:
    docname: str
    title: str
    date: str
    author: str


@dataclass(frozen=True)
class Judgement:
    docname: str
    node_id: str
    text: str
    likelihood: str
    confidence: str
    sources: tuple[str, ...]

    @property
    def words(self) -> str:
        """The text as compared: case and spacing do not make a judgement new."""
        return " ".join(self.text.split()).casefold()


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    reliability: str = ""
    status: str = ""
    status_date: str = ""
    status_reason: str = ""


@dataclass(frozen=True)
class Snapshot:
    """What one edition's export says: its briefings (newest first), key judgements by
    page (in page order) and cited sources."""

    name: str
    as_of: str
    release: str
    briefings: dict[str, Briefing]
    judgements: dict[str, list[Judgement]]
    sources: dict[str, Source]

    def described(self) -> str:
        """``the previous edition (Edition 1, as of 10 March 2025)``."""
        day = parse_date(self.as_of) if self.as_of else None
        parts = [p for p in (self.name, f"as of {format_date(day)}" if day else "") if p]
        return "the previous edition" + (f" ({', '.join(parts)})" if parts else "")


class ExportError(ValueError):
    """The previous export cannot be used: ``code`` (BB603–BB605), ``line`` (or 0), and
    ``member``, the member of the document at fault (its line is the one to report)."""

    def __init__(self, code: str, message: str, line: int = 0, member: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.member = member


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return "" if value is None else str(value)


def _records(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ExportError("BB605", f"its '{name}' is not a list: it is not a {FORMAT} "
                                   f"document this version reads", member=name)
    return [item for item in value if isinstance(item, dict)]


def snapshot(data: Any) -> Snapshot:
    """The parts of an export the page compares; :class:`ExportError` (BB605) when it is
    not an export of a version this one reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError("BB605", f"it is not a briefbook export (no \"format\": \"{FORMAT}\")",
                          member="format")
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        raise ExportError("BB605", f"it was made by briefbook export version {version}; this "
                                   f"version reads {VERSION}", member="version")
    found = data.get("edition")
    edition: dict[str, Any] = found if isinstance(found, dict) else {}
    briefings = {_text(b, "docname"): Briefing(_text(b, "docname"), _text(b, "title"),
                                               _text(b, "date"), _text(b, "author"))
                 for b in _records(data, "briefings") if _text(b, "docname")}
    judgements: dict[str, list[Judgement]] = {}
    for claim in _records(data, "claims"):
        if claim.get("key") is not True or not _text(claim, "docname"):
            continue
        keys = claim.get("sources")
        cited: list[Any] = keys if isinstance(keys, list) else []
        judgements.setdefault(_text(claim, "docname"), []).append(Judgement(
            _text(claim, "docname"), _text(claim, "node_id"), " ".join(_text(claim, "text").split()),
            _text(claim, "likelihood"), _text(claim, "confidence"),
            tuple(str(k) for k in cited)))
    sources = {_text(s, "key"): Source(_text(s, "key"), _text(s, "label") or _text(s, "key"),
                                       _text(s, "reliability"), _text(s, "status"),
                                       _text(s, "status_date"), _text(s, "status_reason"))
               for s in _records(data, "sources") if _text(s, "key")}
    return Snapshot(_text(edition, "name"), _text(edition, "as_of"), _text(edition, "release"),
                    briefings, judgements, sources)


def _line_of(text: str, key: str) -> int:
    """The line of the document's first member named ``key`` (0: none)."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text) if key else None
    return text.count("\n", 0, match.start()) + 1 if match else 0


def load(path: Path) -> Snapshot:
    """Read a previous export; :class:`ExportError` says what is wrong with it."""
    if not path.is_file():
        raise ExportError("BB603", f"{CONFIG} names a file that does not exist: {HOW_TO}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError("BB604", f"the previous edition's export is not valid JSON: it is "
                                   f"not UTF-8 (byte {exc.start})") from exc
    except OSError as exc:
        raise ExportError("BB603", f"the previous edition's export cannot be read: "
                                   f"{exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError("BB604", f"the previous edition's export is not valid JSON: "
                                   f"{exc.msg} (line {exc.lineno}, column {exc.colno})",
                          exc.lineno) from exc
    try:
        return snapshot(data)
    except ExportError as exc:
        raise ExportError(exc.code, f"the previous edition's export cannot be compared: {exc}",
                          _line_of(text, exc.member)) from None


# --- comparing two editions ------------------------------------------------------------------


@dataclass
class Changes:
    added: list[Briefing] = field(default_factory=list)
    withdrawn: list[Briefing] = field(default_factory=list)
    changed: list[tuple[Judgement, Judgement]] = field(default_factory=list)
    new: list[Judgement] = field(default_factory=list)
    dropped: list[Judgement] = field(default_factory=list)
    cited: list[Source] = field(default_factory=list)
    uncited: list[Source] = field(default_factory=list)
    reassessed: list[tuple[Source, Source]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.added, self.withdrawn, self.changed, self.new, self.dropped,
                    self.cited, self.uncited, self.reassessed))


def pair(before: list[Judgement], after: list[Judgement], threshold: float = SIMILARITY,
         ) -> tuple[list[tuple[Judgement, Judgement]], list[Judgement], list[Judgement]]:
    """Match one page's key judgements across editions: same text first, then the most
    alike of the rest (at least ``threshold``). Returns the pairs (before, after), the
    dropped and the added, each in page order."""
    matched: dict[int, int] = {}  # after index -> before index
    free = list(range(len(before)))
    for j, judgement in enumerate(after):
        same = next((i for i in free if before[i].words == judgement.words), None)
        if same is not None:
            matched[j] = same
            free.remove(same)
    candidates = []
    for j, judgement in enumerate(after):
        if j in matched:
            continue
        for i in free:
            matcher = difflib.SequenceMatcher(None, before[i].words, judgement.words)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    candidates.append((-ratio, i, j))
    taken: set[int] = set()
    for _, i, j in sorted(candidates):
        if j not in matched and i not in taken:
            matched[j] = i
            taken.add(i)
    used = set(matched.values())
    pairs = [(before[matched[j]], after[j]) for j in sorted(matched)]
    return (pairs, [b for i, b in enumerate(before) if i not in used],
            [a for j, a in enumerate(after) if j not in matched])


def differs(old: Judgement, new: Judgement) -> bool:
    return (old.words != new.words or old.likelihood != new.likelihood
            or old.confidence != new.confidence or old.sources != new.sources)


def compare(before: Snapshot, after: Snapshot) -> Changes:
    """Everything that changed from ``before`` to ``after``."""
    changes = Changes()
    changes.added = [b for d, b in after.briefings.items() if d not in before.briefings]
    changes.withdrawn = [b for d, b in before.briefings.items() if d not in after.briefings]
    moved = {b.docname for b in changes.added} | {b.docname for b in changes.withdrawn}
    order = {docname: n for n, docname in enumerate(after.briefings)}
    pages = sorted((set(before.judgements) | set(after.judgements)) - moved,
                   key=lambda d: (order.get(d, len(order)), d))
    for docname in pages:
        pairs, dropped, new = pair(before.judgements.get(docname, []),
                                   after.judgements.get(docname, []))
        changes.changed.extend((old, now) for old, now in pairs if differs(old, now))
        changes.dropped.extend(dropped)
        changes.new.extend(new)

    def by_label(source: Source) -> tuple[str, str]:
        return (source.label.casefold(), source.key)

    changes.cited = sorted((s for k, s in after.sources.items() if k not in before.sources),
                           key=by_label)
    changes.uncited = sorted((s for k, s in before.sources.items() if k not in after.sources),
                             key=by_label)
    changes.reassessed = sorted(
        ((before.sources[k], s) for k, s in after.sources.items() if k in before.sources
         and (before.sources[k].reliability, before.sources[k].status)
         != (s.reliability, s.status)), key=lambda p: by_label(p[1]))
    return changes


# --- the previous export, read once per build --------------------------------------------------


@dataclass(frozen=True)
class Previous:
    """The configured previous export: its snapshot, or why there is none."""

    path: Path | None  # None: not configured
    snapshot: Snapshot | None = None
    problem: str = ""  # said on the page when the export could not be used


_loaded: weakref.WeakKeyDictionary[Any, tuple[Any, Previous]] = weakref.WeakKeyDictionary()


def configured_path(config: Config) -> Path | None:
    value = str(getattr(config, CONFIG, "") or "").strip()
    return Path(value) if value else None


def resolve_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: the path is relative to the folder of conf.py."""
    path = configured_path(config)
    if path is not None and not path.is_absolute():
        setattr(config, CONFIG, str((Path(app.confdir) / path).resolve()))


def _stamp(path: Path) -> tuple[Any, ...]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def previous(env: BuildEnvironment) -> Previous:
    """The previous export, read (and its problems reported) once per build and file."""
    path = configured_path(env.config)
    if path is None:
        return Previous(None)
    stamp = _stamp(path)
    cached = _loaded.get(env)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        found = Previous(path, load(path))
    except ExportError as exc:
        # Line 1 for a problem of the whole file (a location needs a line).
        logger.warning("%s %s", exc.code, exc, location=f"{path}:{exc.line or 1}",
                       type="briefbook", subtype="previous_export")
        found = Previous(path, problem="The previous edition's export could not be read (the "
                                       "build says why), so nothing is compared.")
    else:
        risk = leak_risk(env.config, found.snapshot)
        if risk:
            logger.warning("BB606 %s", risk, location=f"{path}:1", type="briefbook",
                           subtype="previous_export")
            found = Previous(path, problem="The previous edition's export holds material "
                                           "this edition withholds, so nothing is compared.")
    _loaded[env] = (stamp, found)
    return found


def leak_risk(config: Config, before: Snapshot | None) -> str:
    """Why comparing would show what this released edition withholds, or ``""``.

    What was dropped since the previous edition is listed with its text; a previous
    export that holds more than this edition (the full one, or one released at a higher
    level) would put withheld material on the page.
    """
    from briefbook.editions import markings
    from briefbook.editions.markings import MarkingError

    released = markings.release_level(config)
    if released is None or before is None:
        return ""
    advice = (f"point {CONFIG} at the export of an edition released at {released.name} "
              f"(briefbook export --release {released.name})")
    if not before.release:
        return (f"the previous export is of the full edition; this edition is released at "
                f"{released.name}, and what changed would show what it withholds: {advice}")
    try:
        level = markings.scheme_of(config).level(before.release)
    except MarkingError:
        return (f"the previous export was released at '{before.release}', which this book's "
                f"marking scheme does not know: {advice}")
    if level > released:
        return (f"the previous export was released at {level.name}, above this edition's "
                f"{released.name}, and what changed would show what it withholds: {advice}")
    return ""


def read_previous_once(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: read the previous export in the main process (its problems are
    reported once, and parallel writers inherit it)."""
    domain: BriefbookDomain = env.domains["briefbook"]  # type: ignore[assignment]
    if any("what-changed" in found for found in domain.listings.values()):
        previous(env)


# --- the page --------------------------------------------------------------------------------


class what_changed(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder for the comparison, filled once every page has been read."""


class WhatChangedDirective(SphinxDirective):
    """``{what-changed}``: what changed since the previous edition."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, "what-changed")
        path = configured_path(self.config)
        if path is not None:  # a new or mended export re-reads (and rewrites) the page
            self.env.note_dependency(path)
        return [what_changed()]


def _link(app: Sphinx, fromdocname: str, docname: str, anchor: str,
          child: nodes.Node) -> nodes.Node:
    from briefbook.pages.design import link

    if docname not in app.env.all_docs:
        return child
    return link(app, fromdocname, docname, anchor, child)


def _source_ref(app: Sphinx, fromdocname: str, source: Source) -> nodes.Node:
    """The source's label, linking to its bibliography entry when this edition has it."""
    label = nodes.Text(source.label)
    domain: Any = app.env.domains.get("cite")
    for cit in getattr(domain, "citations", []):
        if cit.key == source.key:
            return _link(app, fromdocname, cit.bibliography_key.docname, cit.citation_id, label)
    return label


def _sources(app: Sphinx, fromdocname: str, keys: Iterable[str],
             known: dict[str, Source], linked: bool) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for key in keys:
        if out:
            out.append(nodes.Text("; "))
        source = known.get(key, Source(key, key))
        out.append(_source_ref(app, fromdocname, source) if linked else nodes.Text(source.label))
    return out or [nodes.Text("none")]


def _estimate(judgement: Judgement) -> str:
    """``Likely, moderate confidence``."""
    parts = [judgement.likelihood.capitalize() if judgement.likelihood else "No likelihood"]
    parts.append(f"{judgement.confidence} confidence" if judgement.confidence
                 else "no confidence given")
    return ", ".join(parts)


def _quoted(text: str) -> str:
    return f"“{text}”"


class Page:
    """The page's nodes for one comparison, as seen from ``fromdocname``."""

    def __init__(self, app: Sphinx, fromdocname: str, before: Snapshot, after: Snapshot) -> None:
        self.app = app
        self.fromdocname = fromdocname
        self.before = before
        self.after = after
        self.changes = compare(before, after)

    def title(self, docname: str) -> str:
        for edition in (self.after, self.before):
            if docname in edition.briefings:
                return edition.briefings[docname].title
        found = self.app.env.titles.get(docname)
        return found.astext() if found is not None else docname

    def page_link(self, docname: str) -> nodes.Node:
        return _link(self.app, self.fromdocname, docname, "", nodes.Text(self.title(docname)))

    def judgement_link(self, judgement: Judgement) -> nodes.Node:
        return _link(self.app, self.fromdocname, judgement.docname, judgement.node_id,
                     nodes.Text(_quoted(judgement.text)))

    def sources_of(self, judgement: Judgement, edition: Snapshot) -> list[nodes.Node]:
        return _sources(self.app, self.fromdocname, judgement.sources, edition.sources,
                        linked=edition is self.after)

    # -- sections --------------------------------------------------------------------------

    def render(self) -> list[nodes.Node]:
        out: list[nodes.Node] = [self.summary()]
        if not self.changes:
            return out
        out.extend(self.briefings())
        out.extend(self.judgements())
        out.extend(self.sources())
        return out

    def summary(self) -> nodes.paragraph:
        c = self.changes
        para = nodes.paragraph(classes=["bb-changes-summary"])
        if not c:
            para += nodes.Text(f"Compared with {self.before.described()}: nothing changed. The "
                               "briefings, their key judgements and the sources cited are the "
                               "same.")
            return para
        para += nodes.Text(f"Compared with {self.before.described()}.")
        for heading, counts in (
                ("Briefings", ((c.added, "added"), (c.withdrawn, "withdrawn"))),
                ("Key judgements", ((c.changed, "changed"), (c.new, "added"),
                                    (c.dropped, "dropped"))),
                ("Sources", ((c.cited, "newly cited"), (c.uncited, "no longer cited"),
                             (c.reassessed, "reassessed")))):
            said = ", ".join(f"{len(found)} {what}" for found, what in counts if found)
            if said:
                para += nodes.Text(f" {heading}: {said}.")
        return para

    def briefings(self) -> list[nodes.Node]:
        c = self.changes
        out: list[nodes.Node] = [nodes.rubric("", "Briefings")]
        if not c.added and not c.withdrawn:
            out.append(nodes.paragraph("", "No briefing added or withdrawn."))
            return out
        items = nodes.bullet_list(classes=["bb-changes-briefings"])
        for briefing in c.added:
            items += self.briefing_item("Added", briefing, self.after)
        for briefing in c.withdrawn:
            items += self.briefing_item("Withdrawn", briefing, self.before)
        out.append(items)
        return out

    def briefing_item(self, what: str, briefing: Briefing, edition: Snapshot) -> nodes.list_item:
        lead = nodes.paragraph()
        lead += nodes.strong("", f"{what}: ")
        lead += (self.page_link(briefing.docname) if edition is self.after
                 else nodes.Text(briefing.title))
        day = parse_date(briefing.date)
        dateline = ", ".join(p for p in (format_date(day) if day else "", briefing.author) if p)
        if dateline:
            lead += nodes.Text(f" ({dateline})")
        item = nodes.list_item("", lead, classes=[f"bb-changes-briefing-{what.lower()}"])
        held = edition.judgements.get(briefing.docname, [])
        if held:
            words = "Its key judgements:" if edition is self.after else "Its key judgements were:"
            item += nodes.paragraph("", words)
            inner = nodes.bullet_list()
            for judgement in held:
                para = nodes.paragraph()
                para += (self.judgement_link(judgement) if edition is self.after
                         else nodes.Text(_quoted(judgement.text)))
                para += nodes.Text(f" ({_estimate(judgement)})")
                inner += nodes.list_item("", para)
            item += inner
        return item

    def judgements(self) -> list[nodes.Node]:
        c = self.changes
        out: list[nodes.Node] = [nodes.rubric("", "Key judgements")]
        if not (c.changed or c.new or c.dropped):
            out.append(nodes.paragraph("", "No key judgement added, dropped or changed in the "
                                           "briefings of both editions."))
            return out
        items = nodes.bullet_list(classes=["bb-changes-judgements"])
        for old, new in c.changed:
            items += self.changed_item(old, new)
        for judgement in c.new:
            items += self.judgement_item("Added", judgement, self.after, "in")
        for judgement in c.dropped:
            items += self.judgement_item("Dropped", judgement, self.before, "from")
        out.append(items)
        return out

    def judgement_item(self, what: str, judgement: Judgement, edition: Snapshot,
                       preposition: str) -> nodes.list_item:
        lead = nodes.paragraph()
        lead += nodes.strong("", what)
        lead += nodes.Text(f" {preposition} ")
        lead += self.page_link(judgement.docname)
        lead += nodes.Text(": ")
        lead += (self.judgement_link(judgement) if edition is self.after
                 else nodes.Text(_quoted(judgement.text)))
        detail = nodes.paragraph()
        detail += nodes.Text(f"{_estimate(judgement)}. Sources: ")
        detail.extend(self.sources_of(judgement, edition))
        detail += nodes.Text(".")
        return nodes.list_item("", lead, detail, classes=[f"bb-changes-judgement-{what.lower()}"])

    def changed_item(self, old: Judgement, new: Judgement) -> nodes.list_item:
        lead = nodes.paragraph()
        lead += nodes.strong("", "Changed")
        lead += nodes.Text(" in ")
        lead += self.page_link(new.docname)
        lead += nodes.Text(": ")
        lead += self.judgement_link(new)
        item = nodes.list_item("", lead, classes=["bb-changes-judgement-changed"])
        for label, was, now in (("Likelihood", old.likelihood, new.likelihood),
                                ("Confidence", old.confidence, new.confidence)):
            para = nodes.paragraph()
            para += nodes.emphasis("", f"{label}: ")
            if was == now:
                para += nodes.Text(now or "none given")
            else:
                para += nodes.Text(f"{was or 'none given'} → ")
                para += nodes.strong("", now or "none given")
            item += para
        para = nodes.paragraph()
        para += nodes.emphasis("", "Sources: ")
        if old.sources != new.sources:
            para.extend(self.sources_of(old, self.before))
            para += nodes.Text(" → ")
        para.extend(self.sources_of(new, self.after))
        item += para
        if old.words != new.words:
            para = nodes.paragraph()
            para += nodes.emphasis("", "Previously worded: ")
            para += nodes.Text(_quoted(old.text))
            item += para
        return item

    def sources(self) -> list[nodes.Node]:
        c = self.changes
        out: list[nodes.Node] = [nodes.rubric("", "Sources")]
        if not (c.cited or c.uncited or c.reassessed):
            out.append(nodes.paragraph("", "No source newly cited, withdrawn or reassessed."))
            return out
        items = nodes.bullet_list(classes=["bb-changes-sources"])
        for source in c.cited:
            para = nodes.paragraph()
            para += nodes.strong("", "Newly cited: ")
            para += _source_ref(self.app, self.fromdocname, source)
            grade = _standing(source)
            if grade:
                para += nodes.Text(f" ({grade})")
            items += nodes.list_item("", para, classes=["bb-changes-source-cited"])
        for source in c.uncited:
            para = nodes.paragraph()
            para += nodes.strong("", "No longer cited: ")
            para += nodes.Text(source.label)
            items += nodes.list_item("", para, classes=["bb-changes-source-uncited"])
        for old, new in c.reassessed:
            para = nodes.paragraph()
            para += nodes.strong("", "Reassessed: ")
            para += _source_ref(self.app, self.fromdocname, new)
            para += nodes.Text(": " + "; ".join(_reassessment(old, new)) + ".")
            items += nodes.list_item("", para, classes=["bb-changes-source-reassessed"])
        out.append(items)
        return out


def _standing(source: Source) -> str:
    parts = []
    if source.reliability:
        parts.append(f"reliability {source.reliability}")
    if source.status:
        parts.append(source.status)
    return ", ".join(parts)


def _reassessment(old: Source, new: Source) -> list[str]:
    found = []
    if old.reliability != new.reliability:
        found.append(f"reliability {old.reliability or 'ungraded'} → {new.reliability or 'ungraded'}")
    if old.status != new.status:
        now = new.status or "no longer flagged"
        day = parse_date(new.status_date) if new.status and new.status_date else None
        if day is not None:
            now += f" on {format_date(day)}"
        if new.status and new.status_reason:
            now += f" ({new.status_reason})"
        found.append(f"{old.status or 'sound'} → {now}")
    return found


def first_edition() -> list[nodes.Node]:
    para = nodes.paragraph(classes=["bb-changes-first"])
    para += nodes.Text("This is the first edition compared: there is no previous edition to "
                       "compare it with. To list what changed since an earlier edition, keep "
                       "that edition's ")
    para += nodes.literal("", "briefbook-export.json")
    para += nodes.Text(" (published at the root of its HTML, or made with ")
    para += nodes.literal("", "briefbook export")
    para += nodes.Text(") and set ")
    para += nodes.literal("", CONFIG)
    para += nodes.Text(" in conf.py to its path, relative to the folder of conf.py.")
    return [para]


def render(app: Sphinx, fromdocname: str) -> list[nodes.Node]:
    found = previous(app.env)
    if found.path is None:
        return first_edition()
    if found.snapshot is None:
        return [nodes.paragraph("", found.problem, classes=["bb-changes-unavailable"])]
    after = snapshot(export_book(app.env))
    return Page(app, fromdocname, found.snapshot, after).render()


def fill_what_changed(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    from briefbook.entities.domain import fill_generated_pages

    fill_generated_pages(app, doctree, docname, "what-changed", what_changed, render,
                         "bb-what-changed")


def setup(app: Sphinx) -> None:
    app.add_config_value(CONFIG, "", "env", types=[str])
    app.add_node(what_changed)
    app.add_directive("what-changed", WhatChangedDirective)
    app.connect("config-inited", resolve_path)
    app.connect("env-updated", read_previous_once)
    app.connect("doctree-resolved", fill_what_changed)
