"""Releasable editions: everything marked above the release level is left out, and so is
everything derived from it.

``briefbook_release = "TLP:GREEN"`` (``briefbook build --release TLP:GREEN``) builds an
edition for readers cleared to that level. What is withheld is never read, rather than
read and hidden, so nothing derived from it can surface:

* every document Sphinx found is decided on before anything is read, by the one decision
  of :mod:`.decision` (what MyST and Sphinx read as its marking); a page marked above the
  level, or whose marking cannot be determined, is taken out of the project by its
  docname (it is in no toctree, navigation, search index or inventory); toctrees naming
  it skip it;
* a portion marked above the level is not parsed (:mod:`.markings`), so its mentions,
  quotations, claims, events and citations are never recorded; a portion whose marking
  the scheme does not define is left out too;
* a file a page includes carries its own marking: one marked above the release is not
  read into the page (``include-read``), and after reading every file the page read
  (includes, literal includes, ``:file:`` options) is checked against the page;
* after reading, an entity that only withheld material named is dropped from the
  glossary, the entity grids, the map, the glossary terms and the general index, and a
  source that only withheld material cited is dropped from the bibliography;
* the pages' sources are not copied into the site (``_sources/`` holds the unfiltered
  text).

It fails closed: whatever cannot be decided is left out *and* the release fails (exit
status 1, even without ``-W``), with an error naming the file and line, so a release
with a problem is never published. Every build reports the same problems (as warnings
in the full edition), so ``briefbook check`` lists them in the same words.

Each edition builds in its own folder (``briefbook build --release`` names it), so the
full edition and released ones sit side by side and never share an environment.
"""

from __future__ import annotations

import posixpath
import shutil
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.directives.other import TocTree, glob_re
from sphinx.util import docname_join, logging, url_re
from sphinx.util.nodes import explicit_title_re

from briefbook.editions import markings
from briefbook.editions.decision import Decision, Reading, book_files

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

    from briefbook.editions.markings import Level


logger = logging.getLogger(__name__)


# Per application: how its book is read, and the included files decided so far.
_readings: weakref.WeakKeyDictionary[Any, tuple[Reading, dict[Path, Decision]]] = (
    weakref.WeakKeyDictionary())


def reading_of(app: Sphinx) -> tuple[Reading, dict[Path, Decision]]:
    """The book's :class:`Reading` (built once per build) and its cache of included files."""
    found = _readings.get(app)
    if found is None:
        found = (Reading.of_app(app), {})
        _readings[app] = found
    return found


def _report(env: BuildEnvironment, docname: str, line: int, message: str,
            failures: dict[str, list[str]]) -> None:
    """A problem of the page, as every build words it: an error in a release (kept in
    ``failures``: it fails the release), a warning in the full edition."""
    # A file and line, not the docname: warnings of the read are written out after it,
    # when a withheld docname no longer names a file.
    where = f"{env.doc2path(docname)}:{line}"
    if markings.release_level(env.config) is None:
        logger.warning("%s", message, location=where, type="briefbook", subtype="marking")
        return
    logger.error("%s", message, location=where, type="briefbook", subtype="marking")
    failures.setdefault(docname, []).append(message)


def _kept_on(env: BuildEnvironment, name: str, empty: type) -> Any:
    """An attribute of the environment (pickled with it), made empty the first time."""
    found = getattr(env, name, None)
    if found is None:
        found = empty()
        setattr(env, name, found)
    return found


def _undecided(env: BuildEnvironment) -> dict[str, list[str]]:
    """What this release could not decide before reading, by page (decided afresh by
    every build)."""
    found: dict[str, list[str]] = _kept_on(env, "briefbook_release_undecided", dict)
    return found


def _failures(env: BuildEnvironment) -> dict[str, list[str]]:
    """What this release refused while reading, by page (kept with the page's other data
    until it is read again; a parallel read's workers hand theirs over at
    ``env-merge-info``)."""
    found: dict[str, list[str]] = _kept_on(env, "briefbook_release_failures", dict)
    return found


def release_failures(env: BuildEnvironment) -> list[str]:
    """Every problem that fails this release (empty for a release that may be published)."""
    return [message for found in (_undecided(env), _failures(env))
            for docname in sorted(found) for message in found[docname]]


def decide_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                 removed: set[str]) -> list[str]:
    """``env-get-outdated``: decide every document Sphinx found (hidden, oddly named, any
    suffix) and, in a release, take those above it out of the project by docname before
    anything is read; a page read before and withheld now is removed from the environment.
    A page that cannot be read or decoded is left out of every build (Sphinx would stop
    on it with a traceback)."""
    reading, _ = reading_of(app)
    released = markings.release_level(env.config)
    undecided = _undecided(env)
    undecided.clear()
    decisions: dict[str, Decision] = {}
    withheld: dict[str, str] = {}
    for docname in sorted(env.found_docs):
        decision = reading.decide(Path(env.doc2path(docname)))
        decisions[docname] = decision
        if decision.problem and (released is not None or decision.code != "BB601"
                                 or reading.filetype(decision.path) != "markdown"):
            # (The full edition's BB601 for a Markdown page's front matter comes from
            # markings.note_page_marking, in the same words: not twice.)
            _report(env, docname, decision.line, decision.message, undecided)
        if decision.unreadable or (released is not None and decision.above(released)):
            withheld[docname] = Path(env.doc2path(docname)).relative_to(env.srcdir).as_posix()
    if released is not None and reading.book is not None and reading.book > released:
        message = (f"BB607 the book is marked {reading.book.name} (briefbook_marking), above "
                   f"the release level {released.name}: every page is left out")
        logger.error("%s", message, type="briefbook", subtype="marking")
        undecided[""] = [message]
    project: Any = env.project  # out of the project by docname: never read, never listed
    for docname, relative in withheld.items():
        project.docnames.discard(docname)
        getattr(project, "_docname_to_path", {}).pop(docname, None)
        getattr(project, "_path_to_docname", {}).pop(Path(relative), None)
        added.discard(docname)
        changed.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
        _failures(env).pop(docname, None)  # what an earlier read refused: not read now
    env.briefbook_decisions = decisions  # type: ignore[attr-defined]
    env.briefbook_withheld = withheld  # type: ignore[attr-defined]
    return []


def withheld_docnames(env: BuildEnvironment) -> dict[str, str]:
    """The pages this edition leaves out (docname → file, relative to the source folder)."""
    return dict(getattr(env, "briefbook_withheld", {}))


def withheld_pages(app: Sphinx, config: Config) -> dict[str, str]:
    """Pages the edition released at ``briefbook_release`` leaves out (docname → file
    relative to the source folder), decided afresh from the files."""
    released = markings.release_level(config)
    if released is None:
        return {}
    reading = Reading.of_app(app)
    also = tuple(app.builder.get_asset_paths()) if getattr(app, "builder", None) else ()
    found = book_files(Path(app.srcdir), {"exclude_patterns": config.exclude_patterns,
                                          "include_patterns": config.include_patterns,
                                          "templates_path": config.templates_path},
                       reading.filetypes, also)
    return {docname: path.relative_to(app.srcdir).as_posix() for docname, path in found.items()
            if reading.decide(path).above(released)}


def release_settings(app: Sphinx, config: Config) -> None:
    """``config-inited``: a release does not copy the pages' sources into the site
    (``_sources/`` would hold the text its withheld portions were cut from)."""
    if markings.release_level(config) is not None:
        config.html_copy_source = False


class EditionTocTree(TocTree):
    """Sphinx's ``toctree`` without the pages withheld from this edition.

    An entry naming a withheld page is dropped silently, whichever way it names it (with
    a title, a suffix, relative to the page's folder or from the top with ``/``): a
    warning would fail the release and print the name of what it withholds.
    """

    def run(self) -> list[nodes.Node]:
        self._drop_empty_folder_globs()
        withheld = withheld_docnames(self.env)
        if withheld:
            content: StringList = self.content  # type: ignore[has-type]
            kept = StringList()
            for line, (source, offset) in zip(content, content.items, strict=True):
                if self._names_page(line.strip()) not in withheld:
                    kept.append(line, source, offset)
            self.content = kept
        return super().run()

    def _names_page(self, entry: str) -> str | None:
        """The docname a toctree entry names, resolved as Sphinx resolves it
        (:meth:`TocTree.parse_content`); None for a glob, a URL or ``self``."""
        if not entry:
            return None
        explicit = explicit_title_re.match(entry)
        if url_re.match(entry) or ("glob" in self.options and glob_re.match(entry)
                                   and not explicit):
            return None
        target = explicit.group(2) if explicit else entry
        if target == "self":
            return None
        for suffix in self.config.source_suffix or {}:
            if target.endswith(suffix):
                target = target.removesuffix(suffix)
                break
        return docname_join(self.env.current_document.docname, target)

    def _drop_empty_folder_globs(self) -> None:
        """A glob over a folder that exists but holds no page yet (``briefings/*`` in a
        new book, or in an edition that withholds every briefing) lists nothing, without
        Sphinx's warning; a glob over a folder that does not exist still warns."""
        if "glob" not in self.options:
            return
        content: StringList = self.content
        kept = StringList()
        current = self.env.current_document.docname
        for line, (source, offset) in zip(content, content.items, strict=True):
            entry = line.strip()
            if "*" in entry and not entry.endswith(">"):
                head = entry.split("*", 1)[0]
                folder = head.rsplit("/", 1)[0] if "/" in head else ""
                if folder.startswith("/"):
                    prefix, disk = folder.strip("/"), Path(self.env.srcdir) / folder.strip("/")
                else:
                    prefix = posixpath.normpath(posixpath.join(posixpath.dirname(current), folder))
                    disk = Path(self.env.doc2path(current)).parent / folder
                prefix = "" if prefix in (".", "") else prefix.strip("/") + "/"
                if disk.is_dir() and not any(doc.startswith(prefix) and doc != current
                                             for doc in self.env.found_docs):
                    continue
            kept.append(line, source, offset)
        self.content = kept


def withhold_included(app: Sphinx, relative_path: Path | str, parent_docname: str,
                      content: list[str]) -> None:
    """``include-read``: in a release, a file marked above it (or whose marking cannot be
    determined) is not read into the page; the check after reading names it and fails."""
    released = markings.release_level(app.config)
    if released is None:
        return
    path = (Path(app.env.srcdir) / relative_path).resolve()
    if _included(app, path, content[0]).above(released):
        content[0] = ""


def refuse_unknown_portion(directive: SphinxDirective, message: str) -> None:
    """In a release, a portion whose marking the scheme does not define is left out (the
    caller parses nothing of it) and fails the release, in the full edition's words."""
    env = directive.env
    logger.error("%s", message, location=directive.get_location(), type="briefbook",
                 subtype="marking")
    _failures(env).setdefault(env.current_document.docname, []).append(message)


def _included(app: Sphinx, path: Path, text: str | None = None) -> Decision:
    reading, cache = reading_of(app)
    if path not in cache:
        cache[path] = reading.decide_included(path, text)
    return cache[path]


def verify_page(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, in every build: the marking Sphinx read is the one decided before
    reading, and no file the page read is marked above the page where it sits (a portion
    marked high enough may hold it). In a release a page that fails either is emptied
    and its data dropped, so nothing of it is written, and the release fails."""
    env = app.env
    docname = env.current_document.docname
    decided: Decision | None = getattr(env, "briefbook_decisions", {}).get(docname)
    problems: list[tuple[int, str]] = []
    read = _docinfo_marking(doctree)
    if decided is not None and not decided.problem and read != decided.text:
        problems.append((decided.line, (
            f"BB607 Sphinx read the page's marking as '{read}' where the decision before "
            f"reading found '{decided.text}' (a marking outside the front matter?), so its "
            "marking cannot be determined; every release leaves the page out")))
    floor = decided.level if decided is not None and not decided.problem else None
    for path, shown in _files_read(env, doctree, docname).items():
        included = _included(app, path)
        problem = _include_problem(env, doctree, path, shown, included, floor)
        if problem:
            problems.append((_line_naming(Path(env.doc2path(docname)), path), problem))
    for line, message in problems:
        _report(env, docname, line, message, _failures(env))
    if problems and markings.release_level(env.config) is not None:
        # Nothing of it is written; what its reading recorded is dropped once every
        # page is read (drop_failed_pages: a parallel read's workers merge it first).
        _empty(doctree)
        _failed_pages(env).add(docname)


def _empty(doctree: nodes.document) -> None:
    """Nothing of the page is kept, not even in the document's tables of ids and names
    (they hold the nodes, and the pickled doctree with them)."""
    transformer = doctree.transformer  # the transforms still running go on with it
    doctree.__init__(doctree.settings, doctree.reporter,
                     source=doctree.get("source", ""))
    doctree.transformer = transformer


def _docinfo_marking(doctree: nodes.document) -> str:
    """The ``marking`` of the page's metadata, read as Sphinx's metadata collector reads
    it (the docinfo that opens the document: MyST's front matter, an rST field list)."""
    index = doctree.first_child_not_matching_class(nodes.PreBibliographic)
    if index is None or not isinstance(doctree[index], nodes.docinfo):
        return ""
    for node in doctree[index].children:
        if isinstance(node, nodes.field) and node[0].astext() == "marking":
            return node[1].astext().strip()
    return ""


def _files_read(env: BuildEnvironment, doctree: nodes.document, docname: str) -> dict[Path, str]:
    """Every file the page read besides itself (resolved path → how to name it): docutils'
    dependencies (include, raw and tables with ``:file:``, MyST's include) and Sphinx's
    (literalinclude)."""
    found: dict[Path, str] = {}
    recorded = getattr(doctree.settings, "record_dependencies", None)
    named = [Path.cwd() / str(dep) for dep in getattr(recorded, "list", None) or []]
    named += [Path(env.srcdir) / str(dep) for dep in env.dependencies.get(docname, ())]
    page = Path(env.doc2path(docname)).resolve()
    for path in named:
        resolved = path.resolve()
        if resolved != page and resolved.is_file():
            found.setdefault(resolved, _relative(env, resolved))
    return dict(sorted(found.items()))


def _include_problem(env: BuildEnvironment, doctree: nodes.document, path: Path, shown: str,
                     included: Decision, floor: Level | None) -> str:
    """BB608 when the page holds ``path`` where it is marked lower than the file ('' if not)."""
    if included.problem:
        return (f"BB608 includes {shown}, whose marking cannot be determined "
                f"({shown}:{included.line}: {included.message}); every release leaves the "
                "page out")
    if included.level is None or (floor is not None and included.level <= floor):
        return ""
    scheme = markings.scheme_of(env.config)
    where = [_level_at(node, floor) for node in _nodes_from(doctree, path)]
    low = [rank for rank in where if rank < included.level.rank]
    if where and not low:
        return ""  # inside portions marked at least as high as the file
    rank = min(low) if low else (floor.rank if floor is not None else -1)
    sits = f"the page's marking {scheme.levels[rank].name}" if rank >= 0 else "the unmarked page"
    return (f"BB608 includes {shown}, marked {included.level.name} ({shown}:{included.line}), "
            f"above {sits} where it is included; every release below "
            f"{included.level.name} leaves the page out")


def _nodes_from(doctree: nodes.document, path: Path) -> list[nodes.Node]:
    resolved: dict[str, Path] = {}

    def source(node: nodes.Node) -> Path | None:
        text = node.get("source") if isinstance(node, nodes.Element) else None
        text = text or getattr(node, "source", None)
        if not text:
            return None
        if text not in resolved:
            resolved[text] = Path(text).resolve()
        return resolved[text]

    return [node for node in doctree.findall(nodes.Element) if source(node) == path]


def _level_at(node: nodes.Node, floor: Level | None) -> int:
    """The rank of the marking in force at ``node``: the page's, raised by the portions
    around it."""
    ranks = [floor.rank] if floor is not None else [-1]
    parent = node.parent
    while parent is not None:
        if isinstance(parent, markings.portion):
            ranks.append(int(parent["rank"]))
        parent = parent.parent
    return max(ranks)


def _relative(env: BuildEnvironment, path: Path) -> str:
    folder = Path(env.srcdir).resolve()
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)


def _line_naming(page: Path, included: Path) -> int:
    """The line of the page that names the included file (1 if none does)."""
    try:
        lines = page.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, start=1) if included.name in line), 1)


def _failed_pages(env: BuildEnvironment) -> set[str]:
    """Pages a release read and then found it may not show (emptied, to be dropped)."""
    found: set[str] = _kept_on(env, "briefbook_release_refused", set)
    return found


def merge_failures(app: Sphinx, env: BuildEnvironment, docnames: set[str],
                   other: BuildEnvironment) -> None:
    theirs = _failures(other)
    for docname in docnames:
        if docname in theirs:
            _failures(env)[docname] = theirs[docname]
    _failed_pages(env).update(_failed_pages(other) & set(docnames))


def purge_failures(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _failures(env).pop(docname, None)
    _failed_pages(env).discard(docname)


def drop_failed_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``, before anything is derived from the pages: what a page the release
    read and then refused (it shows a file marked above it, or Sphinx read another marking
    than the one decided) recorded while it was read is dropped, so no index, card,
    inventory or search entry keeps it; the page itself was emptied when it was read. Its
    errors stay: the release fails."""
    if markings.release_level(env.config) is None:
        return []
    for docname in sorted(_failed_pages(env)):
        for domain in env.domains.values():
            domain.clear_doc(docname)
        env.metadata[docname] = {}
    return []


def fail_the_release(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: a release that left out anything it could not decide fails, with
    or without ``-W``, so it is never published."""
    if markings.release_level(env.config) is None:
        return []
    failures = release_failures(env)
    if failures:
        logger.error("briefbook: the release left out what it could not decide or what "
                     "included more than its page may show (%d problem(s) above); it fails",
                     len(failures), type="briefbook", subtype="marking")
        app.statuscode = 1
    return []


def forget_the_release_environment(app: Sphinx, exception: BaseException | None) -> None:
    """Once a released edition is built, delete its environment and doctrees.

    Sphinx pickles what it read before anything is withheld from it: the whole registry
    (and briefbook's parsed copy of it), every entry of the bibliography, the glossary
    pages with every entity, the names of the pages left out. A release's staging folder
    would keep all of it beside the edition, for whoever is handed the folder. A release
    is built fresh, so nothing is lost but a cache; last of ``build-finished`` (the
    security policy still reads its records from there), failed builds too.
    """
    if markings.release_level(app.config) is None:
        return
    doctrees = Path(app.doctreedir)
    if doctrees.is_dir() and doctrees.resolve() != Path(app.outdir).resolve():
        shutil.rmtree(doctrees, ignore_errors=True)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", release_settings, priority=600)
    app.connect("env-get-outdated", decide_pages)
    app.connect("include-read", withhold_included)
    # Before the environment's collectors (500) take titles, toctrees and images from it.
    app.connect("doctree-read", verify_page, priority=450)
    app.connect("env-merge-info", merge_failures)
    app.connect("env-purge-doc", purge_failures)
    app.connect("env-updated", drop_failed_pages, priority=100)
    app.connect("env-updated", fail_the_release, priority=900)
    app.add_directive("toctree", EditionTocTree, override=True)
    app.connect("build-finished", forget_the_release_environment, priority=990)

