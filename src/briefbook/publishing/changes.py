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
page when they are at least :data:`.comparison.SIMILARITY` alike (``difflib``), so a
reworded judgement shows as changed, not as dropped and added. Everything still in this
edition links to it.

The page is generated (filled once every page has been read): an incremental build
writes it again whenever a page was read, and reads it again when the previous export
changes. Bad input is reported as a warning at the file: missing (BB603), not JSON
(BB604, with its line), not an export this version reads (BB605). A released edition is
never compared with an export that holds more than it (BB606): what was dropped would
show what the edition withholds.

This module wires the page into the build: the setting, the directive, the previous
export read once per build, and the page filled once every page has been read. The two
exports are compared by :mod:`.comparison`, and the page's nodes written by
:mod:`.changes_page`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.editions import markings
from briefbook.editions.markings import MarkingError
from briefbook.entities.domain import fill_generated_pages
from briefbook.publishing.changes_page import Page, first_edition
from briefbook.publishing.comparison import CONFIG, ExportError, Snapshot, load, snapshot
from briefbook.publishing.export import export_book

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)


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


def render(app: Sphinx, fromdocname: str) -> list[nodes.Node]:
    found = previous(app.env)
    if found.path is None:
        return first_edition()
    if found.snapshot is None:
        return [nodes.paragraph("", found.problem, classes=["bb-changes-unavailable"])]
    after = snapshot(export_book(app.env))
    return Page(app, fromdocname, found.snapshot, after).render()


def fill_what_changed(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    fill_generated_pages(app, doctree, docname, "what-changed", what_changed, render,
                         "bb-what-changed")


def setup(app: Sphinx) -> None:
    app.add_config_value(CONFIG, "", "env", types=[str])
    app.add_node(what_changed)
    app.add_directive("what-changed", WhatChangedDirective)
    app.connect("config-inited", resolve_path)
    app.connect("env-updated", read_previous_once)
    app.connect("doctree-resolved", fill_what_changed)
