"""``briefbook check``: everything wrong with a book, in the editor's terms.

One pass over the book, no HTML written: the registry and ``sources.bib`` are validated
first; then Sphinx reads every page with its ``dummy`` builder (a fresh environment in
``_build/check``), which runs every briefbook role and directive, so every warning the
real build would give is reported here with the same code and text.  On top of that
come the checks a build does not make: preserved copies of sources that do not parse as
WARC (or are cut short); names left unlinked (a name already linked in the same
paragraph may appear again unlinked), registry entries nobody mentions or nobody has
reviewed, people named by a title they did not hold on the article's date.

Each finding is ``file:line: BBnnn message`` with a one-line hint.  A finding the build
also reports is an error, since a strict build (``briefbook build``, ``make html``: ``-W``)
stops on it; only work the build leaves to the analyst (BB103, BB310–BB312, BB507) is a
warning.  Codes can be silenced on a line (``briefbook-ignore: BB103`` in a comment on
that line or the line before) or in ``conf.py`` (``briefbook_check_ignore = ["BB311"]``),
which the build honours too (:mod:`briefbook.book.silencing`), or with ``--ignore`` (the
check's alone).
"""

from __future__ import annotations

import bisect
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from briefbook.book.silencing import code_of, read_lines, silenced_by_comment
from briefbook.entities.registry import Entity, Registry, RegistryError, load_registry

Severity = Literal["error", "warning"]

# Code → (default severity, one-line fix hint).
CODES: dict[str, tuple[Severity, str]] = {
    "BB101": ("error", "fix the name, or add the entity to conf/entities/"),
    "BB102": ("error", "add a glossary page with {entity-index} for this kind"),
    "BB103": ("warning", "link it with the suggested role, or mark the line briefbook-ignore: BB103"),
    "BB201": ("error", "add source=<bibtex key> to the quotation"),
    "BB202": ("error", "use a registry id or name for speaker=, or unnamed=… for a described source"),
    "BB203": ("error", "add :sources: with the bibtex keys the claim rests on"),
    "BB204": ("error", "use one of the ICD 203 terms in :likelihood: (see the yardstick annex)"),
    "BB205": ("error", "add :confidence: low, moderate or high"),
    "BB206": ("error", "write the date as YYYY-MM-DD"),
    "BB207": ("error", "write the event date as YYYY-MM-DD or YYYY-MM"),
    "BB301": ("error", "give each entity its own id"),
    "BB302": ("error", "remove the name from one of the two entities"),
    "BB303": ("error", "add the missing field"),
    "BB304": ("error", "write dates as YYYY-MM-DD, end after start"),
    "BB305": ("error", "write coordinates as [latitude, longitude] in decimal degrees"),
    "BB306": ("error", "remove or rename the field (see the comment at the top of the file)"),
    "BB307": ("error", "use lowercase ASCII kebab-case, e.g. lloyd-austin"),
    "BB308": ("error", "fix the value's type"),
    "BB309": ("error", "fix the YAML syntax"),
    "BB310": ("warning", "review the entry, then remove 'unreviewed: true'"),
    "BB311": ("warning", "mention it in a briefing or remove it from the registry"),
    "BB312": ("warning", "check the title, or the role's dates in the registry"),
    "BB401": ("error", "cite the source, or remove it from sources.bib"),
    "BB402": ("error", "add the entry to sources.bib or fix the key"),
    "BB403": ("error", "add the missing field to the entry"),
    "BB404": ("error", "give each entry its own key"),
    "BB405": ("error", "use a full http(s) URL"),
    "BB406": ("error", "save the file as UTF-8"),
    "BB407": ("error", "fix the BibTeX syntax at that entry"),
    "BB408": ("error", "grade reliability A–F and credibility 1–6 (Admiralty scale)"),
    "BB409": ("error", "status is retracted, discredited or disputed, with status-reason"),
    "BB410": ("error", "write status-date as YYYY-MM-DD and archive-date as YYYY-MM-DDTHH:MM:SSZ"),
    "BB411": ("error", "give archive, archive-date and a 64-digit archive-sha256 together"),
    "BB412": ("error", "run briefbook sources archive, or restore the preserved copy"),
    "BB413": ("error", "the preserved copy is not a readable WARC: capture it again (--force)"),
    "BB414": ("error", "the preserved copy changed since capture: restore it from a backup"),
    "BB415": ("error", "add reliability = {A–F} to the source's entry in sources.bib"),
    "BB416": ("error", "withdraw the judgement or re-source it: none of its sources stands"),
    "BB417": ("error", "re-check the judgement against the sources that still stand"),
    "BB418": ("error", "weigh the dispute; cite a corroborating source if there is one"),
    "BB500": ("error", "fix the markup at that line"),
    "BB501": ("error", "add the page to a toctree, or mark it :orphan:"),
    "BB502": ("error", "fix the page's front matter"),
    "BB503": ("error", "remove the script: pages carry no inline scripts (the HTML has a CSP)"),
    "BB504": ("error", "move the handler or script into a script file (html_js_files)"),
    "BB505": ("error", "list the origin in briefbook_csp_allow, or drop the load"),
    "BB506": ("error", "fix the briefbook_csp setting (True, False or \"auto\")"),
    "BB507": ("warning", "add date: YYYY-MM-DD to the front matter and name the file "
                         "<date>-<slug>.md (or ingest it again with --update --date)"),
    "BB508": ("error", "save the page as UTF-8 text (in most editors: Save As, encoding UTF-8)"),
    "BB601": ("error", "use a level of the marking scheme (TLP:CLEAR, TLP:GREEN, TLP:AMBER, …)"),
    "BB602": ("error", "mark the portion at least as high as its page, or lower the page"),
    "BB603": ("error", "set briefbook_previous_export to an existing export, relative to conf.py"),
    "BB604": ("error", "restore the previous edition's export: it is not valid JSON at that line"),
    "BB605": ("error", "export the previous edition again with this briefbook (briefbook export)"),
    "BB606": ("error", "compare with an export of the same release level (export --release LEVEL)"),
    "BB607": ("error", "give the page one 'marking:' with a level of the scheme, in front matter "
                       "MyST reads (or its rST field list), in a file saved as UTF-8"),
    "BB608": ("error", "mark the page, or a {marking} portion around the include, at least as "
                       "high as the file it includes"),
}

# Reported from the bib files and preserved copies themselves (the Sphinx read of the
# check sees a de-duplicated copy of the bib file, whose folder holds no copies).
_FROM_BIB_FILES = frozenset(f"BB4{n:02d}" for n in range(3, 15)) - {"BB406", "BB407"}

_WARNING_RE = re.compile(
    r"^(?P<loc>.+?):(?P<line>\d+)?:?\s*(?P<level>WARNING|ERROR|CRITICAL): (?P<msg>.*?)"
    r"(?: \[(?P<type>[\w.-]+)\])?$"
)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    code: str
    message: str
    severity: Severity = field(default="error", compare=False)
    hint: str = field(default="", compare=False)


@dataclass
class Book:
    """Where a book's parts are: the layout ``sphinx-build -c conf docs`` expects."""

    root: Path
    srcdir: Path
    confdir: Path

    @classmethod
    def find(cls, root: Path) -> Book:
        root = root.resolve()
        confdir = root / "conf" if (root / "conf" / "conf.py").exists() else root
        srcdir = root / "docs" if (root / "docs").is_dir() else root
        if not (confdir / "conf.py").exists():
            raise SystemExit(f"briefbook check: no conf/conf.py under {root}")
        return cls(root, srcdir, confdir)

    def rel(self, path: str | Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def finding(book: Book, path: str | Path, line: int, code: str, message: str) -> Finding:
    severity, hint = CODES.get(code, ("error", ""))
    # Line 1 for problems of a whole file (editors and annotations need a line).
    return Finding(book.rel(path), max(line, 1), code, message, severity, hint)


# --- phase 1: the Sphinx read ------------------------------------------------------------


def sphinx_findings(book: Book, stream: str) -> list[Finding]:
    found = []
    for raw in stream.splitlines():
        raw = re.sub(r"\x1b\[[0-9;]*m", "", raw).strip()
        match = _WARNING_RE.match(raw)
        if not match:
            continue
        location = match.group("loc")
        if match.group("line") is None and ":" in location:
            location, _, rest = location.rpartition(":")
            line = int(rest) if rest.isdigit() else 0
        else:
            line = int(match.group("line") or 0)
        if "briefbook: the" in match.group("msg"):
            continue  # the summary line of a stopped build
        code, message = code_of(match.group("msg"), match.group("type"))
        found.append(finding(book, location, line, code, message))
    return found


def read_book(book: Book, overrides: dict[str, Any], purpose: str = "check") -> tuple[Any, str]:
    """Read every page with Sphinx's dummy builder; return the app and its warnings.

    A fresh environment each time: warnings are only emitted when a page is read, so a
    cached environment would hide the problems of unchanged pages.  ``purpose`` names
    the scratch folder under ``_build`` (``briefbook link`` reads beside a check).
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    out = book.root / "_build" / purpose
    warnings = io.StringIO()
    with patch_docutils(book.confdir), docutils_namespace():
        app = Sphinx(str(book.srcdir), str(book.confdir), str(out), str(out / ".doctrees"),
                     "dummy", status=None, warning=warnings, freshenv=True,
                     warningiserror=False, keep_going=True, verbosity=0,
                     confoverrides={"briefbook_registry_lenient": True, **overrides})
        app.build(force_all=True)
    return app, warnings.getvalue()


@dataclass
class BibCopy:
    """A copy of a bib file without its later duplicate entries, and its line map."""

    original: Path
    copy: Path
    lines: list[int]  # copy line (0-based index) → original line number


def without_duplicates(path: Path, out: Path) -> BibCopy:
    from briefbook.sources.validation import drop_duplicates

    text, line_map = drop_duplicates(path.read_text(encoding="utf-8-sig"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return BibCopy(path, out, line_map)


def _from_copy(book: Book, item: Finding, copies: list[BibCopy]) -> Finding:
    """Point a finding in a de-duplicated bib copy back at the user's file and line."""
    for copy in copies:
        if copy.copy != copy.original and item.path == book.rel(copy.copy):
            line = copy.lines[item.line - 1] if 0 < item.line <= len(copy.lines) else item.line
            return Finding(book.rel(copy.original), line, item.code, item.message,
                           item.severity, item.hint)
    return item


# --- phase 2: what a build does not check ----------------------------------------------


@dataclass(frozen=True)
class UnlinkedName:
    """One registry name left unlinked in a page's text (what BB103 reports).

    ``text`` is the doctree text node the name sits in and ``start``/``end`` index its
    string; ``paragraph`` is the paragraph holding it (None outside paragraphs).  Kept
    apart from the finding so that ``briefbook link`` can put the role where check
    asks for one, with the same idea of which names need it.
    """

    docname: str
    path: str
    line: int
    entity: Entity
    shown: str
    text: Any = field(compare=False)
    start: int
    end: int
    paragraph: Any = field(compare=False)


def find_unlinked(app: Any, registry: Registry) -> Iterator[UnlinkedName]:
    """Registry names in the text outside mentions, quotations, code and links.

    Every occurrence, in document order; a name already linked in the same paragraph
    may appear again unlinked (naming an entity again needs no link), and short forms
    ("Austin" after "Lloyd Austin") are left to the reader, as ingest leaves them.

    Names are looked for in a paragraph's whole text, as ingest looks for them in the
    article's paragraph, and reported where they stand outside the markup: whether a
    name needs a link does not depend on which of its neighbours are linked already
    (so ``briefbook link`` finds nothing new on a second run).
    """
    from docutils import nodes

    from briefbook.ingest.linker import Linker
    from briefbook.ingest.recognition import RuleRecogniser
    from briefbook.nodes import mention

    env = app.env
    linker = Linker.from_registry(registry)
    # The rules (no model: the check stays fast) find the longer names a registry name
    # may sit inside ("U.S." in "U.S. Army North"): ingest does not link those, so
    # neither does the check ask for a link there.
    recogniser = RuleRecogniser()
    skip = _skip_types()
    for docname in sorted(env.found_docs):
        doctree = env.get_doctree(docname)
        path = str(env.doc2path(docname))
        # The texts of each block (paragraph, term, caption …) in document order; a text
        # outside any block (made by an extension) is read with its siblings.
        blocks: dict[int, tuple[Any, list[Any]]] = {}
        for text in doctree.findall(nodes.Text):
            block = _block_of(text, nodes) or text.parent
            blocks.setdefault(id(block), (block, []))[1].append(text)
        for block, texts in blocks.values():
            context, spans = _block_text(texts, nodes, skip)
            if not spans:
                continue
            paragraph = block if isinstance(block, nodes.paragraph) else _paragraph_of(block, nodes)
            linked_here = ({m["entity"] for m in paragraph.findall(mention)}
                           if paragraph is not None else set())
            offsets = [offset for _, offset in spans]
            for match in linker.link([context], recogniser.recognise([context])):
                entity = registry.get(match.id)
                if entity is None or match.short_form or entity.id in linked_here:
                    continue
                # The text the name starts in (a bisection: a block may hold thousands).
                at = bisect.bisect_right(offsets, match.start) - 1
                if at < 0:
                    continue
                text, offset = spans[at]
                if match.end <= offset + len(text):
                    yield UnlinkedName(docname, path, _line_of(text), entity, match.text,
                                       text, match.start - offset, match.end - offset,
                                       paragraph)


def _skip_types() -> tuple[type, ...]:
    """Where a name never needs a link: mentions, quotations, code, links, titles …"""
    from docutils import nodes

    from briefbook.analysis.quotes import quotation
    from briefbook.nodes import mention

    return (mention, quotation, nodes.literal, nodes.literal_block, nodes.reference,
            nodes.raw, nodes.comment, nodes.title, nodes.rubric, nodes.citation,
            nodes.target, nodes.attribution)


def _block_text(texts: Sequence[Any], nodes: Any,
                skip: tuple[type, ...]) -> tuple[str, list[tuple[Any, int]]]:
    """A block's text (from its ``texts``) as the reader reads it, and where each text a
    name may need a link in starts in it.

    Text the build adds (a quotation's attribution, the [sic] of a variant) and raw
    output are not part of what the page says.
    """
    parts: list[str] = []
    spans: list[tuple[Any, int]] = []
    length = 0
    for text in texts:
        if _inside(text, (nodes.raw,)) or _inside_class(text, "bb-attribution") \
                or _inside_class(text, "bb-sic"):
            parts.append(" ")  # a line break, or words the page does not say
            length += 1
            continue
        value = str(text)
        # Glossary entries hold registry text; bylines hold the author's name.
        if not (_inside(text, skip) or _inside_class(text, "bb-byline")
                or _inside_class(text, "bb-entity-index")):
            spans.append((text, length))
        parts.append(value)
        length += len(value)
    return "".join(parts), spans


def _block_of(node: Any, nodes: Any) -> Any:
    """The block holding ``node``: its nearest ancestor with text that is not inline."""
    parent = node.parent
    while parent is not None and not (isinstance(parent, nodes.TextElement)
                                      and not isinstance(parent, nodes.Inline)):
        parent = parent.parent
    return parent


def suggested_role(shown: str, entity: Entity) -> str:
    """The role BB103 suggests: the name as shown, with the entity's id when it differs."""
    from briefbook.ingest.writer import ROLE_FOR_KIND

    target = "" if shown == entity.name else f" <{entity.id}>"
    return f"{{{ROLE_FOR_KIND[entity.kind]}}}`{shown}{target}`"


def unlinked_mentions(book: Book, app: Any, registry: Registry) -> list[Finding]:
    """BB103: each registry name left unlinked, with the role that would link it."""
    return [finding(book, name.path, name.line, "BB103",
                    f"'{name.shown}' is not linked: {suggested_role(name.shown, name.entity)}")
            for name in find_unlinked(app, registry)]


def _paragraph_of(node: Any, nodes: Any) -> Any:
    paragraph = node.parent
    while paragraph is not None and not isinstance(paragraph, nodes.paragraph):
        paragraph = paragraph.parent
    return paragraph


def _inside(node: Any, types: tuple[type, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, types):
            return True
        parent = parent.parent
    return False


def _inside_class(node: Any, cls: str) -> bool:
    parent = node.parent
    while parent is not None:
        if cls in getattr(parent, "get", lambda *_: [])("classes", []):
            return True
        parent = parent.parent
    return False


def _line_of(node: Any) -> int:
    while node is not None:
        if getattr(node, "line", None):
            return int(node.line)
        node = node.parent
    return 0


_TARGET_RE = re.compile(r"\{(?:person|place|org)\}`(?:[^`<]*<)?([^`>]+)>?`")


def registry_findings(book: Book, app: Any, registry: Registry) -> list[Finding]:
    """Unreviewed entries, entries nothing mentions, titles outside their dates."""
    domain: Any = app.env.domains["briefbook"]
    mentioned = {m.entity for found in domain.mentions.values() for m in found}
    mentioned |= {q.speaker for found in domain.quotes.values() for q in found if q.speaker}
    mentioned |= {e for found in domain.events.values() for ev in found for e in ev.entities}
    for entity in registry:
        for target in _TARGET_RE.findall(entity.description):
            other = registry.lookup(target.strip())
            if other is not None and other.id != entity.id:
                mentioned.add(other.id)
    found: list[Finding] = []
    folder = Path(registry.folder)
    for entity in registry:
        path = folder / Path(entity.path).name
        if entity.unreviewed:
            found.append(finding(book, path, entity.line, "BB310",
                                 f"{entity.kind} '{entity.id}' is still marked unreviewed"))
        if entity.id not in mentioned:
            found.append(finding(book, path, entity.line, "BB311",
                                 f"{entity.kind} '{entity.id}' is not mentioned anywhere in the book"))
    found.extend(role_date_findings(book, app, registry))
    return found


_STOP = {"of", "the", "for", "and", "u.s.", "us", "a", "an", "in"}


def _title_words(title: str) -> set[str]:
    words = re.findall(r"[a-z][a-z.]*", title.lower().replace("defence", "defense"))
    return {w for w in words if w not in _STOP and len(w) > 2}


def role_date_findings(book: Book, app: Any, registry: Registry) -> list[Finding]:
    """A person named by a title ("Defence Secretary X") they did not hold on the date.

    The title counts as used when at least two of its significant words stand in the
    80 characters before the mention (British and American spellings alike).
    """
    from docutils import nodes

    from briefbook.nodes import mention
    from briefbook.pages.byline import briefing_date

    env = app.env
    found: list[Finding] = []
    for docname in sorted(env.found_docs):
        when = briefing_date(env.metadata.get(docname, {}))
        if when is None:
            continue
        doctree = env.get_doctree(docname)
        tails: dict[int, dict[int, str]] = {}
        for node in doctree.findall(mention):
            entity = registry.get(node["entity"])
            if entity is None or entity.kind != "person" or not entity.roles:
                continue
            before = _text_before(node, nodes, tails)
            window = set(re.findall(r"[a-z][a-z.]*", before.lower().replace("defence", "defense")))
            used = [r for r in entity.roles if len(_title_words(r.title) & window) >= 2]
            if used and not any(r.covers(when) for r in used):
                role = used[0]
                found.append(finding(
                    book, env.doc2path(docname), _line_of(node), "BB312",
                    f"{entity.name} is named as '{role.title}', held {role.span()}, "
                    f"but the article is dated {when.isoformat()}"))
    return found


def _text_before(node: Any, nodes: Any, cache: dict[int, dict[int, str]]) -> str:
    """The last 80 characters of the paragraph's text before the part holding ``node``.

    Each paragraph is read once (``cache``): asked afresh for each mention, a paragraph
    of one long line cost the square of its length."""
    top = node
    while top.parent is not None and not isinstance(top.parent, nodes.paragraph):
        top = top.parent
    paragraph = top.parent
    if paragraph is None:
        return ""
    if id(paragraph) not in cache:
        tails: dict[int, str] = {}
        tail = ""
        for child in paragraph.children:
            tails[id(child)] = tail
            tail = (tail + child.astext())[-80:]
        cache[id(paragraph)] = tails
    return cache[id(paragraph)].get(id(top), "")


def undated_reason(path: Path, metadata: dict[str, Any]) -> str | None:
    """Why a briefing counts as undated (None when it is dated and named for its date).

    A briefing is a page in ``briefings/`` or one whose front matter names its
    ``source:`` (what ingest writes); undated is no readable ``date:`` in its front
    matter, or a file name still starting ``undated-`` after the date was added.  Such a
    page sorts last in the navigation and the PDF, and its judgements have no "as of"."""
    from briefbook.pages.byline import briefing_date

    when = briefing_date(metadata)
    raw = metadata.get("date")
    if when is None and raw not in (None, ""):
        return f"the briefing's date {str(raw)!r} is not a date written YYYY-MM-DD"
    if when is None:
        return "the briefing has no date (no date: line in its front matter)"
    if path.name.startswith("undated-"):
        return (f"the briefing is dated {when.isoformat()} but its file name still says "
                f"undated: rename it {when.isoformat()}-{path.name.removeprefix('undated-')}")
    return None


def undated_findings(book: Book, app: Any) -> list[Finding]:
    """BB507 for each undated briefing, at its ``date:`` line (else the page's line 1).

    Only here, not in the build: an undated page builds and reads fine (it sorts last,
    under "Undated"), and a build warning would stop every ``-W`` build of a batch
    ingested before it was dated; like the names left for review (BB103, BB310), it is
    work left for the analyst, which ``check`` lists and ``check --strict`` fails on."""
    env = app.env
    briefings = (book.srcdir / "briefings").resolve()
    found = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname)).resolve()
        metadata = env.metadata.get(docname, {})
        if not (path.is_relative_to(briefings) or metadata.get("source")
                or path.name.startswith("undated-")):
            continue
        reason = undated_reason(path, metadata)
        if reason is not None:
            found.append(finding(book, path, _front_matter_line(path, "date", app), "BB507",
                                 reason))
    return found


def _front_matter_line(path: Path, key: str, app: Any) -> int:
    """The line of ``key:`` in a page's front matter as MyST delimits it (1 when it has
    none): the same reading the release decision takes (:mod:`briefbook.editions.decision`)."""
    from briefbook.editions.decision import front_matter
    from briefbook.editions.release import reading_of

    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return 1
    found = front_matter(text, reading_of(app)[0].markdown)
    if found is None:
        return 1
    for number, line in enumerate(found.content.split("\n"), start=found.first_line):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
    return 1


# --- suppression, the run ------------------------------------------------------------------


def suppressed(book: Book, item: Finding, cache: dict[str, list[str]]) -> bool:
    """``briefbook-ignore[: CODE, …]`` in a comment on the finding's line or the one
    before (the rule the build follows too: :mod:`briefbook.book.silencing`)."""
    if item.path not in cache:
        cache[item.path] = read_lines(book.root / item.path)
    return silenced_by_comment(cache[item.path], item.line, item.code)


def run_check(root: Path, ignore: Iterable[str] = ()) -> list[Finding]:
    """Every finding for the book at ``root``, sorted by file and line, silenced ones out."""
    from briefbook.sources.archive import verify as verify_copies
    from briefbook.sources.validation import validate_bibfile

    book = Book.find(root)
    findings: list[Finding] = []
    config = _read_config(book)
    registry_folder = book_registry_folder(book, config)
    try:
        registry = load_registry(registry_folder, base=registry_folder)
    except RegistryError as error:
        for problem in error.problems:
            findings.append(finding(book, registry_folder / problem.path, problem.line,
                                    problem.code, problem.message))
        registry = load_registry(registry_folder, base=registry_folder, lenient=True)

    fatal_bib = False
    copies: list[BibCopy] = []
    for name in config.get("bibtex_bibfiles") or []:
        path = (book.srcdir / name).resolve()
        if not path.is_file():
            continue
        report = validate_bibfile(path)
        for problem in [*report.errors, *report.warnings]:
            findings.append(finding(book, path, problem.line, problem.code, problem.message))
        # Preserved copies: missing, unreadable or changed since capture (the fields
        # themselves were checked just above).
        for problem in verify_copies(path):
            if problem.code in ("BB412", "BB413", "BB414"):
                findings.append(finding(book, path, problem.line, problem.code, problem.message))
        if any(p.code in ("BB406", "BB407") for p in report.errors):
            fatal_bib = True  # unreadable: the pages cannot be checked against it
            findings.append(finding(book, path, 1, "BB407",
                                    "the pages were not checked: fix this file first"))
            continue
        out = book.root / "_build" / "check" / "bib" / f"{len(copies)}-{path.name}"
        copies.append(without_duplicates(path, out))
    if not fatal_bib:
        overrides = {"bibtex_bibfiles": [str(c.copy) for c in copies]} if copies else {}
        app, stream = read_book(book, overrides)
        for item in sphinx_findings(book, stream):
            if item.code.startswith("BB3") or item.code in _FROM_BIB_FILES:
                continue  # already reported from the files themselves
            findings.append(_from_copy(book, item, copies))
        findings.extend(unlinked_mentions(book, app, registry))
        findings.extend(registry_findings(book, app, registry))
        findings.extend(undated_findings(book, app))
    skip = set(ignore) | set(config.get("briefbook_check_ignore") or [])
    cache: dict[str, list[str]] = {}
    unique = sorted(set(findings))
    return [f for f in unique if f.code not in skip and not suppressed(book, f, cache)]


_SETTINGS = ("briefbook_registry", "bibtex_bibfiles", "briefbook_check_ignore")


def book_registry_folder(book: Book, config: dict[str, Any] | None = None) -> Path:
    """The registry folder conf.py names (``conf/entities`` by default), made absolute."""
    if config is None:
        config = _read_config(book)
    folder = Path(config.get("briefbook_registry") or book.confdir / "entities")
    return folder if folder.is_absolute() else (book.confdir / folder).resolve()


def _read_config(book: Book, names: Sequence[str] = _SETTINGS) -> dict[str, Any]:
    """conf.py's settings ``names``, read the way Sphinx reads them."""
    import runpy

    namespace = runpy.run_path(str(book.confdir / "conf.py"),
                               init_globals={"__file__": str(book.confdir / "conf.py")})
    return {name: namespace[name] for name in names if name in namespace}


def format_human(findings: Sequence[Finding], strict: bool, colour: bool) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour, width=120,
                      highlight=False, soft_wrap=True)
    current = None
    for item in findings:
        if item.path != current:
            current = item.path
            console.print(f"\n[bold]{item.path}[/bold]")
        level = "error" if strict or item.severity == "error" else "warning"
        style = "red" if level == "error" else "yellow"
        console.print(f"  {item.path}:{item.line}: [{style}]{item.code}[/{style}] {item.message}",
                      markup=True)
        if item.hint:
            console.print(f"      [dim]fix: {item.hint}[/dim]")
    errors = sum(1 for f in findings if strict or f.severity == "error")
    warnings = len(findings) - errors
    console.print(f"\n{errors} error(s), {warnings} warning(s)" if findings else "No problems found.")
    return buffer.getvalue().lstrip("\n")


def format_json(findings: Sequence[Finding], strict: bool) -> str:
    records = []
    for item in findings:
        record = asdict(item)
        record["severity"] = "error" if strict else item.severity
        records.append(record)
    return json.dumps({"findings": records,
                       "errors": sum(1 for r in records if r["severity"] == "error"),
                       "warnings": sum(1 for r in records if r["severity"] == "warning")},
                      ensure_ascii=False, indent=2)


def format_github(findings: Sequence[Finding], strict: bool) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = []
    for item in findings:
        level = "error" if strict or item.severity == "error" else "warning"
        message = escape(f"{item.message} (fix: {item.hint})" if item.hint else item.message)
        lines.append(f"::{level} file={item.path},line={item.line},title={item.code}::{message}")
    return "\n".join(lines)


def main(args: Any) -> int:
    root = Path(args.path)
    findings = run_check(root, ignore=args.ignore or ())
    strict = bool(args.strict)
    if args.format == "json":
        print(format_json(findings, strict))
    elif args.format == "github":
        output = format_github(findings, strict)
        if output:
            print(output)
    else:
        colour = sys.stdout.isatty() and not args.no_color
        print(format_human(findings, strict, colour), end="")
    failing = [f for f in findings if strict or f.severity == "error"]
    return 1 if failing else 0


def register_check(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="report everything wrong with a book (file:line, code, fix)",
        description="Report unresolved names, unsourced quotes and claims, registry and "
                    "bibliography problems and unlinked mentions, without building HTML.")
    parser.add_argument("path", nargs="?", default=".", help="the book's root (default: here)")
    parser.add_argument("--format", choices=("human", "json", "github"), default="human")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--ignore", action="append", metavar="CODE",
                        help="silence a code (repeatable)")
    parser.add_argument("--no-color", action="store_true", help="plain output on a terminal")
    parser.set_defaults(func=main)

