"""Handling markings: the book's, a page's, a portion's, shown wherever they apply.

A marking scheme is configuration, not code: ``briefbook_marking_scheme`` lists its
levels, least restrictive first, each with the words a reader sees, the colours of its
label and what it allows. The default is the Traffic Light Protocol 2.0 (FIRST), whose
labels are coloured text on black; a national classification scheme is a different list.

Three scopes, the narrowest winning only upwards:

* the book: ``briefbook_marking`` in ``conf.py``, the floor of every page;
* a page: ``marking:`` in its front matter;
* a portion: the ``{marking}`` directive around a block, or ``:marking:`` on a
  ``{claim}`` or ``{quote}``.

A page carries the highest marking on it, shown in a banner at its top and bottom (HTML)
and in the header and footer of its PDF pages; each portion opens with its own mark. A
page made from other pages carries the highest marking of what it shows too
(:mod:`.derived`); a page made by a template alone (the general index, the search page),
the edition's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)

#: The Traffic Light Protocol 2.0 (https://www.first.org/tlp/): label colours on black.
TLP_2_0: list[dict[str, Any]] = [
    {"name": "TLP:CLEAR", "colour": "#FFFFFF", "background": "#000000", "aliases": ["TLP:WHITE"],
     "description": "Recipients can spread this to the world, there is no limit on disclosure."},
    {"name": "TLP:GREEN", "colour": "#33FF00", "background": "#000000",
     "description": "Limited disclosure, recipients can spread this within their community."},
    {"name": "TLP:AMBER", "colour": "#FFC000", "background": "#000000",
     "description": "Limited disclosure, recipients can only spread this on a need-to-know "
                    "basis within their organization and its clients."},
    {"name": "TLP:AMBER+STRICT", "colour": "#FFC000", "background": "#000000",
     "description": "Limited disclosure, recipients can only spread this on a need-to-know "
                    "basis within their organization only."},
    {"name": "TLP:RED", "colour": "#FF2B2B", "background": "#000000",
     "description": "For the eyes and ears of individual recipients only, no further "
                    "disclosure."},
]
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class MarkingError(ValueError):
    """An unknown marking, or a scheme that cannot be used."""


@dataclass(frozen=True, order=True)
class Level:
    """One level of a scheme; levels compare by how restrictive they are."""

    rank: int
    name: str = field(compare=False)
    colour: str = field(compare=False, default="#FFFFFF")
    background: str = field(compare=False, default="#000000")
    description: str = field(compare=False, default="")

    @property
    def slug(self) -> str:
        """``TLP:AMBER+STRICT`` → ``tlp-amber-strict`` (for CSS classes)."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass(frozen=True)
class Scheme:
    levels: tuple[Level, ...]
    names: dict[str, Level]  # every spelling (upper case, no spaces) → its level

    @classmethod
    def from_config(cls, entries: Iterable[Any]) -> Scheme:
        levels: list[Level] = []
        names: dict[str, Level] = {}
        for rank, entry in enumerate(entries):
            if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
                raise MarkingError(f"briefbook_marking_scheme: level {rank + 1} needs a 'name'")
            colours = [str(entry.get(k, d)) for k, d in (("colour", "#FFFFFF"),
                                                         ("background", "#000000"))]
            bad = [c for c in colours if not _COLOUR.fullmatch(c)]
            if bad:
                raise MarkingError(f"briefbook_marking_scheme: level '{entry['name']}' has a "
                                   f"colour that is not #RRGGBB: {bad[0]}")
            level = Level(rank, str(entry["name"]).strip(), colours[0].upper(),
                          colours[1].upper(), str(entry.get("description", "")))
            levels.append(level)
            for spelling in [level.name, *entry.get("aliases", [])]:
                names[_key(str(spelling))] = level
        if not levels:
            raise MarkingError("briefbook_marking_scheme has no levels")
        return cls(tuple(levels), names)

    def level(self, text: str) -> Level:
        found = self.names.get(_key(text))
        if found is None:
            raise MarkingError(f"unknown marking '{text}' (one of "
                               f"{', '.join(level.name for level in self.levels)})")
        return found

    @property
    def lowest(self) -> Level:
        return self.levels[0]


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def scheme_of(config: Config) -> Scheme:
    cached = getattr(config, "_briefbook_scheme", None)
    if cached is None:
        cached = Scheme.from_config(config.briefbook_marking_scheme or TLP_2_0)
        config._briefbook_scheme = cached
    return cached


def book_level(config: Config) -> Level | None:
    """The book's marking, or None when the book is not marked at all."""
    text = str(config.briefbook_marking or "").strip()
    return scheme_of(config).level(text) if text else None


def release_level(config: Config) -> Level | None:
    """The level an edition is released at (``briefbook_release``), or None: the full
    edition."""
    text = str(config.briefbook_release or "").strip()
    return scheme_of(config).level(text) if text else None


def withheld(config: Config, level: Level) -> bool:
    released = release_level(config)
    return released is not None and level > released


# --- where markings are kept -------------------------------------------------------------


class MarkingDomain(Domain):
    """Each page's own marking and its portions' markings (ranks), per document."""

    name = "marking"
    label = "Handling markings"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"pages": {}, "portions": {}}

    @property
    def pages(self) -> dict[str, int]:
        return self.data.setdefault("pages", {})

    @property
    def portions(self) -> dict[str, list[int]]:
        return self.data.setdefault("portions", {})

    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)
        self.portions.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in ("pages", "portions"):
            for docname, value in otherdata.get(key, {}).items():
                if docname in docnames:
                    self.data.setdefault(key, {})[docname] = value

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def _domain(env: BuildEnvironment) -> MarkingDomain:
    return env.domains["marking"]  # type: ignore[return-value]


def page_level(env: BuildEnvironment, docname: str) -> Level | None:
    """The highest marking on a page: book, page and portions; None when unmarked."""
    scheme = scheme_of(env.config)
    domain = _domain(env)
    ranks = [*domain.portions.get(docname, [])]
    if docname in domain.pages:
        ranks.append(domain.pages[docname])
    book = book_level(env.config)
    if book is not None:
        ranks.append(book.rank)
    return scheme.levels[max(ranks)] if ranks else None


def edition_level(env: BuildEnvironment) -> Level | None:
    """The highest marking in this edition (its cover's)."""
    found = [page_level(env, docname) for docname in env.found_docs]
    levels = [level for level in found if level is not None]
    return max(levels) if levels else book_level(env.config)


def note_page_marking(app: Sphinx, doctree: nodes.document) -> None:
    """Record the page's front-matter marking (``doctree-read``), checking it."""
    env = app.env
    docname = env.current_document.docname
    text = str(env.metadata.get(docname, {}).get("marking", "")).strip()
    decided = getattr(env, "briefbook_decisions", {}).get(docname)
    if not text and decided is not None and not decided.problem:
        # An rST page's field list reaches the metadata only after this: the marking the
        # release decided on (briefbook.editions.decision), which the build checks.
        text = decided.text
    if not text:
        return
    try:
        level = scheme_of(env.config).level(text)
    except MarkingError as exc:
        logger.warning("BB601 %s in the front matter", exc, location=(docname, 1),
                       type="briefbook", subtype="marking")
        return
    _domain(env).pages[docname] = level.rank


# --- portions ---------------------------------------------------------------------------


class portion(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A block marked on its own: ``level`` (name), ``rank``, ``slug``, ``description``."""


class marking_banner(nodes.General, nodes.Element):  # noqa: N801
    """The page's highest marking, at its top and bottom (HTML); ``where``: top|bottom."""


def portion_node(level: Level, content: list[nodes.Node]) -> portion:
    node = portion(classes=["bb-portion", f"bb-marking-{level.slug}"], level=level.name,
                   rank=level.rank, slug=level.slug, description=level.description)
    mark = nodes.inline(f"({level.name})", f"({level.name})",
                        classes=["bb-portion-mark", f"bb-marking-{level.slug}"])
    node += nodes.paragraph("", "", mark, classes=["bb-portion-mark-line"])
    node.extend(content)
    return node


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
            from briefbook.editions.release import refuse_unknown_portion

            refuse_unknown_portion(directive, f"BB601 {exc}")
            return False
        logger.warning("BB601 %s", exc, location=directive.get_location(),
                       type="briefbook", subtype="marking")
        return None
    if withheld(env.config, level):
        return False
    docname = env.current_document.docname
    page = _domain(env).pages.get(docname)
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
    _domain(env).portions.setdefault(docname, []).append(level.rank)
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


# --- banners ----------------------------------------------------------------------------


def add_banners(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The page's highest marking at its top and bottom (HTML): its own, or higher, that
    of what its generated content shows (:mod:`.derived`). The PDF's running header and
    footer are set where each page begins (:mod:`.printed`)."""
    if app.builder.format == "latex":
        return  # the LaTeX writer gets each page's marking from briefbook.editions.printed
    from briefbook.editions.derived import shown_level

    level = shown_level(app.env, doctree, docname)
    if level is None:
        return
    attributes = {"level": level.name, "slug": level.slug, "colour": level.colour,
                  "background": level.background, "description": level.description}
    section = next(iter(doctree.findall(nodes.section)), None)
    parent: nodes.Element = section if section is not None else doctree
    top = marking_banner(where="top", **attributes)
    bottom = marking_banner(where="bottom", **attributes)
    index = 1 if section is not None and section.children and isinstance(section[0], nodes.title) else 0
    parent.insert(index, top)
    parent += bottom


def banner_html(level: Level, where: str) -> str:
    """A banner's markup (every value escaped): the visitor's and the templates'."""
    label = f"Handling marking: {level.name}"
    if level.description:
        label += f". {level.description}"
    return (f'<div class="bb-marking-banner bb-marking-{escape(level.slug)} bb-marking-{escape(where)}" '
            f'role="note" aria-label="{escape(label)}"><span class="bb-marking-label">'
            f"{escape(level.name)}</span></div>\n")


def visit_banner_html(self: HTML5Translator, node: marking_banner) -> None:
    # The slug is the level's name's: the node keeps what it needs, not the scheme.
    self.body.append(banner_html(Level(-1, node["level"], description=node["description"]),
                                 node["where"]))
    raise nodes.SkipNode


def banner_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: nodes.document | None) -> None:
    """Pages made by templates alone (``genindex``, ``search``, domain indexes, extra
    pages) show what the whole edition holds: they get the edition's marking, which the
    theme-template override (``templates/layout.html``) prints at their top and bottom.
    Pages made from a document carry theirs in their body (:func:`add_banners`)."""
    if doctree is not None:
        return
    level = edition_level(app.env)
    if level is None:
        return
    from markupsafe import Markup

    context["briefbook_banner_top"] = Markup(banner_html(level, "top"))
    context["briefbook_banner_bottom"] = Markup(banner_html(level, "bottom"))


def visit_portion_html(self: HTML5Translator, node: portion) -> None:
    self.body.append(self.starttag(node, "div", "", **{"data-marking": node["level"],
                                                       "aria-label": f"Marked {node['level']}",
                                                       "role": "group"}))


def depart_portion_html(self: HTML5Translator, node: portion) -> None:
    self.body.append("</div>\n")


def visit_portion_latex(self: LaTeXTranslator, node: portion) -> None:
    """A portion is a (breakable) box, and a float cannot go in a box ("Not in outer par
    mode"): its figures are set where they stand (``[H]``), as Sphinx sets them in its
    admonitions."""
    self.body.append("\n\\begin{briefbookportion}\n")
    self.no_latex_floats += 1


def depart_portion_latex(self: LaTeXTranslator, node: portion) -> None:
    self.no_latex_floats -= 1
    self.body.append("\n\\end{briefbookportion}\n")


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def check_config(app: Sphinx, config: Config) -> None:
    """An unknown book marking or release level stops the build before anything is read."""
    from briefbook.book.problems import Problem, stop_build

    problems = []
    try:
        book_level(config)
        release_level(config)
    except MarkingError as exc:
        problems.append(Problem(str(app.confdir) + "/conf.py", 1, "BB601", str(exc)))
    if problems:
        stop_build(problems, app.confdir, "configuration")


STYLES = "briefbook-markings.css"


def marking_styles(scheme: Scheme) -> str:
    """The label colours of every level, as CSS classes (the scheme is configuration,
    so its colours are too; kept when printing, where the marking matters most)."""
    rules = ["/* briefbook: the marking scheme's colours (generated from conf.py). */"]
    for level in scheme.levels:
        rules.append(f".bb-marking-banner.bb-marking-{level.slug}, "
                     f"span.bb-portion-mark.bb-marking-{level.slug} "
                     f"{{ color: {level.colour}; background: {level.background}; }}")
    return "\n".join(rules) + "\n"


def write_marking_styles(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    from briefbook.book.atomic import atomic_write

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    text = marking_styles(scheme_of(app.config))
    target = static / STYLES
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        atomic_write(target, text)


def setup(app: Sphinx) -> None:
    app.add_config_value("briefbook_marking_scheme", TLP_2_0, "env", types=[list])
    app.add_config_value("briefbook_marking", "", "env", types=[str])
    app.add_config_value("briefbook_release", "", "env", types=[str])
    app.add_domain(MarkingDomain)
    app.add_node(portion, html=(visit_portion_html, depart_portion_html),
                 latex=(visit_portion_latex, depart_portion_latex), text=(_pass, _pass))
    app.add_node(marking_banner, html=(visit_banner_html, None), latex=(_skip, None),
                 text=(_skip, None))
    app.add_directive("marking", MarkingDirective)
    app.connect("config-inited", check_config)
    app.connect("builder-inited", write_marking_styles)
    app.add_css_file(STYLES)
    app.connect("doctree-read", note_page_marking, priority=400)
    # After every filler (priority 500) has reported what it showed.
    app.connect("doctree-resolved", add_banners, priority=800)
    app.connect("html-page-context", banner_context)
