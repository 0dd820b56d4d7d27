"""Portions: a block of a page marked on its own (``{marking}``, or ``:marking:`` on a claim or
quotation), checked against its page and left out, unparsed, of an edition released below it.

Apart from :mod:`.markings` because leaving a portion out is a release's decision
(:mod:`.release`), and the release itself needs to know what a portion is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from briefbook.editions.markings import (
    Level,
    MarkingError,
    book_level,
    domain_of,
    portion_node,
    release_level,
    scheme_of,
    withheld,
)
from briefbook.editions.release import refuse_unknown_portion

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec


def portion_level(directive: SphinxDirective, text: str) -> Level | bool | None:
    """The level of a portion's marking, checked against its page.

    Returns the level; ``False`` when the portion is withheld from this edition (the
    caller then emits nothing and parses nothing, so nothing in it reaches any output);
    ``None`` when the marking is unknown (reported, the portion is kept unmarked; in a
    release it is left out and the release fails: ``False``).
    """
    env = directive.env
    try:
        level = scheme_of(env.config).level(text)
    except MarkingError as exc:
        if release_level(env.config) is not None:  # fail closed: left out, the release fails
            refuse_unknown_portion(directive, f"BB601 {exc}")
            return False
        logger.warning("BB601 %s", exc, location=directive.get_location(),
                       type="briefbook", subtype="marking")
        return None
    if withheld(env.config, level):
        return False
    docname = env.current_document.docname
    page = domain_of(env).pages.get(docname)
    page_marking = str(env.metadata.get(docname, {}).get("marking", "")).strip()
    if page is None and page_marking:  # front matter read before the body? be sure
        try:
            page = scheme_of(env.config).level(page_marking).rank
        except MarkingError:
            page = None
    floor = max([r for r in (page, getattr(book_level(env.config), "rank", None)) if r is not None],
                default=None)
    if floor is not None and level.rank < floor:
        shown = scheme_of(env.config).levels[floor].name
        logger.warning("BB602 portion marked %s inside a page marked %s: a portion can only "
                       "raise its page's marking", level.name, shown,
                       location=directive.get_location(), type="briefbook",
                       subtype="marking_lower")
    domain_of(env).portions.setdefault(docname, []).append(level.rank)
    return level


class MarkingDirective(SphinxDirective):
    """``{marking} TLP:AMBER``: the block inside carries this marking.

    Withheld from an edition released below the marking, the block is not even parsed:
    no mention, quotation, claim, event or citation in it is recorded, so nothing derived
    from it (backlinks, indexes, cards, search) can appear.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[OptionSpec] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        level = portion_level(self, self.arguments[0])
        if level is False:
            return []
        content = self.parse_content_to_nodes()
        if level is None or isinstance(level, bool):
            return content
        node = portion_node(level, content)
        node["classes"].extend(self.options.get("class", []))
        self.set_source_info(node)
        return [node]


def wrap_marked(directive: SphinxDirective, build: Any) -> list[nodes.Node]:
    """For directives with a ``:marking:`` option ({claim}, {quote}): nothing when
    withheld (``build`` is not called), else ``build()``'s nodes in a marked portion."""
    text = str(directive.options.get("marking", "")).strip()
    if not text:
        return list(build())
    level = portion_level(directive, text)
    if level is False:
        return []
    built = list(build())
    if level is None or isinstance(level, bool):
        return built
    return [portion_node(level, built)]



def setup(app: Sphinx) -> None:
    app.add_directive("marking", MarkingDirective)
