"""An edition's name and its "as of" date: what the book is current to, never the day it
was built.

The date is ``briefbook_as_of`` when ``conf.py`` sets it, else the date of the latest
briefing in this edition (a released edition leaves out withheld briefings, so its date
may be earlier). It is shown on the front page (``{edition}``), on every HTML page's
running footer and on the PDF's cover and footers.

Every page's footer is filled by the navigation script, which is written once per build:
a new briefing moves the date without rewriting a thousand pages.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.book.briefings import briefings, format_date, parse_date
from briefbook.editions import markings
from briefbook.entities.domain import may_hold

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator

    from briefbook.entities.domain import BriefbookDomain

logger = logging.getLogger(__name__)


def configured_as_of(config: Config) -> dt.date | None:
    value = config.briefbook_as_of
    return parse_date(value) if value else None


def as_of(env: BuildEnvironment) -> dt.date | None:
    """What this edition is current to: ``briefbook_as_of``, else its latest briefing."""
    configured = configured_as_of(env.config)
    if configured is not None:
        return configured
    found = briefings(env)
    return found[0].date if found else None


def edition_name(config: Config) -> str:
    return str(config.briefbook_edition or "").strip()


def distribution(config: Config) -> str:
    return str(config.briefbook_distribution or "").strip()


def statement(env: BuildEnvironment) -> str:
    """``Edition 3 · As of 17 November 2024 · TLP:CLEAR``: the line that says which
    edition a reader holds (the parts the book has; the marking is the edition's
    highest, so a released edition shows the level it was released at or below)."""
    parts = []
    name = edition_name(env.config)
    if name:
        parts.append(name)
    when = as_of(env)
    if when is not None:
        parts.append(f"As of {format_date(when)}")
    level = markings.edition_level(env)
    if level is not None:
        parts.append(level.name)
    return " · ".join(parts)


# --- the front page's line ---------------------------------------------------------------


class edition_line(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder for the edition statement, filled once every page has been read."""


class EditionDirective(SphinxDirective):
    """``{edition}``: the edition, its "as of" date and marking, and the distribution
    statement from ``conf.py``."""

    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        domain: BriefbookDomain = self.env.domains["briefbook"]  # type: ignore[assignment]
        domain.note_listing(self.env.current_document.docname, "edition")
        return [edition_line()]


def fill_edition_lines(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not may_hold(app, docname, "edition"):
        return
    for node in list(doctree.findall(edition_line)):
        out: list[nodes.Node] = []
        text = statement(app.env)
        if text:
            out.append(nodes.paragraph("", "", nodes.strong(text, text), classes=["bb-edition"]))
        notice = distribution(app.env.config)
        if notice:
            out.append(nodes.paragraph(notice, notice, classes=["bb-distribution"]))
        node.replace_self(out)


# --- every page's running footer (HTML) ----------------------------------------------------


class edition_footer(nodes.General, nodes.Element):  # noqa: N801
    """Where the navigation script writes the edition statement at the foot of a page."""


def add_footer(app: Sphinx, doctree: nodes.document) -> None:
    """Every page gets the (empty) footer when read; the script fills it when shown."""
    section = next(iter(doctree.findall(nodes.section)), None)
    (section if section is not None else doctree).append(edition_footer())


def visit_footer_html(self: HTML5Translator, node: edition_footer) -> None:
    self.body.append('<p class="bb-edition-footer" data-bb-edition=""></p>\n')
    raise nodes.SkipNode


def script_data(env: BuildEnvironment) -> dict[str, Any]:
    """What the navigation script writes in every page's footer."""
    return {"statement": statement(env)}


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_as_of", "", "html", types=[str, dt.date])
    app.add_config_value("briefbook_edition", "", "html", types=[str])
    app.add_config_value("briefbook_distribution", "", "html", types=[str])
    app.add_node(edition_line)
    app.add_node(edition_footer, html=(visit_footer_html, None), latex=(_skip, None),
                 text=(_skip, None))
    app.add_directive("edition", EditionDirective)
    app.connect("doctree-read", add_footer)
    app.connect("doctree-resolved", fill_edition_lines)
