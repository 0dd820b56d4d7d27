"""Every ``app.add_*`` and ``app.connect`` of the extension, in one place.

Keeping the wiring here means each concept module (quotes, domain, …) stays importable
and testable on its own, and a reader sees the whole extension surface at a glance.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from briefbook import __version__, editions, nodes
from briefbook.analysis import claims, quotes
from briefbook.book import page_encoding, silencing
from briefbook.book.problems import Problem, stop_build
from briefbook.build import (
    accessibility,
    config_status,
    csp,
    incremental,
    latex,
    parallel_write,
    quick_exit,
    search_index,
    template_text,
)
from briefbook.entities import cards
from briefbook.entities.domain import BriefbookDomain, report_missing_entry
from briefbook.entities.registry import RegistryError
from briefbook.entities.registry_cache import keep_parsed_registry_in, load_registry_cached
from briefbook.entities.roles import EntityRole
from briefbook.pages import affected, byline, entity_grid, frontpage, glossary, navigation, placemap, timeline
from briefbook.publishing import changes, export, handout
from briefbook.sources import bibliography, citations, marks, sourcing, validation
from briefbook.sources import style as source_style

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

STATIC_DIR = Path(__file__).parent / "static"
logger = logging.getLogger(__name__)


def setup_extension(app: Sphinx) -> ExtensionMetadata:
    source_style.register()
    source_style.setup(app)

    app.add_config_value("briefbook_registry", "", "env", types=[str])
    app.add_config_value("briefbook_warn_uncited", True, "env", types=[bool])
    app.add_config_value("briefbook_cited_in", True, "html", types=[bool])
    app.add_config_value("briefbook_check_ignore", [], "", types=[list])
    # Set by `briefbook check`, which reports registry problems itself and reads on.
    app.add_config_value("briefbook_registry_lenient", False, "", types=[bool])

    byline.setup(app)
    nodes.setup(app)
    app.add_domain(BriefbookDomain)
    # The short forms {person}, {place} and {org}, without the domain prefix.
    app.add_role("person", EntityRole("person"))
    app.add_role("place", EntityRole("place"))
    app.add_role("org", EntityRole("organization"))
    app.connect("missing-reference", report_missing_entry)
    glossary.setup(app)
    cards.setup(app)
    quotes.setup(app)
    claims.setup(app)
    frontpage.setup(app)
    timeline.setup(app)
    placemap.setup(app)
    entity_grid.setup(app)
    navigation.setup(app)
    template_text.setup(app)
    app.connect("doctree-resolved", citations.add_cited_in)
    citations.setup_pickling(app)
    marks.setup(app)
    bibliography.setup(app)
    sourcing.setup(app)
    affected.setup(app)
    editions.setup(app)
    export.setup(app)
    changes.setup(app)
    handout.setup(app)
    incremental.setup(app)
    app.connect("env-check-consistency", citations.warn_uncited)
    latex.setup(app)
    csp.setup(app)
    parallel_write.setup(app)
    accessibility.setup(app)
    quick_exit.setup(app)
    page_encoding.setup(app)
    silencing.setup(app)
    search_index.setup(app)

    app.connect("config-inited", _resolve_registry_path)
    config_status.setup(app)
    app.connect("builder-inited", _check_registry)
    # Before sphinxcontrib-bibtex (priority 500) parses, and crashes on, a broken file.
    app.connect("builder-inited", _check_bibliography, priority=400)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("briefbook.css")
    app.add_js_file("briefbook.js", loading_method="defer")
    app.add_latex_package("briefbook")
    return {
        "version": __version__,
        "env_version": 6,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _resolve_registry_path(app: Sphinx, config: Config) -> None:
    """Make ``briefbook_registry`` absolute (relative paths are relative to conf.py)."""
    value = str(config.briefbook_registry or "")
    if value and not Path(value).is_absolute():
        config.briefbook_registry = str((Path(app.confdir) / value).resolve())


def _check_registry(app: Sphinx) -> None:
    """Validate the registry once before reading: a broken file stops the build here,
    with every problem listed as file:line, instead of failing on the first mention."""
    folder = str(app.config.briefbook_registry or "")
    keep_parsed_registry_in(Path(app.doctreedir))
    if not folder or app.config.briefbook_registry_lenient:
        return
    try:
        # The same parse the roles use later (registry_for): read once, not twice.
        load_registry_cached(folder)
    except RegistryError as error:
        stop_build(error.problems, Path(folder), "registry")


def _check_bibliography(app: Sphinx) -> None:
    """Stop on a broken bib file (syntax, encoding, duplicate key); warn on weak entries."""
    if "sphinxcontrib.bibtex" not in app.extensions:
        return
    errors: list[Problem] = []
    for name in app.config.bibtex_bibfiles or []:
        path = Path(app.srcdir) / name
        if not path.is_file():
            continue
        report = validation.validate_bibfile_cached(path, str(path.resolve()), Path(app.doctreedir))
        errors.extend(report.errors)
        for problem in report.warnings:
            logger.warning("%s %s", problem.code, problem.message,
                           location=f"{problem.path}:{problem.line}", type="briefbook",
                           subtype="bibliography")
    if errors:
        stop_build(errors, Path(app.srcdir), "bibliography")


def _add_static_path(app: Sphinx) -> None:
    """Ship our CSS/JS and LaTeX style with the book (no CDN, nothing fetched)."""
    if app.builder.format == "html":
        static = str(STATIC_DIR)
        if static not in app.config.html_static_path:
            app.config.html_static_path.append(static)
    elif app.builder.format == "latex":
        sty = str(STATIC_DIR / "briefbook.sty")
        if sty not in app.config.latex_additional_files:
            app.config.latex_additional_files.append(sty)
